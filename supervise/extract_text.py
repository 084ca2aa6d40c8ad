"""Text helpers for ``supervise.extract``: clean copied plan text, then find its
numbered lines, date phrases, quantitative targets and unit lists.

Everything here is about how Chinese action plans are written (GB/T 9704
numbering 一、/（一）/1./（1）, 牵头单位/责任单位 brackets, 到2023年底 deadlines),
never about one document. Pure: no I/O, no terminal libraries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import DateError, parse_date

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CN_DIGITS = "一二三四五六七八九"
CN_NUM = "一二三四五六七八九十"


def cn_to_int(text: str) -> int:
    """1-99 written as digits or as Chinese numerals (三, 十二, 二十一)."""
    if text.isascii() and text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CN_DIGITS.index(units) + 1 if units else 0)
    return CN_DIGITS.index(text) + 1


# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------

_BOOKMARK = re.compile(r"\[\s*bookmark\s*:[^\]\n]*\]", re.IGNORECASE)
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_FURNITURE = re.compile(r"^[\s—―–\-─_#·•\d]*$")          # —# —, - 3 -, bare page numbers
_PAGE_NO = re.compile(r"^第?\s*\d+\s*页\s*(?:[/，,]?\s*共\s*\d+\s*页)?$")
_WIDE = {chr(0xFF10 + i): str(i) for i in range(10)}
_WIDE |= {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)} | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
_WIDE |= {"％": "%", "～": "~", "＋": "+", "｡": "。", "\u3000": " ", "\xa0": " ", "\t": " "}
_WIDE_TABLE = str.maketrans(_WIDE)
_SPACES = re.compile(r"\s+")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


def clean(text: str) -> str:
    """One line of body text: half-width digits, no stray spaces, Chinese punctuation.

    A space survives only after an ASCII letter and before a letter or digit
    ("Word 2016"); elsewhere every space is copy debris ("市民 政局", "3. 17万",
    "80%以 上", "3 000").
    Half-width , ; : ( ) become their Chinese forms, except inside numbers (1,000; 22:55).
    """
    s = text.translate(_WIDE_TABLE)
    s = re.sub(r"(?<=\d)[．－](?=\d)", lambda m: "." if m.group() == "．" else "-", s)

    def space(m: re.Match[str]) -> str:
        left = s[m.start() - 1] if m.start() else ""
        right = s[m.end()] if m.end() < len(s) else ""
        return " " if _ALNUM.match(left or "") and _ALNUM.match(right or "") and not left.isdigit() else ""

    s = _SPACES.sub(space, s.strip())
    return "".join(
        _HALF_PUNCT[ch] if ch in _HALF_PUNCT and not (ch in ",:" and 0 < i < len(s) - 1
                                                      and s[i - 1].isdigit() and s[i + 1].isdigit()) else ch
        for i, ch in enumerate(s)
    )


# --------------------------------------------------------------------------------------------
# Numbered lines
# --------------------------------------------------------------------------------------------

#: line-start markers per level: 一、 / （一） / 1. 1． 1、 / （1） ①
_MARKERS = [
    (1, re.compile(rf"^([{CN_NUM}]{{1,3}})\s*[、'’‘`，,.．]\s*")),
    (2, re.compile(rf"^[（(]\s*([{CN_NUM}]{{1,3}})\s*[）)]\s*")),
    (3, re.compile(r"^(\d{1,2})\s*[.．、](?![\d.])\s*")),
    (4, re.compile(r"^(?:[（(]\s*(\d{1,2})\s*[）)]|([①-⑳]))\s*")),
]
#: the same markers in the middle of a line (text copied from a PDF often has no line breaks)
_MID_MARKER = re.compile(
    rf"(?<=[\s。；;])(?=[{CN_NUM}]{{1,3}}、|[（(][{CN_NUM}]{{1,3}}[）)]|\d{{1,2}}\s*[.．、]\s*[{CJK}“《（(])"
)


@dataclass
class Line:
    level: int        # 0 plain text, 1 一、, 2 （一）, 3 1., 4 （1）
    num: int
    marker: str       # the marker as written, for putting a rejected marker back
    text: str         # cleaned body
    midline: bool     # found inside a line rather than at its start: needs sequential numbering


def _marker(piece: str) -> tuple[int, int, str, str]:
    for level, pattern in _MARKERS:
        m = pattern.match(piece)
        if m:
            raw = next(g for g in m.groups() if g)
            num = ord(raw) - 0x245F if "①" <= raw <= "⑳" else cn_to_int(raw)
            return level, num, m.group(0), piece[m.end():]
    return 0, 0, "", piece


def document_lines(text: str) -> list[Line]:
    """Clean a whole document into numbered and plain lines.

    Removes [bookmark: …] tags and page furniture (—# —, - 3 -, 第3页), splits
    lines at numbering markers found mid-line, and cleans every body. Headings
    whose title is followed by the paragraph on the same line ("一、目标要求 聚焦…")
    are split at the first space before any 。.
    """
    out: list[Line] = []
    for raw in _INVISIBLE.sub("", text).splitlines():
        raw = _BOOKMARK.sub("", raw).translate(_WIDE_TABLE)
        stripped = raw.strip()
        if not stripped or _PAGE_NO.match(stripped) or (
            _FURNITURE.match(stripped) and (re.search(r"[—―–\-─#]", stripped) or len(stripped) <= 3)
        ):
            continue
        for i, piece in enumerate(_MID_MARKER.split(stripped)):
            piece = piece.strip()
            if not piece:
                continue
            level, num, marker, body = _marker(piece)
            if level in (1, 2):
                head = re.match(r"^(\S{2,25}?)\s+(?=\S)", body)
                if head and "。" not in head.group(1) and len(body) > 40:
                    out.append(Line(level, num, marker, clean(head.group(1)), i > 0))
                    out.append(Line(0, 0, "", clean(body[head.end():]), False))
                    continue
            if level and not clean(body):
                level, marker, body = 0, "", piece      # "1." alone is not an item
            out.append(Line(level, num, marker, clean(body), i > 0))
    return out


def title_and_rest(text: str, limit: int = 40) -> tuple[str, str, bool]:
    """The short phrase before the first 。 and the rest; unsure when the phrase is long."""
    head, stop, rest = text.partition("。")
    head = head.strip("，；：、 ")
    if len(head) <= limit:
        return head, rest.strip(), False
    short, comma, more = head.partition("，")
    if comma and len(short) <= limit:
        return short, (more + stop + rest).strip(), True
    return head[:limit], (head[limit:] + stop + rest).strip(), True


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_CNM = f"(?:十[一二]?|[{CN_DIGITS}])"
_DATE = re.compile(
    r"(?P<lead>(?:确保|力争|争取)?(?:截至|截止到|截止|到|至|于|在)?)(?:"
    r"(?P<ya>\d{4})年?[—–\-~至到](?P<yb>\d{4})年"
    rf"|(?P<y>\d{{4}})年(?:(?P<half>[上下]半年)|(?P<q>第?[一二三四1-4]季度末?)"
    rf"|(?P<m>\d{{1,2}}|{_CNM})月(?:(?P<d>\d{{1,2}})日|(?P<me>底|末|份|上旬|中旬|下旬))?|(?P<ye>年底|底|末|内|度))?"
    rf"|(?P<m0>\d{{1,2}}|{_CNM})月(?:(?P<d0>\d{{1,2}})日|(?P<me0>底|末|上旬|中旬|下旬))?"
    r"|(?<![\d一二三四五六七八九十两几今明当去前])(?P<nn>年内|年底|年末)"
    r")(?P<post>之前|以前|前)?"
)


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    phrase: str         # normalised, with its year: "2023年底", "2021年12月底前"
    value: date
    guessed_year: bool  # the text gave no year and the plan spans several years


def _mask(text: str, pattern: str) -> str:
    return re.sub(pattern, lambda m: m.group(0)[0] + "□" * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def mask_titles(text: str) -> str:
    """Blank out 《cited titles》 so their years and numbers are not read as targets."""
    return _mask(text, r"《[^《》]*》")


def find_dates(text: str, year: int, single_year: bool) -> list[DatePhrase]:
    """Deadline phrases in text; ``year`` completes month phrases that give none (12月底前)."""
    masked = mask_titles(text)
    found: list[DatePhrase] = []
    for m in _DATE.finditer(masked):
        g = m.groupdict()
        post = g["post"] or ""
        guessed = False
        if g["yb"]:
            phrase = f"{g['yb']}年底"
        elif g["y"]:
            y = g["y"]
            if g["half"]:
                phrase = f"{y}年{g['half']}"
            elif g["q"]:
                phrase = f"{y}年{g['q']}"
            elif g["m"]:
                phrase = f"{y}年{cn_to_int(g['m'])}月" + (f"{g['d']}日" if g["d"] else g["me"] or "") + post
            elif g["ye"]:
                phrase = f"{y}年{'末' if g['ye'] == '末' else '底'}" + (post if g["ye"] in ("底", "年底", "末") else "")
            else:
                before = masked[m.start() - 1] if m.start() else "。"
                after = masked[m.end()] if m.end() < len(masked) else "。"
                if not (re.search("[到至于在止]$", g["lead"]) or post or before in "。；，：:（" or after in "，,；"):
                    continue                      # "2021年重点工作": a year named, not a deadline
                phrase = f"{y}年底"
        elif g["m0"]:
            if not (g["d0"] or g["me0"] or post):
                continue                          # "9月" alone is too loose to be a deadline
            phrase = f"{year}年{cn_to_int(g['m0'])}月" + (f"{g['d0']}日" if g["d0"] else g["me0"] or "") + post
            guessed = not single_year
        elif g["nn"]:
            phrase, guessed = f"{year}年底", not single_year
        else:
            continue
        try:
            value = parse_date(phrase)
        except DateError:
            continue
        if 1990 <= value.year <= 2100:
            found.append(DatePhrase(m.start(), m.end(), phrase, value, guessed))
    return found


# --------------------------------------------------------------------------------------------
# Quantitative targets
# --------------------------------------------------------------------------------------------

_MEASURES = ("平方米", "平米", "亩", "公里", "千米", "吨")
_QTY = re.compile(
    r"(?<![\d.A-Za-z第每□])(?P<n>\d+(?:\.\d+)?)(?:[-—~至到](?P<n2>\d+(?:\.\d+)?))?(?P<mult>万|千|亿)?"
    r"(?P<unit>%|‰|个百分点|人次|人|名|户|张|个(?!月)|家|所|处|项|条|座|间|台|套|床|平方米|平米|亩|公里|千米|吨)"
    r"(?P<tail>以上|以下|以内|左右)?"
)
_TARGET_VERB = re.compile("达到|达|不少于|不低于|不超过|不高于|至少|超过|完成|建成|建设|新增|增加|增设|培训|创建|"
                          "培育|培养|引进|打造|覆盖|实现|提高到|提升到|控制在|低于|新建|改造|开展|启动|设立|设置|配备|建有")
_DOWN = re.compile("(?:不超过|不高于|(?<!不)低于|控制在|下降到|降低到|降至|减少到|(?<!不)少于)$")
_FILLER = re.compile("达到|不少于|不低于|不超过|不高于|至少|超过|力争|确保|控制在|提高到|提升到|分别")
_SEPARATORS = "、和及与"
_MULT = {"万": 10_000, "千": 1_000, "亿": 100_000_000}


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    name: str
    unit: str
    target: float
    direction: str
    unsure: str           # why it needs checking, or ""
    one_off: bool         # "建有1所": a deliverable, not a target to track


def _number(text: str) -> float:
    value = float(text)
    return int(value) if value.is_integer() else value


def find_quantities(text: str) -> list[Quantity]:
    """Quantitative targets in one sentence (dates and cited titles already masked)."""
    shielded = _mask(_mask(text, r"“[^“”]*”"), r"（[^（）]*）")   # no separators inside quotes/brackets
    found: list[Quantity] = []
    pos = 0
    matches = list(_QTY.finditer(text))
    for k, m in enumerate(matches):
        after_text = text[m.end():]
        if (re.match(r"[^，。；]{0,3}标准", after_text) or re.match(rf"[{CJK}]{{1,4}}(?:以上|以下)的", after_text)
                or re.match(r"[^，。；\d]{0,5}的\d", after_text)):
            continue   # a standard ("每百户30平方米标准"), a qualifier ("100张床位以上的") or "9个区的100个社区"
        clause_start = max(text.rfind(c, 0, m.start()) for c in "，。；：") + 1
        begin = max(pos, clause_start)
        stop = min([i for i in (shielded.find(c, m.end()) for c in "，。；") if i >= 0] + [len(text)])
        nxt = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        if nxt < stop:   # another target in the same clause: "A50个、B30个", "30个A和30个B"
            stop = max([shielded.rfind(c, m.end(), nxt) for c in _SEPARATORS] + [m.end()])
        before, after = text[begin:m.start()].replace("□", ""), text[m.end():stop].replace("□", "")
        pos = stop + 1 if stop < len(text) and text[stop] in _SEPARATORS else stop
        n = _number(m["n"])
        unit, mult = m["unit"], m["mult"]
        if mult and unit in _MEASURES:
            unit = mult + unit
        elif mult:
            n = _number(str(n * _MULT[mult]))
        unit = "人" if unit == "名" else unit
        if n == 0:
            continue
        direction = "down" if m["tail"] in ("以下", "以内") or _DOWN.search(before) else "up"
        name = _FILLER.sub("", before.rstrip("的") + after.removeprefix("的")).strip("的、，：和及与 ")
        name = re.sub(r"^(?:其中|并|且|要|和|及|实现|在)", "", name)
        reasons = []
        if m["n2"]:
            reasons.append(f"原文为区间{m['n']}-{m['n2']}，取下限")
        if not _TARGET_VERB.search(text[clause_start:m.end()]):
            reasons.append("原文未见目标用语")
        if "每" in before:
            reasons.append("按单位计的标准，请核对是否为总量")
        if not name or len(name) > 40:
            name = (name or unit)[:40]
            reasons.append("名称待定")
        found.append(Quantity(m.start(), m.end(), name, unit, n, direction, "；".join(reasons),
                              one_off=(n == 1 and unit not in ("%", "‰"))))
    return found


# --------------------------------------------------------------------------------------------
# Unit lists
# --------------------------------------------------------------------------------------------

_LABEL = re.compile(r"(?P<kind>牵头|责任|配合|参与|协办|主办)(?:单位|部门)\s*[：:]")
_OPENERS, _CLOSERS = "〔[【［（(", "〕]】］）)"
_ORG = re.compile(r"(?:局|委|办|厅|政府|院|会|部|中心|室|队|处|所|站|社|联|行|司|组|馆|团)(?:（[^（）]*）)?$")


@dataclass(frozen=True)
class Units:
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    start: int            # span of the bracket in the text, to cut it out of the detail
    end: int
    unsure: str


def split_names(text: str) -> list[str]:
    """Split a unit list on 、，, and ；, never inside （…）; drop a trailing 等."""
    names, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "（(" and 1 or (-1 if ch in "）)" and depth else 0)
        if ch in "、，,；;" and depth == 0:
            names.append(cur)
            cur = ""
        else:
            cur += ch
    names.append(cur)
    return [n.strip(" 〔〕[]【】［］：:").removesuffix("等") for n in names if n.strip(" 〔〕[]【】［］：:")]


def _closing(text: str, start: int) -> int:
    """Index of the bracket closing a unit list that begins at start, or -1 if it never closes."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif ch in _CLOSERS:
            return i
    return -1


def find_units(text: str) -> Units | None:
    """The task's unit list: 〔牵头单位：…；责任单位：…〕 in any bracket, or a bare （…） of names."""
    labels = list(_LABEL.finditer(text))
    if labels:
        first = labels[0]
        for lab in labels:      # the last bracket that holds labels
            if lab.start() > 0 and text[lab.start() - 1] in _OPENERS:
                first = lab
        start = first.start() - 1 if first.start() and text[first.start() - 1] in _OPENERS else first.start()
        close = _closing(text, first.start())
        end = close + 1 if close >= 0 else len(text)
        body = text[first.start():close if close >= 0 else len(text)]
        lead: list[str] = []
        resp: list[str] = []
        has_lead = False
        for part in re.split(r"(?=(?:牵头|责任|配合|参与|协办|主办)(?:单位|部门))", body):
            lab = _LABEL.match(part)
            names = split_names(part[lab.end():] if lab else part)
            if lab and lab["kind"] in ("牵头", "主办"):
                lead += names
                has_lead = True
            else:
                resp += names
        unsure = "" if close >= 0 else "单位括号未闭合，请核对单位是否完整"
        if not has_lead and resp:
            lead, resp = resp[:1], resp[1:]
        return Units(tuple(dict.fromkeys(lead)), tuple(dict.fromkeys(n for n in resp if n not in lead)),
                     start, end, unsure)
    tail = re.search(r"[（(〔【\[]([^（(〔【\[]*(?:（[^）]*）[^（(〔【\[）)〕】\]]*)*)[）)〕】\]]\s*。?$", text)
    if tail:
        own = re.match(r"^(.+?)牵头[，、；]?(.*?)(?:等?(?:配合|参与|负责))?$", tail.group(1))
        names = split_names(tail.group(1)) if not own else split_names(own.group(1)) + split_names(own.group(2))
        if names and all(_ORG.search(n) for n in names):
            return Units((names[0],), tuple(names[1:]), tail.start(), tail.end(),
                         "" if own else "原文未标明牵头、责任单位，按括号内第一个单位为牵头")
    return None


#: the tail of a unit list that a page break displaced ("单位：市民政局；…〕"), and an item whose list
#: was cut off before it closed ("…〔牵头", "…〔牵头单位：市民政局；责任")
UNIT_FRAGMENT = re.compile(r"^(?:位|单位|(?:牵头|责任)单位)[：:].*[〕\]】］）)]$")
OPEN_UNITS = re.compile(r"[〔\[【［（(]\s*(?:牵头|责任)[^〔〕\[\]【】［］]*$|[〔\[【［]$")


def bigrams(text: str) -> list[str]:
    chars = re.sub(rf"[^{CJK}A-Za-z0-9]", "", text)
    return [chars[i:i + 2] for i in range(len(chars) - 1)]


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
