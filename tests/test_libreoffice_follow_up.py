"""A follow-up plan filled in and saved by LibreOffice itself, through its UNO API, read back
into the follow-up report (slow tier).

``tests/lo_fill.py`` types each result over the text its bookmark holds, as a person would, and
saves the plan as .docx with LibreOffice's own filter (which drops the content controls' tags:
the results are found by their bookmarks).
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from test_libreoffice_forms import SYSTEM_PYTHON, _has_uno
from upphandla.documents import form
from upphandla.documents.package import FollowUpRequest, generate_follow_up
from upphandla.evaluation.follow_up_record import FollowUpReportRequest, report_follow_up
from upphandla.interview.sources import AnswerSources

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _has_uno(), reason="LibreOffice with python3-uno is not installed"),
]

EXAMPLE = REPO / "examples" / "ekonomiskt-bistand.yaml"


def test_a_plan_filled_in_libreoffice_is_read_exactly(tmp_path: Path) -> None:
    sources = AnswerSources(answers_path=EXAMPLE, set_options=("go_live_date=2027-01-15",))
    generate_follow_up(FollowUpRequest(answers=sources, out=tmp_path, date="2026-12-01")).write()
    results = {
        "AI-SAK-10.start": ("Uppfyllt", "2027-01-20", "Eva Ek", "Provet godkänt."),
        "AI-KLS-01.start": ("Ej uppfyllt", "2027-01-20", "Eva Ek", "En funktion saknas."),
        "AI-KLS-06.start": ("Delvis uppfyllt", "2027-01-21", "Ola Berg", ""),
        "AI-TRA-04.start": ("Uppfyllt, nästan", "2027-01-21", "Ola Berg", ""),
        "AI-TRA-05.start": ("Ej kontrollerat", "2027-01-22", "Ola Berg", ""),
        "AI-TRA-02.start": ("Uppfyllt", "den 22 januari", "Ola Berg", ""),
    }
    answers: dict[str, str] = {}
    for check, (result, date, who, note) in results.items():
        answers.update({f"{check}.result": result, f"{check}.date": date, f"{check}.by": who})
        if note:
            answers[f"{check}.note"] = note
    target = tmp_path / "ifylld.docx"
    plan = {
        "source": str(tmp_path / "uppfoljningsplan.docx"),
        "profile": str(tmp_path / "profile"),
        "port": random.randint(20000, 40000),
        "forms": [{"target": str(target), "answers": answers}],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    filled = subprocess.run(
        [str(SYSTEM_PYTHON), str(REPO / "tests" / "lo_fill.py"), str(tmp_path / "plan.json")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert filled.returncode == 0, filled.stderr
    report = report_follow_up(
        FollowUpReportRequest(
            answers=sources, records=[target], out=tmp_path / "ut", date="2027-03-01"
        )
    ).report
    assert not report.unread
    found = {
        f"{item.check.subject}.{item.check.moment}": (
            item.current.outcome,
            item.current.date,
            item.current.by,
            item.current.note,
            [doubt.reason for doubt in item.current.doubts],
        )
        for item in report.items
    }
    assert {check: found[check] for check in results} == {
        "AI-SAK-10.start": ("met", "2027-01-20", "Eva Ek", "Provet godkänt.", []),
        "AI-KLS-01.start": ("not_met", "2027-01-20", "Eva Ek", "En funktion saknas.", []),
        "AI-KLS-06.start": ("partly", "2027-01-21", "Ola Berg", "", []),
        "AI-TRA-04.start": ("unclear", "2027-01-21", "Ola Berg", "", ["not_plain"]),
        "AI-TRA-05.start": ("not_checked", "2027-01-22", "Ola Berg", "", []),
        "AI-TRA-02.start": ("unclear", "den 22 januari", "Ola Berg", "", ["date_not_a_date"]),
    }
    # Nothing else was filled in, and nothing LibreOffice changed reads as a result. A field whose
    # spelled-out bookmark name would pass Word's 40 characters gets a digest-named one, which the
    # reader finds among the expected tags once LibreOffice has dropped the tags.
    long_named = {
        check
        for check in found
        if form.bookmark_name(f"{check}.{form.CheckField.RESULT}").startswith("_upph_h")
    }
    assert long_named >= {"use_per_instructions.start", "reasons_for_decisions.year"}
    for check in long_named:
        assert found[check][0] == "not_checked", (check, found[check])
    unmarked: set[str] = set()
    others = [value for check, value in found.items() if check not in {*results, *unmarked}]
    assert {value[0] for value in others} == {"not_checked"}
    assert all(value[4] == ["not_answered"] for value in others)
