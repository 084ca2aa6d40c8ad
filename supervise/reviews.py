"""Review meetings and their periods: the one home of every rule about them.

Review dates (the explicit `[[review]]` list, or every `review_every_months` from
`first_review`, at month ends), the previous and next review, where the current period
starts (the latest review *held* before the as-of date, else the scheduled one), the trend
dates (every scheduled or held review before the as-of date, then the as-of date), the
look-ahead and what falls due by it, and what was completed in a period. The briefing, the UI's review screen, the
ranking of units and the log's `--since last-review` all call these; nothing else decides
a period. Pure core: every function takes its dates; no clock.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from .dates import month_end
from .models import COUNTED, Office, Rag, Review, Task, frozen
from .status import Reason, TaskStatus, rags_over
from .views import TaskStatuses

_DONE = Rag.DONE


def review_dates(office: Office, until: date, *, explicit: bool | None = None) -> list[date]:
    """Scheduled review dates up to and including `until` (and one beyond, for look-ahead)."""
    listed = sorted({r.on for r in office.reviews if not r.held})
    if listed and explicit is not False:
        return listed
    if office.first_review is None:
        return []
    out: list[date] = []
    first = office.first_review
    k = 0
    while True:
        try:
            d = first + relativedelta(months=office.review_every_months * k)
        except (ValueError, OverflowError):  # past year 9999: the calendar ends here
            return out
        d = month_end(d.year, d.month)
        out.append(d)
        if d > until:
            return out
        k += 1


def previous_review(office: Office, as_of: date) -> date | None:
    """The latest review date strictly before as_of."""
    before = [d for d in review_dates(office, as_of) if d < as_of]
    return before[-1] if before else None


def next_review(office: Office, as_of: date) -> date | None:
    """The first review date strictly after as_of."""
    try:
        horizon = as_of + relativedelta(months=office.review_every_months + 1)
    except (ValueError, OverflowError):
        horizon = date.max
    after = [d for d in review_dates(office, horizon) if d > as_of]
    return after[0] if after else None


def held_reviews(office: Office) -> list[Review]:
    return [r for r in office.reviews if r.held]


def period_start(office: Office, as_of: date) -> date | None:
    """Where the current period begins: the latest review held before as_of, else the scheduled one."""
    held = [r.on for r in office.reviews if r.held and r.on < as_of]
    return max(held) if held else previous_review(office, as_of)



def trend_dates(office: Office, as_of: date) -> list[date]:
    """Every review date (scheduled or held) before as_of, then as_of itself."""
    days = {d for d in review_dates(office, as_of) if d < as_of}
    days |= {r.on for r in office.reviews if r.held and r.on < as_of}
    return sorted(days) + [as_of]


def look_ahead(office: Office, as_of: date) -> date:
    """The next scheduled review, or (none scheduled) one review cycle on, at a month end."""
    nxt = next_review(office, as_of)
    if nxt is not None:
        return nxt
    try:
        d = as_of + relativedelta(months=office.review_every_months or 2)
    except (ValueError, OverflowError):  # the calendar ends in 9999
        return date.max
    return month_end(d.year, d.month)


@frozen
class Falling:
    """An open item falling due: a milestone, an indicator, or a task without items (what "")."""

    due: date
    status: TaskStatus
    what: str  # the milestone's title or the indicator's name; "" for a task without items
    item: str | None  # the milestone's or indicator's id
    rag: Rag
    reasons: tuple[Reason, ...]  # the item's reason; a task's own reasons, overrides left out


def falling_due(view: TaskStatuses, until: date, since: date | None = None) -> list[Falling]:
    """Open milestones and indicators (and tasks without items) due by `until`, and from `since` on
    when given: the briefing's look-ahead (since the as-of date, until the next review) and the
    UI's timeline (overdue ones too) alike. A task ticked done as a whole, or withdrawn, has none.
    By due date; within a day in the view's order, a task's milestones before its indicators."""
    as_of = view.as_of
    low = since if since is not None else date.min
    out: list[Falling] = []
    for s in view.live():
        if s.task.done_on is not None and s.task.done_on <= as_of:  # ticked done as a whole
            continue
        for ms in s.milestones:
            m = ms.milestone
            if ms.rag is not _DONE and low <= m.due <= until:
                out.append(Falling(m.due, s, m.title, m.id, ms.rag, (ms.reason,)))
        for ins in s.indicators:
            i = ins.indicator
            if ins.rag is not _DONE and low <= i.due <= until:
                out.append(Falling(i.due, s, i.name, i.id, ins.rag, (ins.reason,)))
        if not s.milestones and not s.indicators and s.computed is not _DONE and low <= s.task.due <= until:
            own = tuple(r for r in s.reasons if not r.code.startswith("override"))
            out.append(Falling(s.task.due, s, "", None, s.computed, own))
    return sorted(out, key=lambda x: x.due)  # stable: the view's order within a day


# --- the trend --------------------------------------------------------------------------------


@frozen
class Trend:
    """Live tasks by colour at every trend date (`trend_dates`: the review dates before as_of, then
    as_of) and, when asked, at the period start; with each live task's colour at that start."""

    days: list[date]  # trend_dates(office, as_of)
    counts: dict[date, dict[str, int]]  # day -> {colour: tasks} in COUNTED's order, for days and start
    before: dict[str, Rag]  # task key -> its colour at `start` (empty without a start)


def trend(live: TaskStatuses, office: Office, start: date | None = None) -> Trend:
    """The colour of every live task replayed at each past trend date (and at `start`) through the
    status engine (`rags_over`: one pass per task over all the days), counted by colour; at as_of
    the live statuses' own counts. The briefing and the ledger's summary both take it from here."""
    as_of = live.as_of
    days = trend_dates(office, as_of)
    replay = sorted(set(days[:-1]) | ({start} if start is not None else set()))
    tally = [[0, 0, 0, 0] for _ in replay]  # per replayed day, tasks by rank
    before: dict[str, Rag] = {}
    at_start = replay.index(start) if start is not None else -1
    if replay:
        for s in live:
            rags = rags_over(s.task, replay, office)
            for row, rag in zip(tally, rags):
                row[rag.rank] += 1
            if at_start >= 0:
                before[s.key] = rags[at_start]
    counts = {d: {rag.value: row[rag.rank] for rag in COUNTED} for d, row in zip(replay, tally)}
    counts[as_of] = live.counts()
    return Trend(days, counts, before)


# --- what was completed in a period ----------------------------------------------------------


@frozen
class Done:
    """One line of "completed in the period"."""

    on: date
    status: TaskStatus
    kind: str  # "milestone", "indicator" or "task"
    what: str  # the milestone's title or the indicator's name ("" for the task)
    value: float | None = None
    target: float | None = None
    unit: str = ""


def first_met(ind, upto: date) -> tuple[date, float] | None:
    """The day (and value) the target was first met on or before `upto`."""
    for m in ind.values:
        if m.on > upto:
            break
        if ind.met(m.value):
            return m.on, m.value
    return None


def met_since(ind, upto: date) -> date | None:
    """Start of the current unbroken run of measurements meeting the target (None if not met at `upto`)."""
    since = None
    for m in ind.values:
        if m.on > upto:
            break
        met = ind.met(m.value)
        since = (since or m.on) if met else None
    return since


def done_date(task: Task, as_of: date) -> date:
    """When a task that is done at as_of became done: its own tick, else its last item to finish."""
    if task.done_on is not None and task.done_on <= as_of:
        return task.done_on
    days = [m.done_on for m in task.live_milestones if m.done_on and m.done_on <= as_of]
    days += [d for d in (met_since(i, as_of) for i in task.live_indicators) if d]
    return max(days) if days else as_of


def completed(now: TaskStatuses, before: dict[str, Rag], start: date | None) -> list[Done]:
    """Milestones done, indicator targets first met, and tasks turned done, in (start, as_of]."""
    as_of = now.as_of
    out: list[Done] = []

    def inside(d: date | None) -> bool:
        return d is not None and d <= as_of and (start is None or d > start)

    for s in now.live():
        for m in s.task.live_milestones:
            if m.done_on is not None and inside(m.done_on):
                out.append(Done(m.done_on, s, "milestone", m.title))
        for ind in s.task.live_indicators:
            met = first_met(ind, as_of)
            if met and inside(met[0]):
                out.append(Done(met[0], s, "indicator", ind.name, met[1], ind.target, ind.unit))
        if s.rag is _DONE and before.get(s.key) is not _DONE:
            out.append(Done(done_date(s.task, as_of), s, "task", ""))
    return sorted(out, key=lambda x: x.on)  # stable: task order, then milestones, indicators, the task


