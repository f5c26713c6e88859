"""Merging a returned file item by item: each difference shown as a person would say it; only
what is chosen is taken from the file, the rest stays as saved."""

from __future__ import annotations

import datetime as dt

from checklist import merge
from checklist.assessment import Answer, Assessment
from checklist.loader import default_checklist

CHECKLIST = default_checklist()
GRAVE = "penalties.grave"
AGE = "age.sale"
LIABILITY = "legal-persons.liability"


def assessment(answers: dict[str, Answer], **details: object) -> Assessment:
    fields: dict[str, object] = {
        "id": "chile",
        "jurisdiction": "Chile",
        "checklist_version": CHECKLIST.version,
        "date": dt.date(2024, 5, 1),
        **details,
    }
    return Assessment.model_validate({**fields, "answers": answers})


def difference(saved: Assessment, incoming: Assessment, item_id: str) -> merge.ItemDifference:
    found = merge.differences(CHECKLIST, saved, incoming)
    return next(d for d in found.items if d.id == item_id)


def test_changed_verdict__is_shown_as_a_person_would_say_it() -> None:
    saved = assessment({GRAVE: Answer(status="covered")})
    incoming = assessment({GRAVE: Answer(status="partly")})
    d = difference(saved, incoming, GRAVE)
    assert (d.saved, d.file, d.what) == ("Covered", "Partly covered", ("verdict",))
    assert d.title == CHECKLIST.item(GRAVE).title
    assert d.section == CHECKLIST.section_of(GRAVE).title


def test_age_and_choice__are_said_in_words_not_codes() -> None:
    saved = assessment({AGE: Answer(value=16), LIABILITY: Answer(choice="administrative")})
    incoming = assessment({AGE: Answer(value=18), LIABILITY: Answer(choice="criminal")})
    age = difference(saved, incoming, AGE)
    assert age.saved.startswith("16 ") and age.file.startswith("18 ")
    liability = difference(saved, incoming, LIABILITY)
    assert "criminal" not in {liability.saved, liability.file}  # the option's label, not its value


def test_evidence_only__is_a_difference_showing_both_texts() -> None:
    saved = assessment({GRAVE: Answer(status="covered", note="Art. 1", provisions=["Art. 1"])})
    incoming = assessment(
        {GRAVE: Answer(status="covered", note="Art. 1 as amended", provisions=["Art. 1", "Art. 2"])}
    )
    d = difference(saved, incoming, GRAVE)
    assert d.what == ("provisions", "note")
    assert d.saved == d.file == "Covered"
    assert [(e.label, e.saved, e.file) for e in d.evidence] == [
        ("provisions", "Art. 1", "Art. 1; Art. 2"),
        ("note", "Art. 1", "Art. 1 as amended"),
    ]


def test_answer_only_one_side_has__is_a_difference_from_not_answered() -> None:
    saved = assessment({GRAVE: Answer(status="covered")})
    incoming = assessment({})
    d = difference(saved, incoming, GRAVE)
    assert (d.saved, d.file) == ("Covered", "Not answered")


def test_same_answer_saved_at_another_time__is_no_difference() -> None:
    saved = assessment({GRAVE: Answer(status="covered", updated_at=dt.datetime(2024, 1, 1))})
    incoming = assessment({GRAVE: Answer(status="covered", updated_at=dt.datetime(2025, 1, 1))})
    assert not merge.differences(CHECKLIST, saved, incoming)


def test_empty_answer_and_no_answer__are_no_difference() -> None:
    assert not merge.differences(CHECKLIST, assessment({GRAVE: Answer()}), assessment({}))


def test_differences__follow_the_checklist_order() -> None:
    answers = {GRAVE: Answer(status="covered"), AGE: Answer(value=16)}
    found = merge.differences(CHECKLIST, assessment(answers), assessment({}))
    order = [item.id for item in CHECKLIST.items()]
    assert [d.id for d in found.items] == sorted([GRAVE, AGE], key=order.index)


def test_details__title_scope_and_dates_that_differ_are_listed_in_words() -> None:
    saved = assessment({}, title="Draft", scope="offences")
    incoming = assessment(
        {}, title="Reviewed", scope="whole-protocol", law_date=dt.date(2008, 3, 1)
    )
    found = {d.field: d for d in merge.differences(CHECKLIST, saved, incoming).details}
    assert set(found) == {"title", "scope", "law_date"}
    assert (found["title"].saved, found["title"].file) == ("Draft", "Reviewed")
    assert found["scope"].file == CHECKLIST.scope("whole-protocol").title
    assert (found["law_date"].saved, found["law_date"].file) == ("1 May 2024", "1 March 2008")


def test_merged__takes_only_the_chosen_items_from_the_file() -> None:
    saved = assessment({GRAVE: Answer(status="covered"), AGE: Answer(value=16)})
    incoming = assessment({GRAVE: Answer(status="partly"), AGE: Answer(value=18)})
    result = merge.merged(saved, incoming, items={AGE})
    assert result.answers[AGE].value == 18
    assert result.answers[GRAVE].status == "covered"


def test_merged__nothing_chosen__is_the_saved_copy() -> None:
    saved = assessment({GRAVE: Answer(status="covered")}, title="Draft")
    incoming = assessment({GRAVE: Answer(status="partly")}, title="Reviewed")
    assert merge.merged(saved, incoming) == saved


def test_merged__an_item_the_file_leaves_unanswered_becomes_unanswered() -> None:
    saved = assessment({GRAVE: Answer(status="covered")})
    result = merge.merged(saved, assessment({}), items={GRAVE})
    assert GRAVE not in result.answers


def test_merged__takes_only_the_chosen_details() -> None:
    saved = assessment({}, title="Draft", assessor="Ana")
    incoming = assessment({}, title="Reviewed", assessor="Bea", date=dt.date(2025, 1, 1))
    result = merge.merged(saved, incoming, details={"title", "date"})
    assert (result.title, result.assessor, result.date) == ("Reviewed", "Ana", dt.date(2025, 1, 1))


def test_merged__leaves_the_saved_assessment_untouched() -> None:
    saved = assessment({GRAVE: Answer(status="covered")})
    before = saved.model_copy(deep=True)
    merge.merged(saved, assessment({GRAVE: Answer(status="partly")}), items={GRAVE})
    assert saved == before


def test_planned_actions_that_differ__are_listed_times_aside() -> None:
    from checklist.assessment import PlannedAction

    item = next(i for i in CHECKLIST.items() if i.answer.type == "status")
    other = next(i for i in CHECKLIST.items() if i.answer.type == "status" and i.id != item.id)
    saved = Assessment(
        checklist_version=CHECKLIST.version,
        actions={
            item.id: PlannedAction(action="Amend art. 5", updated_at=dt.datetime(2026, 1, 1)),
            other.id: PlannedAction(action="Same", updated_at=dt.datetime(2026, 1, 1)),
        },
    )
    returned = saved.model_copy(
        update={
            "actions": {
                item.id: PlannedAction(action="Amend art. 5", institution="Parliament"),
                other.id: PlannedAction(action="Same"),  # a workbook keeps no times
            }
        }
    )
    (difference,) = merge.differences(CHECKLIST, saved, returned).actions
    assert difference.id == item.id
    assert "Parliament" in difference.file and "Parliament" not in difference.saved
