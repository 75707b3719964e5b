"""Reading the suppliers' response forms back: one ``SupplierResponse`` per filled-in form.

Every filled-in response form (``svarsbilaga.docx``) is read with the docx reader, every
response workbook (``kravspecifikation.xlsx``) with ``workbook_reader`` into the same fields, and
checked against the procurement it should belong to (its ``upphandla.form_id``). Every answer has one of
three outcomes, never two: ``yes`` and ``no`` only for a plain Ja or Nej (Yes or No in an
English form; case, spaces and a final full stop aside) that is seen as stored, with nothing
hidden, beside it, changed or commented; everything else is ``unclear``, with every reason
(``Doubt``) and the text exactly as found. A requirement table whose fixed text differs from
the one sent is a *reservation* (``Reservation``). A file that cannot be read is not an error
that stops the run: it is returned as a located problem, to be assessed by hand. Everything
here is pure: bytes in, data out.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from upphandla.documents import form
from upphandla.documents.form import RequirementField, SupplierField, field_tag, supplier_tag
from upphandla.errors import Location, Problem, ProblemsError, Severity
from upphandla.evaluation import messages
from upphandla.evaluation.characters import deceptive_characters, visible
from upphandla.evaluation.form_reader import Doubt, Segment
from upphandla.evaluation.prices import read_price
from upphandla.library import known
from upphandla.library.model import Level
from upphandla.records import record
from upphandla.selection.select import Included, Selection
from upphandla.text import Language, Text

if TYPE_CHECKING:
    from upphandla.evaluation.form_reader import FieldValue, FormContent, NotADocxError

Fulfilled = Literal["yes", "no", "unanswered", "unlocated"]
Outcome = Literal["yes", "no", "unclear"]
ReservationKind = Literal["changed", "added", "removed", "table_missing"]
ExpectedTexts = Callable[[Language], Mapping[str, tuple[str, ...]]]
"""The fixed text of every requirement table as sent, for the form's language."""

_MAX_COMPARED_PARAGRAPHS = 400


# ---------------------------------------------------------------------------------------------
# Data


@record
class Answer:
    """A supplier's answer to one included requirement.

    Attributes:
        requirement_id: The requirement's id.
        level: The requirement's level in this procurement (after escalation).
        fulfilled: ``yes``, ``no``, ``unanswered`` (empty, or not a plain yes or no, or in
            doubt) or ``unlocated`` (the field is not in the document): the 0.1 meaning, where
            only ``yes`` and ``no`` are counted.
        fulfilled_text: What the field shows.
        description: How the requirement is met ("" when empty or not found).
        reference: Where in the attachments the evidence is.
        outcome: ``yes``, ``no`` or ``unclear``.
        found: Everything stored in the Ja/Nej field, seen or not (``found_text``).
        doubts: Why the outcome is ``unclear`` (empty for ``yes`` and ``no``).
    """

    requirement_id: str
    level: Level
    fulfilled: Fulfilled
    fulfilled_text: str = ""
    description: str = ""
    reference: str = ""
    outcome: Outcome = "unclear"
    found: tuple[Segment, ...] = ()
    doubts: tuple[Doubt, ...] = ()


@record
class Reservation:
    """Fixed text in a requirement's table that differs from the text sent.

    Attributes:
        requirement_id: The requirement.
        level: Its level.
        kind: ``changed``, ``added``, ``removed`` or ``table_missing``.
        found_text: The text as found ("" for removed).
        expected_text: The text as sent ("" for added).
    """

    requirement_id: str
    level: Level
    kind: ReservationKind
    found_text: str = ""
    expected_text: str = ""


@record
class SupplierResponse:
    """One filled-in response form, read back.

    Attributes:
        file: The form's path, as given.
        name: The supplier's name (``supplier.name``, or the file name when that is empty), as
            written: show it with ``characters.visible``.
        name_from_file: True when ``name`` is the file name.
        org_number: The organisation number as written ("" when empty).
        contact: The contact person.
        contact_details: Email and telephone.
        price: The tender price read from ``supplier.price``, or None.
        price_text: The price field as written.
        answers: One answer per included requirement, in selection order.
        notes: Warnings about the form (name taken from the file, unclear answers, ...).
        price_doubts: Why the price in the form is not read (empty when it is, or is empty).
        reservations: Requirement texts changed, added or removed.
        language: The form's language (from its properties; None when it has none).
        lot: The lot (anbudsområde) the tender is for, one of ``form.lot_names``; None in a
            procurement without lots, or when the lot field is not plainly one of them.
        lot_doubts: Why ``lot`` is None in a procurement with lots.
        form_kind: ``docx`` for a Word form, ``xlsx`` for a response workbook.
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
    price_doubts: tuple[Doubt, ...] = ()
    reservations: tuple[Reservation, ...] = ()
    language: Language | None = None
    lot: str | None = None
    lot_doubts: tuple[Doubt, ...] = ()
    form_kind: Literal["docx", "xlsx"] = "docx"


# ---------------------------------------------------------------------------------------------
# Reading one form


def read_response(
    path: Path,
    data: bytes,
    selection: Selection,
    expected_form_id: str,
    expected_texts: ExpectedTexts | None = None,
    expected_cells: ExpectedTexts | None = None,
) -> SupplierResponse:
    """Read one filled-in response form.

    Args:
        path: The file, named in every message.
        data: Its bytes.
        selection: The selection the form should have been made for.
        expected_form_id: ``form.form_id(selection)``; a form with another id is refused.
        expected_texts: The requirement tables' fixed texts as sent, to find reservations
            (None: not compared).
        expected_cells: For a workbook: each requirement's locked cells as sent
            (``workbook_reader.TABLE_COLUMNS``; None: not compared).

    Raises:
        ProblemsError: The file is not a readable .docx, not a response form, or made for
            another procurement or another library version.
    """
    from upphandla.documents.xlsx_contract import WORKBOOK_NAME
    from upphandla.evaluation.form_reader import NotADocxError, read_form
    from upphandla.evaluation.workbook_reader import (
        is_opendocument_spreadsheet,
        is_workbook,
        read_workbook,
    )

    order = form.form_order(selection)
    expected = set(form.form_tags(selection))
    notes: list[Problem] = []
    workbook = is_workbook(data)
    read = None
    if not workbook and is_opendocument_spreadsheet(data):
        raise ProblemsError(
            [Problem(messages.ods_not_workbook(), Location(path), hint=messages.save_ods_as_xlsx())]
        )
    try:
        if workbook:
            read = read_workbook(data, expected=expected)
            content = read.content
            notes.extend(
                _warning(
                    path,
                    messages.text_outside_the_form(cell, visible(text)),
                    messages.check_the_answer_by_hand(),
                )
                for cell, text in read.outside
            )
            if read.unprotected:
                notes.append(
                    _warning(
                        path,
                        messages.protection_removed(", ".join(read.unprotected)),
                        messages.compare_with_the_workbook_sent(),
                    )
                )
        else:
            content = read_form(
                data, expected=expected, tables_for=[item.requirement.id for item in order]
            )
    except NotADocxError as error:
        raise ProblemsError([_unreadable(path, error, workbook)]) from None
    fields = content.fields
    _check_form(
        path,
        content.properties,
        selection,
        expected_form_id,
        bool(fields),
        notes,
        WORKBOOK_NAME if workbook else form.RESPONSE_FORM,
    )
    if not fields:
        raise ProblemsError([_not_a_form(path)])
    language_property = content.properties.get(form.LANGUAGE_PROPERTY)
    language: Language | None = (
        language_property if language_property in ("sv", "en") else None  # type: ignore[assignment]
    )

    def text(field: SupplierField) -> str:
        value = fields.get(supplier_tag(field))
        if value is None or value.kind == "checkbox":
            return ""
        notes.extend(_field_doubt(path, value.tag, doubt) for doubt in value.doubts)
        return value.text.strip()

    answers = []
    for item in order:
        answers.append(_answer(item, fields, language))
        for field in (RequirementField.DESCRIPTION, RequirementField.REFERENCE):
            tag = field_tag(item.requirement.id, field)
            value = fields.get(tag)
            if value is not None:
                notes.extend(_field_doubt(path, tag, doubt) for doubt in value.doubts)
                codes = deceptive_characters(value.text)
                if codes:
                    notes.append(
                        _warning(path, messages.field_has_invisible_characters(tag, codes))
                    )
            elif answers[-1].fulfilled != "unlocated":
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
        notes.append(_warning(path, messages.name_taken_from_file(visible(name))))
    codes = deceptive_characters(name)
    if codes:
        notes.append(_warning(path, messages.name_has_invisible_characters(visible(name), codes)))
    price_field = fields.get(supplier_tag(SupplierField.PRICE))
    price_text = text(SupplierField.PRICE)
    reading = read_price(price_text)
    price_doubts: list[Doubt] = []
    if price_field is not None:
        price_doubts.extend(price_field.doubts)
    elif price_text == "":
        price_doubts.append(Doubt("not_found"))
    if reading.reason is not None and reading.reason != "price_missing":
        price_doubts.append(Doubt(reading.reason, price_text))
    if deceptive_characters(price_text):
        price_doubts.append(
            Doubt("invisible_characters", ", ".join(deceptive_characters(price_text)))
        )
    price = reading.amount if not price_doubts else None
    if price_text and reading.amount is None:
        notes.append(
            _warning(
                path,
                messages.price_not_an_amount(visible(price_text)),
                messages.give_the_price(visible(name)),
            )
        )
    lot, lot_doubts = _lot(fields, form.lot_names(selection))
    reservations: list[Reservation] = []
    if read is not None and expected_cells is not None:
        sent, other_version = read.as_sent(expected_cells(language or "sv"))
        if other_version:
            notes.append(_warning(path, messages.other_templates()))
        reservations = _reservations(path, order, content, sent, notes)
    elif not workbook and expected_texts is not None:
        reservations = _reservations(path, order, content, expected_texts(language or "sv"), notes)
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
        price_doubts=tuple(price_doubts),
        reservations=tuple(reservations),
        language=language,
        lot=lot,
        lot_doubts=tuple(lot_doubts),
        form_kind="xlsx" if workbook else "docx",
    )


def _lot(fields: Mapping[str, FieldValue], lots: Sequence[str]) -> tuple[str | None, list[Doubt]]:
    """The lot a form is for: its lot field, when it shows exactly one of the lots (case and
    spaces aside) as stored; otherwise None and the doubts."""
    if not lots:
        return None, []
    field = fields.get(form.LOT_TAG)
    if field is None:
        return None, [Doubt("not_found")]
    doubts = list(field.doubts)
    shown = form.normal_paragraph(field.text)
    if not shown:
        doubts.insert(0, Doubt("not_answered"))
    match = next((lot for lot in lots if lot.casefold() == shown.casefold()), None)
    if shown and match is None:
        doubts.insert(0, Doubt("not_plain", shown))
    return (match, []) if match is not None and not doubts else (None, doubts)


def read_responses(
    files: Sequence[tuple[Path, bytes]],
    selection: Selection,
    expected_form_id: str,
    expected_texts: ExpectedTexts | None = None,
    expected_cells: ExpectedTexts | None = None,
) -> tuple[list[SupplierResponse], list[Problem]]:
    """Read every form: the responses, and one problem for each form that cannot be read
    (which the run goes on without, listing it to be assessed by hand)."""
    responses: list[SupplierResponse] = []
    problems: list[Problem] = []
    for path, data in files:
        try:
            responses.append(
                read_response(
                    path, data, selection, expected_form_id, expected_texts, expected_cells
                )
            )
        except ProblemsError as error:
            problems.extend(error.problems)
    return responses, problems


def _answer(item: Included, fields: Mapping[str, FieldValue], language: Language | None) -> Answer:
    requirement_id = item.requirement.id
    field = fields.get(field_tag(requirement_id, RequirementField.FULFILLED))

    def text(name: RequirementField) -> str:
        value = fields.get(field_tag(requirement_id, name))
        return value.text.strip() if value is not None else ""

    if field is None:
        return Answer(
            requirement_id,
            item.level,
            "unlocated",
            description=text(RequirementField.DESCRIPTION),
            reference=text(RequirementField.REFERENCE),
            outcome="unclear",
            doubts=(Doubt("not_found"),),
        )
    doubts = list(field.doubts)
    shown = field.text.strip()
    found = field.segments
    candidate: Outcome | None
    if field.kind == "checkbox":
        candidate = "yes" if field.checked else "no"
        shown = "\u2612" if field.checked else "\u2610"
        found = (Segment("text", shown),)
    else:
        candidate = plain_answer(shown, language)
        codes = deceptive_characters(shown)
        if not shown:
            doubts.insert(0, Doubt("not_answered"))
        elif codes:
            doubts.insert(0, Doubt("invisible_characters", ", ".join(codes)))
        elif candidate is None:
            doubts.insert(0, Doubt("not_plain", shown))
    outcome: Outcome = candidate if candidate is not None and not doubts else "unclear"
    fulfilled: Fulfilled = outcome if outcome != "unclear" else "unanswered"
    return Answer(
        requirement_id,
        item.level,
        fulfilled,
        shown,
        text(RequirementField.DESCRIPTION),
        text(RequirementField.REFERENCE),
        outcome,
        found,
        tuple(doubts),
    )


def plain_answer(text: str, language: Language | None = None) -> Literal["yes", "no"] | None:
    """``yes`` or ``no`` for a plain Ja or Nej (Yes or No in an English form; both when the
    form's language is unknown), case, surrounding spaces and one final full stop aside; None
    for anything else ("Ja, delvis", "Ja?", "X", "Ja/Nej")."""
    word = text.strip()
    if word.endswith("."):
        word = word[:-1].rstrip()
    word = word.casefold()
    languages: tuple[Language, ...] = (language,) if language else ("sv", "en")
    for lang in languages:
        yes, no = form.FULFILLED_CHOICES[lang]
        if word == yes.casefold():
            return "yes"
        if word == no.casefold():
            return "no"
    return None


def interpret_fulfilled(text: str, value: str = "") -> Fulfilled:
    """``yes``, ``no`` or ``unanswered`` for the text of a Ja/Nej field: only a plain answer
    (``plain_answer``) is yes or no; a stored value that differs from the text is unanswered."""
    answer = plain_answer(text)
    if answer is None or (value and value.strip() != text.strip()):
        return "unanswered"
    return answer


def found_text(segments: Sequence[Segment], language: Language) -> str:
    """Everything in a field as found, the parts not seen marked (``⟦dold text: …⟧``)."""
    parts = []
    for segment in segments:
        if segment.kind in ("hidden", "deleted"):
            parts.append(
                messages.found_text_marker(segment.kind, segment.text).in_language(language)
            )
        else:
            parts.append(segment.text)
    return "".join(parts).strip()


def parse_amount(text: str) -> float | None:
    """An amount in kronor (``prices.read_price``), or None when the text is not plainly one."""
    return read_price(text).amount


# ---------------------------------------------------------------------------------------------
# Reservations: fixed text changed in a requirement's table


def _reservations(
    path: Path,
    order: Sequence[Included],
    content: FormContent,
    expected: Mapping[str, tuple[str, ...]],
    notes: list[Problem],
) -> list[Reservation]:
    recorded = _recorded_digests(content.properties)
    same_templates = all(
        recorded.get(requirement_id) == form.text_digest(texts)
        for requirement_id, texts in expected.items()
        if requirement_id in recorded
    )
    if recorded and not same_templates:
        notes.append(_warning(path, messages.other_templates()))
    reservations: list[Reservation] = []
    for item in order:
        requirement_id = item.requirement.id
        sent = expected.get(requirement_id)
        if sent is None:
            continue
        found = content.tables.get(requirement_id)
        if found is None:
            if field_tag(requirement_id, RequirementField.FULFILLED) not in content.fields:
                reservations.append(Reservation(requirement_id, item.level, "table_missing"))
            continue
        digest = form.text_digest(found)
        if tuple(found) == tuple(sent):
            continue
        if not same_templates and recorded.get(requirement_id) == digest:
            continue
        reservations.extend(_differences(requirement_id, item.level, sent, found))
    return reservations


def _recorded_digests(properties: Mapping[str, str]) -> dict[str, str]:
    import json

    try:
        value = json.loads(properties.get(form.TEXT_DIGESTS_PROPERTY, "") or "{}")
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(key): str(digest) for key, digest in value.items()}


def _differences(
    requirement_id: str, level: Level, sent: Sequence[str], found: Sequence[str]
) -> list[Reservation]:
    if len(sent) > _MAX_COMPARED_PARAGRAPHS or len(found) > _MAX_COMPARED_PARAGRAPHS:
        return [
            Reservation(
                requirement_id, level, "changed", "\n".join(found)[:2000], "\n".join(sent)[:2000]
            )
        ]
    reservations = []
    matcher = difflib.SequenceMatcher(a=list(sent), b=list(found), autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        was = "\n".join(sent[a_start:a_end])
        now = "\n".join(found[b_start:b_end])
        if operation == "replace":
            reservations.append(Reservation(requirement_id, level, "changed", now, was))
        elif operation == "insert":
            reservations.append(Reservation(requirement_id, level, "added", now, ""))
        elif operation == "delete":
            reservations.append(Reservation(requirement_id, level, "removed", "", was))
    return reservations


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
    accepted: str = form.RESPONSE_FORM,
) -> None:
    document = properties.get(form.DOCUMENT_PROPERTY, "")
    if document and document != accepted:
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


def _unreadable(path: Path, error: NotADocxError, workbook: bool = False) -> Problem:
    """A file that cannot be read: what it is and what to do, in plain words."""
    kind = error.kind
    if workbook and kind != "too_large":
        message, hint = messages.damaged_workbook(), messages.open_and_save_again()
    elif kind == "encrypted":
        message, hint = messages.encrypted_word_file(), messages.ask_for_docx_without_password()
    elif kind == "doc":
        message, hint = messages.old_word_file(), messages.save_doc_as_docx()
    elif kind == "pdf":
        message, hint = messages.pdf_not_word_file(), messages.ask_for_docx()
    elif kind == "odt":
        message, hint = messages.odt_not_word_file(), messages.save_odt_as_docx()
    elif kind == "rtf":
        message, hint = messages.rtf_not_word_file(), messages.save_doc_as_docx()
    elif kind == "too_large":
        message, hint = messages.too_large_or_crafted(), messages.ask_to_send_again()
    elif kind in ("damaged", "no_document"):
        message, hint = messages.damaged_word_file_plain(), messages.open_and_save_again()
    else:
        message, hint = messages.not_a_word_file(), messages.give_the_filled_in_forms()
    return Problem(message, Location(path), hint=hint)


def _not_a_form(path: Path) -> Problem:
    return Problem(
        messages.no_answer_fields(), Location(path), hint=messages.give_the_filled_in_forms()
    )


def _field_doubt(path: Path, tag: str, doubt: Doubt) -> Problem:
    return _warning(
        path,
        messages.field_doubt(tag, messages.doubt_text(doubt.reason, visible(doubt.detail))),
        messages.check_the_answer_by_hand(),
    )


def _warning(path: Path, message: Text, hint: Text | None = None) -> Problem:
    return Problem(message, Location(path), Severity.WARNING, hint)
