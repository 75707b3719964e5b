"""How library items read in a document: references grouped by source, dates with their status."""

from __future__ import annotations

from collections.abc import Sequence

from upphandla.library.model import KeyDate, Reference
from upphandla.library.vocabulary import DATE_STATUS_LABELS, REFERENCE_SHORT_NAMES
from upphandla.text import Language, long_date

_ENGLISH_REF_WORDS = (
    ("Bilaga", "Annex"),
    ("bilaga", "annex"),
    ("Del ", "Part "),
    ("kap.", "ch."),
    ("skäl", "recital"),
)


def format_reference(source: str, ref: str, language: Language) -> str:
    """``AIA 26(6)`` written out for a reader, for example ``AI-förordningen art. 26(6)``."""
    name = REFERENCE_SHORT_NAMES.get(source)
    short = source if name is None else name.in_language(language)
    return f"{short} {_ref_text(source, ref, language)}".strip()


def format_references(references: Sequence[Reference], language: Language) -> str:
    """References grouped by source: ``AI-förordningen art. 13, 26(1) och 26(4); LOU 9 kap.``."""
    groups: dict[str, list[str]] = {}
    for reference in references:
        groups.setdefault(reference.source, []).append(reference.ref)
    parts = []
    for source, refs in groups.items():
        name = REFERENCE_SHORT_NAMES.get(source)
        short = source if name is None else name.in_language(language)
        texts = [_ref_text(source, ref, language) for ref in refs if ref]
        article = "art. " if language == "sv" else "Art. "
        if len(texts) > 1 and all(text.startswith(article) for text in texts):
            texts = [texts[0]] + [text.removeprefix(article) for text in texts[1:]]
        joined = _join(texts, "och" if language == "sv" else "and")
        parts.append(f"{short} {joined}".strip())
    return "; ".join(parts)


def _ref_text(source: str, ref: str, language: Language) -> str:
    if language == "en":
        for swedish, english in _ENGLISH_REF_WORDS:
            ref = ref.replace(swedish, english)
    elif ref.startswith(("Bilaga", "Del ")):
        ref = ref[0].lower() + ref[1:]
    if source in ("AIA", "GDPR", "MCC-HR", "MCC-L") and ref and ref[0].isdigit():
        return f"{'art.' if language == 'sv' else 'Art.'} {ref}"
    return ref


def _join(items: list[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def date_with_status(key_date: KeyDate, language: Language) -> str:
    """The date, and for a date that is not settled law its status, source and original date.

    ``2 december 2027 enligt omnibusförordningen om AI, som är antagen men ännu inte publicerad
    i EU:s officiella tidning; enligt AI-förordningen i dess nuvarande lydelse 2 augusti 2026``.
    """
    shown = long_date(key_date.date, language)
    if key_date.settled:
        return shown
    status = DATE_STATUS_LABELS[key_date.status].in_language(language)
    source = _in_sentence(key_date.source.in_language(language), language)
    if language == "sv":
        text = f"{shown} enligt {source}, som är {status}" if source else f"{shown} ({status})"
        if key_date.original_date is not None:
            original = long_date(key_date.original_date, language)
            text += f"; enligt AI-förordningen i dess nuvarande lydelse {original}"
        return text
    text = f"{shown} under {source}, which is {status}" if source else f"{shown} ({status})"
    if key_date.original_date is not None:
        original = long_date(key_date.original_date, language)
        text += f"; under the AI Act as it now stands, {original}"
    return text


def _in_sentence(name: str, language: Language) -> str:
    """A source name inside a sentence: ``Omnibusförordningen`` → ``omnibusförordningen`` (names
    that start with an abbreviation, such as ``AI-förordningen``, keep their capitals), and in
    English ``Digital Omnibus on AI`` → ``the Digital Omnibus on AI``."""
    if language == "sv" and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    if language == "en" and name and not name.lower().startswith("the "):
        return f"the {name}"
    return name
