"""The Protocol's English text ships as data, verbatim, and every quote is checked against it."""

from __future__ import annotations

import os
from pathlib import Path

from checklist.loader import default_checklist, default_protocol
from checklist.treaty import fold

SHARED = Path(os.environ.get("OPSC_SHARED", Path(__file__).parents[2] / "shared"))
REFERENCE = SHARED / "seeds" / "001_319cc55c87ba4ff4.txt"
if not REFERENCE.exists():  # a fresh clone without the shared folder: the vendored copy
    REFERENCE = Path(__file__).parent / "sources" / "ga-res-54-263-annex-ii-opsc-en.txt"
# The resolution's footnote markers, dropped from the packaged text (documented in protocol.yaml).
FOOTNOTE_MARKERS = [
    ("Rights of the Child1 and", "Rights of the Child and"),
    ("Child Pornography3 and", "Child Pornography and"),
    ("August 1996,4 and", "August 1996, and"),
]


def test_protocol__has_its_seventeen_articles_in_order() -> None:
    assert [a.number for a in default_protocol().articles] == list(range(1, 18))


def test_article_3_1_c__lists_the_eight_conducts() -> None:
    text = default_protocol().article(3).text
    assert (
        "Producing, distributing, disseminating, importing, exporting, offering, selling or possessing for the above purposes"
        in " ".join(text.split())
    )


def test_packaged_text__is_verbatim_the_reference_text() -> None:
    reference = " ".join(REFERENCE.read_text(encoding="utf-8").split())
    for marked, plain in FOOTNOTE_MARKERS:
        assert marked in reference
        reference = reference.replace(marked, plain)
    reference = fold(reference)
    protocol = default_protocol()
    for paragraph in [*protocol.preamble, *(p for a in protocol.articles for p in a.paragraphs)]:
        assert fold(paragraph) in reference, paragraph


def test_every_quote_in_the_checklist__is_found_in_the_protocol() -> None:
    protocol = default_protocol()
    quotes = [q for item in default_checklist().items() for q in item.treaty_text]
    assert quotes
    assert [q for q in quotes if not protocol.contains(q)] == []


def test_contains__folds_whitespace_case_and_curly_quotes_and_splits_at_ellipses() -> None:
    protocol = default_protocol()
    assert protocol.contains("subject to the provisions of a state party\u2019s   national law")
    assert protocol.contains("Each State Party shall ... take measures, where appropriate")
    assert not protocol.contains("Each State Party may ... abolish the Protocol")
    assert not protocol.contains("...")


def test_articles_cited__reads_the_article_numbers_of_a_reference() -> None:
    cited = default_protocol().articles_cited("art. 3(1)(a), 4(2); Committee")
    assert [a.number for a in cited] == [3, 4]
