"""upphandla: requirements for transparency and ethics when public bodies buy AI systems."""

# The single source of the version: pyproject.toml reads it from here (hatch), and importing
# importlib.metadata for it would cost ~35 ms on every start, --help included.
__version__ = "0.2.0.dev0"

__all__ = ["__version__"]
