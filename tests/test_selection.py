"""Selection: conditions, ambition, escalation and evaluation model, each with its reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from upphandla.interview.answers import resolve_answers
from upphandla.library.loading import require_library
from upphandla.library.model import Level, Library
from upphandla.selection.select import Selection, select_requirements

FIXTURE = Path(__file__).parent / "fixtures" / "selection_library"


@pytest.fixture(scope="module")
def library() -> Library:
    return require_library(FIXTURE)[0]


def select(library: Library, **answers: Any) -> Selection:
    resolved = resolve_answers(library, answers, use_defaults=True)
    return select_requirements(library, resolved.values, resolved.context)


def included(selection: Selection) -> dict[str, tuple[Level, list[str], list[str]]]:
    return {
        item.requirement.id: (
            item.level,
            [r.sv for r in item.reasons],
            [r.sv for r in item.escalation],
        )
        for item in selection.included
    }


def excluded(selection: Selection) -> dict[str, list[str]]:
    return {item.requirement.id: [r.en for r in item.reasons] for item in selection.excluded}


def test_reasons_name_the_answers_that_made_the_condition_hold(library: Library) -> None:
    selection = select(
        library, affects_individuals=True, personal_data=["ordinary"], functions=["chatbot"]
    )
    chosen = included(selection)
    assert chosen["T-ALL"][1] == ["gäller alla AI-upphandlingar"]
    assert chosen["T-DEC"][1] == ["Påverkar beslut om enskilda: ja", "Personuppgifter: Vanliga"]
    assert chosen["T-CHAT"][1] == ["Funktioner: Chattbot"]


def test_excluded_requirements_say_why(library: Library) -> None:
    selection = select(library)
    left_out = excluded(selection)
    assert left_out["T-CHAT"] == ["the condition does not hold: Functions: not chatbot"]
    assert left_out["T-DEC"] == [
        "the condition does not hold: Affects decisions about individuals: no; Personal data: none"
    ]


def test_ambition_above_the_chosen_level_is_left_out(library: Library) -> None:
    selection = select(library, affects_individuals=True)
    assert excluded(selection)["T-REVIEW"] == [
        "the requirement belongs to the ambition level advanced, and you chose basic"
    ]
    assert "T-REVIEW" in included(select(library, affects_individuals=True, ambition="avancerad"))


def test_escalation_makes_bor_mandatory_and_says_why(library: Library) -> None:
    selection = select(library, affects_individuals=True, human_review=False, ambition="avancerad")
    level, _, escalation = included(selection)["T-REVIEW"]
    assert level is Level.SKA
    assert escalation == ["Ingen människa granskar resultaten."]
    item = next(i for i in selection.included if i.requirement.id == "T-REVIEW")
    assert item.escalated


def test_escalated_requirement_is_kept_even_above_the_ambition(library: Library) -> None:
    selection = select(library, affects_individuals=True, human_review=False, ambition="bas")
    assert included(selection)["T-REVIEW"][0] is Level.SKA


def test_pass_fail_model_leaves_bor_out(library: Library) -> None:
    selection = select(
        library,
        affects_individuals=True,
        personal_data=["special_categories"],
        evaluation_model="pass_fail",
    )
    assert selection.risk_class == "high"
    assert "evaluation model has mandatory requirements only" in excluded(selection)["T-HIGH"][0]


def test_derived_values_feed_conditions(library: Library) -> None:
    selection = select(library, affects_individuals=True, personal_data=["special_categories"])
    assert included(selection)["T-HIGH"][1] == ["Riskklass: Hög risk"]
    assert selection.derivation.values["dpia_required"] is True


def test_selection_is_deterministic(library: Library) -> None:
    answers = {"affects_individuals": True, "personal_data": ["ordinary"], "functions": ["chatbot"]}
    first, second = select(library, **answers), select(library, **answers)
    assert included(first) == included(second)
    assert [i.requirement.id for i in first.included] == [
        r.id for r in library.requirements if r.id in included(first)
    ]
