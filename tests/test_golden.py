"""Golden scoring cases: answers in, expected scores and ranked gaps out.

``golden/engine/`` runs against the small fixture checklist (tests/fixtures/content) and pins
the scoring rules; ``golden/states/`` runs against the real checklist and pins realistic
situations described in the Committee's observations. Each case is a YAML file; see
``golden/README.md`` for the format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checklist.assessment import Assessment
from checklist.loader import default_checklist, default_methodology, load_checklist
from checklist.schema import Checklist, ChoiceAnswer, ElementsAnswer, Item, NumberAnswer
from checklist.scoring import Result, score

GOLDEN = Path(__file__).parent / "golden"
FIXTURE = Path(__file__).parent / "fixtures" / "content"


def _cases(folder: str) -> list[Any]:
    return [pytest.param(path, id=path.stem) for path in sorted((GOLDEN / folder).glob("*.yaml"))]


def _best_answer(item: Item) -> dict[str, Any]:
    """The answer that fully covers ``item``: the case's starting point with ``baseline: best``."""
    spec = item.answer
    if isinstance(spec, NumberAnswer):
        return {"value": spec.threshold}
    if isinstance(spec, ChoiceAnswer):
        return {"choice": max(spec.options, key=lambda o: o.score).value}
    if isinstance(spec, ElementsAnswer):
        return {"elements": {e.id: "covered" for e in spec.elements}}
    return {"status": "covered"}


def _run(case: dict[str, Any], checklist: Checklist) -> Result:
    scope = case.get("scope", checklist.default_scope.id)
    answers: dict[str, Any] = {}
    if case.get("baseline") == "best":
        modules = checklist.scope_modules(scope)
        answers = {item.id: _best_answer(item) for item in checklist.items(modules)}
    answers.update(case.get("answers") or {})
    assessment = Assessment.model_validate(
        {"checklist_version": checklist.version, "scope": scope, "answers": answers}
    )
    return score(checklist, assessment, default_methodology())


EXPECT_KEYS = {
    "verdict",
    "treaty_score",
    "treaty_score_at_most",
    "committee_score_at_most",
    "good_practice_score_at_most",
    "committee_score",
    "good_practice_score",
    "answered",
    "gaps",
    "gaps_include",
    "gaps_exclude",
    "gap_order",
    "severity",
    "kind",
    "missing",
    "unknowns",
    "unanswered",
    "sections",
    "items",
    "no_items",
    "no_sections",
}


def _check(case: dict[str, Any], result: Result) -> None:
    expect = case["expect"]
    assert set(case) <= {"description", "scope", "baseline", "answers", "expect"}, set(case)
    assert set(expect) <= EXPECT_KEYS, f"unknown expect keys: {set(expect) - EXPECT_KEYS}"
    gap_ids = [g.id for g in result.gaps]
    gaps = {g.id: g for g in result.gaps}
    items = {i.id: i for i in result.items}
    sections = {s.id: s for s in result.sections}
    if "verdict" in expect:
        assert result.verdict == expect["verdict"]
    for name in ("treaty_score", "committee_score", "good_practice_score"):
        if name in expect:
            assert getattr(result, name) == pytest.approx(expect[name], abs=1e-4), name
    for name in ("treaty_score", "committee_score", "good_practice_score"):
        if f"{name}_at_most" in expect:
            value = getattr(result, name)
            assert value is not None and value <= expect[f"{name}_at_most"], f"{name} = {value}"
    if "answered" in expect:
        assert result.answered == expect["answered"]
    if "gaps" in expect:
        assert gap_ids == expect["gaps"]
    for gap_id in expect.get("gaps_include", []):
        assert gap_id in gap_ids, f"{gap_id} should be a gap; gaps: {gap_ids}"
    for gap_id in expect.get("gaps_exclude", []):
        assert gap_id not in gap_ids, f"{gap_id} should not be a gap"
    order = [g for g in expect.get("gap_order", [])]
    assert [g for g in gap_ids if g in order] == order, "gaps out of the expected order"
    for gap_id, severity in expect.get("severity", {}).items():
        assert gaps[gap_id].severity == severity, gap_id
    for gap_id, kind in expect.get("kind", {}).items():
        assert gaps[gap_id].kind == kind, gap_id
    for gap_id, labels in expect.get("missing", {}).items():
        assert gaps[gap_id].missing_elements == labels, gap_id
    if "unknowns" in expect:
        assert [p.id for p in result.unknowns] == expect["unknowns"]
    if "unanswered" in expect:
        assert [p.id for p in result.unanswered] == expect["unanswered"]
    for section_id, value in expect.get("sections", {}).items():
        assert sections[section_id].score == pytest.approx(value, abs=1e-4), section_id
    for item_id, fields in expect.get("items", {}).items():
        for name, value in fields.items():
            assert getattr(items[item_id], name) == value, f"{item_id}.{name}"
    for item_id in expect.get("no_items", []):
        assert item_id not in items
    for section_id in expect.get("no_sections", []):
        assert section_id not in sections


@pytest.mark.parametrize("path", _cases("engine"))
def test_engine_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    _check(case, _run(case, load_checklist(FIXTURE)))


@pytest.mark.parametrize("path", _cases("states"))
def test_state_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    _check(case, _run(case, default_checklist()))
