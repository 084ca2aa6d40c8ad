"""Reading a filled-in report form back: pure parsing and checking, into a frozen plan of entries.

spec/office.md, "Report forms". `read_form` takes the file, the snapshot it is checked against,
the database's identity and today (from the caller: no clock here) and returns a `FormPlan`
(what would be recorded) and the problems, each naming FILE:SHEET!CELL. The store records a
plan as one undoable action (db/collect_action.py); nothing is written here.

Choices where the spec is silent (deliberate, and said in the messages):

* 完成日期 may hold an Excel date, any date form of plans-format.md (2021.9.30, 9月30日 …; a
  month and day without a year take the year of the form's as-of date), or a word meaning
  "done" (是, 已完成, 完成, √ …): that is read as done on the form's as-of date, the date the
  department reported as of. 否 / 未完成 / 无 mean nothing is ticked. A plain number (44469) is
  refused: a serial number typed as text is a guess.
* 本期数值 may be a number or text with thousands separators and the indicator's own unit
  (`5,200`, `5200人`); another unit is refused, not converted (supervise.numbers).
* Rows without 编号 are skipped when empty or a total (合计/小计/总计); with entries, refused.
* 进展情况 alone becomes the note as typed; with 存在问题 or 下步措施, every filled part is a
  labelled line (进展情况：…). Text is taken literally: a formula (=SUM(1)) is a note's text.
* One row's note is one note on its task; the same text on several rows of one task (copied
  down) is recorded once.
* Colours in the preview are the task's as of today, before and after the form.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from openpyxl.utils import get_column_letter

from .dates import DateError, not_yet, parse_date
from .formats import shown
from .forms import (
    EDITABLE,
    FORMAT,
    H_DONE,
    H_ID,
    H_PROGRESS,
    H_VALUE,
    KIND_INDICATOR,
    KIND_MILESTONE,
    KIND_TASK,
    META_SHEET,
    NOTE_PARTS,
)
from .files import NotRegular, TooBig
from .i18n import Msg, os_reason, rag_word, t
from .models import Measurement, Note, Snapshot, Task
from .numbers import NumberError, parse_number
from .xlsx import FORM_LIMIT, CompoundFile, Workbook
from .status import task_status

DONE_WORDS = {"是", "已完成", "完成", "已办结", "办结", "已完成。", "√", "✓", "✔", "yes", "y", "done"}
NOTHING_WORDS = {"无", "/", "-", "—", "——", "－"}  # what a department types in a cell to say "nothing"
NOT_DONE_WORDS = NOTHING_WORDS | {"否", "未完成", "未", "no", "n"}
TOTAL_WORDS = ("合计", "小计", "总计")
HEADER_SCAN = 20  # the header row is looked for in the first rows of a sheet


@dataclass(frozen=True)
class Problem:
    """One refusal: where, and a catalogue key with its parameters (an i18n.Msg among them is said in
    the same language: a date or number error inside the line)."""

    file: str
    where: str  # "SHEET!CELL", or "" for the file as a whole
    key: str
    params: tuple[tuple[str, object], ...] = ()

    def line(self, lang: str) -> str:
        place = f"{self.file}:{self.where}" if self.where else self.file
        return f"{place}: {t(lang, self.key, **dict(self.params))}"


@dataclass(frozen=True)
class Entry:
    """One thing a form records: a tick, a value, or a note."""

    kind: str  # "tick" | "record" | "note"
    task: str  # the task's key
    target: str  # the task (tick of a task, note) or the milestone / indicator id
    on: date
    where: str  # SHEET!ROW, for the preview
    item: str  # the item's title, for the preview
    row: str  # the row's 编号, for the preview
    value: float | None = None
    text: str = ""
    already: bool = False  # recorded identically before: collecting records nothing for it


@dataclass(frozen=True)
class FormPlan:
    path: str
    unit: str
    as_of: date
    entries: tuple[Entry, ...]

    @property
    def new(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.already)


def _p(file: str, sheet: str, cell: str, key: str, **params) -> Problem:
    return Problem(file, f"{sheet}!{cell}" if sheet else "", key, tuple(params.items()))


def _label(value: object) -> str:
    if not isinstance(value, str):
        return ""
    first = value.strip().split("\n", 1)[0]
    return unicodedata.normalize("NFKC", first).replace(" ", "").strip("*＊")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return shown(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()  # a Windows line break is a line break


def read_form(path: str | Path, snapshot: Snapshot, database_id: str, today: date) -> tuple[FormPlan | None, list[Problem]]:
    """The entries of one filled-in form, or the problems that refuse it."""
    name = str(path)
    try:
        wb = Workbook(path)
    except FileNotFoundError:
        return None, [_p(name, "", "", "forms.err.no_file")]
    except NotRegular:  # a FIFO or device: refused at once, never waited on
        return None, [_p(name, "", "", "forms.err.not_regular")]
    except TooBig:
        return None, [_p(name, "", "", "forms.err.too_big", limit=f"{FORM_LIMIT // (1024 * 1024)} MB")]
    except OSError as err:  # a permission, a folder: the system's reason, in Chinese too
        return None, [_p(name, "", "", "forms.err.unreadable", reason=os_reason(err))]
    except CompoundFile:  # saved as .xls, or with a password: what to ask the department for
        return None, [_p(name, "", "", "forms.err.compound_file")]
    except ValueError as err:  # zip, XML, or a file that is not a workbook at all
        return None, [_p(name, "", "", "forms.err.not_workbook", detail=str(err))]
    try:
        return _read(wb, name, snapshot, database_id, today)
    except ValueError as err:  # a sheet's XML broken half-way
        return None, [_p(name, "", "", "forms.err.not_workbook", detail=str(err))]
    finally:
        wb.close()


_index: tuple[Snapshot, dict[str, Task]] | None = None


def _tasks(snapshot: Snapshot) -> dict[str, Task]:
    """The snapshot's tasks by key, made once for all the files of one collect (the last snapshot's
    index is kept: a collect of 60 forms of a 10,000-task office made it 120 times)."""
    global _index
    if _index is None or _index[0] is not snapshot:
        _index = (snapshot, {task.key: task for task in snapshot.tasks})
    return _index[1]


def _meta(wb: Workbook, file: str) -> tuple[dict[str, str], list[tuple[str, str]]] | Problem:
    names = [name for name, _, _ in wb.sheets]
    if META_SHEET not in names:
        return _p(file, names[0] if names else "Sheet1", "A1", "forms.err.not_form")
    meta: dict[str, str] = {}
    items: list[tuple[str, str]] = []
    previous = 0
    for r, values in wb.rows(META_SHEET):
        key, value = ("" if values.get(i) is None else str(values.get(i)) for i in (0, 1))
        if r > previous + 1 and previous:  # the blank row between the pairs and the rows issued
            items.append((key, value))
        elif items:
            items.append((key, value))
        else:
            meta[key] = value
        previous = r
    if meta.get("format") != FORMAT or not meta.get("unit") or not meta.get("as_of"):
        return _p(file, META_SHEET, "A1", "forms.err.not_form")
    return meta, items


def _read(wb: Workbook, file: str, snapshot: Snapshot, database_id: str, today: date) -> tuple[FormPlan | None, list[Problem]]:
    got = _meta(wb, file)
    if isinstance(got, Problem):
        return None, [got]
    meta, issued_list = got
    if meta.get("database") != database_id:
        return None, [_p(file, META_SHEET, "B3", "forms.err.other_database")]
    try:
        as_of = date.fromisoformat(meta["as_of"])
    except ValueError:
        return None, [_p(file, META_SHEET, "B6", "forms.err.not_form")]
    if not_yet(as_of, today) is not None:  # its notes and values would be dated after today
        return None, [_p(file, META_SHEET, "B6", "forms.err.as_of_future", on=as_of.isoformat(), today=today.isoformat())]
    unit, role = meta["unit"], meta.get("role", "lead")
    issued = dict((ident, kind) for kind, ident in issued_list)
    tasks = _tasks(snapshot)
    problems: list[Problem] = []
    entries: list[Entry] = []
    seen: dict[str, tuple[str, str]] = {}  # 编号 -> (sheet, cell) where it was first filled in
    sheets = 0
    for title, _, _ in wb.sheets:
        if title == META_SHEET:
            continue
        rows = wb.rows(title)
        header = _header(rows)
        if header is None:
            continue
        sheets += 1
        cols, twice = header
        for label, cell in twice:
            problems.append(_p(file, title, cell, "forms.err.header_twice", label=label))
        for r, values in rows:  # the rows after the header: the same iterator, read on
            _row(r, values, cols, title, file, unit, role, as_of, today, issued, tasks, seen, entries, problems)
    if not sheets:
        problems.append(_p(file, wb.sheets[0][0] if wb.sheets else "Sheet1", "A1", "forms.err.no_header"))
    if problems:
        return None, problems
    entries = _mark_already(entries, tasks)
    return FormPlan(file, unit, as_of, tuple(entries)), []


class _Cell:
    """A cell's value and where it is."""

    __slots__ = ("value", "coordinate", "row")

    def __init__(self, value, coordinate: str, row: int):
        self.value, self.coordinate, self.row = value, coordinate, row


def _header(rows):
    """Read `rows` up to the header row: ({label: column index}, [(label, cell) twice]), or None."""
    for r, values in rows:
        if r > HEADER_SCAN:
            return None
        labels = {}
        twice = []
        for i, value in sorted(values.items()):
            label = _label(value)
            if label in (H_ID, *EDITABLE):
                if label in labels:
                    twice.append((label, f"{get_column_letter(i + 1)}{r}"))
                labels[label] = i
        if H_ID in labels and any(h in labels for h in EDITABLE):
            return labels, twice
    return None


def _row(r, values, cols, sheet, file, unit, role, as_of, today, issued, tasks, seen, entries, problems) -> None:
    def cell(label):
        i = cols.get(label)
        if i is None:
            return None
        return _Cell(values.get(i), f"{get_column_letter(i + 1)}{r}", r)

    def value(label):
        i = cols.get(label)
        return None if i is None else values.get(i)

    id_cell = cell(H_ID)
    ident = "" if _blank(value(H_ID)) else _text(value(H_ID))
    filled = [label for label in EDITABLE if not _blank(value(label))]
    if not ident:
        if filled and not any(isinstance(v, str) and v.strip() in TOTAL_WORDS for v in values.values()):
            problems.append(_p(file, sheet, id_cell.coordinate, "forms.err.no_id"))
        return
    if ident in TOTAL_WORDS:
        return
    kind = issued.get(ident)
    if kind is None:
        problems.append(_p(file, sheet, id_cell.coordinate, "forms.err.unknown_id", id=ident))
        return
    if not filled:
        return
    if ident in seen:
        first_sheet, first_cell = seen[ident]  # on another of the form's sheets (a sheet per plan): named
        first = first_cell if first_sheet == sheet else f"{first_sheet}!{first_cell}"
        problems.append(_p(file, sheet, id_cell.coordinate, "forms.err.id_twice", id=ident, first=first))
        return
    seen[ident] = (sheet, id_cell.coordinate)
    task_key = ident if kind == KIND_TASK else ident.rsplit("/", 1)[0]
    task = tasks.get(task_key)
    item_title, indicator = _item(task, kind, ident)
    if task is None or task.withdrawn or item_title is None:
        problems.append(_p(file, sheet, id_cell.coordinate, "forms.err.withdrawn", id=ident))
        return
    if unit not in task.lead and not (role == "shared" and unit in task.responsible):
        problems.append(_p(file, sheet, id_cell.coordinate, "forms.err.not_led", id=ident, unit=unit))
        return
    where = f"{sheet}!{id_cell.row}"
    before = len(problems)
    on = _done_date(cell(H_DONE), sheet, file, as_of, today, problems)
    number = None
    value_cell = cell(H_VALUE)
    if value_cell is not None and not _blank(value_cell.value) and _text(value_cell.value).strip() not in NOTHING_WORDS:
        if kind != KIND_INDICATOR:
            problems.append(_p(file, sheet, value_cell.coordinate, "forms.err.value_not_indicator"))
        else:
            number = _number(value_cell, indicator.unit, sheet, file, problems)
    if kind == KIND_INDICATOR and on is not None and number is None and len(problems) == before:
        problems.append(_p(file, sheet, cell(H_DONE).coordinate, "forms.err.date_without_value"))
    if len(problems) > before:
        return
    if on is not None and kind != KIND_INDICATOR:
        entries.append(Entry("tick", task_key, ident, on, where, item_title, ident))
    if number is not None:
        entries.append(Entry("record", task_key, ident, on or as_of, where, item_title, ident, value=number))
    parts = [(label, _text(value(label))) for label in NOTE_PARTS if not _blank(value(label))]
    if parts:
        if len(parts) == 1 and parts[0][0] == H_PROGRESS:
            text = parts[0][1]
        else:
            text = "\n".join(f"{label}：{text}" for label, text in parts)
        entries.append(Entry("note", task_key, task_key, as_of, where, item_title, ident, text=text))


def _item(task: Task | None, kind: str, ident: str):
    """(title, indicator or None) of a live item, or (None, None)."""
    if task is None:
        return None, None
    if kind == KIND_TASK:
        return task.title, None
    item_id = ident.rsplit("/", 1)[1]
    if kind == KIND_MILESTONE:
        m = next((m for m in task.milestones if m.id == item_id and not m.withdrawn), None)
        return (m.title, None) if m else (None, None)
    i = next((i for i in task.indicators if i.id == item_id and not i.withdrawn), None)
    return (i.name, i) if i else (None, None)


def _done_date(c, sheet, file, as_of, today, problems) -> date | None:
    if c is None or _blank(c.value):
        return None
    v = c.value
    if isinstance(v, (datetime, date)):
        on = v.date() if isinstance(v, datetime) else v
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        problems.append(_p(file, sheet, c.coordinate, "forms.err.date_number", value=_text(v)))
        return None
    else:
        text = unicodedata.normalize("NFKC", str(v)).strip()
        if text.lower() in DONE_WORDS:
            on = as_of
        elif text.lower() in NOT_DONE_WORDS:
            return None
        else:
            try:
                on = parse_date(text, year=as_of.year)
            except DateError as err:
                problems.append(_p(file, sheet, c.coordinate, "forms.err.date", detail=err.message))
                return None
    future = not_yet(on, today)
    if future is not None:
        problems.append(_p(file, sheet, c.coordinate, "forms.err.value", detail=future))
        return None
    return on


def _number(c, unit: str, sheet, file, problems) -> float | None:
    v = c.value
    if isinstance(v, bool) or isinstance(v, (datetime, date)):
        problems.append(_p(file, sheet, c.coordinate, "forms.err.value",
                           detail=Msg("number.not_a_number_value", value=_text(v))))
        return None
    if isinstance(v, (int, float)):
        try:
            return parse_number(repr(float(v)))
        except NumberError as err:
            problems.append(_p(file, sheet, c.coordinate, "forms.err.value", detail=err.message))
            return None
    try:
        return parse_number(str(v), unit=unit)
    except NumberError as err:
        problems.append(_p(file, sheet, c.coordinate, "forms.err.value", detail=err.message))
        return None


def _mark_already(entries: list[Entry], tasks: dict[str, Task]) -> list[Entry]:
    """Entries the database already holds identically (a form collected twice), and repeats within
    the form (one note copied down a task's rows), are marked: collecting records nothing for them."""
    out: list[Entry] = []
    seen: set[tuple] = set()
    for e in entries:
        task = tasks[e.task]
        key = (e.kind, e.target, e.on, e.value, e.text)
        already = key in seen or _recorded(e, task)
        seen.add(key)
        out.append(replace(e, already=already) if already else e)
    return out


def _recorded(e: Entry, task: Task) -> bool:
    if e.kind == "tick":
        if e.target == task.key:
            return task.done_on == e.on
        return any(f"{task.key}/{m.id}" == e.target and m.done_on == e.on for m in task.milestones)
    if e.kind == "record":
        return any(f"{task.key}/{i.id}" == e.target and any(v.on == e.on and v.value == e.value for v in i.values)
                   for i in task.indicators)
    return any(n.on == e.on and n.text == e.text for n in task.notes)


# --- the preview ------------------------------------------------------------------------------


def applied(task: Task, entries) -> Task:
    """The task as it would be with these entries recorded (for the preview's colours)."""
    key = task.key
    for e in entries:
        if e.task != key or e.already:
            continue
        if e.kind == "tick" and e.target == task.key:
            task = replace(task, done_on=e.on)
        elif e.kind == "tick":
            task = replace(task, milestones=tuple(replace(m, done_on=e.on) if f"{task.key}/{m.id}" == e.target else m
                                                  for m in task.milestones))
        elif e.kind == "record":
            task = replace(task, indicators=tuple(
                replace(i, values=tuple(sorted([v for v in i.values if v.on != e.on] + [Measurement(e.on, e.value)],
                                               key=lambda v: v.on)))
                if f"{task.key}/{i.id}" == e.target else i for i in task.indicators))
        else:
            task = replace(task, notes=task.notes + (Note(0, e.on, e.text),))
    return task


def preview(plan: FormPlan, snapshot: Snapshot, today: date, lang: str) -> list[tuple[str, str, str, str]]:
    """(编号, item, what will be recorded, old → new colour) per entry, in the interface language."""
    tasks = _tasks(snapshot)
    by_task: dict[str, list[Entry]] = {}
    for e in plan.entries:
        by_task.setdefault(e.task, []).append(e)
    colours: dict[str, tuple[str, str]] = {}
    for key, entries in by_task.items():
        task = tasks[key]
        old = task_status(task, today, snapshot.office).rag.value
        new = task_status(applied(task, entries), today, snapshot.office).rag.value
        colours[key] = (old, new)
    rows = []
    for e in plan.entries:
        if e.kind == "tick":
            what = t(lang, "forms.what.tick", on=e.on.isoformat())
        elif e.kind == "record":
            what = t(lang, "forms.what.record", value=shown(e.value), on=e.on.isoformat())
        else:
            what = t(lang, "forms.what.note", text=e.text.replace("\n", " ")[:80])
        if e.already:
            what = t(lang, "forms.what.already", what=what)
        old, new = colours[e.task]
        colour = rag_word(lang, old) if old == new else f"{rag_word(lang, old)} → {rag_word(lang, new)}"
        rows.append((e.row, e.item, what, colour))
    return rows
