"""Benchmark the Word and Markdown writers on documents of 100, 1,000 and 10,000 units.

A unit is requirement-sized: a heading, two paragraphs, a three-item bullet list and a table of
two rows by three columns (header row plus one row) holding an answer field. Each size runs in
its own process so that the peak memory (max RSS) belongs to that size alone.

    PYTHONPATH=src python benchmarks/docx_writer_bench.py            # all sizes
    PYTHONPATH=src python benchmarks/docx_writer_bench.py --units 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from upphandla.documents.blocks import (  # noqa: E402
    AnswerField,
    Block,
    BulletList,
    Cell,
    Document,
    DocumentProperties,
    Heading,
    Paragraph,
    Run,
    Table,
)

REFERENCE = REPO / "templates" / "reference.docx"


def unit(number: int) -> list[Block]:
    """The blocks of one requirement-sized unit."""
    rid = f"AI-KRV-{number:05d}"
    return [
        Heading(f"{rid} Transparens gentemot användare", 3),
        Paragraph(
            (
                Run("Leverantören "),
                Run("ska", bold=True),
                Run(" beskriva hur användare informeras om att de interagerar med ett AI-system."),
            )
        ),
        Paragraph((Run("Beskrivningen ska omfatta språk, tillgänglighet och tidpunkt."),)),
        BulletList(
            (
                (Run("Hur informationen visas för användaren"),),
                (Run("På vilka språk informationen finns"),),
                (Run("Hur informationen hålls aktuell över tid"),),
            )
        ),
        Table(
            header=("Krav", "Kontroll", "Leverantörens svar"),
            rows=(
                (
                    Cell((Paragraph((Run(rid),), "label"),)),
                    Cell((Paragraph((Run("Beskrivning i anbudet"),)),)),
                    Cell((Paragraph((AnswerField(f"{rid}.svar"),)),)),
                ),
            ),
            widths=(1, 2, 3),
            tag=rid,
        ),
    ]


def document(units: int) -> Document:
    """A document of ``units`` units."""
    blocks: list[Block] = []
    for number in range(units):
        blocks.extend(unit(number))
    properties = DocumentProperties(title="Benchmark", header="Benchmark", footer="Dnr 1")
    return Document(properties, tuple(blocks))


def measure(units: int, repeat: int) -> None:
    """Render once per repeat and print the best times and the peak memory of this process."""
    from upphandla.documents.docx_writer import render_docx
    from upphandla.documents.markdown_writer import render_markdown

    start = time.perf_counter()
    doc = document(units)
    build = time.perf_counter() - start
    docx_times, md_times = [], []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        data = render_docx(doc, REFERENCE)
        docx_times.append(time.perf_counter() - start)
        size = len(data)
        del data
        start = time.perf_counter()
        render_markdown(doc)
        md_times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{units:>6} units  blocks {len(doc.blocks):>6}  build {build:6.3f} s  "
        f"docx {min(docx_times):6.3f} s  md {min(md_times):6.3f} s  "
        f"file {size / 1e6:6.2f} MB  peak RSS {peak_mb:6.0f} MB"
    )


def main() -> None:
    """Run the benchmark for the sizes asked for, each in a fresh process."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, help="one size, measured in this process")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.units:
        measure(args.units, args.repeat)
        return
    for units, repeat in ((100, 5), (1000, 3), (10_000, 1)):
        subprocess.run(
            [sys.executable, __file__, "--units", str(units), "--repeat", str(repeat)], check=True
        )


if __name__ == "__main__":
    main()
