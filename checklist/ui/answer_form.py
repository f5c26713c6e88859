"""The answer widgets of one item, fitted to its answer type, saved the moment they change.

Widget values are seeded from the stored answer when a widget (re)appears, and every change
goes through ``_changed``: read all of the item's widgets, build an ``Answer``, save it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from checklist.access import Forbidden
from checklist.assessment import Answer
from checklist.database import explain
from checklist.schema import ChoiceAnswer, ElementsAnswer, Item, NumberAnswer
from checklist.store import Conflict, NotFound, Unfit
from checklist.ui import fragments, resources, state, workspace
from checklist.ui.text import escape
from checklist.wording import ELEMENT_LABELS, STATUS_LABELS, describe_answer

MAX_PROVISION = 1000  # characters in one provision line, as the assessment file allows
MAX_EXCERPT_SHOWN = 600  # characters of an excerpt shown in a conflict
# Widgets holding the evidence typed for an item, which clearing its answer keeps.
EVIDENCE_PARTS = frozenset({"provisions", "excerpt", "source_url", "note", "details"})


def render(item: Item, answer: Answer | None) -> None:
    show_problem(item.id)
    _empty_if_cleared(item)
    _seed(item, answer)
    spec = item.answer
    if isinstance(spec, NumberAnswer):
        _number(item, spec)
    elif isinstance(spec, ChoiceAnswer):
        _choice(item, spec)
    elif isinstance(spec, ElementsAnswer):
        _elements(item, spec)
    else:
        _radio(
            item,
            "status",
            "How far does domestic law cover this?",
            _status_options(item),
            STATUS_LABELS,
        )
    _clear_action(item, answer)
    _law_fields(item)
    conflict = state.conflicts().get(item.id)
    if conflict is not None:
        _conflict_panel(item, conflict)


def conflict_side(item: Item, answer: Answer | None) -> str:
    """One side of a conflict, whole, as plain text (shown with ``st.text``, never as
    markdown): the verdict, then the provisions, excerpt, link and note, so that the lawyer
    can judge which to keep. Only a very long excerpt is cut, visibly."""
    a = answer or Answer()
    lines = [describe_answer(item, a)]
    if a.provisions:
        lines.append("Provisions:")
        lines.extend(f"  {provision}" for provision in a.provisions)
    if a.excerpt:
        lines.append(f"Excerpt: {_shortened(a.excerpt)}")
    if a.source_url:
        lines.append(f"Link: {a.source_url}")
    if a.note:
        lines.append(f"Note: {a.note}")
    return "\n".join(lines)


def _shortened(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= MAX_EXCERPT_SHOWN:
        return flat
    return f"{flat[:MAX_EXCERPT_SHOWN].rstrip()}… ({len(flat):,} characters in all)"


# -- widgets ---------------------------------------------------------------------------------


def _key(item: Item, part: str) -> str:
    return state.widget_key(item.id, part)


def _status_options(item: Item) -> list[str]:
    options = ["covered", "partly", "not-covered", "unknown"]
    return [*options, "not-applicable"] if item.answer.allow_not_applicable else options


def _radio(item: Item, part: str, label: str, options: list[str], labels: dict[str, str]) -> None:
    st.radio(
        label,
        options,
        index=None,
        format_func=lambda v: labels.get(v, v),
        horizontal=True,
        key=_key(item, part),
        on_change=_changed,
        args=(item.id,),
    )


def _number(item: Item, spec: NumberAnswer) -> None:
    whole = all(float(v).is_integer() for v in (spec.minimum, spec.maximum, spec.threshold))
    unknown = bool(st.session_state.get(_key(item, "unknown")))
    st.number_input(
        f"Age in {spec.unit}" if spec.unit == "years" else f"Value ({spec.unit})",
        min_value=int(spec.minimum) if whole else spec.minimum,
        max_value=int(spec.maximum) if whole else spec.maximum,
        step=1 if whole else 0.5,
        value=None,
        placeholder="Type the age and press Enter",
        key=_key(item, "value"),
        on_change=_changed,
        args=(item.id,),
        disabled=unknown,
        width=260,
    )
    st.caption(
        f"The Committee asks that every person under {spec.threshold:g} be protected: enter "
        f"the age up to which the law protects a child (e.g. {spec.threshold:g} when it "
        f"protects everyone under {spec.threshold:g}). {spec.threshold:g} or more counts as "
        f"covered; anything lower is a gap."
    )
    st.checkbox(
        STATUS_LABELS["unknown"],
        key=_key(item, "unknown"),
        on_change=_changed,
        args=(item.id,),
    )
    if spec.allow_not_applicable:
        st.checkbox(
            STATUS_LABELS["not-applicable"],
            key=_key(item, "na"),
            on_change=_changed,
            args=(item.id,),
        )


def _choice(item: Item, spec: ChoiceAnswer) -> None:
    labels = {o.value: o.label for o in spec.options} | STATUS_LABELS
    options = [o.value for o in spec.options] + ["unknown"]
    if spec.allow_not_applicable:
        options.append("not-applicable")
    _radio(item, "choice", "Choose the answer that fits", options, labels)


def _elements(item: Item, spec: ElementsAnswer) -> None:
    st.markdown("**Is each conduct covered?**")
    for element in spec.elements:
        _radio(
            item,
            f"el:{element.id}",
            element.label,
            ["covered", "not-covered", "unknown"],
            ELEMENT_LABELS,
        )
    if spec.allow_not_applicable:
        st.checkbox(
            STATUS_LABELS["not-applicable"],
            key=_key(item, "na"),
            on_change=_changed,
            args=(item.id,),
        )


def _clear_action(item: Item, answer: Answer | None) -> None:
    if answer is None or not answer.has_verdict:
        return
    st.button(
        "Clear answer (keeps provisions and notes)",
        key=f"clear:{item.id}",
        on_click=_clear,
        args=(item.id,),
        type="tertiary",
        icon=":material/backspace:",
        help="Back to unanswered. The provisions, excerpt, link and note below are kept; "
        "empty those boxes yourself if you no longer need them.",
    )


def _law_fields(item: Item) -> None:
    st.text_area(
        "Domestic provision(s) relied on, one per line",
        key=_key(item, "provisions"),
        placeholder="e.g. Penal Code, art. 366 quater",
        height=68,
        max_chars=5000,
        on_change=_changed,
        args=(item.id,),
    )
    details = st.toggle(
        "Add an excerpt, a source link or a note",
        key=_key(item, "details"),
        help="Shown open whenever one of them is filled in.",
    )
    if not details:
        return
    st.text_area(
        "Excerpt of the provision",
        key=_key(item, "excerpt"),
        max_chars=20_000,
        on_change=_changed,
        args=(item.id,),
    )
    st.text_input(
        "Source link (official gazette, legislation database)",
        key=_key(item, "source_url"),
        max_chars=2000,
        placeholder="https://",
        on_change=_changed,
        args=(item.id,),
    )
    st.text_area(
        "Note (reasoning, case law, doubts)",
        key=_key(item, "note"),
        max_chars=20_000,
        on_change=_changed,
        args=(item.id,),
    )


def _conflict_panel(item: Item, conflict: Conflict) -> None:
    with st.container(border=True):
        st.warning(
            "This answer was changed in another tab or window after you opened it, so yours "
            "was **not saved**. Choose which one to keep.",
            icon=":material/sync_problem:",
        )
        st.markdown("**Saved by the other tab:**")
        st.text(conflict_side(item, conflict.theirs))
        st.markdown("**Yours (not saved):**")
        st.text(conflict_side(item, conflict.mine))
        st.button(
            "Keep the saved answer",
            key=f"conflict:{item.id}:theirs",
            on_click=_settle,
            args=(item.id, workspace.take_theirs),
            type="primary",  # the safe choice: nothing anyone saved is lost
            width="stretch",
        )
        st.button(
            "Overwrite it with mine",
            key=f"conflict:{item.id}:mine",
            on_click=_settle,
            args=(item.id, workspace.overwrite),
            width="stretch",
        )


def _settle(item_id: str, choice: Callable[[str], None]) -> None:
    choice(item_id)
    fragments.rerun_after_answer(item_id)


# -- between widgets and answers -------------------------------------------------------------


def _seed(item: Item, answer: Answer | None) -> None:
    """Give each widget that is (re)appearing the stored value (widget keys are dropped
    whenever their widget was not on the page)."""
    for part, value in _widget_values(item, answer).items():
        key = _key(item, part)
        if key not in st.session_state and value is not None:
            st.session_state[key] = value


def _widget_values(item: Item, answer: Answer | None) -> dict[str, Any]:
    a = answer or Answer()
    spec = item.answer
    values: dict[str, Any] = {
        "provisions": "\n".join(a.provisions),
        "excerpt": a.excerpt,
        "source_url": a.source_url,
        "note": a.note,
        "details": bool(a.excerpt or a.source_url or a.note),
    }
    if isinstance(spec, NumberAnswer):
        whole = all(float(v).is_integer() for v in (spec.minimum, spec.maximum, spec.threshold))
        value = a.value
        values["value"] = int(value) if whole and value is not None else value
        values["unknown"] = a.status == "unknown"
        values["na"] = a.status == "not-applicable"
    elif isinstance(spec, ChoiceAnswer):
        values["choice"] = a.choice or (
            a.status if a.status in ("unknown", "not-applicable") else None
        )
    elif isinstance(spec, ElementsAnswer):
        for element in spec.elements:
            values[f"el:{element.id}"] = a.elements.get(element.id)
        values["na"] = a.status == "not-applicable"
    else:
        values["status"] = a.status
    return values


def _read(item: Item, previous: Answer | None) -> dict[str, Any] | str:
    """The answer the item's widgets now show, as the fields of an ``Answer``, or why it
    cannot be one. A field whose widget is not on the page (excerpt, link and note can be
    folded away) keeps its value."""
    before = previous or Answer()

    def get(part: str) -> Any:
        return st.session_state.get(_key(item, part))

    def text(part: str) -> str:
        key = _key(item, part)
        value = st.session_state[key] if key in st.session_state else getattr(before, part)
        return str(value or "")

    provisions = _provisions(get("provisions") or "")
    if isinstance(provisions, str):
        return provisions
    data: dict[str, Any] = {
        "provisions": provisions,
        "excerpt": text("excerpt"),
        "source_url": text("source_url").strip(),
        "note": text("note"),
    }
    spec = item.answer
    if isinstance(spec, NumberAnswer):
        flag = "unknown" if get("unknown") else "not-applicable" if get("na") else None
        value = get("value")
        data["status"] = flag
        data["value"] = None if flag or value is None else float(value)
    elif isinstance(spec, ChoiceAnswer):
        chosen = get("choice")
        if chosen in ("unknown", "not-applicable"):
            data["status"] = chosen
        else:
            data["choice"] = chosen
    elif isinstance(spec, ElementsAnswer):
        data["elements"] = {
            e.id: get(f"el:{e.id}") for e in spec.elements if get(f"el:{e.id}") is not None
        }
        data["status"] = "not-applicable" if get("na") else None
    else:
        data["status"] = get("status")
    return data


def _provisions(text: str) -> list[str] | str:
    """One provision a line, or why not: a line over the limit is refused, never cut (as
    the workbook reader does), so the lawyer sees it and moves the quoted text."""
    lines = [line.strip() for line in text.splitlines()]
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_PROVISION:
            return (
                f"the provision on line {number} is longer than {MAX_PROVISION:,} characters "
                f"({len(line):,}). Put each provision on a line of its own, and the quoted "
                "text in Excerpt (under 'Add an excerpt, a source link or a note')"
            )
    return [line for line in lines if line]


def _changed(item_id: str) -> None:
    answer = _shown(item_id)
    if isinstance(answer, str):
        _problem(item_id, f"This answer was **not saved**: {escape(answer)}.")
    else:
        _save(item_id, answer)
    fragments.rerun_after_answer(item_id)


def _clear(item_id: str) -> None:
    """Save the item's answer without its verdict, like any change (so a newer answer from
    another tab is a conflict, not overwritten), and show it cleared."""
    answer = _shown(item_id)
    if isinstance(answer, str):
        _problem(item_id, f"This answer was **not cleared**: {escape(answer)}.")
    elif _save(item_id, answer.cleared()):
        st.session_state[state.CLEARED_ITEMS] = {*st.session_state[state.CLEARED_ITEMS], item_id}
    fragments.rerun_after_answer(item_id)


def _empty_if_cleared(item: Item) -> None:
    """Empty the verdict widgets of an item just cleared (saved, or refused as a conflict:
    either way they show the cleared answer); its evidence widgets keep their text."""
    cleared: set[str] = st.session_state[state.CLEARED_ITEMS]
    if item.id not in cleared:
        return
    st.session_state[state.CLEARED_ITEMS] = cleared - {item.id}
    values = _widget_values(item, Answer())
    for part in values.keys() - EVIDENCE_PARTS:
        st.session_state[_key(item, part)] = values[part]


def _shown(item_id: str) -> Answer | str:
    """The answer the item's widgets show, or why it is not acceptable."""
    item = resources.checklist().item(item_id)
    assessment = state.assessment()
    previous = assessment.answers.get(item_id) if assessment is not None else None
    data = _read(item, previous)
    return data if isinstance(data, str) else workspace.answer_from(data)


def _save(item_id: str, answer: Answer) -> bool:
    """Save through the workspace; False (with the reason shown in the item) if the database
    refused it. A conflict counts as handled: the item shows it."""
    try:
        workspace.save_answer(item_id, answer)
    except Unfit as unfit:
        _problem(item_id, f"This answer was **not saved**: {escape(unfit.reason)}.")
        return False
    except Forbidden as refused:  # a team server: not this user's to change
        _problem(item_id, f"This answer was **not saved**: {escape(str(refused))}")
        return False
    except NotFound:
        _problem(
            item_id,
            "This answer was **not saved**: the assessment has been deleted (in another tab "
            "or window). Download its file from the Results page if you want to keep it.",
        )
        return False
    except SQLAlchemyError as error:
        _problem(
            item_id,
            "This answer was **not saved**: the database did not accept it "
            f"({escape(explain(error)[1])}). What you typed is still in the form. Try again in "
            "a moment; if it keeps failing, download the assessment file from the Results page "
            "to keep your work.",
        )
        return False
    return True


def _problem(item_id: str, message: str) -> None:
    st.session_state[state.ITEM_PROBLEMS] = {**state.item_problems(), item_id: message}


def show_problem(item_id: str) -> None:
    """Show (once) why the last change to this item was not saved."""
    problems = state.item_problems()
    if item_id in problems:
        st.error(problems[item_id], icon=":material/error:")
        st.session_state[state.ITEM_PROBLEMS] = {k: v for k, v in problems.items() if k != item_id}
