"""The styles of the reference document: which the writer needs, and looking them up by name.

Styles are looked up by *name* (case-insensitively), because Word localises style ids: a
Swedish Word saves "heading 1" with the id ``Rubrik1``. ``REQUIRED_STYLES`` are the styles a
reference document must have (``tools/make_reference.py`` builds them;
``docx_writer.check_reference_document`` checks them).
"""

from __future__ import annotations

from typing import Any

from upphandla.documents.docx_xml import W
from upphandla.records import record

# Every style the writer uses: (name, type). Names are Word's internal (English) names.
REQUIRED_STYLES: tuple[tuple[str, str], ...] = (
    ("Normal", "paragraph"),
    ("Title", "paragraph"),
    ("Subtitle", "paragraph"),
    ("heading 1", "paragraph"),
    ("heading 2", "paragraph"),
    ("heading 3", "paragraph"),
    ("List Bullet", "paragraph"),
    ("List Number", "paragraph"),
    ("Upphandla Liten", "paragraph"),
    ("Upphandla Tabelltext", "paragraph"),
    ("Upphandla Tabellrubrik", "paragraph"),
    ("Upphandla Tabellpunkt", "paragraph"),
    ("Upphandla Tabellnummer", "paragraph"),
    ("header", "paragraph"),
    ("footer", "paragraph"),
    ("Placeholder Text", "character"),
    ("Upphandla Tabell", "table"),
)


@record
class StyleInfo:
    style_id: str
    type: str
    element: Any


def style_index(styles_element: Any) -> dict[str, StyleInfo]:
    """Styles by lower-cased name (and by lower-cased id, for files with odd names)."""
    index: dict[str, StyleInfo] = {}
    by_id: dict[str, StyleInfo] = {}
    for style in styles_element.iterchildren(f"{W}style"):
        style_id = style.get(f"{W}styleId") or ""
        kind = style.get(f"{W}type") or "paragraph"
        name_el = style.find(f"{W}name")
        name = name_el.get(f"{W}val") if name_el is not None else style_id
        info = StyleInfo(style_id, kind, style)
        index.setdefault((name or style_id).lower(), info)
        by_id.setdefault(style_id.lower(), info)
    for key, info in by_id.items():
        index.setdefault(key, info)
    return index


def missing_styles(index: dict[str, StyleInfo]) -> list[str]:
    missing = []
    for name, kind in REQUIRED_STYLES:
        info = index.get(name.lower())
        if info is None or info.type != kind:
            missing.append(name)
    return missing
