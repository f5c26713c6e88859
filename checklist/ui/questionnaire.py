"""The guided questionnaire: one section per page, in treaty order."""

from __future__ import annotations

import functools

import streamlit as st

from checklist.assessment import Answer
from checklist.schema import Item, Section
from checklist.scoring import ItemResult
from checklist.ui import (
    answer_form,
    fragments,
    identity,
    item_panel,
    navigation,
    page_aids,
    resources,
    state,
    workspace,
)
from checklist.ui.messages import show_flash
from checklist.ui.sidebar import current_section, visible_sections
from checklist.ui.text import escape, percent
from checklist.wording import STATE_LABELS, describe_answer, describe_references

# What a state means for the score, where its label does not say it.
CONSEQUENCES = {"not-covered": "a gap", "not-applicable": "left out of the score"}


def render() -> None:
    show_flash()
    if state.assessment() is None:
        navigation.nothing_open("Questionnaire", "questionnaire")
        return
    if not identity.ask("questionnaire"):
        return
    sections = visible_sections()
    section = current_section()
    st.session_state[state.SECTION] = section.id
    state.set_params({state.PARAM_SECTION: section.id})
    position = sections.index(section)
    _header(section, position, len(sections))
    for item in section.items:
        _item(item)
    _pager(sections, position)
    result = workspace.result()
    assert result is not None
    open_items = {r.id for r in result.items if r.state in ("unanswered", "unknown")}
    page_aids.install(
        skip_to=next((i.id for i in section.items if i.id in open_items), ""),
        land_on=st.session_state[state.FOCUS_ITEM],
        close_sidebar=True,
    )
    st.session_state[state.FOCUS_ITEM] = ""  # landed once; a later rerun stays where it is


def _header(section: Section, position: int, count: int) -> None:
    st.caption(f"Section {position + 1} of {count}")
    st.header(section.title, anchor=False)
    if section.intro:
        st.markdown(section.intro)
    if section.module != "core":
        module = next(m for m in resources.checklist().modules if m.id == section.module)
        st.info(
            f"This section belongs to {module.title.lower()}, which the scope of this "
            "assessment includes.",
            icon=":material/extension:",
        )
    fragments.show(fragments.SCORE, functools.partial(_score_panel, section.id))
    st.caption(
        "The scores update as you answer; unanswered and 'not known' items count as not "
        "covered until answered. Every answer is saved the moment you give it."
    )


def _score_panel(section_id: str) -> None:
    result = workspace.result()
    assert result is not None
    own = next(s for s in result.sections if s.id == section_id)
    score_col, answered_col, gaps_col = st.columns(3)
    score_col.metric("Section score", percent(own.score), border=True)
    answered_col.metric("Answered", f"{own.answered} of {own.total}", border=True)
    gaps_col.metric("Gaps in this section", own.gaps, border=True)


def _item(item: Item) -> None:
    with st.container(border=True, key=f"item:{item.id}"):
        if st.session_state[state.FOCUS_ITEM] == item.id:
            st.info("You came here from the results page: this is the question.")
        reading, answering = st.columns([5, 4], gap="large")
        with reading:
            _item_text(item)
        with answering:
            fragments.show(fragments.item_key(item.id), functools.partial(_answering, item.id))
        fragments.show(fragments.record_key(item.id), functools.partial(item_panel.render, item.id))


def _answering(item_id: str) -> None:
    """The answer side of an item: redrawn alone when the item is answered."""
    item = resources.checklist().item(item_id)
    assessment = state.assessment()
    result = workspace.result()
    assert assessment is not None and result is not None
    answer = assessment.answers.get(item_id)
    own = next(r for r in result.items if r.id == item_id)
    if _skipped(item, answer, own):
        st.info(own.reason.capitalize() + ". Nothing to answer here.")
        return
    answer_form.render(item, answer)
    conflict = state.conflicts().get(item_id)
    if conflict is None:
        _verdict(own)
    else:  # the form shows the unsaved answer: say what the saved one is, not a stale verdict
        saved = describe_answer(item, conflict.theirs)
        st.caption(f"Saved now (from the other tab): **{escape(saved)}**. Yours is not saved.")


def _item_text(item: Item) -> None:
    strength = resources.methodology().strength_labels[item.strength]
    st.subheader(item.title, anchor=False)
    st.caption(f"{item.treaty_ref} · {strength} · `{item.id}`")
    evidence = f"\n\n*Evidence to cite:* {item.evidence}" if item.evidence else ""
    st.markdown(f"**{item.question}**\n\n{item.guidance}{evidence}")
    with st.expander("Treaty text this rests on"):
        st.markdown(_treaty_text(item.id))
        if item.basis:
            st.markdown(f"**Why it is graded {strength.lower()}.** {item.basis}")
    if item.references:
        refs = describe_references(item.references)
        st.caption(f"Committee references: {refs}")


@functools.cache
def _treaty_text(item_id: str) -> str:
    """The quotes, the Committee's reading and the articles cited, as one markdown text."""
    item = resources.checklist().item(item_id)
    parts = [f"> {quote}" for quote in item.treaty_text]
    if item.interpretation:
        parts.append(f"*The Committee's reading:* {item.interpretation}")
    for article in resources.protocol().articles_cited(item.treaty_ref):
        parts.append(f"**Article {article.number}**")
        parts.extend(article.paragraphs)
    return "\n\n".join(parts)


def _skipped(item: Item, answer: Answer | None, result: ItemResult) -> bool:
    answered_na = answer is not None and answer.status == "not-applicable"
    return bool(item.applies_if) and result.state == "not-applicable" and not answered_na


def _verdict(result: ItemResult) -> None:
    label = STATE_LABELS[result.state].lower()
    detail = f" ({result.reason})" if result.reason and result.state != "unknown" else ""
    consequence = CONSEQUENCES.get(result.state)
    detail += f": {consequence}" if consequence else ""
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
