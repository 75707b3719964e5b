"""Read the answers back from a filled-in response form (.docx) written by ``docx_writer``, as a
person sees them in Word or LibreOffice.

Every answer field is a content control (``w:sdt``) whose ``w:tag`` is the field's tag, wrapped
in a hidden bookmark that encodes the same tag (``form.bookmark_name``, the response form
contract in ``documents/form.py``). Fields are found by tag first; the bookmark is the fallback
for word processors that drop tags on saving (LibreOffice 7.4 does). The XML is read with lxml,
not python-docx, whose ``.text`` sees neither content controls nor tracked changes.

What a person sees is what counts, and every way the stored text differs from it is a *doubt*
(``Doubt``) for the buyer to look at, never a silent choice:

- hidden runs (``w:vanish``, directly or through a style, white or microscopic text) are not
  seen: their text is kept as a ``hidden`` segment and the field is doubted;
- tracked deletions (``w:del``, ``w:moveFrom``) are not seen, tracked insertions are; either one,
  not accepted, inside an answer is doubted (``tracked_change``);
- a field (``w:fldSimple``, ``w:fldChar``) shows its result, never its code, and is doubted;
- a drop-down shows its item's display text; a stored value or ``w:lastValue`` that differs, a
  data binding, or a placeholder flag over other text is doubted (``value_differs``);
- text in the answer cell beside the field (``beside``) and comments anchored in the field or
  its cell (``comment``, with the comment's text) are doubted.

The package is opened with ``safe_zip`` (entry count, declared sizes, compression ratio and
inflation all bounded, each part read once); the bookmark fallback only looks at the tags the
caller expects and reads each range within its table cell, so no crafted form makes the reader
grow faster than linearly.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from lxml import etree

from upphandla.documents.blocks import FieldKind
from upphandla.documents.form import (
    BOOKMARK_PREFIX,
    UNANSWERED_PROMPTS,
    RequirementField,
    field_tag,
    hashed_bookmarks,
    is_form_bookmark,
    normal_paragraph,
    tag_from_bookmark,
)
from upphandla.errors import InputError
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.records import record
from upphandla.safe_zip import CheckedZip, UnsafePackageError, open_checked_zip, xml_elements

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
STRICT_OFFICE_DOCUMENT_RT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
CUSTOM_PROPERTIES_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

_W = f"{{{W_NS}}}"
_W14 = f"{{{W14_NS}}}"
_MC = f"{{{MC_NS}}}"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")

# Property blocks: never text.
_PROPERTIES = frozenset(
    f"{_W}{name}"
    for name in (
        "sdtPr",
        "sdtEndPr",
        "rPr",
        "pPr",
        "tcPr",
        "trPr",
        "tblPr",
        "tblGrid",
        "tblPrEx",
        "sectPr",
    )
)
_T = f"{_W}t"
_DEL_TEXT = f"{_W}delText"
_P = f"{_W}p"
_R = f"{_W}r"
_TC = f"{_W}tc"
_TBL = f"{_W}tbl"
_TR = f"{_W}tr"
_TAB = f"{_W}tab"
_BREAKS = frozenset((f"{_W}br", f"{_W}cr"))
_HYPHEN = f"{_W}noBreakHyphen"
_SYM = f"{_W}sym"
_SDT = f"{_W}sdt"
_DELETIONS = frozenset((f"{_W}del", f"{_W}moveFrom"))
_INSERTIONS = frozenset((f"{_W}ins", f"{_W}moveTo"))
_FORMAT_CHANGES = frozenset((f"{_W}rPrChange", f"{_W}pPrChange"))
_INSTRUCTIONS = frozenset((f"{_W}instrText", f"{_W}delInstrText"))
_FLD_CHAR = f"{_W}fldChar"
_FLD_SIMPLE = f"{_W}fldSimple"
_COMMENT_MARKS = frozenset((f"{_W}commentRangeStart", f"{_W}commentReference"))
_BOOKMARK_START = f"{_W}bookmarkStart"
_BOOKMARK_END = f"{_W}bookmarkEnd"
_CHECKED_GLYPH = "\u2612"
_UNCHECKED_GLYPH = "\u2610"
_MAX_RANGES_PER_TAG = 20
_MAX_TAGS = 5_000
_MAX_COMMENT_CHARS = 2_000
_MAX_DOUBTS = 20  # per walk: enough to show the buyer, never a list that grows with the form

FoundBy = Literal["tag", "bookmark", "form field"]
SegmentKind = Literal["text", "hidden", "deleted", "inserted"]
DoubtReason = Literal[
    "hidden_text",
    "tracked_change",
    "field_code",
    "value_differs",
    "beside",
    "comment",
    "duplicated",
    # Read from a workbook (``workbook_reader``):
    "formula",
    "hidden_cell",
    "merged",
    "row_moved",
    # Decided by ``responses`` from the field, not by the reader:
    "not_found",
    "not_answered",
    "not_plain",
    "invisible_characters",
    "price_missing",
    "price_not_an_amount",
    "price_not_positive",
    "price_several_numbers",
    "price_decimals",
    "price_too_large",
]
UnreadableKind = Literal[
    "pdf", "encrypted", "doc", "odt", "rtf", "too_large", "damaged", "not_docx", "no_document"
]


_KIND_TEXTS: dict[str, str] = {
    "pdf": "a PDF file",
    "encrypted": "an encrypted (password-protected) file",
    "doc": "an old binary Word file (.doc)",
    "odt": "an OpenDocument text file (.odt)",
    "rtf": "an RTF file",
    "too_large": "too large or too compressed",
    "damaged": "a damaged zip archive",
    "not_docx": "not a zip archive",
    "no_document": "no main document part (word/document.xml)",
}


class NotADocxError(InputError):
    """The bytes are not a readable .docx file (corrupt, encrypted, or another format).

    ``kind`` says what the file is instead; the reader sees bytes, not a path:
    ``responses.read_response`` names the file."""

    def __init__(self, kind: UnreadableKind, detail: str = "") -> None:
        super().__init__(f"not a readable .docx: {detail or _KIND_TEXTS[kind]}")
        self.kind: UnreadableKind = kind
        self.detail = detail


@record
class Segment:
    """A piece of a field's text: ``text`` (seen), ``inserted`` (seen, a tracked insertion not
    accepted), ``hidden`` (not seen: hidden formatting) or ``deleted`` (not seen: a tracked
    deletion not accepted). A paragraph break is a ``text`` segment ``"\\n"``."""

    kind: SegmentKind
    text: str


@record
class Doubt:
    """A reason why what a field shows may not be what the supplier meant or what is stored.

    ``detail`` is what was found: the hidden text, the stored value, the comment, the text beside
    the field."""

    reason: DoubtReason
    detail: str = ""


@record
class FieldValue:
    """One answer field as a person sees it.

    Attributes:
        tag: The field's tag (the requirement's answer id).
        kind: ``text``, ``choice`` or ``checkbox``.
        text: The visible answer text ("" when unanswered); for a choice the shown item's text.
        value: For a choice the stored value of the shown item; for text the same as ``text``.
        checked: For a checkbox its state; None for other kinds.
        found_by: ``tag`` (content control), ``bookmark`` (tag lost, found by its bookmark) or
            ``form field`` (a legacy Word form field of that name).
        occurrences: How many controls carried the tag (more than one means the supplier copied
            a control; the first one is reported).
        segments: Everything stored in the field, seen or not, in order.
        doubts: Every reason to doubt the field, in the order found.
    """

    tag: str
    kind: FieldKind
    text: str = ""
    value: str = ""
    checked: bool | None = None
    found_by: FoundBy = "tag"
    occurrences: int = 1
    segments: tuple[Segment, ...] = ()
    doubts: tuple[Doubt, ...] = ()

    @property
    def answered(self) -> bool:
        """True when the supplier gave an answer (a checkbox counts as answered either way)."""
        return self.kind == "checkbox" or bool(self.text)


@record
class FormContent:
    """Everything ``evaluate`` reads from one form.

    Attributes:
        properties: The custom document properties.
        fields: The answer fields by tag, in document order.
        tables: For each requirement whose ``fulfilled`` field was found inside a table: the
            visible fixed text of that table (answer fields left out), one entry per non-empty
            paragraph, normalised as ``form.normal_paragraph``.
    """

    properties: dict[str, str]
    fields: dict[str, FieldValue]
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """For each tag of ``read_form``'s ``texts_for`` that was found: the visible fixed text of
    the table row or the table holding the field, as ``tables``."""


# ---------------------------------------------------------------------------------------------
# The package


def _parser() -> etree.XMLParser:
    # huge_tree stays off: libxml2 then refuses nesting deeper than 256 and text nodes over 10 MB.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )


def _sniff(data: bytes) -> None:
    """Refuse, by their first bytes, the formats that are not a .docx."""
    if data[:8] == _OLE_SIGNATURE:
        if _ENCRYPTED_MARK in data[: 1024 * 1024]:
            raise NotADocxError("encrypted")
        raise NotADocxError("doc")
    if data[:5] == b"%PDF-" or data[:1024].lstrip().startswith(b"%PDF"):
        raise NotADocxError("pdf")
    if data[:5] == b"{\\rtf":
        raise NotADocxError("rtf")
    if data[:2] != b"PK":
        raise NotADocxError("not_docx")


def _open(data: bytes, limits: Limits) -> CheckedZip:
    _sniff(data)
    try:
        archive = open_checked_zip(data, limits)
    except UnsafePackageError as error:
        text = str(error)
        kind: UnreadableKind = (
            "damaged" if "not a zip" in text or "damaged" in text else "too_large"
        )
        raise NotADocxError(kind, text) from None
    if archive.names()[:1] == ["mimetype"]:
        try:
            mimetype = archive.read("mimetype") or b""
        except UnsafePackageError:
            mimetype = b""
        if mimetype.strip() == ODT_MIMETYPE:
            archive.close()
            raise NotADocxError("odt")
    return archive


def _read(archive: CheckedZip, name: str) -> bytes | None:
    try:
        blob = archive.read(name, xml=True)
    except UnsafePackageError as error:
        text = str(error)
        kind: UnreadableKind = "damaged" if "damaged" in text else "too_large"
        raise NotADocxError(kind, text) from None
    # Memory grows with the number of elements, not the bytes: count the tags before parsing.
    most = archive.limits.max_form_elements
    if blob is not None and xml_elements(blob) > most:
        raise NotADocxError(
            "too_large", f"the part {name} has more than {most:,} XML elements; it is not read"
        )
    return blob


def _parse(blob: bytes, name: str) -> Any:
    try:
        return etree.fromstring(blob, _parser())
    except etree.XMLSyntaxError as error:
        raise NotADocxError(
            "damaged", f"the part {name} is not well-formed XML ({error})"
        ) from None


def _package_target(archive: CheckedZip, types: Iterable[str], default: str) -> str:
    """The part name that the package relationships give for one of ``types``."""
    rels = _read(archive, "_rels/.rels")
    if rels is None:
        return default
    wanted = set(types)
    for rel in _parse(rels, "_rels/.rels").iter(f"{{{PACKAGE_RELS_NS}}}Relationship"):
        if rel.get("Type") in wanted and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            return posixpath.normpath(target.lstrip("/"))
    return default


def _main_document(archive: CheckedZip) -> tuple[Any, str]:
    name = _package_target(
        archive, (OFFICE_DOCUMENT_RT, STRICT_OFFICE_DOCUMENT_RT), "word/document.xml"
    )
    blob = _read(archive, name)
    if blob is None and name != "word/document.xml":
        name = "word/document.xml"
        blob = _read(archive, name)
    if blob is None:
        raise NotADocxError("no_document")
    return _parse(blob, name), name


def _custom_properties(archive: CheckedZip) -> dict[str, str]:
    name = _package_target(archive, (CUSTOM_PROPERTIES_RT,), "docProps/custom.xml")
    blob = _read(archive, name)
    if blob is None:
        return {}
    properties: dict[str, str] = {}
    for prop in _parse(blob, name):
        key = prop.get("name")
        if key is None:
            continue
        value = next(iter(prop), None)
        properties[key] = (value.text or "") if value is not None else ""
    return properties


# ---------------------------------------------------------------------------------------------
# Styles and comments: what hides text, and what a comment says


def _on(element: Any, attribute: str = f"{_W}val") -> bool:
    """An OOXML on/off element: present without a value, or with 1/true/on, means on."""
    if element is None:
        return False
    value = element.get(attribute)
    return value is None or value.lower() in ("1", "true", "on")


def _hidden_by(rpr: Any) -> bool | None:
    """Whether run properties hide the text: True, False, or None when they do not say."""
    if rpr is None:
        return None
    for name in ("vanish", "specVanish"):
        flag = rpr.find(f"{_W}{name}")
        if flag is not None:
            return _on(flag)
    color = rpr.find(f"{_W}color")
    white = color is not None and (color.get(f"{_W}val") or "").upper() == "FFFFFF"
    if white and rpr.find(f"{_W}shd") is None and rpr.find(f"{_W}highlight") is None:
        return True
    size = rpr.find(f"{_W}sz")
    if size is not None:
        try:
            if int(size.get(f"{_W}val") or "20") < 4:
                return True
        except ValueError:
            pass
    return None


@record
class _Styles:
    """The styles that hide their text, and whether the document defaults do."""

    hidden: frozenset[str] = frozenset()
    default_hidden: bool = False

    def run_hidden(self, run: Any, paragraph_hidden: bool) -> bool:
        rpr = run.find(f"{_W}rPr")
        direct = _hidden_by(rpr)
        if direct is not None:
            return direct
        if rpr is not None:
            style = rpr.find(f"{_W}rStyle")
            if style is not None and style.get(f"{_W}val") in self.hidden:
                return True
        return paragraph_hidden or self.default_hidden

    def paragraph_hidden(self, paragraph: Any) -> bool:
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        return style is not None and style.get(f"{_W}val") in self.hidden


def _styles(root: Any | None) -> _Styles:
    if root is None:
        return _Styles()
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in root.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId") or ""
        own[style_id] = _hidden_by(style.find(f"{_W}rPr"))
        parent = style.find(f"{_W}basedOn")
        if parent is not None:
            based[style_id] = parent.get(f"{_W}val") or ""
    hidden = set()
    for style_id in own:
        current, seen = style_id, 0
        while current in own and seen < 32:
            decided = own[current]
            if decided is not None:
                if decided:
                    hidden.add(style_id)
                break
            current, seen = based.get(current, ""), seen + 1
    defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
    return _Styles(frozenset(hidden), bool(_hidden_by(defaults)))


def _comments(root: Any | None) -> dict[str, str]:
    if root is None:
        return {}
    comments = {}
    for comment in root.iter(f"{_W}comment"):
        paragraphs = [
            "".join(t.text or "" for t in paragraph.iter(_T)) for paragraph in comment.iter(_P)
        ]
        text = " ".join(" ".join(paragraphs).split())[:_MAX_COMMENT_CHARS]
        author = comment.get(f"{_W}author") or ""
        comments[comment.get(f"{_W}id") or ""] = f"{author}: {text}" if author else text
    return comments


# ---------------------------------------------------------------------------------------------
# Text as a person sees it


@dataclass(slots=True)
class _Text:
    """What one walk over some XML found: paragraphs of segments and the doubts."""

    paragraphs: list[list[Segment]] = field(default_factory=lambda: [[]])
    doubts: list[Doubt] = field(default_factory=list)

    def add(self, kind: SegmentKind, text: str) -> None:
        if text:
            self.paragraphs[-1].append(Segment(kind, text))

    def doubt(self, reason: DoubtReason, detail: str = "") -> None:
        found = Doubt(reason, detail)
        if len(self.doubts) < _MAX_DOUBTS and found not in self.doubts:
            self.doubts.append(found)

    def new_paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def lines(self, kinds: Collection[SegmentKind] = ("text", "inserted")) -> list[str]:
        lines = [
            "".join(s.text for s in paragraph if s.kind in kinds).rstrip()
            for paragraph in self.paragraphs
        ]
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        return lines

    @property
    def visible(self) -> str:
        return "\n".join(self.lines()).strip()

    def segments(self) -> tuple[Segment, ...]:
        paragraphs = [p for p in self.paragraphs if any(s.text.strip() for s in p)]
        out: list[Segment] = []
        for index, paragraph in enumerate(paragraphs):
            if index:
                out.append(Segment("text", "\n"))
            out.extend(paragraph)
        return tuple(out)


@dataclass(slots=True)
class _Budget:
    """How many elements all the walks over one form may visit together: a crafted form that
    would make the reader go over its time is refused instead."""

    most: int
    spent: int = 0

    def spend(self) -> None:
        self.spent += 1
        if self.spent > self.most:
            raise NotADocxError(
                "too_large",
                f"the form needs more than {self.most:,} steps to read; it is not read",
            )


@dataclass(slots=True)
class _Walker:
    """One walk in document order over some XML, collecting what a person sees.

    ``skip`` elements are left out whole (a field, to read what is beside it); with
    ``ranges`` only the text inside those bookmark ranges counts (or only the text outside them
    when ``outside``); ``fields_out`` leaves out every content control and every range of a form
    bookmark (the fixed text of a table)."""

    styles: _Styles
    comments: Mapping[str, str]
    budget: _Budget
    skip: frozenset[Any] = frozenset()
    ranges: dict[Any, str] | None = None  # bookmarkStart element -> bookmark id
    outside: bool = False
    fields_out: bool = False
    _open: dict[str, Any] = field(default_factory=dict)  # bookmark id -> paragraph or None
    _fields: list[str] = field(default_factory=list)  # complex-field states: instr or result

    def walk(self, element: Any, text: _Text) -> _Text:
        self._visit(element, text, False, False, False, None)
        return text

    def _counting(self) -> bool:
        if self.ranges is None and not self.fields_out:
            return True
        inside = bool(self._open)
        if self.fields_out:
            return not inside
        return not inside if self.outside else inside

    def _visit(
        self,
        element: Any,
        text: _Text,
        deleted: bool,
        inserted: bool,
        hidden: bool,
        paragraph: Any,
    ) -> None:
        for child in element:
            self.budget.spend()
            tag = child.tag
            if not isinstance(tag, str) or child in self.skip:
                continue
            if tag in _PROPERTIES:
                changed = next(child.iter(*_FORMAT_CHANGES), None) is not None
                if changed and self._counting():
                    text.doubt("tracked_change")
                continue
            if tag == _BOOKMARK_START:
                self._bookmark_start(child, paragraph)
            elif tag == _BOOKMARK_END:
                self._open.pop(child.get(f"{_W}id") or "", None)
            elif tag == _SDT and self.fields_out:
                continue
            elif tag == _P:
                text.new_paragraph()
                self._visit(
                    child, text, deleted, inserted, self.styles.paragraph_hidden(child), child
                )
                text.new_paragraph()
                for key in [k for k, owner in self._open.items() if owner is child]:
                    del self._open[key]
            elif tag == _R:
                run_hidden = self.styles.run_hidden(child, hidden)
                self._visit(child, text, deleted, inserted, run_hidden, paragraph)
            elif tag in (_T, _DEL_TEXT):
                self._emit(text, child.text or "", deleted or tag == _DEL_TEXT, inserted, hidden)
            elif tag == _TAB:
                self._emit(text, "\t", deleted, inserted, hidden)
            elif tag in _BREAKS:
                self._emit(text, "\n", deleted, inserted, hidden)
            elif tag == _HYPHEN:
                self._emit(text, "-", deleted, inserted, hidden)
            elif tag == _SYM:
                self._emit(text, _symbol(child), deleted, inserted, hidden)
            elif tag in _DELETIONS:
                if self._counting():
                    text.doubt("tracked_change")
                self._visit(child, text, True, inserted, hidden, paragraph)
            elif tag in _INSERTIONS:
                if self._counting():
                    text.doubt("tracked_change")
                self._visit(child, text, deleted, True, hidden, paragraph)
            elif tag in _INSTRUCTIONS:
                if self._counting():
                    text.doubt("field_code", " ".join((child.text or "").split())[:200])
            elif tag == _FLD_CHAR:
                self._field_char(child, text)
            elif tag == _FLD_SIMPLE:
                if self._counting():
                    text.doubt("field_code", " ".join((child.get(f"{_W}instr") or "").split()))
                self._visit(child, text, deleted, inserted, hidden, paragraph)
            elif tag in _COMMENT_MARKS:
                if self._counting():
                    comment_id = child.get(f"{_W}id") or ""
                    text.doubt("comment", self.comments.get(comment_id, ""))
            elif tag == f"{_MC}AlternateContent":
                # Word shows the first choice it understands; the fallback is for older readers.
                choice = child.find(f"{_MC}Choice")
                chosen = choice if choice is not None else child.find(f"{_MC}Fallback")
                if chosen is not None:
                    self._visit(chosen, text, deleted, inserted, hidden, paragraph)
            else:
                self._visit(child, text, deleted, inserted, hidden, paragraph)

    def _bookmark_start(self, start: Any, paragraph: Any) -> None:
        if self.ranges is not None:
            if start in self.ranges:
                self._open[self.ranges[start]] = paragraph
        elif self.fields_out and (start.get(f"{_W}name") or "").startswith(BOOKMARK_PREFIX):
            self._open[start.get(f"{_W}id") or ""] = paragraph

    def _field_char(self, element: Any, text: _Text) -> None:
        kind = element.get(f"{_W}fldCharType")
        if kind == "begin":
            self._fields.append("instr")
            if self._counting():
                text.doubt("field_code")
        elif kind == "separate" and self._fields:
            self._fields[-1] = "result"
        elif kind == "end" and self._fields:
            self._fields.pop()

    def _emit(self, text: _Text, value: str, deleted: bool, inserted: bool, hidden: bool) -> None:
        if not self._counting() or (self._fields and self._fields[-1] == "instr"):
            return
        kind: SegmentKind = (
            "deleted" if deleted else "hidden" if hidden else "inserted" if inserted else "text"
        )
        text.add(kind, value)
        if kind == "hidden" and value:
            text.doubt("hidden_text", value)


def _symbol(element: Any) -> str:
    try:
        return chr(int(element.get(f"{_W}char") or "", 16))
    except ValueError:
        return ""


def _merge_hidden(doubts: list[Doubt]) -> list[Doubt]:
    """One ``hidden_text`` doubt holding all the hidden text, in place of one per run, and one
    ``field_code`` doubt with the first field's code."""
    joined = {
        "hidden_text": "".join(d.detail for d in doubts if d.reason == "hidden_text"),
        "field_code": next((d.detail for d in doubts if d.reason == "field_code" and d.detail), ""),
    }
    merged: list[Doubt] = []
    for doubt in doubts:
        if doubt.reason not in joined:
            merged.append(doubt)
        elif not any(d.reason == doubt.reason for d in merged):
            merged.append(Doubt(doubt.reason, joined[doubt.reason]))
    return merged


# ---------------------------------------------------------------------------------------------
# Reading a field


@dataclass(slots=True)
class _Document:
    root: Any
    styles: _Styles
    comments: Mapping[str, str]
    prompts: frozenset[str]
    budget: _Budget
    # Keyed by the elements themselves (hashed by identity, and kept alive: an lxml proxy's id()
    # may be reused once it is freed).
    _beside: dict[tuple[Any, frozenset[Any]], list[Doubt]] = field(default_factory=dict)
    _fixed: dict[Any, tuple[str, ...]] = field(default_factory=dict)

    def walker(self, **options: Any) -> _Walker:
        return _Walker(self.styles, self.comments, self.budget, **options)

    def paragraph_hidden(self, element: Any) -> bool:
        paragraph = next(element.iterancestors(_P), None)
        return paragraph is not None and self.styles.paragraph_hidden(paragraph)

    def read_control(
        self,
        sdt: Any,
        tag: str,
        found_by: FoundBy,
        pieces: frozenset[Any] = frozenset(),
        texts: dict[Any, str] | None = None,
    ) -> FieldValue:
        """One field's control as a person sees it; ``pieces`` and ``texts`` are the other
        controls and bookmarked texts of the same field (split by a word processor), which are
        not text beside it."""
        properties = sdt.find(f"{_W}sdtPr")
        content = sdt.find(f"{_W}sdtContent")
        if properties is None:
            properties = etree.Element(f"{_W}sdtPr")
        if content is None:
            content = etree.Element(f"{_W}sdtContent")
        walker = self.walker()
        text = _Text()
        walker._visit(content, text, False, False, self.paragraph_hidden(sdt), None)
        doubts = list(text.doubts)
        beside = self.beside(sdt, frozenset({sdt}) | pieces, texts)
        doubts.extend(d for d in beside if d not in doubts)
        if properties.find(f"{_W}dataBinding") is not None:
            doubts.append(Doubt("value_differs", "dataBinding"))
        checkbox = properties.find(f"{_W14}checkbox")
        if checkbox is not None:
            mark = checkbox.find(f"{_W14}checked")
            shown = text.visible
            glyph_state = _CHECKED_GLYPH in shown if shown else None
            state = _on(mark, f"{_W14}val") if mark is not None else bool(glyph_state)
            if glyph_state is not None and glyph_state != state:
                doubts.append(Doubt("value_differs", _CHECKED_GLYPH if state else _UNCHECKED_GLYPH))
            return FieldValue(
                tag,
                "checkbox",
                checked=state,
                found_by=found_by,
                doubts=tuple(_merge_hidden(doubts)),
            )
        legacy = _legacy_checkbox(content)
        if legacy is not None:
            return FieldValue(
                tag,
                "checkbox",
                checked=legacy,
                found_by=found_by,
                doubts=tuple(_merge_hidden(doubts)),
            )
        shown = text.visible
        segments = text.segments()
        placeholder = _on(properties.find(f"{_W}showingPlcHdr"))
        if placeholder or shown in self.prompts or not any(s.text.strip() for s in segments):
            shown, segments = "", ()
        choices = properties.find(f"{_W}dropDownList")
        if choices is None:
            choices = properties.find(f"{_W}comboBox")
        doubts = _merge_hidden(doubts)
        if choices is not None:
            value = self.choice_value(choices, shown, doubts)
            return FieldValue(
                tag, "choice", shown, value, None, found_by, 1, segments, tuple(doubts)
            )
        return FieldValue(tag, "text", shown, shown, None, found_by, 1, segments, tuple(doubts))

    @staticmethod
    def choice_value(choices: Any, shown: str, doubts: list[Doubt]) -> str:
        items: dict[str, str] = {}
        for item in choices.iter(f"{_W}listItem"):
            display = item.get(f"{_W}displayText")
            value = item.get(f"{_W}value")
            key = display if display is not None else (value or "")
            items.setdefault(key, value if value is not None else key)
        if not shown:
            return ""
        # Text that is no item of the list (typed over it) is read as shown: the outcome rules
        # judge it; an item that stores another value than it shows is a doubt.
        value = items.get(shown, shown)
        if value != shown:
            doubts.append(Doubt("value_differs", value))
        last = (choices.get(f"{_W}lastValue") or "").strip()
        if last and last not in (value, shown):
            doubts.append(Doubt("value_differs", last))
        return value

    def beside(
        self, anchor: Any, skip: frozenset[Any], ranges: dict[Any, str] | None = None
    ) -> list[Doubt]:
        """Text and comments in the table cell of ``anchor``, outside the field."""
        cell = next(anchor.iterancestors(_TC), None)
        if cell is None:
            return []
        key = (cell, skip)
        if ranges is None and key in self._beside:
            return list(self._beside[key])
        # Tagged copies of a field are counted as copies (``duplicated``), not as text beside it.
        # A field whose tag was lost is still a field when its bookmark marks it (the follow-up
        # plan has two fields in one cell).
        controls = frozenset(
            sdt for sdt in cell.iter(_SDT) if _control_tag(sdt) or _bookmarked_field(sdt)
        )
        walker = self.walker(skip=skip | controls, ranges=ranges, outside=ranges is not None)
        text = walker.walk(cell, _Text())
        doubts = [d for d in text.doubts if d.reason == "comment"]
        outside = text.visible
        if outside and outside not in self.prompts:
            doubts.insert(0, Doubt("beside", outside))
        if ranges is None:
            self._beside[key] = list(doubts)
        return doubts

    def fixed_text(self, table: Any) -> tuple[str, ...]:
        """The visible text of a table outside every answer field (computed once per table)."""
        if table not in self._fixed:
            text = self.walker(fields_out=True).walk(table, _Text())
            paragraphs = (normal_paragraph(line) for line in text.lines())
            self._fixed[table] = tuple(paragraph for paragraph in paragraphs if paragraph)
        return self._fixed[table]


def _legacy_checkbox(element: Any) -> bool | None:
    """The state of a legacy form-field checkbox under ``element``, if there is one."""
    box = element.find(f".//{_W}ffData/{_W}checkBox")
    if box is None:
        return None
    checked = box.find(f"{_W}checked")
    if checked is not None:
        return _on(checked)
    return _on(box.find(f"{_W}default"))


def _bookmarked_field(sdt: Any) -> bool:
    """Whether a field's bookmark starts right before the control (as the writer puts it)."""
    previous = sdt.getprevious()
    return (
        previous is not None
        and previous.tag == _BOOKMARK_START
        and is_form_bookmark(previous.get(f"{_W}name") or "")
    )


def _control_tag(sdt: Any) -> str:
    tag = sdt.find(f"{_W}sdtPr/{_W}tag")
    return (tag.get(f"{_W}val") or "") if tag is not None else ""


def _add(found: dict[str, FieldValue], value: FieldValue) -> None:
    earlier = found.get(value.tag)
    if earlier is None:
        found[value.tag] = value
    else:
        duplicated = Doubt("duplicated", str(earlier.occurrences + 1))
        doubts = tuple(d for d in earlier.doubts if d.reason != "duplicated") + (duplicated,)
        found[value.tag] = replace(earlier, occurrences=earlier.occurrences + 1, doubts=doubts)


def _innermost_control(element: Any) -> Any:
    return next(element.iterancestors(_SDT), None)


def _first_control_after(start: Any, end: Any, budget: _Budget) -> Any:
    """The first content control after ``start``, before ``end``, within its table cell (or its
    paragraph outside a table)."""
    scope = next(start.iterancestors(_TC), None)
    if scope is None:
        scope = next(start.iterancestors(_P), None)
    if scope is None:
        return None
    seen = False
    for element in scope.iter(_BOOKMARK_START, _BOOKMARK_END, _SDT):
        budget.spend()
        if element is start:
            seen = True
        elif seen and element is end:
            return None
        elif seen and element.tag == _SDT:
            return element
    return None


def _read_bookmarks(document: _Document, missing: Collection[str]) -> list[FieldValue]:
    """Fields whose tags were lost, found by their bookmarks.

    A bookmark's field is the content control it sits in, or else the first one inside it;
    without a control, the bookmarked text is the answer. A bookmark left without an end is
    read to the end of its paragraph (LibreOffice writes such bookmarks when it splits a
    control). Only the tags in ``missing`` are looked at, at most ``_MAX_RANGES_PER_TAG``
    bookmarks each, and each is read within its table cell: the work grows linearly.
    """
    body = document.root.find(f"{_W}body")
    if body is None:
        return []
    starts: dict[str, list[Any]] = {}
    ends: dict[str, Any] = {}
    hashed = hashed_bookmarks(missing)
    for element in body.iter(_BOOKMARK_START, _BOOKMARK_END):
        if element.tag == _BOOKMARK_END:
            ends.setdefault(element.get(f"{_W}id") or "", element)
            continue
        bookmark_tag = tag_from_bookmark(element.get(f"{_W}name") or "", hashed)
        if bookmark_tag is None or bookmark_tag not in missing:
            continue
        found = starts.setdefault(bookmark_tag, [])
        if len(found) < _MAX_RANGES_PER_TAG:
            found.append(element)
    controls_of: dict[str, list[Any]] = {}
    for tag, tag_starts in starts.items():
        controls: list[Any] = []
        for start in tag_starts:
            control = _innermost_control(start)
            if control is None:
                end = ends.get(start.get(f"{_W}id") or "")
                control = _first_control_after(start, end, document.budget)
            controls.append(control)
        controls_of[tag] = controls
    # Text in any field's bookmark is not text beside another field of the same cell (the
    # follow-up plan has two fields per cell, and LibreOffice saves them as bookmarked text).
    bookmarked = {
        start: start.get(f"{_W}id") or ""
        for tag, tag_starts in starts.items()
        for start, control in zip(tag_starts, controls_of[tag], strict=True)
        if control is None
    }
    # Nor is any field's control (LibreOffice keeps an untouched field as a control without
    # its tag).
    every_control = frozenset(
        control for controls in controls_of.values() for control in controls if control is not None
    )
    results = []
    for tag, tag_starts in starts.items():
        controls = controls_of[tag]
        # The pieces of one split field are not text beside each other.
        pieces = every_control
        values: list[tuple[Any, FieldValue]] = []
        for start, control in zip(tag_starts, controls, strict=True):
            if control is not None:
                value = document.read_control(control, tag, "bookmark", pieces, bookmarked or None)
            else:
                value = _read_range(document, start, tag, pieces, bookmarked)
            values.append((next(start.iterancestors(_TC), None), value))
        results.append(_joined(values))
    return results


def _read_range(
    document: _Document, start: Any, tag: str, pieces: frozenset[Any], texts: dict[Any, str]
) -> FieldValue:
    scope = next(start.iterancestors(_TC), None)
    if scope is None:
        scope = next(start.iterancestors(_P), None)
    if scope is None:
        return FieldValue(tag, "text", found_by="bookmark")
    ranges = {start: start.get(f"{_W}id") or ""}
    walker = document.walker(ranges=ranges)
    text = walker.walk(scope, _Text())
    shown = text.visible
    segments = text.segments()
    if shown in document.prompts:
        shown, segments = "", ()
    doubts = list(text.doubts)
    doubts.extend(d for d in document.beside(start, pieces, texts) if d not in doubts)
    return FieldValue(
        tag, "text", shown, shown, None, "bookmark", 1, segments, tuple(_merge_hidden(doubts))
    )


def _joined(values: list[tuple[Any, FieldValue]]) -> FieldValue:
    """Several bookmarks of one tag: one field split by a word processor (joined) when they are
    in one cell, else a copied field (the first, with the count)."""
    first_cell, first = values[0]
    cells = {cell for cell, _ in values}
    if len(cells) > 1:
        return replace(
            first,
            occurrences=len(cells),
            doubts=(*first.doubts, Doubt("duplicated", str(len(cells)))),
        )
    if len(values) == 1 or first.kind != "text":
        return first
    texts = [value.text for _, value in values if value.text]
    segments: list[Segment] = []
    doubts: list[Doubt] = []
    for _, value in values:
        if value.segments:
            if segments:
                segments.append(Segment("text", "\n"))
            segments.extend(value.segments)
        doubts.extend(d for d in value.doubts if d not in doubts and d.reason != "beside")
    joined = "\n".join(texts)
    beside = [d for _, value in values for d in value.doubts if d.reason == "beside"]
    if beside:
        doubts.insert(0, beside[0])
    return replace(first, text=joined, value=joined, segments=tuple(segments), doubts=tuple(doubts))


def _legacy_checkboxes(root: Any, found: dict[str, FieldValue]) -> None:
    """Legacy Word form-field checkboxes, by their form-field names, when not found otherwise."""
    for data in root.iter(f"{_W}ffData"):
        box = data.find(f"{_W}checkBox")
        name = data.find(f"{_W}name")
        if box is None or name is None:
            continue
        tag = name.get(f"{_W}val") or ""
        if not tag or tag in found:
            continue
        state = _legacy_checkbox(data.getparent()) if data.getparent() is not None else None
        found[tag] = FieldValue(tag, "checkbox", checked=bool(state), found_by="form field")


# ---------------------------------------------------------------------------------------------
# The whole form


def read_form(
    data: bytes,
    *,
    expected: Collection[str] | None = None,
    tables_for: Collection[str] = (),
    placeholders: Iterable[str] = (),
    limits: Limits = DEFAULT_LIMITS,
    texts_for: Mapping[str, Literal["row", "table"]] | None = None,
) -> FormContent:
    """Every answer field of a response form, by tag, its properties and its fixed texts.

    Args:
        data: The bytes of the .docx file.
        expected: The tags the form should have; fields found by bookmark are looked for only
            among them (None: any tag a bookmark names, at most ``_MAX_TAGS``).
        tables_for: Requirement ids whose table's fixed text is wanted (``FormContent.tables``);
            the table is the one holding the requirement's ``fulfilled`` field.
        placeholders: Prompt texts (besides the contract's ``UNANSWERED_PROMPTS``) that mean
            "not answered".
        texts_for: Tags whose row's or table's fixed text is wanted (``FormContent.texts``).

    Raises:
        NotADocxError: The bytes are not a readable .docx file, or too large or crafted.
    """
    archive = _open(data, limits)
    with archive:
        properties = _custom_properties(archive)
        root, name = _main_document(archive)
        folder = posixpath.dirname(name)
        styles_blob = _read(archive, posixpath.join(folder, "styles.xml"))
        comments_blob = _read(archive, posixpath.join(folder, "comments.xml"))
    styles = _styles(_parse(styles_blob, "styles.xml") if styles_blob else None)
    comments = _comments(_parse(comments_blob, "comments.xml") if comments_blob else None)
    prompts = UNANSWERED_PROMPTS | frozenset(text.strip() for text in placeholders)
    document = _Document(root, styles, comments, prompts, _Budget(limits.max_form_visits))
    found: dict[str, FieldValue] = {}
    anchors: dict[str, Any] = {}
    wanted = set(expected) if expected is not None else None
    hashed = hashed_bookmarks(wanted or ())
    for sdt in root.iter(_SDT):
        tag = _control_tag(sdt)
        if tag and (wanted is None or tag in wanted):
            if tag not in found:
                anchors[tag] = sdt
                found[tag] = document.read_control(sdt, tag, "tag")
            else:
                _add(found, found[tag])  # a copy: counted, not read again
    missing: set[str] = set()
    checked: dict[str, int] = {}
    for start in root.iter(_BOOKMARK_START):
        bookmark_tag = tag_from_bookmark(start.get(f"{_W}name") or "", hashed)
        if bookmark_tag in found and checked.get(bookmark_tag, 0) < _MAX_RANGES_PER_TAG:
            # The field's bookmark marks another control than the tagged one: a copy.
            checked[bookmark_tag] = checked.get(bookmark_tag, 0) + 1
            marked = _innermost_control(start)
            if marked is None:
                marked = _first_control_after(start, None, document.budget)
            if marked is not None and marked is not anchors[bookmark_tag]:
                _add(found, replace(found[bookmark_tag], occurrences=1))
            continue
        if bookmark_tag is None or bookmark_tag in found or bookmark_tag in missing:
            continue
        if wanted is not None and bookmark_tag not in wanted:
            continue
        if len(missing) >= _MAX_TAGS:
            break
        missing.add(bookmark_tag)
        anchors.setdefault(bookmark_tag, start)
    if missing:
        for value in _read_bookmarks(document, missing):
            found.setdefault(value.tag, value)
    _legacy_checkboxes(root, found)
    tables: dict[str, tuple[str, ...]] = {}
    for requirement_id in tables_for:
        anchor = anchors.get(field_tag(requirement_id, RequirementField.FULFILLED))
        table = next(anchor.iterancestors(_TBL), None) if anchor is not None else None
        if table is not None:
            tables[requirement_id] = document.fixed_text(table)
    texts: dict[str, tuple[str, ...]] = {}
    for tag, unit in (texts_for or {}).items():
        anchor = anchors.get(tag)
        holder = (
            next(anchor.iterancestors(_TR if unit == "row" else _TBL), None)
            if anchor is not None
            else None
        )
        if holder is not None:
            texts[tag] = document.fixed_text(holder)
    return FormContent(properties, found, tables, texts)


def read_answer_fields(data: bytes, *, placeholders: Iterable[str] = ()) -> dict[str, FieldValue]:
    """Every answer field in a response form, by tag (``read_form(data).fields``).

    Raises:
        NotADocxError: The bytes are not a readable .docx file.
    """
    return read_form(data, placeholders=placeholders).fields


def read_custom_properties(data: bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    """The custom document properties (name to text value); empty when there are none.

    Raises:
        NotADocxError: The bytes are not a readable .docx file.
    """
    archive = _open(data, limits)
    with archive:
        properties = _custom_properties(archive)
        _main_document(archive)
    return properties
