"""Saved work at scale: restoring a back-up of 2,000 assessments, then the Start page with
2,000 saved assessments.

1. Restore: a back-up of 2,000 complete assessments (every item answered) into an empty
   database, checked and planned, then written (``Store.plan_restore`` + ``Store.restore``).
   Also 500, to show how the time grows. Target: linear (x4 the time for x4 the work).
2. Start page: an AppTest run of ``app.py`` (the Start page) against that database, the first
   time (each assessment on the page is scored and its figures kept) and again (kept figures).
   Also the list call the page makes (``Store.list_page``, one page), and the whole list the
   Compare page asks for (``Store.list_summaries``): the first time after a restore it scores
   every assessment once (figures are kept from then on). Target: Start page under 1 s.

Prints figures; never fails on slowness (a slow or busy machine is not a bug).
Run: ``.venv/bin/python benchmarks/run.py start``
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sample import sample_assessment  # noqa: E402
from checklist.backup import write_archive  # noqa: E402
from checklist.loader import default_checklist, default_methodology  # noqa: E402
from checklist.store import ENV_URL, Store  # noqa: E402

SAVED = 2000
SMALLER = 500
START_TARGET_S = 1.0


def main() -> None:
    checklist = default_checklist()
    assessments = [
        sample_assessment(checklist, seed=n, jurisdiction=f"State {n}") for n in range(SAVED)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        times = {}
        for count in (SMALLER, SAVED):
            url = f"sqlite:///{Path(tmp) / f'restored-{count}.sqlite3'}"
            times[count] = _restore(url, write_archive(assessments[:count]))
            print(
                f"restore a back-up of {count:>5,} assessments: {times[count]:6.2f} s "
                f"({times[count] / count * 1000:.1f} ms each)"
            )
        print(
            f"growth {SMALLER:,} -> {SAVED:,}: x{times[SAVED] / times[SMALLER]:.1f} for "
            f"x{SAVED // SMALLER} the work (target: about x{SAVED // SMALLER}, i.e. linear)"
        )
        _start_page(url)


def _restore(url: str, archive: bytes) -> float:
    store = Store(url)
    started = time.perf_counter()
    plan = store.plan_restore(archive, "backup.zip", default_checklist())
    report = store.restore(plan, replace=False)
    elapsed = time.perf_counter() - started
    assert report.count("added") == len(plan.lines), "the restore added less than it held"
    store.engine.dispose()
    return elapsed


def _start_page(url: str) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ[ENV_URL] = url
    store = Store(url)
    checklist, methodology = default_checklist(), default_methodology()
    for run in ("first", "again"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
        status = "ok" if elapsed < START_TARGET_S else "OVER TARGET"
        rows = sum(1 for b in at.button if str(b.key).startswith("open:"))
        print(
            f"Start page with {SAVED:,} saved ({run}): {elapsed:6.2f} s, {rows} listed "
            f"(target < {START_TARGET_S:.0f} s: {status}"
            + (f"; {len(at.exception)} exception(s)" if at.exception else "")
            + ")"
        )
    started = time.perf_counter()
    page = store.list_page(checklist, methodology, limit=20)
    print(
        f"  its list call (one page of {len(page.summaries)}, of {page.total:,}): "
        f"{(time.perf_counter() - started) * 1000:6.1f} ms"
    )
    for run in ("first", "again"):
        started = time.perf_counter()
        every = store.list_summaries(checklist, methodology)
        print(
            f"every summary, as Compare lists them ({len(every):,}, {run}): "
            f"{time.perf_counter() - started:6.2f} s"
        )


if __name__ == "__main__":
    main()
