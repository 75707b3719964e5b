"""``upphandla generate``, ``follow-up`` and ``declare``: real files, opened again and checked."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from docx import Document
from docx.text.paragraph import Paragraph
from typer.testing import CliRunner, Result

from conftest import REPO
from docx_dump import dump_docx
from golden import assert_matches_golden
from upphandla.cli.app import app
from upphandla.evaluation.form_reader import read_answer_fields, read_custom_properties

runner = CliRunner()
EXAMPLES = REPO / "examples"
INCOME_SUPPORT = EXAMPLES / "ekonomiskt-bistand.yaml"
DATE = ["--date", "2026-11-27"]


def generate(out: Path, *extra: str, example: Path = INCOME_SUPPORT) -> Result:
    return runner.invoke(
        app, ["generate", "--answers", str(example), "--out", str(out), *DATE, *extra]
    )


def _style(paragraph: Paragraph) -> str:
    return paragraph.style.name or "" if paragraph.style is not None else ""


@pytest.fixture(scope="module")
def income_support(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bistand")
    result = generate(out, "--format", "docx,md,json", "--force")
    assert result.exit_code == 0, result.output
    return out


def test_writes_the_three_documents_and_the_data_files(income_support: Path) -> None:
    names = {path.name for path in income_support.iterdir()}
    assert {
        "kravbilaga.docx",
        "svarsbilaga.docx",
        "beslutsunderlag.docx",
        "svar.yaml",
        "urval.json",
    } <= names
    assert {"kravbilaga.md", "svarsbilaga.md", "beslutsunderlag.md"} <= names
    assert not [name for name in names if name.endswith(".tmp")]


def test_every_selected_requirement_is_in_the_appendix(income_support: Path) -> None:
    selection = json.loads((income_support / "urval.json").read_text(encoding="utf-8"))
    document = Document(str(income_support / "kravbilaga.docx"))
    headings = [p.text for p in document.paragraphs if _style(p).startswith("Heading")]
    for requirement in selection["requirements"]:
        assert f"{requirement['id']} {requirement['title']}" in headings
    chapters = [p.text for p in document.paragraphs if _style(p) == "Heading 1"]
    assert "4 Kvalificeringskrav" in chapters
    assert "5 Krav på det som upphandlas" in chapters
    assert chapters[-1].endswith(" Utvärdering av anbuden")
    sections = document.sections[0]
    assert "Malmö stad" in "".join(p.text for p in sections.header.paragraphs)


def test_response_form_has_a_tagged_field_per_requirement(income_support: Path) -> None:
    selection = json.loads((income_support / "urval.json").read_text(encoding="utf-8"))
    data = (income_support / "svarsbilaga.docx").read_bytes()
    fields = read_answer_fields(data)
    for requirement in selection["requirements"]:
        for suffix in ("fulfilled", "description", "reference"):
            assert f"{requirement['id']}.{suffix}" in fields
    assert "supplier.name" in fields
    assert "supplier.price" in fields
    properties = read_custom_properties(data)
    assert properties["upphandla.library_sha256"] == selection["library"]["sha256"]
    assert len(properties["upphandla.form_id"]) == 16


def test_decision_record_shows_reasons_and_the_hash(income_support: Path) -> None:
    text = dump_docx(income_support / "beslutsunderlag.docx")
    selection = json.loads((income_support / "urval.json").read_text(encoding="utf-8"))
    assert selection["library"]["sha256"] in text
    assert "Konsekvensbedömning för grundläggande rättigheter" in text
    assert "Registrering" in text
    excluded = selection["excluded"][0]
    assert excluded["id"] in text


def test_decision_record_lists_every_buyer_duty_of_the_export(income_support: Path) -> None:
    text = dump_docx(income_support / "beslutsunderlag.docx")
    selection = json.loads((income_support / "urval.json").read_text(encoding="utf-8"))
    assert selection["buyer_duties"]
    for number, duty in enumerate(selection["buyer_duties"], start=1):
        assert f"[Heading 2] 5.{number} {duty['title']}" in text
        for requirement_id in duty["supported_by"]:
            assert requirement_id in text
    assert "Förtroendemodellen del 2" in text
    assert "[Heading 1] 2 Att göra före annonsering" in text


def test_appendix_shows_guidance_apart_from_binding_references(income_support: Path) -> None:
    selection = json.loads((income_support / "urval.json").read_text(encoding="utf-8"))
    text = dump_docx(income_support / "kravbilaga.docx")
    guided = [
        r for r in selection["requirements"] if not all(x["binding"] for x in r["references"])
    ]
    assert guided
    assert "Som vägledning, inte bindande i den här upphandlingen:" in text
    assert "[Upphandla Liten] Hänvisningar:" in text


def test_unsettled_dates_carry_their_status_in_the_appendix(income_support: Path) -> None:
    selection = json.loads((income_support / "urval.json").read_text(encoding="utf-8"))
    text = dump_docx(income_support / "kravbilaga.docx")
    unsettled = [
        r
        for r in selection["requirements"]
        if r["applies_from_status"] not in (None, "in_force")
        and any(x["binding"] and x["source"] == "AIA" for x in r["references"])
    ]
    if not unsettled:
        pytest.skip("no requirement of this example has an unsettled date")
    assert "som är antagen men ännu inte publicerad i EU:s officiella tidning" in text or (
        "som är politiskt överenskommen men ännu inte antagen" in text
    )
    assert "även om skyldigheten enligt lag gäller först från" in text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_points_model_is_stated_before_any_tender(tmp_path: Path, lang: str) -> None:
    result = generate(
        tmp_path, "--set", "evaluation_model=points", "--set", "quality_weight=25",
        "--format", "md,json", "--lang", lang,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    selection = json.loads((tmp_path / "urval.json").read_text(encoding="utf-8"))
    max_points = sum(
        r["evaluation"]["points"] or 0
        for r in selection["requirements"]
        if r["level"] == "bor" and r["evaluation"]
    )
    assert max_points > 0
    text = (tmp_path / "kravbilaga.md").read_text(encoding="utf-8")
    shown = f"{max_points:g}" if lang == "en" else f"{max_points:g}".replace(".", ",")
    if lang == "sv":
        assert "jämförelsetal = anbudspris × (1 − Q × P / Pmax)" in text
        assert f"**Högsta möjliga poäng (Pmax)** | **{shown}**" in text
        assert "25 procent, det vill säga 0,25" in text
        assert "genom lottning" in text
    else:
        assert "evaluation price = tender price × (1 − Q × P / Pmax)" in text
        assert f"**Maximum points (Pmax)** | **{shown}**" in text
        assert "25 per cent, that is 0.25" in text
        assert "drawing lots" in text
    assert "upphandlingsdokumenten" not in text.split("Utvärdering av anbuden")[-1]


@pytest.mark.parametrize("name", ["kravbilaga", "svarsbilaga", "beslutsunderlag"])
def test_markdown_golden(income_support: Path, name: str) -> None:
    assert_matches_golden(
        f"ekonomiskt-bistand/{name}.md", (income_support / f"{name}.md").read_text(encoding="utf-8")
    )


def test_follow_up_plan_golden(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["follow-up", "--answers", str(INCOME_SUPPORT), "--out", str(tmp_path), "--format", "md",
         *DATE],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert_matches_golden(
        "ekonomiskt-bistand/uppfoljningsplan.md",
        (tmp_path / "uppfoljningsplan.md").read_text(encoding="utf-8"),
    )


@pytest.mark.parametrize("example", ["chattbot-medborgare", "cv-granskning", "ekonomiskt-bistand"])
def test_declaration_golden(example: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["declare", "--answers", str(EXAMPLES / f"{example}.yaml"), "--out", str(tmp_path),
         *DATE],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert_matches_golden(
        f"declarations/{example}.md",
        (tmp_path / "transparensdeklaration.md").read_text(encoding="utf-8"),
    )


@pytest.mark.parametrize("name", ["kravbilaga", "svarsbilaga"])
def test_docx_text_golden(income_support: Path, name: str) -> None:
    assert_matches_golden(
        f"ekonomiskt-bistand/{name}.docx.txt", dump_docx(income_support / f"{name}.docx")
    )


def test_same_answers_give_the_same_documents(income_support: Path, tmp_path: Path) -> None:
    assert generate(tmp_path, "--format", "md,json").exit_code == 0
    for name in ("kravbilaga.md", "svarsbilaga.md", "beslutsunderlag.md", "urval.json"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (income_support / name).read_text(
            encoding="utf-8"
        )


def test_english_documents(tmp_path: Path) -> None:
    result = generate(tmp_path, "--lang", "en", "--format", "docx")
    assert result.exit_code == 0, result.output
    text = dump_docx(tmp_path / "kravbilaga.docx")
    assert "Requirement appendix" in text
    fields = read_answer_fields((tmp_path / "svarsbilaga.docx").read_bytes())
    assert "AI-KLS-01.fulfilled" in fields


def test_existing_files_are_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "kravbilaga.docx").write_bytes(b"keep me")
    result = generate(tmp_path)
    assert result.exit_code == 1
    assert "Filen finns redan" in result.stderr
    assert "--force" in result.stderr
    assert (tmp_path / "kravbilaga.docx").read_bytes() == b"keep me"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["kravbilaga.docx"]
    assert generate(tmp_path, "--force").exit_code == 0
    assert (tmp_path / "kravbilaga.docx").read_bytes()[:2] == b"PK"


def test_prohibited_practice_refuses_with_exit_3(tmp_path: Path) -> None:
    result = generate(tmp_path / "out", "--set", "prohibited_practices=social_scoring")
    assert result.exit_code == 3
    assert "art. 5.1 c" in result.stderr
    assert not (tmp_path / "out").exists()


def test_template_error_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    templates = tmp_path / "mallar"
    (templates / "sv").mkdir(parents=True)
    (templates / "sv" / "kravbilaga.md.j2").write_text(
        "# Rubrik\n\n{{ procurement.titel }}\n", encoding="utf-8"
    )
    result = generate(tmp_path / "out", "--templates", str(templates))
    assert result.exit_code == 1
    assert f"{templates / 'sv' / 'kravbilaga.md.j2'}:3: fel:" in result.stderr
    assert not (tmp_path / "out").exists()


def test_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    templates = tmp_path / "mallar"
    (templates / "sv").mkdir(parents=True)
    (templates / "sv" / "kravbilaga.md.j2").write_text(
        "{{ procurement.__class__.__mro__ }}\n", encoding="utf-8"
    )
    result = generate(tmp_path / "out", "--templates", str(templates))
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_reference_document_without_a_needed_style(tmp_path: Path) -> None:
    plain = tmp_path / "tom.docx"
    Document().save(str(plain))
    result = generate(tmp_path / "out", "--reference-doc", str(plain))
    assert result.exit_code == 1
    assert "saknar formatmallen" in result.stderr
    assert not (tmp_path / "out").exists()


def test_control_character_in_an_answer_is_named(tmp_path: Path) -> None:
    result = generate(tmp_path / "out", "--set", "organisation=Kommun\x0bNord")
    assert result.exit_code == 1
    assert "Svaret på 'organisation' innehåller ett styrtecken (U+000B)" in result.stderr


def test_profile_sets_organisation_and_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "upphandla.toml").write_text(
        'organisation = "Region Profil"\nlanguage = "en"\n', encoding="utf-8"
    )
    answers = tmp_path / "svar.yaml"
    text = INCOME_SUPPORT.read_text(encoding="utf-8").replace("  organisation: Malmö stad\n", "")
    answers.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["generate", "--answers", str(answers), "--out", "ut", "--format", "md", *DATE]
    )
    assert result.exit_code == 0, result.output
    kravbilaga = (tmp_path / "ut" / "kravbilaga.md").read_text(encoding="utf-8")
    assert "Region Profil" in kravbilaga
    assert "Requirement appendix" in kravbilaga


def test_bad_profile_is_located(tmp_path: Path) -> None:
    profile = tmp_path / "upphandla.toml"
    profile.write_text('organisation = "X"\nlangauge = "en"\nreference_doc = \n', encoding="utf-8")
    result = generate(tmp_path / "out", "--profile", str(profile))
    assert result.exit_code == 1
    assert f"{profile}:3:" in result.stderr


def test_follow_up_plan_and_declaration(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "follow-up",
            "--answers",
            str(INCOME_SUPPORT),
            "--out",
            str(tmp_path),
            "--format",
            "docx,md",
            *DATE,
        ],
    )
    assert result.exit_code == 0, result.output
    plan = dump_docx(tmp_path / "uppfoljningsplan.docx")
    assert "Godkännandeprov före driftstart" in plan
    assert "Vid avtalets slut" in plan
    assert "Dataskyddsombud" in plan
    declared = runner.invoke(
        app, ["declare", "--answers", str(INCOME_SUPPORT), "--out", str(tmp_path), *DATE]
    )
    assert declared.exit_code == 0, declared.output
    declaration = (tmp_path / "transparensdeklaration.md").read_text(encoding="utf-8")
    assert "högrisksystem" in declaration
    assert "[Fyll i:" in declaration
    assert "en medarbetare granskar varje resultat innan det får verkan" in declaration
    assert (tmp_path / "transparensdeklaration.docx").is_file()


def test_follow_up_takes_promised_award_criteria_from_the_evaluation(tmp_path: Path) -> None:
    evaluation = tmp_path / "utvardering.json"
    evaluation.write_text(
        json.dumps({"suppliers": [{"name": "Leverantör A", "rank": 1, "promised": ["AI-MKT-02"]}]}),
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["follow-up", "--answers", str(INCOME_SUPPORT), "--out", str(tmp_path), "--format", "md",
         "--evaluation", str(evaluation), *DATE],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = (tmp_path / "uppfoljningsplan.md").read_text(encoding="utf-8")
    assert "Leverantör A" in plan
    assert "Utlovat i anbudet" in plan


def soffice_convert(source: Path, target_format: str, out: Path) -> Path:
    profile = f"file:///tmp/lo-upphandla-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
         "--convert-to", target_format, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return out / f"{source.stem}.{target_format.split(':')[0]}"


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed"
)


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_every_example_converts_to_pdf_with_libreoffice(example: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = generate(out, "--format", "docx", example=EXAMPLES / f"{example}.yaml")
    assert result.exit_code == 0, result.output
    for name in ("kravbilaga", "svarsbilaga", "beslutsunderlag"):
        pdf = soffice_convert(out / f"{name}.docx", "pdf", tmp_path / "pdf")
        assert pdf.is_file(), f"LibreOffice produced no PDF for {example}/{name}"
        assert pdf.read_bytes()[:4] == b"%PDF"


@pytest.mark.slow
@needs_soffice
def test_response_form_fields_survive_a_libreoffice_resave(
    income_support: Path, tmp_path: Path
) -> None:
    resaved = soffice_convert(
        income_support / "svarsbilaga.docx", "docx:MS Word 2007 XML", tmp_path
    )
    original = read_answer_fields((income_support / "svarsbilaga.docx").read_bytes())
    after = read_answer_fields(resaved.read_bytes())
    assert set(original) <= set(after)


def test_protect_restricts_editing_of_the_response_form_only(tmp_path: Path) -> None:
    import zipfile

    assert generate(tmp_path, "--protect", "--format", "docx").exit_code == 0
    with zipfile.ZipFile(tmp_path / "svarsbilaga.docx") as archive:
        assert b'w:edit="readOnly"' in archive.read("word/settings.xml")
    with zipfile.ZipFile(tmp_path / "kravbilaga.docx") as archive:
        assert b"documentProtection" not in archive.read("word/settings.xml")
    assert "AI-KLS-01.fulfilled" in read_answer_fields((tmp_path / "svarsbilaga.docx").read_bytes())
