"""Conditions and derived values: Jinja2 expressions compiled and run in the immutable sandbox.

Library files may come from third parties, so expressions never see anything but plain data
(dict, list, str, int, float, bool, None), unknown names fail instead of turning into ``None``,
the operators that can build huge values (``*`` and ``**``) are bounded, and ``%`` or
``.format`` formatting of texts, and the filters and methods that can build huge values from
small ones, are refused.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from typing import Any, cast

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, nodes
from jinja2.compiler import Frame
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment

from upphandla.library.bounds import (
    BoundedEnvironmentMixin,
    BudgetError,
    MeteredCodeGenerator,
    allowed_filters,
    bounded_binop,
    bounded_concat,
    current_budget,
    evaluation_budget,
)
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.records import record

# Filters a condition may use (an allow-list): each is bounded by the evaluation's budget
# (``upphandla.library.bounds``). Filters that reach attributes or call things (``attr``,
# ``map``, ``select`` ...), whose arguments set the size of the result (``center``, ``indent``,
# ``batch`` ...) or that give text for people rather than a value (``tojson``, ``pprint``,
# ``random``) are not on it.
CONDITION_FILTERS = frozenset(
    [
        *("abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "int"),
        *("items", "last", "length", "list", "lower", "max", "min", "reverse", "round", "sort"),
        *("string", "title", "trim", "unique", "upper", "wordcount"),
    ]
)
# Methods that may be called (``name.upper()``): the others include ``center``, ``zfill``,
# ``format``, ``join``, ``replace`` and ``to_bytes``, which build huge values from small
# arguments.
_SAFE_METHODS = frozenset(
    [
        *("lower", "upper", "title", "capitalize", "casefold", "swapcase"),
        *("strip", "lstrip", "rstrip", "removeprefix", "removesuffix"),
        *("startswith", "endswith", "count", "find", "rfind", "index", "rindex"),
        *("split", "rsplit", "splitlines", "partition", "rpartition"),
        *("isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isnumeric", "isspace"),
        *("islower", "isupper", "istitle"),
        *("get", "keys", "values", "items", "bit_length", "is_integer"),
    ]
)
SAFE_METHODS = _SAFE_METHODS
"""The methods conditions and templates may call."""

# Token types that open and close brackets, and those that end an operand.
_OPENING = frozenset(["lparen", "lbracket", "lbrace"])
_CLOSING = frozenset(["rparen", "rbracket", "rbrace"])
_OPERAND_END = frozenset(["name", "integer", "float", "string", *_CLOSING])
_KEYWORDS = frozenset(["and", "or", "not", "in", "is", "if", "else"])
# Names that Jinja's templates bind themselves, whatever the answers say: ``self`` is a
# reference to the template. The fast interpreter would read the answer instead, so conditions
# may not use them at all (both ways then agree, and a question named ``self`` is not silently
# shadowed by the template).
_RESERVED_NAMES = frozenset(["self"])


class ExpressionError(Exception):
    """An expression could not be compiled or evaluated; the message is plain English."""


class ExpressionOverBudget(ExpressionError):
    """An evaluation went over its budget (``upphandla.library.bounds``)."""


class _CodeGenerator(MeteredCodeGenerator):
    """Jinja's code generator, writing numbers too large for a float as ``float('inf')``.

    Jinja writes a float constant as ``str(value)``, so ``1e400`` became the Python name ``inf``
    and failed with a NameError, where the fast interpreter gives infinity. Here the sandbox
    does not win: the NameError is a slip of the code generator, not a meaning of ``1e400``,
    and infinity is as harmless as any other float.
    """

    def visit_Const(self, node: nodes.Const, frame: Frame) -> None:
        value = node.as_const(frame.eval_ctx)
        if isinstance(value, float) and not math.isfinite(value):
            self.write(f"float({str(value)!r})")
        else:
            super().visit_Const(node, frame)


class _Sandbox(BoundedEnvironmentMixin, ImmutableSandboxedEnvironment):
    """The immutable sandbox under the evaluation's budget: arithmetic, ``~``, displays,
    comparisons, calls and filters are bounded (``upphandla.library.bounds``), texts are not
    formatted with ``%``, only simple methods may be called, and there are no global helpers."""

    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
    code_generator_class = _CodeGenerator

    def call_binop(self, _context: Any, operator_name: str, left: Any, right: Any) -> Any:
        return bounded_binop(current_budget(), operator_name, left, right)

    def is_safe_callable(self, obj: Any) -> bool:
        return getattr(obj, "__name__", None) in _SAFE_METHODS and super().is_safe_callable(obj)


def make_environment() -> _Sandbox:
    """A fresh sandbox environment for conditions, with no global functions.

    Jinja's optimiser is off: it folds constant parts of the tree in place, which changed the
    tree of a compiled expression (that ``selection.reasons`` walks) the first time the sandbox
    ran it, and folded values such as ``1e308 + 1e308`` into constants it cannot write.
    """
    environment = _Sandbox(undefined=StrictUndefined, autoescape=False, optimized=False)
    environment.globals.clear()
    environment.filters = allowed_filters(DEFAULT_FILTERS, CONDITION_FILTERS)
    return environment


_ENVIRONMENT = make_environment()


@record
class CompiledExpression:
    """A compiled expression; call ``evaluate`` with the answers and derived values."""

    source: str
    names: frozenset[str]
    node: nodes.Expr
    _function: Callable[[Mapping[str, Any]], Any]

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickled as its text, and compiled again when read (the library cache uses this)."""
        return compile_expression, (self.source,)

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """The value of the expression; raise ``ExpressionError`` on any failure.

        It runs under the budget of the evaluation it is part of (``evaluation_budget``), or
        under a budget of its own.
        """
        try:
            with evaluation_budget():
                result = self._function(context)
            if isinstance(result, Undefined):
                result._fail_with_undefined_error()
            if isinstance(result, list | tuple | dict):
                # ``[name]`` holds an undefined value rather than being one; it fails as well.
                undefined = _undefined_within(result)
                if undefined is not None:
                    undefined._fail_with_undefined_error()
            return result
        except BudgetError as error:
            raise ExpressionOverBudget(str(error)) from None
        except (UndefinedError, SecurityError) as error:
            raise ExpressionError(str(error)) from None
        except Exception as error:  # noqa: BLE001 - any runtime failure of a sandboxed expression
            raise ExpressionError(f"{type(error).__name__}: {error}") from None


def _undefined_within(value: list[Any] | tuple[Any, ...] | dict[Any, Any]) -> Undefined | None:
    """An undefined value inside the lists, tuples and dicts of ``value``, if there is one."""
    seen: set[int] = set()
    pending: list[Any] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Undefined):
            return item
        if isinstance(item, list | tuple | dict) and id(item) not in seen:
            seen.add(id(item))  # YAML anchors can make a list that contains itself
            pending.extend(item.values() if isinstance(item, dict) else item)
    return None


def compile_expression(source: str, limits: Limits = DEFAULT_LIMITS) -> CompiledExpression:
    """Parse and compile ``source``; raise ``ExpressionError`` when it is not valid.

    Compiled expressions are immutable, so the same text compiles once per process: libraries
    repeat conditions such as ``risk_class == 'high'`` many times.
    """
    key = (source, limits.max_expression_chars, limits.max_expression_depth)
    cached = _CACHE.get(key) if isinstance(source, str) else None
    if cached is not None:
        return cached
    compiled = _compile_expression(source, limits)
    if len(_CACHE) < _CACHE_SIZE:
        _CACHE[key] = compiled
    return compiled


_CACHE: dict[tuple[str, int, int], CompiledExpression] = {}
_CACHE_SIZE = 100_000


def _compile_expression(source: str, limits: Limits) -> CompiledExpression:
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("the expression is empty")
    if len(source) > limits.max_expression_chars:
        raise ExpressionError(
            f"the expression is {len(source)} characters long; the limit is "
            f"{limits.max_expression_chars}"
        )
    try:
        # Jinja's parser recurses for every bracket and prefix operator: measure them first.
        if _nested_deeper_than(source, limits.max_expression_depth):
            raise ExpressionError(
                f"the expression is nested deeper than {limits.max_expression_depth} levels"
            )
        parser = Parser(_ENVIRONMENT, source, state="variable")
        expression = parser.parse_expression()
        if not parser.stream.eos:
            token = parser.stream.current
            raise ExpressionError(f"unexpected '{token.value}' after the end of the expression")
    except TemplateSyntaxError as error:
        raise ExpressionError(error.message or str(error)) from None
    names, depth = _inspect(expression)
    if depth > limits.max_expression_depth:
        raise ExpressionError(
            f"the expression is nested deeper than {limits.max_expression_depth} levels"
        )
    function = interpret(expression) or _LazyJinja(expression)
    return CompiledExpression(source, names, expression, function)


def _compile_node(expression: nodes.Expr) -> Callable[[Mapping[str, Any]], Any]:
    body = nodes.Template(
        [nodes.Assign(nodes.Name("result", "store"), expression, lineno=1)], lineno=1
    )
    try:
        template = _ENVIRONMENT.from_string(body)
    except TemplateSyntaxError as error:
        raise ExpressionError(error.message or str(error)) from None

    def run(context: Mapping[str, Any]) -> Any:
        module_context = template.new_context(dict(context))
        for _ in template.root_render_func(module_context):
            pass
        return module_context.vars["result"]

    return run


def _nested_deeper_than(source: str, most: int) -> bool:
    """Whether brackets and prefix operators (``not``, ``-``, ``+``) nest more than ``most`` deep.

    Reading tokens does not recurse, so ``((((...))))`` a thousand levels deep is refused
    before Jinja's recursive parser runs out of stack on it. Each level needs a bracket or an
    operator, so most conditions have too few of them to need the tokens read at all.
    """
    if sum(source.count(mark) for mark in ("(", "[", "{", "-", "+", "not")) <= most:
        return False
    deepest = brackets = prefixes = 0
    operand_before = False
    for token in _ENVIRONMENT.lexer.tokenize(source, state="variable"):
        if token.type in _OPENING:
            brackets += 1
            prefixes = 0
        elif token.type in _CLOSING:
            brackets -= 1
        elif not operand_before and (
            token.type in ("sub", "add") or (token.type == "name" and token.value == "not")
        ):
            prefixes += 1
        else:
            prefixes = 0
        deepest = max(deepest, brackets + prefixes)
        operand_before = token.type in _OPERAND_END and not (
            token.type == "name" and token.value in _KEYWORDS
        )
    return deepest > most


def _inspect(expression: nodes.Expr) -> tuple[frozenset[str], int]:
    """One walk over the tree: the names it reads and its depth; each node must pass
    ``_check_node``."""
    names: set[str] = set()
    deepest = 0
    stack: list[tuple[nodes.Node, int]] = [(expression, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        _check_node(node, names)
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    return frozenset(names), deepest


def _check_node(node: nodes.Node, names: set[str]) -> None:
    """Add the name ``node`` reads to ``names``; reject reserved names, private attributes,
    blocked filters and unknown filters or tests. The one rule for parsed and stored trees."""
    if isinstance(node, nodes.Name):
        if node.ctx == "load":
            if node.name in _RESERVED_NAMES:
                raise ExpressionError(
                    f"the name '{node.name}' is reserved by Jinja and cannot be used in conditions"
                )
            names.add(node.name)
    elif isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        raise ExpressionError(f"access to '{node.attr}' is not allowed")
    elif (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and str(node.arg.value).startswith("_")
    ):
        raise ExpressionError(f"access to '{node.arg.value}' is not allowed")
    elif isinstance(node, nodes.Filter) and node.name not in _ENVIRONMENT.filters:
        if node.name in DEFAULT_FILTERS:
            raise ExpressionError(f"the filter '{node.name}' is not allowed in conditions")
        raise ExpressionError(f"there is no filter named '{node.name}'")
    elif isinstance(node, nodes.Test) and node.name not in _ENVIRONMENT.tests:
        raise ExpressionError(f"there is no test named '{node.name}'")


def compile_node(node: nodes.Expr, source: str = "") -> CompiledExpression:
    """Compile one already-parsed sub-expression, to evaluate parts of a condition on their own."""
    names = frozenset(
        name.name
        for name in (node, *node.find_all(nodes.Name))
        if isinstance(name, nodes.Name) and name.ctx == "load"
    )
    return CompiledExpression(source, names, node, interpret(node) or _LazyJinja(node))


# Jinja's expression nodes, by class name: what a stored tree may be rebuilt from.
_NODE_CLASSES: dict[str, type[nodes.Node]] = {
    name: value
    for name, value in vars(nodes).items()
    if isinstance(value, type)
    and issubclass(value, nodes.Expr | nodes.Helper)
    and value.__module__ == nodes.__name__
}


def expression_to_data(compiled: CompiledExpression) -> list[Any]:
    """The expression as plain JSON data (its text and parsed tree), for the library cache."""
    return [compiled.source, _node_to_data(compiled.node)]


def expression_from_data(data: Any) -> CompiledExpression:
    """Rebuild an expression stored by ``expression_to_data`` without parsing it again.

    Only Jinja's expression node classes are built, and each node is checked as it is built,
    by the rule a parsed tree passes (``_check_node``: names, private attributes, filters), so
    stored data can do no more than a condition.

    Raises:
        ExpressionError: The data is not a stored expression.
    """
    names: set[str] = set()
    try:
        source, tree = data
        node = _node_from_data(tree, names)
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        raise ExpressionError(f"not a stored expression ({error})") from None
    if not isinstance(source, str) or not isinstance(node, nodes.Expr):
        raise ExpressionError("not a stored expression")
    return CompiledExpression(source, frozenset(names), node, interpret(node) or _LazyJinja(node))


def _node_to_data(value: Any) -> Any:
    if isinstance(value, nodes.Node):
        return {
            "n": type(value).__name__,
            "f": [_node_to_data(getattr(value, name)) for name in value.fields],
        }
    if isinstance(value, list | tuple):
        return [_node_to_data(item) for item in value]
    return value


def _node_from_data(value: Any, names: set[str]) -> Any:
    if isinstance(value, dict):
        cls = _NODE_CLASSES[value["n"]]
        node = cls(*[_node_from_data(item, names) for item in value["f"]], lineno=1)
        _check_node(node, names)
        return node
    if isinstance(value, list):
        return [_node_from_data(item, names) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError(f"unexpected {type(value).__name__} in a stored expression")


class _LazyJinja:
    """Compiles an expression with Jinja in the sandbox the first time it is needed."""

    def __init__(self, node: nodes.Expr) -> None:
        self.node = node
        self.function: Callable[[Mapping[str, Any]], Any] | None = None

    def __call__(self, context: Mapping[str, Any]) -> Any:
        if self.function is None:
            self.function = _compile_node(self.node)
        return self.function(context)


# --------------------------------------------------------------------------- fast interpreter
#
# Compiling a Jinja expression costs most of a millisecond (code generation and Python's
# compile), which adds up to seconds for libraries with thousands of conditions. The common
# constructs are therefore evaluated directly from the parsed tree, on plain data only; any
# other construct (attribute access, calls, uncommon filters) goes to the Jinja sandbox.

Evaluator = Callable[[Mapping[str, Any]], Any]

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lteq": operator.le,
    "gt": operator.gt,
    "gteq": operator.ge,
    "in": lambda left, right: left in right,
    "notin": lambda left, right: left not in right,
}

_FILTERS: dict[str, Callable[[Any], Any]] = {
    "length": len,
    "count": len,
    "lower": lambda value: str(current_budget().walked(value)).lower(),
    "upper": lambda value: str(current_budget().walked(value)).upper(),
    "abs": abs,
    "list": list,
}


def interpret(node: nodes.Expr) -> Evaluator | None:
    """A function evaluating ``node`` over plain data, or None when the sandbox must do it."""
    builder = _BUILDERS.get(type(node))
    return builder(node) if builder is not None else None


def _name(node: nodes.Name) -> Evaluator:
    key = node.name
    undefined = _ENVIRONMENT.undefined

    def evaluate(context: Mapping[str, Any]) -> Any:
        # A missing name is Jinja's StrictUndefined, as in the sandbox: it fails when it is
        # used (compared, added, iterated, printed, returned), but ``gone is none`` is false and
        # ``gone in []`` too.
        try:
            return context[key]
        except KeyError:
            return undefined(name=key)

    return evaluate


def _const(node: nodes.Const) -> Evaluator:
    value = node.value
    return lambda _context: value


def _sequence(node: nodes.List | nodes.Tuple) -> Evaluator | None:
    items = [interpret(item) for item in node.items]
    if any(item is None for item in items):
        return None
    ready = [item for item in items if item is not None]
    if isinstance(node, nodes.Tuple):
        return lambda context: current_budget().result(tuple(item(context) for item in ready))
    return lambda context: current_budget().result([item(context) for item in ready])


def _and_or(node: nodes.And | nodes.Or) -> Evaluator | None:
    left, right = interpret(node.left), interpret(node.right)
    if left is None or right is None:
        return None
    if isinstance(node, nodes.And):
        return lambda context: left(context) and right(context)
    return lambda context: left(context) or right(context)


def _not(node: nodes.Not) -> Evaluator | None:
    inner = interpret(node.node)
    return None if inner is None else (lambda context: not inner(context))


def _compare(node: nodes.Compare) -> Evaluator | None:
    first = interpret(node.expr)
    steps = [(_COMPARE.get(operand.op), interpret(operand.expr)) for operand in node.ops]
    if first is None or any(op is None or value is None for op, value in steps):
        return None
    ready = [(op, value) for op, value in steps if op is not None and value is not None]

    def evaluate(context: Mapping[str, Any]) -> Any:
        budget = current_budget()
        left = budget.walked(first(context), characters=False)
        for op, value in ready:
            right = budget.walked(value(context), characters=False)
            if not op(left, right):
                return False
            left = right
        return True

    return evaluate


def _cond(node: nodes.CondExpr) -> Evaluator | None:
    if node.expr2 is None:
        return None
    test, then, otherwise = interpret(node.test), interpret(node.expr1), interpret(node.expr2)
    if test is None or then is None or otherwise is None:
        return None
    return lambda context: then(context) if test(context) else otherwise(context)


_BINARY_OPERATORS: dict[type, str] = {
    nodes.Add: "+",
    nodes.Sub: "-",
    nodes.Mul: "*",
    nodes.Div: "/",
    nodes.FloorDiv: "//",
    nodes.Mod: "%",
    nodes.Pow: "**",
}


def _binary(node: nodes.BinExpr) -> Evaluator | None:
    left, right = interpret(node.left), interpret(node.right)
    name = _BINARY_OPERATORS.get(type(node))
    if left is None or right is None or name is None:
        return None
    return lambda context: bounded_binop(current_budget(), name, left(context), right(context))


def _concat(node: nodes.Concat) -> Evaluator | None:
    parts = [interpret(part) for part in node.nodes]
    if any(part is None for part in parts):
        return None
    ready = [part for part in parts if part is not None]
    # Every part first, then the texts, as Jinja's ``str_join((a, b))`` does: in ``gone ~ (1 <
    # 'a')`` the comparison fails before the undefined name is turned into a text.
    return lambda context: bounded_concat(current_budget(), [part(context) for part in ready])


def _negative(node: nodes.Neg | nodes.Pos) -> Evaluator | None:
    inner = interpret(node.node)
    if inner is None:
        return None
    if isinstance(node, nodes.Neg):
        return lambda context: -inner(context)
    return lambda context: +inner(context)


def _filter(node: nodes.Filter) -> Evaluator | None:
    function = _FILTERS.get(node.name)
    if (
        function is None
        or node.node is None
        or node.args
        or node.kwargs
        or node.dyn_args
        or node.dyn_kwargs
    ):
        return None
    inner = interpret(node.node)
    if inner is None:
        return None
    return lambda context: current_budget().result(function(inner(context)))


# Jinja's own test functions, so both ways agree (``True is number`` is true).
_PLAIN_TESTS: dict[str, Callable[[Any], bool]] = {
    name: cast("Callable[[Any], bool]", _ENVIRONMENT.tests[name])
    for name in ("none", "number", "string", "boolean", "true", "false")
}


def _test(node: nodes.Test) -> Evaluator | None:
    if node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
        return None
    if node.name in ("defined", "undefined") and isinstance(node.node, nodes.Name):
        key, wanted = node.node.name, node.name == "defined"
        return lambda context: (key in context) is wanted
    check = _PLAIN_TESTS.get(node.name)
    inner = interpret(node.node)
    if check is None or inner is None:
        return None
    return lambda context: check(inner(context))


_BUILDERS: dict[type, Callable[[Any], Evaluator | None]] = {
    nodes.Name: _name,
    nodes.Const: _const,
    nodes.List: _sequence,
    nodes.Tuple: _sequence,
    nodes.And: _and_or,
    nodes.Or: _and_or,
    nodes.Not: _not,
    nodes.Compare: _compare,
    nodes.CondExpr: _cond,
    nodes.Add: _binary,
    nodes.Sub: _binary,
    nodes.Mul: _binary,
    nodes.Div: _binary,
    nodes.FloorDiv: _binary,
    nodes.Mod: _binary,
    nodes.Pow: _binary,
    nodes.Concat: _concat,
    nodes.Neg: _negative,
    nodes.Pos: _negative,
    nodes.Filter: _filter,
    nodes.Test: _test,
}
