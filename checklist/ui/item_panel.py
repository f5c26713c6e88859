"""Under each question: its review state, and on request its comment thread and the history
of its answer, with a way to bring an earlier answer back.

The review state is drawn from the session; the thread and the history are read from the
database only while the user has them open, so a section of twenty items costs nothing more
to draw. Every name and comment is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from checklist import drafting
from checklist.assessment import MAX_COMMENT, Answer, Comment, HistoryEntry, ReviewState
from checklist.schema import Item
from checklist.ui import record, resources, state
from checklist.ui.text import escape
from checklist.wording import describe_answer

CHANGE_LABELS = {
    "answer": "answered",
    "restore": "brought back an earlier answer",
    "import": "from a file, back-up or merge",
}
SHOWN_CHANGES = 30  # the newest changes listed; the rest are counted
EVIDENCE = {"provisions": "provisions", "excerpt": "excerpt", "source_url": "link", "note": "note"}


def key(item_id: str, part: str) -> str:
    """The key of one of the panel's widgets; all start with ``state.RECORD_WIDGET_PREFIX``."""
    return f"{state.RECORD_WIDGET_PREFIX}{item_id}:{part}"


def render(item_id: str) -> None:
    assessment = state.assessment()
    if assessment is None:
        return
    item = resources.checklist().item(item_id)
    review, more = st.columns([3, 4], vertical_alignment="center")
    with review:
        _review(item_id, drafting.review_state(assessment, item_id))
    comments = len(drafting.comments_on(assessment, item_id))
    with more:
        opened = st.toggle(
            f"Comments ({comments}) and history",
            key=key(item_id, "open"),
            help="The comment thread and every change of this answer: who, when, what.",
        )
    if problem := st.session_state.get(key(item_id, "problem")):
        st.error(problem, icon=":material/error:")
    if opened:
        found = record.item_record(item_id, newest=SHOWN_CHANGES)
        _thread(item_id, found.comments)
        _history(item, found.history, found.history_total)


def _review(item_id: str, current: ReviewState) -> None:
    widget = key(item_id, "review")
    if widget not in st.session_state:
        st.session_state[widget] = current
    st.radio(
        "Review",
        drafting.REVIEW_STATES,
        format_func=drafting.REVIEW_LABELS.__getitem__,
        key=widget,
        horizontal=True,
        on_change=_review_changed,
        args=(item_id,),
        help="Where this item is in drafting and review. Progress, not compliance: a "
        "reviewed item may be a gap.",
    )


def _review_changed(item_id: str) -> None:
    chosen = st.session_state[key(item_id, "review")]
    _attempt(item_id, lambda: record.set_review(item_id, chosen))


def _thread(item_id: str, comments: list[Comment]) -> None:
    st.markdown("**Comments**")
    if not comments:
        st.caption("No comments yet.")
    for comment in comments:
        with st.container(border=True):
            st.caption(f"{escape(comment.author)} · {comment.at:%d %b %Y %H:%M} UTC")
            st.markdown(escape(comment.text))
    box = key(item_id, "comment")
    st.text_area(
        "Add a comment",
        key=box,
        max_chars=MAX_COMMENT,
        height=80,
        placeholder="e.g. Is article 5 still in force after the 2024 amendment?",
    )
    st.button(
        "Add comment",
        key=key(item_id, "add-comment"),
        icon=":material/add_comment:",
        on_click=_add_comment,
        args=(item_id,),
    )


def _add_comment(item_id: str) -> None:
    box = key(item_id, "comment")
    text = str(st.session_state.get(box) or "")
    if _attempt(item_id, lambda: record.add_comment(item_id, text)):
        st.session_state[box] = ""  # saved: only now is the box emptied


def _history(item: Item, entries: list[HistoryEntry], total: int) -> None:
    st.markdown("**History of the answer**")
    if not entries:
        st.caption("No change recorded yet.")
        return
    for n, entry in enumerate(entries[:SHOWN_CHANGES]):
        with st.container(border=True):
            who = escape(entry.author) or "(name not recorded)"
            st.caption(f"{entry.at:%d %b %Y %H:%M} UTC · {who} · {CHANGE_LABELS[entry.change]}")
            st.markdown(
                f"{escape(describe_answer(item, entry.before))} → "
                f"**{escape(describe_answer(item, entry.after))}**"
                + _evidence_change(entry.before, entry.after)
            )
            st.button(
                "Bring back the answer before this change",
                key=key(item.id, f"restore:{total - n}"),
                icon=":material/history:",
                on_click=_restore,
                args=(item.id, entry.before),
                help="Saved as a new answer; the history keeps every entry.",
            )
    if total > SHOWN_CHANGES:
        st.caption(
            f"{total - SHOWN_CHANGES} earlier change(s) not listed; all are kept, and "
            "are in the assessment file."
        )


def _evidence_change(before: Answer | None, after: Answer | None) -> str:
    changed = [
        label
        for field, label in EVIDENCE.items()
        if getattr(before or Answer(), field) != getattr(after or Answer(), field)
    ]
    return f" (changed: {', '.join(changed)})" if changed else ""


def _restore(item_id: str, earlier: Answer | None) -> None:
    _attempt(item_id, lambda: record.restore_answer(item_id, earlier))


def _attempt(item_id: str, action: Callable[[], object]) -> bool:
    """Run a change; on refusal keep the message under the item, and return False."""
    try:
        action()
    except record.NotDone as problem:
        st.session_state[key(item_id, "problem")] = escape(str(problem))
        return False
    st.session_state.pop(key(item_id, "problem"), None)
    return True
