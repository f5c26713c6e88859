"""The database behind the store: where it is, its tables, and the engine that opens it.

Storage goes through SQLAlchemy Core, so the embedded SQLite file a single user needs can be
swapped for a team server (PostgreSQL) by changing one URL: ``OPSC_DB_URL``. Without it the
database is ``data/opsc-gap-check.sqlite3`` in a source checkout (``data/`` is gitignored), or
``~/.local/share/opsc-gap-check/`` when the package is installed elsewhere.

The tables below are the newest schema; ``upgrade`` brings any database to it with the Alembic
revisions in ``checklist/migrations/versions/``. A change to a table here needs a revision
there (``tests/test_migrations.py`` checks that the two agree).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

ENV_URL = "OPSC_DB_URL"
DB_FILE = "opsc-gap-check.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")
# The schema of every database made before there were migrations (by create_all).
BASELINE = "0001"
# Execution option: begin the transaction holding the write lock (SQLite's BEGIN IMMEDIATE).
WRITE_LOCK = "opsc_write_lock"
# Key of the PostgreSQL advisory lock that lets one process at a time migrate.
MIGRATION_LOCK_KEY = 0x0F5C_6A9C
# Alembic's ``op`` and ``context`` are module globals: one migration at a time per process.
_MIGRATING = threading.Lock()

metadata = sa.MetaData()

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("jurisdiction", sa.String(200), nullable=False, default=""),
    sa.Column("assessor", sa.String(200), nullable=False, default=""),
    sa.Column("title", sa.String(300), nullable=False, default=""),
    sa.Column("date", sa.Date, nullable=False),
    # The date of the law assessed; NULL (a row written by an older release) means ``date``.
    sa.Column("law_date", sa.Date, nullable=True),
    sa.Column("checklist_version", sa.String(20), nullable=False, default=""),
    sa.Column("scope", sa.String(40), nullable=False, server_default="offences"),
    # Superseded by scope, kept (see migration 0002) and filled as the previous release reads it.
    sa.Column("include_modules", sa.JSON, nullable=False),
    sa.Column("archived_answers", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # Bumped when the details (jurisdiction, assessor, ...) change: optimistic concurrency.
    sa.Column("version", sa.Integer, nullable=False, default=1),
    # The source of answer revisions: every answer save takes the next number.
    sa.Column("revision_counter", sa.Integer, nullable=False, default=0),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column(
        "assessment_id",
        sa.String(64),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("answer", sa.JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def default_url() -> str:
    """``OPSC_DB_URL`` if set, else a SQLite file in ``data/`` (checkout) or ~/.local/share."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    root = Path(__file__).resolve().parent.parent
    folder = (
        root / "data"
        if (root / "pyproject.toml").exists()
        else Path.home() / ".local" / "share" / "opsc-gap-check"
    )
    return f"sqlite:///{folder / DB_FILE}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``. A SQLite file is created owner-only, in WAL mode, with foreign
    keys enforced and every write synced; SQLAlchemy, not the driver, begins transactions."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    database = sa.engine.make_url(url).database
    if database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_LOCK, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if database and database != ":memory:":
        _owner_only(Path(database).expanduser(), engine)
    return engine


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema, creating the tables if there are none.

    A database made before there were migrations has the tables but no ``alembic_version``:
    it is stamped at the baseline, then upgraded. Stamp and upgrade run in one transaction that
    holds the write lock from its start (on PostgreSQL, an advisory lock), so a failed upgrade
    changes nothing and two processes opening an old database at once migrate it once. A
    database already at the newest revision is only read.
    """
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
    with _MIGRATING, engine.connect() as conn:
        conn.execution_options(**{WRITE_LOCK: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
            config.attributes["connection"] = conn
            tables = set(sa.inspect(conn).get_table_names())
            if "assessments" in tables and "alembic_version" not in tables:
                command.stamp(config, BASELINE)
            command.upgrade(config, "head")


def _owner_only(path: Path, engine: Engine) -> None:
    """Drafts are confidential: the database file (and SQLite's -wal and -shm files, which
    take its permissions) is readable by its owner only."""
    if not path.exists():
        with engine.connect():
            pass  # creates the file
    if path.exists() and path.stat().st_uid == os.getuid():
        path.chmod(0o600)
