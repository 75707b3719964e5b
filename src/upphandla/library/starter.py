"""``upphandla library init``: a starter library for a consultant, with editor completion."""

from __future__ import annotations

from pathlib import Path

from upphandla.errors import Location, Problem, ProblemsError
from upphandla.files import write_all_atomic
from upphandla.library.parsing import LIBRARY_ID
from upphandla.resources import BUNDLED_SCHEMAS, bundled_dir
from upphandla.text import Text

_SCHEMA_FILES = ("library.schema.json", "library-content.schema.json")

_LIBRARY_YAML = """\
# yaml-language-server: $schema=./library.schema.json
# Bibliotekets uppgifter. Se docs/library-format.md i upphandla för alla fält.
format: 1
id: {library_id}
name:
  sv: {library_id}
  en: {library_id}
description:
  sv: Beskriv vad biblioteket innehåller och för vem det är skrivet.
  en: Describe what the library holds and whom it is written for.
version: "0.1.0"
license: CC-BY-4.0
authors:
  - Ditt namn
{extends_line}"""

_REQUIREMENTS_YAML = """\
# yaml-language-server: $schema=./library-content.schema.json
# Egna krav. Varje text skrivs på svenska (sv) och engelska (en).
requirements:
  - id: EGET-01
    area: {area}
    title:
      sv: Exempel på ett eget krav
      en: Example of an own requirement
    text:
      sv: |-
        Leverantören ska beskriva hur ...

        - första punkten,
        - andra punkten.
      en: |-
        The supplier shall describe how ...

        - the first point,
        - the second point.
    level: ska
    kind: specification
    ambition: bas
    verification: [description]
    evidence:
      sv: Beskrivning enligt kravet.
      en: Description as required.
    phase: tender
    references:
      - {{source: LOU, ref: "9 kap."}}
    rationale:
      sv: Varför kravet ställs, med enkla ord.
      en: Why the requirement is asked, in plain words.
{extra}"""

_EXTENDING_EXTRA = """\
# Ändra fält i ett ärvt krav, eller ta bort krav som inte passar er organisation:
# override:
#   requirements:
#     - id: AI-MKT-02
#       level: ska
# remove:
#   requirements: [AI-TRA-01]
"""

_STANDALONE_AREAS = """\
areas:
  - id: general
    title: {sv: Allmänt, en: General}
"""


def create_starter_library(
    folder: Path, *, extends: str | None, library_id: str | None, force: bool
) -> list[Path]:
    """Write a small, valid library into ``folder``; refuse a non-empty folder unless ``force``."""
    chosen_id = library_id or folder.resolve().name.lower().replace(" ", "-")
    if not LIBRARY_ID.fullmatch(chosen_id):
        raise ProblemsError(
            [
                Problem(
                    Text(
                        f"'{chosen_id}' kan inte vara ett biblioteks-id.",
                        f"'{chosen_id}' cannot be a library id.",
                    ),
                    Location(folder),
                    hint=Text(
                        "Ange ett id med små bokstäver, siffror och bindestreck: --id mitt-bibliotek",
                        "Give an id of lower-case letters, digits and hyphens: --id my-library",
                    ),
                )
            ]
        )
    if folder.exists() and any(folder.iterdir()) and not force:
        raise ProblemsError(
            [
                Problem(
                    Text(
                        "Mappen finns redan och är inte tom.", "The folder exists and is not empty."
                    ),
                    Location(folder),
                    hint=Text(
                        "Välj en ny mapp, eller använd --force.",
                        "Choose a new folder, or use --force.",
                    ),
                )
            ]
        )
    extends_line = f"extends: {extends}\n" if extends else ""
    area = "transparency" if extends else "general"
    files: dict[Path, bytes] = {
        folder / "library.yaml": _LIBRARY_YAML.format(
            library_id=chosen_id, extends_line=extends_line
        ).encode(),
        folder / "requirements.yaml": _REQUIREMENTS_YAML.format(
            area=area, extra=_EXTENDING_EXTRA if extends else ""
        ).encode(),
    }
    if not extends:
        files[folder / "areas.yaml"] = (
            "# yaml-language-server: $schema=./library-content.schema.json\n" + _STANDALONE_AREAS
        ).encode()
    schemas = bundled_dir(BUNDLED_SCHEMAS)
    for name in _SCHEMA_FILES:
        source = schemas / name
        if source.is_file():
            files[folder / name] = source.read_bytes()
    return write_all_atomic(files, force=True)
