"""Reading filled-in follow-up plans back: ``follow-up --record``, the follow-up report.

A follow-up plan (``uppfoljningsplan.docx``) has four result fields per check, tagged
``<id>.<moment>.result|date|by|note`` (``form.check_tag``). They are read with the response
form's reader (``form_reader.read_form``: what a person sees, bookmarks as the LibreOffice
fallback, bounded), and each check gets one outcome:

- ``met``, ``partly``, ``not_met`` and ``not_checked`` only for a plain choice of one of the
  drop-down's items (Uppfyllt, Delvis uppfyllt, Ej uppfyllt, Ej kontrollerat; Met … in an
  English plan; case, spaces and one final full stop aside) with nothing hidden, beside it,
  tracked or commented, and a plain date (YYYY-MM-DD, not after the report date) or none;
- ``not_checked`` too for a check whose four fields are all empty (with the doubt
  ``not_answered``: nothing was filled in);
- ``unclear`` for everything else, with every reason.

Several records (one per year, say) combine: the result with the latest date is the current
one, the others are its history. A check is *overdue* when its moment has passed by the report
date without a result (``timing``): the start checks after the planned go-live, the yearly and
quarterly ones 12 and 3 months after the latest dated result (or the go-live); event checks
(model change, incident) and the exit have no date to judge by.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from upphandla import __version__
from upphandla.documents import form
from upphandla.documents.generating import (
    GenerateOptions,
    render_outputs,
    template_set,
    write_outputs,
)
from upphandla.documents.package import DocumentRequest, prepare_documents
from upphandla.documents.tender import DocumentKind
from upphandla.errors import Location, Problem, ProblemsError, ProhibitedPracticeError, Severity
from upphandla.evaluation import messages
from upphandla.evaluation.characters import deceptive_characters, visible
from upphandla.evaluation.form_reader import FieldValue
from upphandla.library import known
from upphandla.records import record
from upphandla.selection.explain import NoteSink
from upphandla.selection.prohibited import refusal_message
from upphandla.selection.select import Selection
from upphandla.text import Language, Text

RecordOutcome = Literal["met", "partly", "not_met", "not_checked", "unclear"]
Timing = Literal["done", "overdue", "due", "no_date", "on_event"]

OUTCOMES: tuple[RecordOutcome, ...] = ("met", "partly", "not_met", "not_checked")
"""The outcomes of the drop-down's items, in the order of ``form.CHECK_RESULTS``."""
VERDICTS = frozenset({"met", "partly", "not_met"})
"""The outcomes that say whether the requirement holds."""

FOLLOW_UP_REPORT = DocumentKind(
    "uppfoljningsrapport",
    Text("Uppföljningsrapport för AI-systemet", "Follow-up report for the AI system"),
    Text("Uppföljningsrapport", "Follow-up report"),
)
REPORT_JSON = "uppfoljningsrapport.json"
FORMAT_VERSION = 1
EXIT_TO_REVIEW = 4
"""The report is written, but a record could not be read, a check is unclear or overdue."""

_MONTHS = {"year": 12, "quarter": 3}
_EVENT_MOMENTS = frozenset({"model", "incident", "exit"})
_START_MOMENTS = frozenset({"accept", "start"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# ---------------------------------------------------------------------------------------------
# Data


@record
class CheckDoubt:
    """Why a check's result is not a plain verdict: ``reason`` (a ``form_reader`` doubt, or
    ``not_found``, ``not_answered``, ``not_plain``, ``invisible_characters``, ``date_not_a_date``,
    ``date_in_future``, ``conflicting``), ``field`` (``result``, ``date``, ``by`` or ``note``) and
    ``detail`` (what was found)."""

    reason: str
    field: str = "result"
    detail: str = ""


@record
class Check:
    """One check the plan holds: a requirement's or a duty's, at one moment."""

    subject: str
    moment: str
    title: str
    duty: bool = False
    if_promised: bool = False
    remedies: tuple[str, ...] = ()


@record
class CheckResult:
    """One check as one record has it."""

    requirement: str
    moment: str
    outcome: RecordOutcome
    date: str = ""
    by: str = ""
    note: str = ""
    doubts: tuple[CheckDoubt, ...] = ()
    file: Path = Path()
    when: datetime.date | None = None

    @property
    def blank(self) -> bool:
        """Nothing was filled in."""
        return self.outcome == "not_checked" and any(
            d.reason == "not_answered" for d in self.doubts
        )


@record
class ReportItem:
    """A check across every record: the current result, the older ones, the timing."""

    check: Check
    current: CheckResult
    history: tuple[CheckResult, ...] = ()
    timing: Timing = "no_date"
    due: datetime.date | None = None


@record
class FollowUpReport:
    """Every check of the plan, read from the records."""

    selection: Selection
    items: tuple[ReportItem, ...]
    records: tuple[Path, ...]
    report_date: datetime.date
    go_live: datetime.date | None
    unread: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()

    @property
    def decided(self) -> bool:
        """Every record was read and no check is unclear or overdue."""
        return not self.unread and not any(
            item.current.outcome == "unclear" or item.timing == "overdue" for item in self.items
        )


# ---------------------------------------------------------------------------------------------
# The checks of the plan, and the remedies the contract gives


_REMEDY_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "rectification": (
        re.compile(r"\brätta (bristen|bristerna|felet|felen)\b", re.IGNORECASE),
        re.compile(r"\bremedy the (defect|defects|fault|faults|breach)\b", re.IGNORECASE),
    ),
    "price_reduction": (
        re.compile(r"\b(prisnedsättning|nedsättning av (priset|ersättningen))\b", re.IGNORECASE),
        re.compile(r"\b(price reduction|reduction of the (price|fee))\b", re.IGNORECASE),
    ),
    "vite": (
        re.compile(r"\bvite\b", re.IGNORECASE),
        re.compile(r"\b(liquidated damages|penalty of)\b", re.IGNORECASE),
    ),
    "termination": (
        re.compile(r"\b(häva avtalet|hävning|säga upp avtalet)\b", re.IGNORECASE),
        re.compile(r"\bterminate the contract\b", re.IGNORECASE),
    ),
}
"""How a requirement's text names a remedy: the library has no field for it, so its words."""


def remedies_in(texts: Sequence[str]) -> tuple[str, ...]:
    """The remedies (``rectification``, ``price_reduction``, ``vite``, ``termination``) that the
    texts name, in that order."""
    return tuple(
        name
        for name, patterns in _REMEDY_PATTERNS.items()
        if any(pattern.search(text) for pattern in patterns for text in texts)
    )


def plan_checks(
    selection: Selection,
    language: Language,
    today: datetime.date | None = None,
    evaluation: Mapping[str, Any] | None = None,
) -> list[Check]:
    """Every check a plan for ``selection`` holds, in the plan's order: the acceptance test, the
    moments, the buyer's own duties. Award criteria are "if promised" without ``evaluation``
    (``utvardering.json``), and only the promised ones with it, as in the plan."""
    from upphandla.documents.context import build_context
    from upphandla.documents.follow_up import follow_up_context

    base = build_context(selection, language, today or datetime.date.today())
    context = follow_up_context(selection, language, evaluation, base)["follow_up"]
    wording = {
        item.requirement.id: (
            item.wording.text.in_language("sv"),
            item.wording.text.in_language("en"),
        )
        for item in selection.included
    }
    entries = [*context["acceptance"]]
    for moment in context["moments"]:
        entries.extend(moment["checks"])
    checks = [
        Check(
            entry["id"],
            entry["moment"],
            entry["title"],
            if_promised=bool(entry["if_promised"]),
            remedies=remedies_in(wording.get(entry["id"], ())),
        )
        for entry in entries
    ]
    checks.extend(
        Check(entry["id"], entry["moment"], entry["title"], duty=True)
        for entry in context["duties"]
    )
    return checks


# ---------------------------------------------------------------------------------------------
# Reading one record


def plain_result(text: str, language: Language | None) -> RecordOutcome | None:
    """The outcome of a plain choice of one of the result drop-down's items, else None."""
    word = text.strip()
    if word.endswith("."):
        word = word[:-1].rstrip()
    word = " ".join(word.split()).casefold()
    languages: tuple[Language, ...] = (language,) if language else ("sv", "en")
    for lang in languages:
        for outcome, item in zip(OUTCOMES, form.CHECK_RESULTS[lang], strict=True):
            if word == item.casefold():
                return outcome
    return None


def _doubts_of(value: FieldValue | None, name: str) -> list[CheckDoubt]:
    if value is None:
        return []
    doubts = [CheckDoubt(d.reason, name, d.detail) for d in value.doubts]
    codes = deceptive_characters(value.text)
    if codes:
        doubts.append(CheckDoubt("invisible_characters", name, ", ".join(codes)))
    return doubts


def _check_result(
    check: Check,
    fields: Mapping[str, FieldValue],
    language: Language | None,
    path: Path,
    report_date: datetime.date,
) -> CheckResult:
    def get(name: form.CheckField) -> FieldValue | None:
        return fields.get(form.check_tag(check.subject, check.moment, name))

    result, date_field = get(form.CheckField.RESULT), get(form.CheckField.DATE)
    by_field, note_field = get(form.CheckField.BY), get(form.CheckField.NOTE)
    texts = {
        name: (value.text.strip() if value is not None else "")
        for name, value in (("date", date_field), ("by", by_field), ("note", note_field))
    }
    doubts: list[CheckDoubt] = []
    for name, value in (
        ("result", result),
        ("date", date_field),
        ("by", by_field),
        ("note", note_field),
    ):
        doubts.extend(_doubts_of(value, name))
    when: datetime.date | None = None
    if texts["date"]:
        when = _plain_date(texts["date"])
        if when is None:
            doubts.append(CheckDoubt("date_not_a_date", "date", texts["date"]))
        elif when > report_date:
            doubts.append(CheckDoubt("date_in_future", "date", texts["date"]))

    def made(outcome: RecordOutcome) -> CheckResult:
        return CheckResult(
            check.subject,
            check.moment,
            outcome,
            texts["date"],
            texts["by"],
            texts["note"],
            tuple(doubts),
            path,
            when,
        )

    if result is None:
        all_missing = date_field is None and by_field is None and note_field is None
        if all_missing and check.if_promised:
            # An award criterion the plan left out: it was not promised.
            return CheckResult(check.subject, check.moment, "not_checked", file=path)
        doubts.insert(0, CheckDoubt("not_found", "result"))
        return made("unclear")
    shown = result.text.strip()
    if not shown:
        if not doubts and not any(texts.values()):
            return CheckResult(
                check.subject,
                check.moment,
                "not_checked",
                doubts=(CheckDoubt("not_answered", "result"),),
                file=path,
            )
        doubts.insert(0, CheckDoubt("not_answered", "result"))
        return made("unclear")
    outcome = plain_result(shown, language)
    if outcome is None:
        doubts.insert(0, CheckDoubt("not_plain", "result", shown))
    return made(outcome if outcome is not None and not doubts else "unclear")


def _plain_date(text: str) -> datetime.date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def read_record(
    path: Path,
    data: bytes,
    selection: Selection,
    checks: Sequence[Check],
    report_date: datetime.date,
) -> tuple[list[CheckResult], list[Problem]]:
    """One filled-in plan: a result per check, and warnings about the record.

    Raises:
        ProblemsError: The file is not a readable .docx, not a follow-up plan, or made for
            another procurement.
    """
    from upphandla.evaluation.form_reader import NotADocxError, read_form
    from upphandla.evaluation.responses import _other_procurement, _unreadable

    expected = {
        form.check_tag(check.subject, check.moment, name)
        for check in checks
        for name in form.CheckField
    }
    prompts = [text for by_field in form.CHECK_PROMPTS.values() for text in by_field.values()]
    texts_for: dict[str, Literal["row", "table"]] = {
        form.check_tag(check.subject, check.moment, form.CheckField.RESULT): (
            "table" if check.moment in form.CHECK_TABLE_MOMENTS else "row"
        )
        for check in checks
    }
    try:
        content = read_form(data, expected=expected, placeholders=prompts, texts_for=texts_for)
    except NotADocxError as error:
        raise ProblemsError([_unreadable(path, error)]) from None
    properties = content.properties
    document = properties.get(form.DOCUMENT_PROPERTY, "")
    if document and document != form.FOLLOW_UP_PLAN:
        raise ProblemsError(
            [Problem(_other_document(document), Location(path), hint=_give_the_plans())]
        )
    if not content.fields:
        raise ProblemsError([Problem(_no_result_fields(), Location(path), hint=_give_the_plans())])
    notes: list[Problem] = []
    found_id = properties.get(form.FORM_ID_PROPERTY, "")
    expected_id = form.form_id(selection)
    if not found_id:
        notes.append(
            Problem(_no_form_id(), Location(path), Severity.WARNING, messages.compare_the_form_id())
        )
    elif found_id != expected_id:
        problem = _other_procurement(path, properties, selection, found_id, expected_id)
        raise ProblemsError([Problem(problem.message, problem.location, hint=_same_answers())])
    language_property = properties.get(form.LANGUAGE_PROPERTY)
    language: Language | None = (
        language_property if language_property in ("sv", "en") else None  # type: ignore[assignment]
    )
    results = [
        _check_result(check, content.fields, language, path, report_date) for check in checks
    ]
    results = _changed_texts(checks, results, content.texts, properties)
    for item in results:
        for doubt in item.doubts:
            if doubt.reason in ("not_answered", "not_found") and item.outcome != "unclear":
                continue
            notes.append(
                Problem(
                    _located(item, doubt),
                    Location(path),
                    Severity.WARNING,
                    _check_by_hand(),
                )
            )
    return results, notes


def _changed_texts(
    checks: Sequence[Check],
    results: list[CheckResult],
    found: Mapping[str, tuple[str, ...]],
    properties: Mapping[str, str],
) -> list[CheckResult]:
    """Each result whose check's fixed text differs from the text the plan was written with
    (``form.CHECK_DIGESTS_PROPERTY``) made ``unclear`` with the doubt ``text_changed``."""
    try:
        recorded = json.loads(properties.get(form.CHECK_DIGESTS_PROPERTY, "") or "{}")
    except ValueError:
        recorded = {}
    if not isinstance(recorded, dict):
        recorded = {}
    changed = []
    for check, result in zip(checks, results, strict=True):
        tag = form.check_tag(check.subject, check.moment, form.CheckField.RESULT)
        digest = recorded.get(f"{check.subject}.{check.moment}")
        texts = found.get(tag)
        # Text typed beside a field is doubted as such, not again as a changed check text.
        beside = {
            form.normal_paragraph(line)
            for doubt in result.doubts
            if doubt.reason == "beside"
            for line in doubt.detail.splitlines()
        }
        if texts is not None and beside:
            texts = tuple(text for text in texts if text not in beside)
        if digest is None or texts is None or form.text_digest(texts) == digest:
            changed.append(result)
            continue
        detail = " / ".join(texts)
        detail = detail if len(detail) <= 300 else detail[:299] + "…"
        doubt = CheckDoubt("text_changed", "result", detail)
        changed.append(
            CheckResult(
                result.requirement,
                result.moment,
                "unclear",
                result.date,
                result.by,
                result.note,
                (*result.doubts, doubt),
                result.file,
                result.when,
            )
        )
    return changed


# ---------------------------------------------------------------------------------------------
# Combining records, and timing


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` months (the last day of the month when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)  # pragma: no cover


def _timing(
    check: Check, current: CheckResult, go_live: datetime.date | None, report_date: datetime.date
) -> tuple[Timing, datetime.date | None]:
    moment = check.moment
    verdict = current.outcome in VERDICTS
    if check.if_promised and not verdict and (current.blank or not current.doubts):
        return "no_date", None  # an award criterion that may never have been promised
    if moment in _EVENT_MOMENTS:
        return ("done" if verdict else "on_event"), None
    if moment in _START_MOMENTS:
        if verdict:
            return "done", None
        if go_live is None:
            return "no_date", None
        return ("overdue" if report_date > go_live else "due"), go_live
    base = current.when if verdict and current.when is not None else go_live
    if base is None:
        return ("done" if verdict else "no_date"), None
    due = add_months(base, _MONTHS.get(moment, 12))
    return ("overdue" if report_date > due else ("done" if verdict else "due")), due


def _rank(result: CheckResult, position: int) -> tuple[int, datetime.date, int]:
    filled = 0 if result.blank else 1
    return (filled, result.when or datetime.date.min, position)


def combine(
    checks: Sequence[Check],
    records: Sequence[Sequence[CheckResult]],
    go_live: datetime.date | None,
    report_date: datetime.date,
) -> list[ReportItem]:
    """One item per check: the result with the latest date (then the last record given) is the
    current one; the other filled-in results are its history, newest first."""
    items = []
    for index, check in enumerate(checks):
        results = [record[index] for record in records]
        ranked = sorted(enumerate(results), key=lambda pair: _rank(pair[1], pair[0]), reverse=True)
        current = ranked[0][1] if ranked else CheckResult(check.subject, check.moment, "unclear")
        history = tuple(result for _, result in ranked[1:] if not result.blank)
        rivals = [
            other
            for other in history
            if other.when is not None
            and other.when == current.when
            and other.outcome != current.outcome
        ]
        if rivals:
            conflict = CheckDoubt("conflicting", "result", rivals[0].file.name)
            current = CheckResult(
                current.requirement,
                current.moment,
                "unclear",
                current.date,
                current.by,
                current.note,
                (*current.doubts, conflict),
                current.file,
                current.when,
            )
        timing, due = _timing(check, current, go_live, report_date)
        items.append(ReportItem(check, current, history, timing, due))
    return items


# ---------------------------------------------------------------------------------------------
# The request


@record(kw_only=True)
class FollowUpReportRequest(DocumentRequest):
    """``follow-up --record``: read filled-in plans and write the follow-up report.

    Attributes:
        records: The filled-in follow-up plans (``uppfoljningsplan.docx``), for example one per
            year.
    """

    records: Sequence[Path]
    formats: str | Sequence[str] = ("docx", "json")
    evaluation: Path | None = None
    """``utvardering.json``, when the plan was made with ``follow-up --evaluation``."""


@record
class FollowUpReportSet:
    """The report and its files, in memory; nothing is on disk until ``write``."""

    report: FollowUpReport
    options: GenerateOptions
    files: dict[Path, bytes]
    notes: tuple[Problem, ...] = ()

    def write(self) -> list[Path]:
        """Write every file atomically, after checking that none would be overwritten."""
        return write_outputs(self.files, self.options.force)


def report_follow_up(
    request: FollowUpReportRequest, *, on_notes: NoteSink | None = None
) -> FollowUpReportSet:
    """Read the records and plan ``uppfoljningsrapport.docx`` (and ``.md``) and ``.json``."""
    run = prepare_documents(request, on_notes=on_notes)
    from upphandla.documents.generating import read_evaluation

    evaluation = read_evaluation(request.evaluation) if request.evaluation else None
    report = read_records(
        run.selection,
        request.records,
        run.options.today or datetime.date.today(),
        run.options,
        evaluation,
    )
    return FollowUpReportSet(report, run.options, plan_report(report, run.options), run.notes)


def go_live_date(selection: Selection) -> datetime.date | None:
    """The planned go-live from the answers, if they give one."""
    value = selection.answers.get(known.GO_LIVE_DATE)
    if isinstance(value, datetime.date):
        return value
    return _plain_date(str(value).strip()) if value else None


def read_records(
    selection: Selection,
    paths: Sequence[Path],
    report_date: datetime.date,
    options: GenerateOptions,
    evaluation: Mapping[str, Any] | None = None,
) -> FollowUpReport:
    """Every record read and combined; a record that cannot be read is in ``unread``."""
    if selection.risk_class == known.PROHIBITED:
        raise ProhibitedPracticeError(refusal_message(selection.answers))
    checks = plan_checks(selection, options.language, report_date, evaluation)
    records: list[list[CheckResult]] = []
    unread: list[Problem] = []
    notes: list[Problem] = []
    read: list[Path] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            unread.append(Problem(messages.file_unreadable(error.strerror), Location(path)))
            continue
        try:
            results, found = read_record(path, data, selection, checks, report_date)
        except ProblemsError as error:
            unread.extend(error.problems)
            continue
        records.append(results)
        notes.extend(found)
        read.append(path)
    go_live = go_live_date(selection)
    items = combine(checks, records, go_live, report_date) if records else []
    return FollowUpReport(
        selection, tuple(items), tuple(read), report_date, go_live, tuple(unread), tuple(notes)
    )


def plan_report(report: FollowUpReport, options: GenerateOptions) -> dict[Path, bytes]:
    """The report files in memory."""
    from upphandla.documents.context import build_context
    from upphandla.documents.tender import render_kinds

    context = build_context(report.selection, options.language, report.report_date)
    context.update(report_context(report, options.language))
    documents = render_kinds((FOLLOW_UP_REPORT,), context, options.language, template_set(options))
    outputs = render_outputs(documents, options)
    if "json" in options.formats:
        outputs[options.out / REPORT_JSON] = report_to_json(report, options.language).encode(
            "utf-8"
        )
    return outputs


# ---------------------------------------------------------------------------------------------
# JSON and the template's data


def _doubt_data(doubt: CheckDoubt, language: Language) -> dict[str, str]:
    return {
        "reason": doubt.reason,
        "field": doubt.field,
        "detail": visible(doubt.detail),
        "message": doubt_message(doubt).in_language(language),
    }


def _result_data(result: CheckResult, language: Language) -> dict[str, Any]:
    return {
        "outcome": result.outcome,
        "date": visible(result.date),
        "by": visible(result.by),
        "note": visible(result.note),
        "doubts": [_doubt_data(doubt, language) for doubt in result.doubts],
        "file": result.file.name,
    }


def report_to_data(report: FollowUpReport, language: Language) -> dict[str, Any]:
    """``uppfoljningsrapport.json`` as data (docs/follow-up-json.md)."""
    library = report.selection.library
    answers = report.selection.answers
    items = [
        {
            "requirement": item.check.subject,
            "moment": item.check.moment,
            "title": item.check.title,
            "duty": item.check.duty,
            **_result_data(item.current, language),
            "timing": item.timing,
            "due": item.due.isoformat() if item.due else None,
            "remedies": list(item.check.remedies),
            "history": [_result_data(result, language) for result in item.history],
        }
        for item in report.items
    ]
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "upphandla", "version": __version__},
        "language": language,
        "library": {"id": library.id, "version": library.version, "sha256": library.sha256},
        "procurement": {
            "organisation": str(answers.get(known.ORGANISATION, "") or ""),
            "title": str(answers.get(known.PROCUREMENT_TITLE, "") or ""),
            "reference_number": str(answers.get(known.REFERENCE_NUMBER, "") or ""),
        },
        "form_id": form.form_id(report.selection),
        "report_date": report.report_date.isoformat(),
        "go_live": report.go_live.isoformat() if report.go_live else None,
        "records": [path.name for path in report.records],
        "decided": report.decided,
        "counts": _counts(report),
        "items": items,
        "unread": [
            {
                "file": problem.location.file.name if problem.location.file else "",
                "message": problem.message.in_language(language),
                "hint": problem.hint.in_language(language) if problem.hint else "",
            }
            for problem in report.unread
        ],
    }


def _counts(report: FollowUpReport) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys((*OUTCOMES, "unclear"), 0)
    for item in report.items:
        counts[item.current.outcome] += 1
    counts["overdue"] = sum(1 for item in report.items if item.timing == "overdue")
    return counts


def report_to_json(report: FollowUpReport, language: Language) -> str:
    """``uppfoljningsrapport.json``."""
    return json.dumps(report_to_data(report, language), ensure_ascii=False, indent=2) + "\n"


_OUTCOME_LABELS: dict[str, Text] = {
    "met": Text("Uppfyllt", "Met"),
    "partly": Text("Delvis uppfyllt", "Partly met"),
    "not_met": Text("Ej uppfyllt", "Not met"),
    "not_checked": Text("Ej kontrollerat", "Not checked"),
    "unclear": Text("Oklart", "Unclear"),
}

_NOT_FILLED_IN = Text("Inte ifyllt", "Not filled in")

_MOMENT_NAMES: dict[str, Text] = {
    "accept": Text("Godkännandeprov", "Acceptance test"),
    "start": Text("Avtalsstart", "Contract start"),
    "quarter": Text("Kvartal", "Quarter"),
    "year": Text("År", "Year"),
    "model": Text("Ny modell", "New model"),
    "incident": Text("Incident", "Incident"),
    "exit": Text("Avtalets slut", "Contract end"),
}

_REMEDY_TEXTS: dict[str, Text] = {
    "rectification": Text(
        "kräva att leverantören rättar bristen", "require the supplier to remedy the defect"
    ),
    "price_reduction": Text("kräva prisnedsättning", "claim a price reduction"),
    "vite": Text("kräva vite", "claim liquidated damages (vite)"),
    "termination": Text("häva eller säga upp avtalet", "terminate the contract"),
}


def _actions(item: ReportItem, language: Language) -> str:
    outcome = item.current.outcome
    if item.check.duty:
        return Text(
            "Er egen skyldighet: gör det som saknas och dokumentera det.",
            "Your own duty: do what is missing and record it.",
        ).in_language(language)
    if outcome == "unclear":
        return Text(
            "Läs kontrollen i uppföljningsplanen och skriv in resultatet rent i fältet.",
            "Read the check in the follow-up plan and enter the result plainly in the field.",
        ).in_language(language)
    if item.check.remedies:
        named = ", ".join(_REMEDY_TEXTS[name].in_language(language) for name in item.check.remedies)
        return Text(
            f"Kravet anger vad ni kan göra: {named}. Begär en skriftlig förklaring och en "
            "tidsplan först.",
            f"The requirement states what you can do: {named}. Ask for a written explanation "
            "and a timetable first.",
        ).in_language(language)
    return Text(
        "Kravet anger ingen påföljd: ni bestämmer enligt avtalets villkor (rättelse, "
        "prisnedsättning, vite eller hävning). Begär en skriftlig förklaring och en tidsplan.",
        "The requirement names no remedy: you decide under the contract's terms (rectification, "
        "price reduction, vite or termination). Ask for a written explanation and a timetable.",
    ).in_language(language)


def _timing_text(item: ReportItem, language: Language) -> str:
    due = item.due.isoformat() if item.due else ""
    texts: dict[Timing, Text] = {
        "done": Text("Gjord", "Done"),
        "overdue": Text(f"Försenad (skulle ha gjorts {due})", f"Overdue (due {due})"),
        "due": Text(f"Görs senast {due}", f"Due by {due}"),
        "no_date": Text("Inget datum att bedöma efter", "No date to judge by"),
        "on_event": Text("När det inträffar", "When it happens"),
    }
    return texts[item.timing].in_language(language)


def report_context(report: FollowUpReport, language: Language) -> dict[str, Any]:
    """The ``uppfoljningsrapport`` template's data."""

    def entry(item: ReportItem) -> dict[str, Any]:
        current = item.current
        label = _NOT_FILLED_IN if current.blank else _OUTCOME_LABELS[current.outcome]
        return {
            "id": item.check.subject,
            # The buyer's duties are named by their titles; their ids are for data.
            "label": item.check.title
            if item.check.duty
            else f"{item.check.subject} {item.check.title}",
            "moment": _MOMENT_NAMES[item.check.moment].in_language(language),
            "title": item.check.title,
            "if_promised": item.check.if_promised,
            "outcome": current.outcome,
            "outcome_label": label.in_language(language),
            "date": visible(current.date),
            "by": visible(current.by),
            "note": visible(current.note),
            "doubts": [doubt_message(doubt).in_language(language) for doubt in current.doubts],
            "file": "" if current.blank else current.file.name,
            "timing": _timing_text(item, language),
            "overdue": item.timing == "overdue",
            "actions": _actions(item, language),
            "history": [
                {
                    "outcome_label": _OUTCOME_LABELS[old.outcome].in_language(language),
                    "date": visible(old.date),
                    "by": visible(old.by),
                    "file": old.file.name,
                }
                for old in item.history
            ],
        }

    entries = [entry(item) for item in report.items]
    deviations = [e for e in entries if e["outcome"] in ("not_met", "partly")]
    return {
        "follow_up_report": {
            "records": [path.name for path in report.records],
            "report_date": report.report_date.isoformat(),
            "go_live": report.go_live.isoformat() if report.go_live else "",
            "counts": _counts(report),
            "total": len(entries),
            "held": [e for e in entries if e["outcome"] == "met"],
            "deviations": deviations,
            "unclear": [e for e in entries if e["outcome"] == "unclear"],
            "never_checked": [
                e
                for e in entries
                if e["outcome"] == "not_checked" and not e["history"] and not e["overdue"]
            ],
            "overdue": [e for e in entries if e["overdue"]],
            "items": entries,
            "unread": [
                {
                    "file": problem.location.file.name if problem.location.file else "",
                    "message": problem.message.in_language(language),
                    "hint": problem.hint.in_language(language) if problem.hint else "",
                }
                for problem in report.unread
            ],
        }
    }


# ---------------------------------------------------------------------------------------------
# Messages


def doubt_message(doubt: CheckDoubt) -> Text:
    """A check's doubt in plain words."""
    quoted = f"”{visible(doubt.detail)}”"
    field_names = {
        "result": Text("resultatfältet", "the result field"),
        "date": Text("datumfältet", "the date field"),
        "by": Text("namnfältet", "the name field"),
        "note": Text("anteckningen", "the note"),
    }
    where = field_names.get(doubt.field, field_names["result"])
    own: dict[str, Text] = {
        "not_found": Text(
            "Resultatfältet hittades inte i uppföljningsplanen.",
            "The result field was not found in the follow-up plan.",
        ),
        "not_answered": Text("Inget resultat är ifyllt.", "No result is filled in."),
        "not_plain": Text(
            f"Resultatet {quoted} är inte ett av valen i listan.",
            f"The result {quoted} is not one of the items of the list.",
        ),
        "date_not_a_date": Text(
            f"Datumet {quoted} är inte skrivet ÅÅÅÅ-MM-DD.",
            f"The date {quoted} is not written YYYY-MM-DD.",
        ),
        "date_in_future": Text(
            f"Datumet {quoted} är efter rapportens datum.",
            f"The date {quoted} is after the report's date.",
        ),
        "text_changed": Text(
            f"Kontrollens text i planen är ändrad; nu står det: {quoted}.",
            f"The check's text in the plan has been changed; it now reads: {quoted}.",
        ),
        "conflicting": Text(
            f"En annan uppföljning ({quoted}) har samma datum men ett annat resultat.",
            f"Another record ({quoted}) has the same date but another result.",
        ),
    }
    if doubt.reason in own:
        return own[doubt.reason]
    general = messages.doubt_text(doubt.reason, visible(doubt.detail))
    return Text(
        f"I {where.sv}: {general.sv}",
        f"In {where.en}: {general.en}",
    )


def _located(result: CheckResult, doubt: CheckDoubt) -> Text:
    text = doubt_message(doubt)
    tag = f"{result.requirement}.{result.moment}"
    return Text(f"Kontroll {tag}: {text.sv}", f"Check {tag}: {text.en}")


def _other_document(document: str) -> Text:
    return Text(
        f"Filen är inte en uppföljningsplan utan ett annat dokument från upphandla ({document}).",
        f"The file is not a follow-up plan but another document from upphandla ({document}).",
    )


def _no_result_fields() -> Text:
    return Text(
        "Filen har inga resultatfält från en uppföljningsplan.",
        "The file has no result fields of a follow-up plan.",
    )


def _no_form_id() -> Text:
    return Text(
        "Uppföljningsplanen saknar upphandlingens formulär-id; det går inte att se att den hör "
        "till den här upphandlingen.",
        "The follow-up plan has no form id; it cannot be seen that it belongs to this procurement.",
    )


def _give_the_plans() -> Text:
    return Text(
        "Ange de ifyllda uppföljningsplanerna (uppfoljningsplan.docx) från upphandla follow-up.",
        "Give the filled-in follow-up plans (uppfoljningsplan.docx) from upphandla follow-up.",
    )


def _same_answers() -> Text:
    return Text(
        "Läs in uppföljningsplanen med samma svarsfil som den togs fram med.",
        "Read the follow-up plan with the answers file it was made with.",
    )


def _check_by_hand() -> Text:
    return Text(
        "Läs kontrollen i uppföljningsplanen och bedöm resultatet själva.",
        "Read the check in the follow-up plan and assess the result yourselves.",
    )


def exit_to_review() -> Text:
    """Said when ``follow-up --record`` exits 4."""
    return Text(
        "Rapporten är skriven, men en uppföljning kunde inte läsas in, eller en kontroll är "
        "oklar eller försenad (slutkod 4).",
        "The report is written, but a record could not be read, or a check is unclear or "
        "overdue (exit code 4).",
    )


__all__ = [
    "Check",
    "CheckDoubt",
    "CheckResult",
    "FollowUpReport",
    "FollowUpReportRequest",
    "ReportItem",
    "combine",
    "plan_checks",
    "read_record",
    "report_follow_up",
    "report_to_json",
]
