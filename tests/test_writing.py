"""Atomic writes, and temporary files left by a killed run are cleaned up by the next one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from upphandla import files as writing
from upphandla.errors import ProblemsError
from upphandla.files import remove_stale_temporaries, write_all_atomic, write_bytes_atomic


def aged(path: Path, mtime: float, data: bytes = b"half a file") -> Path:
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


def test_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "kravbilaga.docx"
    write_bytes_atomic(target, b"first")
    write_bytes_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(path.name for path in target.parent.iterdir()) == ["kravbilaga.docx"]


def test_stale_temporaries_of_the_file_are_removed_when_it_is_written(tmp_path: Path) -> None:
    before = writing._STARTED - 60
    stale = aged(tmp_path / ".kravbilaga.docx.abcd_123.tmp", before)
    others = [
        aged(tmp_path / ".kravbilaga.docx.zzzzzzzz.tmp", writing._STARTED + 1),  # a newer run's
        aged(tmp_path / ".svarsbilaga.docx.abcd_123.tmp", before),  # another file's
        aged(tmp_path / ".kravbilaga.docx.md.abcd_123.tmp", before),  # kravbilaga.docx.md's
        aged(tmp_path / ".kravbilaga.docx.short.tmp", before),  # not a temporary name
        aged(tmp_path / "kravbilaga.docx.abcd_123.tmp", before),  # no leading dot
    ]
    write_bytes_atomic(tmp_path / "kravbilaga.docx", b"new")
    assert not stale.exists()
    assert all(path.exists() for path in others)
    assert (tmp_path / "kravbilaga.docx").read_bytes() == b"new"


def test_removing_stale_temporaries_reports_them(tmp_path: Path) -> None:
    stale = aged(tmp_path / ".svar.yaml.0a1b2c3d.tmp", writing._STARTED - 1)
    assert remove_stale_temporaries(tmp_path / "svar.yaml") == [stale]
    assert remove_stale_temporaries(tmp_path / "svar.yaml") == []
    assert remove_stale_temporaries(tmp_path / "missing" / "svar.yaml") == []


def test_existing_files_are_refused_and_left_alone(tmp_path: Path) -> None:
    existing = tmp_path / "kravbilaga.docx"
    existing.write_bytes(b"old")
    with pytest.raises(ProblemsError, match="already exists"):
        write_all_atomic({existing: b"new", tmp_path / "svar.yaml": b"x"}, force=False)
    assert existing.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["kravbilaga.docx"]
