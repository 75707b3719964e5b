"""LOU's requirement types, SKA wording, references that bind or guide, duties and dates.

Every rule of issue 10's "bad input" list is a test: one located message per problem, exit 1.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import WriteLibrary
from upphandla.cli.app import app
from upphandla.errors import Severity
from upphandla.library.loading import LoadResult, load_library
from upphandla.library.model import DateStatus, Kind, Level
from upphandla.selection.select import select_requirements

BASE_REQUIREMENT = """\
  - id: {id}
    area: general
    title: {{sv: Krav {id}, en: Requirement {id}}}
    text: {{sv: "{sv}", en: "{en}"}}
    level: {level}
    kind: {kind}
    verification: [{verification}]
    evidence: {{sv: Beskrivning., en: Description.}}
    phase: tender
    references: [{references}]
    rationale: {{sv: Därför., en: Because.}}
{extra}"""

QUESTIONS = """\
areas:
  - id: general
    title: {sv: Allmänt, en: General}
questions:
  - id: risk
    type: single
    prompt: {sv: Risk?, en: Risk?}
    help: {sv: Därför att., en: Because.}
    default: low
    choices:
      - {value: low, label: {sv: Låg, en: Low}}
      - {value: high, label: {sv: Hög, en: High}}
  - id: point
    type: single
    prompt: {sv: Punkt?, en: Point?}
    help: {sv: Därför att., en: Because.}
    default: "5a"
    choices:
      - {value: "5a", label: {sv: Punkt 5 a, en: Point 5(a)}}
      - {value: "2", label: {sv: Punkt 2, en: Point 2}}
  - id: targets
    type: text
    prompt: {sv: Nivåer?, en: Levels?}
    help: {sv: Därför att., en: Because.}
    required: false
    default: ""
derived:
  - id: high_risk
    label: {sv: Hög risk, en: High risk}
    expression: risk == 'high'
duties:
  - id: fria
    title: {sv: Konsekvensbedömning, en: Impact assessment}
    text: {sv: Gör en bedömning., en: Make an assessment.}
    when: high_risk and point != '2'
    references: [{source: AIA, ref: "27"}]
    applies_from: annex_iii
dates:
  - id: annex_iii
    date: 2027-12-02
    label: {sv: Bilaga III gäller, en: Annex III applies}
    status: adopted
    source: {sv: Omnibusförordningen, en: The omnibus}
    original_date: 2026-08-02
requirements:
"""


def requirement(
    rid: str = "R-1",
    *,
    level: str = "ska",
    kind: str = "specification",
    sv: str = "Lösningen ska logga.",
    en: str = "The solution shall log.",
    verification: str = "description",
    references: str = '{source: LOU, ref: "9 kap."}',
    extra: str = "",
) -> str:
    return BASE_REQUIREMENT.format(
        id=rid,
        level=level,
        kind=kind,
        sv=sv,
        en=en,
        verification=verification,
        references=references,
        extra=extra,
    )


def load(write_library: WriteLibrary, *requirements: str) -> LoadResult:
    content = QUESTIONS + "".join(requirements)
    folder = write_library(files={"content.yaml": content}, with_minimal_content=False)
    return load_library(folder)


def errors(result: LoadResult) -> list[str]:
    return [p.render("en") for p in result.problems if p.severity is Severity.ERROR]


def warnings(result: LoadResult) -> list[str]:
    return [p.render("en") for p in result.problems if p.severity is Severity.WARNING]


LOCATED = re.compile(r"content\.yaml:\d+:\d+: error: ")


def test_a_complete_library_with_every_new_field_is_clean(write_library: WriteLibrary) -> None:
    result = load(
        write_library,
        requirement(
            "R-BOR",
            level="bor",
            kind="award",
            sv="Det är meriterande om lösningen loggar mer.",
            en="It is an advantage if the solution logs more.",
            references='{source: AIA, ref: "12", when: high_risk}, {source: MCC-HR, ref: "5"}',
            extra="""\
    evaluation: {points: 10}
    escalate:
      - {when: high_risk, level: ska}
    ska:
      kind: specification
      text: {sv: Lösningen ska logga allt., en: The solution shall log everything.}
    supports: [fria]
    buyer_input: [targets]
""",
        ),
    )
    assert errors(result) == []
    assert warnings(result) == []
    library = result.library
    assert library is not None
    (item,) = library.requirements
    assert item.kind is Kind.AWARD
    assert item.ska is not None
    assert item.ska.kind is Kind.SPECIFICATION
    assert item.wording(Level.SKA).text.sv == "Lösningen ska logga allt."
    assert item.wording(Level.SKA).title == item.title
    assert item.wording(Level.BOR).text == item.text
    assert item.supports == ("fria",)
    assert item.buyer_input == ("targets",)
    (key_date,) = library.dates
    assert key_date.status is DateStatus.ADOPTED
    assert not key_date.settled
    assert key_date.original_date is not None
    assert [duty.id for duty in library.duties] == ["fria"]
    assert [choice.value for choice in library.questions[1].choices] == ["5a", "2"]


def test_escalated_requirement_without_ska_text(write_library: WriteLibrary) -> None:
    result = load(
        write_library,
        requirement(
            level="bor",
            kind="award",
            sv="Lösningen bör logga.",
            en="The solution should log.",
            extra="    evaluation: {points: 5}\n    escalate:\n      - {when: high_risk}\n",
        ),
    )
    (message,) = errors(result)
    assert LOCATED.search(message), message
    assert "can become SKA but has no ska: block" in message


def test_escalation_takes_the_ska_wording_in_the_selection(write_library: WriteLibrary) -> None:
    result = load(
        write_library,
        requirement(
            level="bor",
            kind="award",
            sv="Lösningen bör logga.",
            en="The solution should log.",
            extra="""\
    evaluation: {points: 5}
    escalate:
      - {when: high_risk}
    ska:
      kind: contract
      title: {sv: Loggning under avtalet, en: Logging during the contract}
      text: {sv: Leverantören ska logga., en: The supplier shall log.}
""",
        ),
    )
    library = result.library
    assert library is not None
    context = {"risk": "high", "point": "5a", "targets": ""}
    (item,) = select_requirements(library, context, context).included
    assert item.level is Level.SKA
    assert item.kind is Kind.CONTRACT
    assert item.wording.text.sv == "Leverantören ska logga."
    assert item.wording.title.sv == "Loggning under avtalet"
    low = {**context, "risk": "low"}
    (plain,) = select_requirements(library, low, low).included
    assert plain.kind is Kind.AWARD
    assert plain.wording.text.sv == "Lösningen bör logga."


@pytest.mark.parametrize(
    ("sv", "en", "word"),
    [
        ("Lösningen bör logga.", "The solution shall log.", "'bör'"),
        ("Lösningen ska logga; det ger poäng.", "The solution shall log.", "'poäng'"),
        ("Lösningen ska logga, annars prisavdrag.", "The solution shall log.", "'prisavdrag'"),
        ("Lösningen ska logga.", "The solution should log.", "'should'"),
        ("Lösningen ska logga.", "The solution shall log for points.", "'points'"),
    ],
)
def test_a_ska_text_never_reads_as_optional_or_scored(
    write_library: WriteLibrary, sv: str, en: str, word: str
) -> None:
    (message,) = errors(load(write_library, requirement(sv=sv, en=en)))
    assert LOCATED.search(message), message
    assert word in message


def test_the_ska_block_is_checked_too(write_library: WriteLibrary) -> None:
    result = load(
        write_library,
        requirement(
            level="bor",
            kind="award",
            sv="Lösningen bör logga.",
            en="The solution should log.",
            extra="""\
    evaluation: {points: 5}
    escalate:
      - {when: high_risk}
    ska:
      kind: specification
      text: {sv: Lösningen bör logga allt., en: The solution shall log everything.}
""",
        ),
    )
    (message,) = errors(result)
    assert "ska.text of the SKA requirement 'R-1' (sv) contains 'bör'" in message


def test_a_bor_is_an_award_criterion(write_library: WriteLibrary) -> None:
    result = load(
        write_library,
        requirement(
            level="bor",
            kind="qualification",
            sv="Det är meriterande.",
            en="It is an advantage.",
            extra="    evaluation: {points: 5}\n",
        ),
    )
    (message,) = errors(result)
    assert LOCATED.search(message), message
    assert "A BÖR requirement is an award criterion" in message


def test_an_award_criterion_is_never_mandatory(write_library: WriteLibrary) -> None:
    (message,) = errors(load(write_library, requirement(kind="award")))
    assert "An award criterion is scored and is always BÖR" in message


def test_an_unknown_kind(write_library: WriteLibrary) -> None:
    (message,) = errors(load(write_library, requirement(kind="wish")))
    assert LOCATED.search(message), message
    assert "'wish' is not an allowed value for 'kind'" in message


def test_a_missing_kind_is_inferred_with_a_warning(write_library: WriteLibrary) -> None:
    text = requirement().replace("    kind: specification\n", "")
    result = load(write_library, text)
    assert errors(result) == []
    (message,) = warnings(result)
    assert "has no kind:" in message
    assert result.library is not None
    assert result.library.requirements[0].kind is Kind.SPECIFICATION


def test_a_certificate_is_no_award_criterion(write_library: WriteLibrary) -> None:
    result = load(
        write_library,
        requirement(
            level="bor",
            kind="award",
            sv="Det är meriterande med ett certifikat.",
            en="It is an advantage to hold a certificate.",
            verification="certificate",
            extra="    evaluation: {points: 5}\n",
        ),
    )
    (message,) = warnings(result)
    assert "C-532/06" in message


def test_reference_condition_naming_an_unknown_value(write_library: WriteLibrary) -> None:
    result = load(
        write_library,
        requirement(references='{source: AIA, ref: "27", when: "point == \'5x\'"}'),
    )
    (message,) = errors(result)
    assert LOCATED.search(message), message
    assert "'5x' is not one of the values of 'point'" in message


def test_reference_condition_naming_an_unknown_name(write_library: WriteLibrary) -> None:
    result = load(write_library, requirement(references='{source: AIA, ref: "14", when: hig_risk}'))
    (message,) = errors(result)
    assert "'hig_risk'" in message
    assert "high_risk" in message  # did you mean


def test_a_high_risk_only_article_without_a_condition_warns(write_library: WriteLibrary) -> None:
    result = load(write_library, requirement(references='{source: AIA, ref: "14(4)"}'))
    assert errors(result) == []
    (message,) = warnings(result)
    assert "AI Act Art. 14(4), which binds high-risk systems only" in message
    guided = load(write_library, requirement(references='{source: AIA, ref: "49(2)"}'))
    assert warnings(guided) == []


def test_unknown_duty_and_question_links(write_library: WriteLibrary) -> None:
    result = load(
        write_library, requirement(extra="    supports: [fra]\n    buyer_input: [target]\n")
    )
    messages = errors(result)
    assert len(messages) == 2
    assert "names the duty 'fra'" in messages[0]
    assert "names the question 'target'" in messages[1]


def test_duty_with_unknown_date_and_condition(write_library: WriteLibrary) -> None:
    content = (
        QUESTIONS.replace("when: high_risk and point != '2'", "when: high_rsk").replace(
            "applies_from: annex_iii", "applies_from: annex_3"
        )
        + requirement()
    )
    folder = write_library(files={"content.yaml": content}, with_minimal_content=False)
    messages = errors(load_library(folder))
    assert len(messages) == 2
    assert any("'high_rsk'" in message for message in messages)
    assert any("names the date 'annex_3'" in message for message in messages)


def test_binding_follows_the_condition_and_the_source(write_library: WriteLibrary) -> None:
    result = load(
        write_library,
        requirement(
            references='{source: AIA, ref: "14", when: high_risk}, {source: MCC-HR, ref: "7"}, '
            '{source: AIA, ref: "13", binding: false}, {source: LOU, ref: "9 kap."}'
        ),
    )
    library = result.library
    assert library is not None
    low = {"risk": "low", "point": "5a", "targets": ""}
    high = {**low, "risk": "high"}
    references = library.requirements[0].references
    assert [select_requirements(library, low, low).binds(r) for r in references] == [
        False,
        False,
        False,
        True,
    ]
    assert [select_requirements(library, high, high).binds(r) for r in references] == [
        True,
        False,
        False,
        True,
    ]


def test_duties_apply_by_their_condition(write_library: WriteLibrary) -> None:
    library = load(write_library, requirement()).library
    assert library is not None
    high = {"risk": "high", "point": "5a", "targets": ""}
    point_two = {**high, "point": "2"}
    assert [d.id for d in select_requirements(library, high, high).duties] == ["fria"]
    assert select_requirements(library, point_two, point_two).duties == ()


def test_an_extending_library_overrides_and_removes_duties(
    write_library: WriteLibrary,
) -> None:
    parent = write_library(
        "parent", files={"content.yaml": QUESTIONS + requirement()}, with_minimal_content=False
    )
    child = write_library(
        "child",
        files={
            "content.yaml": """\
            override:
              duties:
                - id: fria
                  title: {sv: Vår bedömning, en: Our assessment}
            duties:
              - id: own_duty
                title: {sv: Egen, en: Own}
                text: {sv: Gör detta., en: Do this.}
            """
        },
        library_extra=f"extends: {parent}\n",
        with_minimal_content=False,
    )
    library = load_library(child).library
    assert library is not None
    assert [(d.id, d.title.sv) for d in library.duties] == [
        ("fria", "Vår bedömning"),
        ("own_duty", "Egen"),
    ]
    removing = write_library(
        "removing",
        files={"content.yaml": "remove:\n  duties: [fria]\n"},
        library_extra=f"extends: {parent}\n",
        with_minimal_content=False,
    )
    removed = load_library(removing).library
    assert removed is not None
    assert removed.duties == ()


def test_library_check_reports_every_problem_and_exits_1(write_library: WriteLibrary) -> None:
    content = QUESTIONS + requirement(kind="wish") + requirement(
        "R-2", level="bor", kind="award", sv="Lösningen bör.", en="The solution should.",
        extra="    evaluation: {points: 5}\n    escalate:\n      - {when: high_risk}\n"
        "    ska: {kind: award}\n",
    )  # fmt: skip
    folder = write_library(files={"content.yaml": content}, with_minimal_content=False)
    result = CliRunner().invoke(app, ["library", "check", str(folder), "--lang", "en"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    located = [line for line in result.output.splitlines() if LOCATED.search(line)]
    assert len(located) == 2, result.output


def test_applies_from_may_name_a_derived_date(write_library: WriteLibrary) -> None:
    derived_date = (
        "  - id: which_date\n"
        "    label: {sv: Datum, en: Date}\n"
        "    expression: \"'annex_iii' if high_risk else 'later'\"\n"
    )
    later = "  - id: later\n    date: 2028-08-02\n    label: {sv: Senare, en: Later}\n"
    content = QUESTIONS.replace("duties:\n", derived_date + "duties:\n").replace(
        "dates:\n", "dates:\n" + later
    ) + requirement(extra="    applies_from: which_date\n")
    folder = write_library(files={"content.yaml": content}, with_minimal_content=False)
    result = load_library(folder)
    assert errors(result) == []
    library = result.library
    assert library is not None
    low = {"risk": "low", "point": "5a", "targets": ""}
    high = {**low, "risk": "high"}
    for answers, expected in ((low, "later"), (high, "annex_iii")):
        selection = select_requirements(library, answers, answers)
        found = selection.key_date(library.requirements[0].applies_from)
        assert found is not None
        assert found.id == expected


def test_overriding_the_level_brings_that_levels_wording(write_library: WriteLibrary) -> None:
    escalating = requirement(
        level="bor",
        kind="award",
        sv="Det är meriterande om lösningen loggar.",
        en="It is an advantage if the solution logs.",
        extra="""\
    evaluation: {points: 5}
    escalate:
      - {when: high_risk}
    ska:
      kind: contract
      text: {sv: Leverantören ska logga., en: The supplier shall log.}
""",
    )
    parent = write_library(
        "parent", files={"content.yaml": QUESTIONS + escalating}, with_minimal_content=False
    )
    child = write_library(
        "child",
        files={"content.yaml": "override:\n  requirements:\n    - {id: R-1, level: ska}\n"},
        library_extra=f"extends: {parent}\n",
        with_minimal_content=False,
    )
    result = load_library(child)
    assert errors(result) == []
    assert result.library is not None
    (made_mandatory,) = result.library.requirements
    assert made_mandatory.level is Level.SKA
    assert made_mandatory.kind is Kind.CONTRACT
    assert made_mandatory.text.sv == "Leverantören ska logga."


def test_ids_the_code_reads_must_have_the_expected_kind(write_library: WriteLibrary) -> None:
    content = (
        QUESTIONS.replace(
            "  - id: targets\n",
            "  - id: ambition\n"
            "    type: text\n"
            "    prompt: {sv: Ambition?, en: Ambition?}\n"
            "    help: {sv: Därför att., en: Because.}\n"
            "    required: false\n"
            "  - id: evaluation_model\n"
            "    type: single\n"
            "    prompt: {sv: Modell?, en: Model?}\n"
            "    help: {sv: Därför att., en: Because.}\n"
            "    default: points\n"
            "    choices:\n"
            "      - {value: points, label: {sv: Poäng, en: Points}}\n"
            "      - {value: lottery, label: {sv: Lotteri, en: Lottery}}\n"
            "  - id: risk_class\n"
            "    type: bool\n"
            "    prompt: {sv: Risk?, en: Risk?}\n"
            "    help: {sv: Därför att., en: Because.}\n"
            "  - id: targets\n",
        )
        + requirement()
    )
    folder = write_library(files={"content.yaml": content}, with_minimal_content=False)
    messages = errors(load_library(folder))
    assert len(messages) == 3, messages
    assert all(LOCATED.search(message) for message in messages)
    assert "'ambition' is read by upphandla and must have type: single, not text" in messages[0]
    assert "The choice 'lottery' of 'evaluation_model' has no meaning to upphandla" in messages[1]
    assert "'risk_class' is computed by upphandla and must be a derived value" in messages[2]


def test_a_requirement_may_follow_the_law_date(write_library: WriteLibrary) -> None:
    text = requirement(extra="    applies_from: annex_iii\n    from_law_date: true\n")
    result = load(write_library, text)
    assert errors(result) == []
    assert result.library is not None
    assert result.library.requirements[0].from_law_date is True
    plain = load(write_library, requirement(extra="    applies_from: annex_iii\n"))
    assert plain.library is not None
    assert plain.library.requirements[0].from_law_date is False


# ``not_in_ska_text`` skips the case-insensitive search for a text that cannot match; it must
# find what the search finds, also for letters that IGNORECASE takes for others (U+017F for s,
# U+0130 and U+0131 for i, the Kelvin sign for k) and texts beyond Latin-1.

_SKA_ALPHABET = (
    "aäbdgnoöprvAÄBDGNOÖPRV shouldpintecSHOULDPINTEC_1-.,\n\u017f\u0130\u0131\u212a\u00e5\u00c5"
)


@given(st.text(alphabet=_SKA_ALPHABET, max_size=40), st.sampled_from(["sv", "en"]))
@settings(max_examples=400)
def test_the_ska_word_check_finds_what_the_search_finds(text: str, language: str) -> None:
    from upphandla.library.checking import _NOT_IN_SKA_TEXT, not_in_ska_text

    for sample in (text, f"x {text} y", "bör " + text, text + " should"):
        fast = not_in_ska_text(sample, language)
        searched = _NOT_IN_SKA_TEXT[language].search(sample)
        assert (fast and (fast.span(), fast.group(0))) == (
            searched and (searched.span(), searched.group(0))
        )


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("Leverantören BÖR lämna", "sv", "BÖR"),
        ("ger Poängen", "sv", "Poängen"),
        ("utan prisavdrag.", "sv", "prisavdrag"),
        ("it \u017fhould work", "en", "\u017fhould"),
        ("no Po\u0130nts", "en", "Po\u0130nts"),
        ("deductions apply", "en", "deductions"),
        ("börja nu", "sv", None),
        ("shoulder", "en", None),
    ],
)
def test_the_ska_word_check_on_known_words(text: str, language: str, word: str | None) -> None:
    from upphandla.library.checking import not_in_ska_text

    found = not_in_ska_text(text, language)
    assert (found.group(0) if found else None) == word
