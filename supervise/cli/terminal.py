"""Rich output for people at a terminal: the status table and the log.

User text goes in as `rich.text.Text`, never as markup, so a note reading `[red]`
stays text. Colour always comes with the word; NO_COLOR is honoured by Rich.
"""

from __future__ import annotations

import json
import os
import re

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.text import Text

from ..i18n import event_what, joined, rag_word, t
from ..models import Event
from ..status import TaskStatus
from ..views import TaskStatuses

STYLE = {"red": "bold white on red", "amber": "bold black on yellow", "green": "bold white on green",
         "done": "dim", "withdrawn": "dim strike"}
SYMBOL = {"red": "●", "amber": "▲", "green": "○", "done": "✓", "withdrawn": "–"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Control characters (ANSI escapes, bidi overrides) are made visible, so they cannot move the cursor."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        text.replace("\n", " ⏎ "))


def rag_text(lang: str, rag: str) -> Text:
    return Text(f"{SYMBOL[rag]} {rag_word(lang, rag)}", style=STYLE[rag])


def console() -> Console:
    """NO_COLOR (no-color.org) turns off every escape, bold and dim included, not just the colours."""
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(highlight=False, soft_wrap=False, no_color=plain or None, color_system=None if plain else "auto")


def print_status(view: TaskStatuses, lang: str, out: Console | None = None) -> None:
    out = out or console()
    c = view.counts()
    out.print(Text(f"{t(lang, 'status.title', on=view.as_of.isoformat())} — {t(lang, 'summary.counts', **c)}"))
    if not len(view):
        out.print(Text(t(lang, "status.none")))
        return
    rows = [_row(s, lang) for s in view]
    headers = [t(lang, k) for k in ("col.rag", "col.id", "col.title", "col.lead", "col.next_due", "col.reason")]
    widths = [max([_width(r[1][i]) for r in rows] + [_width(headers[i])]) for i in range(6)]
    widths[3] = min(widths[3], 14)
    # what is left after the fixed columns and the gaps goes 3:2 to title and reason
    room = max(16, out.width - sum(widths[i] for i in (0, 1, 3, 4)) - 5)
    title_w = min(widths[2], max(8, room * 3 // 5))
    reason_w = max(6, room - title_w)
    widths[2], widths[5] = title_w, min(widths[5], reason_w)
    # Rich's Table (and Text.join) measure and lay out every cell again — seconds at 10,000 rows.
    # The widths are known, so each line is padded and cut here as plain text; only the status
    # cell carries a style, and everything goes out as one Text.
    # It goes out a thousand lines at a time, so a 50,000-task office is never on screen twice in memory.
    parts: list = [(" ".join(_fit(h, w) for h, w in zip(headers, widths)), "bold"), "\n"]
    for n, (style, cells) in enumerate(rows, start=1):
        parts.append((_fit(cells[0], widths[0]), style))
        parts.append(" " + " ".join(_fit(c, w) for c, w in zip(cells[1:], widths[1:])) + "\n")
        if n % 1000 == 0 or n == len(rows):
            out.print(Text.assemble(*parts, end=""), crop=False, overflow="ignore", no_wrap=True, end="")
            parts = []


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


def _row(s: TaskStatus, lang: str) -> tuple[str, list[str]]:
    """(the status cell's style, the cells as plain text): user text made safe, never markup."""
    rag = "withdrawn" if s.task.withdrawn else s.rag.value
    status = f"{SYMBOL[rag]} {rag_word(lang, rag)}" + (" ⚑" if s.overridden else "") + (" ⏸" if s.stale else "")
    return STYLE[rag], [status, safe(s.key), safe(s.task.title), safe("、".join(s.task.lead)),
                        s.next_due.isoformat() if s.next_due else "—", safe(joined(s.reason_words(lang), lang))]


def describe_event(e: Event, lang: str) -> str:
    what = t(lang, f"event.{e.kind}")
    target = e.item or e.task or ""
    parts = [what, target]
    if e.kind == "note":
        parts.append("“" + safe(e.summary[:60]) + "”")
    elif e.kind in ("record", "override"):
        parts.append(safe(event_what(e.kind, e.summary, e.data, lang)))
    elif e.kind == "undo":
        parts.append(f"#{e.data.get('undid')}")
    if e.on:
        parts.append(f"({e.on.isoformat()})")
    return " ".join(p for p in parts if p)


def print_log(events: list[Event], fmt: str, lang: str, out: Console | None = None) -> None:
    if fmt == "json":
        doc = [{"id": e.id, "recorded_at": e.at, "kind": e.kind, "task": e.task, "item": e.item,
                "on": e.on.isoformat() if e.on else None, "summary": e.summary, "undone": e.undone} for e in events]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    headers = [t(lang, k) for k in ("col.when", "col.on", "col.action", "col.task", "col.what")]
    if fmt == "markdown":
        from .. import markdown

        rows = [[e.at, e.on.isoformat() if e.on else "", t(lang, f"event.{e.kind}") + (" " + t(lang, "log.undone") if e.undone else ""),
                 e.item or e.task or "", event_what(e.kind, e.summary, e.data, lang)] for e in events]
        print(markdown.table(headers, rows) if rows else t(lang, "log.none"))
        return
    out = out or console()
    if not events:
        out.print(Text(t(lang, "log.none")))
        return
    # Laid out here, as the status table is: the first four columns keep their width and what was
    # recorded takes what is left, cut with an ellipsis. (Rich's Table, given one long note, hid
    # whole columns instead: the action, then the dates.)
    undone = " " + t(lang, "log.undone")
    rows = [[e.at[5:16], e.on.isoformat() if e.on else "", t(lang, f"event.{e.kind}") + (undone if e.undone else ""),
             safe(e.item or e.task or ""), safe(event_what(e.kind, e.summary, e.data, lang))] for e in events]
    widths = [max(_width(c) for c in [headers[i], *(r[i] for r in rows)]) for i in range(4)]
    widths.append(max(8, out.width - sum(widths) - 4))
    parts: list = [(" ".join(_fit(h, w) for h, w in zip(headers, widths)).rstrip(), "bold"), "\n"]
    for e, cells in zip(events, rows):
        when, on, action, task, what = (_fit(c, w) for c, w in zip(cells, widths))
        word = action.rstrip()
        if e.undone and word.endswith(undone):  # the "undone" mark dimmed
            split = len(word) - len(undone)
            action_parts = [action[:split], (word[split:], "dim"), action[len(word):]]
        else:
            action_parts = [action]
        parts += [f"{when} {on} ", *action_parts, f" {task} {what}".rstrip(), "\n"]
    out.print(Text.assemble(*parts, end=""), crop=False, overflow="ignore", no_wrap=True, end="")
