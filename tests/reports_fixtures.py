"""Complete assessments for the report tests and the benchmark, built from a real checklist.

Every item gets an answer, cycling through the answers its type allows, with provisions and
notes in French, Spanish, Russian, Arabic and Chinese, text that looks like a spreadsheet
formula, and control characters that a workbook cannot hold.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import cache

from checklist.assessment import Answer, Assessment, blank
from checklist.loader import default_checklist
from checklist.schema import Checklist, ChoiceAnswer, ElementsAnswer, Item, NumberAnswer
from reports import Report, build_report

UNICODE_TEXT = {
    "fr": "Code pénal, art. 225-12-1 : « le fait de solliciter un mineur » — été, garçon",
    "es": "Código Penal, artículo 187: explotación sexual de menores de dieciocho años",
    "ru": "Уголовный кодекс Российской Федерации, статья 127.1: торговля людьми",
    "ar": "قانون العقوبات، المادة 291",
    "zh": "中华人民共和国刑法第二百四十条",
}
FORMULA_LIKE = [
    '=HYPERLINK("http://example.invalid/x","click me")',
    "+1 see the amendment of 2019",
    "-x the article was repealed",
    "@SUM(A1:A9)",
]
CONTROL_NOTE = "Checked\x00 with\x07 the\x1b ministry\x0b on\x0c Monday."
CONTROL_NOTE_CLEAN = "Checked with the ministry on Monday."
JURISDICTION = "République de Côte d'Ivoire"


def complete_assessment(checklist: Checklist | None = None) -> Assessment:
    """Every item answered; the answers vary with the item's position so all kinds occur."""
    checklist = checklist or default_checklist()
    languages = list(UNICODE_TEXT)
    answers: dict[str, Answer] = {}
    for n, item in enumerate(checklist.items()):
        language = languages[n % len(languages)]
        formula = FORMULA_LIKE[n % len(FORMULA_LIKE)]
        answers[item.id] = _answer(item, n).model_copy(
            update={
                "provisions": [UNICODE_TEXT[language], f"Loi n° {2000 + n}-{n + 1}, art. {n + 3}"],
                "excerpt": f"{UNICODE_TEXT[languages[(n + 1) % len(languages)]]}\n{formula}",
                "source_url": f"https://legislation.example.invalid/{item.id}",
                "note": formula if n % 3 else CONTROL_NOTE,
            }
        )
    return blank(
        checklist.version,
        id="report-fixture-0001",
        jurisdiction=JURISDICTION,
        assessor="Ministère de la Justice / وزارة العدل / 司法部",
        title="Revue du Code pénal, 2026",
        date=dt.date(2026, 5, 31),
        law_date=dt.date(2008, 3, 1),
        scope="whole-protocol" if len(checklist.scopes) > 1 else "offences",
        answers=answers,
    )


def _answer(item: Item, n: int) -> Answer:
    spec = item.answer
    if isinstance(spec, NumberAnswer):
        return Answer(value=[16, spec.threshold, 14.5][n % 3])
    if isinstance(spec, ChoiceAnswer):
        return Answer(choice=spec.options[-1 - n % len(spec.options)].value)
    if isinstance(spec, ElementsAnswer):
        cycle = ["covered", "not-covered", "unknown", "covered"]
        return Answer.model_validate(
            {"elements": {e.id: cycle[(n + k) % 4] for k, e in enumerate(spec.elements)}}
        )
    return Answer.model_validate({"status": ["not-covered", "partly", "covered", "unknown"][n % 4]})


@cache
def complete_report() -> Report:
    """The complete assessment of the real checklist, scored: what both exporters' tests render."""
    checklist = default_checklist()
    return build_report(complete_assessment(checklist), checklist)


def far_row_workbook(workbook: bytes, row: int = 100_000_000) -> bytes:
    """``workbook`` with one cell far down its Items sheet and a ``<dimension>`` to match: 37 KB
    that would keep a naive reader walking empty rows for many minutes."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    names = re.findall(rb'<sheet [^>]*name="([^"]+)"', source.read("xl/workbook.xml"))
    name = f"xl/worksheets/sheet{names.index(b'Items') + 1}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == name:
                text = data.decode()
                text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:T{row}"', text)
                far = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>x</t></is></c></row>'
                data = text.replace("</sheetData>", far + "</sheetData>").encode()
            target.writestr(entry, data)
    return out.getvalue()
