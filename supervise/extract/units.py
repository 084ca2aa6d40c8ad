"""Unit phrases: the lead and responsible units of a task.

The forms offices write (examples from real plans in tests/test_extract_units.py):

- labelled lists in any bracket: 〔牵头单位：市民政局；责任单位：市财政局、各区县（市）政府〕,
  （牵头责任单位：县卫健委；主要协作单位：各乡镇人民政府）, （牵头单位：市发展改革委，配合单位：…）;
- formulas: （市工业和信息化局牵头，市住房城乡建设局配合）, （省政务局牵头，省直相关部门及各市州
  人民政府按职责分工负责）, 部门分工：省发展改革委牵头，各地、各部门配合;
- bare lists: （市民政局、市财政局）, where the document does not say who leads.

Only names that read as units are kept: "6月底完成" inside a bracket is a deadline, and is handed
back to the task text; "以下任务均需各区市政府、开发区管委落实，不再一一列出" or "具体任务均涉及
相关市（州）人民政府，不再做分工，下同" is a rule for the later tasks (``Units.carry``), not a unit.
A lead is never made up: a list without 牵头 gives no lead unless the document itself says that the
first-listed unit leads (``first_leads``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KIND = "牵头责任|主要协作|协同责任|牵头|主办|主责|责任|负责|配合|协作|协同|协办|参与|参加|承办"
#: the body a label names: 单位, 部门, or an office's own 科室 / 处室 (a bureau's plan: "（责任科室：组干科、机关党委）")
_LABEL_BODY = "单位|部门|科室|处室"
_LABEL = re.compile(rf"(?P<kind>{_KIND})(?:{_LABEL_BODY})\s*[：:]")
_LEAD_KINDS = ("牵头责任", "牵头", "主办", "主责")
_OPENERS, _CLOSERS = "〔[【［（(", "〕]】］）)"
#: how a unit's name ends: 局, 委, 政府, 管委会, 各部门, 各街道, 专班, 越秀区, an office's 组干科 …
_ORG = re.compile(r"(?:局|委|办|厅|政府|院|会|部|部门|单位|中心|室|科|队|处|所|站|社|联|协|盟|署|台|银行|司|组|馆|团|专班|管委|"
                  r"区|县|市|州|镇|乡|街道|村|社区|企业|公司|集团|学校|大学|医院|机构)(?:（[^（）]*）)?$")
#: a group named by a quantifier: 各地, 各部门, 各有关单位, 相关市（州）人民政府
_GROUP = re.compile(r"^(?:各|有关|相关|全区|全市|全县|市直|省直|区直|县直)")
#: a bare level word that continues the name before it: 各区、县级市; 市直有关部门、单位
_CONTINUES = re.compile(r"^(?:县级市|县（市）|县市区|县区|县|市|区|乡镇|镇|街道|单位|部门)$")
_DUTY = re.compile(r"(?:等(?:有关|相关)?(?:单位|部门)?)?(?:按照?职责分工负责|按照?职责分工|按照?职能分工负责|按照?职责负责|分别负责|"
                   r"分工负责|共同负责|负责落实|负责|配合|参与|参加|落实|实施)?$")
#: "X牵头" in a formula, not "各项目牵头单位"
_FORMULA = re.compile(r"牵头(?!单位|部门|责任)")
#: a sentence in a unit bracket that is a rule for the following tasks, not a list
_CARRY = re.compile(r"以下|下同|同上|不再|均需|均涉及|均由|均要")
_CARRY_UNITS = re.compile(r"(?:均需|均涉及|均由|均要|需要|需)(?P<names>[^，,。；]+?)(?:落实|负责|参与|配合|实施)?(?=[，,。；]|$)")
#: the document's own rule that the first-listed unit leads
FIRST_LEADS = re.compile(r"(?:列|排)(?:在)?(?:第一位|首位)(?:的|者)(?:责任)?(?:单位|部门)?(?:为|是)牵头|"
                         r"无牵头单位的[，,]?责任单位即为牵头单位|"
                         r"(?:第一|首个|首位)(?:责任)?(?:单位|部门)(?:即)?(?:为|是)牵头")
#: a note in brackets after a unit name that states a rule, not part of the name:
#: "市财政局（第一责任单位为牵头单位，下同）"
_NOTE = re.compile(r"（[^（）]*(?:下同|同上|为牵头|即为|不再)[^（）]*）$")
#: a clause that starts a rule for the later tasks: "…，以下均需各县市区落实，不再逐一列出"
_CARRY_START = re.compile(r"[，,；;](?=(?:以下|下同|同上)[^，,；;]*)")


@dataclass(frozen=True)
class Units:
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    start: int            # span of the bracket in the text, to cut it out of the detail
    end: int
    unsure: str
    leftover: str = ""    # bracket text that is not a unit ("6月底完成"): goes back to the task text
    carry: tuple[str, ...] = field(default=())   # units a "下同 / 以下任务均需…" rule adds to later tasks
    carry_text: str = ""  # that rule as written
    no_lead: bool = False  # the list names no lead (only 责任单位, or a bare list)


def looks_like_unit(name: str) -> bool:
    """Whether a name reads as a unit (a body or a named group), not a clause of text."""
    if not name or len(name) > 40 or re.search(r"\d|[。；：:]", name):
        return False
    return bool(_ORG.search(name) or (_GROUP.match(name) and len(name) <= 12))


def split_names(text: str) -> list[str]:
    """Split a unit list on 、，, and ；, never inside （…）; drop a trailing 等 or 按职责分工负责.

    A bare level word after a group stays with it: "各区、县级市" is one name.
    """
    names, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "（(" and 1 or (-1 if ch in "）)" and depth else 0)
        if ch in "、，,；;" and depth == 0:
            names.append(cur)
            cur = ""
        else:
            cur += ch
    names.append(cur)
    out: list[str] = []
    for n in names:
        n = n.strip(" 〔〕[]【】［］：:。")
        n = _DUTY.sub("", n).removesuffix("等").strip()
        if not n:
            continue
        if out and _CONTINUES.match(n) and (_GROUP.match(out[-1]) or out[-1].endswith("部门")):
            out[-1] += "、" + n
        else:
            out.append(n)
    return out


def _split_and(names: list[str]) -> list[str]:
    """"省直相关部门及各市州人民政府" is two units; "市人力资源和社会保障局" is one."""
    out = []
    for n in names:
        parts = n.split("及")
        if len(parts) == 2 and all(looks_like_unit(p) for p in parts):
            out += parts
        else:
            out.append(n)
    return out


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


def _sentences(body: str) -> list[str]:
    """The bracket's sentences, split at 。 outside （…）."""
    out, depth, cur = [], 0, ""
    for ch in body:
        depth += ch in "（(" and 1 or (-1 if ch in "）)" and depth else 0)
        if ch == "。" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [s.strip() for s in out + [cur] if s.strip()]


class _Reader:
    """Collects names from the sentences of one bracket."""

    def __init__(self) -> None:
        self.lead: list[str] = []
        self.resp: list[str] = []
        self.leftover: list[str] = []
        self.carry: list[str] = []
        self.carry_text = ""
        self.has_lead = False

    def names(self, text: str, into: list[str]) -> None:
        rule = next((m for m in _CARRY_START.finditer(text)
                     if text[:m.start()].count("（") + text[:m.start()].count("(")
                     == text[:m.start()].count("）") + text[:m.start()].count(")")), None)
        if rule:                                # "X，Y，以下均需Z落实，不再逐一列出": the rest is a rule
            self.carry_rule(text[rule.end():])
            text = text[:rule.start()]
        for n in _split_and(split_names(text)):
            n = _NOTE.sub("", n)
            (into if looks_like_unit(n) else self.leftover).append(n)

    def carry_rule(self, sentence: str) -> None:
        self.carry_text = sentence
        for m in _CARRY_UNITS.finditer(sentence):
            self.carry += [n for n in _split_and(split_names(m["names"])) if looks_like_unit(n)]

    def labelled(self, sentence: str) -> None:
        labels = list(_LABEL.finditer(sentence))
        if labels and sentence[:labels[0].start()].strip("，,；; "):
            self.names(sentence[:labels[0].start()], self.resp)
        for k, lab in enumerate(labels):
            rest = sentence[lab.end():labels[k + 1].start() if k + 1 < len(labels) else len(sentence)]
            if _FORMULA.search(rest):          # 责任单位：X牵头，Y配合
                self.formula(rest)
            elif lab["kind"] in _LEAD_KINDS:
                self.names(rest, self.lead)
                self.has_lead = True
            else:
                self.names(rest, self.resp)

    def formula(self, sentence: str) -> bool:
        """X牵头，Y配合 / X牵头，Y按职责分工负责 / 分管副省长负责，X牵头，Y… ; False if no 牵头."""
        m = _FORMULA.search(sentence)
        if not m:
            return False
        head, rest = sentence[:m.start()], sentence[m.end():]
        clauses = re.split(r"[，,；;]", head)
        self.names(clauses[-1], self.lead)
        self.has_lead = True
        self.leftover += [c for c in clauses[:-1] if c and not re.search("负责|分管|协管|领导", c)]
        self.names(rest.lstrip("，,、；; "), self.resp)
        return True

    def read(self, body: str, labelled: bool) -> None:
        for sentence in _sentences(body):
            if _CARRY.search(sentence) and not _LABEL.search(sentence):
                self.carry_rule(sentence)
            elif labelled or _LABEL.search(sentence):
                self.labelled(sentence)
            elif not self.formula(sentence):
                self.names(sentence, self.resp)


def _units(reader: _Reader, start: int, end: int, unsure: list[str], first_leads: bool) -> Units:
    lead, resp = list(dict.fromkeys(reader.lead)), list(dict.fromkeys(reader.resp))
    no_lead = not reader.has_lead
    if no_lead and resp:
        if first_leads:
            lead, resp = resp[:1], resp[1:]
            unsure.append("原文未写牵头单位，按文件所说“列第一位的为牵头单位”取第一个")
            no_lead = False
        else:
            unsure.append("原文只列单位、未写牵头单位")
    if reader.leftover:
        unsure.append(f"括号内“{'，'.join(reader.leftover)}”不是单位，已移回任务正文")
    return Units(tuple(lead), tuple(n for n in resp if n not in lead), start, end, "；".join(unsure),
                 "，".join(reader.leftover), tuple(dict.fromkeys(reader.carry)), reader.carry_text, no_lead)


def find_units(text: str, first_leads: bool = False) -> Units | None:
    """The task's unit list: 〔牵头单位：…；责任单位：…〕 in any bracket, a formula (X牵头，Y配合)
    or a bare （…） of names at the end of the task."""
    labels = list(_LABEL.finditer(text))
    if labels:
        first = labels[0]
        for lab in labels:      # the last bracket that holds labels
            if lab.start() > 0 and text[lab.start() - 1] in _OPENERS:
                first = lab
        start = first.start() - 1 if first.start() and text[first.start() - 1] in _OPENERS else first.start()
        begin = first.start()
        before = re.search(rf"[{re.escape(_OPENERS)}]([^{re.escape(_OPENERS + _CLOSERS)}。]{{1,12}}?[，,；;])$",
                           text[:first.start()])
        if start == first.start() and before:   # "（预期性指标，牵头单位：…": the bracket opens before the label
            start = begin = before.start()
            begin += 1
        close = _closing(text, first.start())
        end = close + 1 if close >= 0 else len(text)
        reader = _Reader()
        reader.read(text[begin:close if close >= 0 else len(text)], labelled=True)
        unsure = [] if close >= 0 else ["单位括号未闭合，请核对单位是否完整"]
        if not (reader.lead or reader.resp):
            return None
        return _units(reader, start, end, unsure, first_leads)
    # a copy may close the bracket twice ("…不再列出）]"): the stray closer is debris
    whole = len(text)
    text = re.sub(r"(?<=[）)〕】\]])[）)〕】\]](\s*。?)$", r"\1", text)
    tail = re.search(r"[（(〔【\[]([^（(〔【\[]*(?:（[^）]*）[^（(〔【\[）)〕】\]]*)*)[）)〕】\]]\s*。?$", text)
    if tail:
        reader = _Reader()
        reader.read(tail.group(1), labelled=False)
        named = reader.lead + reader.resp
        # a bracket of text that merely ends a sentence ("（试行）", "（2021年）") is no unit list
        if named and len(named) >= len(reader.leftover) and (reader.has_lead or not reader.leftover):
            return _units(reader, tail.start(), whole if tail.end() == len(text) else tail.end(), [], first_leads)
    return None


#: a line that holds only units ("牵头单位：区发改局", "部门分工：省发展改革委牵头，各地、各部门配合。")
#: a label and its units written on at the end of an item's heading line, with no bracket:
#: "（一）适龄女生HPV疫苗接种牵头责任部门:县卫生健康委员会"
INLINE_UNITS = re.compile(rf"(?<=[^\s：:，,。；、（(〔【\[])(?:{_KIND})(?:{_LABEL_BODY})\s*[：:][^：:，,。；（）()〔〕【】\[\]]+$")
UNIT_LINE = re.compile(rf"^(?:(?:{_KIND})(?:{_LABEL_BODY})|部门分工|责任分工|任务分工|分工)\s*[：:]")
#: a line that names a responsible person, not a unit ("分管省领导：林克庆", "牵头市领导：汤飞帆")
PERSON_LINE = re.compile(r"^(?:分管|协管|牵头|责任|联系|包保)?(?:负责)?(?:省|市|县|区)?(?:领导|负责人|负责同志)\s*[：:]")
#: the tail of a unit list that a page break displaced ("单位：市民政局；…〕"), and an item whose list
#: was cut off before it closed ("…〔牵头", "…〔牵头单位：市民政局；责任")
UNIT_FRAGMENT = re.compile(r"^(?:位|单位|(?:牵头|责任)单位)[：:].*[〕\]】］）)]$")
OPEN_UNITS = re.compile(r"[〔\[【［（(]\s*(?:牵头|责任)[^〔〕\[\]【】［］]*$|[〔\[【［]$")


def unit_line(line: str) -> str:
    """A unit line as bracket content: the key of 部门分工：… is dropped, labels are kept."""
    line = line.rstrip("。；; ")
    m = re.match(r"^(?:部门分工|责任分工|任务分工|分工)\s*[：:]", line)
    return line[m.end():] if m else line


#: units named as the subject of the task's sentence, where no bracket or label names them:
#: "各乡镇、水务局、自然资源局要加强…", "农委要对…", "各乡镇汇同环保局完善…", "各乡镇政府继续推进…"
_BODY = r"(?:局|委|办|厅|政府|乡镇|街道|部门|单位|中心|管委会|管委|委员会|办公室|院|站|所|队|公司|集团|社区|联|协)"
_NAME = rf"[^\W\d_]{{1,16}}?{_BODY}(?:（[^（）]{{1,8}}）)?"
_SUBJECT = re.compile(
    rf"(?P<names>{_NAME}(?:[、和及]{_NAME})*)(?:(?:会同|汇同|联合|协同)(?P<with>{_NAME}(?:[、和及]{_NAME})*))?"
    r"(?=要|应|须|负责|牵头|继续|加强|做好|抓好|组织|开展|推进|完善|对|按照|切实|全面|进一步)")
#: a task opens with a verb, never with a unit: "推动各街道对辖区…" names no subject
_VERB_START = re.compile("推进|推动|加强|加快|完善|建立|健全|实施|开展|深化|落实|强化|提升|提高|优化|持续|全面|积极|大力|"
                         "做好|抓好|组织|支持|鼓励|引导|规范|严格|继续|切实|进一步|着力|扎实|创新|构建|打造|培育|发展|建设|"
                         "促进|保障|确保|统筹|探索|坚持|实行|开展|全力|新增|新建|完成|争取|力争|聚焦|围绕")


def subject_units(text: str) -> Units | None:
    """Units that are the subject of the task's first sentence, or of the sentence after its title
    ("（一）山洪防治。各乡镇、水务局、自然资源局要加强…"). They are responsible units; the text
    names no lead. Nothing is cut from the text: the names stay in the sentence they belong to."""
    title_end = text.find("。") + 1
    for at in dict.fromkeys((0, title_end if 0 < title_end < len(text) else 0)):
        m = _SUBJECT.match(text, at)
        if not m:
            continue
        names = re.split("[、和及]", m["names"]) + (re.split("[、和及]", m["with"]) if m["with"] else [])
        if all(looks_like_unit(n) and not _VERB_START.match(n) for n in names):
            return Units((), tuple(dict.fromkeys(names)), at, at, "原文未写牵头单位，单位取自句首主语", no_lead=True)
    return None
