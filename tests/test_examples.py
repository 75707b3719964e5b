"""The example purchases: each classification checked against the AI Act by hand (docs/examples.md)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli.app import app
from upphandla.interview.sources import AnswerSources, gather_answers
from upphandla.selection.export import selection_to_data
from upphandla.selection.select import select_requirements

runner = CliRunner()

# example: (risk class, FRIA art. 27, registration art. 49(3), DPIA likely)
EXPECTED = {
    "chattbot-medborgare": ("limited", False, False, True),
    "ekonomiskt-bistand": ("high", True, True, True),
    "taligenkanning-vard": ("minimal", False, False, True),
    "cv-granskning": ("high", True, True, True),
    "dokumentsok-intern": ("minimal", False, False, False),
    "ruttplanering-hemtjanst": ("minimal", False, False, True),
    "provrattning-gymnasium": ("high", True, True, True),
    "oversattning-information": ("limited", False, False, False),
    "kliniskt-beslutsstod": ("high", False, False, True),
    "kreditbedomning": ("high", True, False, True),
}

# example: (route, Annex III point, art. 50 paragraphs, classification warnings)
ROUTES = {
    "chattbot-medborgare": ("art50", None, ["50(1)", "50(2)"], []),
    "ekonomiskt-bistand": ("annex_iii", "5a", [], []),
    "taligenkanning-vard": ("none", None, [], []),
    "cv-granskning": ("annex_iii", "4a", [], []),
    "dokumentsok-intern": ("none", None, [], []),
    "ruttplanering-hemtjanst": ("none", None, [], ["employees_without_annex_iii"]),
    "provrattning-gymnasium": ("annex_iii", "3b", ["50(2)"], []),
    "oversattning-information": ("art50", None, ["50(2)", "50(4)"], []),
    "kliniskt-beslutsstod": ("annex_i", None, [], []),
    "kreditbedomning": ("annex_iii", "5b", [], ["registration_scope_unclear"]),
}

# The duties of every deployer of a high-risk system (art. 26(1), (2), (4), (5), (6), (7)).
HIGH_RISK_DUTIES = {
    "use_per_instructions",
    "human_oversight",
    "input_data",
    "monitoring",
    "log_retention",
    "inform_workers",
}
# A public authority using an Annex III system that decides about people (not point 2).
ANNEX_III_AUTHORITY_DUTIES = HIGH_RISK_DUTIES | {
    "registration",
    "inform_persons",
    "fria",
    "explanation_art86",
    "reasons_for_decisions",
}
DUTIES = {
    "chattbot-medborgare": {"ai_literacy", "dpia", "cybersecurity"},
    "ekonomiskt-bistand": {"ai_literacy", "dpia", "outsourcing_secrecy", "cybersecurity"}
    | ANNEX_III_AUTHORITY_DUTIES,
    "taligenkanning-vard": {"ai_literacy", "dpia", "outsourcing_secrecy", "cybersecurity"},
    "cv-granskning": {"ai_literacy", "dpia", "cybersecurity"} | ANNEX_III_AUTHORITY_DUTIES,
    "dokumentsok-intern": {"ai_literacy", "cybersecurity"},
    "ruttplanering-hemtjanst": {
        "ai_literacy",
        "inform_workers",
        "dpia",
        "outsourcing_secrecy",
        "cybersecurity",
    },
    "provrattning-gymnasium": {"ai_literacy", "dpia", "cybersecurity"} | ANNEX_III_AUTHORITY_DUTIES,
    "oversattning-information": {"ai_literacy", "label_deep_fakes", "cybersecurity"},
    # Annex I only: no FRIA, registration, art. 26(11) or art. 86 (those follow Annex III), and
    # clinical decisions are not administrative decisions under förvaltningslagen 32 §.
    "kliniskt-beslutsstod": {"ai_literacy", "dpia", "outsourcing_secrecy", "cybersecurity"}
    | HIGH_RISK_DUTIES,
    # A municipal housing company: FRIA (public-law body and point 5 b), no registration (not a
    # public authority), not covered by förvaltningslagen or cybersäkerhetslagen.
    "kreditbedomning": {"ai_literacy", "dpia", "inform_persons", "fria", "explanation_art86"}
    | HIGH_RISK_DUTIES,
}

# AI Act provisions that bind only high-risk systems (and their providers and deployers).
HIGH_RISK_ONLY_ARTICLES = set(range(8, 28)) | {43, 44, 47, 48, 49, 72, 73, 86}


@functools.cache
def example_data(name: str) -> dict[str, Any]:
    """The JSON export of one example, built as the commands build it."""
    gathered = gather_answers(AnswerSources(answers_path=REPO / "examples" / f"{name}.yaml"))
    assert not gathered.resolved.missing, gathered.resolved.missing
    selection = select_requirements(
        gathered.library, gathered.resolved.values, gathered.resolved.context
    )
    # Through JSON, so that the test sees exactly what `explain --format json` gives.
    data: dict[str, Any] = json.loads(json.dumps(selection_to_data(selection, "sv")))
    return data


def is_high_risk_only(reference: dict[str, Any]) -> bool:
    """Whether an AI Act reference names a provision that binds only high-risk systems."""
    if reference["source"] != "AIA":
        return False
    ref = (reference.get("ref") or "").strip()
    if ref.startswith("Bilaga IV"):
        return True
    match = re.match(r"(\d+)(.*)", ref)
    if match is None:
        return False
    article, rest = int(match.group(1)), match.group(2)
    if article == 49 and rest.startswith("(2)"):
        return False
    return article in HIGH_RISK_ONLY_ARTICLES


def test_every_example_is_listed() -> None:
    names = {path.stem for path in (REPO / "examples").glob("*.yaml")}
    assert names == set(EXPECTED) == set(ROUTES) == set(DUTIES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_classification(name: str) -> None:
    result = runner.invoke(
        app, ["explain", "--answers", str(REPO / "examples" / f"{name}.yaml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    derived = data["derived"]
    assert (
        derived["risk_class"],
        derived["fria_required"],
        derived["registration_required"],
        derived["dpia_required"],
    ) == EXPECTED[name]
    assert data["requirements"], "every purchase gets requirements"
    assert all(requirement["reasons"] for requirement in data["requirements"])


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_example_route_point_and_transparency(name: str) -> None:
    data = example_data(name)
    classification = data["classification"]
    route, point, transparency, warnings = ROUTES[name]
    assert classification["risk_class"] == EXPECTED[name][0]
    assert classification["route"] == route
    assert classification["annex_iii_point"] == point
    assert classification["transparency_duties"] == transparency
    assert data["derived"]["classification_warnings"] == warnings
    assert data["derived"]["high_risk"] == (EXPECTED[name][0] == "high")
    if point is not None and route == "annex_iii":
        # The reason names the exact point, as the beslutsunderlag must.
        assert f"bilaga III punkt {point[0]} {point[1:]}" in classification["reason"]


@pytest.mark.parametrize("name", sorted(DUTIES))
def test_example_buyer_duties(name: str) -> None:
    data = example_data(name)
    duties = {duty["id"] for duty in data["buyer_duties"]}
    assert duties == DUTIES[name]
    for duty in data["buyer_duties"]:
        assert duty["title"], duty["id"]
        assert duty["text"], duty["id"]
        assert duty["references"], duty["id"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_high_risk_provision_binds_a_system_that_is_not_high_risk(name: str) -> None:
    data = example_data(name)
    if data["classification"]["risk_class"] == "high":
        return
    wrong = [
        f"{place}: AIA {reference['ref']}"
        for place, reference in binding_references(data)
        if is_high_risk_only(reference)
    ]
    assert not wrong, wrong


# Provisions that bind only for Annex III systems, not for Annex I products (arts. 26(11), 27,
# 49(3) and 86 name Annex III).
ANNEX_III_ONLY = {"26(11)", "27", "49(3)", "86"}


def binding_references(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every binding reference in the export, with where it is."""
    places = [
        ("classification", data["classification"]["references"]),
        *((f"duty {duty['id']}", duty["references"]) for duty in data["buyer_duties"]),
        *((f"requirement {req['id']}", req["references"]) for req in data["requirements"]),
    ]
    return [
        (place, reference)
        for place, references in places
        for reference in references
        if reference["binding"]
    ]


@pytest.mark.parametrize("name", sorted(n for n, route in ROUTES.items() if route[0] == "annex_i"))
def test_no_annex_iii_duty_binds_an_annex_i_product(name: str) -> None:
    wrong = [
        f"{place}: AIA {reference['ref']}"
        for place, reference in binding_references(example_data(name))
        if reference["source"] == "AIA"
        and any(
            reference["ref"] == ref or reference["ref"].startswith(ref + "(")
            for ref in ANNEX_III_ONLY
        )
    ]
    assert not wrong, wrong


@dataclass(frozen=True)
class Variant:
    """Changed answers on top of an example, and what the classification must then give."""

    example: str
    options: tuple[str, ...]
    risk_class: str
    route: str
    fria: bool = False
    registration: bool = False
    warnings: tuple[str, ...] = ()
    duties: frozenset[str] = frozenset()
    not_duties: frozenset[str] = frozenset()


VARIANTS = {
    # Art. 6(3): a limited task claimed, but the proposals still influence the decisions.
    "exception-but-influences-decisions": Variant(
        "provrattning-gymnasium",
        ("art6_3_exception=preparatory_task",),
        "high",
        "annex_iii",
        fria=True,
        registration=True,
        duties=frozenset({"fria"}),
        not_duties=frozenset({"art6_3_documentation"}),
    ),
    # Art. 6(3) that holds: no profiling, no influence on decisions; the buyer documents it.
    "exception-that-holds": Variant(
        "provrattning-gymnasium",
        (
            "art6_3_exception=preparatory_task",
            "functions=search_summarisation",
            "affects_individuals=false",
        ),
        "minimal",
        "none",
        warnings=("art6_3_exception_relied_on",),
        duties=frozenset({"art6_3_documentation"}),
        not_duties=frozenset({"fria", "registration", "human_oversight"}),
    ),
    # Profiling overrides any exception.
    "profiling-overrides-exception": Variant(
        "ekonomiskt-bistand",
        ("art6_3_exception=narrow_procedural_task",),
        "high",
        "annex_iii",
        fria=True,
        registration=True,
        duties=frozenset({"fria", "registration"}),
    ),
    # Point 5 b: FRIA for every deployer, even a private company; no registration.
    "credit-scoring-by-a-private-company": Variant(
        "kreditbedomning",
        ("buyer_type=private",),
        "high",
        "annex_iii",
        fria=True,
        duties=frozenset({"fria"}),
        not_duties=frozenset({"registration"}),
    ),
    # Point 2: high-risk, but no FRIA, no EU registration and no art. 86 explanation.
    "critical-infrastructure": Variant(
        "ekonomiskt-bistand",
        ("annex_iii_area=critical_infrastructure", "annex_iii_point=2", "profiling=false"),
        "high",
        "annex_iii",
        duties=frozenset({"human_oversight", "monitoring"}),
        not_duties=frozenset({"fria", "registration", "explanation_art86"}),
    ),
    # Biometrics without an Annex III area: a warning, never a silent art. 50 case.
    "biometrics-without-area": Variant(
        "dokumentsok-intern",
        ("functions=biometrics",),
        "minimal",
        "none",
        warnings=("biometrics_without_annex_iii",),
    ),
    # A point that does not belong to the area: classified by the point, with a warning.
    "point-outside-area": Variant(
        "cv-granskning",
        ("annex_iii_point=5a",),
        "high",
        "annex_iii",
        fria=True,
        registration=True,
        warnings=("annex_iii_point_outside_area",),
    ),
    # Art. 50(1) covers a chatbot for staff as well as one for residents.
    "chatbot-for-staff": Variant(
        "chattbot-medborgare", ("citizen_facing=false",), "limited", "art50"
    ),
    # Annex I without a notified body is not high-risk through Annex I.
    "medical-device-without-notified-body": Variant(
        "kliniskt-beslutsstod",
        ("annex_i_third_party_assessment=false",),
        "minimal",
        "none",
        not_duties=frozenset({"human_oversight"}),
    ),
}


@functools.cache
def variant_data(example: str, options: tuple[str, ...]) -> dict[str, Any]:
    """The JSON export of an example with some answers changed, as ``--set`` changes them."""
    sources = AnswerSources(answers_path=REPO / "examples" / f"{example}.yaml", set_options=options)
    gathered = gather_answers(sources)
    assert not gathered.resolved.missing, gathered.resolved.missing
    selection = select_requirements(
        gathered.library, gathered.resolved.values, gathered.resolved.context
    )
    data: dict[str, Any] = json.loads(json.dumps(selection_to_data(selection, "sv")))
    return data


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_classification_variants(name: str) -> None:
    variant = VARIANTS[name]
    data = variant_data(variant.example, variant.options)
    assert data["classification"]["risk_class"] == variant.risk_class
    assert data["classification"]["route"] == variant.route
    assert data["derived"]["fria_required"] is variant.fria
    assert data["derived"]["registration_required"] is variant.registration
    assert data["derived"]["classification_warnings"] == list(variant.warnings)
    duties = {duty["id"] for duty in data["buyer_duties"]}
    assert variant.duties <= duties, variant.duties - duties
    assert not variant.not_duties & duties, variant.not_duties & duties
    if name == "chatbot-for-staff":
        assert "50(1)" in data["classification"]["transparency_duties"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_explains_in_english_too(name: str) -> None:
    result = runner.invoke(
        app, ["explain", "--answers", str(REPO / "examples" / f"{name}.yaml"), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "Classification under the AI Act" in result.stdout
    assert "not legal advice" in result.stdout


def _counts_at_bas(name: str) -> tuple[str, int, int]:
    gathered = gather_answers(
        AnswerSources(
            answers_path=REPO / "examples" / f"{name}.yaml", set_options=("ambition=bas",)
        )
    )
    selection = select_requirements(
        gathered.library, gathered.resolved.values, gathered.resolved.context
    )
    data = selection_to_data(selection, "sv")
    levels = [item["level"] for item in data["requirements"]]
    return str(selection.risk_class), levels.count("ska"), len(levels)


def test_proportionate_at_the_basic_level() -> None:
    """A limited-risk purchase carries fewer SKA than any high-risk one; a light one is short."""
    counts = {
        path.stem: _counts_at_bas(path.stem) for path in sorted((REPO / "examples").glob("*.yaml"))
    }
    high = [ska for risk, ska, _ in counts.values() if risk == "high"]
    limited = [ska for risk, ska, _ in counts.values() if risk == "limited"]
    assert high
    assert limited
    assert max(limited) < min(high)
    _, ska, total = counts["dokumentsok-intern"]
    assert total <= 35
    assert ska < min(high)
