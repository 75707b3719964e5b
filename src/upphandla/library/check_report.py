"""``upphandla library check`` as one call: load and check libraries, count their problems.

``check_libraries(paths)`` loads every library given (or every library on the search path),
never raises on a bad library, and returns a ``LibraryCheck``: one ``CheckedLibrary`` per
library with its problems and counts, and whether the check as a whole failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from upphandla.errors import Problem
from upphandla.library.loading import discover_libraries, library_search_path, load_library
from upphandla.library.model import Library
from upphandla.records import record


@record
class CheckedLibrary:
    """One library's check.

    Attributes:
        target: The id or folder that was checked.
        library: The loaded library; None when it has errors.
        problems: Every problem found, errors and warnings, in the order found.
    """

    target: str | Path
    library: Library | None
    problems: tuple[Problem, ...]

    @property
    def name(self) -> str:
        """The library's id, or the target as given when it did not load."""
        return self.library.id if self.library is not None else str(self.target)

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(problem.count for problem in self.problems if problem.is_error)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(problem.count for problem in self.problems if not problem.is_error)

    @property
    def questions(self) -> int | None:
        """How many questions the library has; None when it did not load."""
        return len(self.library.questions) if self.library is not None else None

    @property
    def requirements(self) -> int | None:
        """How many requirements the library has; None when it did not load."""
        return len(self.library.requirements) if self.library is not None else None

    def failed(self, strict: bool = False) -> bool:
        """Whether it has errors (or, when ``strict``, warnings)."""
        return self.errors > 0 or (strict and self.warnings > 0)


@record
class LibraryCheck:
    """Every library's check; ``failed`` when any has errors (or warnings, when ``strict``)."""

    libraries: tuple[CheckedLibrary, ...]
    strict: bool = False

    @property
    def failed(self) -> bool:
        """Whether any library failed the check."""
        return any(checked.failed(self.strict) for checked in self.libraries)

    @property
    def errors(self) -> int:
        """Errors in all libraries together."""
        return sum(checked.errors for checked in self.libraries)

    @property
    def warnings(self) -> int:
        """Warnings in all libraries together."""
        return sum(checked.warnings for checked in self.libraries)


def check_libraries(
    paths: Sequence[str | Path] = (),
    strict: bool = False,
    library_paths: Sequence[Path] = (),
) -> LibraryCheck:
    """Load and check each library given by id or folder; with none, every library found on the
    search path (``library_paths``, then ``UPPHANDLA_LIBRARY_PATH``, then the bundled ones)."""
    search_path = library_search_path(library_paths)
    targets: list[str | Path] = (
        list(paths) if paths else [entry.path for entry in discover_libraries(search_path)]
    )
    checked = []
    for target in targets:
        result = load_library(target, search_path)
        checked.append(CheckedLibrary(target, result.library, result.problems))
    return LibraryCheck(tuple(checked), strict)
