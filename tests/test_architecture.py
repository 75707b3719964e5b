"""The import direction of the pipeline: a stage imports only the stages below it.

    cli → web → evaluation → documents → selection → interview → library → errors, text, limits, …

Function-level (lazy) imports count too: they still make one stage depend on another.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "upphandla"

# Higher floors may import lower ones, never the other way round.
FLOORS = {
    "cli": 7,
    "web": 6,
    "evaluation": 5,
    "documents": 4,
    "selection": 3,
    "interview": 2,
    "library": 1,
}
ENTRY_POINTS = {"__init__", "__main__"}  # the public API and `python -m upphandla` see everything
BASE_FLOOR = 0  # errors, text, limits, resources, files, safe_zip, records, parallel


def floor_of(module: str) -> int:
    """The floor of ``upphandla.<first>.…``; entry points are above every stage."""
    first = module.split(".")[0]
    if first in ENTRY_POINTS:
        return max(FLOORS.values()) + 1
    return FLOORS.get(first, BASE_FLOOR)


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found.append((".".join(parts), path))
    return found


def imported(path: Path) -> list[tuple[str, int]]:
    """Every ``upphandla.…`` module that ``path`` imports, with the line, lazy imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "upphandla":
                found.extend((alias.name, node.lineno) for alias in node.names)
            elif node.module.startswith("upphandla."):
                found.append((node.module.removeprefix("upphandla."), node.lineno))
        elif isinstance(node, ast.Import):
            found.extend(
                (alias.name.removeprefix("upphandla."), node.lineno)
                for alias in node.names
                if alias.name.startswith("upphandla.")
            )
    return found


def test_every_module_lives_on_a_known_floor() -> None:
    top_level = {name for name, _ in modules() if "." not in name} - ENTRY_POINTS
    assert top_level - set(FLOORS) <= {
        "errors",
        "text",
        "limits",
        "resources",
        "files",
        "safe_zip",
        "records",
        "parallel",
    }


@pytest.mark.parametrize(("module", "path"), modules(), ids=[name for name, _ in modules()])
def test_imports_run_one_way(module: str, path: Path) -> None:
    own = floor_of(module)
    upward = [
        f"{path.relative_to(REPO)}:{line} imports upphandla.{target}"
        for target, line in imported(path)
        if target != "__version__" and floor_of(target) > own
    ]
    assert upward == [], "a stage imports a stage above it:\n" + "\n".join(upward)


def test_the_stage_packages_exist() -> None:
    for package in FLOORS:
        assert (PACKAGE / package / "__init__.py").is_file(), package
