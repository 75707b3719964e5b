"""``upphandla evaluate``: read the suppliers' response forms back and compare the tenders.

Every filled-in response form (``svarsbilaga.docx``) is read with the docx reader, checked
against the procurement it should belong to (its ``upphandla.form_id``), and turned into one
``SupplierResponse``. ``evaluate`` then decides, for each supplier, whether every SKA
requirement is met, which BÖR requirements are promised, and the comparison figure of the chosen
evaluation model, and ranks the qualified suppliers: lowest comparison figure first.

The models, as the kravbilaga states them before any tender exists:

- ``price_deduction_sek``: the tender price minus the deductions of the BÖR criteria met.
- ``price_deduction_percent``: the tender price reduced by the sum of the percentages met.
- ``points``: price × (1 − Q/100 × P/Pmax), where P is the points of the BÖR criteria met,
  Pmax the points of every BÖR criterion in the selection and Q the quality weight (the answer
  ``quality_weight``, 30 when missing); with Pmax 0 the figure is the price.
- ``pass_fail``: the tender price.

Ties on the comparison figure (compared to the öre) go to the tender whose met BÖR criteria are
worth more (points, or total deduction); tenders equal on that too share the rank, and the order
between them is decided by drawing lots.

A field that cannot be found is never counted as a yes or a no: it is *unlocated*, and a person
has to look in the document. Everything here is pure: bytes in, data out.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from upphandla import __version__
from upphandla.documents.tender import FIELD_PROMPTS
from upphandla.errors import Location, Problem, ProblemsError, Severity
from upphandla.library.model import Level
from upphandla.selection.select import Included, Selection
from upphandla.text import Language, Text

if TYPE_CHECKING:
    from upphandla.evaluation.form_reader import FieldValue

EVALUATION_FORMAT_VERSION = 1

POINTS = "points"
DEDUCTION_SEK = "price_deduction_sek"
DEDUCTION_PERCENT = "price_deduction_percent"
PASS_FAIL = "pass_fail"  # noqa: S105 (an evaluation model, not a password)
MODELS = (PASS_FAIL, DEDUCTION_SEK, DEDUCTION_PERCENT, POINTS)
"""The models whose comparison figure is the price after deductions (``points`` weighs instead)."""
DEFAULT_QUALITY_WEIGHT = 30.0
QUALITY_WEIGHT_RANGE = (1.0, 50.0)

Fulfilled = Literal["yes", "no", "unanswered", "unlocated"]

# The prompts the bundled templates show in empty fields. Word marks an empty field with a
# placeholder flag, but LibreOffice drops the flag on saving, so the prompt text itself must
# also read as "not answered".
PLACEHOLDERS: frozenset[str] = frozenset(
    text for prompts in FIELD_PROMPTS.values() for text in prompts.values()
)

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_YES = frozenset({"ja", "yes", "x", "\u2612", "\u2611", "\u2713", "\u2714"})
_NO = frozenset({"nej", "no"})
_LEADING_WORD = re.compile(r"^\s*(ja|yes|nej|no)\b", re.IGNORECASE)
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


@dataclass(frozen=True, slots=True)
class SupplierResult:
    """The outcome for one supplier.

    Attributes:
        response: The form the outcome comes from.
        qualified: Every SKA requirement answered yes.
        failed_ska: SKA requirements answered no.
        unanswered: SKA and BÖR requirements left unanswered.
        unlocated: Requirements whose answer field was not found (check by hand).
        promised: BÖR requirements answered yes.
        score: The sum of points of the BÖR criteria met, P (points model), else None.
        deductions: The sum of price deductions, in SEK or per cent (deduction models), else None.
        price: The price used: from ``--price`` when given, else from the form.
        price_from_option: True when the price came from ``--price``.
        comparison_figure: The figure the tenders are ranked by, lowest first: the price after
            deductions, or after the quality weighting (qualified suppliers only).
        rank: 1 for the best qualified supplier; None for the disqualified. Equal comparison
            figures are ranked by the value of the BÖR criteria met; only tenders equal on that
            too share a rank.
        lots: True when the tender shares its rank with another: lots must be drawn.
    """

    response: SupplierResponse
    qualified: bool
    failed_ska: tuple[str, ...]
    unanswered: tuple[str, ...]
    unlocated: tuple[str, ...]
    promised: tuple[str, ...]
    score: float | None
    deductions: float | None
    price: float | None
    price_from_option: bool
    comparison_figure: float | None
    rank: int | None
    lots: bool = False

    @property
    def name(self) -> str:
        """The supplier's name."""
        return self.response.name

    @property
    def bor_value(self) -> float:
        """The value of the BÖR criteria met (points or deductions): the first tie-break."""
        return self.score if self.score is not None else (self.deductions or 0.0)


@dataclass(frozen=True, slots=True)
class Weighting:
    """The figures of the points model, the same for every tender.

    Attributes:
        quality_weight: Q, the weight of quality against price, in per cent (1–50).
        max_points: Pmax, the points of every BÖR criterion in the selection.
    """

    quality_weight: float
    max_points: float


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The evaluation of every tender against one selection.

    Attributes:
        selection: The requirements the forms were made for.
        model: The evaluation model (``points``, ``price_deduction_sek``, ...).
        suppliers: Qualified suppliers by rank, then the others in the order given.
        notes: Every warning about the forms.
        weighting: Quality weight and maximum points (points model), else None.
    """

    selection: Selection
    model: str
    suppliers: tuple[SupplierResult, ...]
    notes: tuple[Problem, ...] = ()
    weighting: Weighting | None = None

    @property
    def winners(self) -> tuple[SupplierResult, ...]:
        """The suppliers ranked first (more than one when lots must be drawn)."""
        return tuple(result for result in self.suppliers if result.rank == 1)

    @property
    def ties(self) -> tuple[tuple[SupplierResult, ...], ...]:
        """Qualified tenders with the same comparison figure, by rank: the tie-break applied."""
        return _groups(self.suppliers, lambda result: _money(result.comparison_figure))

    @property
    def lots(self) -> tuple[tuple[SupplierResult, ...], ...]:
        """Qualified tenders that share a rank, by rank: lots must be drawn between them."""
        return _groups(self.suppliers, lambda result: result.rank)


def _groups(
    results: Sequence[SupplierResult], key: Callable[[SupplierResult], object]
) -> tuple[tuple[SupplierResult, ...], ...]:
    """The qualified results that share ``key`` with another, grouped, in the order given."""
    qualified = [result for result in results if result.qualified]
    keys = [key(result) for result in qualified]
    groups: dict[object, list[SupplierResult]] = {}
    for result, value in zip(qualified, keys, strict=True):
        if keys.count(value) > 1:
            groups.setdefault(value, []).append(result)
    return tuple(tuple(group) for group in groups.values())


def _money(value: float | None) -> float | None:
    """An amount to the öre, so that float noise never decides a rank."""
    return None if value is None else round(value, 2)


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
        expected_form_id: ``form_id(selection)``; a form with another id is refused.

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
        fields = read_answer_fields(data, placeholders=PLACEHOLDERS)
    except NotADocxError as error:
        raise ProblemsError([_unreadable(path, data, str(error))]) from None
    notes: list[Problem] = []
    _check_form(path, properties, selection, expected_form_id, bool(fields), notes)
    expected = {"supplier.name", "supplier.price"} | {
        f"{item.requirement.id}.{suffix}"
        for item in selection.included
        for suffix in ("fulfilled", "description", "reference")
    }
    if not fields or not expected & set(fields):
        raise ProblemsError([_not_a_form(path)])

    def text(tag: str) -> str:
        value = fields.get(tag)
        return value.text.strip() if value is not None and value.kind != "checkbox" else ""

    answers = []
    for item in form_order(selection):
        answers.append(_answer(path, item, fields, notes))
        for suffix in ("description", "reference"):
            tag = f"{item.requirement.id}.{suffix}"
            if tag in fields and fields[tag].occurrences > 1:
                notes.append(_copied_field(path, tag))
            elif tag not in fields and answers[-1].fulfilled != "unlocated":
                notes.append(
                    _warning(
                        path,
                        Text(
                            f"Fältet {tag} hittades inte i svarsbilagan.",
                            f"The field {tag} was not found in the form.",
                        ),
                        Text("Läs svaret i svarsbilagan.", "Read the answer in the form."),
                    )
                )
    name = " ".join(text("supplier.name").split())
    name_from_file = not name
    if name_from_file:
        name = path.stem
        notes.append(
            _warning(
                path,
                Text(
                    f"Leverantörens namn saknas i svarsbilagan. Filnamnet '{name}' används i stället.",
                    f"The supplier's name is missing from the form. The file name '{name}' is used instead.",
                ),
            )
        )
    price_text = text("supplier.price")
    price = parse_amount(price_text) if price_text else None
    if price_text and price is None:
        notes.append(
            _warning(
                path,
                Text(
                    f"Priset '{price_text}' går inte att läsa som ett belopp.",
                    f"The price '{price_text}' cannot be read as an amount.",
                ),
                Text(
                    f"Ange priset med --price '{name}=BELOPP'.",
                    f"Give the price with --price '{name}=AMOUNT'.",
                ),
            )
        )
    return SupplierResponse(
        file=path,
        name=name,
        name_from_file=name_from_file,
        org_number=" ".join(text("supplier.org_number").split()),
        contact=text("supplier.contact"),
        contact_details=text("supplier.contact_details"),
        price=price,
        price_text=price_text,
        answers=tuple(answers),
        notes=tuple(notes),
    )


def form_order(selection: Selection) -> list[Included]:
    """The included requirements in the order of the documents: by area, then library order."""
    areas = {area.id: index for index, area in enumerate(selection.library.areas)}
    return sorted(selection.included, key=lambda item: areas.get(item.requirement.area, len(areas)))


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
    field = fields.get(f"{requirement_id}.fulfilled")

    def text(suffix: str) -> str:
        value = fields.get(f"{requirement_id}.{suffix}")
        return value.text.strip() if value is not None else ""

    if field is None:
        return Answer(requirement_id, item.level, "unlocated")
    if field.occurrences > 1:
        notes.append(_copied_field(path, f"{requirement_id}.fulfilled"))
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
                    Text(
                        f"Svaret '{shown}' på {requirement_id} är varken Ja eller Nej. Det räknas som obesvarat.",
                        f"The answer '{shown}' to {requirement_id} is neither Yes nor No. It counts as unanswered.",
                    ),
                    Text(
                        "Läs svaret och bedöm det för hand.",
                        "Read the answer and judge it by hand.",
                    ),
                )
            )
    return Answer(
        requirement_id, item.level, fulfilled, shown, text("description"), text("reference")
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


def _check_form(
    path: Path,
    properties: Mapping[str, str],
    selection: Selection,
    expected_form_id: str,
    has_fields: bool,
    notes: list[Problem],
) -> None:
    document = properties.get("upphandla.document", "")
    if document and document != "svarsbilaga":
        raise ProblemsError(
            [
                Problem(
                    Text(
                        f"Filen är inte en svarsbilaga utan dokumentet '{document}' från upphandla.",
                        f"The file is not a response form but the document '{document}' from upphandla.",
                    ),
                    Location(path),
                    hint=Text(
                        "Ange de svarsbilagor (svarsbilaga.docx) som leverantörerna har fyllt i.",
                        "Give the response forms (svarsbilaga.docx) that the suppliers filled in.",
                    ),
                )
            ]
        )
    found = properties.get("upphandla.form_id", "")
    if not found:
        if has_fields:
            notes.append(
                _warning(
                    path,
                    Text(
                        "Svarsbilagan saknar formulärets id, så det går inte att kontrollera att den hör till den här upphandlingen.",
                        "The form has no form id, so it cannot be checked that it belongs to this procurement.",
                    ),
                    Text(
                        "Jämför formulärets id på första sidan med det i er egen svarsbilaga.",
                        "Compare the form id on the first page with the one in your own response form.",
                    ),
                )
            )
        return
    if found == expected_form_id:
        return
    raise ProblemsError([_other_procurement(path, properties, selection, found, expected_form_id)])


def _other_procurement(
    path: Path, properties: Mapping[str, str], selection: Selection, found: str, expected: str
) -> Problem:
    library = selection.library
    title = str(selection.answers.get("procurement_title", ""))
    sv: list[str] = []
    en: list[str] = []
    form_title = properties.get("upphandla.procurement")
    if form_title is not None and form_title != title:
        sv.append(f"den gäller upphandlingen '{form_title}', inte '{title}'")
        en.append(f"it is for the procurement '{form_title}', not '{title}'")
    form_library = properties.get("upphandla.library_id", library.id)
    form_version = properties.get("upphandla.library_version", library.version)
    form_sha = properties.get("upphandla.library_sha256", library.sha256)
    if form_library != library.id:
        sv.append(f"den är gjord med kravbiblioteket '{form_library}', inte '{library.id}'")
        en.append(f"it was made with the library '{form_library}', not '{library.id}'")
    elif form_version != library.version:
        sv.append(
            f"den är gjord med version {form_version} av kravbiblioteket, inte version {library.version}"
        )
        en.append(
            f"it was made with version {form_version} of the library, not version {library.version}"
        )
    elif form_sha != library.sha256:
        sv.append(
            f"kravbiblioteket har ändrats sedan svarsbilagan gjordes (samma version {library.version}, annat innehåll)"
        )
        en.append(
            f"the library has changed since the form was made (same version {library.version}, other content)"
        )
    if sv:
        message = Text(
            "Svarsbilagan är gjord för en annan upphandling eller en annan version av kravbiblioteket: "
            f"{'; '.join(sv)} (formulärets id är {found}, väntat {expected}).",
            "The form was made for another procurement or another library version: "
            f"{'; '.join(en)} (form id {found}, expected {expected}).",
        )
    else:
        message = Text(
            "Svarsbilagan togs fram med andra svar i intervjun än dem i svarsfilen, så kraven i den "
            f"är inte desamma (formulärets id är {found}, väntat {expected}).",
            "The form was made from other interview answers than those in the answers file, so its "
            f"requirements are not the same (form id {found}, expected {expected}).",
        )
    return Problem(
        message,
        Location(path),
        hint=Text(
            "Utvärdera med samma svarsfil och samma kravbibliotek som när svarsbilagan togs fram.",
            "Evaluate with the same answers file and library as when the form was made.",
        ),
    )


def _unreadable(path: Path, data: bytes, detail: str) -> Problem:
    if data[:8] == _OLE_SIGNATURE:
        return Problem(
            Text(
                "Filen är lösenordsskyddad (krypterad) eller en gammal Word-fil (.doc) och går inte att läsa.",
                "The file is password-protected (encrypted) or an old Word file (.doc) and cannot be read.",
            ),
            Location(path),
            hint=Text(
                "Be leverantören om svarsbilagan som en .docx-fil utan lösenord.",
                "Ask the supplier for the form as a .docx file without a password.",
            ),
        )
    if data[:4] == b"%PDF":
        return Problem(
            Text(
                "Filen är en PDF, inte en Word-fil. Svaren i en PDF kan inte läsas in.",
                "The file is a PDF, not a Word file. The answers in a PDF cannot be read.",
            ),
            Location(path),
            hint=Text(
                "Be leverantören om svarsbilagan som .docx-fil.",
                "Ask the supplier for the form as a .docx file.",
            ),
        )
    if data[:2] == b"PK" or zipfile.is_zipfile(io.BytesIO(data)):
        return Problem(
            Text(
                f"Filen är skadad och går inte att öppna som Word-fil ({detail}).",
                f"The file is damaged and cannot be opened as a Word file ({detail}).",
            ),
            Location(path),
            hint=Text(
                "Be leverantören skicka svarsbilagan igen.",
                "Ask the supplier to send the form again.",
            ),
        )
    return Problem(
        Text("Filen är ingen Word-fil (.docx).", "The file is not a Word file (.docx)."),
        Location(path),
        hint=Text(
            "Ange de svarsbilagor (svarsbilaga.docx) som leverantörerna har fyllt i.",
            "Give the response forms (svarsbilaga.docx) that the suppliers filled in.",
        ),
    )


def _not_a_form(path: Path) -> Problem:
    return Problem(
        Text(
            "Filen är ingen svarsbilaga från upphandla: den har inga svarsfält.",
            "The file is not a response form from upphandla: it has no answer fields.",
        ),
        Location(path),
        hint=Text(
            "Ange de svarsbilagor (svarsbilaga.docx) som leverantörerna har fyllt i.",
            "Give the response forms (svarsbilaga.docx) that the suppliers filled in.",
        ),
    )


def _copied_field(path: Path, tag: str) -> Problem:
    return _warning(
        path,
        Text(
            f"Fältet {tag} finns flera gånger i svarsbilagan. Det första används.",
            f"The field {tag} occurs more than once in the form. The first one is used.",
        ),
        Text("Kontrollera svaret för hand.", "Check the answer by hand."),
    )


def _warning(path: Path, message: Text, hint: Text | None = None) -> Problem:
    return Problem(message, Location(path), Severity.WARNING, hint)


# ---------------------------------------------------------------------------------------------
# Evaluating


def evaluation_model(selection: Selection) -> str:
    """The evaluation model from the answers; ``pass_fail`` when the library asks for none."""
    return str(selection.context.get("evaluation_model") or PASS_FAIL)


def credit(item: Included, model: str) -> float:
    """What meeting BÖR requirement ``item`` is worth under ``model`` (0 for SKA or no value)."""
    evaluation = item.requirement.evaluation
    if item.level is not Level.BOR or evaluation is None:
        return 0.0
    value = {
        POINTS: evaluation.points,
        DEDUCTION_SEK: evaluation.deduction_sek,
        DEDUCTION_PERCENT: evaluation.deduction_percent,
    }.get(model)
    return float(value or 0.0)


def evaluate(
    selection: Selection, responses: list[SupplierResponse], prices: dict[str, float]
) -> Evaluation:
    """Qualify, score and rank the suppliers.

    Args:
        selection: The requirements of the procurement.
        responses: One response per supplier.
        prices: Prices from ``--price``, by supplier name or file name; they override the forms.

    Raises:
        ProblemsError: Two forms from the same supplier, a price missing for a qualified
            tender, a ``--price`` name that matches no supplier, an unknown evaluation model
            or a quality weight outside 1–50.
    """
    model = evaluation_model(selection)
    if model not in MODELS:
        raise ProblemsError([_unknown_model(model)])
    weighting = weighting_of(selection) if model == POINTS else None
    _reject_duplicates(responses)
    chosen_prices = _match_prices(responses, prices)
    problems: list[Problem] = []
    results: list[SupplierResult] = []
    for index, response in enumerate(responses):
        price = chosen_prices.get(index, response.price)
        result = _assess(selection, model, weighting, response, price, index in chosen_prices)
        if result.qualified and price is None:
            problems.append(_missing_price(response, model))
        results.append(result)
    if problems:
        raise ProblemsError(problems)
    ranked = _ranked(results)
    notes = tuple(note for response in responses for note in response.notes)
    return Evaluation(selection, model, ranked, notes, weighting)


def _unknown_model(model: str) -> Problem:
    return Problem(
        Text(
            f"Utvärderingsmodellen '{model}' kan inte utvärderas av upphandla. Modellerna som går är {', '.join(MODELS)}.",
            f"The evaluation model '{model}' cannot be evaluated by upphandla. The models it knows are {', '.join(MODELS)}.",
        ),
        Location(Path("svar")),
    )


def weighting_of(selection: Selection) -> Weighting:
    """The points model's quality weight (the answer ``quality_weight``, 30 when missing) and
    maximum points (the points of every BÖR criterion in the selection).

    Raises:
        ProblemsError: The quality weight is not a number from 1 to 50.
    """
    max_points = round(sum(credit(item, POINTS) for item in selection.included), 6)
    return Weighting(quality_weight(selection.context.get("quality_weight")), max_points)


def quality_weight(value: object) -> float:
    """The quality weight Q in per cent: ``value`` as a number from 1 to 50, 30 when missing.

    Raises:
        ProblemsError: ``value`` is not a number from 1 to 50.
    """
    if value is None or value == "":
        return DEFAULT_QUALITY_WEIGHT
    low, high = QUALITY_WEIGHT_RANGE
    weight = _as_number(value)
    if weight is not None and low <= weight <= high:
        return weight
    raise ProblemsError(
        [
            Problem(
                Text(
                    f"Kvalitetsvikten (quality_weight) är '{value}'. Den ska vara en procentsats från {low:g} till {high:g}.",
                    f"The quality weight (quality_weight) is '{value}'. It must be a percentage from {low:g} to {high:g}.",
                ),
                Location(Path("svar")),
                hint=Text(
                    "Ange till exempel --set quality_weight=30.",
                    "Give for example --set quality_weight=30.",
                ),
            )
        ]
    )


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def comparison_figure(
    model: str, price: float, value: float, weighting: Weighting | None = None
) -> float:
    """The comparison figure of a tender, to the öre; lowest wins.

    Args:
        model: The evaluation model.
        price: The tender price.
        value: The value of the BÖR criteria met: deductions in SEK or per cent, or points.
        weighting: Quality weight and maximum points (points model).
    """
    if model == DEDUCTION_SEK:
        figure = price - value
    elif model == DEDUCTION_PERCENT:
        figure = price * (1 - value / 100)
    elif model == POINTS and weighting is not None and weighting.max_points > 0:
        share = value / weighting.max_points
        figure = price * (1 - weighting.quality_weight / 100 * share)
    else:
        figure = price
    return round(figure, 2)


def _assess(
    selection: Selection,
    model: str,
    weighting: Weighting | None,
    response: SupplierResponse,
    price: float | None,
    price_from_option: bool,
) -> SupplierResult:
    by_id = {item.requirement.id: item for item in selection.included}
    failed = tuple(
        a.requirement_id for a in response.answers if a.level is Level.SKA and a.fulfilled == "no"
    )
    unanswered = tuple(a.requirement_id for a in response.answers if a.fulfilled == "unanswered")
    unlocated = tuple(a.requirement_id for a in response.answers if a.fulfilled == "unlocated")
    promised = tuple(
        a.requirement_id for a in response.answers if a.level is Level.BOR and a.fulfilled == "yes"
    )
    qualified = all(a.fulfilled == "yes" for a in response.answers if a.level is Level.SKA)
    total = round(float(sum(credit(by_id[i], model) for i in promised if i in by_id)), 6)
    figure = None
    if qualified and price is not None:
        figure = comparison_figure(model, price, total, weighting)
    return SupplierResult(
        response=response,
        qualified=qualified,
        failed_ska=failed,
        unanswered=unanswered,
        unlocated=unlocated,
        promised=promised,
        score=total if model == POINTS else None,
        deductions=total if model in (DEDUCTION_SEK, DEDUCTION_PERCENT) else None,
        price=price,
        price_from_option=price_from_option,
        comparison_figure=figure,
        rank=None,
    )


def _order(result: SupplierResult) -> tuple[float, float]:
    """Lowest comparison figure first; on equal figures, the greater BÖR value first."""
    figure = _money(result.comparison_figure)
    return (figure if figure is not None else float("inf"), -round(result.bor_value, 6))


def _ranked(results: list[SupplierResult]) -> tuple[SupplierResult, ...]:
    """Rank the qualified suppliers, qualified first by rank; tenders equal on the comparison
    figure and on the BÖR value share a rank and are marked for drawing lots."""
    from dataclasses import replace

    qualified = [result for result in results if result.qualified]
    keys = [_order(result) for result in qualified]
    ranked = [
        replace(
            result,
            rank=1 + sum(1 for other in keys if other < own),
            lots=keys.count(own) > 1,
        )
        for result, own in zip(qualified, keys, strict=True)
    ]
    ranked.sort(key=lambda result: result.rank or 0)
    return (*ranked, *(result for result in results if not result.qualified))


def _normal_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _org(response: SupplierResponse) -> str:
    return re.sub(r"\D", "", response.org_number)


def _same_supplier(first: SupplierResponse, second: SupplierResponse) -> bool:
    """The same organisation number, or the same name when either has no number."""
    if _org(first) and _org(second):
        return _org(first) == _org(second)
    return _normal_name(first.name) == _normal_name(second.name)


def _reject_duplicates(responses: Sequence[SupplierResponse]) -> None:
    problems: list[Problem] = []
    for index, response in enumerate(responses):
        earlier = next((e for e in responses[:index] if _same_supplier(e, response)), None)
        if earlier is None:
            continue
        who = (
            Text(
                f"organisationsnummer {response.org_number}",
                f"organisation number {response.org_number}",
            )
            if _org(earlier) and _org(response)
            else Text(f"namnet '{response.name}'", f"the name '{response.name}'")
        )
        problems.append(
            Problem(
                Text(
                    f"Två svarsbilagor från samma leverantör ({who.sv}): {earlier.file} och {response.file}.",
                    f"Two response forms from the same supplier ({who.en}): {earlier.file} and {response.file}.",
                ),
                Location(response.file),
                hint=Text(
                    "Ange bara en svarsbilaga per leverantör, den senaste.",
                    "Give only one form per supplier, the latest.",
                ),
            )
        )
    if problems:
        raise ProblemsError(problems)


def _match_prices(
    responses: Sequence[SupplierResponse], prices: Mapping[str, float]
) -> dict[int, float]:
    """The ``--price`` amounts by response index, matched on the supplier's name, else on the
    file's name; a name that matches no supplier, or several, is an error."""
    chosen: dict[int, float] = {}
    problems: list[Problem] = []
    names = ", ".join(response.name for response in responses)
    for given, amount in prices.items():
        wanted = _normal_name(given)
        matches = [i for i, r in enumerate(responses) if _normal_name(r.name) == wanted] or [
            i
            for i, r in enumerate(responses)
            if wanted
            in (_normal_name(r.file.name), _normal_name(r.file.stem), _normal_name(str(r.file)))
        ]
        if len(matches) == 1:
            chosen[matches[0]] = amount
            continue
        problems.append(
            Problem(
                Text(
                    f"Ingen leverantör heter '{given}'. Leverantörerna är: {names}."
                    if not matches
                    else f"Namnet '{given}' passar flera leverantörer ({', '.join(responses[i].name for i in matches)}).",
                    f"No supplier is called '{given}'. The suppliers are: {names}."
                    if not matches
                    else f"The name '{given}' fits several suppliers ({', '.join(responses[i].name for i in matches)}).",
                ),
                Location(Path("--price")),
                hint=Text(
                    "Skriv leverantörens namn som i svarsbilagan, eller filens sökväg.",
                    "Write the supplier's name as in the form, or the file's path.",
                ),
            )
        )
    if problems:
        raise ProblemsError(problems)
    return chosen


def _missing_price(response: SupplierResponse, model: str) -> Problem:
    written = (
        Text(
            f" (fältet innehåller '{response.price_text}')",
            f" (the field holds '{response.price_text}')",
        )
        if response.price_text
        else Text()
    )
    return Problem(
        Text(
            f"Anbudspriset saknas för {response.name}{written.sv}. Utvärderingsmodellen ({model}) behöver priset för att räkna fram jämförelsetalet.",
            f"The tender price is missing for {response.name}{written.en}. The evaluation model ({model}) needs the price to compute the comparison figure.",
        ),
        Location(response.file),
        hint=Text(
            f"Ange priset med --price '{response.name}=BELOPP', till exempel --price '{response.name}=1250000'.",
            f"Give the price with --price '{response.name}=AMOUNT', for example --price '{response.name}=1250000'.",
        ),
    )


# ---------------------------------------------------------------------------------------------
# Output: JSON, template context, terminal table


def evaluation_to_data(evaluation: Evaluation, language: Language) -> dict[str, Any]:
    """The evaluation as plain data (``utvardering.json``); ``follow-up --evaluation`` reads
    ``suppliers[].rank`` and ``suppliers[].promised``."""
    from upphandla.documents.context import form_id

    selection = evaluation.selection
    library = selection.library
    files = file_labels(evaluation)
    titles = {
        item.requirement.id: item.wording.title.in_language(language) for item in selection.included
    }
    return {
        "format_version": EVALUATION_FORMAT_VERSION,
        "tool": {"name": "upphandla", "version": __version__},
        "language": language,
        "library": {"id": library.id, "version": library.version, "sha256": library.sha256},
        "procurement": {
            "organisation": str(selection.answers.get("organisation", "")),
            "title": str(selection.answers.get("procurement_title", "")),
            "reference_number": str(selection.answers.get("reference_number", "") or ""),
        },
        "form_id": form_id(selection),
        "evaluation_model": evaluation.model,
        "deduction_unit": _unit(evaluation.model),
        **_weighting_data(evaluation.weighting),
        "tie_break": {
            "rule": tie_break_rule(evaluation.model).in_language(language),
            "ties": [
                {
                    "comparison_figure": group[0].comparison_figure,
                    "suppliers": [result.name for result in group],
                }
                for group in evaluation.ties
            ],
        },
        "lots_needed": [
            {
                "rank": group[0].rank,
                "suppliers": [result.name for result in group],
                "message": lots_message(evaluation.model, group).in_language(language),
            }
            for group in evaluation.lots
        ],
        "suppliers": [
            {
                "name": result.name,
                "file": files[result.response.file],
                "name_from_file": result.response.name_from_file,
                "org_number": result.response.org_number,
                "qualified": result.qualified,
                "failed_ska": list(result.failed_ska),
                "unanswered": list(result.unanswered),
                "unlocated": list(result.unlocated),
                "promised": list(result.promised),
                "score": result.score,
                "deductions": result.deductions,
                "price": result.price,
                "price_text": result.response.price_text,
                "price_from_option": result.price_from_option,
                "comparison_figure": result.comparison_figure,
                "rank": result.rank,
                "lots": result.lots,
                **_points_data(evaluation, result),
                "answers": [
                    {
                        "id": answer.requirement_id,
                        "title": titles.get(answer.requirement_id, ""),
                        "level": answer.level.value,
                        "fulfilled": answer.fulfilled,
                        "fulfilled_text": answer.fulfilled_text,
                        "description": answer.description,
                        "reference": answer.reference,
                    }
                    for answer in result.response.answers
                ],
                "notes": [note.message.in_language(language) for note in result.response.notes],
            }
            for result in evaluation.suppliers
        ],
    }


def _weighting_data(weighting: Weighting | None) -> dict[str, float | None]:
    return {
        "quality_weight": weighting.quality_weight if weighting else None,
        "max_points": weighting.max_points if weighting else None,
    }


def _points_data(evaluation: Evaluation, result: SupplierResult) -> dict[str, float | None]:
    """``quality_points`` (P, the same as ``score``) and ``max_points`` (Pmax), points model."""
    weighting = evaluation.weighting
    return {
        "quality_points": result.score if weighting else None,
        "max_points": weighting.max_points if weighting else None,
    }


def tie_break_rule(model: str) -> Text:
    """The tie-break rule of ``model``, as the kravbilaga states it."""
    if model == PASS_FAIL:
        return Text(
            "Har två eller flera anbud samma pris avgörs ordningen mellan dem genom lottning.",
            "If two or more tenders have the same price, the order between them is decided by drawing lots.",
        )
    value = _VALUE_WORDS[model]
    return Text(
        f"Har två eller flera anbud samma jämförelsetal, avrundat till hela ören, går det anbud före som har {value.sv[0]}. "
        f"Är även {value.sv[1]} lika avgörs ordningen mellan anbuden genom lottning.",
        f"If two or more tenders have the same evaluation price, rounded to the öre, the tender with {value.en[0]} ranks first. "
        f"If {value.en[1]} are equal too, the order between the tenders is decided by drawing lots.",
    )


@dataclass(frozen=True, slots=True)
class _ValueWords:
    sv: tuple[str, str, str]
    en: tuple[str, str, str]


# What the met BÖR criteria are worth, per model: (the most, they, the same).
_VALUE_WORDS = {
    POINTS: _ValueWords(
        ("högst poäng", "poängen", "samma poäng"),
        ("the most points", "the points", "the same points"),
    ),
    DEDUCTION_SEK: _ValueWords(
        ("störst sammanlagt prisavdrag", "prisavdragen", "samma sammanlagda prisavdrag"),
        ("the largest total price deduction", "the deductions", "the same total deduction"),
    ),
    DEDUCTION_PERCENT: _ValueWords(
        ("störst sammanlagt prisavdrag", "prisavdragen", "samma sammanlagda prisavdrag"),
        ("the largest total price deduction", "the deductions", "the same total deduction"),
    ),
}


def lots_message(model: str, group: Sequence[SupplierResult]) -> Text:
    """What the report says about tenders that share a rank: lots must be drawn."""
    sv_names, en_names = (_joined([r.name for r in group], word) for word in ("och", "and"))
    amount = _amount(group[0].comparison_figure)
    words = _VALUE_WORDS.get(model)
    sv_same = f"jämförelsetal, {amount} kr, och {words.sv[2]}" if words else f"pris, {amount} kr"
    en_same = (
        f"evaluation price, SEK {amount}, and {words.en[2]}" if words else f"price, SEK {amount}"
    )
    return Text(
        f"Lottning krävs mellan {sv_names} (delad rang {group[0].rank}): anbuden har samma "
        f"{sv_same}. Ordningen mellan dem avgörs genom lottning.",
        f"Lots must be drawn between {en_names} (shared rank {group[0].rank}): the tenders have "
        f"the same {en_same}. The order between them is decided by drawing lots.",
    )


def tie_message(model: str, group: Sequence[SupplierResult]) -> Text:
    """What the report says about tenders with the same comparison figure, ranked by BÖR value."""
    sv_names, en_names = (_joined([r.name for r in group], word) for word in ("och", "and"))
    amount = _amount(group[0].comparison_figure)
    words = _VALUE_WORDS[model]
    return Text(
        f"Anbuden från {sv_names} har samma jämförelsetal, {amount} kr. Det anbud som har "
        f"{words.sv[0]} går före.",
        f"The tenders from {en_names} have the same evaluation price, SEK {amount}. The tender "
        f"with {words.en[0]} ranks first.",
    )


def ranking_notes(evaluation: Evaluation) -> tuple[Text, ...]:
    """How every tie was decided, by rank: by the BÖR value, or by drawing lots."""
    notes: list[Text] = []
    for group in evaluation.ties:
        if len({round(result.bor_value, 6) for result in group}) > 1:
            notes.append(tie_message(evaluation.model, group))
        notes.extend(
            lots_message(evaluation.model, lots) for lots in _groups(group, lambda r: r.rank)
        )
    return tuple(notes)


def _joined(names: Sequence[str], word: str) -> str:
    """``A``, ``A och B``, ``A, B och C``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def file_labels(evaluation: Evaluation) -> dict[Path, str]:
    """How each form is named in the report: its file name, or the path as given when two
    forms have the same file name (every supplier may send ``svarsbilaga.docx``)."""
    paths = [result.response.file for result in evaluation.suppliers]
    names = [path.name for path in paths]
    return {path: path.name if names.count(path.name) == 1 else str(path) for path in paths}


def evaluation_to_json(evaluation: Evaluation, language: Language) -> str:
    """``utvardering.json`` as text."""
    return json.dumps(evaluation_to_data(evaluation, language), ensure_ascii=False, indent=2) + "\n"


def _unit(model: str) -> str | None:
    return {DEDUCTION_SEK: "SEK", DEDUCTION_PERCENT: "percent", POINTS: "points"}.get(model)


_FULFILLED_LABELS: dict[str, Text] = {
    "yes": Text("Ja", "Yes"),
    "no": Text("Nej", "No"),
    "unanswered": Text("Inte besvarat", "Not answered"),
    "unlocated": Text("Fältet hittades inte", "Field not found"),
}


def fulfilled_label(fulfilled: str, language: Language) -> str:
    """``Ja``, ``Nej``, ``Inte besvarat`` or ``Fältet hittades inte`` (English likewise)."""
    return _FULFILLED_LABELS[fulfilled].in_language(language)


def _quoted(text: str) -> str:
    """Supplier text for a template: paragraphs kept apart, no answer-field markup."""
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(p for p in paragraphs if p).replace("[", "\\[")


def evaluation_context(evaluation: Evaluation, language: Language) -> dict[str, Any]:
    """The ``evaluation`` value for the ``utvardering`` template: plain dicts, lists and texts."""
    selection = evaluation.selection
    model = evaluation.model
    items = {item.requirement.id: item for item in selection.included}
    files = file_labels(evaluation)

    def requirement_ref(requirement_id: str) -> dict[str, Any]:
        item = items[requirement_id]
        return {
            "id": requirement_id,
            "title": item.wording.title.in_language(language),
            "level": item.level.label,
            "is_ska": item.level is Level.SKA,
        }

    suppliers = []
    for result in evaluation.suppliers:
        response = result.response
        bor = [
            {
                **requirement_ref(answer.requirement_id),
                "answer": fulfilled_label(answer.fulfilled, language),
                "fulfilled": answer.fulfilled,
                "value": credit(items[answer.requirement_id], model),
                "credited": credit(items[answer.requirement_id], model)
                if answer.fulfilled == "yes"
                else 0.0,
            }
            for answer in response.answers
            if answer.level is Level.BOR
        ]
        suppliers.append(
            {
                "name": _quoted(result.name),
                "file": _quoted(files[response.file]),
                "name_from_file": response.name_from_file,
                "org_number": _quoted(response.org_number),
                "contact": _quoted(response.contact),
                "contact_details": _quoted(response.contact_details),
                "qualified": result.qualified,
                "rank": result.rank,
                "score": result.score,
                "deductions": result.deductions,
                "price": result.price,
                "price_text": _quoted(response.price_text),
                "price_from_option": result.price_from_option,
                "comparison_figure": result.comparison_figure,
                "lots": result.lots,
                **_points_data(evaluation, result),
                "failed_ska": [requirement_ref(i) for i in result.failed_ska],
                "unanswered": [requirement_ref(i) for i in result.unanswered],
                "unanswered_ska": [
                    requirement_ref(i) for i in result.unanswered if items[i].level is Level.SKA
                ],
                "unlocated": [requirement_ref(i) for i in result.unlocated],
                "unlocated_ska": [
                    requirement_ref(i) for i in result.unlocated if items[i].level is Level.SKA
                ],
                "promised": [requirement_ref(i) for i in result.promised],
                "bor": bor,
                "answers": [
                    {
                        **requirement_ref(answer.requirement_id),
                        "fulfilled": answer.fulfilled,
                        "answer": fulfilled_label(answer.fulfilled, language),
                        "shown": _quoted(answer.fulfilled_text),
                        "description": _quoted(answer.description),
                        "reference": _quoted(answer.reference),
                    }
                    for answer in response.answers
                ],
                "notes": [_quoted(note.message.in_language(language)) for note in response.notes],
            }
        )
    return {
        "evaluation": {
            "model": model,
            "unit": _unit(model) or "",
            "suppliers": suppliers,
            "supplier_count": len(suppliers),
            "qualified_count": sum(1 for result in evaluation.suppliers if result.qualified),
            "winners": [_quoted(result.name) for result in evaluation.winners],
            **_weighting_data(evaluation.weighting),
            "tie_break_rule": tie_break_rule(model).in_language(language),
            "ranking_notes": [
                _quoted(note.in_language(language)) for note in ranking_notes(evaluation)
            ],
        }
    }


def _amount(value: float | None, decimals: bool = True) -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if value.is_integer() or not decimals else f"{value:,.2f}"
    return text.replace(",", " ").replace(".", ",")


def _number(value: float | None, language: Language) -> str:
    if value is None:
        return "–"
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return text.replace(".", ",") if language == "sv" else text


def format_comparison(evaluation: Evaluation, language: Language) -> str:
    """The comparison table for the terminal: plain text, columns aligned with spaces, then how
    every tie was decided (lots to draw included), then a line for each supplier that is not
    qualified or has answers to check."""
    columns = _columns(evaluation.model, language)
    table = [[header for header, _ in columns]]
    table += [[str(cell(result)) for _, cell in columns] for result in evaluation.suppliers]
    widths = [max(len(row[column]) for row in table) for column in range(len(columns))]
    lines = _heading(evaluation, language)
    for row in table:
        cells = [
            cell.ljust(widths[column]) if column in (1, 2) else cell.rjust(widths[column])
            for column, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    for block in (
        [note.in_language(language) for note in ranking_notes(evaluation)],
        _remarks(evaluation, language),
    ):
        if block:
            lines += ["", *block]
    return "\n".join(lines) + "\n"


def _say(language: Language, swedish: str, english: str) -> str:
    return swedish if language == "sv" else english


def _heading(evaluation: Evaluation, language: Language) -> list[str]:
    lines = [
        _say(language, "Utvärdering: ", "Evaluation: ")
        + str(evaluation.selection.answers.get("procurement_title", "")),
        _say(language, "Utvärderingsmodell: ", "Evaluation model: ")
        + _model_label(evaluation, language),
    ]
    weighting = evaluation.weighting
    if weighting is not None:
        weight = _number(weighting.quality_weight, language)
        most = _number(weighting.max_points, language)
        lines.append(
            _say(
                language,
                f"Kvalitetsvikt {weight} %, högsta möjliga poäng {most}: "
                f"jämförelsetal = pris × (1 − {weight}/100 × poäng/{most}).",
                f"Quality weight {weight} %, maximum points {most}: "
                f"evaluation price = price × (1 − {weight}/100 × points/{most}).",
            )
        )
    return [*lines, ""]


def _columns(model: str, language: Language) -> list[tuple[str, Callable[[SupplierResult], str]]]:
    def say(swedish: str, english: str) -> str:
        return _say(language, swedish, english)

    columns: list[tuple[str, Callable[[SupplierResult], str]]] = [
        (say("Rang", "Rank"), lambda r: str(r.rank) if r.rank is not None else "–"),
        (say("Leverantör", "Supplier"), lambda r: r.name),
        (
            say("Kvalificerad", "Qualified"),
            lambda r: say("ja", "yes") if r.qualified else say("nej", "no"),
        ),
    ]
    if model == POINTS:
        columns.append((say("Poäng", "Points"), lambda r: _number(r.score, language)))
    columns.append((say("Pris (kr)", "Price (SEK)"), lambda r: _amount(r.price)))
    if model == DEDUCTION_SEK:
        columns.append(
            (say("Prisavdrag (kr)", "Deductions (SEK)"), lambda r: _amount(r.deductions))
        )
    elif model == DEDUCTION_PERCENT:
        columns.append(
            (say("Prisavdrag (%)", "Deductions (%)"), lambda r: _number(r.deductions, language))
        )
    columns.append(
        (
            say("Jämförelsetal (kr)", "Evaluation price (SEK)"),
            lambda r: _amount(r.comparison_figure),
        )
    )
    return columns


def _remarks(evaluation: Evaluation, language: Language) -> list[str]:
    def say(swedish: str, english: str) -> str:
        return _say(language, swedish, english)

    remarks = []
    for result in evaluation.suppliers:
        ska = [i for i in result.unanswered if _is_ska(evaluation, i)]
        bor = [i for i in result.unanswered if i not in ska]
        reasons = [
            text + ", ".join(ids)
            for text, ids in (
                (say("ska-krav besvarade med Nej: ", "SKA answered No: "), result.failed_ska),
                (say("obesvarade ska-krav: ", "SKA not answered: "), ska),
                (say("obesvarade bör-krav: ", "BÖR not answered: "), bor),
                (
                    say(
                        "svar som inte hittades, kontrollera för hand: ",
                        "answers not found, check by hand: ",
                    ),
                    result.unlocated,
                ),
            )
            if ids
        ]
        if reasons:
            status = "" if result.qualified else say("inte kvalificerad; ", "not qualified; ")
            remarks.append(f"{result.name}: {status}{'; '.join(reasons)}.")
    return remarks


def _model_label(evaluation: Evaluation, language: Language) -> str:
    question = evaluation.selection.library.question("evaluation_model")
    choice = question.choice(evaluation.model) if question else None
    return choice.label.in_language(language) if choice else evaluation.model


def _is_ska(evaluation: Evaluation, requirement_id: str) -> bool:
    return any(
        item.requirement.id == requirement_id and item.level is Level.SKA
        for item in evaluation.selection.included
    )
