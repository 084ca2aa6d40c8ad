#!/usr/bin/env python3
"""Where the time of `supervise status --format json` goes, phase by phase, in one process.

    python bench/bench_phases.py --db FILE [--as-of 2023-06-30] [--lang zh] [--runs 3]

Each run is a fresh process (so that imports are counted as a user pays them) that makes the
calls the command makes, with the collector paused as the command pauses it, and times each
phase with perf_counter: importing the CLI, opening the database (SQLite's quick_check
included), reading the snapshot (the damage check included), working out every status, and
writing the JSON to /dev/null. The medians of --runs are printed in milliseconds. Python's own
start (before the first import) is not included: `python -c pass` measures it.

The databases of run_all.py's cache serve: bench/out/cache/office-10000-seed1-2023-06-30/replayed.db
(and the `-dense` one beside it). Standard library plus supervise.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import supervise.cli  # noqa: F401  (what the console script imports)
t1 = time.perf_counter()
from datetime import date
from supervise.collector import paused
from supervise.db.store import Store
from supervise.formats import status_json_chunks
from supervise.views import statuses
t2 = time.perf_counter()
with paused():
    store = Store.open(sys.argv[1], timeout=5, create=False)
    t3 = time.perf_counter()
    snap = store.snapshot()
    t4 = time.perf_counter()
    view = statuses(snap, date.fromisoformat(sys.argv[2]))
    t5 = time.perf_counter()
    with open("/dev/null", "w", encoding="utf-8") as out:
        for chunk in status_json_chunks(view, sys.argv[3]):
            out.write(chunk)
    t6 = time.perf_counter()
print(json.dumps({"imports": t2 - t0, "open": t3 - t2, "snapshot": t4 - t3, "statuses": t5 - t4,
                  "json": t6 - t5, "total": t6 - t0}))
"""

PHASES = ("imports", "open", "snapshot", "statuses", "json", "total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", default="2023-06-30")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, "-c", CHILD, args.db, args.as_of, args.lang],
                              check=True, capture_output=True, text=True)
        runs.append(json.loads(done.stdout))
    print(" ".join(f"{p} {1000 * statistics.median(r[p] for r in runs):.0f}" for p in PHASES), "(ms, median of",
          args.runs, "runs)")


if __name__ == "__main__":
    main()
