"""Back-ups: a restore shows what it would change before it replaces anything, refuses times
no saved assessment can have, names the file of a damaged back-up, and writes thousands of
assessments with a few statements.

Runs against the small fixture checklist (tests/fixtures/content), each test on its own
SQLite file.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist.assessment import Answer, Assessment
from checklist.assessment_file import FileProblem, write_assessment
from checklist.backup import CLOCK_SKEW, read_archive, write_archive
from checklist.loader import load_checklist
from checklist.schema import Checklist
from checklist.store import Saved, Store

FIXTURE = Path(__file__).parent / "fixtures" / "content"
SIX = {
    "def.sale": {"status": "covered"},
    "age.sale": {"value": 18},
    "sale.organs": {"elements": {"offering": "covered"}},
    "legal-persons.liability": {"choice": "civil"},
    "assistance.mutual": {"status": "partly"},
    "penalties.grave": {"status": "covered"},
}


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(FIXTURE)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")


def new(checklist: Checklist, **fields: object) -> Assessment:
    return Assessment.model_validate(
        {"jurisdiction": "Ruritania", "checklist_version": checklist.version, **fields}
    )


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def zipped(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_time(assessment: Assessment, field: str, when: str) -> bytes:
    """The assessment's file with one time written as ``when`` (the model would refuse some)."""
    text = write_assessment(assessment).decode()
    old = getattr(assessment, field).isoformat().replace("+00:00", "Z")
    assert f'"{field}": "{old}"' in text
    return text.replace(f'"{field}": "{old}"', f'"{field}": "{when}"').encode()


# -- a restore asks before it replaces -------------------------------------------------------


def test_plan__a_back_up_that_would_empty_a_saved_assessment__says_so_and_writes_nothing(
    store: Store, checklist: Checklist
) -> None:
    saved = new(checklist, answers=SIX, updated_at="2025-01-01T00:00:00Z")
    store.create(saved)
    emptied = saved.model_copy(update={"answers": {}, "updated_at": now()})
    fresh = new(checklist, jurisdiction="Freedonia")
    archive = zipped({"a.json": write_assessment(emptied), "b.json": write_assessment(fresh)})

    plan = store.plan_restore(archive, "backup.zip", checklist)

    (line,) = plan.replacements
    assert (line.id, line.answers_before, line.answers_after, line.empties) == (
        saved.id,
        6,
        0,
        True,
    )
    assert plan.count("add") == 1
    assert len(store.load(saved.id).assessment.answers) == 6
    assert not store.exists(fresh.id)


def test_restore_without_consent__adds_what_is_new_and_keeps_every_saved_assessment(
    store: Store, checklist: Checklist
) -> None:
    saved = new(checklist, answers=SIX, updated_at="2025-01-01T00:00:00Z")
    store.create(saved)
    emptied = saved.model_copy(update={"answers": {}, "updated_at": now()})
    fresh = new(checklist, jurisdiction="Freedonia")
    archive = zipped({"a.json": write_assessment(emptied), "b.json": write_assessment(fresh)})

    report = store.restore(store.plan_restore(archive, "backup.zip", checklist), replace=False)

    assert {line.id: line.outcome for line in report.lines} == {
        saved.id: "not-replaced",
        fresh.id: "added",
    }
    assert len(store.load(saved.id).assessment.answers) == 6
    assert store.load(fresh.id).assessment.jurisdiction == "Freedonia"


def test_restore_with_consent__replaces_as_shown(store: Store, checklist: Checklist) -> None:
    saved = new(checklist, answers=SIX, updated_at="2025-01-01T00:00:00Z")
    store.create(saved)
    newer = saved.model_copy(update={"answers": {}, "updated_at": now()})
    plan = store.plan_restore(zipped({"a.json": write_assessment(newer)}), "b.zip", checklist)

    report = store.restore(plan, replace=True)

    assert [line.outcome for line in report.lines] == ["updated"]
    assert store.load(saved.id).assessment.answers == {}


def test_restore__an_assessment_changed_after_the_plan__is_left_as_it_is_now(
    store: Store, checklist: Checklist
) -> None:
    saved = new(checklist, answers=SIX, updated_at="2025-01-01T00:00:00Z")
    store.create(saved)
    newer = saved.model_copy(update={"answers": {}, "updated_at": now()})
    plan = store.plan_restore(zipped({"a.json": write_assessment(newer)}), "b.zip", checklist)
    revisions = store.load(saved.id).revisions
    changed = store.save_answer(
        saved.id, "def.sale", Answer(status="partly"), revisions["def.sale"], checklist=checklist
    )  # in another tab, while the plan is on screen
    assert isinstance(changed, Saved)

    report = store.restore(plan, replace=True)

    assert [line.outcome for line in report.lines] == ["changed-since"]
    answers = store.load(saved.id).assessment.answers
    assert len(answers) == 6 and answers["def.sale"].status == "partly"


def test_restore__an_assessment_added_in_another_tab_after_the_plan__is_not_overwritten(
    store: Store, checklist: Checklist
) -> None:
    incoming = new(checklist, answers=SIX)
    plan = store.plan_restore(zipped({"a.json": write_assessment(incoming)}), "b.zip", checklist)
    store.create(incoming.model_copy(update={"answers": {}}))

    report = store.restore(plan, replace=True)

    assert [line.outcome for line in report.lines] == ["changed-since"]
    assert store.load(incoming.id).assessment.answers == {}


# -- impossible times ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "when", "says"),
    [
        ("updated_at", "9999-12-31T23:59:59Z", "in the future"),
        ("updated_at", "in two hours", "in the future"),
        ("updated_at", "1999-12-31T23:59:59Z", "before 2000"),
        ("created_at", "1970-01-01T00:00:00Z", "before 2000"),
    ],
)
def test_member_with_an_impossible_time__is_refused_naming_it(
    store: Store, checklist: Checklist, field: str, when: str, says: str
) -> None:
    if when == "in two hours":
        when = (now() + dt.timedelta(hours=2)).isoformat().replace("+00:00", "Z")
    member = with_time(new(checklist), field, when)
    archive = zipped({"good.json": write_assessment(new(checklist)), "odd.json": member})

    with pytest.raises(FileProblem) as problem:
        store.plan_restore(archive, "backup.zip", checklist)

    assert problem.value.source == "backup.zip: odd.json"
    assert problem.value.where == field and says in problem.value.what
    assert store.load_all() == []


def test_member_with_an_answer_time_in_the_future__is_refused_naming_the_answer(
    checklist: Checklist,
) -> None:
    later = now() + dt.timedelta(days=3)
    member = new(checklist, answers={"def.sale": {"status": "covered", "updated_at": later}})
    with pytest.raises(FileProblem) as problem:
        read_archive(zipped({"a.json": write_assessment(member)}), "b.zip", checklist)
    assert problem.value.where == "answers.def.sale.updated_at"


def test_member_a_little_ahead_of_this_clock__is_accepted(checklist: Checklist) -> None:
    ahead = now() + CLOCK_SKEW - dt.timedelta(minutes=5)
    member = new(checklist, created_at=ahead, updated_at=ahead)
    ((_, loaded),) = read_archive(zipped({"a.json": write_assessment(member)}), "b.zip", checklist)
    assert loaded.assessment.updated_at == ahead


def test_member_time_without_a_zone__is_taken_as_utc(store: Store, checklist: Checklist) -> None:
    saved = new(checklist, updated_at="2025-01-01T00:00:00Z")
    store.create(saved)
    edited = saved.with_answer("def.sale", Answer(status="partly"))
    member = with_time(edited, "updated_at", "2025-06-01T12:00:00")  # and the answer's

    plan = store.plan_restore(zipped({"a.json": member}), "b.zip", checklist)

    (line,) = plan.lines
    assert line.action == "replace"
    assert line.backup_at == dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)


def test_issue_13__a_future_member_with_no_answers_is_refused_and_the_genuine_back_up_restores(
    tmp_path: Path, store: Store, checklist: Checklist
) -> None:
    """The attack: a member dated 9999 with no answers replaced a saved assessment (6 answers
    to 0), and the genuine back-up was then 'kept, newer'."""
    saved = new(checklist, answers=SIX, updated_at="2025-01-01T00:00:00Z")
    store.create(saved)
    genuine = store.export_archive()
    forged = with_time(
        saved.model_copy(update={"answers": {}}), "updated_at", "9999-01-01T00:00:00Z"
    )

    with pytest.raises(FileProblem, match="in the future"):
        store.plan_restore(zipped({"forged.json": forged}), "forged.zip", checklist)

    assert len(store.load(saved.id).assessment.answers) == 6
    empty = Store(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    report = empty.restore(empty.plan_restore(genuine, "backup.zip", checklist), replace=False)
    assert [line.outcome for line in report.lines] == ["added"]
    assert len(empty.load(saved.id).assessment.answers) == 6


# -- damaged back-ups ------------------------------------------------------------------------


def _bad_crc(data: bytes) -> bytes:
    stored = bytearray(zipped({"a.json": data}, zipfile.ZIP_STORED))
    at = stored.find(b'"jurisdiction"')
    stored[at + 2] ^= 0x01  # one byte of the content, so its CRC no longer matches
    return bytes(stored)


def _flagged(data: bytes, flag: int = 0, method: int | None = None) -> bytes:
    raw = bytearray(zipped({"a.json": data}))
    central = raw.rfind(b"PK\x01\x02")
    for header, flags, kind in ((0, 6, 8), (central, 8, 10)):
        raw[header + flags] |= flag
        if method is not None:
            struct.pack_into("<H", raw, header + kind, method)
    return bytes(raw)


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_bad_crc, "check sum (CRC) does not match"),
        (lambda data: _flagged(data, flag=0x1), "encrypted"),
        (lambda data: _flagged(data, method=99), "zip method 99"),
        (lambda data: _flagged(data, method=9), "zip method 9"),  # deflate64
    ],
    ids=["bad-crc", "encrypted", "unknown-method", "deflate64"],
)
def test_damaged_member__is_a_clear_problem_naming_it(
    checklist: Checklist, damage: object, says: str
) -> None:
    data = damage(write_assessment(new(checklist)))  # type: ignore[operator]
    with pytest.raises(FileProblem) as problem:
        read_archive(data, "backup.zip", checklist)
    assert problem.value.source == "backup.zip: a.json"
    assert says in problem.value.what


def test_member_with_a_huge_integer__is_a_clear_problem_naming_it(checklist: Checklist) -> None:
    text = write_assessment(new(checklist))
    text = text.replace(b'"format_version": 3', b'"format_version": ' + b"9" * 5000)
    with pytest.raises(FileProblem) as problem:
        read_archive(zipped({"big.json": text}), "backup.zip", checklist)
    assert problem.value.source == "backup.zip: big.json"


VALID_ARCHIVE = zipped(
    {
        f"a{n}.json": write_assessment(
            Assessment(jurisdiction="A", checklist_version="1.0", answers={})
        )
        for n in range(3)
    }
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(VALID_ARCHIVE) - 1), st.integers(0, 255)), max_size=4))
def test_any_damage_to_a_back_up__is_a_file_problem_never_a_crash(
    changes: list[tuple[int, int]],
) -> None:
    data = bytearray(VALID_ARCHIVE)
    for at, byte in changes:
        data[at] = byte
    try:
        read_archive(bytes(data), "backup.zip", load_checklist(FIXTURE))
    except FileProblem as problem:
        assert str(problem).startswith("backup.zip") and problem.what


# -- linear and fast -------------------------------------------------------------------------


def statements_to_restore(tmp_path: Path, checklist: Checklist, count: int) -> int:
    source = [new(checklist, jurisdiction=f"State {n}", answers=SIX) for n in range(count)]
    store = Store(f"sqlite:///{tmp_path / f'restore-{count}.sqlite3'}")
    plan = store.plan_restore(write_archive(source), "backup.zip", checklist)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    report = store.restore(plan, replace=False)
    assert report.count("added") == count
    return len(statements)


def test_restore__writes_any_number_of_assessments_with_the_same_few_statements(
    tmp_path: Path, checklist: Checklist
) -> None:
    assert statements_to_restore(tmp_path, checklist, 40) == statements_to_restore(
        tmp_path, checklist, 4
    )
