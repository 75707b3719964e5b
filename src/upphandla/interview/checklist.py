"""A multiple-choice prompt whose help and back lines are actions, never answers one can tick.

questionary's ``checkbox`` treats every line alike: Enter anywhere submits the ticks, and Space
on "Varför frågar vi?" ticks it. Here the choices and the actions are apart. On a choice, Space
ticks and Enter submits the ticks; on an action, Space or Enter does what the action says; the
action's key (``?``, ``<``) does it from anywhere. The prompt is built from questionary's own
parts (``InquirerControl``, its layout and ``Question``), so it looks and behaves like the other
prompts. No text of its own: the caller passes every word in the interview's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from questionary.prompts.common import InquirerControl

from upphandla.records import record


@record
class Action:
    """A line that does something instead of being ticked: help or back."""

    label: str
    value: str
    key: str


def checklist(
    message: str,
    choices: Sequence[tuple[str, str]],
    *,
    checked: Sequence[str] = (),
    actions: Sequence[Action] = (),
    instruction: str = "",
    answered: Callable[[list[str]], str] = lambda values: ", ".join(values),
    qmark: str = "",
    **prompt_options: Any,
) -> Any:
    """A questionary ``Question`` that returns the ticked values (in choice order) or an action.

    Args:
        message: The question.
        choices: ``(label, value)`` for each choice one can tick.
        checked: The values ticked at the start.
        actions: Lines after the choices that act on Space or Enter, and on their key.
        instruction: Shown after the question while it is asked.
        answered: The answer in words, shown after the question once it is answered.
        qmark: The mark before the question.
        prompt_options: ``input`` and ``output`` (tests) and other prompt_toolkit options.
    """
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys
    from questionary import utils
    from questionary.prompts import common
    from questionary.prompts.common import Choice, Separator
    from questionary.question import Question
    from questionary.styles import merge_styles_default

    choice_values = [value for _, value in choices]
    action_of = {action.value: action for action in actions}
    items: list[Any] = [Choice(label, value=value) for label, value in choices]
    if actions:
        items.append(Separator())
        items.extend(Choice(action.label, value=action.value) for action in actions)

    control = _ChecklistControl(items, set(action_of), pointer="»")
    control.selected_options = [value for value in choice_values if value in checked]

    def ticked() -> list[str]:
        return [value for value in choice_values if value in control.selected_options]

    def prompt_tokens() -> list[tuple[str, str]]:
        tokens = [("class:qmark", qmark), ("class:question", f" {message} ")]
        if control.is_answered:
            tokens.append(("class:answer", answered(ticked())))
        elif instruction:
            tokens.append(("class:instruction", instruction))
        return tokens

    layout = common.create_inquirer_layout(control, prompt_tokens, **prompt_options)
    bindings = KeyBindings()

    def pointed() -> str:
        return str(control.get_pointed_at().value)

    def finish(event: Any, result: Any) -> None:
        control.is_answered = True
        event.app.exit(result=result)

    @bindings.add(Keys.ControlQ, eager=True)
    @bindings.add(Keys.ControlC, eager=True)
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @bindings.add(" ", eager=True)
    def _space(event: Any) -> None:
        value = pointed()
        if value in action_of:
            event.app.exit(result=value)
        elif value in control.selected_options:
            control.selected_options.remove(value)
        else:
            control.selected_options.append(value)

    @bindings.add(Keys.ControlM, eager=True)
    def _enter(event: Any) -> None:
        value = pointed()
        if value in action_of:
            event.app.exit(result=value)
        else:
            finish(event, ticked())

    @bindings.add("a", eager=True)
    def _all(_event: Any) -> None:
        everything = set(choice_values) <= set(control.selected_options)
        control.selected_options = [] if everything else list(choice_values)

    @bindings.add("i", eager=True)
    def _invert(_event: Any) -> None:
        control.selected_options = [v for v in choice_values if v not in control.selected_options]

    for action in actions:

        def _act(event: Any, value: str = action.value) -> None:
            event.app.exit(result=value)

        bindings.add(action.key, eager=True)(_act)

    def down(_event: Any) -> None:
        control.select_next()
        while not control.is_selection_valid():
            control.select_next()

    def up(_event: Any) -> None:
        control.select_previous()
        while not control.is_selection_valid():
            control.select_previous()

    for key in (Keys.Down, "j", Keys.ControlN):
        bindings.add(key, eager=True)(down)
    for key in (Keys.Up, "k", Keys.ControlP):
        bindings.add(key, eager=True)(up)

    @bindings.add(Keys.Any)
    def _other(_event: Any) -> None:
        """Other keys insert nothing."""

    return Question(
        Application(
            layout=layout,
            key_bindings=bindings,
            style=merge_styles_default([None]),
            **utils.used_kwargs(prompt_options, Application.__init__),
        )
    )


class _ChecklistControl(InquirerControl):
    """questionary's list control, with actions drawn without a tick box."""

    def __init__(self, items: list[Any], action_values: set[str], **options: Any) -> None:
        self.action_values = action_values
        super().__init__(items, **options)

    def _get_choice_tokens(self) -> list[tuple[str, str]]:
        from questionary.prompts.common import Separator

        tokens: list[tuple[str, str]] = []
        for index, choice in enumerate(self.filtered_choices):
            here = index == self.pointed_at
            if here:
                tokens.append(("class:pointer", f" {self.pointer} "))
                tokens.append(("[SetCursorPosition]", ""))
            else:
                tokens.append(("class:text", " " * (2 + len(self.pointer or " "))))
            if isinstance(choice, Separator):
                tokens.append(("class:separator", str(choice.title)))
            elif choice.value in self.action_values:
                tokens.append(("class:highlighted" if here else "class:text", str(choice.title)))
            else:
                ticked = choice.value in self.selected_options
                tokens.append(
                    ("class:selected" if ticked else "class:text", "● " if ticked else "○ ")
                )
                style = (
                    "class:selected" if ticked else ("class:highlighted" if here else "class:text")
                )
                tokens.append((style, str(choice.title)))
            tokens.append(("", "\n"))
        if tokens:
            tokens.pop()
        return tokens
