"""The Excel workbook: what it shows, that it prints, that it can be filled in and read back,
and that a damaged or hostile file is refused with a message, never a traceback."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from reports_fixtures import (
    CONTROL_NOTE,
    CONTROL_NOTE_CLEAN,
    FORMULA_LIKE,
    JURISDICTION,
    complete_assessment,
    complete_report,
    far_row_workbook,
)

from checklist.assessment import Answer, Assessment, blank
from checklist.assessment_file import MAX_FILE_BYTES, FileProblem
from checklist.loader import default_checklist
from checklist.schema import ChoiceAnswer, ElementsAnswer, NumberAnswer
from checklist.wording import ELEMENT_LABELS, STATE_LABELS
from reports import Report, build_report, read_any, render
from reports import xlsx as workbook

CHECKLIST = default_checklist()


def report() -> Report:
    return complete_report()


@cache
def exported() -> bytes:
    return render("xlsx", report())


def opened(data: bytes | None = None) -> Workbook:
    return load_workbook(io.BytesIO(data or exported()))


def saved(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def header(ws: Worksheet, row: int) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[row] if c.value is not None}


def item_rows(ws: Worksheet) -> list[tuple[int, str, str]]:
    """(row, item ID, element ID) of every data row of the Items sheet."""
    cols = header(ws, workbook.ITEMS_HEADER_ROW)
    rows = []
    for row in range(workbook.ITEMS_HEADER_ROW + 1, ws.max_row + 1):
        item_id = ws.cell(row, cols["Item ID"]).value
        if item_id:
            rows.append((row, str(item_id), str(ws.cell(row, cols["Element ID"]).value or "")))
    return rows


def row_of(ws: Worksheet, item_id: str, element_id: str = "") -> int:
    return next(r for r, i, e in item_rows(ws) if i == item_id and e == element_id)


def drop_down(wb: Workbook, cell: Cell) -> list[str]:
    """The values a list validation offers for ``cell`` (read from the Lists sheet)."""
    for dv in cell.parent.data_validations.dataValidation:
        if dv.type == "list" and cell.coordinate in dv.sqref:
            found = re.fullmatch(r"(\w+)!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", dv.formula1)
            assert found, dv.formula1
            name, column, first, last = found.groups()
            return [wb[name][f"{column}{n}"].value for n in range(int(first), int(last) + 1)]
    return []


def read_back(data: bytes) -> Assessment:
    return read_any(data, "returned.xlsx", CHECKLIST).assessment


def problem(data: bytes) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        read_any(data, "returned.xlsx", CHECKLIST)
    assert str(caught.value).startswith("returned.xlsx")
    return caught.value


def cleaned(answer: Answer) -> dict[str, object]:
    return answer.model_copy(
        update={"note": answer.note.replace(CONTROL_NOTE, CONTROL_NOTE_CLEAN)}
    ).model_dump(exclude={"updated_at"})


# -- what the workbook shows -------------------------------------------------------------------


def test_workbook__has_the_report_sheets_and_hides_its_machinery() -> None:
    wb = opened()
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
    assert visible == ["Summary", "Gaps", "Items", "Action plan", "Methodology", "Protocol"]
    assert sorted(hidden) == ["Lists", "_meta"]
    assert wb.active.title == "Summary"


def test_summary__names_the_assessment_and_leads_with_the_verdict_and_the_scores() -> None:
    ws = opened()["Summary"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 30)}
    result = report().result
    assert values["Jurisdiction"] == JURISDICTION
    assert values["Assessor"] == report().assessment.assessor
    assert values["Date"].date().isoformat() == "2026-05-31"
    assert values["Law as it stood on"].date().isoformat() == "2008-03-01"
    assert values["Scope"] == result.scope_title
    assert values["Checklist version"] == CHECKLIST.version
    assert values["Verdict"] == result.verdict_label
    assert values["Treaty score"] == pytest.approx(result.treaty_score)
    assert values["Good practice"] == pytest.approx(result.good_practice_score)
    assert "Overall score" not in values
    sections = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(1, ws.max_row + 1)}
    for section in result.sections:
        assert sections[section.title] == pytest.approx(section.score)


def test_summary__counts_gaps_by_severity() -> None:
    ws = opened()["Summary"]
    counts = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    for severity, count in report().result.gaps_by_severity().items():
        assert counts[severity.capitalize()] == count


def test_summary__has_a_native_bar_chart_of_the_section_scores() -> None:
    with zipfile.ZipFile(io.BytesIO(exported())) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = archive.read(charts[0]).decode()
    assert len(charts) == 1
    assert "<barChart>" in xml and '<barDir val="bar"' in xml
    assert "'Summary'!$C$" in xml and "'Summary'!$A$" in xml


def test_gaps_sheet__lists_gaps_in_rank_order() -> None:
    ws = opened()["Gaps"]
    cols = header(ws, 1)
    gaps = report().result.gaps
    ranks = [ws.cell(r, cols["Rank"]).value for r in range(2, len(gaps) + 2)]
    ids = [ws.cell(r, cols["Item ID"]).value for r in range(2, len(gaps) + 2)]
    assert len(gaps) > 5
    assert ranks == list(range(1, len(gaps) + 1))
    assert ids == [g.id for g in gaps]
    order = {"Critical": 0, "High": 1, "Medium": 2, "Low": 3}
    severities = [order[ws.cell(r, cols["Severity"]).value] for r in range(2, len(gaps) + 2)]
    assert severities == sorted(severities)


def test_gaps_sheet__gives_each_gap_its_recommendation_and_references() -> None:
    ws = opened()["Gaps"]
    cols = header(ws, 1)
    for row, gap in enumerate(report().result.gaps, start=2):
        assert ws.cell(row, cols["Recommendation"]).value == " ".join(gap.recommendation.split())
        for reference in gap.references:
            assert reference.citation in (ws.cell(row, cols["Committee references"]).value or "")


def test_gaps_sheet__gives_each_gap_the_assessors_note_as_text() -> None:
    ws = opened()["Gaps"]
    cols = header(ws, 1)
    answers = report().assessment.answers
    for row, gap in enumerate(report().result.gaps, start=2):
        cell = ws.cell(row, cols["Assessor's note"])
        expected = answers[gap.id].note.replace(CONTROL_NOTE, CONTROL_NOTE_CLEAN)
        assert cell.value == expected, gap.id
        assert cell.data_type == "s"  # "=HYPERLINK(...)" stays words, never a formula


def test_items_sheet__has_a_row_for_every_item_and_conduct_element() -> None:
    expected = []
    for item in CHECKLIST.items():
        expected.append((item.id, ""))
        if isinstance(item.answer, ElementsAnswer):
            expected += [(item.id, e.id) for e in item.answer.elements]
    assert [(i, e) for _, i, e in item_rows(opened()["Items"])] == expected


def test_items_sheet__hides_the_id_columns() -> None:
    ws = opened()["Items"]
    assert ws.column_dimensions["A"].hidden and ws.column_dimensions["B"].hidden
    assert not ws.column_dimensions["H"].hidden


def test_items_sheet__status_cells_offer_only_the_answers_each_row_allows() -> None:
    wb = opened()
    ws = wb["Items"]
    status = header(ws, workbook.ITEMS_HEADER_ROW)["Status"]
    for row, item_id, element_id in item_rows(ws):
        item = CHECKLIST.item(item_id)
        offered = drop_down(wb, ws.cell(row, status))
        if element_id:
            assert offered == ["Covered", "Not covered", "Not known (to research)"]
        elif item.answer.type == "status":
            assert offered[:4] == [
                "Covered",
                "Partly covered",
                "Not covered",
                "Not known (to research)",
            ]
        else:
            assert offered[0] == "Not known (to research)"
        assert ("Not applicable" in offered) == (
            item.answer.allow_not_applicable and not element_id
        )


def test_items_sheet__choice_cells_offer_the_item_options() -> None:
    wb = opened()
    ws = wb["Items"]
    choice = header(ws, workbook.ITEMS_HEADER_ROW)["Choice"]
    choices = [i for i in CHECKLIST.items() if isinstance(i.answer, ChoiceAnswer)]
    assert choices
    for item in choices:
        assert isinstance(item.answer, ChoiceAnswer)
        offered = drop_down(wb, ws.cell(row_of(ws, item.id), choice))
        assert offered == [o.label for o in item.answer.options]


def test_items_sheet__number_cells_accept_only_the_allowed_range() -> None:
    ws = opened()["Items"]
    value = header(ws, workbook.ITEMS_HEADER_ROW)["Value"]
    item = next(i for i in CHECKLIST.items() if isinstance(i.answer, NumberAnswer))
    assert isinstance(item.answer, NumberAnswer)
    cell = ws.cell(row_of(ws, item.id), value)
    dv = next(d for d in ws.data_validations.dataValidation if cell.coordinate in d.sqref)
    assert (dv.type, dv.formula1, dv.formula2) == (
        "decimal",
        f"{item.answer.minimum:g}",
        f"{item.answer.maximum:g}",
    )


def test_sheets__are_set_up_to_read_and_print() -> None:
    wb = opened()
    for name in ("Gaps", "Items"):
        ws = wb[name]
        assert ws.freeze_panes is not None
        assert ws.auto_filter.ref
        assert ws.print_title_rows
        assert ws.page_setup.orientation == "landscape"
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    gaps = wb["Gaps"]
    assert gaps.cell(2, header(gaps, 1)["Recommendation"]).alignment.wrap_text
    assert gaps.cell(1, 1).font.bold
    assert gaps.column_dimensions["H"].width >= 40


def test_methodology_and_protocol_sheets__carry_their_text() -> None:
    wb = opened()
    methodology = " ".join(str(c.value) for row in wb["Methodology"].iter_rows() for c in row)
    protocol = [str(c.value) for row in wb["Protocol"].iter_rows() for c in row]
    assert "weighted average" in methodology
    article_3 = report().protocol.article(3).paragraphs[0]
    assert " ".join(article_3.split()) in protocol


# -- user text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_user_text_starting_with_equals__is_written_as_text(text: str) -> None:
    ws = opened()["Items"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == text]
    assert cells, f"{text!r} is not in the Items sheet"
    assert all(c.data_type == "s" for c in cells)


def test_workbook__holds_no_formula_anywhere() -> None:
    with zipfile.ZipFile(io.BytesIO(exported())) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_control_characters__are_dropped_from_cells() -> None:
    ws = opened()["Items"]
    notes = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert CONTROL_NOTE_CLEAN in notes
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", n) for n in notes)


def test_very_long_text__is_cut_to_what_a_cell_holds() -> None:
    assert len(workbook.clean_text("x" * 40_000)) == 32_767


# -- reading back --------------------------------------------------------------------------------


def test_round_trip__gives_back_the_same_answers() -> None:
    original = report().assessment
    back = read_back(exported())
    assert set(back.answers) == set(original.answers)
    for item_id, answer in original.answers.items():
        assert back.answers[item_id].model_dump(exclude={"updated_at"}) == cleaned(answer)


def test_round_trip__gives_back_the_metadata() -> None:
    original, back = report().assessment, read_back(exported())
    for name in ("id", "jurisdiction", "assessor", "title", "date", "law_date", "scope"):
        assert getattr(back, name) == getattr(original, name), name
    assert back.created_at == original.created_at
    assert back.updated_at == original.updated_at  # the saved version it was exported from


def test_round_trip__of_a_blank_assessment__has_no_answers() -> None:
    empty = blank(CHECKLIST.version, jurisdiction="Chile")
    back = read_back(render("xlsx", build_report(empty, CHECKLIST)))
    assert back.answers == {} and back.jurisdiction == "Chile" and back.scope == "offences"


def test_items_sheet__lists_only_the_items_in_scope() -> None:
    assessment = complete_assessment(CHECKLIST).model_copy(update={"scope": "offences"})
    wb = opened(render("xlsx", build_report(assessment, CHECKLIST)))
    ids = {item_id for _, item_id, _ in item_rows(wb["Items"])}
    in_scope = {i.id for i in CHECKLIST.items(CHECKLIST.scope_modules("offences"))}
    outside = {i.id for i in CHECKLIST.items()} - in_scope
    assert outside and not ids & outside
    assert "Not in scope" not in {c for row in wb["Items"].iter_rows(values_only=True) for c in row}


def test_round_trip__keeps_the_answers_outside_the_scope() -> None:
    assessment = complete_assessment(CHECKLIST).model_copy(update={"scope": "offences"})
    back = read_back(render("xlsx", build_report(assessment, CHECKLIST)))
    assert set(back.answers) == set(assessment.answers)
    assert back.scope == "offences"


def test_scope_typed_back__is_read_by_its_title() -> None:
    wb = opened(render("xlsx", build_report(blank(CHECKLIST.version), CHECKLIST)))
    ws = wb["Summary"]
    row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Scope")
    ws.cell(row, 2).value = "The whole Protocol (articles 1 to 10)"
    assert read_back(saved(wb)).scope == "whole-protocol"
    ws.cell(row, 2).value = "Everything"
    with pytest.raises(FileProblem, match=f"row {row}, column B.*'Everything' is not a scope"):
        read_back(saved(wb))


def test_workbook_filled_in_excel__is_read_as_the_answers_typed() -> None:
    empty = blank(CHECKLIST.version)
    wb = opened(render("xlsx", build_report(empty, CHECKLIST)))
    ws = wb["Items"]
    cols = header(ws, workbook.ITEMS_HEADER_ROW)
    status_item = next(i for i in CHECKLIST.items() if i.answer.type == "status")
    number_item = next(i for i in CHECKLIST.items() if isinstance(i.answer, NumberAnswer))
    choice_item = next(i for i in CHECKLIST.items() if isinstance(i.answer, ChoiceAnswer))
    elements_item = next(i for i in CHECKLIST.items() if isinstance(i.answer, ElementsAnswer))
    assert isinstance(choice_item.answer, ChoiceAnswer)
    assert isinstance(elements_item.answer, ElementsAnswer)
    first = elements_item.answer.elements[0].id
    row = row_of(ws, status_item.id)
    ws.cell(row, cols["Status"]).value = "partly covered"
    ws.cell(row, cols["Domestic provisions"]).value = "Penal Code, art. 1\n\nPenal Code, art. 2 "
    ws.cell(row, cols["Note"]).value = "=1+1"
    ws.cell(row_of(ws, number_item.id), cols["Value"]).value = "16"
    ws.cell(row_of(ws, choice_item.id), cols["Choice"]).value = choice_item.answer.options[0].label
    ws.cell(row_of(ws, elements_item.id, first), cols["Status"]).value = "Not covered"
    wb["Summary"]["B4"] = "Ruritania"
    back = read_back(saved(wb))
    assert back.jurisdiction == "Ruritania"
    assert back.answers[status_item.id].status == "partly"
    assert back.answers[status_item.id].provisions == ["Penal Code, art. 1", "Penal Code, art. 2"]
    assert back.answers[number_item.id].value == 16
    assert back.answers[choice_item.id].choice == choice_item.answer.options[0].value
    assert back.answers[elements_item.id].elements == {first: "not-covered"}


def test_workbook_exported_with_the_former_labels__is_still_read() -> None:
    """Workbooks exported before the app and the reports shared one vocabulary said
    "Unknown" where they now say "Not known (to research)"."""
    wb = opened(render("xlsx", build_report(blank(CHECKLIST.version), CHECKLIST)))
    ws = wb["Items"]
    cols = header(ws, workbook.ITEMS_HEADER_ROW)
    status_item = next(i for i in CHECKLIST.items() if i.answer.type == "status")
    elements_item = next(i for i in CHECKLIST.items() if isinstance(i.answer, ElementsAnswer))
    assert isinstance(elements_item.answer, ElementsAnswer)
    first = elements_item.answer.elements[0].id
    ws.cell(row_of(ws, status_item.id), cols["Status"]).value = "Unknown"
    ws.cell(row_of(ws, elements_item.id, first), cols["Status"]).value = "Unknown"
    back = read_back(saved(wb))
    assert back.answers[status_item.id].status == "unknown"
    assert back.answers[elements_item.id].elements == {first: "unknown"}


def test_workbook__shows_the_words_of_the_app() -> None:
    ws = opened()["Items"]
    cols = header(ws, workbook.ITEMS_HEADER_ROW)
    shown = {ws.cell(row, cols["Status"]).value for row, _, _ in item_rows(ws)}
    assert shown - {None} <= set(STATE_LABELS.values())
    assert STATE_LABELS["unknown"] in shown and ELEMENT_LABELS["covered"] in shown


def test_read_any__routes_a_workbook_to_the_workbook_reader() -> None:
    loaded = read_any(exported(), "team.xlsx", CHECKLIST)
    assert loaded.assessment.jurisdiction == JURISDICTION and loaded.notices == []


def test_workbook_of_an_older_checklist__sets_unknown_items_aside() -> None:
    wb = opened()
    meta = wb["_meta"]
    meta["B4"] = "0.9"
    ws = wb["Items"]
    row, item_id, _ = item_rows(ws)[0]
    ws.cell(row, 1).value = "retired.item"
    loaded = read_any(saved(wb), "old.xlsx", CHECKLIST)
    assert item_id not in loaded.assessment.answers
    assert [a.item_id for a in loaded.assessment.archived_answers] == ["retired.item"]
    assert any("0.9" in n for n in loaded.notices)


# -- refusing what cannot be read ------------------------------------------------------------------


def test_oversized_file__is_refused() -> None:
    assert "limited to" in problem(b"PK" + b"\0" * (MAX_FILE_BYTES + 1)).what


def test_file_that_is_not_a_zip__is_refused() -> None:
    assert "not a zip archive" in problem(b"PK\x03\x04 this is not really a zip").what
    assert "not a zip archive" in problem(b"%PDF-1.7 renamed to xlsx").what


def test_zip_that_is_not_a_workbook__is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not an Excel workbook" in problem(out.getvalue()).what


def test_zip_with_too_many_entries__is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(workbook.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"x/{n}", "")
    assert "parts" in problem(out.getvalue()).what


def test_zip_bomb__is_refused_before_it_is_unpacked() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<" * (workbook.MAX_UNZIPPED_BYTES + 1))
    data = out.getvalue()
    assert len(data) < MAX_FILE_BYTES
    assert "unpack" in problem(data).what


def replace_part(name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(exported()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


def items_part() -> str:
    with zipfile.ZipFile(io.BytesIO(exported())) as archive:
        workbook_xml = archive.read("xl/workbook.xml").decode()
    sheet_ids = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook_xml)
    return f"xl/worksheets/sheet{sheet_ids.index('Items') + 1}.xml"


def test_malformed_xml__is_refused_with_a_message() -> None:
    found = problem(replace_part(items_part(), b"<worksheet><sheetData><row>"))
    assert "damaged" in found.what


def test_xml_entity_expansion__is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><workbook>&b;</workbook>'
    )
    assert "damaged" in problem(replace_part("xl/workbook.xml", bomb)).what


def test_entity_in_a_sheet__is_refused_naming_the_part_whichever_xml_parser_openpyxl_uses() -> None:
    """openpyxl refuses entities through defusedxml, but with lxml installed (python-docx
    needs it) it leaves them unexpanded and would read the sheet as if it were empty."""
    part = items_part()
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x "covered">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="4"><c r="H4" t="inlineStr"><is><t>&x;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    found = problem(replace_part(part, entity))
    assert found.where == part and "damaged" in found.what and "DTD" in found.what


def test_workbook_not_made_by_the_tool__is_refused() -> None:
    found = problem(saved(Workbook()))
    assert found.where == "sheet _meta" and "not exported by OPSC Gap Check" in found.what


def test_workbook_with_a_deleted_column__is_refused() -> None:
    wb = opened()
    wb["Items"].delete_cols(header(wb["Items"], workbook.ITEMS_HEADER_ROW)["Status"])
    found = problem(saved(wb))
    assert "Status" in found.what and found.where.startswith("sheet Items")


def test_unknown_item_id__names_the_sheet_row_and_column() -> None:
    wb = opened()
    ws = wb["Items"]
    row, _, _ = item_rows(ws)[0]
    ws.cell(row, 1).value = "sale.invented"
    found = problem(saved(wb))
    assert found.where == f"sheet Items, row {row}, column Item ID"
    assert "sale.invented" in found.what


def test_wrong_status__names_the_allowed_answers() -> None:
    wb = opened()
    ws = wb["Items"]
    item = next(i for i in CHECKLIST.items() if i.answer.type == "status")
    row = row_of(ws, item.id)
    ws.cell(row, header(ws, workbook.ITEMS_HEADER_ROW)["Status"]).value = "Mostly"
    found = problem(saved(wb))
    assert found.where == f"sheet Items, row {row}, column Status"
    assert "'Mostly'" in found.what and STATE_LABELS["partly"] in found.what


def test_wrong_conduct_answer__is_refused() -> None:
    wb = opened()
    ws = wb["Items"]
    row = next(r for r, _, e in item_rows(ws) if e)
    ws.cell(row, header(ws, workbook.ITEMS_HEADER_ROW)["Status"]).value = "Partly covered"
    assert problem(saved(wb)).where == f"sheet Items, row {row}, column Status"


@pytest.mark.parametrize(("value", "words"), [(130, "out of range"), ("sixteen", "not a number")])
def test_bad_age__is_refused(value: object, words: str) -> None:
    wb = opened()
    ws = wb["Items"]
    item = next(i for i in CHECKLIST.items() if isinstance(i.answer, NumberAnswer))
    row = row_of(ws, item.id)
    ws.cell(row, header(ws, workbook.ITEMS_HEADER_ROW)["Value"]).value = value
    found = problem(saved(wb))
    assert found.where == f"sheet Items, row {row}, column Value" and words in found.what


def test_number_typed_for_a_status_item__is_refused() -> None:
    wb = opened()
    ws = wb["Items"]
    item = next(i for i in CHECKLIST.items() if i.answer.type == "status")
    row = row_of(ws, item.id)
    ws.cell(row, header(ws, workbook.ITEMS_HEADER_ROW)["Value"]).value = 3
    assert problem(saved(wb)).where == f"sheet Items, row {row}, column Value"


def test_wrong_choice__names_the_options() -> None:
    wb = opened()
    ws = wb["Items"]
    item = next(i for i in CHECKLIST.items() if isinstance(i.answer, ChoiceAnswer))
    assert isinstance(item.answer, ChoiceAnswer)
    row = row_of(ws, item.id)
    ws.cell(row, header(ws, workbook.ITEMS_HEADER_ROW)["Choice"]).value = "Some liability"
    found = problem(saved(wb))
    assert found.where == f"sheet Items, row {row}, column Choice"
    assert item.answer.options[0].label in found.what


def test_bad_date__is_refused() -> None:
    wb = opened()
    wb["Summary"]["B7"] = "next Tuesday"
    found = problem(saved(wb))
    assert found.where == "sheet Summary, row 7, column B" and "not a date" in found.what


def test_answer_in_a_row_without_an_item_id__is_refused() -> None:
    wb = opened()
    ws = wb["Items"]
    row = ws.max_row + 1
    ws.cell(row, header(ws, workbook.ITEMS_HEADER_ROW)["Note"]).value = "a stray note"
    assert problem(saved(wb)).where == f"sheet Items, row {row}, column Item ID"


def test_workbook_with_a_row_far_down__is_refused_before_it_is_read() -> None:
    found = problem(far_row_workbook(exported()))
    assert "row 100,000,000" in found.what
    assert "at most 20,000 rows" in found.what


def test_password_protected_workbook__is_said_to_be_encrypted() -> None:
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600
    found = problem(ole)
    assert "protected with a password" in found.what


def test_workbook_with_a_blank_format_version__names_the_sheet() -> None:
    wb = opened()
    ws = wb["_meta"]
    row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "format_version")
    ws.cell(row, 2).value = None
    found = problem(saved(wb))
    assert found.where == "sheet _meta" and "format version is missing" in found.what


def test_citation_without_co__is_written_with_its_caution() -> None:
    assessment = blank(
        CHECKLIST.version, answers={"sale.camel-racing": Answer(status="not-covered")}
    )
    ws = opened(render("xlsx", build_report(assessment, CHECKLIST)))["Gaps"]
    cols = header(ws, 1)
    cell = ws.cell(2, cols["Committee references"]).value
    assert "CRC/C/OPSC/SDN/1, paras. 33-34 (Sudan) [caution: cited as the source paper" in cell
