"""Teams, members and sharing on a team server: who belongs to which team with which role,
and who has a role on an assessment. Mixed into ``checklist.guarded_store.GuardedStore``,
which provides the signed-in user, the engine and the checks (``role``, ``_allow``); every
change here is an admin's, and a team always keeps an admin, an assessment an owner.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Final

from sqlalchemy.engine import Connection, Engine

from checklist import access, teams
from checklist.access import Action, Role, User
from checklist.drafting_store import Refused
from checklist.teams import Grant, GranteeKind, Member, Membership, Team

MAX_TEAM_NAME: Final = 200


class TeamAdmin:
    """Managing teams and sharing; see the module's docstring."""

    user: User
    engine: Engine

    def _write(self) -> AbstractContextManager[Connection]:  # provided by the store
        raise NotImplementedError

    def _allow(self, assessment_id: str, action: Action) -> None:  # provided by GuardedStore
        raise NotImplementedError

    def my_teams(self) -> list[Membership]:
        """The user's teams with their role in each (a site admin: every team, as admin)."""
        with self.engine.connect() as conn:
            if self.user.site_admin:
                return [Membership(team, "admin") for team in teams.every_team(conn)]
            return teams.teams_of(conn, self.user)

    def create_team(self, name: str) -> Team:
        """A new team, with the user as its first admin."""
        label = " ".join(name.split())
        if not label:
            raise Refused("Give the team a name, e.g. 'Ministry of Justice, criminal law unit'.")
        if len(label) > MAX_TEAM_NAME:
            raise Refused(f"A team name is at most {MAX_TEAM_NAME} characters.")
        with self._write() as conn:
            if teams.team_named(conn, label) is not None:
                raise Refused(f"A team named '{label}' already exists: choose another name.")
            return teams.create_team(conn, label, self.user)

    def team_members(self, team_id: str) -> list[Member]:
        self._team_allow(team_id, "reader", "see the members of this team")
        with self.engine.connect() as conn:
            return teams.members(conn, team_id)

    def set_member(self, team_id: str, email: str, role: str) -> None:
        """Add a member to the team with ``role``, or change their role (team admins only)."""
        key, wanted = _address(email), access.parse_role(role)
        self._team_allow(team_id, "admin", "manage the members of this team")
        with self._write() as conn:
            if wanted != "admin" and teams.admins(conn, team_id) == {key}:
                raise Refused(_LAST_ADMIN)
            teams.set_member(conn, team_id, key, wanted, self.user)

    def remove_member(self, team_id: str, email: str) -> bool:
        key = _address(email)
        self._team_allow(team_id, "admin", "manage the members of this team")
        with self._write() as conn:
            if teams.admins(conn, team_id) == {key}:
                raise Refused(_LAST_ADMIN)
            return teams.remove_member(conn, team_id, key)

    def _team_allow(self, team_id: str, needed: Role, doing: str) -> None:
        if self.user.site_admin:
            with self.engine.connect() as conn:
                if teams.team(conn, team_id) is not None:
                    return
            access.check_team(None, needed, doing)
        with self.engine.connect() as conn:
            role = teams.team_role(conn, self.user, team_id)
        access.check_team(role, needed, doing)

    def grants(self, assessment_id: str) -> list[Grant]:
        """Who has a role on this assessment (anyone with a role may see who else has)."""
        self._allow(assessment_id, "see")
        with self.engine.connect() as conn:
            return teams.grants(conn, assessment_id)

    def share(self, assessment_id: str, kind: GranteeKind, grantee: str, role: str) -> None:
        """Give a person (``grantee`` their address) or a team (its ID) a role on the
        assessment, or change the one they have (admins of the assessment only)."""
        wanted = access.parse_role(role)
        self._allow(assessment_id, "share")
        who = _address(grantee) if kind == "user" else grantee
        with self._write() as conn:
            if kind == "team" and teams.team(conn, who) is None:
                raise Refused("There is no such team.")
            others = [
                g for g in teams.grants(conn, assessment_id) if (g.kind, g.grantee) != (kind, who)
            ]
            if wanted != "admin" and not any(g.role == "admin" for g in others):
                raise Refused(_LAST_OWNER)
            teams.grant(conn, assessment_id, kind, who, wanted, self.user)

    def unshare(self, assessment_id: str, kind: GranteeKind, grantee: str) -> bool:
        self._allow(assessment_id, "share")
        grantee = _address(grantee) if kind == "user" else grantee  # as ``share`` keeps it
        with self._write() as conn:
            others = [
                g
                for g in teams.grants(conn, assessment_id)
                if (g.kind, g.grantee) != (kind, grantee)
            ]
            if not any(g.role == "admin" for g in others):
                raise Refused(_LAST_OWNER)
            return teams.revoke(conn, assessment_id, kind, grantee)


_LAST_ADMIN = (
    "A team needs at least one admin: make someone else an admin first, then change this one."
)
_LAST_OWNER = (
    "An assessment needs at least one admin (a person, or a team whose admins manage it): give "
    "another person or team the admin role first."
)


def _address(email: str) -> str:
    key = access.user_key(email)
    if "@" not in key or len(key) > 320 or any(c.isspace() for c in key):
        raise Refused(f"'{email.strip()}' is not an e-mail address: people are known by theirs.")
    return key
