"""What each column the snapshot reads must hold, checked in SQL before its rows become objects.

SQLite keeps whatever a cell is given: a DB browser, a script or damage SQLite cannot see can
leave text where a number is kept, binary (a BLOB) where text is, a date that is no date. Left
alone, such a value travels inside the model objects and breaks a rule or a writer far from the
database (an internal error, exit 70). Here one query looks at every row the snapshot is about
to read, in C (`typeof`), and the first row that holds a value of the wrong kind makes the read
a damaged database (exit 3, one line naming the file and the cell).

Not checked here, because reading them already refuses nonsense at the boundary (`reads`):
dates the snapshot parses (`date.fromisoformat` refuses text that is no date, and bytes), a
colour (`Rag(...)`), tags' JSON (parsed, then its items checked), the office's settings and the
event log (checked as they are read), text that is not UTF-8 (sqlite3 refuses to decode it),
and the links of tasks to units (30,000 rows at 10,000 tasks, a third of this query's time: the
snapshot sorts them, which refuses ids of mixed kinds, looks each unit up, and checks the role).

Why a query and not CHECK constraints in the schema: adding them means rebuilding every table in
a migration; they would not see text that is not UTF-8, nor a row damaged while the UI holds the
database open; and SQLite's own `quick_check` at open (db/opening.py `_vet`) does evaluate CHECKs
on old rows, but at 10,000 tasks that made every command's open ~20 ms slower (18 -> 39 ms
measured), where this query costs ~12 ms and only the commands that read the snapshot.
An import reads the snapshot first, so it too refuses a damaged file (restore a backup).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .connection import Connection

# what a column must hold, as an SQL condition on the column ({c})
_KINDS = {
    "text": "typeof({c}) = 'text'",
    "integer": "typeof({c}) = 'integer'",
    "integer?": "typeof({c}) IN ('integer', 'null')",
    # a finite number (the plan file refuses what is not); SQLite stores an infinity as a REAL
    "number": "(typeof({c}) IN ('integer', 'real') AND abs({c}) <= 1.7976931348623157e308)",
    # a date only ever asked whether it is there (withdrawn_on): none, an emptied cell, or a real day
    # (date() alone keeps 2021-02-30; with a modifier it works the day out, 2021-03-02)
    "day?": "({c} IS NULL OR {c} = '' OR (typeof({c}) = 'text' AND date({c}, '+0 days') IS {c}))",
    "direction": "{c} IN ('up', 'down')",
}

# table -> (the rows one task's read looks at, {column: kind}); None: every row (small tables).
# Positions other than a task's only order rows in SQL (SQLite orders any mix of kinds): not checked.
_OF_TASK_INDICATORS = "indicator_id IN (SELECT id FROM indicators WHERE task_id = :only)"
COLUMNS: dict[str, tuple[str | None, dict[str, str]]] = {
    "plans": (None, {"id": "text", "title": "text", "doc_number": "text", "issued_by": "text",
                     "withdrawn_on": "day?"}),
    "sections": (None, {"id": "integer", "title": "text"}),
    "units": (None, {"id": "integer", "name": "text"}),
    "tasks": ("id = :only", {"id": "text", "plan_id": "text", "task_id": "text", "title": "text", "detail": "text",
                             "section_id": "integer?", "tags": "text", "position": "integer", "withdrawn_on": "day?"}),
    "milestones": ("task_id = :only", {"task_id": "text", "milestone_id": "text", "title": "text", "withdrawn_on": "day?"}),
    "indicators": ("task_id = :only", {"id": "text", "task_id": "text", "indicator_id": "text", "name": "text",
                                       "unit": "text", "baseline": "number", "target": "number",
                                       "direction": "direction", "withdrawn_on": "day?"}),
    "checkpoints": (_OF_TASK_INDICATORS, {"indicator_id": "text", "value": "number"}),
    "indicator_values": (_OF_TASK_INDICATORS, {"indicator_id": "text", "value": "number", "note": "text"}),
    "notes": ("task_id = :only", {"task_id": "text", "text": "text"}),
    "overrides": ("task_id = :only", {"task_id": "text", "reason": "text"}),
    "reviews": (None, {"title": "text", "held": "integer"}),
    "office": (None, {"name": "text", "review_every_months": "integer", "amber_days": "integer",
                      "stale_days": "integer", "lag_amber": "number", "lag_red": "number",
                      "explicit_reviews": "integer"}),
    "reminders": (None, {"year": "integer", "seq": "integer", "unit": "text", "level": "integer",
                         "undone_by": "integer?"}),
    "reminder_tasks": ("task_id = :only", {"reminder_id": "integer", "task_id": "text", "level": "integer"}),
}


def _sound(columns: dict[str, str]) -> str:
    return " AND ".join(_KINDS[kind].format(c=column) for column, kind in columns.items())


def _query(one_task: bool) -> str:
    parts = []
    for table, (of_task, columns) in COLUMNS.items():
        where = f"NOT ({_sound(columns)})"
        if one_task and of_task:
            where = f"{of_task} AND {where}"
        parts.append(f"SELECT '{table}', rowid FROM {table} WHERE {where}")
    return " UNION ALL ".join(parts) + " LIMIT 1"


_ALL, _ONE = _query(False), _query(True)


def check(store: Connection, only: str | None = None) -> None:
    """ValueError naming the first cell that holds a value of the wrong kind, among the rows the
    snapshot (or, with `only`, one task's read) is about to read; the caller's `reads` makes it
    a damaged database. One query, in C: about 12 ms at 10,000 tasks (one task: 0.1 ms)."""
    found = store._read(_ONE, {"only": only}) if only is not None else store._read(_ALL)
    if not found:
        return
    table, rowid = found[0]
    columns = COLUMNS[table][1]
    bad = next((column for column, kind in columns.items() if store._read(
        f"SELECT 1 FROM {table} WHERE rowid = ? AND NOT {_KINDS[kind].format(c=column)}", (rowid,))), "?")
    raise ValueError(f"{table}.{bad}, rowid {rowid}")
