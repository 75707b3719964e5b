"""Plain-language reasons: why a condition holds or does not, in terms of the answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import nodes

from upphandla.library.expressions import CompiledExpression, ExpressionError, compile_node
from upphandla.library.model import Expression, Library, QuestionType
from upphandla.text import Text

_YES = Text("ja", "yes")
_NO = Text("nej", "no")
_NONE = Text("inget", "none")


class ReasonExplainer:
    """Explains conditions over one set of answers; caches compiled parts of conditions."""

    def __init__(self, library: Library, context: Mapping[str, Any]) -> None:
        self.library = library
        self.context = context
        self._parts: dict[int, CompiledExpression] = {}
        # The facts by condition text and outcome: many requirements share a condition, and
        # its facts depend on nothing else (the answers are fixed).
        self._explained: dict[tuple[str, bool], list[Text]] = {}

    def explain(self, expression: Expression, holds: bool) -> list[Text]:
        """The facts that make ``expression`` hold (or fail), without repeats."""
        key = (expression.source, holds)
        known = self._explained.get(key)
        if known is None:
            known = self._explained[key] = self._explain(expression, holds)
        return list(known)

    def _explain(self, expression: Expression, holds: bool) -> list[Text]:
        facts: list[Text] = []
        self._walk(expression.compiled.node, holds, facts)
        unique: list[Text] = []
        for fact in facts:
            if fact not in unique:
                unique.append(fact)
        return unique or [
            Text(f"villkoret {expression.source}", f"the condition {expression.source}")
        ]

    def _walk(self, node: nodes.Expr, holds: bool, facts: list[Text]) -> None:
        if isinstance(node, nodes.And | nodes.Or):
            parts = [node.left, node.right]
            values = [self._value(part) for part in parts]
            conjunction = isinstance(node, nodes.And)
            # Explain the parts that decided the outcome.
            if conjunction == holds:
                chosen = parts
            else:
                chosen = [
                    part for part, value in zip(parts, values, strict=True) if bool(value) == holds
                ]
            for part in chosen:
                self._walk(part, holds, facts)
            return
        if isinstance(node, nodes.Not):
            self._walk(node.node, not holds, facts)
            return
        facts.append(self._describe(node, holds))

    def _value(self, node: nodes.Expr) -> Any:
        compiled = self._parts.get(id(node))
        if compiled is None:
            compiled = compile_node(node)
            self._parts[id(node)] = compiled
        try:
            return compiled.evaluate(self.context)
        except ExpressionError:
            return False

    def _describe(self, node: nodes.Expr, holds: bool) -> Text:
        membership = _membership(node)
        if membership is not None:
            name, value, negated = membership
            question = self.library.question(name)
            if question is not None and question.type is QuestionType.MULTIPLE:
                choice = question.choice(value)
                label = choice.label if choice else Text(value, value)
                present = holds != negated
                if present:
                    return Text(
                        f"{question.short_label.sv}: {label.sv}",
                        f"{question.short_label.en}: {label.en}",
                    )
                return Text(
                    f"{question.short_label.sv}: inte {label.sv.lower()}",
                    f"{question.short_label.en}: not {label.en.lower()}",
                )
        names = sorted(
            {
                name.name
                for name in (node, *node.find_all(nodes.Name))
                if isinstance(name, nodes.Name)
            }
        )
        described = [self.describe_name(name) for name in names]
        if not described:
            return Text(
                "villkoret är uppfyllt" if holds else "villkoret är inte uppfyllt",
                "the condition holds" if holds else "the condition does not hold",
            )
        return Text(
            "; ".join(text.sv for text in described), "; ".join(text.en for text in described)
        )

    def describe_name(self, name: str) -> Text:
        """``Label: answer`` for a question or derived value."""
        value = self.context.get(name)
        question = self.library.question(name)
        if question is not None:
            return _label_value(question.short_label, self.answer_label(name, value))
        derived = self.library.derived_value(name)
        if derived is not None:
            if isinstance(value, bool):
                return _label_value(derived.label, _YES if value else _NO)
            return _label_value(derived.label, derived.value_label(value))
        return Text(f"{name}: {value}", f"{name}: {value}")

    def answer_label(self, question_id: str, value: Any) -> Text:
        """The human label of an answer: choice labels, ja/nej, or the text itself."""
        question = self.library.question(question_id)
        if question is None:
            return Text(str(value), str(value))
        if isinstance(value, bool):
            return _YES if value else _NO
        if isinstance(value, list):
            if not value:
                return _NONE
            labels = [self.answer_label(question_id, item) for item in value]
            return Text(
                ", ".join(label.sv for label in labels), ", ".join(label.en for label in labels)
            )
        if isinstance(value, str) and question.choices:
            choice = question.choice(value)
            if choice is not None:
                return choice.label
        if value is None or value == "":
            return Text("(inget svar)", "(no answer)")
        return Text(str(value), str(value))


def _label_value(label: Text, value: Text) -> Text:
    return Text(f"{label.sv}: {value.sv}", f"{label.en}: {value.en}")


def _membership(node: nodes.Expr) -> tuple[str, str, bool] | None:
    """``'x' in name`` or ``'x' not in name`` as (name, 'x', negated)."""
    if not isinstance(node, nodes.Compare) or len(node.ops) != 1:
        return None
    operand = node.ops[0]
    if operand.op not in ("in", "notin"):
        return None
    if (
        isinstance(node.expr, nodes.Const)
        and isinstance(operand.expr, nodes.Name)
        and isinstance(node.expr.value, str)
    ):
        return operand.expr.name, node.expr.value, operand.op == "notin"
    return None
