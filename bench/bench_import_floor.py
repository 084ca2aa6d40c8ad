#!/usr/bin/env python3
"""What any import of this plans file must pay, beside `supervise import` and `task import`.

    python bench/bench_import_floor.py [--tasks 10000] [--dense] [--runs 5] [--cache bench/out/cache]

Uses run_all.py's cached office (run `run_all.py --sizes N [--dense] --only import` once first).
Interleaved run by run, each a fresh process, wall time:

* `supervise import` of the plans file into a new database;
* `task import` of the same information (every task, milestone and indicator a task) into an empty TASKDATA;
* floor "parse": Python starting, importing tomli (the compiled parser the project uses) and
  parsing the whole file, nothing checked or written;
* floor "insert": the rows `supervise import` wrote (read from the cached imported database
  before the clock starts) inserted into a new database with the same schema, WAL and
  synchronous=FULL, in one transaction with `executemany`, committed: no parsing, no checking,
  no event log, no backup. Timed inside its process, from creating the file to the commit.

parse + insert is what the fastest possible import in CPython with tomli and SQLite costs;
issue 18's target for `import` is 0.5x `task import`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run_all  # noqa: E402  (the cached offices and Taskwarrior's set-up)

PARSE = """
import sys, tomli
with open(sys.argv[1], encoding="utf-8") as f:
    tomli.loads(f.read())
"""

INSERT = """
import json, os, sqlite3, sys, time
ref = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
schema = [sql for (sql,) in ref.execute(
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
    "ORDER BY type = 'index', rowid")]
tables = [name for (name,) in ref.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
rows = {t: ref.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
ref.close()
started = time.perf_counter()
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("BEGIN IMMEDIATE")
for sql in schema:
    conn.execute(sql)
for t in tables:
    if rows[t]:
        marks = ", ".join("?" * len(rows[t][0]))
        conn.executemany(f'INSERT INTO "{t}" VALUES ({marks})', rows[t])
conn.execute("COMMIT")
conn.close()
print(json.dumps({"insert": time.perf_counter() - started, "rows": sum(map(len, rows.values()))}))
"""


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2023-06-30")
    ap.add_argument("--dense", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=HERE / "out" / "cache")
    args = ap.parse_args()
    office = run_all.office_dir(args.cache, args.tasks, args.seed, args.as_of, args.dense)
    plans, imported, tw_json = office / "office.toml", office / "imported.db", office / "taskwarrior-same.json"
    for p in (plans, imported, tw_json):
        if not p.exists():
            raise SystemExit(f"{p} is missing: run `bench/run_all.py --sizes {args.tasks}"
                             f"{' --dense' if args.dense else ''} --only import` first")
    work = Path(tempfile.mkdtemp(prefix="supervise-floor-"))
    sv_env = run_all.sv_env(args.as_of)
    runs: dict[str, list[float]] = {"supervise": [], "task": [], "parse": [], "insert": []}
    rows = 0
    try:
        for i in range(args.runs + 1):  # the first pass warms the caches and is not counted
            for q in work.glob("*.db*"):
                q.unlink()
            shutil.rmtree(work / "backups", ignore_errors=True)
            data = work / "tw"
            shutil.rmtree(data, ignore_errors=True)
            data.mkdir()
            sv_wall, _ = timed([*run_all.supervise_command(), "--db", str(work / "fresh.db"), "import", str(plans)],
                               sv_env)
            tw_wall, _ = timed([run_all.TASK, "import", str(tw_json)], run_all.tw_env(data, work))
            parse_wall, _ = timed([sys.executable, "-c", PARSE, str(plans)])
            _, out = timed([sys.executable, "-c", INSERT, str(imported), str(work / "floor.db")])
            got = json.loads(out)
            rows = got["rows"]
            if i:
                runs["supervise"].append(sv_wall)
                runs["task"].append(tw_wall)
                runs["parse"].append(parse_wall)
                runs["insert"].append(got["insert"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    m = {k: statistics.median(v) for k, v in runs.items()}
    kind = "dense office" if args.dense else "default office"
    print(f"{args.tasks} tasks, {kind}, {plans.stat().st_size:,} bytes, {rows:,} rows; median of {args.runs}")
    print(f"supervise import (new database) : {m['supervise']:6.3f} s")
    print(f"task import (empty TASKDATA)    : {m['task']:6.3f} s   target 0.5x = {0.5 * m['task']:.3f} s")
    print(f"floor: start + tomli parse      : {m['parse']:6.3f} s")
    print(f"floor: bare inserts + commit    : {m['insert']:6.3f} s")
    floor = m["parse"] + m["insert"]
    print(f"floor: parse + inserts          : {floor:6.3f} s = {floor / m['task']:.2f}x task import "
          f"(ours {m['supervise'] / m['task']:.2f}x)")


if __name__ == "__main__":
    main()
