"""Unit phrases: the lead and responsible units of a task (〔牵头单位：…；责任单位：…〕, X牵头，Y配合)."""

from __future__ import annotations

import re
from dataclasses import dataclass


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


