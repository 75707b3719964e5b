"""The small markup language that document templates produce, parsed into blocks.

One construct per line, so templates stay readable and output is easy to diff:

- ``# Title``, ``## Section``, ``### Subsection``: headings (levels 1 to 3);
- ``::: title Text``, ``::: subtitle Text``, ``::: small Text``, ``::: label Text``: styled paragraphs;
- ``::: toc`` (table of contents), ``::: pagebreak``;
- ``::: landscape`` and ``::: portrait``: a new section, on a new page, in that orientation;
- ``- item`` and ``1. item``: bullet and numbered lists (consecutive lines form one list);
- ``| a | b |`` lines: a table; the first row is the header; a ``|---|`` line is ignored; an
  optional ``::: table widths=1,3 tag=NAME rows=whole`` line just before sets column widths, a tag
  and rows that are never split across pages; in a
  cell, ``<br>`` separates paragraphs and a leading ``• `` makes a bullet item; ``\\|`` is a pipe;
- other lines: paragraph text; consecutive lines join into one paragraph; a blank line ends it;
- inline: ``**bold**``, ``*italic*``, and answer fields ``[[svar TAG]]`` (free text),
  ``[[val TAG: Ja / Nej]]`` (drop-down) and ``[[kryss TAG]]`` (checkbox);
- a backslash at the start of a line makes the line plain text; inside a line, ``\\*``,
  ``\\[``, ``\\<`` and ``\\\\`` are a plain ``*``, ``[``, ``<`` and backslash (supplier text in the
  evaluation report is escaped this way, so it is never formatting).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from upphandla.documents.blocks import (
    AnswerField,
    Block,
    BulletList,
    Cell,
    FieldKind,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Run,
    SectionBreak,
    Table,
    TableOfContents,
)
from upphandla.documents.form import TAG_CHARACTERS
from upphandla.errors import InputError, Location
from upphandla.text import Text

_FIELD = re.compile(rf"\[\[(svar|val|kryss) ({TAG_CHARACTERS})(?:: ([^\]]*))?\]\]")
_EMPHASIS = re.compile(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*|(?<!\\)\*(.+?)(?<!\\)\*")
_NUMBERED = re.compile(r"\d+\. ")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_STYLES = frozenset({"title", "subtitle", "small", "label"})
_SEPARATOR_ROW = re.compile(r"\|[\s:\-|]+\|?")
_HEADING = re.compile(r"(#{1,3}) (.+)")
_ESCAPED = re.compile(r"\\([#\-|:\\0-9*\[<])")
_CELL_BREAK = re.compile(r"(?<!\\)<br>")


class MarkupError(InputError):
    """A line the parser cannot use; ``line`` is 1-based in the template output.

    The parser does not know the template's name: the caller that does gives it to ``problem``
    (``tender.render_kinds`` words its own message around ``message``).
    """

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}", Location(line=line))
        self.line = line
        self.message = message

    def bilingual(self) -> Text:
        """The parser's message, without the line (the location has it)."""
        return Text(self.message, self.message)


@dataclass
class _TableStart:
    widths: tuple[float, ...] = ()
    tag: str = ""
    whole_rows: bool = False


def parse_markup(
    text: str, placeholders: Mapping[FieldKind, str] | None = None
) -> tuple[Block, ...]:
    """Parse template output into blocks; raise ``MarkupError`` for a malformed directive."""
    parser = _Parser(placeholders or {})
    for number, line in enumerate(text.split("\n"), start=1):
        parser.feed(line.rstrip("\r"), number)
    parser.flush()
    return tuple(parser.blocks)


class _Parser:
    def __init__(self, placeholders: Mapping[FieldKind, str]) -> None:
        self.placeholders = placeholders
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.items: list[tuple[Inline, ...]] = []
        self.ordered = False
        self.rows: list[list[str]] = []
        self.table_start: _TableStart | None = None
        # Cells by their text: a template writes the same labels and fields in every table,
        # and a cell, like every block, is immutable, so one parse serves them all.
        self.cells: dict[str, Cell] = {}

    def feed(self, line: str, number: int) -> None:
        stripped = line.strip()
        if stripped.startswith("|") and not line.startswith("\\"):
            self._flush_paragraph()
            self._flush_list()
            if not _SEPARATOR_ROW.fullmatch(stripped):
                self.rows.append(_split_row(stripped))
            return
        # The flushes below are the same as before, done only when there is something to end
        # (most lines are blank or paragraph text).
        if self.rows or self.table_start is not None:
            self._flush_table()
        if not stripped:
            if self.paragraph:
                self._flush_paragraph()
            if self.items:
                self._flush_list()
            return
        first = stripped[0]
        if first == "\\":
            if self.items:
                self._flush_list()
            self.paragraph.append(stripped if _ESCAPED.match(stripped) else stripped[1:])
            return
        if stripped.startswith(":::"):
            self.flush()
            self._directive(stripped[3:].strip(), number)
            return
        heading = _HEADING.match(stripped) if first == "#" else None
        if heading:
            self.flush()
            self.blocks.append(Heading(_plain(heading.group(2)), len(heading.group(1))))
            return
        if stripped.startswith("- ") or (first.isdigit() and _NUMBERED.match(stripped)):
            self._flush_paragraph()
            ordered = not stripped.startswith("- ")
            if self.items and ordered != self.ordered:
                self._flush_list()
            self.ordered = ordered
            content = stripped[2:] if not ordered else _NUMBERED.sub("", stripped, count=1)
            self.items.append(self.inlines(content))
            return
        if self.items:
            self._flush_list()
        self.paragraph.append(stripped)

    def _directive(self, directive: str, number: int) -> None:
        name, _, rest = directive.partition(" ")
        if name == "toc":
            depth = int(rest) if rest.strip().isdigit() else 2
            self.blocks.append(TableOfContents(depth))
        elif name == "pagebreak":
            self.blocks.append(PageBreak())
        elif name in ("landscape", "portrait"):
            self.blocks.append(SectionBreak("landscape" if name == "landscape" else "portrait"))
        elif name in _STYLES:
            self.blocks.append(Paragraph(self.inlines(rest.strip()), name))
        elif name == "table":
            self.table_start = _parse_table_options(rest, number)
        else:
            raise MarkupError(number, f"unknown directive '::: {name}'")

    def inlines(self, text: str) -> tuple[Inline, ...]:
        if "[[" not in text:
            return tuple(_emphasis(text))
        result: list[Inline] = []
        position = 0
        for match in _FIELD.finditer(text):
            result.extend(_emphasis(text[position : match.start()]))
            result.append(self._field(match))
            position = match.end()
        result.extend(_emphasis(text[position:]))
        return tuple(result)

    def _field(self, match: re.Match[str]) -> AnswerField:
        kind, tag, extra = match.group(1), match.group(2), match.group(3)
        if kind == "val":
            choices = tuple(choice.strip() for choice in (extra or "").split("/") if choice.strip())
            return AnswerField(tag, "choice", choices, self.placeholders.get("choice", ""))
        if kind == "kryss":
            return AnswerField(tag, "checkbox")
        return AnswerField(
            tag, "text", (), (extra or "").strip() or self.placeholders.get("text", "")
        )

    def flush(self) -> None:
        self._flush_paragraph()
        self._flush_list()
        self._flush_table()

    def _flush_paragraph(self) -> None:
        if self.paragraph:
            self.blocks.append(Paragraph(self.inlines(" ".join(self.paragraph))))
            self.paragraph = []

    def _flush_list(self) -> None:
        if self.items:
            self.blocks.append(BulletList(tuple(self.items), self.ordered))
            self.items = []

    def _flush_table(self) -> None:
        if not self.rows:
            self.table_start = None
            return
        start = self.table_start or _TableStart()
        header = tuple(_plain(cell) for cell in self.rows[0])
        rows = tuple(tuple(self._known_cell(cell) for cell in row) for row in self.rows[1:])
        self.blocks.append(Table(header, rows, start.widths, start.tag, start.whole_rows))
        self.rows = []
        self.table_start = None

    def _known_cell(self, text: str) -> Cell:
        known = self.cells.get(text)
        return known if known is not None else self._cell(text)

    def _cell(self, text: str) -> Cell:
        cell = self.cells[text] = Cell(self._cell_parts(text))
        return cell

    def _cell_parts(self, text: str) -> tuple[Paragraph | BulletList, ...]:
        parts: list[Paragraph | BulletList] = []
        for piece in _cell_pieces(text):
            piece = piece.strip()
            if not piece:
                continue
            if piece.startswith("• "):
                item = self.inlines(piece[2:])
                if parts and isinstance(parts[-1], BulletList):
                    parts[-1] = BulletList((*parts[-1].items, item))
                else:
                    parts.append(BulletList((item,)))
            else:
                parts.append(Paragraph(self.inlines(piece)))
        return tuple(parts)


def _cell_pieces(text: str) -> list[str]:
    """The paragraphs of a cell's text: split at each ``<br>`` that is not escaped."""
    if "<br>" not in text:
        return [text]
    if "\\" not in text:
        return text.split("<br>")
    return _CELL_BREAK.split(text)


def _split_row(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    if "\\" not in inner:  # no escaped pipe: every pipe separates cells
        return [cell.strip() for cell in inner.split("|")]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(inner)]


def _parse_table_options(text: str, number: int) -> _TableStart:
    start = _TableStart()
    for option in text.split():
        key, _, value = option.partition("=")
        if key == "widths":
            try:
                start.widths = tuple(float(part) for part in value.split(","))
            except ValueError:
                raise MarkupError(number, f"widths must be numbers, not '{value}'") from None
        elif key == "tag":
            start.tag = value
        elif key == "rows" and value == "whole":
            start.whole_rows = True
        else:
            raise MarkupError(number, f"unknown table option '{key}'")
    return start


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text


def _emphasis(text: str) -> list[Run]:
    if "*" not in text:
        return [Run(_unescape(text))] if text else []
    runs: list[Run] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            runs.append(Run(_unescape(text[position : match.start()])))
        if match.group(1) is not None:
            runs.append(Run(_unescape(match.group(1)), bold=True))
        else:
            runs.append(Run(_unescape(match.group(2)), italic=True))
        position = match.end()
    if position < len(text):
        runs.append(Run(_unescape(text[position:])))
    return runs


def _plain(text: str) -> str:
    if "*" in text:
        text = _EMPHASIS.sub(lambda match: match.group(1) or match.group(2), text)
    return _unescape(text).strip()
