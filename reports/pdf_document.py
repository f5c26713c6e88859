"""The PDF page layer: fonts, measured and wrapped text, paragraphs, headings, chips, bars
and tables, on A4 pages in the report's look. ``reports.pdf`` builds the report's sections on it.

fpdf2 breaks lines in time quadratic in their length, which made a complete report take
seconds. Paragraphs are therefore wrapped here, from the fonts' own advance widths, and each
line printed with ``cell``. Text that needs shaping (Arabic, combining marks, Indic scripts)
goes through fpdf2's ``multi_cell`` with HarfBuzz, which also sets right-to-left runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from reports import fonts
from reports.rows import is_rtl

# ---------------------------------------------------------------------------------------------
# Look

Colour = tuple[int, int, int]
NAVY: Colour = (31, 56, 100)
INK: Colour = (33, 37, 41)
GREY: Colour = (96, 103, 112)
RULE: Colour = (200, 205, 212)
PALE: Colour = (236, 240, 246)
WHITE: Colour = (255, 255, 255)
MARGIN = 20.0
LABEL_W = 30.0  # the side-heading column of gaps and findings
BODY = 10.0
SMALL = 8.5
LEADING = 1.45  # line height as a multiple of the font size

_PT = 0.352778  # mm per point

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


class Document(FPDF):
    """An A4 page in the report's fonts and margins, with the primitives its sections use."""

    def __init__(self, text: Iterator[str], workdir: Path):
        super().__init__(orientation="portrait", unit="mm", format="A4")
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
        self.set_font(fonts.FAMILY, "", BODY)

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

    # -- bars, rules and tables ----------------------------------------------------------------

    def _score_bar(self, x: float, y: float, width: float, score: float | None) -> None:
        self.set_fill_color(*RULE)
        self.rect(x, y, width, 2.4, style="F")
        if score:
            self.set_fill_color(*NAVY)
            self.rect(x, y, width * score, 2.4, style="F")

    def _rule(self) -> None:
        self.ln(1)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, self.y, self.w - MARGIN, self.y)
        self.ln(3)

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
