"""A cache of loaded libraries, so that a repeated run on an unchanged library starts fast.

Loading a library is mostly YAML parsing and compiling its conditions; the result is the same as
long as the files are. An entry is keyed by the tool version, the limits, the library folder and
the search path, and records the content digest of every file of the library and its parents;
it is used only while that digest still matches the files on disk. Anything else is a miss and
the library is loaded again. The cache is safe to delete, and ``UPPHANDLA_NO_CACHE=1`` turns it
off.

**Nothing in the cache is code.** An entry is JSON: plain values, and the library's own
dataclasses and enums by class name from a fixed allow-list (``_CLASSES``); conditions are stored
as their text and Jinja expression tree, rebuilt node by node from Jinja's expression classes
and inspected as a parsed condition is. A forged entry can therefore at worst describe a
different library — and only someone who can write the cache folder can forge one, which is
why the folder is checked too: on POSIX systems it is created owner-only (0700), and a folder or
entry that is a symbolic link, belongs to another user, or can be written by others is not used
(nor written). Entries are written to a new temporary file (``tempfile``: random name,
``O_EXCL``, mode 0600) in the same folder and then renamed into place. On Windows the user's
``%LOCALAPPDATA%`` is private to the user by its access rights and is not checked further.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import json
import operator
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from upphandla import __version__
from upphandla.errors import Location, OmittedProblems, Problem, Severity
from upphandla.library import model
from upphandla.library.expressions import (
    CompiledExpression,
    ExpressionError,
    expression_from_data,
    expression_to_data,
)
from upphandla.limits import Limits
from upphandla.text import Text

CACHE_VARIABLE = "UPPHANDLA_CACHE_DIR"
NO_CACHE_VARIABLE = "UPPHANDLA_NO_CACHE"
_FORMAT = "upphandla-library-cache 2"
_POSIX = os.name == "posix"


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
    return root / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


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


# ---------------------------------------------------------------------------------------------
# Who may have written it


def is_private(status: os.stat_result) -> bool:
    """True when ``status`` (from ``lstat``) is the current user's and nobody else can write it.

    Always true on Windows, where the user's cache folder is private by its access rights.
    """
    if not _POSIX:
        return True
    if stat.S_ISLNK(status.st_mode):
        return False
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _private_folder(folder: Path, create: bool) -> bool:
    """Whether ``folder`` may hold entries; with ``create``, make it owner-only when missing."""
    try:
        if create and not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
        status = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and is_private(status)


def _read_private(path: Path) -> bytes | None:
    """The bytes of ``path`` when it is a regular private file, opened without following links."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode) or not is_private(status):
            return None
        return stream.read()


# ---------------------------------------------------------------------------------------------
# Plain data


def _allowed_classes() -> dict[str, type]:
    found: dict[str, type] = {
        name: value
        for name, value in vars(model).items()
        if isinstance(value, type) and value.__module__ == model.__name__
    }
    for value in (Text, Location, Problem, OmittedProblems, Severity):
        found[value.__name__] = value
    return found


_CLASSES = _allowed_classes()
_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
        _FIELDS[cls] = names
    return names


_PLAIN = frozenset([str, int, float, bool, type(None)])


def to_data(value: Any) -> Any:
    """``value`` (a library's dataclasses, enums, tuples, …) as JSON-ready plain data."""
    return _Encoder().encode(value)


class _Encoder:
    """One encoding. Dispatch is by exact type, with an encoder made once per class; texts and
    locations, the most frequent values, get short forms, and a condition's tree is written at
    its first occurrence only (later ones refer to it by text)."""

    def __init__(self) -> None:
        self.expressions: set[str] = set()

    def encode(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        method = _ENCODERS.get(kind) or _encoder(kind)
        return method(self, value)

    def items(self, values: Any) -> list[Any]:
        # ``encode`` for each item, its dispatch written out (this runs for every field).
        encoded = []
        for item in values:
            kind = type(item)
            if kind in _PLAIN:
                encoded.append(item)
            else:
                encoded.append((_ENCODERS.get(kind) or _encoder(kind))(self, item))
        return encoded

    def expression(self, value: CompiledExpression) -> Any:
        if value.source in self.expressions:
            return {"x": [value.source]}
        self.expressions.add(value.source)
        return {"x": expression_to_data(value)}


Method = Callable[[_Encoder, Any], Any]


def _encoder(kind: type) -> Method:
    """The encoder for values of ``kind``, made once per class."""
    encode: Method
    if kind is Text:

        def encode(_: _Encoder, value: Text) -> Any:
            return {"T": [value.sv, value.en]}

    elif kind is Location:

        def encode(_: _Encoder, value: Location) -> Any:
            file = None if value.file is None else str(value.file)
            return {"L": [file, value.line, value.column]}

    elif issubclass(kind, enum.Enum):
        # One stored form per member, shared: the JSON encoder only reads it.
        forms = {member: {"e": kind.__name__, "v": member.value} for member in kind}

        def encode(_: _Encoder, value: Any) -> Any:
            return forms[value]

    elif kind is CompiledExpression:
        encode = _Encoder.expression
    elif dataclasses.is_dataclass(kind):
        if _CLASSES.get(kind.__name__) is not kind:
            raise TypeError(f"{kind.__name__} is not a cacheable class")
        name, getter = kind.__name__, operator.attrgetter(*_field_names(kind))
        single = len(_field_names(kind)) == 1

        def encode(encoder: _Encoder, value: Any) -> Any:
            fields = getter(value)
            return {"c": name, "f": encoder.items((fields,) if single else fields)}

    elif kind is tuple:

        def encode(encoder: _Encoder, value: Any) -> Any:
            return {"t": encoder.items(value)} if value else _EMPTY_TUPLE

    elif kind is list:
        encode = _Encoder.items
    elif kind is frozenset:

        def encode(encoder: _Encoder, value: Any) -> Any:
            return {"s": sorted(encoder.items(value))}

    elif kind is dict:

        def encode(encoder: _Encoder, value: Any) -> Any:
            return {"d": [[encoder.encode(k), encoder.encode(v)] for k, v in value.items()]}

    elif issubclass(kind, datetime.date) and kind is not datetime.datetime:

        def encode(_: _Encoder, value: Any) -> Any:
            return {"date": value.isoformat()}

    elif issubclass(kind, Path):

        def encode(_: _Encoder, value: Any) -> Any:
            return {"p": str(value)}

    else:
        raise TypeError(f"{kind.__name__} is not cacheable")
    _ENCODERS[kind] = encode
    return encode


_ENCODERS: dict[type, Method] = {}
_EMPTY_TUPLE: dict[str, list[Any]] = {"t": []}


def from_data(data: Any) -> Any:
    """Rebuild what ``to_data`` stored; only allow-listed classes are ever constructed.

    Raises:
        ValueError, TypeError, KeyError, ExpressionError: The data is not a stored value.
    """
    return loads(json.dumps(data))


def loads(raw: bytes | str) -> Any:
    """Parse a stored value from JSON text, rebuilding objects as the parser meets them."""
    return json.loads(raw, object_hook=_Decoder().hook)


class _Decoder:
    """One decoding, bottom-up: ``json`` calls ``hook`` for each object with its members
    already decoded. Each distinct condition text is rebuilt once and shared, as when loading.

    The encoder writes each object's tag as its first key; the hook dispatches on that key
    alone (about twice as fast as trying each tag in turn), and an object whose first key is
    no tag makes the entry unreadable, so the library is read from its files again.
    """

    def __init__(self) -> None:
        self.expressions: dict[str, CompiledExpression] = {}
        self.paths: dict[str, Path] = {}
        self.decoders: dict[str, Callable[[dict[str, Any]], Any]] = {
            "T": _text,
            "L": self._location,
            "c": _record,
            "t": _tuple,
            "n": _node,
            "e": _enum,
            "x": self._stored_expression,
            "s": _frozenset,
            "d": _dict,
            "date": _date,
            "p": _path,
        }

    def hook(self, data: dict[str, Any]) -> Any:
        for tag in data:
            decode = self.decoders.get(tag)
            if decode is None:
                break
            return decode(data)
        raise ValueError("unknown value in a cache entry")

    def _location(self, data: dict[str, Any]) -> Location:
        file, line, column = data["L"]
        if file is None:
            return Location(None, line, column)
        path = self.paths.get(file)
        if path is None:
            path = self.paths[file] = Path(file)
        return Location(path, line, column)

    def _stored_expression(self, data: dict[str, Any]) -> CompiledExpression:
        return self._expression(data["x"])

    def _expression(self, payload: Any) -> CompiledExpression:
        source = payload[0] if isinstance(payload, list) and payload else None
        known = self.expressions.get(source) if isinstance(source, str) else None
        if known is not None:
            return known
        if isinstance(payload, list) and len(payload) == 1:
            raise ValueError("a condition refers to one not stored before it")
        compiled = expression_from_data(payload)
        self.expressions[compiled.source] = compiled
        return compiled


def _text(data: dict[str, Any]) -> Text:
    return Text(*data["T"])


def _record(data: dict[str, Any]) -> Any:
    cls = _CLASSES[data["c"]]
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    return cls(*data["f"])


def _tuple(data: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(data["t"])


def _node(data: dict[str, Any]) -> dict[str, Any]:
    return data  # a node of a stored expression: rebuilt with its expression


def _enum(data: dict[str, Any]) -> enum.Enum:
    return _MEMBERS[data["e"]][data["v"]]


# Each allow-listed enum's members by value: a dictionary lookup instead of ``Enum(value)``,
# which costs microseconds a call in Python 3.11.
_MEMBERS: dict[str, dict[Any, enum.Enum]] = {
    name: {member.value: member for member in cls}
    for name, cls in _CLASSES.items()
    if isinstance(cls, type) and issubclass(cls, enum.Enum)
}


def _frozenset(data: dict[str, Any]) -> frozenset[Any]:
    return frozenset(data["s"])


def _dict(data: dict[str, Any]) -> dict[Any, Any]:
    return dict(data["d"])


def _date(data: dict[str, Any]) -> datetime.date:
    return datetime.date.fromisoformat(data["date"])


def _path(data: dict[str, Any]) -> Path:
    return Path(data["p"])


# ---------------------------------------------------------------------------------------------
# Entries


def read_entry(path: Path | None) -> Any | None:
    """The cached value when the entry is private, intact and its files unchanged, else None."""
    if path is None or not _private_folder(path.parent, create=False):
        return None
    raw = _read_private(path)
    if raw is None:
        return None
    try:
        header_end = raw.index(b"\n")
        header = json.loads(raw[:header_end])
        if not isinstance(header, dict) or header.get("format") != _FORMAT:
            return None
        folders = [Path(folder) for folder in header["folders"]]
        if (
            not all(folder.is_dir() for folder in folders)
            or files_digest(folders) != header["files"]
        ):
            return None
        return loads(raw[header_end + 1 :])
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
        ExpressionError,
    ):
        return None


def write_entry(path: Path | None, value: Any, folders: Sequence[Path]) -> None:
    """Store ``value``; a cache that cannot be written (or is not private) is skipped."""
    if path is None or not _private_folder(path.parent, create=True):
        return
    try:
        header = {
            "format": _FORMAT,
            "folders": [str(folder.resolve()) for folder in folders],
            "files": files_digest(folders),
        }
        # No circle check: to_data's lists and dicts hold no circles (some are shared, which
        # the encoder writes out each time). ASCII-only JSON is written faster.
        body = json.dumps(
            to_data(value), ensure_ascii=True, separators=(",", ":"), check_circular=False
        )
        parts = (
            (json.dumps(header, ensure_ascii=True) + "\n").encode("ascii"),
            body.encode("ascii"),
        )
        del body
    except (OSError, TypeError, ValueError, RecursionError):
        return
    temporary = None
    try:
        descriptor, name = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=path.parent)
        temporary = Path(name)
        with os.fdopen(descriptor, "wb") as stream:
            for part in parts:
                stream.write(part)
        temporary.replace(path)
        temporary = None
    except OSError:
        return
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
