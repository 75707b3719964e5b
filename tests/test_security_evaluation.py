"""Issue 13, items 2 and 4: read only what is named, and bounded evaluation.

Each attack of the issue is reproduced from a script. The ones that took the machine down in
0.1 run in a child process with a memory limit (``RLIMIT_AS``, POSIX only) and a timeout, so
that a regression fails the test instead of the machine; none is a timed test (the figures are
in ``benchmarks/security.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL_LIBRARY_YAML, REPO, WriteLibrary, write_files
from upphandla.documents.templating import TemplateSet
from upphandla.errors import Location, ProblemsError
from upphandla.library.derivation import ExpressionFailed
from upphandla.library.expressions import ExpressionError, compile_expression
from upphandla.library.loading import load_library

MEMORY = 1_500_000_000  # bytes of address space a child may use
TIMEOUT = 120  # seconds: far above the few seconds any of these takes; only a hang reaches it
SECRET = "root:$6$secret-hash:20228:0:99999:7:::"


def limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_limited(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m upphandla ARGUMENTS`` in a child with bounded memory and time."""
    return subprocess.run(
        [sys.executable, "-m", "upphandla", *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=TIMEOUT,
        preexec_fn=limited if os.name == "posix" else None,  # noqa: PLW1509 - no threads here
        env={**os.environ, "UPPHANDLA_NO_CACHE": "1"},
    )


def chain_library(root: Path, lines: list[str]) -> Path:
    """A library whose derived values are ``lines`` (``id: expression``), one requirement that
    uses the last of them, and an answers file for it."""
    derived = "".join(
        f"  - id: {name.strip()}\n    label: {{sv: D, en: D}}\n"
        f"    expression: {json.dumps(expression.strip())}\n"
        for name, expression in (line.split(":", 1) for line in lines)
    )
    last = lines[-1].split(":", 1)[0].strip()
    write_files(
        root / "chain",
        {
            "library.yaml": MINIMAL_LIBRARY_YAML.format(id="chain", extra=""),
            "content.yaml": textwrap.dedent(
                """\
                areas:
                  - {id: general, title: {sv: A, en: A}}
                questions:
                  - id: uses_ai
                    type: bool
                    prompt: {sv: A?, en: A?}
                    help: {sv: B., en: B.}
                    default: true
                """
            )
            + "derived:\n"
            + derived
            + textwrap.dedent(
                f"""\
                requirements:
                  - id: R-1
                    area: general
                    title: {{sv: Krav, en: Requirement}}
                    text: {{sv: Leverantören ska göra något., en: The supplier shall do something.}}
                    level: ska
                    verification: [description]
                    evidence: {{sv: Beskrivning., en: Description.}}
                    phase: tender
                    references: [{{source: LOU, ref: "9 kap."}}]
                    rationale: {{sv: Därför., en: Because.}}
                    when: {last} is not none
                    kind: specification
                """
            ),
        },
    )
    answers = root / "svar.yaml"
    answers.write_text("library:\n  id: chain\nanswers:\n  uses_ai: true\n", encoding="utf-8")
    return answers


DOUBLING = ["d0: 'xxxxxxxxxx' * 1000", *(f"d{i}: d{i - 1} ~ d{i - 1}" for i in range(1, 17))]
SQUARING = ["d0: 2 ** 1000", *(f"d{i}: d{i - 1} * d{i - 1}" for i in range(1, 30))]
NESTING = ["d0: ['x'] * 3000", *(f"d{i}: [d{i - 1}, d{i - 1}]" for i in range(1, 60))]
LIST_DOUBLING = ["d0: ['x'] * 3000", *(f"d{i}: d{i - 1} + d{i - 1}" for i in range(1, 40))]
# Values of the same size, each a copy of the one before: none is too large, the chain is.
COPYING = ["d0: ['x'] * 3000", *(f"d{i}: d{i - 1} + []" for i in range(1, 2000))]


@pytest.mark.parametrize(
    ("lines", "stopped_at", "why"),
    [
        (DOUBLING, "d6 ~ d6", "a value grew too large"),
        (SQUARING, "d3 * d3", "a number grew too large"),
        (NESTING, "[d3, d3]", "a value grew too large"),
        (LIST_DOUBLING, "d3 + d3", "a value grew too large"),
        (COPYING, "d", "the evaluation takes too much work"),
        (["d0: 10**1000/3"], "10**1000/3", "OverflowError"),
        (["d0: 10**999 * 10**999 * 10**999 * 10**999 * 10**999"], "10**999", "number grew"),
    ],
    ids=[
        *("doubling-texts", "squaring", "nesting-lists", "doubling-lists", "copying-lists"),
        *("division", "digits"),
    ],
)
def test_derived_values_that_build_on_each_other_stop_with_a_located_message(
    tmp_path: Path, lines: list[str], stopped_at: str, why: str
) -> None:
    answers = chain_library(tmp_path, lines)
    done = run_limited(
        "explain", "--library", str(tmp_path), "--answers", str(answers), "--lang", "en",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert f"chain{os.sep}content.yaml:" in line.split(": error: ")[0]
    assert f"The expression '{stopped_at}" in line
    assert why in line


def test_the_budget_holds_across_a_chain_not_per_expression(write_library: WriteLibrary) -> None:
    # Each of these copies a list of 3,000 items, far below the value limit; the shared budget
    # stops the chain of 2,000 of them all the same.
    answers = chain_library(write_library().parent, COPYING)
    library = load_library(answers.parent / "chain").library
    assert library is not None
    from upphandla.library.derivation import derive_values

    with pytest.raises(ExpressionFailed) as failed:
        derive_values(library, {"uses_ai": True})
    assert failed.value.expression.source.endswith(" + []")
    assert "takes too much work" in str(failed.value.error)


@pytest.mark.parametrize(
    "condition",
    [
        "functions | tojson(indent=1000000000)",
        "'a' | center(999999999)",
        "functions | map('upper') | list",
        "functions | attr('x')",
        "functions | join('x')",
        "functions | random",
    ],
)
def test_filters_are_an_allow_list(condition: str) -> None:
    with pytest.raises(ExpressionError, match="is not allowed in conditions"):
        compile_expression(condition)


def test_methods_that_build_values_are_refused_by_name() -> None:
    compiled = compile_expression("organisation.center(999999999)")
    with pytest.raises(ExpressionError, match="the method 'center' may not be called"):
        compiled.evaluate({"organisation": "x"})


TEMPLATE_ATTACKS = {
    "nested-loops": "{% for a in l %}{% for b in l %}{% for c in l %}{% endfor %}{% endfor %}"
    "{% endfor %}",
    "recursive-macro": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
    "self-include": "{% include 'a.md.j2' %}",
    "tojson-indent": "{{ l | tojson(indent=100000000) }}",
    "center": "{{ 'a' | center(999999999) }}",
    "repetition": "{{ 'a' * 999999999 }}",
    "format-width": "{{ '%999999999s' | format('a') }}",
    "percent-width": "{{ '%999999999d' % 1 }}",
    "indent": "{{ ('\n' * 9000) | indent(10000) }}",
    "join": "{{ (['aaaaaaaaaa'] * 9000) | join('x' * 9000) }}",
    "nested-sets": "{% set a = [l, l] %}"
    + "".join("{% set a = [a, a] %}" for _ in range(60))
    + "{{ a }}",
    "equal-nested-sets": "{% set a = [l, l] %}{% set b = [l | list, l | list] %}"
    + "".join("{% set a = [a, a] %}{% set b = [b, b] %}" for _ in range(60))
    + "{{ a == b }}",
    "doubling-text": "{% set s = 'x' * 1000 %}"
    + "".join("{% set s = s ~ s %}" for _ in range(40))
    + "{{ s | length }}",
    "squaring": "{% set n = 2 ** 1000 %}" + "".join("{% set n = n * n %}" for _ in range(30)),
    "division": "{{ 10 ** 1000 / 3 }}",
    "large-body": "{% for a in l %}{% for b in l %}"
    + "{% if a == b %}{% endif %}" * 2000
    + "{% endfor %}{% endfor %}",
    "method": "{{ 'a'.center(999999999) }}",
    "named-format-width": "{{ '%(x)999999999s' | format(x=1) }}",
    "wordwrap-string": "{{ ('a b ' * 1000) | wordwrap(1, True, 'x' * 10000) }}",
}

TEMPLATE_SCRIPT = """
import sys
from pathlib import Path
from upphandla.documents.templating import TemplateSet
from upphandla.errors import Location, ProblemsError
folder = Path(sys.argv[1])
try:
    TemplateSet([folder], "sv").render("a.md.j2", {"l": list(range(1000))})
except ProblemsError as error:
    print(error.problems[0].render("en"))
    sys.exit(1)
"""


@pytest.mark.parametrize("name", sorted(TEMPLATE_ATTACKS))
def test_templates_stop_with_a_located_message(tmp_path: Path, name: str) -> None:
    write_files(tmp_path, {"sv/a.md.j2": TEMPLATE_ATTACKS[name]})
    done = subprocess.run(
        [sys.executable, "-c", TEMPLATE_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
        preexec_fn=limited if os.name == "posix" else None,  # noqa: PLW1509 - no threads here
    )
    assert done.returncode == 1, (done.stdout, done.stderr[-2000:])
    assert done.stdout.startswith(f"{tmp_path / 'sv' / 'a.md.j2'}:"), done.stdout
    assert "error: Error in the template:" in done.stdout


def test_a_template_within_its_budget_renders_as_before(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "sv/a.md.j2": "{% macro row(x) %}| {{ x | upper }} |{% endmacro %}"
            "{% for x in l %}{{ row(x) }}{{ '-' * 3 }}{% endfor %}"
            "{{ '%5s' | format('a') }}{{ l | tojson(indent=2) | length > 0 }}"
        },
    )
    text = TemplateSet([tmp_path], "sv").render("a.md.j2", {"l": ["a", "b"]})
    assert text == "| A |---| B |---    aTrue"


# --------------------------------------------------------------------------- the error list


MANY = 450_000  # below the 500,000 values a file may hold


def test_a_library_of_very_many_mistakes_gives_a_screenful_and_a_count(tmp_path: Path) -> None:
    write_files(
        tmp_path / "many",
        {
            "library.yaml": MINIMAL_LIBRARY_YAML.format(id="many", extra=""),
            "content.yaml": "requirements: [" + "1," * MANY + "]\n",
        },
    )
    done = run_limited("library", "check", "many", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines() + done.stdout.splitlines()
    assert len(lines) < 450
    assert f"… and {MANY - 200:,} more errors, not shown (at most 200 are shown)." in done.stderr
    assert f"many: {MANY:,}".replace(",", "") in done.stdout.replace(",", "").replace("\xa0", "")


def test_a_file_of_millions_of_values_is_refused_before_it_is_built(tmp_path: Path) -> None:
    write_files(
        tmp_path / "huge",
        {
            "library.yaml": MINIMAL_LIBRARY_YAML.format(id="huge", extra=""),
            "content.yaml": "requirements: [" + "1," * 1_900_000 + "]\n",  # 3.8 MB
        },
    )
    done = run_limited("library", "check", "huge", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 1
    assert "holds more than 500,000 values" in done.stderr
    assert len(done.stderr.splitlines()) < 5


# --------------------------------------------------------------------------- item 2: links


needs_symlinks = pytest.mark.skipif(os.name != "posix", reason="symbolic links")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every folder upphandla reads, with lines like /etc/shadow's."""
    path = tmp_path / "elsewhere" / "shadow"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\ndaemon:*:20228:0:99999:7:::\n", encoding="utf-8")
    return path


@needs_symlinks
def test_a_library_file_linked_outside_its_folder_is_refused_unread(
    write_library: WriteLibrary, secret: Path
) -> None:
    library = write_library()
    (library / "requirements").mkdir()
    (library / "requirements" / "extra.yaml").symlink_to(secret)
    done = run_limited("library", "check", str(library), cwd=library.parent)
    assert done.returncode == 1
    assert (
        f"{library / 'requirements' / 'extra.yaml'}: fel: Filen är en symbolisk länk till en "
        "fil utanför sin mapp och läses inte."
    ) in done.stderr
    assert "root:" not in done.stderr + done.stdout


@needs_symlinks
def test_a_linked_folder_inside_a_library_is_not_read(
    write_library: WriteLibrary, secret: Path
) -> None:
    library = write_library()
    (secret.parent / "more.yaml").write_text(f"{SECRET}: 1\n", encoding="utf-8")
    (library / "linked").symlink_to(secret.parent, target_is_directory=True)
    result = load_library(library)
    assert result.library is not None  # more.yaml's unknown field would have been an error
    assert "root:" not in "\n".join(problem.render("sv") for problem in result.problems)


@needs_symlinks
def test_a_link_inside_the_library_folder_is_fine(write_library: WriteLibrary) -> None:
    library = write_library(with_minimal_content=False)
    (library / "shared").mkdir()
    from conftest import MINIMAL_CONTENT

    (library / "shared" / "content.yaml").write_text(MINIMAL_CONTENT, encoding="utf-8")
    (library / "content.yml").symlink_to(library / "shared" / "content.yaml")
    # Both names lead to the same file inside the library: read twice, so the ids clash, but
    # nothing is refused for being a link.
    result = load_library(library)
    assert not any("symbolisk" in problem.render("sv") for problem in result.problems)


@needs_symlinks
def test_templates_and_includes_linked_outside_are_refused(tmp_path: Path, secret: Path) -> None:
    (tmp_path / "sv").mkdir()
    (tmp_path / "sv" / "a.md.j2").symlink_to(secret)
    (tmp_path / "sv" / "b.md.j2").write_text("{% include 'a.md.j2' %}", encoding="utf-8")
    templates = TemplateSet([tmp_path], "sv")
    for name in ("a.md.j2", "b.md.j2"):
        with pytest.raises(ProblemsError) as refused:
            templates.render(name, {})
        rendered = refused.value.problems[0].render("sv")
        assert rendered.startswith(f"{tmp_path / 'sv' / 'a.md.j2'}: fel: Filen är en symbolisk")
        assert "root:" not in rendered


@needs_symlinks
def test_a_profile_linked_outside_its_folder_is_refused(tmp_path: Path, secret: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "upphandla.toml").symlink_to(secret)
    done = run_limited(
        "generate", "--answers", str(REPO / "examples" / "ekonomiskt-bistand.yaml"), "--out", "ut",
        cwd=work,
    )  # fmt: skip
    assert done.returncode == 1
    assert "upphandla.toml: fel: Filen är en symbolisk länk" in done.stderr
    assert "root:" not in done.stderr
    assert not (work / "ut").exists()


def test_a_message_quotes_at_most_a_short_escaped_excerpt(write_library: WriteLibrary) -> None:
    library = write_library(files={"extra.yaml": f'"{SECRET * 20}\\u0085": 1\n'})
    result = load_library(library)
    (problem,) = [p for p in result.problems if "extra.yaml" in str(p.location.file)]
    rendered = problem.render("en")
    assert "\x85" not in rendered
    assert rendered.count("root:") <= 3  # 80 characters of the key, not all 20 copies
    assert "…'" in rendered


def test_a_template_too_large_to_compile_quickly_is_refused(tmp_path: Path) -> None:
    body = "{% if a == b %}x{% endif %}" * 10_000  # 270 kB: compiling it alone takes seconds
    write_files(tmp_path, {"sv/a.md.j2": body, "sv/b.md.j2": "{% if a %}" * 3000})
    templates = TemplateSet([tmp_path], "sv")
    with pytest.raises(ProblemsError) as refused:
        templates.render("a.md.j2", {})
    assert "The template is too large (263 kB; the limit is 128 kB)" in refused.value.problems[
        0
    ].render("en")
    with pytest.raises(ProblemsError) as refused:
        templates.render("b.md.j2", {"a": 1})
    assert refused.value.problems[0].render("en").startswith(f"{tmp_path / 'sv' / 'b.md.j2'}:")


def test_templates_that_include_too_much_together_are_refused(tmp_path: Path) -> None:
    part = "{{ 'x' }}" * 10_000  # 90 kB, within the limit of one file
    files = {f"sv/part{index}.md.j2": part for index in range(7)}
    files["sv/a.md.j2"] = "".join(f"{{% include 'part{index}.md.j2' %}}" for index in range(7))
    write_files(tmp_path, files)
    with pytest.raises(ProblemsError) as refused:
        TemplateSet([tmp_path], "sv").render("a.md.j2", {})
    assert "too large together (" in refused.value.problems[0].render("en")
    assert "the limit is 512 kB" in refused.value.problems[0].render("en")


def test_an_answers_file_of_very_many_unknown_ids_is_capped(write_library: WriteLibrary) -> None:
    from upphandla.interview.answers import GivenAnswer, check_given_answers
    from upphandla.library.loading import require_library

    library, _warnings = require_library(write_library())
    given = {
        f"k{index}": GivenAnswer(1, Location(Path("svar.yaml"), index + 1)) for index in range(5000)
    }
    _values, problems = check_given_answers(library, given)
    assert len(problems) == 201
    assert problems[-1].render("en").startswith("error: … and 4,800 more errors, not shown")


def test_a_value_is_counted_the_same_on_the_text_fast_path() -> None:
    from upphandla.library import bounds

    class Text(str):
        pass

    for make in (bounds.template_budget, bounds.condition_budget):
        fast, general = make(), make()
        for value in ("", "x" * 200, "å" * 64):
            fast.walked(value)
            general.walked(Text(value))
            fast.result(value)
            general.result(Text(value))
        assert fast.work == general.work
    budget = bounds.template_budget()
    with pytest.raises(bounds.BudgetError, match="a value grew too large"):
        budget.result("x" * (budget.max_value + 1))


def test_attributes_of_context_dicts_are_found_as_jinja_finds_them() -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    environment = TemplateSet([], "sv").environment
    values = [{"title": "T", "items": "not the method", "get": 1}, {}, {"id": None}]
    for value in values:
        for attribute in ("title", "items", "get", "id", "missing", "__class__", "keys"):
            ours = environment.getattr(value, attribute)
            jinjas = ImmutableSandboxedEnvironment.getattr(environment, value, attribute)
            assert type(ours) is type(jinjas)
            if callable(ours):
                assert getattr(ours, "__name__", None) == getattr(jinjas, "__name__", None)
            elif not isinstance(ours, environment.undefined):
                assert ours == jinjas
