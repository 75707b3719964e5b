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


INTERPRETER_CASES = [
    (
        "'chatbot' in functions and not human_review",
        {"functions": ["chatbot"], "human_review": False},
    ),
    ("risk_class in ['high', 'limited'] or impact >= 3", {"risk_class": "minimal", "impact": 3}),
    ("personal_data | length > 0 and personal_data | count < 5", {"personal_data": ["a"]}),
    ("1 < impact <= 3", {"impact": 2}),
    ("impact * 2 + 1 - 3 // 2 % 2", {"impact": 4}),
    ("(impact / 4) ** 2", {"impact": 2}),
    ("'a' ~ name ~ 1", {"name": "b"}),
    ("3 if flag else (2 if other else 1)", {"flag": False, "other": True}),
    ("-impact", {"impact": 2}),
    ("name | lower == 'abc' and name | upper != 'x'", {"name": "ABC"}),
    ("x is defined and x is none and y is number and z is string", {"x": None, "y": 1, "z": "s"}),
    ("missing is undefined", {}),
    ("flag and [1, 2] or (3, 4)", {"flag": False}),
    ("'x' not in items", {"items": ["y"]}),
]


@pytest.mark.parametrize(("source", "context"), INTERPRETER_CASES)
def test_fast_interpreter_agrees_with_the_jinja_sandbox(
    source: str, context: dict[str, object]
) -> None:
    from upphandla.expressions import _compile_node, interpret

    expression = compile_expression(source)
    fast = interpret(expression.node)
    assert fast is not None, "this construct should not need the sandbox"
    assert fast(context) == _compile_node(expression.node)(context)
    assert expression.evaluate(context) == _compile_node(expression.node)(context)


@pytest.mark.parametrize(
    "source", ["name.upper()", "items[0]", "name | replace('a', 'b')", "x if y"]
)
def test_other_constructs_go_to_the_sandbox(source: str) -> None:
    from upphandla.expressions import interpret

    expression = compile_expression(source)
    assert interpret(expression.node) is None
    assert expression.evaluate({"name": "a", "items": [1], "x": 1, "y": True}) is not None


def test_unknown_filter_is_a_compile_time_error() -> None:
    with pytest.raises(ExpressionError, match="no filter named 'lenght'"):
        compile_expression("items | lenght > 0")
