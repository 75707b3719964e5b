"""A cache of loaded libraries, so that a repeated run on an unchanged library starts fast.

Loading a large library is mostly YAML parsing; the result is the same as long as the files are.
An entry is keyed by the tool version, the limits, the library folder and the search path, and
records the content digest of every file of the library and its parents. An entry is used only
when that digest still matches the files on disk and the entry's own checksum is intact; anything
else is treated as a miss and the library is loaded again. The cache is safe to delete.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from upphandla import __version__
from upphandla.library.expressions import ExpressionError
from upphandla.limits import Limits

CACHE_VARIABLE = "UPPHANDLA_CACHE_DIR"
NO_CACHE_VARIABLE = "UPPHANDLA_NO_CACHE"
_MAGIC = b"upphandla-library-cache 1\n"


def cache_folder() -> Path | None:
    """Where entries live: UPPHANDLA_CACHE_DIR, else the platform's user cache folder."""
    if os.environ.get(NO_CACHE_VARIABLE) == "1":
        return None
    explicit = os.environ.get(CACHE_VARIABLE)
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "upphandla" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "upphandla"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "upphandla"


def entry_path(folder: Path, search_path: Sequence[Path], limits: Limits) -> Path | None:
    """The cache file for a library folder loaded with this search path and these limits."""
    root = cache_folder()
    if root is None:
        return None
    key = json.dumps(
        [__version__, repr(limits), str(folder.resolve()), [str(p.resolve()) for p in search_path]]
    )
    return root / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"


def files_digest(folders: Sequence[Path]) -> str:
    """The digest of every YAML file in ``folders`` (names and contents)."""
    digest = hashlib.sha256()
    for folder in folders:
        paths = sorted(
            path
            for pattern in ("*.yaml", "*.yml")
            for path in folder.rglob(pattern)
            if path.is_file()
        )
        for path in paths:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_entry(path: Path | None) -> Any | None:
    """The cached value when the entry is intact and its files are unchanged, else None."""
    if path is None or not path.is_file():
        return None
    try:
        raw = path.read_bytes()
        if not raw.startswith(_MAGIC):
            return None
        header_end = raw.index(b"\n", len(_MAGIC))
        header = json.loads(raw[len(_MAGIC) : header_end])
        payload = raw[header_end + 1 :]
        if hashlib.sha256(payload).hexdigest() != header["payload_sha256"]:
            return None
        folders = [Path(folder) for folder in header["folders"]]
        if (
            not all(folder.is_dir() for folder in folders)
            or files_digest(folders) != header["files"]
        ):
            return None
        return pickle.loads(payload)  # noqa: S301 - our own entry, checksum verified above
    except (
        OSError,
        ValueError,
        KeyError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,  # an entry written by a build whose modules have moved
        TypeError,
        ExpressionError,
    ):
        return None


def write_entry(path: Path | None, value: Any, folders: Sequence[Path]) -> None:
    """Store ``value``; a cache that cannot be written is silently skipped."""
    if path is None:
        return
    try:
        buffer = io.BytesIO()
        pickle.dump(value, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        payload = buffer.getvalue()
        header = {
            "folders": [str(folder.resolve()) for folder in folders],
            "files": files_digest(folders),
            "payload_sha256": hashlib.sha256(payload).hexdigest(),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(_MAGIC + json.dumps(header).encode() + b"\n" + payload)
        temporary.replace(path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
