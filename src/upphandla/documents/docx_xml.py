"""WordprocessingML basics that the Word writer's modules share.

The namespaces, escaping text for XML, and the check for characters that XML (and so a Word
document) cannot hold: ``UnsafeTextError`` names where such a character was. Used by
``docx_body`` (the body serialiser), ``docx_numbering``, ``docx_styles`` and ``docx_writer``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from upphandla.errors import InputError
from upphandla.text import Text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

W = f"{{{W_NS}}}"

# XML 1.0 cannot hold C0 controls other than tab, newline and carriage return, lone surrogates,
# or U+FFFE/U+FFFF. lxml (and so python-docx) raises ValueError on them.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class UnsafeTextError(InputError):
    """Text holds a character that a Word document cannot store (a control character).

    Callers sanitise text before rendering; this is the safety net. ``location_hint`` says
    where the text was (block number, nearest heading, table cell or property); the caller
    that knows which document it was gives the file to ``problem``. It is still a
    ``ValueError`` too, what lxml raises for the same text (``test_docx_writer`` pins that).
    """

    def __init__(self, location_hint: str, text: str = "", character: str = "") -> None:
        self.location_hint = location_hint
        self.text = text
        self.character = character
        code = f"U+{ord(character):04X} " if character else ""
        self._snippet = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(
            f"{location_hint}: the text {self._snippet!r} contains a control character {code}"
            "that cannot be stored in a Word document"
        )

    def bilingual(self) -> Text:
        """The message in Swedish and English."""
        code = f"U+{ord(self.character):04X} " if self.character else ""
        return Text(
            f"{self.location_hint}: texten {self._snippet!r} innehåller ett styrtecken {code}"
            "som inte kan lagras i ett Word-dokument",
            str(self),
        )


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    return escape(text).replace('"', "&quot;")


def unsafe_character(text: str) -> str | None:
    match = UNSAFE.search(text)
    return match.group(0) if match else None


def check_text(text: str, where: Callable[[], str]) -> str:
    """Return ``text``, or raise ``UnsafeTextError`` when XML cannot hold it."""
    bad = unsafe_character(text)
    if bad is not None:
        raise UnsafeTextError(where(), text, bad)
    return text
