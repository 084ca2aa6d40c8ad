"""The catalogue's part for `--help`: every command's help and every option's, key -> (English, 中文).

Keys: help.cmd.<command path> (the first paragraph is the summary in the command list, shown
whole), help.opt.<command path>.<parameter name> (else help.opt.<parameter name> for an option
every command has), metavar.<parameter name> (what stands for an option's value), and the words
click would print in English (Usage, Options, Commands). Argument names (TASK, FILE …) stay as
the help texts name them.
"""

HELP: dict[str, tuple[str, str]] = {
    # click's own words
    "help.usage": ("Usage: ", "用法："),
    "help.options": ("Options:", "选项："),
    "help.commands": ("Commands:", "命令："),
    "help.usage_options": ("[OPTIONS]", "[选项]"),
    "help.usage_command": ("COMMAND [ARGS]...", "命令 [参数]..."),
    # what stands for a value
    "metavar.on": ("DATE", "日期"),
    "metavar.as_of": ("DATE", "日期"),
    "metavar.until": ("DATE", "日期"),
    "metavar.since": ("DATE|PERIOD", "日期|时段"),
    "metavar.out": ("FILE", "文件"),
    "metavar.db": ("FILE", "文件"),
    "metavar.plans": ("FILE", "文件"),
    "metavar.plan": ("PLAN", "计划编号"),
    "metavar.plan_id": ("ID", "编号"),
    "metavar.unit": ("UNIT", "单位"),
    "metavar.reason": ("TEXT", "文字"),
    "metavar.note": ("TEXT", "文字"),
    "metavar.title": ("TEXT", "文字"),
    "metavar.rag": ("COLOURS", "颜色"),
    # options every command has
    "help.opt.help": ("Show this help and exit.", "显示本帮助并退出。"),
    # supervise itself
    "help.cmd.supervise": (
        "Follow up an action plan: tasks, milestones, indicators, red/amber/green and review briefings.\n\n"
        "With no command, opens the terminal UI. New here? `supervise demo` opens the bundled example "
        "with a year of recorded progress.",
        "跟踪行动计划的落实：任务、节点、指标、红黄绿状态和推进会汇报材料。\n\n"
        "不带命令时打开终端界面。初次使用？运行 `supervise demo` 打开附带一年进展记录的示例。"),
    "help.opt.supervise.db": ("Database file (default $SUPERVISE_DB or data/supervise.db).",
                              "数据库文件（默认 $SUPERVISE_DB 或 data/supervise.db）。"),
    "help.opt.supervise.plans": ("Plan file (default $SUPERVISE_PLANS or plans.toml).",
                                 "计划文件（默认 $SUPERVISE_PLANS 或 plans.toml）。"),
    "help.opt.supervise.lang": ("Interface language (default $SUPERVISE_LANG, then $LANG).",
                                "界面语言（默认取 $SUPERVISE_LANG，其次 $LANG）。"),
    "help.opt.supervise.as_of": ("Open the UI as of this date (time travel).", "按此日期打开界面（回看历史）。"),
    "help.opt.supervise.version": ("Show the version and exit.", "显示版本并退出。"),
    # plans
    "help.cmd.check": ("Validate a plans file (default plans.toml); writes nothing.",
                       "校验计划文件（默认 plans.toml），不写入任何内容。"),
    "help.cmd.import": ("Load or re-load a plans file (default plans.toml): progress is never lost.",
                        "导入或重新导入计划文件（默认 plans.toml），已记录的进展不会丢失。"),
    "help.opt.import.dry_run": ("Show what would change; write nothing.", "只列出将有的变动，不写入。"),
    "help.cmd.extract": ("Draft a plans.toml from a plan document (.txt, .md, .docx) for the clerk to check.",
                         "从计划文件（.txt、.md、.docx）起草 plans.toml，供核对修改。"),
    "help.opt.extract.plan_id": ("Id for the drafted plan (default from its period).", "起草计划的编号（默认按计划期限生成）。"),
    "help.opt.extract.out": ("Where to write the draft (default: standard output).", "草稿写入的文件（默认输出到标准输出）。"),
    # progress
    "help.cmd.tick": ("Mark a milestone done (the task itself where it has no milestones; else its next open milestone).",
                      "标记节点完成（任务没有节点时标记任务本身，否则标记其下一个未完成节点）。"),
    "help.opt.tick.on": ("Done on this date (default today).", "完成日期（默认今天）。"),
    "help.opt.tick.note": ("Attach a note as well.", "同时附上一条备注。"),
    "help.cmd.untick": ("Undo a tick.", "撤销完成标记。"),
    "help.cmd.note": ("Attach a note to a task. Without TEXT it opens $VISUAL/$EDITOR on a terminal (else asks "
                      "for the text); TEXT '-', or text piped in, reads standard input.",
                      "为任务添加备注。未给出 TEXT 时，在终端上打开 $VISUAL/$EDITOR 编辑器（没有编辑器则提示输入）；"
                      "TEXT 为 '-' 或以管道输入时读取标准输入。"),
    "help.opt.note.on": ("The note's date (default today).", "备注日期（默认今天）。"),
    "help.cmd.record": ("Record an indicator value measured on a date.", "记录某日测得的指标数值。"),
    "help.opt.record.on": ("Measured on this date (default today).", "测得日期（默认今天）。"),
    "help.opt.record.note": ("Attach a note as well.", "同时附上一条备注。"),
    "help.cmd.override": ("The clerk's judgement over the computed colour, from --on until --until or a clear.",
                          "人工调整计算出的颜色，自 --on 起至 --until 或清除为止。"),
    "help.opt.override.reason": ("Why (required when setting).", "调整理由（设置时必填）。"),
    "help.opt.override.on": ("From this date (default today).", "起始日期（默认今天）。"),
    "help.opt.override.until": ("Until this date, inclusive.", "截止日期（含当日）。"),
    "help.opt.override.clear": ("End the override in force from --on.", "自 --on 起结束正在生效的人工调整。"),
    "help.cmd.undo": ("Reverse the most recent recorded action (repeat to go further back).",
                      "撤销最近一次记录的操作（重复执行可继续向前撤销）。"),
    "help.cmd.review": ("Review meetings (双月推进会).", "推进会（双月推进会）。"),
    "help.cmd.review.hold": ("Record that a review meeting took place.", "记录已召开一次推进会。"),
    "help.opt.review.hold.on": ("The meeting's date (default today).", "会议日期（默认今天）。"),
    "help.opt.review.hold.title": ("The meeting's name, e.g. 第三次双月推进会.", "会议名称，如“第三次双月推进会”。"),
    # reports
    "help.cmd.status": ("Task status list: red, amber or green, with reasons.", "任务状态清单：红、黄、绿及原因。"),
    "help.opt.status.as_of": ("Status as of this date (default today).", "按此日期计算状态（默认今天）。"),
    "help.opt.status.plan": ("Only this plan (id).", "只看此计划（编号）。"),
    "help.opt.status.unit": ("Only tasks this unit leads (with --involving: or is responsible for).",
                             "只看此单位牵头的任务（加 --involving 时也含其负责的任务）。"),
    "help.opt.status.involving": ("With --unit: include tasks where the unit is only responsible.",
                                  "与 --unit 同用：也列出该单位仅为责任单位的任务。"),
    "help.opt.status.rag": ("Only these colours, comma-separated: red,amber,green,done,withdrawn.",
                            "只看这些颜色，以逗号分隔：red,amber,green,done,withdrawn。"),
    "help.opt.status.fmt": ("Output format.", "输出格式。"),
    "help.opt.status.fail_on": ("Exit 1 if any listed task is this colour (amber: or worse).",
                                "列出的任务中有此颜色时以状态 1 退出（amber 含更差的红色）。"),
    "help.cmd.log": ("What was recorded, newest first; --since/--until select by the day each entry was recorded.",
                     "已记录的操作，最新的在前；--since/--until 按记录日期筛选。"),
    "help.opt.log.since": ("From this date, or a period back from today: 7d, 2w, 1m, last-review.",
                           "自此日期起，或自今天往前的时段：7d、2w、1m、last-review（上次推进会）。"),
    "help.opt.log.until": ("Up to this date (inclusive).", "截至此日期（含当日）。"),
    "help.opt.log.fmt": ("Output format.", "输出格式。"),
    "help.cmd.backup": ("A consistent copy of the database, safe while the UI is open.",
                        "数据库的一致副本，界面打开时也可安全备份。"),
    "help.cmd.brief": ("Briefing for the review meeting, in Markdown or Word.", "推进会汇报材料（Markdown 或 Word）。"),
    "help.opt.brief.as_of": ("Brief as of this date (default today).", "按此日期编写（默认今天）。"),
    "help.opt.brief.fmt": ("Markdown, or Word in the official layout (default md; docx for an --out ending in .docx).",
                           "Markdown，或公文格式的 Word（默认 md；--out 以 .docx 结尾时为 docx）。"),
    "help.opt.brief.out": ("File to write (default briefings/YYYY-MM-DD-review.md or .docx; '-' for standard output).",
                           "写入的文件（默认 briefings/YYYY-MM-DD-review.md 或 .docx；'-' 表示标准输出）。"),
    "help.cmd.export": ("Documents for outside the office.", "对外报送的文件。"),
    "help.cmd.export.ledger": ("The 督查台账 as an Excel workbook.", "导出督查台账（Excel 工作簿）。"),
    "help.opt.export.ledger.out": ("The .xlsx file to write.", "写入的 .xlsx 文件。"),
    "help.opt.export.ledger.as_of": ("As of this date (default today).", "截至此日期（默认今天）。"),
    "help.cmd.units": ("Lead units ranked by deadlines met on time, then by their share of red tasks.",
                       "牵头单位排名：按期完成率在先，其次为红色任务占比。"),
    "help.opt.units.as_of": ("Rank as of this date (default today).", "按此日期排名（默认今天）。"),
    "help.opt.units.plan": ("Only tasks of this plan (id).", "只计此计划（编号）的任务。"),
    "help.opt.units.fmt": ("Output format.", "输出格式。"),
    # getting started
    "help.cmd.demo": (
        "Try the tool: the bundled example plan with a year of recorded progress, in a throw-away database, "
        "opened as of a day inside the plan.\n\n"
        "Without --db the database goes to a temporary folder, removed when the UI closes; your own database is "
        "never touched.",
        "试用：附带的示例计划及一年的进展记录，放在临时数据库中，按计划期内的某一天打开。\n\n"
        "未给出 --db 时数据库放在临时文件夹中，关闭界面后删除；不会改动您自己的数据库。"),
    "help.opt.demo.no_ui": ("Build the demo database, say where it is and what to try; do not open the UI.",
                            "只生成示例数据库并说明其位置和试用方法，不打开界面。"),
}
