"""Allow ``python -m upphandla``."""

from upphandla.cli import main

main()
