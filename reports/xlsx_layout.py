"""The shape of the Excel workbook: what the writer lays out and the reader looks for.

Sheet names, the Summary field labels, the Items columns and the answers a row allows are a
contract between ``reports.xlsx`` (which writes a workbook) and ``reports.xlsx_reader`` (which
takes one back). Change them only with a new ``WORKBOOK_VERSION``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from checklist.schema import Item
from checklist.wording import STATE_LABELS
from reports.rows import plain

WORKBOOK_FORMAT: Final = "opsc-gap-check/workbook"
# 2: law date, scope, answers outside the scope kept in _meta; 3: the Action plan sheet
WORKBOOK_VERSION: Final = 3
MAX_CELL: Final = 32_767

SUMMARY, GAPS, ITEMS, METHODOLOGY, PROTOCOL, LISTS, META = (
    "Summary",
    "Gaps",
    "Items",
    "Methodology",
    "Protocol",
    "Lists",
    "_meta",
)
JURISDICTION, ASSESSOR, TITLE, DATE, LAW_DATE, SCOPE = (
    "Jurisdiction",
    "Assessor",
    "Assessment title",
    "Date",
    "Law as it stood on",
    "Scope",
)
# The Summary rows a person may edit, in order; workbooks of format 1 had no law date and no
# scope, but a Yes/No row for articles 6-10 (EXTENDED) that still reads back.
SUMMARY_FIELDS = (JURISDICTION, ASSESSOR, TITLE, DATE, LAW_DATE, SCOPE)
REQUIRED_SUMMARY_FIELDS = (JURISDICTION, ASSESSOR, TITLE, DATE)
EXTENDED = "Include articles 6-10 in the score"
YES, NO = "Yes", "No"


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    hidden: bool = False
    fill_in: bool = False


ITEM_COLUMNS: Final = (
    Column("Item ID", 16, hidden=True),
    Column("Element ID", 12, hidden=True),
    Column("Section", 18),
    Column("Item", 28),
    Column("Question", 40),
    Column("Obligation", 22),
    Column("How to answer", 24),
    Column("Status", 16, fill_in=True),
    Column("Value", 9, fill_in=True),
    Column("Choice", 24, fill_in=True),
    Column("Domestic provisions", 28, fill_in=True),
    Column("Excerpt", 36, fill_in=True),
    Column("Source URL", 20, fill_in=True),
    Column("Note", 32, fill_in=True),
    Column("Score", 8),
    Column("Result", 15),
    Column("Finding", 28),
)
COL = {c.title: n for n, c in enumerate(ITEM_COLUMNS, start=1)}
ITEMS_HEADER_ROW: Final = 3


def clean_text(text: str) -> str:
    """What a cell can hold: no control characters, one kind of line break, 32,767 chars."""
    text = plain(text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def status_labels(item: Item) -> list[str]:
    """The Status answers an item's row allows, as the drop-down shows them."""
    return [STATE_LABELS[s] for s in allowed_statuses(item)]


def allowed_statuses(item: Item) -> list[str]:
    spec = item.answer
    statuses = (
        ["covered", "partly", "not-covered", "unknown"] if spec.type == "status" else ["unknown"]
    )
    if spec.allow_not_applicable:
        statuses.append("not-applicable")
    return statuses
