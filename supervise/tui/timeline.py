"""Milestones and indicators (and tasks without either) due in the coming weeks and months,
overdue first: what to chase next (reviews.falling_due, the briefing's look-ahead rule).

Grouped as overdue, the next 7 days, the next 30 days, then by month; `enter`
goes to the task on the board.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import t
from ..reviews import Falling
from . import fmt
from .messages import ShowTask
from .model import BoardData, upcoming
from .view import ViewScreen

HORIZON_MONTHS = 6


def group_of(d: Falling, as_of: date, lang: str) -> str:
    if d.due < as_of:
        return t(lang, "ui.timeline.overdue")
    if d.due <= as_of + timedelta(days=7):
        return t(lang, "ui.timeline.week")
    if d.due <= as_of + timedelta(days=30):
        return t(lang, "ui.timeline.month")
    return t(lang, "ui.timeline.in_month", year=d.due.year, month=d.due.month)


class TimelineScreen(ViewScreen):
    view_name = "timeline"

    def compose_body(self) -> ComposeResult:
        yield Static(id="timeline-hint")
        yield OptionList(id="timeline")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def show_body(self, data: BoardData) -> None:
        lang = self.lang
        items = upcoming(data.live(), data.as_of, HORIZON_MONTHS)
        options: list[Option | None] = []
        group = None
        for d in items:
            g = group_of(d, data.as_of, lang)
            if g != group:
                group = g
                count = sum(1 for x in items if group_of(x, data.as_of, lang) == g)
                options.append(Option(Text(f"{g} ({count})", style="bold underline"), disabled=True))
            line = Text(end="", no_wrap=True, overflow="ellipsis")
            line.append_text(fmt.chip(lang, d.rag.value, fmt.chip_width(lang)))
            line.append(" " + d.due.isoformat() + " ", style="red" if d.due < data.as_of else "bold")
            days = (d.due - data.as_of).days
            line.append(t(lang, "layout.days", days=days) + " ", style="dim")
            line.append(fmt.clean(d.status.key + (f"/{d.item}" if d.item else ""), one_line=True) + " ", style="bold")
            line.append(fmt.clean(d.what or d.status.task.title, one_line=True))
            line.append(" · " + fmt.clean(fmt.units(d.status.task.lead), one_line=True), style="dim")
            options.append(Option(line, id=f"{len(options)}:{d.status.key}"))
        widget = self.query_one(OptionList)
        keep = widget.highlighted
        widget.clear_options()
        widget.add_options(options)
        if keep is not None and widget.option_count:
            widget.highlighted = min(keep, widget.option_count - 1)
        self.query_one("#timeline-hint", Static).update(
            Text(t(lang, "ui.timeline.hint", n=len(items), months=HORIZON_MONTHS), style="dim"))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ShowTask(event.option.id.split(":", 1)[1]))
