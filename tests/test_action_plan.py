"""The action plan: an action for every gap, saved like an answer, read back from the file
and the back-up, listed by target date and severity with overdue actions marked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checklist import action_plan
from checklist.assessment import Answer, Assessment, PlannedAction
from checklist.assessment_file import read_assessment, write_assessment
from checklist.drafting_store import ActionConflict
from checklist.loader import default_checklist, default_methodology
from checklist.schema import Checklist
from checklist.scoring import score
from checklist.store import Refused, Store

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return default_checklist()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'plan.sqlite3'}")


def status_items(checklist: Checklist, n: int) -> list[str]:
    core = checklist.items(frozenset({"core"}))
    return [i.id for i in core if i.answer.type == "status" and not i.applies_if][:n]


def with_gaps(checklist: Checklist, *items: str) -> Assessment:
    return Assessment(
        jurisdiction="Ruritania",
        checklist_version=checklist.version,
        answers={item: Answer(status="not-covered") for item in items},
    )


def plan_of(checklist: Checklist, assessment: Assessment) -> list[action_plan.Line]:
    result = score(checklist, assessment, default_methodology())
    return action_plan.lines(assessment, result, today=TODAY)


def test_every_gap__starts_with_its_recommendation_as_the_proposed_action(
    checklist: Checklist,
) -> None:
    first, second = status_items(checklist, 2)
    plan = plan_of(checklist, with_gaps(checklist, first, second))
    by_item = {line.item_id: line for line in plan}
    assert by_item[first].planned.action == checklist.item(first).recommendation
    assert by_item[first].planned.status == "planned"
    assert not by_item[first].saved


def test_plan__is_sorted_by_target_date_then_severity_with_overdue_marked(
    checklist: Checklist,
) -> None:
    a, b, c = status_items(checklist, 3)
    assessment = with_gaps(checklist, a, b, c).model_copy(
        update={
            "actions": {
                a: PlannedAction(action="Amend art. 5", due=dt.date(2027, 6, 1)),
                b: PlannedAction(action="Draft a bill", due=dt.date(2026, 1, 31)),
                c: PlannedAction(action="Was due", due=dt.date(2026, 2, 1), status="done"),
            }
        }
    )
    plan = plan_of(checklist, assessment)
    assert [line.item_id for line in plan][:3] == [b, c, a]
    overdue = {line.item_id: line.overdue for line in plan}
    assert overdue[b] and not overdue[c] and not overdue[a]  # done is never overdue
    assert action_plan.counts(plan)["Overdue"] == 1


def test_an_action_whose_item_is_no_longer_a_gap__is_kept_and_marked(
    checklist: Checklist,
) -> None:
    (item,) = status_items(checklist, 1)
    assessment = Assessment(
        jurisdiction="Ruritania",
        checklist_version=checklist.version,
        answers={item: Answer(status="covered")},
        actions={item: PlannedAction(action="Amended in 2026", status="done")},
    )
    (line,) = [x for x in plan_of(checklist, assessment) if x.item_id == item]
    assert line.saved and not line.still_a_gap


def test_save_action__is_read_back_and_its_change_recorded(
    store: Store, checklist: Checklist
) -> None:
    (item,) = status_items(checklist, 1)
    assessment = with_gaps(checklist, item)
    store.create(assessment)
    planned = PlannedAction(
        action="Criminalise simple possession",
        institution="Ministry of Justice",
        due=dt.date(2027, 3, 31),
        priority="high",
        status="in-progress",
        note="Bill in consultation",
    )
    saved = store.save_action(assessment.id, item, planned, 0, author="Ana")
    assert not isinstance(saved, ActionConflict)
    back = store.load(assessment.id)
    kept = back.assessment.actions[item]
    assert kept.model_dump(exclude={"updated_at"}) == planned.model_dump(exclude={"updated_at"})
    (entry,) = back.assessment.action_history
    assert (entry.author, entry.before, entry.after.institution if entry.after else None) == (
        "Ana",
        None,
        "Ministry of Justice",
    )


def test_save_action__from_a_stale_tab_is_a_conflict_and_changes_nothing(
    store: Store, checklist: Checklist
) -> None:
    (item,) = status_items(checklist, 1)
    assessment = with_gaps(checklist, item)
    store.create(assessment)
    store.save_action(assessment.id, item, PlannedAction(action="First"), 0, author="Ana")
    stale = store.save_action(assessment.id, item, PlannedAction(action="Second"), 0, author="Ben")
    assert isinstance(stale, ActionConflict)
    assert stale.theirs is not None and stale.theirs.action == "First"
    assert store.load(assessment.id).assessment.actions[item].action == "First"


def test_save_action__without_a_name_is_refused(store: Store, checklist: Checklist) -> None:
    (item,) = status_items(checklist, 1)
    assessment = with_gaps(checklist, item)
    store.create(assessment)
    with pytest.raises(Refused, match="name"):
        store.save_action(assessment.id, item, PlannedAction(action="x"), 0, author="")


def test_action_plan__round_trips_through_the_file_the_back_up_and_a_version(
    store: Store, checklist: Checklist, tmp_path: Path
) -> None:
    (item,) = status_items(checklist, 1)
    assessment = with_gaps(checklist, item)
    store.create(assessment)
    planned = PlannedAction(action="Ley 21.xxx", due=dt.date(2027, 1, 1), priority="medium")
    store.save_action(assessment.id, item, planned, 0, author="Ana")
    version = store.save_version(assessment.id, "With the plan", author="Ana")
    full = store.load(assessment.id).assessment
    assert version.snapshot.actions[item].action == "Ley 21.xxx"

    back = read_assessment(write_assessment(full), "a.json", checklist).assessment
    assert back.actions == full.actions and back.action_history == full.action_history

    other = Store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    other.restore(other.plan_restore(store.export_archive(), "b.zip", checklist), replace=False)
    restored = other.load(assessment.id).assessment
    assert restored.actions == full.actions
    assert restored.action_history == full.action_history


def test_a_bad_date_in_a_file__is_refused_naming_the_place(checklist: Checklist) -> None:
    from checklist.assessment_file import FileProblem

    (item,) = status_items(checklist, 1)
    data = with_gaps(checklist, item).model_dump(mode="json")
    data["actions"] = {item: {"action": "x", "due": "next spring"}}
    import json

    with pytest.raises(FileProblem, match=f"actions.{item}.due"):
        read_assessment(json.dumps(data).encode(), "a.json", checklist)
