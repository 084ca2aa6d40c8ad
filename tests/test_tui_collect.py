"""Pilot test of `c` (collect a report form) in the UI: path, the preview, enter records, ctrl+z takes it back."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import Input, Static

from supervise.tui.collect import CollectDialog

from test_tui import make
from test_tui_support import SIZE, TODAY, answered, db, reopen, seeded_db  # noqa: F401 - fixtures

UNIT = "市卫生健康委"


def text_of(static: Static) -> str:
    """What a Static shows, as plain text (a Rich table or Text)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def filled_form(invoke, db: str, tmp_path: Path) -> Path:
    out = tmp_path / "forms"
    assert invoke(["--db", db, "forms", "--out", out, "--unit", UNIT]).exit_code == 0
    [path] = list(out.iterdir())
    wb = load_workbook(path)
    for ws in wb.worksheets:  # a sheet per plan: the milestone is on one of them
        cols = {str(c.value).split("\n")[0]: c.column for c in ws[4] if c.value}
        for r in range(5, ws.max_row + 1):
            if "编号" in cols and ws.cell(row=r, column=cols["编号"]).value == "sy-2021-key/9/a":
                ws.cell(row=r, column=cols["完成日期"]).value = "2021年10月8日"
                ws.cell(row=r, column=cols["进展情况"]).value = "已完成签约"
    dest = tmp_path / "filled.xlsx"
    wb.save(dest)
    return dest


def test_c_collects_a_form_with_a_preview_and_ctrl_z_takes_it_back(db, tmp_path, invoke):
    path = filled_form(invoke, db, tmp_path)

    async def run():
        app = make(db)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, CollectDialog)
            dialog.query_one("#path", Input).value = str(path)
            await pilot.press("enter")
            await pilot.pause()
            shown = text_of(dialog.query_one("#preview", Static))
            assert "sy-2021-key/9/a" in shown and "2021-10-08 完成" in shown and "已完成签约" in shown
            with reopen(db) as store:  # previewed, not recorded
                assert next(m for t in store.snapshot().tasks if t.key == "sy-2021-key/9"
                            for m in t.milestones if m.id == "a").done_on is None
            async with answered(pilot):
                await pilot.press("enter")
            message, severity = app.said[-1]
            assert severity == "information" and UNIT in message and "记录 2 条" in message
            with reopen(db) as store:
                task = store.task("sy-2021-key/9")
                assert task.milestones[0].done_on.isoformat() == "2021-10-08"
                assert [n.text for n in task.notes] == ["已完成签约"]
            task = next(t for t in app.data.snapshot.tasks if t.key == "sy-2021-key/9")
            assert task.milestones[0].done_on is not None  # the screen shows it
            async with answered(pilot):
                await pilot.press("ctrl+z")
            with reopen(db) as store:
                task = store.task("sy-2021-key/9")
                assert task.milestones[0].done_on is None and task.notes == ()
            assert app.said[-1][0].startswith("已撤销：")

    asyncio.run(run())


def test_c_shows_the_problems_of_a_bad_form_and_records_nothing(db, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")

    async def run():
        app = make(db)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            with reopen(db) as store:
                before = store.data_version()
            await pilot.press("c")
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#path", Input).value = str(bad)
            await pilot.press("enter")
            await pilot.pause()
            assert "不是 Excel 工作簿" in text_of(dialog.query_one("#preview", Static))
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, CollectDialog)
            with reopen(db) as store:
                assert store.data_version() == before

    asyncio.run(run())


def test_c_preview_title_shows_the_file_name_literally(db, tmp_path, invoke):
    path = filled_form(invoke, db, tmp_path).rename(tmp_path / "[red]报表.xlsx")  # a name Rich would read as markup

    async def run():
        app = make(db)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#path", Input).value = str(path)
            await pilot.press("enter")
            await pilot.pause()
            assert f"{path} — {UNIT}" in text_of(dialog.query_one("#preview", Static))

    asyncio.run(run())
