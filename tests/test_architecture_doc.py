"""The Python API example in docs/architecture.md runs as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from conftest import REPO

DOC = REPO / "docs" / "architecture.md"


def example() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- example: api -->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, "docs/architecture.md lost its API example"
    return match.group(1)


def test_the_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "ut"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example(), str(DOC), "exec"), {"EXAMPLES": REPO / "examples", "OUT": out})  # noqa: S102
    lines = printed.getvalue().splitlines()
    assert lines[0] == "annex_iii"
    assert lines[1] == "high"
    assert "kravbilaga.docx" in lines[2]
    assert (out / "kravbilaga.docx").is_file()


def test_every_module_named_in_the_table_exists() -> None:
    package = REPO / "src" / "upphandla"
    named = re.findall(r"`((?:[a-z_]+/)?[a-z_]+\.py)`", DOC.read_text(encoding="utf-8"))
    missing = [
        name
        for name in sorted(set(named))
        if not name.startswith("tests/")
        and not (REPO / name).exists()
        and not (package / name).exists()
        and next(package.rglob(name), None) is None
    ]
    assert missing == [], f"docs/architecture.md names modules that do not exist: {missing}"
