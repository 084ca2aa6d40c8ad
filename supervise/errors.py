"""Domain errors: each carries a catalogue key so the shell can say it in the user's language.
A parameter may be an i18n.Msg (a date error inside the line, say): it is said in the same language.

Exit statuses follow shared/spec/cli.md: InputError → 2, StoreError → 3.
"""

from __future__ import annotations


class SuperviseError(Exception):
    exit_code = 2

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(key)

    def render(self, lang: str = "en") -> str:
        from .i18n import t

        params = dict(self.params)
        suggest, has = params.pop("suggest", None), params.pop("has", None)
        if suggest:
            params["hint"] = t(lang, "err.hint", options=", ".join(suggest))
        elif has:
            params["hint"] = t(lang, "err.hint_list", options=", ".join(has))
        elif "suggest" in self.params or "has" in self.params:
            params["hint"] = ""
        return t(lang, self.key, **params).replace("\n", " ")

    def __str__(self) -> str:
        return self.render("en")


class InputError(SuperviseError):
    """Bad input from the user: unknown id, bad date, bad value. Nothing was written."""

    exit_code = 2


class StoreError(SuperviseError):
    """The database is unusable: locked past the timeout, corrupt, newer, read-only, full."""

    exit_code = 3
