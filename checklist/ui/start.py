"""Start page: what the tool does, the open assessment, a new one, saved work; files and
back-ups come from ``checklist.ui.files``."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from checklist.access import team_mode
from checklist.assessment import Assessment
from checklist.database import sqlite_path
from checklist.store import (
    Details,
    DetailsConflict,
    Listing,
    NotFound,
    Store,
    Summary,
)
from checklist.ui import (
    downloads,
    files,
    identity,
    incoming,
    navigation,
    resources,
    state,
    workspace,
)
from checklist.ui.messages import show_flash
from checklist.ui.text import escape, percent
from checklist.wording import long_date

# Saved assessments listed at once; the rest are a search or a page away.
PER_PAGE = 20
SEARCH = "start:search"
PAGE = "start:page"

WHAT_IT_DOES = """
Checks a State's **criminal law** against the Optional Protocol to the Convention on the
Rights of the Child on the sale of children, child prostitution and child pornography (OPSC),
and against the points the Committee on the Rights of the Child raises when it reviews States.
You answer one question per obligation and cite the domestic provisions; the tool scores the
answers openly (see *About and method*) and lists the gaps, gravest first, each with a
recommendation worded as the Committee would.
"""

WHAT_IT_DOES_NOT = """
It is a self-assessment aid, **not legal advice**: it does not read your legislation, and the
score is only as good as the answers. It covers the criminal-law core of the Protocol
(articles 1-5 and 8); the rest of the Protocol is an optional module. Answers are saved as you
go in this app's own database (on a personal installation, a file on this computer); nothing
is sent anywhere else.
"""


def render() -> None:
    show_flash()
    st.title("OPSC Gap Check")
    store = resources.store()  # if the saved work cannot be opened, says why and stops here
    if store.read_only:
        _read_only(store)
    left, right = st.columns(2, gap="large")
    left.markdown(WHAT_IT_DOES)
    right.markdown(WHAT_IT_DOES_NOT)
    pending = incoming.pending_upload()
    if pending is not None:
        identity.ask("start")  # replacing or merging is recorded under the name given
        files.pending_choice(pending)
    current = state.assessment()
    if current is not None:
        _open_now(current)
    new_col, saved_col = st.columns([2, 3], gap="large")
    with new_col:
        _new_assessment()
    with saved_col:
        _saved_assessments()
    files.open_file()
    files.backups()


def _read_only(store: Store) -> None:
    st.warning(
        f"**Nothing can be saved here at the moment: {escape(store.read_only or '')}.** You "
        "can open your assessments and download them, or a back-up of all of them; answers, "
        "new assessments and restores cannot be saved. To work again, make the database file "
        "and its folder writable (or copy the file to a folder you can write to and set "
        "`OPSC_DB_URL` to it), then reload the page. The database is:",
        icon=":material/lock:",
    )
    st.code(str(sqlite_path(store.url) or store.url), language=None)


# -- the open assessment ---------------------------------------------------------------------


def _open_now(assessment: Assessment) -> None:
    result = workspace.result()
    assert result is not None
    with st.container(border=True):
        st.markdown(
            f"**Open now: {escape(assessment.jurisdiction) or 'untitled'}**"
            + (f" · {escape(assessment.title)}" if assessment.title else "")
        )
        st.caption(
            f"{escape(result.verdict_label)} · treaty score {percent(result.treaty_score)} · "
            f"{result.answered} of {result.total} questions answered · "
            f"{len(result.gaps)} gap(s) so far  \n"
            f"Law as it stood on {long_date(result.law_date)} · Scope: {escape(result.scope_title)}"
        )
        go_on, results, download, close = st.columns(4)
        if go_on.button(
            "Continue the questionnaire", key="start:continue", type="primary", width="stretch"
        ):
            navigation.go("questionnaire")
        if results.button("See the results", key="start:results", width="stretch"):
            navigation.go("results")
        with download:
            downloads.assessment_file(assessment, key="start:download-json")
        close.button("Close it", key="start:close", on_click=workspace.close, width="stretch")
        _details_form(assessment)


def _details_form(assessment: Assessment) -> None:
    conflict = state.details_conflict()
    with st.expander("Change the details of this assessment", expanded=conflict is not None):
        if conflict is not None:
            _details_conflict(conflict)
        with st.form("details-form", border=False):
            key = functools.partial(state.details_key, assessment.id)
            jurisdiction = st.text_input(
                "Country or jurisdiction",
                value=assessment.jurisdiction,
                max_chars=200,
                key=key("jurisdiction"),
            )
            assessor = st.text_input(
                "Assessor", value=assessment.assessor, max_chars=200, key=key("assessor")
            )
            title = st.text_input("Title", value=assessment.title, max_chars=300, key=key("title"))
            scope, date, law_date = _scope_and_dates(
                key, assessment.scope, assessment.date, assessment.law_as_of
            )
            if st.form_submit_button("Save the details", key=key("save")):
                if not jurisdiction.strip():
                    st.error("Give the country or jurisdiction.")
                    return
                details = _details(jurisdiction, assessor, title, scope, date, law_date)
                try:
                    workspace.save_details(details)
                except workspace.NotSaved as problem:
                    _not_saved(problem)
                    return
                st.rerun()


def _details_conflict(conflict: DetailsConflict) -> None:
    st.warning(
        "The details were changed in another tab or window after you opened this "
        "assessment, so yours were not saved. Saved there:"
    )
    theirs = conflict.theirs
    scope = resources.checklist().scope(theirs.scope).title
    law = f"law as it stood on {theirs.law_date}" if theirs.law_date else ""
    st.text(
        " · ".join(x for x in (theirs.jurisdiction, theirs.assessor, theirs.title, scope, law) if x)
    )
    if st.button("Load the saved details", key="details:reload"):
        workspace.reload()  # also empties the form, which then shows the saved details
        st.rerun()


# -- new and saved ---------------------------------------------------------------------------


def _new_assessment() -> None:
    st.subheader("Start a new assessment", anchor=False)
    if team_mode():  # a team server: whose the new assessment is
        from checklist.ui import team

        team.home_team_choice()
    with st.form("new-assessment", border=True):
        jurisdiction = st.text_input(
            "Country or jurisdiction (required)",
            key="new:jurisdiction",
            max_chars=200,
            placeholder="e.g. Ruritania",
        )
        assessor = st.text_input(
            "Assessor (you, your team or institution)", key="new:assessor", max_chars=200
        )
        your_name = (
            st.text_input(
                "Your name (recorded with each change you make)",
                key="new:your-name",
                max_chars=200,
                placeholder="e.g. María Pérez",
            )
            if not identity.current()
            else ""
        )
        title = st.text_input(
            "Title (optional)",
            key="new:title",
            max_chars=300,
            placeholder="e.g. Penal Code as amended in 2024",
        )
        today = dt.date.today()
        scope, date, law_date = _scope_and_dates(
            "new:{}".format, resources.checklist().default_scope.id, today, today
        )
        submitted = st.form_submit_button("Create and start", type="primary", key="new:create")
    if submitted:
        if not jurisdiction.strip():
            st.error("Give the country or jurisdiction the assessment is about.")
            return
        details = _details(jurisdiction, assessor, title, scope, date, law_date)
        identity.remember(your_name)
        try:
            workspace.create(details)
        except workspace.NotSaved as problem:
            _not_saved(problem)
            return
        navigation.go("questionnaire", section=resources.checklist().sections[0].id)


def _not_saved(problem: workspace.NotSaved) -> None:
    st.error(
        f"{escape(str(problem))} What you entered is still in the form.",
        icon=":material/error:",
    )


def _scope_and_dates(
    key: Callable[[str], str], scope: str, date: dt.date, law_date: dt.date
) -> tuple[str, dt.date, dt.date]:
    """The scope and the two dates, as the new-assessment and the details forms ask them."""
    scopes = {s.id: s for s in resources.checklist().scopes}
    chosen = st.radio(
        "What to assess",
        list(scopes),
        index=list(scopes).index(scope),
        format_func=lambda s: scopes[s].title,
        key=key("scope"),
        help="The scope can be changed later; answers outside it are kept, not scored.",
    )
    law, made = st.columns(2)
    law_as_of = law.date_input(
        "Law as it stood on",
        value=law_date,
        min_value=dt.date(1900, 1, 1),
        max_value=dt.date(2100, 12, 31),
        key=key("law_date"),
        help="The date of the law assessed, e.g. the day before a reform you compare against.",
        format="YYYY-MM-DD",
    )
    assessed = made.date_input(
        "Date of the assessment",
        value=date,
        min_value=dt.date(1900, 1, 1),
        max_value=dt.date(2100, 12, 31),
        key=key("date"),
        format="YYYY-MM-DD",
    )
    return str(chosen), _one_date(assessed, date), _one_date(law_as_of, law_date)


def _details(
    jurisdiction: str, assessor: str, title: str, scope: str, date: dt.date, law_date: dt.date
) -> Details:
    """What the new-assessment and the details forms give, as the store takes it."""
    return Details(
        jurisdiction=jurisdiction.strip(),
        assessor=assessor.strip(),
        title=title.strip(),
        scope=scope,
        date=date,
        law_date=law_date,
    )


def _one_date(value: object, fallback: dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else fallback


def _saved_assessments() -> None:
    """One page of saved work, most recently saved first; a search and pages once there is
    more than a page of it (only the page shown is scored: ``Store.list_page``)."""
    st.subheader("Resume saved work", anchor=False)
    listing, search, page = _page_asked()
    if not listing.total:
        st.caption("Nothing saved yet. Assessments you create appear here.")
        return
    if listing.total > PER_PAGE:
        st.text_input(
            "Find saved work",
            key=SEARCH,
            placeholder="Country, title or assessor",
            on_change=_first_page,
        )
    if not listing.matching:
        st.caption(f"No saved assessment matches “{escape(search)}”.")
        return
    current = state.assessment()
    for summary in listing.summaries:
        _summary_row(summary, is_open=current is not None and current.id == summary.id)
    if listing.matching > PER_PAGE:
        _pager(listing, search, page)


def _page_asked() -> tuple[Listing, str, int]:
    """The page of saved work the search box and the page number ask for (the last page if
    there are fewer now), with that search and page number."""
    search = str(st.session_state.get(SEARCH, "")).strip()
    page = int(st.session_state.get(PAGE, 1) or 1)
    listing = _listing(search, page)
    if search and listing.total <= PER_PAGE:  # no search box then: a search left from before
        search = ""
        listing = _listing(search, page)
    pages = max(1, math.ceil(listing.matching / PER_PAGE))
    if page > pages:
        page = st.session_state[PAGE] = pages
        listing = _listing(search, page)
    return listing, search, page


def _pager(listing: Listing, search: str, page: int) -> None:
    first = (page - 1) * PER_PAGE + 1
    shown, pager = st.columns([3, 1], vertical_alignment="center")
    shown.caption(
        f"Showing {first}–{first + len(listing.summaries) - 1} of {listing.matching:,}"
        + (f" matching “{escape(search)}”" if search else " saved assessments")
        + ", most recently saved first."
    )
    pages = math.ceil(listing.matching / PER_PAGE)
    pager.number_input("Page", min_value=1, max_value=pages, step=1, key=PAGE)


def _listing(search: str, page: int) -> Listing:
    try:
        return resources.store().list_page(
            resources.checklist(),
            resources.methodology(),
            search=search,
            offset=(page - 1) * PER_PAGE,
            limit=PER_PAGE,
        )
    except SQLAlchemyError as error:
        resources.cannot_read(error)


def _first_page() -> None:
    st.session_state[PAGE] = 1


def _summary_row(summary: Summary, is_open: bool) -> None:
    with st.container(border=True):
        about, figures, action = st.columns([4, 3, 2], vertical_alignment="center")
        about.markdown(f"**{escape(summary.jurisdiction) or 'Untitled'}**")
        details = [escape(x) for x in (summary.title, summary.assessor) if x]
        about.caption(" · ".join(details) or "—")
        figures.caption(
            f"{summary.answered} of {summary.total} answered "
            f"({percent(summary.share_answered)}) · treaty score "
            f"{percent(summary.treaty_score)}  \n"
            f"law as it stood on {long_date(summary.law_date.isoformat())} · "
            f"last saved {summary.updated_at:%d %b %Y, %H:%M} UTC"
        )
        if action.button(
            "Open" if not is_open else "Open (already)",
            key=f"open:{summary.id}",
            disabled=is_open,
            width="stretch",
        ) and workspace.open_assessment(summary.id):
            navigation.go("questionnaire", section=_first_unfinished_section())
        action.button(
            "Delete…",
            key=f"delete:{summary.id}",
            on_click=workspace.ask_to_delete,
            args=(summary.id,),
            type="tertiary",
            icon=":material/delete:",
            width="stretch",
        )
        if workspace.pending_delete() == summary.id:
            _confirm_delete(summary)


def _confirm_delete(summary: Summary) -> None:
    try:
        assessment = resources.store().load(summary.id).assessment
    except NotFound:
        workspace.cancel_delete()
        return
    name = " · ".join(x for x in (summary.jurisdiction or "Untitled", summary.title) if x)
    st.warning(
        f"Delete **{escape(name)}** and its {summary.answered} answer(s)? This cannot be "
        "undone; download the file first to keep a copy.",
        icon=":material/delete_forever:",
    )
    downloads.assessment_file(
        assessment, key=f"delete:{summary.id}:download", label="Download its file first (.json)"
    )
    confirm, cancel = st.columns(2)
    confirm.button(
        "Delete it for good",
        key=f"delete:{summary.id}:confirm",
        on_click=workspace.delete,
        args=(summary.id, name),
        type="primary",
        width="stretch",
    )
    cancel.button(
        "Cancel",
        key=f"delete:{summary.id}:cancel",
        on_click=workspace.cancel_delete,
        width="stretch",
    )


def _first_unfinished_section() -> str:
    result = workspace.result()
    if result is None or not result.sections:
        return ""
    unfinished = [s.id for s in result.sections if s.answered < s.total]
    return unfinished[0] if unfinished else result.sections[0].id
