"""Sign-in on a team server: Streamlit's own OpenID Connect (``st.login``, ``st.user``).

The organisation's identity provider (Keycloak, Microsoft Entra ID, Google, ...) is set in
``.streamlit/secrets.toml`` under ``[auth]`` (docs/deploy.md); there is no password here. The
team mode is switched on by ``OPSC_TEAM_MODE=1`` and only by it, so a laptop's app never
changes because some ``[auth]`` section happens to be around. In team mode nothing is shown
before sign-in, and a server switched on without ``[auth]`` shows how to set it up and nothing
else (it fails closed).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from checklist import access
from checklist.ui import identity, state
from checklist.ui.text import escape


def gate() -> bool:
    """True if the page may be shown: always locally; on a team server once the person is
    signed in with a usable identity. Otherwise shows the sign-in page (or what is wrong)."""
    if not access.team_mode():
        return True
    providers = _providers()
    if providers is None:
        _not_configured()
        return False
    claims = dict(st.user)
    why = identity.unusable(claims)
    if why == "not signed in":
        _sign_in_page(providers)
        return False
    if why is not None:
        st.title("OPSC Gap Check", anchor=False)
        st.error(f"You are signed in, but cannot use this server: {escape(why)}.")
        st.button("Sign out", key="sign-in:out", on_click=st.logout)
        return False
    return True


def _providers() -> list[str | None] | None:
    """The sign-in services configured under ``[auth]``: None for the unnamed one (its
    settings directly in ``[auth]``), a name for each ``[auth.NAME]``; None if none is."""
    try:
        auth = st.secrets.get("auth")
    except FileNotFoundError:
        return None
    if not isinstance(auth, Mapping):
        return None
    named: list[str | None] = [k for k, v in auth.items() if isinstance(v, Mapping)]
    if "client_id" in auth:
        return [None, *named]
    return named or None


def _not_configured() -> None:
    st.title("OPSC Gap Check", anchor=False)
    st.error(
        "This server runs as a team server (OPSC_TEAM_MODE=1), but no sign-in is configured, "
        "so nothing can be shown. Whoever runs it must add an [auth] section to "
        ".streamlit/secrets.toml (redirect_uri, cookie_secret, client_id, client_secret, "
        "server_metadata_url; see docs/deploy.md), or unset OPSC_TEAM_MODE for the local "
        "single-user mode.",
        icon=":material/lock:",
    )


def _sign_in_page(providers: list[str | None]) -> None:
    st.title("OPSC Gap Check", anchor=False)
    st.markdown(
        "This is your organisation's team server for OPSC gap assessments. **Sign in** with "
        "your organisation's account to see the assessments of your teams and those shared "
        "with you. Your name and e-mail address are recorded with every change you make."
    )
    for provider in providers:
        label = "Sign in" if provider is None else f"Sign in with {provider}"
        if st.button(label, key=f"sign-in:{provider or 'default'}", type="primary"):
            st.login(provider)


def sidebar() -> None:
    """On a team server: who is signed in, their role on the open assessment, and a way to
    sign out (in the sidebar of every page). Nothing locally."""
    user = identity.user()
    if user is None:
        return
    from checklist.guarded_store import GuardedStore  # a team server only
    from checklist.ui import resources

    line = f"Signed in as **{escape(user.name or user.key)}** ({escape(user.key)})"
    if user.site_admin:
        line += " · site administrator"
    assessment = state.assessment()
    store = resources.store()
    if assessment is not None and isinstance(store, GuardedStore):
        role = store.role(assessment.id)
        line += f"  \nYour role on the open assessment: **{role or 'none'}**"
        if role == "reader":
            line += " (you can read and download it, not change it)"
    st.caption(line)
    st.button("Sign out", key="sidebar:sign-out", on_click=st.logout, type="tertiary")
