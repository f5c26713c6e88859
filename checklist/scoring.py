"""The pure scoring core: checklist + assessment + methodology -> ``Result``.

No I/O, no clock, no randomness: the same answers give the same result whatever the order
they were given in. Pages and exporters display a ``Result``; they never compute scores.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from checklist.assessment import Answer, Assessment
from checklist.methodology import GapKind, Methodology, ScoreKind, Severity, Verdict
from checklist.schema import (
    Checklist,
    ChoiceAnswer,
    CommitteeRef,
    ElementsAnswer,
    Item,
    NumberAnswer,
    Strength,
)

State = Literal["covered", "partly", "not-covered", "unknown", "unanswered", "not-applicable"]
COUNTED: frozenset[State] = frozenset({"covered", "partly", "not-covered", "unknown", "unanswered"})
SHORTFALL: frozenset[State] = frozenset({"partly", "not-covered"})
OPEN: frozenset[State] = frozenset({"unknown", "unanswered"})  # no verdict yet


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ItemResult(Frozen):
    id: str
    section_id: str
    title: str
    strength: Strength
    score_kind: ScoreKind
    core_offence: bool = False
    weight: float
    state: State
    score: float | None  # None when excluded (not applicable / skipped)
    reason: str = ""  # why: e.g. "age 16 is below 18", "skipped: no liability of legal persons"
    missing_elements: list[str] = []
    unknown_elements: list[str] = []


class SectionResult(Frozen):
    id: str
    title: str
    module: str
    score: float | None
    answered: int
    total: int
    gaps: int


class Gap(Frozen):
    rank: int
    id: str
    section_id: str
    section_title: str
    title: str
    strength: Strength
    severity: Severity
    kind: GapKind
    kind_label: str
    state: State
    score: float
    reason: str
    missing_elements: list[str]
    treaty_ref: str
    recommendation: str
    references: list[CommitteeRef]


class Pending(Frozen):
    """An item still to research (answered unknown) or to answer."""

    id: str
    section_id: str
    title: str
    state: State
    unknown_elements: list[str] = []


class Result(Frozen):
    jurisdiction: str
    assessor: str
    title: str
    date: str
    law_date: str  # the law as it stood on this date
    checklist_version: str
    scope: str
    scope_title: str
    modules: list[str]
    verdict: Verdict
    treaty_score: float | None
    committee_score: float | None
    good_practice_score: float | None
    ceiling: str = ""  # why the treaty score was capped, if it was
    answered: int  # items with a verdict: "not known" and unanswered are not answered
    total: int
    sections: list[SectionResult]
    items: list[ItemResult]
    gaps: list[Gap]
    unknowns: list[Pending]
    unanswered: list[Pending]
    methodology: Methodology

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def verdict_label(self) -> str:
        return self.methodology.verdicts[self.verdict].label

    @property
    def verdict_meaning(self) -> str:
        return self.methodology.verdicts[self.verdict].meaning

    def score_of(self, kind: ScoreKind) -> float | None:
        return {
            "treaty": self.treaty_score,
            "committee": self.committee_score,
            "good-practice": self.good_practice_score,
        }[kind]

    def gaps_by_severity(self) -> dict[Severity, int]:
        counts: dict[Severity, int] = {s: 0 for s in self.methodology.severity_order}
        for gap in self.gaps:
            counts[gap.severity] += 1
        return counts


def score(checklist: Checklist, assessment: Assessment, methodology: Methodology) -> Result:
    scope = checklist.scope(assessment.scope)
    modules = frozenset(scope.modules)
    answers = assessment.answers
    item_results: list[ItemResult] = []
    section_results: list[SectionResult] = []
    for section in checklist.sections:
        if section.module not in modules:
            continue
        own = [
            _score_item(item, section.id, answers, checklist, methodology) for item in section.items
        ]
        item_results.extend(own)
        section_results.append(
            SectionResult(
                id=section.id,
                title=section.title,
                module=section.module,
                score=_weighted(own),
                answered=sum(_answered(r) for r in own),
                total=len(own),
                gaps=sum(r.state in SHORTFALL for r in own),
            )
        )
    treaty, ceiling = _treaty_score(item_results, methodology)
    return Result(
        jurisdiction=assessment.jurisdiction,
        assessor=assessment.assessor,
        title=assessment.title,
        date=assessment.date.isoformat(),
        law_date=assessment.law_as_of.isoformat(),
        checklist_version=checklist.version,
        scope=scope.id,
        scope_title=scope.title,
        modules=[m.id for m in checklist.modules if m.id in modules],
        verdict=_verdict(item_results),
        treaty_score=treaty,
        committee_score=_weighted(_of_kind(item_results, "committee")),
        good_practice_score=_weighted(_of_kind(item_results, "good-practice")),
        ceiling=ceiling,
        answered=sum(_answered(r) for r in item_results),
        total=len(item_results),
        sections=section_results,
        items=item_results,
        gaps=_rank_gaps(item_results, checklist, methodology),
        unknowns=[_pending(r) for r in item_results if r.state == "unknown" or r.unknown_elements],
        unanswered=[_pending(r) for r in item_results if r.state == "unanswered"],
        methodology=methodology,
    )


def _answered(r: ItemResult) -> bool:
    return r.state not in OPEN


def _of_kind(results: list[ItemResult], kind: ScoreKind) -> list[ItemResult]:
    return [r for r in results if r.score_kind == kind]


def _verdict(results: list[ItemResult]) -> Verdict:
    """The first that applies wins: a known treaty shortfall outranks everything else, and
    good practice never decides."""
    treaty = _of_kind(results, "treaty")
    committee = _of_kind(results, "committee")
    if any(r.state in SHORTFALL for r in treaty):
        return "treaty-shortfall"
    if any(r.state in OPEN for r in treaty):
        return "incomplete"
    if any(r.state in SHORTFALL for r in committee):
        return "committee-departures"
    if any(r.state in OPEN for r in committee):
        return "incomplete"
    return "meets-all"


def _treaty_score(results: list[ItemResult], methodology: Methodology) -> tuple[float | None, str]:
    """The weighted treaty score, capped while an article 3(1) offence is wholly missing."""
    value = _weighted(_of_kind(results, "treaty"))
    missing = [r.title for r in results if r.core_offence and r.state == "not-covered"]
    ceiling = methodology.core_offence_ceiling
    if value is None or not missing or value <= ceiling:
        return value, ""
    reason = (
        f"capped at {round(ceiling * 100)}% while an offence article 3(1) requires is wholly "
        f"missing ({'; '.join(missing)})"
    )
    return ceiling, reason


def _weighted(results: list[ItemResult]) -> float | None:
    counted = [(r.weight, r.score) for r in results if r.score is not None]
    total = sum(w for w, _ in counted)
    if total == 0:
        return None
    return round(sum(w * s for w, s in counted) / total, 4)


def _pending(r: ItemResult) -> Pending:
    return Pending(
        id=r.id,
        section_id=r.section_id,
        title=r.title,
        state=r.state,
        unknown_elements=r.unknown_elements,
    )


def _score_item(
    item: Item,
    section_id: str,
    answers: dict[str, Answer],
    checklist: Checklist,
    methodology: Methodology,
) -> ItemResult:
    weight = methodology.weights[item.strength]
    base = {
        "id": item.id,
        "section_id": section_id,
        "title": item.title,
        "strength": item.strength,
        "score_kind": methodology.score_kind(item.strength),
        "core_offence": item.core_offence,
        "weight": weight,
    }
    skipped = _skip_reason(item, answers, checklist)
    if skipped:
        return ItemResult(**base, state="not-applicable", score=None, reason=skipped)
    answer = answers.get(item.id)
    state, value, reason, missing, unknown = _evaluate(item, answer, methodology)
    score_ = None if state == "not-applicable" else value
    return ItemResult(
        **base,
        state=state,
        score=score_,
        reason=reason,
        missing_elements=missing,
        unknown_elements=unknown,
    )


def _skip_reason(item: Item, answers: dict[str, Answer], checklist: Checklist) -> str:
    """Skipped only when every rule of the item says it is moot. A rule whose controlling item
    is unanswered or not known keeps the item in: nothing is skipped on a guess."""
    if not item.applies_if:
        return ""
    moot = []
    for rule in item.applies_if:
        controlling = answers.get(rule.item)
        if controlling is None:
            return ""
        marked = controlling.status in ("unknown", "not-applicable")
        given = controlling.status if marked else (controlling.choice or controlling.status)
        if given is None or given == "unknown" or given in rule.answer_in:
            return ""
        moot.append(f"'{checklist.item(rule.item).title}'")
    return f"skipped: not relevant given the answer to {' and '.join(moot)}"


Evaluation = tuple[State, float, str, list[str], list[str]]


def _evaluate(item: Item, answer: Answer | None, methodology: Methodology) -> Evaluation:
    if answer is None or _unanswered(item, answer):
        return "unanswered", 0.0, "", [], []
    if isinstance(item.answer, ElementsAnswer) and "not-covered" in answer.elements.values():
        return _evaluate_elements(item.answer, answer)  # a known shortfall is never hidden
    if answer.status == "unknown":
        return "unknown", 0.0, "marked unknown: needs research", [], []
    if answer.status == "not-applicable" and item.answer.allow_not_applicable:
        return "not-applicable", 0.0, "marked not applicable", [], []
    spec = item.answer
    scores = methodology.status_scores
    if isinstance(spec, NumberAnswer):
        assert answer.value is not None
        if answer.value >= spec.threshold:
            return "covered", scores["covered"], "", [], []
        reason = (
            f"{_num(answer.value)} {spec.unit} is below the threshold of {_num(spec.threshold)}"
        )
        return "not-covered", scores["not-covered"], reason, [], []
    if isinstance(spec, ChoiceAnswer):
        option = next(o for o in spec.options if o.value == answer.choice)
        return _state_of(option.score), option.score, f"answered: {option.label}", [], []
    if isinstance(spec, ElementsAnswer):
        return _evaluate_elements(spec, answer)
    status = answer.status
    assert status in ("covered", "partly", "not-covered")
    return status, scores[status], "", [], []


def _unanswered(item: Item, answer: Answer) -> bool:
    if answer.status in ("unknown", "not-applicable"):
        return answer.status == "not-applicable" and not item.answer.allow_not_applicable
    spec = item.answer
    if isinstance(spec, NumberAnswer):
        return answer.value is None
    if isinstance(spec, ChoiceAnswer):
        return answer.choice not in {o.value for o in spec.options}
    if isinstance(spec, ElementsAnswer):
        return not any(answer.elements.get(e.id) for e in spec.elements)
    return answer.status not in ("covered", "partly", "not-covered")


def _evaluate_elements(spec: ElementsAnswer, answer: Answer) -> Evaluation:
    ticks = {e.id: answer.elements.get(e.id, "unknown") for e in spec.elements}
    covered = [e for e in spec.elements if ticks[e.id] == "covered"]
    missing = [e.label for e in spec.elements if ticks[e.id] == "not-covered"]
    unknown = [e.label for e in spec.elements if ticks[e.id] == "unknown"]
    share = round(len(covered) / len(spec.elements), 4)
    if missing:
        state: State = "partly" if covered else "not-covered"
        return state, share, "not covered: " + ", ".join(missing), missing, unknown
    if unknown:
        return "unknown", share, "still to research: " + ", ".join(unknown), [], unknown
    return "covered", 1.0, "", [], []


def _state_of(value: float) -> State:
    if value >= 1:
        return "covered"
    return "not-covered" if value <= 0 else "partly"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _rank_gaps(
    results: list[ItemResult], checklist: Checklist, methodology: Methodology
) -> list[Gap]:
    order = {item.id: n for n, item in enumerate(checklist.items())}
    shortfalls = [r for r in results if r.state in SHORTFALL]

    def key(r: ItemResult) -> tuple[int, int, float, int]:
        severity = methodology.severity[r.strength][_shortfall(r)]
        return (
            methodology.severity_rank(severity),
            methodology.strength_rank(r.strength),
            r.score or 0.0,
            order[r.id],
        )

    gaps = []
    for rank, r in enumerate(sorted(shortfalls, key=key), start=1):
        item = checklist.item(r.id)
        section = checklist.section_of(r.id)
        kind = methodology.gap_kinds[r.strength]
        gaps.append(
            Gap(
                rank=rank,
                id=r.id,
                section_id=section.id,
                section_title=section.title,
                title=r.title,
                strength=r.strength,
                severity=methodology.severity[r.strength][_shortfall(r)],
                kind=kind,
                kind_label=methodology.gap_kind_labels[kind],
                state=r.state,
                score=r.score or 0.0,
                reason=r.reason,
                missing_elements=r.missing_elements,
                treaty_ref=item.treaty_ref,
                recommendation=item.recommendation,
                references=item.references,
            )
        )
    return gaps


def _shortfall(r: ItemResult) -> Literal["not-covered", "partly"]:
    return "partly" if r.state == "partly" else "not-covered"
