"""The PDF gap report: what a ministry attaches to a submission or hands to a minister.

Cover, executive summary with the gravest gaps, a chart of section scores, the gaps ranked by
severity with recommendations and references, the findings item by item, the methodology,
and the articles of the Protocol quoted in an annex. Every page but the cover carries the
jurisdiction and date; the outline (bookmarks) follows the chapters; text is real text.

fpdf2 breaks lines in time quadratic in their length, which made a complete report take
seconds. Paragraphs are therefore wrapped here, from the fonts' own advance widths, and each
line printed with ``cell``. Text that needs shaping (Arabic, combining marks, Indic scripts)
goes through fpdf2's ``multi_cell`` with HarfBuzz, which also sets right-to-left runs.
"""

from __future__ import annotations

import logging
import re
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from reports import Report, fonts
from reports.rows import GapRow, ItemRow, Rows, SectionItems, build_rows

# ---------------------------------------------------------------------------------------------
# Look

Colour = tuple[int, int, int]
NAVY: Colour = (31, 56, 100)
INK: Colour = (33, 37, 41)
GREY: Colour = (96, 103, 112)
RULE: Colour = (200, 205, 212)
PALE: Colour = (236, 240, 246)
WHITE: Colour = (255, 255, 255)
SEVERITY: dict[str, Colour] = {
    "critical": (176, 0, 32),
    "high": (214, 96, 24),
    "medium": (181, 137, 0),
    "low": (70, 120, 170),
}
STATE: dict[str, Colour] = {
    "covered": (30, 130, 76),
    "partly": (196, 138, 0),
    "not-covered": (176, 0, 32),
    "unknown": (110, 110, 110),
    "not-applicable": (150, 150, 150),
    "unanswered": (150, 150, 150),
}
MARGIN = 20.0
LABEL_W = 30.0  # the side-heading column of gaps and findings
BODY = 10.0
SMALL = 8.5
LEADING = 1.45  # line height as a multiple of the font size

_PT = 0.352778  # mm per point


def render(report: Report) -> bytes:
    rows = build_rows(report)
    with tempfile.TemporaryDirectory(prefix="opsc-fonts-") as workdir:
        doc = _Document(rows, _text_of(rows), Path(workdir))
        doc.compose()
        with _quiet("fontTools"):  # it notes harmless quirks of font tables while subsetting
            return bytes(doc.output())


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _text_of(value: Any) -> Iterator[str]:
    """Every string in the rows, to know which fonts the report needs."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name != "item":
                yield from _text_of(getattr(value, f.name))
    elif isinstance(value, list | tuple):
        for element in value:
            yield from _text_of(element)


_CJK = r"\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")


def needs_shaping(text: str) -> bool:
    """True for text that a plain left-to-right run of glyphs would print wrongly."""
    if text.isascii():
        return False
    for c in text:
        if ord(c) < 0x300:
            continue
        if unicodedata.bidirectional(c) in ("R", "AL") or unicodedata.category(c)[0] == "M":
            return True
    return False


def is_rtl(text: str) -> bool:
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


_LIST_LEVELS = (
    (re.compile(r"^\((?:i|ii|iii|iv|v|vi)\)\s"), 10.0),
    (re.compile(r"^\([a-z]\)\s"), 5.0),
    (re.compile(r"^[a-z]\.\s"), 15.0),
)


def _list_indent(paragraph: str) -> float:
    """Indentation of a treaty sub-paragraph: (a) 5 mm, (i) 10 mm, a. 15 mm."""
    return next((indent for pattern, indent in _LIST_LEVELS if pattern.match(paragraph)), 0.0)


class _Document(FPDF):
    def __init__(self, rows: Rows, text: Iterator[str], workdir: Path):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.rows = rows
        self.set_margins(MARGIN, 24, MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.c_margin = 0
        for face in fonts.primary():
            self.add_font(face.family, face.style, face.path)
        self._fallbacks: list[str] = []
        for n, face in enumerate(fonts.fallbacks(text)):
            path = face.path
            if path is None:
                path = workdir / f"fallback-{n}.ttf"
                path.write_bytes(face.data)
            self.add_font(face.family, face.style, path)
            if face.family not in self._fallbacks:
                self._fallbacks.append(face.family)
        self._fallback_on = False
        self._widths: dict[str, dict[str, float]] = {}
        cover = rows.cover
        self.set_title(
            f"Gap analysis: {cover.jurisdiction}" if cover.jurisdiction else "Gap analysis"
        )
        self.set_author(cover.assessor or "OPSC Gap Check")
        self.set_subject(
            "Criminal law against the Optional Protocol to the CRC on the sale of children, "
            "child prostitution and child pornography"
        )
        self.set_keywords("OPSC; gap analysis; criminal law; Committee on the Rights of the Child")
        self.set_creator("OPSC Gap Check")
        self.set_lang("en")
        self.set_font(fonts.FAMILY, "", BODY)

    # -- page furniture ------------------------------------------------------------------------

    def header(self) -> None:
        if self.page_no() == 1:
            return
        cover = self.rows.cover
        self._style(SMALL, "", GREY)
        left = "OPSC gap analysis"
        if cover.jurisdiction:
            left += f" · {cover.jurisdiction}"
        self.set_xy(MARGIN, 10)
        self._line(left, self.epw * 0.7, 4)
        self.set_xy(MARGIN, 10)
        self.cell(self.epw, 4, cover.date_long, align="R")
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, 15.5, self.w - MARGIN, 15.5)
        self.set_xy(MARGIN, 24)
        self._style(BODY)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-13)
        self._style(SMALL, "", GREY)
        self.cell(
            self.epw / 2,
            4,
            f"OPSC Gap Check · checklist {self.rows.cover.checklist_version}",
        )
        self.cell(self.epw / 2, 4, f"Page {self.page_no()} of {{nb}}", align="R")

    # -- text ----------------------------------------------------------------------------------

    def _style(self, size: float = BODY, style: str = "", colour: Colour = INK) -> None:
        self.set_font(fonts.FAMILY, style, size)
        self.set_text_color(*colour)

    @property
    def _font(self) -> TTFFont:
        font = self.current_font
        assert isinstance(font, TTFFont), "the report sets only its own TrueType fonts"
        return font

    def _width_table(self) -> dict[str, float]:
        key = self._font.fontkey
        if key not in self._widths:
            self._widths[key] = {}
        return self._widths[key]

    def _units(self, text: str) -> float:
        table = self._width_table()
        try:
            return sum(table[c] for c in text)
        except KeyError:
            for c in text:
                if c not in table:
                    table[c] = self._owner(ord(c)).cw[ord(c)]
            return sum(table[c] for c in text)

    def _owner(self, code: int) -> TTFFont:
        """The font that will print character ``code``: the current one, or a fallback."""
        if code in self._font.cmap:
            return self._font
        for family in self._fallbacks:
            key = family.lower()
            font = self.fonts.get(key + self.font_style) or self.fonts[key]
            if isinstance(font, TTFFont) and code in font.cmap:
                return font
        return self._font

    @contextmanager
    def _script(self, text: str) -> Iterator[None]:
        """Turn on shaping and fallback fonts for the text that needs them, and only then:
        both make fpdf2 several times slower."""
        shaping, fallback = self.text_shaping, self._fallback_on
        if needs_shaping(text):
            self.set_text_shaping(True)
        if self._fallbacks and not fallback and not fonts.covered(text):
            self.set_fallback_fonts(self._fallbacks, exact_match=False)
            self._fallback_on = True
            if not self.current_font_is_set_on_page:
                # fpdf2 2.8.9 sets the page font inside the q/Q of a line that starts in a
                # fallback font, so the next line would print in the fallback's glyph IDs.
                self._out(self._set_font_for_page(self._font, self.font_size_pt))
        try:
            yield
        finally:
            self.text_shaping = shaping
            if self._fallback_on and not fallback:
                self.set_fallback_fonts([])
                self._fallback_on = False

    def _measure(self, text: str) -> float:
        if needs_shaping(text):
            with self._script(text):
                return self.get_string_width(text)
        return self._units(text) * self.font_size_pt * 0.001 / self.k

    def _wrap(self, text: str, width: float) -> list[tuple[str, str]]:
        """The lines of ``text`` within ``width``, each with its alignment (right-to-left
        paragraphs align right)."""
        lines: list[tuple[str, str]] = []
        space = self._measure(" ")
        for paragraph in text.split("\n"):
            align = "R" if is_rtl(paragraph) else "L"
            current, used = "", 0.0
            for match in _TOKEN.finditer(paragraph):
                token = match.group()
                gap = bool(current) and match.start() > 0 and paragraph[match.start() - 1].isspace()
                size = self._measure(token)
                extra = (space if gap else 0.0) + size
                if current and used + extra > width:
                    lines.append((current, align))
                    current, used = "", 0.0
                    gap, extra = False, size
                if not current and size > width:
                    for c in token:  # a word longer than the line: break it anywhere
                        w = self._measure(c)
                        if current and used + w > width:
                            lines.append((current, align))
                            current, used = "", 0.0
                        current += c
                        used += w
                    continue
                current += (" " if gap else "") + token
                used += extra
            lines.append((current, align))
        return lines

    def _line(self, text: str, width: float, height: float, align: str = "L") -> None:
        """One line at the current position, shaped when the text needs it."""
        with self._script(text):
            self.cell(width, height, text, align="R" if is_rtl(text) else align)

    def para(
        self,
        text: str,
        size: float = BODY,
        style: str = "",
        colour: Colour = INK,
        indent: float = 0.0,
        after: float = 1.5,
        bar: Colour | None = None,
        width: float | None = None,
    ) -> None:
        """A paragraph at the left margin (plus ``indent``); ``bar`` draws a quote rule."""
        text = text.replace("\t", " ").strip()
        if not text:
            return
        self._style(size, style, colour)
        height = size * LEADING * _PT
        left = self.l_margin + indent
        width = width if width is not None else self.epw - indent
        for line, align in self._wrap(text, width):
            if self.y + height > self.page_break_trigger:
                self.add_page()
            if bar is not None:
                self._bar(left - 3, self.y, self.y + height, bar)
            if align == "L" and fonts.covered(line) and not needs_shaping(line):
                # the common case, and the fastest way fpdf2 has to print a line
                self.text(left, self.y + 0.5 * height + 0.3 * self.font_size, line)
                self.set_xy(self.l_margin, self.y + height)
                continue
            self.set_x(left)
            with self._script(line):
                self.cell(width, height, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)

    def _bar(self, x: float, top: float, bottom: float, colour: Colour) -> None:
        self.set_draw_color(*colour)
        self.set_line_width(0.6)
        self.line(x, top + 0.4, x, bottom - 0.4)

    def labelled(self, label: str, text: str, **style: Any) -> None:
        """A side heading in the margin column and its text beside it, as in a legal memo."""
        text = text.strip()
        if not text:
            return
        size = style.get("size", BODY - 0.5)
        height = size * LEADING * _PT
        self._style(size, style.get("style", ""))
        lines = len(self._wrap(text, self.epw - LABEL_W))
        self.keep(height * (lines if lines <= 6 else 2) + 1)  # short blocks stay whole
        top = self.y
        self._style(7, "B", GREY)
        self.set_xy(MARGIN, top)
        self.cell(LABEL_W, height, label.upper())
        self.set_xy(MARGIN, top)
        self.para(text, indent=LABEL_W, **{"size": size, "after": 1.2, **style})

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm remain: keeps headings with what follows."""
        if self.y + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, level: int = 0, outline: str | None = None) -> None:
        size = {0: 17.0, 1: 12.5, 2: 10.5}[level]
        if level == 0 and self.page_no() > 1 and self.y > self.t_margin + 1:
            self.add_page()
        self.keep(size * _PT * 2 + 25)
        if level > 0:
            self.ln(2)
        if level < 2:  # the outline stops at sections
            self.start_section(outline or text, level=level)
        self.para(text, size=size, style="B", colour=NAVY, after=1.2 if level else 3)
        if level == 0:
            self.set_draw_color(*NAVY)
            self.set_line_width(0.5)
            self.line(self.l_margin, self.y - 1.5, self.l_margin + 25, self.y - 1.5)
            self.ln(3)

    def chip(self, text: str, colour: Colour, x: float, y: float, height: float = 4.6) -> float:
        """A coloured label (severity or status); returns its width."""
        self._style(7, "B", WHITE)
        width = self._measure(text) + 3.2
        self.set_fill_color(*colour)
        self.rect(x, y, width, height, style="F", round_corners=True, corner_radius=0.8)
        self.set_xy(x, y)
        self.cell(width, height, text, align="C")
        return width

    # -- the report ----------------------------------------------------------------------------

    def compose(self) -> None:
        self.alias_nb_pages()
        self.add_page()
        self.cover_page()
        self.add_page()
        self.summary()
        self.chart()
        self.gaps()
        self.findings()
        self.methodology()
        self.annex()

    def cover_page(self) -> None:
        c = self.rows.cover
        self.start_section("Cover")
        self.set_fill_color(*NAVY)
        self.rect(0, 0, self.w, 92, style="F")
        self.set_xy(MARGIN, 24)
        self.para("OPSC GAP CHECK", size=9, style="B", colour=(170, 190, 225), after=5)
        self.para("Gap analysis of the criminal law", size=26, style="B", colour=WHITE, after=3)
        self.para(
            "against the Optional Protocol to the Convention on the Rights of the Child on the "
            "sale of children, child prostitution and child pornography",
            size=12,
            colour=(220, 228, 240),
            width=self.epw * 0.85,
        )
        self.set_y(104)
        self.para(c.jurisdiction or "Jurisdiction not stated", size=22, style="B", colour=NAVY)
        self.para(c.title, size=13, colour=GREY, after=6)
        facts = [
            ("Assessed by", c.assessor or "not stated"),
            ("Date of the assessment", c.date_long),
            ("Checklist", f"{c.checklist}, version {c.checklist_version}"),
            ("Methodology", f"version {c.methodology_version}"),
            ("In the score", "; ".join(c.modules)),
            ("Items answered", f"{c.answered} of {c.total}"),
        ]
        for label, value in facts:
            top = self.y
            self._style(9, "B", GREY)
            self.set_xy(MARGIN, top)
            self.cell(48, 5.2, label)
            self.para(value, size=10, indent=48, after=1.2)
        self.ln(6)
        self.score_panel()
        self.set_y(-38)
        self.para(
            "The score summarises the answers for orientation; the gaps, the provisions cited and "
            "the recommendations are the substance of the assessment. Prepared with OPSC Gap "
            "Check.",
            size=8,
            colour=GREY,
        )

    def score_panel(self) -> None:
        c = self.rows.cover
        top = self.y
        self.set_fill_color(*PALE)
        self.rect(MARGIN, top, self.epw, 34, style="F")
        self.set_xy(MARGIN + 6, top + 5)
        self._style(9, "B", GREY)
        self.cell(60, 5, "OVERALL SCORE")
        self.set_xy(MARGIN + 6, top + 11)
        self._style(30, "B", NAVY)
        self.cell(60, 14, c.overall_label)
        self._score_bar(MARGIN + 6, top + 27, 60, c.overall)
        if c.unanswered_count:
            self.set_xy(MARGIN + 6, top + 29.5)
            self._style(7, "", GREY)
            self.cell(70, 4, f"Provisional: {c.unanswered_count} items not yet answered")
        x = MARGIN + 80
        self.set_xy(x, top + 5)
        self._style(9, "B", GREY)
        self.cell(60, 5, f"{c.gap_count} GAPS BY SEVERITY")
        for n, (severity, label, count) in enumerate(self.rows.severity_counts):
            left = x + n * 22
            self.set_xy(left, top + 12)
            self._style(20, "B", SEVERITY[severity])
            self.cell(20, 10, str(count))
            self.set_xy(left, top + 23)
            self._style(8, "", GREY)
            self.cell(20, 4, label)
        self.set_y(top + 40)

    def _score_bar(self, x: float, y: float, width: float, score: float | None) -> None:
        self.set_fill_color(*RULE)
        self.rect(x, y, width, 2.4, style="F")
        if score:
            self.set_fill_color(*NAVY)
            self.rect(x, y, width * score, 2.4, style="F")

    def summary(self) -> None:
        c, rows = self.rows.cover, self.rows
        self.heading("Executive summary")
        counts = {state: count for state, _, count in c.state_counts}
        who = f"the criminal law of {c.jurisdiction}" if c.jurisdiction else "the criminal law"
        self.para(
            f"This report assesses {who} as it stood on {c.date_long} against the Optional "
            f"Protocol, with {c.total} checklist items ({'; '.join(c.modules)}). Weighted by the "
            f"strength of each obligation, the law scores {c.overall_label} overall. Of the "
            f"{c.total} items, {counts['covered']} are covered, {counts['partly']} partly "
            f"covered, {counts['not-covered']} not covered and {counts['unknown']} still unknown"
            + (f"; {counts['not-applicable']} do not apply" if counts["not-applicable"] else "")
            + (f"; {counts['unanswered']} are not yet answered" if counts["unanswered"] else "")
            + ".",
            after=3,
        )
        if not rows.gaps:
            self.para(self._no_gap(), style="B", after=4)
        else:
            graver = ", ".join(
                f"{count} {label.lower()}" for _, label, count in rows.severity_counts if count
            )
            self.para(f"The assessment finds {len(rows.gaps)} gaps: {graver}.", after=4)
            self.heading("The gravest gaps", level=1, outline="The five gravest gaps")
            for gap in rows.gaps[:5]:
                self.keep(14)
                top = self.y
                self.chip(gap.severity_label.upper(), SEVERITY[gap.severity], MARGIN, top + 0.6)
                self.set_xy(MARGIN, top)
                self.para(f"{gap.rank}. {gap.sentence}", indent=22, after=1)
                self.para(gap.recommendation, size=9, colour=GREY, indent=22, after=3)
        if c.unknown_count or c.unanswered_count:
            self.para(
                f"{c.unknown_count} item(s) are marked unknown and need research"
                + (f", and {c.unanswered_count} are not yet answered" if c.unanswered_count else "")
                + "; each counts as not covered in the score until it is answered.",
                size=9,
                colour=GREY,
                after=3,
            )

    def _no_gap(self) -> str:
        c = self.rows.cover
        text = "No gap was found among the items answered."
        if c.unanswered_count:
            text += f" {c.unanswered_count} of {c.total} items are not yet answered."
        return text

    def chart(self) -> None:
        sections = self.rows.sections
        self.keep(24 + 7.5 * len(sections))
        self.heading("Score by section", level=1)
        label_w, bar_w = 68.0, self.epw - 68.0 - 16
        for s in sections:
            top = self.y
            self._style(9, "", INK)
            self.set_xy(MARGIN, top)
            title = s.title
            while self._measure(title) > label_w - 3 and len(title) > 4:
                title = title[:-2].rstrip() + "…"
            self._line(title, label_w, 6)
            self.set_fill_color(*PALE)
            self.rect(MARGIN + label_w, top + 1.2, bar_w, 3.6, style="F")
            if s.score:
                self.set_fill_color(*NAVY)
                self.rect(MARGIN + label_w, top + 1.2, bar_w * s.score, 3.6, style="F")
            self._style(9, "B", NAVY)
            self.set_xy(MARGIN + label_w + bar_w, top)
            self.cell(16, 6, s.score_label, align="R")
            self.set_xy(MARGIN, top + 7.5)
        self._style(7.5, "", GREY)
        self.para(
            "Weighted share of each section's obligations that the law covers; unknown and "
            "unanswered items count as not covered.",
            size=7.5,
            colour=GREY,
            after=2,
        )

    def gaps(self) -> None:
        self.heading("Gaps ranked by severity")
        if not self.rows.gaps:
            self.para(self._no_gap())
            return
        self.para(
            "Each gap is an item the law does not cover, or covers only in part, ranked by the "
            "strength of the obligation it rests on. The recommendation says what the law "
            "should do; the references are the Committee's concluding observations on the point.",
            colour=GREY,
            after=4,
        )
        for gap in self.rows.gaps:
            self.gap(gap)

    def gap(self, gap: GapRow) -> None:
        self.keep(40)
        self.start_section(f"{gap.rank}. {gap.title}", level=1)
        top = self.y
        width = self.chip(gap.severity_label.upper(), SEVERITY[gap.severity], MARGIN, top + 0.8)
        self.set_xy(MARGIN, top)
        self.para(f"{gap.rank}. {gap.title}", size=11, style="B", indent=width + 3, after=0.5)
        self.para(
            f"{gap.section_title} · {gap.treaty_ref} · {gap.kind_label}",
            size=8.5,
            colour=GREY,
            after=1.5,
        )
        self.labelled("Finding", gap.finding[:1].upper() + gap.finding[1:] + ".")
        self.labelled("Provisions cited", "\n".join(gap.provisions))
        self.labelled("Recommendation", gap.recommendation, style="B")
        self.labelled("Committee", "\n".join(gap.references), size=8.5, colour=GREY)
        self._rule()

    def _rule(self) -> None:
        self.ln(1)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, self.y, self.w - MARGIN, self.y)
        self.ln(3)

    def findings(self) -> None:
        self.heading("Detailed findings")
        self.para(
            "The answer given for each item, the domestic provisions relied on and the "
            "assessor's notes, section by section.",
            colour=GREY,
            after=3,
        )
        for section in self.rows.findings:
            self.section(section)

    def section(self, section: SectionItems) -> None:
        s = section.section
        if s is None:
            summary = "not in the score (module not included)"
        else:
            summary = (
                f"score {s.score_label} · {s.answered} of {s.total} answered · "
                f"{s.gaps} gap{'s' if s.gaps != 1 else ''}"
            )
        self.keep(70)  # the heading, its introduction and the first item together
        self.heading(section.title, level=1)
        self.para(summary, size=8.5, style="B", colour=GREY, after=1)
        self.para(section.intro, size=9, colour=GREY, after=3)
        for row in section.items:
            self.item(row)

    def item(self, row: ItemRow) -> None:
        self.keep(30)
        top = self.y
        colour = STATE.get(row.state or "", STATE["unanswered"])
        self._style(7, "B", WHITE)
        chip_w = self._measure(row.state_label.upper()) + 3.2
        self.chip(row.state_label.upper(), colour, self.w - MARGIN - chip_w, top + 0.6)
        self.set_xy(MARGIN, top)
        self.para(row.item.title, size=10.5, style="B", width=self.epw - chip_w - 4, after=0.3)
        self.para(
            f"{row.obligation}" + (f" · score {row.score_label}" if row.score_label else ""),
            size=8,
            colour=GREY,
            after=1,
        )
        self.para(row.item.question, size=9, colour=GREY, after=1.5)
        self.labelled("Answer", row.answer_label)
        if row.finding and row.finding not in ("module not included",):
            self.labelled("Finding", row.finding[:1].upper() + row.finding[1:])
        self.labelled("Provisions", "\n".join(row.provisions))
        self.labelled("Excerpt", row.excerpt, size=9, colour=(70, 76, 84))
        url = row.source_url.strip()
        if url:
            self.keep(8)
        page, top = self.page, self.y
        self.labelled("Source", url, size=8.5, colour=NAVY)
        if url.startswith(("https://", "http://")) and self.page == page and self.y > top:
            self.link(MARGIN + LABEL_W, top, self.epw - LABEL_W, self.y - top - 1.2, url)
        self.labelled("Note", row.note)
        self._rule()

    def methodology(self) -> None:
        m = self.rows.methodology
        self.heading("Methodology")
        self.para(f"Methodology version {m.version}.", size=8.5, colour=GREY, after=2)
        for paragraph in m.paragraphs:
            self.para(paragraph, after=2.5)
        self.data_table(
            "Weight of an item, by the strength of its obligation",
            ("Obligation", "Weight"),
            [(label, f"{weight:g}") for label, weight in m.weights],
            (130, 40),
        )
        self.data_table(
            "Severity of a gap",
            ("Obligation", "Not covered", "Partly covered"),
            m.severities,
            (100, 35, 35),
        )
        self.data_table("Kinds of gap", ("Obligation", "Kind of gap"), m.gap_kinds, (70, 100))

    def data_table(
        self,
        title: str,
        headings: tuple[str, ...],
        body: Sequence[tuple[str, ...]],
        widths: tuple[float, ...],
    ) -> None:
        self.keep(14 + 6 * len(body))
        self.heading(title, level=2)
        self._table_row(headings, widths, NAVY, WHITE, "B")
        for n, line in enumerate(body):
            self._table_row(line, widths, PALE if n % 2 else WHITE, INK, "")
        self.ln(3)

    def _table_row(
        self,
        values: tuple[str, ...],
        widths: tuple[float, ...],
        fill: Colour,
        colour: Colour,
        style: str,
    ) -> None:
        size, pad = 8.5, 1.6
        height = size * LEADING * _PT
        self._style(size, style, colour)
        cells = [self._wrap(str(v), w - 2 * pad) for v, w in zip(values, widths, strict=True)]
        row_h = height * max(len(c) for c in cells) + 1.2
        self.keep(row_h)
        top, x = self.y, self.l_margin
        self.set_fill_color(*fill)
        self.rect(x, top, sum(widths), row_h, style="F")
        for lines, width in zip(cells, widths, strict=True):
            for n, (line, align) in enumerate(lines):
                self.set_xy(x + pad, top + 0.6 + n * height)
                with self._script(line):
                    self.cell(width - 2 * pad, height, line, align=align)
            x += width
        self.set_xy(self.l_margin, top + row_h)

    def annex(self) -> None:
        rows = self.rows
        self.heading("Annex: articles of the Protocol cited", outline="Annex: articles cited")
        self.para(rows.protocol_title, style="B", after=1)
        self.para(rows.protocol_source, size=8.5, colour=GREY, after=4)
        for article in rows.articles_cited:
            self.keep(20)
            self.start_section(article.heading, level=1)
            self.para(article.heading, size=10.5, style="B", colour=NAVY, after=1)
            for paragraph in article.paragraphs:
                self.para(paragraph, size=9.5, indent=_list_indent(paragraph), after=1.8)
            self.ln(2)
