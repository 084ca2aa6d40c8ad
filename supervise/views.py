"""Immutable, chainable views over task statuses: `tasks.with_rag(RED).led_by(unit).due_before(d)`.

Each filter returns a new view, so the UI, the CLI and the briefing build their
lists the same way and each filter is tested in one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from .models import COUNTED, Rag, Snapshot
from .status import TaskStatus, counts, task_status


def needle(text: str) -> str:
    """What a search for `text` looks for in each task's haystack: stripped and case-folded
    (Chinese matches as is). An empty needle matches everything."""
    return text.strip().casefold()


@dataclass(frozen=True)
class TaskStatuses:
    items: tuple[TaskStatus, ...]
    as_of: date

    def __iter__(self) -> Iterator[TaskStatus]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def where(self, keep: Callable[[TaskStatus], bool]) -> "TaskStatuses":
        return TaskStatuses(tuple(s for s in self.items if keep(s)), self.as_of)

    # filters

    def live(self) -> "TaskStatuses":
        return self.where(lambda s: not s.task.withdrawn)

    def withdrawn(self) -> "TaskStatuses":
        return self.where(lambda s: s.task.withdrawn)

    def with_rag(self, *rags: Rag | str) -> "TaskStatuses":
        wanted = {Rag(r) for r in rags}
        if Rag.WITHDRAWN in wanted:
            return self.where(lambda s: s.task.withdrawn or (s.rag in wanted))
        return self.where(lambda s: not s.task.withdrawn and s.rag in wanted)

    def in_plan(self, *plans: str) -> "TaskStatuses":
        wanted = set(plans)
        return self.where(lambda s: s.task.plan in wanted)

    def in_section(self, plan: str, section: str) -> "TaskStatuses":
        return self.where(lambda s: s.task.plan == plan and s.task.section == section)

    def led_by(self, unit: str) -> "TaskStatuses":
        return self.where(lambda s: unit in s.task.lead)

    def involving(self, unit: str) -> "TaskStatuses":
        """Lead or responsible."""
        return self.where(lambda s: unit in s.task.lead or unit in s.task.responsible)

    def only_responsible(self, unit: str) -> "TaskStatuses":
        return self.where(lambda s: unit in s.task.responsible and unit not in s.task.lead)

    def due_before(self, d: date) -> "TaskStatuses":
        """Tasks with an open item (or the task itself) due on or before d."""
        return self.where(lambda s: s.next_due is not None and s.next_due <= d)

    def stale(self) -> "TaskStatuses":
        return self.where(lambda s: s.stale and not s.task.withdrawn)

    def awaiting_reply(self) -> "TaskStatuses":
        """Under a chase-up notice (督办单) not yet answered."""
        return self.where(lambda s: s.awaiting_reply and not s.task.withdrawn)

    def overridden(self) -> "TaskStatuses":
        return self.where(lambda s: s.overridden)

    def matching(self, text: str, text_of: Callable[[TaskStatus], str] | None = None) -> "TaskStatuses":
        """Search over ids, titles, detail, units, tags, notes, milestones and indicators (case-folded;
        Chinese matches as is). `text_of` gives a status's `haystack`: a caller that searches the
        same statuses on every keystroke (the UI) passes one that looks up haystacks made once."""
        found = needle(text)
        if not found:
            return self
        text_of = text_of or haystack
        return TaskStatuses(tuple(s for s in self.items if found in text_of(s)), self.as_of)

    def sorted_by_rag(self) -> "TaskStatuses":
        return TaskStatuses(tuple(sorted(self.items, key=lambda s: (s.rag.rank, s.next_due or date.max))), self.as_of)

    # summaries

    def counts(self) -> dict[str, int]:
        return counts(self.items)

    def keys(self) -> list[str]:
        return [s.key for s in self.items]

    def get(self, key: str) -> TaskStatus | None:
        return next((s for s in self.items if s.key == key), None)

    def plans(self) -> list[str]:
        return list(dict.fromkeys(s.task.plan for s in self.items))

    def sections(self, plan: str) -> list[str]:
        return list(dict.fromkeys(s.task.section for s in self.items if s.task.plan == plan and s.task.section))

    def lead_units(self) -> list[str]:
        return list(dict.fromkeys(u for s in self.live() for u in s.task.lead))

    def by_unit(self) -> list["UnitRow"]:
        """One row per lead unit: its counts as lead, and apart, its tasks as responsible only."""
        rows: dict[str, UnitRow] = {}
        for s in self.live():
            for u in s.task.lead:
                if u not in rows:
                    rows[u] = UnitRow(u)
                rows[u]._add(s.rag, lead=True)
            for u in s.task.responsible:
                if u not in s.task.lead:
                    if u not in rows:
                        rows[u] = UnitRow(u)
                    rows[u]._add(s.rag, lead=False)
        return sorted(rows.values(), key=lambda r: (-r.counts["red"], -r.counts["amber"], -r.total, r.unit))


def haystack(s: TaskStatus) -> str:
    """The text a search looks in: the task's key, title, detail, section, units, tags, notes,
    milestone titles and indicator names, case-folded, joined by NUL (no needle spans two)."""
    t = s.task
    return "\x00".join((t.key, t.title, t.detail, t.section, *t.lead, *t.responsible, *t.tags,
                         *(n.text for n in t.notes), *(m.title for m in t.milestones),
                         *(i.name for i in t.indicators))).casefold()


@dataclass
class UnitRow:
    unit: str

    def __post_init__(self) -> None:
        self.counts = {r.value: 0 for r in COUNTED}
        self.responsible = {r.value: 0 for r in COUNTED}

    def _add(self, rag: Rag, *, lead: bool) -> None:
        (self.counts if lead else self.responsible)[rag.value] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def responsible_total(self) -> int:
        return sum(self.responsible.values())


def statuses(snapshot: Snapshot, as_of: date) -> TaskStatuses:
    """Every task's status on `as_of`, as the one filtered view callers narrow
    (`statuses(snap, day).live().with_rag(RED).led_by(unit)`). Here, not in status.py: the
    view is built on the rules, the rules know nothing of the view (no import cycle)."""
    return TaskStatuses(tuple(task_status(t, as_of, snapshot.office) for t in snapshot.tasks), as_of)
