"""The follow-up plan (acceptance test, checks by moment, the buyer's duties), its result fields,
its landscape pages and its readable tables, and a transparency declaration that stays true."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli.app import app
from upphandla.documents import form
from upphandla.documents.blocks import AnswerField, Cell, Paragraph, Run, SectionBreak, Table
from upphandla.documents.context import build_context
from upphandla.documents.docx_body import _content_widths
from upphandla.documents.follow_up import MOMENT_CODES, follow_up_context
from upphandla.documents.markup import parse_markup
from upphandla.evaluation.form_reader import read_answer_fields
from upphandla.interview.sources import AnswerSources
from upphandla.library.model import Level
from upphandla.selection.explain import select_from_answers
from upphandla.selection.select import Selection

runner = CliRunner()
EXAMPLES = REPO / "examples"
INCOME_SUPPORT = EXAMPLES / "ekonomiskt-bistand.yaml"
DATE = ["--date", "2026-11-27"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def selection_of(example: str) -> Selection:
    sources = AnswerSources(answers_path=EXAMPLES / f"{example}.yaml")
    return select_from_answers(sources, "sv").selection


def plan_data(example: str, evaluation: dict[str, Any] | None = None) -> dict[str, Any]:
    selection = selection_of(example)
    base = build_context(selection, "sv", datetime.date(2026, 11, 27))
    data: dict[str, Any] = follow_up_context(selection, "sv", evaluation, base)["follow_up"]
    return data


def checks_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [check for moment in data["moments"] for check in moment["checks"]]


def write(command: str, out: Path, *extra: str, example: Path = INCOME_SUPPORT) -> None:
    result = runner.invoke(
        app, [command, "--answers", str(example), "--out", str(out), *DATE, *extra]
    )
    assert result.exit_code == 0, result.output


# -- the plan's data --------------------------------------------------------------------------


def test_every_check_has_a_stable_identity_and_four_tags() -> None:
    data = plan_data("ekonomiskt-bistand")
    checks = [*data["acceptance"], *checks_of(data), *data["duties"]]
    identities = [check["check_id"] for check in checks]
    assert len(identities) == len(set(identities)), "two checks share an identity"
    for check in checks:
        assert check["check_id"] == f"{check['id']}.{check['moment']}"
        assert check["tags"] == {
            "result": f"{check['check_id']}.result",
            "date": f"{check['check_id']}.date",
            "by": f"{check['check_id']}.by",
            "note": f"{check['check_id']}.note",
        }
    moments = {check["moment"] for check in checks}
    assert moments <= {*MOMENT_CODES.values(), "accept"}


def test_requirement_check_tags_fit_in_a_word_bookmark() -> None:
    data = plan_data("ekonomiskt-bistand")
    for check in [*data["acceptance"], *checks_of(data)]:
        for tag in check["tags"].values():
            assert form.bookmark_name(tag), f"{tag} has no bookmark (longer than Word allows)"


def test_levels_that_hold_throughout_the_contract_are_followed_up() -> None:
    selection = selection_of("ekonomiskt-bistand")
    data = plan_data("ekonomiskt-bistand")
    followed = {check["id"] for check in checks_of(data)}
    for item in selection.included:
        text = item.wording.text.sv
        if "under hela avtalstiden" in text and item.level is Level.SKA:
            assert item.requirement.id in followed, item.requirement.id
    # Accuracy is a tender-phase requirement whose levels bind for the whole contract.
    yearly = next(m for m in data["moments"] if m["code"] == "year")
    accuracy = next(c for c in yearly["checks"] if c["id"] == "AI-SAK-01")
    assert "aktuella ärenden" in accuracy["evidence"]
    assert any("minst 90 %" in line for line in accuracy["levels"])


def test_evidence_asks_for_actual_performance_not_the_tender_documents() -> None:
    selection = selection_of("ekonomiskt-bistand")
    tender_evidence = {
        item.requirement.id: item.wording.evidence.sv
        for item in selection.included
        if item.wording.evidence.sv
    }
    data = plan_data("ekonomiskt-bistand")
    for check in checks_of(data):
        assert check["evidence"] != tender_evidence.get(check["id"]), check["check_id"]
        assert "Exempel på rapport" not in check["evidence"]
        assert "Accepterat villkor" not in check["evidence"]


def test_award_criteria_are_marked_if_promised_without_an_evaluation() -> None:
    data = plan_data("ekonomiskt-bistand")
    conditional = [c for c in checks_of(data) if c["if_promised"]]
    assert conditional, "the example has award criteria that bind in the contract"
    assert all(c["level"] == "BÖR" for c in conditional)
    assert data["if_promised_count"] == len({c["id"] for c in conditional})


def test_with_an_evaluation_only_promised_award_criteria_are_followed_up() -> None:
    unmarked = plan_data("ekonomiskt-bistand")
    some_bor = sorted({c["id"] for c in checks_of(unmarked) if c["if_promised"]})
    promised, dropped = some_bor[0], some_bor[1:]
    evaluation = {"suppliers": [{"name": "Leverantör A", "rank": 1, "promised": [promised]}]}
    data = plan_data("ekonomiskt-bistand", evaluation)
    ids = {c["id"] for c in checks_of(data)}
    assert promised in ids
    assert not ids & set(dropped)
    assert not any(c["if_promised"] for c in checks_of(data))
    assert all(c["promised"] for c in checks_of(data) if c["level"] == "BÖR")
    assert data["winner"] == "Leverantör A"


def test_the_buyers_own_duties_are_checked_with_their_provision() -> None:
    data = plan_data("ekonomiskt-bistand")
    by_id = {(d["id"], d["moment"]): d for d in data["duties"]}
    assert "art. 27" in by_id[("fria", "model")]["references"]
    assert "Uppdatera" in by_id[("fria", "model")]["check"]
    assert "26(5)" in by_id[("monitoring", "incident")]["references"]
    assert ("registration", "model") in by_id
    assert ("inform_persons", "start") in by_id


def test_acceptance_cases_cover_tests_demonstrations_and_the_buyers_levels() -> None:
    selection = selection_of("ekonomiskt-bistand")
    data = plan_data("ekonomiskt-bistand")
    cases = {case["id"]: case for case in data["acceptance"]}
    accuracy = cases["AI-SAK-01"]  # verified by a document, but it carries the buyer's levels
    assert any("minst 90 %" in line for line in accuracy["levels"])
    assert "testurval" in accuracy["run"]
    service = cases["AI-FOR-07"]
    assert any("99,5 %" in line for line in service["levels"])
    for item in selection.included:
        verification = {v.value for v in item.requirement.verification}
        if verification & {"test", "demonstration"} and item.level is Level.SKA:
            assert item.requirement.id in cases, item.requirement.id
    # An award criterion tested during the tender evaluation is not tested again.
    assert "AI-SAK-02" not in cases


def test_a_missing_level_is_a_gap_to_fill_in(tmp_path: Path) -> None:
    answers = tmp_path / "svar.yaml"
    text = INCOME_SUPPORT.read_text(encoding="utf-8")
    text = re.sub(r"  accuracy_targets: .*\n", '  accuracy_targets: ""\n', text)
    answers.write_text(text, encoding="utf-8")
    write("follow-up", tmp_path / "ut", "--format", "md", example=answers)
    plan = (tmp_path / "ut" / "uppfoljningsplan.md").read_text(encoding="utf-8")
    acceptance = plan.split("### AI-SAK-01")[1].split("###")[0]
    assert "Krav på noggrannhet: **\\[Fyll i: krav på noggrannhet\\]**" in acceptance


def test_the_acceptance_condition_is_a_contract_requirement(tmp_path: Path) -> None:
    write("generate", tmp_path, "--format", "md")
    appendix = (tmp_path / "kravbilaga.md").read_text(encoding="utf-8")
    contract = appendix.split("Särskilda kontraktsvillkor")[-1]
    assert "AI-SAK-10 Driftstart och betalning först efter godkänt godkännandeprov" in contract
    assert "LOU 17 kap. 1 §" in contract.split("AI-SAK-10")[1].split("###")[0]


# -- the Word file ---------------------------------------------------------------------------


def test_plan_has_a_result_field_per_check_and_landscape_pages(tmp_path: Path) -> None:
    write("follow-up", tmp_path)
    data = (tmp_path / "uppfoljningsplan.docx").read_bytes()
    fields = read_answer_fields(data)
    plan = plan_data("ekonomiskt-bistand")
    for check in [*plan["acceptance"], *checks_of(plan), *plan["duties"]]:
        tags = check["tags"]
        assert fields[tags["result"]].kind == "choice"
        assert {fields[tags[name]].kind for name in ("date", "by", "note")} == {"text"}
        assert not any(fields[tag].answered for tag in tags.values())
    from lxml import etree

    with zipfile.ZipFile(tmp_path / "uppfoljningsplan.docx") as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    body = root.find(f"{W}body")
    inner = body.findall(f".//{W}p/{W}pPr/{W}sectPr")
    assert len(inner) == 2, "portrait → landscape → portrait: two sections end in the body"
    sizes = [s.find(f"{W}pgSz") for s in [*inner, body.find(f"{W}sectPr")]]
    assert [size.get(f"{W}orient") for size in sizes] == [None, "landscape", None]
    assert int(sizes[1].get(f"{W}w")) > int(sizes[1].get(f"{W}h"))
    for section in [*inner, body.find(f"{W}sectPr")]:
        assert section.find(f"{W}footerReference") is not None, "every section has the footer"
    # Checks tables are laid out for the landscape width.
    grids = [sum(int(col.get(f"{W}w")) for col in grid) for grid in body.iter(f"{W}tblGrid")]
    assert max(grids) > 13000
    # The rows of the checklists are never split across two pages.
    checklists = [t for t in body.iter(f"{W}tbl") if "kontroller-" in etree.tostring(t).decode()]
    assert checklists
    for table in checklists:
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in table.iter(f"{W}tr"))
    assert min(grids) < 9100


def test_check_prompts_and_choices_are_the_contracts(tmp_path: Path) -> None:
    write("follow-up", tmp_path, "--format", "md")
    plan = (tmp_path / "uppfoljningsplan.md").read_text(encoding="utf-8")
    assert (
        "AI-SAK-01.year.result — Uppfyllt / Delvis uppfyllt / Ej uppfyllt / Ej kontrollerat" in plan
    )
    write("follow-up", tmp_path / "en", "--format", "md", "--lang", "en")
    english = (tmp_path / "en" / "uppfoljningsplan.md").read_text(encoding="utf-8")
    assert "AI-SAK-01.year.result — Met / Partly met / Not met / Not checked" in english
    assert "Evidence of the actual outcome" in english


# -- the writer ------------------------------------------------------------------------------


def test_landscape_and_portrait_directives_are_section_breaks() -> None:
    blocks = parse_markup("Text\n\n::: landscape\n| a |\n|---|\n| b |\n\n::: portrait\nMore\n")
    assert SectionBreak("landscape") in blocks
    assert blocks.index(SectionBreak("portrait")) > blocks.index(SectionBreak("landscape"))
    (table,) = parse_markup("::: table widths=1 rows=whole\n| a |\n| b |\n")
    assert isinstance(table, Table)
    assert table.whole_rows


def _cell(text: str) -> Cell:
    return Cell((Paragraph((Run(text),)),))


def test_no_column_is_narrower_than_its_longest_word() -> None:
    from upphandla.documents.docx_body import SWEDISH, BodyWriter

    table = Table(
        ("Krav", "Vad", "När", "Underlag", "Ansvarig"),
        ((_cell("AI-SAK-01"), _cell("kort"), _cell("Vid avtalsstart"),
          _cell("överensstämmelse " * 20), _cell("Systemförvaltare")),),
        widths=(2, 4, 1, 3, 1),
    )  # fmt: skip
    writer = BodyWriter.__new__(BodyWriter)
    writer.text_width = 9072
    minimum, _ = _content_widths(table, 5)
    widths = BodyWriter._column_widths(writer, table, 5)
    assert sum(widths) == 9072
    assert all(w >= m - 1 for w, m in zip(widths, minimum, strict=True)), (widths, minimum)
    # The longest word decides the minimum: "Systemförvaltare" and "överensstämmelse" are long.
    assert minimum[2] < minimum[4]
    assert SWEDISH.choice_prompt  # the writer's own prompts count as words too
    field_table = Table(
        ("Resultat",), ((Cell((Paragraph((AnswerField("x", "choice", ("Delvis uppfyllt",)),)),)),),)
    )
    assert _content_widths(field_table, 1)[0][0] > len("uppfyllt") * 100
    # A web address longer than any column may break; it does not take the whole table.
    address = Table(("A", "B"), ((_cell("https://" + "x" * 120), _cell("kort")),))
    assert _content_widths(address, 2)[0][0] < 4000


# -- the declaration -------------------------------------------------------------------------


def declaration(example: str, tmp_path: Path, *extra: str) -> str:
    write("declare", tmp_path / example, *extra, example=EXAMPLES / f"{example}.yaml")
    return (tmp_path / example / "transparensdeklaration.md").read_text(encoding="utf-8")


def test_a_chat_that_decides_nothing_makes_no_claims_about_decisions(tmp_path: Path) -> None:
    text = declaration("chattbot-medborgare", tmp_path)
    assert "biometri" not in text
    assert "beslut" not in text.split("# Hur du kan klaga")[1]
    assert "överklag" not in text
    assert "Systemet fattar inga beslut om dig" in text
    assert "du har kontakt med ett AI-system" in text
    assert "lagras inom EU/EES" in text


def test_applicants_are_told_where_they_learn_of_ai_not_in_a_decision(tmp_path: Path) -> None:
    text = declaration("cv-granskning", tmp_path)
    assert "i beslutet" not in text
    assert "Du som söker arbete hos oss" in text
    assert "när du söker en tjänst hos oss" in text
    assert "förvaltningslagen 32 §" not in text
    assert "art. 86" in text


def test_decisions_on_benefits_carry_reasons_and_a_way_to_complain(tmp_path: Path) -> None:
    text = declaration("ekonomiskt-bistand", tmp_path)
    assert "förvaltningslagen 32 §" in text
    assert "Om du inte är nöjd med ett beslut" in text
    assert "Du som ansöker om stöd" in text
    assert "en medarbetare granskar varje resultat" in text


def test_a_municipal_company_cites_no_administrative_procedure_act(tmp_path: Path) -> None:
    text = declaration("kreditbedomning", tmp_path)  # buyer_type: public_body_other
    assert "förvaltningslagen" not in text
    assert "art. 86" in text
    assert "Du vars kreditvärdighet bedöms" in text


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_every_declaration_says_only_what_the_answers_support(example: str, tmp_path: Path) -> None:
    answers = json.loads(json.dumps(_answers(example)))
    text = declaration(example, tmp_path)
    decides = answers.get("affects_individuals")
    if not decides:
        assert "Om du inte är nöjd med ett beslut" not in text
        assert "de beslut som fattas med stöd av det" not in text
    if "biometrics" not in answers.get("functions", []):
        assert "biometri" not in text.lower()
    if not answers.get("personal_data"):
        assert "dataskyddsombud" not in text
        assert "inga personuppgifter" in text
    assert "[Fyll i:" in text
    assert "{{" not in text
    assert "{%" not in text
    english = declaration(example, tmp_path / "en", "--lang", "en")
    assert "[Fill in:" in english
    assert english.count("\n# ") == text.count("\n# ")


def _answers(example: str) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8"))
    answers: dict[str, Any] = data["answers"]
    return answers


# -- LibreOffice: no word split across lines -------------------------------------------------

_ID = re.compile(r"[A-Z]+-[A-Z]+-\d+")


def split_words(pdf_text: str, document_text: str) -> list[str]:
    """Words of the document that the PDF breaks across two lines: a line that ends with the
    start of a word and a line that starts with its rest ("avtalsstar" / "t"), or a requirement
    id broken at one of its hyphens (pdftotext joins those back without the hyphen)."""

    def bare(word: str) -> str:
        return word.strip(".,:;()*[]\"'")

    vocabulary = {bare(word) for word in document_text.split()}
    joined_ids = {
        word[: m.start()] + word[m.end() :]: word
        for word in vocabulary
        if _ID.fullmatch(word)
        for m in re.finditer("-", word)
    }
    lines = [line.strip() for line in pdf_text.split("\n")]
    found = []
    for line, following in zip(lines, lines[1:], strict=False):
        if not line or not following:
            continue
        end, start = bare(line.split()[-1]), bare(following.split()[0])
        whole = end + start
        broken = whole in vocabulary and (end not in vocabulary or start not in vocabulary)
        # A line may end at a hyphen of a compound ("AI-" / "systemet") or at the dash of a range
        # ("7–" / "19"), but not inside an id.
        if broken and (not end.endswith(("-", "–")) or _ID.fullmatch(whole)):
            found.append(f"{end} | {start}")
    found += [
        f"{joined_ids[token]} (at a hyphen)"
        for token in {bare(t) for t in pdf_text.split()}
        if token not in vocabulary and token in joined_ids
    ]
    return sorted(set(found))


def test_split_words_finds_a_word_broken_across_lines() -> None:
    document = "Vid avtalsstart gäller överensstämmelse för AI-SAK-01 och AI-FOR-07."
    assert split_words("Vid avtalsstar\nt gäller", document) == ["avtalsstar | t"]
    assert split_words("för AI-SAK01 och", document) == ["AI-SAK-01 (at a hyphen)"]
    assert split_words("Vid avtalsstart\ngäller", document) == []


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or pdftotext is not installed",
)
@pytest.mark.parametrize(
    ("example", "lang"),
    [("ekonomiskt-bistand", "sv"), ("chattbot-medborgare", "sv"), ("cv-granskning", "en")],
)
def test_libreoffice_breaks_no_word_in_the_plan(example: str, lang: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write("follow-up", out, "--lang", lang, example=EXAMPLES / f"{example}.yaml")
    docx = out / "uppfoljningsplan.docx"
    profile = f"file:///tmp/lo-upphandla-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf_text = subprocess.run(
        ["pdftotext", str(tmp_path / "uppfoljningsplan.pdf"), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    document_text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "Underlag om verkligt utfall" in pdf_text or "Evidence of the actual" in pdf_text
    assert split_words(pdf_text, document_text) == []


def test_bundled_requirements_that_hold_throughout_the_contract_have_a_follow_up() -> None:
    from upphandla.library.loading import require_library
    from upphandla.library.model import Phase

    library, _ = require_library("default")
    for requirement in library.requirements:
        other_levels = [level for level in (requirement.ska, requirement.bor) if level is not None]
        texts = [requirement.text.sv, *(level.text.sv for level in other_levels)]
        if any("under hela avtalstiden" in text for text in texts):
            assert requirement.phase is not Phase.TENDER or requirement.follow_up is not None, (
                f"{requirement.id} holds throughout the contract but is never followed up"
            )


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or pdftotext is not installed",
)
def test_libreoffice_breaks_no_word_in_the_tender_documents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write("generate", out)
    for name in ("kravbilaga", "svarsbilaga", "beslutsunderlag"):
        docx = out / f"{name}.docx"
        profile = f"file:///tmp/lo-upphandla-{uuid.uuid4().hex}"
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
             "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
            check=True, capture_output=True, timeout=240,
        )  # fmt: skip
        pdf_text = subprocess.run(
            ["pdftotext", str(tmp_path / f"{name}.pdf"), "-"],
            check=True, capture_output=True, text=True, timeout=60,
        ).stdout  # fmt: skip
        with zipfile.ZipFile(docx) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        document_text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
        assert split_words(pdf_text, document_text) == [], name
