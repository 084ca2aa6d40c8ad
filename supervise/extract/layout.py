"""Layout: the tree of numbered items, which items are tasks, and annexes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import CN_NUM, Line, clean, title_and_rest
from .units import INLINE_UNITS, OPEN_UNITS, PERSON_LINE, UNIT_FRAGMENT, UNIT_LINE, find_units, unit_line


# =============================================================================================
# Structure
# =============================================================================================

@dataclass
class Node:
    level: int
    num: int
    text: str
    children: list[Node] = field(default_factory=list)
    repaired: bool = False   # its unit list was completed from a displaced fragment
    marker: str = ""         # the numbering as written: "1、", "（一）"
    unit_lines: bool = False  # its units came on lines of their own ("牵头单位：…"), kept in one bracket
    check: str = ""          # why reading it as a task needs checking
    head: int = 0            # length of its own line (with units written on it): the text after it came below

    @property
    def title(self) -> str:
        return title_and_rest(self.text)[0]

    @property
    def label(self) -> str:
        if self.marker:
            return clean(self.marker).strip() + self.title
        marks = {1: f"{_cn(self.num)}、", 2: f"（{_cn(self.num)}）", 3: f"{self.num}.", 4: f"（{self.num}）"}
        return marks.get(self.level, "") + self.title

    def full_text(self) -> str:
        return self.text + "".join(f"（{c.num}）" + c.full_text() if c.level == 4 else c.full_text()
                                   for c in self.children)


def _cn(n: int) -> str:
    """1-99 as a Chinese numeral: 三, 十二, 二十."""
    if n <= 10:
        return CN_NUM[n - 1]
    return (CN_NUM[n // 10 - 1] if n >= 20 else "") + "十" + (CN_NUM[n % 10 - 1] if n % 10 else "")


def build_tree(lines: list[Line]) -> tuple[Node, list[str]]:
    """Nest numbered lines; plain lines continue the current item. Returns the root and the preamble.

    A marker found mid-line is accepted only if it continues the numbering. A
    fragment of a unit list that turns up later (a page break displaced
    "单位：…〕") completes the last item whose unit bracket was cut off.
    """
    root = Node(0, 0, "")
    stack, preamble = [root], []
    open_units: list[Node] = []
    used: set[str] = set()
    for line in lines:
        if line.level:
            j = max(i for i, n in enumerate(stack) if n.level < line.level)
            siblings = [c for c in stack[j].children if c.level == line.level]
            expected = siblings[-1].num + 1 if siblings else 1
            needs_order = line.midline or (line.level >= 3 and line.text[:1].isdigit())
            if not needs_order or line.num == expected:
                if OPEN_UNITS.search(stack[-1].text) and stack[-1] not in open_units:
                    open_units.append(stack[-1])
                inline = INLINE_UNITS.search(line.text)     # "（一）…接种牵头责任部门:县卫生健康委员会"
                node = Node(line.level, line.num, line.text[:inline.start()] if inline else line.text, marker=line.marker)
                stack[j].children.append(node)
                del stack[j + 1:]
                stack.append(node)
                if inline:
                    _add_unit_line(stack, unit_line(inline.group(0)))
                node.head = len(node.text)
                continue
            text = line.marker.strip() + line.text
        else:
            text = line.text
        current = stack[-1]
        inner = re.fullmatch(r"[〔（(【\[［](.+)[〕）)】\]］]。?", text)
        if current is not root and (UNIT_LINE.match(text) or (inner and UNIT_LINE.match(inner.group(1)))):
            _add_unit_line(stack, unit_line(inner.group(1) if inner else text))
            continue
        if current is not root and PERSON_LINE.match(text):
            current.text += ("" if current.text.endswith(("。", "；", "！")) else "。") + text.rstrip("。") + "。"
            continue
        if UNIT_FRAGMENT.match(text) and not OPEN_UNITS.search(current.text):
            if open_units:
                owner = open_units.pop()
                owner.text += text
                owner.repaired = True
                used.add(text)
                continue
            if text in used:
                continue
        if current is root:
            preamble.append(text)
        current.text += text
    return root, preamble


def _add_unit_line(stack: list[Node], text: str) -> None:
    """Units on a line of their own belong to the item above; after measures （1）…（4） to their parent.

    Consecutive unit lines ("牵头单位：…" then "责任单位：…") are kept in one bracket.
    """
    owner = next(n for n in reversed(stack) if n.level and (n.level < 4 or n is stack[1]))
    if owner.unit_lines and owner.text.endswith("〕"):
        owner.text = owner.text[:-1] + "；" + text + "〕"
    else:
        owner.text += "〔" + text + "〕"
        owner.unit_lines = True


_TASK_PART = re.compile("任务|重点工作|主要工作|工作重点|工程|行动|举措")
#: a part that reports progress ("一、进展情况"): its items are the tasks reported on
_PROGRESS_PART = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?:工作|项目|事项)?(?:进展|推进|落实|完成|办理)情况$")
_YEAR_FIGURE = re.compile(r"(?:年度|全年)(?:任务|目标)(?:数|量)?(?:为|是|：|:)?\d+(?:\.\d+)?[^\d，,。；（）()]{0,4}")
_NOT_TASKS = re.compile("目标|原则|指导思想|总体要求|保障|步骤|进度|组织实施|背景|形势|意义|现状")


def _descendants(node: Node):
    for c in node.children:
        yield c
        yield from _descendants(c)


def _parts(root: Node) -> list[Node]:
    """The document's parts: its 一、 items, or, in plans numbered 1、 / （1） only, the 1、 items
    that head groups of （1） items (mixed numbering: "1、总体要求 （1）指导思想 2、主要任务 （1）…")."""
    parts = [c for c in root.children if c.level == 1]
    if parts:
        return parts
    top = [c for c in root.children if c.level == 3]
    if any(c.children for c in top) and any(c.children and len(c.text) <= 20 and "。" not in c.text for c in top):
        return top
    return []


def _has_units(node: Node) -> bool:
    return find_units(node.full_text()) is not None


def task_nodes(root: Node) -> list[tuple[str, Node]]:
    """(section label, item) for every task.

    Tasks are the deepest items of the parts about tasks that are not headings. A part whose
    title says it is about something else (主要预期目标, 保障措施) still gives the items that carry
    their own unit list: such an item is assigned to a unit, so it is a task; it is marked for
    checking rather than lost. An item with its own unit list is never taken for a heading.
    """
    parts = _parts(root)
    with_units: set[int] = set()          # ids of the parts kept only for their items with units
    doubtful: set[int] = set()
    if not parts:
        regions = [root]
    else:
        # "二、工作重点和目标" with （一）… items under it is about tasks; "一、总体目标" (a paragraph) is not
        named = {id(p) for p in parts if _TASK_PART.search(p.title)
                 and (not _NOT_TASKS.search(p.title) or (_TASK_PART.search(_NOT_TASKS.sub("", p.title))
                                                        and any(c.level == 2 for c in p.children)))}
        with_units = {id(p) for p in parts if id(p) not in named and any(_has_units(d) for d in _descendants(p))}
        regions = [p for p in parts if id(p) in named | with_units]
        doubtful = {id(p) for p in parts if id(p) in with_units and _NOT_TASKS.search(p.title)}
        if not regions:
            regions = [p for p in parts if not _NOT_TASKS.search(p.title)]
    out: list[tuple[str, Node]] = []
    if parts and not any(p.children for p in parts):
        regions = [p for p in parts if not _NOT_TASKS.search(p.title)]
    if parts and regions and not any(r.children for r in regions):
        # a list numbered 一、二、… whose items have nothing under them (荆州区 "一、新民社区…建设项目；
        # 二、…"): the items are the tasks, not parts; marked, since a part may also be a bare heading
        for r in regions:
            r.check = "本项以“一、”编号且其下无子项，按任务提取"
            out.append(("", r))
        return out

    def walk_progress(region: Node) -> None:
        # a progress report ("一、进展情况 （一）适龄女生HPV疫苗接种牵头责任部门:… / 截至…已完成…"): each item's
        # own line is the task; what is written under it is progress, not plan text (no targets, no dates)
        for kid in region.children:
            if kid.head:                  # the year's figure the report restates is the plan's: "(年度任务1800剂次)"
                kept = _YEAR_FIGURE.findall(kid.text[kid.head:])
                kid.text = kid.text[:kid.head] + "".join(f"{k}。" for k in kept)
            kid.children = []
            kid.check = f"所在部分“{region.title}”为进展通报，本项下文为进展情况，未作计划内容提取"
            out.append(("", kid))

    def walk(node: Node, section: str, only_with_units: bool, check: str) -> None:
        for kid in node.children:
            rest = title_and_rest(kid.text)[1]
            own_units = find_units(kid.text) is not None
            heading = (any(c.level >= 3 for c in kid.children) and (len(rest) < 30 or kid.text.endswith("："))
                       and not own_units)
            if heading and _facets(kid):      # "（一）实施全民健康促进行动 1.主要目标指标 2.重点工作举措 （1）…"
                kid.check = ((check + "；") if check else "") + \
                    f"子项“{'”“'.join(c.title for c in kid.children)}”是本项的目标与举措，按一项任务提取"
                out.append((section, kid))
                continue
            if heading:
                walk(kid, kid.label, only_with_units, check)
            elif not only_with_units or _has_units(kid):
                kid.check = check
                out.append((section, kid))

    for region in regions:
        if _PROGRESS_PART.search(region.title):
            walk_progress(region)
            continue
        only = id(region) in with_units
        check = (f"所在部分“{region.label}”不是任务部分，因本项列有责任单位按任务提取"
                 if id(region) in doubtful else "")
        walk(region, region.label if len(regions) > 1 else "", only, check)
    return out


#: a sub-item that is a facet of its parent, not a task of its own: 主要目标指标, 重点工作举措, 工作要求
_FACET = re.compile(r"^(?:主要|重点|具体|工作|预期)?(?:目标|指标|目标指标|目标任务|举措|措施|工作举措|任务|要求|内容|责任分工)$")


def _facets(node: Node) -> bool:
    """Whether the item's numbered children name facets of the item (its targets, its measures)
    rather than tasks: then the item is one task and its children are its parts."""
    kids = [c for c in node.children if c.level >= 3]
    return len(kids) >= 2 and all(_FACET.match(c.title) for c in kids)


def number_unit_blocks(lines: list[Line]) -> list[Line]:
    """A list without numbers whose items are each followed by their unit lines ("全区集团化办学…" /
    "责任单位：区教委" / "完成期限：…"): each such item is numbered 1、2、… in order. Only for a
    document with no numbered item at all: in a numbered plan such a line continues its item."""
    if any(ln.level for ln in lines):
        return lines
    out, n = [], 0
    for k, ln in enumerate(lines):
        nxt = lines[k + 1].text if k + 1 < len(lines) else ""
        if (UNIT_LINE.match(nxt) and not UNIT_LINE.match(ln.text) and not PERSON_LINE.match(ln.text)
                and not re.match(r"^(?:完成|时限|期限|时间)", ln.text)):
            n += 1
            out.append(Line(3, n, f"{n}、", ln.text, False))
        else:
            out.append(ln)
    return out


def split_annexes(lines: list[Line]) -> tuple[list[Line], list[tuple[str, list[Line]]]]:
    """The main text, and (title, lines) for each annex: a line 附件 / 附件2 followed by its title."""
    starts = [i for i, ln in enumerate(lines) if not ln.level and re.fullmatch(r"附件\d*[：:]?", ln.text)]
    if not starts:
        starts = [i for i, ln in enumerate(lines) if not ln.level and re.fullmatch(r"附件\d*[：:].{4,60}", ln.text)
                  and any(x.level == 3 for x in lines[i + 1:])][-1:]
    if not starts:
        return lines, []
    annexes = []
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        head = re.sub(r"^附件\d*[：:]?", "", lines[i].text)
        body = lines[i + 1:end]
        if not head and body and not body[0].level:
            head, body = body[0].text, body[1:]
        annexes.append((head, body))
    return lines[:starts[0]], annexes


