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


def render_explanation(selection: Selection, language: Language, width: int = 100) -> str:
    """The whole explanation: classification, duties, included and excluded requirements, counts."""
    sv = language == "sv"
    lines: list[str] = []
    library = selection.library

    def say(swedish: str, english: str) -> str:
        return swedish if sv else english

    def wrap(text: str, indent: str) -> list[str]:
        return textwrap.wrap(
            text, width=width, initial_indent=indent, subsequent_indent=indent
        ) or [indent]

    lines.append(say("Klassificering enligt AI-förordningen", "Classification under the AI Act"))
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
                        f"{say('Förbjudet enligt', 'Prohibited under')} {point.in_language(language)}",
                        "  ",
                    )
                )
        binding = [r for r in outcome.references if selection.binds(r)]
        if binding:
            refs = format_references(binding, language)
            lines.extend(wrap(f"{say('Rättslig grund', 'Legal basis')}: {refs}", "  "))
    lines.extend(wrap(DISCLAIMER.in_language(language), ""))
    lines.append("")
    lines.extend(_duty_lines(selection, language, wrap))

    duties = [
        (derived, selection.derivation.values.get(derived.id))
        for derived in library.derived
        if not derived.cases
    ]
    if duties:
        lines.append(say("Det här följer av svaren", "What follows from the answers"))
        lines.append("=" * len(lines[-1]))
        for derived, value in duties:
            shown = (
                (say("ja", "yes") if value else say("nej", "no"))
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

    lines.append(
        say(
            f"Krav som ingår ({len(selection.included)})",
            f"Included requirements ({len(selection.included)})",
        )
    )
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
            lines.extend(wrap(f"{say('Ingår eftersom', 'Included because')}: {because}", "      "))
            for reason in item.escalation:
                lines.extend(
                    wrap(
                        f"{say('Skärpt till SKA eftersom', 'Made mandatory because')}: {reason.in_language(language)}",
                        "      ",
                    )
                )
    lines.append("")
    lines.append(
        say(
            f"Krav som inte ingår ({len(selection.excluded)})",
            f"Requirements left out ({len(selection.excluded)})",
        )
    )
    lines.append("=" * len(lines[-1]))
    for excluded in selection.excluded:
        requirement = excluded.requirement
        lines.append(f"  {requirement.id:<11} {requirement.title.in_language(language)}")
        because = "; ".join(reason.in_language(language) for reason in excluded.reasons)
        lines.extend(wrap(f"{say('Ingår inte eftersom', 'Left out because')}: {because}", "      "))
    lines.append("")
    lines.extend(_counts(selection, language))
    return "\n".join(lines) + "\n"


def _duty_lines(
    selection: Selection, language: Language, wrap: Callable[[str, str], list[str]]
) -> list[str]:
    """The buyer's own duties: what to do, under which provision, from when."""
    if not selection.duties:
        return []
    title = "Era egna skyldigheter som köpare" if language == "sv" else "Your own duties as buyer"
    lines = [title, "=" * len(title)]
    for duty in selection.duties:
        lines.append(f"- {duty.title.in_language(language)}")
        for paragraph in duty.text.in_language(language).splitlines():
            if paragraph.strip():
                lines.extend(wrap(paragraph.strip(), "    "))
        binding = [r for r in duty.references if selection.binds(r)]
        if binding:
            label = "Rättslig grund" if language == "sv" else "Legal basis"
            lines.extend(wrap(f"{label}: {format_references(binding, language)}", "    "))
        key_date = selection.key_date(duty.applies_from)
        if key_date is not None:
            label = "Gäller från" if language == "sv" else "Applies from"
            lines.extend(wrap(f"{label}: {date_with_status(key_date, language)}", "    "))
    lines.append("")
    return lines


def _counts(selection: Selection, language: Language) -> list[str]:
    sv = language == "sv"
    title = "Antal krav per område och nivå" if sv else "Requirements per area and level"
    counts = Counter((item.requirement.area, item.level) for item in selection.included)
    rows = []
    name_width = max(
        (len(area.title.in_language(language)) for area in selection.library.areas), default=10
    )
    header = f"  {'Område' if sv else 'Area':<{name_width}}  SKA  BÖR"
    for area in selection.library.areas:
        ska, bor = counts[(area.id, Level.SKA)], counts[(area.id, Level.BOR)]
        if ska or bor:
            rows.append(f"  {area.title.in_language(language):<{name_width}}  {ska:>3}  {bor:>3}")
    total_ska = sum(1 for item in selection.included if item.level is Level.SKA)
    total_bor = len(selection.included) - total_ska
    rows.append(f"  {'Totalt' if sv else 'Total':<{name_width}}  {total_ska:>3}  {total_bor:>3}")
    return [title, "=" * len(title), header, *rows]
