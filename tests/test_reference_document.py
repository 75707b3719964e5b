"""A --reference-doc that is not a usable Word document is bad input: exit 1, nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli.app import app

EXAMPLE = REPO / "examples" / "ekonomiskt-bistand.yaml"


def _without_body(target: Path) -> Path:
    source = zipfile.ZipFile(REPO / "templates" / "reference.docx")
    with zipfile.ZipFile(target, "w") as written:
        for name in source.namelist():
            if name != "word/document.xml":
                written.writestr(name, source.read(name))
    return target


@pytest.mark.parametrize("kind", ["text", "broken-zip", "no-body"])
def test_an_unusable_reference_document_is_an_input_error(tmp_path: Path, kind: str) -> None:
    reference = tmp_path / "mall.docx"
    if kind == "text":
        reference.write_text("inte ett Word-dokument", encoding="utf-8")
    elif kind == "broken-zip":
        reference.write_bytes(b"PK\x03\x04trasig")
    else:
        _without_body(reference)
    out = tmp_path / "ut"
    result = CliRunner().invoke(
        app,
        [
            "generate",
            "--answers",
            str(EXAMPLE),
            "--out",
            str(out),
            "--reference-doc",
            str(reference),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "oväntat fel" not in result.output
    assert f"{reference}: fel: Referensdokumentet går inte att använda som Word-mall." in (
        result.output
    )
    assert not out.exists()
