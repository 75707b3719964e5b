"""Where the bundled data folders are, installed from a wheel or run from a source checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

BUNDLED_LIBRARIES = "requirement_libraries"
BUNDLED_TEMPLATES = "templates"
BUNDLED_SCHEMAS = "schemas"


def bundled_dir(name: str) -> Path:
    """The folder ``name`` shipped with the package.

    A wheel carries the folders inside the package (see ``force-include`` in pyproject.toml).
    An editable install or a plain source checkout keeps them at the repository root, two levels
    above the package; that is the only other place looked at.
    """
    packaged = Path(str(files("upphandla").joinpath(name)))
    if packaged.is_dir():
        return packaged
    source_checkout = Path(__file__).resolve().parents[2] / name
    if source_checkout.is_dir():
        return source_checkout
    return packaged
