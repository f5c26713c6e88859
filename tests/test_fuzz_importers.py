"""Fuzzing the importers: whatever bytes arrive, the answer is an assessment or a FileProblem
with a message - never a crash. Bounded in time so it can stay in the suite."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist.assessment import Answer, Assessment
from checklist.assessment_file import FileProblem, read_assessment, write_assessment
from checklist.loader import load_checklist

FIXTURE = load_checklist(Path(__file__).parent / "fixtures" / "content")
BOUNDED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID = json.loads(
    write_assessment(
        Assessment(
            checklist_version="1.0",
            answers={
                "age.sale": Answer(value=18),
                "def.sale": Answer(status="covered"),
                "sale.organs": Answer(elements={"offering": "covered"}),
                "legal-persons.liability": Answer(choice="civil"),
            },
        )
    )
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def accepts_or_explains(data: bytes) -> None:
    try:
        loaded = read_assessment(data, "fuzz.json", FIXTURE)
    except FileProblem as problem:
        assert str(problem).startswith("fuzz.json")
        assert problem.what
    else:
        assert isinstance(loaded.assessment, Assessment)


@BOUNDED
@given(st.binary(max_size=400))
def test_any_bytes__are_accepted_or_explained(data: bytes) -> None:
    accepts_or_explains(data)


@BOUNDED
@given(json_values)
def test_any_json__is_accepted_or_explained(value: object) -> None:
    accepts_or_explains(json.dumps(value).encode())


@BOUNDED
@given(
    key=st.sampled_from([*VALID, "answers.age.sale", "answers.def.sale", "answers.sale.organs"]),
    value=json_values,
)
def test_valid_file_with_one_field_replaced__is_accepted_or_explained(
    key: str, value: object
) -> None:
    data = json.loads(json.dumps(VALID))
    if key.startswith("answers."):
        data["answers"][key.removeprefix("answers.")] = value
    else:
        data[key] = value
    accepts_or_explains(json.dumps(data).encode())


@BOUNDED
@given(st.data())
def test_valid_file_cut_or_corrupted__is_accepted_or_explained(data: st.DataObject) -> None:
    raw = json.dumps(VALID).encode()
    cut = data.draw(st.integers(0, len(raw)))
    noise = data.draw(st.binary(max_size=8))
    accepts_or_explains(raw[:cut] + noise + raw[cut + len(noise) :])
