"""Shared test helpers: tiny libraries written from inline YAML, and the Hypothesis profiles."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LIBRARY = REPO / "requirement_libraries" / "default"

# Hypothesis profiles. ``ci`` (the default) is derandomised, so every run tries the same
# examples and CI stays stable; ``fuzz`` (HYPOTHESIS_PROFILE=fuzz) is a long random session.
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ci",
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "fuzz",
    max_examples=3000,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
    kind: specification
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


@pytest.fixture(autouse=True)
def _private_library_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the library cache of every test out of the user's own cache folder."""
    monkeypatch.setenv("UPPHANDLA_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "library-cache"))
