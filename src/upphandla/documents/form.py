"""The response form contract: everything the writer of ``svarsbilaga.docx`` and its reader agree on.

The writer (the ``svarsbilaga`` template, ``markup``, ``tender`` and ``docx_writer``) and the
reader (``evaluation.form_reader`` and ``evaluation.responses``) both take from here:

- the **tags** of the answer fields: ``<ID>.fulfilled`` (a Ja/Nej choice), ``<ID>.description`` and
  ``<ID>.reference`` (free text) for every included requirement, and ``supplier.name`` …
  ``supplier.price`` (free text) once per form (``field_tag``, ``supplier_tag``,
  ``parse_field_tag``, ``form_tags``);
- the **bookmark** that wraps each field, the fallback for word processors that drop tags
  (``bookmark_name`` and its inverse ``tag_from_bookmark``);
- the **prompts** an empty field shows, which a reader takes for "no answer";
- the **custom document properties** (``upphandla.form_id`` …) and the **form id**;
- the **order** of the requirements in the form.

The bundled templates spell the tags out (``[[val {{ r.id }}.fulfilled: Ja / Nej]]``);
``tests/test_form_contract.py`` generates a form and checks that every tag it holds is one named
here, and that the reader looks up only tags the writer wrote. If writer and reader disagreed,
answers would silently read as "not found".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

from upphandla.documents.blocks import AnswerField, Block, BulletList, Cell, FieldKind, Run, Table
from upphandla.library import known
from upphandla.library.model import Kind
from upphandla.selection.select import Included, Selection, in_area_order
from upphandla.text import Language, Text

# ---------------------------------------------------------------------------------------------
# The document and its properties

RESPONSE_FORM = "svarsbilaga"
"""The response form's document name: its file name stem and its ``upphandla.document``."""

PROPERTY_PREFIX = "upphandla."
DOCUMENT_PROPERTY = "upphandla.document"
FORM_ID_PROPERTY = "upphandla.form_id"
PROCUREMENT_PROPERTY = "upphandla.procurement"
LIBRARY_ID_PROPERTY = "upphandla.library_id"
LIBRARY_VERSION_PROPERTY = "upphandla.library_version"
LIBRARY_SHA256_PROPERTY = "upphandla.library_sha256"
LANGUAGE_PROPERTY = "upphandla.language"
TOOL_VERSION_PROPERTY = "upphandla.tool_version"
PROPERTIES = (
    DOCUMENT_PROPERTY,
    FORM_ID_PROPERTY,
    PROCUREMENT_PROPERTY,
    LIBRARY_ID_PROPERTY,
    LIBRARY_VERSION_PROPERTY,
    LIBRARY_SHA256_PROPERTY,
    LANGUAGE_PROPERTY,
    TOOL_VERSION_PROPERTY,
)
"""The custom document properties every tender document carries, in the order written."""


def form_id(selection: Selection) -> str:
    """A short fingerprint of the procurement: library content, answers and selected levels."""
    payload = {
        "library": selection.library.sha256,
        "answers": {key: str(value) for key, value in sorted(selection.answers.items())},
        "requirements": [(item.requirement.id, item.level.value) for item in selection.included],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Fields and their tags


class RequirementField(StrEnum):
    """The answer fields of one requirement; the tag is ``<requirement id>.<field>``."""

    FULFILLED = "fulfilled"
    DESCRIPTION = "description"
    REFERENCE = "reference"


class SupplierField(StrEnum):
    """The supplier's fields, once per form; the tag is ``supplier.<field>``."""

    NAME = "name"
    ORG_NUMBER = "org_number"
    CONTACT = "contact"
    CONTACT_DETAILS = "contact_details"
    PRICE = "price"
    LOT = "lot"
    """Only in a procurement with lots (``lot_names``): which lot the tender is for."""


SUPPLIER = "supplier"
"""The first part of the supplier fields' tags."""

FIELD_KINDS: dict[RequirementField | SupplierField, FieldKind] = {
    RequirementField.FULFILLED: "choice",
    RequirementField.DESCRIPTION: "text",
    RequirementField.REFERENCE: "text",
    **dict.fromkeys(SupplierField, "text"),
    SupplierField.LOT: "choice",
}
"""The kind of content control each field is: ``choice`` (a drop-down) or ``text``."""

FULFILLED_CHOICES: dict[Language, tuple[str, str]] = {"sv": ("Ja", "Nej"), "en": ("Yes", "No")}
"""The items of the ``fulfilled`` drop-down, yes first, in each language of the documents."""

YES_WORDS: frozenset[str] = frozenset(yes.casefold() for yes, _ in FULFILLED_CHOICES.values())
NO_WORDS: frozenset[str] = frozenset(no.casefold() for _, no in FULFILLED_CHOICES.values())

TAG_CHARACTERS = r"[A-Za-z0-9_.\-]+"
"""What a tag is made of (the markup's ``[[svar TAG]]`` accepts these); requirement ids fit."""


def field_tag(requirement_id: str, field: RequirementField) -> str:
    """The tag of one of a requirement's answer fields: ``AI-TRA-01.fulfilled``."""
    return f"{requirement_id}.{field.value}"


def supplier_tag(field: SupplierField) -> str:
    """The tag of one of the supplier's fields: ``supplier.name``."""
    return f"{SUPPLIER}.{field.value}"


SUPPLIER_TAGS: tuple[str, ...] = tuple(
    supplier_tag(field) for field in SupplierField if field is not SupplierField.LOT
)
"""The supplier's tags every form has (``supplier.lot`` only when there are lots)."""

LOT_TAG = supplier_tag(SupplierField.LOT)
LOT_SEPARATOR = ";"


def lot_names(selection: Selection) -> tuple[str, ...]:
    """The procurement's lots (anbudsområden), from the ``lots`` answer ("A; B"), in order;
    empty when it is not divided into lots."""
    text = str(selection.answers.get(known.LOTS, "") or "")
    names = (" ".join(part.split()) for part in text.replace("\n", LOT_SEPARATOR).split(";"))
    return tuple(dict.fromkeys(name for name in names if name))


def parse_field_tag(tag: str) -> tuple[str, RequirementField | SupplierField] | None:
    """``(requirement id or "supplier", field)`` for a tag this contract names, else None."""
    owner, separator, name = tag.rpartition(".")
    if not separator or not owner:
        return None
    try:
        return (owner, SupplierField(name) if owner == SUPPLIER else RequirementField(name))
    except ValueError:
        return None


def requirement_tags(requirement_id: str) -> tuple[str, ...]:
    """The tags of one requirement's fields, in the order the form shows them."""
    return tuple(field_tag(requirement_id, field) for field in RequirementField)


def form_tags(selection: Selection) -> tuple[str, ...]:
    """Every tag the response form for ``selection`` has: the supplier's, then each requirement's."""
    lot = (LOT_TAG,) if lot_names(selection) else ()
    return (
        SUPPLIER_TAGS
        + lot
        + tuple(
            tag for item in form_order(selection) for tag in requirement_tags(item.requirement.id)
        )
    )


def field_kind(tag: str) -> FieldKind | None:
    """The kind of the field ``tag`` names, or None for a tag this contract does not name."""
    parsed = parse_field_tag(tag)
    return FIELD_KINDS[parsed[1]] if parsed is not None else None


def form_order(selection: Selection) -> list[Included]:
    """The included requirements in the order of the documents: the areas in the order they are
    declared, library order within an area (``in_area_order``)."""
    library_order = in_area_order(selection.library)
    position = {requirement.id: index for index, requirement in enumerate(library_order)}
    return sorted(
        selection.included, key=lambda item: position.get(item.requirement.id, len(position))
    )


# ---------------------------------------------------------------------------------------------
# Bookmarks: the second way to find a field

BOOKMARK_PREFIX = "_upph"
BOOKMARK_LIMIT = 40
"""Word's longest bookmark name."""


def bookmark_name(tag: str) -> str:
    """The hidden bookmark name that marks the answer field ``tag`` ("" for no tag).

    Word allows letters, digits and underscores, at most 40 characters; a leading underscore
    hides the bookmark from Word's bookmark list. ``_`` is written ``__``, ``-`` as ``_d``,
    ``.`` as ``_p`` and any other character as ``_x`` and four hex digits. A tag whose name
    would be longer (``use_per_instructions.start.result``) gets ``_upph_h`` and a digest
    instead: ``tag_from_bookmark`` finds it among the tags a reader expects.
    """
    if not tag:
        return ""
    if tag.isascii() and tag.replace("_", "").replace("-", "").replace(".", "").isalnum():
        # Letters, digits and _ - . only (every requirement's tags): the same spelling, at once.
        name = BOOKMARK_PREFIX + tag.replace("_", "__").replace("-", "_d").replace(".", "_p")
        return name if len(name) <= BOOKMARK_LIMIT else _hashed_bookmark(tag)
    parts = [BOOKMARK_PREFIX]
    for char in tag:
        if char.isascii() and char.isalnum():
            parts.append(char)
        elif char == "_":
            parts.append("__")
        elif char == "-":
            parts.append("_d")
        elif char == ".":
            parts.append("_p")
        elif ord(char) <= 0xFFFF:
            parts.append(f"_x{ord(char):04x}")
        else:
            return _hashed_bookmark(tag)
    name = "".join(parts)
    return name if len(name) <= BOOKMARK_LIMIT else _hashed_bookmark(tag)


_HASHED_PREFIX = BOOKMARK_PREFIX + "_h"


def _hashed_bookmark(tag: str) -> str:
    return _HASHED_PREFIX + hashlib.sha256(tag.encode("utf-8")).hexdigest()[:24]


def hashed_bookmarks(tags: Iterable[str]) -> dict[str, str]:
    """The digest-named bookmarks of ``tags`` (those too long to spell out), name → tag."""
    found = {}
    for tag in tags:
        name = bookmark_name(tag)
        if name.startswith(_HASHED_PREFIX):
            found[name] = tag
    return found


def is_form_bookmark(name: str) -> bool:
    """Whether ``name`` is a bookmark the writer puts on an answer field."""
    return name.startswith(_HASHED_PREFIX) or tag_from_bookmark(name) is not None


def tag_from_bookmark(name: str, hashed: Mapping[str, str] | None = None) -> str | None:
    """The field tag that ``bookmark_name`` encoded in ``name``, or None for other bookmarks;
    a digest-named bookmark is looked up in ``hashed`` (``hashed_bookmarks`` of the expected
    tags)."""
    if name.startswith(_HASHED_PREFIX):
        return (hashed or {}).get(name)
    if not name.startswith(BOOKMARK_PREFIX) or len(name) == len(BOOKMARK_PREFIX):
        return None
    chars: list[str] = []
    text = name[len(BOOKMARK_PREFIX) :]
    position = 0
    while position < len(text):
        char = text[position]
        if char != "_":
            chars.append(char)
            position += 1
            continue
        code = text[position + 1 : position + 2]
        if code == "_":
            chars.append("_")
            position += 2
        elif code == "d":
            chars.append("-")
            position += 2
        elif code == "p":
            chars.append(".")
            position += 2
        elif code == "x" and len(text) >= position + 6:
            try:
                chars.append(chr(int(text[position + 2 : position + 6], 16)))
            except ValueError:
                return None
            position += 6
        else:
            return None
    return "".join(chars)


# ---------------------------------------------------------------------------------------------
# Prompts

ANSWER_PROMPTS: dict[Kind, Text] = {
    Kind.QUALIFICATION: Text("Uppfylls kravet?", "Is the requirement met?"),
    Kind.SPECIFICATION: Text("Uppfylls kravet?", "Is the requirement met?"),
    Kind.AWARD: Text("Uppfyller anbudet kriteriet?", "Does the tender meet the criterion?"),
    Kind.CONTRACT: Text("Accepteras villkoret?", "Is the condition accepted?"),
}
"""The question beside a requirement's ``fulfilled`` field (``answer_prompt`` in the templates);
the tag is ``<ID>.fulfilled`` for every kind."""

FIELD_PROMPTS: dict[Language, dict[FieldKind, str]] = {
    "sv": {"text": "Klicka här och skriv ert svar.", "choice": "Välj ett svar."},
    "en": {"text": "Click here and write your answer.", "choice": "Choose an answer."},
}
"""The grey prompt of an empty field in the tender documents (the markup's placeholders)."""

WRITER_PROMPTS: dict[Language, dict[FieldKind, str]] = {
    "sv": {
        "text": "Klicka eller tryck här för att skriva ditt svar.",
        "choice": "Välj ett alternativ.",
    },
    "en": {"text": "Click or tap here to enter your answer.", "choice": "Choose an item."},
}
"""The Word writer's prompt for a field whose markup gives none (Word's own wording)."""

UNANSWERED_PROMPTS: frozenset[str] = frozenset(
    text
    for prompts in (FIELD_PROMPTS, WRITER_PROMPTS)
    for by_kind in prompts.values()
    for text in by_kind.values()
)
"""Every prompt an empty field can show. Word marks an empty field with a placeholder flag, but
LibreOffice drops the flag on saving, so a reader must take the prompt text itself for "no
answer"."""


# ---------------------------------------------------------------------------------------------
# The follow-up plan's result fields (written now; read back later, issue 16 item 3)

FOLLOW_UP_PLAN = "uppfoljningsplan"
"""The follow-up plan's document name: its file name stem and its ``upphandla.document``."""


class CheckField(StrEnum):
    """The result fields of one check of the follow-up plan; the tag is
    ``<requirement or duty id>.<moment>.<field>`` (``check_tag``)."""

    RESULT = "result"
    DATE = "date"
    BY = "by"
    NOTE = "note"


CHECK_FIELD_KINDS: dict[CheckField, FieldKind] = {
    CheckField.RESULT: "choice",
    CheckField.DATE: "text",
    CheckField.BY: "text",
    CheckField.NOTE: "text",
}

CHECK_RESULTS: dict[Language, tuple[str, str, str, str]] = {
    "sv": ("Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej kontrollerat"),
    "en": ("Met", "Partly met", "Not met", "Not checked"),
}
"""The items of a check's ``result`` drop-down: met, partly, not met, not checked."""

CHECK_PROMPTS: dict[Language, dict[CheckField, str]] = {
    "sv": {
        CheckField.DATE: "Datum",
        CheckField.BY: "Namn",
        CheckField.NOTE: "Anteckning",
    },
    "en": {
        CheckField.DATE: "Date",
        CheckField.BY: "Name",
        CheckField.NOTE: "Note",
    },
}
"""The grey prompts of a check's empty text fields (a reader takes them for "no answer")."""


def check_tag(subject: str, moment: str, field: CheckField) -> str:
    """The tag of one result field of a check: ``AI-SAK-01.year.result``."""
    return f"{subject}.{moment}.{field.value}"


# ---------------------------------------------------------------------------------------------
# Fixed texts: what a supplier must not change

TEXT_DIGESTS_PROPERTY = "upphandla.text_digests"
"""A custom property of the response form: the digest of each requirement table's fixed text
as sent (``{requirement id: digest}`` as compact JSON), so that ``evaluate`` can tell a rewritten
requirement (a reservation) from a form made with other templates."""


def normal_paragraph(text: str) -> str:
    """A paragraph of fixed text as compared: whitespace (no-break spaces too) collapsed."""
    return " ".join(text.split())


def table_texts(table: Table) -> tuple[str, ...]:
    """The fixed text of a requirement table, one entry per non-empty paragraph, answer fields
    left out: what the reader's ``fixed_paragraphs`` finds in an untouched form."""
    paragraphs: list[str] = [normal_paragraph(text) for text in table.header]
    for row in table.rows:
        paragraphs.extend(row_texts(row))
    return tuple(paragraph for paragraph in paragraphs if paragraph)


def row_texts(row: Sequence[Cell]) -> tuple[str, ...]:
    """The fixed text of one table row, as ``table_texts``."""
    paragraphs: list[str] = []
    for cell in row:
        for item in cell.paragraphs:
            lines = item.items if isinstance(item, BulletList) else (item.content,)
            paragraphs.extend(
                normal_paragraph("".join(x.text for x in line if isinstance(x, Run)))
                for line in lines
            )
    return tuple(paragraph for paragraph in paragraphs if paragraph)


CHECK_DIGESTS_PROPERTY = "upphandla.check_digests"
"""A custom property of the follow-up plan: the digest of each check's fixed text as written
(``{check id: digest}`` as compact JSON): the table of an acceptance case, the row of any other
check. ``follow-up --record`` doubts a check whose text was changed."""


CHECK_TABLE_MOMENTS = frozenset({"accept"})
"""The moments whose checks have a table each (the acceptance cases); other checks are a row."""


def check_texts(blocks: Sequence[Block]) -> dict[str, tuple[str, ...]]:
    """The fixed text of each check of a follow-up plan, by check id (``<id>.<moment>``): the
    whole table for a moment of ``CHECK_TABLE_MOMENTS``, else the check's row."""
    suffix = f".{CheckField.RESULT.value}"
    texts: dict[str, tuple[str, ...]] = {}
    for block in blocks:
        if not isinstance(block, Table):
            continue
        found: list[tuple[str, tuple[Cell, ...]]] = []
        for row in block.rows:
            for cell in row:
                for item in cell.paragraphs:
                    lines = item.items if isinstance(item, BulletList) else (item.content,)
                    found.extend(
                        (x.tag[: -len(suffix)], row)
                        for line in lines
                        for x in line
                        if isinstance(x, AnswerField) and x.tag.endswith(suffix)
                    )
        for check, row in found:
            whole = check.rpartition(".")[2] in CHECK_TABLE_MOMENTS
            texts[check] = table_texts(block) if whole else row_texts(row)
    return texts


def check_digests(blocks: Sequence[Block]) -> str:
    """``CHECK_DIGESTS_PROPERTY``'s value for a follow-up plan's blocks."""
    digests = {check: text_digest(texts) for check, texts in check_texts(blocks).items()}
    return json.dumps(digests, separators=(",", ":"), sort_keys=True)


def text_digest(paragraphs: Sequence[str]) -> str:
    """A short digest of fixed paragraphs (``table_texts``)."""
    return hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()[:16]


def requirement_tables(blocks: Sequence[Block], ids: Iterable[str]) -> dict[str, Table]:
    """The response form's table of each requirement in ``ids``, by requirement id (the table's
    tag is the requirement id)."""
    wanted = set(ids)
    return {
        block.tag: block for block in blocks if isinstance(block, Table) and block.tag in wanted
    }


def text_digests(blocks: Sequence[Block], ids: Iterable[str]) -> str:
    """``TEXT_DIGESTS_PROPERTY``'s value for a response form's blocks."""
    digests = {
        requirement_id: text_digest(table_texts(table))
        for requirement_id, table in requirement_tables(blocks, ids).items()
    }
    return json.dumps(digests, separators=(",", ":"), sort_keys=True)
