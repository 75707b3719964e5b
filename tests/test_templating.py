"""Document templates run in the sandbox, and their mistakes are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_files
from upphandla.errors import ProblemsError
from upphandla.rendering.templating import TemplateSet


def render(tmp_path: Path, template: str, context: dict[str, object] | None = None) -> str:
    write_files(tmp_path, {"sv/doc.md.j2": template})
    return TemplateSet([tmp_path], "sv").render("doc.md.j2", context or {})


def test_renders_with_filters(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ x | money }} kr\n", {"x": 1250000}) == "1\u00a0250\u00a0000 kr\n"


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError) as caught:
        render(tmp_path, "rad ett\n{% for x in %}\n")
    rendered = caught.value.problems[0].render("en")
    assert rendered.startswith(f"{tmp_path / 'sv' / 'doc.md.j2'}:2: error: Error in the template")


def test_unknown_variable_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError) as caught:
        render(tmp_path, "ok\n\n{{ procurment.title }}\n", {"procurement": {"title": "x"}})
    rendered = caught.value.problems[0].render("en")
    assert ":3: error:" in rendered
    assert "procurment" in rendered


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ x.__init__.__globals__ }}",
        "{{ lipsum }}",
        "{{ range(10) | list }}",
        "{% set l = [] %}{{ l.append(1) }}",
    ],
)
def test_templates_cannot_reach_python_internals(tmp_path: Path, expression: str) -> None:
    with pytest.raises(ProblemsError):
        render(tmp_path, expression, {"x": "text"})


def test_own_templates_fall_back_to_the_bundled_ones(tmp_path: Path) -> None:
    own = tmp_path / "own"
    bundled = tmp_path / "bundled"
    write_files(own, {"sv/a.md.j2": "egen\n"})
    write_files(bundled, {"sv/a.md.j2": "medföljande\n", "sv/b.md.j2": "b från medföljande\n"})
    templates = TemplateSet([own, bundled], "sv")
    assert templates.render("a.md.j2", {}) == "egen\n"
    assert templates.render("b.md.j2", {}) == "b från medföljande\n"


def test_missing_template(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError) as caught:
        TemplateSet([tmp_path], "sv").render("saknas.md.j2", {})
    assert "does not exist" in caught.value.problems[0].render("en")
