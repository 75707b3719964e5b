"""The organisation's reference document as a package: read within limits, reduced to what the
writer needs, and written back as a new Word file.

A reference document (``--reference-doc``, a profile's ``reference_doc``) is input that anyone
who can edit a template folder controls, and everything in it would travel to every supplier. So
it is not copied: it is opened with ``safe_zip`` (entry count, sizes and compression ratio checked
before anything is inflated) and walked from the main document along an allow-list of
relationships — styles, numbering, settings, fonts, theme, web settings, header, footer, foot-
and endnotes, and the internal pictures and fonts those parts use. Everything else stays behind:
external relationships (an ``attachedTemplate`` on a web address, a picture on a network path),
macros, embedded objects, custom XML, comments, the glossary, thumbnails and the reference's own
body. An element that refers to something left behind is removed with it (a picture's drawing,
the attached template, a mail-merge source). What was left behind that could matter is listed
in ``ReferenceDocument.dropped`` for the user to see.

The package parts are plain data (``Part``), XML parsed once with entities and network access
off; ``ReferenceDocument.copy`` gives each rendered document its own editable copy, and
``write_package`` zips the parts with a content-types part made from what is actually written.
upphandla does not use python-docx at run time (the tests read documents back with it).
"""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from upphandla.documents.docx_xml import R_NS, W
from upphandla.errors import InputError, Location
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.records import record
from upphandla.safe_zip import UnsafePackageError, open_checked_zip, xml_elements

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE_RT = "http://schemas.openxmlformats.org/package/2006/relationships/"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT_RT = _RT + "officeDocument"
CORE_PROPERTIES_RT = _PACKAGE_RT + "metadata/core-properties"
# LibreOffice relates core.xml with this variant type.
LIBREOFFICE_CORE_PROPERTIES_RT = _RT + "metadata/core-properties"
CUSTOM_PROPERTIES_RT = _RT + "custom-properties"
HEADER_RT = _RT + "header"
FOOTER_RT = _RT + "footer"
NUMBERING_RT = _RT + "numbering"
SETTINGS_RT = _RT + "settings"
STYLES_RT = _RT + "styles"
IMAGE_RT = _RT + "image"

_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
DOCUMENT_CT = _CT + "document.main+xml"
HEADER_CT = _CT + "header+xml"
FOOTER_CT = _CT + "footer+xml"
NUMBERING_CT = _CT + "numbering+xml"
SETTINGS_CT = _CT + "settings+xml"
CORE_PROPERTIES_CT = "application/vnd.openxmlformats-package.core-properties+xml"
CUSTOM_PROPERTIES_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"
# Main-document content types a reference may have: a document, a template, or their
# macro-enabled forms (whose macros are left behind; the result is always a plain .docx).
_MAIN_CTS = frozenset(
    [
        DOCUMENT_CT,
        _CT + "template.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    ]
)

# What each kind of part may keep, by relationship type; anything else is left behind.
_KEPT_FROM_DOCUMENT = frozenset(
    _RT + name
    for name in (
        "styles",
        "stylesWithEffects",
        "numbering",
        "settings",
        "fontTable",
        "theme",
        "webSettings",
        "header",
        "footer",
        "footnotes",
        "endnotes",
    )
)
_KEPT_FROM_PART = {
    _RT + "header": frozenset([IMAGE_RT]),
    _RT + "footer": frozenset([IMAGE_RT]),
    _RT + "numbering": frozenset([IMAGE_RT]),
    _RT + "footnotes": frozenset([IMAGE_RT]),
    _RT + "endnotes": frozenset([IMAGE_RT]),
    _RT + "theme": frozenset([IMAGE_RT]),
    _RT + "fontTable": frozenset([_RT + "font"]),
}
_XML_CT_SUFFIX = "xml"
# Relationships of the reference's body: the body is replaced, so leaving them is no news.
_BODY_ONLY = frozenset([IMAGE_RT, _RT + "hyperlink"])
# Elements that hold a reference to a picture, object or link and go with it.
_CARRIERS = frozenset(f"{W}{name}" for name in ("drawing", "pict", "object"))
# Settings that point outside the document whatever their relationships say.
_SETTINGS_DROPPED = ("attachedTemplate", "mailMerge", "attachedSchema")


class ReferenceDocumentError(InputError):
    """The reference document cannot be used: not a .docx, or required styles are missing.

    ``location`` names the reference document when the raiser knows it.
    """

    def __init__(
        self, message: str, missing_styles: Iterable[str] = (), path: Path | None = None
    ) -> None:
        self.missing_styles = tuple(missing_styles)
        super().__init__(message, Location(path) if path is not None else None)


@record
class Relationship:
    """A relationship from a part (or the package) to another part, by part name."""

    id: str
    type: str
    target: str


@dataclass(slots=True)
class Part:
    """One part of the package: XML (``element``) or bytes (``blob``), with its relationships."""

    name: str
    content_type: str
    element: Any = None
    blob: bytes = b""
    relationships: list[Relationship] = field(default_factory=list)

    def related(self, type_: str) -> str | None:
        """The part name of the first relationship of ``type_``, or None."""
        return next((rel.target for rel in self.relationships if rel.type == type_), None)

    def related_by_id(self, r_id: str) -> str | None:
        """The part name that relationship ``r_id`` points to, or None."""
        return next((rel.target for rel in self.relationships if rel.id == r_id), None)

    def relationship_id(self, target: str) -> str | None:
        return next((rel.id for rel in self.relationships if rel.target == target), None)

    def relate(self, type_: str, target: str) -> str:
        """Relate this part to ``target`` and return the new relationship's id."""
        used = {rel.id for rel in self.relationships}
        number = len(used) + 1
        while f"rId{number}" in used:
            number += 1
        self.relationships.append(Relationship(f"rId{number}", type_, target))
        return f"rId{number}"


@dataclass(slots=True)
class ReferenceDocument:
    """The reference document's parts that a generated document is built on."""

    path: Path
    main: str
    parts: dict[str, Part]
    package_relationships: list[Relationship]
    dropped: tuple[str, ...] = ()

    def part(self, name: str) -> Part:
        return self.parts[name]

    @property
    def main_part(self) -> Part:
        return self.parts[self.main]

    def related_part(self, source: Part, type_: str) -> Part | None:
        target = source.related(type_)
        return self.parts.get(target) if target is not None else None

    def add_part(
        self, source: Part | None, type_: str, name: str, content_type: str, element: Any
    ) -> Part:
        """Add an XML part related from ``source`` (None: from the package) under a free name."""
        stem, extension = posixpath.splitext(name)
        number = 1
        while name in self.parts:
            number += 1
            name = f"{stem}{number}{extension}"
        part = Part(name, content_type, element=element)
        self.parts[name] = part
        if source is None:
            used = {rel.id for rel in self.package_relationships}
            r_id = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
            self.package_relationships.append(Relationship(r_id, type_, name))
        else:
            source.relate(type_, name)
        return part

    def package_part(self, type_: str) -> Part | None:
        target = next((r.target for r in self.package_relationships if r.type == type_), None)
        return self.parts.get(target) if target is not None else None

    def copy(self) -> ReferenceDocument:
        """An independent copy whose XML may be edited (binary parts are shared, never edited)."""
        parts = {
            name: Part(
                part.name,
                part.content_type,
                copy.deepcopy(part.element) if part.element is not None else None,
                part.blob,
                list(part.relationships),
            )
            for name, part in self.parts.items()
        }
        return ReferenceDocument(
            self.path, self.main, parts, list(self.package_relationships), self.dropped
        )


# ---------------------------------------------------------------------------------------------
# Reading


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _xml(data: bytes, name: str) -> Any:
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise ReferenceDocumentError(f"the part {name} is not well-formed XML ({error})") from None


def _rels_name(part_name: str) -> str:
    folder, base = posixpath.split(part_name)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class _Reader:
    """Walks the reference package from its main document along the allow-list."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.archive = open_checked_zip(data, limits)
        self.dropped: list[str] = []
        self.elements = 0  # XML elements of the parts read so far, against the limit
        types = self._read_xml("[Content_Types].xml")
        if types is None:
            raise ReferenceDocumentError("the package has no [Content_Types].xml")
        self.defaults = {
            (item.get("Extension") or "").lower(): item.get("ContentType") or ""
            for item in types.iter(f"{{{CT_NS}}}Default")
        }
        self.overrides = {
            (item.get("PartName") or "").lstrip("/"): item.get("ContentType") or ""
            for item in types.iter(f"{{{CT_NS}}}Override")
        }

    def _read_xml(self, name: str) -> Any:
        data = self.archive.read(name, xml=True)
        if data is None:
            return None
        self.elements += xml_elements(data)
        if self.elements > self.archive.limits.max_form_elements:
            raise UnsafePackageError(
                f"the package has more than {self.archive.limits.max_form_elements:,} XML "
                "elements; it is not read"
            )
        return _xml(data, name)

    def content_type(self, name: str) -> str:
        if name in self.overrides:
            return self.overrides[name]
        return self.defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")

    def relationships(self, source: str) -> Iterator[tuple[str, str, str, bool]]:
        """(id, type, target part name or URL, external) of a part's (or "": the package's)."""
        root = self._read_xml(_rels_name(source) if source else "_rels/.rels")
        if root is None:
            return
        for rel in root.iter(f"{{{RELS_NS}}}Relationship"):
            r_id, type_, target = rel.get("Id") or "", rel.get("Type") or "", rel.get("Target")
            external = rel.get("TargetMode") == "External"
            if not r_id or target is None:
                continue
            yield r_id, type_, target if external else _resolve(source, target), external

    def part(self, name: str, content_type: str, kept: frozenset[str], origin: str) -> Part:
        """Read part ``name`` with the relationships of the types in ``kept``."""
        is_xml = content_type.endswith(_XML_CT_SUFFIX)
        if is_xml:
            element, blob = self._read_xml(name), b""
        else:
            element, blob = None, self.archive.read(name) or b""
        if is_xml and element is None:
            raise ReferenceDocumentError(f"the part {name} is missing")
        part = Part(name, content_type, element, blob)
        for r_id, type_, target, external in self.relationships(name):
            type_ok = type_ in kept and not external
            target_ok = type_ok and self.archive.read(target) is not None
            if target_ok and type_ == IMAGE_RT:
                target_ok = self.content_type(target).startswith("image/")
            if target_ok:
                part.relationships.append(Relationship(r_id, type_, target))
            elif not (origin == "document" and type_ in _BODY_ONLY):
                where = target if external else posixpath.basename(target)
                self.dropped.append(f"{_short_type(type_)} ({where})")
        return part


def _short_type(type_: str) -> str:
    return type_.rsplit("/", 1)[-1] or type_


def open_reference(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReferenceDocument:
    """Read the reference document at ``path``, keeping only what the writer needs.

    Raises:
        ReferenceDocumentError: Not a readable .docx (also too large or crafted).
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReferenceDocumentError(
            f"{path}: cannot be read ({error.strerror})", path=path
        ) from None
    try:
        return _read_reference(path, data, limits)
    except UnsafePackageError as error:
        raise ReferenceDocumentError(f"{path}: {error}", path=path) from None
    except ReferenceDocumentError as error:
        raise ReferenceDocumentError(f"{path}: {error}", path=path) from None


def _read_reference(path: Path, data: bytes, limits: Limits) -> ReferenceDocument:
    reader = _Reader(data, limits)
    main = None
    package_rels: list[Relationship] = []
    parts: dict[str, Part] = {}
    for r_id, type_, target, external in reader.relationships(""):
        if external:
            reader.dropped.append(f"{_short_type(type_)} ({target})")
        elif type_ == OFFICE_DOCUMENT_RT and main is None:
            main = target
            package_rels.append(Relationship(r_id, type_, target))
        elif type_ in (CORE_PROPERTIES_RT, LIBREOFFICE_CORE_PROPERTIES_RT):
            continue  # the writer makes the core properties afresh
        elif type_ == CUSTOM_PROPERTIES_RT and reader.archive.read(target) is not None:
            parts[target] = reader.part(target, CUSTOM_PROPERTIES_CT, frozenset(), "package")
            package_rels.append(Relationship(r_id, type_, target))
        elif _short_type(type_) not in ("extended-properties", "thumbnail"):
            reader.dropped.append(f"{_short_type(type_)} ({target})")
    if main is None or reader.content_type(main) not in _MAIN_CTS:
        raise ReferenceDocumentError("the package has no Word main document")
    document = reader.part(main, DOCUMENT_CT, _KEPT_FROM_DOCUMENT, "document")
    parts[main] = document
    for rel in list(document.relationships):
        if rel.target == main or rel.target in parts:
            document.relationships.remove(rel)
            continue
        if not reader.content_type(rel.target).endswith(_XML_CT_SUFFIX):
            document.relationships.remove(rel)
            reader.dropped.append(f"{_short_type(rel.type)} ({posixpath.basename(rel.target)})")
            continue
        kept = _KEPT_FROM_PART.get(rel.type, frozenset())
        part = reader.part(rel.target, reader.content_type(rel.target), kept, "part")
        parts[rel.target] = part
        for inner in part.relationships:
            parts.setdefault(
                inner.target,
                reader.part(inner.target, reader.content_type(inner.target), frozenset(), "part"),
            )
    reader.archive.close()
    reference = ReferenceDocument(path, main, parts, package_rels, ())
    for part in parts.values():
        if part.element is not None:
            _remove_dangling_references(part)
    settings = reference.related_part(document, SETTINGS_RT)
    if settings is not None:
        for name in _SETTINGS_DROPPED:
            for element in settings.element.findall(f"{W}{name}"):
                settings.element.remove(element)
                reader.dropped.append(name)
    reference.dropped = tuple(dict.fromkeys(reader.dropped))
    return reference


def _remove_dangling_references(part: Part) -> None:
    """Remove what refers to a relationship that was left behind (with its picture or object)."""
    kept = {rel.id for rel in part.relationships}
    doomed = []
    for element in part.element.iter():
        if not isinstance(element.tag, str):
            continue
        for key, value in element.attrib.items():
            if key.startswith(f"{{{R_NS}}}") and value not in kept:
                doomed.append((element, key))
    for element, key in doomed:
        carrier = next((a for a in element.iterancestors() if a.tag in _CARRIERS), element)
        if element.tag == f"{W}hyperlink":
            element.attrib.pop(key, None)
        elif carrier.getparent() is not None:
            carrier.getparent().remove(carrier)


# ---------------------------------------------------------------------------------------------
# Writing


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _serialise(element: Any) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True))


def _relationships_xml(relationships: Iterable[Relationship], source: str) -> bytes:
    root = etree.fromstring(f'<Relationships xmlns="{RELS_NS}"/>')
    folder = posixpath.dirname(source)
    for rel in relationships:
        item = etree.SubElement(root, f"{{{RELS_NS}}}Relationship")
        item.set("Id", rel.id)
        item.set("Type", rel.type)
        item.set("Target", posixpath.relpath(rel.target, folder or ".") if source else rel.target)
    return _serialise(root)


def _content_types_xml(parts: Iterable[Part]) -> bytes:
    root = etree.fromstring(f'<Types xmlns="{CT_NS}"/>')
    defaults = {"rels": RELS_CT, "xml": "application/xml"}
    overrides = {}
    for part in parts:
        extension = posixpath.splitext(part.name)[1].lstrip(".").lower()
        if (
            part.element is None
            and extension
            and defaults.get(extension, part.content_type) == (part.content_type)
        ):
            defaults[extension] = part.content_type
        else:
            overrides[part.name] = part.content_type
    for extension, content_type in defaults.items():
        etree.SubElement(root, f"{{{CT_NS}}}Default", Extension=extension, ContentType=content_type)
    for name, content_type in overrides.items():
        etree.SubElement(
            root, f"{{{CT_NS}}}Override", PartName=f"/{name}", ContentType=content_type
        )
    return _serialise(root)


def write_package(reference: ReferenceDocument, main_document: Iterable[bytes]) -> bytes:
    """Zip the parts, with the main document's bytes streamed from ``main_document``."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:

        def entry(name: str) -> zipfile.ZipInfo:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            return info

        target.writestr(entry("[Content_Types].xml"), _content_types_xml(reference.parts.values()))
        target.writestr(
            entry("_rels/.rels"), _relationships_xml(reference.package_relationships, "")
        )
        with target.open(entry(reference.main), "w") as stream:
            for chunk in main_document:
                stream.write(chunk)
        for part in reference.parts.values():
            if part.name != reference.main:
                data = _serialise(part.element) if part.element is not None else part.blob
                target.writestr(entry(part.name), data)
            if part.relationships:
                target.writestr(
                    entry(_rels_name(part.name)),
                    _relationships_xml(part.relationships, part.name),
                )
    return output.getvalue()
