"""Target phrases: quantitative targets (培训2万名以上, 达到90%) in one sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import CJK, _mask


# --------------------------------------------------------------------------------------------
# Quantitative targets
# --------------------------------------------------------------------------------------------

_MEASURES = ("平方米", "平米", "立方米", "亩", "公里", "千米", "吨", "元", "头")
_QTY = re.compile(
    r"(?<![\d.A-Za-z第每□])(?P<n>\d+(?:\.\d+)?)(?:[-—~至到](?P<n2>\d+(?:\.\d+)?))?(?P<about>余)?(?P<mult>万|千|亿)?"
    r"(?P<unit>%|‰|个百分点|人次|人|名|户|张|个(?!月)|家|所|处|项|条|座|间|台|套|床|平方米|平米|立方米|亩|公里|千米|吨|株|"
    r"场次|剂次|次|元|岁|头|只(?![有要是能需])|位(?![数置于次居列])|课时)"
    r"(?P<tail>以上|以下|以内|左右)?"
)
_TARGET_VERB = re.compile("达到|达|不少于|不低于|不超过|不高于|至少|超过|完成|建成|建设|新增|增加|增设|培训|创建|"
                          "培育|培养|引进|打造|覆盖|实现|提高到|提升到|控制在|低于|新建|改造|开展|启动|设立|设置|配备|建有")
_DOWN = re.compile("(?:不超过|不高于|(?<!不)低于|控制在|下降到|降低到|降至|减少到|(?<!不)少于)$")
_FILLER = re.compile("达到|不少于|不低于|不超过|不高于|至少|超过|力争|确保|控制在|提高到|提升到|分别")
_SEPARATORS = "、和及与"
_MULT = {"万": 10_000, "千": 1_000, "亿": 100_000_000}
#: units that make a target only after a verb of reaching a level
_LEVEL_UNITS = ("岁", "元")
#: ... or with what is reached named between ("力争完成年度投资536亿元", "每年力争完成旅游项目投资30亿元以上")
_LEVEL_VERB = re.compile("(?:达到|达|突破|超过|不低于|不少于|提高到|提升到|增加到|增长到|延长到|完成|为)"
                         "(?:[^，,。；\\d]{0,6}(?:投资|总额|产值|收入))?$")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    name: str
    unit: str
    target: float
    direction: str
    unsure: str           # why it needs checking, or ""
    one_off: bool         # "建有1所": a deliverable, not a target to track


def _number(text: str) -> float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _without_breakdowns(text: str, matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """Drop the figures in a bracket right after a figure's noun: "9个精品示范村（省级2个、州级7个）" — the parts of
    a total, not targets of their own."""
    brackets = [(b.start(), b.end()) for b in re.finditer(r"（[^（）]*）", text)]

    def breakdown(m: re.Match[str]) -> bool:
        return any(b0 < m.start() < b1 and any(o.end() <= b0 and not re.search("[，。；：]", text[o.end():b0])
                                               for o in matches)
                   for b0, b1 in brackets)

    return [m for m in matches if not breakdown(m)]


def find_quantities(text: str) -> list[Quantity]:
    """Quantitative targets in one sentence (dates and cited titles already masked)."""
    shielded = _mask(_mask(text, r"“[^“”]*”"), r"（[^（）]*）")   # no separators inside quotes/brackets
    found: list[Quantity] = []
    pos = 0
    matches = _without_breakdowns(text, list(_QTY.finditer(text)))
    for k, m in enumerate(matches):
        after_text = text[m.end():]
        if (re.match(r"[^，。；]{0,3}标准", after_text) or re.match(rf"[{CJK}]{{1,4}}(?:以上|以下)的", after_text)
                or (m["tail"] in ("以上", "以下") and re.match(r"的[^，。；]*?(?:应|须|必须|均|需|要)", after_text))
                or re.match(r"[^，。；\d]{0,5}的\d", after_text)):
            continue   # a standard ("每百户30平方米标准"), a qualifier ("100张床位以上的", "设置床位150张以上的
            #            养老机构"), or "9个区的100个社区"
        if re.search(r"占地(?:面积)?(?:约|近)?$", text[:m.start()]):
            continue   # a site's size ("该项目位于…,占地500余亩"), not a level to reach
        if m["unit"] in _LEVEL_UNITS and not _LEVEL_VERB.search(text[:m.start()]):
            continue   # an age or a sum is a target only as a level reached ("人均预期寿命达82.4岁", "总量力争
            #            突破3000亿元"), not "5岁以下儿童" or "给予4-6万元的一次性入职补贴"
        clause_start = max(text.rfind(c, 0, m.start()) for c in "，。；：") + 1
        begin = max(pos, clause_start)
        stop = min([i for i in (shielded.find(c, m.end()) for c in "，。；") if i >= 0] + [len(text)])
        nxt = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        if nxt < stop:   # another target in the same clause: "A50个、B30个", "30个A和30个B"
            stop = max([shielded.rfind(c, m.end(), nxt) for c in _SEPARATORS] + [m.end()])
        before, after = text[begin:m.start()].replace("□", ""), text[m.end():stop].replace("□", "")
        pos = stop + 1 if stop < len(text) and text[stop] in _SEPARATORS else stop
        n = _number(m["n"])
        unit, mult = m["unit"], m["mult"]
        if mult and unit in _MEASURES:
            unit = mult + unit
        elif mult:
            n = _number(str(n * _MULT[mult]))
        unit = "人" if unit == "名" else unit
        if n == 0:
            continue
        direction = "down" if m["tail"] in ("以下", "以内") or _DOWN.search(before) else "up"
        name = _FILLER.sub("", before.rstrip("的") + after.removeprefix("的")).strip("的、，：和及与 ")
        name = re.sub(r"^(?:其中|并|且|要|和|及|实现|在)", "", name)
        reasons = []
        if m["n2"]:
            reasons.append(f"原文为区间{m['n']}-{m['n2']}，取下限")
        if m["about"]:          # "库容达15000余立方米": more than the figure, the figure is the level
            reasons.append(f"原文为约数{m['n']}余，取{m['n']}")
        if not _TARGET_VERB.search(text[clause_start:m.end()]):
            reasons.append("原文未见目标用语")
        if "每" in before:
            reasons.append("按单位计的标准，请核对是否为总量")
        if not name or len(name) > 40:
            name = (name or unit)[:40]
            reasons.append("名称待定")
        found.append(Quantity(m.start(), m.end(), name, unit, n, direction, "；".join(reasons),
                              one_off=(n == 1 and not m["n2"] and unit not in ("%", "‰"))))
    return found


