"""The library commands, through Typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import WriteLibrary
from upphandla import __version__
from upphandla.cli.app import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"upphandla {__version__}"


def test_help_lists_the_commands_in_swedish() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "library" in result.output
    assert "Krav på transparens" in result.output


def test_check_bundled_libraries_is_clean() -> None:
    result = runner.invoke(app, ["library", "check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "default: 0 fel, 0 varningar" in result.output


def test_check_takes_a_library_by_its_id_as_the_readme_shows(write_library: WriteLibrary) -> None:
    folder = write_library("malmo-krav")
    arguments = ["library", "check", "default", "malmo-krav", "--library", str(folder.parent)]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert "default: 0 fel, 0 varningar (41 frågor" in result.output
    assert "malmo-krav: 0 fel" in result.output


def test_check_of_an_unknown_id_names_it_without_a_made_up_file() -> None:
    result = runner.invoke(app, ["library", "check", "no-such-library"])
    assert result.exit_code == 1
    assert result.stderr.startswith("fel: Biblioteket 'no-such-library' finns inte.")
    assert "tips: Tillåtna värden: default" in result.stderr
    assert "no-such-library: 1 fel, 0 varningar" in result.output


def test_check_reports_located_errors_and_exit_1(write_library: WriteLibrary) -> None:
    folder = write_library(files={"bad.yaml": "requirements:\n  - id: R-2\n    levle: ska\n"})
    result = runner.invoke(app, ["library", "check", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'bad.yaml'}:3:5: fel: Okänt fält 'levle'" in result.stderr
    assert "tips: Menade du 'level'?" in result.stderr
    assert "Traceback" not in result.output


def test_check_in_english(write_library: WriteLibrary) -> None:
    folder = write_library(files={"bad.yaml": "requirements:\n  - id: R-2\n    levle: ska\n"})
    result = runner.invoke(app, ["library", "check", str(folder), "--lang", "en"])
    assert "error: Unknown field 'levle'" in result.stderr


def test_strict_fails_on_warnings(write_library: WriteLibrary) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    (folder / "content.yaml").write_text(
        content.replace(", en: First requirement", ""), encoding="utf-8"
    )
    assert runner.invoke(app, ["library", "check", str(folder)]).exit_code == 0
    strict = runner.invoke(app, ["library", "check", str(folder), "--strict"])
    assert strict.exit_code == 1
    assert "varning: Engelsk text saknas" in strict.stderr


def test_list_and_show(write_library: WriteLibrary) -> None:
    folder = write_library("extra-lib")
    listed = runner.invoke(app, ["library", "list", "--library", str(folder)])
    assert listed.exit_code == 0
    assert "default" in listed.output
    assert "extra-lib" in listed.output
    shown = runner.invoke(app, ["library", "show", "default"])
    assert shown.exit_code == 0
    assert "AI-KLS-01" in shown.output
    assert "SKA" in shown.output


def test_library_path_from_environment(write_library: WriteLibrary) -> None:
    folder = write_library("from-env")
    result = runner.invoke(
        app, ["library", "show", "from-env"], env={"UPPHANDLA_LIBRARY_PATH": str(folder.parent)}
    )
    assert result.exit_code == 0, result.output
    assert "R-1" in result.output


def test_show_unknown_library() -> None:
    result = runner.invoke(app, ["library", "show", "defualt"])
    assert result.exit_code == 1
    assert "Biblioteket 'defualt' finns inte" in result.stderr
    assert "Menade du 'default'?" in result.stderr


def test_init_creates_a_library_that_checks_clean(tmp_path: Path) -> None:
    folder = tmp_path / "kommunens-krav"
    result = runner.invoke(app, ["library", "init", str(folder)])
    assert result.exit_code == 0, result.output
    first_line = (folder / "library.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./library.schema.json"
    assert (folder / "library.schema.json").is_file()
    checked = runner.invoke(app, ["library", "check", "--strict", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "kommunens-krav: 0 fel, 0 varningar" in checked.output


def test_init_standalone_library_checks_clean(tmp_path: Path) -> None:
    folder = tmp_path / "fristaende"
    assert runner.invoke(app, ["library", "init", str(folder), "--extends", ""]).exit_code == 0
    checked = runner.invoke(app, ["library", "check", "--strict", str(folder)])
    assert checked.exit_code == 0, checked.output


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("viktigt", encoding="utf-8")
    result = runner.invoke(app, ["library", "init", str(tmp_path), "--id", "x"])
    assert result.exit_code == 1
    assert "inte tom" in result.stderr
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "viktigt"
    assert not (tmp_path / "library.yaml").exists()
