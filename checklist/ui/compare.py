"""Compare two saved assessments item by item: before and after a reform, or two States."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st

from checklist import comparison, drafting
from checklist.assessment import Assessment
from checklist.scoring import Result, score
from checklist.store import NotFound, Summary
from checklist.ui import downloads, resources, state
from checklist.ui.messages import show_flash
from checklist.ui.text import escape, percent
from checklist.wording import OUT_OF_SCOPE


def render() -> None:
    show_flash()
    st.title("Compare two assessments", anchor=False)
    st.caption(
        "For example the law before and after a reform, two countries, or a saved version "
        "and the current state. Pick two; the second is compared with the first."
    )
    store = resources.store()
    summaries = store.list_summaries(resources.checklist(), resources.methodology())
    choices = _choices(summaries)
    if len(choices) < 2:
        st.info(
            "Save at least two assessments, or a version of this one (Versions and "
            "sign-off), to compare them."
        )
        return
    first_id, second_id = _pick(choices)
    if first_id == second_id:
        st.warning("Choose two different assessments.")
        return
    checklist, methodology = resources.checklist(), resources.methodology()
    first_doc, second_doc = _load(first_id), _load(second_id)
    first = score(checklist, first_doc, methodology)
    second = score(checklist, second_doc, methodology)
    labels = {c.id: c.label for c in choices}
    downloads.comparison(
        first_doc, second_doc, (labels[first_id], labels[second_id]), key="compare:download"
    )
    _overall(first, second)  # verdicts and treaty scores
    _by_section(first, second)
    _by_item((first_doc, first), (second_doc, second))


@dataclass(frozen=True)
class Choice:
    """An assessment as saved now, or one of its named versions (``<id>@<version id>``)."""

    id: str
    label: str
    order: tuple[dt.date, dt.date, dt.datetime]


def _choices(summaries: list[Summary]) -> list[Choice]:
    """Every saved assessment, and the versions of the open one and of any named in the
    page address (read only for those: there may be thousands of assessments)."""
    choices = [Choice(s.id, _label(s), (s.law_date, s.date, s.updated_at)) for s in summaries]
    with_versions = {a.id} if (a := state.assessment()) is not None else set()
    for param in (PARAM_FIRST, PARAM_SECOND):
        wanted = st.query_params.get(param, "")
        if "@" in wanted:
            with_versions.add(wanted.split("@", 1)[0])
    store = resources.store()
    for assessment_id in sorted(with_versions):
        try:
            saved = store.load(assessment_id).assessment
        except NotFound:
            continue
        for version in saved.versions:
            frozen = saved.as_of(version)
            choices.append(
                Choice(
                    f"{saved.id}@{version.id}",
                    f"{saved.jurisdiction or 'Untitled'} — version '{version.name}' (saved "
                    f"{version.at:%d %b %Y})",
                    (frozen.law_as_of, frozen.date, version.at),
                )
            )
    return sorted(choices, key=lambda c: c.order)


def _load(choice_id: str) -> Assessment:
    """The assessment as saved now, or as one of its versions froze it."""
    store = resources.store()
    assessment_id, _, version_id = choice_id.partition("@")
    saved = store.load(assessment_id).assessment
    version = drafting.version(saved, version_id) if version_id else None
    return saved.as_of(version) if version is not None else saved


PARAM_FIRST, PARAM_SECOND = "first", "second"  # the pair, kept in the page address


def _pick(choices: list[Choice]) -> tuple[str, str]:
    """Two assessments, earlier law first by default (then the assessment date): the open
    one with the one before it. The pair is kept in the URL, so a link or a refresh shows it
    again."""
    labels = {c.id: c.label for c in choices}
    ids = list(labels)
    first_default, second_default = _default_pair(ids)
    for key, param, default in (
        ("compare:first", PARAM_FIRST, first_default),
        ("compare:second", PARAM_SECOND, second_default),
    ):
        if key not in st.session_state or st.session_state[key] not in ids:
            wanted = st.query_params.get(param)
            st.session_state[key] = wanted if wanted in ids else default
    left, swap, right = st.columns([10, 1, 10], vertical_alignment="bottom")
    swap.button(
        "",
        key="compare:swap",
        icon=":material/swap_horiz:",
        help="Swap the two assessments",
        on_click=_swap,
    )
    first = left.selectbox(
        "First assessment (e.g. before the reform)",
        ids,
        format_func=labels.__getitem__,
        key="compare:first",
    )
    second = right.selectbox(
        "Second assessment (e.g. after the reform)",
        ids,
        format_func=labels.__getitem__,
        key="compare:second",
    )
    state.set_params({PARAM_FIRST: str(first), PARAM_SECOND: str(second)})
    return str(first), str(second)


def _default_pair(ids: list[str]) -> tuple[str, str]:
    current = state.assessment()
    if current is not None and current.id in ids:
        at = ids.index(current.id)
        return (ids[at - 1], ids[at]) if at > 0 else (ids[0], ids[1])
    return ids[-2], ids[-1]


def _swap() -> None:
    first, second = st.session_state.get("compare:first"), st.session_state.get("compare:second")
    st.session_state["compare:first"], st.session_state["compare:second"] = second, first


def _label(summary: Summary) -> str:
    parts = [summary.jurisdiction or "Untitled", summary.title]
    return " · ".join(p for p in parts if p) + (
        f" (law as it stood on {summary.law_date:%d %b %Y}; saved {summary.updated_at:%d %b %Y})"
    )


def _overall(first: Result, second: Result) -> None:
    """The verdicts first, then the treaty score: the figure a lawyer quotes."""
    a, b, change = st.columns(3)
    for column, which, result in ((a, "First", first), (b, "Second", second)):
        column.metric(
            f"{which}: {_name(result)}",
            percent(result.treaty_score),
            border=True,
            help="Treaty score",
        )
        column.caption(
            f"{escape(result.verdict_label)} · law as it stood on {result.law_date} · "
            f"{escape(result.scope_title)}"
        )
    delta = comparison.points(first.treaty_score, second.treaty_score)
    change.metric(
        "Change in the treaty score",
        "–" if delta is None else f"{delta:+.0f} points",
        delta=None if not delta else f"{delta:+.0f}",
        border=True,
    )
    st.caption(
        f"Gaps: {len(first.gaps)} → {len(second.gaps)} · answered: "
        f"{first.answered}/{first.total} → {second.answered}/{second.total}"
    )


def _name(result: Result) -> str:
    return " · ".join(escape(x) for x in (result.jurisdiction, result.title) if x) or "untitled"


def _by_section(first: Result, second: Result) -> None:
    """Every section either assessment scores, in checklist order. A change in points is
    shown only where both sides have a verdict on every item: a section not yet answered is
    not a fall."""
    st.subheader("By section", anchor=False)
    a_label, b_label = "First", "Second"
    changes = comparison.sections(first, second, resources.checklist())
    rows: list[dict[str, Any]] = [
        {
            "Section": c.title,
            a_label: c.first,
            b_label: c.second,
            "Change (points)": c.points,
            "Note": c.note,
        }
        for c in changes
    ]
    from checklist.ui import charts

    st.altair_chart(
        charts.score_change(rows, a_label, b_label),
        theme=None,
        width="stretch",
        alt="Bar chart comparing the two assessments' scores, section by section.",
    )
    st.dataframe(rows, hide_index=True, width="stretch", key="compare:sections")
    if any(c.first is None or c.second is None for c in changes):
        st.caption(
            "The two assessments have different scopes: sections and items outside one's "
            f"scope are {OUT_OF_SCOPE.lower()} on that side, with no score there."
        )


def _by_item(first: tuple[Assessment, Result], second: tuple[Assessment, Result]) -> None:
    """Every item either assessment covers, in checklist order; any change of answer or
    evidence counts, whatever its score does."""
    st.subheader("Item by item", anchor=False)
    show_all = st.toggle("Show unchanged items too", key="compare:show-all")
    changes = comparison.items(resources.checklist(), first, second)
    shown = [c for c in changes if show_all or c.changed]
    if not shown:
        st.success("No answer changed between the two assessments.")
        return
    rows = [
        {
            "Item": c.title,
            "First": c.first,
            "Second": c.second,
            "Change (points)": c.points,
            "What changed": ", ".join(c.what),
            "ID": c.id,
        }
        for c in shown
    ]
    changed = sum(c.changed for c in changes)
    st.caption(
        f"{changed} item(s) changed"
        + (f", {len(shown)} shown." if show_all else ".")
        + " A change in points is shown only where both sides give a verdict."
    )
    st.dataframe(rows, hide_index=True, width="stretch", key="compare:items")
