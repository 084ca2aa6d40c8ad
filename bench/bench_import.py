#!/usr/bin/env python3
"""Time `supervise import` as a whole process on a synthetic office.

    python bench/bench_import.py [--tasks 10000] [--runs 3] [--seed 1] [--out-dir bench/out]

Generates plans with bench/gen_office.py, then times, each as its own
`python -m supervise --db DB import FILE` process:

* check      — `supervise check FILE` (parsing and validation only, for scale);
* fresh      — import into a database that does not exist yet;
* unchanged  — re-import the same file into the imported database (must write nothing);
* edit 1%    — re-import after editing 1% of the task titles (must report them as changed).

Each scenario starts from the same state every run; the table shows the median
wall time, the median CPU time (user + system: steadier than wall time on a busy
machine) and the peak resident set size of the process (from the rusage that
wait4 reports for that one child, as resource.getrusage(RUSAGE_CHILDREN) does for all).
Target: the fresh import of 10,000 tasks in under 10 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_SECONDS = 10.0
COUNTS = re.compile(r"(\d+) added, (\d+) changed, (\d+) withdrawn, (\d+) restored")


def run(args: list[str], env: dict) -> tuple[float, float, int, int, str]:
    """Run one process; return (wall s, cpu s, peak RSS bytes, exit status, output)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    # ru_maxrss is in kilobytes on Linux, bytes on macOS
    rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return wall, usage.ru_utime + usage.ru_stime, rss, proc.returncode, text


def edit_titles(text: str, every: int) -> tuple[str, int]:
    """Append ' (修订)' to the title of every `every`-th [[task]]; returns the text and how many changed."""
    lines = text.split("\n")
    table, n, edited = None, 0, 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.split("#")[0].strip()
            if table == "[[task]]":
                n += 1
            continue
        if table == "[[task]]" and n % every == 0 and re.match(r'^title\s*=\s*"', line):
            lines[i] = re.sub(r'"\s*(#.*)?$', ' (修订)"', line, count=1)
            table = None  # one title per task
            edited += 1
    return "\n".join(lines), edited


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median reported); 3-5")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out-dir", type=Path, default=HERE / "out")
    args = parser.parse_args()

    out = args.out_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    plans = out / f"office-{args.tasks}.toml"
    edited = out / f"office-{args.tasks}-edited.toml"
    env = dict(os.environ, SUPERVISE_TODAY="2021-10-31", SUPERVISE_LANG="en",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    env.pop("SUPERVISE_DB", None)
    env.pop("SUPERVISE_PLANS", None)

    if not plans.exists():
        subprocess.run([sys.executable, str(HERE / "gen_office.py"), "--tasks", str(args.tasks), "--seed",
                        str(args.seed), "--out", str(plans), "--quiet"], check=True)
    text = plans.read_text(encoding="utf-8")
    changed_text, n_edited = edit_titles(text, 100)
    edited.write_text(changed_text, encoding="utf-8")
    print(f"{plans.name}: {plans.stat().st_size / 1e6:.1f} MB, {args.tasks} tasks; "
          f"{n_edited} titles edited in {edited.name}", flush=True)

    supervise = [sys.executable, "-m", "supervise"]
    work = out / "db"
    base = out / "base.db"  # the state after a fresh import, copied before each re-import

    def fresh_db() -> Path:
        shutil.rmtree(work, ignore_errors=True)
        return work / "supervise.db"

    def imported_db() -> Path:
        db = fresh_db()
        db.parent.mkdir(parents=True)
        shutil.copy(base, db)
        return db

    scenarios = [
        ("check", lambda: None, lambda db: [*supervise, "check", str(plans)], None),
        ("fresh import", fresh_db, lambda db: [*supervise, "--db", str(db), "import", str(plans)], "added"),
        ("re-import unchanged", imported_db, lambda db: [*supervise, "--db", str(db), "import", str(plans)], (0, 0, 0, 0)),
        ("re-import 1% edited", imported_db, lambda db: [*supervise, "--db", str(db), "import", str(edited)],
         (0, n_edited, 0, 0)),
    ]

    # the base state for the re-imports
    db = fresh_db()
    wall, _, _, status, output = run([*supervise, "--db", str(db), "import", str(plans)], env)
    if status != 0:
        print(output, file=sys.stderr)
        return 1
    shutil.copy(db, base)

    rows = []
    for name, prepare, command, expect in scenarios:
        walls, cpus, rsss = [], [], []
        for _ in range(args.runs):
            db = prepare()
            wall, cpu, rss, status, output = run(command(db), env)
            if status != 0:
                print(f"{name}: exit {status}\n{output}", file=sys.stderr)
                return 1
            found = COUNTS.search(output)
            if expect == "added":
                assert found and int(found.group(1)) > args.tasks and found.group(2, 3, 4) == ("0", "0", "0"), output
            elif expect is not None:
                assert found and tuple(int(x) for x in found.groups()) == expect, (name, output)
            walls.append(wall)
            cpus.append(cpu)
            rsss.append(rss)
        rows.append((name, statistics.median(walls), min(walls), max(walls), statistics.median(cpus), max(rsss)))
        print(f"  {name}: {', '.join(f'{w:.2f}' for w in walls)} s", flush=True)

    print()
    print(f"supervise import, {args.tasks} tasks, median of {args.runs} runs (Python {sys.version.split()[0]})")
    head = f"{'scenario':<22} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'peak RSS MB':>12}"
    print(head)
    print("-" * len(head))
    for name, median, low, high, cpu, rss in rows:
        print(f"{name:<22} {median:>9.2f} {low:>7.2f} {high:>7.2f} {cpu:>7.2f} {rss / 2**20:>12.1f}")
    fresh = next(r for r in rows if r[0] == "fresh import")
    verdict = "OK" if fresh[1] < TARGET_SECONDS else "SLOW"
    print(f"\nfresh import median {fresh[1]:.2f} s against a target of {TARGET_SECONDS:.0f} s: {verdict}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
