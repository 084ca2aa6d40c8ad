"""How a colour is signalled wherever a task is listed, and how a recorded event is named.

A colour is never the only signal: each has a symbol and a word (the word from the catalogue),
and a style for terminals that show colour. The command line and the UI both take these from
here, so the two never drift; this module is part of the pure core (no terminal library).
"""

from __future__ import annotations

from .i18n import event_what, t
from .models import Event
from .text import visible

STYLE = {"red": "bold white on red", "amber": "bold black on yellow", "green": "bold white on green",
         "done": "dim", "withdrawn": "dim strike"}
SYMBOL = {"red": "●", "amber": "▲", "green": "○", "done": "✓", "withdrawn": "–"}


def one_line(text: str) -> str:
    """User text on one line, control characters (ANSI escapes, bidi overrides) made visible."""
    return visible(text.replace("\n", " ⏎ "), keep="\t")


def describe_event(e: Event, lang: str) -> str:
    """An event in a few words, as the undo notice and the log name it."""
    what = t(lang, f"event.{e.kind}")
    target = e.item or e.task or ""
    parts = [what, target]
    if e.kind == "note":
        parts.append("“" + one_line(e.summary[:60]) + "”")
    elif e.kind == "collect":  # "<unit> <as-of> (<entries>)": plan content and numbers
        parts.append(one_line(e.summary))
    elif e.kind in ("record", "override"):
        parts.append(one_line(event_what(e.kind, e.summary, e.data, lang)))
    elif e.kind == "undo":
        parts.append(f"#{e.data.get('undid')}")
    if e.on:
        parts.append(f"({e.on.isoformat()})")
    return " ".join(p for p in parts if p)
