"""The open assessment: opening, creating, saving and reconciling it with the database.

Pages call these functions; they keep the session (``state``) and the database (``store``)
in step. Every change is written to the database at once, then mirrored in the session. A
save that would overwrite another tab's newer answer is refused and kept as a conflict for
the user to settle.

A write the database refuses (disk full, read-only, busy, ...) raises ``NotSaved`` saying what
failed, why and what to do, or leaves that message for the next page (from a callback); the
session and the forms keep what the user gave. Files and back-ups arriving are
``checklist.ui.incoming``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from checklist import drafting
from checklist.access import Forbidden
from checklist.assessment import Answer, Assessment, blank
from checklist.assessment_file import FileProblem, reconcile
from checklist.database import Trouble, explain, sqlite_path
from checklist.scoring import Result, score
from checklist.store import (
    Conflict,
    Details,
    DetailsConflict,
    NotFound,
    Saved,
    Stored,
)
from checklist.ui import identity, resources, state
from checklist.ui.text import escape

# A back-up restore waiting for the user's choice (a RestorePlan), or absent/None.

ADVICE: dict[Trouble, str] = {
    "full": "Free some space on the disk, then try again.",
    "read-only": "Nothing can be saved in this database until it may be written again (see "
    "the Start page).",
    "busy": "Try again in a moment.",
    "damaged": "Reload the page to see what can be done.",
}
ADVICE_OTHERWISE = (
    "Try again in a moment; if it keeps failing, download your work (the assessment file, or a "
    "back-up on the Start page) to keep it."
)


class NotSaved(Exception):
    """A change the database did not take. ``str()`` says what failed, why and what to do
    (plain text: escape it for markdown)."""


@contextmanager
def saving(failed: str) -> Iterator[None]:
    """Turn a database failure inside into ``NotSaved`` led by ``failed`` (e.g. "The new
    assessment was not created")."""
    try:
        yield
    except Forbidden as refused:  # a team server: not this user's to do
        raise NotSaved(f"{failed}: {refused}") from refused
    except (SQLAlchemyError, OSError) as error:
        kind, reason = explain(error, sqlite_path(resources.store().url))
        raise NotSaved(f"{failed}: {reason}. {ADVICE.get(kind, ADVICE_OTHERWISE)}") from error


def open_assessment(assessment_id: str) -> bool:
    """Make a saved assessment the open one. False (with a message) if it cannot be. Its ID
    is not put in the page address here: the page switch that follows carries it (or the
    address already names it)."""
    store = resources.store()
    try:
        stored = store.load(assessment_id, parts=drafting.SESSION_PARTS)
    except SQLAlchemyError as error:
        resources.cannot_read(error)
    except Forbidden as refused:  # a team server: the same for one not there
        state.flash("error", escape(str(refused)))
        return False
    except NotFound:
        state.flash(
            "error",
            "There is no saved assessment with this ID in this database. It may have been "
            "saved on another computer: open its file instead (Start page, 'Open an "
            "assessment file').",
        )
        return False
    return adopt(stored, address=False)


def create(details: Details) -> Assessment:
    """Save a new assessment and open it; ``NotSaved`` if the database refuses it. The page
    switch that follows puts its ID in the page address."""
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
    with saving("The new assessment was not created"):
        stored = resources.store().create(assessment)
    adopt(stored, address=False)
    return assessment


def close() -> None:
    st.session_state[state.ASSESSMENT] = None
    st.session_state[state.REVISIONS] = {}
    st.session_state[state.CONFLICTS] = {}
    st.session_state[state.DETAILS_CONFLICT] = None
    st.session_state[state.SECTION] = ""
    state.clear_answer_widgets()
    state.set_params({state.PARAM_ASSESSMENT: None, state.PARAM_SECTION: None})


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
    try:
        with saving(f"{name} was not deleted"):
            removed = resources.store().delete_assessment(assessment_id)
    except NotSaved as problem:
        state.flash("error", escape(str(problem)))
        return
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


def keep_address() -> None:
    """Put the open assessment's ID and section back in the page address when a link of
    Streamlit's navigation cleared it (run by the entry point before ``st.navigation``).

    Streamlit writes the new page's path into the browser history once the navigation of the
    run arrives, with the query string it knows by then. Restoring the address before that,
    in one change and as it was, makes the switch a single history entry: after it, the
    restored query string would be an entry of its own, on the page being left.
    """
    current = state.assessment()
    if current is None or st.query_params.get(state.PARAM_ASSESSMENT):
        return
    restore: dict[str, str | None] = {state.PARAM_ASSESSMENT: current.id}
    if not st.query_params.get(state.PARAM_SECTION) and st.session_state[state.SECTION]:
        restore[state.PARAM_SECTION] = st.session_state[state.SECTION]
    state.set_params(restore)


def sync_with_url() -> None:
    """Keep ``?a=<id>`` and the open assessment in step (run by the entry point each run).

    A refresh or a shared link brings only the URL: open the assessment it names.
    """
    wanted = st.query_params.get(state.PARAM_ASSESSMENT)
    current = state.assessment()
    if wanted and (current is None or current.id != wanted):
        if not open_assessment(wanted):
            st.query_params.pop(state.PARAM_ASSESSMENT, None)
            return
        current = state.assessment()
    if current is not None:
        state.set_params({state.PARAM_ASSESSMENT: current.id})


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
        assessment.id,
        item_id,
        updated.answers[item_id],
        expected,
        checklist=resources.checklist(),
        author=identity.current(),
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
        author=identity.current(),
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
    """Save the open assessment's details; ``NotSaved`` if the database refuses them."""
    assessment = state.assessment()
    if assessment is None:
        return None
    with saving("The details were not saved"):
        outcome = resources.store().save_details(
            assessment.id,
            details,
            st.session_state[state.DETAILS_VERSION],
            author=identity.current(),
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


def adopt(stored: Stored, notices: list[str] | None = None, *, address: bool = True) -> bool:
    """Make a stored assessment the open one, its ID in the page address unless ``address``
    is False: when a page switch follows (``navigation.go``), which carries the ID, writing
    it first would be one more step for the browser's Back button."""
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
        try:
            with saving(
                "The assessment was not opened (it must be brought up to this checklist's "
                "version, and that could not be saved)"
            ):
                stored = resources.store().replace(fitted.assessment, author=identity.current())
        except NotSaved as problem:
            state.flash("error", escape(str(problem)))
            return False
    state.clear_answer_widgets()
    state.clear_record_widgets()
    state.clear_details_widgets(stored.assessment.id)
    st.session_state[state.ASSESSMENT] = stored.assessment
    st.session_state[state.REVISIONS] = dict(stored.revisions)
    st.session_state[state.DETAILS_VERSION] = stored.version
    st.session_state[state.COUNTER] = stored.counter
    st.session_state[state.ACTION_REVISIONS] = dict(stored.action_revisions)
    st.session_state[state.CONFLICTS] = {}
    st.session_state[state.DETAILS_CONFLICT] = None
    state.set_pending_upload(None)
    if st.session_state[state.SECTION] not in {s.id for s in checklist.sections}:
        st.session_state[state.SECTION] = ""
    if address:
        state.set_params({state.PARAM_ASSESSMENT: stored.assessment.id})
    for notice in [*(notices or []), *fitted.notices]:
        state.flash("info", escape(notice))
    return True


def _mirror(updated: Assessment, item_id: str, saved: Saved) -> None:
    st.session_state[state.ASSESSMENT] = updated
    st.session_state[state.REVISIONS] = {**state.revisions(), item_id: saved.revision}
    state.saw_own_save(saved.revision)
    st.session_state[state.LAST_SAVED] = saved.updated_at
    _drop_conflict(item_id)


def _drop_conflict(item_id: str) -> None:
    if item_id in state.conflicts():
        st.session_state[state.CONFLICTS] = {
            k: v for k, v in state.conflicts().items() if k != item_id
        }


def _same_answer(a: Answer, b: Answer) -> bool:
    return a.model_dump(exclude={"updated_at"}) == b.model_dump(exclude={"updated_at"})


def name(assessment: Assessment) -> str:
    return escape(assessment.jurisdiction or assessment.title or "the assessment")


def answer_from(data: dict[str, object]) -> Answer | str:
    """An ``Answer`` from widget values, or the reason it is not acceptable."""
    try:
        return Answer.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}"
