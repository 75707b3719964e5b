"""Finding, reading and composing requirement libraries.

A library is a folder with ``library.yaml`` and any number of other YAML files. A library may
``extends`` another (by id from the search path, or by a relative path) and add, override or
remove its questions, derived values, areas, requirements and dates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from upphandla import parallel
from upphandla.errors import Location, Problem, ProblemList, ProblemsError, Severity, errors_only
from upphandla.files import outside_folder, outside_problem
from upphandla.library import caching
from upphandla.library.checking import check_library, unknown_area
from upphandla.library.fields import FieldReader, suggestion_hint
from upphandla.library.model import Level, Library, LibraryInfo, Question, Requirement
from upphandla.library.parsing import (
    KIND_WORDS,
    KINDS,
    LIBRARY_ID,
    SEMVER,
    FileContent,
    Item,
    parse_content,
)
from upphandla.library.yamlsource import YamlDocument, load_yaml_file
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.records import record
from upphandla.resources import BUNDLED_LIBRARIES, bundled_dir
from upphandla.text import Text

LIBRARY_FILE = "library.yaml"
LIBRARY_PATH_VARIABLE = "UPPHANDLA_LIBRARY_PATH"
FORMAT_VERSION = 1


@record
class LibraryEntry:
    """A library found on the search path."""

    id: str
    path: Path
    name: Text
    version: str
    bundled: bool


@record
class LoadResult:
    """A loaded library (None when it had errors) and every problem found."""

    library: Library | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return errors_only(self.problems)


def bundled_libraries_dir() -> Path:
    """The folder of libraries shipped with upphandla."""
    return bundled_dir(BUNDLED_LIBRARIES)


def library_search_path(
    extra: Sequence[Path] = (), environ: Mapping[str, str] | None = None
) -> tuple[Path, ...]:
    """Folders searched for libraries: ``--library`` paths, the environment variable, bundled."""
    environ = os.environ if environ is None else environ
    from_environment = [
        Path(part) for part in environ.get(LIBRARY_PATH_VARIABLE, "").split(os.pathsep) if part
    ]
    return (*extra, *from_environment, bundled_libraries_dir())


def discover_libraries(search_path: Sequence[Path]) -> list[LibraryEntry]:
    """Every library on the search path; the first of several with the same id wins."""
    bundled = bundled_libraries_dir().resolve()
    found: dict[str, LibraryEntry] = {}
    for folder in _candidate_folders(search_path):
        info = _peek_info(folder)
        if info is not None and info.id not in found:
            is_bundled = folder.resolve().parent == bundled
            found[info.id] = LibraryEntry(info.id, folder, info.name, info.version, is_bundled)
    return list(found.values())


def load_library(
    reference: str | Path,
    search_path: Sequence[Path] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> LoadResult:
    """Load, compose and check a library given by id or folder; never raises on bad input."""
    problems = ProblemList(limits.max_problems)
    search_path = search_path or library_search_path()
    folder = resolve_library(reference, search_path, None, problems)
    if folder is None:
        return LoadResult(None, problems.capped())
    cache_entry = caching.entry_path(folder, search_path, limits)
    cached = caching.read_entry(cache_entry)
    if isinstance(cached, list) and len(cached) == 2 and isinstance(cached[0], Library):
        return LoadResult(cached[0], tuple(cached[1]))
    loader = _Loader(search_path, limits, problems, beside=True)
    composed = loader.load(folder, ())
    if composed is not None and errors_only(problems):
        problems.extend(_areas_of_unparsed_requirements(composed, loader.positioned_documents()))
    if composed is None or errors_only(problems):
        return LoadResult(None, problems.capped())
    library = composed.to_library()
    problems.extend(check_library(library))
    if errors_only(problems):
        return LoadResult(None, problems.capped())
    result = LoadResult(library, problems.capped())
    # Encoding and writing the entry of a large library takes about a twentieth of a second per
    # thousand requirements: a copy of this process does it while this one goes on.
    folders = [info.path for info in library.chain]
    parallel.start(
        lambda: caching.write_entry(cache_entry, [library, result.problems], folders),
        worth_it=cache_entry is not None
        and len(library.requirements) >= parallel.LARGE_FROM_REQUIREMENTS,
    )
    return result


def _areas_of_unparsed_requirements(
    composed: _Composition, documents: Sequence[YamlDocument]
) -> list[Problem]:
    """Unknown areas of the requirements that had other errors and so were not checked.

    Cross-references are checked on the composed library, which leaves out a requirement with
    a wrong field; without this, its wrong ``area:`` would only be reported once the other
    field was fixed. Only when the library's areas themselves were read (none failed).
    """
    area_ids = list(composed.items["areas"])
    if not area_ids:
        return []
    found = []
    for document in documents:
        entries = document.data.get("requirements") if isinstance(document.data, dict) else None
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            requirement_id, area = entry.get("id"), entry.get("area")
            if (
                isinstance(requirement_id, str)
                and isinstance(area, str)
                and requirement_id not in composed.items["requirements"]
                and area not in area_ids
            ):
                location = document.location(("requirements", index))
                found.append(unknown_area(requirement_id, area, area_ids, location))
    return found


def require_library(
    reference: str | Path, search_path: Sequence[Path] = (), limits: Limits = DEFAULT_LIMITS
) -> tuple[Library, tuple[Problem, ...]]:
    """Load a library, raising ``ProblemsError`` when it has errors; warnings are returned."""
    result = load_library(reference, search_path, limits)
    if result.library is None:
        raise ProblemsError(result.problems)
    return result.library, result.problems


def resolve_library(
    reference: str | Path,
    search_path: Sequence[Path],
    base: Path | None,
    problems: list[Problem],
    location: Location | None = None,
) -> Path | None:
    """The folder of a library given by id, or by a path (relative to ``base`` when given)."""
    text = str(reference)
    looks_like_path = (
        isinstance(reference, Path)
        or any(sep in text for sep in ("/", "\\"))
        or text.startswith(".")
    )
    candidate = (base / text) if base is not None and not Path(text).is_absolute() else Path(text)
    if looks_like_path or _is(candidate, Path.is_dir):
        if _is(candidate / LIBRARY_FILE, Path.is_file):
            return candidate
        problems.append(
            Problem(
                Text(
                    f"Mappen '{candidate}' är inget bibliotek (den saknar {LIBRARY_FILE}).",
                    f"The folder '{candidate}' is not a library (it has no {LIBRARY_FILE}).",
                )
                if candidate.is_dir()
                else Text(
                    f"Det finns ingen mapp eller inget bibliotek som heter '{candidate}'.",
                    f"There is no folder or library named '{candidate}'.",
                ),
                location or Location(candidate),
            )
        )
        return None
    entries = {entry.id: entry for entry in discover_libraries(search_path)}
    if text in entries:
        return entries[text].path
    problems.append(
        Problem(
            Text(f"Biblioteket '{text}' finns inte.", f"The library '{text}' does not exist."),
            location or Location(),
            hint=suggestion_hint(text, entries)
            or Text(
                "Lägg till mappen med --library SÖKVÄG eller i UPPHANDLA_LIBRARY_PATH.",
                "Add its folder with --library PATH or to UPPHANDLA_LIBRARY_PATH.",
            ),
        )
    )
    return None


@dataclass
class _Composition:
    """The items of a library after composition, in order, keyed by id."""

    info: LibraryInfo
    items: dict[str, dict[str, Item]]
    file_digests: list[tuple[str, str]] = field(default_factory=list)
    chain: tuple[LibraryInfo, ...] = ()

    def to_library(self) -> Library:
        digest = hashlib.sha256()
        for name, file_digest in self.file_digests:
            digest.update(f"{name}\0{file_digest}\n".encode())
        return Library(
            info=self.info,
            questions=tuple(self.items["questions"].values()),  # type: ignore[arg-type]
            derived=tuple(self.items["derived"].values()),  # type: ignore[arg-type]
            areas=tuple(self.items["areas"].values()),  # type: ignore[arg-type]
            requirements=tuple(self.items["requirements"].values()),  # type: ignore[arg-type]
            dates=tuple(self.items["dates"].values()),  # type: ignore[arg-type]
            duties=tuple(self.items["duties"].values()),  # type: ignore[arg-type]
            sha256=digest.hexdigest(),
            chain=self.chain,
        )


class _Loader:
    def __init__(
        self,
        search_path: Sequence[Path],
        limits: Limits,
        problems: list[Problem],
        *,
        beside: bool = False,
    ) -> None:
        self.search_path = search_path
        self.limits = limits
        self.problems = problems
        self.documents: list[YamlDocument] = []  # the content files read, for late checks
        self.beside = beside
        # Content files a copy of the process read (``parallel``): their documents above have
        # no positions, which only the late checks of a library with errors need.
        self.unpositioned: set[Path] = set()

    def positioned_documents(self) -> list[YamlDocument]:
        """The content files read, each with the position of every value: those a copy read
        are read again (their YAML only). One that cannot be read now has nothing to add."""
        found = []
        for document in self.documents:
            if document.path in self.unpositioned:
                try:
                    document = load_yaml_file(document.path, self.limits)
                except ProblemsError:
                    continue
            found.append(document)
        return found

    def load(self, folder: Path, stack: tuple[Path, ...]) -> _Composition | None:
        resolved = folder.resolve()
        library_document = self._read(folder / LIBRARY_FILE)
        if library_document is None:
            return None
        info = _parse_info(library_document, folder, self.problems)
        if info is None:
            return None
        parent = None
        if info.extends is not None:
            extends_location = library_document.location(("extends",))
            parent_folder = resolve_library(
                info.extends, self.search_path, folder, self.problems, extends_location
            )
            if parent_folder is None:
                return None
            if parent_folder.resolve() in (*stack, resolved):
                chain = " → ".join(
                    str(path.name) for path in (*stack, resolved, parent_folder.resolve())
                )
                self.problems.append(
                    Problem(
                        Text(
                            f"Biblioteken bygger på varandra i en cirkel: {chain}.",
                            f"The libraries extend each other in a cycle: {chain}.",
                        ),
                        extends_location,
                    )
                )
                return None
            parent = self.load(parent_folder, (*stack, resolved))
            if parent is None:
                return None
        contents = [(library_document, self._parse(library_document, is_library_file=True))]
        paths = _content_files(folder)
        tail = self._tail_to_read_beside(paths)
        job = parallel.start(lambda: _read_files(tail, folder, self.limits), worth_it=bool(tail))
        tail_start = len(paths) - len(tail)
        for index, path in enumerate(paths):
            if outside_folder(path, folder):
                self.problems.append(outside_problem(path))
                continue
            read = job.result()[index - tail_start] if index >= tail_start else None
            if read is not None:
                # Read by the copy: its problems in their place, and the digest and content
                # that composing needs (positions only if a late check needs them).
                self.problems.extend(read.problems)
                if read.content is not None:
                    unpositioned = YamlDocument(path, None, read.digest)
                    self.documents.append(unpositioned)
                    self.unpositioned.add(path)
                    contents.append((unpositioned, read.content))
                continue
            document = self._read(path)
            if document is not None:
                self.documents.append(document)
                contents.append((document, self._parse(document, is_library_file=False)))
        return self._compose(info, folder, parent, contents)

    def _tail_to_read_beside(self, paths: list[Path]) -> list[Path]:
        """The last files of a large library, up to half of its bytes, for a copy of the process
        to read and parse while this one reads the others (``parallel``); else none. (The copy
        also pickles what it read, which this process then unpickles: halves measured best.)"""
        if not (self.beside and parallel.can_fork()):
            return []
        sizes = [_size(path) for path in paths]
        if sum(sizes) < parallel.LARGE_FROM_BYTES:
            return []
        share, index = 0, len(paths)
        while index > 1 and share + sizes[index - 1] <= sum(sizes) / 2:
            index -= 1
            share += sizes[index]
        return paths[index:]

    def _parse(self, document: YamlDocument, *, is_library_file: bool) -> FileContent:
        return parse_content(
            document, self.problems, is_library_file=is_library_file, limits=self.limits
        )

    def _read(self, path: Path) -> YamlDocument | None:
        if outside_folder(path, path.parent if path.name == LIBRARY_FILE else None):
            self.problems.append(outside_problem(path))
            return None
        if not path.is_file():
            self.problems.append(
                Problem(
                    Text(f"Filen {path.name} saknas.", f"The file {path.name} is missing."),
                    Location(path),
                )
            )
            return None
        try:
            return load_yaml_file(path, self.limits)
        except ProblemsError as error:
            self.problems.extend(error.problems)
            return None

    def _compose(
        self,
        info: LibraryInfo,
        folder: Path,
        parent: _Composition | None,
        contents: list[tuple[YamlDocument, FileContent]],
    ) -> _Composition:
        items = {kind: dict(parent.items[kind]) if parent else {} for kind in KINDS}
        inherited = {kind: set(items[kind]) for kind in KINDS}
        parent_name = parent.info.id if parent else ""
        for _, content in contents:
            for removal in content.removals:
                if removal.id in items[removal.kind]:
                    del items[removal.kind][removal.id]
                else:
                    self._problem(
                        Text(
                            f"Kan inte ta bort '{removal.id}': {KIND_WORDS[removal.kind].sv} finns inte"
                            + (f" i '{parent_name}'." if parent_name else "."),
                            f"Cannot remove '{removal.id}': {KIND_WORDS[removal.kind].en} does not exist"
                            + (f" in '{parent_name}'." if parent_name else "."),
                        ),
                        removal.location,
                        suggestion_hint(removal.id, items[removal.kind]),
                    )
        own: dict[str, dict[str, Location]] = {kind: {} for kind in KINDS}
        for _, content in contents:
            for kind in KINDS:
                for item in content.items[kind]:
                    self._add(items, inherited, own, kind, item, parent_name)
        for _, content in contents:
            for override in content.overrides:
                current = items[override.kind].get(override.id)
                if current is None:
                    self._problem(
                        Text(
                            f"Kan inte ändra '{override.id}': {KIND_WORDS[override.kind].sv} finns inte.",
                            f"Cannot override '{override.id}': {KIND_WORDS[override.kind].en} does not exist.",
                        ),
                        override.location,
                        suggestion_hint(override.id, items[override.kind]),
                    )
                    continue
                items[override.kind][override.id] = _overridden(current, override.fields)
        items["questions"] = dict(_place_questions(items["questions"]))  # type: ignore[arg-type]
        digests = list(parent.file_digests) if parent else []
        digests.extend(
            (f"{info.id}/{document.path.relative_to(folder).as_posix()}", document.digest)
            for document, _ in contents
        )
        chain = (*(parent.chain if parent else ()), info)
        return _Composition(info, items, digests, chain)

    def _add(
        self,
        items: dict[str, dict[str, Item]],
        inherited: dict[str, set[str]],
        own: dict[str, dict[str, Location]],
        kind: str,
        item: Item,
        parent_name: str,
    ) -> None:
        location = item.location
        if item.id in own[kind]:
            first = own[kind][item.id]
            self._problem(
                Text(
                    f"Id '{item.id}' används redan ({first.render()}); varje id får bara finnas en gång.",
                    f"The id '{item.id}' is already used ({first.render()}); each id may appear only once.",
                ),
                location,
            )
            return
        if item.id in inherited[kind] and item.id in items[kind]:
            self._problem(
                Text(
                    f"'{item.id}' finns redan i '{parent_name}'.",
                    f"'{item.id}' already exists in '{parent_name}'.",
                ),
                location,
                Text(
                    "Skriv ändringen under override: för att ändra fält i det ärvda.",
                    "Put the change under override: to change fields of the inherited item.",
                ),
            )
            return
        own[kind][item.id] = location
        items[kind][item.id] = item

    def _problem(self, message: Text, location: Location, hint: Text | None = None) -> None:
        self.problems.append(Problem(message, location, Severity.ERROR, hint))


def _overridden(current: Item, fields: dict[str, object]) -> Item:
    """``current`` with an override's fields; a new level brings that level's wording along.

    An override that only says ``level: ska`` of a BÖR with an ``ska:`` block makes it the
    mandatory requirement that block describes (its kind, text, title and evidence), so the
    consultant's one-line change never leaves a SKA label over BÖR wording.
    """
    if isinstance(current, Requirement) and "level" in fields:
        level = fields["level"]
        if isinstance(level, Level) and level is not current.level:
            variant = current.ska if level is Level.SKA else current.bor
            if variant is not None:
                wording = current.wording(level)
                current = dataclasses.replace(
                    current,
                    kind=wording.kind,
                    text=wording.text,
                    title=wording.title,
                    evidence=wording.evidence,
                    ska=None,
                    bor=None,
                    escalate=tuple(r for r in current.escalate if r.level is not level),
                )
    return dataclasses.replace(current, **fields)  # type: ignore[arg-type]


def _place_questions(questions: dict[str, Question]) -> dict[str, Question]:
    """Move questions with ``after:`` to just after the question they name.

    A question placed after X also goes after the questions already chained onto X (placed
    after X, or after one of those), so that a group such as the impact questions stays whole.
    """
    placed = [q for q in questions.values() if q.after is None or q.after not in questions]
    for question in questions.values():
        if question.after is None or question.after not in questions:
            continue
        ids = [q.id for q in placed]
        if question.after not in ids:
            placed.append(question)
            continue
        position = ids.index(question.after) + 1
        chain = {question.after}
        while position < len(placed) and placed[position].after in chain:
            chain.add(placed[position].id)
            position += 1
        placed.insert(position, question)
    return {question.id: question for question in placed}


def _parse_info(
    document: YamlDocument, folder: Path, problems: list[Problem]
) -> LibraryInfo | None:
    reader = FieldReader(document, (), problems)
    if not reader.is_mapping:
        reader.problem(
            None,
            Text(
                "library.yaml ska innehålla fält (id:, name:, ...).",
                "library.yaml must contain fields (id:, name:, ...).",
            ),
        )
        return None
    format_version = reader.typed("format", (int,))
    if format_version is not None and format_version != FORMAT_VERSION:
        reader.problem(
            "format",
            Text(
                f"Formatversion {format_version} stöds inte; den här versionen av upphandla läser version {FORMAT_VERSION}.",
                f"Format version {format_version} is not supported; this version of upphandla reads version {FORMAT_VERSION}.",
            ),
        )
    library_id = reader.string("id", required=True, pattern=LIBRARY_ID)
    name = reader.text("name", required=True)
    version = reader.raw("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if version is None:
        reader.require("version")
    elif not isinstance(version, str) or not SEMVER.fullmatch(version):
        reader.problem(
            "version",
            Text(
                f"Versionen '{version}' följer inte formen MAJOR.MINOR.PATCH (till exempel 1.2.0).",
                f"The version '{version}' is not of the form MAJOR.MINOR.PATCH (for example 1.2.0).",
            ),
            Text(
                'Skriv versionen inom citattecken: version: "1.0.0".',
                'Quote the version: version: "1.0.0".',
            ),
        )
        version = None
    if library_id is None or not name or version is None:
        return None
    return LibraryInfo(
        id=library_id,
        name=name,
        version=version,
        path=folder,
        description=reader.text("description"),
        license=reader.string("license") or "",
        authors=reader.string_list("authors"),
        extends=reader.string("extends"),
    )


@record
class _ReadFile:
    """One content file as a copy of the process read it: what the loader would have added."""

    digest: str
    content: FileContent | None  # None when the file is not valid YAML
    problems: tuple[Problem, ...]  # at most ``max_problems`` of each kind, and a count


def _read_files(paths: Sequence[Path], folder: Path, limits: Limits) -> list[_ReadFile | None]:
    """Read and parse ``paths`` of the library in ``folder`` (in a copy of the process), each
    as the loader would. A link out of the folder is not opened (None: the loader refuses it).
    """
    found: list[_ReadFile | None] = []
    for path in paths:
        if outside_folder(path, folder):
            found.append(None)
            continue
        problems = ProblemList(limits.max_problems)
        loader = _Loader((), limits, problems)
        document = loader._read(path)
        content = None if document is None else loader._parse(document, is_library_file=False)
        digest = "" if document is None else document.digest
        found.append(_ReadFile(digest, content, problems.capped()))
    return found


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _content_files(folder: Path) -> list[Path]:
    paths = [
        path
        for pattern in ("*.yaml", "*.yml")
        for path in folder.rglob(pattern)
        if path.is_file()
        and path != folder / LIBRARY_FILE
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]
    return sorted(paths, key=lambda path: path.relative_to(folder).as_posix())


def _is(path: Path, test: Callable[[Path], bool]) -> bool:
    """``path.is_dir()`` or ``path.is_file()``, false where this user may not look (Python 3.11
    raises ``PermissionError`` for a folder that cannot be entered)."""
    try:
        return test(path)
    except OSError:
        return False


def _candidate_folders(search_path: Iterable[Path]) -> list[Path]:
    folders: list[Path] = []
    for root in search_path:
        if _is(root / LIBRARY_FILE, Path.is_file):
            folders.append(root)
        elif _is(root, Path.is_dir):
            try:
                children = sorted(root.iterdir())
            except OSError:
                continue
            folders.extend(child for child in children if _is(child / LIBRARY_FILE, Path.is_file))
    return folders


def _peek_info(folder: Path) -> LibraryInfo | None:
    if outside_folder(folder / LIBRARY_FILE, folder):
        return None
    try:
        document = load_yaml_file(folder / LIBRARY_FILE)
    except ProblemsError:
        return None
    return _parse_info(document, folder, [])
