"""One family of errors: every problem in the user's input is a located ``Problem``."""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path

from upphandla.limits import DEFAULT_LIMITS
from upphandla.records import record
from upphandla.text import Language, Text


class Severity(StrEnum):
    """How bad a problem is; warnings fail only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"

    def word(self, language: Language) -> str:
        """The word before a message: ``fel``/``varning`` in Swedish, ``error``/``warning``."""
        if language == "en":
            return self.value
        return "fel" if self is Severity.ERROR else "varning"


@record
class Location:
    """Where a problem is: a file and, when known, a 1-based line and column."""

    file: Path | None = None
    line: int | None = None
    column: int | None = None

    def render(self, language: Language = "sv") -> str:
        """``path:line:col`` with whatever parts are known: standard input when there is a line
        but no file; nothing when nothing is known (a name given on the command line)."""
        if self.file is None and self.line is None:
            return ""
        unnamed = "<standard in>" if language == "sv" else "<standard input>"
        parts = [printable(str(self.file)) if self.file is not None else unnamed]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@record
class Problem:
    """A single problem found in the user's input, with a message in both languages."""

    message: Text
    location: Location = Location()
    severity: Severity = Severity.ERROR
    hint: Text | None = None

    def render(self, language: Language = "sv") -> str:
        """One line ``path:line:col: error: message``, plus an indented hint line."""
        message = _short_quotes(_one_line(self.message.in_language(language)))
        where = self.location.render(language)
        line = f"{where + ': ' if where else ''}{self.severity.word(language)}: {message}"
        if self.hint:
            label = "tips" if language == "sv" else "hint"
            line += f"\n    {label}: {self.hint.in_language(language)}"
        return line

    @property
    def is_error(self) -> bool:
        """True for errors, false for warnings."""
        return self.severity is Severity.ERROR

    @property
    def count(self) -> int:
        """How many problems this line stands for (more than one for ``OmittedProblems``)."""
        return 1


_OS_REASONS = {
    errno.ENOENT: Text("filen eller mappen finns inte", "the file or folder does not exist"),
    errno.EACCES: Text("du har inte behörighet", "permission denied"),
    errno.EPERM: Text("du har inte behörighet", "permission denied"),
    errno.EISDIR: Text("det är en mapp, inte en fil", "it is a folder, not a file"),
    errno.ENOTDIR: Text("en del av sökvägen är ingen mapp", "part of the path is not a folder"),
    errno.ENOSPC: Text("disken är full", "the disk is full"),
}


def os_reason(error: OSError) -> Text:
    """Why a file could not be read or written, in plain words in both languages."""
    known = _OS_REASONS.get(error.errno or 0)
    if known is not None:
        return known
    reason = error.strerror or str(error)
    return Text(reason, reason)


# Line breaks and control characters, and the lone surrogates that stand for the bytes of a
# file name that is not UTF-8 (they cannot be printed on a UTF-8 terminal).
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


# A quoted piece of the input (``'…'`` in a message) longer than this is cut: a message never
# repeats a long stretch of a file, whatever the file is.
MAX_QUOTE = 80
_LONG_QUOTE = re.compile(rf"'([^'\n]{{{MAX_QUOTE + 1},}})'")


def _short_quotes(text: str) -> str:
    return _LONG_QUOTE.sub(lambda match: f"'{match.group(1)[: MAX_QUOTE - 1]}…'", text)


def printable(text: str) -> str:
    """``text`` with the lone surrogates of a non-UTF-8 file name written as ``\\udcff``."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _one_line(text: str) -> str:
    """``text`` with line breaks and control characters escaped: a value quoted from the input
    (a key such as ``"a\\nb"``) cannot break the one-line-per-problem format."""
    return _LINE_BREAKING.sub(
        lambda match: _ESCAPES.get(match.group(), f"\\u{ord(match.group()):04x}"), text
    )


def excerpt(value: object, limit: int = 60) -> str:
    """At most ``limit`` characters of ``value`` with control characters escaped, and ``…``
    when cut: what a message may quote of the input (never a file's lines in full)."""
    text = _one_line(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class UpphandlaError(Exception):
    """Base of every error the command line turns into a message and an exit code."""

    exit_code = 1


class InputError(UpphandlaError):
    """One mistake in one input (a file, a template's output, a text), raised by a reader or
    writer low in the pipeline that may not know the file's name.

    ``location`` holds what the raiser knows (a line, a path); a caller that knows more passes
    it to ``problem``, which gives the located ``Problem`` the command line prints.
    ``str(error)`` stays the raiser's English message, which tests and callers match.
    """

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.location = location if location is not None else Location()

    def bilingual(self) -> Text:
        """The message in both languages (subclasses with a Swedish wording override it)."""
        return Text(str(self), str(self))

    def problem(self, location: Location | None = None, hint: Text | None = None) -> Problem:
        """The error as a located problem; ``location`` (when given) replaces the raiser's."""
        return Problem(
            self.bilingual(), location if location is not None else self.location, hint=hint
        )


class ProblemsError(UpphandlaError):
    """Input had one or more problems; all of them are carried so all can be reported."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(problem.render("en") for problem in self.problems))


class ProhibitedPracticeError(UpphandlaError):
    """The answers describe a practice the AI Act prohibits; documents are refused on purpose."""

    exit_code = 3

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(message.en)


@record
class OmittedProblems(Problem):
    """The line that stands for ``count`` problems left out of a long list."""

    omitted: int = 0

    @property
    def count(self) -> int:
        """The problems left out."""
        return self.omitted

    def render(self, language: Language = "sv") -> str:
        """The message and hint without a location (the problems left out have many)."""
        return Problem.render(self, language).removeprefix(f"{self.location.render(language)}: ")


class ProblemList(list[Problem]):
    """A list of problems that keeps at most ``most`` errors and ``most`` warnings and counts
    the others, so that a file with a million mistakes gives a screenful and a count, not a
    million lines (and gigabytes of messages)."""

    def __init__(self, most: int | None = None) -> None:
        super().__init__()
        self.most = most if most is not None else DEFAULT_LIMITS.max_problems
        self.kept = {Severity.ERROR: 0, Severity.WARNING: 0}
        self.dropped = {Severity.ERROR: 0, Severity.WARNING: 0}

    def append(self, problem: Problem) -> None:
        if isinstance(problem, OmittedProblems):
            self.dropped[problem.severity] += problem.omitted
            return
        if self.kept[problem.severity] >= self.most:
            self.dropped[problem.severity] += 1
            return
        self.kept[problem.severity] += 1
        super().append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def full(self, severity: Severity = Severity.ERROR) -> bool:
        """Whether a problem of ``severity`` would only be counted (so need not be built)."""
        return self.kept[severity] >= self.most

    def omit(self, severity: Severity = Severity.ERROR) -> None:
        """Count one problem of ``severity`` without building it."""
        self.dropped[severity] += 1

    def capped(self) -> tuple[Problem, ...]:
        """The problems kept, then one line per severity counting those left out."""
        return (*self, *self.summary())

    def summary(self) -> list[Problem]:
        """``… and 449,800 more errors (not shown)`` for each severity with problems left out."""
        lines: list[Problem] = []
        for severity, count in self.dropped.items():
            if count:
                english = f"{count:,}"
                swedish = english.replace(",", "\u00a0")
                kind = (
                    ("fel", "errors") if severity is Severity.ERROR else ("varningar", "warnings")
                )
                lines.append(
                    OmittedProblems(
                        Text(
                            f"… och {swedish} {kind[0]} till, som inte visas (högst {self.most} "
                            "visas).",
                            f"… and {english} more {kind[1]}, not shown (at most {self.most} are "
                            "shown).",
                        ),
                        severity=severity,
                        hint=Text(
                            "Rätta de första felen och kör igen: ofta har många fel samma orsak.",
                            "Fix the first ones and run again: many problems often share a cause.",
                        ),
                        omitted=count,
                    )
                )
        return lines


def errors_only(problems: Sequence[Problem]) -> list[Problem]:
    """The problems that are errors."""
    return [problem for problem in problems if problem.is_error]


def raise_if_errors(problems: Sequence[Problem]) -> None:
    """Raise ``ProblemsError`` carrying every problem when any of them is an error."""
    if errors_only(problems):
        raise ProblemsError(problems)
