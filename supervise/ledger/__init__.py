"""The 督查台账: an Excel workbook of every task, for the office's files and for the units, made to print.

Sheets, in order:

- 汇总 (summary): the lead units ranked as `supervise units` ranks them (ranking.rank_units: the
  same figures as the briefing's per-unit table), a totals row, the rule the ranking follows,
  the tasks by colour at each review date, and two native charts (the colour trend, the ranking);
- one sheet per plan, named after the plan's title (shortened to Excel's 31 characters): 序号,
  the task, its units and due date, its colour as a cell fill AND as a word, milestones and
  indicators, the reason, the latest progress (dated), and 存在问题 / 下步措施 from the latest
  collected report form (a note whose lines are labelled 进展情况/存在问题/下步措施; empty where
  there is none); section headings as bands across the sheet;
- 进展记录 (progress log): every note, value and tick on or before the as-of date, task by task,
  newest first.

Every sheet prints on A4 landscape, one page wide, with its title and header on every page and
第 N 页 共 M 页 in the footer (ledger.cells says how). Like the briefing, the workbook's content
is a function of (snapshot, as_of, lang) only. It is written in openpyxl's write-only mode.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from .. import files
from ..i18n import t
from ..models import Snapshot
from ..status import TaskStatus
from ..views import statuses
from ..views import TaskStatuses
from .cells import FILLS, Styles, clean_text, display_width, named_styles, sheet_name, text_cell
from .sheets import history_sheet, plan_sheet, summary_sheet

__all__ = ["FILLS", "build_ledger", "clean_text", "display_width", "sheet_name", "text_cell", "write_ledger"]


def write_ledger(snapshot: Snapshot, as_of: date, lang: str, path: str | Path, refuse=(), progress=None) -> None:
    """Build the workbook and save it to `path`, whole or not at all (files.write_whole).

    `progress(done, total)`, if given, is told of each task row written (the CLI's progress bar)."""
    files.check_destination(path, refuse)  # before the work of building it
    wb = build_ledger(snapshot, as_of, lang, progress)  # sheets stream to temporary files as they are filled
    try:
        files.write_whole(path, lambda out: _save_into(wb, out), refuse=refuse)
    except BaseException:
        _discard(wb)
        raise


def build_ledger(snapshot: Snapshot, as_of: date, lang: str, progress=None) -> Workbook:
    """A write-only workbook, ready to save once (read it back with openpyxl.load_workbook)."""
    wb = _new_workbook(as_of, lang)
    try:
        _fill(wb, snapshot, as_of, lang, progress)
    except BaseException:
        _discard(wb)
        raise
    return wb


def _new_workbook(as_of: date, lang: str) -> Workbook:
    wb = Workbook(write_only=True)
    wb.properties.creator = "supervise"
    wb.properties.title = t(lang, "ledger.title")
    wb.properties.created = datetime(as_of.year, as_of.month, as_of.day)
    for style in named_styles():
        wb.add_named_style(style)
    return wb


def _fill(wb: Workbook, snapshot: Snapshot, as_of: date, lang: str, progress=None) -> None:
    live = statuses(snapshot, as_of).live()
    summary_name, history_name = t(lang, "ledger.summary_sheet"), t(lang, "ledger.history_sheet")
    used: set[str] = {history_name.casefold()}  # kept for the last sheet
    styles = Styles(wb)
    summary_sheet(snapshot, live, lang, styles).write(wb, sheet_name(summary_name, used), lang)
    by_plan: dict[str, list[TaskStatus]] = {}
    for s in live:
        by_plan.setdefault(s.task.plan, []).append(s)
    done, total = 0, len(live)
    for plan_id, rows in by_plan.items():
        plan = snapshot.plan(plan_id)
        title = (plan.title.strip() if plan else "") or plan_id
        counted = None if progress is None else (lambda n, before=done: progress(before + n, total))
        sheet = plan_sheet(title, plan.doc_number if plan else "", TaskStatuses(tuple(rows), as_of), lang, styles, counted)
        sheet.write(wb, sheet_name(title, used), lang)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    history_sheet(snapshot, live, lang, styles).write(wb, history_name, lang)


def _save_into(wb: Workbook, out) -> None:
    """What wb.save does (openpyxl 3.1's save_workbook), into the open file write_whole hands over;
    if the disk fills midway, the half-written archive is let go without another write: ZipFile would
    try to finish it when collected, after the file is closed, and print a traceback at exit."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        archive.fp = None  # the temporary file is removed by write_whole: nothing to finish
        raise


def _discard(wb: Workbook) -> None:
    """Close the sheets a failed build or save left streaming, and remove their temporary files,
    now and quietly (not with a traceback at exit)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:  # nothing streamed yet
            continue
        rows = getattr(ws, "_rows", None)  # the sheet's row generator: closed first, it ends its XML element
        for step in ((rows.close,) if rows is not None else ()) + (writer.close, writer.cleanup):
            with contextlib.suppress(Exception):  # it is being thrown away
                step()
