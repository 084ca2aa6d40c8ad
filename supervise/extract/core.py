"""Drafting: from the document's text to plans and tasks (the passes are in the package docstring)."""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from datetime import date
from pathlib import Path

from ..files import NotRegular, TooBig, read_regular
from ..i18n import Msg, os_reason
from .deadlines import _period, find_dates
from .drafts import ExtractError, ExtractSummary, Indicator, PlanDraft, TaskDraft
from .layout import Node, build_tree, number_unit_blocks, split_annexes, task_nodes
from .tables import docx_lines, pasted_tables
from .targets import find_quantities
from .text import CJK, bigrams, document_lines, mask_titles, title_and_rest
from .units import FIRST_LEADS, find_units, subject_units
from .writer import render

__all__ = ["ExtractError", "ExtractSummary", "read_document", "extract_plans"]

# =============================================================================================
# Reading documents
# =============================================================================================

MAX_DOCUMENT = 100 * 1024 * 1024  # a plan document far bigger than any published one is refused, not read


def read_document(path: str | Path) -> str:
    """Text of a .txt/.md (UTF-8, else GB18030) or .docx (paragraphs, tables, list numbers)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".txt", ".md", ".text", ".docx"):
        hint = Msg("extract.save_as_docx") if suffix == ".doc" else ""
        raise ExtractError("extract.unsupported", path=p, suffix=suffix or Msg("extract.no_suffix"), hint=hint)
    try:
        raw = read_regular(p, MAX_DOCUMENT)  # a pipe or device refused at once, never waited on
    except FileNotFoundError:
        raise ExtractError("extract.no_file", path=p) from None
    except IsADirectoryError:
        raise ExtractError("extract.directory", path=p) from None
    except NotRegular:
        raise ExtractError("extract.not_regular", path=p) from None
    except TooBig:
        raise ExtractError("extract.too_big", path=p, limit=f"{MAX_DOCUMENT // (1024 * 1024)} MB") from None
    except OSError as err:
        raise ExtractError("extract.unreadable", path=p, error=os_reason(err)) from None
    if suffix != ".docx":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ExtractError("extract.encoding", path=p)
    try:
        import docx
        return "\n".join(docx_lines(docx.Document(io.BytesIO(raw))))
    except ExtractError:
        raise
    except Exception as err:  # python-docx raises zip, XML and key errors for broken files
        raise ExtractError("extract.bad_docx", path=p, kind=type(err).__name__) from None


# =============================================================================================
# Plan metadata
# =============================================================================================

_PERIOD = re.compile(r"(\d{4})年?[—–\-~至到]+(\d{4})年")
_DOC_NO = re.compile(rf"([{CJK}]{{1,8}})[〔\[【［（]\s*(\d{{4}})\s*[〕\]】］）]\s*(\d+)\s*号")
_FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ORG_END = re.compile(r"(?:政府|办公室|办公厅|小组|委员会|局|厅|委|部|中心|院|会)$")
_PLAN_WORDS = "计划|方案|规划|要点|任务|意见|清单|分工|分解|措施|细则|实事项目|为民办实事"


def _printed_title(preamble: list[str]) -> str:
    """The plan's name as printed above its text, on one or two short lines ("厦门市聚焦企业关切进一步落实 /
    优化营商环境政策的若干措施"): the last run of short lines, not a date or a signature, naming a plan."""
    best, run = "", []
    for ln in preamble:
        if not (len(ln) <= 30 and not re.search("[。，；：、]|\\d日$|^\\d+$|〔|^（.*）$|公开发布|印发", ln)
                and not _ORG_END.search(ln)):
            run = []
            continue
        run.append(ln)
        if len(run) <= 3 and re.search(f"(?:{_PLAN_WORDS})$", ln):
            best, run = "".join(run), []      # a name printed twice (a paragraph, then a table's title row) is one
    return best


def _in_order(short: str, long: str) -> bool:
    """Whether every character of short appears in long, in order (a notice's shortened name)."""
    it = iter(long)
    return all(ch in it for ch in short)


def plan_metadata(preamble: list[str], whole: str) -> dict:
    flat = "".join(preamble)
    meta: dict = {}
    notice = next((m for m in re.finditer(r"关于印发(.{2,80}?)的通知", flat)
                   if flat[:m.start()].count("《") == flat[:m.start()].count("》")), None)
    if not notice:                  # a page's heading gives the notice without 的通知: "…关于印发X工作方案"
        line = next((ln for ln in preamble if re.search(rf"关于印发.{{2,80}}(?:{_PLAN_WORDS})$", ln)), "")
        at = flat.find(line) if line else -1
        notice = re.compile(rf"关于印发(.{{2,80}}(?:{_PLAN_WORDS}))$").match(
            flat, flat.find("关于印发", at), at + len(line)) if at >= 0 else None
    if notice:
        meta["title"] = notice.group(1).strip("《》")
    elif preamble and (own := re.match(rf"《([^《》]{{4,60}}(?:{_PLAN_WORDS})[^《》]{{0,8}})》", preamble[0])):
        meta["title"] = own.group(1)          # "《2023年通州区重要民生实事项目》提到…": the document names itself
    else:
        for k, ln in enumerate(preamble):
            # a page's heading that is the notice itself, after its number ("京政办发〔2016〕26号《…关于印发〈X〉
            # 的通知》"): X is the plan
            if own_notice := re.fullmatch(r"(?:[^《》]{0,20}号)?《?[^《》〈〉]{0,30}关于印发[〈《]([^〈〉《》]{2,60})[〉》]的通知》?", ln):
                meta["title"] = own_notice.group(1)
                break
            # a line ending in a colon opens a list ("…确定区政府2023年民生实事项目为10项，分别是："): no name
            if re.search(_PLAN_WORDS, ln) and len(ln) <= 60 and "。" not in ln and not ln.endswith(("：", ":")):
                nxt = preamble[k + 1] if k + 1 < len(preamble) else ""
                prev = preamble[k - 1] if k else ""
                if ln.startswith("关于") and len(prev) <= 20 and _ORG_END.search(prev):
                    ln = prev + ln                    # "济宁市人民政府 / 关于…的意见": the issuer's line begins the title
                meta["title"] = (ln + (nxt if re.fullmatch(r"（[^）]*\d{4}[^）]*）", nxt) else "")).strip("《》")
                break
    if meta.get("title"):                             # "…实施意见（池政〔2017〕101号）": the number is not the name
        meta["title"] = re.sub(r"(?<=.{4})（[^（）]{1,10}〔\d{4}〕\d+号）$", "", meta["title"])
    heading_title = _printed_title(preamble)
    if heading_title and (not meta.get("title") or (notice and len(heading_title) > len(meta["title"])
                                                    and _in_order(meta["title"], heading_title))):
        meta["title"] = heading_title              # the notice shortened the name ("关于印发聚焦…若干措施的通知")
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
    heading: list[str] = []          # the title printed right above the text: "政府工作报告“十四五”时期 / 重点工作责任分解"
    for ln in reversed(preamble):
        if len(ln) > 30 or re.search("[。，；：]|公开发布|印发|\\d日$", ln):
            break
        heading.insert(0, ln)
    span = _period("".join(heading)) or _period(meta.get("title", ""), single=True) or _period(flat)
    if span:
        meta["start"], meta["end"] = span
    else:
        body = _period(whole)      # "2012年起5年内" said in the text
        if body:
            meta["start"], meta["end"] = body
            meta["period_from_text"] = True
    return meta


def draft_task(node: Node, tid: str, section: str, plan: PlanDraft) -> TaskDraft:
    text = node.full_text()
    units = find_units(text, first_leads=plan.first_leads) or subject_units(text)
    if units:                             # "…提升〔责任单位：区教委〕完成期限：…": the parts stay sentences
        left, right = text[:units.start].rstrip(), text[units.end:].strip()
        body = (left + ("。" if left and right and not left.endswith(("。", "；", "：")) else "") + right).strip()
    else:
        body = text
    if units and units.leftover:          # "6月底完成" was in the bracket: it is task text, not a unit
        body = body.rstrip("。") + "。" + units.leftover + "。"
    title, rest, long_title = title_and_rest(body)
    units_check = ""
    if node.repaired:
        units_check = "单位括号在原文中断开，已用后文错位的“单位：…”补全"
    elif units and units.unsure:
        units_check = units.unsure
    lead = units.lead if units else ()
    dates = [d for d in find_dates(body, plan.start.year, plan.single_year) if d.value >= plan.start]
    title_check = "标题取第一个句号前的文字，原文过长或为空" if long_title else ""
    if node.check:
        title_check = node.check + ("；" + title_check if title_check else "")
    task = TaskDraft(tid, section, title, rest, lead, units.responsible if units else (),
                     units_check, plan.end, "", "", title_check,
                     dates_found=len(dates), units_found=bool(units and (units.lead or units.responsible)),
                     text=body, source=(clean_source(node.label or node.text)))
    task.carry, task.carry_text = (units.carry, units.carry_text) if units else ((), "")

    # due: the plan's end unless the title carries a date; a later date in the text is kept
    # a stated time limit ("完成时限：2023年6月底前", a table's 完成时限 column) is the task's own
    in_title = [d for d in dates if re.search(r"(?:时限|期限|完成时间|时间节点)[：:]$", body[max(0, d.start - 6):d.start])]
    in_title = in_title or [d for d in dates if d.start < len(title)]
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


def suggest_lead(task: TaskDraft, plan: PlanDraft, everything: list[TaskDraft]) -> None:
    """A task whose text names no lead: the lead is left out (``check`` will name the task), and the
    comment says why, quotes the task and, where one exists, suggests where a lead might come from."""
    why = task.units_check or "原文未列单位"
    if "未写牵头单位" not in why and "未列单位" not in why:
        why = "原文未写牵头单位；" + why
    candidates = [t for t in plan.parent.tasks if t.lead] if plan.parent else []
    hint = ""
    if candidates:
        score, t = _closest(task, candidates)
        if score > 0.1:
            hint = f"可参考《{plan.parent.title}》最相近的任务 {t.id}“{t.title}”：{'、'.join(t.lead)}"
    if not hint and task.responsible:
        hint = f"原文所列第一个单位为{task.responsible[0]}"
    task.units_check = why
    task.lead_hint = hint


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
        raise ExtractError("extract.plan_id", id=plan_id)
    lines = number_unit_blocks(document_lines(pasted_tables(text) if "|" in text else text))
    main_lines, annexes = split_annexes(lines)
    root, preamble = build_tree(main_lines)
    meta = plan_metadata(preamble, text)
    plans: list[PlanDraft] = []
    main = _new_plan(meta, plan_id, text)
    main.first_leads = bool(FIRST_LEADS.search(text))
    _fill(main, root)
    if main.tasks:
        plans.append(main)
    for k, (title, body) in enumerate(annexes):
        if not re.search("任务|工作要点|重点工作|计划|清单|分工|台账", title):
            continue
        sub_root, _ = build_tree(body)
        own = _period(title, single=True)
        if not main.tasks and len(annexes) == 1 and not own and re.search("分工|清单|分解|台账", title):
            # the document's task list is its annexed 分工表: the plan is the document's own, with its
            # title and period; the table's title says only what the list is
            _fill(main, sub_root)
            if main.tasks:
                plans.append(main)
            continue
        (start, end), notes = own or (main.start, main.end), []
        if not own:
            notes.append(("start", "附件标题未写年份，期限取正文计划的期限"))
        suffix = "-key" if "重点" in title else "-annex"
        annex = PlanDraft(f"{main.id}{suffix}{k + 1 if len(annexes) > 1 else ''}", title, start, end,
                          main.doc_number, main.issued_by, main.issued, notes, parent=main,
                          first_leads=main.first_leads)
        _fill(annex, sub_root)
        if annex.tasks:
            plans.append(annex)
    everything = [t for p in plans for t in p.tasks]
    if not everything:
        raise ExtractError("extract.no_tasks")
    for p in plans:
        for t in p.tasks:
            if not t.lead:
                suggest_lead(t, p, everything)
    return render(plans)


def clean_source(text: str) -> str:
    """The task's opening as written, short enough for a comment."""
    text = text.strip()
    return text[:40] + ("…" if len(text) > 40 else "")


def _new_plan(meta: dict, plan_id: str | None, text: str) -> PlanDraft:
    notes = []
    start, end = meta.get("start"), meta.get("end")
    if meta.get("period_from_text"):
        notes += [("start", "标题未写期限，按正文所写期限推定"), ("end", "标题未写期限，按正文所写期限推定")]
    if not start:
        years = sorted(int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)年", text))
        if meta.get("issued"):
            years = [y for y in years if y >= meta["issued"].year] or [meta["issued"].year]
        years = years or [0]      # no year at all: the period is left out, and check names the plan
        start, end = date(years[0] or 1, 1, 1), date(min(years[-1], years[0] + 10) or 1, 12, 31)
        why = "原文未见计划期限，按文中年份推定" if years[0] else "原文未写年份，计划期限请按原文补上"
        notes += [("start", why), ("end", why)]
    title = meta.get("title") or ""
    if not title:
        notes.append(("title", "未识别计划名称，请按原文补上"))
    plan = PlanDraft(plan_id or (f"plan-{start.year}" if start.year > 1 else "plan"), title, start, end, meta.get("doc_number", ""),
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
    carried: list[str] = []
    rule = ""
    for section, node in items:
        counts[section] += 1
        tid = f"{sections.index(section) + 1}.{counts[section]}" if numbered else str(counts[section])
        task = draft_task(node, tid, section, plan)
        if task.carry:                    # "具体任务均涉及…，下同" / "以下任务均需…落实": this task and the rest
            carried, rule = [*carried, *task.carry], task.carry_text
        extra = tuple(u for u in dict.fromkeys(carried) if u not in task.lead and u not in task.responsible)
        if extra:
            task.responsible += extra
            note = f"{'、'.join(extra)}按原文“{rule}”补入"
            task.units_check = f"{task.units_check}；{note}" if task.units_check else note
        plan.tasks.append(task)


