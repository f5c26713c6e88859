"""The loader's error catalogue: one test per kind of mistake in the content files.

Each error must say which file and item, which rule failed and how to fix it, and every
error in the content is reported at once.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from checklist.loader import (
    ContentError,
    ContentErrors,
    load_checklist,
    load_methodology,
    load_protocol,
)

FIXTURE = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    return root


def edit(root: Path, file: str, change: Callable[[dict], None]) -> None:
    path = root / file
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def errors_of(root: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as raised:
        load_checklist(root)
    return raised.value.errors


def only_error(root: Path) -> ContentError:
    errors = errors_of(root)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_fixture_content__loads_without_errors() -> None:
    assert len(load_checklist(FIXTURE).items()) == 9


def test_real_content__loads_without_errors() -> None:
    assert load_checklist().items()


def test_invalid_yaml__names_file_line_and_rule(content: Path) -> None:
    (content / "age.yaml").write_text("id: age\ntitle: Age: and more\n")
    error = only_error(content)
    assert (error.file, error.rule) == ("age.yaml", "yaml-syntax")
    assert error.where.startswith("line 2")
    assert "quoted" in error.fix


def test_section_file_listed_but_absent__is_missing_file(content: Path) -> None:
    (content / "extra.yaml").unlink()
    error = only_error(content)
    assert (error.file, error.rule) == ("checklist.yaml", "missing-file")
    assert "extra.yaml" in error.message


def test_missing_recommendation__names_item_and_field(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].pop("recommendation"))
    error = only_error(content)
    assert (error.file, error.where, error.rule) == (
        "age.yaml",
        "item 'def.sale'",
        "required-field",
    )
    assert "recommendation" in error.fix


def test_empty_recommendation__is_empty_text(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].update(recommendation=""))
    assert only_error(content).rule == "empty-text"


def test_misspelt_field__is_unknown_field(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][0].update(guidence="typo"))
    error = only_error(content)
    assert (error.where, error.rule) == ("item 'age.sale'", "unknown-field")
    assert "guidence" in error.fix


def test_unknown_answer_type__lists_the_four_types(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].update(answer={"type": "yes-no"}))
    error = only_error(content)
    assert (error.where, error.rule) == ("item 'def.sale'", "unknown-answer-type")
    assert "status, number, choice, elements" in error.fix


def test_unknown_strength__lists_the_strengths(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].update(strength="binding"))
    error = only_error(content)
    assert error.rule == "unknown-strength"
    assert "mandatory, qualified, optional, committee, good-practice" in error.fix


def test_badly_formed_id__is_bad_format(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].update(id="Def Sale"))
    assert only_error(content).rule == "bad-format"


def test_no_treaty_text__is_empty_list(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].update(treaty_text=[]))
    assert only_error(content).rule == "empty-list"


def test_same_id_in_two_files__is_duplicate_id(content: Path) -> None:
    edit(content, "persons.yaml", lambda d: d["items"][2].update(id="def.sale"))
    error = only_error(content)
    assert (error.file, error.rule) == ("persons.yaml", "duplicate-id")
    assert "age.yaml" in error.message


def test_quote_not_in_the_protocol__is_not_verbatim(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].update(treaty_text=["any sale of a child"]))
    error = only_error(content)
    assert (error.where, error.rule) == ("item 'def.sale'", "quote-not-verbatim")
    assert "protocol.yaml" in error.fix


def test_quote_with_ellipsis__passes_when_each_part_is_verbatim(content: Path) -> None:
    quote = "The offering, delivering or accepting ... a child for the purpose of"
    edit(content, "age.yaml", lambda d: d["items"][1].update(treaty_text=[quote]))
    assert load_checklist(content).item("def.sale").treaty_text == [quote]


def test_threshold_outside_its_range__is_reported(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][0]["answer"].update(threshold=30))
    assert only_error(content).rule == "threshold-out-of-range"


def test_element_listed_twice__is_duplicate_option(content: Path) -> None:
    def dup(d: dict) -> None:
        d["items"][0]["answer"]["elements"].append({"id": "offering", "label": "Again"})

    edit(content, "conduct.yaml", dup)
    error = only_error(content)
    assert (error.rule, error.where) == ("duplicate-option", "item 'sale.organs'")


def test_skip_rule_on_missing_item__is_unknown_item_reference(content: Path) -> None:
    edit(content, "persons.yaml", lambda d: d["items"][1]["applies_if"].update(item="lp.none"))
    error = only_error(content)
    assert (error.rule, error.where) == (
        "unknown-item-reference",
        "item 'legal-persons.all-offences'",
    )


def test_skip_rule_on_impossible_answer__is_unknown_answer_reference(content: Path) -> None:
    edit(content, "persons.yaml", lambda d: d["items"][1]["applies_if"].update(answer_in=["penal"]))
    error = only_error(content)
    assert error.rule == "unknown-answer-reference"
    assert "criminal" in error.fix


def test_citation_not_in_the_sources__is_unsourced(content: Path) -> None:
    (content / "observations.yaml").write_text(
        "observations:\n  - {symbol: CRC/C/OPSC/CHL/CO/1, paragraphs: '23-24'}\n"
    )
    ref = {"symbol": "CRC/C/OPSC/CHL/CO/1", "paragraphs": "99", "state": "Chile"}
    edit(content, "age.yaml", lambda d: d["items"][1].update(references=[ref]))
    error = only_error(content)
    assert error.rule == "unsourced-citation"
    assert "CRC/C/OPSC/CHL/CO/1, para. 99" in error.message


def test_section_in_undeclared_module__is_unknown_module(content: Path) -> None:
    edit(content, "extra.yaml", lambda d: d.update(module="further"))
    error = only_error(content)
    assert (error.file, error.rule) == ("extra.yaml", "unknown-module")


def test_scope_naming_an_undeclared_module__is_unknown_module(content: Path) -> None:
    edit(content, "checklist.yaml", lambda d: d["scopes"][1].update(modules=["core", "further"]))
    error = only_error(content)
    assert (error.where, error.rule) == ("scopes: whole-protocol", "unknown-module")


def test_scope_without_the_core__is_refused(content: Path) -> None:
    edit(content, "checklist.yaml", lambda d: d["scopes"][1].update(modules=["extended"]))
    assert only_error(content).rule == "scope-without-core"


def test_scopes_with_two_defaults__are_refused(content: Path) -> None:
    edit(content, "checklist.yaml", lambda d: d["scopes"][1].update(default=True))
    assert only_error(content).rule == "default-scope"


def test_skip_rules__may_be_a_list_each_checked(content: Path) -> None:
    rules = [
        {"item": "legal-persons.liability", "answer_in": ["criminal"]},
        {"item": "no.such-item", "answer_in": ["covered"]},
    ]
    edit(content, "persons.yaml", lambda d: d["items"][1].update(applies_if=rules))
    assert only_error(content).rule == "unknown-item-reference"


def test_every_error_is_reported_at_once(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].pop("recommendation"))
    edit(content, "conduct.yaml", lambda d: d["items"][1].update(strength="binding"))
    edit(content, "persons.yaml", lambda d: d["items"][2].update(id="def.sale"))
    (content / "extra.yaml").write_text("id: [unclosed\n")
    rules = sorted(e.rule for e in errors_of(content))
    assert rules == ["duplicate-id", "required-field", "unknown-strength", "yaml-syntax"]


def test_error_text__says_file_item_rule_and_fix(content: Path) -> None:
    edit(content, "age.yaml", lambda d: d["items"][1].pop("recommendation"))
    with pytest.raises(ContentErrors) as raised:
        load_checklist(content)
    text = str(raised.value)
    assert "age.yaml: item 'def.sale': [required-field]" in text
    assert "Fix: add the field 'recommendation'." in text


def test_methodology_missing_a_strength__is_rejected(content: Path) -> None:
    shutil.copy(Path("checklist/content/methodology.yaml"), content / "methodology.yaml")
    edit(content, "methodology.yaml", lambda d: d["weights"].pop("optional"))
    with pytest.raises(ContentErrors) as raised:
        load_methodology(content)
    assert "weights has no entry for ['optional']" in str(raised.value)


def test_observation_without_paragraphs__is_a_content_error_not_a_crash(content: Path) -> None:
    (content / "observations.yaml").write_text("observations:\n  - {symbol: CRC/C/OPSC/CHL/CO/1}\n")
    error = only_error(content)
    assert (error.file, error.rule) == ("observations.yaml", "required-field")


def test_broken_protocol_text__is_a_content_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "protocol.yaml").write_text("title: only a title\n")
    with pytest.raises(ContentErrors) as raised:
        load_protocol(tmp_path)
    assert {e.file for e in raised.value.errors} == {"protocol.yaml"}
