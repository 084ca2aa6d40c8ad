"""The terminal UI's words added for the clerk's week (#16): dates of entries, the question before a
whole task is marked done, the task's history, review meetings, the ledger, the review's groupings."""

TUI: dict[str, tuple[str, str]] = {
    "ui.value.need_value": ("enter the value", "请填写数值"),
    "ui.write.waiting": ("saving … waiting for the database (another program may be writing to it)",
                         "正在保存……等待数据库（可能有其他程序正在写入）"),
    "ui.write.quit_waiting": ("{n|write|writes} still waiting for the database: quitting once done (q again quits now)",
                              "还有 {n} 项记录在等待写入数据库，写完后退出（再按 q 立即退出）"),
    "ui.tick.unmet_title": ("Mark all of {task} done?", "将 {task} 整项标记完成？"),
    "ui.tick.unmet": ("{task} has {n|indicator|indicators} not met yet: {names}. Mark the whole task done on {on} "
                      "anyway?", "{task} 还有 {n} 项指标未达到目标：{names}。仍将整个任务标记为 {on} 完成？"),
    "ui.tick.all_done": ("all milestones of {task} are done: nothing left to tick", "{task} 的所有节点均已完成，无需再勾选"),
    "ui.tick.all_done_unmet": ("all milestones of {task} are done; {n|indicator|indicators} not met yet: {names}. "
                               "Record a value with {key}",
                               "{task} 的所有节点均已完成，还有 {n} 项指标未达到目标：{names}。可按 {key} 登记指标数值"),
    "ui.history.title": ("History of {task} ({n})", "{task} 的记录（{n}）"),
    "ui.history.none": ("nothing recorded on this task yet", "此任务尚无记录"),
    "ui.history.footer": ("newest first · struck through: undone · escape closes", "最新在前 · 划线：已撤销 · Esc 关闭"),
    "ui.hold.title": ("Record a review meeting held", "记录召开推进会"),
    "ui.hold.on": ("Held on", "召开日期"),
    "ui.hold.name": ("Title (optional)", "名称（可不填）"),
    "ui.hold.name_hint": ("e.g. 第三次双月推进会", "如：第三次双月推进会"),
    "ui.ledger.writing": ("writing the ledger to {path} …", "正在生成台账 {path} …"),
    "ui.review.by_rag": ("by colour", "按颜色"),
    "ui.review.by_section": ("by section", "按板块"),
    "ui.review.by_unit": ("by lead unit", "按牵头单位"),
    "ui.review.grouped": ("{how} · s groups by colour, section or lead unit", "{how} · s 切换：按颜色、板块、牵头单位"),
    "ui.key.history": ("History", "记录"),
    "ui.key.review_group": ("Group", "分组"),
    "ui.key.hold_review": ("Review held", "开会"),
    "ui.key.export_ledger": ("Ledger", "台账"),
    "ui.help.history": ("the selected task's history: everything recorded on it", "所选任务的全部记录"),
    "ui.help.review_group": ("review screen: group the lists by colour, section or lead unit",
                             "推进会页：按颜色、板块或牵头单位分组"),
    "ui.help.hold_review": ("record that a review meeting was held (ctrl+z takes it back)",
                            "记录召开了推进会（ctrl+z 可撤销）"),
    "ui.help.export_ledger": ("write the ledger (督查台账) to briefings/", "生成督查台账到 briefings/"),
}
