"""The wheel carries the bundled libraries, templates and schemas and finds them when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("upphandla-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "upphandla/requirement_libraries/default/library.yaml" in names
    assert "upphandla/schemas/library.schema.json" in names
    assert "upphandla/cli/app.py" in names


@pytest.mark.slow
def test_installed_wheel_finds_its_library_outside_the_repository(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(target), "PYTHONIOENCODING": "utf-8"}
    environment.pop("UPPHANDLA_LIBRARY_PATH", None)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import upphandla.resources as r; print(r.bundled_dir('requirement_libraries'))",
        ],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(target) in probe.stdout
    result = subprocess.run(
        [sys.executable, "-m", "upphandla", "library", "check", "--strict"],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert "default: 0 fel, 0 varningar" in result.stdout
