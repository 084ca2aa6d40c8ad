"""Word documents: paragraphs with their automatic list numbers, and task tables.

python-docx is imported only when a .docx is read."""

from __future__ import annotations

import re

from .text import CN_NUM, clean


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
    """A task table (序号 | 任务 | 牵头单位 | 完成时限 …) becomes numbered task lines; other tables, one line per row."""
    rows = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(clean(cell.text))
        rows.append(cells)
    head = rows[0] if rows else []
    if not any(re.search("单位|部门", h) for h in head):
        return ["；".join(c for c in r if c) for r in rows]
    lines = []
    for n, cells in enumerate(rows[1:], start=1):
        text, units, extra = "", [], []
        for h, c in zip(head, cells):
            if not c or re.search("序号|编号", h):
                continue
            if re.search("单位|部门", h):
                units.append(f"{h}：{c}")
            elif re.search("时限|时间|期限", h):
                extra.append(f"完成时限：{c}")
            elif not text:
                text = c.rstrip("。") + "。"
            else:
                extra.append(c.rstrip("。"))
        lines.append(f"{n}. {text}{'。'.join(extra)}{'。' if extra else ''}〔{'；'.join(units)}〕")
    return lines
