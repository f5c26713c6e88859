"""Scale: scoring and writing both reports for 20 and for 200 assessments (one per State
party) through the CLI, and how the time grows. Target: roughly linear growth."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.sample import sample_assessment
from checklist.loader import default_checklist, default_methodology
from checklist.scoring import score


def _write_assessments(folder: Path, count: int) -> list[Path]:
    checklist = default_checklist()
    paths = []
    for n in range(count):
        path = folder / f"state-{n:03d}.json"
        path.write_text(sample_assessment(checklist, seed=n, jurisdiction=f"State {n}").to_json())
        paths.append(path)
    return paths


def _cli_batch(paths: list[Path], out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "checklist", "report", *map(str, paths), "--out-dir", str(out)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    checklist, methodology = default_checklist(), default_methodology()
    sample = sample_assessment(checklist)
    runs = 200
    started = time.perf_counter()
    for _ in range(runs):
        score(checklist, sample, methodology)
    per_score = (time.perf_counter() - started) / runs
    print(
        f"score one complete assessment ({len(checklist.items())} items): {per_score * 1000:.2f} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = _write_assessments(folder, 200)
        small = _cli_batch(paths[:20], folder / "out20")
        large = _cli_batch(paths, folder / "out200")
        written = len(list((folder / "out200").iterdir()))
    print(
        f"CLI: score + xlsx + pdf for  20 assessments: {small:6.1f} s ({small / 20 * 1000:.0f} ms each)"
    )
    print(
        f"CLI: score + xlsx + pdf for 200 assessments: {large:6.1f} s ({large / 200 * 1000:.0f} ms each, {written} files)"
    )
    print(
        f"growth 20 -> 200: x{large / small:.1f} for x10 the work (target: about x10, i.e. linear)"
    )
