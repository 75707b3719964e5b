"""Reading typed fields out of YAML mappings, with a located problem for every mistake."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

from upphandla.errors import Location, Problem, ProblemList, Severity
from upphandla.library.expressions import ExpressionError, compile_expression
from upphandla.library.model import Expression
from upphandla.library.yamlsource import YamlDocument, YamlPath
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.text import Text

E = TypeVar("E", bound=Enum)

_TYPE_NAMES: dict[type, Text] = {
    str: Text("en text", "a text"),
    bool: Text("true eller false", "true or false"),
    int: Text("ett heltal", "a whole number"),
    float: Text("ett tal", "a number"),
    list: Text("en lista", "a list"),
    dict: Text("en samling fält (nyckel: värde)", "a mapping (key: value)"),
    datetime.date: Text("ett datum (ÅÅÅÅ-MM-DD)", "a date (YYYY-MM-DD)"),
}


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to ``word``, if one is close enough."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def suggestion_hint(word: str, candidates: Iterable[str]) -> Text | None:
    """A 'did you mean' hint, or a list of what is allowed when nothing is close."""
    options = sorted(set(candidates))
    match = did_you_mean(word, options)
    if match is not None:
        return Text(f"Menade du '{match}'?", f"Did you mean '{match}'?")
    if options and len(options) <= 12:
        listed = ", ".join(options)
        return Text(f"Tillåtna värden: {listed}.", f"Allowed values: {listed}.")
    return None


def describe_type(value: Any) -> Text:
    """A plain description of the type of ``value`` for messages."""
    if value is None:
        return Text("ett tomt värde", "an empty value")
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return Text(type(value).__name__, type(value).__name__)


_ROOT: Any = object()  # FieldReader's value not given: looked up from the document's root


class FieldReader:
    """Reads the fields of one YAML mapping, reporting problems instead of raising."""

    def __init__(
        self,
        document: YamlDocument,
        path: YamlPath,
        problems: list[Problem],
        limits: Limits = DEFAULT_LIMITS,
        value: Any = _ROOT,
    ) -> None:
        """A reader of the value at ``path`` (looked up in the document unless given)."""
        self.document = document
        self.path = path
        self.problems = problems
        self.limits = limits
        value = _at(document.data, path) if value is _ROOT else value
        self.value = value
        self.mapping: Mapping[str, Any] = value if isinstance(value, dict) else {}
        self.is_mapping = isinstance(value, dict)

    def location(self, key: str | None = None, *, of_key: bool = False) -> Location:
        """Where the mapping, or one of its fields, is."""
        path = self.path if key is None else (*self.path, key)
        return self.document.location(path, key=of_key)

    def problem(
        self,
        key: str | None,
        message: Text,
        hint: Text | None = None,
        severity: Severity = Severity.ERROR,
        *,
        of_key: bool = False,
    ) -> None:
        """Record a problem at ``key`` (or at the mapping itself)."""
        if isinstance(self.problems, ProblemList) and self.problems.full(severity):
            # Past the limit a problem is only counted: its position need not be looked up
            # (a crafted file of 450,000 mistakes spent a third of its time there).
            self.problems.omit(severity)
            return
        self.problems.append(Problem(message, self.location(key, of_key=of_key), severity, hint))

    def has(self, key: str) -> bool:
        """True when the mapping has ``key``."""
        return key in self.mapping

    def check_fields(self, allowed: Iterable[str], what: Text, hint: Text | None = None) -> None:
        """Report every field that is not in ``allowed``, with a did-you-mean hint."""
        known = _known_fields(allowed)
        for key in self.mapping:
            if key not in known:
                self.problem(
                    key,
                    Text(
                        f"Okänt fält '{key}' i {what.sv}.",
                        f"Unknown field '{key}' in {what.en}.",
                    ),
                    hint or suggestion_hint(key, known),
                    of_key=True,
                )

    def require(self, key: str) -> bool:
        """Report a missing required field; true when present."""
        if key in self.mapping and self.mapping[key] is not None:
            return True
        self.problem(
            None,
            Text(f"Fältet '{key}' saknas.", f"The field '{key}' is missing."),
        )
        return False

    def raw(self, key: str) -> Any:
        """The field's value as read, or None."""
        return self.mapping.get(key)

    def typed(self, key: str, kinds: tuple[type, ...], required: bool = False) -> Any:
        """The field's value when it has one of ``kinds``; report and return None otherwise."""
        if key not in self.mapping or self.mapping[key] is None:
            if required:
                self.require(key)
            return None
        value = self.mapping[key]
        if isinstance(value, bool) and bool not in kinds:
            value_ok = False
        else:
            value_ok = isinstance(value, kinds)
        if not value_ok:
            wanted = " / ".join(
                _TYPE_NAMES.get(kind, Text(kind.__name__, kind.__name__)).sv for kind in kinds
            )
            wanted_en = " / ".join(
                _TYPE_NAMES.get(kind, Text(kind.__name__, kind.__name__)).en for kind in kinds
            )
            found = describe_type(value)
            self.problem(
                key,
                Text(
                    f"Fältet '{key}' ska vara {wanted}, men är {found.sv}.",
                    f"The field '{key}' must be {wanted_en}, but is {found.en}.",
                ),
            )
            return None
        return value

    def string(
        self, key: str, required: bool = False, pattern: re.Pattern[str] | None = None
    ) -> str | None:
        """A text field; with ``pattern``, one that must match it."""
        value = self.typed(key, (str,), required)
        if value is None:
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.problem(
                key,
                Text(
                    f"'{value}' är inte ett giltigt värde för '{key}'.",
                    f"'{value}' is not a valid value for '{key}'.",
                ),
                Text(
                    "Använd små bokstäver a–z, siffror och understreck, och börja med en bokstav.",
                    "Use lower-case letters a–z, digits and underscores, starting with a letter.",
                )
                if key == "id"
                else None,
            )
            return None
        return str(value)

    def boolean(self, key: str, default: bool) -> bool:
        """A true/false field, with a hint when YAML 1.1 words like 'yes' are used."""
        value = self.mapping.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(
                key,
                Text(
                    f"Fältet '{key}' ska vara true eller false, men är '{value}'.",
                    f"The field '{key}' must be true or false, but is '{value}'.",
                ),
                Text(
                    "Skriv true eller false; ord som yes, no, on och off läses som text.",
                    "Write true or false; words like yes, no, on and off are read as text.",
                ),
            )
            return default
        return value

    def number(self, key: str) -> float | None:
        """A number field."""
        value = self.typed(key, (int, float))
        return float(value) if value is not None else None

    def enum(
        self, key: str, kind: type[E], required: bool = False, default: E | None = None
    ) -> E | None:
        """A field whose value must be one of an Enum's values."""
        value = self.typed(key, (str,), required)
        if value is None:
            return default
        try:
            return kind(value)
        except ValueError:
            allowed = [member.value for member in kind]
            self.problem(
                key,
                Text(
                    f"'{value}' är inte ett tillåtet värde för '{key}'.",
                    f"'{value}' is not an allowed value for '{key}'.",
                ),
                suggestion_hint(value, allowed),
            )
            return default

    def string_list(self, key: str) -> tuple[str, ...]:
        """A list of texts; a single text is taken as a list of one."""
        value = self.mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list):
            self.typed(key, (list,))
            return ()
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.problems.append(
                    Problem(
                        Text(
                            f"Posterna i '{key}' ska vara texter.",
                            f"The items of '{key}' must be texts.",
                        ),
                        self.document.location((*self.path, key, index)),
                    )
                )
                continue
            result.append(item)
        return tuple(result)

    def text(self, key: str, required: bool = False) -> Text:
        """A ``{sv: ..., en: ...}`` field; a missing Swedish text is an error, English a warning."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.require(key)
            return Text()
        if isinstance(value, str):
            self.problem(
                key,
                Text(
                    f"Fältet '{key}' ska ha en svensk och en engelsk text.",
                    f"The field '{key}' must have a Swedish and an English text.",
                ),
                Text(
                    f"Skriv till exempel:\n      {key}:\n        sv: ...\n        en: ...",
                    f"Write for example:\n      {key}:\n        sv: ...\n        en: ...",
                ),
            )
            return Text(value, "")
        if not isinstance(value, dict):
            self.typed(key, (dict,))
            return Text()
        if len(value) == 2 and type(value.get("sv")) is str and type(value.get("en")) is str:
            swedish, english = value["sv"].strip(), value["en"].strip()
            if swedish and english:  # the common, well-formed case: nothing to report
                return Text(swedish, english)
        sub = FieldReader(self.document, (*self.path, key), self.problems, self.limits)
        sub.check_fields(
            ("sv", "en"),
            Text(f"texten '{key}'", f"the text '{key}'"),
            Text(
                "En text har bara sv: och en:. Om texten innehåller kommatecken eller kolon inom "
                '{sv: ..., en: ...}, sätt den inom citattecken: {sv: "a, b", en: "a, b"}.',
                "A text has only sv: and en:. If the text holds a comma or colon inside "
                '{sv: ..., en: ...}, put it in quotes: {sv: "a, b", en: "a, b"}.',
            ),
        )
        swedish = sub.typed("sv", (str,)) or ""
        english = sub.typed("en", (str,)) or ""
        if not swedish.strip():
            self.problem(
                key,
                Text(f"Svensk text saknas i '{key}'.", f"The Swedish text is missing in '{key}'."),
            )
        if not english.strip():
            self.problem(
                key,
                Text(f"Engelsk text saknas i '{key}'.", f"The English text is missing in '{key}'."),
                severity=Severity.WARNING,
            )
        return Text(swedish.strip(), english.strip())

    def expression(self, key: str, required: bool = False) -> Expression | None:
        """A condition or value expression, compiled now so mistakes surface at load time."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.require(key)
            return None
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, str):
            self.typed(key, (str,))
            return None
        location = self.location(key)
        try:
            compiled = compile_expression(value, self.limits)
        except ExpressionError as error:
            self.problem(
                key,
                Text(
                    f"Villkoret '{_shorten(value)}' går inte att tolka: {error}.",
                    f"The condition '{_shorten(value)}' cannot be read: {error}.",
                ),
                Text(
                    "Villkor skrivs som Jinja-uttryck, till exempel: "
                    "affects_individuals and 'chatbot' in functions",
                    "Conditions are Jinja expressions, for example: "
                    "affects_individuals and 'chatbot' in functions",
                ),
            )
            return None
        return Expression(value, location, compiled.names, compiled)

    def sequence(self, key: str) -> list[Any]:
        """A list field (empty when missing or wrong)."""
        value = self.typed(key, (list,))
        return value if isinstance(value, list) else []

    def child(self, *path: str | int) -> FieldReader:
        """A reader for a nested mapping."""
        return FieldReader(
            self.document, (*self.path, *path), self.problems, self.limits, _at(self.value, path)
        )


_KNOWN_FIELDS: dict[tuple[str, ...], frozenset[str]] = {}


def _known_fields(allowed: Iterable[str]) -> frozenset[str] | set[str]:
    """``allowed`` as a set; the item kinds' field tuples (a few dozen) made into one once."""
    if not isinstance(allowed, tuple):
        return set(allowed)
    known = _KNOWN_FIELDS.get(allowed)
    if known is None:
        known = frozenset(allowed)
        if len(_KNOWN_FIELDS) < 256:
            _KNOWN_FIELDS[allowed] = known
    return known


def _at(data: Any, path: YamlPath) -> Any:
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and step < len(data):
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def _shorten(text: str, most: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"
