"""Report forms (spec/office.md, "Report forms"): `forms` out, filled in as a department would, `collect` back.

Forms are filled with openpyxl the way a department's clerk fills them in Excel: rows re-ordered,
blank and 合计 rows inserted, 是 in the date column, dates typed as text, values with units and
thousands separators, formulas in text cells. Every refusal names FILE:SHEET!CELL and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import BUNDLED_PLANS, db_dump, db_fingerprint, db_rows, event_count

UNIT = "市卫生健康委"  # leads sy-2021/4.1 (indicator medical, %), 4.2 (no items), sy-2021-key/9 (milestone a, indicator hospice 个)
MEDICAL, TASK42, MILESTONE, HOSPICE = "sy-2021/4.1/medical", "sy-2021/4.2", "sy-2021-key/9/a", "sy-2021-key/9/hospice"
HEADER_ROW = 4


@pytest.fixture
def office(tmp_path, invoke):
    """A database with the bundled plans and the forms made as of 2021-10-31 (today in the tests)."""
    db = tmp_path / "office.db"
    assert invoke(["--db", db, "import", BUNDLED_PLANS]).exit_code == 0
    out = tmp_path / "forms"
    result = invoke(["--db", db, "forms", "--out", out])
    assert result.exit_code == 0, result.output
    return db, out


def form_path(out: Path, unit: str = UNIT) -> Path:
    return out / f"{unit}_进展情况表_2021-10-31.xlsx"


def columns(ws) -> dict[str, int]:
    return {str(c.value).split("\n")[0]: c.column for c in ws[HEADER_ROW] if c.value}


def row_of(ws, ident: str) -> int:
    col = columns(ws)["编号"]
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(row=r, column=col).value == ident:
            return r
    raise KeyError(ident)


def sheets(wb) -> list:
    """The form's sheets (one per plan where the unit's items are in several), without the hidden one."""
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def sheet_with(wb, ident: str):
    """The sheet holding the row of `ident`."""
    for ws in sheets(wb):
        try:
            row_of(ws, ident)
        except KeyError:
            continue
        return ws
    raise KeyError(ident)


def fill(src: Path, dest: Path, entries: dict[str, dict[str, object]], edit=None) -> Path:
    """Fill the form as a department would: by 编号, in the columns named by their headers.
    `edit(wb)` changes the workbook first."""
    wb = load_workbook(src)
    if edit:
        edit(wb)
    for ident, cells in entries.items():
        ws = sheet_with(wb, ident)
        r, cols = row_of(ws, ident), columns(ws)
        for label, value in cells.items():
            ws.cell(row=r, column=cols[label]).value = value
    wb.save(dest)
    return dest


def reorder_and_pad(wb) -> None:
    """On every sheet: rows reversed, a blank row and a 合计 row inserted, a column widened."""
    for ws in sheets(wb):
        _reorder_and_pad(ws)


def _reorder_and_pad(ws) -> None:
    first, last = HEADER_ROW + 1, ws.max_row
    values = [[c.value for c in ws[r]] for r in range(first, last + 1)]
    for offset, row in enumerate(reversed(values)):
        for col, v in enumerate(row, 1):
            ws.cell(row=first + offset, column=col).value = v
    ws.insert_rows(first + 1)  # a blank row in the middle
    total = ws.max_row + 1
    ws.cell(row=total, column=1).value = "合计"
    ws.cell(row=total, column=columns(ws)["本期数值"]).value = 999
    ws.column_dimensions["C"].width = 80


# --- forms --------------------------------------------------------------------------------------


def test_forms_writes_one_protected_form_per_lead_unit(office):
    db, out = office
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{u}_进展情况表_2021-10-31.xlsx" for u in ("市民政局", "市房产局", "市卫生健康委", "市医保局", "市教育局"))
    wb = load_workbook(form_path(out))
    # the unit leads tasks in two plans: a sheet for each, named after the plan, the plan in its second line
    plans = {"sy-2021": "沈阳市推动品质养老三年行动计划（2021—2023年）", "sy-2021-key": "沈阳市推动品质养老2021年重点工作任务"}
    assert [ws.title for ws in sheets(wb)] == list(plans.values())
    ids = {}
    for ws, (plan, title) in zip(sheets(wb), plans.items()):
        assert UNIT in ws["A1"].value and "2021年10月31日" in ws["A2"].value and "2021年11月10日" in ws["A2"].value
        assert f"《{title}》" in ws["A2"].value
        assert ws["A3"].value.startswith("填表说明")
        header = [str(c.value).split("\n")[0] for c in ws[HEADER_ROW]]
        order = [header.index(h) for h in ("类型", "编号", "完成日期", "本期数值", "进展情况", "存在问题", "下步措施")]
        assert order == sorted(order)
        here = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)}
        assert all(ident.startswith(f"{plan}/") for ident in here)
        ids.update(here)
        assert ws.protection.sheet
        cols = columns(ws)
        editable = {cols[h] for h in ("完成日期", "进展情况", "存在问题", "下步措施")}
        for r in range(1, ws.max_row + 1):
            for c in range(1, ws.max_column + 1):
                cell = ws.cell(row=r, column=c)
                unlocked = not cell.protection.locked
                kind = ws.cell(row=r, column=1).value
                expected = r > HEADER_ROW and (c in editable or (c == cols["本期数值"] and kind == "指标"))
                assert unlocked == expected, (cell.coordinate, kind)
        assert ws.freeze_panes == "C5" and ws.print_title_rows == "$4:$4"
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ids == {MEDICAL: "指标", TASK42: "任务", MILESTONE: "节点", HOSPICE: "指标"}
    ws = sheet_with(wb, MILESTONE)
    r, cols = row_of(ws, MILESTONE), columns(ws)
    assert ws.cell(row=r, column=cols["完成日期"]).number_format == "yyyy-mm-dd"
    assert ws.cell(row=r, column=cols["完成时限"]).value == dt.datetime(2021, 12, 31)
    assert wb["_supervise"].sheet_state == "veryHidden"
    meta = {a: b for a, b in wb["_supervise"].iter_rows(max_row=8, values_only=True)}
    assert meta["unit"] == UNIT and meta["as_of"] == "2021-10-31"
    assert meta["database"] == db_rows(db, "SELECT database_id FROM office")[0][0] and len(meta["database"]) == 32


def test_forms_for_a_named_unit_that_only_shares(tmp_path, office, invoke):
    db, _ = office
    out = tmp_path / "shares-only"
    result = invoke(["--db", db, "forms", "--out", out, "--unit", "市金融发展局", "--as-of", "2021-09-30",
                     "--reply-by", "2021-10-20"])
    assert result.exit_code == 0, result.output
    [path] = list(out.iterdir())
    assert "市金融发展局" in path.name and "2021-09-30" in path.name
    [ws] = sheets(load_workbook(path))  # one plan: one sheet, named after the unit
    assert ws.title == "市金融发展局"
    assert "参与" in ws["A1"].value and "2021年10月20日" in ws["A2"].value
    assert {ws.cell(row=r, column=2).value for r in range(HEADER_ROW + 1, ws.max_row + 1)} == {"sy-2021/4.3"}


def test_two_units_whose_names_differ_only_where_a_file_name_cannot_are_two_files(tmp_path, invoke):
    plans = tmp_path / "plans.toml"
    plans.write_text('schema = 1\n[office]\nname = "办"\n'
                     '[[plan]]\nid = "p"\ntitle = "计划"\nstart = 2021-01-01\nend = 2021-12-31\n'
                     '[[task]]\nplan = "p"\nid = "1"\ntitle = "甲"\nlead = ["甲/局"]\ndue = 2021-12-31\n'
                     '[[task]]\nplan = "p"\nid = "2"\ntitle = "乙"\nlead = ["甲_局"]\ndue = 2021-12-31\n',
                     encoding="utf-8")
    db, out = tmp_path / "u.db", tmp_path / "forms"
    assert invoke(["--db", db, "import", plans]).exit_code == 0
    result = invoke(["--db", db, "forms", "--out", out])
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    assert len(files) == 2, files  # not the second written over the first
    assert sorted(load_workbook(f)["_supervise"]["B4"].value for f in files) == ["甲/局", "甲_局"]
    assert all(f.name.startswith("甲_局") for f in files)


def test_forms_refuses_an_unknown_unit_and_writes_nothing(tmp_path, office, invoke):
    db, _ = office
    result = invoke(["--db", db, "--lang", "en", "forms", "--out", tmp_path / "none", "--unit", "市卫生健康"])
    assert result.exit_code == 2 and "市卫生健康" in result.stderr and "市卫生健康委" in result.stderr
    assert not (tmp_path / "none").exists()
    # in the words status, remind and log use for an unknown unit (forms said "no such unit")
    assert result.stderr.startswith("supervise: unknown unit '市卫生健康'"), result.stderr
    status = invoke(["--db", db, "--lang", "en", "status", "--unit", "市卫生健康"])
    assert status.stderr == result.stderr


def test_forms_english_adds_english_under_the_chinese_headers(tmp_path, office, invoke):
    db, _ = office
    out = tmp_path / "en"
    assert invoke(["--db", db, "--lang", "en", "forms", "--out", out, "--unit", UNIT]).exit_code == 0
    ws = load_workbook(form_path(out)).worksheets[0]
    assert ws.cell(row=HEADER_ROW, column=columns(ws)["完成日期"]).value.startswith("完成日期\n")
    zh = tmp_path / "zh"
    assert invoke(["--db", db, "--lang", "zh", "forms", "--out", zh, "--unit", UNIT]).exit_code == 0
    assert "完成日期" in [c.value for c in load_workbook(form_path(zh)).worksheets[0][HEADER_ROW]]


def test_the_english_header_row_is_tall_enough_for_its_lines(tmp_path, office, invoke):
    # "完成日期" over "Done on / measured on" in a column 10 characters wide is at least three lines
    # of 15 points; a row left at Excel's one line printed only "完成日期" and half of "Done on"
    db, _ = office
    out = tmp_path / "en"
    assert invoke(["--db", db, "--lang", "en", "forms", "--out", out, "--unit", UNIT]).exit_code == 0
    ws = load_workbook(form_path(out)).worksheets[0]
    assert ws.row_dimensions[HEADER_ROW].height >= 3 * 15
    zh = tmp_path / "zh"
    assert invoke(["--db", db, "--lang", "zh", "forms", "--out", zh, "--unit", UNIT]).exit_code == 0
    assert load_workbook(form_path(zh)).worksheets[0].row_dimensions[HEADER_ROW].height is None  # one line


# --- collect: the round trip ---------------------------------------------------------------------


def test_round_trip_as_a_department_fills_it(tmp_path, office, invoke):
    db, out = office
    before = db_dump(db)
    filled = fill(form_path(out), tmp_path / "filled.xlsx", {
        MEDICAL: {"本期数值": "85%", "进展情况": "=SUM(1)"},
        TASK42: {"完成日期": "是", "存在问题": "资金不足", "下步措施": "争取专项资金"},
        MILESTONE: {"完成日期": "2021.9.30"},
        HOSPICE: {"本期数值": "3个", "完成日期": "9月30日"},
    }, edit=reorder_and_pad)
    events = event_count(db)
    result = invoke(["--db", db, "collect", filled])
    assert result.exit_code == 0, result.output
    assert "recorded 6 entries" in result.stdout and UNIT in result.stdout
    assert event_count(db) == events + 1
    assert db_rows(db, "SELECT done_on FROM milestones WHERE id = ?", (MILESTONE,)) == [("2021-09-30",)]
    assert db_rows(db, "SELECT done_on FROM tasks WHERE id = ?", (TASK42,)) == [("2021-10-31",)]
    assert db_rows(db, "SELECT indicator_id, measured_on, value FROM indicator_values ORDER BY indicator_id") == [
        (HOSPICE, "2021-09-30", 3.0), (MEDICAL, "2021-10-31", 85.0)]
    assert db_rows(db, "SELECT task_id, written_on, text FROM notes ORDER BY task_id") == [
        ("sy-2021/4.1", "2021-10-31", "=SUM(1)"),
        (TASK42, "2021-10-31", "存在问题：资金不足\n下步措施：争取专项资金")]
    kind, summary = db_rows(db, "SELECT kind, summary FROM events ORDER BY id DESC LIMIT 1")[0]
    assert (kind, summary) == ("collect", f"{UNIT} 2021-10-31: 6 entries")
    # the log says what the form recorded in words: "6 entries" / "6 项", not "(6)"
    log = invoke(["--db", db, "log", "--format", "markdown"])
    assert f"{UNIT} 2021-10-31: 6 entries" in log.stdout and "(6)" not in log.stdout, log.stdout
    log = invoke(["--db", db, "--lang", "zh", "log", "--format", "markdown"])
    assert f"{UNIT} 2021-10-31：6 项" in log.stdout and "(6)" not in log.stdout, log.stdout

    again = invoke(["--db", db, "collect", filled])  # the same file again: nothing new, and it says so
    assert again.exit_code == 0 and "nothing new" in again.stdout
    assert event_count(db) == events + 1

    undone = invoke(["--db", db, "undo"])
    assert undone.exit_code == 0 and "collected form" in undone.stdout
    assert f"collected form {UNIT} 2021-10-31: 6 entries (2021-10-31)" in undone.stdout, undone.stdout
    dump = db_dump(db)
    assert [line for line in dump.splitlines() if "INSERT INTO \"events\"" not in line] == \
        [line for line in before.splitlines() if "INSERT INTO \"events\"" not in line]


def test_preview_and_dry_run_write_nothing(tmp_path, office, invoke):
    db, out = office
    filled = fill(form_path(out), tmp_path / "f.xlsx", {MILESTONE: {"完成日期": dt.datetime(2021, 10, 8)},
                                                        HOSPICE: {"本期数值": 3}})
    before = db_fingerprint(db)
    result = invoke(["--db", db, "--lang", "zh", "collect", "--dry-run", filled])
    assert result.exit_code == 0, result.output
    assert MILESTONE in result.stdout and "2021-10-08 完成" in result.stdout and "红 → 黄" in result.stdout
    assert "试运行" in result.stdout
    assert db_fingerprint(db) == before


def test_one_action_per_file_and_undo_takes_one_form(tmp_path, office, invoke):
    db, out = office
    a = fill(form_path(out), tmp_path / "a.xlsx", {MILESTONE: {"完成日期": "2021-10-01"}})
    b = fill(form_path(out, "市医保局"), tmp_path / "b.xlsx", {"sy-2021/4.3": {"进展情况": "试点启动"}})
    events = event_count(db)
    assert invoke(["--db", db, "collect", a, b]).exit_code == 0
    assert event_count(db) == events + 2
    assert invoke(["--db", db, "undo"]).exit_code == 0  # the newer form (b) only
    assert db_rows(db, "SELECT count(*) FROM notes") == [(0,)]
    assert db_rows(db, "SELECT done_on FROM milestones WHERE id = ?", (MILESTONE,)) == [("2021-10-01",)]


def test_a_changed_value_is_recorded_again_and_undo_restores_the_old_one(tmp_path, office, invoke):
    db, out = office
    first = fill(form_path(out), tmp_path / "1.xlsx", {HOSPICE: {"本期数值": 2}})
    second = fill(form_path(out), tmp_path / "2.xlsx", {HOSPICE: {"本期数值": "4"}})
    assert invoke(["--db", db, "collect", first]).exit_code == 0
    assert invoke(["--db", db, "collect", second]).exit_code == 0
    assert db_rows(db, "SELECT value FROM indicator_values") == [(4.0,)]
    assert invoke(["--db", db, "undo"]).exit_code == 0
    assert db_rows(db, "SELECT value FROM indicator_values") == [(2.0,)]


def test_hostile_text_is_recorded_literally_and_written_back_as_text(tmp_path, office, invoke):
    db, out = office
    hostile = "=HYPERLINK(\"http://x\",\"y\")\n\x1b[31m[red]红[/red]"
    filled = fill(form_path(out), tmp_path / "h.xlsx", {TASK42: {"进展情况": "=SUM(1)"},
                                                        MEDICAL: {"进展情况": hostile.replace("\x1b", "")}})
    result = invoke(["--db", db, "collect", filled])
    assert result.exit_code == 0, result.output
    texts = {r[0] for r in db_rows(db, "SELECT text FROM notes")}
    assert texts == {"=SUM(1)", hostile.replace("\x1b", "")}
    ledger = tmp_path / "ledger.xlsx"
    assert invoke(["--db", db, "export", "ledger", "--out", ledger]).exit_code == 0
    cells = [c for ws in load_workbook(ledger).worksheets for row in ws.iter_rows() for c in row if c.value == "=SUM(1)"]
    assert cells and all(c.data_type == "s" for c in cells)
    again = tmp_path / "again"
    assert invoke(["--db", db, "forms", "--out", again, "--unit", UNIT]).exit_code == 0
    ws = sheet_with(load_workbook(form_path(again)), TASK42)
    note = ws.cell(row=row_of(ws, TASK42), column=columns(ws)["最新进展"])
    assert note.value == "2021-10-31 =SUM(1)" and note.data_type == "s"


# --- collect: refusals ---------------------------------------------------------------------------


REFUSALS = [
    # (entries, edit, cell named, words in the message)
    ({MILESTONE: {"完成日期": "下个月"}}, None, ("完成日期", MILESTONE), 'unreadable date "下个月"'),
    ({MILESTONE: {"完成日期": "2021-11-01"}}, None, ("完成日期", MILESTONE), "after today (2021-10-31)"),
    ({MILESTONE: {"完成日期": 44469}}, "general", ("完成日期", MILESTONE), "is a number, not a date"),
    # 20211015 typed into the date cell: Excel keeps it as a date serial far past 9999-12-31 (it shows ####)
    ({MILESTONE: {"完成日期": 20211015}}, None, ("完成日期", MILESTONE), "is a number, not a date"),
    # a negative number in the date cell: no date in Excel (####); it was ticked on 1899-12-25
    ({MILESTONE: {"完成日期": -5}}, None, ("完成日期", MILESTONE), "is a number, not a date"),
    ({HOSPICE: {"本期数值": "三个"}}, None, ("本期数值", HOSPICE), "not a number"),
    ({HOSPICE: {"本期数值": "3人"}}, None, ("本期数值", HOSPICE), "typed in 人, the indicator counts in 个"),
    ({MEDICAL: {"本期数值": "2万"}}, None, ("本期数值", MEDICAL), "typed in 万"),
    ({TASK42: {"本期数值": 5}}, None, ("本期数值", TASK42), "not an indicator"),
    ({HOSPICE: {"完成日期": "2021-10-01"}}, None, ("完成日期", HOSPICE), "needs a value"),
    ({}, "altered", ("编号", "sy-2021-key/9/hospitals"), "was not on this form"),
    ({}, "orphan", ("编号", None), "no 编号"),
]


@pytest.mark.parametrize("entries, edit, where, words", REFUSALS)
def test_bad_cells_are_refused_with_the_cell_named_and_nothing_written(tmp_path, office, invoke, entries, edit, where, words):
    db, out = office
    src = form_path(out)
    ws0 = sheet_with(load_workbook(src), HOSPICE if edit in ("altered", "orphan") else where[1])
    cols, title = columns(ws0), ws0.title
    editor = None
    if edit == "altered":
        r = row_of(ws0, HOSPICE)
        entries = {}
        cell = f"B{r}"
        def editor(wb, r=r):  # noqa: E306
            wb[title][f"B{r}"] = "sy-2021-key/9/hospitals"
            wb[title].cell(row=r, column=cols["本期数值"]).value = 3
    elif edit == "orphan":
        r = ws0.max_row + 2
        cell = f"B{r}"
        def editor(wb, r=r):  # noqa: E306
            wb[title].cell(row=r, column=cols["进展情况"]).value = "无主的一行"
    else:
        label, ident = where
        cell = f"{ws0.cell(row=row_of(ws0, ident), column=cols[label]).coordinate}"
        if edit == "general":  # a number in a cell formatted as General is a number, not an Excel date
            def editor(wb, cell=cell):  # noqa: E306
                wb[title][cell].number_format = "General"
    good = fill(form_path(out, "市医保局"), tmp_path / "good.xlsx", {"sy-2021/4.3": {"进展情况": "试点启动"}})
    bad = fill(src, tmp_path / "bad.xlsx", entries, edit=editor)
    before = db_fingerprint(db)
    result = invoke(["--db", db, "collect", good, bad])
    assert result.exit_code == 2, result.output
    line = next(line for line in result.err_lines if line.startswith(f"{bad}:"))
    assert line.startswith(f"{bad}:{title}!{cell}: "), line
    assert words in line, line
    assert db_fingerprint(db) == before


def test_an_id_filled_in_twice_names_the_first_cell_with_its_sheet_when_on_another(tmp_path, office, invoke):
    db, out = office
    wb = load_workbook(form_path(out))
    first, second = sheet_with(wb, TASK42), sheet_with(wb, HOSPICE)
    assert first.title != second.title  # the unit's items are in two plans: a sheet each
    first_row = row_of(first, TASK42)
    first.cell(row=first_row, column=columns(first)["进展情况"]).value = "甲"
    again = second.max_row + 1  # the row copied onto the other plan's sheet, and filled in too
    second.cell(row=again, column=columns(second)["编号"]).value = TASK42
    second.cell(row=again, column=columns(second)["进展情况"]).value = "乙"
    bad = tmp_path / "twice.xlsx"
    wb.save(bad)
    result = invoke(["--db", db, "collect", bad])
    assert result.exit_code == 2, result.output
    assert f"{bad}:{second.title}!B{again}: 编号 {TASK42} is filled in twice (first at {first.title}!B{first_row})" \
        in result.err_lines, result.err_lines


def test_a_form_from_another_database_is_refused(tmp_path, office, invoke):
    db, out = office
    other = tmp_path / "other.db"
    assert invoke(["--db", other, "import", BUNDLED_PLANS]).exit_code == 0
    filled = fill(form_path(out), tmp_path / "f.xlsx", {MILESTONE: {"完成日期": "是"}})
    before = db_fingerprint(other)
    result = invoke(["--db", other, "collect", filled])
    assert result.exit_code == 2
    assert f"{filled}:_supervise!B3: this form was made from another database" in result.err_lines
    assert db_fingerprint(other) == before


def test_a_workbook_that_is_not_a_form_or_not_a_workbook_is_refused(tmp_path, office, invoke):
    db, _ = office
    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active["B2"] = MILESTONE
    wb.save(plain)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a zip")
    before = db_fingerprint(db)
    result = invoke(["--db", db, "collect", plain, junk, tmp_path / "missing.xlsx"])
    assert result.exit_code == 2
    assert f"{plain}:Sheet1!A1: not a report form made by `supervise forms`" in result.err_lines
    assert any(line.startswith(f"{junk}: not an Excel workbook") for line in result.err_lines)
    assert f"{tmp_path / 'missing.xlsx'}: no such file" in result.err_lines
    assert db_fingerprint(db) == before


def test_a_value_for_a_task_the_unit_no_longer_leads_is_refused(tmp_path, office, invoke):
    db, out = office
    filled = fill(form_path(out), tmp_path / "f.xlsx", {MEDICAL: {"本期数值": 50}})
    plans = tmp_path / "plans.toml"
    text = BUNDLED_PLANS.read_text(encoding="utf-8")
    plans.write_text(text.replace('lead = ["市卫生健康委"]', 'lead = ["市医保局"]', 1), encoding="utf-8")
    assert invoke(["--db", db, "import", plans]).exit_code == 0
    before = db_fingerprint(db)
    result = invoke(["--db", db, "collect", filled])
    assert result.exit_code == 2
    assert any(f"!B{row_of(sheet_with(load_workbook(filled), MEDICAL), MEDICAL)}: {MEDICAL}: {UNIT} does not lead" in line
               for line in result.err_lines), result.err_lines
    assert db_fingerprint(db) == before


def test_an_item_withdrawn_after_the_form_was_checked_is_refused_when_it_is_recorded(tmp_path, office, invoke):
    """The UI checks a form, then records it a moment later: an import in between that withdrew an item
    refuses the whole form, and nothing of it is written."""
    from supervise.collect import read_form
    from supervise.db.store import Store
    from supervise.errors import InputError

    db, out = office
    filled = fill(form_path(out), tmp_path / "f.xlsx", {TASK42: {"进展情况": "已推进"}, MILESTONE: {"完成日期": "2021-10-01"},
                                                        HOSPICE: {"本期数值": 2}})
    with Store.open(db) as store:
        plan, problems = read_form(filled, store.snapshot(), store.database_id(), dt.date(2021, 10, 31))
    assert not problems and len(plan.entries) == 3
    text = BUNDLED_PLANS.read_text(encoding="utf-8")
    start = text.index('[[task]]\nplan = "sy-2021-key"\nid = "9"\n')
    end = text.index("[[task]]", start + 1)
    plans = tmp_path / "plans.toml"
    plans.write_text(text[:start] + text[end:], encoding="utf-8")  # task 9, its milestone and indicator withdrawn
    assert invoke(["--db", db, "import", plans]).exit_code == 0
    assert db_rows(db, "SELECT withdrawn_on IS NOT NULL FROM tasks WHERE id = 'sy-2021-key/9'") == [(1,)]
    before = db_fingerprint(db)
    with Store.open(db) as store, pytest.raises(InputError) as refused:
        store.collect([plan])
    assert refused.value.key == "forms.err.withdrawn"
    assert db_fingerprint(db) == before


def test_refusal_lines_in_chinese(tmp_path, office, invoke):
    db, out = office
    bad = fill(form_path(out), tmp_path / "bad.xlsx", {MILESTONE: {"完成日期": "2021-12-01"}})
    result = invoke(["--db", db, "--lang", "zh", "collect", bad])
    assert result.exit_code == 2
    assert any("2021-12-01 晚于今天（2021-10-31），还未发生" in line for line in result.err_lines)


# --- collect: forms saved by WPS 表格 -------------------------------------------------------------

WPS = Path(__file__).resolve().parent / "fixtures" / "wps"  # made by make.py there: what each file holds
WPS_DATABASE = "5a1e5c0ffee0000000000000000000a1"


def as_the_database_the_wps_forms_came_from(db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE office SET database_id = ?", (WPS_DATABASE,))
    conn.close()


def test_a_form_saved_by_wps_with_shared_strings_east_asian_dates_and_a_percentage(office, invoke):
    db, _ = office
    as_the_database_the_wps_forms_came_from(db)
    events = event_count(db)
    result = invoke(["--db", db, "collect", WPS / "wps_shared.xlsx"])
    assert result.exit_code == 0, result.output
    assert "recorded 6 entries" in result.stdout
    assert event_count(db) == events + 1
    # 44469 in the East Asian built-in format 31, 已完成 in the date column
    assert db_rows(db, "SELECT done_on FROM milestones WHERE id = ?", (MILESTONE,)) == [("2021-09-30",)]
    assert db_rows(db, "SELECT done_on FROM tasks WHERE id = ?", (TASK42,)) == [("2021-10-31",)]
    # a date in a custom 年月日 format; 85% typed, stored 0.85 in a percentage format, is 85 (the indicator's %)
    assert db_rows(db, "SELECT indicator_id, measured_on, value FROM indicator_values ORDER BY indicator_id") == [
        (HOSPICE, "2021-09-26", 3.0), (MEDICAL, "2021-10-31", 85.0)]
    # a rich text with a phonetic run is its characters, without the pinyin
    assert db_rows(db, "SELECT task_id, text FROM notes ORDER BY task_id") == [
        ("sy-2021-key/9", "已确定3家试点机构"), (TASK42, "存在问题：资金不足\n下步措施：争取专项资金")]
    again = invoke(["--db", db, "collect", WPS / "wps_shared.xlsx"])
    assert again.exit_code == 0 and "nothing new" in again.stdout
    assert event_count(db) == events + 1


def test_a_form_saved_by_wps_with_inline_strings_and_no_shared_string_table(office, invoke):
    db, _ = office
    as_the_database_the_wps_forms_came_from(db)
    result = invoke(["--db", db, "collect", WPS / "wps_inline.xlsx"])
    assert result.exit_code == 0, result.output
    assert "recorded 3 entries" in result.stdout
    # 2021年9月30日 typed as text, in a row whose cells carry no reference
    assert db_rows(db, "SELECT done_on FROM milestones WHERE id = ?", (MILESTONE,)) == [("2021-09-30",)]
    assert db_rows(db, "SELECT indicator_id, measured_on, value FROM indicator_values") == [(HOSPICE, "2021-09-30", 3.0)]
    assert db_rows(db, "SELECT task_id, text FROM notes") == [("sy-2021-key/9", "已开工建设")]


def test_a_percentage_for_an_indicator_counted_in_units_is_refused(tmp_path, office, invoke):
    db, out = office

    def percent(wb):
        ws = sheet_with(wb, HOSPICE)
        ws.cell(row=row_of(ws, HOSPICE), column=columns(ws)["本期数值"]).number_format = "0%"

    bad = fill(form_path(out), tmp_path / "p.xlsx", {HOSPICE: {"本期数值": 0.03}}, edit=percent)  # 3% as Excel keeps it
    before = db_fingerprint(db)
    result = invoke(["--db", db, "collect", bad])
    assert result.exit_code == 2
    assert any("typed in %, the indicator counts in 个" in line for line in result.err_lines), result.err_lines
    assert db_fingerprint(db) == before


def test_a_percentage_is_recorded_as_typed_not_rounded_for_display(tmp_path, office, invoke):
    db, out = office

    def percent(wb):
        ws = sheet_with(wb, MEDICAL)
        ws.cell(row=row_of(ws, MEDICAL), column=columns(ws)["本期数值"]).number_format = "0.000%"

    # 85.125% typed: Excel keeps 0.85125; typed as the text "85.125%" it would be 85.125 too
    form = fill(form_path(out), tmp_path / "p.xlsx", {MEDICAL: {"本期数值": 0.85125}}, edit=percent)
    result = invoke(["--db", db, "collect", form])
    assert result.exit_code == 0, result.output
    assert db_rows(db, "SELECT indicator_id, value FROM indicator_values WHERE indicator_id = ?", (MEDICAL,)) == [
        (MEDICAL, 85.125)]


def test_a_note_pasted_with_windows_line_breaks_is_recorded_as_its_lines(tmp_path, office, invoke):
    db, out = office
    filled = fill(form_path(out), tmp_path / "f.xlsx", {TASK42: {"进展情况": "第一行CR\n第二行"}})
    pasted = tmp_path / "pasted.xlsx"  # as Excel writes a carriage return in a cell's text: _x000D_
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(pasted, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info).replace(b"CR\n", b"_x000D_\n"))
    result = invoke(["--db", db, "collect", pasted])
    assert result.exit_code == 0, result.output
    assert db_rows(db, "SELECT text FROM notes WHERE task_id = ?", (TASK42,)) == [("第一行\n第二行",)]


# --- the writer forms use: xlsx.SheetRows --------------------------------------------------------


def test_sheet_rows_write_what_openpyxl_reads_back(tmp_path):
    from openpyxl.styles import Font, NamedStyle

    from supervise.xlsx import SheetRows, save

    wb = Workbook()
    wb.add_named_style(NamedStyle("bold", font=Font(bold=True)))
    wb.add_named_style(NamedStyle("day", number_format="yyyy-mm-dd"))
    ws = wb.active
    rows = SheetRows(wb, ws)
    hostile = ["=SUM(1)", "-3", " 两端有空格 ", "a & b <c>", "回车\r换行\n", "控制\x1b字符"]
    rows.row(1, [(text, "bold") for text in hostile], height=30)
    rows.row(3, [(dt.date(2021, 9, 30), "day"), (None, "bold"), (None, None), (2.5, None), (7, "bold"), (True, None)])
    path = tmp_path / "rows.xlsx"
    with open(path, "wb") as out:
        save(wb, [rows], out)
    ws = load_workbook(path).active
    cells = ws[1]
    assert [c.value for c in cells] == ["=SUM(1)", "-3", " 两端有空格 ", "a & b <c>", "回车\r换行\n", "控制U+001B字符"]
    assert all(c.data_type == "s" and c.font.b for c in cells)
    assert [c.quotePrefix for c in cells] == [True, True, False, False, False, False]  # Excel keeps them text
    assert ws.row_dimensions[1].height == 30
    date, empty, nothing, number, integer, yes = (ws.cell(row=3, column=c) for c in range(1, 7))
    assert date.value == dt.datetime(2021, 9, 30) and date.number_format == "yyyy-mm-dd"
    assert empty.value is None and empty.font.b and nothing.value is None and not nothing.has_style
    assert (number.value, integer.value, yes.value) == (2.5, 7, True)
    assert ws.dimensions == "A1:F3"


def test_sheet_rows_show_a_character_excel_cannot_hold(tmp_path):
    """U+FFFF cannot be in an XML file: the one cell-text rule (ledger.cells.clean_text) shows it as U+FFFF, so the
    form is written and a plan title carrying one no longer stops `forms`."""
    from supervise.xlsx import SheetRows, save

    wb = Workbook()
    rows = SheetRows(wb, wb.active)
    rows.row(1, [("坏\uffff字", None)])
    with open(tmp_path / "x.xlsx", "wb") as out:
        save(wb, [rows], out)
    assert load_workbook(tmp_path / "x.xlsx").active["A1"].value == "坏U+FFFF字"


def test_a_form_with_nothing_filled_in_says_so_not_already_collected(office, invoke):
    db, out = office
    before = event_count(db)
    outcome = invoke(["--db", db, "collect", form_path(out)])
    assert outcome.exit_code == 0, outcome
    assert f"{form_path(out)} ({UNIT}): nothing filled in, nothing to record" in outcome.stdout
    assert "already collected" not in outcome.stdout
    assert event_count(db) == before
    chinese = invoke(["--db", db, "--lang", "zh", "collect", form_path(out)])
    assert "未填写任何内容" in chinese.stdout and event_count(db) == before


@pytest.mark.parametrize("filled", [True, False])
def test_the_collected_line_shows_a_file_name_s_control_characters_literally(office, invoke, tmp_path, filled):
    """A form comes back under the name a unit gave it: a right-to-left override or a line separator
    in it is shown as a code in the line that says what was recorded, as in the preview above it.
    Failed before: the closing line printed the name as it was."""
    db, out = office
    named = tmp_path / "回执\u202e\u2028.xlsx"
    fill(form_path(out), named, {MEDICAL: {"本期数值": 61}} if filled else {})
    outcome = invoke(["--db", db, "collect", named])
    assert outcome.exit_code == 0, outcome
    assert "\u202e" not in outcome.stdout and "\u2028" not in outcome.stdout, outcome.stdout
    last = outcome.stdout.splitlines()[-1]
    assert "回执\\u202e\\u2028.xlsx" in last and UNIT in last, last


@pytest.mark.parametrize("lang, words", [("en", "not a regular file (a device or a pipe)"), ("zh", "不是普通文件（设备或管道）")])
def test_a_fifo_named_as_a_form_is_refused_at_once_not_waited_on(office, invoke, tmp_path, lang, words):
    """A form is read through files.read_regular, as plan files and documents are: a FIFO with no
    writer is refused in one line naming it, nothing recorded. Hung for ever before (zipfile opened it)."""
    import os
    import subprocess
    import sys

    db, _ = office
    fifo = tmp_path / "回执.xlsx"
    os.mkfifo(fifo)
    before = event_count(db)
    done = subprocess.run([sys.executable, "-m", "supervise", "--lang", lang, "--db", str(db), "collect", str(fifo)],
                          capture_output=True, text=True, timeout=20, env={**os.environ, "SUPERVISE_TODAY": "2021-10-31"})
    assert done.returncode == 2, done
    assert f"{fifo}: {words}" in done.stdout + done.stderr, done
    assert event_count(db) == before


def test_text_that_reads_as_an_excel_escape_goes_out_and_comes_back_as_written(invoke, tmp_path):
    """"_x0041_" in an id, a title or a unit is written escaped (_x005F_x0041_), so that Excel shows
    it as written and the reader, which undoes Excel's escapes, reads back the same id: before, the
    form's 编号 came back as "p/1A" and the filled row was refused as an unknown item."""
    plans = tmp_path / "plans.toml"
    plans.write_text('[[plan]]\nid = "p"\ntitle = "计划"\nstart = 2021-01-01\nend = 2021-12-31\n\n'
                     '[[task]]\nid = "1_x0041_"\ntitle = "标题_x0041_"\nlead = ["单位_x0042_"]\ndue = 2021-12-31\n',
                     encoding="utf-8")
    db, out = tmp_path / "x.db", tmp_path / "forms"
    assert invoke(["--db", db, "import", plans]).exit_code == 0
    assert invoke(["--db", db, "forms", "--out", out]).exit_code == 0
    (form,) = out.glob("*.xlsx")
    with zipfile.ZipFile(form) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "p/1_x005F_x0041_" in xml and "标题_x005F_x0041_" in xml and "p/1_x0041_<" not in xml
    filled = fill(form, tmp_path / "back.xlsx", {"p/1_x005F_x0041_": {"进展情况": "已启动_x0043_"}})
    outcome = invoke(["--db", db, "collect", filled])
    assert outcome.exit_code == 0, outcome
    notes = db_rows(db, "SELECT task_id, text FROM notes")
    # openpyxl wrote the note unescaped: Excel shows that cell as 已启动C, and so it is read
    assert notes == [("p/1_x0041_", "已启动C")], notes


# --- what a collected form did, found again by task and unit -------------------------------------


def _log_ids(invoke, db, *args) -> list[tuple[str, bool]]:
    import json

    out = invoke(["--db", db, "log", "--format", "json", *args])
    assert out.exit_code == 0, out.output
    return [(e["kind"], e["undone_by"] is not None) for e in json.loads(out.stdout)]


def test_log_for_a_task_or_unit_and_show_history_include_the_form_that_recorded_for_it(tmp_path, office, invoke):
    """A form ticks, records and notes for several tasks in one action; `log --task T`, `log --unit U`
    and `show T`'s history are where a clerk looks for what was recorded for T: the form is there."""
    db, out = office
    filled = fill(form_path(out), tmp_path / "f.xlsx", {
        MILESTONE: {"完成日期": "2021-10-08"},       # sy-2021-key/9: a tick
        MEDICAL: {"本期数值": "85%"},               # sy-2021/4.1: a value
        TASK42: {"进展情况": "已召开协调会"},        # sy-2021/4.2: a note
    })
    assert invoke(["--db", db, "collect", filled]).exit_code == 0
    for task in ("sy-2021-key/9", "sy-2021/4.1", "sy-2021/4.2"):
        assert _log_ids(invoke, db, "--task", task) == [("collect", False)], task
    assert _log_ids(invoke, db, "--task", "sy-2021/1.1") == []  # a task the form did not touch
    assert ("collect", False) in _log_ids(invoke, db, "--unit", UNIT)
    assert ("collect", False) in _log_ids(invoke, db, "--unit", "市卫生健康委")
    shown = invoke(["--db", db, "show", "sy-2021/4.2"])
    history = shown.stdout.split("\nHistory\n")[1]
    assert "collected form" in history and f"{UNIT} 2021-10-31: 3 entries" in history, shown.stdout
    assert invoke(["--db", db, "undo"]).exit_code == 0
    # undone: the entry is still found for the task, with its undo
    assert _log_ids(invoke, db, "--task", "sy-2021/4.1") == [("undo", False), ("collect", True)]
    table = invoke(["--db", db, "log", "--task", "sy-2021/4.1"])
    assert "collected form" in table.stdout and "undone" in table.stdout, table.stdout


def test_log_for_a_task_includes_the_chase_up_notice_that_named_it(tmp_path, office, invoke):
    db, _ = office
    issued = invoke(["--db", db, "remind", "--out", tmp_path / "notices", "--unit", UNIT])
    assert issued.exit_code == 0, issued.output
    import json

    named = [t["id"] for t in json.loads(invoke(["--db", db, "status", "--format", "json"]).stdout)["tasks"]
             if t["reminders"]]
    assert named
    for task in named:
        assert _log_ids(invoke, db, "--task", task) == [("remind", False)], task
    assert _log_ids(invoke, db, "--task", "sy-2021/1.1") == []


@pytest.mark.parametrize("lang, mark", [("en", "already recorded"), ("zh", "已记录")])
def test_collecting_again_marks_every_row_already_recorded_however_long_its_note(tmp_path, office, invoke, lang, mark):
    """The preview shortens a long note to its column with …: the mark that it is already recorded
    must not be what is cut off."""
    db, out = office
    long_note = "已召开全市医养结合推进会，部署家庭医生签约服务扩面工作，各区县已制定实施方案并启动入户签约。"
    filled = fill(form_path(out), tmp_path / "f.xlsx", {TASK42: {"进展情况": long_note},
                                                        MILESTONE: {"完成日期": "2021-10-08"}})
    assert invoke(["--db", db, "collect", filled]).exit_code == 0
    again = invoke(["--db", db, "--lang", lang, "collect", filled])
    assert again.exit_code == 0, again.output
    rows = [line for line in again.stdout.splitlines() if line.startswith(("sy-2021/", "sy-2021-key/"))]
    assert len(rows) == 2 and all(mark in row for row in rows), again.stdout


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the first bytes of an Excel 97-2003 .xls, a WPS .et, or an encrypted .xlsx


@pytest.mark.parametrize("lang, words", [("en", ["Excel 97-2003", "password", "saved as .xlsx"]),
                                         ("zh", ["Excel 97-2003", "密码", "另存为", ".xlsx"])])
@pytest.mark.parametrize("name", ["财政局.xls", "财政局.xlsx"])
def test_a_form_saved_as_an_old_excel_file_or_with_a_password_says_what_to_do(tmp_path, office, invoke, lang, words, name):
    """A department that saves the form as .xls (or sets a password) sends a compound file, not a zip:
    the clerk is told what it is and what to ask for, not "BadZipFile: File is not a zip file"."""
    db, _ = office
    old = tmp_path / name
    old.write_bytes(OLE2 + bytes(504))
    before = db_fingerprint(db)
    result = invoke(["--db", db, "--lang", lang, "collect", old])
    assert result.exit_code == 2
    line = result.err_lines[0]
    assert line.startswith(f"{old}: ") and all(w in line for w in words), line
    assert "BadZipFile" not in result.stderr and "zip" not in line
    assert db_fingerprint(db) == before


def test_forms_for_a_named_unit_with_nothing_open_writes_nothing_and_says_so(tmp_path, office, invoke):
    """市金融发展局 shares in 4.3 alone: once 4.3 is done it has nothing to report. A form of no rows
    was written ("0 items") to be sent out and filled in; now nothing is written, and one line says
    why, the other units' forms written as before."""
    db, _ = office
    assert invoke(["--db", db, "tick", "sy-2021/4.3"]).exit_code == 0
    out = tmp_path / "none"
    zh = invoke(["--db", db, "--lang", "zh", "forms", "--out", out, "--unit", "市金融发展局"])
    assert zh.exit_code == 0, zh.output
    assert not out.exists() or not list(out.iterdir())
    assert zh.stdout.strip() == "截至 2021-10-31，市金融发展局没有未完成事项：未生成报表"
    en = invoke(["--db", db, "--lang", "en", "forms", "--out", out, "--unit", "市金融发展局", "--unit", UNIT])
    assert en.exit_code == 0, en.output
    assert [p.name for p in out.iterdir()] == [form_path(out).name]
    assert en.stdout.splitlines()[0] == "市金融发展局 has no open items as of 2021-10-31: no form written"


@pytest.mark.parametrize("lang, words", [
    ("en", "made as of 2021-11-30, after today (2021-10-31): what it reports would be dated then; collect it from 2021-11-30 on"),
    ("zh", "报表截至 2021-11-30，晚于今天（2021-10-31），所报内容将记在该日：请于 2021-11-30 或之后收集"),
])
def test_a_form_as_of_a_day_to_come_is_collected_only_from_that_day(tmp_path, office, invoke, lang, words):
    """forms --as-of a day to come (made ahead of the month's end) and returned early: its notes and
    values are dated its as-of day, so collecting it now recorded entries dated after today, which
    no list shows until then (a tick so dated was already refused). One line naming the form's
    as-of cell, nothing written; from that day on it is collected as any form."""
    db, _ = office
    out = tmp_path / "ahead"
    assert invoke(["--db", db, "forms", "--out", out, "--unit", UNIT, "--as-of", "2021-11-30"]).exit_code == 0
    form = fill(out / f"{UNIT}_进展情况表_2021-11-30.xlsx", tmp_path / "early.xlsx",
                {MEDICAL: {"本期数值": 60, "进展情况": "已完成摸底"}})
    before = db_fingerprint(db)
    result = invoke(["--db", db, "--lang", lang, "collect", form])
    assert result.exit_code == 2, result.output
    assert result.err_lines[0] == f"{form}:_supervise!B6: {words}"
    assert db_fingerprint(db) == before
    later = invoke(["--db", db, "collect", form], env={"SUPERVISE_TODAY": "2021-11-30"})
    assert later.exit_code == 0, later.output


def test_forms_for_a_named_unit_whose_led_tasks_are_done_lists_what_it_shares_in(tmp_path, office, invoke):
    """市医保局 leads 4.3 alone and is responsible for sy-2021-key/9 (open): with 4.3 done it has no
    led item open, but it still has something to report on; the form said 'no open items'."""
    db, _ = office
    assert invoke(["--db", db, "tick", "sy-2021/4.3"]).exit_code == 0
    out = tmp_path / "shares"
    result = invoke(["--db", db, "forms", "--out", out, "--unit", "市医保局"])
    assert result.exit_code == 0, result.output
    [path] = list(out.iterdir())
    tasks = set()
    for ws in sheets(load_workbook(path)):
        assert "参与" in ws["A1"].value
        ids = {ws.cell(row=r, column=2).value for r in range(HEADER_ROW + 1, ws.max_row + 1)} - {None}
        tasks |= {"/".join(i.split("/")[:2]) for i in ids}
    assert tasks == {"sy-2021/4.2", "sy-2021-key/9"}  # both led by 市卫生健康委, open


@pytest.mark.parametrize("nothing", ["—", "/", "无", " - "])
def test_a_value_cell_saying_nothing_records_no_value(tmp_path, office, invoke, nothing):
    """A department types — (or /, 无) in 本期数值 for 'nothing this period', as it may in 完成日期:
    the form was refused ('not a number'); now the row's note is recorded and no value."""
    db, out = office
    form = fill(form_path(out), tmp_path / "nothing.xlsx", {MEDICAL: {"本期数值": nothing, "进展情况": "本期无新增数据"}})
    result = invoke(["--db", db, "collect", form])
    assert result.exit_code == 0, result.output
    assert db_rows(db, "SELECT count(*) FROM indicator_values")[0][0] == 0
    assert db_rows(db, "SELECT text FROM notes") == [("本期无新增数据",)]
