"""The app as a team server (OPSC_TEAM_MODE=1), driven through AppTest with a signed-in
identity seeded as Streamlit's sign-in would leave it (``at.user``): nothing before sign-in,
only one's own teams' assessments listed, another's refused by its address exactly as one
that does not exist, a reader's change refused saying why. The sign-in itself, against a real
OpenID provider, is tests/browser/test_team.py; the rules, tests/test_access.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from checklist.access import ENV_TEAM_MODE, NO_ACCESS, User
from checklist.assessment import Assessment
from checklist.guarded_store import GuardedStore
from checklist.loader import default_checklist
from checklist.store import ENV_URL, Store
from checklist.ui.text import escape

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 60
AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a test secret, not a real one",
        "client_id": "opsc",
        "client_secret": "opsc",
        "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
    }
}
ALICE = User("alice@ministry.example", "Alice")
EVE = User("eve@ngo.example", "Eve")


@pytest.fixture(autouse=True)
def team_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    monkeypatch.setenv(ENV_URL, url)
    monkeypatch.setenv(ENV_TEAM_MODE, "1")
    return Store(url)


@pytest.fixture
def two_teams(team_server: Store) -> dict[str, str]:
    """Alice's team with Ruritania (Rita a reader in it), Eve's with Freedonia."""
    version = default_checklist().version
    ids = {}
    for user, team, country in ((ALICE, "Ministry", "Ruritania"), (EVE, "NGO", "Freedonia")):
        guarded = GuardedStore(team_server, user)
        team_id = guarded.create_team(team).id
        assessment = Assessment(jurisdiction=country, checklist_version=version)
        GuardedStore(team_server, user, home_team=team_id).create(assessment)
        ids[country] = assessment.id
        ids[team] = team_id
    GuardedStore(team_server, ALICE).set_member(ids["Ministry"], "rita@ministry.example", "reader")
    return ids


def open_app(user: dict[str, Any] | None, assessment_id: str = "", secrets: bool = True) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if secrets:
        at.secrets = AUTH
    at.user = user if user is not None else {"is_logged_in": False}
    if assessment_id:
        at.query_params["a"] = assessment_id
    at.run()
    assert not at.exception, at.exception
    return at


def signed_in(email: str, name: str = "") -> dict[str, Any]:
    return {"is_logged_in": True, "email": email, "name": name or email.split("@")[0].title()}


def shown(at: AppTest) -> str:
    return " ".join(
        str(e.value)
        for kind in (at.markdown, at.caption, at.error, at.info, at.title, at.subheader)
        for e in kind
    )


def test_not_signed_in__only_the_sign_in_page_is_shown(two_teams: dict[str, str]) -> None:
    at = open_app(None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Ruritania" not in shown(at) and "Freedonia" not in shown(at)
    assert not at.text_input  # no form to create an assessment, no name asked


def test_not_signed_in__a_link_to_an_assessment_shows_nothing_of_it(
    two_teams: dict[str, str],
) -> None:
    at = open_app(None, two_teams["Ruritania"])
    assert "Ruritania" not in shown(at)


def test_team_mode_without_sign_in_configured__says_so_and_shows_nothing(
    two_teams: dict[str, str],
) -> None:
    at = open_app(signed_in(ALICE.key), secrets=False)
    assert "no sign-in is configured" in shown(at)
    assert "Ruritania" not in shown(at)


def test_signed_in__lists_only_the_teams_assessments(two_teams: dict[str, str]) -> None:
    at = open_app(signed_in(ALICE.key, "Alice"))
    text = shown(at)
    assert "Ruritania" in text and "Freedonia" not in text
    assert "Signed in as **Alice**" in " ".join(str(c.value) for c in at.sidebar.caption)
    assert not any(t.key == "new:your-name" for t in at.text_input)  # the sign-in says who


def test_another_teams_assessment_by_its_address__is_refused_as_one_not_there(
    two_teams: dict[str, str],
) -> None:
    theirs = open_app(signed_in(ALICE.key), two_teams["Freedonia"])
    missing = open_app(signed_in(ALICE.key), "0" * 32)
    for at in (theirs, missing):
        assert [e.value for e in at.error] == [escape(NO_ACCESS)]
        assert "Freedonia" not in shown(at)
        assert "a" not in at.query_params


def test_a_reader__opens_the_assessment_and_is_told_they_cannot_change_it(
    two_teams: dict[str, str],
) -> None:
    at = open_app(signed_in("rita@ministry.example", "Rita"), two_teams["Ruritania"])
    sidebar = " ".join(str(c.value) for c in at.sidebar.caption)
    assert "Your role on the open assessment: **reader**" in sidebar
    at.button(key=f"delete:{two_teams['Ruritania']}").click().run()
    at.button(key=f"delete:{two_teams['Ruritania']}:confirm").click().run()
    assert any("You may not delete this assessment" in str(e.value) for e in at.error)
    assert "needs the role admin" in shown(at)


def test_an_unverified_address__is_not_let_in(two_teams: dict[str, str]) -> None:
    at = open_app({**signed_in(ALICE.key), "email_verified": False})
    assert "is not verified" in shown(at)
    assert "Ruritania" not in shown(at)


def test_a_new_assessment__goes_to_the_team_chosen(
    two_teams: dict[str, str], team_server: Store
) -> None:
    at = open_app(signed_in(ALICE.key, "Alice"))
    at.selectbox(key="team:home").set_value(two_teams["Ministry"]).run()
    at.text_input(key="new:jurisdiction").input("Elbonia")
    at.button(key="new:create").click().run()
    assert not at.exception, at.exception
    new_id = str(at.query_params["a"])
    rita = GuardedStore(team_server, User("rita@ministry.example"))
    assert rita.role(new_id) == "reader"
    assert [g.label for g in GuardedStore(team_server, ALICE).grants(new_id)] == ["Ministry"]


def _team_page() -> None:
    from checklist.ui import state, team

    state.init_state()
    team.render()


def team_page(user: dict[str, Any]) -> AppTest:
    at = AppTest.from_function(_team_page, default_timeout=TIMEOUT)
    at.secrets, at.user = AUTH, user
    at.run()
    assert not at.exception, at.exception
    return at


def test_team_page__an_admin_adds_a_member(two_teams: dict[str, str], team_server: Store) -> None:
    at = team_page(signed_in(ALICE.key, "Alice"))
    team = two_teams["Ministry"]
    at.text_input(key=f"team:{team}:member:email").input("Ed@Ministry.example")
    at.selectbox(key=f"team:{team}:member:role").set_value("editor")
    at.button(key=f"FormSubmitter:team:{team}:member-Save").click().run()
    assert not at.exception, at.exception
    members = GuardedStore(team_server, ALICE).team_members(team)
    assert ("ed@ministry.example", "editor") in [(m.user_key, m.role) for m in members]


def test_team_page__a_reader_sees_the_members_but_cannot_add_any(
    two_teams: dict[str, str],
) -> None:
    at = team_page(signed_in("rita@ministry.example"))
    assert "Only the team's admins can add members" in shown(at)
    assert not [t for t in at.text_input if t.key.startswith(f"team:{two_teams['Ministry']}")]


def test_team_page__a_bad_address_is_refused_plainly(two_teams: dict[str, str]) -> None:
    at = team_page(signed_in(ALICE.key, "Alice"))
    team = two_teams["Ministry"]
    at.text_input(key=f"team:{team}:member:email").input("Ed Smith")
    at.button(key=f"FormSubmitter:team:{team}:member-Save").click().run()
    assert [str(e.value) for e in at.error] == [
        escape("'Ed Smith' is not an e-mail address: people are known by theirs.")
    ]


def test_team_page__creating_a_team(two_teams: dict[str, str], team_server: Store) -> None:
    at = team_page(signed_in("nobody@elsewhere.example"))
    assert "You are in no team yet" in shown(at)
    at.text_input(key="team:create:name").input("Review board")
    at.button(key="FormSubmitter:team:create-Create the team").click().run()
    assert not at.exception, at.exception
    nobody = GuardedStore(team_server, User("nobody@elsewhere.example"))
    assert [(m.team.name, m.role) for m in nobody.my_teams()] == [("Review board", "admin")]


def test_signing_out__brings_back_the_sign_in_page(two_teams: dict[str, str]) -> None:
    at = open_app(signed_in(ALICE.key, "Alice"))
    at.sidebar.button(key="sidebar:sign-out").click().run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Ruritania" not in shown(at)


def test_without_team_mode__the_local_app_is_as_it_was(
    two_teams: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No sign-in, every assessment listed, the name asked, no team page."""
    monkeypatch.delenv(ENV_TEAM_MODE)
    at = open_app(None)
    assert "Sign in" not in [b.label for b in at.button]
    text = shown(at)
    assert "Ruritania" in text and "Freedonia" in text
    assert any(t.key == "new:your-name" for t in at.text_input)
    assert not [s for s in at.selectbox if s.key == "team:home"]


def test_an_address_marked_unverified_in_words__is_not_let_in_either() -> None:
    from checklist.ui.identity import unusable

    claims = {"is_logged_in": True, "email": "alice@ministry.example"}
    assert unusable({**claims, "email_verified": "false"}) is not None
    assert unusable({**claims, "email_verified": False}) is not None
    assert unusable({**claims, "email_verified": True}) is None
    assert unusable(claims) is None  # a provider that does not say (Entra ID)
