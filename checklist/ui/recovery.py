"""The panel shown when the saved work cannot be opened (damaged, unreadable, on a full
disk, ...): what is wrong, where the file is, that it was not changed, and what can be done.
For a SQLite file that means restoring a back-up into a new database, or starting with an
empty one, after the app has renamed the file aside, on the user's explicit choice
(``database.move_aside``: renamed with the date and time, never deleted).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import NoReturn

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from checklist.access import team_mode
from checklist.assessment_file import FileProblem
from checklist.backup import read_archive
from checklist.database import Unusable, explain, move_aside
from checklist.store import default_url
from checklist.ui import resources, state
from checklist.ui.messages import show_flash
from checklist.ui.text import escape

# What may be done about each kind of trouble, before or instead of moving the file aside.
FIRST_STEP = {
    "full": "Free some space on this disk, then reload the page.",
    "read-only": "The database must be brought up to this version of the tool, which means "
    "writing to it, and it may only be read. Make the file and its folder writable (or copy "
    "the file to a folder you can write to and set `OPSC_DB_URL` to it), then reload the page.",
    "busy": "Another program is using the database. Close it or wait, then reload the page.",
    "unreadable": "If this file should be yours, give your user account permission to read "
    "and write it (for example `chmod 600` on it), then reload the page.",
    "cannot-open": "Check that the folder exists and that you may write to it, then reload "
    "the page.",
    "newer": "Use the newer version of the tool with it.",
}
# Troubles for which a new database in the file's place helps.
MOVABLE = {"damaged", "unreadable", "cannot-open", "newer", "other"}


def cannot_open(problem: Unusable) -> NoReturn:
    """Say what is wrong, where the database is and that it was not changed; offer what can
    be done; stop the page."""
    show_flash()
    st.error(
        f"**Your saved work cannot be opened: {escape(problem.what)}.** It has not been "
        "changed: nothing was written to it or deleted. The database is:",
        icon=":material/error:",
    )
    st.code(problem.where, language=None)
    movable = (
        problem.path is not None
        and problem.path.exists()
        and problem.kind in MOVABLE
        and not team_mode()  # not for any signed-in user to set a team's database aside
    )
    if problem.kind in FIRST_STEP:
        st.markdown(FIRST_STEP[problem.kind] + (" Otherwise:" if movable else ""))
    if movable and problem.path is not None:
        _recovery(problem.path)
    elif problem.path is None or team_mode():
        st.markdown("Ask whoever looks after the database server.")
    st.stop()


def _recovery(path: Path) -> None:
    aside = f"{path.stem}.set-aside-<date-time>{path.suffix}"
    st.markdown(
        "You can restore your latest back-up (.zip) into a new database, or start with an "
        f"empty one. Either way this file is first renamed to {escape(aside)}, in the same "
        "folder and kept: nothing is deleted, and a specialist may be able to recover more "
        "from it."
    )
    key = f"recovery:upload:{st.session_state[state.UPLOAD_ROUND]}"
    st.file_uploader(
        "Restore from a back-up (.zip)",
        type=["zip"],
        key=key,
        on_change=_archive_given,
        args=(key,),
    )
    checked = st.session_state.get(state.RECOVERY_ARCHIVE)
    if checked is not None:
        _, name, count = checked
        st.info(f"Back-up {escape(name)} checked: {count} assessment(s).")
        st.button(
            "Rename the file aside and restore this back-up into a new database",
            key="recovery:restore",
            type="primary",
            on_click=_restore_into_new,
        )
    st.button(
        "Rename the file aside and start with an empty database",
        key="recovery:empty",
        on_click=_start_empty,
    )


def _archive_given(key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    st.session_state[state.UPLOAD_ROUND] += 1
    st.session_state[state.RECOVERY_ARCHIVE] = None
    data, name = upload.getvalue(), upload.name
    try:
        count = len(read_archive(data, name, resources.checklist()))
    except FileProblem as problem:
        state.flash("error", f"Nothing was changed. {escape(str(problem))}")
        return
    st.session_state[state.RECOVERY_ARCHIVE] = (data, name, count)


def _restore_into_new() -> None:
    checked = st.session_state.get(state.RECOVERY_ARCHIVE)
    st.session_state[state.RECOVERY_ARCHIVE] = None
    if checked is None or not _set_aside():
        return
    data, name, _ = checked
    try:
        fresh = resources.open_store(default_url())
        report = fresh.restore(fresh.plan_restore(data, name, resources.checklist()), replace=False)
    except (Unusable, FileProblem, SQLAlchemyError, OSError) as error:
        state.flash(
            "error",
            f"The back-up was not restored into the new database: {escape(_why(error))}. "
            "The renamed file is kept; reload the page to try again.",
        )
        return
    state.flash("success", f"Restored {report.count('added')} assessment(s) from {escape(name)}.")


def _start_empty() -> None:
    st.session_state[state.RECOVERY_ARCHIVE] = None
    if _set_aside():
        state.flash("info", "A new, empty database is in use.")


def _set_aside() -> bool:
    """Rename the database file aside (never delete it) and forget the store that used it."""
    url = default_url()
    with contextlib.suppress(Unusable):
        resources.open_store(
            url
        ).engine.dispose()  # no connection may stay open on the renamed file
    try:
        renamed = move_aside(url)
    except OSError as error:
        state.flash(
            "error",
            f"The file was not renamed, so nothing has changed: {escape(_why(error))}.",
        )
        return False
    resources.forget_store()
    state.flash(
        "success",
        f"The database file was renamed to {escape(renamed.name)}, in the same folder, and kept.",
    )
    return True


def _why(error: BaseException) -> str:
    if isinstance(error, Unusable):
        return error.what
    if isinstance(error, FileProblem):
        return str(error)
    return explain(error)[1]
