"""Safe file output: atomic writes, and no existing file overwritten unless asked."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from upphandla.errors import Location, Problem, ProblemsError
from upphandla.text import Text

# When this process started, near enough: this module is imported before anything is written.
_STARTED = time.time()


def refuse_existing(paths: Iterable[Path], force: bool) -> None:
    """Raise ``ProblemsError`` naming every path that exists, unless ``force``."""
    if force:
        return
    existing = [path for path in paths if path.exists()]
    if existing:
        raise ProblemsError(
            Problem(
                Text("Filen finns redan.", "The file already exists."),
                Location(path),
                hint=Text(
                    "Välj en annan mapp med --out, eller skriv över med --force.",
                    "Choose another folder with --out, or overwrite with --force.",
                ),
            )
            for path in existing
        )


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Temporary files of ``path`` left by an earlier run that was killed are removed afterwards.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(_file_mode(path))
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
    remove_stale_temporaries(path)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` (``.NAME.xxxxxxxx.tmp``) older than this process.

    A run killed while writing (power cut, SIGKILL) cannot clean up after itself; the next
    run that writes the same file does. Files from this process, or from a run that started
    after it, are left alone.
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    removed = []
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < _STARTED:
                    Path(entry.path).unlink()
                    removed.append(Path(entry.path))
    return removed


def _file_mode(path: Path) -> int:
    """The mode a new file would get (0o666 less the umask), or the mode of the file replaced."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically, with Unix line endings on every platform."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_all_atomic(files: dict[Path, bytes], force: bool) -> list[Path]:
    """Write several files, each atomically, after checking that none would be overwritten."""
    refuse_existing(files, force)
    written = []
    for path, data in files.items():
        write_bytes_atomic(path, data)
        written.append(path)
    return written
