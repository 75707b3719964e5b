"""Conditions run in the immutable sandbox and fail loudly."""

from __future__ import annotations

import pytest

from upphandla.library.expressions import ExpressionError, compile_expression


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
    from upphandla.library.expressions import _compile_node, interpret

    expression = compile_expression(source)
    fast = interpret(expression.node)
    assert fast is not None, "this construct should not need the sandbox"
    assert fast(context) == _compile_node(expression.node)(context)
    assert expression.evaluate(context) == _compile_node(expression.node)(context)


@pytest.mark.parametrize("source", ["name.upper()", "items[0]", "name | trim", "x if y"])
def test_other_constructs_go_to_the_sandbox(source: str) -> None:
    from upphandla.library.expressions import interpret

    expression = compile_expression(source)
    assert interpret(expression.node) is None
    assert expression.evaluate({"name": "a", "items": [1], "x": 1, "y": True}) is not None


def test_unknown_filter_is_a_compile_time_error() -> None:
    with pytest.raises(ExpressionError, match="no filter named 'lenght'"):
        compile_expression("items | lenght > 0")


@pytest.mark.parametrize(
    "source",
    [
        "(" * 900 + "a" + ")" * 900,
        "[" * 600 + "]" * 600,
        "not " * 400 + "a",
        "-" * 1500 + "1",
        "x | f(" * 300 + "a",
    ],
)
def test_deep_nesting_is_refused_not_a_recursion_error(source: str) -> None:
    # Found by fuzzing: Jinja's recursive parser raised RecursionError on these.
    with pytest.raises(ExpressionError, match="nested deeper than 40 levels"):
        compile_expression(source)


def test_forty_levels_of_brackets_are_fine() -> None:
    assert compile_expression("(" * 40 + "a" + ")" * 40).evaluate({"a": 1}) == 1


@pytest.mark.parametrize(
    "source",
    [
        "((20 ** (20 ** 2)) ** (20 ** 2)) ** (20 ** 2)",  # ran for ever: 20 ** 64,000,000
        "'%999999999d' % 1",  # a 1 GB text
        "'a' | center(999999999)",
        "x | slice(999999999) | list",  # ran for ever
        "x | batch(3, 'a') | list | join('a' * 10000)",
        "('a' * 10000) | replace('a', 'a' * 10000)",
        "[[1] * 10000] * 10000",  # 10,000 copies of 10,000 items
        "'{:999999999}'.format(1)",
        "'a'.center(999999999)",
        "(1).to_bytes(999999999, 'big')",
    ],
)
def test_conditions_cannot_build_huge_values(source: str) -> None:
    # Found by fuzzing and review: each of these hung or took seconds and a gigabyte.
    with pytest.raises(ExpressionError):
        compile_expression(source).evaluate({"x": [1, 2]})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("10 % 3", 1),
        ("2 ** 1000 > 0", True),
        ("name.lower() == 'abc'", True),
        ("'ab' * 5000", "ab" * 5000),
    ],
)
def test_ordinary_arithmetic_and_methods_still_work(source: str, expected: object) -> None:
    assert compile_expression(source).evaluate({"name": "ABC"}) == expected
