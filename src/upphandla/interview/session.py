"""``upphandla interview`` as a library call: resume, defaults, save after each answer.

A front end (the terminal, a test, a browser) builds an ``InterviewRequest``, opens the session,
shows its notes, lets a prompter ask, and finishes. Ctrl-C keeps every answer given so far.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from upphandla.errors import Location, Problem, ProblemsError
from upphandla.files import WriteError, write_text_atomic
from upphandla.interview.answers import render_answers_file, resolve_answers
from upphandla.interview.flow import Prompter, run_interview
from upphandla.interview.sources import AnswerSources, gather_answers, missing_answers_problem
from upphandla.library.model import Library
from upphandla.records import record
from upphandla.text import Language, Text

Save = Callable[[str], None]
"""Receives the text of the answers file each time it changes."""

ConfirmOverwrite = Callable[[Path], bool]
"""Asked whether to overwrite an answers file that changed on disk since the interview read it."""


@record
class InterviewRequest:
    """What to ask and where the answers are kept.

    Attributes:
        output: The answers file; when it exists (and ``answers`` is not given) the interview
            continues where it ended.
        answers: An answers file to start from; ``Path("-")`` with ``answers_raw``.
        answers_raw: The bytes of standard input when ``answers`` is ``-``.
        set_answers: ``ID=VALUE`` answers given directly.
        use_defaults: Take each question's default for what is not answered.
        review: Ask every question again, with earlier answers as defaults.
        library_paths: Folders to look for libraries in.
        language: The language of the questions.
    """

    output: Path = Path("svar.yaml")
    answers: Path | None = None
    answers_raw: bytes | None = None
    set_answers: tuple[str, ...] = ()
    use_defaults: bool = False
    review: bool = False
    library_paths: tuple[Path, ...] = ()
    language: Language = "sv"


@record
class InterviewResult:
    """A finished interview: the complete answers, saved in ``output``."""

    output: Path
    answers: dict[str, Any]


class InterviewInterrupted(KeyboardInterrupt):
    """Ctrl-C during the interview; the answers given so far are already saved."""

    def __init__(self, output: Path, answers: dict[str, Any]) -> None:
        self.output = output
        self.answers = answers
        super().__init__(str(output))


class AnswersFileChanged(ProblemsError):
    """The answers file changed on disk (edited by hand, another interview) since it was read;
    the interview stopped instead of overwriting it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            [
                Problem(
                    Text(
                        "Svarsfilen har ändrats på disken sedan intervjun läste den, så den "
                        "skrevs inte över. Svaren från den här körningen sparades inte.",
                        "The answers file changed on disk since the interview read it, so it was "
                        "not overwritten. The answers of this run were not saved.",
                    ),
                    Location(path),
                    hint=Text(
                        "Kör upphandla interview igen: intervjun fortsätter från filen som den är "
                        "nu.",
                        "Run upphandla interview again: it continues from the file as it is now.",
                    ),
                )
            ]
        )


def content_hash(path: Path) -> str | None:
    """The SHA-256 of the file's bytes, or None when there is no file to read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class InterviewSession:
    """One interview: the library, the answers so far, and how they are saved.

    Attributes:
        request: What was asked for.
        library: The library whose questions are asked.
        values: The answers so far; updated while the prompter asks.
        notes: Warnings to show before asking (a library that changed, for example).
        stale: Earlier answers that no longer fit the library; their questions are asked again.
        resumes: True when the interview continues in the answers file it saves to.
    """

    def __init__(
        self,
        request: InterviewRequest,
        library: Library,
        values: dict[str, Any],
        from_defaults: dict[str, Any],
        *,
        notes: tuple[Problem, ...] = (),
        stale: tuple[Problem, ...] = (),
        resumes: bool = False,
        save: Save | None = None,
        read_hash: str | None = None,
        confirm_overwrite: ConfirmOverwrite | None = None,
    ) -> None:
        self.request = request
        self.library = library
        self.values = values
        self.notes = notes
        self.stale = stale
        self.resumes = resumes
        self._from_defaults = from_defaults
        self._save_text = save or self._write
        # What the answers file held when it was read, then what this session last wrote: a
        # file that differs from it was changed by someone else and is not overwritten unasked.
        self._expected_hash = read_hash
        self._confirm_overwrite = confirm_overwrite
        self._interrupted = False

    def _write(self, text: str) -> None:
        """Write the answers file, unless it changed on disk since it was read (or written)."""
        output = self.request.output
        found = content_hash(output)
        if found is not None and found != self._expected_hash:
            confirm = None if self._interrupted else self._confirm_overwrite
            if confirm is None or not confirm(output):
                raise AnswersFileChanged(output)
        try:
            write_text_atomic(output, text)
        except OSError as error:
            raise WriteError(output, error) from None
        self._expected_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def is_complete(self) -> bool:
        """True when every question that needs an answer has one (optional ones may be empty)."""
        return not resolve_answers(self.library, self.values, use_defaults=False).missing

    def ask(self, prompter: Prompter) -> None:
        """Ask what is not answered (everything with ``review``), saving after each answer.

        Raises:
            InterviewInterrupted: The user pressed Ctrl-C; the answers so far are saved.
        """
        try:
            run_interview(
                self.library,
                self.values,
                prompter,
                language=self.request.language,
                review=self.request.review,
                save=self.save,
            )
        except KeyboardInterrupt:
            # Leaving with Ctrl-C is no moment for a question: a changed file is kept as it is.
            self._interrupted = True
            self.save(self.values)
            raise InterviewInterrupted(self.request.output, dict(self.values)) from None

    def finish(self) -> InterviewResult:
        """Save the complete answers; raise ``ProblemsError`` listing what is still missing."""
        resolved = resolve_answers(self.library, self.values, use_defaults=False)
        if resolved.missing:
            raise missing_answers_problem(self.library, resolved.missing)
        self.save(self.values, complete=True)
        return InterviewResult(self.request.output, resolved.values)

    def save(self, current: dict[str, Any], complete: bool = False) -> None:
        """Render ``current`` as an answers file and save it."""
        recorded = resolve_answers(self.library, current, use_defaults=False).values
        still = frozenset(
            key for key, value in self._from_defaults.items() if recorded.get(key, value) == value
        )
        self._save_text(
            render_answers_file(self.library, recorded, complete=complete, defaulted=still)
        )


def open_interview(
    request: InterviewRequest,
    save: Save | None = None,
    confirm_overwrite: ConfirmOverwrite | None = None,
) -> InterviewSession:
    """Load the library and the answers to start from; nothing is asked yet.

    ``save`` receives the answers file's text after each answer; by default it is written
    atomically to ``request.output``, unless the file changed on disk since it was read:
    then ``confirm_overwrite`` (a person at a terminal) is asked while the prompter asks, and
    otherwise ``AnswersFileChanged`` is raised.
    """
    output = request.output
    # Hashed before it is read: a change in between is then seen as a change (and asked about).
    read_hash = content_hash(output)
    start = (
        request.answers if request.answers is not None else (output if output.is_file() else None)
    )
    sources = AnswerSources(
        answers_path=start,
        answers_raw=request.answers_raw if start == Path("-") else None,
        set_options=request.set_answers,
        use_defaults=request.use_defaults,
        library_paths=request.library_paths,
    )
    gathered = gather_answers(sources, allow_stale=True)
    values = dict(gathered.given)
    if request.use_defaults:
        values.update({key: gathered.resolved.values[key] for key in gathered.resolved.defaulted})
    return InterviewSession(
        request,
        gathered.library,
        values,
        {key: values.get(key) for key in gathered.resolved.defaulted},
        notes=gathered.notes,
        stale=gathered.stale,
        resumes=start is not None and start == output and not request.review,
        save=save,
        read_hash=read_hash,
        confirm_overwrite=confirm_overwrite,
    )


def run_interview_session(
    request: InterviewRequest,
    prompter: Prompter | None,
    save: Save | None = None,
    confirm_overwrite: ConfirmOverwrite | None = None,
) -> InterviewResult:
    """The whole interview in one call: open, ask (unless ``prompter`` is None), finish.

    Without a prompter nothing is asked, so the given answers (with ``use_defaults``) must be
    complete. Ctrl-C raises ``InterviewInterrupted`` after saving.
    """
    session = open_interview(request, save, confirm_overwrite)
    if prompter is not None:
        session.ask(prompter)
    return session.finish()
