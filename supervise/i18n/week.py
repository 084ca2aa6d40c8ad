"""The catalogue's entries for the clerk's week on the command line: the log, `status --section`
and `show TASK`: key -> (English, 中文)."""

WEEK: dict[str, tuple[str, str]] = {
    "log.undone_on": ("↶ undone {on}", "↶ 已撤销 {on}"),
    "err.unknown_section": ("unknown section {ref!r}{hint}", "未知板块 {ref!r}{hint}"),
}
