"""Files and back-ups arriving: an uploaded assessment file or returned workbook (opened,
or waiting for the user's choice when it differs from the copy saved here: keep both,
replace, or merge item by item), and a back-up restore that would replace saved work
(waiting for the user's choice). Nothing is written before the user chooses.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

import streamlit as st

from checklist import merge
from checklist.assessment import Assessment
from checklist.assessment_file import FileProblem, Loaded
from checklist.store import (
    Conflict,
    Details,
    DetailsConflict,
    ImportReport,
    NotFound,
    Outcome,
    RestorePlan,
    Unfit,
    same_content,
)
from checklist.ui import identity, resources, state, workspace
from checklist.ui.text import escape
from checklist.ui.workspace import NotSaved, saving


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
    action_revisions: dict[str, int] = field(default_factory=dict)


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
        workspace.adopt(stored, notices=loaded.notices)
        state.flash(
            "success", f"Opened {workspace.name(incoming)} from {escape(source)} and saved it here."
        )
        return None
    if same_content(saved, incoming):
        workspace.adopt(store.load(incoming.id), notices=loaded.notices)
        state.flash(
            "info", f"{workspace.name(incoming)} was already saved here, unchanged: opened it."
        )
        return None
    state.set_pending_upload(
        PendingUpload(
            loaded,
            source,
            saved,
            dict(stored.revisions),
            stored.version,
            dict(stored.action_revisions),
        )
    )
    return None


def settle_upload(choice: str) -> None:
    """``replace`` the saved copy with the pending file, add it as a ``copy``, or ``cancel``."""
    pending: PendingUpload | None = st.session_state[state.PENDING_UPLOAD]
    state.set_pending_upload(None)
    if pending is None or choice == "cancel":
        return
    incoming = pending.loaded.assessment
    if "actions" in pending.loaded.lacks:  # an older workbook: the saved plan stays
        incoming = incoming.model_copy(update={"actions": pending.saved.actions})
    store = resources.store()
    copy = incoming.model_copy(
        update={"id": uuid.uuid4().hex, "title": f"{incoming.title} (copy from file)".strip()}
    )
    try:
        with saving(f"{pending.source} was not saved"):
            stored = (
                store.replace(incoming, author=identity.current())
                if choice == "replace"
                else store.create(copy)
            )
    except NotSaved as problem:
        st.session_state[state.PENDING_UPLOAD] = pending  # the choice stays open
        state.flash("error", escape(str(problem)))
        return
    workspace.adopt(stored, notices=pending.loaded.notices)
    if choice == "replace":
        state.flash(
            "success", f"Replaced the saved copy of {workspace.name(incoming)} with the file."
        )
    else:
        state.flash("success", f"Saved the file as a new assessment: {workspace.name(copy)}.")


def pending_upload() -> PendingUpload | None:
    value: PendingUpload | None = st.session_state.get(state.PENDING_UPLOAD)
    return value


def start_merge() -> None:
    """Show the pending file's differences item by item, each kept as saved until chosen."""
    st.session_state[state.MERGING] = True


def merging() -> bool:
    return bool(st.session_state[state.MERGING]) and pending_upload() is not None


def merge_differences(pending: PendingUpload) -> merge.Differences:
    incoming = pending.loaded.assessment
    if "actions" in pending.loaded.lacks:  # an older workbook says nothing of the plan
        incoming = incoming.model_copy(update={"actions": pending.saved.actions})
    return merge.differences(resources.checklist(), pending.saved, incoming)


def settle_merge(
    items: Collection[str], details: Collection[str], actions: Collection[str] = ()
) -> None:
    """Take the chosen ``items`` and ``details`` of the pending file and keep everything else
    as saved. Each is an ordinary save on the revision seen when the file came, so an item
    (or the details) changed since in another tab is left as it is now and shown as a
    conflict to settle, never overwritten."""
    pending = pending_upload()
    if pending is None:
        return
    incoming = pending.loaded.assessment
    state.set_pending_upload(None)
    store = resources.store()
    taken: list[str] = []
    conflicts: dict[str, Conflict] = {}
    details_conflict: DetailsConflict | None = None
    refused_actions: list[str] = []
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
                    author=identity.current(),
                    change="import",
                )
                if isinstance(outcome, Conflict):
                    conflicts[item_id] = outcome
                else:
                    taken.append(item_id)
            for item_id in actions:
                planned = incoming.actions.get(item_id)
                if planned is None:
                    continue  # an action is never deleted: the saved one stays
                action_outcome = store.save_action(
                    incoming.id,
                    item_id,
                    planned,
                    pending.action_revisions.get(item_id, 0),
                    author=identity.current() or "(name not given)",
                )
                if not isinstance(action_outcome, tuple):
                    refused_actions.append(item_id)
            if details:
                wanted = merge.merged(pending.saved, incoming, details=details)
                outcome_of_details = store.save_details(
                    incoming.id, _details_of(wanted), pending.version, author=identity.current()
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
            f"Nothing was merged: {workspace.name(incoming)} was deleted in another tab or window. "
            "Open the file again to save it here.",
        )
        return
    if not workspace.open_assessment(incoming.id):
        return
    st.session_state[state.CONFLICTS] = conflicts
    st.session_state[state.DETAILS_CONFLICT] = details_conflict
    if refused_actions:
        state.flash(
            "warning",
            f"{len(refused_actions)} planned action(s) were changed in another tab after the "
            "file came, so the file's were not taken; see them on the Action plan page.",
        )
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
            f"Merged into {workspace.name(incoming)}: took {' and '.join(what)} from the file; "
            "everything else is as saved.",
        )
    elif not conflicts and details_conflict is None:
        state.flash("info", f"Nothing was changed: {workspace.name(incoming)} is kept as saved.")
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
            report = resources.store().restore(plan, replace=replace, author=identity.current())
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
        workspace.reload()


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
