"""Machine and document formats of the status list: JSON (the spec's keys), CSV, Markdown.

Pure: takes TaskStatuses, returns text. The Rich table lives in the CLI shell.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Iterator
from datetime import date
from json.encoder import (
    encode_basestring as _quote,  # a JSON string literal, non-ASCII kept; C
)

from . import markdown
from .i18n import joined, rag_word, t
from .models import Rag
from .numbers import is_plain_number
from .status import TaskStatus
from .text import visible
from .views import TaskStatuses


def num(x: float | None):
    """20000.0 → 20000 in JSON; other floats rounded for people, not for maths. None (JSON null)
    for what is not a finite number: JSON has no Infinity or NaN, and a reader would reject them."""
    if x is None or not math.isfinite(x):
        return None
    x = round(float(x), 2)
    return int(x) if x.is_integer() else x


def grouped(x: float | None) -> str:
    """A number for a document, thousands grouped as `num` rounds it: 20000 → "20,000", 3500.5 → "3,500.5"."""
    n = num(x)
    return "—" if n is None else f"{n:,}"


# signs written against their number in both languages (85%, not 85 %); a word unit (人, 个, km) takes a space
_SIGN_UNITS = frozenset({"%", "％", "‰", "‱"})


def with_unit(number: str, unit: str) -> str:
    """A number as text with its indicator's unit, as a document says it: "20,000 人", "100%"."""
    if not unit:
        return number
    return f"{number}{unit}" if unit.strip() in _SIGN_UNITS else f"{number} {unit}"


def shown(x: float) -> str:
    """A number for people: as `num` gives it, but a huge one (a slip of the keyboard: 1e308)
    as 1e+308, not three hundred digits."""
    n = num(x)
    return str(n) if n is None or abs(n) < 1e15 else f"{float(n):.6g}"


def _float(x: float) -> float | None:
    """Always a JSON float (13.0, not 13), as the spec's example shows for `expected` and `lag`;
    None where the arithmetic overflowed (a value of 1e308 against a small target)."""
    return float(round(float(x), 2)) if math.isfinite(x) else None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def task_dict(s: TaskStatus, lang: str) -> dict:
    """A task's entry in `status --format json` as a dict (`show --format json`, the CSV's cells):
    its line (task_lines) read back, so the two can never differ."""
    return json.loads(next(task_lines((s,), lang)))


def status_json_chunks(statuses: TaskStatuses, lang: str) -> Iterator[str]:
    """The document a task per line, piece by piece: a 50,000-task office never sits in memory as one string."""
    head = json.dumps({"as_of": statuses.as_of.isoformat(), "summary": statuses.counts()}, ensure_ascii=False)
    yield head[:-1] + ', "tasks": ['
    sep = "\n"
    for line in task_lines(statuses, lang):
        yield sep + line
        sep = ",\n"
    yield "\n]}" if sep == ",\n" else "]}"


_RAG_JSON = {r: f'"{r.value}"' for r in Rag}


def task_lines(statuses: Iterable[TaskStatus], lang: str) -> Iterator[str]:
    """Each task's entry in `status --format json`, one line each: the one place its keys, their
    order and their values are written. Built from string pieces (user text through json's own C
    escaper), in json.dumps(..., ensure_ascii=False)'s own form: twice as fast as building dicts
    for json's encoder, which was two thirds of a 10,000-task `status --format json`."""
    quoted: dict[str, str] = {}  # unit names, plans, sections, item names repeat across a big office
    dates: dict[date | None, str] = {None: "null"}
    rag_json = _RAG_JSON

    def q(text: str) -> str:
        out = quoted.get(text)
        if out is None:
            out = quoted[text] = _quote(text)
        return out

    def iso(d: date | None) -> str:
        out = dates.get(d)
        if out is None:
            assert d is not None  # None is in `dates` from the start
            out = dates[d] = f'"{d.isoformat()}"'
        return out

    qg, dg = quoted.get, dates.get  # the C lookup first; q() and iso() only on a miss
    for s in statuses:
        task, as_of = s.task, s.as_of
        milestones = ", ".join([
            f'{{"id": {qg(m.id) or q(m.id)}, "title": {_quote(m.title)}, "due": {dg(m.due) or iso(m.due)}, '
            f'"done_on": {iso(m.done_on) if m.done_on is not None and m.done_on <= as_of else "null"}, '
            f'"rag": {rag_json[ms.rag]}}}'
            for ms in s.milestones for m in (ms.milestone,)]) if s.milestones else ""
        indicators = ", ".join([
            f'{{"id": {qg(i.id) or q(i.id)}, "name": {_quote(i.name)}, "unit": {qg(i.unit) or q(i.unit)}, '
            f'"baseline": {_num_json(i.baseline)}, "target": {_num_json(i.target)}, "direction": {qg(i.direction) or q(i.direction)}, '
            f'"due": {dg(i.due) or iso(i.due)}, "value": {_num_json(st.value)}, "measured_on": {iso(st.measured_on)}, '
            f'"expected": {_float_json(st.expected)}, "lag": {_float_json(st.lag)}, "rag": {rag_json[st.rag]}}}'
            for st in s.indicators for i in (st.indicator,)]) if s.indicators else ""
        o = s.override
        override = ("null" if o is None else
                    f'{{"rag": {rag_json[o.rag]}, "reason": {_quote(o.reason)}, "from": {iso(o.start)}, "until": {iso(o.until)}}}')
        latest = s.latest_note if task.notes else None
        reminders = ", ".join([
            f'{{"number": {_quote(r.reminder.number)}, "issued_on": {iso(r.reminder.issued_on)}, '
            f'"reply_by": {iso(r.reminder.reply_by)}, "answered_on": {iso(r.answered_on)}, "level": {r.reminder.level}}}'
            for r in s.reminders]) if s.reminders else ""
        yield (f'{{"id": {_quote(task.key)}, "plan": {qg(task.plan) or q(task.plan)}, '
               f'"section": {qg(task.section) or q(task.section)}, "title": {_quote(task.title)}, '
               f'"lead": [{", ".join([qg(u) or q(u) for u in task.lead])}], '
               f'"responsible": [{", ".join([qg(u) or q(u) for u in task.responsible])}], '
               f'"due": {dg(task.due) or iso(task.due)}, "rag": {rag_json[Rag.WITHDRAWN if task.withdrawn else s.rag]}, '
               f'"reasons": [{", ".join([qg(r) or q(r) for r in s.reason_words(lang)])}], '
               f'"overridden": {"false" if o is None else "true"}, "stale": {"true" if s.stale else "false"}, '
               f'"next_due": {dg(s.next_due) or iso(s.next_due)}, "milestones": [{milestones}], '
               f'"indicators": [{indicators}], "override": {override}, '
               f'"last_progress": {dg(s.last_progress) or iso(s.last_progress)}, '
               f'"latest_note": {"null" if latest is None else _quote(latest.text)}, '
               f'"withdrawn": {"true" if task.withdrawn else "false"}, "reminders": [{reminders}]}}')


def _num_json(x: float | None) -> str:
    x = num(x)
    return "null" if x is None else repr(x)


def _float_json(x: float) -> str:
    y = _float(x)
    return "null" if y is None else repr(y)


def status_json(statuses: TaskStatuses, lang: str) -> str:
    return "".join(status_json_chunks(statuses, lang))


CSV_COLUMNS = ["id", "plan", "section", "title", "lead", "responsible", "rag", "reasons", "next_due", "due",
               "overridden", "stale", "latest_note"]


def status_csv_chunks(statuses: TaskStatuses, lang: str) -> Iterator[str]:
    """UTF-8 with a BOM so spreadsheet programs read the Chinese; formula-like cells kept as text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + buf.getvalue()
    for s in statuses:
        buf.seek(0)
        buf.truncate()
        d = task_dict(s, lang)
        row = [d["id"], d["plan"], d["section"], d["title"], "、".join(d["lead"]), "、".join(d["responsible"]),
               d["rag"], "、".join(d["reasons"]), d["next_due"] or "", d["due"] or "",
               "yes" if d["overridden"] else "", "yes" if d["stale"] else "", d["latest_note"] or ""]
        writer.writerow([_csv_safe(v) for v in row])
        yield buf.getvalue()


def status_csv(statuses: TaskStatuses, lang: str) -> str:
    return "".join(status_csv_chunks(statuses, lang))


def _csv_safe(value: str) -> str:
    """A leading = + - @ would run as a formula in a spreadsheet, and so may one after a leading
    tab (OWASP's CSV-injection list): prefix an apostrophe; control characters (an ESC that would
    clear the terminal the file is printed on; a carriage return) shown as U+XXXX."""
    text = visible(str(value).replace("\r\n", "\n"), keep="\t\n", notation="U+")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") and not is_plain_number(text) else text



def flags(s: TaskStatus) -> str:
    """The marks beside a task's colour, everywhere it is listed: ⚑ override, ⏸ stale, ✉ under a
    chase-up notice awaiting reply (✉! once its reply date has passed; the reason says so in words)."""
    notice = ("✉!" if s.reply_overdue else "✉") if s.reminders and s.awaiting_reply else ""
    return ("⚑" if s.overridden else "") + ("⏸" if s.stale else "") + notice


def notice_words(s: TaskStatus, lang: str) -> str:
    """A task under notice in words beside its symbol (✉ 待反馈 / ✉! 逾期未反馈), "" otherwise: where a
    list has room for words, the mark is never a symbol alone."""
    if not (s.reminders and s.awaiting_reply):
        return ""
    return "✉! " + t(lang, "ui.notice.overdue") if s.reply_overdue else "✉ " + t(lang, "ui.notice.awaiting")


def status_markdown(statuses: TaskStatuses, lang: str) -> str:
    c = statuses.counts()
    lines = [f"# {t(lang, 'status.title', on=statuses.as_of.isoformat())}", "",
             t(lang, "summary.counts", **c), ""]
    headers = [t(lang, k) for k in ("col.rag", "col.id", "col.title", "col.lead", "col.next_due", "col.reason")]
    rows = [[rag_word(lang, "withdrawn" if s.task.withdrawn else s.rag.value) + (" " + flags(s) if flags(s) else "")
             + (" " + notice_words(s, lang) if s.reminders and s.awaiting_reply else ""),
             s.key, s.task.title, "、".join(s.task.lead), _iso(s.next_due) or "—",
             joined(s.reason_words(lang), lang)]
            for s in statuses]
    lines.append(markdown.table(headers, rows) if rows else t(lang, "status.none"))
    return "\n".join(lines) + "\n"
