"""A team server under load: 25 people saving answers at once through the guarded store, on a
real PostgreSQL (the test suite's throwaway server, tests/postgres.py), and again on SQLite to
compare.

- 20 people each answer every item of their own assessment, one save after another, then
  every item again on the revision the first save returned: no conflict may happen, and no
  answer may be lost.
- At the same time 5 people answer the same assessment, item by item, all five saving the
  same item at the same moment (a barrier) on the revision they all saw: exactly one save of
  each round may win and the four others must be reported as conflicts; then a second pass
  over the same items, each on the revision the first pass left.

Every save goes through ``GuardedStore`` (the role check first, as on the team server) and
the engine the app shares between its sessions (one process, one connection pool). Printed:
answers saved per second, conflicts reported against expected, the slowest save and the
median and 95th percentile; then what the role check costs alone. Checked (a failure is a
bug, not slowness): every answer saved is there and in its history exactly once, every
conflict expected was reported, nothing else. Never fails because the machine is slow.
Run: ``.venv/bin/python benchmarks/run.py team``
"""

from __future__ import annotations

import functools
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the throwaway PostgreSQL server of the tests

from benchmarks.sample import answer_for  # noqa: E402
from checklist.access import User  # noqa: E402
from checklist.assessment import Answer, Assessment  # noqa: E402
from checklist.guarded_store import GuardedStore  # noqa: E402
from checklist.loader import default_checklist  # noqa: E402
from checklist.schema import Item  # noqa: E402
from checklist.store import Conflict, Saved, Store  # noqa: E402

ALONE = 20  # people, each in an assessment of their own
TOGETHER = 5  # people in one shared assessment
SHARED_ITEMS = 30  # items the five race on, twice each


class Tally:
    """What one person's saves came to. (Not a dataclass: benchmarks/run.py loads this file
    without registering it as a module, which a dataclass needs.)"""

    def __init__(self) -> None:
        self.saved: dict[str, Answer] = {}  # item -> their last answer saved
        self.saves = 0
        self.conflicts = 0
        self.seconds: list[float] = []


def _timed(tally: Tally, save: Callable[[], Saved | Conflict]) -> Saved | Conflict:
    started = time.perf_counter()
    outcome = save()
    tally.seconds.append(time.perf_counter() - started)
    if isinstance(outcome, Conflict):
        tally.conflicts += 1
    else:
        tally.saves += 1
    return outcome


def _alone(store: GuardedStore, assessment_id: str, items: list[Item], tally: Tally) -> None:
    """Every item answered, then every item answered again on the revision the first left."""
    checklist, rng = default_checklist(), random.Random(assessment_id)
    seen = dict.fromkeys((item.id for item in items), 0)
    for _ in range(2):
        for item in items:
            answer = answer_for(item, rng)
            outcome = _timed(
                tally,
                lambda a=answer, i=item: store.save_answer(
                    assessment_id, i.id, a, seen[i.id], checklist=checklist
                ),
            )
            if isinstance(outcome, Conflict):
                raise AssertionError(f"a conflict in an assessment nobody else edits: {outcome}")
            seen[item.id] = outcome.revision
            tally.saved[item.id] = answer


def _together(
    store: GuardedStore,
    assessment_id: str,
    items: list[Item],
    barrier: threading.Barrier,
    seed: int,
    tally: Tally,
) -> None:
    checklist, rng = default_checklist(), random.Random(seed)
    seen = dict.fromkeys((item.id for item in items), 0)
    for _ in range(2):
        for item in items:
            answer = answer_for(item, rng).model_copy(update={"note": f"person {seed}"})
            barrier.wait()  # all five save this item now, on the same revision
            outcome = _timed(
                tally,
                lambda a=answer, i=item: store.save_answer(
                    assessment_id, i.id, a, seen[i.id], checklist=checklist
                ),
            )
            seen[item.id] = outcome.revision  # the winner's, whoever won
            if isinstance(outcome, Saved):
                tally.saved[item.id] = answer


def _same(a: Answer | None, b: Answer) -> bool:
    return a is not None and a.model_dump(exclude={"updated_at"}) == b.model_dump(
        exclude={"updated_at"}
    )


def run(url: str, label: str) -> None:
    checklist = default_checklist()
    items = checklist.items()
    store = Store(url)
    founder = User("head@ministry.example", "Head of Unit")
    team = GuardedStore(store, founder).create_team("Load test").id
    people = [User(f"person{n}@ministry.example", f"Person {n}") for n in range(ALONE + TOGETHER)]
    for person in people:
        GuardedStore(store, founder).set_member(team, person.key, "editor")
    own = []
    for person in people[:ALONE]:
        assessment = Assessment(jurisdiction=person.name, checklist_version=checklist.version)
        GuardedStore(store, person, home_team=team).create(assessment)
        own.append(assessment.id)
    shared = Assessment(jurisdiction="Shared", checklist_version=checklist.version)
    GuardedStore(store, founder, home_team=team).create(shared)
    race = items[:SHARED_ITEMS]

    tallies = [Tally() for _ in people]
    barrier = threading.Barrier(TOGETHER)
    failures: list[BaseException] = []

    def person(work: Callable[[], None]) -> threading.Thread:
        def body() -> None:
            try:
                work()
            except BaseException as error:  # raised below: a crash is a bug, not slowness
                failures.append(error)
                barrier.abort()

        return threading.Thread(target=body)

    threads = [
        person(functools.partial(_alone, GuardedStore(store, people[n]), own[n], items, tallies[n]))
        for n in range(ALONE)
    ] + [
        person(
            functools.partial(
                _together, GuardedStore(store, people[n]), shared.id, race, barrier, n, tallies[n]
            )
        )
        for n in range(ALONE, ALONE + TOGETHER)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise failures[0]

    _check(store, own, shared.id, race, tallies)
    seconds = sorted(s for t in tallies for s in t.seconds)
    saves = sum(t.saves for t in tallies)
    conflicts = sum(t.conflicts for t in tallies[ALONE:])
    expected = 2 * len(race) * (TOGETHER - 1)
    p95 = seconds[int(len(seconds) * 0.95) - 1]
    print(
        f"{label}: {ALONE} people in their own assessments + {TOGETHER} in one, at once: "
        f"{saves:,} answers saved in {elapsed:.1f} s = {saves / elapsed:,.0f} answers/s; "
        f"conflicts reported {conflicts} of {expected} expected, none lost"
    )
    print(
        f"{label}: one save took median {statistics.median(seconds) * 1000:.1f} ms, "
        f"95th percentile {p95 * 1000:.1f} ms, slowest {seconds[-1] * 1000:.0f} ms "
        f"(a pool of {store.engine.pool.size()} connections shared by 25 people)"  # type: ignore[attr-defined]
    )
    guard = GuardedStore(store, people[0])
    rounds = 300
    started = time.perf_counter()
    for _ in range(rounds):
        guard.role(own[0])
    print(
        f"{label}: the role check alone: {(time.perf_counter() - started) / rounds * 1000:.2f} ms"
    )
    if label == "PostgreSQL":
        print(f"{label}: (the test server runs without fsync: a real one's commits cost more)")
    store.engine.dispose()


def _check(
    store: Store, own: list[str], shared_id: str, race: list[Item], tallies: list[Tally]
) -> None:
    """Nothing lost, every conflict reported, nothing recorded twice (a failure is a bug)."""
    for assessment_id, tally in zip(own, tallies[:ALONE], strict=True):
        stored = store.load(assessment_id).assessment
        lost = [i for i, a in tally.saved.items() if not _same(stored.answers.get(i), a)]
        assert not lost, f"answers lost in {assessment_id}: {lost}"
        assert len(stored.history) == tally.saves, "history entries != saves"
        assert tally.conflicts == 0
    together = tallies[ALONE:]
    conflicts = sum(t.conflicts for t in together)
    expected = 2 * len(race) * (TOGETHER - 1)
    assert conflicts == expected, f"{conflicts} conflicts reported, {expected} expected"
    assert sum(t.saves for t in together) == 2 * len(race), "one winner per round"
    shared = store.load(shared_id).assessment
    assert len(shared.history) == 2 * len(race), "the shared history has one entry per round"
    for item in race:
        (last,) = [e for e in reversed(shared.history) if e.item_id == item.id][:1]
        winner = [t for t in together if _same(t.saved.get(item.id), last.after or Answer())]
        assert winner, f"{item.id}: the saved answer is nobody's last saved one"
        assert _same(shared.answers.get(item.id), last.after or Answer())


def main() -> None:
    import postgres

    try:
        server = postgres.start()
    except postgres.Unavailable as why:
        print(f"PostgreSQL could not be started, so the team benchmark ran on SQLite only: {why}")
        server = None
    try:
        if server is not None:
            run(server.create(), "PostgreSQL")
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'team.sqlite3'}", "SQLite (for comparison)")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
