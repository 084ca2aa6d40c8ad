"""The interface's words in English and Chinese: one catalogue (its parts by area beside this file), one lookup.

Plan content (titles, units, notes) never passes through here: it is shown as written.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Mapping

LANGS = ("en", "zh")


def detect_lang(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """--lang, else $SUPERVISE_LANG, else $LANG (zh* → zh), else English."""
    env = os.environ if env is None else env
    for value in (explicit, env.get("SUPERVISE_LANG")):
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]+)\|([^|{}]+)\}")  # {n|task|tasks}: "1 task", "2 tasks"


class Msg:
    """A message not yet said in any language: a catalogue key and its parameters. `t` says it;
    a parameter that is a Msg itself (an error inside a line) is said by `t` in the same language.
    This is how core code (dates, the plan-file checker) hands a message to whoever shows it."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params

    def words(self, lang: str = "en") -> str:
        return t(lang, self.key, **self.params)

    def __str__(self) -> str:
        return self.words("en")

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, tuple(self.params.items())))


def t(lang: str, key: str, /, **params) -> str:
    for name, value in params.items():  # a fresh dict (**params): its values may be replaced in place
        if type(value) is Msg:
            params[name] = value.words(lang)
    entry = CATALOGUE.get(key)
    if entry is None:
        return key.format(**params) if params else key
    text = entry[1] if lang == "zh" else entry[0]
    if "|" in text:  # English counts agree with their noun; Chinese needs no such thing
        text = _PLURAL.sub(lambda m: f"{{{m[1]}}} " + (m[2] if params.get(m[1]) == 1 else m[3]), text)
    return text.format(**params) if params else text


def rag_word(lang: str, rag: str) -> str:
    return t(lang, f"rag.{rag}")


def joined(words, lang: str) -> str:
    """Reasons and the like in one line: "；" between them in Chinese, "; " in English (layout.list)."""
    return t(lang, "layout.list").join(words)


_FORMS: dict[tuple[str, str], str] = {}  # (lang, key) → a catalogue text, for the few forms used thousands of times a run


def labelled(label: str, text: str, lang: str) -> str:
    """"label：text" in Chinese, "label: text" in English (layout.label); text "" gives the label and its colon.
    A `status` of 50,000 milestones labels each late one's reason with its title: the form is looked up once."""
    form = _FORMS.get((lang, "layout.label"))
    if form is None:
        form = _FORMS[(lang, "layout.label")] = t(lang, "layout.label", label="{label}", text="{text}")
    return form.format(label=label, text=text)


def os_reason(err: OSError) -> Msg | str:
    """The system's reason for a failed file operation: its own words in English (as the platform
    says them), the catalogue's in Chinese where the error number has an entry (os.ENOENT, ...)."""
    text = err.strerror or str(err)
    key = f"os.{errno.errorcode.get(err.errno or -1, '')}"
    return Msg(key, strerror=text) if key in CATALOGUE else text


def sqlite_reason(err: Exception) -> Msg | str:
    """SQLite's reason for a failed database operation: its own words in English, the catalogue's
    in Chinese where its primary result code has an entry (sqlite.SQLITE_FULL, ...)."""
    text = str(err)
    name = getattr(err, "sqlite_errorname", None) or ""  # SQLITE_IOERR_WRITE: the primary code is SQLITE_IOERR
    key = "sqlite." + "_".join(name.split("_")[:2])
    return Msg(key, text=text) if key in CATALOGUE else text


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """一 … 十, 十一 … 九十九 as a Chinese document counts; from 100 on, the digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ((_DIGITS[tens] if tens > 1 else "") + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def _merged(*parts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One catalogue from the parts kept by area (one file each, so that work on one area does
    not touch another's); a key defined twice is a mistake, refused at import."""
    merged: dict[str, tuple[str, str]] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise KeyError(f"catalogue keys defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


from .checks import CHECKS  # noqa: E402
from .documents import DOCUMENTS  # noqa: E402
from .events import EVENTS  # noqa: E402
from .forms import FORMS  # noqa: E402
from .help import HELP  # noqa: E402
from .ledger import LEDGER  # noqa: E402
from .notices import NOTICES  # noqa: E402
from .start import START  # noqa: E402
from .texts import TEXTS  # noqa: E402
from .tui import TUI  # noqa: E402
from .units import UNITS  # noqa: E402
from .week import WEEK  # noqa: E402
from .words import WORDS  # noqa: E402  (the parts import nothing from here)

# key: (English, 中文)
CATALOGUE: dict[str, tuple[str, str]] = _merged(WORDS, UNITS, HELP, START, TUI, DOCUMENTS, WEEK, LEDGER, NOTICES, FORMS, EVENTS,
                                                    CHECKS, TEXTS)
