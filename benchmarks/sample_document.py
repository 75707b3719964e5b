"""Render a realistic sample response form for looking at: .docx, .md, and (with LibreOffice) PDF
and PNG pages.

    PYTHONPATH=src python benchmarks/sample_document.py [OUTDIR]    # default /tmp/upphandla-sample

Open the PNG files to review spacing, table widths, header shading and fonts by eye.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
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
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableOfContents,
)
from upphandla.documents.docx_writer import render_docx  # noqa: E402
from upphandla.documents.markdown_writer import render_markdown  # noqa: E402

REQUIREMENTS = (
    (
        "AI-TRP-01",
        "Information till användare",
        "SKA",
        "Leverantören ska säkerställa att personer som interagerar med systemet informeras om att "
        "de interagerar med ett AI-system, på ett klart och tydligt sätt senast vid första "
        "interaktionen.",
        ("Hur och när informationen visas", "På vilka språk informationen finns"),
    ),
    (
        "AI-TRP-02",
        "Förklaring av beslutsunderlag",
        "SKA",
        "Systemet ska kunna redovisa vilka faktorer som påverkat ett enskilt förslag till beslut, "
        "så att handläggaren kan pröva förslaget och motivera sitt beslut.",
        (
            "Vilka faktorer som visas för handläggaren",
            "Hur förklaringen sparas i ärendet",
            "Begränsningar i förklaringarnas precision",
        ),
    ),
    (
        "AI-MÄN-01",
        "Mänsklig tillsyn",
        "BÖR",
        "Handläggaren bör kunna avvisa eller ändra systemets förslag utan extra arbetsmoment, och "
        "varje avvikelse bör loggas för uppföljning.",
        ("Hur förslag avvisas", "Vad som loggas"),
    ),
)


def requirement_blocks(
    rid: str, title: str, level: str, text: str, points: tuple[str, ...]
) -> list[Block]:
    """One requirement with its response table."""
    return [
        Heading(f"{rid} {title}", 3),
        Paragraph((Run(f"{level}-krav. ", bold=True), Run(text))),
        Paragraph((Run("Svaret ska beskriva:"),)),
        BulletList(tuple((Run(point),) for point in points)),
        Table(
            header=("Krav", "Uppfylls", "Leverantörens beskrivning"),
            rows=(
                (
                    Cell((Paragraph((Run(rid),), "label"), Paragraph((Run(level),), "small"))),
                    Cell((Paragraph((AnswerField(f"{rid}.uppfylls", "choice", ("Ja", "Nej")),)),)),
                    Cell((Paragraph((AnswerField(f"{rid}.beskrivning"),)),)),
                ),
            ),
            widths=(1.2, 1.3, 4),
            tag=rid,
        ),
    ]


def sample() -> Document:
    """The sample response form."""
    blocks: list[Block] = [
        Paragraph((Run("Upphandling av AI-stöd för ärendehandläggning"),), "title"),
        Paragraph((Run("Bilaga 3 – Krav på transparens och mänsklig tillsyn"),), "subtitle"),
        Paragraph(
            (Run("Region Exempel · Diarienummer RE 2026-0042 · Kravbibliotek default 1.2.0"),),
            "small",
        ),
        Paragraph(
            (
                Run("Anvisning: ", bold=True),
                Run(
                    "Besvara varje krav i svarsfälten. Ändra inte kravtexterna. Svaren läses "
                    "maskinellt, så skriv i de grå fälten."
                ),
            )
        ),
        PageBreak(),
        Heading("Innehåll", 1),
        TableOfContents(depth=2),
        PageBreak(),
        Heading("1 Inledning", 1),
        Paragraph(
            (
                Run("Denna bilaga innehåller de krav som gäller "),
                Run("transparens", italic=True),
                Run(" och "),
                Run("mänsklig tillsyn", italic=True),
                Run(". Kraven har valts utifrån upphandlingens svar om systemets användning."),
            )
        ),
        Paragraph((Run("Anbudet ska innehålla:"),)),
        BulletList(
            (
                (Run("ifyllda svarsfält för samtliga SKA-krav"),),
                (Run("beskrivningar för de BÖR-krav som leverantören uppfyller"),),
                (Run("bilagor som svaren hänvisar till"),),
            ),
            ordered=True,
        ),
        Heading("2 Krav", 1),
        Heading("2.1 Transparens", 2),
    ]
    for requirement in REQUIREMENTS[:2]:
        blocks.extend(requirement_blocks(*requirement))
    blocks.append(Heading("2.2 Mänsklig tillsyn", 2))
    blocks.extend(requirement_blocks(*REQUIREMENTS[2]))
    blocks += [
        Heading("3 Intygande", 1),
        Paragraph(
            (
                AnswerField("intygande", "checkbox"),
                Run(" Leverantören intygar att uppgifterna i denna bilaga är riktiga."),
            )
        ),
        Paragraph((Run("Namn och roll: "), AnswerField("intygande.namn"))),
    ]
    properties = DocumentProperties(
        title="Krav på transparens och mänsklig tillsyn",
        subject="Upphandling av AI-stöd för ärendehandläggning",
        author="Region Exempel",
        keywords="AI; upphandling; transparens",
        header="Region Exempel · Upphandling av AI-stöd · RE 2026-0042",
        footer="Bilaga 3 – Svarsformulär",
        custom=(("upphandla.bibliotek", "default"), ("upphandla.version", "1.2.0")),
    )
    return Document(properties, tuple(blocks))


def main() -> None:
    """Write sample.docx and sample.md, and PDF/PNG pages when LibreOffice is installed."""
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/upphandla-sample")
    outdir.mkdir(parents=True, exist_ok=True)
    document = sample()
    docx_path = outdir / "sample.docx"
    docx_path.write_bytes(render_docx(document, REPO / "templates" / "reference.docx"))
    (outdir / "sample.md").write_text(render_markdown(document), encoding="utf-8")
    print(docx_path)
    if shutil.which("soffice") is None:
        print("soffice not found: no PDF")
        return
    profile = Path("/tmp") / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / "sample.pdf"
    print(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(outdir / "page")], check=True)
        for page in sorted(outdir.glob("page-*.png")):
            print(page)


if __name__ == "__main__":
    main()
