"""Import ``benchmarks/crafted_forms.py`` in the tests, which share its builders of crafted forms."""

from __future__ import annotations

import importlib.util
import sys

from conftest import REPO

_spec = importlib.util.spec_from_file_location(
    "crafted_forms", REPO / "benchmarks" / "crafted_forms.py"
)
assert _spec is not None
assert _spec.loader is not None
crafted = importlib.util.module_from_spec(_spec)
sys.modules["crafted_forms"] = crafted
_spec.loader.exec_module(crafted)
