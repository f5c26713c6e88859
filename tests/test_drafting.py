"""Accountable drafting: who changed what, named versions, review and sign-off.

Runs against the small fixture checklist, each test on its own database: a SQLite file, and
again a database of a real PostgreSQL server (tests/conftest.py). What the record
is and how it is read: checklist.drafting; how the store writes it: checklist.drafting_store.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from checklist import drafting
from checklist.assessment import Answer, Assessment
from checklist.assessment_file import read_assessment, write_assessment
from checklist.database import MIGRATIONS, make_engine
from checklist.loader import load_checklist
from checklist.schema import Checklist
from checklist.store import Conflict, Refused, Saved, Store

FIXTURE = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(FIXTURE)


@pytest.fixture
def url(db_url: str) -> str:
    return db_url


@pytest.fixture
def store(url: str) -> Store:
    return Store(url)


@pytest.fixture
def saved(store: Store, checklist: Checklist) -> Assessment:
    assessment = Assessment(jurisdiction="Ruritania", checklist_version=checklist.version)
    store.create(assessment)
    return assessment


def answer(
    store: Store, checklist: Checklist, a: Assessment, item: str, given: Answer, author: str = "Ana"
) -> Saved:
    revision = store.load(a.id).revisions.get(item, 0)
    outcome = store.save_answer(a.id, item, given, revision, checklist=checklist, author=author)
    assert isinstance(outcome, Saved)
    return outcome


# -- history of every answer ------------------------------------------------------------------


def test_every_save__leaves_a_history_entry_with_its_author_and_both_answers(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    answer(store, checklist, saved, "def.sale", Answer(status="partly"), author="Ana")
    answer(store, checklist, saved, "def.sale", Answer(status="covered", note="art. 5"), "Ben")

    newest, oldest = store.history(saved.id, "def.sale")
    assert (oldest.author, oldest.change, oldest.before) == ("Ana", "answer", None)
    assert oldest.after is not None and oldest.after.status == "partly"
    assert newest.author == "Ben"
    assert newest.before is not None and newest.before.status == "partly"
    assert newest.after is not None and (newest.after.status, newest.after.note) == (
        "covered",
        "art. 5",
    )


def test_a_refused_save__leaves_no_history_entry(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    answer(store, checklist, saved, "def.sale", Answer(status="partly"))
    stale = store.save_answer(
        saved.id, "def.sale", Answer(status="covered"), 0, checklist=checklist, author="Ben"
    )
    assert isinstance(stale, Conflict)
    assert len(store.history(saved.id, "def.sale")) == 1


def test_restoring_an_earlier_answer__is_itself_a_new_entry_and_rewrites_nothing(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    answer(store, checklist, saved, "def.sale", Answer(status="partly", note="first"))
    answer(store, checklist, saved, "def.sale", Answer(status="covered", note="second"))
    before = store.history(saved.id, "def.sale")
    earlier = before[0].before  # what the latest change replaced

    outcome = store.restore_answer(
        saved.id,
        "def.sale",
        earlier,
        store.load(saved.id).revisions["def.sale"],
        checklist=checklist,
        author="Chloé",
    )

    assert isinstance(outcome, Saved)
    now = store.load(saved.id).assessment.answers["def.sale"]
    assert (now.status, now.note) == ("partly", "first")
    after = store.history(saved.id, "def.sale")
    assert after[1:] == before  # the old entries, untouched
    assert (after[0].change, after[0].author) == ("restore", "Chloé")
    assert after[0].before is not None and after[0].before.note == "second"


def test_restoring_to_before_the_first_answer__empties_the_answer(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    answer(store, checklist, saved, "def.sale", Answer(status="partly"))
    first = store.history(saved.id, "def.sale")[-1]
    store.restore_answer(
        saved.id,
        "def.sale",
        first.before,
        store.load(saved.id).revisions["def.sale"],
        checklist=checklist,
        author="Ana",
    )
    assert store.load(saved.id).assessment.answers["def.sale"].is_empty


def test_replacing_from_a_file__keeps_the_saved_history_and_records_each_change(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    answer(store, checklist, saved, "def.sale", Answer(status="partly"), author="Ana")
    incoming = store.load(saved.id).assessment.model_copy(
        update={"answers": {"def.sale": Answer(status="covered")}, "history": []}
    )
    store.replace(incoming, author="Ben")

    entries = store.history(saved.id, "def.sale")
    assert [(e.change, e.author) for e in entries] == [("import", "Ben"), ("answer", "Ana")]


# -- named versions ---------------------------------------------------------------------------


def test_a_version_is_frozen__later_edits_do_not_change_it(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    answer(store, checklist, saved, "def.sale", Answer(status="partly"))
    version = store.save_version(saved.id, "Sent to the Committee, December 2026", author="Ana")
    answer(store, checklist, saved, "def.sale", Answer(status="covered"))

    now = store.load(saved.id).assessment
    (kept,) = now.versions
    assert kept == version
    assert kept.snapshot.answers["def.sale"].status == "partly"
    assert now.as_of(kept).answers["def.sale"].status == "partly"
    assert now.answers["def.sale"].status == "covered"


def test_a_version_needs_a_name_not_already_taken(store: Store, saved: Assessment) -> None:
    with pytest.raises(Refused, match="name"):
        store.save_version(saved.id, "   ", author="Ana")
    store.save_version(saved.id, "Draft for the unit", author="Ana")
    with pytest.raises(Refused, match="already exists"):
        store.save_version(saved.id, "Draft for the unit", author="Ben")


def test_nothing_is_recorded_without_a_name(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    with pytest.raises(Refused, match="name"):
        store.add_comment(saved.id, "def.sale", "Check art. 5", author="  ")
    with pytest.raises(Refused, match="name"):
        store.save_version(saved.id, "v1", author="")
    assert store.record(saved.id)["comments"] == []


# -- review states and comments ---------------------------------------------------------------


def test_review_state__is_the_last_set_and_every_change_is_kept(
    store: Store, saved: Assessment
) -> None:
    store.set_review(saved.id, "def.sale", "drafted", author="Ana")
    store.set_review(saved.id, "def.sale", "reviewed", author="Ben")
    now = store.load(saved.id).assessment
    assert drafting.review_state(now, "def.sale") == "reviewed"
    assert drafting.review_state(now, "age.sale") == "to-do"
    assert [(r.author, r.state) for r in now.reviews] == [("Ana", "drafted"), ("Ben", "reviewed")]


def test_review_progress__counts_items_in_each_state(store: Store, saved: Assessment) -> None:
    store.set_review(saved.id, "def.sale", "reviewed", author="Ben")
    store.set_review(saved.id, "age.sale", "drafted", author="Ana")
    now = store.load(saved.id).assessment
    counts = drafting.review_progress(now, ["def.sale", "age.sale", "assistance.mutual"])
    assert counts == {"to-do": 1, "drafted": 1, "reviewed": 1}


def test_comments__are_kept_as_typed_in_order_and_never_edited(
    store: Store, saved: Assessment
) -> None:
    hostile = '=HYPERLINK("http://x") **bold** <script>alert(1)</script>'
    store.add_comment(saved.id, "def.sale", "Is art. 5 in force?", author="Ben")
    store.add_comment(saved.id, "def.sale", hostile, author="Ana")
    thread = drafting.comments_on(store.load(saved.id).assessment, "def.sale")
    assert [(c.author, c.text) for c in thread] == [
        ("Ben", "Is art. 5 in force?"),
        ("Ana", hostile),
    ]


def test_an_empty_or_overlong_comment__is_refused_saying_why(
    store: Store, saved: Assessment
) -> None:
    with pytest.raises(Refused, match="empty"):
        store.add_comment(saved.id, "def.sale", "  \n ", author="Ben")
    with pytest.raises(Refused, match="at most"):
        store.add_comment(saved.id, "def.sale", "x" * 6000, author="Ben")


def test_two_tabs_commenting_and_reviewing_at_once__lose_nothing(
    url: str, saved: Assessment
) -> None:
    stores = [Store(url), Store(url)]
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                stores[n].add_comment(saved.id, "def.sale", f"tab {n} comment {i}", author=f"T{n}")
                stores[n].set_review(saved.id, "def.sale", "drafted", author=f"T{n}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    now = Store(url).load(saved.id).assessment
    assert len(now.comments) == 30
    assert len(now.reviews) == 30


# -- sign-off ---------------------------------------------------------------------------------


def test_sign_off__makes_exactly_the_cleared_version_final(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    answer(store, checklist, saved, "def.sale", Answer(status="partly"))
    version = store.save_version(saved.id, "For clearance", author="Ana")
    assert drafting.clearance(store.load(saved.id).assessment).mark == "Draft"

    store.sign_off(saved.id, version.id, "cleared", author="Head of Unit", note="OK to send")
    now = store.load(saved.id).assessment
    cleared = drafting.clearance(now)
    assert cleared.final and cleared.version == version
    assert "cleared by Head of Unit" in cleared.describe()

    answer(store, checklist, saved, "def.sale", Answer(status="covered"))
    later = store.load(saved.id).assessment
    assert drafting.clearance(later).mark == "Draft"  # any later change: a draft again
    assert drafting.clearance(later.as_of(version)).final  # the version itself stays cleared


def test_a_returned_version__is_a_draft(store: Store, saved: Assessment) -> None:
    version = store.save_version(saved.id, "For clearance", author="Ana")
    store.sign_off(saved.id, version.id, "returned", author="Head", note="Check art. 5")
    cleared = drafting.clearance(store.load(saved.id).assessment)
    assert not cleared.final
    assert "returned" in cleared.describe()


def test_sign_off_of_the_current_state__is_refused_if_it_changed_meanwhile(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    seen = store.load(saved.id).stamp
    answer(store, checklist, saved, "def.sale", Answer(status="partly"))  # another tab
    with pytest.raises(Refused, match="changed after you opened it"):
        store.sign_off_current(saved.id, "Cleared", "cleared", author="Head", expected=seen)
    assert store.load(saved.id).assessment.versions == []
    assert store.load(saved.id).assessment.sign_offs == []

    version, decision = store.sign_off_current(
        saved.id, "Cleared", "cleared", author="Head", expected=store.load(saved.id).stamp
    )
    assert decision.version_id == version.id
    assert drafting.clearance(store.load(saved.id).assessment).final


def test_sign_off__is_refused_when_someone_else_decided_meanwhile(
    store: Store, saved: Assessment
) -> None:
    version = store.save_version(saved.id, "For clearance", author="Ana")
    store.sign_off(saved.id, version.id, "returned", author="Deputy", decisions_seen=0)
    with pytest.raises(Refused, match="Someone else signed off"):
        store.sign_off(saved.id, version.id, "cleared", author="Head", decisions_seen=0)
    assert [s.author for s in store.load(saved.id).assessment.sign_offs] == ["Deputy"]


def test_sign_off_of_a_version_that_is_not_there__is_refused(
    store: Store, saved: Assessment
) -> None:
    with pytest.raises(Refused, match="no such version"):
        store.sign_off(saved.id, "nope", "cleared", author="Head")


# -- through files and back-ups ---------------------------------------------------------------


def everything(store: Store, checklist: Checklist, saved: Assessment) -> Assessment:
    answer(store, checklist, saved, "def.sale", Answer(status="partly"), author="Ana")
    store.set_review(saved.id, "def.sale", "drafted", author="Ana")
    store.add_comment(saved.id, "def.sale", "Check art. 5 — وفقاً للقانون", author="Ben")
    version = store.save_version(saved.id, "Sent, December 2026", author="Ana")
    store.sign_off(saved.id, version.id, "cleared", author="Head", note="Fine")
    return store.load(saved.id).assessment


def test_history_versions_reviews_and_sign_offs__survive_the_assessment_file(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    full = everything(store, checklist, saved)
    back = read_assessment(write_assessment(full), "a.json", checklist).assessment
    for part in ("history", "reviews", "comments", "versions", "sign_offs"):
        assert getattr(back, part) == getattr(full, part), part
    assert drafting.clearance(back).final


def test_history_versions_reviews_and_sign_offs__survive_a_back_up_and_restore(
    store: Store, checklist: Checklist, saved: Assessment, new_db_url: Callable[[str], str]
) -> None:
    full = everything(store, checklist, saved)
    archive = store.export_archive()
    elsewhere = Store(new_db_url("other"))
    elsewhere.restore(elsewhere.plan_restore(archive, "backup.zip", checklist), replace=False)
    restored = elsewhere.load(saved.id).assessment
    for part in ("history", "reviews", "comments", "versions", "sign_offs"):
        assert getattr(restored, part) == getattr(full, part), part


def test_bringing_a_file_back__adds_its_entries_and_loses_none_of_the_saved_ones(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    full = everything(store, checklist, saved)
    store.add_comment(saved.id, "def.sale", "Only in the database", author="Ana")
    from_file = full.model_copy(
        update={
            "comments": [
                *full.comments,
                full.comments[0].model_copy(update={"text": "Only in the file", "author": "Eve"}),
            ]
        }
    )
    store.replace(from_file, author="Ana")
    texts = [c.text for c in store.load(saved.id).assessment.comments]
    assert "Only in the database" in texts and "Only in the file" in texts
    assert len(store.load(saved.id).assessment.versions) == 1  # matched by ID, not doubled


def test_a_format_2_file__still_opens_with_an_empty_record(checklist: Checklist) -> None:
    data = (
        b'{"format": "opsc-gap-check/assessment", "format_version": 2, "id": "abc",'
        b' "jurisdiction": "Ruritania", "date": "2026-01-02", "checklist_version": "'
        + checklist.version.encode()
        + b'", "answers": {"def.sale": {"status": "covered"}}}'
    )
    loaded = read_assessment(data, "old.json", checklist).assessment
    assert loaded.format_version == 3
    assert loaded.answers["def.sale"].status == "covered"
    assert (loaded.history, loaded.versions, loaded.sign_offs) == ([], [], [])


def test_deleting_the_assessment__removes_its_record_too(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    everything(store, checklist, saved)
    assert store.delete_assessment(saved.id)
    with store.engine.connect() as conn:
        for table in ("answer_history", "review_log", "comments", "versions", "sign_offs"):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0


# -- the database of the previous release -----------------------------------------------------


def test_a_database_of_the_current_schema__migrates_keeping_every_answer(
    url: str, checklist: Checklist
) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        conn.execute(
            sa.text(
                "INSERT INTO assessments (id, jurisdiction, assessor, title, date, law_date, "
                "checklist_version, scope, include_modules, archived_answers, created_at, "
                "updated_at, version, revision_counter) VALUES ('old', 'Ruritania', '', '', "
                "'2026-01-02', '2020-01-01', :v, 'offences', '[]', '[]', "
                "'2026-01-02 09:00:00', '2026-01-02 09:00:00', 2, 2)"
            ),
            {"v": checklist.version},
        )
        for n, (item, given) in enumerate(
            (("def.sale", '{"status": "covered"}'), ("age.sale", '{"value": 18.0}')), start=1
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO answers VALUES ('old', :item, :answer, :n, '2026-01-02 09:00:00')"
                ),
                {"item": item, "answer": given, "n": n},
            )
    engine.dispose()

    store = Store(url)
    old = store.load("old")
    assert {k: v.model_dump(exclude_none=True) for k, v in old.assessment.answers.items()} == {
        "def.sale": {
            "status": "covered",
            "elements": {},
            "provisions": [],
            "excerpt": "",
            "source_url": "",
            "note": "",
        },
        "age.sale": {
            "value": 18.0,
            "elements": {},
            "provisions": [],
            "excerpt": "",
            "source_url": "",
            "note": "",
        },
    }
    assert old.assessment.history == []
    store.save_answer(
        "old",
        "def.sale",
        Answer(status="partly"),
        old.revisions["def.sale"],
        checklist=checklist,
        author="Ana",
    )
    (first,) = store.history("old", "def.sale")
    assert first.before is not None and first.before.status == "covered"
    assert first.at.date() == dt.datetime.now(dt.UTC).date()


# -- reports say Draft until what they show is a cleared version ------------------------------


def cleared_assessment() -> tuple[Assessment, Assessment]:
    """(a cleared version as the current state, the same after one more change)."""
    from checklist.assessment import SignOff, Version
    from checklist.loader import default_checklist

    checklist = default_checklist()
    item = checklist.sections[0].items[0].id
    base = Assessment(
        jurisdiction="Ruritania",
        checklist_version=checklist.version,
        answers={item: Answer(status="unknown")},
    )
    at = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    version = Version(name="Sent to the Committee", at=at, author="Ana", snapshot=base.snapshot())
    decision = SignOff(version_id=version.id, at=at, author="Head of Unit", decision="cleared")
    cleared = base.model_copy(update={"versions": [version], "sign_offs": [decision]})
    changed = cleared.with_answer(item, Answer(status="unknown", note="one more change"))
    return cleared, changed


def pdf_pages(assessment: Assessment) -> list[str]:
    import io

    from pypdf import PdfReader

    from reports import build_report, render

    return [
        p.extract_text()
        for p in PdfReader(io.BytesIO(render("pdf", build_report(assessment)))).pages
    ]


def summary_sheet(assessment: Assessment) -> object:
    import io

    from openpyxl import load_workbook

    from reports import build_report, render

    workbook = load_workbook(io.BytesIO(render("xlsx", build_report(assessment))))
    return workbook["Summary"]


def test_pdf__says_draft_on_every_page_until_the_version_shown_is_cleared() -> None:
    cleared, changed = cleared_assessment()
    draft_pages = pdf_pages(changed)
    assert all("DRAFT" in page for page in draft_pages)
    final_pages = pdf_pages(cleared)
    assert all("FINAL" in page and "DRAFT" not in page for page in final_pages)
    assert "cleared by Head of Unit on 2026-11-24" in " ".join(final_pages[0].split())


def test_workbook_summary__says_draft_or_who_cleared_it_and_when() -> None:
    cleared, changed = cleared_assessment()
    draft = summary_sheet(changed)
    assert str(draft["A3"].value).startswith("Draft")  # type: ignore[index]
    assert draft.oddHeader.center.text == "DRAFT"  # type: ignore[attr-defined]
    final = summary_sheet(cleared)
    assert "cleared by Head of Unit on 2026-11-24" in str(final["A3"].value)  # type: ignore[index]
    assert final.oddHeader.center.text == "FINAL"  # type: ignore[attr-defined]


def test_a_forged_sign_off_for_other_answers__does_not_make_a_report_final() -> None:
    cleared, changed = cleared_assessment()
    forged = changed.model_copy(
        update={"versions": cleared.versions, "sign_offs": cleared.sign_offs}
    )
    assert drafting.clearance(forged).mark == "Draft"


def test_a_file_without_the_record__is_the_same_as_the_saved_assessment_it_came_from(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    from checklist.backup import same_content

    full = everything(store, checklist, saved)
    as_from_a_workbook = full.model_copy(update={part: [] for part in drafting.RECORD_PARTS})
    assert same_content(full, as_from_a_workbook)  # returned unchanged: nothing to ask
    with_a_new_comment = full.model_copy(
        update={"comments": [*full.comments, full.comments[0].model_copy(update={"text": "New"})]}
    )
    assert not same_content(full, with_a_new_comment)  # it brings something: not the same


# -- what review found --------------------------------------------------------------------------


def test_times_written_without_a_zone__are_taken_as_utc_and_merge_with_the_saved_ones(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    full = everything(store, checklist, saved)
    data = full.model_dump(mode="json")
    data["comments"].append(
        {"item_id": "def.sale", "at": "2026-01-01T00:00:00", "author": "Eve", "text": "naive"}
    )
    from_file = read_assessment(
        write_assessment(Assessment.model_validate(data)), "f.json", checklist
    ).assessment
    assert from_file.comments[-1].at.tzinfo is not None
    store.replace(from_file, author="Ana")  # sorts both sides' entries by time: no crash
    comments = store.load(saved.id).assessment.comments
    assert comments[0].text == "naive"  # the oldest first


def test_the_latest_decision_in_time_counts__not_the_last_brought_in(
    store: Store, saved: Assessment
) -> None:
    version = store.save_version(saved.id, "For clearance", author="Ana")
    store.sign_off(saved.id, version.id, "returned", author="Head")
    now = store.load(saved.id).assessment
    older = now.sign_offs[0].model_copy(
        update={"decision": "cleared", "at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}
    )
    store.replace(now.model_copy(update={"sign_offs": [*now.sign_offs, older]}), author="Ana")
    assert not drafting.clearance(store.load(saved.id).assessment).final


def test_a_version_is_final_by_its_own_decision__not_by_another_with_the_same_content(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    first = store.save_version(saved.id, "Sent", author="Ana")
    store.sign_off(saved.id, first.id, "cleared", author="Head")
    second = store.save_version(saved.id, "Internal copy", author="Ana")
    store.sign_off(saved.id, second.id, "returned", author="Deputy")
    now = store.load(saved.id).assessment
    assert drafting.clearance(now.as_of(first)).final
    assert not drafting.clearance(now.as_of(second)).final


def test_sign_off_of_the_current_state__with_a_note_too_long_writes_nothing(
    store: Store, saved: Assessment
) -> None:
    seen = store.load(saved.id).stamp
    with pytest.raises(Refused, match="at most"):
        store.sign_off_current(
            saved.id, "Cleared", "cleared", author="Head", expected=seen, note="x" * 5001
        )
    assert store.load(saved.id).assessment.versions == []
    store.sign_off_current(saved.id, "Cleared", "cleared", author="Head", expected=seen)
    assert len(store.load(saved.id).assessment.versions) == 1  # the retry is not refused


def test_saving_the_same_action_again__leaves_a_cleared_assessment_final(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    from checklist.assessment import PlannedAction

    planned = PlannedAction(action="Amend art. 5")
    store.save_action(saved.id, "def.sale", planned, 0, author="Ana")
    seen = store.load(saved.id)
    store.sign_off_current(saved.id, "Cleared", "cleared", author="Head", expected=seen.stamp)
    store.save_action(
        saved.id, "def.sale", planned, seen.action_revisions["def.sale"], author="Ana"
    )
    assert drafting.clearance(store.load(saved.id).assessment).final


@pytest.mark.parametrize(
    ("part", "message"),
    [("versions", "appears more than once"), ("sign_offs", "not among the versions")],
)
def test_a_file_with_a_version_twice_or_a_decision_on_no_version__is_refused(
    store: Store, checklist: Checklist, saved: Assessment, part: str, message: str
) -> None:
    from checklist.assessment_file import FileProblem

    full = everything(store, checklist, saved).model_dump(mode="json")
    if part == "versions":
        full["versions"].append(full["versions"][0])
    else:
        full["sign_offs"].append({**full["sign_offs"][0], "version_id": "nowhere"})
    import json

    with pytest.raises(FileProblem, match=message):
        read_assessment(json.dumps(full).encode(), "f.json", checklist)


def test_a_change_of_the_details__is_recorded_with_who_before_and_after(
    store: Store, saved: Assessment
) -> None:
    from checklist.store import Details

    stored = store.load(saved.id)
    store.save_details(
        saved.id,
        Details("Ruritania", title="After the 2025 reform", scope="criminal-law"),
        stored.version,
        author="Ana",
    )
    (entry,) = store.load(saved.id).assessment.details_history
    assert entry.author == "Ana"
    assert entry.before == {"title": "", "scope": "offences"}
    assert entry.after == {"title": "After the 2025 reform", "scope": "criminal-law"}


def test_an_item_record__reads_only_the_newest_changes_and_counts_them_all(
    store: Store, checklist: Checklist, saved: Assessment
) -> None:
    for n in range(5):
        answer(store, checklist, saved, "def.sale", Answer(status="partly", note=f"v{n}"))
    found = store.item_record(saved.id, "def.sale", newest=2)
    assert found.history_total == 5
    assert [e.after.note for e in found.history if e.after] == ["v4", "v3"]
