"""The README's commands, run as a user runs them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.read() == b"ok")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def test_run_app__passes_its_options_to_streamlit(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "run-app.log"
    env = {**os.environ, "OPSC_DB_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [ROOT / "scripts" / "run-app", "--server.port", str(port), "--server.headless", "true"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        url = f"http://localhost:{port}/_stcore/health"
        while not _healthy(url):
            assert process.poll() is None, f"run-app exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no answer on port {port}:\n{log.read_text()}"
            time.sleep(0.2)  # polling a condition, not waiting for time to pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
