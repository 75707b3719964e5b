"""What an answer to a question is worth: converting given values, and the value of no answer."""

from __future__ import annotations

import datetime
from typing import Any

from upphandla.library.fields import did_you_mean
from upphandla.library.model import Question, QuestionType
from upphandla.text import Text

_TRUE_WORDS = {"true", "ja", "yes", "j", "y", "1"}
_FALSE_WORDS = {"false", "nej", "no", "n", "0"}


def coerce_value(question: Question, value: Any) -> tuple[Any, Text | None]:
    """Convert ``value`` to the type of ``question``; return the value or a message."""
    if not question.required and (value is None or value == ""):
        return empty_value(question), None
    converter = _CONVERTERS[question.type]
    return converter(question, value)


def _bool(_question: Question, value: Any) -> tuple[Any, Text | None]:
    if isinstance(value, bool):
        return value, None
    if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS:
        return True, None
    if isinstance(value, str) and value.strip().lower() in _FALSE_WORDS:
        return False, None
    return None, Text(
        f"'{value}' är inget ja/nej-svar (skriv ja eller nej).",
        f"'{value}' is not a yes/no answer (write yes or no).",
    )


def _single(question: Question, value: Any) -> tuple[Any, Text | None]:
    if isinstance(value, list):
        return None, Text(
            "Frågan tar ett enda val, inte en lista.",
            "The question takes a single choice, not a list.",
        )
    if not isinstance(value, str) or question.choice(value) is None:
        return None, _unknown_choice(question, value)
    return value, None


def _multiple(question: Question, value: Any) -> tuple[Any, Text | None]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        return None, Text(
            "Svaret ska vara en lista av val.", "The answer must be a list of choices."
        )
    result: list[str] = []
    for item in value:
        if not isinstance(item, str) or question.choice(item) is None:
            return None, _unknown_choice(question, item)
        if item not in result:
            result.append(item)
    order = [choice.value for choice in question.choices]
    return sorted(result, key=order.index), None


def _text(_question: Question, value: Any) -> tuple[Any, Text | None]:
    if isinstance(value, bool | list | dict):
        return None, Text("Svaret ska vara en text.", "The answer must be a text.")
    return ("" if value is None else str(value)).strip(), None


def _number(question: Question, value: Any) -> tuple[Any, Text | None]:
    number: float | int
    if isinstance(value, bool):
        return None, Text("Svaret ska vara ett tal.", "The answer must be a number.")
    if isinstance(value, int | float):
        number = value
    else:
        try:
            number = float(str(value).replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            return None, Text(f"'{value}' är inget tal.", f"'{value}' is not a number.")
        if number.is_integer():
            number = int(number)
    if question.minimum is not None and number < question.minimum:
        return None, Text(
            f"Talet ska vara minst {question.minimum:g}.",
            f"The number must be at least {question.minimum:g}.",
        )
    if question.maximum is not None and number > question.maximum:
        return None, Text(
            f"Talet får vara högst {question.maximum:g}.",
            f"The number must be at most {question.maximum:g}.",
        )
    return number, None


def _date(_question: Question, value: Any) -> tuple[Any, Text | None]:
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    try:
        return datetime.date.fromisoformat(str(value).strip()), None
    except ValueError:
        return None, Text(
            f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD.",
            f"'{value}' is not a date; write YYYY-MM-DD.",
        )


def _unknown_choice(question: Question, value: Any) -> Text:
    # Both the label (what the officer knows) and the value (what a file or --set needs).
    values = [choice.value for choice in question.choices]
    close = did_you_mean(str(value), values) if isinstance(value, str) else None
    if close is not None:
        label = question.choice(close)
        sv = f" ({label.label.sv})" if label else ""
        en = f" ({label.label.en})" if label else ""
        return Text(
            f"'{value}' är inget av valen. Menade du '{close}'{sv}?",
            f"'{value}' is not one of the choices. Did you mean '{close}'{en}?",
        )
    return Text(
        "'{value}' är inget av valen ({listed}).".format(
            value=value,
            listed=", ".join(f"{c.label.sv} ({c.value})" for c in question.choices),
        ),
        "'{value}' is not one of the choices ({listed}).".format(
            value=value,
            listed=", ".join(f"{c.label.en} ({c.value})" for c in question.choices),
        ),
    )


_CONVERTERS = {
    QuestionType.BOOL: _bool,
    QuestionType.SINGLE: _single,
    QuestionType.MULTIPLE: _multiple,
    QuestionType.TEXT: _text,
    QuestionType.NUMBER: _number,
    QuestionType.DATE: _date,
}


def fallback_value(question: Question) -> Any:
    """The value of an unanswered question in conditions: its default, or an empty value."""
    if question.default is not None:
        value, message = coerce_value(question, question.default)
        if message is None:
            return value
    return empty_value(question)


def empty_value(question: Question) -> Any:
    """The value of a question nobody answered: false, an empty list or text, or none."""
    if question.type is QuestionType.BOOL:
        return False
    if question.type is QuestionType.MULTIPLE:
        return []
    if question.type is QuestionType.TEXT:
        return ""
    return None
