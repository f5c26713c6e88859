"""The database behind the store: where it is, its tables, and the engine that opens it.

Storage goes through SQLAlchemy Core, so the embedded SQLite file a single user needs can be
swapped for a team server (PostgreSQL) by changing one URL: ``OPSC_DB_URL``. Without it the
database is ``data/opsc-gap-check.sqlite3`` in a source checkout (``data/`` is gitignored), or
``~/.local/share/opsc-gap-check/`` when the package is installed elsewhere.

The tables are ``checklist.tables`` (importable from here too): the newest schema. ``upgrade``
brings any database to it with the Alembic revisions in ``checklist/migrations/versions/``.

A database that cannot be opened raises ``Unusable`` saying why in plain words (``explain``),
with nothing written to it; ``move_aside`` renames a damaged file, never deletes it. A SQLite
file that may not be written (read-only file, folder or disk) is opened for reading only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import threading
import urllib.parse
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

# The schema (checklist.tables), importable from here as before.
from checklist.tables import (  # noqa: F401
    DRAFTING,
    action_history,
    actions,
    answer_history,
    answers,
    assessment_access,
    assessments,
    comments,
    details_history,
    memberships,
    metadata,
    review_log,
    sign_offs,
    summaries,
    teams,
    versions,
)

ENV_URL = "OPSC_DB_URL"
DB_FILE = "opsc-gap-check.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")
# The schema of every database made before there were migrations (by create_all).
BASELINE = "0001"
# The newest migration in checklist/migrations (a test checks it): a database already there is
# opened without importing Alembic, which keeps it off the app's start.
HEAD = "0007"
# Execution option: begin the transaction holding the write lock (SQLite's BEGIN IMMEDIATE).
WRITE_LOCK = "opsc_write_lock"
# Connections a database server's pool keeps open, and as many more it may open at a busy
# moment (make_engine): a team server of a few dozen people, within PostgreSQL's default 100.
SERVER_POOL = 25
# Key of the PostgreSQL advisory lock that lets one process at a time migrate.
MIGRATION_LOCK_KEY = 0x0F5C_6A9C
# Alembic's ``op`` and ``context`` are module globals: one migration at a time per process.
_MIGRATING = threading.Lock()

Trouble = Literal[
    "full", "read-only", "damaged", "busy", "unreadable", "cannot-open", "newer", "other"
]


class Unusable(Exception):
    """The database cannot be opened. Nothing was written to it.

    ``what`` says why in plain words, ``kind`` which kind of trouble it is (the page offers
    what can be done about it), ``where`` the file or server, ``path`` the SQLite file or None.
    """

    def __init__(self, kind: Trouble, what: str, where: str, path: Path | None):
        self.kind, self.what, self.where, self.path = kind, what, where, path
        super().__init__(f"{what} ({where})")

    @classmethod
    def of(cls, url: str, error: BaseException) -> Unusable:
        path = sqlite_path(url)
        kind, what = explain(error, path)
        where = str(path) if path else sa.engine.make_url(url).render_as_string(hide_password=True)
        return cls(kind, what, where, path)


def explain(error: BaseException, path: Path | None = None) -> tuple[Trouble, str]:
    """What a database error means, in words for the user: (kind, what is wrong)."""
    cause = getattr(error, "orig", None) or error
    name = str(getattr(cause, "sqlite_errorname", ""))
    text = str(cause).lower()
    code = getattr(cause, "errno", None)
    io_error = name.startswith("SQLITE_IOERR") or "disk i/o error" in text
    if (
        name == "SQLITE_FULL"
        or "disk is full" in text
        or code == errno.ENOSPC
        or (io_error and path is not None and _little_space(path))
    ):
        return "full", "the disk is full"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or code == errno.EROFS:
        return (
            "read-only",
            "the database can only be read, not written (the file, its folder or the disk "
            "is read-only)",
        )
    if (
        name in ("SQLITE_NOTADB", "SQLITE_CORRUPT")
        or "not a database" in text
        or "malformed" in text
    ):
        return (
            "damaged",
            "the database file is damaged: it is not a valid database, or it was cut short",
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return "busy", "the database is busy: another program is writing to it"
    if path is not None and path.exists() and not os.access(path, os.R_OK):
        return (
            "unreadable",
            "the database file cannot be read: this user account has no permission to read it",
        )
    if code in (errno.EACCES, errno.EPERM):
        return "unreadable", "permission denied"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return (
            "cannot-open",
            "the database file cannot be opened or created (its folder may be missing, "
            "unreadable or read-only)",
        )
    if isinstance(cause, MigrationFailed) and "locate revision" in text:
        return "newer", "the database was last used by a newer version of this tool"
    first = str(cause).strip().splitlines()[0][:200] if str(cause).strip() else type(cause).__name__
    return "other", f"the database reported an error ({first})"


def _little_space(path: Path) -> bool:
    """Less than a megabyte left where the database is: SQLite reports some writes that fail
    for want of space (its -shm file is mapped into memory) as a mere I/O error."""
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None (a server, or a database in memory)."""
    if not url.startswith("sqlite"):
        return None
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def read_only_reason(path: Path) -> str | None:
    """Why the existing SQLite file at ``path`` may only be read, or None if it may be written
    (SQLite also writes the -wal and -shm files beside it, so the folder must be writable)."""
    if not path.exists():
        return None
    with contextlib.suppress(OSError):
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return "the disk holding it is read-only"
    if not os.access(path, os.W_OK):
        return "the database file is read-only"
    if not os.access(path.parent, os.W_OK):
        return "the folder of the database is read-only"
    return None


def move_aside(url: str, now: dt.datetime | None = None) -> Path:
    """Rename the SQLite file of ``url`` (with its -wal, -shm and -journal files) to
    ``<name>.set-aside-<date-time><suffix>`` in the same folder, so that a new database can be
    made in its place; returns the new name. Nothing is deleted. The companions move first: a
    -wal file left behind would be read into the new database."""
    path = sqlite_path(url)
    if path is None or not path.exists():
        raise FileNotFoundError(f"no database file to move aside for {url}")
    stamp = f"{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
    target = path.with_name(f"{path.stem}.set-aside-{stamp}{path.suffix}")
    n = 1
    while any(Path(f"{target}{extra}").exists() for extra in ("", *_COMPANIONS)):
        n += 1
        target = path.with_name(f"{path.stem}.set-aside-{stamp}-{n}{path.suffix}")
    moved: list[tuple[Path, Path]] = []
    try:
        for extra in (*_COMPANIONS, ""):
            source = Path(f"{path}{extra}")
            if source.exists():
                source.rename(f"{target}{extra}")
                moved.append((source, Path(f"{target}{extra}")))
    except OSError:
        for source, renamed in reversed(moved):
            renamed.rename(source)
        raise
    return target


_COMPANIONS = ("-wal", "-shm", "-journal")


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
    keys enforced and every write synced; SQLAlchemy, not the driver, begins transactions.

    An existing SQLite file that may not be written (``read_only_reason``) is opened read-only
    (``why_read_only``), so the saved work can still be read and backed up; in a read-only
    folder without a -wal file it is opened as immutable, since SQLite could not make its -shm
    file there. A PostgreSQL session keeps its times in UTC (``_utc_session``)."""
    if not url.startswith("sqlite"):
        # One connection for each person saving at the same moment (each session runs in a
        # thread of its own): with SQLAlchemy's default 5 + 10, the 16th to 25th waited
        # seconds for one while the others took them back in turn (benchmarks/bench_team.py).
        server = sa.create_engine(
            url, pool_pre_ping=True, pool_size=SERVER_POOL, max_overflow=SERVER_POOL
        )
        if server.dialect.name == "postgresql":
            sa.event.listen(server, "connect", _utc_session, insert=True)
        return server
    path = sqlite_path(url)
    read_only = read_only_reason(path) if path else None
    if read_only and path is not None:
        engine = sa.create_engine(_read_only_url(path), connect_args={"timeout": 30})
    else:
        if path is not None:
            path.resolve().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_LOCK, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if path is not None and not read_only:
        _owner_only(path, engine)
    return engine


def _utc_session(dbapi_connection: Any, _record: Any) -> None:
    """Every time stored here is UTC, and one without a zone (from an older file) means UTC,
    as on SQLite: a PostgreSQL session in the server's own time zone would shift it."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.close()
    dbapi_connection.autocommit = autocommit


def why_read_only(engine: Engine) -> str | None:
    """Why ``make_engine`` opened this database read-only, or None if it did not."""
    if engine.url.query.get("mode") != "ro" or not engine.url.database:
        return None
    path = Path(urllib.parse.unquote(engine.url.database.removeprefix("file:")))
    return read_only_reason(path) or "the database file is read-only"


def _read_only_url(path: Path) -> sa.engine.URL:
    query = {"mode": "ro", "uri": "true"}
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists():
        query["immutable"] = "1"
    return sa.engine.URL.create(
        "sqlite", database=f"file:{urllib.parse.quote(str(path.resolve()))}", query=query
    )


class MigrationFailed(Exception):
    """Alembic could not bring the database to this version (e.g. it was made by a newer
    one). Kept apart from Alembic's own error so Alembic is imported only to migrate."""


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema, creating the tables if there are none.

    A database made before there were migrations has the tables but no ``alembic_version``:
    it is stamped at the baseline, then upgraded. Stamp and upgrade run in one transaction that
    holds the write lock from its start (on PostgreSQL, an advisory lock), so a failed upgrade
    changes nothing and two processes opening an old database at once migrate it once. A
    database already at the newest revision is only read.
    """
    with engine.connect() as conn:
        if _revision(conn) == HEAD:
            return
    from alembic import command  # only when there is something to do
    from alembic.config import Config
    from alembic.util import CommandError

    with _MIGRATING, engine.connect() as conn:
        conn.execution_options(**{WRITE_LOCK: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
            config.attributes["connection"] = conn
            tables = set(sa.inspect(conn).get_table_names())
            try:
                if "assessments" in tables and "alembic_version" not in tables:
                    command.stamp(config, BASELINE)
                command.upgrade(config, "head")
            except CommandError as error:  # e.g. a revision this version does not know
                raise MigrationFailed(str(error)) from error


def _revision(conn: Connection) -> str | None:
    """The database's migration revision, read directly (None before any migration)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def _owner_only(path: Path, engine: Engine) -> None:
    """Drafts are confidential: the database file (and SQLite's -wal and -shm files, which
    take its permissions) is readable by its owner only."""
    if not path.exists():
        with engine.connect():
            pass  # creates the file
    if path.exists() and path.stat().st_uid == os.getuid():
        # A file system that keeps no permissions refuses: there is nothing to tighten then.
        with contextlib.suppress(OSError):
            path.chmod(0o600)
