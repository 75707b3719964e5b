"""Allow ``python -m upphandla``."""

from upphandla.cli.app import run

if __name__ == "__main__":
    run()
