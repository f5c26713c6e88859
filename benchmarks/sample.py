"""Realistic sample assessments for the benchmarks: every item answered, seeded, with
evidence text in several languages."""

from __future__ import annotations

import random

from checklist.assessment import Answer, Assessment
from checklist.schema import Checklist, ChoiceAnswer, ElementsAnswer, Item, NumberAnswer

PROVISIONS = [
    "Penal Code art. 366 quater",
    "Code pénal, art. 225-12-1",
    "Código Penal, art. 189",
    "Уголовный кодекс, ст. 242.1",
    "قانون العقوبات، المادة 291",
    "刑法第二百四十条",
]


def answer_for(item: Item, rng: random.Random) -> Answer:
    spec = item.answer
    evidence = {
        "provisions": [rng.choice(PROVISIONS)],
        "excerpt": "Whoever offers, delivers or accepts a child ... shall be punished. " * 3,
        "note": rng.choice(["Checked against the 2024 consolidation.", "À vérifier.", ""]),
    }
    if rng.random() < 0.08:
        return Answer(status="unknown", **evidence)
    if isinstance(spec, NumberAnswer):
        return Answer(value=rng.choice([16, 17, 18, 18, 18]), **evidence)
    if isinstance(spec, ChoiceAnswer):
        return Answer(choice=rng.choice(spec.options).value, **evidence)
    if isinstance(spec, ElementsAnswer):
        ticks = {e.id: rng.choice(["covered", "covered", "not-covered"]) for e in spec.elements}
        return Answer(elements=ticks, **evidence)
    return Answer(status=rng.choice(["covered", "covered", "partly", "not-covered"]), **evidence)


def sample_assessment(
    checklist: Checklist, seed: int = 0, jurisdiction: str = "Sampleland"
) -> Assessment:
    rng = random.Random(seed)
    return Assessment(
        jurisdiction=jurisdiction,
        assessor="Benchmark",
        checklist_version=checklist.version,
        scope="whole-protocol",
        answers={item.id: answer_for(item, rng) for item in checklist.items()},
    )
