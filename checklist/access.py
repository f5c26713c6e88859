"""Who may do what on a team server: the roles, what each allows, and how a refusal is worded.

Pure rules, no database: ``checklist.guarded_store`` asks them before every call it passes on
to the store, and ``checklist.teams`` keeps who holds which role. The local single-user mode
(no sign-in) uses none of this: its store is not guarded.

A person's role on an assessment comes from the assessment's grants: a grant to the person
gives that role; a grant to a team gives each member the lower of the grant's role and their
role in the team (an assessment *belongs* to a team through an ``admin`` grant to it, so each
member holds their team role on it). The highest role found counts. A site administrator
(``OPSC_ADMINS``) is ``admin`` everywhere: the way in for a team left without one, and for
assessments saved before the server had teams.

Roles are cumulative, each one allowing what the one before does and more:

=========  ==================================================================================
reader     see and download
editor     also answer (and change the details, import a file over it), comment, set review
           states, plan actions, save versions
reviewer   also sign off
admin      also share and unshare, delete; in a team, manage its members
=========  ==================================================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from checklist.drafting_store import NotFound, Refused

Role = Literal["reader", "editor", "reviewer", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)

Action = Literal[
    "see",
    "download",
    "answer",
    "comment",
    "review",
    "plan",
    "version",
    "sign_off",
    "share",
    "delete",
]
ACTIONS: tuple[Action, ...] = get_args(Action)

# The role x action table: the lowest role that may do each action.
NEEDS: dict[Action, Role] = {
    "see": "reader",
    "download": "reader",
    "answer": "editor",
    "comment": "editor",
    "review": "editor",
    "plan": "editor",
    "version": "editor",
    "sign_off": "reviewer",
    "share": "admin",
    "delete": "admin",
}

# What each action is, in the words of a refusal ("You may not ... ").
DOING: dict[Action, str] = {
    "see": "see this assessment",
    "download": "download this assessment",
    "answer": "change the answers or details of this assessment",
    "comment": "comment on this assessment",
    "review": "set review states in this assessment",
    "plan": "change the action plan of this assessment",
    "version": "save versions of this assessment",
    "sign_off": "sign off this assessment",
    "share": "share this assessment or change who has access to it",
    "delete": "delete this assessment",
}

ROLE_LABELS: dict[Role, str] = {
    "reader": "Reader (sees and downloads)",
    "editor": "Editor (answers, comments, review states, action plan, versions)",
    "reviewer": "Reviewer (an editor who also signs off)",
    "admin": "Admin (also shares, deletes and manages the team)",
}

# The one answer for an assessment that does not exist and one the user may not see, so that
# nobody can find out which IDs exist by trying them.
NO_ACCESS = (
    "You have no access to this assessment: there is none with this ID that you may see. "
    "If someone sent you its address, ask them (or their team's admin) to share it with you."
)

ENV_TEAM_MODE = "OPSC_TEAM_MODE"
ENV_ADMINS = "OPSC_ADMINS"


class Forbidden(Refused):
    """Something the signed-in user may not do; ``str()`` says what and why, in plain words."""


class NoAccess(Forbidden, NotFound):
    """No role on this assessment, or no such assessment: the same to the user (``NO_ACCESS``).

    Also a ``NotFound``, so that code written for the local store, where a missing assessment
    is ``NotFound``, treats both alike."""

    def __init__(self, assessment_id: str = ""):
        self.assessment_id = assessment_id
        super().__init__(NO_ACCESS)


@dataclass(frozen=True)
class User:
    """A signed-in person. ``key`` (the e-mail address, lower case) is what roles are held by;
    ``name`` is shown; ``site_admin`` makes them admin everywhere (``OPSC_ADMINS``)."""

    key: str
    name: str = ""
    site_admin: bool = False

    @property
    def label(self) -> str:
        """How changes are recorded: the name with the address, unambiguous in the history."""
        return f"{self.name} <{self.key}>" if self.name and self.name != self.key else self.key


def user_key(email: str) -> str:
    """The key a person's roles are held by: the address, trimmed, in lower case."""
    return email.strip().lower()


def rank(role: Role | None) -> int:
    """0 for no role, then 1 (reader) to 4 (admin)."""
    return 0 if role is None else ROLES.index(role) + 1


def highest(roles: list[Role]) -> Role | None:
    return max(roles, key=rank) if roles else None


def lowest(a: Role, b: Role) -> Role:
    return a if rank(a) <= rank(b) else b


def allows(role: Role | None, action: Action) -> bool:
    return rank(role) >= rank(NEEDS[action])


def check(role: Role | None, action: Action, assessment_id: str = "") -> None:
    """Nothing if ``role`` may do ``action``; else ``NoAccess`` (no role at all) or
    ``Forbidden`` saying what was refused, which role it needs and which the user has."""
    if role is None:
        raise NoAccess(assessment_id)
    if not allows(role, action):
        needed = NEEDS[action]
        raise Forbidden(
            f"You may not {DOING[action]}: that needs the role {needed} or higher, and your "
            f"role on it is {role}. Ask an admin of its team to give you a higher role."
        )


def check_team(role: Role | None, needed: Role, doing: str) -> None:
    """Nothing if ``role`` in a team is ``needed`` or higher; else ``Forbidden`` saying why."""
    if role is None:
        raise Forbidden(
            f"You may not {doing}: you are not a member of this team (or there is no such team)."
        )
    if rank(role) < rank(needed):
        raise Forbidden(
            f"You may not {doing}: that needs the role {needed} or higher in the team, and "
            f"yours is {role}. Ask one of the team's admins."
        )


def parse_role(value: str) -> Role:
    if value not in ROLES:
        raise Forbidden(f"There is no role '{value}': one of {', '.join(ROLES)}.")
    return value


def team_mode(environ: Mapping[str, str] | None = None) -> bool:
    """True when this server runs as a team server (``OPSC_TEAM_MODE=1``): sign-in required,
    every store call guarded. Off unless set, so the local mode never changes by accident."""
    value = (os.environ if environ is None else environ).get(ENV_TEAM_MODE, "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def site_admins(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The keys of the site administrators (``OPSC_ADMINS``: addresses, comma-separated)."""
    value = (os.environ if environ is None else environ).get(ENV_ADMINS, "")
    return frozenset(user_key(part) for part in value.split(",") if part.strip())
