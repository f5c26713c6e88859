"""Reading a returned workbook: the checklist filled in offline, back into an assessment.

``read`` takes a workbook written by ``reports.xlsx``, checking the container (that is
``reports.xlsx_container``'s), the layout and every cell before anything changes; whatever is
wrong raises ``FileProblem`` with the sheet, row and column to look at.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook

from checklist.assessment import FORMAT, FORMAT_VERSION, Answer
from checklist.assessment_file import FileProblem, Loaded, from_dict
from checklist.schema import Checklist
from reports.xlsx_answers import (
    ItemLines,
    at,
    fold,
    iso_date,
    item_answer,
    loose_answer,
    text_cell,
)
from reports.xlsx_container import MAX_UNZIPPED_BYTES as MAX_UNZIPPED_BYTES
from reports.xlsx_container import MAX_ZIP_ENTRIES as MAX_ZIP_ENTRIES
from reports.xlsx_container import check_container
from reports.xlsx_layout import (
    ASSESSOR,
    COL,
    DATE,
    EXTENDED,
    ITEM_COLUMNS,
    ITEMS,
    JURISDICTION,
    LAW_DATE,
    META,
    REQUIRED_SUMMARY_FIELDS,
    SCOPE,
    SUMMARY,
    SUMMARY_FIELDS,
    TITLE,
    WORKBOOK_FORMAT,
    WORKBOOK_VERSION,
)
from reports.xlsx_plan import PLAN, read_plan


def read(data: bytes, source: str, checklist: Checklist) -> Loaded:
    """A returned workbook -> the assessment it holds, or ``FileProblem``; nothing half-read."""
    check_container(data, source)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileProblem(source, "", _damaged(error)) from None
    try:
        return _read_workbook(wb, source, checklist)
    except FileProblem:
        raise
    except Exception as error:  # malformed XML inside a sheet surfaces while reading it
        raise FileProblem(source, "", _damaged(error)) from None
    finally:
        wb.close()


def _damaged(error: Exception) -> str:
    detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    kind = type(error).__name__
    return (
        f"the workbook is damaged or not in Excel format ({kind}{': ' + detail if detail else ''}). "
        "Open it in Excel and save it again as .xlsx, or export a fresh workbook from the tool."
    )


def _read_workbook(wb: Any, source: str, checklist: Checklist) -> Loaded:
    for name in (META, SUMMARY, ITEMS):
        if name not in wb.sheetnames:
            raise FileProblem(source, f"sheet {name}", _missing_sheet(name))
    meta = _read_meta(wb[META], source)
    summary = _read_summary(wb[SUMMARY], source, checklist)
    strict = meta["checklist_version"] in ("", checklist.version)
    answers = _read_items(wb[ITEMS], source, checklist, strict)
    read = {k: v.model_dump(mode="json", exclude_none=True) for k, v in answers.items()}
    planned = read_plan(wb[PLAN], source) if PLAN in wb.sheetnames else None
    raw = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": meta["assessment_id"],
        "checklist_version": meta["checklist_version"],
        # the Items sheet wins over a copy kept for an item outside the scope
        "answers": {**meta["out_of_scope_answers"], **read},
        "archived_answers": meta["archived_answers"],
        **summary,
    }
    for stamp in ("created_at", "updated_at"):
        if meta[stamp]:
            raw[stamp] = meta[stamp]
    if planned is not None:
        raw["actions"] = planned
    loaded = from_dict(raw, source, checklist)
    if planned is None:  # a workbook of an earlier format: it says nothing of the plan
        loaded.lacks = frozenset({"actions"})
        loaded.notices.append(
            "This workbook, of an earlier format, has no Action plan sheet: any action plan "
            "already saved for this assessment is kept as it is."
        )
    return loaded


def _missing_sheet(name: str) -> str:
    if name == META:
        return (
            "this workbook was not exported by OPSC Gap Check (its hidden sheet _meta is "
            "missing). Export a workbook from the tool, fill that in and import it."
        )
    return f"the sheet '{name}' is missing. Was it renamed or deleted? Restore it, or export a fresh workbook."


def _read_meta(ws: Any, source: str) -> dict[str, Any]:
    found: dict[str, list[object]] = {}
    for line in ws.iter_rows(min_row=1, max_row=50, values_only=True):
        if line and isinstance(line[0], str):
            found[line[0]] = [v for v in line[1:] if v is not None]
    where = f"sheet {META}"
    if (found.get("format") or [None])[0] != WORKBOOK_FORMAT:
        raise FileProblem(source, where, "this workbook was not exported by OPSC Gap Check.")
    version = (found.get("format_version") or [None])[0]
    if isinstance(version, bool) or not isinstance(version, int | float) or version < 1:
        raise FileProblem(source, where, "the workbook format version is missing or invalid.")
    if version > WORKBOOK_VERSION:
        raise FileProblem(
            source,
            where,
            f"the workbook uses format version {version:g}, made by a newer version of this "
            f"tool (this one reads up to {WORKBOOK_VERSION}). Update the tool.",
        )
    assessment_id = str((found.get("assessment_id") or [""])[0]).strip()
    if not assessment_id:
        raise FileProblem(source, where, "the assessment ID is missing.")
    archived = _json_chunks(found, "archived_answers", [], source, where)
    outside = _json_chunks(found, "out_of_scope_answers", {}, source, where)
    if not isinstance(archived, list) or not isinstance(outside, dict):
        raise FileProblem(source, where, "the answers kept in this sheet are damaged.")
    return {
        "out_of_scope_answers": outside,
        "assessment_id": assessment_id,
        "checklist_version": str((found.get("checklist_version") or [""])[0]),
        "created_at": str((found.get("created_at") or [""])[0]),
        "updated_at": str((found.get("updated_at") or [""])[0]),
        "archived_answers": archived,
    }


def _json_chunks(
    found: dict[str, list[object]], key: str, empty: object, source: str, where: str
) -> Any:
    text = "".join(str(v) for v in found.get(key, []))
    try:
        return json.loads(text) if text else empty
    except (json.JSONDecodeError, ValueError):
        raise FileProblem(source, where, f"the {key.replace('_', ' ')} are damaged.") from None


def _read_summary(ws: Any, source: str, checklist: Checklist) -> dict[str, Any]:
    found: dict[str, tuple[int, object]] = {}
    labels = (*SUMMARY_FIELDS, EXTENDED)
    for row, line in enumerate(ws.iter_rows(min_row=1, max_row=30, max_col=2, values_only=True), 1):
        if line and isinstance(line[0], str) and line[0].strip() in labels:
            found.setdefault(line[0].strip(), (row, line[1] if len(line) > 1 else None))
    for label in REQUIRED_SUMMARY_FIELDS:
        if label not in found:
            raise FileProblem(
                source,
                f"sheet {SUMMARY}, column A",
                f"the row '{label}' is missing. Was the sheet edited? Restore the row.",
            )

    def text(label: str, limit: int) -> str:
        row, value = found[label]
        return text_cell(value, source, f"sheet {SUMMARY}, row {row}, column B", limit)

    date = _date_cell(*found[DATE], source)
    return {
        "jurisdiction": text(JURISDICTION, 200),
        "assessor": text(ASSESSOR, 200),
        "title": text(TITLE, 300),
        "date": date,
        "law_date": _date_cell(*found[LAW_DATE], source) if LAW_DATE in found else date,
        "scope": _scope_cell(found, source, checklist),
    }


def _scope_cell(found: dict[str, tuple[int, object]], source: str, checklist: Checklist) -> str:
    """The scope by its title (or ID); a workbook of format 1 says Yes/No for articles 6-10."""
    if SCOPE in found:
        row, value = found[SCOPE]
        where = f"sheet {SUMMARY}, row {row}, column B"
        text = text_cell(value, source, where, 200)
        if not text:
            return checklist.default_scope.id
        for scope in checklist.scopes:
            if fold(text) in (fold(scope.title), fold(scope.id)):
                return scope.id
        choices = "; ".join(f"'{s.title}'" for s in checklist.scopes)
        raise FileProblem(source, where, f"'{text}' is not a scope; choose one of: {choices}.")
    if EXTENDED in found:
        row, value = found[EXTENDED]
        where = f"sheet {SUMMARY}, row {row}, column B"
        flag = text_cell(value, source, where, 10).lower()
        if flag not in ("yes", "no", ""):
            raise FileProblem(source, where, f"'{value}' is not Yes or No.")
        return "whole-protocol" if flag == "yes" else checklist.default_scope.id
    raise FileProblem(
        source,
        f"sheet {SUMMARY}, column A",
        f"the row '{SCOPE}' is missing. Was the sheet edited? Restore the row.",
    )


def _date_cell(row: int, value: object, source: str) -> str:
    if (date := iso_date(value)) is not None:
        return date
    raise FileProblem(
        source,
        f"sheet {SUMMARY}, row {row}, column B",
        f"'{value if value is not None else ''}' is not a date; write it as 2026-05-31.",
    )


def _read_items(ws: Any, source: str, checklist: Checklist, strict: bool) -> dict[str, Answer]:
    header_row, columns = _find_header(ws, source)
    lines: dict[str, ItemLines] = {}
    for row, line in _data_rows(ws, header_row):
        cells = {title: line[col] if col < len(line) else None for title, col in columns.items()}
        item_id = text_cell(cells["Item ID"], source, at(row, "Item ID"), 200).strip()
        element_id = text_cell(cells["Element ID"], source, at(row, "Element ID"), 200).strip()
        if not item_id:
            if any(cells[c.title] not in (None, "") for c in ITEM_COLUMNS if c.fill_in):
                raise FileProblem(
                    source,
                    at(row, "Item ID"),
                    "this row has no item ID (hidden column A), so its answer cannot be "
                    "placed. Rows cannot be added to this sheet; answer in the item's own row.",
                )
            continue
        if element_id:
            owner = lines.get(item_id)
            if owner is None:
                raise FileProblem(
                    source,
                    at(row, "Item ID"),
                    f"the conduct row '{element_id}' comes before the row of its item '{item_id}'.",
                )
            if element_id in owner.elements:
                raise FileProblem(
                    source, at(row, "Element ID"), f"the conduct '{element_id}' appears twice."
                )
            owner.elements[element_id] = (row, cells["Status"])
            continue
        if item_id in lines:
            raise FileProblem(
                source,
                at(row, "Item ID"),
                f"the item '{item_id}' appears twice (first in row {lines[item_id].row}).",
            )
        lines[item_id] = ItemLines(row, cells)
    known = {item.id: item for item in checklist.items()}
    answers: dict[str, Answer] = {}
    for item_id, item_lines in lines.items():
        item = known.get(item_id)
        if item is None:
            if strict:
                raise FileProblem(
                    source,
                    at(item_lines.row, "Item ID"),
                    f"no item '{item_id}' in checklist {checklist.version}. The row may "
                    "have been edited; export a fresh workbook and copy the answers into it.",
                )
            answer = loose_answer(item_lines, source)
        else:
            answer = item_answer(item, item_lines, source)
        if not answer.is_empty:
            answers[item_id] = answer
    return answers


def _find_header(ws: Any, source: str) -> tuple[int, dict[str, int]]:
    for row, line in enumerate(ws.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
        titles = [str(v).strip() if v is not None else "" for v in line]
        if "Item ID" in titles:
            columns = {t: titles.index(t) for t in COL if t in titles}
            missing = [t for t in COL if t not in columns and ITEM_COLUMNS[COL[t] - 1].fill_in]
            missing += [t for t in ("Element ID",) if t not in columns]
            if missing:
                raise FileProblem(
                    source,
                    f"sheet {ITEMS}, row {row}",
                    f"the column(s) {', '.join(missing)} are missing. Was the sheet edited? "
                    "Restore the columns, or export a fresh workbook.",
                )
            return row, columns
    raise FileProblem(
        source,
        f"sheet {ITEMS}",
        "the header row (with the hidden column 'Item ID') is missing from the first 10 "
        "rows. Was the sheet edited? Export a fresh workbook and copy the answers into it.",
    )


def _data_rows(ws: Any, header_row: int) -> Iterator[tuple[int, tuple[object, ...]]]:
    for row, line in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1
    ):
        yield row, tuple(line)
