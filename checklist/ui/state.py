"""Every session-state key the app uses, declared in one place.

A browser refresh starts a new session, so nothing here is the record: the database is. The
session holds the open assessment (with its answers, under a non-widget key so they survive
page switches), the revision of each answer as last loaded or saved (for conflict detection)
and a few messages. Answer widget keys are built by ``widget_key`` so that they can be cleared
when another assessment is opened, and so are the details form's (``details_key``); every
other widget has an explicit key named
``<page>:<purpose>`` (``new:jurisdiction``, ``compare:first``, ``nav:section:<id>``, ...).

Defaults are built inside ``defaults()``, never at import time: a value made at import would
be shared by every session.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import streamlit as st

from checklist.assessment import Assessment
from checklist.store import Conflict, DetailsConflict

# The open assessment, its answers included (checklist.assessment.Assessment), or None.
ASSESSMENT = "assessment"
# item id -> revision of the stored answer this session last loaded or saved.
REVISIONS = "revisions"
# Row version of the open assessment's details (jurisdiction, assessor, ...).
DETAILS_VERSION = "details_version"
# The open assessment's answer revision counter as this session last saw it: with
# DETAILS_VERSION, what a version or sign-off checks has not changed meanwhile.
COUNTER = "counter"
# item id -> revision of its planned action this session last loaded or saved.
ACTION_REVISIONS = "action_revisions"
# The name of the person using this session, recorded with every change (checklist.ui.identity).
USER = "user_name"
# A name just given, to be written into the browser's cookie on the next run (or "").
USER_COOKIE = "user_name:cookie"
# True once the user said "Not you?": the browser's cookie is not read again this session.
USER_FORGOTTEN = "user_name:forgotten"
# A named version opened read-only (its ID), or "" (also in the URL as ?v=...).
VERSION = "version"
# item id -> Conflict: a save refused because another tab saved first.
CONFLICTS = "conflicts"
# A refused change of the details, or None.
DETAILS_CONFLICT = "details_conflict"
# Questionnaire section shown last (also in the URL as ?s=...).
SECTION = "section"
# Item to point out when arriving from the results page, or "".
FOCUS_ITEM = "focus_item"
# When this session last saved something (UTC datetime) or None.
LAST_SAVED = "last_saved"
# One-off messages for the next page shown: list of (kind, text).
FLASH = "flash"
# item id -> why the last change to that item was not saved (shown once, in the item).
ITEM_PROBLEMS = "item_problems"
# Items whose answer was just cleared: their answer widgets are emptied on their next draw
# (in the script run, not the callback: a None set in a callback that reruns only some
# fragments does not reach the browser, which keeps showing the old choice).
CLEARED_ITEMS = "cleared_items"
# An uploaded assessment whose ID is already saved, waiting for the user's choice, or None.
PENDING_UPLOAD = "pending_upload"
# True while that upload's differences are shown item by item, to merge.
MERGING = "merging"
# A back-up restore waiting for the user's answer (store.RestorePlan), and a back-up checked
# for restoring into a new database: (bytes, file name, assessments).
PENDING_RESTORE = "pending_restore"
RECOVERY_ARCHIVE = "recovery:archive"
# ID of the saved assessment whose deletion waits for the user's confirmation, or "".
PENDING_DELETE = "pending_delete"
# Bumped to give the file uploaders a fresh key (clears them) after a file is handled.
UPLOAD_ROUND = "upload_round"
# Keys of the fragments drawn by the last full run (see checklist.ui.fragments).
RENDERED_FRAGMENTS = "rendered_fragments"
# Team server: the ID of the team new assessments go to, or "" for the user's own.
HOME_TEAM = "home_team"

# Query parameters: the open assessment and the questionnaire section last shown. They belong
# to the whole app, not to one page: they stay in the address on every page, and a page
# switch carries them (navigation.go). Streamlit records a switch that also changes the query
# string as two browser history entries (the new query on the old page, then the new page),
# so a switch that keeps it is one press of Back, not two.
PARAM_ASSESSMENT = "a"
PARAM_SECTION = "s"
PARAM_ITEM = "item"
PARAM_VERSION = "v"

# Prefix of every answer widget key; see widget_key().
ANSWER_WIDGET_PREFIX = "answer:"
# Prefix of the details form's widget keys; see details_key().
DETAILS_WIDGET_PREFIX = "details:"
# Prefix of the widgets under each item (review state, comments, history; item_panel.key).
RECORD_WIDGET_PREFIX = "panel:"
# Prefix of the merge's choices ("keep saved" or "take the file's"); see merge_key().
MERGE_WIDGET_PREFIX = "merge:"

Kind = Literal["success", "info", "warning", "error"]


def defaults() -> dict[str, Any]:
    return {
        ASSESSMENT: None,
        REVISIONS: {},
        DETAILS_VERSION: 0,
        COUNTER: 0,
        ACTION_REVISIONS: {},
        USER: "",
        USER_COOKIE: "",
        USER_FORGOTTEN: False,
        VERSION: "",
        CONFLICTS: {},
        DETAILS_CONFLICT: None,
        SECTION: "",
        FOCUS_ITEM: "",
        LAST_SAVED: None,
        FLASH: [],
        ITEM_PROBLEMS: {},
        CLEARED_ITEMS: set(),
        PENDING_UPLOAD: None,
        MERGING: False,
        PENDING_RESTORE: None,
        RECOVERY_ARCHIVE: None,
        PENDING_DELETE: "",
        UPLOAD_ROUND: 0,
        RENDERED_FRAGMENTS: set(),
        HOME_TEAM: "",
    }


def init_state() -> None:
    """Give every key its default unless it already has a value (safe to call every run)."""
    for key, value in defaults().items():
        if key not in st.session_state:
            st.session_state[key] = value


def widget_key(item_id: str, part: str) -> str:
    """The key of one answer widget, e.g. ``answer:age.sale:value``."""
    return f"{ANSWER_WIDGET_PREFIX}{item_id}:{part}"


def clear_answer_widgets(item_id: str | None = None) -> None:
    """Forget answer widget values (all, or one item's) so they are re-read from the answers."""
    prefix = ANSWER_WIDGET_PREFIX + (f"{item_id}:" if item_id else "")
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def clear_record_widgets() -> None:
    """Forget the item panels' widget values (another assessment was opened)."""
    for key in [k for k in st.session_state if str(k).startswith(RECORD_WIDGET_PREFIX)]:
        del st.session_state[key]


def details_key(assessment_id: str, part: str) -> str:
    """The key of one widget of an assessment's details form, e.g. ``details:<id>:title``."""
    return f"{DETAILS_WIDGET_PREFIX}{assessment_id}:{part}"


def clear_details_widgets(assessment_id: str) -> None:
    """Forget the details form's values so it shows the details as saved (a keyed widget
    keeps its own value over the one it is given)."""
    prefix = details_key(assessment_id, "")
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def merge_key(kind: Literal["item", "detail", "action"], name: str) -> str:
    """The key of one choice of the merge, e.g. ``merge:item:age.sale``."""
    return f"{MERGE_WIDGET_PREFIX}{kind}:{name}"


def assessment() -> Assessment | None:
    value: Assessment | None = st.session_state.get(ASSESSMENT)
    return value


def seen_stamp() -> tuple[int, int]:
    """(details version, answer revision counter) of the open assessment as last seen."""
    return (int(st.session_state[DETAILS_VERSION]), int(st.session_state[COUNTER]))


def saw_own_save(revision: int) -> None:
    """This session saved and took ``revision`` from the assessment's counter. The session has
    seen everything up to it only if it took the very next number: a gap means another tab
    or person saved in between, which this session has not seen, so what it has seen stays
    as it was (a sign-off on it is then refused until the assessment is read again)."""
    if revision == int(st.session_state[COUNTER]) + 1:
        st.session_state[COUNTER] = revision


def revisions() -> dict[str, int]:
    value: dict[str, int] = st.session_state[REVISIONS]
    return value


def conflicts() -> dict[str, Conflict]:
    value: dict[str, Conflict] = st.session_state[CONFLICTS]
    return value


def details_conflict() -> DetailsConflict | None:
    value: DetailsConflict | None = st.session_state.get(DETAILS_CONFLICT)
    return value


def item_problems() -> dict[str, str]:
    value: dict[str, str] = st.session_state[ITEM_PROBLEMS]
    return value


def flash(kind: Kind, text: str) -> None:
    st.session_state[FLASH] = [*st.session_state[FLASH], (kind, text)]


def take_flash() -> list[tuple[Kind, str]]:
    messages: list[tuple[Kind, str]] = st.session_state[FLASH]
    st.session_state[FLASH] = []
    return messages


def set_pending_upload(pending: object | None) -> None:
    """An uploaded file waiting for the user's choice (``incoming.PendingUpload``), or none;
    either way any merge in progress, and its choices, are forgotten."""
    st.session_state[PENDING_UPLOAD] = pending
    st.session_state[MERGING] = False
    for key in [k for k in st.session_state if str(k).startswith(MERGE_WIDGET_PREFIX)]:
        del st.session_state[key]


def set_params(changes: Mapping[str, str | None]) -> None:
    """Put these values in the page address (None takes one out), in one change and only if
    something changes.

    Every change of the address is a step the browser's Back button has to undo, and each
    assignment to ``st.query_params`` is a change of its own: two parameters set one after
    the other are two steps, so they are set together here.
    """
    current = st.query_params.to_dict()
    wanted = {k: v for k, v in {**current, **changes}.items() if v is not None}
    if wanted != current:
        st.query_params.from_dict(wanted)
