"""Benchmark: report forms out (`forms` for every lead unit) and back in (`collect` of all of them).

    python bench/bench_forms.py                      # 10 000 tasks, seed 1
    python bench/bench_forms.py --tasks 1000         # a quick look
    python bench/bench_forms.py --db /tmp/bench.db   # keep the database: later runs skip the set-up

Set-up (not timed): bench_brief.build generates the synthetic office (gen_office.py), imports it
and replays its progress. Then, each as a whole process with its own peak RSS:

1. `supervise forms --out DIR --as-of D` — one workbook per lead unit;
2. the forms are filled as departments would (not timed): every other open row gets a tick
   dated D (节点/任务) or a value half-way to the target typed as text with its unit (指标),
   and every third row a 进展情况 note;
3. `supervise collect DIR/*.xlsx` — all of them, one action per file;
4. the same `collect` again, which must record nothing (idempotent re-collection).

Targets (issue #12): `forms` and `collect` each under 10 s and 300 MB at 10,000 tasks.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_brief import build  # noqa: E402

_RUN = ("import resource, sys\nfrom supervise.cli import main\ntry:\n    main(sys.argv[1:])\nfinally:\n"
        "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    sys.stderr.write('MAXRSS %d %.3f\\n' % (u.ru_maxrss, u.ru_utime + u.ru_stime))\n")


def timed(args: list[str], env: dict) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, stdout) of one whole `supervise` process; the CPU
    time is what a busy machine disturbs least."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"supervise {' '.join(args[:4])} … failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    _, rss, cpu = next(line.split() for line in proc.stderr.splitlines() if line.startswith("MAXRSS"))
    return wall, float(cpu), int(rss) / 1024, proc.stdout


def fill_all(folder: Path) -> tuple[int, int]:
    """Fill every form in `folder` as a department would; returns (files, rows filled)."""
    from openpyxl import load_workbook

    files = rows = 0
    for path in sorted(folder.glob("*.xlsx")):
        wb = load_workbook(path)
        as_of = next(v for k, v in wb["_supervise"].iter_rows(values_only=True) if k == "as_of")
        n = 0
        for ws in wb.worksheets:  # one sheet, or one per plan
            if ws.sheet_state != "visible":
                continue
            cols = {str(c.value).split("\n")[0]: c.column for c in ws[4] if c.value}
            for r in range(5, ws.max_row + 1):
                kind = ws.cell(row=r, column=cols["类型"]).value
                if n % 2 == 0:
                    if kind == "指标":
                        target = str(ws.cell(row=r, column=cols["目标"]).value)
                        number, unit = re.fullmatch(r"([0-9.e+-]+)(.*)", target).groups()
                        value = round(float(number) / 2, 1)
                        ws.cell(row=r, column=cols["本期数值"]).value = f"{value:,}{unit}"  # thousands separator and unit
                    else:
                        ws.cell(row=r, column=cols["完成日期"]).value = as_of
                    rows += 1
                if n % 3 == 0:
                    ws.cell(row=r, column=cols["进展情况"]).value = f"第{n}项按计划推进，已完成阶段性工作。"
                n += 1
        wb.save(path)
        files += 1
    return files, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2023-06-30")
    ap.add_argument("--db", type=Path, help="keep the database here (built once, reused)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-forms-"))
    db = args.db or work / "office.db"
    if not db.exists():
        build(db, work, args.tasks, args.seed)
    # every run collects into a fresh copy: the kept database stays as it was built
    import shutil

    copy = work / "collect.db"
    shutil.copy(db, copy)
    env = {**os.environ, "SUPERVISE_LANG": "zh", "SUPERVISE_TODAY": args.as_of}
    out = work / "forms"
    results = []
    wall, cpu, rss, stdout = timed(["--db", str(copy), "forms", "--out", str(out), "--as-of", args.as_of], env)
    files = len(list(out.glob("*.xlsx")))
    results.append(("forms", wall, cpu, rss, f"{files} files"))
    t0 = time.perf_counter()
    nfiles, nrows = fill_all(out)
    print(f"filled {nrows} rows in {nfiles} forms in {time.perf_counter() - t0:.1f} s (not timed)", file=sys.stderr)
    paths = [str(p) for p in sorted(out.glob("*.xlsx"))]
    wall, cpu, rss, stdout = timed(["--db", str(copy), "collect", *paths], env)
    results.append(("collect", wall, cpu, rss, f"{nfiles} files, {nrows} rows filled"))
    wall, cpu, rss, stdout = timed(["--db", str(copy), "collect", *paths], env)
    again = stdout.count("没有新内容")
    results.append(("collect again", wall, cpu, rss, f"{again} of {nfiles} files: nothing new"))
    print(f"\n{args.tasks} tasks, seed {args.seed}, as of {args.as_of}, load {os.getloadavg()[0]:.1f}")
    print(f"{'step':<14} {'wall s':>7} {'CPU s':>7} {'peak RSS MB':>12}  note")
    for name, wall, cpu, rss, note in results:
        flag = "" if wall < 10 and rss < 300 else "  (over target: 10 s / 300 MB)"
        print(f"{name:<14} {wall:7.2f} {cpu:7.2f} {rss:12.0f}  {note}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
