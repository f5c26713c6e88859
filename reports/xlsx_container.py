"""Whether a returned workbook is safe to open, before openpyxl reads it.

A workbook is a zip of XML parts, and openpyxl guards against none of its dangers: a
password-protected file, thousands of parts, a zip bomb, a part declaring entities, a sheet
claiming a row far down that would keep the reader walking empty rows for minutes. ``check_container`` refuses each with a
``FileProblem`` saying what is wrong, from the zip's directory and the sheets' XML.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Final

from checklist.assessment_file import MAX_FILE_BYTES, FileProblem

MAX_UNZIPPED_BYTES: Final = 64 * 1024 * 1024
MAX_ZIP_ENTRIES: Final = 1000
# The tool's own workbook has a few hundred rows and about twenty columns a sheet. A sheet that
# claims more is refused from its XML, before openpyxl iterates (which would walk every row up
# to the last one, empty or not).
MAX_SHEET_ROWS: Final = 20_000
MAX_SHEET_COLUMNS: Final = 200
OLE_MAGIC: Final = bytes.fromhex("d0cf11e0a1b11ae1")  # password-protected Office files
_PROLOG_BYTES: Final = 4096
_ROW_OR_CELL = re.compile(
    rb'<(?:\w+:)?(?:row|c|dimension)\b[^>]*?\b(?:r|ref)="([A-Z]*)(\d+)(?::([A-Z]+)(\d+))?"'
)


def check_container(data: bytes, source: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(
            source,
            "",
            f"the file is {len(data) / 1e6:.1f} MB; workbooks are limited to "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Is it the right file?",
        )
    if data.startswith(OLE_MAGIC):
        raise FileProblem(
            source,
            "",
            "the workbook is protected with a password (encrypted), so it cannot be read. Open "
            "it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
            "Password, and clear it), save it as .xlsx and import it again.",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileProblem(
            source,
            "",
            "this is not an Excel workbook (.xlsx): the file is not a zip archive. Choose the "
            "workbook exported by the tool, or the .json assessment file.",
        ) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise FileProblem(
            source,
            "",
            f"the workbook holds {len(entries)} parts (at most {MAX_ZIP_ENTRIES} are "
            "accepted); it was not made from the tool's workbook.",
        )
    unzipped = sum(e.file_size for e in entries)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise FileProblem(
            source,
            "",
            f"the workbook would unpack to {unzipped / 1e6:.0f} MB (at most "
            f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB are accepted); it cannot be read safely.",
        )
    if "xl/workbook.xml" not in {e.filename for e in entries}:
        raise FileProblem(
            source,
            "",
            "this zip file is not an Excel workbook (it has no xl/workbook.xml); it may be "
            "another kind of document.",
        )
    _check_sheet_sizes(data, entries, source)


def _check_sheet_sizes(data: bytes, entries: list[zipfile.ZipInfo], source: str) -> None:
    """Refuse a sheet whose XML names a row or column far beyond any the tool writes, and any
    part that declares a DTD (entities), which Excel never writes."""
    sheets = [
        e
        for e in entries
        if e.filename.startswith("xl/worksheets/") and e.filename.endswith(".xml")
    ]
    parts = [e for e in entries if e.filename.endswith((".xml", ".rels"))]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in parts:
                _check_no_dtd(archive, entry, source)
            for entry in sheets:
                rows, columns = _extent(archive, entry)
                if rows > MAX_SHEET_ROWS or columns > MAX_SHEET_COLUMNS:
                    raise FileProblem(
                        source,
                        entry.filename.removeprefix("xl/worksheets/"),
                        f"a sheet reaches row {rows:,}, column {columns:,}; the tool's workbook "
                        f"has at most {MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS} columns a "
                        "sheet. Delete the rows and columns after the data (or export a fresh "
                        "workbook) and import it again.",
                    )
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        zlib.error,
    ):
        raise FileProblem(
            source,
            "",
            "the workbook is damaged or encrypted (a part of it cannot be unpacked). Open it "
            "in Excel and save it again as .xlsx without a password.",
        ) from None


def _check_no_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, source: str) -> None:
    """A DTD comes before the first element, so the start of a part tells. Refused here
    whichever XML parser openpyxl uses: defusedxml refuses entities, but with lxml installed
    openpyxl leaves them unexpanded and reads the part as empty, which misleads."""
    with archive.open(entry) as stream:
        start = stream.read(_PROLOG_BYTES)
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        raise FileProblem(
            source,
            entry.filename,
            "the workbook is damaged or not in Excel format (this part declares a DTD, which "
            "Excel never writes). Open it in Excel and save it again as .xlsx, or export a "
            "fresh workbook from the tool.",
        )


def _extent(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> tuple[int, int]:
    """The largest row number and column number a sheet's XML names, read in chunks."""
    rows = columns = 0
    tail = b""
    with archive.open(entry) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            for match in _ROW_OR_CELL.finditer(text):
                for letters, number in ((match[1], match[2]), (match[3], match[4])):
                    if number:
                        rows = max(rows, int(number[:12]))
                    if letters:
                        columns = max(columns, _column_number(letters))
            tail = text[-256:]
    return rows, columns


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters[:6]:
        number = number * 26 + (letter - 64)
    return number
