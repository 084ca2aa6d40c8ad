"""Draft plans.toml from the plan document itself (`supervise extract DOC`).

Four passes over the text of an official action plan (.txt/.md, or .docx):

1. normalise (extract_text.document_lines): drop [bookmark: …] tags and page
   furniture, split lines at numbering markers, remove stray spaces;
2. structure: a tree of numbered items 一、/（一）/1./（1）, with annexes
   (附件 … 重点工作任务) cut off as plans of their own; task sections are the
   一、 parts about tasks, and tasks are the deepest items that are not headings;
3. fields: per task the title (phrase before the first 。), detail, units,
   due date, milestones (dated clauses) and indicators (quantitative targets);
4. writer: TOML that passes `supervise check`, with `# 待核实` on every line
   the extractor had to guess.

The rules are about how such plans are written, never about one document.
Pure core: no terminal libraries.
"""

from __future__ import annotations

import io
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .extract_text import (
    CJK,
    CN_NUM,
    OPEN_UNITS,
    UNIT_FRAGMENT,
    Line,
    Quantity,
    bigrams,
    document_lines,
    docx_lines,
    find_dates,
    find_quantities,
    find_units,
    mask_titles,
    title_and_rest,
)

__all__ = ["ExtractError", "ExtractSummary", "read_document", "extract_plans"]

CHECK = "待核实"


class ExtractError(ValueError):
    """The document cannot be read or holds no tasks; the message names the file where known."""


@dataclass(frozen=True)
class ExtractSummary:
    tasks: int
    units: int          # distinct unit names read from the document
    dates: int          # date phrases read from task text
    indicators: int
    unsure: int         # lines marked # 待核实
    plans: int = 0
    milestones: int = 0

    def describe(self, lang: str = "en") -> str:
        if lang.startswith("zh"):
            return (f"识别计划 {self.plans} 个、任务 {self.tasks} 项、单位 {self.units} 个、日期 {self.dates} 处、"
                    f"节点 {self.milestones} 个、指标 {self.indicators} 个；{self.unsure} 处标有“# 待核实”，请逐一核对。")
        return (f"found {self.plans} plans, {self.tasks} tasks, {self.units} units, {self.dates} dates, "
                f"{self.milestones} milestones, {self.indicators} indicators; "
                f"{self.unsure} lines marked '# {CHECK}' need checking")


# =============================================================================================
# Reading documents
# =============================================================================================

def read_document(path: str | Path) -> str:
    """Text of a .txt/.md (UTF-8, else GB18030) or .docx (paragraphs, tables, list numbers)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".txt", ".md", ".text", ".docx"):
        hint = " (save it as .docx)" if suffix == ".doc" else ""
        raise ExtractError(f"{p}: unsupported file type '{suffix or 'none'}'{hint}; use .txt, .md or .docx")
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ExtractError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise ExtractError(f"{p}: is a directory, not a document") from None
    except OSError as err:
        raise ExtractError(f"{p}: cannot read: {err.strerror or err}") from None
    if suffix != ".docx":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ExtractError(f"{p}: not UTF-8 or GB18030 text")
    try:
        import docx
        return "\n".join(docx_lines(docx.Document(io.BytesIO(raw))))
    except ExtractError:
        raise
    except Exception as err:  # python-docx raises zip, XML and key errors for broken files
        raise ExtractError(f"{p}: not a readable .docx file ({type(err).__name__})") from None


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

    @property
    def title(self) -> str:
        return title_and_rest(self.text)[0]

    @property
    def label(self) -> str:
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
                node = Node(line.level, line.num, line.text)
                stack[j].children.append(node)
                del stack[j + 1:]
                stack.append(node)
                continue
            text = line.marker.strip() + line.text
        else:
            text = line.text
        current = stack[-1]
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


_TASK_PART = re.compile("任务|重点工作|主要工作|工作重点|工程|行动|举措")
_NOT_TASKS = re.compile("目标|原则|指导思想|总体要求|保障|步骤|进度|组织实施|背景|形势|意义|现状")


def _descendants(node: Node):
    for c in node.children:
        yield c
        yield from _descendants(c)


def task_nodes(root: Node) -> list[tuple[str, Node]]:
    """(section label, item) for every task: the deepest items of the task parts that are not headings."""
    parts = [c for c in root.children if c.level == 1]
    if not parts:
        regions = [root]
    else:
        regions = [p for p in parts if _TASK_PART.search(p.title) and not _NOT_TASKS.search(p.title)]
        if not regions:
            regions = [p for p in parts if not _NOT_TASKS.search(p.title)
                       and any(find_units(d.text) for d in _descendants(p))]
    out: list[tuple[str, Node]] = []

    def walk(node: Node, section: str) -> None:
        for kid in node.children:
            rest = title_and_rest(kid.text)[1]
            if any(c.level >= 3 for c in kid.children) and (len(rest) < 30 or kid.text.endswith("：")):
                walk(kid, kid.label)
            else:
                out.append((section, kid))

    for region in regions:
        walk(region, region.label if len(regions) > 1 else "")
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


# =============================================================================================
# Plan metadata
# =============================================================================================

_PERIOD = re.compile(r"(\d{4})年?[—–\-~至到]+(\d{4})年")
_DOC_NO = re.compile(rf"([{CJK}]{{1,8}})[〔\[【［（]\s*(\d{{4}})\s*[〕\]】］）]\s*(\d+)\s*号")
_FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ORG_END = re.compile(r"(?:政府|办公室|办公厅|小组|委员会|局|厅|委|部|中心|院|会)$")


@dataclass
class PlanDraft:
    id: str
    title: str
    start: date
    end: date
    doc_number: str = ""
    issued_by: str = ""
    issued: date | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)   # (key, why it is 待核实)
    tasks: list[TaskDraft] = field(default_factory=list)
    parent: PlanDraft | None = None

    @property
    def single_year(self) -> bool:
        return self.start.year == self.end.year


def plan_metadata(preamble: list[str], whole: str) -> dict:
    flat = "".join(preamble)
    meta: dict = {}
    notice = next((m for m in re.finditer(r"关于印发(.{2,80}?)的通知", flat)
                   if flat[:m.start()].count("《") == flat[:m.start()].count("》")), None)
    if notice:
        meta["title"] = notice.group(1).strip("《》")
    else:
        for k, ln in enumerate(preamble):
            if re.search("计划|方案|规划|要点|任务", ln) and len(ln) <= 60 and "。" not in ln:
                nxt = preamble[k + 1] if k + 1 < len(preamble) else ""
                meta["title"] = ln + (nxt if re.fullmatch(r"（[^）]*\d{4}[^）]*）", nxt) else "")
                break
    text = "\n".join(preamble)
    for m in _DOC_NO.finditer(text):
        if text[max(0, m.start() - 2):m.start()] not in ("》（", "》["):   # not a cited document's number
            meta["doc_number"] = f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
            break
    for m in _FULL_DATE.finditer(mask_titles(text)):
        try:
            meta["issued"] = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        signer = re.split(r"[\n。：]", text[:m.start()].rstrip())[-1].strip()   # the line or clause before the date
        if 2 <= len(signer) <= 30 and _ORG_END.search(signer):
            meta["issued_by"] = signer
        break
    if "issued" not in meta:
        printed = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日印发", whole)
        if printed:
            meta["issued"] = date(*map(int, printed.groups()))
    if "issued_by" not in meta and notice:
        issuer = flat[:notice.start()].strip()[-30:]
        if len(issuer) >= 2 and _ORG_END.search(issuer):
            meta["issued_by"] = issuer
    span = _period(meta.get("title", ""), single=True) or _period(flat)
    if span:
        meta["start"], meta["end"] = span
    return meta


def _period(text: str, single: bool = False) -> tuple[date, date] | None:
    """The plan's span from "2021—2023年" (or, if single, the one year of "2021年重点工作任务")."""
    for m in _PERIOD.finditer(text):
        first, last = int(m.group(1)), int(m.group(2))
        if 0 <= last - first <= 10:
            return date(first, 1, 1), date(last, 12, 31)
    year = re.search(r"(?<!\d)(\d{4})年", text) if single else None
    return (date(int(year.group(1)), 1, 1), date(int(year.group(1)), 12, 31)) if year else None


# =============================================================================================
# Tasks
# =============================================================================================

@dataclass
class Indicator:
    q: Quantity
    due: str | None
    due_check: str
    source: str


@dataclass
class TaskDraft:
    id: str
    section: str
    title: str
    detail: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    units_check: str
    due: str | date
    due_note: str
    due_check: str
    title_check: str = ""
    milestones: list[tuple[str, str, str]] = field(default_factory=list)   # (title, due, check)
    indicators: list[Indicator] = field(default_factory=list)
    dates_found: int = 0
    units_found: bool = False
    text: str = ""


def draft_task(node: Node, tid: str, section: str, plan: PlanDraft) -> TaskDraft:
    text = node.full_text()
    units = find_units(text)
    body = (text[:units.start] + text[units.end:]).strip() if units else text
    title, rest, long_title = title_and_rest(body)
    units_check = ""
    if node.repaired:
        units_check = "单位括号在原文中断开，已用后文错位的“单位：…”补全"
    elif units and units.unsure:
        units_check = units.unsure
    lead = units.lead if units else ()
    dates = [d for d in find_dates(body, plan.start.year, plan.single_year) if d.value >= plan.start]
    if not title:
        title, long_title = CHECK, True
    task = TaskDraft(tid, section, title, rest, lead, units.responsible if units else (),
                     units_check, plan.end, "", "", "标题取第一个句号前的文字，原文过长或为空" if long_title else "",
                     dates_found=len(dates), units_found=bool(lead), text=body)

    # due: the plan's end unless the title carries a date; a later date in the text is kept
    in_title = [d for d in dates if d.start < len(title)]
    latest = max(dates, key=lambda d: d.value, default=None)
    if in_title:
        chosen = max(in_title, key=lambda d: d.value)
        task.due, task.due_check = chosen.phrase, "原文未写年份，按计划起始年份" if chosen.guessed_year else ""
    elif latest is None:
        task.due_note = "原文无时限，取计划期末"
    elif latest.value >= plan.end or plan.single_year:   # an annual plan's task is due by its own date
        task.due = latest.phrase
        task.due_check = ("晚于计划期末" if latest.value > plan.end else "") or \
                         ("原文未写年份，按计划起始年份" if latest.guessed_year else "")
    else:
        task.due_check = f"原文时限（{latest.phrase}）只及部分工作（见节点、指标），任务取计划期末"
    due_value = next((d.value for d in dates if d.phrase == task.due), plan.end)

    # sentences: dates scope the clauses after them; quantities become indicators, the rest milestones
    masked = mask_titles(body)
    for d in dates:
        masked = masked[:d.start] + "□" * (d.end - d.start) + masked[d.end:]
    pos = 0
    for sentence in re.split(r"(?<=。)", body):
        s_start, s_end = pos, pos + len(sentence)
        pos = s_end
        here = [d for d in dates if s_start <= d.start < s_end and d not in in_title]
        qs = find_quantities(masked[s_start:s_end])
        for q in qs:
            if q.one_off:
                continue
            dated = [d for d in dates if s_start <= d.start < s_end]
            d = max((d for d in dated if d.start - s_start <= q.start), key=lambda d: d.start, default=None) \
                or (dated[0] if dated else None)
            check = "原文未写年份，按计划起始年份" if d and d.guessed_year else ""
            task.indicators.append(Indicator(q, d.phrase if d and d.value != due_value else None, check,
                                             sentence.strip()))
        for k, d in enumerate(here):
            stop = here[k + 1].start if k + 1 < len(here) else s_end
            if any(not q.one_off and d.end <= q.start + s_start < stop for q in qs):
                continue
            clause = re.sub("^(?:确保|力争|争取|要|基本)", "", _first_clause(body[d.end:stop]))[:60]
            if clause and all(m[0] != clause for m in task.milestones):
                task.milestones.append((clause, d.phrase, "原文未写年份，按计划起始年份" if d.guessed_year else ""))
    return task


def _first_clause(text: str) -> str:
    """The first non-empty clause of text ("到X，完成Y" -> 完成Y), ending at ，；：。 or an unopened ）."""
    depth, clause = 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif ch in "，；：。）)":
            if clause.strip():
                break
            clause = ""
            continue
        clause += ch
    return clause.strip()


def guess_units(task: TaskDraft, plan: PlanDraft, everything: list[TaskDraft]) -> None:
    """Best guess for a task whose document lists no units; always marked 待核实."""
    candidates = [t for t in plan.parent.tasks if t.units_found] if plan.parent else []
    if candidates:
        score, t = _closest(task, candidates)
        if score > 0.1:
            task.lead, task.responsible = t.lead, t.responsible
            task.units_check = f"原文未列单位，按《{plan.parent.title}》最相近的任务 {t.id}“{t.title}”推定"
            return
    leads = Counter(u for t in everything if t.units_found for u in t.lead[:1])
    if leads:
        task.lead = (leads.most_common(1)[0][0],)
        task.units_check = "原文未列单位，暂取本文件最常见的牵头单位"
    elif plan.issued_by:
        task.lead = (plan.issued_by,)
        task.units_check = "原文未列单位，暂取发文机关"
    else:
        task.lead = (CHECK,)
        task.units_check = "原文未列单位"


def _closest(task: TaskDraft, candidates: list[TaskDraft]) -> tuple[float, TaskDraft]:
    """The candidate most like the task: cosine of TF-IDF weighted character bigrams, titles counted twice."""
    docs = [Counter(bigrams(t.title) * 2 + bigrams(t.text)) for t in candidates]
    df = Counter(b for d in docs for b in d)
    idf = {b: math.log((1 + len(docs)) / (1 + n)) + 1 for b, n in df.items()}

    def unit(counts: Counter[str]) -> dict[str, float]:
        v = {b: c * idf.get(b, 0.0) for b, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {b: x / norm for b, x in v.items()}

    mine = unit(Counter(bigrams(task.title) * 2 + bigrams(task.text)))
    scores = [sum(w * theirs.get(b, 0.0) for b, w in mine.items()) for theirs in map(unit, docs)]
    best = max(range(len(docs)), key=scores.__getitem__)
    return scores[best], candidates[best]


# =============================================================================================
# Putting it together
# =============================================================================================

def extract_plans(text: str, *, plan_id: str | None = None) -> tuple[str, ExtractSummary]:
    """Draft a plans.toml from a plan document's text; returns the TOML and a summary."""
    if plan_id is not None and not re.fullmatch(r"[a-z0-9-]+", plan_id):
        raise ExtractError(f"plan id {plan_id!r} must use only a-z, 0-9 and '-'")
    lines = document_lines(text)
    main_lines, annexes = split_annexes(lines)
    root, preamble = build_tree(main_lines)
    meta = plan_metadata(preamble, text)
    plans: list[PlanDraft] = []
    main = _new_plan(meta, plan_id, text)
    _fill(main, root)
    if main.tasks:
        plans.append(main)
    for k, (title, body) in enumerate(annexes):
        if not re.search("任务|工作要点|重点工作|计划|清单|分工|台账", title):
            continue
        sub_root, _ = build_tree(body)
        (start, end), notes = _period(title, single=True) or (main.start, main.end), []
        if not _period(title, single=True):
            notes.append(("start", "附件标题未写年份，期限取正文计划的期限"))
        suffix = "-key" if "重点" in title else "-annex"
        annex = PlanDraft(f"{main.id}{suffix}{k + 1 if len(annexes) > 1 else ''}", title, start, end,
                          main.doc_number, main.issued_by, main.issued, notes, parent=main)
        _fill(annex, sub_root)
        if annex.tasks:
            plans.append(annex)
    everything = [t for p in plans for t in p.tasks]
    if not everything:
        raise ExtractError("found no numbered tasks (一、… / （一）… / 1. …) in the document")
    if main.start.year == 1:
        raise ExtractError("cannot tell the plan's period: the document names no year")
    for p in plans:
        for t in p.tasks:
            if not t.lead:
                guess_units(t, p, everything)
    return render(plans)


def _new_plan(meta: dict, plan_id: str | None, text: str) -> PlanDraft:
    notes = []
    start, end = meta.get("start"), meta.get("end")
    if not start:
        years = sorted(int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)年", text))
        if meta.get("issued"):
            years = [y for y in years if y >= meta["issued"].year] or [meta["issued"].year]
        years = years or [0]      # no year at all: refused in extract_plans once we know there are tasks
        start, end = date(years[0] or 1, 1, 1), date(min(years[-1], years[0] + 10) or 1, 12, 31)
        notes += [("start", "原文未见计划期限，按文中年份推定"), ("end", "原文未见计划期限，按文中年份推定")]
    title = meta.get("title") or ""
    if not title:
        title = CHECK
        notes.append(("title", "未识别计划名称"))
    plan = PlanDraft(plan_id or f"plan-{start.year}", title, start, end, meta.get("doc_number", ""),
                     meta.get("issued_by", ""), meta.get("issued"), notes)
    for key, what in (("doc_number", "文号"), ("issued_by", "发文机关"), ("issued", "印发日期")):
        if not meta.get(key):
            plan.notes.append((key, f"原文未见{what}"))
    return plan


def _fill(plan: PlanDraft, root: Node) -> None:
    items = task_nodes(root)
    sections = list(dict.fromkeys(s for s, _ in items))
    numbered = any(sections)
    counts: Counter[str] = Counter()
    for section, node in items:
        counts[section] += 1
        tid = f"{sections.index(section) + 1}.{counts[section]}" if numbered else str(counts[section])
        plan.tasks.append(draft_task(node, tid, section, plan))


# =============================================================================================
# TOML
# =============================================================================================

def toml_str(value: str) -> str:
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(v) -> str:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_str(x) for x in v) + "]"
    if isinstance(v, (int, float)):
        return repr(v)
    return toml_str(v)


def _comment(text: str) -> str:
    """One line of comment text: TOML allows no newline or control character in a comment."""
    return " ".join("".join(ch if ch >= " " and ch != "\x7f" else " " for ch in text).split())


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.unsure = 0

    def put(self, key: str, value, *, check: str = "", note: str = "", indent: str = "") -> None:
        line = f"{indent}{key} = {_value(value)}"
        if check:
            line += f"  # {CHECK}：{_comment(check)}"
            self.unsure += 1
        elif note:
            line += f"  # {_comment(note)}"
        self.lines.append(line)

    def missing(self, key: str, why: str) -> None:
        self.lines.append(f"# {key} = \"\"  # {CHECK}：{why}")
        self.unsure += 1


def render(plans: list[PlanDraft]) -> tuple[str, ExtractSummary]:
    w = _Writer()
    for plan in plans:
        notes = dict(plan.notes)
        w.lines += ["", "[[plan]]"]
        w.put("id", plan.id)
        w.put("title", plan.title, check=notes.get("title", ""))
        for key in ("doc_number", "issued_by", "issued"):
            value = getattr(plan, key)
            if value:
                w.put(key, value)
            elif key in notes:
                w.missing(key, notes[key])
        w.put("start", plan.start, check=notes.get("start", ""))
        w.put("end", plan.end, check=notes.get("end", ""))
        section = None
        for t in plan.tasks:
            if t.section != section and t.section:
                w.lines += ["", f"# ---- {_comment(t.section)} ----"]
            section = t.section
            w.lines += ["", "[[task]]"]
            w.put("plan", plan.id)
            w.put("id", t.id)
            if t.section:
                w.put("section", t.section)
            w.put("title", t.title, check=t.title_check)
            if t.detail:
                w.put("detail", t.detail)
            w.put("lead", t.lead, check=t.units_check)
            w.put("responsible", t.responsible, check=t.units_check if t.responsible else "")
            w.put("due", t.due, check=t.due_check, note=t.due_note)
            for k, (title, due, check) in enumerate(t.milestones):
                w.lines += ["", "  [[task.milestone]]"]
                w.put("id", chr(ord("a") + k) if k < 26 else f"m{k + 1}", indent="  ")
                w.put("title", title, indent="  ")
                w.put("due", due, check=check, indent="  ")
            for k, ind in enumerate(t.indicators, start=1):
                q = ind.q
                w.lines += ["", f"  # 原文：{_comment(ind.source)}", "  [[task.indicator]]"]
                w.put("id", f"i{k}", indent="  ")
                w.put("name", q.name, check=q.unsure, indent="  ")
                w.put("unit", q.unit, indent="  ")
                w.put("target", q.target, indent="  ")
                if q.direction == "down":
                    w.put("direction", "down", indent="  ",
                          check="按“不超过/以下”等用语判为越低越好；请补 baseline（现值），否则 check 会提示")
                if ind.due:
                    w.put("due", ind.due, check=ind.due_check, indent="  ")
    tasks = [t for p in plans for t in p.tasks]
    summary = ExtractSummary(
        tasks=len(tasks),
        units=len({u for t in tasks if t.units_found for u in (*t.lead, *t.responsible)}),
        dates=sum(t.dates_found for t in tasks),
        indicators=sum(len(t.indicators) for t in tasks),
        unsure=w.unsure,
        plans=len(plans),
        milestones=sum(len(t.milestones) for t in tasks),
    )
    head = [
        "# plans.toml 草稿：由 supervise extract 从计划原文生成，请逐条对照原文核对后再导入。",
        f"# 标有“# {CHECK}”的行是提取时拿不准的地方，共 {w.unsure} 处；“# 原文：”为指标所据原句。",
        f"# 计划 {summary.plans} 个，任务 {summary.tasks} 项，单位 {summary.units} 个，"
        f"日期 {summary.dates} 处，节点 {summary.milestones} 个，指标 {summary.indicators} 个。",
        "",
        "schema = 1",
    ]
    out = "\n".join(head + w.lines) + "\n"
    tomllib.loads(out)   # the writer's own guarantee: never hand the clerk a file TOML cannot read
    return out, summary
