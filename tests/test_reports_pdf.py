"""The PDF report, read back with a text extractor: every gap's recommendation is there, the
pages carry their furniture, the outline follows the chapters, and text in French, Spanish,
Russian, Arabic and Chinese comes back as it was typed."""

from __future__ import annotations

import io
import re
from functools import cache

from pypdf import PdfReader
from reports_fixtures import (
    CONTROL_NOTE,
    CONTROL_NOTE_CLEAN,
    JURISDICTION,
    UNICODE_TEXT,
    complete_report,
)

from checklist.assessment import Answer, blank
from checklist.loader import default_checklist
from checklist.schema import ChoiceAnswer, ElementsAnswer, NumberAnswer
from reports import Report, build_report, fonts, render
from reports.pdf import is_rtl, needs_shaping

CHECKLIST = default_checklist()


def report() -> Report:
    return complete_report()


@cache
def rendered() -> bytes:
    return render("pdf", report())


@cache
def reader() -> PdfReader:
    return PdfReader(io.BytesIO(rendered()))


@cache
def pages() -> tuple[str, ...]:
    return tuple(page.extract_text() for page in reader().pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def all_text() -> str:
    """The text of every page without its running header and footer, so that a paragraph
    running over a page break reads as one."""
    furniture = re.compile(
        rf"OPSC Gap Check · checklist \S+ Page \d+ of \d+|"
        rf"OPSC gap analysis · {re.escape(JURISDICTION)} 31 May 2026"
    )
    return flat(furniture.sub(" ", flat(" ".join(pages()))))


def test_pdf__is_a_pdf_of_many_pages() -> None:
    assert rendered().startswith(b"%PDF-")
    assert 10 < len(reader().pages) < 80


def test_cover__names_the_jurisdiction_the_law_date_the_scope_and_the_verdict() -> None:
    cover = flat(pages()[0])
    result = report().result
    assert JURISDICTION in cover
    assert "Law as it stood on 1 March 2008" in cover
    assert "Date of the assessment 31 May 2026" in cover
    assert f"Scope {result.scope_title}" in cover
    assert "VERDICT" in cover and result.verdict_label in cover
    assert f"TREATY SCORE: {round(result.treaty_score * 100)}%" in cover
    assert f"version {CHECKLIST.version}" in cover
    assert "OVERALL" not in cover.upper()


def test_executive_summary__leads_with_the_verdict_and_the_scores_kept_apart() -> None:
    summary = flat(pages()[1])
    result = report().result
    assert "Executive summary" in summary
    assert "as it stood on 1 March 2008" in summary
    assert f"Verdict: {result.verdict_label}." in summary
    assert f"treaty score {round(result.treaty_score * 100)}%" in summary


def test_executive_summary__lists_the_five_gravest_gaps() -> None:
    summary = flat(pages()[1])
    for gap in report().result.gaps[:5]:
        assert f"{gap.rank}. {gap.title}" in summary
    assert f"6. {report().result.gaps[5].title}" not in summary


def test_every_gap__is_listed_with_its_recommendation() -> None:
    text = all_text()
    gaps = report().result.gaps
    assert len(gaps) > 5
    for gap in gaps:
        assert flat(gap.recommendation) in text, gap.id
        assert f"{gap.rank}. {gap.title}" in text


def test_gaps__come_in_rank_order() -> None:
    text = all_text()
    chapter = text.index("Gaps ranked by severity")
    positions = [text.index(f"{g.rank}. {g.title}", chapter) for g in report().result.gaps]
    assert positions == sorted(positions)


def test_gaps__cite_the_committee_references() -> None:
    text = all_text()
    for gap in report().result.gaps:
        for reference in gap.references:
            assert reference.citation in text


def gap_blocks() -> dict[str, str]:
    """The text of each gap in the gaps chapter, from its heading to the next one."""
    text = all_text()
    chapter = text[text.index("Gaps ranked by severity") : text.index("Detailed findings")]
    gaps = report().result.gaps
    starts = [chapter.index(f"{g.rank}. {g.title}") for g in gaps] + [len(chapter)]
    return {g.id: chapter[starts[n] : starts[n + 1]] for n, g in enumerate(gaps)}


def test_every_gap__gives_the_assessors_note_under_its_own_heading() -> None:
    answers = report().assessment.answers
    for item_id, block in gap_blocks().items():
        note = answers[item_id].note.replace(CONTROL_NOTE, CONTROL_NOTE_CLEAN)
        assert "ASSESSOR'S NOTE" in block, item_id
        assert flat(note) in block, item_id


def test_single_gap_without_a_note__is_counted_in_the_singular_with_no_note_heading() -> None:
    assessment = blank(
        CHECKLIST.version, answers={"pornography.simple-possession": Answer(status="not-covered")}
    )
    text = flat(
        " ".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(render("pdf", build_report(assessment)))).pages
        )
    )
    assert "Gaps ranked by severity" in text and "ASSESSOR'S NOTE" not in text
    assert "1 GAP BY SEVERITY" in text and "The assessment finds 1 gap: " in text


def test_detailed_findings__cover_every_item_and_section() -> None:
    text = all_text()
    for section in CHECKLIST.sections:
        assert section.title in text
    for item in CHECKLIST.items():
        assert flat(item.question) in text, item.id


def test_section_chart__shows_each_section_score() -> None:
    text = all_text()
    chart = text[text.index("Score by section") :]
    for section in report().result.sections:
        assert f"{round(section.score * 100)}%" in chart


def test_methodology_and_annex__are_printed() -> None:
    text = all_text()
    assert "Methodology" in text and "weighted average" in text
    annex = text[text.index("Annex: articles of the Protocol cited") :]
    quote = flat(report().protocol.article(3).paragraphs[0])
    assert quote in annex


def test_pages__carry_the_running_header_and_page_numbers() -> None:
    total = len(reader().pages)
    for number, page in enumerate(pages()[1:], start=2):
        text = flat(page)
        assert f"OPSC gap analysis · {JURISDICTION}" in text
        assert "31 May 2026" in text
        assert f"Page {number} of {total}" in text


def test_outline__follows_the_chapters() -> None:
    top = [entry.title for entry in reader().outline if not isinstance(entry, list)]
    assert top == [
        "Cover",
        "Executive summary",
        "Gaps ranked by severity",
        "Action plan",
        "Detailed findings",
        "Methodology",
        "Annex: articles cited",
    ]
    nested = [e.title for group in reader().outline if isinstance(group, list) for e in group]
    assert f"1. {report().result.gaps[0].title}" in nested
    assert "Article 3" in nested


def test_document__carries_title_author_and_language() -> None:
    info = reader().metadata
    assert info is not None
    assert info.title == f"Gap analysis: {JURISDICTION}"
    assert info.author == report().assessment.assessor
    assert reader().trailer["/Root"]["/Lang"] == "en"


def test_fonts__are_embedded_subsets_of_noto_sans_almarai_and_noto_sans_sc() -> None:
    embedded = set()
    for page in reader().pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor
            embedded.add(str(font["/BaseFont"]).split("+")[1])
    assert embedded == {"NotoSans", "NotoSansBold", "Almarai", "NotoSansSC"}


def test_latin_cyrillic_and_chinese_text__round_trips() -> None:
    text = all_text()
    for language in ("fr", "es", "ru", "zh"):
        assert flat(UNICODE_TEXT[language]) in text, language


def test_arabic_text__comes_back_word_for_word() -> None:
    # pypdf returns right-to-left words in visual order; each word comes back whole.
    text = all_text()
    for word in re.findall(r"[\u0600-\u06ff]+", UNICODE_TEXT["ar"]):
        assert word in text


def test_control_characters__do_not_reach_the_page() -> None:
    text = " ".join(pages())
    assert CONTROL_NOTE_CLEAN in flat(text)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


def test_report_without_gaps__says_so() -> None:
    answers = {}
    for item in CHECKLIST.items():
        spec = item.answer
        if isinstance(spec, NumberAnswer):
            answers[item.id] = Answer(value=spec.threshold)
        elif isinstance(spec, ChoiceAnswer):
            best = max(spec.options, key=lambda o: o.score)
            answers[item.id] = Answer(choice=best.value)
        elif isinstance(spec, ElementsAnswer):
            answers[item.id] = Answer.model_validate(
                {"elements": {e.id: "covered" for e in spec.elements}}
            )
        else:
            answers[item.id] = Answer(status="covered")
    perfect = blank(CHECKLIST.version, jurisdiction="Utopia", answers=answers)
    data = render("pdf", build_report(perfect, CHECKLIST))
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert "No gap was found" in text and "100%" in text


def test_blank_assessment__still_makes_a_report() -> None:
    data = render("pdf", build_report(blank(CHECKLIST.version), CHECKLIST))
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert "Jurisdiction not stated" in text and "not yet answered" in text


def test_long_unbroken_text_and_long_arabic_notes__stay_on_the_page() -> None:
    item = CHECKLIST.items()[0]
    long_url = "https://example.invalid/" + "x" * 1900
    arabic = ("يعاقب القانون على بيع الأطفال " * 80).strip()
    chinese = "儿童权利公约任择议定书" * 120
    answers = {item.id: Answer(status="unknown", source_url=long_url, note=arabic, excerpt=chinese)}
    assessment = blank(CHECKLIST.version, jurisdiction="دولة الاختبار", answers=answers)
    data = render("pdf", build_report(assessment, CHECKLIST))
    pdf = PdfReader(io.BytesIO(data))
    width = float(pdf.pages[0].mediabox.width)
    assert width > 0 and len(pdf.pages) > 5
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "x" * 200 in text.replace("\n", "")


def test_fallback_fonts__are_added_only_for_the_scripts_a_text_needs() -> None:
    assert fonts.fallbacks(["Code pénal, Уголовный кодекс"]) == []
    assert [f.family for f in fonts.fallbacks(["قانون"])] == ["Almarai", "Almarai"]
    chinese = fonts.fallbacks(["刑法"])
    assert [f.family for f in chinese] == ["NotoSC"] and chinese[0].data


def test_text_needing_shaping__is_recognised() -> None:
    assert not needs_shaping("Code pénal, Уголовный кодекс, 刑法")
    assert needs_shaping("قانون") and is_rtl("قانون العقوبات 291")
    assert not is_rtl("Code 291 قانون")


def test_source_addresses__are_links() -> None:
    uris = {
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader().pages
        for annotation in page.get("/Annots", [])
    }
    for item_id, answer in report().assessment.answers.items():
        assert answer.source_url in uris, item_id


def test_citation_without_co__is_printed_with_its_caution() -> None:
    """The source paper cites CRC/C/OPSC/SDN/1 without "CO": every report says to check it."""
    assessment = blank(
        CHECKLIST.version, answers={"sale.camel-racing": Answer(status="not-covered")}
    )
    text = flat(
        " ".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(render("pdf", build_report(assessment)))).pages
        )
    )
    assert "CRC/C/OPSC/SDN/1, paras. 33-34 (Sudan) [caution: cited as the source paper" in text
