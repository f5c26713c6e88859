"""Who may do what on a team server, enforced by the store (checklist.guarded_store) whatever
the pages show: each role x each action, lists and back-ups holding only what the user has a
role on, and an assessment one may not see answering exactly as one that does not exist.

The rules themselves (checklist.access.NEEDS) are the table the parametrised test walks; the
roles come from team membership, a share with the person, or a share with another team.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checklist import access
from checklist.access import ACTIONS, ROLES, Action, Forbidden, NoAccess, Role, User
from checklist.assessment import Answer, Assessment, PlannedAction
from checklist.backup import write_archive
from checklist.guarded_store import GuardedStore, _unguarded
from checklist.loader import default_methodology, load_checklist
from checklist.schema import Checklist
from checklist.store import Details, NotFound, Refused, Saved, Store

FIXTURE = Path(__file__).parent / "fixtures" / "content"

ALICE = User("alice@ministry.example", "Alice")  # admin of the criminal-law team
EVE = User("eve@ngo.example", "Eve")  # admin of another team
NOBODY = User("nobody@elsewhere.example", "Nobody")  # signed in, no role anywhere
ROOT = User("root@ministry.example", "Root", site_admin=True)


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(FIXTURE)


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


@dataclass
class World:
    """Two teams, each with one assessment; ``ours`` has a saved version to sign off."""

    store: Store
    team: str
    other_team: str
    ours: Assessment
    theirs: Assessment
    version_id: str

    def as_(self, user: User, home_team: str | None = None) -> GuardedStore:
        return GuardedStore(self.store, user, home_team=home_team)


@pytest.fixture
def world(store: Store, checklist: Checklist) -> World:
    alice, eve = GuardedStore(store, ALICE), GuardedStore(store, EVE)
    team = alice.create_team("Criminal law unit").id
    other = eve.create_team("Coalition").id
    ours = Assessment(jurisdiction="Ruritania", checklist_version=checklist.version)
    theirs = Assessment(jurisdiction="Freedonia", checklist_version=checklist.version)
    GuardedStore(store, ALICE, home_team=team).create(ours)
    GuardedStore(store, EVE, home_team=other).create(theirs)
    version = alice.save_version(ours.id, "Draft 1", author="")
    return World(store, team, other, ours, theirs, version.id)


def member(world: World, role: Role) -> User:
    """A new member of ``world.team`` with ``role``."""
    user = User(f"{role}@ministry.example", role.title())
    world.as_(ALICE).set_member(world.team, user.key, role)
    return user


# -- each role x each action ------------------------------------------------------------------

DO: dict[Action, Callable[[GuardedStore, World, Checklist], Any]] = {
    "see": lambda s, w, c: s.load(w.ours.id),
    "download": lambda s, w, c: s.export_archive(),
    "answer": lambda s, w, c: s.save_answer(
        w.ours.id, "def.sale", Answer(status="covered"), 0, checklist=c
    ),
    "comment": lambda s, w, c: s.add_comment(w.ours.id, "def.sale", "See art. 5", author=""),
    "review": lambda s, w, c: s.set_review(w.ours.id, "def.sale", "drafted", author=""),
    "plan": lambda s, w, c: s.save_action(
        w.ours.id, "def.sale", PlannedAction(action="Amend art. 5"), 0, author=""
    ),
    "version": lambda s, w, c: s.save_version(w.ours.id, "Sent", author=""),
    "sign_off": lambda s, w, c: s.sign_off(w.ours.id, w.version_id, "cleared", author=""),
    "share": lambda s, w, c: s.share(w.ours.id, "user", "new@ministry.example", "reader"),
    "delete": lambda s, w, c: s.delete_assessment(w.ours.id),
}


def test_every_action__has_a_case_here() -> None:
    assert set(DO) == set(ACTIONS)


def test_every_store_method__is_guarded() -> None:
    assert _unguarded() == []


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_role_x_action__allowed_exactly_as_the_table_says(
    world: World, checklist: Checklist, role: Role, action: Action
) -> None:
    guarded = world.as_(member(world, role))
    if access.allows(role, action):
        DO[action](guarded, world, checklist)
        return
    with pytest.raises(Forbidden) as refused:
        DO[action](guarded, world, checklist)
    assert not isinstance(refused.value, NoAccess)
    message = str(refused.value)
    assert f"your role on it is {role}" in message
    assert access.NEEDS[action] in message
    assert world.store.exists(world.ours.id)  # nothing was deleted, say


def test_the_table__reader_sees_editor_drafts_reviewer_signs_off_admin_manages() -> None:
    allowed = {role: {a for a in ACTIONS if access.allows(role, a)} for role in ROLES}
    assert allowed["reader"] == {"see", "download"}
    assert allowed["editor"] == allowed["reader"] | {
        "answer",
        "comment",
        "review",
        "plan",
        "version",
    }
    assert allowed["reviewer"] == allowed["editor"] | {"sign_off"}
    assert allowed["admin"] == allowed["reviewer"] | {"share", "delete"}


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "download"])
def test_no_role__every_action_is_no_access__as_for_an_id_that_does_not_exist(
    world: World, checklist: Checklist, action: Action
) -> None:
    guarded = world.as_(NOBODY)
    with pytest.raises(NoAccess) as forbidden:
        DO[action](guarded, world, checklist)
    missing = World(**{**world.__dict__, "ours": Assessment(id="0" * 32)})
    with pytest.raises(NoAccess) as nonexistent:
        DO[action](guarded, missing, checklist)
    assert str(forbidden.value) == str(nonexistent.value) == access.NO_ACCESS
    assert isinstance(forbidden.value, NotFound)  # pages treat it as the local store's NotFound


def test_probing_ids__exists_and_load_answer_the_same_for_forbidden_and_missing(
    world: World,
) -> None:
    guarded = world.as_(NOBODY)
    assert guarded.exists(world.ours.id) is guarded.exists("0" * 32) is False
    assert guarded.role(world.ours.id) is guarded.role("0" * 32) is None
    for probe in (world.ours.id, "0" * 32):
        with pytest.raises(NoAccess, match="You have no access to this assessment"):
            guarded.load(probe)
        with pytest.raises(NoAccess):
            guarded.history(probe, "def.sale")


# -- where roles come from --------------------------------------------------------------------


def test_a_share_with_a_person__gives_them_that_role_on_that_assessment_only(
    world: World, checklist: Checklist
) -> None:
    world.as_(ALICE).share(world.ours.id, "user", "Nobody@Elsewhere.example ", "editor")
    nobody = world.as_(NOBODY)
    assert nobody.role(world.ours.id) == "editor"
    assert isinstance(DO["answer"](nobody, world, checklist), Saved)
    with pytest.raises(NoAccess):
        nobody.load(world.theirs.id)


def test_a_share_with_a_team__gives_its_members_at_most_the_shared_role(world: World) -> None:
    world.as_(ALICE).share(world.ours.id, "team", world.other_team, "reader")
    eve = world.as_(EVE)  # admin of her own team, reader here
    assert eve.role(world.ours.id) == "reader"
    with pytest.raises(Forbidden, match="your role on it is reader"):
        eve.delete_assessment(world.ours.id)


def test_a_team_reader__stays_a_reader_on_a_share_to_the_team_as_editor(world: World) -> None:
    reader = User("reader@ngo.example")
    world.as_(EVE).set_member(world.other_team, reader.key, "reader")
    world.as_(ALICE).share(world.ours.id, "team", world.other_team, "editor")
    assert world.as_(reader).role(world.ours.id) == "reader"
    assert world.as_(EVE).role(world.ours.id) == "editor"


def test_a_site_admin__is_admin_everywhere(world: World) -> None:
    root = world.as_(ROOT)
    assert root.role(world.ours.id) == root.role(world.theirs.id) == "admin"
    assert root.role("0" * 32) is None
    assert {m.team.name for m in root.my_teams()} == {"Criminal law unit", "Coalition"}


def test_leaving_a_team__takes_away_its_assessments(world: World) -> None:
    editor = member(world, "editor")
    world.as_(ALICE).remove_member(world.team, editor.key)
    with pytest.raises(NoAccess):
        world.as_(editor).load(world.ours.id)


# -- lists and back-ups -----------------------------------------------------------------------


def test_lists__hold_only_what_the_user_has_a_role_on(world: World, checklist: Checklist) -> None:
    methodology = default_methodology()
    reader = member(world, "reader")
    listed = world.as_(reader).list_page(checklist, methodology, limit=20)
    assert [s.id for s in listed.summaries] == [world.ours.id]
    assert (listed.total, listed.matching) == (1, 1)
    found = world.as_(reader).list_page(checklist, methodology, search="Freedonia")
    assert (found.summaries, found.total) == ([], 1)
    assert world.as_(NOBODY).list_summaries(checklist, methodology) == []
    assert {s.id for s in world.as_(ROOT).list_summaries(checklist, methodology)} == {
        world.ours.id,
        world.theirs.id,
    }
    assert len(world.store.list_summaries(checklist, methodology)) == 2  # local: everything


def test_a_back_up__holds_only_what_the_user_has_a_role_on(world: World) -> None:
    def ids(archive: bytes) -> set[str]:
        with zipfile.ZipFile(io.BytesIO(archive)) as z:
            return {name.rsplit("/", 1)[-1].split(".")[0] for name in z.namelist()}

    reader = world.as_(member(world, "reader"))
    assert [s.assessment.id for s in reader.load_all()] == [world.ours.id]
    assert world.ours.id in str(ids(reader.export_archive()))
    assert world.theirs.id not in str(ids(reader.export_archive()))
    assert world.as_(NOBODY).load_all() == []


def test_restoring_a_back_up__holding_another_teams_assessment_is_refused_whole(
    world: World, checklist: Checklist
) -> None:
    archive = write_archive([world.store.load(world.theirs.id).assessment])
    with pytest.raises(Forbidden, match="no access to") as refused:
        world.as_(ALICE).plan_restore(archive, "backup.zip", checklist)
    assert world.theirs.jurisdiction not in str(refused.value)


def test_restoring_a_back_up__the_new_assessments_are_the_restorers(
    world: World, checklist: Checklist
) -> None:
    new = Assessment(jurisdiction="Elbonia", checklist_version=checklist.version)
    nobody = world.as_(NOBODY)
    plan = nobody.plan_restore(write_archive([new]), "backup.zip", checklist)
    report = nobody.restore(plan, replace=False)
    assert [line.outcome for line in report.lines] == ["added"]
    assert nobody.role(new.id) == "admin"
    assert world.as_(ALICE).role(new.id) is None


def test_a_reader__cannot_restore_over_an_assessment(world: World, checklist: Checklist) -> None:
    saved = world.store.load(world.ours.id).assessment
    changed = saved.with_answer("def.sale", Answer(status="partly"))
    reader = world.as_(member(world, "reader"))
    plan = reader.plan_restore(write_archive([changed]), "backup.zip", checklist)
    # As if the back-up were newer than the saved one (a file from the future is refused).
    plan.lines[:] = [dataclasses.replace(line, action="replace") for line in plan.lines]
    with pytest.raises(Forbidden, match="you may only read Ruritania"):
        reader.restore(plan, replace=True)


# -- creating ---------------------------------------------------------------------------------


def test_a_new_assessment__belongs_to_the_home_team_or_else_to_its_creator(
    world: World, checklist: Checklist
) -> None:
    editor = member(world, "editor")
    in_team = Assessment(jurisdiction="A", checklist_version=checklist.version)
    world.as_(editor, home_team=world.team).create(in_team)
    assert world.as_(editor).role(in_team.id) == "editor"  # their team role
    assert world.as_(ALICE).role(in_team.id) == "admin"
    own = Assessment(jurisdiction="B", checklist_version=checklist.version)
    world.as_(editor).create(own)
    assert world.as_(editor).role(own.id) == "admin"
    assert world.as_(ALICE).role(own.id) is None


def test_a_team_reader__cannot_add_assessments_to_the_team(
    world: World, checklist: Checklist
) -> None:
    reader = member(world, "reader")
    new = Assessment(jurisdiction="A", checklist_version=checklist.version)
    with pytest.raises(Forbidden, match="add assessments to this team"):
        world.as_(reader, home_team=world.team).create(new)
    assert not world.store.exists(new.id)


def test_a_file_of_an_assessment_one_has_no_access_to__is_not_saved_over_it(
    world: World,
) -> None:
    stolen = world.store.load(world.theirs.id).assessment.model_copy(
        update={"jurisdiction": "Overwritten"}
    )
    for attempt in (world.as_(NOBODY).replace, world.as_(NOBODY).create):
        with pytest.raises(NoAccess):
            attempt(stolen)
    assert world.store.load(world.theirs.id).assessment.jurisdiction == "Freedonia"


# -- who is recorded, and managing teams ------------------------------------------------------


def test_changes_are_recorded_as_the_signed_in_user__whatever_author_is_passed(
    world: World, checklist: Checklist
) -> None:
    editor = world.as_(member(world, "editor"))
    editor.save_answer(
        world.ours.id, "def.sale", Answer(status="covered"), 0, checklist=checklist, author="Bob"
    )
    comment = editor.add_comment(world.ours.id, "def.sale", "Checked", author="Bob")
    (entry,) = editor.history(world.ours.id, "def.sale")
    assert entry.author == comment.author == "Editor <editor@ministry.example>"


def test_details__need_the_editor_role(world: World) -> None:
    reader = world.as_(member(world, "reader"))
    with pytest.raises(Forbidden, match="change the answers or details"):
        reader.save_details(world.ours.id, Details("Elsewhere"), 1)


def test_only_team_admins__manage_members(world: World) -> None:
    editor = member(world, "editor")
    with pytest.raises(Forbidden, match="manage the members of this team"):
        world.as_(editor).set_member(world.team, "x@ministry.example", "admin")
    with pytest.raises(Forbidden, match="not a member of this team"):
        world.as_(EVE).set_member(world.team, "x@ministry.example", "admin")
    assert [m.user_key for m in world.as_(editor).team_members(world.team)] == [
        ALICE.key,
        editor.key,
    ]


def test_a_team_keeps_an_admin__and_an_assessment_keeps_an_owner(world: World) -> None:
    alice = world.as_(ALICE)
    with pytest.raises(Refused, match="at least one admin"):
        alice.set_member(world.team, ALICE.key, "editor")
    with pytest.raises(Refused, match="at least one admin"):
        alice.remove_member(world.team, ALICE.key)
    with pytest.raises(Refused, match="at least one admin"):
        alice.unshare(world.ours.id, "team", world.team)
    alice.share(world.ours.id, "user", ALICE.key, "admin")
    assert alice.unshare(world.ours.id, "team", world.team)
    assert alice.role(world.ours.id) == "admin"


def test_bad_input__is_refused_plainly(world: World) -> None:
    alice = world.as_(ALICE)
    with pytest.raises(Refused, match="not an e-mail address"):
        alice.set_member(world.team, "Bob Smith", "editor")
    with pytest.raises(Refused, match="no role 'owner'"):
        alice.share(world.ours.id, "user", "bob@x.example", "owner")
    with pytest.raises(Refused, match="already exists"):
        alice.create_team(" Criminal   law unit ")
    with pytest.raises(Refused, match="no such team"):
        alice.share(world.ours.id, "team", "nope", "reader")


def test_grants__list_who_has_access_with_who_gave_it(world: World) -> None:
    alice = world.as_(ALICE)
    alice.share(world.ours.id, "user", "bob@x.example", "reader")
    grants = alice.grants(world.ours.id)
    assert [(g.kind, g.label, g.role, g.by) for g in grants] == [
        ("team", "Criminal law unit", "admin", ALICE.key),
        ("user", "bob@x.example", "reader", ALICE.key),
    ]
    assert all(g.at <= dt.datetime.now(dt.UTC) for g in grants)


# -- what a file brings in -----------------------------------------------------------------------


def forged(world: World, checklist: Checklist) -> Assessment:
    """The saved assessment as a file would bring it back, with a 'cleared' decision and a
    comment said to be the head's, which the head never made here."""
    from checklist.assessment import Comment, SignOff

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    current = world.store.load(world.ours.id).assessment
    return current.model_copy(
        update={
            "sign_offs": [
                SignOff(version_id=world.version_id, at=now, author="Head", decision="cleared")
            ],
            "comments": [Comment(item_id="def.sale", at=now, author="Head", text="Fine by me")],
            "updated_at": now + dt.timedelta(hours=1),  # newer than the saved copy
        }
    )


def test_an_editor__cannot_bring_in_a_sign_off_from_a_file(
    world: World, checklist: Checklist
) -> None:
    editor = world.as_(member(world, "editor"))
    with pytest.raises(Forbidden, match="needs the reviewer role"):
        editor.replace(forged(world, checklist))
    assert world.store.load(world.ours.id).assessment.sign_offs == []


def test_what_a_file_brings__is_marked_as_brought_in_by_whoever_brought_it(
    world: World, checklist: Checklist
) -> None:
    reviewer = member(world, "reviewer")
    world.as_(reviewer).replace(forged(world, checklist))
    record = world.store.load(world.ours.id).assessment
    assert [s.author for s in record.sign_offs] == [
        "Head (brought in by Reviewer <reviewer@ministry.example>)"
    ]
    assert record.comments[0].author.startswith("Head (brought in by Reviewer")


def test_a_back_up_restored_over__is_vouched_for_the_same_way(
    world: World, checklist: Checklist
) -> None:
    editor = world.as_(member(world, "editor"))
    archive = write_archive([forged(world, checklist)])
    plan = editor.plan_restore(archive, "backup.zip", checklist)
    with pytest.raises(Forbidden, match="needs the reviewer role"):
        editor.restore(plan, replace=True)
    assert world.store.load(world.ours.id).assessment.sign_offs == []
