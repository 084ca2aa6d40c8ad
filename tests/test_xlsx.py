"""supervise.xlsx, the small reader `collect` uses: the same values openpyxl reads, and the odd files."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from supervise.xlsx import Workbook


def test_reads_what_openpyxl_reads(tmp_path):
    path = tmp_path / "a.xlsx"
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = "表一"
    ws.append(["编号", "完成日期", "本期数值", "进展情况"])
    ws.append(["p/1/a", dt.datetime(2021, 9, 30), 5200, "=SUM(1)"])
    ws.append([None, "2021.9.30", 3.5, "多行\n文字"])
    ws.append([])
    ws.append(["p/1/b", True, "5,200人", None])
    ws["B5"].number_format = "General"
    hidden = wb.create_sheet("_h")
    hidden.sheet_state = "veryHidden"
    hidden["A1"] = "x"
    wb.save(path)
    mine = Workbook(path)
    assert [(n, s) for n, s, _ in mine.sheets] == [("表一", "visible"), ("_h", "veryHidden")]
    theirs = load_workbook(path)["表一"]
    expected = [(r, {c: v for c, v in enumerate(row) if v is not None})
                for r, row in enumerate(theirs.iter_rows(values_only=True), 1) if any(v is not None for v in row)]
    assert list(mine.rows("表一")) == expected
    assert expected[1][1][3] == "=SUM(1)" and expected[1][1][1] == dt.datetime(2021, 9, 30)
    mine.close()


def _package(path, sheet_xml: str, *, date1904: bool = False, styles: str = "") -> None:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    pr = ' date1904="1"' if date1904 else ""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook {ns} {rel}><workbookPr{pr}/>'
                   f'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Target="/xl/worksheets/s.xml" Type="x"/></Relationships>')
        z.writestr("xl/worksheets/s.xml", f"<worksheet {ns}><sheetData>{sheet_xml}</sheetData></worksheet>")
        if styles:
            z.writestr("xl/styles.xml", f"<styleSheet {ns}>{styles}</styleSheet>")


def test_inline_strings_cached_formulas_and_1904_dates(tmp_path):
    path = tmp_path / "wps.xlsx"
    _package(path, '<row r="2"><c r="A2" t="inlineStr"><is><t>是</t></is></c>'
                   '<c r="B2" t="str"><f>A2&amp;"x"</f><v>是x</v></c><c r="C2" s="1"><v>366</v></c>'
                   '<c r="D2"><v>1.5</v></c><c r="E2" t="e"><v>#N/A</v></c></row>',
             date1904=True, styles='<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>')
    with Workbook(path) as wb:
        assert list(wb.rows("S")) == [(2, {0: "是", 1: '=A2&"x"', 2: dt.datetime(1905, 1, 1), 3: 1.5, 4: "#N/A"})]


@pytest.mark.parametrize("date1904", [False, True])
def test_a_negative_number_in_a_date_cell_is_no_date(tmp_path, date1904):
    """Excel has no date before its epoch (it shows ####): -5 typed into a form's 完成日期 was read
    as 1899-12-25 and ticked on that day. It is the number, which collect refuses as not a date."""
    path = tmp_path / "neg.xlsx"
    _package(path, '<row r="2"><c r="A2" s="1"><v>-5</v></c><c r="B2" s="1"><v>-0.5</v></c></row>',
             date1904=date1904, styles='<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>')
    with Workbook(path) as wb:
        assert list(wb.rows("S")) == [(2, {0: -5, 1: -0.5})]


def test_a_part_that_is_one_huge_token_is_refused_in_seconds(tmp_path):
    """A 100 KB damaged or hostile form whose workbook.xml unzips to one 100 MB unfinished tag: read
    16 KB at a time, expat scanned the token again at every read, and `collect` ran for minutes."""
    import time

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<" + b"a" * (100 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    started = time.monotonic()
    with pytest.raises(ValueError):
        Workbook(path)
    assert time.monotonic() - started < 20


def test_not_a_workbook_is_a_value_error(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    with pytest.raises(ValueError):
        Workbook(path)
    with zipfile.ZipFile(tmp_path / "y.xlsx", "w") as z:
        z.writestr("a.txt", "no workbook")
    with pytest.raises(ValueError):
        Workbook(tmp_path / "y.xlsx")


def test_a_shared_string_that_is_not_in_the_table_is_a_value_error_naming_the_sheet(tmp_path):
    path = tmp_path / "damaged.xlsx"  # no shared-string table, yet a cell points into it
    _package(path, '<row r="1"><c r="A1" t="s"><v>99</v></c></row>')
    with Workbook(path) as wb, pytest.raises(ValueError, match="^S: "):
        list(wb.rows("S"))


def test_escaped_characters_are_read_as_excel_wrote_them(tmp_path):
    # ECMA-376 ST_Xstring: Excel writes a carriage return (a line pasted from Word) as _x000D_, and
    # a typed "_x" as _x005F_x, in shared and inline strings alike
    path = tmp_path / "escaped.xlsx"
    _package(path, '<row r="1"><c r="A1" t="inlineStr"><is><t>第一行_x000D_\n第二行</t></is></c>'
                   '<c r="B1" t="inlineStr"><is><t>_x005F_x000D_ typed</t></is></c>'
                   '<c r="C1" t="inlineStr"><is><t>_xD800_</t></is></c></row>')  # no text holds a lone surrogate
    wb = Workbook(path)
    assert list(wb.rows("S")) == [(1, {0: "第一行\r\n第二行", 1: "_x000D_ typed", 2: "_xD800_"})]
    wb.close()
