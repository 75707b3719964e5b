"""Fill in a response workbook with LibreOffice Calc itself, through its UNO API, and save it as
.xlsx.

Run with the Python that has LibreOffice's ``uno`` module (Debian: ``apt-get install
python3-uno``, then ``/usr/bin/python3``), not the project's virtual environment:

    python3 tests/lo_fill_calc.py PLAN.json

PLAN.json names the blank workbook, the LibreOffice profile folder and the workbooks to write;
the cells come from the workbook's contract (``xlsx_contract.read_contract``), read by the test::

    {"source": "kravspecifikation.xlsx", "profile": "/tmp/lo-profile", "port": 2103,
     "forms": [{"target": "alfa.xlsx", "cells": [["Krav", "O2", "Ja"], ...]}]}

Each answer is typed the way a person would: ``setString`` on the unlocked cell of the still
protected sheet (the cells are formatted as text, so ``=1+1`` stays text), then the workbook is
saved with Calc's own Excel 2007-365 filter.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from lo_fill import _connect, _property  # noqa: E402


def fill(desktop: Any, source: Path, plan: dict[str, Any]) -> None:
    import time

    document = None
    for _ in range(60):  # a fresh profile is still being set up when the socket opens
        document = desktop.loadComponentFromURL(
            source.resolve().as_uri(), "_blank", 0, (_property("Hidden", True),)
        )
        if document is not None:
            break
        time.sleep(0.5)
    if document is None:
        raise SystemExit(f"LibreOffice could not open {source}")
    try:
        sheets = document.getSheets()
        for sheet_name, cell_name, text in plan["cells"]:
            sheet = sheets.getByName(sheet_name)
            sheet.getCellRangeByName(cell_name).setString(text)
        target = Path(plan["target"]).resolve()
        document.storeToURL(
            target.as_uri(),
            (_property("FilterName", "Calc MS Excel 2007 XML"), _property("Overwrite", True)),
        )
    finally:
        document.close(True)


def main(plan_file: Path) -> None:
    import subprocess

    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    desktop, office = _connect(plan["profile"], int(plan.get("port", 2103)))
    try:
        for form in plan["forms"]:
            fill(desktop, Path(plan["source"]), form)
            print(f"wrote {form['target']}")
    finally:
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
            desktop.terminate()
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
