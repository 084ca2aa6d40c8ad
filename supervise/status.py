"""Red / amber / green, as shared/spec/status-rules.md defines it.

Every function takes `as_of` and reads nothing else: the same inputs give the
same colours on any day, so the past can be replayed. Reasons are structured
(`Reason`) and put into words by the shell in the user's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .models import (
    COUNTED,
    Indicator,
    Milestone,
    Office,
    Override,
    Rag,
    Reminder,
    Snapshot,
    Task,
)

if TYPE_CHECKING:
    from .views import TaskStatuses

_EPS = 9  # lag is compared after rounding to this many decimals, so 0.5 - 0.4 counts as exactly 10 points
_WORDS: dict = {}  # (Reason, lang) → text: a big office repeats the same few thousand reasons
_WORDS_MAX = 200_000  # a long session travelling through time must not grow it without end
_RANK = {r: r.rank for r in Rag}


@dataclass(frozen=True)
class Reason:
    code: str  # a catalogue key under "reason."
    params: tuple[tuple[str, object], ...] = ()
    subject: str = ""  # the item's title, when a task's reason must say which item

    @classmethod
    def of(cls, code: str, **params) -> "Reason":
        return cls(code, tuple(params.items()))

    def words(self, lang: str = "en") -> str:
        key = (self.code, self.params, self.subject, lang)  # a plain tuple: hashed and compared in C
        text = _WORDS.get(key)
        if text is None:
            if len(_WORDS) >= _WORDS_MAX:
                _WORDS.clear()
            text = _WORDS[key] = self._words(lang)
        return text

    def _words(self, lang: str) -> str:
        from .i18n import t

        params = dict(self.params)
        code = self.code
        if code in ("overdue", "due_in") and params.get("days") == 1:
            code += "_one"
        text = t(lang, f"reason.{code}", **params)
        if self.subject:
            return f"{self.subject}：{text}" if lang == "zh" else f"{self.subject}: {text}"
        return text

    def about(self, subject: str) -> "Reason":
        return Reason(self.code, self.params, subject)


_ALL_DONE = Reason("all_done")


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    rag: Rag
    reason: Reason


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    rag: Rag
    reason: Reason
    value: float | None  # latest measured value on or before as_of (None: none reported)
    measured_on: date | None
    expected: float
    lag: float  # percentage points behind the time-proportional schedule (negative: ahead)
    progress: float  # share of the way from baseline to target, 0..1 (can exceed)


@dataclass(frozen=True)
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


def _deadline(due: date, done_on: date | None, as_of: date, amber_days: int) -> tuple[Rag, Reason]:
    """The milestone rule, also used by a task that has no items."""
    if done_on is not None and done_on <= as_of:
        return Rag.DONE, Reason("done_on", (("on", done_on.isoformat()),))
    days = (due - as_of).days
    # `due_on` (unused by the words) lets a dated document say the date instead of "today" or "in N days"
    if days < 0:
        return Rag.RED, Reason("overdue", (("days", -days), ("due_on", due)))
    if days == 0:
        return Rag.AMBER, Reason("due_today", (("due_on", due),))
    return (Rag.AMBER if days <= amber_days else Rag.GREEN), Reason("due_in", (("days", days), ("due_on", due)))


def milestone_status(m: Milestone, as_of: date, office: Office) -> MilestoneStatus:
    rag, reason = _deadline(m.due, m.done_on, as_of, office.amber_days)
    return MilestoneStatus(m, rag, reason)


def expected_value(ind: Indicator, start: date, as_of: date) -> float:
    """序时进度: piecewise linear from (start, baseline) through the checkpoints to (due, target)."""
    points = [(start, ind.baseline)]
    points += [(c.on, c.value) for c in ind.checkpoints if start < c.on < ind.due]
    points.append((ind.due, ind.target))
    if as_of <= start:
        return float(ind.baseline)
    if as_of >= ind.due:
        return float(ind.target)
    for (d0, v0), (d1, v1) in zip(points, points[1:]):
        if d0 <= as_of <= d1:
            span = (d1 - d0).days
            return float(v1) if span == 0 else v0 + (v1 - v0) * (as_of - d0).days / span
    return float(ind.target)  # pragma: no cover - the points cover [start, due]


def _progress(ind: Indicator, x: float) -> float:
    return (x - ind.baseline) / (ind.target - ind.baseline)


def _pct(x: float, digits: int = 1) -> str:
    value = round(x * 100, digits)
    return str(int(value)) if value.is_integer() else str(value)


def _pace_pcts(done: float, due: float, lag: float, office: Office) -> tuple[str, str]:
    """The two percentages of a pace reason, with as many decimals as it takes for their
    difference to fall in the same band as the lag itself: 19.99% against 50% is 30.01 points
    (red), which "20% done, 50% due" would read as the amber limit."""
    def band(points: float) -> int:
        return 0 if points < office.lag_amber else 1 if points <= office.lag_red else 2

    for digits in (1, 2, 3):
        if band(round(due * 100, digits) - round(done * 100, digits)) == band(lag):
            break
    return _pct(done, digits), _pct(due, digits)


def indicator_status(ind: Indicator, start: date, as_of: date, office: Office) -> IndicatorStatus:
    latest = None
    for m in ind.values:  # oldest first, so the last one on or before as_of wins
        if m.on <= as_of:
            latest = m
    v = latest.value if latest else float(ind.baseline)
    expected = expected_value(ind, start, as_of)
    progress = _progress(ind, v)
    lag = round((_progress(ind, expected) - progress) * 100, _EPS)
    met = ind.met(v)
    # the indicator itself (unused by the words), for documents that name it: "培训家庭照护者 3,500/20,000 人"
    about = {"name": ind.name, "latest": latest.value if latest else None, "goal": ind.target, "unit": ind.unit,
             "due_on": ind.due}
    if met:
        rag, reason = Rag.DONE, Reason.of("met", value=_num(v), target=_num(ind.target))
    elif as_of > ind.due:
        rag = Rag.RED
        reason = (Reason.of("missed", days=(as_of - ind.due).days, done=_pct(progress), **about) if latest
                  else Reason.of("no_value_missed", days=(as_of - ind.due).days, **about))
    else:
        if lag < office.lag_amber:
            rag = Rag.GREEN
        elif lag <= office.lag_red:
            rag = Rag.AMBER
        else:
            rag = Rag.RED
        done_pct, due_pct = _pace_pcts(progress, _progress(ind, expected), lag, office)
        reason = (Reason.of("pace", done=done_pct, due=due_pct, **about) if latest
                  else Reason.of("no_value", due=due_pct, **about))
    return IndicatorStatus(ind, rag, reason, latest.value if latest else None, latest.on if latest else None,
                           expected, lag, progress)


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


@dataclass(frozen=True)
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


def task_status(task: Task, as_of: date, office: Office) -> TaskStatus:
    ms = tuple([milestone_status(m, as_of, office) for m in task.milestones if not m.withdrawn])
    inds = tuple([indicator_status(i, task.start, as_of, office) for i in task.indicators if not i.withdrawn])
    done_on = task.done_on
    self_done = done_on is not None and done_on <= as_of
    reasons: tuple[Reason, ...]
    if done_on is not None and self_done:
        computed, reasons = Rag.DONE, (Reason("done_on", (("on", done_on.isoformat()),)),)
    elif not ms and not inds:
        rag, reason = _deadline(task.due, None, as_of, office.amber_days)
        computed, reasons = rag, (reason,)
    else:
        computed = min([s.rag for s in ms] + [s.rag for s in inds], key=_RANK.__getitem__)
        if computed is Rag.DONE:
            reasons = (_ALL_DONE,)
        elif len(ms) + len(inds) == 1:  # a single item needs no name
            reasons = (ms[0].reason if ms else inds[0].reason,)
        else:
            reasons = tuple([s.reason.about(s.milestone.title) for s in ms if s.rag is computed]
                            + [s.reason.about(s.indicator.name) for s in inds if s.rag is computed])
    notices = reminder_statuses(task, as_of) if task.reminders else ()
    late = _overdue_notice(notices) if notices else None
    if late is not None and computed is not Rag.DONE:  # a done task is done; any other is at least amber
        if computed is Rag.GREEN:
            computed, reasons = Rag.AMBER, ()
        reasons = reasons + (Reason.of("notice_overdue", number=late.reminder.number, days=late.overdue_days),)
    override = active_override(task, as_of) if task.overrides else None
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


def statuses(snapshot: Snapshot, as_of: date) -> "TaskStatuses":
    from .views import TaskStatuses

    return TaskStatuses(tuple(task_status(t, as_of, snapshot.office) for t in snapshot.tasks), as_of)


def counts(items) -> dict[str, int]:
    """Counts by colour over TaskStatus objects, withdrawn left out."""
    out = {r.value: 0 for r in COUNTED}
    for s in items:
        if not s.task.withdrawn:
            out[s.rag.value] += 1
    return out


# --- colours without the reasons ------------------------------------------------------------


def rags_over(task: Task, days: list[date], office: Office) -> list[Rag]:
    """`task_status(task, d, office).rag` for each d in `days`, without building statuses.

    The same rules as task_status above (status-rules.md), restricted to the colour and
    walked item by item over all the days at once; the briefing calls it for the period start
    and each past review date of every task.
    """
    ordered = sorted(set(days))
    rank = dict(zip(ordered, _ranks_over(task, ordered, office)))
    return [_BY_RANK[rank[d]] for d in days]


def _ranks_over(task: Task, days: list[date], office: Office) -> list[int]:
    """rags_over as ranks (Rag.rank: red 0, amber 1, green 2, done 3); `days` strictly ascending."""
    amber = timedelta(days=office.amber_days)
    milestones = task.live_milestones
    indicators = task.live_indicators
    if not milestones and not indicators:
        due, soon = task.due, task.due - amber
        ranks = [0 if due < d else 1 if d >= soon else 2 for d in days]
    else:
        ranks = [3] * len(days)
        for m in milestones:
            due, done, soon = m.due, m.done_on, m.due - amber
            for i, d in enumerate(days):
                if done is not None and done <= d:
                    continue
                r = 0 if due < d else 1 if d >= soon else 2
                if r < ranks[i]:
                    ranks[i] = r
        for ind in indicators:
            _indicator_ranks(ind, task.start, days, office, ranks)
    if task.done_on is not None:
        ranks = [3 if task.done_on <= d else r for d, r in zip(days, ranks)]
    if task.reminders:  # task_status's rule, from the same function
        for i, d in enumerate(days):
            if ranks[i] == 2 and _overdue_notice(reminder_statuses(task, d)) is not None:
                ranks[i] = 1
    if task.overrides:
        for i, d in enumerate(days):
            override = active_override(task, d)
            if override is not None:
                ranks[i] = override.rag.rank
    return ranks


_BY_RANK = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.DONE)


def _indicator_ranks(ind, start: date, days: list[date], office: Office, ranks: list[int]) -> None:
    """Lower `ranks[i]` to the indicator's colour on days[i] (indicator_status's rule).

    The expected value is expected_value's, with the same arithmetic in the same order,
    but its segments are worked out once and walked with the (ascending) days.
    """
    values, k, v = ind.values, 0, float(ind.baseline)
    base, target, due = ind.baseline, ind.target, ind.due
    span = target - base
    lag_amber, lag_red = office.lag_amber, office.lag_red
    points = [(start, base)] + [(c.on, c.value) for c in ind.checkpoints if start < c.on < due] + [(due, target)]
    j = 0
    for i, d in enumerate(days):
        while k < len(values) and values[k].on <= d:  # oldest first: the latest on or before d wins
            v = values[k].value
            k += 1
        if ranks[i] == 0 or ind.met(v):
            continue
        if d > due:
            ranks[i] = 0
            continue
        if d <= start:
            expected = float(base)
        elif d >= due:
            expected = float(target)
        else:
            while d > points[j + 1][0]:  # the first segment (d0, d1) with d0 <= d <= d1
                j += 1
            (d0, v0), (d1, v1) = points[j], points[j + 1]
            width = (d1 - d0).days
            expected = float(v1) if width == 0 else v0 + (v1 - v0) * (d - d0).days / width
        lag = round(((expected - base) / span - (v - base) / span) * 100, 9)
        r = 2 if lag < lag_amber else 1 if lag <= lag_red else 0
        if r < ranks[i]:
            ranks[i] = r
