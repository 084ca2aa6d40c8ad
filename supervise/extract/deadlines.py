"""Date phrases: deadlines in task text (到2023年底, 12月底前, 年内) and the plan's period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..dates import DateError, parse_date
from .text import CN_DIGITS, cn_to_int, mask_titles


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_CNM = f"(?:十[一二]?|[{CN_DIGITS}])"
_DATE = re.compile(
    r"(?P<lead>(?:确保|力争|争取)?(?:截至|截止到|截止|到|至|于|在)?)(?:"
    r"(?P<ya>\d{4})年?[—–\-~至到](?P<yb>\d{4})年"
    rf"|(?P<y>\d{{4}})年(?:(?P<half>[上下]半年)|(?P<q>第?[一二三四1-4]季度末?)"
    rf"|(?P<m>\d{{1,2}}|{_CNM})月(?:(?P<d>\d{{1,2}})日|(?P<me>底|末|份|上旬|中旬|下旬))?|(?P<ye>年底|底|末|内|度))?"
    rf"|(?P<m0>\d{{1,2}}|{_CNM})月(?:(?P<d0>\d{{1,2}})日|(?P<me0>底|末|上旬|中旬|下旬))?"
    r"|(?<![\d一二三四五六七八九十两几今明当去前本])(?P<nn>年内|年底|年末)"
    r"|(?P<this>今年(?:内|底|年底|末)?|本年度?(?:内|底)|当年内)"
    r")(?P<post>之前|以前|前)?"
)


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    phrase: str         # normalised, with its year: "2023年底", "2021年12月底前"
    value: date
    guessed_year: bool  # the text gave no year and the plan spans several years



#: the start of works right after a date: "2023年3月开工建设"
_START = re.compile(r"(?:开工|动工|开建|开始建设|启动建设)")

#: the label of a stated time limit, right before its date
_LIMIT = re.compile(r"(?:时限|期限|完成时间|时间节点)[：:]$")


def find_dates(text: str, year: int, single_year: bool) -> list[DatePhrase]:
    """Deadline phrases in text; ``year`` completes month phrases that give none (12月底前)."""
    masked = mask_titles(text)
    found: list[DatePhrase] = []
    for m in _DATE.finditer(masked):
        g = m.groupdict()
        post = g["post"] or ""
        if not post and _START.match(masked, m.end()):
            continue                              # "预计2023年1月开工建设": a planned start, not a deadline
            #                                       ("6月底前开工" is one: 前 makes it a limit)
        guessed = False
        if g["yb"]:
            phrase = f"{g['yb']}年底"
        elif g["y"]:
            y = g["y"]
            if g["half"]:
                phrase = f"{y}年{g['half']}"
            elif g["q"]:
                phrase = f"{y}年{g['q']}"
            elif g["m"]:
                phrase = f"{y}年{cn_to_int(g['m'])}月" + (f"{g['d']}日" if g["d"] else g["me"] or "") + post
            elif g["ye"]:
                phrase = f"{y}年{'末' if g['ye'] == '末' else '底'}" + (post if g["ye"] in ("底", "年底", "末") else "")
            else:
                before = masked[m.start() - 1] if m.start() else "。"
                after = masked[m.end()] if m.end() < len(masked) else "。"
                if not (re.search("[到至于在止]$", g["lead"]) or post or before in "。；，：:（" or after in "，,；"):
                    continue                      # "2021年重点工作": a year named, not a deadline
                phrase = f"{y}年底"
        elif g["m0"]:
            if not (g["d0"] or g["me0"] or post or _LIMIT.search(masked, 0, m.start())):
                continue                          # "9月" alone is too loose to be a deadline, except as the
                #                                   time limit itself ("完成时限：9月投入使用")
            phrase = f"{year}年{cn_to_int(g['m0'])}月" + (f"{g['d0']}日" if g["d0"] else g["me0"] or "") + post
            guessed = not single_year
        elif g["nn"]:
            phrase, guessed = f"{year}年底", not single_year
        elif g["this"]:                           # 今年内: the year the plan starts (and was issued)
            phrase, guessed = f"{year}年底", not single_year
        else:
            continue
        try:
            value = parse_date(phrase)
        except DateError:
            continue
        if 1990 <= value.year <= 2100:
            found.append(DatePhrase(m.start(), m.end(), phrase, value, guessed))
    return found



_PERIOD = re.compile(r"(\d{4})年?[—–\-~至到]+(\d{4})年")
#: five-year-plan periods: 十三五 is 2016-2020, 十四五 2021-2025 (十一五 2006-2010 … 十五五 2026-2030)
_FIVE_YEAR = re.compile(r"十([一二三四五])五|第十([一二三四五])个五年")
#: "2012年起5年内", "从2022年起，用3年时间"
_YEARS_FROM = re.compile(r"(\d{4})年(?:起|开始)[，,]?(?:用|利用|力争)?(\d|[一二三四五六七八九十])年(?:内|时间|左右)")


def _period(text: str, single: bool = False) -> tuple[date, date] | None:
    """The plan's span from "2021—2023年", "十四五" (第十四个五年规划) or "2012年起5年内"; if single, also the one year
    of "2021年重点工作任务"."""
    for m in _PERIOD.finditer(text):
        first, last = int(m.group(1)), int(m.group(2))
        if 0 <= last - first <= 10:
            return date(first, 1, 1), date(last, 12, 31)
    five = _FIVE_YEAR.search(text)
    if five:
        first = 2006 + 5 * (cn_to_int(five.group(1) or five.group(2)) - 1)
        return date(first, 1, 1), date(first + 4, 12, 31)
    years = _YEARS_FROM.search(text)
    if years:
        first, n = int(years.group(1)), cn_to_int(years.group(2))
        return date(first, 1, 1), date(first + n - 1, 12, 31)
    year = re.search(r"(?<![\d.])((?:19|20)\d\d)(?![\d.%])", text) if single else None
    return (date(int(year.group(1)), 1, 1), date(int(year.group(1)), 12, 31)) if year else None
