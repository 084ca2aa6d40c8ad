"""Markdown that user text cannot break: escaping for inline text and table cells.

A note with `|` must not split a cell, a title starting with `#` must not become a
heading, `[red]` and `<b>` stay literal, and line breaks stay inside their cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .text import visible

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_LEADING = re.compile(r"^(\s*)([#+\-=@>])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


def clean(text: str) -> str:
    """Control characters (ANSI escapes, bidi overrides) are shown as visible code points, never obeyed.
    Also what the Word renderer puts in a document (XML cannot hold most of them)."""
    return visible(text, keep="\t\n\r", notation="U+")


_clean = clean


def escape(text: str) -> str:
    """Inline text: every Markdown-significant character backslash-escaped; lines kept apart."""
    lines = [_escape_line(line) for line in _clean(str(text)).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "  \n".join(lines)


def _escape_line(line: str) -> str:
    line = _SPECIAL.sub(r"\\\1", line)
    line = _LEADING.sub(r"\1\\\2", line)
    line = _LEADING_NUMBER.sub(r"\1\\\2", line)
    return line


def heading(text: str) -> str:
    """A heading's text, on one line: escaped like prose, but a leading number ("1. Overview") needs
    no escape after the `#`s, and a trailing `#` is escaped so that it does not close the heading and vanish."""
    line = _SPECIAL.sub(r"\\\1", _clean(" ".join(str(text).split())))
    if line.endswith("#"):
        line = line[:-1] + "\\#"
    return _LEADING.sub(r"\1\\\2", line)


def cell(text: object) -> str:
    """A table cell: escaped, on one line (breaks become <br>), never empty-looking."""
    raw = _clean(str(text if text is not None else "")).replace("\r\n", "\n").replace("\r", "\n")
    return "<br>".join(_escape_line(part) for part in raw.split("\n")).strip() or " "


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: Sequence[str] | None = None) -> str:
    """A GitHub-style table; headers are ours (not escaped), cells are escaped."""
    align = align or ["l"] * len(headers)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    for row in rows:
        out.append("| " + " | ".join(cell(c) for c in row) + " |")
    return "\n".join(out)
