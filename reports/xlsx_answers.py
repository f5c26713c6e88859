"""One item's rows of a returned workbook, read back into an ``Answer``.

Every cell is checked against what the item allows - the status labels (today's and earlier
versions'), the number's range, the options, the conduct elements, the length of the text -
and anything else raises ``FileProblem`` naming the sheet, row and column.
``reports.xlsx_reader`` finds the rows and calls ``item_answer`` (``loose_answer`` for an item
the checklist no longer has).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from checklist.assessment import MAX_TEXT, Answer
from checklist.assessment_file import FileProblem
from checklist.schema import ChoiceAnswer, ElementsAnswer, Item, NumberAnswer
from checklist.wording import ELEMENT_LABELS, FORMER_LABELS, STATE_LABELS
from reports.xlsx_layout import ITEMS, MAX_CELL, allowed_statuses, clean_text, status_labels


@dataclass
class ItemLines:
    """The rows of one item: its own row and, for conduct items, one row per element."""

    row: int
    cells: dict[str, object]
    elements: dict[str, tuple[int, object]] = field(default_factory=dict)


def text_cell(value: object, source: str, where: str, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime | dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    text = clean_text(text)
    if len(text) > limit:
        raise FileProblem(
            source, where, f"the text is {len(text):,} characters long; at most {limit:,} fit here."
        )
    return text


def iso_date(value: object) -> str | None:
    """A cell's date as 2026-05-31, from a date cell or text written so; None if it is not
    one (the caller names the cell)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


def at(row: int, column: str) -> str:
    return f"sheet {ITEMS}, row {row}, column {column}"


def item_answer(item: Item, lines: ItemLines, source: str) -> Answer:
    cells, row = lines.cells, lines.row
    spec = item.answer
    status_text = text_cell(cells["Status"], source, at(row, "Status"), 100).strip()
    status = None
    if status_text:
        allowed = status_labels(item)
        status = _match(status_text, _readable(STATE_LABELS, allowed_statuses(item)))
        if status is None:
            raise FileProblem(
                source,
                at(row, "Status"),
                f"'{status_text}' is not an answer to '{item.id}'; choose one of: "
                f"{', '.join(allowed)}.",
            )
    value = _number_cell(item, cells["Value"], source, row)
    choice = _choice_cell(item, cells["Choice"], source, row)
    elements: dict[str, str] = {}
    if isinstance(spec, ElementsAnswer):
        ids = {e.id for e in spec.elements}
        for element_id, (element_row, raw) in lines.elements.items():
            if element_id not in ids:
                raise FileProblem(
                    source,
                    at(element_row, "Element ID"),
                    f"'{item.id}' has no conduct '{element_id}' (its conducts: "
                    f"{', '.join(e.id for e in spec.elements)}).",
                )
            text = text_cell(raw, source, at(element_row, "Status"), 100).strip()
            if text:
                tick = _match(text, _readable(ELEMENT_LABELS))
                if tick is None:
                    raise FileProblem(
                        source,
                        at(element_row, "Status"),
                        f"'{text}' is not an answer for a conduct; choose one of: "
                        f"{', '.join(ELEMENT_LABELS.values())}.",
                    )
                elements[element_id] = tick
    elif lines.elements:
        element_row = min(r for r, _ in lines.elements.values())
        raise FileProblem(
            source, at(element_row, "Element ID"), f"'{item.id}' has no conduct elements."
        )
    return Answer.model_validate(
        {
            "status": status,
            "value": value,
            "choice": choice,
            "elements": elements,
            **_texts(cells, source, row),
        }
    )


def _match(text: str, options: dict[str, str]) -> str | None:
    """The value of the option whose label (or value) ``text`` is, ignoring case and dashes."""
    wanted = fold(text)
    for label, value in options.items():
        if wanted in (fold(label), fold(value)):
            return value
    return None


def fold(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


def _number_cell(item: Item, raw: object, source: str, row: int) -> float | None:
    spec = item.answer
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(spec, NumberAnswer):
        raise FileProblem(
            source,
            at(row, "Value"),
            f"'{item.id}' is not answered with a number; leave Value empty (the grey cell).",
        )
    number: float | None
    if isinstance(raw, bool):
        number = None
    elif isinstance(raw, int | float):
        number = float(raw)
    else:
        try:
            number = float(str(raw).strip().replace(",", "."))
        except ValueError:
            number = None
    if number is None or number != number:  # NaN
        raise FileProblem(
            source,
            at(row, "Value"),
            f"'{raw}' is not a number; enter {spec.unit} as a number from {spec.minimum:g} to "
            f"{spec.maximum:g}, or set Status to {STATE_LABELS['unknown']}.",
        )
    if not spec.minimum <= number <= spec.maximum:
        raise FileProblem(
            source,
            at(row, "Value"),
            f"{number:g} is out of range for '{item.id}' ({spec.minimum:g}-{spec.maximum:g} "
            f"{spec.unit}).",
        )
    return number


def _choice_cell(item: Item, raw: object, source: str, row: int) -> str | None:
    text = text_cell(raw, source, at(row, "Choice"), 1000).strip()
    if not text:
        return None
    spec = item.answer
    if not isinstance(spec, ChoiceAnswer):
        raise FileProblem(
            source,
            at(row, "Choice"),
            f"'{item.id}' has no options to choose from; leave Choice empty (the grey cell).",
        )
    value = _match(text, {o.label: o.value for o in spec.options})
    if value is None:
        raise FileProblem(
            source,
            at(row, "Choice"),
            f"'{text}' is not an option of '{item.id}'; choose one of: "
            f"{', '.join(o.label for o in spec.options)}.",
        )
    return value


def _texts(cells: dict[str, object], source: str, row: int) -> dict[str, Any]:
    provisions_text = text_cell(
        cells["Domestic provisions"], source, at(row, "Domestic provisions"), MAX_CELL
    )
    provisions = [p.strip() for p in provisions_text.split("\n") if p.strip()]
    for provision in provisions:
        if len(provision) > 1000:
            raise FileProblem(
                source,
                at(row, "Domestic provisions"),
                "a provision is longer than 1,000 characters; put each provision on a line of "
                "its own and the quoted text in Excerpt.",
            )
    return {
        "provisions": provisions,
        "excerpt": text_cell(cells["Excerpt"], source, at(row, "Excerpt"), MAX_TEXT),
        "source_url": text_cell(cells["Source URL"], source, at(row, "Source URL"), 2000).strip(),
        "note": text_cell(cells["Note"], source, at(row, "Note"), MAX_TEXT),
    }


def loose_answer(lines: ItemLines, source: str) -> Answer:
    """An answer to an item this checklist no longer has, kept as written so that reconcile
    can set it aside in ``archived_answers`` rather than lose it."""
    cells, row = lines.cells, lines.row
    status_text = text_cell(cells["Status"], source, at(row, "Status"), 100).strip()
    status = _match(status_text, _readable(STATE_LABELS))
    value = cells["Value"] if isinstance(cells["Value"], int | float) else None
    choice = text_cell(cells["Choice"], source, at(row, "Choice"), 1000).strip() or None
    elements = {}
    for element_id, (element_row, raw) in lines.elements.items():
        text = text_cell(raw, source, at(element_row, "Status"), 100)
        tick = _match(text, _readable(ELEMENT_LABELS))
        if tick:
            elements[element_id] = tick
    return Answer.model_validate(
        {
            "status": status if status != "unanswered" else None,
            "value": float(value) if value is not None else None,
            "choice": choice,
            "elements": elements,
            **_texts(cells, source, row),
        }
    )


def _readable(labels: dict[str, str], keys: Iterable[str] | None = None) -> dict[str, str]:
    """label -> key for reading a typed label back: today's labels, and those of earlier
    versions (a workbook exported before may say "Unknown")."""
    wanted = list(labels) if keys is None else list(keys)
    found = {labels[k]: k for k in wanted}
    for k in wanted:
        found |= dict.fromkeys(FORMER_LABELS.get(k, ()), k)
    return found
