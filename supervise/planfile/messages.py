"""Chinese for the TOML parser's syntax-error messages.

tomli (and the standard library's tomllib, the same parser) words its errors in English only, so a
plan file with a syntax error used to get an English sentence inside the Chinese report. `zh()` maps
each message tomli 2.1-2.3 / tomllib can raise to Chinese; a message it does not know (a later
tomli) comes back unchanged, so the report still says something. Pure: no terminal libraries.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

# The messages with no variable part, exactly as the parser words them.
FIXED: dict[str, str] = {
    "Cannot overwrite a value": "键重复：这个键前面已经有值，不能再次赋值",
    "Escaped character is not a Unicode scalar value": "转义序列（“\\u”或“\\U”）表示的字符编码无效",
    "Expected '=' after a key in a key/value pair": "键后面应为“=”",
    "Expected ']' at the end of a table declaration": "表头末尾应为“]”",
    "Expected ']]' at the end of an array declaration": "表头“[[…]]”末尾应为“]]”",
    "Expected newline or end of document after a statement":
        "此处应为行尾（一行只能写一条“键 = 值”或一个表头，其后只可跟“#”注释）",
    "Invalid date or datetime": "日期或时间无效（例如不存在的日期）",
    "Invalid hex value": "转义序列中的十六进制数字无效（“\\u”后应为 4 位，“\\U”后应为 8 位）",
    "Invalid initial character for a key part":
        "键名的开头字符无效（键名只能由英文字母、数字、“-”“_”组成，其他文字须加英文引号）",
    "Invalid statement":
        "无法识别的一行（键名只能由英文字母、数字、“-”“_”组成，其他文字须加英文引号）",
    "Invalid value": "无法识别的值（文字须加英文双引号，日期写作 2021-06-30）",
    "Unclosed array": "数组未闭合（缺少“]”，或元素之间缺少“,”）",
    "Unclosed inline table": "花括号“{…}”未闭合（缺少“}”，或各项之间缺少“,”）",
    "Unescaped '\\' in a string": "字符串中的“\\”未转义（应写成“\\\\”，或改用单引号字符串）",
    "Unterminated string": "字符串未结束（缺少结尾的引号）",
}

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_CHAR_NAMES = {"\r": "回车符", "\x00": "空字符", "\x7f": "删除控制符"}


def _literal(text: str) -> object:
    """The Python value behind a repr() the parser put in its message (None if it is not one)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def _key(text: str) -> str | None:
    """A key tuple's repr, ('plan', '任务'), written as in the plan file: “plan."任务"”."""
    parts = _literal(text)
    if not isinstance(parts, tuple) or not all(isinstance(p, str) for p in parts):
        return None
    shown = (p if _BARE_KEY.fullmatch(p) else '"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"'
             for p in parts)
    return "“" + ".".join(shown) + "”"


def _in_key(text: str, say: str) -> str | None:
    key = _key(text)
    return None if key is None else say.format(key=key)


def _inline_key(text: str) -> str | None:
    key = _literal(text)
    return f"花括号内的键“{key}”重复" if isinstance(key, str) else None


def _bad_char(text: str, where: str) -> str | None:
    """A character's repr ('\\x01') the parser refused, named so that a reader can find it."""
    char = _literal(text)
    if not isinstance(char, str) or len(char) != 1:
        return None
    if char == "\n":  # a one-line string that runs into the end of its line
        return "字符串未在本行结束（缺少结尾的引号）"
    if char in _CHAR_NAMES:
        name = _CHAR_NAMES[char]
    elif ord(char) < 32:
        name = f"不可见的控制字符（编码 {ord(char)}）"
    else:
        name = f"字符“{char}”"
    return where + "不允许出现" + name


def _expected(text: str) -> str | None:
    quote = _literal(text)
    if quote == "'":
        return "字符串未结束（缺少结尾的单引号“'”）"
    if quote == "'''":
        return "多行字符串未结束（缺少结尾的“'''”）"
    return None


# The messages with a variable part: the parser's f-string with each {…} written as {}, and how to
# say it in Chinese given the text that stood there (None: not a form it knows, keep the English).
FORMATTED: dict[str, Callable[[str], str | None]] = {
    "Cannot declare {} twice": lambda key: _in_key(key, "表{key}重复声明"),
    "Cannot mutate immutable namespace {}":
        lambda key: _in_key(key, "{key}已用“{{…}}”或“[…]”一次写完，不能再补充内容"),
    "Cannot redefine namespace {}": lambda key: _in_key(key, "表{key}已经声明，不能再用带点的键重新定义"),
    "Duplicate inline table key {}": _inline_key,
    "Expected {}": _expected,
    "Found invalid character {}": lambda char: _bad_char(char, "此处"),
    "Illegal character {}": lambda char: _bad_char(char, "字符串中"),
}

_PATTERNS = [(re.compile(re.escape(template).replace(r"\{\}", "(.+)"), re.DOTALL), say)
             for template, say in FORMATTED.items()]

# Every message the table knows, as the parser's source words it ({} for a variable part).
TEMPLATES: frozenset[str] = frozenset(FIXED) | frozenset(FORMATTED)


def zh(message: str) -> str:
    """The parser's English `message` (location already removed) in Chinese; unknown ones unchanged."""
    if message in FIXED:
        return FIXED[message]
    for pattern, say in _PATTERNS:
        found = pattern.fullmatch(message)
        said = say(found.group(1)) if found else None
        if said is not None:
            return said
    return message
