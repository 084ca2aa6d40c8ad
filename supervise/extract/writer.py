"""The TOML writer: a draft that `supervise check` reads, with `# 待核实` on every guessed line."""

from __future__ import annotations

import tomllib
from datetime import date

from .drafts import CHECK, ExtractSummary, PlanDraft


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

    def missing(self, key: str, why: str, empty: str = '""', indent: str = "") -> None:
        """A key the text does not give: left out, as a comment saying why (never a placeholder value)."""
        self.lines.append(f"{indent}# {key} = {empty}  # {CHECK}：{_comment(why)}")
        self.unsure += 1


def render(plans: list[PlanDraft]) -> tuple[str, ExtractSummary]:
    w = _Writer()
    for plan in plans:
        notes = dict(plan.notes)
        w.lines += ["", "[[plan]]"]
        w.put("id", plan.id)
        if plan.title:
            w.put("title", plan.title, check=notes.get("title", ""))
        else:
            w.missing("title", notes.get("title", "未识别计划名称"))
        for key in ("doc_number", "issued_by", "issued"):
            value = getattr(plan, key)
            if value:
                w.put(key, value)
            elif key in notes:
                w.missing(key, notes[key])
        if plan.no_period:
            w.missing("start", notes.get("start", ""))
            w.missing("end", notes.get("end", ""))
        else:
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
            if t.title:
                w.put("title", t.title, check=t.title_check)
            else:
                w.missing("title", f"未识别任务名称；原文：{t.source}")
            if t.detail:
                w.put("detail", t.detail)
            if t.lead:
                w.put("lead", t.lead, check=t.units_check)
            else:
                w.missing("lead", f"{t.units_check}；原文：{t.source}" + (f"；{t.lead_hint}" if t.lead_hint else ""),
                          empty="[]")
            w.put("responsible", t.responsible, check=t.units_check if t.responsible else "")
            if not (plan.no_period and t.due == plan.end):     # no period: no plan end to fall back on
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
        no_lead=sum(not t.lead for t in tasks),
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
