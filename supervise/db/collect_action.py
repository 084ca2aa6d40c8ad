"""The store's `collect` action: a checked report form recorded as ONE event, undone as one.

Its do, undo and description live here together; actions.Actions.collect opens the transaction
and actions.Actions._undo_collect calls `reverse` (db/actions.py's table of kinds names both).
The event (kind "collect") holds every change it made, in order, with what each replaced, so
undo restores the database as it was before the form.

Idempotent: an entry the database already holds identically (the same tick date, the same value
on the same day, the same note text on the same day) is checked again here, under the write
lock, and records nothing; a form with nothing new writes no event at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..collect import Entry, FormPlan
from ..errors import InputError


@dataclass(frozen=True)
class Collected:
    plan: FormPlan
    recorded: int  # entries written
    already: int  # entries the database already held
    event_id: int | None  # None: nothing new


def apply(store, plan: FormPlan, now: str) -> Collected:
    """Record one form's entries; the caller holds the write transaction."""
    changes: list[dict] = []
    already = 0
    note_ids: list[int] = []
    value_ids: list[int] = []
    for e in plan.entries:
        change = _do(store, e, now)
        if change is None:
            already += 1
            continue
        changes.append(change)
        if "note_id" in change:
            note_ids.append(change["note_id"])
        if "value_id" in change:
            value_ids.append(change["value_id"])
    if not changes:
        return Collected(plan, 0, already, None)
    summary = f"{plan.unit} {plan.as_of.isoformat()} ({len(changes)})"  # plan content and numbers: no words to translate
    eid = store._event("collect", None, None, plan.as_of, summary,
                       {"unit": plan.unit, "as_of": plan.as_of.isoformat(), "file": plan.path, "changes": changes})
    x = store.conn.executemany
    x("UPDATE notes SET event_id = ? WHERE id = ?", [(eid, n) for n in note_ids])
    x("UPDATE indicator_values SET event_id = ? WHERE id = ?", [(eid, v) for v in value_ids])
    return Collected(plan, len(changes), already, eid)


def _live(store, table: str, key: str) -> None:
    rows = store._read(f"SELECT withdrawn_on FROM {table} WHERE id = ?", (key,))
    if not rows or rows[0][0] is not None:  # withdrawn by an import since the form was checked
        raise InputError("forms.err.withdrawn", id=key)


def _do(store, e: Entry, now: str) -> dict | None:
    x = store.conn.execute
    on = e.on.isoformat()
    if e.kind == "tick":
        table = "tasks" if e.target == e.task else "milestones"
        _live(store, table, e.target)
        before = store._read(f"SELECT done_on FROM {table} WHERE id = ?", (e.target,))[0][0]
        if before == on:
            return None
        x(f"UPDATE {table} SET done_on = ? WHERE id = ?", (on, e.target))
        return {"do": "tick", "table": table, "target": e.target, "before": before, "after": on}
    if e.kind == "record":
        _live(store, "indicators", e.target)
        previous = store._read("SELECT id, value, note, event_id FROM indicator_values WHERE indicator_id = ? "
                               "AND measured_on = ?", (e.target, on))
        replaced = None
        if previous:
            pid, pvalue, pnote, pevent = previous[0]
            if pvalue == e.value:
                return None
            replaced = {"value": pvalue, "note": pnote, "event_id": pevent}
            x("DELETE FROM indicator_values WHERE id = ?", (pid,))
        cur = x("INSERT INTO indicator_values (indicator_id, measured_on, value, note, recorded_at) VALUES (?, ?, ?, '', ?)",
                (e.target, on, e.value, now))
        return {"do": "record", "indicator": e.target, "on": on, "value": e.value, "value_id": cur.lastrowid,
                "replaced": replaced}
    _live(store, "tasks", e.task)
    if store._read("SELECT 1 FROM notes WHERE task_id = ? AND written_on = ? AND text = ? LIMIT 1", (e.task, on, e.text)):
        return None
    cur = x("INSERT INTO notes (task_id, written_on, text, recorded_at) VALUES (?, ?, ?, ?)", (e.task, on, e.text, now))
    return {"do": "note", "task": e.task, "note_id": cur.lastrowid}


def reverse(store, data: dict, now: str) -> None:
    """Undo a collect event: its changes in reverse order."""
    x = store.conn.execute
    for c in reversed(data.get("changes", [])):
        if c["do"] == "tick":
            x(f"UPDATE {c['table']} SET done_on = ? WHERE id = ?", (c["before"], c["target"]))
        elif c["do"] == "record":
            x("DELETE FROM indicator_values WHERE id = ?", (c["value_id"],))
            r = c.get("replaced")
            if r:
                x("INSERT INTO indicator_values (indicator_id, measured_on, value, note, recorded_at, event_id) "
                  "VALUES (?, ?, ?, ?, ?, ?)", (c["indicator"], c["on"], r["value"], r["note"], now, r["event_id"]))
        elif c["do"] == "note":
            x("DELETE FROM notes WHERE id = ?", (c["note_id"],))
