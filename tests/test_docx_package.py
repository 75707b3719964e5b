"""The reference document is read within limits and only what the writer needs reaches a document.

Each test crafts a reference document from the bundled one (external links, macros, embedded
objects, custom XML, a zip bomb, LibreOffice's variants), renders a document on it and reads the
result back with python-docx and lxml: independent readers, so a package python-docx cannot open
fails here too.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from conftest import REPO
from test_docx_writer import sample_document
from upphandla.documents.docx_package import (
    ReferenceDocumentError,
    open_reference,
)
from upphandla.documents.docx_writer import check_reference_document, render_docx
from upphandla.evaluation.form_reader import read_answer_fields

REFERENCE = REPO / "templates" / "reference.docx"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
R_NS = RT.rstrip("/")


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


def _add_relationship(
    members: dict[str, bytes], rels: str, type_: str, target: str, *, external: bool = False
) -> str:
    root = etree.fromstring(members.get(rels) or f'<Relationships xmlns="{RELS}"/>'.encode())
    r_id = f"rIdX{len(root)}"
    rel = etree.SubElement(root, f"{{{RELS}}}Relationship", Id=r_id, Type=type_, Target=target)
    if external:
        rel.set("TargetMode", "External")
    members[rels] = etree.tostring(root)
    return r_id


def _add_override(members: dict[str, bytes], part: str, content_type: str) -> None:
    root = etree.fromstring(members["[Content_Types].xml"])
    etree.SubElement(root, f"{{{CT}}}Override", PartName=part, ContentType=content_type)
    members["[Content_Types].xml"] = etree.tostring(root)


def _crafted(tmp_path: Path, members: dict[str, bytes], name: str = "mall.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(_zip(members))
    return path


def _hostile_reference(tmp_path: Path) -> Path:
    """A reference with every kind of baggage the writer must leave behind."""
    members = _members(REFERENCE.read_bytes())
    # An attached template on a web address, and a mail-merge source on a network share.
    template_id = _add_relationship(
        members,
        "word/_rels/settings.xml.rels",
        RT + "attachedTemplate",
        "http://angripare.example/mall.dotm",
        external=True,
    )
    settings = etree.fromstring(members["word/settings.xml"])
    attached = etree.SubElement(settings, f"{W}attachedTemplate")
    attached.set(f"{{{R_NS}}}id", template_id)
    merge = etree.SubElement(settings, f"{W}mailMerge")
    etree.SubElement(merge, f"{W}query").set(f"{W}val", "SELECT * FROM \\\\server\\share")
    members["word/settings.xml"] = etree.tostring(settings)
    # Macros, custom XML and a glossary of the main document.
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"
    _add_relationship(
        members,
        "word/_rels/document.xml.rels",
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "vbaProject.bin",
    )
    members["customXml/item1.xml"] = b"<hemligt>personnummer</hemligt>"
    _add_relationship(
        members, "word/_rels/document.xml.rels", RT + "customXml", "../customXml/item1.xml"
    )
    # A header with a picture on a UNC path and an embedded object.
    members["word/header9.xml"] = (
        f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        "<w:p><w:r><w:t>Logotyp</w:t></w:r></w:p>"
        '<w:p><w:r><w:pict><v:shape><v:imagedata r:id="rIdLogo"/></v:shape></w:pict></w:r></w:p>'
        '<w:p><w:r><w:object><o:OLEObject r:id="rIdOle"/></w:object></w:r></w:p>'
        "</w:hdr>"
    ).encode()
    members["word/_rels/header9.xml.rels"] = (
        f'<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rIdLogo" Type="{RT}image" Target="file://server/share/logo.png" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdOle" Type="{RT}oleObject" Target="embeddings/oleObject1.bin"/>'
        "</Relationships>"
    ).encode()
    members["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 object"
    _add_override(
        members,
        "/word/header9.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    )
    header_id = _add_relationship(
        members, "word/_rels/document.xml.rels", RT + "header", "header9.xml"
    )
    document = etree.fromstring(members["word/document.xml"])
    sect_pr = document.find(f"{W}body/{W}sectPr")
    for old in sect_pr.findall(f"{W}headerReference"):
        sect_pr.remove(old)
    reference = etree.Element(f"{W}headerReference")
    reference.set(f"{W}type", "default")
    reference.set(f"{{{R_NS}}}id", header_id)
    sect_pr.insert(0, reference)
    members["word/document.xml"] = etree.tostring(document)
    # A thumbnail, and a package-level link to the outside.
    _add_relationship(
        members, "_rels/.rels", RT + "hyperlink", "https://spårning.example/", external=True
    )
    return _crafted(tmp_path, members)


def test_nothing_but_styles_numbering_settings_header_and_footer_reaches_the_document(
    tmp_path: Path,
) -> None:
    reference = _hostile_reference(tmp_path)
    result = render_docx(sample_document(), reference)
    members = _members(result)
    everything = b"\n".join(members.values())
    for trace in (b"angripare.example", b"server", b"vbaProject", b"customXml", b"oleObject"):
        assert trace not in everything, trace
    assert not any(name.startswith(("customXml/", "word/embeddings/")) for name in members)
    assert "word/vbaProject.bin" not in members
    settings = etree.fromstring(members["word/settings.xml"])
    assert settings.find(f"{W}attachedTemplate") is None
    assert settings.find(f"{W}mailMerge") is None
    # The header keeps its text; the picture and the object that pointed outside are gone.
    reopened = docx.Document(io.BytesIO(result))
    header_text = [p.text for p in reopened.sections[0].header.paragraphs]
    assert "Logotyp" in header_text
    assert set(read_answer_fields(result))  # the form's fields are all there


def test_what_was_left_behind_is_listed(tmp_path: Path) -> None:
    dropped = open_reference(_hostile_reference(tmp_path)).dropped
    text = " ".join(dropped)
    for expected in ("attachedTemplate", "mailMerge", "vbaProject", "customXml", "oleObject"):
        assert expected in text, dropped
    assert "file://server/share/logo.png" in text
    assert "https://spårning.example/" in text


def test_the_bundled_reference_leaves_nothing_behind() -> None:
    assert open_reference(REFERENCE).dropped == ()


def test_a_macro_enabled_template_gives_a_plain_word_document(tmp_path: Path) -> None:
    members = _members(REFERENCE.read_bytes())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
    )
    result = render_docx(sample_document(), _crafted(tmp_path, members, "mall.dotx"))
    assert b"document.main+xml" in _members(result)["[Content_Types].xml"]
    assert docx.Document(io.BytesIO(result)).core_properties.title


def test_a_reference_without_numbering_settings_header_or_footer_gets_them(tmp_path: Path) -> None:
    members = _members(REFERENCE.read_bytes())
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    for rel in list(rels):
        if rel.get("Type", "").rsplit("/", 1)[-1] in ("numbering", "settings", "header", "footer"):
            rels.remove(rel)
    members["word/_rels/document.xml.rels"] = etree.tostring(rels)
    document = etree.fromstring(members["word/document.xml"])
    sect_pr = document.find(f"{W}body/{W}sectPr")
    for old in [*sect_pr.findall(f"{W}headerReference"), *sect_pr.findall(f"{W}footerReference")]:
        sect_pr.remove(old)
    members["word/document.xml"] = etree.tostring(document)
    result = render_docx(sample_document(), _crafted(tmp_path, members))
    reopened = docx.Document(io.BytesIO(result))
    assert "Region Exempel" in reopened.sections[0].header.paragraphs[-1].text
    assert "Sida" in reopened.sections[0].footer.paragraphs[-1].text
    assert reopened.part.numbering_part.element.findall(f"{W}num")


def test_a_libreoffice_core_properties_relationship_gives_one_core_part(tmp_path: Path) -> None:
    members = _members(REFERENCE.read_bytes())
    members["_rels/.rels"] = members["_rels/.rels"].replace(
        b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
    )
    result = render_docx(sample_document(), _crafted(tmp_path, members))
    package_rels = etree.fromstring(_members(result)["_rels/.rels"])
    core = [rel for rel in package_rels if rel.get("Type", "").endswith("core-properties")]
    assert len(core) == 1
    assert docx.Document(io.BytesIO(result)).core_properties.title == (
        "Krav på transparens och etik"
    )


def test_the_references_own_metadata_does_not_travel(tmp_path: Path) -> None:
    members = _members(REFERENCE.read_bytes())
    members["docProps/core.xml"] = members["docProps/core.xml"].replace(
        b"</cp:coreProperties>",
        b"<cp:category>Intern: budget 2027</cp:category></cp:coreProperties>",
    )
    result = render_docx(sample_document(), _crafted(tmp_path, members))
    assert b"budget 2027" not in b"".join(_members(result).values())


def test_a_zip_bomb_reference_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    members = _members(REFERENCE.read_bytes())
    members["word/styles.xml"] = members["word/styles.xml"].replace(
        b"</w:styles>", b"<!--" + b" " * 50_000_000 + b"--></w:styles>"
    )
    bomb = _crafted(tmp_path, members)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(ReferenceDocumentError, match="zip bomb"):
        check_reference_document(bomb)


def test_a_reference_of_millions_of_small_elements_is_refused_before_parsing(
    tmp_path: Path,
) -> None:
    members = _members(REFERENCE.read_bytes())
    # 600,000 elements of a few bytes each, with random names so that they do not compress
    # past the ratio limit: under the size limits, over the element limit (memory grows with
    # elements, not bytes).
    names = random.Random(1).randbytes(600_000 * 3).hex()
    elements = b"".join(f"<w:x{names[i : i + 6]}/>".encode() for i in range(0, len(names), 6))
    members["word/numbering.xml"] = (
        f'<w:numbering xmlns:w="{W_NS}">'.encode() + elements + b"</w:numbering>"
    )
    with pytest.raises(ReferenceDocumentError, match="XML elements"):
        open_reference(_crafted(tmp_path, members))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"[Content_Types].xml": None}, "Content_Types"),
        ({"word/document.xml": b"<w:document"}, "not well-formed"),
        ({"_rels/.rels": b'<Relationships xmlns="' + RELS.encode() + b'"/>'}, "main document"),
    ],
)
def test_a_damaged_reference_is_a_reference_document_error(
    tmp_path: Path, change: dict[str, bytes | None], message: str
) -> None:
    members = _members(REFERENCE.read_bytes())
    for name, value in change.items():
        if value is None:
            del members[name]
        else:
            members[name] = value
    with pytest.raises(ReferenceDocumentError, match=message):
        open_reference(_crafted(tmp_path, members))


def test_each_rendered_document_gets_its_own_copy_of_the_reference() -> None:
    reference = open_reference(REFERENCE)
    first = render_docx(sample_document(), reference)
    second = render_docx(sample_document(), reference)
    assert first == second
    assert reference.main_part.element.find(f"{W}body/{W}p") is not None  # untouched
