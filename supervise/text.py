"""The one rule for user text that could steer a terminal or a reader: which characters are
unsafe, and how they are shown instead of obeyed.

Unsafe: the C0 controls (ESC, BEL, backspace, carriage return …), DEL and the C1 controls, the
bidirectional marks, embeddings, overrides and isolates (which reorder what follows them), and
the Unicode line and paragraph separators, and the noncharacters U+FFFE and U+FFFF (no XML file,
so no Word or Excel document, can hold them: a unit holding one could not come back from its
form). A caller keeps the few it can carry safely (a Markdown or a CSV cell keeps tabs and newlines) and picks the notation its readers expect:
`\\x1b` on a terminal and in error lines, `\\u001b` in the UI's widgets (always four digits),
`U+001B` in documents (Markdown, Excel, CSV).
The plan file refuses the same characters in titles and names (planfile.loader calls
`first_unsafe`). Here too: what no XML part can hold at all (`xml_safe`, for Word and Excel) and
a unit's name as part of a file name (`file_name_part`, for forms and notices). Pure: no I/O.
"""

from __future__ import annotations

import functools
import re

UNSAFE = "\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe\uffff"


@functools.lru_cache(maxsize=16)
def _pattern(keep: str) -> re.Pattern[str]:
    if not keep:
        return re.compile(f"[{UNSAFE}]")
    return re.compile(f"(?![{re.escape(keep)}])[{UNSAFE}]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _codepoint(m: re.Match[str]) -> str:
    return f"U+{ord(m.group()):04X}"


def _unicode_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


_NOTATIONS = {"escape": _escape, "U+": _codepoint, "\\u": _unicode_escape}


def visible(text: str, *, keep: str = "", notation: str = "escape") -> str:
    """`text` with every unsafe character (but those in `keep`) shown as a code:
    notation "escape" gives `\\x1b` / `\\u202e`, "\\u" gives `\\u001b` / `\\u202e`, "U+" gives `U+001B`."""
    return _pattern(keep).sub(_NOTATIONS[notation], text)


def without_unsafe(text: str, *, keep: str = "") -> str:
    """`text` with every unsafe character (but those in `keep`) removed: for text read from a
    document (extract), where a stray control character is debris, not content."""
    return _pattern(keep).sub("", text)


_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with what no XML 1.0 file can hold at all (a lone surrogate, U+FFFE, U+FFFF) shown
    as `U+D800`: the last step before text goes into a Word or Excel part, whatever else its
    writer already showed as codes (`visible` leaves surrogates alone: a terminal can show them)."""
    return text if text.isascii() else _NOT_XML.sub(_codepoint, text)


def first_unsafe(text: str, *, keep: str = "") -> str | None:
    """The first unsafe character in `text` (not counting `keep`), or None."""
    m = _pattern(keep).search(text)
    return m.group() if m else None


# --- text in a file name -------------------------------------------------------------------------

_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
NAME_BYTES = 150  # of the text's part: a file system holds 255 bytes, and the number, date and suffix must fit beside it


def file_name_part(text: str) -> str:
    """`text` (a unit's name) as part of a file name, safe on every file system: the characters
    Windows refuses and controls become `_`, leading and trailing spaces and dots go, and a name
    longer than NAME_BYTES in UTF-8 is cut there (at a character). Where that changed it, a short
    digest of the whole text follows, so that two units (甲/局, 甲_局; two long names alike at
    the start) never share one file."""
    import hashlib

    safe = _NOT_IN_FILE_NAMES.sub("_", text).strip(" .") or "unit"
    raw = safe.encode("utf-8", "surrogatepass")
    if len(raw) > NAME_BYTES:
        safe = raw[:NAME_BYTES].decode("utf-8", "ignore")
    if safe != text:
        safe += "-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return safe
