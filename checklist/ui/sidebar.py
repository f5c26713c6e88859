"""The sidebar on every page: the open assessment, that it is saved, and every section's
progress, each a button that jumps to it."""

from __future__ import annotations

import functools

import streamlit as st

from checklist import drafting
from checklist.assessment import Assessment
from checklist.schema import Section
from checklist.scoring import Result
from checklist.ui import fragments, identity, navigation, resources, state, workspace
from checklist.ui.text import escape, percent


def render(current_page: str) -> None:
    with st.sidebar:
        if state.assessment() is None:
            st.caption("No assessment is open. Create or resume one on the Start page.")
            return
        fragments.show(fragments.SIDEBAR, functools.partial(_panel, current_page))


def _panel(current_page: str) -> None:
    """The open assessment and its progress: redrawn alone after each answer."""
    assessment = state.assessment()
    if assessment is None:
        return
    result = workspace.result()
    assert result is not None
    st.markdown(f"**{escape(assessment.jurisdiction) or 'Untitled assessment'}**")
    if assessment.title:
        st.caption(escape(assessment.title))
    st.caption(
        f"{escape(result.verdict_label)} · treaty score {percent(result.treaty_score)} · "
        f"{result.answered} of {result.total} answered"
    )
    _saved_note()
    _review_note(assessment, result)
    identity.sidebar_line()
    st.markdown("**Sections**")
    progress = {s.id: s for s in result.sections}
    here = current_section().id if current_page == "questionnaire" else ""
    for number, section in enumerate(visible_sections(), start=1):
        done = progress.get(section.id)
        complete = done is not None and done.answered == done.total
        count = f"{done.answered}/{done.total}" if done else ""
        clicked = st.button(
            f"{number}. {section.title} ({count})",
            key=f"nav:section:{section.id}",
            icon=":material/check_circle:"
            if complete
            else ":material/arrow_right:"
            if section.id == here
            else ":material/radio_button_unchecked:",
            type="primary" if section.id == here else "tertiary",
            help=f"{count} answered" if count else None,
        )
        if clicked:
            navigation.go("questionnaire", section=section.id)


def _review_note(assessment: Assessment, result: Result) -> None:
    """Review progress next to coverage: how far drafting and review have gone, which is not
    how far the law goes. And whether what is shown is a cleared version."""
    counts = drafting.review_progress(assessment, [r.id for r in result.items])
    st.caption(f"Review: {drafting.progress_text(counts)} · {drafting.clearance(assessment).mark}")


def current_section() -> Section:
    """The questionnaire section to show: the URL's, else the last one shown, else the first."""
    sections = visible_sections()
    by_id = {s.id: s for s in sections}
    wanted = st.query_params.get(state.PARAM_SECTION) or st.session_state[state.SECTION]
    return by_id.get(wanted or "", sections[0])


def visible_sections() -> list[Section]:
    """The sections in the open assessment's scope, in treaty order."""
    assessment = state.assessment()
    checklist = resources.checklist()
    modules = (
        checklist.scope_modules(assessment.scope)
        if assessment is not None
        else checklist.default_modules
    )
    return [s for s in checklist.sections if s.module in modules]


def _saved_note() -> None:
    conflicts = state.conflicts()
    if conflicts:
        st.warning(
            f"{len(conflicts)} answer(s) not saved: changed in another tab. See the questionnaire.",
            icon=":material/sync_problem:",
        )
        return
    saved = st.session_state[state.LAST_SAVED]
    when = f" (last {saved:%H:%M:%S} UTC)" if saved else ""
    st.caption(f":material/cloud_done: Every answer is saved as you go{when}.")
