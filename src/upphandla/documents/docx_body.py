"""The body serialiser: blocks as WordprocessingML text, in encoded chunks.

``BodyWriter`` turns the blocks of a ``Document`` (paragraphs and runs, headings, lists,
tables, a table of contents, page breaks) into the XML of the body, block by block, without
building a tree: fragments are joined and encoded every few thousand, and ``docx_writer``
streams the chunks into the zip file. Nothing is quadratic.

Answer fields are content controls (``w:sdt``) tagged with the field tag and wrapped in the
bookmark ``form.bookmark_name(tag)``, so that ``evaluation.form_reader.read_answer_fields``
finds them again, whatever the supplier did around them; in a protected document they are
also editable ranges (``w:permStart``). Tags, bookmark names and prompts are the response form
contract's (``documents/form.py``). Text is checked for characters XML cannot hold;
``UnsafeTextError`` names the block (and table cell) where it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from upphandla.documents.blocks import (
    AnswerField,
    BulletList,
    Cell,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Run,
    SectionBreak,
    Table,
    TableOfContents,
)
from upphandla.documents.docx_numbering import Numbering
from upphandla.documents.docx_xml import UNSAFE, check_text, escape, escape_attribute
from upphandla.documents.form import WRITER_PROMPTS, bookmark_name
from upphandla.records import record

_SPECIAL = re.compile("[\t\n\r]")
# _SPECIAL's characters and docx_xml.UNSAFE's: a text without them is written as it is, escaped.
_SPECIAL_OR_UNSAFE = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")

_FLUSH_AT = 4096  # fragments collected before they are joined and encoded

# Column widths from the content: a generous estimate of the width of one character in a table
# cell (9 pt body text, 10 pt bold header text, proportional fonts such as Calibri or Carlito), in
# twips, and the cell's left and right margins with some room to spare. A column is never made
# narrower than its longest word, so that no word is broken in Word or LibreOffice.
_CHAR_TWIPS = 105
_HEADER_CHAR_TWIPS = 125
_CELL_PADDING = 260
_LONGEST_LINE = 60  # characters: a column's natural width stops growing here
_LONGEST_WORD = 30  # longer "words" (web addresses, file paths) may break: no table fits them


@record
class BodyStyles:
    normal: str
    title: str
    subtitle: str
    headings: tuple[str, str, str]
    list_bullet: str
    list_number: str
    small: str
    cell: str
    cell_header: str
    cell_bullet: str
    cell_number: str
    placeholder: str
    table: str
    toc: tuple[str, str, str] = ("", "", "")


@record
class Words:
    answer: str
    text_prompt: str
    choice_prompt: str
    toc_prompt: str


SWEDISH = Words(
    answer="Svar",
    text_prompt=WRITER_PROMPTS["sv"]["text"],
    choice_prompt=WRITER_PROMPTS["sv"]["choice"],
    toc_prompt="Högerklicka och välj Uppdatera fält för att visa innehållsförteckningen.",
)
ENGLISH = Words(
    answer="Answer",
    text_prompt=WRITER_PROMPTS["en"]["text"],
    choice_prompt=WRITER_PROMPTS["en"]["choice"],
    toc_prompt="Right-click and choose Update Field to show the table of contents.",
)

_EMPTY_CELL = Cell()  # for a row shorter than the table (kept, so that its id stays its own)
_BOLD = "<w:b/><w:bCs/>"
_ITALIC = "<w:i/><w:iCs/>"
_CHECKBOX_FONT = "MS Gothic"
_UNCHECKED = "\u2610"


class BodyWriter:
    """Turns blocks into body XML text, collected as encoded chunks."""

    # The longest word of each table cell measured, and the XML of each cell that holds text
    # only (no answer field or numbered list, whose XML changes from one use to the next), by
    # the cell's id (and width): the markup parser gives a repeated cell one object.
    _extents: dict[int, int] | None = None
    _cell_texts: dict[tuple[int, int], str] | None = None

    def __init__(
        self,
        styles: BodyStyles,
        numbering: Numbering,
        words: Words,
        text_width: int,
        protect: bool,
        sections: Mapping[str, tuple[str, int]] | None = None,
        orientation: str = "portrait",
    ) -> None:
        self.styles = styles
        self.numbering = numbering
        self.words = words
        self.text_width = text_width
        self.protect = protect
        # orientation -> (the w:sectPr XML that ends a section in it, its text width)
        self.sections = dict(sections or {})
        self.orientation = orientation
        self.chunks: list[bytes] = []
        self._out: list[str] = []
        self._sdt_id = 1000
        self._range_id = 0
        self._page_break = False
        self._after_table = False
        self._block = 0
        self._heading = ""
        self._place = ""
        self._extents = {}
        self._cell_texts = {}

    # -- locations for error messages -----------------------------------------------------

    def where(self) -> str:
        """A human-readable description of the block being written."""
        text = f"block {self._block + 1}"
        if self._heading:
            text += f" (after heading {self._heading!r})"
        if self._place:
            text += f", {self._place}"
        return text

    def _text(self, text: str) -> str:
        if UNSAFE.search(text) is not None:
            check_text(text, self.where)
        return escape(text)

    def _attr_text(self, text: str) -> str:
        if UNSAFE.search(text) is not None:
            check_text(text, self.where)
        return escape_attribute(text)

    # -- output ----------------------------------------------------------------------------

    def _flush(self) -> None:
        if self._out:
            self.chunks.append("".join(self._out).encode("utf-8"))
            self._out = []

    def write(self, blocks: Iterable[object]) -> None:
        """Write every block, in order."""
        blocks = tuple(blocks)
        # Cells are known by id only while these blocks are alive: from here to the end.
        self._extents, self._cell_texts = {}, {}
        self._toc_headings = tuple(block for block in blocks if isinstance(block, Heading))
        out = self._out
        for index, block in enumerate(blocks):
            self._block = index
            self._place = ""
            if isinstance(block, Table):
                if self._after_table:
                    # Two tables in a row would merge into one in Word; keep them apart.
                    self._separator()
                self._after_table = True
            elif not isinstance(block, PageBreak | SectionBreak):
                self._after_table = False
            if isinstance(block, Paragraph):
                self._paragraph(block, in_cell=False)
            elif isinstance(block, Heading):
                self._heading_block(block)
            elif isinstance(block, BulletList):
                self._list(block, in_cell=False)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, PageBreak):
                self._page_break = True
            elif isinstance(block, TableOfContents):
                self._toc(block)
            elif isinstance(block, SectionBreak):
                self._section_break(block)
            else:
                raise TypeError(f"block {index + 1}: not a block: {type(block).__name__}")
            out = self._out
            if len(out) >= _FLUSH_AT:
                self._flush()
        if self._after_table:
            self._separator()  # the body should end with a paragraph, not a table
        self._flush()
        self._extents, self._cell_texts = {}, {}

    def _section_break(self, block: SectionBreak) -> None:
        """End the current section (in a tiny empty paragraph) and go on in another orientation.

        A section break starts a new page, so a pending page break is dropped. Without section
        properties to hand (a writer made without ``sections``) the break is a page break.
        """
        if block.orientation == self.orientation:
            return
        ending = self.sections.get(self.orientation)
        following = self.sections.get(block.orientation)
        if ending is None or following is None:
            self._page_break = True
            return
        self._page_break = False
        self._after_table = False
        self._out.append(
            f'<w:p><w:pPr><w:pStyle w:val="{self.styles.small}"/>'
            '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            f'<w:rPr><w:sz w:val="2"/></w:rPr>{ending[0]}</w:pPr></w:p>'
        )
        self.orientation = block.orientation
        self.text_width = following[1]

    def _separator(self) -> None:
        self._out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.styles.small}"/></w:pPr></w:p>')

    def _ppr(self, style_id: str, num_id: int = 0) -> str:
        """A paragraph's properties: style, a pending page break, list numbering."""
        extra = ""
        if self._page_break:
            extra = "<w:pageBreakBefore/>"
            self._page_break = False
        if num_id:
            extra += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        return f'<w:pPr><w:pStyle w:val="{style_id}"/>{extra}</w:pPr>'

    # -- inline content --------------------------------------------------------------------

    def _run(self, run: Run, force_bold: bool = False) -> str:
        text = run.text
        if not text:
            return ""
        rpr = ""
        if run.bold or force_bold:
            rpr += _BOLD
        if run.italic:
            rpr += _ITALIC
        start = f"<w:r><w:rPr>{rpr}</w:rPr>" if rpr else "<w:r>"
        if _SPECIAL_OR_UNSAFE.search(text) is None:  # one search for both (most runs)
            return f'{start}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        if _SPECIAL.search(text) is None:
            return f'{start}<w:t xml:space="preserve">{self._text(text)}</w:t></w:r>'
        pieces = []
        for piece in re.split("(\r\n|[\t\n\r])", text):
            if piece == "\t":
                pieces.append("<w:tab/>")
            elif piece in ("\n", "\r", "\r\n"):
                pieces.append("<w:br/>")
            elif piece:
                pieces.append(f'<w:t xml:space="preserve">{self._text(piece)}</w:t>')
        return start + "".join(pieces) + "</w:r>"

    def _inlines(self, content: Sequence[Inline], force_bold: bool = False) -> str:
        parts = []
        for item in content:
            if isinstance(item, Run):
                parts.append(self._run(item, force_bold))
            else:
                parts.append(self._inline_field(item))
        return "".join(parts)

    def _sdt_properties(self, field: AnswerField, kind_xml: str, placeholder: bool) -> str:
        self._sdt_id += 1
        tag = self._attr_text(field.tag)
        alias = f"{self.words.answer} {tag}"
        shown = "<w:showingPlcHdr/>" if placeholder else ""
        return (
            f'<w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/>'
            f'<w:id w:val="{self._sdt_id}"/><w:lock w:val="sdtLocked"/>{shown}{kind_xml}'
            "</w:sdtPr>"
        )

    def _placeholder_run(self, field: AnswerField, default: str) -> str:
        text = field.placeholder or default
        return (
            f'<w:r><w:rPr><w:rStyle w:val="{self.styles.placeholder}"/></w:rPr>'
            f'<w:t xml:space="preserve">{self._text(text)}</w:t></w:r>'
        )

    def _wrap(self, field: AnswerField, inner: str) -> str:
        """Surround an answer field with its bookmark and, in protected documents, a permission.

        The bookmark (``bookmark_name(tag)``) is a second way to find the field: LibreOffice 7.4
        drops ``w:tag`` when it saves a .docx but keeps bookmarks.
        """
        self._range_id += 1
        range_id = self._range_id
        name = bookmark_name(field.tag)
        if name:
            inner = (
                f'<w:bookmarkStart w:id="{range_id}" w:name="{name}"/>{inner}'
                f'<w:bookmarkEnd w:id="{range_id}"/>'
            )
        if self.protect:
            inner = (
                f'<w:permStart w:id="{range_id}" w:edGrp="everyone"/>{inner}'
                f'<w:permEnd w:id="{range_id}"/>'
            )
        return inner

    def _inline_field(self, field: AnswerField) -> str:
        """A run-level content control inside a paragraph."""
        if field.kind == "checkbox":
            kind = (
                '<w14:checkbox><w14:checked w14:val="0"/>'
                f'<w14:checkedState w14:val="2612" w14:font="{_CHECKBOX_FONT}"/>'
                f'<w14:uncheckedState w14:val="2610" w14:font="{_CHECKBOX_FONT}"/></w14:checkbox>'
            )
            content = (
                f'<w:r><w:rPr><w:rFonts w:ascii="{_CHECKBOX_FONT}" w:eastAsia="{_CHECKBOX_FONT}" '
                f'w:hAnsi="{_CHECKBOX_FONT}" w:hint="eastAsia"/></w:rPr>'
                f"<w:t>{_UNCHECKED}</w:t></w:r>"
            )
            xml = (
                f"<w:sdt>{self._sdt_properties(field, kind, False)}"
                f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
            )
            return self._wrap(field, xml)
        if field.kind == "choice":
            items = "".join(
                f'<w:listItem w:displayText="{self._attr_text(choice)}" '
                f'w:value="{self._attr_text(choice)}"/>'
                for choice in field.choices
            )
            kind = f"<w:dropDownList>{items}</w:dropDownList>"
            prompt = self._placeholder_run(field, self.words.choice_prompt)
        else:
            kind = '<w:text w:multiLine="1"/>'
            prompt = self._placeholder_run(field, self.words.text_prompt)
        xml = (
            f"<w:sdt>{self._sdt_properties(field, kind, True)}"
            f"<w:sdtContent>{prompt}</w:sdtContent></w:sdt>"
        )
        return self._wrap(field, xml)

    def _block_field(self, field: AnswerField, style_id: str) -> str:
        """A block-level rich-text content control holding one paragraph (several allowed)."""
        prompt = self._placeholder_run(field, self.words.text_prompt)
        xml = (
            f"<w:sdt>{self._sdt_properties(field, '', True)}<w:sdtContent>"
            f"<w:p>{self._ppr(style_id)}{prompt}</w:p></w:sdtContent></w:sdt>"
        )
        return self._wrap(field, xml)

    # -- blocks ----------------------------------------------------------------------------

    def _paragraph_style(self, role: str, in_cell: bool) -> str:
        styles = self.styles
        if role == "title":
            return styles.title
        if role == "subtitle":
            return styles.subtitle
        if role == "small":
            return styles.small
        return styles.cell if in_cell else styles.normal

    def _paragraph_xml(self, paragraph: Paragraph, in_cell: bool) -> str:
        style_id = self._paragraph_style(paragraph.style, in_cell)
        content = paragraph.content
        if len(content) == 1 and isinstance(content[0], AnswerField) and content[0].kind == "text":
            return self._block_field(content[0], style_id)
        runs = self._inlines(content, force_bold=paragraph.style == "label")
        return f"<w:p>{self._ppr(style_id)}{runs}</w:p>"

    def _paragraph(self, paragraph: Paragraph, in_cell: bool) -> None:
        self._out.append(self._paragraph_xml(paragraph, in_cell))

    def _heading_block(self, heading: Heading) -> None:
        level = min(max(heading.level, 1), 3)
        style_id = self.styles.headings[level - 1]
        text = self._text(heading.text)
        self._heading = heading.text[:60]
        self._out.append(
            f'<w:p>{self._ppr(style_id)}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        )

    def _list_xml(self, items: BulletList, in_cell: bool) -> str:
        if in_cell:
            style_name = "Upphandla Tabellnummer" if items.ordered else "Upphandla Tabellpunkt"
            style_id = self.styles.cell_number if items.ordered else self.styles.cell_bullet
        else:
            style_name = "List Number" if items.ordered else "List Bullet"
            style_id = self.styles.list_number if items.ordered else self.styles.list_bullet
        if items.ordered:
            num_id = self.numbering.restarted(style_name)
        else:
            num_id = self.numbering.style_num[style_name]
        return "".join(
            f"<w:p>{self._ppr(style_id, num_id)}{self._inlines(item)}</w:p>" for item in items.items
        )

    def _list(self, items: BulletList, in_cell: bool) -> None:
        self._out.append(self._list_xml(items, in_cell))

    def _toc(self, toc: TableOfContents) -> None:
        """A TOC field whose cached result already lists the headings (without page numbers),
        so a reader that does not update fields still sees the contents; Word fills in the page
        numbers when it updates the field."""
        depth = min(max(toc.depth, 1), 9)
        entries = [
            heading for heading in getattr(self, "_toc_headings", ()) if heading.level <= depth
        ]
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{depth}" \\h \\z \\u </w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not entries:
            prompt = self._text(self.words.toc_prompt)
            self._out.append(
                f"<w:p>{self._ppr(self.styles.normal)}{begin}"
                f'<w:r><w:rPr><w:i/><w:color w:val="808080"/></w:rPr><w:t>{prompt}</w:t></w:r>'
                f"{end}</w:p>"
            )
            return
        for number, heading in enumerate(entries):
            style_id = self.styles.toc[min(heading.level, 3) - 1] or self.styles.normal
            text = self._text(heading.text)
            run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
            first = begin if number == 0 else ""
            last = end if number == len(entries) - 1 else ""
            self._out.append(f"<w:p>{self._ppr(style_id)}{first}{run}{last}</w:p>")

    def _column_widths(self, table: Table, columns: int) -> list[int]:
        """Column widths in twips that fill the text width.

        With ``widths`` from the template they are the starting point, without them each
        column's natural width (its longest line, up to ``_LONGEST_LINE`` characters) is. Either
        way no column is narrower than its longest word: what a column lacks is taken from the
        others, in proportion to what they have above their own longest word.
        """
        weights = list(table.widths)
        total_width = self.text_width
        if len(weights) == columns and all(w > 0 for w in weights):
            given = _given_widths(table, weights, total_width, self._extents)
            if given is not None:
                return given
        minimum, natural = _content_widths(table, columns)
        if len(weights) != columns or any(w <= 0 for w in weights):
            weights = [float(n) for n in natural]
        total = sum(weights) or 1.0
        wanted = [total_width * w / total for w in weights]
        if sum(minimum) >= total_width:
            widths = [total_width * m / sum(minimum) for m in minimum]
        else:
            widths = _respect_minimum(wanted, minimum)
        result = [int(w) for w in widths]
        result[-1] += total_width - sum(result)
        return result

    def _cell_xml(self, cell: Cell, width: int) -> str:
        known = self._cell_texts
        if known is None:
            return self._new_cell_xml(cell, width)
        key = (id(cell), width)
        xml = known.get(key)
        if xml is None:
            xml = self._new_cell_xml(cell, width)
            if _text_only(cell):
                known[key] = xml
        return xml

    def _new_cell_xml(self, cell: Cell, width: int) -> str:
        parts = [f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>']
        has_paragraph = False
        for item in cell.paragraphs:
            if isinstance(item, BulletList):
                if item.items:
                    parts.append(self._list_xml(item, in_cell=True))
                    has_paragraph = True
            else:
                parts.append(self._paragraph_xml(item, in_cell=True))
                has_paragraph = True
        if not has_paragraph:
            parts.append(f'<w:p><w:pPr><w:pStyle w:val="{self.styles.cell}"/></w:pPr></w:p>')
        parts.append("</w:tc>")
        return "".join(parts)

    def _table(self, table: Table) -> None:
        columns = max([len(table.header)] + [len(row) for row in table.rows])
        if columns == 0:
            return
        out = self._out
        if self._page_break:
            out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            self._page_break = False
        widths = self._column_widths(table, columns)
        caption = f'<w:tblCaption w:val="{self._attr_text(table.tag)}"/>' if table.tag else ""
        first_row = "1" if table.header else "0"
        look = "0620" if table.header else "0600"
        out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles.table}"/>'
            f'<w:tblW w:w="{self.text_width}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblLook w:val="{look}" w:firstRow="{first_row}" w:lastRow="0" '
            'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            f"{caption}</w:tblPr><w:tblGrid>"
            + "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
            + "</w:tblGrid>"
        )
        label = f"table {table.tag!r}" if table.tag else "table"
        if table.header:
            self._place = f"{label}, header row"
            cells = []
            for column, width in enumerate(widths):
                text = table.header[column] if column < len(table.header) else ""
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                    f'<w:p><w:pPr><w:pStyle w:val="{self.styles.cell_header}"/></w:pPr>'
                    + (
                        f'<w:r><w:t xml:space="preserve">{self._text(text)}</w:t></w:r>'
                        if text
                        else ""
                    )
                    + "</w:p></w:tc>"
                )
            keep = "<w:cantSplit/>" if table.whole_rows else ""
            out.append(f"<w:tr><w:trPr>{keep}<w:tblHeader/></w:trPr>" + "".join(cells) + "</w:tr>")
        empty = _EMPTY_CELL
        row_start = "<w:tr><w:trPr><w:cantSplit/></w:trPr>" if table.whole_rows else "<w:tr>"
        for row_number, row in enumerate(table.rows, start=1):
            cells = []
            for column, width in enumerate(widths):
                self._place = f"{label}, row {row_number}, column {column + 1}"
                cell = row[column] if column < len(row) else empty
                cells.append(self._cell_xml(cell, width))
            out.append(row_start + "".join(cells) + "</w:tr>")
        out.append("</w:tbl>")
        self._place = ""


def _text_only(cell: Cell) -> bool:
    """True when the cell's XML is the same each time it is written: paragraphs of runs."""
    return all(
        isinstance(part, Paragraph) and all(isinstance(item, Run) for item in part.content)
        for part in cell.paragraphs
    )


def _tokens_of_inlines(content: Sequence[Inline], words: Words) -> list[str]:
    texts: list[str] = []
    for item in content:
        if isinstance(item, Run):
            texts.append(item.text)
        elif item.kind == "choice":
            texts.append(item.placeholder or words.choice_prompt)
            texts.extend(item.choices)
        elif item.kind == "text":
            texts.append(item.placeholder or words.text_prompt)
        else:
            texts.append("XX")
    return texts


def _cell_lines(cell: Cell) -> list[str]:
    """The texts of a cell's paragraphs and items, one per line as written."""
    lines: list[str] = []
    for part in cell.paragraphs:
        if isinstance(part, BulletList):
            lines.extend(
                "\u2022  " + " ".join(_tokens_of_inlines(item, SWEDISH)) for item in part.items
            )
        else:
            lines.append(" ".join(_tokens_of_inlines(part.content, SWEDISH)))
    return lines


def _content_widths(table: Table, columns: int) -> tuple[list[int], list[int]]:
    """Each column's smallest width (its longest word) and natural width (its longest line,
    capped), in twips, from the header and every cell."""
    minimum = _header_minimum(table, columns)
    natural = [_CELL_PADDING] * columns
    for column, text in enumerate(table.header[:columns]):
        length = min(len(text), _LONGEST_LINE)
        natural[column] = max(natural[column], length * _HEADER_CHAR_TWIPS + _CELL_PADDING)
    # The widths grow with the longest word and line, so the longest of each column is found
    # first (a cell met again is measured once) and turned into twips at the end.
    words = [0] * columns
    lines = [0] * columns
    measured: dict[int, tuple[int, int]] = {}
    for row in table.rows:
        for column, cell in enumerate(row[:columns]):
            extent = measured.get(id(cell))
            if extent is None:
                extent = measured[id(cell)] = _cell_extent(cell)
            words[column] = max(words[column], extent[0])
            lines[column] = max(lines[column], extent[1])
    for column in range(columns):
        longest = min(words[column], _LONGEST_WORD)
        minimum[column] = max(minimum[column], longest * _CHAR_TWIPS + _CELL_PADDING)
        length = min(lines[column], _LONGEST_LINE)
        natural[column] = max(natural[column], length * _CHAR_TWIPS + _CELL_PADDING)
    natural = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    return minimum, natural


# The widest a column's smallest width can be from its cells: a longest word of _LONGEST_WORD.
_WIDEST_CELL_MINIMUM = _LONGEST_WORD * _CHAR_TWIPS + _CELL_PADDING


def _given_widths(
    table: Table, weights: list[float], total_width: int, extents: dict[int, int] | None = None
) -> list[int] | None:
    """``BodyWriter._column_widths`` for a table with its widths from the template, when no
    column falls below its smallest width; None when one may (then every width is needed).

    A column given at least ``_WIDEST_CELL_MINIMUM`` (and its header's) cannot be too narrow,
    so its cells (a response form's long requirement texts) are not measured: with every
    column wide enough, the widths are the given ones whatever the smallest widths are.
    """
    columns = len(weights)
    total = sum(weights) or 1.0
    wanted = [total_width * w / total for w in weights]
    header = _header_minimum(table, columns)
    minimum = []
    for column in range(columns):
        most = max(header[column], _WIDEST_CELL_MINIMUM)
        if wanted[column] >= most - 0.5:
            minimum.append(most)
        else:
            minimum.append(max(header[column], _cell_minimum(table, column, extents)))
    if sum(minimum) >= total_width or any(
        w < m - 0.5 for w, m in zip(wanted, minimum, strict=True)
    ):
        return None
    result = [int(w) for w in wanted]
    result[-1] += total_width - sum(result)
    return result


def _header_minimum(table: Table, columns: int) -> list[int]:
    """Each column's smallest width from its header alone (its longest word)."""
    minimum = [_CELL_PADDING] * columns
    for column, text in enumerate(table.header[:columns]):
        longest = min(max(map(len, text.split()), default=0), _LONGEST_WORD)
        minimum[column] = max(minimum[column], longest * _HEADER_CHAR_TWIPS + _CELL_PADDING)
    return minimum


def _cell_minimum(table: Table, column: int, extents: dict[int, int] | None = None) -> int:
    """A column's smallest width from its cells alone (as ``_content_widths`` counts it).

    ``extents`` keeps the longest word of each cell measured, by the cell's id: the writer
    gives one for the document it writes (whose blocks, and so ids, live while it writes).
    """
    longest = 0
    measured = {} if extents is None else extents
    for row in table.rows:
        if column < len(row):
            cell = row[column]
            word = measured.get(id(cell))
            if word is None:
                word = measured[id(cell)] = _cell_extent(cell)[0]
            longest = max(longest, word)
    return min(longest, _LONGEST_WORD) * _CHAR_TWIPS + _CELL_PADDING


def _cell_extent(cell: Cell) -> tuple[int, int]:
    """The length of the longest word and of the longest line of a cell, in characters."""
    word = line = 0
    for piece in _cell_lines(cell):
        word = max(word, max(map(len, piece.split()), default=0))
        line = max(line, len(piece))
    return word, line


def _respect_minimum(wanted: list[float], minimum: list[int]) -> list[float]:
    """``wanted`` (which fills the width) changed so that no column is below its minimum,
    taking what is missing from the columns above theirs, in proportion to their room."""
    widths = list(wanted)
    for _ in range(len(widths)):
        short = [i for i, w in enumerate(widths) if w < minimum[i] - 0.5]
        if not short:
            break
        lacking = sum(minimum[i] - widths[i] for i in short)
        for i in short:
            widths[i] = float(minimum[i])
        room = {i: widths[i] - minimum[i] for i in range(len(widths)) if i not in short}
        spare = sum(v for v in room.values() if v > 0)
        if spare <= 0:
            break
        for i, value in room.items():
            if value > 0:
                widths[i] -= lacking * value / spare
    return widths
