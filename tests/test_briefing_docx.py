"""The briefing in Word (supervise/render/docx.py, `brief --format docx`): the file is opened with
python-docx and its page setup, fonts (East Asian font named on every run), sizes, line spacing,
footer PAGE field and repeated header rows are asserted; user text stays literal; the Markdown
and Word renderings of one briefing hold the same task ids, counts and notes.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from supervise.briefing import build_briefing, render_briefing
from supervise.cli import cli
from supervise.document import Document, Heading, Paragraph, Signature, Table
from supervise.render import docx as word
from supervise.render import markdown as md

from test_briefing import AS_OF, build_db, record_history, snapshot_of

D = date
HOSTILE = ("=SUM(1)", "**bold**", "<b>x</b>", "a | b", "# not a heading", "[red]x[/red]")


def _history(store) -> None:
    record_history(store)
    for i, text in enumerate(HOSTILE):  # the latest note of a red task is the last one
        store.add_note("fx-2021-key/4", text, D(2021, 10, 20 + i))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("docx"), history=_history)


@pytest.fixture(scope="module")
def snap(db):
    return snapshot_of(db)


@pytest.fixture(scope="module")
def zh_doc(snap) -> Document:
    return build_briefing(snap, AS_OF, "zh")


@pytest.fixture(scope="module")
def opened(zh_doc):
    buf = io.BytesIO()
    word.render(zh_doc, buf)
    return docx.Document(io.BytesIO(buf.getvalue()))


def _runs(d):
    """Every w:r in the body, the footer and the tables."""
    yield from d.element.body.iter(qn("w:r"))
    for s in d.sections:
        yield from s.footer._element.iter(qn("w:r"))


def _font(run, attr="w:eastAsia"):
    fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
    return fonts.get(qn(attr))


def _size(run) -> float:
    return int(run.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val"))) / 2


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


# --- the page -----------------------------------------------------------------------------------


def test_page_is_a4_portrait_with_the_official_margins(opened):
    s = opened.sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731 - Word keeps twips: 210 mm is 11906 twips
    assert (mm(s.page_width), mm(s.page_height)) == (210, 297)
    assert s.orientation == WD_ORIENT.PORTRAIT
    assert [mm(x) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]


def test_footer_page_number_is_a_page_field_between_dashes(opened):
    """GB/T 9704-2012 7.5: an odd page's number on the right, an even page's on the left, each one
    四号 character (14 pt) in from the text block (they were centred on every page)."""
    assert opened.settings.odd_and_even_pages_header_footer
    section = opened.sections[0]
    for footer, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == side
        indent = p.paragraph_format.right_indent if side == WD_ALIGN_PARAGRAPH.RIGHT else p.paragraph_format.left_indent
        assert indent == Pt(14)
        fields = p._p.findall(qn("w:fldSimple"))
        assert len(fields) == 1 and fields[0].get(qn("w:instr")).strip() == "PAGE"
        assert _text(p._p) == "— 1 —"  # "1" is the field's cached result; Word and LibreOffice recompute it


# --- fonts, sizes, spacing ----------------------------------------------------------------------


def test_every_run_names_its_east_asian_font(opened):
    runs = list(_runs(opened))
    assert len(runs) > 100
    for r in runs:
        assert _font(r) in {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"}, _text(r)
        assert _font(r, "w:ascii") == "Times New Roman"
    # and nothing is embedded
    assert opened.settings.element.find(qn("w:embedTrueTypeFonts")) is None


def test_title_headings_and_body(opened):
    paras = opened.paragraphs
    title = paras[:2]
    assert [p.text for p in title] == ["示范市养老服务工作领导小组办公室", "行动计划推进情况汇报"]
    for p in title:
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        for r in p._p.iter(qn("w:r")):
            assert (_font(r), _size(r)) == ("方正小标宋简体", 22)
    h1 = next(p for p in paras if p.text == "一、总体情况")
    h2 = next(p for p in paras if p.text.startswith("（一）红色事项"))
    for p, font in ((h1, "黑体"), (h2, "楷体_GB2312")):
        for r in p._p.iter(qn("w:r")):
            assert (_font(r), _size(r)) == (font, 16)
    body = next(p for p in paras if p.text.startswith("截至2021年10月31日，2个计划"))
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28)
    for r in body._p.iter(qn("w:r")):
        assert (_font(r), _size(r)) == ("仿宋_GB2312", 16)
    # the body style too (what a clerk types into the file looks the same)
    normal = opened.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_every_body_paragraph_has_fixed_28pt_spacing(opened):
    for p in opened.paragraphs:
        if p.text and not any(_font(r) == "方正小标宋简体" for r in p._p.iter(qn("w:r"))):
            assert p.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY, p.text
            assert p.paragraph_format.line_spacing == Pt(28), p.text


# --- tables -------------------------------------------------------------------------------------


def test_tables_are_real_tables_whose_header_repeats(opened):
    assert len(opened.tables) >= 8
    for table in opened.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows[1:]:
            tr_pr = row._tr.trPr
            assert tr_pr is None or tr_pr.find(qn("w:tblHeader")) is None
    red = opened.tables[2]
    assert [c.text for c in red.rows[0].cells][:3] == ["编号", "任务", "牵头单位"]
    assert red.rows[1].cells[0].text == "fx-2021/2.2"
    for r in red._tbl.iter(qn("w:r")):
        assert _font(r) in ("仿宋_GB2312", "黑体") and _size(r) == 10.5  # 五号 in tables


def _keeps(p) -> bool:
    """The paragraph's own w:keepNext (python-docx's keep_with_next reads the same flag)."""
    ppr = p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:keepNext")) is not None


def test_headings_and_table_captions_keep_with_next(opened):
    """A heading never sits alone at a page foot: titles and headings carry keepNext, and so does
    the paragraph that leads into a table (and the table's header row, kept with its first row)."""
    body = opened.element.body
    paras = body.findall(qn("w:p"))
    headings = [p for p in paras if p.find(qn("w:pPr")) is not None and p.find(qn("w:pPr")).find(qn("w:outlineLvl")) is not None]
    assert len(headings) >= 10  # the two title lines, 一、… and （一）…
    assert all(_keeps(p) for p in headings), [_text(p) for p in headings if not _keeps(p)]
    assert any(_text(p).startswith("（一）红色事项") for p in headings)
    # what stands just before each table keeps with it: a caption paragraph or a heading
    children = list(body)
    tables = [i for i, el in enumerate(children) if el.tag == qn("w:tbl")]
    assert len(tables) >= 8
    for i in tables:
        before = children[i - 1]
        assert before.tag == qn("w:p") and _keeps(before), _text(before)
    intro = next(p for p in paras if _text(p) == "历次推进会时点任务状态：")  # the trend table's lead-in, a body paragraph
    assert _keeps(intro) and intro not in headings
    # the header row keeps with the first body row; the body rows do not chain the table together
    for i in tables:
        rows = children[i].findall(qn("w:tr"))
        if len(rows) > 1:
            assert all(_keeps(p) for p in rows[0].iter(qn("w:p")))
            assert not any(_keeps(p) for r in rows[1:] for p in r.iter(qn("w:p")))
    # plain body text does not (it would drag pages along); the 落款's lines keep together
    overall = next(p for p in paras if _text(p).startswith("截至2021年10月31日，2个计划"))
    assert not _keeps(overall)
    office, day = [p for p in paras if _text(p)][-2:]
    assert (_text(office), _text(day)) == ("示范市养老服务工作领导小组办公室", "2021年10月31日")
    assert _keeps(office) and not _keeps(day)


def test_streamed_rows_make_the_same_document_as_the_whole_tree(zh_doc, opened):
    """writer() streams the tables' rows into the file; word() builds them as elements: one document."""
    tree = word.word(zh_doc).element.body
    assert tree.xml == opened.element.body.xml
    assert "supervise-rows" not in opened.element.body.xml  # no marker left behind


class _FullDisk(io.BytesIO):
    """A file that fills up after `room` bytes, as a disk does."""

    def __init__(self, room: int):
        super().__init__()
        self.room, self.full = room, False

    def write(self, data) -> int:
        if self.full or self.tell() + len(data) > self.room:
            self.full = True  # and stays full: a later write (the zip's directory) fails too
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_a_write_that_fails_midway_raises_once_and_leaves_nothing_to_finish(zh_doc, monkeypatch):
    """The rows stream into the file: a full disk midway is the caller's error (write_whole removes
    the file), and the half-written zip is not finished later by the garbage collector."""
    import gc

    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    write = word.writer(zh_doc)  # built before any file is opened
    whole = io.BytesIO()
    write(whole)
    out = _FullDisk(len(whole.getvalue()) // 2)
    with pytest.raises(OSError, match="No space"):
        write(out)
    gc.collect()
    assert unraisable == []
    assert len(out.getvalue()) <= len(whole.getvalue()) // 2


# --- user text ----------------------------------------------------------------------------------


def test_user_text_is_literal(opened):
    texts = [c.text for t in opened.tables for row in t.rows for c in row.cells]
    latest = next(x for x in texts if "[red]x[/red]" in x)
    assert latest.endswith("[red]x[/red]")
    body = "\n".join(texts)
    # the earlier notes are not the latest; check them through a document of our own
    d = Document((Paragraph(HOSTILE), Table(("a",), tuple((h,) for h in HOSTILE))))
    buf = io.BytesIO()
    word.render(d, buf)
    back = docx.Document(io.BytesIO(buf.getvalue()))
    assert [p.text for p in back.paragraphs] == list(HOSTILE)  # a line each
    assert [r.cells[0].text for r in back.tables[0].rows[1:]] == list(HOSTILE)
    xml = back.element.xml
    assert "<w:b/>" not in xml and "w:fldSimple" not in back.element.body.xml  # no markup, no formula
    assert "U+" not in body


def test_control_characters_are_shown_not_obeyed():
    d = Document((Paragraph(("a\x00b\x1b[31mc\uffff & <w:t>",)),))
    buf = io.BytesIO()
    word.render(d, buf)
    assert docx.Document(io.BytesIO(buf.getvalue())).paragraphs[0].text == "aU+0000bU+001B[31mcU+FFFF & <w:t>"


def test_a_title_xml_cannot_hold_is_shown_in_the_properties_too():
    """The title goes into docProps/core.xml as well: a noncharacter there was a ValueError (exit 70)."""
    d = Document((Heading("计划\ufffe甲\uffff", 0), Paragraph(("x",))))
    buf = io.BytesIO()
    word.render(d, buf)
    back = docx.Document(io.BytesIO(buf.getvalue()))
    assert back.core_properties.title == "计划U+FFFE甲U+FFFF"
    assert back.paragraphs[0].text == "计划U+FFFE甲U+FFFF"


def test_signature_is_right_aligned(opened):
    last = [p for p in opened.paragraphs if p.text][-2:]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in last)


# --- the two renderings say the same --------------------------------------------------------------


def test_markdown_and_word_hold_the_same_ids_counts_and_notes(zh_doc, opened):
    text = md.render(zh_doc)
    word_texts = [p.text for p in opened.paragraphs] + [
        c.text for t in opened.tables for row in t.rows for c in row.cells]
    word_text = "\n".join(word_texts)
    ids = set(re.findall(r"fx-2021(?:-key)?/[\d.]+", text))
    assert len(ids) >= 10
    assert ids == set(re.findall(r"fx-2021(?:-key)?/[\d.]+", word_text))
    for key in ids:
        assert text.count(f"| {key} |") + text.count(f"{key} ") >= 1
    # the counts sentence and every count table cell
    counts = re.findall(r"红色(\d+)项、黄色(\d+)项、绿色(\d+)项、已完成(\d+)项", text)
    assert counts and counts == re.findall(r"红色(\d+)项、黄色(\d+)项、绿色(\d+)项、已完成(\d+)项", word_text)
    # every note as written
    for note in ("第三季度培训家庭照护者1000人。", "方案初稿已完成 | 正在征求意见", "[red]x[/red]"):
        assert note in word_text
    assert "方案初稿已完成 \\| 正在征求意见" in text and "\\[red\\]x\\[/red\\]" in text
    # the same cells in the same order, table by table
    assert len(opened.tables) == sum(1 for b in zh_doc if isinstance(b, Table))
    for block, table in zip((b for b in zh_doc if isinstance(b, Table)), opened.tables):
        assert [c.text for c in table.rows[0].cells] == list(block.headers)
        assert [[c.text for c in r.cells] for r in table.rows[1:]] == [list(r) for r in block.rows]


# --- a general renderer -------------------------------------------------------------------------


def test_any_document_renders_in_both_formats():
    d = Document((Heading("督办通知", 0), Heading("一、事项", 1), Heading("（一）细目", 2), Heading("1. 更细", 3),
                  Paragraph(("第一行", "第二行")), Table(("编号", "数"), (("a", "1"),), ("left", "right")),
                  Signature(("某某办公室", "2021年10月31日"))))
    assert md.render(d) == ("# 督办通知\n\n## 一、事项\n\n### （一）细目\n\n#### 1. 更细\n\n第一行  \n第二行\n\n"
                            "| 编号 | 数 |\n| --- | ---: |\n| a | 1 |\n\n某某办公室  \n2021年10月31日\n")
    buf = io.BytesIO()
    word.render(d, buf)
    back = docx.Document(io.BytesIO(buf.getvalue()))
    assert [p.text for p in back.paragraphs if p.text] == ["督办通知", "一、事项", "（一）细目", "1. 更细", "第一行", "第二行",
                                                           "某某办公室", "2021年10月31日"]
    assert back.tables[0].rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


# --- the command line ---------------------------------------------------------------------------


def _run(args):
    return CliRunner().invoke(cli, args, env={"SUPERVISE_TODAY": "2021-10-31", "SUPERVISE_LANG": "zh"})


def test_cli_brief_format_docx(db, zh_doc, tmp_path):
    out = tmp_path / "x.docx"
    result = _run(["--db", str(db), "brief", "--as-of", "2021-10-31", "--format", "docx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    back = docx.Document(str(out))
    assert back.paragraphs[0].text == "示范市养老服务工作领导小组办公室"
    assert len(back.tables) == sum(1 for b in zh_doc if isinstance(b, Table))


def test_cli_an_out_ending_in_docx_implies_docx(db, tmp_path):
    out = tmp_path / "y.DOCX"
    result = _run(["--db", str(db), "brief", "--as-of", "2021-10-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"  # a zip: a Word file, not Markdown
    docx.Document(str(out))


def test_cli_default_docx_path(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _run(["--db", str(db), "brief", "--format", "docx"])
    assert result.exit_code == 0, result.output
    docx.Document(str(tmp_path / "briefings" / "2021-10-31-review.docx"))


@pytest.mark.parametrize("args", [["--format", "md", "--out", "x.docx"], ["--format", "docx", "--out", "x.md"],
                                  ["--format", "docx", "--out", "x"], ["--format", "docx", "--out", "-"],
                                  ["--format", "md", "--out", "x.xlsx"]])
def test_cli_refuses_an_out_that_does_not_match_the_format(db, tmp_path, args):
    """Through supervise.cli.main, as the installed command runs: exit 2, one line, nothing written."""
    result = subprocess.run([sys.executable, "-c", "from supervise.cli import main; main()",
                             "--db", str(db), "brief", "--as-of", "2021-10-31", *args], cwd=tmp_path,
                            capture_output=True, text=True, encoding="utf-8",
                            env={**os.environ, "SUPERVISE_LANG": "en"})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert ".docx" in result.stderr or ".md" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_cli_markdown_still_the_default(db, snap, tmp_path):
    out = tmp_path / "b.md"
    result = _run(["--db", str(db), "brief", "--as-of", "2021-10-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_briefing(snap, AS_OF, "zh")


def _grid(doc: Document) -> list[int]:
    tbl = word.word(doc).tables[0]._tbl
    return [int(col.get(qn("w:w"))) for col in tbl.tblGrid.findall(qn("w:gridCol"))]


def test_table_weights_share_the_width_left_by_the_short_columns():
    # text width 8844 twips; the short columns on one line: "No" (2 halves) 2 × 105 + 144 = 354,
    # "2021-10-31" (10 halves) 1194; the 7296 left shared 1 : 3 → 1824 and 5472
    rows = (("1", "2021-10-31", "甲" * 40, "乙" * 40),)
    weighted = Table(("No", "Date", "Title", "Reason"), rows, weights=(0, 0, 1, 3))
    assert _grid(Document((weighted,))) == [354, 1194, 1824, 5472]
    # without weights the two long columns lack the same and share alike (unchanged)
    plain = _grid(Document((Table(("No", "Date", "Title", "Reason"), rows),)))
    assert plain[2] == plain[3] and sum(plain) == 8844


def test_table_weights_that_leave_a_column_under_three_characters_are_not_used():
    # eight wide short columns leave too little: the widths follow the text as without weights
    headers = tuple(f"很长的列标题{i}号" for i in range(6)) + ("任务", "原因")
    rows = (tuple("x" for _ in range(6)) + ("甲" * 40, "乙" * 40),)
    weighted = Table(headers, rows, weights=(0, 0, 0, 0, 0, 0, 1, 9))
    assert _grid(Document((weighted,))) == _grid(Document((Table(headers, rows),)))
