"""The README's examples stay true: the commands it shows give the output it shows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli.app import app

runner = CliRunner()


def test_the_evaluation_example_gives_the_table_in_the_readme(tmp_path: Path) -> None:
    out, bids = tmp_path / "ut", tmp_path / "anbud"
    generated = runner.invoke(
        app,
        [
            "generate",
            "--answers",
            str(REPO / "examples" / "ekonomiskt-bistand.yaml"),
            "--out",
            str(out),
        ],
    )
    assert generated.exit_code == 0, generated.output
    spec = importlib.util.spec_from_file_location(
        "fyll_i_exempel", REPO / "examples" / "anbud" / "fyll_i_exempel.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(out, bids)
    forms = [str(bids / f"{name}.docx") for name in ("alfa", "beta", "cirkel")]
    result = runner.invoke(
        app, ["evaluate", *forms, "--answers", str(out / "svar.yaml"), "--out", str(out)]
    )
    assert result.exit_code == 4, result.output  # Cirkel's tender is to be assessed
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = [
        line for line in result.stdout.splitlines() if line.strip() and not line.startswith("skrev")
    ]
    for line in table:
        assert line in readme, f"README lacks: {line!r}"


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in (
        "interview",
        "explain",
        "generate",
        "evaluate",
        "follow-up",
        "declare",
        "library check",
        "library init",
    ):
        assert f"upphandla {command}" in readme
