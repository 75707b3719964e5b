"""upphandla: requirements for transparency and ethics when public bodies buy AI systems."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("upphandla")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
