"""The review (双月推进会) as the meeting will see it: red, amber and green lists, what was
completed in the period, what changed colour, and the trend of the counts at every review.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..cli.terminal import SYMBOL
from ..i18n import rag_word, t
from ..status import TaskStatus
from . import fmt
from .messages import ShowTask
from .model import BoardData, ReviewFigures, review_figures, trend, trend_dates
from .view import ViewScreen

SYNC_LIMIT = 20_000  # tasks x dates replayed in the foreground; more goes to a worker thread


class TrendChart(Static):
    """One stacked bar per review date; fills differ by colour so the chart reads without colour too."""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.points: list[tuple[date, dict[str, int]]] | None = None
        self.as_of: date | None = None

    def show(self, points: list[tuple[date, dict[str, int]]] | None, as_of: date) -> None:
        self.points, self.as_of = points, as_of
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        lang = self.lang
        out = Text(end="")
        out.append(t(lang, "ui.review.trend") + "\n", style="bold")
        if self.points is None:
            out.append(t(lang, "ui.header.counting"), style="dim")
            self.update(out)
            return
        most = max((sum(c.values()) for _, c in self.points), default=0) or 1
        counts_width = max((fmt.counts_text(lang, c, words=False).cell_len for _, c in self.points), default=0)
        width = max(8, min(40, self.size.width - 11 - counts_width - 2 if self.size.width else 24))
        for d, c in self.points:
            out.append(d.isoformat(), style="bold" if d == self.as_of else "")
            out.append(" ")
            used = 0
            for rag in fmt.COLOURS:
                n = round(c.get(rag, 0) / most * width)
                n = min(n, width - used)
                out.append(fmt.FILL[rag] * n, style=fmt.BAR_STYLE[rag])
                used += n
            out.append(" " * (width - used) + " ")
            out.append_text(fmt.counts_text(lang, c, words=False))
            out.append("\n")
        legend = "  ".join(f"{fmt.FILL[r]} {rag_word(lang, r)}" for r in fmt.COLOURS)
        out.append(legend, style="dim")
        self.update(out)


class RagList(OptionList):
    """The tasks of one colour; enter goes to the task on the board."""

    def __init__(self, lang: str, rag: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.rag = rag

    def show(self, items: list[TaskStatus]) -> None:
        keep = self.highlighted
        self.clear_options()
        self.border_title = f"{SYMBOL[self.rag]} {rag_word(self.lang, self.rag)} {len(items)}"
        for s in items:
            line = Text(end="", no_wrap=True, overflow="ellipsis")
            line.append(fmt.clean(s.key, one_line=True), style="bold")
            line.append(" " + fmt.clean(s.task.title, one_line=True))
            if s.overridden:
                line.append(" ⚑")
            line.append("\n  ")
            line.append(fmt.clean(fmt.units(s.task.lead), one_line=True), style="dim")
            line.append(" " + fmt.clean(fmt.reasons(s, self.lang), one_line=True), style="italic")
            self.add_option(Option(line, id=s.key))
        if keep is not None and items:
            self.highlighted = min(keep, len(items) - 1)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ShowTask(event.option.id))


class ReviewScreen(ViewScreen):
    """What the meeting will see for the as-of date."""

    view_name = "review"

    def compose_body(self) -> ComposeResult:
        lang = self.lang
        yield Static(id="review-period")
        with Horizontal(id="review-top"):
            yield TrendChart(lang, id="trend")
            with VerticalScroll(id="review-changes"):
                yield Static(id="review-changes-text")
        with Horizontal(id="review-lists"):
            for rag in ("red", "amber", "green"):
                yield RagList(lang, rag, id=f"list-{rag}", classes="rag-list")

    def show_body(self, data: BoardData) -> None:
        fig = review_figures(data)
        lang = self.lang
        period = Text(end="")
        period.append(t(lang, "ui.review.period", start=fmt.iso(fig.previous), end=fig.as_of.isoformat()), style="bold")
        period.append("   " + t(lang, "ui.review.next", on=fmt.iso(fig.next)))
        self.query_one("#review-period", Static).update(period)
        self.query_one("#review-changes-text", Static).update(self._changes(fig))
        for rag in ("red", "amber", "green"):
            self.query_one(f"#list-{rag}", RagList).show(getattr(fig, rag))
        dates = trend_dates(data)
        chart = self.query_one(TrendChart)
        if len(data.snapshot.tasks) * len(dates) <= SYNC_LIMIT:
            chart.show(trend(data.snapshot, dates), data.as_of)
        else:
            chart.show(None, data.as_of)
            self._replay(data, dates)

    @work(thread=True, exclusive=True, group="trend")
    def _replay(self, data: BoardData, dates: list[date]) -> None:
        points = trend(data.snapshot, dates)
        self.app.call_from_thread(self._replayed, data, points)

    def _replayed(self, data: BoardData, points) -> None:
        if data is self.data:
            self.query_one(TrendChart).show(points, data.as_of)

    def _changes(self, fig: ReviewFigures) -> Text:
        lang = self.lang
        out = Text(end="")
        out.append(t(lang, "ui.review.completed", n=len(fig.completed)) + "\n", style="bold")
        if not fig.completed:
            out.append(t(lang, "ui.review.nothing") + "\n", style="dim")
        for s, what, day in fig.completed:
            out.append("✓ " + day.isoformat() + " ", style="green")
            out.append(fmt.clean(s.key, one_line=True) + " ", style="bold")
            out.append(fmt.clean(what, one_line=True) + "\n")
        out.append("\n" + t(lang, "ui.review.changed", n=len(fig.changed)) + "\n", style="bold")
        if fig.previous is None:
            out.append(t(lang, "ui.review.no_previous") + "\n", style="dim")
        elif not fig.changed:
            out.append(t(lang, "ui.review.nothing") + "\n", style="dim")
        for s, before, now in fig.changed:
            out.append_text(fmt.chip(lang, before.value))
            out.append(" → ")
            out.append_text(fmt.chip(lang, now.value))
            out.append(" " + fmt.clean(s.key, one_line=True) + " ", style="bold")
            out.append(fmt.clean(s.task.title, one_line=True) + "\n")
        return out
