"""Comparing two assessments: every change of answer is a change; no verdict is no fall."""

from __future__ import annotations

from checklist import comparison
from checklist.assessment import Answer, Assessment
from checklist.loader import default_checklist, default_methodology
from checklist.scoring import Result, score

CHECKLIST = default_checklist()


def scored(answers: dict[str, Answer], scope: str = "offences") -> tuple[Assessment, Result]:
    assessment = Assessment(checklist_version=CHECKLIST.version, scope=scope, answers=answers)
    return assessment, score(CHECKLIST, assessment, default_methodology())


def change_of(item_id: str, first: dict, second: dict) -> comparison.ItemChange:
    changes = comparison.items(CHECKLIST, scored(first), scored(second))
    return next(c for c in changes if c.id == item_id)


def test_liability__administrative_to_criminal__is_a_change_worth_no_points() -> None:
    c = change_of(
        "legal-persons.liability",
        {"legal-persons.liability": Answer(choice="administrative")},
        {"legal-persons.liability": Answer(choice="criminal")},
    )
    assert c.changed and c.what == ("verdict",)
    assert c.points == 0
    assert c.first != c.second


def test_evidence_only__is_a_change_too() -> None:
    c = change_of(
        "penalties.grave",
        {"penalties.grave": Answer(status="covered", note="Art. 1")},
        {"penalties.grave": Answer(status="covered", note="Art. 1 as amended in 2024")},
    )
    assert c.what == ("note",)


def test_same_answer_at_another_time__is_no_change() -> None:
    c = change_of(
        "penalties.grave",
        {"penalties.grave": Answer(status="covered")},
        {"penalties.grave": Answer(status="covered")},
    )
    assert not c.changed


def test_not_yet_answered_or_not_known__is_no_fall() -> None:
    before = {"penalties.grave": Answer(status="covered")}
    assert change_of("penalties.grave", before, {}).points is None
    unknown = {"penalties.grave": Answer(status="unknown")}
    assert change_of("penalties.grave", before, unknown).points is None


def test_section_not_yet_answered_on_one_side__has_no_change_in_points() -> None:
    complete = {
        i.id: Answer(status="covered") for i in CHECKLIST.section_of("penalties.grave").items
    }
    first, second = scored(complete)[1], scored({})[1]
    row = next(s for s in comparison.sections(first, second, CHECKLIST) if s.id == "liability")
    assert row.points is None and "without a verdict yet" in row.note


def test_points__are_the_difference_of_the_percentages_shown() -> None:
    assert comparison.points(0.3441, 0.3449) == 0  # both shown as 34%
    assert comparison.points(0.5, 0.75) == 25


def test_item_outside_one_scope__is_a_scope_change() -> None:
    item = CHECKLIST.item("confiscation.premises")
    answers = {item.id: Answer(status="covered")}
    changes = comparison.items(CHECKLIST, scored(answers), scored(answers, scope="whole-protocol"))
    c = next(c for c in changes if c.id == item.id)
    assert (c.first, c.what, c.points) == ("Not in scope", ("scope",), None)
