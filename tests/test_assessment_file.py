"""The assessment file: round trip, checking before accepting, and migration between
checklist versions without losing anything the user wrote."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from checklist.assessment import Answer, Assessment
from checklist.assessment_file import (
    MAX_ANSWERS,
    MAX_FILE_BYTES,
    MAX_NOTICES,
    FileProblem,
    read_assessment,
    write_assessment,
)
from checklist.cli import assessment_json_schema
from checklist.loader import load_checklist

FIXTURE = load_checklist(Path(__file__).parent / "fixtures" / "content")
DOCS = Path(__file__).parents[1] / "docs"
STAMP = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def full_assessment() -> Assessment:
    return Assessment(
        id="3f1c0ffee",
        created_at=STAMP,
        updated_at=STAMP,
        jurisdiction="Côte d'Ivoire",
        assessor="Ministère de la Justice — Direction des affaires pénales",
        title="Revue 2026",
        checklist_version=FIXTURE.version,
        scope="whole-protocol",
        law_date=dt.date(2008, 3, 1),
        answers={
            "age.sale": Answer(value=16, provisions=["Code pénal, art. 370"], note="Âge: 16 ans"),
            "def.sale": Answer(status="partly", excerpt="Quiconque vend un enfant…"),
            "sale.organs": Answer(elements={"offering": "covered", "accepting": "not-covered"}),
            "legal-persons.liability": Answer(choice="civil", source_url="https://example.org/cp"),
            "jurisdiction.nationality-victim": Answer(status="not-applicable"),
            "grooming.online": Answer(status="unknown", note='=HYPERLINK("x") 中文 العربية'),
        },
    )


def as_bytes(data: object) -> bytes:
    return json.dumps(data).encode()


def raw(**changes: object) -> dict:
    data = json.loads(write_assessment(full_assessment()))
    data.update(changes)
    return data


def test_round_trip__gives_back_the_same_assessment() -> None:
    original = full_assessment()
    loaded = read_assessment(write_assessment(original), "a.json", FIXTURE)
    assert loaded.assessment == original
    assert loaded.notices == []


def test_answers__order_in_the_file_does_not_matter() -> None:
    data = raw()
    data["answers"] = dict(reversed(list(data["answers"].items())))
    assert read_assessment(as_bytes(data), "a.json", FIXTURE).assessment == full_assessment()


def test_json_schema_in_docs__is_the_one_the_code_defines() -> None:
    published = json.loads((DOCS / "assessment.schema.json").read_text())
    assert published == assessment_json_schema(), (
        "run: python -m checklist schema > docs/assessment.schema.json"
    )


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "byte 0", "not a text file"),
        (b'{"format": "opsc-gap-check/assessment", ', "line 1, column 41", "not valid JSON"),
        (as_bytes([1, 2]), "format", "not an OPSC Gap Check assessment file"),
        (as_bytes({"answers": {}}), "format", "not an OPSC Gap Check assessment file"),
        (as_bytes(raw(format_version=4)), "format_version", "newer version of this tool"),
        (as_bytes(raw(format_version="one")), "format_version", "missing or invalid"),
        (as_bytes(raw(format_version=True)), "format_version", "missing or invalid"),
        (as_bytes(raw(scope="everything")), "scope", "offences"),
        (as_bytes(raw(law_date="2008-02-30")), "law_date", "date"),
        (as_bytes(raw(checklist_version="9.0")), "checklist_version", "Update the tool"),
        (as_bytes(raw(date="tomorrow")), "date", "valid date"),
        (as_bytes(raw(colour="red")), "colour", "not part of the assessment format"),
    ],
    ids=[
        "binary",
        "truncated",
        "list",
        "no-marker",
        "newer-format",
        "bad-version",
        "version-true",
        "unknown-scope",
        "impossible-law-date",
        "newer-checklist",
        "bad-date",
        "unknown-field",
    ],
)
def test_bad_file__is_refused_with_place_and_reason(data: bytes, where: str, message: str) -> None:
    with pytest.raises(FileProblem) as problem:
        read_assessment(data, "upload.json", FIXTURE)
    assert problem.value.where == where
    assert message in str(problem.value)
    assert str(problem.value).startswith("upload.json (at ")


@pytest.mark.parametrize(
    ("item_id", "answer", "message"),
    [
        ("age.sale", {"value": 180}, "180 is out of range for 'age.sale' (0-25 years)"),
        ("age.sale", {"status": "covered"}, "answered with a number"),
        ("def.sale", {"value": 3}, "answered with a coverage status"),
        ("def.sale", {"status": "not-applicable"}, "cannot be answered 'not applicable'"),
        ("def.sale", {"status": "maybe"}, "input should be"),
        ("legal-persons.liability", {"choice": "penal"}, "'penal' is not an option"),
        ("sale.organs", {"elements": {"selling": "covered"}}, "has no element selling"),
        ("sale.organs", {"elements": {"offering": "yes"}}, "input should be"),
        ("no.such-item", {"status": "covered"}, "no item 'no.such-item' in checklist 1.0"),
        (
            "sale.organs",
            {"status": "unknown", "elements": {"offering": "not-covered"}},
            "marked unknown and also answered",
        ),
        ("legal-persons.liability", {"status": "unknown", "choice": "none"}, "not both"),
    ],
)
def test_answer_that_does_not_fit_its_item__is_refused(
    item_id: str, answer: dict, message: str
) -> None:
    data = raw()
    data["answers"][item_id] = answer
    with pytest.raises(FileProblem) as problem:
        read_assessment(as_bytes(data), "a.json", FIXTURE)
    assert problem.value.where.startswith(f"answers.{item_id}")
    assert message in str(problem.value)


def test_deeply_nested_json__is_refused_not_a_crash() -> None:
    with pytest.raises(FileProblem, match="nests too deeply"):
        read_assessment(b"[" * 200_000, "deep.json", FIXTURE)


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "a b", "x\u0000y", ""])
def test_assessment_id_that_is_not_a_plain_token__is_refused(bad_id: str) -> None:
    with pytest.raises(FileProblem) as problem:
        read_assessment(as_bytes(raw(id=bad_id)), "a.json", FIXTURE)
    assert problem.value.where == "id"


def test_oversized_file__is_refused_before_reading() -> None:
    with pytest.raises(FileProblem, match="limited to 25 MB"):
        read_assessment(b" " * (MAX_FILE_BYTES + 1), "big.json", FIXTURE)


def test_file_for_older_checklist__keeps_every_answer_that_still_fits() -> None:
    data = raw(checklist_version="0.9")
    data["answers"]["sale.old-item"] = {"status": "covered", "note": "keep me"}
    data["answers"]["legal-persons.liability"] = {"choice": "penal"}
    loaded = read_assessment(as_bytes(data), "old.json", FIXTURE)
    assessment = loaded.assessment
    assert assessment.checklist_version == "1.0"
    assert set(assessment.answers) == set(full_assessment().answers) - {"legal-persons.liability"}
    archived = {a.item_id: a for a in assessment.archived_answers}
    assert archived["sale.old-item"].answer.note == "keep me"
    assert archived["sale.old-item"].checklist_version == "0.9"
    assert "'penal' is not an option" in archived["legal-persons.liability"].reason
    assert loaded.notices[0].startswith("This assessment was made for checklist 0.9")
    assert any("'sale.old-item' was set aside" in n for n in loaded.notices)


def test_migrated_file__round_trips_with_its_archived_answers() -> None:
    data = raw(checklist_version="0.9")
    data["answers"]["sale.old-item"] = {"status": "covered"}
    migrated = read_assessment(as_bytes(data), "old.json", FIXTURE).assessment
    again = read_assessment(write_assessment(migrated), "again.json", FIXTURE)
    assert again.assessment == migrated
    assert again.notices == []


def test_with_answer__returns_a_copy_and_stamps_the_time() -> None:
    original = full_assessment()
    changed = original.with_answer("def.sale", Answer(status="covered"))
    assert original.answers["def.sale"].status == "partly"
    assert changed.answers["def.sale"].status == "covered"
    assert changed.answers["def.sale"].updated_at is not None


def _format_1(**changes: object) -> dict:
    """A file as the tool wrote it before scopes and the law date existed."""
    data = raw(**changes)
    del data["scope"], data["law_date"]
    data["format_version"] = 1
    return data


@pytest.mark.parametrize(
    ("modules", "scope"),
    [(["extended"], "whole-protocol"), ([], "offences")],
    ids=["extended-module", "core-only"],
)
def test_format_1_file__opens_with_the_scope_its_modules_meant(modules: list, scope: str) -> None:
    loaded = read_assessment(
        as_bytes(_format_1(include_modules=modules)), "old.json", FIXTURE
    ).assessment
    assert loaded.scope == scope
    assert loaded.format_version == 3
    assert loaded.answers == full_assessment().answers


def test_format_1_file__takes_the_assessment_date_as_the_law_date_and_says_so() -> None:
    loaded = read_assessment(as_bytes(_format_1(date="2009-05-04")), "old.json", FIXTURE)
    assert loaded.assessment.law_date == dt.date(2009, 5, 4)
    assert any("2009-05-04 is taken" in n or "(2009-05-04) is taken" in n for n in loaded.notices)


def test_law_date__is_kept_apart_from_the_assessment_date() -> None:
    loaded = read_assessment(write_assessment(full_assessment()), "a.json", FIXTURE).assessment
    assert loaded.law_date == dt.date(2008, 3, 1)
    assert loaded.date != loaded.law_date


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"answers": {"age.sale": {"value": "18"}}}, "answers.age.sale.value"),
        ({"created_at": 1700000000}, "created_at"),
        ({"jurisdiction": 12}, "jurisdiction"),
    ],
    ids=["age-as-text", "number-as-created-at", "number-as-jurisdiction"],
)
def test_wrong_types__are_refused_not_converted(changes: dict, where: str) -> None:
    with pytest.raises(FileProblem) as raised:
        read_assessment(as_bytes(raw(**changes)), "a.json", FIXTURE)
    assert raised.value.where == where


def test_duplicate_key__is_refused_naming_it() -> None:
    text = write_assessment(full_assessment()).decode()
    doubled = text.replace('"jurisdiction":', '"title": "again",\n  "jurisdiction":', 1)
    with pytest.raises(FileProblem, match='the key "title" appears twice'):
        read_assessment(doubled.encode(), "a.json", FIXTURE)


def test_file_with_thousands_of_answers__is_refused() -> None:
    answers = {f"gone.item-{n}": {"status": "covered"} for n in range(MAX_ANSWERS + 1)}
    with pytest.raises(FileProblem, match="at most 2,000"):
        read_assessment(as_bytes(raw(answers=answers, checklist_version="0.9")), "a.json", FIXTURE)


def test_older_file_with_many_answers_set_aside__summarises_its_notices() -> None:
    answers = {f"gone.item-{n}": {"status": "covered"} for n in range(500)}
    loaded = read_assessment(
        as_bytes(raw(answers=answers, checklist_version="0.9")), "a.json", FIXTURE
    )
    assert len(loaded.notices) <= MAX_NOTICES
    assert "more notices like these" in loaded.notices[-1]
    assert len(loaded.assessment.archived_answers) == 500


def test_nul_in_a_text__is_taken_out_with_a_notice() -> None:
    data = raw(jurisdiction="Ruri\x00tania")
    data["answers"]["def.sale"] = {"status": "covered", "note": "a\x00b"}
    loaded = read_assessment(as_bytes(data), "odd.json", FIXTURE)
    assert loaded.assessment.jurisdiction == "Ruritania"
    assert loaded.assessment.answers["def.sale"].note == "ab"
    assert any("2 NUL character(s)" in n for n in loaded.notices)


def test_nul_in_an_id__is_refused_naming_the_place() -> None:
    data = raw()
    data["answers"]["def\x00sale"] = {"status": "covered"}
    with pytest.raises(FileProblem, match="NUL") as problem:
        read_assessment(as_bytes(data), "odd.json", FIXTURE)
    assert problem.value.where == "answers.def\x00sale"


def test_an_item_id_longer_than_the_database_keeps__is_refused() -> None:
    data = raw(answers={"x" * 201: {"status": "covered"}})
    with pytest.raises(FileProblem, match="answers"):
        read_assessment(as_bytes(data), "odd.json", FIXTURE)
