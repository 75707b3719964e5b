"""Answers: conversion, answers files, --set, and which questions apply."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from conftest import DEFAULT_LIBRARY, write_files
from upphandla.errors import Location, ProblemsError
from upphandla.interview.answers import (
    GivenAnswer,
    check_given_answers,
    parse_set_options,
    read_answers_file,
    render_answers_file,
    resolve_answers,
)
from upphandla.library.loading import require_library
from upphandla.library.model import Library
from upphandla.library.values import coerce_value


@pytest.fixture(scope="module")
def library() -> Library:
    return require_library(DEFAULT_LIBRARY)[0]


@pytest.mark.parametrize(
    ("question_id", "given", "expected"),
    [
        ("profiling", "ja", True),
        ("profiling", "No", False),
        ("profiling", True, True),
        ("functions", "chatbot, agent", ["chatbot", "agent"]),
        ("functions", ["agent", "chatbot", "agent"], ["chatbot", "agent"]),
        ("functions", "", []),
        ("ambition", "avancerad", "avancerad"),
        ("organisation", "  Region Halland ", "Region Halland"),
    ],
)
def test_values_are_converted_to_the_question_type(
    library: Library, question_id: str, given: object, expected: object
) -> None:
    question = library.question(question_id)
    assert question is not None
    assert coerce_value(question, given) == (expected, None)


@pytest.mark.parametrize(
    ("question_id", "given", "expected"),
    [
        ("profiling", "kanske", "not a yes/no answer"),
        ("ambition", "avancerat", "Did you mean 'avancerad'"),
        ("ambition", ["bas"], "single choice, not a list"),
        ("functions", "chatbot,teleport", "'teleport' is not one of the choices"),
        ("organisation", ["a"], "must be a text"),
    ],
)
def test_impossible_values_are_explained(
    library: Library, question_id: str, given: object, expected: str
) -> None:
    question = library.question(question_id)
    assert question is not None
    value, message = coerce_value(question, given)
    assert value is None
    assert message is not None
    assert expected in message.en


def test_unknown_question_id_is_located_with_a_suggestion(library: Library) -> None:
    given = {"ambitoin": GivenAnswer("bas", Location(Path("svar.yaml"), 3, 3))}
    _, problems = check_given_answers(library, given)
    (problem,) = problems
    assert problem.render("en").startswith(
        "svar.yaml:3:3: error: There is no question with the id 'ambitoin'"
    )
    assert "Did you mean 'ambition'?" in problem.render("en")


def test_answers_file_errors_name_file_line_and_question(tmp_path: Path, library: Library) -> None:
    write_files(
        tmp_path,
        {"svar.yaml": "answers:\n  ambition: hög\n  functions: chatbot\n  profiling: [1]\n"},
    )
    answers_file = read_answers_file(tmp_path / "svar.yaml")
    _, problems = check_given_answers(library, answers_file.answers)
    rendered = [problem.render("en") for problem in problems]
    assert rendered[0].startswith(f"{tmp_path / 'svar.yaml'}:2:13: error: The answer to 'ambition'")
    assert rendered[1].startswith(
        f"{tmp_path / 'svar.yaml'}:4:14: error: The answer to 'profiling'"
    )
    assert len(rendered) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("answers: {ambition: bas\n", "YAML syntax error"),
        ("", "empty"),
        ("- a\n- b\n", "must contain question ids"),
    ],
)
def test_broken_answers_files(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "svar.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        read_answers_file(path)
    assert expected in caught.value.problems[0].render("en")


def test_flat_and_json_answers_files(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "flat.yaml": "ambition: bas\n",
            "svar.json": '{"answers": {"ambition": "bas"}, "complete": false}',
        },
    )
    assert read_answers_file(tmp_path / "flat.yaml").answers["ambition"].value == "bas"
    from_json = read_answers_file(tmp_path / "svar.json")
    assert from_json.answers["ambition"].value == "bas"
    assert from_json.complete is False


def test_set_options() -> None:
    answers, problems = parse_set_options(
        ["ambition=avancerad", "functions=chatbot,agent", "broken"]
    )
    assert answers["ambition"].value == "avancerad"
    assert answers["functions"].value == "chatbot,agent"
    (problem,) = problems
    assert "must be written ID=VALUE" in problem.render("en")


def test_questions_that_do_not_apply_are_skipped_and_not_recorded(library: Library) -> None:
    values = {"annex_iii_area": "none", "profiling": True, "affects_individuals": False}
    resolved = resolve_answers(library, values, use_defaults=True)
    assert "profiling" not in resolved.applicable
    assert "art6_3_exception" not in resolved.applicable
    assert "human_review" not in resolved.applicable
    assert "profiling" not in resolved.values
    assert resolved.context["profiling"] is False
    assert set(resolved.missing) == {"organisation", "procurement_title", "purpose"}


def test_conditional_questions_appear_when_they_apply(library: Library) -> None:
    values = {
        "annex_iii_area": "education",
        "affects_individuals": True,
        "functions": ["content_generation"],
    }
    resolved = resolve_answers(library, values, use_defaults=True)
    for question_id in (
        "art6_3_exception",
        "profiling",
        "human_review",
        "publishes_generated_content",
    ):
        assert question_id in resolved.applicable


def test_every_core_question_except_free_texts_has_a_default(library: Library) -> None:
    without_default = {q.id for q in library.questions if q.default is None and q.required}
    assert without_default == {"organisation", "procurement_title", "purpose"}


def test_answers_file_round_trip(tmp_path: Path, library: Library) -> None:
    values = resolve_answers(
        library,
        {
            "organisation": "Kommunen",
            "procurement_title": "AI",
            "purpose": "Sök",
            "functions": ["chatbot"],
        },
        use_defaults=True,
    ).values
    path = tmp_path / "svar.yaml"
    path.write_text(
        render_answers_file(library, values, complete=True, today=datetime.date(2026, 11, 27)),
        encoding="utf-8",
    )
    answers_file = read_answers_file(path)
    assert answers_file.library_id == "default"
    assert answers_file.library_sha256 == library.sha256
    converted, problems = check_given_answers(library, answers_file.answers)
    assert problems == []
    assert converted == values
