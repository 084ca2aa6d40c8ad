"""Tests for supervise.dates: the spec's date table, the extras we chose, and refusals."""

from __future__ import annotations

import ast
import calendar
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervise.dates import DateError, month_end, parse_date, parse_since

D = date

# --------------------------------------------------------------------------
# The spec table (spec/plans-format.md, "Dates"), row by row
# --------------------------------------------------------------------------

SPEC_TABLE = [
    # ISO date
    ("2021-09-30", D(2021, 9, 30)),
    # year-month
    ("2021-09", D(2021, 9, 30)),
    # 年底 / 年末 / 年内
    ("2023年底", D(2023, 12, 31)),
    ("2021年底前", D(2021, 12, 31)),
    ("到2023年", D(2023, 12, 31)),
    ("2023年末", D(2023, 12, 31)),
    ("2023年内", D(2023, 12, 31)),
    ("2023年", D(2023, 12, 31)),
    # 上半年 / 下半年
    ("2022年上半年", D(2022, 6, 30)),
    ("2022年下半年", D(2022, 12, 31)),
    # 季度
    ("2022年第三季度", D(2022, 9, 30)),
    ("2022年三季度末", D(2022, 9, 30)),
    # 月底 / 月末 / 月前
    ("2021年9月底前", D(2021, 9, 30)),
    ("2022年6月前", D(2022, 6, 30)),
    ("2021年9月末", D(2021, 9, 30)),
    # full date
    ("2021年12月15日前", D(2021, 12, 15)),
]


@pytest.mark.parametrize(("text", "expected"), SPEC_TABLE)
def test_spec_table(text, expected):
    assert parse_date(text) == expected


def test_spec_month_without_year_takes_given_year():
    assert parse_date("12月底前", year=2021) == D(2021, 12, 31)


# --------------------------------------------------------------------------
# More accepted forms
# --------------------------------------------------------------------------

MORE_FORMS = [
    # 月 / 月份 / 月底 with year
    ("2021年9月", D(2021, 9, 30)),
    ("2021年9月份", D(2021, 9, 30)),
    ("2021年09月底", D(2021, 9, 30)),
    ("2024年2月底", D(2024, 2, 29)),  # leap year
    ("2023年2月底", D(2023, 2, 28)),
    ("2021年9月末前", D(2021, 9, 30)),
    ("2021年9月30号", D(2021, 9, 30)),
    # year ends, more spellings
    ("2023年年底", D(2023, 12, 31)),
    ("2023年年底前", D(2023, 12, 31)),
    ("2023年度", D(2023, 12, 31)),
    ("2022下半年", D(2022, 12, 31)),
    ("2022年上半年末", D(2022, 6, 30)),
    # quarters
    ("2022年第3季度", D(2022, 9, 30)),
    ("2022年第一季度", D(2022, 3, 31)),
    ("2022年二季度", D(2022, 6, 30)),
    ("2022年第四季度末前", D(2022, 12, 31)),
    ("2022年第三季", D(2022, 9, 30)),
    ("2022年Q3", D(2022, 9, 30)),
    ("2022Q1", D(2022, 3, 31)),
    ("2022年q2", D(2022, 6, 30)),
    # separators
    ("2021/9/30", D(2021, 9, 30)),
    ("2021.9.30", D(2021, 9, 30)),
    ("2021-9-30", D(2021, 9, 30)),
    ("2021/09", D(2021, 9, 30)),
    ("2021-02", D(2021, 2, 28)),
    # leading 到 / 至 / 截至 / 截止, trailing 前 / 之前 / 以前
    ("至2022年6月", D(2022, 6, 30)),
    ("截至2022年6月底", D(2022, 6, 30)),
    ("截止2022年6月底", D(2022, 6, 30)),
    ("到2022年6月底之前", D(2022, 6, 30)),
    ("2022年6月底以前", D(2022, 6, 30)),
    ("2021-09-30前", D(2021, 9, 30)),
    # 上旬 / 中旬 / 下旬: last day of the ten-day period
    ("2021年9月上旬", D(2021, 9, 10)),
    ("2021年9月中旬", D(2021, 9, 20)),
    ("2021年9月下旬", D(2021, 9, 30)),
    ("2021年2月下旬前", D(2021, 2, 28)),
]


@pytest.mark.parametrize(("text", "expected"), MORE_FORMS)
def test_more_forms(text, expected):
    assert parse_date(text) == expected


CHINESE_NUMERALS = [
    ("2021年九月底", D(2021, 9, 30)),
    ("2021年十二月", D(2021, 12, 31)),
    ("2021年十一月底前", D(2021, 11, 30)),
    ("2021年十月", D(2021, 10, 31)),
    ("二〇二三年底", D(2023, 12, 31)),
    ("二零二三年", D(2023, 12, 31)),
    ("二○二三年底", D(2023, 12, 31)),  # ○ (white circle), common in printed documents
    ("二〇二一年十二月十五日", D(2021, 12, 15)),
    ("2021年12月三十一日", D(2021, 12, 31)),
    ("2021年12月二十日前", D(2021, 12, 20)),
    ("2021年3月十日", D(2021, 3, 10)),
    ("2021年12月十五日", D(2021, 12, 15)),
    ("二〇二二年第四季度", D(2022, 12, 31)),
]


@pytest.mark.parametrize(("text", "expected"), CHINESE_NUMERALS)
def test_chinese_numerals(text, expected):
    assert parse_date(text) == expected


WIDTH_AND_SPACE = [
    ("２０２１年９月底", D(2021, 9, 30)),
    ("２０２１－０９－３０", D(2021, 9, 30)),
    ("２０２２年Ｑ３", D(2022, 9, 30)),
    ("  2021-09-30  ", D(2021, 9, 30)),
    ("2023 年底", D(2023, 12, 31)),
    (" 2021 年 9 月 底 前 ", D(2021, 9, 30)),
    ("2023\u3000年底", D(2023, 12, 31)),  # ideographic space
    ("\t2022年第三季度\n", D(2022, 9, 30)),
]


@pytest.mark.parametrize(("text", "expected"), WIDTH_AND_SPACE)
def test_full_width_and_spaces(text, expected):
    assert parse_date(text) == expected


# --------------------------------------------------------------------------
# Non-string values
# --------------------------------------------------------------------------


def test_date_passes_through():
    assert parse_date(D(2021, 9, 30)) == D(2021, 9, 30)


def test_datetime_gives_its_date():
    assert parse_date(datetime(2021, 9, 30, 17, 45)) == D(2021, 9, 30)


@pytest.mark.parametrize("value", [2023, 2023.5, None, ["2023年底"]])
def test_other_types_rejected(value):
    with pytest.raises(DateError) as info:
        parse_date(value)
    assert str(value) in str(info.value)


# --------------------------------------------------------------------------
# Month without year
# --------------------------------------------------------------------------

NO_YEAR = [
    ("12月底前", D(2021, 12, 31)),
    ("12月", D(2021, 12, 31)),
    ("9月份", D(2021, 9, 30)),
    ("九月底", D(2021, 9, 30)),
    ("2月底", D(2021, 2, 28)),
    ("12月15日前", D(2021, 12, 15)),
    ("十二月十五日", D(2021, 12, 15)),
    ("6月上旬", D(2021, 6, 10)),
]


@pytest.mark.parametrize(("text", "expected"), NO_YEAR)
def test_month_without_year_uses_year(text, expected):
    assert parse_date(text, year=2021) == expected


@pytest.mark.parametrize("text", [t for t, _ in NO_YEAR])
def test_month_without_year_needs_year(text):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert "needs a year" in str(info.value)
    assert text in str(info.value)


def test_given_year_does_not_override_explicit_year():
    assert parse_date("2022年6月底", year=2021) == D(2022, 6, 30)


def test_month_without_year_checks_the_calendar_of_that_year():
    assert parse_date("2月29日", year=2024) == D(2024, 2, 29)
    with pytest.raises(DateError, match="out of range"):
        parse_date("2月29日", year=2023)


# --------------------------------------------------------------------------
# "today"
# --------------------------------------------------------------------------

TODAY = D(2022, 5, 17)


@pytest.mark.parametrize("text", ["today", "Today", " TODAY ", "今天", "今日", "ｔｏｄａｙ"])
def test_today_with_reference(text):
    assert parse_date(text, today=TODAY) == TODAY


@pytest.mark.parametrize("text", ["today", "今天", "今日"])
def test_today_without_reference_is_an_error(text):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert text in str(info.value)


# --------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------

REJECTED = [
    ("", "empty"),
    ("   ", "empty"),
    ("明年", "not a recognised"),
    ("尽快", "not a recognised"),
    ("长期坚持", "not a recognised"),
    ("持续推进", "not a recognised"),
    ("2021年第五季度", "quarter 5 out of range"),
    ("2022年Q0", "quarter 0 out of range"),
    ("2021年13月", "month 13 out of range"),
    ("2021年13月底", "month 13 out of range"),
    ("2021年0月", "month 0 out of range"),
    ("9月32日", "day 32 out of range"),
    ("2021-9-31", "day 31 out of range"),
    ("2021-02-30", "day 30 out of range"),
    ("2021年2月29日", "day 29 out of range"),
    ("2021-13", "month 13 out of range"),
    ("0000-01-01", "year 0 out of range"),
    ("下个月", "not a recognised"),
    ("年底", "not a recognised"),
    ("abc", "not a recognised"),
    ("2021年上旬", "not a recognised"),
    ("三年内", "not a recognised"),
    ("2023", "not a recognised"),
    ("21年底", "not a recognised"),
    ("2021-09-30-01", "not a recognised"),
    ("2021/09-30", "not a recognised"),
    ("2021年9月底后", "not a recognised"),
    ("2021年一二月", "not a recognised"),
    ("20223季度", "not a recognised"),
    ("today", "needs a reference date"),
]


@pytest.mark.parametrize(("text", "reason"), REJECTED)
def test_rejected(text, reason):
    with pytest.raises(DateError) as info:
        parse_date(text)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.text == text
    assert reason in err.reason.words("en")
    message = str(err)
    assert f'"{text}"' in message
    assert reason in message
    assert "\n" not in message


def test_rejected_even_with_year():
    # year= is for month forms only; a bare 年底 stays ambiguous on purpose
    with pytest.raises(DateError):
        parse_date("年底", year=2021)


def test_message_shape():
    with pytest.raises(DateError) as info:
        parse_date("2021年13月底")
    assert str(info.value) == 'unreadable date "2021年13月底": month 13 out of range'


def test_message_stays_one_line():
    with pytest.raises(DateError) as info:
        parse_date("2021\n明年")
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------
# month_end
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("y", "m", "expected"),
    [(2021, 1, D(2021, 1, 31)), (2021, 2, D(2021, 2, 28)), (2024, 2, D(2024, 2, 29)),
     (1900, 2, D(1900, 2, 28)), (2000, 2, D(2000, 2, 29)), (2021, 4, D(2021, 4, 30)),
     (2021, 12, D(2021, 12, 31))],
)
def test_month_end(y, m, expected):
    assert month_end(y, m) == expected


def test_month_end_bad_month():
    with pytest.raises(ValueError):
        month_end(2021, 13)


# --------------------------------------------------------------------------
# parse_since
# --------------------------------------------------------------------------

SINCE_TODAY = D(2022, 3, 31)

SINCE = [
    ("7d", D(2022, 3, 24)),
    ("0d", D(2022, 3, 31)),
    ("2w", D(2022, 3, 17)),
    ("1m", D(2022, 2, 28)),  # relativedelta clips to month end
    ("1y", D(2021, 3, 31)),
    ("7D", D(2022, 3, 24)),
    (" 7 d ", D(2022, 3, 24)),
    ("７ｄ", D(2022, 3, 24)),
    ("7天", D(2022, 3, 24)),
    ("七天", D(2022, 3, 24)),
    ("2周", D(2022, 3, 17)),
    ("两周", D(2022, 3, 17)),
    ("2星期", D(2022, 3, 17)),
    ("2个星期", D(2022, 3, 17)),
    ("1个月", D(2022, 2, 28)),
    ("一个月", D(2022, 2, 28)),
    ("3个月", D(2021, 12, 31)),
    ("1年", D(2021, 3, 31)),
    ("7天前", D(2022, 3, 24)),
    # fall through to parse_date
    ("2021-09-30", D(2021, 9, 30)),
    ("2021年底", D(2021, 12, 31)),
    ("2023年", D(2023, 12, 31)),  # a year, not 2023 years ago
    ("today", SINCE_TODAY),
    ("今天", SINCE_TODAY),
]


@pytest.mark.parametrize(("text", "expected"), SINCE)
def test_parse_since(text, expected):
    assert parse_since(text, SINCE_TODAY) == expected


@pytest.mark.parametrize("text", ["", "7", "d", "7x", "-7d", "1月", "明年", "7 days", "9999y", "99999d"])
def test_parse_since_rejects(text):
    with pytest.raises(DateError) as info:
        parse_since(text, SINCE_TODAY)
    assert f'"{text}"' in str(info.value)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

# Years have four digits in every form (so 三年内 is not the year 3).
four_digit_dates = st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31))


@given(four_digit_dates)
def test_iso_round_trip(d):
    assert parse_date(d.isoformat()) == d


@given(four_digit_dates)
def test_chinese_full_date_round_trip(d):
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d


@given(st.integers(1000, 9999), st.integers(1, 12))
def test_month_end_phrase_is_last_day(y, m):
    expected = D(y, m, calendar.monthrange(y, m)[1])
    assert parse_date(f"{y}年{m}月底") == expected
    assert parse_date(f"{y}-{m:02d}") == expected


@given(four_digit_dates)
def test_parse_since_days(d):
    # stay clear of date.min so subtraction is always defined
    if d.year > 1001:
        assert parse_since("30d", d) == d.fromordinal(d.toordinal() - 30)


@given(st.text(max_size=12))
def test_never_crashes_with_other_errors(text):
    try:
        result = parse_date(text, year=2021, today=TODAY)
    except DateError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(result, date)


# --------------------------------------------------------------------------
# Purity: no terminal libraries, no clock
# --------------------------------------------------------------------------


def test_module_is_pure():
    import supervise.dates as mod

    source = Path(mod.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"textual", "rich", "click"}
    for call in ("today(", "now(", "utcnow(", "time.time"):
        assert call not in source
