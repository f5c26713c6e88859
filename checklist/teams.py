"""Teams, their members and each assessment's grants, as rows: what ``checklist.guarded_store``
reads to find a person's role and writes when an admin changes who may do what.

No checks here (the guarded store makes them, ``checklist.access`` says what they are): every
function takes the connection of the caller's transaction. A role read back that is not one
of ``access.ROLES`` counts as none, so a damaged row never grants more than it should.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.access import ROLES, Role, User, highest, lowest
from checklist.records import utc
from checklist.tables import assessment_access, assessments, memberships, teams

GranteeKind = Literal["user", "team"]
CHUNK = 500  # ids in one IN (...), as in checklist.records


@dataclass(frozen=True)
class Team:
    id: str
    name: str


@dataclass(frozen=True)
class Membership:
    """A team and the user's role in it."""

    team: Team
    role: Role


@dataclass(frozen=True)
class Member:
    user_key: str
    role: Role
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class Grant:
    """A role on one assessment given to a person (``grantee`` their address) or a team
    (``grantee`` its ID, ``label`` its name)."""

    kind: GranteeKind
    grantee: str
    role: Role
    label: str
    at: dt.datetime
    by: str


def _role(value: object) -> Role | None:
    return cast(Role, value) if value in ROLES else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# -- roles -------------------------------------------------------------------------------------


def roles_on(conn: Connection, user: User, ids: list[str] | None = None) -> dict[str, Role]:
    """The user's role on each assessment they have one on (among ``ids``, or all): the highest
    of their own grants and, for each team grant, the lower of its role and theirs in the
    team."""
    grant, member = assessment_access, memberships
    query = (
        sa.select(grant.c.assessment_id, grant.c.role, member.c.role.label("member_role"))
        .select_from(
            grant.outerjoin(
                member,
                sa.and_(
                    grant.c.grantee_kind == "team",
                    member.c.team_id == grant.c.grantee,
                    member.c.user_key == user.key,
                ),
            )
        )
        .where(
            sa.or_(
                sa.and_(grant.c.grantee_kind == "user", grant.c.grantee == user.key),
                member.c.user_key.is_not(None),
            )
        )
    )
    if ids is None:
        rows = list(conn.execute(query))
    else:
        rows = [
            row
            for start in range(0, len(ids), CHUNK)
            for row in conn.execute(
                query.where(grant.c.assessment_id.in_(ids[start : start + CHUNK]))
            )
        ]
    found: dict[str, list[Role]] = {}
    for row in rows:
        granted, held = _role(row.role), _role(row.member_role)
        if granted is None or (row.member_role is not None and held is None):
            continue
        found.setdefault(row.assessment_id, []).append(
            granted if held is None else lowest(granted, held)
        )
    return {id_: role for id_, roles in found.items() if (role := highest(roles)) is not None}


def existing(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Which of these assessments exist."""
    wanted = list(ids)
    return {
        row.id
        for start in range(0, len(wanted), CHUNK)
        for row in conn.execute(
            sa.select(assessments.c.id).where(assessments.c.id.in_(wanted[start : start + CHUNK]))
        )
    }


def all_ids(conn: Connection) -> list[str]:
    return list(conn.execute(sa.select(assessments.c.id)).scalars())


def team_role(conn: Connection, user: User, team_id: str) -> Role | None:
    value = conn.execute(
        sa.select(memberships.c.role).where(
            memberships.c.team_id == team_id, memberships.c.user_key == user.key
        )
    ).scalar()
    return _role(value)


# -- teams and members -------------------------------------------------------------------------


def team(conn: Connection, team_id: str) -> Team | None:
    row = conn.execute(sa.select(teams.c.id, teams.c.name).where(teams.c.id == team_id)).first()
    return Team(row.id, row.name) if row else None


def team_named(conn: Connection, name: str) -> Team | None:
    row = conn.execute(sa.select(teams.c.id, teams.c.name).where(teams.c.name == name)).first()
    return Team(row.id, row.name) if row else None


def teams_of(conn: Connection, user: User) -> list[Membership]:
    """The teams the user is a member of, by name, with their role in each."""
    rows = conn.execute(
        sa.select(teams.c.id, teams.c.name, memberships.c.role)
        .join(memberships, memberships.c.team_id == teams.c.id)
        .where(memberships.c.user_key == user.key)
        .order_by(teams.c.name)
    )
    return [
        Membership(Team(row.id, row.name), role)
        for row in rows
        if (role := _role(row.role)) is not None
    ]


def every_team(conn: Connection) -> list[Team]:
    rows = conn.execute(sa.select(teams.c.id, teams.c.name).order_by(teams.c.name))
    return [Team(row.id, row.name) for row in rows]


def create_team(conn: Connection, name: str, founder: User) -> Team:
    """A new team with its founder as its first admin."""
    made = Team(uuid.uuid4().hex, name)
    at = _now()
    conn.execute(teams.insert().values(id=made.id, name=name, at=at, by=founder.key))
    conn.execute(
        memberships.insert().values(
            team_id=made.id, user_key=founder.key, role="admin", at=at, by=founder.key
        )
    )
    return made


def members(conn: Connection, team_id: str) -> list[Member]:
    rows = conn.execute(
        sa.select(memberships)
        .where(memberships.c.team_id == team_id)
        .order_by(memberships.c.user_key)
    )
    return [
        Member(row.user_key, role, utc(row.at), row.by)
        for row in rows
        if (role := _role(row.role)) is not None
    ]


def set_member(conn: Connection, team_id: str, user_key: str, role: Role, by: User) -> None:
    """Add a member with ``role``, or change their role."""
    where = (memberships.c.team_id == team_id, memberships.c.user_key == user_key)
    values = {"role": role, "at": _now(), "by": by.key}
    if not conn.execute(memberships.update().where(*where).values(**values)).rowcount:
        conn.execute(memberships.insert().values(team_id=team_id, user_key=user_key, **values))


def remove_member(conn: Connection, team_id: str, user_key: str) -> bool:
    return bool(
        conn.execute(
            memberships.delete().where(
                memberships.c.team_id == team_id, memberships.c.user_key == user_key
            )
        ).rowcount
    )


def admins(conn: Connection, team_id: str) -> set[str]:
    return {m.user_key for m in members(conn, team_id) if m.role == "admin"}


# -- grants ------------------------------------------------------------------------------------


def grants(conn: Connection, assessment_id: str) -> list[Grant]:
    """Who has a role on this assessment: its teams first, then people, by name."""
    rows = conn.execute(
        sa.select(assessment_access, teams.c.name)
        .select_from(
            assessment_access.outerjoin(
                teams,
                sa.and_(
                    assessment_access.c.grantee_kind == "team",
                    teams.c.id == assessment_access.c.grantee,
                ),
            )
        )
        .where(assessment_access.c.assessment_id == assessment_id)
    )
    found = [
        Grant(
            cast(GranteeKind, row.grantee_kind),
            row.grantee,
            role,
            row.name or row.grantee,
            utc(row.at),
            row.by,
        )
        for row in rows
        if (role := _role(row.role)) is not None
    ]
    return sorted(found, key=lambda g: (g.kind != "team", g.label.lower()))


def grant(
    conn: Connection, assessment_id: str, kind: GranteeKind, grantee: str, role: Role, by: User
) -> None:
    """Give ``grantee`` the role ``role`` on the assessment (replacing the one it had)."""
    where = (
        assessment_access.c.assessment_id == assessment_id,
        assessment_access.c.grantee_kind == kind,
        assessment_access.c.grantee == grantee,
    )
    values = {"role": role, "at": _now(), "by": by.key}
    if not conn.execute(assessment_access.update().where(*where).values(**values)).rowcount:
        conn.execute(
            assessment_access.insert().values(
                assessment_id=assessment_id, grantee_kind=kind, grantee=grantee, **values
            )
        )


def revoke(conn: Connection, assessment_id: str, kind: GranteeKind, grantee: str) -> bool:
    return bool(
        conn.execute(
            assessment_access.delete().where(
                assessment_access.c.assessment_id == assessment_id,
                assessment_access.c.grantee_kind == kind,
                assessment_access.c.grantee == grantee,
            )
        ).rowcount
    )


def claim(conn: Connection, ids: list[str], user: User, team_id: str | None) -> list[str]:
    """Give the assessments among ``ids`` that exist and have no grant at all (just created
    or restored) an owner: ``team_id`` if given (an admin grant: each member holds their team
    role on it), else ``user`` as its admin. Returns those claimed."""
    held = {
        row.assessment_id
        for start in range(0, len(ids), CHUNK)
        for row in conn.execute(
            sa.select(assessment_access.c.assessment_id).where(
                assessment_access.c.assessment_id.in_(ids[start : start + CHUNK])
            )
        )
    }
    unowned = sorted(existing(conn, ids) - held)
    kind: GranteeKind = "team" if team_id else "user"
    grantee = team_id or user.key
    at = _now()
    if unowned:
        conn.execute(
            assessment_access.insert(),
            [
                {
                    "assessment_id": id_,
                    "grantee_kind": kind,
                    "grantee": grantee,
                    "role": "admin",
                    "at": at,
                    "by": user.key,
                }
                for id_ in unowned
            ],
        )
    return unowned
