"""Loading, composing and checking libraries: every problem, located."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DEFAULT_LIBRARY, MINIMAL_CONTENT, WriteLibrary
from upphandla.errors import Severity
from upphandla.library.loading import LoadResult, load_library
from upphandla.library.model import Level


def messages(result: LoadResult, severity: Severity | None = Severity.ERROR) -> list[str]:
    return [
        problem.render("en")
        for problem in result.problems
        if severity is None or problem.severity is severity
    ]


def test_bundled_default_library_is_clean() -> None:
    result = load_library(DEFAULT_LIBRARY)
    assert messages(result, None) == []
    assert result.library is not None
    assert result.library.id == "default"
    assert len(result.library.sha256) == 64


def test_minimal_library_loads(write_library: WriteLibrary) -> None:
    result = load_library(write_library())
    assert messages(result, None) == []
    assert result.library is not None
    assert [question.id for question in result.library.questions] == ["uses_ai", "functions"]


def test_the_hash_changes_with_the_content(write_library: WriteLibrary) -> None:
    folder = write_library()
    before = load_library(folder).library
    (folder / "content.yaml").write_text(
        (folder / "content.yaml").read_text(encoding="utf-8").replace("göra något", "göra mer"),
        encoding="utf-8",
    )
    after = load_library(folder).library
    assert before is not None
    assert after is not None
    assert before.sha256 != after.sha256


def test_duplicate_requirement_id_in_two_files(write_library: WriteLibrary) -> None:
    second = """\
    requirements:
      - id: R-1
        area: general
        title: {sv: Annat krav, en: Other requirement}
        text: {sv: Text., en: Text.}
        level: ska
        verification: [description]
        evidence: {sv: Bevis., en: Evidence.}
        phase: tender
        references: [{source: LOU, ref: "9 kap."}]
    """
    result = load_library(write_library(files={"more.yaml": second}))
    (message,) = messages(result)
    assert "more.yaml:2:5: error: The id 'R-1' is already used" in message
    assert "content.yaml:" in message


def test_a_wrong_area_is_reported_with_a_wrong_field_of_the_same_requirement(
    write_library: WriteLibrary,
) -> None:
    second = """\
    requirements:
      - id: R-2
        area: genral
        kind: specification
        title: {sv: Annat krav, en: Other requirement}
        text: {sv: Text., en: Text.}
        level: must
        verification: [description]
        evidence: {sv: Bevis., en: Evidence.}
        phase: tender
        references: [{source: LOU, ref: "9 kap."}]
    """
    result = load_library(write_library(files={"more.yaml": second}))
    assert result.library is None
    found = messages(result)
    assert any("'must' is not an allowed value for 'level'" in line for line in found), found
    (area,) = [line for line in found if "belongs to the area 'genral'" in line]
    assert "more.yaml:2:5: error:" in area
    assert "general" in area  # the suggestion


def test_condition_naming_a_missing_question(write_library: WriteLibrary) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    (folder / "content.yaml").write_text(
        content.replace("when: uses_ai", "when: use_ai"), encoding="utf-8"
    )
    result = load_library(folder)
    (message,) = messages(result)
    assert message.startswith(
        f"{folder / 'content.yaml'}:29:11: error: The condition uses 'use_ai'"
    )
    assert "Did you mean 'uses_ai'?" in message


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("uses_ai and", "cannot be read"),
        ("\"''.__class__\"", "'__class__' is not allowed"),
        ("\"x | attr('y')\"", "not allowed"),
        ('"uses_ai }}{{ 1"', "cannot be read"),
    ],
)
def test_bad_conditions_are_load_time_errors(
    write_library: WriteLibrary, condition: str, expected: str
) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    (folder / "content.yaml").write_text(
        content.replace("when: uses_ai", f"when: {condition}"), encoding="utf-8"
    )
    (message,) = messages(load_library(folder))
    assert ":29:11: error:" in message
    assert expected in message


def test_choice_value_typo_in_condition(write_library: WriteLibrary) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    (folder / "content.yaml").write_text(
        content.replace("when: uses_ai", "when: \"'chatbott' in functions\""), encoding="utf-8"
    )
    (message,) = messages(load_library(folder))
    assert "'chatbott' is not one of the values of 'functions'" in message
    assert "Did you mean 'chatbot'?" in message


def test_question_condition_may_not_use_a_later_question(write_library: WriteLibrary) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    content = content.replace(
        "    default: true\n", "    default: true\n    when: functions | length > 0\n", 1
    )
    (folder / "content.yaml").write_text(content, encoding="utf-8")
    (message,) = messages(load_library(folder))
    assert "'functions', which comes later" in message


def test_unknown_field_gets_did_you_mean(write_library: WriteLibrary) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    (folder / "content.yaml").write_text(
        content.replace("    rationale:", "    rationle:"), encoding="utf-8"
    )
    errors = messages(load_library(folder))
    assert any("Unknown field 'rationle'" in m and "Did you mean 'rationale'?" in m for m in errors)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("source: LOU", "source: LUO", "Unknown source 'LUO'"),
        ("[description]", "[descriptoin]", "Unknown verification method 'descriptoin'"),
        ("level: ska", "level: must", "'must' is not an allowed value for 'level'"),
        ("phase: tender", "phase: 3", "must be a text"),
        ("default: true", "default: yes", "does not fit the question"),
    ],
)
def test_wrong_values_are_located(
    write_library: WriteLibrary, old: str, new: str, expected: str
) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    (folder / "content.yaml").write_text(content.replace(old, new, 1), encoding="utf-8")
    errors = messages(load_library(folder))
    assert any(expected in message for message in errors), errors
    assert all("content.yaml:" in message for message in errors)


def test_missing_english_is_a_warning_and_missing_swedish_an_error(
    write_library: WriteLibrary,
) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    content = content.replace("{sv: Första kravet, en: First requirement}", "{sv: Första kravet}")
    content = content.replace("{sv: Beskrivning., en: Description.}", "{en: Description.}")
    (folder / "content.yaml").write_text(content, encoding="utf-8")
    result = load_library(folder)
    assert any(
        "English text is missing in 'title'" in m for m in messages(result, Severity.WARNING)
    )
    assert any("Swedish text is missing in 'evidence'" in m for m in messages(result))


def test_text_with_an_unquoted_comma_gets_a_helpful_hint(write_library: WriteLibrary) -> None:
    folder = write_library()
    content = (folder / "content.yaml").read_text(encoding="utf-8")
    content = content.replace(
        "{sv: Beskrivning., en: Description.}", "{sv: Beskrivning, bilaga, en: Description.}"
    )
    (folder / "content.yaml").write_text(content, encoding="utf-8")
    errors = messages(load_library(folder))
    assert any("Unknown field 'bilaga'" in m and "put it in quotes" in m for m in errors)


def test_library_extending_itself_is_a_cycle(write_library: WriteLibrary) -> None:
    folder = write_library("selfish", library_extra="extends: ./\n")
    (message,) = messages(load_library(folder))
    assert "cycle" in message
    assert "library.yaml:5:10" in message


def test_cycle_between_two_libraries(write_library: WriteLibrary) -> None:
    write_library("one", library_extra="extends: ../two\n", with_minimal_content=False)
    folder = write_library("two", library_extra="extends: ../one\n", with_minimal_content=False)
    (message,) = messages(load_library(folder))
    assert "cycle" in message


def test_unknown_parent(write_library: WriteLibrary) -> None:
    folder = write_library(library_extra="extends: defualt\n", with_minimal_content=False)
    (message,) = messages(load_library(folder, [DEFAULT_LIBRARY.parent]))
    assert "The library 'defualt' does not exist" in message
    assert "Did you mean 'default'?" in message


def test_extend_override_remove_and_place(write_library: WriteLibrary) -> None:
    child = """\
    override:
      requirements:
        - id: AI-MKT-02
          level: ska
    remove:
      requirements: [AI-TRA-01]
    questions:
      - id: own_question
        type: bool
        after: organisation
        prompt: {sv: Egen fråga?, en: Own question?}
        help: {sv: Därför., en: Because.}
        default: false
    """
    folder = write_library(
        "child",
        {"child.yaml": child},
        library_extra="extends: default\n",
        with_minimal_content=False,
    )
    result = load_library(folder, [DEFAULT_LIBRARY.parent])
    assert messages(result) == []
    assert result.library is not None
    ids = [requirement.id for requirement in result.library.requirements]
    assert "AI-TRA-01" not in ids
    overridden = next(r for r in result.library.requirements if r.id == "AI-MKT-02")
    assert overridden.level is Level.SKA
    questions = [question.id for question in result.library.questions]
    assert questions[:2] == ["organisation", "own_question"]
    assert [info.id for info in result.library.chain] == ["default", "child"]


def test_adding_an_inherited_id_asks_for_override(write_library: WriteLibrary) -> None:
    child = (DEFAULT_LIBRARY / "requirements" / "classification.yaml").read_text(encoding="utf-8")
    folder = write_library(
        "child", {"dup.yaml": child}, library_extra="extends: default\n", with_minimal_content=False
    )
    errors = messages(load_library(folder, [DEFAULT_LIBRARY.parent]))
    assert errors
    assert all("already exists in 'default'" in m and "override:" in m for m in errors)


def test_removing_or_overriding_what_does_not_exist(write_library: WriteLibrary) -> None:
    child = """\
    override:
      requirements:
        - {id: AI-NOPE-01, level: ska}
    remove:
      questions: [organisaton]
    """
    folder = write_library(
        "child", {"c.yaml": child}, library_extra="extends: default\n", with_minimal_content=False
    )
    errors = messages(load_library(folder, [DEFAULT_LIBRARY.parent]))
    assert len(errors) == 2
    assert any(
        "Cannot remove 'organisaton'" in m and "Did you mean 'organisation'?" in m for m in errors
    )
    assert any("Cannot override 'AI-NOPE-01'" in m for m in errors)


def test_every_problem_is_reported_at_once(write_library: WriteLibrary) -> None:
    files = {
        "a.yaml": "requirements:\n  - id: X-1\n    area: nowhere\n",
        "b.yaml": "questions: [{id: Bad-Id, type: boolean}]\n",
        "c.yaml": b"namn: \xe5\n",
    }
    errors = messages(load_library(write_library(files=files)))
    assert len(errors) >= 5
    assert {Path(m.split(":")[0]).name for m in errors} >= {"a.yaml", "b.yaml", "c.yaml"}


def test_folder_without_library_yaml(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (message,) = messages(load_library(tmp_path / "empty/"))
    assert "is not a library" in message


def test_a_folder_that_does_not_exist_is_not_said_to_lack_library_yaml(tmp_path: Path) -> None:
    (message,) = messages(load_library(tmp_path / "nothing/"))
    assert "no folder or library named" in message
    assert "library.yaml" not in message


def test_latin1_and_huge_files_in_a_library(write_library: WriteLibrary) -> None:
    folder = write_library(files={"latin.yaml": "questions: []\n# Åtgärd\n".encode("latin-1")})
    with (folder / "huge.yaml").open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    errors = messages(load_library(folder))
    assert any("latin.yaml:2:3: error" in m and "UTF-8" in m for m in errors)
    assert any("huge.yaml: error" in m and "too large" in m for m in errors)


def test_after_keeps_chained_groups_together_and_unknown_after_is_an_error(
    write_library: WriteLibrary,
) -> None:
    child = """\
    questions:
      - id: first_extra
        type: bool
        after: used_on_employees
        prompt: {sv: Extra?, en: Extra?}
        help: {sv: Därför., en: Because.}
        default: false
    """
    folder = write_library(
        "child", {"c.yaml": child}, library_extra="extends: default\n", with_minimal_content=False
    )
    result = load_library(folder, [DEFAULT_LIBRARY.parent])
    assert result.library is not None
    ids = [question.id for question in result.library.questions]
    chain_end = max(ids.index(q.id) for q in result.library.questions if q.id.startswith("impact_"))
    assert ids.index("first_extra") > chain_end
    broken = write_library(
        "broken",
        {"c.yaml": child.replace("used_on_employees", "used_on_employes")},
        library_extra="extends: default\n",
        with_minimal_content=False,
    )
    (message,) = messages(load_library(broken, [DEFAULT_LIBRARY.parent]))
    assert "names the question 'used_on_employes', which does not exist" in message
    assert "Did you mean 'used_on_employees'?" in message


def test_key_dates_must_be_plain_dates(write_library: WriteLibrary) -> None:
    dates = "dates:\n  - id: d\n    date: 2024-01-01T10:00:00\n    label: {sv: Datum, en: Date}\n"
    (message,) = messages(load_library(write_library(files={"dates.yaml": dates})))
    assert "without a time" in message


def test_a_line_break_quoted_from_the_input_keeps_each_problem_on_one_line(
    write_library: WriteLibrary,
) -> None:
    # Found by fuzzing: a key or value holding a line break split the message over two lines.
    content = MINIMAL_CONTENT.replace("type: bool", 'type: "bo\\nol"').replace(
        "    help: {sv: Därför att., en: Because.}\n    default: true",
        '    "he\\nlp": {sv: Därför att., en: Because.}\n    default: true',
    )
    folder = write_library(files={"content.yaml": content})
    assert messages(load_library(folder)) == [
        f"{folder / 'content.yaml'}:8:5: error: Unknown field 'he\\nlp' in the question.\n"
        "    hint: Did you mean 'help'?",
        f"{folder / 'content.yaml'}:6:11: error: 'bo\\nol' is not an allowed value for 'type'.\n"
        "    hint: Did you mean 'bool'?",
    ]
