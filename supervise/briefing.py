"""The briefing for the review meeting (双月推进会): a Markdown document, in Chinese or English.

Pure: `render_briefing(snapshot, as_of, lang)` reads nothing but its arguments (no clock,
no files, no terminal), and the same arguments give the same text byte for byte.

The period runs from the previous review (exclusive: the latest review *held* before
as_of, else the scheduled one, `status.period_start`) to as_of (inclusive); the look-ahead
runs from as_of to the next scheduled review. Sections, in the order cli.md asks for:

1. heading (office, as-of date, period);
2. overall counts by colour per plan, then the trend at each review date so far;
3. red tasks, then amber;
4. what was completed in the period; what changed colour since the previous review;
5. milestones (and other items) due before the next review;
6. counts by colour per lead unit;
7. stale tasks.

Every piece of user text (titles, notes, units, the office's name, review titles,
override reasons) goes through `markdown.cell` (tables) or `markdown.escape` (prose).

Speed: the full `task_status` is computed once, at as_of. The colours at the period start
and at every past review date need only the colour, so `rags_over` replays them with the
same rules without building reasons; tests/test_briefing.py checks it against
`task_status` date by date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from . import collector, markdown
from .formats import num
from .i18n import joined, labelled, rag_word, t
from .models import COUNTED, Office, Rag, Snapshot
from .reviews import Done, completed, look_ahead, period_start, trend_dates
from .status import (
    _BY_RANK,
    TaskStatus,
    _ranks_over,
    statuses,
)
from .views import TaskStatuses

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_NUMBERS = "一二三四五六七八九十"
_DONE = Rag.DONE  # looked up once: enum attribute access is slow in the hot loops


# --- what the briefing is built from --------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    """An open item falling due between as_of and the next review."""

    due: date
    status: TaskStatus
    what: str  # "" for a task without items
    rag: Rag
    reason: str


def upcoming(now: TaskStatuses, until: date, lang: str) -> list[Upcoming]:
    """Open milestones and indicators (and tasks without items) due from as_of to `until`, inclusive."""
    as_of = now.as_of
    out: list[Upcoming] = []
    for s in now.live():
        if s.task.done_on is not None and s.task.done_on <= as_of:  # ticked done as a whole
            continue
        for ms in s.milestones:
            if ms.rag is not _DONE and as_of <= ms.milestone.due <= until:
                out.append(Upcoming(ms.milestone.due, s, ms.milestone.title, ms.rag, ms.reason.words(lang)))
        for ins in s.indicators:
            if ins.rag is not _DONE and as_of <= ins.indicator.due <= until:
                out.append(Upcoming(ins.indicator.due, s, ins.indicator.name, ins.rag, ins.reason.words(lang)))
        if not s.milestones and not s.indicators and s.computed is not _DONE and as_of <= s.task.due <= until:
            words = [r.words(lang) for r in s.reasons if not r.code.startswith("override")]
            out.append(Upcoming(s.task.due, s, "", s.computed, joined(words, lang)))
    return sorted(out, key=lambda x: x.due)  # stable: task order within a day


def long_date(d: date, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _ordinal(n: int, lang: str) -> str:
    """一、 二、 … (zh) or 1. 2. … (en) for the section headings."""
    if lang != "zh":
        return f"{n}. "
    return (_NUMBERS[n - 1] if n <= 10 else f"十{_NUMBERS[n - 11]}") + "、"


def _sub(n: int, lang: str) -> str:
    """（一） （二） … for the sub-headings in Chinese; none in English."""
    return f"（{_NUMBERS[n - 1]}）" if lang == "zh" else ""


def _units(names) -> str:
    return "、".join(names)


def _count_cells(c: dict[str, int]) -> list[object]:
    return [c["red"], c["amber"], c["green"], c["done"], sum(c.values())]


def _count_headers(lang: str) -> list[str]:
    return [_cap(rag_word(lang, r.value)) for r in COUNTED] + [t(lang, "col.total")]


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _note(s: TaskStatus, lang: str) -> str:
    n = s.latest_note
    return labelled(n.on.isoformat(), n.text, lang) if n else "—"


def render_briefing(snapshot: Snapshot, as_of: date, lang: str) -> str:
    """The whole briefing as Markdown text (ends with a newline)."""
    with collector.paused():  # allocation-heavy and acyclic: the cyclic collector only costs time here
        return _render(snapshot, as_of, lang)


def _render(snapshot: Snapshot, as_of: date, lang: str) -> str:
    office = snapshot.office
    now = statuses(snapshot, as_of)
    live = now.live()
    start = period_start(office, as_of)
    ahead = look_ahead(office, as_of)
    days = trend_dates(office, as_of)
    past = [d for d in days if d != as_of]
    # the colour of every live task at every past review date (and the period start), in one pass per task
    replay = sorted(set(past) | ({start} if start else set()))
    tally = [[0, 0, 0, 0] for _ in replay]  # per replayed day, tasks by rank
    before: dict[str, Rag] = {}
    at_start = replay.index(start) if start is not None else -1
    if replay:
        for s in live:
            ranks = _ranks_over(s.task, replay, office)
            for row, r in zip(tally, ranks):
                row[r] += 1
            if at_start >= 0:
                before[s.key] = _BY_RANK[ranks[at_start]]
    counts_at = {d: {rag.value: row[rag.rank] for rag in COUNTED} for d, row in zip(replay, tally)}
    counts_at[as_of] = live.counts()

    out: list[str] = []
    add = out.append
    _heading(add, snapshot, as_of, start, ahead, lang)
    n = 0

    def section(key: str, **params) -> None:
        nonlocal n
        n += 1
        add(f"## {_ordinal(n, lang)}{t(lang, key, **params)}")
        add("")

    # 2. overall
    section("brief.h.overall")
    _overall(add, snapshot, live, counts_at, days, start, lang)

    # 3. red, then amber
    section("brief.h.behind")
    for i, rag in enumerate((Rag.RED, Rag.AMBER), 1):
        rows = live.with_rag(rag)
        add(f"### {_sub(i, lang)}{t(lang, f'brief.h.{rag.value}', n=len(rows))}")
        add("")
        _task_table(add, rows, lang)

    # 4. completed, then changed colour
    section("brief.h.progress")
    done = completed(now, before, start)
    add(f"### {_sub(1, lang)}{t(lang, 'brief.h.completed', n=len(done))}")
    add("")
    _completed(add, done, lang)
    add(f"### {_sub(2, lang)}{t(lang, 'brief.h.changes')}")
    add("")
    _changes(add, live, before, start, lang)

    # 5. look-ahead
    section("brief.h.next")
    _upcoming(add, upcoming(now, ahead, lang), ahead, lang)

    # 6. lead units
    section("brief.h.units")
    _units_table(add, live, lang)

    # 7. stale
    section("brief.h.stale")
    _stale(add, live, office, lang)

    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _heading(add, snapshot: Snapshot, as_of: date, start: date | None, ahead: date, lang: str) -> None:
    office = snapshot.office
    name = " ".join(office.name.split())  # a heading is one line
    if name:
        heading = markdown.escape(name)
        if heading.endswith("#"):  # a trailing run of # would close the heading and vanish
            heading = heading[:-1] + "\\#"
        add(f"# {heading}")
        add("")
        add(f"## {t(lang, 'brief.title')}")
    else:
        add(f"# {t(lang, 'brief.title')}")
    add("")
    lines = [t(lang, "brief.as_of", on=long_date(as_of, lang))]
    if start is not None:
        held = [r for r in office.reviews if r.held and r.on == start]
        title = next((r.title.strip() for r in reversed(held) if r.title.strip()), "")
        if title:
            label = t(lang, "brief.previous_held_titled", on=long_date(start, lang), title=markdown.escape(title))
        else:
            label = t(lang, "brief.previous_held" if held else "brief.previous_scheduled", on=long_date(start, lang))
        lines.append(t(lang, "brief.period", start=long_date(start + timedelta(days=1), lang),
                       end=long_date(as_of, lang), previous=label))
    else:
        first = min((p.start for p in snapshot.plans if not p.withdrawn), default=None)
        if first is not None and as_of < first:  # a briefing dated before the plans begin has no period yet
            lines.append(t(lang, "brief.period_not_started", start=long_date(first, lang)))
        else:
            lines.append(t(lang, "brief.period_first", start=long_date(first, lang) if first else "—",
                           end=long_date(as_of, lang)))
    lines.append(t(lang, "brief.next_review", on=long_date(ahead, lang)))
    add("  \n".join(lines))
    add("")


_cell = lru_cache(maxsize=65536)(markdown.cell)  # the same units, dates and reasons recur on every page


def _table(headers: list[str], rows: list[list[object]], align: list[str] | None = None) -> str:
    """markdown.table, with its cells escaped through a cache of markdown.cell (same output)."""
    if not rows:
        return markdown.table(headers, rows, align)
    head = markdown.table(headers, [], align)
    return head + "\n" + "\n".join("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)


def _zero() -> dict[str, int]:
    return {r.value: 0 for r in COUNTED}


def _overall(add, snapshot: Snapshot, live: TaskStatuses, counts_at: dict[date, dict[str, int]], days: list[date],
             start: date | None, lang: str) -> None:
    as_of = live.as_of
    c = counts_at[as_of]
    by_plan: dict[str, dict[str, int]] = {}
    for s in live:
        by_plan.setdefault(s.task.plan, _zero())[s.rag.value] += 1
    add(t(lang, "brief.overall", on=long_date(as_of, lang), plans=len(by_plan), total=sum(c.values()), **c))
    add("")
    if start is not None:
        was = counts_at[start]
        if c == was:
            add(t(lang, "brief.compared_same", on=long_date(start, lang)))
        else:
            parts = []
            for r in COUNTED:
                delta = c[r.value] - was[r.value]
                key = "brief.delta_up" if delta > 0 else "brief.delta_down" if delta < 0 else "brief.delta_same"
                parts.append(t(lang, key, rag=t(lang, f"brief.colour.{r.value}"), n=abs(delta)))
            add(t(lang, "brief.compared", on=long_date(start, lang), changes=t(lang, "brief.list_sep").join(parts)))
        add("")
    rows = []
    for plan_id, counts in by_plan.items():
        plan = snapshot.plan(plan_id)
        rows.append([plan.title if plan else plan_id] + _count_cells(counts))
    if len(rows) > 1:
        rows.append([t(lang, "col.total")] + _count_cells(c))
    add(_table([t(lang, "col.plan")] + _count_headers(lang), rows, ["l"] + ["r"] * 5))
    add("")
    withdrawn = sum(1 for task in snapshot.tasks if task.withdrawn)
    if withdrawn:
        add(t(lang, "brief.withdrawn", n=withdrawn))
        add("")
    add(t(lang, "brief.trend"))
    add("")
    held: dict[date, str] = {}
    for r in snapshot.office.reviews:
        if r.held:
            held[r.on] = r.title.strip() or held.get(r.on, "")
    rows = []
    for d in days:
        if d == as_of:
            note = t(lang, "brief.trend_now")
        elif d in held:
            note = t(lang, "brief.trend_held") + (t(lang, "brief.titled", title=held[d]) if held[d] else "")
        else:
            note = t(lang, "brief.trend_scheduled")
        rows.append([d.isoformat(), note] + _count_cells(counts_at[d]))
    add(_table([t(lang, "col.on"), t(lang, "brief.col.occasion")] + _count_headers(lang), rows,
                       ["l", "l"] + ["r"] * 5))
    add("")


def _none(add, lang: str) -> None:
    add(t(lang, "brief.none"))
    add("")


def _task_table(add, rows: TaskStatuses, lang: str) -> None:
    if not len(rows):
        _none(add, lang)
        return
    headers = [t(lang, k) for k in ("col.id", "col.title", "col.lead", "col.reason", "col.note")]
    body = [[s.key, s.task.title, _units(s.task.lead), joined(s.reason_words(lang), lang), _note(s, lang)] for s in rows]
    add(_table(headers, body))
    add("")


def _completed(add, done: list[Done], lang: str) -> None:
    if not done:
        _none(add, lang)
        return
    kinds = {k: sum(1 for x in done if x.kind == k) for k in ("milestone", "indicator", "task")}
    add(t(lang, "brief.completed_summary", **kinds))
    add("")
    rows = []
    for x in done:
        if x.kind == "milestone":
            what = t(lang, "brief.done_milestone", title=x.what)
        elif x.kind == "indicator":
            what = t(lang, "brief.done_indicator", name=x.what, value=num(x.value), target=num(x.target), unit=x.unit)
        else:
            what = t(lang, "brief.done_task")
        rows.append([x.on.isoformat(), x.status.key, x.status.task.title, what, _units(x.status.task.lead)])
    add(_table([t(lang, "brief.col.done_on"), t(lang, "col.id"), t(lang, "col.title"),
                        t(lang, "brief.col.done_what"), t(lang, "col.lead")], rows))
    add("")


def _changes(add, live: TaskStatuses, before: dict[str, Rag], start: date | None, lang: str) -> None:
    if start is None:
        add(t(lang, "brief.no_previous"))
        add("")
        return
    changed = [s for s in live if s.key in before and before[s.key] != s.rag]
    worse = [s for s in changed if s.rag.rank < before[s.key].rank]
    better = [s for s in changed if s.rag.rank > before[s.key].rank]
    if not changed:
        add(t(lang, "brief.changes_none", on=long_date(start, lang)))
        add("")
        return
    add(t(lang, "brief.changes_summary", on=long_date(start, lang), n=len(changed), worse=len(worse),
          better=len(better)))
    add("")
    worse_keys = {s.key for s in worse}
    rows = []
    for s in sorted(worse, key=lambda s: s.rag.rank) + sorted(better, key=lambda s: -s.rag.rank):
        direction = t(lang, "brief.worse" if s.key in worse_keys else "brief.better")
        rows.append([s.key, s.task.title, _units(s.task.lead), rag_word(lang, before[s.key].value),
                     rag_word(lang, s.rag.value), direction, joined(s.reason_words(lang), lang)])
    add(_table([t(lang, "col.id"), t(lang, "col.title"), t(lang, "col.lead"), t(lang, "brief.col.before"),
                        t(lang, "brief.col.now"), t(lang, "brief.col.change"), t(lang, "col.reason")], rows))
    add("")


def _upcoming(add, items: list[Upcoming], ahead: date, lang: str) -> None:
    add(t(lang, "brief.next_intro" if items else "brief.next_none", on=long_date(ahead, lang), n=len(items)))
    add("")
    if not items:
        return
    rows = [[x.due.isoformat(), x.status.key, x.status.task.title, x.what or t(lang, "brief.task_itself"),
             _units(x.status.task.lead), labelled(rag_word(lang, x.rag.value), x.reason, lang)] for x in items]
    add(_table([t(lang, "col.due"), t(lang, "col.id"), t(lang, "col.title"), t(lang, "brief.col.item"),
                        t(lang, "col.lead"), t(lang, "col.rag")], rows))
    add("")


def _units_table(add, live: TaskStatuses, lang: str) -> None:
    units = [u for u in live.by_unit() if u.total]
    if not units:
        _none(add, lang)
        return
    add(t(lang, "brief.units_intro"))
    add("")
    rows = [[u.unit] + _count_cells(u.counts) + [u.responsible_total] for u in units]
    add(_table([t(lang, "col.lead")] + _count_headers(lang) + [t(lang, "col.only_responsible")], rows,
                       ["l"] + ["r"] * 6))
    add("")


def _stale(add, live: TaskStatuses, office: Office, lang: str) -> None:
    stale = live.stale()
    add(t(lang, "brief.stale_intro" if len(stale) else "brief.stale_none", days=office.stale_days, n=len(stale)))
    add("")
    if not len(stale):
        return

    def idle(s: TaskStatus) -> int:
        since = max(s.last_progress, s.task.start) if s.last_progress else s.task.start
        return (s.as_of - since).days

    never = t(lang, "brief.never")
    rows = [[s.key, s.task.title, _units(s.task.lead), s.last_progress.isoformat() if s.last_progress else never,
             idle(s), rag_word(lang, s.rag.value)] for s in stale]
    rows.sort(key=lambda row: -row[4])  # stable: task order among equals
    add(_table([t(lang, "col.id"), t(lang, "col.title"), t(lang, "col.lead"), t(lang, "brief.col.last"),
                        t(lang, "brief.col.idle"), t(lang, "col.rag")], rows, ["l", "l", "l", "l", "r", "l"]))
    add("")
