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
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from click.testing import CliRunner

from supervise.cli import cli
from supervise.ledger import FILLS, build_ledger, display_width, sheet_name, text_cell, write_ledger
from test_briefing import AS_OF, FIXTURE, build_db, record_history, snapshot_of

D = date
HEADER_ZH = ["编号", "板块", "任务", "牵头单位", "责任单位", "完成时限", "节点（时限）：完成情况", "指标：最新值/目标值",
             "状态", "原因", "最新进展", "进展日期", "标记"]


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
    return {row[0]: row for row in ws.iter_rows(min_row=3, values_only=True)}


def test_sheets(ledger_zh):
    wb = openpyxl.load_workbook(ledger_zh)
    assert wb.sheetnames == ["汇总", "fx-2021", "fx-2021-key"]


def test_plan_sheet_title_header_and_layout(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)["fx-2021"]
    title = ws["A1"].value
    assert title.startswith("示范市推动品质养老三年行动计划（2021—2023年）（示老组发〔2021〕1号）督查台账")
    assert "截至2021年10月31日" in title and "红 2 · 黄 2 · 绿 3 · 完成 1" in title
    assert "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == HEADER_ZH
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:M10"
    assert ws.max_row == 10  # 8 tasks


def test_a_row(ledger_zh):
    rows = _rows(openpyxl.load_workbook(ledger_zh)["fx-2021"])
    assert rows["1.2"] == (
        "1.2", "（一）提升居家养老服务品质", "精心实施居家适老化改造", "市民政局", "市财政局、市残联",
        datetime(2022, 12, 31),
        "出台实施方案（2021-06-30）：已于 2021-06-20 完成\n完成首批500户困难老年人家庭适老化改造（2021-11-30）：30 天后到期",
        None, "黄", "完成首批500户困难老年人家庭适老化改造：30 天后到期", "首批改造对象已确定，正在施工。",
        datetime(2021, 10, 8), None)
    assert rows["1.1"][7] == "培训家庭照护者：3500/20000人（2021-09-30填报）：完成 17.5%，序时应完成 27.7%"
    assert rows["4.1"][8:] == ("红", "人工调整：培训进度明显滞后，已约谈牵头单位；完成 3%，序时应完成 16.6%", None, "—",
                               "人工调整、停滞")


def test_colour_is_a_fill_and_a_word(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)["fx-2021"]
    by_id = {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}
    for task, word, rag in (("2.2", "红", "red"), ("1.1", "黄", "amber"), ("2.1", "绿", "green"), ("3.1", "完成", "done")):
        cell = ws.cell(row=by_id[task], column=9)
        assert cell.value == word
        assert cell.fill.fgColor.rgb.endswith(FILLS[rag][0])
        assert cell.font.color.rgb.endswith(FILLS[rag][1])


def test_due_dates_are_dates(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)["fx-2021"]
    cell = ws["F3"]
    assert cell.value == datetime(2023, 12, 31) and cell.number_format == "yyyy-mm-dd"


def test_column_widths_fit_chinese(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)["fx-2021"]
    longest = max(display_width(ws.cell(row=r, column=3).value) for r in range(3, ws.max_row + 1))
    assert ws.column_dimensions["C"].width >= longest  # 任务: CJK counted twice
    assert ws.column_dimensions["A"].width < 12
    assert ws.column_dimensions["G"].width <= 52  # long text wraps instead
    assert ws["G4"].alignment.wrap_text


def test_summary_sheet_by_unit(ledger_zh):
    ws = openpyxl.load_workbook(ledger_zh)["汇总"]
    assert ws["A1"].value.startswith("示范市养老服务工作领导小组办公室 督查台账（按单位汇总）（截至2021年10月31日）")
    assert [c.value for c in ws[2]] == ["单位", "牵头：红", "牵头：黄", "牵头：绿", "牵头：完成", "牵头：合计",
                                        "参与：红", "参与：黄", "参与：绿", "参与：完成", "参与：合计"]
    rows = _rows(ws)
    assert rows["市民政局"] == ("市民政局", 2, 2, 3, 1, 8, 0, 0, 1, 1, 2)
    assert rows["市财政局"][1:6] == (0, 0, 0, 0, 0)  # responsible only
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:K{ws.max_row}"
    assert ws["B3"].fill.fgColor.rgb.endswith(FILLS["red"][0])


def test_english(tmp_path):
    snap = snapshot_of(build_db(tmp_path))
    wb = read_back(snap, "en", tmp_path)
    assert wb.sheetnames == ["Summary", "fx-2021", "fx-2021-key"]
    ws = wb["fx-2021"]
    assert [c.value for c in ws[2]][:3] == ["ID", "Section", "Title"]
    assert "as of 31 October 2021" in ws["A1"].value
    assert ws["I3"].value == "amber"


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
    ws = openpyxl.load_workbook(hostile)["fx-2021"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == "2.1")
    cell = ws.cell(row=row, column=11)
    assert cell.value == "=SUM(A1:A9)"
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_formula_like_title_is_kept_as_text(hostile):
    ws = openpyxl.load_workbook(hostile)["fx-2021-key"]
    cell = ws["C6"]
    assert cell.value == "=1+2" and cell.data_type == "s"


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


def test_control_characters_become_visible(hostile):
    ws = openpyxl.load_workbook(hostile)["fx-2021"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == "3.2")
    assert ws.cell(row=row, column=11).value == "bellU+0007 and U+001B[31mansi"


def test_latest_hostile_note_is_literal_and_wrapped(hostile):
    ws = openpyxl.load_workbook(hostile)["fx-2021-key"]
    cell = ws["K6"]
    assert cell.value == "第一行\n第二行"
    assert cell.alignment.wrap_text


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
    assert "4" not in _rows(wb["fx-2021-key"])
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
    assert wb.sheetnames == ["汇总", "fx-2021", "fx-2021-key"]
    assert "截至2021年10月31日" in wb["fx-2021"]["A1"].value


def test_cli_export_ledger_defaults_to_today(tmp_path):
    db = build_db(tmp_path)
    out = tmp_path / "l.xlsx"
    result = CliRunner().invoke(cli, ["--db", str(db), "--lang", "en", "export", "ledger", "--out", str(out)],
                                env={"SUPERVISE_TODAY": "2021-10-31"}, catch_exceptions=False)
    assert result.exit_code == 0
    assert "as of 31 October 2021" in openpyxl.load_workbook(out)["fx-2021"]["A1"].value


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
