"""Reading the database: the snapshot the status engine works on, one task, the event log, ids resolved.

The snapshot's queries (`Reading._snapshot`) are written for speed: `status --format json`
from cron reads 10,000 tasks through them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

from ..errors import InputError
from ..models import (
    Checkpoint,
    Event,
    Indicator,
    Measurement,
    Milestone,
    Note,
    Office,
    Override,
    Plan,
    Rag,
    Review,
    Snapshot,
    Task,
)
from . import vetting
from .connection import Connection, _day, reads


def utc_start_of(day: date) -> str:
    """The first moment of `day` on this computer's clock, as the UTC timestamp the events table keeps
    (an entry made at 07:00 in Beijing is recorded on the previous day in UTC)."""
    try:
        return datetime.combine(day, time()).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, ValueError):  # 0001-01-01 east of Greenwich, 9999-12-31 west of it: before or after every entry
        return "0000-00-00 00:00:00" if day.year == 1 else "9999-12-31 23:59:59"


def _utc(recorded_at: str) -> datetime:
    """A timestamp from the events table ("2021-10-01 08:30:00", UTC); ValueError/TypeError for one that is not."""
    return datetime.fromisoformat(recorded_at).replace(tzinfo=timezone.utc)


def local_time(recorded_at: str) -> datetime:
    """A UTC timestamp from the events table, on this computer's clock."""
    return _utc(recorded_at).astimezone()


def _closest(ref: str, options: list[str], n: int = 3) -> list[str]:
    import difflib

    return difflib.get_close_matches(ref, options, n=n, cutoff=0.5)


class _Days(dict):
    """ISO date text → date, each distinct text parsed once: a big office repeats a few hundred."""

    def __missing__(self, text: str) -> date:
        out = self[text] = date.fromisoformat(text)
        return out


class Reading(Connection):
    """Store's reading part: nothing here writes, and every read is marked `@reads` (connection.py):
    a value in the database that makes no sense leaves here as a StoreError naming the file."""

    @reads
    def has_plans(self) -> bool:
        return bool(self._read("SELECT 1 FROM plans WHERE withdrawn_on IS NULL LIMIT 1"))

    @reads
    def office(self) -> Office:
        rows = self._read("SELECT name, review_every_months, first_review, amber_days, stale_days, lag_amber, lag_red FROM office WHERE id = 1")
        if rows:  # one row: its values checked here rather than met in the rules later
            name, every, _, amber, stale, lag_a, lag_r = rows[0]
            if not (isinstance(name, str | None) and all(isinstance(v, int) for v in (every, amber, stale))
                    and all(isinstance(v, int | float) for v in (lag_a, lag_r))):
                raise TypeError("office: a value of the wrong kind")
        # a review's date is never absent: '' or NULL is refused by fromisoformat (a damaged database)
        reviews = tuple(Review(on=date.fromisoformat(d), title=t or "", held=bool(h)) for d, t, h in
                        self._read("SELECT held_on, title, held FROM reviews ORDER BY held_on, id"))
        if not rows:
            return Office(reviews=reviews)
        name, every, first, amber, stale, lag_a, lag_r = rows[0]
        return Office(name=name or "", review_every_months=every, first_review=_day(first), amber_days=amber,
                      stale_days=stale, lag_amber=lag_a, lag_red=lag_r, reviews=reviews)

    @reads
    def database_id(self) -> str:
        """This database's identity (schema migration m002): report forms carry it."""
        rows = self._read("SELECT database_id FROM office WHERE id = 1")
        found = (rows[0][0] or "") if rows else ""
        if type(found) is not str:  # read on its own, not vetted with the snapshot: a BLOB is damage
            raise TypeError("office.database_id")
        return found

    @reads
    def explicit_reviews(self) -> bool:
        rows = self._read("SELECT explicit_reviews FROM office WHERE id = 1")
        return bool(rows and rows[0][0])

    @reads
    def snapshot(self) -> Snapshot:
        """Everything, in a handful of queries inside one read transaction: the status engine works on this."""
        with self._reading():
            return self._snapshot()

    @reads
    def _snapshot(self, only: str | None = None) -> Snapshot:
        """`only`: read just this task (the UI refreshes one task after its own write).

        Written for speed (`status --format json` from cron reads 10,000 tasks): dates through a
        cache (a big office repeats a few hundred), objects built with positional arguments, one
        dict lookup per row.
        """
        task_where, item_where, params = "", "", ()
        if only is not None:
            task_where, params = " WHERE task_id = ?", (only,)
            item_where = " WHERE indicator_id IN (SELECT id FROM indicators WHERE task_id = ?)"
        # a lookup in C, the parse (_Days.__missing__) once per distinct date. `day`: a date that may
        # be absent (done, issued), an emptied cell (a DB browser writes '') read as none, as _day does;
        # `on`: a date every row has (due, start, the day of a value or note): '' or NULL there is no
        # date, and fromisoformat refuses it (ValueError/TypeError: a damaged database, @reads)
        day = _Days({None: None, "": None}).__getitem__
        on = _Days().__getitem__
        vetting.check(self, only)  # a value of the wrong kind in a row read below: a damaged database

        plans = tuple(
            Plan(id=r[0], title=r[1], doc_number=r[2] or "", issued_by=r[3] or "", issued=day(r[4]),
                 start=on(r[5]), end=on(r[6]), withdrawn=r[7] is not None)
            for r in self._read("SELECT id, title, doc_number, issued_by, issued_on, starts_on, ends_on, withdrawn_on "
                                "FROM plans ORDER BY position, id"))
        names = dict(self._read("SELECT id, name FROM units"))
        links = self._read("SELECT task_id, role, position, unit_id FROM task_units" + task_where, params)
        links.sort()  # cheaper here than SQLite's join and temporary b-tree for a big office
        leads: dict[str, list[str]] = {}
        responsible: dict[str, list[str]] = {}
        for task_id, role, _, unit_id in links:  # ids of another kind: the sort or names[...] refuses them
            into = leads if role == "lead" else responsible if role == "responsible" else None
            if into is None:
                raise ValueError(f"task_units.role, {task_id}")
            got = into.get(task_id)
            if got is None:
                into[task_id] = [names[unit_id]]
            else:
                got.append(names[unit_id])
        del links  # a big office's links are a third of the rows read: not held while tasks are built
        milestones: dict[str, list[Milestone]] = {}
        for task_id, mid, title, due_on, done_on, withdrawn_on in self._rows(
                "SELECT task_id, milestone_id, title, due_on, done_on, withdrawn_on FROM milestones"
                + task_where + " ORDER BY task_id, position", params):
            m = Milestone(mid, title, on(due_on), day(done_on), withdrawn_on is not None)
            got = milestones.get(task_id)
            if got is None:
                milestones[task_id] = [m]
            else:
                got.append(m)
        checkpoints: dict[str, list[Checkpoint]] = defaultdict(list)
        for ind, on_date, value in self._rows("SELECT indicator_id, on_date, value FROM checkpoints" + item_where
                                              + " ORDER BY indicator_id, on_date", params):
            checkpoints[ind].append(Checkpoint(on(on_date), value))
        values: dict[str, list[Measurement]] = defaultdict(list)
        for ind, measured_on, value, note in self._rows(
                "SELECT indicator_id, measured_on, value, note FROM indicator_values"
                + item_where + " ORDER BY indicator_id, measured_on, id", params):
            values[ind].append(Measurement(on(measured_on), value, note or ""))
        indicators: dict[str, list[Indicator]] = defaultdict(list)
        for r in self._rows("SELECT id, task_id, indicator_id, name, unit, baseline, target, direction, due_on, "
                            "withdrawn_on FROM indicators" + task_where + " ORDER BY task_id, position", params):
            indicators[r[1]].append(Indicator(
                r[2], r[3], r[6], on(r[8]), r[4] or "", r[5], r[7],
                tuple(checkpoints.get(r[0], ())), tuple(values.get(r[0], ())), r[9] is not None))
        notes: dict[str, list[Note]] = defaultdict(list)
        for nid, task_id, written_on, text in self._rows("SELECT id, task_id, written_on, text FROM notes" + task_where
                                                         + " ORDER BY task_id, written_on, id", params):
            notes[task_id].append(Note(nid, on(written_on), text))
        overrides: dict[str, list[Override]] = defaultdict(list)
        for r in self._rows("SELECT id, task_id, rag, reason, starts_on, until_on, cleared_on FROM overrides"
                            + task_where + " ORDER BY task_id, starts_on, id", params):
            overrides[r[1]].append(Override(id=r[0], rag=Rag(r[2]), reason=r[3], start=on(r[4]),
                                            until=day(r[5]), cleared_on=day(r[6])))
        from . import reminders as _reminders

        notices = _reminders.load(self, only)
        tags: dict[str, tuple[str, ...]] = {"[]": (), "": ()}
        sections = dict(self._read("SELECT id, title FROM sections"))
        plan_rank = {p.id: n for n, p in enumerate(plans)}
        none = ()
        tasks = []
        # Rows straight from the cursor (not fetchall): the tasks are sorted once built, so the rows
        # and the objects made from them are never all in memory together.
        for (plan, position, key, task_id, title, detail, section, start, due, tag_text, done_on, withdrawn) in self._rows(
                "SELECT plan_id, position, id, task_id, title, detail, section_id, starts_on, due_on, tags, done_on, "
                "withdrawn_on FROM tasks" + (" WHERE id = ?" if only else ""), params):
            tag_text = tag_text or ""
            task_tags = tags.get(tag_text)
            if task_tags is None:
                task_tags = tags[tag_text] = tuple(json.loads(tag_text))
                if not all(type(tag) is str for tag in task_tags) or tag_text.lstrip()[:1] != "[":
                    raise ValueError(f"tasks.tags, {key}")  # names the cell, in no language
            tasks.append(Task(
                plan, task_id, title, on(start), on(due), tuple(leads.get(key, none)),
                tuple(responsible.get(key, none)), sections.get(section) or "", detail or "", task_tags,
                tuple(milestones.get(key, none)), tuple(indicators.get(key, none)), day(done_on),
                tuple(notes.get(key, none)), tuple(overrides.get(key, none)), withdrawn is not None, position,
                tuple(notices.get(key, none))))
        end = len(plan_rank)
        tasks.sort(key=lambda t: (plan_rank.get(t.plan, end), t.position))  # plans' order, then the file's
        return Snapshot(office=self.office(), plans=plans, tasks=tuple(tasks))

    @reads
    def task(self, key: str) -> Task:
        """One task with everything recorded about it, read on its own."""
        with self._reading():
            tasks = self._snapshot(only=key).tasks
        if not tasks:
            raise InputError("err.unknown_task", ref=key, suggest=[])
        return tasks[0]

    @reads
    def updated(self, snapshot: Snapshot, key: str) -> Snapshot:
        """`snapshot` with one task re-read: after a write to that task, cheaper than reading everything."""
        fresh = self.task(key)
        return Snapshot(office=snapshot.office, plans=snapshot.plans,
                        tasks=tuple(fresh if t.key == key else t for t in snapshot.tasks))

    # --- resolving ids --------------------------------------------------------------------

    @reads
    def resolve_task(self, ref: str) -> tuple[str, bool]:
        """A full id or an unambiguous bare id → (full id, withdrawn)."""
        ref = ref.strip()
        rows = self._read("SELECT id, withdrawn_on FROM tasks WHERE id = ?", (ref,))
        if rows:
            return rows[0][0], rows[0][1] is not None
        if "/" not in ref:
            rows = self._read("SELECT id, withdrawn_on FROM tasks WHERE task_id = ? ORDER BY id", (ref,))
            live = [r for r in rows if r[1] is None]
            if len(live) == 1:
                return live[0][0], False
            if len(live) > 1:
                raise InputError("err.ambiguous_task", ref=ref, candidates=", ".join(r[0] for r in live))
            if len(rows) == 1:
                return rows[0][0], True
            if len(rows) > 1:
                raise InputError("err.ambiguous_task", ref=ref, candidates=", ".join(r[0] for r in rows))
        options = [r[0] for r in self._read("SELECT id FROM tasks WHERE withdrawn_on IS NULL")]
        if not all(type(o) is str for o in options):
            raise TypeError("tasks.id")
        bare = ref.split("/")[-1]
        close = _closest(ref, options) or [o for o in options if o.endswith("/" + bare)][:3] or _closest(bare, options)
        raise InputError("err.unknown_task", ref=ref, suggest=close)

    def _live_task(self, ref: str) -> str:
        key, withdrawn = self.resolve_task(ref)
        if withdrawn:
            raise InputError("err.withdrawn", what=key)
        return key

    @reads
    def _item(self, table: str, column: str, key: str, ref: str, kind: str) -> tuple[str, bool]:
        rows = self._read(f"SELECT {column}, withdrawn_on FROM {table} WHERE task_id = ? ORDER BY position", (key,))
        if not all(type(r[0]) is str for r in rows):
            raise TypeError(f"{table}.{column}, {key}")
        for item_id, withdrawn in rows:
            if item_id == ref:
                if withdrawn:
                    raise InputError("err.withdrawn", what=f"{key}/{ref}")
                return f"{key}/{ref}", False
        options = [r[0] for r in rows if r[1] is None]
        close = _closest(ref, options)
        raise InputError(f"err.unknown_{kind}", task=key, ref=ref, suggest=close, has=options)

    # --- the event log --------------------------------------------------------------------

    _EVENT_COLUMNS = ("SELECT e.id, e.recorded_at, e.kind, e.task_id, e.item_id, e.effective_on, e.summary, e.data, "
                      "e.undone_by, u.recorded_at FROM events e LEFT JOIN events u ON u.id = e.undone_by")

    @staticmethod
    def _event_row(r) -> Event:
        """An event as recorded. Its values are checked here, at the read (events are few next to
        tasks, and the checks are cheap), so that the log and undo never meet one that makes no sense
        later: the data an object, the times times, the words text (TypeError/ValueError → @reads)."""
        data = json.loads(r[7] or "{}")
        if not (isinstance(data, dict) and isinstance(r[2], str) and isinstance(r[6], str)
                and all(v is None or isinstance(v, str) for v in (r[3], r[4])) and (r[8] is None or type(r[8]) is int)):
            raise TypeError(f"event {r[0]}: a value of the wrong kind")
        _utc(r[1])
        if r[9] is not None:
            _utc(r[9])
        return Event(id=r[0], at=r[1], kind=r[2], task=r[3], item=r[4], on=_day(r[5]), summary=r[6],
                     undone=r[8] is not None, data=data, undone_by=r[8], undone_at=r[9])

    @reads
    def events(self, since: date | None = None, until: date | None = None, *, by: str = "recorded",
               task: str | None = None, unit: str | None = None, limit: int | None = None) -> list[Event]:
        """Newest first. The period selects by the local day each entry was recorded (`by="recorded"`:
        the weekly dump shows last week's work, late reports dated earlier included) or by the date
        it is about, its --on (`by="effective"`). `task` (an id as resolve_task takes it) and `unit`
        (one that leads or is responsible for the task) narrow it, a collected form or a chase-up notice
        (one event for many tasks) and its undo counting for every task it touched (_about_tasks);
        an unknown one is bad input."""
        sql = self._EVENT_COLUMNS + " WHERE 1=1"
        params: list = []
        if by == "effective":
            day = "coalesce(e.effective_on, substr(e.recorded_at, 1, 10))"
            if since:
                sql += f" AND {day} >= ?"
                params.append(since.isoformat())
            if until:
                sql += f" AND {day} <= ?"
                params.append(until.isoformat())
        else:
            if since:
                sql += " AND e.recorded_at >= ?"
                params.append(utc_start_of(since))
            if until and until < date.max:  # up to 9999-12-31 is no bound (the next day is no date)
                sql += " AND e.recorded_at < ?"
                params.append(utc_start_of(until + timedelta(days=1)))
        if task is not None:
            key, _ = self.resolve_task(task)
            about = _about_tasks("(?)")
            sql += f" AND {about}"
            params += [key] * about.count("?")
        if unit is not None:
            unit = unit.strip()
            if not self._read("SELECT 1 FROM units WHERE name = ?", (unit,)):
                names = [r[0] for r in self._read("SELECT DISTINCT u.name FROM units u JOIN task_units tu ON tu.unit_id = u.id "
                                                  "ORDER BY u.name")]
                raise InputError("err.unknown_unit", ref=unit, suggest=_closest(unit, names))
            about = _about_tasks("(SELECT tu.task_id FROM task_units tu JOIN units u ON u.id = tu.unit_id WHERE u.name = ?)")
            sql += f" AND {about}"
            params += [unit] * about.count("?")
        sql += " ORDER BY e.id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [self._event_row(r) for r in self._read(sql, params)]

    @reads
    def events_by_id(self, ids) -> list[Event]:
        """These events (the ones an undo in a period reversed, say), newest first."""
        ids = sorted({int(i) for i in ids})
        if not ids:
            return []
        return [self._event_row(r) for r in self._read(
            self._EVENT_COLUMNS + f" WHERE e.id IN ({','.join('?' * len(ids))}) ORDER BY e.id DESC", ids)]

    @reads
    def plan_title(self, plan_id: str) -> str:
        rows = self._read("SELECT title FROM plans WHERE id = ?", (plan_id,))
        return rows[0][0] if rows else ""

    @reads
    def item_names(self, task: str | None = None) -> dict[str, str]:
        """Full milestone and indicator ids (plan/task/item) -> their titles and names, as the plan says them."""
        where, params = (" WHERE task_id = ?", (task,)) if task else ("", ())
        names = dict(self._read(f"SELECT id, title FROM milestones{where} UNION ALL SELECT id, name FROM indicators{where}",
                                params * 2))
        if not all(type(k) is str and type(v) is str for k, v in names.items()):
            raise TypeError("milestones.title, indicators.name")
        return names

    @reads
    def _event_by_id(self, eid: int) -> Event:
        return self._event_row(self._read(self._EVENT_COLUMNS + " WHERE e.id = ?", (eid,))[0])

    @reads
    def has_any_rows(self) -> bool:
        return bool(self._read("SELECT 1 FROM plans LIMIT 1"))


def _touches(x: str, tasks: str) -> str:
    """SQL: the event `x` (an alias) is about one of `tasks` (an SQL list or subquery): its own task,
    a task a collected form recorded for (a tick, a value, a note), or a task a chase-up notice named.
    A form and a notice are one event for many tasks (no task of their own)."""
    change = "json_extract(c.value, '$.{}')"
    return (f"({x}.task_id IN {tasks}"
            f" OR ({x}.kind = 'collect' AND json_valid({x}.data) AND json_type({x}.data, '$.changes') = 'array'"
            f" AND EXISTS (SELECT 1 FROM json_each({x}.data, '$.changes') c WHERE c.type = 'object' AND ("
            f"{change.format('task')} IN {tasks} OR {change.format('target')} IN {tasks}"
            f" OR {change.format('target')} IN (SELECT id FROM milestones WHERE task_id IN {tasks})"
            f" OR {change.format('indicator')} IN (SELECT id FROM indicators WHERE task_id IN {tasks}))))"
            f" OR ({x}.kind = 'remind' AND EXISTS (SELECT 1 FROM reminders r JOIN reminder_tasks rt ON rt.reminder_id = r.id"
            f" WHERE r.event_id = {x}.id AND rt.task_id IN {tasks})))")


def _about_tasks(tasks: str) -> str:
    """SQL: the event `e` is about one of `tasks`, or it is the undo of an event that is (an undo of
    a form or a notice has no task of its own either)."""
    return (f"({_touches('e', tasks)} OR (e.kind = 'undo' AND json_valid(e.data) AND EXISTS (SELECT 1 FROM events x"
            f" WHERE x.id = json_extract(e.data, '$.undid') AND x.undone_by = e.id AND {_touches('x', tasks)})))")
