"""Properties of the scoring core that no single golden case can pin down."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from checklist.assessment import Answer, Assessment
from checklist.loader import default_methodology, load_checklist
from checklist.schema import Checklist, ChoiceAnswer, ElementsAnswer, Item, NumberAnswer
from checklist.scoring import score

FIXTURE = load_checklist(Path(__file__).parent / "fixtures" / "content")
METHODOLOGY = default_methodology()
STATUSES = ["covered", "partly", "not-covered", "unknown", "not-applicable"]


def answers_for(item: Item) -> st.SearchStrategy[Answer]:
    spec = item.answer
    unknown = st.just(Answer(status="unknown"))
    if isinstance(spec, NumberAnswer):
        return st.one_of(unknown, st.integers(0, 25).map(lambda v: Answer(value=v)))
    if isinstance(spec, ChoiceAnswer):
        return st.one_of(unknown, st.sampled_from([Answer(choice=o.value) for o in spec.options]))
    if isinstance(spec, ElementsAnswer):
        ticks = st.sampled_from(["covered", "not-covered", "unknown"])
        return st.fixed_dictionaries({e.id: ticks for e in spec.elements}).map(
            lambda d: Answer(elements=d)
        )
    return st.sampled_from([Answer(status=s) for s in STATUSES])  # type: ignore[arg-type]


def assessments(checklist: Checklist) -> st.SearchStrategy[dict[str, Answer]]:
    return st.fixed_dictionaries(
        {}, optional={item.id: answers_for(item) for item in checklist.items()}
    )


@settings(max_examples=150, deadline=None)
@given(answers=assessments(FIXTURE), seed=st.randoms())
def test_same_answers_in_any_order__give_the_same_result(answers, seed) -> None:
    shuffled = list(answers.items())
    seed.shuffle(shuffled)
    first = score(FIXTURE, Assessment(answers=answers), METHODOLOGY)
    second = score(FIXTURE, Assessment(answers=dict(shuffled)), METHODOLOGY)
    assert first == second


@settings(max_examples=150, deadline=None)
@given(answers=assessments(FIXTURE))
def test_unknown_is_never_counted_as_covered(answers) -> None:
    result = score(FIXTURE, Assessment(answers=answers), METHODOLOGY)
    for item in result.items:
        if item.state in ("unknown", "unanswered"):
            assert item.score is not None and item.score < 1
        assert (item.score is None) == (item.state == "not-applicable")
    assert all(0 <= (s.score or 0) <= 1 for s in result.sections)


@settings(max_examples=100, deadline=None)
@given(answers=assessments(FIXTURE))
def test_every_gap_is_an_item_not_fully_covered_and_carries_its_recommendation(answers) -> None:
    result = score(FIXTURE, Assessment(answers=answers), METHODOLOGY)
    states = {i.id: i.state for i in result.items}
    assert {g.id for g in result.gaps} == {
        i for i, s in states.items() if s in ("partly", "not-covered")
    }
    for gap in result.gaps:
        assert gap.recommendation == FIXTURE.item(gap.id).recommendation
    ranks = [METHODOLOGY.severity_rank(g.severity) for g in result.gaps]
    assert ranks == sorted(ranks)
    assert [g.rank for g in result.gaps] == list(range(1, len(result.gaps) + 1))


def test_scoring_does_not_change_the_assessment() -> None:
    assessment = Assessment(answers={"def.sale": Answer(status="covered")})
    before = assessment.model_dump()
    score(FIXTURE, assessment, METHODOLOGY)
    assert assessment.model_dump() == before


def test_result__carries_the_methodology_used() -> None:
    result = score(FIXTURE, Assessment(), METHODOLOGY)
    assert result.methodology == METHODOLOGY
    assert result.methodology.weights["mandatory"] > result.methodology.weights["optional"]


def test_mandatory_gap_not_covered__outranks_committee_gap() -> None:
    answers = {"def.sale": Answer(status="not-covered"), "penalties.grave": Answer(status="partly")}
    gaps = score(FIXTURE, Assessment(answers=answers), METHODOLOGY).gaps
    # both "high": the mandatory obligation comes first
    assert [g.id for g in gaps] == ["penalties.grave", "def.sale"]
    answers["penalties.grave"] = Answer(status="not-covered")
    gaps = score(FIXTURE, Assessment(answers=answers), METHODOLOGY).gaps
    assert [(g.id, g.severity, g.kind) for g in gaps] == [
        ("penalties.grave", "critical", "treaty"),
        ("def.sale", "high", "committee"),
    ]


def test_age_below_threshold__says_why_in_the_gap() -> None:
    gaps = score(FIXTURE, Assessment(answers={"age.sale": Answer(value=16)}), METHODOLOGY).gaps
    assert gaps[0].reason == "16 years is below the threshold of 18"


def test_skipped_item__says_which_answer_made_it_moot() -> None:
    answers = {"legal-persons.liability": Answer(choice="none")}
    items = {i.id: i for i in score(FIXTURE, Assessment(answers=answers), METHODOLOGY).items}
    skipped = items["legal-persons.all-offences"]
    assert (skipped.state, skipped.score) == ("not-applicable", None)
    assert "Liability of legal persons" in skipped.reason
