"""The shared row builder: a ``Report`` as plain records, labelled once for every exporter.

The workbook and the PDF print the same facts in different shapes. Both take them from here,
so a percentage or a sentence about a gap is worded in one place and the two files never
disagree; labels ("Partly covered") come from ``checklist.wording``, as in the app. Nothing
here scores: every figure comes from the ``Result``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from checklist import drafting
from checklist.assessment import Answer
from checklist.schema import ElementsAnswer, Item, NumberAnswer
from checklist.scoring import ItemResult, State
from checklist.wording import (
    ELEMENT_LABELS,
    OUT_OF_SCOPE,
    SEVERITY_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
    describe_answer,
    describe_reference,
    long_date,
)
from reports import Report
from reports.plan_rows import ActionRow, action_rows

NOTE_LABEL = "Assessor's note"  # the note given with an answer, as every report heads it
_UNKNOWN = STATUS_LABELS["unknown"]
_NA = STATUS_LABELS["not-applicable"]
ANSWER_TYPE_HINTS: dict[str, str] = {
    "status": "Choose {covered}, {partly} or {not_covered} in Status.",
    "number": "Enter the number in Value ({unit}, {minimum:g}-{maximum:g}).",
    "choice": "Choose one option in Choice.",
    "elements": "Mark each conduct below {covered}, {not_covered} or {unknown}.",
}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def plain(text: str) -> str:
    """User text as a document can hold it: one kind of line break, no control characters."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def is_rtl(text: str) -> bool:
    """True when the text's first strongly directional character is right-to-left: the rule
    Unicode (and Word) use for a paragraph's direction."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


_TREATY_LIST_LEVELS = (
    (re.compile(r"^\((?:i|ii|iii|iv|v|vi)\)\s"), 2),
    (re.compile(r"^\([a-z]\)\s"), 1),
    (re.compile(r"^[a-z]\.\s"), 3),
)


def treaty_list_level(paragraph: str) -> int:
    """How deep a paragraph of the Protocol sits: (a) 1, (i) 2, a. 3, any other 0."""
    return next((level for pattern, level in _TREATY_LIST_LEVELS if pattern.match(paragraph)), 0)


def counted(number: int, noun: str) -> str:
    """ "1 gap", "41 gaps": a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)}%"


@dataclass(frozen=True)
class ScoreRow:
    kind: str
    label: str
    value: float | None
    value_label: str


@dataclass(frozen=True)
class Cover:
    jurisdiction: str
    assessor: str
    title: str
    date: str
    date_long: str
    law_date: str
    law_date_long: str
    checklist: str
    checklist_version: str
    methodology_version: str
    scope: str
    scope_title: str
    modules: list[str]
    verdict: str
    verdict_label: str
    verdict_meaning: str
    scores: list[ScoreRow]  # treaty, Committee, good practice: in that order
    ceiling: str  # why the treaty score is capped ("" when it is not)
    answered: int
    total: int
    gap_count: int
    unknown_count: int
    unanswered_count: int
    state_counts: list[tuple[str, str, int]]  # state, label, items in that state
    # "Draft" or "Final" (on every page), and one sentence: which version, cleared by whom
    # and when, or why it is still a draft (checklist.drafting.clearance).
    status: str = "Draft"
    status_line: str = "Draft: not signed off (only a cleared version is final)."


@dataclass(frozen=True)
class SectionRow:
    id: str
    title: str
    module: str
    score: float | None
    score_label: str
    answered: int
    total: int
    gaps: int


@dataclass(frozen=True)
class GapRow:
    rank: int
    item_id: str
    severity: str
    severity_label: str
    section_title: str
    title: str
    strength_label: str
    kind_label: str
    state_label: str
    finding: str
    treaty_ref: str
    recommendation: str
    references: list[str]
    provisions: list[str]
    note: str  # the assessor's reasoning, as typed with the answer

    @property
    def sentence(self) -> str:
        """The gap in one sentence, for the executive summary."""
        return f"{self.title} ({self.treaty_ref}): {self.finding}."


@dataclass(frozen=True)
class ElementRow:
    id: str
    label: str
    status: str  # "" when not ticked
    status_label: str


@dataclass(frozen=True)
class ItemRow:
    item: Item
    section_id: str
    section_title: str
    in_score: bool
    state: State | None  # None when the item's module is not in the score
    state_label: str
    score: float | None
    score_label: str
    finding: str
    obligation: str
    how_to_answer: str
    answer_label: str  # checklist.wording.describe_answer: the verdict, ticks included
    status: str
    value: float | None
    choice: str
    elements: list[ElementRow]
    provisions: list[str]
    excerpt: str
    source_url: str
    note: str

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def answer_type(self) -> str:
        return self.item.answer.type


@dataclass(frozen=True)
class SectionItems:
    section: SectionRow | None  # None for a section whose module is not in the score
    id: str
    title: str
    intro: str
    items: list[ItemRow]


@dataclass(frozen=True)
class MethodologyRows:
    version: str
    paragraphs: list[str]
    verdicts: list[tuple[str, str]]  # label, meaning, in the order they are tried
    weights: list[tuple[str, float]]
    answer_scores: list[tuple[str, float]]
    severities: list[tuple[str, str, str]]  # strength, not covered, partly covered
    gap_kinds: list[tuple[str, str]]


@dataclass(frozen=True)
class ArticleRow:
    number: int
    paragraphs: list[str]

    @property
    def heading(self) -> str:
        return f"Article {self.number}"


@dataclass(frozen=True)
class Rows:
    cover: Cover
    sections: list[SectionRow]
    severity_counts: list[tuple[str, str, int]]  # severity, label, count
    gaps: list[GapRow]
    findings: list[SectionItems]
    methodology: MethodologyRows
    articles_cited: list[ArticleRow]
    protocol_title: str
    protocol_source: str
    preamble: list[str]
    articles: list[ArticleRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)  # the action plan, in its order

    @property
    def items(self) -> list[ItemRow]:
        return [row for section in self.findings for row in section.items]


def build_rows(report: Report) -> Rows:
    result, checklist, protocol = report.result, report.checklist, report.protocol
    methodology = result.methodology
    module_titles: dict[str, str] = {m.id: m.title for m in checklist.modules}
    clearance = drafting.clearance(report.assessment)
    cover = Cover(
        jurisdiction=plain(result.jurisdiction).strip(),
        assessor=plain(result.assessor).strip(),
        title=plain(result.title).strip(),
        date=result.date,
        date_long=long_date(result.date),
        law_date=result.law_date,
        law_date_long=long_date(result.law_date),
        checklist=checklist.title,
        checklist_version=checklist.version,
        methodology_version=methodology.version,
        scope=result.scope,
        scope_title=result.scope_title,
        modules=[module_titles.get(m, m) for m in result.modules],
        verdict=result.verdict,
        verdict_label=result.verdict_label,
        verdict_meaning=" ".join(result.verdict_meaning.split()),
        scores=[
            ScoreRow(kind, spec.label, result.score_of(kind), percent(result.score_of(kind)))
            for kind, spec in methodology.scores.items()
        ],
        ceiling=result.ceiling,
        answered=result.answered,
        total=result.total,
        gap_count=len(result.gaps),
        unknown_count=len(result.unknowns),
        unanswered_count=len(result.unanswered),
        state_counts=[
            (state, label, sum(r.state == state for r in result.items))
            for state, label in STATE_LABELS.items()
        ],
        status=clearance.mark,
        status_line=plain(clearance.describe()),
    )
    sections = [
        SectionRow(
            id=s.id,
            title=s.title,
            module=module_titles.get(s.module, s.module),
            score=s.score,
            score_label=percent(s.score),
            answered=s.answered,
            total=s.total,
            gaps=s.gaps,
        )
        for s in result.sections
    ]
    counts = result.gaps_by_severity()
    cited = _articles_cited(report)
    return Rows(
        actions=action_rows(report),
        cover=cover,
        sections=sections,
        severity_counts=[(s, SEVERITY_LABELS[s], counts[s]) for s in methodology.severity_order],
        gaps=[_gap_row(report, gap_index) for gap_index in range(len(result.gaps))],
        findings=_findings(report, sections),
        methodology=MethodologyRows(
            version=methodology.version,
            paragraphs=[" ".join(p.split()) for p in methodology.explanation.split("\n\n")],
            verdicts=[
                (v.label, " ".join(v.meaning.split())) for v in methodology.verdicts.values()
            ],
            weights=[(methodology.strength_labels[s], w) for s, w in methodology.weights.items()],
            answer_scores=[(STATE_LABELS[s], v) for s, v in methodology.status_scores.items()],
            severities=[
                (
                    methodology.strength_labels[s],
                    SEVERITY_LABELS[row["not-covered"]],
                    SEVERITY_LABELS[row["partly"]],
                )
                for s, row in methodology.severity.items()
            ],
            gap_kinds=[
                (methodology.strength_labels[s], methodology.gap_kind_labels[k])
                for s, k in methodology.gap_kinds.items()
            ],
        ),
        articles_cited=cited,
        protocol_title=" ".join(protocol.title.split()),
        protocol_source=" ".join(protocol.source.split()),
        preamble=[" ".join(p.split()) for p in protocol.preamble],
        articles=[_article(a.number, a.paragraphs) for a in protocol.articles],
    )


def _article(number: int, paragraphs: list[str]) -> ArticleRow:
    return ArticleRow(number, [" ".join(p.split()) for p in paragraphs])


def _articles_cited(report: Report) -> list[ArticleRow]:
    numbers: set[int] = set()
    for item in report.checklist.items(frozenset(report.result.modules)):
        numbers.update(a.number for a in report.protocol.articles_cited(item.treaty_ref))
    return [
        _article(a.number, a.paragraphs) for a in report.protocol.articles if a.number in numbers
    ]


def _gap_row(report: Report, index: int) -> GapRow:
    gap = report.result.gaps[index]
    answer = report.assessment.answers.get(gap.id) or Answer()
    state_label = STATE_LABELS[gap.state].lower()
    return GapRow(
        rank=gap.rank,
        item_id=gap.id,
        severity=gap.severity,
        severity_label=SEVERITY_LABELS[gap.severity],
        section_title=gap.section_title,
        title=gap.title,
        strength_label=report.result.methodology.strength_labels[gap.strength],
        kind_label=gap.kind_label,
        state_label=STATE_LABELS[gap.state],
        finding=f"{state_label} ({gap.reason})" if gap.reason else state_label,
        treaty_ref=gap.treaty_ref,
        recommendation=" ".join(gap.recommendation.split()),
        references=[describe_reference(r) for r in gap.references],
        provisions=[plain(p) for p in answer.provisions],
        note=plain(answer.note).strip(),
    )


def _findings(report: Report, sections: list[SectionRow]) -> list[SectionItems]:
    """The sections in the assessment's scope, with every item: reports leave the rest out."""
    scored = {r.id: r for r in report.result.items}
    by_id = {s.id: s for s in sections}
    out = []
    for section in report.checklist.sections:
        if section.id not in by_id:
            continue
        rows = [
            _item_row(report, item, section.id, section.title, scored) for item in section.items
        ]
        out.append(
            SectionItems(
                section=by_id.get(section.id),
                id=section.id,
                title=section.title,
                intro=" ".join(section.intro.split()),
                items=rows,
            )
        )
    return out


def _item_row(
    report: Report,
    item: Item,
    section_id: str,
    section_title: str,
    scored: dict[str, ItemResult],
) -> ItemRow:
    answer = report.assessment.answers.get(item.id) or Answer()
    result = scored.get(item.id)
    methodology = report.result.methodology
    if result is None:
        state, state_label, score, finding = None, OUT_OF_SCOPE, None, "module not included"
    else:
        state, score = result.state, result.score
        state_label = STATE_LABELS[result.state]
        finding = result.reason
    return ItemRow(
        item=item,
        section_id=section_id,
        section_title=section_title,
        in_score=result is not None,
        state=state,
        state_label=state_label,
        score=score,
        score_label="" if score is None or state == "unanswered" else percent(score),
        finding=finding,
        obligation=f"{item.treaty_ref} · {methodology.strength_labels[item.strength]}",
        how_to_answer=how_to_answer(item),
        answer_label=describe_answer(item, answer),
        status=answer.status or "",
        value=answer.value,
        choice=answer.choice or "",
        elements=_element_rows(item, answer),
        provisions=[plain(p) for p in answer.provisions],
        excerpt=plain(answer.excerpt),
        source_url=plain(answer.source_url),
        note=plain(answer.note),
    )


def _element_rows(item: Item, answer: Answer) -> list[ElementRow]:
    spec = item.answer
    if not isinstance(spec, ElementsAnswer):
        return []
    rows = []
    for element in spec.elements:
        status = answer.elements.get(element.id, "")
        rows.append(ElementRow(element.id, element.label, status, ELEMENT_LABELS.get(status, "")))
    return rows


def how_to_answer(item: Item) -> str:
    spec = item.answer
    words: dict[str, object] = {
        "covered": STATUS_LABELS["covered"],
        "partly": STATUS_LABELS["partly"],
        "not_covered": STATUS_LABELS["not-covered"],
        "unknown": ELEMENT_LABELS["unknown"],
    }
    if isinstance(spec, NumberAnswer):
        words |= {"unit": spec.unit, "minimum": spec.minimum, "maximum": spec.maximum}
    hint = ANSWER_TYPE_HINTS[spec.type].format(**words)
    na = f" or {_NA}" if spec.allow_not_applicable else ""
    if spec.type == "status":
        return hint[:-1] + f", or {_UNKNOWN}{na}."
    return f"{hint} Or Status: {_UNKNOWN}{na}."
