"""Back-ups: every saved assessment as one zip of assessment files, and the way back.

The zip holds ordinary assessment JSON files (``checklist.assessment_file``), so one can also
be opened on its own. No database here: the store reads and writes the rows and asks this
module what a back-up holds and what restoring it would do to each assessment.

A restore is planned before anything is written (``plan_line``): which assessments it would
add, which saved ones it would replace (with their answers before and after), which are
unchanged and which are kept because the saved copy is newer. Nothing saved is replaced until
the user has seen that plan and said so. Which copy is newer is decided by the files' times,
so a time no saved assessment can have (before 2000, or in the future) refuses the back-up.
"""

from __future__ import annotations

import datetime as dt
import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from checklist import drafting
from checklist.assessment import Assessment
from checklist.assessment_file import (
    MAX_FILE_BYTES,
    FileProblem,
    Loaded,
    read_assessment,
    write_assessment,
)
from checklist.schema import Checklist

# A back-up holds every saved assessment: restoring is linear, so the cap is about the upload.
MAX_ARCHIVE_ENTRIES = 10_000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
# Times before this, or later than now by more than CLOCK_SKEW, are refused.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CLOCK_SKEW = dt.timedelta(hours=1)
# Stored, deflate, bzip2, lzma: what Python's zipfile reads (and every common zip tool writes).
READABLE_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
# What zipfile and its decompressors raise on a damaged archive (checked by a fuzz test).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    IndexError,
    KeyError,
    struct.error,
    OverflowError,
)

Action = Literal["add", "replace", "unchanged", "kept-newer"]
Outcome = Literal["added", "updated", "unchanged", "kept-newer", "not-replaced", "changed-since"]


@dataclass(frozen=True)
class PlanLine:
    """What restoring one assessment of a back-up would do. ``answers_before`` counts the saved
    copy's answers (0 when there is none), ``answers_after`` the back-up's."""

    id: str
    jurisdiction: str
    title: str
    action: Action
    answers_before: int
    answers_after: int
    saved_at: dt.datetime | None
    backup_at: dt.datetime

    @property
    def empties(self) -> bool:
        return self.action == "replace" and self.answers_after == 0 < self.answers_before


@dataclass
class RestorePlan:
    """A checked back-up and what restoring it would do; nothing is written yet. ``seen`` is
    each saved copy's stamp when planned: one changed since then is not touched."""

    source: str
    lines: list[PlanLine]
    incoming: dict[str, Assessment]
    seen: dict[str, tuple[Any, ...]]
    notices: list[str] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(line.action == action for line in self.lines)

    @property
    def replacements(self) -> list[PlanLine]:
        return [line for line in self.lines if line.action == "replace"]


@dataclass(frozen=True)
class ImportLine:
    id: str
    jurisdiction: str
    outcome: Outcome


@dataclass
class ImportReport:
    lines: list[ImportLine] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(line.outcome == outcome for line in self.lines)

    def named(self, outcome: Outcome) -> list[str]:
        return [line.jurisdiction or line.id for line in self.lines if line.outcome == outcome]


def write_archive(assessments: Iterable[Assessment]) -> bytes:
    """One zip holding each assessment as its own JSON file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for assessment in assessments:
            archive.writestr(archive_name(assessment), write_assessment(assessment))
    return buffer.getvalue()


def read_archive(data: bytes, source: str, checklist: Checklist) -> list[tuple[str, Loaded]]:
    """Every assessment file in a back-up, each read and checked, with its name in the zip.

    Raises ``FileProblem`` for the first bad file (naming it), or when the zip is not a
    back-up (damaged, too big, no assessment files, one assessment twice): the caller writes
    nothing then.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [e for e in archive.infolist() if not e.is_dir()]
    except ZIP_ERRORS as error:
        what = (
            "this is not a zip archive"
            if isinstance(error, zipfile.BadZipFile)
            else (f"the archive is damaged ({_short(error)})")
        )
        raise FileProblem(
            source,
            "",
            f"{what}. Choose the .zip file made by 'Download a back-up of every assessment'.",
        ) from None
    with archive:
        files = [e for e in entries if e.filename.lower().endswith(".json")]
        if len(entries) > MAX_ARCHIVE_ENTRIES or sum(e.file_size for e in entries) > (
            MAX_ARCHIVE_BYTES
        ):
            raise FileProblem(source, "", "the archive is too large to be a back-up of this tool.")
        if not files:
            raise FileProblem(source, "", "the archive holds no assessment (.json) files.")
        loaded = []
        seen: dict[str, str] = {}
        for entry in files:
            name = f"{source}: {entry.filename}"
            one = read_assessment(_member(archive, entry, name), name, checklist)
            one.assessment = _checked_times(one.assessment, name)
            if one.assessment.id in seen:
                raise FileProblem(
                    name,
                    "id",
                    f"the same assessment ID is also in {seen[one.assessment.id]}; "
                    "an archive holds each assessment once.",
                )
            seen[one.assessment.id] = entry.filename
            loaded.append((entry.filename, one))
    return loaded


def _member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str) -> bytes:
    """The bytes of one file in the zip (at most one more than an assessment file may
    hold), or a ``FileProblem`` naming it."""
    if entry.flag_bits & 0x1:
        raise FileProblem(
            name,
            "",
            "this file is encrypted (protected by a password) inside the archive. Back-ups "
            "made by this tool are never encrypted: use the original back-up, or unzip this "
            "one with its password and zip the .json files again without one.",
        )
    if entry.compress_type not in READABLE_METHODS:
        raise FileProblem(
            name,
            "",
            f"this file is compressed with a method this tool cannot read (zip method "
            f"{entry.compress_type}; readable: {', '.join(READABLE_METHODS.values())}). Use "
            "the original back-up, or zip the .json files again with an ordinary zip tool.",
        )
    try:
        with archive.open(entry) as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except ZIP_ERRORS as error:
        what = (
            "its check sum (CRC) does not match its contents"
            if "CRC" in str(error)
            else _short(error)
        )
        raise FileProblem(
            name,
            "",
            f"this file is damaged inside the archive: {what}. Use another back-up, or make "
            "a new one from the tool that holds the work.",
        ) from None


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
    return text or type(error).__name__


def _checked_times(assessment: Assessment, name: str) -> Assessment:
    """The assessment with its times in UTC (a time without a zone is taken as UTC), or a
    ``FileProblem`` for a time no saved assessment can have: a restore keeps whichever copy
    is newer, so a time in the future would win over every later save."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    latest = now + CLOCK_SKEW

    def checked(when: dt.datetime, where: str) -> dt.datetime:
        when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when
        if when < EARLIEST:
            raise FileProblem(
                name,
                where,
                f"the time {when.isoformat()} is before 2000, earlier than anything this tool "
                "saved: the file has been altered. Use another back-up.",
            )
        if when > latest:
            raise FileProblem(
                name,
                where,
                f"the time {when.isoformat()} is in the future (it is now {now.isoformat()}). "
                "Either the file has been altered, or the clock of the computer that made it "
                "was wrong: use another back-up, or correct that time in the file.",
            )
        return when

    answers = {
        item_id: answer.model_copy(
            update={"updated_at": checked(answer.updated_at, f"answers.{item_id}.updated_at")}
        )
        if answer.updated_at is not None
        else answer
        for item_id, answer in sorted(assessment.answers.items())
    }
    return assessment.model_copy(
        update={
            "created_at": checked(assessment.created_at, "created_at"),
            "updated_at": checked(assessment.updated_at, "updated_at"),
            "answers": answers,
        }
    )


def plan_line(saved: Assessment | None, incoming: Assessment) -> PlanLine:
    """What restoring ``incoming`` would do to the ``saved`` copy (None: none is saved)."""
    if saved is None:
        action: Action = "add"
    elif same_content(saved, incoming):
        action = "unchanged"
    elif saved.updated_at >= incoming.updated_at:
        action = "kept-newer"
    else:
        action = "replace"
    return PlanLine(
        id=incoming.id,
        jurisdiction=incoming.jurisdiction,
        title=incoming.title,
        action=action,
        answers_before=len(saved.answers) if saved else 0,
        answers_after=len(incoming.answers),
        saved_at=saved.updated_at if saved else None,
        backup_at=incoming.updated_at,
    )


def same_content(saved: Assessment, incoming: Assessment) -> bool:
    """True when ``incoming`` (a file, back-up or workbook) says nothing ``saved`` does not:
    the same details and answers (times aside), and no entry of the drafting record that
    ``saved`` lacks. A workbook carries no record, so one returned unchanged is the same."""
    if _content(saved) != _content(incoming):
        return False
    merged = drafting.combined(saved, incoming)
    return all(len(merged[part]) == len(getattr(saved, part)) for part in merged)


def archive_name(assessment: Assessment) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", assessment.jurisdiction.lower()).strip("-")[:40]
    return f"{slug or 'assessment'}--{assessment.id}.json"


def _content(a: Assessment) -> dict[str, Any]:
    data = a.model_dump(
        mode="json",
        exclude={"created_at", "updated_at", "checklist_version", *drafting.RECORD_PARTS},
    )
    for part in ("answers", "actions"):
        for entry in data[part].values():
            entry.pop("updated_at", None)
    return data
