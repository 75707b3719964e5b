"""Each limit on the size of the input gives a clear, located message when hit.

The limits and how to raise them are listed in docs/limits.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO, WriteLibrary, write_files
from upphandla.cli.app import app
from upphandla.documents import templating
from upphandla.documents.templating import TemplateSet
from upphandla.errors import ProblemsError
from upphandla.library.expressions import ExpressionError, compile_expression
from upphandla.library.loading import load_library
from upphandla.library.yamlsource import load_yaml_bytes, load_yaml_file
from upphandla.limits import DEFAULT_LIMITS, Limits

runner = CliRunner()
SPLIT_HINT = (
    "    hint: Split the content into several files: a library may have any number of YAML files."
)


def problems_of(raw: bytes, limits: Limits) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        load_yaml_bytes(raw, Path("x.yaml"), limits)
    return [problem.render("en") for problem in caught.value.problems]


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no room on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        stream.truncate(size)
    return path


def test_the_defaults_are_the_documented_ones() -> None:
    assert (
        Limits(
            max_file_bytes=10 * 1024 * 1024,
            max_yaml_nodes=500_000,
            max_alias_expansions=10_000,
            max_yaml_depth=64,
            max_expression_chars=2_000,
            max_expression_depth=40,
        )
        == DEFAULT_LIMITS
    )
    assert templating.MAX_OUTPUT_CHARS == 200_000_000
    documented = (REPO / "docs" / "limits.md").read_text(encoding="utf-8")
    for value in ("10 MB", "500,000", "10,000", "64", "2,000", "40", "200,000,000"):
        assert value in documented


# --------------------------------------------------------------------------- file size


def test_file_size_names_the_file_the_size_and_the_limit(tmp_path: Path) -> None:
    path = sparse_file(tmp_path / "huge.yaml", 11 * 1024 * 1024)
    with pytest.raises(ProblemsError) as caught:
        load_yaml_file(path)
    (problem,) = caught.value.problems
    assert problem.render("en") == (
        f"{path}: error: The file is too large (11.0 MB; the limit is 10.0 MB).\n{SPLIT_HINT}"
    )


def test_file_size_limit_can_be_set(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text("a: " + "x" * 2_000_000 + "\n", encoding="utf-8")
    with pytest.raises(ProblemsError, match="the limit is 1.0 MB"):
        load_yaml_file(path, Limits(max_file_bytes=1024 * 1024))
    assert load_yaml_file(path).data["a"].startswith("xxx")


def test_a_too_large_library_file_fails_library_check(write_library: WriteLibrary) -> None:
    folder = write_library()
    sparse_file(folder / "requirements" / "huge.yaml", 12 * 1024 * 1024)
    result = runner.invoke(app, ["library", "check", str(folder), "--lang", "en"])
    assert result.exit_code == 1
    huge = folder / "requirements" / "huge.yaml"
    assert f"{huge}: error: The file is too large (12.0 MB; the limit is 10.0 MB)." in result.stderr


def test_a_too_large_answers_file_fails_explain(tmp_path: Path) -> None:
    answers = sparse_file(tmp_path / "svar.yaml", 10 * 1024 * 1024 + 1)
    result = runner.invoke(app, ["explain", "--answers", str(answers)])
    assert result.exit_code == 1
    assert f"{answers}: error: Filen är för stor (10.0 MB; gränsen är 10.0 MB)." in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- YAML structure


def test_alias_count_is_limited() -> None:
    (message,) = problems_of(b"a: &a [1]\nb: [*a, *a, *a, *a]\n", Limits(max_alias_expansions=3))
    assert message.startswith("x.yaml:1:4: error:")  # the anchor used too often
    assert "too many YAML aliases" in message
    assert "Write the content out instead" in message


def test_default_alias_limit_stops_an_alias_bomb() -> None:
    raw = b"a: &a [1]\nb: [" + b", ".join([b"*a"] * 10_001) + b"]\n"
    (message,) = problems_of(raw, DEFAULT_LIMITS)
    assert "too many YAML aliases" in message


def test_value_count_is_limited_without_blaming_aliases() -> None:
    (message,) = problems_of(b"[" + b", ".join([b"1"] * 20) + b"]\n", Limits(max_yaml_nodes=10))
    assert message == f"x.yaml:1:{2 + 3 * 9}: error: The file holds more than 10 values; " + (
        f"reading stopped to protect the machine.\n{SPLIT_HINT}"
    )


def test_nesting_depth_is_limited() -> None:
    (message,) = problems_of(b"a: {b: {c: {d: {e: 1}}}}\n", Limits(max_yaml_depth=3))
    assert message == "x.yaml:1:16: error: The structure is nested deeper than 3 levels."


def test_default_nesting_depth() -> None:
    (message,) = problems_of(b"a: " + b"[" * 70 + b"]" * 70 + b"\n", DEFAULT_LIMITS)
    assert "nested deeper than 64 levels" in message


# --------------------------------------------------------------------------- conditions


LONG_CONDITION = "uses_ai or '" + "x" * 2100 + "' == ''"
DEEP_CONDITION = "(" * 41 + "uses_ai" + ")" * 41


def test_expression_length_is_limited() -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(LONG_CONDITION)
    assert str(caught.value) == "the expression is 2119 characters long; the limit is 2000"


def test_expression_depth_is_limited() -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(DEEP_CONDITION)
    assert str(caught.value) == "the expression is nested deeper than 40 levels"
    with pytest.raises(ExpressionError, match="nested deeper than 40 levels"):
        compile_expression(" or ".join(["uses_ai"] * 45))


@pytest.mark.parametrize(
    ("condition", "detail", "raised"),
    [
        (
            LONG_CONDITION,
            "the expression is 2119 characters long; the limit is 2000",
            Limits(max_expression_chars=3000),
        ),
        (
            DEEP_CONDITION,
            "the expression is nested deeper than 40 levels",
            Limits(max_expression_depth=50),
        ),
    ],
)
def test_condition_limits_are_located_in_the_library(
    write_library: WriteLibrary, condition: str, detail: str, raised: Limits
) -> None:
    folder = write_library()
    path = folder / "content.yaml"
    text = path.read_text(encoding="utf-8").replace("when: uses_ai", f'when: "{condition}"')
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f'    when: "{condition}"') + 1
    result = load_library(folder)
    (message,) = [problem.render("en") for problem in result.errors]
    assert message.startswith(f"{path}:{line}:11: error: The condition '")
    assert f"cannot be read: {detail}.\n    hint: Conditions are Jinja expressions" in message
    raised_result = load_library(folder, limits=raised)
    assert raised_result.errors == []


# --------------------------------------------------------------------------- templates


def test_template_output_is_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "MAX_OUTPUT_CHARS", 100)
    write_files(tmp_path, {"sv/doc.md.j2": "{% for x in items %}{{ x }}\n{% endfor %}"})
    templates = TemplateSet([tmp_path], "sv")
    assert templates.render("doc.md.j2", {"items": ["a" * 40, "b" * 40]}).count("\n") == 2
    with pytest.raises(ProblemsError) as caught:
        templates.render("doc.md.j2", {"items": ["a" * 40] * 3})
    (problem,) = caught.value.problems
    assert problem.render("en").startswith(
        f"{tmp_path / 'sv' / 'doc.md.j2'}: error: The template doc.md.j2 produced too much "
        "text (more than 100 characters).\n    hint: Check the template's loops"
    )


def test_template_output_limit_stops_generate_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(templating, "MAX_OUTPUT_CHARS", 1_000)
    out = tmp_path / "out"
    example = REPO / "examples" / "ekonomiskt-bistand.yaml"
    result = runner.invoke(
        app,
        [
            "generate",
            "--answers",
            str(example),
            "--out",
            str(out),
            "--format",
            "md",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1
    assert "produced too much text (more than 1,000 characters)" in result.stderr
    assert not out.exists() or not any(out.iterdir())
