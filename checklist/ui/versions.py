"""Versions and sign-off: freeze the assessment under a name, open a version read-only, report
it, compare it, and record a reviewer's decision on an exact version.

What a report shows is final only while it is exactly a version whose latest decision
cleared it (checklist.drafting.clearance); everything else is a draft, and says so.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from checklist import drafting
from checklist.assessment import Assessment, Decision, Version
from checklist.scoring import score
from checklist.ui import downloads, identity, navigation, record, resources, state, workspace
from checklist.ui.messages import show_flash
from checklist.ui.text import escape, percent
from checklist.wording import SEVERITY_LABELS

DECISIONS: tuple[Decision, ...] = ("cleared", "returned")


def render() -> None:
    show_flash()
    if state.assessment() is None:
        navigation.nothing_open("Versions and sign-off", "versions")
        return
    if not identity.ask("versions"):
        return
    assessment = record.refreshed()
    wanted = st.query_params.get(state.PARAM_VERSION, "")
    shown = drafting.version(assessment, wanted) if wanted else None
    if shown is not None:
        _version_view(assessment, shown)
        return
    st.title("Versions and sign-off", anchor=False)
    _status(drafting.clearance(assessment))
    st.caption(
        "A version freezes the whole assessment under a name (e.g. 'Sent to the Committee, "
        "December 2026'); later changes do not alter it. A reviewer clears a version or "
        "returns it for more work. Reports say Draft on every page until what they show is a "
        "cleared version."
    )
    save, sign = st.columns(2)
    with save:
        _save_form()
    with sign:
        _sign_current_form()
    if st.button(
        "Read the assessment again as saved now",
        key="versions:reload",
        icon=":material/refresh:",
        help="A version or sign-off is of the assessment as you last saw it, and is refused "
        "if someone changed it since: read it again to see and sign what is saved now.",
    ):
        workspace.reload()
        st.rerun()
    _list(assessment)


def _status(clearance: drafting.Clearance) -> None:
    box = st.success if clearance.final else st.info
    box(escape(clearance.describe()), icon=":material/verified:")


def _default_name() -> str:
    return f"Version of {dt.date.today():%d %B %Y}"


def _save_form() -> None:
    with st.form("versions:save", border=True):
        st.markdown("**Save a version**")
        name = st.text_input("Name", value=_default_name(), max_chars=300, key="versions:save:name")
        if st.form_submit_button("Save this version", icon=":material/bookmark_add:"):
            try:
                version = record.save_version(name)
            except record.NotDone as problem:
                st.error(escape(str(problem)), icon=":material/error:")
                return
            state.flash("success", f"Saved version '{escape(version.name)}'.")
            st.rerun()


def _sign_current_form() -> None:
    with st.form("versions:sign-current", border=True):
        st.markdown("**Sign off the assessment as it is now**")
        st.caption("Saves it as a version, and records your decision on that version.")
        name = st.text_input(
            "Name of the version",
            value=f"Signed off on {dt.date.today():%d %B %Y}",
            max_chars=300,
            key="versions:sign-current:name",
        )
        decision = st.radio(
            "Decision",
            DECISIONS,
            format_func=drafting.DECISION_LABELS.__getitem__,
            horizontal=True,
            key="versions:sign-current:decision",
        )
        note = st.text_area("Note (optional)", key="versions:sign-current:note", height=80)
        if st.form_submit_button("Record the decision", type="primary"):
            try:
                version, _ = record.sign_off_current(name, decision, note)
            except record.NotDone as problem:
                st.error(escape(str(problem)), icon=":material/error:")
                return
            state.flash(
                "success",
                f"Recorded: version '{escape(version.name)}' "
                f"{drafting.DECISION_LABELS[decision].lower()} by {escape(identity.current())}.",
            )
            st.rerun()


def _list(assessment: Assessment) -> None:
    st.subheader("Saved versions", anchor=False)
    if not assessment.versions:
        st.caption("No version saved yet.")
        return
    for version in reversed(assessment.versions):
        with st.container(border=True):
            _version_heading(assessment, version)
            opened, compare = st.columns(2)
            if opened.button(
                "Open read-only", key=f"versions:open:{version.id}", icon=":material/visibility:"
            ):
                state.set_params({state.PARAM_VERSION: version.id})
                st.rerun()
            if compare.button(
                "Compare with the current state",
                key=f"versions:compare:{version.id}",
                icon=":material/compare_arrows:",
            ):
                navigation.go_compare(f"{assessment.id}@{version.id}", assessment.id)


def _version_heading(assessment: Assessment, version: Version) -> None:
    st.markdown(f"**{escape(version.name)}**")
    st.caption(f"Saved by {escape(version.author)} on {version.at:%d %b %Y %H:%M} UTC")
    for decision in drafting.sign_offs_of(assessment, version.id):
        line = (
            f"{drafting.DECISION_LABELS[decision.decision]} by {escape(decision.author)} on "
            f"{decision.at:%d %b %Y %H:%M} UTC"
        )
        st.markdown(f"- {line}" + (f": {escape(decision.note)}" if decision.note else ""))


def _version_view(assessment: Assessment, version: Version) -> None:
    """One version, read-only: its verdict and scores, its gaps, its reports, and a sign-off
    on exactly this version."""
    frozen = assessment.as_of(version)
    if st.button("Back to all versions", key="versions:back", icon=":material/arrow_back:"):
        st.query_params.pop(state.PARAM_VERSION, None)
        st.rerun()
    st.title(f"Version: {escape(version.name)}", anchor=False)
    st.caption(
        "Read-only: this is the assessment as it was saved then. Changes are made in "
        "the questionnaire, to the current state."
    )
    _version_heading(assessment, version)
    _status(drafting.clearance(frozen))
    result = score(resources.checklist(), frozen, resources.methodology())
    st.markdown(f"**{escape(result.verdict_label)}.**")
    columns = st.columns(3)
    for column, (kind, spec) in zip(columns, result.methodology.scores.items(), strict=True):
        column.metric(spec.label, percent(result.score_of(kind)), border=True)
    st.caption(f"{result.answered} of {result.total} answered · {len(result.gaps)} gap(s)")
    downloads.reports(frozen, key=f"versions:download:{version.id}")
    if st.button(
        "Compare with the current state",
        key="versions:view:compare",
        icon=":material/compare_arrows:",
    ):
        navigation.go_compare(f"{assessment.id}@{version.id}", assessment.id)
    if result.gaps:
        st.subheader("Gaps in this version", anchor=False)
        for gap in result.gaps:
            st.markdown(f"- **{SEVERITY_LABELS[gap.severity]}** · {escape(gap.title)}")
    _sign_version_form(assessment, version)


def _sign_version_form(assessment: Assessment, version: Version) -> None:
    seen = len(drafting.sign_offs_of(assessment, version.id))
    with st.form(f"versions:sign:{version.id}", border=True):
        st.markdown("**Sign off this version**")
        decision = st.radio(
            "Decision",
            DECISIONS,
            format_func=drafting.DECISION_LABELS.__getitem__,
            horizontal=True,
            key=f"versions:sign:{version.id}:decision",
        )
        note = st.text_area("Note (optional)", key=f"versions:sign:{version.id}:note", height=80)
        if st.form_submit_button("Record the decision", type="primary"):
            try:
                record.sign_off(version, decision, note, decisions_seen=seen)
            except record.NotDone as problem:
                st.error(escape(str(problem)), icon=":material/error:")
                return
            state.flash(
                "success",
                f"Recorded: '{escape(version.name)}' "
                f"{drafting.DECISION_LABELS[decision].lower()} by {escape(identity.current())}.",
            )
            st.rerun()
