"""Fuzzing: mutated and random input never crashes, hangs or leaves files behind.

Libraries, answers files, response forms (read, and evaluated with ``upphandla evaluate``) and
conditions are taken from real files and mutated (lines deleted, duplicated and re-indented,
tabs, control characters and invalid UTF-8 inserted, files truncated, scalars changed to other
types, keys misspelt, deep nesting, aliases). Whatever comes in, the result is success or
located problems with exit code 1: never a traceback.

The ``ci`` Hypothesis profile (the default, registered in conftest.py) tries a fixed set of
examples, so CI is stable. For a long random session run::

    HYPOTHESIS_PROFILE=fuzz PYTHONPATH=src pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from conftest import DEFAULT_LIBRARY, MINIMAL_CONTENT, MINIMAL_LIBRARY_YAML, REPO
from fill_form import fill_form
from upphandla.cli.app import app
from upphandla.errors import Problem
from upphandla.evaluation.form_reader import NotADocxError, read_answer_fields
from upphandla.library.expressions import ExpressionError, compile_expression
from upphandla.library.loading import load_library

# The fuzz tier: also slow, so the developer loop (-m "not slow") leaves it to CI.
pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

runner = CliRunner()
# Reading a response form or an expression takes milliseconds: those tests try more examples;
# an evaluation takes most of a second: that test tries fewer.
MANY = settings(max_examples=settings().max_examples * 5)
FEWER = settings(max_examples=max(10, settings().max_examples // 2))
EXAMPLES = REPO / "examples"
INCOME_SUPPORT = EXAMPLES / "ekonomiskt-bistand.yaml"
DATE = "2026-11-27"

# --------------------------------------------------------------------------- byte mutations

T = TypeVar("T")


class Draw(Protocol):
    """Hypothesis's ``draw``: from ``st.composite`` or from ``st.data()``."""

    def __call__(self, strategy: st.SearchStrategy[T], label: Any = None) -> T: ...


Mutation = Callable[[Draw, bytes], bytes]

# Bytes that are not UTF-8 (surrogates encoded as bytes, overlong forms, stray continuation
# bytes), or that are UTF-8 but troublesome (NUL, escape sequences, BOM, line separators).
AWKWARD_BYTES = [
    b"\xed\xa0\x80",
    b"\xed\xbf\xbf",
    b"\xc0\x80",
    b"\x80",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\x1b[31m",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\r",
    b"\r\n",
    b"\x0c",
]

# What a scalar may be replaced with: other types, YAML tags, aliases, broken quoting, and
# conditions that are wrong in interesting ways.
SCALARS = [
    b"",
    b"~",
    b"null",
    b"true",
    b"no",
    b"0",
    b"-1",
    b"1e400",
    b".inf",
    b"-.nan",
    b"0x1F",
    b"1_000",
    b"99999999999999999999999999999",
    b"1.5",
    b"2026-02-30",
    b"2026-01-01",
    b"2001-12-14t21:59:43.10-05:00",
    b"[]",
    b"{}",
    b"[a, [b, {c: d}]]",
    b"{sv: a}",
    b"{sv: a, en: b, fr: c}",
    b"{sv: [a], en: {b: c}}",
    b"'quoted'",
    b'"\\x07bell"',
    b'"\\ud800"',
    b'"unclosed',
    b"'unclosed",
    b"|\n  block\n",
    b">-\n  folded\n",
    b"!!binary aGVsbG8=",
    b"!!python/object/apply:os.system ['true']",
    b"!!set {a, b}",
    b"!!omap [a: 1]",
    b"!!str 5",
    b"!!int x",
    b"!!float abc",
    b"!!timestamp nope",
    b"!custom x",
    b"&anchor value",
    b"*anchor",
    b"*undefined",
    b"? complex key",
    b"a: b: c",
    b"{{ jinja }}",
    b"not",
    b"risk_class == 'high' and",
    b"x | attr('__class__')",
    b"''.__class__",
    b"(" * 60 + b"a" + b")" * 60,
    b"-" * 500 + b"1",
    b" or ".join([b"a"] * 600),
    b"'a' * 99999",
    b"2 ** 2 ** 2 ** 2 ** 2",
    b"x" * 2500,
    b"%",
    b"@reserved",
    b"`reserved",
]

# Snippets inserted at the start of a line: aliases, merge keys and anchors.
ALIAS_SNIPPETS = [
    b"x: &a [1, 2]\ny: *a\n",
    b"y: *undefined\n",
    b"base: &b {id: x}\nother:\n  <<: *b\n",
    b"- &item {id: dup}\n- *item\n",
    b"\n".join(
        [b"l0: &l0 [a, a, a, a, a, a, a, a, a]"]
        + [
            f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]".encode()
            for i in range(1, 9)  # nine to the eighth: far more than the alias limit
        ]
    )
    + b"\n",
    b"&self_ref [*self_ref]\n",
]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _position(draw: Draw, data: bytes) -> int:
    return int(draw(st.integers(0, len(data))))


def _line_index(draw: Draw, lines: Sequence[bytes]) -> int:
    return int(draw(st.integers(0, len(lines) - 1)))


def delete_line(draw: Draw, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[_line_index(draw, lines)]
    return b"".join(lines)


def duplicate_line(draw: Draw, data: bytes) -> bytes:
    lines = _lines(data)
    index = _line_index(draw, lines)
    lines.insert(index, lines[index])
    return b"".join(lines)


def swap_lines(draw: Draw, data: bytes) -> bytes:
    lines = _lines(data)
    first, second = _line_index(draw, lines), _line_index(draw, lines)
    lines[first], lines[second] = lines[second], lines[first]
    return b"".join(lines)


def reindent(draw: Draw, data: bytes) -> bytes:
    lines = _lines(data)
    index = _line_index(draw, lines)
    indent = draw(st.sampled_from([b"", b" ", b"  ", b"   ", b"    ", b"\t", b"  \t", b" " * 9]))
    lines[index] = indent + lines[index].lstrip(b" \t")
    return b"".join(lines)


def insert_tab(draw: Draw, data: bytes) -> bytes:
    position = _position(draw, data)
    return data[:position] + b"\t" + data[position:]


def insert_text(draw: Draw, data: bytes) -> bytes:
    text = draw(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8))
    position = _position(draw, data)
    return data[:position] + str(text).encode("utf-8") + data[position:]


def insert_bytes(draw: Draw, data: bytes) -> bytes:
    piece = draw(st.sampled_from(AWKWARD_BYTES) | st.binary(min_size=1, max_size=8))
    position = _position(draw, data)
    return data[:position] + piece + data[position:]


def flip_byte(draw: Draw, data: bytes) -> bytes:
    if not data:
        return data
    position = int(draw(st.integers(0, len(data) - 1)))
    value = int(draw(st.integers(0, 255)))
    return data[:position] + bytes([value]) + data[position + 1 :]


def truncate(draw: Draw, data: bytes) -> bytes:
    return data[: _position(draw, data)]


def delete_chunk(draw: Draw, data: bytes) -> bytes:
    start = _position(draw, data)
    end = start + int(draw(st.integers(1, 200)))
    return data[:start] + data[end:]


_SCALAR = re.compile(rb"(:[ ]+|-[ ]+)([^\n]+)")
_KEY = re.compile(rb"^([ ]*(?:-[ ]+)?)([A-Za-z_][A-Za-z0-9_]*)(:)", re.MULTILINE)


def replace_scalar(draw: Draw, data: bytes) -> bytes:
    matches = list(_SCALAR.finditer(data))
    if not matches:
        return data
    match = matches[int(draw(st.integers(0, len(matches) - 1)))]
    replacement = draw(st.sampled_from(SCALARS))
    return data[: match.start(2)] + replacement + data[match.end(2) :]


def near_miss_key(draw: Draw, data: bytes) -> bytes:
    matches = list(_KEY.finditer(data))
    if not matches:
        return data
    match = matches[int(draw(st.integers(0, len(matches) - 1)))]
    key = match.group(2)
    index = int(draw(st.integers(0, len(key) - 1)))
    variants = [
        key[:index] + key[index + 1 :],
        key[:index] + key[index : index + 1] * 2 + key[index + 1 :],
        key[:index] + key[index + 1 : index + 2] + key[index : index + 1] + key[index + 2 :],
        key.upper(),
        key + b"s",
        key.replace(b"_", b"-"),
        key + b" ",
        b"'" + key + b"'",
    ]
    new_key = draw(st.sampled_from(variants)) or b"x"
    return data[: match.start(2)] + new_key + data[match.end(2) :]


def deep_nesting(draw: Draw, data: bytes) -> bytes:
    depth = int(draw(st.integers(1, 300)))
    style = draw(st.sampled_from(["flow_list", "flow_map", "block"]))
    if style == "flow_list":
        piece = b"deep: " + b"[" * depth + b"]" * depth + b"\n"
    elif style == "flow_map":
        piece = b"deep: " + b"{a: " * depth + b"1" + b"}" * depth + b"\n"
    else:
        piece = b"".join(b"  " * level + b"k:\n" for level in range(min(depth, 120)))
    return _at_line_start(draw, data, piece)


def insert_alias(draw: Draw, data: bytes) -> bytes:
    return _at_line_start(draw, data, draw(st.sampled_from(ALIAS_SNIPPETS)))


def _at_line_start(draw: Draw, data: bytes, piece: bytes) -> bytes:
    lines = _lines(data)
    index = int(draw(st.integers(0, len(lines))))
    lines.insert(index, piece)
    return b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines)


TEXT_MUTATIONS: list[Mutation] = [
    delete_line,
    duplicate_line,
    swap_lines,
    reindent,
    insert_tab,
    insert_text,
    insert_bytes,
    flip_byte,
    truncate,
    delete_chunk,
    replace_scalar,
    near_miss_key,
    deep_nesting,
    insert_alias,
]
BYTE_MUTATIONS: list[Mutation] = [insert_bytes, flip_byte, truncate, delete_chunk, insert_text]


def mutate(
    draw: Draw, base: bytes, mutations: Sequence[Mutation] = TEXT_MUTATIONS, most: int = 4
) -> bytes:
    """``base`` after one to ``most`` mutations (a plain function: big bases make big reprs)."""
    data = base
    for mutation in draw(st.lists(st.sampled_from(mutations), min_size=1, max_size=most)):
        data = mutation(draw, data)
    return data


# --------------------------------------------------------------------------- random YAML data

_VOCABULARY = [
    "format",
    "id",
    "name",
    "version",
    "extends",
    "questions",
    "derived",
    "areas",
    "requirements",
    "dates",
    "override",
    "remove",
    "type",
    "prompt",
    "help",
    "label",
    "choices",
    "value",
    "values",
    "default",
    "when",
    "required",
    "min",
    "max",
    "after",
    "title",
    "text",
    "level",
    "verification",
    "evidence",
    "phase",
    "references",
    "source",
    "ref",
    "rationale",
    "area",
    "expression",
    "cases",
    "otherwise",
    "evaluation",
    "follow_up",
    "sv",
    "en",
]

PLAIN_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.dates()
    | st.sampled_from(["ska", "bor", "bool", "single", "multiple", "tender", "uses_ai", "R-1"])
)
PLAIN_DATA = st.recursive(
    PLAIN_SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(_VOCABULARY) | st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=25,
)


def dump(data: Any) -> bytes:
    """YAML for plain data; control characters come out escaped, as an editor might save them."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


# --------------------------------------------------------------------------- shared checks


def assert_located(problems: Sequence[Problem]) -> None:
    """Every problem is one line that names its file; a YAML syntax error also its line."""
    for problem in problems:
        rendered = problem.render("en")
        assert problem.location.file is not None, rendered
        first, *hints = rendered.split("\n")
        assert all(line.startswith("    ") for line in hints), rendered
        if problem.message.en.startswith("YAML syntax error"):
            assert problem.location.line is not None, rendered


def assert_clean_exit(result: Result, allowed: Sequence[int]) -> None:
    """An exit code from ``allowed`` and no exception or traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{result.output}"
    )
    assert result.exit_code in allowed, result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- libraries

TINY_LIBRARY = {
    "library.yaml": MINIMAL_LIBRARY_YAML.format(id="tiny", extra="").encode("utf-8"),
    "content.yaml": MINIMAL_CONTENT.encode("utf-8"),
}
DEFAULT_FILES = {
    path.relative_to(DEFAULT_LIBRARY).as_posix(): path.read_bytes()
    for path in sorted(DEFAULT_LIBRARY.rglob("*.yaml"))
}
BASE_LIBRARIES = {"tiny": TINY_LIBRARY, "default": DEFAULT_FILES}


@st.composite
def library_changes(draw: Draw) -> tuple[str, dict[str, bytes]]:
    """A base library and the files that replace (or join) its own: mutated or random."""
    base = str(draw(st.sampled_from(sorted(BASE_LIBRARIES))))
    files = BASE_LIBRARIES[base]
    names = sorted(files)
    changes: dict[str, bytes] = {}
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)):
        changes[name] = mutate(draw, files[name])
    if draw(st.booleans()) and draw(st.booleans()):
        changes[draw(st.sampled_from(["content.yaml", "extra.yaml", "library.yaml"]))] = dump(
            draw(PLAIN_DATA)
        )
    return base, changes


def write_library_folder(folder: Path, base: str, changes: dict[str, bytes]) -> Path:
    for name, data in {**BASE_LIBRARIES[base], **changes}.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


@given(case=library_changes())
def test_a_damaged_library_loads_or_gives_located_problems(
    case: tuple[str, dict[str, bytes]],
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = write_library_folder(Path(temporary) / "lib", *case)
        result = load_library(folder)
        assert_located(result.problems)
        assert (result.library is None) == bool(result.errors)
        checked = runner.invoke(app, ["library", "check", str(folder), "--lang", "en"])
        assert_clean_exit(checked, (0, 1))
        assert "<input>" not in checked.output
        assert checked.exit_code == (1 if result.errors else 0), checked.output


# --------------------------------------------------------------------------- answers files

EXAMPLE_FILES = {path.name: path.read_bytes() for path in sorted(EXAMPLES.glob("*.yaml"))}
_EXAMPLE_DATA = [yaml.safe_load(data) for data in EXAMPLE_FILES.values()]
ANSWER_IDS = sorted({key for data in _EXAMPLE_DATA for key in data["answers"]})
ANSWER_WORDS = sorted(
    {
        item
        for data in _EXAMPLE_DATA
        for value in data["answers"].values()
        for item in (value if isinstance(value, list) else [value])
        if isinstance(item, str) and len(item) < 40
    }
)
ANSWER_VALUES = st.one_of(
    PLAIN_DATA,
    st.sampled_from(ANSWER_WORDS),
    st.lists(st.sampled_from(ANSWER_WORDS), max_size=4),
    st.sampled_from(["ja", "nej", "yes", "1", "", " ", "-5", "1e999", "nan", "2026-13-01"]),
)


@st.composite
def edited_answers(draw: Draw) -> bytes:
    """An example's answers with values changed, removed, added, renamed or restructured."""
    data = yaml.safe_load(EXAMPLE_FILES[draw(st.sampled_from(sorted(EXAMPLE_FILES)))])
    answers: dict[str, Any] = data["answers"]
    for _ in range(int(draw(st.integers(1, 4)))):
        action = draw(
            st.sampled_from(["set", "delete", "add", "rename", "flatten", "library", "complete"])
        )
        key = str(draw(st.sampled_from(sorted(answers) or ANSWER_IDS)))
        if action == "set":
            answers[key] = draw(ANSWER_VALUES)
        elif action == "delete":
            answers.pop(key, None)
        elif action == "add":
            answers[str(draw(st.text(max_size=10) | st.sampled_from(ANSWER_IDS)))] = draw(
                ANSWER_VALUES
            )
        elif action == "rename" and key in answers:
            answers[key[:-1] or "x"] = answers.pop(key)
        elif action == "flatten":
            data = {**answers, **{name: value for name, value in data.items() if name != "answers"}}
            break
        elif action == "library":
            data["library"] = draw(PLAIN_DATA | st.fixed_dictionaries({"id": PLAIN_SCALARS}))
        else:
            data["complete"] = draw(PLAIN_SCALARS)
    return dump(data)


@st.composite
def mutated_answers(draw: Draw) -> bytes:
    """An example answers file after a few text mutations."""
    return mutate(draw, EXAMPLE_FILES[draw(st.sampled_from(sorted(EXAMPLE_FILES)))])


ANSWERS_FILES = st.one_of(
    edited_answers(),
    mutated_answers(),
    st.dictionaries(st.sampled_from(ANSWER_IDS), ANSWER_VALUES, max_size=10).map(
        lambda answers: dump({"answers": answers})
    ),
    PLAIN_DATA.map(dump),
    st.binary(max_size=200),
)


@given(raw=ANSWERS_FILES)
def test_any_answers_file_gives_a_clean_exit_and_no_partial_output(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        answers = root / "answers.yaml"
        answers.write_bytes(raw)
        explained = runner.invoke(app, ["explain", "--answers", str(answers)])
        assert_clean_exit(explained, (0, 1, 3))
        out = root / "out"
        generated = runner.invoke(
            app,
            [
                "generate",
                "--answers",
                str(answers),
                "--out",
                str(out),
                "--format",
                "md,json",
                "--date",
                DATE,
            ],
        )
        assert_clean_exit(generated, (0, 1, 3))
        written = sorted(path.name for path in out.rglob("*")) if out.exists() else []
        if generated.exit_code != 0:
            assert written == [], generated.output
        else:
            assert not [name for name in written if name.endswith(".tmp")]


# --------------------------------------------------------------------------- response forms


@pytest.fixture(scope="module")
def response_form(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("form") / "docs"
    result = runner.invoke(
        app,
        [
            "generate",
            "--answers",
            str(INCOME_SUPPORT),
            "--out",
            str(out),
            "--format",
            "docx",
            "--date",
            DATE,
        ],
    )
    assert result.exit_code == 0, result.output
    return (out / "svarsbilaga.docx").read_bytes()


XML_SNIPPETS = [
    b"<w:sdt/>",
    b"<w:sdt><w:sdtPr><w:tag/></w:sdtPr></w:sdt>",
    b'<w:sdt><w:sdtPr><w:tag w:val="K-1.fulfilled"/><w14:checkbox/></w:sdtPr></w:sdt>',
    b'<w:sdt><w:sdtPr><w:tag w:val="K-1.fulfilled"/><w14:checkbox><w14:checked w14:val="x"/>'
    b"</w14:checkbox></w:sdtPr><w:sdtContent/></w:sdt>",
    b'<w:sdt><w:sdtPr><w:tag w:val="c"/><w:dropDownList><w:listItem/></w:dropDownList>'
    b"</w:sdtPr><w:sdtContent><w:r><w:t>a</w:t></w:r></w:sdtContent></w:sdt>",
    b'<w:bookmarkStart w:id="9999" w:name="_upphK_d1_pdescription"/>',
    b'<w:bookmarkStart w:id="9998" w:name="_upph_x"/>',
    b'<w:bookmarkStart w:id="9997" w:name="_upph_xd800"/>',
    b'<w:bookmarkEnd w:id="9999"/>',
    b"<w:bookmarkStart/><w:bookmarkEnd/>",
    b'<w:ffData><w:name w:val="legacy"/><w:checkBox><w:checked w:val="maybe"/></w:checkBox>'
    b"</w:ffData>",
    b"<w:ffData><w:checkBox/></w:ffData>",
    b'<w:showingPlcHdr w:val="1"/>',
    b"<w:p>" * 50,
    b"</w:p>",
    b"<w:r>" * 300 + b"</w:r>" * 300,
    b"<!-- comment -->",
    b"<![CDATA[x]]>",
    b"<?pi x?>",
    b"&amp;",
    b"&undefined;",
    b"&#0;",
    b"&#xD800;",
    b"<w:t>\xff\xfe</w:t>",
    b'<w:t xml:space="preserve">\t</w:t>',
]
DOCTYPES = [
    b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<?xml version="1.0" encoding="bogus"?>',
    b'<?xml version="1.0" encoding="UTF-16"?>',
    b'<?xml version="9.9"?>',
    b"\xef\xbb\xbf",
    b"",
]
MAIN_PARTS = ["word/document.xml", "_rels/.rels", "[Content_Types].xml"]
RELS_TARGETS = [b"", b"/", b"..", b"../../etc/passwd", b"http://example.com/x", b"word", b"%00"]


def _members(form: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(form)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _zip(members: Sequence[tuple[str, bytes]], compression: int) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the damages tried
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


def _damage_part(draw: Draw, name: str, data: bytes) -> bytes:
    action = draw(st.sampled_from(["bytes", "snippet", "doctype", "rels", "cut_element"]))
    if action == "bytes":
        return mutate(draw, data, [*BYTE_MUTATIONS, duplicate_line])
    if action == "snippet":
        tags = [match.start() for match in re.finditer(rb"<", data)] or [0]
        position = int(draw(st.sampled_from(tags)))
        return data[:position] + draw(st.sampled_from(XML_SNIPPETS)) + data[position:]
    if action == "doctype":
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
        entity = draw(st.sampled_from([b"", b"&c;", b"&x;"]))
        return draw(st.sampled_from(DOCTYPES)) + body.replace(b"<w:t>", b"<w:t>" + entity, 1)
    if action == "rels" and b"Target=" in data:
        return re.sub(
            rb'Target="[^"]*"', b'Target="' + draw(st.sampled_from(RELS_TARGETS)) + b'"', data
        )
    elements = list(re.finditer(rb"<(w:[A-Za-z]+)[ >]", data))
    if not elements:
        return data
    start = elements[int(draw(st.integers(0, len(elements) - 1)))].start()
    end = data.find(b">", start + int(draw(st.integers(1, 2000))))
    return data[:start] + data[end + 1 :] if end > 0 else data[:start]


def _damage_headers(draw: Draw, form: bytes) -> bytes:
    """Overwrite a field of a zip header: compression method, flags, sizes, offsets."""
    signatures = [
        match.start() for match in re.finditer(rb"PK\x01\x02|PK\x03\x04|PK\x05\x06", form)
    ]
    start = int(draw(st.sampled_from(signatures)))
    offset = start + int(draw(st.integers(4, 45)))
    value = bytes(draw(st.binary(min_size=1, max_size=4)))
    return form[:offset] + value + form[offset + len(value) :]


def damage_form(draw: Draw, form: bytes) -> bytes:
    """A response form damaged as a whole, in its zip headers, or in one of its parts."""
    kind = draw(st.sampled_from(["random", "bytes", "headers", "part", "part", "members"]))
    if kind == "random":
        prefix = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
        return bytes(prefix + draw(st.binary(max_size=500)))
    if kind == "bytes":
        return mutate(draw, form, BYTE_MUTATIONS)
    if kind == "headers":
        return _damage_headers(draw, form)
    members = [(info.filename, data) for info, data in _members(form)]
    compression = draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))
    if kind == "part":
        names = [name for name, _ in members]
        name = draw(st.sampled_from(MAIN_PARTS) | st.sampled_from(names))
        members = [
            (member, _damage_part(draw, member, data) if member == name else data)
            for member, data in members
        ]
        return _zip(members, compression)
    action = draw(st.sampled_from(["drop", "rename", "duplicate", "shuffle"]))
    index = int(draw(st.integers(0, len(members) - 1)))
    name, data = members[index]
    if action == "drop":
        del members[index]
    elif action == "rename":
        members[index] = (
            draw(st.sampled_from(["word/Document.xml", "../x", "/abs", "word/"])),
            data,
        )
    elif action == "duplicate":
        members.append((name, draw(st.sampled_from([b"", b"<x/>", data[: len(data) // 2]]))))
    else:
        members = draw(st.permutations(members))
    return _zip(members, compression)


@MANY
@given(data=st.data())
def test_a_damaged_response_form_is_read_or_refused(
    response_form: bytes, data: st.DataObject
) -> None:
    damaged = damage_form(data.draw, response_form)
    try:
        fields = read_answer_fields(damaged)
    except NotADocxError:
        return
    assert isinstance(fields, dict)


def test_the_undamaged_form_reads(response_form: bytes) -> None:
    assert "supplier.name" in read_answer_fields(response_form)


# --------------------------------------------------------------------------- evaluate


@pytest.fixture(scope="module")
def filled_form(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The income-support response form filled in by a supplier who meets every requirement."""
    folder = tmp_path_factory.mktemp("filled")
    result = runner.invoke(
        app,
        ["generate", "--answers", str(INCOME_SUPPORT), "--out", str(folder / "docs"),
         "--format", "docx,json", "--date", DATE],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    selection = json.loads((folder / "docs" / "urval.json").read_text(encoding="utf-8"))
    answers = {
        "supplier.name": "Alfa Analys AB",
        "supplier.org_number": "556000-1111",
        "supplier.price": "1 250 000 kr",
    }
    for requirement in selection["requirements"]:
        answers[f"{requirement['id']}.fulfilled"] = "Ja"
        answers[f"{requirement['id']}.description"] = "Så här uppfylls kravet."
    return fill_form(
        folder / "docs" / "svarsbilaga.docx", folder / "alfa.docx", answers
    ).read_bytes()


def evaluate_form(form: bytes, root: Path) -> tuple[Result, Path]:
    (root / "alfa.docx").write_bytes(form)
    out = root / "out"
    result = runner.invoke(
        app,
        ["evaluate", str(root / "alfa.docx"), "--answers", str(INCOME_SUPPORT),
         "--out", str(out), "--format", "md,json", "--date", DATE],
    )  # fmt: skip
    return result, out


def test_the_undamaged_filled_form_evaluates(filled_form: bytes, tmp_path: Path) -> None:
    result, out = evaluate_form(filled_form, tmp_path)
    assert result.exit_code == 0, result.output
    assert (out / "utvardering.json").is_file()


@FEWER
@given(data=st.data())
def test_evaluate_with_a_damaged_form_gives_a_clean_exit_and_no_partial_output(
    filled_form: bytes, data: st.DataObject
) -> None:
    damaged = damage_form(data.draw, filled_form) if data.draw(st.integers(0, 9)) else filled_form
    with tempfile.TemporaryDirectory() as temporary:
        result, out = evaluate_form(damaged, Path(temporary))
        # 0: read and decided; 4: the report is written, the form listed to assess by hand or
        # the tender to review; 1: refused before anything was written.
        assert_clean_exit(result, (0, 1, 4))
        written = sorted(path.name for path in out.rglob("*")) if out.exists() else []
        if result.exit_code == 1:
            assert written == [], result.output
        else:
            assert "utvardering.json" in written
            assert not [name for name in written if name.endswith(".tmp")]


# --------------------------------------------------------------------------- expressions

EXPRESSION_TOKENS = [
    "a",
    "b",
    "functions",
    "x",
    "d",
    "n",
    "f",
    "t",
    "undefined_name",
    "'chatbot'",
    "'x'",
    "''",
    "0",
    "1",
    "2",
    "10",
    "1000",
    "999999999",
    "2.5",
    "1e400",
    "true",
    "false",
    "none",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ".",
    "|",
    "+",
    "-",
    "*",
    "**",
    "/",
    "//",
    "%",
    "~",
    "==",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
    "in",
    "not",
    "and",
    "or",
    "is",
    "if",
    "else",
    "length",
    "lower",
    "count",
    "first",
    "last",
    "join",
    "replace",
    "center",
    "indent",
    "format",
    "slice",
    "batch",
    "sum",
    "sort",
    "unique",
    "list",
    "string",
    "int",
    "float",
    "round",
    "default",
    "attr",
    "map",
    "items",
    "tojson",
    "__class__",
    "_private",
    "defined",
    "number",
    "divisibleby",
    "upper()",
    "{%",
    "%}",
    "{{",
    "}}",
    "#",
    "\\",
    "\n",
    "'unclosed",
    '"',
    "range",
    "lipsum",
    "namespace",
]
_LEAVES = st.sampled_from(["a", "x", "functions", "d", "n", "1", "2.5", "'s'", "none", "999"])
_BINARY = st.sampled_from(["and", "or", "+", "-", "*", "**", "/", "%", "~", "==", "<", "in"])
_FILTERS = st.sampled_from(["length", "lower", "first", "string", "list", "sum", "int", "center"])
NESTED_EXPRESSIONS = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.tuples(inner, _BINARY, inner).map(" ".join),
        inner.map(lambda source: f"({source})"),
        inner.map(lambda source: f"not {source}"),
        inner.map(lambda source: f"-{source}"),
        st.tuples(inner, _FILTERS).map(lambda pair: f"{pair[0]} | {pair[1]}"),
        st.tuples(inner, inner).map(lambda pair: f"[{pair[0]}, {pair[1]}]"),
        st.tuples(inner, inner, inner).map(
            lambda three: f"{three[0]} if {three[1]} else {three[2]}"
        ),
        st.tuples(inner, inner).map(lambda pair: f"{pair[0]}[{pair[1]}]"),
    ),
    max_leaves=40,
)
REPEATED = st.tuples(
    st.sampled_from(["(", "[", "{'k': ", "not ", "-", "+", "x | f(", "a.b", " or a", "|length"]),
    st.integers(1, 900),
).map(lambda pair: pair[0] * pair[1] + "a")
EXPRESSIONS = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(EXPRESSION_TOKENS), min_size=1, max_size=30).map(" ".join),
    st.lists(st.sampled_from(EXPRESSION_TOKENS), min_size=1, max_size=30).map("".join),
    NESTED_EXPRESSIONS,
    REPEATED,
)
CONTEXT: dict[str, Any] = {
    "a": 1,
    "b": "text",
    "functions": ["chatbot", "search"],
    "x": [1, 2, 3],
    "d": {"k": "v"},
    "n": None,
    "f": 2.5,
    "t": True,
}


@MANY
@given(source=EXPRESSIONS)
def test_any_expression_compiles_and_runs_or_raises_expression_error(source: str) -> None:
    try:
        compiled = compile_expression(source)
    except ExpressionError:
        return
    for context in ({}, CONTEXT):
        with contextlib.suppress(ExpressionError):
            compiled.evaluate(context)
