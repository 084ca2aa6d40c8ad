"""Layout detection (supervise.extract.layout and .tables): prose numbering, Word task tables and
tables pasted as text. The cases are the layouts of real plans (issue #17, tests/fixtures/extract)."""

from __future__ import annotations

import tomllib
from datetime import date

import docx
import pytest

from supervise.extract import extract_plans, read_document
from supervise.extract.layout import build_tree, task_nodes
from supervise.extract.tables import pasted_tables, table_lines
from supervise.extract.text import document_lines

CHECK = "待核实"


def draft(text: str) -> tuple[str, dict]:
    out, _ = extract_plans(text)
    return out, tomllib.loads(out)


def tasks(data: dict) -> list[dict]:
    return data["task"]


def task_block(text: str, title: str) -> str:
    """The lines of the [[task]] table whose title is given."""
    blocks = text.split("[[task]]")
    return next(b for b in blocks if f'title = "{title}"' in b)


# ---------------------------------------------------------------------------------------------
# Prose numbering
# ---------------------------------------------------------------------------------------------

def test_mixed_numbering_1_and_paren_1():
    # issue #17: "1、 总体要求 / （1） 指导思想 / 2、 主要任务 / （1）…" — headings and 保障措施 are not
    # tasks, plan-level targets stay out of the tasks, the tasks keep their section
    doc = """某市数字政府建设行动方案（2022—2024年）
1、总体要求
（1）指导思想。以习近平新时代中国特色社会主义思想为指导，推进政府数字化转型。
（2）工作目标。到2024年，政务服务事项网上可办率达到95%以上，建成数据共享平台1个。
2、主要任务
（1）建设一体化政务服务平台。2022年底前完成平台升级。（市政务服务局牵头，市大数据局配合）
（2）推进数据共享。建设数据共享交换平台，年内接入部门40个以上。（市大数据局牵头，各区政府配合）
3、重点工程
（1）实施“一网通办”工程。（市政务服务局牵头）
4、保障措施
（1）加强组织领导。各区要高度重视。
（2）强化考核评估。
"""
    text, data = draft(doc)
    got = [(t["title"], t.get("section", "")) for t in tasks(data)]
    assert got == [("建设一体化政务服务平台", "2、主要任务"), ("推进数据共享", "2、主要任务"),
                   ("实施“一网通办”工程", "3、重点工程")]
    assert all(i["target"] != 95 for t in tasks(data) for i in t.get("indicator", []))
    assert tasks(data)[1]["indicator"][0]["target"] == 40


def test_a_part_about_targets_whose_items_carry_units():
    # Lishan 2023 / Guangdong 2021: the only 一、 part is 主要预期目标, every item has its units
    doc = """某区政府2023年重点工作任务分解和责任分工方案
一、经济社会发展的主要预期目标
1.努力实现地区生产总值增长6.2%左右。
牵头单位:区发改局
责任单位:立山经济开发区,全区经济运行各专班
2.规模上工业增加值增长5%左右。
分管区领导:张三
部门分工:区工信局牵头,各街道配合。
"""
    text, data = draft(doc)
    t = tasks(data)
    assert [x["title"] for x in t] == ["努力实现地区生产总值增长6.2%左右", "规模上工业增加值增长5%左右"]
    assert (t[0]["lead"], t[0]["responsible"]) == (["区发改局"], ["立山经济开发区", "全区经济运行各专班"])
    assert (t[1]["lead"], t[1]["responsible"]) == (["区工信局"], ["各街道"])
    assert "张三" not in t[1]["lead"] + t[1]["responsible"]
    # read as tasks although the part is about targets: said so
    assert "主要预期目标" in task_block(text, "努力实现地区生产总值增长6.2%左右").split("title = ")[1].splitlines()[0]


def test_unit_line_after_measures_belongs_to_their_task():
    # issue #17: "(责任单位:…)" after measures (1)-(4) was given to (4) only
    doc = """某县养老服务行动方案（2022-2023年）
一、重点任务
1.完善居家养老服务网络。
（1）建设街道综合养老服务中心。
（2）建设社区嵌入式服务站。
（3）开展家庭养老床位试点。
（4）推行助餐服务。
（责任单位:县民政局、县财政局、各乡镇人民政府）
2.提升机构养老服务质量。推进公办养老机构改革。（牵头单位:县民政局）
"""
    text, data = draft(doc)
    t = tasks(data)
    assert [x["title"] for x in t] == ["完善居家养老服务网络", "提升机构养老服务质量"]
    assert t[0]["responsible"] == ["县民政局", "县财政局", "各乡镇人民政府"]
    assert "（4）推行助餐服务" in t[0]["detail"]


def test_numbered_title_that_starts_with_a_number():
    # Guangzhou 2012: "11.121人才梯队项目" is item 11, not the number 11.121
    root, _ = build_tree(document_lines("一、重点项目\n10.羊城学者项目。（牵头单位：市委组织部）\n"
                                        "11.121人才梯队项目。（牵头单位：市人力资源和社会保障局）\n"))
    assert [n.title for _, n in task_nodes(root)] == ["羊城学者项目", "121人才梯队项目"]
    # …while a decimal that opens a wrapped line stays text
    assert [ln.level for ln in document_lines("3.17万平方米的用房")] == [0]


def test_rule_for_later_tasks_is_carried():
    # Sichuan 2022 (issue #17): "具体任务均涉及相关市(州)人民政府,不再做分工,下同"
    doc = """某省“十四五”现代流通体系建设实施方案
一、深化现代流通市场化改革
(一)加强市场体系建设。推进高标准市场体系建设。〔责任单位:省发展改革委、商务厅按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕
(二)优化市场准入环境。实施“证照分离”改革全覆盖。〔责任单位:省市场监管局〕
"""
    text, data = draft(doc)
    t = tasks(data)
    assert t[0]["responsible"] == ["省发展改革委", "商务厅", "相关市（州）人民政府"]
    assert t[1]["responsible"] == ["省市场监管局", "相关市（州）人民政府"]
    assert "下同" in task_block(text, "优化市场准入环境").split("responsible = ")[1].splitlines()[0]
    assert all("lead" not in x for x in t)        # 责任单位 only: no lead is made up
    assert (data["plan"][0]["start"].year, data["plan"][0]["end"].year) == (2021, 2025)


# ---------------------------------------------------------------------------------------------
# Word task tables
# ---------------------------------------------------------------------------------------------

def _row(table, values):
    row = table.add_row()
    for cell, value in zip(row.cells, values):
        cell.text = value
    return row


def _spanning(table, text):
    row = table.add_row()
    row.cells[0].merge(row.cells[-1]).text = text


def test_word_table_with_title_row_sections_merged_category_and_repeated_header(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("某市优化营商环境三年行动方案（2023—2025年）")
    doc.add_paragraph("附件")
    head = ["序号", "类别", "重点任务", "牵头单位", "责任单位", "完成时限"]
    table = doc.add_table(rows=0, cols=len(head))
    _spanning(table, "重点任务分工表")
    _row(table, head)
    _spanning(table, "一、政务环境")
    first = _row(table, ["1", "（一）审批改革", "推行告知承诺制", "市政务服务局", "市直各部门", "2023年底前"])
    second = _row(table, ["2", "", "压缩企业开办时间", "市市场监管局", "", "2023年6月底前"])
    first.cells[1].merge(second.cells[1]).text = "（一）审批改革"          # merged 类别 column
    _row(table, head)                                                   # the header again after a page break
    _spanning(table, "二、法治环境")
    _row(table, ["3", "", "规范涉企执法", "市司法局", "各区政府", "2025年底"])
    path = tmp_path / "table.docx"
    doc.save(path)

    text, data = draft(read_document(path))
    # issue #17: the document's own title was replaced by the table's (重点任务分工表)
    assert [p["title"] for p in data["plan"]] == ["某市优化营商环境三年行动方案（2023—2025年）"]
    assert (data["plan"][0]["start"].year, data["plan"][0]["end"].year) == (2023, 2025)
    t = tasks(data)
    assert [(x["title"], x.get("section", "")) for x in t] == [
        ("推行告知承诺制", "（一）审批改革"), ("压缩企业开办时间", "（一）审批改革"), ("规范涉企执法", "二、法治环境")]
    assert [x["lead"] for x in t] == [["市政务服务局"], ["市市场监管局"], ["市司法局"]]
    assert t[0]["responsible"] == ["市直各部门"] and t[2]["responsible"] == ["各区政府"]
    assert [x["due"] for x in t] == ["2023年底前", "2023年6月底前", "2025年底"]


def test_word_table_without_title_row_keeps_the_document_title(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("某县2024年民生实事任务分解")
    table = doc.add_table(rows=0, cols=4)
    _row(table, ["序号", "工作任务", "牵头责任单位", "主要协作单位"])
    _row(table, ["1", "新建社区食堂10个", "县民政局", "各乡镇人民政府"])
    path = tmp_path / "plain.docx"
    doc.save(path)
    _, data = draft(read_document(path))
    assert data["plan"][0]["title"] == "某县2024年民生实事任务分解"
    assert tasks(data)[0]["lead"] == ["县民政局"] and tasks(data)[0]["responsible"] == ["各乡镇人民政府"]
    assert tasks(data)[0]["indicator"][0]["target"] == 10


def test_indicator_table_columns():
    # Suining 2025: 单位 is the unit of measure, the year columns keep their heads, "30-70岁" is no number
    lines = table_lines([
        ["序号", "指标名称", "单位", "2025年", "牵头单位", "责任单位"],
        ["5", "30-70岁重大慢性病过早死亡率", "%", "≤12.7", "县卫健局", "县疾控中心,各乡镇人民政府"],
    ])
    assert lines == ["1、30-70岁重大慢性病过早死亡率。单位：%。2025年：≤12.7。〔牵头单位：县卫健局；责任单位：县疾控中心,各乡镇人民政府〕"]
    root, _ = build_tree(document_lines("\n".join(lines)))
    assert [n.title for _, n in task_nodes(root)] == ["30-70岁重大慢性病过早死亡率"]


def test_table_without_unit_columns_stays_rows():
    assert table_lines([["序号", "项目"], ["1", "甲"]]) == ["序号；项目", "1；甲"]
    assert table_lines([["序号", "指标名称", "单位", "2025年"], ["1", "人均预期寿命", "岁", "80"]]) == [
        "序号；指标名称；单位；2025年", "1；人均预期寿命；岁；80"]              # an indicator table is no task list


# ---------------------------------------------------------------------------------------------
# Tables pasted as text
# ---------------------------------------------------------------------------------------------

def test_pasted_pipe_table():
    # issue #17: a task table pasted as text with '|' separators was refused
    doc = """某区2023年重点工作任务分解
| 序号 | 工作任务 | 牵头单位 | 责任单位 |
| --- | --- | --- | --- |
| 一、主要预期目标 | | | |
| 1 | 地区生产总值增长6.2%左右 | 区发改局 | 立山经济开发区，全区经济运行各专班 |
| 2 | 规模上工业增加值增长5%左右 | 区工信局 | 立山经济开发区 |
"""
    assert pasted_tables("a | b\n")  == "a | b"              # one '|' is no table
    text, data = draft(doc)
    t = tasks(data)
    assert [x["title"] for x in t] == ["地区生产总值增长6.2%左右", "规模上工业增加值增长5%左右"]
    assert t[0]["lead"] == ["区发改局"] and t[0]["responsible"] == ["立山经济开发区", "全区经济运行各专班"]


@pytest.mark.parametrize("name", ["gz-talent-2012.docx", "lingbi-health-2021.docx", "suining-lifespan-2025.docx",
                                  "wendeng-digital-2021.docx", "lishan-pasted-2023.md"])
def test_corpus_tables_are_read(name):
    from pathlib import Path
    path = Path(__file__).parent / "fixtures" / "extract" / "corpus" / name
    counts = {"gz-talent-2012.docx": 44, "lingbi-health-2021.docx": 5, "suining-lifespan-2025.docx": 8,
              "wendeng-digital-2021.docx": 2, "lishan-pasted-2023.md": 6}
    _, data = draft(read_document(path))
    assert len(data["task"]) == counts[name]
    assert all(x.get("lead") for x in data["task"])


# ---------------------------------------------------------------------------------------------
# Held out, second set (tests/fixtures/extract/heldout2): layouts the first run refused or misread
# ---------------------------------------------------------------------------------------------

def test_unnumbered_items_each_followed_by_their_unit_lines():
    # Tongzhou 2023 民生实事: no numbers; each item is followed by 责任单位 and 完成期限 lines
    doc = ("《2023年通州区重要民生实事项目》提到关于集团化办理、配套小学、心理健康教育,详情见下:\n"
           "全区集团化办学覆盖率达到60%以上,进一步优化教育资源布局、促进区域教育优质均衡发展水平提升\n"
           "责任单位:区教委\n完成期限:2023年12月底前\n"
           "建成台湖公租房配套小学,提供学位1200个,解决入学难问题\n责任单位:区教委\n完成期限:2023年12月底前\n")
    text, data = draft(doc)
    assert data["plan"][0]["title"] == "2023年通州区重要民生实事项目"
    assert [t["title"][:11] for t in tasks(data)] == ["全区集团化办学覆盖率达", "建成台湖公租房配套小学"]
    assert all(t["responsible"] == ["区教委"] and "lead" not in t for t in tasks(data))
    assert [t["due"] for t in tasks(data)] == ["2023年12月底前"] * 2
    assert [(i["target"], i["unit"]) for i in tasks(data)[1]["indicator"]] == [(1200, "个")]


def test_unnumbered_lines_in_a_numbered_plan_stay_with_their_item():
    doc = "某县2023年工作要点\n一、重点任务\n1.推进甲工作。\n补充说明一段。\n牵头单位：县民政局\n"
    _, data = draft(doc)
    assert [t["title"] for t in tasks(data)] == ["推进甲工作"]


def test_a_part_named_for_tasks_and_targets_with_items_under_it():
    # Zhuanglang 2022: "一、总体目标" (a paragraph) and "二、工作重点和目标" with （一）… under it
    doc = ("2022年全县防汛工作方案\n一、总体目标\n以确保人民群众生命安全为中心,全面落实各项措施。\n二、工作重点和目标\n"
           "(一)山洪防治。各乡镇、水务局、自然资源局要加强对山体滑坡、山洪、泥石流等山洪灾害的危险点检查监测。\n")
    _, data = draft(doc)
    assert [(t["title"], t["responsible"]) for t in tasks(data)] == [("山洪防治", ["各乡镇", "水务局", "自然资源局"])]
    assert data["plan"][0]["end"].year == 2022


def test_an_item_whose_numbered_children_are_its_targets_and_measures_is_one_task():
    # Zhejiang 2023 卫生健康工作要点: （一）/1.主要目标指标/2.重点工作举措/（1）
    doc = ("2023年全省卫生健康工作要点\n一、总体要求\n坚持以人民健康为中心。\n二、主要任务\n(一)实施全民健康促进行动。\n"
           "1.主要目标指标。\n人均预期寿命达82.4岁,居民健康素养水平达39%以上。\n2.重点工作举措。\n"
           "(1)构建卫生健康现代化监测评价指标体系。\n(二)实施公共卫生体系提升行动。\n1.主要目标指标。\n"
           "法定传染病报告率达95%以上。\n2.重点工作举措。\n(1)完善疾病预防控制体系。\n")
    text, data = draft(doc)
    assert [t["title"] for t in tasks(data)] == ["实施全民健康促进行动", "实施公共卫生体系提升行动"]
    assert [(i["target"], i["unit"]) for i in tasks(data)[0]["indicator"]] == [(82.4, "岁"), (39, "%")]
    assert "目标与举措" in task_block(text, "实施全民健康促进行动") and CHECK in task_block(text, "实施全民健康促进行动")


def test_notice_shortening_the_name_printed_above_the_text():
    # Xiamen 2019: the notice says "关于印发聚焦…若干措施的通知"; the name above the text is the full one
    doc = ("厦门市人民政府办公厅关于印发聚焦企业关切进一步落实优化营商环境政策若干措施的通知\n厦府办〔2019〕10号\n"
           "厦门市人民政府办公厅\n2019116\n厦门市聚焦企业关切进一步落实\n优化营商环境政策的若干措施\n"
           "为全面贯彻落实有关精神,现提出若干具体措施。\n一、坚决破除各种不合理门槛和限制\n"
           "(一)推进完善PPP健康运行长效机制和基础性制度建设。\n责任单位:市发改委、市财政局(第一责任单位为牵头单位,下同)\n"
           "时限要求:持续推进\n(二)严格落实全省统一的招投标政策。\n责任单位:市建设局\n时限要求:持续推进\n")
    _, data = draft(doc)
    assert data["plan"][0]["title"] == "厦门市聚焦企业关切进一步落实优化营商环境政策的若干措施"
    assert [(t.get("lead"), t["responsible"]) for t in tasks(data)] == [(["市发改委"], ["市财政局"]), (["市建设局"], [])]


def test_progress_column_of_a_table_is_not_plan_text():
    # Xihu 2024: a 民生实事 table kept with its 进展情况 column; merged 牵头单位 cells
    rows = [["序号", "重点工作任务(民生实事项目)", "牵头单位", "负责科室", "负责人", "计划完成时间", "进展情况(一季度)"],
            ["1", "新增老年食堂(助餐点)15个", "区民政局", "养老服务科", "何滢", "11月底前", "其中翠苑街道2个,其中3个点位已完成建设。"]]
    lines = table_lines(rows)
    assert lines[-1].startswith("1、新增老年食堂(助餐点)15个") and "进展" not in lines[-1] and "翠苑" not in lines[-1]
    assert "〔牵头单位：区民政局〕" in lines[-1]


def test_long_title_is_not_cut_inside_a_bracket():
    # the environment duty list (heldout2): the score note in brackets is detail, not half the title
    from supervise.extract.text import title_and_rest
    title, rest, unsure = title_and_rest("各乡镇政府继续推进2个生态文明村建设工作（1分，按照创建标准要求，申报材料齐全得满分，"
                                         "缺1项扣0.1分）。各乡镇创建材料在6月末交到县环保局。")
    assert title == "各乡镇政府继续推进2个生态文明村建设工作" and unsure
    assert rest.startswith("（1分，") and rest.endswith("交到县环保局。")


def test_page_heading_giving_the_notice_without_its_closing_words():
    # Shanxi 2017 (heldout2): "晋政办发〔2017〕55号 山西省人民政府办公厅关于印发X工作方案" (no 的通知)
    doc = ("晋政办发〔2017〕55号 山西省人民政府办公厅关于印发山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案\n"
           "各市、县人民政府,省人民政府各委、办、厅、局:\n山西省人民政府办公厅\n2017年5月15日\n"
           "山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案\n一、总体要求\n全面贯彻落实。\n二、重点任务与分工\n"
           "(一)强化基础设施支撑。\n1.加快推进综合交通运输网络建设。构建现代城际交通运输网络。\n")
    _, data = draft(doc)
    plan = data["plan"][0]
    assert plan["title"] == "山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案"
    assert (plan["start"].year, plan["end"].year) == (2016, 2020) and plan["issued_by"] == "山西省人民政府办公厅"


def test_unit_cell_naming_one_unit_a_line(tmp_path):
    # Dazhu 2016 (heldout3): a real 民生实事 table whose 责任单位 cells give one unit per line, and one 序号
    # and one unit merged over two items
    doc = docx.Document()
    doc.add_paragraph("2016年民生实事目标任务分解表")
    table = doc.add_table(rows=0, cols=4)
    _row(table, ["序号", "民生实事", "责任单位", "完成时限"])
    _row(table, ["1", "启动建设东柳河城区段综合治理工程和东湖湿地公园。", "县水务局\n县住建局\n县护城河指挥部", "12月底前"])
    first = _row(table, ["5", "开工建设县老年养护楼。", "县民政局", "5月底前动工"])
    second = _row(table, ["", "开工建设老年大学。", "", "12月底前"])
    first.cells[0].merge(second.cells[0]).text = "5"
    first.cells[2].merge(second.cells[2]).text = "县民政局"
    _row(table, ["2", "新建2座人行天桥。", "县住建局\n", "9月投入使用"])
    path = tmp_path / "dazhu.docx"
    doc.save(path)
    _, data = draft(read_document(path))
    assert [(t["title"], t["responsible"]) for t in tasks(data)] == [
        ("启动建设东柳河城区段综合治理工程和东湖湿地公园", ["县水务局", "县住建局", "县护城河指挥部"]),
        ("开工建设县老年养护楼", ["县民政局"]), ("开工建设老年大学", ["县民政局"]), ("新建2座人行天桥", ["县住建局"])]
    assert [t["due"] for t in tasks(data)] == ["2016年12月底前", "2016年5月底前", "2016年12月底前", "2016年9月"]
    assert all("lead" not in t for t in tasks(data))          # only 责任单位: no lead made up


def test_current_progress_column_is_not_plan_text():
    # Cangnan 2022 (heldout3): a 民生实事 progress table; its 当前进度 percentages are no targets
    lines = table_lines([["序号", "项目内容", "当前进度", "牵头单位", "备注"],
                         ["1", "新(改、扩)建公办园5所,新增公办幼儿学位1000个。", "80%(新区实验幼儿园进度滞后)", "县教育局", "市民生实事"]])
    assert "80%" not in lines[-1] and "〔牵头单位：县教育局〕" in lines[-1]
    _, data = draft("2022年度民生实事项目\n" + "\n".join(lines))
    assert [(i["target"], i["unit"]) for i in tasks(data)[0]["indicator"]] == [(5, "所"), (1000, "个")]


def test_measures_written_on_in_one_paragraph_each_with_its_units():
    # Chizhou 2017 (heldout3): "1.深化商事制度改革。(1)…(市工商质监局牵头负责)(2)…(市工商质监局牵头负责)"
    doc = ("池州市人民政府关于创优“四最”营商环境的实施意见(池政〔2017〕101号)\n现提出如下实施意见。\n一、持续减少审批事项\n"
           "1.深化商事制度改革。(1)全面落实“多证合一、一照一码”改革。全面实行“多证合一、一照一码”。(市工商质监局牵头负责)"
           "(2)完善企业登记全程电子化。推行全程电子化登记。(市工商质监局牵头负责)\n")
    _, data = draft(doc)
    assert data["plan"][0]["title"] == "池州市人民政府关于创优“四最”营商环境的实施意见"      # the number is not the name
    assert [(t["title"], t["lead"]) for t in tasks(data)] == [
        ("全面落实“多证合一、一照一码”改革", ["市工商质监局"]), ("完善企业登记全程电子化", ["市工商质监局"])]


def test_title_whose_issuer_is_printed_on_the_line_above():
    # Jining (heldout3): "济宁市人民政府 / 关于进一步做好新形势下就业创业工作的意见"
    doc = ("济宁市人民政府\n关于进一步做好新形势下就业创业工作的意见\n各县(市、区)人民政府:\n现提出以下意见:\n"
           "一、深入实施就业优先战略\n1.坚持就业优先发展战略。各级政府要把稳定和扩大就业作为优先选项。(市发展改革委牵头,市统计局参加)\n")
    _, data = draft(doc)
    assert data["plan"][0]["title"] == "济宁市人民政府关于进一步做好新形势下就业创业工作的意见"
    assert tasks(data)[0]["responsible"] == ["市统计局"]


def test_table_with_fuze_units_column():
    # Suining 2017 (heldout4): a real 任务分工表 whose unit column is 负责单位 (refused before: no unit column found)
    lines = table_lines([["序号", "工作任务", "负责单位", "时间进度"],
                         ["1", "推动成立市旅游发展委员会,进一步强化旅游部门统筹协调能力和综合职能作用。",
                          "市旅游局、市政府办公室、市委编办、市直相关部门。", "2017年8月份前完成"],
                         ["3", "强化资源整合和资本运作,探索推进天遂文旅集团专业管理或合作经营发展模式。",
                          "市国资委、市旅游局、遂宁发展公司。", "持续实施"]])
    _, data = draft("\n".join(lines))
    assert [(t["title"], t["responsible"]) for t in tasks(data)] == [
        ("推动成立市旅游发展委员会，进一步强化旅游部门统筹协调能力和综合职能作用", ["市旅游局", "市政府办公室", "市委编办", "市直相关部门"]),
        ("强化资源整合和资本运作，探索推进天遂文旅集团专业管理或合作经营发展模式", ["市国资委", "市旅游局", "遂宁发展公司"])]
    assert tasks(data)[0]["due"] == "2017年8月份前"


def test_task_table_without_unit_columns(tmp_path):
    # Wuhan 2022 (heldout4, laid out as a table): 序号 / 类别 / 工作任务 and no unit column; the 类别 cell
    # "(一)…" is written with ASCII brackets
    doc = docx.Document()
    doc.add_paragraph("2022年武汉交通运输工作要点")
    table = doc.add_table(rows=0, cols=3)
    _row(table, ["序号", "类别", "工作任务"])
    first = _row(table, ["1", "(一)统筹好全市交通强国战略实施", "紧紧围绕上级赋予武汉的战略任务,争取省市及相关部门大力支持。"])
    second = _row(table, ["2", "", "全面实施武汉综合交通运输“十四五”等4个规划。"])
    first.cells[1].merge(second.cells[1]).text = "(一)统筹好全市交通强国战略实施"
    _row(table, ["3", "(二)落实好省级交通强国试点任务", "紧盯交通运输部批复我省交通强国建设试点目标。"])
    path = tmp_path / "wuhan.docx"
    doc.save(path)
    _, data = draft(read_document(path))
    assert [(t["title"][:10], t["section"]) for t in tasks(data)] == [
        ("紧紧围绕上级赋予武汉", "（一）统筹好全市交通强国战略实施"), ("全面实施武汉综合交通", "（一）统筹好全市交通强国战略实施"),
        ("紧盯交通运输部批复我", "（二）落实好省级交通强国试点任务")]


def test_units_labelled_at_the_end_of_the_item_s_heading_line():
    # Qiongzhong 2022 (heldout4): "(一)适龄女生HPV疫苗接种牵头责任部门:县卫生健康委员会", then a progress paragraph
    doc = ("2022年县委、县政府为民办实事事项4月份进展情况通报\n一、进展情况\n"
           "(一)适龄女生HPV疫苗接种牵头责任部门:县卫生健康委员会\n已完成1剂次接种,共1800剂次(年度任务1800剂次)\n"
           "(二)新生儿先天性心脏病筛查与诊治牵头责任部门:县卫生健康委员会\n截至428,我县出生人数274人\n")
    _, data = draft(doc)
    assert [t["lead"] for t in tasks(data)] == [["县卫生健康委员会"], ["县卫生健康委员会"]]
    assert tasks(data)[0]["title"].startswith("适龄女生HPV疫苗接种") and "牵头" not in tasks(data)[0]["title"]
    assert tasks(data)[1]["title"].startswith("新生儿先天性心脏病筛查与诊治") and "牵头" not in tasks(data)[1]["title"]


def test_a_list_numbered_yi_er_with_nothing_under_its_items():
    # Jingzhou 2023 (heldout4): a 人大 announcement listing ten 民生实事 projects 一、…十、 (refused before); the
    # items are tasks, marked for checking
    doc = ("荆州区第七届人民代表大会第二次会议于2022年12月27日投票表决,确定区政府2023年民生实事项目为10项,分别是:\n"
           "一、新民社区“共同缔造”建设项目;\n二、新、改建移动公厕项目;\n七、荆州区农村生活污水治理工程(一期);\n"
           "十、基层社区卫生服务站和农村卫生室整体达标建设项目。\n现予以公告。\n")
    text, data = draft(doc)
    assert [t["title"] for t in tasks(data)] == ["新民社区“共同缔造”建设项目", "新、改建移动公厕项目", "荆州区农村生活污水治理工程（一期）",
                                                "基层社区卫生服务站和农村卫生室整体达标建设项目"]
    assert text.count("其下无子项，按任务提取") == 4


def test_pasted_row_whose_unit_cell_was_merged_above():
    # Taishun 2024 (heldout4): the page gives rows under a merged 牵头单位 one cell fewer, 落实情况 moved left
    doc = """2024年4月省政府民生实事项目进展情况汇总表
序号 | 项目内容 | 月度工作计划 | 牵头单位 | 落实情况 |
1 | 为全县60岁以上老年人免费接种流感疫苗24723人。 | 4月:制定并下发工作方案。 | 县卫生健康局 | 已完成。 |
3 | 在公共场所新增配置自动体外除颤仪47台。 | 4月:公布采购意向公告。 | 已完成。 3月11日公开意向采购公告。 | |
4 | 培训应急救护人员235人。 | 4月:完成应急救护人员培训65人。 | 县红十字会 | 已完成。 |
"""
    _, data = draft(doc)
    assert [t.get("lead") for t in tasks(data)] == [["县卫生健康局"], ["县卫生健康局"], ["县红十字会"]]
    assert all("已完成" not in t["title"] for t in tasks(data))


def test_a_line_ending_in_a_colon_is_no_plan_name():
    # Jingzhou 2023 (heldout4): "…确定区政府2023年民生实事项目为10项,分别是:" opens the list; the year of the
    # projects, 2023, is the plan's end (the vote is dated 2022)
    doc = ("荆州区第七届人民代表大会第二次会议于2022年12月27日投票表决,确定区政府2023年民生实事项目为10项,分别是:\n"
           "一、新民社区“共同缔造”建设项目;\n二、新、改建移动公厕项目。\n")
    _, data = draft(doc)
    assert "title" not in data["plan"][0]
    assert data["plan"][0]["end"] == date(2023, 12, 31)


def test_a_progress_report_gives_its_items_without_the_progress():
    # Qiongzhong 2022 (heldout4): "一、进展情况" reports on each item; what is written under an item is progress
    # (274人, 1.46% …), no targets and no dates; the year's figure it restates ("年度任务1800剂次") is the plan's
    doc = ("2022年县委、县政府为民办实事事项4月份进展情况通报\n一、进展情况\n"
           "(一)适龄女生HPV疫苗接种牵头责任部门:县卫生健康委员会\n"
           "截至202241,已完成1剂次接种,共1800剂次(年度任务1800剂次),完成率100%\n"
           "(二)新生儿先天性心脏病筛查与诊治牵头责任部门:县卫生健康委员会\n"
           "截至428,我县出生人数274人,已完成筛查263人,确诊阳性4人,筛查先天性心脏病发病率1.46%,无心脏病死亡病例\n")
    text, data = draft(doc)
    assert [t["title"] for t in tasks(data)] == ["适龄女生HPV疫苗接种", "新生儿先天性心脏病筛查与诊治"]
    assert [(i["target"], i["unit"]) for i in tasks(data)[0]["indicator"]] == [(1800, "剂次")]
    assert "indicator" not in tasks(data)[1]
    assert text.count("为进展通报") == 2


def test_a_responsible_office_column_is_a_unit_column():
    # Sizhoutou 2024 (heldout5): 责任科室 holds the unit, 责任领导 a person (no unit)
    lines = table_lines([
        ["序号", "重点工作", "责任领导", "责任科室", "攻坚目标任务"],
        ["1", "白仙山水库工程政策处理", "欧乾震", "白仙山水库工程政策处理工作领导小组", "完成项目政策处理工作。"],
    ])
    _, data = draft("\n".join(["泗洲头镇2024年度重点工作计划", *lines]))
    task = tasks(data)[0]
    assert task["title"] == "白仙山水库工程政策处理"
    assert task["responsible"] == ["白仙山水库工程政策处理工作领导小组"] and "lead" not in task


def test_plan_name_from_a_page_heading_that_is_the_notice_and_from_a_为民办实事_heading():
    # Beijing 2016 (heldout5): the heading is the notice after its number; the plan is the name inside 〈〉
    _, data = draft("京政办发〔2016〕26号《北京市人民政府办公厅关于印发〈北京市2016年政务公开工作要点〉的通知》\n"
                    "各区人民政府:\n一、围绕深化改革推进公开\n（一）进一步推进权力清单和责任清单公开\n"
                    "对权力清单进行动态调整。")
    assert data["plan"][0]["title"] == "北京市2016年政务公开工作要点"
    # Haimen 2020 (heldout5): a bureau's list headed "…为民办实事"
    _, data = draft("教育体育局2020年为民办实事\n1.开工建设新城小学。\n2.实施教育装备提升工程。")
    assert data["plan"][0]["title"] == "教育体育局2020年为民办实事"
    # a notice cited inside a sentence is not the plan's name
    _, data = draft("某县2021年重点工作任务\n根据《省政府关于印发〈甲方案〉的通知》精神，制定本任务。\n1.开工建设新城小学。")
    assert data["plan"][0]["title"] == "某县2021年重点工作任务"
