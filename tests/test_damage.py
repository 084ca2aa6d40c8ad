"""A damaged database: every kind of nonsense in every column the readers use is refused as one line.

What another program (a DB browser, a script, damage SQLite cannot see) can leave in a cell:
text in a number column, a number in a text column, binary (BLOB) where text is kept, a date
that is no date, an infinite number, JSON that is not what the column keeps, bytes that are not
UTF-8, NULL where the schema says NOT NULL. For each table and column that the snapshot (status,
show, brief, the UI) or the event log (log) reads, each kind of nonsense is written into the task
`show` shows, and the commands must end with exit 3 and one line naming the database file —
never an internal error (exit 70), never a traceback, nothing written.

One database is built once and copied for each case; the commands other than `status --format
json` take turns over the cases (each still meets every table) so that the file runs in seconds.
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from supervise.db.store import Store
from supervise.errors import StoreError
from supervise.models import Rag
from supervise.planfile.loader import load_plan_file

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans.toml"
TODAY = date(2021, 10, 31)
TASK = "sy-2021/3.2"  # a milestone, an indicator with a checkpoint; given a value, a note, an override, a notice

# the row of each table that belongs to TASK (or the one row the table has)
ROW = {
    "plans": "id = 'sy-2021'",
    "sections": "id = (SELECT section_id FROM tasks WHERE id = 'sy-2021/3.2')",
    "units": "id = (SELECT unit_id FROM task_units WHERE task_id = 'sy-2021/3.2' AND role = 'lead')",
    "tasks": "id = 'sy-2021/3.2'",
    "task_units": "task_id = 'sy-2021/3.2' AND role = 'lead'",
    "milestones": "task_id = 'sy-2021/3.2'",
    "indicators": "task_id = 'sy-2021/3.2'",
    "checkpoints": "indicator_id = 'sy-2021/3.2/occupancy'",
    "indicator_values": "indicator_id = 'sy-2021/3.2/occupancy'",
    "notes": "task_id = 'sy-2021/3.2'",
    "overrides": "task_id = 'sy-2021/3.2'",
    "reviews": "held = 1",
    "reminders": "unit = '市民政局'",
    "reminder_tasks": "task_id = 'sy-2021/3.2'",
    "office": "id = 1",
    "events": "kind = 'tick'",
}

# What each column read keeps: text, a number, an integer, a date (NOT NULL), an optional date,
# JSON, a key (an id other rows point at: another text there is only a dangling link), or a
# position that only orders rows (SQL orders any mix of kinds: nonsense there may pass unseen,
# or be refused, but is never an internal error).
COLUMNS: dict[str, dict[str, str]] = {
    "plans": {"id": "key", "title": "text", "doc_number": "text", "issued_by": "text", "issued_on": "date?",
              "starts_on": "date", "ends_on": "date", "position": "order", "withdrawn_on": "date?"},
    "sections": {"title": "text"},
    "units": {"name": "text"},
    "tasks": {"id": "key", "plan_id": "key", "task_id": "key", "title": "text", "detail": "text",
              "section_id": "int?", "starts_on": "date", "due_on": "date", "tags": "json", "done_on": "date?",
              "position": "int", "withdrawn_on": "date?"},
    "task_units": {"task_id": "key", "unit_id": "int", "role": "text", "position": "order"},
    "milestones": {"task_id": "key", "milestone_id": "key", "title": "text", "due_on": "date", "done_on": "date?",
                   "position": "order", "withdrawn_on": "date?"},
    "indicators": {"id": "key", "task_id": "key", "indicator_id": "key", "name": "text", "unit": "text",
                   "baseline": "number", "target": "number", "direction": "text", "due_on": "date",
                   "position": "order", "withdrawn_on": "date?"},
    "checkpoints": {"indicator_id": "key", "on_date": "date", "value": "number"},
    "indicator_values": {"indicator_id": "key", "measured_on": "date", "value": "number", "note": "text"},
    "notes": {"task_id": "key", "written_on": "date", "text": "text"},
    "overrides": {"task_id": "key", "rag": "text", "reason": "text", "starts_on": "date", "until_on": "date?",
                  "cleared_on": "date?"},
    "reviews": {"held_on": "date", "title": "text", "held": "int"},
    "reminders": {"year": "int", "seq": "int", "unit": "text", "issued_on": "date", "reply_by": "date",
                  "level": "int", "undone_by": "int?"},
    "reminder_tasks": {"reminder_id": "int", "task_id": "key", "level": "int"},
    "office": {"name": "text", "review_every_months": "int", "first_review": "date?", "amber_days": "int",
               "stale_days": "int", "lag_amber": "number", "lag_red": "number", "explicit_reviews": "int"},
    "events": {"recorded_at": "text", "kind": "text", "task_id": "key", "item_id": "key", "effective_on": "date?",
               "summary": "text", "data": "json", "undone_by": "int?"},
}

# The kinds of nonsense, as SQL (written with a plain UPDATE, as a DB browser would).
NONSENSE = {
    "word": "'many'",                          # text in a number (or date, or JSON) column
    "number": "42",                            # a number in a text column (TEXT affinity keeps it as '42')
    "blob": "x'e5a4a7e59e8b'",                 # text stored as binary (even valid UTF-8)
    "bad date": "'2021-02-30'",
    "infinite": "9e999",                       # the plan file refuses numbers that are not finite
    "bad json": "'[\"养老\"'",
    "json of another shape": "'[1, {\"a\": 2}]'",
    "not utf-8": "CAST(x'e5a4ff' AS TEXT)",
    "empty": "''",                              # an emptied cell, as a DB browser writes it: no date where one is needed
}

# which kinds are nonsense in which column; the others are values the column can sensibly hold
APPLIES = {
    "text": ("blob", "not utf-8"),
    "key": ("blob", "not utf-8"),
    "number": ("word", "blob", "infinite"),
    "int": ("word", "blob"),
    "int?": ("word", "blob"),
    "date": ("word", "number", "blob", "bad date", "not utf-8", "empty"),
    "date?": ("word", "number", "blob", "bad date", "not utf-8"),
    "json": ("word", "number", "blob", "bad json", "json of another shape", "not utf-8"),
    "order": ("word", "blob"),
}
# a few words are not text these columns can hold: an unknown colour, direction, role
APPLIES_ALSO = {("overrides", "rag"): ("word",), ("indicators", "direction"): ("word",),
                ("task_units", "role"): ("word",), ("events", "recorded_at"): ("word", "number")}

SNAPSHOT_COMMANDS = [["status", "--format", "json"], ["status"], ["show", TASK], ["brief", "--out", "-"]]
LOG_COMMANDS = [["log"], ["log", "--task", TASK], ["show", TASK]]


def cases() -> list[tuple[str, str, str]]:
    out = []
    for table, columns in COLUMNS.items():
        for column, kind in columns.items():
            for nonsense in APPLIES[kind] + APPLIES_ALSO.get((table, column), ()):
                out.append((table, column, nonsense))
    return out


CASES = cases()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("damage") / "template.db"
    with Store.open(path) as store:
        store.import_plans(load_plan_file(PLANS), TODAY, source="plans.toml")
        store.add_note(TASK, "会议纪要", TODAY)
        store.record(TASK, "occupancy", 30, date(2021, 9, 30), note="measured")
        store.tick(TASK, "a", date(2021, 10, 1))
        store.set_override(TASK, Rag.AMBER, "资金未到位", TODAY, until=date(2021, 12, 1))
        store.hold_review(date(2021, 10, 15), "第二次推进会")
        store.remind("市民政局", [(TASK, 1)], TODAY, date(2021, 11, 10))
    conn = sqlite3.connect(path)
    with conn:  # recorded on the day the commands take for today, so that `log` lists them
        for table in ("events", "notes", "indicator_values", "overrides", "reminders", "reviews"):
            conn.execute(f"UPDATE {table} SET recorded_at = '2021-10-31 01:00:00'")
    conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, copied per case
    conn.close()
    return path


def state(db: Path) -> list:
    """Every row of every table, its text as bytes (iterdump cannot read text that is not UTF-8)."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        conn.text_factory = bytes
        return [(t, conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()) for t in tables]
    finally:
        conn.close()


def damage(db: Path, table: str, column: str, nonsense: str) -> None:
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute("PRAGMA ignore_check_constraints = ON")  # as damage would: past the schema's CHECKs
            rowid = conn.execute(f"SELECT min(rowid) FROM {table} WHERE {ROW[table]}").fetchone()[0]
            assert rowid is not None, (table, "no row to damage")
            conn.execute(f"UPDATE {table} SET {column} = {NONSENSE[nonsense]} WHERE rowid = ?", (rowid,))
    finally:
        conn.close()


def assert_refused(outcome, db: Path, what) -> None:
    assert outcome.exit_code == 3, (what, outcome)
    err = outcome.stderr
    assert "Traceback" not in err and "internal error" not in err, (what, err)
    assert err.endswith("\n") and err.count("\n") == 1, (what, f"not one line: {err!r}")
    assert err.startswith("supervise: ") and str(db) in err and "damaged" in err, (what, err)


@pytest.mark.parametrize("table", list(COLUMNS))
def test_nonsense_in_a_column_read_is_a_damaged_database(table, template, tmp_path, invoke):
    """Each column of `table` × each kind of nonsense it can hold: exit 3, one line naming the file."""
    mine = [c for c in CASES if c[0] == table]
    turn = sum(map(ord, table))  # the commands take turns, from a different one in each table
    for n, (_, column, nonsense) in enumerate(mine):
        commands = LOG_COMMANDS if table == "events" else SNAPSHOT_COMMANDS
        if COLUMNS[table][column] == "key":  # the row no longer belongs to the task: one task's read does not meet it
            commands = [c for c in commands if TASK not in c]
        folder = tmp_path / f"{n}"
        folder.mkdir()
        db = folder / "supervise.db"
        shutil.copy(template, db)
        damage(db, table, column, nonsense)
        before, files = state(db), sorted(p.name for p in folder.iterdir())
        runs = [commands[0]] if commands[0] == commands[(turn + n) % len(commands)] else [
            commands[0], commands[(turn + n) % len(commands)]]
        for args in runs:
            outcome = invoke(["--db", str(db), *args])
            if COLUMNS[table][column] == "order" and outcome.exit_code == 0:
                continue
            assert_refused(outcome, db, (table, column, nonsense, args))
            if args[0] == "brief":
                assert outcome.stdout == "", (table, column, nonsense)  # not half a briefing
        assert state(db) == before, (table, column, nonsense)
        assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == files


def test_a_number_in_a_text_column_is_kept_as_text(template, tmp_path, invoke):
    """TEXT affinity turns a number written into a text column into its text: a title "42" is a title."""
    db = tmp_path / "supervise.db"
    shutil.copy(template, db)
    damage(db, "tasks", "title", "number")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT typeof(title), title FROM tasks WHERE id = ?", (TASK,)).fetchone() == ("text", "42")
    conn.close()
    outcome = invoke(["--db", str(db), "show", TASK])
    assert outcome.exit_code == 0, outcome
    assert "42" in outcome.stdout


def test_null_where_the_schema_says_not_null(template, tmp_path, invoke):
    """NULL cannot be written into a NOT NULL column; left there by damage (here: the schema edited
    to let it in, then put back), SQLite's own check when the database is opened refuses it."""
    db = tmp_path / "supervise.db"
    shutil.copy(template, db)
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError):
        with conn:
            conn.execute("UPDATE indicators SET target = NULL WHERE task_id = ?", (TASK,))
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'indicators'").fetchone()[0]
    loose = sql.replace("target REAL NOT NULL", "target REAL")
    assert loose != sql
    with conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'indicators'", (loose,))
    conn.close()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE indicators SET target = NULL WHERE task_id = ?", (TASK,))
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'indicators'", (sql,))
    conn.close()
    before = state(db)
    for args in (*SNAPSHOT_COMMANDS, *LOG_COMMANDS, ["note", TASK, "x"]):
        assert_refused(invoke(["--db", str(db), *args]), db, args)
    assert state(db) == before


def test_a_damaged_database_in_a_real_process(template, tmp_path):
    """The command as its own process (its exit goes through os._exit): the same status and line."""
    db = tmp_path / "supervise.db"
    shutil.copy(template, db)
    damage(db, "indicators", "baseline", "word")
    before = state(db)
    for args in (["status", "--format", "json"], ["brief", "--out", "-"]):
        outcome = run_cli(["--db", str(db), *args])
        assert_refused(outcome, db, args)
        assert outcome.stdout == ""
    assert state(db) == before


WRITES = [["note", TASK, "x"], ["undo"], ["tick", TASK, "a"], ["record", TASK, "occupancy", "35"]]


def test_writes_on_a_damaged_database_never_end_in_an_internal_error(template, tmp_path, invoke):
    """A write reads little (the ids it resolves, what undo will need): it may go through, or be
    refused as bad input (the damaged task now reads as withdrawn, say) or as damage; never exit 70.
    Every third case, the writes taking turns."""
    for n, (table, column, nonsense) in enumerate(CASES[::3]):
        db = tmp_path / f"w{n}.db"
        shutil.copy(template, db)
        damage(db, table, column, nonsense)
        args = WRITES[n % len(WRITES)]
        outcome = invoke(["--db", str(db), *args])
        what = (table, column, nonsense, args)
        assert outcome.exit_code in (0, 2, 3), (what, outcome)
        if outcome.exit_code:
            assert outcome.stderr.count("\n") == 1 and "internal error" not in outcome.stderr, (what, outcome)


@pytest.mark.parametrize("table, column, args", [
    ("milestones", "done_on", ["tick", TASK, "a"]),      # what undo needs, read back as binary
    ("indicators", "id", ["record", TASK, "occupancy", "35"]),  # the value's link to its indicator dangles
    ("milestones", "milestone_id", ["tick", TASK, "a"]),  # the ids offered as suggestions are not text
    ("tasks", "title", ["import", str(PLANS)]),  # an import reads the record first: refused, no backup taken
])
def test_a_write_that_meets_damage_is_refused_as_damage(template, tmp_path, invoke, table, column, args):
    db = tmp_path / "supervise.db"
    shutil.copy(template, db)
    damage(db, table, column, "blob")
    before = state(db)
    assert_refused(invoke(["--db", str(db), *args]), db, args)
    assert state(db) == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["supervise.db"]


class _Stepping:
    """A cursor that gives one row, then fails, when read row by row (the snapshot's own queries);
    read whole (vetting's check, which names the table too) it reads as usual."""

    def __init__(self, rows):
        self.rows = rows

    def __iter__(self):
        yield from itertools.islice(self.rows, 1)
        raise sqlite3.DatabaseError("database disk image is malformed")

    def fetchall(self):
        return self.rows.fetchall()


class _FailsWhileStepping:
    """A connection whose cursors fail part-way through, as SQLite does on a page it finds damaged
    only when a query reaches it (after quick_check passed at open)."""

    def __init__(self, conn: sqlite3.Connection, table: str):
        self.conn, self.table = conn, table

    def execute(self, sql: str, params=()):
        rows = self.conn.execute(sql, params)
        if f"FROM {self.table}" not in sql:
            return rows

        return _Stepping(rows)

    def __getattr__(self, name):
        return getattr(self.conn, name)


@pytest.mark.parametrize("table", ["milestones", "indicator_values", "notes", "tasks"])
def test_damage_met_while_stepping_through_rows_is_a_damaged_database(template, tmp_path, table):
    """The snapshot reads its rows straight from the cursor (Connection._rows): an error SQLite
    raises part-way through is translated by the read's @reads, as one raised by execute is."""
    db = tmp_path / "s.db"
    shutil.copy(template, db)
    with Store.open(db) as store:
        store.conn = _FailsWhileStepping(store.conn, table)  # type: ignore[assignment]
        with pytest.raises(StoreError) as caught:
            store.snapshot()
    assert caught.value.key == "err.corrupt" and str(db) in caught.value.render("en")


# an event's JSON data holding values of the wrong kind (a DB browser, a script): the log's words for
# a notice and a collected form read fields of `data` (db/actions.py), an undo's the id it reversed
EVENT_DATA = [
    ("remind", "$.unit", "5"),
    ("remind", "$.unit", "'[\"市民政局\"]'"),
    ("collect", "$.changes", "5"),
    ("collect", "$.unit", "json('{\"a\": 1}')"),
    ("collect", "$.as_of", "json('[2021]')"),
    ("undo", "$.undid", "json('[1]')"),
    ("undo", "$.undid", "json('{\"a\": 1}')"),
]


@pytest.mark.parametrize("kind, path, value", EVENT_DATA)
def test_an_event_whose_data_holds_values_of_the_wrong_kind_never_ends_in_an_internal_error(
        template, tmp_path, invoke, kind, path, value):
    """Failed before: `log` met len(5) or a list where text or an id was kept: exit 70."""
    db = tmp_path / "supervise.db"
    shutil.copy(template, db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO events (recorded_at, kind, effective_on, summary, data) VALUES ('2021-10-31 02:00:00', "
                     "'collect', '2021-10-31', '市民政局 2021-10-31: 1 entry', '{\"unit\": \"市民政局\", "
                     "\"as_of\": \"2021-10-31\", \"changes\": []}')")
        conn.execute("INSERT INTO events (recorded_at, kind, effective_on, summary, data) VALUES ('2021-10-31 03:00:00', "
                     "'undo', '2021-10-31', 'x', '{\"undid\": 1, \"kind\": \"import\"}')")
        assert conn.execute(f"UPDATE events SET data = json_set(data, '{path}', {value}) WHERE kind = ?",
                            (kind,)).rowcount
    conn.close()
    for lang in ("en", "zh"):
        for fmt in ("table", "markdown", "json"):
            outcome = invoke(["--db", str(db), "--lang", lang, "log", "--format", fmt])
            assert outcome.exit_code in (0, 3), (lang, fmt, outcome)
            assert "internal error" not in outcome.stderr and "内部错误" not in outcome.stderr, (lang, fmt, outcome)
            if outcome.exit_code:
                assert outcome.stderr.count("\n") == 1 and str(db) in outcome.stderr, (lang, fmt, outcome)


@pytest.mark.parametrize("args", [["forms", "--out", "FOLDER"], ["collect", "FORM"]])
def test_a_database_id_that_is_not_text_is_a_damaged_database(template, tmp_path, invoke, args):
    """office.database_id (what every form carries) is read on its own, not by the snapshot: a
    BLOB there failed as an internal error (exit 70) in `forms` (and `collect` blamed the form)
    before it was checked at the read."""
    db = tmp_path / "supervise.db"
    shutil.copy(template, db)
    form = tmp_path / "form.xlsx"
    form.write_bytes(b"")
    damage(db, "office", "database_id", "blob")
    before = state(db)
    args = [str(tmp_path / "forms") if a == "FOLDER" else str(form) if a == "FORM" else a for a in args]
    assert_refused(invoke(["--db", str(db), *args]), db, args)
    assert state(db) == before
    assert not (tmp_path / "forms").exists()
