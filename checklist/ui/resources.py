"""Things every session shares: the database connection and the checklist content.

The checklist, methodology and Protocol are cached by the loader itself (read once per
process); the store is cached per database URL, so a test or a team server can point
``OPSC_DB_URL`` elsewhere. On a team server every page gets that store guarded for the
signed-in person (``checklist.guarded_store``): what they may not do is refused there, not
only hidden here.
A database that cannot be opened stops the page with the panel of ``checklist.ui.recovery``.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from checklist.access import Forbidden, team_mode
from checklist.database import Unusable
from checklist.loader import (
    ContentErrors,
    default_checklist,
    default_methodology,
    default_protocol,
    load_about,
)
from checklist.methodology import Methodology
from checklist.schema import Checklist
from checklist.store import Store, default_url
from checklist.treaty import Protocol


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The database (on a team server, as the signed-in person may use it: ``guarded``). If
    it cannot be opened, the page says why and stops (``recovery``)."""
    try:
        opened = _store(default_url())
    except Unusable as problem:
        from checklist.ui import recovery  # only when something is wrong

        recovery.cannot_open(problem)
    return guarded(opened) if team_mode() else opened


def guarded(opened: Store) -> Store:
    """``opened`` for the signed-in person, new assessments going to the team they chose;
    ``Forbidden`` if nobody is signed in (fails closed, e.g. a callback after signing out)."""
    from checklist.guarded_store import GuardedStore
    from checklist.ui import identity, state

    user = identity.user()
    if user is None:
        raise Forbidden("Sign in first: on this team server nothing is shown or saved before.")
    return GuardedStore(opened, user, home_team=st.session_state.get(state.HOME_TEAM) or None)


def cannot_read(error: SQLAlchemyError) -> NoReturn:
    """A read failed on a database that opened: the same panel as if it had not opened."""
    from checklist.ui import recovery

    recovery.cannot_open(Unusable.of(default_url(), error))


def open_store(url: str) -> Store:
    """The cached store for ``url``; raises ``Unusable`` if it cannot be opened."""
    return _store(url)


def forget_store() -> None:
    """Drop the cached store (its database file was renamed aside)."""
    _store.clear()


def checklist() -> Checklist:
    return default_checklist()


def methodology() -> Methodology:
    return default_methodology()


def protocol() -> Protocol:
    return default_protocol()


def about_text() -> str | None:
    """The content team's ``about.md``, or None while it does not exist."""
    try:
        return load_about()
    except FileNotFoundError:
        return None


def content_problem() -> str | None:
    """Why the checklist content cannot be loaded (for whoever is editing it), or None."""
    try:
        checklist()
        methodology()
        protocol()
    except ContentErrors as errors:
        return str(errors)
    return None
