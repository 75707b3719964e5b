"""``upphandla explain``: the classification, the buyer's duties and the selection, as text."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable

from upphandla.library import known
from upphandla.library.citations import date_with_status, format_reference, format_references
from upphandla.library.model import Level
from upphandla.library.vocabulary import KIND_LABELS
from upphandla.selection.prohibited import prohibited_points
from upphandla.selection.select import Selection
from upphandla.text import Language, Text

DISCLAIMER = Text(
    "Detta är ett stöd för er bedömning, inte juridisk rådgivning. Kontrollera klassificeringen "
    "med er jurist eller dataskyddsombud innan upphandlingen annonseras.",
    "This supports your assessment; it is not legal advice. Check the classification with your "
    "lawyer or data protection officer before the procurement is published.",
)

CLASSIFICATION_HEADING = Text(
    "Klassificering enligt AI-förordningen", "Classification under the AI Act"
)
PROHIBITED_UNDER = Text("Förbjudet enligt", "Prohibited under")
LEGAL_BASIS = Text("Rättslig grund", "Legal basis")
DUTIES_HEADING = Text("Era egna skyldigheter som köpare", "Your own duties as buyer")
APPLIES_FROM = Text("Gäller från", "Applies from")
WHAT_FOLLOWS_HEADING = Text("Det här följer av svaren", "What follows from the answers")
YES = Text("ja", "yes")
NO = Text("nej", "no")
INCLUDED_BECAUSE = Text("Ingår eftersom", "Included because")
MADE_MANDATORY_BECAUSE = Text("Skärpt till SKA eftersom", "Made mandatory because")
LEFT_OUT_BECAUSE = Text("Ingår inte eftersom", "Left out because")
COUNTS_HEADING = Text("Antal krav per område och nivå", "Requirements per area and level")
AREA_COLUMN = Text("Område", "Area")
TOTAL_ROW = Text("Totalt", "Total")


def included_heading(count: int) -> Text:
    """The heading over the requirements that the selection includes."""
    return Text(f"Krav som ingår ({count})", f"Included requirements ({count})")


def excluded_heading(count: int) -> Text:
    """The heading over the requirements that the selection leaves out."""
    return Text(f"Krav som inte ingår ({count})", f"Requirements left out ({count})")


def render_explanation(selection: Selection, language: Language, width: int = 100) -> str:
    """The whole explanation: classification, duties, included and excluded requirements, counts."""
    lines: list[str] = []
    library = selection.library

    def wrap(text: str, indent: str) -> list[str]:
        return textwrap.wrap(
            text, width=width, initial_indent=indent, subsequent_indent=indent
        ) or [indent]

    lines.append(CLASSIFICATION_HEADING.in_language(language))
    lines.append("=" * len(lines[-1]))
    for outcome in selection.derivation.outcomes:
        derived = library.derived_value(outcome.id)
        if derived is None or not derived.cases:
            continue
        lines.append(
            f"{derived.label.in_language(language)}: {derived.value_label(outcome.value).in_language(language)}"
        )
        if outcome.reason:
            lines.extend(wrap(outcome.reason.in_language(language), "  "))
        if outcome.id == known.RISK_CLASS and outcome.value == known.PROHIBITED:
            for point in prohibited_points(selection.answers):
                lines.extend(
                    wrap(
                        f"{PROHIBITED_UNDER.in_language(language)} {point.in_language(language)}",
                        "  ",
                    )
                )
        binding = [r for r in outcome.references if selection.binds(r)]
        if binding:
            refs = format_references(binding, language)
            lines.extend(wrap(f"{LEGAL_BASIS.in_language(language)}: {refs}", "  "))
    lines.extend(wrap(DISCLAIMER.in_language(language), ""))
    lines.append("")
    lines.extend(_duty_lines(selection, language, wrap))

    duties = [
        (derived, selection.derivation.values.get(derived.id))
        for derived in library.derived
        if not derived.cases
    ]
    if duties:
        lines.append(WHAT_FOLLOWS_HEADING.in_language(language))
        lines.append("=" * len(lines[-1]))
        for derived, value in duties:
            shown = (
                (YES if value else NO).in_language(language)
                if isinstance(value, bool)
                else derived.value_label(value).in_language(language)
            )
            refs = ", ".join(
                format_reference(r.source, r.ref, language) for r in derived.references
            )
            lines.append(
                f"- {derived.label.in_language(language)}: {shown}" + (f" ({refs})" if refs else "")
            )
        lines.append("")

    lines.append(included_heading(len(selection.included)).in_language(language))
    lines.append("=" * len(lines[-1]))
    for area in library.areas:
        chosen = [item for item in selection.included if item.requirement.area == area.id]
        if not chosen:
            continue
        lines.append(area.title.in_language(language))
        for item in chosen:
            requirement = item.requirement
            kind = KIND_LABELS[item.kind].in_language(language).lower()
            lines.append(
                f"  {requirement.id:<11} {item.level.label:<4} {item.wording.title.in_language(language)} ({kind})"
            )
            because = "; ".join(reason.in_language(language) for reason in item.reasons)
            lines.extend(wrap(f"{INCLUDED_BECAUSE.in_language(language)}: {because}", "      "))
            for reason in item.escalation:
                lines.extend(
                    wrap(
                        f"{MADE_MANDATORY_BECAUSE.in_language(language)}: {reason.in_language(language)}",
                        "      ",
                    )
                )
    lines.append("")
    lines.append(excluded_heading(len(selection.excluded)).in_language(language))
    lines.append("=" * len(lines[-1]))
    for excluded in selection.excluded:
        requirement = excluded.requirement
        lines.append(f"  {requirement.id:<11} {requirement.title.in_language(language)}")
        because = "; ".join(reason.in_language(language) for reason in excluded.reasons)
        lines.extend(wrap(f"{LEFT_OUT_BECAUSE.in_language(language)}: {because}", "      "))
    lines.append("")
    lines.extend(_counts(selection, language))
    return "\n".join(lines) + "\n"


def _duty_lines(
    selection: Selection, language: Language, wrap: Callable[[str, str], list[str]]
) -> list[str]:
    """The buyer's own duties: what to do, under which provision, from when."""
    if not selection.duties:
        return []
    title = DUTIES_HEADING.in_language(language)
    lines = [title, "=" * len(title)]
    for duty in selection.duties:
        lines.append(f"- {duty.title.in_language(language)}")
        for paragraph in duty.text.in_language(language).splitlines():
            if paragraph.strip():
                lines.extend(wrap(paragraph.strip(), "    "))
        binding = [r for r in duty.references if selection.binds(r)]
        if binding:
            label = LEGAL_BASIS.in_language(language)
            lines.extend(wrap(f"{label}: {format_references(binding, language)}", "    "))
        key_date = selection.key_date(duty.applies_from)
        if key_date is not None:
            label = APPLIES_FROM.in_language(language)
            lines.extend(wrap(f"{label}: {date_with_status(key_date, language)}", "    "))
    lines.append("")
    return lines


def _counts(selection: Selection, language: Language) -> list[str]:
    title = COUNTS_HEADING.in_language(language)
    counts = Counter((item.requirement.area, item.level) for item in selection.included)
    rows = []
    name_width = max(
        (len(area.title.in_language(language)) for area in selection.library.areas), default=10
    )
    header = f"  {AREA_COLUMN.in_language(language):<{name_width}}  SKA  BÖR"
    for area in selection.library.areas:
        ska, bor = counts[(area.id, Level.SKA)], counts[(area.id, Level.BOR)]
        if ska or bor:
            rows.append(f"  {area.title.in_language(language):<{name_width}}  {ska:>3}  {bor:>3}")
    total_ska = sum(1 for item in selection.included if item.level is Level.SKA)
    total_bor = len(selection.included) - total_ska
    rows.append(
        f"  {TOTAL_ROW.in_language(language):<{name_width}}  {total_ska:>3}  {total_bor:>3}"
    )
    return [title, "=" * len(title), header, *rows]
