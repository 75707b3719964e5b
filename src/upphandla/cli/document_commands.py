"""``upphandla generate``, ``follow-up`` and ``declare``: build the request, call, report the files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from upphandla.cli.options import (
    AnswersOption,
    DateOption,
    DefaultsOption,
    DocumentLanguageOption,
    ForceOption,
    FormatsOption,
    LibraryPathOption,
    NewOutOption,
    OutOption,
    ProfileOption,
    ReferenceDocOption,
    SetOption,
    TemplatesOption,
    document_language,
    explicit_language,
)
from upphandla.cli.output import answer_sources, errors_reported, print_problems, report_written

if TYPE_CHECKING:
    from upphandla.documents.package import Interview


def generate(
    answers: AnswersOption = None,
    set_answers: SetOption = None,
    defaults: DefaultsOption = False,
    library: LibraryPathOption = None,
    lang: DocumentLanguageOption = None,
    out: NewOutOption = None,
    formats: FormatsOption = "docx,json",
    reference_doc: ReferenceDocOption = None,
    templates: TemplatesOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
    date: DateOption = None,
    protect: Annotated[
        bool,
        typer.Option(
            "--protect",
            help=(
                "Skrivskydda svarsbilagan utom svarsfälten (fungerar i Word; LibreOffice "
                "öppnar den skrivskyddad, se docs/response-form-protection.md)."
            ),
        ),
    ] = False,
) -> None:
    """Ta fram upphandlingsdokumenten: kravbilaga, svarsbilaga och beslutsunderlag i Word."""
    from upphandla.documents.package import GenerateRequest, generate_documents

    language = document_language(lang)
    with errors_reported(language):
        request = GenerateRequest(
            answers=answer_sources(answers, set_answers, defaults, library),
            language=explicit_language(lang),
            default_language=language,
            out=out,
            formats=formats,
            reference_doc=reference_doc,
            templates=templates,
            profile=profile,
            force=force,
            date=date,
            protect=protect,
        )
        documents = generate_documents(
            request, interview=interview_first(answers), on_notes=print_problems
        )
        report_written(documents.write(), documents.options.language)


def follow_up(
    answers: AnswersOption = None,
    set_answers: SetOption = None,
    defaults: DefaultsOption = False,
    evaluation: Annotated[
        Path | None,
        typer.Option(
            "--evaluation",
            help="utvardering.json från upphandla evaluate: lovade bör-krav följs också upp.",
            show_default=False,
        ),
    ] = None,
    records: Annotated[
        list[Path] | None,
        typer.Option(
            "--record",
            metavar="IFYLLD.docx",
            help=(
                "En ifylld uppföljningsplan att läsa in (till exempel en per år). Skriver "
                "uppföljningsrapporten i stället för planen. Kan upprepas."
            ),
            show_default=False,
        ),
    ] = None,
    library: LibraryPathOption = None,
    lang: DocumentLanguageOption = None,
    out: OutOption = None,
    formats: Annotated[
        str,
        typer.Option(
            "--format",
            help="docx och/eller md, kommaseparerat (med --record också json; standard docx,json).",
        ),
    ] = "docx",
    reference_doc: ReferenceDocOption = None,
    templates: TemplatesOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
    date: DateOption = None,
) -> None:
    """Skriv uppföljningsplanen: vad ni kontrollerar under avtalet, när, med vilket underlag och vem.

    Med --record läses ifyllda planer in och uppföljningsrapporten skrivs. Slutkod 0: allt
    lästes in och inget är oklart eller försenat. Slutkod 4: rapporten är skriven, men en plan
    kunde inte läsas in, eller en kontroll är oklar eller försenad.
    """
    from upphandla.documents.package import FollowUpRequest, generate_follow_up

    language = document_language(lang)
    if records:
        _follow_up_report(
            records,
            answers=answers,
            set_answers=set_answers,
            defaults=defaults,
            library=library,
            lang=lang,
            out=out,
            formats="docx,json" if formats == "docx" else formats,
            reference_doc=reference_doc,
            templates=templates,
            profile=profile,
            force=force,
            date=date,
            evaluation=evaluation,
        )
        return
    with errors_reported(language):
        request = FollowUpRequest(
            answers=answer_sources(answers, set_answers, defaults, library),
            language=explicit_language(lang),
            default_language=language,
            out=out,
            formats=formats,
            reference_doc=reference_doc,
            templates=templates,
            profile=profile,
            force=force,
            date=date,
            evaluation=evaluation,
        )
        documents = generate_follow_up(
            request, interview=interview_first(answers), on_notes=print_problems
        )
        report_written(documents.write(), documents.options.language)


def _follow_up_report(
    records: list[Path],
    *,
    answers: Path | None,
    set_answers: list[str] | None,
    defaults: bool,
    library: list[Path] | None,
    lang: str | None,
    out: Path | None,
    formats: str,
    reference_doc: Path | None,
    templates: Path | None,
    profile: Path | None,
    force: bool,
    date: str | None,
    evaluation: Path | None,
) -> None:
    """``follow-up --record``: read the filled-in plans and write the follow-up report."""
    from upphandla.evaluation.follow_up_record import (
        EXIT_TO_REVIEW,
        FollowUpReportRequest,
        exit_to_review,
        report_follow_up,
    )

    language = document_language(lang)
    with errors_reported(language):
        result = report_follow_up(
            FollowUpReportRequest(
                answers=answer_sources(answers, set_answers, defaults, library),
                records=tuple(records),
                language=explicit_language(lang),
                default_language=language,
                out=out,
                formats=formats,
                reference_doc=reference_doc,
                templates=templates,
                profile=profile,
                force=force,
                date=date,
                evaluation=evaluation,
            ),
            on_notes=print_problems,
        )
        written = result.write()
        shown = result.options.language
        print_problems(result.report.unread, shown)
        print_problems(result.report.notes, shown)
        report_written(written, shown)
    if not result.report.decided:
        typer.echo(exit_to_review().in_language(shown), err=True)
        raise typer.Exit(EXIT_TO_REVIEW)


def declare(
    answers: AnswersOption = None,
    set_answers: SetOption = None,
    defaults: DefaultsOption = False,
    library: LibraryPathOption = None,
    lang: DocumentLanguageOption = None,
    out: OutOption = None,
    formats: Annotated[
        str,
        typer.Option(
            "--format",
            help=(
                "docx, md och/eller register (algoritmeregister.json enligt Algoritmeregistrets "
                "publiceringsstandard 1.0), kommaseparerat."
            ),
        ),
    ] = "docx,md",
    follow_up_report: Annotated[
        Path | None,
        typer.Option(
            "--follow-up-report",
            help=(
                "uppfoljningsrapport.json från upphandla follow-up --record: deklarationen säger "
                "när systemet senast kontrollerades och vad som visade sig."
            ),
            show_default=False,
        ),
    ] = None,
    reference_doc: ReferenceDocOption = None,
    templates: TemplatesOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
    date: DateOption = None,
) -> None:
    """Skriv ett utkast till transparensdeklaration för allmänheten, med luckor att fylla i."""
    from upphandla.documents.package import DeclareRequest, generate_declaration

    language = document_language(lang)
    with errors_reported(language):
        request = DeclareRequest(
            answers=answer_sources(answers, set_answers, defaults, library),
            language=explicit_language(lang),
            default_language=language,
            out=out,
            formats=formats,
            follow_up_report=follow_up_report,
            reference_doc=reference_doc,
            templates=templates,
            profile=profile,
            force=force,
            date=date,
        )
        documents = generate_declaration(
            request, interview=interview_first(answers), on_notes=print_problems
        )
        report_written(documents.write(), documents.options.language)


def interview_first(answers: Path | None) -> Interview | None:
    """The terminal interview into svar.yaml, when no answers are given and a person is there."""
    from upphandla.cli import app
    from upphandla.cli.interview_command import interview_in_terminal

    if answers is not None or not app.is_interactive():
        return None
    return interview_in_terminal
