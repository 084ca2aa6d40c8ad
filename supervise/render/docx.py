"""A `Document` as a Word file laid out as an official document (党政机关公文格式, GB/T 9704-2012).

- A4 portrait; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
- Title (level 0) centred in 方正小标宋简体 22 pt (二号); a title in several lines is one line each.
- Body in 仿宋_GB2312 16 pt (三号), fixed 28 pt line spacing, first line indented two characters;
  a paragraph's lines are Word paragraphs of their own (a justified line ending in a break is stretched).
- Headings: level 1 (一、) in 黑体, level 2 (（一）) in 楷体_GB2312, level 3 in bold 仿宋_GB2312,
  all 16 pt and indented like the body; they carry an outline level for the navigation pane.
- Tables are real Word tables (grid lines, header row repeated on every page, rows not split
  across pages) in 仿宋_GB2312 10.5 pt (五号), header row in 黑体 — the body size does not fit a
  seven-column table on A4; widths follow the columns' text.
- The 落款 is right-aligned, four characters in from the right margin, after a blank line.
- Page numbers in the footer as `— 1 —` from a PAGE field, 宋体 14 pt (四号): odd pages on the right,
  even pages on the left, one character in (GB/T 9704-2012 7.5).

Keep-with-next: every title and heading, and a paragraph leading into a table (its caption),
travels with what follows it onto the next page; so does a table's header row with its first row,
and the 落款's lines with one another.

Big tables are not built as a tree: `writer` saves the document with each table's header row
only, then streams the body rows' XML into word/document.xml as it copies the package (a
10 000-task briefing's 600 000 elements took 400 MB as python-docx objects). `word` builds the
whole tree, for a caller that wants the python-docx Document.

Fonts are named, not embedded; every run names its East Asian font (w:eastAsia) and its Latin
font (Times New Roman). Every string in the model is plain text: it lands in w:t as it is
(control characters shown as U+XXXX, the XML cannot hold them), so `=SUM(1)`, `**bold**` and
`<b>` stay literal. Nothing in here knows what a briefing is.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from typing import BinaryIO, Callable, Iterator
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from docx import Document as _new_word
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..document import Document, Heading, Paragraph, Signature, Table
from ..markdown import clean
from ..text import xml_safe

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(10.5)  # 五号: a seven-column table fits A4 with its titles readable
PAGE_SIZE = Pt(14)
LINE = Pt(28)  # fixed line spacing of the body
TITLE_LINE = Pt(35)  # a 22 pt title does not fit in 28 pt
INDENT = Pt(32)  # two characters of 16 pt

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
_TEXT_WIDTH_TWIPS = round((210 - 28 - 26) / 25.4 * 1440)

_JC = {"left": "left", "right": "right", "center": "center"}


def render(doc: Document, out: BinaryIO) -> None:
    """Write `doc` as a .docx into the binary file `out`."""
    writer(doc)(out)


def writer(doc: Document) -> Callable[[BinaryIO], None]:
    """What writes `doc` as a .docx into a binary file (give it to files.write_whole), with the
    work that can fail done now, before any file is opened: the document without its tables'
    body rows is built and saved by python-docx; the writer copies that package into the file,
    streaming the rows in where each table's marker stands (the same document `word` builds)."""
    tables: list[Table] = []
    small = io.BytesIO()
    _build(doc, tables).save(small)
    return lambda out: _copy_with_rows(small, out, tables)


def word(doc: Document):
    """`doc` as a python-docx Document (not saved): the whole tree, every row an element."""
    return _build(doc, None)


def _build(doc: Document, later: list[Table] | None):
    """The python-docx Document of `doc`. With `later` a list, each table gets its header row and,
    in place of its body rows, a marker (an XML comment numbering the table in `later`)."""
    w = _new_word()
    _page(w)
    _styles(w)
    titles = [b.text for b in doc if isinstance(b, Heading) and b.level == 0]
    if titles:
        w.core_properties.title = xml_safe(clean(" ".join(" ".join(titles).split())))
    blocks = list(doc)
    for i, block in enumerate(blocks):
        previous = blocks[i - 1] if i else None
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(block, Heading):
            if block.level == 0:
                _title(w, block.text)
            else:
                if isinstance(previous, Heading) and previous.level == 0:
                    _blank(w, keep_with_next=True)  # one empty line between the title and the text
                _heading(w, block)
        elif isinstance(block, Paragraph):
            if isinstance(previous, Heading) and previous.level == 0:
                _blank(w, keep_with_next=True)
            _paragraph(w, block.lines, keep_with_next=isinstance(following, Table))
        elif isinstance(block, Table):
            _table(w, block, later)
        elif isinstance(block, Signature):
            _blank(w, keep_with_next=True)
            _signature(w, block.lines)
        else:  # pragma: no cover - the model has no other blocks
            raise TypeError(f"not a block: {block!r}")
    return w


_MARK = re.compile(rb"<!--supervise-rows-(\d+)-->")
_BATCH = 200  # rows encoded and compressed at a time


def _copy_with_rows(small: io.BytesIO, out: BinaryIO, tables: list[Table]) -> None:
    """Copy the package in `small` into `out`, member by member in the same order, writing each
    table's body rows where its marker stands in word/document.xml. If writing fails midway the
    half-written archive is let go (write_whole removes the file): nothing is finished later."""
    zout = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    try:
        with zipfile.ZipFile(small) as zin:
            for info in zin.infolist():
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
                if info.filename != "word/document.xml":
                    zout.writestr(copy, zin.read(info))
                    continue
                xml = zin.read(info)
                with zout.open(copy, "w") as dst:
                    at = 0
                    for m in _MARK.finditer(xml):
                        dst.write(xml[at:m.start()])
                        for chunk in _body_rows(tables[int(m.group(1))]):
                            dst.write(chunk)
                        at = m.end()
                    dst.write(xml[at:])
    except BaseException:
        zout.fp = None  # nothing to finish: the temporary file is removed
        raise
    zout.close()


# --- page, styles -------------------------------------------------------------------------------


def _page(w) -> None:
    for section in w.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for name, value in MARGINS.items():
            setattr(section, name, value)
        section.footer_distance = Mm(28) - Mm(7)  # the page number sits 7 mm below the text block
        # GB/T 9704-2012 7.5: an odd page's number on the right, an even page's on the left, one
        # character (四号) in from the text block's edge
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    w.settings.odd_and_even_pages_header_footer = True


def _page_number(footer, side) -> None:
    """`— 1 —` from a PAGE field, on `side`, one character in."""
    footer.alignment = side
    if side == WD_ALIGN_PARAGRAPH.RIGHT:
        footer.paragraph_format.right_indent = PAGE_SIZE
    else:
        footer.paragraph_format.left_indent = PAGE_SIZE
    _run(footer._p, "— ", PAGE_FONT, PAGE_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    _run(field, "1", PAGE_FONT, PAGE_SIZE)
    footer._p.append(field)
    _run(footer._p, " —", PAGE_FONT, PAGE_SIZE)


def _styles(w) -> None:
    """Normal is the body (so that an empty or edited paragraph looks right too); no theme fonts."""
    defaults = w.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                if attr.endswith("Theme"):
                    del fonts.attrib[attr]
            _fonts(fonts, BODY_FONT)
    normal = w.styles["Normal"]
    normal.font.size = BODY_SIZE
    _fonts(normal.element.get_or_add_rPr().get_or_add_rFonts(), BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)


def _fonts(fonts, east_asian: str) -> None:
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


# --- runs and paragraphs ------------------------------------------------------------------------


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@lru_cache(maxsize=64)
def _rpr(font: str, half_points: int, bold: bool) -> str:
    f = quoteattr(font)
    latin = quoteattr(LATIN_FONT)
    return (f'<w:rPr><w:rFonts w:ascii={latin} w:hAnsi={latin} w:cs={latin} w:eastAsia={f} w:hint="eastAsia"/>'
            + ("<w:b/><w:bCs/>" if bold else "") + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')


def _runs_xml(text: str, font: str, size, bold: bool = False) -> str:
    """The runs of `text` as WordprocessingML: one run a line, a line break as w:br; the text escaped
    for XML (so it is only ever text) and cleaned of what XML cannot hold."""
    rpr = _rpr(font, int(size.pt * 2), bold)
    lines = xml_safe(clean(str(text))).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "".join(f'<w:r>{rpr}{"<w:br/>" if i else ""}<w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r>'
                   for i, line in enumerate(lines))


def _run(parent, text: str, font: str, size, bold: bool = False) -> None:
    """Runs of `text` appended to `parent` (a w:p or w:fldSimple)."""
    holder = parse_xml(f"<w:p {_W}>{_runs_xml(text, font, size, bold)}</w:p>")
    for r in list(holder):
        parent.append(r)


def _para(w, align=None, *, indent=None, line=LINE, outline: int | None = None, keep_with_next: bool = False):
    p = w.add_paragraph()
    fmt = p.paragraph_format
    if keep_with_next:
        fmt.keep_with_next = True
    if align is not None:
        p.alignment = align
    if indent is not None:
        fmt.first_line_indent = indent
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        p._p.get_or_add_pPr().append(level)
    return p


def _blank(w, keep_with_next: bool = False) -> None:
    _run(_para(w, keep_with_next=keep_with_next)._p, "", BODY_FONT, BODY_SIZE)


def _title(w, text: str) -> None:
    p = _para(w, WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_LINE, outline=0, keep_with_next=True)
    _run(p._p, " ".join(str(text).split()), TITLE_FONT, TITLE_SIZE)


def _heading(w, h: Heading) -> None:
    font, bold = {1: (H1_FONT, False), 2: (H2_FONT, False)}.get(h.level, (BODY_FONT, True))
    p = _para(w, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=INDENT, outline=min(h.level, 8), keep_with_next=True)
    _run(p._p, " ".join(str(h.text).split()), font, BODY_SIZE, bold)


def _paragraph(w, lines, keep_with_next: bool = False) -> None:
    """One Word paragraph per line: a justified line ending in a break would be stretched.
    `keep_with_next`: it leads into a table, and every line of it travels with the table."""
    for line in lines:
        for part in str(line).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            p = _para(w, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=INDENT, keep_with_next=keep_with_next)
            _run(p._p, part, BODY_FONT, BODY_SIZE)


def _signature(w, lines) -> None:
    """The 落款's lines, kept together (the office's name does not end a page without the date)."""
    for i, line in enumerate(lines):
        p = _para(w, WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=i + 1 < len(lines))
        p.paragraph_format.right_indent = 4 * BODY_SIZE  # 右空四字
        _run(p._p, line, BODY_FONT, BODY_SIZE)


# --- tables -------------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns of text as printed: a CJK character is two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


_HALF = round(TABLE_SIZE.pt * 10)  # twips of half a character of table text
_CELL_MARGIN = 57  # twips (1 mm) left and right inside a cell
_PAD = 2 * _CELL_MARGIN + 30  # the cell's margins, and some air
_MIN_WIDE = 10 * _HALF + _PAD  # a column of long text keeps five characters a line
_MIN_WEIGHTED = 6 * _HALF + _PAD  # ...or three, where the table's weights share a narrow page among many columns


def _widths(block: Table) -> list[int]:
    """Column widths in twips filling the text width. A short column (an id, a date, a unit, a count:
    what fits in a quarter of the width) gets what its header and its (sampled) cells need on one
    line; a long one (a title, a reason, a note) at least five characters a line, and the rest of
    the width in proportion to what it lacks. A table with weights: its short columns (weight 0) on
    one line, the width left shared by weight (if each long column keeps three characters a line)."""
    n = len(block.headers)
    need = [_width(h) for h in block.headers]  # a header is not broken
    for row in block.rows[:300]:
        for i, c in enumerate(row[:n]):
            longest = max((_width(part) for part in str(c).split("\n")), default=0)
            need[i] = max(need[i], min(longest, 60))
    need = [x * _HALF + _PAD for x in need]
    room = _TEXT_WIDTH_TWIPS
    weights = block.weights
    if weights is not None and len(weights) == n and any(weights):
        short = sum(need[i] for i in range(n) if not weights[i])
        left, share = room - short, sum(weights)
        if all(left * w // share >= _MIN_WEIGHTED for w in weights if w):
            widths = [left * weights[i] // share if weights[i] else need[i] for i in range(n)]
            widths[max(range(n), key=lambda i: weights[i])] += room - sum(widths)  # to the widest: exactly the width
            return widths
    if sum(need) <= room:
        widths = [x * room // sum(need) for x in need]
    else:
        floor = [x if x <= room // 4 else _MIN_WIDE for x in need]
        if sum(floor) >= room:
            widths = [x * room // sum(floor) for x in floor]
        else:
            lack = [need[i] - floor[i] for i in range(n)]
            extra = room - sum(floor)
            widths = [floor[i] + extra * lack[i] // (sum(lack) or 1) for i in range(n)]
    widths[-1] += room - sum(widths)  # fill the text width exactly
    return widths


def _table(w, block: Table, later: list[Table] | None) -> None:
    """The table's properties, grid and header row; its body rows appended (later None) or left
    for _copy_with_rows, a marker numbering the table in `later` where they go."""
    table = w.add_table(rows=0, cols=len(block.headers))
    table.style = "Table Grid"
    tbl = table._tbl
    widths = _widths(block)
    tbl_pr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout"):
        old = tbl_pr.find(qn(tag))
        if old is not None:
            tbl_pr.remove(old)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_pr.append(tbl_w)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    tbl_pr.append(parse_xml(f'<w:tblCellMar {_W}><w:left w:w="{_CELL_MARGIN}" w:type="dxa"/>'
                            f'<w:right w:w="{_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'))
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(width))
    header = _row_xml(block.headers, ["center"] * len(block.headers), widths, header=True, keep=bool(block.rows))
    tbl.append(parse_xml(f"<w:tbl {_W}>{header}</w:tbl>")[0])
    if later is not None:
        tbl.append(parse_xml(f"<w:tbl {_W}><!--supervise-rows-{len(later)}--></w:tbl>")[0])
        later.append(block)
        return
    for chunk in _body_rows(block):  # parsed in batches: one parse instead of an element at a time
        for tr in list(parse_xml(b'<w:tbl ' + _W.encode() + b'>' + chunk + b'</w:tbl>')):
            tbl.append(tr)


def _body_rows(block: Table) -> Iterator[bytes]:
    """The table's body rows as UTF-8 WordprocessingML, _BATCH rows a piece."""
    n = len(block.headers)
    align = list(block.align) if block.align else ["left"] * n
    widths = _widths(block)
    rows = block.rows
    for start in range(0, len(rows), _BATCH):
        yield "".join(_row_xml(row, align, widths, header=False) for row in rows[start:start + _BATCH]).encode("utf-8")


def _row_xml(cells, align, widths, *, header: bool, keep: bool = False) -> str:
    """One table row: cantSplit (a row stays on one page); the header row marked tblHeader, which
    Word and LibreOffice repeat at the top of every page the table runs onto, and with `keep` its
    paragraphs kept with the next row (a header does not end a page alone)."""
    font = H1_FONT if header else BODY_FONT
    keep_next = "<w:keepNext/>" if keep else ""
    out = ["<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"]
    for text, a, width in zip(cells, align, widths):
        out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                   f'<w:p><w:pPr>{keep_next}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
                   f'<w:jc w:val="{_JC.get(a, "left")}"/></w:pPr>'
                   f'{_runs_xml("" if text is None else text, font, TABLE_SIZE)}</w:p></w:tc>')
    out.append("</w:tr>")
    return "".join(out)
