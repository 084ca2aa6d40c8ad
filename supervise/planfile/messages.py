"""The TOML parser's syntax-error messages as catalogue messages (keys toml.* in i18n/checks.py).

tomli (and the standard library's tomllib, the same parser) words its errors in English only, so a
plan file with a syntax error used to get an English sentence inside the Chinese report.
`toml_message()` reads each message tomli 2.1-2.3 / tomllib can raise back into a catalogue key and
its parameters: said in English it is the parser's own words, in Chinese a translation. A message
it does not know (a later tomli) is kept as it is in both languages, so the report still says
something. Pure: no terminal libraries.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from ..i18n import CATALOGUE, Msg

# The messages with no variable part: the parser's words → their catalogue key (the English of each
# toml.fixed.* entry is exactly what the parser raises).
FIXED: dict[str, str] = {en: key for key, (en, _) in CATALOGUE.items() if key.startswith("toml.fixed.")}

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_CHAR_NAMES = {"\r": "toml.char.cr", "\x00": "toml.char.nul", "\x7f": "toml.char.del"}


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


def _in_key(text: str, key: str) -> Msg | None:
    shown = _key(text)
    return None if shown is None else Msg(key, raw=text, key=shown)


def _inline_key(text: str) -> Msg | None:
    key = _literal(text)
    return Msg("toml.inline_duplicate", raw=text, key=key) if isinstance(key, str) else None


def _bad_char(text: str, key: str) -> Msg | None:
    """A character's repr ('\\x01') the parser refused, named so that a reader can find it."""
    char = _literal(text)
    if not isinstance(char, str) or len(char) != 1:
        return None
    if char == "\n":  # a one-line string that runs into the end of its line
        return Msg(f"{key}_newline", raw=text)
    if char in _CHAR_NAMES:
        name = Msg(_CHAR_NAMES[char])
    elif ord(char) < 32:
        name = Msg("toml.char.control", code=ord(char))
    else:
        name = Msg("toml.char.plain", char=char)
    return Msg(key, raw=text, name=name)


def _expected(text: str) -> Msg | None:
    quote = _literal(text)
    if quote == "'":
        return Msg("toml.expected_quote", raw=text)
    if quote == "'''":
        return Msg("toml.expected_triple", raw=text)
    return None


# The messages with a variable part: the parser's f-string with each {…} written as {}, and the
# catalogue message given the text that stood there (None: not a form it knows, keep the English).
FORMATTED: dict[str, Callable[[str], Msg | None]] = {
    "Cannot declare {} twice": lambda key: _in_key(key, "toml.declare_twice"),
    "Cannot mutate immutable namespace {}": lambda key: _in_key(key, "toml.immutable"),
    "Cannot redefine namespace {}": lambda key: _in_key(key, "toml.redefine"),
    "Duplicate inline table key {}": _inline_key,
    "Expected {}": _expected,
    "Found invalid character {}": lambda char: _bad_char(char, "toml.invalid_char"),
    "Illegal character {}": lambda char: _bad_char(char, "toml.illegal_char"),
}

_PATTERNS = [(re.compile(re.escape(template).replace(r"\{\}", "(.+)"), re.DOTALL), say)
             for template, say in FORMATTED.items()]

# Every message the table knows, as the parser's source words it ({} for a variable part).
TEMPLATES: frozenset[str] = frozenset(FIXED) | frozenset(FORMATTED)


def toml_message(message: str) -> Msg:
    """The parser's English `message` (location already removed) as a catalogue message; an unknown
    one is kept as written in both languages."""
    if message in FIXED:
        return Msg(FIXED[message])
    for pattern, say in _PATTERNS:
        found = pattern.fullmatch(message)
        said = say(found.group(1)) if found else None
        if said is not None:
            return said
    return Msg("toml.unknown", message=message)
