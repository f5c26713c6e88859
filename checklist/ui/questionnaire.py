"""The guided questionnaire: one section per page, in treaty order."""

from __future__ import annotations

import streamlit as st

from checklist.assessment import Answer
from checklist.schema import Item, Section
from checklist.scoring import ItemResult, Result
from checklist.ui import answer_form, navigation, resources, state, workspace
from checklist.ui.messages import show_flash
from checklist.ui.sidebar import visible_sections
from checklist.ui.text import percent

STATE_LABELS = {
    "covered": "covered",
    "partly": "partly covered",
    "not-covered": "not covered (a gap)",
    "unknown": "not known yet: listed for research",
    "unanswered": "not answered yet",
    "not-applicable": "not applicable: left out of the score",
}


def render() -> None:
    show_flash()
    assessment = state.assessment()
    if assessment is None:
        _nothing_open()
        return
    sections = visible_sections()
    section = _current_section(sections)
    result = workspace.result()
    assert result is not None
    position = sections.index(section)
    _header(section, position, len(sections), result)
    items = {r.id: r for r in result.items}
    for item in section.items:
        _item(item, assessment.answers.get(item.id), items[item.id])
    _pager(sections, position)


def _nothing_open() -> None:
    st.header("Questionnaire")
    st.info("No assessment is open. Start a new one or resume a saved one first.")
    if st.button("Go to the start page", key="questionnaire:to-start", type="primary"):
        navigation.go("start")


def _current_section(sections: list[Section]) -> Section:
    by_id = {s.id: s for s in sections}
    wanted = st.query_params.get(state.PARAM_SECTION) or st.session_state[state.SECTION]
    section = by_id.get(wanted or "", sections[0])
    st.session_state[state.SECTION] = section.id
    st.query_params[state.PARAM_SECTION] = section.id
    return section


def _header(section: Section, position: int, count: int, result: Result) -> None:
    st.caption(f"Section {position + 1} of {count}")
    st.header(section.title, anchor=False)
    if section.intro:
        st.markdown(section.intro)
    if section.module == "extended":
        st.info(
            "This section belongs to the further obligations module (articles 6-10). It counts "
            "in the score because this assessment includes it.",
            icon=":material/extension:",
        )
    scores = {s.id: s for s in result.sections}
    own = scores[section.id]
    score_col, answered_col, gaps_col = st.columns(3)
    score_col.metric("Section score", percent(own.score), border=True)
    answered_col.metric("Answered", f"{own.answered} of {own.total}", border=True)
    gaps_col.metric("Gaps in this section", own.gaps, border=True)
    st.caption(
        "The score updates as you answer; unanswered and 'not known' items count as not "
        "covered until answered. Every answer is saved the moment you give it."
    )


def _item(item: Item, answer: Answer | None, result: ItemResult) -> None:
    focused = st.session_state[state.FOCUS_ITEM] == item.id
    with st.container(border=True, key=f"item:{item.id}"):
        if focused:
            st.info("You came here from the results page: this is the question.")
        reading, answering = st.columns([5, 4], gap="large")
        with reading:
            _item_text(item)
        with answering:
            if _skipped(item, answer, result):
                st.info(result.reason.capitalize() + ". Nothing to answer here.")
            else:
                answer_form.render(item, answer)
                _verdict(result)


def _item_text(item: Item) -> None:
    strength = resources.methodology().strength_labels[item.strength]
    st.subheader(item.title, anchor=False)
    st.caption(f"{item.treaty_ref} · {strength} · `{item.id}`")
    st.markdown(f"**{item.question}**")
    st.markdown(item.guidance)
    if item.evidence:
        st.markdown(f"*Evidence to cite:* {item.evidence}")
    with st.expander("Treaty text this rests on"):
        for quote in item.treaty_text:
            st.markdown(f"> {quote}")
        if item.interpretation:
            st.markdown(f"*The Committee's reading:* {item.interpretation}")
        for article in resources.protocol().articles_cited(item.treaty_ref):
            st.markdown(f"**Article {article.number}**")
            for paragraph in article.paragraphs:
                st.markdown(paragraph)
    if item.references:
        refs = "; ".join(f"{r.citation} ({r.state})" for r in item.references)
        st.caption(f"Committee references: {refs}")


def _skipped(item: Item, answer: Answer | None, result: ItemResult) -> bool:
    answered_na = answer is not None and answer.status == "not-applicable"
    return item.applies_if is not None and result.state == "not-applicable" and not answered_na


def _verdict(result: ItemResult) -> None:
    label = STATE_LABELS[result.state]
    detail = f" ({result.reason})" if result.reason and result.state != "unknown" else ""
    icon = {
        "covered": ":material/check_circle:",
        "partly": ":material/error:",
        "not-covered": ":material/cancel:",
    }.get(result.state, ":material/radio_button_unchecked:")
    st.caption(f"{icon} Counts as **{label}**{detail}.")


def _pager(sections: list[Section], position: int) -> None:
    st.divider()
    back, _, forward = st.columns([3, 2, 3])
    if position > 0:
        previous = sections[position - 1]
        if back.button(
            f"Previous: {previous.title}",
            key="questionnaire:previous",
            icon=":material/arrow_back:",
            width="stretch",
        ):
            navigation.go("questionnaire", section=previous.id)
    if position + 1 < len(sections):
        following = sections[position + 1]
        if forward.button(
            f"Next: {following.title}",
            key="questionnaire:next",
            icon=":material/arrow_forward:",
            icon_position="right",
            type="primary",
            width="stretch",
        ):
            navigation.go("questionnaire", section=following.id)
    elif forward.button(
        "See the results",
        key="questionnaire:results",
        icon=":material/bar_chart:",
        type="primary",
        width="stretch",
    ):
        navigation.go("results")
