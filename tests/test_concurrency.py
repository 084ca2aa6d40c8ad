"""Several programs writing one database at once (cron, the UI, a second clerk): nothing lost, no error."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from supervise.planfile.loader import parse_plans
from supervise.views import statuses
from supervise.db.store import Store

PLAN = """
[[plan]]
id = "sy-2021"
title = "测试计划"
start = 2021-01-01
end = 2023-12-31

[[task]]
plan = "sy-2021"
id = "1.1"
title = "切实提高家庭自我照护能力"
lead = ["市民政局"]

[[task]]
plan = "sy-2021"
id = "1.2"
title = "扎实推进政府购买居家养老服务"
lead = ["市民政局"]
  [[task.indicator]]
  id = "coverage"
  name = "覆盖率"
  target = 50
"""

WORKERS = 4
NOTES_EACH = 100


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "shared.db"
    with Store.open(path) as store:
        store.import_plans(parse_plans(PLAN), date(2021, 1, 1))
    return path


def _cli_worker(db: str, worker: int, start, results) -> None:
    """Add NOTES_EACH notes through the command line's entry point, one command (one open) per note."""
    import contextlib
    import io
    import os

    from supervise.cli import main

    os.environ["SUPERVISE_TODAY"] = "2021-10-31"
    failures = []
    start.wait()
    for i in range(NOTES_EACH):
        err = io.StringIO()
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                main(["--db", db, "note", "sy-2021/1.1", f"进展 {worker}-{i}"])
        except SystemExit as e:
            if e.code not in (0, None):
                failures.append((i, e.code, err.getvalue()))
        except Exception as e:  # pragma: no cover - reported below
            failures.append((i, repr(e), err.getvalue()))
    results.put((worker, failures))


def _store_worker(db: str, worker: int, start, results) -> None:
    """One long-lived Store (like the UI) writing notes and values, and reading status in between."""
    failures = []
    start.wait()
    try:
        with Store.open(db) as store:
            for i in range(NOTES_EACH):
                store.add_note("sy-2021/1.2", f"store {worker}-{i}", date(2021, 10, 1 + i % 28))
                if i % 10 == 0:
                    store.record("sy-2021/1.2", "coverage", float(worker * 100 + i), date(2021, 1 + worker, 1 + i // 10))
                    statuses(store.snapshot(), date(2021, 10, 31))
    except Exception as e:
        failures.append(repr(e))
    results.put((worker, failures))


def _run(target, db: Path) -> dict:
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=target, args=(str(db), w, start, results)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    start.set()
    outcome = dict(results.get(timeout=55) for _ in procs)
    for p in procs:
        p.join(timeout=10)
        assert p.exitcode == 0
    return outcome


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_four_processes_adding_notes_through_the_cli_lose_nothing(db):
    outcome = _run(_cli_worker, db)
    assert outcome == {w: [] for w in range(WORKERS)}
    assert _count(db, "SELECT count(*) FROM notes WHERE task_id = 'sy-2021/1.1'") == WORKERS * NOTES_EACH
    assert _count(db, "SELECT count(*) FROM events WHERE kind = 'note'") == WORKERS * NOTES_EACH
    assert _count(db, "SELECT count(DISTINCT text) FROM notes") == WORKERS * NOTES_EACH
    assert _count(db, "SELECT count(*) FROM notes WHERE event_id IS NULL") == 0  # each note tied to its own event
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_four_long_lived_stores_writing_and_reading_at_once(db):
    outcome = _run(_store_worker, db)
    assert outcome == {w: [] for w in range(WORKERS)}
    assert _count(db, "SELECT count(*) FROM notes WHERE task_id = 'sy-2021/1.2'") == WORKERS * NOTES_EACH
    assert _count(db, "SELECT count(*) FROM indicator_values") == WORKERS * 10
    # every event's data points at the row it made, so undo still works after the crowd has gone
    with Store.open(db) as store:
        last = store.events(limit=1)[0]
        store.undo()
        assert store.events(limit=1)[0].data["undid"] == last.id
