"""The form of one gap's planned action, on Results and on the Action plan page.

Saved only when the user presses Save; what they typed stays in the form if it was not
saved (another tab saved a different action first, or the database refused it).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from checklist import action_plan
from checklist.assessment import PlannedAction
from checklist.ui import record, state
from checklist.ui.text import escape

NO_PRIORITY = ""


def render(item_id: str, recommendation: str, where: str) -> None:
    """An expander holding the form; ``where`` keeps two pages' widget keys apart."""
    assessment = state.assessment()
    if assessment is None:
        return
    saved = assessment.actions.get(item_id)
    planned = saved or action_plan.proposed(recommendation)
    label = (
        f"Action: {action_plan.STATUS_LABELS[planned.status].lower()}"
        + (f", due {planned.due:%d %b %Y}" if planned.due else "")
        + (" (overdue)" if planned.overdue(dt.date.today()) else "")
        if saved
        else "Plan an action"
    )
    key = f"{where}:action:{item_id}"
    with st.expander(label, icon=":material/task_alt:"), st.form(key, border=False):
        action = st.text_area("Action decided", value=planned.action, key=f"{key}:action")
        left, right = st.columns(2)
        institution = left.text_input(
            "Responsible institution",
            value=planned.institution,
            max_chars=300,
            key=f"{key}:institution",
            placeholder="e.g. Ministry of Justice",
        )
        due = right.date_input(
            "Target date", value=planned.due, key=f"{key}:due", format="YYYY-MM-DD"
        )
        priorities = [NO_PRIORITY, *action_plan.PRIORITY_LABELS]
        priority = left.selectbox(
            "Priority",
            priorities,
            index=priorities.index(planned.priority or NO_PRIORITY),
            format_func=lambda p: action_plan.PRIORITY_LABELS.get(p, "Not set"),
            key=f"{key}:priority",
        )
        statuses = list(action_plan.STATUS_LABELS)
        status = right.selectbox(
            "Status",
            statuses,
            index=statuses.index(planned.status),
            format_func=action_plan.STATUS_LABELS.__getitem__,
            key=f"{key}:status",
        )
        note = st.text_area("Note", value=planned.note, key=f"{key}:note", height=68)
        if st.form_submit_button("Save the action", type="primary"):
            try:
                wanted = PlannedAction.model_validate(
                    {
                        "action": action,
                        "institution": institution,
                        "due": due if isinstance(due, dt.date) else None,
                        "priority": priority or None,
                        "status": status,
                        "note": note,
                    }
                )
            except ValueError as error:
                st.error(f"Not saved: {escape(str(error).splitlines()[0])}. Your text is kept.")
                return
            try:
                conflict = record.save_action(item_id, wanted)
            except record.NotDone as problem:
                st.error(f"{escape(str(problem))} Your text is kept in the form.")
                return
            if conflict is not None:
                theirs = conflict.theirs.action if conflict.theirs else "(none)"
                st.warning(
                    "Another tab or person saved a different action for this gap after you "
                    f"opened it: **{escape(theirs)}**. Yours is not saved and is kept in the "
                    "form; press Save again to put yours in its place."
                )
                return
            st.success("Action saved.")
