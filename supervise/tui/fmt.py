"""Rich Text builders shared by the widgets.

Every string that came from the user or the plan file goes into a `Text` as
plain text (never markup) after `clean`, so `[/]` or an ANSI escape in a note
is shown, not obeyed. Colour always comes with a symbol and a word.
"""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from rich.text import Text

from ..marks import STYLE as _CLI_STYLE
from ..marks import SYMBOL
from ..i18n import joined, rag_word, t
from ..text import visible

# the CLI's styles, with dark text on green: white on a truecolor green is hard to read
STYLE = {**_CLI_STYLE, "green": "bold black on green"}

COLOURS = ("red", "amber", "green", "done")
# fills for the trend chart: distinguishable without colour (NO_COLOR)
FILL = {"red": "█", "amber": "▓", "green": "▒", "done": "░"}
BAR_STYLE = {"red": "red", "amber": "yellow", "green": "green", "done": "bright_black"}


def clean(text: str, *, one_line: bool = False) -> str:
    """Unsafe characters shown as code points (`\\u001b`: text.visible, the one rule); a tab as four
    spaces; newlines kept unless one line is wanted (then each is ⏎)."""
    if one_line:
        text = text.replace("\r\n", "\n").replace("\n", " ⏎ ")
    return visible(text.replace("\t", "    "), keep="\n", notation="\\u")


def plain(text: str, style: str = "", *, one_line: bool = True) -> Text:
    """User text as a Text, never markup."""
    return Text(clean(text, one_line=one_line), style=style, end="")


def rag_key(s) -> str:
    return "withdrawn" if s.task.withdrawn else s.rag.value


def chip(lang: str, rag: str, width: int | None = None) -> Text:
    """`● red` in the colour's style; padded to width so columns line up."""
    text = Text(f"{SYMBOL[rag]} {rag_word(lang, rag)}", style=STYLE[rag], end="")
    if width is not None:
        fit(text, width)
    return text


def chip_width(lang: str) -> int:
    """Wide enough for the counted colours (a rare withdrawn row is clipped)."""
    return max(cell_len(f"{SYMBOL[r]} {rag_word(lang, r)}") for r in COLOURS)


def fit(text: Text, width: int) -> Text:
    """Truncate with an ellipsis or pad to exactly `width` cells (CJK counted as two)."""
    text.truncate(max(0, width), overflow="ellipsis", pad=True)
    return text


def shorten(text: Text, width: int) -> Text:
    """At most `width` cells, ending in "…" if cut; never a blank where half a wide character was."""
    if text.cell_len <= width:
        return text
    plain = text.plain
    keep = len(plain)
    while keep and cell_len(plain[:keep]) > width - 1:
        keep -= 1
    text.right_crop(len(plain) - keep)
    text.append("…")
    return text


def bar(fraction: float, width: int = 5, style: str = "green") -> Text:
    """A little bar of ▰ and ▱, then the percentage."""
    fraction = min(1.0, max(0.0, fraction))
    full = round(fraction * width)
    out = Text(end="")
    out.append("▰" * full, style=style)
    out.append("▱" * (width - full), style="bright_black")
    out.append(f" {round(fraction * 100):>3d}%")
    return out


def iso(d: date | None) -> str:
    return d.isoformat() if d else "—"


def num(x: float | None) -> str:
    """A number as every list shows it (formats.shown, the one rule: 12345.67, not 12345.7); — for none."""
    return "—" if x is None else shown(x)


def counts_text(lang: str, counts: dict[str, int], *, words: bool = True, only: tuple[str, ...] = COLOURS,
                skip_zero: bool = False) -> Text:
    """● red 3  ▲ amber 2 … (words) or ●3 ▲2 ○5 ✓1 (compact, for the tree); `only` some colours,
    `skip_zero` leaves out the colours with none."""
    out = Text(end="")
    for rag in only:
        if skip_zero and not counts.get(rag, 0):
            continue
        if out:
            out.append(" " if not words else "  ")
        label = f"{SYMBOL[rag]} {rag_word(lang, rag)} {counts.get(rag, 0)}" if words else f"{SYMBOL[rag]}{counts.get(rag, 0)}"
        out.append(label, style=BAR_STYLE[rag] if not words else STYLE[rag])
    return out


from ..formats import flags, shown  # noqa: E402,F401  (the one rules: the UI shows the same flags and numbers as the CLI)


def reasons(s, lang: str) -> str:
    return joined(s.reason_words(lang), lang)


def units(names) -> str:
    return "、".join(names)


def label(lang: str, key: str, **params) -> str:
    return t(lang, key, **params)
