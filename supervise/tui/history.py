"""A task's history: every event recorded on it, newest first, as the log shows them.

Read-only; escape (or h, or q) closes it. Text the clerk typed is shown in full and literally.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..db.actions import action_name, event_words
from ..i18n import t
from ..models import Event
from . import fmt


def history_table(lang: str, events: list[Event]) -> Table:
    """One row per event: the date it is about, when it was recorded, what, and the words in full (wrapped)."""
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True)
    table.add_column(t(lang, "col.on"), no_wrap=True)
    table.add_column(t(lang, "col.when"), no_wrap=True, style="dim")
    table.add_column(t(lang, "col.action"), no_wrap=True)
    table.add_column(t(lang, "col.what"), ratio=1, overflow="fold")
    for e in events:
        action = Text(action_name(e.kind, lang), style="dim strike" if e.undone else "")
        if e.undone:
            action.append(" " + t(lang, "log.undone"), style="dim")
        what = event_words(e.kind, e.summary, e.data, lang)  # a note in full, not the log's first 200 characters
        item = e.item.rsplit("/", 1)[-1] if e.item and e.task and e.item.startswith(e.task + "/") else (e.item or "")
        words = Text(end="")
        if item:
            words.append(fmt.clean(item, one_line=True) + " ", style="bold")
        words.append(fmt.clean(what), style="dim" if e.undone else "")
        table.add_row(Text(fmt.iso(e.on)), Text(e.at[:16].replace("T", " ")), action, words)
    return table


class HistoryScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,h", "close", show=False)]

    def __init__(self, lang: str, key: str, title: str, events: list[Event]):
        super().__init__()
        self.lang = lang
        self.key = key
        self.task_title = title
        self.events = events

    def compose(self) -> ComposeResult:
        lang = self.lang
        head = Text(t(lang, "ui.history.title", task=self.key, n=len(self.events)) + " ", style="bold", end="")
        head.append(fmt.clean(self.task_title, one_line=True))
        with VerticalScroll(classes="dialog dialog-wide", id="history"):
            yield Static(head, classes="dialog-title")
            if self.events:
                yield Static(history_table(lang, self.events))
            else:
                yield Static(Text(t(lang, "ui.history.none"), style="dim"))
            yield Static(Text(t(lang, "ui.history.footer"), style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
