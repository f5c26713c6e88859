"""Reports: rendering the workbook, the PDF and the Word report of a complete assessment, and
reading a returned workbook back. Median of several runs after a first (cold) one, which also
pays for imports, font parsing and, when the text has Chinese, cutting the CJK font.
Target: well under a second for each file. Never fails on slowness."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

RUNS = 7
TARGET_S = 1.0


def _timed(action: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    action(*args)
    return time.perf_counter() - started


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root), str(root / "tests")]
    from reports_fixtures import complete_assessment, far_row_workbook  # tests/, on the path

    from benchmarks.sample import sample_assessment
    from checklist.loader import default_checklist
    from reports import build_report, read_any, render

    checklist = default_checklist()
    cases = {
        "sample (6 languages)": sample_assessment(checklist),
        "test fixture (fr/es/ru/ar/zh, formulas)": complete_assessment(checklist),
    }
    print(f"complete assessment: {len(checklist.items())} items, median of {RUNS} runs")
    for name, assessment in cases.items():
        report = build_report(assessment, checklist)
        for fmt in ("xlsx", "pdf", "docx"):
            cold = _timed(render, fmt, report)
            warm = [_timed(render, fmt, report) for _ in range(RUNS)]
            median = statistics.median(warm)
            size = len(render(fmt, report))
            verdict = "ok" if median < TARGET_S else "OVER TARGET"
            print(
                f"  {fmt:4}  {name:42} {median * 1000:6.0f} ms  (first {cold * 1000:5.0f} ms, "
                f"{size / 1024:5.0f} KB)  target < {TARGET_S:.0f} s: {verdict}"
            )
        data = render("xlsx", report)
        reads = [_timed(read_any, data, "returned.xlsx", checklist) for _ in range(RUNS)]
        print(f"  read  {name:42} {statistics.median(reads) * 1000:6.0f} ms  (returned workbook)")
    hostile = far_row_workbook(render("xlsx", build_report(cases["sample (6 languages)"])))
    refusals = [_timed(_refused, hostile, checklist) for _ in range(RUNS)]
    median = statistics.median(refusals)
    print(
        f"  refuse a {len(hostile) / 1024:.0f} KB workbook with a row at 100,000,000: "
        f"{median * 1000:6.0f} ms  target well under 1 s: {'ok' if median < 0.5 else 'OVER TARGET'}"
    )


def _refused(data: bytes, checklist: object) -> None:
    from checklist.assessment_file import FileProblem
    from reports import read_any

    try:
        read_any(data, "far.xlsx", checklist)  # type: ignore[arg-type]
    except FileProblem:
        return
    raise AssertionError("the far-row workbook was read instead of refused")


if __name__ == "__main__":
    main()
