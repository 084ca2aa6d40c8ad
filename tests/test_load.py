"""Load: four writer processes and a reader (the UI's refresh loop) on one database at once.

Writers go through the real command line code (`supervise.cli.main`, in a loop inside
each process so that the test stays fast; one test also runs real `supervise`
subprocesses). Nothing may be lost, every command must exit 0 (no "database is
locked" reaching the user), and the reader must never fail nor see half an action.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from supervise.planfile.loader import load_plan_file
from supervise.db.store import Store

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans.toml"
TODAY = date(2021, 10, 31)
WRITERS = 4
PER_WRITER = 24
TICK_TASKS = ["sy-2021/1.3", "sy-2021/2.2", "sy-2021/4.2", "sy-2021/4.3"]  # no milestones
BASE = date(2019, 1, 1)


def _day(w: int, i: int) -> str:
    return (BASE + timedelta(days=w * 200 + i)).isoformat()


def _actions(w: int, n: int) -> list[list[str]]:
    """Writer w's commands: notes on a shared task, values on a shared indicator, ticks with a note."""
    out = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            out.append(["note", "sy-2021/1.1", f"load w{w} n{i}", "--on", _day(w, i)])
        elif kind == 1:
            out.append(["record", "sy-2021/1.1", "carers", str(w * 1000 + i), "--on", _day(w, i)])
        else:
            out.append(["tick", TICK_TASKS[w], "--on", _day(w, i), "--note", f"load w{w} t{i}"])
    return out


WRITER = r"""
import json, sys
from supervise.cli import main
codes = []
for args in json.loads(sys.argv[1]):
    try:
        main(["--db", sys.argv[2], *args])
        codes.append(0)
    except SystemExit as e:
        codes.append(e.code if isinstance(e.code, int) else 1)
print("CODES " + json.dumps(codes), flush=True)
"""

READER = r"""
import json, os, sys, time
from supervise.db.store import Store
db, stop = sys.argv[1], sys.argv[2]
report = {"iterations": 0, "errors": [], "half": [], "versions": 0, "backwards": 0}
store = Store.open(db)
last = None
while not os.path.exists(stop) or report["iterations"] < 3:
    try:
        snap = store.snapshot()
        version = store.data_version()
    except Exception as e:
        report["errors"].append(f"{type(e).__name__}: {e}")
        continue
    report["iterations"] += 1
    if last is not None and version != last:
        report["versions"] += 1
        if version < last:
            report["backwards"] += 1
    last = version
    time.sleep(0.005)  # the UI polls; it does not spin
    # a tick with --note is one action: its done date never shows without its note
    for t in snap.tasks:
        if t.done_on and t.key.startswith("sy-2021/") and t.notes:
            if not any(n.on == t.done_on and n.text.startswith("load w") for n in t.notes) \
                    and any(n.text.startswith("load w") for n in t.notes):
                report["half"].append(f"{t.key} done {t.done_on} without its note")
store.close()
print("REPORT " + json.dumps(report), flush=True)
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("load") / "template.db"
    with Store.open(path) as store:
        store.import_plans(load_plan_file(PLANS), TODAY, source="plans.toml")
    return path


@pytest.fixture
def db(template, tmp_path) -> Path:
    path = tmp_path / "supervise.db"
    shutil.copy(template, path)
    return path


def _env() -> dict:
    return dict(os.environ, SUPERVISE_TODAY=TODAY.isoformat(), SUPERVISE_LANG="en", NO_COLOR="1")


def _start_reader(db: Path, stop: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env())


def _reader_report(reader: subprocess.Popen, stop: Path) -> dict:
    stop.touch()
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    line = next(x for x in out.splitlines() if x.startswith("REPORT "))
    return json.loads(line[len("REPORT "):])


def _assert_all_written(db: Path, n: int) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = {r[0] for r in conn.execute("SELECT text FROM notes")}
        values = {r[0] for r in conn.execute("SELECT value FROM indicator_values WHERE indicator_id = 'sy-2021/1.1/carers'")}
        missing = []
        for w in range(WRITERS):
            for i in range(n):
                kind = i % 3
                if kind == 0 and f"load w{w} n{i}" not in notes:
                    missing.append(f"note w{w} n{i}")
                elif kind == 1 and float(w * 1000 + i) not in values:
                    missing.append(f"value w{w} {i}")
                elif kind == 2 and f"load w{w} t{i}" not in notes:
                    missing.append(f"tick w{w} t{i}")
        assert not missing, f"lost writes: {missing}"
        events = conn.execute("SELECT count(*) FROM events WHERE kind != 'import'").fetchone()[0]
        assert events == WRITERS * n
        # the last tick of each writer is the task's done date
        for w in range(WRITERS):
            ticks = [i for i in range(n) if i % 3 == 2]
            if not ticks:
                continue
            last_tick = max(ticks)
            assert conn.execute("SELECT done_on FROM tasks WHERE id = ?", (TICK_TASKS[w],)).fetchone()[0] == _day(w, last_tick)
    finally:
        conn.close()


def test_four_writers_and_a_reader_lose_nothing(db, tmp_path):
    stop = tmp_path / "stop"
    reader = _start_reader(db, stop)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, json.dumps(_actions(w, PER_WRITER)), str(db)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=tmp_path)
               for w in range(WRITERS)]
    results = [w.communicate(timeout=120) for w in writers]
    report = _reader_report(reader, stop)
    for w, (out, err) in enumerate(results):
        assert writers[w].returncode == 0, err
        codes = json.loads(next(x for x in out.splitlines() if x.startswith("CODES "))[len("CODES "):])
        assert codes == [0] * PER_WRITER, f"writer {w}: exit codes {codes}; stderr: {err}"
        assert "locked" not in err and "Traceback" not in err, err
    _assert_all_written(db, PER_WRITER)
    assert report["errors"] == [], report["errors"][:5]
    assert report["half"] == [], report["half"][:5]
    assert report["backwards"] == 0
    assert report["iterations"] >= 3
    assert report["versions"] >= 1, "the reader never noticed the writers' commits"


def test_real_cli_processes_in_parallel(db, tmp_path):
    """The same with real `supervise` processes (fewer: each one pays Python's start-up)."""
    n = 2  # a note and a value each (the in-process test covers ticks)
    stop = tmp_path / "stop"
    reader = _start_reader(db, stop)
    procs = []
    for w in range(WRITERS):
        for args in _actions(w, n):
            procs.append(subprocess.Popen(
                [sys.executable, "-c", "import sys; from supervise.cli import main; main()", "--db", str(db), *args],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=tmp_path))
    # a backup and a status in the middle of it all
    procs.append(subprocess.Popen([sys.executable, "-c", "import sys; from supervise.cli import main; main()",
                                   "--db", str(db), "backup", str(tmp_path / "copy.db")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=tmp_path))
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, f"{p.args[3:]} exited {p.returncode}: {err}"
        assert err == "", err
    report = _reader_report(reader, stop)
    _assert_all_written(db, n)
    assert report["errors"] == [] and report["half"] == []
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_writer_waits_for_a_long_transaction_instead_of_failing(db):
    """Another program holds the write lock for a while (a long import): the command waits, then succeeds."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO units (name) VALUES ('held')")
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from supervise.cli import main; main()",
                             "--db", str(db), "note", "1.1", "waited"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env())
    time.sleep(1.0)
    assert proc.poll() is None, "the command gave up instead of waiting for the lock"
    holder.execute("COMMIT")
    holder.close()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM notes WHERE text = 'waited'").fetchone()[0] == 1
    conn.close()


def test_locked_past_the_timeout_is_exit_3_and_writes_nothing(db, monkeypatch, capsys):
    """Held longer than the busy timeout: one line, exit 3, nothing written."""
    from supervise import cli
    from supervise.db import store as store_mod

    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT", 0.3)
    real_open = store_mod.Store.open.__func__

    def quick_open(cls, path, *, timeout=0.3, create=True):
        return real_open(cls, path, timeout=timeout, create=create)

    monkeypatch.setattr(store_mod.Store, "open", classmethod(quick_open))
    monkeypatch.setenv("SUPERVISE_TODAY", TODAY.isoformat())
    monkeypatch.setenv("SUPERVISE_LANG", "en")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(SystemExit) as exit_:
            cli.main(["--db", str(db), "note", "1.1", "never"])
        assert exit_.value.code == 3
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "locked" in err and "Traceback" not in err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM notes WHERE text = 'never'").fetchone()[0] == 0
    conn.close()
