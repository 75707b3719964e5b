"""The organisation profile ``upphandla.toml``: what repeats across an organisation's tenders."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from upphandla.errors import Location, Problem, ProblemsError, os_reason
from upphandla.files import outside_folder, outside_problem
from upphandla.library.fields import suggestion_hint
from upphandla.limits import DEFAULT_LIMITS
from upphandla.records import record
from upphandla.text import Text

PROFILE_FILE = "upphandla.toml"
_KEYS = ("organisation", "language", "reference_doc", "templates", "libraries", "library")


@record
class Profile:
    """Settings from ``upphandla.toml``; paths are resolved against the file's folder."""

    path: Path | None = None
    organisation: str | None = None
    language: str | None = None
    reference_doc: Path | None = None
    templates: Path | None = None
    libraries: tuple[Path, ...] = ()
    library: str | None = None


def find_profile(explicit: Path | None, working_folder: Path) -> Profile:
    """The profile named with ``--profile``, else ``upphandla.toml`` in the working folder, else none."""
    if explicit is not None:
        return load_profile(explicit)
    candidate = working_folder / PROFILE_FILE
    try:
        found = candidate.is_file()
    except OSError:  # a working folder this user may not look into holds no profile of theirs
        found = False
    return load_profile(candidate) if found else Profile()


def load_profile(path: Path) -> Profile:
    """Read a profile; raise ``ProblemsError`` with the file, line and column of a mistake.

    A profile that is a symbolic link to a file outside its folder is not read, and one larger
    than the file size limit neither.
    """
    import tomllib  # only when there is a profile to read (2 ms of every run otherwise)

    if outside_folder(path, path.parent):
        raise ProblemsError([outside_problem(path)])
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
            raise ProblemsError(
                [
                    Problem(
                        Text(
                            "Profilen är för stor för att vara en profil.",
                            "The profile is too large to be a profile.",
                        ),
                        Location(path),
                    )
                ]
            )
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProblemsError(
            [
                Problem(
                    Text(
                        f"Profilen går inte att läsa: {os_reason(error).sv}",
                        f"The profile cannot be read: {os_reason(error).en}",
                    ),
                    Location(path),
                )
            ]
        ) from None
    except UnicodeDecodeError:
        raise ProblemsError(
            [
                Problem(
                    Text(
                        "Profilen är inte sparad som UTF-8.", "The profile is not saved as UTF-8."
                    ),
                    Location(path),
                )
            ]
        ) from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table: a few thousand levels of
        # ``[[[[...`` exhaust the stack. No real profile nests more than two.
        raise ProblemsError(
            [
                Problem(
                    Text(
                        "Profilen är nästlad för djupt (listor eller tabeller i varandra).",
                        "The profile is nested too deeply (lists or tables inside each other).",
                    ),
                    Location(path),
                )
            ]
        ) from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        raise ProblemsError(
            [
                Problem(
                    Text(f"TOML-syntaxfel: {error}", f"TOML syntax error: {error}"),
                    Location(path, line, column),
                )
            ]
        ) from None
    problems = [
        Problem(
            Text(
                f"Okänd inställning '{key}' i profilen.", f"Unknown setting '{key}' in the profile."
            ),
            Location(path),
            hint=suggestion_hint(key, _KEYS),
        )
        for key in data
        if key not in _KEYS
    ]
    base = path.parent
    libraries = data.get("libraries", [])
    if not isinstance(libraries, list) or not all(isinstance(item, str) for item in libraries):
        problems.append(
            Problem(
                Text(
                    "libraries ska vara en lista av sökvägar.", "libraries must be a list of paths."
                ),
                Location(path),
            )
        )
        libraries = []
    values = {
        key: data.get(key)
        for key in ("organisation", "language", "reference_doc", "templates", "library")
    }
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            problems.append(
                Problem(
                    Text(f"'{key}' ska vara en text.", f"'{key}' must be a text."), Location(path)
                )
            )
    if problems:
        raise ProblemsError(problems)
    return Profile(
        path=path,
        organisation=_text(values["organisation"]),
        language=_text(values["language"]),
        reference_doc=base / values["reference_doc"] if values["reference_doc"] else None,
        templates=base / values["templates"] if values["templates"] else None,
        libraries=tuple(base / item for item in libraries),
        library=_text(values["library"]),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
