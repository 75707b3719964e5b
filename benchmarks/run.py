"""Benchmark upphandla as whole processes against its targets, with pandoc as the yardstick.

For the bundled default library (with examples/ekonomiskt-bistand.yaml) and for synthetic
libraries of 100, 1,000 and 10,000 requirements (benchmarks/synthetic.py), each command runs as a
fresh process several times; the table gives the median, min and max wall time and the peak
memory (max RSS of the process, from GNU time -f %M; wait4 without it). The commands:

* ``python -c "import typer"`` (the baseline for ``--help``) and ``upphandla --help``;
* ``upphandla library check LIB``;
* ``upphandla explain --answers A --library LIB --format json``;
* ``upphandla generate --answers A --library LIB --out TMP --format docx --force`` (all three
  documents and svar.yaml);
* pandoc converting the same three documents, written as Markdown by
  ``upphandla generate --format md``, to .docx: one ``pandoc -f markdown -t docx`` process per
  file, the three times summed (peak: the largest of the three).

Every row has a ratio to pandoc (pandoc's median time for the same library divided by the row's
median; above 1 means faster than pandoc). benchmarks/breakdown.py then runs once per library in
a fresh process to show where the time of generate goes, and ``python -X importtime`` lists the
imports behind ``--help``. The report is printed and written to benchmarks/results.md.

    /tmp/venv/bin/python benchmarks/run.py                      # everything (several minutes)
    /tmp/venv/bin/python benchmarks/run.py --quick              # 100 and 1,000, 2 runs
    /tmp/venv/bin/python benchmarks/run.py --sizes 100,1000,10000 --runs 5 --skip-pandoc-10000

Run it with the Python of the environment where upphandla is installed (it imports PyYAML to
write the synthetic libraries, and finds the ``upphandla`` command next to that Python).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import write_synthetic_library  # noqa: E402

ANSWERS = REPO / "examples" / "ekonomiskt-bistand.yaml"
DEFAULT_LIBRARY = REPO / "requirement_libraries" / "default"
DOCUMENTS = ("kravbilaga", "svarsbilaga", "beslutsunderlag")
DATE = "2026-01-15"
BIG = 10_000
CACHE_VARIABLE = "UPPHANDLA_CACHE_DIR"  # the library cache, where upphandla has one

# The targets of issue 7.
HELP_FACTOR = 2.5  # --help within 2.5x a bare `import typer`
DEFAULT_SECONDS = 0.5  # generate with the bundled library
DEFAULT_PANDOC_RATIO = 3.0
BIG_SECONDS = 5.0  # generate with 10,000 requirements
BIG_MB = 400.0
BIG_PANDOC_RATIO = 25.0
GROWTH = 12.0  # from 1,000 to 10,000 requirements


@dataclass
class Measurement:
    """The runs of one case."""

    case: str
    library: str
    requirements: int
    times: list[float] = field(default_factory=list)
    peaks_mb: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    other_cores: float = 0.0  # CPU used by other programs while this case ran, in cores
    calibration_ms: float = 0.0  # a fixed Python loop timed just before the case
    timed_out: bool = False
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak(self) -> float:
        return max(self.peaks_mb)


@dataclass
class Process:
    """One finished (or killed) process."""

    seconds: float
    peak_mb: float
    cpu_seconds: float
    returncode: int | None
    timed_out: bool


GNU_TIME = Path("/usr/bin/time")


def run_process(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float | None = None
) -> Process:
    """Run ``command`` to the end: its wall time and its peak memory (max RSS).

    The peak comes from GNU time (``/usr/bin/time -f %M``) when it is installed: Linux carries a
    process's max RSS across exec, so a child forked straight from this (large) Python process
    would report this process's memory when that is higher than its own. GNU time is a small
    process, so what it reports is the command's own peak. Without it, wait4's figure is used.
    """
    with (
        tempfile.NamedTemporaryFile(prefix="upphandla-bench-", suffix=".rss") as memory_file,
        tempfile.TemporaryFile(prefix="upphandla-bench-", suffix=".err") as error_file,
    ):
        wrapped = command
        if GNU_TIME.is_file():
            wrapped = [str(GNU_TIME), "-f", "%M", "-o", memory_file.name, *command]
        started = time.perf_counter()
        process = subprocess.Popen(
            wrapped,
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=error_file,
            start_new_session=True,  # so that a timeout can stop GNU time and its child
        )
        # stderr goes to a file, not a pipe: `library check` prints every warning there (hundreds
        # for the synthetic libraries), and a full pipe that nobody reads would block the command.
        deadline = None if timeout is None else started + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                timed_out = True
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        error_file.seek(0)
        error = error_file.read().decode("utf-8", "replace")
        peak_kib = usage.ru_maxrss
        # wait4 on GNU time includes the command's own CPU time (time waits for it).
        cpu_seconds = usage.ru_utime + usage.ru_stime
        reported = Path(memory_file.name).read_text(encoding="utf-8").split()
        if GNU_TIME.is_file() and reported and reported[-1].isdigit():
            peak_kib = int(reported[-1])
    if timed_out:
        return Process(seconds, peak_kib / 1024, cpu_seconds, None, True)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{error}")
    return Process(seconds, peak_kib / 1024, cpu_seconds, process.returncode, False)


def measure(
    case: str,
    library: str,
    requirements: int,
    command: list[str],
    runs: int,
    warmup: int,
    cwd: Path,
    env: dict[str, str],
    fresh_cache: Path | None = None,
) -> Measurement:
    """Run ``command`` ``warmup`` times unmeasured, then ``runs`` times measured.

    With ``fresh_cache``, every run gets a new, empty library cache folder under it (a first run
    after installing or after editing the library); otherwise the cache in ``env`` is used.
    """
    result = Measurement(case, library, requirements)
    wait_until_idle()
    result.calibration_ms = calibrate()
    busy = 0.0
    for index in range(warmup + runs):
        run_env = env
        if fresh_cache is not None:
            shutil.rmtree(fresh_cache, ignore_errors=True)
            run_env = {**env, CACHE_VARIABLE: str(fresh_cache)}
        if index == warmup:
            busy = cpu_busy_seconds()
        process = run_process(command, cwd, run_env)
        if index >= warmup:
            result.times.append(process.seconds)
            result.peaks_mb.append(process.peak_mb)
            result.cpu.append(process.cpu_seconds)
    result.other_cores = other_cores(busy, result)
    report(result)
    return result


def calibrate() -> float:
    """Milliseconds for a fixed pure-Python loop (best of 5): how fast the (virtual) machine is
    right now. A slow host shows here even when no other program on this machine is busy."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(300_000):
            total += number * number % 7
        best = min(best, time.perf_counter() - started)
    return best * 1000


def cpu_busy_seconds() -> float:
    """CPU seconds the whole machine has been busy since boot (all cores, from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    # user nice system idle iowait irq softirq steal ...: everything except idle and iowait.
    values = [int(value) for value in fields[:8]]
    busy = values[0] + values[1] + values[2] + values[5] + values[6] + values[7]
    return busy / os.sysconf("SC_CLK_TCK")


def other_cores(busy_before: float, result: Measurement) -> float:
    """Average cores used by other programs during the measured runs (0 on a quiet machine)."""
    wall = sum(result.times)
    if wall <= 0 or busy_before <= 0:
        return 0.0
    return max(0.0, (cpu_busy_seconds() - busy_before - sum(result.cpu)) / wall)


WAIT_IDLE_SECONDS = [0.0]  # set from --wait-idle


def wait_until_idle(threshold: float = 0.3, sample: float = 1.0) -> None:
    """With --wait-idle, wait (up to its limit) until other programs use < ``threshold`` cores."""
    limit = WAIT_IDLE_SECONDS[0]
    if limit <= 0:
        return
    started = time.perf_counter()
    while True:
        before = cpu_busy_seconds()
        time.sleep(sample)
        used = (cpu_busy_seconds() - before) / sample
        if used < threshold:
            return
        if time.perf_counter() - started > limit:
            print(f"  (machine still busy: {used:.1f} cores in use; measuring anyway)", flush=True)
            return


def load_average() -> str:
    """The 1-minute load average (other programs on the machine make wall times noisy)."""
    try:
        return Path("/proc/loadavg").read_text(encoding="ascii").split()[0]
    except OSError:
        return "?"


def report(result: Measurement) -> None:
    """One line on the console per case."""
    flag = " (TIMED OUT, lower bound)" if result.timed_out else ""
    print(
        f"  {result.case:<28} {result.library:<16} median {result.median:8.3f} s  "
        f"min {min(result.times):8.3f}  max {max(result.times):8.3f}  "
        f"cpu {statistics.median(result.cpu):8.3f} s  peak {result.peak:6.0f} MB  "
        f"others {result.other_cores:.2f} cores  calibration {result.calibration_ms:.1f} ms{flag}",
        flush=True,
    )


def measure_pandoc(
    library: str,
    requirements: int,
    markdown: list[Path],
    out: Path,
    runs: int,
    timeout: float | None,
    cwd: Path,
    env: dict[str, str],
) -> Measurement:
    """pandoc on each Markdown file, one process per file; times summed, peak the largest."""
    result = Measurement("pandoc md→docx (3 files)", library, requirements)
    wait_until_idle()
    result.calibration_ms = calibrate()
    busy = cpu_busy_seconds()
    for _ in range(runs):
        total, peak, cpu = 0.0, 0.0, 0.0
        for path in markdown:
            remaining = None if timeout is None else max(timeout - total, 0.001)
            process = run_process(
                [
                    "pandoc",
                    "-f",
                    "markdown",
                    "-t",
                    "docx",
                    "-o",
                    str(out / f"{path.stem}.docx"),
                    str(path),
                ],
                cwd,
                env,
                remaining,
            )
            total += process.seconds
            cpu += process.cpu_seconds
            peak = max(peak, process.peak_mb)
            if process.timed_out:
                result.timed_out = True
                result.note = f"stopped after {total:.0f} s (timeout) during {path.name}"
                break
        result.times.append(total)
        result.peaks_mb.append(peak)
        result.cpu.append(cpu)
        if result.timed_out:
            break
    result.other_cores = other_cores(busy, result)
    report(result)
    return result


def ratio_text(pandoc: Measurement | None, row: Measurement) -> str:
    """pandoc's median divided by the row's median, '> X' when pandoc timed out."""
    if pandoc is None:
        return "n/a"
    value = pandoc.median / row.median
    return f"> {value:.1f}" if pandoc.timed_out else f"{value:.2f}"


def code_state() -> tuple[str, str]:
    """The commit with the changed files, and a fingerprint of the code that runs (src, templates
    and libraries, with uncommitted changes) to notice edits made while the benchmark ran."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        ).stdout

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no").strip()
    changed = " ".join(line.split()[-1] for line in dirty.splitlines())
    code = ("src", "templates", "requirement_libraries")
    trees = git("rev-parse", *(f"HEAD:{folder}" for folder in code))
    diff = git("diff", "HEAD", "--", *code)
    fingerprint = hashlib.sha256((trees + diff).encode()).hexdigest()
    return commit + (f" with uncommitted changes in {changed}" if dirty else ""), fingerprint


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown"
    with Path("/proc/cpuinfo").open(encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with Path("/proc/meminfo").open(encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    system = platform.platform()
    os_release = Path("/etc/os-release")
    if os_release.is_file():
        match = re.search(r'^PRETTY_NAME="?([^"\n]*)', os_release.read_text(), re.MULTILINE)
        if match:
            system = f"{match.group(1)}, Linux {platform.release()}"
    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=True)
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version() + f" ({sys.executable})",
        "os": system,
        "pandoc": pandoc.stdout.splitlines()[0],
        "commit": code_state()[0],
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def import_times(
    python: Path, args: list[str], env: dict[str, str], cwd: Path
) -> list[tuple[int, int, str, int]]:
    """(self µs, cumulative µs, module, depth) from ``python -X importtime ARGS``; best of 3."""
    best: dict[str, tuple[int, int, int]] = {}
    for _ in range(3):
        completed = subprocess.run(
            [str(python), "-X", "importtime", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            check=True,
        )
        for line in completed.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(.*)$", line)
            if not match:
                continue
            own, cumulative = int(match.group(1)), int(match.group(2))
            depth, name = len(match.group(3)) // 2, match.group(4).strip()
            if name not in best or cumulative < best[name][1]:
                best[name] = (own, cumulative, depth)
    return [(own, cumulative, name, depth) for name, (own, cumulative, depth) in best.items()]


def import_rows(
    entries: list[tuple[int, int, str, int]], key: str, count: int = 10, top_level: bool = False
) -> list[str]:
    """Markdown rows of the ``count`` largest imports by ``key`` (``self`` or ``cumulative``)."""
    chosen = [entry for entry in entries if entry[3] == 0] if top_level else entries
    index = 0 if key == "self" else 1
    ranked = sorted(chosen, key=lambda entry: entry[index], reverse=True)[:count]
    return [f"| {name} | {own / 1000:.1f} | {cum / 1000:.1f} |" for own, cum, name, _ in ranked]


def generate_targets(
    suffix: str,
    default: Measurement | None,
    thousand: Measurement | None,
    big: Measurement | None,
    pandoc_default: Measurement | None,
    pandoc_big: Measurement | None,
) -> list[str]:
    """The Markdown rows of the generate targets for one variant (cold or warm cache)."""
    rows: list[str] = []
    if default is not None:
        rows.append(
            f"| generate{suffix}, bundled library ≤ {DEFAULT_SECONDS} s | {default.median:.3f} s | "
            f"{verdict(default.median <= DEFAULT_SECONDS)} |"
        )
        passed = (
            None
            if pandoc_default is None
            else pandoc_default.median / default.median >= DEFAULT_PANDOC_RATIO
        )
        rows.append(
            f"| generate{suffix}, bundled library ≥ {DEFAULT_PANDOC_RATIO:g}× faster than pandoc | "
            f"{ratio_text(pandoc_default, default)}× | {verdict(passed)} |"
        )
    if big is None:
        rows.extend(
            f"| generate{suffix}, {BIG:,} requirements {target} | – | NOT MEASURED |"
            for target in (
                f"≤ {BIG_SECONDS:g} s",
                f"≤ {BIG_MB:g} MB",
                f"≥ {BIG_PANDOC_RATIO:g}× faster than pandoc",
            )
        )
    else:
        rows.append(
            f"| generate{suffix}, {BIG:,} requirements ≤ {BIG_SECONDS:g} s | {big.median:.3f} s | "
            f"{verdict(big.median <= BIG_SECONDS)} |"
        )
        rows.append(
            f"| generate{suffix}, {BIG:,} requirements ≤ {BIG_MB:g} MB | {big.peak:.0f} MB | "
            f"{verdict(big.peak <= BIG_MB)} |"
        )
        big_ratio: bool | None
        if pandoc_big is None:
            big_ratio, measured = None, "pandoc skipped"
        else:
            value = pandoc_big.median / big.median
            measured = f"{ratio_text(pandoc_big, big)}×"
            if value >= BIG_PANDOC_RATIO:
                big_ratio = True  # also when pandoc timed out: the true ratio is higher still
            elif pandoc_big.timed_out:
                big_ratio = None  # a lower bound below the target says nothing
                measured += " (pandoc timed out; lower bound)"
            else:
                big_ratio = False
        rows.append(
            f"| generate{suffix}, {BIG:,} requirements ≥ {BIG_PANDOC_RATIO:g}× faster than "
            f"pandoc | {measured} | {verdict(big_ratio)} |"
        )
    if thousand is not None and big is not None:
        growth = big.median / thousand.median
        rows.append(
            f"| generate{suffix} time from 1,000 to {BIG:,} requirements grows ≤ {GROWTH:g}-fold "
            f"| {thousand.median:.3f} s → {big.median:.3f} s = {growth:.1f}× | "
            f"{verdict(growth <= GROWTH)} |"
        )
    else:
        rows.append(
            f"| generate{suffix} time from 1,000 to {BIG:,} requirements grows ≤ {GROWTH:g}-fold "
            "| – | NOT MEASURED |"
        )
    return rows


def verdict(passed: bool | None) -> str:
    return "NOT MEASURED" if passed is None else ("PASS" if passed else "FAIL")


def main() -> None:
    """Measure, print and write benchmarks/results.md."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,10000", help="synthetic library sizes")
    parser.add_argument(
        "--runs", type=int, default=5, help="measured runs per case at 10,000 requirements"
    )
    parser.add_argument(
        "--runs-small",
        type=int,
        default=15,
        help="measured runs per upphandla case below 10,000 requirements (fast, so noisier)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs before each case")
    parser.add_argument("--quick", action="store_true", help="sizes 100,1000; 2 runs; no warm-up")
    parser.add_argument("--skip-pandoc-10000", action="store_true", help="no pandoc at 10,000")
    parser.add_argument(
        "--pandoc-runs-10000", type=int, default=1, help="pandoc runs at 10,000 (default 1)"
    )
    parser.add_argument(
        "--pandoc-timeout", type=float, default=600.0, help="seconds for one pandoc run (3 files)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic libraries")
    parser.add_argument(
        "--workdir", type=Path, help="where libraries and outputs go (default: temp)"
    )
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    parser.add_argument("--no-breakdown", action="store_true", help="skip benchmarks/breakdown.py")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each case, wait up to SECONDS for other programs to stop using the CPU",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="keep the environment's bytecode setting (by default compiled modules are cached "
        "in the work folder, as after an installation)",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    runs, warmup, runs_small = args.runs, args.warmup, args.runs_small
    WAIT_IDLE_SECONDS[0] = args.wait_idle
    if args.quick:
        sizes = [size for size in sizes if size < BIG] or [100]
        runs, warmup, runs_small = 2, 0, 2

    python = Path(sys.executable)
    upphandla = python.parent / "upphandla"
    if not upphandla.is_file():
        found = shutil.which("upphandla")
        if not found:
            raise SystemExit("upphandla is not installed next to this Python or on PATH")
        upphandla = Path(found)
    if not shutil.which("pandoc"):
        raise SystemExit("pandoc is not installed")

    temporary = tempfile.TemporaryDirectory(prefix="upphandla-bench-")
    workdir = (args.workdir or Path(temporary.name)).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    run_dir = workdir / "cwd"  # an empty working directory: no upphandla.toml is picked up
    run_dir.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("UPPHANDLA_")}
    env.update({"COLUMNS": "100", "PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"})
    if not args.no_bytecode_cache:
        # As after `pip install`: compiled modules are reused. They go to the work folder, never
        # into the source tree (PYTHONDONTWRITEBYTECODE may be set to keep it clean).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")

    env[CACHE_VARIABLE] = str(workdir / "cache-warm")
    supports_cache = importlib.util.find_spec("upphandla.library.caching") is not None
    info = machine()
    code_at_start = code_state()[1]
    print(f"upphandla {upphandla}; {info['cpu']}, {info['nproc']} cores; runs {runs}", flush=True)

    libraries: list[tuple[str, Path, int]] = [("default", DEFAULT_LIBRARY, 85)]
    for size in sizes:
        started = time.perf_counter()
        folder = write_synthetic_library(
            workdir / "libraries" / f"synthetic-{size}", size, args.seed
        )
        print(f"wrote {folder} in {time.perf_counter() - started:.1f} s", flush=True)
        libraries.append((f"synthetic-{size}", folder, size))

    # Compile and cache every module once (not timed), so that no measured run pays for it.
    load_start = load_average()
    for warm in (
        [str(python), "-c", "import typer"],
        [str(upphandla), "--help"],
        [str(upphandla), "library", "check", str(DEFAULT_LIBRARY)],
        [str(upphandla), "explain", "--answers", str(ANSWERS), "--format", "json"],
        [
            str(upphandla),
            "generate",
            "--answers",
            str(ANSWERS),
            "--out",
            str(workdir / "out" / "warm"),
            "--format",
            "docx,md,json",
            "--force",
        ],
    ):
        run_process(warm, run_dir, env)

    rows: list[Measurement] = []
    pandoc_by_library: dict[str, Measurement] = {}
    print("baseline", flush=True)
    typer_row = measure(
        'python -c "import typer"',
        "–",
        0,
        [str(python), "-c", "import typer"],
        runs_small,
        warmup,
        run_dir,
        env,
    )
    help_row = measure(
        "upphandla --help", "–", 0, [str(upphandla), "--help"], runs_small, warmup, run_dir, env
    )
    rows += [typer_row, help_row]
    # Variants: with a library cache (upphandla.library.caching), a first run (empty cache) and a
    # repeated run (cache filled by the warm-up run); without one, a single variant.
    variants = ["cold cache", "warm cache"] if supports_cache else [""]
    generate_rows: dict[tuple[str, str], Measurement] = {}
    breakdowns: dict[str, dict[str, Any]] = {}
    breakdown_generate: dict[str, Measurement] = {}
    for name, folder, size in libraries:
        print(name, flush=True)
        common = ["--answers", str(ANSWERS), "--library", str(folder)]
        out = workdir / "out" / name
        commands = {
            "library check": [str(upphandla), "library", "check", str(folder)],
            "explain --format json": [str(upphandla), "explain", *common, "--format", "json"],
            "generate --format docx": [
                str(upphandla), "generate", *common, "--out", str(out),
                "--format", "docx", "--force", "--date", DATE,
            ],
        }  # fmt: skip
        for case, argv in commands.items():
            for variant in variants:
                label = f"{case} ({variant})" if variant else case
                fresh = workdir / "cache-cold" if variant == "cold cache" else None
                case_runs = runs if size >= BIG else runs_small
                row = measure(label, name, size, argv, case_runs, warmup, run_dir, env, fresh)
                rows.append(row)
                if case.startswith("generate"):
                    generate_rows[(name, variant)] = row
        # The Markdown of the same documents, for pandoc.
        markdown_dir = workdir / "markdown" / name
        run_process(
            [
                str(upphandla), "generate", *common, "--out", str(markdown_dir),
                "--format", "md", "--force", "--date", DATE,
            ],
            run_dir,
            env,
        )  # fmt: skip
        markdown = [markdown_dir / f"{document}.md" for document in DOCUMENTS]
        pandoc_out = workdir / "pandoc" / name
        pandoc_out.mkdir(parents=True, exist_ok=True)
        if size >= BIG and args.skip_pandoc_10000:
            print("  pandoc skipped (--skip-pandoc-10000)", flush=True)
        else:
            pandoc_runs = min(runs, args.pandoc_runs_10000) if size >= BIG else runs
            pandoc = measure_pandoc(
                name,
                size,
                markdown,
                pandoc_out,
                max(pandoc_runs, 1),
                args.pandoc_timeout,
                run_dir,
                env,
            )
            pandoc_by_library[name] = pandoc
            rows.append(pandoc)
        if not args.no_breakdown:
            # In-process breakdown: first with an empty cache, then with the cache it filled.
            breakdown_cache = workdir / "cache-breakdown" / name
            shutil.rmtree(breakdown_cache, ignore_errors=True)
            for variant in variants:
                completed = subprocess.run(
                    [
                        str(python), str(HERE / "breakdown.py"), "--library", str(folder),
                        "--answers", str(ANSWERS), "--json",
                    ],
                    capture_output=True,
                    text=True,
                    cwd=run_dir,
                    env={**env, CACHE_VARIABLE: str(breakdown_cache)},
                    check=True,
                )  # fmt: skip
                key = f"{name}, {variant}" if variant else name
                breakdowns[key] = json.loads(completed.stdout)
                breakdown_generate[key] = generate_rows[(name, variant)]
                print(f"  breakdown {key}: {breakdowns[key]['total_s']:.3f} s in-process")

    # --- Report -------------------------------------------------------------------------------
    def row_pandoc(row: Measurement) -> Measurement | None:
        return pandoc_by_library.get(row.library if row.library != "–" else "default")

    table = [
        "| case | library | size (requirements) | runs | median s | min s | max s | CPU s (median) | peak MB | ratio vs pandoc | other programs (cores) | calibration ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        size_text = f"{row.requirements:,}" if row.requirements else "–"
        ratio = (
            "1.00 (reference)"
            if row.case.startswith("pandoc")
            else ratio_text(row_pandoc(row), row)
        )
        if row.case.startswith("pandoc") and row.timed_out:
            ratio = f"timed out: {row.note}"
        table.append(
            f"| {row.case} | {row.library} | {size_text} | {len(row.times)} | {row.median:.3f} | "
            f"{min(row.times):.3f} | {max(row.times):.3f} | {statistics.median(row.cpu):.3f} | "
            f"{row.peak:.0f} | {ratio} | {row.other_cores:.2f} | {row.calibration_ms:.1f} |"
        )

    targets = ["| target | measured | result |", "|---|---|---|"]
    factor = help_row.median / typer_row.median
    targets.append(
        f"| `--help` within {HELP_FACTOR}× a bare `import typer` | {help_row.median:.3f} s vs "
        f"{typer_row.median:.3f} s = {factor:.2f}× | {verdict(factor <= HELP_FACTOR)} |"
    )
    big_name = f"synthetic-{BIG}"
    for variant in variants:
        suffix = f" ({variant})" if variant else ""
        targets += generate_targets(
            suffix,
            generate_rows.get(("default", variant)),
            generate_rows.get(("synthetic-1000", variant)),
            generate_rows.get((big_name, variant)),
            pandoc_by_library.get("default"),
            pandoc_by_library.get(big_name),
        )

    breakdown_lines: list[str] = []
    if breakdowns:
        names = list(breakdowns)
        breakdown_lines += [
            "| stage (self time, s) | " + " | ".join(names) + " |",
            "|---|" + "---:|" * len(names),
        ]
        groups = list(next(iter(breakdowns.values()))["summary"])
        for group in groups:
            breakdown_lines.append(
                f"| {group} | "
                + " | ".join(f"{breakdowns[name]['summary'][group]:.3f}" for name in names)
                + " |"
            )
        breakdown_lines.append(
            "| **total (in-process)** | "
            + " | ".join(f"**{breakdowns[name]['total_s']:.3f}**" for name in names)
            + " |"
        )
        breakdown_lines.append(
            "| whole `generate` process (median, table above) | "
            + " | ".join(f"{breakdown_generate[name].median:.3f}" for name in names)
            + " |"
        )
        breakdown_lines.append(
            "| difference: interpreter start, CLI + Typer imports, exit | "
            + " | ".join(
                f"{breakdown_generate[name].median - breakdowns[name]['total_s']:.3f}"
                for name in names
            )
            + " |"
        )
        breakdown_lines.append(
            "| peak MB (in-process) | "
            + " | ".join(f"{breakdowns[name]['peak_mb']:.0f}" for name in names)
            + " |"
        )
        breakdown_lines.append(
            "| requirements included / excluded | "
            + " | ".join(
                f"{breakdowns[name]['included']} / {breakdowns[name]['excluded']}" for name in names
            )
            + " |"
        )
        largest_size = libraries[-1][0]
        for key in [name for name in names if name.split(",")[0] == largest_size]:
            detail = breakdowns[key]
            breakdown_lines += [
                "",
                f"Every stage for {key} (self time excludes the stages indented under it):",
                "",
                "| stage | self s | % of total | incl. s | calls | peak MB after |",
                "|---|---:|---:|---:|---:|---:|",
            ]
            for row in detail["rows"]:
                indent = "· " * row["depth"]
                breakdown_lines.append(
                    f"| {indent}{row['stage']} | {row['self_s']:.3f} | "
                    f"{100 * row['self_s'] / detail['total_s']:.1f} | {row['inclusive_s']:.3f} | "
                    f"{row['calls']} | {row['peak_mb_after']:.0f} |"
                )
            breakdown_lines.append(
                f"\nNot in the docx run: building the three documents again and writing them as "
                f"Markdown took {detail['markdown_extra_s']:.3f} s for {key}."
            )

    imports_module = import_times(python, ["-c", "import upphandla.cli.app"], env, run_dir)
    imports_help = import_times(python, [str(upphandla), "--help"], env, run_dir)
    imports_generate = import_times(
        python,
        [
            str(upphandla),
            "generate",
            "--answers",
            str(ANSWERS),
            "--out",
            str(workdir / "out" / "imports"),
            "--format",
            "docx",
            "--force",
            "--date",
            DATE,
        ],
        env,
        run_dir,
    )
    total_module = max(cum for _, cum, name, _ in imports_module if name == "upphandla.cli.app")
    total_generate = sum(cum for _, cum, _, depth in imports_generate if depth == 0)
    header = ["| module | self ms | cumulative ms |", "|---|---:|---:|"]

    bytecode = (
        "the environment's own setting (--no-bytecode-cache)"
        if args.no_bytecode_cache
        else "compiled modules cached (PYTHONPYCACHEPREFIX in the work folder) and warmed "
        "before measuring, as in an installed copy"
    )
    command = "/tmp/venv/bin/python benchmarks/run.py " + " ".join(sys.argv[1:])
    code_changed = code_state()[1] != code_at_start
    lines = [
        "# upphandla benchmark results",
        "",
        f"Measured {info['date']} on commit {info['commit']}.",
        "",
        *(
            [
                "**Warning: the code (src, templates or libraries) changed while the benchmark "
                "ran; rows measured at different times may be from different code.**",
                "",
            ]
            if code_changed
            else []
        ),
        f"- Machine: {info['nproc']} cores, {info['cpu']}, {info['memory']} RAM",
        f"- OS: {info['os']}",
        f"- Python: {info['python']}",
        f"- {info['pandoc']}",
        f"- Command: `{command.strip()}`",
        f"- Runs per case (column runs): {runs_small} below {BIG:,} requirements and for the "
        f"baseline, {runs} at {BIG:,}, each case after {warmup} warm-up run(s); pandoc: {runs} "
        f"below {BIG:,}, {args.pandoc_runs_10000} at {BIG:,} (timeout {args.pandoc_timeout:g} s). "
        "Cold cache: every run starts with an empty library cache (a first run, or one after the "
        "library changed); warm cache: the cache filled by the warm-up run. Answers: "
        f"`examples/ekonomiskt-bistand.yaml`. Synthetic libraries: seed {args.seed}.",
        "- Wall time of the whole process; peak MB is the process's max RSS in MiB "
        f"({'GNU time -f %M' if GNU_TIME.is_file() else 'wait4'}). "
        "Ratio vs pandoc = pandoc's median for the same library ÷ the row's median (the "
        "baseline and `--help` rows use the bundled library's pandoc time). CPU s is user + "
        "system time of the process: less sensitive than wall time to other programs running. "
        "Other programs (cores): CPU that the rest of the machine used while the case ran "
        "(from /proc/stat), averaged over its wall time; near 0 means a quiet machine. "
        "Calibration ms: a fixed pure-Python loop timed just before the case (best of 5); it "
        "rises when the virtual machine's host is slow, which /proc/stat cannot show, so "
        "compare rows and runs with it in mind.",
        f"- Bytecode: {bytecode}. 1-minute load average {load_start} at the start, "
        f"{load_average()} at the end (the machine has {info['nproc']} cores; anything above "
        "about 1 means other programs competed with the measured ones).",
        "",
        "## Whole processes",
        "",
        *table,
        "",
        "## Targets",
        "",
        *targets,
        "",
    ]
    if breakdown_lines:
        lines += [
            "## Where the time of generate goes (benchmarks/breakdown.py, one run, in-process, "
            f"cyclic GC {next(iter(breakdowns.values()))['gc']} as in the command)",
            "",
            *breakdown_lines,
            "",
        ]
    lines += [
        f'## Imports behind `--help` (`python -X importtime -c "import upphandla.cli.app"`: '
        f"{total_module / 1000:.1f} ms in all; best of 3)",
        "",
        "Top 10 by self time:",
        "",
        *header,
        *import_rows(imports_module, "self"),
        "",
        "Top 10 by cumulative time:",
        "",
        *header,
        *import_rows(imports_module, "cumulative"),
        "",
        "Top 10 by self time for the whole `upphandla --help` run "
        "(`python -X importtime <venv>/bin/upphandla --help`):",
        "",
        *header,
        *import_rows(imports_help, "self"),
        "",
        f"## Imports in `upphandla generate` with the bundled library "
        f"({total_generate / 1000:.0f} ms of top-level imports in all; best of 3)",
        "",
        "Top 10 top-level imports by cumulative time (each includes what it imports):",
        "",
        *header,
        *import_rows(imports_generate, "cumulative", top_level=True),
        "",
    ]
    report = "\n".join(lines)
    args.output.write_text(report, encoding="utf-8")
    print()
    print(report)
    print(f"wrote {args.output}")
    temporary.cleanup()


if __name__ == "__main__":
    main()
