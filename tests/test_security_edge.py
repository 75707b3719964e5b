"""Issue 13, item 7: one error family, one edge.

Every command is run through ``main()`` (the real entry point, exit codes and all) with the
inputs of the issue that made 0.1 say "Ett oväntat fel inträffade" (exit 70): ``--out`` that is
a file, a read-only folder and a full disk (injected ``OSError``), a bad ``--reference-doc``,
runtime errors in derived values, deep TOML in the profile, non-UTF-8 file names, and an output
file that cannot be replaced. None may end in exit 70 or show a traceback.
"""

from __future__ import annotations

import errno
import gc
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL_LIBRARY_YAML, REPO, write_files
from upphandla import files as writing
from upphandla.cli import app as app_module

EXAMPLE = REPO / "examples" / "ekonomiskt-bistand.yaml"
Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``upphandla ARGUMENTS`` through ``main()``: the exit code and everything printed."""

    def invoke(*arguments: str | Path) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["upphandla", *map(str, arguments)])
        monkeypatch.setattr(app_module, "is_interactive", lambda: False)
        code = 0
        try:
            app_module.main()
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 1
        finally:
            gc.enable()
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return invoke


@pytest.fixture(scope="module")
def forms() -> list[Path]:
    """Three filled-in response forms of the example, for ``evaluate``."""
    folder = Path(tempfile.mkdtemp(prefix="upphandla-edge-"))
    subprocess.run(
        [sys.executable, "-m", "upphandla", "generate", "--answers", str(EXAMPLE), "--out",
         str(folder / "ut")],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, str(REPO / "examples" / "anbud" / "fyll_i_exempel.py"),
         str(folder / "ut"), str(folder / "anbud")],
        check=True, capture_output=True,
    )  # fmt: skip
    return sorted((folder / "anbud").glob("*.docx"))


def writers(out: Path, forms: list[Path]) -> dict[str, list[str | Path]]:
    """Every command that writes files, writing into ``out``."""
    answers = str(EXAMPLE)
    return {
        "generate": ["generate", "--answers", answers, "--out", out],
        "follow-up": ["follow-up", "--answers", answers, "--out", out],
        "declare": ["declare", "--answers", answers, "--out", out],
        "evaluate": ["evaluate", *forms, "--answers", answers, "--out", out],
        "interview": ["interview", "--answers", answers, "-o", out / "svar.yaml"],
        "library init": ["library", "init", out / "malmo-krav"],
    }


def assert_no_unexpected_error(code: int, output: str) -> None:
    assert code != 70, output
    assert "Traceback" not in output
    assert "oväntat fel" not in output


def test_the_forms_were_made(forms: list[Path]) -> None:
    assert len(forms) == 3


@pytest.mark.parametrize("command", ["generate", "follow-up", "declare", "evaluate", "interview"])
def test_an_out_that_is_a_file(run: Run, tmp_path: Path, forms: list[Path], command: str) -> None:
    out = tmp_path / "a-file"
    out.write_text("not a folder", encoding="utf-8")
    code, output = run(*writers(out, forms)[command])
    assert_no_unexpected_error(code, output)
    assert code == 1
    assert "Filen kunde inte skrivas" in output
    assert out.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize(
    "command", ["generate", "follow-up", "declare", "evaluate", "interview", "library init"]
)
@pytest.mark.parametrize(
    ("fault", "reason"),
    [(errno.ENOSPC, "disken är full"), (errno.EACCES, "behörighet saknas")],
    ids=["full-disk", "read-only-folder"],
)
def test_a_full_disk_or_a_read_only_folder(
    run: Run,
    tmp_path: Path,
    forms: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    fault: int,
    reason: str,
) -> None:
    real = writing.tempfile.mkstemp

    def mkstemp(**kwargs: object) -> tuple[int, str]:
        raise OSError(fault, os.strerror(fault))

    monkeypatch.setattr(writing.tempfile, "mkstemp", mkstemp)
    code, output = run(*writers(tmp_path / "ut", forms)[command])
    monkeypatch.setattr(writing.tempfile, "mkstemp", real)
    assert_no_unexpected_error(code, output)
    assert code == 1
    assert reason in output
    assert not (tmp_path / "ut").exists() or not any((tmp_path / "ut").rglob("*.*"))


@pytest.mark.parametrize("command", ["generate", "follow-up", "declare", "evaluate"])
def test_an_output_file_that_cannot_be_replaced(
    run: Run, tmp_path: Path, forms: list[Path], command: str
) -> None:
    out = tmp_path / "ut"
    code, output = run(*writers(out, forms)[command])
    # The example's tenders include one to assess by hand: evaluate writes and ends with 4.
    assert code == (4 if command == "evaluate" else 0), output
    written = sorted(path for path in out.iterdir() if path.is_file())
    before = {path: path.read_bytes() for path in written}
    blocked = written[-1]
    blocked.unlink()
    blocked.mkdir()  # a folder where the file must go (on Windows: the file open in Word)
    (blocked / "keep").write_text("x", encoding="utf-8")
    code, output = run(*writers(out, forms)[command], "--force")
    assert_no_unexpected_error(code, output)
    assert code == 1
    assert f"{blocked}: fel: Filen kunde inte skrivas" in output
    assert {path: path.read_bytes() for path in written if path != blocked} == {
        path: data for path, data in before.items() if path != blocked
    }


@pytest.mark.parametrize("command", ["generate", "follow-up", "declare", "evaluate"])
def test_a_bad_reference_document(
    run: Run, tmp_path: Path, forms: list[Path], command: str
) -> None:
    for name, content in {
        "junk.docx": b"not a zip",
        "empty.docx": b"",
        "text.docx": b"PK\x03\x04" + b"\x00" * 100,
    }.items():
        reference = tmp_path / name
        reference.write_bytes(content)
        code, output = run(*writers(tmp_path / "ut", forms)[command], "--reference-doc", reference)
        assert_no_unexpected_error(code, output)
        assert code == 1, output
        assert str(reference) in output
    code, output = run(
        *writers(tmp_path / "ut", forms)[command], "--reference-doc", tmp_path / "missing.docx"
    )
    assert_no_unexpected_error(code, output)


def runtime_error_library(root: Path) -> Path:
    """A library whose derived value fails with the answers (``10**1000/3``)."""
    write_files(
        root / "bad",
        {
            "library.yaml": MINIMAL_LIBRARY_YAML.format(id="bad", extra=""),
            "content.yaml": """\
                areas:
                  - {id: general, title: {sv: A, en: A}}
                questions:
                  - id: uses_ai
                    type: bool
                    prompt: {sv: A?, en: A?}
                    help: {sv: B., en: B.}
                    default: true
                derived:
                  - id: huge
                    label: {sv: D, en: D}
                    expression: "10**1000 / 3 if uses_ai else 1"
                  - id: digits
                    label: {sv: D, en: D}
                    expression: "(10**999 * 10**999 * 10**999 * 10**999 * 10**999) if uses_ai else 1"
                requirements: []
                """,
        },
    )
    answers = root / "svar.yaml"
    answers.write_text("library:\n  id: bad\nanswers:\n  uses_ai: true\n", encoding="utf-8")
    return answers


@pytest.mark.parametrize("command", ["explain", "generate", "follow-up", "declare", "interview"])
def test_runtime_errors_in_derived_values(run: Run, tmp_path: Path, command: str) -> None:
    answers = runtime_error_library(tmp_path)
    arguments: list[str | Path] = [command, "--answers", answers, "--library", tmp_path]
    arguments += ["-o", tmp_path / "ny.yaml"] if command == "interview" else []
    if command not in ("explain", "interview"):
        arguments += ["--out", tmp_path / "ut"]
    code, output = run(*arguments)
    assert_no_unexpected_error(code, output)
    if command != "interview":  # the interview asks nothing that needs the derived values
        assert code == 1
        assert "content.yaml:" in output
        assert "10**1000 / 3" in output


def test_library_commands_with_a_failing_derived_value(run: Run, tmp_path: Path) -> None:
    runtime_error_library(tmp_path)
    for arguments in (
        ["library", "check", tmp_path / "bad"],
        ["library", "show", "bad", "--library", tmp_path],
        ["library", "list", "--library", tmp_path],
    ):
        code, output = run(*arguments)
        assert_no_unexpected_error(code, output)


@pytest.mark.parametrize("command", ["generate", "follow-up", "declare"])
@pytest.mark.parametrize(
    "toml", ["a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 5000 + "1" + "}" * 5000]
)
def test_deep_toml_in_the_profile(run: Run, tmp_path: Path, command: str, toml: str) -> None:
    profile = tmp_path / "upphandla.toml"
    profile.write_text(toml + "\n", encoding="utf-8")
    code, output = run(
        command, "--answers", EXAMPLE, "--out", tmp_path / "ut", "--profile", profile
    )
    assert_no_unexpected_error(code, output)
    assert code == 1
    assert "nästlad för djupt" in output


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are Unicode there")
@pytest.mark.parametrize("command", ["explain", "generate", "declare", "interview"])
def test_file_names_that_are_not_utf8(run: Run, tmp_path: Path, command: str) -> None:
    name = os.fsdecode(b"svar-\xff.yaml")
    try:
        (tmp_path / name).write_bytes(EXAMPLE.read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system takes only UTF-8 names")
    broken = tmp_path / os.fsdecode(b"\xfe.yaml")
    broken.write_bytes(b"answers: [\n")
    for answers in (tmp_path / name, broken, tmp_path / os.fsdecode(b"saknas-\xfd.yaml")):
        arguments: list[str | Path] = [command, "--answers", answers]
        if command == "interview":
            arguments += ["-o", tmp_path / os.fsdecode(b"ny-\xfc.yaml")]
        elif command != "explain":
            arguments += ["--out", tmp_path / os.fsdecode(b"ut-\xfb"), "--force"]
        code, output = run(*arguments)
        assert_no_unexpected_error(code, output)


def test_an_upphandla_error_outside_a_command_is_still_a_message(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upphandla.errors import Location, Problem, ProblemsError
    from upphandla.text import Text

    def explode(*arguments: object, **keywords: object) -> None:
        raise ProblemsError([Problem(Text("Trasigt.", "Broken."), Location(Path("x.yaml")))])

    monkeypatch.setattr(app_module, "app_for", lambda arguments: explode)
    code, output = run("explain", "--lang", "en")
    assert code == 1
    assert "x.yaml: error: Broken." in output


def test_exit_codes_are_documented_in_help_and_readme(run: Run) -> None:
    code, output = run("--help")
    assert code == 0
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for number, _swedish, _english in app_module.EXIT_CODES:
        assert f"  {number:>3}  " in output
        assert f"| {number} |" in readme
