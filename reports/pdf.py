"""The PDF gap report: what a ministry attaches to a submission or hands to a minister.

Cover, executive summary with the gravest gaps, a chart of section scores, the gaps ranked by
severity with recommendations and references, the findings item by item, the methodology,
and the articles of the Protocol quoted in an annex. Every page but the cover carries the
jurisdiction and date; the outline (bookmarks) follows the chapters; text is real text. The
pages, fonts and text layout are ``reports.pdf_document``'s.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from reports import Report
from reports.pdf_document import (
    BODY,
    GREY,
    INK,
    LABEL_W,
    MARGIN,
    NAVY,
    PALE,
    RULE,
    SMALL,
    WHITE,
    Colour,
    Document,
)

# text direction and shaping, importable from here as before
from reports.pdf_document import is_rtl as is_rtl
from reports.pdf_document import needs_shaping as needs_shaping
from reports.plan_rows import OVERDUE, printed
from reports.rows import (
    NOTE_LABEL,
    GapRow,
    ItemRow,
    Rows,
    SectionItems,
    build_rows,
    counted,
    treaty_list_level,
)

DRAFT_MARK: Colour = (192, 0, 0)  # the status at the top of every page: red while a draft
FINAL_MARK: Colour = (46, 125, 50)  # green once the version shown is cleared

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


def render(report: Report) -> bytes:
    rows = build_rows(report)
    with tempfile.TemporaryDirectory(prefix="opsc-fonts-") as workdir:
        doc = _GapReport(rows, _text_of(rows), Path(workdir))
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


def _list_indent(paragraph: str) -> float:
    """Indentation of a treaty sub-paragraph: (a) 5 mm, (i) 10 mm, a. 15 mm."""
    return 5.0 * treaty_list_level(paragraph)


class _GapReport(Document):
    """The report's chapters, in the order ``compose`` prints them, and its page furniture."""

    def __init__(self, rows: Rows, text: Iterator[str], workdir: Path):
        super().__init__(text, workdir)
        self.rows = rows
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

    # -- page furniture ------------------------------------------------------------------------

    def header(self) -> None:
        if self.page_no() == 1:
            return  # the cover draws its band first, then the mark on it
        self._status_mark()
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

    def _status_mark(self, colour: Colour | None = None, size: float = SMALL) -> None:
        """'DRAFT' (red) or 'FINAL' (green) at the top right of every page, the cover too."""
        final = self.rows.cover.status == "Final"
        self._style(size, "B", colour or (FINAL_MARK if final else DRAFT_MARK))
        self.set_xy(self.w - MARGIN - 40, 5)
        self.cell(40, 5, self.rows.cover.status.upper(), align="R")

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

    # -- the report ----------------------------------------------------------------------------

    def compose(self) -> None:
        self.alias_nb_pages()
        self.add_page()
        self.cover_page()
        self.add_page()
        self.summary()
        self.chart()
        self.gaps()
        self.action_plan()
        self.findings()
        self.methodology()
        self.annex()

    def cover_page(self) -> None:
        c = self.rows.cover
        self.start_section("Cover")
        self.set_fill_color(*NAVY)
        self.rect(0, 0, self.w, 92, style="F")
        self._status_mark(colour=WHITE, size=11)
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
            ("Law as it stood on", c.law_date_long),
            ("Scope", c.scope_title),
            ("Assessed by", c.assessor or "not stated"),
            ("Date of the assessment", c.date_long),
            ("Checklist", f"{c.checklist}, version {c.checklist_version}"),
            ("Methodology", f"version {c.methodology_version}"),
            ("Items answered", f"{c.answered} of {c.total}"),
            ("Status", c.status_line),
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
            "The verdict and the scores summarise the answers; the gaps, the provisions cited and "
            "the recommendations are the substance of the assessment. Prepared with OPSC Gap "
            "Check.",
            size=8,
            colour=GREY,
        )

    def score_panel(self) -> None:
        c = self.rows.cover
        top = self.y
        self.set_fill_color(*PALE)
        self.rect(MARGIN, top, self.epw, 52, style="F")
        self.set_xy(MARGIN + 6, top + 5)
        self._style(9, "B", GREY)
        self.cell(60, 5, "VERDICT")
        self.set_xy(MARGIN + 6, top + 11)
        self.para(c.verdict_label, size=13, style="B", colour=NAVY, indent=6, width=68, after=1)
        treaty = c.scores[0]
        self.set_xy(MARGIN + 6, top + 30)
        self._style(8, "B", GREY)
        self.cell(60, 4, f"{treaty.label.upper()}: {treaty.value_label}")
        self._score_bar(MARGIN + 6, top + 35.5, 60, treaty.value)
        others = " · ".join(f"{r.label} {r.value_label}" for r in c.scores[1:])
        self.set_xy(MARGIN + 6, top + 39)
        self._style(7, "", GREY)
        self.multi_cell(
            70,
            3.4,
            others + (f" · {c.unanswered_count} not yet answered" if c.unanswered_count else ""),
        )
        x = MARGIN + 80
        self.set_xy(x, top + 5)
        self._style(9, "B", GREY)
        self.cell(60, 5, f"{counted(c.gap_count, 'gap')} by severity".upper())
        for n, (severity, label, count) in enumerate(self.rows.severity_counts):
            left = x + n * 22
            self.set_xy(left, top + 12)
            self._style(20, "B", SEVERITY[severity])
            self.cell(20, 10, str(count))
            self.set_xy(left, top + 23)
            self._style(8, "", GREY)
            self.cell(20, 4, label)
        self.set_y(top + 58)

    def summary(self) -> None:
        c, rows = self.rows.cover, self.rows
        self.heading("Executive summary")
        counts = {state: count for state, _, count in c.state_counts}
        who = f"the criminal law of {c.jurisdiction}" if c.jurisdiction else "the criminal law"
        scores = "; ".join(f"{r.label.lower()} {r.value_label}" for r in c.scores)
        self.para(
            f"This report assesses {who} as it stood on {c.law_date_long} against the Optional "
            f"Protocol (assessment made on {c.date_long}). Scope: {c.scope_title}, "
            f"{c.total} checklist items.",
            after=2,
        )
        self.para(f"Verdict: {c.verdict_label}.", style="B", after=1)
        self.para(c.verdict_meaning, after=2)
        self.para(
            f"Scores, kept apart: {scores}"
            + (f" ({c.ceiling})" if c.ceiling else "")
            + ". Good practice never lowers the treaty or Committee score. Of the "
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
            self.para(f"The assessment finds {counted(len(rows.gaps), 'gap')}: {graver}.", after=4)
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
        self.labelled(NOTE_LABEL, gap.note)
        self.labelled("Recommendation", gap.recommendation, style="B")
        self.labelled("Committee", "\n".join(gap.references), size=8.5, colour=GREY)
        self._rule()

    def action_plan(self) -> None:
        self.heading("Action plan")
        plan = self.rows.actions
        if not plan:
            self.para("No gap, and no action planned.")
            return
        self.para(
            "For each gap, the action decided, who is responsible and by when; soonest target "
            f"date first, then the gravest gap. {OVERDUE} marks an action past its date and "
            "neither done nor dropped.",
            colour=GREY,
            after=2,
        )
        self.data_table(
            "Actions",
            ("Gap", "Action", "Responsible", "Target date", "Status"),
            [printed(row) for row in plan],
            (44, 62, 30, 22, 24),
        )

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
        if s is None:  # reports list only the sections in scope; kept for safety
            summary = ""
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
        self.labelled(NOTE_LABEL, row.note)
        self._rule()

    def methodology(self) -> None:
        m = self.rows.methodology
        self.heading("Methodology")
        self.para(f"Methodology version {m.version}.", size=8.5, colour=GREY, after=2)
        for paragraph in m.paragraphs:
            self.para(paragraph, after=2.5)
        self.data_table(
            "The verdict: the first that applies",
            ("Verdict", "Meaning"),
            m.verdicts,
            (55, 115),
        )
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
