#!/usr/bin/env python3
"""Concurrent writers: Taskwarrior 2.6 loses adds silently; supervise loses none.

    python bench/bench_taskwarrior_race.py [--n 60] [--rounds 1] [--keep DIR]

Taskwarrior: N `task add` processes are started beside N `task modify` processes, all
at once, on one TASKDATA; afterwards the adds that are really in the data are counted.
Taskwarrior 2.6 rewrites pending.data from what it read at start-up, so a modify that
read the file before an add committed writes it back without that add — and both exit 0.

supervise: N `supervise note` processes beside N `supervise record` / `supervise tick`
processes (alternating), all at once, on one database; then the notes, values and
ticks in the database are counted. Every write is one IMMEDIATE SQLite transaction, so
none is lost; a writer that cannot get the lock within the timeout would exit 3
("database is locked") rather than lose data silently — the bench counts those too.

Needs /usr/bin/task (Debian/Ubuntu: `apt-get install -y taskwarrior`); without it only
the supervise half runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASK = shutil.which("task") or "/usr/bin/task"
SUPERVISE = [sys.executable, "-c", "from supervise.cli import main; main()"]


def _spawn_all(commands: list[list[str]], env: dict, cwd: Path) -> list[tuple[int, str]]:
    """Start every command at once, then wait for all: (exit status, stderr) each."""
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                              text=True, env=env, cwd=cwd) for c in commands]
    return [(p.wait(), p.stderr.read()) for p in procs]


def _interleave(a: list, b: list) -> list:
    return [x for pair in zip(a, b) for x in pair]


def taskwarrior_round(n: int, work: Path) -> dict:
    data = work / "taskdata"
    data.mkdir(parents=True)
    rc = work / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\nrecurrence=off\n")
    env = dict(os.environ, TASKRC=str(rc), TASKDATA=str(data))
    base = [TASK, "rc.confirmation=off", "rc.verbose=nothing", "rc.bulk=0"]
    seeds = 5
    for i in range(seeds):
        subprocess.run([*base, "add", f"seed {i}"], env=env, check=True, stdout=subprocess.DEVNULL)
    adds = [[*base, "add", f"race add {i}"] for i in range(n)]
    modifies = [[*base, str(i % seeds + 1), "modify", f"seed modified {i}"] for i in range(n)]
    t0 = time.perf_counter()
    results = _spawn_all(_interleave(adds, modifies), env, work)
    elapsed = time.perf_counter() - t0
    add_codes = [code for code, _ in results[0::2]]
    out = subprocess.run([TASK, "rc.verbose=nothing", "rc.confirmation=off", "export"], env=env,
                         capture_output=True, text=True, check=True).stdout
    import json

    present = {t["description"] for t in json.loads(out)}
    kept = sum(f"race add {i}" in present for i in range(n))
    return {"adds": n, "kept": kept, "lost": n - kept, "add_failures": sum(c != 0 for c in add_codes),
            "modify_failures": sum(c != 0 for c, _ in results[1::2]), "seconds": elapsed}


def supervise_round(n: int, work: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from supervise.planfile.loader import load_plan_file
    from supervise.db.store import Store

    db = work / "supervise.db"
    today = date(2021, 10, 31)
    with Store.open(db) as store:
        store.import_plans(load_plan_file(ROOT / "plans.toml"), today, source="plans.toml")
    env = dict(os.environ, SUPERVISE_TODAY=today.isoformat(), SUPERVISE_DB=str(db), SUPERVISE_LANG="en")
    base = date(2019, 1, 1)
    notes = [[*SUPERVISE, "note", "sy-2021/1.1", f"race note {i}"] for i in range(n)]
    others = []
    for i in range(n):
        on = (base + timedelta(days=i)).isoformat()
        if i % 2:
            others.append([*SUPERVISE, "record", "sy-2021/1.2", "coverage", str(1000 + i), "--on", on])
        else:
            others.append([*SUPERVISE, "tick", "sy-2021/1.3", "--on", on, "--note", f"race tick {i}"])
    t0 = time.perf_counter()
    results = _spawn_all(_interleave(notes, others), env, work)
    elapsed = time.perf_counter() - t0
    conn = sqlite3.connect(db)
    texts = {r[0] for r in conn.execute("SELECT text FROM notes")}
    values = {r[0] for r in conn.execute("SELECT value FROM indicator_values WHERE indicator_id = 'sy-2021/1.2/coverage'")}
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    kept = sum(f"race note {i}" in texts for i in range(n))
    other_kept = sum((float(1000 + i) in values) if i % 2 else (f"race tick {i}" in texts) for i in range(n))
    failures = [err.strip() for code, err in results if code != 0]
    return {"adds": n, "kept": kept, "lost": n - kept, "others": n, "others_kept": other_kept,
            "failures": len(failures), "locked": sum("locked" in e for e in failures),
            "integrity": integrity, "seconds": elapsed}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60, help="adds (notes) and modifies (records/ticks) each")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--keep", help="work in this folder and leave it (default: a temporary folder)")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="race-"))
    have_task = os.path.exists(TASK)
    tw_lost = sv_lost = 0
    try:
        for r in range(args.rounds):
            if have_task:
                tw = taskwarrior_round(args.n, work / f"tw{r}")
                tw_lost += tw["lost"]
                print(f"taskwarrior {subprocess.run([TASK, '--version'], capture_output=True, text=True).stdout.strip()}: "
                      f"{args.n} `task add` beside {args.n} `task modify` -> {tw['kept']} adds kept, "
                      f"{tw['lost']} lost; non-zero exits: {tw['add_failures']} adds, {tw['modify_failures']} modifies "
                      f"({tw['seconds']:.1f} s)")
            else:
                print(f"taskwarrior: {TASK} not found (apt-get install -y taskwarrior); skipped")
            sv = supervise_round(args.n, work / f"sv{r}")
            sv_lost += sv["lost"] + (sv["others"] - sv["others_kept"])
            print(f"supervise: {args.n} `supervise note` beside {args.n} `supervise record`/`tick` -> "
                  f"{sv['kept']} notes kept, {sv['lost']} lost; {sv['others_kept']}/{sv['others']} records/ticks kept; "
                  f"non-zero exits: {sv['failures']} ({sv['locked']} locked); integrity {sv['integrity']} "
                  f"({sv['seconds']:.1f} s)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"total lost: taskwarrior {tw_lost if have_task else 'n/a'}, supervise {sv_lost}")
    return 1 if sv_lost else 0


if __name__ == "__main__":
    sys.exit(main())
