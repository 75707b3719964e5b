"""Allow ``python -m upphandla``."""

from upphandla.cli.app import run

run()
