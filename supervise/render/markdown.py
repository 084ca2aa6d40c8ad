"""A `Document` as Markdown text. Every string in the model is plain text: it goes through
supervise.markdown (the one place that escapes), so a `|` never splits a cell and a leading `#`
never makes a heading — whether the words are ours or a user's.

Headings: the title (level 0) is `#`; a title in several lines (issuer, then subject) gives
the second and later title lines `##`, like the parts (level 1); level 2 is `###`, level 3 `####`.
Paragraph lines are kept apart by hard line breaks; a table cell's line breaks become `<br>`.
The 落款 is its lines, one under another (Markdown cannot align right).
"""

from __future__ import annotations

from functools import lru_cache

from .. import markdown
from ..document import Document, Heading, Paragraph, Signature, Table

_ALIGN = {"left": "l", "right": "r", "center": "c"}
_cell = lru_cache(maxsize=65536)(markdown.cell)  # the same units, dates and reasons recur on every page


def render(doc: Document) -> str:
    """The whole document (ends with one newline; blocks apart by one blank line)."""
    out: list[str] = []
    titles = 0
    for block in doc:
        if isinstance(block, Heading):
            if block.level == 0:
                marks = "#" if titles == 0 else "##"
                titles += 1
            else:
                marks = "#" * (block.level + 1)
            out.append(f"{marks} {markdown.heading(block.text)}")
        elif isinstance(block, (Paragraph, Signature)):
            out.append("  \n".join(markdown.escape(line) for line in block.lines))
        elif isinstance(block, Table):
            out.append(table(block))
        else:  # pragma: no cover - the model has no other blocks
            raise TypeError(f"not a block: {block!r}")
    return "\n\n".join(out) + "\n" if out else ""


def table(block: Table) -> str:
    """A GitHub-style table: header and cells escaped (through a cache of markdown.cell)."""
    align = [_ALIGN[a] for a in block.align] if block.align else ["l"] * len(block.headers)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    out = ["| " + " | ".join(_cell(h) for h in block.headers) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    for row in block.rows:
        out.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(out)
