"""The three tender documents: template output parsed into blocks, with document properties."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path
from typing import Any

from upphandla import __version__
from upphandla.documents import form
from upphandla.documents.blocks import Document, DocumentProperties
from upphandla.documents.context import build_context
from upphandla.documents.markup import MarkupError, parse_markup
from upphandla.documents.templating import TemplateSet
from upphandla.errors import Problem, ProblemsError
from upphandla.records import record
from upphandla.selection.select import Selection
from upphandla.text import Language, Text


@record
class DocumentKind:
    """One kind of document: its template, file name and title."""

    name: str
    title: Text
    footer: Text


DOCUMENT_KINDS = (
    DocumentKind(
        "kravbilaga",
        Text(
            "Kravbilaga: krav på AI-systemet", "Requirement appendix: requirements on the AI system"
        ),
        Text("Kravbilaga", "Requirement appendix"),
    ),
    DocumentKind(
        form.RESPONSE_FORM,
        Text("Svarsbilaga: leverantörens svar på kraven", "Response form: the supplier's answers"),
        Text("Svarsbilaga", "Response form"),
    ),
    DocumentKind(
        "beslutsunderlag",
        Text(
            "Beslutsunderlag: krav på AI-systemet", "Decision record: requirements on the AI system"
        ),
        Text("Beslutsunderlag", "Decision record"),
    ),
)

FOLLOW_UP_PLAN = DocumentKind(
    "uppfoljningsplan",
    Text("Uppföljningsplan för AI-systemet", "Follow-up plan for the AI system"),
    Text("Uppföljningsplan", "Follow-up plan"),
)
DECLARATION = DocumentKind(
    "transparensdeklaration",
    Text("Transparensdeklaration för AI-systemet", "Transparency declaration for the AI system"),
    Text("Transparensdeklaration", "Transparency declaration"),
)
EVALUATION_REPORT = DocumentKind(
    "utvardering",
    Text("Utvärdering av anbuden", "Evaluation of the tenders"),
    Text("Utvärdering", "Evaluation"),
)


def build_documents(
    selection: Selection,
    language: Language,
    templates: TemplateSet,
    today: datetime.date,
) -> dict[str, Document]:
    """Render the three tender documents; raise ``ProblemsError`` on template errors."""
    context = build_context(selection, language, today)
    return render_kinds(DOCUMENT_KINDS, context, language, templates)


def render_kinds(
    kinds: tuple[DocumentKind, ...],
    context: dict[str, Any],
    language: Language,
    templates: TemplateSet,
) -> dict[str, Document]:
    """Render each kind's template with ``context`` and parse it; collect every template error."""
    documents: dict[str, Document] = {}
    problems: list[Problem] = []
    for kind in kinds:
        template_name = f"{kind.name}.md.j2"
        try:
            markup = templates.render(template_name, context)
            blocks = parse_markup(markup, form.FIELD_PROMPTS[language])
        except ProblemsError as error:
            problems.extend(error.problems)
            continue
        except MarkupError as error:
            problems.append(
                Problem(
                    Text(
                        f"Mallen {template_name} gav en rad som inte går att tolka ({error.message}).",
                        f"The template {template_name} produced a line that cannot be read ({error.message}).",
                    ),
                    replace(error.location, file=Path(template_name)),
                )
            )
            continue
        properties = _properties(kind, context, language)
        if kind.name == form.RESPONSE_FORM:
            ids = [requirement["id"] for requirement in context.get("requirements", ())]
            properties = replace(
                properties,
                custom=(
                    *properties.custom,
                    (form.TEXT_DIGESTS_PROPERTY, form.text_digests(blocks, ids)),
                ),
            )
        if kind.name == form.FOLLOW_UP_PLAN:
            properties = replace(
                properties,
                custom=(
                    *properties.custom,
                    (form.CHECK_DIGESTS_PROPERTY, form.check_digests(blocks)),
                ),
            )
        documents[kind.name] = Document(properties, blocks)
    if problems:
        raise ProblemsError(problems)
    return documents


def _properties(
    kind: DocumentKind, context: dict[str, Any], language: Language
) -> DocumentProperties:
    procurement = context["procurement"]
    header = " · ".join(
        part for part in (procurement["organisation"], procurement["title"]) if part
    )
    if procurement["reference_number"]:
        header += f" · {'Dnr' if language == 'sv' else 'Ref.'} {procurement['reference_number']}"
    library = context["library"]
    return DocumentProperties(
        title=f"{kind.title.in_language(language)} – {procurement['title']}",
        subject=procurement["title"],
        author=procurement["organisation"],
        keywords="AI, upphandling, AI-förordningen"
        if language == "sv"
        else "AI, procurement, AI Act",
        language="sv-SE" if language == "sv" else "en-GB",
        header=header,
        footer=kind.footer.in_language(language),
        page_word="Sida" if language == "sv" else "Page",
        of_word="av" if language == "sv" else "of",
        custom=(
            (form.DOCUMENT_PROPERTY, kind.name),
            (form.FORM_ID_PROPERTY, context["form_id"]),
            (form.PROCUREMENT_PROPERTY, procurement["title"]),
            (form.LIBRARY_ID_PROPERTY, library["id"]),
            (form.LIBRARY_VERSION_PROPERTY, library["version"]),
            (form.LIBRARY_SHA256_PROPERTY, library["sha256"]),
            (form.LANGUAGE_PROPERTY, language),
            (form.TOOL_VERSION_PROPERTY, __version__),
        ),
    )
