"""Cleaning copied plan text and finding its numbered lines (一、/（一）/1./（1）).

Everything here is about how Chinese action plans are written (GB/T 9704
numbering 一、/（一）/1./（1）, 牵头单位/责任单位 brackets, 到2023年底 deadlines),
never about one document. Pure: no I/O, no terminal libraries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import without_unsafe


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
    (3, re.compile(r"^(\d{1,2})\s*(?:[.．](?![\d.])|、)\s*")),
    # "11.121人才梯队项目": a title that starts with a number; build_tree accepts it only in sequence
    (3, re.compile(rf"^(\d{{1,2}})[.．](?=\d+[{CJK}“])(?!\d+(?:\.\d+)?(?:万|亿|千|%|‰))")),
    (4, re.compile(r"^(?:[（(]\s*(\d{1,2})\s*[）)]|([①-⑳]))\s*")),
]
#: the same markers in the middle of a line (text copied from a PDF often has no line breaks)
_MID_MARKER = re.compile(
    rf"(?<=[\s。；;])(?=[{CN_NUM}]{{1,3}}、|[（(][{CN_NUM}]{{1,3}}[）)]|\d{{1,2}}\s*[.．、]\s*[{CJK}“《（(])"
)
#: measures written on in one paragraph, each with its own unit list: "1.深化商事制度改革。(1)全面落实…
#: (市工商质监局牵头负责)(2)完善…(市工商质监局牵头负责)"; without their own units they stay the item's text
_MID_MEASURE = re.compile(rf"(?<=[。；;）)])(?=[（(]\d{{1,2}}[）)][{CJK}“])")


def _pieces(line: str) -> list[str]:
    """A line cut at the numbering markers found in it (see _MID_MARKER, _MID_MEASURE)."""
    from .units import find_units
    out: list[str] = []
    for piece in _MID_MARKER.split(line):
        parts = _MID_MEASURE.split(piece)
        if len(parts) > 1 and all(find_units(clean(p)) is not None for p in parts[1:]):
            out += parts
        else:
            out.append(piece)
    return out


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
    # control characters are debris in a document, and a plan file refuses them (text.UNSAFE): dropped,
    # but for those splitlines() reads as line breaks
    text = without_unsafe(_INVISIBLE.sub("", text), keep="\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    for raw in text.splitlines():
        raw = _BOOKMARK.sub("", raw).translate(_WIDE_TABLE)
        stripped = raw.strip()
        if not stripped or _PAGE_NO.match(stripped) or (
            _FURNITURE.match(stripped) and (re.search(r"[—―–\-─#]", stripped) or len(stripped) <= 3)
        ):
            continue
        for i, piece in enumerate(_pieces(stripped)):
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
    cut = _outside_brackets(head, "，")
    if cut > 0 and cut <= limit:
        return head[:cut], (head[cut + 1:] + stop + rest).strip(), True
    opener = _outside_brackets(head, "（(")
    if 0 < opener <= limit and cut < 0:   # "…建设工作（1分，按照…，缺1项扣0.1分）": the note is detail
        return head[:opener], (head[opener:] + stop + rest).strip(), True
    return head[:limit], (head[limit:] + stop + rest).strip(), True


def _outside_brackets(text: str, chars: str) -> int:
    """Index of the first of chars that is not inside （…）, or -1."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in chars and depth == 0:
            return i
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return -1



def _mask(text: str, pattern: str) -> str:
    return re.sub(pattern, lambda m: m.group(0)[0] + "□" * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def mask_titles(text: str) -> str:
    """Blank out 《cited titles》 so their years and numbers are not read as targets."""
    return _mask(text, r"《[^《》]*》")


def bigrams(text: str) -> list[str]:
    chars = re.sub(rf"[^{CJK}A-Za-z0-9]", "", text)
    return [chars[i:i + 2] for i in range(len(chars) - 1)]


