"""Fill in three example response forms, so that `upphandla evaluate` can be tried end to end.

Run from a clone of the repository, after `upphandla generate ... --out ut`:

    python examples/anbud/fyll_i_exempel.py ut anbud

It reads ut/svarsbilaga.docx and ut/urval.json and writes anbud/alfa.docx, anbud/beta.docx and
anbud/cirkel.docx: Alfa meets every SKA requirement and two BÖR requirements, Beta answers No to
one SKA requirement, Cirkel meets every BÖR requirement, adds paragraphs of its own between the
tables and reorders them, but answers one SKA requirement "Ja, från 2028": not a plain Ja, so the
tender is to be assessed before the decision. The forms are filled the way the tests fill them
(tests/fill_form.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from fill_form import fill_form  # noqa: E402


def main(generated: Path, target: Path) -> None:
    """Write the three filled-in forms into ``target``."""
    selection = json.loads((generated / "urval.json").read_text(encoding="utf-8"))
    requirements = selection["requirements"]
    ska = [r["id"] for r in requirements if r["level"] == "ska"]
    bor = [r["id"] for r in requirements if r["level"] == "bor"]
    suppliers = {
        "alfa": ("Alfa Analys AB", "556000-1111", "1 250 000 kr", set(), set(bor[:2]), {}),
        "beta": ("Beta Data AB", "556000-2222", "1 100 000 kr", {ska[3]}, set(bor[:1]), {}),
        "cirkel": ("Cirkel IT AB", "556000-3333", "1 400 000 kr", set(), set(bor),
                   {"between_tables": True, "reorder_tables": True}),
    }  # fmt: skip
    target.mkdir(parents=True, exist_ok=True)
    for key, (name, number, price, no, bor_yes, options) in suppliers.items():
        answers = {
            "supplier.name": name,
            "supplier.org_number": number,
            "supplier.contact": "Kim Anbud",
            "supplier.contact_details": "kim@example.se, 010-123 45 67",
            "supplier.price": price,
        }
        for identifier in ska + bor:
            yes = identifier not in no if identifier in ska else identifier in bor_yes
            answers[f"{identifier}.fulfilled"] = "Ja" if yes else "Nej"
            answers[f"{identifier}.description"] = f"{name} beskriver hur {identifier} uppfylls."
            answers[f"{identifier}.reference"] = f"Bilaga 2, avsnitt {identifier}"
        if key == "cirkel":
            answers[f"{ska[1]}.fulfilled"] = "Ja, från 2028"
        path = fill_form(generated / "svarsbilaga.docx", target / f"{key}.docx", answers, **options)
        print(f"skrev {path}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("användning: python examples/anbud/fyll_i_exempel.py UT-MAPP ANBUDSMAPP")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
