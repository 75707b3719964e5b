"""The template markup: every construct, and mistakes reported with their line."""

from __future__ import annotations

import pytest

from upphandla.documents.blocks import (
    AnswerField,
    BulletList,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableOfContents,
)
from upphandla.documents.markup import MarkupError, parse_markup
from upphandla.documents.templating import block_text, escape_cell, inline, money


def test_headings_paragraphs_and_emphasis() -> None:
    blocks = parse_markup("# Rubrik\n\nEn **fet** och *kursiv*\nrad.\n\n### Tre\n")
    assert blocks == (
        Heading("Rubrik", 1),
        Paragraph(
            (
                Run("En "),
                Run("fet", bold=True),
                Run(" och "),
                Run("kursiv", italic=True),
                Run(" rad."),
            )
        ),
        Heading("Tre", 3),
    )


def test_lists_restart_when_the_kind_changes() -> None:
    blocks = parse_markup("- a\n- b\n1. ett\n2. två\n")
    assert blocks == (
        BulletList(((Run("a"),), (Run("b"),))),
        BulletList(((Run("ett"),), (Run("två"),)), ordered=True),
    )


def test_directives() -> None:
    blocks = parse_markup("::: title Titel\n::: small Not\n::: toc 3\n::: pagebreak\n")
    assert blocks == (
        Paragraph((Run("Titel"),), "title"),
        Paragraph((Run("Not"),), "small"),
        TableOfContents(3),
        PageBreak(),
    )


def test_tables_with_options_fields_and_cell_structure() -> None:
    text = (
        "::: table widths=1,3 tag=K-1\n"
        "| Fält | Svar |\n|---|---|\n"
        "| Uppfylls? | [[val K-1.fulfilled: Ja / Nej]] |\n"
        "| Text | Stycke ett<br>• punkt \\| med streck<br>• punkt två |\n"
    )
    (table,) = parse_markup(text, {"choice": "Välj"})
    assert isinstance(table, Table)
    assert table.header == ("Fält", "Svar")
    assert table.widths == (1.0, 3.0)
    assert table.tag == "K-1"
    field = table.rows[0][1].paragraphs[0]
    assert field == Paragraph((AnswerField("K-1.fulfilled", "choice", ("Ja", "Nej"), "Välj"),))
    paragraph, bullets = table.rows[1][1].paragraphs
    assert paragraph == Paragraph((Run("Stycke ett"),))
    assert bullets == BulletList(((Run("punkt | med streck"),), (Run("punkt två"),)))


def test_inline_fields_of_every_kind() -> None:
    (paragraph,) = parse_markup(
        "Namn: [[svar supplier.name]] Godkänt: [[kryss x.ok]]\n", {"text": "Skriv"}
    )
    assert isinstance(paragraph, Paragraph)
    assert paragraph.content == (
        Run("Namn: "),
        AnswerField("supplier.name", "text", (), "Skriv"),
        Run(" Godkänt: "),
        AnswerField("x.ok", "checkbox"),
    )


def test_backslash_makes_a_line_plain() -> None:
    assert parse_markup("\\# inte en rubrik\n") == (Paragraph((Run("# inte en rubrik"),)),)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("ok\n::: sidbrytning\n", 2, "unknown directive"),
        ("\n\n::: table widths=a,b\n| x |\n", 3, "widths must be numbers"),
        ("::: table colour=red\n", 1, "unknown table option"),
    ],
)
def test_bad_directives_name_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(MarkupError) as caught:
        parse_markup(text)
    assert caught.value.line == line
    assert message in caught.value.message


def test_filters_keep_library_text_from_breaking_structure() -> None:
    assert escape_cell("Ett | två\n\n- a\n- b") == "Ett \\| två<br>• a<br>• b"
    assert inline("# Kommun\nNord") == "\\# Kommun Nord"
    assert block_text("# rubrik\n- punkt\n12 st") == "\\# rubrik\n- punkt\n\\12 st"
    assert money(50000) == "50\u00a0000"
    assert money("x") == "x"


# The parser's fast paths (rows and cells without a backslash are split with str.split, and a
# cell text met again is parsed once) must give what the escape-aware regular expressions give.

_ROWS = [
    "| a | b |",
    "| a \\| b | c |",
    "| a | b \\|",
    "|a|b|c|",
    "| **x** | [[svar T.d]] | [[val T.f: Ja / Nej]] |",
    "| one<br>two | • a<br>• b<br>tail |",
    "| escaped \\<br> not a break | \\\\ backslash<br>next |",
    "| x \\* y | *i* and **b** |",
    "|  | empty |",
]


@pytest.mark.parametrize("row", _ROWS)
def test_the_fast_row_and_cell_split_gives_what_the_regex_split_gives(row: str) -> None:
    from upphandla.documents import markup

    inner = row.strip()[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    expected = [cell.strip().replace("\\|", "|") for cell in markup._CELL_SPLIT.split(inner)]
    assert markup._split_row(row) == expected
    for cell in expected:
        assert markup._cell_pieces(cell) == markup._CELL_BREAK.split(cell)


def test_a_repeated_cell_is_the_same_as_a_fresh_one() -> None:
    text = "\n".join(["| h | h |", "|---|---|", *_ROWS[:3], *_ROWS, ""])
    (table,) = parse_markup(text)
    assert isinstance(table, Table)
    fresh = [parse_markup(f"| h | h |\n{row}\n") for row in _ROWS]
    once = [block.rows[0] for (block,) in fresh if isinstance(block, Table)]
    assert list(table.rows[3:]) == once
    assert list(table.rows[:3]) == once[:3]
