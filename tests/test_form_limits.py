"""The response form reader's limits, each met by a crafted form (docs/limits.md, "Svarsformulär").

The forms are built from a generated response form by ``benchmarks/crafted_forms.py``'s
builders; the limits are lowered where the real ones would need a large file, so that every
test is fast. The time and memory they keep a form within are measured in the benchmark.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks_path import crafted
from upphandla.evaluation.form_reader import NotADocxError, read_form
from upphandla.limits import Limits


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crafted._generate(tmp_path_factory.mktemp("limits") / "form")


def _read(path: Path, limits: Limits | None = None) -> None:
    read_form(path.read_bytes(), limits=limits or Limits())


def test_too_many_elements_are_refused_before_parsing(blank: Path, tmp_path: Path) -> None:
    path = crafted.many_elements(60_000)(blank, tmp_path / "f.docx")
    with pytest.raises(NotADocxError, match="more than 50,000 XML elements") as error:
        _read(path, Limits(max_form_elements=50_000))
    assert error.value.kind == "too_large"
    _read(path)  # within the real limit


def test_a_form_that_needs_too_many_steps_is_refused(blank: Path, tmp_path: Path) -> None:
    path = crafted.many_elements(40_000)(blank, tmp_path / "f.docx")
    with pytest.raises(NotADocxError, match="steps to read") as error:
        _read(path, Limits(max_form_visits=20_000))
    assert error.value.kind == "too_large"


def test_a_zip_bomb_is_refused_before_it_is_inflated(blank: Path, tmp_path: Path) -> None:
    path = crafted.ratio_bomb(blank, tmp_path / "f.docx", megabytes=8)
    with pytest.raises(NotADocxError, match="zip bomb") as error:
        _read(path)
    assert error.value.kind == "too_large"


def test_a_zip_that_lies_about_its_sizes_stops_at_the_declared_size(
    blank: Path, tmp_path: Path
) -> None:
    path = crafted.lying_sizes(blank, tmp_path / "f.docx", megabytes=8)
    # zipfile stops at the declared size and finds the checksum wrong: nothing more is inflated.
    with pytest.raises(NotADocxError, match="damaged|inflates past its declared size"):
        _read(path)


def test_nesting_deeper_than_the_xml_parser_allows_is_refused(blank: Path, tmp_path: Path) -> None:
    _read(crafted.deep_nesting(100)(blank, tmp_path / "ok.docx"))
    with pytest.raises(NotADocxError, match="not well-formed") as error:
        _read(crafted.deep_nesting(300)(blank, tmp_path / "deep.docx"))
    assert error.value.kind == "damaged"


def test_unmatched_bookmarks_are_ignored(blank: Path, tmp_path: Path) -> None:
    path = crafted.unmatched_bookmarks(blank, tmp_path / "f.docx")
    content = read_form(path.read_bytes(), expected={"AI-KLS-01.fulfilled", "supplier.name"})
    assert set(content.fields) <= {"AI-KLS-01.fulfilled", "supplier.name"}
    assert "AI-X0.fulfilled" not in content.fields
