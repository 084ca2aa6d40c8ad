"""The briefing for the review meeting (双月推进会), in Chinese or English: built once as a
document (supervise.document) and rendered to Markdown or to Word (supervise.render).

Pure: `build_briefing(snapshot, as_of, lang)` reads nothing but its arguments (no clock,
no files, no terminal), and the same arguments give the same document; `render_briefing`
is its Markdown text, byte for byte the same every time.

The period runs from the previous review (exclusive: the latest review *held* before
as_of, else the scheduled one, `status.period_start`) to as_of (inclusive); the look-ahead
runs from as_of to the next scheduled review. Sections, in the order cli.md asks for:

1. heading (office, as-of date, period);
2. overall counts by colour per plan, then the trend at each review date so far;
3. red tasks, then amber (with their responsible units);
4. what was completed in the period; what changed colour since the previous review;
5. milestones (and other items) due before the next review;
6. the ranking of lead units (ranking.rank_units: the figures of `units` and the ledger);
7. stale tasks, grouped by lead unit;
then the 落款 (the office, the date).

A dated document says dates, not "today" or "in N days": reasons are worded here from their
code and parameters (`dated_words`), dates in the document's form (`day`: 2021年10月31日 in
Chinese). Every string in the document is plain text — the renderers alone escape it.

Speed: the full `task_status` is computed once, at as_of. The colours at the period start
and at every past review date need only the colour: `rags_over` runs the same engine on all
those days at once, without building reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import collector
from .document import Document, Heading, Paragraph, Signature, Table
from .formats import grouped, num, with_unit
from .i18n import Msg, chinese_numeral, joined, labelled, rag_word, t
from .models import COUNTED, Office, Rag, Snapshot
from .reviews import Done, completed, falling_due, look_ahead, period_start, trend
from .status import Reason, TaskStatus
from .views import statuses
from .views import TaskStatuses

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
    """Open milestones and indicators (and tasks without items) due from as_of to `until`, inclusive
    (reviews.falling_due, the UI timeline's rule too), their reasons as a dated document says them."""
    return [Upcoming(f.due, f.status, f.what, f.rag, joined([dated_words(r, lang) for r in f.reasons], lang))
            for f in falling_due(now, until, since=now.as_of)]


def long_date(d: date, lang: str) -> str:
    """2021年10月31日 / 31 October 2021 (layout.date_long)."""
    return t(lang, "layout.date_long", year=d.year, month=Msg(f"layout.month.{d.month}"), day=d.day)


def day(d: date, lang: str) -> str:
    """A date in a table or a reason: 2021年10月31日 in a Chinese document, 2021-10-31 in an English one."""
    return t(lang, "layout.date_in_table", iso=d.isoformat(), year=d.year, month=Msg(f"layout.month.{d.month}"), day=d.day)


_NAMED = ("pace", "no_value", "missed", "no_value_missed")


def dated_words(r: Reason, lang: str) -> str:
    """A status reason as a dated document says it: the due date instead of "today" / "in N days",
    dates in the document's form, an indicator by its name, value and target. Built from the
    reason's code and parameters; any other reason in the words the status gives it."""
    p = dict(r.params)
    code = r.code
    if code in ("due_in", "due_today") and "due_on" in p:
        text = t(lang, "brief.reason.due_on", on=day(p["due_on"], lang))
    elif code in _NAMED and "name" in p:
        target = with_unit(grouped(p["goal"]), p["unit"])
        amount = f"{grouped(p['latest'])}/{target}"
        return t(lang, f"brief.reason.{code}", name=p["name"], amount=amount, target=target,
                 due=p.get("due"), on=day(p["due_on"], lang))  # named: no "subject：" before it
    elif code == "done_on":
        text = t(lang, "brief.reason.done_on", on=day(date.fromisoformat(p["on"]), lang))
    elif code == "override_until":
        text = t(lang, "reason.override_until", until=day(date.fromisoformat(p["until"]), lang), reason=p["reason"])
    else:
        return r.words(lang)
    return labelled(r.subject, text, lang) if r.subject else text


def dated_reasons(s: TaskStatus, lang: str) -> str:
    """A task's reasons in one line as a dated document (the briefing, a chase-up notice) says them."""
    return joined([dated_words(r, lang) for r in s.reasons], lang)


def _ordinal(n: int, lang: str) -> str:
    """一、 二、 … (zh) or 1. 2. … (en) for the section headings."""
    return t(lang, "layout.heading_number", n=n, cn=chinese_numeral(n))


def _sub(n: int, lang: str) -> str:
    """（一） （二） … for the sub-headings in Chinese; none in English."""
    return t(lang, "layout.sub_heading_number", cn=chinese_numeral(n))


def _units(names) -> str:
    return "、".join(names)


def _count_cells(c: dict[str, int]) -> list[str]:
    return [str(c["red"]), str(c["amber"]), str(c["green"]), str(c["done"]), str(sum(c.values()))]


def _count_headers(lang: str) -> list[str]:
    return [_cap(rag_word(lang, r.value)) for r in COUNTED] + [t(lang, "col.total")]


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _note(s: TaskStatus, lang: str) -> str:
    n = s.latest_note
    return labelled(day(n.on, lang), n.text, lang) if n else "—"


def build_briefing(snapshot: Snapshot, as_of: date, lang: str) -> Document:
    """The whole briefing as a document (pure: the same arguments give the same document)."""
    with collector.paused():  # allocation-heavy and acyclic: the cyclic collector only costs time here
        return Document(tuple(_blocks(snapshot, as_of, lang)))


def render_briefing(snapshot: Snapshot, as_of: date, lang: str) -> str:
    """The whole briefing as Markdown text (ends with a newline)."""
    from .render import markdown

    doc = build_briefing(snapshot, as_of, lang)
    with collector.paused():
        return markdown.render(doc)


def _blocks(snapshot: Snapshot, as_of: date, lang: str) -> list:
    office = snapshot.office
    now = statuses(snapshot, as_of)
    live = now.live()
    start = period_start(office, as_of)
    ahead = look_ahead(office, as_of)
    replayed = trend(live, office, start)  # the colours at every past review date and at the period start
    days, counts_at, before = replayed.days, replayed.counts, replayed.before

    out: list = []
    add = out.append
    _heading(add, snapshot, as_of, start, ahead, lang)
    n = 0

    def section(key: str, **params) -> None:
        nonlocal n
        n += 1
        add(Heading(f"{_ordinal(n, lang)}{t(lang, key, **params)}", 1))

    # 2. overall
    section("brief.h.overall")
    _overall(add, snapshot, live, counts_at, days, start, lang)

    # 3. red, then amber
    section("brief.h.behind")
    for i, rag in enumerate((Rag.RED, Rag.AMBER), 1):
        rows = live.with_rag(rag)
        add(Heading(f"{_sub(i, lang)}{t(lang, f'brief.h.{rag.value}', n=len(rows))}", 2))
        _task_table(add, rows, lang)

    # 4. completed, then changed colour
    section("brief.h.progress")
    done = completed(now, before, start)
    add(Heading(f"{_sub(1, lang)}{t(lang, 'brief.h.completed', n=len(done))}", 2))
    _completed(add, done, lang)
    add(Heading(f"{_sub(2, lang)}{t(lang, 'brief.h.changes')}", 2))
    _changes(add, live, before, start, lang)

    # 5. look-ahead
    section("brief.h.next")
    _upcoming(add, upcoming(now, ahead, lang), ahead, lang)

    # 6. lead units
    section("brief.h.units")
    _units_table(add, live, office, lang)

    # 7. stale
    section("brief.h.stale")
    _stale(add, live, office, lang)

    # 8. chase-up notices (督办单): only in an office that has issued any by as_of
    if any(s.reminders for s in live):
        section("brief.h.notices")
        _notices(add, live, start, lang)

    # 落款: the office and the date
    name = " ".join(office.name.split())
    add(Signature(((name,) if name else ()) + (long_date(as_of, lang),)))
    return out


def _p(text: str) -> Paragraph:
    return Paragraph((text,))


def _heading(add, snapshot: Snapshot, as_of: date, start: date | None, ahead: date, lang: str) -> None:
    office = snapshot.office
    name = " ".join(office.name.split())  # a heading is one line
    if name:
        add(Heading(name, 0))
    add(Heading(t(lang, "brief.title"), 0))
    lines = [t(lang, "brief.as_of", on=long_date(as_of, lang))]
    if start is not None:
        held = [r for r in office.reviews if r.held and r.on == start]
        title = next((r.title.strip() for r in reversed(held) if r.title.strip()), "")
        if title:
            label = t(lang, "brief.previous_held_titled", on=long_date(start, lang), title=title)
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
    add(Paragraph(tuple(lines)))


_ALIGN = {"l": "left", "r": "right", "c": "center"}


def _table(headers: list[str], rows: list[list[object]], align: list[str] | None = None) -> Table:
    return Table(tuple(headers), tuple(tuple(str(c) for c in row) for row in rows),
                 tuple(_ALIGN[a] for a in align) if align else None)


def _zero() -> dict[str, int]:
    return {r.value: 0 for r in COUNTED}


def _overall(add, snapshot: Snapshot, live: TaskStatuses, counts_at: dict[date, dict[str, int]], days: list[date],
             start: date | None, lang: str) -> None:
    as_of = live.as_of
    c = counts_at[as_of]
    by_plan: dict[str, dict[str, int]] = {}
    for s in live:
        by_plan.setdefault(s.task.plan, _zero())[s.rag.value] += 1
    add(_p(t(lang, "brief.overall", on=long_date(as_of, lang), plans=len(by_plan), total=sum(c.values()), **c)))
    if start is not None:
        was = counts_at[start]
        if c == was:
            add(_p(t(lang, "brief.compared_same", on=long_date(start, lang))))
        else:
            parts = []
            for r in COUNTED:
                delta = c[r.value] - was[r.value]
                key = "brief.delta_up" if delta > 0 else "brief.delta_down" if delta < 0 else "brief.delta_same"
                parts.append(t(lang, key, rag=t(lang, f"brief.colour.{r.value}"), n=abs(delta)))
            add(_p(t(lang, "brief.compared", on=long_date(start, lang), changes=t(lang, "brief.list_sep").join(parts))))
    rows = []
    for plan_id, counts in by_plan.items():
        plan = snapshot.plan(plan_id)
        rows.append([plan.title if plan else plan_id] + _count_cells(counts))
    if len(rows) > 1:
        rows.append([t(lang, "col.total")] + _count_cells(c))
    add(_table([t(lang, "col.plan")] + _count_headers(lang), rows, ["l"] + ["r"] * 5))
    withdrawn = sum(1 for task in snapshot.tasks if task.withdrawn)
    if withdrawn:
        add(_p(t(lang, "brief.withdrawn", n=withdrawn)))
    add(_p(t(lang, "brief.trend")))
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
        rows.append([day(d, lang), note] + _count_cells(counts_at[d]))
    add(_table([t(lang, "col.on"), t(lang, "brief.col.occasion")] + _count_headers(lang), rows,
                       ["l", "l"] + ["r"] * 5))


def _none(add, lang: str) -> None:
    add(_p(t(lang, "brief.none")))


def _task_table(add, rows: TaskStatuses, lang: str) -> None:
    if not len(rows):
        _none(add, lang)
        return
    headers = [t(lang, k) for k in ("col.id", "col.title", "col.lead", "col.responsible", "col.reason", "col.note")]
    body = [[s.key, s.task.title, _units(s.task.lead), _units(s.task.responsible) or "—", dated_reasons(s, lang),
             _note(s, lang)] for s in rows]
    add(_table(headers, body))


def _completed(add, done: list[Done], lang: str) -> None:
    if not done:
        _none(add, lang)
        return
    kinds = {k: sum(1 for x in done if x.kind == k) for k in ("milestone", "indicator", "task")}
    add(_p(t(lang, "brief.completed_summary", **kinds)))
    rows = []
    for x in done:
        if x.kind == "milestone":
            what = t(lang, "brief.done_milestone", title=x.what)
        elif x.kind == "indicator":
            what = t(lang, "brief.done_indicator", name=x.what, value=num(x.value), target=num(x.target), unit=x.unit)
        else:
            what = t(lang, "brief.done_task")
        rows.append([day(x.on, lang), x.status.key, x.status.task.title, what, _units(x.status.task.lead)])
    add(_table([t(lang, "brief.col.done_on"), t(lang, "col.id"), t(lang, "col.title"),
                        t(lang, "brief.col.done_what"), t(lang, "col.lead")], rows))


def _changes(add, live: TaskStatuses, before: dict[str, Rag], start: date | None, lang: str) -> None:
    if start is None:
        add(_p(t(lang, "brief.no_previous")))
        return
    changed = [s for s in live if s.key in before and before[s.key] != s.rag]
    worse = [s for s in changed if s.rag.rank < before[s.key].rank]
    better = [s for s in changed if s.rag.rank > before[s.key].rank]
    if not changed:
        add(_p(t(lang, "brief.changes_none", on=long_date(start, lang))))
        return
    add(_p(t(lang, "brief.changes_summary", on=long_date(start, lang), n=len(changed), worse=len(worse),
          better=len(better))))
    worse_keys = {s.key for s in worse}
    rows = []
    for s in sorted(worse, key=lambda s: s.rag.rank) + sorted(better, key=lambda s: -s.rag.rank):
        direction = t(lang, "brief.worse" if s.key in worse_keys else "brief.better")
        rows.append([s.key, s.task.title, _units(s.task.lead), rag_word(lang, before[s.key].value),
                     rag_word(lang, s.rag.value), direction, dated_reasons(s, lang)])
    add(_table([t(lang, "col.id"), t(lang, "col.title"), t(lang, "col.lead"), t(lang, "brief.col.before"),
                        t(lang, "brief.col.now"), t(lang, "brief.col.change"), t(lang, "col.reason")], rows))


def _upcoming(add, items: list[Upcoming], ahead: date, lang: str) -> None:
    add(_p(t(lang, "brief.next_intro" if items else "brief.next_none", on=long_date(ahead, lang), n=len(items))))
    if not items:
        return
    rows = [[day(x.due, lang), x.status.key, x.status.task.title, x.what or t(lang, "brief.task_itself"),
             _units(x.status.task.lead), labelled(rag_word(lang, x.rag.value), x.reason, lang)] for x in items]
    add(_table([t(lang, "col.due"), t(lang, "col.id"), t(lang, "col.title"), t(lang, "brief.col.item"),
                        t(lang, "col.lead"), t(lang, "col.rag")], rows))


def _units_table(add, live: TaskStatuses, office: Office, lang: str) -> None:
    """The ranking of lead units (ranking.rank_units: the same figures as `units` and the ledger),
    with the tasks each unit takes part in only as a responsible unit."""
    from .ranking import rank_units, ranking_cells, ranking_headers

    units = rank_units(live, live.as_of, office)
    if not units:
        _none(add, lang)
        return
    add(_p(t(lang, "brief.units_ranked", basis=t(lang, "units.basis"))))
    only = {u.unit: u.responsible_total for u in live.by_unit()}
    rows = [ranking_cells(u) + [only.get(u.unit, 0)] for u in units]
    add(_table(ranking_headers(lang) + [t(lang, "col.only_responsible")], rows, ["r", "l"] + ["r"] * 10))


def _notices(add, live: TaskStatuses, start: date | None, lang: str) -> None:
    """Notices issued in the period (by number: unit, dates, level, tasks, answered), then every
    task whose latest notice is still unanswered, longest overdue first."""
    issued: dict[str, list] = {}
    for s in live:
        for r in s.reminders:
            if start is None or r.reminder.issued_on > start:
                issued.setdefault(r.reminder.number, []).append(r)
    add(Heading(f"{_sub(1, lang)}{t(lang, 'brief.h.notices_issued', n=len(issued))}", 2))
    if issued:
        rows = []
        for number, rs in sorted(issued.items(), key=lambda kv: (kv[1][0].reminder.issued_on, kv[0])):
            r0 = rs[0].reminder
            rows.append([number, r0.unit, day(r0.issued_on, lang), day(r0.reply_by, lang),
                         str(max(r.reminder.level for r in rs)), str(len(rs)),
                         str(sum(1 for r in rs if r.answered_on is not None))])
        add(_table([t(lang, k) for k in ("brief.col.notice", "col.lead", "brief.col.issued", "brief.col.reply_by",
                                        "brief.col.level", "brief.col.tasks", "brief.col.answered")],
                   rows, ["l", "l", "l", "l", "r", "r", "r"]))
    else:
        _none(add, lang)
    waiting = [(s, s.reminders[-1]) for s in live if s.reminders and s.reminders[-1].answered_on is None]
    waiting.sort(key=lambda x: -x[1].overdue_days)  # stable: task order among equals
    add(Heading(f"{_sub(2, lang)}{t(lang, 'brief.h.notices_waiting', n=len(waiting))}", 2))
    if not waiting:
        _none(add, lang)
        return
    add(_table([t(lang, k) for k in ("col.id", "col.title", "col.lead", "brief.col.notice", "brief.col.reply_by",
                                    "brief.col.overdue")],
               [[s.key, s.task.title, _units(s.task.lead), r.reminder.number, day(r.reminder.reply_by, lang),
                 str(r.overdue_days) if r.overdue_days else "—"] for s, r in waiting],
               ["l", "l", "l", "l", "l", "r"]))


def _stale(add, live: TaskStatuses, office: Office, lang: str) -> None:
    stale = live.stale()
    add(_p(t(lang, "brief.stale_intro" if len(stale) else "brief.stale_none", days=office.stale_days, n=len(stale))))
    if not len(stale):
        return

    def idle(s: TaskStatus) -> int:
        since = max(s.last_progress, s.task.start) if s.last_progress else s.task.start
        return (s.as_of - since).days

    by_unit: dict[str, list[tuple[int, TaskStatus]]] = {}
    for s in stale:
        for unit in s.task.lead or ("—",):
            by_unit.setdefault(unit, []).append((idle(s), s))
    groups = sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), -max(d for d, _ in kv[1])))  # stable: first seen
    rows = []
    for unit, items in groups:
        items.sort(key=lambda x: -x[0])  # longest idle first; stable: task order among equals
        rows.append([unit, str(len(items)), "\n".join(t(lang, "brief.stale_item", id=s.key, title=s.task.title, days=d)
                                                    for d, s in items)])
    add(_table([t(lang, "col.lead"), t(lang, "brief.col.stale_n"), t(lang, "brief.col.stale_tasks")], rows,
               ["l", "r", "l"]))
