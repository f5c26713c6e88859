"""The command line's drafting commands: history, versions, save-version, sign-off, each
that writes recording the person given with --as."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist import drafting
from checklist.assessment import Answer, Assessment
from checklist.cli import main
from checklist.loader import default_checklist
from checklist.store import Store


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


@pytest.fixture
def saved(db: str) -> Assessment:
    checklist = default_checklist()
    store = Store(db)
    assessment = Assessment(jurisdiction="Ruritania", checklist_version=checklist.version)
    store.create(assessment)
    item = checklist.sections[0].items[0].id
    given = Answer(status="unknown")
    store.save_answer(assessment.id, item, given, 0, checklist=checklist, author="Ana")
    return assessment


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_save_version_and_sign_off__record_the_person_given(
    capsys: pytest.CaptureFixture[str], db: str, saved: Assessment
) -> None:
    code, out, _ = run(capsys, "save-version", saved.id, "Sent", "--as", "Ana", "--db", db)
    assert code == 0 and "Saved version" in out
    (version,) = Store(db).load(saved.id).assessment.versions
    assert version.author == "Ana"

    code, out, _ = run(
        capsys,
        "sign-off",
        saved.id,
        version.id,
        "--decision",
        "cleared",
        "--as",
        "Head",
        "--note",
        "OK",
        "--db",
        db,
    )
    assert code == 0
    now = Store(db).load(saved.id).assessment
    assert drafting.clearance(now).final
    assert now.sign_offs[0].author == "Head"

    code, out, _ = run(capsys, "versions", saved.id, "--db", db)
    assert "Final: version 'Sent', cleared by Head" in out
    assert "cleared by Head" in out


def test_history__lists_who_changed_what(
    capsys: pytest.CaptureFixture[str], db: str, saved: Assessment
) -> None:
    code, out, _ = run(capsys, "history", saved.id, "--db", db)
    assert code == 0
    assert "Ana  answer" in out and "(none) -> unknown" in out


def test_writing_without_a_name__is_refused(
    capsys: pytest.CaptureFixture[str], db: str, saved: Assessment
) -> None:
    code, _, err = run(capsys, "save-version", saved.id, "Sent", "--as", "  ", "--db", db)
    assert code == 2 and "Give your name" in err
    with pytest.raises(SystemExit):
        main(["save-version", saved.id, "Sent", "--db", db])  # --as is required


def test_unknown_assessment_or_version__is_one_clear_message(
    capsys: pytest.CaptureFixture[str], db: str, saved: Assessment
) -> None:
    code, _, err = run(capsys, "versions", "nope", "--db", db)
    assert code == 2 and "no saved assessment has the ID nope" in err
    code, _, err = run(
        capsys, "sign-off", saved.id, "nope", "--decision", "cleared", "--as", "H", "--db", db
    )
    assert code == 2 and "no such version" in err


def test_names_and_notes_with_control_characters__are_printed_neutralised(
    capsys: pytest.CaptureFixture[str], db: str, saved: Assessment
) -> None:
    run(capsys, "save-version", saved.id, "Sent\x1b[31m", "--as", "Eve\x1b]0;x\x07", "--db", db)
    _, out, _ = run(capsys, "versions", saved.id, "--db", db)
    assert "\x1b" not in out and "\x07" not in out
