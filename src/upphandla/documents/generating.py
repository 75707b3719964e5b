"""``upphandla generate``: from a selection to the files of a tender, all or nothing."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from upphandla import parallel
from upphandla.documents import form
from upphandla.errors import (
    Location,
    Problem,
    ProblemsError,
    ProhibitedPracticeError,
    Severity,
    os_reason,
)
from upphandla.files import write_all_atomic
from upphandla.interview.answers import render_answers_file
from upphandla.library.yamlsource import XML_INVALID
from upphandla.records import record
from upphandla.resources import BUNDLED_TEMPLATES, bundled_dir
from upphandla.selection.explain import NoteSink
from upphandla.selection.export import selection_to_json
from upphandla.selection.prohibited import refusal_message
from upphandla.selection.select import Selection
from upphandla.text import Language, Text, long_date

if TYPE_CHECKING:
    from upphandla.documents.blocks import Document
    from upphandla.documents.templating import TemplateSet
    from upphandla.documents.tender import DocumentKind

FORMATS = ("docx", "md", "json")
"""What ``follow-up`` writes (json is accepted and writes nothing more, as before)."""
GENERATE_FORMATS = ("docx", "md", "json", "xlsx")
"""What ``generate`` writes; xlsx is opt-in (``kravspecifikation.xlsx``)."""
DECLARE_FORMATS = ("docx", "md", "register")
"""What ``declare`` writes; register is opt-in (``algoritmeregister.json``)."""


@record
class GenerateOptions:
    """What to write, and from which templates and reference document."""

    out: Path
    language: Language = "sv"
    formats: tuple[str, ...] = ("docx", "json")
    reference_doc: Path | None = None
    templates: Path | None = None
    force: bool = False
    today: datetime.date | None = None
    protect: bool = False


def parse_formats(text: str, allowed: Sequence[str] = FORMATS) -> tuple[str, ...]:
    """``docx,md`` as a tuple; raise ``ValueError`` naming a format not in ``allowed``."""
    formats = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    unknown = [name for name in formats if name not in allowed]
    if unknown or not formats:
        raise ValueError(", ".join(unknown) or text)
    return formats


def default_out_folder(selection: Selection) -> Path:
    """A folder named after the procurement, such as ``ai-stod-for-handlaggning``."""
    title = str(selection.answers.get("procurement_title") or "upphandling")
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    return Path(slug or "upphandling")


def reference_document(options: GenerateOptions) -> Path:
    """The reference .docx: the one given, or the bundled one."""
    return options.reference_doc or bundled_dir(BUNDLED_TEMPLATES) / "reference.docx"


def plan_outputs(
    selection: Selection, options: GenerateOptions, on_notes: NoteSink | None = None
) -> dict[Path, bytes]:
    """Every output file and its bytes, built in memory; raise on any input problem."""
    from upphandla.documents.context import build_context

    if selection.risk_class == "prohibited":
        raise ProhibitedPracticeError(refusal_message(selection.answers))
    _reject_control_characters(selection)
    today = options.today or datetime.date.today()
    context = build_context(selection, options.language, today)
    large = len(selection.included) >= parallel.LARGE_FROM_REQUIREMENTS
    # With a large selection urval.json (written with indents by Python's slower JSON encoder)
    # is made by a copy of this process while the documents are built (``parallel``).
    selection_json = (
        parallel.start(
            lambda: selection_to_json(selection, options.language).encode("utf-8"),
            worth_it=large,
        )
        if "json" in options.formats
        else None
    )
    try:
        outputs = _tender_files(context, options, on_notes, large)
        outputs[options.out / "svar.yaml"] = render_answers_file(
            selection.library, selection.answers, complete=True, today=today
        ).encode("utf-8")
        if "xlsx" in options.formats:
            outputs[options.out / f"{XLSX_NAME}.xlsx"] = _render_workbook(
                selection, context, options
            )
        if selection_json is not None:
            outputs[options.out / "urval.json"] = selection_json.result()
    finally:
        if selection_json is not None:
            selection_json.abandon()  # a copy still working when something else failed
    return outputs


def _tender_files(
    context: dict[str, Any],
    options: GenerateOptions,
    on_notes: NoteSink | None,
    large: bool,
) -> dict[Path, bytes]:
    """The three documents in each format asked for, in the order of ``DOCUMENT_KINDS``.

    With a large selection the response form (the largest document) is built by a copy of
    this process (``parallel``) while this one builds the other two. When anything goes wrong
    on either side, all three are built again here, one after the other, so that every
    template error is reported together and in order, as always; warnings about the reference
    document are passed on only once the documents are built.
    """
    from upphandla.documents.tender import DOCUMENT_KINDS, render_kinds

    templates = template_set(options)

    def documents(kinds: tuple[DocumentKind, ...], notes: NoteSink | None) -> dict[Path, bytes]:
        built = render_kinds(kinds, context, options.language, templates)
        return render_outputs(built, options, notes)

    if not (large and parallel.can_fork()):
        return documents(DOCUMENT_KINDS, on_notes)
    here = tuple(kind for kind in DOCUMENT_KINDS if kind.name != form.RESPONSE_FORM)
    beside = tuple(kind for kind in DOCUMENT_KINDS if kind.name == form.RESPONSE_FORM)
    job = parallel.start(lambda: documents(beside, None), worth_it=True)
    notes: list[tuple[Sequence[Problem], Language]] = []

    def keep(problems: Sequence[Problem], language: Language) -> None:
        notes.append((problems, language))

    built: dict[Path, bytes] | None = None
    try:
        built = {**documents(here, keep), **job.result()}
    except ProblemsError:
        pass  # built again below, after the copy has been stopped
    finally:
        job.abandon()
    if built is None:
        return documents(DOCUMENT_KINDS, on_notes)
    if on_notes is not None:
        for problems, language in notes:
            on_notes(problems, language)
    order = [
        options.out / f"{kind.name}.{extension}"
        for extension in ("docx", "md")
        for kind in DOCUMENT_KINDS
    ]
    return {path: built[path] for path in order if path in built}


XLSX_NAME = "kravspecifikation"


def _render_workbook(
    selection: Selection, context: dict[str, Any], options: GenerateOptions
) -> bytes:
    """``kravspecifikation.xlsx``: the requirements as a workbook that is also a response form,
    from the documents' own template context (the same texts, built once)."""
    from upphandla.documents.xlsx_writer import CellTextError, render_xlsx

    try:
        return render_xlsx(selection, context, options.language)
    except CellTextError as error:
        raise ProblemsError(
            [
                Problem(
                    Text(
                        f"En text går inte att skriva i kalkylbladet ({error.where}): {error}",
                        f"A text cannot be written into the workbook ({error.where}): {error}",
                    ),
                    Location(options.out / f"{XLSX_NAME}.xlsx"),
                    hint=Text(
                        "Kontrollera texten i kravbiblioteket eller svaren och kör igen.",
                        "Check the text in the requirement library or the answers and run again.",
                    ),
                )
            ]
        ) from None


def render_outputs(
    documents: dict[str, Document],
    options: GenerateOptions,
    on_notes: NoteSink | None = None,
) -> dict[Path, bytes]:
    """Each document as .docx and/or .md bytes, keyed by output path.

    What the reference document carried that was left behind (see ``docx_package``) is told to
    ``on_notes`` as warnings.
    """
    outputs: dict[Path, bytes] = {}
    if "docx" in options.formats:
        from upphandla.documents.docx_writer import (
            ReferenceDocumentError,
            UnsafeTextError,
            open_reference,
            reference_missing_styles,
            render_docx,
        )

        path_of_reference = reference_document(options)
        try:
            _check_reference(path_of_reference, [])
            reference = open_reference(path_of_reference)
            _check_reference(path_of_reference, reference_missing_styles(reference))
            if reference.dropped and on_notes is not None:
                on_notes([_left_behind(path_of_reference, reference.dropped)], options.language)
            for name, document in documents.items():
                protect = options.protect and name == form.RESPONSE_FORM
                path = options.out / f"{name}.docx"
                try:
                    outputs[path] = render_docx(document, reference, protect=protect)
                except UnsafeTextError as error:
                    # Text from a template or a library that Word cannot store: named by the
                    # document it would have gone into, and the block within it.
                    raise ProblemsError([error.problem(Location(path))]) from None
        except ReferenceDocumentError as error:
            raise ProblemsError([_unusable_reference(path_of_reference, error)]) from None
    if "md" in options.formats:
        from upphandla.documents.markdown_writer import render_markdown

        for name, document in documents.items():
            outputs[options.out / f"{name}.md"] = render_markdown(document).encode("utf-8")
    return outputs


def plan_follow_up(
    selection: Selection,
    options: GenerateOptions,
    evaluation: dict[str, Any] | None = None,
    on_notes: NoteSink | None = None,
) -> dict[Path, bytes]:
    """``uppfoljningsplan.docx`` (and .md): the checks of the contract period."""
    from upphandla.documents.context import build_context
    from upphandla.documents.follow_up import follow_up_context
    from upphandla.documents.tender import FOLLOW_UP_PLAN, render_kinds

    if selection.risk_class == "prohibited":
        raise ProhibitedPracticeError(refusal_message(selection.answers))
    context = build_context(selection, options.language, options.today or datetime.date.today())
    context.update(follow_up_context(selection, options.language, evaluation, context))
    documents = render_kinds((FOLLOW_UP_PLAN,), context, options.language, template_set(options))
    return render_outputs(documents, options, on_notes)


def plan_declaration(
    selection: Selection,
    options: GenerateOptions,
    on_notes: NoteSink | None = None,
    follow_up_report: dict[str, Any] | None = None,
) -> dict[Path, bytes]:
    """``transparensdeklaration.docx`` and ``.md``: the public declaration, gaps marked; with
    ``register``, also ``algoritmeregister.json`` (docs/register.md)."""
    from upphandla.documents.context import build_context
    from upphandla.documents.tender import DECLARATION, render_kinds

    if selection.risk_class == "prohibited":
        raise ProhibitedPracticeError(refusal_message(selection.answers))
    context = build_context(selection, options.language, options.today or datetime.date.today())
    context["last_check"] = (
        last_check(follow_up_report, options.language) if follow_up_report else None
    )
    documents = render_kinds((DECLARATION,), context, options.language, template_set(options))
    outputs = render_outputs(documents, options, on_notes)
    if "register" in options.formats:
        from upphandla.documents.register import REGISTER_FILE, register_json

        outputs[options.out / REGISTER_FILE] = register_json(
            selection, context, options.language
        ).encode("utf-8")
    return outputs


def template_set(options: GenerateOptions) -> TemplateSet:
    """The templates to render with: the folder given first, then the bundled ones."""
    from upphandla.documents.templating import TemplateSet

    folders = [options.templates] if options.templates else []
    folders.append(bundled_dir(BUNDLED_TEMPLATES))
    return TemplateSet(folders, options.language)


def write_outputs(outputs: dict[Path, bytes], force: bool) -> list[Path]:
    """Write every file, all or nothing, after checking that none would be overwritten.

    A file that cannot be written raises ``WriteError`` naming it, and leaves every file as it was.
    """
    return write_all_atomic(outputs, force)


def _left_behind(reference: Path, dropped: Sequence[str]) -> Problem:
    """A warning that parts of the reference document were not copied into the documents."""
    listed = ", ".join(dropped[:12]) + (f" … (+{len(dropped) - 12})" if len(dropped) > 12 else "")
    return Problem(
        Text(
            f"Referensdokumentet innehåller delar som inte följer med till dokumenten: {listed}.",
            f"The reference document holds parts that are not copied into the documents: {listed}.",
        ),
        Location(reference),
        Severity.WARNING,
        hint=Text(
            "Länkar till andra filer eller webbadresser, makron, inbäddade objekt och egen XML "
            "skickas aldrig vidare till leverantörerna. Ta bort dem ur mallen för att slippa "
            "varningen.",
            "Links to other files or web addresses, macros, embedded objects and custom XML are "
            "never passed on to suppliers. Remove them from the template to silence this warning.",
        ),
    )


def _unusable_reference(reference: Path, error: Exception) -> Problem:
    """A reference document that is not a Word document one can build on: input, not a bug."""
    return Problem(
        Text(
            "Referensdokumentet går inte att använda som Word-mall.",
            "The reference document cannot be used as a Word template.",
        ),
        Location(reference),
        hint=Text(
            f"Spara dokumentet som .docx i Word eller LibreOffice, eller utgå från templates/reference.docx. ({error})",
            f"Save the document as .docx in Word or LibreOffice, or start from templates/reference.docx. ({error})",
        ),
    )


def _check_reference(reference: Path, missing: Sequence[str]) -> None:
    if not reference.is_file():
        raise ProblemsError(
            [
                Problem(
                    Text(
                        "Referensdokumentet finns inte.", "The reference document does not exist."
                    ),
                    Location(reference),
                )
            ]
        )
    if missing:
        raise ProblemsError(
            [
                Problem(
                    Text(
                        f"Referensdokumentet saknar formatmallen '{style}', som dokumenten behöver.",
                        f"The reference document lacks the style '{style}', which the documents need.",
                    ),
                    Location(reference),
                    hint=Text(
                        "Öppna dokumentet i Word, använd formatmallen en gång och spara, eller utgå från templates/reference.docx.",
                        "Open the document in Word, use the style once and save, or start from templates/reference.docx.",
                    ),
                )
                for style in missing
            ]
        )


def _reject_control_characters(selection: Selection) -> None:
    problems = []
    for key, value in selection.answers.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and (match := XML_INVALID.search(item)):
                code = f"U+{ord(match.group()):04X}"
                problems.append(
                    Problem(
                        Text(
                            f"Svaret på '{key}' innehåller ett styrtecken ({code}) som Word inte kan lagra.",
                            f"The answer to '{key}' contains a control character ({code}) that Word cannot store.",
                        ),
                        Location(Path("svar")),
                        hint=Text(
                            "Ta bort tecknet och kör igen.", "Remove the character and run again."
                        ),
                    )
                )
    if problems:
        raise ProblemsError(problems)


def last_check(report: dict[str, Any], language: Language) -> dict[str, Any]:
    """What the declaration says about the latest follow-up: the date of the latest result,
    the counts per outcome, and the titles of the checks that were not (fully) met."""
    items = [item for item in report.get("items", []) if isinstance(item, dict)]
    dates = sorted(
        str(item["date"])
        for item in items
        if isinstance(item.get("date"), str) and _iso_date(item["date"])
    )
    deviations = sorted(
        {
            str(item.get("title") or item.get("requirement"))
            for item in items
            if item.get("outcome") in ("not_met", "partly")
        }
    )
    found = report.get("counts")
    counts: dict[str, Any] = found if isinstance(found, dict) else {}
    report_date = str(report.get("report_date") or "")
    return {
        "date": long_date(datetime.date.fromisoformat(dates[-1]), language) if dates else None,
        "report_date": (
            long_date(datetime.date.fromisoformat(report_date), language)
            if _iso_date(report_date)
            else report_date
        ),
        "checked": sum(int(counts.get(key, 0)) for key in ("met", "partly", "not_met")),
        "met": int(counts.get("met", 0)),
        "partly": int(counts.get("partly", 0)),
        "not_met": int(counts.get("not_met", 0)),
        "unclear": int(counts.get("unclear", 0)),
        "deviations": deviations,
    }


def _iso_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_follow_up_report(data: Any) -> bool:
    """The shape ``last_check`` relies on: items as objects, counts as whole numbers."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return False
    counts = data.get("counts")
    return (
        isinstance(counts, dict)
        and all(type(value) is int and value >= 0 for value in counts.values())
        and all(isinstance(item, dict) for item in data["items"])
    )


def read_follow_up_report(path: Path, expected_form_id: str) -> dict[str, Any]:
    """``uppfoljningsrapport.json`` as data; raise ``ProblemsError`` naming the file when it is
    not a follow-up report of this procurement."""
    data = _read_json(path)
    if not _is_follow_up_report(data):
        raise ProblemsError(
            [
                Problem(
                    Text(
                        "Filen är ingen uppföljningsrapport från upphandla follow-up --record.",
                        "The file is not a follow-up report from upphandla follow-up --record.",
                    ),
                    Location(path),
                )
            ]
        )
    if data.get("form_id") != expected_form_id:
        raise ProblemsError(
            [
                Problem(
                    Text(
                        "Uppföljningsrapporten gäller en annan upphandling (formulärets id skiljer sig).",
                        "The follow-up report is about another procurement (the form id differs).",
                    ),
                    Location(path),
                )
            ]
        )
    report: dict[str, Any] = data
    return report


def read_evaluation(path: Path) -> dict[str, Any]:
    """``utvardering.json`` as data; raise ``ProblemsError`` naming the file when it is not one."""
    data = _read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("suppliers"), list):
        raise ProblemsError(
            [
                Problem(
                    Text(
                        "Filen är ingen utvärdering från upphandla evaluate (suppliers saknas).",
                        "The file is not an evaluation from upphandla evaluate (suppliers is missing).",
                    ),
                    Location(path),
                )
            ]
        )
    return data


def _read_json(path: Path) -> Any:
    """A JSON file as data; raise ``ProblemsError`` naming the file (and line) when it is not."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProblemsError(
            [
                Problem(
                    Text(
                        f"Filen går inte att läsa: {os_reason(error).sv}",
                        f"The file cannot be read: {os_reason(error).en}",
                    ),
                    Location(path),
                )
            ]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        raise ProblemsError(
            [
                Problem(
                    Text("Filen är inte giltig JSON.", "The file is not valid JSON."),
                    Location(path, line, column),
                )
            ]
        ) from None
    return data
