#!/usr/bin/env python3
"""How long the screen stalls while the board ticks a milestone at 10,000 tasks (#18: UI writes in workers).

    python bench/bench_ui_write.py [--tasks 10000] [--seed 1] [--db FILE] [--lock SECONDS] [--runs 5]

The database is made as bench_ui.py makes it, then copied (ticks change it) so that every run
starts alike. The real App is driven through Textual's pilot: for each run a task with an open
milestone is selected, the statuses are left to finish computing, and `space` is sent as the
terminal driver sends it. Two figures per run:

* answered: from the key until the board holds the store's new data;
* worst stall: the longest the UI's event loop went without running (a 5 ms ticker measures
  it), from the key until shortly after the answer: what a clerk feels as a frozen screen.

With `--lock S` another connection holds the database's write lock (BEGIN IMMEDIATE) for S
seconds from the key, as a second terminal's import would: the write waits S seconds; the
screen should not. With `--back-to-back` each tick follows the previous one's answer after
0.2 s, while the statuses it changed are still being recomputed in the background.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ui import ROOT, ensure_db  # noqa: E402

AS_OF = date(2022, 6, 30)


async def measure(db: Path, runs: int, lock: float, settle: bool = True) -> list[tuple[float, float]]:
    from textual import events

    from supervise.tui.app import make_app

    app = make_app(str(db), "plans.toml", AS_OF, lang="zh", today=AS_OF)
    out = []
    async with app.run_test(size=(120, 36)) as pilot:
        live = [s for s in app.data.live() if any(m.milestone.done_on is None for m in s.milestones)]
        for i in range(runs):
            while settle and not app.data.ready:  # the statuses of the previous write: not part of this one
                await asyncio.sleep(0.01)
            assert app.board.table.select_key(live[i * 37].key)
            await pilot.pause(0.2)
            worst, stop = 0.0, False

            async def ticker() -> None:
                nonlocal worst
                while not stop:
                    t0 = time.perf_counter()
                    await asyncio.sleep(0.005)
                    worst = max(worst, time.perf_counter() - t0 - 0.005)

            watching = asyncio.create_task(ticker())
            await asyncio.sleep(0.02)
            if lock:
                other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
                other.execute("BEGIN IMMEDIATE")
                threading.Timer(lock, lambda: (other.execute("ROLLBACK"), other.close())).start()
            before = app.data
            t0 = time.perf_counter()
            app._driver.send_message(events.Key("space", " ").set_sender(app))
            while app.data is before:
                await asyncio.sleep(0.001)
            answered = time.perf_counter() - t0
            await asyncio.sleep(0.05)
            stop = True
            await watching
            out.append((answered, worst))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--lock", type=float, default=0.0, help="seconds another connection holds the write lock")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--back-to-back", action="store_true",
                        help="do not wait for the previous write's statuses (recomputed in the background) first")
    args = parser.parse_args()
    db = args.db or ROOT / "bench" / "out" / f"office-{args.tasks}-{args.seed}.db"
    ensure_db(args.tasks, args.seed, db)
    work = db.with_name(db.stem + "-write.db")
    shutil.copy(db, work)
    results = asyncio.run(measure(work, args.runs, args.lock, settle=not args.back_to_back))
    for answered, worst in results:
        print(f"answered in {answered * 1000:7.1f} ms, worst stall of the screen {worst * 1000:7.1f} ms")
    print(f"median: answered {statistics.median(a for a, _ in results) * 1000:.0f} ms, "
          f"stall {statistics.median(w for _, w in results) * 1000:.0f} ms"
          + (f"  (write lock held {args.lock:g} s by another connection)" if args.lock else ""))


if __name__ == "__main__":
    main()
