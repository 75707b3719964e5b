"""Everything the command line says itself, in Swedish and English: one name per message.

Each constant or constructor is a ``Text`` named for what it says; a command prints it with
``.in_language(language)``. The few messages shown before the language is known (a bad
``--lang``, an interruption, an unexpected error) are printed in both languages at once with
``in_both_languages``. Messages from the library (problems, evaluation notes) come with the
library's own ``Text`` values and are not repeated here.
"""

from __future__ import annotations

from pathlib import Path

from upphandla.errors import printable
from upphandla.text import Text


def in_both_languages(text: Text) -> str:
    """``svenska / English``: for messages printed before the language is known."""
    return f"{text.sv} / {text.en}"


# ---------------------------------------------------------------------------------------------
# Every command


def shown(path: Path) -> str:
    """A path as it can be printed (a file name that is not UTF-8 gets ``\\udcff`` escapes)."""
    return printable(str(path))


def wrote(path: Path) -> Text:
    """One file that a command wrote."""
    return Text(f"skrev {shown(path)}", f"wrote {shown(path)}")


def stopped_with_errors(count: int, writes: bool = True) -> Text:
    """The summary after the problems that stopped a command (that writes files, or not)."""
    if not writes:
        return Text(f"Avbröt: {count} fel.", f"Stopped: {count} errors.")
    return Text(
        f"Avbröt: {count} fel. Inget skrevs.", f"Stopped: {count} errors. Nothing was written."
    )


CHOOSE_SV_OR_EN = Text("välj sv eller en", "choose sv or en")
"""A ``--lang`` (or UPPHANDLA_LANG) that is neither language; shown in both languages."""

INTERRUPTED = Text("Avbrutet.", "Interrupted.")
"""Ctrl-C outside the interview; shown in both languages."""

UNEXPECTED_ERROR = Text(
    "Ett oväntat fel inträffade i upphandla. Kör igen med UPPHANDLA_DEBUG=1 och rapportera felet.",
    "An unexpected error occurred; run again with UPPHANDLA_DEBUG=1 and report it.",
)
"""A bug in upphandla (exit 70); shown in both languages."""


# ---------------------------------------------------------------------------------------------
# upphandla interview


def continuing_with_answers(output: Path) -> Text:
    """The interview resumes in an answers file that exists."""
    return Text(
        f"Fortsätter med svaren i {shown(output)}.",
        f"Continuing with the answers in {shown(output)}.",
    )


def answers_file_changed(output: Path) -> Text:
    """The answers file changed on disk while the interview ran: overwrite it? (a question)"""
    return Text(
        f"{shown(output)} har ändrats på disken sedan intervjun läste den (av dig i en redigerare, "
        "eller av en annan körning). Skriva över den med intervjuns svar?",
        f"{shown(output)} changed on disk since the interview read it (in an editor, or by another "
        "run). Overwrite it with the interview's answers?",
    )


def already_complete(output: Path) -> Text:
    """The interview resumes in an answers file where every question is answered."""
    return Text(
        f"Alla frågor i {output} är redan besvarade. Kör upphandla interview --review för att "
        "gå igenom och ändra svaren.",
        f"Every question in {output} is already answered. Run upphandla interview --review to "
        "go through and change the answers.",
    )


def web_address(url: str) -> Text:
    """``interview --web``: where the interview is served (the browser may not open by itself)."""
    return Text(
        f"Intervjun finns på {url}\nÖppnas ingen webbläsare, klistra in adressen i en. "
        "Avsluta på sidan eller med Ctrl-C här.",
        f"The interview is at {url}\nIf no browser opens, paste the address into one. "
        "Finish on the page or with Ctrl-C here.",
    )


def interrupted_answers_saved(output: Path) -> Text:
    """Ctrl-C during the interview: the answers so far are kept (starts on a new line)."""
    return Text(
        f"\nAvbrutet. Dina svar är sparade i {shown(output)}. Kör samma kommando igen för att fortsätta.",
        f"\nInterrupted. Your answers are saved in {shown(output)}. Run the same command again to continue.",
    )


def answers_saved(output: Path) -> Text:
    """The interview is finished and saved."""
    return Text(
        f"Svaren är sparade i {shown(output)}.", f"The answers are saved in {shown(output)}."
    )


def next_step_explain(output: Path) -> Text:
    """What to run after the interview (in English with ``--lang en``)."""
    return Text(
        f"Nästa steg: upphandla explain --answers {shown(output)}",
        f"Next step: upphandla explain --answers {shown(output)} --lang en",
    )


# ---------------------------------------------------------------------------------------------
# upphandla explain and evaluate


CHOOSE_TEXT_OR_JSON = Text("välj text eller json", "choose text or json")
"""A ``--format`` of explain that is neither ``text`` nor ``json``."""


# ---------------------------------------------------------------------------------------------
# upphandla library


def library_checked(name: str, errors: int, warnings: int) -> Text:
    """``library check``: the problems found in one library."""
    return Text(
        f"{name}: {errors} fel, {warnings} varningar",
        f"{name}: {errors} errors, {warnings} warnings",
    )


def library_size(questions: int, requirements: int) -> Text:
    """``library check``: how much a library that loaded holds (follows ``library_checked``)."""
    return Text(
        f" ({questions} frågor, {requirements} krav)",
        f" ({questions} questions, {requirements} requirements)",
    )


NO_LIBRARIES_FOUND = Text("Inga bibliotek hittades.", "No libraries found.")
"""``library list`` found nothing."""

BUNDLED = Text("medföljer", "bundled")
"""``library list``: where a library comes from when it ships with upphandla."""


def created(path: Path) -> Text:
    """``library init``: one file of the new library."""
    return Text(f"skapade {shown(path)}", f"created {shown(path)}")


def check_the_library_with(folder: Path) -> Text:
    """``library init``: the command to run next."""
    return Text(
        f"Kontrollera biblioteket med: upphandla library check {folder}",
        f"Check the library with: upphandla library check {folder}",
    )
