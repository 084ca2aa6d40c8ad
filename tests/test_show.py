"""`supervise show TASK` (#16: everything about one task, as the UI's task info) and the rounding rule
for numbers worked out for an indicator (status.amount). The office is test_cli's (today 2021-10-31)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from rich.cells import cell_len

from conftest import BUNDLED_PLANS, event_count
from supervise.models import Checkpoint, Indicator
from supervise.status import amount, precision
from test_cli import assert_refused, db, plans_file, sv, template  # noqa: F401  (fixtures)

# sy-2021/1.1's indicator: 20000 人 from 2021-10-01 to 2023-12-31, as of 2021-10-31
EXPECTED_TRAINED = 20000 * (date(2021, 10, 31) - date(2021, 10, 1)).days / (date(2023, 12, 31) - date(2021, 10, 1)).days


@pytest.fixture
def busy(sv):
    """sy-2021/1.1 with a value, a value undone, a note over two lines, an override and a tick."""
    for args in (["record", "sy-2021/1.1", "trained", "500", "--on", "2021-10-15", "--note", "首批培训"],
                 ["record", "sy-2021/1.1", "trained", "600", "--on", "2021-10-20"],
                 ["undo"],
                 ["note", "sy-2021/1.1", "已召开协调会\n明确分工", "--on", "2021-10-18"],
                 ["override", "sy-2021/1.1", "red", "--reason", "培训进度明显滞后", "--on", "2021-10-25", "--until", "2021-12-31"],
                 ["tick", "sy-2021/1.1", "a", "--on", "2021-10-28"]):
        assert sv(*args).exit_code == 0, args
    return sv


def test_show_in_english(busy):
    out = busy("show", "sy-2021/1.1", env={"COLUMNS": None})
    assert out.exit_code == 0, out
    text = out.stdout
    assert text.startswith("sy-2021/1.1  切实提高家庭自我照护能力\n")
    for words in ("Plan: sy-2021  沈阳市推动品质养老三年行动计划（2021—2023年）", "Section: （一）提升居家养老服务品质",
                  "Lead: 市民政局", "Responsible: 市卫生健康委", "Start: 2021-10-01", "Due: 2023-12-31",
                  "Status as of 2021-10-31", "● red ⚑ set by the office; computed: green",
                  "- override until 2021-12-31: 培训进度明显滞后",
                  "a  出台家庭照护者培训方案 · due 2021-11-09 · done on 2021-10-28",
                  "b  完成首批培训 · due 2022-06-30 · open",
                  "trained  培训家庭照护者",
                  f"target 20000人 by 2023-12-31, baseline 0人 · latest 500人 on 2021-10-15 · expected by now {round(EXPECTED_TRAINED)}人",
                  "2021-10-15  500人  首批培训",
                  "2021-10-18  已召开协调会\n", "明确分工",
                  "● red from 2021-10-25 until 2021-12-31: 培训进度明显滞后",
                  "History", "培训家庭照护者 = 600", "培训家庭照护者 = 500"):
        assert words in text, words
    assert "600人" not in text  # the undone value is not among the values
    history = text[text.index("History"):]
    assert [line for line in history.splitlines() if "= 600" in line][0].count("↶ undone") == 1
    assert "undo " not in history  # an undo is not a row of its own


def test_show_in_chinese_with_a_bare_id(busy):
    out = busy("--lang", "zh", "show", "1.2", env={"COLUMNS": None})  # 1.2 is only in sy-2021
    assert out.exit_code == 0 and out.stdout.startswith("sy-2021/1.2  扎实推进政府购买居家养老服务")
    assert "● 红" in out.stdout and "逾期 12 天" in out.stdout and "节点\n  无" in out.stdout
    zh = busy("--lang", "zh", "show", "sy-2021/1.1", env={"COLUMNS": None}).stdout
    for words in ("计划：sy-2021", "板块：（一）提升居家养老服务品质", "牵头单位：市民政局", "责任单位：市卫生健康委",
                  "截至 2021-10-31 的状态", f"序时应达 {round(EXPECTED_TRAINED)}人", "目标 20000人（2023-12-31 前）",
                  "进展备注", "人工调整", "操作记录", "已于 2021-10-28 完成"):
        assert words in zh, words


def test_show_as_of_a_past_date(busy):
    out = busy("show", "sy-2021/1.1", "--as-of", "2021-10-10", env={"COLUMNS": None}).stdout
    assert "Status as of 2021-10-10" in out and "▲ amber" in out and "set by the office" not in out
    assert "a  出台家庭照护者培训方案 · due 2021-11-09 · open" in out


def test_show_wraps_at_a_terminal_and_cuts_nothing_when_piped(busy):
    long = "督促" * 80 + "END"
    busy("note", "sy-2021/1.1", long, "--on", "2021-10-29")
    narrow = busy("show", "sy-2021/1.1", env={"COLUMNS": "80"}).stdout
    assert all(cell_len(line) <= 80 for line in narrow.splitlines())
    notes = narrow[narrow.index("Notes"):narrow.index("Overrides")]
    assert long in "".join(line.strip() for line in notes.splitlines()).replace("2021-10-29", "")
    piped = busy("show", "sy-2021/1.1", env={"COLUMNS": None}).stdout
    assert f"2021-10-29  {long}" in piped and "…" not in piped


def test_show_json(busy):
    out = busy("show", "sy-2021/1.1", "--format", "json")
    doc = json.loads(out.stdout)
    assert doc["id"] == "sy-2021/1.1" and doc["as_of"] == "2021-10-31" and doc["rag"] == "red"
    assert doc["plan_title"] == "沈阳市推动品质养老三年行动计划（2021—2023年）" and doc["start"] == "2021-10-01"
    ind = doc["indicators"][0]
    assert ind["values"] == [{"on": "2021-10-15", "value": 500, "note": "首批培训"}]
    assert ind["expected"] == round(EXPECTED_TRAINED, 2) and ind["expected_words"] == str(round(EXPECTED_TRAINED))
    assert [n["text"] for n in doc["notes"]] == ["首批培训", "已召开协调会\n明确分工"]
    assert doc["overrides"] == [{"rag": "red", "reason": "培训进度明显滞后", "from": "2021-10-25", "until": "2021-12-31",
                                 "cleared_on": None}]
    kinds = [(e["kind"], e["undone"]) for e in doc["history"]]
    assert kinds == [("tick", False), ("override", False), ("note", False), ("undo", False), ("record", True),
                     ("record", False)]  # json keeps every entry
    assert doc["history"][4]["item_name"] == "培训家庭照护者"


@pytest.mark.parametrize("args, words", [
    (["1.1"], ["1.1", "sy-2021/1.1", "nb-2021/1.1"]),  # ambiguous
    (["9.9"], ["unknown task", "9.9"]),
    (["sy-2021/1.1", "--as-of", "someday"], ["someday"]),
])
def test_show_refuses_what_it_cannot_find(sv, db, args, words):
    assert_refused(sv("show", *args), db, event_count(db), *words)


def test_show_a_withdrawn_task(sv):
    out = sv("show", "nb-2021/5.1", env={"COLUMNS": None})
    assert out.exit_code == 0 and "withdrawn from the plan" in out.stdout and "– withdrawn" in out.stdout


# --- the rounding rule ------------------------------------------------------------------------

def _ind(unit: str, target: float, baseline: float = 0, checkpoints=()) -> Indicator:
    return Indicator("x", "x", target, date(2023, 12, 31), unit=unit, baseline=baseline,
                     checkpoints=tuple(Checkpoint(date(2022, 12, 31), v) for v in checkpoints))


@pytest.mark.parametrize("ind, x, words", [
    (_ind("户", 20000), 1664.84, "1665"),
    (_ind("人", 2.5), 1.25, "1"),  # counted: whole, whatever the plan wrote
    (_ind("人次", 100), 33.5, "34"),
    (_ind("个", 10), 0.4, "0"),
    (_ind("%", 95.5, 60), 80.04, "80.0"),  # the plan's own decimals
    (_ind("%", 80, 60.25), 70.123, "70.12"),
    (_ind("%", 80, 60, checkpoints=[70.5]), 65.26, "65.3"),
    (_ind("万人", 1.5), 0.333, "0.3"),  # 万人 is not a count of whole things
    (_ind("%", 100), -0.3, "0"),  # never "-0"
    (_ind("人", 100), 1e308, "1e+308"),
    (_ind("", 100), None, "—"),
])
def test_amount_is_read_at_the_indicators_precision(ind, x, words):
    assert amount(ind, x) == words


def test_precision():
    assert precision(_ind("户", 20000.5)) == 0
    assert precision(_ind("%", 95.5)) == 1 and precision(_ind("%", 95)) == 0



@pytest.mark.parametrize("lang, label", [("en", "Detail: "), ("zh", "具体内容：")])
def test_a_long_detail_wraps_under_its_first_character(tmp_path, invoke, lang, label):
    # the bundled sy-2021/1.1's detail is longer than a line of 60: its second line starts where
    # the first's text does, under the label's width in cells (8 for "Detail: ", 10 for "具体内容：")
    db = tmp_path / "b.db"
    assert invoke(["--db", db, "import", BUNDLED_PLANS]).exit_code == 0
    out = invoke(["--db", db, "--lang", lang, "show", "sy-2021/1.1"], env={"COLUMNS": "60"})
    assert out.exit_code == 0, out
    lines = out.stdout.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith(label))
    follow = lines[first + 1]
    assert follow.strip() and len(follow) - len(follow.lstrip(" ")) == cell_len(label), (lines[first], follow)
