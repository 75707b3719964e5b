"""One semantics for conditions: the fast tree interpreter agrees with Jinja's sandbox.

``expressions.py`` evaluates the common constructs of a condition straight from the parsed tree
and gives the rest to Jinja's immutable sandbox. The property test below generates expressions
over the grammar the fast interpreter accepts, and answers, and asserts that both ways give the
same value, or fail with the same class of error (the error behind the ``ExpressionError``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Undefined

from upphandla.library.expressions import (
    CompiledExpression,
    ExpressionError,
    _compile_expression,
    _compile_node,
    compile_expression,
    interpret,
)
from upphandla.limits import DEFAULT_LIMITS

# --------------------------------------------------------------------------- answers

_TEXTS = st.one_of(
    st.sampled_from(["", "a", "A", "Ab", "chatbot", "ß", "10"]),
    st.text(alphabet="aAbß É1", max_size=4),
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-12, 12),
    st.floats(-12, 12),
    _TEXTS,
)
_ANYTHING = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=4),
    st.lists(st.lists(_SCALARS, max_size=2), max_size=2),
    st.dictionaries(st.sampled_from(["a", "k"]), _SCALARS, max_size=2),
)
# Each name usually holds one kind of value, as questions do; ``x`` holds anything. Half the
# contexts answer every name but ``gone``; in the others, any of them may be missing.
_ANSWERS: dict[str, st.SearchStrategy[Any]] = {
    "flag": st.booleans(),
    "n": st.integers(-12, 12),
    "f": st.floats(-12, 12),
    "s": _TEXTS,
    "items": st.lists(_SCALARS, max_size=4),
    "nothing": st.none(),
    "x": _ANYTHING,
}
NAMES = [*_ANSWERS, "gone"]
CONTEXTS = st.one_of(st.fixed_dictionaries(_ANSWERS), st.fixed_dictionaries({}, optional=_ANSWERS))

# --------------------------------------------------------------------------- expressions

_CONSTANTS = st.sampled_from(
    [
        *("true", "false", "True", "False", "none", "None"),
        *("0", "1", "2", "3", "7", "12"),
        *("0.0", "0.5", "2.5", "1e3", "1e400"),
        *("''", "'a'", "'Ab'", "'ß'", "'chatbot'", '"10"'),
    ]
)
_DEFINED = st.tuples(
    st.sampled_from(NAMES), st.sampled_from(["defined", "undefined", "not defined"])
).map(lambda pair: f"({pair[0]} is {pair[1]})")
LEAVES = st.one_of(st.sampled_from(NAMES), _CONSTANTS, _DEFINED)

_COMPARISONS = st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])
_ARITHMETIC = st.sampled_from(["+", "-", "*", "/", "//", "%", "**"])
_TESTS = st.sampled_from(["none", "number", "string", "boolean", "true", "false"])
_FILTERS = st.sampled_from(["length", "count", "lower", "upper", "abs", "list"])


def _chain(pair: tuple[str, list[tuple[str, str]]]) -> str:
    first, rest = pair
    return "(" + " ".join([first, *(f"{op} {operand}" for op, operand in rest)]) + ")"


def _tuple(items: list[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else "(" + ", ".join(items) + ")"


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One construct of the fast interpreter's grammar over ``inner``, in brackets."""
    return st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda three: f"({three[0]} {three[1]} {three[2]})"
        ),
        inner.map(lambda operand: f"(not {operand})"),
        st.tuples(inner, st.lists(st.tuples(_COMPARISONS, inner), min_size=1, max_size=3)).map(
            _chain
        ),
        st.tuples(inner, st.booleans(), _TESTS).map(
            lambda three: f"({three[0]} is {'not ' if three[1] else ''}{three[2]})"
        ),
        st.tuples(inner, _ARITHMETIC, inner).map(
            lambda three: f"({three[0]} {three[1]} {three[2]})"
        ),
        st.tuples(st.sampled_from(["-", "+"]), inner).map(lambda pair: f"({pair[0]}{pair[1]})"),
        st.tuples(inner, inner, inner).map(
            lambda three: f"({three[0]} if {three[1]} else {three[2]})"
        ),
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(inner, max_size=3).map(_tuple),
        st.tuples(inner, st.lists(_FILTERS, min_size=1, max_size=2)).map(
            lambda pair: f"({pair[0]} | {' | '.join(pair[1])})"
        ),
        st.lists(inner, min_size=2, max_size=3).map(lambda parts: "(" + " ~ ".join(parts) + ")"),
    )


def _expressions(depth: int) -> st.SearchStrategy[str]:
    """Expressions nested at most ``depth`` constructs deep (well inside the nesting limit)."""
    strategy: st.SearchStrategy[str] = LEAVES
    for _ in range(depth):
        strategy = st.one_of(LEAVES, _compound(strategy))
    return strategy


EXPRESSIONS = _expressions(4)

# --------------------------------------------------------------------------- comparing


def _same(left: Any, right: Any) -> bool:
    """Equal values of the same types all the way down (``1``, ``1.0`` and ``True`` differ; NaN
    equals NaN, and ``-0.0`` differs from ``0.0``); an undefined value is never the same."""
    if type(left) is not type(right) or isinstance(left, Undefined):
        return False
    if isinstance(left, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return left == right and math.copysign(1, left) == math.copysign(1, right)
    if isinstance(left, complex):
        return _same(left.real, right.real) and _same(left.imag, right.imag)
    if isinstance(left, list | tuple):
        return len(left) == len(right) and all(map(_same, left, right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(_same(left[key], right[key]) for key in left)
    return bool(left == right)


def _outcome(compiled: CompiledExpression, context: Mapping[str, Any]) -> tuple[str, Any]:
    """("value", the value) or ("error", the class of the error the module mapped)."""
    try:
        return "value", compiled.evaluate(context)
    except ExpressionError as error:
        cause = error.__context__
        return "error", type(cause if cause is not None else error).__name__


def _both_ways(source: str) -> tuple[CompiledExpression, CompiledExpression]:
    """``source`` compiled for the fast interpreter, and for the sandbox; each from its own
    parse, so neither sees what the other did to its tree."""
    fast = _compile_expression(source, DEFAULT_LIMITS)
    assert interpret(fast.node) is not None, f"{source!r} is outside the fast grammar"
    parsed = _compile_expression(source, DEFAULT_LIMITS)
    sandbox = CompiledExpression(source, parsed.names, parsed.node, _compile_node(parsed.node))
    return fast, sandbox


def _assert_agree(source: str, contexts: list[dict[str, Any]]) -> None:
    fast, sandbox = _both_ways(source)
    for context in contexts:
        quick, slow = _outcome(fast, context), _outcome(sandbox, context)
        differ = f"{source!r} over {context!r}: fast {quick!r}, sandbox {slow!r}"
        assert quick[0] == slow[0], differ
        assert _same(quick[1], slow[1]), differ


# Compiling with Jinja takes about a millisecond: this test tries 25 times the profile's
# examples (2,000 under the derandomised "ci" profile), in a few seconds.
@settings(max_examples=settings().max_examples * 25)
@given(source=EXPRESSIONS, contexts=st.lists(CONTEXTS, min_size=1, max_size=3))
def test_fast_interpreter_and_sandbox_agree(source: str, contexts: list[dict[str, Any]]) -> None:
    _assert_agree(source, contexts)


# --------------------------------------------------------------------------- found differences

FULL = {"flag": True, "n": 3, "f": 2.5, "s": "Ab", "items": ["a", 1], "nothing": None}


@pytest.mark.parametrize(
    "source",
    [
        # ``number`` is Jinja's test: booleans are numbers.
        "True is number",
        "flag is number",
        "(flag is not number)",
        # A missing name is Jinja's StrictUndefined, not an error on sight: tests see it, an empty
        # list does not contain it, texts refuse it with a TypeError, ``abs`` too.
        "gone is none",
        "gone is number or gone is string or gone is boolean or gone is false",
        "gone in []",
        "gone not in ()",
        "gone in 'abc'",
        "gone | abs",
        "1 if gone is none else 2",
        # ... but a value that holds an undefined name still fails, whichever way it was computed.
        "[gone]",
        "(1, [gone])",
        "flag and [n, gone]",
        # Numbers too large for a float: Jinja's code generator wrote ``inf``, a NameError.
        "1e400",
        "-1e400 < n",
        "[1e400, 1e308 + 1e308, 1e400 - 1e400]",
        "(1e400, -1e400) | list",  # Jinja's optimiser folded this into a constant list
        "1e400 ~ ''",
        # ``~`` evaluates every part before it turns them into texts, as Jinja does: here the
        # comparison fails (TypeError) before the undefined name would.
        "gone ~ (nothing < 1)",
    ],
)
def test_found_differences_agree(source: str) -> None:
    _assert_agree(source, [{}, FULL])


def test_self_is_refused_because_jinja_shadows_it() -> None:
    # Jinja's templates bind ``self`` to a reference to the template, whatever the answers say;
    # the fast interpreter read the answer. A question named ``self`` cannot be read in the
    # sandbox, so conditions may not use the name.
    with pytest.raises(ExpressionError, match="'self'"):
        compile_expression("self")
    with pytest.raises(ExpressionError, match="'self'"):
        compile_expression("x and self is defined")


def test_the_sandbox_leaves_the_tree_of_an_expression_alone() -> None:
    # Jinja's optimiser folded ``1 + 1`` into a constant inside the tree the first time the
    # sandbox ran a condition; ``selection.reasons`` walks that tree to explain conditions.
    compiled = _compile_expression("items[0] == 1 + 1", DEFAULT_LIMITS)
    assert interpret(compiled.node) is None, "this expression should need the sandbox"
    before = compiled.node.dump()
    assert compiled.evaluate({"items": [2]}) is True
    assert compiled.node.dump() == before
