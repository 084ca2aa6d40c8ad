"""What the UI shows for one snapshot and one as-of date, without Textual.

Statuses are computed on demand: the board paints the rows it can see while the
full set (needed for counts, filters and search) is computed once, possibly in a
worker thread, so 10,000 tasks do not delay the first paint.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..models import Rag, Snapshot, Task
from ..reviews import Falling, falling_due
from ..status import TaskStatus, task_status
from ..views import statuses
from ..views import TaskStatuses, haystack, needle

SORTS = ("plan", "rag")


class BoardData:
    """A snapshot seen as of one date."""

    def __init__(self, snapshot: Snapshot, as_of: date):
        self.snapshot = snapshot
        self.as_of = as_of
        self.live_tasks: tuple[Task, ...] = tuple(t for t in snapshot.tasks if not t.withdrawn)
        self._cache: dict[int, TaskStatus] = {}
        self._all: TaskStatuses | None = None
        self._live: TaskStatuses | None = None
        self._hay: dict[int, str] | None = None  # id(TaskStatus) -> its search text
        self._counts: dict[str, int] | None = None
        self._stale: int = 0
        self._last_search: tuple[TaskStatuses, str, TaskStatuses] | None = None
        self._lock = threading.Lock()

    # --- statuses -------------------------------------------------------------------------

    def status_at(self, i: int) -> TaskStatus:
        """The status of the i-th live task, computed alone if the full set is not ready yet."""
        if self._live is not None:
            return self._live.items[i]
        s = self._cache.get(i)
        if s is None:
            s = self._cache[i] = task_status(self.live_tasks[i], self.as_of, self.snapshot.office)
        return s

    @property
    def ready(self) -> bool:
        return self._live is not None

    def compute(self) -> TaskStatuses:
        """Every status (withdrawn included) and the search index; safe to call from a worker thread."""
        with self._lock:
            if self._all is None:
                everything = statuses(self.snapshot, self.as_of)
                self._hay = {id(s): haystack(s) for s in everything}
                live = everything.live()
                self._counts = live.counts()
                self._stale = sum(1 for s in live if s.stale)
                self._all = everything
                self._live = live
            return self._all

    def counts(self) -> dict[str, int]:
        """Live tasks by colour (computed once)."""
        self.compute()
        return dict(self._counts or {})

    def stale_count(self) -> int:
        self.compute()
        return self._stale

    def all(self) -> TaskStatuses:
        return self.compute()

    def live(self) -> TaskStatuses:
        self.compute()
        assert self._live is not None
        return self._live

    def rows(self) -> Sequence[TaskStatus]:
        """The live tasks in plan order: lazily computed until the full set is ready."""
        return self._live.items if self._live is not None else LazyRows(self)

    def get(self, key: str) -> TaskStatus | None:
        if self._all is not None:
            return self._all.get(key)
        for i, t in enumerate(self.live_tasks):
            if t.key == key:
                return self.status_at(i)
        task = next((t for t in self.snapshot.tasks if t.key == key), None)
        return task_status(task, self.as_of, self.snapshot.office) if task else None

    # --- search ---------------------------------------------------------------------------

    def search(self, view: TaskStatuses, text: str) -> TaskStatuses:
        """`view.matching(text)`, the one search, given the haystacks made once per snapshot instead
        of per keystroke; typing on searches only the last matches (they can only narrow)."""
        found = needle(text)
        if not found:
            return view
        self.compute()
        hay = self._hay or {}
        pool = view
        last = self._last_search
        if last is not None and last[0] is view and last[1] in found:
            pool = last[2]
        matches = pool.matching(text, lambda s: hay.get(id(s)) or haystack(s))
        self._last_search = (view, found, matches)
        return matches


class LazyRows(Sequence):
    """The live tasks' statuses as a sequence whose items are computed when first read."""

    def __init__(self, data: BoardData):
        self.data = data

    def __len__(self) -> int:
        return len(self.data.live_tasks)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.data.status_at(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.data.status_at(i)

    def key_at(self, i: int) -> str:
        return self.data.live_tasks[i].key

    def index_of(self, key: str) -> int | None:
        return next((i for i, t in enumerate(self.data.live_tasks) if t.key == key), None)


DUE_WINDOWS = (0, 7, 30, 90)  # days after the as-of date; 0 = due by then (overdue or today)


@dataclass(frozen=True)
class Filters:
    """What the board shows: the scope from the tree, the filter dialog's choices and the search text."""

    rags: frozenset[str] = frozenset()  # empty: every live colour
    plan: str | None = None
    section: str | None = None
    unit: str | None = None
    involving: bool = False  # with unit: the tasks it is responsible for too (a unit that leads none)
    due_within: int | None = None
    stale: bool = False
    awaiting: bool = False  # under a chase-up notice not yet answered
    search: str = ""
    sort: str = "plan"

    @property
    def active(self) -> bool:
        return bool(self.rags or self.plan or self.unit or self.due_within is not None or self.stale or self.awaiting
                    or self.search)

    def without_search(self) -> "Filters":
        return replace(self, search="")

    def cleared(self) -> "Filters":
        return Filters(sort=self.sort)

    def needs_all(self) -> bool:
        return self.active or self.sort != "plan"

    def apply(self, data: BoardData) -> Sequence[TaskStatus]:
        """The rows to show; without filters, the lazy plan-ordered rows (fast first paint)."""
        if not self.needs_all():
            return data.rows()
        view = data.all().with_rag(*self.rags) if self.rags else data.live()
        if self.plan:
            view = view.in_section(self.plan, self.section) if self.section else view.in_plan(self.plan)
        if self.unit:
            view = view.involving(self.unit) if self.involving else view.led_by(self.unit)
        if self.due_within is not None:
            view = view.due_before(data.as_of + timedelta(days=self.due_within))
        if self.stale:
            view = view.stale()
        if self.awaiting:
            view = view.awaiting_reply()
        if self.search:
            view = data.search(view, self.search)
        if self.sort == "rag":
            view = view.sorted_by_rag()
        return view.items


# --- small derived figures ----------------------------------------------------------------


def progress(s: TaskStatus) -> float:
    """Share done, 0..1: each milestone counts 0 or 1, each indicator its way from baseline to target."""
    parts = [1.0 if m.rag == Rag.DONE else 0.0 for m in s.milestones]
    parts += [1.0 if i.rag == Rag.DONE else min(1.0, max(0.0, i.progress)) for i in s.indicators]
    if not parts or s.computed == Rag.DONE:
        return 1.0 if s.computed == Rag.DONE else 0.0
    return sum(parts) / len(parts)


def horizon_end(as_of: date, months: int) -> date:
    """The last day of the month `months` after the as-of date's month."""
    from dateutil.relativedelta import relativedelta

    from ..dates import month_end

    d = as_of + relativedelta(months=months)
    return month_end(d.year, d.month)


def upcoming(view: TaskStatuses, as_of: date, months: int = 6) -> list[Falling]:
    """Open items overdue or due by the end of the month `months` ahead, by due date (overdue first):
    reviews.falling_due, the briefing's look-ahead rule, over a longer reach."""
    return falling_due(view, horizon_end(as_of, months))


@dataclass
class ReviewFigures:
    """What the review screen shows for one as-of date."""

    as_of: date
    previous: date | None
    next: date | None
    red: list[TaskStatus] = field(default_factory=list)
    amber: list[TaskStatus] = field(default_factory=list)
    green: list[TaskStatus] = field(default_factory=list)
    completed: list[tuple[TaskStatus, str, date]] = field(default_factory=list)  # (task, what, done on)
    changed: list[tuple[TaskStatus, Rag, Rag]] = field(default_factory=list)  # (task now, before, now)


def review_figures(data: BoardData) -> ReviewFigures:
    """Red, amber and green lists; what was done in the period; what changed colour since the previous
    review. The period and "completed" are the briefing's own (supervise.reviews), not a copy."""
    from ..reviews import completed, next_review, period_start

    office, as_of = data.snapshot.office, data.as_of
    now = data.live()
    prev = period_start(office, as_of)
    fig = ReviewFigures(as_of, prev, next_review(office, as_of))
    for s in now.sorted_by_rag():
        if s.rag == Rag.RED:
            fig.red.append(s)
        elif s.rag == Rag.AMBER:
            fig.amber.append(s)
        elif s.rag == Rag.GREEN:
            fig.green.append(s)
    old: dict[str, Rag] = {}
    if prev is not None:
        old = {s.key: s.rag for s in statuses(data.snapshot, prev) if not s.task.withdrawn}
    for done in completed(now, old, prev):
        fig.completed.append((done.status, done.what or done.status.task.title, done.on))
    if prev is not None:
        for s in now:
            was = old.get(s.key)
            if was is not None and was != s.rag:
                fig.changed.append((s, was, s.rag))
        fig.changed.sort(key=lambda c: (c[2].rank, c[0].task.plan, c[0].task.position))
    return fig


def trend_dates(data: BoardData) -> list[date]:
    """Every review date (scheduled or held) before the as-of date, then the as-of date (the briefing's)."""
    from ..reviews import trend_dates as dates

    return dates(data.snapshot.office, data.as_of)


def trend(data: BoardData) -> list[tuple[date, dict[str, int]]]:
    """Live tasks by colour at each trend date: the briefing's and the ledger's trend (reviews.trend)."""
    from ..reviews import trend as replay

    replayed = replay(data.live(), data.snapshot.office)
    return [(d, replayed.counts[d]) for d in replayed.days]


REVIEW_GROUPINGS = ("rag", "section", "unit")


def review_groups(fig: ReviewFigures, by: str, data: BoardData) -> list[tuple[str, list[TaskStatus]]]:
    """The review's red, amber and green tasks grouped by section (plan order) or by lead unit (in the
    departments' order; a task led by two units is under each), worst first within each group."""
    listed = {s.key for s in fig.red + fig.amber + fig.green}
    tasks = data.live().where(lambda s: s.key in listed)  # plan order
    groups: list[tuple[str, list[TaskStatus]]] = []
    if by == "section":
        titles = {p.id: p.title for p in data.snapshot.plans}
        for plan in tasks.plans():
            in_plan = tasks.in_plan(plan)
            for section in in_plan.sections(plan):
                groups.append((f"{plan} · {section}", list(in_plan.in_section(plan, section).sorted_by_rag())))
            rest = in_plan.where(lambda s: not s.task.section)
            if len(rest):
                groups.append((f"{plan} · {titles.get(plan) or plan}", list(rest.sorted_by_rag())))
    elif by == "unit":
        for row in data.live().by_unit():
            view = tasks.led_by(row.unit)
            if len(view):
                groups.append((row.unit, list(view.sorted_by_rag())))
    else:
        raise ValueError(by)
    return groups
