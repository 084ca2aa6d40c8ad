"""The actions: each records what it changes in one transaction and one event, and `undo` reverses one.

tick, untick, note, record, override and its clearing, review, remind (db/reminders.py),
collect (db/collect_action.py), and undo.
"""

from __future__ import annotations

from datetime import date

from ..errors import InputError
from ..models import Event, Rag
from .connection import _iso, _now
from .reading import Reading

UNDOABLE = ("tick", "untick", "note", "record", "override", "override_clear", "review", "remind", "collect")


class Actions(Reading):
    """Store's actions part: every write but the import."""

    def tick(self, ref: str, milestone: str | None, on: date, note: str | None = None) -> Event:
        """Mark a milestone (or a task without milestones) done on `on`."""
        key = self._live_task(ref)
        with self._write():
            if milestone is None:
                open_ms = self._read("SELECT milestone_id FROM milestones WHERE task_id = ? AND withdrawn_on IS NULL "
                                     "AND done_on IS NULL ORDER BY due_on, position LIMIT 1", (key,))
                has_ms = self._read("SELECT 1 FROM milestones WHERE task_id = ? AND withdrawn_on IS NULL LIMIT 1", (key,))
                if has_ms and not open_ms:
                    raise InputError("err.no_open_milestone", task=key)
                milestone = open_ms[0][0] if open_ms else None
            if milestone is None:
                target, table, where = key, "tasks", ("id = ?", (key,))
            else:
                target, _ = self._item("milestones", "milestone_id", key, milestone, "milestone")
                table, where = "milestones", ("id = ?", (target,))
            before = self._read(f"SELECT done_on FROM {table} WHERE {where[0]}", where[1])[0][0]
            if before == on.isoformat():
                raise _Unchanged("done.already", target=target, on=before)
            self.conn.execute(f"UPDATE {table} SET done_on = ? WHERE {where[0]}", (on.isoformat(), *where[1]))
            data = {"table": table, "target": target, "before": before, "after": on.isoformat()}
            if note:
                data["note_id"] = self._insert_note(key, note, on)
            summary = "retick" if before else "tick"
            eid = self._event("tick", key, target if table == "milestones" else None, on, summary, data)
            if note:
                self.conn.execute("UPDATE notes SET event_id = ? WHERE id = ?", (eid, data["note_id"]))
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def untick(self, ref: str, milestone: str | None, on: date | None = None) -> Event:
        key = self._live_task(ref)
        with self._write():
            if milestone is None:
                done = self._read("SELECT milestone_id FROM milestones WHERE task_id = ? AND withdrawn_on IS NULL "
                                  "AND done_on IS NOT NULL ORDER BY done_on DESC, position DESC LIMIT 1", (key,))
                has_ms = self._read("SELECT 1 FROM milestones WHERE task_id = ? AND withdrawn_on IS NULL LIMIT 1", (key,))
                if has_ms and not done:
                    raise InputError("err.not_done", target=key)
                milestone = done[0][0] if done else None
            if milestone is None:
                target, table = key, "tasks"
            else:
                target, _ = self._item("milestones", "milestone_id", key, milestone, "milestone")
                table = "milestones"
            before = self._read(f"SELECT done_on FROM {table} WHERE id = ?", (target,))[0][0]
            if before is None:
                raise InputError("err.not_done", target=target)
            self.conn.execute(f"UPDATE {table} SET done_on = NULL WHERE id = ?", (target,))
            eid = self._event("untick", key, target if table == "milestones" else None, on, "untick",
                        {"table": table, "target": target, "before": before, "after": None})
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def _insert_note(self, key: str, text: str, on: date) -> int:
        cur = self.conn.execute("INSERT INTO notes (task_id, written_on, text, recorded_at) VALUES (?, ?, ?, ?)",
                                (key, on.isoformat(), text, _now()))
        return cur.lastrowid

    def add_note(self, ref: str, text: str, on: date) -> Event:
        key = self._live_task(ref)
        if not text.strip():
            raise InputError("err.empty_note")
        with self._write():
            nid = self._insert_note(key, text, on)
            eid = self._event("note", key, None, on, text[:200], {"note_id": nid, "text": text})
            self.conn.execute("UPDATE notes SET event_id = ? WHERE id = ?", (eid, nid))
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def record(self, ref: str, indicator: str, value: float, on: date, note: str | None = None) -> Event:
        key = self._live_task(ref)
        target, _ = self._item("indicators", "indicator_id", key, indicator, "indicator")
        with self._write():
            previous = self._read("SELECT id, value, note, event_id FROM indicator_values WHERE indicator_id = ? AND measured_on = ?",
                                  (target, on.isoformat()))
            data: dict = {"indicator": target, "on": on.isoformat(), "value": value, "replaced": None}
            if previous:
                pid, pvalue, pnote, pevent = previous[0]
                data["replaced"] = {"value": pvalue, "note": pnote, "event_id": pevent}
                self.conn.execute("DELETE FROM indicator_values WHERE id = ?", (pid,))
            cur = self.conn.execute("INSERT INTO indicator_values (indicator_id, measured_on, value, note, recorded_at) "
                                    "VALUES (?, ?, ?, ?, ?)", (target, on.isoformat(), value, note or "", _now()))
            data["value_id"] = cur.lastrowid
            if note:
                data["note_id"] = self._insert_note(key, note, on)
            eid = self._event("record", key, target, on, f"{indicator} = {value:g}", data)
            self.conn.execute("UPDATE indicator_values SET event_id = ? WHERE id = ?", (eid, data["value_id"]))
            if note:
                self.conn.execute("UPDATE notes SET event_id = ? WHERE id = ?", (eid, data["note_id"]))
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def set_override(self, ref: str, rag: Rag, reason: str, on: date, until: date | None = None) -> Event:
        key = self._live_task(ref)
        if rag not in (Rag.RED, Rag.AMBER, Rag.GREEN):
            raise InputError("err.bad_rag", value=str(rag))
        if not reason or not reason.strip():
            raise InputError("err.no_reason")
        if until and until < on:
            raise InputError("err.until_before", until=until.isoformat(), on=on.isoformat())
        with self._write():
            cur = self.conn.execute(
                "INSERT INTO overrides (task_id, rag, reason, starts_on, until_on, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (key, rag.value, reason.strip(), on.isoformat(), _iso(until), _now()))
            oid = cur.lastrowid
            eid = self._event("override", key, None, on, f"{rag.value}: {reason.strip()[:150]}",
                              {"override_id": oid, "rag": rag.value, "reason": reason.strip(), "until": _iso(until)})
            self.conn.execute("UPDATE overrides SET event_id = ? WHERE id = ?", (eid, oid))
            self._settle_clears(key)  # a clear already recorded for a later day ends this override too
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def clear_override(self, ref: str, on: date) -> Event:
        key = self._live_task(ref)
        with self._write():
            rows = self._read("SELECT id, cleared_on FROM overrides WHERE task_id = ? AND starts_on <= ? "
                              "AND (until_on IS NULL OR until_on >= ?) AND (cleared_on IS NULL OR cleared_on > ?)",
                              (key, on.isoformat(), on.isoformat(), on.isoformat()))
            if not rows:
                raise InputError("err.no_override", task=key, on=on.isoformat())
            eid = self._event("override_clear", key, None, on, "clear",
                        {"cleared": [{"id": oid, "before": before} for oid, before in rows]})
            self._settle_clears(key)
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def _settle_clears(self, key: str, skip: int | None = None) -> None:
        """Each override of `key` ends at the earliest live clear dated within its span, whatever order the
        override and the clears were recorded in (status is a function of dated progress, not of typing order).
        A clear dated on an override's first day ends it only if recorded after it: set, then cleared the
        same day, it was never in force; cleared, then set the same day, it is."""
        clears = self._read("SELECT id, effective_on FROM events WHERE kind = 'override_clear' AND task_id = ? "
                            "AND undone_by IS NULL AND id IS NOT ?", (key, skip))
        for oid, start, until, eid, cleared in self._read(
                "SELECT id, starts_on, until_on, event_id, cleared_on FROM overrides WHERE task_id = ?", (key,)):
            ends = [on for cid, on in clears
                    if (on > start or (on == start and cid > (eid or 0))) and (until is None or on <= until)]
            settled = min(ends) if ends else None
            if settled != cleared:
                self.conn.execute("UPDATE overrides SET cleared_on = ? WHERE id = ?", (settled, oid))

    def hold_review(self, on: date, title: str = "") -> Event:
        with self._write():
            if self._read("SELECT 1 FROM reviews WHERE held = 1 AND held_on = ?", (on.isoformat(),)):
                raise _Unchanged("done.review_already", on=on.isoformat())  # one meeting a day: not twice
            cur = self.conn.execute("INSERT INTO reviews (held_on, title, held, recorded_at) VALUES (?, ?, 1, ?)",
                                    (on.isoformat(), title, _now()))
            eid = self._event("review", None, None, on, title or "review", {"review_id": cur.lastrowid, "title": title})
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def remind(self, unit: str, tasks: list[tuple[str, int]], issued_on: date, reply_by: date):
        """Issue a chase-up notice (db/reminders.py holds the action whole)."""
        from . import reminders

        return reminders.issue(self, unit, tasks, issued_on, reply_by)

    def collect(self, plans) -> list:
        """Record checked report forms (collect.FormPlan), each as one undoable event, all in one
        transaction: every form is recorded, or none. Returns a collect_action.Collected per form."""
        from . import collect_action

        with self._write():
            now = _now()
            return [collect_action.apply(self, plan, now) for plan in plans]

    def undo(self) -> Event:
        """Reverse the newest event not yet undone; imports are not undone (re-import instead)."""
        with self._write():
            rows = self._read("SELECT id FROM events WHERE undone_by IS NULL AND kind IN (%s) ORDER BY id DESC LIMIT 1"
                              % ",".join("?" * len(UNDOABLE)), UNDOABLE)
            if not rows:
                raise InputError("err.nothing_to_undo")
            event = self._event_by_id(rows[0][0])
            self._reverse(event)
            uid = self._event("undo", event.task, event.item, event.on, event.summary,
                              {"undid": event.id, "kind": event.kind})
            self.conn.execute("UPDATE events SET undone_by = ? WHERE id = ?", (uid, event.id))
        return self._event_by_id(event.id)

    def _reverse(self, e: Event) -> None:
        d, x = e.data, self.conn.execute
        if e.kind in ("tick", "untick"):
            x(f"UPDATE {d['table']} SET done_on = ? WHERE id = ?", (d["before"], d["target"]))
            if d.get("note_id"):
                x("DELETE FROM notes WHERE id = ?", (d["note_id"],))
        elif e.kind == "note":
            x("DELETE FROM notes WHERE id = ?", (d["note_id"],))
        elif e.kind == "record":
            x("DELETE FROM indicator_values WHERE id = ?", (d["value_id"],))
            if d.get("note_id"):
                x("DELETE FROM notes WHERE id = ?", (d["note_id"],))
            if d.get("replaced"):
                r = d["replaced"]
                x("INSERT INTO indicator_values (indicator_id, measured_on, value, note, recorded_at, event_id) "
                  "VALUES (?, ?, ?, ?, ?, ?)", (d["indicator"], d["on"], r["value"], r["note"], _now(), r["event_id"]))
        elif e.kind == "override":
            x("DELETE FROM overrides WHERE id = ?", (d["override_id"],))
        elif e.kind == "override_clear":
            self._settle_clears(e.task, skip=e.id)
        elif e.kind == "review":
            x("DELETE FROM reviews WHERE id = ?", (d["review_id"],))
        elif e.kind == "remind":
            from . import reminders

            reminders.reverse(self, e.id, d)
        elif e.kind == "collect":
            from . import collect_action

            collect_action.reverse(self, d, _now())


class _Unchanged(InputError):
    """An action that restates what is already recorded (a tick, a review held): the CLI reports
    it and exits 0, and nothing is written."""

    exit_code = 0
