"""The ledger's cells, styles and sheets as openpyxl writes them (write-only mode), and how they print.

Every cell gets exactly one named style (registered once per workbook): assigning openpyxl
style objects cell by cell re-hashes them each time and made a 10 000-task ledger take 20 s.
Each sheet's rows are gathered as plain values (`Sheet`) and streamed to the file, instead of a
Cell object per cell held until the save (483 MB for 50 000 tasks). The rows' XML is written
here, not by openpyxl's cell writer (an lxml element per cell and per value: 8 of 13 s of a
10 000-task ledger): openpyxl writes each sheet around an empty <sheetData> (widths, panes,
merges, printing, charts, as it always does) and the rows, as openpyxl would write them
(inline strings, the style ids of the workbook's named styles), go in between.

Printing (issue #13): A4 landscape with the paper size set, fitted to the page width (as many
pages down as it takes), the title and header rows repeated on every page, 第 N 页 共 M 页 in
the footer; 宋体 for titles and headers, 仿宋 for the body; fixed column widths chosen so that
the columns print at (nearly) 100%, long text wrapped in its own column, and each row as high
as its tallest wrapped cell needs, so that it prints whole.

User text is always written as text: a note reading `=SUM(A1)`, `+86…`, `-…`, `@…` or `#N/A`
is a string cell (never a formula or an error value) with Excel's quote prefix, so it stays
text even when the cell is edited; control characters Excel cannot store are shown as U+XXXX.
"""

from __future__ import annotations

import math
import re
import tempfile
import unicodedata
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import t
from ..text import visible, xml_safe

# Excel's own "Bad / Neutral / Good" cell colours: readable on screen and in black-and-white print
FILLS = {
    "red": ("FFC7CE", "9C0006"),
    "amber": ("FFEB9C", "9C5700"),
    "green": ("C6EFCE", "006100"),
    "done": ("D9D9D9", "404040"),
}
HEADER_FILL = "DDEBF7"
BAND_FILL = "F2F2F2"
BODY_FONT = "仿宋"  # FangSong: the office's body face; Excel and WPS on Windows have it
HEAD_FONT = "宋体"  # SimSun for titles and headers
GB2312 = 134  # the font charset that tells Excel the face is Chinese
BODY_SIZE = 11
LINE_HEIGHT = 15.0  # points per wrapped line at BODY_SIZE, with the leading Excel and LibreOffice give 仿宋 11
MAX_ROW_HEIGHT = 409.0  # Excel's limit
MAX_WIDTH = 50  # in Latin characters, for columns sized to their content
MIN_WIDTH = 6
MAX_CELL = 32767  # Excel's limit on the characters in one cell
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_TEXT_PREFIX = ("=", "+", "-", "@", "#")  # formula, sign, at, error value: Excel would not take it as text

# named styles, registered in every workbook this module builds
TEXT, WRAP, DATE, NUMBER, PERCENT, HEADER, TITLE, BAND, TOTAL, TOTAL_PERCENT = (
    "sv-text", "sv-wrap", "sv-date", "sv-number", "sv-percent", "sv-header", "sv-title", "sv-band", "sv-total",
    "sv-total-percent")


def rag_style(rag: str) -> str:
    return f"sv-{rag}"


def _font(**kw) -> Font:
    name = kw.pop("name", BODY_FONT)
    return Font(name=name, charset=GB2312, size=kw.pop("size", BODY_SIZE), **kw)


def named_styles() -> list[NamedStyle]:
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top", wrap_text=False)
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top")
    out = [
        NamedStyle(TEXT, font=_font(), border=border, alignment=top),
        NamedStyle(WRAP, font=_font(), border=border, alignment=wrap),
        NamedStyle(DATE, font=_font(), border=border, alignment=centre, number_format="yyyy-mm-dd"),
        NamedStyle(NUMBER, font=_font(), border=border, alignment=Alignment(horizontal="right", vertical="top")),
        NamedStyle(PERCENT, font=_font(), border=border, alignment=Alignment(horizontal="right", vertical="top"),
                   number_format="0.0%"),
        NamedStyle(HEADER, border=border, font=_font(name=HEAD_FONT, bold=True),
                   fill=PatternFill("solid", fgColor=HEADER_FILL),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle(TITLE, font=_font(name=HEAD_FONT, bold=True, size=16),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle(BAND, font=_font(name=HEAD_FONT, bold=True), border=border,
                   fill=PatternFill("solid", fgColor=BAND_FILL), alignment=Alignment(vertical="center")),
        NamedStyle(TOTAL, font=_font(name=HEAD_FONT, bold=True), border=border,
                   fill=PatternFill("solid", fgColor=BAND_FILL),
                   alignment=Alignment(horizontal="right", vertical="top")),
        NamedStyle(TOTAL_PERCENT, font=_font(name=HEAD_FONT, bold=True), border=border,
                   fill=PatternFill("solid", fgColor=BAND_FILL),
                   alignment=Alignment(horizontal="right", vertical="top"), number_format="0.0%"),
    ]
    for rag, (bg, fg) in FILLS.items():
        out.append(NamedStyle(rag_style(rag), border=border, font=_font(bold=True, color=fg),
                              fill=PatternFill("solid", fgColor=bg),
                              alignment=Alignment(horizontal="center", vertical="top", wrap_text=True)))
        out.append(NamedStyle(rag_style(rag) + "-header", border=border, font=_font(name=HEAD_FONT, bold=True, color=fg),
                              fill=PatternFill("solid", fgColor=bg),
                              alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)))
    return out


# --- sheet names -------------------------------------------------------------------------------


def sheet_name(wanted: str, used: set[str]) -> str:
    """A legal, unique sheet name: at most 31 characters, none of []:*?/\\, no quote at either end."""
    wanted = xml_safe(wanted)  # what no XML part (workbook.xml holds the names) can carry
    name = _FORBIDDEN_IN_SHEET_NAME.sub("_", ILLEGAL_CHARACTERS_RE.sub("_", wanted)).strip().strip("'").strip()
    name = name[:31].strip("'") or "Sheet"
    if name.casefold() == "history":  # reserved by Excel
        name = name + "_"
    candidate, n = name, 2
    while candidate.casefold() in used:
        suffix = f"~{n}"
        candidate = name[:31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate


# --- cells -------------------------------------------------------------------------------------


# ECMA-376's ST_Xstring: in a cell's text, _xHHHH_ stands for the character HHHH (_x000D_ is the
# carriage return of a line pasted from Word), and a written "_x" that would read as one is _x005F_x.
# Excel and WPS read it so; openpyxl neither escapes nor reads it: clean_text escapes, unescaped reads.
_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescaped(text: str) -> str:
    """A cell's text as Excel wrote it, its escapes undone (a surrogate's code stays as written: no text holds one)."""
    if "_x" not in text:
        return text
    return _XSTRING.sub(lambda m: m[0] if 0xD800 <= int(m[1], 16) <= 0xDFFF else chr(int(m[1], 16)), text)


def clean_text(value: object) -> str:
    """What a cell can hold: control characters shown as U+XXXX (text.visible: the one rule, which covers
    openpyxl's illegal characters), and so are the noncharacters U+FFFE, U+FFFF and lone surrogates,
    which no XML file can hold; a "_x0041_" in the text escaped, so that Excel shows it as written
    (and `unescaped` reads it back); at most Excel's 32 767 characters."""
    text = "" if value is None else str(value)
    text = visible(text.replace("\r\n", "\n"), keep="\t\n\r", notation="U+")
    text = xml_safe(text)
    if "_x" in text:
        text = _XSTRING.sub(lambda m: "_x005F" + m[0], text)
    return text[:MAX_CELL]


def text_cell(cell: Cell, value: object) -> Cell:
    """Store user text as text: never a formula, never an error value, nothing Excel would reject.

    Apply the cell's style first: assigning a named style afterwards would drop the quote prefix.
    """
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl infers "f" for a leading "=" and "e" for "#N/A": it is text
    if text.startswith(_TEXT_PREFIX):
        cell.quotePrefix = True  # Excel keeps it text when the clerk edits the cell
    return cell


def display_width(text: str) -> int:
    """Columns a line of text needs: CJK (wide and full-width) characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _rough_width(line: str) -> float:
    """display_width, nearly, in C speed: a CJK character is three bytes of UTF-8 and two columns,
    ASCII one and one; (characters + bytes) / 2 gives both (and 1.5 for the few two-byte letters)."""
    if line.isascii():
        return len(line)
    return (len(line) + len(line.encode("utf-8"))) / 2


def lines_needed(text: str, width: float) -> int:
    """The lines a wrapped cell `width` characters wide shows `text` on (estimated: Excel wraps at
    word and character boundaries, so a little room is kept for the ragged edge)."""
    room = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(_rough_width(line) / room)) for line in text.split("\n"))


class Styles:
    """A workbook's cell format ids, one for each named style (and its quote-prefixed variant),
    registered in the workbook the first time a cell uses it, as openpyxl's cells would; and the
    workbook's date system. The rows' XML names a cell's format by this id."""

    def __init__(self, wb: Workbook):
        self.epoch = wb.epoch
        self._probe_parent = SimpleNamespace(parent=wb)  # what a cell needs to find its workbook
        self._ids: dict[tuple[str, bool], int] = {}

    def id(self, style: str, quoted: bool = False) -> int:
        key = (style, quoted)
        found = self._ids.get(key)
        if found is None:
            probe = WriteOnlyCell(self._probe_parent)
            probe.style = style
            if quoted:
                probe.quotePrefix = True  # Excel keeps it text when the clerk edits the cell
            found = self._ids[key] = probe.style_id
        return found


class Sheet:
    """A worksheet's cells, gathered row by row in order: each row, once the next one begins, is
    turned into its XML (its height known from its tallest wrapped cell) and set aside in an
    anonymous temporary file; `write` has openpyxl write the sheet (widths, panes, filter, merges,
    printing, charts) with no rows and splices the rows in."""

    def __init__(self, styles: Styles, widths: Sequence[float] | None = None, footer: str = ""):
        self.styles = styles
        self.fixed = widths  # column widths in characters, or None: sized to the content
        self.widths: dict[int, int] = {}
        self.lines: dict[int, int] = {}  # row being gathered → lines its tallest wrapped cell needs
        self.heights: dict[int, float] = {}  # row → a height set outright
        self.ncols = self.nrows = 0
        self.merged: list[str] = []
        self.charts: list[tuple[Callable[[Any], Any], str]] = []  # (worksheet → chart, anchor cell)
        self.footer = footer
        self.filter = True
        self.breaks: list[int] = []  # a page break after each of these rows
        self.title_rows: str | None = "1:2"  # repeated on every printed page (None: pages with headings of their own)
        self._row = 0  # the row being gathered
        self._cells: list[tuple[object, str, str] | None] = []  # its cells: (value, style, kind) or None
        self._xml: list[str] = []  # rows done, not yet in the file
        self._done = tempfile.TemporaryFile()  # rows done, as UTF-8 XML; gone when closed

    def _put(self, row: int, col: int, value: object, style: str, kind: str) -> None:
        if row != self._row:
            if row < self._row:
                raise ValueError(f"row {row} comes after row {self._row}: a sheet is written in order")
            self._end_rows(row)
        cells = self._cells
        while len(cells) < col:
            cells.append(None)
        cells[col - 1] = (value, style, kind)

    def _end_rows(self, before: int) -> None:
        """The row being gathered is done, and so is every empty row before `before`."""
        if self._row:
            self._xml.append(self._row_xml(self._row, self._cells))
            self.lines.pop(self._row, None)  # no longer needed: the row has its height
        for empty in range(self._row + 1, before):
            self._xml.append(self._row_xml(empty, []))
        self._row, self._cells = before, []
        if len(self._xml) >= 500:
            self._done.write("".join(self._xml).encode("utf-8"))
            self._xml.clear()

    def _row_xml(self, n: int, cells: list) -> str:
        """One row as SpreadsheetML, as openpyxl's write-only sheet writes it: inline strings, a
        quote prefix on text Excel would not take as text, dates as serial numbers."""
        height = self.row_height(n)
        out = [f'<row r="{n}">' if height is None else f'<row r="{n}" ht="{_number(round(height, 1))}" customHeight="1">']
        ids = self.styles
        for col, spec in enumerate(cells, 1):
            if spec is None:
                continue
            value, style, kind = spec
            ref = f"{get_column_letter(col)}{n}"
            if kind == "text":
                s = ids.id(style, value.startswith(_TEXT_PREFIX))
                if not value:
                    out.append(f'<c r="{ref}" s="{s}" t="inlineStr"/>')
                else:
                    space = ' xml:space="preserve"' if value != value.strip() else ""
                    out.append(f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{space}>{value.translate(_XML_TEXT)}</t></is></c>')
            elif kind == "number":
                out.append(f'<c r="{ref}" s="{ids.id(style)}" t="n"><v>{_number(value)}</v></c>')
            elif kind == "date":
                out.append(f'<c r="{ref}" s="{ids.id(style)}" t="n"><v>{_number(to_excel(value, ids.epoch))}</v></c>')
            else:  # a blank cell that carries its style (a band's border and fill)
                out.append(f'<c r="{ref}" s="{ids.id(style)}" t="n"/>')
        out.append("</row>")
        return "".join(out)

    def _measure(self, col: int, text: str) -> None:
        current = self.widths.get(col, 0)
        if current >= MAX_WIDTH:  # already as wide as a column gets
            return
        for line in text.split("\n"):
            if 2 * len(line) > current:  # else it cannot be wider, whatever its characters
                current = max(current, display_width(line))
        self.widths[col] = current

    def text(self, row: int, col: int, value: object, style: str = TEXT) -> None:
        text = clean_text(value)
        self._put(row, col, text, style, "text")
        if self.fixed is None and row > 1:  # the merged title row spans the columns; it does not size them
            self._measure(col, text)
        if text and style != TITLE and self.fixed is not None and (style == WRAP or style.startswith("sv-") and "\n" in text):
            n = lines_needed(text, self.fixed[col - 1])
            if n > self.lines.get(row, 1):
                self.lines[row] = n

    def date(self, row: int, col: int, value: date | None) -> None:
        if value is None:
            self.text(row, col, "—", TEXT)
            return
        self._put(row, col, value, DATE, "date")
        if self.fixed is None:
            self._measure(col, "yyyy-mm-dd")

    def number(self, row: int, col: int, value: float, style: str = NUMBER) -> None:
        self._put(row, col, value, style, "number")
        if self.fixed is None:
            self._measure(col, f"{value:.1%}" if style in (PERCENT, TOTAL_PERCENT) else str(value))

    def title(self, text: str, ncols: int, height: float = 30) -> None:
        self.text(1, 1, text, TITLE)
        self.merged.append(f"A1:{get_column_letter(ncols)}1")
        self.heights[1] = height

    def band(self, row: int, text: str, ncols: int) -> None:
        """A row across the sheet (a section heading): merged, so it prints as one line."""
        self.text(row, 1, text, BAND)
        for col in range(2, ncols + 1):
            self._put(row, col, None, BAND, "blank")
        self.merged.append(f"A{row}:{get_column_letter(ncols)}{row}")

    def header(self, headers: list[str], styles: dict[int, str] | None = None, row: int = 2) -> None:
        for col, h in enumerate(headers, 1):
            self.text(row, col, h, (styles or {}).get(col, HEADER))
        if self.fixed is not None:
            self.heights[row] = max(self.lines_for_header(headers), 1) * LINE_HEIGHT + 6

    def lines_for_header(self, headers: list[str]) -> int:
        return max(lines_needed(h, w) for h, w in zip(headers, self.fixed or ()))

    def finish(self, ncols: int, nrows: int) -> None:
        self.ncols, self.nrows = ncols, nrows

    def column_width(self, col: int) -> float:
        if self.fixed is not None:
            return self.fixed[col - 1]
        return max(MIN_WIDTH, min(self.widths.get(col, 0), MAX_WIDTH)) + 2

    def row_height(self, row: int) -> float | None:
        if row in self.heights:
            return self.heights[row]
        n = self.lines.get(row)
        if n is None:
            return None
        return min(MAX_ROW_HEIGHT, n * LINE_HEIGHT + 4)

    def write(self, wb: Workbook, name: str, lang: str) -> None:
        """Widths, frozen title and header, autofilter, printing and charts (openpyxl writes them,
        the sheet closed with no rows), then the rows spliced in."""
        self._end_rows(self._row + 1)
        ws = wb.create_sheet(name)
        ncols = self.ncols
        for col in range(1, ncols + 1):
            ws.column_dimensions[get_column_letter(col)].width = self.column_width(col)
        ws.freeze_panes = "A3"
        if self.filter:
            ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{self.nrows + 2}"
        print_setup(ws, lang, self.title_rows)
        for ref in self.merged:
            ws.merged_cells.add(ref)
        for row in self.breaks:
            ws.row_breaks.append(Break(id=row))
        for make, anchor in self.charts:  # a chart reads the sheet by its name, known only now
            ws.add_chart(make(ws), anchor)
        ws.close()  # openpyxl writes the sheet around an empty sheetData, into its temporary file
        with self._done as done:
            done.write("".join(self._xml).encode("utf-8"))
            self._xml.clear()
            done.seek(0)
            _splice_rows(ws._writer.out, iter(lambda: done.read(1 << 20), b""))


# text as XML character data: the markup characters, and a carriage return (which a parser would read as a newline)
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _number(value: float) -> str:
    """A cell's number as openpyxl writes it (compat.safe_string): 16 significant digits."""
    return "%.16g" % value


_EMPTY_ROWS = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")


def _splice_rows(path: str, rows: Iterator[bytes]) -> None:
    """Put `rows` into the empty sheetData of the sheet openpyxl wrote to its temporary file `path`
    (removed by openpyxl once the workbook is saved, or by write_ledger's clean-up on failure).
    openpyxl writes no XML declaration: the file is UTF-8 (the rest of it is ASCII)."""
    shell = Path(path).read_bytes()  # the sheet without rows: a few kilobytes
    m = _EMPTY_ROWS.search(shell)
    if m is None:  # pragma: no cover - openpyxl always writes the element
        raise RuntimeError(f"no sheetData in {path}")
    with open(path, "wb") as out:
        out.write(shell[:m.start()] + b"<sheetData>")
        for chunk in rows:
            out.write(chunk)
        out.write(b"</sheetData>" + shell[m.end():])


def print_setup(ws, lang: str, title_rows: str | None = "1:2") -> None:
    """A4 landscape, one page wide and as many down as it takes, title and header on every page
    (`title_rows`), page numbers in the footer, margins a binder can punch."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # a write-only sheet lacks the constant
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = 0.5
    margins.top, margins.bottom = 0.6, 0.7
    margins.header, margins.footer = 0.3, 0.3
    ws.oddFooter.center.text = t(lang, "layout.page_footer")
    ws.oddFooter.center.font = f"{HEAD_FONT},Regular"
    ws.oddFooter.center.size = 10
