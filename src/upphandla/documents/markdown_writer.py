"""Write a ``Document`` of blocks as GitHub-flavoured Markdown, for review and diffs.

The output is deterministic: the same blocks always give the same text. Answer fields are shown
as ``[svar: TAG]`` (free text), ``[svar: TAG — Ja / Nej]`` (a choice) and ``[ ]`` (a checkbox);
in English documents ``answer`` replaces ``svar``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from upphandla.documents.blocks import (
    AnswerField,
    BulletList,
    Cell,
    Document,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Run,
    SectionBreak,
    Table,
    TableOfContents,
)

# Characters that Markdown could read as markup anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# Line starts that would turn a paragraph into a heading, list, quote or rule.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def _escape(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _escape_line_start(text: str) -> str:
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


class _Writer:
    def __init__(self, language: str) -> None:
        english = language.lower().startswith("en")
        self.answer_word = "answer" if english else "svar"
        self.toc_line = "*Table of contents*" if english else "*Innehållsförteckning*"

    def run(self, run: Run, line_break: str) -> str:
        text = _escape(run.text.replace("\r\n", "\n").replace("\r", "\n"))
        if not text.strip():
            return text.replace("\n", line_break)
        # Emphasis markers must hug the text, so surrounding spaces stay outside them.
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        marker = ("**" if run.bold else "") + ("*" if run.italic else "")
        if marker:
            closing = marker[::-1]
            core = "\n".join(
                f"{marker}{line}{closing}" if line.strip() else line for line in core.split("\n")
            )
        return (lead + core + trail).replace("\n", line_break)

    def field(self, field: AnswerField) -> str:
        tag = _escape(field.tag)
        if field.kind == "checkbox":
            return "[ ]"
        if field.kind == "choice" and field.choices:
            choices = " / ".join(_escape(choice) for choice in field.choices)
            return f"[{self.answer_word}: {tag} — {choices}]"
        return f"[{self.answer_word}: {tag}]"

    def inlines(self, content: Sequence[Inline], line_break: str = "\\\n") -> str:
        parts = []
        for item in content:
            if isinstance(item, Run):
                parts.append(self.run(item, line_break))
            else:
                parts.append(self.field(item))
        return "".join(parts)

    def paragraph(self, paragraph: Paragraph, line_break: str = "\\\n") -> str:
        text = self.inlines(paragraph.content, line_break).strip()
        if not text:
            return ""
        if paragraph.style == "title":
            return "# " + text.replace(line_break, " ")
        if paragraph.style == "subtitle":
            return "*" + text.replace(line_break, " ") + "*"
        if paragraph.style == "label" and not text.startswith("**"):
            return f"**{text}**"
        return _escape_line_start(text)

    def bullet_list(self, items: BulletList) -> str:
        lines = []
        for number, item in enumerate(items.items, start=1):
            marker = f"{number}." if items.ordered else "-"
            indent = " " * (len(marker) + 1)
            text = self.inlines(item, "\\\n" + indent).strip()
            lines.append(f"{marker} {text}".rstrip())
        return "\n".join(lines)

    def cell(self, cell: Cell) -> str:
        parts = []
        for item in cell.paragraphs:
            if isinstance(item, BulletList):
                for number, entry in enumerate(item.items, start=1):
                    marker = f"{number}." if item.ordered else "•"
                    parts.append(f"{marker} {self.inlines(entry, '<br>').strip()}")
            else:
                text = self.paragraph(item, "<br>")
                if text:
                    parts.append(text)
        return "<br>".join(parts).replace("\n", " ")

    def table(self, table: Table) -> str:
        columns = max([len(table.header)] + [len(row) for row in table.rows])
        if columns == 0:
            return ""
        lines = []
        if table.tag:
            lines.append(f"<!-- tabell: {table.tag.replace('--', '- -')} -->")
        header = [_escape(text) for text in table.header] + [""] * (columns - len(table.header))
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join(" --- " for _ in range(columns)) + "|")
        for row in table.rows:
            cells = [self.cell(cell) for cell in row] + [""] * (columns - len(row))
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def block(self, block: object) -> str:
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            return "#" * level + " " + _escape(block.text.replace("\n", " ")).strip()
        if isinstance(block, BulletList):
            return self.bullet_list(block)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, PageBreak):
            return "---"
        if isinstance(block, TableOfContents):
            return self.toc_line
        if isinstance(block, SectionBreak):
            return ""  # page orientation is the Word file's business
        raise TypeError(f"not a block: {type(block).__name__}")


def render_markdown(document: Document) -> str:
    """The document as GitHub-flavoured Markdown text, ending with one newline.

    Args:
        document: The blocks to write; of the properties only the language is used.
    """
    writer = _Writer(document.properties.language)
    parts = [writer.block(block) for block in document.blocks]
    text = "\n\n".join(part for part in parts if part)
    return text + "\n" if text else ""
