"""Unit phrases (supervise.extract.units): each case is a unit bracket as a real plan writes it.

Sources: the corpus in tests/fixtures/extract/ (each .source file gives the address) and the
examples quoted in issue #17.
"""

from __future__ import annotations

import pytest

from supervise.extract.text import clean
from supervise.extract.units import FIRST_LEADS, find_units, looks_like_unit, split_names, subject_units


def units(text: str, **kw):
    found = find_units(clean(text), **kw)
    assert found is not None, text
    return found


@pytest.mark.parametrize("text, lead, responsible", [
    # Guangzhou 人才集聚工程: labelled, comma between the labels
    ("（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，各区、县级市）",
     ["市发展改革委"], ["市委组织部", "市人力资源和社会保障局", "各区、县级市"]),
    # Shenyang: 〔 〕 and ；
    ("〔牵头单位：市民政局；责任单位：市人力资源社会保障局、市卫生健康委、各区县（市）政府〕",
     ["市民政局"], ["市人力资源社会保障局", "市卫生健康委", "各区县（市）政府"]),
    # Weihai 2021: formula with several leads
    ("（市工业和信息化局、市科技局、市发展改革委牵头，各区市政府、开发区管委配合）",
     ["市工业和信息化局", "市科技局", "市发展改革委"], ["各区市政府", "开发区管委"]),
    # issue #17: the formula that made a document refused
    ("（省政务局牵头，省直相关部门及各市州人民政府按职责分工负责）",
     ["省政务局"], ["省直相关部门", "各市州人民政府"]),
    # Xianyang 2022 (newton.com.tw copy, traditional characters written back as simplified): two leads
    ("（市政府办公室、市行政审批制度改革工作领导小组办公室牵头，市级各有关部门及各县市区政府按职责分工负责）",
     ["市政府办公室", "市行政审批制度改革工作领导小组办公室"], ["市级各有关部门", "各县市区政府"]),
    # Hunan 2019: the persons who answer for it are not units
    ("（分管副省长、协管副秘书长负责，省发展改革委牵头，省工业和信息化厅、省统计局配合）",
     ["省发展改革委"], ["省工业和信息化厅", "省统计局"]),
    # Lingbi 2021: 牵头责任单位 / 主要协作单位
    ("〔牵头责任单位：县卫健委、县民政局；主要协作单位：各乡镇人民政府、经济开发区管委会，县政府有关部门、有关直属单位〕",
     ["县卫健委", "县民政局"], ["各乡镇人民政府", "经济开发区管委会", "县政府有关部门", "有关直属单位"]),
    # Xialu 2020: square brackets
    ("[牵头单位:区卫健局、区创文办;责任单位:区疫情防控指挥部成员单位、各街办(新区)]",
     ["区卫健局", "区创文办"], ["区疫情防控指挥部成员单位", "各街办（新区）"]),
    # Suining 2025: "…县交警大队等单位，各乡镇人民政府"
    ("〔牵头单位：县卫健局；责任单位：县应急局、县交警大队等单位，各乡镇人民政府〕",
     ["县卫健局"], ["县应急局", "县交警大队", "各乡镇人民政府"]),
    # Guangzhou: "各项目牵头单位" is a unit group, not a formula
    ("（牵头单位：市委组织部，配合单位：各项目牵头单位，各区、县级市）",
     ["市委组织部"], ["各项目牵头单位", "各区、县级市"]),
])
def test_unit_lists(text, lead, responsible):
    found = units("任务。" + text)
    assert list(found.lead) == lead
    assert list(found.responsible) == responsible
    assert not found.leftover


def test_text_inside_the_bracket_is_not_a_unit():
    # issue #17: "…湘西经开区管委会,6月底完成" — the deadline goes back to the task text, marked
    found = units("完成整治。（责任单位：州住房城乡建设局，各县市人民政府、湘西经开区管委会,6月底完成）")
    assert "6月底完成" not in found.responsible
    assert found.leftover == "6月底完成"
    assert "不是单位" in found.unsure


def test_a_rule_for_the_later_tasks_is_not_a_unit():
    # Weihai 2023 (issue #17): the sentence after the list applies to the tasks that follow
    found = units("深化政务服务“网上办”。（牵头单位:市行政审批服务局;责任单位:市直有关部门、单位,各区市政府、开发区管委。"
                  "以下任务均需各区市政府、开发区管委落实,不再一一列出）")
    assert found.lead == ("市行政审批服务局",)
    assert found.responsible == ("市直有关部门、单位", "各区市政府", "开发区管委")
    assert found.carry == ("各区市政府", "开发区管委")
    assert "不再一一列出" in found.carry_text
    # Sichuan 2022 (issue #17): "…，不再做分工，下同"
    found = units("加强市场体系建设。〔责任单位:省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。"
                  "具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕")
    assert found.responsible == ("省发展改革委", "省市场监管局", "商务厅", "省大数据中心")
    assert found.carry == ("相关市（州）人民政府",)


def test_no_lead_is_made_up():
    # Qidong 2020: only 责任单位 is given
    found = units("落实养老服务设施布局规划。（责任单位：自然资源局、民政局、财政局）")
    assert found.lead == () and found.no_lead
    assert found.responsible == ("自然资源局", "民政局", "财政局")
    assert "未写牵头单位" in found.unsure
    # a bare list names no lead either
    assert units("推广智能设备。（市民政局、市财政局）").lead == ()
    # …unless the document itself says the first-listed unit leads (Hangzhou 2020's notice)
    found = units("推广智能设备。（市民政局、市财政局）", first_leads=True)
    assert found.lead == ("市民政局",) and found.responsible == ("市财政局",)
    assert "列第一位" in found.unsure
    assert FIRST_LEADS.search("责任分解中，列第一位的责任单位为牵头单位或汇总单位。")
    assert FIRST_LEADS.search("各牵头单位（无牵头单位的，责任单位即为牵头单位，下同）")


@pytest.mark.parametrize("text", ["出台管理办法（试行）。", "完成规划编制（2021—2023年）。", "建设平台（简称“一网通”）。"])
def test_brackets_that_are_not_unit_lists(text):
    assert find_units(clean(text)) is None


def test_names():
    assert split_names("市民政局、市财政局等") == ["市民政局", "市财政局"]
    assert split_names("各区、县级市") == ["各区、县级市"]
    assert split_names("市直有关部门、单位，各区市政府") == ["市直有关部门、单位", "各区市政府"]
    assert split_names("各县（市、区）人民政府、市民政局") == ["各县（市、区）人民政府", "市民政局"]
    assert split_names("省大数据中心按职责分工负责") == ["省大数据中心"]
    for name in ["市人力资源和社会保障局", "团市委", "市科协", "越秀区", "各地", "各部门", "全区经济运行各专班", "税务局"]:
        assert looks_like_unit(name), name
    for clause in ["6月底完成", "不再一一列出", "下同", "试行", "加强协调配合，形成工作合力"]:
        assert not looks_like_unit(clause), clause


# ---------------------------------------------------------------------------------------------
# Held out, second set (tests/fixtures/extract/heldout2): forms the first run did not read
# ---------------------------------------------------------------------------------------------

def test_formula_in_square_brackets_closed_twice_with_a_rule_for_later_tasks():
    # Jiamusi 2018: [X牵头，Y配合，Z负责落实。以下均需…不再列出)] — the copy closes the bracket twice
    text = ("控制用水总量。2018年，省考核范围内用水总量控制在47.38亿立方米。[市水务局牵头,市工信委、城乡建设局配合,"
            "各县(市)区政府负责落实。以下均需各县(市)区政府落实,区政府无相关工作职能的,由市政府直属责任部门负责相关工作,不再列出)]")
    found = units(text)
    assert found.lead == ("市水务局",)
    assert found.responsible == ("市工信委", "城乡建设局", "各县（市）区政府")
    assert found.carry == ("各县（市）区政府",) and found.carry_text.startswith("以下均需")
    assert clean(text)[found.end:] == ""          # the stray closer goes with the bracket


def test_labels_after_a_kind_and_a_rule_after_a_comma_in_an_open_bracket():
    # Jingmen 2021: "（预期性指标,牵头单位:…;责任单位:…,各县市区,以下均需各县市区落实,不再逐" (cut copy)
    text = ("地区生产总值(GDP)总量力争突破3000亿元,年均增长7%以上。(预期性指标,牵头单位:市发改委;"
            "责任单位:市政府有关部门,各县市区,以下均需各县市区落实,不再逐")
    found = units(text)
    assert (found.lead, found.responsible) == (("市发改委",), ("市政府有关部门", "各县市区"))
    assert found.carry == ("各县市区",)
    assert found.leftover == "预期性指标" and "未闭合" in found.unsure
    assert clean(text)[:found.start].endswith("7%以上。")     # the bracket is cut from its opener


def test_first_listed_unit_leads_said_in_a_note_after_the_first_list():
    # Xiamen 2019: "责任单位:市发改委、市财政局(第一责任单位为牵头单位,下同)"
    text = "推进完善PPP健康运行长效机制。责任单位:市发改委、市财政局(第一责任单位为牵头单位,下同)"
    assert FIRST_LEADS.search(clean(text))
    found = units("推进完善。〔" + text.split("。")[1] + "〕", first_leads=True)
    assert (found.lead, found.responsible) == (("市发改委",), ("市财政局",))   # the note is no part of a name
    assert units("（责任单位：市建设局）", first_leads=True).lead == ("市建设局",)


@pytest.mark.parametrize("text, responsible", [
    # an environment duty list (heldout2/eco-duty-county.txt): the unit is the sentence's subject
    ("各乡镇政府继续推进2个生态文明村建设工作(1分,按照创建标准要求,申报材料齐全得满分,缺1项扣0.1分)。", ["各乡镇政府"]),
    ("水务局加强新城自然保护区的建设管理,组织开展自然保护区执法检查1次。", ["水务局"]),
    ("各乡镇汇同环保局完善生态功能保护区划界立标工作。", ["各乡镇", "环保局"]),
    ("农委、畜牧局要加强循环经济试点建设。", ["农委", "畜牧局"]),
    # Zhuanglang 2022: the subject of the sentence after the title
    ("山洪防治。各乡镇、水务局、自然资源局要加强对山体滑坡、山洪、泥石流等山洪灾害的危险点检查监测。",
     ["各乡镇", "水务局", "自然资源局"]),
])
def test_units_that_are_the_subject_of_the_sentence(text, responsible):
    found = subject_units(clean(text))
    assert found is not None and list(found.responsible) == responsible
    assert found.lead == () and found.no_lead and "主语" in found.unsure
    assert found.start == found.end                # nothing is cut from the task text


@pytest.mark.parametrize("text", [
    "推动各街道对辖区内老旧小区开展排查。",       # a verb, then a unit: no subject
    "推进政务服务中心建设。",
    "深化政府采购制度改革。",
    "全市建成10个示范点。",
])
def test_a_sentence_that_opens_with_a_verb_has_no_subject_units(text):
    assert subject_units(clean(text)) is None



def test_places_written_once_with_their_body_are_split_as_elsewhere():
    # Pingdingshan 2018 分解表: split as "和平区、沈河区、…、于洪区政府" is (tests/test_extract.py)
    assert split_names(clean("各县(市、区)党委和人民政府,城乡一体化示范区、高新区党工委和管委会")) == [
        "各县（市、区）党委和人民政府", "城乡一体化示范区", "高新区党工委和管委会"]


def test_units_that_take_part_and_a_duty_written_with_anzhao():
    # Jining (heldout3): "…牵头，…、国家统计局济宁调查队参加" — 参加 is a duty word like 参与; the last unit is kept
    found = units("坚持就业优先发展战略。(市发展改革委、市人力资源社会保障局牵头,市委组织部、市统计局、国家统计局济宁调查队参加)")
    assert list(found.lead) == ["市发展改革委", "市人力资源社会保障局"]
    assert list(found.responsible) == ["市委组织部", "市统计局", "国家统计局济宁调查队"]
    assert units("任务。（参加单位：市统计局）").responsible == ("市统计局",)


def test_first_listed_unit_leads_said_with_zhe_inside_the_bracket():
    # Shanghai 2017 (heldout3): "…等按照职责分工负责。列第一位者为牵头单位，下同" in the first task's bracket
    text = ("促进经济增长与扩大就业联动。实施就业优先战略。(市发展改革委、市财政局、市经济信息化委、市商务委、人民银行上海总部、"
            "市地税局等按照职责分工负责。列第一位者为牵头单位,下同)")
    assert FIRST_LEADS.search(clean(text))
    found = units(text, first_leads=True)
    assert list(found.lead) == ["市发展改革委"]
    assert list(found.responsible) == ["市财政局", "市经济信息化委", "市商务委", "人民银行上海总部", "市地税局"]
    assert units(text).lead == ()          # without the document's rule no lead is made up


def test_an_office_s_own_sections_named_by_a_label():
    # Wuhu 2024 (heldout4): a bureau's 工作要点 names its own 科室: "(责任科室:组干科、机关党委)"
    found = units("加强思想理论武装。落实中心组学习列席旁听制度。(责任科室:组干科、机关党委)")
    assert found.lead == () and list(found.responsible) == ["组干科", "机关党委"]


def test_units_labelled_fuze():
    # Suining 2017 (heldout4): a table's 负责单位 column, read as a label like 责任单位 (no lead)
    found = units("推动成立市旅游发展委员会。〔负责单位：市旅游局、市政府办公室、市委编办、市直相关部门。〕")
    assert found.lead == () and list(found.responsible) == ["市旅游局", "市政府办公室", "市委编办", "市直相关部门"]
