"""One test per python-docx internal that ``upphandla.documents.docx_package`` relies on.

When python-docx is upgraded and one of these fails, the test's name says which internal moved;
fix ``docx_package`` (and only it), then run tests/test_docx_writer.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from conftest import REPO
from upphandla.documents import docx_package

REFERENCE = REPO / "templates" / "reference.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
LIBREOFFICE_CORE_RT = (
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
)


def _rewrite(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """``data`` (a zip) with members replaced, or left out where the change is None."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = changes.get(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
    return output.getvalue()


def _member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def _saved(document: Document) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _relationship_types(data: bytes, rels_member: str = "_rels/.rels") -> list[str]:
    root = etree.fromstring(_member(data, rels_member))
    return [rel.get("Type") or "" for rel in root]


def _open(data: bytes | Path = REFERENCE) -> Document:
    return docx.Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))


# --------------------------------------------------------------------- DocumentPart.partname


def test_main_document_member_comes_from_the_document_parts_partname() -> None:
    document = _open()
    member = docx_package.main_document_member(document)
    assert member == "word/document.xml"
    assert member in _names(_saved(document))


# ------------------------------------------------------------ DocumentPart.numbering_part


def test_numbering_element_is_the_root_of_the_numbering_part_and_edits_are_saved() -> None:
    document = _open()
    numbering = docx_package.numbering_element(document)
    assert numbering.tag == f"{W}numbering"
    etree.SubElement(numbering, f"{W}numIdMacAtCleanup").set(f"{W}val", "7")
    saved = etree.fromstring(_member(_saved(document), "word/numbering.xml"))
    assert saved.find(f"{W}numIdMacAtCleanup") is not None


def test_numbering_element_is_added_when_the_document_has_no_numbering_part() -> None:
    rels = _member(REFERENCE.read_bytes(), "word/_rels/document.xml.rels").decode()
    rels = re.sub(r"<Relationship [^>]*Target=\"numbering.xml\"/>", "", rels)
    data = _rewrite(
        REFERENCE.read_bytes(),
        {"word/numbering.xml": None, "word/_rels/document.xml.rels": rels.encode()},
    )
    document = _open(data)
    numbering = docx_package.numbering_element(document)
    assert numbering.tag == f"{W}numbering"
    assert len(numbering) == 0
    saved = _saved(document)
    assert etree.fromstring(_member(saved, "word/numbering.xml")).tag == f"{W}numbering"
    assert RT.NUMBERING in _relationship_types(saved, "word/_rels/document.xml.rels")
    assert 'PartName="/word/numbering.xml"' in _member(saved, "[Content_Types].xml").decode()


# ------------------------------------------------------------------- _Header.part.element


@pytest.mark.parametrize(("which", "tag"), [("header", "hdr"), ("footer", "ftr")])
def test_header_footer_element_is_the_root_of_its_part_and_edits_are_saved(
    which: str, tag: str
) -> None:
    document = _open()
    header_or_footer = getattr(document.sections[-1], which)
    header_or_footer.is_linked_to_previous = False
    element = docx_package.header_footer_element(header_or_footer)
    assert element.tag == f"{W}{tag}"
    etree.SubElement(etree.SubElement(element, f"{W}p"), f"{W}r").append(
        etree.fromstring(f'<w:t xmlns:w="{W[1:-1]}">marker-{which}</w:t>')
    )
    saved = _saved(document)
    assert f"marker-{which}" in _member(saved, f"word/{which}1.xml").decode()


# ---------------------------------------- OpcPackage.rels, _Relationship, add_relationship


def test_a_libreoffice_core_properties_relationship_is_recognised() -> None:
    original = REFERENCE.read_bytes()
    rels = (
        _member(original, "_rels/.rels").decode().replace(RT.CORE_PROPERTIES, LIBREOFFICE_CORE_RT)
    )
    assert LIBREOFFICE_CORE_RT in rels
    document = _open(_rewrite(original, {"_rels/.rels": rels.encode()}))
    assert docx_package.recognise_libreoffice_core_properties(document) is True
    document.core_properties.title = "Titel"
    saved = _saved(document)
    types = _relationship_types(saved)
    assert types.count(RT.CORE_PROPERTIES) == 1
    assert LIBREOFFICE_CORE_RT not in types
    core_parts = [name for name in _names(saved) if name.startswith("docProps/core")]
    assert core_parts == ["docProps/core.xml"]
    assert b"Titel" in _member(saved, "docProps/core.xml")
    assert _open(saved).core_properties.title == "Titel"


def test_a_standard_core_properties_relationship_is_left_alone() -> None:
    document = _open()
    assert docx_package.recognise_libreoffice_core_properties(document) is False
    assert _relationship_types(_saved(document)) == _relationship_types(REFERENCE.read_bytes())


# ------------------------------------------ Part(...), PackURI, Part.blob, relate_to


def test_a_package_part_is_added_read_back_and_replaced_under_its_name() -> None:
    document = _open()
    assert docx_package.package_part_blob(document, CUSTOM_RT) is None
    docx_package.put_package_part(
        document, CUSTOM_RT, "/docProps/custom.xml", CUSTOM_CT, b"<Properties>one</Properties>"
    )
    assert docx_package.package_part_blob(document, CUSTOM_RT) == b"<Properties>one</Properties>"
    first = _saved(document)
    assert _member(first, "docProps/custom.xml") == b"<Properties>one</Properties>"
    assert 'PartName="/docProps/custom.xml"' in _member(first, "[Content_Types].xml").decode()

    reopened = _open(first)
    assert docx_package.package_part_blob(reopened, CUSTOM_RT) == b"<Properties>one</Properties>"
    docx_package.put_package_part(
        reopened, CUSTOM_RT, "/docProps/other.xml", CUSTOM_CT, b"<Properties>two</Properties>"
    )
    second = _saved(reopened)
    assert _member(second, "docProps/custom.xml") == b"<Properties>two</Properties>"
    assert "docProps/other.xml" not in _names(second)
    assert _relationship_types(second).count(CUSTOM_RT) == 1
    assert sorted(_relationship_types(second)) == sorted(_relationship_types(first))
