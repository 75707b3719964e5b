"""What the package sends to suppliers, read back from the generated Word files of every example.

A SKA requirement never reads as optional or promises points or a deduction; no sentence points at
a document that is not in the package; no internal code reaches a supplier; every award criterion
is in the award section and nothing else is; contract conditions ask for acceptance; and a
purchase that is not high-risk cites no high-risk-only provision of the AI Act as binding.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli.app import app
from upphandla.evaluation.form_reader import read_answer_fields

runner = CliRunner()
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
DATE = "2026-11-27"

# Words a SKA text must not contain: it would read as optional, or promise an award (the same
# words as `upphandla library check` rejects in a SKA text).
SKA_WORDS = {
    "sv": re.compile(r"\b(bör|poäng\w*|\w*avdrag\w*)\b", re.IGNORECASE),
    "en": re.compile(r"\b(should|points|deductions?)\b", re.IGNORECASE),
}
EVIDENCE_LABEL = {"sv": "Underlag att lämna:", "en": "Evidence to provide:"}
# The label over the buyer's own figures, which are the buyer's words, not the requirement's.
BUYER_INPUT_LABEL = {
    "sv": " (anges av den upphandlande organisationen):",
    "en": " (set by the contracting authority):",
}
TEXT_ROW = {"sv": ("Krav", "Villkor", "Kriterium"), "en": ("Requirement", "Condition", "Criterion")}
# A pointer to a document that the package does not contain. The supplier documents may not say
# "i upphandlingsdokumenten" either (the thing meant must be in the package); the internal record
# may speak of the procurement documents, but never rely on them for a figure.
DANGLING = {
    "sv": re.compile(r"\b(enligt|i|som beskrivs i) upphandlingsdokumenten\b", re.IGNORECASE),
    "en": re.compile(
        r"\b(according to|in|as set out in|described in) the procurement documents\b",
        re.IGNORECASE,
    ),
}
DANGLING_INTERNAL = {
    "sv": re.compile(r"\benligt upphandlingsdokumenten\b", re.IGNORECASE),
    "en": re.compile(r"\b(according to|as set out in) the procurement documents\b", re.IGNORECASE),
}
INTERNAL_CODES = re.compile(r"\bFM[123]\b")
SECTION_KINDS = {
    "sv": {
        "Kvalificeringskrav": "qualification",
        "Krav på det som upphandlas": "specification",
        "Tilldelningskriterier (bör-krav)": "award",
        "Särskilda kontraktsvillkor": "contract",
    },
    "en": {
        "Qualification requirements": "qualification",
        "Requirements on what is procured": "specification",
        "Award criteria (BÖR)": "award",
        "Special contract conditions": "contract",
    },
}
PROMPTS = {
    "sv": {
        "qualification": "Uppfylls kravet?",
        "specification": "Uppfylls kravet?",
        "award": "Uppfyller anbudet kriteriet?",
        "contract": "Accepteras villkoret?",
    },
    "en": {
        "qualification": "Is the requirement met?",
        "specification": "Is the requirement met?",
        "award": "Does the tender meet the criterion?",
        "contract": "Is the condition accepted?",
    },
}
REFERENCES_LABEL = {"sv": "Hänvisningar:", "en": "References:"}
AI_ACT = {"sv": "AI-förordningen", "en": "AI Act"}
# Articles of the AI Act that bind only high-risk systems (49(2) binds the provider of an Annex
# III system that relies on the Art. 6(3) exception, so it may bind a purchase that is not
# high-risk).
HIGH_RISK_ONLY = {str(n) for n in (*range(9, 18), 26, 27, 43, 49, 72, 73, 86)}


@dataclass(frozen=True)
class Paragraph:
    style: str
    text: str


@dataclass(frozen=True)
class Table:
    tag: str
    rows: list[list[str]]


Block = Paragraph | Table


def read_blocks(path: Path) -> list[Block]:
    """The body of a .docx in document order: paragraphs with style, tables with tag and text."""
    document = Document(str(path))
    paragraphs = {id(p._p): p for p in document.paragraphs}
    tables = {id(t._tbl): t for t in document.tables}
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        if id(child) in paragraphs:
            paragraph = paragraphs[id(child)]
            style = paragraph.style.name if paragraph.style is not None else ""
            if paragraph.text.strip():
                blocks.append(Paragraph(style or "", paragraph.text.strip()))
        elif id(child) in tables:
            table = tables[id(child)]
            caption = child.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
            tag = caption.get(qn("w:val")) if caption is not None else ""
            rows = [["".join(_cell_text(cell._tc)) for cell in row.cells] for row in table.rows]
            blocks.append(Table(tag, rows))
    return blocks


def _cell_text(cell: Any) -> list[str]:
    """Every text of a cell, content controls included, paragraphs separated by a space."""
    texts = []
    for paragraph in cell.iter(qn("w:p")):
        text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
        if text.strip():
            texts.append(text.strip())
    return [" ".join(texts)]


def text_of(blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(" | ".join(row) for row in block.rows)
    return "\n".join(lines)


@dataclass(frozen=True)
class Package:
    """One example's generated package in one language."""

    example: str
    language: str
    folder: Path
    data: dict[str, Any]

    @property
    def requirements(self) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in self.data["requirements"]}

    def blocks(self, name: str) -> list[Block]:
        return read_blocks(self.folder / f"{name}.docx")


def _generate(example: Path, language: str, out: Path) -> Package:
    result = runner.invoke(
        app,
        ["generate", "--answers", str(example), "--out", str(out), "--format", "docx,json",
         "--lang", language, "--date", DATE, "--force"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((out / "urval.json").read_text(encoding="utf-8"))
    return Package(example.stem, language, out, data)


@pytest.fixture(
    scope="module",
    params=[(example, language) for example in EXAMPLES for language in ("sv", "en")],
    ids=lambda param: f"{param[0].stem}-{param[1]}",
)
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Package:
    example, language = request.param
    return _generate(example, language, tmp_path_factory.mktemp(f"{example.stem}-{language}"))


def requirement_blocks(blocks: list[Block], ids: set[str]) -> dict[str, list[Block]]:
    """Each requirement's blocks: from its heading (``ID Title``) to the next heading."""
    found: dict[str, list[Block]] = {}
    current: list[Block] | None = None
    for block in blocks:
        if isinstance(block, Paragraph) and block.style.startswith("Heading"):
            first = block.text.split(" ", 1)[0]
            current = found.setdefault(first, []) if first in ids else None
            continue
        if current is not None:
            current.append(block)
    return found


def requirement_text(blocks: list[Block], language: str) -> list[Block]:
    """The requirement's own text in the appendix: after the label, before the buyer's figures
    and the evidence."""
    text: list[Block] = []
    for block in blocks[1:]:
        if isinstance(block, Paragraph) and (
            block.text.startswith(EVIDENCE_LABEL[language])
            or block.text.endswith(BUYER_INPUT_LABEL[language])
            or block.style != "Normal"
        ):
            break
        text.append(block)
    return text


def kravbilaga_sections(blocks: list[Block], language: str) -> dict[str, list[str]]:
    """The requirement ids under each kind's section (level-1 heading ``N Title``)."""
    titles = SECTION_KINDS[language]
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        if block.style == "Heading 1":
            title = block.text.split(" ", 1)[1] if " " in block.text else block.text
            current = sections.setdefault(titles[title], []) if title in titles else None
        elif block.style == "Heading 3" and current is not None:
            current.append(block.text.split(" ", 1)[0])
    return sections


def test_no_ska_text_says_should_or_promises_points(package: Package) -> None:
    requirements = package.requirements
    ska = {i for i, r in requirements.items() if r["level"] == "ska"}
    words = SKA_WORDS[package.language]
    blocks = requirement_blocks(package.blocks("kravbilaga"), set(requirements))
    assert set(blocks) == set(requirements)
    for requirement_id in sorted(ska):
        text = text_of(requirement_text(blocks[requirement_id], package.language))
        assert text, requirement_id
        found = words.search(text)
        assert found is None, f"{requirement_id} (SKA) says '{found and found.group()}': {text}"
    for block in package.blocks("svarsbilaga"):
        if isinstance(block, Table) and block.tag in ska:
            text = " ".join(row[1] for row in block.rows if row[0] in TEXT_ROW[package.language])
            assert text, block.tag
            found = words.search(text)
            assert found is None, f"{block.tag} (SKA) in the response form: {text}"


def test_no_sentence_points_at_a_document_that_is_not_there(package: Package) -> None:
    for name in ("kravbilaga", "svarsbilaga", "beslutsunderlag"):
        dangling = (DANGLING_INTERNAL if name == "beslutsunderlag" else DANGLING)[package.language]
        text = text_of(package.blocks(name))
        found = dangling.search(text)
        assert found is None, f"{name}: '{found and found.group()}'"
        assert "vägs mot priset enligt den utvärderingsmodell" not in text


def test_no_internal_codes_reach_the_supplier(package: Package) -> None:
    for name in ("kravbilaga", "svarsbilaga"):
        text = text_of(package.blocks(name))
        found = INTERNAL_CODES.search(text)
        assert found is None, f"{name} contains {found and found.group()}"


def test_each_kind_has_its_own_section(package: Package) -> None:
    requirements = package.requirements
    sections = kravbilaga_sections(package.blocks("kravbilaga"), package.language)
    for kind in ("qualification", "specification", "award", "contract"):
        expected = sorted(i for i, r in requirements.items() if r["kind"] == kind)
        assert sorted(sections.get(kind, [])) == expected, kind
    assert all(requirements[i]["level"] == "bor" for i in sections.get("award", []))
    assert all(
        requirements[i]["level"] == "ska"
        for k, ids in sections.items()
        if k != "award"
        for i in ids
    )
    blocks = requirement_blocks(package.blocks("kravbilaga"), set(requirements))
    for requirement_id, requirement in requirements.items():
        label = next(b for b in blocks[requirement_id] if isinstance(b, Paragraph))
        assert label.text.startswith("BÖR" if requirement["kind"] == "award" else "SKA")


def test_response_form_asks_each_kind_its_own_question(package: Package) -> None:
    requirements = package.requirements
    prompts = PROMPTS[package.language]
    tables = {b.tag: b for b in package.blocks("svarsbilaga") if isinstance(b, Table)}
    fields = read_answer_fields((package.folder / "svarsbilaga.docx").read_bytes())
    for requirement_id, requirement in requirements.items():
        first_cells = [row[0] for row in tables[requirement_id].rows]
        assert prompts[requirement["kind"]] in first_cells, requirement_id
        for suffix in ("fulfilled", "description", "reference"):
            assert f"{requirement_id}.{suffix}" in fields


def _ai_act_articles(line: str, language: str) -> list[str]:
    """The AI Act provisions in a ``Hänvisningar:`` line: ``art. 13, 26(1) och 26(4)``."""
    found: list[str] = []
    for group in line.split(":", 1)[1].split(";"):
        group = group.strip()
        if not group.startswith(AI_ACT[language] + " "):
            continue
        items = re.split(r", | och | and ", group.removeprefix(AI_ACT[language] + " "))
        found.extend(item.strip().removeprefix("art. ").removeprefix("Art. ") for item in items)
    return found


def _high_risk_only(provision: str) -> bool:
    if provision.lower() in ("bilaga iv", "annex iv"):
        return True
    match = re.match(r"(\d+)", provision)
    if match is None or provision.startswith("49(2)"):
        return False
    return match.group(1) in HIGH_RISK_ONLY


def test_a_purchase_that_is_not_high_risk_cites_no_high_risk_provision_as_binding(
    package: Package,
) -> None:
    risk_class = package.data["classification"]["risk_class"]
    if risk_class in ("high", "prohibited"):
        pytest.skip(f"{package.example} is {risk_class}")
    label = REFERENCES_LABEL[package.language]
    for block in package.blocks("kravbilaga"):
        if isinstance(block, Paragraph) and block.text.startswith(label):
            wrong = [
                p for p in _ai_act_articles(block.text, package.language) if _high_risk_only(p)
            ]
            assert not wrong, f"{package.example}: {block.text}"
    for requirement in package.data["requirements"]:
        for reference in requirement["references"]:
            if reference["source"] == "AIA" and reference["binding"]:
                assert not _high_risk_only(reference["ref"]), (requirement["id"], reference)


def test_the_examples_include_a_minimal_risk_purchase(tmp_path: Path) -> None:
    classes = set()
    for example in EXAMPLES:
        result = runner.invoke(
            app, ["explain", "--answers", str(example), "--format", "json", "--lang", "en"]
        )
        if result.exit_code == 0:
            classes.add(json.loads(result.stdout)["classification"]["risk_class"])
    assert "minimal" in classes


def test_a_transition_requirement_is_not_promised_from_contract_start(tmp_path: Path) -> None:
    """AI-KLS-06 lets CE marking and registration wait for the law's date; the document agrees."""
    from upphandla import AnswerSources, GenerateRequest, generate_documents

    documents = generate_documents(
        GenerateRequest(
            answers=AnswerSources(answers_path=REPO / "examples" / "ekonomiskt-bistand.yaml"),
            formats=("md",),
            out=tmp_path / "ut",
            date="2026-12-01",
        )
    )
    kravbilaga = documents.files[tmp_path / "ut" / "kravbilaga.md"].decode()
    section = kravbilaga.split("AI-KLS-06", 1)[1].split("\n### ", 1)[0]
    assert (
        "Kravet ska vara uppfyllt senast den dag då skyldigheten enligt lag börjar gälla" in section
    )
    assert "Kravet gäller från avtalsstart" not in section
