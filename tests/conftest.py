"""Shared test helpers: tiny libraries written from inline YAML."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LIBRARY = REPO / "requirement_libraries" / "default"

MINIMAL_LIBRARY_YAML = """\
format: 1
id: {id}
name: {{sv: Testbibliotek, en: Test library}}
version: "1.0.0"
{extra}"""

MINIMAL_CONTENT = """\
areas:
  - id: general
    title: {sv: Allmänt, en: General}
questions:
  - id: uses_ai
    type: bool
    prompt: {sv: Används AI?, en: Is AI used?}
    help: {sv: Därför att., en: Because.}
    default: true
  - id: functions
    type: multiple
    prompt: {sv: Funktioner?, en: Functions?}
    help: {sv: Därför att., en: Because.}
    default: []
    choices:
      - {value: chatbot, label: {sv: Chattbot, en: Chatbot}}
      - {value: search, label: {sv: Sök, en: Search}}
requirements:
  - id: R-1
    area: general
    title: {sv: Första kravet, en: First requirement}
    text: {sv: Leverantören ska göra något., en: The supplier shall do something.}
    level: ska
    verification: [description]
    evidence: {sv: Beskrivning., en: Description.}
    phase: tender
    references: [{source: LOU, ref: "9 kap."}]
    rationale: {sv: Därför., en: Because.}
    when: uses_ai
"""

WriteLibrary = Callable[..., Path]


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write dedented text (or raw bytes) files below ``root``; return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def write_library(tmp_path: Path) -> WriteLibrary:
    """Write a library folder; by default a minimal valid one, with files replaced or added."""

    def write(
        name: str = "lib",
        files: dict[str, str | bytes] | None = None,
        *,
        library_extra: str = "",
        with_minimal_content: bool = True,
    ) -> Path:
        folder = tmp_path / name
        base: dict[str, str | bytes] = {
            "library.yaml": MINIMAL_LIBRARY_YAML.format(id=name, extra=library_extra),
        }
        if with_minimal_content:
            base["content.yaml"] = MINIMAL_CONTENT
        base.update(files or {})
        return write_files(folder, base)

    return write
