"""The CLI runs a command without importing what it does not use (pydantic alone, through
Typer's value adapters, costs ~65 ms)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli import app as app_module
from upphandla.cli import params

runner = CliRunner()

SCRIPT = """
import sys
from pathlib import Path
from upphandla.cli.app import main
sys.argv = ["upphandla", "explain", "--answers", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
print("pydantic" in sys.modules, file=sys.stderr)
"""


def test_the_lean_coercion_is_active_with_this_typer() -> None:
    assert params.LEAN, "Typer moved the internals cli/params.py uses: the CLI got slower"


def test_a_command_runs_without_pydantic() -> None:
    example = REPO / "examples" / "dokumentsok-intern.yaml"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(example)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert "Klassificering enligt AI-förordningen" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr


GENERATE = """
import sys
from pathlib import Path
from upphandla.cli.app import main
sys.argv = ["upphandla", "generate", "--answers", sys.argv[1], "--out", sys.argv[2]]
try:
    main()
except SystemExit:
    pass
unneeded = ("docx", "openpyxl", "pydantic", "tomllib", "upphandla.interview.session")
print(sorted(name for name in unneeded if name in sys.modules), file=sys.stderr)
"""


def test_generate_writes_word_files_without_importing_what_it_does_not_use(tmp_path: Path) -> None:
    """No python-docx, openpyxl or pydantic; the profile's TOML reader and the interview's
    modules only when there is a profile or an interview."""
    example = REPO / "examples" / "dokumentsok-intern.yaml"
    done = subprocess.run(
        [sys.executable, "-c", GENERATE, str(example), str(tmp_path / "ut")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert (tmp_path / "ut" / "svarsbilaga.docx").is_file(), done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


@pytest.mark.parametrize("name", list(app_module.COMMANDS))
def test_a_command_run_alone_reads_as_in_the_whole_app(name: str) -> None:
    """``main`` gives Typer only the command named (Typer reads every command's signature
    first); its help, and so its options, must be those of the app with every command."""
    alone = app_module.app_for([name, "--help"])
    assert alone is not app_module.app
    assert len(alone.registered_commands) + len(alone.registered_groups) == 1
    for arguments in ([name, "--help"], ["--lang", "en", name, "--help"], [name]):
        expected = runner.invoke(app_module.app, arguments)
        got = runner.invoke(alone, arguments)
        assert (got.exit_code, got.output) == (expected.exit_code, expected.output)


@pytest.mark.parametrize("arguments", [[], ["--help"], ["--version"], ["generat"], ["-x", "y"]])
def test_without_a_known_command_the_whole_app_runs(arguments: list[str]) -> None:
    assert app_module.app_for(arguments) is app_module.app


def _upphandla(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``python -m upphandla`` with block-buffered output, as when a program reads it."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "upphandla", *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=REPO,
        env=environment,
    )


def test_the_command_flushes_all_it_printed_before_its_quick_exit() -> None:
    """``run`` leaves out the interpreter's teardown with ``os._exit``: everything printed to a
    pipe (block-buffered) must still arrive, with the exit status of ``main``."""
    example = str(REPO / "examples" / "ekonomiskt-bistand.yaml")
    done = _upphandla("explain", "--answers", example)
    expected = runner.invoke(app_module.app, ["explain", "--answers", example])
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected.stdout
    assert len(done.stdout) > 10_000


@pytest.mark.parametrize(
    ("arguments", "status", "in_stderr"),
    [
        (("library", "check", "no-such-library"), 1, "fel: Biblioteket 'no-such-library'"),
        (("no-such-command",), 2, "Det finns inget kommando 'no-such-command'"),
        (("--version",), 0, ""),
    ],
)
def test_the_command_keeps_the_exit_status_and_messages(
    arguments: tuple[str, ...], status: int, in_stderr: str
) -> None:
    done = _upphandla(*arguments)
    assert done.returncode == status
    assert in_stderr in done.stderr


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (4, 4), (130, 130), ("text", 1)])
def test_exit_status_is_that_of_sys_exit(
    code: object, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert app_module._exit_status(code) == status
    assert capsys.readouterr().err == ("text\n" if code == "text" else "")
