#!/usr/bin/env python3
"""Generate a synthetic supervision office for benchmarks.

    python bench/gen_office.py --tasks 10000 --seed 1 --out /tmp/office.toml \
        [--progress-out /tmp/progress.json] [--as-of 2023-06-30] [--dense]

Writes a plans.toml that follows docs/spec ``plans-format.md`` (schema = 1, an
``[office]`` table, many ``[[plan]]`` tables with ``[[task]]`` tables and their
``[[task.milestone]]`` / ``[[task.indicator]]`` children).  Wording is built
from word lists taken from real Chinese action plans (沈阳, 宁波, 启东 and
similar), so titles, sections, units and date strings look like the real thing.

Shape, on average:

* plans of 10-120 tasks (mean about 50), 3-8 sections each, ids ``p-0001``;
* plan periods of one to three calendar years, all inside 2020-2024;
* every task has a lead and 0-4 responsible units; due dates use every form of
  the spec's date table (TOML dates, ``"2023年底"``, ``"2022年上半年"``,
  ``"2022年第三季度"``, ``"2021年9月底前"``, ``"2021-09"``,
  ``"2021年12月15日前"``, ...) and are never before the task start;
* about 60 % of tasks carry 1-4 milestones, about 50 % carry 1-3 indicators
  (about 10 % of those ``direction = "down"``), about 10 % carry neither;
* a few details (about 1 %) contain ASCII quotes, backslashes and markup-like
  text, to exercise escaping.

``--dense`` writes the other office of issue 18's comparison instead: every
task has exactly five milestones and exactly one indicator (everything else as
above).  Five milestones use the four stages in order, one stage twice (with
two different titles); their dates still lie between the task's start and due.  Without
``--dense`` the output is byte-identical to what this script wrote before the
option existed (the dense choices draw from the generator only when asked).

``--progress-out`` writes a JSON list of progress actions to replay through the
tool, in chronological order (one object per line)::

    {"kind": "tick",   "task": "p-0001/1.1", "milestone": "a", "on": "2022-03-31"}
    {"kind": "tick",   "task": "p-0001/2.3", "on": "2022-05-20"}   # task without milestones/indicators
    {"kind": "record", "task": "p-0001/1.2", "indicator": "beds", "value": 1200, "on": "2021-12-31"}
    {"kind": "note",   "task": "p-0001/1.4", "text": "……", "on": "2021-10-08"}

About 30 % of milestones (and 30 % of tasks that are their own single
deliverable) are ticked, 40 % of indicators get 1-3 recorded values, 20 % of
tasks get notes; some notes contain hostile text (``|``, ``[red]``, ``*``,
backticks, newlines, quotes, backslashes).  ``--as-of`` drops any progress
dated after that day.

Output is a pure function of ``--tasks``, ``--seed`` and ``--dense`` (the progress list uses
its own generator, so asking for it does not change the TOML).  Standard
library only.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

D = dt.date

# --------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------

CITIES = [
    "沈阳市", "宁波市", "启东市", "大连市", "鞍山市", "抚顺市", "本溪市", "丹东市",
    "锦州市", "营口市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "台州市",
    "南通市", "扬州市", "镇江市", "泰州市", "徐州市", "常州市", "无锡市", "苏州市",
    "济南市", "青岛市", "烟台市", "潍坊市", "合肥市", "芜湖市", "洛阳市", "襄阳市",
    "宜昌市", "株洲市", "湘潭市", "柳州市", "绵阳市", "宝鸡市", "海门市", "如皋市",
]

CN_NUM = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]

TASK_VERBS = [
    "切实提高", "扎实推进", "积极发展", "健全完善", "大力发展", "精心实施", "加快推进",
    "着力提升", "深入开展", "持续优化", "全面落实", "稳步扩大", "探索建立", "加强",
    "强化", "完善", "推动", "深化", "规范", "统筹推进", "全面提升", "有序推进",
    "持续深化", "加快完善", "积极推进", "大力推进", "不断完善", "进一步加强",
]

DETAIL_VERBS = ["推进", "实施", "开展", "落实", "完善", "强化", "统筹推进", "加快"]

DETAIL_MEANS = [
    "依托{carrier}，", "通过政府购买服务的方式，", "坚持政府主导、社会参与，",
    "采取政府补贴等方式，", "结合工作实际，", "按照“{slogan}”的要求，",
    "聚焦群众急难愁盼问题，", "坚持试点先行、分步实施，", "",
]
CARRIERS = [
    "社区综合服务设施", "街道（乡镇）服务中心", "各类社会组织", "市级信息化平台",
    "专业服务机构", "重点项目", "村（社区）服务站点", "龙头企业", "高等院校和职业院校",
]
SLOGANS = [
    "一户一案", "最多跑一次", "放管服", "一网通办", "双随机、一公开", "一件事一次办",
    "线上监测+线下探访", "15分钟服务圈", "应保尽保、应补尽补",
]
DETAIL_EFFECTS = [
    "切实增强群众获得感、幸福感和安全感", "形成可复制可推广的经验做法",
    "确保各项任务落到实处", "不断提升服务质量和水平", "满足多样化、多层次需求",
    "推动工作常态化、制度化", "补齐短板弱项", "建立健全长效管理机制",
    "实现资源共建共享", "提高服务精准度和覆盖面",
]
DETAIL_EXTRA = [
    "各区县（市）要结合实际制定具体实施方案，明确时间表和路线图。",
    "建立工作台账，实行清单化管理、项目化推进。",
    "将工作落实情况纳入年度绩效考核。",
    "定期开展评估，及时总结推广典型经验。",
    "加大财政资金投入，落实相关扶持政策。",
    "强化部门协同，形成工作合力。",
]
# rare hostile details (ASCII quotes, backslash, markup look-alikes)
HOSTILE_DETAILS = [
    'ASCII "引号" 与反斜杠 C:\\temp\\台账 测试；[red]红色[/red] | 管道符 *星号*',
    '含有 [bold]标记[/bold]、`反引号`、<b>尖括号</b> 与 #井号 的说明文字。',
    '第一行说明\n第二行说明\t（含制表符）——“中文引号”与 "English quotes"。',
]

MILESTONE_STAGES = [
    # roughly in the order they happen
    ["开展摸底调查", "建立工作台账", "制定工作方案", "成立工作专班", "完成需求评估"],
    ["出台实施方案", "印发配套政策", "启动试点", "确定试点单位", "完成项目立项", "完成招标采购"],
    ["完成年度目标任务", "开展中期评估", "完成试点评估", "召开现场推进会", "完成主体工程建设"],
    ["全面推开", "竣工验收", "上线运行", "总结验收", "形成长效机制", "完成绩效评价"],
]

UNITS_ALL = [
    "市发展改革委", "市教育局", "市科技局", "市工业和信息化局", "市公安局", "市民政局",
    "市司法局", "市财政局", "市人力资源社会保障局", "市自然资源局", "市生态环境局",
    "市住房城乡建设局", "市城市管理局", "市交通运输局", "市水务局", "市农业农村局",
    "市商务局", "市文化旅游局", "市卫生健康委", "市退役军人局", "市应急局", "市审计局",
    "市国资委", "市市场监管局", "市体育局", "市统计局", "市医保局", "市信访局",
    "市大数据局", "市行政审批局", "市营商环境建设局", "市房产局", "市税务局",
    "市消防救援支队", "市残联", "市总工会", "团市委", "市妇联", "市红十字会",
    "市委宣传部", "市委组织部", "市委网信办", "市文明办", "市委编办", "市金融局",
    "人民银行市中心支行", "市供电公司", "市机关事务局", "市政府办公室", "市政务服务中心",
    "各区县（市）政府", "和平区政府", "沈河区政府", "铁西区政府", "皇姑区政府",
    "大东区政府", "浑南区政府", "于洪区政府", "沈北新区管委会", "苏家屯区政府",
    "新民市政府", "辽中区政府", "康平县政府", "法库县政府",
]
DISTRICTS = UNITS_ALL[UNITS_ALL.index("和平区政府"):]


@dataclass(frozen=True)
class Ind:
    slug: str
    name: str
    unit: str
    kind: str        # count | pct | area
    down: bool = False


@dataclass(frozen=True)
class Domain:
    name: str
    topics: list
    sections: list
    objects: list
    leads: list          # preferred lead units
    tags: list
    inds: list
    office: str


DOMAINS = [
    Domain(
        name="养老",
        topics=["推动品质养老", "养老服务提质提升", "深化居家养老服务", "推进医养结合",
                "发展普惠养老服务", "构建老年友好型城市"],
        sections=["提升居家养老服务品质", "提升社区养老服务品质", "提升机构养老服务品质",
                  "提升医养康养服务品质", "提升养老服务队伍品质", "提升管理服务品质",
                  "居家养老服务提升工程", "社区养老服务提升工程", "机构养老服务提升工程",
                  "线上线下融合工程", "人才科技相辅工程", "养老服务设施提升计划",
                  "养老服务质量提升计划", "保障能力提升计划"],
        objects=["家庭自我照护能力", "政府购买居家养老服务", "农村互助性养老服务",
                 "居家适老化改造", "居家老年人关爱服务", "家庭养老床位建设",
                 "社区居家养老服务设施建设", "养老服务设施功能", "老旧小区养老设施改造",
                 "公办养老机构兜底保障能力", "养老机构公建民营改革", "失能失智照护能力",
                 "优质养老企业引进", "养老机构与医疗机构合作机制", "长期护理保险制度",
                 "养老服务专业人才培养", "养老服务在岗人员培训机制", "养老服务志愿者队伍",
                 "养老服务褒扬机制", "养老服务机构星级评定", "养老机构安全风险防范能力",
                 "智慧养老新模式", "养老服务综合监管机制", "老年助餐服务体系",
                 "老年友好社区建设", "破解老年人“数字鸿沟”", "养老服务消费",
                 "养老服务标准化建设", "认知症照护服务", "特困人员供养服务设施改造提升",
                 "养老服务“时间银行”", "区域养老服务中心建设"],
        leads=["市民政局", "市民政局", "市民政局", "市卫生健康委", "市医保局"],
        tags=["居家", "社区", "机构", "医养结合", "人才", "监管", "智慧养老", "农村", "兜底"],
        inds=[Ind("trained", "培训家庭照护者", "人", "count"),
              Ind("beds", "建设家庭养老床位", "张", "count"),
              Ind("coverage", "政府购买居家养老服务城乡社区覆盖率", "%", "pct"),
              Ind("visit_rate", "特殊困难老年人月探访率", "%", "pct"),
              Ind("renovated", "完成困难老年人家庭适老化改造", "户", "count"),
              Ind("canteens", "建成标准化老年食堂", "个", "count"),
              Ind("meals", "每日享受老年助餐服务", "人次", "count"),
              Ind("area", "新增养老服务设施面积", "万平方米", "area"),
              Ind("nurses", "培训养老护理员", "人次", "count"),
              Ind("literacy", "老年人健康素养水平", "%", "pct"),
              Ind("vacancy", "养老机构床位空置率", "%", "pct", down=True),
              Ind("waiting", "轮候入住公办养老机构老年人", "人", "count", down=True)],
        office="加快推进养老服务工作领导小组办公室",
    ),
    Domain(
        name="卫生健康",
        topics=["提升基层医疗卫生服务能力", "推进健康城市建设", "深化医药卫生体制改革",
                "推进优质医疗资源扩容下沉"],
        sections=["夯实基层医疗卫生服务网络", "提升公共卫生应急能力", "推进优质医疗资源扩容下沉",
                  "深化家庭医生签约服务", "加强卫生健康人才队伍建设", "推进智慧医疗建设",
                  "提升中医药服务能力", "完善医疗保障制度", "健全老年健康服务体系"],
        objects=["家庭医生签约服务", "社区卫生服务中心标准化建设", "紧密型县域医共体建设",
                 "基层医疗机构服务能力", "疾病预防控制体系", "发热门诊规范化建设",
                 "互联网医院建设", "居民电子健康档案管理", "医保支付方式改革", "中医馆建设",
                 "全科医生培养", "村卫生室标准化建设", "慢性病综合防控", "老年健康服务体系",
                 "院前急救网络", "妇幼健康服务能力", "心理健康服务体系", "医疗机构检查检验结果互认"],
        leads=["市卫生健康委", "市卫生健康委", "市卫生健康委", "市医保局"],
        tags=["基层", "公共卫生", "医保", "中医药", "人才", "信息化"],
        inds=[Ind("signing", "家庭医生签约服务覆盖率", "%", "pct"),
              Ind("gps", "培养全科医生", "人", "count"),
              Ind("clinics", "建成标准化村卫生室", "个", "count"),
              Ind("records", "居民电子健康档案建档率", "%", "pct"),
              Ind("visits", "基层医疗卫生机构诊疗", "人次", "count"),
              Ind("oop", "个人卫生支出占卫生总费用比重", "%", "pct", down=True)],
        office="深化医药卫生体制改革领导小组办公室",
    ),
    Domain(
        name="城建",
        topics=["推进城镇老旧小区改造", "实施城市更新", "加快发展保障性租赁住房",
                "推进海绵城市建设"],
        sections=["加快老旧小区综合改造", "完善社区配套设施", "推进保障性租赁住房建设",
                  "提升城市基础设施水平", "加强物业服务管理", "推进绿色建筑发展",
                  "完善城市排水防涝体系", "推动既有住宅加装电梯"],
        objects=["城镇老旧小区改造", "既有住宅加装电梯", "保障性租赁住房筹集",
                 "公共租赁住房保障", "棚户区改造", "城市排水管网改造", "海绵城市建设",
                 "绿色建筑推广", "物业服务覆盖", "社区综合服务设施建设",
                 "城市燃气管道老化更新改造", "背街小巷整治", "口袋公园建设", "停车设施建设",
                 "城市供水管网漏损治理", "建筑垃圾资源化利用"],
        leads=["市住房城乡建设局", "市住房城乡建设局", "市自然资源局", "市城市管理局", "市房产局"],
        tags=["老旧小区", "住房保障", "基础设施", "物业", "绿色建筑", "防涝"],
        inds=[Ind("estates", "改造老旧小区", "个", "count"),
              Ind("households", "惠及居民", "户", "count"),
              Ind("floor_area", "改造建筑面积", "万平方米", "area"),
              Ind("lifts", "既有住宅加装电梯", "个", "count"),
              Ind("green_share", "新建建筑中绿色建筑占比", "%", "pct"),
              Ind("flood_points", "城市易涝积水点", "个", "count", down=True)],
        office="城市更新工作领导小组办公室",
    ),
    Domain(
        name="教育",
        topics=["推进义务教育优质均衡发展", "推进学前教育普及普惠", "推动职业教育提质培优",
                "落实“双减”工作"],
        sections=["扩大优质教育资源供给", "加强教师队伍建设", "推进学前教育普及普惠",
                  "深化职业教育产教融合", "提升教育信息化水平", "促进学生全面发展",
                  "落实“双减”工作要求", "完善教育保障机制"],
        objects=["中小学校建设", "公办幼儿园扩容", "普惠性民办幼儿园认定", "集团化办学",
                 "教师交流轮岗", "课后服务全覆盖", "校外培训机构治理", "智慧校园建设",
                 "产教融合实训基地建设", "学生体质健康监测", "特殊教育保障",
                 "乡村小规模学校办学条件", "教师减负工作", "家校社协同育人机制"],
        leads=["市教育局", "市教育局", "市教育局", "市人力资源社会保障局"],
        tags=["学位", "学前", "职教", "教师", "双减", "信息化"],
        inds=[Ind("seats", "新增中小学学位", "个", "count"),
              Ind("public_share", "公办园在园幼儿占比", "%", "pct"),
              Ind("inclusive", "普惠性幼儿园覆盖率", "%", "pct"),
              Ind("teacher_training", "培训中小学教师", "人次", "count"),
              Ind("school_area", "新建校舍面积", "万平方米", "area"),
              Ind("big_class", "大班额比例", "%", "pct", down=True)],
        office="教育工作领导小组办公室",
    ),
    Domain(
        name="就业社保",
        topics=["稳就业促就业", "推进技能人才队伍建设", "健全多层次社会保障体系",
                "实施职业技能提升行动"],
        sections=["稳定和扩大就业岗位", "强化重点群体就业帮扶", "开展职业技能提升行动",
                  "完善社会保险体系", "加强困难群众兜底保障", "优化人力资源服务",
                  "推进创业带动就业", "构建和谐劳动关系"],
        objects=["高校毕业生就业", "退役军人就业创业", "零工市场建设", "职业技能培训",
                 "企业职工基本养老保险扩面", "失业保险稳岗返还", "低保动态管理",
                 "创业担保贷款", "公益性岗位开发", "根治欠薪工作", "技工院校建设",
                 "灵活就业人员参保", "人力资源服务产业园建设", "劳动人事争议调解"],
        leads=["市人力资源社会保障局", "市人力资源社会保障局", "市民政局", "市退役军人局"],
        tags=["就业", "技能", "社保", "兜底", "创业"],
        inds=[Ind("new_jobs", "城镇新增就业", "人", "count"),
              Ind("skill_training", "开展职业技能培训", "人次", "count"),
              Ind("pension_rate", "基本养老保险参保率", "%", "pct"),
              Ind("helped", "帮扶就业困难人员就业", "人", "count"),
              Ind("unemployment", "城镇调查失业率", "%", "pct", down=True)],
        office="就业工作领导小组办公室",
    ),
    Domain(
        name="营商环境",
        topics=["持续优化营商环境", "创建国家食品安全示范城市", "推进质量强市建设",
                "深化“放管服”改革"],
        sections=["提升政务服务效能", "加强事中事后监管", "保障食品药品安全",
                  "推进“一网通办”", "降低企业制度性交易成本", "强化知识产权保护",
                  "完善社会信用体系", "推动市场主体倍增"],
        objects=["政务服务事项网上可办", "“一件事一次办”改革", "“双随机、一公开”监管",
                 "食品安全抽检监测", "“明厨亮灶”工程", "企业开办全程网办",
                 "工程建设项目审批制度改革", "信用分级分类监管", "知识产权质押融资",
                 "小微企业帮扶", "涉企收费清理", "药品安全专项整治", "12345热线诉求办理"],
        leads=["市市场监管局", "市营商环境建设局", "市行政审批局", "市发展改革委", "市政务服务中心"],
        tags=["政务服务", "监管", "食品安全", "信用", "知识产权"],
        inds=[Ind("online_rate", "政务服务事项网上可办率", "%", "pct"),
              Ind("samples", "完成食品安全抽检", "个", "count"),
              Ind("new_entities", "新增市场主体", "户", "count"),
              Ind("kitchens", "“明厨亮灶”覆盖率", "%", "pct"),
              Ind("fail_rate", "食品抽检不合格率", "%", "pct", down=True)],
        office="优化营商环境工作领导小组办公室",
    ),
    Domain(
        name="生态环境",
        topics=["深入打好污染防治攻坚战", "推进农村人居环境整治提升", "推进生活垃圾分类",
                "建设美丽河湖"],
        sections=["深入打好蓝天保卫战", "深入打好碧水保卫战", "推进净土保卫战",
                  "推进农村生活污水治理", "推动生活垃圾分类", "加强生态保护修复",
                  "提升村容村貌", "健全环境治理体系"],
        objects=["燃煤锅炉淘汰", "黑臭水体治理", "农村生活垃圾分类", "农村卫生厕所改造",
                 "工业园区污水处理设施建设", "扬尘污染治理", "河湖长制",
                 "城市生活垃圾分类", "裸露土地绿化", "土壤污染风险管控",
                 "畜禽养殖污染治理", "秸秆综合利用", "入河排污口排查整治"],
        leads=["市生态环境局", "市生态环境局", "市农业农村局", "市城市管理局", "市水务局"],
        tags=["大气", "水", "土壤", "农村", "垃圾分类"],
        inds=[Ind("good_days", "空气质量优良天数比率", "%", "pct"),
              Ind("toilets", "改造农村户厕", "户", "count"),
              Ind("sorting", "生活垃圾分类覆盖率", "%", "pct"),
              Ind("green_area", "新增绿地面积", "万平方米", "area"),
              Ind("bad_water", "劣V类水体比例", "%", "pct", down=True)],
        office="生态环境保护委员会办公室",
    ),
]

NOTE_PLAIN = [
    "已召开专题推进会，研究部署下一阶段工作。",
    "牵头单位报送进展情况，整体按序时推进。",
    "受资金拨付影响，进度略有滞后，已协调财政部门加快拨付。",
    "试点工作已在{n}个街道启动，群众反映良好。",
    "已完成年度任务的{p}%，预计年底前全面完成。",
    "责任单位之间职责尚需进一步明确，建议提请领导小组协调。",
    "已形成初步方案，正在征求相关部门意见。",
    "现场督查发现部分项目未按期开工，已下发督办通知。",
    "本季度新增服务对象{n}人，超出预期。",
    "配套政策已起草完成，待市政府常务会议审议。",
]
NOTE_HOSTILE = [
    "进度|滞后|需协调 —— 表格分隔符测试",
    "已完成[red]{p}%[/red]，[bold]未达序时[/bold]",
    "**重点**推进：*第一批*项目已开工",
    "`代码` 与 <b>标签</b> 与 [link=https://example.com]链接[/link]",
    "第一行：已报送\n第二行：待审核",
    "路径 C:\\temp\\台账\\{n}.xlsx 已上传",
    "他说：\"按期完成\"——'引号'测试",
    "# 标题样式 _下划线_ ~~删除线~~ [/] [[双括号]]",
    "制表符\t分隔\t测试 | [green]绿[/green] | [yellow]黄[/yellow]",
    "表情 👍 与生僻字 𠀀𪚥 测试",
]


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

def month_end(y: int, m: int) -> D:
    return D(y, m, calendar.monthrange(y, m)[1])


def rand_date(rng: Random, lo: D, hi: D) -> D:
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


# form -> weight, for due dates; each renders a date it rounds up to.
DUE_FORMS = [
    ("toml", 14), ("iso", 5), ("ym", 6), ("year", 22), ("half", 9),
    ("quarter", 9), ("month", 20), ("month_cn", 2), ("full", 8), ("noyear", 5),
]
_FORM_NAMES = [f for f, _ in DUE_FORMS]
_FORM_WEIGHTS = [w for _, w in DUE_FORMS]


def period_end(form: str, d: D) -> D:
    if form in ("year",):
        return D(d.year, 12, 31)
    if form == "half":
        return D(d.year, 6, 30) if d.month <= 6 else D(d.year, 12, 31)
    if form == "quarter":
        return month_end(d.year, ((d.month - 1) // 3 + 1) * 3)
    if form in ("ym", "month", "month_cn", "noyear"):
        return month_end(d.year, d.month)
    return d  # toml, iso, full: exact day


def render(rng: Random, form: str, e: D):
    """Text for the period ending on ``e`` in ``form``; a ``dt.date`` for bare TOML dates."""
    y, m, day = e.year, e.month, e.day
    if form == "toml":
        return e
    if form == "iso":
        return e.isoformat()
    if form == "ym":
        return f"{y}-{m:02d}"
    if form == "year":
        return rng.choice([f"{y}年底", f"{y}年底前", f"到{y}年", f"{y}年末", f"{y}年内",
                           f"到{y}年底", f"{y}年底之前", f"截至{y}年底"])
    if form == "half":
        return f"{y}年上半年" if m == 6 else f"{y}年下半年"
    if form == "quarter":
        q = CN_NUM[m // 3]
        return rng.choice([f"{y}年第{q}季度", f"{y}年{q}季度末"])
    if form == "month":
        return rng.choice([f"{y}年{m}月底前", f"{y}年{m}月前", f"{y}年{m}月底",
                           f"{y}年{m}月末", f"{y}年{m}月底以前"])
    if form == "month_cn":
        return f"{y}年{CN_NUM[m]}月底前"
    if form == "noyear":
        return rng.choice([f"{m}月底前", f"{m}月底"])
    if form == "full":
        return rng.choice([f"{y}年{m}月{day}日前", f"{y}年{m}月{day}日"])
    raise ValueError(form)


def pick_due(rng: Random, lo: D, hi: D, single_year: bool, *, bias_end: float = 0.0):
    """A (value, actual_date) with lo <= actual_date <= hi, in a random form.

    ``bias_end`` is the chance to aim at ``hi`` itself (plans often say 到2023年底)."""
    d = hi if rng.random() < bias_end else rand_date(rng, lo, hi)
    for _ in range(4):
        form = rng.choices(_FORM_NAMES, _FORM_WEIGHTS)[0]
        if form == "noyear" and not single_year:
            continue
        e = period_end(form, d)
        if form == "toml" and rng.random() < 0.5:
            e = month_end(d.year, d.month)
        if lo <= e <= hi:
            return render(rng, form, e), e
    return (d if rng.random() < 0.5 else render(rng, "full", d)), d


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------

@dataclass
class Indicator:
    id: str
    name: str
    unit: str
    baseline: float
    target: float
    down: bool
    due_value: object | None     # None = task's due
    due: D
    checkpoints: list            # [(date, value)]
    integral: bool


@dataclass
class Milestone:
    id: str
    title: str
    due_value: object
    due: D


@dataclass
class Task:
    id: str
    section: str
    title: str
    detail: str
    lead: list
    responsible: list
    start_value: D | None
    start: D
    due_value: object | None
    due: D
    tags: list
    milestones: list = field(default_factory=list)
    indicators: list = field(default_factory=list)


@dataclass
class Plan:
    id: str
    title: str
    doc_number: str
    issued_by: str
    issued: D
    start: D
    end: D
    tasks: list = field(default_factory=list)


def plan_sizes(rng: Random, total: int) -> list[int]:
    sizes = []
    left = total
    while left > 0:
        n = int(round(rng.triangular(10, 120, 25)))
        if left - n < 10:      # don't leave a runt plan behind
            n = left if left <= 120 else left - 10
        sizes.append(n)
        left -= n
    return sizes


def num(rng: Random, ind: Ind, integral: bool, lo: float, hi: float) -> float:
    v = rng.uniform(lo, hi)
    return float(round(v)) if integral else round(v, 1)


def make_indicator(rng: Random, ind: Ind, slug: str, t_start: D, t_due: D, single_year: bool) -> Indicator:
    kind = ind.kind
    integral = kind == "count" or (kind == "pct" and rng.random() < 0.7)
    while True:
        if kind == "count":
            scale = rng.choice([50, 200, 1000, 5000, 20000, 100000])
            if ind.down:
                baseline = num(rng, ind, True, scale * 0.3, scale)
                target = num(rng, ind, True, 0, baseline * 0.8)
            else:
                baseline = 0.0 if rng.random() < 0.5 else num(rng, ind, True, 0, scale * 0.5)
                target = num(rng, ind, True, baseline + scale * 0.2, baseline + scale)
        elif kind == "pct":
            if ind.down:
                baseline = num(rng, ind, integral, 2, 30)
                target = num(rng, ind, integral, 0, baseline * 0.8)
            else:
                baseline = 0.0 if rng.random() < 0.3 else num(rng, ind, integral, 0, 85)
                target = 100.0 if rng.random() < 0.2 else num(rng, ind, integral, baseline + 3, 100)
        else:  # area
            if ind.down:
                baseline = num(rng, ind, False, 5, 200)
                target = num(rng, ind, False, 0, baseline * 0.8)
            else:
                baseline = 0.0 if rng.random() < 0.6 else num(rng, ind, False, 1, 100)
                target = num(rng, ind, False, baseline + 1, baseline + 300)
        if target != baseline and (target < baseline) == ind.down:
            break

    if rng.random() < 0.2 and (t_due - t_start).days > 120:
        due_value, due = pick_due(rng, t_start + dt.timedelta(days=90), t_due, single_year)
    else:
        due_value, due = None, t_due

    checkpoints = []
    if rng.random() < 0.35:
        # year ends strictly inside (task start, indicator due), else random days
        dates = [D(y, 12, 31) for y in range(t_start.year, due.year + 1)
                 if t_start < D(y, 12, 31) < due]
        if not dates and (due - t_start).days > 2:
            dates = sorted({rand_date(rng, t_start + dt.timedelta(days=1), due - dt.timedelta(days=1))
                            for _ in range(rng.randint(1, 2))})
        if len(dates) > 3:
            dates = sorted(rng.sample(dates, 3))
        span = (due - t_start).days
        prev = baseline
        for cd in dates:
            frac = (cd - t_start).days / span
            frac = min(0.95, max(0.05, frac * rng.uniform(0.6, 1.1)))
            v = baseline + (target - baseline) * frac
            v = float(round(v)) if integral else round(v, 1)
            lo_, hi_ = sorted((baseline, target))
            if not (lo_ < v < hi_) or v == prev or (v < prev) != ind.down:
                continue
            checkpoints.append((cd, v))
            prev = v
    return Indicator(slug, ind.name, ind.unit, baseline, target, ind.down,
                     due_value, due, checkpoints, integral)


def make_detail(rng: Random, obj: str, inds: list, due: D) -> str:
    means = rng.choice(DETAIL_MEANS).format(carrier=rng.choice(CARRIERS), slogan=rng.choice(SLOGANS))
    s = f"{means}{rng.choice(DETAIL_VERBS)}{obj}工作，{rng.choice(DETAIL_EFFECTS)}。"
    if rng.random() < 0.4:
        s += rng.choice(DETAIL_EXTRA)
    if inds:
        i = inds[0]
        tgt = fmt_num(i.target)
        if i.down:
            s += f"到{i.due.year}年底，{i.name}控制在{tgt}{i.unit}以内。"
        else:
            s += f"到{i.due.year}年底，{i.name}达到{tgt}{i.unit}以上。"
    if rng.random() < 0.01:
        s += rng.choice(HOSTILE_DETAILS)
    return s


# --dense: every task carries exactly this many milestones and indicators
DENSE_MILESTONES = 5
DENSE_INDICATORS = 1


def generate(n_tasks: int, seed: int, dense: bool = False) -> tuple[dict, list[Plan]]:
    rng = Random(seed)
    sizes = plan_sizes(rng, n_tasks)
    width = max(4, len(str(len(sizes))))
    main_domain = rng.choice(DOMAINS)
    office_city = rng.choice(CITIES)
    office = {
        "name": f"{office_city}{main_domain.office}",
        "review_every_months": 2,
        "amber_days": 30,
        "stale_days": 60,
        "lag_amber": 10,
        "lag_red": 30,
    }
    plans = []
    for pi, size in enumerate(sizes, 1):
        dom = main_domain if rng.random() < 0.4 else rng.choice(DOMAINS)
        city = office_city if rng.random() < 0.3 else rng.choice(CITIES)
        y0 = rng.randint(2020, 2024)
        years = min(rng.choices([1, 2, 3], [2, 2, 6])[0], 2024 - y0 + 1)
        y1 = y0 + years - 1
        start = D(y0, rng.choices([1, 4, 7], [8, 1, 1])[0], 1)
        end = D(y1, 12, 31)
        if start > end - dt.timedelta(days=150):
            start = D(y0, 1, 1)
        topic = rng.choice(dom.topics)
        if years == 1:
            period = f"（{y0}年）"
            kind = rng.choice(["工作方案", "行动计划", "实施方案"])
        else:
            period = f"（{y0}—{y1}年）"
            kind = rng.choice(["三年行动计划", "行动计划", "实施方案"]) if years == 3 else \
                rng.choice(["两年行动计划", "行动计划"])
        title = f"{city}{topic}{kind}{period}"
        abbr = city[0]
        doc_number = rng.choice([f"{abbr}政办发〔{y0}〕{rng.randint(1, 60)}号",
                                 f"{abbr}政发〔{y0}〕{rng.randint(1, 40)}号",
                                 f"{abbr}{dom.name[0]}组发〔{y0}〕{rng.randint(1, 12)}号"])
        issued_by = rng.choice([f"{city}人民政府办公室", f"{city}人民政府",
                                f"{city}{dom.office.removesuffix('办公室')}"])
        issued = rand_date(rng, start - dt.timedelta(days=30), start + dt.timedelta(days=100))
        plan = Plan(f"p-{pi:0{width}d}", title, doc_number, issued_by, issued, start, end)
        single_year = start.year == end.year

        n_sec = rng.randint(min(3, size), min(8, size))
        sec_titles = rng.sample(dom.sections, min(n_sec, len(dom.sections)))
        while len(sec_titles) < n_sec:
            sec_titles.append(f"{rng.choice(['着力', '持续', '加快'])}{rng.choice(dom.objects)}")
        # split the plan's tasks over its sections (each at least one)
        cuts = sorted(rng.sample(range(1, size), n_sec - 1)) if n_sec > 1 else []
        counts = [b - a for a, b in zip([0] + cuts, cuts + [size])]

        for si, (stitle, cnt) in enumerate(zip(sec_titles, counts), 1):
            section = f"（{CN_NUM[si]}）{stitle}"
            for ti in range(1, cnt + 1):
                plan.tasks.append(make_task(rng, dom, plan, single_year, section, f"{si}.{ti}", dense))
        plans.append(plan)
    return office, plans


def make_task(rng: Random, dom: Domain, plan: Plan, single_year: bool, section: str, tid: str,
              dense: bool = False) -> Task:
    obj = rng.choice(dom.objects)
    title = f"{rng.choice(TASK_VERBS)}{obj}"
    lead = [rng.choice(dom.leads) if rng.random() < 0.75 else rng.choice(UNITS_ALL)]
    if rng.random() < 0.15:
        other = rng.choice(UNITS_ALL)
        if other not in lead:
            lead.append(other)
    responsible = []
    for _ in range(rng.choices([0, 1, 2, 3, 4], [15, 25, 25, 20, 15])[0]):
        u = rng.choice(UNITS_ALL) if rng.random() < 0.8 else "各区县（市）政府"
        if u not in lead and u not in responsible:
            responsible.append(u)
    if rng.random() < 0.05:   # a list of districts, as the 沈阳 plan does
        for u in rng.sample(DISTRICTS, rng.randint(2, 4)):
            if u not in lead and u not in responsible and len(responsible) < 4:
                responsible.append(u)

    start_value = None
    start = plan.start
    latest_start = plan.end - dt.timedelta(days=120)
    if rng.random() < 0.3 and latest_start > plan.start:
        s = rand_date(rng, plan.start, latest_start)
        start = start_value = D(s.year, s.month, 1)

    if rng.random() < 0.12:
        due_value, due = None, plan.end
    else:
        lo = min(start + dt.timedelta(days=60), plan.end)
        due_value, due = pick_due(rng, lo, plan.end, single_year, bias_end=0.35)

    tags = rng.sample(dom.tags, rng.choices([0, 1, 2, 3], [20, 45, 25, 10])[0])

    if dense:
        has_ms = has_ind = True
    else:
        r = rng.random()
        has_ms = r < 0.60
        has_ind = 0.60 <= r < 0.90 or (r < 0.60 and rng.random() < 1 / 3)
        # -> milestones 60 %, indicators 30 % + 20 % = 50 %, neither 10 %

    milestones = []
    if has_ms:
        if dense:
            # five milestones over four stages: every stage once, one of them twice
            k = DENSE_MILESTONES
            stages = sorted([*range(len(MILESTONE_STAGES)), rng.randrange(len(MILESTONE_STAGES))])
        else:
            k = rng.choices([1, 2, 3, 4], [30, 35, 22, 13])[0]
            stages = sorted(rng.sample(range(len(MILESTONE_STAGES)), k))
        days = sorted(rand_date(rng, start, due) for _ in range(k))
        for mi, (st, d) in enumerate(zip(stages, days)):
            if dense:  # a stage drawn twice gives two different milestones
                mtitle = rng.choice([x for x in MILESTONE_STAGES[st] if x not in {m.title for m in milestones}])
            else:
                mtitle = rng.choice(MILESTONE_STAGES[st])
            value, actual = pick_due(rng, d, due, single_year, bias_end=0.0)
            milestones.append(Milestone(chr(ord("a") + mi), mtitle, value, actual))

    indicators = []
    if has_ind:
        k = DENSE_INDICATORS if dense else rng.choices([1, 2, 3], [60, 30, 10])[0]
        pool_up = [i for i in dom.inds if not i.down]
        pool_down = [i for i in dom.inds if i.down]
        chosen = []
        for _ in range(k):
            pool = pool_down if rng.random() < 0.1 else pool_up
            cand = rng.choice(pool)
            if cand not in chosen:
                chosen.append(cand)
        for ind in chosen:
            indicators.append(make_indicator(rng, ind, ind.slug, start, due, single_year))

    detail = make_detail(rng, obj, indicators, due)
    return Task(tid, section, title, detail, lead, responsible, start_value, start,
                due_value, due, tags, milestones, indicators)


# --------------------------------------------------------------------------
# TOML writing
# --------------------------------------------------------------------------

def toml_str(s: str) -> str:
    """A TOML basic string.

    json.dumps(ensure_ascii=False) escapes ``"``, ``\\`` and every control
    character below U+0020 (as \\n, \\t, \\uXXXX ...), all valid TOML escapes,
    and leaves non-BMP characters raw (ensure_ascii=True would emit surrogate
    pairs, which TOML rejects).  TOML also forbids a raw DEL, so escape it."""
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007F")


def toml_val(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, D):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return fmt_num(v)
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_val(x) for x in v) + "]"
    raise TypeError(type(v))


def fmt_num(x: float) -> str:
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x))


def write_toml(office: dict, plans: list[Plan]) -> str:
    out = ["# Synthetic office generated by bench/gen_office.py — not real data.", "schema = 1", "", "[office]"]
    for k, v in office.items():
        out.append(f"{k} = {toml_val(v)}")
    out.append("")
    for p in plans:
        out += ["[[plan]]", f"id = {toml_str(p.id)}", f"title = {toml_str(p.title)}",
                f"doc_number = {toml_str(p.doc_number)}", f"issued_by = {toml_str(p.issued_by)}",
                f"issued = {p.issued.isoformat()}", f"start = {p.start.isoformat()}",
                f"end = {p.end.isoformat()}", ""]
    for p in plans:
        pid = toml_str(p.id)
        for t in p.tasks:
            a = out.append
            a("[[task]]")
            a(f"plan = {pid}")
            a(f"id = {toml_str(t.id)}")
            a(f"section = {toml_str(t.section)}")
            a(f"title = {toml_str(t.title)}")
            a(f"detail = {toml_str(t.detail)}")
            a(f"lead = {toml_val(t.lead)}")
            a(f"responsible = {toml_val(t.responsible)}")
            if t.start_value is not None:
                a(f"start = {toml_val(t.start_value)}")
            if t.due_value is not None:
                a(f"due = {toml_val(t.due_value)}")
            if t.tags:
                a(f"tags = {toml_val(t.tags)}")
            for m in t.milestones:
                a("")
                a("  [[task.milestone]]")
                a(f"  id = {toml_str(m.id)}")
                a(f"  title = {toml_str(m.title)}")
                a(f"  due = {toml_val(m.due_value)}")
            for i in t.indicators:
                a("")
                a("  [[task.indicator]]")
                a(f"  id = {toml_str(i.id)}")
                a(f"  name = {toml_str(i.name)}")
                a(f"  unit = {toml_str(i.unit)}")
                a(f"  baseline = {fmt_num(i.baseline)}")
                a(f"  target = {fmt_num(i.target)}")
                a(f"  direction = {toml_str('down' if i.down else 'up')}")
                if i.due_value is not None:
                    a(f"  due = {toml_val(i.due_value)}")
                if i.checkpoints:
                    cps = ", ".join(f"{{ on = {d.isoformat()}, value = {fmt_num(v)} }}" for d, v in i.checkpoints)
                    a(f"  checkpoints = [{cps}]")
            a("")
    return "\n".join(out)


# --------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------

def make_progress(plans: list[Plan], seed: int, as_of: D | None) -> list[dict]:
    rng = Random(seed * 1_000_003 + 17)
    acts: list[tuple[D, int, dict]] = []

    def add(on: D, obj: dict) -> None:
        if as_of is None or on <= as_of:
            obj["on"] = on.isoformat()
            acts.append((on, len(acts), obj))

    for p in plans:
        for t in p.tasks:
            full = f"{p.id}/{t.id}"

            def done_on(due: D) -> D:
                # mostly on time (within ~4 months before the due), a quarter late
                if rng.random() < 0.75:
                    return rand_date(rng, max(t.start, due - dt.timedelta(days=120)), due)
                return min(due + dt.timedelta(days=rng.randint(1, 60)), p.end) if due < p.end else due
            for m in t.milestones:
                if rng.random() < 0.30:
                    add(done_on(m.due), {"kind": "tick", "task": full, "milestone": m.id})
            if not t.milestones and not t.indicators and rng.random() < 0.30:
                add(done_on(t.due), {"kind": "tick", "task": full})
            for i in t.indicators:
                if rng.random() >= 0.40:
                    continue
                span = max(1, (i.due - t.start).days)
                k = rng.randint(1, 3)
                days = sorted({rand_date(rng, t.start + dt.timedelta(days=1), i.due) for _ in range(k)})
                perf = rng.uniform(0.4, 1.2)          # some lag, some run ahead
                prev = i.baseline
                for d in days:
                    frac = min(1.3, perf * (d - t.start).days / span * rng.uniform(0.85, 1.1))
                    v = i.baseline + (i.target - i.baseline) * frac
                    if i.down:
                        v = min(prev, max(0.0, v))
                    else:
                        v = max(prev, v)
                    if i.unit == "%":
                        v = min(v, 100.0)
                    v = float(round(v)) if i.integral else round(v, 1)
                    prev = v
                    val = int(v) if v.is_integer() else v
                    add(d, {"kind": "record", "task": full, "indicator": i.id, "value": val})
            if rng.random() < 0.20:
                for _ in range(rng.choices([1, 2, 3], [70, 22, 8])[0]):
                    pool = NOTE_HOSTILE if rng.random() < 0.3 else NOTE_PLAIN
                    text = rng.choice(pool).format(n=rng.randint(2, 300), p=rng.randint(10, 99))
                    add(rand_date(rng, t.start, max(t.start, min(t.due, p.end))),
                        {"kind": "note", "task": full, "text": text})
    acts.sort(key=lambda x: (x[0], x[1]))
    return [o for _, _, o in acts]


def write_progress(actions: list[dict]) -> str:
    if not actions:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(a, ensure_ascii=False) for a in actions) + "\n]\n"


# --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic plans.toml (and progress) for benchmarks.")
    ap.add_argument("--tasks", type=int, default=10000, help="total number of tasks (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="plans.toml to write")
    ap.add_argument("--progress-out", type=Path, help="also write a JSON list of progress actions")
    ap.add_argument("--as-of", type=D.fromisoformat, help="drop progress dated after this day (YYYY-MM-DD)")
    ap.add_argument("--dense", action="store_true",
                    help="every task exactly five milestones and one indicator (issue 18's second office)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.tasks < 1:
        ap.error("--tasks must be at least 1")

    t0 = time.perf_counter()
    office, plans = generate(args.tasks, args.seed, args.dense)
    text = write_toml(office, plans)
    args.out.write_text(text, encoding="utf-8")
    n_prog = None
    if args.progress_out:
        actions = make_progress(plans, args.seed, args.as_of)
        args.progress_out.write_text(write_progress(actions), encoding="utf-8")
        n_prog = len(actions)
    if not args.quiet:
        tasks = [t for p in plans for t in p.tasks]
        msg = (f"{args.out}: {len(plans)} plans, {len(tasks)} tasks, "
               f"{sum(len(t.milestones) for t in tasks)} milestones, "
               f"{sum(len(t.indicators) for t in tasks)} indicators, "
               f"{len(text.encode('utf-8')):,} bytes")
        if n_prog is not None:
            msg += f"; {args.progress_out}: {n_prog} actions"
        print(f"{msg} ({time.perf_counter() - t0:.2f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
