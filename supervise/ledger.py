"""The 督查台账: an Excel workbook of every task, for the office's files and for the units.

A summary sheet by department (unit) comes first, then one sheet per plan with a row per task:
section, title, lead and responsible units, due date, milestones with their dates and state,
latest indicator values against targets, the colour as a cell fill AND as a word, the reason,
and the latest note. Row 1 is a title carrying the as-of date, row 2 the header; both stay put
when scrolling (frozen panes), the header has an autofilter, and the column widths count CJK
characters as two.

User text is always written as text: a note reading `=SUM(A1)`, `+86…`, `-…`, `@…` or `#N/A`
is a string cell (never a formula or an error value) with Excel's quote prefix, so it stays
text even when the cell is edited; control characters Excel cannot store are shown as U+XXXX.

Every cell gets exactly one named style (registered once per workbook): assigning openpyxl
style objects cell by cell re-hashes them each time and made a 10 000-task ledger take 20 s.
The workbook is written in openpyxl's write-only mode: each sheet's rows are gathered as plain
values (so the column widths are known before the first row goes out, as that mode requires)
and streamed to the file, instead of a Cell object per cell held until the save (483 MB for
50 000 tasks).
Like the briefing, the workbook's content is a function of (snapshot, as_of, lang) only.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from . import files
from .briefing import long_date
from .formats import num
from .i18n import joined, rag_word, t
from .models import COUNTED, Snapshot
from .status import TaskStatus, statuses
from .text import visible
from .views import TaskStatuses

# Excel's own "Bad / Neutral / Good" cell colours: readable on screen and in black-and-white print
FILLS = {
    "red": ("FFC7CE", "9C0006"),
    "amber": ("FFEB9C", "9C5700"),
    "green": ("C6EFCE", "006100"),
    "done": ("D9D9D9", "404040"),
}
HEADER_FILL = "DDEBF7"
MAX_WIDTH = 50  # in Latin characters; longer text wraps
MIN_WIDTH = 6
MAX_CELL = 32767  # Excel's limit on the characters in one cell
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_TEXT_PREFIX = ("=", "+", "-", "@", "#")  # formula, sign, at, error value: Excel would not take it as text

# the plan sheet's columns: (catalogue key of the header, wraps)
PLAN_COLUMNS = (
    ("col.id", False), ("col.section", True), ("col.title", True), ("col.lead", True), ("col.responsible", True),
    ("col.due", False), ("ledger.col.milestones", True), ("ledger.col.indicators", True), ("col.rag", False),
    ("col.reason", True), ("col.note", True), ("ledger.col.note_on", False), ("col.flags", False),
)

# named styles, registered in every workbook this module builds
TEXT, WRAP, DATE, NUMBER, HEADER, TITLE = "sv-text", "sv-wrap", "sv-date", "sv-number", "sv-header", "sv-title"


def _rag_style(rag: str) -> str:
    return f"sv-{rag}"


def _named_styles() -> list[NamedStyle]:
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top")
    out = [
        NamedStyle(TEXT, border=border, alignment=top),
        NamedStyle(WRAP, border=border, alignment=Alignment(vertical="top", wrap_text=True)),
        NamedStyle(DATE, border=border, alignment=top, number_format="yyyy-mm-dd"),
        NamedStyle(NUMBER, border=border, alignment=top),
        NamedStyle(HEADER, border=border, font=Font(bold=True), fill=PatternFill("solid", fgColor=HEADER_FILL),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle(TITLE, font=Font(bold=True, size=14), alignment=Alignment(horizontal="left", vertical="center")),
    ]
    for rag, (bg, fg) in FILLS.items():
        out.append(NamedStyle(_rag_style(rag), border=border, font=Font(bold=True, color=fg),
                              fill=PatternFill("solid", fgColor=bg),
                              alignment=Alignment(horizontal="center", vertical="top")))
        out.append(NamedStyle(_rag_style(rag) + "-header", border=border, font=Font(bold=True, color=fg),
                              fill=PatternFill("solid", fgColor=bg),
                              alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)))
    return out


# --- the entry point the CLI calls ---------------------------------------------------------------


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
    for style in _named_styles():
        wb.add_named_style(style)
    return wb


def _fill(wb: Workbook, snapshot: Snapshot, as_of: date, lang: str, progress=None) -> None:
    live = statuses(snapshot, as_of).live()
    used: set[str] = set()
    summary = Sheet()
    _summary_sheet(summary, snapshot, live, lang)
    summary.write(wb, sheet_name(t(lang, "ledger.summary_sheet"), used))
    by_plan: dict[str, list[TaskStatus]] = {}
    for s in live:
        by_plan.setdefault(s.task.plan, []).append(s)
    done, total = 0, len(live)
    for plan_id, rows in by_plan.items():
        plan = snapshot.plan(plan_id)
        sheet = Sheet()
        counted = None if progress is None else (lambda n, before=done: progress(before + n, total))
        _plan_sheet(sheet, plan.title if plan else plan_id, plan.doc_number if plan else "",
                    TaskStatuses(tuple(rows), as_of), lang, counted)
        sheet.write(wb, sheet_name(plan_id, used))
        done += len(rows)
        if progress is not None:
            progress(done, total)


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


# --- sheet names -------------------------------------------------------------------------------


def sheet_name(wanted: str, used: set[str]) -> str:
    """A legal, unique sheet name: at most 31 characters, none of []:*?/\\, no quote at either end."""
    name = _FORBIDDEN_IN_SHEET_NAME.sub("_", ILLEGAL_CHARACTERS_RE.sub("_", wanted)).strip().strip("'").strip()
    name = name[:31].strip("'") or "Sheet"
    if name.casefold() == "history":  # reserved by Excel
        name = name + "_"
    candidate, n = name, 2
    while candidate.casefold() in used:
        suffix = f"~{n}"
        candidate = name[:31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate


# --- cells -------------------------------------------------------------------------------------


def clean_text(value: object) -> str:
    """What a cell can hold: control characters shown as U+XXXX (text.visible: the one rule, which covers
    openpyxl's illegal characters), at most Excel's 32 767 characters."""
    text = "" if value is None else str(value)
    text = visible(text.replace("\r\n", "\n"), keep="\t\n\r", notation="U+")
    return text[:MAX_CELL]


def text_cell(cell: Cell, value: object) -> Cell:
    """Store user text as text: never a formula, never an error value, nothing Excel would reject.

    Apply the cell's style first: assigning a named style afterwards would drop the quote prefix.
    """
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl infers "f" for a leading "=" and "e" for "#N/A": it is text
    if text.startswith(_TEXT_PREFIX):
        cell.quotePrefix = True  # Excel keeps it text when the clerk edits the cell
    return cell


def display_width(text: str) -> int:
    """Columns a line of text needs: CJK (wide and full-width) characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


class Sheet:
    """A worksheet's cells gathered row by row as plain values, with the width each column needs;
    `write` streams them into a write-only workbook."""

    def __init__(self):
        self.rows: list[list[tuple[object, str, str] | None]] = []  # per row: (value, style, kind) or None
        self.widths: dict[int, int] = {}
        self.ncols = self.nrows = 0
        self.merged: list[str] = []

    def _put(self, row: int, col: int, value: object, style: str, kind: str) -> None:
        while len(self.rows) < row:
            self.rows.append([])
        cells = self.rows[row - 1]
        while len(cells) < col:
            cells.append(None)
        cells[col - 1] = (value, style, kind)

    def _measure(self, col: int, text: str) -> None:
        current = self.widths.get(col, 0)
        if current >= MAX_WIDTH:  # already as wide as a column gets
            return
        for line in text.split("\n"):
            if 2 * len(line) > current:  # else it cannot be wider, whatever its characters
                current = max(current, display_width(line))
        self.widths[col] = current

    def text(self, row: int, col: int, value: object, style: str = TEXT) -> None:
        text = clean_text(value)
        self._put(row, col, text, style, "text")
        if row > 1:  # the merged title row spans the columns; it does not size them
            self._measure(col, text)

    def date(self, row: int, col: int, value: date | None) -> None:
        if value is None:
            self.text(row, col, "—")
            return
        self._put(row, col, value, DATE, "date")
        self._measure(col, "yyyy-mm-dd")

    def number(self, row: int, col: int, value: int, style: str = NUMBER) -> None:
        self._put(row, col, value, style, "number")
        self._measure(col, str(value))

    def title(self, text: str, ncols: int) -> None:
        self.text(1, 1, text, TITLE)
        self.merged.append(f"A1:{get_column_letter(ncols)}1")

    def header(self, headers: list[str], styles: dict[int, str] | None = None) -> None:
        for col, h in enumerate(headers, 1):
            self.text(2, col, h, (styles or {}).get(col, HEADER))

    def finish(self, ncols: int, nrows: int) -> None:
        self.ncols, self.nrows = ncols, nrows

    def write(self, wb: Workbook, name: str) -> None:
        """Widths, frozen title and header, autofilter and printing first (write-only mode takes
        them before any row), then the rows."""
        ws = wb.create_sheet(name)
        ncols = self.ncols
        for col in range(1, ncols + 1):
            width = max(MIN_WIDTH, min(self.widths.get(col, 0), MAX_WIDTH))
            ws.column_dimensions[get_column_letter(col)].width = width + 2
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{self.nrows + 2}"
        ws.print_title_rows = "1:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        for ref in self.merged:
            ws.merged_cells.add(ref)
        ws.row_dimensions[1].height = 24
        for cells in self.rows:
            out = []
            for spec in cells:
                if spec is None:
                    out.append(None)
                    continue
                value, style, kind = spec
                cell = WriteOnlyCell(ws)
                cell.style = style
                if kind == "text":
                    text_cell(cell, value)
                else:
                    cell.value = value
                out.append(cell)
            ws.append(out)


def _as_of_title(what: str, as_of: date, counts: dict[str, int], lang: str) -> str:
    summary = t(lang, "summary.counts", **counts)
    return t(lang, "ledger.title_row", what=what, on=long_date(as_of, lang), counts=summary)


# --- the sheets --------------------------------------------------------------------------------


def _summary_sheet(sheet: Sheet, snapshot: Snapshot, live: TaskStatuses, lang: str) -> None:
    colours = [r.value for r in COUNTED]
    headers = [t(lang, "col.unit")]
    headers += [t(lang, "ledger.col.lead_rag", rag=rag_word(lang, r)) for r in colours]
    headers += [t(lang, "ledger.col.lead_total")]
    headers += [t(lang, "ledger.col.resp_rag", rag=rag_word(lang, r)) for r in colours]
    headers += [t(lang, "ledger.col.resp_total")]
    ncols = len(headers)
    office = " ".join(snapshot.office.name.split())
    what = f"{office} {t(lang, 'ledger.summary_title')}" if office else t(lang, "ledger.summary_title")
    sheet.title(_as_of_title(what, live.as_of, live.counts(), lang), ncols)
    coloured = {2 + i: _rag_style(r) + "-header" for i, r in enumerate(colours)}
    coloured |= {7 + i: _rag_style(r) + "-header" for i, r in enumerate(colours)}
    sheet.header(headers, coloured)
    units = live.by_unit()
    for row, u in enumerate(units, 3):
        sheet.text(row, 1, u.unit)
        for i, r in enumerate(colours):
            sheet.number(row, 2 + i, u.counts[r], _rag_style("red") if r == "red" and u.counts[r] else NUMBER)
            sheet.number(row, 7 + i, u.responsible[r])
        sheet.number(row, 6, u.total)
        sheet.number(row, 11, u.responsible_total)
    sheet.finish(ncols, len(units))


def _plan_sheet(sheet: Sheet, title: str, doc_number: str, rows: TaskStatuses, lang: str, progress=None) -> None:
    headers = [t(lang, key) for key, _ in PLAN_COLUMNS]
    ncols = len(headers)
    what = t(lang, "ledger.plan_title", title=title, doc=doc_number) if doc_number else title
    sheet.title(_as_of_title(what, rows.as_of, rows.counts(), lang), ncols)
    sheet.header(headers)
    style = [WRAP if wraps else TEXT for _, wraps in PLAN_COLUMNS]
    for row, s in enumerate(rows, 3):
        task = s.task
        note = s.latest_note
        texts = {1: task.id, 2: task.section, 3: task.title, 4: "、".join(task.lead), 5: "、".join(task.responsible),
                 7: "\n".join(_milestone_line(m, lang) for m in s.milestones),
                 8: "\n".join(_indicator_line(i, lang) for i in s.indicators),
                 10: joined(s.reason_words(lang), lang), 11: note.text if note else "", 13: _flags(s, lang)}
        for col, value in texts.items():
            sheet.text(row, col, value, style[col - 1])
        sheet.date(row, 6, task.due)
        sheet.text(row, 9, rag_word(lang, s.rag.value), _rag_style(s.rag.value))
        sheet.date(row, 12, note.on if note else None)
        if progress is not None and row % 250 == 0:
            progress(row - 2)
    sheet.finish(ncols, len(rows))


def _milestone_line(m, lang: str) -> str:
    """出台实施方案（2021-06-30）：已于 2021-06-20 完成 — the state is the status engine's reason."""
    return t(lang, "ledger.milestone_line", title=m.milestone.title, due=m.milestone.due.isoformat(),
             state=m.reason.words(lang))


def _indicator_line(i, lang: str) -> str:
    """培训家庭照护者：3500/20000人（2021-09-30填报）：完成 17.5%，序时应完成 27.7%"""
    ind = i.indicator
    if i.value is None:
        return t(lang, "ledger.indicator_none", name=ind.name, target=num(ind.target), unit=ind.unit,
                 state=i.reason.words(lang))
    return t(lang, "ledger.indicator_line", name=ind.name, value=num(i.value), target=num(ind.target), unit=ind.unit,
             on=i.measured_on.isoformat(), state=i.reason.words(lang))


def _flags(s: TaskStatus, lang: str) -> str:
    flags = []
    if s.overridden:
        flags.append(t(lang, "ledger.flag_override"))
    if s.stale:
        flags.append(t(lang, "ledger.flag_stale"))
    return ("、" if lang == "zh" else ", ").join(flags)
