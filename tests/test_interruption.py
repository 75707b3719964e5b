"""Killing ``upphandla generate`` at any moment leaves every file whole: old, new or absent.

Each file is written to a temporary file that is then renamed, so a kill (SIGKILL, a power cut)
may leave a temporary ``.NAME.xxxxxxxx.tmp`` behind, never a half-written document; the next run
that writes NAME removes such leftovers.

The runs are killed at a fixed list of moments (runs that finish first are fine), and while the
first, second, ... eighth output file is being written (seen by watching the folder for its
temporary file), so that the test is stable and still hits the writes themselves.
"""

from __future__ import annotations

import functools
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from docx_dump import dump_docx
from upphandla.cli.app import app

# Real processes killed at set moments: the slow tier (CI runs it; -m "not slow" skips it).
pytestmark = pytest.mark.slow

INCOME_SUPPORT = REPO / "examples" / "ekonomiskt-bistand.yaml"
DATE = "2026-11-27"
KILL_AFTER = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
OUTPUTS = 8  # three .docx, three .md, svar.yaml and urval.json
TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def generate_command(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "upphandla",
        "generate",
        "--answers",
        str(INCOME_SUPPORT),
        "--out",
        str(out),
        "--format",
        "docx,md,json",
        "--date",
        DATE,
        *extra,
    ]


def run_and_kill(
    command: list[str], cwd: Path, after: float = 120, when: Callable[[], bool] | None = None
) -> int:
    """Run ``command``; kill it after ``after`` seconds, or as soon as ``when()`` holds, unless
    it ended first; return its exit status."""
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with (cwd / "stderr.txt").open("ab") as stderr:
        process = subprocess.Popen(
            command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=stderr
        )
        deadline = time.monotonic() + after
        while process.poll() is None and time.monotonic() < deadline:
            if when is not None and when():
                break
            time.sleep(0.0005 if when is not None else 0.005)
        if process.poll() is None:
            if os.name == "posix":
                process.send_signal(signal.SIGKILL)
            else:
                process.terminate()
        return process.wait(timeout=60)


def temporaries(folder: Path) -> set[str]:
    try:
        return {entry.name for entry in os.scandir(folder) if TEMPORARY.fullmatch(entry.name)}
    except OSError:
        return set()


def writing_file(folder: Path, number: int) -> Callable[[], bool]:
    """A condition that holds once the run's ``number``-th temporary file appeared (from 1)."""
    earlier = temporaries(folder)
    seen: set[str] = set()

    def holds() -> bool:
        seen.update(temporaries(folder) - earlier)
        return len(seen) >= number

    return holds


@functools.cache
def _docx_text(path: Path) -> str:
    return dump_docx(path)


def assert_whole(path: Path, reference: Path) -> None:
    """``path`` is complete and valid: the same document as ``reference``."""
    if path.suffix == ".docx":
        assert dump_docx(path) == _docx_text(reference), path  # python-docx opens it
    elif path.suffix == ".json":
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(
            reference.read_text(encoding="utf-8")
        )
    else:
        assert path.read_bytes().decode("utf-8")
        assert path.read_bytes() == reference.read_bytes(), path


def check_folder(out: Path, reference: Path, old: bytes) -> list[str]:
    """Every file in ``out`` is whole (or the old one); return the temporary files left."""
    leftovers = []
    for path in sorted(out.iterdir()):
        if TEMPORARY.fullmatch(path.name):
            leftovers.append(path.name)
        elif path.name == "kravbilaga.docx" and path.read_bytes() == old:
            continue
        else:
            assert (reference / path.name).is_file(), f"unexpected file {path.name}"
            assert_whole(path, reference / path.name)
    return leftovers


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes]:
    """A folder to work in, a complete reference run, and an older kravbilaga.docx."""
    root = tmp_path_factory.mktemp("interruption")
    reference = root / "reference"
    assert run_and_kill(generate_command(reference), root) == 0
    earlier = root / "earlier"
    result = CliRunner().invoke(
        app,
        [
            "generate",
            "--answers",
            str(INCOME_SUPPORT),
            "--out",
            str(earlier),
            "--format",
            "docx",
            "--date",
            "2026-01-01",
        ],
    )
    assert result.exit_code == 0, result.output
    old = (earlier / "kravbilaga.docx").read_bytes()
    assert dump_docx(earlier / "kravbilaga.docx") != _docx_text(reference / "kravbilaga.docx")
    return root, reference, old


@pytest.mark.parametrize("moments", ["time", "writes"])
def test_a_killed_generate_leaves_whole_files_and_the_next_run_cleans_up(
    runs: tuple[Path, Path, bytes], moments: str
) -> None:
    root, reference, old = runs
    out = root / f"forced-{moments}"
    out.mkdir()
    statuses, leftovers = [], []
    for index in range(len(KILL_AFTER) if moments == "time" else OUTPUTS):
        (out / "kravbilaga.docx").write_bytes(old)
        command = generate_command(out, "--force")
        if moments == "time":
            statuses.append(run_and_kill(command, root, after=KILL_AFTER[index]))
        else:
            statuses.append(run_and_kill(command, root, when=writing_file(out, index + 1)))
        leftovers.append(check_folder(out, reference, old))
        if statuses[-1] == 0:
            assert leftovers[-1] == [], index
    if moments == "time":  # on a RAM disk the writes may be too quick to catch
        assert statuses[0] != 0, "the first run was not killed"
    assert run_and_kill(generate_command(out, "--force"), root) == 0
    assert check_folder(out, reference, old) == [], "the last run left temporary files"
    assert sorted(path.name for path in out.iterdir()) == sorted(
        path.name for path in reference.iterdir()
    )
    assert (out / "kravbilaga.docx").read_bytes() != old


@pytest.mark.parametrize("after", [0.3, 0.6, 120.0])
def test_without_force_an_existing_file_is_kept_byte_for_byte(
    runs: tuple[Path, Path, bytes], after: float
) -> None:
    root, _, old = runs
    out = root / f"kept-{after}"
    out.mkdir()
    (out / "kravbilaga.docx").write_bytes(old)
    status = run_and_kill(generate_command(out), root, after=after)
    assert status != 0
    if after > 60:
        assert status == 1  # refused, not killed
    assert (out / "kravbilaga.docx").read_bytes() == old
    assert [path.name for path in out.iterdir()] == ["kravbilaga.docx"]
