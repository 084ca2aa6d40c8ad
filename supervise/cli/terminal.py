"""Rich output for people at a terminal: the status table and the log.

User text goes in as `rich.text.Text`, never as markup, so a note reading `[red]`
stays text. Colour always comes with the word; NO_COLOR is honoured by Rich.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_right
from itertools import accumulate

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.text import Text

from ..formats import notice_words
from ..i18n import joined, rag_word, t
from ..models import Event
from ..status import TaskStatus
from ..views import TaskStatuses

from ..db.actions import action_name, log_words  # noqa: E402  (each kind's words live with the action)
from ..db.actions import describe_event  # noqa: E402,F401  (re-exported for the CLI)
from ..marks import STYLE, SYMBOL  # noqa: E402,F401  (the one home; re-exported for the CLI)
from ..marks import one_line as safe  # noqa: E402


def rag_text(lang: str, rag: str) -> Text:
    return Text(f"{SYMBOL[rag]} {rag_word(lang, rag)}", style=STYLE[rag])


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Rich's own handling exits 1 (`--fail-on`'s status): let the CLI's handling decide."""
        raise BrokenPipeError


def console() -> Console:
    """NO_COLOR (no-color.org) turns off every escape, bold and dim included, not just the colours."""
    plain = bool(os.environ.get("NO_COLOR"))
    return _Console(highlight=False, soft_wrap=False, no_color=plain or None, color_system=None if plain else "auto")


def layout_width(out: Console) -> int | None:
    """The width to lay a table out in: the terminal's, or $COLUMNS when the user set it; None when the
    output goes to a file or a pipe (the cron dump), which has no width: nothing is cut there."""
    if out.is_terminal or os.environ.get("COLUMNS", "").strip().isdigit():
        return out.width
    return None


def print_status(view: TaskStatuses, lang: str, out: Console | None = None) -> None:
    """At a terminal, each column fits the width and a long title, lead or reason wraps onto more
    lines (reasons are the point of the tool: never cut); to a file or a pipe, one line per task
    at its full width."""
    out = out or console()
    c = view.counts()
    out.print(Text(f"{t(lang, 'status.title', on=view.as_of.isoformat())} — {t(lang, 'summary.counts', **c)}"))
    if not len(view):
        out.print(Text(t(lang, "status.none")))
        return
    rows = [_row(s, lang) for s in view]
    headers = [t(lang, k) for k in ("col.rag", "col.id", "col.title", "col.lead", "col.next_due", "col.reason")]
    widths = [max([_width(r[1][i]) for r in rows] + [_width(headers[i])]) for i in range(6)]
    room = layout_width(out)
    below = False  # the reasons on lines of their own under each row, when a column would be too narrow
    if room is not None:
        widths[3] = min(widths[3], max(_width(headers[3]), 14))
        # what is left after the fixed columns and the gaps goes 3:2 to title and reason (what one does
        # not need goes to the other)
        rest = max(16, room - sum(widths[i] for i in (0, 1, 3, 4)) - 5)
        reason_w = min(widths[5], max(6, rest - min(widths[2], max(8, rest * 3 // 5))))
        below = reason_w < min(widths[5], _REASON_MIN)
        if below:  # the title takes the row; the reason the whole width under it
            widths[2] = min(widths[2], rest + 1)
            widths[5] = max(8, room - widths[0] - widths[1] - 2)
        else:
            widths[2], widths[5] = min(widths[2], max(8, rest - reason_w)), reason_w
    # Rich's Table (and Text.join) measure and lay out every cell again — seconds at 10,000 rows.
    # The widths are known, so each line is padded (and wrapped) here as plain text; only the status
    # cell carries a style, and everything goes out as one Text.
    # It goes out a thousand lines at a time, so a 50,000-task office is never on screen twice in memory.
    shown = 5 if below else 6
    parts: list = [(" ".join(_fit(h, w) for h, w in zip(headers[:shown], widths)).rstrip(), "bold"), "\n"]
    blank = " " * widths[0]
    indent = " " * (widths[0] + widths[1] + 2)
    for n, (style, cells) in enumerate(rows, start=1):
        lines = [_wrap(c, w) for c, w in zip(cells[1:shown], widths[1:shown])]
        parts.append((_fit(cells[0], widths[0]), style))
        for k in range(max(map(len, lines))):
            if k:
                parts.append(blank)
            parts.append((" " + " ".join(_fit(col[k] if k < len(col) else "", w)
                                         for col, w in zip(lines, widths[1:shown]))).rstrip() + "\n")
        if below:
            parts += [indent + line + "\n" for line in _wrap(cells[5], widths[5])]
        if n % 1000 == 0 or n == len(rows):
            out.print(Text.assemble(*parts, end=""), crop=False, overflow="ignore", no_wrap=True, end="")
            parts = []


_REASON_MIN = 30  # cells: a reason column narrower than this reads as a column of fragments


def _width(text: str) -> int:
    """Cells on screen (CJK counts as two); plain ASCII, the common case, without Rich's grapheme walk."""
    return len(text) if text.isascii() else sum(map(get_character_cell_size, text))


def _fit(text: str, width: int) -> str:
    """Exactly `width` cells: cut with an ellipsis, or padded."""
    n = _width(text)
    if n <= width:
        return text + " " * (width - n)
    out, used = [], 0
    for ch in text:
        w = get_character_cell_size(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - 1 - used) + "…"


_NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗〙〛”’％,.;:?!)]}%")
_NO_LINE_END = frozenset("（「『《〈【〔〖〘〚“‘")  # an opening bracket goes to the next line with what it opens


def _in_word(ch: str) -> bool:
    """Part of a word or number of Latin letters and digits (2023, 27.7%, sy-2021/1.1), which a line
    does not break inside."""
    return ch.isascii() and not ch.isspace()


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, nothing cut: Chinese breaks between any two characters,
    a word of Latin letters or digits at the space or the Chinese character before it (one longer
    than the line is split); a closing mark (，〕) never begins a line, an opening bracket (（〔) never
    ends one.
    Break points are found by bisection on the running cell count (10,000 Chinese reasons wrap in
    a fraction of the time a loop over their characters took)."""
    if _width(text) <= width:
        return [text]
    ends = list(accumulate(map(get_character_cell_size, text)))  # cells up to and including each character
    lines: list[str] = []
    start, n = 0, len(text)
    while start < n:
        end = max(start + 1, bisect_right(ends, (ends[start - 1] if start else 0) + width, start))
        if end >= n:
            lines.append(text[start:])
            break
        cut = end
        if text[end] in _NO_LINE_START and end - 1 > start:  # "；" never begins a line: its character goes with it
            cut = end - 1
        if text[cut] != " ":
            space = text.rfind(" ", start, cut)
            if space > start and text[space + 1:cut + 1].isascii():  # carry the unfinished word over
                cut = space
            elif _in_word(text[cut]) and _in_word(text[cut - 1]):  # a number against Chinese (到2023年): whole
                word = cut - 1
                while word > start and _in_word(text[word - 1]):
                    word -= 1
                if word > start:
                    cut = word
        while cut - 1 > start and text[cut - 1] in _NO_LINE_END:
            cut -= 1
        lines.append(text[start:cut].rstrip())
        start = cut
        while start < n and text[start] == " ":
            start += 1
    return lines or [""]


def _row(s: TaskStatus, lang: str) -> tuple[str, list[str]]:
    """(the status cell's style, the cells as plain text): user text made safe, never markup."""
    rag = "withdrawn" if s.task.withdrawn else s.rag.value
    notice = notice_words(s, lang)
    status = (f"{SYMBOL[rag]} {rag_word(lang, rag)}" + (" ⚑" if s.overridden else "") + (" ⏸" if s.stale else "")
              + (" " + notice if notice else ""))
    return STYLE[rag], [status, safe(s.key), safe(s.task.title), safe("、".join(s.task.lead)),
                        s.next_due.isoformat() if s.next_due else "—", safe(joined(s.reason_words(lang), lang))]


def undone_mark(e: Event, lang: str) -> str:
    """"↶ undone 2026-12-02": the day (on this computer's clock) the entry was undone."""
    if not e.undone:
        return ""
    if e.undone_at:
        from ..db.store import local_time

        return t(lang, "log.undone_on", on=local_time(e.undone_at).date().isoformat())
    return t(lang, "log.undone")


def _when(e: Event, pattern: str) -> str:
    from ..db.store import local_time

    return local_time(e.at).strftime(pattern)


def print_log(events: list[Event], fmt: str, lang: str, out: Console | None = None, *,
              names: dict[str, str] | None = None) -> None:
    """json: every entry as stored, undos included (each undone one says by which, "undone_by").
    table and markdown: an undo is not a row of its own; the entry it reversed is shown once, marked
    "↶ undone" with the day. Times are on this computer's clock."""
    names = names or {}
    if fmt == "json":
        doc = [{"id": e.id, "recorded_at": e.at, "kind": e.kind, "task": e.task, "item": e.item,
                "on": e.on.isoformat() if e.on else None, "summary": e.summary, "undone": e.undone,
                "undone_by": e.undone_by, "item_name": names.get(e.item) if e.item else None} for e in events]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    events = [e for e in events if e.kind != "undo"]
    headers = [t(lang, k) for k in ("col.when", "col.on", "col.action", "col.task", "col.what")]
    if fmt == "markdown":
        from .. import markdown

        rows = [[_when(e, "%Y-%m-%d %H:%M"), e.on.isoformat() if e.on else "",
                 " ".join(filter(None, [action_name(e.kind, lang), undone_mark(e, lang)])),
                 e.item or e.task or "", log_words(e, names, lang)] for e in events]
        print(markdown.table(headers, rows) if rows else t(lang, "log.none"))
        return
    out = out or console()
    if not events:
        out.print(Text(t(lang, "log.none")))
        return
    # Laid out here, as the status table is: the first four columns keep their width and what was
    # recorded takes what is left, cut with an ellipsis at a terminal (`show TASK` has it whole);
    # to a file or a pipe nothing is cut. (Rich's Table, given one long note, hid whole columns
    # instead: the action, then the dates.)
    marks = [undone_mark(e, lang) for e in events]
    rows = [[_when(e, "%m-%d %H:%M"), e.on.isoformat() if e.on else "",
             action_name(e.kind, lang) + (" " + mark if mark else ""),
             safe(e.item or e.task or ""), safe(log_words(e, names, lang))] for e, mark in zip(events, marks)]
    widths = [max(_width(c) for c in [headers[i], *(r[i] for r in rows)]) for i in range(4)]
    room = layout_width(out)
    parts: list = [(" ".join(_fit(h, w) for h, w in zip(headers, [*widths, _width(headers[4])])).rstrip(), "bold"), "\n"]
    for mark, cells in zip(marks, rows):
        when, on, action, task = (_fit(c, w) for c, w in zip(cells, widths))
        what = cells[4] if room is None else _fit(cells[4], max(8, room - sum(widths) - 4))
        word = action.rstrip()
        if mark and word.endswith(mark):  # the "undone" mark dimmed
            split = len(word) - len(mark)
            action_parts = [action[:split], (word[split:], "dim"), action[len(word):]]
        else:
            action_parts = [action]
        parts += [f"{when} {on} ", *action_parts, f" {task} {what}".rstrip(), "\n"]
    out.print(Text.assemble(*parts, end=""), crop=False, overflow="ignore", no_wrap=True, end="")


def fold_undos(events: list[Event], fetch) -> list[Event]:
    """The entries of a period as the table shows them: an undo in the period brings the entry it
    reversed (fetched by id if it was recorded earlier), which is then shown once, marked undone."""
    have = {e.id for e in events}
    # an id the store wrote (an int); anything else a damaged row holds names no entry to fetch
    missing = {u for e in events if e.kind == "undo" for u in (e.data.get("undid"),)
               if type(u) is int} - have
    if not missing:
        return events
    return sorted([*events, *fetch(missing)], key=lambda e: e.id, reverse=True)
