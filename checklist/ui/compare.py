"""Compare two saved assessments item by item: before and after a reform, or two States."""

from __future__ import annotations

from typing import Any

import streamlit as st

from checklist.scoring import ItemResult, Result, score
from checklist.store import Summary
from checklist.ui import resources, state
from checklist.ui.messages import show_flash
from checklist.ui.text import escape, percent
from checklist.wording import OUT_OF_SCOPE, STATE_LABELS


def render() -> None:
    show_flash()
    st.title("Compare two assessments", anchor=False)
    st.caption(
        "For example the law before and after a reform, or two countries. Pick two saved "
        "assessments; the second is compared with the first."
    )
    store = resources.store()
    summaries = store.list_summaries(resources.checklist(), resources.methodology())
    if len(summaries) < 2:
        st.info("Save at least two assessments to compare them (Start page).")
        return
    first_id, second_id = _pick(summaries)
    if first_id == second_id:
        st.warning("Choose two different assessments.")
        return
    checklist, methodology = resources.checklist(), resources.methodology()
    first = score(checklist, store.load(first_id).assessment, methodology)
    second = score(checklist, store.load(second_id).assessment, methodology)
    _overall(first, second)
    _by_section(first, second)
    _by_item(first, second)


def _pick(summaries: list[Summary]) -> tuple[str, str]:
    labels = {s.id: _label(s) for s in summaries}
    ids = list(labels)
    current = state.assessment()
    second_default = ids.index(current.id) if current is not None and current.id in ids else 0
    first_default = 1 if second_default == 0 else 0
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
        index=first_default,
        format_func=labels.__getitem__,
        key="compare:first",
    )
    second = right.selectbox(
        "Second assessment (e.g. after the reform)",
        ids,
        index=second_default,
        format_func=labels.__getitem__,
        key="compare:second",
    )
    return str(first), str(second)


def _swap() -> None:
    first, second = st.session_state.get("compare:first"), st.session_state.get("compare:second")
    st.session_state["compare:first"], st.session_state["compare:second"] = second, first


def _label(summary: Summary) -> str:
    parts = [summary.jurisdiction or "Untitled", summary.title]
    return " · ".join(p for p in parts if p) + f" (saved {summary.updated_at:%d %b %Y %H:%M})"


def _overall(first: Result, second: Result) -> None:
    a, b, change = st.columns(3)
    a.metric(f"First: {_name(first)}", percent(first.overall), border=True)
    b.metric(f"Second: {_name(second)}", percent(second.overall), border=True)
    delta = _points(first.overall, second.overall)
    change.metric(
        "Change",
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
    """Every section either assessment scores, in checklist order (a module only one of them
    includes has no score on the other side)."""
    st.subheader("By section", anchor=False)
    a_label, b_label = "First", "Second"
    mine, theirs = {s.id: s for s in first.sections}, {s.id: s for s in second.sections}
    rows: list[dict[str, Any]] = []
    for section in resources.checklist().sections:
        a, b = mine.get(section.id), theirs.get(section.id)
        if a is None and b is None:
            continue
        a_score, b_score = (a.score if a else None), (b.score if b else None)
        rows.append(
            {
                "Section": section.title,
                a_label: _pct(a_score),
                b_label: _pct(b_score),
                "Change (points)": _points(a_score, b_score),
            }
        )
    from checklist.ui import charts

    st.altair_chart(
        charts.score_change(rows, a_label, b_label),
        theme=None,
        width="stretch",
        alt="Bar chart comparing the two assessments' scores, section by section.",
    )
    st.dataframe(rows, hide_index=True, width="stretch", key="compare:sections")
    if len(rows) > min(len(mine), len(theirs)):
        st.caption(
            "One assessment includes the further obligations module and the other does not: "
            f"its sections and items are {OUT_OF_SCOPE.lower()} on the other side, with no "
            "score there."
        )


def _by_item(first: Result, second: Result) -> None:
    """Every item either assessment covers, in checklist order."""
    st.subheader("Item by item", anchor=False)
    show_all = st.toggle("Show unchanged items too", key="compare:show-all")
    mine, theirs = {r.id: r for r in first.items}, {r.id: r for r in second.items}
    rows: list[dict[str, Any]] = []
    for item in resources.checklist().items():
        a, b = mine.get(item.id), theirs.get(item.id)
        if a is None and b is None:
            continue
        changed = a is None or b is None or (a.state, a.score) != (b.state, b.score)
        if not changed and not show_all:
            continue
        rows.append(
            {
                "Item": item.title,
                "First": _state(a),
                "Second": _state(b),
                "Change (points)": _points(a.score if a else None, b.score if b else None),
                "ID": item.id,
            }
        )
    if not rows:
        st.success("No item changed between the two assessments.")
        return
    st.caption(f"{len(rows)} item(s){'' if show_all else ' changed'}.")
    st.dataframe(rows, hide_index=True, width="stretch", key="compare:items")


def _state(result: ItemResult | None) -> str:
    return OUT_OF_SCOPE if result is None else STATE_LABELS[result.state]


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100)


def _points(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return round((b - a) * 100)
