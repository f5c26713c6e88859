"""The Word report, opened with python-docx: the PDF's chapters in Word's own styles (headings in
order, lists, a table style), every gap with its recommendation, the assessor's note and the
Committee's references, and whatever the user typed - in any script, formula-like or with
control characters - kept word for word as plain text, right-to-left paragraphs marked so."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from functools import cache

from docx import Document as open_docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reports_fixtures import (
    CONTROL_NOTE,
    CONTROL_NOTE_CLEAN,
    JURISDICTION,
    UNICODE_TEXT,
    complete_report,
)

from checklist.assessment import Answer, Assessment, SignOff, Version, blank
from checklist.loader import default_checklist
from checklist.schema import ChoiceAnswer, ElementsAnswer, NumberAnswer
from checklist.wording import describe_reference
from reports import EXPORTERS, MIME_TYPES, Report, build_report, render
from reports.docx import CHAPTERS
from reports.docx_document import Writer

CHECKLIST = default_checklist()
HOSTILE_NOTE = (
    "=SUM(A1) { MERGEFIELD x } \x00\x07\x1b\x0b\x0c\ufffe "
    "قانون العقوبات 中华人民共和国刑法 Уголовный кодекс"
)
HOSTILE_NOTE_CLEAN = "=SUM(A1) { MERGEFIELD x }  قانون العقوبات 中华人民共和国刑法 Уголовный кодекс"
ARABIC_NOTE = "تقدير المقيّم: القانون لا يجرّم الحيازة البسيطة، المادة 291"
HEADING_LEVEL = {"Title": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3}


def report() -> Report:
    return complete_report()


@cache
def rendered() -> bytes:
    return render("docx", report())


def opened(data: bytes | None = None) -> Document:
    return open_docx(io.BytesIO(data or rendered()))


@cache
def paragraphs() -> tuple[Paragraph, ...]:
    """The body's paragraphs in reading order (table cells left out)."""
    return tuple(opened().paragraphs)


def style(paragraph: Paragraph) -> str:
    """The paragraph's style name. Read from its style id: python-docx's ``paragraph.style``
    searches the styles part on every call, far too slow for a whole report."""
    names = _style_names(paragraph.part)
    return names.get(paragraph._p.style or "", "Normal")


@cache
def _style_names(part: object) -> dict[str, str]:
    return {s.style_id: s.name for s in part.styles}  # type: ignore[attr-defined]


def texts(doc: Document | None = None) -> list[str]:
    """Every paragraph's text in reading order, table cells included."""
    doc = doc or opened()
    out = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            out += [p.text for row in block.rows for cell in row.cells for p in cell.paragraphs]
        else:
            out.append(block.text)
    return out


def flat(text: str) -> str:
    return " ".join(text.split())


def headings(doc: Document | None = None) -> list[tuple[int, str]]:
    found = []
    for paragraph in doc.paragraphs if doc else paragraphs():
        name = style(paragraph)
        if name in HEADING_LEVEL:
            found.append((HEADING_LEVEL[name], paragraph.text))
    return found


def chapter(title: str) -> list[Paragraph]:
    """The body paragraphs of a 'Heading 1' chapter, up to the next one."""
    body = list(paragraphs())
    start = next(n for n, p in enumerate(body) if style(p) == "Heading 1" and p.text == title)
    end = next(
        (n for n, p in enumerate(body[start + 1 :], start + 1) if style(p) == "Heading 1"),
        len(body),
    )
    return body[start + 1 : end]


def gap_blocks() -> dict[str, list[Paragraph]]:
    """Each gap's paragraphs in the gaps chapter, from its 'Heading 2' to the next heading."""
    body = chapter("Gaps ranked by severity")
    blocks: dict[str, list[Paragraph]] = {}
    by_heading = {f"{g.rank}. {g.title}": g.id for g in report().result.gaps}
    current: list[Paragraph] | None = None
    for paragraph in body:
        if style(paragraph) == "Heading 2":
            current = blocks.setdefault(by_heading[paragraph.text], [])
        elif current is not None:
            current.append(paragraph)
    return blocks


def after_label(block: list[Paragraph], label: str) -> list[Paragraph]:
    """The paragraphs under a side label (e.g. "Assessor's note") up to the next label; none
    when the label is not there."""
    start = next((n for n, p in enumerate(block) if p.text == label), None)
    if start is None:
        return []
    out = []
    for paragraph in block[start + 1 :]:
        if paragraph.runs and paragraph.runs[0].bold and style(paragraph) == "Normal":
            break
        out.append(paragraph)
    return out


def is_marked_rtl(paragraph: Paragraph) -> bool:
    p_pr = paragraph._p.pPr
    bidi = p_pr is not None and p_pr.find(qn("w:bidi")) is not None
    runs = [r._r for r in paragraph.runs if r.text]
    return (
        bidi
        and bool(runs)
        and all(r.rPr is not None and r.rPr.find(qn("w:rtl")) is not None for r in runs)
    )


def xml_parts(data: bytes) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                yield name, archive.read(name).decode("utf-8")


def perfect_assessment() -> Assessment:
    answers = {}
    for item in CHECKLIST.items():
        spec = item.answer
        if isinstance(spec, NumberAnswer):
            answers[item.id] = Answer(value=spec.threshold)
        elif isinstance(spec, ChoiceAnswer):
            answers[item.id] = Answer(choice=max(spec.options, key=lambda o: o.score).value)
        elif isinstance(spec, ElementsAnswer):
            answers[item.id] = Answer.model_validate(
                {"elements": {e.id: "covered" for e in spec.elements}}
            )
        else:
            answers[item.id] = Answer(status="covered")
    return blank(CHECKLIST.version, jurisdiction="Utopia", answers=answers)


def hostile_report() -> bytes:
    answers = {
        "pornography.simple-possession": Answer(
            status="not-covered",
            note=HOSTILE_NOTE,
            provisions=['=HYPERLINK("http://evil.example")', "{ INCLUDETEXT c:\\x }"],
        ),
        "age.sale": Answer(value=16, note=ARABIC_NOTE, provisions=[UNICODE_TEXT["ar"]]),
    }
    assessment = blank(
        CHECKLIST.version,
        jurisdiction="{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe }",
        title="=1+1",
        answers=answers,
    )
    return render("docx", build_report(assessment, CHECKLIST))


# -- the file ----------------------------------------------------------------------------------


def test_docx__is_a_registered_format_with_the_word_mime_type() -> None:
    assert EXPORTERS["docx"] == "reports.docx"
    assert MIME_TYPES["docx"].endswith("wordprocessingml.document")
    assert rendered().startswith(b"PK")


def test_page__is_a4_with_only_the_draft_mark_on_the_cover() -> None:
    section = opened().sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.different_first_page_header_footer
    assert flat(section.first_page_header.paragraphs[0].text) == "DRAFT"
    assert flat(section.first_page_footer.paragraphs[0].text) == ""


def test_document__carries_title_author_and_language() -> None:
    core = opened().core_properties
    assert core.title == f"Gap analysis: {JURISDICTION}"
    assert core.author == report().assessment.assessor
    assert core.language == "en"


# -- structure: Word's own styles --------------------------------------------------------------


def test_headings__are_built_in_styles_that_never_skip_a_level() -> None:
    found = headings()
    assert found[0] == (0, "Gap analysis of the criminal law")
    assert [level for level, _ in found].count(0) == 1
    for (before, _), (level, text) in itertools.pairwise(found):
        assert 1 <= level <= before + 1, f"{text!r} jumps from level {before} to {level}"
    used = {style(p) for p in paragraphs()}
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"):
        assert name in used and opened().styles[name].builtin, name


def test_chapters__are_the_pdfs_in_its_order() -> None:
    assert [text for level, text in headings() if level == 1] == list(CHAPTERS)
    assert CHAPTERS == (
        "Executive summary",
        "Gaps ranked by severity",
        "Action plan",
        "Detailed findings",
        "Methodology",
        "Annex: articles of the Protocol cited",
    )


def test_every_table__uses_a_built_in_table_style() -> None:
    tables = opened().tables
    assert len(tables) >= 8
    for table in tables:
        assert table.style is not None and table.style.name != "Normal Table"
        assert table.style.builtin
        assert table._tbl.tblPr.find(qn("w:tblStyle")) is not None


def test_table_headers__repeat_on_every_page() -> None:
    scores = next(t for t in opened().tables if t.rows[0].cells[0].text == "Section")
    assert scores.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


# -- content -----------------------------------------------------------------------------------


def test_cover__names_the_jurisdiction_the_law_date_the_scope_the_verdict_and_the_scores() -> None:
    body = opened()
    cover = []
    for block in body.iter_inner_content():
        if isinstance(block, Paragraph) and style(block) == "Heading 1":
            break
        if isinstance(block, Table):
            cover += [" | ".join(c.text for c in row.cells) for row in block.rows]
        else:
            cover.append(block.text)
    result = report().result
    assert JURISDICTION in cover and "Revue du Code pénal, 2026" in cover
    assert "Law as it stood on | 1 March 2008" in cover
    assert f"Scope | {result.scope_title}" in cover
    assert "Date of the assessment | 31 May 2026" in cover
    assert "VERDICT" in cover and result.verdict_label in cover
    assert f"Treaty score | {round(result.treaty_score * 100)}%" in cover
    assert f"{len(result.gaps)} gaps by severity | Gaps" in cover


def test_executive_summary__leads_with_the_verdict_and_numbers_the_five_gravest_gaps() -> None:
    summary = chapter("Executive summary")
    text = flat(" ".join(p.text for p in summary))
    result = report().result
    assert "as it stood on 1 March 2008" in text
    assert f"Verdict: {result.verdict_label}." in text
    assert f"treaty score {round(result.treaty_score * 100)}%" in text
    numbered = [p.text for p in summary if style(p) == "List Number"]
    assert len(numbered) == 5
    for line, gap in zip(numbered, result.gaps, strict=False):
        assert line.startswith(f"{gap.severity.capitalize()} · {gap.title} ({gap.treaty_ref})")


def test_every_gap__has_its_heading_in_rank_order() -> None:
    gaps = report().result.gaps
    in_chapter = [p.text for p in chapter("Gaps ranked by severity") if style(p) == "Heading 2"]
    assert len(gaps) > 5
    assert in_chapter == [f"{g.rank}. {g.title}" for g in gaps]


def test_every_gap__gives_its_recommendation_note_and_committee_references() -> None:
    answers = report().assessment.answers
    blocks = gap_blocks()
    for gap in report().result.gaps:
        block = blocks[gap.id]
        text = [p.text for p in block]
        assert f"Recommendation: {flat(gap.recommendation)}" in text, gap.id
        note = after_label(block, "Assessor's note")
        expected = answers[gap.id].note.replace(CONTROL_NOTE, CONTROL_NOTE_CLEAN)
        assert [p.text for p in note] == [expected], gap.id
        references = after_label(block, "Committee references")
        assert [p.text for p in references] == [describe_reference(r) for r in gap.references]


def test_every_gap__lists_the_provisions_and_references_as_bullets() -> None:
    for gap_id, block in gap_blocks().items():
        provisions = after_label(block, "Provisions cited")
        assert provisions and all(style(p) == "List Bullet" for p in provisions), gap_id
        for p in after_label(block, "Committee references"):
            assert style(p) == "List Bullet", gap_id


def test_citation_without_co__keeps_its_caution_word_for_word() -> None:
    assessment = blank(
        CHECKLIST.version, answers={"sale.camel-racing": Answer(status="not-covered")}
    )
    text = texts(opened(render("docx", build_report(assessment))))
    assert any(
        t.startswith("CRC/C/OPSC/SDN/1, paras. 33-34 (Sudan) [caution: cited as the source paper")
        for t in text
    )


def test_detailed_findings__cover_every_item_and_section() -> None:
    found = {text for _, text in headings()}
    text = "\n".join(texts())
    for section in CHECKLIST.sections:
        assert section.title in found
    for item in CHECKLIST.items():
        assert item.title in found, item.id
        assert flat(item.question) in text, item.id


def test_source_addresses__are_links_to_the_address_typed() -> None:
    doc = opened()
    targets = {
        rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")
    }
    for item_id, answer in report().assessment.answers.items():
        assert answer.source_url in targets, item_id


def test_methodology_and_annex__are_written() -> None:
    methodology = flat(" ".join(p.text for p in chapter("Methodology")))
    assert "weighted average" in methodology
    annex = [p.text for p in chapter("Annex: articles of the Protocol cited")]
    assert "Article 3" in annex
    assert flat(report().protocol.article(3).paragraphs[0]) in annex


def test_header_and_footer__carry_the_jurisdiction_the_date_and_the_page_number() -> None:
    section = opened().sections[0]
    assert (
        section.header.paragraphs[0].text
        == f"OPSC gap analysis · {JURISDICTION}\tDRAFT  ·  31 May 2026"
    )
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith(f"OPSC Gap Check · checklist {CHECKLIST.version}\tPage ")
    fields = [e.text.strip() for e in footer._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]


def status_of(assessment: Assessment) -> tuple[str, str, str]:
    """(the cover's mark, the running header's mark, the cover's Status row)."""
    doc = opened(render("docx", build_report(assessment, CHECKLIST)))
    section = doc.sections[0]
    cover_mark = section.first_page_header.paragraphs[0].runs[-1]
    header_mark = next(r for r in section.header.paragraphs[0].runs if r.bold)
    assert cover_mark.bold and cover_mark.font.color.rgb == header_mark.font.color.rgb
    status = next(row.cells[1].text for row in doc.tables[0].rows if row.cells[0].text == "Status")
    return cover_mark.text, f"{header_mark.text} {header_mark.font.color.rgb}", status


def test_status__says_draft_in_red_until_the_version_shown_is_cleared_then_final_in_green() -> None:
    item = CHECKLIST.sections[0].items[0].id
    base = blank(CHECKLIST.version, answers={item: Answer(status="unknown")})
    at = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    version = Version(name="Sent to the Committee", at=at, author="Ana", snapshot=base.snapshot())
    decision = SignOff(version_id=version.id, at=at, author="Head of Unit", decision="cleared")
    cleared = base.model_copy(update={"versions": [version], "sign_offs": [decision]})
    changed = cleared.with_answer(item, Answer(status="unknown", note="one more change"))
    cover, header, status = status_of(changed)
    assert (cover, header) == ("DRAFT", "DRAFT C00000") and status.startswith("Draft")
    cover, header, status = status_of(cleared)
    assert (cover, header) == ("FINAL", "FINAL 2E7D32")
    assert "cleared by Head of Unit on 2026-11-24" in status


def test_a_single_gap__is_counted_in_the_singular() -> None:
    one = blank(
        CHECKLIST.version, answers={"pornography.simple-possession": Answer(status="not-covered")}
    )
    text = texts(opened(render("docx", build_report(one, CHECKLIST))))
    assert "1 gap by severity" in text
    assert any(t.startswith("The assessment finds 1 gap: ") for t in text)


def test_report_without_gaps__says_so() -> None:
    text = texts(opened(render("docx", build_report(perfect_assessment(), CHECKLIST))))
    assert "No gap was found among the items answered." in text and "100%" in text


def test_blank_assessment__still_makes_every_chapter() -> None:
    doc = opened(render("docx", build_report(blank(CHECKLIST.version), CHECKLIST)))
    assert [text for level, text in headings(doc) if level == 1] == list(CHAPTERS)
    assert "Jurisdiction not stated" in texts(doc)


# -- user text ---------------------------------------------------------------------------------


def test_text_in_french_spanish_russian_arabic_and_chinese__comes_back_as_typed() -> None:
    text = texts()
    for language, typed in UNICODE_TEXT.items():
        assert typed in text, language


def test_every_provision_excerpt_source_and_note__is_in_the_findings() -> None:
    text = set(texts())
    for item_id, answer in report().assessment.answers.items():
        for provision in answer.provisions:
            assert provision in text, item_id
        for line in answer.excerpt.split("\n"):
            assert line in text, item_id
        assert answer.source_url in text, item_id
        assert answer.note.replace(CONTROL_NOTE, CONTROL_NOTE_CLEAN) in text, item_id


def test_control_characters__are_dropped_and_the_rest_of_the_note_kept() -> None:
    text = texts()
    assert CONTROL_NOTE_CLEAN in text
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", t) for t in text)


def test_hostile_note__is_kept_word_for_word_as_plain_text() -> None:
    data = hostile_report()
    text = texts(opened(data))
    assert HOSTILE_NOTE_CLEAN in text
    assert '=HYPERLINK("http://evil.example")' in text and "{ INCLUDETEXT c:\\x }" in text
    assert "=1+1" in text and "{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe }" in text


def test_no_user_text__becomes_a_field_or_a_formula() -> None:
    """The only fields are the page numbers the report puts in its footer."""
    for data in (rendered(), hostile_report()):
        for name, xml in xml_parts(data):
            assert "<w:fldSimple" not in xml, name
            assert "<m:oMath" not in xml, name
            for instruction in re.findall(r"<w:instrText[^>]*>([^<]*)<", xml):
                assert instruction.strip() in ("PAGE", "NUMPAGES"), (name, instruction)
            if "MERGEFIELD" in xml:
                assert re.search(r"<w:t[^>]*>[^<]*\{ MERGEFIELD x \}", xml), name


def test_right_to_left_paragraphs__are_marked_bidi_with_right_to_left_runs() -> None:
    doc = opened(hostile_report())
    arabic = [p for p in doc.paragraphs if p.text in (ARABIC_NOTE, UNICODE_TEXT["ar"])]
    assert {p.text for p in arabic} == {ARABIC_NOTE, UNICODE_TEXT["ar"]}
    assert all(is_marked_rtl(p) for p in arabic)
    hostile = next(p for p in doc.paragraphs if p.text == HOSTILE_NOTE_CLEAN)
    assert hostile._p.pPr is None or hostile._p.pPr.find(qn("w:bidi")) is None


def test_right_to_left_paragraphs__of_the_complete_report_are_marked() -> None:
    arabic = [p for p in paragraphs() if p.text == UNICODE_TEXT["ar"]]
    assert arabic and all(is_marked_rtl(p) for p in arabic)
    french = [p for p in paragraphs() if p.text == UNICODE_TEXT["fr"]]
    assert french and not any(p._p.pPr.find(qn("w:bidi")) is not None for p in french)


def test_right_to_left_jurisdiction__is_marked_on_the_cover() -> None:
    doc = opened(
        render("docx", build_report(blank(CHECKLIST.version, jurisdiction="دولة الاختبار")))
    )
    assert is_marked_rtl(next(p for p in doc.paragraphs if p.text == "دولة الاختبار"))


def test_document_properties__longer_than_word_allows__are_cut_not_refused() -> None:
    writer = Writer()
    writer.properties(title="R" * 400, author="A" * 300, subject="S", keywords="K")
    core = opened(writer.bytes()).core_properties
    assert len(core.title) == len(core.author) == 255 and core.title.endswith("…")


typed = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=typed)
def test_any_text_the_user_typed__is_written_and_read_back(text: str) -> None:
    assessment = blank(
        CHECKLIST.version,
        jurisdiction=text,
        assessor=text,
        title=text,
        answers={
            "pornography.simple-possession": Answer(
                status="not-covered", note=text, provisions=[text], source_url=text
            )
        },
    )
    doc = opened(render("docx", build_report(assessment, CHECKLIST)))
    cleaned = [
        line.strip()
        for line in re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", "", text)
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .split("\n")
    ]
    body = texts(doc)
    for line in filter(None, cleaned):
        assert any(line in t for t in body), line
    assert [title for level, title in headings(doc) if level == 1] == list(CHAPTERS)
