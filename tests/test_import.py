"""Import and re-import through the CLI (plans-format.md, "Identity and re-import").

Ids are the identity: re-importing an edited file updates in place and never
loses progress; what disappears is withdrawn (kept, shown apart), and comes
back with its progress when its id returns. Everything goes through
``supervise.cli.main`` exactly as cli.md writes the commands.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import TODAY, db_fingerprint, db_rows, event_count

# The plan file as named parts, in file order; tests drop or replace parts by name.
PARTS: dict[str, str] = {
    "head": '''schema = 1

[office]
name = "测试办公室"
first_review = 2021-02-28

[[plan]]
id = "p"
title = "测试三年行动计划（2021—2023年）"
start = 2021-01-01
end = 2023-12-31
''',
    "task 1.1": '''
[[task]]
plan = "p"
id = "1.1"
section = "（一）提升居家养老服务品质"
title = "切实提高家庭自我照护能力"
lead = ["市民政局"]
responsible = ["市卫生健康委"]
due = "2023年底"
''',
    "indicator 1.1/carers": '''
  [[task.indicator]]
  id = "carers"
  name = "培训家庭照护者"
  unit = "人"
  target = 20000
''',
    "indicator 1.1/literacy": '''
  [[task.indicator]]
  id = "literacy"
  name = "老年人健康素养"
  unit = "%"
  target = 15
''',
    "task 1.2": '''
[[task]]
plan = "p"
id = "1.2"
section = "（一）提升居家养老服务品质"
title = "扎实推进政府购买居家养老服务"
lead = ["市民政局"]
due = "2022年底"
''',
    "milestone 1.2/a": '''
  [[task.milestone]]
  id = "a"
  title = "出台实施方案"
  due = "2021年9月底前"
''',
    "milestone 1.2/b": '''
  [[task.milestone]]
  id = "b"
  title = "完成试点"
  due = "2022年6月底前"
''',
    "task 2.1": '''
[[task]]
plan = "p"
id = "2.1"
section = "（二）提升社区养老服务品质"
title = "积极发展老年助餐服务"
lead = ["市商务局"]
due = "2021年12月15日前"
''',
}
# a task's children go with it when the task is dropped
CHILDREN = {"task 1.1": ["indicator 1.1/carers", "indicator 1.1/literacy"],
            "task 1.2": ["milestone 1.2/a", "milestone 1.2/b"]}
ALL_ITEMS = 1 + 3 + 2 + 2  # plan, tasks, milestones, indicators

COUNTS = re.compile(r"(\d+) added, (\d+) changed, (\d+) withdrawn, (\d+) restored")


def plan_text(drop=(), replace: dict[str, tuple[str, str]] | None = None, extra: str = "") -> str:
    dropped = set(drop)
    for name in drop:
        dropped.update(CHILDREN.get(name, ()))
    out = []
    for name, text in PARTS.items():
        if name in dropped:
            continue
        for old, new in (replace or {}).get(name, []):
            assert old in text, (name, old)
            text = text.replace(old, new)
        out.append(text)
    return "".join(out) + extra


def counts(outcome) -> tuple[int, int, int, int]:
    found = COUNTS.search(outcome.stdout)
    assert found, outcome
    return tuple(int(x) for x in found.groups())


class Office:
    """A clerk's working folder: a plans file and a database in data/."""

    def __init__(self, tmp_path: Path, invoke):
        self.dir = tmp_path
        self.plans = tmp_path / "plans.toml"
        self.db = tmp_path / "data" / "supervise.db"
        self._invoke = invoke

    def run(self, *args, **kw):
        return self._invoke(["--db", str(self.db), *args], **kw)

    def write(self, text: str) -> None:
        self.plans.write_text(text, encoding="utf-8")

    def import_(self, text: str | None = None, *flags):
        if text is not None:
            self.write(text)
        outcome = self.run("import", str(self.plans), *flags)
        assert outcome.exit_code == 0, outcome
        return outcome

    def ok(self, *args):
        outcome = self.run(*args)
        assert outcome.exit_code == 0, outcome
        return outcome

    def status(self, *args) -> dict:
        data = json.loads(self.ok("status", "--format", "json", *args).stdout)
        return {t["id"]: t for t in data["tasks"]}

    def backups(self) -> list[Path]:
        folder = self.db.parent / "backups"
        return sorted(folder.glob("*.db")) if folder.exists() else []

    def rows(self, sql: str, params=()):
        return db_rows(self.db, sql, params)

    def progress(self) -> None:
        """Some history on every kind of item: a tick, notes, indicator values."""
        self.ok("tick", "p/1.2", "a", "--on", "2021-09-20", "--note", "方案已印发")
        self.ok("note", "p/1.1", "已培训3500人", "--on", "2021-10-08")
        self.ok("record", "p/1.1", "carers", "3500", "--on", "2021-09-30")
        self.ok("record", "p/1.1", "literacy", "6", "--on", "2021-09-30")
        self.ok("tick", "p/2.1", "--on", "2021-10-20")


@pytest.fixture
def office(tmp_path, invoke) -> Office:
    o = Office(tmp_path, invoke)
    o.import_(plan_text())
    o.progress()
    return o


def history(o: Office) -> dict:
    """Every piece of progress in the database, keyed so that a comparison shows what moved."""
    return {
        "milestones": o.rows("SELECT id, done_on FROM milestones WHERE done_on IS NOT NULL ORDER BY id"),
        "tasks": o.rows("SELECT id, done_on FROM tasks WHERE done_on IS NOT NULL ORDER BY id"),
        "notes": o.rows("SELECT task_id, written_on, text FROM notes ORDER BY id"),
        "values": o.rows("SELECT indicator_id, measured_on, value FROM indicator_values ORDER BY id"),
    }


# --- first import ----------------------------------------------------------------------------


def test_fresh_import_adds_everything_and_takes_no_backup(tmp_path, invoke):
    o = Office(tmp_path, invoke)
    outcome = o.import_(plan_text())
    assert counts(outcome) == (ALL_ITEMS, 0, 0, 0)
    assert o.db.exists()
    assert o.backups() == [], "an import into an empty database has nothing to back up"
    assert not (o.db.parent / "backups").exists()
    assert event_count(o.db) == 1
    assert o.rows("SELECT kind FROM events") == [("import",)]
    assert o.rows("SELECT id FROM tasks ORDER BY position") == [("p/1.1",), ("p/1.2",), ("p/2.1",)]


def test_import_creates_the_database_folder(tmp_path, invoke):
    db = tmp_path / "deep" / "er" / "x.db"
    (tmp_path / "plans.toml").write_text(plan_text(), encoding="utf-8")
    outcome = invoke(["--db", str(db), "import", str(tmp_path / "plans.toml")])
    assert outcome.exit_code == 0, outcome
    assert db.exists()


# --- re-importing the same file ----------------------------------------------------------------


def test_reimport_unchanged_changes_nothing(office):
    before = db_fingerprint(office.db)
    events = event_count(office.db)
    outcome = office.import_()
    assert counts(outcome) == (0, 0, 0, 0)
    assert event_count(office.db) == events, "an unchanged import records no event"
    assert office.backups() == [], "an unchanged import takes no backup"
    assert db_fingerprint(office.db) == before, "an unchanged import writes nothing"


def test_reimport_unchanged_dry_run_lists_nothing(office):
    outcome = office.import_(None, "--dry-run")
    assert counts(outcome) == (0, 0, 0, 0)
    assert not re.search(r"^(added|changed|withdrawn|restored):", outcome.stdout, re.M), outcome


def test_reimport_of_the_bundled_file_is_a_no_op(tmp_db, bundled_plans, invoke):
    first = invoke(["--db", tmp_db, "import", bundled_plans])
    assert first.exit_code == 0, first
    before = db_fingerprint(tmp_db)
    again = invoke(["--db", tmp_db, "import", bundled_plans])
    assert again.exit_code == 0, again
    assert counts(again) == (0, 0, 0, 0)
    assert db_fingerprint(tmp_db) == before
    assert not (tmp_db.parent / "backups").exists()


# --- changes in place --------------------------------------------------------------------------


def test_title_edit_updates_in_place_and_keeps_progress(office):
    kept = history(office)
    events = event_count(office.db)
    outcome = office.import_(plan_text(replace={"task 1.1": [("切实提高家庭自我照护能力", "切实提高家庭照护能力（修订）")]}))
    assert counts(outcome) == (0, 1, 0, 0)
    assert office.rows("SELECT title FROM tasks WHERE id = 'p/1.1'") == [("切实提高家庭照护能力（修订）",)]
    assert history(office) == kept, "progress stays attached to the id"
    assert event_count(office.db) == events + 1
    task = office.status()["p/1.1"]
    assert task["title"] == "切实提高家庭照护能力（修订）"
    assert task["latest_note"] == "已培训3500人"
    assert {i["id"]: i["value"] for i in task["indicators"]} == {"carers": 3500, "literacy": 6}


@pytest.mark.parametrize("part, old, new, item", [
    ("milestone 1.2/a", 'title = "出台实施方案"', 'title = "出台并印发实施方案"', "milestone p/1.2/a"),
    ("milestone 1.2/a", 'due = "2021年9月底前"', 'due = "2021年10月底前"', "milestone p/1.2/a"),
    ("indicator 1.1/carers", "target = 20000", "target = 25000", "indicator p/1.1/carers"),
    ("indicator 1.1/carers", 'unit = "人"', 'unit = "名"', "indicator p/1.1/carers"),
    ("task 1.2", 'due = "2022年底"', 'due = "2022年第三季度"', "task p/1.2"),
    ("task 1.2", 'lead = ["市民政局"]', 'lead = ["市民政局", "市财政局"]', "task p/1.2"),
], ids=["milestone-title", "milestone-due", "indicator-target", "indicator-unit", "task-due", "task-lead"])
def test_edits_are_reported_as_changed_and_keep_progress(office, part, old, new, item):
    kept = history(office)
    dry = office.import_(plan_text(replace={part: [(old, new)]}), "--dry-run")
    assert counts(dry) == (0, 1, 0, 0)
    assert re.search(rf"^changed: {re.escape(item)}$", dry.stdout, re.M), dry
    outcome = office.import_()
    assert counts(outcome) == (0, 1, 0, 0)
    assert history(office) == kept


def test_milestone_due_edit_is_applied(office):
    office.import_(plan_text(replace={"milestone 1.2/b": [('due = "2022年6月底前"', 'due = "2022年上半年"')]}))
    assert counts(office.import_()) == (0, 0, 0, 0), "same date written another way is no change"
    office.import_(plan_text(replace={"milestone 1.2/b": [('due = "2022年6月底前"', 'due = "2022年三季度末"')]}))
    assert office.rows("SELECT due_on FROM milestones WHERE id = 'p/1.2/b'") == [("2022-09-30",)]


# --- withdrawing and restoring -------------------------------------------------------------------


def test_deleted_task_is_withdrawn_with_its_history_and_comes_back(office):
    kept = history(office)
    outcome = office.import_(plan_text(drop=["task 1.1"]))
    assert counts(outcome) == (0, 0, 1, 0)
    # kept in the database, marked withdrawn on the import's date
    assert office.rows("SELECT withdrawn_on FROM tasks WHERE id = 'p/1.1'") == [(TODAY,)]
    assert history(office) == kept, "a withdrawn task keeps its ticks, notes and values"
    # gone from status, except on request
    assert "p/1.1" not in office.status()
    assert "p/1.1" not in office.status("--rag", "red,amber,green,done")
    withdrawn = office.status("--rag", "withdrawn")
    assert list(withdrawn) == ["p/1.1"]
    assert withdrawn["p/1.1"]["withdrawn"] is True
    # and back, with its progress
    outcome = office.import_(plan_text())
    assert counts(outcome) == (0, 0, 0, 1)
    assert office.rows("SELECT withdrawn_on FROM tasks WHERE id = 'p/1.1'") == [(None,)]
    assert history(office) == kept
    task = office.status()["p/1.1"]
    assert task["latest_note"] == "已培训3500人"
    assert {i["id"]: (i["value"], i["measured_on"]) for i in task["indicators"]} == {
        "carers": (3500, "2021-09-30"), "literacy": (6, "2021-09-30")}
    assert office.status("--rag", "withdrawn") == {}


def test_withdrawn_task_refuses_new_progress(office):
    office.import_(plan_text(drop=["task 2.1"]))
    outcome = office.run("note", "p/2.1", "还在做")
    assert outcome.exit_code == 2, outcome
    assert len(outcome.err_lines) == 1 and "Traceback" not in outcome.output


def test_deleted_milestone_is_withdrawn_and_restored_with_its_tick(office):
    kept = history(office)
    outcome = office.import_(plan_text(drop=["milestone 1.2/a"]))
    assert counts(outcome) == (0, 0, 1, 0)
    assert office.rows("SELECT withdrawn_on, done_on FROM milestones WHERE id = 'p/1.2/a'") == [(TODAY, "2021-09-20")]
    assert [m["id"] for m in office.status()["p/1.2"]["milestones"]] == ["b"]
    assert history(office) == kept
    outcome = office.import_(plan_text())
    assert counts(outcome) == (0, 0, 0, 1)
    milestones = {m["id"]: m for m in office.status()["p/1.2"]["milestones"]}
    assert list(milestones) == ["a", "b"]
    assert milestones["a"]["done_on"] == "2021-09-20"
    assert history(office) == kept


def test_deleted_indicator_is_withdrawn_and_restored_with_its_values(office):
    kept = history(office)
    outcome = office.import_(plan_text(drop=["indicator 1.1/carers"]))
    assert counts(outcome) == (0, 0, 1, 0)
    assert office.rows("SELECT withdrawn_on FROM indicators WHERE id = 'p/1.1/carers'") == [(TODAY,)]
    assert [i["id"] for i in office.status()["p/1.1"]["indicators"]] == ["literacy"]
    assert history(office) == kept
    outcome = office.import_(plan_text())
    assert counts(outcome) == (0, 0, 0, 1)
    indicators = {i["id"]: i for i in office.status()["p/1.1"]["indicators"]}
    assert indicators["carers"]["value"] == 3500
    assert history(office) == kept


def test_restored_task_without_one_of_its_milestones_withdraws_that_milestone(office):
    office.import_(plan_text(drop=["task 1.2"]))
    outcome = office.import_(plan_text(drop=["milestone 1.2/a"]))
    assert counts(outcome) == (0, 0, 1, 1), outcome.stdout  # task restored, milestone a withdrawn
    assert office.rows("SELECT milestone_id, withdrawn_on IS NOT NULL FROM milestones WHERE task_id = 'p/1.2' "
                       "ORDER BY milestone_id") == [("a", 1), ("b", 0)]
    assert [m["id"] for m in office.status()["p/1.2"]["milestones"]] == ["b"]


def test_withdrawn_plan_takes_its_tasks_along_and_returns(office):
    second = '''
[[plan]]
id = "q"
title = "2021年重点工作任务"
start = 2021-01-01
end = 2021-12-31

[[task]]
plan = "q"
id = "1"
title = "新建社区养老服务中心"
lead = ["市民政局"]
due = "12月底前"
'''
    outcome = office.import_(plan_text(extra=second))
    assert counts(outcome) == (2, 0, 0, 0)
    office.ok("note", "q/1", "已选址")
    outcome = office.import_(plan_text())
    assert counts(outcome) == (0, 0, 2, 0)
    assert office.rows("SELECT withdrawn_on FROM plans WHERE id = 'q'") == [(TODAY,)]
    assert "q/1" not in office.status()
    outcome = office.import_(plan_text(extra=second))
    assert counts(outcome) == (0, 0, 0, 2)
    assert office.status()["q/1"]["latest_note"] == "已选址"
    assert office.status()["q/1"]["due"] == "2021-12-31"


def test_added_task_is_reported_and_listed(office):
    extra = '''
[[task]]
plan = "p"
id = "2.2"
title = "推进老年友好型社区建设"
lead = ["市卫生健康委"]
due = "2022年上半年"
'''
    outcome = office.import_(plan_text(extra=extra))
    assert counts(outcome) == (1, 0, 0, 0)
    assert office.status()["p/2.2"]["due"] == "2022-06-30"


def test_reordering_tasks_is_applied(office):
    order = ["head", "task 2.1", "task 1.1", "indicator 1.1/literacy", "indicator 1.1/carers",
             "task 1.2", "milestone 1.2/b", "milestone 1.2/a"]
    reordered = "".join(PARTS[n] for n in order)
    kept = history(office)
    dry = office.import_(reordered, "--dry-run")
    assert "changed: order" in dry.stdout.splitlines(), dry
    assert counts(office.import_()) == (0, 1, 0, 0)
    assert office.rows("SELECT id FROM tasks ORDER BY position") == [("p/2.1",), ("p/1.1",), ("p/1.2",)]
    assert office.rows("SELECT indicator_id FROM indicators WHERE task_id = 'p/1.1' ORDER BY position") == [
        ("literacy",), ("carers",)]
    assert office.rows("SELECT milestone_id FROM milestones WHERE task_id = 'p/1.2' ORDER BY position") == [
        ("b",), ("a",)]
    assert history(office) == kept
    assert counts(office.import_()) == (0, 0, 0, 0)


def test_adding_a_task_in_the_middle_is_not_a_reorder(office):
    middle = '''
[[task]]
plan = "p"
id = "1.3"
title = "推进老年友好型社区建设"
lead = ["市卫生健康委"]
'''
    text = "".join(PARTS[n] + (middle if n == "milestone 1.2/b" else "") for n in PARTS)
    dry = office.import_(text, "--dry-run")
    assert counts(dry) == (1, 0, 0, 0), dry.stdout
    office.import_()
    assert office.rows("SELECT id FROM tasks ORDER BY position") == [("p/1.1",), ("p/1.2",), ("p/1.3",), ("p/2.1",)]


def test_office_settings_change_is_applied(office):
    outcome = office.import_(plan_text(replace={"head": [("first_review = 2021-02-28", "first_review = 2021-04-30\namber_days = 15")]}))
    assert counts(outcome)[1] >= 1, "an office change is reported as a change"
    assert office.rows("SELECT amber_days, first_review FROM office") == [(15, "2021-04-30")]
    assert counts(office.import_()) == (0, 0, 0, 0)


# --- dry run -------------------------------------------------------------------------------------


def test_dry_run_lists_every_item_and_writes_nothing(office):
    extra = '''
[[task]]
plan = "p"
id = "3.1"
title = "加强养老服务人才队伍建设"
lead = ["市人力资源社会保障局"]
'''
    text = plan_text(drop=["task 2.1", "milestone 1.2/b"],
                     replace={"task 1.1": [("切实提高家庭自我照护能力", "切实提高家庭照护能力")]}, extra=extra)
    before = db_fingerprint(office.db)
    events = event_count(office.db)
    outcome = office.import_(text, "--dry-run")
    assert counts(outcome) == (1, 1, 2, 0)
    lines = set(outcome.stdout.splitlines())
    assert {"added: task p/3.1", "changed: task p/1.1", "withdrawn: task p/2.1",
            "withdrawn: milestone p/1.2/b"} <= lines, outcome.stdout
    assert db_fingerprint(office.db) == before
    assert event_count(office.db) == events
    assert office.backups() == []
    # and the real import then does exactly what the dry run said
    real = office.import_()
    assert counts(real) == (1, 1, 2, 0)


def test_dry_run_on_a_fresh_database_writes_no_plans(tmp_path, invoke):
    o = Office(tmp_path, invoke)
    outcome = o.import_(plan_text(), "--dry-run")
    assert counts(outcome) == (ALL_ITEMS, 0, 0, 0)
    assert "added: task p/1.1" in outcome.stdout.splitlines()
    if o.db.exists():  # opening may create the empty schema; it must hold nothing from the file
        assert o.rows("SELECT count(*) FROM plans") == [(0,)]
        assert o.rows("SELECT count(*) FROM events") == [(0,)]


# --- backups -------------------------------------------------------------------------------------


def test_changing_import_takes_a_backup_of_the_state_before(office):
    events = event_count(office.db)
    outcome = office.import_(plan_text(replace={"task 2.1": [("积极发展老年助餐服务", "积极发展老年助餐服务（扩面）")]}))
    backups = office.backups()
    assert len(backups) == 1
    assert backups[0].parent == office.db.parent / "backups"
    assert str(backups[0].name) in outcome.output or str(backups[0]) in outcome.output
    conn = sqlite3.connect(backups[0])
    try:  # the copy holds the state before the import
        assert conn.execute("SELECT title FROM tasks WHERE id = 'p/2.1'").fetchone() == ("积极发展老年助餐服务",)
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (events,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def test_backups_keep_the_last_five(office):
    made = []
    for n in range(8):
        office.import_(plan_text(replace={"task 2.1": [("积极发展老年助餐服务", f"积极发展老年助餐服务 v{n}")]}))
        made.append(office.backups()[-1])
    backups = office.backups()
    assert len(backups) == 5
    assert backups == made[-5:], "the newest five are kept"


def test_backup_rotation_spares_other_files_in_the_backups_folder(office):
    folder = office.db.parent / "backups"
    manual = office.ok("backup").stdout  # `supervise backup` with no DEST writes into backups/
    kept_by_hand = set(folder.glob("*.db"))
    assert kept_by_hand, manual
    other_db_backup = folder / "supervise-old-20200101-000000-000000-import.db"
    other_db_backup.write_bytes(b"")
    for n in range(7):
        office.import_(plan_text(replace={"task 2.1": [("积极发展老年助餐服务", f"积极发展老年助餐服务 v{n}")]}))
    remaining = set(folder.glob("*.db"))
    assert kept_by_hand <= remaining, "a backup the clerk made is not rotated away"
    assert other_db_backup in remaining, "another database's backups are not rotated away"
    assert len(remaining - kept_by_hand - {other_db_backup}) == 5


# --- a refused file changes nothing --------------------------------------------------------------


def test_bad_file_on_reimport_leaves_the_database_alone(office):
    before = db_fingerprint(office.db)
    bad = plan_text(drop=["task 2.1"], replace={"task 1.2": [('due = "2022年底"', 'due = "明年"')]})
    office.write(bad)
    outcome = office.run("import", str(office.plans))
    assert outcome.exit_code == 2, outcome
    assert outcome.stdout == ""
    assert len(outcome.err_lines) == 1 and "明年" in outcome.stderr
    assert db_fingerprint(office.db) == before
    assert office.backups() == []


def test_import_into_an_existing_but_empty_database_takes_no_backup(tmp_path, invoke):
    o = Office(tmp_path, invoke)
    o.write(plan_text())
    from supervise.db.store import Store

    assert o.run("status").exit_code == 2  # a command that only reads creates no database...
    assert not o.db.exists()
    Store.open(o.db).close()  # ...so make an empty one as another program (or an older version) would
    assert o.db.exists()
    outcome = o.import_()
    assert counts(outcome) == (ALL_ITEMS, 0, 0, 0)
    assert o.backups() == []


def test_unit_and_checkpoint_edits_reach_the_database(office):
    text = plan_text(replace={
        "task 1.2": [('lead = ["市民政局"]', 'lead = ["市财政局", "市民政局"]\nresponsible = ["各区县（市）政府"]')],
        "indicator 1.1/carers": [("target = 20000", "target = 20000\n  checkpoints = [{ on = 2021-12-31, value = 2000 }]")],
    })
    assert counts(office.import_(text)) == (0, 2, 0, 0)
    task = office.status()["p/1.2"]
    assert (task["lead"], task["responsible"]) == (["市财政局", "市民政局"], ["各区县（市）政府"])
    assert office.rows("SELECT on_date, value FROM checkpoints WHERE indicator_id = 'p/1.1/carers'") == [("2021-12-31", 2000.0)]
    assert counts(office.import_(plan_text())) == (0, 2, 0, 0)
    assert office.status()["p/1.2"]["lead"] == ["市民政局"]
    assert office.rows("SELECT count(*) FROM checkpoints") == [(0,)]


def test_an_import_committed_meanwhile_is_seen_by_the_import_that_writes_last(office, monkeypatch):
    """Two imports at once: B commits between A's first look and A's write lock. The file applied
    last (A's) is what the database then says: what only B added is withdrawn, units are A's."""
    from datetime import date

    from supervise.planfile.loader import parse_plans
    from supervise.db.store import Store

    office.import_(plan_text())
    extra = '\n[[task]]\nplan = "p"\nid = "9.9"\ntitle = "只有B的文件有"\nlead = ["市卫生健康委"]\ndue = "2022年上半年"\n'
    text_b = plan_text(extra=extra, replace={"task 1.2": [('lead = ["市民政局"]', 'lead = ["市财政局"]')]})
    # A's file: as it was, but for an office setting (so that A's first look finds something to do)
    text_a = plan_text(replace={"head": [("first_review = 2021-02-28", "first_review = 2021-02-28\namber_days = 15")]})
    with Store.open(office.db) as a, Store.open(office.db) as b:
        taken = a._backup_copy

        def b_commits_in_between(why):  # runs after A's first look, before A takes the write lock
            b.import_plans(parse_plans(text_b, "b.toml"), date.fromisoformat(TODAY), source="b.toml")
            return taken(why)

        monkeypatch.setattr(a, "_backup_copy", b_commits_in_between)
        report = a.import_plans(parse_plans(text_a, "a.toml"), date.fromisoformat(TODAY), source="a.toml")
    status = office.status()
    assert "p/9.9" not in status, "the task only B's file had is withdrawn by A, applied last"
    assert status["p/1.2"]["lead"] == ["市民政局"], "A's units, though A's first look saw the same as its file"
    assert "task p/9.9" in report.withdrawn and "task p/1.2" in report.changed, report
