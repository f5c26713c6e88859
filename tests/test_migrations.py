"""Schema migrations: every database, old or new, opens at the newest schema with nothing lost.

"The previous release" is the store before migrations: it made its tables with create_all and
kept the scope as a module list (``include_modules``). Its database is built here with the SQL
it ran, so these tests do not depend on today's table definitions. Each test runs on a SQLite
file and again on a database of a real PostgreSQL server (tests/conftest.py), where the
previous release's tables had PostgreSQL's type for a time with its zone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from checklist.assessment import Answer, Assessment
from checklist.database import BASELINE, MIGRATIONS, make_engine, metadata, upgrade
from checklist.loader import default_checklist, default_methodology
from checklist.store import Store

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()
ROOT = Path(__file__).resolve().parent.parent

PREVIOUS_RELEASE_TABLES = [
    """
    CREATE TABLE assessments (
        id VARCHAR(64) NOT NULL,
        jurisdiction VARCHAR(200) NOT NULL,
        assessor VARCHAR(200) NOT NULL,
        title VARCHAR(300) NOT NULL,
        date DATE NOT NULL,
        checklist_version VARCHAR(20) NOT NULL,
        include_modules JSON NOT NULL,
        archived_answers JSON NOT NULL,
        created_at {timestamp} NOT NULL,
        updated_at {timestamp} NOT NULL,
        version INTEGER NOT NULL,
        revision_counter INTEGER NOT NULL,
        PRIMARY KEY (id)
    )
    """,
    """
    CREATE TABLE answers (
        assessment_id VARCHAR(64) NOT NULL,
        item_id VARCHAR(200) NOT NULL,
        answer JSON NOT NULL,
        revision INTEGER NOT NULL,
        updated_at {timestamp} NOT NULL,
        PRIMARY KEY (assessment_id, item_id),
        FOREIGN KEY(assessment_id) REFERENCES assessments (id) ON DELETE CASCADE
    )
    """,
]
# What create_all made of ``DateTime(timezone=True)``, and how a time was written, on each.
TIMESTAMP = {"sqlite": "DATETIME", "postgresql": "TIMESTAMP WITH TIME ZONE"}
WRITTEN_AT = {
    "sqlite": ("2024-03-01 09:00:00.000000", "2024-03-02 10:00:00.000000"),
    "postgresql": ("2024-03-01 09:00:00+00", "2024-03-02 10:00:00+00"),
}

OLD_ANSWERS = {
    "def.sale": {"status": "covered", "provisions": ["Penal Code art. 1"]},
    "age.sale": {"value": 16.0, "note": "16 for sale, 18 elsewhere"},
    "assistance.mutual": {"status": "partly"},
}


@pytest.fixture
def url(db_url: str) -> str:
    return db_url


def make_previous_release_database(url: str) -> None:
    """A database as the previous release left it: one assessment that included the extended
    module, with three answers, and one with the core module only."""
    engine = make_engine(url)
    dialect = engine.dialect.name
    created, updated = WRITTEN_AT[dialect]
    with engine.begin() as conn:
        for statement in PREVIOUS_RELEASE_TABLES:
            conn.exec_driver_sql(statement.format(timestamp=TIMESTAMP[dialect]))
        for id_, modules, counter in (("extended", ["extended"], 7), ("core-only", [], 0)):
            conn.execute(
                sa.text(
                    "INSERT INTO assessments VALUES (:id, 'Ruritania', 'Ministry', '', "
                    "'2024-03-01', '1.0', :modules, '[]', :created, :updated, 3, :counter)"
                ),
                {
                    "id": id_,
                    "modules": json.dumps(modules),
                    "created": created,
                    "updated": updated,
                    "counter": counter,
                },
            )
        for revision, (item_id, answer) in enumerate(OLD_ANSWERS.items(), start=5):
            conn.execute(
                sa.text(
                    "INSERT INTO answers VALUES ('extended', :item, :answer, :revision, :updated)"
                ),
                {
                    "item": item_id,
                    "answer": json.dumps(answer),
                    "revision": revision,
                    "updated": updated,
                },
            )
    engine.dispose()


def revision_of(url: str) -> str | None:
    engine = make_engine(url)
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return current


def contents(url: str) -> dict[str, Any]:
    """Every row, the columns of ``assessments`` and the schema revision."""
    engine = make_engine(url)
    with engine.connect() as conn:
        found: dict[str, Any] = {
            table: [tuple(row) for row in conn.exec_driver_sql(f"SELECT * FROM {table}")]
            for table in ("assessments", "answers")
        }
        found["columns"] = [c["name"] for c in sa.inspect(conn).get_columns("assessments")]
        found["revision"] = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return found


# -- the previous release's database ---------------------------------------------------------


def test_previous_release_database__keeps_every_answer_and_its_revision(url: str) -> None:
    make_previous_release_database(url)
    stored = Store(url).load("extended")
    assert {
        item_id: answer.model_dump(exclude_none=True, exclude_defaults=True)
        for item_id, answer in stored.assessment.answers.items()
    } == OLD_ANSWERS
    assert stored.revisions == {"def.sale": 5, "age.sale": 6, "assistance.mutual": 7}
    assert stored.version == 3


def test_previous_release_database__extended_module_becomes_the_whole_protocol(url: str) -> None:
    make_previous_release_database(url)
    store = Store(url)
    assert store.load("extended").assessment.scope == "whole-protocol"
    assert store.load("core-only").assessment.scope == "offences"


def test_previous_release_database__law_date_is_the_assessment_date(url: str) -> None:
    make_previous_release_database(url)
    assessment = Store(url).load("extended").assessment
    assert assessment.date == assessment.law_date == dt.date(2024, 3, 1)
    engine = make_engine(url)
    with engine.connect() as conn:  # written by the migration, not filled in on reading
        law_dates = conn.exec_driver_sql("SELECT law_date FROM assessments").scalars().all()
    engine.dispose()
    assert [str(law_date) for law_date in law_dates] == ["2024-03-01", "2024-03-01"]


def test_previous_release_database__is_stamped_at_the_baseline_then_upgraded_to_head(
    url: str,
) -> None:
    make_previous_release_database(url)
    assert revision_of(url) is None
    Store(url)
    assert revision_of(url) == HEAD


def test_previous_release_database__ends_with_the_tables_the_store_defines(url: str) -> None:
    make_previous_release_database(url)
    engine = Store(url).engine
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_previous_release_database__can_be_opened_by_several_processes_at_once(
    url: str,
) -> None:
    make_previous_release_database(url)
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            Store(url).engine.dispose()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert revision_of(url) == HEAD
    assert len(Store(url).load("extended").assessment.answers) == 3


OPENER = """
import sys
from checklist.store import Store
print("ready", flush=True)
sys.stdin.readline()  # all start together
Store(sys.argv[1]).engine.dispose()
print("opened", flush=True)
"""


def test_previous_release_database__opened_by_separate_processes_at_once__migrates_once(
    url: str,
) -> None:
    """Threads of one process take turns (one migration at a time per process); processes
    meet at the database's own lock: BEGIN IMMEDIATE on SQLite, an advisory lock on
    PostgreSQL."""
    make_previous_release_database(url)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            text=True,
        )
        for _ in range(4)
    ]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        said = [child.communicate(timeout=120) for child in children]
    finally:
        for child in children:
            child.kill() if child.poll() is None else None
    assert [(child.returncode, out) for child, (out, _) in zip(children, said, strict=True)] == [
        (0, "opened\n")
    ] * 4, [err for _, err in said]
    assert revision_of(url) == HEAD
    assert len(Store(url).load("extended").assessment.answers) == 3


def test_failed_upgrade__leaves_the_previous_release_database_as_it_was(url: str) -> None:
    make_previous_release_database(url)
    before = contents(url)
    engine = make_engine(url)

    def fail_on_the_scope_update(
        _conn: object, _cursor: object, statement: str, *_: object
    ) -> None:
        if statement.startswith("UPDATE assessments SET scope"):
            raise RuntimeError("disk full")

    sa.event.listen(engine, "before_cursor_execute", fail_on_the_scope_update)
    with pytest.raises(RuntimeError, match="disk full"):
        upgrade(engine)
    engine.dispose()
    assert revision_of(url) is None
    assert contents(url) == before


# -- fresh databases and reopening -----------------------------------------------------------


def test_fresh_database__is_at_head_with_the_tables_the_store_defines(url: str) -> None:
    engine = Store(url).engine
    assert revision_of(url) == HEAD
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_opening_twice__changes_nothing(url: str) -> None:
    make_previous_release_database(url)
    Store(url).engine.dispose()
    once = contents(url)
    Store(url).engine.dispose()
    assert contents(url) == once


def test_opening_a_database_at_head__only_reads(url: str) -> None:
    Store(url).engine.dispose()
    engine = make_engine(url)
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda _c, _k, sql, *_: statements.append(sql))
    upgrade(engine)
    engine.dispose()
    assert "SELECT version_num FROM alembic_version" in statements
    assert all(s == "BEGIN" or s.startswith(("SELECT", "PRAGMA")) for s in statements)


# -- going back ------------------------------------------------------------------------------


def test_the_scope_is_also_written_as_the_previous_release_reads_it(url: str) -> None:
    store = Store(url)
    for scope in ("offences", "criminal-law", "whole-protocol"):
        store.create(Assessment.model_validate({"id": scope, "scope": scope}))
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, include_modules FROM assessments").all()
    # SQLite hands back the JSON text, psycopg the value it holds
    assert {id_: json.loads(v) if isinstance(v, str) else v for id_, v in rows} == {
        "offences": [],
        "criminal-law": [],
        "whole-protocol": ["extended"],
    }


def test_downgrade_to_the_baseline__keeps_every_answer(url: str) -> None:
    make_previous_release_database(url)
    store = Store(url)
    store.create(
        Assessment(id="new", scope="whole-protocol", answers={"def.sale": Answer(status="partly")})
    )
    with store.engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.downgrade(config, BASELINE)
    store.engine.dispose()
    assert revision_of(url) == BASELINE
    downgraded = contents(url)
    assert len(downgraded["answers"]) == 4
    assert "scope" not in downgraded["columns"] and "law_date" not in downgraded["columns"]
    Store(url)  # and up again
    assert revision_of(url) == HEAD
    again = Store(url)
    assert again.load("new").assessment.scope == "whole-protocol"
    assert len(again.load("extended").assessment.answers) == 3


def test_summaries__start_empty_and_are_filled_when_the_list_is_first_shown(url: str) -> None:
    make_previous_release_database(url)
    store = Store(url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM summaries").scalar() == 0
    listed = store.list_summaries(default_checklist(), default_methodology())
    assert {s.id for s in listed} == {"extended", "core-only"}
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM summaries").scalar() == 2


def test_downgrade_below_the_summaries__drops_them_and_keeps_every_answer(url: str) -> None:
    make_previous_release_database(url)
    store = Store(url)
    store.list_summaries(default_checklist(), default_methodology())
    with store.engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
        assert "summaries" not in sa.inspect(conn).get_table_names()
    store.engine.dispose()
    assert len(contents(url)["answers"]) == 3
    assert len(Store(url).load("extended").assessment.answers) == 3


def test_head_known_to_the_store__is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from checklist.database import HEAD, MIGRATIONS

    assert ScriptDirectory(str(MIGRATIONS)).get_current_head() == HEAD
