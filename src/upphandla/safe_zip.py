"""Open a zip package (a .docx, .xlsx or .odt) that may be hostile, within bounded time and memory.

Response forms come from bidders and reference documents from anyone who can edit a template
folder, so a package is checked before anything in it is inflated: the number of entries, every
member's declared size, the declared total, and the compression ratio of the larger members
(a zip bomb declares modest sizes it does not keep, or huge sizes in a small file). A member is
then inflated at most once, in chunks, and reading stops as soon as it grows past what it
declared or past the limits, so a lying header cannot make it larger. Every refusal is an
``UnsafePackageError`` (an ``InputError``) with a message in plain English; the callers turn it
into their own located message. The limits are in ``upphandla.limits`` and ``docs/limits.md``.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from dataclasses import dataclass, field

from upphandla.errors import InputError
from upphandla.limits import DEFAULT_LIMITS, Limits

# What zipfile raises for a damaged archive besides BadZipFile: corrupt compressed data (zlib,
# lzma; bz2 raises OSError), a compression method or zip version it does not support
# (NotImplementedError) and an encrypted member (RuntimeError).
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
    EOFError,
)
_CHUNK = 64 * 1024


class UnsafePackageError(InputError):
    """The package is damaged, or larger or more compressed than the limits allow."""


@dataclass
class CheckedZip:
    """A zip archive whose directory has been checked; members are inflated once, bounded."""

    archive: zipfile.ZipFile
    limits: Limits = DEFAULT_LIMITS
    _inflated: dict[str, bytes] = field(default_factory=dict)
    _total: int = 0

    def names(self) -> list[str]:
        """The member names, in archive order."""
        return self.archive.namelist()

    def read(self, name: str, *, xml: bool = False) -> bytes | None:
        """The inflated bytes of member ``name``, or None when there is no such member.

        ``xml`` applies the tighter bound for parts that will be parsed into a tree.

        Raises:
            UnsafePackageError: The member is damaged or grows past its declared size or a limit.
        """
        if name in self._inflated:
            return self._inflated[name]
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        most = self.limits.max_package_xml_bytes if xml else self.limits.max_package_member_bytes
        if info.file_size > most:
            raise UnsafePackageError(
                f"the part {name} is {info.file_size:,} bytes inflated; at most {most:,} are read"
            )
        data = self._inflate(info, most)
        self._total += len(data)
        if self._total > self.limits.max_package_total_bytes:
            raise UnsafePackageError(
                "the package inflates to more than "
                f"{self.limits.max_package_total_bytes:,} bytes; it is not read"
            )
        self._inflated[name] = data
        return data

    def _inflate(self, info: zipfile.ZipInfo, most: int) -> bytes:
        bound = min(most, info.file_size)
        buffer = io.BytesIO()
        try:
            with self.archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    buffer.write(chunk)
                    if buffer.tell() > bound:
                        raise UnsafePackageError(
                            f"the part {info.filename} inflates past its declared size "
                            f"({info.file_size:,} bytes); the package is damaged or crafted"
                        )
        except UnsafePackageError:
            raise
        except ZIP_ERRORS as error:
            raise UnsafePackageError(f"the part {info.filename} is damaged ({error})") from error
        return buffer.getvalue()

    def close(self) -> None:
        """Close the archive; inflated members stay readable."""
        self.archive.close()

    def __enter__(self) -> CheckedZip:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def xml_elements(blob: bytes) -> int:
    """How many elements an XML part holds, counted on its bytes before anything is parsed
    (memory grows with elements, not bytes: a small part can hold millions of ``<a/>``)."""
    return blob.count(b"<") - blob.count(b"</")


def open_checked_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> CheckedZip:
    """Open ``data`` as a zip archive after checking its directory against ``limits``.

    Raises:
        UnsafePackageError: Not a zip archive, damaged, or over a limit (nothing is inflated).
    """
    if len(data) > limits.max_file_bytes:
        raise UnsafePackageError(
            f"the file is {len(data):,} bytes; at most {limits.max_file_bytes:,} are read"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS as error:
        raise UnsafePackageError(f"not a zip archive ({error})") from error
    try:
        check_directory(infos, limits)
    except UnsafePackageError:
        archive.close()
        raise
    return CheckedZip(archive, limits)


def check_directory(infos: list[zipfile.ZipInfo], limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip directory with too many entries, too large or too compressed members."""
    if len(infos) > limits.max_package_entries:
        raise UnsafePackageError(
            f"the package has {len(infos):,} parts; at most {limits.max_package_entries:,} are read"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size < limits.package_ratio_floor_bytes:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_package_ratio:
            raise UnsafePackageError(
                f"the part {info.filename} is compressed {ratio:,.0f} to 1 "
                f"(at most {limits.max_package_ratio} to 1); the package looks like a zip bomb"
            )
    if total > limits.max_package_total_bytes:
        raise UnsafePackageError(
            f"the package declares {total:,} bytes inflated; at most "
            f"{limits.max_package_total_bytes:,} are read"
        )
