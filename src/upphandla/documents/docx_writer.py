"""Write a ``Document`` of blocks as a Word file on top of the organisation's reference document.

The reference document (``templates/reference.docx``, see ``make_reference``) gives the styles,
page setup, numbering definitions, header and footer. Its body is replaced by the blocks.

Design notes:

* Speed and memory: the body is written as XML text, block by block, into encoded chunks, and
  streamed into the zip file; python-docx only handles the small parts (styles, numbering,
  settings, header, footer, properties). Nothing is quadratic: no ``table.cell()``, no
  ``add_paragraph`` scans, no whole-tree rebuilds. 10,000 requirement-sized units take a few
  seconds.
* Styles are looked up by *name* (case-insensitively), because Word localises style ids: a
  Swedish Word saves "heading 1" with the id ``Rubrik1``.
* Answer fields are content controls (``w:sdt``) tagged with the field tag and wrapped in the
  bookmark ``form.bookmark_name(tag)``, so that ``evaluation.form_reader.read_answer_fields``
  finds them again, whatever the supplier did around them. Tags, bookmark names and prompts
  are the response form contract's (``documents/form.py``).
* Text is checked for characters XML cannot hold; ``UnsafeTextError`` names where it was.
* python-docx is used through its public API; what the writer needs from below it (the
  numbering, header and footer parts, package-level parts, the main part's name) is in
  ``docx_package``, which has a test per python-docx internal it touches.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from upphandla.documents import docx_package
from upphandla.documents.blocks import (
    AnswerField,
    BulletList,
    Cell,
    Document,
    DocumentProperties,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableOfContents,
)
from upphandla.documents.form import WRITER_PROMPTS, bookmark_name
from upphandla.errors import InputError, Location
from upphandla.text import Text

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PROPERTIES_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPERTIES_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_W = f"{{{W_NS}}}"

# Every style the writer uses: (name, type). Names are Word's internal (English) names.
REQUIRED_STYLES: tuple[tuple[str, str], ...] = (
    ("Normal", "paragraph"),
    ("Title", "paragraph"),
    ("Subtitle", "paragraph"),
    ("heading 1", "paragraph"),
    ("heading 2", "paragraph"),
    ("heading 3", "paragraph"),
    ("List Bullet", "paragraph"),
    ("List Number", "paragraph"),
    ("Upphandla Liten", "paragraph"),
    ("Upphandla Tabelltext", "paragraph"),
    ("Upphandla Tabellrubrik", "paragraph"),
    ("Upphandla Tabellpunkt", "paragraph"),
    ("Upphandla Tabellnummer", "paragraph"),
    ("header", "paragraph"),
    ("footer", "paragraph"),
    ("Placeholder Text", "character"),
    ("Upphandla Tabell", "table"),
)

# XML 1.0 cannot hold C0 controls other than tab, newline and carriage return, lone surrogates,
# or U+FFFE/U+FFFF. lxml (and so python-docx) raises ValueError on them.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("[\t\n\r]")

_DEFAULT_TEXT_WIDTH = 9072  # A4 with 2.5 cm margins, in twips
_FLUSH_AT = 4096  # fragments collected before they are joined and encoded


class UnsafeTextError(InputError):
    """Text holds a character that a Word document cannot store (a control character).

    Callers sanitise text before rendering; this is the safety net. ``location_hint`` says
    where the text was (block number, nearest heading, table cell or property); the caller
    that knows which document it was gives the file to ``problem``. It is still a
    ``ValueError`` too, what lxml raises for the same text (``test_docx_writer`` pins that).
    """

    def __init__(self, location_hint: str, text: str = "", character: str = "") -> None:
        self.location_hint = location_hint
        self.text = text
        self.character = character
        code = f"U+{ord(character):04X} " if character else ""
        self._snippet = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(
            f"{location_hint}: the text {self._snippet!r} contains a control character {code}"
            "that cannot be stored in a Word document"
        )

    def bilingual(self) -> Text:
        """The message in Swedish and English."""
        code = f"U+{ord(self.character):04X} " if self.character else ""
        return Text(
            f"{self.location_hint}: texten {self._snippet!r} innehåller ett styrtecken {code}"
            "som inte kan lagras i ett Word-dokument",
            str(self),
        )


class ReferenceDocumentError(InputError):
    """The reference document cannot be used: not a .docx, or required styles are missing.

    ``location`` names the reference document when the raiser knows it.
    """

    def __init__(
        self, message: str, missing_styles: Sequence[str] = (), path: Path | None = None
    ) -> None:
        self.missing_styles = tuple(missing_styles)
        super().__init__(message, Location(path) if path is not None else None)


# ---------------------------------------------------------------------------------------------
# Small XML text helpers


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _unsafe_character(text: str) -> str | None:
    match = _UNSAFE.search(text)
    return match.group(0) if match else None


def _check_text(text: str, where: Callable[[], str]) -> str:
    """Return ``text``, or raise ``UnsafeTextError`` when XML cannot hold it."""
    bad = _unsafe_character(text)
    if bad is not None:
        raise UnsafeTextError(where(), text, bad)
    return text


# ---------------------------------------------------------------------------------------------
# Styles and numbering of the reference document


@dataclass(frozen=True, slots=True)
class _StyleInfo:
    style_id: str
    type: str
    element: Any


def _style_index(styles_element: Any) -> dict[str, _StyleInfo]:
    """Styles by lower-cased name (and by lower-cased id, for files with odd names)."""
    index: dict[str, _StyleInfo] = {}
    by_id: dict[str, _StyleInfo] = {}
    for style in styles_element.iterchildren(f"{_W}style"):
        style_id = style.get(f"{_W}styleId") or ""
        kind = style.get(f"{_W}type") or "paragraph"
        name_el = style.find(f"{_W}name")
        name = name_el.get(f"{_W}val") if name_el is not None else style_id
        info = _StyleInfo(style_id, kind, style)
        index.setdefault((name or style_id).lower(), info)
        by_id.setdefault(style_id.lower(), info)
    for key, info in by_id.items():
        index.setdefault(key, info)
    return index


def _missing_styles(index: dict[str, _StyleInfo]) -> list[str]:
    missing = []
    for name, kind in REQUIRED_STYLES:
        info = index.get(name.lower())
        if info is None or info.type != kind:
            missing.append(name)
    return missing


def check_reference_document(reference: Path) -> list[str]:
    """Names of the required styles that the reference document lacks (empty when usable).

    Args:
        reference: Path of the reference .docx.

    Raises:
        ReferenceDocumentError: The file cannot be opened as a Word document.
    """
    import docx

    try:
        source = docx.Document(str(reference))
    except Exception as error:  # python-docx raises several unrelated types
        raise ReferenceDocumentError(
            f"{reference}: not a usable Word document ({error})", path=reference
        ) from error
    return _missing_styles(_style_index(source.styles.element))


class _Numbering:
    """Numbering for the list styles; gives each numbered list its own ``w:num`` (restart at 1)."""

    def __init__(self, numbering_element: Any, styles: dict[str, _StyleInfo]) -> None:
        self._element = numbering_element
        self._nums: dict[int, int] = {}  # numId -> abstractNumId
        for num in numbering_element.iterchildren(f"{_W}num"):
            abstract = num.find(f"{_W}abstractNumId")
            if abstract is not None:
                self._nums[int(num.get(f"{_W}numId"))] = int(abstract.get(f"{_W}val"))
        self._abstract_ids = {
            int(a.get(f"{_W}abstractNumId"))
            for a in numbering_element.iterchildren(f"{_W}abstractNum")
        }
        self._next_num = max(self._nums, default=0) + 1
        self._new: list[str] = []
        self.style_num: dict[str, int] = {}
        for name, ordered in (
            ("List Bullet", False),
            ("List Number", True),
            ("Upphandla Tabellpunkt", False),
            ("Upphandla Tabellnummer", True),
        ):
            info = styles.get(name.lower())
            num_id = self._style_num_id(info, styles) if info is not None else None
            if num_id is None or num_id not in self._nums:
                num_id = self._add_fallback(ordered)
            self.style_num[name] = num_id

    @staticmethod
    def _style_num_id(info: _StyleInfo, styles: dict[str, _StyleInfo]) -> int | None:
        """The numId a paragraph style carries, following ``basedOn`` a few steps."""
        seen: set[str] = set()
        current: _StyleInfo | None = info
        while current is not None and current.style_id not in seen:
            seen.add(current.style_id)
            num_id = current.element.find(f"{_W}pPr/{_W}numPr/{_W}numId")
            if num_id is not None:
                value = int(num_id.get(f"{_W}val"))
                return value if value > 0 else None
            based = current.element.find(f"{_W}basedOn")
            current = (
                styles.get((based.get(f"{_W}val") or "").lower()) if based is not None else None
            )
        return None

    def _add_fallback(self, ordered: bool) -> int:
        """Add an abstract numbering and a ``w:num`` for a list style that has none."""
        abstract_id = max(self._abstract_ids, default=0) + 1
        self._abstract_ids.add(abstract_id)
        if ordered:
            kind = '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        else:
            kind = '<w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>'
        abstract = etree.fromstring(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/>{kind}<w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="567" w:hanging="284"/></w:pPr></w:lvl></w:abstractNum>'
        )
        first_num = self._element.find(f"{_W}num")
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._element.append(abstract)
        num_id = self._next_num
        self._next_num += 1
        self._nums[num_id] = abstract_id
        self._new.append(
            f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            "</w:num>"
        )
        return num_id

    def restarted(self, style_name: str) -> int:
        """A new numId for one numbered list of ``style_name``, starting again at 1."""
        abstract_id = self._nums[self.style_num[style_name]]
        num_id = self._next_num
        self._next_num += 1
        self._new.append(
            f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
        return num_id

    def finish(self) -> None:
        """Write the new ``w:num`` elements into the numbering part, in schema order."""
        if not self._new:
            return
        anchor = self._element.find(f"{_W}numIdMacAtCleanup")
        fragment = etree.fromstring(
            f'<w:numbering xmlns:w="{W_NS}">' + "".join(self._new) + "</w:numbering>"
        )
        for num in list(fragment):
            if anchor is not None:
                anchor.addprevious(num)
            else:
                self._element.append(num)


# ---------------------------------------------------------------------------------------------
# The body writer


@dataclass(frozen=True, slots=True)
class _Styles:
    normal: str
    title: str
    subtitle: str
    headings: tuple[str, str, str]
    list_bullet: str
    list_number: str
    small: str
    cell: str
    cell_header: str
    cell_bullet: str
    cell_number: str
    placeholder: str
    table: str
    toc: tuple[str, str, str] = ("", "", "")


@dataclass(frozen=True, slots=True)
class _Words:
    answer: str
    text_prompt: str
    choice_prompt: str
    toc_prompt: str


_SWEDISH = _Words(
    answer="Svar",
    text_prompt=WRITER_PROMPTS["sv"]["text"],
    choice_prompt=WRITER_PROMPTS["sv"]["choice"],
    toc_prompt="Högerklicka och välj Uppdatera fält för att visa innehållsförteckningen.",
)
_ENGLISH = _Words(
    answer="Answer",
    text_prompt=WRITER_PROMPTS["en"]["text"],
    choice_prompt=WRITER_PROMPTS["en"]["choice"],
    toc_prompt="Right-click and choose Update Field to show the table of contents.",
)

_BOLD = "<w:b/><w:bCs/>"
_ITALIC = "<w:i/><w:iCs/>"
_CHECKBOX_FONT = "MS Gothic"
_UNCHECKED = "\u2610"


class _BodyWriter:
    """Turns blocks into body XML text, collected as encoded chunks."""

    def __init__(
        self,
        styles: _Styles,
        numbering: _Numbering,
        words: _Words,
        text_width: int,
        protect: bool,
    ) -> None:
        self.styles = styles
        self.numbering = numbering
        self.words = words
        self.text_width = text_width
        self.protect = protect
        self.chunks: list[bytes] = []
        self._out: list[str] = []
        self._sdt_id = 1000
        self._range_id = 0
        self._page_break = False
        self._after_table = False
        self._block = 0
        self._heading = ""
        self._place = ""

    # -- locations for error messages -----------------------------------------------------

    def where(self) -> str:
        """A human-readable description of the block being written."""
        text = f"block {self._block + 1}"
        if self._heading:
            text += f" (after heading {self._heading!r})"
        if self._place:
            text += f", {self._place}"
        return text

    def _text(self, text: str) -> str:
        if _UNSAFE.search(text) is not None:
            _check_text(text, self.where)
        return _escape(text)

    def _attr_text(self, text: str) -> str:
        if _UNSAFE.search(text) is not None:
            _check_text(text, self.where)
        return _attr(text)

    # -- output ----------------------------------------------------------------------------

    def _flush(self) -> None:
        if self._out:
            self.chunks.append("".join(self._out).encode("utf-8"))
            self._out = []

    def write(self, blocks: Iterable[object]) -> None:
        """Write every block, in order."""
        blocks = tuple(blocks)
        self._toc_headings = tuple(block for block in blocks if isinstance(block, Heading))
        out = self._out
        for index, block in enumerate(blocks):
            self._block = index
            self._place = ""
            if isinstance(block, Table):
                if self._after_table:
                    # Two tables in a row would merge into one in Word; keep them apart.
                    self._separator()
                self._after_table = True
            elif not isinstance(block, PageBreak):
                self._after_table = False
            if isinstance(block, Paragraph):
                self._paragraph(block, in_cell=False)
            elif isinstance(block, Heading):
                self._heading_block(block)
            elif isinstance(block, BulletList):
                self._list(block, in_cell=False)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, PageBreak):
                self._page_break = True
            elif isinstance(block, TableOfContents):
                self._toc(block)
            else:
                raise TypeError(f"block {index + 1}: not a block: {type(block).__name__}")
            out = self._out
            if len(out) >= _FLUSH_AT:
                self._flush()
        if self._after_table:
            self._separator()  # the body should end with a paragraph, not a table
        self._flush()

    def _separator(self) -> None:
        self._out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.styles.small}"/></w:pPr></w:p>')

    def _ppr(self, style_id: str, num_id: int = 0) -> str:
        """A paragraph's properties: style, a pending page break, list numbering."""
        extra = ""
        if self._page_break:
            extra = "<w:pageBreakBefore/>"
            self._page_break = False
        if num_id:
            extra += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        return f'<w:pPr><w:pStyle w:val="{style_id}"/>{extra}</w:pPr>'

    # -- inline content --------------------------------------------------------------------

    def _run(self, run: Run, force_bold: bool = False) -> str:
        text = run.text
        if not text:
            return ""
        rpr = ""
        if run.bold or force_bold:
            rpr += _BOLD
        if run.italic:
            rpr += _ITALIC
        start = f"<w:r><w:rPr>{rpr}</w:rPr>" if rpr else "<w:r>"
        if _SPECIAL.search(text) is None:
            return f'{start}<w:t xml:space="preserve">{self._text(text)}</w:t></w:r>'
        pieces = []
        for piece in re.split("(\r\n|[\t\n\r])", text):
            if piece == "\t":
                pieces.append("<w:tab/>")
            elif piece in ("\n", "\r", "\r\n"):
                pieces.append("<w:br/>")
            elif piece:
                pieces.append(f'<w:t xml:space="preserve">{self._text(piece)}</w:t>')
        return start + "".join(pieces) + "</w:r>"

    def _inlines(self, content: Sequence[Inline], force_bold: bool = False) -> str:
        parts = []
        for item in content:
            if isinstance(item, Run):
                parts.append(self._run(item, force_bold))
            else:
                parts.append(self._inline_field(item))
        return "".join(parts)

    def _sdt_properties(self, field: AnswerField, kind_xml: str, placeholder: bool) -> str:
        self._sdt_id += 1
        tag = self._attr_text(field.tag)
        alias = f"{self.words.answer} {tag}"
        shown = "<w:showingPlcHdr/>" if placeholder else ""
        return (
            f'<w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/>'
            f'<w:id w:val="{self._sdt_id}"/><w:lock w:val="sdtLocked"/>{shown}{kind_xml}'
            "</w:sdtPr>"
        )

    def _placeholder_run(self, field: AnswerField, default: str) -> str:
        text = field.placeholder or default
        return (
            f'<w:r><w:rPr><w:rStyle w:val="{self.styles.placeholder}"/></w:rPr>'
            f'<w:t xml:space="preserve">{self._text(text)}</w:t></w:r>'
        )

    def _wrap(self, field: AnswerField, inner: str) -> str:
        """Surround an answer field with its bookmark and, in protected documents, a permission.

        The bookmark (``bookmark_name(tag)``) is a second way to find the field: LibreOffice 7.4
        drops ``w:tag`` when it saves a .docx but keeps bookmarks.
        """
        self._range_id += 1
        range_id = self._range_id
        name = bookmark_name(field.tag)
        if name:
            inner = (
                f'<w:bookmarkStart w:id="{range_id}" w:name="{name}"/>{inner}'
                f'<w:bookmarkEnd w:id="{range_id}"/>'
            )
        if self.protect:
            inner = (
                f'<w:permStart w:id="{range_id}" w:edGrp="everyone"/>{inner}'
                f'<w:permEnd w:id="{range_id}"/>'
            )
        return inner

    def _inline_field(self, field: AnswerField) -> str:
        """A run-level content control inside a paragraph."""
        if field.kind == "checkbox":
            kind = (
                '<w14:checkbox><w14:checked w14:val="0"/>'
                f'<w14:checkedState w14:val="2612" w14:font="{_CHECKBOX_FONT}"/>'
                f'<w14:uncheckedState w14:val="2610" w14:font="{_CHECKBOX_FONT}"/></w14:checkbox>'
            )
            content = (
                f'<w:r><w:rPr><w:rFonts w:ascii="{_CHECKBOX_FONT}" w:eastAsia="{_CHECKBOX_FONT}" '
                f'w:hAnsi="{_CHECKBOX_FONT}" w:hint="eastAsia"/></w:rPr>'
                f"<w:t>{_UNCHECKED}</w:t></w:r>"
            )
            xml = (
                f"<w:sdt>{self._sdt_properties(field, kind, False)}"
                f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
            )
            return self._wrap(field, xml)
        if field.kind == "choice":
            items = "".join(
                f'<w:listItem w:displayText="{self._attr_text(choice)}" '
                f'w:value="{self._attr_text(choice)}"/>'
                for choice in field.choices
            )
            kind = f"<w:dropDownList>{items}</w:dropDownList>"
            prompt = self._placeholder_run(field, self.words.choice_prompt)
        else:
            kind = '<w:text w:multiLine="1"/>'
            prompt = self._placeholder_run(field, self.words.text_prompt)
        xml = (
            f"<w:sdt>{self._sdt_properties(field, kind, True)}"
            f"<w:sdtContent>{prompt}</w:sdtContent></w:sdt>"
        )
        return self._wrap(field, xml)

    def _block_field(self, field: AnswerField, style_id: str) -> str:
        """A block-level rich-text content control holding one paragraph (several allowed)."""
        prompt = self._placeholder_run(field, self.words.text_prompt)
        xml = (
            f"<w:sdt>{self._sdt_properties(field, '', True)}<w:sdtContent>"
            f"<w:p>{self._ppr(style_id)}{prompt}</w:p></w:sdtContent></w:sdt>"
        )
        return self._wrap(field, xml)

    # -- blocks ----------------------------------------------------------------------------

    def _paragraph_style(self, role: str, in_cell: bool) -> str:
        styles = self.styles
        if role == "title":
            return styles.title
        if role == "subtitle":
            return styles.subtitle
        if role == "small":
            return styles.small
        return styles.cell if in_cell else styles.normal

    def _paragraph_xml(self, paragraph: Paragraph, in_cell: bool) -> str:
        style_id = self._paragraph_style(paragraph.style, in_cell)
        content = paragraph.content
        if len(content) == 1 and isinstance(content[0], AnswerField) and content[0].kind == "text":
            return self._block_field(content[0], style_id)
        runs = self._inlines(content, force_bold=paragraph.style == "label")
        return f"<w:p>{self._ppr(style_id)}{runs}</w:p>"

    def _paragraph(self, paragraph: Paragraph, in_cell: bool) -> None:
        self._out.append(self._paragraph_xml(paragraph, in_cell))

    def _heading_block(self, heading: Heading) -> None:
        level = min(max(heading.level, 1), 3)
        style_id = self.styles.headings[level - 1]
        text = self._text(heading.text)
        self._heading = heading.text[:60]
        self._out.append(
            f'<w:p>{self._ppr(style_id)}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        )

    def _list_xml(self, items: BulletList, in_cell: bool) -> str:
        if in_cell:
            style_name = "Upphandla Tabellnummer" if items.ordered else "Upphandla Tabellpunkt"
            style_id = self.styles.cell_number if items.ordered else self.styles.cell_bullet
        else:
            style_name = "List Number" if items.ordered else "List Bullet"
            style_id = self.styles.list_number if items.ordered else self.styles.list_bullet
        if items.ordered:
            num_id = self.numbering.restarted(style_name)
        else:
            num_id = self.numbering.style_num[style_name]
        return "".join(
            f"<w:p>{self._ppr(style_id, num_id)}{self._inlines(item)}</w:p>" for item in items.items
        )

    def _list(self, items: BulletList, in_cell: bool) -> None:
        self._out.append(self._list_xml(items, in_cell))

    def _toc(self, toc: TableOfContents) -> None:
        """A TOC field whose cached result already lists the headings (without page numbers),
        so a reader that does not update fields still sees the contents; Word fills in the page
        numbers when it updates the field."""
        depth = min(max(toc.depth, 1), 9)
        entries = [
            heading for heading in getattr(self, "_toc_headings", ()) if heading.level <= depth
        ]
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{depth}" \\h \\z \\u </w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not entries:
            prompt = self._text(self.words.toc_prompt)
            self._out.append(
                f"<w:p>{self._ppr(self.styles.normal)}{begin}"
                f'<w:r><w:rPr><w:i/><w:color w:val="808080"/></w:rPr><w:t>{prompt}</w:t></w:r>'
                f"{end}</w:p>"
            )
            return
        for number, heading in enumerate(entries):
            style_id = self.styles.toc[min(heading.level, 3) - 1] or self.styles.normal
            text = self._text(heading.text)
            run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
            first = begin if number == 0 else ""
            last = end if number == len(entries) - 1 else ""
            self._out.append(f"<w:p>{self._ppr(style_id)}{first}{run}{last}</w:p>")

    def _column_widths(self, table: Table, columns: int) -> list[int]:
        weights = list(table.widths)
        if len(weights) != columns or any(w <= 0 for w in weights):
            weights = [1.0] * columns
        total = sum(weights)
        widths = [int(self.text_width * w / total) for w in weights]
        widths[-1] += self.text_width - sum(widths)
        return widths

    def _cell_xml(self, cell: Cell, width: int) -> str:
        parts = [f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>']
        has_paragraph = False
        for item in cell.paragraphs:
            if isinstance(item, BulletList):
                if item.items:
                    parts.append(self._list_xml(item, in_cell=True))
                    has_paragraph = True
            else:
                parts.append(self._paragraph_xml(item, in_cell=True))
                has_paragraph = True
        if not has_paragraph:
            parts.append(f'<w:p><w:pPr><w:pStyle w:val="{self.styles.cell}"/></w:pPr></w:p>')
        parts.append("</w:tc>")
        return "".join(parts)

    def _table(self, table: Table) -> None:
        columns = max([len(table.header)] + [len(row) for row in table.rows])
        if columns == 0:
            return
        out = self._out
        if self._page_break:
            out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            self._page_break = False
        widths = self._column_widths(table, columns)
        caption = f'<w:tblCaption w:val="{self._attr_text(table.tag)}"/>' if table.tag else ""
        first_row = "1" if table.header else "0"
        look = "0620" if table.header else "0600"
        out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles.table}"/>'
            f'<w:tblW w:w="{self.text_width}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblLook w:val="{look}" w:firstRow="{first_row}" w:lastRow="0" '
            'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            f"{caption}</w:tblPr><w:tblGrid>"
            + "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
            + "</w:tblGrid>"
        )
        label = f"table {table.tag!r}" if table.tag else "table"
        if table.header:
            self._place = f"{label}, header row"
            cells = []
            for column, width in enumerate(widths):
                text = table.header[column] if column < len(table.header) else ""
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                    f'<w:p><w:pPr><w:pStyle w:val="{self.styles.cell_header}"/></w:pPr>'
                    + (
                        f'<w:r><w:t xml:space="preserve">{self._text(text)}</w:t></w:r>'
                        if text
                        else ""
                    )
                    + "</w:p></w:tc>"
                )
            out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" + "".join(cells) + "</w:tr>")
        empty = Cell()
        for row_number, row in enumerate(table.rows, start=1):
            cells = []
            for column, width in enumerate(widths):
                self._place = f"{label}, row {row_number}, column {column + 1}"
                cell = row[column] if column < len(row) else empty
                cells.append(self._cell_xml(cell, width))
            out.append("<w:tr>" + "".join(cells) + "</w:tr>")
        out.append("</w:tbl>")
        self._place = ""


# ---------------------------------------------------------------------------------------------
# Parts other than the body


def _insert_in_order(parent: Any, element: Any, successors: Sequence[str]) -> None:
    """Insert ``element`` before the first child named in ``successors`` (schema order)."""
    names = {f"{_W}{name}" for name in successors}
    for child in parent:
        if child.tag in names:
            child.addprevious(element)
            return
    parent.append(element)


# Elements of w:settings that come after w:documentProtection / w:updateFields in the schema.
_AFTER_PROTECTION = (
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)
_AFTER_UPDATE_FIELDS = _AFTER_PROTECTION[_AFTER_PROTECTION.index("updateFields") + 1 :]


def _set_settings(settings: Any, protect: bool) -> None:
    """Ask Word to update fields on open; optionally restrict editing to the answer fields."""
    for old in settings.findall(f"{_W}updateFields"):
        settings.remove(old)
    update = etree.SubElement(settings, f"{_W}updateFields")
    settings.remove(update)
    update.set(f"{_W}val", "true")
    _insert_in_order(settings, update, _AFTER_UPDATE_FIELDS)
    for old in settings.findall(f"{_W}documentProtection"):
        settings.remove(old)
    if protect:
        protection = etree.SubElement(settings, f"{_W}documentProtection")
        settings.remove(protection)
        protection.set(f"{_W}edit", "readOnly")
        protection.set(f"{_W}enforcement", "1")
        _insert_in_order(settings, protection, _AFTER_PROTECTION)


def _set_language(styles: Any, language: str) -> None:
    """Set the proofing language of the whole document (the default run properties)."""
    defaults = styles.find(f"{_W}docDefaults")
    if defaults is None:
        defaults = etree.SubElement(styles, f"{_W}docDefaults")
        styles.remove(defaults)
        styles.insert(0, defaults)
    rpr_default = defaults.find(f"{_W}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.SubElement(defaults, f"{_W}rPrDefault")
        defaults.remove(rpr_default)
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{_W}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{_W}rPr")
    lang = rpr.find(f"{_W}lang")
    if lang is None:
        lang = etree.SubElement(rpr, f"{_W}lang")
    lang.set(f"{_W}val", language)


def _is_free_paragraph(paragraph: Any) -> bool:
    """True for an empty paragraph: no text, picture, field or content control."""
    for element in paragraph.iter():
        local = etree.QName(element).localname
        if local in ("t", "drawing", "pict", "fldChar", "fldSimple", "sdt", "object", "tab"):
            return False
    return True


def _fill_paragraph(container: Any, style_id: str, runs_xml: str) -> None:
    """Put runs into the container's first empty paragraph, or into a new one at its end."""
    runs = etree.fromstring(
        f'<w:p xmlns:w="{W_NS}" xmlns:w14="{W14_NS}"><w:pPr><w:pStyle w:val="{style_id}"/>'
        f"</w:pPr>{runs_xml}</w:p>"
    )
    for paragraph in container.iterchildren(f"{_W}p"):
        if _is_free_paragraph(paragraph):
            for child in list(runs)[1:]:
                paragraph.append(child)
            return
    container.append(runs)


def _field_runs(instruction: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _text_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{_escape(text)}</w:t></w:r>' if text else ""


def _custom_properties_xml(existing: bytes | None, values: Sequence[tuple[str, str]]) -> bytes:
    """The custom-properties part: existing properties kept, ours added or replaced."""
    root = etree.fromstring(f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}"/>')
    names = {name for name, _ in values}
    if existing:
        old = etree.fromstring(existing, etree.XMLParser(resolve_entities=False, no_network=True))
        for prop in old:
            if prop.get("name") not in names:
                root.append(prop)
    for name, value in values:
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property")
        prop.set("fmtid", CUSTOM_FMTID)
        prop.set("name", name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    for pid, prop in enumerate(root, start=2):
        prop.set("pid", str(pid))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _check_properties(properties: DocumentProperties) -> None:
    for name in (
        "title",
        "subject",
        "author",
        "keywords",
        "language",
        "header",
        "footer",
        "page_word",
        "of_word",
    ):
        value: str = getattr(properties, name)
        bad = _unsafe_character(value)
        if bad is not None:
            raise UnsafeTextError(f"document properties, {name}", value, bad)
    for name, value in properties.custom:
        for text in (name, value):
            bad = _unsafe_character(text)
            if bad is not None:
                raise UnsafeTextError(f"custom document property {name!r}", text, bad)


def _now() -> dt.datetime:
    """The document's time stamp: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), or now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True, slots=True)
class _HeaderFooterStyles:
    header: str
    footer: str


def _apply_properties(
    source: DocxDocument, properties: DocumentProperties, styles: _HeaderFooterStyles
) -> None:
    docx_package.recognise_libreoffice_core_properties(source)
    core = source.core_properties
    core.title = properties.title
    core.subject = properties.subject
    core.author = properties.author
    core.last_modified_by = properties.author
    core.keywords = properties.keywords
    core.language = properties.language
    core.comments = ""
    core.revision = 1
    stamp = _now()
    core.created = stamp
    core.modified = stamp

    existing = docx_package.package_part_blob(source, CUSTOM_PROPERTIES_RT)
    if properties.custom or existing is not None:
        docx_package.put_package_part(
            source,
            CUSTOM_PROPERTIES_RT,
            "/docProps/custom.xml",
            CUSTOM_PROPERTIES_CT,
            _custom_properties_xml(existing, properties.custom),
        )

    section = source.sections[-1]
    if properties.header:
        header = section.header
        header.is_linked_to_previous = False
        _fill_paragraph(
            docx_package.header_footer_element(header),
            styles.header,
            _text_run(properties.header),
        )
    footer = section.footer
    footer.is_linked_to_previous = False
    page_runs = (
        _text_run(properties.footer)
        + "<w:r><w:tab/></w:r>"
        + _text_run(f"{properties.page_word} ")
        + _field_runs("PAGE", "1")
        + _text_run(f" {properties.of_word} ")
        + _field_runs("NUMPAGES", "1")
    )
    _fill_paragraph(docx_package.header_footer_element(footer), styles.footer, page_runs)


def _text_width(sect_pr: Any) -> int:
    """The width between the margins of the last section, in twips."""
    try:
        width = int(sect_pr.find(f"{_W}pgSz").get(f"{_W}w"))
        margins = sect_pr.find(f"{_W}pgMar")
        left = int(margins.get(f"{_W}left") or 0)
        right = int(margins.get(f"{_W}right") or 0)
        gutter = int(margins.get(f"{_W}gutter") or 0)
    except (AttributeError, TypeError, ValueError):
        return _DEFAULT_TEXT_WIDTH
    usable = width - left - right - gutter
    return usable if usable > 1000 else _DEFAULT_TEXT_WIDTH


def _document_xml_frame(root: Any) -> tuple[bytes, bytes]:
    """The document part as text before and after the body content, with w14 declared."""
    nsmap = {key: value for key, value in root.nsmap.items() if key is not None}
    nsmap.update({"w": W_NS, "w14": W14_NS, "mc": MC_NS, "r": R_NS})
    frame = etree.Element(root.tag, nsmap=nsmap)
    for key, value in root.attrib.items():
        frame.set(key, value)
    ignorable_key = f"{{{MC_NS}}}Ignorable"
    ignorable = (frame.get(ignorable_key) or "").split()
    if "w14" not in ignorable:
        ignorable.append("w14")
    frame.set(ignorable_key, " ".join(ignorable))
    for child in root:
        frame.append(child)
    body = frame.find(f"{_W}body")
    if body is None:
        raise ReferenceDocumentError("the reference document has no body")
    marker = etree.Comment("UPPHANDLA-BODY")
    body.insert(0, marker)
    text = etree.tostring(frame, encoding="unicode")
    head, tail = text.split("<!--UPPHANDLA-BODY-->")
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return (declaration + head).encode("utf-8"), tail.encode("utf-8")


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_A4_SECTION = (
    f'<w:sectPr xmlns:w="{W_NS}"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" '
    'w:right="1417" w:bottom="1417" w:left="1417" w:header="709" w:footer="709" w:gutter="0"/>'
    "</w:sectPr>"
)


def _rezip(
    saved: bytes, document_member: str, head: bytes, chunks: list[bytes], tail: bytes
) -> bytes:
    """Copy the saved package, streaming the body chunks into the main document part."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(saved)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        written: set[str] = set()
        for info in source.infolist():
            if info.filename in written:
                continue
            written.add(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            if info.filename == document_member:
                with target.open(entry, "w") as stream:
                    stream.write(head)
                    for chunk in chunks:
                        stream.write(chunk)
                    stream.write(tail)
            else:
                target.writestr(entry, source.read(info.filename))
    return output.getvalue()


def render_docx(document: Document, reference: Path, *, protect: bool = False) -> bytes:
    """Render ``document`` on top of the reference document; return the .docx file's bytes.

    Args:
        document: The blocks and properties to write.
        reference: The organisation's reference .docx (styles, page setup, header, footer).
        protect: Restrict editing so that only the answer fields can be changed (see
            docs/response-form-protection.md for what Word and LibreOffice do with it).

    Raises:
        ReferenceDocumentError: The reference cannot be opened or lacks required styles.
        UnsafeTextError: Some text holds a character a Word document cannot store.
    """
    import docx

    _check_properties(document.properties)
    try:
        source = docx.Document(str(reference))
    except Exception as error:  # python-docx raises several unrelated types
        raise ReferenceDocumentError(
            f"{reference}: not a usable Word document ({error})", path=reference
        ) from error

    index = _style_index(source.styles.element)
    missing = _missing_styles(index)
    if missing:
        raise ReferenceDocumentError(
            f"{reference}: the reference document lacks the styles " + ", ".join(missing),
            missing,
            reference,
        )

    def style(name: str) -> str:
        return index[name.lower()].style_id

    styles = _Styles(
        normal=style("Normal"),
        title=style("Title"),
        subtitle=style("Subtitle"),
        headings=(style("heading 1"), style("heading 2"), style("heading 3")),
        list_bullet=style("List Bullet"),
        list_number=style("List Number"),
        small=style("Upphandla Liten"),
        cell=style("Upphandla Tabelltext"),
        cell_header=style("Upphandla Tabellrubrik"),
        cell_bullet=style("Upphandla Tabellpunkt"),
        cell_number=style("Upphandla Tabellnummer"),
        placeholder=style("Placeholder Text"),
        table=style("Upphandla Tabell"),
        toc=tuple(  # type: ignore[arg-type]
            index[f"toc {level}"].style_id if f"toc {level}" in index else style("Normal")
            for level in (1, 2, 3)
        ),
    )
    header_style = style("header")
    footer_style = style("footer")

    root = source.element
    body = root.find(f"{_W}body")
    if body is None:
        raise ReferenceDocumentError(
            f"{reference}: the reference document has no body", path=reference
        )
    sect_pr = None
    for child in list(body):
        if child.tag == f"{_W}sectPr":
            sect_pr = child
        else:
            body.remove(child)
    if sect_pr is None:
        sect_pr = etree.fromstring(_A4_SECTION)
        body.append(sect_pr)

    numbering = _Numbering(docx_package.numbering_element(source), index)
    words = _ENGLISH if document.properties.language.lower().startswith("en") else _SWEDISH
    writer = _BodyWriter(
        styles,
        numbering,
        words,
        _text_width(sect_pr) if sect_pr is not None else _DEFAULT_TEXT_WIDTH,
        protect,
    )
    writer.write(document.blocks)
    if not writer.chunks:
        writer.chunks.append(b"<w:p/>")
    numbering.finish()

    _set_settings(source.settings.element, protect)
    _set_language(source.styles.element, document.properties.language)
    _apply_properties(source, document.properties, _HeaderFooterStyles(header_style, footer_style))

    head, tail = _document_xml_frame(root)
    saved = io.BytesIO()
    source.save(saved)
    member = docx_package.main_document_member(source)
    return _rezip(saved.getvalue(), member, head, writer.chunks, tail)
