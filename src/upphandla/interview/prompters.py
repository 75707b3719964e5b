"""Terminal prompters: arrow-key prompts with questionary, a plain numbered fallback, and a
scripted prompter for tests. All speak Swedish by default and English on request."""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from upphandla.interview.flow import BACK, QuestionRequest
from upphandla.library.model import Question, QuestionType
from upphandla.library.values import coerce_value
from upphandla.text import Language, Text

_HELP = "__help__"
_BACK = "__back__"

WORDS = {
    "position": Text("Fråga {position} av cirka {total}", "Question {position} of about {total}"),
    "why": Text("? Varför frågar vi?", "? Why do we ask?"),
    "back": Text("← Gå tillbaka", "← Go back"),
    "yes": Text("Ja", "Yes"),
    "no": Text("Nej", "No"),
    "checkbox": Text(
        "(mellanslag väljer, Enter går vidare, inget val är också ett svar)",
        "(space selects, Enter continues, choosing nothing is also an answer)",
    ),
    "text_hint": Text(
        "Skriv ? för att se varför vi frågar, < för att gå tillbaka.",
        "Type ? to see why we ask, < to go back.",
    ),
    "plain_single": Text("Svara med en siffra", "Answer with a number"),
    "plain_multiple": Text(
        "Svara med siffror åtskilda av komma, eller 0 för inget",
        "Answer with numbers separated by commas, or 0 for none",
    ),
    "plain_bool": Text("Svara j (ja) eller n (nej)", "Answer y (yes) or n (no)"),
    "plain_extra": Text(
        "? visar varför vi frågar, < går tillbaka", "? shows why we ask, < goes back"
    ),
    "default": Text("Enter ger: {default}", "Enter gives: {default}"),
    "invalid": Text(
        "Det svaret går inte att använda: {message}", "That answer cannot be used: {message}"
    ),
    "optional": Text("(frivillig, Enter hoppar över)", "(optional, Enter skips)"),
}


def word(key: str, language: Language, **values: object) -> str:
    """A prompter word in ``language``."""
    return (
        WORDS[key].format(**values).in_language(language)
        if values
        else WORDS[key].in_language(language)
    )


def help_text(question: Question, language: Language, width: int = 88) -> str:
    """The 'why we ask' text, wrapped for a terminal."""
    text = question.help.in_language(language) or "-"
    return "\n".join(textwrap.wrap(text, width=width, initial_indent="  ", subsequent_indent="  "))


def default_display(question: Question, value: Any, language: Language) -> str:
    """How a default value is shown in a prompt."""
    if value is None or value == "":
        return ""
    if question.type is QuestionType.BOOL:
        return word("yes" if value else "no", language)
    if question.type is QuestionType.MULTIPLE and isinstance(value, list):
        labels = [
            choice.label.in_language(language)
            for choice in question.choices
            if choice.value in value
        ]
        return ", ".join(labels) or "-"
    if question.type is QuestionType.SINGLE:
        choice = question.choice(str(value))
        return choice.label.in_language(language) if choice else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class QuestionaryPrompter:
    """Arrow-key prompts with questionary; Ctrl-C is passed on as ``KeyboardInterrupt``."""

    def __init__(self, write: Callable[[str], None], **prompt_options: Any) -> None:
        self.write = write
        self.prompt_options = prompt_options

    def ask(self, request: QuestionRequest) -> Any:
        import questionary

        question, language = request.question, request.language
        self.write(
            f"\n{word('position', language, position=request.position, total=request.total)}"
            f" · {question.short_label.in_language(language)}"
        )
        while True:
            if question.type in (QuestionType.SINGLE, QuestionType.BOOL):
                answer = self._select(questionary, request)
            elif question.type is QuestionType.MULTIPLE:
                answer = self._checkbox(questionary, request)
            else:
                answer = self._text(questionary, request)
            if answer == _HELP:
                self.write(help_text(question, language))
                continue
            if answer == _BACK:
                return BACK
            return answer

    def _extras(self, questionary: Any, request: QuestionRequest) -> list[Any]:
        extras = [
            questionary.Separator(),
            questionary.Choice(word("why", request.language), value=_HELP),
        ]
        if request.can_go_back:
            extras.append(questionary.Choice(word("back", request.language), value=_BACK))
        return extras

    def _select(self, questionary: Any, request: QuestionRequest) -> Any:
        question, language = request.question, request.language
        options: list[tuple[str, Any]]
        if question.type is QuestionType.BOOL:
            options = [(word("yes", language), True), (word("no", language), False)]
        else:
            options = [
                (choice.label.in_language(language), choice.value) for choice in question.choices
            ]
        choices = [questionary.Choice(label, value=value) for label, value in options]
        default = next((choice for choice in choices if choice.value == request.default), None)
        return questionary.select(
            question.prompt.in_language(language),
            choices=[*choices, *self._extras(questionary, request)],
            default=default,
            instruction=" ",
            **self.prompt_options,
        ).unsafe_ask()

    def _checkbox(self, questionary: Any, request: QuestionRequest) -> Any:
        question, language = request.question, request.language
        chosen = request.default if isinstance(request.default, list) else []
        choices = [
            questionary.Choice(
                choice.label.in_language(language),
                value=choice.value,
                checked=choice.value in chosen,
            )
            for choice in question.choices
        ]
        answer = questionary.checkbox(
            question.prompt.in_language(language),
            choices=[*choices, *self._extras(questionary, request)],
            instruction=word("checkbox", language),
            **self.prompt_options,
        ).unsafe_ask()
        if _HELP in answer:
            return _HELP
        if _BACK in answer:
            return _BACK
        return answer

    def _text(self, questionary: Any, request: QuestionRequest) -> Any:
        question, language = request.question, request.language

        def validate(text: str) -> bool | str:
            if text.strip() in ("?", "<"):
                return True
            if not text.strip() and not question.required:
                return True
            if not text.strip():
                return word("invalid", language, message="—")
            message = coerce_value(question, text)[1]
            return True if message is None else message.in_language(language)

        self.write(f"  {word('text_hint', language)}")
        answer = questionary.text(
            question.prompt.in_language(language),
            default=default_display(question, request.default, language),
            validate=validate,
            multiline=False,
            **self.prompt_options,
        ).unsafe_ask()
        stripped = answer.strip()
        if stripped == "?":
            return _HELP
        if stripped == "<":
            return _BACK
        return stripped


class PlainPrompter:
    """A numbered, line-by-line prompter for plain terminals and screen readers."""

    def __init__(self, read: Callable[[str], str], write: Callable[[str], None]) -> None:
        self.read = read
        self.write = write

    def ask(self, request: QuestionRequest) -> Any:
        question, language = request.question, request.language
        self.write(
            f"\n{word('position', language, position=request.position, total=request.total)}"
            f" · {question.short_label.in_language(language)}"
        )
        self.write(question.prompt.in_language(language))
        options = self._options(question, language)
        for number, (label, _) in enumerate(options, start=1):
            self.write(f"  {number}) {label}")
        while True:
            line = self.read(self._instruction(request, bool(options))).strip()
            if line == "?":
                self.write(help_text(question, language))
                continue
            if line == "<" and request.can_go_back:
                return BACK
            if not line and request.default not in (None, ""):
                return request.default
            if not line and not question.required:
                return ""
            value = self._interpret(line, question, options)
            converted, message = coerce_value(question, value)
            if message is None and (line or question.type is QuestionType.MULTIPLE):
                return converted
            self.write(
                word(
                    "invalid", language, message=(message.in_language(language) if message else "—")
                )
            )

    def _options(self, question: Question, language: Language) -> list[tuple[str, Any]]:
        if question.type is QuestionType.BOOL:
            return [(word("yes", language), True), (word("no", language), False)]
        return [(choice.label.in_language(language), choice.value) for choice in question.choices]

    def _instruction(self, request: QuestionRequest, numbered: bool) -> str:
        question, language = request.question, request.language
        kind = {
            QuestionType.SINGLE: "plain_single",
            QuestionType.MULTIPLE: "plain_multiple",
            QuestionType.BOOL: "plain_single",
        }.get(question.type)
        parts = [word(kind, language)] if numbered and kind else []
        shown = default_display(question, request.default, language)
        if shown:
            parts.append(word("default", language, default=shown))
        elif not question.required:
            parts.append(word("optional", language))
        parts.append(word("plain_extra", language))
        return "[" + "; ".join(parts) + "] > "

    @staticmethod
    def _interpret(line: str, question: Question, options: list[tuple[str, Any]]) -> Any:
        if question.type is QuestionType.MULTIPLE:
            if line in ("0", "-"):
                return []
            picked = []
            for part in line.replace(" ", "").split(","):
                if part.isdigit() and 1 <= int(part) <= len(options):
                    picked.append(options[int(part) - 1][1])
                else:
                    picked.append(part)
            return picked
        if options and line.isdigit() and 1 <= int(line) <= len(options):
            return options[int(line) - 1][1]
        return line


class ScriptedPrompter:
    """Answers from a list, in order; for tests. ``BACK`` goes back; an exception is raised."""

    def __init__(self, replies: Sequence[Any]) -> None:
        self._replies: Iterator[Any] = iter(replies)
        self.asked: list[str] = []

    def ask(self, request: QuestionRequest) -> Any:
        self.asked.append(request.question.id)
        reply = next(self._replies, None)
        if reply is None:
            raise KeyboardInterrupt
        if isinstance(reply, BaseException):
            raise reply
        return reply
