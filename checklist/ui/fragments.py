"""Partial reruns: answering an item redraws that item, the section score and the sidebar,
not the whole page.

Each item's answer widgets, the section's score panel and the sidebar's progress are keyed
fragments. After a save, the widget callback asks for exactly those fragments to rerun (plus
items whose skip rule depends on the one answered). On a slow connection this sends a few
elements instead of the whole page, and the page stays responsive.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from checklist.ui import resources, state

SCORE = "score"
SIDEBAR = "sidebar"


def item_key(item_id: str) -> str:
    return f"item:{item_id}"


def record_key(item_id: str) -> str:
    """The fragment under an item: its review state, comments and history."""
    return f"record:{item_id}"


def start_run() -> None:
    """Forget the fragments of the previous full run (called by the entry point)."""
    st.session_state[state.RENDERED_FRAGMENTS] = set()


def show(key: str, body: Callable[[], None]) -> None:
    """Render ``body`` as the fragment ``key`` and remember that it is on the page."""
    st.session_state[state.RENDERED_FRAGMENTS] = {
        *st.session_state[state.RENDERED_FRAGMENTS],
        key,
    }
    st.fragment(key=key)(body)()


def rerun_after_answer(item_id: str) -> None:
    """From a widget callback: redraw what an answer to ``item_id`` changes, and only that."""
    dependents = [
        item.id
        for item in resources.checklist().items()
        if any(rule.item == item_id for rule in item.applies_if)
    ]
    # The panel under the item lists the answer's history only while it is open.
    panel_open = bool(st.session_state.get(f"{state.RECORD_WIDGET_PREFIX}{item_id}:open"))
    wanted = [
        item_key(item_id),
        *([record_key(item_id)] if panel_open else []),
        *(item_key(d) for d in dependents),
        SCORE,
        SIDEBAR,
    ]
    on_page = st.session_state[state.RENDERED_FRAGMENTS]
    keys = [key for key in wanted if key in on_page]
    if item_key(item_id) in on_page:
        st.rerun(keys)
