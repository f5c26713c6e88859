"""One-off messages (saved, opened, refused) shown at the top of the next page."""

from __future__ import annotations

import streamlit as st

from checklist.ui import state

_SHOW = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}


def show_flash() -> None:
    """Show and forget the messages left for this run. Their text is already escaped."""
    for kind, text in state.take_flash():
        _SHOW[kind](text)
