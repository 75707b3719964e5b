"""The checked zip reader refuses crafted packages before inflating them."""

from __future__ import annotations

import io
import zipfile

import pytest

from upphandla.errors import InputError
from upphandla.limits import Limits
from upphandla.safe_zip import UnsafePackageError, open_checked_zip


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_reads_members_once_and_reports_missing_ones() -> None:
    package = open_checked_zip(_zip({"a.xml": b"<a/>", "b.bin": b"x" * 10}))
    with package:
        assert package.read("a.xml", xml=True) == b"<a/>"
        assert package.read("a.xml") == b"<a/>"
        assert package.read("missing") is None
        assert package.names() == ["a.xml", "b.bin"]


def test_refuses_what_is_not_a_zip_archive() -> None:
    with pytest.raises(UnsafePackageError, match="not a zip archive"):
        open_checked_zip(b"%PDF-1.7 not a zip")
    assert issubclass(UnsafePackageError, InputError)


def test_refuses_too_many_entries_before_inflating() -> None:
    data = _zip({f"p{i}.xml": b"" for i in range(30)})
    with pytest.raises(UnsafePackageError, match="30 parts"):
        open_checked_zip(data, Limits(max_package_entries=20))


def test_refuses_a_highly_compressed_member() -> None:
    data = _zip({"word/document.xml": b"<w:p/>" * 1_000_000})
    with pytest.raises(UnsafePackageError, match="zip bomb"):
        open_checked_zip(data)


def test_refuses_a_declared_total_over_the_limit() -> None:
    data = _zip({"a": bytes(range(256)) * 400, "b": bytes(range(256)) * 400})
    limits = Limits(max_package_total_bytes=150_000, package_ratio_floor_bytes=10**9)
    with pytest.raises(UnsafePackageError, match="declares"):
        open_checked_zip(data, limits)


def test_refuses_an_xml_part_over_the_xml_bound() -> None:
    data = _zip({"word/document.xml": bytes(range(256)) * 100})
    package = open_checked_zip(data, Limits(max_package_xml_bytes=1_000))
    with pytest.raises(UnsafePackageError, match="at most 1,000"):
        package.read("word/document.xml", xml=True)


def test_a_member_that_grows_past_its_declared_size_is_refused() -> None:
    honest = b"<w:t>" + b"A" * 5_000 + b"</w:t>"
    data = bytearray(_zip({"word/document.xml": honest}))
    # Forge the declared inflated size (local header and central directory) down to 100 bytes.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    package = open_checked_zip(bytes(data))
    with pytest.raises(UnsafePackageError, match="past its declared size|damaged"):
        package.read("word/document.xml")
