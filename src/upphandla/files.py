"""Safe file output: all or nothing, and no existing file overwritten unless asked.

Every file of one command is first written in full to a temporary file in its own folder
(``tempfile.mkstemp``: ``O_CREAT | O_EXCL``, a random name, never through a symlink), flushed
and synced. Only when all of them are complete are they moved into place, one rename each; a
file that cannot be replaced (open in Word on Windows, a folder in the way) puts back every
file already moved, so a failure leaves the folder as it was and names the file that failed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from upphandla.errors import Location, Problem, ProblemsError
from upphandla.text import Text

# When this process started, near enough: this module is imported before anything is written.
_STARTED = time.time()
# Windows: ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION (a file open in Word).
_WINDOWS_LOCKED = frozenset([32, 33])


class WriteError(ProblemsError):
    """An output file could not be written; nothing of the command's output was left behind.

    Attributes:
        path: The file that failed.
        reason: The operating system's error.
    """

    def __init__(self, path: Path, reason: OSError) -> None:
        self.path = path
        self.reason = reason
        super().__init__([write_problem(path, reason)])


def write_problem(path: Path, error: OSError) -> Problem:
    """A located problem saying that ``path`` could not be written, and why, in plain words."""
    why = _reason(error)
    return Problem(
        Text(f"Filen kunde inte skrivas: {why.sv}.", f"The file could not be written: {why.en}."),
        Location(path),
        hint=Text(
            "Inga filer ändrades. Åtgärda orsaken, eller välj en annan mapp med --out, och kör "
            "igen.",
            "No file was changed. Fix the cause, or choose another folder with --out, and run "
            "again.",
        ),
    )


def _reason(error: OSError) -> Text:
    code = error.errno
    if getattr(error, "winerror", None) in _WINDOWS_LOCKED or code == errno.EBUSY:
        return Text(
            "filen är öppen i ett annat program (till exempel Word); stäng den",
            "the file is open in another program (Word, for example); close it",
        )
    reasons = {
        errno.ENOSPC: Text("disken är full", "the disk is full"),
        errno.EDQUOT: Text("din lagringskvot är full", "your disk quota is full"),
        errno.EACCES: Text("behörighet saknas", "permission denied"),
        errno.EPERM: Text("åtgärden är inte tillåten", "the operation is not permitted"),
        errno.EROFS: Text("enheten är skrivskyddad", "the drive is read-only"),
        errno.EISDIR: Text(
            "det finns en mapp med samma namn", "there is a folder with the same name"
        ),
        errno.ENOTDIR: Text(
            "en del av sökvägen är en fil, inte en mapp",
            "a part of the path is a file, not a folder",
        ),
        errno.EEXIST: Text(
            "en del av sökvägen är en fil, inte en mapp",
            "a part of the path is a file, not a folder",
        ),
        errno.ENAMETOOLONG: Text("namnet är för långt", "the name is too long"),
        errno.EIO: Text("ett in- eller utmatningsfel på enheten", "an input/output error"),
    }
    known = reasons.get(code) if code is not None else None
    if known is not None:
        return known
    detail = error.strerror or type(error).__name__
    return Text(f"systemfel ({detail})", f"system error ({detail})")


def refuse_existing(paths: Iterable[Path], force: bool) -> None:
    """Raise ``ProblemsError`` naming every path that exists, unless ``force``."""
    if force:
        return
    existing = [path for path in paths if os.path.lexists(path)]
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

    Raises ``OSError`` as it comes (``write_all_atomic`` turns it into a located message).
    Temporary files of ``path`` left by an earlier run that was killed are removed afterwards.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _write_temporary(path, data)
    try:
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    remove_stale_temporaries(path)


def _write_temporary(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path``, flushed, synced and with ``path``'s mode.

    ``mkstemp`` opens with ``O_CREAT | O_EXCL`` under a random name: a symlink or file planted
    at the name is never followed or reused.
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(_file_mode(path))
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


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
    """The mode of the regular file replaced, or the mode a new file would get (0o666 less the
    umask); a symlink at ``path`` is replaced, not followed, so its target's mode is not used."""
    with contextlib.suppress(OSError):
        status = path.lstat()
        if stat.S_ISREG(status.st_mode):
            return status.st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically, with Unix line endings on every platform."""
    write_bytes_atomic(path, text.encode("utf-8"))


@dataclass(slots=True)
class _Move:
    """One file of a transaction: its temporary file, and the earlier file kept aside."""

    path: Path
    temporary: Path
    backup: Path | None = None
    moved: bool = False


def write_all_atomic(files: dict[Path, bytes], force: bool) -> list[Path]:
    """Write several files all or nothing, after checking that none would be overwritten.

    Every file is written to a temporary file first; only when all are complete are they
    renamed into place. A failure at any step removes the temporary files, puts back every
    file already replaced and raises ``WriteError`` naming the file that failed.
    """
    refuse_existing(files, force)
    moves: list[_Move] = []
    created: list[Path] = []
    current = next(iter(files), Path())
    try:
        for path, data in files.items():
            current = path
            _make_folder(path.parent, created)
            moves.append(_Move(path, _write_temporary(path, data)))
        for move in moves:
            current = move.path
            _move_into_place(move)
    except OSError as error:
        _roll_back(moves, created)
        raise WriteError(current, error) from None
    except BaseException:
        _roll_back(moves, created)
        raise
    for move in moves:
        if move.backup is not None:
            with contextlib.suppress(OSError):
                move.backup.unlink()
    _sync_folders({move.path.parent for move in moves})
    for path in files:
        remove_stale_temporaries(path)
    return list(files)


def _make_folder(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its parents, adding those it created to ``created`` (outermost
    first); a file in the way is ``NotADirectoryError``."""
    missing = []
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            break
        missing.append(candidate)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from error
    finally:
        created.extend(path for path in reversed(missing) if path.is_dir())


def _move_into_place(move: _Move) -> None:
    """Rename the temporary file to its path, keeping a hard link to the file it replaces (so
    that a later failure can put it back), or renaming it aside where links do not work."""
    if os.path.lexists(move.path):
        if move.path.is_dir() and not move.path.is_symlink():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(move.path))
        backup = _unused_name(move.path, ".old")
        try:
            if move.path.is_symlink():
                raise OSError(errno.EPERM, "a symlink is moved aside, not linked")
            os.link(move.path, backup)
        except OSError:
            move.path.replace(backup)
        move.backup = backup
    try:
        move.temporary.replace(move.path)
    except OSError:
        if move.backup is not None:
            if os.path.lexists(move.path):
                move.backup.unlink()  # a second link to the file that is still in place
            else:
                move.backup.replace(move.path)
            move.backup = None
        raise
    move.moved = True


def _unused_name(path: Path, suffix: str) -> Path:
    """A name beside ``path`` that nothing has (reserved with ``O_EXCL``, then freed)."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    Path(name).unlink()
    return Path(name)


def _roll_back(moves: list[_Move], created: list[Path]) -> None:
    """Put back every file already replaced, remove every temporary and new file, and the
    folders this write created (when they are empty again)."""
    for move in reversed(moves):
        with contextlib.suppress(OSError):
            if not move.moved:
                move.temporary.unlink()
            elif move.backup is not None:
                move.backup.replace(move.path)
            else:
                move.path.unlink()
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _sync_folders(folders: Iterable[Path]) -> None:
    """Make the renames durable where the system allows syncing a folder (POSIX)."""
    if os.name != "posix":
        return
    for folder in folders:
        with contextlib.suppress(OSError):
            handle = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)


def outside_folder(path: Path, folder: Path | None) -> bool:
    """Whether ``path`` is a symbolic link (or lies in a linked folder) that leads out of
    ``folder``: a library, template or profile reads only what lies in its own folder."""
    if folder is None:
        return False
    try:
        target = path.resolve()
        root = folder.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return True
    return not target.is_relative_to(root)


def outside_problem(path: Path) -> Problem:
    """The file is a symbolic link out of its folder: it is not read, and nothing of it shown."""
    return Problem(
        Text(
            "Filen är en symbolisk länk till en fil utanför sin mapp och läses inte.",
            "The file is a symbolic link to a file outside its folder and is not read.",
        ),
        Location(path),
        hint=Text(
            "Kopiera filen in i mappen i stället för att länka till den.",
            "Copy the file into the folder instead of linking to it.",
        ),
    )
