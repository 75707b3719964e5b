"""A response workbook filled in and saved by LibreOffice Calc through its UNO API, evaluated
(slow tier): the outcomes equal those of the same answers filled in with openpyxl.

``tests/lo_fill_calc.py`` runs in the Python that has LibreOffice's ``uno`` module, like
``tests/lo_fill.py`` for the Word form.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import REPO
from test_libreoffice_forms import SYSTEM_PYTHON, _has_uno
from test_workbook_evaluation import (
    GENERATED,
    INCOME_SUPPORT,
    INJECTED,
    answers_for,
    evaluate,
    fill_workbook,
    outcomes,
    supplier,
)
from upphandla.cli.app import app
from upphandla.documents.xlsx_contract import read_contract

runner = CliRunner()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _has_uno(), reason="LibreOffice with python3-uno is not installed"),
]


def test_a_workbook_filled_in_libreoffice_calc_is_read_exactly(tmp_path: Path) -> None:
    sent = tmp_path / "sent"
    generated = runner.invoke(
        app,
        ["generate", "--answers", str(INCOME_SUPPORT), *GENERATED, "--format",
         "docx,json,xlsx", "--out", str(sent)],
    )  # fmt: skip
    assert generated.exit_code == 0, generated.output
    contract = read_contract(sent / "kravspecifikation.xlsx")
    answers = answers_for(sent, "Calc AB")
    cells = [
        [contract.fields[tag].sheet, contract.fields[tag].cell, text]
        for tag, text in answers.items()
    ]
    plan = {
        "source": str(sent / "kravspecifikation.xlsx"),
        "profile": str(tmp_path / "profile"),
        "port": random.randint(20000, 40000),
        "forms": [{"target": str(tmp_path / "calc.xlsx"), "cells": cells}],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    filled = subprocess.run(
        [str(SYSTEM_PYTHON), str(REPO / "tests" / "lo_fill_calc.py"), str(tmp_path / "plan.json")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert filled.returncode == 0, filled.stderr
    by_python = fill_workbook(sent, tmp_path / "openpyxl.xlsx", answers_for(sent, "Openpyxl AB"))
    result, data = evaluate([tmp_path / "calc.xlsx", by_python], tmp_path / "out")
    assert result.exit_code in (0, 4), result.output
    assert data["unread"] == []
    calc: dict[str, Any] = supplier(data, "Calc AB")
    assert outcomes(calc) == outcomes(supplier(data, "Openpyxl AB"))
    assert [a["outcome"] for a in calc["answers"][:3]] == ["yes", "no", "unclear"]
    assert calc["reservations"] == []  # Calc kept every requirement cell as written
    assert (calc["form_kind"], calc["price"]) == ("xlsx", 1_250_000)
    assert calc["answers"][0]["description"] == INJECTED  # typed, saved and read as text
    assert "Skyddet" not in result.output  # Calc kept the protection
    assert "utanför formulärets" not in result.output  # and added no cells of its own
