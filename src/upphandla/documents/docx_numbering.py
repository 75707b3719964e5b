"""List numbering in the numbering part: the list styles' definitions and a restart per list.

Each list style of the reference document (bullets and numbers, in the body and in table
cells) gets the ``w:num`` its style carries, or a plain fallback definition when it has none;
every numbered list gets its own ``w:num`` that starts again at 1.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from upphandla.documents.docx_styles import StyleInfo
from upphandla.documents.docx_xml import W_NS, W


class Numbering:
    """Numbering for the list styles; gives each numbered list its own ``w:num`` (restart at 1)."""

    def __init__(self, numbering_element: Any, styles: dict[str, StyleInfo]) -> None:
        self._element = numbering_element
        self._nums: dict[int, int] = {}  # numId -> abstractNumId
        for num in numbering_element.iterchildren(f"{W}num"):
            abstract = num.find(f"{W}abstractNumId")
            if abstract is not None:
                self._nums[int(num.get(f"{W}numId"))] = int(abstract.get(f"{W}val"))
        self._abstract_ids = {
            int(a.get(f"{W}abstractNumId"))
            for a in numbering_element.iterchildren(f"{W}abstractNum")
        }
        self._next_num = max(self._nums, default=0) + 1
        self._new: list[str] = []
        self.style_num: dict[str, int] = {}
        for name, ordered in (
            ("List Bullet", False),
            ("List Number", True),
            ("Upphandla Tabellpunkt", False),
            ("Upphandla Tabellnummer", True),
        ):
            info = styles.get(name.lower())
            num_id = self._style_num_id(info, styles) if info is not None else None
            if num_id is None or num_id not in self._nums:
                num_id = self._add_fallback(ordered)
            self.style_num[name] = num_id

    @staticmethod
    def _style_num_id(info: StyleInfo, styles: dict[str, StyleInfo]) -> int | None:
        """The numId a paragraph style carries, following ``basedOn`` a few steps."""
        seen: set[str] = set()
        current: StyleInfo | None = info
        while current is not None and current.style_id not in seen:
            seen.add(current.style_id)
            num_id = current.element.find(f"{W}pPr/{W}numPr/{W}numId")
            if num_id is not None:
                value = int(num_id.get(f"{W}val"))
                return value if value > 0 else None
            based = current.element.find(f"{W}basedOn")
            current = (
                styles.get((based.get(f"{W}val") or "").lower()) if based is not None else None
            )
        return None

    def _add_fallback(self, ordered: bool) -> int:
        """Add an abstract numbering and a ``w:num`` for a list style that has none."""
        abstract_id = max(self._abstract_ids, default=0) + 1
        self._abstract_ids.add(abstract_id)
        if ordered:
            kind = '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        else:
            kind = '<w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>'
        abstract = etree.fromstring(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/>{kind}<w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="567" w:hanging="284"/></w:pPr></w:lvl></w:abstractNum>'
        )
        first_num = self._element.find(f"{W}num")
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._element.append(abstract)
        num_id = self._next_num
        self._next_num += 1
        self._nums[num_id] = abstract_id
        self._new.append(
            f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            "</w:num>"
        )
        return num_id

    def restarted(self, style_name: str) -> int:
        """A new numId for one numbered list of ``style_name``, starting again at 1."""
        abstract_id = self._nums[self.style_num[style_name]]
        num_id = self._next_num
        self._next_num += 1
        self._new.append(
            f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
        return num_id

    def finish(self) -> None:
        """Write the new ``w:num`` elements into the numbering part, in schema order."""
        if not self._new:
            return
        anchor = self._element.find(f"{W}numIdMacAtCleanup")
        fragment = etree.fromstring(
            f'<w:numbering xmlns:w="{W_NS}">' + "".join(self._new) + "</w:numbering>"
        )
        for num in list(fragment):
            if anchor is not None:
                anchor.addprevious(num)
            else:
                self._element.append(num)
