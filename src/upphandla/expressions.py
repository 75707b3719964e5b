"""Conditions and derived values: Jinja2 expressions compiled and run in the immutable sandbox.

Library files may come from third parties, so expressions never see anything but plain data
(dict, list, str, int, float, bool, None), unknown names fail instead of turning into ``None``,
and the operators that can build huge values (``*`` and ``**``) are bounded.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment

from upphandla.limits import DEFAULT_LIMITS, Limits

_MAX_PRODUCT_LENGTH = 10_000
_MAX_POWER = 1_000
_BLOCKED_FILTERS = frozenset(["attr", "map", "select", "reject", "selectattr", "rejectattr"])


class ExpressionError(Exception):
    """An expression could not be compiled or evaluated; the message is plain English."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with bounds on ``*`` and ``**`` and no global helpers."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, _context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > _MAX_POWER:
                raise SecurityError("exponent too large")
            return left**right
        if isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
            size = len(left) if isinstance(left, str | list | tuple) else len(right)
            count = right if isinstance(left, str | list | tuple) else left
            if isinstance(count, int) and size * count > _MAX_PRODUCT_LENGTH:
                raise SecurityError("repetition too large")
        return operator.mul(left, right)


def make_environment() -> _Sandbox:
    """A fresh sandbox environment for conditions, with no global functions."""
    environment = _Sandbox(undefined=StrictUndefined, autoescape=False)
    environment.globals.clear()
    return environment


_ENVIRONMENT = make_environment()


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    """A compiled expression; call ``evaluate`` with the answers and derived values."""

    source: str
    names: frozenset[str]
    node: nodes.Expr
    _function: Callable[[Mapping[str, Any]], Any]

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """The value of the expression; raise ``ExpressionError`` on any failure."""
        try:
            result = self._function(context)
            if isinstance(result, Undefined):
                result._fail_with_undefined_error()
            return result
        except (UndefinedError, SecurityError) as error:
            raise ExpressionError(str(error)) from None
        except Exception as error:  # noqa: BLE001 - any runtime failure of a sandboxed expression
            raise ExpressionError(f"{type(error).__name__}: {error}") from None


def compile_expression(source: str, limits: Limits = DEFAULT_LIMITS) -> CompiledExpression:
    """Parse and compile ``source`` once; raise ``ExpressionError`` when it is not valid."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("the expression is empty")
    if len(source) > limits.max_expression_chars:
        raise ExpressionError(
            f"the expression is {len(source)} characters long; the limit is "
            f"{limits.max_expression_chars}"
        )
    try:
        parser = Parser(_ENVIRONMENT, source, state="variable")
        expression = parser.parse_expression()
        if not parser.stream.eos:
            token = parser.stream.current
            raise ExpressionError(f"unexpected '{token.value}' after the end of the expression")
    except TemplateSyntaxError as error:
        raise ExpressionError(error.message or str(error)) from None
    if _depth(expression) > limits.max_expression_depth:
        raise ExpressionError(
            f"the expression is nested deeper than {limits.max_expression_depth} levels"
        )
    _reject_private_access(expression)
    names = frozenset(
        name.name
        for name in (expression, *expression.find_all(nodes.Name))
        if isinstance(name, nodes.Name) and name.ctx == "load"
    )
    function = _compile_node(expression)
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


def _reject_private_access(expression: nodes.Expr) -> None:
    for node in (expression, *expression.find_all(nodes.Node)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            raise ExpressionError(f"access to '{node.attr}' is not allowed")
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and str(node.arg.value).startswith("_")
        ):
            raise ExpressionError(f"access to '{node.arg.value}' is not allowed")
        if isinstance(node, nodes.Filter) and node.name in _BLOCKED_FILTERS:
            raise ExpressionError(f"the filter '{node.name}' is not allowed in conditions")


def _depth(node: nodes.Node) -> int:
    children = list(node.iter_child_nodes())
    if not children:
        return 1
    return 1 + max(_depth(child) for child in children)


def compile_node(node: nodes.Expr, source: str = "") -> CompiledExpression:
    """Compile one already-parsed sub-expression, to evaluate parts of a condition on their own."""
    names = frozenset(
        name.name
        for name in (node, *node.find_all(nodes.Name))
        if isinstance(name, nodes.Name) and name.ctx == "load"
    )
    return CompiledExpression(source, names, node, _compile_node(node))
