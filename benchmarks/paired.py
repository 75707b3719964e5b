"""Time two or more shell commands in turns: A, B, A, B, … so that the machine's drift (other
programs, a slower phase of a shared host) falls on all of them alike.

    python benchmarks/paired.py --runs 30 "COMMAND A" "COMMAND B" ...
    python benchmarks/paired.py --runs 3 --prepare "rm -rf /tmp/cache" "A" "B"

Prints, per command, the median and the minimum of the wall time and of the CPU time (user +
system, of the command and its children). ``--prepare`` runs before every run of every command
and is not timed (emptying a cache, for example). One unmeasured warm-up run of each command
comes first. Used for the before/after figures in ``results.md`` (2026-12-01, second section),
where the two commands are the same ``upphandla generate`` run from two source trees:

    PYTHONPATH=/tmp/before/src python -m upphandla generate ...
    PYTHONPATH=src python -m upphandla generate ...

The commands run without ``PYTHONDONTWRITEBYTECODE``: an installed upphandla has its modules
compiled, and a tree whose bytecode could not be written would be compiled again at every run
(about 0.1 s), which is not what either side of a comparison would cost a user. CPU time counts
every process a command starts (the copies of ``parallel`` included).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import time

_ENVIRONMENT = {
    name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"
}


def timed(command: str) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command`` in a shell."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENVIRONMENT
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commands", nargs="+", help="shell commands to time in turns")
    parser.add_argument("--runs", type=int, default=20, help="measured runs per command")
    parser.add_argument("--prepare", default="", help="untimed shell command before every run")
    args = parser.parse_args()

    def prepare() -> None:
        if args.prepare:
            subprocess.run(args.prepare, shell=True, check=True)

    for command in args.commands:
        prepare()
        timed(command)
    walls: dict[str, list[float]] = {command: [] for command in args.commands}
    cpus: dict[str, list[float]] = {command: [] for command in args.commands}
    for _ in range(args.runs):
        for command in args.commands:
            prepare()
            wall, cpu = timed(command)
            walls[command].append(wall)
            cpus[command].append(cpu)
    print("| wall median | wall min | CPU median | CPU min | command |")
    print("|---:|---:|---:|---:|---|")
    for command in args.commands:
        wall, cpu = walls[command], cpus[command]
        print(
            f"| {statistics.median(wall) * 1000:.0f} ms | {min(wall) * 1000:.0f} ms "
            f"| {statistics.median(cpu) * 1000:.0f} ms | {min(cpu) * 1000:.0f} ms | `{command}` |"
        )


if __name__ == "__main__":
    main()
