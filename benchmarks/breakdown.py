"""Where the time of ``upphandla generate`` goes: one run, timed stage by stage inside Python.

It does what ``upphandla generate --answers A --library L --format docx`` does (gather the answers
and load the library, select the requirements, build the three documents, write the .docx files
and svar.yaml), with timers wrapped around the functions of each stage. Nested timers are
subtracted, so each row's *self* time is the time spent in that stage and not in a stage listed
under it; the self times add up to the total. It also renders the Markdown documents once
afterwards (not part of the docx run, not in the table's stages) for comparison.

    python benchmarks/breakdown.py --library LIB [--answers examples/ekonomiskt-bistand.yaml]
    python benchmarks/breakdown.py --library LIB --json      # for benchmarks/run.py

Run it with the venv's Python (``/tmp/venv/bin/python``) or with ``PYTHONPATH=src``.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gc
import importlib
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ANSWERS = REPO / "examples" / "ekonomiskt-bistand.yaml"
TODAY = datetime.date(2026, 1, 15)


class Timers:
    """Inclusive and self times per stage, keyed by the path of enclosing stages, with a stack so
    that nested timers are not counted twice."""

    def __init__(self) -> None:
        self.order: list[tuple[str, ...]] = []
        self.inclusive: dict[tuple[str, ...], float] = {}
        self.own: dict[tuple[str, ...], float] = {}
        self.calls: dict[tuple[str, ...], int] = {}
        self.rss_after: dict[tuple[str, ...], float] = {}
        self.stack: list[list[Any]] = []  # [path, start, child_time]

    def start(self, label: str) -> None:
        path = (*self.stack[-1][0], label) if self.stack else (label,)
        if path not in self.inclusive:
            self.order.append(path)
            self.inclusive[path] = self.own[path] = 0.0
            self.calls[path] = 0
        self.stack.append([path, time.perf_counter(), 0.0])

    def stop(self) -> None:
        path, started, child = self.stack.pop()
        elapsed = time.perf_counter() - started
        self.inclusive[path] += elapsed
        self.own[path] += elapsed - child
        self.calls[path] += 1
        if self.stack:
            self.stack[-1][2] += elapsed
        self.rss_after[path] = peak_mb()

    def run(self, label: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.start(label)
        try:
            return function(*args, **kwargs)
        finally:
            self.stop()

    def wrap(
        self,
        owner: Any,
        name: str,
        label: str | Callable[..., str],
        *,
        drain: bool = False,
    ) -> None:
        """Replace ``owner.name`` by a timed version; ``drain`` runs a generator to the end inside
        the timer (the callers only iterate it once, so the behaviour is the same). A name the
        code no longer has is reported and skipped, so that the rest is still measured."""
        original = getattr(owner, name, None)
        if original is None:
            print(f"breakdown: {getattr(owner, '__name__', owner)}.{name} not found, not timed")
            return

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.start(label(*args, **kwargs) if callable(label) else label)
            try:
                result = original(*args, **kwargs)
                return iter(list(result)) if drain else result
            finally:
                self.stop()

        setattr(owner, name, timed)

    def tree_order(self) -> list[tuple[str, ...]]:
        """Paths depth-first, children in the order they were first seen."""
        children: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for path in self.order:
            children.setdefault(path[:-1], []).append(path)
        result: list[tuple[str, ...]] = []

        def visit(parent: tuple[str, ...]) -> None:
            for child in children.get(parent, []):
                result.append(child)
                visit(child)

        visit(())
        return result


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MiB.

    VmHWM belongs to this program's own address space; ``ru_maxrss`` would also count the parent
    it was forked from (Linux keeps the max RSS across exec), so it is only the fallback.
    """
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def instrument(timers: Timers) -> None:
    """Wrap the functions of each stage. Must run before the stages are called."""
    import jinja2

    from upphandla.documents import context, docx_body, docx_writer, generating, templating
    from upphandla.documents import tender as documents
    from upphandla.interview import sources as inputs
    from upphandla.library import checking, loading, yamlsource
    from upphandla.library import fields as reading
    from upphandla.selection import reasons
    from upphandla.selection import select as selection

    # Gathering the answers and loading the library.
    timers.wrap(inputs, "read_answers_file", "read answers file")
    timers.wrap(inputs, "require_library", "load library")
    timers.wrap(loading, "load_yaml_file", "YAML: read + _Builder (data, marks) + sha256")
    timers.wrap(yamlsource, "_decode", "YAML: decode UTF-8")
    timers.wrap(yamlsource, "_reject_invalid_characters", "YAML: control-character scan")
    timers.wrap(yamlsource._Loader, "get_single_node", "YAML: libyaml compose (C)")
    timers.wrap(loading, "parse_content", "build items from YAML (parsing)")
    timers.wrap(reading, "compile_expression", "compile conditions (Jinja parse)")
    timers.wrap(loading._Loader, "_compose", "compose (extends/override)")
    timers.wrap(loading, "check_library", "check library (checking)")
    timers.wrap(checking, "_check_questions", "check questions", drain=True)
    timers.wrap(checking, "_check_derived", "check derived values", drain=True)
    timers.wrap(checking, "_check_requirements", "check requirements", drain=True)
    timers.wrap(checking, "_smoke_evaluate", "smoke-evaluate conditions", drain=True)
    timers.wrap(inputs, "check_given_answers", "check answers")
    timers.wrap(inputs, "resolve_answers", "resolve answers")
    # Selection.
    timers.wrap(selection, "derive_values", "derive values")
    timers.wrap(reasons.ReasonExplainer, "explain", "explain reasons (ReasonExplainer)")
    # Documents.
    timers.wrap(templating.TemplateSet, "__init__", "template environment")
    timers.wrap(context, "build_context", "build template context")
    timers.wrap(
        templating.TemplateSet,
        "render",
        lambda _self, name, *_args, **_kwargs: f"render template {name}",
    )
    timers.wrap(jinja2.Environment, "get_template", "load + compile template (Jinja)")
    timers.wrap(documents, "parse_markup", "parse markup into blocks")
    timers.wrap(docx_writer, "check_reference_document", "check reference .docx")
    timers.wrap(
        docx_writer,
        "render_docx",
        lambda document, *_args, **_kwargs: f"write {document.properties.footer.lower()}.docx",
    )
    timers.wrap(docx_body.BodyWriter, "write", "docx body XML (BodyWriter)")
    timers.wrap(docx_writer, "write_package", "docx zip + deflate (write_package)")
    timers.wrap(generating, "render_answers_file", "render svar.yaml")
    # The cache of loaded libraries, where the code has one.
    try:
        caching: Any = importlib.import_module("upphandla.library.caching")
    except ImportError:
        return
    for name, label in (
        ("read_entry", "library cache: read, verify, decode JSON"),
        ("write_entry", "library cache: encode JSON, write"),
        ("files_digest", "library cache: digest of the library files"),
    ):
        if hasattr(caching, name):
            timers.wrap(caching, name, label)


def cli_disables_gc() -> bool:
    """Whether ``upphandla``'s entry point switches the cyclic garbage collector off, as the
    command does since it builds large acyclic structures (read from the source, so that typer
    is not imported here)."""
    import ast
    import importlib.util

    spec = importlib.util.find_spec("upphandla.cli.app")
    if spec is None or spec.origin is None:
        return False
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "main":
            return any(
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "disable"
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id == "gc"
                for call in ast.walk(node)
            )
    return False


def breakdown(library: Path, answers: Path, out: Path, gc_mode: str = "cli") -> dict[str, Any]:
    """Run the stages once and return the timings, memory and counts.

    ``gc_mode``: ``cli`` does what the ``upphandla`` command does with the cyclic garbage
    collector, ``off`` disables it, ``on`` leaves it on.
    """
    gc_off = gc_mode == "off" or (gc_mode == "cli" and cli_disables_gc())
    if gc_off:
        gc.disable()
    timers = Timers()
    total_start = time.perf_counter()
    timers.start("import upphandla modules")
    import upphandla.documents.generating as generating
    import upphandla.documents.tender  # noqa: F401
    from upphandla.interview.sources import AnswerSources, gather_answers
    from upphandla.selection.select import select_requirements

    timers.stop()
    instrument(timers)

    sources = AnswerSources(answers_path=answers, library_paths=(library,))
    gathered = timers.run("gather answers + load library", gather_answers, sources)
    if gathered.resolved.missing:
        raise SystemExit(f"answers missing: {gathered.resolved.missing}")
    selected = timers.run(
        "select requirements",
        select_requirements,
        gathered.library,
        gathered.resolved.values,
        gathered.resolved.context,
    )
    options = generating.GenerateOptions(out=out, formats=("docx",), force=True, today=TODAY)
    outputs = timers.run(
        "build documents + write .docx (plan_outputs)", generating.plan_outputs, selected, options
    )
    timers.run("write files", generating.write_outputs, outputs, True)
    total = time.perf_counter() - total_start
    peak_docx = peak_mb()
    # Snapshot now: the Markdown extra below runs through the same (still wrapped) functions.
    rows = [
        {
            "stage": path[-1],
            "path": list(path),
            "depth": len(path) - 1,
            "self_s": timers.own[path],
            "inclusive_s": timers.inclusive[path],
            "calls": timers.calls[path],
            "peak_mb_after": timers.rss_after.get(path),
        }
        for path in timers.tree_order()
    ]

    # Extra, not part of the docx run: the same documents as Markdown.
    from upphandla.documents.markdown_writer import render_markdown
    from upphandla.documents.tender import build_documents

    md_start = time.perf_counter()
    documents = build_documents(selected, "sv", generating.template_set(options), TODAY)
    md_sizes = {name: len(render_markdown(doc).encode("utf-8")) for name, doc in documents.items()}
    md_time = time.perf_counter() - md_start

    return {
        "library": str(library),
        "gc": "off" if gc_off else "on",
        "requirements": len(gathered.library.requirements),
        "included": len(selected.included),
        "excluded": len(selected.excluded),
        "total_s": total,
        "peak_mb": peak_docx,
        "rows": rows,
        "docx_bytes": {path.name: len(data) for path, data in outputs.items()},
        "markdown_extra_s": md_time,
        "markdown_bytes": md_sizes,
    }


def summary(result: dict[str, Any]) -> dict[str, float]:
    """Self times grouped into the coarse stages of the brief."""
    groups = {
        "imports": ["import upphandla modules"],
        "read + parse YAML": [
            "YAML: read + _Builder (data, marks) + sha256",
            "YAML: decode UTF-8",
            "YAML: control-character scan",
            "YAML: libyaml compose (C)",
        ],
        "build items (parsing)": ["build items from YAML (parsing)"],
        "compile conditions": ["compile conditions (Jinja parse)"],
        "library cache (read or write)": [
            "library cache: read, verify, decode JSON",
            "library cache: encode JSON, write",
            "library cache: digest of the library files",
        ],
        "check library": [
            "check library (checking)",
            "check questions",
            "check derived values",
            "check requirements",
            "smoke-evaluate conditions",
        ],
        "selection": ["select requirements", "derive values", "explain reasons (ReasonExplainer)"],
        "templates (context + Jinja + markup)": [
            "template environment",
            "build template context",
            "load + compile template (Jinja)",
            "parse markup into blocks",
        ],
        "docx writing": [
            "check reference .docx",
            "docx body XML (BodyWriter)",
            "docx zip + deflate (_rezip)",
        ],
    }
    by_stage: dict[str, float] = {}
    for row in result["rows"]:
        by_stage[row["stage"]] = by_stage.get(row["stage"], 0.0) + row["self_s"]
    out: dict[str, float] = {}
    used: set[str] = set()
    for group, labels in groups.items():
        out[group] = sum(by_stage.get(label, 0.0) for label in labels)
        used.update(labels)
    for label, value in by_stage.items():
        if label.startswith("render template"):
            out["templates (context + Jinja + markup)"] += value
            used.add(label)
        elif label.startswith("write ") and label.endswith(".docx"):
            out["docx writing"] += value
            used.add(label)
    out["other (compose, answers, svar.yaml, file writes, glue)"] = sum(
        value for label, value in by_stage.items() if label not in used
    )
    return out


def render_table(result: dict[str, Any]) -> str:
    """The stages as a Markdown table."""
    total = result["total_s"]
    lines = [
        f"Library {result['library']}: {result['requirements']} requirements, "
        f"{result['included']} included, {result['excluded']} excluded. "
        f"Total {total:.3f} s, peak {result['peak_mb']:.0f} MB, cyclic GC {result['gc']}.",
        "",
        "| stage | self s | % | incl. s | calls | peak MB after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        indent = "&nbsp;&nbsp;" * row["depth"]
        lines.append(
            f"| {indent}{row['stage']} | {row['self_s']:.3f} | {100 * row['self_s'] / total:.1f} | "
            f"{row['inclusive_s']:.3f} | {row['calls']} | {row['peak_mb_after']:.0f} |"
        )
    lines += ["", "| stage (grouped) | s | % |", "|---|---:|---:|"]
    for group, value in summary(result).items():
        lines.append(f"| {group} | {value:.3f} | {100 * value / total:.1f} |")
    lines.append(
        f"\nExtra, not in the docx run: building the same three documents again and writing them "
        f"as Markdown takes {result['markdown_extra_s']:.3f} s (templates warm)."
    )
    return "\n".join(lines)


def main() -> None:
    """Run once in this process and print the table (or JSON)."""
    # The timers see this process only: no work is handed to a copy of it (``parallel``).
    os.environ["UPPHANDLA_NO_PARALLEL"] = "1"
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--library", type=Path, required=True, help="a library folder")
    parser.add_argument("--answers", type=Path, default=DEFAULT_ANSWERS)
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--gc",
        choices=("cli", "on", "off"),
        default="cli",
        help="cyclic garbage collector: as the upphandla command does (default), on or off",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="upphandla-breakdown-") as temporary:
        result = breakdown(args.library, args.answers, args.out or Path(temporary), args.gc)
        result["summary"] = summary(result)
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(render_table(result))


if __name__ == "__main__":
    main()
