"""supervise extract: drafting plans.toml from the plan document itself.

The seed documents (public plans) are copied into tests/fixtures/extract/seeds; the Shenyang
draft is compared with the hand-checked bundled plans.toml.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervise.dates import parse_date
from supervise.extract import ExtractError, ExtractSummary, extract_plans, read_document
from supervise.extract.text import clean, document_lines
from supervise.extract.units import find_units
from supervise.planfile.loader import PlanFileError, parse_plans

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "extract" / "seeds"
BUNDLED = ROOT / "plans.toml"
SEED_FILES = ["shenyang-2021-2023.txt", "qidong-2020-2022.txt", "ningbo-2021-2023.txt"]
CHECK = "# 待核实"


@lru_cache(maxsize=None)
def draft(name: str, plan_id: str | None = None) -> tuple[str, ExtractSummary, dict]:
    text, summary = extract_plans(read_document(SEEDS / name), plan_id=plan_id)
    return text, summary, tomllib.loads(text)


def draft_text(text: str, plan_id: str | None = None) -> tuple[str, dict]:
    out, _ = extract_plans(text, plan_id=plan_id)
    assert_checks_but_left_out(out)
    return out, tomllib.loads(out)


def check_problems(text: str, name: str = "draft.toml") -> list[str]:
    try:
        parse_plans(text, name)
    except PlanFileError as err:
        return err.problems
    return []


def assert_passes_check(text: str, name: str = "draft.toml") -> None:
    problems = check_problems(text, name)
    if problems:  # pragma: no cover - the message is the point
        pytest.fail("draft fails supervise check:\n" + "\n".join(problems))


def assert_checks_but_left_out(text: str, name: str = "draft.toml") -> None:
    """The draft passes check, except where the document does not give a lead, a title or any year: then
    the key is left out (a `# lead = []  # 待核实：…` comment says why), and check names that table's line."""
    lines = text.splitlines()
    for problem in check_problems(text, name):
        assert re.search(r"has no (?:lead|title|start date|end date)", problem), problem
        n = int(problem.split(":")[1])
        assert lines[n - 1] in ("[[task]]", "[[plan]]"), problem
        block = lines[n:next((i for i in range(n, len(lines)) if lines[i].startswith("[[")), len(lines))]
        key = next(k for k in ("lead", "title", "start", "end") if f"no {k}" in problem)
        assert any(line.startswith(f"# {key} = ") and CHECK in line for line in block), block
    assert not re.search(r'^\s*\w+ = .*"待核实"', text, re.M), "a placeholder carried as data"


def tasks_of(data: dict, plan: str | None = None) -> dict[str, dict]:
    plan = plan or data["plan"][0]["id"]
    return {t["id"]: t for t in data["task"] if t["plan"] == plan}


def line_of(text: str, task_plan: str, task_id: str, key: str) -> str:
    """The line `key = …` inside the given task's table."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line == "[[task]]" and lines[i + 1] == f'plan = "{task_plan}"' and lines[i + 2] == f'id = "{task_id}"':
            for follow in lines[i + 3:]:
                if follow.startswith(f"{key} = "):
                    return follow
                if follow.startswith("[["):
                    break
    raise AssertionError(f"no {key} line in task {task_plan}/{task_id}")


def due_of(task: dict, plan: dict) -> date:
    year = plan["start"].year if plan["start"].year == plan["end"].year else None
    return parse_date(task.get("due", plan["end"]), year=year)


# ============================================================================================
# The seeds
# ============================================================================================

SECTION_COUNTS = {
    # plan index -> tasks per section, in document order
    "shenyang-2021-2023.txt": [[6, 3, 4, 3, 4, 4], [11]],
    "qidong-2020-2022.txt": [[3, 3, 4, 4]],
    "ningbo-2021-2023.txt": [[5, 5, 6, 4, 4, 4, 4]],
}


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_seed_draft_passes_check(name):
    text, summary, data = draft(name)
    assert_checks_but_left_out(text, name)
    assert summary.no_lead == text.count("\n# lead = []  # 待核实") == sum("lead" not in t for t in data["task"])
    assert summary.tasks == len(data["task"])
    assert summary.plans == len(data["plan"])
    assert summary.indicators == text.count("[[task.indicator]]")
    assert summary.milestones == text.count("[[task.milestone]]")
    body = text.split("schema = 1", 1)[1]
    assert summary.unsure == sum(CHECK in line for line in body.splitlines())


@pytest.mark.parametrize("name", SEED_FILES)
def test_task_counts_per_section(name):
    _, _, data = draft(name)
    counts = []
    for plan in data["plan"]:
        sections: dict[str, int] = {}
        for t in data["task"]:
            if t["plan"] == plan["id"]:
                key = t["id"].split(".")[0] if "." in t["id"] else ""
                sections[key] = sections.get(key, 0) + 1
        counts.append(list(sections.values()))
    assert counts == SECTION_COUNTS[name]


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_indicator_has_its_source_sentence_above_it(name):
    text, _, _ = draft(name)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "[[task.indicator]]":
            assert lines[i - 1].strip().startswith("# 原文："), lines[i - 1]


def test_shenyang_plans_and_metadata():
    text, summary, data = draft("shenyang-2021-2023.txt")
    main, annex = data["plan"]
    assert main["id"] == "plan-2021" and annex["id"] == "plan-2021-key"
    assert main["title"] == "沈阳市推动品质养老三年行动计划（2021—2023年）"
    assert main["doc_number"] == "沈老组发〔2021〕1号"        # not the cited 沈政办发〔2021〕6号
    assert (main["start"], main["end"]) == (date(2021, 1, 1), date(2023, 12, 31))
    assert "issued" not in main and "issued_by" not in main    # the document gives neither…
    assert "# issued = \"\"  # 待核实" in text                   # …and the draft says so
    assert annex["title"] == "沈阳市推动品质养老2021年重点工作任务"
    assert (annex["start"], annex["end"]) == (date(2021, 1, 1), date(2021, 12, 31))
    tasks = tasks_of(data)
    assert tasks["1.1"]["section"] == "（一）提升居家养老服务品质"
    assert tasks["1.1"]["title"] == "切实提高家庭自我照护能力"
    assert tasks["1.1"]["detail"].startswith("依托为老服务组织、培训机构为长期在家照顾")
    assert "牵头单位" not in tasks["1.1"]["detail"]
    assert "—#" not in tasks["6.2"]["detail"] and "服务质量大检查指南》《养老机构" in tasks["6.2"]["detail"]
    assert tasks["3.2"]["detail"].startswith("2021年底前制定公建民营养老机构管理办法，积极推动有条件的公办养老机构实施公建民营。")
    assert summary.units >= 20


def test_shenyang_units():
    text, _, data = draft("shenyang-2021-2023.txt")
    t = tasks_of(data)
    assert t["1.1"]["lead"] == ["市民政局"]                      # "市民 政局" in the copy
    assert t["1.1"]["responsible"] == ["市人力资源社会保障局", "市卫生健康委", "各区县（市）政府"]
    assert t["1.6"]["responsible"] == ["和平区", "沈河区", "铁西区", "皇姑区", "大东区", "浑南区", "于洪区政府"]
    assert t["2.3"]["lead"] == ["市房产局"]
    assert t["4.1"]["lead"] == ["市卫生健康委"]
    assert t["4.3"]["lead"] == ["市医保局"]                         # bracket opened 〔 and closed ］
    assert t["4.3"]["responsible"] == ["市民政局", "市卫生健康委", "市金融发展局"]
    assert t["5.1"]["lead"] == ["市教育局"]
    assert "市应急局（消防救援支队）" in t["6.2"]["responsible"]
    # 2.1's bracket breaks at "〔牵头"; the rest turns up (twice) after 3.1: repaired, and marked
    assert t["2.1"]["lead"] == ["市民政局"]
    assert t["2.1"]["responsible"] == ["市自然资源局", "各区县（市）政府"]
    assert CHECK in line_of(text, "plan-2021", "2.1", "lead")
    assert t["3.1"]["responsible"] == ["市财政局", "各区县（市）政府"]    # the displaced fragment is not 3.1's
    assert "单位：" not in t["3.1"]["detail"]
    assert CHECK not in line_of(text, "plan-2021", "1.1", "lead")
    # the annex lists no units: no lead is made up; the comment suggests the closest three-year task's
    k = tasks_of(data, "plan-2021-key")
    assert all("lead" not in task and "responsible" not in task or task["responsible"] == [] for task in k.values())
    assert "市房产局" in line_of(text, "plan-2021-key", "6", "# lead")
    assert "市民政局" in line_of(text, "plan-2021-key", "7", "# lead")
    assert "市卫生健康委" in line_of(text, "plan-2021-key", "9", "# lead")
    for tid in k:
        assert CHECK in line_of(text, "plan-2021-key", tid, "# lead")


def test_shenyang_dates_and_milestones():
    text, _, data = draft("shenyang-2021-2023.txt")
    main, annex = data["plan"]
    t = tasks_of(data)
    assert t["1.1"]["due"] == "2023年底"
    assert t["6.3"]["due"] == "2023年底"                              # 到2023年
    assert t["1.3"]["due"] == date(2023, 12, 31)                      # no date: the plan's end
    assert "原文无时限" in line_of(text, "plan-2021", "1.3", "due")
    # a date that covers only part of the task dates that part; the task runs to the plan's end
    assert due_of(t["1.5"], main) == date(2023, 12, 31)
    assert CHECK in line_of(text, "plan-2021", "1.5", "due")
    assert t["1.5"]["indicator"][0]["due"] == "2022年底"
    assert t["3.2"]["milestone"] == [{"id": "a", "title": "制定公建民营养老机构管理办法", "due": "2021年底前"}]
    assert t["3.1"]["milestone"][0]["due"] == "2022年底"
    assert t["3.1"]["milestone"][0]["title"].startswith("每个区县（市）至少建有1所")
    k = tasks_of(data, "plan-2021-key")
    assert all(task["due"] == "2021年12月底前" for task in k.values())   # 12月底前 + the annual plan's year
    assert k["3"]["milestone"] == [{"id": "a", "title": "出台实施方案", "due": "2021年9月底前"}]
    assert due_of(k["3"]["milestone"][0], annex) == date(2021, 9, 30)
    assert k["1"]["milestone"][0]["title"] == "对政府购买居家养老服务试点开展情况进行全面总结和经验推广"


def _indicators(task: dict) -> list[tuple]:
    return [(i["target"], i["unit"]) for i in task.get("indicator", [])]


def test_shenyang_indicators():
    text, _, data = draft("shenyang-2021-2023.txt")
    t = tasks_of(data)
    assert [(i["name"], i["target"], i["unit"]) for i in t["1.1"]["indicator"]] == [
        ("培训家庭照护者", 20000, "人"),             # 培训2万名以上 -> 20000 人
        ("老年人健康素养", 15, "%"),
        ("公众对认知症防治知识知晓率", 80, "%"),
    ]
    assert t["1.6"]["indicator"] == [{"id": "i1", "name": "建设家庭养老床位", "unit": "张", "target": 4000}]
    assert _indicators(t["2.3"]) == [(1723, "个")]
    assert _indicators(t["3.1"]) == [(50, "%"), (100, "%")]      # 建有1所 is a milestone, not a target
    assert _indicators(t["5.2"]) == [(5000, "人次")]
    assert _indicators(t["1.3"]) == []
    k = tasks_of(data, "plan-2021-key")
    assert _indicators(k["5"]) == [(3.17, "万平方米")]              # "3. 17万平方米"; 25平方米的标准 is no target
    assert _indicators(k["8"]) == [(40, "%"), (100, "%")]
    assert _indicators(k["9"]) == [(5, "个")]                      # 5-10个 -> the lower bound…
    assert CHECK in text.split('name = "增加安宁疗护试点机构"')[1].splitlines()[0]   # …marked
    assert _indicators(k["10"]) == [(1000, "人")]                  # 4-6万元 subsidy is no target
    assert _indicators(k["1"]) == [(100, "个")]                    # "9个区的100个社区": 100 only


def test_qidong():
    text, _, data = draft("qidong-2020-2022.txt")
    plan = data["plan"][0]
    assert plan["title"] == "启东市深化居家养老服务三年行动计划（2020—2022年）"
    assert plan["issued_by"] == "启东市人民政府办公室" and plan["issued"] == date(2020, 4, 1)
    assert "doc_number" not in plan                     # only cited numbers (国办发〔2019〕5号) in the text
    assert (plan["start"], plan["end"]) == (date(2020, 1, 1), date(2022, 12, 31))
    t = tasks_of(data)
    assert t["1.1"]["section"] == "（一）养老服务设施提升计划"
    # one list only (责任单位): the document names no lead, so none is made up; the comment says who is first
    assert "lead" not in t["1.1"] and t["1.1"]["responsible"] == ["自然资源局", "民政局", "财政局"]
    assert "原文所列第一个单位为自然资源局" in line_of(text, "plan-2020", "1.1", "# lead")
    assert t["3.1"]["responsible"] == ["医保局"]
    assert t["3.4"]["responsible"] == ["文明办", "红十字会", "民政局"]
    assert t["4.4"]["responsible"] == ["民政局", "应急局", "卫生健康委", "市场监管局", "公安局", "消防大队"]
    assert t["1.1"]["due"] == "2022年底"                                    # 确保到2022年
    assert _indicators(t["1.1"]) == [(100, "%")]         # 每百户30平方米标准, 15-20平方米的标准: standards
    assert [(m["title"], m["due"]) for m in t["1.2"]["milestone"]] == [
        ("初步形成中央厨房、社区食堂和小区助餐点三级助餐服务模式", "2020年底"),
        ("实现城区助餐服务全覆盖", "2022年底"),
    ]
    assert t["2.2"]["milestone"][0]["due"] == "2020年底前"
    assert _indicators(t["3.2"]) == [(80, "%")]
    assert [i.get("due") for i in t["3.3"]["indicator"]] == ["2021年底前", "2020年底"]
    assert t["3.3"]["indicator"][1]["name"] == "全市社会办养老机构开展居家和社区养老服务"


def test_ningbo_single_line_half_width_copy():
    text, _, data = draft("ningbo-2021-2023.txt")
    plan = data["plan"][0]
    assert plan["title"] == "宁波市养老服务提质提升三年行动计划（2021~2023年）"
    assert plan["doc_number"] == "甬政办发〔2021〕21号"
    assert plan["issued_by"] == "宁波市人民政府办公厅" and plan["issued"] == date(2021, 4, 6)
    t = tasks_of(data)
    assert t["1.1"]["title"] == "提升家庭自我照护能力"
    assert t["7.4"]["title"] == "强化科技支撑"
    assert t["1.1"]["due"] == "2023年底"                                     # 2021~2023 年
    assert [(i["name"], i["target"], i["unit"]) for i in t["1.1"]["indicator"]][0] == ("免费培训家庭照护者", 24000, "人")
    assert t["2.2"]["milestone"][0]["due"] == "2021年底"                      # "2021 年,所有…"
    assert [(i["name"], i["target"]) for i in t["2.2"]["indicator"]] == [
        ("全市创建4A级乡镇（街道）居家养老服务中心", 50), ("5A级乡镇（街道）居家养老服务中心", 30)]
    assert [(i["name"], i["target"]) for i in t["2.5"]["indicator"]][:2] == [
        ("创建认知症友好社区", 30), ("示范型老年友好社区", 30)]
    assert _indicators(t["4.4"]) == [(90, "%")]                 # "100张床位以上的养老机构" qualifies, no target
    assert _indicators(t["7.2"])[:2] == [(6, "个"), (6000, "人次")]
    # no unit lists anywhere: no lead is made up; every task says so, quoting its line
    for tid in t:
        assert "lead" not in t[tid]
        assert "原文未列单位" in line_of(text, "plan-2021", tid, "# lead")
        assert f"{t[tid]['title'][:6]}" in line_of(text, "plan-2021", tid, "# lead").split("原文：")[1]


# ============================================================================================
# Agreement with the hand-checked bundled plans.toml
# ============================================================================================

def agreement() -> dict[str, tuple[int, int]]:
    _, _, got = draft("shenyang-2021-2023.txt", "sy-2021")
    want = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))

    def index(data: dict) -> dict[tuple[str, str], tuple]:
        plans = {p["id"]: p for p in data["plan"]}
        return {(t["plan"], t["id"]): (t["title"], tuple(t.get("lead", [])), tuple(t.get("responsible", [])),
                                       due_of(t, plans[t["plan"]]), t) for t in data["task"]}

    g, w = index(got), index(want)
    total = len(w)
    named = [k for k in w if k[0] == "sy-2021"]     # the annex names no units: its leads are the office's
    same = lambda i: sum(1 for k in w if k in g and g[k][i] == w[k][i])   # noqa: E731
    units = sum(1 for k in named if k in g and g[k][1:3] == w[k][1:3])
    inds = [(k, i) for k in w for i in w[k][4].get("indicator", [])]
    found = sum(1 for k, i in inds if k in g and any(
        x["target"] == i["target"] and x["unit"] in (i["unit"], "人" if i["unit"] == "名" else i["unit"])
        for x in g[k][4].get("indicator", [])))
    return {"tasks (title)": (same(0), total), "lead": (same(1), total), "responsible": (same(2), total),
            "units (lead and responsible, where named)": (units, len(named)), "dates (due)": (same(3), total),
            "indicators (target and unit)": (found, len(inds))}


def test_shenyang_draft_agrees_with_bundled_plans_toml(capsys):
    figures = agreement()
    with capsys.disabled():
        print("\nextract vs bundled plans.toml (Shenyang):")
        for field, (ok, total) in figures.items():
            print(f"  {field:30} {ok}/{total} = {100 * ok / total:.1f}%")
    for field in ("tasks (title)", "units (lead and responsible, where named)", "dates (due)"):
        ok, total = figures[field]
        assert total and ok / total >= 0.95, (field, figures)


# ============================================================================================
# Structures and phrasings beyond the seeds (synthetic documents)
# ============================================================================================

def test_items_that_are_themselves_tasks():
    doc = """某县农村养老服务行动方案（2022-2023年）
一、总体目标
到2023年，农村养老服务全覆盖。
二、重点任务
（一）建设互助养老点。每个村建设1个互助养老点，到2023年底，全县建成互助养老点不少于120个。（牵头单位：县民政局；责任单位：各乡镇人民政府）
（二）开展探访关爱。建立探访制度，年内实现月探访率100%。〔牵头单位：县民政局、县卫健局〕
三、保障措施
（一）加强领导。各乡镇要高度重视。
"""
    text, data = draft_text(doc)
    t = tasks_of(data)
    assert list(t) == ["1", "2"]
    assert "section" not in t["1"]
    assert t["1"]["title"] == "建设互助养老点"
    assert t["1"]["lead"] == ["县民政局"] and t["1"]["responsible"] == ["各乡镇人民政府"]
    assert t["2"]["lead"] == ["县民政局", "县卫健局"] and t["2"]["responsible"] == []
    assert _indicators(t["1"]) == [(120, "个")]
    assert data["plan"][0]["id"] == "plan-2022"
    # 年内 in a plan of two years: the start year, marked
    assert t["2"]["indicator"][0]["due"] == "2022年底"
    assert CHECK in text.split('due = "2022年底"')[1].splitlines()[0]


def test_numbering_variants_and_parts():
    doc = """关于印发《某市智慧养老工作方案（2022—2024年）》的通知
某政办发〔2022〕8号
一、主要任务
（一）平台建设
1、建设养老服务平台。2022年6月底前完成招标，2023年第三季度上线。（市民政局牵头，市大数据局配合）
2．推动数据共享。（1）汇聚老年人口数据；（2）对接医保数据。
（二）应用推广
1.推广智能设备。到2024年，安装智能设备不超过5000台。（市民政局、市财政局）
二、重点工程
1. 实施适老化改造工程。完成改造3000户以上。（牵头单位：市住建局）
三、保障措施
（一）加强组织领导。
"""
    text, data = draft_text(doc, plan_id="zh-2022")
    plan = data["plan"][0]
    assert plan["doc_number"] == "某政办发〔2022〕8号"
    assert (plan["start"], plan["end"]) == (date(2022, 1, 1), date(2024, 12, 31))
    t = tasks_of(data, "zh-2022")
    assert list(t) == ["1.1", "1.2", "2.1", "3.1"]
    assert t["1.1"]["section"] == "（一）平台建设" and t["3.1"]["section"] == "二、重点工程"
    assert (t["1.1"]["lead"], t["1.1"]["responsible"]) == (["市民政局"], ["市大数据局"])     # X牵头，Y配合
    assert [(m["title"], m["due"]) for m in t["1.1"]["milestone"]] == [
        ("完成招标", "2022年6月底前"), ("上线", "2023年第三季度")]
    assert "（1）汇聚老年人口数据" in t["1.2"]["detail"]                                   # (1) stays detail
    assert "lead" not in t["1.2"] and CHECK in line_of(text, "zh-2022", "1.2", "# lead")  # no units given
    assert "lead" not in t["2.1"] and t["2.1"]["responsible"] == ["市民政局", "市财政局"]  # bare （…） list
    assert "原文所列第一个单位为市民政局" in line_of(text, "zh-2022", "2.1", "# lead")
    assert t["2.1"]["indicator"][0]["direction"] == "down" and t["2.1"]["indicator"][0]["target"] == 5000
    assert _indicators(t["3.1"]) == [(3000, "户")]


def test_toml_strings_are_escaped():
    doc = '三年行动计划（2022—2024年）\n一、主要任务\n1. 推进"智慧\\养老"试点\t工作。细节。（牵头单位：市民政局）\n'
    text, data = draft_text(doc)
    assert tasks_of(data)["1"]["title"] == '推进"智慧\\养老"试点工作'


def test_debris_is_cleaned():
    lines = document_lines("[bookmark: b1]1. [bookmark: b2]切实提高能力。到2023年底,培训 2 万名以上。〔牵头单位：市民 政局〕\n"
                           "—# —\n  # —\n- 3 -\n第 4 页\n继续 一段文字。")
    assert [(ln.level, ln.num) for ln in lines] == [(3, 1), (0, 0)]
    assert lines[0].text == "切实提高能力。到2023年底，培训2万名以上。〔牵头单位：市民政局〕"
    assert clean("完成任务3. 17万平方米，达到 80%以 上（ 2021~ 2023 年）") == "完成任务3.17万平方米，达到80%以上（2021~2023年）"
    assert clean("Word 2016 文件") == "Word 2016文件"
    units = find_units(clean("任务。〔牵头单 位：市医保局；责任单位：市民政局、市应急局（消防救援支队），各区县（市）政府］"))
    assert units.lead == ("市医保局",)
    assert units.responsible == ("市民政局", "市应急局（消防救援支队）", "各区县（市）政府")


def test_midline_markers_need_sequential_numbering():
    doc = ("某市行动计划（2022—2023年） 一、工作任务 (一)社区服务 1.建设站点。建成站点 20 个。 "
           "2.培训人员。培训 3 000 人次。 5.这不是新任务的编号 ")
    text, data = draft_text(doc)
    t = tasks_of(data)
    assert list(t) == ["1.1", "1.2"]
    assert "5.这不是新任务的编号" in t["1.2"]["detail"]


def test_no_tasks_and_bad_plan_id_are_errors():
    with pytest.raises(ExtractError, match="no numbered tasks"):
        extract_plans("这份文件没有任何编号的任务。")
    with pytest.raises(ExtractError, match="plan id"):
        extract_plans("1. 任务。", plan_id="Bad Id")


# ============================================================================================
# Reading files
# ============================================================================================

def test_read_text_files(tmp_path):
    (tmp_path / "a.txt").write_text("一、任务\n", encoding="utf-8")
    (tmp_path / "b.md").write_bytes("\ufeff一、任务\n".encode("utf-8"))
    (tmp_path / "c.txt").write_bytes("一、主要任务（牵头单位：市民政局）\n".encode("gb18030"))
    assert read_document(tmp_path / "a.txt") == "一、任务\n"
    assert read_document(tmp_path / "b.md") == "一、任务\n"
    assert read_document(tmp_path / "c.txt") == "一、主要任务（牵头单位：市民政局）\n"


@pytest.mark.parametrize("name, content, message", [
    ("plan.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
    ("plan.doc", b"\xd0\xcf\x11\xe0", "save it as .docx"),
    ("broken.docx", b"not a zip file", "not a readable .docx"),
    ("binary.txt", bytes(range(128, 256)) * 4, "not UTF-8 or GB18030"),
])
def test_unreadable_files_name_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractError, match=message) as err:
        read_document(path)
    assert str(path) in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ExtractError, match="no such file"):
        read_document(tmp_path / "nothing.docx")


def test_docx_paragraphs_list_numbers_and_task_table(tmp_path):
    import docx
    doc = docx.Document()
    for text in ["某市民政局关于印发《某市养老服务三年行动计划（2022—2024年）》的通知", "某民发〔2022〕3号",
                 "各区民政局：", "现印发给你们。", "某市民政局", "2022年3月1日", "一、主要任务", "（一）居家养老"]:
        doc.add_paragraph(text)
    # Word's automatic numbering: the "1." is not in the paragraph text
    doc.add_paragraph("建设家庭养老床位。到2024年底，建设家庭养老床位不少于500张。（牵头单位：市民政局；责任单位：市财政局）",
                      style="List Number")
    doc.add_paragraph("开展适老化改造。2022年底前出台实施方案。（牵头单位：市住建局）", style="List Number")
    doc.add_paragraph("二、保障措施")
    doc.add_paragraph("（一）加强领导。")
    doc.add_paragraph("附件")
    doc.add_paragraph("某市养老服务2022年重点工作任务")
    table = doc.add_table(rows=3, cols=5)
    for row, cells in zip(table.rows, [
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
        ["1", "启动家庭养老床位试点，建设床位100张", "市民政局", "市财政局、各区政府", "12月底前"],
        ["2", "出台适老化改造实施方案", "市住建局", "", "9月底前"],
    ]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    path = tmp_path / "plan.docx"
    doc.save(path)

    text = read_document(path)
    assert "1.建设家庭养老床位" in text and "2.开展适老化改造" in text
    out, data = draft_text(text, plan_id="mz-2022")
    main, annex = data["plan"]
    assert main["doc_number"] == "某民发〔2022〕3号" and main["issued"] == date(2022, 3, 1)
    assert main["issued_by"] == "某市民政局"
    t = tasks_of(data, "mz-2022")
    assert list(t) == ["1.1", "1.2"]
    assert t["1.1"]["lead"] == ["市民政局"] and t["1.1"]["responsible"] == ["市财政局"]
    assert _indicators(t["1.1"]) == [(500, "张")]
    assert t["1.2"]["milestone"][0]["due"] == "2022年底前"
    assert annex["id"] == "mz-2022-key" and (annex["start"], annex["end"]) == (date(2022, 1, 1), date(2022, 12, 31))
    k = tasks_of(data, "mz-2022-key")
    assert k["1"]["title"] == "启动家庭养老床位试点，建设床位100张"
    assert (k["1"]["lead"], k["1"]["responsible"]) == (["市民政局"], ["市财政局", "各区政府"])
    assert k["1"]["due"] == "2022年12月底前"
    assert k["2"]["lead"] == ["市住建局"] and k["2"]["due"] == "2022年9月底前"


def test_extract_is_pure_core():
    code = ("import sys, supervise.extract; bad = {'textual', 'rich', 'click', 'docx'} & set(sys.modules); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ============================================================================================
# Whatever the copy looks like: a file that passes check, or an ExtractError
# ============================================================================================

_PIECES = ["一、", "二、主要任务", "（一）", "(二)", "1.", "2、", "3．", "（1）", "①", "\n", "\n", " ", "。", "，", "；",
           "到2023年底", "2021年底前", "12月底前", "9月", "年内", "2022年上半年", "2023年第三季度", "到2022年", "2025年",
           "1990年", "〔牵头单位：市民政局；责任单位：市财政局、各区县（市）政府〕", "（责任单位：民政局、财政局）",
           "〔牵头", "单位：市民政局〕", "达到100%", "不少于4000张", "培训2万名以上", "3.17万平方米", "5-10个",
           "不超过5%", "建有1所", "附件", "附件：2021年重点工作任务", "重点工作任务", "行动计划（2021—2023年）",
           "沈老组发〔2021〕1号", "市政府办公室", "2021年4月1日", "关于印发《某计划（2020-2022年）》的通知",
           "[bookmark: x]", "—# —", "建设", "养老", "服务", '"', "\\", "\t", "《某办法（2019年）》", "0个",
           "每百户30平方米标准", "（市民政局牵头）", "2023-2021年", "\x01", "\u2028", "\r", "\x0b", "#", "'''"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=60))
def test_any_copy_gives_a_file_that_passes_check_or_an_extract_error(pieces):
    try:
        out, summary = extract_plans("".join(pieces))
    except ExtractError:
        return
    assert_checks_but_left_out(out)
    assert summary.tasks == out.count("[[task]]")
