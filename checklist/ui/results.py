"""Results: the verdict and the separate scores, the sections, the ranked gaps, what is left
to do, the method, and the reports."""

from __future__ import annotations

import streamlit as st

from checklist import drafting
from checklist.assessment import Assessment
from checklist.methodology import Methodology
from checklist.scoring import Gap, Pending, Result
from checklist.ui import action_form, downloads, identity, navigation, state, workspace
from checklist.ui.messages import show_flash
from checklist.ui.text import escape, percent
from checklist.wording import SEVERITY_LABELS, STATE_LABELS, describe_references, long_date

SEVERITY_COLOURS = {"critical": "red", "high": "orange", "medium": "yellow", "low": "gray"}


def render() -> None:
    show_flash()
    assessment = state.assessment()
    if assessment is None:
        navigation.nothing_open("Results", "results")
        return
    result = workspace.result()
    assert result is not None
    st.title("Results", anchor=False)
    identity.ask("results")  # the action plan below records who planned what
    st.caption(
        " · ".join(
            escape(x) for x in (assessment.jurisdiction, assessment.title, assessment.assessor) if x
        )
    )
    st.caption(
        f"Law as it stood on {long_date(result.law_date)} · assessed {long_date(result.date)}"
        f" · Scope: {escape(result.scope_title)}"
    )
    _drafting(assessment, result)
    _verdict(result)
    _headline(result)
    _downloads(assessment)
    _sections(result)
    _gaps(result)
    _to_do(result)
    _methodology(result.methodology)
    plan, versions, compare = st.columns(3)
    if plan.button(
        "Action plan",
        key="results:plan",
        icon=":material/task_alt:",
        help="Every gap's action by target date, overdue ones marked.",
    ):
        navigation.go("plan")
    if versions.button(
        "Versions and sign-off",
        key="results:versions",
        icon=":material/verified:",
        help="Freeze this assessment under a name, or record a reviewer's decision.",
    ):
        navigation.go("versions")
    if compare.button(
        "Compare with another assessment",
        key="results:compare",
        icon=":material/compare_arrows:",
    ):
        navigation.go("compare")


def _drafting(assessment: Assessment, result: Result) -> None:
    """Where review stands (progress, not compliance) and whether this is a cleared version."""
    counts = drafting.review_progress(assessment, [r.id for r in result.items])
    clearance = drafting.clearance(assessment)
    st.caption(
        f"Review: {drafting.progress_text(counts)} (progress, not compliance) · "
        f"{escape(clearance.describe())}"
    )


VERDICT_BOXES = {
    "treaty-shortfall": st.error,
    "incomplete": st.info,
    "committee-departures": st.warning,
    "meets-all": st.success,
}


def _verdict(result: Result) -> None:
    """The headline: the verdict in words, then the three scores kept apart."""
    VERDICT_BOXES[result.verdict](
        f"**{escape(result.verdict_label)}.** {escape(' '.join(result.verdict_meaning.split()))}",
        icon=":material/gavel:",
    )
    columns = st.columns(3)
    for column, (kind, spec) in zip(columns, result.methodology.scores.items(), strict=True):
        value = result.score_of(kind)
        column.metric(
            spec.label,
            percent(value),
            border=True,
            help=result.ceiling.capitalize() + "." if kind == "treaty" and result.ceiling else None,
        )
    if result.ceiling:
        st.caption(f"Treaty score {escape(result.ceiling)}.")


def _headline(result: Result) -> None:
    answered, gaps, research = st.columns(3)
    answered.metric(
        "Answered",
        f"{result.answered} of {result.total}",
        border=True,
        help="Items with a verdict. 'Not known' is listed as to research, not as answered.",
    )
    by_severity = result.gaps_by_severity()
    gaps.metric(
        "Gaps",
        len(result.gaps),
        border=True,
        help=", ".join(f"{n} {s}" for s, n in by_severity.items()),
    )
    research.metric(STATE_LABELS["unknown"], len(result.unknowns), border=True)
    if result.unanswered:
        st.info(
            f"{len(result.unanswered)} question(s) are not answered yet. Until they are, they "
            "count as not covered, so the scores will change as you answer them.",
            icon=":material/pending_actions:",
        )


def _sections(result: Result) -> None:
    st.subheader("Score by section", anchor=False)
    st.caption("Every item of a section, good practice included, for orientation.")
    from checklist.ui import charts  # Altair only when this page is shown

    st.altair_chart(
        charts.section_scores(result),
        theme=None,
        width="stretch",
        alt="Bar chart of the score of each section, from 0 to 100%.",
    )


def _gaps(result: Result) -> None:
    st.subheader("Gaps, gravest first", anchor=False)
    if not result.gaps:
        st.success("No gap found in the answers given so far.")
        return
    titles = {g.section_id: g.section_title for g in result.gaps}
    by_section, by_severity = st.columns(2)
    sections = by_section.multiselect(
        "Only these sections",
        list(titles),
        format_func=titles.__getitem__,
        key="results:filter:sections",
        placeholder="All sections",
    )
    order = result.methodology.severity_order
    severities = by_severity.multiselect(
        "Only these severities",
        order,
        format_func=SEVERITY_LABELS.__getitem__,
        key="results:filter:severities",
        placeholder="All severities",
    )
    shown = [
        g
        for g in result.gaps
        if (not sections or g.section_id in sections)
        and (not severities or g.severity in severities)
    ]
    st.caption(f"Showing {len(shown)} of {len(result.gaps)} gap(s).")
    for gap in shown:
        _gap(gap)


def _gap(gap: Gap) -> None:
    with st.container(border=True, key=f"gap:{gap.id}"):
        head, action = st.columns([5, 1], vertical_alignment="top")
        colour = SEVERITY_COLOURS[gap.severity]
        head.markdown(
            f"**{gap.rank}. {gap.title}** &nbsp; :{colour}-badge[{SEVERITY_LABELS[gap.severity]}]"
        )
        head.caption(f"{gap.section_title} · {gap.kind_label} · {gap.treaty_ref}")
        found = gap.reason or STATE_LABELS[gap.state].lower()
        head.markdown(f"Found: {found[0].upper() + found[1:]}.")
        head.markdown(f"**Recommendation.** {gap.recommendation}")
        if gap.references:
            head.caption("Committee: " + describe_references(gap.references))
        with head:
            action_form.render(gap.id, gap.recommendation, where="results")
        if action.button("Review the answer", key=f"results:gap:{gap.id}", width="stretch"):
            navigation.go("questionnaire", section=gap.section_id, item=gap.id)


def _to_do(result: Result) -> None:
    st.subheader("Still to do", anchor=False)
    if not result.unknowns and not result.unanswered:
        st.success("Every question has an answer, and none is marked 'not known'.")
        return
    research, unanswered = st.columns(2, gap="large")
    with research:
        st.markdown(f"**{STATE_LABELS['unknown']} · {len(result.unknowns)}**")
        for pending in result.unknowns:
            _pending(pending, "research")
    with unanswered:
        st.markdown(f"**{STATE_LABELS['unanswered']} · {len(result.unanswered)}**")
        for pending in result.unanswered:
            _pending(pending, "answer")


def _pending(pending: Pending, kind: str) -> None:
    detail = (
        f" (elements: {', '.join(pending.unknown_elements)})" if pending.unknown_elements else ""
    )
    if st.button(
        f"{pending.title}{detail}",
        key=f"results:{kind}:{pending.id}",
        icon=":material/arrow_forward:",
        type="tertiary",
        help="Open this question",
    ):
        navigation.go("questionnaire", section=pending.section_id, item=pending.id)


def _downloads(assessment: Assessment) -> None:
    json_col, reports_col = st.columns([1, 3])
    with json_col:
        downloads.assessment_file(assessment, key="results:download:json")
    with reports_col:
        downloads.reports(assessment, key="results:download")


def _methodology(methodology: Methodology) -> None:
    with st.expander("How the score is calculated"):
        method(methodology)


def method(methodology: Methodology) -> None:
    """The methodology in words and tables (also on the About page)."""
    st.markdown(methodology.explanation)
    weights, scores = st.columns(2)
    weights.markdown("**Weight of an item, by obligation strength**")
    weights.table(
        {
            "Strength": [methodology.strength_labels[s] for s in methodology.weights],
            "Weight": [f"{w:g}" for w in methodology.weights.values()],
        }
    )
    scores.markdown("**What an answer scores**")
    scores.table(
        {
            "Answer": [
                *(STATE_LABELS[s] for s in ("covered", "partly", "not-covered")),
                f"{STATE_LABELS['unknown']} / {STATE_LABELS['unanswered']}",
            ],
            "Score": [
                f"{methodology.status_scores['covered']:g}",
                f"{methodology.status_scores['partly']:g}",
                f"{methodology.status_scores['not-covered']:g}",
                "0",
            ],
        }
    )
