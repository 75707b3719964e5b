"""Conditions run in the immutable sandbox and fail loudly."""

from __future__ import annotations

import pytest

from upphandla.expressions import ExpressionError, compile_expression


def test_names_are_found_statically() -> None:
    expression = compile_expression("affects_individuals and 'chatbot' in functions")
    assert expression.names == {"affects_individuals", "functions"}


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("'chatbot' in functions", {"functions": ["chatbot"]}, True),
        ("personal_data | length > 0", {"personal_data": []}, False),
        ("not human_review", {"human_review": False}, True),
        ("risk_class in ['high', 'limited']", {"risk_class": "limited"}, True),
        ("impact >= 3", {"impact": 2}, False),
    ],
)
def test_expressions_evaluate_over_plain_data(
    source: str, context: dict[str, object], expected: bool
) -> None:
    assert compile_expression(source).evaluate(context) is expected


def test_an_unknown_name_is_an_error_not_false() -> None:
    with pytest.raises(ExpressionError, match="undefined"):
        compile_expression("misspelled == 1").evaluate({})


@pytest.mark.parametrize(
    "source",
    [
        "''.__class__",
        "x.__class__.__mro__",
        "x['__globals__']",
        "x | attr('__class__')",
        "range(10)",
        "lipsum",
        "cycler",
        "'a' * 100000",
        "[1] * 100000",
        "2 ** 100000",
    ],
)
def test_sandbox_escapes_and_resource_bombs_fail(source: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(source).evaluate({"x": 1})


@pytest.mark.parametrize("source", ["a ==", "a }} {% for x in y %}", "", "   ", "(a"])
def test_syntax_errors_are_reported_at_compile_time(source: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(source)


def test_overlong_expression_is_refused() -> None:
    with pytest.raises(ExpressionError, match="limit"):
        compile_expression(" or ".join(["a"] * 1000))
