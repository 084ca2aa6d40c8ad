"""The catalogue's entries for the printed ledger's new parts (supervise/ledger/): key -> (English, 中文).
The ledger's older words are in words.py under "ledger."."""

LEDGER: dict[str, tuple[str, str]] = {
    "ledger.col.seq": ("No.", "序号"),
    "ledger.col.items": ("Milestones and indicators", "节点与指标完成情况"),
    "ledger.col.progress": ("Progress (latest)", "进展情况"),
    "ledger.col.problems": ("Problems", "存在问题"),
    "ledger.col.next_steps": ("Next steps", "下步措施"),
    "ledger.col.kind": ("Kind", "类型"),
    "ledger.col.content": ("What was reported", "内容"),
    "ledger.history_sheet": ("Progress log", "进展记录"),
    "ledger.history_title": ("progress log, newest first", "进展记录（按日期倒序）"),
    "ledger.kind.note": ("note", "进展"),
    "ledger.kind.value": ("value", "数值"),
    "ledger.kind.milestone": ("milestone done", "节点完成"),
    "ledger.kind.task": ("task done", "任务完成"),
    "ledger.value_line": ("{name}: {value} {unit}", "{name}：{value}{unit}"),
    "ledger.total": ("Total", "合计"),
    "ledger.trend_title": ("Tasks by colour at each review date", "各推进会时点任务状态"),
    "ledger.chart.trend": ("Tasks by colour at each review date", "各推进会时点任务状态"),
    "ledger.chart.ranking": ("Deadlines met on time, by unit (in rank order)", "各单位按期完成率（按名次）"),
}
