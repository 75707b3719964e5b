"""A property of every answer: it is yes or no only when what a person sees in the field is a
plain Ja or Nej, stored as shown, unchanged and with nothing hidden, beside it or commented;
otherwise it is unclear, with a reason. Forms are built with random mixtures of the tricks in
``tests/corpus.py`` applied to one SKA requirement's Ja/Nej field."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus as c
from conftest import REPO
from corpus import FormEditor, Trick
from upphandla.documents import form
from upphandla.documents.package import GenerateRequest, generate_documents
from upphandla.evaluation.responses import plain_answer, read_response
from upphandla.interview.sources import AnswerSources
from upphandla.selection.select import Selection

EXAMPLE = REPO / "examples" / "ekonomiskt-bistand.yaml"

# Each trick and whether it leaves the answer plain (only the harmless ones do).
TRICKS: dict[str, tuple[Trick, bool]] = {
    "hidden": (c.hidden_prefix("Nej "), False),
    "hidden_style": (c.hidden_by_style("Ja "), False),
    "white": (c.white_prefix("Ja "), False),
    "tiny": (c.tiny_prefix("Nej "), False),
    "tracked_insertion": (c.tracked_insertion, False),
    "tracked_deletion": (c.tracked_deletion("Nej"), False),
    "tracked_formatting": (c.tracked_formatting, False),
    "comment": (c.comment("Med förbehåll"), False),
    "comment_beside": (c.comment("Se bilaga", inside=False), False),
    "beside": (c.beside("Gäller från 2028"), False),
    "simple_field": (c.simple_field("QUOTE Ja"), False),
    "complex_field": (c.complex_field(" QUOTE Ja "), False),
    "stored_value": (c.other_stored_value, False),
    "last_value": (c.other_last_value, False),
    "data_binding": (c.data_binding, False),
    "duplicated": (c.duplicated, False),
    "tag_removed": (c.tag_removed, True),
}
# Tricks that need runs in the field: only with a non-empty answer.
NEEDS_TEXT = {"tracked_insertion", "tracked_formatting", "simple_field", "complex_field"}
TEXTS = ["Ja", "Nej", "ja.", " NEJ ", "Ja, delvis", "Ja?", "Ja/Nej", "X", "Yes", "", "Nej\u200b"]


@dataclass(repr=False)
class Blank:
    path: Path
    selection: Selection
    form_id: str
    tag: str

    def __repr__(self) -> str:
        return f"Blank({self.path.name}, {self.tag})"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Blank:
    out = tmp_path_factory.mktemp("property")
    documents = generate_documents(
        GenerateRequest(
            answers=AnswerSources(answers_path=EXAMPLE),
            language="sv",
            out=out,
            formats="docx",
            date="2026-11-27",
        )
    )
    path = out / "svarsbilaga.docx"
    path.write_bytes(documents.files[path])
    selection = documents.selection
    first = form.form_order(selection)[0].requirement.id
    return Blank(path, selection, form.form_id(selection), f"{first}.fulfilled")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(st.sampled_from(TEXTS), st.text("JaNejx .,?", max_size=6)),
    tricks=st.lists(st.sampled_from(sorted(TRICKS)), max_size=3, unique=True),
)
def test_an_answer_is_yes_or_no_only_when_it_is_plainly_seen(
    blank: Blank, text: str, tricks: list[str]
) -> None:
    if not text.strip():
        tricks = [name for name in tricks if name not in NEEDS_TEXT]
    # An item that shows what it stores is harmless: the trick only bites on a shown item.
    shows_an_item = text in ("Ja", "Nej")
    editor = FormEditor(blank.path).fill({blank.tag: text})
    for name in sorted(tricks, key=lambda name: name == "tag_removed"):  # the tag goes last
        TRICKS[name][0](editor, blank.tag)
    with tempfile.TemporaryDirectory() as folder:
        target = editor.save(Path(folder) / "anbud.docx")
        response = read_response(target, target.read_bytes(), blank.selection, blank.form_id)
    answer = response.answers[0]
    plain = plain_answer(text, "sv")
    harmless = all(
        TRICKS[name][1] or (name == "stored_value" and not shows_an_item) for name in tricks
    )
    if plain is not None and harmless:
        assert answer.outcome == plain, (text, tricks, answer.doubts)
        assert answer.doubts == ()
    else:
        assert answer.outcome == "unclear", (text, tricks, answer.doubts)
        assert answer.doubts, (text, tricks)
    assert answer.fulfilled in ("yes", "no") if answer.outcome != "unclear" else True
    assert (answer.fulfilled == "yes") == (answer.outcome == "yes")
