"""The award model, stated before any tender exists: what the kravbilaga promises and what
``upphandla evaluate`` later applies.

The models:

- ``price_deduction_sek``: the tender price minus the deductions of the BÖR criteria met.
- ``price_deduction_percent``: the tender price reduced by the sum of the percentages met.
- ``points``: price × (1 − Q/100 × P/Pmax), where P is the points of the BÖR criteria met,
  Pmax the points of every BÖR criterion in the selection and Q the quality weight (the answer
  ``quality_weight``, 30 when missing); with Pmax 0 the figure is the price.
- ``pass_fail``: the tender price.

Ties on the comparison figure (compared to the öre) go to the tender whose met BÖR criteria are
worth more (points, or total deduction); tenders equal on that too share the rank, and the order
between them is decided by drawing lots.
"""

from __future__ import annotations

from pathlib import Path

from upphandla.errors import Location, Problem, ProblemsError
from upphandla.library import known
from upphandla.library.model import Level
from upphandla.records import record
from upphandla.selection.select import Included, Selection
from upphandla.text import Text

POINTS = "points"
DEDUCTION_SEK = "price_deduction_sek"
DEDUCTION_PERCENT = "price_deduction_percent"
PASS_FAIL = "pass_fail"  # noqa: S105 (an evaluation model, not a password)
MODELS = (PASS_FAIL, DEDUCTION_SEK, DEDUCTION_PERCENT, POINTS)
"""The models whose comparison figure is the price after deductions (``points`` weighs instead)."""
DEFAULT_QUALITY_WEIGHT = 30.0
QUALITY_WEIGHT_RANGE = (1.0, 50.0)


@record
class Weighting:
    """The figures of the points model, the same for every tender.

    Attributes:
        quality_weight: Q, the weight of quality against price, in per cent (1–50).
        max_points: Pmax, the points of every BÖR criterion in the selection.
    """

    quality_weight: float
    max_points: float


def evaluation_model(selection: Selection) -> str:
    """The evaluation model from the answers; ``pass_fail`` when the library asks for none."""
    return str(selection.context.get(known.EVALUATION_MODEL) or PASS_FAIL)


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


def weighting_of(selection: Selection) -> Weighting:
    """The points model's quality weight (the answer ``quality_weight``, 30 when missing) and
    maximum points (the points of every BÖR criterion in the selection).

    Raises:
        ProblemsError: The quality weight is not a number from 1 to 50.
    """
    max_points = round(sum(credit(item, POINTS) for item in selection.included), 6)
    return Weighting(quality_weight(selection.context.get(known.QUALITY_WEIGHT)), max_points)


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
                _quality_weight_out_of_range(value, low, high),
                Location(Path("svar")),
                hint=_give_a_quality_weight(),
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


@record
class ValueWords:
    """What the met BÖR criteria of a model are worth, in words: (the most, they, the same)."""

    sv: tuple[str, str, str]
    en: tuple[str, str, str]


_DEDUCTION_WORDS = ValueWords(
    ("störst sammanlagt prisavdrag", "prisavdragen", "samma sammanlagda prisavdrag"),
    ("the largest total price deduction", "the deductions", "the same total deduction"),
)

VALUE_WORDS: dict[str, ValueWords] = {
    POINTS: ValueWords(
        ("högst poäng", "poängen", "samma poäng"),
        ("the most points", "the points", "the same points"),
    ),
    DEDUCTION_SEK: _DEDUCTION_WORDS,
    DEDUCTION_PERCENT: _DEDUCTION_WORDS,
}
"""The value wording of every model whose BÖR criteria are worth something (not ``pass_fail``)."""


def tie_break_rule(model: str) -> Text:
    """The tie-break rule of ``model``, as the kravbilaga states it."""
    if model == PASS_FAIL:
        return Text(
            "Har två eller flera anbud samma pris avgörs ordningen mellan dem genom lottning.",
            "If two or more tenders have the same price, the order between them is decided by drawing lots.",
        )
    value = VALUE_WORDS[model]
    return Text(
        f"Har två eller flera anbud samma jämförelsetal, avrundat till hela ören, går det anbud före som har {value.sv[0]}. "
        f"Är även {value.sv[1]} lika avgörs ordningen mellan anbuden genom lottning.",
        f"If two or more tenders have the same evaluation price, rounded to the öre, the tender with {value.en[0]} ranks first. "
        f"If {value.en[1]} are equal too, the order between the tenders is decided by drawing lots.",
    )


def _quality_weight_out_of_range(value: object, low: float, high: float) -> Text:
    return Text(
        f"Kvalitetsvikten (quality_weight) är '{value}'. Den ska vara en procentsats från {low:g} till {high:g}.",
        f"The quality weight (quality_weight) is '{value}'. It must be a percentage from {low:g} to {high:g}.",
    )


def _give_a_quality_weight() -> Text:
    return Text(
        "Ange till exempel --set quality_weight=30.",
        "Give for example --set quality_weight=30.",
    )
