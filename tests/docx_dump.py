"""A stable text dump of a .docx (styles, text, tables, content-control tags) for golden files."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

W_SDT = qn("w:sdt")
W_TAG = qn("w:tag")
W_VAL = qn("w:val")


def dump_docx(path: Path) -> str:
    """Body paragraphs as ``[Style] text`` and tables as rows of cells, in document order."""
    document = Document(str(path))
    lines: list[str] = []
    body = document.element.body
    paragraphs = {id(p._p): p for p in document.paragraphs}
    tables = {id(t._tbl): t for t in document.tables}
    for child in body.iterchildren():
        if id(child) in paragraphs:
            paragraph = paragraphs[id(child)]
            text = paragraph.text.strip()
            if text:
                lines.append(f"[{paragraph.style.name}] {text}")
        elif id(child) in tables:
            for row in tables[id(child)].rows:
                cells = [
                    " / ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    for cell in row.cells
                ]
                lines.append("| " + " | ".join(cells) + " |")
        elif child.tag == W_SDT:
            lines.append(f"[sdt {_tag(child)}]")
    tags = sorted(_tag(sdt) for sdt in body.iter(W_SDT))
    lines.append(f"content controls: {len(tags)}")
    return "\n".join(lines) + "\n"


def _tag(sdt: object) -> str:
    for element in sdt.iter(W_TAG):  # type: ignore[attr-defined]
        return str(element.get(W_VAL))
    return ""
