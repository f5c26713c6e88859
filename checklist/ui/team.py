"""Team and sharing page (team server only): who has access to the open assessment and
sharing it, the user's teams and their members, creating a team; and the choice of the team
new assessments go to (also on the Start page).

Everything goes through the guarded store, which refuses what the user's role does not allow
(``checklist.access``); this page shows the refusal as it is worded there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from checklist import access
from checklist.access import ROLE_LABELS, ROLES
from checklist.drafting_store import Refused
from checklist.guarded_store import GuardedStore
from checklist.teams import Membership
from checklist.ui import resources, state
from checklist.ui.messages import show_flash
from checklist.ui.text import escape


def render() -> None:
    show_flash()
    st.title("Team and sharing", anchor=False)
    store = _store()
    if store is None:
        st.info("This page is for a team server; this app runs for one person on this computer.")
        return
    st.caption(
        "Roles: **reader** sees and downloads; **editor** also answers, comments, sets review "
        "states, plans actions and saves versions; **reviewer** also signs off; **admin** also "
        "shares, deletes and manages the team's members. An assessment that belongs to a team "
        "gives each member their role in the team."
    )
    _open_assessment(store)
    mine = store.my_teams()
    st.subheader("Your teams", anchor=False)
    if not mine:
        st.caption("You are in no team yet: create one, or ask a team's admin to add you.")
    for membership in mine:
        _team(store, membership)
    _create_team(store)


def _store() -> GuardedStore | None:
    store = resources.store()
    return store if isinstance(store, GuardedStore) else None


def _ok(action: Callable[[], object]) -> bool:
    """Make a change; False after showing a refusal (or a database failure) plainly."""
    try:
        action()
    except Refused as refused:
        st.error(escape(str(refused)), icon=":material/block:")
        return False
    except SQLAlchemyError as error:
        from checklist.database import explain

        st.error(f"Not saved: {escape(explain(error)[1])}. Try again in a moment.")
        return False
    return True


def _done(message: str) -> None:
    state.flash("success", escape(message))
    st.rerun()


# -- the open assessment ----------------------------------------------------------------------


def _open_assessment(store: GuardedStore) -> None:
    assessment = state.assessment()
    st.subheader("Who has access to the open assessment", anchor=False)
    if assessment is None:
        st.caption("Open an assessment (Start page) to see who has access to it and share it.")
        return
    role = store.role(assessment.id)
    name = escape(assessment.jurisdiction or assessment.title or "Untitled")
    st.markdown(f"**{name}** · your role: **{role or 'none'}**")
    grants = store.grants(assessment.id)
    may_share = access.allows(role, "share")
    for grant in grants:
        who, what, remove = st.columns([4, 3, 1], vertical_alignment="center")
        kind = "Team" if grant.kind == "team" else "Person"
        who.markdown(f"{kind}: **{escape(grant.label)}**")
        what.caption(f"{grant.role} · given by {escape(grant.by)} on {grant.at:%d %b %Y}")
        if (
            may_share
            and remove.button(
                "Remove", key=f"team:unshare:{grant.kind}:{grant.grantee}", type="tertiary"
            )
            and _ok(functools.partial(store.unshare, assessment.id, grant.kind, grant.grantee))
        ):
            _done(f"{grant.label} no longer has access to {assessment.jurisdiction}.")
    if not may_share:
        st.caption("Only an admin of this assessment can share it or change who has access.")
        return
    with st.form("team:share", border=True):
        st.markdown("**Share it with a person, or change their role**")
        email = st.text_input("Their e-mail address", key="team:share:email", max_chars=320)
        role_given = _role_choice("team:share:role")
        if st.form_submit_button("Share", type="primary") and _ok(
            lambda: store.share(assessment.id, "user", email, role_given)
        ):
            _done(f"Shared with {email.strip()} as {role_given}.")
    teams = store.my_teams()
    if teams:
        with st.form("team:share-team", border=True):
            st.markdown("**Give one of your teams access** (its members get at most this role)")
            chosen = st.selectbox(
                "Team",
                [m.team.id for m in teams],
                format_func={m.team.id: m.team.name for m in teams}.__getitem__,
                key="team:share-team:team",
            )
            role_given = _role_choice("team:share-team:role", default="admin")
            if st.form_submit_button("Give access") and _ok(
                lambda: store.share(assessment.id, "team", str(chosen), role_given)
            ):
                _done(f"The team now has the role {role_given} on it.")


def _role_choice(key: str, default: access.Role = "editor") -> str:
    return str(
        st.selectbox(
            "Role",
            list(ROLES),
            index=ROLES.index(default),
            format_func=ROLE_LABELS.__getitem__,
            key=key,
        )
    )


# -- teams ------------------------------------------------------------------------------------


def _team(store: GuardedStore, membership: Membership) -> None:
    team = membership.team
    with st.expander(f"{team.name} · your role: {membership.role}", expanded=False):
        members = store.team_members(team.id)
        is_admin = membership.role == "admin"
        for person in members:
            who, role, remove = st.columns([4, 2, 1], vertical_alignment="center")
            who.markdown(f"**{escape(person.user_key)}**")
            role.caption(person.role)
            if (
                is_admin
                and remove.button(
                    "Remove", key=f"team:{team.id}:remove:{person.user_key}", type="tertiary"
                )
                and _ok(functools.partial(store.remove_member, team.id, person.user_key))
            ):
                _done(f"{person.user_key} is no longer in {team.name}.")
        if not is_admin:
            st.caption("Only the team's admins can add members or change their roles.")
            return
        with st.form(f"team:{team.id}:member", border=True):
            st.markdown("**Add a member, or change a member's role**")
            email = st.text_input(
                "Their e-mail address (as they sign in)",
                key=f"team:{team.id}:member:email",
                max_chars=320,
            )
            role_given = _role_choice(f"team:{team.id}:member:role")
            if st.form_submit_button("Save", type="primary") and _ok(
                lambda: store.set_member(team.id, email, role_given)
            ):
                _done(f"{email.strip()} is in {team.name} as {role_given}.")


def _create_team(store: GuardedStore) -> None:
    with st.form("team:create", border=True):
        st.markdown("**Create a team** (you become its first admin)")
        name = st.text_input("Team name", key="team:create:name", max_chars=200)
        if st.form_submit_button("Create the team") and _ok(lambda: store.create_team(name)):
            _done(f"Team {' '.join(name.split())} created: you are its admin. Add its members.")


# -- where new assessments go (also on the Start page) ----------------------------------------


def home_team_choice() -> None:
    """On a team server: a choice of where new assessments go, the user's own or one of the
    teams where they may add them (editor or more). Nothing locally."""
    store = _store()
    if store is None:
        return
    teams = [m for m in store.my_teams() if access.rank(m.role) >= access.rank("editor")]
    options = ["", *(m.team.id for m in teams)]
    names = {"": "Only me (I can share it later)", **{m.team.id: m.team.name for m in teams}}
    current = st.session_state[state.HOME_TEAM]
    st.selectbox(
        "New assessments belong to",
        options,
        index=options.index(current) if current in options else 0,
        format_func=names.__getitem__,
        key="team:home",
        on_change=_keep_home_team,
        help="Each member of the team gets their role in the team on it.",
    )
    if current not in options:
        st.session_state[state.HOME_TEAM] = ""


def _keep_home_team() -> None:
    st.session_state[state.HOME_TEAM] = st.session_state.get("team:home") or ""
