"""Bounded evaluation: one budget shared by every step of one evaluation.

Conditions, derived values and document templates come from files that may be hostile. Each
evaluation (the derived values of one set of answers, one selection, one template rendered)
runs under a ``Budget``: no value it builds may be larger than ``max_value`` items or
characters, no number larger than ``max_number_bits`` bits, the steps it takes (items built,
compared, copied or looped over) add up to at most ``max_work``, and macros call each other at
most ``max_call_depth`` deep. Whatever goes over stops with ``BudgetError`` (a Jinja
``SecurityError``), which the callers turn into a located message naming the expression or the
template line.

The budget holds across chains: derived values that refer to each other share it, so 17 lines
that each double a text stop at the limit instead of reaching gigabytes.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError

from upphandla.limits import DEFAULT_LIMITS, Limits

# The cost of one call of a filter, macro or method and of one loop round, in the budget's units
# (about one unit per character copied or item built).
CALL_COST = 100
LOOP_COST = 100
STATEMENT_COST = 50
# A walk over a container (to count it) costs far more per item than copying a character.
WALK_COST = 20
_SCALARS = (str, int, float, bool, type(None))


class BudgetError(SecurityError):
    """An evaluation went over its budget; the message is plain English."""


@dataclass(slots=True)
class Budget:
    """What one evaluation may still spend."""

    max_value: int
    max_work: int
    max_number_bits: int
    max_call_depth: int
    max_width: int
    max_repeat: int
    deep_results: bool
    work: int = 0
    call_depth: int = 0

    def spend(self, units: int) -> None:
        """Count ``units`` of work; raise when the evaluation's work goes over the limit."""
        self.work += units
        if self.work > self.max_work:
            raise BudgetError(
                f"the evaluation takes too much work (more than {self.max_work:,} steps); "
                "loops, or values that build on each other, do too much"
            )

    def result(self, value: Any) -> Any:
        """``value``, a new value an operation built, after checking its size and counting it."""
        if type(value) is str and not self.deep_results:  # a filter's text (shallow_size)
            if len(value) > self.max_value:
                raise self.too_large()
            self.spend(len(value))
            return value
        if type(value) is int:
            self.check_number(value)
            self.spend(1)
            return value
        size = (
            deep_size(value, self.max_value, item_weight=WALK_COST)
            if self.deep_results
            else shallow_size(value)
        )
        if size > self.max_value:
            raise self.too_large()
        self.spend(size)
        return value

    def walked(self, value: Any, *, characters: bool = True) -> Any:
        """``value``, about to be walked in full (turned into text, compared, sorted), after
        counting the items (and with ``characters`` the characters) the walk will visit."""
        if type(value) is str:  # the most frequent value, as below
            self.spend(1 + len(value) // 64)
            return value
        if isinstance(value, _SCALARS):
            self.spend(1 + (len(value) // 64 if isinstance(value, str) else 0))
            return value
        size = deep_size(value, self.max_value, characters=characters, item_weight=WALK_COST)
        if size > self.max_value:
            raise self.too_large()
        self.spend(size)
        return value

    def check_number(self, value: int) -> None:
        """Refuse integers longer than ``max_number_bits`` (about 3,000 digits by default)."""
        if value.bit_length() > self.max_number_bits:
            raise BudgetError(
                f"a number grew too large (more than {self.max_number_bits:,} bits, about "
                f"{int(self.max_number_bits * 0.30103):,} digits)"
            )

    def check_width(self, value: Any, what: str) -> None:
        """Refuse a width, count or indentation larger than ``max_width``."""
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > self.max_width:
            raise BudgetError(f"the {what} {value:,} is too large; the limit is {self.max_width:,}")

    def too_large(self) -> BudgetError:
        return BudgetError(
            f"a value grew too large (more than {self.max_value:,} characters, or "
            f"{self.max_value // WALK_COST:,} items)"
        )


_CURRENT: ContextVar[Budget | None] = ContextVar("upphandla_budget", default=None)


def condition_budget(limits: Limits = DEFAULT_LIMITS) -> Budget:
    """A budget for conditions and derived values."""
    return Budget(
        max_value=limits.max_value_size,
        max_work=limits.max_evaluation_work,
        max_number_bits=limits.max_number_bits,
        max_call_depth=limits.max_call_depth,
        max_width=limits.max_width,
        max_repeat=limits.max_repeat,
        deep_results=True,
    )


def template_budget(limits: Limits = DEFAULT_LIMITS) -> Budget:
    """A budget for rendering one document template (which walks the whole library)."""
    return Budget(
        max_value=limits.max_template_value_size,
        max_work=limits.max_template_work,
        max_number_bits=limits.max_number_bits,
        max_call_depth=limits.max_call_depth,
        max_width=limits.max_width,
        max_repeat=limits.max_template_value_size // WALK_COST,
        deep_results=False,
    )


@contextmanager
def evaluation_budget(
    make: Callable[[], Budget] = condition_budget, *, own: bool = False
) -> Iterator[Budget]:
    """Run the block under one budget; an evaluation inside another shares the outer budget,
    unless it has its ``own`` (a template)."""
    current = _CURRENT.get()
    if current is not None and not own:
        yield current
        return
    budget = make()
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def budgeted(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run under one evaluation budget (shared with the evaluation that calls it)."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with evaluation_budget():
            return function(*args, **kwargs)

    return run


def current_budget() -> Budget:
    """The budget of the evaluation that runs; outside one (a filter called on its own), a
    fresh condition budget for this step alone."""
    budget = _CURRENT.get()
    return budget if budget is not None else condition_budget()


def shallow_size(value: Any) -> int:
    """The characters of a text or the items of a container, not counting nested ones."""
    if isinstance(value, str | list | tuple | dict | set | frozenset | bytes):
        return len(value)
    return 1


def deep_size(value: Any, most: int, *, characters: bool = True, item_weight: int = 1) -> int:
    """Items (and characters of texts) in ``value``, nested ones counted in full, as a walk
    (``str``, ``tojson``, ``==``) visits them; counting stops past ``most``.

    Without ``characters`` a text counts as one item per 64 characters, as comparing or hashing
    it costs. Each item counts ``item_weight`` (visiting an item costs more than a character).
    """
    size = 0
    pending = [value]
    while pending and size <= most:
        item = pending.pop()
        if isinstance(item, str):
            size += len(item) if characters else 1 + len(item) // 64
        elif isinstance(item, list | tuple | set | frozenset):
            size += (len(item) + 1) * item_weight
            pending.extend(item)
        elif isinstance(item, dict):
            size += (2 * len(item) + 1) * item_weight
            pending.extend(item.keys())
            pending.extend(item.values())
        else:
            size += item_weight
    return size


# --------------------------------------------------------------------------- operators


def bounded_binop(budget: Budget, operator_name: str, left: Any, right: Any) -> Any:
    """``left OP right`` for ``+ - * / // % **``, refused before it builds anything too large."""
    if operator_name == "**":
        return budget.result(_power(budget, left, right))
    if operator_name == "*":
        _check_product(budget, left, right)
        return budget.result(left * right)
    if operator_name == "+":
        if (
            isinstance(left, str | list | tuple)
            and isinstance(right, str | list | tuple)
            and shallow_size(left) + shallow_size(right) > budget.max_value
        ):
            raise budget.too_large()
        return budget.result(left + right)
    if operator_name == "%":
        if isinstance(left, str):
            raise SecurityError("formatting texts with % is not allowed")
        return budget.result(operator.mod(left, right))
    function = _ARITHMETIC[operator_name]
    return budget.result(function(left, right))


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "-": operator.sub,
    "/": operator.truediv,
    "//": operator.floordiv,
}

_MAX_POWER = 1_000


def _power(budget: Budget, left: Any, right: Any) -> Any:
    if isinstance(right, int | float) and abs(right) > _MAX_POWER:
        raise SecurityError("exponent too large")
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and abs(left).bit_length() * right > budget.max_number_bits
    ):
        raise SecurityError("power too large")
    return left**right


def _check_product(budget: Budget, left: Any, right: Any) -> None:
    if isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
        sequence, count = (left, right) if isinstance(left, str | list | tuple) else (right, left)
        size = deep_size(sequence, budget.max_repeat)
        if isinstance(count, int) and size * count > budget.max_repeat:
            raise SecurityError("repetition too large")
    elif (
        type(left) is int
        and type(right) is int
        and left.bit_length() + right.bit_length() > budget.max_number_bits + 1
    ):
        raise BudgetError(
            f"a number grew too large (more than {budget.max_number_bits:,} bits, about "
            f"{int(budget.max_number_bits * 0.30103):,} digits)"
        )


def bounded_concat(budget: Budget, parts: Iterable[Any]) -> str:
    """``a ~ b ~ c``: every part turned into text and joined, refused before it grows too large."""
    values = list(parts)
    total = 0
    for value in values:
        total += deep_size(value, budget.max_value)
        if total > budget.max_value:
            raise budget.too_large()
    budget.spend(total)
    return str(budget.result("".join(map(str, values))))


# --------------------------------------------------------------------------- filters

# Filters whose numeric arguments set the size of the result, with the names of those arguments
# as Jinja's functions take them (positional after the value, or by keyword).
_WIDTH_ARGUMENTS: dict[str, tuple[tuple[int, str], ...]] = {
    "center": ((0, "width"),),
    "indent": ((0, "width"),),
    "wordwrap": ((0, "width"),),
    "truncate": ((0, "length"), (3, "leeway")),
    "batch": ((0, "linecount"),),
    "slice": ((0, "slices"),),
}
# Filters that walk their whole input (turn it into text, sort or compare it).
_WALKING = frozenset(
    [
        *("join", "string", "tojson", "pprint", "format", "replace", "center", "indent"),
        *("wordwrap", "truncate", "striptags", "wordcount", "title", "capitalize", "upper"),
        *("lower", "trim", "urlize", "escape", "e", "forceescape", "xmlattr", "urlencode"),
        *("cell", "inline", "block", "money", "number"),  # upphandla's own, for templates
    ]
)
_COMPARING = frozenset(["sort", "unique", "max", "min", "dictsort", "groupby", "sum"])
# ``%5s``, ``%-*.*f``, ``%(name)9999s``: the widths and precisions of printf-style formatting.
_FORMAT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` (a Jinja filter) run under the current budget: arguments that set the size
    of the result are bounded, the input of filters that walk it is counted, and so is the
    result."""
    widths = _WIDTH_ARGUMENTS.get(name, ())
    check = _ARGUMENT_CHECKS.get(name)
    walks, compares = name in _WALKING, name in _COMPARING
    passes_context = hasattr(function, "jinja_pass_arg")

    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        budget = current_budget()
        budget.spend(CALL_COST)
        given = args[1:] if passes_context else args
        value, arguments = (given[0], given[1:]) if given else (None, ())
        for index, keyword in widths:
            if index < len(arguments):
                budget.check_width(arguments[index], keyword)
            if keyword in kwargs:
                budget.check_width(kwargs[keyword], keyword)
        if check is not None:
            check(budget, value, arguments, kwargs)
        if walks:
            budget.walked(value)
            for argument in (*arguments, *kwargs.values()):
                budget.walked(argument)
        elif compares:
            budget.walked(value, characters=False)
        return budget.result(function(*args, **kwargs))

    return run


_MAX_JSON_INDENT = 8
_Arguments = tuple[Any, ...]
_Keywords = dict[str, Any]


def _check_join(budget: Budget, value: Any, arguments: _Arguments, kwargs: _Keywords) -> None:
    separator = arguments[0] if arguments else kwargs.get("d", "")
    if isinstance(separator, str):
        _check_estimate(budget, len(separator) * shallow_size(value))


def _check_indent(budget: Budget, value: Any, arguments: _Arguments, kwargs: _Keywords) -> None:
    if isinstance(value, str):
        width = arguments[0] if arguments else kwargs.get("width", 4)
        if isinstance(width, int):
            _check_estimate(budget, len(value) + value.count("\n") * abs(width))


def _check_tojson(budget: Budget, value: Any, arguments: _Arguments, kwargs: _Keywords) -> None:
    indent = arguments[0] if arguments else kwargs.get("indent")
    if isinstance(indent, int) and indent > _MAX_JSON_INDENT:
        raise BudgetError(f"the indent {indent:,} is too large; the limit is {_MAX_JSON_INDENT}")
    _check_estimate(
        budget,
        deep_size(value, budget.max_value) * (1 + (indent if isinstance(indent, int) else 0)),
    )


def _check_wordwrap(budget: Budget, value: Any, arguments: _Arguments, kwargs: _Keywords) -> None:
    if isinstance(value, str):
        width = arguments[0] if arguments else kwargs.get("width", 79)
        wrap = arguments[2] if len(arguments) > 2 else kwargs.get("wrapstring") or "\n"
        if isinstance(width, int) and isinstance(wrap, str):
            lines = len(value) // max(width, 1) + 1
            _check_estimate(budget, len(value) + lines * len(wrap))


def _check_replace(budget: Budget, value: Any, arguments: _Arguments, _kwargs: _Keywords) -> None:
    if len(arguments) >= 2:
        _check_replacement(budget, value, arguments[0], arguments[1], arguments[2:])


def _check_sum(budget: Budget, value: Any, _arguments: _Arguments, _kwargs: _Keywords) -> None:
    # Adding up texts or lists copies the sum so far at every step.
    size = deep_size(value, budget.max_value, item_weight=WALK_COST)
    if size > budget.max_value:
        raise budget.too_large()
    if not all(isinstance(item, int | float) for item in _items(value)):
        budget.spend(shallow_size(value) * size)


_ArgumentCheck = Callable[[Budget, Any, _Arguments, _Keywords], None]


def _items(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list | tuple) else ()


def _check_estimate(budget: Budget, size: int) -> None:
    """Refuse an operation whose result would have about ``size`` items or characters."""
    if size > budget.max_value:
        raise budget.too_large()


def _check_format(budget: Budget, template: Any, arguments: tuple[Any, ...]) -> None:
    """Refuse ``'%99999999s' | format(x)``, ``*`` widths taken from the arguments, and widths
    that add up to too much text."""
    if not isinstance(template, str):
        return
    stars = 0
    total = len(template)
    for match in _FORMAT_WIDTH.finditer(template):
        for number in _DIGITS.findall(re.sub(r"\([^)]*\)", "", match.group())):
            budget.check_width(int(number), "format width")
            total += int(number)
        stars += match.group().count("*")
    for argument in arguments[:stars]:
        budget.check_width(argument, "format width")
        if isinstance(argument, int):
            total += abs(argument)
    _check_estimate(budget, total)


def _check_replacement(
    budget: Budget, text: Any, old: Any, new: Any, rest: tuple[Any, ...]
) -> None:
    """Refuse a ``replace`` whose result would be too large (``'' `` matches between letters)."""
    if not isinstance(text, str) or not isinstance(old, str) or not isinstance(new, str):
        return
    count = text.count(old) if old else len(text) + 1
    if rest and isinstance(rest[0], int) and rest[0] >= 0:
        count = min(count, rest[0])
    if len(text) + count * (len(new) - len(old)) > budget.max_value:
        raise budget.too_large()


def format_checked(budget: Budget, template: str, arguments: Any) -> str:
    """``template % arguments`` in templates, with widths and precisions bounded."""
    values = arguments if isinstance(arguments, tuple) else (arguments,)
    _check_format(budget, template, values)
    budget.walked(arguments)
    return str(budget.result(template % arguments))


def _check_format_arguments(
    budget: Budget, value: Any, arguments: _Arguments, _kwargs: _Keywords
) -> None:
    _check_format(budget, value, arguments)


# The filters whose arguments set the size of the result in ways beyond ``_WIDTH_ARGUMENTS``,
# each with its check; every other filter is only counted.
_ARGUMENT_CHECKS: dict[str, _ArgumentCheck] = {
    "format": _check_format_arguments,
    "join": _check_join,
    "indent": _check_indent,
    "tojson": _check_tojson,
    "wordwrap": _check_wordwrap,
    "replace": _check_replace,
    "sum": _check_sum,
}


# --------------------------------------------------------------------------- calls, loops


def refuse_call(obj: Any) -> SecurityError:
    """The error for a call the sandbox does not allow, naming the method (not the object)."""
    name = getattr(obj, "__name__", None) or type(obj).__name__
    return SecurityError(f"the method '{name}' may not be called")


def bounded_call(budget: Budget, call: Callable[[], Any]) -> Any:
    """A macro, method or filter call one level deeper, its result counted."""
    budget.spend(CALL_COST)
    if budget.call_depth >= budget.max_call_depth:
        raise BudgetError(
            f"macros or loops call each other more than {budget.max_call_depth} levels deep"
        )
    budget.call_depth += 1
    try:
        return budget.result(call())
    finally:
        budget.call_depth -= 1


def metered(budget: Budget, iterable: Iterable[Any]) -> Iterator[Any]:
    """The items of a ``{% for %}`` loop, each round counted."""
    for item in iterable:
        budget.spend(LOOP_COST)
        yield item


class MeteredCodeGenerator(CodeGenerator):
    """Jinja's code generator, sending the steps that build or walk values through the
    environment's budget: ``~`` (``bounded_concat``), list, tuple and dict displays
    (``bounded_display``), the operands of comparisons (``compared``) and loop rounds
    (``metered``). Arithmetic goes through ``call_binop`` and calls through ``call``."""

    _metered: set[int]

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self.write("environment.bounded_display(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("environment.bounded_display(")
        super().visit_Dict(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":
            super().visit_Tuple(node, frame)
            return
        self.write("environment.bounded_display(")
        super().visit_Tuple(node, frame)
        self.write(")")

    def visit_Compare(self, node: nodes.Compare, frame: Frame) -> None:
        self.write("(environment.compared(")
        self.visit(node.expr, frame)
        self.write(")")
        for operand in node.ops:
            self.visit(operand, frame)
        self.write(")")

    def visit_Operand(self, node: nodes.Operand, frame: Frame) -> None:
        self.write(f" {_COMPARE_OPERATORS[node.op]} environment.compared(")
        self.visit(node.expr, frame)
        self.write(")")

    def blockvisit(self, body: Iterable[nodes.Node], frame: Frame) -> None:
        # Each time a block of statements runs (a template, a loop round, an if branch, a
        # macro call), it counts its size: work is then bounded however large the template.
        statements = list(body)
        size = sum(1 + sum(1 for _ in statement.find_all(nodes.Node)) for statement in statements)
        if size:
            self.writeline(f"environment.spend({size * STATEMENT_COST})")
        super().blockvisit(statements, frame)

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        # Jinja allows no node types of its own: the loop's iterable is marked and wrapped
        # where it is written (``visit``).
        self._metered_iterables().add(id(node.iter))
        super().visit_For(node, frame)

    def visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        if id(node) in self._metered_iterables():
            self.write("environment.metered(")
            result = super().visit(node, *args, **kwargs)
            self.write(")")
            return result
        return super().visit(node, *args, **kwargs)

    def _metered_iterables(self) -> set[int]:
        marked: set[int] | None = getattr(self, "_metered", None)
        if marked is None:
            marked = set()
            self._metered = marked
        return marked


_COMPARE_OPERATORS = {
    "eq": "==",
    "ne": "!=",
    "gt": ">",
    "gteq": ">=",
    "lt": "<",
    "lteq": "<=",
    "in": "in",
    "notin": "not in",
}


class BoundedEnvironmentMixin:
    """What a sandbox needs for ``MeteredCodeGenerator``'s calls, under the current budget."""

    def bounded_concat(self, parts: Iterable[Any]) -> str:
        return bounded_concat(current_budget(), parts)

    def bounded_display(self, value: Any) -> Any:
        budget = current_budget()
        if budget.deep_results:
            return budget.result(value)
        budget.spend(shallow_size(value))
        return value

    def compared(self, value: Any) -> Any:
        return current_budget().walked(value, characters=False)

    def metered(self, iterable: Iterable[Any]) -> Iterator[Any]:
        return metered(current_budget(), iterable)

    def spend(self, units: int) -> None:
        current_budget().spend(units)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """A call of a safe callable only, under the budget (Jinja's ``call``, mixed in before
        a sandbox class, whose ``call`` does the calling)."""
        if not __self.is_safe_callable(__obj):  # type: ignore[attr-defined]
            raise refuse_call(__obj)
        parent = super()
        return bounded_call(
            current_budget(),
            lambda: parent.call(__context, __obj, *args, **kwargs),  # type: ignore[attr-defined]
        )


def allowed_filters(
    filters: Mapping[str, Callable[..., Any]], names: Iterable[str]
) -> dict[str, Callable[..., Any]]:
    """The filters named in ``names`` (an allow-list), each bounded by the budget."""
    return {name: bounded_filter(name, filters[name]) for name in names if name in filters}
