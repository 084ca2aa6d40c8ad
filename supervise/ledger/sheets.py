"""The ledger's sheets: the summary by unit (the ranking, a totals row, the colour trend, two
charts), one sheet per plan (a row per task), and the progress log.

The summary's figures are `ranking.rank_units` and `ranking.totals`: the same as `supervise
units` and the briefing's per-unit table.
"""

from __future__ import annotations

from datetime import date

from ..briefing import long_date
from ..formats import num
from ..i18n import joined, labelled, rag_word, t
from ..models import COUNTED, Snapshot, Task
from ..ranking import UnitRank, rank_units, totals
from ..reviews import trend
from ..status import TaskStatus
from ..views import TaskStatuses
from . import charts
from .cells import (
    DATE,
    HEADER,
    LINE_HEIGHT,
    NUMBER,
    PERCENT,
    TEXT,
    TITLE,
    TOTAL,
    TOTAL_PERCENT,
    WRAP,
    Sheet,
    Styles,
    lines_needed,
    rag_style,
)

# the labels a collected report form gives the parts of its note (supervise collect: "进展情况：…")
PROGRESS, PROBLEMS, NEXT_STEPS = "进展情况", "存在问题", "下步措施"
_LABELS = (PROGRESS, PROBLEMS, NEXT_STEPS)

# the plan sheet's columns: (catalogue key of the header, width in characters, style)
PLAN_COLUMNS = (
    ("ledger.col.seq", 5, NUMBER), ("col.id", 7, WRAP), ("col.title", 18, WRAP), ("col.lead", 10, WRAP),
    ("col.responsible", 11, WRAP), ("col.due", 11, DATE), ("col.rag", 6, "rag"), ("ledger.col.items", 22, WRAP),
    ("col.reason", 14, WRAP), ("ledger.col.progress", 17, WRAP), ("ledger.col.problems", 12, WRAP),
    ("ledger.col.next_steps", 12, WRAP), ("ledger.col.notices", 14, WRAP),
)
SUMMARY_WIDTHS = [6, 22, 9, 7, 7, 7, 7, 9, 11, 10, 9, 15]
HISTORY_COLUMNS = (("ledger.col.seq", 6, NUMBER), ("col.id", 14, WRAP), ("col.title", 26, WRAP), ("col.on", 11, DATE),
                   ("ledger.col.kind", 9, TEXT), ("ledger.col.content", 64, WRAP))
TITLE_SIZE_RATIO = 16 / 11  # the title's font against the body's: characters per line shrink by this


def title_row(sheet: Sheet, what: str, as_of: date, counts: dict[str, int], lang: str) -> None:
    text = t(lang, "ledger.title_row", what=what, on=long_date(as_of, lang), counts=t(lang, "summary.counts", **counts))
    widths = sheet.fixed or ()  # every ledger sheet has fixed widths
    ncols = len(widths)
    lines = lines_needed(text, sum(widths) / TITLE_SIZE_RATIO)
    sheet.title(text, ncols, height=lines * 22 + 8)


# --- the summary by unit ---------------------------------------------------------------------------


def summary_sheet(snapshot: Snapshot, live: TaskStatuses, lang: str, styles: Styles) -> Sheet:
    as_of, office = live.as_of, snapshot.office
    sheet = Sheet(styles, SUMMARY_WIDTHS)
    # its pages after the first (the trend, the ranking chart) have headings of their own: the ranking's
    # header repeated over them would label columns they do not have
    sheet.title_rows = None
    colours = [r.value for r in COUNTED]
    headers = [t(lang, "units.col.rank"), t(lang, "col.unit"), t(lang, "units.col.led")]
    headers += [rag_word(lang, r) for r in colours]
    headers += [t(lang, "units.col.red_rate"), t(lang, "units.col.on_time_rate"), t(lang, "units.col.on_time"),
                t(lang, "units.col.previous_rank"), t(lang, "col.only_responsible")]
    ncols = len(headers)
    name = " ".join(office.name.split())
    what = f"{name} {t(lang, 'ledger.summary_title')}" if name else t(lang, "ledger.summary_title")
    title_row(sheet, what, as_of, live.counts(), lang)
    sheet.header(headers, {4 + i: rag_style(r) + "-header" for i, r in enumerate(colours)})
    ranked = rank_units(live, as_of, office)
    responsible = {u.unit: u.responsible_total for u in live.by_unit()}
    row = 2
    for u in ranked:
        row += 1
        _unit_row(sheet, row, u, responsible.get(u.unit, 0))
    units_end = row
    row += 1
    _totals_row(sheet, row, totals(live, as_of, office), lang)
    row += 2
    sheet.text(row, 1, t(lang, "units.basis"), WRAP)
    sheet.merged.append(f"A{row}:L{row}")
    sheet.heights[row] = lines_needed(t(lang, "units.basis"), sum(SUMMARY_WIDTHS)) * LINE_HEIGHT + 4
    row += 2
    sheet.breaks.append(row - 1)  # the trend and its chart begin a page
    trend_at = row
    replayed = trend(live, office)
    days, counts = replayed.days, replayed.counts
    sheet.text(row, 2, t(lang, "ledger.trend_title"), HEADER)
    for i, r in enumerate(colours):
        sheet.text(row, 3 + i, rag_word(lang, r), rag_style(r) + "-header")
    sheet.text(row, 7, t(lang, "col.total"), HEADER)
    for d in days:
        row += 1
        sheet.text(row, 2, d.isoformat(), TEXT)
        for i, r in enumerate(colours):
            sheet.number(row, 3 + i, counts[d][r])
        sheet.number(row, 7, sum(counts[d].values()))
    sheet.finish(ncols, len(ranked))
    charts.add_trend_chart(sheet, trend_at, row, f"B{row + 2}", lang)
    if ranked:  # on a page of its own: it grows with the number of units
        at = row + 2 + charts.TREND_ROWS
        sheet.breaks.append(at - 1)
        charts.add_ranking_chart(sheet, 3, units_end, f"B{at}", lang)
    return sheet


def _unit_row(sheet: Sheet, row: int, u: UnitRank, responsible: int) -> None:
    sheet.number(row, 1, u.rank)
    sheet.text(row, 2, u.unit, WRAP)
    for col, n in enumerate((u.led, u.red, u.amber, u.green, u.done), 3):
        sheet.number(row, col, n, rag_style("red") if col == 4 and n else NUMBER)
    sheet.number(row, 8, u.red_rate, PERCENT)
    if u.on_time_rate is None:
        sheet.text(row, 9, "—", NUMBER)
    else:
        sheet.number(row, 9, u.on_time_rate, PERCENT)
    sheet.text(row, 10, f"{u.on_time}/{u.fell_due}", NUMBER)
    if u.previous_rank is None:
        sheet.text(row, 11, "—", NUMBER)
    else:
        sheet.number(row, 11, u.previous_rank)
    sheet.number(row, 12, responsible)


def _totals_row(sheet: Sheet, row: int, total: UnitRank, lang: str) -> None:
    """Every live task once (a task two units lead is counted once, so the column is not the sum of the rows)."""
    sheet.text(row, 1, "", TOTAL)
    sheet.text(row, 2, t(lang, "ledger.total"), TOTAL)
    for col, n in enumerate((total.led, total.red, total.amber, total.green, total.done), 3):
        sheet.number(row, col, n, TOTAL)
    sheet.number(row, 8, total.red_rate, TOTAL_PERCENT)
    if total.on_time_rate is None:
        sheet.text(row, 9, "—", TOTAL)
    else:
        sheet.number(row, 9, total.on_time_rate, TOTAL_PERCENT)
    sheet.text(row, 10, f"{total.on_time}/{total.fell_due}", TOTAL)
    sheet.text(row, 11, "", TOTAL)
    sheet.text(row, 12, "", TOTAL)


# --- one sheet per plan ------------------------------------------------------------------------------


def plan_sheet(title: str, doc_number: str, rows: TaskStatuses, lang: str, styles: Styles, progress=None) -> Sheet:
    """`progress(n)`, if given, is told every 250 tasks how many rows are built."""
    sheet = Sheet(styles, [w for _, w, _ in PLAN_COLUMNS])
    headers = [t(lang, key) for key, _, _ in PLAN_COLUMNS]
    ncols = len(headers)
    what = t(lang, "ledger.plan_title", title=title, doc=doc_number) if doc_number else title
    title_row(sheet, what, rows.as_of, rows.counts(), lang)
    sheet.header(headers)
    row, section = 2, None
    for n, s in enumerate(rows, 1):
        task = s.task
        if task.section and task.section != section:
            row += 1
            sheet.band(row, task.section, ncols)
        section = task.section
        row += 1
        latest, problems, next_steps = progress_parts(s, lang)
        items = [_milestone_line(m, lang) for m in s.milestones] + [_indicator_line(i, lang) for i in s.indicators]
        sheet.number(row, 1, n)
        for col, value in ((2, task.id), (3, task.title), (4, "、".join(task.lead)), (5, "、".join(task.responsible)),
                           (8, "\n".join(items)), (9, joined(s.reason_words(lang), lang)), (10, latest),
                           (11, problems), (12, next_steps), (13, notices_cell(s, lang))):
            sheet.text(row, col, value, WRAP)
        sheet.date(row, 6, task.due)
        word = rag_word(lang, s.rag.value)
        sheet.text(row, 7, f"{word}\n{t(lang, 'ledger.flag_stale')}" if s.stale else word, rag_style(s.rag.value))
        if progress is not None and n % 250 == 0:
            progress(n)
    sheet.finish(ncols, row - 2)
    return sheet


def notices_cell(s: TaskStatus, lang: str) -> str:
    """督办情况: each notice naming the task by the status's date, with its answer or how late it is."""
    lines = []
    for r in s.reminders:
        state = (t(lang, "ui.notice.answered", on=r.answered_on.isoformat()) if r.answered_on is not None
                 else t(lang, "ui.notice.overdue_days", days=r.overdue_days) if r.overdue_days
                 else t(lang, "ui.notice.awaiting"))
        lines.append(t(lang, "ui.notice.line", number=r.reminder.number, issued=r.reminder.issued_on.isoformat(),
                       reply_by=r.reminder.reply_by.isoformat()) + " " + state)
    return "\n".join(lines)


def note_parts(text: str) -> dict[str, str] | None:
    """The labelled parts of a note a collected report form made ("进展情况：…\\n存在问题：…"), or
    None for a note that is not labelled (its first line does not start with a label)."""
    parts: dict[str, list[str]] = {}
    current = None
    for line in text.split("\n"):
        label = next((x for x in _LABELS if line.startswith((x + "：", x + ":"))), None)
        if label is not None:
            current = parts.setdefault(label, [])
            current.append(line[len(label) + 1:].strip())
        elif current is None:
            return None
        else:
            current.append(line)
    return {label: "\n".join(lines).strip() for label, lines in parts.items()}


def progress_parts(s: TaskStatus, lang: str) -> tuple[str, str, str]:
    """(进展情况, 存在问题, 下步措施) as of the status's date: progress from the latest note (its
    进展情况 part if it is labelled), dated; problems and next steps from the latest note that has
    them (a collected form); "" where there is none."""
    notes = [n for n in s.task.notes if n.on <= s.as_of]
    progress = problems = next_steps = ""
    if notes:
        latest = notes[-1]
        parts = note_parts(latest.text)
        text = latest.text if parts is None else parts.get(PROGRESS, "")
        progress = labelled(latest.on.isoformat(), text, lang) if text else ""
    for n in reversed(notes):
        if PROBLEMS in n.text or NEXT_STEPS in n.text:  # cheap test first: most notes are not forms
            parts = note_parts(n.text)
            if parts and (PROBLEMS in parts or NEXT_STEPS in parts):
                problems, next_steps = parts.get(PROBLEMS, ""), parts.get(NEXT_STEPS, "")
                break
    return progress, problems, next_steps


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


# --- the progress log --------------------------------------------------------------------------------


def history_sheet(snapshot: Snapshot, live: TaskStatuses, lang: str, styles: Styles) -> Sheet:
    """Every note, value and tick on or before as_of, task by task (plan order), newest first."""
    as_of = live.as_of
    sheet = Sheet(styles, [w for _, w, _ in HISTORY_COLUMNS])
    headers = [t(lang, key) for key, _, _ in HISTORY_COLUMNS]
    name = " ".join(snapshot.office.name.split())
    what = f"{name} {t(lang, 'ledger.history_title')}" if name else t(lang, "ledger.history_title")
    title_row(sheet, what, as_of, live.counts(), lang)
    sheet.header(headers)
    row = 2
    kinds = {k: t(lang, f"ledger.kind.{k}") for k in ("note", "value", "milestone", "task")}
    for s in live:
        task = s.task
        entries = history(task, as_of, lang)
        for on, kind, text in entries:
            row += 1
            sheet.number(row, 1, row - 2)
            sheet.text(row, 2, task.key, WRAP)
            sheet.text(row, 3, task.title, WRAP)
            sheet.date(row, 4, on)
            sheet.text(row, 5, kinds[kind], TEXT)
            sheet.text(row, 6, text, WRAP)
    sheet.finish(len(headers), row - 2)
    return sheet


_ORDER = {"task": 0, "milestone": 1, "value": 2, "note": 3}  # on one day: the tick first, the note last


def history(task: Task, as_of: date, lang: str) -> list[tuple[date, str, str]]:
    """(date, kind, text) for one task, newest first."""
    out: list[tuple[date, str, str]] = [(n.on, "note", n.text) for n in task.notes if n.on <= as_of]
    for ind in task.live_indicators:
        out += [(m.on, "value", t(lang, "ledger.value_line", name=ind.name, value=num(m.value), unit=ind.unit))
                for m in ind.values if m.on <= as_of]
    out += [(m.done_on, "milestone", m.title) for m in task.live_milestones if m.done_on and m.done_on <= as_of]
    if task.done_on is not None and task.done_on <= as_of:
        out.append((task.done_on, "task", ""))
    out.sort(key=lambda e: (e[0], -_ORDER[e[1]]), reverse=True)
    return out


__all__ = ["PLAN_COLUMNS", "TITLE", "history_sheet", "note_parts", "plan_sheet", "summary_sheet"]
