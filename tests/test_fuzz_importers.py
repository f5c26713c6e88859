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


# --- The returned-workbook importer -------------------------------------------------------

WORKBOOK_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _workbook() -> bytes:
    from reports_fixtures import complete_assessment

    from reports import build_report, render

    return render("xlsx", build_report(complete_assessment()))


WORKBOOK = _workbook()
cell_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=40),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["Covered", "covered", "Not covered", "Unknown", "N/A", "=1+1", "18", "x"]),
)


def workbook_accepted_or_explained(data: bytes) -> None:
    from checklist.loader import default_checklist
    from reports import read_any

    try:
        loaded = read_any(data, "fuzz.xlsx", default_checklist())
    except FileProblem as problem:
        assert str(problem).startswith("fuzz.xlsx")
        assert problem.what
    else:
        assert isinstance(loaded.assessment, Assessment)


@WORKBOOK_SETTINGS
@given(st.data())
def test_workbook_with_bytes_corrupted__is_accepted_or_explained(data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(WORKBOOK) - 1))
    noise = data.draw(st.binary(min_size=1, max_size=64))
    workbook_accepted_or_explained(WORKBOOK[:at] + noise + WORKBOOK[at + len(noise) :])


@WORKBOOK_SETTINGS
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["Items", "Summary", "_meta"]),
            st.integers(1, 90),
            st.integers(1, 14),
            cell_values,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_workbook_with_cells_edited__is_accepted_or_explained(edits) -> None:
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(WORKBOOK))
    for sheet, row, column, value in edits:
        workbook[sheet].cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    workbook_accepted_or_explained(out.getvalue())
