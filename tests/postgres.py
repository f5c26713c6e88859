"""A throwaway PostgreSQL server for the test session: the store, migration and concurrency
tests run on it as well as on SQLite (``tests/conftest.py`` gives each test an empty database).

``start()`` makes a cluster in a new temporary directory with Debian's (or the PATH's)
``initdb`` and starts it with ``pg_ctl``, listening on a Unix socket in that directory only (no
TCP port, nothing shared with another server; the directory is its owner's alone, so trusting
whoever connects trusts only that user); ``Server.stop()`` stops it and deletes the
directory. PostgreSQL refuses to run as root: as root (CI), the server runs as the
``postgres`` user Debian's package makes (or ``nobody``), which then owns the directory.
Anything that prevents the server from starting raises ``Unavailable`` with the first line of
what went wrong, which the tests give as their reason to skip.

The server runs in a time zone that is neither UTC nor a whole number of hours from it, so
that a time stored or read as local time rather than UTC shows up as a failing test.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa

SUPERUSER = "opsc"
# Five hours 45 minutes east of UTC, written as POSIX does (needs no time-zone database).
TIME_ZONE = "<+0545>-05:45"
SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",  # a test server: speed over durability
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "timezone": f"'{TIME_ZONE}'",
    "max_connections": "200",
}
INITDB_OPTIONS = ("--no-locale", "--encoding=UTF8", "--no-sync")
START_TIMEOUT = 60


class Unavailable(Exception):
    """PostgreSQL could not be started here; ``str()`` says why in one line."""


def find_bindir() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: on the PATH, else Debian's newest."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not installed:
        raise Unavailable(
            "no initdb/pg_ctl on the PATH or in /usr/lib/postgresql (apt-get install postgresql)"
        )
    return installed[-1].parent


def _run_as() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that runs the server's programs as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            user = pwd.getpwnam(name)
            runuser = shutil.which("runuser")
            if runuser is None:
                raise Unavailable("running as root and there is no runuser to run it as another")
            return [runuser, "-u", name, "--"], user
    raise Unavailable("running as root, and there is no postgres or nobody user to run it as")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else "no message"


class Server:
    """A running cluster: ``create`` gives a test an empty database, ``give_back`` takes it."""

    def __init__(self, base: Path, bindir: Path, prefix: list[str]):
        self.base, self.bindir, self.prefix = base, bindir, prefix
        self.data = base / "data"
        self._names = itertools.count(1)
        self._free: list[str] = []
        self._stopped = False

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.base}"

    def connect(self, database: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(
            host=str(self.base), user=SUPERUSER, dbname=database, autocommit=True
        )

    def create(self) -> str:
        """The URL of an empty database: one a finished test gave back, or a new one (making a
        database takes a quarter of a second, emptying one a hundredth)."""
        if self._free:
            return self.url(self._free.pop())
        name = f"test_{next(self._names)}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def give_back(self, url: str) -> None:
        """End every connection to a database from ``create`` and empty it for the next test:
        what a test makes (tables, their sequences and indexes) is all in schema public."""
        name = str(sa.engine.make_url(url).database)
        with self.connect() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
        with self.connect(name) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        self._free.append(name)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        pg_ctl = str(self.bindir / "pg_ctl")
        subprocess.run(
            [*self.prefix, pg_ctl, "stop", "-D", str(self.data), "-m", "immediate", "-w"],
            capture_output=True,
            cwd=self.base,
            check=False,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def start() -> Server:
    """Make and start a server in a new temporary directory; ``Unavailable`` saying why not."""
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise Unavailable(f"the psycopg driver is not installed ({error})") from None
    bindir = find_bindir()
    prefix, user = _run_as()
    base = Path(tempfile.mkdtemp(prefix="opsc-pg-"))
    server = Server(base, bindir, prefix)
    try:
        if user is not None:
            os.chown(base, user.pw_uid, user.pw_gid)
        _run(
            server,
            "initdb",
            ["-D", str(server.data), "-U", SUPERUSER, "--auth=trust", *INITDB_OPTIONS],
        )
        with (server.data / "postgresql.conf").open("a") as conf:
            conf.write(f"unix_socket_directories = '{base}'\n")
            conf.writelines(f"{key} = {value}\n" for key, value in SETTINGS.items())
        log = base / "server.log"
        _run(server, "pg_ctl", ["-D", str(server.data), "-l", str(log), "-w", "start"], log)
        server.connect().close()
    except Unavailable:
        server.stop()
        raise
    except Exception as error:
        server.stop()
        raise Unavailable(_first_line(str(error)) or type(error).__name__) from error
    atexit.register(server.stop)
    return server


def _run(server: Server, program: str, args: list[str], log: Path | None = None) -> None:
    try:
        done = subprocess.run(
            [*server.prefix, str(server.bindir / program), *args],
            capture_output=True,
            text=True,
            cwd=server.base,
            timeout=START_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Unavailable(f"{program}: {error}") from error
    if done.returncode != 0:
        said = done.stderr
        if log is not None and log.exists():
            said = (
                "\n".join(
                    line
                    for line in log.read_text().splitlines()
                    if "FATAL" in line or "ERROR" in line
                )
                or said
            )
        raise Unavailable(f"{program} failed: {_first_line(said or done.stdout)}")
