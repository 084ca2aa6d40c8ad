"""The interface's words in English and Chinese: one catalogue, one lookup.

Plan content (titles, units, notes) never passes through here: it is shown as written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGS = ("en", "zh")


def detect_lang(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """--lang, else $SUPERVISE_LANG, else $LANG (zh* → zh), else English."""
    env = os.environ if env is None else env
    for value in (explicit, env.get("SUPERVISE_LANG")):
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(lang: str, key: str, **params) -> str:
    entry = CATALOGUE.get(key)
    if entry is None:
        return key.format(**params) if params else key
    text = entry[1] if lang == "zh" else entry[0]
    return text.format(**params) if params else text


def rag_word(lang: str, rag: str) -> str:
    return t(lang, f"rag.{rag}")


# key: (English, 中文)
CATALOGUE: dict[str, tuple[str, str]] = {
    # colours
    "rag.red": ("red", "红"),
    "rag.amber": ("amber", "黄"),
    "rag.green": ("green", "绿"),
    "rag.done": ("done", "完成"),
    "rag.withdrawn": ("withdrawn", "已撤销"),
    # reasons
    "reason.overdue": ("overdue {days} days", "逾期 {days} 天"),
    "reason.overdue_one": ("overdue 1 day", "逾期 1 天"),
    "reason.due_today": ("due today", "今天到期"),
    "reason.due_in": ("due in {days} days", "{days} 天后到期"),
    "reason.due_in_one": ("due in 1 day", "1 天后到期"),
    "reason.done_on": ("done on {on}", "已于 {on} 完成"),
    "reason.all_done": ("all items done", "各项均已完成"),
    "reason.met": ("target met: {value} of {target}", "已达目标：{value}/{target}"),
    "reason.no_value": ("no value reported, {due}% due by now", "未报送数值，序时应完成 {due}%"),
    "reason.no_value_missed": ("no value reported, target due {days} days ago", "未报送数值，已逾期 {days} 天"),
    "reason.pace": ("{done}% done, {due}% due by now", "完成 {done}%，序时应完成 {due}%"),
    "reason.missed": ("target missed {days} days ago: {done}% done", "已逾期 {days} 天未达目标：完成 {done}%"),
    "reason.override": ("override: {reason}", "人工调整：{reason}"),
    "reason.override_until": ("override until {until}: {reason}", "人工调整（至 {until}）：{reason}"),
    "reason.stale": ("no progress for {days} days", "{days} 天无进展"),
    "reason.not_started": ("starts {on}", "{on} 开始"),
    # column headers
    "col.rag": ("Status", "状态"),
    "col.id": ("ID", "编号"),
    "col.title": ("Title", "任务"),
    "col.lead": ("Lead", "牵头单位"),
    "col.responsible": ("Responsible", "责任单位"),
    "col.reason": ("Reason", "原因"),
    "col.next_due": ("Next due", "下一节点"),
    "col.due": ("Due", "完成时限"),
    "col.plan": ("Plan", "计划"),
    "col.section": ("Section", "板块"),
    "col.unit": ("Unit", "单位"),
    "col.total": ("Total", "合计"),
    "col.only_responsible": ("As responsible", "参与（非牵头）"),
    "col.when": ("Recorded", "记录时间"),
    "col.on": ("Date", "日期"),
    "col.action": ("Action", "操作"),
    "col.task": ("Task", "任务"),
    "col.what": ("What", "内容"),
    "col.note": ("Latest note", "最新进展"),
    "col.milestone": ("Milestone", "节点"),
    "col.progress": ("Progress", "进度"),
    "col.stale": ("Stale", "停滞"),
    "col.flags": ("Flags", "标记"),
    # summaries
    "summary.counts": ("{red} red · {amber} amber · {green} green · {done} done", "红 {red} · 黄 {amber} · 绿 {green} · 完成 {done}"),
    "summary.as_of": ("as of {on}", "截至 {on}"),
    "status.none": ("No tasks match.", "没有符合条件的任务。"),
    "status.title": ("Status as of {on}", "截至 {on} 的任务状态"),
    # check / import
    "check.ok": ("{file}: OK — {plans} plans, {tasks} tasks, {milestones} milestones, {indicators} indicators",
                 "{file}：通过 — {plans} 个计划，{tasks} 项任务，{milestones} 个节点，{indicators} 项指标"),
    "import.counts": ("{added} added, {changed} changed, {withdrawn} withdrawn, {restored} restored",
                      "新增 {added}，修改 {changed}，撤销 {withdrawn}，恢复 {restored}"),
    "import.dry_run": ("dry run: nothing written", "试运行：未写入任何内容"),
    "import.backup": ("backup: {path}", "已备份：{path}"),
    "import.added": ("added", "新增"),
    "import.changed": ("changed", "修改"),
    "import.withdrawn": ("withdrawn", "撤销"),
    "import.restored": ("restored", "恢复"),
    "import.imported": ("imported {file}", "已导入 {file}"),
    # actions (event summaries are stored in English-neutral form and rendered here)
    "done.tick": ("{target} done on {on}", "{target} 已于 {on} 完成"),
    "done.retick": ("{target} done date changed to {on}", "{target} 完成日期改为 {on}"),
    "done.untick": ("{target} marked not done", "{target} 已取消完成"),
    "done.note": ("note added to {target}", "已为 {target} 添加备注"),
    "done.record": ("{target} = {value} on {on}", "{target} = {value}（{on}）"),
    "done.override": ("{target} overridden to {rag} from {on}", "{target} 自 {on} 起人工调整为{rag}"),
    "done.override_clear": ("override on {target} cleared from {on}", "{target} 的人工调整自 {on} 起取消"),
    "done.review": ("review held on {on}", "已记录 {on} 召开的推进会"),
    "done.undo": ("undone: {what}", "已撤销：{what}"),
    "done.backup": ("backup written to {path}", "备份已写入 {path}"),
    "done.already": ("{target} was already done on {on}", "{target} 已于 {on} 完成，无需重复"),
    "done.brief": ("briefing written to {path}", "汇报材料已写入 {path}"),
    "done.ledger": ("ledger written to {path}", "台账已写入 {path}"),
    "event.tick": ("tick", "完成"),
    "event.untick": ("untick", "取消完成"),
    "event.note": ("note", "备注"),
    "event.record": ("record", "填报数值"),
    "event.override": ("override", "人工调整"),
    "event.override_clear": ("clear override", "取消人工调整"),
    "event.import": ("import", "导入"),
    "event.review": ("review held", "召开推进会"),
    "event.undo": ("undo", "撤销"),
    "log.none": ("Nothing recorded in this period.", "此期间没有记录。"),
    "log.undone": ("(undone)", "（已撤销）"),
    # errors
    "err.unknown_task": ("unknown task {ref!r}{hint}", "未知任务 {ref!r}{hint}"),
    "err.ambiguous_task": ("task id {ref!r} is ambiguous: {candidates}", "任务编号 {ref!r} 不唯一：{candidates}"),
    "err.unknown_milestone": ("task {task} has no milestone {ref!r}{hint}", "任务 {task} 没有节点 {ref!r}{hint}"),
    "err.unknown_indicator": ("task {task} has no indicator {ref!r}{hint}", "任务 {task} 没有指标 {ref!r}{hint}"),
    "err.hint": (" (did you mean {options}?)", "（是否指 {options}？）"),
    "err.hint_list": (" (choose from: {options})", "（可选：{options}）"),
    "err.withdrawn": ("{what} is withdrawn from the plan; re-import a file that lists it to act on it",
                      "{what} 已从计划中撤销；如需操作，请重新导入包含它的计划文件"),
    "err.not_done": ("{target} is not done", "{target} 尚未完成"),
    "err.no_open_milestone": ("all milestones of {task} are done", "{task} 的所有节点均已完成"),
    "err.bad_value": ("not a number: {value!r}", "不是数字：{value!r}"),
    "err.bad_date": ("{detail}", "{detail}"),
    "err.bad_rag": ("colour must be red, amber or green, not {value!r}", "颜色须为 red、amber 或 green，而非 {value!r}"),
    "err.no_reason": ("an override needs --reason TEXT", "人工调整须说明理由（--reason TEXT）"),
    "err.no_override": ("{task} has no override in force on {on}", "{task} 在 {on} 没有生效的人工调整"),
    "err.until_before": ("--until {until} is before --on {on}", "--until {until} 早于 --on {on}"),
    "err.empty_note": ("the note is empty", "备注内容为空"),
    "err.nothing_to_undo": ("nothing to undo", "没有可撤销的操作"),
    "err.no_plans": ("no plans in the database: run `supervise import {file}` first",
                     "数据库中没有计划：请先运行 `supervise import {file}`"),
    "err.locked": ("the database {path} is locked by another program (waited {seconds} s); try again",
                   "数据库 {path} 被其他程序占用（已等待 {seconds} 秒），请稍后重试"),
    "err.corrupt": ("the database {path} is damaged or not a supervise database: {detail}",
                    "数据库 {path} 已损坏或不是 supervise 数据库：{detail}"),
    "err.newer": ("the database {path} was written by a newer version of supervise ({detail}); upgrade supervise",
                  "数据库 {path} 由更新版本的 supervise 写入（{detail}），请升级"),
    "err.readonly": ("the database {path} cannot be written: {detail}", "数据库 {path} 无法写入：{detail}"),
    "err.disk": ("the database {path} could not be written: {detail}", "数据库 {path} 写入失败：{detail}"),
    "err.db_open": ("cannot open the database {path}: {detail}", "无法打开数据库 {path}：{detail}"),
    "err.bad_since": ("--since: {detail}", "--since：{detail}"),
    "err.file": ("{detail}", "{detail}"),
    "err.unknown_unit": ("unknown unit {ref!r}{hint}", "未知单位 {ref!r}{hint}"),
    "err.unknown_plan": ("unknown plan {ref!r}{hint}", "未知计划 {ref!r}{hint}"),
    "err.bad_rag_filter": ("unknown colour {value!r}: use red, amber, green, done or withdrawn",
                           "未知颜色 {value!r}：可用 red、amber、green、done、withdrawn"),
}
