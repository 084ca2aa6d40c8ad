"""What the database check at every open costs (issue #15): Store.open's `_vet`.

Measures, on a synthetic office (bench/gen_office.py) imported into a database, each candidate
check on its own and the whole `status --format json` process it is part of:

* `PRAGMA quick_check` (what Store.open runs: every page's b-tree structure),
* `PRAGMA integrity_check` (quick_check plus the cross-check of every index against its table),
* the table names and user_version alone (what refuses a foreign database before WAL is on),
* Store.open with and without the check (the check's share of opening).

    python bench/bench_check.py [--tasks 10000] [--runs 5] [--workdir DIR]

Figures go to standard output; say under what load they were taken.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def show(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{label:48} median {statistics.median(ms):8.1f} ms   min {min(ms):8.1f}   max {max(ms):8.1f}")


def pragma(db: Path, sql: str):
    def run():
        conn = sqlite3.connect(db)
        try:
            assert conn.execute(sql).fetchall()
        finally:
            conn.close()

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out" / "check")
    args = ap.parse_args(argv)
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    plans, db = work / f"office-{args.tasks}.toml", work / f"office-{args.tasks}.db"
    env = dict(os.environ, SUPERVISE_TODAY="2023-06-30", SUPERVISE_LANG="en",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    if not db.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_office.py"), "--tasks", str(args.tasks), "--seed", "1",
                        "--out", str(plans), "--quiet"], check=True, env=env)
        subprocess.run([sys.executable, "-m", "supervise", "--db", str(db), "import", str(plans)], check=True, env=env,
                       capture_output=True)
    print(f"{args.tasks} tasks, database {db.stat().st_size / 1e6:.1f} MB, load average {os.getloadavg()[0]:.2f}")

    sys.path.insert(0, str(ROOT))
    from supervise.db.store import Store

    show("PRAGMA quick_check", timed(pragma(db, "PRAGMA quick_check"), args.runs))
    show("PRAGMA integrity_check", timed(pragma(db, "PRAGMA integrity_check"), args.runs))
    show("table names + user_version only",
         timed(pragma(db, "SELECT name FROM sqlite_master WHERE type = 'table'"), args.runs))

    def open_store():
        Store.open(db).close()

    show("Store.open (with the check)", timed(open_store, args.runs))
    real = Store._vet
    Store._vet = lambda self: None
    try:
        show("Store.open (check switched off)", timed(open_store, args.runs))
    finally:
        Store._vet = real

    def status_json():
        subprocess.run([sys.executable, "-m", "supervise", "--db", str(db), "status", "--format", "json"], check=True,
                       env=env, stdout=subprocess.DEVNULL)

    show("status --format json (whole process)", timed(status_json, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
