"""The README's examples stay true: the commands it shows give the output it shows."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
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


# ---------------------------------------------------------------------------------------------
# Getting started: the commands a newcomer copies


def code_blocks(language: str | None = None) -> list[tuple[str, str]]:
    """``(language, text)`` of every fenced block in the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    return [(lang, text) for lang, text in blocks if language is None or lang == language]


def getting_started() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme[readme.index("## Kom igång") : readme.index("## Så används det")]


def upphandla_lines() -> list[str]:
    lines = []
    for lang, text in code_blocks():
        if lang in ("sh", "powershell", "bat", ""):
            for line in text.splitlines():
                line = re.sub(r"^if \(\$\?\) \{ (.*) \}$", r"\1", line.split("  #")[0].strip())
                if line.startswith("upphandla "):
                    lines.append(line)
    return lines


def test_every_upphandla_command_in_the_readme_exists_with_its_options() -> None:
    import typer.main

    root = typer.main.get_command(app)
    checked = 0
    for line in upphandla_lines():
        words = shlex.split(line.replace("\\", "/"))[1:]
        command: Any = root
        while words and hasattr(command, "commands") and words[0] in command.commands:
            command = command.commands[words.pop(0)]
        assert not hasattr(command, "commands"), f"no such command: {line}"
        options = {name for param in command.params for name in param.opts}
        for word in words:
            if word.startswith("--"):
                assert word.split("=")[0] in options, f"{line}: no option {word}"
        checked += 1
    assert checked >= 10


def test_getting_started_covers_every_shell_and_stops_on_failure() -> None:
    section = getting_started()
    for needed in (
        "git clone",
        "Download ZIP",
        "pipx install .",
        "source .venv/bin/activate",
        ".venv\\Scripts\\Activate.ps1",
        ".venv\\Scripts\\activate.bat",
        "python -m pytest",
        "upphandla interview --web",
    ):
        assert needed in section, needed
    powershell = [text for lang, text in code_blocks("powershell")]
    assert powershell
    for text in powershell:
        lines = [line for line in text.splitlines() if line.strip()]
        # Every line after the first runs only when the one before succeeded.
        assert all(line.startswith("if ($?) { ") for line in lines[1:]), text
        assert "; " not in " ".join(lines), text


@pytest.mark.slow
def test_the_getting_started_commands_work_from_a_fresh_copy(tmp_path: Path) -> None:
    """Steps 3 and 4 for bash, as written, in a copy of the tracked files (needs the registry)."""
    if os.name == "nt" or shutil.which("bash") is None or shutil.which("git") is None:
        pytest.skip("the bash steps need bash and git")
    copy = tmp_path / "upphandla"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for name in filter(None, tracked.split("\0")):
        source = REPO / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    section = getting_started()
    install = section[section.index("macOS och Linux (bash eller zsh)") :]
    install_block = re.search(r"```sh\n(.*?)```", install, re.DOTALL)
    assert install_block is not None
    example = re.search(
        r"```sh\n(upphandla generate --answers examples/ekonomiskt-bistand.yaml --out ut)\n```",
        section,
    )
    assert example is not None
    script = "set -euo pipefail\n" + install_block.group(1) + example.group(1) + "\n"
    environment = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("kravbilaga.docx", "svarsbilaga.docx", "beslutsunderlag.docx"):
        assert (copy / "ut" / name).is_file()
