"""Golden files: compare rendered text with a committed copy; UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_matches_golden(name: str, actual: str) -> None:
    """Fail with a readable diff when ``actual`` differs from ``golden/name``."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            raise AssertionError(
                f"{path} did not exist; it was written now. Review it and run again."
            )
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs from the golden file; review and run with UPDATE_GOLDEN=1"
    )
