"""Date phrases and target phrases (supervise.extract.deadlines, .targets), with examples from real plans."""

from __future__ import annotations

from datetime import date

import pytest

from supervise.extract.deadlines import _period, find_dates
from supervise.extract.targets import find_quantities


# ---------------------------------------------------------------------------------------------
# The plan's period
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, span", [
    ("沈阳市推动品质养老三年行动计划（2021—2023年）", (2021, 2023)),
    ("宁波市养老服务提质提升三年行动计划（2021~2023年）", (2021, 2023)),
    ("四川省“十四五”现代流通体系建设实施方案", (2021, 2025)),          # issue #17: a 十四五 plan became 2022
    ("政府工作报告“十四五”时期重点工作责任分解", (2021, 2025)),
    ("菏泽市定陶区安全生产“十三五”规划", (2016, 2020)),
    ("2012年起5年内，大力实施六大人才行动计划", (2012, 2016)),          # Guangzhou 2012
])
def test_periods(text, span):
    first, last = _period(text)
    assert (first, last) == (date(span[0], 1, 1), date(span[1], 12, 31))


def test_single_year_titles():
    assert _period("数字威海2021行动方案", single=True) == (date(2021, 1, 1), date(2021, 12, 31))
    assert _period("沈阳市推动品质养老2021年重点工作任务", single=True) == (date(2021, 1, 1), date(2021, 12, 31))
    assert _period("落实《意见》（国办发〔2019〕39号）", single=False) is None


# ---------------------------------------------------------------------------------------------
# Deadlines in task text
# ---------------------------------------------------------------------------------------------

def phrases(text: str, year: int = 2021, single: bool = False) -> list[tuple[str, bool]]:
    return [(d.phrase, d.guessed_year) for d in find_dates(text, year, single)]


def test_deadlines():
    assert phrases("到2023年底，培训2万名以上") == [("2023年底", False)]
    assert phrases("2022年10月底前编制并公布清单") == [("2022年10月底前", False)]
    assert phrases("12月底前出台实施方案", single=True) == [("2021年12月底前", False)]
    assert phrases("年底前基本实现在线办事", year=2023, single=True) == [("2023年底", False)]
    # issue #17: 今年内 was missed; in a plan of several years it is the start year, marked
    assert phrases("今年内新建基站1500个", year=2021, single=True) == [("2021年底", False)]
    assert phrases("今年内完成改造", year=2021) == [("2021年底", True)]
    assert phrases("年内新建基站1500个以上", year=2021, single=True) == [("2021年底", False)]
    # a year that is named, not a deadline
    assert phrases("印发2021年重点工作任务") == []


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------

def targets(text: str) -> list[tuple]:
    return [(q.name, q.target, q.unit) for q in find_quantities(text) if not q.one_off]


def test_targets():
    assert targets("到2023年底，培训2万名以上的家庭照护者") == [("培训家庭照护者", 20000, "人")]   # Shenyang
    assert targets("5年内重点引进和培养1万名左右具有博士、硕士学位的企业紧缺人才") == [
        ("5年内重点引进和培养具有博士、硕士学位的企业紧缺人才", 10000, "人")]                       # Guangzhou
    assert targets("年内新建基站1500个以上，全市5G基站数量达到3500个以上") == [
        ("年内新建基站", 1500, "个"), ("全市5G基站数量", 3500, "个")]                            # Weihai 2021


def test_ranges_are_kept_and_marked():
    # issue #17: "1-2家" was dropped as a one-off
    found = find_quantities("每个县培育龙头企业1-2家")
    assert [(q.target, q.unit, q.one_off) for q in found] == [(1, "家", False)]
    assert "区间1-2" in found[0].unsure
    # "建有1所" stays a deliverable, not a target
    assert [q.one_off for q in find_quantities("每个区县至少建有1所")] == [True]


def test_qualifiers_are_not_targets():
    # issue #17: "设置床位150张以上的…应内设医务室" became an unflagged indicator
    assert targets("设置床位150张以上的养老机构应内设医务室") == []
    assert targets("100张床位以上的养老机构要配备专职医生") == []
    assert [(t, u) for _, t, u in targets("9个区的100个社区")] == [(100, "个")]          # Shenyang


# ---------------------------------------------------------------------------------------------
# Held out, second set (tests/fixtures/extract/heldout2)
# ---------------------------------------------------------------------------------------------

def test_period_of_a_five_year_plan_written_out():
    # Jingmen 2021: "第十四个五年规划和2035年远景目标纲要" is 2021-2025, not 2035
    first, last = _period("荆门市国民经济和社会发展第十四个五年规划和2035年远景目标纲要任务分工方案", single=True)
    assert (first, last) == (date(2021, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize("text, expected", [
    # Jiamusi 2018
    ("2018年,省考核范围内用水总量控制在47.38亿立方米。", [(47.38, "亿立方米", "down")]),
    # Zhejiang 2023: an age and a sum reached are targets
    ("人均预期寿命达82.4岁,居民健康素养水平达39%以上,人均基本公共卫生服务经费达102元以上",
     [(82.4, "岁", "up"), (39, "%", "up"), (102, "元", "up")]),
    # Jingmen 2021
    ("地区生产总值(GDP)总量力争突破3000亿元,年均增长7%以上。", [(3000, "亿元", "up"), (7, "%", "up")]),
    # Xihu 2024
    ("开展“金西善养”系列为老服务活动300场次", [(300, "场次", "up")]),
    # Suining 2025 / Shenyang 2021: an age group and a subsidy are not targets
    ("5岁以下儿童死亡率", []),
    ("给予4-6万元的一次性入职补贴。", []),
])
def test_targets_with_measures_ages_sums_and_sessions(text, expected):
    from supervise.extract.text import clean
    found = [(q.target, q.unit, q.direction) for q in find_quantities(clean(text))]
    assert found == expected


@pytest.mark.parametrize("text, expected", [
    # Yancheng 2024 (heldout3): livestock counted in 万头, like 万亩 and 万吨
    ("能繁母猪存栏量稳定在25万头以上、规模养殖场保有量稳定在1400家以上,水产品产量达125万吨。",
     [(25, "万头", "up"), (1400, "家", "up"), (125, "万吨", "up")]),
    # Cangnan 2022 (heldout3): school places and loudspeakers
    ("建成投用中小学3所,新增学位3800位。", [(3, "所", "up"), (3800, "位", "up")]),
    ("完成县应急广播指挥中心、18个乡镇应急广播分控中心、376个村居广播室和752只可控IP化高音喇叭建设",
     [(18, "个", "up"), (376, "个", "up"), (752, "只", "up")]),
    # Weifeng school (heldout3): teaching hours
    ("落实环境教育课程,每学年≥12课时。", [(12, "课时", "up")]),
    # 位 and 只 as words, not units
    ("列第一位者为牵头单位", []),
])
def test_targets_counted_in_heads_places_pieces_and_hours(text, expected):
    from supervise.extract.text import clean
    assert [(q.target, q.unit, q.direction) for q in find_quantities(clean(text))] == expected


def test_a_bare_month_is_a_deadline_only_as_the_stated_time_limit():
    # Dazhu 2016 (heldout3): the 完成时限 cell "9月投入使用"
    assert phrases("新建2座人行天桥。完成时限：9月投入使用。", year=2016, single=True) == [("2016年9月", False)]
    assert phrases("9月召开推进会。", year=2016, single=True) == []


@pytest.mark.parametrize("text, expected", [
    # Wuhan 2022 and Suining 2017 (heldout4): a sum reached with what is reached named between the verb and it
    ("研究实施交通重大项目建设三年行动,稳投资、抓项目、促发展。力争完成年度投资536亿元。", [(536, "亿元", "up")]),
    ("“十三五”期间,每年力争完成旅游项目投资30亿元以上。", [(30, "亿元", "up")]),
    # still no target: a subsidy given, not a level reached
    ("给予4-6万元的一次性入职补贴", []),
    # Qiongzhong 2022 (heldout4): vaccine doses
    ("年度任务1800剂次", [(1800, "剂次", "up")]),
])
def test_sums_reached_and_doses(text, expected):
    from supervise.extract.text import clean
    assert [(q.target, q.unit, q.direction) for q in find_quantities(clean(text))] == expected


def test_a_planned_start_is_not_a_deadline():
    # Nanzhang 2023 (heldout5): "预计…开工建设" is when works start; the 竣工 month is the deadline
    assert phrases("预计2022年12月开工建设,2023年5月竣工。", year=2023, single=True) == [("2023年5月", False)]
    assert phrases("该项目预计2023年3月开工建设。", year=2023, single=True) == []
    # a limit for the start is still a deadline
    assert phrases("确保6月底前开工建设。", year=2023, single=True) == [("2023年6月底前", False)]


@pytest.mark.parametrize("text, expected", [
    # Nanzhang 2023 (heldout5): "余" between the figure and its unit
    ("冷库库容达15000余立方米,年周转蔬菜达到40000余吨", [(15000, "立方米", "up"), (40000, "吨", "up")]),
    # Yangxian 2024 (heldout5): seedlings counted in 株
    ("种植桂花、紫薇等苗木8000株", [(8000, "株", "up")]),
    # "其余": no figure before it, nothing read
    ("其余任务按期完成", []),
    # the 人居环境 plan (heldout5): the bracket after a figure's noun breaks the total down, its figures are no targets
    ("建设9个精品示范村(省级2个、州级7个)、352个美丽村庄(省级16个、州级12个、市级25个、乡镇级299个),强化分类指导",
     [(9, "个", "up"), (352, "个", "up")]),
    # Nanzhang 2023 (heldout5): a site's size is no target
    ("该项目位于我镇东王内村,总投资120万元,占地500余亩", []),
    ("该项目总投资预计300余万元,占地2000余平方米,冷库库容达15000余立方米", [(15000, "立方米", "up")]),
])
def test_targets_about_a_figure_and_seedlings(text, expected):
    from supervise.extract.text import clean
    assert [(q.target, q.unit, q.direction) for q in find_quantities(clean(text))] == expected
