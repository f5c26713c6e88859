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
from checklist.legal_basis import covered_threshold
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
    "Prevent",
    "Prohibit",
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
    # A qualifier of the Protocol's own may open the sentence ("As a State party in a position
    # to do so, provide ..."): the verb addressed to the State follows it.
    opening = re.sub(r"^As [^,]+, ", "", recommendation)
    assert re.match(r"[A-Za-z]+", opening)[0].capitalize() in COMMITTEE_VERBS, recommendation[:60]
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
        "sale.camel-racing",  # camel racing does not take place in the State
        "pornography.computer-possession",  # no possession offence of any kind
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


# Every jurisdiction over offences committed abroad that a double-criminality condition could
# restrict: article 4(2)(a), 4(2)(b) and 4(3).
ABROAD = [*NATIONALITY, "jurisdiction.no-extradition-of-nationals"]


def test_double_criminality__rests_on_every_jurisdiction_over_offences_abroad() -> None:
    rules = _item("jurisdiction.double-criminality").applies_if
    assert [(r.item, sorted(r.answer_in)) for r in rules] == [
        (n, ["covered", "partly"]) for n in ABROAD
    ]


@pytest.mark.parametrize("art_4_3", ["not-covered", "not-applicable"])
def test_double_criminality__is_skipped_when_there_is_no_jurisdiction_abroad(art_4_3: str) -> None:
    answers = {n: {"status": "not-covered"} for n in NATIONALITY}
    answers["jurisdiction.no-extradition-of-nationals"] = {"status": art_4_3}
    assert _state_of("jurisdiction.double-criminality", answers) == "not-applicable"


@pytest.mark.parametrize("art_4_3", ["covered", "partly", "unknown", None])
def test_double_criminality__applies_where_only_art_4_3_jurisdiction_may_exist(
    art_4_3: str | None,
) -> None:
    """A national who is not extradited can still meet a double-criminality condition."""
    answers: dict[str, Any] = {n: {"status": "not-covered"} for n in NATIONALITY}
    if art_4_3 is not None:
        answers["jurisdiction.no-extradition-of-nationals"] = {"status": art_4_3}
    assert _state_of("jurisdiction.double-criminality", answers) != "not-applicable"


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
    answers["jurisdiction.no-extradition-of-nationals"] = {"status": "not-applicable"}
    if offender is not None:
        answers[NATIONALITY[0]] = {"status": offender}
    assert _state_of("jurisdiction.double-criminality", answers) != "not-applicable"


def _partly_clause(item_id: str) -> str:
    guidance = re.sub(r"\s+", " ", _item(item_id).guidance)
    match = re.search(r"Partly: (.*?)(?= Not covered\b)", guidance)
    assert match, f"{item_id}: no 'Partly: ... Not covered' in the guidance"
    return match.group(1).lower()


@pytest.mark.parametrize("item_id", NATIONALITY)
def test_jurisdiction_abroad__does_not_count_double_criminality_or_a_penalty_threshold(
    item_id: str,
) -> None:
    """Under art. 4(2) each is recorded once: in jurisdiction.double-criminality and in
    penalties.no-bar-to-jurisdiction."""
    partly = _partly_clause(item_id)
    assert "double criminality" not in partly and "penalty" not in partly
    guidance = _item(item_id).guidance
    assert "jurisdiction.double-criminality" in guidance
    assert "penalties.no-bar-to-jurisdiction" in guidance


def test_no_extradition_of_nationals__records_its_own_penalty_threshold() -> None:
    """Art. 4(3) "shall" reaches every offence: a penalty threshold on that jurisdiction that
    leaves some out is a mandatory shortfall, recorded here and not in the Committee's item."""
    item = _item("jurisdiction.no-extradition-of-nationals")
    partly = _partly_clause(item.id)
    assert "double criminality" not in partly
    assert "or a penalty threshold on this jurisdiction leaves some offences out" in partly
    assert "penalty thresholds are left" not in re.sub(r"\s+", " ", item.guidance)
    assert "shortfall" in item.basis and "penalties.no-bar-to-jurisdiction" not in item.basis
    bar = _item("penalties.no-bar-to-jurisdiction")
    guidance = re.sub(r"\s+", " ", bar.guidance)
    assert "by a national who is not extradited" not in guidance
    assert (
        "a threshold on art. 4(3) jurisdiction is recorded in "
        "jurisdiction.no-extradition-of-nationals, not here" in guidance
    )


def test_no_extradition_of_nationals__points_double_criminality_to_its_own_item() -> None:
    assert (
        "A double-criminality condition is asked in jurisdiction.double-criminality, not here."
        in re.sub(r"\s+", " ", _item("jurisdiction.no-extradition-of-nationals").guidance)
    )


def test_prosecute_if_refused__is_answered_on_the_duty_to_submit_only() -> None:
    """The art. 4(3) jurisdiction gap is recorded in its own item, not again under art. 5(5)."""
    covered = covered_threshold(_item("extradition.prosecute-if-refused")).lower()
    assert "submit the case" in covered and "jurisdiction" not in covered


def test_extraditable_offences__rests_on_treaties_and_leaves_the_law_s_threshold_aside() -> None:
    """Art. 5(1) is about treaties; the extradition law's penalty threshold is art. 5(3)'s."""
    covered = covered_threshold(_item("extradition.extraditable-offences")).lower()
    assert "treaty" in covered and "threshold" not in covered
    assert "threshold" in covered_threshold(_item("extradition.without-treaty")).lower()


def test_bilateral_treaty_limb__is_recorded_once_for_a_state_that_requires_a_treaty() -> None:
    item = _item("extradition.no-reciprocity-condition")
    guidance = re.sub(r"\s+", " ", item.guidance)
    assert "the bilateral-treaty limb is recorded in extradition.protocol-as-basis" in guidance
    assert "extradition.no-reciprocity-condition" in _item("extradition.protocol-as-basis").guidance
    assert re.sub(r"\s+", " ", item.question) == (
        "Leaving aside whether a State that requires a treaty can use the Protocol as its basis "
        "(asked in extradition.protocol-as-basis), is extradition for these offences free of "
        "any condition of reciprocity?"
    )
    assert "in the law itself" not in guidance
    for clause in (covered_threshold(item), _partly_clause(item.id)):
        assert "bilateral" not in clause.lower()
    assert "bilateral" not in guidance.split("Not covered: ")[1].split(".")[0]


def test_protocol_as_basis__recommendation_stays_optional_and_names_the_committee_s_objection() -> (
    None
):
    rec = re.sub(r"\s+", " ", _item("extradition.protocol-as-basis").recommendation)
    assert rec.startswith("Consider ")
    assert "limiting extradition to the existence of bilateral agreements" in rec
    assert "CRC/C/OPSC/QAT/CO/1, paras. 25-26" in rec


def test_penalties_barring_jurisdiction__rest_on_art_4_2_jurisdiction_only() -> None:
    rules = _item("penalties.no-bar-to-jurisdiction").applies_if
    assert [(r.item, sorted(r.answer_in)) for r in rules] == [
        (n, ["covered", "partly"]) for n in NATIONALITY
    ]


@pytest.mark.parametrize("art_4_3", ["covered", "partly", "not-applicable", None])
def test_penalties_barring_jurisdiction__are_skipped_without_art_4_2_jurisdiction(
    art_4_3: str | None,
) -> None:
    """Art. 4(3) jurisdiction alone does not bring the item back: a threshold on it is
    recorded in jurisdiction.no-extradition-of-nationals."""
    answers: dict[str, Any] = {n: {"status": "not-covered"} for n in NATIONALITY}
    if art_4_3 is not None:
        answers["jurisdiction.no-extradition-of-nationals"] = {"status": art_4_3}
    assert _state_of("penalties.no-bar-to-jurisdiction", answers) == "not-applicable"


@pytest.mark.parametrize(
    ("offender", "victim"),
    [("covered", "not-covered"), ("not-covered", "partly"), (None, "not-covered")],
)
def test_penalties_barring_jurisdiction__apply_when_art_4_2_jurisdiction_may_exist(
    offender: str | None, victim: str
) -> None:
    answers: dict[str, Any] = {NATIONALITY[1]: {"status": victim}}
    if offender is not None:
        answers[NATIONALITY[0]] = {"status": offender}
    assert _state_of("penalties.no-bar-to-jurisdiction", answers) != "not-applicable"


def test_computer_possession__is_answered_on_any_possession_offence_not_skipped() -> None:
    """Possession only "for the above purposes" (pornography.conduct) still raises the question
    of digital files, so no skip rule on simple possession: "not applicable" where the law
    punishes no possession at all."""
    item = _item("pornography.computer-possession")
    assert item.applies_if == [] and item.answer.allow_not_applicable
    answers = {"pornography.simple-possession": {"status": "not-covered"}}
    assert _state_of(item.id, answers) == "unanswered"
    answers[item.id] = {"status": "not-applicable"}
    assert _state_of(item.id, answers) == "not-applicable"
    assert "no possession" in covered_threshold(item) or "not applicable" in item.guidance


@pytest.mark.parametrize("item_id", ["sale.camel-racing", "pornography.computer-possession"])
def test_not_applicable__is_excluded_from_the_score(item_id: str) -> None:
    answers = {item_id: {"status": "not-applicable"}}
    result = score(
        CHECKLIST, Assessment.model_validate({"answers": answers}), default_methodology()
    )
    (item,) = [r for r in result.items if r.id == item_id]
    assert item.state == "not-applicable" and item.score is None
    assert item_id not in {g.id for g in result.gaps}


# --- one fact, one item --------------------------------------------------------------------

CONDUCTS_ALONE = "Answer on the conducts alone: the age is asked in"


@pytest.mark.parametrize(
    ("item_id", "age_item", "definition_item"),
    [
        ("sale.sexual-exploitation", "age.sale", "def.sale-definition"),
        ("sale.organs", "age.sale", "def.sale-definition"),
        ("sale.forced-labour", "age.sale", "def.sale-definition"),
        ("prostitution.conduct", "age.prostitution", "def.prostitution"),
        ("pornography.conduct", "age.pornography", "def.pornography"),
    ],
)
def test_conduct_item__is_answered_on_the_conducts_alone(
    item_id: str, age_item: str, definition_item: str
) -> None:
    guidance = re.sub(r"\s+", " ", _item(item_id).guidance)
    assert f"{CONDUCTS_ALONE} {age_item}" in guidance
    assert definition_item in guidance.split(CONDUCTS_ALONE)[1]


def test_pornography_conduct__leaves_live_transmission_to_the_definition() -> None:
    guidance = re.sub(r"\s+", " ", _item("pornography.conduct").guidance)
    assert "live stream" not in guidance
    assert "media (drawings, live transmission) in def.pornography" in guidance


@pytest.mark.parametrize("item_id", ["age.sale", "age.prostitution", "age.pornography"])
def test_age_item__cites_the_committee_for_sexual_consent_only(item_id: str) -> None:
    """Fn 31 says "irrespective of the age of sexual consent"; marriage and majority are the
    checklist's reading, and marriage or consent defences are age.consent-independent's."""
    item = _item(item_id)
    basis = re.sub(r"\s+", " ", item.basis)
    assert '"irrespective of the age of sexual consent"' in basis
    assert "which the checklist reads as also excluding" in basis
    assert "age.consent-independent" in item.guidance
    assert "or of majority" not in item.recommendation


def test_age_prostitution__is_18_only_if_every_conduct_reaches_every_child() -> None:
    guidance = re.sub(r"\s+", " ", _item("age.prostitution").guidance)
    assert (
        "Enter 18 only if each of offering, obtaining, procuring and providing is punishable, "
        "under a child-specific or a general offence, for every child under 18." in guidance
    )
    assert "lowest age at which any one of the four conducts stops being punishable" in guidance
    for item_id in ("age.sale", "age.pornography"):
        assert "lowest age at which any conduct stops being punishable" in re.sub(
            r"\s+", " ", _item(item_id).guidance
        )


def test_age_prostitution__a_general_procuring_offence_does_not_hide_an_obtaining_gap() -> None:
    """General procuring for all ages, buying sex punishable only under 16 (fn 31's concern):
    the conduct item is covered, the age item is the one gap."""
    answers = {
        "prostitution.conduct": {"elements": dict.fromkeys(PROSTITUTION_CONDUCTS, "covered")},
        "age.prostitution": {"value": 16},
    }
    assert _state_of("prostitution.conduct", answers) == "covered"
    assert _state_of("age.prostitution", answers) == "not-covered"


def test_consent_independent__is_about_defences_not_the_written_age() -> None:
    item = _item("age.consent-independent")
    assert "defence" in item.question
    assert "sale.temporary-marriage" in item.guidance
    assert "checklist's own reading" in item.basis


def test_consent_independent__majority_is_early_majority_by_an_individual_event() -> None:
    """Fn 31 sets 18 "irrespective of the age of sexual consent": nothing about lighter
    treatment; a general age of majority below 18 is a lower age limit, for the age items."""
    item = _item("age.consent-independent")
    guidance = re.sub(r"\s+", " ", item.guidance)
    assert "lighter treatment" not in covered_threshold(item)
    assert "marriage, emancipation or a court declaration" in covered_threshold(item)
    assert (
        "a general age of majority below 18 used by the offences is entered in age.sale, "
        "age.prostitution and age.pornography only" in guidance
    )
    for text in (item.question, item.basis, item.interpretation, item.recommendation):
        flat = re.sub(r"\s+", " ", text)
        assert "majority or emancipation" not in flat and "court declaration" in flat


def test_sale_definition__the_treaty_elements_are_a_mandatory_item_of_their_own() -> None:
    """Art 3(1)(a) covers the conducts 'In the context of sale of children as defined in
    article 2': any act or transaction, any consideration. That is the Protocol's text, so a
    narrowed definition is a treaty shortfall, never only a Committee departure."""
    item = _item("def.sale-definition")
    assert item.strength == "mandatory"
    assert "In the context of sale of children as defined in article 2" in item.treaty_text
    not_covered = re.sub(r"\s+", " ", item.guidance).split("Not covered: ")[1]
    assert "only payment in money" in not_covered and "only specific transactions" in not_covered
    assert "def.sale-definition" in re.sub(r"\s+", " ", _item("def.sale").guidance)


def test_def_sale__is_the_committee_point_that_sale_be_treated_as_such() -> None:
    item = _item("def.sale")
    assert item.strength == "committee"
    assert "rather than relying only on an offence of trafficking" in re.sub(
        r"\s+", " ", item.question
    )
    assert "consideration" not in _partly_clause(item.id).split("coincide")[0]
    assert "without citing an observation" in item.basis
    text = " ".join([item.basis, item.interpretation, *(r.point for r in item.references)])
    assert "hamper" not in text and "may cause difficulties" in text
    assert "counted both here, as the Committee's point, and, as a treaty shortfall" in re.sub(
        r"\s+", " ", item.guidance
    )


def test_temporary_marriage__covered_is_prevention_and_prohibition_not_punishment() -> None:
    item = _item("sale.temporary-marriage")
    covered = covered_threshold(item).lower()
    assert "prohibited" in covered and "prevent" in covered and "punishable" not in covered
    assert item.recommendation.startswith("Prevent and prohibit so-called temporary marriages")
    assert "sale.temporary-marriage" in _item("sale.sexual-exploitation").guidance


def test_camel_racing__is_a_prohibition_with_sanctions_not_a_sale_offence() -> None:
    item = _item("sale.camel-racing")
    covered = covered_threshold(item).lower()
    assert "prohibits the use of children in camel racing" in covered
    assert "effective sanctions" in covered
    assert item.recommendation.startswith("Prohibit the use of children in camel racing")
    inference = (
        "the paper reports no recommendation; the prohibition threshold is the checklist's "
        "inference from the Committee's classification of the activity as a worst form of "
        "child labour"
    )
    for text in (item.basis, item.interpretation):
        assert inference.lower() in re.sub(r"\s+", " ", text).lower()
    assert "sale.forced-labour" in item.guidance
    intro = re.sub(r"\s+", " ", CHECKLIST.section_of(item.id).intro)
    assert (
        "the use of children in camel racing, which the Committee regards as a worst form of "
        "child labour" in intro
    )
    assert "prohibition of the use of children in camel racing" not in intro


def test_armed_conflict_recruitment__rests_on_one_state_and_leaves_conducts_to_forced_labour() -> (
    None
):
    item = _item("sale.armed-conflict-recruitment")
    assert "single-State recommendation" in item.basis
    assert [r.state for r in item.references] == ["Sudan"]
    assert "sale.forced-labour" in item.guidance


def test_adoption_all_actors__rests_on_sale_for_adoption_only() -> None:
    item = _item("adoption.all-actors")
    assert "in violation of the applicable international instruments" not in re.sub(
        r"\s+", " ", covered_threshold(item)
    )
    assert "The source paper (not the Committee) finds" in re.sub(r"\s+", " ", item.interpretation)


@pytest.mark.parametrize("item_id", ["liability.attempt", "liability.complicity"])
def test_art_3_2_gap__is_recorded_though_national_law_shapes_the_rule(item_id: str) -> None:
    guidance = re.sub(r"\s+", " ", _item(item_id).guidance)
    assert "may rely on" not in guidance
    assert "lets national law shape the rule" in guidance
    assert "still recorded as partly (a shortfall against a qualified obligation)" in guidance


def test_no_delay__covered_at_the_text_of_art_8_1_g_priority_is_good_practice() -> None:
    item = _item("proceedings.no-delay")
    covered = covered_threshold(item).lower()
    assert "avoid unnecessary delay" in covered and "priority" in covered
    assert "time limits" not in covered
    assert "Good practice goes further" in item.guidance


@pytest.mark.parametrize("item_id", ["proceedings.child-sensitive", "proceedings.no-delay"])
def test_fn_54_measures__are_the_committee_s_recommendations_not_good_practice(
    item_id: str,
) -> None:
    """About.md keeps "good practice" for later standards and what the Committee only welcomed;
    interview rooms, trials "as soon as possible" and avoiding contact it recommended."""
    item = _item(item_id)
    for text in (item.guidance, item.basis):
        flat = re.sub(r"\s+", " ", text)
        assert "the Committee's recommendations beyond the text (not scored here)" in flat
        for sentence in flat.split(". "):
            if "as soon as possible" in sentence or "interview" in sentence:
                assert "good practice" not in sentence.lower(), sentence


def test_privacy__covered_when_closure_and_publication_bans_are_available_in_every_case() -> None:
    covered = covered_threshold(_item("proceedings.privacy")).lower()
    assert "in every case" in covered and "automatically or by an order" in covered
    assert "only the child's name" in _partly_clause("proceedings.privacy")


def test_assistance__is_owed_only_by_states_in_a_position_to_do_so() -> None:
    item = _item("cooperation.assistance")
    assert item.recommendation.startswith("As a State party in a position to do so, provide")
    assert "not in a position to do so (say why in the note)" in re.sub(r"\s+", " ", item.guidance)


def test_prevention__root_causes_are_those_the_paper_attributes_to_the_committee() -> None:
    item = _item("prevention.laws-and-programmes")
    text = re.sub(r"\s+", " ", " ".join([item.guidance, item.recommendation]))
    assert "root causes, such as poverty and underdevelopment" in text
    assert "harmful traditional practices" not in text and "conflict" not in text
    assert "the Committee has further recommended a holistic approach" in item.recommendation
    # Fn 50 says the Committee "mentioned" data and budget, not that it recommended an amount.
    assert "adequate budget" not in text
    for field in (item.guidance, item.recommendation):
        assert "the Committee has also raised data collection and the budget allocated to" in (
            re.sub(r"\s+", " ", field)
        )


def test_birth_registration__late_registration_is_marked_as_the_checklist_s_own() -> None:
    item = _item("prevention.birth-registration")
    assert "checklist's own standard" in item.guidance
    assert "checklist's own standard" in item.basis


def test_age_uncertainty__partly_is_about_the_law_not_practice() -> None:
    assert "in practice" not in _partly_clause("victims.age-uncertainty")


def test_age_uncertainty__partly_when_the_age_cannot_be_established() -> None:
    """Art. 8(2): "including investigations aimed at establishing the age of the victim";
    specific age-assessment rules are good practice, not needed for covered."""
    assert _partly_clause("victims.age-uncertainty") == (
        "investigations can start, but the authorities cannot take steps to establish the age "
        "(e.g. only a birth certificate is accepted, so the age cannot be established where "
        "there is none)."
    )
    guidance = re.sub(r"\s+", " ", _item("victims.age-uncertainty").guidance)
    assert "specific rules on age assessment" in guidance and "not needed for covered" in guidance


def test_forced_labour__the_choice_point_is_tied_to_camel_racing_and_armed_conflict() -> None:
    guidance = re.sub(r"\s+", " ", _item("sale.forced-labour").guidance)
    assert (
        "In relation to camel racing and recruitment in armed conflict, the Committee has taken "
        'the position that a child\'s "choice" cannot be called voluntary' in guidance
    )


def test_adoption_all_actors__does_not_count_the_intermediary_again() -> None:
    item = _item("adoption.all-actors")
    assert (
        "Answer on the actors other than the intermediary who improperly induces consent "
        "(sale.adoption-consent); that gap is not counted again here."
    ) in re.sub(r"\s+", " ", item.guidance)
    assert "only the intermediary" not in _partly_clause(item.id)


def test_legal_persons_all_offences__rests_on_the_offences_relied_on() -> None:
    item = _item("legal-persons.all-offences")
    text = re.sub(r"\s+", " ", item.guidance)
    assert "each offence relied on in the sale, prostitution and pornography items" in text
    assert "an offence missing altogether is recorded in its own item" in text
    assert "each offence relied on" in re.sub(r"\s+", " ", item.basis)


def test_computer_possession__leaves_the_definition_to_def_pornography() -> None:
    item = _item("pornography.computer-possession")
    assert (
        "A definition that leaves out digital images is recorded in def.pornography; answer here "
        "on whether the possession offence's own wording reaches data held in a computer system "
        "or on a storage medium."
    ) in re.sub(r"\s+", " ", item.guidance)
    partly = _partly_clause(item.id)
    assert "own wording" in partly
    assert "photographs or films" not in partly and "definition" not in partly


def test_best_interests__partly_when_the_rule_does_not_bind_criminal_justice() -> None:
    assert _partly_clause("proceedings.best-interests") == (
        "stated only in general child law that does not bind the criminal justice authorities, "
        "or only as policy."
    )


@pytest.mark.parametrize(
    "item_id",
    ["recovery.complaints", "prevention.birth-registration", "sale.temporary-marriage"],
)
def test_question__is_a_single_question(item_id: str) -> None:
    question = re.sub(r"\s+", " ", _item(item_id).question)
    assert question.count("?") == 1 and ":" not in question
    assert not re.search(r"\?.+", question), "nothing after the question mark"


def test_content__names_no_source_outside_the_project_s_sources() -> None:
    """The ICMEC model legislation is in none of the sources; it must not be cited."""
    texts = [load_about()] + [
        path.read_text(encoding="utf-8") for path in sorted(CONTENT_DIR.glob("*.yaml"))
    ]
    assert not any("icmec" in text.lower() for text in texts)


def test_internet_providers__cites_fn_33_as_a_group() -> None:
    item = _item("pornography.internet-providers")
    assert "strongly and consistently" not in item.interpretation
    for ref in item.references + _item("pornography.conduct").references:
        assert ref.point == (
            "cited with fn 33 as a group: recommendations on child-pornography legislation, "
            "including possession and ISP obligations"
        )


def test_about__never_calls_the_documents_without_co_concluding_observations() -> None:
    about = re.sub(r"\s+", " ", load_about())
    assert (
        "One document each for Sudan and Qatar, each cited for two paragraph ranges, under a "
        "symbol without 'CO/' (possibly the State party's report; check the UN document)."
    ) in about
    assert "Two observations on Sudan" not in about and "two on Qatar" not in about
    without_co = {
        (o["state"], str(o["paragraphs"])) for o in _observations() if "/CO/" not in o["symbol"]
    }
    assert sorted(without_co) == [
        ("Qatar", "31-32"),
        ("Qatar", "35-36"),
        ("Sudan", "33-34"),
        ("Sudan", "35-36"),
    ]


def test_about__good_practice_includes_what_the_committee_has_only_welcomed() -> None:
    assert "later standards that go further, or measures the Committee has only welcomed" in (
        re.sub(r"\s+", " ", load_about())
    )


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
