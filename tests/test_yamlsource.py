"""Reading YAML safely, with positions, and refusing what would harm the machine."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upphandla.errors import ProblemsError
from upphandla.library.yamlsource import load_yaml_bytes, load_yaml_file
from upphandla.limits import Limits


def problems_of(raw: bytes, limits: Limits | None = None) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        load_yaml_bytes(raw, Path("x.yaml"), limits or Limits())
    return [problem.render("en") for problem in caught.value.problems]


def test_only_true_and_false_are_booleans() -> None:
    document = load_yaml_bytes(b"a: no\nb: yes\nc: on\nd: true\ne: False\n", Path("x.yaml"))
    assert document.data == {"a": "no", "b": "yes", "c": "on", "d": True, "e": False}


def test_numbers_dates_and_positions_are_kept() -> None:
    document = load_yaml_bytes(b"top:\n  list: [1, 2.5, 2026-08-02]\n", Path("x.yaml"))
    assert document.data == {"top": {"list": [1, 2.5, datetime.date(2026, 8, 2)]}}
    assert document.location(("top", "list", 2)).render() == "x.yaml:2:18"
    assert document.location(("top", "list"), key=True).render() == "x.yaml:2:3"


def test_duplicate_key_is_rejected_with_both_lines() -> None:
    (message,) = problems_of(b"a: 1\nb: 2\na: 3\n")
    assert message.startswith("x.yaml:3:1: error:")
    assert "line 1" in message


def test_tab_in_indentation_gets_a_hint() -> None:
    (message,) = problems_of(b"a:\n\t- b\n")
    assert message.startswith("x.yaml:2:1: error: YAML syntax error")
    assert "tabs" in message


def test_unclosed_quote_points_at_the_quote() -> None:
    (message,) = problems_of(b'x: 1\na: "abc\nb: 2\n')
    assert message.startswith("x.yaml:2:4: error:")
    assert "quotation mark" in message


def test_latin1_file_is_named_with_position(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("namn: ok\ntext: Åtgärd\n".encode("latin-1"))
    with pytest.raises(ProblemsError) as caught:
        load_yaml_file(path)
    (problem,) = caught.value.problems
    assert problem.location.line == 2
    assert problem.location.column == 7
    assert "UTF-8" in problem.render("en")


def test_utf8_bom_is_accepted() -> None:
    assert load_yaml_bytes("\ufeffa: å\n".encode(), Path("x.yaml")).data == {"a": "å"}


@pytest.mark.parametrize("raw", [b"", b"   \n", b"# only a comment\n"])
def test_empty_file_is_an_error(raw: bytes) -> None:
    (message,) = problems_of(raw)
    assert "empty" in message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    with pytest.raises(ProblemsError) as caught:
        load_yaml_file(path)
    assert "too large" in caught.value.problems[0].render("en")
    assert "Split the content into several files" in caught.value.problems[0].render("en")


def test_billion_laughs_is_refused() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (message,) = problems_of("\n".join(lines).encode())
    assert "aliases" in message


def test_a_few_aliases_are_fine() -> None:
    document = load_yaml_bytes(b"a: &x [1, 2]\nb: [*x, *x]\n", Path("x.yaml"))
    assert document.data["b"] == [[1, 2], [1, 2]]


def test_deep_nesting_is_refused() -> None:
    (message,) = problems_of(b"a: " + b"[" * 100 + b"]" * 100, Limits(max_yaml_depth=20))
    assert "nested deeper" in message


@pytest.mark.parametrize("raw", [b'a: "bell\\x07"\n', b"a: b\x0bc\n"])
def test_control_characters_word_cannot_hold_are_located(raw: bytes) -> None:
    (message,) = problems_of(raw)
    assert message.startswith("x.yaml:1:")
    assert "control character" in message


def test_merge_keys_are_rejected() -> None:
    (message,) = problems_of(b"base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "merge key" in message


@pytest.mark.parametrize(
    ("raw", "start"),
    [(b"\x7fa: 1\n", "x.yaml:1:1:"), ("a: 1\nb: x\u0080y\n".encode(), "x.yaml:2:5:")],
)
def test_delete_and_c1_controls_that_yaml_refuses_are_located(raw: bytes, start: str) -> None:
    # Found by fuzzing: PyYAML's reader stopped at these with a message naming no line.
    (message,) = problems_of(raw)
    assert message.startswith(f"{start} error:")
    assert "control character" in message
    assert "YAML file may not contain" in message


def test_escaped_c1_control_is_fine() -> None:
    assert load_yaml_bytes(b'a: "\\x80"\n', Path("x.yaml")).data == {"a": "\x80"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"date: 2026-02-30\n", "x.yaml:1:7: error: '2026-02-30' is not a valid date."),
        (b"date: 2026-13-01\n", "x.yaml:1:7: error: '2026-13-01' is not a valid date."),
        (b"date: !!timestamp soon\n", "x.yaml:1:7: error: 'soon' is not a valid date."),
        (b"n: !!int x\n", "x.yaml:1:4: error: The value 'x' cannot be read as a whole number."),
        (b"n: !!int\n", "x.yaml:1:4: error: The value '' cannot be read as a whole number."),
        (b"n: 0b_\n", "x.yaml:1:4: error: The value '0b_' cannot be read as a whole number."),
        (b"n: !!float abc\n", "x.yaml:1:4: error: The value 'abc' cannot be read as a number."),
        (
            b"b: !!bool maybe\n",
            "x.yaml:1:4: error: The value 'maybe' cannot be read as true or false.",
        ),
    ],
)
def test_values_that_do_not_fit_their_type_are_located(raw: bytes, expected: str) -> None:
    # Found by fuzzing: PyYAML's constructors raised ValueError, AttributeError, KeyError or
    # IndexError on these, and the exception escaped.
    (message,) = problems_of(raw)
    assert message.split("\n")[0] == expected


def test_a_wrong_tag_is_one_located_line() -> None:
    (message,) = problems_of(b"a: 1\nb: !!set x\n")
    assert (
        message == "x.yaml:2:4: error: YAML syntax error: expected a mapping node, but found scalar"
    )


# The loader's fast paths (``_Loader.resolve``, ``_Builder._child``) must give what PyYAML's own
# resolver and the plain recursive build give.

_SCALARS = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "1",
    "-1",
    "+1",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "1:20",
    "1.5",
    "-.5",
    "+1e3",
    "1e3",
    ".inf",
    "-.INF",
    ".nan",
    "2026-01-15",
    "2026-1-5",
    "2026-01-15T10:00:00Z",
    "2026-01-15 10:00:00.5 +01:00",
    "<<",
    "=",
    "!",
    "&",
    "*",
    "abc",
    "SYN-KLS-0001",
    "Ja / Nej",
    "12 kap. 3 §",
    "3(23)",
    "ö",
    " leading space",
]


@pytest.mark.parametrize("implicit", [(True, False), (False, True), (False, False), (True, True)])
def test_the_first_character_resolver_gives_what_pyyaml_gives(implicit: tuple[bool, bool]) -> None:
    import yaml

    from upphandla.library.yamlsource import _Loader

    loader = _Loader("")
    try:
        characters = [chr(code) for code in range(32, 383)]
        for value in [*_SCALARS, *characters, *(c + "x" for c in characters)]:
            assert loader.resolve(
                yaml.ScalarNode, value, implicit
            ) == yaml.resolver.BaseResolver.resolve(loader, yaml.ScalarNode, value, implicit), value
        for kind in (yaml.SequenceNode, yaml.MappingNode):
            assert loader.resolve(kind, None, implicit) == yaml.resolver.BaseResolver.resolve(
                loader, kind, None, implicit
            )
    finally:
        loader.dispose()


_DOCUMENTS = [
    b"a: 1\nb: [x, 2.5, true, ~, 2026-01-15, '3']\nc: {d: {e: [[1], [2, {f: g}]]}}\n",
    b"- a\n- [b, c]\n- {d: e}\n- - 1\n  - 2\n",
    b'text: "escaped \\x01 control"\nother: "ok"\n',
    b"a: &x [1, 2]\nb: *x\nc: *x\ns: &y z\nt: *y\n",
    b"k: 1\nk: 2\n? [complex]\n: value\n",
    b"top: 2026-02-30\nn: !!int x\n",
    b"a: {b: {c: {d: {e: 1}}}}\n",
]


def _marks_by_path(raw: bytes) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """The value and key marks of every path, as the builder first kept them (a dict by path)."""
    import yaml

    from upphandla.library.yamlsource import _Loader

    loader = _Loader(raw.decode("utf-8"))
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    values: dict[Any, Any] = {}
    keys: dict[Any, Any] = {}

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        values[path] = node.start_mark
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                child = (*path, key_node.value)
                if child in keys:
                    continue
                keys[child] = key_node.start_mark
                walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    walk(node, ())
    return values, keys


def _location_by_path(values: dict[Any, Any], keys: dict[Any, Any], path: Any, key: bool) -> Any:
    marks = keys if key else values
    probe = path
    while True:
        mark = marks.get(probe) or values.get(probe)
        if mark is not None:
            return (mark.line + 1, mark.column + 1)
        if not probe:
            return (None, None)
        probe = probe[:-1]


@pytest.mark.parametrize("raw", _DOCUMENTS)
def test_the_builder_gives_the_data_and_locations_of_the_plain_build(raw: bytes) -> None:
    from upphandla.library import yamlsource

    class PlainBuilder(yamlsource._Builder):
        def _child(self, node: Any, depth: int) -> Any:
            return self.build(node, depth)

    def outcome(builder: type[yamlsource._Builder], limits: Limits) -> Any:
        original = yamlsource._Builder
        yamlsource._Builder = builder  # type: ignore[misc]
        try:
            return load_yaml_bytes(raw, Path("x.yaml"), limits)
        except ProblemsError as error:
            return [problem.render("en") for problem in error.problems]
        finally:
            yamlsource._Builder = original  # type: ignore[misc]

    for limits in (Limits(), Limits(max_yaml_nodes=5), Limits(max_yaml_depth=2)):
        fast, plain = outcome(yamlsource._Builder, limits), outcome(PlainBuilder, limits)
        if isinstance(fast, list) or isinstance(plain, list):
            assert fast == plain
            continue
        assert fast.data == plain.data
        values, keys = _marks_by_path(raw)
        probes = [*values, *keys, *((*path, "missing") for path in values), (0, 0), ("a", 9)]
        for path in probes:
            for key in (False, True):
                expected = _location_by_path(values, keys, path, key)
                found = fast.location(path, key=key)
                assert (found.line, found.column) == expected, (path, key)


def test_the_byte_test_finds_every_character_the_text_search_refuses() -> None:
    from upphandla.library.yamlsource import _NOT_IN_YAML, _may_hold_refused_characters

    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        character = chr(code)
        if _NOT_IN_YAML.search(character):
            for text in (character, f"§{character}–", f"a: '{character}'\n"):
                assert _may_hold_refused_characters(text.encode("utf-8")), hex(code)
    assert not _may_hold_refused_characters("a: §–ö \u00a0\u2028 ok\n".encode())


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30))
@settings(max_examples=500)
def test_a_text_the_byte_test_passes_has_nothing_to_refuse(text: str) -> None:
    from upphandla.library.yamlsource import _NOT_IN_YAML, _may_hold_refused_characters

    if not _may_hold_refused_characters(text.encode("utf-8")):
        assert _NOT_IN_YAML.search(text) is None


def test_every_location_of_the_bundled_library_is_the_plain_builds() -> None:
    from upphandla.library.loading import bundled_libraries_dir

    for file in sorted((bundled_libraries_dir() / "default").rglob("*.yaml")):
        raw = file.read_bytes()
        document = load_yaml_bytes(raw, file)
        values, keys = _marks_by_path(raw)
        for path in [*values, *((*path, 0) for path in values)]:
            for key in (False, True):
                found = document.location(path, key=key)
                assert (found.line, found.column) == _location_by_path(values, keys, path, key)
