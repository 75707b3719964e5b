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
* ``docx_package``: the reference document as a package, read within limits and reduced to
  the parts the writer needs (styles, numbering, settings, header, footer and their pictures),
  and the zip writer.

Speed and memory: the body is written as XML text, block by block, into encoded chunks, and
streamed into the zip file; the small parts (styles, numbering, settings, header, footer,
properties) are lxml trees copied from the reference document once per run. Nothing is quadratic: no ``table.cell()``, no
``add_paragraph`` scans, no whole-tree rebuilds. 10,000 requirement-sized units take a few
seconds.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from upphandla.documents.blocks import Document, DocumentProperties, Orientation, SectionBreak
from upphandla.documents.docx_body import ENGLISH, SWEDISH, BodyStyles, BodyWriter
from upphandla.documents.docx_numbering import Numbering
from upphandla.documents.docx_package import (
    CORE_PROPERTIES_CT,
    CORE_PROPERTIES_RT,
    CUSTOM_PROPERTIES_CT,
    CUSTOM_PROPERTIES_RT,
    FOOTER_CT,
    FOOTER_RT,
    HEADER_CT,
    HEADER_RT,
    NUMBERING_CT,
    NUMBERING_RT,
    SETTINGS_CT,
    SETTINGS_RT,
    STYLES_RT,
    ReferenceDocument,
    ReferenceDocumentError,
    open_reference,
    write_package,
)
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
from upphandla.records import record

__all__ = [
    "REQUIRED_STYLES",
    "ReferenceDocumentError",
    "UnsafeTextError",
    "bookmark_name",
    "check_reference_document",
    "open_reference",
    "reference_missing_styles",
    "render_docx",
]

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_DEFAULT_TEXT_WIDTH = 9072  # A4 with 2.5 cm margins, in twips


def reference_missing_styles(reference: ReferenceDocument) -> list[str]:
    """Names of the required styles that the opened reference document lacks."""
    styles = reference.related_part(reference.main_part, STYLES_RT)
    return missing_styles(style_index(styles.element) if styles is not None else {})


def check_reference_document(reference: Path) -> list[str]:
    """Names of the required styles that the reference document lacks (empty when usable).

    Args:
        reference: Path of the reference .docx.

    Raises:
        ReferenceDocumentError: The file cannot be opened as a Word document.
    """
    return reference_missing_styles(open_reference(reference))


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
    return _serialise(root)


def _serialise(element: Any) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True))


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


@record
class _HeaderFooterStyles:
    header: str
    footer: str


_CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_DCTERMS_NS = "http://purl.org/dc/terms/"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _core_properties(properties: DocumentProperties) -> Any:
    """A fresh core-properties part: nothing of the reference's own metadata is kept."""
    nsmap = {
        "cp": _CP_NS,
        "dc": _DC_NS,
        "dcterms": _DCTERMS_NS,
        "dcmitype": "http://purl.org/dc/dcmitype/",
        "xsi": _XSI_NS,
    }
    root = etree.Element(f"{{{_CP_NS}}}coreProperties", nsmap=nsmap)
    stamp = _now().strftime("%Y-%m-%dT%H:%M:%SZ")
    for namespace, name, value in (
        (_DC_NS, "title", properties.title),
        (_DC_NS, "subject", properties.subject),
        (_DC_NS, "creator", properties.author),
        (_CP_NS, "keywords", properties.keywords),
        (_DC_NS, "description", ""),
        (_CP_NS, "lastModifiedBy", properties.author),
        (_CP_NS, "revision", "1"),
        (_DCTERMS_NS, "created", stamp),
        (_DCTERMS_NS, "modified", stamp),
        (_DC_NS, "language", properties.language),
    ):
        element = etree.SubElement(root, f"{{{namespace}}}{name}")
        element.text = value
        if namespace == _DCTERMS_NS:
            element.set(f"{{{_XSI_NS}}}type", "dcterms:W3CDTF")
    return root


def _numbering_element(source: ReferenceDocument) -> Any:
    part = source.related_part(source.main_part, NUMBERING_RT)
    if part is None:
        element = etree.Element(f"{W}numbering", nsmap={"w": W_NS})
        part = source.add_part(
            source.main_part, NUMBERING_RT, "word/numbering.xml", NUMBERING_CT, element
        )
    return part.element


def _settings_element(source: ReferenceDocument) -> Any:
    part = source.related_part(source.main_part, SETTINGS_RT)
    if part is None:
        element = etree.Element(f"{W}settings", nsmap={"w": W_NS})
        part = source.add_part(
            source.main_part, SETTINGS_RT, "word/settings.xml", SETTINGS_CT, element
        )
    return part.element


def _header_or_footer(source: ReferenceDocument, sect_pr: Any, kind: str) -> Any:
    """The root of the section's default header or footer (``kind``), added when it has none."""
    reference_tag = f"{W}{kind}Reference"
    for reference in sect_pr.findall(reference_tag):
        if reference.get(f"{W}type", "default") == "default":
            target = source.main_part.related_by_id(reference.get(f"{{{R_NS}}}id") or "")
            if target is not None and target in source.parts:
                return source.parts[target].element
            sect_pr.remove(reference)
    tag, type_, content_type = (
        ("hdr", HEADER_RT, HEADER_CT) if kind == "header" else ("ftr", FOOTER_RT, FOOTER_CT)
    )
    element = etree.Element(f"{W}{tag}", nsmap={"w": W_NS, "r": R_NS})
    part = source.add_part(source.main_part, type_, f"word/{kind}1.xml", content_type, element)
    reference = etree.Element(reference_tag)
    reference.set(f"{W}type", "default")
    reference.set(f"{{{R_NS}}}id", source.main_part.relationship_id(part.name) or "")
    sect_pr.insert(0, reference)
    return element


def _apply_properties(
    source: ReferenceDocument,
    sect_pr: Any,
    properties: DocumentProperties,
    styles: _HeaderFooterStyles,
) -> None:
    source.add_part(
        None,
        CORE_PROPERTIES_RT,
        "docProps/core.xml",
        CORE_PROPERTIES_CT,
        _core_properties(properties),
    )
    existing = source.package_part(CUSTOM_PROPERTIES_RT)
    if properties.custom or existing is not None:
        custom = etree.fromstring(
            _custom_properties_xml(
                _serialise(existing.element) if existing is not None else None, properties.custom
            )
        )
        if existing is not None:
            existing.element = custom
        else:
            source.add_part(
                None, CUSTOM_PROPERTIES_RT, "docProps/custom.xml", CUSTOM_PROPERTIES_CT, custom
            )

    if properties.header:
        _fill_paragraph(
            _header_or_footer(source, sect_pr, "header"),
            styles.header,
            _text_run(properties.header),
        )
    page_runs = (
        _text_run(properties.footer)
        + "<w:r><w:tab/></w:r>"
        + _text_run(f"{properties.page_word} ")
        + _field_runs("PAGE", "1")
        + _text_run(f" {properties.of_word} ")
        + _field_runs("NUMPAGES", "1")
    )
    _fill_paragraph(_header_or_footer(source, sect_pr, "footer"), styles.footer, page_runs)


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


def _orientation(sect_pr: Any) -> Orientation:
    """``landscape`` when the section's page is wider than high, else ``portrait``."""
    size = sect_pr.find(f"{W}pgSz")
    try:
        wide = int(size.get(f"{W}w")) > int(size.get(f"{W}h"))
    except (AttributeError, TypeError, ValueError):
        return "portrait"
    return "landscape" if wide else "portrait"


def _turned(sect_pr: Any, orientation: Orientation) -> Any:
    """A copy of the section properties with the page turned to ``orientation``."""
    import copy

    element = copy.deepcopy(sect_pr)
    size = element.find(f"{W}pgSz")
    if size is None:
        return element
    try:
        width, height = int(size.get(f"{W}w")), int(size.get(f"{W}h"))
    except (TypeError, ValueError):
        return element
    if (width > height) != (orientation == "landscape"):
        width, height = height, width
    size.set(f"{W}w", str(width))
    size.set(f"{W}h", str(height))
    if orientation == "landscape":
        size.set(f"{W}orient", "landscape")
    elif f"{W}orient" in size.attrib:
        del size.attrib[f"{W}orient"]
    return element


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


_A4_SECTION = (
    f'<w:sectPr xmlns:w="{W_NS}"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" '
    'w:right="1417" w:bottom="1417" w:left="1417" w:header="709" w:footer="709" w:gutter="0"/>'
    "</w:sectPr>"
)


def render_docx(
    document: Document, reference: Path | ReferenceDocument, *, protect: bool = False
) -> bytes:
    """Render ``document`` on top of the reference document; return the .docx file's bytes.

    Args:
        document: The blocks and properties to write.
        reference: The organisation's reference .docx (styles, page setup, header, footer), as
            a path or as read once by ``open_reference`` for several documents.
        protect: Restrict editing so that only the answer fields can be changed (see
            docs/response-form-protection.md for what Word and LibreOffice do with it).

    Raises:
        ReferenceDocumentError: The reference cannot be opened or lacks required styles.
        UnsafeTextError: Some text holds a character a Word document cannot store.
    """
    _check_properties(document.properties)
    source = (open_reference(reference) if isinstance(reference, Path) else reference).copy()
    main = source.main_part
    styles_part = source.related_part(main, STYLES_RT)
    index = style_index(styles_part.element) if styles_part is not None else {}
    missing = missing_styles(index)
    if missing:
        raise ReferenceDocumentError(
            f"{source.path}: the reference document lacks the styles " + ", ".join(missing),
            missing,
            source.path,
        )
    assert styles_part is not None  # every required style was found in it

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

    root = main.element
    body = root.find(f"{W}body")
    if body is None:
        raise ReferenceDocumentError(
            f"{source.path}: the reference document has no body", path=source.path
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

    _apply_properties(
        source, sect_pr, document.properties, _HeaderFooterStyles(style("header"), style("footer"))
    )
    # Sections: each one that ends inside the body carries a copy of the last section's
    # properties (its header, footer, page size and margins), turned to its orientation; the
    # last section is turned to the orientation of the last ``SectionBreak``.
    first = _orientation(sect_pr)
    turned = {name: _turned(sect_pr, name) for name in ("portrait", "landscape")}
    sections = {
        name: (etree.tostring(element, encoding="unicode"), _text_width(element))
        for name, element in turned.items()
    }
    breaks = [block.orientation for block in document.blocks if isinstance(block, SectionBreak)]
    last = breaks[-1] if breaks else first
    if last != first:
        body.replace(sect_pr, turned[last])
        sect_pr = turned[last]

    numbering = Numbering(_numbering_element(source), index)
    words = ENGLISH if document.properties.language.lower().startswith("en") else SWEDISH
    writer = BodyWriter(
        styles, numbering, words, sections[first][1], protect, sections, orientation=first
    )
    writer.write(document.blocks)
    if not writer.chunks:
        writer.chunks.append(b"<w:p/>")
    numbering.finish()

    _set_settings(_settings_element(source), protect)
    _set_language(styles_part.element, document.properties.language)

    head, tail = _document_xml_frame(root)
    return write_package(source, [head, *writer.chunks, tail])
