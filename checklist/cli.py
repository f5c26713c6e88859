"""Command line: ``python -m checklist {dump,template,score,report,schema,legal-basis}``, and
the drafting record of saved assessments (``history``, ``versions``, ``save-version``,
``sign-off``: ``checklist.cli_drafting``).

Bad input files get one clear message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from checklist.assessment import FORMAT_VERSION, Assessment, blank
from checklist.assessment_file import MAX_FILE_BYTES, FileProblem, Loaded
from checklist.loader import (
    ContentErrors,
    default_checklist,
    default_methodology,
    default_protocol,
    load_about,
)
from checklist.scoring import Result, score

EXIT_BAD_INPUT = 2
REPORT_FORMATS = ("xlsx", "pdf", "docx")  # each has its own --FORMAT OUT option


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except FileProblem as problem:
        print(f"error: {terminal_safe(str(problem))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ContentErrors as errors:
        print(f"error: {errors}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m checklist",
        description="OPSC Gap Check: the checklist, assessment files, scores and reports.",
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")
    dump = sub.add_parser("dump", help="print the whole checklist as JSON")
    dump.set_defaults(command=_dump)
    template = sub.add_parser("template", help="print an empty assessment to fill")
    template.add_argument("--jurisdiction", default="")
    template.add_argument("--assessor", default="")
    template.add_argument(
        "--scope",
        choices=[scope.id for scope in default_checklist().scopes],
        default=None,
        help="what the assessment covers (default: offences, the article 3 offences and the "
        "Committee's points; criminal-law: articles 1 to 8; whole-protocol: articles 1 to 10)",
    )
    template.add_argument(
        "--law-date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date of the law assessed (default: today, the assessment date)",
    )
    template.add_argument(
        "--include-extended",
        action="store_true",
        help=argparse.SUPPRESS,  # before scopes existed: the same as --scope whole-protocol
    )
    template.set_defaults(command=_template)
    score_ = sub.add_parser("score", help="score an assessment file (.json or returned .xlsx)")
    score_.add_argument("file", type=Path)
    score_.add_argument("--text", action="store_true", help="print a readable summary")
    score_.set_defaults(command=_score)
    report = sub.add_parser(
        "report",
        help="write the Excel, PDF and/or Word gap report of one or many assessment files",
    )
    report.add_argument("files", type=Path, nargs="+", metavar="FILE")
    report.add_argument("--xlsx", type=Path, help="where to write the Excel workbook (one file)")
    report.add_argument("--pdf", type=Path, help="where to write the PDF report (one file)")
    report.add_argument("--docx", type=Path, help="where to write the Word report (one file)")
    report.add_argument(
        "--out-dir",
        type=Path,
        help="write NAME.xlsx and NAME.pdf (and NAME.docx with --formats) for every FILE into "
        "this folder (many files)",
    )
    report.add_argument(
        "--formats",
        default="xlsx,pdf",
        help="with --out-dir: which formats, of xlsx, pdf and docx (default xlsx,pdf)",
    )
    report.set_defaults(command=_report)
    schema = sub.add_parser("schema", help="print the JSON Schema of the assessment file")
    schema.set_defaults(command=_schema)
    basis = sub.add_parser(
        "legal-basis", help="print the legal basis of every item (docs/legal-basis.md)"
    )
    basis.set_defaults(command=_legal_basis)
    from checklist import cli_drafting

    cli_drafting.add_commands(sub, terminal_safe)
    return parser


def _dump(_: argparse.Namespace) -> int:
    checklist = default_checklist()
    protocol = default_protocol()
    payload = {
        "title": checklist.title,
        "version": checklist.version,
        "about": load_about(),
        "methodology": default_methodology().model_dump(mode="json"),
        "modules": [m.model_dump(mode="json") for m in checklist.modules],
        "scopes": [s.model_dump(mode="json") for s in checklist.scopes],
        "sections": [s.model_dump(mode="json") for s in checklist.sections],
        "protocol": {"title": protocol.title, "source": protocol.source},
    }
    _print_json(payload)
    return 0


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YEAR-MONTH-DAY, e.g. 2008-03-01"
        ) from None


def _template(args: argparse.Namespace) -> int:
    checklist = default_checklist()
    scope = args.scope or (
        "whole-protocol" if args.include_extended else checklist.default_scope.id
    )
    fields: dict[str, Any] = {
        "jurisdiction": args.jurisdiction,
        "assessor": args.assessor,
        "scope": scope,
    }
    if args.law_date is not None:
        fields["law_date"] = args.law_date
    assessment = blank(checklist.version, **fields)
    print(assessment.to_json())
    return 0


def _load(path: Path) -> Loaded:
    from reports import read_any

    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise FileProblem(str(path), "", "no such file.") from None
    except IsADirectoryError:
        raise FileProblem(str(path), "", "this is a folder, not an assessment file.") from None
    except OSError as error:
        raise FileProblem(str(path), "", f"cannot be read ({error.strerror}).") from None
    return read_any(data, str(path), default_checklist())


def read_limited(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``, whatever it is (a pipe or a device included);
    ``FileProblem`` if there are more. Never reads a huge file whole to find out."""
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileProblem(
            str(path),
            "",
            f"the file is larger than {limit // (1024 * 1024)} MB, the most an assessment file "
            "or workbook may be. Is it the right file?",
        )
    return data


def _score(args: argparse.Namespace) -> int:
    loaded = _load(args.file)
    for notice in loaded.notices:
        print(f"note: {notice}", file=sys.stderr)
    result = score(default_checklist(), loaded.assessment, default_methodology())
    if args.text:
        print(summary_text(result))
    else:
        _print_json(result_json(result))
    return 0


def _report(args: argparse.Namespace) -> int:
    from reports import EXPORTERS, build_report, render

    named = [(f, getattr(args, f)) for f in REPORT_FORMATS if getattr(args, f)]
    if args.out_dir and named:
        return _usage(
            "--out-dir names the reports after their files; --xlsx, --pdf and --docx name one "
            "report: use one or the other"
        )
    if args.out_dir:
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
        unknown = [f for f in formats if f not in EXPORTERS]
        if unknown or not formats:
            return _usage(f"--formats takes {', '.join(EXPORTERS)}; got {args.formats!r}")
        args.out_dir.mkdir(parents=True, exist_ok=True)
        jobs = [
            (path, [(f, args.out_dir / f"{path.stem}.{f}") for f in formats]) for path in args.files
        ]
    elif len(args.files) > 1:
        return _usage("several files: use --out-dir DIR to write one report per file")
    elif not named:
        return _usage(
            "say where to write the report: --xlsx OUT.xlsx, --pdf OUT.pdf and/or --docx OUT.docx"
        )
    else:
        jobs = [(args.files[0], named)]
    if problem := _clashes(args.files, [t for _, targets in jobs for _, t in targets]):
        return _usage(problem)
    progress = Progress(len(jobs), enabled=len(jobs) > 1)
    for path, targets in jobs:
        loaded = _load(path)
        report = build_report(loaded.assessment)
        for fmt, target in targets:
            write_private(target, render(fmt, report))
            if not progress.enabled:
                print(f"wrote {target}", file=sys.stderr)
        progress.advance(path.name)
    progress.finish()
    return 0


def write_private(target: Path, data: bytes) -> None:
    """Write a report readable by its owner only: drafts are confidential (the database is
    600 too). ``FileProblem`` naming the file when it cannot be written."""
    if target.is_dir():
        raise FileProblem(str(target), "", "this is a folder; give a file name for the report.")
    if not target.parent.is_dir():
        raise FileProblem(
            str(target),
            "",
            f"the folder {target.parent} does not exist; create it first or choose another.",
        )
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)  # an existing file keeps its mode otherwise
            out.write(data)
    except OSError as error:
        raise FileProblem(str(target), "", f"cannot be written ({error.strerror}).") from None


def _identity(path: Path) -> tuple[int, int] | None:
    """The file a path leads to (device, inode), links followed; None if there is none."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _clashes(inputs: list[Path], targets: list[Path]) -> str:
    """Why writing ``targets`` would lose a file ("" when it would not). Files are compared by
    identity, so a hard or symbolic link to an input is an input."""
    seen: set[Path] = set()
    sources = {p.resolve() for p in inputs}
    identities = {i for i in map(_identity, inputs) if i is not None}
    for target in targets:
        resolved = target.resolve()
        if resolved in sources or _identity(target) in identities:
            return f"{target} is one of the input files; it would be overwritten. Choose another name or folder."
        if resolved in seen:
            return (
                f"two reports would both be written to {target} (input files with the same "
                "name); rename one of them or report them separately."
            )
        seen.add(resolved)
    return ""


def _usage(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


class Progress:
    """A one-line progress bar on stderr, for batches (e.g. one report per State party)."""

    WIDTH = 30

    def __init__(self, total: int, enabled: bool = True):
        self.total, self.done, self.enabled = total, 0, enabled
        self.started = time.perf_counter()

    def advance(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = self.WIDTH * self.done // self.total
        elapsed = time.perf_counter() - self.started
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {elapsed:5.1f}s {label[:30]:<30}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            sys.stderr.write(f"\n{self.done} assessment(s) reported in {elapsed:.1f}s\n")


def _legal_basis(_: argparse.Namespace) -> int:
    from checklist.legal_basis import render_markdown

    sys.stdout.write(render_markdown(default_checklist(), default_methodology()))
    return 0


def _schema(_: argparse.Namespace) -> int:
    _print_json(assessment_json_schema())
    return 0


def assessment_json_schema() -> dict[str, Any]:
    schema = Assessment.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://opsc-gap-check.example/schema/assessment-{FORMAT_VERSION}.json"
    schema["title"] = f"OPSC Gap Check assessment file, format version {FORMAT_VERSION}"
    return schema


def result_json(result: Result) -> dict[str, Any]:
    data = result.model_dump(mode="json")
    data["verdict_label"] = result.verdict_label
    data["gaps_by_severity"] = result.gaps_by_severity()
    return data


def summary_text(result: Result) -> str:
    """``score --text``: the verdict first, then the scores, sections and gaps. Text the user
    typed is printed with control characters neutralised (see ``terminal_safe``)."""

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value * 100:.0f}%"

    labels = {kind: spec.label for kind, spec in result.methodology.scores.items()}
    lines = [
        f"OPSC Gap Check - {result.jurisdiction or '(no jurisdiction)'}"
        f" - law as it stood on {result.law_date} - checklist {result.checklist_version}",
        f"Scope: {result.scope_title}",
        "",
        f"Verdict: {result.verdict_label}",
        f"  {result.verdict_meaning}",
        f"{labels['treaty']}: {pct(result.treaty_score)}"
        + (f" ({result.ceiling})" if result.ceiling else ""),
        f"{labels['committee']}: {pct(result.committee_score)}",
        f"{labels['good-practice']}: {pct(result.good_practice_score)} (never lowers the above)",
        f"{result.answered} of {result.total} items answered"
        f" ({len(result.unknowns)} to research, {len(result.unanswered)} not yet answered)",
        "",
        "Sections (all items, for orientation):",
    ]
    lines += [
        f"  {pct(s.score):>5}  {s.title}  ({s.answered}/{s.total} answered, {s.gaps} gaps)"
        for s in result.sections
    ]
    lines += ["", f"Gaps ({len(result.gaps)}), gravest first:"]
    for gap in result.gaps:
        lines.append(f"  {gap.rank:>2}. [{gap.severity}] {gap.title} ({gap.id}) - {gap.kind_label}")
        if gap.reason:
            lines.append(f"      {gap.reason}")
        lines.append(f"      Recommendation: {gap.recommendation}")
    if result.unknowns:
        lines += ["", "Needing research (answered unknown):"]
        lines += [f"  - {p.title} ({p.id})" for p in result.unknowns]
    if result.unanswered:
        lines += ["", f"Not yet answered ({len(result.unanswered)}):"]
        lines += [f"  - {p.title} ({p.id})" for p in result.unanswered]
    return terminal_safe("\n".join(lines))


# C0 and C1 control characters (but newline and tab) and the bidirectional overrides and
# isolates: in user text they could rewrite the terminal or reorder what is shown.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def terminal_safe(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
