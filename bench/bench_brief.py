"""Benchmark: `supervise brief` on a large synthetic office, timed as a whole process.

    python bench/bench_brief.py                       # 10 000 tasks, seed 1, median of 5 runs
    python bench/bench_brief.py --db /tmp/bench.db    # keep the database: later runs skip the setup

Setup (not timed): bench/gen_office.py writes the plans and a progress list, `supervise import`
loads the plans into a fresh database, and the progress is replayed through the Store API
(tick / record / add_note on their own dates; actions the store refuses are skipped). Then
`supervise --db X brief --as-of 2023-06-30 --out -` (Markdown) and `... --format docx --out F.docx`
(Word) and `... export ledger --as-of 2023-06-30 --out F.xlsx` (the Excel ledger, same office)
each run `--runs` times; the median wall time is reported with the CPU time and the peak RSS of
the process (which a busy machine disturbs less). Targets: Markdown under 3 s; Word and the
ledger under 10 s and 300 MB. `--format md|docx|ledger|both|all` picks the cases (both: md and
docx); `--fail-over S` makes the exit status 1 when a median is over S seconds.
"""

from __future__ import annotations

import argparse
import json
import os
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


def time_brief(db: Path, as_of: str, runs: int, fmt: str = "md") -> tuple[list[float], list[float], int, int]:
    """(wall times, cpu times, bytes written, peak RSS in bytes) of `runs` runs of one format."""
    walls, cpus, size, peak = [], [], 0, 0
    env = {**os.environ, "SUPERVISE_LANG": "zh"}
    with tempfile.TemporaryDirectory(prefix="bench-brief-out-") as tmp:
        out = Path(tmp) / ("ledger.xlsx" if fmt == "ledger" else "brief.docx")
        args = {"md": ["brief", "--as-of", as_of, "--out", "-"],
                "docx": ["brief", "--as-of", as_of, "--format", "docx", "--out", str(out)],
                "ledger": ["export", "ledger", "--as-of", as_of, "--out", str(out)]}[fmt]
        for _ in range(runs):
            t0 = time.perf_counter()
            proc = subprocess.Popen([*command(), "--db", str(db), *args],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            stdout = b"".join(iter(lambda: proc.stdout.read(1 << 16), b""))
            _, status, usage = os.wait4(proc.pid, 0)  # this process's own rusage: its CPU time and peak RSS
            proc.returncode = os.waitstatus_to_exitcode(status)
            walls.append(time.perf_counter() - t0)
            if proc.returncode:
                raise SystemExit(f"{args[0]} failed: {proc.stderr.read().decode(errors='replace')}")
            cpus.append(usage.ru_utime + usage.ru_stime)
            peak = max(peak, usage.ru_maxrss * 1024)  # kilobytes on Linux
            size = len(stdout) if fmt == "md" else out.stat().st_size
    return walls, cpus, size, peak


TARGETS = {"md": (3.0, None), "docx": (10.0, 300), "ledger": (10.0, 300)}  # seconds, MB
CASES = {"both": ["md", "docx"], "all": ["md", "docx", "ledger"]}
WHAT = {"md": ("brief --format md", "Markdown"), "docx": ("brief --format docx", "Word (.docx)"),
        "ledger": ("export ledger", "Excel (.xlsx)")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2023-06-30")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--format", dest="fmt", choices=["md", "docx", "ledger", "both", "all"], default="both")
    ap.add_argument("--db", type=Path, help="database to use; built here first if it does not exist (kept)")
    ap.add_argument("--fail-over", type=float, help="exit 1 if a median wall time exceeds this many seconds")
    args = ap.parse_args(argv)

    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-brief-") as tmp:
        work = Path(tmp)
        db = args.db or work / "bench.db"
        if not db.exists():
            build(db, work, args.tasks, args.seed)
        for fmt in CASES.get(args.fmt, [args.fmt]):
            walls, cpus, size, peak = time_brief(db, args.as_of, args.runs, fmt)
            median = statistics.median(walls)
            seconds, megabytes = TARGETS[fmt]
            met = median < seconds and (megabytes is None or peak < megabytes * 2**20)
            cmd, what = WHAT[fmt]
            print(f"supervise {cmd} --as-of {args.as_of}: {args.tasks} tasks, {size:,} bytes of {what}")
            print(f"  wall: median {median:.2f} s over {len(walls)} runs ({', '.join(f'{w:.2f}' for w in walls)})")
            print(f"  cpu:  median {statistics.median(cpus):.2f} s (user + system of the process)")
            print(f"  peak RSS: {peak / 2**20:.0f} MB")
            target = f"< {seconds:g} s" + (f" and < {megabytes} MB" if megabytes else "")
            print(f"  target {target}: {'met' if met else 'NOT met'}")
            failed |= args.fail_over is not None and median > args.fail_over
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
