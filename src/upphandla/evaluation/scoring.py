"""Scoring the tenders: qualify, score and rank the suppliers whose forms were read back.

``evaluate`` decides, for each supplier, whether every SKA requirement is met, which BÖR
requirements are promised, and the comparison figure of the chosen evaluation model (see
``upphandla.selection.award_model``, which the kravbilaga states before any tender exists), and
ranks the qualified suppliers: lowest comparison figure first.

Ties on the comparison figure (compared to the öre) go to the tender whose met BÖR criteria are
worth more (points, or total deduction); tenders equal on that too share the rank, and the order
between them is decided by drawing lots. Everything here is pure: data in, data out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from upphandla.errors import Location, Problem, ProblemsError
from upphandla.evaluation import messages
from upphandla.evaluation.responses import SupplierResponse
from upphandla.library.model import Level
from upphandla.records import record
from upphandla.selection.award_model import (
    DEDUCTION_PERCENT,
    DEDUCTION_SEK,
    MODELS,
    POINTS,
    VALUE_WORDS,
    Weighting,
    comparison_figure,
    credit,
    evaluation_model,
    weighting_of,
)
from upphandla.selection.select import Selection
from upphandla.text import Text

Status = Literal["qualified", "not_qualified", "to_review"]

# ---------------------------------------------------------------------------------------------
# Data


@record
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
        status: ``qualified`` (every SKA a plain yes, nothing to review), ``not_qualified``
            (some SKA answered with a plain no) or ``to_review`` (no plain no, but an unclear
            answer on a SKA, an unclear BÖR answer, a reservation or no clear price): a tender
            under review is never ranked and never listed as not qualified.
        unclear_ska: SKA requirements whose answer is unclear.
        unclear_bor: BÖR requirements whose answer is unclear for another reason than being
            left empty (an empty BÖR counts as not met, as the form says).
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
    status: Status = "qualified"
    unclear_ska: tuple[str, ...] = ()
    unclear_bor: tuple[str, ...] = ()

    @property
    def lot(self) -> str | None:
        """The lot (anbudsområde) the tender is for; None without lots."""
        return self.response.lot

    @property
    def price_unclear(self) -> bool:
        """True when no price could be used: none in the form or by ``--price``, or in doubt."""
        return self.price is None

    @property
    def name(self) -> str:
        """The supplier's name."""
        return self.response.name

    @property
    def bor_value(self) -> float:
        """The value of the BÖR criteria met (points or deductions): the first tie-break."""
        return self.score if self.score is not None else (self.deductions or 0.0)


@record
class Evaluation:
    """The evaluation of every tender against one selection.

    Attributes:
        selection: The requirements the forms were made for.
        model: The evaluation model (``points``, ``price_deduction_sek``, ...).
        suppliers: Qualified suppliers by rank, then the others in the order given.
        notes: Every warning about the forms.
        weighting: Quality weight and maximum points (points model), else None.
        unread: One problem for every form that could not be read: a tender to assess by hand.
    """

    selection: Selection
    model: str
    suppliers: tuple[SupplierResult, ...]
    notes: tuple[Problem, ...] = ()
    weighting: Weighting | None = None
    unread: tuple[Problem, ...] = ()

    @property
    def decided(self) -> bool:
        """True when every form was read and no tender is to be reviewed: exit status 0."""
        return not self.unread and all(r.status != "to_review" for r in self.suppliers)

    @property
    def winners(self) -> tuple[SupplierResult, ...]:
        """The suppliers ranked first (more than one when lots must be drawn)."""
        return tuple(result for result in self.suppliers if result.rank == 1)

    @property
    def ties(self) -> tuple[tuple[SupplierResult, ...], ...]:
        """Qualified tenders with the same comparison figure, by rank: the tie-break applied."""
        return _groups(
            self.suppliers, lambda result: (result.lot, _money(result.comparison_figure))
        )

    @property
    def lots(self) -> tuple[tuple[SupplierResult, ...], ...]:
        """Qualified tenders that share a rank, by rank: lots must be drawn between them."""
        return _groups(self.suppliers, lambda result: (result.lot, result.rank))


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
# Evaluating


def evaluate(
    selection: Selection, responses: list[SupplierResponse], prices: dict[str, float]
) -> Evaluation:
    """Qualify, score and rank the suppliers.

    Args:
        selection: The requirements of the procurement.
        responses: One response per supplier.
        prices: Prices from ``--price``, by supplier name or file name; they override the forms.

    A tender without a clear price (none in the form or by ``--price``, or one in doubt) is
    ``to_review``, never ranked.

    Raises:
        ProblemsError: Two forms from the same supplier, a ``--price`` name that matches no
            supplier, an unknown evaluation model or a quality weight outside 1–50.
    """
    model = evaluation_model(selection)
    if model not in MODELS:
        raise ProblemsError(
            [Problem(messages.unknown_model(model, MODELS), Location(Path("svar")))]
        )
    weighting = weighting_of(selection) if model == POINTS else None
    _reject_duplicates(responses)
    chosen_prices = _match_prices(responses, prices)
    results: list[SupplierResult] = []
    for index, response in enumerate(responses):
        price = chosen_prices.get(index, response.price)
        result = _assess(selection, model, weighting, response, price, index in chosen_prices)
        results.append(result)
    ranked = _ranked(results)
    notes = tuple(note for response in responses for note in response.notes)
    return Evaluation(selection, model, ranked, notes, weighting)


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
    unclear_ska = tuple(
        a.requirement_id
        for a in response.answers
        if a.level is Level.SKA and a.outcome == "unclear"
    )
    unclear_bor = tuple(
        a.requirement_id
        for a in response.answers
        if a.level is Level.BOR
        and a.outcome == "unclear"
        and any(doubt.reason != "not_answered" for doubt in a.doubts)
    )
    status: Status
    if failed:
        status = "not_qualified"
    elif (
        unclear_ska or unclear_bor or response.reservations or price is None or response.lot_doubts
    ):
        status = "to_review"
    else:
        status = "qualified"
    qualified = status == "qualified"
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
        status=status,
        unclear_ska=unclear_ska,
        unclear_bor=unclear_bor,
    )


def _order(result: SupplierResult) -> tuple[float, float]:
    """Lowest comparison figure first; on equal figures, the greater BÖR value first."""
    figure = _money(result.comparison_figure)
    return (figure if figure is not None else float("inf"), -round(result.bor_value, 6))


def _ranked(results: list[SupplierResult]) -> tuple[SupplierResult, ...]:
    """Rank the qualified tenders within each lot (anbudsområde), in the order the lots were
    first met; within a lot the qualified by rank, then the others in the order given."""
    order: list[str | None] = list(dict.fromkeys(result.lot for result in results))
    return tuple(
        ranked
        for lot in order
        for ranked in _ranked_in_lot([result for result in results if result.lot == lot])
    )


def _ranked_in_lot(results: list[SupplierResult]) -> tuple[SupplierResult, ...]:
    """Rank the qualified suppliers, qualified first by rank; tenders equal on the comparison
    figure and on the BÖR value share a rank and are marked for drawing lots."""
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
    """The same organisation number, or the same name when either has no number (within one
    lot: a supplier may send one form per lot)."""
    if first.lot != second.lot:
        return False
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
            messages.by_org_number(response.org_number)
            if _org(earlier) and _org(response)
            else messages.by_name(response.name)
        )
        problems.append(
            Problem(
                messages.same_supplier_twice(who, earlier.file, response.file),
                Location(response.file),
                hint=messages.one_form_per_supplier(),
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
    names = [response.name for response in responses]
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
                messages.no_such_supplier(given, names)
                if not matches
                else messages.name_fits_several(given, [responses[i].name for i in matches]),
                Location(Path("--price")),
                hint=messages.write_the_supplier_name(),
            )
        )
    if problems:
        raise ProblemsError(problems)
    return chosen


# ---------------------------------------------------------------------------------------------
# How ties were decided


def lots_message(model: str, group: Sequence[SupplierResult]) -> Text:
    """What the report says about tenders that share a rank: lots must be drawn."""
    return messages.lots_to_draw(
        [result.name for result in group],
        group[0].rank,
        group[0].comparison_figure,
        VALUE_WORDS.get(model),
    )


def tie_message(model: str, group: Sequence[SupplierResult]) -> Text:
    """What the report says about tenders with the same comparison figure, ranked by BÖR value."""
    return messages.tie_broken_by_value(
        [result.name for result in group], group[0].comparison_figure, VALUE_WORDS[model]
    )


def ranking_notes(evaluation: Evaluation) -> tuple[Text, ...]:
    """How every tie was decided, by rank: by the BÖR value, or by drawing lots."""
    notes: list[Text] = []
    for group in evaluation.ties:
        if len({round(result.bor_value, 6) for result in group}) > 1:
            notes.append(tie_message(evaluation.model, group))
        notes.extend(
            lots_message(evaluation.model, lots)
            for lots in _groups(group, lambda r: (r.lot, r.rank))
        )
    return tuple(notes)
