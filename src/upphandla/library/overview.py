"""A readable plain-text overview of a library's questions and requirements."""

from __future__ import annotations

from io import StringIO

from upphandla.library.model import Library
from upphandla.text import Language


def render_overview(library: Library, language: Language) -> str:
    """A table of requirements with level, ambition, area and references, by area."""
    from rich.console import Console
    from rich.table import Table

    sv = language == "sv"
    buffer = StringIO()
    console = Console(file=buffer, width=140, force_terminal=False, color_system=None)
    console.print(
        f"{library.info.name.in_language(language)} ({library.id} {library.version})\n"
        + (
            f"{len(library.questions)} frågor, {len(library.requirements)} krav"
            if sv
            else f"{len(library.questions)} questions, {len(library.requirements)} requirements"
        )
    )
    table = Table(show_lines=False, expand=False)
    for header in (
        ("Id", "Id"),
        ("Nivå", "Level"),
        ("Ambition", "Ambition"),
        ("Område", "Area"),
        ("Rubrik", "Title"),
        ("Hänvisningar", "References"),
    ):
        table.add_column(header[0] if sv else header[1], overflow="fold")
    area_order = {area.id: index for index, area in enumerate(library.areas)}
    requirements = sorted(library.requirements, key=lambda r: (area_order.get(r.area, 999), r.id))
    for requirement in requirements:
        area = library.area(requirement.area)
        table.add_row(
            requirement.id,
            requirement.level.label,
            requirement.ambition.value,
            area.title.in_language(language) if area else requirement.area,
            requirement.title.in_language(language),
            "; ".join(f"{ref.source} {ref.ref}".strip() for ref in requirement.references),
        )
    console.print(table)
    return buffer.getvalue()
