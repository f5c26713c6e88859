"""The team server end to end: a real OpenID Connect sign-in, then only one's own team's work.

The test starts a local OpenID provider (the ``oidc-provider-mock`` package, in its own process
on a free port of this machine), writes a secrets.toml pointing Streamlit's ``st.login`` at it in the test's
own folder (never the repository's .streamlit/), and runs ``streamlit run app.py`` with
``OPSC_TEAM_MODE=1`` on a database holding two teams' assessments. In Chromium the user signs
in through the provider's own form, sees their team's assessment and not the other team's,
and is refused the other team's when they put its ID in the address, in the same words as an
ID that does not exist.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import START_TIMEOUT, Server, free_port, start_server
from playwright.sync_api import Page, expect

from checklist.access import NO_ACCESS, User
from checklist.assessment import Assessment
from checklist.guarded_store import GuardedStore
from checklist.loader import default_checklist
from checklist.store import Store

pytestmark = pytest.mark.browser

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
ALICE = User("alice@ministry.example", "Alice Ministry")
EVE = User("eve@ngo.example", "Eve Coalition")


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[str]:
    """A local OpenID provider that knows Alice (any client ID and secret are accepted), in a
    process of its own on a free port of this machine."""
    if importlib.util.find_spec("oidc_provider_mock") is None:
        pytest.skip("oidc-provider-mock is not installed (pip install -e '.[dev]')")
    port = free_port()
    claims = {"sub": ALICE.key, "email": ALICE.key, "name": ALICE.name, "email_verified": True}
    command = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    log = (tmp_path / "oidc.log").open("ab")
    process = subprocess.Popen(
        [*command, "--user-claims", json.dumps(claims)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/.well-known/openid-configuration", process, tmp_path / "oidc.log")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the OpenID provider exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.25)  # not up yet; returns at once should it die
    raise RuntimeError(f"the OpenID provider did not start:\n{log.read_text()}")


@pytest.fixture
def two_teams(db_url: str) -> dict[str, str]:
    """Alice's team with Ruritania, Eve's with Freedonia, in the server's database."""
    store = Store(db_url)
    version = default_checklist().version
    ids = {}
    for user, team, country in ((ALICE, "Ministry", "Ruritania"), (EVE, "NGO", "Freedonia")):
        team_id = GuardedStore(store, user).create_team(team).id
        assessment = Assessment(jurisdiction=country, checklist_version=version)
        GuardedStore(store, user, home_team=team_id).create(assessment)
        ids[country] = assessment.id
    store.engine.dispose()
    return ids


@pytest.fixture
def team_server(
    tmp_path: Path, db_url: str, provider: str, two_teams: dict[str, str]
) -> Iterator[Server]:
    """``streamlit run app.py`` as a team server signing in at ``provider``."""
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "opsc-gap-check"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    server = start_server(
        db_url,
        tmp_path / "streamlit.log",
        env={"OPSC_TEAM_MODE": "1", "OPSC_ADMINS": ""},
        args=("--secrets.files", str(secrets_file)),
    )
    yield server
    server.stop()


def settle(page: Page) -> None:
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_sign_in__sees_only_its_teams_work__and_is_refused_anothers_by_url(
    chromium: object,
    team_server: Server,
    provider: str,
    two_teams: dict[str, str],
    screenshots: Path,
) -> None:
    context = chromium.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(team_server.url)
        settle(page)
        expect(page.get_by_text("Ruritania")).to_have_count(0)
        page.get_by_role("button", name="Sign in").click()

        page.wait_for_url(f"{provider}/**")  # the provider's own sign-in form
        page.locator("input[name='sub']").fill(ALICE.key)
        page.get_by_role("button", name="Authorize").click()

        page.wait_for_url(f"{team_server.url}/**")
        settle(page)
        expect(page.get_by_text(f"Signed in as {ALICE.name}")).to_be_visible()
        expect(page.get_by_text("Ruritania").first).to_be_visible()
        expect(page.get_by_text("Freedonia")).to_have_count(0)
        page.screenshot(path=str(screenshots / "team-start.png"), full_page=True)

        for probe in (two_teams["Freedonia"], "0" * 32):
            page.goto(f"{team_server.url}/?a={probe}")
            settle(page)
            expect(page.get_by_test_id("stAlert").filter(has_text=NO_ACCESS[:60])).to_be_visible()
            expect(page.get_by_text("Freedonia")).to_have_count(0)
        page.screenshot(path=str(screenshots / "team-refused.png"), full_page=True)

        page.goto(f"{team_server.url}/?a={two_teams['Ruritania']}")
        settle(page)
        expect(page.get_by_text("Open now: Ruritania")).to_be_visible()
    finally:
        context.close()
