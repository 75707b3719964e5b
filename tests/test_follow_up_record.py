"""``follow-up --record``: filled-in follow-up plans read back into the follow-up report, with
every outcome and every doubt, yearly records combined, overdue checks, and bad records."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import corpus
from conftest import REPO
from golden import assert_matches_golden
from upphandla.cli.app import app
from upphandla.documents.package import FollowUpRequest, generate_follow_up
from upphandla.evaluation.follow_up_record import (
    Check,
    FollowUpReportRequest,
    add_months,
    plain_result,
    plan_checks,
    remedies_in,
    report_follow_up,
)
from upphandla.interview.sources import AnswerSources
from upphandla.selection.explain import select_from_answers

runner = CliRunner()
EXAMPLE = REPO / "examples" / "ekonomiskt-bistand.yaml"
GO_LIVE = ("go_live_date=2027-01-15",)
PLAN_DATE = datetime.date(2026, 12, 1)


def sources(*extra: str) -> AnswerSources:
    return AnswerSources(answers_path=EXAMPLE, set_options=(*GO_LIVE, *extra))


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan")
    generate_follow_up(FollowUpRequest(answers=sources(), out=out, date=PLAN_DATE)).write()
    return out / "uppfoljningsplan.docx"


@pytest.fixture(scope="module")
def checks() -> list[Check]:
    return plan_checks(select_from_answers(sources(), "sv").selection, "sv")


def tags(check: Check) -> dict[str, str]:
    stem = f"{check.subject}.{check.moment}"
    return {name: f"{stem}.{name}" for name in ("result", "date", "by", "note")}


def pick(checks: list[Check], moment: str, count: int, duty: bool = False) -> list[Check]:
    found = [c for c in checks if c.moment == moment and c.duty is duty and not c.if_promised]
    assert len(found) >= count, (moment, len(found))
    return found[:count]


def report(
    records: list[Path], out: Path, date: str = "2027-03-01", **extra: Any
) -> tuple[dict[str, Any], str]:
    result = report_follow_up(
        FollowUpReportRequest(
            answers=sources(),
            records=records,
            out=out,
            date=date,
            formats=("md", "json"),
            **extra,
        )
    )
    files = {path.name: data for path, data in result.files.items()}
    data = json.loads(files["uppfoljningsrapport.json"])
    return data, files["uppfoljningsrapport.md"].decode("utf-8")


def by_check(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(item["requirement"], item["moment"]): item for item in data["items"]}


def summary(item: dict[str, Any]) -> tuple[Any, ...]:
    return (
        item["outcome"],
        item["date"],
        item["by"],
        item["note"],
        [(d["reason"], d["field"]) for d in item["doubts"]],
    )


# -- small pieces -----------------------------------------------------------------------------


def test_only_a_plain_choice_of_the_list_is_a_result() -> None:
    assert plain_result("Uppfyllt", "sv") == "met"
    assert plain_result(" delvis  uppfyllt. ", "sv") == "partly"
    assert plain_result("Ej uppfyllt", "sv") == "not_met"
    assert plain_result("Ej kontrollerat", "sv") == "not_checked"
    assert plain_result("Met", "en") == "met"
    assert plain_result("Met", "sv") is None
    for text in ("Uppfyllt?", "Ja", "Uppfyllt, nästan", "X", ""):
        assert plain_result(text, "sv") is None


def test_remedies_are_those_the_requirement_names() -> None:
    assert remedies_in(["Blir provet inte godkänt ska leverantören rätta bristerna."]) == (
        "rectification",
    )
    assert remedies_in(["Organisationen får häva avtalet.", "vite om 5 000 kr"]) == (
        "vite",
        "termination",
    )
    # The data subject's right to rectification is no remedy of the buyer's.
    assert remedies_in(["to disclose, rectify, erase or restrict the processing"]) == ()
    assert remedies_in(["Poäng eller prisavdrag ges om leverantören åtar sig det."]) == ()


def test_months_are_added_within_the_month() -> None:
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 11, 15), 3) == datetime.date(2028, 2, 15)
    assert add_months(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)


def test_the_acceptance_condition_names_rectification_and_termination(
    checks: list[Check],
) -> None:
    acceptance = next(c for c in checks if c.subject == "AI-SAK-10")
    assert acceptance.remedies == ("rectification", "termination")


# -- one record with every outcome and every doubt ----------------------------------------------


def test_every_outcome_and_every_doubt_read_back_exactly(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    start = pick(checks, "start", 4)
    accept = pick(checks, "accept", 12)
    year = pick(checks, "year", 2)
    duty = pick(checks, "start", 1, duty=True)[0]
    editor = corpus.FormEditor(plan)
    fills: dict[str, str] = {}
    plain = [
        (start[0], "Uppfyllt", "2027-01-20", "Eva Ek", "Loggar granskade."),
        (start[1], "Delvis uppfyllt", "2027-01-21", "Eva Ek", "Svenska saknas i en vy."),
        (start[2], "Ej uppfyllt", "2027-01-22", "Ola Berg", "Ingen export."),
        (start[3], "Ej kontrollerat", "2027-01-23", "Ola Berg", ""),
        (duty, "Uppfyllt", "2027-01-10", "Eva Ek", ""),
    ]
    for check, result, date, who, note in plain:
        t = tags(check)
        fills.update({t["result"]: result, t["date"]: date, t["by"]: who})
        if note:
            fills[t["note"]] = note
    # Every doubt, each on an acceptance case answered "Uppfyllt" on 2027-01-14.
    tricks: list[tuple[Check, str, Any]] = [
        (accept[0], "Uppfyllt, nästan", None),
        (accept[1], "Uppfyllt", corpus.hidden_prefix("Ej ")),
        (accept[2], "Uppfyllt", corpus.tracked_insertion),
        (accept[3], "Uppfyllt", corpus.comment("Bara i testmiljön")),
        (accept[4], "Uppfyllt", corpus.beside("Ej uppfyllt")),
        (accept[5], "Uppfyllt", corpus.other_stored_value),
        (accept[6], "Uppfyllt", corpus.duplicated),
        (accept[7], "Uppfyllt", corpus.simple_field('QUOTE "Uppfyllt"')),
        (accept[8], "Uppfyllt\u202e", None),
        (accept[9], "", None),  # a date and a name but no result
        (accept[10], "Uppfyllt", corpus.tag_removed),  # LibreOffice: found by its bookmark
    ]
    for check, result, _ in tricks:
        t = tags(check)
        if result:
            fills[t["result"]] = result
        fills.update({t["date"]: "2027-01-14", t["by"]: "Eva Ek"})
    # The date, not the result, in doubt.
    fills.update(
        {
            tags(accept[11])["result"]: "Uppfyllt",
            tags(accept[11])["date"]: "14 januari",
            tags(year[0])["result"]: "Uppfyllt",
            tags(year[0])["date"]: "2027-06-01",  # after the report's date
        }
    )
    editor.fill(fills)
    for check, _, trick in tricks:
        if trick is not None:
            trick(editor, tags(check)["result"])
    record = editor.save(tmp_path / "ifylld.docx")
    data, _ = report([record], tmp_path / "out")
    items = by_check(data)
    expected = {
        start[0]: ("met", "2027-01-20", "Eva Ek", "Loggar granskade.", []),
        start[1]: ("partly", "2027-01-21", "Eva Ek", "Svenska saknas i en vy.", []),
        start[2]: ("not_met", "2027-01-22", "Ola Berg", "Ingen export.", []),
        start[3]: ("not_checked", "2027-01-23", "Ola Berg", "", []),
        duty: ("met", "2027-01-10", "Eva Ek", "", []),
        accept[0]: ("unclear", "2027-01-14", "Eva Ek", "", [("not_plain", "result")]),
        accept[1]: ("unclear", "2027-01-14", "Eva Ek", "", [("hidden_text", "result")]),
        accept[2]: ("unclear", "2027-01-14", "Eva Ek", "", [("tracked_change", "result")]),
        accept[3]: ("unclear", "2027-01-14", "Eva Ek", "", [("comment", "result")]),
        # The result and the note share a cell: the text is beside both.
        accept[4]: (
            "unclear",
            "2027-01-14",
            "Eva Ek",
            "",
            [("beside", "result"), ("beside", "note")],
        ),
        accept[5]: ("unclear", "2027-01-14", "Eva Ek", "", [("value_differs", "result")]),
        accept[6]: ("unclear", "2027-01-14", "Eva Ek", "", [("duplicated", "result")]),
        accept[7]: ("unclear", "2027-01-14", "Eva Ek", "", [("field_code", "result")]),
        accept[8]: (
            "unclear",
            "2027-01-14",
            "Eva Ek",
            "",
            [("not_plain", "result"), ("invisible_characters", "result")],
        ),
        accept[9]: ("unclear", "2027-01-14", "Eva Ek", "", [("not_answered", "result")]),
        accept[10]: ("met", "2027-01-14", "Eva Ek", "", []),
        accept[11]: ("unclear", "14 januari", "", "", [("date_not_a_date", "date")]),
        year[0]: ("unclear", "2027-06-01", "", "", [("date_in_future", "date")]),
    }
    for check, wanted in expected.items():
        assert summary(items[(check.subject, check.moment)]) == wanted, (
            check,
            summary(items[(check.subject, check.moment)]),
        )
    filled = {(c.subject, c.moment) for c in expected}
    for key, item in items.items():
        if key not in filled:
            assert item["outcome"] == "not_checked", key
            assert [d["reason"] for d in item["doubts"]] == ["not_answered"], key
    assert data["records"] == ["ifylld.docx"]
    assert data["decided"] is False
    counts = data["counts"]
    assert (counts["met"], counts["partly"], counts["not_met"], counts["unclear"]) == (3, 1, 1, 12)
    # The hidden text and the comment are quoted.
    hidden = items[(accept[1].subject, "accept")]["doubts"][0]
    assert hidden["detail"] == "Ej "
    assert "dold text" in hidden["message"]
    assert "Bara i testmiljön" in items[(accept[3].subject, "accept")]["doubts"][0]["detail"]


def test_deviations_carry_the_remedies_the_requirement_names(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    acceptance = next(c for c in checks if c.subject == "AI-SAK-10")
    other = pick(checks, "start", 1)[0]
    assert not other.remedies
    fills = {}
    for check in (acceptance, other):
        t = tags(check)
        fills.update({t["result"]: "Ej uppfyllt", t["date"]: "2027-01-20", t["by"]: "Eva Ek"})
    record = corpus.FormEditor(plan).fill(fills).save(tmp_path / "ifylld.docx")
    data, markdown = report([record], tmp_path / "out")
    assert by_check(data)[("AI-SAK-10", acceptance.moment)]["remedies"] == [
        "rectification",
        "termination",
    ]
    section = markdown.split("# 2 ")[1].split("# 3 ")[0]
    assert "kräva att leverantören rättar bristen, häva eller säga upp avtalet" in section
    assert "Kravet anger ingen påföljd: ni bestämmer enligt avtalets villkor" in section


# -- two yearly records -------------------------------------------------------------------------


def yearly_records(plan: Path, checks: list[Check], tmp_path: Path) -> tuple[list[Path], dict]:
    start = pick(checks, "start", 2)
    year = pick(checks, "year", 3)
    first = {
        start[0]: ("Uppfyllt", "2027-01-20"),
        start[1]: ("Ej uppfyllt", "2027-01-20"),
        year[0]: ("Uppfyllt", "2027-12-10"),
        year[1]: ("Ej uppfyllt", "2027-12-10"),
        year[2]: ("Uppfyllt", "2027-02-01"),
    }
    second = {
        start[1]: ("Uppfyllt", "2028-02-01"),  # rectified
        year[0]: ("Delvis uppfyllt", "2028-12-05"),
        year[1]: ("Uppfyllt", "2028-12-05"),
    }
    paths = []
    for name, results in (("2027.docx", first), ("2028.docx", second)):
        fills = {}
        for check, (result, date) in results.items():
            t = tags(check)
            fills.update({t["result"]: result, t["date"]: date, t["by"]: "Eva Ek"})
        paths.append(corpus.FormEditor(plan).fill(fills).save(tmp_path / name))
    return paths, {"start": start, "year": year}


def test_two_yearly_records_combine_latest_result_and_history(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    paths, picked = yearly_records(plan, checks, tmp_path)
    start, year = picked["start"], picked["year"]
    # Given in either order, the latest dated result holds.
    for order in (paths, paths[::-1]):
        data, _ = report(order, tmp_path / "out", date="2029-01-10")
        items = by_check(data)

        def state(check: Check, items: dict[Any, dict[str, Any]] = items) -> tuple[Any, ...]:
            item = items[(check.subject, check.moment)]
            return (
                item["outcome"],
                item["date"],
                item["file"],
                item["timing"],
                item["due"],
                [(h["outcome"], h["date"], h["file"]) for h in item["history"]],
            )

        assert state(start[0]) == ("met", "2027-01-20", "2027.docx", "done", None, [])
        assert state(start[1]) == (
            "met",
            "2028-02-01",
            "2028.docx",
            "done",
            None,
            [("not_met", "2027-01-20", "2027.docx")],
        )
        assert state(year[0]) == (
            "partly",
            "2028-12-05",
            "2028.docx",
            "done",
            "2029-12-05",
            [("met", "2027-12-10", "2027.docx")],
        )
        assert state(year[1])[:3] == ("met", "2028-12-05", "2028.docx")
        # Met in February 2027 and never again: overdue since February 2028.
        assert state(year[2]) == (
            "met",
            "2027-02-01",
            "2027.docx",
            "overdue",
            "2028-02-01",
            [],
        )
        overdue = {
            (i["requirement"], i["moment"]) for i in data["items"] if i["timing"] == "overdue"
        }
        assert (year[2].subject, "year") in overdue
        # A yearly check never done is overdue a year after go-live; a start check at once.
        never_year = next(c for c in pick(checks, "year", 6) if c not in year)
        assert (never_year.subject, "year") in overdue
        assert by_check(data)[(never_year.subject, "year")]["due"] == "2028-01-15"
        never_start = next(c for c in pick(checks, "start", 5) if c not in start)
        assert by_check(data)[(never_start.subject, "start")]["timing"] == "overdue"
        # Event checks have no date to judge by.
        model = next(c for c in checks if c.moment == "model")
        assert by_check(data)[(model.subject, "model")]["timing"] == "on_event"
        assert data["records"] == [p.name for p in order]


def test_the_report_markdown_matches_the_golden_file(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    paths, _ = yearly_records(plan, checks, tmp_path)
    _, markdown = report(paths, tmp_path / "out", date="2029-01-10")
    assert_matches_golden("follow-up/uppfoljningsrapport.md", markdown)


def test_without_a_go_live_date_start_checks_have_no_date_to_judge(
    plan: Path, tmp_path: Path
) -> None:
    result = report_follow_up(
        FollowUpReportRequest(
            answers=AnswerSources(answers_path=EXAMPLE, set_options=GO_LIVE),
            records=[plan],
            out=tmp_path,
            date="2027-03-01",
            formats=("json",),
        )
    )
    assert result.report.go_live == datetime.date(2027, 1, 15)
    result = report_follow_up(
        FollowUpReportRequest(
            answers=AnswerSources(answers_path=EXAMPLE),
            records=[],
            out=tmp_path,
            date="2027-03-01",
            formats=("json",),
        )
    )
    assert result.report.items == ()


def test_same_date_other_result_in_two_records_is_unclear(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    check = pick(checks, "year", 1)[0]
    t = tags(check)
    paths = [
        corpus.FormEditor(plan)
        .fill({t["result"]: result, t["date"]: "2027-12-01"})
        .save(tmp_path / f"{index}.docx")
        for index, result in enumerate(("Uppfyllt", "Ej uppfyllt"))
    ]
    data, _ = report(paths, tmp_path / "out", date="2028-01-10")
    item = by_check(data)[(check.subject, "year")]
    assert item["outcome"] == "unclear"
    assert [d["reason"] for d in item["doubts"]] == ["conflicting"]


# -- edited check texts -------------------------------------------------------------------------


def edit_text(editor: corpus.FormEditor, tag: str, unit: str, new: str) -> None:
    """Rewrite the first text of the row (or table) holding the field ``tag``, outside fields."""
    holder = next(editor.control(tag).iterancestors(f"{corpus.W}{unit}"))
    for text in holder.iter(f"{corpus.W}t"):
        if text.text and not any(a.tag == f"{corpus.W}sdt" for a in text.iterancestors()):
            text.text = new
            return
    raise AssertionError(tag)


def test_a_check_whose_text_was_edited_is_unclear(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    year = pick(checks, "year", 3)
    accept = pick(checks, "accept", 2)
    editor = corpus.FormEditor(plan)
    fills = {}
    for check in (*year, *accept):
        t = tags(check)
        fills.update({t["result"]: "Uppfyllt", t["date"]: "2027-01-20"})
    editor.fill(fills)
    edit_text(editor, tags(year[1])["result"], "tr", "Inget att kontrollera.")
    edit_text(editor, tags(accept[0])["result"], "tbl", "Ett annat provfall.")
    record = editor.save(tmp_path / "andrad.docx")
    data, _ = report([record], tmp_path / "out")
    items = by_check(data)
    outcomes = {c: items[(c.subject, c.moment)] for c in (*year, *accept)}
    assert [outcomes[c]["outcome"] for c in (*year, *accept)] == [
        "met",
        "unclear",
        "met",
        "unclear",
        "met",
    ]
    doubt = outcomes[year[1]]["doubts"][0]
    assert doubt["reason"] == "text_changed"
    assert "Inget att kontrollera." in doubt["detail"]
    assert "Ett annat provfall." in outcomes[accept[0]]["doubts"][0]["detail"]


def test_every_check_text_of_an_untouched_plan_is_as_written(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    data, _ = report([plan], tmp_path / "out")
    assert not [i for i in data["items"] if any(d["reason"] == "text_changed" for d in i["doubts"])]
    from upphandla.evaluation.form_reader import read_custom_properties

    recorded = json.loads(read_custom_properties(plan.read_bytes())["upphandla.check_digests"])
    assert set(recorded) == {f"{c.subject}.{c.moment}" for c in checks}


def test_a_plan_made_with_the_evaluation_is_read_with_it(
    checks: list[Check], tmp_path: Path
) -> None:
    promised = next(c for c in checks if c.if_promised)
    evaluation = tmp_path / "utvardering.json"
    winner = {"name": "Alfa AB", "rank": 1, "promised": [promised.subject]}
    evaluation.write_text(json.dumps({"suppliers": [winner]}), encoding="utf-8")
    out = tmp_path / "plan"
    generate_follow_up(
        FollowUpRequest(answers=sources(), out=out, date=PLAN_DATE, evaluation=evaluation)
    ).write()
    t = tags(promised)
    record = (
        corpus.FormEditor(out / "uppfoljningsplan.docx")
        .fill({t["result"]: "Ej uppfyllt", t["date"]: "2027-12-01"})
        .save(tmp_path / "ifylld.docx")
    )
    data, _ = report([record], tmp_path / "out", date="2028-01-10", evaluation=evaluation)
    items = by_check(data)
    assert items[(promised.subject, promised.moment)]["outcome"] == "not_met"
    # Award criteria not promised are not in the plan, and not in the report.
    others = {c.subject for c in checks if c.if_promised} - {promised.subject}
    assert not [key for key in items if key[0] in others]


# -- bad records --------------------------------------------------------------------------------


def test_bad_records_are_located_and_the_others_are_read(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    check = pick(checks, "start", 1)[0]
    t = tags(check)
    good = corpus.FormEditor(plan).fill({t["result"]: "Uppfyllt"}).save(tmp_path / "bra.docx")
    other_out = tmp_path / "annan"
    generate_follow_up(
        FollowUpRequest(answers=sources("procurement_title=En annan upphandling"), out=other_out)
    ).write()
    response_out = tmp_path / "svar"
    from upphandla.documents.package import GenerateRequest, generate_documents

    generate_documents(GenerateRequest(answers=sources(), out=response_out)).write()
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(corpus.pdf_file())
    encrypted = tmp_path / "krypterad.docx"
    encrypted.write_bytes(corpus.encrypted_file())
    bad = [
        other_out / "uppfoljningsplan.docx",
        response_out / "svarsbilaga.docx",
        pdf,
        encrypted,
        tmp_path / "saknas.docx",
    ]
    result = report_follow_up(
        FollowUpReportRequest(
            answers=sources(), records=[good, *bad], out=tmp_path / "out", date="2027-03-01"
        )
    )
    assert result.report.records == (good,)
    assert [p.location.file for p in result.report.unread] == bad
    messages = [p.message.sv for p in result.report.unread]
    assert "En annan upphandling" in messages[0]
    assert "inte en uppföljningsplan" in messages[1]
    assert "PDF" in messages[2]
    assert "lösenord" in messages[3] or "krypter" in messages[3]
    item = next(i for i in result.report.items if i.check == check)
    assert item.current.outcome == "met"
    assert not result.report.decided


def test_cli_writes_the_report_and_exits_4_when_something_is_to_check(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    out = tmp_path / "rapport"
    result = runner.invoke(
        app,
        [
            "follow-up",
            "--answers",
            str(EXAMPLE),
            "--set",
            GO_LIVE[0],
            "--record",
            str(plan),
            "--out",
            str(out),
            "--date",
            "2027-03-01",
        ],
    )
    assert result.exit_code == 4, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "uppfoljningsrapport.docx",
        "uppfoljningsrapport.json",
    ]
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(corpus.pdf_file())
    result = runner.invoke(
        app,
        [
            "follow-up",
            "--answers",
            str(EXAMPLE),
            "--record",
            str(pdf),
            "--out",
            str(out),
            "--force",
        ],
    )
    assert result.exit_code == 4
    assert f"{pdf}:" in result.output
    assert "fel:" in result.output


def test_an_english_plan_takes_english_choices_only(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    generate_follow_up(
        FollowUpRequest(answers=sources(), out=out, date=PLAN_DATE, language="en")
    ).write()
    record = (
        corpus.FormEditor(out / "uppfoljningsplan.docx")
        .fill(
            {
                "AI-SAK-10.start.result": "Not met",
                "AI-SAK-10.start.date": "2027-01-20",
                "AI-KLS-06.start.result": "Uppfyllt",
            }
        )
        .save(tmp_path / "filled.docx")
    )
    data, markdown = report([record], tmp_path / "out", language="en")
    items = by_check(data)
    assert items[("AI-SAK-10", "start")]["outcome"] == "not_met"
    assert items[("AI-KLS-06", "start")]["outcome"] == "unclear"
    assert items[("AI-KLS-06", "start")]["doubts"][0]["message"] == (
        "The result ”Uppfyllt” is not one of the items of the list."
    )
    assert "require the supplier to remedy the defect, terminate the contract" in markdown


def test_the_declaration_says_when_the_system_was_last_checked_and_what_was_found(
    plan: Path, checks: list[Check], tmp_path: Path
) -> None:
    records, picked = yearly_records(plan, checks, tmp_path)
    data, _ = report(records, tmp_path / "rapport", date="2029-01-10")
    report_json = tmp_path / "uppfoljningsrapport.json"
    report_json.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "deklaration"
    result = runner.invoke(
        app,
        [
            "declare", "--answers", str(EXAMPLE), "--set", GO_LIVE[0],
            "--follow-up-report", str(report_json), "--out", str(out), "--format", "md",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (out / "transparensdeklaration.md").read_text(encoding="utf-8")
    counts = data["counts"]
    checked = counts["met"] + counts["partly"] + counts["not_met"]
    assert (
        f"Senast kontrollerat: 5 december 2028. Av {checked} kontroller med resultat var "
        f"{counts['met']} uppfyllda, {counts['partly']} delvis uppfyllda och "
        f"{counts['not_met']} inte uppfyllda"
    ) in text
    assert picked["year"][0].title in text  # partly met in the latest record
    assert "Fyll i: datum och vad kontrollen visade" not in text

    without = runner.invoke(
        app, ["declare", "--answers", str(EXAMPLE), "--out", str(tmp_path / "d2"), "--format", "md"]
    )
    assert "Fyll i: datum och vad kontrollen visade" in (
        tmp_path / "d2" / "transparensdeklaration.md"
    ).read_text(encoding="utf-8"), without.output


def test_a_follow_up_report_of_another_procurement_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "rapport.json"
    other.write_text(json.dumps({"items": [], "counts": {}, "form_id": "0000"}), encoding="utf-8")
    result = runner.invoke(
        app,
        ["declare", "--answers", str(EXAMPLE), "--follow-up-report", str(other),
         "--out", str(tmp_path / "d")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"{other}: fel: Uppföljningsrapporten gäller en annan upphandling" in result.output
    assert not (tmp_path / "d").exists()
    for name, content in (
        ("inte.json", "[1, 2]"),
        ("udda.json", json.dumps({"items": [{"outcome": "met"}], "counts": {"met": "många"}})),
        ("rader.json", json.dumps({"items": ["met"], "counts": {"met": 1}})),
    ):
        not_a_report = tmp_path / name
        not_a_report.write_text(content, encoding="utf-8")
        result = runner.invoke(
            app,
            ["declare", "--answers", str(EXAMPLE), "--follow-up-report", str(not_a_report),
             "--out", str(tmp_path / "d")],
        )  # fmt: skip
        assert result.exit_code == 1, result.output
        assert f"{not_a_report}: fel: Filen är ingen uppföljningsrapport" in result.output
        assert not (tmp_path / "d").exists()
