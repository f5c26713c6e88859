"""Who is making a change: the one seam every page writes through.

Locally there is no sign-in: the app asks once for the user's name and keeps it with the
session, and in a cookie of this browser so that a refresh, which starts a new session, does
not ask again (nothing else is stored about the person). A team server
(``OPSC_TEAM_MODE=1``, see ``checklist.ui.sign_in``) supplies the identity the organisation's
sign-in gave Streamlit (``st.user``): ``user()`` is that person, keyed by their e-mail address,
and ``current()`` the name recorded with their changes; nothing is asked or kept in a cookie.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping

import streamlit as st

from checklist import access
from checklist.assessment import MAX_NAME
from checklist.ui import state

COOKIE = "opsc_user"


def user() -> access.User | None:
    """The signed-in person on a team server; None locally, before sign-in, or when the
    identity provider gave no usable e-mail address (``unusable`` says why)."""
    if not access.team_mode() or unusable(dict(st.user)) is not None:
        return None
    email = str(st.user.get("email", ""))
    key = access.user_key(email)
    name = _clean(str(st.user.get("name") or ""))
    return access.User(key, name, site_admin=key in access.site_admins())


def unusable(claims: Mapping[str, object]) -> str | None:
    """Why a signed-in identity cannot be used here, or None. Roles are held by e-mail
    address, so one is needed, and one the provider says it has not verified could be anyone's."""
    if not claims.get("is_logged_in"):
        return "not signed in"
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return (
            "the sign-in service gave no e-mail address for you (ask whoever runs it to "
            "release the 'email' claim to this application)"
        )
    if str(claims.get("email_verified", "")).strip().lower() in ("false", "0"):
        return (
            f"the sign-in service says your address {email} is not verified; verify it there, "
            "then sign in again"
        )
    return None


def current() -> str:
    """The name recorded with this session's changes ("" until the user gave it): the
    session's, else the one this browser gave before (its cookie); on a team server the
    signed-in person's name and address."""
    if access.team_mode():
        signed_in = user()
        return signed_in.label if signed_in else ""
    name: str = st.session_state.get(state.USER, "")
    if not name and not st.session_state.get(state.USER_FORGOTTEN):
        given = _cookie()
        if given:
            name = _clean(given)
            st.session_state[state.USER] = name
    return name


def remember(name: str) -> None:
    """Keep ``name`` (one line, trimmed) as this session's and this browser's, if usable
    (not on a team server, where the name is the signed-in one)."""
    cleaned = _clean(name)
    if cleaned and not access.team_mode():
        st.session_state[state.USER] = cleaned
        st.session_state[state.USER_COOKIE] = cleaned
        st.session_state[state.USER_FORGOTTEN] = False


FORGET = "\x00forget"  # USER_COOKIE's value when the browser should forget the name


def forget() -> None:
    """'Not you?': this session and this browser forget the name; the next change asks."""
    st.session_state[state.USER] = ""
    st.session_state[state.USER_COOKIE] = FORGET
    # This session's cookies are those of its first request: the old one stays readable here
    # until a reload, so the session itself remembers not to read it.
    st.session_state[state.USER_FORGOTTEN] = True


def keep_in_browser() -> None:
    """Write a name just given into this browser's cookie, or remove it (run by the entry
    point): a script in a one-pixel frame, as the unload guard does. The name is JSON-quoted
    with '<' escaped, so no name can end the script. Nothing on a team server: the sign-in
    says who it is."""
    name = st.session_state.get(state.USER_COOKIE)
    if not name:
        return
    st.session_state[state.USER_COOKIE] = ""
    if name == FORGET:
        value, age = '""', 0
    else:
        value, age = json.dumps(urllib.parse.quote(name)).replace("<", "\\u003c"), 31536000
    st.iframe(
        "<script>window.parent.document.cookie = "
        f"'{COOKIE}=' + {value} + '; path=/; max-age={age}; SameSite=Strict';</script>",
        height=1,
    )


def _cookie() -> str:
    try:
        raw = st.context.cookies.get(COOKIE, "")
    except Exception:  # no browser behind this run (e.g. a test harness)
        return ""
    # A test harness without a browser hands back a stand-in object, not a string.
    return urllib.parse.unquote(raw) if isinstance(raw, str) else ""


def _clean(name: str) -> str:
    return " ".join(name.split())[:MAX_NAME]


def ask(where: str) -> bool:
    """True if the user's name is known; else show a short form asking for it (``where`` keys
    it) and return False: the caller shows nothing that writes until it is given."""
    if current():
        return True
    with st.form(key=f"{where}:identity", border=True):
        st.markdown("**Who is working on this?**")
        st.caption(
            "Your name is recorded with every change you make (answers, review states, "
            "comments, versions and sign-offs), so that the team and the report can say who "
            "did what. It is asked once per session."
        )
        given = st.text_input("Your name", max_chars=MAX_NAME, key=f"{where}:identity:name")
        if st.form_submit_button("Continue", type="primary"):
            if given.strip():
                remember(given)
                st.rerun()
            st.error("Type your name first (e.g. 'María Pérez, Ministry of Justice').")
    return False


def sidebar_line() -> None:
    """'Working as ...' in the sidebar (on a team server ``sign_in.sidebar`` says who)."""
    if current() and not access.team_mode():
        st.caption(f"Working as **{_plain(current())}**")
        st.button(
            "Not you? Change the name",
            key="identity:forget",
            type="tertiary",
            on_click=forget,
            help="On a shared computer: the next change asks for your name.",
        )


def _plain(text: str) -> str:
    from checklist.ui.text import escape

    return escape(text)
