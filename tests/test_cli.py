"""``python -m checklist``: dump, template, score, schema, on good and bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checklist.cli import main
from checklist.loader import default_checklist


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_dump__lists_every_item_with_its_treaty_text(capsys) -> None:
    code, out, _ = run(capsys, "dump")
    dump = json.loads(out)
    items = [i for s in dump["sections"] for i in s["items"]]
    assert code == 0
    assert [i["id"] for i in items] == [i.id for i in default_checklist().items()]
    assert all(i["treaty_text"] and i["recommendation"] for i in items)
    assert dump["version"] == default_checklist().version
    assert "weights" in dump["methodology"]


def test_template__is_a_blank_assessment_that_scores(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "template", "--jurisdiction", "Chile")
    assert code == 0
    blank = tmp_path / "blank.json"
    blank.write_text(out)
    code, out, _ = run(capsys, "score", str(blank))
    result = json.loads(out)
    assert code == 0
    assert result["jurisdiction"] == "Chile"
    assert result["gaps"] == []
    core = default_checklist().items(default_checklist().default_modules)
    assert len(result["unanswered"]) == len(core)


def test_score__prints_gaps_with_id_severity_and_recommendation(capsys, tmp_path: Path) -> None:
    _, out, _ = run(capsys, "template")
    data = json.loads(out)
    data["answers"] = {
        "age.sale": {"value": 16},
        "pornography.simple-possession": {"status": "unknown"},
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data))
    code, out, _ = run(capsys, "score", str(path))
    result = json.loads(out)
    assert code == 0
    gap = result["gaps"][0]
    assert (gap["id"], gap["severity"]) == ("age.sale", "high")
    assert gap["recommendation"].startswith("Amend")
    assert [u["id"] for u in result["unknowns"]] == ["pornography.simple-possession"]
    assert result["gaps_by_severity"]["high"] >= 1


def test_score_text__is_a_readable_summary(capsys, tmp_path: Path) -> None:
    _, out, _ = run(capsys, "template", "--jurisdiction", "Andorra")
    data = json.loads(out)
    data["answers"] = {"jurisdiction.double-criminality": {"status": "not-covered"}}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data))
    code, out, _ = run(capsys, "score", str(path), "--text")
    assert code == 0
    assert "OPSC Gap Check - Andorra" in out
    lines = out.splitlines()
    assert lines[1] == "Scope: Article 3 offences and the Committee's points"
    assert lines[3] == "Verdict: Not yet known"  # nothing else answered: the text is not met
    assert lines[5].startswith("Treaty score: ")
    assert "Overall" not in out
    assert "jurisdiction.double-criminality" in out
    assert "Recommendation: " in out


def test_score__gives_the_verdict_and_the_three_scores_apart(capsys, tmp_path: Path) -> None:
    _, out, _ = run(capsys, "template")
    path = tmp_path / "a.json"
    path.write_text(out)
    _, out, _ = run(capsys, "score", str(path))
    result = json.loads(out)
    assert result["verdict"] == "incomplete"
    assert result["verdict_label"] == "Not yet known"
    assert result["treaty_score"] == 0.0
    assert {"committee_score", "good_practice_score", "scope", "law_date"} <= set(result)
    assert "overall" not in result


@pytest.mark.parametrize("scope", ["offences", "criminal-law", "whole-protocol"])
def test_template__takes_the_scope_and_the_date_of_the_law(capsys, scope: str) -> None:
    code, out, _ = run(capsys, "template", "--scope", scope, "--law-date", "2008-03-01")
    data = json.loads(out)
    assert code == 0
    assert (data["scope"], data["law_date"]) == (scope, "2008-03-01")


def test_template__refuses_a_law_date_that_is_not_a_date(capsys) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "template", "--law-date", "1 March 2008")
    assert "write it as YEAR-MONTH-DAY" in capsys.readouterr().err


def test_score_text__neutralises_control_characters_from_user_text(capsys, tmp_path) -> None:
    _, out, _ = run(capsys, "template", "--jurisdiction", "A\x1b[2J\u202eB")
    path = tmp_path / "a.json"
    path.write_text(out)
    _, out, _ = run(capsys, "score", str(path), "--text")
    assert "\x1b" not in out and "\u202e" not in out
    assert "A\\u001b[2J\\u202eB" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "a.json (at line 1, column 1): the file is not valid JSON"),
        ('{"format": "something-else"}', "a.json (at format): this is not an OPSC Gap Check"),
        (
            '{"format": "opsc-gap-check/assessment", "format_version": 1, "answers": {"age.sale": {"value": 200}}}',
            "a.json (at answers.age.sale): 200 is out of range",
        ),
    ],
)
def test_bad_file__one_clear_message_and_exit_code_2(
    capsys, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "a.json"
    path.write_text(content)
    code, out, err = run(capsys, "score", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {path.parent}/{message}")
    assert "Traceback" not in err


def test_missing_file__exit_code_2(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "score", str(tmp_path / "nope.json"))
    assert (code, err.strip()) == (2, f"error: {tmp_path / 'nope.json'}: no such file.")


def test_module_entry_point__runs_as_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "checklist", "score", "/nonexistent.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_report__refuses_to_overwrite_an_input_file(capsys, tmp_path: Path) -> None:
    source = tmp_path / "fr.xlsx"
    source.write_text("not really a workbook, but the user's file")
    code, _, err = run(
        capsys, "report", str(source), "--out-dir", str(tmp_path), "--formats", "xlsx"
    )
    assert code == 2
    assert "is one of the input files" in err
    assert source.read_text() == "not really a workbook, but the user's file"


def test_report__refuses_two_inputs_that_would_write_the_same_report(
    capsys, tmp_path: Path
) -> None:
    _, out, _ = run(capsys, "template")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "fr.json").write_text(out)
    code, _, err = run(
        capsys,
        "report",
        str(tmp_path / "a" / "fr.json"),
        str(tmp_path / "b" / "fr.json"),
        "--out-dir",
        str(tmp_path / "out"),
    )
    assert code == 2
    assert "two reports would both be written to" in err
    assert not list((tmp_path / "out").glob("*"))


# -- hostile inputs and outputs (issue 13) -----------------------------------------------------


def _template_file(capsys, tmp_path: Path) -> Path:
    _, out, _ = run(capsys, "template", "--jurisdiction", "Chile")
    path = tmp_path / "in.json"
    path.write_text(out)
    return path


def test_report__onto_a_hard_link_to_its_input__is_refused(capsys, tmp_path: Path) -> None:
    source = _template_file(capsys, tmp_path)
    link = tmp_path / "link.xlsx"
    link.hardlink_to(source)
    before = source.read_bytes()
    code, _, err = run(capsys, "report", str(source), "--xlsx", str(link))
    assert code == 2 and "one of the input files" in err
    assert source.read_bytes() == before


def test_score__of_an_endless_device__stops_at_the_size_limit(capsys) -> None:
    code, _, err = run(capsys, "score", "/dev/zero")
    assert code == 2
    assert "larger than 25 MB" in err


def test_report__into_a_missing_folder_or_onto_a_folder__says_so(capsys, tmp_path: Path) -> None:
    source = _template_file(capsys, tmp_path)
    code, _, err = run(capsys, "report", str(source), "--pdf", str(tmp_path / "no" / "a.pdf"))
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "report", str(source), "--pdf", str(tmp_path))
    assert code == 2 and "this is a folder" in err


def test_report__is_readable_by_its_owner_only(capsys, tmp_path: Path) -> None:
    source = _template_file(capsys, tmp_path)
    out = tmp_path / "a.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o644)
    assert run(capsys, "report", str(source), "--xlsx", str(out))[0] == 0
    assert out.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            '{"format": "opsc-gap-check/assessment", "format_version": 2, "x": 1'
            + "9" * 5000
            + "}",
            "cannot read",
        ),
        (
            '{"format": "opsc-gap-check/assessment", "format": "x"}',
            'the key "format" appears twice',
        ),
    ],
    ids=["5000-digit-integer", "duplicate-key"],
)
def test_score__of_a_hostile_json_file__is_one_message_and_exit_2(
    capsys, tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "a.json"
    path.write_text(text)
    code, _, err = run(capsys, "score", str(path))
    assert code == 2
    assert words in err and err.count("\n") == 1
