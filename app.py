"""OPSC Gap Check: the Streamlit entry point (page config, sign-in, navigation, shared sidebar).

Run with ``./scripts/run-app`` (or ``streamlit run app.py``). The pages live in
``checklist/ui/``; saved work in the database named by ``OPSC_DB_URL`` (see
checklist/database.py). With ``OPSC_TEAM_MODE=1`` it is a team server: nothing is shown
before sign-in (``checklist.ui.sign_in``, docs/deploy.md).
"""

import streamlit as st

from checklist.access import Forbidden
from checklist.ui import (
    fragments,
    identity,
    navigation,
    page_aids,
    resources,
    sidebar,
    sign_in,
    state,
    unload_guard,
    workspace,
)
from checklist.ui.text import escape

st.set_page_config(
    page_title="OPSC Gap Check",
    page_icon=":material/balance:",
    layout="wide",
    initial_sidebar_state="auto",  # open on a laptop, folded on a phone
)
state.init_state()
page_aids.style()  # visible keyboard focus, skip link, phone-width layout
if problem := resources.content_problem():
    st.error("The checklist content cannot be loaded, so the app cannot start.")
    st.code(problem, language=None)
    st.stop()
if not sign_in.gate():  # a team server shows nothing before sign-in; locally always open
    st.stop()
workspace.keep_address()  # before st.navigation: a page switch is one step back, not two
current = st.navigation(navigation.all_pages(), position="top")
workspace.sync_with_url()
fragments.start_run()
sidebar.render(current.url_path or "start")
with st.sidebar:
    unload_guard.install()  # text typed but not yet committed is not lost unawares
    identity.keep_in_browser()  # a refresh does not ask for the name again
    sign_in.sidebar()  # a team server: who is signed in, their role, sign out
try:
    current.run()
except Forbidden as refused:  # a team server: what the user's role does not allow
    st.error(escape(str(refused)), icon=":material/block:")
