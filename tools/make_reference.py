"""Build ``templates/reference.docx``: the organisation's Word styles, page setup, header and footer.

The reference document is what a buyer opens in Word to change the look of every generated
document: fonts, colours, spacing, the table look, the bullet characters, the page margins, and
the header and footer (a logo can be pasted into the header). Its body is ignored; the writer
(``docx_writer.render_docx``) keeps everything else.

Run ``python tools/make_reference.py [PATH]`` to rebuild the file; the default
``PATH`` is ``templates/reference.docx`` in the source checkout.

Styles the writer needs (looked up by their style *name*, case-insensitively, because Word
localises style ids but not the internal names; ``REQUIRED_STYLES`` in ``docx_writer`` is the
list that ``check_reference_document`` checks):

==========================  =========  ====================================================
Style name                  Type       Used for
==========================  =========  ====================================================
Normal                      paragraph  body text
Title, Subtitle             paragraph  the cover page
heading 1 .. heading 3      paragraph  headings (shown as "Heading 1" .. "Heading 3" in Word)
List Bullet, List Number    paragraph  bullet and numbered lists; each carries its numbering
Upphandla Liten             paragraph  small print: notes, metadata
Upphandla Tabelltext        paragraph  text in table cells
Upphandla Tabellrubrik      paragraph  the header row of a table
Upphandla Tabellpunkt       paragraph  bullet lists in table cells (own numbering)
Upphandla Tabellnummer      paragraph  numbered lists in table cells (own numbering)
header, footer              paragraph  page header and footer ("Header", "Footer" in Word)
Placeholder Text            character  the grey prompt in an empty answer field
Upphandla Tabell            table      every table; its first-row format shades the header
==========================  =========  ====================================================

Also defined, for Word's own use: Default Paragraph Font, Normal Table, No List, Table Grid (the
base of Upphandla Tabell) and toc 1 .. toc 3 (the look of table-of-contents entries).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Cm, Twips

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
NSDECLS = f'xmlns:w="{W_NS}" xmlns:w14="{W14_NS}" xmlns:mc="{MC_NS}" mc:Ignorable="w14"'

FONT = "Calibri"
DARK_BLUE = "1F3864"
MID_BLUE = "2F5496"
GREY_TEXT = "595959"
HEADER_FILL = "DCE4F0"
BORDER = "9FB0C8"

# A4 with 2.5 cm margins; all lengths in twentieths of a point (twips).
PAGE_WIDTH = 11906
PAGE_HEIGHT = 16838
MARGIN = 1417
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

# Numbering ids in numbering.xml; each list style points at one ``w:num``.
NUM_BULLET = 1
NUM_NUMBER = 2
NUM_TABLE_BULLET = 3
NUM_TABLE_NUMBER = 4


def _fonts(name: str = FONT) -> str:
    return f'<w:rFonts w:ascii="{name}" w:eastAsia="{name}" w:hAnsi="{name}" w:cs="{name}"/>'


def _paragraph_style(
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    custom: bool = False,
    priority: int | None = None,
    default: bool = False,
) -> str:
    """One ``w:style`` element of type paragraph, as XML text."""
    attrs = f'w:type="paragraph" w:styleId="{style_id}"'
    if default:
        attrs += ' w:default="1"'
    if custom:
        attrs += ' w:customStyle="1"'
    parts = [f"<w:style {attrs}>", f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    if priority is not None:
        parts.append(f'<w:uiPriority w:val="{priority}"/>')
    parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


def _border(side: str, size: int = 4, color: str = BORDER) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="{color}"/>'


def _all_borders(color: str) -> str:
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    return "<w:tblBorders>" + "".join(_border(side, 4, color) for side in sides) + "</w:tblBorders>"


def styles_xml() -> str:
    """The complete ``word/styles.xml`` of the reference document."""
    heading = (
        '<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/>'
        '<w:outlineLvl w:val="{level}"/>'
    )
    styles = [
        f"<w:styles {NSDECLS}>",
        "<w:docDefaults><w:rPrDefault><w:rPr>",
        _fonts(),
        '<w:sz w:val="22"/><w:szCs w:val="22"/>',
        '<w:lang w:val="sv-SE" w:eastAsia="en-US" w:bidi="ar-SA"/>',
        "</w:rPr></w:rPrDefault>",
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>",
        # Word's own defaults for the four style kinds.
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/><w:rPr><w:color w:val="1A1A1A"/></w:rPr></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        _paragraph_style(
            "Title",
            "Title",
            next_style="Normal",
            priority=10,
            ppr='<w:spacing w:before="2400" w:after="240" w:line="240" w:lineRule="auto"/>'
            "<w:contextualSpacing/>",
            rpr=f'<w:color w:val="{DARK_BLUE}"/><w:kern w:val="28"/><w:sz w:val="56"/>'
            '<w:szCs w:val="56"/>',
        ),
        _paragraph_style(
            "Subtitle",
            "Subtitle",
            next_style="Normal",
            priority=11,
            ppr='<w:spacing w:after="480"/>',
            rpr=f'<w:color w:val="{MID_BLUE}"/><w:sz w:val="30"/><w:szCs w:val="30"/>',
        ),
        _paragraph_style(
            "Heading1",
            "heading 1",
            next_style="Normal",
            priority=9,
            ppr=heading.format(before=480, after=160, level=0),
            rpr=f'<w:b/><w:bCs/><w:color w:val="{DARK_BLUE}"/><w:sz w:val="32"/>'
            '<w:szCs w:val="32"/>',
        ),
        _paragraph_style(
            "Heading2",
            "heading 2",
            next_style="Normal",
            priority=9,
            ppr=heading.format(before=360, after=120, level=1),
            rpr=f'<w:b/><w:bCs/><w:color w:val="{DARK_BLUE}"/><w:sz w:val="26"/>'
            '<w:szCs w:val="26"/>',
        ),
        _paragraph_style(
            "Heading3",
            "heading 3",
            next_style="Normal",
            priority=9,
            ppr=heading.format(before=240, after=80, level=2),
            rpr=f'<w:b/><w:bCs/><w:color w:val="{MID_BLUE}"/><w:sz w:val="23"/>'
            '<w:szCs w:val="23"/>',
        ),
        _paragraph_style(
            "ListBullet",
            "List Bullet",
            priority=99,
            ppr=f'<w:numPr><w:numId w:val="{NUM_BULLET}"/></w:numPr><w:spacing w:after="120"/>'
            "<w:contextualSpacing/>",
        ),
        _paragraph_style(
            "ListNumber",
            "List Number",
            priority=99,
            ppr=f'<w:numPr><w:numId w:val="{NUM_NUMBER}"/></w:numPr><w:spacing w:after="120"/>'
            "<w:contextualSpacing/>",
        ),
        _paragraph_style(
            "UpphandlaLiten",
            "Upphandla Liten",
            custom=True,
            ppr='<w:spacing w:after="80" w:line="240" w:lineRule="auto"/>',
            rpr=f'<w:color w:val="{GREY_TEXT}"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        _paragraph_style(
            "UpphandlaTabelltext",
            "Upphandla Tabelltext",
            custom=True,
            ppr='<w:spacing w:before="20" w:after="60" w:line="252" w:lineRule="auto"/>',
            rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>',
        ),
        _paragraph_style(
            "UpphandlaTabellrubrik",
            "Upphandla Tabellrubrik",
            based_on="UpphandlaTabelltext",
            custom=True,
            ppr="<w:keepNext/>",
            rpr=f'<w:b/><w:bCs/><w:color w:val="{DARK_BLUE}"/>',
        ),
        _paragraph_style(
            "UpphandlaTabellpunkt",
            "Upphandla Tabellpunkt",
            based_on="UpphandlaTabelltext",
            custom=True,
            ppr=f'<w:numPr><w:numId w:val="{NUM_TABLE_BULLET}"/></w:numPr>'
            '<w:spacing w:before="0" w:after="40"/>',
        ),
        _paragraph_style(
            "UpphandlaTabellnummer",
            "Upphandla Tabellnummer",
            based_on="UpphandlaTabelltext",
            custom=True,
            ppr=f'<w:numPr><w:numId w:val="{NUM_TABLE_NUMBER}"/></w:numPr>'
            '<w:spacing w:before="0" w:after="40"/>',
        ),
        _paragraph_style(
            "Header",
            "header",
            priority=99,
            ppr=f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            rpr=f'<w:color w:val="{GREY_TEXT}"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        _paragraph_style(
            "Footer",
            "footer",
            priority=99,
            ppr=f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            rpr=f'<w:color w:val="{GREY_TEXT}"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        _paragraph_style(
            "TOC1",
            "toc 1",
            next_style="Normal",
            priority=39,
            ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            '<w:spacing w:before="120" w:after="40"/>',
            rpr="<w:b/><w:bCs/>",
        ),
        _paragraph_style(
            "TOC2",
            "toc 2",
            next_style="Normal",
            priority=39,
            ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            '<w:spacing w:after="40"/><w:ind w:left="284"/>',
        ),
        _paragraph_style(
            "TOC3",
            "toc 3",
            next_style="Normal",
            priority=39,
            ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            '<w:spacing w:after="40"/><w:ind w:left="567"/>',
        ),
        '<w:style w:type="character" w:styleId="PlaceholderText">'
        '<w:name w:val="Placeholder Text"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:rPr><w:color w:val="808080"/></w:rPr>'
        "</w:style>",
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"<w:tblPr>{_all_borders('auto')}</w:tblPr></w:style>",
        '<w:style w:type="table" w:customStyle="1" w:styleId="UpphandlaTabell">'
        '<w:name w:val="Upphandla Tabell"/><w:basedOn w:val="TableGrid"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        f"<w:tblPr>{_all_borders(BORDER)}<w:tblCellMar>"
        '<w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/>'
        f'<w:color w:val="{DARK_BLUE}"/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr>'
        "</w:tblStylePr></w:style>",
        "</w:styles>",
    ]
    return "".join(styles)


def _abstract_num(abstract_id: int, nsid: str, bullet: bool, left: int, hanging: int) -> str:
    """An abstract numbering with three levels, bullets or decimal numbers."""
    levels = []
    for level in range(3):
        indent = left + level * left
        if bullet:
            glyph = ("•", "–", "•")[level]
            kind = f'<w:numFmt w:val="bullet"/><w:lvlText w:val="{glyph}"/>'
            rpr = f"<w:rPr>{_fonts()}</w:rPr>"
        else:
            formats = ("decimal", "lowerLetter", "lowerRoman")
            kind = f'<w:numFmt w:val="{formats[level]}"/><w:lvlText w:val="%{level + 1}."/>'
            rpr = ""
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/>{kind}<w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
        )
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid}"/>'
        '<w:multiLevelType w:val="hybridMultilevel"/>' + "".join(levels) + "</w:abstractNum>"
    )


def numbering_xml() -> str:
    """The complete ``word/numbering.xml``: one numbering per list style."""
    abstracts = [
        _abstract_num(NUM_BULLET, "5A0B1C01", bullet=True, left=567, hanging=284),
        _abstract_num(NUM_NUMBER, "5A0B1C02", bullet=False, left=567, hanging=340),
        _abstract_num(NUM_TABLE_BULLET, "5A0B1C03", bullet=True, left=284, hanging=227),
        _abstract_num(NUM_TABLE_NUMBER, "5A0B1C04", bullet=False, left=340, hanging=340),
    ]
    nums = [
        f'<w:num w:numId="{num}"><w:abstractNumId w:val="{num}"/></w:num>'
        for num in (NUM_BULLET, NUM_NUMBER, NUM_TABLE_BULLET, NUM_TABLE_NUMBER)
    ]
    return f"<w:numbering {NSDECLS}>" + "".join(abstracts + nums) + "</w:numbering>"


def settings_xml() -> str:
    """The complete ``word/settings.xml``, in Word's element order."""
    return (
        f"<w:settings {NSDECLS}>"
        '<w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="709"/>'
        '<w:hyphenationZone w:val="425"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        "<w:compat>"
        '<w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        '<w:compatSetting w:name="enableOpenTypeFeatures" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        '<w:compatSetting w:name="doNotFlipMirrorIndents" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="sv-SE"/>'
        '<w:decimalSymbol w:val=","/>'
        '<w:listSeparator w:val=";"/>'
        "</w:settings>"
    )


def font_table_xml() -> str:
    """A small ``word/fontTable.xml`` naming the fonts the styles use."""
    return (
        f"<w:fonts {NSDECLS}>"
        f'<w:font w:name="{FONT}"><w:altName w:val="Carlito"/>'
        '<w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/>'
        '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
        '<w:font w:name="MS Gothic"><w:altName w:val="ＭＳ ゴシック"/>'
        '<w:charset w:val="80"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        "</w:fonts>"
    )


def app_xml() -> str:
    """A small ``docProps/app.xml`` (python-docx's template names another application)."""
    return (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><Application>upphandla</Application><DocSecurity>0</DocSecurity>'
        "</Properties>"
    )


def build_reference_document(path: Path) -> None:
    """Write the reference document to ``path``.

    Args:
        path: Where to write the .docx file; its folder must exist.
    """
    document = Document()
    package = document.part.package

    # python-docx's default template carries parts a reference document should not have.
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
    unwanted = (RT.CUSTOM_XML, RT.WEB_SETTINGS, STYLES_WITH_EFFECTS)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype in unwanted:
            document.part.rels.pop(rel_id)

    document.styles.element.getparent()  # make sure the styles part is loaded
    document.part._styles_part._element = parse_xml(styles_xml())
    document.part.numbering_part._element = parse_xml(numbering_xml())
    document.settings.element.getparent()
    document.part._settings_part._element = parse_xml(settings_xml())
    for rel in document.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table_xml().encode("utf-8")

    section = document.sections[0]
    section.page_width = Twips(PAGE_WIDTH)
    section.page_height = Twips(PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    section.header_distance = Cm(1.25)
    section.footer_distance = Cm(1.25)
    section.gutter = 0

    header = section.header
    header.is_linked_to_previous = False
    header.paragraphs[0].style = document.styles["Header"]
    footer = section.footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0].style = document.styles["Footer"]

    body = document.element.body
    for child in list(body):
        if child.tag != f"{{{W_NS}}}sectPr":
            body.remove(child)
    body.insert(0, parse_xml(f'<w:p xmlns:w="{W_NS}"/>'))

    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_xml().encode("utf-8")

    properties = document.core_properties
    properties.title = "Referensdokument för upphandla"
    properties.subject = "Formatmallar, sidformat, sidhuvud och sidfot"
    properties.author = "upphandla"
    properties.last_modified_by = "upphandla"
    properties.comments = (
        "Ändra formatmallarna, marginalerna och sidhuvudet/sidfoten här (till exempel klistra in "
        "en logotyp i sidhuvudet). Innehållet i dokumentet används inte."
    )
    properties.keywords = ""
    properties.language = "sv-SE"
    properties.revision = 1
    document.save(str(path))


def main(argv: list[str]) -> None:
    """Write the reference document to ``argv[0]`` or to ``templates/reference.docx``."""
    if argv:
        target = Path(argv[0])
    else:
        target = Path(__file__).resolve().parents[1] / "templates" / "reference.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    build_reference_document(target)
    print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
