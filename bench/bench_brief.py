"""Benchmark: `supervise brief` on a large synthetic office, timed as a whole process.

    python bench/bench_brief.py                       # 10 000 tasks, seed 1, median of 5 runs
    python bench/bench_brief.py --db /tmp/bench.db    # keep the database: later runs skip the setup

Setup (not timed): bench/gen_office.py writes the plans and a progress list, `supervise import`
loads the plans into a fresh database, and the progress is replayed through the Store API
(tick / record / add_note on their own dates; actions the store refuses are skipped). Then
`supervise --db X brief --as-of 2023-06-30 --out -` runs `--runs` times; the median wall time
is reported (with the CPU time of the child, which a busy machine disturbs less). The target
is under 3 s; `--fail-over S` makes the exit status 1 when the median is over S seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def command() -> list[str]:
    exe = shutil.which("supervise")
    return [exe] if exe else [sys.executable, "-c", "from supervise.cli import main; main()"]


def build(db: Path, work: Path, tasks: int, seed: int) -> None:
    office, progress = work / "office.toml", work / "progress.json"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "gen_office.py"), "--tasks", str(tasks), "--seed", str(seed),
                    "--out", str(office), "--progress-out", str(progress)], check=True)
    subprocess.run([*command(), "--db", str(db), "import", str(office)], check=True, stdout=subprocess.DEVNULL)
    print(f"imported {office} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    t0 = time.perf_counter()
    done, skipped = replay(db, json.loads(progress.read_text(encoding="utf-8")))
    print(f"replayed {done} actions ({skipped} skipped) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def replay(db: Path, actions: list[dict]) -> tuple[int, int]:
    from supervise.errors import SuperviseError
    from supervise.db.store import Store

    done = skipped = 0
    with Store.open(db) as store:
        for a in actions:
            on = date.fromisoformat(a["on"])
            try:
                if a["kind"] == "tick":
                    store.tick(a["task"], a.get("milestone"), on)
                elif a["kind"] == "record":
                    store.record(a["task"], a["indicator"], float(a["value"]), on)
                elif a["kind"] == "note":
                    store.add_note(a["task"], a["text"], on)
                else:
                    skipped += 1
                    continue
                done += 1
            except SuperviseError:
                skipped += 1
    return done, skipped


def time_brief(db: Path, as_of: str, runs: int) -> tuple[list[float], list[float], int]:
    walls, cpus, size = [], [], 0
    env = {**os.environ, "SUPERVISE_LANG": "zh"}
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run([*command(), "--db", str(db), "brief", "--as-of", as_of, "--out", "-"],
                             check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        size = len(out.stdout)
    return walls, cpus, size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2023-06-30")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db", type=Path, help="database to use; built here first if it does not exist (kept)")
    ap.add_argument("--fail-over", type=float, help="exit 1 if the median wall time exceeds this many seconds")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-brief-") as tmp:
        work = Path(tmp)
        db = args.db or work / "bench.db"
        if not db.exists():
            build(db, work, args.tasks, args.seed)
        walls, cpus, size = time_brief(db, args.as_of, args.runs)
    median = statistics.median(walls)
    print(f"supervise brief --as-of {args.as_of}: {args.tasks} tasks, {size:,} bytes of Markdown")
    print(f"  wall: median {median:.2f} s over {len(walls)} runs ({', '.join(f'{w:.2f}' for w in walls)})")
    print(f"  cpu:  median {statistics.median(cpus):.2f} s (user + system of the process)")
    print(f"  target < 3 s: {'met' if median < 3 else 'NOT met'}")
    return 1 if args.fail_over is not None and median > args.fail_over else 0


if __name__ == "__main__":
    sys.exit(main())
