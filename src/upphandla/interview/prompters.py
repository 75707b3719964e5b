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
    "position": Text(
        "Fråga {position} av {total} än så länge", "Question {position} of {total} so far"
    ),
    "why": Text("Varför frågar vi? (tangent ?)", "Why do we ask? (key ?)"),
    "back": Text("← Gå tillbaka (tangent <)", "← Go back (key <)"),
    "yes": Text("Ja", "Yes"),
    "no": Text("Nej", "No"),
    "checkbox": Text(
        "(mellanslag kryssar i, Enter sparar kryssen, ? visar varför vi frågar, < går tillbaka)",
        "(space ticks, Enter saves the ticks, ? shows why we ask, < goes back)",
    ),
    "select": Text(
        "(piltangenter väljer, Enter sparar, ? visar varför vi frågar, < går tillbaka)",
        "(arrow keys choose, Enter saves, ? shows why we ask, < goes back)",
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
    "plain_numbers": Text(
        "Svara med en siffra från 1 till {count}.", "Answer with a number from 1 to {count}."
    ),
    "plain_list": Text(
        "Svara med siffror från 1 till {count}, åtskilda av komma, eller 0 för inget.",
        "Answer with numbers from 1 to {count}, separated by commas, or 0 for none.",
    ),
    "default": Text("Enter ger: {default}", "Enter gives: {default}"),
    "invalid": Text(
        "Det svaret går inte att använda: {message}", "That answer cannot be used: {message}"
    ),
    "optional": Text("(frivillig, Enter hoppar över)", "(optional, Enter skips)"),
    "nothing": Text("inget av alternativen", "none of the options"),
    "your_answer": Text("Ditt svar: {answer}", "Your answer: {answer}"),
    "confirm": Text("Stämmer det?", "Is that right?"),
    "confirm_yes": Text("Ja, spara svaret", "Yes, save the answer"),
    "confirm_no": Text("Nej, jag vill ändra", "No, let me change it"),
    "plain_confirm": Text(
        "Stämmer det? Svara j (ja) eller n (nej) > ", "Is that right? Answer y (yes) or n (no) > "
    ),
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


NONE_VALUES = frozenset({"none"})
"""Choice values that mean "none of these": a multiple answer with one is confirmed."""


def answer_in_words(question: Question, value: Any, language: Language) -> str:
    """A multiple-choice answer as its labels, or "none of the options"."""
    if isinstance(value, list) and not value:
        return word("nothing", language)
    return default_display(question, value, language)


def needs_confirmation(question: Question, value: Any) -> bool:
    """Whether an answer is one a slip of the finger could give: an empty or "none" multiple."""
    if question.type is not QuestionType.MULTIPLE or not isinstance(value, list):
        return False
    return not value or any(item in NONE_VALUES for item in value)


class QuestionaryPrompter:
    """Arrow-key prompts with questionary; Ctrl-C is passed on as ``KeyboardInterrupt``.

    Help and back are actions: in a list, Enter (or Space) on them does what they say, and the
    keys ``?`` and ``<`` do it from anywhere; neither can be ticked. A multiple-choice answer is
    shown in words, and one that is empty or says "none" is confirmed before it is saved.
    """

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
        default = request.default
        while True:
            if question.type in (QuestionType.SINGLE, QuestionType.BOOL):
                answer = self._select(questionary, request, default)
            elif question.type is QuestionType.MULTIPLE:
                answer = self._checkbox(request, default)
            else:
                answer = self._text(questionary, request)
            if answer == _HELP:
                self.write(help_text(question, language))
                continue
            if answer == _BACK:
                if request.can_go_back:
                    return BACK
                continue
            if needs_confirmation(question, answer) and not self._confirmed(
                questionary, request, answer
            ):
                default = answer
                continue
            return answer

    def _actions(self, request: QuestionRequest) -> list[tuple[str, str, str]]:
        """``(label, value, key)`` of help and, after the first question, back."""
        actions = [(word("why", request.language), _HELP, "?")]
        if request.can_go_back:
            actions.append((word("back", request.language), _BACK, "<"))
        return actions

    def _select(self, questionary: Any, request: QuestionRequest, default_value: Any) -> Any:
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        question, language = request.question, request.language
        options: list[tuple[str, Any]]
        if question.type is QuestionType.BOOL:
            options = [(word("yes", language), True), (word("no", language), False)]
        else:
            options = [
                (choice.label.in_language(language), choice.value) for choice in question.choices
            ]
        choices = [questionary.Choice(label, value=value) for label, value in options]
        actions = self._actions(request)
        extras = [questionary.Separator()] + [
            questionary.Choice(label, value=value) for label, value, _ in actions
        ]
        default = next((choice for choice in choices if choice.value == default_value), None)
        prompt = questionary.select(
            question.prompt.in_language(language),
            choices=[*choices, *extras],
            default=default,
            qmark="",
            instruction=word("select", language),
            **self.prompt_options,
        )
        keys = KeyBindings()
        for _, value, key in actions:

            def act(event: Any, value: str = value) -> None:
                event.app.exit(result=value)

            keys.add(key, eager=True)(act)
        application = prompt.application
        application.key_bindings = merge_key_bindings([application.key_bindings, keys])
        return prompt.unsafe_ask()

    def _checkbox(self, request: QuestionRequest, default_value: Any) -> Any:
        from upphandla.interview.checklist import Action, checklist

        question, language = request.question, request.language
        chosen = default_value if isinstance(default_value, list) else []
        return checklist(
            question.prompt.in_language(language),
            [(choice.label.in_language(language), choice.value) for choice in question.choices],
            checked=chosen,
            actions=[Action(label, value, key) for label, value, key in self._actions(request)],
            instruction=word("checkbox", language),
            answered=lambda values: answer_in_words(question, values, language),
            **self.prompt_options,
        ).unsafe_ask()

    def _confirmed(self, questionary: Any, request: QuestionRequest, answer: Any) -> bool:
        language = request.language
        shown = answer_in_words(request.question, answer, language)
        reply = questionary.select(
            f"{word('your_answer', language, answer=shown)}. {word('confirm', language)}",
            choices=[
                questionary.Choice(word("confirm_yes", language), value=True),
                questionary.Choice(word("confirm_no", language), value=False),
            ],
            qmark="",
            instruction=" ",
            **self.prompt_options,
        ).unsafe_ask()
        return bool(reply)

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
            qmark="",
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
                if needs_confirmation(question, request.default) and not self._confirmed(
                    request, request.default
                ):
                    continue
                return request.default
            if not line and not question.required:
                return ""
            value = self._interpret(line, question, options)
            converted, message = coerce_value(question, value)
            if message is None and (line or question.type is QuestionType.MULTIPLE):
                if needs_confirmation(question, converted) and not self._confirmed(
                    request, converted
                ):
                    continue
                return converted
            if options:  # the numbers, not the values a file would hold
                key = "plain_list" if question.type is QuestionType.MULTIPLE else "plain_numbers"
                message = WORDS[key].format(count=len(options))
            self.write(
                word(
                    "invalid", language, message=(message.in_language(language) if message else "—")
                )
            )

    def _confirmed(self, request: QuestionRequest, answer: Any) -> bool:
        """Echo the answer in words and ask whether it is right (j/n, y/n)."""
        language = request.language
        self.write(
            word(
                "your_answer", language, answer=answer_in_words(request.question, answer, language)
            )
        )
        while True:
            reply = self.read(word("plain_confirm", language)).strip().lower()
            if reply in ("j", "ja", "y", "yes"):
                return True
            if reply in ("n", "nej", "no"):
                return False

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
