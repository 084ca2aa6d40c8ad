"""Machine and document formats of the status list: JSON (the spec's keys), CSV, Markdown.

Pure: takes TaskStatuses, returns text. The Rich table lives in the CLI shell.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from datetime import date

from . import markdown
from .i18n import joined, rag_word, t
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
    task, as_of, latest = s.task, s.as_of, s.latest_note
    return {
        "id": task.key,
        "plan": task.plan,
        "section": task.section,
        "title": task.title,
        "lead": list(task.lead),
        "responsible": list(task.responsible),
        "due": _iso(task.due),
        "rag": "withdrawn" if task.withdrawn else s.rag.value,
        "reasons": s.reason_words(lang),
        "overridden": s.override is not None,
        "stale": s.stale,
        "next_due": _iso(s.next_due),
        "milestones": [
            {"id": m.id, "title": m.title, "due": m.due.isoformat(),
             "done_on": m.done_on.isoformat() if m.done_on and m.done_on <= as_of else None, "rag": ms.rag.value}
            for ms in s.milestones for m in (ms.milestone,)
        ],
        "indicators": [
            {"id": i.id, "name": i.name, "unit": i.unit, "baseline": num(i.baseline), "target": num(i.target),
             "direction": i.direction, "due": i.due.isoformat(), "value": num(st.value), "measured_on": _iso(st.measured_on),
             "expected": _float(st.expected), "lag": _float(st.lag), "rag": st.rag.value}
            for st in s.indicators for i in (st.indicator,)
        ],
        "override": ({"rag": s.override.rag.value, "reason": s.override.reason, "from": _iso(s.override.start),
                      "until": _iso(s.override.until)} if s.override else None),
        "last_progress": _iso(s.last_progress),
        "latest_note": latest.text if latest else None,
        "withdrawn": task.withdrawn,
        "reminders": [
            {"number": r.reminder.number, "issued_on": r.reminder.issued_on.isoformat(),
             "reply_by": r.reminder.reply_by.isoformat(), "answered_on": _iso(r.answered_on), "level": r.reminder.level}
            for r in s.reminders
        ],
    }


_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(x, ensure_ascii=False), its encoder made once


def status_json_chunks(statuses: TaskStatuses, lang: str) -> Iterator[str]:
    """The document a task per line, piece by piece: a 50,000-task office never sits in memory as one string.

    Each line is `task_dict` through json's C encoder (json.dumps(task_dict(s, lang), ensure_ascii=False)).
    """
    encode = _JSON.encode
    head = encode({"as_of": statuses.as_of.isoformat(), "summary": statuses.counts()})
    yield head[:-1] + ', "tasks": ['
    sep = "\n"
    for s in statuses:
        yield sep + encode(task_dict(s, lang))
        sep = ",\n"
    yield "\n]}" if sep == ",\n" else "]}"


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
    """A leading = + - @ would run as a formula in a spreadsheet: prefix an apostrophe; control
    characters (an ESC that would clear the terminal the file is printed on) shown as U+XXXX."""
    text = visible(str(value).replace("\r\n", "\n"), keep="\t\n", notation="U+")
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


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
