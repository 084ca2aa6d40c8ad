"""How a colour is signalled wherever a task is listed.

A colour is never the only signal: each has a symbol and a word (the word from the catalogue),
and a style for terminals that show colour. The command line and the UI both take these from
here, so the two never drift; this module is part of the pure core (no terminal library).
How a recorded event is named lives with the action itself: db/actions.py's table of kinds.
"""

from __future__ import annotations

from .text import visible

STYLE = {"red": "bold white on red", "amber": "bold black on yellow", "green": "bold white on green",
         "done": "dim", "withdrawn": "dim strike"}
SYMBOL = {"red": "●", "amber": "▲", "green": "○", "done": "✓", "withdrawn": "–"}


def one_line(text: str) -> str:
    """User text on one line, control characters (ANSI escapes, bidi overrides) made visible."""
    return visible(text.replace("\n", " ⏎ "), keep="\t")
