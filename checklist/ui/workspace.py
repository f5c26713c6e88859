"""The open assessment: opening, creating, saving and reconciling it with the database.

Pages call these functions; they keep the session (``state``) and the database (``store``)
in step. Every change is written to the database at once, then mirrored in the session. A
save that would overwrite another tab's newer answer is refused and kept as a conflict for
the user to settle.

A write the database refuses (disk full, read-only, busy, ...) raises ``NotSaved`` saying what
failed, why and what to do, or leaves that message for the next page (from a callback); the
session and the forms keep what the user gave. A back-up restore that would replace saved
work waits for the user's choice (``settle_restore``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

import streamlit as st
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from checklist import merge
from checklist.assessment import Answer, Assessment, blank
from checklist.assessment_file import FileProblem, Loaded, reconcile
from checklist.database import Trouble, explain, sqlite_path
from checklist.scoring import Result, score
from checklist.store import (
    Conflict,
    Details,
    DetailsConflict,
    ImportReport,
    NotFound,
    Outcome,
    RestorePlan,
    Saved,
    Stored,
    Unfit,
    same_content,
)
from checklist.ui import resources, state
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
    except (SQLAlchemyError, OSError) as error:
        kind, reason = explain(error, sqlite_path(resources.store().url))
        raise NotSaved(f"{failed}: {reason}. {ADVICE.get(kind, ADVICE_OTHERWISE)}") from error


@dataclass(frozen=True)
class PendingUpload:
    """An uploaded assessment whose ID is already saved here, with different content, and the
    saved copy as it was when the file came (with the revisions an item-by-item merge saves
    on: a change made since in another tab is a conflict, not overwritten)."""

    loaded: Loaded
    source: str
    saved: Assessment
    revisions: dict[str, int] = field(default_factory=dict)
    version: int = 0


def open_assessment(assessment_id: str) -> bool:
    """Make a saved assessment the open one. False (with a message) if it cannot be."""
    store = resources.store()
    try:
        stored = store.load(assessment_id)
    except SQLAlchemyError as error:
        resources.cannot_read(error)
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
    """Save a new assessment and open it; ``NotSaved`` if the database refuses it."""
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
    _adopt(stored)
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
    """Save the open assessment's details; ``NotSaved`` if the database refuses them."""
    assessment = state.assessment()
    if assessment is None:
        return None
    with saving("The details were not saved"):
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
    assessment is already saved with other answers waits for the user's choice. ``NotSaved``
    if the database refuses it.
    """
    from reports import read_any  # the Excel reader is heavy: only when a file comes

    try:
        loaded = read_any(data, source, resources.checklist())
    except FileProblem as problem:
        return str(problem)
    incoming = loaded.assessment
    store = resources.store()
    try:
        stored = store.load(incoming.id)
        saved = stored.assessment
    except NotFound:
        with saving(f"{source} was not saved here"):
            stored = store.create(incoming)
        _adopt(stored, notices=loaded.notices)
        state.flash("success", f"Opened {_name(incoming)} from {escape(source)} and saved it here.")
        return None
    if same_content(saved, incoming):
        _adopt(store.load(incoming.id), notices=loaded.notices)
        state.flash("info", f"{_name(incoming)} was already saved here, unchanged: opened it.")
        return None
    _wait_for_choice(PendingUpload(loaded, source, saved, dict(stored.revisions), stored.version))
    return None


def _wait_for_choice(pending: PendingUpload | None) -> None:
    st.session_state[state.PENDING_UPLOAD] = pending
    st.session_state[state.MERGING] = False
    for key in [k for k in st.session_state if str(k).startswith(state.MERGE_WIDGET_PREFIX)]:
        del st.session_state[key]


def settle_upload(choice: str) -> None:
    """``replace`` the saved copy with the pending file, add it as a ``copy``, or ``cancel``."""
    pending: PendingUpload | None = st.session_state[state.PENDING_UPLOAD]
    _wait_for_choice(None)
    if pending is None or choice == "cancel":
        return
    incoming = pending.loaded.assessment
    store = resources.store()
    copy = incoming.model_copy(
        update={"id": uuid.uuid4().hex, "title": f"{incoming.title} (copy from file)".strip()}
    )
    try:
        with saving(f"{pending.source} was not saved"):
            stored = store.replace(incoming) if choice == "replace" else store.create(copy)
    except NotSaved as problem:
        st.session_state[state.PENDING_UPLOAD] = pending  # the choice stays open
        state.flash("error", escape(str(problem)))
        return
    _adopt(stored, notices=pending.loaded.notices)
    if choice == "replace":
        state.flash("success", f"Replaced the saved copy of {_name(incoming)} with the file.")
    else:
        state.flash("success", f"Saved the file as a new assessment: {_name(copy)}.")


def pending_upload() -> PendingUpload | None:
    value: PendingUpload | None = st.session_state.get(state.PENDING_UPLOAD)
    return value


def start_merge() -> None:
    """Show the pending file's differences item by item, each kept as saved until chosen."""
    st.session_state[state.MERGING] = True


def merging() -> bool:
    return bool(st.session_state[state.MERGING]) and pending_upload() is not None


def merge_differences(pending: PendingUpload) -> merge.Differences:
    return merge.differences(resources.checklist(), pending.saved, pending.loaded.assessment)


def settle_merge(items: Collection[str], details: Collection[str]) -> None:
    """Take the chosen ``items`` and ``details`` of the pending file and keep everything else
    as saved. Each is an ordinary save on the revision seen when the file came, so an item
    (or the details) changed since in another tab is left as it is now and shown as a
    conflict to settle, never overwritten."""
    pending = pending_upload()
    if pending is None:
        return
    incoming = pending.loaded.assessment
    _wait_for_choice(None)
    store = resources.store()
    taken: list[str] = []
    conflicts: dict[str, Conflict] = {}
    details_conflict: DetailsConflict | None = None
    try:
        with saving(f"The merge of {pending.source} stopped"):
            for item_id in items:
                stamped = pending.saved.with_answer(item_id, merge.answer_of(incoming, item_id))
                outcome = store.save_answer(
                    incoming.id,
                    item_id,
                    stamped.answers[item_id],
                    pending.revisions.get(item_id, 0),
                    checklist=resources.checklist(),
                )
                if isinstance(outcome, Conflict):
                    conflicts[item_id] = outcome
                else:
                    taken.append(item_id)
            if details:
                wanted = merge.merged(pending.saved, incoming, details=details)
                outcome_of_details = store.save_details(
                    incoming.id, _details_of(wanted), pending.version
                )
                if isinstance(outcome_of_details, DetailsConflict):
                    details_conflict = outcome_of_details
    except (NotSaved, Unfit) as problem:
        why = (
            f"The merge of {pending.source} stopped at an answer this checklist cannot take: "
            f"{problem}."
            if isinstance(problem, Unfit)
            else str(problem)
        )
        state.flash(
            "error",
            f"{escape(why)} {len(taken)} chosen item(s) were taken from the file before it "
            "stopped; nothing else was changed.",
        )
    except NotFound:
        state.flash(
            "error",
            f"Nothing was merged: {_name(incoming)} was deleted in another tab or window. "
            "Open the file again to save it here.",
        )
        return
    if not open_assessment(incoming.id):
        return
    st.session_state[state.CONFLICTS] = conflicts
    st.session_state[state.DETAILS_CONFLICT] = details_conflict
    _tell_merge(incoming, taken, conflicts, details_conflict, details)


def _tell_merge(
    incoming: Assessment,
    taken: list[str],
    conflicts: dict[str, Conflict],
    details_conflict: DetailsConflict | None,
    details: Collection[str],
) -> None:
    details_taken = bool(details) and details_conflict is None
    if taken or details_taken:
        what = [f"{len(taken)} item(s)"] if taken else []
        what += ["the details chosen"] if details_taken else []
        state.flash(
            "success",
            f"Merged into {_name(incoming)}: took {' and '.join(what)} from the file; "
            "everything else is as saved.",
        )
    elif not conflicts and details_conflict is None:
        state.flash("info", f"Nothing was changed: {_name(incoming)} is kept as saved.")
    if conflicts:
        checklist = resources.checklist()
        titles = ", ".join(escape(checklist.item(i).title) for i in conflicts)
        state.flash(
            "warning",
            f"{len(conflicts)} item(s) were changed in another tab or window after the file "
            f"was opened, and were not taken from it: {titles}. Each shows both answers in "
            "the questionnaire, to choose which to keep.",
        )
    if details_conflict is not None:
        state.flash(
            "warning",
            "The details were changed in another tab or window after the file was opened, "
            "and were not taken from it: both versions are shown below, to choose.",
        )


def _details_of(assessment: Assessment) -> Details:
    return Details(
        jurisdiction=assessment.jurisdiction,
        assessor=assessment.assessor,
        title=assessment.title,
        scope=assessment.scope,
        date=assessment.date,
        law_date=assessment.law_as_of,
    )


def receive_archive(data: bytes, source: str) -> None:
    """Check a back-up and work out what restoring it would do, writing nothing. If it only
    adds (or leaves things as they are), it is restored at once; if it would replace a saved
    assessment, the plan waits for the user's choice (``settle_restore``)."""
    st.session_state[state.PENDING_RESTORE] = None
    try:
        plan = resources.store().plan_restore(data, source, resources.checklist())
    except FileProblem as problem:
        state.flash("error", f"Nothing was restored. {escape(str(problem))}")
        return
    if plan.replacements:
        st.session_state[state.PENDING_RESTORE] = plan
        return
    _restore(plan, replace=False)


def pending_restore() -> RestorePlan | None:
    value: RestorePlan | None = st.session_state.get(state.PENDING_RESTORE)
    return value


def settle_restore(choice: Literal["replace", "add", "cancel"]) -> None:
    """Restore the pending back-up, replacing saved assessments (``replace``) or adding only
    what is new (``add``); or restore nothing (``cancel``)."""
    plan = pending_restore()
    st.session_state[state.PENDING_RESTORE] = None
    if plan is None:
        return
    if choice == "cancel":
        state.flash("info", "Nothing was restored; every saved assessment is as it was.")
        return
    _restore(plan, replace=choice == "replace")


def _restore(plan: RestorePlan, replace: bool) -> None:
    try:
        with saving("Nothing was restored"):
            report = resources.store().restore(plan, replace=replace)
    except NotSaved as problem:
        if plan.replacements:
            st.session_state[state.PENDING_RESTORE] = plan  # the choice stays open
        state.flash("error", escape(str(problem)))
        return
    _tell(report)
    current = state.assessment()
    if current is not None and any(
        line.id == current.id and line.outcome == "updated" for line in report.lines
    ):
        reload()


def _tell(report: ImportReport) -> None:
    state.flash(
        "success",
        f"Back-up restored: {report.count('added')} added, {report.count('updated')} "
        f"replaced, {report.count('unchanged')} unchanged.",
    )
    said: dict[Outcome, str] = {
        "kept-newer": "Kept {n} saved assessment(s) that are newer than their copy in the "
        "back-up, unchanged: {names}.",
        "not-replaced": "Kept {n} saved assessment(s) as they are, as you chose: {names}.",
        "changed-since": "Left {n} saved assessment(s) as they are: they changed in another "
        "tab or window after the back-up was checked. Restore it again to see what would "
        "change: {names}.",
    }
    for outcome, text in said.items():
        names = report.named(outcome)
        if names:
            joined = ", ".join(escape(n) for n in names)
            state.flash("warning", text.format(n=len(names), names=joined))
    for notice in report.notices:
        state.flash("info", escape(notice))


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
        try:
            with saving(
                "The assessment was not opened (it must be brought up to this checklist's "
                "version, and that could not be saved)"
            ):
                stored = resources.store().replace(fitted.assessment)
        except NotSaved as problem:
            state.flash("error", escape(str(problem)))
            return False
    state.clear_answer_widgets()
    state.clear_details_widgets(stored.assessment.id)
    st.session_state[state.ASSESSMENT] = stored.assessment
    st.session_state[state.REVISIONS] = dict(stored.revisions)
    st.session_state[state.DETAILS_VERSION] = stored.version
    st.session_state[state.CONFLICTS] = {}
    st.session_state[state.DETAILS_CONFLICT] = None
    _wait_for_choice(None)
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
