"""Chase-up notices (督办单): which units get one, at what level, and the notice as a Document.

Pure core: takes statuses and dates, reads no clock and no files. The notice is built once as
a `Document` and rendered by supervise.render (Markdown or Word, the briefing's own renderers),
so there is no second Word writer. The rules of what counts as an answer and when a notice is
overdue live in status.py (`reminder_statuses`, `next_level`); this module only selects and words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .briefing import dated_reasons, long_date
from .document import Document, Heading, Paragraph, Signature, Table
from .i18n import Msg, chinese_numeral, labelled, rag_word, t
from .models import Rag
from .status import TaskStatus, next_level
from .text import file_name_part
from .views import TaskStatuses


@dataclass(frozen=True)
class Planned:
    """One notice to be issued: the unit, its tasks with their levels, and the notice's level."""

    unit: str
    tasks: tuple[tuple[TaskStatus, int], ...]

    @property
    def level(self) -> int:
        return max(level for _, level in self.tasks)


def plan_notices(statuses: TaskStatuses, rags: list[Rag], units: list[str] | None = None) -> list[Planned]:
    """Every lead unit with live tasks of the given colours (or only the named units, each with
    the tasks it leads of those colours), in the order units first appear in the plan."""
    wanted = set(rags)
    by_unit: dict[str, list[tuple[TaskStatus, int]]] = {}
    for s in statuses.live():
        if s.rag not in wanted:
            continue
        for unit in s.task.lead:
            if units is None or unit in units:
                by_unit.setdefault(unit, []).append((s, next_level(s.task, statuses.as_of)))
    order = units if units is not None else list(by_unit)
    return [Planned(u, tuple(by_unit[u])) for u in order if u in by_unit]


# The notice's columns on a portrait page: number, id, colour and level on one line; of the width left,
# the reason the most (a reason of 60 characters in a few lines), then progress, title and responsible units.
NOTICE_WEIGHTS = (0, 0, 4, 0, 7, 4, 5, 0)


def level_words(level: int, lang: str) -> str:
    """第二次督办 / second notice (the first is simply 督办)."""
    if level <= 1:
        return t(lang, "notice.level1")
    ordinal = Msg(f"layout.ordinal.{level}" if level in (2, 3) else "layout.ordinal.n", n=level, cn=chinese_numeral(level))
    return t(lang, "notice.level", n=ordinal)


def _progress(s: TaskStatus, lang: str) -> str:
    """The latest progress as the notice shows it: the latest note with its date, else the last
    progress date, else none."""
    note = s.latest_note
    if note is not None:
        return labelled(long_date(note.on, lang), note.text, lang)
    if s.last_progress is not None:
        return t(lang, "notice.last_progress", on=long_date(s.last_progress, lang))
    return t(lang, "notice.no_progress")


def build_notice(planned: Planned, number: str, issued_on: date, reply_by: date, office: str, lang: str) -> Document:
    """The notice to one unit: office, number and level, addressee, the items with their reasons,
    responsible units and latest progress, the reply-by date, and the 落款."""
    blocks: list = []
    if office.strip():
        blocks.append(Heading(" ".join(office.split()), 0))
    blocks.append(Heading(t(lang, "notice.title"), 0))
    level = planned.level
    head = [number] + ([level_words(level, lang)] if level > 1 else [])
    blocks.append(Paragraph.of(t(lang, "layout.notice_head").join(head)))
    blocks.append(Paragraph.of(t(lang, "notice.to", unit=planned.unit)))
    blocks.append(Paragraph.of(t(lang, "notice.body", on=long_date(issued_on, lang), n=len(planned.tasks),
                                 reply_by=long_date(reply_by, lang))))
    rows = []
    for n, (s, lv) in enumerate(planned.tasks, 1):
        rows.append((str(n), s.key, s.task.title, rag_word(lang, s.rag.value), dated_reasons(s, lang),
                     "、".join(s.task.responsible) or "—", _progress(s, lang),
                     level_words(lv, lang)))
    blocks.append(Table(tuple(t(lang, f"notice.col.{c}") for c in
                              ("n", "id", "title", "rag", "reason", "responsible", "progress", "level")),
                        tuple(rows), ("right", "left", "left", "left", "left", "left", "left", "left"),
                        NOTICE_WEIGHTS))
    blocks.append(Signature(tuple(x for x in (" ".join(office.split()), long_date(issued_on, lang)) if x)))
    return Document(tuple(blocks))


def file_name(number: str, unit: str, fmt: str) -> str:
    """督办〔2021〕3号-市民政局.md: the number and the unit, made safe for every file system (text.file_name_part)."""
    return f"{number}-{file_name_part(unit)}.{fmt}"
