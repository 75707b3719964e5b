"""The response form contract (``documents/form.py``): the writer and the reader agree on it.

A svarsbilaga is generated for the income-support example; every field the writer put in it must
be one the contract names (tag, kind, choices, bookmark, prompt beside it), and every field the
reader looks up must be one the writer wrote. Both sides must take the contract's names from the
one module, so that a change to a naming rule in one place cannot pass unnoticed.
"""

from __future__ import annotations

import ast
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from conftest import REPO
from fill_form import fill_form
from upphandla.documents import context, docx_body, form, markup, tender
from upphandla.documents.blocks import Document, DocumentProperties, Paragraph, Run
from upphandla.documents.context import effective_kind
from upphandla.documents.docx_writer import ReferenceDocumentError, UnsafeTextError
from upphandla.documents.generating import GenerateOptions, render_outputs
from upphandla.documents.markup import MarkupError, parse_markup
from upphandla.documents.package import GenerateRequest, generate_documents
from upphandla.errors import InputError, Location, ProblemsError, UpphandlaError
from upphandla.evaluation import form_reader, responses
from upphandla.evaluation.form_reader import FieldValue, NotADocxError, read_answer_fields
from upphandla.evaluation.responses import read_response
from upphandla.interview.sources import AnswerSources
from upphandla.selection import select
from upphandla.selection.select import Selection
from upphandla.text import Language

EXAMPLE = REPO / "examples" / "ekonomiskt-bistand.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOURCE = REPO / "src" / "upphandla"
# The modules on either side of the contract, which must not spell its names out themselves.
SIDES = (
    "documents/docx_writer.py",
    "documents/docx_body.py",
    "documents/tender.py",
    "documents/context.py",
    "documents/markup.py",
    "evaluation/form_reader.py",
    "evaluation/responses.py",
)


@dataclass(frozen=True)
class Written:
    """One answer field as the writer wrote it into the .docx."""

    tag: str
    kind: str
    choices: tuple[str, ...]
    bookmarks: tuple[str, ...]
    row_label: str


@dataclass
class Generated:
    language: Language
    selection: Selection
    path: Path
    data: bytes
    fields: list[Written]

    @property
    def tags(self) -> list[str]:
        return [field.tag for field in self.fields]


def _text(element: Any) -> str:
    return "".join(element.itertext(f"{W}t")).strip()


def _written_fields(data: bytes) -> list[Written]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    found = []
    for sdt in root.iter(f"{W}sdt"):
        properties = sdt.find(f"{W}sdtPr")
        tag = properties.find(f"{W}tag").get(f"{W}val")
        choices = properties.find(f"{W}dropDownList")
        kind = "text"
        if choices is not None:
            kind = "choice"
        elif properties.find("{http://schemas.microsoft.com/office/word/2010/wordml}checkbox"):
            kind = "checkbox"
        items = tuple(
            item.get(f"{W}value") or "" for item in (choices if choices is not None else ())
        )
        # The bookmark wraps the control: a sibling start before it, or a start inside it.
        bookmarks = [
            start.get(f"{W}name") or ""
            for start in (sdt.getprevious(), *sdt.iter(f"{W}bookmarkStart"))
            if start is not None and start.tag == f"{W}bookmarkStart"
        ]
        row = next(sdt.iterancestors(f"{W}tr"), None)
        label = _text(row.find(f"{W}tc")) if row is not None else ""
        found.append(Written(tag, kind, items, tuple(bookmarks), label))
    return found


@pytest.fixture(scope="module", params=["sv", "en"])
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    language: Language = request.param
    out = tmp_path_factory.mktemp(f"form-{language}")
    documents = generate_documents(
        GenerateRequest(
            answers=AnswerSources(answers_path=EXAMPLE),
            language=language,
            out=out,
            formats="docx",
            date="2026-11-27",
        )
    )
    path = out / f"{form.RESPONSE_FORM}.docx"
    data = documents.files[path]
    path.write_bytes(data)
    return Generated(language, documents.selection, path, data, _written_fields(data))


# --------------------------------------------------------------------------- the writer's side


def test_every_tag_the_writer_wrote_is_one_the_contract_names(generated: Generated) -> None:
    tags = generated.tags
    assert len(tags) == len(set(tags)), "a field was written twice"
    assert set(tags) == set(form.form_tags(generated.selection))
    for tag in tags:
        assert form.parse_field_tag(tag) is not None, tag


def test_every_field_has_the_contracts_kind_choices_and_bookmark(generated: Generated) -> None:
    yes, no = form.FULFILLED_CHOICES[generated.language]
    for field in generated.fields:
        assert field.kind == form.field_kind(field.tag), field.tag
        if field.kind == "choice":
            assert field.choices == (yes, no), field.tag
        assert field.bookmarks == (form.bookmark_name(field.tag),), field.tag
        assert form.tag_from_bookmark(field.bookmarks[0]) == field.tag


def test_the_prompt_beside_fulfilled_is_the_contracts(generated: Generated) -> None:
    by_tag = {field.tag: field for field in generated.fields}
    for item in generated.selection.included:
        tag = form.field_tag(item.requirement.id, form.RequirementField.FULFILLED)
        expected = form.ANSWER_PROMPTS[effective_kind(item)].in_language(generated.language)
        assert by_tag[tag].row_label == expected, tag


def test_the_form_and_the_reader_keep_one_area_order(generated: Generated) -> None:
    selection = generated.selection
    included = {item.requirement.id for item in selection.included}
    library_order = [r.id for r in select.in_area_order(selection.library) if r.id in included]
    assert [item.requirement.id for item in form.form_order(selection)] == library_order
    # Each section of the form (one per kind of requirement) keeps that order.
    written = [
        tag.removesuffix(".fulfilled") for tag in generated.tags if tag.endswith(".fulfilled")
    ]
    for kind in {effective_kind(item) for item in selection.included}:
        in_kind = {
            item.requirement.id for item in selection.included if effective_kind(item) is kind
        }
        assert [i for i in written if i in in_kind] == [i for i in library_order if i in in_kind]
    built = context.build_context(selection, generated.language, datetime.date(2026, 11, 27))
    assert [r["id"] for r in built["requirements"]] == library_order


# --------------------------------------------------------------------------- the reader's side


class _Recording(dict[str, FieldValue]):
    """The fields the reader found, remembering every tag it looks up."""

    looked_up: set[str]

    def get(self, key: str, default: Any = None) -> Any:
        self.looked_up.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> FieldValue:
        self.looked_up.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.looked_up.add(str(key))
        return super().__contains__(key)


def _answers(generated: Generated) -> dict[str, str]:
    yes, _ = form.FULFILLED_CHOICES[generated.language]
    answers = {tag: f"Svar i {tag}" for tag in form.SUPPLIER_TAGS}
    answers[form.supplier_tag(form.SupplierField.PRICE)] = "1 250 000 kr"
    for item in generated.selection.included:
        for field in form.RequirementField:
            tag = form.field_tag(item.requirement.id, field)
            answers[tag] = yes if field is form.RequirementField.FULFILLED else f"Text i {tag}"
    return answers


def test_every_field_the_reader_looks_up_is_one_the_writer_wrote(
    generated: Generated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: set[str] = set()
    original = form_reader.read_form

    def recording(data: bytes, **options: Any) -> form_reader.FormContent:
        content = original(data, **options)
        fields = _Recording(content.fields)
        fields.looked_up = looked_up
        return form_reader.FormContent(content.properties, fields, content.tables)

    monkeypatch.setattr(form_reader, "read_form", recording)
    filled = fill_form(generated.path, tmp_path / "ifylld.docx", _answers(generated))
    selection = generated.selection
    response = read_response(filled, filled.read_bytes(), selection, form.form_id(selection))
    assert looked_up == set(generated.tags)
    assert response.notes == ()
    assert response.name == f"Svar i {form.supplier_tag(form.SupplierField.NAME)}"
    assert response.price == 1_250_000
    assert [a.requirement_id for a in response.answers] == [
        item.requirement.id for item in form.form_order(selection)
    ]
    for answer in response.answers:
        assert answer.fulfilled == "yes", answer
        assert answer.description == f"Text i {answer.requirement_id}.description"
        assert answer.reference == f"Text i {answer.requirement_id}.reference"


def test_a_blank_form_reads_as_unanswered(generated: Generated) -> None:
    """The prompts the writer shows are ones the reader takes for "no answer"."""
    fields = read_answer_fields(generated.data)
    assert set(fields) == set(generated.tags)
    assert all(not value.answered for value in fields.values())
    for prompts in (form.FIELD_PROMPTS, form.WRITER_PROMPTS):
        assert set(prompts[generated.language].values()) <= form.UNANSWERED_PROMPTS


def test_the_bookmarks_find_every_field_when_the_tags_are_lost(generated: Generated) -> None:
    """What LibreOffice 7.4 leaves of a form: the controls' tags dropped, the bookmarks kept."""
    with zipfile.ZipFile(io.BytesIO(generated.data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    for tag in list(root.iter(f"{W}tag")):
        tag.getparent().remove(tag)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    fields = read_answer_fields(buffer.getvalue())
    assert set(fields) == set(generated.tags)
    assert {value.found_by for value in fields.values()} == {"bookmark"}


def test_the_form_carries_the_contracts_properties(generated: Generated) -> None:
    properties = form_reader.read_custom_properties(generated.data)
    assert tuple(properties) == (*form.PROPERTIES, form.TEXT_DIGESTS_PROPERTY)
    assert properties[form.DOCUMENT_PROPERTY] == form.RESPONSE_FORM
    assert properties[form.FORM_ID_PROPERTY] == form.form_id(generated.selection)


# --------------------------------------------------------------------------- one place


def test_writer_and_reader_use_the_same_contract_objects() -> None:
    assert docx_body.bookmark_name is form.bookmark_name
    assert form_reader.tag_from_bookmark is form.tag_from_bookmark
    assert form_reader.UNANSWERED_PROMPTS is form.UNANSWERED_PROMPTS
    assert responses.form is form
    assert responses.field_tag is form.field_tag
    assert responses.supplier_tag is form.supplier_tag
    assert tender.form is form
    assert markup.TAG_CHARACTERS is form.TAG_CHARACTERS
    assert context.form_id is form.form_id
    assert context.form_order is form.form_order
    assert context.ANSWER_PROMPTS is form.ANSWER_PROMPTS
    assert form.in_area_order is select.in_area_order
    writer_prompts = {
        language: {"text": words.text_prompt, "choice": words.choice_prompt}
        for language, words in (("sv", docx_body.SWEDISH), ("en", docx_body.ENGLISH))
    }
    assert writer_prompts == form.WRITER_PROMPTS


def _spelled_out(value: str) -> bool:
    """Whether a string literal spells out one of the contract's names."""
    suffixes = tuple(f".{field.value}" for field in form.RequirementField)
    return (
        value.startswith((form.PROPERTY_PREFIX, f"{form.SUPPLIER}.", form.BOOKMARK_PREFIX))
        or value.endswith(suffixes)
        or value == form.RESPONSE_FORM
    )


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


@pytest.mark.parametrize("module", SIDES)
def test_no_side_spells_out_the_contracts_names(module: str) -> None:
    tree = ast.parse((SOURCE / module).read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    spelled = [
        f"{module}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and _spelled_out(node.value)
    ]
    assert spelled == [], "take these from documents/form.py:\n" + "\n".join(spelled)


@pytest.mark.parametrize(
    "tag", ["AI-KLS-01.fulfilled", "a_b.description", "Krav.ÅÄÖ.reference", "supplier.name"]
)
def test_tags_and_bookmarks_round_trip(tag: str) -> None:
    name = form.bookmark_name(tag)
    assert len(name) <= form.BOOKMARK_LIMIT
    assert form.tag_from_bookmark(name) == tag
    assert form.parse_field_tag(tag) is not None


def test_tags_outside_the_contract_are_not_fields() -> None:
    assert form.parse_field_tag("AI-KLS-01.uppfylls") is None
    assert form.parse_field_tag("supplier.fulfilled") is None
    assert form.parse_field_tag("fulfilled") is None
    assert form.field_kind("supplier.price") == "text"
    assert form.field_kind("AI-KLS-01.fulfilled") == "choice"


# --------------------------------------------------------------------------- the error family


def test_the_readers_and_writers_input_errors_are_in_the_family(tmp_path: Path) -> None:
    for error in (NotADocxError, MarkupError, UnsafeTextError, ReferenceDocumentError):
        assert issubclass(error, InputError)
        assert issubclass(error, UpphandlaError)
    for error in (NotADocxError, MarkupError, ReferenceDocumentError):
        assert not issubclass(error, ValueError), error

    with pytest.raises(MarkupError) as markup_error:
        parse_markup("ok\n::: sidbrytning\n")
    problem = markup_error.value.problem(Location(Path("mall.md.j2"), 2))
    assert problem.render("en") == "mall.md.j2:2: error: unknown directive '::: sidbrytning'"
    assert markup_error.value.location == Location(line=2)

    with pytest.raises(NotADocxError) as not_a_docx:
        read_answer_fields(b"ingen docx")
    assert "zip" in not_a_docx.value.problem(Location(Path("anbud.docx"))).render("en")

    # Text that Word cannot store is a located input error, not an unexpected one (exit 70).
    document = Document(DocumentProperties(title="T"), (Paragraph((Run("a\x07b"),)),))
    options = GenerateOptions(out=tmp_path, formats=("docx",))
    with pytest.raises(ProblemsError) as problems:
        render_outputs({form.RESPONSE_FORM: document}, options)
    (located,) = problems.value.problems
    assert located.location == Location(tmp_path / f"{form.RESPONSE_FORM}.docx")
    assert "U+0007" in located.render("sv")
    assert "styrtecken" in located.render("sv")
