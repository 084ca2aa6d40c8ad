"""TOML syntax errors in Chinese: every message the parser (tomli 2.1-2.3, or the standard library's
tomllib, the same code) can raise has a Chinese form, and the English form is the parser's own words."""

from __future__ import annotations

import ast
import re
import tomllib as stdlib_tomllib
from pathlib import Path

import pytest
import tomli
from conftest import invoke_main

from supervise.planfile import loader as plan_file
from supervise.planfile.loader import PlanFileError, parse_plans
from supervise.planfile.messages import FIXED, FORMATTED, TEMPLATES, toml_message


def zh(message: str) -> str:
    """The parser's message said in Chinese through the catalogue."""
    return toml_message(message).words("zh")

ZH_LEAD = "TOML 语法错误："
EN_LEAD = "TOML syntax: "
LOCATION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")

# (template the snippet triggers, malformed TOML, a fragment the Chinese line must contain)
CASES = [
    ("Cannot overwrite a value", 'a = 1\na = 2\n', "键重复"),
    ("Cannot overwrite a value", 'a = 1\n[a]\n', "不能再次赋值"),
    ("Escaped character is not a Unicode scalar value", 'a = "\\uD800"\n', "字符编码无效"),
    ("Expected '=' after a key in a key/value pair", 'title "x"\n', "键后面应为“=”"),
    ("Expected ']' at the end of a table declaration", '[plan\nid = "p"\n', "表头末尾应为“]”"),
    ("Expected ']]' at the end of an array declaration", '[[task]\nid = "1"\n', "末尾应为“]]”"),
    ("Expected newline or end of document after a statement", 'a = 1 b = 2\n', "此处应为行尾"),
    ("Expected newline or end of document after a statement", 'due = 2021-06-30T10:00\n', "此处应为行尾"),
    ("Invalid date or datetime", 'due = 2021-02-30\n', "日期或时间无效"),
    ("Invalid hex value", 'a = "\\u12G4"\n', "十六进制数字无效"),
    ("Invalid initial character for a key part", 'a. = 1\n', "键名的开头字符无效"),
    ("Invalid initial character for a key part", '[]\n', "键名的开头字符无效"),
    ("Invalid statement", '负责单位 = "市民政局"\n', "无法识别的一行"),
    ("Invalid value", 'title = 养老服务\n', "无法识别的值"),
    ("Unclosed array", 'lead = ["市民政局" "市财政局"]\n', "数组未闭合（缺少“]”"),
    ("Unclosed inline table", 'a = {b = 1 c = 2}\n', "花括号“{…}”未闭合"),
    ("Unescaped '\\' in a string", 'path = "C:\\data"\n', "字符串中的“\\”未转义"),
    ("Unterminated string", 'title = """养老\n', "字符串未结束"),
    ("Unterminated string", 'title = "养老', "字符串未结束"),
    ("Cannot declare {} twice", '[office]\n[office]\n', "表“office”重复声明"),
    ("Cannot declare {} twice", '["任务"]\n["任务"]\n', '表“"任务"”重复声明'),
    ("Cannot mutate immutable namespace {}", 'a = {b = 1}\n[[a]]\n', "“a”已用“{…}”或“[…]”一次写完"),
    ("Cannot mutate immutable namespace {}", 'a = {b = 1}\na.c = 2\n', "“a”已用“{…}”或“[…]”一次写完"),
    ("Cannot redefine namespace {}", '[a.b]\nc = 1\n[a]\nb.d = 2\n', "表“a.b”已经声明"),
    ("Duplicate inline table key {}", 'a = {b = 1, b = 2}\n', "花括号内的键“b”重复"),
    ("Expected {}", "title = 'abc\n", "缺少结尾的单引号“'”"),
    ("Expected {}", "title = '''abc\n", "缺少结尾的“'''”"),
    ("Found invalid character {}", "a = 'abc\nb = 'x'\n", "字符串未在本行结束"),
    ("Found invalid character {}", "# 备注\x01\n", "此处不允许出现不可见的控制字符（编码 1）"),
    ("Found invalid character {}", "# 备注\r旧式换行\n", "此处不允许出现回车符"),
    ("Illegal character {}", 'title = "养老\nid = "1"\n', "字符串未在本行结束"),
    ("Illegal character {}", 'title = "a\x7fb"\n', "字符串中不允许出现删除控制符"),
    ("Illegal character {}", 'title = "a\x00b"\n', "字符串中不允许出现空字符"),
]

PARSERS = {"tomli": tomli, "tomllib": stdlib_tomllib}


def _template(message: str) -> str:
    """The template in TEMPLATES that an English message is an instance of."""
    for template in TEMPLATES:
        shaped = re.fullmatch(re.escape(template).replace(r"\{\}", ".+"), message, re.DOTALL)
        if shaped and (template in FIXED or message not in FIXED):  # "Expected {}" is not "Expected '='…"
            return template
    raise AssertionError(f"no template for {message!r}")


def _outside_quotes(text: str) -> str:
    """The text with every “…” taken out (key names and TOML characters quoted from the input)."""
    return re.sub(r"“[^”]*”", "", text)


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize(("template", "text", "fragment"), CASES, ids=[repr(c[1]) for c in CASES])
def test_each_syntax_error_is_reported_in_chinese(template, text, fragment, parser, monkeypatch):
    module = PARSERS[parser]
    monkeypatch.setattr(plan_file, "tomllib", module)  # the fallback parser must read the same
    with pytest.raises(module.TOMLDecodeError) as raw:
        module.loads(text)
    located = LOCATION.search(str(raw.value))
    assert located, str(raw.value)
    message = str(raw.value)[:located.start()]
    assert _template(message) == template
    line, col = located.groups() if located.group(1) else (str(text.count("\n") + 1), "1")

    with pytest.raises(PlanFileError) as caught:
        parse_plans(text, "p.toml")
    (problem,) = caught.value.problems
    english, = caught.value.lines("en")
    chinese, = caught.value.lines("zh")
    assert english == problem == f"p.toml:{line}:{col}: {EN_LEAD}{message}"
    assert chinese == f"p.toml:{line}:{col}: {ZH_LEAD}{zh(message)}"
    assert fragment in chinese
    said = chinese.split(ZH_LEAD, 1)[1]
    assert "\n" not in said and said != message
    assert not re.search(r"[A-Za-z]", _outside_quotes(said)), said


def test_every_template_is_triggered_by_a_case():
    assert {template for template, _, _ in CASES} == set(TEMPLATES)


def _parser_templates(source: str) -> set[str]:
    """Each message a parser's source raises, f-string parts written as {}."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("suffixed_err", "TOMLDecodeError")):
            continue
        args = node.args[2:3] if node.func.id == "suffixed_err" else node.args[:1]
        for arg in args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.JoinedStr):
                found.add("".join(part.value if isinstance(part, ast.Constant) else "{}" for part in arg.values))
    found.discard("{} (at {})")  # the standard library's suffixed_err adding the location
    return found


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_the_table_is_exactly_the_messages_the_parser_raises(parser):
    """No dead entries, and no message of the installed parser (or of tomllib) left in English."""
    source = (Path(PARSERS[parser].__file__).parent / "_parser.py").read_text(encoding="utf-8")
    raised = _parser_templates(source)
    assert len(raised) >= 20, raised  # the walk found the messages at all
    assert set(TEMPLATES) == raised


def test_an_unknown_message_comes_back_unchanged():
    for message in ("Some message a later tomli adds", "Expected something new", "Illegal character 'ab'",
                    "Cannot declare a_new_form twice", "Duplicate inline table key 3", ""):
        assert zh(message) == message
        assert toml_message(message).words("en") == message


def test_every_message_said_in_english_is_the_parsers_own_words():
    for template, text, _ in CASES:
        try:
            stdlib_tomllib.loads(text)
        except stdlib_tomllib.TOMLDecodeError as err:
            message = LOCATION.sub("", str(err))
        assert toml_message(message).words("en") == message, template


def test_formatted_parts_are_read_back_from_the_parsers_repr():
    assert zh("Cannot declare ('plan', '任务 一', 'a\"b') twice") == '表“plan."任务 一"."a\\"b"”重复声明'
    assert zh("Duplicate inline table key \"it's\"") == "花括号内的键“it's”重复"
    assert zh("Illegal character '\\x1b'") == "字符串中不允许出现不可见的控制字符（编码 27）"
    assert all(callable(say) for say in FORMATTED.values())


def test_check_prints_the_chinese_message_on_one_line(tmp_path, runner):
    path = tmp_path / "plans.toml"
    path.write_text('[[plan]]\nid = "p"\ntitle "养老服务"\n', encoding="utf-8")
    outcome = invoke_main(runner, ["--lang", "zh", "check", path])
    assert outcome.exit_code == 2, outcome
    assert outcome.err_lines == [f"{path}:3:7: TOML 语法错误：键后面应为“=”"], outcome
    english = invoke_main(runner, ["--lang", "en", "check", path])
    assert english.exit_code == 2
    assert english.err_lines == [f"{path}:3:7: TOML syntax: Expected '=' after a key in a key/value pair"]
