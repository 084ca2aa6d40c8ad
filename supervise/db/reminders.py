"""Chase-up notices (督办单) in the database: issuing one, taking it back, reading them.

The `remind` action lives here whole — what it writes, how `undo` reverses it, how the log
names it — and Store calls in. Numbers run in sequence per year (督办〔2021〕3号) and are never
reused: a notice taken back with `undo` keeps its row (marked undone), so the next notice
gets the next number and the register shows the gap, as a paper register would.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from ..errors import InputError
from ..models import Reminder, frozen

if TYPE_CHECKING:
    from .store import Store


def number(year: int, seq: int) -> str:
    """The notice's number as the office writes it."""
    return f"督办〔{year}〕{seq}号"


@frozen
class Issued:
    """What one `remind` action recorded."""

    number: str
    unit: str
    issued_on: date
    reply_by: date
    level: int
    tasks: tuple[tuple[str, int], ...]  # (task key, level for that task)
    event_id: int


def load(store: "Store", only: str | None = None) -> dict[str, list[Reminder]]:
    """Live reminders per task, oldest first (undone notices left out)."""
    sql = ("SELECT rt.task_id, r.year, r.seq, r.unit, r.issued_on, r.reply_by, rt.level FROM reminder_tasks rt "
           "JOIN reminders r ON r.id = rt.reminder_id WHERE r.undone_by IS NULL")
    params: tuple = ()
    if only is not None:
        sql += " AND rt.task_id = ?"
        params = (only,)
    out: dict[str, list[Reminder]] = defaultdict(list)
    for task, year, seq, unit, issued, reply, level in store._read(sql + " ORDER BY r.issued_on, r.id", params):
        out[task].append(Reminder(number(year, seq), unit, date.fromisoformat(issued), date.fromisoformat(reply), level))
    return out


def issue(store: "Store", unit: str, tasks: list[tuple[str, int]], issued_on: date, reply_by: date) -> Issued:
    """Record one notice to `unit` naming `tasks` (key, level): one transaction, one event."""
    if reply_by < issued_on:
        raise InputError("err.reply_before_issue", reply_by=reply_by.isoformat(), issued=issued_on.isoformat())
    if not tasks:
        raise InputError("err.remind_nothing", unit=unit)
    from .connection import _now

    level = max(lv for _, lv in tasks)
    with store._write():
        year = issued_on.year
        seq = next_seq(store, year)
        cur = store.conn.execute(
            "INSERT INTO reminders (year, seq, unit, issued_on, reply_by, level, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (year, seq, unit, issued_on.isoformat(), reply_by.isoformat(), level, _now()))
        rid = cur.lastrowid
        store.conn.executemany("INSERT INTO reminder_tasks (reminder_id, task_id, level, position) VALUES (?, ?, ?, ?)",
                               [(rid, key, lv, n) for n, (key, lv) in enumerate(tasks)])
        data = {"reminder_id": rid, "number": number(year, seq), "unit": unit, "reply_by": reply_by.isoformat(),
                "level": level, "tasks": [key for key, _ in tasks]}
        eid = store._event("remind", None, None, issued_on, number(year, seq), data)
        store.conn.execute("UPDATE reminders SET event_id = ? WHERE id = ?", (eid, rid))
    return Issued(number(year, seq), unit, issued_on, reply_by, level, tuple(tasks), eid)


def reverse(store: "Store", event_id: int, data: dict) -> None:
    """Undo of a `remind` (event `event_id`): the notice stops counting; its row, and so its number,
    stays, marked undone."""
    store.conn.execute("UPDATE reminders SET undone_by = ? WHERE id = ?", (event_id, data["reminder_id"]))


def next_seq(store: "Store", year: int) -> int:
    """The sequence number the next notice of `year` gets (numbers are never reused)."""
    return store._read("SELECT coalesce(max(seq), 0) + 1 FROM reminders WHERE year = ?", (year,))[0][0]
