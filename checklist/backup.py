"""Back-ups: every saved assessment as one zip of assessment files, and the way back.

The zip holds ordinary assessment JSON files (``checklist.assessment_file``), so one can also
be opened on its own. No database here: the store reads and writes the rows and asks this
module what a back-up holds and what to do with each assessment in it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from checklist.assessment import Assessment
from checklist.assessment_file import (
    MAX_FILE_BYTES,
    FileProblem,
    Loaded,
    read_assessment,
    write_assessment,
)
from checklist.schema import Checklist

MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024

Outcome = Literal["added", "updated", "unchanged", "kept-newer"]


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


def write_archive(assessments: Iterable[Assessment]) -> bytes:
    """One zip holding each assessment as its own JSON file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for assessment in assessments:
            archive.writestr(archive_name(assessment), write_assessment(assessment))
    return buffer.getvalue()


def read_archive(data: bytes, source: str, checklist: Checklist) -> list[tuple[str, Loaded]]:
    """Every assessment file in a back-up, each read and checked, with its name in the zip.

    Raises ``FileProblem`` for the first bad file, or when the zip is not a back-up (too big,
    no assessment files, one assessment twice): the caller writes nothing then.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileProblem(
            source,
            "",
            "this is not a zip archive. Choose the .zip file made by 'Download a back-up "
            "of every assessment'.",
        ) from None
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
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
            with archive.open(entry) as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
            one = read_assessment(raw, name, checklist)
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


def merge_outcome(saved: Assessment, incoming: Assessment) -> Outcome:
    """What restoring ``incoming`` does to the ``saved`` copy: a newer saved copy is kept."""
    if same_content(saved, incoming):
        return "unchanged"
    if saved.updated_at >= incoming.updated_at:
        return "kept-newer"
    return "updated"


def same_content(a: Assessment, b: Assessment) -> bool:
    """True when two versions of an assessment say the same thing (times aside)."""
    return _content(a) == _content(b)


def archive_name(assessment: Assessment) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", assessment.jurisdiction.lower()).strip("-")[:40]
    return f"{slug or 'assessment'}--{assessment.id}.json"


def _content(a: Assessment) -> dict[str, Any]:
    data = a.model_dump(mode="json", exclude={"created_at", "updated_at", "checklist_version"})
    for answer in data["answers"].values():
        answer.pop("updated_at", None)
    return data
