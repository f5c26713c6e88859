"""The PostgreSQL server the store tests also run on (tests/postgres.py, tests/conftest.py)."""

from __future__ import annotations

import os

import postgres
import pytest

REQUIRED = os.environ.get("OPSC_REQUIRE_POSTGRES") == "1"


def test_postgresql_runs__and_must_when_required(request: pytest.FixtureRequest) -> None:
    """With OPSC_REQUIRE_POSTGRES=1 (the README's test command, hence CI) a server that cannot
    be started fails here, rather than its tests being skipped."""
    try:
        server: postgres.Server = request.getfixturevalue("postgres_server")
    except pytest.skip.Exception as skipped:
        if REQUIRED:
            pytest.fail(f"OPSC_REQUIRE_POSTGRES=1, but {skipped.msg}", pytrace=False)
        raise
    with server.connect() as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        zone = conn.execute("SHOW timezone").fetchone()
    assert version is not None and int(version[0]) >= 140000  # pg_terminate_backend(pid, timeout)
    assert zone == (postgres.TIME_ZONE,)


def test_each_test_database__is_new_and_empty(db_url: str, backend: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []
        assert conn.dialect.name == backend
    engine.dispose()
