"""The scoring methodology: weights, answer scores and gap severity, read from data.

``content/methodology.yaml`` is the one place where the numbers live. The scoring core reads
them from here and every result carries a copy, so reports print exactly what was used.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from checklist.schema import STRENGTHS, Strength, Strict

Severity = Literal["critical", "high", "medium", "low"]
Verdict = Literal["treaty-shortfall", "incomplete", "committee-departures", "meets-all"]
VERDICTS: tuple[Verdict, ...] = (
    "treaty-shortfall",
    "incomplete",
    "committee-departures",
    "meets-all",
)
ScoreKind = Literal["treaty", "committee", "good-practice"]
GapKind = Literal["treaty", "treaty-optional", "committee", "good-practice"]
Shortfall = Literal["not-covered", "partly"]


class VerdictText(Strict):
    label: Annotated[str, Field(min_length=3)]
    meaning: Annotated[str, Field(min_length=20)]


class ScoreSpec(Strict):
    label: Annotated[str, Field(min_length=3)]
    strengths: Annotated[list[Strength], Field(min_length=1)]


class Methodology(Strict):
    version: str
    verdicts: dict[Verdict, VerdictText]
    scores: dict[ScoreKind, ScoreSpec]
    weights: dict[Strength, Annotated[float, Field(gt=0)]]
    core_offence_ceiling: Annotated[float, Field(gt=0, le=1)]
    status_scores: dict[
        Literal["covered", "partly", "not-covered"], Annotated[float, Field(ge=0, le=1)]
    ]
    severity_order: list[Severity]
    severity: dict[Strength, dict[Shortfall, Severity]]
    gap_kinds: dict[Strength, GapKind]
    gap_kind_labels: dict[GapKind, str]
    strength_labels: dict[Strength, str]
    explanation: Annotated[str, Field(min_length=20)]

    @model_validator(mode="after")
    def _every_strength_is_covered(self) -> Methodology:
        for table in ("weights", "severity", "gap_kinds", "strength_labels"):
            missing = set(STRENGTHS) - set(getattr(self, table))
            if missing:
                raise ValueError(f"{table} has no entry for {sorted(missing)}")
        if set(self.verdicts) != set(VERDICTS):
            raise ValueError(f"verdicts must describe each of {', '.join(VERDICTS)}")
        grouped = [s for spec in self.scores.values() for s in spec.strengths]
        if sorted(grouped) != sorted(STRENGTHS) or len(self.scores) != 3:
            raise ValueError(
                "scores (treaty, committee, good-practice) must list every strength exactly once"
            )
        if set(self.scores["treaty"].strengths) != {"mandatory", "qualified"}:
            raise ValueError("the treaty score is over the Protocol's text: mandatory, qualified")
        if set(self.severity_order) != {"critical", "high", "medium", "low"}:
            raise ValueError("severity_order must list critical, high, medium and low once each")
        return self

    def severity_rank(self, severity: Severity) -> int:
        return self.severity_order.index(severity)

    def strength_rank(self, strength: Strength) -> int:
        return STRENGTHS.index(strength)

    def score_kind(self, strength: Strength) -> ScoreKind:
        return next(kind for kind, spec in self.scores.items() if strength in spec.strengths)
