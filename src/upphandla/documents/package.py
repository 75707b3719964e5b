"""The document commands as library calls: ``generate``, ``follow-up`` and ``declare``.

Each takes one request and returns a ``DocumentSet``: every file planned in memory, all or
nothing, and nothing on disk until ``DocumentSet.write()``. The steps they share (profile,
language, formats, date, an optional interview first, the selection) are ``prepare_documents``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from upphandla.documents.form import form_id
from upphandla.documents.generating import (
    DECLARE_FORMATS,
    FORMATS,
    GENERATE_FORMATS,
    GenerateOptions,
    default_out_folder,
    parse_formats,
    plan_declaration,
    plan_follow_up,
    plan_outputs,
    read_evaluation,
    read_follow_up_report,
    write_outputs,
)
from upphandla.errors import Problem, UpphandlaError
from upphandla.interview.profile import find_profile
from upphandla.interview.sources import AnswerSources
from upphandla.records import record
from upphandla.selection.explain import NoteSink, select_from_answers
from upphandla.selection.select import Selection
from upphandla.text import Language, Text, parse_language

if TYPE_CHECKING:
    # The interview's modules are imported only when a run starts with an interview.
    from upphandla.interview.session import InterviewRequest, InterviewResult

Interview: TypeAlias = "Callable[[InterviewRequest], InterviewResult]"
"""Asks for the answers when none are given (the terminal interview, for example)."""


class RequestError(UpphandlaError):
    """A value in a request that cannot be used; ``field`` names the request's field."""

    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


@record(kw_only=True)
class DocumentRequest:
    """What every document command needs.

    Attributes:
        answers: Where the answers come from.
        language: The documents' language; None takes the profile's, else ``default_language``.
        default_language: The language when neither the request nor the profile names one.
        out: The folder to write to; None names it after the procurement.
        formats: ``docx``, ``md``, ``json``, as names or a comma-separated string.
        reference_doc: A Word document with the organisation's styles (default: the profile's).
        templates: A folder of own templates (default: the profile's).
        profile: The organisation profile (default: ``upphandla.toml`` in the working folder).
        force: Overwrite files that exist.
        date: The date in the documents, or an ISO date string (default: today).
    """

    answers: AnswerSources = field(default_factory=AnswerSources)
    language: Language | None = None
    default_language: Language = "sv"
    out: Path | None = None
    formats: str | Sequence[str] = ("docx", "json")
    reference_doc: Path | None = None
    templates: Path | None = None
    profile: Path | None = None
    force: bool = False
    date: datetime.date | str | None = None

    allowed_formats: ClassVar[tuple[str, ...]] = FORMATS


@record(kw_only=True)
class GenerateRequest(DocumentRequest):
    """``generate``: the requirement appendix, the response form and the decision basis.

    ``formats`` may also name ``xlsx``: ``kravspecifikation.xlsx``, the requirements as a
    workbook that is also a response form (docs/spreadsheet.md).

    Attributes:
        protect: Protect the response form except its answer fields.
    """

    protect: bool = False

    allowed_formats: ClassVar[tuple[str, ...]] = GENERATE_FORMATS


@record(kw_only=True)
class FollowUpRequest(DocumentRequest):
    """``follow-up``: the follow-up plan of the contract period.

    Attributes:
        evaluation: ``utvardering.json`` from ``evaluate``: promised should-requirements are
            followed up too.
    """

    formats: str | Sequence[str] = ("docx",)
    evaluation: Path | None = None


@record(kw_only=True)
class DeclareRequest(DocumentRequest):
    """``declare``: a draft transparency declaration for the public.

    ``formats`` may also name ``register``: ``algoritmeregister.json``, the declaration as an
    entry of the Algoritmeregister publication standard (docs/register.md).
    """

    formats: str | Sequence[str] = ("docx", "md")
    follow_up_report: Path | None = None
    """``uppfoljningsrapport.json`` from ``follow-up --record``: the declaration then says when
    the system was last checked and what was found."""

    allowed_formats: ClassVar[tuple[str, ...]] = DECLARE_FORMATS


@record
class DocumentRun:
    """The selection and the output options a document command works from."""

    selection: Selection
    options: GenerateOptions
    notes: tuple[Problem, ...] = ()


@record
class DocumentSet:
    """Every file of one run, built in memory; nothing is on disk until ``write``."""

    selection: Selection
    options: GenerateOptions
    files: dict[Path, bytes]
    notes: tuple[Problem, ...] = ()

    def write(self) -> list[Path]:
        """Write every file atomically, after checking that none would be overwritten."""
        return write_outputs(self.files, self.options.force)


def prepare_documents(
    request: DocumentRequest,
    *,
    interview: Interview | None = None,
    on_notes: NoteSink | None = None,
) -> DocumentRun:
    """Profile, language, formats, date, the interview (when no answers are given and
    ``interview`` is), and the selection; raise on any problem in the input."""
    settings = find_profile(request.profile, Path.cwd())
    language = request.language or request.default_language
    if request.language is None and settings.language:
        language = _profile_language(settings.language)
    formats = _formats(request.formats, language, request.allowed_formats)
    today = _date(request.date, language)
    given = request.answers
    sources = replace(
        given,
        library_paths=(*given.library_paths, *settings.libraries),
        library_id=given.library_id or settings.library,
        base_answers=((("organisation", settings.organisation),) if settings.organisation else ())
        + given.base_answers,
    )
    if sources.answers_path is None and interview is not None:
        from upphandla.interview.session import InterviewRequest

        organisation = (f"organisation={settings.organisation}",) if settings.organisation else ()
        asked = interview(
            InterviewRequest(
                output=Path("svar.yaml"),
                set_answers=(*given.set_options, *organisation),
                use_defaults=given.use_defaults,
                library_paths=sources.library_paths,
                language=language,
            )
        )
        sources = replace(sources, answers_path=asked.output)
    selected = select_from_answers(sources, language, on_notes=on_notes)
    options = GenerateOptions(
        out=request.out or default_out_folder(selected.selection),
        language=language,
        formats=formats,
        reference_doc=request.reference_doc or settings.reference_doc,
        templates=request.templates or settings.templates,
        force=request.force,
        today=today,
    )
    return DocumentRun(selected.selection, options, selected.notes)


class _Notes:
    """Passes warnings on to the caller's sink and keeps them for the ``DocumentSet``."""

    def __init__(self, sink: NoteSink | None, earlier: Sequence[Problem]) -> None:
        self.sink = sink
        self.collected: tuple[Problem, ...] = tuple(earlier)

    def __call__(self, notes: Sequence[Problem], language: Language) -> None:
        self.collected += tuple(notes)
        if self.sink is not None:
            self.sink(notes, language)


def generate_documents(
    request: GenerateRequest,
    *,
    interview: Interview | None = None,
    on_notes: NoteSink | None = None,
) -> DocumentSet:
    """The tender's documents (and ``svar.yaml``, ``urval.json``), planned in memory."""
    run = prepare_documents(request, interview=interview, on_notes=on_notes)
    options = replace(run.options, protect=True) if request.protect else run.options
    notes = _Notes(on_notes, run.notes)
    files = plan_outputs(run.selection, options, notes)
    return DocumentSet(run.selection, options, files, notes.collected)


def generate_follow_up(
    request: FollowUpRequest,
    *,
    interview: Interview | None = None,
    on_notes: NoteSink | None = None,
) -> DocumentSet:
    """``uppfoljningsplan.docx`` (and ``.md``), planned in memory."""
    run = prepare_documents(request, interview=interview, on_notes=on_notes)
    evaluation: dict[str, Any] | None = (
        read_evaluation(request.evaluation) if request.evaluation else None
    )
    notes = _Notes(on_notes, run.notes)
    files = plan_follow_up(run.selection, run.options, evaluation, notes)
    return DocumentSet(run.selection, run.options, files, notes.collected)


def generate_declaration(
    request: DeclareRequest,
    *,
    interview: Interview | None = None,
    on_notes: NoteSink | None = None,
) -> DocumentSet:
    """``transparensdeklaration.docx`` and ``.md``, planned in memory."""
    run = prepare_documents(request, interview=interview, on_notes=on_notes)
    report = (
        read_follow_up_report(request.follow_up_report, form_id(run.selection))
        if request.follow_up_report
        else None
    )
    notes = _Notes(on_notes, run.notes)
    files = plan_declaration(run.selection, run.options, notes, report)
    return DocumentSet(run.selection, run.options, files, notes.collected)


def _profile_language(value: str) -> Language:
    try:
        return parse_language(value)
    except ValueError:
        raise RequestError(f"'{value}': välj sv eller en / choose sv or en", "language") from None


def _formats(
    value: str | Sequence[str], language: Language, allowed: Sequence[str] = FORMATS
) -> tuple[str, ...]:
    text = value if isinstance(value, str) else ",".join(value)
    try:
        return parse_formats(text, allowed)
    except ValueError as error:
        choices = ", ".join(allowed)
        message = Text(
            f"okänt format: {error}; välj {choices}",
            f"unknown format: {error}; choose {choices}",
        )
        raise RequestError(message.in_language(language), "formats") from None


def _date(value: datetime.date | str | None, language: Language) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        message = Text(
            f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD",
            f"'{value}' is not a date; write YYYY-MM-DD",
        )
        raise RequestError(message.in_language(language), "date") from None
