"""Files and back-ups on the Start page: open an assessment file or a returned workbook
(asking before saved work is replaced; offering to merge it item by item), and download or
restore every assessment as one zip (asking before anything is replaced)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import streamlit as st

from checklist import merge
from checklist.assessment_file import MAX_FILE_BYTES
from checklist.store import RestorePlan
from checklist.ui import incoming, resources, state, workspace
from checklist.ui.text import escape

MAX_ARCHIVE_MB = 50


def open_file() -> None:
    with st.expander("Open an assessment file (.json, or a returned Excel workbook)"):
        st.caption(
            f"Files up to {MAX_FILE_BYTES // (1024 * 1024)} MB. The file is checked completely "
            "before anything changes; a file that cannot be read changes nothing."
        )
        key = f"upload:assessment:{st.session_state[state.UPLOAD_ROUND]}"
        st.file_uploader(
            "Assessment file",
            type=["json", "xlsx"],
            max_upload_size=MAX_FILE_BYTES // (1024 * 1024),
            key=key,
            on_change=_file_given,
            args=(key,),
        )


def _file_given(key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    try:
        problem = incoming.receive_file(upload.getvalue(), upload.name)
    except workspace.NotSaved as not_saved:
        problem = None
        state.flash("error", escape(str(not_saved)))
    if problem is not None:
        state.flash("error", f"Nothing was changed. This file cannot be opened: {escape(problem)}")
    st.session_state[state.UPLOAD_ROUND] += 1


def pending_choice(pending: incoming.PendingUpload) -> None:
    saved, from_file = pending.saved, pending.loaded.assessment
    newer = (
        "The saved copy is newer than the file." if saved.updated_at > from_file.updated_at else ""
    )
    with st.container(border=True):
        st.warning(
            f"**{escape(from_file.jurisdiction) or 'This assessment'}** is already saved here "
            f"with different answers. Saved copy: {len(saved.answers)} answer(s), last saved "
            f"{saved.updated_at:%d %b %Y %H:%M} UTC. File: {len(from_file.answers)} answer(s), "
            f"last saved {from_file.updated_at:%d %b %Y %H:%M} UTC. {newer}",
            icon=":material/difference:",
        )
        copy, merge_ = st.columns(2)
        copy.button(
            "Keep both: add the file as a new assessment",
            key="pending:copy",
            on_click=incoming.settle_upload,
            args=("copy",),
            type="primary",
            width="stretch",
        )
        merge_.button(
            "Merge item by item",
            help="See each answer and detail that differs, and choose which to take from "
            "the file; the rest stays as saved.",
            key="pending:merge",
            on_click=incoming.start_merge,
            disabled=incoming.merging(),
            width="stretch",
        )
        replace, cancel = st.columns(2)
        replace.button(
            "Replace the saved copy with the file",
            key="pending:replace",
            on_click=incoming.settle_upload,
            args=("replace",),
            width="stretch",
        )
        cancel.button(
            "Cancel",
            help="Nothing is changed.",
            key="pending:cancel",
            on_click=incoming.settle_upload,
            args=("cancel",),
            width="stretch",
        )
        if incoming.merging():
            _merge_choice(incoming.merge_differences(pending))


KEEP, TAKE = "saved", "file"
CHOICES = {KEEP: "Keep saved", TAKE: "Take the file's"}
LONGEST_TEXT = 400  # characters of a note or excerpt shown in a difference


def _merge_choice(differences: merge.Differences) -> None:
    """Each difference, the saved copy's against the file's, with its choice: keep saved (the
    default) or take the file's. Nothing is written until the user confirms."""
    if not differences:
        st.info(
            "No answer or detail differs (only answers set aside for an earlier checklist "
            "do): there is nothing to merge."
        )
        return
    st.markdown(
        f"**{len(differences.items)} item(s), {len(differences.details)} detail(s) and "
        f"{len(differences.actions)} planned action(s) differ.** Each is kept as saved unless "
        "you choose to take the file's. Nothing is changed until you confirm."
    )
    for detail in differences.details:
        _difference_row(
            state.merge_key("detail", detail.field),
            f"**{escape(detail.label)}**",
            escape(detail.saved) or "*(none)*",
            escape(detail.file) or "*(none)*",
        )
    for item in differences.items:
        evidence = "".join(
            f"  \n{escape(e.label.capitalize())}: {_shortened(e.saved)} → {_shortened(e.file)}"
            for e in item.evidence
        )
        _difference_row(
            state.merge_key("item", item.id),
            f"**{escape(item.title)}**  \n{escape(item.section)} · differs in "
            f"{', '.join(item.what)}",
            escape(item.saved),
            escape(item.file),
            evidence,
        )
    for action in differences.actions:
        _difference_row(
            state.merge_key("action", action.id),
            f"**Action plan: {escape(action.title)}**",
            _shortened(action.saved),
            _shortened(action.file),
        )
    st.button(
        "Merge: take the chosen ones from the file",
        key="pending:merge:apply",
        on_click=_merge_chosen,
        args=(differences,),
        type="primary",
    )


def _difference_row(key: str, what: str, saved: str, file: str, evidence: str = "") -> None:
    with st.container(border=True):
        left, mine, theirs, choice = st.columns([3, 2, 2, 2], vertical_alignment="center")
        left.markdown(what + evidence)
        mine.markdown(f"Saved: {saved}")
        theirs.markdown(f"File: {file}")
        choice.radio(
            "Which to keep",
            list(CHOICES),
            format_func=CHOICES.__getitem__,
            key=key,
            label_visibility="collapsed",
        )


def _shortened(text: str) -> str:
    if not text:
        return "*(none)*"
    cut = text if len(text) <= LONGEST_TEXT else text[: LONGEST_TEXT - 1] + "…"
    return f"“{escape(cut)}”"


def _merge_chosen(differences: merge.Differences) -> None:
    def taken(kind: Literal["item", "detail", "action"], name: str) -> bool:
        return bool(st.session_state.get(state.merge_key(kind, name)) == TAKE)

    incoming.settle_merge(
        [d.id for d in differences.items if taken("item", d.id)],
        [d.field for d in differences.details if taken("detail", d.field)],
        [d.id for d in differences.actions if taken("action", d.id)],
    )


def backups() -> None:
    plan = incoming.pending_restore()
    with st.expander("Back up or restore every saved assessment", expanded=plan is not None):
        st.caption(
            "The back-up is one .zip file holding every saved assessment as a .json file. "
            "Restoring checks every file first and adds what is missing at once; before it "
            "replaces a saved assessment it shows what would change and asks. A saved "
            "assessment newer than its copy in the back-up is kept."
        )
        st.download_button(
            "Download a back-up of every assessment (.zip)",
            data=resources.store().export_archive,
            file_name=f"opsc-gap-check-backup-{dt.date.today():%Y-%m-%d}.zip",
            mime="application/zip",
            on_click="ignore",
            key="backup:download",
            icon=":material/download:",
        )
        key = f"upload:archive:{st.session_state[state.UPLOAD_ROUND]}"
        st.file_uploader(
            "Restore from a back-up (.zip)",
            type=["zip"],
            max_upload_size=MAX_ARCHIVE_MB,
            key=key,
            on_change=_archive_given,
            args=(key,),
        )
        if plan is not None:
            _restore_choice(plan)


def _archive_given(key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    st.session_state[state.UPLOAD_ROUND] += 1
    incoming.receive_archive(upload.getvalue(), upload.name)


def _restore_choice(plan: RestorePlan) -> None:
    """What restoring would replace, each saved assessment with its answers before and after,
    and the choice: the safe one (add only what is new) first."""
    replacing = plan.replacements
    emptied = sum(line.empties for line in replacing)
    st.warning(
        f"**Restoring {escape(plan.source)} would replace {len(replacing)} saved "
        "assessment(s)** with the back-up's copy, which was saved later"
        + (f"; {emptied} of them would be left with no answers" if emptied else "")
        + ". Nothing has been changed yet.",
        icon=":material/difference:",
    )
    st.dataframe(
        [
            {
                "Assessment": " · ".join(
                    x for x in (line.jurisdiction or line.id, line.title) if x
                ),
                "Change": _change(line.answers_before, line.answers_after),
                "Answers saved here": line.answers_before,
                "Answers in the back-up": line.answers_after,
                "Saved here": f"{line.saved_at:%Y-%m-%d %H:%M} UTC" if line.saved_at else "",
                "In the back-up": f"{line.backup_at:%Y-%m-%d %H:%M} UTC",
            }
            for line in replacing
        ],
        hide_index=True,
        width="stretch",
        key="restore:plan",
    )
    st.caption(
        f"It would also add {plan.count('add')} new assessment(s); {plan.count('unchanged')} "
        f"are the same as saved; {plan.count('kept-newer')} are kept because the saved copy "
        "is newer."
    )
    add, replace, cancel = st.columns(3)
    add.button(
        f"Keep saved work, add {plan.count('add')} new",
        key="restore:add",
        on_click=incoming.settle_restore,
        args=("add",),
        type="primary",
        width="stretch",
    )
    replace.button(
        f"Replace {len(replacing)} saved, add new",
        key="restore:replace",
        on_click=incoming.settle_restore,
        args=("replace",),
        width="stretch",
    )
    cancel.button(
        "Cancel: restore nothing",
        help="Every saved assessment stays as it is.",
        key="restore:cancel",
        on_click=incoming.settle_restore,
        args=("cancel",),
        width="stretch",
    )


def _change(before: int, after: int) -> str:
    if after == 0 < before:
        return f"emptied: {before} answers → none"
    if after < before:
        return f"{before - after} answer(s) fewer"
    if after > before:
        return f"{after - before} answer(s) more"
    return "answers changed"
