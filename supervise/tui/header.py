"""The one-line header every screen shares: office, as-of date, counts by colour."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from ..i18n import t
from . import fmt
from .model import BoardData


class BoardHeader(Static):
    """Office name (clipped), then the as-of date and the counts, which are never clipped."""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang

    def show(self, data: BoardData, following_today: bool, extra: str = "") -> None:
        self._args = (data, following_today, extra)
        self._render_header()

    def on_resize(self) -> None:
        if getattr(self, "_args", None):
            self._render_header()

    def _render_header(self) -> None:
        data, following_today, extra = self._args
        lang = self.lang
        compact = 0 < self.size.width < 110
        office = data.snapshot.office.name or t(lang, "ui.app.title")
        left = Text(fmt.clean(office, one_line=True), style="bold", no_wrap=True, overflow="ellipsis", end="")
        if extra:
            left.append("  " + extra, style="dim")
        right = Text(end="")
        right.append(t(lang, "summary.as_of", on=data.as_of.isoformat()), style="bold")
        if not following_today:
            today = getattr(self.app, "today", None)
            label = "ui.header.look_ahead" if today is not None and data.as_of > today else "ui.header.time_travel"
            right.append(" ⏱" + ("" if compact else " " + t(lang, label)), style="bold reverse")
        right.append("  ")
        if data.ready:
            right.append_text(fmt.counts_text(lang, data.counts(), words=not compact))
            stale = data.stale_count()
            if stale:
                right.append(f"  ⏸ {stale}", style="bold")
        else:
            right.append(t(lang, "ui.header.counting"), style="dim")
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right")
        grid.add_row(left, right)
        self.update(grid)


class Bar(Widget):
    """One line of text that repaints without a layout pass (Static.update re-lays out the screen)."""

    DEFAULT_CSS = "Bar { height: 1; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.text = Text()

    def show(self, text: Text) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> Text:
        return self.text
