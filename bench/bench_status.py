#!/usr/bin/env python3
"""How long does `supervise status --format json` take on a big office, next to Taskwarrior's `task export`?

    python bench/bench_status.py [--tasks 10000] [--seed 1] [--runs 5] [--as-of 2023-06-30] [--workdir DIR] [--dense]

1. bench/gen_office.py writes a synthetic office (plans.toml) and its progress (JSON);
2. the plans are imported into a temporary database and the progress replayed through the
   Store API (actions the store refuses are skipped and counted);
3. `supervise --db X status --format json --as-of D > /dev/null` is timed as a whole
   process, median of --runs (after one warm-up run);
4. the same information is imported into a temporary Taskwarrior database (run_all's
   write_taskwarrior_json, --tw-model: "same", the default, every live task, milestone and
   indicator a task of its own; "flat", the tasks only; "depends", tasks depending on their
   items) and `task export > /dev/null` is timed the same way;
5. both medians are printed with their ratio (issue 18's target: at most 0.6x `task export`),
   as wall-clock seconds and as CPU seconds (user + system of the child process, which
   a busy machine disturbs less).

--dense generates issue 18's second office instead (gen_office.py --dense: every task exactly
five milestones and one indicator), kept in DIR/dense/ so that a --workdir holds both offices.

--db FILE measures an existing database (copied first: the copy is what is read) instead of
generating one.

Runs of the two programs are interleaved so that a burst of load elsewhere hits both.
Standard library plus supervise itself; Taskwarrior is skipped (with a note) if `task`
is not installed.
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
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))  # run_all's Taskwarrior model


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def supervise_command() -> list[str]:
    """The installed console script beside this Python (not a pyenv shim), else `python -m supervise`."""
    script = Path(sys.executable).parent / "supervise"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "supervise"]


def generate(work: Path, tasks: int, seed: int, dense: bool = False) -> tuple[Path, Path]:
    plans, progress = work / "office.toml", work / "progress.json"
    if not (plans.exists() and progress.exists()):
        subprocess.run([sys.executable, str(HERE / "gen_office.py"), "--tasks", str(tasks), "--seed", str(seed),
                        "--out", str(plans), "--progress-out", str(progress), *(["--dense"] if dense else [])],
                       check=True, stdout=subprocess.DEVNULL)
    return plans, progress


def build_database(work: Path, plans: Path, progress: Path) -> Path:
    from supervise.planfile.loader import load_plan_file
    from supervise.db.store import Store

    db = work / "office.db"
    if db.exists():
        return db
    partial = work / "office.db.partial"
    for leftover in work.glob("office.db.partial*"):
        leftover.unlink()
    started = time.perf_counter()
    planset = load_plan_file(plans)
    log(f"  plans read in {time.perf_counter() - started:.1f} s")
    with Store.open(partial) as store:
        started = time.perf_counter()
        store.import_plans(planset, date(2020, 1, 1), source=str(plans))
        log(f"  imported in {time.perf_counter() - started:.1f} s")
    # the progress goes through the store exactly as bench_brief replays it
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_brief import replay

    started = time.perf_counter()
    done, skipped = replay(partial, json.loads(progress.read_text(encoding="utf-8")))
    log(f"  replayed {done} actions ({skipped} skipped) in {time.perf_counter() - started:.1f} s")
    os.replace(partial, db)
    return db


def build_taskwarrior(work: Path, db: Path, model: str = "same") -> dict | None:
    """A Taskwarrior database holding the same information (run_all.write_taskwarrior_json's `model`);
    returns the environment that points `task` at it."""
    if shutil.which("task") is None:
        return None
    data = work / f"taskdata-{model}"
    rc = work / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nhooks=off\nverbose=nothing\njson.array=on\n"
                  "gc=on\n", encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    if (data / "pending.data").exists():
        return env
    data.mkdir(parents=True, exist_ok=True)
    from run_all import write_taskwarrior_json

    source = work / f"taskwarrior-import-{model}.json"
    count = write_taskwarrior_json(db, source, model)
    started = time.perf_counter()
    subprocess.run(["task", "rc.confirmation=off", "rc.hooks=off", "import", str(source)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log(f"  Taskwarrior import of {count} tasks ({model} model) in {time.perf_counter() - started:.1f} s")
    return env


# The queries Store._snapshot runs for a whole office, rows fetched and thrown away: what Python
# and sqlite3 cost before a single status is worked out or a byte of JSON written. With "write"
# also what the spec asks of every command before it reads (SQLite's own check) and writing the
# rows read as JSON (json.dumps in C, ensure_ascii off as ours): the least any program that reads
# these rows and writes them out as JSON pays, with no rule applied and no object of its own made.
FLOOR_SCRIPT = """
import sqlite3, sys
write = sys.argv[2] == "write"
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
if write:
    conn.execute("PRAGMA quick_check").fetchall()
conn.execute("BEGIN")
got = []
for sql in (
    "SELECT id, title, doc_number, issued_by, issued_on, starts_on, ends_on, withdrawn_on FROM plans ORDER BY position, id",
    "SELECT id, name FROM units",
    "SELECT task_id, role, position, unit_id FROM task_units",
    "SELECT task_id, milestone_id, title, due_on, done_on, withdrawn_on FROM milestones ORDER BY task_id, position",
    "SELECT indicator_id, on_date, value FROM checkpoints ORDER BY indicator_id, on_date",
    "SELECT indicator_id, measured_on, value, note FROM indicator_values ORDER BY indicator_id, measured_on, id",
    "SELECT id, task_id, indicator_id, name, unit, baseline, target, direction, due_on, withdrawn_on FROM indicators "
    "ORDER BY task_id, position",
    "SELECT id, task_id, written_on, text FROM notes ORDER BY task_id, written_on, id",
    "SELECT id, task_id, rag, reason, starts_on, until_on, cleared_on FROM overrides ORDER BY task_id, starts_on, id",
    "SELECT id, title FROM sections",
    "SELECT plan_id, position, id, task_id, title, detail, section_id, starts_on, due_on, tags, done_on, withdrawn_on "
    "FROM tasks",
):
    got.append(conn.execute(sql).fetchall())
if write:
    import json
    sys.stdout.write(json.dumps(got, ensure_ascii=False))
"""


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of cmd with its output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--as-of", default="2023-06-30")
    ap.add_argument("--workdir", help="Keep the generated files here and reuse them on the next run.")
    ap.add_argument("--db", help="Measure this database (a copy of it) instead of generating an office.")
    ap.add_argument("--tw-model", default="same", choices=("same", "flat", "depends"),
                    help="What Taskwarrior holds: the same information (default), the tasks only, or tasks "
                         "depending on their milestones and indicators.")
    ap.add_argument("--dense", action="store_true",
                    help="Every task exactly five milestones and one indicator (gen_office.py --dense), in DIR/dense/.")
    ap.add_argument("--floors", action="store_true",
                    help="Also time three floors under any Python program of this kind: the interpreter starting; "
                         "starting + reading the rows `status` reads (the same queries, nothing computed or written); "
                         "and that + SQLite's quick_check + writing the rows read as JSON.")
    args = ap.parse_args()

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="supervise-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log(f"work folder: {work}")
    try:
        run(args, work)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    import compileall  # the .pyc files pip writes for a regular install (run_all.compile_bytecode says why)

    compileall.compile_dir(str(REPO / "supervise"), quiet=1)
    if args.db:
        db = work / "office.db"
        if not db.exists():
            shutil.copyfile(args.db, db)
    else:
        if args.dense:  # its own folder: a --workdir keeps the default office and the dense one apart
            work = work / "dense"
            work.mkdir(exist_ok=True)
        plans, progress = generate(work, args.tasks, args.seed, args.dense)
        db = build_database(work, plans, progress)
    tw_env = build_taskwarrior(work, db, args.tw_model)

    ours_cmd = [*supervise_command(), "--db", str(db), "status", "--format", "json", "--as-of", args.as_of]
    ours_env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERVISE_")}
    runs: dict[str, list[tuple[float, float]]] = {"supervise": [], "task": [], "start": [], "read": [], "write": []}
    floors = {"start": [sys.executable, "-c", "pass"], "read": [sys.executable, "-c", FLOOR_SCRIPT, str(db), "read"],
              "write": [sys.executable, "-c", FLOOR_SCRIPT, str(db), "write"]}
    timed(ours_cmd, ours_env)  # warm-up: byte-code compiled, file pages cached
    if tw_env:
        timed(["task", "export"], tw_env)
    for _ in range(args.runs):
        runs["supervise"].append(timed(ours_cmd, ours_env))
        if tw_env:
            runs["task"].append(timed(["task", "export"], tw_env))
        if args.floors:
            for name, cmd in floors.items():
                runs[name].append(timed(cmd, ours_env))

    def medians(name: str) -> tuple[float, float]:
        return statistics.median(w for w, _ in runs[name]), statistics.median(c for _, c in runs[name])

    ours_wall, ours_cpu = medians("supervise")
    office = " (dense office: five milestones and one indicator each)" if args.dense and not args.db else ""
    print(f"tasks: {args.tasks} (seed {args.seed}){office}, as of {args.as_of}, median of {args.runs}")
    print(f"supervise status --format json : {ours_wall:6.3f} s wall, {ours_cpu:6.3f} s CPU   ({' '.join(ours_cmd[:1])})")
    if args.floors:
        for name, label in (("start", "floor: python -c pass          "), ("read", "floor: start + read the rows   "),
                            ("write", "floor: + quick_check + JSON    ")):
            wall, cpu = medians(name)
            print(f"{label}: {wall:6.3f} s wall, {cpu:6.3f} s CPU")
    if not tw_env:
        print("task export                    : skipped (Taskwarrior is not installed: apt-get install taskwarrior)")
        return
    version = subprocess.run(["task", "--version"], capture_output=True, text=True, env=tw_env).stdout.strip()
    tw_wall, tw_cpu = medians("task")
    print(f"task export (Taskwarrior {version:6}, {args.tw_model} model): {tw_wall:6.3f} s wall, {tw_cpu:6.3f} s CPU")
    print(f"ratio supervise / task         : {ours_wall / tw_wall:6.2f} wall, {ours_cpu / tw_cpu:6.2f} CPU "
          f"({'within' if ours_wall <= 0.6 * tw_wall else 'over'} target of 0.6)")
    print(f"load average (1 min)           : {os.getloadavg()[0]:.2f} (a shared machine: the ratio is the figure)")


if __name__ == "__main__":
    main()
