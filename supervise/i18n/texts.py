"""The catalogue's entries for what used to be said in English only, or chosen by `lang == "zh"`
in code: the database's reasons for refusing a file (db.*), the extractor's refusals (extract.*),
the command line's last-resort lines (cli.*), click's own words (click.*), and the languages'
layout rules — separators, date forms, heading numbers (layout.*): key -> (English, 中文).

A layout entry is the one home of its rule: a separator or a date form is looked up here, never
picked in code by comparing the language. An English entry may be empty where English writes
nothing (a sub-heading's number).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # --- why a database is refused: the {detail} of err.corrupt / err.newer / err.db_open ---------
    "db.no_such_file": ("no such file", "文件不存在"),
    "db.not_regular": ("not a regular file (a device, a pipe or a folder)", "不是普通文件（是设备、管道或文件夹）"),
    "db.foreign": ("it has tables but none of supervise's", "其中有数据表，但没有一张是 supervise 的"),
    "db.schema_newer": ("schema {version}, this version knows {known}", "数据结构版本为 {version}，本版本只支持到 {known}"),
    "db.table_missing": ("table {missing} missing", "缺少数据表 {missing}"),
    "db.check_silent": ("quick_check said nothing", "quick_check 未给出结果"),
    "db.unknown_migrations": ("unknown migrations {names}", "有未知的迁移 {names}"),
    "db.unreadable_text": ("unreadable text ({reason})", "无法读取的文字（{reason}）"),
    "db.unreadable_data": ("unreadable data ({kind}: {error})", "无法读取的数据（{kind}：{error}）"),
    "db.read_only_fs": ("it is on a read-only file system", "它位于只读文件系统上"),
    "db.read_only_upgrade": ("it is on a read-only file system and needs upgrading from schema {version} to {known}: "
                             "copy it to a writable folder first",
                             "它位于只读文件系统上，且需要把数据结构从版本 {version} 升级到 {known}：请先把它复制到可写的文件夹"),
    "db.read_only_wal": ("it is on a read-only file system and its changes in {wal} can only be read where "
                         "{shm} can be written beside it: copy both to a writable folder",
                         "它位于只读文件系统上，其 {wal} 中的更改只有在能于旁边写入 {shm} 时才能读取：请把两者一起复制到可写的文件夹"),
    "db.backup_not_db": ("{dest}: exists and is not a database; not overwritten", "{dest}：已存在且不是数据库，未覆盖"),
    # --- the system's reason for a failed file operation (i18n.os_reason): English as the platform says it
    "file.reason": ("{path}: {reason}", "{path}: {reason}"),  # a file that could not be written, and why
    "os.ENOENT": ("{strerror}", "文件或文件夹不存在"),
    "os.EACCES": ("{strerror}", "没有访问权限"),
    "os.EPERM": ("{strerror}", "不允许此操作"),
    "os.ENOSPC": ("{strerror}", "磁盘空间已满"),
    "os.EDQUOT": ("{strerror}", "超出磁盘配额"),
    "os.EROFS": ("{strerror}", "文件系统为只读"),
    "os.EISDIR": ("{strerror}", "是文件夹"),
    "os.ENOTDIR": ("{strerror}", "路径中有一部分不是文件夹"),
    "os.EEXIST": ("{strerror}", "文件已存在"),
    "os.EIO": ("{strerror}", "输入输出错误"),
    "os.EFBIG": ("{strerror}", "文件过大"),
    "os.ENAMETOOLONG": ("{strerror}", "文件名过长"),
    "os.EBUSY": ("{strerror}", "设备或资源正忙"),
    # --- SQLite's reason (i18n.sqlite_reason): English as SQLite says it
    "sqlite.SQLITE_CANTOPEN": ("{text}", "无法打开数据库文件"),
    "sqlite.SQLITE_NOTADB": ("{text}", "文件不是数据库"),
    "sqlite.SQLITE_CORRUPT": ("{text}", "数据库文件已损坏"),
    "sqlite.SQLITE_READONLY": ("{text}", "数据库为只读"),
    "sqlite.SQLITE_FULL": ("{text}", "数据库或磁盘已满"),
    "sqlite.SQLITE_IOERR": ("{text}", "磁盘读写错误"),
    "sqlite.SQLITE_PERM": ("{text}", "没有访问权限"),
    # --- a document the extractor cannot read --------------------------------------------------------
    "extract.unsupported": ("{path}: unsupported file type '{suffix}'{hint}; use .txt, .md or .docx",
                            "{path}：不支持的文件类型“{suffix}”{hint}，请使用 .txt、.md 或 .docx 文件"),
    "extract.no_suffix": ("none", "无"),
    "extract.save_as_docx": (" (save it as .docx)", "（请另存为 .docx）"),
    "extract.no_file": ("{path}: no such file", "{path}：文件不存在"),
    "extract.not_regular": ("{path}: not a regular file (a device or a pipe): give the document itself",
                            "{path}：不是普通文件（设备或管道）：请给出文档本身"),
    "extract.too_big": ("{path}: larger than {limit}: not a plan document", "{path}：超过 {limit}，不是计划文档"),
    "extract.directory": ("{path}: is a directory, not a document", "{path}：是文件夹，不是文档"),
    "extract.unreadable": ("{path}: cannot read: {error}", "{path}：无法读取：{error}"),
    "extract.encoding": ("{path}: not UTF-8 or GB18030 text", "{path}：不是 UTF-8 或 GB18030 编码的文字"),
    "extract.bad_docx": ("{path}: not a readable .docx file ({kind})", "{path}：不是可读取的 .docx 文件（{kind}）"),
    "extract.plan_id": ("plan id {id!r} must use only a-z, 0-9 and '-'", "计划 id “{id}”只能使用 a-z、0-9 和“-”"),
    "extract.no_tasks": ("found no numbered tasks (一、… / （一）… / 1. …) in the document",
                         "文档中未找到编号的任务（一、… / （一）… / 1. …）"),
    # --- the command line's last-resort lines ------------------------------------------------------
    "cli.stdin": ("standard input: {error}", "标准输入：{error}"),
    "cli.aborted": ("aborted", "已中止"),
    "cli.database_error": ("database error: {error}", "数据库错误：{error}"),
    "cli.internal_error": ("internal error: {error} (please report it; SUPERVISE_DEBUG=1 shows the details)",
                           "内部错误：{error}（请报告此问题；设置 SUPERVISE_DEBUG=1 可查看详情）"),
    # --- click's own words in an option's help: [default: table] [required] -------------------------
    "click.default": ("[default: ", "[默认："),
    "click.default_after": ("; default: ", "；默认："),
    "click.required": ("required]", "必填]"),
    # --- click's usage errors (cli.base.usage_words): the English is click's own, word for word -------
    "click.no_such_option": ("No such option {name}.", "没有选项 {name}"),
    "click.no_such_command": ("No such command {name}.", "没有命令 {name}"),
    "click.did_you_mean": (" Did you mean {names}?", "；是否要用 {names}？"),
    "click.did_you_mean_one_of": (" (Did you mean one of: {names}?)", "；是否要用其中之一：{names}？"),
    "click.missing_argument": ("Missing argument {name}.", "缺少参数 {name}"),
    "click.missing_option": ("Missing option {name}.", "缺少选项 {name}"),
    "click.invalid_value": ("Invalid value for {name}: {message}", "{name} 的值无效：{message}"),
    "click.not_one_of": ("{value} is not one of {choices}.", "{value} 不是可选值 {choices} 之一"),
    "click.not_the_choice": ("{value} is not {choices}.", "{value} 不是可选值 {choices}"),
    "click.kind.file": ("File", "文件"),
    "click.kind.directory": ("Directory", "文件夹"),
    "click.kind.path": ("Path", "路径"),
    "click.path.does_not_exist": ("{kind} {name} does not exist.", "{kind} {name} 不存在"),
    "click.path.is_a_file": ("{kind} {name} is a file.", "{kind} {name} 是文件"),
    "click.path.is_a_directory": ("{kind} {name} is a directory.", "{kind} {name} 是文件夹"),
    "click.path.is_not_readable": ("{kind} {name} is not readable.", "{kind} {name} 不可读"),
    "click.path.is_not_writable": ("{kind} {name} is not writable.", "{kind} {name} 不可写"),
    "click.path.is_not_executable": ("{kind} {name} is not executable.", "{kind} {name} 不可执行"),
    "click.needs_value": ("Option {name} requires an argument.", "选项 {name} 需要一个值"),
    "click.extra_argument": ("Got unexpected extra argument ({args})", "多出了参数（{args}）"),
    "click.extra_arguments": ("Got unexpected extra arguments ({args})", "多出了参数（{args}）"),
    # --- the languages' layout rules ------------------------------------------------------------------
    "layout.list": ("; ", "；"),                              # reasons and the like in one line
    "layout.enum": (", ", "、"),
    "layout.aside": ("{text} ({aside})", "{text}（{aside}）"),   # a word in brackets after a text: an undo's date                              # names in a row: 红、黄
    "layout.label": ("{label}: {text}", "{label}：{text}"),
    "layout.notice_head": (" — ", "　"),                      # a notice's number and its level
    "layout.heading_number": ("{n}. ", "{cn}、"),             # a briefing's section: 一、 / 1.
    "layout.sub_heading_number": ("", "（{cn}）"),             # its sub-section: （一）, none in English
    "layout.days": ("{days:+5d}d", "{days:+5d}天"),            # days to a due date in the UI's timeline
    "layout.page_footer": ("Page &P of &N", "第 &P 页 共 &N 页"),  # a printed sheet's footer (Excel's codes)
    "layout.date_long": ("{day} {month} {year}", "{year}年{month}{day}日"),
    "layout.date_in_table": ("{iso}", "{year}年{month}{day}日"),  # a date in a document's table or reason
    "layout.ordinal.2": ("second", "二"),
    "layout.ordinal.3": ("third", "三"),
    "layout.ordinal.n": ("{n}th", "{cn}"),
    **{f"layout.month.{m}": (name, f"{m}月") for m, name in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"), 1)},
}
