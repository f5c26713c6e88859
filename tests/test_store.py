"""The store: answers saved at once, never silently overwritten, backed up and restored.

Runs against the small fixture checklist (tests/fixtures/content), each test on its own
database: a SQLite file, and again a database of a real PostgreSQL server (tests/conftest.py);
what only a SQLite file has (WAL, permissions, a full disk) is tested on SQLite alone.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from checklist.assessment import Answer, Assessment
from checklist.assessment_file import FileProblem, write_assessment
from checklist.database import answers as answers_table
from checklist.database import assessments as assessments_table
from checklist.database import explain, move_aside
from checklist.loader import default_methodology, load_checklist
from checklist.schema import Checklist
from checklist.scoring import score
from checklist.store import (
    ENV_URL,
    Conflict,
    Details,
    DetailsConflict,
    ImportReport,
    NotFound,
    Saved,
    Store,
    Unfit,
    Unusable,
    default_url,
)

FIXTURE = Path(__file__).parent / "fixtures" / "content"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(FIXTURE)


@pytest.fixture
def url(db_url: str) -> str:
    return db_url


@pytest.fixture
def store(url: str) -> Store:
    return Store(url)


def new(checklist: Checklist, **fields: object) -> Assessment:
    return Assessment.model_validate(
        {"jurisdiction": "Ruritania", "checklist_version": checklist.version, **fields}
    )


def test_answer_is_saved_and_read_back(store: Store, checklist: Checklist) -> None:
    assessment = new(checklist)
    store.create(assessment)
    outcome = store.save_answer(
        assessment.id,
        "age.sale",
        Answer(value=16, provisions=["Penal Code art. 1"]),
        0,
        checklist=checklist,
    )
    assert isinstance(outcome, Saved)
    stored = store.load(assessment.id)
    assert stored.assessment.answers["age.sale"].value == 16
    assert stored.assessment.answers["age.sale"].provisions == ["Penal Code art. 1"]
    assert stored.revisions == {"age.sale": outcome.revision}


def test_answer_is_there_for_a_new_connection(url: str, checklist: Checklist) -> None:
    first = Store(url)
    assessment = new(checklist)
    first.create(assessment)
    first.save_answer(assessment.id, "def.sale", Answer(status="partly"), 0, checklist=checklist)
    first.engine.dispose()
    assert Store(url).load(assessment.id).assessment.answers["def.sale"].status == "partly"


@pytest.mark.sqlite_only
def test_database_runs_in_wal_mode(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_times_without_a_zone__are_kept_as_utc(store: Store, checklist: Checklist) -> None:
    """As a file made by hand may give them; the PostgreSQL test server's own time zone is
    5 h 45 min east of UTC, which must not shift them."""
    nine = "2026-01-02T09:00:00"
    assessment = new(checklist, created_at=nine, updated_at=nine)
    store.create(assessment)
    saved = store.load(assessment.id).assessment
    at_nine = dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC)
    assert (saved.created_at, saved.updated_at) == (at_nine, at_nine)


def test_stale_save__is_a_conflict_with_both_answers_and_changes_nothing(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist)
    store.create(assessment)
    first = store.save_answer(
        assessment.id, "def.sale", Answer(status="covered"), 0, checklist=checklist
    )
    assert isinstance(first, Saved)
    # a second tab, which loaded the assessment before the first save, now answers
    late = store.save_answer(
        assessment.id, "def.sale", Answer(status="not-covered"), 0, checklist=checklist
    )
    assert isinstance(late, Conflict)
    assert late.theirs is not None and late.theirs.status == "covered"
    assert late.mine.status == "not-covered"
    assert late.revision == first.revision
    assert store.load(assessment.id).assessment.answers["def.sale"].status == "covered"


def test_save_on_the_latest_revision__overwrites(store: Store, checklist: Checklist) -> None:
    assessment = new(checklist)
    store.create(assessment)
    first = store.save_answer(
        assessment.id, "def.sale", Answer(status="covered"), 0, checklist=checklist
    )
    assert isinstance(first, Saved)
    second = store.save_answer(
        assessment.id, "def.sale", Answer(status="partly"), first.revision, checklist=checklist
    )
    assert isinstance(second, Saved) and second.revision > first.revision
    assert store.load(assessment.id).assessment.answers["def.sale"].status == "partly"


def test_racing_saves_from_the_same_revision__exactly_one_wins(
    url: str, checklist: Checklist
) -> None:
    store = Store(url)
    assessment = new(checklist)
    store.create(assessment)
    outcomes: list[Saved | Conflict] = []
    start = threading.Barrier(6)

    def save(n: int) -> None:
        mine = Store(url)
        start.wait()
        outcomes.append(
            mine.save_answer(
                assessment.id,
                "age.sale",
                Answer(value=10 + n),
                expected_revision=0,
                checklist=checklist,
            )
        )

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if isinstance(o, Saved)]
    assert len(winners) == 1
    assert sum(isinstance(o, Conflict) for o in outcomes) == 5


def test_revisions_are_never_reused__even_after_a_replace(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist)
    store.create(assessment)
    first = store.save_answer(
        assessment.id, "def.sale", Answer(status="covered"), 0, checklist=checklist
    )
    assert isinstance(first, Saved)
    store.replace(new(checklist, id=assessment.id))  # the answer is gone ...
    again = store.save_answer(
        assessment.id, "def.sale", Answer(status="partly"), 0, checklist=checklist
    )
    assert isinstance(again, Saved)  # ... and comes back with a fresh revision
    stale = store.save_answer(
        assessment.id, "def.sale", Answer(status="covered"), first.revision, checklist=checklist
    )
    assert isinstance(stale, Conflict)


def test_details_change_from_a_stale_version__is_a_conflict(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist)
    version = store.create(assessment).version
    ok = store.save_details(assessment.id, Details("Ruritania", "Ministry A"), version)
    assert isinstance(ok, Saved)
    late = store.save_details(assessment.id, Details("Freedonia", "NGO B"), version)
    assert isinstance(late, DetailsConflict)
    assert late.theirs.assessor == "Ministry A"
    assert store.load(assessment.id).assessment.jurisdiction == "Ruritania"


def test_details__scope_and_both_dates_are_saved_and_read_back(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist, date="2026-01-10")
    version = store.create(assessment).version
    details = Details(
        "Ruritania",
        scope="whole-protocol",
        date=dt.date(2026, 2, 1),
        law_date=dt.date(2008, 6, 30),
    )
    assert isinstance(store.save_details(assessment.id, details, version), Saved)
    saved = store.load(assessment.id).assessment
    assert (saved.scope, saved.date, saved.law_date) == (
        "whole-protocol",
        dt.date(2026, 2, 1),
        dt.date(2008, 6, 30),
    )


def test_details__no_date_keeps_both_saved_dates(store: Store, checklist: Checklist) -> None:
    assessment = new(checklist, date="2026-01-10", law_date="2008-06-30")
    version = store.create(assessment).version
    store.save_details(assessment.id, Details("Freedonia", scope="criminal-law"), version)
    saved = store.load(assessment.id).assessment
    assert (saved.jurisdiction, saved.scope) == ("Freedonia", "criminal-law")
    assert (saved.date, saved.law_date) == (dt.date(2026, 1, 10), dt.date(2008, 6, 30))


def test_details__a_new_date_without_a_law_date__is_also_the_law_date(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist, date="2026-01-10", law_date="2008-06-30")
    version = store.create(assessment).version
    store.save_details(assessment.id, Details("Ruritania", date=dt.date(2026, 3, 1)), version)
    saved = store.load(assessment.id).assessment
    assert saved.date == saved.law_date == dt.date(2026, 3, 1)


def test_details_conflict__shows_their_scope_and_dates(store: Store, checklist: Checklist) -> None:
    assessment = new(checklist, date="2026-01-10")
    version = store.create(assessment).version
    theirs = Details(
        "Ruritania", scope="criminal-law", date=dt.date(2026, 1, 12), law_date=dt.date(2010, 1, 1)
    )
    assert isinstance(store.save_details(assessment.id, theirs, version), Saved)
    mine = Details("Ruritania", scope="whole-protocol", date=dt.date(2026, 1, 11))
    late = store.save_details(assessment.id, mine, version)
    assert isinstance(late, DetailsConflict)
    assert late.theirs == theirs
    assert late.mine == mine
    assert store.load(assessment.id).assessment.scope == "criminal-law"


def test_details_with_an_unknown_scope__are_refused_and_nothing_is_written(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist)
    version = store.create(assessment).version
    with pytest.raises(ValueError, match="no scope 'extended'"):
        store.save_details(assessment.id, Details("Freedonia", scope="extended"), version)
    stored = store.load(assessment.id)
    assert (stored.version, stored.assessment) == (version, assessment)


def test_saving_to_an_unknown_assessment__raises_not_found(
    store: Store, checklist: Checklist
) -> None:
    with pytest.raises(NotFound):
        store.save_answer("nope", "def.sale", Answer(status="covered"), 0, checklist=checklist)
    with pytest.raises(NotFound):
        store.load("nope")


def test_summaries__newest_first_with_progress_and_score(
    store: Store, checklist: Checklist
) -> None:
    old = new(checklist, jurisdiction="Old", updated_at="2020-01-01T00:00:00Z")
    recent = new(
        checklist, jurisdiction="Recent", answers={"penalties.grave": {"status": "covered"}}
    )
    store.create(old)
    store.create(recent)
    summaries = store.list_summaries(checklist, default_methodology())
    assert [s.jurisdiction for s in summaries] == ["Recent", "Old"]
    assert summaries[0].answered == 1
    assert summaries[0].total == len(checklist.items(frozenset({"core"})))
    result = score(checklist, recent, default_methodology())
    assert (summaries[0].verdict, summaries[0].treaty_score) == (
        result.verdict,
        result.treaty_score,
    )
    assert summaries[0].treaty_score is not None and summaries[0].treaty_score > 0


# -- clearing an answer, deleting an assessment ----------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "answer", "why"),
    [
        ("age.sale", Answer(value=500), "500 is out of range for 'age.sale'"),
        ("age.sale", Answer(status="covered"), "is answered with a number"),
        ("def.sale", Answer(choice="yes"), "is answered with a coverage status"),
        ("def.sale", Answer(status="not-applicable"), "cannot be answered 'not applicable'"),
        ("sale.organs", Answer(elements={"selling": "covered"}), "has no element selling"),
        ("no.such-item", Answer(status="covered"), "no item 'no.such-item'"),
    ],
)
def test_answer_that_does_not_fit_its_item__is_refused_and_nothing_is_written(
    store: Store, checklist: Checklist, item_id: str, answer: Answer, why: str
) -> None:
    assessment = new(checklist)
    store.create(assessment)
    with pytest.raises(Unfit, match=re.escape(why)) as refused:
        store.save_answer(assessment.id, item_id, answer, 0, checklist=checklist)
    assert refused.value.item_id == item_id
    stored = store.load(assessment.id)
    assert stored.assessment.answers == {}
    assert stored.assessment.updated_at == assessment.updated_at  # not even touched


def test_cleared_answer__is_unanswered_and_keeps_the_evidence(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist)
    store.create(assessment)
    given = Answer(status="covered", provisions=["Penal Code art. 1"], note="see case X")
    first = store.save_answer(assessment.id, "def.sale", given, 0, checklist=checklist)
    assert isinstance(first, Saved)
    cleared = store.save_answer(
        assessment.id, "def.sale", given.cleared(), first.revision, checklist=checklist
    )
    assert isinstance(cleared, Saved) and cleared.revision > first.revision
    answer = store.load(assessment.id).assessment.answers["def.sale"]
    assert (answer.status, answer.provisions, answer.note) == (
        None,
        ["Penal Code art. 1"],
        "see case X",
    )
    result = score(checklist, store.load(assessment.id).assessment, default_methodology())
    assert next(i for i in result.items if i.id == "def.sale").state == "unanswered"


def test_clearing_a_stale_answer__is_a_conflict_and_keeps_the_newer_one(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist)
    store.create(assessment)
    seen = store.save_answer(
        assessment.id, "def.sale", Answer(status="covered"), 0, checklist=checklist
    )
    assert isinstance(seen, Saved)
    # another tab changes the answer after this one loaded it
    newer = store.save_answer(
        assessment.id, "def.sale", Answer(status="partly"), seen.revision, checklist=checklist
    )
    assert isinstance(newer, Saved)
    late = store.save_answer(
        assessment.id,
        "def.sale",
        Answer(status="covered").cleared(),
        seen.revision,
        checklist=checklist,
    )
    assert isinstance(late, Conflict)
    assert late.theirs is not None and late.theirs.status == "partly"
    assert store.load(assessment.id).assessment.answers["def.sale"].status == "partly"


def test_delete_assessment__removes_it_and_all_its_answers(
    store: Store, checklist: Checklist
) -> None:
    doomed = new(checklist, answers={"def.sale": {"status": "covered"}, "age.sale": {"value": 16}})
    kept = new(checklist, jurisdiction="Freedonia", answers={"def.sale": {"status": "partly"}})
    store.create(doomed)
    store.create(kept)
    assert store.delete_assessment(doomed.id) is True
    assert not store.exists(doomed.id)
    with store.engine.connect() as conn:
        left = conn.execute(
            sa.select(answers_table).where(answers_table.c.assessment_id == doomed.id)
        ).all()
    assert left == []
    assert [s.id for s in store.list_summaries(checklist, default_methodology())] == [kept.id]
    assert store.load(kept.id).assessment.answers["def.sale"].status == "partly"


def test_delete_assessment__is_all_or_nothing(store: Store, checklist: Checklist) -> None:
    assessment = new(checklist, answers={"def.sale": {"status": "covered"}})
    store.create(assessment)

    def fail_on_the_assessment_row(_conn: object, statement: object, *_: object) -> None:
        if isinstance(statement, sa.Delete) and statement.table is assessments_table:
            raise RuntimeError("the database went away")  # after the answers were deleted

    sa.event.listen(store.engine, "before_execute", fail_on_the_assessment_row)
    with pytest.raises(RuntimeError):
        store.delete_assessment(assessment.id)
    sa.event.remove(store.engine, "before_execute", fail_on_the_assessment_row)
    assert store.load(assessment.id).assessment.answers["def.sale"].status == "covered"


def test_delete_assessment_already_deleted__says_so(store: Store, checklist: Checklist) -> None:
    assessment = new(checklist)
    store.create(assessment)
    assert store.delete_assessment(assessment.id) is True
    assert store.delete_assessment(assessment.id) is False


# -- back-ups --------------------------------------------------------------------------------


def test_back_up_then_restore_into_an_empty_database__gives_everything_back(
    new_db_url: Callable[[str], str], store: Store, checklist: Checklist
) -> None:
    one = new(checklist, answers={"def.sale": {"status": "covered", "note": "see case X"}})
    two = new(checklist, jurisdiction="Freedonia")
    store.create(one)
    store.create(two)
    archive = store.export_archive()
    empty = Store(new_db_url("other"))
    report = restore(empty, archive, checklist)
    assert report.count("added") == 2
    assert empty.load(one.id).assessment.answers["def.sale"].note == "see case X"
    assert empty.load(two.id).assessment.jurisdiction == "Freedonia"


def test_back_up_then_restore__keeps_the_scope_and_the_law_date(
    new_db_url: Callable[[str], str], store: Store, checklist: Checklist
) -> None:
    one = new(checklist, scope="whole-protocol", date="2026-01-10", law_date="2008-06-30")
    store.create(one)
    empty = Store(new_db_url("other"))
    restore(empty, store.export_archive(), checklist)
    restored = empty.load(one.id).assessment
    assert (restored.scope, restored.date, restored.law_date) == (
        "whole-protocol",
        dt.date(2026, 1, 10),
        dt.date(2008, 6, 30),
    )


@pytest.mark.parametrize(
    "change",
    [{"scope": "criminal-law"}, {"law_date": dt.date(2008, 6, 30)}],
    ids=["scope", "law-date"],
)
def test_restore__a_newer_scope_or_law_date_in_the_back_up__updates_the_saved_one(
    store: Store, checklist: Checklist, change: dict[str, object]
) -> None:
    assessment = new(checklist, updated_at="2020-01-01T00:00:00Z")
    store.create(assessment)
    newer = assessment.model_copy(update={**change, "updated_at": _now_utc()})
    report = restore(store, _zip({"a.json": write_assessment(newer)}), checklist, replace=True)
    assert [line.outcome for line in report.lines] == ["updated"]
    assert store.load(assessment.id).assessment == newer


def test_restore_with_one_bad_file__writes_nothing(
    tmp_path: Path, store: Store, checklist: Checklist
) -> None:
    good = new(checklist)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("good.json", write_assessment(good))
        archive.writestr("bad.json", b'{"format": "opsc-gap-check/assessment", "answers": [')
    with pytest.raises(FileProblem) as problem:
        restore(store, buffer.getvalue(), checklist)
    assert "bad.json" in str(problem.value)
    assert not store.exists(good.id)


def test_restore_of_something_not_a_zip__is_a_clear_problem(
    store: Store, checklist: Checklist
) -> None:
    with pytest.raises(FileProblem, match="not a zip archive"):
        restore(store, b"hello", checklist, source="notes.txt")


def test_restore__keeps_a_saved_assessment_newer_than_the_back_up(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist)
    store.create(assessment)
    archive = store.export_archive()
    # work goes on after the back-up
    later = store.save_answer(
        assessment.id, "def.sale", Answer(status="covered"), 0, checklist=checklist
    )
    assert isinstance(later, Saved)
    _age(store, assessment.id, later.updated_at + dt.timedelta(seconds=5))
    report = restore(store, archive, checklist, replace=True)
    assert [line.outcome for line in report.lines] == ["kept-newer"]
    assert store.load(assessment.id).assessment.answers["def.sale"].status == "covered"


def test_restore__updates_a_saved_assessment_older_than_the_back_up(
    store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist, updated_at="2020-01-01T00:00:00Z")
    store.create(assessment)
    newer = assessment.with_answer("def.sale", Answer(status="partly"))
    archive = _zip({"a.json": write_assessment(newer)})
    report = restore(store, archive, checklist, replace=True)
    assert [line.outcome for line in report.lines] == ["updated"]
    assert store.load(assessment.id).assessment.answers["def.sale"].status == "partly"


def impatient(url: str) -> Store:
    """Another tab's store that waits for a lock a third of a second, not half a minute."""
    other = Store(url)
    if other.engine.dialect.name == "sqlite":
        sa.event.listen(
            other.engine,
            "connect",
            lambda dbapi_connection, _: dbapi_connection.execute("PRAGMA busy_timeout = 300"),
        )
    else:
        sa.event.listen(
            other.engine, "begin", lambda conn: conn.exec_driver_sql("SET LOCAL lock_timeout = 300")
        )
    other.engine.dispose()
    return other


def test_a_save_while_a_restore_writes_the_assessment__waits_for_it_then_is_a_conflict(
    url: str, store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist, updated_at="2020-01-01T00:00:00Z")
    store.create(assessment)
    newer = assessment.with_answer("def.sale", Answer(status="partly"))
    plan = store.plan_restore(_zip({"a.json": write_assessment(newer)}), "b.zip", checklist)
    other_tab = impatient(url)
    during: list[object] = []

    def save_in_the_other_tab(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if not during and statement.startswith("SELECT"):  # once, when the restore has read
            try:
                during.append(
                    other_tab.save_answer(
                        assessment.id, "def.sale", Answer(status="covered"), 0, checklist=checklist
                    )
                )
            except sa.exc.OperationalError as busy:
                during.append(busy)

    sa.event.listen(store.engine, "after_cursor_execute", save_in_the_other_tab)
    report = store.restore(plan, replace=True)
    sa.event.remove(store.engine, "after_cursor_execute", save_in_the_other_tab)

    assert [line.outcome for line in report.lines] == ["updated"]
    assert isinstance(during[0], sa.exc.OperationalError), during  # it had to wait
    late = other_tab.save_answer(
        assessment.id, "def.sale", Answer(status="covered"), 0, checklist=checklist
    )
    assert isinstance(late, Conflict) and late.theirs == newer.answers["def.sale"]
    assert store.load(assessment.id).assessment.answers["def.sale"].status == "partly"


AT = "2026-01-02T09:00:00Z"
ODD_FILES = {
    "nul-in-a-comment": {
        "comments": [{"item_id": "def.sale", "at": AT, "author": "Ana", "text": "a\x00b"}]
    },
    "nul-in-the-jurisdiction": {"jurisdiction": "Ruri\x00tania"},
    "item-id-longer-than-its-column": {
        "comments": [{"item_id": "i" * 201, "at": AT, "author": "Ana", "text": "t"}]
    },
    "version-id-longer-than-its-column": {
        "sign_offs": [{"version_id": "v" * 65, "at": AT, "author": "Ana", "decision": "cleared"}]
    },
}


@pytest.mark.parametrize("odd", ODD_FILES.values(), ids=ODD_FILES.keys())
def test_a_back_up_the_file_format_accepts__is_restored_as_it_is_on_every_database(
    store: Store, checklist: Checklist, odd: dict
) -> None:
    """Or refused on reading, saying why. PostgreSQL cannot hold NUL in text and enforces the
    columns' lengths, which SQLite does not: reading a file takes NUL out of its texts and
    refuses IDs longer than their columns, before the store is reached."""
    given = new(checklist).model_dump(mode="json") | odd
    archive = _zip({"odd.json": json.dumps(given).encode()})
    try:
        plan = store.plan_restore(archive, "backup.zip", checklist)
    except FileProblem:
        return  # refused on reading, saying why: as good as stored
    assert [line.outcome for line in store.restore(plan, replace=False).lines] == ["added"]
    restored = store.load(given["id"]).assessment.model_dump(mode="json")
    without_nul = json.loads(json.dumps(given).replace("\\u0000", ""))  # taken out on reading
    expected = Assessment.model_validate(without_nul).model_dump(mode="json")
    assert {key: restored[key] for key in odd} == {key: expected[key] for key in odd}


def test_restore_of_the_same_back_up_twice__changes_nothing(
    store: Store, checklist: Checklist
) -> None:
    store.create(new(checklist, answers={"def.sale": {"status": "covered"}}))
    archive = store.export_archive()
    report = restore(store, archive, checklist)
    assert [line.outcome for line in report.lines] == ["unchanged"]


def test_archive_with_the_same_assessment_twice__is_refused(
    store: Store, checklist: Checklist
) -> None:
    one = write_assessment(new(checklist, id="same"))
    with pytest.raises(FileProblem, match="same assessment ID"):
        restore(store, _zip({"a.json": one, "b.json": one}), checklist)


# -- configuration and crash safety ----------------------------------------------------------


@pytest.mark.sqlite_only
def test_database_file_is_readable_by_its_owner_only(url: str, store: Store) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    assert path.stat().st_mode & 0o777 == 0o600


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, "postgresql://team-server/opsc")
    assert default_url() == "postgresql://team-server/opsc"


def test_default_database_is_in_the_gitignored_data_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    assert default_url() == f"sqlite:///{ROOT / 'data' / 'opsc-gap-check.sqlite3'}"


CHILD = """
import sys
from pathlib import Path
from checklist.assessment import Answer
from checklist.loader import load_checklist
from checklist.store import Store
store, checklist = Store(sys.argv[1]), load_checklist(Path(sys.argv[3]))
answer = Answer(status="partly", note="kept")
outcome = store.save_answer(sys.argv[2], "def.sale", answer, 0, checklist=checklist)
print("saved", outcome.revision, flush=True)
sys.stdin.read()  # stay alive, holding the connection, until killed
"""


def test_answer_survives_kill_9_right_after_it_is_saved(
    url: str, store: Store, checklist: Checklist
) -> None:
    assessment = new(checklist)
    store.create(assessment)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, assessment.id, str(FIXTURE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().startswith("saved")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        assert child.stdin is not None and child.stdout is not None
        child.stdin.close()
        child.stdout.close()
    answer = Store(url).load(assessment.id).assessment.answers["def.sale"]
    assert (answer.status, answer.note) == ("partly", "kept")


def restore(
    store: Store,
    data: bytes,
    checklist: Checklist,
    *,
    replace: bool = False,
    source: str = "backup.zip",
) -> ImportReport:
    """Plan a restore, then carry it out (replacing saved work only if ``replace``)."""
    return store.restore(store.plan_restore(data, source, checklist), replace=replace)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _age(store: Store, assessment_id: str, when: dt.datetime) -> None:
    """Pretend the saved assessment was last changed at ``when``."""
    with store.engine.begin() as conn:
        conn.execute(
            assessments_table.update()
            .where(assessments_table.c.id == assessment_id)
            .values(updated_at=when)
        )


def test_exported_files_are_assessment_files(store: Store, checklist: Checklist) -> None:
    store.create(new(checklist))
    with zipfile.ZipFile(io.BytesIO(store.export_archive())) as archive:
        (name,) = archive.namelist()
        data = json.loads(archive.read(name))
    assert name.startswith("ruritania--") and data["format"] == "opsc-gap-check/assessment"


# -- the saved-work list: dates, pages, search, kept figures ---------------------------------


def test_summaries__carry_the_assessment_date_and_the_law_date(
    store: Store, checklist: Checklist
) -> None:
    store.create(new(checklist, date="2026-01-10", law_date="2008-06-30"))
    store.create(new(checklist, jurisdiction="Elbonia", date="2025-05-05"))
    dates = {
        s.jurisdiction: (s.date, s.law_date)
        for s in store.list_summaries(checklist, default_methodology())
    }
    assert dates == {
        "Ruritania": (dt.date(2026, 1, 10), dt.date(2008, 6, 30)),
        "Elbonia": (dt.date(2025, 5, 5), dt.date(2025, 5, 5)),
    }


@pytest.fixture
def scored(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The IDs of the assessments the store scores, in order."""
    calls: list[str] = []

    def counting(checklist: Checklist, assessment: Assessment, *args: object) -> object:
        calls.append(assessment.id)
        return score(checklist, assessment, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("checklist.store.score", counting)
    return calls


def test_list_page__scores_only_the_page_shown_and_keeps_the_figures(
    store: Store, checklist: Checklist, scored: list[str]
) -> None:
    for n in range(30):
        store.create(new(checklist, jurisdiction=f"State {n}"))
    listing = store.list_page(checklist, default_methodology(), limit=20)
    assert (len(listing.summaries), listing.matching, listing.total) == (20, 30, 30)
    assert len(scored) == 20
    again = store.list_page(checklist, default_methodology(), limit=20)
    assert len(scored) == 20  # kept, not scored again
    assert again == listing


def test_list_page__scores_again_an_assessment_changed_since(
    store: Store, checklist: Checklist, scored: list[str]
) -> None:
    assessment = new(checklist)
    store.create(assessment)
    before = store.list_summaries(checklist, default_methodology())[0]
    store.save_answer(assessment.id, "def.sale", Answer(status="covered"), 0, checklist=checklist)
    after = store.list_summaries(checklist, default_methodology())[0]
    assert (before.answered, after.answered) == (0, 1)
    store.save_details(assessment.id, Details("Ruritania", scope="whole-protocol"), 1)
    widened = store.list_summaries(checklist, default_methodology())[0]
    assert widened.total > after.total
    assert scored == [assessment.id] * 3


def test_list_page__scores_again_when_the_method_changes(
    store: Store, checklist: Checklist, scored: list[str]
) -> None:
    store.create(new(checklist, answers={"def.sale": {"status": "partly"}}))
    method = default_methodology()
    store.list_summaries(checklist, method)
    changed = method.model_copy(update={"weights": {k: v * 2 for k, v in method.weights.items()}})
    store.list_summaries(checklist, changed)
    assert len(scored) == 2


def test_list_page__finds_every_word_in_any_case_and_pages_through_the_rest(
    store: Store, checklist: Checklist
) -> None:
    store.create(new(checklist, jurisdiction="Côte d'Ivoire", title="Code pénal 2019"))
    store.create(new(checklist, jurisdiction="Chile", assessor="Ministerio"))
    for n in range(5):
        store.create(new(checklist, jurisdiction=f"State {n}"))
    method = default_methodology()
    found = store.list_page(checklist, method, search="CÔTE pénal")
    assert [s.jurisdiction for s in found.summaries] == ["Côte d'Ivoire"]
    assert store.list_page(checklist, method, search="ministerio").matching == 1
    second = store.list_page(checklist, method, offset=4, limit=4)
    assert (len(second.summaries), second.matching) == (3, 7)


def test_deleted_assessment__leaves_no_kept_figures(store: Store, checklist: Checklist) -> None:
    assessment = new(checklist)
    store.create(assessment)
    store.list_summaries(checklist, default_methodology())
    store.delete_assessment(assessment.id)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM summaries").scalar() == 0


# -- a database that cannot be used as it is -------------------------------------------------


def test_damaged_database__is_unusable_saying_so_and_is_left_as_it_was(
    tmp_path: Path, checklist: Checklist
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = Store(url)
    store.create(new(checklist))
    store.engine.dispose()
    path = tmp_path / "store.sqlite3"
    cut = path.read_bytes()[: path.stat().st_size // 2]
    for damaged in (cut, b"not a database at all" * 100):
        path.write_bytes(damaged)
        with pytest.raises(Unusable) as problem:
            Store(url)
        assert problem.value.kind == "damaged" and "damaged" in problem.value.what
        assert problem.value.where == str(path)
        assert path.read_bytes() == damaged


def test_database_of_a_newer_version__is_unusable_saying_so(url: str, store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    store.engine.dispose()
    with pytest.raises(Unusable) as problem:
        Store(url)
    assert problem.value.kind == "newer"


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_database__is_unusable_saying_so(url: str, store: Store) -> None:
    store.engine.dispose()
    path = Path(url.removeprefix("sqlite:///"))
    path.chmod(0)
    try:
        with pytest.raises(Unusable) as problem:
            Store(url)
    finally:
        path.chmod(0o600)
    assert problem.value.kind == "unreadable"


def test_file_system_that_refuses_chmod__still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checklist: Checklist
) -> None:
    def refuse(_path: Path, _mode: int) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "chmod", refuse)
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    store.create(new(checklist))
    assert len(store.load_all()) == 1


@pytest.mark.sqlite_only
def test_read_only_database__is_read_and_says_why_nothing_can_be_saved(
    url: str, store: Store, checklist: Checklist, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = new(checklist, answers={"def.sale": {"status": "covered"}})
    store.create(saved)
    store.engine.dispose()
    monkeypatch.setattr(
        "checklist.database.read_only_reason", lambda _path: "the disk holding it is read-only"
    )
    read_only = Store(url)
    assert read_only.read_only == "the disk holding it is read-only"
    assert read_only.load(saved.id).assessment.answers["def.sale"].status == "covered"
    assert read_only.list_summaries(checklist, default_methodology())[0].answered == 1
    with pytest.raises(sa.exc.OperationalError) as refused:
        read_only.create(new(checklist))
    assert explain(refused.value)[0] == "read-only"


@pytest.mark.sqlite_only
def test_full_disk__is_explained_as_such(store: Store, checklist: Checklist) -> None:
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # as if the disk were full
        conn.commit()
        with pytest.raises(sa.exc.OperationalError) as full:
            conn.execute(
                assessments_table.insert(),
                [
                    {
                        "id": f"x{n}",
                        "jurisdiction": "x" * 200,
                        "assessor": "",
                        "title": "",
                        "date": dt.date.today(),
                        "checklist_version": "1.0",
                        "include_modules": [],
                        "archived_answers": [],
                        "created_at": _now_utc(),
                        "updated_at": _now_utc(),
                        "version": 1,
                        "revision_counter": 0,
                    }
                    for n in range(200)
                ],
            )
    assert explain(full.value) == ("full", "the disk is full")


def test_move_aside__renames_the_file_and_its_companions_and_deletes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "opsc.sqlite3"
    for extra, data in (("", b"main"), ("-wal", b"log"), ("-shm", b"index")):
        Path(f"{path}{extra}").write_bytes(data)
    renamed = move_aside(f"sqlite:///{path}", now=dt.datetime(2026, 1, 2, 3, 4, 5))
    assert renamed == tmp_path / "opsc.set-aside-20260102-030405.sqlite3"
    assert not path.exists() and not Path(f"{path}-wal").exists()
    assert [renamed.read_bytes(), Path(f"{renamed}-wal").read_bytes()] == [b"main", b"log"]
    path.write_bytes(b"again")
    second = move_aside(f"sqlite:///{path}", now=dt.datetime(2026, 1, 2, 3, 4, 5))
    assert second != renamed and second.read_bytes() == b"again" and renamed.exists()
