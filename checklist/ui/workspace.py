"""The open assessment: opening, creating, saving and reconciling it with the database.

Pages call these functions; they keep the session (``state``) and the database (``store``)
in step. Every change is written to the database at once, then mirrored in the session. A
save that would overwrite another tab's newer answer is refused and kept as a conflict for
the user to settle.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import streamlit as st
from pydantic import ValidationError

from checklist.assessment import Answer, Assessment, blank
from checklist.assessment_file import FileProblem, Loaded, reconcile
from checklist.scoring import Result, score
from checklist.store import (
    Conflict,
    Details,
    DetailsConflict,
    NotFound,
    Saved,
    Stored,
    same_content,
)
from checklist.ui import resources, state
from checklist.ui.text import escape


@dataclass(frozen=True)
class PendingUpload:
    """An uploaded assessment whose ID is already saved here, with different content."""

    loaded: Loaded
    source: str
    saved: Assessment


def open_assessment(assessment_id: str) -> bool:
    """Make a saved assessment the open one. False (with a message) if it cannot be."""
    try:
        stored = resources.store().load(assessment_id)
    except NotFound:
        state.flash(
            "error",
            "There is no saved assessment with this ID in this database. It may have been "
            "saved on another computer: open its file instead (Start page, 'Open an "
            "assessment file').",
        )
        return False
    return _adopt(stored)


def create(details: Details) -> Assessment:
    checklist = resources.checklist()
    fields = {
        "jurisdiction": details.jurisdiction,
        "assessor": details.assessor,
        "title": details.title,
        "scope": details.scope,
        "date": details.date,
        "law_date": details.law_date,
    }
    assessment = blank(checklist.version, **{k: v for k, v in fields.items() if v is not None})
    _adopt(resources.store().create(assessment))
    return assessment


def close() -> None:
    st.session_state[state.ASSESSMENT] = None
    st.session_state[state.REVISIONS] = {}
    st.session_state[state.CONFLICTS] = {}
    st.session_state[state.DETAILS_CONFLICT] = None
    st.session_state[state.SECTION] = ""
    state.clear_answer_widgets()
    st.query_params.pop(state.PARAM_ASSESSMENT, None)
    st.query_params.pop(state.PARAM_SECTION, None)


def ask_to_delete(assessment_id: str) -> None:
    """Ask the user to confirm deleting this saved assessment (one at a time)."""
    st.session_state[state.PENDING_DELETE] = assessment_id


def cancel_delete() -> None:
    st.session_state[state.PENDING_DELETE] = ""


def pending_delete() -> str:
    value: str = st.session_state[state.PENDING_DELETE]
    return value


def delete(assessment_id: str, name: str) -> None:
    """Delete a saved assessment for good (after the user confirmed); close it if it is the
    open one, so that neither the session nor the URL points at it any more."""
    st.session_state[state.PENDING_DELETE] = ""
    removed = resources.store().delete_assessment(assessment_id)
    current = state.assessment()
    if current is not None and current.id == assessment_id:
        close()
    if removed:
        state.flash("success", f"Deleted {escape(name)}.")
    else:
        state.flash("info", f"{escape(name)} was already deleted (in another tab or window).")


def reload() -> None:
    """Re-read the open assessment from the database (after another tab changed it)."""
    current = state.assessment()
    if current is not None:
        open_assessment(current.id)


def sync_with_url() -> None:
    """Keep ``?a=<id>`` and the open assessment in step (run by the entry point each run).

    A refresh or a shared link brings only the URL: open the assessment it names. Page
    changes clear the query string: put the open assessment's ID back.
    """
    wanted = st.query_params.get(state.PARAM_ASSESSMENT)
    current = state.assessment()
    if wanted and (current is None or current.id != wanted):
        if not open_assessment(wanted):
            st.query_params.pop(state.PARAM_ASSESSMENT, None)
            return
        current = state.assessment()
    if current is not None and st.query_params.get(state.PARAM_ASSESSMENT) != current.id:
        st.query_params[state.PARAM_ASSESSMENT] = current.id


def result() -> Result | None:
    """The open assessment's score, recomputed from its answers by the scoring core each
    time (about a millisecond), never stored: keeping it in the session saved too little
    to matter (benchmarks/bench_app.py)."""
    assessment = state.assessment()
    if assessment is None:
        return None
    return score(resources.checklist(), assessment, resources.methodology())


def save_answer(item_id: str, answer: Answer) -> Saved | Conflict | None:
    """Write one answer now. None when there is nothing open or nothing changed; ``Unfit``
    (from the store) when the item cannot take it."""
    assessment = state.assessment()
    if assessment is None:
        return None
    before = assessment.answers.get(item_id)
    if before is not None and _same_answer(before, answer) and item_id not in state.conflicts():
        return None
    updated = assessment.with_answer(item_id, answer)
    expected = state.revisions().get(item_id, 0)
    outcome = resources.store().save_answer(
        assessment.id, item_id, updated.answers[item_id], expected, checklist=resources.checklist()
    )
    if isinstance(outcome, Conflict):
        st.session_state[state.CONFLICTS] = {**state.conflicts(), item_id: outcome}
        return outcome
    _mirror(updated, item_id, outcome)
    return outcome


def overwrite(item_id: str) -> None:
    """Settle a conflict by saving this session's answer over the other one."""
    conflict = state.conflicts().get(item_id)
    assessment = state.assessment()
    if conflict is None or assessment is None:
        return
    updated = assessment.with_answer(item_id, conflict.mine)
    outcome = resources.store().save_answer(
        assessment.id,
        item_id,
        updated.answers[item_id],
        conflict.revision,
        checklist=resources.checklist(),
    )
    if isinstance(outcome, Conflict):
        st.session_state[state.CONFLICTS] = {**state.conflicts(), item_id: outcome}
        return
    _mirror(updated, item_id, outcome)


def take_theirs(item_id: str) -> None:
    """Settle a conflict by showing the answer saved by the other tab."""
    conflict = state.conflicts().get(item_id)
    assessment = state.assessment()
    if conflict is None or assessment is None:
        return
    answers = dict(assessment.answers)
    if conflict.theirs is None:
        answers.pop(item_id, None)
    else:
        answers[item_id] = conflict.theirs
    st.session_state[state.ASSESSMENT] = assessment.model_copy(update={"answers": answers})
    st.session_state[state.REVISIONS] = {**state.revisions(), item_id: conflict.revision}
    _drop_conflict(item_id)
    state.clear_answer_widgets(item_id)


def save_details(details: Details) -> Saved | DetailsConflict | None:
    assessment = state.assessment()
    if assessment is None:
        return None
    outcome = resources.store().save_details(
        assessment.id, details, st.session_state[state.DETAILS_VERSION]
    )
    if isinstance(outcome, DetailsConflict):
        st.session_state[state.DETAILS_CONFLICT] = outcome
        return outcome
    st.session_state[state.ASSESSMENT] = assessment.model_copy(
        update={
            "jurisdiction": details.jurisdiction,
            "assessor": details.assessor,
            "title": details.title,
            "scope": details.scope,
            "date": details.date or assessment.date,
            "law_date": details.law_date or details.date or assessment.law_as_of,
            "updated_at": outcome.updated_at,
        }
    )
    st.session_state[state.DETAILS_VERSION] = outcome.revision
    st.session_state[state.DETAILS_CONFLICT] = None
    st.session_state[state.LAST_SAVED] = outcome.updated_at
    return outcome


def receive_file(data: bytes, source: str) -> str | None:
    """Open an uploaded assessment file (.json or returned .xlsx).

    The file is read and checked completely first; on any problem the message is returned
    and nothing, neither the database nor the open assessment, is touched. A file whose
    assessment is already saved with other answers waits for the user's choice.
    """
    from reports import read_any  # the Excel reader is heavy: only when a file comes

    try:
        loaded = read_any(data, source, resources.checklist())
    except FileProblem as problem:
        return str(problem)
    incoming = loaded.assessment
    store = resources.store()
    try:
        saved = store.load(incoming.id).assessment
    except NotFound:
        _adopt(store.create(incoming), notices=loaded.notices)
        state.flash("success", f"Opened {_name(incoming)} from {escape(source)} and saved it here.")
        return None
    if same_content(saved, incoming):
        _adopt(store.load(incoming.id), notices=loaded.notices)
        state.flash("info", f"{_name(incoming)} was already saved here, unchanged: opened it.")
        return None
    st.session_state[state.PENDING_UPLOAD] = PendingUpload(loaded, source, saved)
    return None


def settle_upload(choice: str) -> None:
    """``replace`` the saved copy with the pending file, add it as a ``copy``, or ``cancel``."""
    pending: PendingUpload | None = st.session_state[state.PENDING_UPLOAD]
    st.session_state[state.PENDING_UPLOAD] = None
    if pending is None or choice == "cancel":
        return
    incoming = pending.loaded.assessment
    store = resources.store()
    if choice == "replace":
        _adopt(store.replace(incoming), notices=pending.loaded.notices)
        state.flash("success", f"Replaced the saved copy of {_name(incoming)} with the file.")
    else:
        copy = incoming.model_copy(
            update={
                "id": uuid.uuid4().hex,
                "title": f"{incoming.title} (copy from file)".strip(),
            }
        )
        _adopt(store.create(copy), notices=pending.loaded.notices)
        state.flash("success", f"Saved the file as a new assessment: {_name(copy)}.")


def pending_upload() -> PendingUpload | None:
    value: PendingUpload | None = st.session_state.get(state.PENDING_UPLOAD)
    return value


def _adopt(stored: Stored, notices: list[str] | None = None) -> bool:
    checklist = resources.checklist()
    assessment = stored.assessment
    try:
        fitted = reconcile(assessment, "the saved assessment", checklist)
    except FileProblem as problem:
        state.flash(
            "error",
            f"This assessment cannot be opened with this checklist: {escape(str(problem))}",
        )
        return False
    if fitted.assessment.checklist_version != assessment.checklist_version:
        stored = resources.store().replace(fitted.assessment)
    state.clear_answer_widgets()
    state.clear_details_widgets(stored.assessment.id)
    st.session_state[state.ASSESSMENT] = stored.assessment
    st.session_state[state.REVISIONS] = dict(stored.revisions)
    st.session_state[state.DETAILS_VERSION] = stored.version
    st.session_state[state.CONFLICTS] = {}
    st.session_state[state.DETAILS_CONFLICT] = None
    st.session_state[state.PENDING_UPLOAD] = None
    if st.session_state[state.SECTION] not in {s.id for s in checklist.sections}:
        st.session_state[state.SECTION] = ""
    st.query_params[state.PARAM_ASSESSMENT] = stored.assessment.id
    for notice in [*(notices or []), *fitted.notices]:
        state.flash("info", escape(notice))
    return True


def _mirror(updated: Assessment, item_id: str, saved: Saved) -> None:
    st.session_state[state.ASSESSMENT] = updated
    st.session_state[state.REVISIONS] = {**state.revisions(), item_id: saved.revision}
    st.session_state[state.LAST_SAVED] = saved.updated_at
    _drop_conflict(item_id)


def _drop_conflict(item_id: str) -> None:
    if item_id in state.conflicts():
        st.session_state[state.CONFLICTS] = {
            k: v for k, v in state.conflicts().items() if k != item_id
        }


def _same_answer(a: Answer, b: Answer) -> bool:
    return a.model_dump(exclude={"updated_at"}) == b.model_dump(exclude={"updated_at"})


def _name(assessment: Assessment) -> str:
    return escape(assessment.jurisdiction or assessment.title or "the assessment")


def answer_from(data: dict[str, object]) -> Answer | str:
    """An ``Answer`` from widget values, or the reason it is not acceptable."""
    try:
        return Answer.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}"
