"""Reading a number someone typed: the one rule, for the command line, the UI and filled-in forms.

Pure: no clock, no I/O. Accepted: full-width digits (NFKC), spaces, thousands separators
(`5,200`, `5，200`), and a trailing unit when it is the indicator's own (`5200人` for an
indicator counted in 人; `%` always, as the command line has accepted it from the start).
A number typed with another unit (`2万`, `5200个` for 人) is refused, never converted:
the unit is the department's statement of what it counted, and we do not guess.
"""

from __future__ import annotations

import math
import re
import unicodedata

__all__ = ["NumberError", "parse_number"]

_NUMBER = re.compile(r"(?P<n>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(?P<unit>.*)")
_SEPARATORS = re.compile(r"[,\s_]")


class NumberError(ValueError):
    """A value we cannot read. `reason` / `reason_zh` say why; str() is one English line."""

    def __init__(self, text: str, reason: str, reason_zh: str):
        self.text, self.reason, self.reason_zh = text, reason, reason_zh
        super().__init__(f"not a number: {text!r} ({reason})")

    def words(self, lang: str) -> str:
        if lang == "zh":
            return f"无法识别的数值“{self.text}”：{self.reason_zh}".replace("\n", " ")
        return f"unreadable value {self.text!r}: {self.reason}".replace("\n", " ")


def parse_number(text: str, unit: str | None = None) -> float:
    """`text` as a finite float. `unit`: the indicator's unit, which may follow the number
    (None: only `%` may, as on the command line). Raises NumberError."""
    raw = text
    s = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(text)))
    m = _NUMBER.fullmatch(s)
    if not s or not m:
        raise NumberError(raw, "not a number", "不是数字")
    suffix = m["unit"]
    if suffix and suffix != "%":
        wanted = unicodedata.normalize("NFKC", unit or "").replace(" ", "")
        if not wanted:
            raise NumberError(raw, "not a number", "不是数字")
        if suffix != wanted:
            raise NumberError(raw, f"typed in {suffix}, the indicator counts in {wanted}",
                              f"填写的单位是“{suffix}”，该指标的单位是“{wanted}”")
    elif suffix == "%" and unit is not None and unicodedata.normalize("NFKC", unit) not in ("%", ""):
        raise NumberError(raw, f"typed in %, the indicator counts in {unit}",
                          f"填写的单位是“%”，该指标的单位是“{unit}”")
    number = float(m["n"])
    if not math.isfinite(number):
        raise NumberError(raw, "out of range", "超出范围")
    return number
