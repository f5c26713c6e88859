"""How fast the app feels: the cost of answering one item, and the cold start.

1. Rerun cost: answering one item on the largest questionnaire page (every answer is saved
   to the database and the score recomputed), measured with AppTest, against a trivial
   Streamlit app measured the same way in the same run. Target: at most 5x. The cost of
   drawing the whole page (arriving at a section) is printed alongside, for information.
2. Cold start: from ``streamlit run`` to the first page shown in headless Chromium, against a
   hello-world app started the same way. Target: at most 1.5x.

Prints figures; never fails (a slow or busy machine is not a bug).
Run: ``.venv/bin/python benchmarks/bench_app.py``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RERUNS = 30
STARTS = 5
CHROMIUM = Path("/usr/bin/chromium")
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

TRIVIAL = """
import streamlit as st
st.title("Trivial")
choice = st.radio("Status", ["covered", "partly", "not-covered"], index=None, key="r")
st.write("You chose", choice)
"""

HELLO = """
import streamlit as st
st.title("Hello")
st.write("Hello, world.")
"""


def main() -> None:
    print("== App benchmarks (figures only; targets are guides, nothing fails)")
    try:
        _rerun_cost()
    except Exception as error:  # a benchmark reports, it does not fail the build
        print(f"rerun cost: not measured ({type(error).__name__}: {error})")
    try:
        _history_cost()
    except Exception as error:
        print(f"history cost: not measured ({type(error).__name__}: {error})")
    try:
        _cold_start()
    except Exception as error:
        print(f"cold start: not measured ({type(error).__name__}: {error})")


# -- rerun cost ------------------------------------------------------------------------------


def _rerun_cost() -> None:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        os.environ["OPSC_DB_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        section, item_key = _largest_section_and_item(folder)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["a"] = "bench"
        at.session_state["user_name"] = "Benchmark"  # the name is asked once; given here
        at.run()
        at.button(key=f"nav:section:{section.id}").click().run()
        app_ms = _time_reruns(lambda v: at.radio(key=item_key).set_value(v).run())
        assert not at.exception, at.exception
        page_ms = _time_reruns(lambda _: at.run())  # the whole page, as on arrival

        trivial = AppTest.from_string(TRIVIAL, default_timeout=60).run()
        trivial_ms = _time_reruns(lambda v: trivial.radio(key="r").set_value(v).run())
    ratio = app_ms / trivial_ms
    print(
        f"rerun cost (answer one item, '{section.title}', {len(section.items)} items): "
        f"{app_ms:.1f} ms median vs trivial app {trivial_ms:.1f} ms = {ratio:.1f}x "
        f"(target <= 5x) {'OK' if ratio <= 5 else 'ABOVE TARGET'}"
    )
    print(
        f"  (an answer redraws only its item, the section score and the sidebar; drawing the "
        f"whole page, as on arriving at it, takes {page_ms:.1f} ms = {page_ms / trivial_ms:.1f}x)"
    )


def _largest_section_and_item(folder: str) -> tuple[object, str]:
    from checklist.assessment import Assessment
    from checklist.loader import default_checklist
    from checklist.store import Store

    checklist = default_checklist()
    section = max(checklist.sections, key=lambda s: len(s.items))
    item = next(i for i in section.items if i.answer.type == "status" and not i.applies_if)
    scope = next(s.id for s in checklist.scopes if section.module in s.modules)
    Store(os.environ["OPSC_DB_URL"]).create(
        Assessment(
            id="bench",
            jurisdiction="Benchmark",
            checklist_version=checklist.version,
            scope=scope,
        )
    )
    return section, f"answer:{item.id}:status"


def _time_reruns(answer: Callable[[str], object]) -> float:
    values = ["covered", "partly", "not-covered"]
    answer(values[0])  # warm up
    times = []
    for n in range(RERUNS):
        start = time.perf_counter()
        answer(values[(n + 1) % 3])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# -- the history entry each save writes -------------------------------------------------------


def _history_cost() -> None:
    """What recording the history adds to saving one answer: the same saves timed with the
    entry written (as always) and with its write left out, in the store alone."""
    from unittest import mock

    from checklist import records
    from checklist.assessment import Answer, Assessment
    from checklist.loader import default_checklist
    from checklist.store import Store

    checklist = default_checklist()
    item = next(i for i in checklist.items() if i.answer.type == "status")
    values = ["covered", "partly", "not-covered"]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'history.sqlite3'}")

        def saves() -> float:
            a = Assessment(jurisdiction="Bench", checklist_version=checklist.version)
            store.create(a)
            revision, times = 0, []
            for n in range(3 * RERUNS):
                start = time.perf_counter()
                saved = store.save_answer(
                    a.id,
                    item.id,
                    Answer(status=values[n % 3]),
                    revision,  # type: ignore[arg-type]
                    checklist=checklist,
                    author="Benchmark",
                )
                times.append((time.perf_counter() - start) * 1000)
                revision = saved.revision  # type: ignore[union-attr]
            return statistics.median(times[RERUNS:])

        saves()  # warm up
        with_history = saves()
        append = records.append_record
        with mock.patch.object(
            records,
            "append_record",
            lambda conn, id_, field, entries: (
                None if field == "history" else append(conn, id_, field, entries)
            ),
        ):
            without = saves()
    print(
        f"saving one answer in the store: {with_history:.2f} ms median with its history entry, "
        f"{without:.2f} ms with the entry left out (+{with_history - without:.2f} ms; each "
        "save also syncs the database file to disk)"
    )


# -- cold start ------------------------------------------------------------------------------


def _cold_start() -> None:
    with tempfile.TemporaryDirectory() as folder:
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO)
        env = {**os.environ, "OPSC_DB_URL": f"sqlite:///{Path(folder) / 'cold.sqlite3'}"}
        how, measure = _first_page_measure()
        app = statistics.median(measure(["app.py"], env, "OPSC Gap Check") for _ in range(STARTS))
        base = statistics.median(measure([str(hello)], env, "Hello") for _ in range(STARTS))
    ratio = app / base
    print(
        f"cold start ({how}): app {app:.2f} s vs hello-world {base:.2f} s = {ratio:.2f}x "
        f"(target <= 1.5x) {'OK' if ratio <= 1.5 else 'ABOVE TARGET'}"
    )


def _first_page_measure() -> tuple[str, Callable[[list[str], dict[str, str], str], float]]:
    if CHROMIUM.exists():
        return "to first page shown in Chromium", _time_to_page
    return "to health check only: no /usr/bin/chromium", _time_to_health


def _start(script: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    import socket

    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        port = int(probe.getsockname()[1])
    command = [sys.executable, "-m", "streamlit", "run", *script, "--server.headless", "true"]
    command += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return process, port


def _wait_health(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            try:
                process.wait(timeout=0.02)
                raise RuntimeError("streamlit exited")
            except subprocess.TimeoutExpired:
                pass
    raise RuntimeError("streamlit did not start")


def _time_to_health(script: list[str], env: dict[str, str], _text: str) -> float:
    start = time.perf_counter()
    process, port = _start(script, env)
    try:
        _wait_health(process, port)
        return time.perf_counter() - start
    finally:
        process.terminate()
        process.wait()


def _time_to_page(script: list[str], env: dict[str, str], text: str) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        page = browser.new_page()
        page.goto("about:blank")
        start = time.perf_counter()
        process, port = _start(script, env)
        try:
            _wait_health(process, port)
            page.goto(f"http://localhost:{port}/")
            page.get_by_text(text).first.wait_for()
            page.wait_for_selector(IDLE)
            return time.perf_counter() - start
        finally:
            browser.close()
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
