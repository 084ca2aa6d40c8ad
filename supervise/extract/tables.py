"""Word documents: paragraphs with their automatic list numbers, and task tables.

python-docx is imported only when a .docx is read."""

from __future__ import annotations

import re

from .text import CN_NUM, clean
from .units import looks_like_unit, split_names


# --------------------------------------------------------------------------------------------
# .docx (python-docx is imported only when a .docx is read)
# --------------------------------------------------------------------------------------------

def docx_lines(doc) -> list[str]:
    """Lines of a python-docx Document: paragraphs with their automatic list numbers, and tables."""
    from docx.oxml.ns import qn
    from docx.table import Table

    formats = _docx_numbering(doc, qn)
    counters: dict[tuple[str, int], int] = {}
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            num = _docx_num(child, doc, qn)
            if num and text.strip() and num in formats:
                fmt, pattern = formats[num]
                counters[num] = counters.get(num, 0) + 1
                for key in [k for k in counters if k[0] == num[0] and k[1] > num[1]]:
                    del counters[key]
                n = counters[num]
                shown = CN_NUM[n - 1] if fmt.startswith(("chinese", "ideograph", "japanese")) and n <= 10 else str(n)
                text = re.sub(r"%\d", shown, pattern) + text
            lines.append(text)
        elif child.tag == qn("w:tbl"):
            lines += _table_lines(Table(child, doc))
    return lines


def _docx_num(p, doc, qn) -> tuple[str, int] | None:
    """(numId, level) of a paragraph's automatic numbering, from the paragraph or its style."""
    ppr = p.find(qn("w:pPr"))
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None and ppr is not None and ppr.find(qn("w:pStyle")) is not None:
        style = doc.styles.element.get_by_id(ppr.find(qn("w:pStyle")).get(qn("w:val")))
        spr = style.find(qn("w:pPr")) if style is not None else None
        numpr = spr.find(qn("w:numPr")) if spr is not None else None
    if numpr is None or numpr.find(qn("w:numId")) is None:
        return None
    ilvl = numpr.find(qn("w:ilvl"))
    return numpr.find(qn("w:numId")).get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0


def _docx_numbering(doc, qn) -> dict[tuple[str, int], tuple[str, str]]:
    """(numId, level) -> (numFmt, lvlText such as "%1." or "（%1）")."""
    try:
        root = doc.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
    out = {}
    for num in root.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        for lvl in abstract.get(ref.get(qn("w:val")) if ref is not None else None, []):
            if lvl.tag == qn("w:lvl") and lvl.find(qn("w:lvlText")) is not None:
                fmt = lvl.find(qn("w:numFmt"))
                out[(num.get(qn("w:numId")), int(lvl.get(qn("w:ilvl"))))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal", lvl.find(qn("w:lvlText")).get(qn("w:val")))
    return {k: v for k, v in out.items() if v[0] not in ("bullet", "none")}


def _table_lines(table) -> list[str]:
    """The rows of a Word table as text lines (see ``table_lines``); merged cells count once per row."""
    rows = []
    for row in table.rows:
        seen: list = []                 # the cell elements themselves: proxies' ids are reused
        cells = []
        for cell in row.cells:
            if not any(cell._tc is tc for tc in seen):
                seen.append(cell._tc)
                cells.append(_cell_text(cell.text))
        rows.append(cells)
    return table_lines(rows)


def _cell_text(text: str) -> str:
    """A cell's text on one line. Its lines are kept apart by LINE_BREAK, so that a unit column that
    names one unit a line ("县水务局 / 县住建局 / 县护城河指挥部") keeps its names apart; any other
    column joins them (``_joined``)."""
    return LINE_BREAK.join(c for c in (clean(ln) for ln in text.splitlines()) if c)


#: where a cell's lines met (a control character no document text holds)
LINE_BREAK = "\x1e"


def _joined(cell: str, units: bool = False) -> str:
    """A cell's lines as one text: a unit cell's lines are list items (a 、 between names, unless the
    line already ends or the next begins with a separator); any other cell's lines run on."""
    parts = cell.split(LINE_BREAK)
    if not units or len(parts) == 1:
        return clean("\n".join(parts)) if len(parts) > 1 else cell
    out = parts[0]
    for part in parts[1:]:
        out += part if out.endswith(("、", "，", "；", "：")) or part.startswith(("、", "，", "；", "等")) else "、" + part
    return out


# --------------------------------------------------------------------------------------------
# Task tables (Word tables and tables pasted as text with '|')
# --------------------------------------------------------------------------------------------

_UNIT_HEAD = re.compile(r"(?:牵头|责任|负责|配合|协作|协办|主办|参与|承办|协同)(?:单位|部门)|^(?:责任|牵头)(?:主体|处室|科室)$")
_MEASURE_HEAD = re.compile(r"^(?:计量)?单位$")
_PERSON_HEAD = re.compile(r"领导|负责人|联系人")
_NUMBER_HEAD = re.compile(r"^(?:序号|编号|序)$")
_DATE_HEAD = re.compile(r"时限|时间|期限|节点")
#: a column that reports how far the work has got (a progress sheet kept on the table): not plan text
_PROGRESS_HEAD = re.compile(r"进展|(?:当前|目前|实际|完成|工作)进度|进度情况|完成情况|落实情况|推进情况|办理情况")
_GROUP_HEAD = re.compile(r"类别|类型|分类|领域|方面|板块|专项|行动|篇章")
_TITLE_HEAD = re.compile(r"任务|项目|事项|名称|指标|工作|措施|举措|内容")
_SECTION = re.compile(rf"^(?:[{CN_NUM}]{{1,3}}、|[（(][{CN_NUM}]{{1,3}}[）)])")


def _single(cells: list[str]) -> str | None:
    """The text of a row that is one cell across the table (a title or section row)."""
    filled = list(dict.fromkeys(c for c in cells if c))
    return filled[0] if len(filled) == 1 and (len(cells) == 1 or cells.count(filled[0]) != 1 or
                                              sum(1 for c in cells if c) == 1) else None


def table_lines(rows: list[list[str]]) -> list[str]:
    """A task table becomes numbered task lines in the layout of a prose plan.

    The header is the first row that names unit columns (牵头单位, 责任单位 …); rows above it that
    span the table are title rows, kept as text. Below it a row spanning the table is a section
    (一、…), a row repeating the header (after a page break) is skipped, a 类别 column opens a
    section whenever its value changes, and every other row is a task: "N.任务。内容。完成时限：…
    〔牵头单位：…；责任单位：…〕". A table without unit columns is read the same way when its header has 序号 and a 任务
    column (工作任务, 重点任务); any other table (an indicator table …) is kept as one line per row.
    """
    head_at = next((i for i, r in enumerate(rows) if _single(r) is None
                    and any(_UNIT_HEAD.search(_joined(h)) for h in r)), None)
    if head_at is None:                   # a task list without unit columns: 序号 and a 任务 column
        head_at = next((i for i, r in enumerate(rows) if _single(r) is None and any(_NUMBER_HEAD.match(h) for h in r)
                        and any("任务" in h for h in r)), None)
    if head_at is None:
        return ["；".join(_joined(c) for c in r if c) for r in rows]
    units_at = {i for i, h in enumerate(rows[head_at]) if _UNIT_HEAD.search(_joined(h))}
    rows = [[_joined(c, i in units_at) for i, c in enumerate(r)] for r in rows]
    head = rows[head_at]
    lines = [t for r in rows[:head_at] if (t := _single(r) or "；".join(c for c in r if c))]
    roles = []
    title_col = next((i for i, h in enumerate(head) if _TITLE_HEAD.search(h) and not _UNIT_HEAD.search(h)
                      and not _GROUP_HEAD.search(h)), None)
    for i, h in enumerate(head):
        if _NUMBER_HEAD.match(h):
            roles.append("number")
        elif _MEASURE_HEAD.match(h):
            roles.append("field")
        elif _UNIT_HEAD.search(h):
            roles.append("units")
        elif _PERSON_HEAD.search(h):
            roles.append("field")
        elif _PROGRESS_HEAD.search(h):
            roles.append("progress")
        elif _DATE_HEAD.search(h):
            roles.append("date")
        elif _GROUP_HEAD.search(h) and i != title_col:
            roles.append("group")
        elif title_col is None and "text" not in roles:
            roles.append("title")
        else:
            roles.append("title" if i == title_col else "text")
    group, count, sections = None, 0, 0
    for cells in rows[head_at + 1:]:
        if cells == head:
            continue                          # the header printed again after a page break
        single = _single(cells)
        if single is not None:
            sections += 1
            lines.append(single if _SECTION.match(single) else f"{CN_NUM[min(sections, 10) - 1]}、{single}")
            group, count = None, 0
            continue
        title, extra, units = "", [], []
        for role, h, c in zip(roles, head, cells):
            if not c:
                continue
            if role == "group" and c != group:
                group, count = c, 0
                lines.append(c if _SECTION.match(c) else f"（{c}）" if not c.startswith("（") else c)
            elif role == "units":
                label = h if re.search(r"(?:单位|部门)$", h) else "责任单位"
                units.append(f"{label}：{c}")
            elif role == "date":
                extra.append(f"完成时限：{c}")
            elif role == "title":
                title = c
            elif role == "field":
                extra.append(f"{h}：{c}")
            elif role == "text":
                extra.append(f"{h}：{c}" if len(c) <= 15 and len(h) <= 8 else c)
        if not (title or extra):
            continue
        count += 1
        body = "。".join(x.rstrip("。") for x in ([title] if title else []) + extra)
        lines.append(f"{count}、{body}。" + (f"〔{'；'.join(units)}〕" if units else ""))
    return lines


def _merged_back(rows: list[list[str]]) -> list[list[str]]:
    """A pasted table whose unit cell was merged over rows: a web page gives such a row one cell fewer, the
    cells after it moved left and the last one empty (泰顺: "2 | 项目 | 计划 | 已完成。… | |"). When the unit
    column of such a row holds no unit name, the cell is put back, with the unit of the row above."""
    head_at = next((i for i, r in enumerate(rows) if any(_UNIT_HEAD.search(h) for h in r)), None)
    if head_at is None:
        return rows
    width = len(rows[head_at])
    units_at = [i for i, h in enumerate(rows[head_at]) if _UNIT_HEAD.search(h)]
    out = rows[:head_at + 1]
    for row in rows[head_at + 1:]:
        at = units_at[0]
        if (len(row) == width and not row[-1] and len(out) > head_at + 1 and row[at]
                and not any(looks_like_unit(n) for n in split_names(row[at]))):
            row = row[:at] + [out[-1][at]] + row[at:-1]
        out.append(row)
    return out


_PIPE_ROW = re.compile(r"^\s*\|?(?:[^|\n]*\|){2,}[^|\n]*\|?\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")


def pasted_tables(text: str) -> str:
    """Tables pasted as text with '|' between cells (from a spreadsheet, Markdown or a web page)
    become task lines, like Word tables; everything else is left as it is."""
    out: list[str] = []
    run: list[list[str]] = []

    def flush() -> None:
        if run:
            out.extend(table_lines(_merged_back(run)) if len(run) >= 2 else ["；".join(c for c in run[0] if c)])
            run.clear()

    for line in text.splitlines():
        if _PIPE_RULE.match(line):
            continue
        if _PIPE_ROW.match(line):
            cells = [clean(c) for c in line.strip().strip("|").split("|")]
            run.append(cells)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)
