"""The one module that speaks SQL.

Everything else gets model objects. Every write is one IMMEDIATE transaction
(sqlite-utils' `atomic()` inside it) and one row in the append-only `events`
table; undo reverses the newest live event from what that row recorded.
Reads use the plain sqlite3 connection so that `status` from cron does not pay
for importing sqlite-utils.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .. import files
from ..errors import InputError, StoreError
from ..models import (
    Checkpoint,
    Event,
    ImportReport,
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
from . import backups

if TYPE_CHECKING:  # plan_file (and tomllib) are for imports only: `status` from cron does without them
    from ..planfile.loader import PlanSet

SCHEMA_VERSION = 4  # len(schema.migrations); a test keeps them equal
# The tables the schema makes (a test keeps them equal): a database at SCHEMA_VERSION lacking one is damaged.
TABLES = frozenset({"_sqlite_migrations", "office", "reviews", "plans", "sections", "units", "tasks", "task_units", "milestones",
                    "indicators", "checkpoints", "events", "indicator_values", "notes", "overrides",
                    "reminders", "reminder_tasks"})
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of the migrations applied
BUSY_TIMEOUT = 10.0
UNDOABLE = ("tick", "untick", "note", "record", "override", "override_clear", "review", "remind", "collect")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _day(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def utc_start_of(day: date) -> str:
    """The first moment of `day` on this computer's clock, as the UTC timestamp the events table keeps
    (an entry made at 07:00 in Beijing is recorded on the previous day in UTC)."""
    return datetime.combine(day, time()).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def local_time(recorded_at: str) -> datetime:
    """A UTC timestamp from the events table, on this computer's clock."""
    return datetime.strptime(recorded_at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).astimezone()


def _closest(ref: str, options: list[str], n: int = 3) -> list[str]:
    import difflib

    return difflib.get_close_matches(ref, options, n=n, cutoff=0.5)


class Store:
    """An open supervise database."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path
        self._db = None

    # --- opening --------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, timeout: float = BUSY_TIMEOUT, create: bool = True) -> "Store":
        """Open (creating and migrating as needed); every failure is a StoreError (exit 3)."""
        path = str(path)
        if path != ":memory:" and not os.path.exists(path):
            if not create:
                raise StoreError("err.db_open", path=path, detail="no such file")
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError("err.db_open", path=path, detail=err.strerror or str(err)) from None
            cls._create(path, timeout)
        fresh = path == ":memory:" or os.path.getsize(path) == 0
        if path != ":memory:":  # what a killed backup, import or creation left here: gone at the next start
            files.sweep(Path(path).parent)
            files.sweep(backups.folder(path))
        try:
            conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
        except sqlite3.Error as err:
            raise StoreError("err.db_open", path=path, detail=str(err)) from None
        store = cls(conn, path)
        store._timeout = timeout
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if not fresh:
                store._vet()  # before WAL is switched on or anything is written or copied
            store._configure()
            store._migrate(fresh)
        except sqlite3.Error as err:
            conn.close()
            raise store._translate(err) from None
        except UnicodeDecodeError as err:  # the schema itself holds bytes that are not text
            conn.close()
            raise StoreError("err.corrupt", path=path, detail=f"unreadable text ({err.reason})") from None
        except StoreError:
            conn.close()
            raise
        return store

    @classmethod
    def _create(cls, path: str, timeout: float) -> None:
        """Build a new database beside `path` and link it into place in one step.

        Nobody ever sees a half-made schema: not a second process starting at the same
        moment (the first link wins, the others open it), not the next run after a
        crash in the middle of creating it (only a stray temporary file is left).
        """
        tmp = str(Path(path).parent / f"{files.TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}.db")
        try:
            try:
                conn = sqlite3.connect(tmp, timeout=timeout, check_same_thread=False)
            except sqlite3.Error as err:
                raise StoreError("err.db_open", path=path, detail=str(err)) from None
            store = cls(conn, tmp)
            store._timeout = timeout
            try:
                store._configure()
                store._migrate(True)
            except sqlite3.Error as err:
                raise StoreError("err.db_open", path=path, detail=str(err)) from None
            finally:
                conn.close()
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process made it first: everyone uses that one
            except OSError:  # a file system without hard links
                if not os.path.exists(path):
                    try:
                        os.replace(tmp, path)
                    except OSError as err:
                        raise StoreError("err.db_open", path=path, detail=err.strerror or str(err)) from None
        finally:
            for leftover in (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass

    @staticmethod
    def peek_names(path: str | Path, what: str) -> list[tuple[str, str]]:
        """Names for shell completion: (task id, title) for "tasks" — full ids and, where unambiguous,
        bare ones — or (unit name, "") for "units". Opened read-only, never created, never migrated;
        anything amiss (no file, a damaged or foreign one) completes nothing."""
        path = str(path)
        if not os.path.isfile(path):
            return []
        try:
            conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        except sqlite3.Error:
            return []
        try:
            if what == "units":
                return [(name, "") for (name,) in conn.execute("SELECT name FROM units ORDER BY name")]
            rows = conn.execute("SELECT id, task_id, title FROM tasks WHERE withdrawn_on IS NULL ORDER BY plan_id, position").fetchall()
        except (sqlite3.Error, UnicodeDecodeError):
            return []
        finally:
            conn.close()
        bare = defaultdict(int)
        for _, task_id, _ in rows:
            bare[task_id] += 1
        return [(key, title) for key, _, title in rows] + [(task_id, title) for _, task_id, title in rows if bare[task_id] == 1]

    def _vet(self) -> None:
        """Refuse (exit 3) a database that is not ours or is damaged, before anything changes in it.

        Reads only: the table names and user_version (a foreign database is refused before WAL is
        switched on), then SQLite's own `quick_check` (every page's structure; what it skips next to
        `integrity_check` is the cross-check of indexes against tables, which costs 3-4x as much).
        At 10,000 tasks (8.8 MB) quick_check took 75-100 ms at load 2 on 2 cores, 140-240 ms at load 14,
        against 600-1100 ms for integrity_check and ~9 s for the whole `status --format json` at that load
        (bench/bench_check.py); the table names alone cost 1 ms."""
        c = self.conn
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if c.execute("PRAGMA application_id").fetchone()[0] or (tables and version == 0 and MIGRATIONS_TABLE not in tables):
            raise StoreError("err.corrupt", path=self.path, detail="it has tables but none of supervise's")
        if version > SCHEMA_VERSION:
            raise StoreError("err.newer", path=self.path, detail=f"schema {version}, this version knows {SCHEMA_VERSION}")
        if version == SCHEMA_VERSION and not TABLES <= tables:
            missing = ", ".join(sorted(TABLES - tables))
            raise StoreError("err.corrupt", path=self.path, detail=f"table {missing} missing")
        problems = [r[0] for r in c.execute("PRAGMA quick_check(1)")]
        if problems != ["ok"]:
            raise StoreError("err.corrupt", path=self.path, detail=problems[0] if problems else "quick_check said nothing")

    def _configure(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        mode = c.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and self.path != ":memory:":
            try:
                c.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as err:
                if "readonly" not in str(err) and "read-only" not in str(err):
                    raise
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")

    def _migrate(self, fresh: bool) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]  # _vet refused a newer one
        if version == SCHEMA_VERSION:
            return
        from .schema import MIGRATION_NAMES, migrations

        db = self.db
        applied = {m.name for m in migrations.applied(db)}
        unknown = applied - set(MIGRATION_NAMES)
        if unknown:
            raise StoreError("err.newer", path=self.path, detail=f"unknown migrations {', '.join(sorted(unknown))}")
        if not fresh:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and not applied:
                raise StoreError("err.corrupt", path=self.path, detail="it has tables but none of supervise's")
            if applied:
                self._backup_copy("migration")
        migrations.apply(db)
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def db(self):
        """sqlite-utils over the same connection, imported only when a write needs it."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False, recursive_triggers=False)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _translate(self, err: sqlite3.Error) -> StoreError:
        text = str(err)
        low = text.lower()
        if "locked" in low or "busy" in low:
            return StoreError("err.locked", path=self.path, seconds=int(self._timeout))
        if "readonly" in low or "read-only" in low:
            return StoreError("err.readonly", path=self.path, detail=text)
        if "disk" in low and ("full" in low or "i/o" in low) or "full" in low:
            return StoreError("err.disk", path=self.path, detail=text)
        if "not a database" in low or "malformed" in low or "corrupt" in low:
            return StoreError("err.corrupt", path=self.path, detail=text)
        return StoreError("err.db_open", path=self.path, detail=text)

    @contextmanager
    def _write(self):
        """One IMMEDIATE transaction: the write lock is taken up front, so readers never deadlock us."""
        db = self.db  # import sqlite-utils before taking the lock, not while other writers wait for it
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise self._translate(err) from None
        try:
            with db.atomic():
                yield
        except sqlite3.Error as err:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._translate(err) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as err:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._translate(err) from None

    @contextmanager
    def _translated(self):
        """sqlite3's errors as the store's own (locked, corrupt, read-only …), for every read."""
        try:
            yield
        except sqlite3.Error as err:
            raise self._translate(err) from None
        except UnicodeDecodeError as err:  # text columns holding bytes that are not UTF-8: a damaged file
            raise StoreError("err.corrupt", path=self.path, detail=f"unreadable text ({err.reason})") from None

    def _read(self, sql: str, params=()) -> list[tuple]:
        with self._translated():
            return self.conn.execute(sql, params).fetchall()

    def _rows(self, sql: str, params=()):
        """Rows one at a time (a big read need not be held whole)."""
        with self._translated():
            yield from self.conn.execute(sql, params)

    def data_version(self) -> int:
        """Changes when another connection commits: the UI polls it to notice cron jobs."""
        return self._read("PRAGMA data_version")[0][0] * 1_000_000 + self._read("SELECT coalesce(max(id), 0) FROM events")[0][0]

    # --- backups --------------------------------------------------------------------------

    def backup(self, dest: str | Path, refuse: tuple = ()) -> Path:
        """A consistent copy of the database at `dest` (backups.copy says how it stays safe)."""
        return backups.copy(self.conn, self.path, dest, self._translate, refuse)

    def backups_dir(self) -> Path:
        return backups.folder(self.path)

    def _backup_copy(self, why: str) -> Path | None:
        """The automatic copy taken before an import or a migration (None for an in-memory database)."""
        if self.path == ":memory:":
            return None
        return backups.rotating_copy(self.backup, self.path, why)

    # --- reading --------------------------------------------------------------------------

    def has_plans(self) -> bool:
        return bool(self._read("SELECT 1 FROM plans WHERE withdrawn_on IS NULL LIMIT 1"))

    def office(self) -> Office:
        rows = self._read("SELECT name, review_every_months, first_review, amber_days, stale_days, lag_amber, lag_red FROM office WHERE id = 1")
        reviews = tuple(Review(on=_day(d), title=t or "", held=bool(h)) for d, t, h in
                        self._read("SELECT held_on, title, held FROM reviews ORDER BY held_on, id"))
        if not rows:
            return Office(reviews=reviews)
        name, every, first, amber, stale, lag_a, lag_r = rows[0]
        return Office(name=name or "", review_every_months=every, first_review=_day(first), amber_days=amber,
                      stale_days=stale, lag_amber=lag_a, lag_red=lag_r, reviews=reviews)

    def database_id(self) -> str:
        """This database's identity (schema migration m002): report forms carry it."""
        rows = self._read("SELECT database_id FROM office WHERE id = 1")
        return (rows[0][0] or "") if rows else ""

    def explicit_reviews(self) -> bool:
        rows = self._read("SELECT explicit_reviews FROM office WHERE id = 1")
        return bool(rows and rows[0][0])

    @contextmanager
    def _reading(self):
        """One read transaction: several queries see the same committed state (never half an action)."""
        if self.conn.in_transaction:
            yield
            return
        try:
            self.conn.execute("BEGIN")
        except sqlite3.Error as err:
            raise self._translate(err) from None
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def snapshot(self) -> Snapshot:
        """Everything, in a handful of queries inside one read transaction: the status engine works on this."""
        with self._reading():
            return self._snapshot()

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
        days: dict = {None: None, "": None}  # an emptied cell (a DB browser writes '') reads as no date, as _day does

        def day(text: str | None) -> date | None:
            try:
                return days[text]
            except KeyError:
                out = days[text] = date.fromisoformat(text)
                return out

        plans = tuple(
            Plan(id=r[0], title=r[1], doc_number=r[2] or "", issued_by=r[3] or "", issued=day(r[4]),
                 start=day(r[5]), end=day(r[6]), withdrawn=r[7] is not None)
            for r in self._read("SELECT id, title, doc_number, issued_by, issued_on, starts_on, ends_on, withdrawn_on "
                                "FROM plans ORDER BY position, id"))
        names = dict(self._read("SELECT id, name FROM units"))
        links = self._read("SELECT task_id, role, position, unit_id FROM task_units" + task_where, params)
        links.sort()  # cheaper here than SQLite's join and temporary b-tree for a big office
        leads: dict[str, list[str]] = {}
        responsible: dict[str, list[str]] = {}
        for task_id, role, _, unit_id in links:
            into = leads if role == "lead" else responsible
            got = into.get(task_id)
            if got is None:
                into[task_id] = [names[unit_id]]
            else:
                got.append(names[unit_id])
        del links  # a big office's links are a third of the rows read: not held while tasks are built
        milestones: dict[str, list[Milestone]] = {}
        for task_id, *r in self._rows("SELECT task_id, milestone_id, title, due_on, done_on, withdrawn_on FROM milestones"
                                      + task_where + " ORDER BY task_id, position", params):
            m = Milestone(r[0], r[1], day(r[2]), day(r[3]), r[4] is not None)
            got = milestones.get(task_id)
            if got is None:
                milestones[task_id] = [m]
            else:
                got.append(m)
        checkpoints: dict[str, list[Checkpoint]] = defaultdict(list)
        for ind, on, value in self._rows("SELECT indicator_id, on_date, value FROM checkpoints" + item_where
                                         + " ORDER BY indicator_id, on_date", params):
            checkpoints[ind].append(Checkpoint(day(on), value))
        values: dict[str, list[Measurement]] = defaultdict(list)
        for ind, on, value, note in self._rows("SELECT indicator_id, measured_on, value, note FROM indicator_values"
                                               + item_where + " ORDER BY indicator_id, measured_on, id", params):
            values[ind].append(Measurement(day(on), value, note or ""))
        indicators: dict[str, list[Indicator]] = defaultdict(list)
        for r in self._rows("SELECT id, task_id, indicator_id, name, unit, baseline, target, direction, due_on, "
                            "withdrawn_on FROM indicators" + task_where + " ORDER BY task_id, position", params):
            indicators[r[1]].append(Indicator(
                r[2], r[3], r[6], day(r[8]), r[4] or "", r[5], r[7],
                tuple(checkpoints.get(r[0], ())), tuple(values.get(r[0], ())), r[9] is not None))
        notes: dict[str, list[Note]] = defaultdict(list)
        for nid, task_id, on, text in self._rows("SELECT id, task_id, written_on, text FROM notes" + task_where
                                                 + " ORDER BY task_id, written_on, id", params):
            notes[task_id].append(Note(nid, day(on), text))
        overrides: dict[str, list[Override]] = defaultdict(list)
        for r in self._rows("SELECT id, task_id, rag, reason, starts_on, until_on, cleared_on FROM overrides"
                            + task_where + " ORDER BY task_id, starts_on, id", params):
            overrides[r[1]].append(Override(id=r[0], rag=Rag(r[2]), reason=r[3], start=day(r[4]),
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
            tasks.append(Task(
                plan, task_id, title, day(start), day(due), tuple(leads.get(key, none)),
                tuple(responsible.get(key, none)), sections.get(section) or "", detail or "", task_tags,
                tuple(milestones.get(key, none)), tuple(indicators.get(key, none)), day(done_on),
                tuple(notes.get(key, none)), tuple(overrides.get(key, none)), withdrawn is not None, position,
                tuple(notices.get(key, none))))
        end = len(plan_rank)
        tasks.sort(key=lambda t: (plan_rank.get(t.plan, end), t.position))  # plans' order, then the file's
        return Snapshot(office=self.office(), plans=plans, tasks=tuple(tasks))

    def task(self, key: str) -> Task:
        """One task with everything recorded about it, read on its own."""
        with self._reading():
            tasks = self._snapshot(only=key).tasks
        if not tasks:
            raise InputError("err.unknown_task", ref=key, suggest=[])
        return tasks[0]

    def updated(self, snapshot: Snapshot, key: str) -> Snapshot:
        """`snapshot` with one task re-read: after a write to that task, cheaper than reading everything."""
        fresh = self.task(key)
        return Snapshot(office=snapshot.office, plans=snapshot.plans,
                        tasks=tuple(fresh if t.key == key else t for t in snapshot.tasks))

    # --- resolving ids --------------------------------------------------------------------

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
        bare = ref.split("/")[-1]
        close = _closest(ref, options) or [o for o in options if o.endswith("/" + bare)][:3] or _closest(bare, options)
        raise InputError("err.unknown_task", ref=ref, suggest=close)

    def _live_task(self, ref: str) -> str:
        key, withdrawn = self.resolve_task(ref)
        if withdrawn:
            raise InputError("err.withdrawn", what=key)
        return key

    def _item(self, table: str, column: str, key: str, ref: str, kind: str) -> tuple[str, bool]:
        rows = self._read(f"SELECT {column}, withdrawn_on FROM {table} WHERE task_id = ? ORDER BY position", (key,))
        for item_id, withdrawn in rows:
            if item_id == ref:
                if withdrawn:
                    raise InputError("err.withdrawn", what=f"{key}/{ref}")
                return f"{key}/{ref}", False
        options = [r[0] for r in rows if r[1] is None]
        close = _closest(ref, options)
        raise InputError(f"err.unknown_{kind}", task=key, ref=ref, suggest=close, has=options)

    # --- the event log --------------------------------------------------------------------

    def _event(self, kind: str, task: str | None, item: str | None, on: date | None, summary: str, data: dict) -> int:
        cur = self.conn.execute(
            "INSERT INTO events (recorded_at, kind, task_id, item_id, effective_on, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_now(), kind, task, item, _iso(on), summary, json.dumps(data, ensure_ascii=False, sort_keys=True)))
        return cur.lastrowid

    _EVENT_COLUMNS = ("SELECT e.id, e.recorded_at, e.kind, e.task_id, e.item_id, e.effective_on, e.summary, e.data, "
                      "e.undone_by, u.recorded_at FROM events e LEFT JOIN events u ON u.id = e.undone_by")

    @staticmethod
    def _event_row(r) -> Event:
        return Event(id=r[0], at=r[1], kind=r[2], task=r[3], item=r[4], on=_day(r[5]), summary=r[6],
                     undone=r[8] is not None, data=json.loads(r[7] or "{}"), undone_by=r[8], undone_at=r[9])

    def events(self, since: date | None = None, until: date | None = None, *, by: str = "recorded",
               task: str | None = None, unit: str | None = None, limit: int | None = None) -> list[Event]:
        """Newest first. The period selects by the local day each entry was recorded (`by="recorded"`:
        the weekly dump shows last week's work, late reports dated earlier included) or by the date
        it is about, its --on (`by="effective"`). `task` (an id as resolve_task takes it) and `unit`
        (one that leads or is responsible for the task) narrow it; an unknown one is bad input."""
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
            if until:
                sql += " AND e.recorded_at < ?"
                params.append(utc_start_of(until + timedelta(days=1)))
        if task is not None:
            key, _ = self.resolve_task(task)
            sql += " AND e.task_id = ?"
            params.append(key)
        if unit is not None:
            unit = unit.strip()
            if not self._read("SELECT 1 FROM units WHERE name = ?", (unit,)):
                names = [r[0] for r in self._read("SELECT DISTINCT u.name FROM units u JOIN task_units tu ON tu.unit_id = u.id "
                                                  "ORDER BY u.name")]
                raise InputError("err.unknown_unit", ref=unit, suggest=_closest(unit, names))
            sql += (" AND e.task_id IN (SELECT tu.task_id FROM task_units tu JOIN units u ON u.id = tu.unit_id "
                    "WHERE u.name = ?)")
            params.append(unit)
        sql += " ORDER BY e.id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [self._event_row(r) for r in self._read(sql, params)]

    def events_by_id(self, ids) -> list[Event]:
        """These events (the ones an undo in a period reversed, say), newest first."""
        ids = sorted({int(i) for i in ids})
        if not ids:
            return []
        return [self._event_row(r) for r in self._read(
            self._EVENT_COLUMNS + f" WHERE e.id IN ({','.join('?' * len(ids))}) ORDER BY e.id DESC", ids)]

    def plan_title(self, plan_id: str) -> str:
        rows = self._read("SELECT title FROM plans WHERE id = ?", (plan_id,))
        return rows[0][0] if rows else ""

    def item_names(self, task: str | None = None) -> dict[str, str]:
        """Full milestone and indicator ids (plan/task/item) -> their titles and names, as the plan says them."""
        where, params = (" WHERE task_id = ?", (task,)) if task else ("", ())
        return dict(self._read(f"SELECT id, title FROM milestones{where} UNION ALL SELECT id, name FROM indicators{where}",
                               params * 2))

    # --- progress -------------------------------------------------------------------------

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

    def _event_by_id(self, eid: int) -> Event:
        return self._event_row(self._read(self._EVENT_COLUMNS + " WHERE e.id = ?", (eid,))[0])

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

    # --- import ---------------------------------------------------------------------------

    def import_plans(self, planset: PlanSet, today: date, *, dry_run: bool = False, source: str = "") -> ImportReport:
        """Apply a validated plan file: add, change in place, withdraw what vanished, restore what returned."""
        from .importer import diff_plans

        diff = diff_plans(self.snapshot(), planset)
        report = ImportReport(added=tuple(diff.added), changed=tuple(diff.changed),
                              withdrawn=tuple(diff.withdrawn), restored=tuple(diff.restored))
        if dry_run or not (report.changes_anything or diff.office_changed):
            return report
        backup = str(self._backup_copy("import")) if self.has_any_rows() else None
        with self._write():
            # Again under the write lock: another import (or the UI) may have committed since the
            # first look, and what this file withdraws or rewrites is decided against the database
            # as it is now, so the file applied last is what the database says.
            diff = diff_plans(self._snapshot(), planset)
            report = ImportReport(added=tuple(diff.added), changed=tuple(diff.changed),
                                  withdrawn=tuple(diff.withdrawn), restored=tuple(diff.restored))
            self._apply_import(planset, diff, today)
            self._event("import", None, None, today, source or "import",
                        {"source": source, "added": len(report.added), "changed": len(report.changed),
                         "withdrawn": len(report.withdrawn), "restored": len(report.restored)})
        return ImportReport(added=report.added, changed=report.changed, withdrawn=report.withdrawn,
                            restored=report.restored, backup=backup)

    def _apply_import(self, planset: PlanSet, diff, today: date) -> None:
        """Upsert what the file says; progress columns (done_on, values, notes) are never touched.

        Rows that already hold what the file says are left alone (the upserts' WHERE clauses, and
        units/checkpoints rewritten only for the items the diff names), so editing one title in a
        large file writes a few pages, not the whole database.
        """
        x, xm = self.conn.execute, self.conn.executemany
        touched = {item.split(" ", 1)[1] for item in (*diff.added, *diff.changed, *diff.restored)
                   if item.startswith(("task ", "indicator "))}
        o = planset.office
        x("UPDATE office SET name = ?, review_every_months = ?, first_review = ?, amber_days = ?, stale_days = ?, "
          "lag_amber = ?, lag_red = ?, explicit_reviews = ? WHERE id = 1",
          (o.name, o.review_every_months, _iso(o.first_review), o.amber_days, o.stale_days, o.lag_amber, o.lag_red,
           int(planset.explicit_reviews)))
        x("DELETE FROM reviews WHERE held = 0")
        xm("INSERT INTO reviews (held_on, title, held) VALUES (?, ?, 0)", [(r.on.isoformat(), r.title) for r in o.reviews])
        xm("INSERT INTO plans (id, title, doc_number, issued_by, issued_on, starts_on, ends_on, position, withdrawn_on) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
           "doc_number = excluded.doc_number, issued_by = excluded.issued_by, issued_on = excluded.issued_on, "
           "starts_on = excluded.starts_on, ends_on = excluded.ends_on, position = excluded.position, withdrawn_on = NULL "
           "WHERE (plans.title, plans.doc_number, plans.issued_by, plans.issued_on, plans.starts_on, plans.ends_on, "
           "plans.position, plans.withdrawn_on) IS NOT (excluded.title, excluded.doc_number, excluded.issued_by, "
           "excluded.issued_on, excluded.starts_on, excluded.ends_on, excluded.position, NULL)",
           [(p.id, p.title, p.doc_number, p.issued_by, _iso(p.issued), p.start.isoformat(), p.end.isoformat(), n)
            for n, p in enumerate(planset.plans)])
        sections: dict[tuple[str, str], int] = {}
        for n, t in enumerate(planset.tasks):
            if t.section and (t.plan, t.section) not in sections:
                sections[(t.plan, t.section)] = n
        xm("INSERT INTO sections (plan_id, title, position) VALUES (?, ?, ?) "
           "ON CONFLICT (plan_id, title) DO UPDATE SET position = excluded.position "
           "WHERE sections.position IS NOT excluded.position",
           [(plan, title, n) for (plan, title), n in sections.items()])
        section_ids = {(r[0], r[1]): r[2] for r in self.conn.execute("SELECT plan_id, title, id FROM sections")}
        names = {u for t in planset.tasks for u in (*t.lead, *t.responsible)}
        xm("INSERT OR IGNORE INTO units (name) VALUES (?)", [(u,) for u in sorted(names)])
        unit_ids = dict(self.conn.execute("SELECT name, id FROM units").fetchall())
        xm("INSERT INTO tasks (id, plan_id, task_id, section_id, title, detail, starts_on, due_on, tags, position, withdrawn_on) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET section_id = excluded.section_id, "
           "title = excluded.title, detail = excluded.detail, starts_on = excluded.starts_on, due_on = excluded.due_on, "
           "tags = excluded.tags, position = excluded.position, withdrawn_on = NULL "
           "WHERE (tasks.section_id, tasks.title, tasks.detail, tasks.starts_on, tasks.due_on, tasks.tags, "
           "tasks.position, tasks.withdrawn_on) IS NOT (excluded.section_id, excluded.title, excluded.detail, "
           "excluded.starts_on, excluded.due_on, excluded.tags, excluded.position, NULL)",
           [(t.key, t.plan, t.id, section_ids.get((t.plan, t.section)), t.title, t.detail, t.start.isoformat(),
             t.due.isoformat(), json.dumps(list(t.tags), ensure_ascii=False), t.position) for t in planset.tasks])
        units_to_write = [t for t in planset.tasks if t.key in touched]
        xm("DELETE FROM task_units WHERE task_id = ?", [(t.key,) for t in units_to_write])
        xm("INSERT INTO task_units (task_id, unit_id, role, position) VALUES (?, ?, ?, ?)",
           [(t.key, unit_ids[u], role, n) for t in units_to_write
            for role, group in (("lead", t.lead), ("responsible", t.responsible)) for n, u in enumerate(group)])
        xm("INSERT INTO milestones (id, task_id, milestone_id, title, due_on, position, withdrawn_on) "
           "VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
           "due_on = excluded.due_on, position = excluded.position, withdrawn_on = NULL "
           "WHERE (milestones.title, milestones.due_on, milestones.position, milestones.withdrawn_on) "
           "IS NOT (excluded.title, excluded.due_on, excluded.position, NULL)",
           [(f"{t.key}/{m.id}", t.key, m.id, m.title, m.due.isoformat(), n)
            for t in planset.tasks for n, m in enumerate(t.milestones)])
        xm("INSERT INTO indicators (id, task_id, indicator_id, name, unit, baseline, target, direction, due_on, position, "
           "withdrawn_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
           "unit = excluded.unit, baseline = excluded.baseline, target = excluded.target, direction = excluded.direction, "
           "due_on = excluded.due_on, position = excluded.position, withdrawn_on = NULL "
           "WHERE (indicators.name, indicators.unit, indicators.baseline, indicators.target, indicators.direction, "
           "indicators.due_on, indicators.position, indicators.withdrawn_on) IS NOT (excluded.name, excluded.unit, "
           "excluded.baseline, excluded.target, excluded.direction, excluded.due_on, excluded.position, NULL)",
           [(f"{t.key}/{i.id}", t.key, i.id, i.name, i.unit, i.baseline, i.target, i.direction, i.due.isoformat(), n)
            for t in planset.tasks for n, i in enumerate(t.indicators)])
        indicators = [(f"{t.key}/{i.id}", i) for t in planset.tasks for i in t.indicators
                      if f"{t.key}/{i.id}" in touched]
        xm("DELETE FROM checkpoints WHERE indicator_id = ?", [(key,) for key, _ in indicators])
        xm("INSERT INTO checkpoints (indicator_id, on_date, value) VALUES (?, ?, ?)",
           [(key, c.on.isoformat(), c.value) for key, i in indicators for c in i.checkpoints])
        for table, ids in diff.withdraw.items():
            xm(f"UPDATE {table} SET withdrawn_on = ? WHERE id = ?", [(today.isoformat(), i) for i in ids])

    def has_any_rows(self) -> bool:
        return bool(self._read("SELECT 1 FROM plans LIMIT 1"))

    def integrity(self) -> str:
        return self._read("PRAGMA integrity_check")[0][0]


class _Unchanged(InputError):
    """An action that restates what is already recorded (a tick, a review held): the CLI reports
    it and exits 0, and nothing is written."""

    exit_code = 0
