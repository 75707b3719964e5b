"""The crafted inputs of issue 13, each run as a fresh process: time and peak memory.

Not a test (nothing here is timed by the test suite; ``tests/test_security_*.py`` check the
outcomes). Every input must stop with a located message, or finish, within 5 s and 500 MB.

    python benchmarks/security.py            # all inputs, one run each (about a minute)
    python benchmarks/security.py --only chain

Each child runs with ``RLIMIT_AS`` of 2 GB (POSIX), so a regression cannot take the machine
down; the table prints the wall time, the peak resident memory (``ru_maxrss`` of the child) and
the first line of the message.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "ekonomiskt-bistand.yaml"
LIBRARY_YAML = 'format: 1\nid: {id}\nname: {{sv: B, en: B}}\nversion: "1.0.0"\n'
QUESTION = (
    "areas:\n  - {id: general, title: {sv: A, en: A}}\nquestions:\n  - id: uses_ai\n"
    "    type: bool\n    prompt: {sv: A?, en: A?}\n    help: {sv: B., en: B.}\n    default: true\n"
)
REQUIREMENT = (
    "requirements:\n  - id: R-1\n    area: general\n    title: {sv: K, en: R}\n"
    "    text: {sv: Leverantören ska göra något., en: The supplier shall do something.}\n"
    "    level: ska\n    verification: [description]\n    evidence: {sv: B., en: D.}\n"
    "    phase: tender\n    references: [{source: LOU, ref: '9 kap.'}]\n"
    "    rationale: {sv: D., en: B.}\n    when: LAST is not none\n    kind: specification\n"
)
LIMIT_SECONDS = 5.0
LIMIT_MB = 500


def chain(folder: Path, name: str, lines: list[str]) -> list[str]:
    """A library of derived values ``lines`` (``id: expression``) and the command to explain it."""
    derived = "".join(
        f"  - id: {key.strip()}\n    label: {{sv: D, en: D}}\n"
        f"    expression: {json.dumps(expression.strip())}\n"
        for key, expression in (line.split(":", 1) for line in lines)
    )
    last = lines[-1].split(":", 1)[0].strip()
    library = folder / "libraries" / name
    library.mkdir(parents=True)
    (library / "library.yaml").write_text(LIBRARY_YAML.format(id=name), encoding="utf-8")
    content = QUESTION + "derived:\n" + derived + REQUIREMENT.replace("LAST", last)
    (library / "content.yaml").write_text(content, encoding="utf-8")
    answers = folder / f"{name}.yaml"
    answers.write_text(f"library:\n  id: {name}\nanswers:\n  uses_ai: true\n", encoding="utf-8")
    return ["explain", "--library", str(folder / "libraries"), "--answers", str(answers)]


def values(folder: Path, name: str, count: int) -> list[str]:
    """A library file of ``count`` values that are each a mistake."""
    library = folder / "libraries" / name
    library.mkdir(parents=True)
    (library / "library.yaml").write_text(LIBRARY_YAML.format(id=name), encoding="utf-8")
    (library / "content.yaml").write_text("requirements: [" + "1," * count + "]\n")
    return ["library", "check", str(library)]


def values_in_files(folder: Path, name: str, count: int, files: int) -> list[str]:
    """A library of ``files`` files of ``count`` mistakes each: large enough (2.5 MB) for a copy
    of the process to read half of it on Linux (``parallel``)."""
    command = values(folder, name, count)
    library = Path(command[-1])
    for number in range(1, files):
        (library / f"content{number}.yaml").write_text("requirements: [" + "1," * count + "]\n")
    return command


def template(folder: Path, name: str, text: str) -> list[str]:
    """``generate`` with a kravbilaga template of ``text``."""
    for language in ("sv", "en"):
        (folder / name / language).mkdir(parents=True)
        (folder / name / language / "kravbilaga.md.j2").write_text(text, encoding="utf-8")
    return ["generate", "--answers", str(EXAMPLE), "--out", str(folder / f"ut-{name}"),
            "--templates", str(folder / name), "--format", "md", "--force"]  # fmt: skip


def reference(folder: Path, name: str, members: dict[str, bytes]) -> list[str]:
    """``generate`` on a reference document made of the bundled one with ``members`` changed."""
    import zipfile

    path = folder / f"{name}.docx"
    with (
        zipfile.ZipFile(REPO / "templates" / "reference.docx") as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, members.pop(info.filename, source.read(info)))
        for member, data in members.items():
            target.writestr(member, data)
    return ["generate", "--answers", str(EXAMPLE), "--out", str(folder / f"ut-{name}"),
            "--reference-doc", str(path), "--format", "docx", "--force"]  # fmt: skip


def profile(folder: Path, name: str, text: str) -> list[str]:
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return ["generate", "--answers", str(EXAMPLE), "--out", str(folder / f"ut-{name}"),
            "--profile", str(folder / f"{name}.toml")]  # fmt: skip


# Templates see the library's lists; ``'x' * 1000`` is a list of a thousand rounds in any library.
ROUNDS = "'x' * 1000"
LOOPS = f"{{% for r in {ROUNDS} %}}{{% for s in {ROUNDS} %}}{{% for t in {ROUNDS} %}}"
INPUTS: dict[str, Callable[[Path], list[str]]] = {
    "chain: 17 texts doubling (d = d ~ d)": lambda f: chain(
        f, "doubling", ["d0: 'x' * 10000", *(f"d{i}: d{i - 1} ~ d{i - 1}" for i in range(1, 17))]
    ),
    "chain: 30 numbers squaring (n = n * n)": lambda f: chain(
        f, "squaring", ["d0: 2 ** 1000", *(f"d{i}: d{i - 1} * d{i - 1}" for i in range(1, 30))]
    ),
    "chain: 60 lists nesting (d = [d, d])": lambda f: chain(
        f, "nesting", ["d0: ['x'] * 3000", *(f"d{i}: [d{i - 1}, d{i - 1}]" for i in range(1, 60))]
    ),
    "chain: 20,000 lists copied (d = d + [])": lambda f: chain(
        f, "copying", ["d0: ['x'] * 3000", *(f"d{i}: d{i - 1} + []" for i in range(1, 20_000))]
    ),
    "derived: 10**1000 / 3": lambda f: chain(f, "division", ["d0: 10**1000 / 3"]),
    "derived: an integer of 5,000 digits": lambda f: chain(
        f, "digits", ["d0: 10**999 * 10**999 * 10**999 * 10**999 * 10**999 * 10**5"]
    ),
    "condition: tojson(indent=10**9)": lambda f: chain(
        f, "tojson", ["d0: uses_ai | tojson(indent=1000000000)"]
    ),
    "library: 3.8 MB, 1.9 M values": lambda f: values(f, "huge", 1_900_000),
    "library: 0.9 MB, 450,000 mistakes": lambda f: values(f, "many", 450_000),
    "library: 3 files of 0.9 MB, 450,000 mistakes each": lambda f: values_in_files(
        f, "many3", 450_000, 3
    ),
    "template: three nested loops": lambda f: template(
        f, "loops", LOOPS + "{% endfor %}{% endfor %}{% endfor %}"
    ),
    "template: recursive macro": lambda f: template(
        f, "macro", "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"
    ),
    "template: includes itself": lambda f: template(
        f, "include", "{% include 'kravbilaga.md.j2' %}"
    ),
    "template: tojson(indent=10**8)": lambda f: template(
        f, "tojson", f"{{{{ ({ROUNDS}) | list | tojson(indent=100000000) }}}}"
    ),
    "template: center, * and format widths": lambda f: template(
        f,
        "widths",
        "{{ 'a' | center(999999999) }}{{ 'a' * 999999999 }}{{ '%999999999s' | format('a') }}",
    ),
    "template: 60 nested sets printed": lambda f: template(
        f,
        "sets",
        f"{{% set a = [{ROUNDS}, {ROUNDS}] %}}"
        + "".join("{% set a = [a, a] %}" for _ in range(60))
        + "{{ a }}",
    ),  # fmt: skip
    "template: 125 kB body in a double loop": lambda f: template(
        f,
        "body",
        f"{{% for r in {ROUNDS} %}}{{% for s in {ROUNDS} %}}"
        + "{% if r == s %}x{% endif %}" * 4700
        + "{% endfor %}{% endfor %}",
    ),  # fmt: skip
    "template: 10**1000 / 3": lambda f: template(f, "division", "{{ 10 ** 1000 / 3 }}"),
    "reference document: 60 MB of styles in a small zip": lambda f: reference(
        f, "bomb", {"word/styles.xml": b"<w:styles>" + b" " * 60_000_000 + b"</w:styles>"}
    ),
    "reference document: 600,000 small elements": lambda f: reference(
        f,
        "elements",
        {
            "word/numbering.xml": b"<w:numbering>"
            + b"".join(b"<x%06x/>" % (i * 7919 % 16_777_216) for i in range(600_000))
            + b"</w:numbering>"
        },
    ),
    "reference document: 5,000 parts": lambda f: reference(
        f, "parts", {f"customXml/item{i}.xml": b"<a/>" for i in range(5000)}
    ),
    "profile: TOML nested 5,000 deep": lambda f: profile(
        f, "deep", "a = " + "[" * 5000 + "]" * 5000 + "\n"
    ),
}


def limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))


def run(command: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak MB, exit code and the first message line of ``upphandla COMMAND``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "upphandla", *command, "--lang", "en"],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            preexec_fn=limit_memory if os.name == "posix" else None,  # noqa: PLW1509
            env={**os.environ, "UPPHANDLA_NO_CACHE": "1"},
        )
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(child.pid, 0)
            code = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss / 1024  # kB on Linux
        else:  # pragma: no cover - Windows: no rusage of a child
            code, peak = child.wait(), float("nan")
        seconds = time.perf_counter() - started
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").splitlines()
    first = next((line for line in lines if ": error: " in line), lines[0] if lines else "")
    return seconds, peak, code, first.split(": error: ")[-1][:90]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the inputs whose name contains this text")
    options = parser.parse_args()
    chosen = {name: build for name, build in INPUTS.items() if (options.only or "") in name}
    print(f"Python {sys.version.split()[0]}, limits: {LIMIT_SECONDS} s and {LIMIT_MB} MB\n")
    print(f"| input | exit | time (s) | peak (MB) | within | message |\n|{'---|' * 6}")
    failures = 0
    with tempfile.TemporaryDirectory() as workdir:
        for index, (name, build) in enumerate(chosen.items()):
            folder = Path(workdir) / f"case{index}"
            folder.mkdir()
            seconds, peak, code, message = run(build(folder))
            within = seconds <= LIMIT_SECONDS and peak <= LIMIT_MB and code in (0, 1)
            failures += not within
            print(
                f"| {name} | {code} | {seconds:.2f} | {peak:.0f} | {'yes' if within else 'NO'} "
                f"| {message.replace('|', '/')} |",
                flush=True,
            )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
