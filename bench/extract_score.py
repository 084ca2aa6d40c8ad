"""Score `supervise extract` against hand-made truth files (issue #17).

    python bench/extract_score.py [--markdown] [--corpus DIR]

For every ``*.truth.toml`` in tests/fixtures/extract/corpus, each document it lists is drafted
with ``extract_plans(read_document(doc))`` and compared with the truth:

- plan title and end: those of the first drafted plan, where the truth gives them;
- tasks: truth tasks are matched to draft tasks in order by title (equal after dropping
  punctuation, or one a prefix of the other); recall = matched / truth, precision = matched / drafted;
- section, lead, responsible, due: share of matched tasks that agree (section only where the truth
  gives one; lead split into tasks whose document names a lead, which must agree as a set, and tasks
  whose document names none, where the draft must leave the lead out);
- targets: share of truth (value, unit) pairs found among the task's indicators, on tasks whose truth
  lists its targets (-v also lists the indicators such a task has that its truth does not);
- invented units: unit names in a matched task's draft that the truth does not have for that task,
  placeholders such as 待核实 included;
- refused: the extractor raised ExtractError.

The truth files are written by hand from the documents, never by the extractor.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supervise.dates import DateError, parse_date  # noqa: E402
from supervise.extract import ExtractError, extract_plans, read_document  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "extract" / "corpus"
_PUNCT = re.compile(r"[\s，,、。；;：:“”\"《》（）()〔〕\[\]【】]")


def norm(text: str) -> str:
    return _PUNCT.sub("", text or "")


def same_title(truth: str, draft: str) -> bool:
    t, d = norm(truth), norm(draft)
    return bool(t and d) and (t == d or (min(len(t), len(d)) >= 4 and (t.startswith(d) or d.startswith(t))))


def _due(task: dict, plans: dict) -> date | None:
    plan = plans[task["plan"]]
    value = task.get("due", plan["end"])
    if isinstance(value, date):
        return value
    try:
        return parse_date(value, year=plan["start"].year)
    except (DateError, TypeError, ValueError):
        return None


class Score:
    FIELDS = ("plan_ok", "plan_n", "truth", "drafted", "matched", "section_ok", "section_n", "lead_ok", "lead_n", "nolead_ok",
              "nolead_n", "resp_ok", "resp_n", "due_ok", "due_n", "tgt_ok", "tgt_n", "invented", "refused")

    def __init__(self) -> None:
        self.c = Counter({f: 0 for f in self.FIELDS})

    def add(self, other: Score) -> None:
        self.c.update(other.c)

    @staticmethod
    def ratio(ok: int, n: int) -> str:
        return f"{ok / n:.2f} ({ok}/{n})" if n else "–"

    def row(self) -> list[str]:
        c = self.c
        return [self.ratio(c["plan_ok"], c["plan_n"]), f"{c['truth']}/{c['drafted']}",
                self.ratio(c["matched"], c["truth"]),
                self.ratio(c["matched"], c["drafted"]), self.ratio(c["section_ok"], c["section_n"]),
                self.ratio(c["lead_ok"], c["lead_n"]), self.ratio(c["nolead_ok"], c["nolead_n"]),
                self.ratio(c["resp_ok"], c["resp_n"]), self.ratio(c["due_ok"], c["due_n"]),
                self.ratio(c["tgt_ok"], c["tgt_n"]), str(c["invented"]), str(c["refused"])]


HEAD = ["document", "plan title, end", "tasks truth/draft", "task recall", "task precision", "section", "lead (named)",
        "lead left out (unnamed)", "responsible", "due", "targets", "invented units", "refused"]


def score(doc: Path, truth: dict) -> tuple[Score, list[str]]:
    s, notes = Score(), []
    defaults = truth.get("defaults", {})
    want = [defaults | t for t in truth["task"]]
    s.c["truth"] = len(want)
    try:
        text, _ = extract_plans(read_document(doc))
    except ExtractError as err:
        s.c["refused"] = 1
        s.c["plan_n"] += len({"title", "end"} & set(truth.get("plan", {})))
        for t in want:
            s.c["lead_n" if t.get("lead") else "nolead_n"] += 1
        return s, [f"refused: {err}"]
    data = tomllib.loads(text)
    plans = {p["id"]: p for p in data.get("plan", [])}
    first = data["plan"][0] if data.get("plan") else {}
    for key in ("title", "end"):          # the plan that holds the tasks (the first one drafted)
        if key in truth.get("plan", {}):
            s.c["plan_n"] += 1
            ok = (norm(first.get("title", "")) == norm(truth["plan"]["title"]) if key == "title"
                  else first.get("end") == truth["plan"]["end"])
            s.c["plan_ok"] += ok
            if not ok:
                notes.append(f"plan {key}: {first.get(key)!r}, truth {truth['plan'][key]!r}")
    got = data.get("task", [])
    s.c["drafted"] = len(got)
    used: set[int] = set()
    for t in want:
        k = next((i for i, g in enumerate(got) if i not in used and same_title(t["title"], g["title"])), None)
        named = bool(t.get("lead"))
        s.c["lead_n" if named else "nolead_n"] += 1
        if k is None:
            notes.append(f"missed: {t['title']}")
            continue
        used.add(k)
        g = got[k]
        s.c["matched"] += 1
        if "section" in t:
            s.c["section_n"] += 1
            s.c["section_ok"] += norm(g.get("section", "")) == norm(t["section"])
        lead = list(g.get("lead", []))
        if named:
            s.c["lead_ok"] += set(lead) == set(t["lead"])
        else:
            s.c["nolead_ok"] += not lead
        if "responsible" in t:
            s.c["resp_n"] += 1
            s.c["resp_ok"] += set(g.get("responsible", [])) == set(t["responsible"])
        if "due" in t:
            s.c["due_n"] += 1
            s.c["due_ok"] += _due(g, plans) == t["due"]
        if "targets" in t:
            have = Counter((float(i["target"]), i["unit"]) for i in g.get("indicator", []))
            for value, unit in t["targets"]:
                s.c["tgt_n"] += 1
                if have[(float(value), unit)]:
                    have[(float(value), unit)] -= 1
                    s.c["tgt_ok"] += 1
            extra_targets = [f"{v:g}{u}" for (v, u), k in have.items() for _ in range(k)]
            if extra_targets:        # not counted in the table: listed so that made-up targets are seen
                notes.append(f"indicators not in the truth, “{t['title']}”: {'、'.join(extra_targets)}")
        known = set(t.get("lead", [])) | set(t.get("responsible", []))
        extra = [u for u in lead + list(g.get("responsible", [])) if u not in known]
        if "responsible" not in t:
            extra = [u for u in lead if u not in known]
        s.c["invented"] += len(extra)
        if extra:
            notes.append(f"invented in “{t['title']}”: {'、'.join(extra)}")
    for i, g in enumerate(got):
        if i not in used:
            notes.append(f"extra task: {g['title']}")
    return s, notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("-v", "--verbose", action="store_true", help="list missed and extra tasks, invented units")
    args = ap.parse_args(argv)
    rows, total = [], Score()
    for truth_file in sorted(args.corpus.glob("*.truth.toml")):
        truth = tomllib.loads(truth_file.read_text(encoding="utf-8"))
        for name in truth["documents"]:
            s, notes = score(args.corpus / name, truth)
            total.add(s)
            rows.append([name, *s.row()])
            if args.verbose:
                rows[-1].append(notes)
    rows.append(["**total**" if args.markdown else "TOTAL", *total.row()])
    if args.markdown:
        print("| " + " | ".join(HEAD) + " |")
        print("|" + "---|" * len(HEAD))
        for r in rows:
            print("| " + " | ".join(r[:len(HEAD)]) + " |")
    else:
        widths = [max(len(str(r[i])) for r in [HEAD, *rows]) for i in range(len(HEAD))]
        for r in [HEAD, *rows]:
            print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)))
            for note in (r[len(HEAD)] if len(r) > len(HEAD) else []):
                print("    - " + note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
