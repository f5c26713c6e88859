"""Read and write assessment files, checking everything before anything is changed.

``read_assessment`` never returns a half-valid assessment: it either raises ``FileProblem``
(one clear message naming the file, the place in it and what is wrong) or returns the
assessment with a list of notices, e.g. answers kept aside because the checklist changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from checklist.assessment import (
    DEFAULT_SCOPE,
    FORMAT,
    FORMAT_VERSION,
    Answer,
    ArchivedAnswer,
    Assessment,
)
from checklist.schema import Checklist, ChoiceAnswer, ElementsAnswer, Item, NumberAnswer

# An assessment with years of drafting history (every change keeps the answer before and
# after) stays well under this; it keeps a hostile file from taking the memory.
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ANSWERS = 2000  # answers and archived answers together: the checklist has under 100 items
MAX_RECORD = 100_000  # entries of the drafting record (history, reviews, comments, ...)
MAX_VERSIONS = 500  # named versions: each holds a whole copy of the answers
MAX_NOTICES = 30  # notices listed one by one; the rest are summarised


class FileProblem(Exception):
    """A file the tool cannot accept. ``str()`` is the message to show the user."""

    def __init__(self, source: str, where: str, what: str):
        self.source, self.where, self.what = source, where, what
        place = f" (at {where})" if where else ""
        super().__init__(f"{source}{place}: {what}")


@dataclass
class Loaded:
    assessment: Assessment
    notices: list[str] = field(default_factory=list)
    # Parts of an assessment this file does not carry (e.g. "actions" for a workbook of an
    # earlier format): bringing it back keeps the saved ones.
    lacks: frozenset[str] = frozenset()


def write_assessment(assessment: Assessment) -> bytes:
    return assessment.to_json().encode("utf-8")


def read_assessment(data: bytes, source: str, checklist: Checklist) -> Loaded:
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(
            source,
            "",
            f"the file is {len(data) / 1e6:.1f} MB; assessment files are limited to "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Is it the right file?",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            source,
            f"byte {error.start}",
            "this is not a text file. Choose the .json file the "
            "tool saved (Download assessment), or an Excel workbook exported by it.",
        ) from None
    try:
        raw = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except DuplicateKey as error:
        raise FileProblem(
            source,
            str(error),
            f'the key "{error}" appears twice in the same place; a file must say each thing '
            "once. Open it in a text editor, keep the right one and delete the other.",
        ) from None
    except RecursionError:
        raise FileProblem(
            source, "", "the file nests too deeply to be an assessment file. Is it the right file?"
        ) from None
    except json.JSONDecodeError as error:
        raise FileProblem(
            source,
            f"line {error.lineno}, column {error.colno}",
            f"the file is not valid JSON ({error.msg}). It may have been edited by hand or cut "
            "short; open it in a text editor at that place, or download it again.",
        ) from None
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise FileProblem(
            source,
            "",
            f"the file holds a value this tool cannot read ({str(error)[:120]}). Is it the "
            "right file?",
        ) from None
    return from_dict(raw, source, checklist)


class DuplicateKey(ValueError):
    """A JSON object with the same key twice: the last would silently win."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def from_dict(raw: Any, source: str, checklist: Checklist) -> Loaded:
    _check_envelope(raw, source, checklist)
    raw, upgraded = upgrade(raw)
    _check_size(raw, source)
    raw, removed = _without_nul(raw, source)
    try:
        # Strict, through JSON: "18" is not an age, a number is not a date, true is not 1.
        assessment = Assessment.model_validate_json(json.dumps(raw), strict=True)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        more = (
            f" ({error.error_count() - 1} more problem(s) after this one)"
            if error.error_count() > 1
            else ""
        )
        raise FileProblem(source, where, f"{_plain(first)}{more}.") from None
    loaded = reconcile(assessment, source, checklist)
    loaded.notices[:0] = upgraded
    if removed:
        loaded.notices.append(
            f"{removed} NUL character(s) (\\u0000), which no text may hold, were taken out of "
            "the file's texts."
        )
    loaded.notices[:] = summarised(loaded.notices)
    return loaded


def _check_size(raw: dict[str, Any], source: str) -> None:
    answers, archived = raw.get("answers"), raw.get("archived_answers")
    count = (len(answers) if isinstance(answers, dict) else 0) + (
        len(archived) if isinstance(archived, list) else 0
    )
    if count > MAX_ANSWERS:
        raise FileProblem(
            source,
            "answers",
            f"the file holds {count:,} answers; an assessment holds at most {MAX_ANSWERS:,} "
            "(the checklist has under a hundred items). Is it the right file?",
        )
    parts = (
        "history",
        "action_history",
        "details_history",
        "reviews",
        "comments",
        "versions",
        "sign_offs",
    )
    sizes = {part: len(v) for part in parts if isinstance(v := raw.get(part), list)}
    if sum(sizes.values()) > MAX_RECORD:
        raise FileProblem(
            source,
            max(sizes, key=lambda part: sizes[part]),
            f"the file's drafting record holds {sum(sizes.values()):,} entries; an assessment "
            f"holds at most {MAX_RECORD:,}. Is it the right file?",
        )
    if sizes.get("versions", 0) > MAX_VERSIONS:
        raise FileProblem(
            source,
            "versions",
            f"the file holds {sizes['versions']:,} named versions; an assessment holds at most "
            f"{MAX_VERSIONS:,}. Is it the right file?",
        )


_ID_FIELDS = frozenset({"id", "item_id", "version_id"})  # identities: never changed on reading


def _without_nul(value: Any, source: str, where: str = "") -> tuple[Any, int]:
    """``value`` with every NUL character (U+0000) taken out of its texts, and how many were:
    no database keeps one, and it is never part of what a person wrote (a stray byte from a
    copy and paste). A key holding one is an ID that cannot be, and is refused."""
    if isinstance(value, str):
        return value.replace("\x00", ""), value.count("\x00")
    if isinstance(value, dict):
        clean, removed = {}, 0
        for key, item in value.items():
            place = f"{where}.{key}" if where else str(key)
            if (isinstance(key, str) and "\x00" in key) or (
                key in _ID_FIELDS and isinstance(item, str) and "\x00" in item
            ):
                raise FileProblem(
                    source,
                    place,
                    "this name holds a NUL character (\\u0000), which no ID may hold.",
                )
            clean[key], n = _without_nul(item, source, place)
            removed += n
        return clean, removed
    if isinstance(value, list):
        cleaned = [_without_nul(item, source, f"{where}.{n}") for n, item in enumerate(value)]
        return [c for c, _ in cleaned], sum(n for _, n in cleaned)
    return value, 0


def summarised(notices: list[str]) -> list[str]:
    """At most ``MAX_NOTICES`` notices, the rest counted in one last line."""
    if len(notices) <= MAX_NOTICES:
        return notices
    rest = len(notices) - (MAX_NOTICES - 1)
    return [
        *notices[: MAX_NOTICES - 1],
        f"... and {rest} more notices like these; every answer set aside is kept in the file "
        "under archived_answers.",
    ]


def upgrade(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A file of an earlier format as the current one, with a notice of what was assumed.

    Format 1 had no scope (articles 6-10 were an "extended" module switched on or off) and no
    date of the law assessed (the assessment date stood for it). Format 2 had no drafting
    record (history, reviews, comments, versions, sign-offs): it starts empty."""
    if raw.get("format_version") == 2:
        return {**raw, "format_version": FORMAT_VERSION}, []
    if raw.get("format_version") != 1:
        return raw, []
    upgraded = {k: v for k, v in raw.items() if k != "include_modules"}
    modules = raw.get("include_modules") or []
    upgraded["scope"] = "whole-protocol" if "extended" in modules else DEFAULT_SCOPE
    upgraded["format_version"] = FORMAT_VERSION
    notices = []
    if "law_date" not in raw and "date" in raw:
        upgraded["law_date"] = raw["date"]
        notices.append(
            f"This file, of an earlier format, gave no date for the law assessed; the "
            f"assessment date ({raw['date']}) is taken as that date. Change it on the Start "
            "page if the law assessed is of another date."
        )
    return upgraded, notices


def _check_envelope(raw: Any, source: str, checklist: Checklist) -> None:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise FileProblem(
            source,
            "format",
            "this is not an OPSC Gap Check assessment file (it has no "
            f'"format": "{FORMAT}" marker).',
        )
    version = raw.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FileProblem(
            source, "format_version", "the file format version is missing or invalid."
        )
    if version > FORMAT_VERSION:
        raise FileProblem(
            source,
            "format_version",
            f"the file uses format version {version}, made by a newer "
            f"version of this tool (this one reads up to {FORMAT_VERSION}). Update the tool.",
        )
    made_for = str(raw.get("checklist_version", ""))
    if made_for and _version_tuple(made_for) > _version_tuple(checklist.version):
        raise FileProblem(
            source,
            "checklist_version",
            f"the file was made for checklist {made_for}, newer "
            f"than this tool's checklist {checklist.version}. Update the tool.",
        )


def _version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (0,)


def _plain(detail: Any) -> str:
    kind, msg = detail["type"], detail["msg"]
    if kind == "extra_forbidden":
        return "this field is not part of the assessment format"
    if kind == "missing":
        return "this field is required"
    return msg[0].lower() + msg[1:] if msg else kind


def reconcile(assessment: Assessment, source: str, checklist: Checklist) -> Loaded:
    """Fit an assessment to the current checklist.

    For a file of the current checklist version every answer must fit its item: anything else
    is an error. A file made for an older version keeps every answer that still fits and sets
    the others aside in ``archived_answers`` with a notice for each: nothing is lost silently.
    """
    same_version = assessment.checklist_version in ("", checklist.version)
    known = {item.id: item for item in checklist.items()}
    kept: dict[str, Answer] = {}
    archived = list(assessment.archived_answers)
    notices: list[str] = []
    for item_id in sorted(assessment.answers):
        answer = assessment.answers[item_id]
        item = known.get(item_id)
        problem = (
            f"no item '{item_id}' in checklist {checklist.version}"
            if item is None
            else misfit(item, answer)
        )
        if not problem:
            kept[item_id] = answer
            continue
        if same_version:
            raise FileProblem(source, f"answers.{item_id}", problem + ".")
        archived.append(
            ArchivedAnswer(
                item_id=item_id,
                reason=problem,
                checklist_version=assessment.checklist_version,
                answer=answer,
            )
        )
        notices.append(
            f"The answer to '{item_id}' was set aside ({problem}); it is kept in the file "
            "under archived_answers."
        )
    if not same_version:
        notices.insert(
            0,
            f"This assessment was made for checklist {assessment.checklist_version}; it is "
            f"now on checklist {checklist.version}. {len(kept)} answer(s) carried over.",
        )
    updated = assessment.model_copy(
        update={
            "answers": kept,
            "archived_answers": archived,
            "checklist_version": checklist.version,
        }
    )
    return Loaded(updated, notices)


def misfit(item: Item, answer: Answer) -> str:
    """Why ``answer`` cannot be an answer to ``item`` ("" when it can).

    The one rule of what an item accepts: files are read with it, and the store refuses to
    save an answer it finds fault with."""
    spec = item.answer
    if answer.status == "unknown" and (
        answer.value is not None or answer.choice is not None or answer.elements
    ):
        return (
            f"'{item.id}' is marked unknown and also answered; give either the answer or "
            "'unknown', not both (for conducts, mark each unknown conduct instead)"
        )
    if answer.status == "not-applicable" and not spec.allow_not_applicable:
        return f"'{item.id}' cannot be answered 'not applicable'"
    if isinstance(spec, NumberAnswer):
        if answer.value is not None and not spec.minimum <= answer.value <= spec.maximum:
            return (
                f"{answer.value:g} is out of range for '{item.id}' "
                f"({spec.minimum:g}-{spec.maximum:g} {spec.unit})"
            )
        if (
            answer.status in ("covered", "partly", "not-covered")
            or answer.choice
            or answer.elements
        ):
            return f"'{item.id}' is answered with a number ({spec.unit}), not a status"
    elif isinstance(spec, ChoiceAnswer):
        options = [o.value for o in spec.options]
        if answer.choice is not None and answer.choice not in options:
            return (
                f"'{answer.choice}' is not an option of '{item.id}' (options: {', '.join(options)})"
            )
        if answer.status in ("covered", "partly", "not-covered") or answer.value is not None:
            return f"'{item.id}' is answered by choosing one of: {', '.join(options)}"
    elif isinstance(spec, ElementsAnswer):
        ids = [e.id for e in spec.elements]
        unknown = sorted(set(answer.elements) - set(ids))
        if unknown:
            return f"'{item.id}' has no element {', '.join(unknown)} (elements: {', '.join(ids)})"
        if answer.status in ("covered", "partly", "not-covered") or answer.value is not None:
            return f"'{item.id}' is answered by ticking its conduct elements"
    elif answer.value is not None or answer.choice is not None or answer.elements:
        return f"'{item.id}' is answered with a coverage status"
    return ""


_misfit = misfit  # the former private name, kept for existing callers
