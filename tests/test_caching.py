"""The library cache: used only while the files are unchanged, and never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import WriteLibrary
from upphandla.library import caching
from upphandla.library.loading import load_library


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("UPPHANDLA_CACHE_DIR", str(folder))
    return folder


def test_second_load_comes_from_the_cache_and_equals_the_first(
    write_library: WriteLibrary, cache_dir: Path
) -> None:
    folder = write_library()
    first = load_library(folder)
    assert first.library is not None
    entries = list(cache_dir.glob("*.pickle"))
    assert len(entries) == 1
    second = load_library(folder)
    assert second.library == first.library
    requirement = second.library.requirements[0] if second.library else None
    assert requirement is not None
    assert requirement.when is not None
    assert requirement.when.compiled.evaluate({"uses_ai": True}) is True


def test_a_changed_file_is_loaded_again(write_library: WriteLibrary, cache_dir: Path) -> None:
    folder = write_library()
    assert load_library(folder).library is not None
    content = folder / "content.yaml"
    content.write_text(
        content.read_text(encoding="utf-8").replace("göra något", "göra mer"), encoding="utf-8"
    )
    reloaded = load_library(folder).library
    assert reloaded is not None
    assert reloaded.requirements[0].text.sv == "Leverantören ska göra mer."


def test_a_file_made_invalid_is_reported_not_served_from_the_cache(
    write_library: WriteLibrary, cache_dir: Path
) -> None:
    folder = write_library()
    assert load_library(folder).library is not None
    (folder / "content.yaml").write_text("requirements: [\n", encoding="utf-8")
    result = load_library(folder)
    assert result.library is None
    assert any("YAML" in problem.render("en") for problem in result.problems)


@pytest.mark.parametrize("damage", [b"garbage", b"upphandla-library-cache 1\n{}\n", None])
def test_a_damaged_entry_is_a_miss(
    write_library: WriteLibrary, cache_dir: Path, damage: bytes | None
) -> None:
    folder = write_library()
    assert load_library(folder).library is not None
    (entry,) = cache_dir.glob("*.pickle")
    raw = entry.read_bytes()
    entry.write_bytes(damage if damage is not None else raw[:-10] + b"0123456789")
    result = load_library(folder)
    assert result.library is not None
    assert result.library.requirements[0].id == "R-1"


def test_the_cache_can_be_switched_off(
    write_library: WriteLibrary, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPPHANDLA_NO_CACHE", "1")
    assert load_library(write_library()).library is not None
    assert not cache_dir.exists()
    assert caching.cache_folder() is None


def test_compiled_templates_are_kept_in_the_cache_folder(cache_dir: Path, tmp_path: Path) -> None:
    from upphandla.documents.templating import TemplateSet

    (tmp_path / "t" / "sv").mkdir(parents=True)
    (tmp_path / "t" / "sv" / "a.md.j2").write_text("# {{ x }}\n", encoding="utf-8")
    assert TemplateSet([tmp_path / "t"], "sv").render("a.md.j2", {"x": "Rubrik"}) == "# Rubrik\n"
    assert list((cache_dir / "templates").iterdir())
    (tmp_path / "t" / "sv" / "a.md.j2").write_text("## {{ x }}\n", encoding="utf-8")
    assert TemplateSet([tmp_path / "t"], "sv").render("a.md.j2", {"x": "Rubrik"}) == "## Rubrik\n"
