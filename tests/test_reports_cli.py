"""``python -m checklist report`` and ``score`` with the report formats: files written, returned
workbooks read, bad workbooks explained in one line with exit code 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from pypdf import PdfReader
from reports_fixtures import JURISDICTION, complete_assessment

from checklist.assessment import blank
from checklist.assessment_file import write_assessment
from checklist.cli import EXIT_BAD_INPUT, main
from checklist.loader import default_checklist
from reports import build_report, render


@pytest.fixture
def assessment_file(tmp_path: Path) -> Path:
    path = tmp_path / "assessment.json"
    path.write_bytes(write_assessment(complete_assessment(default_checklist())))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_report__writes_the_workbook_and_the_pdf(capsys, assessment_file, tmp_path) -> None:
    xlsx, pdf = tmp_path / "out.xlsx", tmp_path / "out.pdf"
    code, _, err = run(
        capsys, "report", str(assessment_file), "--xlsx", str(xlsx), "--pdf", str(pdf)
    )
    assert code == 0
    assert f"wrote {xlsx}" in err and f"wrote {pdf}" in err
    workbook = load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True)
    assert workbook["Summary"]["B4"].value == JURISDICTION
    workbook.close()
    assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) > 10


def test_report__without_a_target__says_what_to_add(capsys, assessment_file) -> None:
    code, _, err = run(capsys, "report", str(assessment_file))
    assert code == EXIT_BAD_INPUT and "--xlsx" in err and "--pdf" in err


def test_report__from_a_returned_workbook(capsys, assessment_file, tmp_path) -> None:
    returned, pdf = tmp_path / "returned.xlsx", tmp_path / "out.pdf"
    run(capsys, "report", str(assessment_file), "--xlsx", str(returned))
    code, _, _ = run(capsys, "report", str(returned), "--pdf", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF-")


def test_score__reads_a_returned_workbook(capsys, tmp_path) -> None:
    assessment = complete_assessment(default_checklist())
    returned = tmp_path / "returned.xlsx"
    returned.write_bytes(render("xlsx", build_report(assessment)))
    code, out, _ = run(capsys, "score", str(returned))
    result = json.loads(out)
    assert code == 0
    expected = build_report(assessment).result
    assert result["verdict"] == expected.verdict
    assert result["treaty_score"] == pytest.approx(expected.treaty_score)
    assert result["jurisdiction"] == JURISDICTION


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PK\x03\x04 not a zip at all", "not a zip archive"),
        (b"", "not a zip archive"),
    ],
)
def test_broken_workbook__is_one_line_on_stderr_and_exit_2(
    capsys, tmp_path, content, words
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(content)
    code, out, err = run(capsys, "score", str(broken))
    assert code == EXIT_BAD_INPUT and out == ""
    assert err.startswith(f"error: {broken}") and words in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_python_m_checklist_report__runs_as_a_command(assessment_file, tmp_path) -> None:
    pdf = tmp_path / "out.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "checklist", "report", str(assessment_file), "--pdf", str(pdf)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"wrote {pdf}"
    assert pdf.read_bytes().startswith(b"%PDF-")


# -- the Word report ----------------------------------------------------------------------------


def word_text(path: Path) -> str:
    return "\n".join(p.text for p in open_docx(io.BytesIO(path.read_bytes())).paragraphs)


def test_report_docx__writes_the_word_report_readable_by_its_owner_only(
    capsys, assessment_file, tmp_path
) -> None:
    docx = tmp_path / "out.docx"
    code, _, err = run(capsys, "report", str(assessment_file), "--docx", str(docx))
    assert code == 0 and err.strip() == f"wrote {docx}"
    assert JURISDICTION in word_text(docx)
    assert docx.stat().st_mode & 0o777 == 0o600


def test_report_docx__beside_the_workbook_and_the_pdf(capsys, assessment_file, tmp_path) -> None:
    targets = {fmt: tmp_path / f"out.{fmt}" for fmt in ("xlsx", "pdf", "docx")}
    options = [arg for fmt, path in targets.items() for arg in (f"--{fmt}", str(path))]
    code, _, err = run(capsys, "report", str(assessment_file), *options)
    assert code == 0
    assert all(f"wrote {path}" in err for path in targets.values())
    assert "Gaps ranked by severity" in word_text(targets["docx"])


def test_report_docx__in_batch__writes_one_word_report_per_file_named_after_it(
    capsys, tmp_path
) -> None:
    checklist = default_checklist()
    inputs = []
    for name, jurisdiction in (("chile", "Chile"), ("maroc", "المملكة المغربية")):
        path = tmp_path / f"{name}.json"
        path.write_bytes(write_assessment(blank(checklist.version, jurisdiction=jurisdiction)))
        inputs.append(path)
    out = tmp_path / "reports"
    code, _, err = run(
        capsys, "report", *map(str, inputs), "--out-dir", str(out), "--formats", "docx,pdf"
    )
    assert code == 0 and "2 assessment(s) reported" in err
    assert sorted(p.name for p in out.iterdir()) == [
        "chile.docx",
        "chile.pdf",
        "maroc.docx",
        "maroc.pdf",
    ]
    assert "Chile" in word_text(out / "chile.docx")
    assert "المملكة المغربية" in word_text(out / "maroc.docx")
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in out.iterdir())


def test_report_docx__onto_a_link_to_its_input__is_refused(
    capsys, assessment_file, tmp_path
) -> None:
    link = tmp_path / "link.docx"
    link.symlink_to(assessment_file)
    before = assessment_file.read_bytes()
    code, _, err = run(capsys, "report", str(assessment_file), "--docx", str(link))
    assert code == EXIT_BAD_INPUT and "is one of the input files" in err
    assert assessment_file.read_bytes() == before


def test_report__out_dir_with_a_named_report__is_refused(capsys, assessment_file, tmp_path) -> None:
    code, _, err = run(
        capsys,
        "report",
        str(assessment_file),
        "--out-dir",
        str(tmp_path / "out"),
        "--docx",
        str(tmp_path / "a.docx"),
    )
    assert code == EXIT_BAD_INPUT and "use one or the other" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "a.docx").exists()


def test_report__without_a_target__names_the_word_option_too(capsys, assessment_file) -> None:
    code, _, err = run(capsys, "report", str(assessment_file))
    assert code == EXIT_BAD_INPUT and "--docx OUT.docx" in err


def test_python_m_checklist_report_docx__runs_as_a_command(assessment_file, tmp_path) -> None:
    docx = tmp_path / "out.docx"
    done = subprocess.run(
        [sys.executable, "-m", "checklist", "report", str(assessment_file), "--docx", str(docx)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"wrote {docx}"
    assert JURISDICTION in word_text(docx)
