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

from ..marks import SYMBOL
from ..i18n import rag_word, t
from ..status import TaskStatus
from ..status import counts
from . import fmt, keys
from .messages import ShowTask
from .model import (
    REVIEW_GROUPINGS,
    BoardData,
    ReviewFigures,
    review_figures,
    review_groups,
    trend,
    trend_dates,
)
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


def task_prompt(lang: str, s: TaskStatus, *, chip: bool = False) -> Text:
    """One task as the meeting reads it: id, title, lead units and the reasons, all wrapped, never cut."""
    line = Text(end="")
    if chip:
        line.append_text(fmt.chip(lang, s.rag.value))
        line.append(" ")
    line.append(fmt.clean(s.key, one_line=True), style="bold")
    line.append(" " + fmt.clean(s.task.title, one_line=True))
    if s.overridden:
        line.append(" ⚑")
    line.append("\n  ")
    line.append(fmt.clean(fmt.units(s.task.lead), one_line=True), style="dim")
    line.append(" " + fmt.clean(fmt.reasons(s, lang), one_line=True), style="italic")
    return line


class TaskList(OptionList):
    """Tasks as options (the id of each option is its task key); enter goes to the task on the board."""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang

    def refill(self, options: list[Option]) -> None:
        keep = self.highlighted
        self.clear_options()
        self.add_options(options)
        if keep is not None and options:
            self.highlighted = min(keep, len(options) - 1)
            if self.highlighted_option is not None and self.highlighted_option.disabled:
                self.action_cursor_down()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ShowTask(event.option.id.split(":", 1)[-1]))


class RagList(TaskList):
    """The tasks of one colour."""

    def __init__(self, lang: str, rag: str, **kwargs):
        super().__init__(lang, **kwargs)
        self.rag = rag

    def show(self, items: list[TaskStatus]) -> None:
        self.border_title = f"{SYMBOL[self.rag]} {rag_word(self.lang, self.rag)} {len(items)}"
        self.refill([Option(task_prompt(self.lang, s), id=s.key) for s in items])


class GroupList(TaskList):
    """The review's tasks by section or by lead unit: a heading with the group's counts, then its tasks."""

    def show(self, groups: list[tuple[str, list[TaskStatus]]]) -> None:
        options: list[Option] = []
        for n, (name, items) in enumerate(groups):
            head = Text(fmt.clean(name, one_line=True) + "  ", style="bold underline", end="")
            head.append_text(fmt.counts_text(self.lang, counts(items), words=False))
            options.append(Option(head, disabled=True))
            # a task under two lead units is listed twice: option ids must be unique
            options.extend(Option(task_prompt(self.lang, s, chip=True), id=f"{n}:{s.key}") for s in items)
        self.refill(options)


class ReviewScreen(ViewScreen):
    """What the meeting will see for the as-of date: lists by colour, or grouped by section or lead unit."""

    view_name = "review"
    BINDINGS = keys.bindings("review")

    def __init__(self, lang: str, **kwargs):
        super().__init__(lang, **kwargs)
        self.grouping = "rag"

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
            yield GroupList(lang, id="review-groups", classes="-hidden")

    def action_group(self) -> None:
        """By colour → by section → by lead unit → by colour."""
        self.grouping = REVIEW_GROUPINGS[(REVIEW_GROUPINGS.index(self.grouping) + 1) % len(REVIEW_GROUPINGS)]
        if not self.query("#review-groups"):  # from the palette, before the screen is composed: on_mount shows it
            return
        if self.data is not None:
            self.show_body(self.data)
        target = self.query_one("#review-groups" if self.grouping != "rag" else "#list-red", TaskList)
        target.focus()

    def show_body(self, data: BoardData) -> None:
        fig = review_figures(data)
        lang = self.lang
        period = Text(end="")
        period.append(t(lang, "ui.review.period", start=fmt.iso(fig.previous), end=fig.as_of.isoformat()), style="bold")
        period.append("   " + t(lang, "ui.review.next", on=fmt.iso(fig.next)))
        how = t(lang, f"ui.review.by_{self.grouping}")
        period.append("   " + t(lang, "ui.review.grouped", how=how), style="dim")
        period.no_wrap, period.overflow = True, "ellipsis"
        self.query_one("#review-period", Static).update(period)
        self.query_one("#review-changes-text", Static).update(self._changes(fig))
        by_rag = self.grouping == "rag"
        for rag in ("red", "amber", "green"):
            widget = self.query_one(f"#list-{rag}", RagList)
            widget.set_class(not by_rag, "-hidden")
            if by_rag:
                widget.show(getattr(fig, rag))
        groups = self.query_one("#review-groups", GroupList)
        groups.set_class(by_rag, "-hidden")
        if not by_rag:
            groups.show(review_groups(fig, self.grouping, data))
        dates = trend_dates(data)
        chart = self.query_one(TrendChart)
        if len(data.snapshot.tasks) * len(dates) <= SYNC_LIMIT:
            chart.show(trend(data), data.as_of)
        else:
            chart.show(None, data.as_of)
            self._replay(data)

    @work(thread=True, exclusive=True, group="trend")
    def _replay(self, data: BoardData) -> None:
        points = trend(data)
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
