"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it reported as done.

A separate Python process drives the Store API through 200 actions (notes, indicator
values, ticks with a note, overrides) and prints "done N" after each one has returned,
i.e. after its transaction committed. The test kills it at random moments, several
times, resuming each time from the first action the database does not hold. After
every kill: `PRAGMA integrity_check` is ok, every action reported done is there exactly
once, nothing is half-written (every row has its event), and the events table holds
exactly one event per action present.

The writer lowers `wal_autocheckpoint` so that kills also land inside checkpoints.
Set SUPERVISE_CRASH_SEED to replay a failing run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from supervise.planfile.loader import load_plan_file
from supervise.db.store import Store

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans.toml"
TODAY = date(2021, 10, 31)
ACTIONS = 200

# (task, indicator) pairs and milestone-less tasks from the bundled plans.toml
RECORD_TARGETS = [("sy-2021/1.1", "carers"), ("sy-2021/1.2", "coverage"), ("sy-2021/1.4", "retrofit"),
                  ("sy-2021/1.5", "visits")]
TICK_TASKS = ["sy-2021/1.3", "sy-2021/2.2", "sy-2021/4.2"]
NOTE_TASKS = ["sy-2021/1.1", "sy-2021/2.1", "sy-2021-key/5", "sy-2021/6.4"]

WRITER = r"""
import sys
from datetime import date, timedelta
from supervise.models import Rag
from supervise.db.store import Store

db, start, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
RECORD = {record}
TICK = {tick}
NOTE = {note}
base = date(2021, 1, 1)
store = Store.open(db)
store.conn.execute("PRAGMA wal_autocheckpoint = 8")  # checkpoints often, so kills land in them too
for i in range(start, stop):
    kind, on = i % 4, base + timedelta(days=i)
    if kind == 0:
        store.add_note(NOTE[i % len(NOTE)], f"crash note {{i}}", on)
    elif kind == 1:
        task, ind = RECORD[i % len(RECORD)]
        store.record(task, ind, float(i), on)
    elif kind == 2:
        store.tick(TICK[i % len(TICK)], None, on, note=f"crash tick {{i}}")
    else:
        store.set_override(NOTE[i % len(NOTE)], Rag.AMBER, f"crash override {{i}}", on)
    print(f"done {{i}}", flush=True)
store.close()
print("finished", flush=True)
""".format(record=RECORD_TARGETS, tick=TICK_TASKS, note=NOTE_TASKS)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "template.db"
    with Store.open(path) as store:
        store.import_plans(load_plan_file(PLANS), TODAY, source="plans.toml")
    return path


def _present(conn: sqlite3.Connection, i: int) -> int:
    """How many times action i is in the database (0 or 1 expected)."""
    kind = i % 4
    if kind == 0:
        sql, args = "SELECT count(*) FROM notes WHERE text = ?", (f"crash note {i}",)
    elif kind == 1:
        task, ind = RECORD_TARGETS[i % len(RECORD_TARGETS)]
        sql, args = "SELECT count(*) FROM indicator_values WHERE indicator_id = ? AND value = ?", (f"{task}/{ind}", float(i))
    elif kind == 2:
        sql, args = "SELECT count(*) FROM notes WHERE text = ?", (f"crash tick {i}",)
    else:
        sql, args = "SELECT count(*) FROM overrides WHERE reason = ?", (f"crash override {i}",)
    return conn.execute(sql, args).fetchone()[0]


def _check(db: Path, reported: set[int]) -> list[int]:
    """Integrity, nothing lost, nothing half-written; returns the actions present."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        counts = {i: _present(conn, i) for i in range(ACTIONS)}
        lost = sorted(i for i in reported if counts[i] != 1)
        assert not lost, f"actions reported done but not in the database exactly once: {lost}"
        assert all(c <= 1 for c in counts.values()), {i: c for i, c in counts.items() if c > 1}
        present = sorted(i for i, c in counts.items() if c)
        # every progress row belongs to a recorded event: no half-written actions
        for table in ("notes", "indicator_values", "overrides"):
            orphans = conn.execute(f"SELECT count(*) FROM {table} WHERE event_id IS NULL "
                                   "OR event_id NOT IN (SELECT id FROM events)").fetchone()[0]
            assert orphans == 0, f"{orphans} rows in {table} without their event"
        events = conn.execute("SELECT count(*) FROM events WHERE kind != 'import'").fetchone()[0]
        assert events == len(present), f"{events} events for {len(present)} actions"
        # each tick's event says what it set, and the task's done_on is the last tick's date
        for kind, data in conn.execute("SELECT kind, data FROM events WHERE kind = 'tick'"):
            assert json.loads(data)["after"]
        return present
    finally:
        conn.close()


def _run_writer(db: Path, start: int, rng: random.Random, kill: bool) -> tuple[set[int], bool]:
    """Run the writer from action `start`; kill it after a random number of actions and a random pause."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(start), str(ACTIONS)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=db.parent)
    reported: set[int] = set()
    finished = False
    wait_for = rng.randint(1, 45)
    try:
        while True:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("done "):
                reported.add(int(line.split()[1]))
                if kill and len(reported) >= wait_for:
                    time.sleep(rng.uniform(0, 0.015))  # land somewhere inside the next action
                    proc.send_signal(signal.SIGKILL)
                    break
            elif line.strip() == "finished":
                finished = True
        rest, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for line in rest.splitlines():  # printed (so committed) before the kill arrived
        if line.startswith("done "):
            reported.add(int(line.split()[1]))
        elif line.strip() == "finished":
            finished = True
    if not kill:
        assert proc.returncode == 0, err
    return reported, finished


def test_sigkill_at_random_moments_loses_nothing_reported(template, tmp_path):
    seed = int(os.environ.get("SUPERVISE_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    db = tmp_path / "supervise.db"
    shutil.copy(template, db)
    reported: set[int] = set()
    kills = 0
    present: list[int] = []
    while True:
        start = next((i for i in range(ACTIONS) if i not in set(present)), ACTIONS)
        if start >= ACTIONS:
            break
        kill = kills < 4
        got, finished = _run_writer(db, start, rng, kill)
        reported |= got
        kills += kill and not finished
        present = _check(db, reported)  # after every kill, not only at the end
        assert set(present) >= reported, f"seed {seed}"
        assert not kill or kills <= 4
    assert kills >= 3, f"seed {seed}: the writer finished before it could be killed"
    assert present == list(range(ACTIONS)), f"seed {seed}"
    # the surviving database is still a fully working supervise database
    with Store.open(db) as store:
        snap = store.snapshot()
        assert sum(len(t.notes) for t in snap.tasks) >= ACTIONS // 2
        assert store.undo().kind in ("tick", "note", "record", "override")


IMPORTER = r"""
import sys
from datetime import date
from supervise.planfile.loader import load_plan_file
from supervise.db.store import Store
planset = load_plan_file(sys.argv[2])
print("ready", flush=True)
with Store.open(sys.argv[1]) as store:
    store.import_plans(planset, date(2021, 10, 31), source="plans.toml")
print("imported", flush=True)
"""


def test_sigkill_while_creating_and_importing_leaves_all_or_nothing(tmp_path):
    """Killed while the database is being created or the first import written: the next run
    finds either no database, an empty one, or the whole plan — never half a schema or half a plan."""
    seed = int(os.environ.get("SUPERVISE_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    with Store.open(tmp_path / "probe.db") as store:
        store.import_plans(load_plan_file(PLANS), TODAY)
        full = len(store.snapshot().tasks)
    outcomes = set()
    for attempt in range(5):
        db = tmp_path / f"run{attempt}" / "supervise.db"
        proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(db), str(PLANS)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0, 0.12))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        if not db.exists():
            outcomes.add("no database")
            continue
        with Store.open(db) as store:  # opens without "damaged": the schema is whole
            assert store.integrity() == "ok"
            tasks = len(store.snapshot().tasks)
            assert tasks in (0, full), f"seed {seed}: {tasks} of {full} tasks imported"
            outcomes.add(tasks)
            store.import_plans(load_plan_file(PLANS), TODAY)  # and it can be finished afterwards
            assert len(store.snapshot().tasks) == full
    assert outcomes  # informative: which of the three states the kills produced
