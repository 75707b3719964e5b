"""Read the answers back from a filled-in response form (.docx) written by ``docx_writer``.

Every answer field is a content control (``w:sdt``) whose ``w:tag`` is the field's tag, wrapped
in a hidden bookmark that encodes the same tag (``form.bookmark_name``, the response form
contract in ``documents/form.py``). Fields are found
by tag first; the bookmark is the fallback for word processors that drop tags on saving
(LibreOffice 7.4 does). The XML is read with lxml, not python-docx, whose ``.text`` sees neither
content controls nor tracked changes.

Text rules: tracked insertions (``w:ins``) count, tracked deletions (``w:del``, ``w:delText``,
``w:moveFrom``) do not, field codes (``w:instrText``) do not; paragraphs are joined with "\\n";
a control that still shows its placeholder (``w:showingPlcHdr``), or whose text is one of the
contract's prompts (``form.UNANSWERED_PROMPTS``), is unanswered.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from lxml import etree

from upphandla.documents.blocks import FieldKind
from upphandla.documents.form import UNANSWERED_PROMPTS, tag_from_bookmark
from upphandla.errors import InputError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
STRICT_OFFICE_DOCUMENT_RT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
CUSTOM_PROPERTIES_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)

_W = f"{{{W_NS}}}"
_W14 = f"{{{W14_NS}}}"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What zipfile raises for a damaged archive besides BadZipFile: corrupt compressed data (zlib,
# lzma; bz2 raises OSError), a compression method or zip version it does not support
# (NotImplementedError) and an encrypted member (RuntimeError).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
    EOFError,
)

# Elements whose text is not part of the answer: deletions, moved-away text, field codes and
# the property blocks.
_SKIP = frozenset(
    f"{_W}{name}"
    for name in ("del", "moveFrom", "delText", "instrText", "sdtPr", "rPr", "pPr", "tcPr", "trPr")
)
_T = f"{_W}t"
_P = f"{_W}p"
_TAB = f"{_W}tab"
_BREAKS = frozenset((f"{_W}br", f"{_W}cr"))
_HYPHEN = f"{_W}noBreakHyphen"
_SDT = f"{_W}sdt"
_CHECKED_GLYPH = "\u2612"

FoundBy = Literal["tag", "bookmark", "form field"]


class NotADocxError(InputError):
    """The bytes are not a readable .docx file (corrupt, encrypted, or another format).

    The reader sees bytes, not a path: ``responses.read_response`` names the file."""


@dataclass(frozen=True, slots=True)
class FieldValue:
    """One answer field as the supplier left it.

    Attributes:
        tag: The field's tag (the requirement's answer id).
        kind: ``text``, ``choice`` or ``checkbox``.
        text: The answer text ("" when unanswered); for a choice the chosen item's text.
        value: For a choice the chosen item's value; for text the same as ``text``.
        checked: For a checkbox its state; None for other kinds.
        found_by: ``tag`` (content control), ``bookmark`` (tag lost, found by its bookmark) or
            ``form field`` (a legacy Word form field of that name).
        occurrences: How many controls carried the tag (more than one means the supplier copied
            a control; the first one is reported).
    """

    tag: str
    kind: FieldKind
    text: str = ""
    value: str = ""
    checked: bool | None = None
    found_by: FoundBy = "tag"
    occurrences: int = 1

    @property
    def answered(self) -> bool:
        """True when the supplier gave an answer (a checkbox counts as answered either way)."""
        return self.kind == "checkbox" or bool(self.text)


# ---------------------------------------------------------------------------------------------
# The package


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _open(data: bytes) -> zipfile.ZipFile:
    if data[:8] == _OLE_SIGNATURE:
        raise NotADocxError(
            "the file is an OLE compound file: an encrypted (password-protected) .docx or an old "
            "binary .doc; save it as an unprotected .docx"
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as error:
        raise NotADocxError(f"the file is not a .docx (not a zip archive: {error})") from error


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except KeyError:
        return None
    except _ZIP_ERRORS as error:
        raise NotADocxError(f"the part {name} of the .docx is damaged ({error})") from error


def _parse(blob: bytes, name: str) -> Any:
    try:
        return etree.fromstring(blob, _parser())
    except etree.XMLSyntaxError as error:
        raise NotADocxError(
            f"the part {name} of the .docx is not well-formed XML ({error})"
        ) from error


def _package_target(archive: zipfile.ZipFile, types: Iterable[str], default: str) -> str:
    """The part name that the package relationships give for one of ``types``."""
    rels = _read_member(archive, "_rels/.rels")
    if rels is None:
        return default
    wanted = set(types)
    for rel in _parse(rels, "_rels/.rels").iter(f"{{{PACKAGE_RELS_NS}}}Relationship"):
        if rel.get("Type") in wanted and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            return posixpath.normpath(target.lstrip("/"))
    return default


def _main_document(data: bytes) -> Any:
    archive = _open(data)
    with archive:
        name = _package_target(
            archive, (OFFICE_DOCUMENT_RT, STRICT_OFFICE_DOCUMENT_RT), "word/document.xml"
        )
        blob = _read_member(archive, name)
        if blob is None and name != "word/document.xml":
            name = "word/document.xml"
            blob = _read_member(archive, name)
        if blob is None:
            raise NotADocxError("the file has no main document part (word/document.xml)")
        return _parse(blob, name)


# ---------------------------------------------------------------------------------------------
# Text and values


def _collect(element: Any, paragraphs: list[list[str]]) -> None:
    """Append the visible, non-deleted text under ``element`` to ``paragraphs``."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            paragraphs[-1].append(child.text or "")
        elif tag == _TAB:
            paragraphs[-1].append("\t")
        elif tag in _BREAKS:
            paragraphs[-1].append("\n")
        elif tag == _HYPHEN:
            paragraphs[-1].append("-")
        elif tag == _P:
            if paragraphs[-1]:
                paragraphs.append([])
            _collect(child, paragraphs)
            paragraphs.append([])
        else:
            _collect(child, paragraphs)


def _text_of(element: Any) -> str:
    paragraphs: list[list[str]] = [[]]
    _collect(element, paragraphs)
    lines = ["".join(parts) for parts in paragraphs]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(line.rstrip() for line in lines).strip()


def _on(element: Any, attribute: str = f"{_W}val") -> bool:
    """An OOXML on/off element: present without a value, or with 1/true/on, means on."""
    if element is None:
        return False
    value = element.get(attribute)
    return value is None or value.lower() in ("1", "true", "on")


def _legacy_checkbox(element: Any) -> bool | None:
    """The state of a legacy form-field checkbox under ``element``, if there is one."""
    box = element.find(f".//{_W}ffData/{_W}checkBox")
    if box is None:
        return None
    checked = box.find(f"{_W}checked")
    if checked is not None:
        return _on(checked)
    return _on(box.find(f"{_W}default"))


def _read_control(sdt: Any, tag: str, found_by: FoundBy, prompts: frozenset[str]) -> FieldValue:
    properties = sdt.find(f"{_W}sdtPr")
    content = sdt.find(f"{_W}sdtContent")
    if properties is None:
        properties = etree.Element(f"{_W}sdtPr")
    if content is None:
        content = etree.Element(f"{_W}sdtContent")
    checkbox = properties.find(f"{_W14}checkbox")
    if checkbox is not None:
        mark = checkbox.find(f"{_W14}checked")
        state = _on(mark, f"{_W14}val") if mark is not None else _CHECKED_GLYPH in _text_of(content)
        return FieldValue(tag, "checkbox", checked=state, found_by=found_by)
    legacy = _legacy_checkbox(content)
    if legacy is not None:
        return FieldValue(tag, "checkbox", checked=legacy, found_by=found_by)
    text = "" if _on(properties.find(f"{_W}showingPlcHdr")) else _text_of(content)
    if text in prompts:
        text = ""
    choices = properties.find(f"{_W}dropDownList")
    if choices is None:
        choices = properties.find(f"{_W}comboBox")
    if choices is not None:
        items = {
            item.get(f"{_W}displayText") or item.get(f"{_W}value") or "": item.get(f"{_W}value")
            or ""
            for item in choices.iter(f"{_W}listItem")
        }
        value = items.get(text, text) if text else ""
        return FieldValue(tag, "choice", text=text, value=value, found_by=found_by)
    return FieldValue(tag, "text", text=text, value=text, found_by=found_by)


def _control_tag(sdt: Any) -> str:
    tag = sdt.find(f"{_W}sdtPr/{_W}tag")
    return (tag.get(f"{_W}val") or "") if tag is not None else ""


def _add(found: dict[str, FieldValue], value: FieldValue) -> None:
    earlier = found.get(value.tag)
    if earlier is None:
        found[value.tag] = value
    else:
        found[value.tag] = replace(earlier, occurrences=earlier.occurrences + 1)


@dataclass(slots=True)
class _Range:
    tag: str
    start: Any
    control: Any = None


def _innermost_control(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == _SDT:
            return parent
        parent = parent.getparent()
    return None


def _read_bookmarks(root: Any, missing: set[str], prompts: frozenset[str]) -> list[FieldValue]:
    """Fields whose tags were lost, found by their bookmarks (one pass over the document).

    A bookmark's field is the content control it sits in, or else the first one inside it;
    without a control, the bookmarked text is the answer. A bookmark left without an end is
    read the same way (LibreOffice writes such bookmarks when it splits a control).
    """
    body = root.find(f"{_W}body")
    if body is None:
        return []
    ranges: list[_Range] = []
    open_ranges: dict[str, _Range] = {}
    ends: dict[int, Any] = {}
    for element in body.iter(f"{_W}bookmarkStart", f"{_W}bookmarkEnd", _SDT):
        tag = element.tag
        if tag == f"{_W}bookmarkStart":
            field_tag = tag_from_bookmark(element.get(f"{_W}name") or "")
            if field_tag is not None and field_tag in missing:
                found = _Range(field_tag, element, _innermost_control(element))
                ranges.append(found)
                open_ranges[element.get(f"{_W}id") or ""] = found
        elif tag == _SDT:
            for candidate in open_ranges.values():
                if candidate.control is None:
                    candidate.control = element
        else:
            finished = open_ranges.pop(element.get(f"{_W}id") or "", None)
            if finished is not None:
                ends[id(finished)] = element
    results = []
    for found in ranges:
        if found.control is not None:
            results.append(_read_control(found.control, found.tag, "bookmark", prompts))
            continue
        text = _range_text(found.start, ends.get(id(found)))
        if text in prompts:
            text = ""
        results.append(FieldValue(found.tag, "text", text=text, value=text, found_by="bookmark"))
    return results


def _following(element: Any) -> Iterator[Any]:
    """The elements after ``element`` in document order, lazily."""
    node = element
    while node is not None:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def _range_text(start: Any, end: Any) -> str:
    """The text from ``start`` to ``end`` (or to the end of its paragraph when None)."""
    if end is None:
        paragraph = next(start.iterancestors(_P), None)
        end = paragraph.getnext() if paragraph is not None else None
        if end is None:
            return ""
    lines: list[list[str]] = [[]]
    paragraph = None
    for element in _following(start):
        if element is end:
            break
        tag = element.tag
        if tag not in (_T, _TAB, _HYPHEN) and tag not in _BREAKS:
            continue
        if any(ancestor.tag in _SKIP for ancestor in element.iterancestors()):
            continue
        owner = next(element.iterancestors(_P), None)
        if paragraph is not None and owner is not paragraph:
            lines.append([])
        paragraph = owner
        if tag == _T:
            lines[-1].append(element.text or "")
        elif tag == _TAB:
            lines[-1].append("\t")
        elif tag == _HYPHEN:
            lines[-1].append("-")
        else:
            lines[-1].append("\n")
    return "\n".join("".join(parts).rstrip() for parts in lines).strip()


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


def read_answer_fields(data: bytes, *, placeholders: Iterable[str] = ()) -> dict[str, FieldValue]:
    """Every answer field in a response form, by tag.

    Args:
        data: The bytes of the .docx file.
        placeholders: Prompt texts (besides the contract's ``UNANSWERED_PROMPTS``) that mean
            "not answered".

    Returns:
        The fields by tag, in document order.

    Raises:
        NotADocxError: The bytes are not a readable .docx file.
    """
    root = _main_document(data)
    prompts = UNANSWERED_PROMPTS | frozenset(text.strip() for text in placeholders)
    found: dict[str, FieldValue] = {}
    for sdt in root.iter(_SDT):
        tag = _control_tag(sdt)
        if tag:
            _add(found, _read_control(sdt, tag, "tag", prompts))
    missing: set[str] = set()
    for start in root.iter(f"{_W}bookmarkStart"):
        field_tag = tag_from_bookmark(start.get(f"{_W}name") or "")
        if field_tag is not None and field_tag not in found:
            missing.add(field_tag)
    if missing:
        # A word processor may split one field's bookmark into several (LibreOffice does when
        # a control held several paragraphs): their texts are joined.
        for value in _read_bookmarks(root, missing, prompts):
            earlier = found.get(value.tag)
            if earlier is None:
                found[value.tag] = value
            elif earlier.kind == value.kind == "text" and value.text:
                joined = f"{earlier.text}\n{value.text}" if earlier.text else value.text
                found[value.tag] = replace(earlier, text=joined, value=joined)
    _legacy_checkboxes(root, found)
    return found


def read_custom_properties(data: bytes) -> dict[str, str]:
    """The custom document properties (name to text value); empty when there are none.

    Raises:
        NotADocxError: The bytes are not a readable .docx file.
    """
    archive = _open(data)
    with archive:
        name = _package_target(archive, (CUSTOM_PROPERTIES_RT,), "docProps/custom.xml")
        blob = _read_member(archive, name)
        if _read_member(archive, "word/document.xml") is None and not any(
            info.filename.endswith("document.xml") for info in archive.infolist()
        ):
            raise NotADocxError("the file has no main document part (word/document.xml)")
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
