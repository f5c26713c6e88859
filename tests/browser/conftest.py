"""A live ``streamlit run app.py`` and Debian's headless Chromium, for the browser tests.

Each server gets a free port and the test's own SQLite file (``OPSC_DB_URL``). We wait on
conditions (the health endpoint, the app's script state), never on the clock.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
START_TIMEOUT = 60.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def kill_9(self) -> None:
        """Kill the server as a crash or a power cut would: no chance to clean up."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill_9()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


def start_server(
    db_url: str, log: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> Server:
    """``streamlit run app.py`` on a free port; ``env`` and ``args`` add to its environment
    and command line (a team server's, say)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        *args,
    ]
    handle = log.open("ab")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "OPSC_DB_URL": db_url, **(env or {})},
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    handle.close()
    server = Server(process, port, log)
    _wait_healthy(server)
    return server


def _wait_healthy(server: Server) -> None:
    """Poll /_stcore/health until it answers ok."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited:\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return
        except OSError:
            # not up yet: wait a little, returning at once should the server die
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.process.wait(timeout=0.25)
    server.stop()
    raise RuntimeError(f"streamlit did not become healthy:\n{server.log.read_text()}")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'browser.sqlite3'}"


@pytest.fixture
def servers(tmp_path: Path, db_url: str) -> Iterator[Callable[[], Server]]:
    """Start servers on the test's database (a second one after a crash, say)."""
    started: list[Server] = []

    def start() -> Server:
        server = start_server(db_url, tmp_path / "streamlit.log")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(
            "BROWSER TESTS NOT RUN: /usr/bin/chromium is missing. Install it with "
            "'apt-get install -y chromium' (./scripts/test does this)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
