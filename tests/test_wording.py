"""The words a lawyer reads: one label per status, state and tick, and answers in plain words."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from checklist.assessment import Answer, ElementStatus, Status
from checklist.loader import load_checklist
from checklist.scoring import State
from checklist.wording import (
    ELEMENT_LABELS,
    FORMER_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
    describe_answer,
)

FIXTURE = load_checklist(Path(__file__).parent / "fixtures" / "content")


def test_every_status_state_and_tick__has_exactly_one_label() -> None:
    assert set(STATUS_LABELS) == set(get_args(Status))
    assert set(STATE_LABELS) == set(get_args(State))
    assert set(ELEMENT_LABELS) == set(get_args(ElementStatus))


def test_the_same_answer__is_worded_the_same_whatever_it_labels() -> None:
    assert {s: STATE_LABELS[s] for s in STATUS_LABELS} == STATUS_LABELS
    assert {s: STATUS_LABELS[s] for s in ELEMENT_LABELS} == ELEMENT_LABELS
    assert len(set(STATE_LABELS.values())) == len(STATE_LABELS)


def test_the_vocabulary__says_what_to_do_with_an_unknown() -> None:
    assert STATUS_LABELS["covered"] == "Covered"
    assert STATUS_LABELS["unknown"] == "Not known (to research)"
    assert STATE_LABELS["unanswered"] == "Not answered"


def test_former_labels__never_clash_with_a_current_one() -> None:
    current = {label.casefold() for label in STATE_LABELS.values()}
    for key, labels in FORMER_LABELS.items():
        assert key in STATE_LABELS
        assert not current & {label.casefold() for label in labels}


@pytest.mark.parametrize(
    ("item_id", "answer", "words"),
    [
        ("def.sale", Answer(status="partly"), "Partly covered"),
        ("def.sale", Answer(status="unknown"), "Not known (to research)"),
        ("def.sale", None, "Not answered"),
        ("def.sale", Answer(provisions=["Penal Code art. 1"]), "Not answered"),
        ("age.sale", Answer(value=16), "16 years"),
        ("age.sale", Answer(value=16.5), "16.5 years"),
        ("age.sale", Answer(status="unknown"), "Not known (to research)"),
        ("legal-persons.liability", Answer(choice="warning"), "Warning only"),
        ("jurisdiction.nationality-victim", Answer(status="not-applicable"), "Not applicable"),
        (
            "sale.organs",
            Answer(elements={"offering": "covered", "delivering": "unknown"}),
            "1 of 4 conduct elements covered. Offering: covered; Delivering: not known (to "
            "research); Accepting: not answered; Other: not answered",
        ),
        ("sale.organs", Answer(), "Not answered"),
    ],
)
def test_describe_answer__says_the_verdict_as_a_person_would(
    item_id: str, answer: Answer | None, words: str
) -> None:
    assert describe_answer(FIXTURE.item(item_id), answer) == words
