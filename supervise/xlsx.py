"""A small reader of the cell values of an .xlsx workbook (what `collect` needs, six times faster
than openpyxl), and its counterpart for writing big sheets (`SheetRows`, what `forms` needs).

openpyxl builds an object per cell, per style and per shared string; reading the forms of a
10,000-task office that way took most of `collect`'s time. This reads the package's XML with
the standard library's pull parser (fed 16 MB at a time, `_xml`) and keeps, per row, only
{column index: value}:

* shared and inline strings as text (phonetic runs left out), booleans, error values as text;
* a formula as its text with a leading `=`, as openpyxl gives it with data_only=False, so that
  `=SUM(1)` typed into a text cell is read as those characters, never as its result;
* numbers as int or float, and as a datetime where the cell's number format is a date format
  (Excel stores dates as serial numbers; the 1904 date system is honoured; the East Asian
  built-in formats a Chinese Excel or WPS leaves unspelt count as dates); a negative one,
  which Excel shows as ####, stays the number;
* a number in a percentage format as the text the cell shows, `85%` (typing 85% into Excel
  stores 0.85), so that the reader of an indicator's value sees the unit that was typed.
* text with Excel's escapes undone (_x000D_ is the carriage return of a line pasted from Word),
  which openpyxl leaves in.

Anything that is not a readable workbook raises ValueError (CompoundFile for an Excel 97-2003
.xls or a workbook with a password, told by its first bytes). Pure: no clock; the writer writes
only into the file it is given.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
from copy import copy
from datetime import date, datetime
from typing import Iterator
from xml.etree.ElementTree import ParseError, XMLPullParser

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, to_excel

from .files import read_regular
from .ledger.cells import _TEXT_PREFIX as TEXT_PREFIX  # the ledger's rule of text Excel would not keep as text
from .ledger.cells import clean_text, unescaped

# What the XML parser is fed at a time. iterparse feeds 16 KB, and expat (2.5) scans a token left
# unfinished at the end of a feed again at the next: one huge token (a damaged or hostile part: a
# 285 KB form whose workbook.xml unzips to one 300 MB tag) took time growing as its square, past
# five minutes. Fed 16 MB at a time it is refused in seconds.
_FEED = 16 * 1024 * 1024
FORM_LIMIT = 100 * 1024 * 1024  # a filled-in form is a few hundred KB; a 10,000-task office's biggest a few MB
_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]+)([0-9]+)")
# built-in date and time formats: the international ones, and the East Asian ones (27–36, 50–58) that
# a Chinese Excel or WPS writes without spelling them out (31 is yyyy"年"m"月"d"日", 57 yyyy"年"m"月" …)
_QUOTED = re.compile(r'"[^"]*"|\\.')  # the literal parts of a number format ("年", \%)
_DATE_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, *range(27, 37), *range(50, 59)}


def _col(letters: str) -> int:
    """'A' → 0, 'AB' → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _text(el) -> str:
    """The text of an <si> or <is>: its <t>, or its runs' <t>, without phonetic (<rPh>) runs."""
    parts = []
    for child in el:
        if child.tag == _M + "t":
            parts.append(child.text or "")
        elif child.tag == _M + "r":
            t = child.find(_M + "t")
            if t is not None:
                parts.append(t.text or "")
    return unescaped("".join(parts))


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Excel 97-2003 .xls, WPS .et, an encrypted .xlsx


class CompoundFile(ValueError):
    """The file is an OLE2 compound file, not a zip: a workbook saved in the old .xls format (Excel
    97-2003, or WPS's .et), or an .xlsx with a password (Excel encrypts it into one)."""


class Workbook:
    """The sheets of one workbook, their visibility, and their rows' values."""

    def __init__(self, path):
        if isinstance(path, str | os.PathLike):
            # through the one reader of documents: a FIFO or device named as a form must not hang `collect`
            path = io.BytesIO(read_regular(path, FORM_LIMIT))
        if path.read(len(OLE2_MAGIC)) == OLE2_MAGIC:
            raise CompoundFile("an OLE2 compound file")
        path.seek(0)
        try:
            self._zip = zipfile.ZipFile(path)
            self._read_workbook()
            self._strings = self._read_strings()
            self._dates, self._percents = self._read_styles()
        except (zipfile.BadZipFile, KeyError, ParseError, ValueError) as err:
            self.close()
            raise ValueError(f"{type(err).__name__}: {err}") from None

    def close(self) -> None:
        z = getattr(self, "_zip", None)
        if z is not None:
            z.close()

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _xml(self, name: str, events: tuple[str, ...] = ("end",)):
        """(event, element) of a part, as iterparse gives them, fed to the parser _FEED bytes at a time."""
        parser = XMLPullParser(events=events)
        with self._zip.open(name) as stream:
            while chunk := stream.read(_FEED):
                parser.feed(chunk)
                yield from parser.read_events()
        parser.close()
        yield from parser.read_events()

    def _read_workbook(self) -> None:
        names = set(self._zip.namelist())
        book = "xl/workbook.xml"
        if book not in names:
            raise KeyError("no xl/workbook.xml")
        targets = {}
        rels = "xl/_rels/workbook.xml.rels"
        if rels in names:
            for _, el in self._xml(rels):
                if el.tag == _PR + "Relationship":
                    target = el.get("Target", "")
                    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                    targets[el.get("Id")] = path
        self.sheets: list[tuple[str, str, str]] = []  # (name, state, part)
        self._epoch = CALENDAR_WINDOWS_1900
        for _, el in self._xml(book):
            if el.tag == _M + "sheet":
                part = targets.get(el.get(_R + "id"), "")
                self.sheets.append((el.get("name", ""), el.get("state", "visible"), part))
            elif el.tag == _M + "workbookPr" and el.get("date1904") in ("1", "true"):
                self._epoch = CALENDAR_MAC_1904

    def _read_strings(self) -> list[str]:
        name = "xl/sharedStrings.xml"
        if name not in self._zip.namelist():
            return []
        out = []
        for _, el in self._xml(name):
            if el.tag == _M + "si":
                out.append(_text(el))
                el.clear()
        return out

    def _read_styles(self) -> tuple[set[int], set[int]]:
        """The indices of cell formats (the `s` of a cell) whose number format is a date, and those
        whose number format is a percentage."""
        name = "xl/styles.xml"
        if name not in self._zip.namelist():
            return set(), set()
        custom: dict[int, str] = {}
        xfs: list[int] = []
        in_xfs = False
        for event, el in self._xml(name, ("start", "end")):
            if el.tag == _M + "cellXfs":
                in_xfs = event == "start"
            elif event == "end" and el.tag == _M + "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
            elif event == "end" and el.tag == _M + "xf" and in_xfs:
                xfs.append(int(el.get("numFmtId", "0")))
        dates, percents = set(), set()
        for index, fmt_id in enumerate(xfs):
            if fmt_id in custom:
                code = custom[fmt_id]
            elif fmt_id in _DATE_IDS:
                dates.add(index)
                continue
            else:
                code = BUILTIN_FORMATS.get(fmt_id, "")
            if is_date_format(code):
                dates.add(index)
            elif "%" in _QUOTED.sub("", code):
                percents.add(index)
        return dates, percents

    def rows(self, sheet: str) -> Iterator[tuple[int, dict[int, object]]]:
        """(row number, {column index from 0: value}) for every row holding a value, in order."""
        part = next((p for name, _, p in self.sheets if name == sheet), None)
        if part is None:
            raise KeyError(sheet)
        try:
            yield from self._rows(part)
        except (KeyError, IndexError, ParseError, ValueError) as err:  # IndexError: a shared string not in the table
            raise ValueError(f"{sheet}: {type(err).__name__}: {err}") from None

    def _rows(self, part: str):
        strings, dates, percents, epoch = self._strings, self._dates, self._percents, self._epoch
        c_tag, row_tag = _M + "c", _M + "row"
        v_tag, f_tag, is_tag = _M + "v", _M + "f", _M + "is"
        columns: dict[str, int] = {}  # a reference's letters → column index, worked out once
        values: dict[int, object] = {}
        col = -1
        next_row = 1
        for _, el in self._xml(part):
            tag = el.tag
            if tag == c_tag:
                ref = el.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    col = columns.get(letters, -1)
                    if col < 0:
                        if _REF.fullmatch(ref) is None:
                            raise ValueError(f"cell reference {ref!r}")
                        col = columns[letters] = _col(letters)
                else:  # cells without a reference follow one another
                    col += 1
                value = self._value(el, strings, dates, percents, epoch, v_tag, f_tag, is_tag)
                if value is not None and value != "":
                    values[col] = value
                el.clear()
            elif tag == row_tag:
                number = int(el.get("r") or next_row)
                if values:
                    yield number, values
                values = {}
                col = -1
                next_row = number + 1
                el.clear()

    @staticmethod
    def _value(el, strings, dates, percents, epoch, v_tag, f_tag, is_tag):
        f = el.find(f_tag)
        if f is not None:
            return "=" + (f.text or "")
        kind = el.get("t", "n")
        if kind == "inlineStr":
            inline = el.find(is_tag)
            return _text(inline) if inline is not None else None
        v = el.find(v_tag)
        if v is None or v.text is None:
            return None
        text = v.text
        if kind == "s":
            return strings[int(text)]
        if kind == "str":
            return unescaped(text)
        if kind == "e":
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return datetime.fromisoformat(text)
        number = float(text) if any(ch in text for ch in ".eE") else int(text)
        style = el.get("s")
        if style is not None:
            if int(style) in dates and number >= 0:  # before the epoch Excel has no date (it shows ####)
                try:
                    return from_excel(number, epoch)
                except (OverflowError, ValueError):  # 20211015 typed into a date cell: no date (Excel shows ####)
                    return number
            if int(style) in percents:  # 85% typed into a cell is 0.85 shown as a percentage
                # as typed (85.125%), not rounded as a list shows a number: the value is recorded
                return f"{round(number * 100, 9):.15g}%"
        return number


# --- writing: a sheet's rows as SpreadsheetML, into the package openpyxl makes ----------------------


_BAD_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")  # characters XML 1.0 cannot carry (controls are cleaned before)
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class SheetRows:
    """A worksheet's rows, written as the XML openpyxl would write for them, without a Cell object per cell.

    openpyxl keeps every cell as an object with its style and writes it through lxml one element
    at a time: for the forms of a 10,000-task office (370,000 cells) that was nine tenths of the
    time and, with the cyclic collector paused, most of the memory. Here openpyxl still makes the
    frame of the workbook — the styles, merged cells, widths, frozen panes, printing, protection,
    the other parts — with the sheet left without cells, and `save` puts these rows into its
    sheetData. Cells are what openpyxl writes: text as inline strings (cleaned by the ledger's
    `clean_text`, and with the quote prefix where Excel would take text for a formula, as
    `text_cell` does), dates as serial numbers in a date style, numbers, booleans, and styled
    empty cells; each style is a named style of the workbook, looked up once.
    """

    def __init__(self, wb, ws):
        self._wb, self._ws = wb, ws
        self._xf: dict[tuple[str | None, bool], int] = {}
        self._parts: list[str] = []
        self.last_row = self.last_col = 0

    def _style(self, name: str | None, quote: bool = False) -> int:
        """The index of a named style (None: the default) in the workbook's cell formats."""
        key = (name, quote)
        xf = self._xf.get(key)
        if xf is None:
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles.cell_style import StyleArray

            array = StyleArray()  # the default format, the workbook's first
            if name is not None:
                probe = WriteOnlyCell(self._ws)  # a cell that is in no sheet: only its style is wanted
                probe.style = name
                array = copy(probe._style)
            if quote:
                array.quotePrefix = 1
            xf = self._xf[key] = self._wb._cell_styles.add(array)
        return xf

    def row(self, r: int, cells, height: float | None = None) -> None:
        """Row `r` (after the rows written before it): `cells` are (value, named style or None) from
        column A on; a None value with a style is an empty styled cell, without one nothing."""
        out = [f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">']
        for col, (value, style) in enumerate(cells, 1):
            ref = f"{get_column_letter(col)}{r}"
            if isinstance(value, str):
                text = clean_text(value)
                xf = self._style(style, text.startswith(TEXT_PREFIX))
                s = f' s="{xf}"' if xf else ""
                space = ' xml:space="preserve"' if text != text.strip() else ""
                out.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>')
                continue
            xf = self._style(style) if style is not None else 0
            s = f' s="{xf}"' if xf else ""
            if value is None:
                if xf:
                    out.append(f'<c r="{ref}"{s}/>')
                continue
            if isinstance(value, bool):
                out.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (date, datetime)):
                out.append(f'<c r="{ref}"{s} t="n"><v>{to_excel(value):.17g}</v></c>')
            elif isinstance(value, (int, float)):
                out.append(f'<c r="{ref}"{s} t="n"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"{ref}: {type(value).__name__}")
        out.append("</row>")
        self._parts.append("".join(out))
        self.last_row = max(self.last_row, r)
        self.last_col = max(self.last_col, len(cells))

    def _splice(self, xml: bytes) -> bytes:
        body = "".join(self._parts)
        bad = _BAD_XML.search(body)
        if bad:  # as openpyxl would refuse it: a file Excel cannot open is not written
            raise ValueError(f"not a character an Excel cell can hold: U+{ord(bad.group()):04X}")
        m = _SHEET_DATA.search(xml)
        if m is None:
            raise ValueError("the sheet was given cells of its own")
        data = b"<sheetData>" + body.encode("utf-8") + b"</sheetData>"
        xml = xml[:m.start()] + data + xml[m.end():]
        if self.last_row:
            ref = f"A1:{get_column_letter(max(1, self.last_col))}{self.last_row}"
            xml = _DIMENSION.sub(f'<dimension ref="{ref}"/>'.encode(), xml, count=1)
        return xml


def save(wb, sheets: list[SheetRows], out) -> None:
    """Save `wb` (made by openpyxl, its `sheets` without cells) into the binary file `out`, with
    each sheet's rows. The package is openpyxl's, part for part; only the sheets' XML is changed."""
    buffer = io.BytesIO()
    wb.save(buffer)
    rows = {}
    for sheet in sheets:
        rows[sheet._ws.path.lstrip("/")] = sheet  # the part openpyxl has just written the sheet to
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            sheet = rows.pop(info.filename, None)
            if sheet is not None:
                data = sheet._splice(data)
            dst.writestr(info, data)  # openpyxl's entry as it was: its name, time stamp and compression
    if rows:
        raise ValueError(f"no such part: {', '.join(rows)}")
