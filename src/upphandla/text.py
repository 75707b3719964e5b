"""Localised text: every human-readable string exists in Swedish and English."""

from __future__ import annotations

import datetime
from typing import Literal

from upphandla.records import record

Language = Literal["sv", "en"]
LANGUAGES: tuple[Language, ...] = ("sv", "en")


@record
class Text:
    """A text in Swedish and English; either may be empty when a library lacks it."""

    sv: str = ""
    en: str = ""

    def in_language(self, language: Language) -> str:
        """The text in ``language``, falling back to the other language when it is missing."""
        primary, fallback = (self.sv, self.en) if language == "sv" else (self.en, self.sv)
        return primary or fallback

    def format(self, **values: object) -> Text:
        """Both languages with ``str.format`` placeholders filled in."""
        return Text(self.sv.format(**values), self.en.format(**values))

    def __bool__(self) -> bool:
        return bool(self.sv or self.en)


def parse_language(value: str) -> Language:
    """Turn a user-given language code into a ``Language``; raise ``ValueError`` otherwise."""
    code = value.strip().lower()
    if code in ("sv", "svenska", "swedish"):
        return "sv"
    if code in ("en", "engelska", "english"):
        return "en"
    raise ValueError(value)


_MONTHS = {
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}  # fmt: skip


def long_date(value: datetime.date, language: Language) -> str:
    """``2 augusti 2026`` or ``2 August 2026``."""
    return f"{value.day} {_MONTHS[language][value.month - 1]} {value.year}"
