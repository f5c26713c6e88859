"""The database behind the store: where it is, its tables, and the engine that opens it.

Storage goes through SQLAlchemy Core, so the embedded SQLite file a single user needs can be
swapped for a team server (PostgreSQL) by changing one URL: ``OPSC_DB_URL``. Without it the
database is ``data/opsc-gap-check.sqlite3`` in a source checkout (``data/`` is gitignored), or
``~/.local/share/opsc-gap-check/`` when the package is installed elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

ENV_URL = "OPSC_DB_URL"
DB_FILE = "opsc-gap-check.sqlite3"

metadata = sa.MetaData()

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("jurisdiction", sa.String(200), nullable=False, default=""),
    sa.Column("assessor", sa.String(200), nullable=False, default=""),
    sa.Column("title", sa.String(300), nullable=False, default=""),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("checklist_version", sa.String(20), nullable=False, default=""),
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
        conn.exec_driver_sql("BEGIN")

    if database and database != ":memory:":
        _owner_only(Path(database).expanduser(), engine)
    return engine


def _owner_only(path: Path, engine: Engine) -> None:
    """Drafts are confidential: the database file (and SQLite's -wal and -shm files, which
    take its permissions) is readable by its owner only."""
    if not path.exists():
        with engine.connect():
            pass  # creates the file
    if path.exists() and path.stat().st_uid == os.getuid():
        path.chmod(0o600)
