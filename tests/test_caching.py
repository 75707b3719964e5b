"""The library cache: used only while the files are unchanged, and never trusted blindly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import WriteLibrary
from upphandla.library import caching, expressions
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
    entries = list(cache_dir.glob("*.json"))
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


@pytest.mark.parametrize(
    "damage",
    [
        b"garbage",
        b"upphandla-library-cache 1\n{}\n",
        b'{"format": "upphandla-library-cache 2", "folders": [], "files": ""}\n{"c": "os"}',
        None,
    ],
)
def test_a_damaged_entry_is_a_miss(
    write_library: WriteLibrary, cache_dir: Path, damage: bytes | None
) -> None:
    folder = write_library()
    assert load_library(folder).library is not None
    (entry,) = cache_dir.glob("*.json")
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


def test_an_entry_is_plain_json_without_code(write_library: WriteLibrary, cache_dir: Path) -> None:
    assert load_library(write_library()).library is not None
    (entry,) = cache_dir.glob("*.json")
    header, payload = entry.read_bytes().split(b"\n", 1)
    assert json.loads(header)["format"] == "upphandla-library-cache 2"
    value = json.loads(payload)  # plain JSON: nothing but data
    names = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            names.add(item.get("c") or item.get("e") or item.get("n"))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    assert names - {None} <= set(caching._CLASSES) | set(expressions._NODE_CLASSES)


@pytest.mark.parametrize(
    "forged",
    [
        {"c": "Popen", "f": [["touch", "marker"]]},
        {"e": "Path", "v": "/"},
        {"e": "Library", "v": "x"},
        {"e": "Level", "v": "not a level"},
        {"f": [], "c": "Choice"},
        {"zz": 1},
        {},
        {"x": ["x", {"n": "Popen", "f": []}]},
        {
            "x": [
                "x",
                {"n": "Getattr", "f": [{"n": "Name", "f": ["x", "load"]}, "__class__", "load"]},
            ]
        },
    ],
)
def test_a_forged_entry_builds_nothing_outside_the_allow_list(forged: dict[str, object]) -> None:
    with pytest.raises((KeyError, TypeError, ValueError, expressions.ExpressionError)):
        caching.loads(json.dumps(forged))


posix_only = pytest.mark.skipif(os.name != "posix", reason="owner and mode checks are POSIX")


@posix_only
def test_the_cache_folder_is_created_owner_only(
    write_library: WriteLibrary, cache_dir: Path
) -> None:
    assert load_library(write_library()).library is not None
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    (entry,) = cache_dir.glob("*.json")
    assert entry.stat().st_mode & 0o077 == 0


@posix_only
def test_a_folder_others_can_write_is_neither_read_nor_written(
    write_library: WriteLibrary, cache_dir: Path
) -> None:
    folder = write_library()
    assert load_library(folder).library is not None
    cache_dir.chmod(0o777)
    (entry,) = cache_dir.glob("*.json")
    entry.write_bytes(entry.read_bytes().replace(b"R-1", b"R-9"))
    assert load_library(folder).library.requirements[0].id == "R-1"  # type: ignore[union-attr]
    entry.unlink()
    load_library(folder)
    assert not list(cache_dir.glob("*.json"))


@posix_only
def test_an_entry_that_is_a_symbolic_link_or_writable_by_others_is_a_miss(
    write_library: WriteLibrary, cache_dir: Path, tmp_path: Path
) -> None:
    folder = write_library()
    assert load_library(folder).library is not None
    (entry,) = cache_dir.glob("*.json")
    forged = entry.read_bytes().replace(b"R-1", b"R-9")
    entry.write_bytes(forged)
    assert load_library(folder).library.requirements[0].id == "R-9"  # type: ignore[union-attr]
    entry.chmod(0o666)
    assert load_library(folder).library.requirements[0].id == "R-1"  # type: ignore[union-attr]
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(forged)
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert load_library(folder).library.requirements[0].id == "R-1"  # type: ignore[union-attr]


@posix_only
def test_an_entry_is_never_written_through_a_planted_link(
    write_library: WriteLibrary, cache_dir: Path, tmp_path: Path
) -> None:
    folder = write_library()
    assert load_library(folder).library is not None
    (entry,) = cache_dir.glob("*.json")
    entry.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    for pid in range(os.getpid() - 2, os.getpid() + 3):  # the names 0.1 used
        (cache_dir / f".{entry.name}.{pid}.tmp").symlink_to(victim)
    assert load_library(folder).library is not None
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert entry.is_file()
    assert not entry.is_symlink()


def test_templates_are_never_compiled_into_the_cache_folder(
    cache_dir: Path, tmp_path: Path
) -> None:
    from upphandla.documents.templating import TemplateSet

    (tmp_path / "t" / "sv").mkdir(parents=True)
    (tmp_path / "t" / "sv" / "a.md.j2").write_text("# {{ x }}\n", encoding="utf-8")
    assert TemplateSet([tmp_path / "t"], "sv").render("a.md.j2", {"x": "Rubrik"}) == "# Rubrik\n"
    (tmp_path / "t" / "sv" / "a.md.j2").write_text("## {{ x }}\n", encoding="utf-8")
    assert TemplateSet([tmp_path / "t"], "sv").render("a.md.j2", {"x": "Rubrik"}) == "## Rubrik\n"
    assert not cache_dir.exists()


class _Payload:
    """Unpickling this runs code: it creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_planted_in_the_cache_never_runs(
    write_library: WriteLibrary, cache_dir: Path, tmp_path: Path
) -> None:
    import pickle

    folder = write_library()
    assert load_library(folder).library is not None
    (entry,) = cache_dir.glob("*.json")
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Payload(marker))
    entry.write_bytes(payload)
    entry.with_suffix(".pickle").write_bytes(b"upphandla-library-cache 1\n{}\n" + payload)
    result = load_library(folder)
    assert result.library is not None
    assert not marker.exists()


def test_the_bundled_library_comes_back_from_its_entry_as_loaded(cache_dir: Path) -> None:
    # Shared stored forms (enum members, empty tuples) and ASCII-only JSON decode to the same
    # values, texts with å, ä and ö included.
    from upphandla.library.loading import bundled_libraries_dir

    folder = bundled_libraries_dir() / "default"
    first = load_library(folder)
    (entry,) = cache_dir.glob("*.json")
    assert entry.read_bytes().isascii()
    second = load_library(folder)
    assert first.library is not None
    assert second.library == first.library
    assert second.problems == first.problems
    assert any("ö" in r.text.sv for r in second.library.requirements)
