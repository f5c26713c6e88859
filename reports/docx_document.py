"""The Word page layer: python-docx's default template on A4, the report's look set on Word's
own built-in styles, and the few primitives the report's chapters use. ``reports.docx`` builds
the report on it.

A ministry restyles the document with its own template, renumbers it and pastes sections
elsewhere, so everything here is a real Word style ('Title', 'Heading 1'-'Heading 3',
'List Bullet', 'List Number', a built-in table style) and the look is set on the styles, not
on each paragraph. User text goes through ``plain`` (no character XML cannot hold) and only
ever into text runs: never into a field, whatever it looks like. A paragraph whose text is
mainly right-to-left is marked so (``w:bidi`` on the paragraph, ``w:rtl`` on its runs).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final
from urllib.parse import quote, urlsplit

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from reports.rows import is_rtl, plain

# ---------------------------------------------------------------------------------------------
# Look

NAVY: Final = RGBColor(0x1F, 0x38, 0x64)
INK: Final = RGBColor(0x21, 0x25, 0x29)
GREY: Final = RGBColor(0x60, 0x67, 0x70)
LINK: Final = RGBColor(0x1F, 0x4E, 0x99)
DRAFT_MARK: Final = RGBColor(0xC0, 0x00, 0x00)  # as the PDF's: red while a draft
FINAL_MARK: Final = RGBColor(0x2E, 0x7D, 0x32)  # green once the version shown is cleared
TABLE_STYLE: Final = "Light Grid Accent 1"
BODY_PT: Final = 10.5
SMALL_PT: Final = 9.0
MARGIN: Final = Cm(2.2)
PAGE_WIDTH: Final = Cm(21.0)
TEXT_WIDTH: Final = Cm(21.0 - 2 * 2.2)

# (style, size in points, colour, space before, space after)
_STYLES: Final = (
    ("Normal", BODY_PT, INK, None, 4),
    ("Title", 26, NAVY, 0, 6),
    ("Subtitle", 13, GREY, 0, 18),
    ("Heading 1", 17, NAVY, 0, 8),
    ("Heading 2", 13, NAVY, 14, 4),
    ("Heading 3", 11, NAVY, 10, 2),
    ("List Bullet", BODY_PT, INK, 0, 2),
    ("List Number", BODY_PT, INK, 0, 2),
    ("List Continue", BODY_PT, GREY, 0, 6),
    ("Quote", BODY_PT, GREY, 0, 2),
)
# w:pPr children that come after w:bidi, in the order the schema requires (Word refuses a
# file whose elements are out of order)
_AFTER_BIDI: Final = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_CORE_PROPERTY_LIMIT: Final = 255  # python-docx refuses longer document properties
_LINK_LIMIT: Final = 2000  # Word does not follow longer addresses


def clean(text: str) -> str:
    """Text as a run can hold it: no control character, no lone surrogate, one line break."""
    return plain(text)


def _set_rtl(paragraph: Paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    if p_pr.find(qn("w:bidi")) is None:
        p_pr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for run in paragraph.runs:
        run.font.rtl = True


class Writer:
    """A Word document in the report's look, and the paragraphs and tables it is made of."""

    def __init__(self) -> None:
        self.doc: WordDocument = new_document()
        self._styles: dict[str, ParagraphStyle] = {}
        self._style_ids: dict[str, str | None] = {}
        self._page()
        self._look()

    # -- set-up --------------------------------------------------------------------------------

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, Cm(29.7)
        section.left_margin = section.right_margin = MARGIN
        section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)
        section.different_first_page_header_footer = True  # the cover has none

    def _look(self) -> None:
        styles = self.doc.styles
        for name, size, colour, before, after in _STYLES:
            style = styles[name]
            assert isinstance(style, ParagraphStyle)
            style.font.size = Pt(size)
            style.font.color.rgb = colour
            if before is not None:
                style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(after)
            self._styles[name] = style
            self._style_ids[name] = None if name == "Normal" else style.style_id
        self._styles["Heading 1"].paragraph_format.page_break_before = True  # chapters
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            self._styles[name].font.bold = True
        normal = self._styles["Normal"]
        normal.paragraph_format.line_spacing = 1.1
        normal.font.name = "Calibri"  # the template's body font is Cambria
        for name in ("Header", "Footer"):
            furniture = styles[name]
            assert isinstance(furniture, ParagraphStyle)
            furniture.font.size = Pt(SMALL_PT)
            furniture.font.color.rgb = GREY
            stops = furniture.paragraph_format.tab_stops
            stops.clear_all()  # the template's centre and right stops fit a Letter page
            stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    def _paragraph(self, style: str = "Normal") -> Paragraph:
        """A new paragraph in ``style``. The style's id is set directly: python-docx's own
        setter looks the default style up on every call, which made a report take a second."""
        paragraph = self.doc.add_paragraph()
        style_id = self._style_ids[style]
        if style_id is not None:
            paragraph._p.get_or_add_pPr().style = style_id
        return paragraph

    def properties(self, title: str, author: str, subject: str, keywords: str) -> None:
        core = self.doc.core_properties
        core.title = _property(title)
        core.author = _property(author)
        core.subject = _property(subject)
        core.keywords = _property(keywords)
        core.language = "en"
        core.comments = "Prepared with OPSC Gap Check."

    def furniture(
        self, header_left: str, header_right: str, footer_left: str, mark: str, final: bool
    ) -> None:
        """Running header and footer on every page but the cover, with the page number, and
        ``mark`` ("DRAFT" in red, "FINAL" in green) at the top right of every page, the cover
        too."""
        colour = FINAL_MARK if final else DRAFT_MARK
        section = self.doc.sections[0]
        cover = section.first_page_header.paragraphs[0]
        self._run(cover, "\t")
        self._run(cover, mark, size=BODY_PT, colour=colour, bold=True)
        header = section.header.paragraphs[0]
        self._furniture_line(header, header_left, "")
        self._run(header, mark, colour=colour, bold=True)
        self._run(header, f"  ·  {header_right}")
        footer = section.footer.paragraphs[0]
        self._furniture_line(footer, footer_left, "")
        self._run(footer, "Page ")
        self._field(footer, "PAGE")
        self._run(footer, " of ")
        self._field(footer, "NUMPAGES")

    def _furniture_line(self, paragraph: Paragraph, left: str, right: str) -> None:
        self._run(paragraph, left, rtl=is_rtl(left))
        self._run(paragraph, "\t")
        if right:
            self._run(paragraph, right)

    def _field(self, paragraph: Paragraph, instruction: str) -> None:
        """A field the report itself sets (the page number); never made from user text."""
        assert instruction in ("PAGE", "NUMPAGES")
        parts = (("w:fldChar", "begin"), ("w:instrText", instruction), ("w:fldChar", "separate"))
        for tag, value in parts:
            run = self._run(paragraph, "")
            element = OxmlElement(tag)
            if tag == "w:fldChar":
                element.set(qn("w:fldCharType"), value)
            else:
                element.set(qn("xml:space"), "preserve")
                element.text = f" {value} "
            run._r.append(element)
        self._run(paragraph, "1")
        end = self._run(paragraph, "")
        closing = OxmlElement("w:fldChar")
        closing.set(qn("w:fldCharType"), "end")
        end._r.append(closing)

    # -- text ----------------------------------------------------------------------------------

    def _run(
        self,
        paragraph: Paragraph,
        text: str,
        size: float | None = None,
        colour: RGBColor | None = None,
        bold: bool = False,
        italic: bool = False,
        rtl: bool = False,
    ) -> Run:
        run = paragraph.add_run(clean(text))
        if size is not None:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if rtl:
            run.font.rtl = True
        return run

    def heading(self, text: str, level: int) -> Paragraph:
        """'Title' for level 0, 'Heading 1'-'Heading 3' below it."""
        paragraph = self._paragraph("Title" if level == 0 else f"Heading {level}")
        self._run(paragraph, text)
        self._direction(paragraph, text)
        return paragraph

    def para(
        self,
        text: str,
        style: str = "Normal",
        size: float | None = None,
        colour: RGBColor | None = None,
        bold: bool = False,
        italic: bool = False,
        keep_with_next: bool = False,
        indent: Length | None = None,
    ) -> Paragraph:
        """One paragraph in ``style``, its direction from its text."""
        paragraph = self._paragraph(style)
        self._run(paragraph, text, size, colour, bold, italic)
        self._direction(paragraph, text)
        if keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        if indent is not None:
            paragraph.paragraph_format.left_indent = indent
        return paragraph

    def lead_in(
        self, label: str, text: str, bold_text: bool = False, style: str = "Normal", sep: str = ": "
    ) -> Paragraph:
        """ "Label: text" in one paragraph, for the report's own words (left to right)."""
        paragraph = self._paragraph(style)
        self._run(paragraph, f"{label}{sep}", bold=True, colour=GREY)
        self._run(paragraph, text, bold=bold_text)
        return paragraph

    def user_text(self, label: str, lines: Sequence[str], style: str = "Normal") -> None:
        """A label, then the user's text with a paragraph to each line, so that each line
        takes its own direction (an Arabic note beside a French provision). Nothing is
        printed for empty text."""
        kept = [line.strip() for text in lines for line in clean(text).split("\n")]
        kept = [line for line in kept if line]
        if not kept:
            return
        self.para(label, size=SMALL_PT, colour=GREY, bold=True, keep_with_next=True)
        for line in kept:
            self.para(line, style=style)

    def link(self, label: str, address: str) -> None:
        """A source address: a live link when it is a web address Word can follow, plain text
        otherwise."""
        address = clean(address).strip()
        if not address:
            return
        self.para(label, size=SMALL_PT, colour=GREY, bold=True, keep_with_next=True)
        target = _web_address(address)
        if target is None:
            self.para(address)
            return
        paragraph = self._paragraph()
        r_id = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), r_id)
        run = self._run(paragraph, address, colour=LINK)
        run.font.underline = True
        hyperlink.append(run._r)
        paragraph._p.append(hyperlink)

    def _direction(self, paragraph: Paragraph, text: str) -> None:
        if is_rtl(text):
            _set_rtl(paragraph)

    # -- tables --------------------------------------------------------------------------------

    def table(
        self,
        headings: Sequence[str] | None,
        body: Sequence[Sequence[str]],
        widths: Sequence[float],
        first_column: bool = False,
    ) -> Table:
        """A table in the built-in table style; ``headings`` make a header row repeated on
        every page. ``widths`` are shares of the text width."""
        rows = len(body) + (1 if headings else 0)
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.style = self.doc.styles[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _table_look(table, header=headings is not None, first_column=first_column)
        columns = [int(TEXT_WIDTH * share) for share in widths]
        for column, width in zip(table.columns, columns, strict=True):
            column.width = width
        lines = ([list(headings)] if headings else []) + [list(line) for line in body]
        for row, values in zip(table.rows, lines, strict=True):
            for cell, value, width in zip(row.cells, values, columns, strict=True):
                cell.width = width
                self._cell(cell, value)
        if headings:
            _repeat_header(table)
        for row in list(table.rows)[:-1]:  # a short table stays on one page
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        self._paragraph()  # Word runs tables together
        return table

    def _cell(self, cell: _Cell, text: str) -> None:
        lines = clean(text).split("\n")
        paragraph = cell.paragraphs[0]
        for n, line in enumerate(lines):
            if n:
                paragraph = cell.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            self._run(paragraph, line, SMALL_PT + 0.5)
            self._direction(paragraph, line)

    # -- output --------------------------------------------------------------------------------

    def page_break(self) -> None:
        self.doc.add_page_break()

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _property(text: str) -> str:
    text = " ".join(clean(text).split())
    if len(text) <= _CORE_PROPERTY_LIMIT:
        return text
    return text[: _CORE_PROPERTY_LIMIT - 1] + "…"


def _web_address(address: str) -> str | None:
    """The address as a link target (non-ASCII characters escaped), or None when it is not a
    plain http(s) address."""
    if len(address) > _LINK_LIMIT or any(c.isspace() for c in address):
        return None
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(address, safe=":/?#[]@!$&'()*+,;=%-._~")


def _table_look(table: Table, header: bool, first_column: bool) -> None:
    """Which parts of the table style apply: the header row, the first column, banded rows."""
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    values = {
        "w:firstRow": header,
        "w:lastRow": False,
        "w:firstColumn": first_column,
        "w:lastColumn": False,
        "w:noHBand": False,
        "w:noVBand": True,
    }
    for name, on in values.items():
        look.set(qn(name), "1" if on else "0")
    flags = (0x20 if header else 0) | (0x80 if first_column else 0) | 0x400
    look.set(qn("w:val"), f"{flags:04X}")


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
