"""The store's `collect` action: a checked report form recorded as ONE event, undone as one.

Its do, undo and description live here together; actions.Actions.collect opens the transaction
and actions.Actions._undo_collect calls `reverse` (db/actions.py's table of kinds names both).
The event (kind "collect") holds every change it made, in order, with what each replaced, so
undo restores the database as it was before the form.

Idempotent: an entry the database already holds identically (the same tick date, the same value
on the same day, the same note text on the same day) is checked again here, under the write
lock, and records nothing; a form with nothing new writes no event at all. What the entries touch
is read in a few batched queries per form (_State), not one per entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..collect import Entry, FormPlan
from ..errors import InputError
from ..i18n import t


@dataclass(frozen=True)
class Collected:
    plan: FormPlan
    recorded: int  # entries written
    already: int  # entries the database already held
    event_id: int | None  # None: nothing new


def apply(store, plan: FormPlan, now: str) -> Collected:
    """Record one form's entries; the caller holds the write transaction."""
    state = _State(store, plan.entries)
    changes: list[dict] = []
    already = 0
    note_ids: list[int] = []
    value_ids: list[int] = []
    for e in plan.entries:
        change = _do(store, state, e, now)
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
    # stored in English like every event's summary (the log says it from `data` in the clerk's language)
    summary = t("en", "event.collect.what", unit=plan.unit, as_of=plan.as_of.isoformat(), n=len(changes))
    eid = store._event("collect", None, None, plan.as_of, summary,
                       {"unit": plan.unit, "as_of": plan.as_of.isoformat(), "file": plan.path, "changes": changes})
    x = store.conn.executemany
    x("UPDATE notes SET event_id = ? WHERE id = ?", [(eid, n) for n in note_ids])
    x("UPDATE indicator_values SET event_id = ? WHERE id = ?", [(eid, v) for v in value_ids])
    return Collected(plan, len(changes), already, eid)


CHUNK = 500  # ids per IN (…): well under SQLite's limit on the parameters of one statement


class _State:
    """What the form's entries touch, as the database holds it now (under the write lock), read
    in a few queries (not three per entry), and kept up to date as the entries are recorded."""

    def __init__(self, store, entries):
        tasks = {e.task for e in entries}
        milestones = {e.target for e in entries if e.kind == "tick" and e.target != e.task}
        indicators = {e.target for e in entries if e.kind == "record"}
        # id → (withdrawn_on, done_on); an id missing here is gone from the database
        self.items: dict[tuple[str, str], tuple] = {}
        for table, ids in (("tasks", tasks), ("milestones", milestones)):
            for row in _select(store, f"SELECT id, withdrawn_on, done_on FROM {table} WHERE id IN", ids):
                self.items[table, row[0]] = row[1:]
        for row in _select(store, "SELECT id, withdrawn_on, NULL FROM indicators WHERE id IN", indicators):
            self.items["indicators", row[0]] = row[1:]
        # (indicator, measured_on) → (id, value, note, event_id)
        self.values: dict[tuple[str, str], tuple] = {
            (row[0], row[1]): row[2:] for row in _select(
                store, "SELECT indicator_id, measured_on, id, value, note, event_id FROM indicator_values "
                       "WHERE indicator_id IN", indicators)}
        noted = {e.task for e in entries if e.kind == "note"}
        self.notes: set[tuple[str, str, str]] = set(
            _select(store, "SELECT task_id, written_on, text FROM notes WHERE task_id IN", noted))

    def live(self, table: str, key: str, task: str) -> tuple:
        """The item's (withdrawn_on, done_on), refused if it or its task was withdrawn by an import
        since the form was checked (withdrawing a task leaves its items' own mark unset)."""
        row = self.items.get((table, key))
        parent = self.items.get(("tasks", task))
        if row is None or row[0] is not None or parent is None or parent[0] is not None:
            raise InputError("forms.err.withdrawn", id=key)
        return row


def _select(store, sql: str, ids) -> list[tuple]:
    """`sql` ending in `IN`, for every id in `ids`, a chunk at a time."""
    ids = sorted(ids)
    out: list[tuple] = []
    for n in range(0, len(ids), CHUNK):
        chunk = ids[n:n + CHUNK]
        out += store._read(f"{sql} ({','.join('?' * len(chunk))})", chunk)
    return out


def _do(store, state: _State, e: Entry, now: str) -> dict | None:
    x = store.conn.execute
    on = e.on.isoformat()
    if e.kind == "tick":
        table = "tasks" if e.target == e.task else "milestones"
        withdrawn, before = state.live(table, e.target, e.task)
        if before == on:
            return None
        x(f"UPDATE {table} SET done_on = ? WHERE id = ?", (on, e.target))
        state.items[table, e.target] = (withdrawn, on)
        return {"do": "tick", "table": table, "target": e.target, "before": before, "after": on}
    if e.kind == "record":
        state.live("indicators", e.target, e.task)
        previous = state.values.get((e.target, on))
        replaced = None
        if previous:
            pid, pvalue, pnote, pevent = previous
            if pvalue == e.value:
                return None
            replaced = {"value": pvalue, "note": pnote, "event_id": pevent}
            x("DELETE FROM indicator_values WHERE id = ?", (pid,))
        cur = x("INSERT INTO indicator_values (indicator_id, measured_on, value, note, recorded_at) VALUES (?, ?, ?, '', ?)",
                (e.target, on, e.value, now))
        state.values[e.target, on] = (cur.lastrowid, e.value, "", None)
        return {"do": "record", "indicator": e.target, "on": on, "value": e.value, "value_id": cur.lastrowid,
                "replaced": replaced}
    state.live("tasks", e.task, e.task)
    if (e.task, on, e.text) in state.notes:
        return None
    cur = x("INSERT INTO notes (task_id, written_on, text, recorded_at) VALUES (?, ?, ?, ?)", (e.task, on, e.text, now))
    state.notes.add((e.task, on, e.text))
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
