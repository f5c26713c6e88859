"""The action plan: every gap's action, by target date then severity, overdue ones marked.
Actions are edited on Results, under each gap (and in the workbook's Action plan sheet)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from checklist import action_plan
from checklist.ui import action_form, identity, navigation, state, workspace
from checklist.ui.messages import show_flash
from checklist.ui.text import escape
from checklist.wording import SEVERITY_LABELS


def render() -> None:
    show_flash()
    assessment = state.assessment()
    if assessment is None:
        navigation.nothing_open("Action plan", "plan")
        return
    result = workspace.result()
    assert result is not None
    st.title("Action plan", anchor=False)
    st.caption(
        "What is to be done about each gap, by whom and by when: soonest target date first, "
        "then the gravest gap. Edit an action below, on the Results page under its gap, or in "
        "the workbook's Action plan sheet."
    )
    today = dt.date.today()
    plan = action_plan.lines(assessment, result, today=today)
    if not plan:
        st.success("No gap, and no action planned.")
        return
    figures = action_plan.counts(plan)
    for column, (label, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(label, value, border=True)
    if figures["Overdue"]:
        st.warning(
            f"{figures['Overdue']} action(s) are past their target date and neither done nor "
            "dropped.",
            icon=":material/schedule:",
        )
    rows = [
        {
            "Due": line.planned.due,
            "Overdue": "OVERDUE" if line.overdue else "",
            "Gap": line.title,
            "Severity": SEVERITY_LABELS.get(line.severity, "no longer a gap"),
            "Action": line.planned.action if line.saved else f"(proposed) {line.planned.action}",
            "Institution": line.planned.institution,
            "Priority": action_plan.PRIORITY_LABELS.get(line.planned.priority, "")
            if line.planned.priority
            else "",
            "Status": action_plan.STATUS_LABELS[line.planned.status] if line.saved else "",
            "Note": line.planned.note,
        }
        for line in plan
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key="plan:table",
        column_config={"Due": st.column_config.DateColumn("Due", format="YYYY-MM-DD")},
    )
    st.subheader("Edit an action", anchor=False)
    st.caption(
        "Also here: actions whose item is no longer a gap (the law was found to cover it). An "
        "action is never deleted; mark it done or dropped."
    )
    identity.ask("plan")
    for line in plan:
        st.markdown(
            f"**{escape(line.title)}**" + ("" if line.still_a_gap else " (no longer a gap)")
        )
        action_form.render(line.item_id, line.recommendation, where="plan")
