"""`status` as a person reads it (#16): at a terminal a long reason wraps, never cut; to a file or a
pipe (the cron dump) there is no width and nothing is cut; `--section` narrows it. The office is
test_cli's (today pinned to 2021-10-31)."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from conftest import event_count
from test_cli import LIVE, assert_refused, db, plans_file, status_json, sv, template  # noqa: F401  (fixtures)

REASON = ("资金未到位，已于10月20日约谈牵头单位并督促其在11月底前拿出整改方案 — the district has not "
          "yet signed the contract; see the minutes of the 2nd review meeting")
ID = re.compile(r"(sy|nb)-2021/\d")


@pytest.fixture
def long_reason(sv):
    assert sv("override", "sy-2021/2.1", "red", "--reason", REASON).exit_code == 0
    return sv


def _flat(text: str) -> str:
    return "".join(line.strip() for line in text.splitlines()).replace(" ", "")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_reason_wraps_at_80_columns_and_is_never_cut(long_reason, lang):
    out = long_reason("--lang", lang, "status", env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), [(cell_len(x), x) for x in lines]
    assert "…" not in out
    assert len([line for line in lines if ID.search(line)]) == len(LIVE)  # one row per task, more lines
    start = next(n for n, line in enumerate(lines) if "sy-2021/2.1" in line)
    end = next(n for n, line in enumerate(lines) if n > start and ID.search(line))
    assert REASON.replace(" ", "") in _flat("\n".join(lines[start + 1:end]))  # on the lines under its row
    for s in status_json(long_reason, "--lang", lang)["tasks"]:  # every reason whole, the short ones too
        assert all(r.replace(" ", "") in _flat(out) for r in s["reasons"]), s["reasons"]


def test_on_a_wider_terminal_the_reason_wraps_in_its_column(long_reason):
    out = long_reason("--lang", "zh", "status", env={"COLUMNS": "150"}).stdout
    lines = out.splitlines()
    assert all(cell_len(line) <= 150 for line in lines) and "…" not in out
    header = lines[1]
    column = cell_len(header[:header.index("原因")])
    start = next(n for n, line in enumerate(lines) if "sy-2021/2.1" in line)
    end = next(n for n, line in enumerate(lines) if n > start and ID.search(line))
    pieces = []
    for line in lines[start:end]:  # the reason's lines all start at its column
        cells = 0
        for i, ch in enumerate(line):
            if cells >= column:
                pieces.append(line[i:])
                break
            cells += cell_len(ch)
    assert end - start > 1 and REASON.replace(" ", "") in "".join(pieces).replace(" ", "")


def test_piped_status_cuts_nothing_and_keeps_one_line_per_task(long_reason):
    out = long_reason("status", env={"COLUMNS": None}).stdout  # not a terminal, no width asked for
    lines = out.splitlines()
    assert "…" not in out and len(lines) == 2 + len(LIVE)
    row = next(line for line in lines if "sy-2021/2.1" in line)
    assert REASON in row and "打造城市“一刻钟”居家养老服务圈" in row
    assert cell_len(row) > 200  # no width limit
    assert all(not line.endswith(" ") for line in lines)


@pytest.mark.parametrize("args, expected", [
    (["--section", "（一）提升居家养老服务品质"], ["sy-2021/1.1", "sy-2021/1.2"]),
    (["--section", "（二）"], ["sy-2021/2.1"]),
    (["--section", "养老"], ["sy-2021/1.1", "sy-2021/1.2", "sy-2021/2.1", "sy-2021/3.1"]),  # a part of three names
    (["--section", "保障", "--rag", "red"], ["sy-2021/3.1"]),
    (["--section", "（一）", "--unit", "市民政局", "--rag", "amber"], ["sy-2021/1.1"]),
])
def test_status_section(sv, args, expected):
    assert [t["id"] for t in status_json(sv, *args)["tasks"]] == expected


def test_status_section_in_the_table(sv):
    out = sv("status", "--section", "（二）", env={"COLUMNS": None}).stdout
    assert [ID.search(line) is not None for line in out.splitlines()].count(True) == 1 and "sy-2021/2.1" in out


@pytest.mark.parametrize("args, words", [
    (["--section", "（九）"], ["unknown section", "（九）"]),
    (["--section", "（一）提升居家养老服务"  + "质量"], ["unknown section", "（一）提升居家养老服务品质"]),  # hint
    (["--plan", "nb-2021", "--section", "（一）"], ["unknown section"]),  # nb-2021 has no sections
])
def test_status_unknown_section_is_refused(sv, db, args, words):
    assert_refused(sv("status", *args), db, event_count(db), *words)


@pytest.mark.parametrize("text, width, lines", [
    ("hello world this is a test", 10, ["hello", "world this", "is a test"]),  # at a space
    ("培训家庭照护者培训", 6, ["培训家", "庭照护", "者培训"]),  # Chinese counts two cells a character
    ("完成 15%，序时应完成 27.7%；老年人", 20, ["完成 15%，序时应完成", "27.7%；老年人"]),  # 27.7% kept whole
    ("应完成；老年", 6, ["应完", "成；老", "年"]),  # "；" never begins a line
    ("abcdefghijkl", 5, ["abcde", "fghij", "kl"]),  # a word longer than the line is split
    ("达到100%目标", 5, ["达到", "100%", "目标"]),  # a number against Chinese moves whole ("到20|23年底" was cut)
    ("培训到2023年底", 7, ["培训到", "2023年", "底"]),
    ("到12345678", 5, ["到", "12345", "678"]),  # a number longer than the line is split
    ("逾期未反馈 5 天（督办〔2022〕1号）", 24, ["逾期未反馈 5 天（督办", "〔2022〕1号）"]),  # 〔 never ends a line
    ("逾期未反馈 5 天（督办〔2022〕1号）", 27, ["逾期未反馈 5 天（督办", "〔2022〕1号）"]),  # 〕 never begins one
    ("short", 10, ["short"]),
])
def test_wrap(text, width, lines):
    from supervise.cli.terminal import _wrap

    assert _wrap(text, width) == lines
    assert all(cell_len(line) <= width for line in lines)
