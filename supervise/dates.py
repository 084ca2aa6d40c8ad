"""Reading the date phrases that Chinese action plans use for deadlines.

Plans rarely say "2021-09-30"; they say 2021年9月底前, 2022年第三季度, 到2023年.
The contract (spec/plans-format.md, "Dates") is that every phrase is read as
the LAST day of the period it names, and that anything we cannot read is an
error rather than a guess. So this module is deliberately strict: a small table
of anchored regular expressions over a normalised string, each with a builder
that checks ranges and returns a ``datetime.date``.

Pure: no clock, no I/O, no terminal libraries. "today" is only understood when
the caller passes ``today=``.

Choices beyond the spec table (documented here so they are deliberate):

* 上旬 / 中旬 / 下旬 after a month are accepted as day 10 / 20 / month end
  (the last day of that ten-day period), e.g. 2021年9月上旬 -> 2021-09-10.
* 2023年度 and 2023年年底 mean the same as 2023年底.
* Quarters may be written 第三季度, 三季度, 第3季度, 3季度末, 2022年Q3, 2022Q3.
* 2021-9-30, 2021/9/30 and 2021.9.30 are accepted (one separator throughout),
  as are the year-months 2021-09, 2021/9, 2021.9.
* Years must have four digits, so 三年内 ("within three years") is refused
  rather than read as the year 3.
* Only month forms take their year from ``year=``; a bare 年底 or 上半年 is
  refused even when ``year`` is given, as the spec lists only months.
* A bare year without 年 ("2023") is refused: too easily a number by mistake.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from datetime import date, datetime
from typing import Callable

from .i18n import Msg

__all__ = ["DateError", "parse_date", "parse_since", "month_end"]


class DateError(ValueError):
    """A date phrase we cannot read: `reason` says why (a catalogue message). `message` is the whole
    one-line message naming the text, to be said in the interface's language (words(lang), or as a
    parameter of another message); str(err) is it in English."""

    def __init__(self, text: str, reason: Msg):
        self.text = text
        self.reason = reason
        super().__init__(text)

    @property
    def message(self) -> Msg:
        return Msg("date.unreadable", text=self.text.replace("\n", " "), reason=self.reason)  # one line

    def words(self, lang: str = "en") -> str:
        return self.message.words(lang)

    def __str__(self) -> str:
        return self.words("en")


def not_yet(when: date, today: date) -> Msg | None:
    """The one rule for the date of something that has happened (a tick, a value measured, a note,
    a meeting held): not after today, which only the shell knows. What is wrong, else None."""
    if when > today:
        return Msg("date.after_today", on=when.isoformat(), today=today.isoformat())
    return None


def month_end(y: int, m: int) -> date:
    """The last day of month m of year y (raises ValueError for a bad month)."""
    return date(y, m, calendar.monthrange(y, m)[1])


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

_CN_DIGIT = {
    "〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_RUN = re.compile("[〇○零一二三四五六七八九十两]+")
_CN_TENS = re.compile("([一二三四五六七八九])?十([一二三四五六七八九])?")


def _cn_number(run: str) -> str:
    """Convert one run of Chinese numerals to ASCII digits, or leave it alone.

    Two shapes are understood: small numbers with 十 (十, 十二, 二十, 三十一)
    for months, days and quarters, and digit-by-digit strings of one or four
    characters (三, 二〇二三) for single digits and years. Anything else (e.g.
    一二) is left untouched so that no pattern matches and the phrase is refused.
    """
    if run == "两":
        return "2"
    if "十" in run:
        m = _CN_TENS.fullmatch(run)
        if not m:
            return run
        tens = _CN_DIGIT[m.group(1)] if m.group(1) else 1
        units = _CN_DIGIT[m.group(2)] if m.group(2) else 0
        return str(tens * 10 + units)
    if len(run) in (1, 4) and "两" not in run:
        return "".join(str(_CN_DIGIT[c]) for c in run)
    return run


_PREFIX = re.compile("^(?:截至|截止|到|至)")
_SUFFIX = re.compile("(?:之前|以前|前)$")
_SPACE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    """NFKC (full-width digits and letters), no spaces, numerals as digits, no 到…前 wrapping."""
    s = unicodedata.normalize("NFKC", text)
    s = _SPACE.sub("", s)
    s = _PREFIX.sub("", s, count=1)
    s = _SUFFIX.sub("", s, count=1)
    s = _CN_RUN.sub(lambda m: _cn_number(m.group(0)), s)
    return s


# --------------------------------------------------------------------------
# Builders: each takes the match and the caller's default year
# --------------------------------------------------------------------------


def _year(s: str) -> int:
    y = int(s)
    if not 1 <= y <= 9999:
        raise DateError("", Msg("date.year_range", year=y))  # parse_date names the text
    return y


def _month(s: str) -> int:
    m = int(s)
    if not 1 <= m <= 12:
        raise DateError("", Msg("date.month_range", month=m))
    return m


def _day(y: int, m: int, s: str) -> date:
    d = int(s)
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        raise DateError("", Msg("date.day_in_month_range", day=d, year=y, month=m))
    return date(y, m, d)


def _needs_year(year: int | None) -> int:
    if year is None:
        raise DateError("", Msg("date.needs_year"))
    return _year(str(year))


_XUN_DAY = {"上旬": 10, "中旬": 20}


def _month_with_tail(y: int, m: int, tail: str | None) -> date:
    """月 / 月底 / 月末 / 月份 -> month end; 上旬 / 中旬 -> day 10 / 20; 下旬 -> month end."""
    if tail in _XUN_DAY:
        return date(y, m, _XUN_DAY[tail])
    return month_end(y, m)


def _b_ymd(m: re.Match[str], year: int | None) -> date:
    y, mo = _year(m["y"]), _month(m["m"])
    return _day(y, mo, m["d"])


def _b_ym(m: re.Match[str], year: int | None) -> date:
    return month_end(_year(m["y"]), _month(m["m"]))


def _b_year_end(m: re.Match[str], year: int | None) -> date:
    return date(_year(m["y"]), 12, 31)


def _b_half(m: re.Match[str], year: int | None) -> date:
    y = _year(m["y"])
    return date(y, 6, 30) if m["h"] == "上" else date(y, 12, 31)


def _b_quarter(m: re.Match[str], year: int | None) -> date:
    y, q = _year(m["y"]), int(m["q"])
    if not 1 <= q <= 4:
        raise DateError("", Msg("date.quarter_range", quarter=q))
    return month_end(y, 3 * q)


def _b_month(m: re.Match[str], year: int | None) -> date:
    y, mo = _year(m["y"]), _month(m["m"])
    return _month_with_tail(y, mo, m["t"])


def _b_month_no_year(m: re.Match[str], year: int | None) -> date:
    mo = _month(m["m"])  # range errors before "needs a year": the better message
    return _month_with_tail(_needs_year(year), mo, m["t"])


def _b_day_no_year(m: re.Match[str], year: int | None) -> date:
    mo, d = _month(m["m"]), int(m["d"])
    if not 1 <= d <= 31:
        raise DateError("", Msg("date.day_range", day=d))
    return _day(_needs_year(year), mo, m["d"])


_Y = r"(?P<y>[0-9]{4})"
_M = r"(?P<m>[0-9]{1,2})"
_D = r"(?P<d>[0-9]{1,2})"
_MONTH_TAIL = r"月份?(?:底|末|(?P<t>上旬|中旬|下旬))?"

Builder = Callable[[re.Match[str], int | None], date]

#: (pattern, builder); each pattern must match the whole normalised string.
_FORMS: list[tuple[re.Pattern[str], Builder]] = [
    # 2021-09-30, 2021/9/30, 2021.9.30 (one separator throughout)
    (re.compile(rf"{_Y}(?P<sep>[-/.]){_M}(?P=sep){_D}"), _b_ymd),
    # 2021-09, 2021/9, 2021.9
    (re.compile(rf"{_Y}[-/.]{_M}"), _b_ym),
    # 2021年12月15日, 2021年12月15号
    (re.compile(rf"{_Y}年{_M}月{_D}[日号]"), _b_ymd),
    # 2021年9月, 2021年9月底, 2021年9月末, 2021年9月份, 2021年9月上旬
    (re.compile(rf"{_Y}年{_M}{_MONTH_TAIL}"), _b_month),
    # 2023年, 2023年底, 2023年末, 2023年内, 2023年度, 2023年年底
    (re.compile(rf"{_Y}年(?:年?[底末内]|度)?"), _b_year_end),
    # 2022年上半年, 2022年下半年(末)
    (re.compile(rf"{_Y}年?(?P<h>[上下])半年[底末]?"), _b_half),
    # 2022年第三季度, 2022年三季度末, 2022年第3季
    (re.compile(rf"{_Y}(?:年第?|第)(?P<q>[0-9]+)季度?[底末]?"), _b_quarter),
    # 2022年Q3, 2022Q3, 2022-Q3
    (re.compile(rf"{_Y}[年-]?Q(?P<q>[0-9]+)[底末]?", re.IGNORECASE), _b_quarter),
    # 12月15日 (needs year=)
    (re.compile(rf"{_M}月{_D}[日号]"), _b_day_no_year),
    # 12月, 12月底, 12月份 (needs year=)
    (re.compile(rf"{_M}{_MONTH_TAIL}"), _b_month_no_year),
]

_TODAY = {"today", "今天", "今日"}


def parse_date(value: object, *, year: int | None = None, today: date | None = None) -> date:
    """Read a date field: a date, a datetime (its date) or one of the spec's phrases.

    Every phrase is read as the LAST day of the period it names. ``year``
    supplies the year for month phrases without one (12月底前); ``today``
    makes the word "today" (今天, 今日) usable. Raises DateError otherwise.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise DateError(str(value), Msg("date.not_text", kind=type(value).__name__))
    return _parse_text(value, year, today)


@functools.lru_cache(maxsize=4096)
def _parse_text(value: str, year: int | None, today: date | None) -> date:
    """parse_date of a phrase: pure, so memoised (a plan file of 10,000 tasks writes some 19,000 dates
    in a few hundred distinct phrases). A refusal is not cached: it is raised afresh, the same error."""
    if not value.strip():
        raise DateError(value, Msg("date.empty"))

    s = _normalise(value)
    if s.lower() in _TODAY:
        if today is None:
            raise DateError(value, Msg("date.today_needs_reference"))
        return today

    for pattern, build in _FORMS:
        m = pattern.fullmatch(s)
        if m:
            try:
                return build(m, year)
            except DateError as exc:  # a builder's reason, without the text
                raise DateError(value, exc.reason) from None
    raise DateError(value, Msg("date.unrecognised"))


# --------------------------------------------------------------------------
# Relative periods for the CLI (--since 7d)
# --------------------------------------------------------------------------

_SINCE_UNITS: dict[str, str] = {
    "d": "days", "天": "days",
    "w": "weeks", "周": "weeks", "星期": "weeks", "个星期": "weeks",
    "m": "months", "个月": "months",
    "y": "years", "年": "years",
}
_SINCE = re.compile(r"(?P<n>[0-9]{1,4})(?P<u>d|w|m|y|天|周|个?星期|个月|年)")


def parse_since(text: str, today: date) -> date:
    """'7d', '2w', '1m', '1y' (or 7天, 2周, 1个月, 1年) -> today minus that; else parse_date.

    Month and year steps use relativedelta, so 1m back from 03-31 is 02-28/29.
    A four-digit number before 年 is a year (2023年), not 2023 years ago.
    """
    s = _normalise(text).lower() if isinstance(text, str) else ""
    m = _SINCE.fullmatch(s)
    if m and not (m["u"] == "年" and len(m["n"]) == 4):
        n = int(m["n"])
        try:
            from dateutil.relativedelta import (
                relativedelta,  # here: most commands never need it
            )

            return today - relativedelta(**{_SINCE_UNITS[m["u"]]: n})
        except (OverflowError, ValueError):
            raise DateError(text, Msg("date.since_range", n=n, unit=m["u"], today=today.isoformat())) from None
    return parse_date(text, today=today)
