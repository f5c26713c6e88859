"""The store as one signed-in person on a team server may use it: every call checked first.

``GuardedStore(store, user)`` shares the store's engine and overrides *every* public method of
``Store`` (an import-time check refuses a method left unguarded, so a new store method cannot
slip through): it finds the user's role on the assessment (``checklist.teams``), asks the rules
(``checklist.access``) and only then passes the call on. A refusal is ``Forbidden`` saying what
was refused and why; an assessment the user has no role on is ``NoAccess``, exactly as one that
does not exist, so no one can learn which IDs exist by trying them. Lists and back-ups hold
only what the user has a role on. Every change is recorded as the signed-in user, whatever
author the caller passes.

New assessments (created, opened from a file, restored from a back-up) belong to
``home_team`` when given (the user must be an editor or more there), else to the user alone
as their admin; the grant is written in the same transaction as the assessment. Teams,
members and sharing are managed by admins (``checklist.team_admin``, mixed in).

The local single-user mode uses ``Store`` itself: nothing here runs there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection

from checklist import access, drafting, records, teams
from checklist.access import Action, Forbidden, Role, User
from checklist.assessment import (
    Answer,
    Assessment,
    Change,
    Comment,
    Decision,
    HistoryEntry,
    PlannedAction,
    ReviewEntry,
    ReviewState,
    SignOff,
    Version,
)
from checklist.backup import ImportReport, RestorePlan, write_archive
from checklist.drafting_store import ActionConflict, ItemRecord
from checklist.methodology import Methodology
from checklist.schema import Checklist
from checklist.store import Conflict, Details, DetailsConflict, Saved, Store, Stored
from checklist.summaries import Listing, Summary
from checklist.team_admin import MAX_TEAM_NAME as MAX_TEAM_NAME
from checklist.team_admin import TeamAdmin


class GuardedStore(Store, TeamAdmin):
    """``Store`` for one user: see the module's docstring."""

    def __init__(self, store: Store, user: User, *, home_team: str | None = None):
        self.__dict__.update(store.__dict__)  # the same engine: no second pool, no migration
        self.user = user
        self.home_team = home_team or None
        self._claims: list[str] = []

    # -- the checks ------------------------------------------------------------------------

    def role(self, assessment_id: str) -> Role | None:
        """The user's role on this assessment; None if none (or there is no such one)."""
        with self.engine.connect() as conn:
            if self.user.site_admin:
                return "admin" if teams.existing(conn, [assessment_id]) else None
            return teams.roles_on(conn, self.user, [assessment_id]).get(assessment_id)

    def _allow(self, assessment_id: str, action: Action) -> None:
        access.check(self.role(assessment_id), action, assessment_id)

    def _visible(self, conn: Connection) -> set[str]:
        if self.user.site_admin:
            return set(teams.all_ids(conn))
        return set(teams.roles_on(conn, self.user))

    def _listable(self, conn: Connection, rows: Sequence[Any]) -> Sequence[Any]:
        visible = self._visible(conn)
        return [row for row in rows if row.id in visible]

    def _may_create(self) -> None:
        if self.home_team and not self.user.site_admin:
            with self.engine.connect() as conn:
                role = teams.team_role(conn, self.user, self.home_team)
            access.check_team(role, "editor", "add assessments to this team")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """The store's write transaction; before it commits, assessments it created get their
        owner (``_claiming``), so none is ever saved without one."""
        with super()._write() as conn:
            yield conn
            if self._claims:
                teams.claim(conn, self._claims, self.user, self.home_team)

    @contextmanager
    def _claiming(self, ids: list[str]) -> Iterator[None]:
        self._claims = ids
        try:
            yield
        finally:
            self._claims = []

    # -- reading ---------------------------------------------------------------------------

    def exists(self, assessment_id: str) -> bool:
        return self.role(assessment_id) is not None

    def load(self, assessment_id: str, *, parts: tuple[str, ...] = ()) -> Stored:
        self._allow(assessment_id, "see")
        return super().load(assessment_id, parts=parts)

    def load_all(self) -> list[Stored]:
        with self.engine.begin() as conn:
            ids = sorted(self._visible(conn))
            found = records.load_many(conn, ids)
        return [found[id_][1] for id_ in ids if id_ in found]

    def list_summaries(self, checklist: Checklist, methodology: Methodology) -> list[Summary]:
        return super().list_summaries(checklist, methodology)  # through list_page: filtered

    def list_page(
        self,
        checklist: Checklist,
        methodology: Methodology,
        *,
        search: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> Listing:
        return super().list_page(  # filtered by _listable
            checklist, methodology, search=search, offset=offset, limit=limit
        )

    def history(
        self, assessment_id: str, item_id: str, newest: int | None = None
    ) -> list[HistoryEntry]:
        self._allow(assessment_id, "see")
        return super().history(assessment_id, item_id, newest)

    def item_record(self, assessment_id: str, item_id: str, newest: int = 30) -> ItemRecord:
        self._allow(assessment_id, "see")
        return super().item_record(assessment_id, item_id, newest)

    def record(self, assessment_id: str, parts: tuple[str, ...] = ()) -> dict[str, list[Any]]:
        self._allow(assessment_id, "see")
        return super().record(assessment_id, parts)

    def export_archive(self) -> bytes:
        """Every assessment the user has a role on (each role may download)."""
        return write_archive(stored.assessment for stored in self.load_all())

    # -- writing ---------------------------------------------------------------------------

    def create(self, assessment: Assessment) -> Stored:
        if self._exists_at_all(assessment.id):  # the store refuses it, as locally
            self._allow(assessment.id, "see")
        self._may_create()
        vouched = self._vouched(assessment, None, self._role_when_created())
        with self._claiming([assessment.id]):
            return super().create(vouched)

    def _role_when_created(self) -> Role | None:
        """The role the user will hold on an assessment they create now."""
        if self.user.site_admin or not self.home_team:
            return "admin"  # their own
        with self.engine.connect() as conn:
            return teams.team_role(conn, self.user, self.home_team)

    def _vouched(
        self, incoming: Assessment, saved: Assessment | None, role: Role | None
    ) -> Assessment:
        """``incoming`` (a file or back-up) with every drafting-record entry it brings that
        ``saved`` lacks marked as brought in by the user, who answers for it: an entry keeps
        the name it came with, followed by "(brought in by ...)". Sign-offs may be brought in
        only by someone who may sign off; ``Forbidden`` otherwise, with nothing written."""
        me = self.user.label
        updates: dict[str, list[Any]] = {}
        for part in drafting.RECORD_PARTS:
            known = {e.model_dump_json() for e in getattr(saved, part, [])} if saved else set()
            entries = getattr(incoming, part)
            new = [e for e in entries if e.model_dump_json() not in known]
            if not new:
                continue
            if part == "sign_offs" and not access.allows(role, "sign_off"):
                raise access.Forbidden(
                    f"This file holds {len(new)} sign-off(s) not recorded here, and bringing a "
                    f"sign-off in needs the reviewer role (you are {role or 'without a role'}). "
                    "Ask a reviewer to open the file, or remove its sign-offs."
                )
            fresh = {e.model_dump_json() for e in new}
            updates[part] = [
                e.model_copy(update={"author": _brought_in(e.author, me)})
                if e.model_dump_json() in fresh
                else e
                for e in entries
            ]
        return incoming.model_copy(update=updates) if updates else incoming

    def save_answer(
        self,
        assessment_id: str,
        item_id: str,
        answer: Answer,
        expected_revision: int,
        *,
        checklist: Checklist,
        author: str = "",
        change: Change = "answer",
    ) -> Saved | Conflict:
        self._allow(assessment_id, "answer")
        return super().save_answer(
            assessment_id,
            item_id,
            answer,
            expected_revision,
            checklist=checklist,
            author=self.user.label,
            change=change,
        )

    def restore_answer(
        self,
        assessment_id: str,
        item_id: str,
        earlier: Answer | None,
        expected_revision: int,
        **save: Any,
    ) -> Any:
        self._allow(assessment_id, "answer")
        return super().restore_answer(assessment_id, item_id, earlier, expected_revision, **save)

    def save_details(
        self, assessment_id: str, details: Details, expected_version: int, *, author: str = ""
    ) -> Saved | DetailsConflict:
        self._allow(assessment_id, "answer")
        return super().save_details(
            assessment_id, details, expected_version, author=self.user.label
        )

    def replace(self, assessment: Assessment, *, author: str = "") -> Stored:
        """Over a saved one the user may change; a new one as ``create`` makes it. What the
        file brings to the drafting record is vouched for by the user (``_vouched``)."""
        if self._exists_at_all(assessment.id):
            self._allow(assessment.id, "answer")
            saved = super().load(assessment.id).assessment
            vouched = self._vouched(assessment, saved, self.role(assessment.id))
        else:
            self._may_create()
            vouched = self._vouched(assessment, None, self._role_when_created())
        with self._claiming([assessment.id]):
            return super().replace(vouched, author=self.user.label)

    def delete_assessment(self, assessment_id: str) -> bool:
        self._allow(assessment_id, "delete")
        return super().delete_assessment(assessment_id)

    def set_review(
        self, assessment_id: str, item_id: str, review: ReviewState, *, author: str
    ) -> ReviewEntry:
        self._allow(assessment_id, "review")
        return super().set_review(assessment_id, item_id, review, author=self.user.label)

    def add_comment(self, assessment_id: str, item_id: str, text: str, *, author: str) -> Comment:
        self._allow(assessment_id, "comment")
        return super().add_comment(assessment_id, item_id, text, author=self.user.label)

    def save_version(
        self,
        assessment_id: str,
        name: str,
        *,
        author: str,
        expected: tuple[int, int] | None = None,
    ) -> Version:
        self._allow(assessment_id, "version")
        return super().save_version(assessment_id, name, author=self.user.label, expected=expected)

    def sign_off(
        self,
        assessment_id: str,
        version_id: str,
        decision: Decision,
        *,
        author: str,
        note: str = "",
        decisions_seen: int = 0,
    ) -> SignOff:
        self._allow(assessment_id, "sign_off")
        return super().sign_off(
            assessment_id,
            version_id,
            decision,
            author=self.user.label,
            note=note,
            decisions_seen=decisions_seen,
        )

    def sign_off_current(
        self,
        assessment_id: str,
        name: str,
        decision: Decision,
        *,
        author: str,
        expected: tuple[int, int],
        note: str = "",
    ) -> tuple[Version, SignOff]:
        self._allow(assessment_id, "sign_off")
        return super().sign_off_current(
            assessment_id, name, decision, author=self.user.label, expected=expected, note=note
        )

    def save_action(
        self,
        assessment_id: str,
        item_id: str,
        planned: PlannedAction,
        expected_revision: int,
        *,
        author: str,
    ) -> tuple[int, dt.datetime] | ActionConflict:
        self._allow(assessment_id, "plan")
        return super().save_action(
            assessment_id, item_id, planned, expected_revision, author=self.user.label
        )

    # -- back-ups --------------------------------------------------------------------------

    def plan_restore(self, data: bytes, source: str, checklist: Checklist) -> RestorePlan:
        """As the store plans it, refused if the back-up holds assessments saved here that the
        user has no role on (their content is not compared, nor said)."""
        plan = super().plan_restore(data, source, checklist)
        self._check_restore(plan, replace=False)
        return plan

    def restore(self, plan: RestorePlan, *, replace: bool, author: str = "") -> ImportReport:
        self._check_restore(plan, replace=replace)
        if any(line.action == "add" for line in plan.lines):
            self._may_create()
        vouched = {}
        for line in plan.lines:
            incoming = plan.incoming[line.id]
            if line.action == "add":
                vouched[line.id] = self._vouched(incoming, None, self._role_when_created())
            elif line.action == "replace" and replace:
                saved = super().load(line.id).assessment
                vouched[line.id] = self._vouched(incoming, saved, self.role(line.id))
        plan = dataclasses.replace(plan, incoming={**plan.incoming, **vouched})
        with self._claiming(sorted(plan.incoming)):
            return super().restore(plan, replace=replace, author=self.user.label)

    def _check_restore(self, plan: RestorePlan, *, replace: bool) -> None:
        with self.engine.connect() as conn:
            saved = teams.existing(conn, plan.incoming)
            roles: dict[str, Role] = (
                {id_: "admin" for id_ in saved}
                if self.user.site_admin
                else teams.roles_on(conn, self.user, sorted(saved))
            )
        hidden = [id_ for id_ in saved if id_ not in roles]
        if hidden:
            raise Forbidden(
                f"Nothing was restored: this back-up holds {len(hidden)} assessment(s) saved on "
                "this server that you have no access to. Ask their team's admin, or restore a "
                "back-up of your own assessments only."
            )
        if replace:
            barred = [
                line.jurisdiction or line.id
                for line in plan.replacements
                if not access.allows(roles.get(line.id), "answer")
            ]
            if barred:
                raise Forbidden(
                    f"Nothing was restored: you may only read {', '.join(barred)}, so the "
                    "back-up cannot replace it. Restore without replacing, or ask for the "
                    "editor role."
                )

    def _exists_at_all(self, assessment_id: str) -> bool:
        with self.engine.connect() as conn:
            return bool(teams.existing(conn, [assessment_id]))


def _unguarded() -> list[str]:
    """Public methods of ``Store`` that ``GuardedStore`` does not override itself."""
    return sorted(
        name
        for name in dir(Store)
        if not name.startswith("_")
        and callable(getattr(Store, name))
        and name not in GuardedStore.__dict__
    )


if _unguarded():  # fail closed: a new store method must be given its check here
    raise TypeError(f"GuardedStore does not guard {', '.join(_unguarded())}")


def _brought_in(author: str, me: str) -> str:
    """An entry's author once the user brought it in from a file: theirs if it was theirs."""
    if author == me:
        return author
    return f"{author or '(no name)'} (brought in by {me})"[:200]
