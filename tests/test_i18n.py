"""One bilingual mechanism (#18): every message is a catalogue key with parameters, said by i18n.t.

The older ways of carrying a message in two languages (a pre-rendered English/Chinese pair, a
parallel Chinese table) must not come back, and every key the code names must exist in both
languages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from supervise.i18n import CATALOGUE, Msg, t
from supervise.i18n.checks import CHECKS

PACKAGE = Path(__file__).resolve().parent.parent / "supervise"
SOURCES = sorted(PACKAGE.rglob("*.py"))

# the old mechanisms, by the names they went by (regular expressions)
LEFTOVERS = {
    r"detail_zh": "an InputError detail in Chinese beside the English one: pass detail=Msg(...)",
    r"reason_zh": "a reason in Chinese beside the English one: make the reason a Msg",
    r"\b_Both\b": "a parameter in both languages: pass a Msg, said in the message's own language",
    r"\b_Reject\b": "a date builder's reason in both languages: raise DateError with a Msg reason",
    r"toml_message_zh": "a Chinese table for the TOML parser: toml.* catalogue keys",
    r"class Problem\(str\)": "a plan-file line in both languages: a Finding holding a Msg",
    r"\[\s*lang\s*==\s*['\"]zh['\"]\s*\]": "a (English, Chinese) pair picked by language: a catalogue key",
    r"\((?:str\(\w+\)|[\w.]+\.words\(\"en\"\)), *[\w.]+\.words\(\"zh\"\)\)":
        "a message rendered in both languages in advance: pass its Msg (err.message)",
}


# Code choosing words or punctuation by comparing the language: the choice belongs in the catalogue
# (a layout.* entry for a separator or a date form). Allowed where the comparison must stay, with why.
LANG_CHOICE = re.compile(r"""\blang\s*[!=]=\s*['"](?:zh|en)['"]|['"](?:zh|en)['"]\s*[!=]=\s*[\w.]*\blang\b""")
LANG_CHOICE_ALLOWED = {
    "i18n": "the catalogue itself: t picks an entry's language, detect_lang reads the environment",
}


def test_no_code_chooses_words_by_comparing_the_language():
    found = [f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
             for path in SOURCES if path.relative_to(PACKAGE).parts[0] not in LANG_CHOICE_ALLOWED
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if LANG_CHOICE.search(line)]
    assert not found, "\n".join(found)


def test_the_language_comparison_scan_would_see_one():
    for line in ('sep = "；" if lang == "zh" else "; "', "if self.lang != 'en':", 'x if ctx.lang == "zh" else y',
                 'if "zh" == lang:'):
        assert LANG_CHOICE.search(line), line
    for line in ('t(lang, "layout.list")', 'lang = "zh" if value.startswith("zh") else "en"', 'slang == "zh"'):
        assert not LANG_CHOICE.search(line), line
    for name in LANG_CHOICE_ALLOWED:  # an allowance for a file that is gone would hide nothing: drop it
        assert (PACKAGE / name).exists(), name


def test_the_old_bilingual_mechanisms_are_gone():
    assert len(SOURCES) > 50  # the walk found the package at all
    found = [f"{path.relative_to(PACKAGE)}: {name} ({why})"
             for path in SOURCES for name, why in LEFTOVERS.items()
             if re.search(name, path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)


# calls that take a catalogue key: (name of the function or class, index of the key argument)
KEY_ARGUMENT = {"t": 1, "Msg": 0, "InputError": 0, "StoreError": 0, "SuperviseError": 0}


def _keys_used() -> dict[str, str]:
    """Each literal catalogue key passed to t / Msg / an error, with where it is."""
    used: dict[str, str] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            index = KEY_ARGUMENT.get(name or "")
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                used.setdefault(arg.value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return used


def test_the_walk_would_see_a_pre_rendered_pair():
    assert re.search(list(LEFTOVERS)[-2], "_BAD_TEXT[lang == 'zh'].format(e.reason)")
    pair = list(LEFTOVERS)[-1]
    assert re.search(pair, 'detail=(str(err), err.words("zh"))')
    assert re.search(pair, 'detail=(err.words("en"), err.words("zh"))')
    assert not re.search(pair, 'self.notify(str(err), title=t(self.lang, "ui.error"))')


# entries blank on purpose in one language (empty, or only a space)
BLANK = {"layout.sub_heading_number": "English documents do not number sub-headings （一）（二）: empty in English",
         "layout.notice_head": "a Chinese notice separates its number and level by a full-width space (U+3000)"}


def test_every_key_the_code_names_is_in_the_catalogue_in_both_languages():
    used = _keys_used()
    assert len(used) > 300, len(used)  # the walk found the calls at all
    missing = sorted(f"{where}: {key}" for key, where in used.items() if key not in CATALOGUE)
    assert not missing, "\n".join(missing)
    for key, where in used.items():
        en, zh = CATALOGUE[key]
        assert (en.strip() and zh.strip()) or (key in BLANK and (en or zh)), f"{where}: {key}"


def test_the_checks_part_has_the_same_placeholders_in_both_languages():
    # toml.* is the exception: the English is the parser's own words (its repr of a key, {raw}),
    # the Chinese names the key as the plan file writes it ({key}) or the character by name ({name});
    # and a number the clerk typed is quoted as Python does in English ({quoted}), between “” in Chinese
    for key, (en, zh) in CHECKS.items():
        if key.startswith("toml.") or key == "number.unreadable":
            continue
        assert set(re.findall(r"{(\w+)", en)) == set(re.findall(r"{(\w+)", zh)), key


def test_a_message_inside_a_message_is_said_in_the_same_language():
    inner = Msg("date.unreadable", text="2021年13月", reason=Msg("date.month_range", month=13))
    outer = Msg("date.option", option="--on", error=inner)
    assert outer.words("en") == '--on: unreadable date "2021年13月": month 13 out of range'
    assert outer.words("zh") == "--on：无法识别的日期“2021年13月”：月份 13 超出范围"
    assert t("zh", "err.bad_since", detail=inner) == "--since：无法识别的日期“2021年13月”：月份 13 超出范围"
    assert str(outer) == outer.words("en")


def test_a_parameter_named_key_is_a_parameter():
    # the plan-file messages name TOML keys as {key}: neither Msg nor t may take it for the catalogue key
    said = Msg("plan_file.tables", key="task")
    assert said.words("en") == "task must be written as [[task]] tables"
    assert t("zh", "plan_file.tables", key="plan") == "plan 应写成 [[plan]] 表"


def test_messages_compare_by_key_and_parameters():
    assert Msg("date.empty") == Msg("date.empty")
    assert Msg("date.year_range", year=0) != Msg("date.year_range", year=1)
    assert len({Msg("date.year_range", year=0), Msg("date.year_range", year=0)}) == 1


def test_a_number_error_keeps_its_words_on_one_line():
    from supervise.numbers import NumberError, parse_number

    with pytest.raises(NumberError) as caught:
        parse_number("2\n万", unit="人")
    assert caught.value.words("en") == "unreadable value '2\\n万': typed in 万, the indicator counts in 人"
    assert caught.value.words("zh") == "无法识别的数值“2 万”：填写的单位是“万”，该指标的单位是“人”"
    assert str(caught.value) == caught.value.words("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_date_error_inside_a_plan_file_problem_follows_the_language(lang):
    from supervise.planfile.loader import PlanFileError, parse_plans

    text = '[[plan]]\nid = "p"\ntitle = "t"\nstart = "2021-01-01"\nend = "2021年13月"\n'
    with pytest.raises(PlanFileError) as caught:
        parse_plans(text, "p.toml")
    expected = {"en": 'p.toml:5:1: end: unreadable date "2021年13月": month 13 out of range',
                "zh": "p.toml:5:1: end：无法识别的日期“2021年13月”：月份 13 超出范围"}[lang]
    assert caught.value.lines(lang) == [expected]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "supervise: argument \\udcff.toml is not valid text: is the terminal set to UTF-8?"),
    ("zh", "supervise: 参数 \\udcff.toml 不是有效的文字：终端是否设为 UTF-8 编码？"),
])
def test_an_argument_the_terminal_could_not_decode_is_refused_in_the_interface_language(runner, lang, said):
    from conftest import invoke_main

    outcome = invoke_main(runner, ["--lang", lang, "check", "\udcff.toml"])
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == said


# --- lines that used to stay English under --lang zh (texts.py) ---------------------------------

@pytest.mark.parametrize(("lang", "said"), [
    ("en", "supervise: the database theirs.db is damaged or not a supervise database: it has tables but none of supervise's"),
    ("zh", "supervise: 数据库 theirs.db 已损坏或不是 supervise 数据库：其中有数据表，但没有一张是 supervise 的"),
])
def test_another_programs_database_is_refused_in_the_interface_language(tmp_path, monkeypatch, runner, lang, said):
    import sqlite3

    from conftest import invoke_main

    monkeypatch.chdir(tmp_path)
    conn = sqlite3.connect("theirs.db")
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    outcome = invoke_main(runner, ["--lang", lang, "--db", "theirs.db", "status"])
    assert outcome.exit_code == 3
    assert outcome.err_lines == [said]
    assert outcome.stdout == ""


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "supervise: the database new.db was written by a newer version of supervise (schema 99, this version knows {v}); "
           "upgrade supervise"),
    ("zh", "supervise: 数据库 new.db 由更新版本的 supervise 写入（数据结构版本为 99，本版本只支持到 {v}），请升级"),
])
def test_a_newer_database_is_refused_in_the_interface_language(tmp_path, monkeypatch, runner, lang, said):
    import sqlite3

    from conftest import invoke_main

    from supervise.db.opening import SCHEMA_VERSION

    monkeypatch.chdir(tmp_path)
    conn = sqlite3.connect("new.db")
    conn.execute("CREATE TABLE _sqlite_migrations (name TEXT)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    outcome = invoke_main(runner, ["--lang", lang, "--db", "new.db", "status"])
    assert outcome.exit_code == 3
    assert outcome.err_lines == [said.replace("{v}", str(SCHEMA_VERSION))]


@pytest.mark.parametrize(("lang", "name", "said"), [
    ("en", "plan.pdf", "supervise: plan.pdf: unsupported file type '.pdf'; use .txt, .md or .docx"),
    ("zh", "plan.pdf", "supervise: plan.pdf：不支持的文件类型“.pdf”，请使用 .txt、.md 或 .docx 文件"),
    ("en", "plan.doc", "supervise: plan.doc: unsupported file type '.doc' (save it as .docx); use .txt, .md or .docx"),
    ("zh", "plan.doc", "supervise: plan.doc：不支持的文件类型“.doc”（请另存为 .docx），请使用 .txt、.md 或 .docx 文件"),
    ("en", "none.txt", "supervise: none.txt: no such file"),
    ("zh", "none.txt", "supervise: none.txt：文件不存在"),
    ("zh", "empty.txt", "supervise: 文档中未找到编号的任务（一、… / （一）… / 1. …）"),
])
def test_a_document_extract_cannot_read_is_refused_in_the_interface_language(tmp_path, monkeypatch, runner, lang, name, said):
    from conftest import invoke_main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.txt").write_text("没有编号的任务。\n", encoding="utf-8")
    outcome = invoke_main(runner, ["--lang", lang, "extract", name, "--out", "draft.toml"])
    assert outcome.exit_code == 2
    assert outcome.err_lines == [said]
    assert not (tmp_path / "draft.toml").exists()


def _failing_open(error: BaseException):
    def open_(*args, **kwargs):
        raise error

    return classmethod(open_)


@pytest.mark.parametrize(("lang", "error", "status", "said"), [
    ("en", "sqlite", 3, "supervise: database error: disk I/O error"),
    ("zh", "sqlite", 3, "supervise: 数据库错误：disk I/O error"),
    ("en", "bug", 70, "supervise: internal error: RuntimeError: oops (please report it; SUPERVISE_DEBUG=1 shows the details)"),
    ("zh", "bug", 70, "supervise: 内部错误：RuntimeError: oops（请报告此问题；设置 SUPERVISE_DEBUG=1 可查看详情）"),
    ("en", "abort", 130, "aborted"),
    ("zh", "abort", 130, "已中止"),
])
def test_the_last_resort_lines_are_in_the_interface_language(tmp_path, monkeypatch, runner, lang, error, status, said):
    import sqlite3

    import click
    from conftest import invoke_main

    from supervise.db.store import Store

    raised = {"sqlite": sqlite3.OperationalError("disk I/O error"), "bug": RuntimeError("oops"), "abort": click.Abort()}[error]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.db").write_bytes(b"x")  # there (an empty file is no database yet); Store.open is replaced
    monkeypatch.setattr(Store, "open", _failing_open(raised))
    outcome = invoke_main(runner, ["--lang", lang, "--db", "x.db", "status"], env={"SUPERVISE_DEBUG": None})
    assert outcome.exit_code == status
    assert outcome.err_lines == [said]


@pytest.mark.parametrize(("lang", "said"), [("en", "[default: table]"), ("zh", "[默认：table]")])
def test_clicks_bracketed_default_is_said_in_the_interface_language(runner, lang, said):
    from conftest import invoke_main

    outcome = invoke_main(runner, ["--lang", lang, "status", "--help"])
    assert outcome.exit_code == 0
    assert said in outcome.stdout
    assert ("[default:" in outcome.stdout) == (lang == "en")


# --- the languages' layout rules: one catalogue entry each (layout.*) ----------------------------

def test_dates_in_documents_follow_the_catalogue():
    from datetime import date

    from supervise.briefing import day, long_date

    d = date(2021, 3, 9)
    assert (long_date(d, "en"), long_date(d, "zh")) == ("9 March 2021", "2021年3月9日")
    assert (day(d, "en"), day(d, "zh")) == ("2021-03-09", "2021年3月9日")


def test_chinese_numerals_and_heading_numbers():
    from supervise.briefing import _ordinal, _sub
    from supervise.i18n import chinese_numeral

    assert [chinese_numeral(n) for n in (1, 10, 11, 19, 20, 21, 99, 100)] == \
        ["一", "十", "十一", "十九", "二十", "二十一", "九十九", "100"]
    assert [_ordinal(n, "zh") for n in (1, 12)] == ["一、", "十二、"]
    assert [_ordinal(n, "en") for n in (1, 12)] == ["1. ", "12. "]
    assert (_sub(3, "zh"), _sub(3, "en")) == ("（三）", "")


@pytest.mark.parametrize(("level", "en", "zh"), [
    (1, "first notice", "督办"), (2, "second notice", "第二次督办"), (3, "third notice", "第三次督办"),
    (4, "4th notice", "第四次督办"), (11, "11th notice", "第十一次督办"),
])
def test_a_notices_level_in_words(level, en, zh):
    from supervise.notices import level_words

    assert (level_words(level, "en"), level_words(level, "zh")) == (en, zh)


def test_separators_follow_the_catalogue():
    from supervise.i18n import joined, labelled

    assert (joined(["a", "b"], "en"), joined(["a", "b"], "zh")) == ("a; b", "a；b")
    assert (labelled("原因", "x", "zh"), labelled("Reason", "", "en")) == ("原因：x", "Reason: ")
    assert (t("en", "layout.days", days=3), t("zh", "layout.days", days=-12)) == ("   +3d", "  -12天")


def test_the_texts_part_has_the_same_placeholders_in_both_languages():
    # layout.* is the exception: a form may use what the other language leaves out (an ISO date in
    # English, its year, month and day in Chinese; a heading's number in figures or in 一二三);
    # so are os.* and sqlite.*: the English is the system's own words ({strerror}), the Chinese the catalogue's
    from supervise.i18n.texts import TEXTS

    checked = [key for key in TEXTS if not key.startswith(("layout.", "os.", "sqlite."))]
    assert len(checked) > 20
    for key in checked:
        en, zh = TEXTS[key]
        assert set(re.findall(r"{(\w+)", en)) == set(re.findall(r"{(\w+)", zh)), key


# --- click's usage errors: the catalogue's English is click's own, the Chinese is ours ----------

USAGE_ERRORS = [
    (["status", "--bogus"], "没有选项 '--bogus'"),
    (["status", "--fromat", "x"], "没有选项 '--fromat'；是否要用其中之一：'--format'、'--rag'？"),
    (["bogus"], "没有命令 'bogus'"),
    (["stauts"], "没有命令 'stauts'；是否要用 'status'？"),
    (["status", "--format", "x"], "'--format' 的值无效：'x' 不是可选值 'table'、'markdown'、'json'、'csv' 之一"),
    (["note"], "缺少参数 'TASK'"),
    (["forms"], "缺少选项 '--out'"),
    (["status", "--as-of"], "选项 '--as-of' 需要一个值"),
    (["status", "a"], "多出了参数（a）"),
    (["status", "a", "b"], "多出了参数（a b）"),
    (["--db", ".", "status"], "'--db' 的值无效：文件 '.' 是文件夹"),
]


def _usage_error(args):
    import click

    from supervise.cli import cli

    with pytest.raises(click.UsageError) as caught:
        cli.main(args=["--lang", "zh", *args], prog_name="supervise", standalone_mode=False)
    return caught.value


@pytest.mark.parametrize(("args", "zh"), USAGE_ERRORS)
def test_a_usage_error_is_said_from_the_catalogue(args, zh):
    from supervise.cli.base import usage_words

    err = _usage_error(args)
    assert usage_words(err, "en") == err.format_message()  # click's own English, word for word
    assert usage_words(err, "zh") == zh


def test_a_usage_error_of_another_shape_keeps_clicks_words():
    import click

    from supervise.cli.base import usage_words

    err = click.UsageError("Something click says that the catalogue does not know.")
    assert usage_words(err, "zh") == "Something click says that the catalogue does not know."


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "supervise: Invalid value for '--format': 'x' is not one of 'table', 'markdown', 'json', 'csv'. "
           "(supervise status --help)"),
    ("zh", "supervise: '--format' 的值无效：'x' 不是可选值 'table'、'markdown'、'json'、'csv' 之一 (supervise status --help)"),
])
def test_a_usage_error_is_one_line_in_the_interface_language(runner, lang, said):
    from conftest import invoke_main

    outcome = invoke_main(runner, ["--lang", lang, "status", "--format", "x"])
    assert outcome.exit_code == 2
    assert outcome.err_lines == [said]


@pytest.mark.parametrize(("code", "zh"), [("ENOENT", "文件或文件夹不存在"), ("EACCES", "没有访问权限"), ("ENOSPC", "磁盘空间已满")])
def test_the_systems_reason_is_its_own_in_english_and_the_catalogues_in_chinese(code, zh):
    import errno
    import os

    from supervise.i18n import os_reason

    number = getattr(errno, code)
    reason = os_reason(OSError(number, os.strerror(number)))
    assert (t("en", "plan_file.unreadable", error=reason), t("zh", "plan_file.unreadable", error=reason)) == \
        (f"cannot read: {os.strerror(number)}", f"无法读取：{zh}")
    assert os_reason(OSError(errno.ENOTTY, "Inappropriate ioctl")) == "Inappropriate ioctl"  # no entry: as said


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "supervise: plan.txt: cannot read: Permission denied"),
    ("zh", "supervise: plan.txt：无法读取：没有访问权限"),
])
def test_a_document_extract_may_not_read_is_refused_in_the_interface_language(tmp_path, monkeypatch, runner, lang, said):
    from pathlib import Path

    from conftest import invoke_main

    from supervise.extract import core

    def refused(path, limit):  # as for a clerk without the right to read it (root may read anything)
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.txt").write_text("一、任务\n", encoding="utf-8")
    monkeypatch.setattr(core, "read_regular", refused)
    outcome = invoke_main(runner, ["--lang", lang, "extract", "plan.txt"])
    assert outcome.exit_code == 2
    assert outcome.err_lines == [said]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "supervise: {out}: Not a directory"),
    ("zh", "supervise: {out}: 路径中有一部分不是文件夹"),
])
def test_a_file_that_cannot_be_written_says_the_systems_reason_in_the_interface_language(tmp_path, monkeypatch, runner,
                                                                                          bundled_plans, lang, said):
    """files.error: the path and the system's reason (os_reason), exit 2, nothing written."""
    from conftest import invoke_main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUPERVISE_TODAY", "2021-10-31")
    assert invoke_main(runner, ["--db", "o.db", "import", str(bundled_plans)]).exit_code == 0
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    out = str(tmp_path / "afile" / "brief.md")  # a folder that is a file
    outcome = invoke_main(runner, ["--lang", lang, "--db", "o.db", "brief", "--out", out])
    assert outcome.exit_code == 2
    assert outcome.err_lines == [said.format(out=out)]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "supervise: the database junk.db is damaged or not a supervise database: file is not a database"),
    ("zh", "supervise: 数据库 junk.db 已损坏或不是 supervise 数据库：文件不是数据库"),
])
def test_sqlites_reason_is_said_in_the_interface_language(tmp_path, monkeypatch, runner, lang, said):
    from conftest import invoke_main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "junk.db").write_bytes(b"not a database, but long enough to be read as one. " * 100)
    outcome = invoke_main(runner, ["--lang", lang, "--db", "junk.db", "status"])
    assert outcome.exit_code == 3
    assert outcome.err_lines == [said]


@pytest.mark.parametrize(("lang", "said"), [("en", "cannot read: Not a directory"), ("zh", "无法读取：路径中有一部分不是文件夹")])
def test_a_plan_file_that_cannot_be_read_says_the_systems_reason_in_the_interface_language(tmp_path, runner, lang, said):
    from conftest import invoke_main

    (tmp_path / "afile").write_text("x", encoding="utf-8")
    path = str(tmp_path / "afile" / "plans.toml")  # a folder that is a file
    outcome = invoke_main(runner, ["--lang", lang, "check", path])
    assert outcome.exit_code == 2
    assert outcome.err_lines == [f"{path}:0:0: {said}"]


@pytest.mark.parametrize(("lang", "group", "heading", "entry"), [
    ("en", "review", "Commands:", "hold"), ("zh", "review", "命令：", "hold"), ("zh", "export", "命令：", "ledger")])
def test_a_group_without_its_command_shows_its_help_on_lines_of_its_own(runner, lang, group, heading, entry):
    """`supervise review` alone: click (8.2+) raises its help as a usage error, which was squeezed
    onto one line ("supervise: Usage: … Options: … Commands: hold …"); the help is shown as help."""
    from conftest import invoke_main

    outcome = invoke_main(runner, ["--lang", lang, group])
    assert outcome.exit_code == 2  # a usage error, as before
    lines = outcome.err_lines
    assert heading in lines and any(line.split()[:1] == [entry] for line in lines), lines
