"""``upphandla evaluate``: response forms filled in programmatically, evaluated end to end.

One response form is generated for the income-support example; suppliers then fill it in
different ways (plain, with tracked changes, with paragraphs of their own, with tables moved and
deleted, re-saved by LibreOffice) and the forms are evaluated with the command line.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner, Result

from conftest import REPO, WriteLibrary
from docx_dump import dump_docx
from fill_form import DELETED, fill_form
from golden import assert_matches_golden
from upphandla.cli.app import app
from upphandla.documents.context import build_context
from upphandla.documents.markdown_writer import render_markdown
from upphandla.documents.templating import TemplateSet
from upphandla.documents.tender import EVALUATION_REPORT, render_kinds
from upphandla.errors import ProblemsError
from upphandla.evaluation.form_reader import read_custom_properties
from upphandla.evaluation.report import evaluation_context, evaluation_to_data, format_comparison
from upphandla.evaluation.responses import (
    Answer,
    SupplierResponse,
    interpret_fulfilled,
    parse_amount,
    parse_price_option,
)
from upphandla.evaluation.scoring import Evaluation
from upphandla.evaluation.scoring import evaluate as evaluate_tenders
from upphandla.library.loading import require_library
from upphandla.library.model import Level, Library
from upphandla.resources import BUNDLED_TEMPLATES, bundled_dir
from upphandla.selection.award_model import Weighting, comparison_figure
from upphandla.selection.select import Selection, select_requirements
from upphandla.text import Language

runner = CliRunner()
INCOME_SUPPORT = REPO / "examples" / "ekonomiskt-bistand.yaml"
GENERATED = ["--date", "2026-11-27"]
EVALUATED = ["--date", "2026-12-15"]


# --------------------------------------------------------------------------- fixtures and helpers


def generate_form(out: Path, *extra: str) -> Path:
    result = runner.invoke(
        app,
        ["generate", "--answers", str(INCOME_SUPPORT), *GENERATED, "--format", "docx,json",
         "--out", str(out), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


@dataclass
class Form:
    """The blank response form and the selection it was made for (from urval.json)."""

    path: Path
    requirements: list[dict[str, Any]]

    @property
    def ska(self) -> list[str]:
        return [r["id"] for r in self.requirements if r["level"] == "ska"]

    @property
    def bor(self) -> list[str]:
        return [r["id"] for r in self.requirements if r["level"] == "bor"]

    def deduction(self, requirement_id: str) -> float:
        return self.value(requirement_id, "deduction_sek")

    def value(self, requirement_id: str, key: str) -> float:
        requirement = next(r for r in self.requirements if r["id"] == requirement_id)
        return float((requirement["evaluation"] or {}).get(key) or 0)


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Form:
    out = generate_form(tmp_path_factory.mktemp("form"))
    selection = json.loads((out / "urval.json").read_text(encoding="utf-8"))
    return Form(out / "svarsbilaga.docx", selection["requirements"])


@dataclass
class Supplier:
    """How one supplier fills in the form."""

    name: str
    org_number: str
    price: str
    no: tuple[str, ...] = ()
    bor_yes: tuple[str, ...] = ()
    blank: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def answers(self, form: Form) -> dict[str, str]:
        answers = {
            "supplier.name": self.name,
            "supplier.org_number": self.org_number,
            "supplier.contact": "Kim Kontakt",
            "supplier.contact_details": "kim@example.se, 040-123 45 67",
            "supplier.price": self.price,
        }
        for requirement in form.requirements:
            identifier = requirement["id"]
            if identifier in self.blank:
                continue
            if requirement["level"] == "ska":
                yes = identifier not in self.no
            else:
                yes = identifier in self.bor_yes
            answers[f"{identifier}.fulfilled"] = "Ja" if yes else "Nej"
            answers[f"{identifier}.description"] = (
                f"{self.name} beskriver hur {identifier} uppfylls."
            )
            answers[f"{identifier}.reference"] = f"Bilaga 2, avsnitt {identifier}"
        return answers

    def fill(self, form: Form, target: Path) -> Path:
        return fill_form(form.path, target, self.answers(form), **self.options)


def evaluate(forms: list[Path], out: Path, *extra: str) -> Result:
    return runner.invoke(
        app,
        ["evaluate", *(str(p) for p in forms), "--answers", str(INCOME_SUPPORT), "--out",
         str(out), *EVALUATED, *extra],
    )  # fmt: skip


def suppliers_of(form: Form) -> dict[str, Supplier]:
    """The three suppliers of the end-to-end case, chosen from the selection's own ids."""
    bor = form.bor
    return {
        # (a) plain answers; two BÖR met, the last one left unanswered
        "alfa": Supplier("Alfa Analys AB", "556000-1111", "1 250 000 kr",
                         bor_yes=(bor[0], bor[1]), blank=(bor[-1],)),
        # (b) not qualified: a SKA answered with a plain Nej
        "beta": Supplier("Beta Data AB", "556000-2222", "1 100 000,50", no=(form.ska[3],),
                         bor_yes=(bor[0],)),
        # (c) paragraphs of its own between the tables and inside answers, tables reversed
        "cirkel": Supplier("Cirkel IT AB", "556000-3333", "1400000 SEK",
                           bor_yes=tuple(i for i in bor if i != bor[-2]),
                           options={"between_tables": True, "second_paragraph": True,
                                    "reorder_tables": True}),
    }  # fmt: skip


@dataclass
class ThreeSuppliers:
    form: Form
    suppliers: dict[str, Supplier]
    files: dict[str, Path]
    out: Path
    result: Result
    data: dict[str, Any]

    def supplier(self, key: str) -> dict[str, Any]:
        name = self.suppliers[key].name
        return next(s for s in self.data["suppliers"] if s["name"] == name)


@pytest.fixture(scope="module")
def three(form: Form, tmp_path_factory: pytest.TempPathFactory) -> ThreeSuppliers:
    folder = tmp_path_factory.mktemp("anbud")
    suppliers = suppliers_of(form)
    files = {
        key: supplier.fill(form, folder / f"{key}.docx") for key, supplier in suppliers.items()
    }
    out = folder / "utvardering"
    result = evaluate(list(files.values()), out, "--format", "docx,md,json")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "utvardering.json").read_text(encoding="utf-8"))
    return ThreeSuppliers(form, suppliers, files, out, result, data)


def assert_refused(result: Result, out: Path, *needles: str) -> None:
    """Exit 1, every needle in the messages, and not a single file written."""
    assert result.exit_code == 1, result.output
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert "Inget skrevs" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


# --------------------------------------------------------------------------- end to end


def test_three_suppliers_are_qualified_scored_and_ranked(three: ThreeSuppliers) -> None:
    form = three.form
    bor = form.bor
    alfa, beta, cirkel = (three.supplier(key) for key in ("alfa", "beta", "cirkel"))
    assert three.data["evaluation_model"] == "price_deduction_sek"
    assert three.data["format_version"] == 1
    assert set(three.data["library"]) == {"id", "version", "sha256"}

    assert alfa["qualified"] is True
    assert alfa["failed_ska"] == []
    assert alfa["unanswered"] == [bor[-1]]
    assert alfa["unlocated"] == []
    assert alfa["promised"] == [bor[0], bor[1]]
    assert alfa["price"] == 1_250_000

    assert alfa["status"] == "qualified"
    assert beta["status"] == "not_qualified"
    assert cirkel["status"] == "qualified"
    assert beta["qualified"] is False
    assert beta["failed_ska"] == [form.ska[3]]
    assert beta["unanswered"] == []
    assert beta["rank"] is None
    assert beta["comparison_figure"] is None
    assert beta["price"] == 1_100_000.50

    assert cirkel["qualified"] is True
    assert cirkel["failed_ska"] == []
    assert cirkel["unlocated"] == []
    assert cirkel["reservations"] == []
    assert sorted(cirkel["promised"]) == sorted(i for i in bor if i != bor[-2])
    assert cirkel["price"] == 1_400_000

    # The comparison figures, by hand, with the deductions the library gives.
    alfa_deductions = form.deduction(bor[0]) + form.deduction(bor[1])
    cirkel_deductions = sum(form.deduction(i) for i in bor if i != bor[-2])
    assert alfa["deductions"] == alfa_deductions
    assert cirkel["deductions"] == cirkel_deductions
    assert alfa["comparison_figure"] == 1_250_000 - alfa_deductions
    assert cirkel["comparison_figure"] == 1_400_000 - cirkel_deductions
    best, second = sorted([alfa, cirkel], key=lambda s: s["comparison_figure"])
    assert (best["rank"], second["rank"]) == (1, 2)
    assert [s["rank"] for s in three.data["suppliers"]] == [1, 2, None]


def test_answers_are_recorded_for_every_requirement(three: ThreeSuppliers) -> None:
    alfa = three.supplier("alfa")
    assert {a["id"] for a in alfa["answers"]} == {r["id"] for r in three.form.requirements}
    first = next(a for a in alfa["answers"] if a["id"] == three.form.ska[0])
    assert first == {
        "id": three.form.ska[0],
        "title": first["title"],
        "level": "ska",
        "outcome": "yes",
        "fulfilled": "yes",
        "fulfilled_text": "Ja",
        "found_text": "Ja",
        "doubts": [],
        "description": f"Alfa Analys AB beskriver hur {three.form.ska[0]} uppfylls.",
        "reference": f"Bilaga 2, avsnitt {three.form.ska[0]}",
    }
    blank = next(a for a in alfa["answers"] if a["id"] == three.form.bor[-1])
    assert (blank["fulfilled"], blank["description"]) == ("unanswered", "")
    assert (blank["outcome"], [d["reason"] for d in blank["doubts"]]) == (
        "unclear",
        ["not_answered"],
    )
    assert alfa["file"] == "alfa.docx"


def test_unaccepted_tracked_changes_make_every_answer_unclear(form: Form, tmp_path: Path) -> None:
    supplier = Supplier("Beta Data AB", "556000-2222", "1 100 000,50", no=(form.ska[3],),
                        bor_yes=(form.bor[0],), options={"tracked": True})  # fmt: skip
    result = evaluate([supplier.fill(form, tmp_path / "beta.docx")], tmp_path / "ut",
                      "--format", "json")  # fmt: skip
    assert result.exit_code == 4, result.output
    beta = json.loads((tmp_path / "ut" / "utvardering.json").read_text(encoding="utf-8"))[
        "suppliers"
    ][0]
    # "Ja" struck out and "Nej" inserted, not accepted: what is seen is "Nej", but it is not a
    # plain answer as stored, so the bid is neither excluded nor qualified.
    failed = next(a for a in beta["answers"] if a["id"] == form.ska[3])
    assert failed["fulfilled_text"] == "Nej"
    assert failed["outcome"] == "unclear"
    assert [d["reason"] for d in failed["doubts"]] == ["tracked_change"]
    assert failed["found_text"] == "⟦struken text: Ja⟧Nej"
    assert beta["status"] == "to_review"
    assert beta["failed_ska"] == []
    for answer in beta["answers"]:
        assert DELETED not in answer["description"]
        assert answer["description"].startswith("Beta Data AB beskriver")
    assert beta["name"] == "Beta Data AB"
    assert beta["org_number"] == "556000-2222"


def test_paragraphs_of_the_suppliers_own_stay_out_of_the_answers(three: ThreeSuppliers) -> None:
    cirkel = three.supplier("cirkel")
    answer = next(a for a in cirkel["answers"] if a["id"] == three.form.ska[0])
    assert answer["description"] == (
        f"Cirkel IT AB beskriver hur {three.form.ska[0]} uppfylls.\n"
        "Leverantören har lagt till ett andra stycke i svaret."
    )
    assert answer["reference"] == f"Bilaga 2, avsnitt {three.form.ska[0]}"
    assert cirkel["name"] == "Cirkel IT AB"
    assert all("kommentar" not in a["reference"] for a in cirkel["answers"])


def test_text_beside_the_fields_is_a_doubt_and_a_reservation(form: Form, tmp_path: Path) -> None:
    supplier = Supplier("Cirkel IT AB", "556000-3333", "1400000 SEK",
                        options={"extra_paragraphs": True})  # fmt: skip
    result = evaluate([supplier.fill(form, tmp_path / "c.docx")], tmp_path / "ut",
                      "--format", "json")  # fmt: skip
    assert result.exit_code == 4, result.output
    cirkel = json.loads((tmp_path / "ut" / "utvardering.json").read_text(encoding="utf-8"))[
        "suppliers"
    ][0]
    assert cirkel["status"] == "to_review"
    first = next(a for a in cirkel["answers"] if a["id"] == form.ska[0])
    assert first["outcome"] == "unclear"
    assert first["doubts"][0]["reason"] == "beside"
    assert first["doubts"][0]["detail"] == "Leverantörens egen kommentar utanför fältet."
    added = [r for r in cirkel["reservations"] if r["requirement"] == form.ska[0]]
    assert added
    assert all(r["kind"] == "added" for r in added)
    assert cirkel["price_doubts"][0]["reason"] == "beside"


def test_the_comparison_table_is_printed(three: ThreeSuppliers) -> None:
    output = three.result.stdout
    lines = output.splitlines()
    assert lines[0] == "Utvärdering: AI-stöd för handläggning av ekonomiskt bistånd"
    header = next(line for line in lines if line.startswith("Rang"))
    assert "Jämförelsetal (kr)" in header
    start = lines.index(header)
    rows = lines[start + 1 : start + 4]
    assert [row.split()[0] for row in rows] == ["1", "2", "–"]
    assert "inte kvalificerat" in rows[2]
    assert lines[start + 4] == ""
    assert len({len(row) for row in rows} | {len(header)}) == 1, "columns are aligned"
    cirkel = three.supplier("cirkel")
    assert cirkel["comparison_figure"] == cirkel["price"] - cirkel["deductions"]
    assert f"{cirkel['comparison_figure']:,.0f}".replace(",", " ") in output
    assert (
        f"Beta Data AB: inte kvalificerat; ska-krav besvarade med Nej: {three.form.ska[3]}."
        in output
    )
    for name in ("utvardering.docx", "utvardering.md", "utvardering.json"):
        assert f"skrev {three.out / name}" in output


def test_writes_the_report_and_nothing_else(three: ThreeSuppliers) -> None:
    names = sorted(path.name for path in three.out.iterdir())
    assert names == ["utvardering.docx", "utvardering.json", "utvardering.md"]
    data = (three.out / "utvardering.docx").read_bytes()
    properties = read_custom_properties(data)
    assert properties["upphandla.document"] == "utvardering"
    text = dump_docx(three.out / "utvardering.docx")
    assert "[Title] Utvärdering av anbuden" in text
    assert "[Heading 2] 3.1 " in text
    assert "Ska-krav som leverantören har besvarat med Nej:" in text
    assert "[Heading 3] Leverantörens svar" in text


def test_report_golden(three: ThreeSuppliers) -> None:
    assert_matches_golden(
        "evaluation/utvardering.md", (three.out / "utvardering.md").read_text(encoding="utf-8")
    )


def test_english_report(three: ThreeSuppliers, tmp_path: Path) -> None:
    result = evaluate(list(three.files.values()), tmp_path, "--lang", "en", "--format", "md")
    assert result.exit_code == 0, result.output
    report = (tmp_path / "utvardering.md").read_text(encoding="utf-8")
    assert "# Evaluation of the tenders" in report
    assert "answered No to 1 mandatory requirement" in report
    assert "Evaluation price (SEK)" in result.stdout
    assert "wrote" in result.stdout


def test_follow_up_lists_the_winners_promised_award_criteria(
    three: ThreeSuppliers, tmp_path: Path
) -> None:
    result = runner.invoke(
        app,
        ["follow-up", "--answers", str(INCOME_SUPPORT), "--evaluation",
         str(three.out / "utvardering.json"), "--out", str(tmp_path), "--format", "md", *EVALUATED],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = (tmp_path / "uppfoljningsplan.md").read_text(encoding="utf-8")
    winner = next(s for s in three.data["suppliers"] if s["rank"] == 1)
    assert winner["name"] in plan
    assert winner["promised"]
    for requirement_id in winner["promised"]:
        line = next(line for line in plan.splitlines() if line.startswith(f"| {requirement_id} "))
        assert "Utlovat i anbudet" in line
    loser = next(s for s in three.data["suppliers"] if s["rank"] == 2)
    only_loser = set(loser["promised"]) - set(winner["promised"])
    for requirement_id in only_loser:
        assert not any(
            line.startswith(f"| {requirement_id} ") and "Utlovat" in line
            for line in plan.splitlines()
        )


def test_existing_report_is_not_overwritten(three: ThreeSuppliers) -> None:
    before = (three.out / "utvardering.json").read_bytes()
    result = evaluate(list(three.files.values()), three.out)
    assert result.exit_code == 1
    assert "Filen finns redan" in result.stderr
    assert (three.out / "utvardering.json").read_bytes() == before


def test_default_output_folder_is_the_current_folder(
    three: ThreeSuppliers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        ["evaluate", *(str(p) for p in three.files.values()), "--answers", str(INCOME_SUPPORT),
         *EVALUATED],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["utvardering.docx", "utvardering.json"]


# --------------------------------------------------------------------------- special answers


def test_a_deleted_ska_table_is_to_review_and_asks_for_a_check_by_hand(
    form: Form, tmp_path: Path
) -> None:
    missing = form.ska[1]
    supplier = Supplier("Delta AB", "556000-4444", "1 000 000",
                        options={"reorder_tables": True, "delete_tables": (missing,)})  # fmt: skip
    result = evaluate(
        [supplier.fill(form, tmp_path / "delta.docx")], tmp_path / "ut", "--format", "md,json"
    )
    assert result.exit_code == 4, result.output
    delta = json.loads((tmp_path / "ut" / "utvardering.json").read_text(encoding="utf-8"))[
        "suppliers"
    ][0]
    assert delta["qualified"] is False
    assert delta["status"] == "to_review"
    assert delta["unclear_ska"] == [missing]
    assert delta["reservations"] == [
        {"requirement": missing, "kind": "table_missing", "found_text": "", "expected_text": ""}
    ]
    assert delta["unlocated"] == [missing]
    assert delta["failed_ska"] == []
    assert delta["unanswered"] == []
    assert delta["rank"] is None
    report = (tmp_path / "ut" / "utvardering.md").read_text(encoding="utf-8")
    assert "bedöm dem för hand" in report
    assert f"- {missing} " in report


def test_two_suppliers_with_the_same_figure_share_the_rank(form: Form, tmp_path: Path) -> None:
    first = Supplier("Epsilon AB", "556000-5555", "900 000", bor_yes=(form.bor[0],))
    second = Supplier("Zeta AB", "556000-6666", "900000", bor_yes=(form.bor[0],))
    files = [first.fill(form, tmp_path / "e.docx"), second.fill(form, tmp_path / "z.docx")]
    result = evaluate(files, tmp_path / "ut", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "ut" / "utvardering.json").read_text(encoding="utf-8"))
    assert [s["rank"] for s in data["suppliers"]] == [1, 1]
    assert [s["lots"] for s in data["suppliers"]] == [True, True]
    assert data["lots_needed"][0]["suppliers"] == ["Epsilon AB", "Zeta AB"]
    assert "Lottning krävs mellan Epsilon AB och Zeta AB (delad rang 1)" in result.stdout


def test_price_option_overrides_the_form_and_the_name_falls_back_to_the_file(
    form: Form, tmp_path: Path
) -> None:
    supplier = Supplier("", "556000-7777", "", bor_yes=(form.bor[0],))
    path = supplier.fill(form, tmp_path / "eta-anbud.docx")
    result = evaluate(
        [path], tmp_path / "ut", "--format", "md,json", "--price", "eta-anbud=2 000 000"
    )
    assert result.exit_code == 0, result.output
    assert "Filnamnet 'eta-anbud' används i stället" in result.stderr
    data = json.loads((tmp_path / "ut" / "utvardering.json").read_text(encoding="utf-8"))
    eta = data["suppliers"][0]
    assert (eta["name"], eta["name_from_file"], eta["price_from_option"]) == (
        "eta-anbud",
        True,
        True,
    )
    assert eta["comparison_figure"] == 2_000_000 - form.deduction(form.bor[0])
    report = (tmp_path / "ut" / "utvardering.md").read_text(encoding="utf-8")
    assert "angavs vid utvärderingen" in report


def test_points_model(tmp_path: Path) -> None:
    out = generate_form(tmp_path / "form", "--set", "evaluation_model=points")
    selection = json.loads((out / "urval.json").read_text(encoding="utf-8"))
    form = Form(out / "svarsbilaga.docx", selection["requirements"])
    low = Supplier("Lägre AB", "556000-8888", "", bor_yes=(form.bor[0],))
    high = Supplier("Högre AB", "556000-9999", "", bor_yes=tuple(form.bor[:3]))
    files = [low.fill(form, tmp_path / "l.docx"), high.fill(form, tmp_path / "h.docx")]

    def run(out: Path, *prices: str) -> Result:
        return runner.invoke(
            app,
            ["evaluate", *(str(p) for p in files), "--answers", str(INCOME_SUPPORT), "--set",
             "evaluation_model=points", "--out", str(out), "--format", "json", *EVALUATED,
             *(option for price in prices for option in ("--price", price))],
        )  # fmt: skip

    # The points are weighed against the price, so the points model needs the price too.
    without = run(tmp_path / "utan")
    assert without.exit_code == 4, without.output
    assert "Lägre AB: att bedöma före beslut; priset är oklart." in without.stdout
    result = run(tmp_path / "ut", "Lägre AB=1 000 000", "Högre AB=1 100 000")
    assert result.exit_code == 0, result.output
    points = {i: form.value(i, "points") for i in form.bor}
    most = sum(points.values())  # Pmax: every BÖR criterion in the selection
    data = json.loads((tmp_path / "ut" / "utvardering.json").read_text(encoding="utf-8"))
    by_name = {s["name"]: s for s in data["suppliers"]}
    weight = data["quality_weight"]
    assert data["max_points"] == most
    for name, price, met in (
        ("Högre AB", 1_100_000, form.bor[:3]),
        ("Lägre AB", 1_000_000, form.bor[:1]),
    ):
        supplier = by_name[name]
        assert supplier["score"] == supplier["quality_points"] == sum(points[i] for i in met)
        expected = round(price * (1 - weight / 100 * supplier["score"] / most), 2)
        assert supplier["comparison_figure"] == expected
    ranked = sorted(by_name.values(), key=lambda s: s["comparison_figure"])
    assert [s["rank"] for s in ranked] == [1, 2]
    assert "Poäng" in result.stdout
    assert "Jämförelsetal (kr)" in result.stdout


# --------------------------------------------------------------------------- bad input


def assert_listed_to_assess_by_hand(result: Result, out: Path, *needles: str) -> dict[str, Any]:
    """Exit 4, every needle in the messages, the report written, the file in ``unread``."""
    assert result.exit_code == 4, result.output
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert "slutstatus 4" in result.stderr
    data: dict[str, Any] = json.loads((out / "utvardering.json").read_text(encoding="utf-8"))
    assert data["decided"] is False
    assert data["unread"], data
    return data


def test_a_plain_word_file_is_not_a_response_form(form: Form, tmp_path: Path) -> None:
    plain = tmp_path / "brev.docx"
    Document().save(str(plain))
    result = evaluate([plain], tmp_path / "ut")
    data = assert_listed_to_assess_by_hand(
        result, tmp_path / "ut", f"{plain}: fel: Filen är ingen svarsbilaga"
    )
    assert data["unread"][0]["file"] == str(plain)
    assert data["suppliers"] == []


def test_a_corrupt_zip(form: Form, tmp_path: Path) -> None:
    corrupt = tmp_path / "trasig.docx"
    corrupt.write_bytes(form.path.read_bytes()[:4000])
    result = evaluate([corrupt], tmp_path / "ut")
    assert_listed_to_assess_by_hand(
        result, tmp_path / "ut", f"{corrupt}: fel: Filen är skadad", "spara den igen som .docx"
    )


def test_a_password_protected_form(tmp_path: Path) -> None:
    locked = tmp_path / "last.docx"
    locked.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "EncryptionInfo".encode("utf-16-le")
    )
    result = evaluate([locked], tmp_path / "ut")
    assert_listed_to_assess_by_hand(
        result, tmp_path / "ut", f"{locked}: fel: Filen är lösenordsskyddad"
    )


def test_an_old_word_file(tmp_path: Path) -> None:
    old = tmp_path / "gammal.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    result = evaluate([old], tmp_path / "ut")
    assert_listed_to_assess_by_hand(
        result, tmp_path / "ut", f"{old}: fel: Filen är en gammal Word-fil (.doc)"
    )


def test_a_form_from_another_procurement(form: Form, tmp_path: Path) -> None:
    other = generate_form(tmp_path / "annan", "--set", "procurement_title=Chattbot för bygglov")
    supplier = Supplier("Theta AB", "556000-1212", "1 000 000")
    good = suppliers_of(form)["alfa"].fill(form, tmp_path / "alfa.docx")
    path = fill_form(other / "svarsbilaga.docx", tmp_path / "theta.docx", supplier.answers(form))
    result = evaluate([good, path], tmp_path / "ut")
    data = assert_listed_to_assess_by_hand(
        result,
        tmp_path / "ut",
        f"{path}: fel: Svarsbilagan är gjord för en annan upphandling",
        "'Chattbot för bygglov', inte 'AI-stöd för handläggning av ekonomiskt bistånd'",
    )
    assert str(good) not in result.stderr
    assert [s["name"] for s in data["suppliers"]] == ["Alfa Analys AB"]
    assert data["suppliers"][0]["rank"] == 1


def test_two_forms_from_the_same_supplier(form: Form, tmp_path: Path) -> None:
    supplier = suppliers_of(form)["alfa"]
    first = supplier.fill(form, tmp_path / "alfa-1.docx")
    second = supplier.fill(form, tmp_path / "alfa-2.docx")
    result = evaluate([first, second], tmp_path / "ut")
    assert_refused(
        result, tmp_path / "ut", "Två svarsbilagor från samma leverantör", str(first), str(second)
    )


def test_the_same_name_without_organisation_numbers(form: Form, tmp_path: Path) -> None:
    first = Supplier("Iota AB", "", "1 000 000").fill(form, tmp_path / "a.docx")
    second = Supplier("IOTA  AB", "", "1 100 000").fill(form, tmp_path / "b.docx")
    result = evaluate([first, second], tmp_path / "ut")
    assert_refused(result, tmp_path / "ut", "namnet 'IOTA AB'", str(first), str(second))


def test_a_missing_price_for_the_price_deduction_model(form: Form, tmp_path: Path) -> None:
    path = Supplier("Kappa AB", "556000-1313", "").fill(form, tmp_path / "kappa.docx")
    result = evaluate([path], tmp_path / "ut", "--format", "json")
    assert result.exit_code == 4, result.output
    kappa = json.loads((tmp_path / "ut" / "utvardering.json").read_text(encoding="utf-8"))[
        "suppliers"
    ][0]
    assert (kappa["status"], kappa["rank"], kappa["price"]) == ("to_review", None, None)
    assert "priset är oklart" in result.stdout
    fixed = evaluate([path], tmp_path / "ut2", "--price", "Kappa AB=1 000 000")
    assert fixed.exit_code == 0, fixed.output


def test_every_bad_form_is_reported_at_once(form: Form, tmp_path: Path) -> None:
    plain = tmp_path / "brev.docx"
    Document().save(str(plain))
    locked = tmp_path / "last.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    missing = tmp_path / "finns-inte.docx"
    pdf = tmp_path / "anbud.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%...")
    good = suppliers_of(form)["alfa"].fill(form, tmp_path / "alfa.docx")
    result = evaluate([plain, locked, missing, pdf, good], tmp_path / "ut")
    data = assert_listed_to_assess_by_hand(
        result, tmp_path / "ut", str(plain), str(locked), str(missing), "Filen är en PDF"
    )
    assert [u["file"] for u in data["unread"]] == [str(p) for p in (plain, locked, missing, pdf)]
    assert data["suppliers"][0]["status"] == "qualified"


def test_a_price_for_an_unknown_supplier(form: Form, tmp_path: Path) -> None:
    path = suppliers_of(form)["alfa"].fill(form, tmp_path / "alfa.docx")
    result = evaluate([path], tmp_path / "ut", "--price", "Okänd AB=5")
    assert_refused(result, tmp_path / "ut", "--price: fel: Ingen leverantör heter 'Okänd AB'")


def test_a_malformed_price_option(form: Form, tmp_path: Path) -> None:
    result = evaluate([form.path], tmp_path / "ut", "--price", "bara-ett-namn")
    assert result.exit_code == 2
    assert "LEVERANTÖR=BELOPP" in result.output


def test_the_tender_documents_are_not_response_forms(form: Form, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    result = runner.invoke(
        app, ["generate", "--answers", str(INCOME_SUPPORT), *GENERATED, "--out", str(out)]
    )
    assert result.exit_code == 0
    evaluated = evaluate([out / "kravbilaga.docx"], tmp_path / "ut")
    assert_listed_to_assess_by_hand(
        evaluated, tmp_path / "ut", "inte en svarsbilaga utan dokumentet 'kravbilaga'"
    )


# --------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ja", "yes"), ("ja", "yes"), ("JA", "yes"), ("Yes", "yes"), ("yes.", "yes"),
        (" Ja . ", "yes"), ("Nej", "no"), ("NEJ", "no"), ("No", "no"), ("no", "no"),
        ("Nej.", "no"), ("X", "unanswered"), ("x", "unanswered"), ("\u2612", "unanswered"),
        ("Ja, se bilaga 2", "unanswered"), ("Ja, delvis", "unanswered"), ("Ja?", "unanswered"),
        ("Ja/Nej", "unanswered"), ("Ja, från 2028 mot tillägg", "unanswered"),
        ("Nej, men ja med tillval", "unanswered"), ("Ja..", "unanswered"), ("J a", "unanswered"),
        ("Ja\u200b", "unanswered"), ("", "unanswered"), ("Delvis", "unanswered"),
        ("Nog", "unanswered"),
    ],
)  # fmt: skip
def test_only_a_plain_yes_or_no_is_read_as_one(text: str, expected: str) -> None:
    assert interpret_fulfilled(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 250 000 kr", 1_250_000), ("1 250 000,50", 1_250_000.5), ("1250000 SEK", 1_250_000),
        ("1\u00a0250\u00a0000 kronor", 1_250_000), ("1.250.000", 1_250_000),
        ("1,250,000.50", 1_250_000.5), ("1 250 000:-", 1_250_000), ("1,5 mkr", 1_500_000),
        ("850 tkr", 850_000), ("SEK 990 000 exkl. moms", 990_000), ("12,5", 12.5),
        ("kr", None), ("", None), ("enligt prisbilaga", None), ("-1 250 000 kr", None),
        ("1 000 000 – 1 200 000 kr", None), ("1 kr 1 250 000 kr", None), ("9" * 400, None),
        ("1 250 000,505", None), ("1.250", None), ("0 kr", None), ("ca 1 000 000 kr", None),
    ],
)  # fmt: skip
def test_prices_are_read_as_money(text: str, expected: float | None) -> None:
    assert parse_amount(text) == expected


def test_price_option() -> None:
    assert parse_price_option("Alfa AB=1 250 000") == ("Alfa AB", 1_250_000)
    assert parse_price_option("A=B AB=10") == ("A=B AB", 10)
    for bad in ("Alfa AB", "=100", "Alfa AB=gratis"):
        with pytest.raises(ValueError, match=bad):
            parse_price_option(bad)


# --------------------------------------------------------------------------- LibreOffice (slow)


def soffice_resave(source: Path, out: Path) -> Path:
    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return out / source.name


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_forms_resaved_by_libreoffice_give_the_same_evaluation(
    three: ThreeSuppliers, tmp_path: Path
) -> None:
    # Beta's form is left out: LibreOffice 7.4 turns tracked deletions inside block-level
    # content controls into plain text when it saves, so the struck text would be read.
    originals = [three.files["alfa"], three.files["cirkel"]]
    resaved = [soffice_resave(path, tmp_path / "lo") for path in originals]
    before = evaluate(originals, tmp_path / "before", "--format", "json")
    after = evaluate(resaved, tmp_path / "after", "--format", "json")
    assert before.exit_code == 0, before.output
    assert after.exit_code == 0, after.output
    first = json.loads((tmp_path / "before" / "utvardering.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "after" / "utvardering.json").read_text(encoding="utf-8"))
    assert first == second


def test_supplier_text_cannot_add_markup_to_the_report(form: Form, tmp_path: Path) -> None:
    supplier = Supplier("[[kryss x]] Lambda AB", "556000-1414", "1 000 000")
    answers = supplier.answers(form)
    answers[f"{form.ska[0]}.description"] = "Se [[svar hack]] | andra kolumnen\n# Ingen rubrik"
    answers[f"{form.ska[1]}.description"] = (
        "**inte fet** <br> *inte kursiv* \\ kvar  två mellanslag"
    )
    path = fill_form(form.path, tmp_path / "lambda.docx", answers)
    result = evaluate([path], tmp_path / "ut", "--format", "docx,md")
    assert result.exit_code == 0, result.output
    text = dump_docx(tmp_path / "ut" / "utvardering.docx")
    assert "content controls: 0" in text
    assert "Se [[svar hack]] | andra kolumnen / # Ingen rubrik" in text
    assert "[[kryss x]] Lambda AB" in text
    assert "**inte fet** <br> *inte kursiv* \\ kvar  två mellanslag" in text
    runs = [
        run
        for table in Document(str(tmp_path / "ut" / "utvardering.docx")).tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if "inte fet" in run.text
    ]
    assert runs
    assert all("**inte fet**" in run.text and not run.bold and not run.italic for run in runs)


def test_forms_with_the_same_file_name_are_told_apart_by_path(form: Form, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = Supplier("My AB", "556000-1515", "").fill(form, tmp_path / "a" / "svarsbilaga.docx")
    second = Supplier("Ny AB", "556000-1616", "800 000").fill(
        form, tmp_path / "b" / "svarsbilaga.docx"
    )
    ambiguous = evaluate([first, second], tmp_path / "ut", "--price", "svarsbilaga=1")
    assert_refused(ambiguous, tmp_path / "ut", "Namnet 'svarsbilaga' passar flera leverantörer")
    result = evaluate(
        [first, second], tmp_path / "ut", "--format", "json", "--price", f"{first}=900 000"
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "ut" / "utvardering.json").read_text(encoding="utf-8"))
    assert {s["file"] for s in data["suppliers"]} == {str(first), str(second)}
    assert {s["name"]: s["price"] for s in data["suppliers"]} == {
        "My AB": 900_000,
        "Ny AB": 800_000,
    }


# --------------------------------------------------------------------------- evaluation model
#
# A small library of its own, so that the figures below stay fixed while the bundled library
# changes: one SKA and three BÖR criteria worth 10, 6 and 4 points (Pmax = 20), 50 000, 20 000
# and 10 000 kronor, or 5, 2 and 1 per cent. The tenders are built as read-back forms and
# evaluated with the pure functions; the report is rendered with the bundled templates.

MODEL_LIBRARY = """\
areas:
  - id: general
    title: {sv: Allmänt, en: General}
questions:
  - id: evaluation_model
    type: single
    prompt: {sv: Utvärderingsmodell?, en: Evaluation model?}
    help: {sv: LOU 16 kap., en: LOU chapter 16.}
    default: points
    choices:
      - {value: pass_fail, label: {sv: Endast ska-krav, en: Pass/fail}}
      - {value: points, label: {sv: Poäng vägda mot pris, en: Points weighed against price}}
      - {value: price_deduction_sek, label: {sv: Prisavdrag i kronor, en: Price deduction in SEK}}
      - {value: price_deduction_percent, label: {sv: Prisavdrag i procent, en: Price deduction in per cent}}
requirements:
  - id: M-SKA
    area: general
    title: {sv: Grundkrav, en: Basic requirement}
    text: {sv: Lösningen ska fungera., en: The solution shall work.}
    level: ska
    kind: specification
    verification: [description]
    evidence: {sv: Beskrivning., en: Description.}
    phase: tender
    references: [{source: LOU, ref: "9 kap."}]
    rationale: {sv: Därför., en: Because.}
%s"""

MODEL_CRITERION = """\
  - id: M-B%d
    area: general
    title: {sv: Kriterium %d, en: Criterion %d}
    text: {sv: Lösningen bör klara steg %d., en: The solution should manage step %d.}
    level: bor
    kind: award
    evaluation: {points: %d, deduction_sek: %d, deduction_percent: %d}
    verification: [description]
    evidence: {sv: Beskrivning., en: Description.}
    phase: tender
    references: [{source: LOU, ref: "16 kap."}]
    rationale: {sv: Därför., en: Because.}
"""

CRITERIA = {"M-B1": (10, 50_000, 5), "M-B2": (6, 20_000, 2), "M-B3": (4, 10_000, 1)}
ALL_MET = tuple(CRITERIA)


@pytest.fixture
def model_library(write_library: WriteLibrary) -> Library:
    criteria = "".join(
        MODEL_CRITERION % (n, n, n, n, n, points, sek, percent)
        for n, (points, sek, percent) in enumerate(CRITERIA.values(), start=1)
    )
    folder = write_library("modell", {"content.yaml": MODEL_LIBRARY % criteria})
    return require_library(folder)[0]


def model_selection(library: Library, model: str, **context: Any) -> Selection:
    answers = {"procurement_title": "Modelltest", "evaluation_model": model}
    return select_requirements(library, answers, {**answers, **context})


def tender(
    selection: Selection,
    name: str,
    price: float | None,
    met: tuple[str, ...] = (),
    ska: str = "yes",
) -> SupplierResponse:
    """A read-back form: the SKA answered ``ska``, the BÖR criteria in ``met`` Ja, others Nej."""
    answers = tuple(
        Answer(item.requirement.id, item.level, fulfilled, outcome=fulfilled)  # type: ignore[arg-type]
        for item, fulfilled in (
            (
                item,
                ska if item.level is Level.SKA else "yes" if item.requirement.id in met else "no",
            )
            for item in selection.included
        )
    )
    return SupplierResponse(
        file=Path(f"{name.split()[0].lower()}.docx"), name=name, name_from_file=False,
        org_number="", contact="", contact_details="",
        price=None if price is None else float(price),
        price_text="" if price is None else str(price), answers=answers,
    )  # fmt: skip


def rendered_report(evaluation: Evaluation, language: Language = "sv") -> str:
    """utvardering.md, from the bundled templates, with its no-break spaces as plain spaces."""
    context = build_context(evaluation.selection, language, datetime.date(2026, 12, 15))
    context.update(evaluation_context(evaluation, language))
    templates = TemplateSet([bundled_dir(BUNDLED_TEMPLATES)], language)
    documents = render_kinds((EVALUATION_REPORT,), context, language, templates)
    return render_markdown(documents["utvardering"]).replace("\u00a0", " ")


def kr(amount: float) -> str:
    """``760 000``, as the report and the terminal write whole kronor."""
    return f"{amount:,.0f}".replace(",", " ")


def by_name(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in evaluation_to_data(evaluation, "sv")["suppliers"]}


@pytest.mark.parametrize(
    ("context", "weight", "figures"),
    [
        # Q = 30 (the default when the answer is missing), Pmax = 10 + 6 + 4 = 20:
        #   Alfa  1 000 000 kr, M-B1 + M-B2 = 16 p: 1 000 000 × (1 − 0,30 × 16/20) = 760 000
        #   Beta    800 000 kr, M-B3        =  4 p:   800 000 × (1 − 0,30 ×  4/20) = 752 000
        #   Gamma   900 000 kr, all         = 20 p:   900 000 × (1 − 0,30 × 20/20) = 630 000
        ({}, 30, {"Alfa AB": 760_000, "Beta AB": 752_000, "Gamma AB": 630_000}),
        ({"quality_weight": 30}, 30, {"Alfa AB": 760_000, "Beta AB": 752_000, "Gamma AB": 630_000}),
        # Q = 50: 1 000 000 × (1 − 0,5 × 0,8) = 600 000; 800 000 × (1 − 0,5 × 0,2) = 720 000;
        #         900 000 × (1 − 0,5) = 450 000.
        ({"quality_weight": 50}, 50, {"Alfa AB": 600_000, "Beta AB": 720_000, "Gamma AB": 450_000}),
    ],
)  # fmt: skip
def test_points_are_weighed_against_the_price(
    model_library: Library, context: dict[str, Any], weight: float, figures: dict[str, float]
) -> None:
    selection = model_selection(model_library, "points", **context)
    tenders = [
        tender(selection, "Alfa AB", 1_000_000, ("M-B1", "M-B2")),
        tender(selection, "Beta AB", 800_000, ("M-B3",)),
        tender(selection, "Gamma AB", 900_000, ALL_MET),
    ]
    evaluation = evaluate_tenders(selection, tenders, {})
    data = evaluation_to_data(evaluation, "sv")
    assert (data["quality_weight"], data["max_points"]) == (weight, 20)
    suppliers = by_name(evaluation)
    assert {name: s["comparison_figure"] for name, s in suppliers.items()} == figures
    assert {name: s["score"] for name, s in suppliers.items()} == {
        "Alfa AB": 16, "Beta AB": 4, "Gamma AB": 20
    }  # fmt: skip
    assert suppliers["Alfa AB"]["quality_points"] == 16
    assert suppliers["Alfa AB"]["max_points"] == 20
    # The lowest figure wins, not the most points: Alfa has more points than Beta but ranks after.
    assert [s["name"] for s in data["suppliers"]] == sorted(figures, key=figures.__getitem__)
    assert [s["rank"] for s in data["suppliers"]] == [1, 2, 3]
    assert data["lots_needed"] == []
    table = format_comparison(evaluation, "sv")
    assert "Jämförelsetal (kr)" in table
    assert f"Kvalitetsvikt {weight} %, högsta möjliga poäng 20" in table
    report = rendered_report(evaluation)
    assert f"Kvaliteten väger {weight} procent" in report
    assert f"1 000 000 × (1 − {weight}/100 × 16/20) = **{kr(figures['Alfa AB'])} kronor**" in report


def test_points_without_any_points_to_give_compare_the_price() -> None:
    assert comparison_figure("points", 1_000_000, 0, Weighting(30, 0)) == 1_000_000
    assert comparison_figure("points", 1_000_000, 5, Weighting(30, 10)) == 850_000


@pytest.mark.parametrize("weight", [0, 51, "trettio", True])
def test_a_quality_weight_outside_1_to_50_is_refused(model_library: Library, weight: Any) -> None:
    selection = model_selection(model_library, "points", quality_weight=weight)
    with pytest.raises(ProblemsError) as error:
        evaluate_tenders(selection, [tender(selection, "Alfa AB", 1_000_000)], {})
    assert "Den ska vara en procentsats från 1 till 50" in error.value.problems[0].message.sv


@pytest.mark.parametrize(
    ("model", "first", "second", "figure", "sentence"),
    [
        # 1 000 000 × (1 − 0,30 × 20/20) = 700 000 against 700 000 with no points.
        ("points", (1_000_000, ALL_MET), (700_000, ()), 700_000, "högst poäng"),
        # 1 050 000 − 50 000 = 1 000 000 against 1 000 000 with no deduction.
        ("price_deduction_sek", (1_050_000, ("M-B1",)), (1_000_000, ()), 1_000_000,
         "störst sammanlagt prisavdrag"),
        # 1 000 000 × (1 − 5/100) = 950 000 against 950 000 with no deduction.
        ("price_deduction_percent", (1_000_000, ("M-B1",)), (950_000, ()), 950_000,
         "störst sammanlagt prisavdrag"),
    ],
)  # fmt: skip
def test_the_same_figure_goes_to_the_greater_value_of_bor_met(
    model_library: Library,
    model: str,
    first: tuple[float, tuple[str, ...]],
    second: tuple[float, tuple[str, ...]],
    figure: float,
    sentence: str,
) -> None:
    selection = model_selection(model_library, model)
    # Zeta comes first in the input, so the order is not the input order.
    tenders = [tender(selection, "Zeta AB", *second), tender(selection, "Alfa AB", *first)]
    evaluation = evaluate_tenders(selection, tenders, {})
    data = evaluation_to_data(evaluation, "sv")
    assert [(s["name"], s["rank"], s["lots"]) for s in data["suppliers"]] == [
        ("Alfa AB", 1, False),
        ("Zeta AB", 2, False),
    ]
    assert {s["comparison_figure"] for s in data["suppliers"]} == {figure}
    assert data["tie_break"]["ties"] == [
        {"comparison_figure": figure, "suppliers": ["Alfa AB", "Zeta AB"]}
    ]
    assert sentence in data["tie_break"]["rule"]
    assert data["lots_needed"] == []
    note = f"Anbuden från Alfa AB och Zeta AB har samma jämförelsetal, {kr(figure)} kr."
    assert note in format_comparison(evaluation, "sv")
    assert note in rendered_report(evaluation)


def test_tenders_equal_on_figure_and_bor_value_share_the_rank_and_draw_lots(
    model_library: Library,
) -> None:
    selection = model_selection(model_library, "points")
    tenders = [
        # 1 000 000 × (1 − 0,30 × 20/20) = 700 000, 20 points: first on the BÖR value.
        tender(selection, "Gamma AB", 1_000_000, ALL_MET),
        # 700 000 with no points, twice: the same figure and the same points.
        tender(selection, "Alfa AB", 700_000),
        tender(selection, "Beta AB", 700_000),
        tender(selection, "Delta AB", 600_000, ska="no"),
    ]
    evaluation = evaluate_tenders(selection, tenders, {})
    data = evaluation_to_data(evaluation, "sv")
    assert [(s["name"], s["rank"], s["lots"]) for s in data["suppliers"]] == [
        ("Gamma AB", 1, False),
        ("Alfa AB", 2, True),
        ("Beta AB", 2, True),
        ("Delta AB", None, False),
    ]
    message = (
        "Lottning krävs mellan Alfa AB och Beta AB (delad rang 2): anbuden har samma "
        "jämförelsetal, 700 000 kr, och samma poäng. Ordningen mellan dem avgörs genom lottning."
    )
    assert data["lots_needed"] == [
        {"rank": 2, "suppliers": ["Alfa AB", "Beta AB"], "message": message}
    ]
    assert data["tie_break"]["ties"] == [
        {"comparison_figure": 700_000, "suppliers": ["Gamma AB", "Alfa AB", "Beta AB"]}
    ]
    table = format_comparison(evaluation, "sv")
    assert message in table
    assert "Det anbud som har högst poäng går före." in table
    report = rendered_report(evaluation)
    assert message in report
    assert "| Rang | 2 (delad, lottning krävs) |" in report
    english = evaluation_to_data(evaluation, "en")["lots_needed"][0]["message"]
    assert english.startswith("Lots must be drawn between Alfa AB and Beta AB (shared rank 2)")
    assert "(shared, lots must be drawn)" in rendered_report(evaluation, "en")


def test_pass_fail_ranks_the_qualified_by_price_and_draws_lots_to_the_ore(
    model_library: Library,
) -> None:
    selection = model_selection(model_library, "pass_fail")
    assert [item.level for item in selection.included] == [Level.SKA]
    tenders = [
        tender(selection, "Alfa AB", 1_200_000),
        # 1 000 000,004 kr is 1 000 000 kr to the öre: the same price as Gamma's.
        tender(selection, "Beta AB", 1_000_000.004),
        tender(selection, "Gamma AB", 1_000_000),
        tender(selection, "Delta AB", 500_000, ska="no"),
    ]
    evaluation = evaluate_tenders(selection, tenders, {})
    data = evaluation_to_data(evaluation, "sv")
    assert [(s["name"], s["rank"]) for s in data["suppliers"]] == [
        ("Beta AB", 1), ("Gamma AB", 1), ("Alfa AB", 3), ("Delta AB", None)
    ]  # fmt: skip
    assert data["lots_needed"][0]["message"] == (
        "Lottning krävs mellan Beta AB och Gamma AB (delad rang 1): anbuden har samma pris, "
        "1 000 000 kr. Ordningen mellan dem avgörs genom lottning."
    )
    assert data["tie_break"]["rule"] == (
        "Har två eller flera anbud samma pris avgörs ordningen mellan dem genom lottning."
    )
    report = rendered_report(evaluation)
    assert "delar första platsen. Ordningen mellan dem avgörs genom lottning." in report


def test_a_missing_price_is_to_review_for_the_points_model(model_library: Library) -> None:
    selection = model_selection(model_library, "points")
    tenders = [
        tender(selection, "Alfa AB", None, ALL_MET),
        tender(selection, "Beta AB", None, ska="no"),  # not qualified: needs no price
        tender(selection, "Gamma AB", 900_000),
    ]
    evaluation = evaluate_tenders(selection, tenders, {})
    statuses = {r.name: (r.status, r.rank) for r in evaluation.suppliers}
    assert statuses == {
        "Alfa AB": ("to_review", None),
        "Beta AB": ("not_qualified", None),
        "Gamma AB": ("qualified", 1),
    }
    assert not evaluation.decided
    priced = evaluate_tenders(selection, tenders, {"Alfa AB": 1_000_000})
    assert priced.suppliers[0].comparison_figure == 700_000
    assert priced.decided
