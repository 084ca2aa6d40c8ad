"""Red / amber / green, as shared/spec/status-rules.md defines it.

Every function takes `as_of` and reads nothing else: the same inputs give the
same colours on any day, so the past can be replayed. Reasons are structured
(`Reason`) and put into words by the shell in the user's language.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from collections.abc import Sequence

from .i18n import labelled as _labelled
from .i18n import t as _t
from .models import (
    COUNTED,
    Indicator,
    Measurement,
    Milestone,
    Office,
    Override,
    Rag,
    Reminder,
    Task,
    frozen,
)

_EPS = 9  # lag is compared after rounding to this many decimals, so 0.5 - 0.4 counts as exactly 10 points
_WORDS: dict = {}  # (Reason, lang) → text: a big office repeats the same few thousand reasons
_WORDS_MAX = 200_000  # a long session travelling through time must not grow it without end
_BY_RANK = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.DONE)  # Rag.rank → Rag
_AMBER: dict[int, timedelta] = {}  # office.amber_days → the timedelta, made once


@frozen
class Reason:
    code: str  # a catalogue key under "reason."
    params: tuple[tuple[str, object], ...] = ()
    subject: str = ""  # the item's title, when a task's reason must say which item

    @classmethod
    def of(cls, code: str, **params) -> "Reason":
        return cls(code, tuple(params.items()))

    def words(self, lang: str = "en") -> str:
        # the text without its subject is what repeats ("逾期12天" under thousands of milestone
        # titles): cached once per (code, params, lang); the subject is put in front of it
        key = (self.code, self.params, lang)  # a plain tuple: hashed and compared in C
        text = _WORDS.get(key)
        if text is None:
            if len(_WORDS) >= _WORDS_MAX:
                _WORDS.clear()
            text = _WORDS[key] = self._words(lang)
        if self.subject:
            return _labelled(self.subject, text, lang)
        return text

    def _words(self, lang: str) -> str:
        params = dict(self.params)
        code = self.code
        if code in ("overdue", "due_in") and params.get("days") == 1:
            code += "_one"
        return _t(lang, f"reason.{code}", **params)

    def about(self, subject: str) -> "Reason":
        return Reason(self.code, self.params, subject)


_ALL_DONE = Reason("all_done")


@frozen
class MilestoneStatus:
    milestone: Milestone
    rag: Rag
    as_of: date

    @property
    def reason(self) -> Reason:
        """Worked out when asked: a list shows a task's reasons, not each of its 50,000 milestones'."""
        m = self.milestone
        return _deadline(m.due, m.done_on, self.as_of)


@frozen
class IndicatorStatus:
    indicator: Indicator
    rag: Rag
    reason: Reason
    value: float | None  # latest measured value on or before as_of (None: none reported)
    measured_on: date | None
    expected: float
    lag: float  # percentage points behind the time-proportional schedule (negative: ahead)
    progress: float  # share of the way from baseline to target, 0..1 (can exceed)


@frozen
class TaskStatus:
    task: Task
    as_of: date
    rag: Rag
    reasons: tuple[Reason, ...]
    computed: Rag  # the colour before any override
    override: Override | None
    stale: bool
    last_progress: date | None
    next_due: date | None
    milestones: tuple[MilestoneStatus, ...]
    indicators: tuple[IndicatorStatus, ...]
    reminders: tuple["ReminderStatus", ...] = ()  # the notices issued on or before as_of

    @property
    def key(self) -> str:
        return self.task.key

    @property
    def awaiting_reply(self) -> bool:
        """Under a notice not yet answered (whether or not its reply date has passed)."""
        return any(r.answered_on is None for r in self.reminders)

    @property
    def reply_overdue(self) -> bool:
        return any(r.overdue_days > 0 for r in self.reminders)

    @property
    def overridden(self) -> bool:
        return self.override is not None

    def reason_words(self, lang: str = "en") -> list[str]:
        return [r.words(lang) for r in self.reasons]

    @property
    def latest_note(self):
        notes = [n for n in self.task.notes if n.on <= self.as_of]
        return notes[-1] if notes else None


def _deadline(due: date, done_on: date | None, as_of: date, subject: str = "") -> Reason:
    """The reason beside a deadline's colour (`_deadline_ranks` gives the colour), also for a task
    without items; `subject`: the milestone's title, when a task's reasons must say which item."""
    if done_on is not None and done_on <= as_of:
        return Reason("done_on", (("on", done_on.isoformat()),), subject)
    days = (due - as_of).days
    # `due_on` (unused by the words) lets a dated document say the date instead of "today" or "in N days"
    if days < 0:
        return Reason("overdue", (("days", -days), ("due_on", due)), subject)
    if days == 0:
        return Reason("due_today", (("due_on", due),), subject)
    return Reason("due_in", (("days", days), ("due_on", due)), subject)


def _deadline_ranks(due: date, done_on: date | None, days: Sequence[date], amber: timedelta) -> list[int]:
    """The milestone rule (also a task's own deadline when it has no items), as a rank on each day:
    done on or before the day 3; past due 0 (red); due within `amber` days (due day included) 1; else 2."""
    soon = due - amber
    # one day (task_status: 50,000 milestones in a dense office's status), without a comprehension to set up;
    # the same rule as the lines below, which test_rags_over_matches_task_status holds together
    if len(days) == 1:
        d = days[0]
        return [3 if done_on is not None and done_on <= d else 0 if due < d else 1 if d >= soon else 2]
    if done_on is None:
        return [0 if due < d else 1 if d >= soon else 2 for d in days]
    return [3 if done_on <= d else 0 if due < d else 1 if d >= soon else 2 for d in days]


def milestone_status(m: Milestone, as_of: date, office: Office) -> MilestoneStatus:
    rank = _deadline_ranks(m.due, m.done_on, (as_of,), timedelta(days=office.amber_days))[0]
    return MilestoneStatus(m, _BY_RANK[rank], as_of)


def _segments(ind: Indicator, start: date) -> list[tuple[date, float]]:
    """The corners of 序时进度: (start, baseline), the checkpoints inside (start, due), (due, target)."""
    return [(start, ind.baseline), *[(c.on, c.value) for c in ind.checkpoints if start < c.on < ind.due],
            (ind.due, ind.target)]


def _expected_over(ind: Indicator, start: date, days: Sequence[date]) -> list[float]:
    """expected_value on each of `days` (ascending): the segments walked once with the days."""
    base, due = ind.baseline, ind.due
    points = None  # worked out on the first day inside the schedule
    out = []
    j = 0
    for d in days:
        if d <= start:
            out.append(float(base))
        elif d >= due:
            out.append(float(ind.target))
        else:
            if points is None:
                points = _segments(ind, start)
            while d > points[j + 1][0]:  # the first segment (d0, d1) with d0 <= d <= d1
                j += 1
            (d0, v0), (d1, v1) = points[j], points[j + 1]
            span = (d1 - d0).days
            out.append(float(v1) if span == 0 else v0 + (v1 - v0) * (d - d0).days / span)
    return out


def expected_value(ind: Indicator, start: date, as_of: date) -> float:
    """序时进度: piecewise linear from (start, baseline) through the checkpoints to (due, target)."""
    return _expected_over(ind, start, (as_of,))[0]


def _progress(ind: Indicator, x: float) -> float:
    return (x - ind.baseline) / (ind.target - ind.baseline)


def _pct(x: float, digits: int = 1) -> str:
    value = round(x * 100, digits)
    return str(int(value)) if value.is_integer() else str(value)


def _pace_pcts(done: float, due: float, lag: float, office: Office) -> tuple[str, str]:
    """The two percentages of a pace reason, with as many decimals as it takes for their
    difference to fall in the same band as the lag itself: 19.99% against 50% is 30.01 points
    (red), which "20% done, 50% due" would read as the amber limit."""
    amber, red = office.lag_amber, office.lag_red
    band = 0 if lag < amber else 1 if lag <= red else 2
    for digits in (1, 2, 3):
        points = round(due * 100, digits) - round(done * 100, digits)
        if (0 if points < amber else 1 if points <= red else 2) == band:
            break
    return _pct(done, digits), _pct(due, digits)


def _indicator_over(ind: Indicator, start: date, days: Sequence[date], office: Office,
                    ) -> list[tuple[int, Measurement | None, float, float]]:
    """The indicator rule on each of `days` (ascending): (rank, latest measurement on or before
    the day, expected value, lag in points). Target met (the one rule, Indicator.met): done;
    past due and not met: red; else the lag against the expected value: under lag_amber green,
    up to lag_red amber, beyond it red."""
    values = ind.values  # oldest first: the last one on or before the day wins
    base, span, due = ind.baseline, ind.target - ind.baseline, ind.due
    lag_amber, lag_red, met = office.lag_amber, office.lag_red, ind.met
    out: list[tuple[int, Measurement | None, float, float]] = []
    k, n, latest = 0, len(values), None
    for d, expected in zip(days, _expected_over(ind, start, days)):
        while k < n and values[k].on <= d:
            latest = values[k]
            k += 1
        v = float(base) if latest is None else latest.value
        # the lag is compared after rounding (_EPS decimals), so 0.5 - 0.4 counts as exactly 10 points
        lag = round(((expected - base) / span - (v - base) / span) * 100, _EPS)
        if met(v):
            rank = 3
        elif d > due:
            rank = 0
        else:
            rank = 2 if lag < lag_amber else 1 if lag <= lag_red else 0
        out.append((rank, latest, expected, lag))
    return out


def indicator_status(ind: Indicator, start: date, as_of: date, office: Office) -> IndicatorStatus:
    return _indicator_status(ind, start, as_of, office, _indicator_over(ind, start, (as_of,), office)[0])


def _indicator_status(ind: Indicator, start: date, as_of: date, office: Office,
                      found: tuple[int, Measurement | None, float, float]) -> IndicatorStatus:
    """The status of an indicator from the engine's finding on as_of: the colour and its reason."""
    rank, latest, expected, lag = found
    v = latest.value if latest else float(ind.baseline)
    progress = _progress(ind, v)
    if rank == 3:
        reason = Reason("met", (("value", _num(v)), ("target", _num(ind.target))))
    else:
        # the indicator itself (unused by the words), for documents that name it: "培训家庭照护者 3,500/20,000 人"
        about = (("name", ind.name), ("latest", latest.value if latest else None), ("goal", ind.target),
                 ("unit", ind.unit), ("due_on", ind.due))
        if as_of > ind.due:
            late = ("days", (as_of - ind.due).days)
            reason = (Reason("missed", (late, ("done", _pct(progress)), *about)) if latest
                      else Reason("no_value_missed", (late, *about)))
        else:
            done_pct, due_pct = _pace_pcts(progress, _progress(ind, expected), lag, office)
            reason = (Reason("pace", (("done", done_pct), ("due", due_pct), *about)) if latest
                      else Reason("no_value", (("due", due_pct), *about)))
    return IndicatorStatus(ind, _BY_RANK[rank], reason, latest.value if latest else None,
                           latest.on if latest else None, expected, lag, progress)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# Units that count whole things: an expected 1664.84户 is read as 1665户. A unit made only of these
# (户, 人, 人次, 个) counts; 万人 or 亿元 do not (1.5万人 is a number of people).
COUNTED_UNITS = frozenset("户人个家所张名项次件台辆座条套处间床支场批位例")


def precision(ind: Indicator) -> int:
    """How many decimals an indicator's numbers are read in: none for a counted unit (户, 人, 个 …),
    otherwise as many as its plan gives its baseline, target and checkpoints (95.5% → 1)."""
    unit = ind.unit.strip()
    if unit and all(ch in COUNTED_UNITS for ch in unit):
        return 0
    return max(_decimals(x) for x in (ind.baseline, ind.target, *(c.value for c in ind.checkpoints)))


def _decimals(x: float) -> int:
    text = repr(float(x))
    if not math.isfinite(x) or "e" in text:
        return 0
    return min(4, len(text.partition(".")[2].rstrip("0")))


def amount(ind: Indicator, x: float | None) -> str:
    """A number worked out for an indicator (the value expected by now), for people: at the
    indicator's own precision. The one rounding rule wherever such a number is said in words."""
    if x is None:
        return "—"
    if not math.isfinite(x):
        return str(x)
    digits = precision(ind)
    r = round(float(x), digits) + 0.0  # + 0.0: never "-0"
    if abs(r) >= 1e15:  # a slip of the keyboard (1e308), not three hundred digits
        return f"{r:.6g}"
    return f"{r:.{digits}f}" if digits else str(int(r)) if r else "0"


def active_override(task: Task, as_of: date) -> Override | None:
    """The most recently set override in force on as_of."""
    live = [o for o in task.overrides if o.active_on(as_of)]
    return max(live, key=lambda o: (o.start, o.id)) if live else None


def last_progress(task: Task, as_of: date) -> date | None:
    latest = task.done_on if task.done_on is not None and task.done_on <= as_of else None
    for m in task.milestones:
        on = m.done_on
        if on is not None and on <= as_of and (latest is None or on > latest):
            latest = on
    for i in task.indicators:
        for v in i.values:
            on = v.on
            if on <= as_of and (latest is None or on > latest):
                latest = on
    for n in task.notes:
        on = n.on
        if on <= as_of and (latest is None or on > latest):
            latest = on
    return latest


# --- chase-up notices (督办单) ---------------------------------------------------------------


@frozen
class ReminderStatus:
    reminder: Reminder
    answered_on: date | None  # the first progress dated after the issue date, on or before as_of
    overdue_days: int  # days past the reply date with no answer (0: answered, or not yet due)


def first_progress_after(task: Task, after: date, as_of: date) -> date | None:
    """The earliest progress (tick, value, note) dated after `after` and on or before `as_of`."""
    days = [m.done_on for m in task.milestones if m.done_on is not None]
    if task.done_on is not None:
        days.append(task.done_on)
    days += [v.on for i in task.indicators for v in i.values]
    days += [n.on for n in task.notes]
    inside = [d for d in days if after < d <= as_of]
    return min(inside) if inside else None


def reminder_statuses(task: Task, as_of: date) -> tuple[ReminderStatus, ...]:
    """Each notice issued on or before as_of: answered by the first progress dated after its issue
    date (a report dated on the issue date itself is not an answer), else overdue past its reply date."""
    out = []
    for r in task.reminders:
        if r.issued_on > as_of:
            continue
        answered = first_progress_after(task, r.issued_on, as_of)
        overdue = (as_of - r.reply_by).days if answered is None and as_of > r.reply_by else 0
        out.append(ReminderStatus(r, answered, overdue))
    return tuple(out)


def next_level(task: Task, as_of: date) -> int:
    """The level a new notice issued on as_of reaches for this task: one above the latest notice
    while that one is unanswered (二督, 三督 …), else 1."""
    live = reminder_statuses(task, as_of)
    if live and live[-1].answered_on is None:
        return live[-1].reminder.level + 1
    return 1


def _overdue_notice(rs: tuple[ReminderStatus, ...]) -> ReminderStatus | None:
    """The unanswered notice longest past its reply date, if any: it makes the task at least amber."""
    late = [r for r in rs if r.overdue_days > 0]
    return max(late, key=lambda r: r.overdue_days) if late else None


def _engine(task: Task, days: Sequence[date], office: Office):
    """The status rules (status-rules.md) for one task on each of `days` (ascending): the one engine.

    task_status is this engine on one day, with the reasons put to its findings; the replay of
    colours across review dates (rags_over) is this engine on all those days at once: each item's
    rule walks the days together (an indicator's schedule segments are worked out once).
    Returns (items' colour, milestones, their ranks, indicators, their findings), by day, as
    Rag.rank (red 0, amber 1, green 2, done 3); `_notice_and_override` finishes each day's colour.
    """
    amber = _AMBER.get(office.amber_days) or _AMBER.setdefault(office.amber_days, timedelta(days=office.amber_days))
    ms, m_ranks, inds, i_found = [], [], [], []
    for m in task.milestones:
        if not m.withdrawn:
            ms.append(m)
            m_ranks.append(_deadline_ranks(m.due, m.done_on, days, amber))
    if task.indicators:
        start = task.start
        for i in task.indicators:
            if not i.withdrawn:
                inds.append(i)
                i_found.append(_indicator_over(i, start, days, office))
    done_on = task.done_on
    if not ms and not inds:  # a task without items is its own deadline
        return _deadline_ranks(task.due, done_on, days, amber), ms, m_ranks, inds, i_found
    # the worst of its items, unless the task itself is ticked done
    columns = m_ranks + [[f[0] for f in found] for found in i_found] if i_found else m_ranks
    plain = columns[0] if len(columns) == 1 else [min(day) for day in zip(*columns)]
    if done_on is not None:
        plain = [3 if done_on <= d else r for d, r in zip(days, plain)]
    return plain, ms, m_ranks, inds, i_found


def _notice_and_override(task: Task, d: date, plain: int
                         ) -> tuple[int, int, tuple[ReminderStatus, ...], ReminderStatus | None, Override | None]:
    """A day's colour finished: an unanswered notice past its reply date makes a task that is not
    done at least amber; the clerk's override in force has the last word. Returns (rank, computed
    rank, the notices issued by d, the late one, the override)."""
    notices = reminder_statuses(task, d) if task.reminders else ()
    late = _overdue_notice(notices) if notices else None
    computed = 1 if late is not None and plain == 2 else plain
    override = active_override(task, d) if task.overrides else None
    return (computed if override is None else override.rag.rank), computed, notices, late, override


def task_status(task: Task, as_of: date, office: Office) -> TaskStatus:
    """The colour of a task on as_of with its reasons, its items' colours and the rest a list shows."""
    (plain,), ms_live, m_ranks, inds_live, i_found = _engine(task, (as_of,), office)
    if task.reminders or task.overrides:
        _, rank, notices, late, override = _notice_and_override(task, as_of, plain)
    else:
        rank, notices, late, override = plain, (), None, None
    computed = _BY_RANK[rank]
    ms = tuple([MilestoneStatus(m, _BY_RANK[r[0]], as_of)
                for m, r in zip(ms_live, m_ranks)]) if ms_live else ()
    inds = tuple([_indicator_status(i, task.start, as_of, office, found[0])
                  for i, found in zip(inds_live, i_found)]) if inds_live else ()
    done_on = task.done_on
    self_done = done_on is not None and done_on <= as_of
    reasons: tuple[Reason, ...]
    if plain != rank:  # green but for a late notice: the notice is the reason
        reasons = ()
    elif done_on is not None and self_done:
        reasons = (Reason("done_on", (("on", done_on.isoformat()),)),)
    elif not ms and not inds:
        reasons = (_deadline(task.due, None, as_of),)
    elif computed is Rag.DONE:
        reasons = (_ALL_DONE,)
    elif len(ms) + len(inds) == 1:  # a single item needs no name
        reasons = (ms[0].reason if ms else inds[0].reason,)
    else:
        reasons = tuple([_deadline(m.due, m.done_on, as_of, m.title) for s in ms if s.rag is computed for m in (s.milestone,)]
                        + [s.reason.about(s.indicator.name) for s in inds if s.rag is computed])
    if late is not None and computed is not Rag.DONE:
        reasons = reasons + (Reason.of("notice_overdue", number=late.reminder.number, days=late.overdue_days),)
    rag = computed
    if override is not None:
        rag = override.rag
        reasons = (Reason.of("override_until", until=override.until.isoformat(), reason=override.reason)
                   if override.until else Reason.of("override", reason=override.reason),) + (
            reasons if computed is not Rag.DONE else ())
    last = last_progress(task, as_of)
    start = task.start
    since = last if last is not None and last > start else start
    stale = computed is not Rag.DONE and as_of >= start and (as_of - since).days > office.stale_days
    if self_done:
        next_due = None
    elif not ms and not inds:
        next_due = task.due if computed is not Rag.DONE else None
    else:
        open_dues = ([s.milestone.due for s in ms if s.rag is not Rag.DONE]
                     + [s.indicator.due for s in inds if s.rag is not Rag.DONE])
        next_due = min(open_dues) if open_dues else None
    return TaskStatus(task, as_of, rag, reasons, computed, override, stale, last, next_due, ms, inds, notices)


def counts(items) -> dict[str, int]:
    """Counts by colour over TaskStatus objects, withdrawn left out."""
    out = {r.value: 0 for r in COUNTED}
    for s in items:
        if not s.task.withdrawn:
            out[s.rag.value] += 1
    return out


# --- the colours across many days ------------------------------------------------------------


def rags_over(task: Task, days: Sequence[date], office: Office, *, overridden: bool = True) -> list[Rag]:
    """`task_status(task, d, office).rag` for each d in `days` (any order): the same engine, on
    all the days at once and without the reasons. The briefing's trend and period start, the
    ledger's trend and the ranking call it. `overridden=False`: the colour before any override
    (`task_status(...).computed`: whether a task was done by its deadline, whatever the clerk said)."""
    ordered = sorted(set(days))
    plain, *_ = _engine(task, ordered, office)
    if task.reminders or task.overrides:
        plain = [_notice_and_override(task, d, r)[0 if overridden else 1] for d, r in zip(ordered, plain)]
    if len(ordered) == 1:
        return [_BY_RANK[plain[0]]] * len(days)
    rank = dict(zip(ordered, plain))
    return [_BY_RANK[rank[d]] for d in days]

