"""The Word report: the PDF's content in a document a ministry can edit, restyle and paste from.

Same chapters as ``reports.pdf``, from the same rows (``reports.rows``): a cover with the
jurisdiction, the law date, the scope, the status (draft, or the version cleared), the verdict
and the scores; the executive summary; the
gaps ranked by severity with the finding, the provisions cited, the assessor's note, the
recommendation and the Committee's references; the findings item by item; the methodology;
and the articles of the Protocol cited. Headings are Word's 'Title' and 'Heading 1'-'Heading 3'
in order, lists are 'List Bullet' and 'List Number', tables use a built-in table style, so a
ministry's own template restyles all of it. The page layer is ``reports.docx_document``'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.shared import Cm

from reports import Report
from reports.compare_rows import comparison_rows, points_label
from reports.docx_document import GREY, NAVY, SMALL_PT, Writer
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

TITLE = "Gap analysis of the criminal law"
SUBTITLE = (
    "against the Optional Protocol to the Convention on the Rights of the Child on the sale of "
    "children, child prostitution and child pornography"
)
CHAPTERS = (
    "Executive summary",
    "Gaps ranked by severity",
    "Action plan",
    "Detailed findings",
    "Methodology",
    "Annex: articles of the Protocol cited",
)


def render(report: Report) -> bytes:
    """The .docx file's bytes (the registry's seam, like every exporter's)."""
    return render_docx(report)


def render_docx(report: Report) -> bytes:
    rows = build_rows(report)
    writer = Writer()
    _GapReport(writer, rows, report).compose()
    return writer.bytes()


class _GapReport:
    """The report's chapters, in the order ``compose`` writes them."""

    def __init__(self, writer: Writer, rows: Rows, report: Report | None = None):
        self.w, self.rows, self.report = writer, rows, report

    def compose(self) -> None:
        cover = self.rows.cover
        self.w.properties(
            title=f"Gap analysis: {cover.jurisdiction}" if cover.jurisdiction else "Gap analysis",
            author=cover.assessor or "OPSC Gap Check",
            subject=f"Criminal law {SUBTITLE}",
            keywords="OPSC; gap analysis; criminal law; Committee on the Rights of the Child",
        )
        left = "OPSC gap analysis" + (f" · {cover.jurisdiction}" if cover.jurisdiction else "")
        self.w.furniture(
            left,
            cover.date_long,
            f"OPSC Gap Check · checklist {cover.checklist_version}",
            mark=cover.status.upper(),
            final=cover.status == "Final",
        )
        self.cover_page()
        self.summary()
        self.gaps()
        self.changes()
        self.action_plan()
        self.findings()
        self.methodology()
        self.annex()

    # -- cover -------------------------------------------------------------------------------

    def cover_page(self) -> None:
        c, w = self.rows.cover, self.w
        w.para("OPSC GAP CHECK", size=SMALL_PT, colour=GREY, bold=True)
        w.heading(TITLE, 0)
        w.para(SUBTITLE, style="Subtitle")
        w.para(c.jurisdiction or "Jurisdiction not stated", size=22, colour=NAVY, bold=True)
        if c.title:
            w.para(c.title, size=13, colour=GREY)
        w.table(
            None,
            [
                ("Law as it stood on", c.law_date_long),
                ("Scope", c.scope_title),
                ("Assessed by", c.assessor or "not stated"),
                ("Date of the assessment", c.date_long),
                ("Checklist", f"{c.checklist}, version {c.checklist_version}"),
                ("Methodology", f"version {c.methodology_version}"),
                ("Items answered", f"{c.answered} of {c.total}"),
                ("Status", c.status_line),
            ],
            (0.32, 0.68),
            first_column=True,
        )
        w.para("VERDICT", size=SMALL_PT, colour=GREY, bold=True, keep_with_next=True)
        w.para(c.verdict_label, size=14, colour=NAVY, bold=True, keep_with_next=True)
        w.para(c.verdict_meaning, size=SMALL_PT + 0.5, colour=GREY)
        scores = [(r.label, r.value_label) for r in c.scores]
        if c.unanswered_count:
            scores.append(("Not yet answered", f"{c.unanswered_count} of {c.total} items"))
        w.table(("Score", "Value"), scores, (0.6, 0.4))
        if c.ceiling:
            w.para(c.ceiling[:1].upper() + c.ceiling[1:] + ".", size=SMALL_PT, colour=GREY)
        w.table(
            (f"{counted(c.gap_count, 'gap')} by severity", "Gaps"),
            [(label, str(count)) for _, label, count in self.rows.severity_counts],
            (0.6, 0.4),
        )
        w.para(
            "The verdict and the scores summarise the answers; the gaps, the provisions cited "
            "and the recommendations are the substance of the assessment. Prepared with OPSC "
            "Gap Check.",
            size=8,
            colour=GREY,
        )

    # -- executive summary -------------------------------------------------------------------

    def summary(self) -> None:
        c, rows, w = self.rows.cover, self.rows, self.w
        w.heading(CHAPTERS[0], 1)
        counts = {state: count for state, _, count in c.state_counts}
        who = f"the criminal law of {c.jurisdiction}" if c.jurisdiction else "the criminal law"
        scores = "; ".join(f"{r.label.lower()} {r.value_label}" for r in c.scores)
        w.para(
            f"This report assesses {who} as it stood on {c.law_date_long} against the Optional "
            f"Protocol (assessment made on {c.date_long}). Scope: {c.scope_title}, "
            f"{c.total} checklist items."
        )
        w.lead_in("Verdict", f"{c.verdict_label}.", bold_text=True)
        w.para(c.verdict_meaning)
        w.para(
            f"Scores, kept apart: {scores}"
            + (f" ({c.ceiling})" if c.ceiling else "")
            + ". Good practice never lowers the treaty or Committee score. Of the "
            f"{c.total} items, {counts['covered']} are covered, {counts['partly']} partly "
            f"covered, {counts['not-covered']} not covered and {counts['unknown']} still unknown"
            + (f"; {counts['not-applicable']} do not apply" if counts["not-applicable"] else "")
            + (f"; {counts['unanswered']} are not yet answered" if counts["unanswered"] else "")
            + "."
        )
        if not rows.gaps:
            w.para(self._no_gap(), bold=True)
        else:
            graver = ", ".join(
                f"{count} {label.lower()}" for _, label, count in rows.severity_counts if count
            )
            w.para(f"The assessment finds {counted(len(rows.gaps), 'gap')}: {graver}.")
            w.heading("The gravest gaps", 2)
            for gap in rows.gaps[:5]:
                item = w.lead_in(gap.severity_label, gap.sentence, style="List Number", sep=" · ")
                item.paragraph_format.keep_with_next = True
                w.para(gap.recommendation, style="List Continue")
        if c.unknown_count or c.unanswered_count:
            w.para(
                f"{c.unknown_count} item(s) are marked unknown and need research"
                + (f", and {c.unanswered_count} are not yet answered" if c.unanswered_count else "")
                + "; each counts as not covered in the score until it is answered.",
                size=SMALL_PT,
                colour=GREY,
            )
        self.section_scores()

    def _no_gap(self) -> str:
        c = self.rows.cover
        text = "No gap was found among the items answered."
        if c.unanswered_count:
            text += f" {c.unanswered_count} of {c.total} items are not yet answered."
        return text

    def section_scores(self) -> None:
        w = self.w
        w.heading("Score by section", 2)
        w.table(
            ("Section", "Score", "Answered", "Gaps"),
            [
                (s.title, s.score_label, f"{s.answered} of {s.total}", str(s.gaps))
                for s in self.rows.sections
            ],
            (0.55, 0.13, 0.18, 0.14),
        )
        w.para(
            "Weighted share of each section's obligations that the law covers; unknown and "
            "unanswered items count as not covered.",
            size=SMALL_PT,
            colour=GREY,
        )

    # -- gaps --------------------------------------------------------------------------------

    def gaps(self) -> None:
        w = self.w
        w.heading(CHAPTERS[1], 1)
        if not self.rows.gaps:
            w.para(self._no_gap())
            return
        w.para(
            "Each gap is an item the law does not cover, or covers only in part, ranked by the "
            "strength of the obligation it rests on. The recommendation says what the law "
            "should do; the references are the Committee's concluding observations on the "
            "point; the assessor's note gives the reasoning behind the answer.",
            colour=GREY,
        )
        for gap in self.rows.gaps:
            self.gap(gap)

    def gap(self, gap: GapRow) -> None:
        w = self.w
        w.heading(f"{gap.rank}. {gap.title}", 2)
        w.para(
            f"{gap.severity_label} · {gap.section_title} · {gap.treaty_ref} · {gap.kind_label}",
            size=SMALL_PT,
            colour=GREY,
            keep_with_next=True,
        )
        w.lead_in("Finding", gap.finding[:1].upper() + gap.finding[1:] + ".")
        w.user_text("Provisions cited", gap.provisions, style="List Bullet")
        w.user_text(NOTE_LABEL, [gap.note])
        w.lead_in("Recommendation", gap.recommendation, bold_text=True)
        if gap.references:
            w.para("Committee references", size=SMALL_PT, colour=GREY, bold=True)
            for reference in gap.references:
                w.para(reference, style="List Bullet", size=SMALL_PT + 0.5)

    # -- changes since a baseline ------------------------------------------------------------

    def changes(self) -> None:
        """With a baseline chosen (Compare): what changed since it. A chapter of its own,
        after the gaps, so the rest of the report keeps its numbering."""
        report = self.report
        if report is None or report.baseline is None:
            return
        w = self.w
        rows = comparison_rows(report.baseline, report, report.baseline_label)
        w.heading(f"Changes since {rows.first.label}", 1)
        w.table(
            ("", "Then", "Now"),
            [
                ("Assessment", rows.first.label, rows.second.label),
                ("Verdict", rows.first.verdict, rows.second.verdict),
                ("Treaty score", rows.first.treaty_score, rows.second.treaty_score),
                ("Answered", rows.first.answered, rows.second.answered),
                ("Gaps", str(rows.first.gaps), str(rows.second.gaps)),
                ("Change in the treaty score", "", f"{points_label(rows.points)} points"),
            ],
            (0.28, 0.36, 0.36),
            first_column=True,
        )
        w.heading("Items changed", 2)
        if not rows.changed:
            w.para("No answer changed.")
            return
        w.table(
            ("Item", "Then", "Now", "Points", "What changed"),
            [
                (c.title, c.first, c.second, points_label(c.points), ", ".join(c.what))
                for c in rows.changed
            ],
            (0.26, 0.22, 0.22, 0.1, 0.2),
        )

    # -- action plan -------------------------------------------------------------------------

    def action_plan(self) -> None:
        w, plan = self.w, self.rows.actions
        w.heading(CHAPTERS[2], 1)
        if not plan:
            w.para("No gap, and no action planned.")
            return
        w.para(
            "For each gap, the action decided, who is responsible and by when; soonest target "
            f"date first, then the gravest gap. {OVERDUE} marks an action past its date and "
            "neither done nor dropped.",
            colour=GREY,
        )
        w.table(
            ("Gap", "Action", "Responsible", "Target date", "Status"),
            [printed(row) for row in plan],
            (0.24, 0.34, 0.16, 0.12, 0.14),
        )

    # -- findings ----------------------------------------------------------------------------

    def findings(self) -> None:
        w = self.w
        w.heading(CHAPTERS[3], 1)
        w.para(
            "The answer given for each item, the domestic provisions relied on and the "
            "assessor's notes, section by section.",
            colour=GREY,
        )
        for section in self.rows.findings:
            self.section(section)

    def section(self, section: SectionItems) -> None:
        w, s = self.w, section.section
        w.heading(section.title, 2)
        if s is not None:
            w.para(
                f"Score {s.score_label} · {s.answered} of {s.total} answered · "
                f"{s.gaps} gap{'s' if s.gaps != 1 else ''}",
                size=SMALL_PT,
                colour=GREY,
                bold=True,
            )
        w.para(section.intro, size=SMALL_PT + 0.5, colour=GREY)
        for row in section.items:
            self.item(row)

    def item(self, row: ItemRow) -> None:
        w = self.w
        w.heading(row.item.title, 3)
        w.para(
            f"{row.state_label} · {row.obligation}"
            + (f" · score {row.score_label}" if row.score_label else ""),
            size=SMALL_PT,
            colour=GREY,
        )
        w.para(row.item.question, italic=True, colour=GREY)
        w.lead_in("Answer", row.answer_label)
        if row.finding and row.finding != "module not included":
            w.lead_in("Finding", row.finding[:1].upper() + row.finding[1:])
        w.user_text("Provisions", row.provisions, style="List Bullet")
        w.user_text("Excerpt", [row.excerpt], style="Quote")
        w.link("Source", row.source_url)
        w.user_text(NOTE_LABEL, [row.note])

    # -- methodology and annex ---------------------------------------------------------------

    def methodology(self) -> None:
        m, w = self.rows.methodology, self.w
        w.heading(CHAPTERS[4], 1)
        w.para(f"Methodology version {m.version}.", size=SMALL_PT, colour=GREY)
        for paragraph in m.paragraphs:
            w.para(paragraph)
        tables: list[tuple[str, tuple[str, ...], Sequence[Sequence[str]], tuple[float, ...]]] = [
            (
                "The verdict: the first that applies",
                ("Verdict", "Meaning"),
                m.verdicts,
                (0.32, 0.68),
            ),
            (
                "Weight of an item, by the strength of its obligation",
                ("Obligation", "Weight"),
                [(label, f"{weight:g}") for label, weight in m.weights],
                (0.76, 0.24),
            ),
            (
                "Severity of a gap",
                ("Obligation", "Not covered", "Partly covered"),
                m.severities,
                (0.58, 0.21, 0.21),
            ),
            ("Kinds of gap", ("Obligation", "Kind of gap"), m.gap_kinds, (0.41, 0.59)),
        ]
        for title, headings, body, widths in tables:
            w.heading(title, 2)
            w.table(headings, body, widths)

    def annex(self) -> None:
        rows, w = self.rows, self.w
        w.heading(CHAPTERS[5], 1)
        w.para(rows.protocol_title, bold=True)
        w.para(rows.protocol_source, size=SMALL_PT, colour=GREY)
        for article in rows.articles_cited:
            w.heading(article.heading, 2)
            for paragraph in article.paragraphs:
                level = treaty_list_level(paragraph)
                w.para(paragraph, indent=Cm(0.6 * level) if level else None)
