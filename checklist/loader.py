"""Load and validate the checklist content, reporting every error at once.

Each error names the file and the item, the rule that failed and how to fix it, so the
person editing the YAML (a lawyer, not a programmer) can correct everything in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from checklist.methodology import Methodology
from checklist.schema import (
    AppliesIf,
    Checklist,
    ChoiceAnswer,
    CommitteeRef,
    ElementsAnswer,
    Item,
    Manifest,
    NumberAnswer,
    Section,
)
from checklist.treaty import Protocol

M = TypeVar("M", bound=BaseModel)
# The C parser when PyYAML has it (10x faster: the app's cold start), else pure Python.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONTENT_DIR = Path(__file__).resolve().parent / "content"
ANSWER_TYPES = ("status", "number", "choice", "elements")


@dataclass(frozen=True)
class ContentError:
    file: str
    where: str
    rule: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{where} [{self.rule}] {self.message} Fix: {self.fix}"


class ContentErrors(Exception):
    def __init__(self, errors: Sequence[ContentError]):
        self.errors = list(errors)
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"The checklist content has {len(self.errors)} error(s):\n{lines}")


@cache
def default_checklist() -> Checklist:
    return load_checklist(CONTENT_DIR)


@cache
def default_methodology() -> Methodology:
    return load_methodology(CONTENT_DIR)


@cache
def default_protocol() -> Protocol:
    return load_protocol(CONTENT_DIR)


def load_protocol(root: Path = CONTENT_DIR) -> Protocol:
    errors: list[ContentError] = []
    protocol = _validate(
        Protocol, _read_yaml(root / "protocol.yaml", errors), "protocol.yaml", errors
    )
    if errors or protocol is None:
        raise ContentErrors(errors)
    return protocol


def load_methodology(root: Path = CONTENT_DIR) -> Methodology:
    errors: list[ContentError] = []
    data = _read_yaml(root / "methodology.yaml", errors)
    methodology = _validate(Methodology, data, "methodology.yaml", errors, items=None)
    if errors or methodology is None:
        raise ContentErrors(errors)
    return methodology


def load_about(root: Path = CONTENT_DIR) -> str:
    return (root / "about.md").read_text(encoding="utf-8")


def load_checklist(root: Path = CONTENT_DIR, protocol: Protocol | None = None) -> Checklist:
    """Read ``checklist.yaml`` and the section files it lists; raise ``ContentErrors`` with
    every problem found, or return the validated ``Checklist``."""
    errors: list[ContentError] = []
    manifest = _validate(
        Manifest, _read_yaml(root / "checklist.yaml", errors), "checklist.yaml", errors
    )
    if manifest is None:
        raise ContentErrors(errors)
    protocol = protocol or default_protocol()
    known_citations = _known_citations(root, errors)
    sections: list[Section] = []
    files: list[str] = []  # the file of each valid section
    raw_ids: list[tuple[str, str]] = []  # (file, id) of every item, valid or not
    for name in manifest.sections:
        file = f"{name}.yaml"
        path = root / file
        if not path.exists():
            errors.append(
                ContentError(
                    "checklist.yaml",
                    f"sections: {name}",
                    "missing-file",
                    f"the section file {file} does not exist.",
                    f"create {file} in {root.name}/ or remove '{name}' from the sections list.",
                )
            )
            continue
        data = _read_yaml(path, errors)
        raw_ids += [(file, i["id"]) for i in _raw_items(data) if isinstance(i, dict) and "id" in i]
        section = _validate(Section, data, file, errors, items=_raw_items(data))
        if section is not None:
            sections.append(section)
            files.append(file)
            errors.extend(_check_section(section, file, manifest, protocol, known_citations))
    errors.extend(_check_duplicates(raw_ids))
    errors.extend(_check_skip_rules(list(zip(files, sections, strict=True))))
    errors.extend(_check_scopes(manifest))
    if errors:
        raise ContentErrors(errors)
    return Checklist(
        version=manifest.version,
        title=manifest.title,
        modules=manifest.modules,
        scopes=manifest.scopes,
        sections=sections,
    )


def _read_yaml(path: Path, errors: list[ContentError]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except FileNotFoundError:
        errors.append(
            ContentError(
                path.name, "", "missing-file", f"{path} does not exist.", "restore the file."
            )
        )
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        errors.append(
            ContentError(
                path.name,
                where,
                "yaml-syntax",
                f"the file is not valid YAML ({problem}).",
                "check the indentation and quoting at that place; text containing ': ' "
                "must be quoted or written as a block (|).",
            )
        )
    return None


def _raw_items(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return list(data["items"])
    return []


def _validate(
    model: type[M], data: Any, file: str, errors: list[ContentError], items: list[Any] | None = None
) -> M | None:
    if data is None and errors and errors[-1].file == file:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors.extend(_translate(error, file, items or []))
        return None


_FIXES = {
    "missing": ("required-field", "add the field '{field}'."),
    "extra_forbidden": ("unknown-field", "remove '{field}' or correct its spelling."),
    "union_tag_invalid": (
        "unknown-answer-type",
        "set answer.type to one of: " + ", ".join(ANSWER_TYPES) + ".",
    ),
    "union_tag_not_found": (
        "unknown-answer-type",
        "give the answer a type: one of " + ", ".join(ANSWER_TYPES) + ".",
    ),
    "string_pattern_mismatch": (
        "bad-format",
        "IDs are lower-case words joined by '-' and '.', e.g. 'sale.organs'; Committee "
        "symbols look like 'CRC/C/OPSC/CHL/CO/1'.",
    ),
    "string_too_short": ("empty-text", "write the text of '{field}'; it may not be empty."),
    "too_short": ("empty-list", "give at least one entry under '{field}'."),
    "literal_error": ("not-allowed-value", "use one of the allowed values."),
}


def _translate(error: ValidationError, file: str, items: list[Any]) -> Iterable[ContentError]:
    for detail in error.errors():
        loc = detail["loc"]
        where = _where(loc, items)
        field = str(loc[-1]) if loc else ""
        if detail["type"] == "literal_error" and loc and loc[-1] == "strength":
            rule, fix = (
                "unknown-strength",
                ("use one of: mandatory, qualified, optional, committee, good-practice."),
            )
        else:
            rule, fix = _FIXES.get(
                detail["type"], ("invalid-value", "correct the value of '{field}'.")
            )
        path = ".".join(str(p) for p in loc if not isinstance(p, int)) or "(top level)"
        yield ContentError(file, where, rule, f"{path}: {detail['msg']}.", fix.format(field=field))


def _where(loc: tuple[Any, ...], items: list[Any]) -> str:
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        raw = items[loc[1]] if loc[1] < len(items) else None
        item_id = raw.get("id") if isinstance(raw, dict) else None
        return f"item '{item_id}'" if item_id else f"item #{loc[1] + 1}"
    return ""


def _known_citations(root: Path, errors: list[ContentError]) -> set[tuple[str, str]] | None:
    path = root / "observations.yaml"
    if not path.exists():
        return None
    data = _validate(Observations, _read_yaml(path, errors), "observations.yaml", errors)
    if data is None:
        return set()
    return {(row.symbol, row.paragraphs) for row in data.observations}


class Observation(BaseModel):
    """A row of ``observations.yaml``: a concluding observation the sources give."""

    model_config = ConfigDict(extra="allow")
    symbol: str
    paragraphs: str


class Observations(BaseModel):
    observations: list[Observation]


def _check_section(
    section: Section,
    file: str,
    manifest: Manifest,
    protocol: Protocol,
    known_citations: set[tuple[str, str]] | None,
) -> Iterable[ContentError]:
    if section.module not in {m.id for m in manifest.modules}:
        yield ContentError(
            file,
            "",
            "unknown-module",
            f"module '{section.module}' is not declared.",
            "declare it under modules in checklist.yaml or use 'core'.",
        )
    for item in section.items:
        where = f"item '{item.id}'"
        for quote in item.treaty_text:
            if not protocol.contains(quote):
                yield ContentError(
                    file,
                    where,
                    "quote-not-verbatim",
                    f"treaty_text {quote[:70]!r}... is not found in the Protocol's text.",
                    "copy the passage exactly from content/protocol.yaml (use '...' to skip words).",
                )
        yield from _check_answer(item, file, where)
        if known_citations is not None:
            yield from _check_citations(item.references, known_citations, file, where)


def _check_answer(item: Item, file: str, where: str) -> Iterable[ContentError]:
    spec = item.answer
    if isinstance(spec, NumberAnswer) and not spec.minimum <= spec.threshold <= spec.maximum:
        yield ContentError(
            file,
            where,
            "threshold-out-of-range",
            f"threshold {spec.threshold} is outside {spec.minimum}-{spec.maximum}.",
            "set minimum <= threshold <= maximum.",
        )
    values: list[str] = []
    if isinstance(spec, ChoiceAnswer):
        values = [o.value for o in spec.options]
    elif isinstance(spec, ElementsAnswer):
        values = [e.id for e in spec.elements]
    for dup in sorted({v for v in values if values.count(v) > 1}):
        yield ContentError(
            file,
            where,
            "duplicate-option",
            f"'{dup}' is listed twice in the answer's options/elements.",
            "give every option or element a distinct id.",
        )


def _check_citations(
    refs: list[CommitteeRef], known: set[tuple[str, str]], file: str, where: str
) -> Iterable[ContentError]:
    for ref in refs:
        if (ref.symbol, ref.paragraphs) not in known:
            yield ContentError(
                file,
                where,
                "unsourced-citation",
                f"{ref.citation} is not among the concluding observations in observations.yaml.",
                "cite only observations the project's sources give (symbol and paragraphs "
                "exactly as there), or remove the reference.",
            )


def _check_duplicates(raw_ids: list[tuple[str, str]]) -> Iterable[ContentError]:
    first: dict[str, str] = {}
    for file, item_id in raw_ids:
        if item_id in first:
            yield ContentError(
                file,
                f"item '{item_id}'",
                "duplicate-id",
                f"the ID '{item_id}' is already used in {first[item_id]}.",
                "give each item a unique ID; IDs are what saved assessments refer to.",
            )
        else:
            first[item_id] = file


def _check_skip_rules(sections: list[tuple[str, Section]]) -> Iterable[ContentError]:
    items = {item.id: item for _, section in sections for item in section.items}
    for file, section in sections:
        for item in section.items:
            for rule in item.applies_if:
                yield from _check_skip_rule(rule, items, file, f"item '{item.id}'")


def _check_skip_rule(
    rule: AppliesIf, items: dict[str, Item], file: str, where: str
) -> Iterable[ContentError]:
    target = items.get(rule.item)
    if target is None:
        yield ContentError(
            file,
            where,
            "unknown-item-reference",
            f"applies_if refers to item '{rule.item}', which does not exist.",
            "use the ID of an existing item.",
        )
        return
    allowed = _answer_values(target)
    for value in rule.answer_in:
        if allowed is not None and value not in allowed:
            yield ContentError(
                file,
                where,
                "unknown-answer-reference",
                f"applies_if expects '{value}', which item '{rule.item}' cannot give.",
                f"use one of: {', '.join(sorted(allowed))}.",
            )


def _check_scopes(manifest: Manifest) -> Iterable[ContentError]:
    declared = {m.id for m in manifest.modules}
    for scope in manifest.scopes:
        for module in scope.modules:
            if module not in declared:
                yield ContentError(
                    "checklist.yaml",
                    f"scopes: {scope.id}",
                    "unknown-module",
                    f"scope '{scope.id}' names module '{module}', which is not declared.",
                    f"use one of: {', '.join(sorted(declared))}.",
                )
        if "core" not in scope.modules:
            yield ContentError(
                "checklist.yaml",
                f"scopes: {scope.id}",
                "scope-without-core",
                f"scope '{scope.id}' leaves out the core module.",
                "every scope includes 'core': the article 3 offences are always assessed.",
            )
    if sum(scope.default for scope in manifest.scopes) != 1:
        yield ContentError(
            "checklist.yaml",
            "scopes",
            "default-scope",
            "exactly one scope must be marked 'default: true'.",
            "mark the scope new assessments start with, and only that one.",
        )


def _answer_values(item: Item) -> set[str] | None:
    if isinstance(item.answer, ChoiceAnswer):
        return {o.value for o in item.answer.options}
    if item.answer.type == "status":
        return {"covered", "partly", "not-covered", "unknown", "not-applicable"}
    return None
