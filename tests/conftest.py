"""The databases the store tests run on: each test that asks for ``db_url`` runs twice, on its
own SQLite file (``[sqlite]``) and on its own database of a real PostgreSQL server started for
the session (``[postgresql]``, see ``tests/postgres.py``).

A test of something only a SQLite file has (its permissions, WAL, a damaged or read-only file)
is marked ``sqlite_only`` and runs on SQLite alone. When PostgreSQL cannot be started the
``[postgresql]`` runs are skipped, saying why; with ``OPSC_REQUIRE_POSTGRES=1`` (the README's
test command) ``tests/test_postgres.py`` fails instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import postgres
import pytest
import sqlalchemy as sa

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only: tests what only a SQLite file has (permissions, WAL, damage); "
        "runs on SQLite alone, not also on PostgreSQL",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", BACKENDS[:1] if only_sqlite else BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.Server]:
    """One PostgreSQL server for the whole session, started on first use."""
    try:
        server = postgres.start()
    except postgres.Unavailable as why:
        pytest.skip(f"PostgreSQL could not be started: {why}")
    yield server
    server.stop()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: the database this run of the test uses."""
    return str(request.param)


@pytest.fixture
def new_db_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], str]]:
    """``new_db_url(name)``: the URL of a new, empty database on this test's backend (a file
    ``name.sqlite3`` in the test's folder, or a database of the session's server, emptied
    after the test for the next one)."""
    if backend == "sqlite":
        yield lambda name: f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    server: postgres.Server = request.getfixturevalue("postgres_server")
    made: list[str] = []
    opened: list[Any] = []

    def create(_name: str) -> str:
        made.append(server.create())
        return made[-1]

    def remember(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("psycopg"):
            opened.append(dbapi_connection)

    # The tests do not dispose of every engine they make: close what they left open, or the
    # driver warns when it is collected (warnings are errors here).
    sa.event.listen(sa.pool.Pool, "connect", remember)
    try:
        yield create
    finally:
        sa.event.remove(sa.pool.Pool, "connect", remember)
        for connection in opened:
            connection.close()
        for url in made:
            server.give_back(url)


@pytest.fixture
def db_url(new_db_url: Callable[[str], str]) -> str:
    """This test's database, empty: ``store.sqlite3`` in its folder, or on PostgreSQL."""
    return new_db_url("store")
