"""Reading the suppliers' response forms back: one ``SupplierResponse`` per filled-in form.

Every filled-in response form (``svarsbilaga.docx``) is read with the docx reader and checked
against the procurement it should belong to (its ``upphandla.form_id``). A field that cannot be
found is never counted as a yes or a no: it is *unlocated*, and a person has to look in the
document. Everything here is pure: bytes in, data out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from upphandla.documents import form
from upphandla.documents.form import RequirementField, SupplierField, field_tag, supplier_tag
from upphandla.errors import Location, Problem, ProblemsError, Severity
from upphandla.evaluation import messages
from upphandla.library import known
from upphandla.library.model import Level
from upphandla.selection.select import Included, Selection
from upphandla.text import Language, Text

if TYPE_CHECKING:
    from upphandla.evaluation.form_reader import FieldValue

Fulfilled = Literal["yes", "no", "unanswered", "unlocated"]

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The drop-down's own items, and what suppliers write instead of choosing: an X or a tick.
_YES = form.YES_WORDS | {"x", "\u2612", "\u2611", "\u2713", "\u2714"}
_NO = form.NO_WORDS
_LEADING_WORD = re.compile(
    rf"^\s*({'|'.join(sorted(map(re.escape, form.YES_WORDS | form.NO_WORDS)))})\b", re.IGNORECASE
)
_AMOUNT = re.compile(r"\d[\d\s\u00a0\u202f\u2009.,']*")
_MILLIONS = re.compile(r"\b(mkr|msek|mnkr|miljon|miljoner|million|millions)\b", re.IGNORECASE)
_THOUSANDS = re.compile(r"\b(tkr|tsek|tusen|thousand)\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True, slots=True)
class Answer:
    """A supplier's answer to one included requirement.

    Attributes:
        requirement_id: The requirement's id.
        level: The requirement's level in this procurement (after escalation).
        fulfilled: ``yes``, ``no``, ``unanswered`` (empty, the prompt, or text that is neither
            yes nor no) or ``unlocated`` (the field is not in the document).
        fulfilled_text: What the field shows, as the supplier left it.
        description: How the requirement is met ("" when empty or not found).
        reference: Where in the attachments the evidence is.
    """

    requirement_id: str
    level: Level
    fulfilled: Fulfilled
    fulfilled_text: str = ""
    description: str = ""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class SupplierResponse:
    """One filled-in response form, read back.

    Attributes:
        file: The form's path, as given.
        name: The supplier's name (``supplier.name``, or the file name when that is empty).
        name_from_file: True when ``name`` is the file name.
        org_number: The organisation number as written ("" when empty).
        contact: The contact person.
        contact_details: Email and telephone.
        price: The tender price read from ``supplier.price``, or None.
        price_text: The price field as written.
        answers: One answer per included requirement, in selection order.
        notes: Warnings about the form (name taken from the file, unclear answers, ...).
    """

    file: Path
    name: str
    name_from_file: bool
    org_number: str
    contact: str
    contact_details: str
    price: float | None
    price_text: str
    answers: tuple[Answer, ...]
    notes: tuple[Problem, ...] = ()


# ---------------------------------------------------------------------------------------------
# Reading one form


def read_response(
    path: Path, data: bytes, selection: Selection, expected_form_id: str
) -> SupplierResponse:
    """Read one filled-in response form.

    Args:
        path: The file, named in every message.
        data: Its bytes.
        selection: The selection the form should have been made for.
        expected_form_id: ``form.form_id(selection)``; a form with another id is refused.

    Raises:
        ProblemsError: The file is not a readable .docx, not a response form, or made for
            another procurement or another library version.
    """
    from upphandla.evaluation.form_reader import (
        NotADocxError,
        read_answer_fields,
        read_custom_properties,
    )

    try:
        properties = read_custom_properties(data)
        fields = read_answer_fields(data)
    except NotADocxError as error:
        raise ProblemsError([_unreadable(path, data, str(error))]) from None
    notes: list[Problem] = []
    _check_form(path, properties, selection, expected_form_id, bool(fields), notes)
    expected = {supplier_tag(SupplierField.NAME), supplier_tag(SupplierField.PRICE)} | {
        field_tag(item.requirement.id, field)
        for item in selection.included
        for field in RequirementField
    }
    if not fields or not expected & set(fields):
        raise ProblemsError([_not_a_form(path)])

    def text(field: SupplierField) -> str:
        value = fields.get(supplier_tag(field))
        return value.text.strip() if value is not None and value.kind != "checkbox" else ""

    answers = []
    for item in form.form_order(selection):
        answers.append(_answer(path, item, fields, notes))
        for field in (RequirementField.DESCRIPTION, RequirementField.REFERENCE):
            tag = field_tag(item.requirement.id, field)
            if tag in fields and fields[tag].occurrences > 1:
                notes.append(_copied_field(path, tag))
            elif tag not in fields and answers[-1].fulfilled != "unlocated":
                notes.append(
                    _warning(
                        path,
                        messages.field_not_found(tag),
                        messages.read_the_answer_in_the_form(),
                    )
                )
    name = " ".join(text(SupplierField.NAME).split())
    name_from_file = not name
    if name_from_file:
        name = path.stem
        notes.append(_warning(path, messages.name_taken_from_file(name)))
    price_text = text(SupplierField.PRICE)
    price = parse_amount(price_text) if price_text else None
    if price_text and price is None:
        notes.append(
            _warning(path, messages.price_not_an_amount(price_text), messages.give_the_price(name))
        )
    return SupplierResponse(
        file=path,
        name=name,
        name_from_file=name_from_file,
        org_number=" ".join(text(SupplierField.ORG_NUMBER).split()),
        contact=text(SupplierField.CONTACT),
        contact_details=text(SupplierField.CONTACT_DETAILS),
        price=price,
        price_text=price_text,
        answers=tuple(answers),
        notes=tuple(notes),
    )


def read_responses(
    files: Sequence[tuple[Path, bytes]], selection: Selection, expected_form_id: str
) -> list[SupplierResponse]:
    """Read every form; raise one ``ProblemsError`` with the problems of all of them."""
    responses: list[SupplierResponse] = []
    problems: list[Problem] = []
    for path, data in files:
        try:
            responses.append(read_response(path, data, selection, expected_form_id))
        except ProblemsError as error:
            problems.extend(error.problems)
    if problems:
        raise ProblemsError(problems)
    return responses


def _answer(
    path: Path, item: Included, fields: Mapping[str, FieldValue], notes: list[Problem]
) -> Answer:
    requirement_id = item.requirement.id
    fulfilled_tag = field_tag(requirement_id, RequirementField.FULFILLED)
    field = fields.get(fulfilled_tag)

    def text(name: RequirementField) -> str:
        value = fields.get(field_tag(requirement_id, name))
        return value.text.strip() if value is not None else ""

    if field is None:
        return Answer(requirement_id, item.level, "unlocated")
    if field.occurrences > 1:
        notes.append(_copied_field(path, fulfilled_tag))
    shown = field.text.strip()
    fulfilled: Fulfilled
    if field.kind == "checkbox":
        fulfilled = "yes" if field.checked else "no"
        shown = "\u2612" if field.checked else "\u2610"
    else:
        fulfilled = interpret_fulfilled(shown, field.value)
        if fulfilled == "unanswered" and shown:
            notes.append(
                _warning(
                    path,
                    messages.neither_yes_nor_no(shown, requirement_id),
                    messages.judge_the_answer_by_hand(),
                )
            )
    return Answer(
        requirement_id,
        item.level,
        fulfilled,
        shown,
        text(RequirementField.DESCRIPTION),
        text(RequirementField.REFERENCE),
    )


def interpret_fulfilled(text: str, value: str = "") -> Fulfilled:
    """``yes``, ``no`` or ``unanswered`` for the text of a Ja/Nej field.

    Ja, Yes, Nej and No count in any case, with or without trailing punctuation or words
    ("Ja, se bilaga 2"); so does an X or a ticked box for yes.
    """
    for candidate in (value, text):
        word = candidate.strip().strip(".!:;").strip().casefold()
        if word in _YES:
            return "yes"
        if word in _NO:
            return "no"
    match = _LEADING_WORD.match(text)
    if match:
        return "yes" if match.group(1).casefold() in _YES else "no"
    return "unanswered"


def parse_amount(text: str) -> float | None:
    """An amount in kronor from text such as ``1 250 000 kr``, ``1 250 000,50`` or ``1250000 SEK``.

    Spaces, no-break spaces and apostrophes group thousands. A comma or a point followed by
    one or two digits at the end is the decimal sign; otherwise it groups thousands. ``mkr``
    and ``miljoner`` multiply by a million, ``tkr`` and ``tusen`` by a thousand. None when the
    text has no number.
    """
    match = _AMOUNT.search(text)
    if match is None:
        return None
    digits = re.sub(r"[\s\u00a0\u202f\u2009']", "", match.group()).rstrip(".,")
    separators = [char for char in digits if char in ".,"]
    whole, fraction = digits, ""
    if separators:
        last = max(digits.rfind("."), digits.rfind(","))
        tail = digits[last + 1 :]
        mixed = len(set(separators)) > 1
        single = len(separators) == 1
        if mixed or (single and len(tail) != 3) or (single and _MILLIONS.search(text)):
            whole, fraction = digits[:last], tail
        whole = re.sub(r"[.,]", "", whole)
    try:
        amount = float(f"{whole}.{fraction}" if fraction else whole)
    except ValueError:
        return None
    if _MILLIONS.search(text):
        amount *= 1_000_000
    elif _THOUSANDS.search(text):
        amount *= 1_000
    return round(amount, 2)


def parse_price_option(text: str) -> tuple[str, float]:
    """``NAME=AMOUNT`` from ``--price``; raise ``ValueError`` when it is not that."""
    name, separator, amount_text = text.rpartition("=")
    amount = parse_amount(amount_text)
    if not separator or not name.strip() or amount is None:
        raise ValueError(text)
    return name.strip(), amount


def parse_price_options(options: Sequence[str], language: Language = "sv") -> dict[str, float]:
    """Every ``NAME=AMOUNT`` of ``--price`` as a mapping, the last of a name winning; raise
    ``RequestError`` (field ``prices``) at the first that is not ``NAME=AMOUNT``."""
    from upphandla.documents.package import RequestError

    prices: dict[str, float] = {}
    for option in options:
        try:
            name, amount = parse_price_option(option)
        except ValueError:
            raise RequestError(_price_malformed(option).in_language(language), "prices") from None
        prices[name] = amount
    return prices


def _price_malformed(option: str) -> Text:
    """A ``--price`` that is not ``SUPPLIER=AMOUNT``."""
    return Text(
        f"'{option}': skriv LEVERANTÖR=BELOPP, till exempel 'Alfa AB=1250000'",
        f"'{option}': write SUPPLIER=AMOUNT, for example 'Alfa AB=1250000'",
    )


# ---------------------------------------------------------------------------------------------
# Checking that a form belongs to this procurement


def _check_form(
    path: Path,
    properties: Mapping[str, str],
    selection: Selection,
    expected_form_id: str,
    has_fields: bool,
    notes: list[Problem],
) -> None:
    document = properties.get(form.DOCUMENT_PROPERTY, "")
    if document and document != form.RESPONSE_FORM:
        raise ProblemsError(
            [
                Problem(
                    messages.other_document(document),
                    Location(path),
                    hint=messages.give_the_filled_in_forms(),
                )
            ]
        )
    found = properties.get(form.FORM_ID_PROPERTY, "")
    if not found:
        if has_fields:
            notes.append(_warning(path, messages.no_form_id(), messages.compare_the_form_id()))
        return
    if found == expected_form_id:
        return
    raise ProblemsError([_other_procurement(path, properties, selection, found, expected_form_id)])


def _other_procurement(
    path: Path, properties: Mapping[str, str], selection: Selection, found: str, expected: str
) -> Problem:
    library = selection.library
    title = str(selection.answers.get(known.PROCUREMENT_TITLE, ""))
    reasons: list[Text] = []
    form_title = properties.get(form.PROCUREMENT_PROPERTY)
    if form_title is not None and form_title != title:
        reasons.append(messages.other_procurement_title(form_title, title))
    form_library = properties.get(form.LIBRARY_ID_PROPERTY, library.id)
    form_version = properties.get(form.LIBRARY_VERSION_PROPERTY, library.version)
    form_sha = properties.get(form.LIBRARY_SHA256_PROPERTY, library.sha256)
    if form_library != library.id:
        reasons.append(messages.other_library(form_library, library.id))
    elif form_version != library.version:
        reasons.append(messages.other_library_version(form_version, library.version))
    elif form_sha != library.sha256:
        reasons.append(messages.library_changed(library.version))
    message = (
        messages.made_for_another_procurement(reasons, found, expected)
        if reasons
        else messages.made_from_other_answers(found, expected)
    )
    return Problem(message, Location(path), hint=messages.evaluate_with_the_same_answers())


# ---------------------------------------------------------------------------------------------
# Problems with a form


def _unreadable(path: Path, data: bytes, detail: str) -> Problem:
    if data[:8] == _OLE_SIGNATURE:
        message, hint = (
            messages.encrypted_or_old_word_file(),
            messages.ask_for_docx_without_password(),
        )
    elif data[:4] == b"%PDF":
        message, hint = messages.pdf_not_word_file(), messages.ask_for_docx()
    elif data[:2] == b"PK" or zipfile.is_zipfile(io.BytesIO(data)):
        message, hint = messages.damaged_word_file(detail), messages.ask_to_send_again()
    else:
        message, hint = messages.not_a_word_file(), messages.give_the_filled_in_forms()
    return Problem(message, Location(path), hint=hint)


def _not_a_form(path: Path) -> Problem:
    return Problem(
        messages.no_answer_fields(), Location(path), hint=messages.give_the_filled_in_forms()
    )


def _copied_field(path: Path, tag: str) -> Problem:
    return _warning(
        path, messages.field_occurs_more_than_once(tag), messages.check_the_answer_by_hand()
    )


def _warning(path: Path, message: Text, hint: Text | None = None) -> Problem:
    return Problem(message, Location(path), Severity.WARNING, hint)
