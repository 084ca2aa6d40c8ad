"""The frame the review, departments and timeline screens share: header, body, footer, escape back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from . import keys
from .header import BoardHeader
from .model import BoardData


class ViewScreen(Screen):
    """A read-only view of the current data; `show_data` is called after every change."""

    BINDINGS = [Binding("escape", "app.show('board')", show=False)]
    view_name = ""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.data: BoardData | None = None
        keys.localize(self, lang)

    def compose(self) -> ComposeResult:
        yield BoardHeader(self.lang, id="header")
        yield from self.compose_body()
        yield Footer(show_command_palette=False)

    def compose_body(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()

    def on_mount(self) -> None:
        if self.app.data is not None:
            self.show_data(self.app.data)

    def show_data(self, data: BoardData) -> None:
        self.data = data
        if not self.query(BoardHeader):  # not composed yet: on_mount shows it
            return
        from ..i18n import t

        self.query_one(BoardHeader).show(data, self.app.following_today, t(self.lang, f"ui.view.{self.view_name}"))
        self.show_body(data)

    def show_body(self, data: BoardData) -> None:  # pragma: no cover - overridden
        pass
