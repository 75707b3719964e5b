"""Write a ``Document`` of blocks as a Word file on top of the organisation's reference document.

The reference document (``templates/reference.docx``, see ``tools/make_reference.py``) gives the styles,
page setup, numbering definitions, header and footer. Its body is replaced by the blocks.

This module assembles the package: it opens the reference document, checks its styles
(``check_reference_document``), has the body written, sets the settings (update fields,
protection), the proofing language, header, footer and document properties, and writes the
zip file. The parts it calls on:

* ``docx_body``: the body serialiser (blocks as WordprocessingML text, answer fields as
  content controls with the form contract's tags and bookmarks);
* ``docx_numbering``: list numbering (the list styles' definitions, a restart per list);
* ``docx_styles``: the required styles and looking styles up by name;
* ``docx_xml``: namespaces, escaping and ``UnsafeTextError``;
* ``docx_package``: what the writer needs from below python-docx's public API (the numbering,
  header and footer parts, package-level parts, the main part's name), with a test per
  python-docx internal it touches.

Speed and memory: the body is written as XML text, block by block, into encoded chunks, and
streamed into the zip file; python-docx only handles the small parts (styles, numbering,
settings, header, footer, properties). Nothing is quadratic: no ``table.cell()``, no
``add_paragraph`` scans, no whole-tree rebuilds. 10,000 requirement-sized units take a few
seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from upphandla.documents import docx_package
from upphandla.documents.blocks import Document, DocumentProperties
from upphandla.documents.docx_body import ENGLISH, SWEDISH, BodyStyles, BodyWriter
from upphandla.documents.docx_numbering import Numbering
from upphandla.documents.docx_styles import REQUIRED_STYLES, missing_styles, style_index
from upphandla.documents.docx_xml import (
    MC_NS,
    R_NS,
    W14_NS,
    W_NS,
    UnsafeTextError,
    W,
    escape,
    unsafe_character,
)
from upphandla.documents.form import bookmark_name
from upphandla.errors import InputError, Location

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = [
    "REQUIRED_STYLES",
    "ReferenceDocumentError",
    "UnsafeTextError",
    "bookmark_name",
    "check_reference_document",
    "render_docx",
]

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PROPERTIES_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPERTIES_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_DEFAULT_TEXT_WIDTH = 9072  # A4 with 2.5 cm margins, in twips


class ReferenceDocumentError(InputError):
    """The reference document cannot be used: not a .docx, or required styles are missing.

    ``location`` names the reference document when the raiser knows it.
    """

    def __init__(
        self, message: str, missing_styles: Sequence[str] = (), path: Path | None = None
    ) -> None:
        self.missing_styles = tuple(missing_styles)
        super().__init__(message, Location(path) if path is not None else None)


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
    return missing_styles(style_index(source.styles.element))


# ---------------------------------------------------------------------------------------------
# Parts other than the body


def _insert_in_order(parent: Any, element: Any, successors: Sequence[str]) -> None:
    """Insert ``element`` before the first child named in ``successors`` (schema order)."""
    names = {f"{W}{name}" for name in successors}
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
    for old in settings.findall(f"{W}updateFields"):
        settings.remove(old)
    update = etree.SubElement(settings, f"{W}updateFields")
    settings.remove(update)
    update.set(f"{W}val", "true")
    _insert_in_order(settings, update, _AFTER_UPDATE_FIELDS)
    for old in settings.findall(f"{W}documentProtection"):
        settings.remove(old)
    if protect:
        protection = etree.SubElement(settings, f"{W}documentProtection")
        settings.remove(protection)
        protection.set(f"{W}edit", "readOnly")
        protection.set(f"{W}enforcement", "1")
        _insert_in_order(settings, protection, _AFTER_PROTECTION)


def _set_language(styles: Any, language: str) -> None:
    """Set the proofing language of the whole document (the default run properties)."""
    defaults = styles.find(f"{W}docDefaults")
    if defaults is None:
        defaults = etree.SubElement(styles, f"{W}docDefaults")
        styles.remove(defaults)
        styles.insert(0, defaults)
    rpr_default = defaults.find(f"{W}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.SubElement(defaults, f"{W}rPrDefault")
        defaults.remove(rpr_default)
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{W}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{W}rPr")
    lang = rpr.find(f"{W}lang")
    if lang is None:
        lang = etree.SubElement(rpr, f"{W}lang")
    lang.set(f"{W}val", language)


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
    for paragraph in container.iterchildren(f"{W}p"):
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
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""


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
        bad = unsafe_character(value)
        if bad is not None:
            raise UnsafeTextError(f"document properties, {name}", value, bad)
    for name, value in properties.custom:
        for text in (name, value):
            bad = unsafe_character(text)
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
        width = int(sect_pr.find(f"{W}pgSz").get(f"{W}w"))
        margins = sect_pr.find(f"{W}pgMar")
        left = int(margins.get(f"{W}left") or 0)
        right = int(margins.get(f"{W}right") or 0)
        gutter = int(margins.get(f"{W}gutter") or 0)
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
    body = frame.find(f"{W}body")
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

    index = style_index(source.styles.element)
    missing = missing_styles(index)
    if missing:
        raise ReferenceDocumentError(
            f"{reference}: the reference document lacks the styles " + ", ".join(missing),
            missing,
            reference,
        )

    def style(name: str) -> str:
        return index[name.lower()].style_id

    styles = BodyStyles(
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
    body = root.find(f"{W}body")
    if body is None:
        raise ReferenceDocumentError(
            f"{reference}: the reference document has no body", path=reference
        )
    sect_pr = None
    for child in list(body):
        if child.tag == f"{W}sectPr":
            sect_pr = child
        else:
            body.remove(child)
    if sect_pr is None:
        sect_pr = etree.fromstring(_A4_SECTION)
        body.append(sect_pr)

    numbering = Numbering(docx_package.numbering_element(source), index)
    words = ENGLISH if document.properties.language.lower().startswith("en") else SWEDISH
    writer = BodyWriter(
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
