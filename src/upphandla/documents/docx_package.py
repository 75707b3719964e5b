"""The parts of python-docx below its documented API that the Word writer needs, in one place.

python-docx's documented API covers a document's text, tables, styles, sections and core
properties. ``docx_writer`` also works on the package underneath: it streams the body into the
main document part itself, edits the numbering part, adds or replaces the custom-properties part,
fills header and footer elements and repairs a relationship that LibreOffice writes with a
variant type. Those accesses reach python-docx's package layer (``docx.opc``) and part objects,
which python-docx may change in any release, so every one of them is here, in a function that
says what it does, and ``tests/test_docx_package.py`` has one test per internal: after an upgrade
of python-docx a renamed or changed internal fails there, by name, rather than deep inside a
rendering test. ``pyproject.toml`` bounds python-docx below its next major version.

Nothing else in upphandla imports from ``docx.opc``, ``docx.parts`` or ``docx.oxml``, or uses
an underscore attribute of a python-docx object. python-docx is imported inside the functions,
so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.part import Part
    from docx.section import _Footer, _Header

NUMBERING_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_EMPTY_NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{_W_NS}"/>'
).encode()


def main_document_member(document: Document) -> str:
    """The zip member name of the main document part (``word/document.xml`` in Word's files).

    Internals: ``DocumentPart.partname`` (a ``PackURI``).
    """
    return str(document.part.partname).lstrip("/")


def numbering_element(document: Document) -> Any:
    """The ``w:numbering`` root of the document's numbering part, added when there is none.

    Internals: ``DocumentPart.numbering_part`` and ``XmlPart.element``; python-docx 1.x raises
    ``NotImplementedError`` instead of adding a missing numbering part, so a part is made from an
    empty ``w:numbering`` with ``NumberingPart.load`` and related with ``Part.relate_to``.
    """
    part = document.part
    try:
        return part.numbering_part.element
    except NotImplementedError:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.parts.numbering import NumberingPart

        numbering = NumberingPart.load(
            PackURI("/word/numbering.xml"), NUMBERING_CT, _EMPTY_NUMBERING, part.package
        )
        part.relate_to(numbering, RT.NUMBERING)
        return numbering.element


def header_footer_element(header_or_footer: _Header | _Footer) -> Any:
    """The ``w:hdr`` or ``w:ftr`` root of a section's header or footer part.

    Internals: ``_Header.part`` / ``_Footer.part`` (public names, but python-docx calls them "not
    an interface property") and ``XmlPart.element``. Unlink the header or footer from the
    previous section (``is_linked_to_previous = False``) first, or this is the previous
    section's element.
    """
    return header_or_footer.part.element


def _package_relationships(document: Document) -> Any:
    """The package's relationships (``_rels/.rels``): ``Part.package`` and ``OpcPackage.rels``."""
    return document.part.package.rels


def recognise_libreoffice_core_properties(document: Document) -> bool:
    """Give the core-properties relationship the type python-docx knows; True when it changed.

    LibreOffice relates ``docProps/core.xml`` with the variant type
    ``.../officedocument/2006/relationships/metadata/core-properties``; python-docx does not
    recognise it and would add a second core-properties part. The relationship is replaced by
    one of the standard type to the same part under the same id. Call it before
    ``document.core_properties``.

    Internals: ``Relationships`` (a dict by rId), ``_Relationship.reltype``, ``.is_external``,
    ``.target_part`` and ``Relationships.add_relationship``.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = _package_relationships(document)
    changed = False
    for r_id, rel in list(rels.items()):
        if (
            not rel.is_external
            and rel.reltype != RT.CORE_PROPERTIES
            and rel.reltype.lower().endswith("/metadata/core-properties")
        ):
            target = rel.target_part
            del rels[r_id]
            rels.add_relationship(RT.CORE_PROPERTIES, target, r_id)
            changed = True
    return changed


def _package_part(document: Document, reltype: str) -> tuple[str, Part] | None:
    """The rId and part that the package relates with ``reltype`` (the last one), or None."""
    found = None
    for r_id, rel in _package_relationships(document).items():
        if rel.reltype == reltype and not rel.is_external:
            found = (r_id, rel.target_part)
    return found


def package_part_blob(document: Document, reltype: str) -> bytes | None:
    """The bytes of the package-level part related with ``reltype`` (e.g. custom properties).

    Internals: as ``recognise_libreoffice_core_properties``, and ``Part.blob``.
    """
    found = _package_part(document, reltype)
    return found[1].blob if found is not None else None


def put_package_part(
    document: Document, reltype: str, partname: str, content_type: str, blob: bytes
) -> None:
    """Make ``blob`` the package-level part related with ``reltype``, replacing any such part.

    A replaced part keeps its part name and relationship id; the new part is a plain
    ``Part``, whatever class python-docx loaded the old one as, so its bytes are saved as given.
    ``partname`` (``/docProps/custom.xml``) names a part that did not exist.

    Internals: as ``recognise_libreoffice_core_properties``, ``Part(partname, content_type,
    blob, package)``, ``PackURI``, ``Part.partname`` and ``OpcPackage.relate_to``.
    """
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    rels = _package_relationships(document)
    found = _package_part(document, reltype)
    if found is None:
        package.relate_to(Part(PackURI(partname), content_type, blob, package), reltype)
        return
    r_id, old = found
    part = Part(PackURI(str(old.partname)), content_type, blob, package)
    del rels[r_id]
    rels.add_relationship(reltype, part, r_id)
