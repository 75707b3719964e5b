"""The document model between templates and writers: a flat sequence of plain blocks.

Templates (Jinja2, sandboxed) produce markup text; ``markup.parse_markup`` turns it into these
blocks; ``docx_writer`` and ``markdown_writer`` turn blocks into files. Blocks hold only text, so
the writers decide every visual detail from the organisation's reference document.
"""

from __future__ import annotations

from dataclasses import field
from typing import Literal

from upphandla.records import record

FieldKind = Literal["text", "choice", "checkbox"]
Orientation = Literal["portrait", "landscape"]


@record
class Run:
    """A piece of text with simple emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@record
class AnswerField:
    """A place for the supplier's answer: a Word content control tagged ``tag``.

    ``kind`` is ``text`` (free text, possibly several paragraphs), ``choice`` (a drop-down list
    with ``choices``) or ``checkbox``. ``placeholder`` is the grey prompt shown until answered.
    """

    tag: str
    kind: FieldKind = "text"
    choices: tuple[str, ...] = ()
    placeholder: str = ""


Inline = Run | AnswerField


@record
class Paragraph:
    """A paragraph of runs and answer fields. ``style`` is a role, not a Word style name:
    ``body``, ``title``, ``subtitle``, ``small`` (notes, metadata), ``label`` (a short bold lead)."""

    content: tuple[Inline, ...]
    style: str = "body"


@record
class Heading:
    """A heading of level 1 to 3."""

    text: str
    level: int = 1


@record
class BulletList:
    """A list of items, each a tuple of inlines; numbered when ``ordered``."""

    items: tuple[tuple[Inline, ...], ...]
    ordered: bool = False


@record
class Cell:
    """A table cell: paragraphs (and bullet items) of inlines."""

    paragraphs: tuple[Paragraph | BulletList, ...] = ()


@record
class Table:
    """A table with a header row; ``widths`` are relative column widths (sum need not be 1)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] = ()
    tag: str = ""
    whole_rows: bool = False
    """Keep each row on one page (Word's "allow row to break across pages" off)."""


@record
class PageBreak:
    """Start a new page."""


@record
class TableOfContents:
    """A table-of-contents field (headings 1 to ``depth``); Word fills it in when opened."""

    depth: int = 2


@record
class SectionBreak:
    """Start a new section on a new page, with pages in ``orientation`` from here on (until the
    next section break). The page size and margins are the reference document's, turned."""

    orientation: Orientation = "portrait"


Block = Paragraph | Heading | BulletList | Table | PageBreak | TableOfContents | SectionBreak


@record
class DocumentProperties:
    """Core and custom properties of the document, and its header and footer texts.

    ``header`` is the text of the page header; the footer shows ``footer`` followed by
    "sida X av Y" / "page X of Y" (``page_word`` and ``of_word`` in the document's language).
    ``custom`` holds name-value pairs stored as custom document properties (library id, version,
    content hash, tool version), so that a response form can be traced to its procurement.
    """

    title: str
    subject: str = ""
    author: str = ""
    keywords: str = ""
    language: str = "sv-SE"
    header: str = ""
    footer: str = ""
    page_word: str = "Sida"
    of_word: str = "av"
    custom: tuple[tuple[str, str], ...] = ()


@record
class Document:
    """A whole document: properties and blocks."""

    properties: DocumentProperties
    blocks: tuple[Block, ...] = field(default_factory=tuple)
