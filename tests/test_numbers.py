"""The one rule for numbers people type (supervise.numbers): the CLI, the UI and report forms call it."""

import pytest

from supervise.numbers import NumberError, parse_number


@pytest.mark.parametrize("text, unit, expected", [
    ("5200", None, 5200.0), ("5,200", None, 5200.0), ("5，200", None, 5200.0), ("５２００", None, 5200.0),
    (" 5 200 ", None, 5200.0), ("-3", None, -3.0), ("12.5%", None, 12.5), ("12.5％", "%", 12.5),
    ("5200人", "人", 5200.0), ("5,200 人", "人", 5200.0), ("1e3", None, 1000.0), (".5", None, 0.5),
    ("1,234.5", None, 1234.5), ("-1,000", None, -1000.0), ("1 234 567", None, 1234567.0),
])
def test_numbers_that_can_be_read(text, unit, expected):
    assert parse_number(text, unit=unit) == expected


@pytest.mark.parametrize("text, unit, words", [
    ("", None, "not a number"), ("abc", None, "not a number"), ("5200人", None, "not a number"),
    ("2万", "人", "typed in 万, the indicator counts in 人"), ("3个", "人", "typed in 个"),
    ("50%", "人", "typed in %"), ("1e999", None, "out of range"), ("nan", None, "not a number"),
    ("=SUM(1)", "人", "not a number"),
    # a separator that does not group thousands is a decimal comma or a slip, not to be dropped:
    # "1,2" was recorded as 12 and "1.234,5" as 1.2345
    ("1,2", None, "not a number"), ("1.234,5", None, "not a number"), ("12 34", None, "not a number"),
    ("1,0000", "人", "not a number"),
    # past ±1e15, as the plan file's targets: 1e300 was recorded and shown as a 301-digit number
    ("1e16", None, "out of range: numbers must lie within ±1e15"), ("-1e300", None, "out of range"),
])
def test_numbers_refused_not_guessed(text, unit, words):
    with pytest.raises(NumberError) as err:
        parse_number(text, unit=unit)
    assert words in err.value.words("en")
    assert err.value.words("zh")


def test_the_cli_and_the_ui_use_the_same_rule(invoke, tmp_db, bundled_plans):
    from supervise.tui.modals import read_number

    assert read_number("5,200") == 5200.0
    with pytest.raises(ValueError):
        read_number("2万")
    assert invoke(["--db", tmp_db, "import", bundled_plans]).exit_code == 0
    assert invoke(["--db", tmp_db, "record", "sy-2021/1.1", "carers", "5,200"]).exit_code == 0
    bad = invoke(["--db", tmp_db, "record", "sy-2021/1.1", "carers", "2万"])
    assert bad.exit_code == 2 and "not a number" in bad.stderr
    big = invoke(["--db", tmp_db, "record", "sy-2021/1.1", "carers", "1e300"])
    assert big.exit_code == 2 and "out of range" in big.stderr and len(big.stderr.splitlines()) == 1, big
