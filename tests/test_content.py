"""The legal content of the checklist, tested against the content brief and the sources.

``REQUIRED`` below is the brief's list of required items (shared/CONTENT-BRIEF.md) written out
as the spec: saved assessments, reports and the CLI rely on these IDs and answer types. The
tests that compare citations and quotations with the source documents need the shared folder
(``$OPSC_SHARED`` or ``../shared``); they are skipped, saying why, where it is absent (e.g. in
CI on a fresh clone). Everything else runs on the checklist alone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from checklist.assessment import Assessment
from checklist.loader import (
    CONTENT_DIR,
    default_checklist,
    default_methodology,
    default_protocol,
    load_about,
)
from checklist.schema import ChoiceAnswer, ElementsAnswer, Item, NumberAnswer
from checklist.scoring import score
from checklist.treaty import Protocol

# id -> (answer type, obligation strength), as the brief gives them.
REQUIRED: dict[str, tuple[str, str]] = {
    # Definitions and age (art. 1, 2; Committee)
    "age.sale": ("number", "committee"),
    "age.prostitution": ("number", "committee"),
    "age.pornography": ("number", "committee"),
    "age.consent-independent": ("status", "committee"),
    "def.sale": ("status", "committee"),
    "def.prostitution": ("status", "mandatory"),
    "def.pornography": ("status", "mandatory"),
    # Sale of children (art. 3(1)(a))
    "sale.sexual-exploitation": ("elements", "mandatory"),
    "sale.organs": ("elements", "mandatory"),
    "sale.forced-labour": ("elements", "mandatory"),
    "sale.adoption-consent": ("status", "mandatory"),
    "adoption.all-actors": ("status", "committee"),
    # Child prostitution (art. 3(1)(b))
    "prostitution.conduct": ("elements", "mandatory"),
    # Child pornography (art. 3(1)(c); Committee)
    "pornography.conduct": ("elements", "mandatory"),
    "pornography.simple-possession": ("status", "committee"),
    "pornography.computer-possession": ("status", "committee"),
    # Attempt, participation, penalties (art. 3(2), 3(3))
    "liability.attempt": ("status", "qualified"),
    "liability.complicity": ("status", "qualified"),
    "penalties.grave": ("status", "mandatory"),
    "penalties.no-bar-to-jurisdiction": ("status", "committee"),
    # Legal persons (art. 3(4))
    "legal-persons.liability": ("choice", "qualified"),
    "legal-persons.all-offences": ("status", "qualified"),
    # Adoption (art. 3(5))
    "adoption.conformity": ("status", "mandatory"),
    # Jurisdiction and extradition (art. 4, 5; Committee)
    "jurisdiction.territorial": ("status", "mandatory"),
    "jurisdiction.ships-aircraft": ("status", "mandatory"),
    "jurisdiction.nationality-offender": ("status", "optional"),
    "jurisdiction.nationality-victim": ("status", "optional"),
    "jurisdiction.no-extradition-of-nationals": ("status", "mandatory"),
    "jurisdiction.double-criminality": ("status", "committee"),
    "extradition.extraditable-offences": ("status", "mandatory"),
    "extradition.protocol-as-basis": ("status", "optional"),
    "extradition.without-treaty": ("status", "mandatory"),
    "extradition.no-reciprocity-condition": ("status", "committee"),
    "extradition.prosecute-if-refused": ("status", "mandatory"),
    # Child victims (art. 8; Committee)
    "victims.non-criminalisation": ("status", "committee"),
    "victims.age-uncertainty": ("status", "mandatory"),
}

# Items added for points the sources make that no required item could record (issue 9).
ADDED: dict[str, tuple[str, str]] = {
    "sale.temporary-marriage": ("status", "committee"),  # the source paper, fn 18
    "sale.camel-racing": ("status", "committee"),  # fn 21
    "sale.armed-conflict-recruitment": ("status", "committee"),  # fn 25
    "cooperation.ngo-coordination": ("status", "qualified"),  # art. 10(1), second sentence
}

SALE_CONDUCTS = ["offering", "delivering", "accepting"]
PROSTITUTION_CONDUCTS = ["offering", "obtaining", "procuring", "providing"]
PORNOGRAPHY_CONDUCTS = [
    "producing",
    "distributing",
    "disseminating",
    "importing",
    "exporting",
    "offering",
    "selling",
    "possessing-for-these-purposes",
]

# The sections a lawyer expects, in the order of the Protocol.
CORE_SECTIONS = [
    "definitions",
    "sale",
    "prostitution",
    "pornography",
    "liability",
    "legal-persons",
    "adoption",
    "jurisdiction",
    "victims",
]

# How the Committee addresses a State: the first word of every recommendation.
COMMITTEE_VERBS = {
    "Abolish",
    "Adopt",
    "Allow",
    "Amend",
    "Avoid",
    "Consider",
    "Ensure",
    "Establish",
    "Extend",
    "Promote",
    "Protect",
    "Provide",
    "Strengthen",
    "Take",
}

CHECKLIST = default_checklist()
ITEMS = CHECKLIST.items()
ALL_IDS = [item.id for item in ITEMS]


def _item(item_id: str) -> Item:
    return CHECKLIST.item(item_id)


def _element_ids(item_id: str) -> list[str]:
    spec = _item(item_id).answer
    assert isinstance(spec, ElementsAnswer), f"{item_id} is not answered by conduct elements"
    return [e.id for e in spec.elements]


def _observations() -> list[dict[str, Any]]:
    data = yaml.safe_load((CONTENT_DIR / "observations.yaml").read_text(encoding="utf-8"))
    return list(data["observations"])


def _shared() -> Path:
    root = Path(os.environ.get("OPSC_SHARED") or Path(__file__).resolve().parents[2] / "shared")
    if not (root / "seeds").is_dir():
        pytest.skip(
            f"the shared source documents are not at {root} (set OPSC_SHARED to the folder "
            "holding seeds/ and tools/); this check compares the content with them"
        )
    return root


# --- every required item of the brief ------------------------------------------------------


@pytest.mark.parametrize("item_id", sorted(REQUIRED))
def test_required_item__exists_with_the_answer_type_of_the_brief(item_id: str) -> None:
    assert item_id in ALL_IDS, f"the brief requires the item {item_id}"
    assert _item(item_id).answer.type == REQUIRED[item_id][0]


@pytest.mark.parametrize("item_id", sorted(REQUIRED))
def test_required_item__has_the_obligation_strength_of_the_brief(item_id: str) -> None:
    assert _item(item_id).strength == REQUIRED[item_id][1]


@pytest.mark.parametrize("item_id", sorted(ADDED))
def test_added_item__exists_with_its_answer_type_and_strength(item_id: str) -> None:
    assert item_id in ALL_IDS
    assert (_item(item_id).answer.type, _item(item_id).strength) == ADDED[item_id]


def test_required_items__are_all_in_the_core_module() -> None:
    core = {item.id for item in CHECKLIST.items(frozenset({"core"}))}
    assert set(REQUIRED) <= core


def test_committee_points_on_particular_sales__are_in_the_sale_section() -> None:
    sale = {item.id for item in CHECKLIST.section_of("sale.organs").items}
    assert {
        "sale.temporary-marriage",
        "sale.camel-racing",
        "sale.armed-conflict-recruitment",
    } <= sale


def test_age_items__are_covered_from_18() -> None:
    for item_id in ("age.sale", "age.prostitution", "age.pornography"):
        spec = _item(item_id).answer
        assert isinstance(spec, NumberAnswer)
        assert spec.threshold == 18, item_id


def test_legal_persons_liability__criminal_civil_or_administrative_meet_art_3_4() -> None:
    spec = _item("legal-persons.liability").answer
    assert isinstance(spec, ChoiceAnswer)
    scores = {o.value: o.score for o in spec.options}
    assert scores == {"criminal": 1, "administrative": 1, "civil": 1, "none": 0}


# --- conduct elements of article 3(1) ------------------------------------------------------


@pytest.mark.parametrize(
    "item_id", ["sale.sexual-exploitation", "sale.organs", "sale.forced-labour"]
)
def test_sale_purpose__has_offering_delivering_and_accepting_of_art_3_1_a(item_id: str) -> None:
    assert _element_ids(item_id) == SALE_CONDUCTS


def test_prostitution_conduct__has_the_four_conducts_of_art_3_1_b() -> None:
    assert _element_ids("prostitution.conduct") == PROSTITUTION_CONDUCTS


def test_pornography_conduct__has_the_eight_conducts_of_art_3_1_c() -> None:
    assert _element_ids("pornography.conduct") == PORNOGRAPHY_CONDUCTS


@pytest.mark.parametrize(
    "item_id",
    [
        "sale.sexual-exploitation",
        "sale.organs",
        "sale.forced-labour",
        "prostitution.conduct",
        "pornography.conduct",
    ],
)
def test_conduct_elements__are_the_verbs_of_the_treaty_text_they_quote(item_id: str) -> None:
    quoted = " ".join(_item(item_id).treaty_text).lower()
    for element in _element_ids(item_id):
        verb = element.split("-")[0]
        assert re.search(rf"\b{verb}\b", quoted), f"{item_id}: '{verb}' is not in its quote"


def test_conduct_items__a_seller_punished_but_not_the_buyer_is_a_partial_gap() -> None:
    answers = {
        "sale.sexual-exploitation": {
            "elements": {"offering": "covered", "delivering": "covered", "accepting": "not-covered"}
        }
    }
    result = score(
        CHECKLIST, Assessment.model_validate({"answers": answers}), default_methodology()
    )
    (gap,) = [g for g in result.gaps if g.id == "sale.sexual-exploitation"]
    assert gap.state == "partly"
    assert gap.missing_elements == ["Accepting"]


# --- what every item carries ---------------------------------------------------------------


@pytest.mark.parametrize("item_id", ALL_IDS)
def test_every_item__has_question_guidance_recommendation_and_treaty_text(item_id: str) -> None:
    item = _item(item_id)
    assert "?" in item.question, "a question is put as a question"
    assert len(item.guidance) >= 150, "guidance says what counts as coverage and the pitfalls"
    assert item.evidence, "say what evidence to cite"
    assert item.treaty_ref and item.treaty_text
    assert len(item.recommendation) >= 60


@pytest.mark.parametrize("item_id", ALL_IDS)
def test_every_item__recommendation_is_addressed_to_the_state_as_the_committee_would(
    item_id: str,
) -> None:
    recommendation = _item(item_id).recommendation
    assert re.match(r"[A-Za-z]+", recommendation)[0] in COMMITTEE_VERBS, recommendation[:60]
    assert recommendation.rstrip().endswith(".")


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.answer.type == "status"])
def test_status_item__guidance_says_what_counts_as_covered(item_id: str) -> None:
    assert "Covered" in _item(item_id).guidance or "covered" in _item(item_id).guidance


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.strength == "committee"])
def test_committee_item__explains_the_interpretation_and_cites_the_committee(
    item_id: str,
) -> None:
    item = _item(item_id)
    assert item.interpretation, "say how the Committee reads the text"
    assert item.references, "cite the concluding observations that show the point"
    assert "Committee" in item.treaty_ref


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.strength == "good-practice"])
def test_good_practice_item__is_marked_as_such_in_its_treaty_reference(item_id: str) -> None:
    assert "good practice" in _item(item_id).treaty_ref


def test_recommendations__are_distinct_for_every_item() -> None:
    duplicated = [r for r, n in Counter(i.recommendation for i in ITEMS).items() if n > 1]
    assert duplicated == []


# --- sections, modules and skip logic ------------------------------------------------------


def test_core_sections__are_those_a_lawyer_recognises_in_the_order_of_the_protocol() -> None:
    core = [s.id for s in CHECKLIST.sections if s.module == "core"]
    assert core == CORE_SECTIONS


SCOPES = {
    "offences": ("Article 3 offences and the Committee's points", ["core"]),
    "criminal-law": ("Criminal law and procedure (articles 1 to 8)", ["core", "procedure"]),
    "whole-protocol": (
        "The whole Protocol (articles 1 to 10)",
        ["core", "procedure", "protection"],
    ),
}


def test_scopes__are_the_three_the_user_chooses_from_with_offences_the_default() -> None:
    assert {s.id: (s.title, s.modules) for s in CHECKLIST.scopes} == SCOPES
    assert CHECKLIST.default_scope.id == "offences"
    assert CHECKLIST.default_modules == frozenset({"core"})


def test_blank_assessment__is_scored_on_the_default_scope_only() -> None:
    result = score(CHECKLIST, Assessment.model_validate({}), default_methodology())
    core = {s.id for s in CHECKLIST.sections if s.module == "core"}
    assert {s.id for s in result.sections} == core


@pytest.mark.parametrize(
    ("module", "articles"), [("procedure", [6, 7, 8]), ("protection", [9, 10])]
)
def test_wider_module__covers_exactly_its_articles(module: str, articles: list[int]) -> None:
    refs = [i.treaty_ref for i in CHECKLIST.items(frozenset({module}))]
    cited = {int(n) for ref in refs for n in re.findall(r"art\. (\d+)\(", ref)}
    assert cited == set(articles)


@pytest.mark.parametrize("title", [title for title, _ in SCOPES.values()])
def test_about__describes_each_scope_by_its_exact_title(title: str) -> None:
    assert f"**{title}**" in load_about()


def test_legal_persons_all_offences__is_skipped_when_there_is_no_liability() -> None:
    answers = {"legal-persons.liability": {"choice": "none"}}
    result = score(
        CHECKLIST, Assessment.model_validate({"answers": answers}), default_methodology()
    )
    (item,) = [r for r in result.items if r.id == "legal-persons.all-offences"]
    assert item.state == "not-applicable" and item.score is None


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.answer.allow_not_applicable])
def test_not_applicable__is_offered_only_where_the_guidance_says_when(item_id: str) -> None:
    assert '"not applicable"' in _item(item_id).guidance


def test_not_applicable__is_offered_only_where_it_is_genuinely_possible() -> None:
    offered = {i.id for i in ITEMS if i.answer.allow_not_applicable}
    assert offered == {
        "jurisdiction.ships-aircraft",  # no register of ships or aircraft at all
        "jurisdiction.no-extradition-of-nationals",  # nationals are extradited
        "extradition.protocol-as-basis",  # extradition is not conditional on a treaty
        "extradition.without-treaty",  # extradition is conditional on a treaty
        "extradition.prosecute-if-refused",  # nationals are extradited
        "cooperation.assistance",  # not "in a position to do so"
    }


# --- obligation strengths, graded as the Protocol words them --------------------------------

# "may" as the operative verb of a State's duty ("Each State Party may take", "it may
# consider"), not "as may be necessary" or "liability ... may be criminal, civil or administrative".
MAY = re.compile(r"\b(?:State Party|States Parties|it) may\b", re.IGNORECASE)

# The Protocol's own qualifiers of a "shall". Article 5(2)-(3)'s "subject to the conditions
# provided by the law of the requested State" is not among them: it governs whether a given
# request is granted, not the duty to treat the offences as extraditable (the brief grades
# art. 5(3) mandatory).
QUALIFIERS = (
    "subject to the provisions of",
    "subject to the legal principles",
    "where appropriate",
    "in appropriate cases",
    "as appropriate",
    "in accordance with national law",
    "in accordance with their domestic law",
    "consistent with the procedural rules",
    "all feasible measures",
    "shall promote",
    "shall also promote",
    "in a position to do so",
)
TREATY_STRENGTHS = {"mandatory", "qualified", "optional"}


def _quotes(item: Item) -> str:
    return re.sub(r"\s+", " ", " ".join(item.treaty_text))


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.strength in TREATY_STRENGTHS])
def test_treaty_item__whose_quote_says_may__is_optional(item_id: str) -> None:
    if MAY.search(_quotes(_item(item_id))):
        assert _item(item_id).strength == "optional", "a 'may' graded as 'shall' is wrong law"


@pytest.mark.parametrize("item_id", ALL_IDS)
def test_item__whose_quote_carries_a_qualifier__is_not_mandatory(item_id: str) -> None:
    found = [q for q in QUALIFIERS if q in _quotes(_item(item_id)).lower()]
    if found:
        assert _item(item_id).strength != "mandatory", f"quotes {found} but graded mandatory"


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.strength == "optional"])
def test_optional_item__quotes_the_may_it_rests_on(item_id: str) -> None:
    assert MAY.search(_quotes(_item(item_id)))


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.strength == "qualified"])
def test_qualified_item__quotes_the_qualifier_it_rests_on(item_id: str) -> None:
    assert any(q in _quotes(_item(item_id)).lower() for q in QUALIFIERS)


@pytest.mark.parametrize(
    ("item_id", "strength"),
    [
        ("extradition.protocol-as-basis", "optional"),  # art. 5(2): "may consider"
        ("extradition.without-treaty", "mandatory"),  # art. 5(3): "shall recognize"
        ("extradition.no-reciprocity-condition", "committee"),  # QAT/CO/1 paras 25-26
    ],
)
def test_extradition__is_subject_to_the_law_of_the_requested_state(
    item_id: str, strength: str
) -> None:
    item = _item(item_id)
    assert item.strength == strength
    assert "subject to the conditions provided by the law of the requested State" in _quotes(item)


def test_reciprocity_condition__is_the_committee_s_point_not_a_treaty_breach() -> None:
    (ref,) = _item("extradition.no-reciprocity-condition").references
    assert (ref.symbol, ref.paragraphs) == ("CRC/C/OPSC/QAT/CO/1", "25-26")
    for item_id in ("extradition.protocol-as-basis", "extradition.without-treaty"):
        assert "reciprocity" in _item(item_id).guidance  # says it does not make the item a gap


@pytest.mark.parametrize(
    "item_id", [i.id for i in ITEMS if re.match(r"art\. 3\((2|4)\)", i.treaty_ref)]
)
def test_art_3_2_and_3_4_gaps__keep_the_qualifier_in_title_and_recommendation(
    item_id: str,
) -> None:
    item = _item(item_id)
    for text in (item.title, item.recommendation):
        assert "national law" in text or "where appropriate" in text, text


def test_penalties__gravity_is_the_treaty_duty_and_jurisdiction_the_committee_s_point() -> None:
    grave, bar = _item("penalties.grave"), _item("penalties.no-bar-to-jurisdiction")
    assert (grave.strength, bar.strength) == ("mandatory", "committee")
    assert not grave.references
    assert [(r.symbol, r.paragraphs) for r in bar.references] == [("CRC/C/OPSC/AND/CO/1", "16-17")]
    assert "extradition" not in grave.question + grave.guidance + grave.recommendation


# --- the legal basis of every item ---------------------------------------------------------


@pytest.mark.parametrize("item_id", ALL_IDS)
def test_every_item__states_its_legal_basis(item_id: str) -> None:
    assert len(_item(item_id).basis) >= 100, "say why this strength and this threshold"


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.strength in TREATY_STRENGTHS])
def test_treaty_item__basis_quotes_the_operative_words_of_the_protocol(item_id: str) -> None:
    quoted = re.findall(r'"([^"]+)"', _item(item_id).basis)
    assert any(len(q.split()) >= 3 and default_protocol().contains(q) for q in quoted)


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.strength == "committee"])
def test_committee_item__basis_names_the_footnote_of_the_source_paper(item_id: str) -> None:
    assert "the source paper, fn" in _item(item_id).basis


@pytest.mark.parametrize("item_id", [i.id for i in ITEMS if i.strength == "good-practice"])
def test_good_practice_item__basis_says_it_goes_beyond_the_protocol(item_id: str) -> None:
    assert "beyond the Protocol" in _item(item_id).basis


def test_user_facing_text__speaks_of_the_source_paper_not_of_seeds() -> None:
    for item in ITEMS:
        text = " ".join([item.question, item.guidance, item.interpretation, item.basis])
        assert "seed" not in text.lower(), item.id


def _long_quotes(item: Item) -> list[str]:
    text = " ".join([item.question, item.guidance, item.interpretation, item.basis])
    return [q for q in re.findall(r'"([^"]+)"', re.sub(r"\s+", " ", text)) if len(q.split()) >= 5]


def test_quotations_in_the_text__are_the_protocol_or_the_source_paper_never_later_instruments() -> (
    None
):
    """Later instruments (Cybercrime, Lanzarote, ECOSOC Guidelines) are described, not quoted."""
    protocol = default_protocol()
    elsewhere = [(i.id, q) for i in ITEMS for q in _long_quotes(i) if not protocol.contains(q)]
    if not elsewhere:
        return
    paper = _folded_seed_004(_shared()).lower()
    for item_id, quote in elsewhere:
        parts = [p.strip(" .,;:") for p in quote.lower().split("...")]
        assert all(p in paper for p in parts if p), f"{item_id}: {quote!r} is in neither source"


# --- skip rules ----------------------------------------------------------------------------

NATIONALITY = ["jurisdiction.nationality-offender", "jurisdiction.nationality-victim"]


def _state_of(item_id: str, answers: dict[str, Any]) -> str:
    assessment = Assessment.model_validate({"answers": answers})
    result = score(CHECKLIST, assessment, default_methodology())
    (item,) = [r for r in result.items if r.id == item_id]
    return item.state


def test_double_criminality__rests_on_the_two_nationality_jurisdictions() -> None:
    rules = _item("jurisdiction.double-criminality").applies_if
    assert [(r.item, sorted(r.answer_in)) for r in rules] == [
        (n, ["covered", "partly"]) for n in NATIONALITY
    ]


def test_double_criminality__is_skipped_when_neither_nationality_jurisdiction_exists() -> None:
    answers = {n: {"status": "not-covered"} for n in NATIONALITY}
    assert _state_of("jurisdiction.double-criminality", answers) == "not-applicable"


@pytest.mark.parametrize(
    ("offender", "victim"),
    [
        ("covered", "not-covered"),
        ("not-covered", "partly"),
        ("partly", "partly"),
        (None, "not-covered"),  # unanswered: the item applies until we know
        ("unknown", "not-covered"),
    ],
)
def test_double_criminality__applies_when_either_nationality_jurisdiction_may_exist(
    offender: str | None, victim: str
) -> None:
    answers = {NATIONALITY[1]: {"status": victim}}
    if offender is not None:
        answers[NATIONALITY[0]] = {"status": offender}
    assert _state_of("jurisdiction.double-criminality", answers) != "not-applicable"


def test_penalties_barring_jurisdiction__are_skipped_when_there_is_no_jurisdiction_abroad() -> None:
    answers = {n: {"status": "not-covered"} for n in NATIONALITY}
    answers["jurisdiction.no-extradition-of-nationals"] = {"status": "not-applicable"}
    assert _state_of("penalties.no-bar-to-jurisdiction", answers) == "not-applicable"
    answers[NATIONALITY[1]] = {"status": "partly"}
    assert _state_of("penalties.no-bar-to-jurisdiction", answers) != "not-applicable"


# --- Committee references and the observations register ------------------------------------


def test_observations_register__lists_only_observations_the_content_cites() -> None:
    cited = {(r.symbol, r.paragraphs) for i in ITEMS for r in i.references}
    listed = {(o["symbol"], str(o["paragraphs"])) for o in _observations()}
    assert listed - cited == set(), "an observation is listed but no item cites it"


def test_observations_register__has_no_duplicates_and_gives_state_date_and_footnote() -> None:
    rows = _observations()
    keys = Counter((o["symbol"], str(o["paragraphs"])) for o in rows)
    assert [k for k, n in keys.items() if n > 1] == []
    for row in rows:
        assert row["state"] and isinstance(row["date"], dt.date) and row["footnote"] > 0, row


def test_references__give_the_state_the_register_gives() -> None:
    states = {(o["symbol"], str(o["paragraphs"])): o["state"] for o in _observations()}
    for item in ITEMS:
        for ref in item.references:
            assert ref.state == states[(ref.symbol, ref.paragraphs)], (item.id, ref.citation)


def test_references_without_co__carry_the_caution_that_the_symbol_is_the_paper_s() -> None:
    for item in ITEMS:
        for ref in item.references:
            if "/CO/" not in ref.symbol:
                assert "symbol as given in the source paper" in ref.point, (item.id, ref.citation)


def _folded_seed_004(shared: Path) -> str:
    text = (shared / "seeds" / "004_85c6f3e170e2acf9.txt").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", text)
    text = text.replace("CRC(C/", "CRC/C/").replace("/Mar/", "/MAR/")
    text = re.sub(r"(\d+)- (\d+)", r"\1-\2", text)  # a range broken across lines
    return re.sub(r"(?<![\d-])(\d+) and (\d+)(?![\d-])", r"\1-\2", text)  # "§ 13 and 14"


@pytest.mark.parametrize("row", _observations(), ids=lambda o: f"{o['symbol']} {o['paragraphs']}")
def test_every_cited_observation__appears_in_seed_004_with_its_paragraphs_and_date(
    row: dict[str, Any],
) -> None:
    text = _folded_seed_004(_shared())
    symbol, paragraphs = row["symbol"], str(row["paragraphs"])
    date = f"{row['date'].day} {row['date']:%B %Y}"
    windows = [text[m.end() : m.end() + 60] for m in re.finditer(re.escape(symbol + ")"), text)]
    paragraph = re.compile(rf"(?<![\d-]){re.escape(paragraphs)}(?![\d-])")
    assert any(paragraph.search(w) and date in w for w in windows), (
        f"{symbol}, paras. {paragraphs}, {date} is not cited so in seed 004"
    )


def test_every_treaty_quote__is_verbatim_in_seed_001() -> None:
    tool = _shared() / "tools" / "quote_check.py"
    dump = subprocess.run(
        [sys.executable, "-m", "checklist", "dump"], capture_output=True, text=True, check=True
    ).stdout
    check = subprocess.run(
        [sys.executable, str(tool)], input=dump, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout


# --- the about text ------------------------------------------------------------------------


def test_about__states_the_checklist_version() -> None:
    assert f"version {CHECKLIST.version}" in load_about()


@pytest.mark.parametrize(
    "point",
    ["not legal advice", "unknown", "54/263", "concluding observations", "Committee"],
)
def test_about__explains_sources_and_the_limits_of_a_self_assessment(point: str) -> None:
    assert point in load_about()


def test_dump__lists_every_required_id_and_the_about_text() -> None:
    dump = json.loads(
        subprocess.run(
            [sys.executable, "-m", "checklist", "dump"], capture_output=True, text=True, check=True
        ).stdout
    )
    ids = {item["id"] for section in dump["sections"] for item in section["items"]}
    assert set(REQUIRED) <= ids
    assert dump["about"].startswith("# About this checklist")


@pytest.mark.parametrize("item_id", ALL_IDS)
def test_treaty_quotes__come_from_the_articles_the_item_cites(item_id: str) -> None:
    """A reader checks a quote against the article named beside it: they must agree."""
    protocol = default_protocol()
    item = _item(item_id)
    cited = [a.text for a in protocol.articles_cited(item.treaty_ref)]
    if "preamble" in item.treaty_ref.lower():
        cited += protocol.preamble
    scope = Protocol(title="", source="", preamble=cited, articles=[])
    for quote in item.treaty_text:
        assert scope.contains(quote), f"{quote[:60]!r} is not in {item.treaty_ref}"
