"""Report forms (填报表): one Excel workbook per unit with its open items, to be filled in and collected.

spec/office.md, "Report forms". Pure: the content is a function of (snapshot, as_of, reply_by,
unit, database id, lang) — no clock. `collect.py` reads the filled-in workbook back; the header
labels, the hidden sheet's layout and the kinds of row are defined here once for both.

The form is for a department's clerk, in Chinese whatever the interface language: a title with
the unit and the as-of date, a 填表说明 line, a frozen header, wrapped text, columns wide enough
for Chinese, A4 landscape, date cells formatted as dates, and the editable cells (完成日期 …
下步措施) tinted and the only unlocked ones on a protected sheet. `--lang en` adds English under
the header labels. A very hidden sheet carries what `collect` checks: the database's identity,
the unit, the as-of date and the 编号 of every row issued. Where the unit's items are in a few
plans (2 to MAX_PLAN_SHEETS), each plan has its own sheet, named after it and naming it in its
second line; `collect` reads every sheet with the header.

The workbook's frame is openpyxl's; the rows are written as sheet XML by xlsx.SheetRows (an
openpyxl Cell per cell made the forms of a 10,000-task office take 5 s and 220 MB).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.protection import SheetProtection

from .briefing import long_date
from .formats import shown
from .i18n import joined, t
from .ledger.cells import FILLS, HEADER_FILL, clean_text, display_width, lines_needed, sheet_name
from .models import Rag, Snapshot
from .status import TaskStatus
from .text import file_name_part
from .views import TaskStatuses
from .xlsx import SheetRows
from .xlsx import save as save_rows

FORMAT = "supervise-form"
VERSION = 1
META_SHEET = "_supervise"

# kinds of row: the word in the 类型 column, and the code the hidden sheet keeps
KIND_MILESTONE, KIND_INDICATOR, KIND_TASK = "milestone", "indicator", "task"
KIND_WORD = {KIND_MILESTONE: "节点", KIND_INDICATOR: "指标", KIND_TASK: "任务"}

# header labels collect matches columns by (the first line of the header cell)
H_KIND, H_ID = "类型", "编号"
H_DONE, H_VALUE, H_PROGRESS, H_PROBLEMS, H_NEXT = "完成日期", "本期数值", "进展情况", "存在问题", "下步措施"
EDITABLE = (H_DONE, H_VALUE, H_PROGRESS, H_PROBLEMS, H_NEXT)
NOTE_PARTS = (H_PROGRESS, H_PROBLEMS, H_NEXT)

# (label, English, width in Latin characters, wraps)
COLUMNS = (
    (H_KIND, "Kind", 4, False),
    (H_ID, "ID", 16, True),
    ("任务", "Task", 18, True),
    ("事项", "Item", 18, True),
    ("完成时限", "Due", 10, False),
    ("目标", "Target", 9, True),
    ("最新值", "Latest value", 12, True),
    ("状态", "Status", 4, False),
    ("原因", "Reason", 16, True),
    ("最新进展", "Latest note", 18, True),
    (H_DONE, "Done on / measured on", 10, False),
    (H_VALUE, "Value", 8, False),
    (H_PROGRESS, "Progress", 22, True),
    (H_PROBLEMS, "Problems", 14, True),
    (H_NEXT, "Next steps", 14, True),
)
HEADER_ROW = 4  # title, office line, 填表说明, header
INSTRUCTIONS = ("填表说明：只填黄色单元格。节点、任务已完成的，在“完成日期”填完成日期；指标在“本期数值”填最新数值"
                "（可在“完成日期”填统计日期，不填视为截至日期）；进展情况、存在问题、下步措施据实填写。"
                "请勿修改编号，可增删空行、调整行序。")
EDITABLE_FILL = "FFF2CC"
LINE_HEIGHT = 15  # points per line of 11-point text
MAX_LINES = 12  # a very long note is cut off in print rather than given a page of its own
SHARED_TITLE_NOTE = "（参与事项）"
MAX_PLAN_SHEETS = 10  # a sheet per plan up to this many plans; more tabs than that nobody pages through: one sheet

ST_TITLE, ST_LINE, ST_HEADER, ST_TEXT, ST_WRAP, ST_DATE = "fm-title", "fm-line", "fm-header", "fm-text", "fm-wrap", "fm-date"
ST_EDIT, ST_EDIT_WRAP, ST_EDIT_DATE = "fm-edit", "fm-edit-wrap", "fm-edit-date"


@dataclass(frozen=True)
class FormRow:
    kind: str  # KIND_*
    id: str  # plan/task[/item]
    status: TaskStatus


@dataclass(frozen=True)
class Form:
    """One unit's form: what `forms` writes into one file."""

    unit: str
    role: str  # "lead" (the unit leads these tasks) or "shared" (a named unit that only shares in them)
    rows: tuple[FormRow, ...]


def open_rows(statuses: TaskStatuses) -> tuple[FormRow, ...]:
    """Each live milestone not done, each live indicator not met, each live task without either not
    done, as of the statuses' date, in the statuses' order."""
    rows: list[FormRow] = []
    for s in statuses.live():
        if not s.milestones and not s.indicators:
            if s.computed is not Rag.DONE:
                rows.append(FormRow(KIND_TASK, s.key, s))
            continue
        if s.task.done_on is not None and s.task.done_on <= s.as_of:
            continue  # the task itself ticked done: nothing open
        rows += [FormRow(KIND_MILESTONE, f"{s.key}/{m.milestone.id}", s) for m in s.milestones if m.rag is not Rag.DONE]
        rows += [FormRow(KIND_INDICATOR, f"{s.key}/{i.indicator.id}", s) for i in s.indicators if i.rag is not Rag.DONE]
    return tuple(rows)


def forms_for(statuses: TaskStatuses, units: list[str] | None = None) -> list[Form]:
    """Every unit leading a live task with something open; or only `units`, each with what it
    leads, or (nothing it leads open) what it shares in. A unit with nothing open gets no form (a form
    of no rows is nothing to fill in); unknown units are the caller's to refuse."""
    live = statuses.live()
    if not units:
        out = []
        for unit in live.lead_units():
            rows = open_rows(live.led_by(unit))
            if rows:
                out.append(Form(unit, "lead", rows))
        return out
    out = []
    for unit in units:
        led = open_rows(live.led_by(unit))
        form = Form(unit, "lead", led) if led else Form(unit, "shared", open_rows(live.involving(unit)))
        if form.rows:
            out.append(form)
    return out


def file_name(unit: str, as_of: date) -> str:
    """The unit's name in the file name, made safe for every file system (text.file_name_part)."""
    return f"{file_name_part(unit)}_进展情况表_{as_of.isoformat()}.xlsx"


def _styles() -> list[NamedStyle]:
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    locked, unlocked = Protection(locked=True), Protection(locked=False)
    top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    edit = PatternFill("solid", fgColor=EDITABLE_FILL)
    out = [
        NamedStyle(ST_TITLE, font=Font(bold=True, size=16), alignment=Alignment(horizontal="center", vertical="center"),
                   protection=locked),
        NamedStyle(ST_LINE, alignment=Alignment(vertical="center", wrap_text=True), protection=locked),
        NamedStyle(ST_HEADER, border=border, font=Font(bold=True), fill=PatternFill("solid", fgColor=HEADER_FILL),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True), protection=locked),
        NamedStyle(ST_TEXT, border=border, alignment=top, protection=locked),
        NamedStyle(ST_WRAP, border=border, alignment=wrap, protection=locked),
        NamedStyle(ST_DATE, border=border, alignment=top, number_format="yyyy-mm-dd", protection=locked),
        NamedStyle(ST_EDIT, border=border, alignment=top, fill=edit, protection=unlocked),
        NamedStyle(ST_EDIT_WRAP, border=border, alignment=wrap, fill=edit, protection=unlocked),
        NamedStyle(ST_EDIT_DATE, border=border, alignment=top, fill=edit, number_format="yyyy-mm-dd",
                   protection=unlocked),
    ]
    for rag, (bg, fg) in FILLS.items():
        out.append(NamedStyle(f"fm-{rag}", border=border, font=Font(bold=True, color=fg),
                              fill=PatternFill("solid", fgColor=bg),
                              alignment=Alignment(horizontal="center", vertical="top"), protection=locked))
    return out


class FormFile:
    """One unit's form, ready to save: openpyxl's workbook for the frame (styles, merged title,
    widths, frozen header, printing, protection) and the sheets' rows (xlsx.SheetRows)."""

    def __init__(self, workbook: Workbook, sheets: list[SheetRows]):
        self.workbook, self.sheets = workbook, sheets

    def save(self, out) -> None:
        """Into a binary file (files.write_whole's writer)."""
        save_rows(self.workbook, self.sheets, out)


def sheets_of(form: Form) -> list[tuple[str | None, tuple[FormRow, ...]]]:
    """The form's sheets: (plan id, its rows) for each plan, in the order of the rows, where the
    unit's rows are in 2 to MAX_PLAN_SHEETS plans; else one sheet, (None, every row)."""
    by_plan: dict[str, list[FormRow]] = {}
    for row in form.rows:
        by_plan.setdefault(row.status.task.plan, []).append(row)
    if not 2 <= len(by_plan) <= MAX_PLAN_SHEETS:
        return [(None, form.rows)]
    return [(plan, tuple(rows)) for plan, rows in by_plan.items()]


def build_form(form: Form, snapshot: Snapshot, as_of: date, reply_by: date, database_id: str,
               lang: str = "zh") -> FormFile:
    """The workbook for one unit, ready to save (through files.write_whole)."""
    wb = Workbook()
    wb.properties.creator = "supervise"
    wb.properties.title = clean_text(f"{form.unit}进展情况表")  # docProps/core.xml: no noncharacter
    for style in _styles():
        wb.add_named_style(style)
    used = {META_SHEET.casefold()}
    sheets = []
    for n, (plan_id, rows) in enumerate(sheets_of(form)):
        plan = snapshot.plan(plan_id) if plan_id else None
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = sheet_name(plan.title if plan else plan_id or form.unit, used)
        sheets.append(_fill_sheet(wb, ws, form, rows, plan.title if plan else plan_id, snapshot.office.name,
                                  as_of, reply_by, lang))
    meta = wb.create_sheet(META_SHEET)
    return FormFile(wb, [*sheets, _meta_sheet(wb, meta, form, as_of, reply_by, database_id)])


def _fill_sheet(wb: Workbook, ws, form: Form, items: tuple[FormRow, ...], plan: str | None, office: str, as_of: date,
                reply_by: date, lang: str) -> SheetRows:
    ncols = len(COLUMNS)
    last = get_column_letter(ncols)
    rows = SheetRows(wb, ws)
    title = f"{form.unit}重点任务进展情况表{SHARED_TITLE_NOTE if form.role == 'shared' else ''}"
    line = "　　".join(part for part in (office, f"《{plan}》" if plan else "", f"截至日期：{long_date(as_of, 'zh')}",
                                       f"请于{long_date(reply_by, 'zh')}前报送") if part)
    rows.row(1, [(title, ST_TITLE)], height=30)
    rows.row(2, [(line, ST_LINE)])
    rows.row(3, [(INSTRUCTIONS, ST_LINE)], height=32)
    for r in (1, 2, 3):  # a range only (not openpyxl's merge_cells, which makes and restyles the covered cells)
        ws.merged_cells.add(f"A{r}:{last}{r}")
    widths = {}
    header = []
    for col, (label, english, width, _) in enumerate(COLUMNS, 1):
        header.append((t(lang, "forms.column_head", label=label, english=english), ST_HEADER))
        widths[col] = max(width, display_width(label) + 2)
    # an English header ("完成日期" over "Done on / measured on") wraps: give the row its lines, else it is cut
    header_lines = max(lines_needed(text, widths[col]) for col, (text, _) in enumerate(header, 1))
    rows.row(HEADER_ROW, header, height=LINE_HEIGHT * header_lines if header_lines > 1 else None)
    for n, row in enumerate(items):
        cells = _cells(row)
        lines = 1
        for col, (value, style) in enumerate(cells, 1):
            if isinstance(value, str) and style in (ST_WRAP, ST_EDIT_WRAP):
                lines = max(lines, lines_needed(value, widths[col]))
        # Excel does not fit a row to wrapped text it did not lay out itself: say how tall it is
        rows.row(HEADER_ROW + 1 + n, cells, height=LINE_HEIGHT * min(lines, MAX_LINES))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width + 2
    ws.freeze_panes = f"C{HEADER_ROW + 1}"  # the header and 类型/编号 stay put
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    # only the tinted cells can be edited; rows may still be inserted, deleted, sized and sorted
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False, insertRows=False,
                                    deleteRows=False, sort=False, autoFilter=False, selectLockedCells=False,
                                    selectUnlockedCells=False)
    return rows


def _cells(row: FormRow) -> list[tuple[object, str]]:
    s, task = row.status, row.status.task
    rag = s.rag.value
    reason = joined(s.reason_words("zh"), "zh")
    note = s.latest_note
    item, due, target, unit, value, value_on = "—", task.due, None, "", None, None
    editable_value = False
    if row.kind == KIND_MILESTONE:
        ms = next(m for m in s.milestones if f"{task.key}/{m.milestone.id}" == row.id)
        item, due, rag, reason = ms.milestone.title, ms.milestone.due, ms.rag.value, ms.reason.words("zh")
    elif row.kind == KIND_INDICATOR:
        ind = next(i for i in s.indicators if f"{task.key}/{i.indicator.id}" == row.id)
        i = ind.indicator
        item, due, rag, reason = i.name, i.due, ind.rag.value, ind.reason.words("zh")
        target, unit, value, value_on = i.target, i.unit, ind.value, ind.measured_on
        editable_value = True
    return [
        (KIND_WORD[row.kind], ST_TEXT),
        (row.id, ST_WRAP),
        (task.title, ST_WRAP),
        (item, ST_WRAP),
        (due, ST_DATE),
        (f"{shown(target)}{unit}" if target is not None else "—", ST_WRAP),
        (f"{shown(value)}{unit}（{value_on.isoformat()}）" if value is not None and value_on else "—", ST_WRAP),
        ({"red": "红", "amber": "黄", "green": "绿", "done": "完成"}.get(rag, rag), f"fm-{rag}" if rag in FILLS else ST_TEXT),
        (reason, ST_WRAP),
        (f"{note.on.isoformat()} {note.text}" if note else "—", ST_WRAP),
        (None, ST_EDIT_DATE),
        (None, ST_EDIT if editable_value else ST_TEXT),
        (None, ST_EDIT_WRAP),
        (None, ST_EDIT_WRAP),
        (None, ST_EDIT_WRAP),
    ]


def _meta_sheet(wb: Workbook, ws, form: Form, as_of: date, reply_by: date, database_id: str) -> SheetRows:
    """What collect checks, as plain key/value rows; very hidden (not offered by Excel's Unhide)."""
    pairs = [("format", FORMAT), ("version", str(VERSION)), ("database", database_id), ("unit", form.unit),
             ("role", form.role), ("as_of", as_of.isoformat()), ("reply_by", reply_by.isoformat()),
             ("rows", str(len(form.rows)))]
    rows = SheetRows(wb, ws)
    for r, (key, value) in enumerate(pairs, 1):
        rows.row(r, [(key, None), (value, None)])
    start = len(pairs) + 2
    for n, row in enumerate(form.rows):
        rows.row(start + n, [(row.kind, None), (row.id, None)])
    ws.sheet_state = "veryHidden"
    ws.protection = SheetProtection(sheet=True)
    return rows
