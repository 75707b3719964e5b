"""Safe YAML reading that keeps the line and column of every value for error messages.

PyYAML's safe loader is used to compose a node tree; the tree is then turned into plain Python
data by hand, so that duplicate keys are rejected, only ``true``/``false`` become booleans (as in
YAML 1.2 editors), aliases cannot explode memory, and every value's position is remembered.
"""

from __future__ import annotations

import datetime
import hashlib
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from upphandla.errors import Location, Problem, ProblemList, ProblemsError, os_reason
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.records import record
from upphandla.text import Text

YamlPath = tuple[str | int, ...]

# libyaml's C parser is about eight times faster; fall back when PyYAML was built without it.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SEQUENCE_TAG = "tag:yaml.org,2002:seq"
_MAPPING_TAG = "tag:yaml.org,2002:map"
_BOOL_PATTERN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")

# Characters that XML 1.0 (and so Word) cannot hold, even escaped.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Characters that a YAML file may not contain (written out, not escaped): those XML cannot hold,
# and also DEL and the C1 controls other than NEL (U+0085). PyYAML's reader would stop at the
# first of them with a message that names no line.
_NOT_IN_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader whose booleans are only true/false, as YAML 1.2 editors read them."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        if not self.yaml_path_resolvers:
            # libyaml calls descend_resolver and ascend_resolver for every node it composes;
            # without path resolvers PyYAML's return at once. C functions that take the same
            # arguments and do nothing either save a Python call each.
            self.__dict__.update(descend_resolver=operator.is_, ascend_resolver=tuple)

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """PyYAML's ``BaseResolver.resolve`` with the implicit resolvers looked up once by first
        character (``_RESOLVERS``): libyaml calls it for every node it composes, and most values
        (texts, ids) start with a letter that no resolver claims."""
        if self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS.get(value[:1], _WILDCARD_RESOLVERS):
                    if regexp.match(value):
                        return tag
            return _STR_TAG
        return _SEQUENCE_TAG if kind is yaml.SequenceNode else _MAPPING_TAG


_Loader.add_implicit_resolver(_BOOL_TAG, _BOOL_PATTERN, list("tTfF"))

_ImplicitResolvers = dict[str, tuple[tuple[str, re.Pattern[str]], ...]]


def _resolvers_by_first_character(loader: type[yaml.SafeLoader]) -> _ImplicitResolvers:
    """The loader's implicit resolvers by a plain scalar's first character ("" for the empty
    scalar), each list followed by the wildcard resolvers, in the order PyYAML tries them."""
    table = loader.yaml_implicit_resolvers
    wildcard = tuple(table.get(None, ()))
    return {
        first: (*resolvers, *wildcard) for first, resolvers in table.items() if first is not None
    }


_RESOLVERS = _resolvers_by_first_character(_Loader)
_WILDCARD_RESOLVERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    _Loader.yaml_implicit_resolvers.get(None, ())
)


@record
class Mark:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass(slots=True)
class YamlDocument:
    """Plain data read from one YAML file, with the position of every value and key."""

    path: Path
    data: Any
    digest: str = ""
    # The parser's own 0-based marks, kept as they are: converting hundreds of thousands of them
    # up front would cost more than the few lookups that an error message needs. They are kept
    # by container (``id`` of each mapping and list of ``data``, which lives as long as the
    # document): a mapping's key and value marks in turn, a list's item marks; ``root_mark`` is
    # the whole value's. No path of each value is made, which a large file would pay for.
    marks: dict[int, list[yaml.Mark]] = field(default_factory=dict)
    root_mark: yaml.Mark | None = None

    def location(self, path: YamlPath, *, key: bool = False) -> Location:
        """The location of the value (or key) at ``path``, or of its nearest known ancestor."""
        probe = path
        while True:
            mark = self._mark(probe, key)
            if mark is not None:
                return Location(self.path, mark.line + 1, mark.column + 1)
            if not probe:
                return Location(self.path)
            probe = probe[:-1]

    def _mark(self, path: YamlPath, key: bool) -> yaml.Mark | None:
        """The mark of the key (with ``key``, else of the value) at ``path``; a list item, or
        the whole value, has only a value mark. None when no value is at ``path``."""
        if not path:
            return self.root_mark
        container = self.data
        for step in path[:-1]:
            container = _item(container, step)
        marks = self.marks.get(id(container)) if type(container) in (dict, list) else None
        if marks is None:
            return None
        last = path[-1]
        if type(container) is list:
            if isinstance(last, int) and 0 <= last < len(container):
                return marks[last]
            return None
        if not isinstance(last, str) or last not in container:
            return None
        index = 2 * list(container).index(last)
        return marks[index] if key else marks[index + 1]


_NOTHING = object()


def _item(container: Any, step: str | int) -> Any:
    """The value at ``step`` of a mapping or list read from YAML, or ``_NOTHING``."""
    if type(container) is dict:
        return container.get(step, _NOTHING) if isinstance(step, str) else _NOTHING
    if type(container) is list and isinstance(step, int) and 0 <= step < len(container):
        return container[step]
    return _NOTHING


def load_yaml_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> YamlDocument:
    """Read ``path`` as YAML; raise ``ProblemsError`` with a located message on any problem."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ProblemsError([_problem(path, None, _unreadable(error))]) from None
    if size > limits.max_file_bytes:
        raise ProblemsError([_too_large(path, size, limits.max_file_bytes)])
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ProblemsError([_problem(path, None, _unreadable(error))]) from None
    return load_yaml_bytes(raw, path, limits)


def load_yaml_bytes(raw: bytes, path: Path, limits: Limits = DEFAULT_LIMITS) -> YamlDocument:
    """Parse YAML bytes that claim to come from ``path`` (used for files and standard input)."""
    if len(raw) > limits.max_file_bytes:
        raise ProblemsError([_too_large(path, len(raw), limits.max_file_bytes)])
    text = _decode(raw, path)
    if _may_hold_refused_characters(raw):
        _reject_invalid_characters(text, path)
    if len(raw) > _SCAN_ABOVE_BYTES and _most_values(raw) > limits.max_yaml_nodes:
        _refuse_too_many_events(text, path, limits)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise ProblemsError([_syntax_problem(path, error, text)]) from None
    except yaml.YAMLError as error:
        raise ProblemsError([_problem(path, None, _syntax_text(str(error)))]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ProblemsError([_empty(path)])
    # Written-out control characters were refused above (``_NOT_IN_YAML`` holds every character
    # of ``XML_INVALID``), so only an escape ("\\x01") can still make one.
    builder = _Builder(path, loader, limits, "\\" in text)
    data = builder.build(node, depth=0)
    if builder.problems:
        raise ProblemsError(builder.problems.capped())
    digest = hashlib.sha256(raw).hexdigest()
    return YamlDocument(path, data, digest, builder.marks, node.start_mark)


# A file this large could hold more values than the limit allows (``[1,1,1,...`` is two bytes a
# value): its events are counted before the node tree, which costs about 500 bytes a value, is
# built.
_SCAN_ABOVE_BYTES = 512 * 1024
_VALUE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _most_values(raw: bytes) -> int:
    """An upper bound on the values (events) in the file ``raw``, counted without parsing.

    Every value after the first is set off by an indicator or a line break (``:`` gives a key,
    its value and at most one mapping start; ``-``, ``?``, ``,``, ``[``, ``{`` and a new line at
    most one value each, ``*`` an alias), so three per such character bounds the count. A
    library file of ordinary size stays far below the limit and is parsed once. The bytes are
    counted (in one pass): in UTF-8 these characters are single bytes that no other character
    uses.
    """
    marks = len(raw) - len(raw.translate(None, _MARKS))
    return 3 * marks + 3


_MARKS = b":-?,[{\n*"


def _refuse_too_many_events(text: str, path: Path, limits: Limits) -> None:
    """Raise the "too many values" problem when the file's events alone go over the limit."""
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _VALUE_EVENTS):
                count += 1
                if count > limits.max_yaml_nodes:
                    mark = event.start_mark
                    line, column = (mark.line, mark.column) if mark is not None else (0, 0)
                    raise ProblemsError(
                        [_too_many_values_at(path, line, column, limits.max_yaml_nodes)]
                    )
    except yaml.YAMLError:
        return  # composing the tree reports the syntax error with its position


class _Builder:
    """Turns a composed node tree into plain data, recording marks and problems."""

    def __init__(
        self, path: Path, loader: yaml.SafeLoader, limits: Limits, may_hold_controls: bool = True
    ) -> None:
        self.path = path
        # Escaped control characters ("\x01") appear only when the text has a backslash or
        # the character itself; otherwise no scalar needs searching.
        self.may_hold_controls = may_hold_controls
        self.loader = loader
        self.limits = limits
        self.marks: dict[int, list[yaml.Mark]] = {}
        self.problems = ProblemList(limits.max_problems)
        self.nodes_seen = 0
        self.alias_uses = 0
        self.visited: set[int] = set()

    def build(self, node: yaml.Node, depth: int) -> Any:
        """The value of ``node`` (whose mark the caller keeps)."""
        self._count(node, depth)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, depth)
        return self._scalar(node)

    def _child(self, node: yaml.Node, depth: int) -> Any:
        """``build`` for a child node, with plain scalars (most values) done here: a scalar
        never changes the alias count, so only the node count and the depth need checking
        before the full check runs."""
        if type(node) is not yaml.ScalarNode:
            return self.build(node, depth)
        self.nodes_seen += 1
        if self.nodes_seen > self.limits.max_yaml_nodes or depth > self.limits.max_yaml_depth:
            self.nodes_seen -= 1
            self._count(node, depth)
        if node.tag == _STR_TAG and not self.may_hold_controls:
            return node.value
        return self._scalar(node)

    def _count(self, node: yaml.Node, depth: int) -> None:
        self.nodes_seen += 1
        if not isinstance(node, yaml.ScalarNode):
            if id(node) in self.visited:
                self.alias_uses += 1
            self.visited.add(id(node))
        if depth > self.limits.max_yaml_depth:
            raise ProblemsError([_too_deep(self.path, node, self.limits.max_yaml_depth)])
        if self.alias_uses > self.limits.max_alias_expansions or (
            self.nodes_seen > self.limits.max_yaml_nodes and self.alias_uses
        ):
            raise ProblemsError([_alias_bomb(self.path, node)])
        if self.nodes_seen > self.limits.max_yaml_nodes:
            raise ProblemsError([_too_many_values(self.path, node, self.limits.max_yaml_nodes)])

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> list[Any]:
        child = self._child
        marks = [item.start_mark for item in node.value]
        result = [child(item, depth + 1) for item in node.value]
        self.marks[id(result)] = marks
        return result

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        marks: list[yaml.Mark] = []  # key, value, key, value, ... as ``result`` holds them
        child_depth = depth + 1
        for key_node, value_node in node.value:
            if type(key_node) is yaml.ScalarNode and key_node.tag != _MERGE_TAG:
                key = key_node.value
            else:
                key = self._key(key_node)
                if key is None:
                    continue
            if key in result:
                first = marks[2 * list(result).index(key)]
                self._add(key_node, _duplicate_key(key, first.line + 1))
                continue
            marks.append(key_node.start_mark)
            marks.append(value_node.start_mark)
            result[key] = self._child(value_node, child_depth)
        self.marks[id(result)] = marks
        return result

    def _key(self, node: yaml.Node) -> str | None:
        if node.tag == _MERGE_TAG:
            self._add(node, _merge_key())
            return None
        if not isinstance(node, yaml.ScalarNode):
            self._add(
                node, Text("En nyckel måste vara en enkel text.", "A key must be plain text.")
            )
            return None
        return str(node.value)

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR_TAG:
            value: Any = node.value
        else:
            try:
                value = self.loader.construct_object(node, deep=True)
            except yaml.MarkedYAMLError as error:
                # The node's own position is used; the error's marks name "<unicode string>".
                detail = " ".join(part for part in (error.context, error.problem) if part)
                self._add(node, _syntax_text(detail.replace("\n", " ")))
                return None
            except yaml.YAMLError as error:
                self._add(node, _syntax_text(str(error)))
                return None
            except (ValueError, TypeError, KeyError, AttributeError, IndexError):
                # PyYAML's constructors fail with plain exceptions on values that look like
                # their type but are not: 2026-02-30, 0b_, !!int x, !!bool maybe.
                self._add(node, *_not_of_its_type(node))
                return None
        if self.may_hold_controls and isinstance(value, str) and (bad := XML_INVALID.search(value)):
            self._add(node, _control_character(bad.group()))
        if isinstance(value, datetime.datetime):
            return value.date() if value.time() == datetime.time() else value
        return value

    def _add(self, node: yaml.Node, message: Text, hint: Text | None = None) -> None:
        mark = _mark(node)
        self.problems.append(
            Problem(message, Location(self.path, mark.line, mark.column), hint=hint)
        )


def iter_lines_columns(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character ``index`` in ``text``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        good = raw[: error.start].decode("utf-8", errors="replace")
        line, column = iter_lines_columns(good, len(good))
        raise ProblemsError(
            [
                Problem(
                    Text(
                        f"Filen är inte sparad som UTF-8 (byte 0x{raw[error.start]:02x}).",
                        f"The file is not saved as UTF-8 (byte 0x{raw[error.start]:02x}).",
                    ),
                    Location(path, line, column),
                    hint=Text(
                        "Spara filen som UTF-8 i din textredigerare (till exempel 'Spara med "
                        "kodning' > UTF-8).",
                        "Save the file as UTF-8 in your editor (for example 'Save with encoding' "
                        "> UTF-8).",
                    ),
                )
            ]
        ) from None


# The UTF-8 encodings of _NOT_IN_YAML's characters: the C0 controls and DEL are single bytes;
# the C1 controls (U+0080-U+009F) are C2 and a byte 80-9F, U+FFFE and U+FFFF start with EF BF
# (surrogates are not valid UTF-8, which _decode refuses).
_REFUSED_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Every byte but the lead bytes (C2-F4) and the continuation bytes 80-9F.
_NOT_LEAD_OR_LOW_BYTES = bytes(
    b for b in range(256) if not (0xC2 <= b <= 0xF4 or 0x80 <= b <= 0x9F)
)
_C1_PAIR = re.compile(b"\xc2[\x80-\x9f]")


def _may_hold_refused_characters(raw: bytes) -> bool:
    """False when the UTF-8 file ``raw`` holds no character of ``_NOT_IN_YAML`` (then the text
    need not be searched): a few passes over the bytes, many times faster than the search.

    C1 controls are looked for among the lead bytes and the continuation bytes 80-9F alone:
    a continuation byte kept there still follows its own character's lead byte (or another of
    its continuation bytes), so C2 followed by 80-9F there is a C1 control in the file.
    """
    return (
        len(raw.translate(None, _REFUSED_BYTES)) != len(raw)
        or b"\xef\xbf" in raw
        or (
            b"\xc2" in raw
            and _C1_PAIR.search(raw.translate(None, _NOT_LEAD_OR_LOW_BYTES)) is not None
        )
    )


def _reject_invalid_characters(text: str, path: Path) -> None:
    problems = [
        Problem(
            _control_character(match.group()),
            Location(path, *iter_lines_columns(text, match.start())),
            hint=_control_hint(),
        )
        for match in _limited(_NOT_IN_YAML.finditer(text), 20)
    ]
    if problems:
        raise ProblemsError(problems)


def _limited(matches: Iterator[re.Match[str]], most: int) -> Iterator[re.Match[str]]:
    for count, match in enumerate(matches):
        if count >= most:
            return
        yield match


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _problem(path: Path, mark: Mark | None, message: Text, hint: Text | None = None) -> Problem:
    if mark is None:
        return Problem(message, Location(path), hint=hint)
    return Problem(message, Location(path, mark.line, mark.column), hint=hint)


def _syntax_problem(path: Path, error: yaml.MarkedYAMLError, text: str) -> Problem:
    detail = " ".join(part for part in (error.context, error.problem) if part)
    unclosed = "quoted scalar" in detail and "end of stream" in detail
    mark = (error.context_mark if unclosed else None) or error.problem_mark or error.context_mark
    hint = None
    if mark is not None and _character_at(text, mark.line, mark.column) == "\t":
        hint = Text(
            "YAML tillåter inte tabbtecken för indrag. Använd mellanslag.",
            "YAML does not allow tabs for indentation. Use spaces.",
        )
    elif "quote" in detail or "scalar" in detail:
        hint = Text(
            "Kontrollera att alla citattecken är stängda.",
            "Check that every quotation mark is closed.",
        )
    position = Mark(mark.line + 1, mark.column + 1) if mark is not None else None
    return _problem(path, position, _syntax_text(detail), hint)


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def _syntax_text(detail: str) -> Text:
    return Text(f"YAML-syntaxfel: {detail}", f"YAML syntax error: {detail}")


def _unreadable(error: OSError) -> Text:
    reason = os_reason(error)
    return Text(f"Filen går inte att läsa: {reason.sv}", f"The file cannot be read: {reason.en}")


def _too_large(path: Path, size: int, limit: int) -> Problem:
    return Problem(
        Text(
            f"Filen är för stor ({size / 1_048_576:.1f} MB; gränsen är "
            f"{limit / 1_048_576:.1f} MB).",
            f"The file is too large ({size / 1_048_576:.1f} MB; the limit is "
            f"{limit / 1_048_576:.1f} MB).",
        ),
        Location(path),
        hint=_split_hint(),
    )


def _split_hint() -> Text:
    return Text(
        "Dela upp innehållet i flera filer: ett bibliotek kan ha hur många YAML-filer som helst.",
        "Split the content into several files: a library may have any number of YAML files.",
    )


def _too_many_values(path: Path, node: yaml.Node, limit: int) -> Problem:
    return _too_many_values_at(path, node.start_mark.line, node.start_mark.column, limit)


def _too_many_values_at(path: Path, line: int, column: int, limit: int) -> Problem:
    mark = Mark(line + 1, column + 1)
    english = f"{limit:,}"
    swedish = english.replace(",", "\u00a0")
    return Problem(
        Text(
            f"Filen innehåller fler än {swedish} värden; läsningen avbröts för att skydda datorn.",
            f"The file holds more than {english} values; reading stopped to protect the machine.",
        ),
        Location(path, mark.line, mark.column),
        hint=_split_hint(),
    )


def _empty(path: Path) -> Problem:
    return Problem(
        Text("Filen är tom.", "The file is empty."),
        Location(path, 1, 1),
        hint=Text("Ta bort filen eller fyll i innehåll.", "Remove the file or add content."),
    )


def _duplicate_key(key: str, first_line: int) -> Text:
    return Text(
        f"Nyckeln '{key}' finns redan på rad {first_line}; varje nyckel får bara finnas en gång.",
        f"The key '{key}' already appears on line {first_line}; each key may appear only once.",
    )


def _merge_key() -> Text:
    return Text(
        "Sammanslagningsnyckeln '<<' stöds inte; skriv ut fälten.",
        "The merge key '<<' is not supported; write the fields out.",
    )


_TYPE_WORDS = {
    "tag:yaml.org,2002:int": Text("ett heltal", "a whole number"),
    "tag:yaml.org,2002:float": Text("ett tal", "a number"),
    "tag:yaml.org,2002:bool": Text("true eller false", "true or false"),
}


def _not_of_its_type(node: yaml.Node) -> tuple[Text, Text]:
    value = str(node.value)
    value = value if len(value) <= 40 else value[:39] + "…"
    if node.tag == "tag:yaml.org,2002:timestamp":
        return (
            Text(f"'{value}' är inget giltigt datum.", f"'{value}' is not a valid date."),
            Text(
                "Skriv datum som ÅÅÅÅ-MM-DD, med en månad och en dag som finns.",
                "Write dates as YYYY-MM-DD, with a month and a day that exist.",
            ),
        )
    kind = _TYPE_WORDS.get(node.tag, Text(node.tag, node.tag))
    return (
        Text(
            f"Värdet '{value}' går inte att läsa som {kind.sv}.",
            f"The value '{value}' cannot be read as {kind.en}.",
        ),
        Text(
            "Skriv värdet inom citattecken om det är en text.",
            "Put the value in quotes if it is a text.",
        ),
    )


def _control_character(character: str) -> Text:
    code = f"U+{ord(character):04X}"
    if not XML_INVALID.match(character):
        return Text(
            f"Texten innehåller ett styrtecken ({code}) som inte får stå i en YAML-fil.",
            f"The text contains a control character ({code}) that a YAML file may not contain.",
        )
    return Text(
        f"Texten innehåller ett styrtecken ({code}) som Word inte kan lagra.",
        f"The text contains a control character ({code}) that Word cannot store.",
    )


def _control_hint() -> Text:
    return Text(
        "Ta bort tecknet; det följer ofta med när text klistras in från Word eller Excel.",
        "Remove the character; it often comes along when text is pasted from Word or Excel.",
    )


def _too_deep(path: Path, node: yaml.Node, limit: int) -> Problem:
    mark = _mark(node)
    return Problem(
        Text(
            f"Strukturen är nästlad djupare än {limit} nivåer.",
            f"The structure is nested deeper than {limit} levels.",
        ),
        Location(path, mark.line, mark.column),
    )


def _alias_bomb(path: Path, node: yaml.Node) -> Problem:
    mark = _mark(node)
    return Problem(
        Text(
            "Filen använder för många YAML-alias (*namn) eller växer för mycket när de packas "
            "upp; läsningen avbröts för att skydda datorn.",
            "The file uses too many YAML aliases (*name) or grows too much when they are "
            "expanded; reading stopped to protect the machine.",
        ),
        Location(path, mark.line, mark.column),
        hint=Text(
            "Skriv ut innehållet i stället för att hänvisa till det med alias.",
            "Write the content out instead of referring to it with aliases.",
        ),
    )
