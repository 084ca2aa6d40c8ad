"""Reading a number someone typed: the one rule, for the command line, the UI and filled-in forms.

Pure: no clock, no I/O. Accepted: full-width digits (NFKC), spaces around it, thousands
separators between groups of three digits (`5,200`, `5，200`, `5 200`; `1,2` and `1.234,5` are
refused, not read as 12 or 1.2345), magnitudes up to MAX_NUMBER (±1e15, as the plan file's
targets), and a trailing unit when it is the indicator's own (`5200人` for an
indicator counted in 人; `%` always, as the command line has accepted it from the start).
A number typed with another unit (`2万`, `5200个` for 人) is refused, never converted:
the unit is the department's statement of what it counted, and we do not guess.
"""

from __future__ import annotations

import math
import re
import unicodedata

from .i18n import Msg

__all__ = ["MAX_NUMBER", "NumberError", "is_plain_number", "parse_number"]

MAX_NUMBER = 1e15  # baselines, targets, values: beyond this a float no longer holds every whole number
LIMIT_SAID = f"{MAX_NUMBER:.0e}".replace("e+", "e")  # said as "1e15"

_DIGITS = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # a number as written: 12, -3.5, 1e6
# as typed: thousands separators (`,` `，` a space or `_`) only between groups of three digits, so that
# "1,2" or "1.234,5" (a decimal comma) is refused rather than read as 12 or 1.2345
_GROUPED = r"[+-]?(?:[0-9]{1,3}(?:[,\s_][0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER = re.compile(f"(?P<n>{_GROUPED})(?P<unit>.*)", re.DOTALL)
_PLAIN = re.compile(_DIGITS)
_SEPARATORS = re.compile(r"[,\s_]")
_SPACES = re.compile(r"\s")


def is_plain_number(text: str) -> bool:
    """`text` is a number as a spreadsheet reads one (-12.5, +3, 1e6), not "-inf", "nan" or "1_000",
    which Python's float() takes and a spreadsheet shows as #NAME?."""
    return _PLAIN.fullmatch(text) is not None


class NumberError(ValueError):
    """A value we cannot read: `reason` says why (a catalogue message, on one line). `message` is the
    whole one-line message naming the text, to be said in the interface's language (words(lang), or
    as a parameter of another message); str() is it in English."""

    def __init__(self, text: str, reason: Msg):
        self.text, self.reason = text, reason
        super().__init__(text)

    @property
    def message(self) -> Msg:
        # the English quotes the text as Python does ('5\\n人': a line break shown, not made), the
        # Chinese between “” with a line break as a space
        return Msg("number.unreadable", quoted=repr(self.text), text=_one_line(self.text), reason=self.reason)

    def words(self, lang: str = "en") -> str:
        return self.message.words(lang)

    def __str__(self) -> str:
        return self.words("en")


def _one_line(text: str) -> str:
    return text.replace("\n", " ")


def parse_number(text: str, unit: str | None = None) -> float:
    """`text` as a finite float. `unit`: the indicator's unit, which may follow the number
    (None: only `%` may, as on the command line). Raises NumberError."""
    raw = text
    s = unicodedata.normalize("NFKC", str(text)).strip()
    m = _NUMBER.fullmatch(s)
    if not s or not m:
        raise NumberError(raw, Msg("number.not_a_number"))
    suffix = _SPACES.sub("", m["unit"])
    if suffix[:1] in tuple("0123456789,._"):  # "1,0000", "1.234,5": digits left over, not a unit
        raise NumberError(raw, Msg("number.not_a_number"))
    if suffix and suffix != "%":
        wanted = unicodedata.normalize("NFKC", unit or "").replace(" ", "")
        if not wanted:
            raise NumberError(raw, Msg("number.not_a_number"))
        if suffix != wanted:
            raise NumberError(raw, Msg("number.other_unit", typed=suffix, unit=_one_line(wanted)))
    elif suffix == "%" and unit is not None and unicodedata.normalize("NFKC", unit) not in ("%", ""):
        raise NumberError(raw, Msg("number.other_unit", typed="%", unit=_one_line(unit)))
    number = float(_SEPARATORS.sub("", m["n"]))
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:  # as the plan file's targets (planfile.loader)
        raise NumberError(raw, Msg("number.out_of_range", limit=LIMIT_SAID))
    return number
