"""The command line as shared/spec/cli.md defines it: every command, output format and exit status.

Commands run through `supervise.cli.main` (where exit statuses live), in-process via the
conftest's `invoke`, and as real processes for a few end-to-end cases. "Today" is pinned
to 2021-10-31. As of that day the fixture office is:

    sy-2021/1.1  amber  milestone a due in 9 days        lead 市民政局
    sy-2021/1.2  red    overdue 12 days (no items)        lead 市民政局
    sy-2021/2.1  green  due in 426 days (long title)      lead 市住房城乡建设局、市民政局
    sy-2021/3.1  red    milestone a overdue 31 days       lead 市财政局, responsible 市民政局
    nb-2021/1.1  green  (same bare id as sy-2021/1.1)     milestone z withdrawn
    nb-2021/4.1  amber  indicator "nursing", no value
    nb-2021/5.1  withdrawn
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import REPO, db_fingerprint, db_rows, event_count, run_cli
from supervise.i18n import t
from supervise.planfile.loader import parse_plans
from supervise.db.store import Store

PLANS = """
schema = 1

[office]
name = "沈阳市加快推进养老服务工作领导小组办公室"
review_every_months = 2
first_review = 2021-04-30
amber_days = 30
stale_days = 60

[[plan]]
id = "sy-2021"
title = "沈阳市推动品质养老三年行动计划（2021—2023年）"
start = 2021-01-01
end = 2023-12-31

[[plan]]
id = "nb-2021"
title = "宁波市养老服务体系建设三年行动计划"
start = 2021-01-01
end = 2023-12-31

[[task]]
plan = "sy-2021"
id = "1.1"
section = "（一）提升居家养老服务品质"
title = "切实提高家庭自我照护能力"
lead = ["市民政局"]
responsible = ["市卫生健康委"]
start = 2021-10-01
due = "2023年底"
  [[task.milestone]]
  id = "a"
  title = "出台家庭照护者培训方案"
  due = 2021-11-09
  [[task.milestone]]
  id = "b"
  title = "完成首批培训"
  due = 2022-06-30
  [[task.indicator]]
  id = "trained"
  name = "培训家庭照护者"
  unit = "人"
  target = 20000

[[task]]
plan = "sy-2021"
id = "1.2"
section = "（一）提升居家养老服务品质"
title = "扎实推进政府购买居家养老服务"
lead = ["市民政局"]
due = 2021-10-19

[[task]]
plan = "sy-2021"
id = "2.1"
section = "（二）完善社区养老服务设施"
title = "加强社区居家养老服务设施建设，推进老旧小区适老化改造和无障碍设施建设，打造城市“一刻钟”居家养老服务圈"
lead = ["市住房城乡建设局", "市民政局"]
responsible = ["各区县（市）政府", "市财政局"]
due = 2022-12-31

[[task]]
plan = "sy-2021"
id = "3.1"
section = "（三）健全养老保障制度"
title = "完善养老服务补贴制度 | 含护理补贴"
lead = ["市财政局"]
responsible = ["市民政局"]
due = 2021-12-31
  [[task.milestone]]
  id = "a"
  title = "制定补贴办法"
  due = 2021-09-30

[[task]]
plan = "nb-2021"
id = "1.1"
title = "完善居家养老服务网络"
lead = ["宁波市民政局"]
start = 2021-09-01
due = 2023-12-31
  [[task.milestone]]
  id = "a"
  title = "建成街道居家养老服务中心"
  due = 2022-06-30
# v1-only
  [[task.milestone]]
  id = "z"
  title = "旧节点"
  due = 2021-10-01
# end

[[task]]
plan = "nb-2021"
id = "4.1"
title = "提高养老机构护理型床位占比"
lead = ["宁波市民政局"]
start = 2021-09-01
due = 2022-12-31
  [[task.indicator]]
  id = "nursing"
  name = "护理型床位占比"
  unit = "%"
  baseline = 40
  target = 55
# v1-only

[[task]]
plan = "nb-2021"
id = "5.1"
title = "将被撤销的任务"
lead = ["宁波市民政局"]
due = 2022-06-30
# end
"""

LIVE = ["sy-2021/1.1", "sy-2021/1.2", "sy-2021/2.1", "sy-2021/3.1", "nb-2021/1.1", "nb-2021/4.1"]
RAGS = {"sy-2021/1.1": "amber", "sy-2021/1.2": "red", "sy-2021/2.1": "green", "sy-2021/3.1": "red",
        "nb-2021/1.1": "green", "nb-2021/4.1": "amber"}


def _v2(text: str) -> str:
    return re.sub(r"# v1-only\n.*?# end\n", "", text, flags=re.S)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The office imported once (then re-imported without nb-2021/5.1 and nb-2021/1.1/z, which are withdrawn)."""
    folder = tmp_path_factory.mktemp("cli-template")
    with Store.open(folder / "template.db") as store:
        store.import_plans(parse_plans(PLANS), date(2021, 1, 1), source="plans.toml")
        store.import_plans(parse_plans(_v2(PLANS)), date(2021, 1, 2), source="plans.toml")
    (folder / "plans.toml").write_text(_v2(PLANS), encoding="utf-8")
    return folder


@pytest.fixture
def db(template, tmp_path) -> Path:
    path = tmp_path / "office.db"
    shutil.copyfile(template / "template.db", path)
    return path


@pytest.fixture
def plans_file(template) -> Path:
    return template / "plans.toml"


@pytest.fixture
def sv(invoke, db):
    """sv('status', '--format', 'json') runs `supervise --db DB status --format json`."""

    def _sv(*args, env=None, input=None):
        return invoke(["--db", str(db), *args], env=env, input=input)

    return _sv


def status_json(sv, *args, env=None) -> dict:
    out = sv("status", "--format", "json", *args, env=env)
    assert out.exit_code == 0, out
    return json.loads(out.stdout)


def task_json(sv, key: str, *args) -> dict:
    return next(t for t in status_json(sv, *args)["tasks"] if t["id"] == key)


def assert_refused(out, db: Path, before: int, *words: str) -> None:
    """Exit 2, one line on standard error naming what was wrong, no traceback, nothing written."""
    assert out.exit_code == 2, out
    assert len(out.err_lines) == 1, out
    assert "Traceback" not in out.output
    for w in words:
        assert w in out.stderr, (w, out)
    assert event_count(db) == before


# --- status: the table ------------------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [("en", ["red", "amber", "green"]), ("zh", ["红", "黄", "绿"])])
def test_status_table_fits_80_columns_and_aligns(sv, lang, words):
    out = sv("--lang", lang, "status", env={"COLUMNS": "80"})
    assert out.exit_code == 0, out
    lines = out.stdout.splitlines()
    assert lines and all(cell_len(line) <= 80 for line in lines), [(cell_len(x), x) for x in lines]
    for w in words:
        assert w in out.stdout
    rows = [line for line in lines if re.search(r"(sy|nb)-2021/", line)]
    assert len(rows) == len(LIVE)
    id_at = {cell_len(line[:re.search(r"(sy|nb)-2021/", line).start()]) for line in rows}
    due_at = {cell_len(line[:re.search(r"\d{4}-\d\d-\d\d|—", line[re.search(r"2021/", line).end():]).start()
                                    + re.search(r"2021/", line).end()]) for line in rows}
    assert len(id_at) == 1 and len(due_at) == 1, rows  # every column starts at the same cell on every row


def test_status_table_on_a_wide_terminal_shows_whole_titles_and_reasons(sv):
    out = sv("status", env={"COLUMNS": "250"})
    assert "打造城市“一刻钟”居家养老服务圈" in out.stdout and "overdue 12 days" in out.stdout


def test_status_table_marks_overrides_and_stale(sv):
    assert sv("override", "sy-2021/2.1", "red", "--reason", "群众投诉").exit_code == 0
    out = sv("status", env={"COLUMNS": "120"})
    row = next(line for line in out.stdout.splitlines() if "sy-2021/2.1" in line)
    assert "⚑" in row and "red" in row
    row = next(line for line in out.stdout.splitlines() if "sy-2021/1.2" in line)
    assert "⏸" in row  # no progress since 2021-01-01


def test_status_table_colour_and_no_color(sv):
    coloured = sv("status", env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    assert "\x1b[" in coloured.stdout  # the test would prove nothing if colour were never on
    plain = sv("status", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    assert plain.exit_code == 0 and "\x1b" not in plain.stdout
    assert "red" in plain.stdout and "amber" in plain.stdout  # the word carries the colour


def test_status_table_user_text_is_not_markup(sv):
    assert sv("note", "sy-2021/1.2", "[red]不是标记[/red] \x1b[31m").exit_code == 0
    out = sv("status", "--rag", "red", env={"COLUMNS": "200", "FORCE_COLOR": "1"})
    assert out.exit_code == 0 and "\x1b[31m" not in out.stdout


def test_status_empty_selection(sv):
    out = sv("status", "--plan", "nb-2021", "--rag", "done")
    assert out.exit_code == 0 and "No tasks match." in out.stdout


# --- status: markdown, json, csv ----------------------------------------------------------------

def test_status_markdown(sv):
    out = sv("status", "--format", "markdown")
    assert out.exit_code == 0
    text = out.stdout
    assert text.startswith("# Status as of 2021-10-31")
    assert "2 red · 2 amber · 2 green · 0 done" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + len(LIVE)
    unescaped = {len(re.findall(r"(?<!\\)\|", line)) for line in rows}
    assert unescaped == {7}, rows  # the title's "|" is escaped, so every row has the same cells
    assert "完善养老服务补贴制度 \\| 含护理补贴" in text


def test_status_markdown_chinese(sv):
    out = sv("--lang", "zh", "status", "--format", "markdown")
    assert "截至 2021-10-31" in out.stdout and "逾期 12 天" in out.stdout and "| 红" in out.stdout


TOP_KEYS = {"as_of": str, "summary": dict, "tasks": list}
TASK_KEYS = {"id": str, "plan": str, "section": str, "title": str, "lead": list, "responsible": list,
             "due": str, "rag": str, "reasons": list, "overridden": bool, "stale": bool, "next_due": (str, type(None)),
             "milestones": list, "indicators": list}
MILESTONE_KEYS = {"id": str, "title": str, "due": str, "done_on": (str, type(None)), "rag": str}
INDICATOR_KEYS = {"id": str, "name": str, "unit": str, "target": (int, float), "value": (int, float, type(None)),
                  "measured_on": (str, type(None)), "expected": float, "lag": float, "rag": str}
ISO = re.compile(r"^\d{4}-\d\d-\d\d$")


def _check_keys(obj: dict, spec: dict) -> None:
    missing = set(spec) - set(obj)
    assert not missing, missing
    for key, kind in spec.items():
        assert isinstance(obj[key], kind) and not (kind is not bool and isinstance(obj[key], bool)), (key, obj[key])


def test_status_json_has_the_spec_keys_with_the_right_types(sv):
    assert sv("record", "nb-2021/4.1", "nursing", "41", "--on", "2021-10-15").exit_code == 0
    assert sv("tick", "sy-2021/3.1", "a", "--on", "2021-10-05").exit_code == 0
    doc = status_json(sv)
    _check_keys(doc, TOP_KEYS)
    assert doc["as_of"] == "2021-10-31"
    assert set(doc["summary"]) == {"red", "amber", "green", "done"}
    assert all(type(v) is int for v in doc["summary"].values())
    assert [t["id"] for t in doc["tasks"]] == LIVE
    milestones = indicators = 0
    for task in doc["tasks"]:
        _check_keys(task, TASK_KEYS)
        assert task["rag"] in {"red", "amber", "green", "done"}
        assert all(isinstance(u, str) for u in task["lead"] + task["responsible"] + task["reasons"])
        for d in (task["due"], task["next_due"]):
            assert d is None or ISO.match(d)
        for m in task["milestones"]:
            _check_keys(m, MILESTONE_KEYS)
            assert m["rag"] in {"red", "amber", "green", "done"}
            milestones += 1
        for i in task["indicators"]:
            _check_keys(i, INDICATOR_KEYS)
            indicators += 1
    assert milestones == 4 and indicators == 2  # the withdrawn milestone nb-2021/1.1/z is left out


def test_status_json_values(sv):
    assert sv("record", "nb-2021/4.1", "nursing", "41", "--on", "2021-10-15").exit_code == 0
    assert sv("tick", "sy-2021/3.1", "a", "--on", "2021-10-05").exit_code == 0
    doc = status_json(sv)
    assert doc["summary"] == {"red": 1, "amber": 1, "green": 3, "done": 1}
    tasks = {t["id"]: t for t in doc["tasks"]}
    assert tasks["sy-2021/1.2"]["reasons"] == ["overdue 12 days"] and tasks["sy-2021/1.2"]["next_due"] == "2021-10-19"
    assert tasks["sy-2021/1.1"]["next_due"] == "2021-11-09" and tasks["sy-2021/1.1"]["rag"] == "amber"
    assert tasks["sy-2021/1.1"]["milestones"][0] == {"id": "a", "title": "出台家庭照护者培训方案", "due": "2021-11-09",
                                                     "done_on": None, "rag": "amber"}
    assert tasks["sy-2021/3.1"]["rag"] == "done" and tasks["sy-2021/3.1"]["milestones"][0]["done_on"] == "2021-10-05"
    nursing = tasks["nb-2021/4.1"]["indicators"][0]
    # start 2021-09-01, due 2022-12-31 (486 days); as of 2021-10-31 (60 days): expected 40 + 15 × 60/486
    assert nursing["expected"] == pytest.approx(40 + 15 * 60 / 486, abs=0.01)
    assert nursing["lag"] == pytest.approx(100 * 60 / 486 - 100 / 15, abs=0.01)
    assert (nursing["value"], nursing["measured_on"], nursing["target"], nursing["rag"]) == (41, "2021-10-15", 55, "green")


def test_status_json_in_chinese(sv):
    doc = status_json(sv, env={"SUPERVISE_LANG": "zh"})
    tasks = {t["id"]: t for t in doc["tasks"]}
    assert tasks["sy-2021/1.2"]["reasons"] == ["逾期 12 天"]
    assert tasks["nb-2021/4.1"]["reasons"] == ["未报送数值，序时应完成 12.3%"]
    assert tasks["sy-2021/1.1"]["section"] == "（一）提升居家养老服务品质"  # plan content is never translated


def test_status_json_as_of_a_past_date_in_a_chinese_form(sv):
    doc = status_json(sv, "--as-of", "2021年9月底")
    tasks = {t["id"]: t for t in doc["tasks"]}
    assert doc["as_of"] == "2021-09-30"
    assert tasks["sy-2021/1.2"]["rag"] == "amber" and tasks["sy-2021/1.2"]["reasons"] == ["due in 19 days"]
    assert tasks["sy-2021/3.1"]["reasons"] == ["due today"]


def test_status_json_withdrawn_only_on_request(sv):
    assert "nb-2021/5.1" not in [t["id"] for t in status_json(sv)["tasks"]]
    doc = status_json(sv, "--rag", "withdrawn")
    assert [(t["id"], t["rag"]) for t in doc["tasks"]] == [("nb-2021/5.1", "withdrawn")]
    assert doc["summary"] == {"red": 0, "amber": 0, "green": 0, "done": 0}  # withdrawn is never counted


def test_status_csv(sv):
    assert sv("override", "sy-2021/1.2", "amber", "--reason", "已报请延期", "--on", "2021-10-20").exit_code == 0
    out = sv("status", "--format", "csv")
    assert out.exit_code == 0
    raw = out.stdout.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {"id", "title", "lead", "rag", "reasons", "next_due", "due"} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    assert list(by_id) == LIVE
    assert by_id["sy-2021/2.1"]["lead"] == "市住房城乡建设局、市民政局"
    assert by_id["sy-2021/2.1"]["title"].endswith("“一刻钟”居家养老服务圈")
    reasons = task_json(sv, "sy-2021/1.2")["reasons"]
    assert len(reasons) == 2 and by_id["sy-2021/1.2"]["reasons"] == "、".join(reasons)
    assert (by_id["sy-2021/1.2"]["rag"], by_id["sy-2021/1.2"]["due"], by_id["sy-2021/1.2"]["next_due"]) == (
        "amber", "2021-10-19", "2021-10-19")
    assert by_id["sy-2021/1.1"]["next_due"] == "2021-11-09"


# --- status: filters and --fail-on --------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (["--plan", "nb-2021"], ["nb-2021/1.1", "nb-2021/4.1"]),
    (["--unit", "市民政局"], ["sy-2021/1.1", "sy-2021/1.2", "sy-2021/2.1"]),
    (["--unit", "市民政局", "--involving"], ["sy-2021/1.1", "sy-2021/1.2", "sy-2021/2.1", "sy-2021/3.1"]),
    (["--rag", "red,amber"], ["sy-2021/1.1", "sy-2021/1.2", "sy-2021/3.1", "nb-2021/4.1"]),
    (["--rag", "green"], ["sy-2021/2.1", "nb-2021/1.1"]),
    (["--plan", "sy-2021", "--unit", "市民政局", "--rag", "red"], ["sy-2021/1.2"]),
])
def test_status_filters(sv, args, expected):
    doc = status_json(sv, *args)
    assert [t["id"] for t in doc["tasks"]] == expected
    counts = {r: sum(1 for t in doc["tasks"] if t["rag"] == r) for r in ("red", "amber", "green", "done")}
    assert doc["summary"] == counts  # the summary counts the listed tasks


@pytest.mark.parametrize("args, words", [
    (["--plan", "sy-2012"], ["sy-2012", "sy-2021"]),
    (["--unit", "市民政"], ["市民政"]),
    (["--rag", "purple"], ["purple"]),
    (["--as-of", "2021-02-30"], ["2021-02-30"]),
    (["--as-of", "someday"], ["someday"]),
    (["--format", "xml"], ["xml"]),
])
def test_status_bad_input(sv, db, args, words):
    out = sv("status", *args)
    assert out.exit_code == 2 and "Traceback" not in out.output
    for w in words:
        assert w in out.stderr, out


@pytest.mark.parametrize("args, code", [
    (["--fail-on", "red"], 1),
    (["--fail-on", "amber"], 1),
    (["--plan", "nb-2021", "--fail-on", "red"], 0),
    (["--plan", "nb-2021", "--fail-on", "amber"], 1),
    (["--rag", "green", "--fail-on", "amber"], 0),
    (["--rag", "withdrawn", "--fail-on", "amber"], 0),
])
def test_status_fail_on(sv, args, code):
    for fmt in ("table", "json"):
        out = sv("status", "--format", fmt, *args)
        assert out.exit_code == code, out
        assert out.stdout  # the list is printed either way


def test_the_command_as_its_own_process_flushes_everything_and_keeps_its_exit_status(sv, db):
    """The installed command ends with os._exit once its output is flushed (cli._leave_when_done):
    every byte written, the same exit statuses as in-process."""
    same = sv("status", "--format", "json", "--fail-on", "red")
    alone = run_cli(["--db", str(db), "status", "--format", "json", "--fail-on", "red"])
    assert (alone.exit_code, alone.stdout) == (same.exit_code, same.stdout) == (1, same.stdout)
    assert json.loads(alone.stdout)["tasks"]
    assert run_cli(["--db", str(db), "status", "--format", "json", "--plan", "nb-2021", "--fail-on", "red"]).exit_code == 0
    bad = run_cli(["--db", str(db), "status", "--as-of", "someday"])
    assert bad.exit_code == 2 and bad.stdout == "" and len(bad.err_lines) == 1 and "someday" in bad.stderr


def test_fail_on_red_clears_when_red_is_done(sv):
    sv("tick", "sy-2021/1.2", "--on", "2021-10-25")
    sv("tick", "sy-2021/3.1", "a", "--on", "2021-10-25")
    assert sv("status", "--fail-on", "red").exit_code == 0
    assert sv("status", "--fail-on", "amber").exit_code == 1


def test_options_after_the_command_and_from_the_environment(invoke, db):
    assert invoke(["status", "--db", str(db), "--format", "json"]).exit_code == 0
    out = invoke(["status", "--format", "json", "--rag", "red", "--lang", "zh", "--db", str(db)])
    assert "逾期 12 天" in out.stdout
    out = invoke(["status", "--format", "json", "--rag", "red"], env={"SUPERVISE_DB": str(db), "LANG": "zh_CN.UTF-8",
                                                                      "SUPERVISE_LANG": None})
    assert "逾期 12 天" in out.stdout


def test_default_database_is_created_under_the_current_directory(invoke, plans_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = invoke(["import", str(plans_file)])
    assert out.exit_code == 0, out
    assert (tmp_path / "data" / "supervise.db").is_file()
    assert invoke(["status", "--format", "json"]).exit_code == 0


# --- tick / untick ------------------------------------------------------------------------------

def test_tick_milestone(sv, db):
    before = event_count(db)
    out = sv("tick", "sy-2021/1.1", "a", "--on", "2021-10-20")
    assert out.exit_code == 0 and "sy-2021/1.1/a" in out.stdout
    assert event_count(db) == before + 1
    task = task_json(sv, "sy-2021/1.1")
    assert task["milestones"][0]["done_on"] == "2021-10-20" and task["rag"] == "green"


def test_tick_again_on_the_same_date_is_already_done(sv, db):
    sv("tick", "sy-2021/1.1", "a", "--on", "2021-10-20")
    before = event_count(db)
    out = sv("tick", "sy-2021/1.1", "a", "--on", "2021-10-20")
    assert out.exit_code == 0 and "already" in out.stdout and event_count(db) == before


def test_tick_on_another_date_changes_the_date(sv):
    sv("tick", "sy-2021/1.1", "a", "--on", "2021-10-20")
    out = sv("tick", "sy-2021/1.1", "a", "--on", "2021-10-22")
    assert out.exit_code == 0 and "2021-10-22" in out.stdout
    assert task_json(sv, "sy-2021/1.1")["milestones"][0]["done_on"] == "2021-10-22"


def test_tick_without_milestone_takes_the_next_open_one(sv):
    assert sv("tick", "sy-2021/1.1").exit_code == 0
    assert sv("tick", "sy-2021/1.1").exit_code == 0
    ms = task_json(sv, "sy-2021/1.1")["milestones"]
    assert [m["done_on"] for m in ms] == ["2021-10-31", "2021-10-31"]  # --on defaults to today


def test_tick_when_every_milestone_is_done(sv, db):
    sv("tick", "sy-2021/3.1", "a")
    before = event_count(db)
    assert_refused(sv("tick", "sy-2021/3.1"), db, before, "sy-2021/3.1")


def test_tick_a_task_without_milestones_by_bare_id_with_a_note(sv, db):
    out = sv("tick", "1.2", "--on", "2021年10月25日", "--note", "已完成政府购买服务招标")
    assert out.exit_code == 0, out
    task = task_json(sv, "sy-2021/1.2")
    assert task["rag"] == "done" and task["next_due"] is None
    assert task["latest_note"] == "已完成政府购买服务招标"


def test_untick(sv, db):
    sv("tick", "sy-2021/1.1", "a", "--on", "2021-10-20")
    out = sv("untick", "sy-2021/1.1", "a")
    assert out.exit_code == 0
    assert task_json(sv, "sy-2021/1.1")["milestones"][0]["done_on"] is None
    sv("tick", "1.2")
    assert sv("untick", "1.2").exit_code == 0 and task_json(sv, "sy-2021/1.2")["rag"] == "red"


def test_untick_what_is_not_done(sv, db):
    assert_refused(sv("untick", "sy-2021/1.1", "a"), db, event_count(db), "not done")


# --- note -------------------------------------------------------------------------------------

def _notes(db: Path, key: str) -> list[tuple[str, str]]:
    return db_rows(db, "SELECT written_on, text FROM notes WHERE task_id = ? ORDER BY id", (key,))


@pytest.mark.parametrize("args, stdin", [
    (["已召开协调会"], None),
    (["-"], "已召开协调会\n"),
    ([], "已召开协调会\n"),
])
def test_note_from_argument_or_standard_input(sv, db, args, stdin):
    out = sv("note", "sy-2021/1.2", *args, input=stdin)
    assert out.exit_code == 0, out
    assert _notes(db, "sy-2021/1.2") == [("2021-10-31", "已召开协调会")]


def test_a_note_piped_from_a_file_saved_with_a_bom_leaves_the_bom_out(sv, db):
    """Notepad saves UTF-8 with a byte-order mark: `note 1.2 - < 进展.txt` kept it as U+FEFF at the start of the note."""
    assert sv("note", "sy-2021/1.2", "-", input="\ufeff已召开协调会\n").exit_code == 0
    assert _notes(db, "sy-2021/1.2") == [("2021-10-31", "已召开协调会")]


def test_note_multi_line_and_dated(sv, db):
    text = "第一行：已召开协调会\n第二行：| 不会打乱表格\n# 不是标题"
    assert sv("note", "sy-2021/1.2", "--on", "2021-10-08", input=text + "\n").exit_code == 0
    assert _notes(db, "sy-2021/1.2") == [("2021-10-08", text)]
    assert task_json(sv, "sy-2021/1.2")["latest_note"] == text


def test_note_resets_stale(sv):
    assert task_json(sv, "sy-2021/1.2")["stale"] is True
    sv("note", "sy-2021/1.2", "进展", "--on", "2021-10-01")
    assert task_json(sv, "sy-2021/1.2")["stale"] is False


@pytest.mark.parametrize("args", [
    ["log", "--since", ""], ["log", "--until", ""], ["override", "sy-2021/1.2", "red", "--reason", "r", "--until", ""],
    ["override", "sy-2021/1.2", "--clear", "--until", ""], ["remind", "--out", "{tmp}", "--reply-by", ""],
    ["forms", "--out", "{tmp}", "--reply-by", ""],
], ids=lambda a: " ".join(a))
def test_an_empty_date_option_is_bad_input_everywhere(sv, db, tmp_path, args):
    """As `--on ''` and `--as-of ''` were: an empty --until made an override without end, an empty
    --reply-by took the default, an empty --since showed the whole log."""
    out_dir = tmp_path / "out"
    out = sv(*[a.replace("{tmp}", str(out_dir)) for a in args])
    assert_refused(out, db, event_count(db), args[-2])
    assert not out_dir.exists()


@pytest.mark.parametrize("args, words", [
    (["status", "--plan", ""], "unknown plan ''"), (["status", "--unit", ""], "unknown unit ''"),
    (["status", "--rag", ""], "unknown colour ''"), (["status", "--fail-on", "red", "--unit", ""], "unknown unit ''"),
    (["units", "--plan", ""], "unknown plan ''"), (["remind", "--out", "{tmp}", "--unit", ""], "unknown unit ''"),
], ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_an_empty_filter_is_refused_not_read_as_all(sv, db, tmp_path, args, words):
    """`--unit "$UNIT"` with UNIT unset: status listed (and --fail-on judged) every task, remind said
    ' leads no task' and exited 0; forms --unit '' and --section '' refused it already."""
    out_dir = tmp_path / "out"
    out = sv(*[a.replace("{tmp}", str(out_dir)) for a in args])
    assert_refused(out, db, event_count(db), words)
    assert not out_dir.exists()


@pytest.mark.parametrize("args", [["status", "--format", "json"], ["status", "--format", "json", "--involving"],
                                  ["remind", "--out", "{tmp}", "--dry-run", "--rag", "red,amber"],
                                  ["log", "--format", "json"]], ids=lambda a: " ".join(a[:2]))
def test_a_unit_given_with_spaces_around_it_is_that_unit_everywhere(sv, db, tmp_path, args):
    """`forms --unit ' 市民政局'` and `log --unit ' 市民政局'` took the unit; status and remind said
    "unknown unit ' 市民政局' (did you mean 市民政局…)": one reading of --unit for every command."""
    sv("note", "sy-2021/1.2", "进展")
    args = [a.replace("{tmp}", str(tmp_path / "out")) for a in args]
    plain, spaced = sv(*args, "--unit", "市民政局"), sv(*args, "--unit", " 市民政局 ")
    assert plain.exit_code == 0 and "sy-2021/1." in plain.stdout, plain
    assert (spaced.exit_code, spaced.stdout, spaced.stderr) == (0, plain.stdout, ""), spaced
    assert_refused(sv(*args, "--unit", "  "), db, event_count(db), "unknown unit")


def test_empty_note_is_refused(sv, db):
    assert_refused(sv("note", "sy-2021/1.2", input="\n\n"), db, event_count(db), "empty")


# --- record -----------------------------------------------------------------------------------

def test_record(sv, db):
    out = sv("record", "nb-2021/4.1", "nursing", "44.5", "--on", "2021-10-15", "--note", "据民政局统计")
    assert out.exit_code == 0, out
    ind = task_json(sv, "nb-2021/4.1")["indicators"][0]
    assert (ind["value"], ind["measured_on"], ind["rag"]) == (44.5, "2021-10-15", "green")
    assert _notes(db, "nb-2021/4.1") == [("2021-10-15", "据民政局统计")]


@pytest.mark.parametrize("value, stored", [("12,000", 12000), ("45%", 45), ("4.5e1", 45), ("-3", -3)])
def test_record_number_forms(sv, value, stored):
    assert sv("record", "nb-2021/4.1", "nursing", value).exit_code == 0
    assert task_json(sv, "nb-2021/4.1")["indicators"][0]["value"] == stored


def test_record_the_same_day_replaces_and_later_values_do_not_count_earlier(sv):
    sv("record", "nb-2021/4.1", "nursing", "41", "--on", "2021-10-01")
    sv("record", "nb-2021/4.1", "nursing", "42", "--on", "2021-10-01")
    later = sv("record", "nb-2021/4.1", "nursing", "55", "--on", "2021-11-15", env={"SUPERVISE_TODAY": "2021-11-20"})
    assert later.exit_code == 0, later  # measured after today (2021-10-31) it would be refused
    ind = task_json(sv, "nb-2021/4.1")["indicators"][0]
    assert (ind["value"], ind["measured_on"]) == (42, "2021-10-01")
    assert task_json(sv, "nb-2021/4.1", "--as-of", "2021-11-15")["rag"] == "done"


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "", "十二"])
def test_record_non_numeric(sv, db, value):
    assert_refused(sv("record", "nb-2021/4.1", "nursing", value), db, event_count(db), "not a number")


# --- override ---------------------------------------------------------------------------------

def test_override_until_and_clear(sv, db):
    out = sv("override", "sy-2021/1.2", "green", "--reason", "已报市政府同意延期", "--on", "2021-10-25",
             "--until", "2021-11-30")
    assert out.exit_code == 0, out
    task = task_json(sv, "sy-2021/1.2")
    assert (task["rag"], task["overridden"]) == ("green", True)
    assert task["reasons"][0] == "override until 2021-11-30: 已报市政府同意延期"
    assert task_json(sv, "sy-2021/1.2", "--as-of", "2021-10-24")["rag"] == "red"
    assert task_json(sv, "sy-2021/1.2", "--as-of", "2021-12-01")["rag"] == "red"
    out = sv("override", "sy-2021/1.2", "--clear", "--on", "2021-10-31")
    assert out.exit_code == 0, out
    assert task_json(sv, "sy-2021/1.2")["rag"] == "red"
    assert task_json(sv, "sy-2021/1.2", "--as-of", "2021-10-30")["rag"] == "green"


def test_override_newest_wins(sv):
    sv("override", "sy-2021/2.1", "amber", "--reason", "进度偏慢", "--on", "2021-10-01")
    sv("override", "sy-2021/2.1", "red", "--reason", "停工", "--on", "2021-10-20")
    assert task_json(sv, "sy-2021/2.1")["rag"] == "red"
    assert task_json(sv, "sy-2021/2.1", "--as-of", "2021-10-10")["rag"] == "amber"


def test_a_clear_ends_an_override_recorded_after_it(sv):
    """Status depends on the dates, not the typing order: a backdated override ends at a clear already recorded."""
    sv("override", "sy-2021/2.1", "red", "--reason", "停工", "--on", "2021-09-01")
    sv("override", "sy-2021/2.1", "--clear", "--on", "2021-10-01")
    assert sv("override", "sy-2021/2.1", "amber", "--reason", "补录", "--on", "2021-09-15").exit_code == 0
    assert [task_json(sv, "sy-2021/2.1", "--as-of", d)["rag"] for d in ("2021-09-10", "2021-09-20", "2021-10-31")] == [
        "red", "amber", "green"]
    sv("undo")  # the amber override
    sv("undo")  # the clear: the red override is in force again
    assert task_json(sv, "sy-2021/2.1")["rag"] == "red"


@pytest.mark.parametrize("args, words", [
    (["purple", "--reason", "x"], ["purple"]),
    ([], ["red, amber or green"]),
    (["red"], ["--reason"]),
    (["red", "--reason", "   "], ["--reason"]),
    (["red", "--reason", "x", "--on", "2021-10-20", "--until", "2021-10-01"], ["2021-10-01"]),
    # no --on: the override starts today, and the message says so rather than "before --on 2021-10-31"
    (["red", "--reason", "x", "--until", "2021-10-01"], ["--until 2021-10-01 is before today (2021-10-31)", "give --on"]),
    (["red", "--reason", "x", "--until", "whenever"], ["whenever"]),
    (["--clear"], ["no override"]),
    (["--clear", "--reason", "x"], ["--clear", "--reason"]),
    (["amber", "--clear"], ["--clear", "amber"]),
    (["--clear", "--until", "2021-12-31"], ["--clear", "--until"]),
])
def test_override_refused(sv, db, args, words):
    assert_refused(sv("override", "sy-2021/1.2", *args), db, event_count(db), *words)


# --- log: tests/test_log.py ---------------------------------------------------------------

def _log(sv, *args) -> list[tuple[str, str | None]]:
    out = sv("log", "--format", "json", *args)
    assert out.exit_code == 0, out
    return [(e["kind"], e["on"]) for e in json.loads(out.stdout)]


# --- undo -------------------------------------------------------------------------------------

def test_undo_is_repeatable_and_stops_at_imports(sv, db):
    sv("note", "sy-2021/1.2", "进展", "--on", "2021-10-01")
    sv("tick", "sy-2021/1.1", "a", "--on", "2021-10-20")
    sv("record", "nb-2021/4.1", "nursing", "50", "--on", "2021-10-20")
    assert task_json(sv, "nb-2021/4.1")["rag"] == "green"
    out = sv("undo")
    assert out.exit_code == 0 and "record" in out.stdout
    assert task_json(sv, "nb-2021/4.1")["indicators"][0]["value"] is None
    assert sv("undo").exit_code == 0
    assert task_json(sv, "sy-2021/1.1")["milestones"][0]["done_on"] is None
    assert sv("undo").exit_code == 0
    assert _notes(db, "sy-2021/1.2") == []
    before = event_count(db)
    out = sv("undo")
    assert out.exit_code == 2 and "nothing to undo" in out.stderr and event_count(db) == before
    assert [e["undone"] for e in json.loads(sv("log", "--format", "json").stdout) if e["kind"] != "undo"] == [
        True, True, True, False, False]
    assert db_rows(db, "SELECT count(*) FROM plans")[0][0] == 2  # the imports stay


def test_undo_override_and_clear(sv):
    sv("override", "sy-2021/1.2", "green", "--reason", "延期", "--on", "2021-10-20")
    sv("override", "sy-2021/1.2", "--clear", "--on", "2021-10-30")
    assert task_json(sv, "sy-2021/1.2")["rag"] == "red"
    sv("undo")
    assert task_json(sv, "sy-2021/1.2")["rag"] == "green"
    sv("undo")
    assert task_json(sv, "sy-2021/1.2")["rag"] == "red"


# --- backup -----------------------------------------------------------------------------------

def test_backup_while_another_connection_holds_the_database(sv, db, tmp_path):
    sv("note", "sy-2021/1.2", "备份前的备注")
    reader = sqlite3.connect(db, isolation_level=None)
    writer = sqlite3.connect(db, isolation_level=None, timeout=0.1)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM events").fetchone()  # an open read transaction
        writer.execute("BEGIN IMMEDIATE")  # and a writer in the middle of its work
        writer.execute("INSERT INTO notes (task_id, written_on, text, recorded_at) VALUES ('sy-2021/1.2', '2021-10-31', '未提交', 'x')")
        dest = tmp_path / "copies" / "backup.db"
        out = sv("backup", str(dest), env={"SUPERVISE_BUSY_TIMEOUT": "2"})
        assert out.exit_code == 0, out
    finally:
        writer.execute("ROLLBACK")
        reader.execute("COMMIT")
        reader.close()
        writer.close()
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM events").fetchone()[0] == event_count(db)
        assert [r[0] for r in copy.execute("SELECT text FROM notes")] == ["备份前的备注"]  # committed work only
    finally:
        copy.close()
    assert not Path(str(dest) + "-wal").exists()  # a single self-contained file


def test_backup_without_destination_goes_to_the_backups_folder(sv, db):
    out = sv("backup")
    assert out.exit_code == 0, out
    copies = list((db.parent / "backups").glob("office-*.db"))
    assert len(copies) == 1 and str(copies[0].name) in out.stdout


def test_backup_to_an_unwritable_place(sv, db, tmp_path):
    (tmp_path / "file").write_text("x")
    out = sv("backup", str(tmp_path / "file" / "sub" / "b.db"))
    assert out.exit_code == 2 and "Traceback" not in out.output and len(out.err_lines) == 1


# --- errors: bad input, exit 2, nothing written ------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["tick", "sy-2021/1.3"], ["sy-2021/1.3", "did you mean", "sy-2021/1.2"]),
    (["tick", "sy-2021/11"], ["did you mean", "sy-2021/1.1"]),
    (["note", "9.9", "x"], ["9.9"]),
    (["tick", "1.1"], ["ambiguous", "sy-2021/1.1", "nb-2021/1.1"]),
    (["note", "1.1", "x"], ["ambiguous", "sy-2021/1.1", "nb-2021/1.1"]),
    (["tick", "sy-2021/1.1", "a", "--on", "2021-13-45"], ["2021-13-45"]),
    (["note", "sy-2021/1.2", "x", "--on", "last tuesday"], ["last tuesday"]),
    (["record", "nb-2021/4.1", "nursing", "lots"], ["lots"]),
    (["record", "nb-2021/4.1", "nurse", "45"], ["nurse", "did you mean", "nursing"]),
    (["record", "sy-2021/1.2", "beds", "45"], ["beds", "no indicator"]),
    (["record", "nb-2021/4.1", "nursing", "45", "--on", "2021-02-29"], ["2021-02-29"]),
    (["tick", "sy-2021/1.1", "q"], ["q", "sy-2021/1.1"]),
    (["note", "nb-2021/5.1", "x"], ["nb-2021/5.1", "withdrawn"]),
    (["tick", "5.1"], ["nb-2021/5.1", "withdrawn"]),
    (["override", "nb-2021/5.1", "red", "--reason", "x"], ["withdrawn"]),
    (["record", "nb-2021/5.1", "x", "1"], ["withdrawn"]),
    (["tick", "nb-2021/1.1", "z"], ["nb-2021/1.1/z", "withdrawn"]),
    (["untick", "nb-2021/1.1", "z"], ["withdrawn"]),
    (["override", "1.2", "purple", "--reason", "x"], ["purple"]),
    (["check", "/nonexistent/plans.toml"], ["/nonexistent/plans.toml"]),
    (["import", "/nonexistent/plans.toml"], ["/nonexistent/plans.toml"]),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(sv, db, args, words):
    assert_refused(sv(*args), db, event_count(db), *words)


def test_bad_input_in_chinese(sv, db):
    out = sv("--lang", "zh", "tick", "1.1")
    assert_refused(out, db, event_count(db), "不唯一", "sy-2021/1.1", "nb-2021/1.1")


def test_unreadable_plan_file_names_file_and_line(invoke, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[task]]\nid = \n', encoding="utf-8")
    out = invoke(["--db", str(tmp_path / "x.db"), "check", str(bad)])
    assert out.exit_code == 2 and "Traceback" not in out.output and f"{bad}:2:" in out.stderr


# --- errors: the database is unusable, exit 3 ---------------------------------------------------

def test_database_locked_past_the_timeout(sv, db):
    before = event_count(db)
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        out = sv("note", "sy-2021/1.2", "x", env={"SUPERVISE_BUSY_TIMEOUT": "0.2"})
        assert time.monotonic() - started < 5
        assert out.exit_code == 3, out
        assert "locked" in out.stderr and "Traceback" not in out.output and len(out.err_lines) == 1
        assert "waited 0.2 s" in out.stderr, out  # said "waited 0 s" (the wait cut to whole seconds)
        # reading goes on while another program writes (WAL)
        assert sv("status", "--format", "json", env={"SUPERVISE_BUSY_TIMEOUT": "0.2"}).exit_code == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert event_count(db) == before
    assert sv("note", "sy-2021/1.2", "x").exit_code == 0  # and it works once the lock is gone


@pytest.mark.parametrize("seconds", ["inf", "1e308", "nan", "-1", "many"])
def test_a_busy_timeout_out_of_reason_is_not_an_internal_error(sv, seconds):
    """Failed before for inf and 1e308: OverflowError turning it into SQLite's milliseconds (exit 70).
    A value that is no usable number of seconds is passed over, as one that is no number is."""
    env = {"SUPERVISE_BUSY_TIMEOUT": seconds}
    for args in (["status", "--format", "json"], ["note", "sy-2021/1.2", "x"]):
        out = sv(*args, env=env)
        assert out.exit_code == 0, (args, out)


def test_a_busy_timeout_past_sqlite_s_limit_waits_as_long_as_sqlite_can(monkeypatch):
    """SQLite keeps the wait in milliseconds in a 32-bit int: a longer one there reads as 0 (no wait
    at all, the opposite of what was asked), so it is held at the longest SQLite can wait."""
    from supervise.cli.base import _busy_timeout

    for seconds in ("1e7", "3e6", "1e300"):
        monkeypatch.setenv("SUPERVISE_BUSY_TIMEOUT", seconds)
        got = _busy_timeout(5.0)
        assert got * 1000 <= 2**31 - 1 and got > 2_000_000, (seconds, got)
        conn = sqlite3.connect(":memory:")
        conn.execute(f"PRAGMA busy_timeout = {int(got * 1000)}")
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == int(got * 1000) > 0
        conn.close()


@pytest.mark.parametrize("command", [["status"], ["note", "1.2", "x"], ["import", "PLANS"]])
@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_database_that_is_not_a_regular_file_is_refused_and_nothing_made_beside_it(invoke, tmp_path, plans_file, command, kind):
    """--db /dev/null: SQLite tried to build the schema in it ("could not be written: disk I/O
    error") and left /dev/null-journal behind, even for `status`, which only reads."""
    if kind == "device":
        target = Path(os.devnull)
        journal_before = Path(f"{target}-journal").exists()
    else:
        target = tmp_path / "db.fifo"
        os.mkfifo(target)
    out = invoke(["--db", str(target), *[str(plans_file) if a == "PLANS" else a for a in command]])
    assert out.exit_code == 3, out
    assert "not a regular file" in out.stderr and len(out.err_lines) == 1, out
    if kind == "device":
        assert Path(f"{target}-journal").exists() == journal_before
    else:
        assert sorted(p.name for p in tmp_path.iterdir()) == ["db.fifo"]


@pytest.mark.parametrize("command", [["status"], ["status", "--format", "json"], ["note", "1.2", "x"], ["log"],
                                     ["undo"], ["backup"]])
def test_corrupt_database(invoke, tmp_path, command):
    bad = tmp_path / "bad.db"
    bad.write_bytes(os.urandom(8192))
    before = bad.read_bytes()
    out = invoke(["--db", str(bad), *command])
    assert out.exit_code == 3, out
    assert "damaged" in out.stderr and "Traceback" not in out.output and len(out.err_lines) == 1
    assert bad.read_bytes() == before


def test_database_from_a_newer_version(sv, db):
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    for args in (["status"], ["tick", "sy-2021/1.2"]):
        out = sv(*args)
        assert out.exit_code == 3, out
        assert "newer" in out.stderr and "Traceback" not in out.output and len(out.err_lines) == 1
    assert db_rows(db, "PRAGMA user_version")[0][0] == 99


def test_no_plans_yet(invoke, tmp_path):
    out = invoke(["--db", str(tmp_path / "empty.db"), "status"])
    assert out.exit_code == 2 and "import" in out.stderr


# --- check / import / brief / review (smoke; their own tests live elsewhere) --------------------

def test_check_import_dry_run_and_import(sv, db, plans_file):
    out = sv("check", str(plans_file))
    assert out.exit_code == 0 and "OK" in out.stdout
    before = event_count(db)
    out = sv("import", str(PLANS_V1(plans_file)), "--dry-run")
    assert out.exit_code == 0 and "nb-2021/5.1" in out.stdout and event_count(db) == before
    assert sv("import", str(plans_file)).exit_code == 0  # nothing changed: nothing written
    assert event_count(db) == before


def PLANS_V1(plans_file: Path) -> Path:
    path = plans_file.parent / "v1.toml"
    path.write_text(PLANS, encoding="utf-8")
    return path


def test_brief_and_review_hold(sv, db, tmp_path):
    out = sv("brief", "--out", "-")
    assert out.exit_code == 0, out
    assert out.stdout.startswith("#") and "sy-2021/1.2" in out.stdout
    target = tmp_path / "briefings" / "b.md"
    assert sv("brief", "--out", str(target)).exit_code == 0 and target.read_text(encoding="utf-8").startswith("#")
    assert sv("review", "hold", "--on", "2021-10-28", "--title", "第三次双月推进会").exit_code == 0
    assert _log(sv)[0] == ("review", "2021-10-28")
    assert sv("undo").exit_code == 0


# --- what gets imported, and real processes -------------------------------------------------------

SCRIPT = """
import sys
from supervise.cli import main
for args in {runs!r}:
    try:
        main(args)
    except SystemExit as e:
        assert e.code in (0, None, 1), (args, e.code)
heavy = {{"textual", "rich", "sqlite_utils", "openpyxl", "docx", "tomllib"}}
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & heavy | {{m for m in sys.modules if m == "supervise.planfile.loader"}})
print("LOADED", ",".join(loaded), file=sys.stderr)
"""


def _loaded(db: Path, runs: list[list[str]]) -> set[str]:
    env = {**os.environ, "SUPERVISE_TODAY": "2021-10-31", "SUPERVISE_LANG": "en",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    runs = [["--db", str(db), *r] for r in runs]
    proc = subprocess.run([sys.executable, "-c", SCRIPT.format(runs=runs)], capture_output=True, text=True,
                          env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    line = [x for x in proc.stderr.splitlines() if x.startswith("LOADED")][-1]
    return set(filter(None, line.split(" ", 1)[1].split(",")))


def test_commands_without_a_ui_never_import_textual(db, tmp_path):
    loaded = _loaded(db, [["status"], ["status", "--format", "markdown"], ["status", "--format", "csv"],
                          ["tick", "sy-2021/1.1", "a"], ["untick", "sy-2021/1.1", "a"], ["note", "1.2", "x"],
                          ["record", "4.1", "nursing", "44"], ["override", "1.2", "red", "--reason", "r"],
                          ["override", "1.2", "--clear"], ["log"], ["log", "--format", "json"], ["undo"],
                          ["backup", str(tmp_path / "b.db")], ["brief", "--out", "-"], ["check", str(REPO / "plans.toml")],
                          ["show", "1.2"], ["log", "--task", "1.2", "--by", "effective"], ["status", "--section", "（一）"]])
    assert "textual" not in loaded


def test_status_json_stays_light(db):
    """The cron path: no terminal UI, no Rich, no sqlite-utils, no plan-file reader."""
    assert _loaded(db, [["status", "--format", "json"], ["status", "--format", "csv", "--fail-on", "red"]]) == set()


def test_end_to_end_processes(db):
    out = run_cli(["--db", db, "status", "--format", "json", "--fail-on", "red"])
    assert out.exit_code == 1 and json.loads(out.stdout)["summary"]["red"] == 2
    out = run_cli(["--db", db, "tick", "sy-2021/1.2", "--on", "2021-10-20"])
    assert out.exit_code == 0, out
    out = run_cli(["--db", db, "note", "sy-2021/1.2"], input="多行\n备注\n")
    assert out.exit_code == 0, out
    out = run_cli(["--db", db, "tick", "1.1"])
    assert out.exit_code == 2 and "Traceback" not in out.stderr and "nb-2021/1.1" in out.stderr
    out = run_cli(["--db", db, "status", "--format", "csv"])
    assert out.exit_code == 0 and out.stdout.startswith("\ufeffid,")
    assert _notes(db, "sy-2021/1.2") == [("2021-10-31", "多行\n备注")]


@pytest.mark.skipif(shutil.which("supervise") is None, reason="the console script is not installed")
def test_installed_console_script(db):
    env = {**os.environ, "SUPERVISE_TODAY": "2021-10-31", "SUPERVISE_LANG": "en"}
    proc = subprocess.run(["supervise", "--db", str(db), "status", "--rag", "red", "--fail-on", "red"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1 and "sy-2021/1.2" in proc.stdout


@pytest.mark.parametrize("args, english, chinese", [
    (["status", "--as-of", "2021-13-01"], "--as-of: unreadable date \"2021-13-01\": month 13 out of range",
     "--as-of：无法识别的日期“2021-13-01”：月份 13 超出范围"),
    (["tick", "sy-2021/1.1", "a", "--on", "尽快"], "--on: unreadable date \"尽快\": not a recognised date form",
     "--on：无法识别的日期“尽快”：不是可识别的日期写法"),
    (["log", "--since", "2021年2月30日"], "--since: unreadable date \"2021年2月30日\": day 30 out of range for 2021-02",
     "--since：无法识别的日期“2021年2月30日”：2021-02 没有第 30 日"),
])
def test_a_bad_date_is_named_in_the_interface_language(sv, db, args, english, chinese):
    before = db_fingerprint(db)
    en, zh = sv("--lang", "en", *args), sv("--lang", "zh", *args)
    assert en.exit_code == zh.exit_code == 2
    assert en.stderr.strip() == f"supervise: {english}"
    assert zh.stderr.strip() == f"supervise: {chinese}"
    assert db_fingerprint(db) == before


@pytest.mark.parametrize("command", [["import", "PLANS"], ["status", "--format", "json"],
                                     ["export", "ledger", "--out", "LEDGER"]])
def test_big_read_commands_pause_the_cyclic_collector_and_restore_it(command, invoke, tmp_db, bundled_plans,
                                                                     tmp_path, monkeypatch):
    import gc

    from supervise.db.store import Store

    assert invoke(["--db", str(tmp_db), "import", str(bundled_plans)]).exit_code == 0
    seen = []
    real = Store.snapshot

    def snapshot(self):
        seen.append(gc.isenabled())
        return real(self)

    monkeypatch.setattr(Store, "snapshot", snapshot)
    args = [str(bundled_plans) if a == "PLANS" else str(tmp_path / "l.xlsx") if a == "LEDGER" else a for a in command]
    result = invoke(["--db", str(tmp_db), *args])
    assert result.exit_code == 0, result.output
    assert seen and not any(seen)  # the snapshot was read with the collector paused
    assert gc.isenabled()


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_reasons_are_joined_in_the_language_of_the_interface(sv, fmt):
    en = sv("--lang", "en", "status", "--format", fmt, "--as-of", "2024-01-31", env={"COLUMNS": "400"}).stdout
    zh = sv("--lang", "zh", "status", "--format", fmt, "--as-of", "2024-01-31", env={"COLUMNS": "400"}).stdout
    assert "; " in en and "；" not in en
    assert "；" in zh


def test_the_log_says_its_own_words_in_the_interface_language(sv):
    for args in (["tick", "sy-2021/1.1", "a", "--on", "2021-09-20"], ["tick", "sy-2021/1.1", "a", "--on", "2021-09-21"],
                 ["override", "sy-2021/2.1", "red", "--reason", "资金[red]未到位"], ["override", "sy-2021/2.1", "--clear"],
                 ["undo"], ["review", "hold", "--on", "2021-10-01"], ["untick", "sy-2021/1.1", "a"]):
        assert sv(*args).exit_code == 0, args
    zh = sv("--lang", "zh", "log", "--format", "markdown").stdout
    for english in ("| tick", "retick", "| clear", "red:", "| review", "untick"):
        assert english not in zh, english
    for chinese in ("更改完成日期", "| 完成 |", "红：资金\\[red\\]未到位", "取消人工调整", "召开推进会", "恢复为未完成"):
        assert chinese in zh, chinese
    en = sv("--lang", "en", "log", "--format", "markdown").stdout
    assert "done date changed" in en and "red: 资金\\[red\\]未到位" in en and "reopened" in en
    raw = json.loads(sv("log", "--format", "json").stdout)  # json keeps the stored summary for scripts
    assert {e["summary"] for e in raw} >= {"tick", "retick", "untick", "clear"}


def test_withdrawn_and_undone_are_different_words_in_chinese():
    assert t("zh", "rag.withdrawn") != t("zh", "log.undone").strip("（）")
    assert t("zh", "rag.withdrawn") not in t("zh", "done.undo", what="")


@pytest.mark.parametrize(("n", "words"), [(1, "1 task changed colour"), (2, "2 tasks changed colour"),
                                          (0, "0 tasks changed colour")])
def test_english_counts_agree_with_their_noun(n, words):
    assert words in t("en", "brief.changes_summary", on="x", n=n, worse=0, better=0)
    assert f"{n}项任务状态发生变化" in t("zh", "brief.changes_summary", on="x", n=n, worse=0, better=0)


@pytest.mark.parametrize(("value", "echo"), [("41", "= 41 on"), ("3500.5", "= 3500.5 on"), ("1e15", "= 1e+15 on")])  # past 1e15: refused (test_numbers)
def test_record_echoes_the_value_as_a_person_reads_it(sv, value, echo):
    out = sv("record", "nb-2021/4.1", "nursing", value, "--on", "2021-10-15")
    assert out.exit_code == 0 and echo in out.stdout and len(out.stdout) < 100


@pytest.mark.parametrize("args, env", [
    (["forms", "--as-of", "9999-12-25", "--out", "OUT"], None),
    (["remind", "--out", "OUT", "--dry-run"], {"SUPERVISE_TODAY": "9999-12-31"}),
    (["remind", "--out", "OUT"], {"SUPERVISE_TODAY": "9999-12-28"}),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_default_reply_date_past_the_calendar_is_bad_input(sv, db, tmp_path, args, env, lang):
    """The default --reply-by (ten days on) of a date in the last days of 9999 is no date: one line
    naming --reply-by, exit 2, nothing written. Failed before: OverflowError, exit 70."""
    out_dir = tmp_path / "out"
    before = event_count(db)
    out = sv("--lang", lang, *[str(out_dir) if a == "OUT" else a for a in args], env=env)
    assert out.exit_code == 2, out
    assert len(out.err_lines) == 1 and "--reply-by" in out.stderr and "10000" in out.stderr, out
    assert not out_dir.exists() and event_count(db) == before


def _with_reader_gone(args: list[str]) -> subprocess.CompletedProcess:
    """Run `python -m supervise ARGS` with standard output a pipe whose reader has already gone
    (`supervise status | head` once head has its lines): the first write meets a closed pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, "SUPERVISE_TODAY": "2021-10-31", "SUPERVISE_LANG": "en", "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                       os.environ.get("PYTHONPATH")]))}
    try:
        return subprocess.run([sys.executable, "-m", "supervise", *args], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_a_reader_that_goes_away_is_no_failure(db, fmt):
    """`status | head` ends as `status` alone would (0), silently: exit 1 is --fail-on's answer
    (click's own handling of a closed pipe exited 1, and Rich's too, for the table)."""
    proc = _with_reader_gone(["--db", str(db), "status", "--format", fmt])
    assert (proc.returncode, proc.stderr) == (0, "")


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_reader_that_goes_away_keeps_the_fail_on_answer(db, fmt):
    """With --fail-on the exit status is still the threshold's answer, read or not."""
    red = _with_reader_gone(["--db", str(db), "status", "--format", fmt, "--fail-on", "red"])
    assert (red.returncode, red.stderr) == (1, "")
    green_only = _with_reader_gone(["--db", str(db), "status", "--format", fmt, "--rag", "green",
                                    "--fail-on", "amber"])
    assert (green_only.returncode, green_only.stderr) == (0, "")


def test_a_reader_that_goes_away_from_log_is_no_failure(db):
    proc = _with_reader_gone(["--db", str(db), "log", "--format", "json"])
    assert (proc.returncode, proc.stderr) == (0, "")


@pytest.mark.parametrize("args", [
    ["tick", "sy-2021/1.1", "--on", "2030-01-01"],
    ["record", "sy-2021/1.1", "trained", "5", "--on", "2021-11-01"],
    ["note", "sy-2021/1.1", "x", "--on", "2022年1月"],
    ["review", "hold", "--on", "2021-11-01"],
])
def test_an_entry_dated_after_today_is_refused_as_the_ui_and_the_forms_refuse_it(sv, db, args):
    """A tick, a value, a note or a meeting dated after today has not happened: one line naming
    --on, exit 2, nothing written (the CLI took them, and a typo such as 2030 for 2023 made a done
    task red until then). Today here is 2021-10-31."""
    before = db_fingerprint(db)
    en, zh = sv("--lang", "en", *args), sv("--lang", "zh", *args)
    assert en.exit_code == zh.exit_code == 2, (en, zh)
    assert en.stderr.count("\n") == 1 and "--on: " in en.stderr and "is after today (2021-10-31)" in en.stderr
    assert "晚于今天（2021-10-31）" in zh.stderr and "Traceback" not in en.stderr + zh.stderr
    assert db_fingerprint(db) == before


def test_an_entry_dated_today_or_earlier_is_taken(sv, db):
    assert sv("tick", "sy-2021/1.1", "--on", "today").exit_code == 0
    assert sv("note", "sy-2021/1.1", "x", "--on", "2021-10-30").exit_code == 0
    assert sv("override", "sy-2021/1.1", "red", "--reason", "计划", "--on", "2021-11-15").exit_code == 0  # from a day to come: a plan, taken


@pytest.mark.parametrize("args", [
    ["tick", "sy-2021/1.1", "--note", ""],
    ["tick", "sy-2021/1.1", "--note", "   "],
    ["record", "sy-2021/1.1", "trained", "5", "--note", ""],
    ["note", "sy-2021/1.1", "  "],
])
def test_an_empty_note_is_refused_however_it_comes(sv, db, args):
    """`note x ''` was refused while `tick x --note ''` dropped it unsaid and `--note '   '` stored a blank note."""
    before = db_fingerprint(db)
    out = sv("--lang", "en", *args)
    assert (out.exit_code, out.stderr) == (2, "supervise: the note is empty\n")
    assert db_fingerprint(db) == before


@pytest.mark.parametrize("args, english", [
    (["export", "ledger", "--out", ""], "supervise: --out is empty: name the file\n"),
    (["collect", ""], "supervise: FILE is empty: name the file\n"),
    (["collect", "", "x.xlsx"], "supervise: FILE is empty: name the file\n"),
    (["backup", ""], "supervise: DEST is empty: name the file, or leave DEST out for the default\n"),
])
def test_an_empty_file_name_is_named_as_empty(sv, db, tmp_path, monkeypatch, args, english):
    """`--out "$F"` with F unset: the message said ': the ledger is …', ': no such file' and '.: is a folder'."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    before = db_fingerprint(db)
    out = sv("--lang", "en", *args)
    assert (out.exit_code, out.stderr) == (2, english)
    assert db_fingerprint(db) == before and list(here.iterdir()) == []
