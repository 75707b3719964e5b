"""A corpus of filled-in response forms, each built here from a generated svarsbilaga, with the
exact outcome of every answer and the status of every bid.

Each ``Case`` fills the form (every SKA "Ja", the first BÖR "Ja", the other BÖR "Nej"), then
changes some fields or applies tricks (``tests/corpus.py``), and says what ``evaluate`` must
find: the outcome and reasons of the answers it touched (every other answer is the plain one),
the bid's status, the price doubts and the reservations. The whole corpus is evaluated in one
run of the command line, so the files that cannot be read are in it too. A generic check runs
over every bid: no ``unclear`` answer is ever counted as yes or no.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner

import corpus as c
from conftest import REPO
from corpus import FormEditor, Trick
from upphandla.cli.app import app
from upphandla.evaluation.characters import visible

runner = CliRunner()
INCOME_SUPPORT = REPO / "examples" / "ekonomiskt-bistand.yaml"


@dataclass(frozen=True)
class Case:
    """One filled-in form and what evaluate must make of it.

    ``answers`` and ``tricks`` are keyed by a field reference: ``S0`` … (the n-th SKA's Ja/Nej
    field), ``B0`` … (the n-th BÖR's), ``S0.description``, ``price``, ``name``. ``expect`` gives
    ``(outcome, reasons)`` for the requirements whose answer is not the plain default.
    """

    key: str
    answers: Mapping[str, str] = field(default_factory=dict)
    tricks: Mapping[str, tuple[Trick, ...]] = field(default_factory=dict)
    expect: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    status: str = "qualified"
    price: float | None = 1_000_000
    price_reasons: tuple[str, ...] = ()
    reservations: tuple[tuple[str, str], ...] = ()
    name: str = ""
    english: bool = False


UNCLEAR = "unclear"

CASES = (
    # --- plain answers: the only ones that are yes or no
    Case("plain"),
    Case("plain-case-and-stop", {"S0": "ja.", "S1": " JA ", "B1": "nej."}),
    Case("plain-nej-excludes", {"S0": "Nej"}, expect={"S0": ("no", ())}, status="not_qualified"),
    Case("nej-and-unclear-is-not-qualified", {"S0": "Nej", "S1": "Ja, delvis"},
         expect={"S0": ("no", ()), "S1": (UNCLEAR, ("not_plain",))}, status="not_qualified"),
    # --- partial answers and free text
    Case("ja-delvis", {"S0": "Ja, delvis"}, expect={"S0": (UNCLEAR, ("not_plain",))},
         status="to_review"),
    Case("ja-question", {"S0": "Ja?"}, expect={"S0": (UNCLEAR, ("not_plain",))}, status="to_review"),
    Case("ja-slash-nej", {"S0": "Ja/Nej"}, expect={"S0": (UNCLEAR, ("not_plain",))},
         status="to_review"),
    Case("ja-from-2028", {"S0": "Ja, från 2028 mot tillägg"},
         expect={"S0": (UNCLEAR, ("not_plain",))}, status="to_review"),
    Case("nej-men-ja", {"S0": "Nej, men ja med tillval"},
         expect={"S0": (UNCLEAR, ("not_plain",))}, status="to_review"),
    Case("an-x", {"S0": "X"}, expect={"S0": (UNCLEAR, ("not_plain",))}, status="to_review"),
    Case("a-ticked-box", {"S0": "\u2612"}, expect={"S0": (UNCLEAR, ("not_plain",))},
         status="to_review"),
    Case("english-word-in-swedish-form", {"S0": "Yes"},
         expect={"S0": (UNCLEAR, ("not_plain",))}, status="to_review"),
    Case("bor-partly", {"B0": "Ja, delvis"}, expect={"B0": (UNCLEAR, ("not_plain",))},
         status="to_review"),
    # --- not answered
    Case("ska-empty", {"S0": ""}, expect={"S0": (UNCLEAR, ("not_answered",))}, status="to_review"),
    Case("bor-empty-counts-as-not-met", {"B0": ""}, expect={"B0": (UNCLEAR, ("not_answered",))}),
    Case("answer-typed-beside-the-field", {"S0": ""}, {"S0": (c.beside("Ja"),)},
         expect={"S0": (UNCLEAR, ("not_answered", "beside"))}, status="to_review",
         reservations=(("S0", "added"),)),
    # --- what the eye does not see
    Case("hidden-ja-before-nej", {"S0": "Nej"}, {"S0": (c.hidden_prefix("Ja "),)},
         expect={"S0": (UNCLEAR, ("hidden_text",))}, status="to_review"),
    Case("hidden-nej-before-ja", {"S0": "Ja"}, {"S0": (c.hidden_prefix("Nej "),)},
         expect={"S0": (UNCLEAR, ("hidden_text",))}, status="to_review"),
    Case("hidden-by-character-style", {}, {"S1": (c.hidden_by_style("Nej "),)},
         expect={"S1": (UNCLEAR, ("hidden_text",))}, status="to_review"),
    Case("hidden-by-paragraph-style", {}, {"S1.description": (c.hidden_paragraph_style,)},
         expect={}, status="qualified"),
    Case("white-text", {}, {"S2": (c.white_prefix("Nej "),)},
         expect={"S2": (UNCLEAR, ("hidden_text",))}, status="to_review"),
    Case("microscopic-text", {}, {"S2": (c.tiny_prefix("Nej "),)},
         expect={"S2": (UNCLEAR, ("hidden_text",))}, status="to_review"),
    Case("zero-width-space", {"S0": "Ja\u200b"},
         expect={"S0": (UNCLEAR, ("invisible_characters",))}, status="to_review"),
    # --- tracked changes not accepted
    Case("tracked-insertion", {}, {"S0": (c.tracked_insertion,)},
         expect={"S0": (UNCLEAR, ("tracked_change",))}, status="to_review"),
    Case("tracked-deletion", {}, {"S0": (c.tracked_deletion("Nej"),)},
         expect={"S0": (UNCLEAR, ("tracked_change",))}, status="to_review"),
    Case("tracked-nej-on-ska", {"S0": "Nej"}, {"S0": (c.tracked_deletion("Ja"),
                                                       c.tracked_insertion)},
         expect={"S0": (UNCLEAR, ("tracked_change",))}, status="to_review"),
    Case("tracked-move", {}, {"S3": (c.tracked_move,)},
         expect={"S3": (UNCLEAR, ("tracked_change",))}, status="to_review"),
    Case("tracked-formatting", {}, {"S3": (c.tracked_formatting,)},
         expect={"S3": (UNCLEAR, ("tracked_change",))}, status="to_review"),
    # --- comments
    Case("comment-in-the-answer", {}, {"S0": (c.comment("Gäller bara Sverige"),)},
         expect={"S0": (UNCLEAR, ("comment",))}, status="to_review"),
    Case("comment-beside-the-answer", {}, {"S0": (c.comment("Se villkor", inside=False),)},
         expect={"S0": (UNCLEAR, ("comment",))}, status="to_review"),
    # --- fields, drop-downs, copies
    Case("simple-field", {}, {"S1": (c.simple_field("QUOTE Ja"),)},
         expect={"S1": (UNCLEAR, ("field_code",))}, status="to_review"),
    Case("complex-field", {}, {"S1": (c.complex_field(' IF 1 = 2 "Ja" "Nej" '),)},
         expect={"S1": (UNCLEAR, ("field_code",))}, status="to_review"),
    Case("drop-down-stores-ja-shows-nej", {"S0": "Nej"}, {"S0": (c.stored_value("Ja"),)},
         expect={"S0": (UNCLEAR, ("value_differs",))}, status="to_review"),
    Case("drop-down-last-value", {"S0": "Nej"}, {"S0": (c.last_value("Ja"),)},
         expect={"S0": (UNCLEAR, ("value_differs",))}, status="to_review"),
    Case("data-binding", {}, {"S0": (c.data_binding,)},
         expect={"S0": (UNCLEAR, ("value_differs",))}, status="to_review"),
    Case("copied-control", {}, {"S0": (c.duplicated,)},
         expect={"S0": (UNCLEAR, ("duplicated",))}, status="to_review"),
    Case("tag-lost-bookmark-kept", {}, {"S0": (c.tag_removed,), "B0": (c.tag_removed,)}),
    Case("table-deleted", {}, {"S4": (c.table_deleted,)},
         expect={"S4": (UNCLEAR, ("not_found",))}, status="to_review",
         reservations=(("S4", "table_missing"),)),
    Case("bor-table-deleted", {}, {"B1": (c.table_deleted,)},
         expect={"B1": (UNCLEAR, ("not_found",))}, status="to_review",
         reservations=(("B1", "table_missing"),)),
    # --- reservations
    Case("requirement-rewritten", {}, {"S0": (c.requirement_rewritten("ska", "kan på begäran"),)},
         status="to_review", reservations=(("S0", "changed"),)),
    Case("row-added", {}, {"S1": (c.row_added("Gäller endast med tillvalet Plus."),)},
         status="to_review", reservations=(("S1", "added"),)),
    Case("reservation-on-bor", {}, {"B0": (c.requirement_appended(" Gäller från 2028."),)},
         status="to_review", reservations=(("B0", "changed"),)),
    # --- prices
    Case("price-with-mkr", {"price": "1,5 mkr"}, price=1_500_000),
    Case("price-hidden-1-kr", {"price": "1 250 000 kr"}, {"price": (c.hidden_prefix("1 kr "),)},
         status="to_review", price=None, price_reasons=("hidden_text",)),
    Case("price-negative", {"price": "-1 250 000 kr"}, status="to_review", price=None,
         price_reasons=("price_not_positive",)),
    Case("price-400-nines", {"price": "9" * 400}, status="to_review", price=None,
         price_reasons=("price_too_large",)),
    Case("price-range", {"price": "1 000 000 – 1 200 000 kr"}, status="to_review", price=None,
         price_reasons=("price_several_numbers",)),
    Case("price-words", {"price": "enligt prisbilaga"}, status="to_review", price=None,
         price_reasons=("price_not_an_amount",)),
    Case("price-three-decimals", {"price": "1 250 000,505 kr"}, status="to_review", price=None,
         price_reasons=("price_decimals",)),
    Case("price-missing", {"price": ""}, status="to_review", price=None),
    # --- names that cannot deceive
    Case("bidi-name", name="Alfa \u202eBA tnemevorpmI"),
    # --- an English form
    Case("english-yes", {"S0": "Yes", "S1": "no."}, expect={"S1": ("no", ())},
         status="not_qualified", english=True),
    Case("english-form-swedish-word", {"S0": "Ja"}, expect={"S0": (UNCLEAR, ("not_plain",))},
         status="to_review", english=True),
)  # fmt: skip

UNREADABLE = {
    "anbud.pdf": (c.pdf_file, "Filen är en PDF"),
    "anbud.odt": (c.odt_file, "Spara om den som .docx i LibreOffice"),
    "anbud.doc": (c.doc_file, "gammal Word-fil (.doc)"),
    "krypterad.docx": (c.encrypted_file, "lösenordsskyddad"),
}


@dataclass
class Built:
    forms: dict[str, Path]
    ska: list[str]
    bor: list[str]
    data: dict[str, Any]
    stderr: str
    exit_code: int


def _generate(out: Path, *extra: str) -> Path:
    result = runner.invoke(
        app,
        ["generate", "--answers", str(INCOME_SUPPORT), "--date", "2026-11-27", "--format",
         "docx,json", "--out", str(out), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def resolve(reference: str, ska: list[str], bor: list[str]) -> str:
    """``S0`` → the first SKA's ``fulfilled`` tag; ``B1.description``; ``price``; ``name``."""
    if reference == "price":
        return "supplier.price"
    if reference == "name":
        return "supplier.name"
    head, _, field_name = reference.partition(".")
    ids = ska if head[0] == "S" else bor
    return f"{ids[int(head[1:])]}.{field_name or 'fulfilled'}"


def requirement_of(reference: str, ska: list[str], bor: list[str]) -> str:
    return resolve(reference, ska, bor).rpartition(".")[0]


def build_case(case: Case, source: Path, target: Path, ska: list[str], bor: list[str]) -> Path:
    yes, no = ("Yes", "No") if case.english else ("Ja", "Nej")
    number = 100 + [x.key for x in CASES].index(case.key)
    answers = {
        "supplier.name": case.name or f"Leverantör {case.key}",
        "supplier.org_number": f"556{number:03d}-0000",
        "supplier.contact": "Kim Kontakt",
        "supplier.contact_details": "kim@example.se",
        "supplier.price": "1 000 000 kr",
    }
    for index, identifier in enumerate(ska + bor):
        is_yes = identifier in ska or identifier == bor[0]
        answers[f"{identifier}.fulfilled"] = yes if is_yes else no
        answers[f"{identifier}.description"] = f"Så uppfylls {identifier}."
        answers[f"{identifier}.reference"] = f"Bilaga {index + 1}"
    for reference, text in case.answers.items():
        answers[resolve(reference, ska, bor)] = text
    editor = FormEditor(source).fill(answers)
    for reference, tricks in case.tricks.items():
        for trick in tricks:
            trick(editor, resolve(reference, ska, bor))
    return editor.save(target)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("corpus")
    swedish = _generate(root / "sv")
    english = _generate(root / "en", "--lang", "en")
    selection = json.loads((swedish / "urval.json").read_text(encoding="utf-8"))
    ska = [r["id"] for r in selection["requirements"] if r["level"] == "ska"]
    bor = [r["id"] for r in selection["requirements"] if r["level"] == "bor"]
    forms = {}
    for case in CASES:
        source = (english if case.english else swedish) / "svarsbilaga.docx"
        forms[case.key] = build_case(case, source, root / f"{case.key}.docx", ska, bor)
    for name, (make, _) in UNREADABLE.items():
        (root / name).write_bytes(make())
        forms[name] = root / name
    plain = root / "brev.docx"
    Document().save(str(plain))
    forms["brev.docx"] = plain
    other = _generate(root / "annan", "--set", "procurement_title=Chattbot för bygglov")
    forms["annan-upphandling.docx"] = build_case(
        Case("plain"), other / "svarsbilaga.docx", root / "annan-upphandling.docx", ska, bor
    )
    out = root / "ut"
    result = runner.invoke(
        app,
        ["evaluate", *(str(path) for path in forms.values()), "--answers", str(INCOME_SUPPORT),
         "--date", "2026-12-15", "--out", str(out), "--format", "json,docx"],
    )  # fmt: skip
    assert "Traceback" not in result.output
    assert result.exit_code == 4, result.output
    data = json.loads((out / "utvardering.json").read_text(encoding="utf-8"))
    return Built(forms, ska, bor, data, result.stderr, result.exit_code)


def test_the_corpus_is_large_enough(built: Built) -> None:
    assert len(built.forms) >= 40
    assert len(CASES) >= 40


def test_the_run_goes_on_and_ends_with_4(built: Built) -> None:
    assert built.exit_code == 4
    assert built.data["decided"] is False
    assert len(built.data["suppliers"]) == len(CASES)


def supplier(built: Built, case: Case) -> dict[str, Any]:
    name = visible(case.name) if case.name else f"Leverantör {case.key}"
    return next(s for s in built.data["suppliers"] if s["name"] == name)


@pytest.mark.parametrize("case", CASES, ids=[case.key for case in CASES])
def test_every_answer_has_the_exact_outcome(built: Built, case: Case) -> None:
    found = supplier(built, case)
    expected: dict[str, tuple[str, tuple[str, ...]]] = {}
    for index, identifier in enumerate(built.ska + built.bor):
        plain = "yes" if identifier in built.ska or identifier == built.bor[0] else "no"
        expected[identifier] = (plain, ())
        del index
    for reference, outcome in case.expect.items():
        expected[requirement_of(reference, built.ska, built.bor)] = outcome
    got = {
        answer["id"]: (answer["outcome"], tuple(d["reason"] for d in answer["doubts"]))
        for answer in found["answers"]
    }
    assert got == expected
    assert found["status"] == case.status
    assert found["price"] == case.price
    assert tuple(d["reason"] for d in found["price_doubts"]) == case.price_reasons
    reservations = {(r["requirement"], r["kind"]) for r in found["reservations"]}
    assert reservations == {
        (requirement_of(reference, built.ska, built.bor), kind)
        for reference, kind in case.reservations
    }


def test_no_unclear_answer_is_ever_counted(built: Built) -> None:
    for found in built.data["suppliers"]:
        unclear = {a["id"] for a in found["answers"] if a["outcome"] == "unclear"}
        assert not unclear & set(found["promised"]), found["name"]
        assert not unclear & set(found["failed_ska"]), found["name"]
        for answer in found["answers"]:
            assert (answer["outcome"] == "unclear") == bool(answer["doubts"]), answer
            if answer["outcome"] != "unclear":
                assert answer["fulfilled"] == answer["outcome"]
        ska = [a for a in found["answers"] if a["level"] == "ska"]
        if found["status"] == "not_qualified":
            assert any(a["outcome"] == "no" for a in ska)
            assert found["rank"] is None
        elif found["status"] == "to_review":
            assert not any(a["outcome"] == "no" for a in ska)
            assert found["rank"] is None
            assert found["qualified"] is False
        else:
            assert all(a["outcome"] == "yes" for a in ska)
            assert found["reservations"] == []
            assert found["price"] is not None
            assert found["rank"] is not None
            assert found["qualified"] is True


def test_unreadable_files_are_listed_to_assess_by_hand(built: Built) -> None:
    unread = {Path(u["file"]).name: u for u in built.data["unread"]}
    assert set(unread) == {*UNREADABLE, "brev.docx", "annan-upphandling.docx"}
    for name, (_, needle) in UNREADABLE.items():
        assert needle in unread[name]["message"] + " " + unread[name]["hint"], unread[name]
        assert f"{built.forms[name]}: fel:" in built.stderr
    assert "annan upphandling" in unread["annan-upphandling.docx"]["message"]


def test_hidden_text_is_marked_in_what_was_found(built: Built) -> None:
    case = next(case for case in CASES if case.key == "hidden-ja-before-nej")
    answer = next(a for a in supplier(built, case)["answers"] if a["id"] == built.ska[0])
    assert answer["found_text"] == "⟦dold text: Ja ⟧Nej"
    assert answer["fulfilled_text"] == "Nej"
    assert answer["doubts"][0]["detail"] == "Ja "


def test_a_rewritten_requirement_is_quoted(built: Built) -> None:
    case = next(case for case in CASES if case.key == "requirement-rewritten")
    [reservation] = supplier(built, case)["reservations"]
    assert "kan på begäran" in reservation["found_text"]
    assert "kan på begäran" not in reservation["expected_text"]


def test_deceptive_names_are_shown_escaped(built: Built) -> None:
    case = next(case for case in CASES if case.key == "bidi-name")
    found = supplier(built, case)
    assert found["name"] == "Alfa ⟨U+202E⟩BA tnemevorpmI"
    assert found["name_as_written"] == "Alfa \u202eBA tnemevorpmI"
    assert any("U+202E" in note for note in found["notes"])
    assert "\u202e" not in built.stderr


def test_the_prices_stay_valid_json(built: Built) -> None:
    text = json.dumps(built.data, allow_nan=False)
    assert "Infinity" not in text
    for found in built.data["suppliers"]:
        assert found["price"] is None or found["price"] > 0
        assert found["comparison_figure"] is None or found["comparison_figure"] > 0
