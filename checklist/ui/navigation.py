"""The app's pages, and moving between them without losing the open assessment.

Each page is a module of ``checklist.ui`` with a ``render()``; it is imported the first time
the page is shown, so the start page does not pay for charts or report libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Literal, NoReturn

import streamlit as st

from checklist.access import team_mode
from checklist.ui import state

PageName = Literal[
    "start", "questionnaire", "results", "plan", "versions", "compare", "team", "about"
]

# name: (title, icon, url path, module)
PAGES: dict[PageName, tuple[str, str, str, str]] = {
    "start": ("Start", ":material/home:", "", "checklist.ui.start"),
    "questionnaire": (
        "Questionnaire",
        ":material/checklist:",
        "questionnaire",
        "checklist.ui.questionnaire",
    ),
    "results": ("Results", ":material/bar_chart:", "results", "checklist.ui.results"),
    "plan": ("Action plan", ":material/task_alt:", "action-plan", "checklist.ui.plan"),
    "versions": (
        "Versions and sign-off",
        ":material/verified:",
        "versions",
        "checklist.ui.versions",
    ),
    "compare": ("Compare", ":material/compare_arrows:", "compare", "checklist.ui.compare"),
    # Only on a team server (OPSC_TEAM_MODE=1): teams, members and sharing.
    "team": ("Team and sharing", ":material/group:", "team", "checklist.ui.team"),
    "about": ("About and method", ":material/info:", "about", "checklist.ui.about"),
}


def page(name: PageName) -> st.Page:
    title, icon, url_path, module = PAGES[name]
    return st.Page(
        _lazy(module), title=title, icon=icon, url_path=url_path, default=name == "start"
    )


def all_pages() -> list[st.Page]:
    return [page(name) for name in PAGES if name != "team" or team_mode()]


def go(name: PageName, section: str = "", item: str = "") -> NoReturn:
    """Switch page, keeping the page address as it is but for the open assessment (and a
    section, when one is given).

    ``st.switch_page`` records the new query string as a browser history entry of its own,
    still on the old page, before the entry of the new page: passing the address unchanged
    keeps a switch to one entry, so one press of Back undoes it.
    """
    params = st.query_params.to_dict()
    params.pop(state.PARAM_VERSION, None)  # a version shown read-only belongs to its page
    assessment = state.assessment()
    if assessment is None:
        params.pop(state.PARAM_ASSESSMENT, None)
        params.pop(state.PARAM_SECTION, None)
    else:
        params[state.PARAM_ASSESSMENT] = assessment.id
    if section:
        params[state.PARAM_SECTION] = section
        st.session_state[state.SECTION] = section
    st.session_state[state.FOCUS_ITEM] = item
    st.switch_page(page(name), query_params=params)


def nothing_open(title: str, page: str) -> None:
    """What a page that needs an open assessment shows without one: its title, why it is
    empty, and the way to the Start page (button key ``<page>:to-start``)."""
    st.header(title)
    st.info("No assessment is open. Start a new one or resume a saved one first.")
    if st.button("Go to the start page", key=f"{page}:to-start", type="primary"):
        go("start")


def go_compare(first: str, second: str) -> NoReturn:
    """Open Compare on a pair: assessment IDs, or ``<assessment>@<version>`` for a version."""
    params = {"first": first, "second": second}
    assessment = state.assessment()
    if assessment is not None:
        params[state.PARAM_ASSESSMENT] = assessment.id
    for key in ("compare:first", "compare:second"):
        st.session_state.pop(key, None)
    st.switch_page(page("compare"), query_params=params)


def _lazy(module: str) -> Callable[[], None]:
    def run() -> None:
        importlib.import_module(module).render()

    run.__name__ = module.rsplit(".", 1)[-1]
    return run
