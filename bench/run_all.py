#!/usr/bin/env python3
"""The whole product on a synthetic office, side by side with Taskwarrior 2.6.

    python bench/run_all.py                                  # 1,000 / 10,000 / 50,000 tasks, 5 runs each
    python bench/run_all.py --quick                          # 1,000 and 10,000 tasks, 3 runs
    python bench/run_all.py --sizes 10000 --runs 5 --only status-json,ui
    python bench/run_all.py --sizes 10000 --runs 3 --dense --only import,status-json   # the dense office
    python bench/run_all.py --runs 5,5,3                     # runs per size, in --sizes order
    python bench/run_all.py --profile                        # then profile every target missed
    python bench/run_all.py --profile-from bench/out/results.json   # profile an earlier run's misses only
    python bench/run_all.py --update-readme                  # and put the table into README.md and bench/README.md
    python bench/run_all.py --report-from bench/out/results.json [--update-readme]   # re-render an earlier run

For each size, once and cached under bench/out/cache/ (keyed by size, seed, as-of date and, with
--dense, "-dense": both offices are kept side by side; rebuilt when gen_office.py or the schema
changes): bench/gen_office.py writes the office and
its progress (up to the as-of date), `supervise import` loads it, the progress is replayed
through the Store API (tick / record / add_note on their own dates; refused actions skipped;
bench_brief.replay), and Taskwarrior gets the same live tasks (description = title,
project = plan id, due, tags, and a uuid derived from the task id) through `task import`.

Then every measurement is a whole process, started fresh each run, as a user would start it:
wall time from bench_import.run, CPU time (user + system) and peak RSS from GNU time, which
forks the command itself (see run_measured: a child of this process would inherit its
high-water RSS). Runs of supervise and of its Taskwarrior equivalent
are interleaved, so a burst of load elsewhere hits both; the ratios measured in one run are
the figures that count (the machine is shared: the load average is recorded beside them).

  import          supervise import FILE into a new database     | task import JSON into an empty TASKDATA
  re-import       the same FILE into the replayed database      | the same JSON into the imported TASKDATA
  status json     supervise status --format json --as-of D      | task export
  status table    supervise status --as-of D                    | task list
  brief           supervise brief --as-of D --out -             | task summary (per project: the nearest)
  export ledger   supervise export ledger --as-of D --out X     | (none)
  UI first paint  process start until the board's task table has rendered rows, through
                  Textual's pilot (make_app(db, plans, as_of, lang="zh", today=as_of), 120x36);
                  "every status known" is when counts, filters and search are ready
  UI search key   `/`, then a fragment of a title typed one key at a time and erased again; each
                  key is timed until the table has repainted (every keystroke of every run:
                  median, min, max)

--dense measures issue 18's second office instead of the default one: gen_office.py --dense, every
task exactly five milestones and one indicator (70,000 Taskwarrior tasks at 10,000 tasks in the
"same" model).

Targets (issue 18), at 10,000 tasks, Taskwarrior holding the same information (every task,
milestone and indicator a task of its own: --tw-model same, the default): status --format json at
most 0.6x `task export`, import at most 0.5x `task import`; UI first paint under 0.5 s; search
keystroke under 100 ms; at 50,000 tasks: peak RSS under 300 MB for the
day-to-day commands (status, brief, UI). With --profile, each target missed is profiled
in-process on the same database (cProfile for time, tracemalloc for memory, import's memory
too when it is over 300 MB) into bench/out/profile-*.txt, summarised in the results.

Writes the Markdown table to standard output and to --out (default bench/out/results.md), the
raw figures beside it (results.json). Standard library plus supervise (and Textual for the UI).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for p in (str(REPO), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from bench_import import run as run_process  # noqa: E402  (wall s, cpu s, peak RSS bytes, status, output)

TASK = shutil.which("task") or "/usr/bin/task"
MB = 2**20
RSS_LIMIT_MB = 300
DEFAULT_SIZES = (1000, 10000, 50000)
UI_SIZE = (120, 36)
MEASUREMENTS = ("import", "reimport", "status-json", "status-table", "brief", "ledger", "ui")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def supervise_command() -> list[str]:
    """The console script beside this Python (what `pip install` puts on PATH, not a pyenv shim)."""
    script = Path(sys.executable).parent / "supervise"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "supervise"]


def compile_bytecode() -> None:
    """Write supervise's .pyc files first, as `pip install` does for a regular install.

    An editable install writes them on first use, unless PYTHONDONTWRITEBYTECODE is set (it is
    on the project's machine): then every measured process compiled the whole package again,
    about 35 ms of each start that no user's installed copy pays.
    """
    import compileall

    compileall.compile_dir(str(REPO / "supervise"), quiet=1)


def digest(*paths: Path) -> str:
    h = hashlib.sha1()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


# --------------------------------------------------------------------------------------------
# The cached office: plans, progress, imported and replayed databases, Taskwarrior's copy
# --------------------------------------------------------------------------------------------

@dataclass
class Office:
    size: int
    seed: int
    as_of: str
    dir: Path
    tw_model: str = "same"  # how Taskwarrior holds the office: TW_MODELS
    dense: bool = False  # gen_office.py --dense: five milestones and one indicator on every task

    @property
    def plans(self) -> Path:
        return self.dir / "office.toml"

    @property
    def progress(self) -> Path:
        return self.dir / "progress.json"

    @property
    def imported(self) -> Path:
        return self.dir / "imported.db"

    @property
    def replayed(self) -> Path:
        return self.dir / "replayed.db"

    @property
    def tw_json(self) -> Path:
        return self.dir / f"taskwarrior-{self.tw_model}.json"

    @property
    def tw_data(self) -> Path:
        return self.dir / f"taskdata-{self.tw_model}"


def sv_env(as_of: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERVISE_")}
    env.update(SUPERVISE_LANG="zh", SUPERVISE_TODAY=as_of)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return env


def tw_env(data: Path, rc_dir: Path) -> dict:
    rc = rc_dir / f"taskrc-{data.name}"
    rc.write_text(f"data.location={data}\nconfirmation=off\nhooks=off\nverbose=nothing\ngc=off\n"
                  "json.array=on\nrecurrence=off\nnews.version=2.6.0\n", encoding="utf-8")
    return {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}


def office_dir(cache: Path, size: int, seed: int, as_of: str, dense: bool = False) -> Path:
    """The cache folder of one office: the dense one beside the default one, never in its place."""
    return cache / f"office-{size}-seed{seed}-{as_of}{'-dense' if dense else ''}"


def prepare_office(size: int, seed: int, as_of: str, cache: Path, with_tw: bool, tw_model: str = "same",
                   dense: bool = False) -> Office:
    """Generate, import, replay (each step only if its cached result is missing or stale)."""
    office = Office(size, seed, as_of, office_dir(cache, size, seed, as_of, dense), tw_model, dense)
    office.dir.mkdir(parents=True, exist_ok=True)
    stamp_file = office.dir / "stamp.json"
    stamp = json.loads(stamp_file.read_text()) if stamp_file.exists() else {}
    want = {"gen": digest(HERE / "gen_office.py"),
            "schema": digest(REPO / "supervise" / "db" / "schema.py")}
    if stamp.get("gen") != want["gen"]:
        for p in office.dir.iterdir():
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    elif stamp.get("schema") != want["schema"]:
        for p in (office.imported, office.replayed):
            for q in p.parent.glob(p.name + "*"):
                q.unlink()

    if not (office.plans.exists() and office.progress.exists()):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "gen_office.py"), "--tasks", str(size), "--seed", str(seed),
                        "--out", str(office.plans), "--progress-out", str(office.progress), "--as-of", as_of,
                        "--quiet", *(["--dense"] if dense else [])], check=True)
        log(f"  generated {office.plans.name} ({office.plans.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - t0:.1f} s")
    if not office.imported.exists():
        partial = office.dir / "imported.partial.db"
        for q in office.dir.glob("imported.partial.db*"):
            q.unlink()
        wall, _, rss, status, out = run_measured(
            [*supervise_command(), "--db", str(partial), "import", str(office.plans)], sv_env(as_of))
        if status != 0:
            raise SystemExit(f"setup import failed ({status}):\n{out}")
        os.replace(partial, office.imported)
        shutil.rmtree(office.dir / "backups", ignore_errors=True)
        log(f"  imported in {wall:.1f} s ({rss / MB:.0f} MB)")
    if not office.replayed.exists():
        from bench_brief import replay

        partial = office.dir / "replayed.partial.db"
        for q in office.dir.glob("replayed.partial.db*"):
            q.unlink()
        shutil.copy(office.imported, partial)
        t0 = time.perf_counter()
        done, skipped = replay(partial, json.loads(office.progress.read_text(encoding="utf-8")))
        os.replace(partial, office.replayed)
        log(f"  replayed {done} progress actions ({skipped} skipped) in {time.perf_counter() - t0:.1f} s")
        for q in office.dir.glob("taskwarrior-*.json"):
            q.unlink(missing_ok=True)
        for q in office.dir.glob("taskdata-*"):
            shutil.rmtree(q, ignore_errors=True)
    if with_tw:
        if not office.tw_json.exists():
            n = write_taskwarrior_json(office.replayed, office.tw_json, office.tw_model)
            log(f"  {n} Taskwarrior tasks written ({office.tw_model} model)")
        if not (office.tw_data / "pending.data").exists():
            partial = office.dir / "taskdata.partial"
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            wall, _, _, status, out = run_process([TASK, "import", str(office.tw_json)], tw_env(partial, office.dir))
            if status != 0:
                raise SystemExit(f"setup task import failed ({status}):\n{out[-2000:]}")
            shutil.rmtree(office.tw_data, ignore_errors=True)
            os.replace(partial, office.tw_data)
            log(f"  Taskwarrior import in {wall:.1f} s")
    stamp_file.write_text(json.dumps(want))
    return office


TW_MODELS = ("same", "flat", "depends")


def write_taskwarrior_json(db: Path, out: Path, model: str = "same") -> int:
    """The office as a `task import` JSON array, in one of three models (TW_MODELS):

    - "same" (the default, issue 18): the same information as supervise holds — every live task,
      and every live milestone and indicator as a task of its own (project plan.task, its due
      date, done milestones as completed with their end date, an indicator's target, unit and
      latest value in its description), so both programs list the same facts;
    - "flat": the live tasks only (the comparison of earlier sessions: less work for Taskwarrior);
    - "depends": as "same", with each task depending on its milestones and indicators — the
      natural Taskwarrior model, whose urgency computation makes `task export` very slow.
    """
    import sqlite3

    if model not in TW_MODELS:
        raise SystemExit(f"unknown Taskwarrior model {model!r}: one of {', '.join(TW_MODELS)}")
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT id, title, plan_id, due_on, tags FROM tasks WHERE withdrawn_on IS NULL "
                            "ORDER BY plan_id, position").fetchall()
        milestones = conn.execute("SELECT m.id, m.task_id, m.title, m.due_on, m.done_on FROM milestones m "
                                  "JOIN tasks t ON t.id = m.task_id WHERE m.withdrawn_on IS NULL "
                                  "AND t.withdrawn_on IS NULL ORDER BY m.task_id, m.position").fetchall()
        indicators = conn.execute(
            "SELECT i.id, i.task_id, i.name, i.unit, i.target, i.due_on, "
            "(SELECT value FROM indicator_values v WHERE v.indicator_id = i.id ORDER BY measured_on DESC, v.id DESC LIMIT 1) "
            "FROM indicators i JOIN tasks t ON t.id = i.task_id WHERE i.withdrawn_on IS NULL "
            "AND t.withdrawn_on IS NULL ORDER BY i.task_id, i.position").fetchall() if model != "flat" else []
    finally:
        conn.close()

    def uid(key: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"supervise:{key}"))

    def stamp(day: str) -> str:
        return day.replace("-", "") + "T000000Z"

    children: dict[str, list[str]] = {}
    items = []
    if model != "flat":
        for key, task, title, due, done in milestones:
            item = {"uuid": uid(key), "description": title, "project": task.replace("/", "."),
                    "status": "completed" if done else "pending", "entry": "20200101T000000Z", "due": stamp(due)}
            if done:
                item["end"] = stamp(done)
            items.append(item)
            children.setdefault(task, []).append(item["uuid"])
        for key, task, name, unit, target, due, value in indicators:
            item = {"uuid": uid(key), "description": f"{name} {value if value is not None else '-'}/{target}{unit}",
                    "project": task.replace("/", "."), "status": "pending", "entry": "20200101T000000Z",
                    "due": stamp(due)}
            items.append(item)
            children.setdefault(task, []).append(item["uuid"])
    tasks = []
    for key, title, plan, due, tags in rows:
        task = {"uuid": uid(key), "description": title, "project": plan, "status": "pending",
                "entry": "20200101T000000Z", "due": stamp(due)}
        cleaned = [re.sub(r"\s+", "_", t.strip()) for t in json.loads(tags or "[]") if t.strip()]
        if cleaned:
            task["tags"] = cleaned
        if model == "depends" and children.get(key):
            task["depends"] = ",".join(children[key])
        tasks.append(task)
    everything = items + tasks
    out.write_text(json.dumps(everything, ensure_ascii=False), encoding="utf-8")
    return len(everything)


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------

@dataclass
class Sample:
    wall: float
    cpu: float
    rss: int  # bytes


@dataclass
class Row:
    size: int
    name: str
    key: str  # one of MEASUREMENTS (several rows may share one)
    values: list[float]  # seconds: the distribution the median/min/max are taken over
    cpu: list[float]
    rss: list[int]
    load: list[float]
    tw_name: str = ""
    tw_values: list[float] = field(default_factory=list)
    tw_cpu: list[float] = field(default_factory=list)
    tw_rss: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def tw_median(self) -> float | None:
        return statistics.median(self.tw_values) if self.tw_values else None

    @property
    def ratio(self) -> float | None:
        return self.median / self.tw_median if self.tw_values else None

    @property
    def cpu_ratio(self) -> float | None:
        if not (self.tw_cpu and self.cpu):
            return None
        return statistics.median(self.cpu) / max(statistics.median(self.tw_cpu), 1e-9)

    @property
    def peak_mb(self) -> float | None:
        return max(self.rss) / MB if self.rss else None


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
# Fallback when GNU time is missing: a small Python that spawns the command and reports its rusage.
WRAPPER = ("import os, sys\n"
           "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
           "_, status, ru = os.wait4(pid, 0)\n"
           "open(sys.argv[1], 'w').write(f'{ru.ru_utime} {ru.ru_stime} {ru.ru_maxrss}\\n')\n"
           "sys.exit(os.waitstatus_to_exitcode(status))\n")


def run_measured(cmd: list[str], env: dict) -> tuple[float, float, int, int, str]:
    """(wall s, CPU s, peak RSS bytes, exit status, output) of one process.

    The wall time is bench_import.run's; CPU and peak RSS come from GNU time, which forks the
    command itself. Linux carries the parent's high-water RSS into a child across fork + exec,
    so the rusage of a child of this (large) Python process would never be below this
    process's own peak: a small parent is needed for a true per-process figure.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rusage") as f:
        if TIME:
            full = [TIME, "-f", "%U %S %M", "-o", f.name, *cmd]
        else:
            full = [sys.executable, "-S", "-c", WRAPPER, f.name, *cmd]
        wall, _, _, status, out = run_process(full, env)
        f.seek(0)
        last = (f.read().strip().splitlines() or ["0 0 0"])[-1].split()
    try:
        user, system, kb = float(last[0]), float(last[1]), int(last[2])
    except (ValueError, IndexError):
        user = system = 0.0
        kb = 0
    return wall, user + system, kb * 1024, status, out


def measure(cmd: list[str], env: dict, check_output: Callable[[str], None] | None = None) -> Sample:
    wall, cpu, rss, status, out = run_measured(cmd, env)
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {status}:\n{out[-3000:]}")
    if check_output:
        check_output(out)
    return Sample(wall, cpu, rss)


@dataclass
class Pair:
    key: str
    name: str
    sv: Callable[[Path], list[str]]
    sv_prep: Callable[[Path], None] | None = None
    tw_name: str = ""
    tw: Callable[[Path], list[str]] | None = None
    tw_prep: Callable[[Path], Path] | None = None  # returns the TASKDATA to use
    check: Callable[[str], None] | None = None


def pairs(office: Office, work: Path) -> list[Pair]:
    sv = supervise_command()
    d = office.as_of
    ro = work / "ro.db"
    tw_ro = work / "tw-ro"

    def fresh_db(w: Path) -> None:
        for q in w.glob("fresh.db*"):
            q.unlink()
        shutil.rmtree(w / "backups", ignore_errors=True)

    def replayed_copy(w: Path) -> None:
        for q in w.glob("re.db*"):
            q.unlink()
        shutil.copy(office.replayed, w / "re.db")
        shutil.rmtree(w / "backups", ignore_errors=True)

    def tw_empty(w: Path) -> Path:
        data = w / "tw-fresh"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        return data

    def tw_imported(w: Path) -> Path:
        data = w / "tw-re"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(office.tw_data, data)
        return data

    def expect_counts(added: bool) -> Callable[[str], None]:
        def check(out: str) -> None:
            nums = [int(x) for x in re.findall(r"\d+", out.strip().splitlines()[-1])]
            if added:
                assert nums and nums[0] > office.size and nums[1:] == [0, 0, 0], out[-500:]
            else:
                assert nums == [0, 0, 0, 0], out[-500:]
        return check

    def json_tasks(out: str) -> None:
        n = out.count('"key"') or out.count('"id"')
        assert n >= office.size * 0.9, f"status json lists {n} tasks"

    return [
        Pair("import", "import (new db)", lambda w: [*sv, "--db", str(w / "fresh.db"), "import", str(office.plans)],
             fresh_db, "`task import` (empty)", lambda w: [TASK, "import", str(office.tw_json)], tw_empty,
             expect_counts(True)),
        Pair("reimport", "re-import (unchanged)", lambda w: [*sv, "--db", str(w / "re.db"), "import", str(office.plans)],
             replayed_copy, "`task import` (same tasks again)", lambda w: [TASK, "import", str(office.tw_json)],
             tw_imported, expect_counts(False)),
        Pair("status-json", "status --format json", lambda w: [*sv, "--db", str(ro), "status", "--format", "json",
                                                                "--as-of", d],
             None, "`task export`", lambda w: [TASK, "export"], lambda w: tw_ro, json_tasks),
        Pair("status-table", "status (table)", lambda w: [*sv, "--db", str(ro), "status", "--as-of", d],
             None, "`task list`", lambda w: [TASK, "list"], lambda w: tw_ro),
        Pair("brief", "brief", lambda w: [*sv, "--db", str(ro), "brief", "--as-of", d, "--out", "-"],
             None, "`task summary` (≈)", lambda w: [TASK, "summary"], lambda w: tw_ro),
        Pair("ledger", "export ledger", lambda w: [*sv, "--db", str(ro), "export", "ledger", "--as-of", d,
                                                   "--out", str(w / "ledger.xlsx")]),
    ]


def run_pair(p: Pair, office: Office, work: Path, runs: int, with_tw: bool) -> Row:
    env = sv_env(office.as_of)
    row = Row(office.size, p.name, p.key, [], [], [], [])
    use_tw = with_tw and p.tw is not None
    if use_tw:
        row.tw_name = p.tw_name
    for i in range(runs):
        row.load.append(load_average()[0])
        if p.sv_prep:
            p.sv_prep(work)
        s = measure(p.sv(work), env, p.check)
        row.values.append(s.wall)
        row.cpu.append(s.cpu)
        row.rss.append(s.rss)
        if use_tw:
            data = p.tw_prep(work) if p.tw_prep else work / "tw-ro"
            t = measure(p.tw(work), tw_env(data, work))
            row.tw_values.append(t.wall)
            row.tw_cpu.append(t.cpu)
            row.tw_rss.append(t.rss)
        tw = f"  | task {row.tw_values[-1]:.2f} s" if use_tw else ""
        log(f"    {p.name} run {i + 1}/{runs}: {s.wall:.2f} s, {s.rss / MB:.0f} MB{tw}")
    return row


def run_ui(office: Office, work: Path, runs: int) -> list[Row]:
    """Each run a fresh process (this script with --ui-child) driving the app through the pilot."""
    env = sv_env(office.as_of)
    paint = Row(office.size, "UI first paint (from process start)", "ui", [], [], [], [])
    inapp = Row(office.size, "UI first paint (from make_app)", "ui", [], [], [], [])
    ready = Row(office.size, "UI every status known", "ui", [], [], [], [])
    keys = Row(office.size, "UI search keystroke", "ui", [], [], [], [])
    fragments = set()
    for i in range(runs):
        load = load_average()[0]
        spawned = time.time()
        wall, cpu, rss, status, out = run_measured(
            [sys.executable, str(Path(__file__).resolve()), "--ui-child", str(work / "ro.db"), "--as-of",
             office.as_of, "--spawned", repr(spawned)], env)
        found = [line for line in out.splitlines() if line.startswith("{")]
        if status != 0 or not found:
            raise SystemExit(f"UI child exited {status}:\n{out[-3000:]}")
        r = json.loads(found[-1])
        for row, value in ((paint, r["first_paint_process"]), (inapp, r["first_paint_app"]),
                           (ready, r["all_statuses_process"])):
            row.values.append(value)
            row.rss.append(rss)
            row.load.append(load)
        keys.values.extend(r["keystrokes"])
        keys.rss.append(rss)
        keys.load.append(load)
        fragments.add(f"“{r['fragment']}” ({r['matches']} matches)")
        log(f"    UI run {i + 1}/{runs}: first paint {r['first_paint_process']:.2f} s, "
            f"keys median {statistics.median(r['keystrokes']) * 1000:.0f} ms, {rss / MB:.0f} MB")
    paint.note = f"{r['rows']} rows, terminal {UI_SIZE[0]}x{UI_SIZE[1]}"
    keys.note = (f"{len(keys.values)} keystrokes over {runs} runs (typing then erasing "
                 f"{', '.join(sorted(fragments))}); min/max over keystrokes")
    return [paint, inapp, ready, keys]


# --------------------------------------------------------------------------------------------
# The UI child: one process, the real App through Textual's pilot
# --------------------------------------------------------------------------------------------

async def _ui_measure(db: str, as_of: dt.date, spawned: float) -> dict:
    from textual import events

    from supervise.tui.app import make_app

    started = time.perf_counter()
    wall_started = time.time()
    app = make_app(db, str(REPO / "plans.toml"), as_of, lang="zh", today=as_of)
    out: dict = {"startup": wall_started - spawned}
    async with app.run_test(size=UI_SIZE) as pilot:
        table = app.board.table
        while not table.painted:
            await asyncio.sleep(0.002)
        now = time.perf_counter()
        out["first_paint_app"] = now - started
        out["first_paint_process"] = out["startup"] + now - started
        out["rows"] = len(table.rows)
        while not app.data.ready:
            await asyncio.sleep(0.002)
        out["all_statuses_process"] = out["startup"] + time.perf_counter() - started
        await pilot.pause()
        live = app.data.live()
        title = live[len(live) // 2].task.title
        fragment = title[1:6] if len(title) >= 6 else title
        out["fragment"] = fragment
        await pilot.press("slash")
        await pilot.pause()
        times = []
        keys = list(fragment) + ["backspace"] * len(fragment)
        for n, key in enumerate(keys):
            await pilot.pause()
            table.painted = False
            # in as the terminal driver sends it (pilot.press would add its own idle waits)
            event = events.Key(key, None if key == "backspace" else key)
            t0 = time.perf_counter()
            app._driver.send_message(event.set_sender(app))
            while not table.painted:
                await asyncio.sleep(0.0005)
            times.append(time.perf_counter() - t0)
            if n == len(fragment) - 1:
                out["matches"] = len(table.rows)
        out["keystrokes"] = times
    return out


def ui_child(db: str, as_of: str, spawned: float) -> int:
    result = asyncio.run(_ui_measure(db, dt.date.fromisoformat(as_of), spawned))
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


# --------------------------------------------------------------------------------------------
# Profiles of the targets missed
# --------------------------------------------------------------------------------------------

PROFILE_CHILD = r'''
import contextlib, cProfile, functools, importlib, io, linecache, os, pstats, sys, threading, time, tracemalloc
kind, out_path, *args = sys.argv[1:]
from supervise.cli import main
REPO = os.environ["SUPERVISE_REPO"]
lines = []
def run():
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
        try:
            main(args)
        except SystemExit:
            pass
def clean():  # an import into a new database: the same start for every pass
    fresh = os.environ.get("PROFILE_FRESH_DB")
    for suffix in ("", "-wal", "-shm") if fresh else ():
        with contextlib.suppress(FileNotFoundError):
            os.unlink(fresh + suffix)
MiB = 2**20
if kind == "time":
    clean()
    pr = cProfile.Profile()
    t0 = time.perf_counter(); pr.enable(); run(); pr.disable(); wall = time.perf_counter() - t0
    lines.append(f"in-process wall {wall:.2f} s under cProfile (imports of the modules not included)")
    for order in ("cumulative", "tottime"):
        s = io.StringIO()
        st = pstats.Stats(pr, stream=s)
        st.sort_stats(order).print_stats(r"supervise|json|sqlite|rich|openpyxl|tomllib|dateutil", 24)
        lines.append(s.getvalue().replace(REPO + "/", "").replace(sys.prefix + "/lib/", ""))
else:
    # pass 1: one frame per trace (cheap), each phase's memory: kept after it and its peak above its start
    PHASES = ["supervise.planfile.loader.load_plan_file", "supervise.planfile.loader.parse_plans", "tomllib.loads",
              "supervise.planfile.loader._Positions.__init__", "supervise.db.store.Store.snapshot",
              "supervise.db.store.Store.import_plans", "supervise.db.importer.diff_plans",
              "supervise.db.store.Store._apply_import", "supervise.db.store.Store._backup_copy",
              "supervise.views.statuses", "supervise.formats.status_json", "supervise.cli.terminal.print_status",
              "supervise.briefing.render_briefing", "supervise.ledger.write_ledger"]
    stack, records = [], []
    def wrap(owner, attr, label):
        fn = getattr(owner, attr)
        @functools.wraps(fn)
        def wrapper(*a, **k):
            cur = tracemalloc.get_traced_memory()[0]
            rec = {"name": label, "depth": len(stack), "start": cur, "peak": cur}
            if stack:  # the caller's peak so far
                stack[-1]["peak"] = max(stack[-1]["peak"], tracemalloc.get_traced_memory()[1])
            records.append(rec); stack.append(rec); tracemalloc.reset_peak()
            try:
                return fn(*a, **k)
            finally:
                cur, pk = tracemalloc.get_traced_memory()
                rec["peak"] = max(rec["peak"], pk); rec["end"] = cur
                stack.pop()
                if stack:
                    stack[-1]["peak"] = max(stack[-1]["peak"], rec["peak"])
                tracemalloc.reset_peak()
        setattr(owner, attr, wrapper)
        for mod in list(sys.modules.values()):  # `from .x import f` elsewhere holds f itself
            if mod is not owner and getattr(mod, attr, None) is fn:
                setattr(mod, attr, wrapper)
    for dotted in PHASES:
        parts = dotted.split(".")
        for i in range(len(parts) - 1, 0, -1):
            try:
                owner = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                continue
            try:
                for p in parts[i:-1]:
                    owner = getattr(owner, p)
                if hasattr(owner, parts[-1]):
                    wrap(owner, parts[-1], ".".join(parts[-2:]) if parts[-1] == "__init__" else parts[-1])
            except AttributeError:
                pass
            break
    print("pass 1 (phases)", file=sys.stderr, flush=True)
    clean(); tracemalloc.start(1); t0 = time.perf_counter(); run()
    _, first_peak = tracemalloc.get_traced_memory()
    first_peak = max([first_peak] + [r["peak"] for r in records])
    tracemalloc.stop()
    lines.append(f"traced peak {first_peak / MiB:.0f} MiB of Python objects (the RSS adds the interpreter and "
                 f"its modules, SQLite's page cache and allocator slack); traced pass {time.perf_counter() - t0:.0f} s")
    lines.append("")
    lines.append("phase (nested calls indented)            MiB at start   peak above start   kept at the end")
    seen = {}
    for r in records:  # a phase called many times: its first call and a count
        k = (r["name"], r["depth"])
        if k in seen:
            seen[k]["calls"] += 1
            continue
        r["calls"] = 1
        seen[k] = r
    for r in seen.values():
        name = "  " * r["depth"] + r["name"] + (f" (×{r['calls']})" if r["calls"] > 1 else "")
        lines.append(f"{name:40s} {r['start'] / MiB:12.0f} {(r['peak'] - r['start']) / MiB:18.0f} "
                     f"{(r.get('end', r['start']) - r['start']) / MiB:17.0f}")
    # pass 2: 5 frames per trace, one snapshot as the traced memory comes within 3 % of the peak
    clean()
    best = [0, None]
    done = threading.Event()
    threshold = first_peak * 0.97
    print("pass 2 (deep stacks)", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    tracemalloc.start(5)
    def sample():
        while not done.is_set():
            cur, _ = tracemalloc.get_traced_memory()
            # once near the peak; on the way up, a few (a peak inside one C call may not be seen)
            if (cur >= threshold > best[0]) or (first_peak * 0.5 <= cur < threshold and cur > best[0] * 1.15):
                best[:] = [cur, tracemalloc.take_snapshot()]
            done.wait(0.005)
    th = threading.Thread(target=sample, daemon=True); th.start()
    run(); done.set(); th.join()
    print(f"pass 2 {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    snap = best[1]
    if snap is None:
        lines.append("(the deep-stack pass did not reach half the peak: no snapshot)")
    else:
        lines.append("")
        lines.append(f"at {best[0] / MiB:.0f} MiB traced, by the innermost line of supervise on the allocating stack "
                     "(else the outermost frame recorded):")
        own = {}
        for st in snap.statistics("traceback"):
            frames = list(st.traceback)  # oldest first
            mine = next((f for f in reversed(frames) if "/supervise/" in f.filename), frames[0])
            a = own.setdefault((mine.filename, mine.lineno), [0, 0]); a[0] += st.size; a[1] += st.count
        for (f, n), (size, count) in sorted(own.items(), key=lambda x: -x[1][0])[:14]:
            where = f.split("/supervise/")[-1] if "/supervise/" in f else "/".join(f.split("/")[-2:])
            lines.append(f"  {size / MiB:7.1f} MiB {count:9d} blocks  {where}:{n:<5d} {linecache.getline(f, n).strip()[:80]}")
open(out_path, "w").write("\n".join(lines) + "\n")
'''


def profile_miss(kind: str, title: str, args: list[str], out: Path, as_of: str, fresh_db: Path | None = None) -> str:
    """Run one supervise command in a child process under cProfile or tracemalloc; return the report.

    fresh_db: a database deleted before each pass (an import into a new database)."""
    env = sv_env(as_of)
    env["SUPERVISE_REPO"] = str(REPO)
    if fresh_db:
        env["PROFILE_FRESH_DB"] = str(fresh_db)
    t0 = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".py", prefix="profile_child_") as child:
        child.write(PROFILE_CHILD)
        child.flush()
        subprocess.run([sys.executable, child.name, kind, str(out), *args], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    report = out.read_text()
    out.write_text(f"{title}\n$ supervise {' '.join(args)}\n\n{report}")
    log(f"  profiled {title} in {time.perf_counter() - t0:.0f} s -> {out}")
    return out.read_text()


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------

def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def table(rows: list[Row]) -> str:
    out = ["| tasks | measurement | median | min | max | CPU (median) | peak RSS MB | Taskwarrior equivalent "
           "| TW median | TW peak RSS MB | ratio wall (CPU) | load 1 min |",
           "|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×" + (f" ({r.cpu_ratio:.2f}×)" if r.cpu_ratio else "")
        cpu = fmt_s(statistics.median(r.cpu)) if r.cpu else "—"
        tw_rss = f"{max(r.tw_rss) / MB:.0f}" if r.tw_rss else "—"
        out.append(f"| {r.size:,} | {r.name} | {fmt_s(r.median)} | {fmt_s(min(r.values))} | {fmt_s(max(r.values))} "
                   f"| {cpu} | {r.peak_mb:.0f} | {r.tw_name or '—'} | {fmt_s(r.tw_median)} | {tw_rss} | {ratio} "
                   f"| {statistics.median(r.load):.1f} |")
    return "\n".join(out)


@dataclass
class Verdict:
    target: str
    figure: str
    met: bool | None  # None: not measured in this run
    profile: tuple[str, str, list[str], int] | None = None  # (kind, title, supervise args, size) when missed
    report_only: bool = False  # reported against the limit, but not a target of the issue


def verdicts(rows: list[Row], offices: dict[int, Office]) -> list[Verdict]:
    def find(size: int, name: str) -> Row | None:
        return next((r for r in rows if r.size == size and r.name == name), None)

    out = []
    # issue 18's targets, on the same information (Taskwarrior holding every task, milestone and indicator)
    for name, tw, limit in (("status --format json", "task export", 0.6), ("import (new db)", "task import", 0.5)):
        kind = ", dense office" if any(o.dense for o in offices.values()) else ""
        title = f"10,000 tasks: `{name}` at most {limit}× `{tw}` (same information{kind})"
        r = find(10000, name)
        if r and r.tw_values:
            o = offices[10000]
            args = (["--db", str(o.replayed), "status", "--format", "json", "--as-of", o.as_of] if name.startswith("status")
                    else ["--db", str(Path("/nonexistent")), "import", str(o.plans)])
            out.append(Verdict(title, f"{fmt_s(r.median)} vs {fmt_s(r.tw_median)}: {r.ratio:.2f}× wall, "
                                      f"{r.cpu_ratio:.2f}× CPU ({o.tw_model} model)",
                               r.ratio <= limit, ("time", f"{name} at 10,000 tasks (cProfile)", args, 10000)))
        else:
            out.append(Verdict(title, "not measured", None))
    r = find(10000, "UI first paint (from process start)")
    out.append(Verdict("10,000 tasks: UI first paint under 0.5 s (from make_app)",
                       f"{fmt_s(find(10000, 'UI first paint (from make_app)').median)} from make_app "
                       f"({fmt_s(r.median)} from process start)" if r else "not measured",
                       (find(10000, 'UI first paint (from make_app)').median < 0.5) if r else None))
    r = find(10000, "UI search keystroke")
    out.append(Verdict("10,000 tasks: search keystroke under 100 ms",
                       f"median {fmt_s(r.median)}, worst {fmt_s(max(r.values))}" if r else "not measured",
                       (r.median < 0.1) if r else None))
    big = max(offices) if offices else 0
    if big >= 50000:
        o = offices[big]
        # "peak RSS under 300 MB at 50,000 tasks": every process a user runs at that size
        commands = {
            "import (new db)": ["--db", str(Path("/nonexistent")), "import", str(o.plans)],
            "re-import (unchanged)": ["--db", str(o.replayed), "import", str(o.plans)],
            "status --format json": ["--db", str(o.replayed), "status", "--format", "json", "--as-of", o.as_of],
            "status (table)": ["--db", str(o.replayed), "status", "--as-of", o.as_of],
            "brief": ["--db", str(o.replayed), "brief", "--as-of", o.as_of, "--out", os.devnull],
            "export ledger": ["--db", str(o.replayed), "export", "ledger", "--as-of", o.as_of, "--out", "LEDGER"],
            "UI first paint (from process start)": None,
        }
        for name, args in commands.items():
            r = find(big, name)
            if not r:
                continue
            label = "UI" if name.startswith("UI") else f"`{name}`"
            out.append(Verdict(f"{big:,} tasks: peak RSS of {label} under {RSS_LIMIT_MB} MB", f"{r.peak_mb:.0f} MB",
                               r.peak_mb < RSS_LIMIT_MB,
                               ("memory", f"{name} at {big:,} tasks (tracemalloc)", args, big) if args else None))
    return out


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    mem = ""
    with contextlib.suppress(OSError, StopIteration):
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        mem = f"{kb / 2**20:.1f} GiB RAM"
    tw = ""
    if os.path.exists(TASK):
        tw = subprocess.run([TASK, "--version"], capture_output=True, text=True).stdout.strip()
    try:
        import textual

        textual_version = textual.__version__
    except Exception:  # noqa: BLE001
        textual_version = "?"
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem": mem, "python": platform.python_version(),
            "textual": textual_version, "taskwarrior": tw, "platform": platform.platform()}


# --------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="task counts (default 1000,10000,50000)")
    ap.add_argument("--runs", default="5", help="runs per measurement: N, or one N per size (5,5,3); default 5")
    ap.add_argument("--quick", action="store_true", help="1,000 and 10,000 tasks, 3 runs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2023-06-30")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "results.md")
    ap.add_argument("--cache", type=Path, default=HERE / "out" / "cache", help="generated offices and databases")
    ap.add_argument("--only", help=f"comma-separated subset of {','.join(MEASUREMENTS)}")
    ap.add_argument("--no-taskwarrior", action="store_true")
    ap.add_argument("--tw-model", choices=TW_MODELS, default="same",
                    help="how Taskwarrior holds the office: same (every task, milestone and indicator a task: "
                         "the same information, the default), flat (tasks only), depends (tasks depend on their items)")
    ap.add_argument("--dense", action="store_true",
                    help="the dense office (gen_office.py --dense: every task five milestones and one indicator), "
                         "cached beside the default one")
    ap.add_argument("--profile", action="store_true", help="profile each target missed (bench/out/profile-*.txt)")
    ap.add_argument("--profile-from", type=Path, metavar="RESULTS_JSON",
                    help="measure nothing: profile the targets missed in an earlier run's results.json")
    ap.add_argument("--report-from", type=Path, metavar="RESULTS_JSON",
                    help="measure nothing: write an earlier run's Markdown again (with --update-readme: the READMEs)")
    ap.add_argument("--update-readme", action="store_true",
                    help="put the table and the targets into README.md (after <!-- bench-table -->) and bench/README.md")
    ap.add_argument("--ui-child", help=argparse.SUPPRESS)
    ap.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.ui_child:
        return ui_child(args.ui_child, args.as_of, args.spawned or time.time())
    if args.profile_from:
        return profile_from(args.profile_from, args.cache, args.out)
    if args.report_from:
        return report_from(args.report_from, args.update_readme)

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    runs = [int(r) for r in args.runs.split(",")]
    if args.quick:
        sizes = [s for s in sizes if s <= 10000] or [1000, 10000]
        runs = [3]
    if len(runs) == 1:
        runs = runs * len(sizes)
    if len(runs) != len(sizes):
        ap.error("--runs needs one number, or one per size")
    only = set(args.only.split(",")) if args.only else set(MEASUREMENTS)
    if only - set(MEASUREMENTS):
        ap.error(f"--only: unknown {', '.join(sorted(only - set(MEASUREMENTS)))}")
    with_tw = not args.no_taskwarrior and os.path.exists(TASK)
    if not with_tw and not args.no_taskwarrior:
        log(f"Taskwarrior not found at {TASK} (apt-get install -y taskwarrior): its column stays empty")

    compile_bytecode()
    started = time.perf_counter()
    started_at = dt.datetime.now().astimezone()
    load_start = load_average()
    out_dir = args.out.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    offices: dict[int, Office] = {}
    for size, n in zip(sizes, runs):
        t_size = time.perf_counter()
        log(f"{size:,} tasks, {n} runs (load {' '.join(f'{x:.2f}' for x in load_average())})")
        office = prepare_office(size, args.seed, args.as_of, args.cache, with_tw, args.tw_model, args.dense)
        offices[size] = office
        work = args.cache / f"work-{size}-{os.getpid()}"  # another run may share the cache
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copy(office.replayed, work / "ro.db")
        if with_tw:
            shutil.copytree(office.tw_data, work / "tw-ro")
        for p in pairs(office, work):
            if p.key in only:
                rows.append(run_pair(p, office, work, n, with_tw))
        if "ui" in only:
            rows.extend(run_ui(office, work, n))
        shutil.rmtree(work, ignore_errors=True)
        log(f"  {size:,} tasks measured in {time.perf_counter() - t_size:.0f} s")
    elapsed = time.perf_counter() - started
    load_end = load_average()

    command = " ".join(["python bench/run_all.py", *(argv if argv is not None else sys.argv[1:])])
    raw = {"command": command, "started": started_at.isoformat(), "elapsed_s": elapsed, "load_start": load_start,
           "load_end": load_end, "machine": machine(), "sizes": sizes, "runs": runs, "as_of": args.as_of,
           "seed": args.seed, "cache": str(args.cache.resolve()), "dense": args.dense, "tw_model": args.tw_model,
           "rows": [{**{k: v for k, v in r.__dict__.items()}, "median": r.median, "ratio": r.ratio} for r in rows]}
    lines, checks = render(raw)
    raw["targets"] = [{"target": v.target, "figure": v.figure, "met": v.met} for v in checks]
    args.out.with_suffix(".json").write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines), flush=True)
    log(f"written {args.out} ({elapsed / 60:.1f} min)")
    if args.update_readme:
        update_readmes(lines)
    if args.profile:
        profiles = profile_misses(checks, args.cache, args.out.parent, args.as_of)
        args.out.write_text("\n".join(lines + profiles) + "\n", encoding="utf-8")
        log(f"profiles added to {args.out}")
    return 0


def ratio_summary(rows: list[Row]) -> list[str]:
    """One line per size: each measurement's ratio to its Taskwarrior equivalent."""
    out = []
    for size in sorted({r.size for r in rows}):
        pairs = [f"{r.name} {r.ratio:.1f}×" for r in rows if r.size == size and r.ratio is not None]
        if pairs:
            out.append(f"- {size:,} tasks: " + ", ".join(pairs))
    return ["Ratios supervise ÷ Taskwarrior (wall, same run):", "", *out] if out else []


def render(raw: dict) -> tuple[list[str], list[Verdict]]:
    """The Markdown of one run (table, ratios, targets) from its raw figures."""
    _, rows, offices = load_results_dict(raw)
    info = raw["machine"]
    checks = verdicts(rows, offices)
    runs_text = ", ".join(f"{n} at {s:,}" for s, n in zip(raw["sizes"], raw["runs"]))
    office_kind = ("the dense office (gen_office.py --dense: every task five milestones and one indicator)"
                   if raw.get("dense") else "the default synthetic office")
    started = dt.datetime.fromisoformat(raw["started"])
    load_start, load_end = raw["load_start"], raw["load_end"]
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M %Z} by `{raw.get('command', 'python bench/run_all.py')}` "
        f"in {raw['elapsed_s'] / 60:.1f} min on {office_kind}; runs per measurement: {runs_text}; "
        f"as of {raw['as_of']}, seed {raw['seed']}; Taskwarrior model {raw.get('tw_model', 'same')}.",
        "",
        f"Machine: {info['nproc']} cores ({info['cpu'] or 'unknown CPU'}), {info['mem']}, {info['platform']}; "
        f"Python {info['python']}, Textual {info['textual']}, Taskwarrior {info['taskwarrior'] or 'not installed'}. "
        f"Load average (1/5/15 min) {' / '.join(f'{x:.2f}' for x in load_start)} at the start, "
        f"{' / '.join(f'{x:.2f}' for x in load_end)} at the end; the machine is shared with other sessions, "
        f"so absolute times drift with the load: the ratios, measured in the same run with the runs "
        f"interleaved, are the figures that count.",
        "",
        table(rows),
        "",
        "Times are wall clock of the whole process (median of the runs), CPU is user + system of that process, "
        "peak RSS the largest of the runs (GNU time's maximum resident set size of that one process). "
        "Ratio = supervise ÷ Taskwarrior (wall medians; CPU medians in brackets). The UI rows are one process "
        f"per run driving the app through Textual's pilot at {UI_SIZE[0]}x{UI_SIZE[1]}.",
        "",
        *ratio_summary(rows),
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for v in checks:
        verdict = "—" if v.met is None else "met" if v.met else "over (not a target)" if v.report_only else "**missed**"
        lines.append(f"| {v.target} | {v.figure} | {verdict} |")
    notes = [f"- {r.size:,} {r.name}: {r.note}" for r in rows if r.note]
    if notes:
        lines += ["", *notes]
    return lines, checks


def load_results_dict(raw: dict) -> tuple[dict, list[Row], dict[int, Office]]:
    names = set(Row.__dataclass_fields__)
    rows = [Row(**{k: v for k, v in r.items() if k in names}) for r in raw["rows"]]
    cache = Path(raw.get("cache", HERE / "out" / "cache"))
    dense = bool(raw.get("dense", False))
    offices = {s: Office(s, raw["seed"], raw["as_of"], office_dir(cache, s, raw["seed"], raw["as_of"], dense),
                         raw.get("tw_model", "same"), dense)
               for s in raw["sizes"]}
    return raw, rows, offices


def report_from(results: Path, update_readme: bool) -> int:
    """--report-from: the Markdown of an earlier run again (its profiles kept), and the READMEs if asked."""
    raw = json.loads(results.read_text(encoding="utf-8"))
    lines, _ = render(raw)
    md = results.with_suffix(".md")
    profiles = md.read_text(encoding="utf-8").split("\nProfile: ", 1) if md.exists() else [""]
    tail = "\nProfile: " + profiles[1] if len(profiles) > 1 else ""
    md.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    print("\n".join(lines))
    log(f"written {md}")
    if update_readme:
        update_readmes(lines)
    return 0


README_MARK = "<!-- bench-table -->"
BENCH_MARKS = ("<!-- bench-results -->", "<!-- /bench-results -->")


def update_readmes(lines: list[str]) -> None:
    """The results (without profiles) after README.md's marker, and between bench/README.md's two."""
    block = "\n".join(lines).strip() + "\n"
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_MARK in text:
        head = text.split(README_MARK, 1)[0]
        readme.write_text(f"{head}{README_MARK}\n\n{block}\nHow to run each benchmark, the method and the profiles of "
                          "what misses its target: `bench/README.md`.\n", encoding="utf-8")
        log(f"updated {readme}")
    bench = HERE / "README.md"
    if bench.exists():
        text = bench.read_text(encoding="utf-8")
        start, end = BENCH_MARKS
        if start in text and end in text:
            head, rest = text.split(start, 1)
            tail = rest.split(end, 1)[1]
            bench.write_text(f"{head}{start}\n\n{block}\n{end}{tail}", encoding="utf-8")
            log(f"updated {bench}")


def profile_misses(checks: list[Verdict], cache: Path, out_dir: Path, as_of: str) -> list[str]:
    """Profile every target missed; the Markdown to append to the results."""
    lines = []
    for v in checks:
        if v.met is not False or not v.profile:
            continue
        kind, title, pargs, size = v.profile
        tmp_db = None
        if "import" in pargs:
            tmp_db = cache / f"profile-{size}-{os.getpid()}.db"
            if Path(pargs[1]).exists():  # a re-import: into a copy of the replayed office, never the cache itself
                shutil.copyfile(pargs[1], tmp_db)
                pargs, fresh = ["--db", str(tmp_db), *pargs[2:]], None
            else:  # an import into a new database, deleted before each pass
                pargs, fresh = ["--db", str(tmp_db), *pargs[2:]], tmp_db
        else:
            fresh = None
        pargs = [str(out_dir / "profile-ledger.xlsx") if a == "LEDGER" else a for a in pargs]
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        path = out_dir / f"profile-{slug}.txt"
        report = profile_miss(kind, title, pargs, path, as_of, fresh)
        for q in cache.glob(f"profile-{size}-{os.getpid()}.db*"):
            q.unlink()
        shutil.rmtree(cache / "backups", ignore_errors=True)
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        lines += ["", f"Profile: {title} (`{shown}`)", "", "```", report.strip(), "```"]
    return lines


def profile_from(results: Path, cache: Path, out: Path) -> int:
    """--profile-from: the targets an earlier run missed, profiled now; appended to its Markdown."""
    raw, rows, offices = load_results_dict(json.loads(results.read_text(encoding="utf-8")))
    lines, checks = render(raw)
    added = profile_misses(checks, cache, out.parent, raw["as_of"])
    results.with_suffix(".md").write_text("\n".join(lines + added) + "\n", encoding="utf-8")
    print("\n".join(added))
    log(f"profiles added to {results.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
