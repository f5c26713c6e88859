"""docs/legal-basis.md: the legal basis of every item, for a lawyer to audit without YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.legal_basis import _COVERED, _flat, covered_threshold, render_markdown
from checklist.loader import default_checklist, default_methodology

CHECKLIST = default_checklist()
DOC = Path(__file__).parents[1] / "docs" / "legal-basis.md"


def test_document_in_docs__is_the_one_the_content_gives() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(CHECKLIST, default_methodology()), (
        "run: python -m checklist legal-basis > docs/legal-basis.md"
    )


@pytest.mark.parametrize("item_id", [i.id for i in CHECKLIST.items()])
def test_every_item__gives_its_strength_basis_threshold_and_treaty_words(item_id: str) -> None:
    item = CHECKLIST.item(item_id)
    text = render_markdown(CHECKLIST, default_methodology())
    block = text.split(f"(`{item_id}`)")[1].split("\n### ")[0]
    assert default_methodology().strength_labels[item.strength] in block
    assert _flat(item.basis) in block
    assert f"**Covered when:** {covered_threshold(item)}" in block
    for quote in item.treaty_text:
        assert _flat(quote) in block


@pytest.mark.parametrize("item_id", [i.id for i in CHECKLIST.items() if i.answer.type == "status"])
def test_status_item__states_its_own_covered_threshold(item_id: str) -> None:
    assert _COVERED.search(_flat(CHECKLIST.item(item_id).guidance)), (
        "the guidance should say 'Covered: ...' before 'Partly' / 'Not covered'"
    )


def test_citation_without_co__is_shown_with_its_caution() -> None:
    text = render_markdown(CHECKLIST, default_methodology())
    line = next(line for line in text.splitlines() if "CRC/C/OPSC/SDN/1," in line)
    assert "[caution: cited as the source paper gives it, without 'CO'" in line
