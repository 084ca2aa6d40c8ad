"""The catalogue's entries for the ranking of units (通报: `units`, the UI's units screen): key -> (English, 中文)."""

UNITS: dict[str, tuple[str, str]] = {
    "units.title": ("Lead units ranked as of {on}", "牵头单位排名（截至{on}）"),
    "units.previous": ("previous review: {on}", "上次推进会：{on}"),
    "units.no_previous": ("no review before this date", "此前没有推进会"),
    "units.basis": (("Ranked by the share of deadlines (milestones and task completion dates) due by then that were "
                     "met on time, highest first, then by the share of led tasks that are red, lowest first."),
                    ("按按期完成率（截至当日已到期的节点和任务完成时限中按期完成的比例）从高到低排序，"
                     "相同的按红灯率（牵头任务中红灯的比例）从低到高排序。")),
    "units.none": ("No unit leads a live task.", "没有单位牵头在办任务。"),
    "units.col.rank": ("Rank", "名次"),
    "units.col.led": ("Led", "牵头任务"),
    "units.col.red_rate": ("Red rate", "红灯率"),
    "units.col.on_time_rate": ("On time", "按期完成率"),
    "units.col.on_time": ("Met / due", "按期/到期"),
    "units.col.previous_rank": ("Previous rank", "上次名次"),
    "ui.departments.col.on_time": ("On time", "按期率"),  # the units screen's narrow form of units.col.on_time_rate
    "ui.departments.col.responsible_short": ("Shared", "参与"),  # col.only_responsible on a narrow terminal
    "ui.departments.sort_rank": ("rank (on time, then red rate)", "名次（按期完成率、红灯率）"),
}
