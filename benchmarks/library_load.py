"""Time loading a library: from its files, and from the cache (process time, best of N).

    python benchmarks/library_load.py [LIBRARY] [--runs 6]

LIBRARY is an id or a folder (default: the bundled ``default``). Each run is a fresh process
with its own temporary cache folder, so the figures are a cold load (files) and a warm load
(the cache entry the cold load wrote); cyclic garbage collection is off, as in the CLI.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

CHILD = """
import gc, sys, time
gc.disable()
import upphandla.library.loading as loading
start = time.process_time()
result = loading.load_library(sys.argv[1])
print(time.process_time() - start, result.library is not None)
"""


def _once(library: str, cache: str) -> float:
    environment = {**os.environ, "UPPHANDLA_CACHE_DIR": cache}
    environment.pop("UPPHANDLA_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, library],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    seconds, loaded = done.stdout.split()
    if loaded != "True":
        raise SystemExit(f"{library} did not load:\n{done.stderr}")
    return float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", nargs="?", default="default")
    parser.add_argument("--runs", type=int, default=6)
    options = parser.parse_args()
    cold, warm = [], []
    for _ in range(options.runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(_once(options.library, cache))
            warm.append(_once(options.library, cache))
    print(f"{options.library}: from files {min(cold) * 1000:.0f} ms, "
          f"from the cache {min(warm) * 1000:.0f} ms (process time, best of {options.runs})")  # fmt: skip


if __name__ == "__main__":
    main()
