"""The Excel ledger (supervise/ledger.py), read back with openpyxl: sheets, header, rows, fills,
frozen panes, autofilter, widths, and user text that stays text (never a formula or an error).

The office is the briefing fixture (tests/fixtures/briefing_plans.toml and the history in
tests/test_briefing.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from supervise.cli import cli
from openpyxl.utils import get_column_letter

from supervise.ledger import FILLS, build_ledger, display_width, sheet_name, text_cell, write_ledger
from test_briefing import AS_OF, FIXTURE, build_db, record_history, snapshot_of

D = date
HEADER_ZH = ["序号", "编号", "任务", "牵头单位", "责任单位", "完成时限", "状态", "节点与指标完成情况", "原因", "进展情况",
             "存在问题", "下步措施", "督办情况"]
PLAN = "示范市推动品质养老三年行动计划（2021—2023年）"  # the plans' titles name their sheets
KEY_PLAN = "示范市推动品质养老2021年重点工作任务"


@pytest.fixture(scope="module")
def ledger_zh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ledger")
    snap = snapshot_of(build_db(tmp))
    path = tmp / "ledger.xlsx"
    write_ledger(snap, AS_OF, "zh", path)
    return path


def read_back(snap, lang: str, folder: Path) -> openpyxl.Workbook:
    """build_ledger's write-only workbook, saved and opened as Excel would open it."""
    path = folder / f"ledger-{lang}.xlsx"
    build_ledger(snap, AS_OF, lang).save(path)
    return openpyxl.load_workbook(path)


def _rows(ws) -> dict[str, tuple]:
    """A plan sheet's task rows (a 序号 in column A) by 编号."""
    return {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True) if isinstance(row[0], int)}


def _row_of(ws, task_id: str) -> int:
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=2).value == task_id
                and isinstance(ws.cell(row=r, column=1).value, int))


def test_sheets_are_named_after_the_plans(ledger_zh):
    wb = openpyxl.load_workbook(ledger_zh)
    assert wb.sheetnames == ["汇总", PLAN, KEY_PLAN, "进展记录"]


def test_plan_sheet_title_header_and_layout(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)[PLAN]
    title = ws["A1"].value
    assert title.startswith("示范市推动品质养老三年行动计划（2021—2023年）（示老组发〔2021〕1号）督查台账")
    assert "截至2021年10月31日" in title and "红 2 · 黄 2 · 绿 3 · 完成 1" in title
    assert "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == HEADER_ZH
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2:M")
    # 序号 counts the tasks 1..8; the sections are bands across the sheet
    assert [row[0] for row in ws.iter_rows(min_row=3, values_only=True) if isinstance(row[0], int)] == list(range(1, 9))
    assert ws["A3"].value == "（一）提升居家养老服务品质" and "A3:M3" in {str(r) for r in ws.merged_cells.ranges}


def test_a_row(ledger_zh):
    rows = _rows(openpyxl.load_workbook(ledger_zh)[PLAN])
    assert rows["1.2"] == (
        2, "1.2", "精心实施居家适老化改造", "市民政局", "市财政局、市残联", datetime(2022, 12, 31), "黄",
        "出台实施方案（2021-06-30）：已于 2021-06-20 完成\n完成首批500户困难老年人家庭适老化改造（2021-11-30）：30 天后到期",
        "完成首批500户困难老年人家庭适老化改造：30 天后到期", "2021-10-08：首批改造对象已确定，正在施工。", None, None, None)
    assert rows["1.1"][7] == "培训家庭照护者：3500/20000人（2021-09-30填报）：完成 17.5%，序时应完成 27.7%"
    assert rows["4.1"][6] == "红\n停滞"  # made red by the clerk, and no progress since May
    assert rows["4.1"][8] == "人工调整：培训进度明显滞后，已约谈牵头单位；完成 3%，序时应完成 16.6%"
    assert rows["3.2"][6] == "绿\n停滞"  # the stale flag under the colour


def test_colour_is_a_fill_and_a_word(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)[PLAN]
    for task, word, rag in (("2.2", "红", "red"), ("1.1", "黄", "amber"), ("2.1", "绿", "green"), ("3.1", "完成", "done")):
        cell = ws.cell(row=_row_of(ws, task), column=7)
        assert cell.value == word
        assert cell.fill.fgColor.rgb.endswith(FILLS[rag][0])
        assert cell.font.color.rgb.endswith(FILLS[rag][1])


def test_due_dates_are_dates(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)[PLAN]
    cell = ws.cell(row=_row_of(ws, "1.1"), column=6)
    assert cell.value == datetime(2023, 12, 31) and cell.number_format == "yyyy-mm-dd"


# --- printing ---------------------------------------------------------------------------------------


def test_every_sheet_prints_on_a4_landscape_one_page_wide(ledger_zh):
    wb = openpyxl.load_workbook(ledger_zh)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth in (1, "1") and ws.page_setup.fitToHeight in (0, "0")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        if ws is wb.worksheets[0]:  # the summary: its trend and chart pages have headings of their own
            assert ws.print_title_rows is None
        else:
            assert ws.print_title_rows == "$1:$2", ws.title  # title and header on every page
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_fonts_are_fangsong_and_songti(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)[PLAN]
    r = _row_of(ws, "1.2")
    assert {ws.cell(row=r, column=c).font.name for c in range(1, 13)} == {"仿宋"}
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.sz == 16
    assert {c.font.name for c in ws[2]} == {"宋体"} and all(c.font.b for c in ws[2])
    assert ws.cell(row=r, column=3).font.sz == 11


def test_columns_readable_at_full_size(ledger_zh):
    """Fixed widths that add up to what an A4 landscape page holds at 100% (about 145 characters of
    Calibri 11: 29.7 cm less 2.54 cm of margins), long text wrapped in its own column."""
    ws = openpyxl.load_workbook(ledger_zh)[PLAN]
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, 13)]
    assert 120 <= sum(widths) <= 146
    assert min(widths) >= 5
    r = _row_of(ws, "1.2")
    wrapped = [c for c in range(1, 13) if ws.cell(row=r, column=c).alignment.wrap_text]
    assert wrapped == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12]


def test_rows_are_as_high_as_their_wrapped_text(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)[PLAN]
    r = _row_of(ws, "1.2")
    # 节点与指标 is 22 columns wide; its two lines need, counting CJK as two columns,
    # "出台实施方案（2021-06-30）：已于 2021-06-20 完成" 12+2+10+2+2+5+10+5 = 48 columns: 3 lines, and
    # "完成首批500户困难老年人家庭适老化改造（2021-11-30）：30 天后到期" 8+3+26+2+10+2+2+3+8 = 64: 4 lines
    # (at a little over 20 columns a line), so 7 lines of 15 pt at least
    assert ws.row_dimensions[r].height >= 7 * 15
    assert ws.row_dimensions[r].height <= 409
    # a short row is not stretched: 3.1's longest cell is 3 lines in 22 columns
    assert ws.row_dimensions[_row_of(ws, "2.1")].height < ws.row_dimensions[r].height
    assert ws.row_dimensions[1].height >= 30  # the title


# --- the summary ------------------------------------------------------------------------------------


def test_summary_sheet_is_the_ranking_with_a_totals_row(ledger_zh, tmp_path):
    from supervise.ranking import rank_units, totals
    from supervise.views import statuses

    ws = openpyxl.load_workbook(ledger_zh)["汇总"]
    assert ws["A1"].value.startswith("示范市养老服务工作领导小组办公室 督查台账（按单位汇总）（截至2021年10月31日）")
    assert [c.value for c in ws[2]] == ["名次", "单位", "牵头任务", "红", "黄", "绿", "完成", "红灯率", "按期完成率",
                                        "按期/到期", "上次名次", "参与（非牵头）"]
    snap = snapshot_of(build_db(tmp_path))
    ranked = rank_units(snap, AS_OF, snap.office)  # the same function `units` prints: the same figures
    rows = list(ws.iter_rows(min_row=3, max_row=2 + len(ranked), values_only=True))
    assert [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows] == [
        (u.rank, u.unit, u.led, u.red, u.amber, u.green, u.done) for u in ranked]
    assert [r[7] for r in rows] == [pytest.approx(u.red_rate) for u in ranked]
    assert [r[8] for r in rows] == [pytest.approx(u.on_time_rate) if u.on_time_rate is not None else "—" for u in ranked]
    assert ws.cell(row=3, column=8).number_format == "0.0%"
    # 市民政局 leads 1.1, 1.2, 2.2, 4.1, 4.2 and key/1, key/2, key/4 (8 tasks) and shares in 2 more
    assert rows[0][1] == "市民政局" and rows[0][2] == 8 and rows[0][11] == 2
    total = ws[3 + len(ranked)]
    assert total[1].value == "合计"
    # every live task once: the title's counts (红 3 · 黄 2 · 绿 5 · 完成 2 = 12 tasks)
    assert [c.value for c in total[2:7]] == [12, 3, 2, 5, 2]
    assert total[7].value == pytest.approx(3 / 12)
    t = totals(statuses(snap, AS_OF), AS_OF, snap.office)
    assert total[9].value == f"{t.on_time}/{t.fell_due}"
    assert all(c.font.b for c in total[1:10])
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:L{2 + len(ranked)}"


def test_summary_trend_table(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)["汇总"]
    at = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "各推进会时点任务状态")
    assert [c.value for c in ws[at][2:7]] == ["红", "黄", "绿", "完成", "合计"]
    days = [ws.cell(row=r, column=2).value for r in range(at + 1, ws.max_row + 1) if ws.cell(row=r, column=2).value]
    # reviews every two months from 2021-04-30, the meeting held on 2021-09-03, then the as-of date
    assert days == ["2021-04-30", "2021-06-30", "2021-08-31", "2021-09-03", "2021-10-31"]
    assert [c.value for c in ws[at + len(days)][2:7]] == [3, 2, 5, 2, 12]  # as of 2021-10-31: the title's counts


def test_summary_has_two_native_charts(ledger_zh):
    with zipfile.ZipFile(ledger_zh) as z:
        names = z.namelist()
        charts = sorted(n for n in names if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        trend, ranking = (z.read(n).decode("utf-8") for n in charts)
        summary_rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode("utf-8")
        assert "drawing" in summary_rels
        for n in names:  # no other sheet carries a drawing
            if n.startswith("xl/worksheets/_rels/") and n != "xl/worksheets/_rels/sheet1.xml.rels":
                assert "drawing" not in z.read(n).decode("utf-8")
    assert "<barChart>" in trend and '<grouping val="stacked"/>' in trend and "各推进会时点任务状态" in trend
    assert "'汇总'!$C$" in trend or "汇总!$C$" in trend
    assert '<barDir val="bar"/>' in ranking and "按期完成率" in ranking and "$I$3" in ranking


def test_english(tmp_path):
    snap = snapshot_of(build_db(tmp_path))
    wb = read_back(snap, "en", tmp_path)
    assert wb.sheetnames == ["Summary", PLAN, KEY_PLAN, "Progress log"]
    ws = wb[PLAN]
    assert [c.value for c in ws[2]][:3] == ["No.", "ID", "Title"]
    assert "as of 31 October 2021" in ws["A1"].value
    assert ws.cell(row=_row_of(ws, "1.1"), column=7).value == "amber"
    assert ws.oddFooter.center.text == "Page &P of &N"


# --- progress: the latest, the form's parts, the whole log -------------------------------------------


def test_problems_and_next_steps_come_from_the_latest_collected_form(tmp_path):
    def history(store):
        record_history(store)
        store.add_note("fx-2021/2.1", "进展情况：完成改造60个\n存在问题：资金未到位\n下步措施：=协调财政\n第二行", D(2021, 9, 1))
        store.add_note("fx-2021/2.1", "现场推进会已召开。", D(2021, 10, 21))  # a later note, not a form

    snap = snapshot_of(build_db(tmp_path, history=history))
    ws = read_back(snap, "zh", tmp_path)[PLAN]
    r = _row_of(ws, "2.1")
    assert ws.cell(row=r, column=10).value == "2021-10-21：现场推进会已召开。"
    assert ws.cell(row=r, column=11).value == "资金未到位"
    cell = ws.cell(row=r, column=12)
    assert cell.value == "=协调财政\n第二行" and cell.data_type == "s" and cell.quotePrefix
    # as of the day of the form, its own 进展情况 is the progress
    wb = openpyxl.load_workbook(_save(build_ledger(snap, D(2021, 9, 1), "zh"), tmp_path / "early.xlsx"))
    ws = wb[PLAN]
    assert ws.cell(row=_row_of(ws, "2.1"), column=10).value == "2021-09-01：完成改造60个"
    # and before it, nothing
    assert ws.cell(row=_row_of(ws, "1.2"), column=11).value is None


def _save(wb, path):
    wb.save(path)
    return path


def test_note_parts():
    from supervise.ledger.sheets import note_parts

    assert note_parts("进展情况：甲\n存在问题：乙\n丙\n下步措施：丁") == {"进展情况": "甲", "存在问题": "乙\n丙", "下步措施": "丁"}
    assert note_parts("存在问题: 只有问题") == {"存在问题": "只有问题"}
    assert note_parts("普通进展，提到存在问题：无") is None
    assert note_parts("") is None


def test_progress_log_has_every_note_value_and_tick_newest_first(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)["进展记录"]
    assert [c.value for c in ws[2]] == ["序号", "编号", "任务", "日期", "类型", "内容"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True)]
    carers = [(r[3].date(), r[4], r[5]) for r in rows if r[1] == "fx-2021/1.1"]
    # record_history: 2500 on 06-30; 3500 on 09-30 with a note (kept as a note of that day too)
    assert carers == [(D(2021, 9, 30), "数值", "培训家庭照护者：3500人"), (D(2021, 9, 30), "进展", "第三季度培训家庭照护者1000人。"),
                      (D(2021, 6, 30), "数值", "培训家庭照护者：2500人")]
    adapt = [(r[3].date(), r[4], r[5]) for r in rows if r[1] == "fx-2021/1.2"]
    assert adapt == [(D(2021, 10, 8), "进展", "首批改造对象已确定，正在施工。"), (D(2021, 6, 20), "节点完成", "出台实施方案")]
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))


def test_column_widths_and_sheet_names_come_from_titles_within_31_characters(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace(
        'title = "示范市推动品质养老2021年重点工作任务"', 'title = "示范市推动品质养老三年行动计划（2021—2023年）重点工作任务分解：第二批"')
    plans = tmp_path / "plans.toml"
    plans.write_text(text, encoding="utf-8")
    wb = read_back(snapshot_of(build_db(tmp_path, plans)), "zh", tmp_path)
    names = wb.sheetnames
    assert names[1] == PLAN and len(names[2]) == 31 and names[2] == "示范市推动品质养老三年行动计划（2021—2023年）重点工作"


# --- user text stays text -------------------------------------------------------------------------

FORMULA_LIKE = ["=SUM(A1:A9)", "=1+1", "+86 138 0000", "-3", "- 列表项", "@所有人", "#N/A", "#DIV/0!",
                "=HYPERLINK(\"http://x\",\"y\")", "|a|b|", "# 标题", "*星* _下_ `码`", "<b>粗</b>", "[red]红[/red]",
                "第一行\n第二行"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")

    def history(store):
        record_history(store)
        for n, text in enumerate(FORMULA_LIKE):
            store.add_note("fx-2021-key/4", text, D(2021, 9, 1) + timedelta(days=n))
        store.add_note("fx-2021/2.1", "=SUM(A1:A9)", D(2021, 10, 30))
        store.add_note("fx-2021/3.2", "bell\x07 and \x1b[31mansi", D(2021, 10, 30))

    text = FIXTURE.read_text(encoding="utf-8").replace('title = "推动医养结合发展"', 'title = "=1+2"')
    plans = tmp / "plans.toml"
    plans.write_text(text, encoding="utf-8")
    snap = snapshot_of(build_db(tmp, plans, history=history))
    path = tmp / "hostile.xlsx"
    write_ledger(snap, AS_OF, "zh", path)
    return path


def test_formula_like_note_is_kept_as_text(hostile):
    ws = openpyxl.load_workbook(hostile)[PLAN]
    assert ws.cell(row=_row_of(ws, "2.1"), column=10).value == "2021-10-30：=SUM(A1:A9)"
    log = openpyxl.load_workbook(hostile)["进展记录"]
    cell = next(r[5] for r in log.iter_rows(min_row=3) if r[1].value == "fx-2021/2.1" and r[4].value == "进展")
    assert cell.value == "=SUM(A1:A9)"
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_formula_like_title_is_kept_as_text(hostile):
    ws = openpyxl.load_workbook(hostile)[KEY_PLAN]
    cell = ws.cell(row=_row_of(ws, "4"), column=3)
    assert cell.value == "=1+2" and cell.data_type == "s" and cell.quotePrefix


def test_no_formula_anywhere_in_the_file(hostile):
    with zipfile.ZipFile(hostile) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name
            assert 't="e"' not in xml, name


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_each_hostile_text_reads_back_literally(text, tmp_path):
    wb = openpyxl.Workbook()
    cell = text_cell(wb.active["A1"], text)
    assert cell.data_type == "s"
    path = tmp_path / "x.xlsx"
    wb.save(path)
    back = openpyxl.load_workbook(path).active["A1"]
    assert back.value == text
    assert back.data_type == "s"
    assert back.quotePrefix == text.startswith(("=", "+", "-", "@", "#"))


XML_SPECIAL = ["a & b < c > d ]]> &amp;", "  leading and trailing  ", "carriage\rreturn", "tab\tthere",
               "non\uffffcharacter\ufffe", "引号\"'", "混合 CJK & ASCII\n第二行 "]


def test_text_the_xml_treats_specially_reads_back_literally(tmp_path):
    """The rows' XML is written by the ledger itself: markup characters, edge spaces, a carriage
    return and a tab read back as typed; the noncharacters XML cannot hold read back as U+XXXX."""

    def history(store):
        record_history(store)
        for n, text in enumerate(XML_SPECIAL):
            store.add_note("fx-2021/3.2", text, D(2021, 9, 1) + timedelta(days=n))

    snap = snapshot_of(build_db(tmp_path, history=history))
    path = tmp_path / "special.xlsx"
    write_ledger(snap, AS_OF, "zh", path)
    log = openpyxl.load_workbook(path)["进展记录"]
    notes = {r[3].value.date(): r[5].value for r in log.iter_rows(min_row=3)
             if r[1].value == "fx-2021/3.2" and r[4].value == "进展"}
    got = [notes[D(2021, 9, 1) + timedelta(days=n)] for n in range(len(XML_SPECIAL))]
    assert got == ["a & b < c > d ]]> &amp;", "  leading and trailing  ", "carriage\rreturn", "tab\tthere",
                   "nonU+FFFFcharacterU+FFFE", "引号\"'", "混合 CJK & ASCII\n第二行 "]
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                ET.fromstring(z.read(name))  # every sheet is well-formed XML


def test_a_sheet_is_gathered_in_row_order(tmp_path):
    """Rows become XML as soon as the next one begins: a cell for an earlier row is refused, not lost."""
    from openpyxl import Workbook

    from supervise.ledger.cells import WRAP, Sheet, Styles, named_styles

    wb = Workbook(write_only=True)
    for style in named_styles():
        wb.add_named_style(style)
    sheet = Sheet(Styles(wb), [10, 10])
    sheet.text(3, 1, "three", WRAP)
    sheet.text(3, 2, "also three", WRAP)  # the same row, another column: fine
    with pytest.raises(ValueError, match="row 2 comes after row 3"):
        sheet.text(2, 1, "two")
    sheet.text(5, 1, "=five")
    sheet.finish(2, 3)
    sheet.write(wb, "s", "zh")
    wb.save(tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["s"]
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=5)] == [
        [None, None], [None, None], ["three", "also three"], [None, None], ["=five", None]]
    assert ws["A5"].data_type == "s" and ws["A5"].quotePrefix


def test_control_characters_become_visible(hostile):
    ws = openpyxl.load_workbook(hostile)[PLAN]
    assert ws.cell(row=_row_of(ws, "3.2"), column=10).value == "2021-10-30：bellU+0007 and U+001B[31mansi"


def test_latest_hostile_note_is_literal_and_wrapped(hostile):
    ws = openpyxl.load_workbook(hostile)[KEY_PLAN]
    cell = ws.cell(row=_row_of(ws, "4"), column=10)
    assert cell.value.endswith("：第一行\n第二行")
    assert cell.alignment.wrap_text
    assert ws.row_dimensions[_row_of(ws, "4")].height >= 2 * 15


# --- sheet names and widths -----------------------------------------------------------------------


def test_sheet_names_are_legal_and_unique():
    used: set[str] = set()
    names = [sheet_name(n, used) for n in ("a[b]:c*d?e/f\\g", "x" * 40, "x" * 40, "'引号'", "History", "", "汇总",
                                           "汇总", "沈阳市推动品质养老三年行动计划（2021—2023年）附件：重点任务")]
    for n in names:
        assert 0 < len(n) <= 31
        assert not set(n) & set("[]:*?/\\")
        assert not n.startswith("'") and not n.endswith("'")
    assert names[0] == "a_b__c_d_e_f_g"
    assert names[1] == "x" * 31 and names[2] == "x" * 29 + "~2"
    assert names[3] == "引号"
    assert names[4] == "History_"
    assert names[5] == "Sheet"
    assert names[6] == "汇总" and names[7] == "汇总~2"
    assert len({n.casefold() for n in names}) == len(names)


def test_display_width_counts_cjk_twice():
    assert display_width("市民政局") == 8
    assert display_width("ab") == 2
    assert display_width("１２（）") == 8  # full-width forms
    assert display_width("2021-10-31") == 10


def test_withdrawn_tasks_are_left_out(tmp_path):
    db = build_db(tmp_path)
    text = FIXTURE.read_text(encoding="utf-8")
    cut = text.index('[[task]]\nplan = "fx-2021-key"\nid = "4"')
    smaller = tmp_path / "smaller.toml"
    smaller.write_text(text[:cut], encoding="utf-8")
    from supervise.planfile.loader import load_plan_file
    from supervise.db.store import Store

    with Store.open(db) as store:
        store.import_plans(load_plan_file(smaller), D(2021, 10, 1), source=str(smaller))
    snap = snapshot_of(db)
    wb = read_back(snap, "zh", tmp_path)
    assert "4" not in _rows(wb[KEY_PLAN])
    from supervise.briefing import render_briefing

    brief = render_briefing(snap, AS_OF, "zh")
    assert "另有已取消任务1项，不计入统计。" in brief and "fx-2021-key/4" not in brief


# --- the command line ---------------------------------------------------------------------------


def test_cli_export_ledger(tmp_path):
    db = build_db(tmp_path)
    out = tmp_path / "out" / "台账.xlsx"
    result = CliRunner().invoke(cli, ["--db", str(db), "--lang", "zh", "export", "ledger", "--out", str(out),
                                      "--as-of", "2021-10-31"], env={"SUPERVISE_TODAY": "2022-01-01"},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", PLAN, KEY_PLAN, "进展记录"]
    assert "截至2021年10月31日" in wb[PLAN]["A1"].value


def test_cli_export_ledger_defaults_to_today(tmp_path):
    db = build_db(tmp_path)
    out = tmp_path / "l.xlsx"
    result = CliRunner().invoke(cli, ["--db", str(db), "--lang", "en", "export", "ledger", "--out", str(out)],
                                env={"SUPERVISE_TODAY": "2021-10-31"}, catch_exceptions=False)
    assert result.exit_code == 0
    assert "as of 31 October 2021" in openpyxl.load_workbook(out)[PLAN]["A1"].value


def _main(args):
    return subprocess.run([sys.executable, "-c", "from supervise.cli import main; main()", *args],
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "SUPERVISE_TODAY": "2021-10-31", "SUPERVISE_LANG": "en"})


def test_cli_export_ledger_bad_date_exits_2(tmp_path):
    db = build_db(tmp_path, history=None)
    result = _main(["--db", str(db), "export", "ledger", "--out", str(tmp_path / "x.xlsx"), "--as-of", "2021-02-30"])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_export_ledger_unwritable_exits_2(tmp_path):
    db = build_db(tmp_path, history=None)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _main(["--db", str(db), "export", "ledger", "--out", str(blocker / "x.xlsx")])
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["ledger.csv", "ledger.xls", "ledger"])
def test_cli_export_ledger_refuses_a_name_that_is_not_xlsx(tmp_path, name):
    db = build_db(tmp_path, history=None)
    result = _main(["--db", str(db), "export", "ledger", "--out", str(tmp_path / name)])
    assert result.returncode == 2 and ".xlsx" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / name).exists()


def test_cli_export_ledger_needs_out(tmp_path):
    db = build_db(tmp_path, history=None)
    result = _main(["--db", str(db), "export", "ledger"])
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_notices_column_says_each_notice_and_its_answer(tmp_path):
    """督办情况: a notice of 2021-10-01 (reply by 10-11) to 市民政局 naming task 1.2, answered by the note of
    2021-10-08 in the fixture's history (the first progress dated after the issue date)."""
    def history(store):
        record_history(store)
        store.remind("市民政局", [("fx-2021/1.2", 1)], D(2021, 10, 1), D(2021, 10, 11))

    snap = snapshot_of(build_db(tmp_path, history=history))
    ws = read_back(snap, "zh", tmp_path)[PLAN]
    cell = ws.cell(row=_row_of(ws, "1.2"), column=13).value
    assert cell == "督办〔2021〕1号，2021-10-01 发出，2021-10-11 前反馈： 已于 2021-10-08 反馈"


NONCHARACTER_PLAN = """schema = 1

[office]
name = "办公室"
review_every_months = 2
first_review = 2021-04-30

[[plan]]
id = "p1"
title = "计划\\uFFFF"
start = 2021-01-01
end = 2023-12-31

[[task]]
plan = "p1"
id = "1"
title = "任务"
lead = ["局\\uFFFE乙"]
due = "2021年3月底"
"""


def test_a_plan_title_or_unit_xml_cannot_hold_makes_a_workbook_excel_opens(tmp_path, monkeypatch):
    """U+FFFE / U+FFFF in a plan's title (a sheet's name) or a unit (a form's title): was exit 70
    (lxml refused the workbook part); now shown as U+XXXX in the name, like in the cells."""
    from supervise.planfile import loader

    monkeypatch.setenv("SUPERVISE_TODAY", "2021-05-01")
    # the plan file now refuses them (test_hostile): a database written by an earlier version holds them
    monkeypatch.setattr(loader, "first_unsafe", lambda *a, **k: None)
    plans = tmp_path / "plans.toml"
    plans.write_text(NONCHARACTER_PLAN, encoding="utf-8")
    db = str(tmp_path / "s.db")
    run = CliRunner().invoke
    base = ["--db", db, "--plans", str(plans), "--lang", "en"]
    assert run(cli, [*base, "import"]).exit_code == 0
    ledger = tmp_path / "l.xlsx"
    result = run(cli, [*base, "export", "ledger", "--out", str(ledger)])
    assert result.exit_code == 0, result.output
    assert "计划U+FFFF" in openpyxl.load_workbook(ledger).sheetnames
    result = run(cli, [*base, "forms", "--out", str(tmp_path / "forms")])
    assert result.exit_code == 0, result.output
    [form] = (tmp_path / "forms").glob("*.xlsx")
    wb = openpyxl.load_workbook(form)
    assert wb.sheetnames[0] == "局U+FFFE乙"  # one plan: the sheet is named after the unit
    assert wb.properties.title == "局U+FFFE乙进展情况表"
