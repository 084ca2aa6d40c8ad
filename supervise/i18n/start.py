"""The catalogue's part for getting started: the first run, the demo, the note editor, progress bars."""

START: dict[str, tuple[str, str]] = {
    "err.extract_empty_doc": ("the document path is empty: name the plan document (.txt, .md or .docx)",
                              "文档路径为空：请给出计划文档的文件名（.txt、.md 或 .docx）"),
    "err.empty_out": ("--out is empty: name the file to write, or leave --out out for standard output",
                      "--out 为空：请给出要写入的文件名，或不用 --out 直接输出"),
    "err.empty_out_folder": ("--out is empty: name the folder to write into (`--out .` for this one)",
                             "--out 为空：请给出要写入的文件夹（当前文件夹用 `--out .`）"),
    "err.empty_out_brief": ("--out is empty: name the file to write, `-` for standard output, or leave --out out for "
                            "briefings/DATE-review.md",
                            "--out 为空：请给出要写入的文件名，用 `-` 输出到屏幕，或不用 --out（写入 briefings/日期-review.md）"),
    "err.empty_name": ("{option} is empty: name the file", "{option} 为空：请给出文件名"),
    "err.empty_path": ("{option} is empty: name the file, or leave {option} out for the default",
                       "{option} 为空：请给出文件名，或不用 {option}（使用默认文件）"),
    "err.no_db": ("no database at {path} yet: import a plan first (`supervise import plans.toml`), draft one from "
                  "the plan document (`supervise extract DOC --out plans.toml`), or try `supervise demo`",
                  "{path} 处还没有数据库：请先导入计划（`supervise import plans.toml`），或从计划文件起草"
                  "（`supervise extract 文件 --out plans.toml`），或运行 `supervise demo` 试用"),
    "err.first_run": ("no plan here yet ({plans} not found): try `supervise demo` (the bundled example with a year "
                      "of progress), draft a plan from its document with `supervise extract DOC --out plans.toml`, "
                      "or load one with `supervise import FILE`",
                      "此处还没有计划（找不到 {plans}）：可运行 `supervise demo` 试用（附带一年进展的示例），"
                      "或用 `supervise extract 文件 --out plans.toml` 从计划文件起草，或用 `supervise import 文件` 导入"),
    "err.demo_exists": ("{path} already exists: the demo only makes a new database (name another --db, or give none "
                        "for a temporary one)",
                        "{path} 已存在：示例只生成新的数据库（请另指定 --db，或不指定而使用临时数据库）"),
    "demo.ready": ("demo database ready: {path} (the example plan as of {day}, {n} recorded actions)",
                   "示例数据库已生成：{path}（示例计划，截至 {day}，已记录 {n} 项操作）"),
    "demo.try": ("try: SUPERVISE_TODAY={day} supervise --lang en --db {path} status   (or without `status` for the UI)",
                 "试用：SUPERVISE_TODAY={day} supervise --lang zh --db {path} status   （去掉 status 即打开界面）"),
    "demo.building": ("Building the demo", "正在生成示例"),
    "note.editor_help": ("Write the note for {task} above. Lines starting with # are left out; an empty note "
                         "records nothing.",
                         "请在上方填写 {task} 的备注。以 # 开头的行不计入；备注为空则不记录。"),
    "note.prompt": ("Note for {task}", "{task} 的备注"),
    "ui.palette.placeholder": ("Search for commands…", "搜索命令…"),
    "ui.palette.no_matches": ("No matches found", "没有找到匹配的命令"),
    "progress.import": ("Reading the plan file", "读取计划文件"),
    "progress.import_db": ("Saving the plan", "写入数据库"),
    "progress.ledger": ("Writing the ledger", "生成台账"),
}
