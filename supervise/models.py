"""Plain, immutable model objects shared by the core, the store, the CLI and the UI.

Nothing here knows about SQL, the clock or the terminal: the store builds these,
the status engine reads them, the shells render them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar, cast, dataclass_transform

_C = TypeVar("_C", bound=type)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen(cls: _C) -> _C:
    """`@dataclass(frozen=True, slots=True)` with an `__init__` twice as quick. A frozen
    dataclass's own `__init__` sets each field through `object.__setattr__` (1.1 µs for twelve
    fields); this one calls each slot's own setter, handed to it once (0.58 µs). The snapshot and
    the status engine build some 150,000 of these for a 10,000-task `status`. Slots also make
    each object smaller, and reading a field is as quick as before. Equality, hashing, repr and
    immutability are the dataclass's own; a class with a default factory, `__post_init__` or
    keyword-only fields keeps its `__init__` as the dataclass wrote it."""
    made: Any = dataclass(frozen=True, slots=True)(cls)
    fields = dataclasses.fields(made)
    if hasattr(made, "__post_init__") or any(
            f.default_factory is not dataclasses.MISSING or f.kw_only or not f.init for f in fields):
        return cast(_C, made)
    scope: dict = {f"_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING}
    params = ", ".join(f.name + (f"=_{f.name}" if f"_{f.name}" in scope else "") for f in fields)
    scope.update({f"_set_{f.name}": getattr(made, f.name).__set__ for f in fields})  # the slots' own setters
    body = "".join(f"\n    _set_{f.name}(self, {f.name})" for f in fields) or "\n    pass"
    exec(f"def __init__(self, {params}):{body}", scope)  # noqa: S102  (the source is the fields' own names)
    init = scope["__init__"]
    init.__qualname__ = f"{made.__qualname__}.__init__"
    made.__init__ = init
    return cast(_C, made)


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    DONE = "done"
    WITHDRAWN = "withdrawn"

    # Enum's own __hash__ is Python code hashing the member's *name*: every dict keyed by a colour
    # paid a Python call, and Rag.RED == "red" held while their hashes differed. The value's hash
    # is C and keeps the two consistent.
    __hash__ = str.__hash__

    @property
    def rank(self) -> int:
        """Worst first: sorting by rank puts red on top."""
        return _RANK[self]


_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.DONE: 3, Rag.WITHDRAWN: 4}
COUNTED = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.DONE)


@frozen
class Review:
    on: date
    title: str = ""
    held: bool = False


@frozen
class Office:
    name: str = ""
    review_every_months: int = 2
    first_review: date | None = None
    amber_days: int = 30
    stale_days: int = 60
    lag_amber: float = 10
    lag_red: float = 30
    reviews: tuple[Review, ...] = ()


@frozen
class Plan:
    id: str
    title: str
    start: date
    end: date
    doc_number: str = ""
    issued_by: str = ""
    issued: date | None = None
    withdrawn: bool = False


@frozen
class Checkpoint:
    on: date
    value: float


@frozen
class Milestone:
    id: str
    title: str
    due: date
    done_on: date | None = None
    withdrawn: bool = False


@frozen
class Measurement:
    on: date
    value: float
    note: str = ""


@frozen
class Indicator:
    id: str
    name: str
    target: float
    due: date
    unit: str = ""
    baseline: float = 0
    direction: str = "up"
    checkpoints: tuple[Checkpoint, ...] = ()
    values: tuple[Measurement, ...] = ()  # oldest first
    withdrawn: bool = False

    def met(self, value: float) -> bool:
        """The one rule for "target met": at or above it going up, at or below it going down."""
        return value >= self.target if self.direction == "up" else value <= self.target


@frozen
class Note:
    id: int
    on: date
    text: str


@frozen
class Override:
    id: int
    rag: Rag
    reason: str
    start: date
    until: date | None = None
    cleared_on: date | None = None

    def active_on(self, d: date) -> bool:
        """In force from the day it was set through `until`; a clear takes effect on its own day."""
        if d < self.start:
            return False
        if self.until is not None and d > self.until:
            return False
        return self.cleared_on is None or d < self.cleared_on


@frozen
class Reminder:
    """A chase-up notice (督办单) naming a task: its number, when it was issued, the reply date,
    and the level it reached for this task (1 一督, 2 二督, 3 三督 …)."""

    number: str  # 督办〔2021〕3号
    unit: str
    issued_on: date
    reply_by: date
    level: int = 1


@frozen
class Task:
    """A task with everything recorded about it: the status engine needs nothing else."""

    plan: str
    id: str  # the id within its plan
    title: str
    start: date
    due: date
    lead: tuple[str, ...]
    responsible: tuple[str, ...] = ()
    section: str = ""
    detail: str = ""
    tags: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    done_on: date | None = None  # a tick on the task itself (tasks without milestones)
    notes: tuple[Note, ...] = ()  # oldest first
    overrides: tuple[Override, ...] = ()  # oldest first
    withdrawn: bool = False
    position: int = 0
    reminders: tuple[Reminder, ...] = ()  # oldest first

    @property
    def key(self) -> str:
        return f"{self.plan}/{self.id}"

    @property
    def live_milestones(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if not m.withdrawn)

    @property
    def live_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if not i.withdrawn)


@frozen
class Event:
    """One row of the append-only log: every write the clerk makes."""

    id: int
    at: str  # UTC timestamp when it was recorded
    kind: str
    task: str | None
    item: str | None
    on: date | None  # the effective date the clerk gave
    summary: str
    undone: bool = False
    data: dict = field(default_factory=dict, compare=False, hash=False)
    undone_by: int | None = None  # the id of the undo event, if undone
    undone_at: str | None = None  # UTC timestamp of that undo


@frozen
class ImportReport:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    backup: str | None = None

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.withdrawn or self.restored)


@frozen
class Snapshot:
    """Everything the status engine needs, read in one go from the store."""

    office: Office
    plans: tuple[Plan, ...]
    tasks: tuple[Task, ...]

    def plan(self, plan_id: str) -> Plan | None:
        return next((p for p in self.plans if p.id == plan_id), None)
