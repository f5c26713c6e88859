"""Who is making a change: the one seam every page writes through.

Locally there is no sign-in: the app asks once for the user's name and keeps it with the
session, and in a cookie of this browser so that a refresh, which starts a new session, does
not ask again (nothing else is stored about the person). A team server supplies the
signed-in identity here instead, and nothing else changes.
"""

from __future__ import annotations

import json
import urllib.parse

import streamlit as st

from checklist.assessment import MAX_NAME
from checklist.ui import state

COOKIE = "opsc_user"


def current() -> str:
    """The name recorded with this session's changes ("" until the user gave it): the
    session's, else the one this browser gave before (its cookie)."""
    name: str = st.session_state.get(state.USER, "")
    if not name:
        given = _cookie()
        if given:
            name = _clean(given)
            st.session_state[state.USER] = name
    return name


def remember(name: str) -> None:
    """Keep ``name`` (one line, trimmed) as this session's and this browser's, if usable."""
    cleaned = _clean(name)
    if cleaned:
        st.session_state[state.USER] = cleaned
        st.session_state[state.USER_COOKIE] = cleaned


def keep_in_browser() -> None:
    """Write a name just given into this browser's cookie (run by the entry point): a script
    in a one-pixel frame, as the unload guard does. The name is JSON-quoted with '<' escaped,
    so no name can end the script."""
    name = st.session_state.get(state.USER_COOKIE)
    if not name:
        return
    st.session_state[state.USER_COOKIE] = ""
    value = json.dumps(urllib.parse.quote(name)).replace("<", "\\u003c")
    st.iframe(
        "<script>window.parent.document.cookie = "
        f"'{COOKIE}=' + {value} + '; path=/; max-age=31536000; SameSite=Strict';</script>",
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
    """'Working as ...' in the sidebar, with a way to change it."""
    if current():
        st.caption(f"Working as **{_plain(current())}**")


def _plain(text: str) -> str:
    from checklist.ui.text import escape

    return escape(text)
