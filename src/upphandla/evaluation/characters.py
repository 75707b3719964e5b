"""Characters that can deceive a reader: shown visibly, never passed on silently.

Supplier names and answers are untrusted text. Control characters, bidirectional overrides
and isolates (which reverse what follows on screen, "Trojan Source"), zero-width characters and
other invisible format characters are written as ``⟨U+202E⟩`` wherever a person reads the text
(the terminal, utvardering.docx and .md, the names in utvardering.json), and flagged.
Ordinary spaces, tabs and line breaks are left alone.
"""

from __future__ import annotations

import unicodedata

_ALLOWED = frozenset("\t\n")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_deceptive(char: str) -> bool:
    """A control, bidi, zero-width or other invisible format character (not tab or newline)."""
    if char in _ALLOWED:
        return False
    if char in _BIDI:
        return True
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def deceptive_characters(text: str) -> list[str]:
    """The deceptive characters of ``text``, each once, as ``U+202E`` codes, in order."""
    found: list[str] = []
    for char in text:
        if is_deceptive(char):
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def visible(text: str) -> str:
    """``text`` with every deceptive character written as ``⟨U+202E⟩``."""
    if not any(is_deceptive(char) for char in text):
        return text
    return "".join(f"\u27e8U+{ord(c):04X}\u27e9" if is_deceptive(c) else c for c in text)
