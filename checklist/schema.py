"""The shape of the checklist content, as pydantic models.

The YAML under ``checklist/content/`` is validated against these models by ``loader``. Item
IDs are the contract with saved assessments, reports and the CLI: they never change meaning.
Logic stays out of the data: answer types, strengths and skip rules are enums and plain
references, never expression strings.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Strength = Literal["mandatory", "qualified", "optional", "committee", "good-practice"]
STRENGTHS: tuple[Strength, ...] = (
    "mandatory",
    "qualified",
    "optional",
    "committee",
    "good-practice",
)

ID_PATTERN = r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$"
SLUG_PATTERN = r"^[a-z][a-z0-9-]*$"


class Strict(BaseModel):
    """Unknown keys are errors: a typo in the YAML must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CommitteeRef(Strict):
    """A concluding observation of the Committee, cited as the shared sources give it."""

    symbol: Annotated[str, Field(pattern=r"^CRC/C/OPSC/[A-Z]{3}/(CO/)?1$")]
    paragraphs: Annotated[str, Field(min_length=1)]
    state: str
    point: str = ""

    @property
    def citation(self) -> str:
        several = any(mark in self.paragraphs for mark in "-–,")
        return f"{self.symbol}, {'paras.' if several else 'para.'} {self.paragraphs}"

    @property
    def caution(self) -> str:
        """Why a reader should check this citation before relying on it ("" when none).

        The source paper cites a few documents without "CO/"; they may be the State party's
        own report rather than the Committee's concluding observations."""
        if "/CO/" in self.symbol:
            return ""
        return (
            "cited as the source paper gives it, without 'CO': possibly the State party's "
            "report, not the Committee's concluding observations; check the UN document"
        )


class Element(Strict):
    id: Annotated[str, Field(pattern=SLUG_PATTERN)]
    label: str


class ChoiceOption(Strict):
    value: Annotated[str, Field(pattern=SLUG_PATTERN)]
    label: str
    score: Annotated[float, Field(ge=0, le=1)]


class StatusAnswer(Strict):
    """Coverage status: covered / partly / not covered (and unknown, always)."""

    type: Literal["status"]
    allow_not_applicable: bool = False


class NumberAnswer(Strict):
    """A number, e.g. an age; covered when it reaches the threshold."""

    type: Literal["number"]
    threshold: float
    minimum: float = 0
    maximum: float = 100
    unit: str = "years"
    allow_not_applicable: bool = False


class ChoiceAnswer(Strict):
    """One option from a list; each option carries its own score."""

    type: Literal["choice"]
    options: Annotated[list[ChoiceOption], Field(min_length=2)]
    allow_not_applicable: bool = False


class ElementsAnswer(Strict):
    """A set of conduct elements, each ticked covered, not covered or unknown."""

    type: Literal["elements"]
    elements: Annotated[list[Element], Field(min_length=1)]
    allow_not_applicable: bool = False


AnswerSpec = Annotated[
    StatusAnswer | NumberAnswer | ChoiceAnswer | ElementsAnswer, Field(discriminator="type")
]


class AppliesIf(Strict):
    """Skip logic: the item applies only when another item's answer is one of ``answer_in``.

    While the controlling item is unanswered the item applies, so nothing is skipped by default.
    An item may list several rules: it applies when any of them does (it is skipped only when
    every rule says it is moot).
    """

    item: str
    answer_in: Annotated[list[str], Field(min_length=1)]


class Item(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: Annotated[str, Field(min_length=3)]
    question: Annotated[str, Field(min_length=10)]
    guidance: Annotated[str, Field(min_length=10)]
    evidence: str = ""
    treaty_ref: Annotated[str, Field(min_length=3)]
    treaty_text: Annotated[list[str], Field(min_length=1)]
    strength: Strength
    # Why this strength and this "covered" threshold: the Protocol's words, or the footnote of
    # the source paper (seed 004), it rests on. Rendered in docs/legal-basis.md for audit.
    basis: str = ""
    interpretation: str = ""
    answer: AnswerSpec
    references: list[CommitteeRef] = []
    recommendation: Annotated[str, Field(min_length=10)]
    applies_if: list[AppliesIf] = []
    # One of the offences article 3(1) requires (a purpose of sale, the adoption conduct, child
    # prostitution, child pornography): wholly missing, it caps the treaty score.
    core_offence: bool = False

    @field_validator("treaty_text", mode="before")
    @classmethod
    def _one_quote_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("applies_if", mode="before")
    @classmethod
    def _one_rule_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value


class Section(Strict):
    id: Annotated[str, Field(pattern=SLUG_PATTERN)]
    title: str
    intro: str = ""
    module: Annotated[str, Field(pattern=SLUG_PATTERN)] = "core"
    items: Annotated[list[Item], Field(min_length=1)]


class Module(Strict):
    id: Annotated[str, Field(pattern=SLUG_PATTERN)]
    title: str
    description: str


class Scope(Strict):
    """What an assessment covers: a named set of modules the user chooses."""

    id: Annotated[str, Field(pattern=SLUG_PATTERN)]
    title: str
    modules: Annotated[list[str], Field(min_length=1)]
    default: bool = False


class Manifest(Strict):
    """``checklist.yaml``: the checklist's identity and the order of its section files."""

    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    title: str
    modules: Annotated[list[Module], Field(min_length=1)]
    scopes: Annotated[list[Scope], Field(min_length=1)]
    sections: Annotated[list[str], Field(min_length=1)]


class Checklist(Strict):
    version: str
    title: str
    modules: list[Module]
    scopes: list[Scope]
    sections: list[Section]

    def items(self, modules: frozenset[str] | None = None) -> list[Item]:
        return [
            item
            for section in self.sections
            if modules is None or section.module in modules
            for item in section.items
        ]

    def item(self, item_id: str) -> Item:
        for section in self.sections:
            for item in section.items:
                if item.id == item_id:
                    return item
        raise KeyError(item_id)

    def section_of(self, item_id: str) -> Section:
        for section in self.sections:
            if any(item.id == item_id for item in section.items):
                return section
        raise KeyError(item_id)

    def scope(self, scope_id: str) -> Scope:
        for scope in self.scopes:
            if scope.id == scope_id:
                return scope
        raise KeyError(scope_id)

    def scope_modules(self, scope_id: str) -> frozenset[str]:
        return frozenset(self.scope(scope_id).modules)

    @property
    def default_scope(self) -> Scope:
        return next((s for s in self.scopes if s.default), self.scopes[0])

    @property
    def default_modules(self) -> frozenset[str]:
        return frozenset(self.default_scope.modules)
