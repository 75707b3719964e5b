"""Fill in a response form (svarsbilaga.docx) the way a supplier would, for the evaluate tests.

The form's answer fields are content controls (``w:sdt``) found by their ``w:tag``. Filling a
field replaces its content with the answer (one paragraph per line for a block-level field),
shows the chosen item for a drop-down and clears the placeholder flag, as Word does. Options
imitate what suppliers do to a form: answer with tracked changes on, add paragraphs of their
own, move requirement tables around, or delete one.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
AUTHOR = "Anna Anbudsskrivare"
DATE = "2026-12-01T10:00:00Z"
DELETED = "Text som leverantören strök och som inte får räknas."
SUPPLIER_TABLES = ("omslag", "leverantor")


def fill_form(
    source: Path,
    target: Path,
    answers: Mapping[str, str],
    *,
    tracked: bool = False,
    extra_paragraphs: bool = False,
    reorder_tables: bool = False,
    delete_tables: Iterable[str] = (),
    between_tables: bool = False,
    second_paragraph: bool = False,
) -> Path:
    """Write ``source`` filled in with ``answers`` (tag to text) to ``target``.

    Args:
        tracked: Write every answer as a tracked insertion, after a tracked deletion (of the
            other choice for a drop-down, of ``DELETED`` for text), with track changes on.
        extra_paragraphs: Add paragraphs of the supplier's own between the tables, in the
            answer cells next to the fields, and a second paragraph inside text answers.
        reorder_tables: Put the requirement tables in reverse order.
        between_tables: Add paragraphs of the supplier's own between the tables only.
        second_paragraph: Add a second paragraph inside text answers only.
        delete_tables: Remove the tables of these requirement ids.
    """
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find(f"{W}body")
    revision = iter(range(9000, 99999))
    for sdt in list(body.iter(f"{W}sdt")):
        tag = _tag(sdt)
        if tag in answers:
            text = answers[tag]
            if (extra_paragraphs or second_paragraph) and tag.endswith(".description") and text:
                text += "\nLeverantören har lagt till ett andra stycke i svaret."
            _fill(sdt, text, tracked, revision)
            if extra_paragraphs:
                _paragraph_next_to(sdt, "Leverantörens egen kommentar utanför fältet.")
    requirement_tables = [
        table for table in body.findall(f"{W}tbl") if _caption(table) not in SUPPLIER_TABLES
    ]
    doomed = set(delete_tables)
    for table in requirement_tables:
        if _caption(table) in doomed:
            body.remove(table)
    kept = [table for table in requirement_tables if _caption(table) not in doomed]
    if reorder_tables:
        _reverse(body, kept)
    if extra_paragraphs or between_tables:
        for table in kept:
            table.addnext(_paragraph(f"Kommentar efter tabellen {_caption(table)}."))
    parts["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    if tracked:
        parts["word/settings.xml"] = _track_revisions(parts["word/settings.xml"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def _tag(sdt: etree._Element) -> str:
    tag = sdt.find(f"{W}sdtPr/{W}tag")
    return tag.get(f"{W}val", "") if tag is not None else ""


def _caption(table: etree._Element) -> str:
    caption = table.find(f"{W}tblPr/{W}tblCaption")
    return caption.get(f"{W}val", "") if caption is not None else ""


def _fill(sdt: etree._Element, text: str, tracked: bool, revision: Iterable[int]) -> None:
    properties = sdt.find(f"{W}sdtPr")
    content = sdt.find(f"{W}sdtContent")
    for flag in properties.findall(f"{W}showingPlcHdr"):
        properties.remove(flag)
    choices = properties.find(f"{W}dropDownList")
    deleted = DELETED
    if choices is not None:
        choices.set(f"{W}lastValue", text)
        others = [
            item.get(f"{W}displayText") or ""
            for item in choices.iter(f"{W}listItem")
            if item.get(f"{W}displayText") != text
        ]
        deleted = others[0] if others else DELETED
    numbers = iter(revision)
    paragraphs = content.findall(f"{W}p")
    if paragraphs:
        paragraph_properties = paragraphs[0].find(f"{W}pPr")
        for child in list(content):
            content.remove(child)
        for index, line in enumerate(text.split("\n")):
            paragraph = etree.SubElement(content, f"{W}p")
            if paragraph_properties is not None:
                paragraph.append(copy.deepcopy(paragraph_properties))
            _runs(paragraph, line, tracked, deleted if index == 0 else "", numbers)
    else:
        for child in list(content):
            content.remove(child)
        _runs(content, text, tracked, deleted, numbers)


def _runs(
    parent: etree._Element, text: str, tracked: bool, deleted: str, numbers: Iterable[int]
) -> None:
    counter = iter(numbers)
    if not tracked:
        parent.append(_run(text))
        return
    if deleted:
        removal = etree.SubElement(parent, f"{W}del", _revision(next(counter)))
        run = etree.SubElement(removal, f"{W}r")
        gone = etree.SubElement(run, f"{W}delText")
        gone.text = deleted
        gone.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    insertion = etree.SubElement(parent, f"{W}ins", _revision(next(counter)))
    insertion.append(_run(text))


def _revision(number: int) -> dict[str, str]:
    return {f"{W}id": str(number), f"{W}author": AUTHOR, f"{W}date": DATE}


def _run(text: str) -> etree._Element:
    run = etree.Element(f"{W}r")
    element = etree.SubElement(run, f"{W}t")
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _paragraph(text: str) -> etree._Element:
    paragraph = etree.Element(f"{W}p")
    paragraph.append(_run(text))
    return paragraph


def _paragraph_next_to(sdt: etree._Element, text: str) -> None:
    """A paragraph of the supplier's own in the same table cell, after the field (and after the
    field's bookmark, which marks where the field ends)."""
    parent = sdt.getparent()
    if parent.tag == f"{W}tc":
        anchor = sdt.getnext() if _is_bookmark_end(sdt.getnext()) else sdt
        anchor.addnext(_paragraph(text))
    elif parent.tag == f"{W}p" and parent.getparent().tag == f"{W}tc":
        parent.addnext(_paragraph(text))


def _is_bookmark_end(element: etree._Element | None) -> bool:
    return element is not None and element.tag == f"{W}bookmarkEnd"


def _reverse(body: etree._Element, tables: list[etree._Element]) -> None:
    """Put ``tables`` in reverse order, each into the place another one had."""
    markers = []
    for table in tables:
        marker = etree.Element(f"{W}bookmarkStart")
        table.addprevious(marker)
        body.remove(table)
        markers.append(marker)
    for marker, table in zip(markers, reversed(tables), strict=True):
        marker.addnext(table)
        body.remove(marker)


def _track_revisions(settings: bytes) -> bytes:
    root = etree.fromstring(settings)
    if root.find(f"{W}trackRevisions") is None:
        root.insert(0, etree.Element(f"{W}trackRevisions"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
