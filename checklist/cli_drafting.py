"""Command line for the drafting record of assessments saved in the database
(``OPSC_DB_URL``, or the app's own file):

    python -m checklist history ID [--item ITEM]
    python -m checklist versions ID
    python -m checklist save-version ID "Sent to the Committee, December 2026" --as NAME
    python -m checklist sign-off ID VERSION --decision cleared --note "..." --as NAME

Every command that writes takes ``--as NAME``, the person recorded with the change (a team
server supplies the signed-in identity through the same parameter of the store). A refusal
is one message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from checklist import drafting

EXIT_REFUSED = 2


def add_commands(sub: Any, terminal_safe: Callable[[str], str]) -> None:
    """Add the drafting commands to the main parser's sub-parsers."""

    def run(action: Callable[[argparse.Namespace], list[str]]) -> Callable[..., int]:
        def command(args: argparse.Namespace) -> int:
            from checklist.store import NotFound, Refused, Unusable

            try:
                lines = action(args)
            except Refused as refused:
                print(f"error: {terminal_safe(str(refused))}", file=sys.stderr)
                return EXIT_REFUSED
            except NotFound:
                print(
                    f"error: no saved assessment has the ID {terminal_safe(args.id)}",
                    file=sys.stderr,
                )
                return EXIT_REFUSED
            except Unusable as unusable:
                print(f"error: {terminal_safe(str(unusable))}", file=sys.stderr)
                return EXIT_REFUSED
            for line in lines:
                print(terminal_safe(line))
            return 0

        return command

    def common(parser: argparse.ArgumentParser, writes: bool = False) -> None:
        parser.add_argument("id", help="the assessment's ID (as in the app's address, ?a=...)")
        parser.add_argument(
            "--db",
            default=None,
            metavar="URL",
            help="database URL (default: OPSC_DB_URL or the app's own database)",
        )
        if writes:
            parser.add_argument(
                "--as",
                dest="author",
                required=True,
                metavar="NAME",
                help="your name, recorded with the change",
            )

    history = sub.add_parser("history", help="print who changed which answer, when, and how")
    common(history)
    history.add_argument("--item", default="", help="only this item's history")
    history.set_defaults(command=run(_history))

    versions = sub.add_parser("versions", help="list the named versions and their sign-offs")
    common(versions)
    versions.set_defaults(command=run(_versions))

    save = sub.add_parser("save-version", help="freeze the assessment under a name")
    common(save, writes=True)
    save.add_argument("name", help='e.g. "Sent to the Committee, December 2026"')
    save.set_defaults(command=run(_save_version))

    sign = sub.add_parser("sign-off", help="record a decision on a named version")
    common(sign, writes=True)
    sign.add_argument("version", help="the version's ID (see: versions ID)")
    sign.add_argument("--decision", choices=["cleared", "returned"], required=True)
    sign.add_argument("--note", default="")
    sign.set_defaults(command=run(_sign_off))


def _store(args: argparse.Namespace) -> Any:
    from checklist.store import Store

    return Store(args.db)


def _history(args: argparse.Namespace) -> list[str]:
    store = _store(args)
    assessment = store.load(args.id).assessment
    entries = [e for e in reversed(assessment.history) if not args.item or e.item_id == args.item]
    lines = [
        f"{e.at:%Y-%m-%d %H:%M} UTC  {e.author or '(no name)'}  {e.change}  {e.item_id}: "
        f"{_brief(e.before)} -> {_brief(e.after)}"
        for e in entries
    ]
    if not args.item:
        lines += [
            f"{d.at:%Y-%m-%d %H:%M} UTC  {d.author or '(no name)'}  details  {field}: "
            f"{d.before.get(field, '')} -> {value}"
            for d in reversed(assessment.details_history)
            for field, value in d.after.items()
        ]
    return lines or ["No change recorded."]


def _brief(answer: Any) -> str:
    if answer is None:
        return "(none)"
    for field in ("status", "value", "choice"):
        value = getattr(answer, field)
        if value is not None:
            return f"{value:g}" if isinstance(value, float) else str(value)
    if answer.elements:
        return ", ".join(f"{k}={v}" for k, v in sorted(answer.elements.items()))
    return "(evidence only)"


def _versions(args: argparse.Namespace) -> list[str]:
    assessment = _store(args).load(args.id).assessment
    lines = [drafting.clearance(assessment).describe()]
    for version in assessment.versions:
        lines.append(
            f"{version.id}  {version.at:%Y-%m-%d %H:%M} UTC  {version.name}  (by {version.author})"
        )
        for decision in drafting.sign_offs_of(assessment, version.id):
            note = f": {decision.note}" if decision.note else ""
            lines.append(
                f"    {decision.decision} by {decision.author} on {decision.at:%Y-%m-%d}{note}"
            )
    if not assessment.versions:
        lines.append("No version saved.")
    return lines


def _save_version(args: argparse.Namespace) -> list[str]:
    version = _store(args).save_version(args.id, args.name, author=args.author)
    return [f"Saved version {version.id}: {version.name}"]


def _sign_off(args: argparse.Namespace) -> list[str]:
    store = _store(args)
    assessment = store.load(args.id).assessment
    seen = len(drafting.sign_offs_of(assessment, args.version))
    entry = store.sign_off(
        args.id,
        args.version,
        args.decision,
        author=args.author,
        note=args.note,
        decisions_seen=seen,
    )
    return [f"Recorded: version {entry.version_id} {entry.decision} by {entry.author}."]
