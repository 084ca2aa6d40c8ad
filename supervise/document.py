"""The small document model every document the office sends out is built in.

A briefing, a notice (督办单) or a ranking is built once as a `Document` — headings,
paragraphs, tables, a 落款 — with the user's text kept as plain data, and then rendered
to Markdown or to Word (GB/T 9704 layout) by the renderers, which alone know how to
escape it. Nothing here knows either format. Pure core: no clock, no terminal libraries.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """`level` 0 is the document's title, 1 a part (一、…), 2 a sub-part (（一）…), 3 below.
    The numbering is part of `text`, as written in the document."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; several `lines` are kept as separate lines (hard line breaks)."""

    lines: tuple[str, ...]

    @classmethod
    def of(cls, *lines: str) -> "Paragraph":
        return cls(tuple(lines))


@dataclass(frozen=True)
class Table:
    """A real table: a header row (repeated on every page in Word) and rows of cell texts.
    `align` per column: "left", "right" or "center" (None: all left). `weights` per column, for a
    printed page (None: widths follow the text): 0 for a short column (a number, an id, a date) that
    gets what its header and cells need on one line, else the column's share of the width left."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] | None = None
    weights: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Signature:
    """The 落款 at the end: the issuing office and the date, right-aligned."""

    lines: tuple[str, ...]


Block = Heading | Paragraph | Table | Signature


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def __iter__(self):
        return iter(self.blocks)

    def texts(self) -> list[str]:
        """Every piece of text in the document, in order (for tests comparing renderings)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Heading):
                out.append(b.text)
            elif isinstance(b, (Paragraph, Signature)):
                out.extend(b.lines)
            else:
                out.extend(b.headers)
                for row in b.rows:
                    out.extend(row)
        return out
