"""What a re-import would change: compare a validated plan file with what the store holds.

Pure: it reads a Snapshot and a PlanSet and lists added / changed / withdrawn /
restored items, so `--dry-run` and the real import report the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Indicator, Milestone, Office, Plan, Snapshot, Task
from ..planfile.loader import PlanSet


def _plan_fields(p: Plan) -> tuple:
    return (p.title, p.doc_number, p.issued_by, p.issued, p.start, p.end)


def _task_fields(t: Task) -> tuple:
    return (t.section, t.title, t.detail, t.lead, t.responsible, t.start, t.due, t.tags)


def _milestone_fields(m: Milestone) -> tuple:
    return (m.title, m.due)


def _indicator_fields(i: Indicator) -> tuple:
    return (i.name, i.unit, float(i.baseline), float(i.target), i.direction, i.due,
            tuple((c.on, float(c.value)) for c in i.checkpoints))


def _office_fields(o: Office) -> tuple:
    return (o.name, o.review_every_months, o.first_review, o.amber_days, o.stale_days, float(o.lag_amber),
            float(o.lag_red), tuple((r.on, r.title) for r in o.reviews if not r.held))


@dataclass
class ImportDiff:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    office_changed: bool = False
    reordered: bool = False  # same items, another order: positions must be rewritten
    # full ids of items to mark withdrawn, by table
    withdraw: dict[str, list[str]] = field(default_factory=lambda: {"plans": [], "tasks": [], "milestones": [], "indicators": []})


def diff_plans(snapshot: Snapshot, planset: PlanSet) -> ImportDiff:
    diff = ImportDiff()

    def compare(kind: str, key: str, old, new, fields) -> None:
        if old is None:
            diff.added.append(f"{kind} {key}")
        elif old.withdrawn:
            diff.restored.append(f"{kind} {key}")
            if fields(old) != fields(new):
                diff.changed.append(f"{kind} {key}")
        elif fields(old) != fields(new):
            diff.changed.append(f"{kind} {key}")

    old_plans = {p.id: p for p in snapshot.plans}
    for p in planset.plans:
        compare("plan", p.id, old_plans.get(p.id), p, _plan_fields)
    new_plan_ids = {p.id for p in planset.plans}
    for p in snapshot.plans:
        if p.id not in new_plan_ids and not p.withdrawn:
            diff.withdrawn.append(f"plan {p.id}")
            diff.withdraw["plans"].append(p.id)

    old_tasks = {t.key: t for t in snapshot.tasks}
    new_keys = set()
    added = diff.added
    for t in planset.tasks:
        key = t.key
        new_keys.add(key)
        old = old_tasks.get(key)
        if old is None:  # a new task (every task, on a first import): it and its items are added
            added.append(f"task {key}")
            added.extend([f"milestone {key}/{m.id}" for m in t.milestones])
            added.extend([f"indicator {key}/{i.id}" for i in t.indicators])
            continue
        compare("task", key, old, t, _task_fields)
        old_ms = {m.id: m for m in old.milestones} if old else {}
        for m in t.milestones:
            compare("milestone", f"{t.key}/{m.id}", old_ms.get(m.id), m, _milestone_fields)
        new_ms = {m.id for m in t.milestones}
        for m in old_ms.values():
            if m.id not in new_ms and not m.withdrawn:  # also when the task itself is being restored
                diff.withdrawn.append(f"milestone {t.key}/{m.id}")
                diff.withdraw["milestones"].append(f"{t.key}/{m.id}")
        old_inds = {i.id: i for i in old.indicators} if old else {}
        for i in t.indicators:
            compare("indicator", f"{t.key}/{i.id}", old_inds.get(i.id), i, _indicator_fields)
        new_inds = {i.id for i in t.indicators}
        for i in old_inds.values():
            if i.id not in new_inds and not i.withdrawn:
                diff.withdrawn.append(f"indicator {t.key}/{i.id}")
                diff.withdraw["indicators"].append(f"{t.key}/{i.id}")
    for t in snapshot.tasks:
        if t.key not in new_keys and not t.withdrawn:
            diff.withdrawn.append(f"task {t.key}")
            diff.withdraw["tasks"].append(t.key)

    diff.office_changed = _office_fields(snapshot.office) != _office_fields(planset.office)
    if diff.office_changed and snapshot.plans:  # a first import sets the office up: not news
        diff.changed.append("office")
    diff.reordered = _reordered(snapshot, planset)
    if diff.reordered:
        diff.changed.append("order")
    return diff


def _moved(old: list[str], new: list[str]) -> bool:
    """Do the items both lists hold stand in another order? (Additions and removals alone are no move.)"""
    common = set(old) & set(new)
    return [k for k in old if k in common] != [k for k in new if k in common]


def _reordered(snapshot: Snapshot, planset: PlanSet) -> bool:
    """The file puts live plans, tasks, milestones or indicators in another order than stored."""
    if _moved([p.id for p in snapshot.plans if not p.withdrawn], [p.id for p in planset.plans]):
        return True
    live = sorted((t for t in snapshot.tasks if not t.withdrawn), key=lambda t: t.position)
    if _moved([t.key for t in live], [t.key for t in planset.tasks]):
        return True
    old = {t.key: t for t in live}
    for t in planset.tasks:
        o = old.get(t.key)
        if o and (_moved([m.id for m in o.milestones if not m.withdrawn], [m.id for m in t.milestones])
                  or _moved([i.id for i in o.indicators if not i.withdrawn], [i.id for i in t.indicators])):
            return True
    return False
