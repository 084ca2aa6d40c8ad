"""The ranking of lead units (通报): one computation for `units`, the briefing, the ledger and the UI.

shared/spec/office.md, "Ranking of units": one row per lead unit of a live task, with

- `led`: the live tasks it leads, and their colours as of D (`red`, `amber`, `green`, `done`:
  the task's colour as every list shows it, overrides included);
- `red_rate` = red ÷ led;
- `on_time_rate` = the deadlines that fell due on or before D and were met on or before their
  due date ÷ all the deadlines that fell due on or before D (None when none fell due);
- `rank`: by on_time_rate descending (None last), then red_rate ascending, then the unit's name
  (code point order, so the order is total and the same on every machine): ranks run 1, 2, 3 …
  with no shared places;
- `previous_rank`: the rank as of the previous review date (`reviews.previous_review`: the latest
  scheduled review strictly before D), None before the first review.

What counts as a deadline (the spec says "milestones and task deadlines"; decided here):

- every live milestone of the task: met when it was ticked done on or before its due date;
- the task's own completion date (完成时限), for every live task, with or without items: met
  when the task was done as of that date by the status rules (its own tick, or every live item
  done or its target met: `task_status(task, due).computed is DONE`, worked out by the same engine
  without the reasons (`rags_over(..., overridden=False)`); a clerk's override colours
  a task, it does not finish it). So a task's deadline counts once beside its milestones, and
  indicators count through it (an indicator has no "done on" of its own besides its target
  being met by the task's due date).

Withdrawn tasks and withdrawn milestones are left out. A task with two lead units counts for
both. Pure: reads nothing but its arguments.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from .models import Office, Rag, Snapshot, Task, frozen
from .reviews import previous_review
from .status import rags_over
from .views import TaskStatuses

JSON_KEYS = ("unit", "led", "red", "amber", "green", "done", "red_rate", "on_time_rate", "rank", "previous_rank")


@frozen
class UnitRank:
    unit: str
    led: int  # live tasks it leads
    red: int
    amber: int
    green: int
    done: int
    fell_due: int  # deadlines (milestones and task completion dates) due on or before as_of
    on_time: int  # of those, met on or before their due date
    rank: int  # 1 is best
    previous_rank: int | None = None  # as of the previous review date

    @property
    def red_rate(self) -> float:
        return self.red / self.led if self.led else 0.0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.fell_due if self.fell_due else None

    def as_dict(self) -> dict:
        """The spec's keys, in its order; rates as floats (4 decimals), None where none fell due."""
        return {"unit": self.unit, "led": self.led, "red": self.red, "amber": self.amber, "green": self.green,
                "done": self.done, "red_rate": _rate(self.red_rate), "on_time_rate": _rate(self.on_time_rate),
                "rank": self.rank, "previous_rank": self.previous_rank}


def _rate(x: float | None) -> float | None:
    return None if x is None else float(round(x, 4))


def percent(x: float | None, none: str = "—") -> str:
    """A rate for people: 0.6667 → "66.7%", 1 → "100%", None → "—"."""
    if x is None:
        return none
    value = round(x * 100, 1)
    return f"{int(value)}%" if value.is_integer() else f"{value}%"


def rank_units(source: Snapshot | TaskStatuses, as_of: date, office: Office, plan: str | None = None,
               *, previous: bool = True) -> list[UnitRank]:
    """The lead units of the live tasks (of `plan`, if given), ranked best first.

    `source` is the snapshot, or statuses already computed as of `as_of` (the briefing's and the
    UI's: their colours are used as they are). `previous=False` leaves previous_rank None
    (what the ranking as of the previous review is computed with).
    """
    if isinstance(source, TaskStatuses):
        pairs = [(s.task, s.rag) for s in source.items if not s.task.withdrawn and (plan is None or s.task.plan == plan)]
        tasks = [task for task, _ in pairs]
        colours = [rag for _, rag in pairs]
    else:
        tasks = [task for task in source.tasks if not task.withdrawn and (plan is None or task.plan == plan)]
        colours = [rags_over(task, [as_of], office)[0] for task in tasks]
    deadlines = _Deadlines(office)
    now = _ranked(tasks, colours, as_of, deadlines)
    before: dict[str, int] = {}
    if previous:
        when = previous_review(office, as_of)
        if when is not None:
            earlier = _ranked(tasks, [rags_over(task, [when], office)[0] for task in tasks], when, deadlines)
            before = {r.unit: r.rank for r in earlier}
    if not before:
        return now
    return [UnitRank(r.unit, r.led, r.red, r.amber, r.green, r.done, r.fell_due, r.on_time, r.rank,
                     before.get(r.unit)) for r in now]


def totals(source: Snapshot | TaskStatuses, as_of: date, office: Office, plan: str | None = None) -> UnitRank:
    """The same figures over every live task once (a task two units lead counts once): the
    totals row under a ranking. `unit` is "" and `rank` 0."""
    if isinstance(source, TaskStatuses):
        pairs = [(s.task, s.rag) for s in source.items if not s.task.withdrawn and (plan is None or s.task.plan == plan)]
    else:
        pairs = [(task, rags_over(task, [as_of], office)[0]) for task in source.tasks
                 if not task.withdrawn and (plan is None or task.plan == plan)]
    deadlines = _Deadlines(office)
    row = [0] * 7
    for task, rag in pairs:
        fell, met = deadlines.count(task, as_of)
        row[0] += 1
        row[_SLOT[rag]] += 1
        row[5] += fell
        row[6] += met
    led, red, amber, green, done, fell, met = row
    return UnitRank("", led, red, amber, green, done, fell, met, rank=0)


_SLOT = {Rag.RED: 1, Rag.AMBER: 2, Rag.GREEN: 3, Rag.DONE: 4}  # a colour's place in a tally row


class _Deadlines:
    """Each task's deadlines as (due, met on time), worked out once for both dates ranked."""

    def __init__(self, office: Office):
        self.office = office
        self._met: dict[int, bool] = {}  # id(task) → done as of its own due date

    def count(self, task: Task, as_of: date) -> tuple[int, int]:
        """(fell due on or before as_of, of which met on time)."""
        fell = met = 0
        for m in task.milestones:
            if not m.withdrawn and m.due <= as_of:
                fell += 1
                if m.done_on is not None and m.done_on <= m.due:
                    met += 1
        if task.due <= as_of:
            fell += 1
            if self._task_met(task):
                met += 1
        return fell, met

    def _task_met(self, task: Task) -> bool:
        met = self._met.get(id(task))
        if met is None:
            met = self._met[id(task)] = rags_over(task, (task.due,), self.office, overridden=False)[0] is Rag.DONE
        return met


def _ranked(tasks: list[Task], colours: list[Rag], as_of: date, deadlines: _Deadlines) -> list[UnitRank]:
    tally: dict[str, list[int]] = {}  # unit → [led, red, amber, green, done, fell due, on time]
    slot = _SLOT
    for task, rag in zip(tasks, colours):
        fell, met = deadlines.count(task, as_of)
        for unit in dict.fromkeys(task.lead):  # a unit named twice leads the task once
            row = tally.get(unit)
            if row is None:
                row = tally[unit] = [0] * 7
            row[0] += 1
            row[slot[rag]] += 1
            row[5] += fell
            row[6] += met

    def order(item: tuple[str, list[int]]):
        unit, (led, red, _, _, _, fell, met) = item
        on_time = Fraction(met, fell) if fell else None
        return (on_time is None, -(on_time or 0), Fraction(red, led), unit)

    return [UnitRank(unit, led, red, amber, green, done, fell, met, rank=n)
            for n, (unit, (led, red, amber, green, done, fell, met)) in enumerate(sorted(tally.items(), key=order), 1)]


# --- the ranking as JSON, CSV and Markdown (the `units` command) ---------------------------------


def ranking_json(units: list[UnitRank], as_of: date, previous: date | None) -> str:
    import json

    doc = {"as_of": as_of.isoformat(), "previous_review": previous.isoformat() if previous else None,
           "units": [u.as_dict() for u in units]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def ranking_csv(units: list[UnitRank]) -> str:
    """The JSON's unit keys as columns; UTF-8 with a BOM (the caller writes the bytes), as `status` does;
    a null rate is an empty cell; a unit name that looks like a formula is kept as text."""
    import csv
    import io

    from .formats import _csv_safe

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(JSON_KEYS)
    for u in units:
        d = u.as_dict()
        writer.writerow([_csv_safe(d["unit"])] + ["" if d[k] is None else d[k] for k in JSON_KEYS[1:]])
    return "\ufeff" + buf.getvalue()


def ranking_headers(lang: str) -> list[str]:
    from .i18n import rag_word, t

    return ([t(lang, "units.col.rank"), t(lang, "col.unit"), t(lang, "units.col.led")]
            + [rag_word(lang, r) for r in ("red", "amber", "green", "done")]
            + [t(lang, "units.col.red_rate"), t(lang, "units.col.on_time_rate"), t(lang, "units.col.on_time"),
               t(lang, "units.col.previous_rank")])


def ranking_cells(u: UnitRank) -> list[object]:
    """One row as people read it, in ranking_headers' order (the unit's name as typed: escape it where shown)."""
    return [u.rank, u.unit, u.led, u.red, u.amber, u.green, u.done, percent(u.red_rate), percent(u.on_time_rate),
            f"{u.on_time}/{u.fell_due}", "—" if u.previous_rank is None else u.previous_rank]


def ranking_markdown(units: list[UnitRank], as_of: date, previous: date | None, lang: str) -> str:
    from . import markdown
    from .i18n import t

    lines = [f"# {t(lang, 'units.title', on=as_of.isoformat())}", ""]
    lines.append(t(lang, "units.previous", on=previous.isoformat()) if previous else t(lang, "units.no_previous"))
    lines += ["", t(lang, "units.basis"), ""]
    if units:
        lines.append(markdown.table(ranking_headers(lang), [ranking_cells(u) for u in units],
                                    ["r", "l"] + ["r"] * 9))
    else:
        lines.append(t(lang, "units.none"))
    return "\n".join(lines) + "\n"
