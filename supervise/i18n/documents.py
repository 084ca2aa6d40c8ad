"""Words of the documents the office sends out (the briefing's additions, its Word rendering)."""

DOCUMENTS: dict[str, tuple[str, str]] = {
    "err.brief_format": ("{out}: a {format} briefing is written to a file ending in {ext}",
                         "{out}：{format} 格式的汇报材料，文件名须以 {ext} 结尾"),
    "err.brief_docx_stdout": ("a Word briefing cannot go to standard output: give --out FILE.docx",
                              "Word 格式的汇报材料不能输出到屏幕，请用 --out 指定 .docx 文件"),
    # the briefing's reasons, dated and naming the indicator (a dated document says no "today" or "in N days")
    "brief.reason.due_on": ("due on {on}", "{on}到期"),
    "brief.reason.done_on": ("done on {on}", "已于{on}完成"),
    "brief.reason.pace": ("{name} {amount}, {due}% due by now", "{name} {amount}，序时应完成 {due}%"),
    "brief.reason.no_value": ("{name}: no value reported (target {target}), {due}% due by now",
                              "{name} 未报送数值（目标 {target}），序时应完成 {due}%"),
    "brief.reason.missed": ("{name} {amount}, target due on {on} not met", "{name} {amount}，{on}到期未达目标"),
    "brief.reason.no_value_missed": ("{name}: no value reported, target {target} due on {on}",
                                     "{name} 未报送数值，目标 {target} {on}到期"),
    "ui.export.title": ("Write the briefing as", "汇报材料格式"),
    "ui.export.md": ("Markdown (m)", "Markdown（m）"),
    "ui.export.docx": ("Word, official layout (w)", "Word 公文格式（w）"),
    "brief.units_ranked": ("{basis} The last column counts the tasks where the unit is only responsible.",
                           "{basis}末列为该单位作为责任单位参与（非牵头）的任务数。"),
    "brief.stale_item": ("{id} {title} ({days} days)", "{id} {title}（{days}天）"),
    "brief.col.stale_n": ("Tasks", "项数"),
    "brief.col.stale_tasks": ("Stale tasks (days without progress)", "无进展事项（无进展天数）"),
}
