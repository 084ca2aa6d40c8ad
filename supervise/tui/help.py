"""Every key, in the user's language, read from the one key table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..i18n import t
from .keys import EXTRA_HELP, KEYS


def help_table(lang: str) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True)
    table.add_column(t(lang, "ui.help.key"), no_wrap=True, style="bold")
    table.add_column(t(lang, "ui.help.does"), ratio=1, overflow="fold")  # Chinese has no spaces to wrap at: fold, never cut
    for k in KEYS:
        table.add_row(Text(k.display), Text(t(lang, f"ui.help.{k.id}")))
    for display, key in EXTRA_HELP:
        table.add_row(Text(display), Text(t(lang, key)))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", show=False)]

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog dialog-wide", id="help"):
            yield Static(Text(t(self.lang, "ui.help.title"), style="bold"), classes="dialog-title")
            yield Static(help_table(self.lang))
            yield Static(Text(t(self.lang, "ui.help.footer"), style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
