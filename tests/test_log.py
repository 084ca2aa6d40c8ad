"""`supervise log` (shared/spec/cli.md): the weekly dump selects by the day an entry was recorded,
`--by effective` by the date it is about; `--task`/`--unit`; indicators and milestones by name;
an undo shown as one row. The office is test_cli's (today pinned to 2021-10-31)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from rich.cells import cell_len

from conftest import event_count, run_cli
from supervise.i18n import t
from test_cli import _log, assert_refused, db, plans_file, sv, template  # noqa: F401  (fixtures)


@pytest.fixture
def history(sv):
    """Four actions with their own effective dates, recorded out of date order."""
    for args in (["override", "sy-2021/2.1", "amber", "--reason", "进度偏慢", "--on", "2021-08-15"],
                 ["record", "nb-2021/4.1", "nursing", "41", "--on", "2021-09-10"],
                 ["tick", "sy-2021/1.1", "a", "--on", "2021-10-25"],
                 ["note", "sy-2021/1.2", "已召开协调会", "--on", "2021-10-01"]):
        assert sv(*args).exit_code == 0
    return sv


def _recorded(db, stamps: dict[str, str]) -> None:
    """Set when each kind of entry was recorded (UTC, as the store keeps it): the clock is not pinned."""
    conn = sqlite3.connect(db)
    with conn:
        for kind, at in stamps.items():
            conn.execute("UPDATE events SET recorded_at = ? WHERE kind = ?", (at, kind))
    conn.close()


# A week of work, recorded at noon (UTC) so that any clock of the test machine reads the same day:
# the override and the value were typed in this week, though they are about August and September.
WEEK = {"import": "2021-01-02 12:00:00", "override": "2021-10-26 12:00:00", "record": "2021-10-29 12:00:00",
        "tick": "2021-10-20 12:00:00", "note": "2021-10-31 12:00:00"}


@pytest.mark.parametrize("args, expected", [
    (["--since", "7d"], [("note", "2021-10-01"), ("record", "2021-09-10"), ("override", "2021-08-15")]),
    (["--since", "today"], [("note", "2021-10-01")]),
    (["--since", "2021-10-20", "--until", "2021-10-26"], [("tick", "2021-10-25"), ("override", "2021-08-15")]),
    (["--until", "2021-10-19"], [("import", "2021-01-02"), ("import", "2021-01-01")]),
])
def test_log_periods_select_by_the_day_of_recording(history, db, args, expected):
    _recorded(db, WEEK)
    assert _log(history, *args) == expected


def test_a_backdated_value_recorded_now_is_in_the_weekly_dump(sv, db):
    """Recorded with the real clock (years after the pinned today): it is this week's work all the same."""
    assert sv("record", "nb-2021/4.1", "nursing", "44", "--on", "2021-09-30").exit_code == 0
    _recorded(db, {"import": WEEK["import"]})
    assert _log(sv, "--since", "7d") == [("record", "2021-09-30")]
    assert ("record", "2021-09-30") not in _log(sv, "--since", "7d", "--by", "effective")


def test_the_day_of_recording_is_the_local_day(db, tmp_path):
    """07:30 in Beijing is 23:30 the day before in UTC: still recorded today for the clerk."""
    _recorded(db, {"import": "2021-10-30 23:30:00"})
    env = {"SUPERVISE_DB": str(db), "TZ": "Asia/Shanghai"}
    out = run_cli(["log", "--since", "today", "--format", "json"], env=env, cwd=tmp_path)
    assert out.exit_code == 0, out
    assert [e["kind"] for e in json.loads(out.stdout)] == ["import", "import"]
    table = run_cli(["log", "--since", "today"], env=env, cwd=tmp_path)
    assert "10-31 07:30" in table.stdout  # shown on the local clock too
    out = run_cli(["log", "--since", "today", "--format", "json"], env={**env, "TZ": "UTC"}, cwd=tmp_path)
    assert json.loads(out.stdout) == []


@pytest.mark.parametrize("tz", ["UTC", "Asia/Shanghai", "America/New_York"])
def test_the_calendar_s_first_and_last_days_are_periods_too(db, tmp_path, tz):
    """--since 0001-01-01 / --until 9999-12-31 select everything on any clock (the day after the last one, and
    the first day's start east of Greenwich, are no dates: found by test_fuzz as an internal error)."""
    _recorded(db, {"import": "2021-10-30 23:30:00"})
    env = {"SUPERVISE_DB": str(db), "TZ": tz}
    for args in (["--until", "9999-12-31"], ["--since", "0001-01-01"], ["--since", "0001-01-01", "--until", "9999-12-31"]):
        out = run_cli(["log", *args, "--format", "json"], env=env, cwd=tmp_path)
        assert out.exit_code == 0, (args, out)
        assert [e["kind"] for e in json.loads(out.stdout)] == ["import", "import"], args
    out = run_cli(["log", "--since", "9999-12-31", "--format", "json"], env=env, cwd=tmp_path)
    assert out.exit_code == 0 and json.loads(out.stdout) == []


@pytest.mark.parametrize("args, expected", [
    ([], [("note", "2021-10-01"), ("tick", "2021-10-25"), ("record", "2021-09-10"), ("override", "2021-08-15"),
          ("import", "2021-01-02"), ("import", "2021-01-01")]),
    (["--since", "7d"], [("tick", "2021-10-25")]),
    (["--since", "2w"], [("tick", "2021-10-25")]),
    (["--since", "1m"], [("note", "2021-10-01"), ("tick", "2021-10-25")]),
    (["--since", "last-review"], [("note", "2021-10-01"), ("tick", "2021-10-25"), ("record", "2021-09-10")]),
    (["--since", "2021-09-01", "--until", "2021-10-01"], [("note", "2021-10-01"), ("record", "2021-09-10")]),
    (["--since", "2021年9月"], [("note", "2021-10-01"), ("tick", "2021-10-25")]),
    (["--until", "2021-08-31"], [("override", "2021-08-15"), ("import", "2021-01-02"), ("import", "2021-01-01")]),
])
def test_log_by_effective_selects_by_the_date_each_entry_is_about(history, db, args, expected):
    _recorded(db, WEEK)  # when they were typed makes no difference here
    assert _log(history, "--by", "effective", *args) == expected


@pytest.mark.parametrize("args, expected", [
    (["--task", "sy-2021/1.2"], [("note", "2021-10-01")]),
    (["--task", "2.1"], [("override", "2021-08-15")]),
    (["--unit", "宁波市民政局"], [("record", "2021-09-10")]),
    (["--unit", "市民政局"], [("note", "2021-10-01"), ("tick", "2021-10-25"), ("override", "2021-08-15")]),  # 2.1: co-lead
    (["--unit", "市财政局"], [("override", "2021-08-15")]),  # responsible for 2.1
    (["--unit", "市民政局", "--since", "2021-10-01", "--by", "effective"], [("note", "2021-10-01"), ("tick", "2021-10-25")]),
])
def test_log_for_one_task_or_one_unit(history, args, expected):
    assert _log(history, *args) == expected


@pytest.mark.parametrize("args, words", [
    (["--task", "9.9"], ["unknown task", "9.9"]),
    (["--task", "1.1"], ["1.1", "sy-2021/1.1", "nb-2021/1.1"]),  # ambiguous: both named
    (["--unit", "市民正局"], ["unknown unit", "市民政局"]),  # with the close one as a hint
])
def test_log_unknown_task_or_unit_is_refused_with_a_hint(history, db, args, words):
    assert_refused(history("log", *args), db, event_count(db), *words)


def test_log_by_takes_only_recorded_or_effective(history):
    out = history("log", "--by", "typed")
    assert out.exit_code == 2 and "--by" in out.stderr and not out.stdout


def test_log_json_keys(history):
    events = json.loads(history("log", "--format", "json").stdout)
    assert {"id", "recorded_at", "kind", "task", "item", "on", "summary", "undone", "undone_by", "item_name"} <= set(events[0])
    assert events[0]["task"] == "sy-2021/1.2" and events[0]["summary"] == "已召开协调会"
    record = next(e for e in events if e["kind"] == "record")
    assert record["item"] == "nb-2021/4.1/nursing" and record["item_name"] == "护理型床位占比"


def test_log_table_and_markdown(history):
    table = history("log", env={"COLUMNS": "100"})
    assert table.exit_code == 0 and "sy-2021/1.1/a" in table.stdout and "已召开协调会" in table.stdout
    assert all(cell_len(line) <= 100 for line in table.stdout.splitlines())
    md = history("log", "--format", "markdown")
    assert md.exit_code == 0 and md.stdout.startswith("| ") and "sy-2021/1.1/a" in md.stdout
    assert history("log", "--since", "2030-01-01", "--by", "effective").stdout.strip() == "Nothing recorded in this period."


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_log_names_indicators_and_milestones(history, fmt):
    out = history("--lang", "zh", "log", "--format", fmt, env={"COLUMNS": "200"}).stdout
    assert "护理型床位占比 = 41" in out and "nursing = 41" not in out
    assert "完成：出台家庭照护者培训方案" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_note_never_hides_a_log_column(history, db, lang):
    """Rich's table, given a 5,000-character note, dropped the action and then the dates."""
    assert history("note", "sy-2021/1.1", "长" * 5000, "--on", "2021-10-02").exit_code == 0
    assert history("undo").exit_code == 0
    _recorded(db, {"undo": "2021-10-30 12:00:00"})
    out = history("--lang", lang, "log", env={"COLUMNS": "80"}).stdout.splitlines()
    headers = [t(lang, k) for k in ("col.when", "col.on", "col.action", "col.task", "col.what")]
    assert all(h in out[0] for h in headers)
    assert all(cell_len(line) <= 80 for line in out)
    undone = out[1]  # newest first: the note, undone (the undo is not a row of its own)
    assert t(lang, "log.undone_on", on="2021-10-30") in undone and "sy-2021/1.1" in undone
    assert "2021-10-02" in undone and undone.endswith("…")
    assert sum("2021-10-02" in line for line in out) == 1
    assert any("已召开协调会" in line and "2021-10-01" in line and t(lang, "event.note") in line for line in out)


def test_piped_log_cuts_nothing(history):
    history("note", "sy-2021/1.1", "长" * 300 + "尾", "--on", "2021-10-02")
    out = history("log", env={"COLUMNS": None}).stdout  # not a terminal, no width asked for
    assert "长" * 300 + "尾" in out and "…" not in out


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_an_undo_is_one_row(history, db, fmt):
    history("record", "nb-2021/4.1", "nursing", "45", "--on", "2021-10-20")
    history("undo")
    _recorded(db, {"undo": "2021-10-31 12:00:00"})
    out = history("--lang", "zh", "log", "--format", fmt, env={"COLUMNS": "200"}).stdout
    rows = [line for line in out.splitlines() if "护理型床位占比 = 45" in line]
    assert len(rows) == 1 and "↶ 已撤销 2021-10-31" in rows[0]
    assert "撤销 |" not in out and "| 撤销" not in out
    raw = json.loads(history("log", "--format", "json").stdout)  # json keeps every entry
    undo, undone = raw[0], raw[1]
    assert undo["kind"] == "undo" and undone["kind"] == "record" and undone["undone"] is True
    assert undone["undone_by"] == undo["id"] and raw[2]["undone_by"] is None


def test_an_undo_this_week_of_an_older_entry_shows_that_entry(history, db):
    """The undo is this week's work: the entry it reversed is shown (marked), though typed earlier."""
    history("record", "nb-2021/4.1", "nursing", "45", "--on", "2021-10-20")
    history("undo")
    _recorded(db, {**WEEK, "record": "2021-10-01 12:00:00", "undo": "2021-10-30 12:00:00"})
    out = history("log", "--since", "7d", "--format", "markdown").stdout
    rows = [line for line in out.splitlines() if "= 45" in line]
    assert len(rows) == 1 and "↶ undone 2021-10-30" in rows[0]
    assert [e["kind"] for e in json.loads(history("log", "--since", "7d", "--format", "json").stdout)] == ["undo", "note", "override"]


@pytest.mark.parametrize("args", [["--since", "yesterdayish"], ["--until", "2021-13-01"], ["--format", "csv"],
                                  ["--since", "2021-11-10", "--until", "2021-11-01"]])
def test_log_bad_input(sv, db, args):
    out = sv("log", *args)
    assert out.exit_code == 2 and "Traceback" not in out.output and out.stderr
