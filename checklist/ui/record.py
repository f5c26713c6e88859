"""The drafting record of the open assessment, as the pages change it: review states,
comments, restoring an earlier answer, named versions and sign-offs.

Every change goes to the database at once with the user's name (``identity``), then is
mirrored in the session. What the database refuses comes back as ``NotDone`` with a message
to show (plain text: escape it); nothing the user typed is cleared unless it was saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from checklist import drafting
from checklist.assessment import (
    Answer,
    Assessment,
    Decision,
    PlannedAction,
    ReviewState,
    SignOff,
    Version,
)
from checklist.database import explain, sqlite_path
from checklist.drafting_store import ActionConflict, ItemRecord
from checklist.store import Conflict, NotFound, Refused, Saved, Unfit
from checklist.ui import fragments, identity, resources, state


class NotDone(Exception):
    """A change not made; ``str()`` says why and what to do."""


T = TypeVar("T")


def _run(what: str, action: Callable[[], T]) -> T:
    """Call ``action`` and turn a refusal or a database failure into ``NotDone``."""
    try:
        return action()
    except Refused as refused:
        raise NotDone(f"{what}: {refused}") from refused
    except Unfit as unfit:  # e.g. an earlier answer this checklist can no longer take
        raise NotDone(f"{what}: {unfit.reason}.") from unfit
    except NotFound:
        raise NotDone(
            f"{what}: the assessment has been deleted (in another tab or window)."
        ) from None
    except (SQLAlchemyError, OSError) as error:
        reason = explain(error, sqlite_path(resources.store().url))[1]
        raise NotDone(f"{what}: {reason}. Try again in a moment.") from error


def _open() -> Assessment:
    assessment = state.assessment()
    if assessment is None:
        raise NotDone("No assessment is open.")
    return assessment


def _mirror(**parts: object) -> None:
    assessment = state.assessment()
    if assessment is not None:
        st.session_state[state.ASSESSMENT] = assessment.model_copy(update=parts)


def item_record(item_id: str, newest: int = 30) -> ItemRecord:
    """One item's latest changes, review states and comments, read fresh from the database."""
    return resources.store().item_record(_open().id, item_id, newest=newest)


def set_review(item_id: str, review: ReviewState) -> None:
    assessment = _open()
    entry = _run(
        "The review state was not saved",
        lambda: resources.store().set_review(
            assessment.id, item_id, review, author=identity.current()
        ),
    )
    _mirror(reviews=[*assessment.reviews, entry])


def add_comment(item_id: str, text: str) -> None:
    assessment = _open()
    entry = _run(
        "The comment was not saved",
        lambda: resources.store().add_comment(
            assessment.id, item_id, text, author=identity.current()
        ),
    )
    _mirror(comments=[*assessment.comments, entry])


def restore_answer(item_id: str, earlier: Answer | None) -> Conflict | None:
    """Bring back an earlier answer: saved as a new answer (with its own history entry). A
    conflict (another tab changed it meanwhile) is kept for the item to show, as for any
    save."""
    assessment = _open()
    outcome = _run(
        "The earlier answer was not brought back",
        lambda: resources.store().restore_answer(
            assessment.id,
            item_id,
            earlier,
            state.revisions().get(item_id, 0),
            checklist=resources.checklist(),
            author=identity.current(),
        ),
    )
    if isinstance(outcome, Conflict):
        st.session_state[state.CONFLICTS] = {**state.conflicts(), item_id: outcome}
        return outcome
    saved: Saved = outcome
    restored = (earlier or Answer()).model_copy(update={"updated_at": saved.updated_at})
    answers = {**assessment.answers, item_id: restored}
    st.session_state[state.ASSESSMENT] = assessment.model_copy(update={"answers": answers})
    st.session_state[state.REVISIONS] = {**state.revisions(), item_id: saved.revision}
    state.saw_own_save(saved.revision)
    st.session_state[state.LAST_SAVED] = saved.updated_at
    state.clear_answer_widgets(item_id)
    fragments.rerun_after_answer(item_id)
    return None


def save_action(item_id: str, planned: PlannedAction) -> ActionConflict | None:
    """Save a gap's planned action on the revision this session last saw. A conflict is
    returned (nothing saved) and this session now knows the other revision, so saving again
    replaces it deliberately."""
    assessment = _open()
    seen = dict(st.session_state[state.ACTION_REVISIONS])
    outcome = _run(
        "The action was not saved",
        lambda: resources.store().save_action(
            assessment.id, item_id, planned, seen.get(item_id, 0), author=identity.current()
        ),
    )
    if isinstance(outcome, ActionConflict):
        st.session_state[state.ACTION_REVISIONS] = {**seen, item_id: outcome.revision}
        return outcome
    revision, at = outcome
    kept = planned.model_copy(update={"updated_at": at})
    _mirror(actions={**assessment.actions, item_id: kept})
    st.session_state[state.ACTION_REVISIONS] = {**seen, item_id: revision}
    state.saw_own_save(revision)
    st.session_state[state.LAST_SAVED] = at
    return None


def save_version(name: str) -> Version:
    """Freeze the open assessment as this session last saw it (refused if it changed)."""
    assessment = _open()
    version = _run(
        "The version was not saved",
        lambda: resources.store().save_version(
            assessment.id, name, author=identity.current(), expected=state.seen_stamp()
        ),
    )
    _mirror(versions=[*assessment.versions, version])
    return version


def sign_off(version: Version, decision: Decision, note: str, decisions_seen: int) -> SignOff:
    assessment = _open()
    entry = _run(
        "The sign-off was not recorded",
        lambda: resources.store().sign_off(
            assessment.id,
            version.id,
            decision,
            author=identity.current(),
            note=note,
            decisions_seen=decisions_seen,
        ),
    )
    _mirror(sign_offs=[*assessment.sign_offs, entry])
    return entry


def sign_off_current(name: str, decision: Decision, note: str) -> tuple[Version, SignOff]:
    """Freeze the open assessment as last seen and record the decision on it."""
    assessment = _open()
    outcome = _run(
        "The sign-off was not recorded",
        lambda: resources.store().sign_off_current(
            assessment.id,
            name,
            decision,
            author=identity.current(),
            expected=state.seen_stamp(),
            note=note,
        ),
    )
    version, entry = outcome
    _mirror(versions=[*assessment.versions, version], sign_offs=[*assessment.sign_offs, entry])
    return version, entry


def refreshed() -> Assessment:
    """The open assessment's versions and sign-offs as saved now (another person may have
    added some), mirrored in the session."""
    assessment = _open()
    record = resources.store().record(assessment.id, parts=drafting.SESSION_PARTS)
    fresh = Assessment.model_validate({**assessment.model_dump(exclude=set(record)), **record})
    st.session_state[state.ASSESSMENT] = fresh
    return fresh


def clearance() -> drafting.Clearance:
    return drafting.clearance(_open())
