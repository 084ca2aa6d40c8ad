"""The database schema, as sqlite-utils Migrations: plain tables a clerk can read in any SQLite client.

Dates are ISO text; a NULL `withdrawn_on` means the item is live; nothing is pickled.
Add a migration at the end and bump nothing else: SCHEMA_VERSION follows the list.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("supervise")


@migrations()
def m001_initial(db) -> None:
    db.executescript(
        """
        CREATE TABLE office (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL DEFAULT '',
            review_every_months INTEGER NOT NULL DEFAULT 2,
            first_review TEXT,
            amber_days INTEGER NOT NULL DEFAULT 30,
            stale_days INTEGER NOT NULL DEFAULT 60,
            lag_amber REAL NOT NULL DEFAULT 10,
            lag_red REAL NOT NULL DEFAULT 30,
            explicit_reviews INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            held_on TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            held INTEGER NOT NULL DEFAULT 0,      -- 1: recorded with `review hold`; 0: listed in the plan file
            recorded_at TEXT
        );
        CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            doc_number TEXT NOT NULL DEFAULT '',
            issued_by TEXT NOT NULL DEFAULT '',
            issued_on TEXT,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            withdrawn_on TEXT
        );
        CREATE TABLE sections (
            id INTEGER PRIMARY KEY,
            plan_id TEXT NOT NULL REFERENCES plans(id),
            title TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            UNIQUE (plan_id, title)
        );
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,                  -- plan/task, e.g. sy-2021/1.1
            plan_id TEXT NOT NULL REFERENCES plans(id),
            task_id TEXT NOT NULL,
            section_id INTEGER REFERENCES sections(id),
            title TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            starts_on TEXT NOT NULL,
            due_on TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',      -- JSON list of text
            done_on TEXT,                         -- a tick on a task without milestones
            position INTEGER NOT NULL DEFAULT 0,
            withdrawn_on TEXT,
            UNIQUE (plan_id, task_id)
        );
        CREATE INDEX tasks_task_id ON tasks (task_id);
        CREATE TABLE task_units (
            task_id TEXT NOT NULL REFERENCES tasks(id),
            unit_id INTEGER NOT NULL REFERENCES units(id),
            role TEXT NOT NULL CHECK (role IN ('lead', 'responsible')),   -- 牵头单位 / 责任单位
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (task_id, role, unit_id)
        );
        CREATE INDEX task_units_unit ON task_units (unit_id);
        CREATE TABLE milestones (
            id TEXT PRIMARY KEY,                  -- plan/task/milestone
            task_id TEXT NOT NULL REFERENCES tasks(id),
            milestone_id TEXT NOT NULL,
            title TEXT NOT NULL,
            due_on TEXT NOT NULL,
            done_on TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            withdrawn_on TEXT
        );
        CREATE INDEX milestones_task ON milestones (task_id);
        CREATE TABLE indicators (
            id TEXT PRIMARY KEY,                  -- plan/task/indicator
            task_id TEXT NOT NULL REFERENCES tasks(id),
            indicator_id TEXT NOT NULL,
            name TEXT NOT NULL,
            unit TEXT NOT NULL DEFAULT '',
            baseline REAL NOT NULL DEFAULT 0,
            target REAL NOT NULL,
            direction TEXT NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down')),
            due_on TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            withdrawn_on TEXT
        );
        CREATE INDEX indicators_task ON indicators (task_id);
        CREATE TABLE checkpoints (
            indicator_id TEXT NOT NULL REFERENCES indicators(id),
            on_date TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (indicator_id, on_date)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            recorded_at TEXT NOT NULL,            -- UTC, when the clerk recorded it
            kind TEXT NOT NULL,                   -- tick, untick, note, record, override, override_clear, review, import, undo
            task_id TEXT,
            item_id TEXT,
            effective_on TEXT,                    -- the date the action takes effect (--on)
            summary TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL DEFAULT '{}',      -- JSON: what undo needs
            undone_by INTEGER REFERENCES events(id)
        );
        CREATE INDEX events_recorded ON events (recorded_at);
        CREATE TABLE indicator_values (
            id INTEGER PRIMARY KEY,
            indicator_id TEXT NOT NULL REFERENCES indicators(id),
            measured_on TEXT NOT NULL,
            value REAL NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            event_id INTEGER REFERENCES events(id)
        );
        CREATE INDEX indicator_values_indicator ON indicator_values (indicator_id, measured_on);
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            task_id TEXT NOT NULL REFERENCES tasks(id),
            written_on TEXT NOT NULL,
            text TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            event_id INTEGER REFERENCES events(id)
        );
        CREATE INDEX notes_task ON notes (task_id, written_on);
        CREATE TABLE overrides (
            id INTEGER PRIMARY KEY,
            task_id TEXT NOT NULL REFERENCES tasks(id),
            rag TEXT NOT NULL CHECK (rag IN ('red', 'amber', 'green')),
            reason TEXT NOT NULL,
            starts_on TEXT NOT NULL,
            until_on TEXT,
            cleared_on TEXT,
            recorded_at TEXT NOT NULL,
            event_id INTEGER REFERENCES events(id)
        );
        CREATE INDEX overrides_task ON overrides (task_id);
        INSERT INTO office (id) VALUES (1);
        """
    )


@migrations()
def m002_views(db) -> None:
    """Views for Datasette or any SQLite client (the colours need the rules, so no view has them)."""
    db.executescript(
        """
        CREATE VIEW tasks_live AS
        SELECT t.id, t.plan_id, t.task_id, s.title AS section, t.title, t.starts_on, t.due_on, t.done_on,
               (SELECT group_concat(name, '、') FROM (SELECT u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id
                 WHERE tu.task_id = t.id AND tu.role = 'lead' ORDER BY tu.position)) AS lead,
               (SELECT group_concat(name, '、') FROM (SELECT u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id
                 WHERE tu.task_id = t.id AND tu.role = 'responsible' ORDER BY tu.position)) AS responsible,
               (SELECT count(*) FROM milestones m WHERE m.task_id = t.id AND m.withdrawn_on IS NULL) AS milestones,
               (SELECT count(*) FROM milestones m WHERE m.task_id = t.id AND m.withdrawn_on IS NULL
                 AND m.done_on IS NOT NULL) AS milestones_done,
               (SELECT count(*) FROM indicators i WHERE i.task_id = t.id AND i.withdrawn_on IS NULL) AS indicators
        FROM tasks t JOIN plans p ON p.id = t.plan_id LEFT JOIN sections s ON s.id = t.section_id
        WHERE t.withdrawn_on IS NULL AND p.withdrawn_on IS NULL
        ORDER BY p.position, t.position;

        CREATE VIEW latest_values AS
        SELECT i.task_id, i.id AS indicator_id, i.name, i.unit, i.baseline, i.target, i.direction,
               i.due_on AS target_due_on, v.measured_on, v.value, v.note, v.recorded_at
        FROM indicators i
        LEFT JOIN indicator_values v ON v.id = (
            SELECT v2.id FROM indicator_values v2 WHERE v2.indicator_id = i.id ORDER BY v2.measured_on DESC, v2.id DESC LIMIT 1)
        WHERE i.withdrawn_on IS NULL
        ORDER BY i.task_id, i.position;

        CREATE VIEW notes_by_task AS
        SELECT n.task_id, t.title AS task_title, n.written_on, n.text, n.recorded_at
        FROM notes n JOIN tasks t ON t.id = n.task_id
        ORDER BY n.task_id, n.written_on DESC, n.id DESC;
        """
    )


@migrations()
def m003_reminders(db) -> None:
    """Chase-up notices (督办单): one row per notice, one per task it names. A notice taken back
    with `undo` keeps its row (undone_by set), so its number is never given to another notice."""
    db.executescript(
        """
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,                 -- 督办〔year〕seq号, in sequence per year, never reused
            unit TEXT NOT NULL,                   -- the lead unit it is addressed to
            issued_on TEXT NOT NULL,
            reply_by TEXT NOT NULL,
            level INTEGER NOT NULL DEFAULT 1,     -- 1 一督, 2 二督, 3 三督 …: the highest of its tasks
            recorded_at TEXT NOT NULL,
            event_id INTEGER REFERENCES events(id),
            undone_by INTEGER,
            UNIQUE (year, seq)
        );
        CREATE TABLE reminder_tasks (
            reminder_id INTEGER NOT NULL REFERENCES reminders(id),
            task_id TEXT NOT NULL REFERENCES tasks(id),
            level INTEGER NOT NULL DEFAULT 1,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (reminder_id, task_id)
        );
        CREATE INDEX reminder_tasks_task ON reminder_tasks (task_id);
        """
    )


@migrations()
def m004_database_id(db) -> None:
    """A random identity for this database: a report form (`forms`) carries it, so `collect`
    knows the form came from this database and not from another office's (or a test copy's)."""
    db.executescript(
        """
        ALTER TABLE office ADD COLUMN database_id TEXT;
        UPDATE office SET database_id = lower(hex(randomblob(16))) WHERE id = 1;
        """
    )


MIGRATION_NAMES = [m.name for m in migrations._migrations]
SCHEMA_VERSION = len(MIGRATION_NAMES)
