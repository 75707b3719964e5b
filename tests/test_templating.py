"""Document templates run in the sandbox, and their mistakes are located."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import write_files
from upphandla.documents.context import annex_iii_point_label, build_context
from upphandla.documents.form import FIELD_PROMPTS
from upphandla.documents.markup import parse_markup
from upphandla.documents.templating import TemplateSet
from upphandla.errors import ProblemsError
from upphandla.interview.answers import resolve_answers
from upphandla.library.loading import require_library
from upphandla.library.model import Library
from upphandla.resources import BUNDLED_TEMPLATES, bundled_dir
from upphandla.selection.award_model import comparison_figure, weighting_of
from upphandla.selection.select import Selection, select_requirements
from upphandla.text import Language

FIXTURE = Path(__file__).parent / "fixtures" / "selection_library"


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


def test_bundled_templates_come_precompiled_and_current() -> None:
    import compile_templates

    assert compile_templates.main(["--check"]) == 0, "run python tools/compile_templates.py"
    for language in ("sv", "en"):
        templates = TemplateSet([bundled_dir(BUNDLED_TEMPLATES)], language)
        template = templates.environment.get_template("kravbilaga.md.j2")
        assert template.root_render_func.__code__.co_filename.endswith(
            f"compiled/{language}_kravbilaga_md.py"
        )
        assert template.filename == str(
            bundled_dir(BUNDLED_TEMPLATES) / language / "kravbilaga.md.j2"
        )


def test_a_precompiled_template_is_not_used_once_its_source_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upphandla.documents import templating

    bundled = tmp_path / "bundled"
    source = (bundled_dir(BUNDLED_TEMPLATES) / "sv" / "kravbilaga.md.j2").read_text("utf-8")
    write_files(bundled, {"sv/kravbilaga.md.j2": "ändrad {{ 1 + 1 }}\n" + source[:0]})
    monkeypatch.setattr(templating, "bundled_dir", lambda _name: bundled)
    templates = TemplateSet([bundled], "sv")
    assert templates.render("kravbilaga.md.j2", {}) == "ändrad 2\n"


def test_an_error_in_a_precompiled_template_names_the_template_file() -> None:
    templates = TemplateSet([bundled_dir(BUNDLED_TEMPLATES)], "sv")
    with pytest.raises(ProblemsError) as caught:
        templates.render("kravbilaga.md.j2", {})
    location = caught.value.problems[0].location
    assert location.file == bundled_dir(BUNDLED_TEMPLATES) / "sv" / "kravbilaga.md.j2"
    assert location.line is not None


def test_missing_template(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError) as caught:
        TemplateSet([tmp_path], "sv").render("saknas.md.j2", {})
    assert "does not exist" in caught.value.problems[0].render("en")


# ---------------------------------------------------------------------------------------------
# The bundled tender templates on a small library that has every kind of requirement
# ---------------------------------------------------------------------------------------------

PACKAGE_LIBRARY = """\
areas:
  - id: general
    title: {sv: Allmänt, en: General}
dates:
  - id: law_now
    date: 2025-02-02
    label: {sv: Nu, en: Now}
  - id: law_later
    date: 2027-12-02
    label: {sv: Högrisk, en: High-risk}
    status: adopted
    source: {sv: Omnibusförordningen om AI, en: Digital Omnibus on AI}
    original_date: 2026-08-02
questions:
  - id: organisation
    type: text
    prompt: {sv: Organisation?, en: Organisation?}
    help: {sv: Namn., en: Name.}
    default: Testkommun
  - id: annex_iii_area
    type: single
    label: {sv: Område i bilaga III, en: Annex III area}
    prompt: {sv: Område?, en: Area?}
    help: {sv: Bilaga III., en: Annex III.}
    default: none
    choices:
      - {value: none, label: {sv: Inget, en: None}}
      - {value: essential_services, label: {sv: Samhällstjänster, en: Essential services}}
  - id: annex_iii_point
    type: single
    label: {sv: Punkt i bilaga III, en: Annex III point}
    when: annex_iii_area != 'none'
    prompt: {sv: Punkt?, en: Point?}
    help: {sv: Punkt., en: Point.}
    default: "5a"
    choices:
      - {value: "5a", label: {sv: "5 a Rätt till offentligt stöd", en: "5 a Eligibility for public assistance"}}
      - {value: "5b", label: {sv: "5 b Kreditvärdighet", en: "5 b Creditworthiness"}}
  - id: chatbot
    type: bool
    label: {sv: Chattbot, en: Chatbot}
    prompt: {sv: Chattbot?, en: Chatbot?}
    help: {sv: Artikel 50., en: Article 50.}
    default: false
  - id: accuracy_targets
    type: text
    label: {sv: Nivåer för noggrannhet, en: Accuracy levels}
    prompt: {sv: Vilka nivåer för noggrannhet gäller?, en: Which accuracy levels apply?}
    help: {sv: Nivåer., en: Levels.}
    required: false
    default: ""
  - id: evaluation_model
    type: single
    label: {sv: Utvärderingsmodell, en: Evaluation model}
    prompt: {sv: Modell?, en: Model?}
    help: {sv: LOU., en: LOU.}
    default: points
    choices:
      - {value: pass_fail, label: {sv: Endast ska-krav, en: Mandatory requirements only}}
      - {value: points, label: {sv: Poäng, en: Points}}
      - {value: price_deduction_sek, label: {sv: Prisavdrag i kronor, en: Price deduction in SEK}}
      - {value: price_deduction_percent, label: {sv: Prisavdrag i procent, en: Price deduction in per cent}}
  - id: quality_weight
    type: number
    label: {sv: Kvalitetsvikt, en: Quality weight}
    when: evaluation_model == 'points'
    prompt: {sv: Vikt?, en: Weight?}
    help: {sv: Procent., en: Per cent.}
    default: 30
    min: 1
    max: 50
derived:
  - id: high_risk
    label: {sv: Högrisk, en: High risk}
    expression: annex_iii_area != 'none'
  - id: risk_class
    label: {sv: Riskklass, en: Risk class}
    values:
      - {value: high, label: {sv: Hög risk, en: High risk}}
      - {value: limited, label: {sv: Begränsad risk, en: Limited risk}}
      - {value: minimal, label: {sv: Minimal risk, en: Minimal risk}}
    cases:
      - when: high_risk
        value: high
        reason: {sv: Bilaga III., en: Annex III.}
        references: [{source: AIA, ref: "6(2)"}]
      - when: chatbot
        value: limited
        reason: {sv: Artikel 50., en: Article 50.}
        references: [{source: AIA, ref: "50"}]
    otherwise: minimal
  - id: transparency_duties
    label: {sv: Transparensskyldigheter, en: Transparency duties}
    expression: "['50(1)'] if chatbot else []"
  - id: ai_act_route
    label: {sv: Väg genom AI-förordningen, en: Route through the AI Act}
    values:
      - {value: annex_iii, label: {sv: Högrisk genom bilaga III (artikel 6.2), en: High-risk through Annex III (Article 6(2))}}
    expression: "'annex_iii' if high_risk else 'art50' if chatbot else 'none'"
  - id: high_risk_date
    label: {sv: Datum för högrisk, en: High-risk date}
    expression: "'law_later'"
  - id: classification_warnings
    label: {sv: Att kontrollera, en: To check}
    values:
      - {value: chatbot_high, label: {sv: Kontrollera chattboten., en: Check the chatbot.}}
    expression: "['chatbot_high'] if chatbot and high_risk else []"
duties:
  - id: literacy
    title: {sv: AI-kunnighet, en: AI literacy}
    text: {sv: Se till att personalen kan AI., en: Make sure the staff know AI.}
    references: [{source: AIA, ref: "4"}]
    applies_from: law_now
  - id: registration
    title: {sv: Registrering i EU:s databas, en: Registration in the EU database}
    text: {sv: Registrera användningen., en: Register the use.}
    when: high_risk
    references: [{source: AIA, ref: "49(3)", when: high_risk}]
    applies_from: law_later
requirements:
  - id: Q-1
    area: general
    title: {sv: Certifierad leverantör, en: Certified supplier}
    text: {sv: Leverantören ska vara certifierad., en: The supplier shall be certified.}
    level: ska
    kind: qualification
    verification: [certificate]
    evidence: {sv: Certifikat., en: Certificate.}
    phase: tender
    references: [{source: LOU, ref: "14 kap."}]
    rationale: {sv: Leverantören måste klara uppdraget., en: The supplier must manage the task.}
  - id: S-1
    area: general
    title: {sv: Noggrannhet, en: Accuracy}
    text: {sv: Lösningen ska nå de nivåer som anges nedan., en: The solution shall meet the levels given below.}
    level: ska
    kind: specification
    buyer_input: [accuracy_targets]
    verification: [test]
    evidence: {sv: Testrapport., en: Test report.}
    phase: tender
    references:
      - {source: AIA, ref: "15(1)", when: high_risk}
      - {source: MCC-HR, ref: "8"}
    rationale: {sv: Lösningen måste vara tillräckligt bra., en: The solution must be good enough.}
    tags: [FM2]
  - id: A-1
    area: general
    title: {sv: Granskning, en: Review}
    text: {sv: Lösningen bör kunna granskas. Poäng eller prisavdrag ges om den kan det., en: The solution should be reviewable. Points or a deduction are given if it is.}
    level: bor
    kind: award
    evaluation: {points: 10, deduction_sek: 50000, deduction_percent: 2}
    escalate:
      - when: high_risk
        level: ska
        reason: {sv: Systemet är högrisk., en: The system is high-risk.}
    ska:
      kind: specification
      text: {sv: Lösningen ska kunna granskas., en: The solution shall be reviewable.}
    verification: [demonstration]
    evidence: {sv: Visning., en: Showing.}
    phase: tender
    references: [{source: LOU, ref: "16 kap. 1 §"}]
    rationale: {sv: Granskning hittar fel., en: Review finds faults.}
  - id: A-2
    area: general
    title: {sv: Energi, en: Energy}
    text: {sv: Lösningen bör redovisa sin energianvändning., en: The solution should report its energy use.}
    level: bor
    kind: award
    evaluation: {points: 30, deduction_sek: 25000, deduction_percent: 1.5}
    verification: [document]
    evidence: {sv: Rapport., en: Report.}
    phase: tender
    references: [{source: LOU, ref: "16 kap. 1 §"}]
    rationale: {sv: Energi kostar., en: Energy costs.}
  - id: C-1
    area: general
    title: {sv: Registrering av systemet, en: Registration of the system}
    text: {sv: Leverantören ska registrera systemet vid avtalsstart., en: The supplier shall register the system at contract start.}
    level: ska
    kind: contract
    verification: [document]
    evidence: {sv: Registreringsnummer., en: Registration number.}
    phase: contract_start
    applies_from: high_risk_date
    supports: [registration]
    references:
      - {source: LOU, ref: "17 kap. 1 §"}
      - {source: AIA, ref: "49(1)", when: high_risk}
    rationale: {sv: Ni får bara använda registrerade system., en: You may use only registered systems.}
  - id: T-1
    area: general
    title: {sv: Upplysning om AI, en: Disclosure of AI}
    when: chatbot
    text: {sv: Lösningen ska tala om att den är en AI., en: The solution shall say that it is an AI.}
    level: ska
    kind: specification
    verification: [demonstration]
    evidence: {sv: Visning., en: Showing.}
    phase: tender
    applies_from: law_now
    references: [{source: AIA, ref: "50(1)"}]
    rationale: {sv: Människor ska veta., en: People must know.}
"""

TODAY = datetime.date(2026, 11, 27)
HIGH = {"annex_iii_area": "essential_services", "annex_iii_point": "5a"}
ADOPTED_DATE = (
    "2 december 2027 enligt omnibusförordningen om AI, som är antagen men ännu inte publicerad i "
    "EU:s officiella tidning; enligt AI-förordningen i dess nuvarande lydelse 2 augusti 2026"
)


@pytest.fixture(scope="module")
def package_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = write_files(
        tmp_path_factory.mktemp("package"),
        {
            "library.yaml": 'format: 1\nid: package\nname: {sv: Paket, en: Package}\nversion: "1.0.0"\n',
            "content.yaml": PACKAGE_LIBRARY,
        },
    )
    return require_library(folder)[0]


def package(
    library: Library, defaulted: frozenset[str] = frozenset(), /, **answers: Any
) -> Selection:
    resolved = resolve_answers(library, answers, use_defaults=True)
    return select_requirements(library, resolved.values, resolved.context, defaulted=defaulted)


def documents(selection: Selection, language: Language = "sv") -> dict[str, str]:
    """The template output (markup) of the three tender documents; each must parse."""
    context = build_context(selection, language, TODAY)
    templates = TemplateSet([bundled_dir(BUNDLED_TEMPLATES)], language)
    rendered = {}
    for name in ("kravbilaga", "svarsbilaga", "beslutsunderlag"):
        markup = templates.render(f"{name}.md.j2", context)
        parse_markup(markup, FIELD_PROMPTS[language])
        rendered[name] = markup
    return rendered


def section(markup: str, heading: str) -> str:
    """The text from the level-1 heading that ends with ``heading`` to the next level-1 heading."""
    lines = markup.splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.startswith("# ") and line.endswith(heading)
    )
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("# ")), len(lines))
    return "\n".join(lines[start:end])


def requirement_block(markup: str, requirement_id: str) -> str:
    """The text of one requirement: from its heading to the next heading of any level."""
    lines = markup.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"### {requirement_id} "))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return "\n".join(lines[start:end])


def by_id(context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in context["requirements"]}


def test_context_groups_the_requirements_by_kind(package_library: Library) -> None:
    context = build_context(package(package_library), "sv", TODAY)
    kinds = {k["kind"]: [r["id"] for r in k["requirements"]] for k in context["kinds"]}
    assert kinds == {
        "qualification": ["Q-1"],
        "specification": ["S-1"],
        "award": ["A-1", "A-2"],
        "contract": ["C-1"],
    }
    assert [k["title"] for k in context["kinds"]] == [
        "Kvalificeringskrav",
        "Krav på det som upphandlas",
        "Tilldelningskriterier (bör-krav)",
        "Särskilda kontraktsvillkor",
    ]
    assert context["kinds"][2]["areas"][0]["title"] == "Allmänt"
    requirements = by_id(context)
    assert requirements["Q-1"]["kind_label"] == "Kvalificeringskrav"
    assert requirements["Q-1"]["answer_prompt"] == "Uppfylls kravet?"
    assert requirements["A-2"]["answer_prompt"] == "Uppfyller anbudet kriteriet?"
    assert requirements["C-1"]["answer_prompt"] == "Accepteras villkoret?"
    assert context["counts"]["award"] == 2


def test_an_escalated_criterion_takes_its_ska_wording_and_leaves_the_award_section(
    package_library: Library,
) -> None:
    selection = package(package_library, **HIGH)
    context = build_context(selection, "sv", TODAY)
    escalated = by_id(context)["A-1"]
    assert (escalated["level"], escalated["kind"]) == ("SKA", "specification")
    assert escalated["text"] == "Lösningen ska kunna granskas."
    assert escalated["points"] is None
    kravbilaga = documents(selection)["kravbilaga"]
    award = section(kravbilaga, "Tilldelningskriterier (bör-krav)")
    assert "### A-2 " in award
    assert "A-1" not in award
    block = requirement_block(kravbilaga, "A-1")
    assert block.startswith("### A-1 Granskning")
    assert "::: label SKA · Krav på det som upphandlas" in block
    for word in ("bör", "poäng", "avdrag"):
        assert word not in block.lower()
    svarsbilaga = documents(selection)["svarsbilaga"]
    assert "| Uppfylls kravet? | [[val A-1.fulfilled: Ja / Nej]] |" in svarsbilaga


def test_references_that_do_not_bind_are_guidance(package_library: Library) -> None:
    minimal = by_id(build_context(package(package_library), "sv", TODAY))
    assert minimal["S-1"]["references"] == ""
    assert minimal["S-1"]["guidance_references"] == (
        "AI-förordningen art. 15(1); EU:s modellklausuler för AI (högrisk) art. 8"
    )
    high = by_id(build_context(package(package_library, **HIGH), "sv", TODAY))
    assert high["S-1"]["references"] == "AI-förordningen art. 15(1)"
    assert high["S-1"]["reference_list"] == ["AI-förordningen art. 15(1)"]
    assert high["S-1"]["guidance_references"] == "EU:s modellklausuler för AI (högrisk) art. 8"
    block = requirement_block(documents(package(package_library))["kravbilaga"], "S-1")
    assert "Hänvisningar:" not in block
    assert (
        "::: small Som vägledning, inte bindande i den här upphandlingen: AI-förordningen art. "
        "15(1); EU:s modellklausuler för AI (högrisk) art. 8"
    ) in block


def test_buyer_input_is_printed_or_left_as_a_field_and_a_to_do(package_library: Library) -> None:
    empty = package(package_library)
    context = build_context(empty, "sv", TODAY)
    assert by_id(context)["S-1"]["buyer_inputs"] == [
        {
            "id": "accuracy_targets",
            "label": "Nivåer för noggrannhet",
            "prompt": "Vilka nivåer för noggrannhet gäller?",
            "value": "",
            "missing": True,
        }
    ]
    assert context["todos"] == [
        {
            "requirement_id": "S-1",
            "requirement_title": "Noggrannhet",
            "question_id": "accuracy_targets",
            "label": "Nivåer för noggrannhet",
            "prompt": "Vilka nivåer för noggrannhet gäller?",
        }
    ]
    placeholder = "[Fylls i av den upphandlande organisationen före annonsering]"
    rendered = documents(empty)
    assert placeholder in requirement_block(rendered["kravbilaga"], "S-1")
    assert f"| Nivåer för noggrannhet | {placeholder} |" in rendered["svarsbilaga"]
    to_do = section(rendered["beslutsunderlag"], "Att göra före annonsering")
    assert (
        "| S-1 | Nivåer för noggrannhet | Vilka nivåer för noggrannhet gäller? (accuracy_targets) |"
        in to_do
    )

    given = package(package_library, accuracy_targets="Minst 95 procent rätt.")
    context = build_context(given, "sv", TODAY)
    assert context["todos"] == []
    rendered = documents(given)
    block = requirement_block(rendered["kravbilaga"], "S-1")
    assert "**Nivåer för noggrannhet** (anges av den upphandlande organisationen):" in block
    assert "Minst 95 procent rätt." in block
    assert placeholder not in block
    assert "Inga uppgifter saknas i kravbilagan." in rendered["beslutsunderlag"]


def test_a_date_that_is_not_settled_law_shows_its_status(package_library: Library) -> None:
    selection = package(package_library, **HIGH)
    condition = by_id(build_context(selection, "sv", TODAY))["C-1"]
    assert condition["applies_from"] == "2 december 2027"
    assert condition["applies_from_text"] == ADOPTED_DATE
    assert condition["applies_from_status"] == "adopted"
    assert condition["applies_before_law"] is True
    block = requirement_block(documents(selection)["kravbilaga"], "C-1")
    assert (
        f"*Kravet gäller från avtalsstart, även om skyldigheten enligt lag gäller först från "
        f"{ADOPTED_DATE}.*"
    ) in block
    english = by_id(build_context(selection, "en", TODAY))["C-1"]["applies_from_text"]
    assert english == (
        "2 December 2027 under the Digital Omnibus on AI, which is adopted but not yet published "
        "in the Official Journal; under the AI Act as it now stands, 2 August 2026"
    )
    settled = requirement_block(
        documents(package(package_library, chatbot=True))["kravbilaga"], "T-1"
    )
    assert "*Skyldigheten enligt lag gäller från 2 februari 2025.*" in settled


def test_no_legal_date_where_no_ai_act_provision_binds(package_library: Library) -> None:
    condition = by_id(build_context(package(package_library), "sv", TODAY))["C-1"]
    assert condition["applies_from"] == ""
    assert condition["applies_before_law"] is False
    block = requirement_block(documents(package(package_library))["kravbilaga"], "C-1")
    assert "2027" not in block
    assert (
        "::: small Som vägledning, inte bindande i den här upphandlingen: AI-förordningen art. 49(1)"
        in block
    )


def test_points_model_is_stated_in_full_and_matches_evaluate(package_library: Library) -> None:
    selection = package(package_library, quality_weight=40)
    evaluation = build_context(selection, "sv", TODAY)["evaluation"]
    weighting = weighting_of(selection)
    assert evaluation["max_points"] == weighting.max_points == 40
    assert evaluation["quality_weight"] == weighting.quality_weight == 40
    assert evaluation["example"] == {
        "price": 1_000_000,
        "points": 20,
        "figure": comparison_figure("points", 1_000_000, 20, weighting),
        "best_figure": 600_000,
    }
    text = section(documents(selection)["kravbilaga"], "Utvärdering av anbuden")
    assert "| A-1 | Granskning | 10 |" in text
    assert "| A-2 | Energi | 30 |" in text
    assert "| | **Högsta möjliga poäng (Pmax)** | **40** |" in text
    assert "**jämförelsetal = anbudspris × (1 − Q × P / Pmax)**" in text
    assert "40 procent, det vill säga 0,4" in text
    assert "1\u00a0000\u00a0000 × (1 − 0,4 × 20 / 40) = 800\u00a0000 kronor" in text
    assert "rangordnas först det anbud som har högst poäng (P)" in text
    assert "lottning" in text
    assert "enligt upphandlingsdokumenten" not in documents(selection)["kravbilaga"]


@pytest.mark.parametrize(
    ("model", "table_row", "tie_break"),
    [
        (
            "price_deduction_sek",
            "| A-1 | Granskning | 50\u00a0000 |",
            "störst sammanlagt prisavdrag",
        ),
        ("price_deduction_percent", "| A-2 | Energi | 1,5 |", "störst sammanlagt prisavdrag"),
        ("pass_fail", None, "samma anbudspris avgörs ordningen mellan dem genom lottning"),
    ],
)
def test_every_model_has_a_tie_break_rule(
    package_library: Library, model: str, table_row: str | None, tie_break: str
) -> None:
    kravbilaga = documents(package(package_library, evaluation_model=model))["kravbilaga"]
    text = section(kravbilaga, "Utvärdering av anbuden")
    assert tie_break in text
    assert "lottning" in text
    if table_row:
        assert table_row in text
    else:
        headings = [line for line in kravbilaga.splitlines() if line.startswith("# ")]
        assert not [line for line in headings if "Tilldelningskriterier" in line]
        assert "Upphandlingen har inga tilldelningskriterier som utvärderas." in text


def test_response_form_asks_by_kind_and_keeps_the_tags(package_library: Library) -> None:
    svarsbilaga = documents(package(package_library))["svarsbilaga"]
    expected = {
        "Q-1": "| Uppfylls kravet? | [[val Q-1.fulfilled: Ja / Nej]] |",
        "S-1": "| Uppfylls kravet? | [[val S-1.fulfilled: Ja / Nej]] |",
        "A-2": "| Uppfyller anbudet kriteriet? | [[val A-2.fulfilled: Ja / Nej]] |",
        "C-1": "| Accepteras villkoret? | [[val C-1.fulfilled: Ja / Nej]] |",
    }
    for requirement_id, row in expected.items():
        assert row in svarsbilaga
        assert f"[[svar {requirement_id}.description]]" in svarsbilaga
        assert f"[[svar {requirement_id}.reference]]" in svarsbilaga
    headings = [line for line in svarsbilaga.splitlines() if line.startswith("# ")]
    assert headings[-4:] == [
        "# Kvalificeringskrav",
        "# Krav på det som upphandlas",
        "# Tilldelningskriterier (bör-krav)",
        "# Särskilda kontraktsvillkor",
    ]
    english = documents(package(package_library), "en")["svarsbilaga"]
    assert "| Is the condition accepted? | [[val C-1.fulfilled: Yes / No]] |" in english
    assert "| Does the tender meet the criterion? | [[val A-2.fulfilled: Yes / No]] |" in english


def test_internal_codes_stay_in_the_decision_record(package_library: Library) -> None:
    rendered = documents(package(package_library))
    assert "FM2" not in rendered["kravbilaga"]
    assert "FM2" not in rendered["svarsbilaga"]
    record = rendered["beslutsunderlag"]
    assert "SKA · Krav på det som upphandlas · Bas · FM2" in record
    assert "- **FM2**: Förtroendemodellen del 2, Utveckling och drift" in record


def test_decision_record_lists_the_buyer_duties_with_provision_date_and_support(
    package_library: Library,
) -> None:
    selection = package(package_library, **HIGH)
    duties = build_context(selection, "sv", TODAY)["buyer_duties"]
    assert [d["id"] for d in duties] == ["literacy", "registration"]
    assert duties[1]["references"] == "AI-förordningen art. 49(3)"
    assert duties[1]["supported_by"] == [{"id": "C-1", "title": "Registrering av systemet"}]
    own = section(documents(selection)["beslutsunderlag"], "Era egna skyldigheter som köpare")
    assert "## 5.2 Registrering i EU:s databas" in own
    assert "- **Bestämmelse:** AI-förordningen art. 49(3)" in own
    assert f"- **Gäller från:** {ADOPTED_DATE}\n" in own
    assert "- **Gäller från:** 2 februari 2025 (gäller redan)" in own
    assert "- **Krav som ger underlag:** C-1 Registrering av systemet" in own
    block = requirement_block(documents(selection)["kravbilaga"], "C-1")
    assert "den upphandlande organisationens egen skyldighet: Registrering i EU:s databas" in block
    assert [
        d["id"] for d in build_context(package(package_library), "sv", TODAY)["buyer_duties"]
    ] == ["literacy"]


def test_classification_names_route_point_and_transparency_duties(package_library: Library) -> None:
    selection = package(package_library, chatbot=True, **HIGH)
    classification = build_context(selection, "sv", TODAY)["classification"]
    assert classification["route"] == "annex_iii"
    assert classification["route_label"] == "Högrisk genom bilaga III (artikel 6.2)"
    assert classification["annex_iii_point_label"] == "bilaga III punkt 5 a"
    assert classification["annex_iii_point_text"] == "Rätt till offentligt stöd"
    assert [d["code"] for d in classification["transparency_duties"]] == ["50(1)"]
    assert classification["warnings"] == ["Kontrollera chattboten."]
    kravbilaga = documents(selection)["kravbilaga"]
    assert (
        "- **Punkt i bilaga III:** bilaga III punkt 5 a – Rätt till offentligt stöd." in kravbilaga
    )
    assert (
        "- **Transparenskrav i artikel 50:** AI-förordningen art. 50(1), utöver kraven på system "
        "med hög risk."
    ) in kravbilaga
    record = documents(selection)["beslutsunderlag"]
    assert "## Varningar" in record
    assert "- Kontrollera chattboten." in record
    english = build_context(selection, "en", TODAY)["classification"]
    assert english["annex_iii_point_label"] == "Annex III point 5(a)"
    assert english["route_label"] == "High-risk through Annex III (Article 6(2))"
    minimal = build_context(package(package_library), "sv", TODAY)["classification"]
    assert (minimal["route"], minimal["annex_iii_point"], minimal["warnings"]) == ("none", "", [])
    assert minimal["route_label"] == (
        "Inga särskilda krav på systemet i AI-förordningen (minimal risk)"
    )


def test_answers_taken_from_defaults_are_marked(package_library: Library) -> None:
    selection = package(package_library, frozenset({"chatbot"}))
    answers = {a["id"]: a for a in build_context(selection, "sv", TODAY)["answers"]}
    assert answers["chatbot"]["defaulted"] is True
    assert answers["organisation"]["defaulted"] is False
    record = documents(selection)["beslutsunderlag"]
    assert "| Chattbot | nej<br>*standardsvar – kontrollera* |" in record
    assert "**1 svar är standardsvar**" in record


def test_every_requirement_has_its_motive_in_the_decision_record(package_library: Library) -> None:
    record = documents(package(package_library, **HIGH))["beslutsunderlag"]
    assert (
        "| **A-1** Granskning<br>SKA · Krav på det som upphandlas · Bas | Granskning hittar fel. | "
        "gäller alla AI-upphandlingar<br>**Skärpt till ska-krav:** Systemet är högrisk. |"
    ) in record


@pytest.mark.parametrize(
    ("point", "swedish", "english"),
    [
        ("5a", "bilaga III punkt 5 a", "Annex III point 5(a)"),
        ("2", "bilaga III punkt 2", "Annex III point 2"),
        ("8b", "bilaga III punkt 8 b", "Annex III point 8(b)"),
    ],
)
def test_annex_iii_points_are_written_out(point: str, swedish: str, english: str) -> None:
    assert annex_iii_point_label(point, "sv") == swedish
    assert annex_iii_point_label(point, "en") == english


def test_a_library_without_the_new_derived_values_still_renders(tmp_path: Path) -> None:
    library = require_library(FIXTURE)[0]
    resolved = resolve_answers(library, {}, use_defaults=True)
    selection = select_requirements(library, resolved.values, resolved.context)
    context = build_context(selection, "sv", TODAY)
    assert context["classification"]["route"] == ""
    assert context["classification"]["transparency_duties"] == []
    assert context["classification"]["warnings"] == []
    assert context["buyer_duties"] == []
    rendered = documents(selection)
    assert "Kravbiblioteket anger inga egna skyldigheter" in rendered["beslutsunderlag"]


def test_every_context_name_is_documented(package_library: Library) -> None:
    """docs/templates.md names every value a template can use, down to a requirement's fields."""
    docs = (Path(__file__).parents[1] / "docs" / "templates.md").read_text(encoding="utf-8")
    context = build_context(package(package_library, chatbot=True, **HIGH), "sv", TODAY)
    names = set(context)
    nested = {
        "classification": context["classification"],
        "evaluation": context["evaluation"],
        "counts": context["counts"],
    }
    for prefix, mapping in nested.items():
        names |= {f"{prefix}.{key}" for key in mapping}
    names |= set(context["requirements"][0])
    names |= set(context["kinds"][0]) | set(context["buyer_duties"][0]) | set(context["dates"][0])
    names |= set(context["todos"] and context["todos"][0] or {}) | set(context["answers"][0])
    missing = sorted(
        name for name in names if f"`{name}`" not in docs and f"`{name.split('.')[-1]}`" not in docs
    )
    assert not missing, f"not in docs/templates.md: {missing}"
