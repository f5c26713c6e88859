"""Who is making a change: the one seam every page writes through.

Locally there is no sign-in: the app asks once for the user's name and keeps it with the
session (a refresh asks again; nothing is stored about the person but the name recorded with
each change). A team server supplies the signed-in identity here instead, and nothing else
changes.
"""

from __future__ import annotations

import streamlit as st

from checklist.assessment import MAX_NAME
from checklist.ui import state


def current() -> str:
    """The name recorded with this session's changes ("" until the user gave it)."""
    name: str = st.session_state.get(state.USER, "")
    return name


def remember(name: str) -> None:
    """Keep ``name`` (one line, trimmed) as this session's, if it is a usable one."""
    cleaned = " ".join(name.split())[:MAX_NAME]
    if cleaned:
        st.session_state[state.USER] = cleaned


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
