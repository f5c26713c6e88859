"""A user's assessment: who assessed which law, and the answer given to each item.

The JSON file format is ``opsc-gap-check/assessment`` version 3, documented in
``docs/assessment-format.md``; its JSON Schema is ``docs/assessment.schema.json``
(regenerate with ``python -m checklist schema``). Answers are keyed by item ID, so their order
never matters.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

FORMAT: Final = "opsc-gap-check/assessment"
FORMAT_VERSION: Final = 3

ScopeId = Literal["offences", "criminal-law", "whole-protocol"]
DEFAULT_SCOPE: Final = "offences"

Status = Literal["covered", "partly", "not-covered", "unknown", "not-applicable"]
ElementStatus = Literal["covered", "not-covered", "unknown"]

MAX_TEXT = 20_000
# An item's ID as the database keeps it (answers, actions and the record are keyed by it).
ItemId = Annotated[str, Field(min_length=1, max_length=200)]
MAX_NAME = 200  # a person's name, as recorded with each change
MAX_COMMENT = 5_000

ReviewState = Literal["to-do", "drafted", "reviewed"]
Decision = Literal["cleared", "returned"]
# What made an entry of an answer's history: the user answering, the user bringing back an
# earlier answer from the history, or a file, back-up or merge replacing it.
Change = Literal["answer", "restore", "import"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _utc(value: dt.datetime) -> dt.datetime:
    """Every time is kept in UTC; one written without a zone is taken as UTC (as the store
    reads the database's), so times from anywhere can be compared and sorted."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# A moment: in UTC, whatever the file wrote.
Moment = Annotated[dt.datetime, AfterValidator(_utc)]
# A target date a workbook can hold too (Excel counts its dates from 1900).
PlanDate = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1))]


class Answer(BaseModel):
    """One item's answer. Which of ``status``/``value``/``choice``/``elements`` is used depends
    on the item's answer type; ``status`` may be ``unknown`` (or ``not-applicable`` where the
    item allows it) for any type."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    value: float | None = None
    choice: str | None = None
    elements: dict[str, ElementStatus] = {}
    provisions: list[Annotated[str, Field(max_length=1000)]] = []
    excerpt: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    source_url: Annotated[str, Field(max_length=2000)] = ""
    note: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    updated_at: Moment | None = None

    @property
    def is_empty(self) -> bool:
        return (
            self.status is None
            and self.value is None
            and self.choice is None
            and not self.elements
            and not (self.provisions or self.excerpt or self.source_url or self.note)
        )

    @property
    def has_verdict(self) -> bool:
        """True when it says how far the law goes (a status, value, choice or tick), as
        opposed to holding only the evidence typed for it."""
        return not (
            self.status is None and self.value is None and self.choice is None and not self.elements
        )

    def cleared(self) -> Answer:
        """This answer back to unanswered. The evidence (provisions, excerpt, link, note) is
        kept: it is research a lawyer typed, and clearing a verdict must not lose it."""
        return self.model_copy(
            update={"status": None, "value": None, "choice": None, "elements": {}}
        )


class ArchivedAnswer(BaseModel):
    """An answer the current checklist could not take (item removed or its type changed).
    Kept in the file so nothing the user wrote is lost."""

    model_config = ConfigDict(extra="forbid")

    item_id: str
    reason: str
    checklist_version: str
    answer: Answer


ActionStatus = Literal["planned", "in-progress", "done", "dropped"]
Priority = Literal["high", "medium", "low"]


class PlannedAction(BaseModel):
    """What is to be done about one gap: the action decided (pre-filled from the item's
    recommendation), who is responsible, by when, how urgent, and how far it has got."""

    model_config = ConfigDict(extra="forbid")

    action: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    institution: Annotated[str, Field(max_length=300)] = ""
    due: PlanDate | None = None
    priority: Priority | None = None
    status: ActionStatus = "planned"
    note: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    updated_at: Moment | None = None

    def overdue(self, today: dt.date) -> bool:
        """Past its target date and neither done nor dropped."""
        return (
            self.due is not None
            and self.due < today
            and self.status
            in (
                "planned",
                "in-progress",
            )
        )


class ActionEntry(BaseModel):
    """One change of one gap's planned action: who, when, before and after."""

    model_config = ConfigDict(extra="forbid")

    item_id: ItemId
    at: Moment
    author: Annotated[str, Field(max_length=MAX_NAME)] = ""
    before: PlannedAction | None = None
    after: PlannedAction | None = None


class DetailsEntry(BaseModel):
    """One change of the details: who, when, and the fields that changed, before and after
    (``jurisdiction``, ``assessor``, ``title``, ``scope``, ``date``, ``law_date``)."""

    model_config = ConfigDict(extra="forbid")

    at: Moment
    author: Annotated[str, Field(max_length=MAX_NAME)] = ""
    before: dict[str, str] = {}
    after: dict[str, str] = {}


class HistoryEntry(BaseModel):
    """One change of one answer: who, when, what it was before and what it became (``None``:
    no answer). Entries are only ever added, never changed."""

    model_config = ConfigDict(extra="forbid")

    item_id: ItemId
    at: Moment
    author: Annotated[str, Field(max_length=MAX_NAME)] = ""
    change: Change = "answer"
    before: Answer | None = None
    after: Answer | None = None


class ReviewEntry(BaseModel):
    """An item's review state set by someone; the item's state is the last one set."""

    model_config = ConfigDict(extra="forbid")

    item_id: ItemId
    at: Moment
    author: Annotated[str, Field(max_length=MAX_NAME)] = ""
    state: ReviewState


class Comment(BaseModel):
    """A remark on an item, in its thread. Never edited: a correction is a new comment."""

    model_config = ConfigDict(extra="forbid")

    item_id: ItemId
    at: Moment
    author: Annotated[str, Field(max_length=MAX_NAME)] = ""
    text: Annotated[str, Field(min_length=1, max_length=MAX_COMMENT)]


class Snapshot(BaseModel):
    """What a named version freezes: the details and answers a report is made from."""

    model_config = ConfigDict(extra="forbid")

    jurisdiction: Annotated[str, Field(max_length=200)] = ""
    assessor: Annotated[str, Field(max_length=200)] = ""
    title: Annotated[str, Field(max_length=300)] = ""
    date: dt.date
    law_date: dt.date | None = None
    checklist_version: str = ""
    scope: ScopeId = DEFAULT_SCOPE
    answers: dict[ItemId, Answer] = {}
    archived_answers: list[ArchivedAnswer] = []
    actions: dict[ItemId, PlannedAction] = {}


class Version(BaseModel):
    """The whole assessment frozen under a name ("Sent to the Committee, December 2026")."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] = Field(
        default_factory=lambda: uuid.uuid4().hex[:12]
    )
    name: Annotated[str, Field(min_length=1, max_length=300)]
    at: Moment
    author: Annotated[str, Field(max_length=MAX_NAME)] = ""
    snapshot: Snapshot


class SignOff(BaseModel):
    """A decision on one named version: cleared, or returned for more work, with a note."""

    model_config = ConfigDict(extra="forbid")

    version_id: Annotated[str, Field(min_length=1, max_length=64)]
    at: Moment
    author: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
    decision: Decision
    note: Annotated[str, Field(max_length=MAX_COMMENT)] = ""


class Assessment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["opsc-gap-check/assessment"] = FORMAT
    format_version: Literal[3] = FORMAT_VERSION
    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] = Field(
        default_factory=lambda: uuid.uuid4().hex
    )
    jurisdiction: Annotated[str, Field(max_length=200)] = ""
    assessor: Annotated[str, Field(max_length=200)] = ""
    title: Annotated[str, Field(max_length=300)] = ""
    # The date of the assessment, and the date of the law assessed ("law as it stood on"):
    # assessing Chile's law of 2008 today, the two differ. The law date defaults to the
    # assessment date.
    date: dt.date = Field(default_factory=dt.date.today)
    law_date: dt.date | None = None
    checklist_version: str = ""
    scope: ScopeId = DEFAULT_SCOPE
    answers: dict[ItemId, Answer] = {}
    archived_answers: list[ArchivedAnswer] = []
    # The action plan: item ID -> what is to be done about its gap (checklist.action_plan).
    actions: dict[ItemId, PlannedAction] = {}
    created_at: Moment = Field(default_factory=_now)
    updated_at: Moment = Field(default_factory=_now)
    # Accountable drafting (checklist.drafting): every change of an answer, review states,
    # comments, named versions and their sign-offs, oldest first. Only ever added to.
    history: list[HistoryEntry] = []
    action_history: list[ActionEntry] = []
    details_history: list[DetailsEntry] = []
    reviews: list[ReviewEntry] = []
    comments: list[Comment] = []
    versions: list[Version] = []
    sign_offs: list[SignOff] = []
    # The named version this is, when made by ``as_of`` (not part of the file): its report
    # is final by that version's own decision, not another version's with the same content.
    _version_id: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _law_date_defaults_to_the_assessment_date(self) -> Assessment:
        if self.law_date is None:
            self.law_date = self.date
        return self

    @model_validator(mode="after")
    def _versions_are_distinct_and_decisions_name_one(self) -> Assessment:
        ids = [v.id for v in self.versions]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(
                f"versions: the version ID '{twice[0]}' appears more than once; each version "
                "has its own"
            )
        unknown = sorted({s.version_id for s in self.sign_offs} - set(ids))
        if unknown:
            raise ValueError(
                f"sign_offs: a sign-off names the version '{unknown[0]}', which is not among "
                "the versions"
            )
        return self

    @property
    def law_as_of(self) -> dt.date:
        return self.law_date or self.date

    def with_answer(self, item_id: str, answer: Answer) -> Assessment:
        """A copy with one answer replaced (stamped now); the original is untouched."""
        stamped = answer.model_copy(update={"updated_at": _now()})
        answers = {**self.answers, item_id: stamped}
        return self.model_copy(update={"answers": answers, "updated_at": stamped.updated_at})

    def snapshot(self) -> Snapshot:
        """The details and answers, as a named version freezes them."""
        return Snapshot.model_validate(
            self.model_dump(include=set(Snapshot.model_fields), exclude_none=True)
        )

    def as_of(self, version: Version) -> Assessment:
        """This assessment as it was when ``version`` was saved (its drafting record, versions
        and sign-offs included, so a report can say whether the version was cleared)."""
        frozen = self.model_copy(update={**dict(version.snapshot), "updated_at": version.at})
        frozen._version_id = version.id
        return frozen

    @property
    def version_id(self) -> str | None:
        """The named version this is (see ``as_of``), or None for the current state."""
        return self._version_id

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=True)


def blank(checklist_version: str, **fields: object) -> Assessment:
    return Assessment.model_validate({"checklist_version": checklist_version, **fields})
