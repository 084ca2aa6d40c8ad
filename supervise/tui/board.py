"""The board: header, plan tree, task table, detail pane; the screen the clerk lives on.

It turns keys into modal dialogs and the dialogs' answers into messages for the
app (which alone writes); it receives fresh `BoardData` after every change.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input

from ..i18n import t
from ..models import Rag
from ..status import TaskStatus
from . import fmt, keys
from .detail import DetailPane
from .header import Bar, BoardHeader
from .messages import (
    MilestoneTicked,
    NoteAdded,
    OverrideCleared,
    OverrideSet,
    ValueRecorded,
)
from .model import BoardData, Filters
from .task_table import TaskTable
from .tree import PlanTree


class BoardScreen(Screen):
    """Tasks for the as-of date, filtered and searched; actions on the selected task."""

    BINDINGS = keys.bindings("board") + [("escape", "escape", "")]

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.filters = Filters()
        self.data: BoardData | None = None
        keys.localize(self, lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield BoardHeader(lang, id="header")
        with Horizontal(id="body"):
            yield PlanTree(lang, id="tree")
            with Vertical(id="main"):
                with Vertical(id="listcol"):
                    yield Input(placeholder=t(lang, "ui.search.placeholder"), id="search", classes="-hidden")
                    yield Bar(id="filterbar")
                    yield TaskTable(lang, id="tasks")
                yield DetailPane(lang, id="detail")
        yield Footer(show_command_palette=False)  # ctrl+p is in the key table (CJK-safe)

    @property
    def table(self) -> TaskTable:
        return self.query_one(TaskTable)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def selected(self) -> TaskStatus | None:
        return self.table.current

    def on_mount(self) -> None:
        self.table.focus()
        if self.app.data is not None:
            self.show_data(self.app.data)
        self.call_after_refresh(self.app.board_painted)

    # --- data in --------------------------------------------------------------------------

    def show_data(self, data: BoardData) -> None:
        """Fresh data (a write, a reload, time travel, the full statuses arriving): redraw, keep the selection."""
        self.data = data
        if not self.query(TaskTable):  # not composed yet: on_mount shows it
            return
        self.query_one(PlanTree).show(data)
        self.query_one(BoardHeader).show(data, self.app.following_today)
        self.refresh_rows()

    def refresh_rows(self, keep: str | None = None, *, else_top: bool = False) -> None:
        if self.data is None:
            return
        current = self.table.current
        keep = keep or (current.key if current else None)
        rows = self.filters.apply(self.data)
        self.table.set_rows(rows, keep, else_top=else_top)
        self._refresh_bars(len(rows))

    def _refresh_bars(self, shown: int) -> None:
        data, lang, f = self.data, self.lang, self.filters
        parts = [t(lang, "ui.filter.shown", shown=shown, total=len(data.live_tasks))]
        if f.rags:
            parts.append(t(lang, "col.rag") + " " + "、".join(fmt.label(lang, f"rag.{r}") for r in sorted(f.rags, key=_rank)))
        if f.plan:
            parts.append(f.plan + (" / " + f.section if f.section else ""))
        if f.unit:
            parts.append(t(lang, "ui.filter.involving" if f.involving else "col.lead") + " " + f.unit)
        if f.due_within is not None:
            parts.append(t(lang, f"ui.filter.due_{f.due_within}"))
        if f.stale:
            parts.append("⏸ " + t(lang, "ui.stale"))
        if f.awaiting:
            parts.append("✉ " + t(lang, "ui.notice.awaiting"))
        if f.search:
            parts.append(t(lang, "ui.filter.search", text=f.search))
        if f.sort == "rag":
            parts.append(t(lang, "ui.filter.sorted"))
        bar = Text(fmt.clean(" · ".join(parts), one_line=True), no_wrap=True, overflow="ellipsis")
        if f.active:
            bar.append("  " + t(lang, "ui.filter.clear_hint"), style="dim")
        self.query_one("#filterbar", Bar).show(bar)

    @on(TaskTable.Highlighted)
    def _highlighted(self, event: TaskTable.Highlighted) -> None:
        """The detail follows after the table has painted, so typing and scrolling stay quick."""
        self._pending_detail = event.status
        self.call_after_refresh(self._show_detail)

    def _show_detail(self) -> None:
        status = getattr(self, "_pending_detail", None)
        if status is not self.detail.status:
            self.detail.show(status)

    @on(PlanTree.ScopeChosen)
    def _scope(self, event: PlanTree.ScopeChosen) -> None:
        from dataclasses import replace

        self.filters = replace(self.filters, plan=event.plan, section=event.section)
        self.refresh_rows()

    def set_filters(self, filters: Filters, keep: str | None = None) -> None:
        self.filters = filters
        search = self.query_one("#search", Input)
        if search.value != filters.search:
            with search.prevent(Input.Changed):
                search.value = filters.search
        search.set_class(not filters.search and not search.has_focus, "-hidden")
        self.query_one(PlanTree).select_scope(filters.plan, filters.section)
        self.refresh_rows(keep, else_top=True)

    # --- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.remove_class("-hidden")
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        from dataclasses import replace

        self.filters = replace(self.filters, search=event.value)
        self.refresh_rows()
        if self.table.rows:
            self.table.cursor = 0

    @on(Input.Submitted, "#search")
    def _search_done(self, event: Input.Submitted) -> None:
        """Enter leaves the search with the first match selected."""
        self.table.focus()
        if self.table.rows:
            self.table.cursor = 0
        if not event.value:
            event.input.add_class("-hidden")

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.set_filters(self.filters.without_search())
            search.add_class("-hidden")
            self.table.focus()
        elif self.filters.search:
            self.set_filters(self.filters.without_search())
            search.add_class("-hidden")

    # --- filters --------------------------------------------------------------------------

    def action_filter(self) -> None:
        from .modals import FilterDialog

        if self.data is None:
            return
        self.app.push_screen(FilterDialog(self.lang, self.data, self.filters), self._filters_chosen)

    def _filters_chosen(self, filters: Filters | None) -> None:
        if filters is not None:
            self.set_filters(filters)

    def action_clear_filters(self) -> None:
        self.set_filters(self.filters.cleared())
        self.query_one("#search", Input).add_class("-hidden")

    def action_sort(self) -> None:
        from dataclasses import replace

        self.set_filters(replace(self.filters, sort="plan" if self.filters.sort == "rag" else "rag"))

    def action_toggle_tree(self) -> None:
        tree = self.query_one(PlanTree)
        tree.display = not tree.display

    # --- actions on the selected task -----------------------------------------------------

    def _need_task(self) -> TaskStatus | None:
        s = self.selected
        if s is None:
            self.app.notify(t(self.lang, "ui.no_task"), severity="warning", markup=False)
        elif s.task.withdrawn:
            self.app.notify(t(self.lang, "err.withdrawn", what=s.key), severity="warning", markup=False)
            return None
        return s

    def _milestone_target(self, s: TaskStatus) -> str | None:
        """The milestone picked in the checklist, if the clerk picked one."""
        picked = self.detail.selected_milestone
        if picked and self.detail.status and self.detail.status.key == s.key:
            return picked
        return None

    def action_tick(self) -> None:
        """Done on the date being viewed, no prompt: the picked milestone, else the next open one, else the
        task itself (which asks first while indicators are not met)."""
        s = self._need_task()
        if s is None:
            return
        milestone = self._milestone_target(s)
        if milestone is not None:
            ms = next(m for m in s.milestones if m.milestone.id == milestone)
            if ms.milestone.done_on is not None:
                self.app.notify(t(self.lang, "done.already", target=f"{s.key}/{milestone}",
                                  on=ms.milestone.done_on.isoformat()), markup=False)
                return
        self._tick(s, milestone, self.app.entry_date)

    def action_tick_on(self) -> None:
        from .modals import DatePrompt

        s = self._need_task()
        if s is None:
            return
        milestone = self._milestone_target(s)
        target = f"{s.key}/{milestone}" if milestone else s.key
        today = self.app.today
        prompt = DatePrompt(self.lang, t(self.lang, "ui.tick.title", target=target), self.app.entry_date, today,
                            latest=today)

        def done(on: date | None) -> None:
            if on is not None:
                self._tick(s, milestone, on)

        self.app.push_screen(prompt, done)

    def _tick(self, s: TaskStatus, milestone: str | None, on: date) -> None:
        """Tick now, or, when it would mark the whole task done with indicators not met, ask first."""
        if milestone is None and s.milestones and all(m.milestone.done_on is not None for m in s.milestones):
            self._say_all_ticked(s)  # not an error: nothing left to tick, and what the clerk can do instead
            return
        unmet = unmet_indicators(s) if milestone is None and not s.milestones else []
        if not unmet:
            self.post_message(MilestoneTicked(s.key, milestone, on))
            return
        from .modals import Confirm

        names = "、".join(fmt.clean(i.indicator.name, one_line=True) for i in unmet)
        question = t(self.lang, "ui.tick.unmet", task=s.key, n=len(unmet), names=names, on=on.isoformat())

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(MilestoneTicked(s.key, None, on))

        self.app.push_screen(Confirm(self.lang, t(self.lang, "ui.tick.unmet_title", task=s.key), question), answered)

    def _say_all_ticked(self, s: TaskStatus) -> None:
        """Every milestone is done: a notice (information, not an error) naming the indicators still open,
        if any, and the key that records their values."""
        unmet = unmet_indicators(s)
        if unmet:
            names = "、".join(fmt.clean(i.indicator.name, one_line=True) for i in unmet)
            record = next(k.display for k in keys.KEYS if k.id == "record")
            words = t(self.lang, "ui.tick.all_done_unmet", task=s.key, n=len(unmet), names=names, key=record)
        else:
            words = t(self.lang, "ui.tick.all_done", task=s.key)
        self.app.notify(words, severity="information", markup=False)

    def action_note(self, text: str = "") -> None:
        s = self._need_task()
        if s is None:
            return
        self.open_note_editor(s, text)

    def open_note_editor(self, s: TaskStatus, text: str = "") -> None:
        from .modals import NoteEditor

        on = self.app.entry_date

        def done(result: str | None) -> None:
            if result is not None:
                self.post_message(NoteAdded(s.key, result, on))

        self.app.push_screen(NoteEditor(self.lang, s, on, text), done)

    def action_record(self) -> None:
        from .modals import RecordDialog

        s = self._need_task()
        if s is None:
            return
        if not s.indicators:
            self.app.notify(t(self.lang, "ui.record.none", task=s.key), severity="warning", markup=False)
            return

        def done(result) -> None:
            if result is not None:
                indicator, value, on = result
                self.post_message(ValueRecorded(s.key, indicator, value, on))

        self.app.push_screen(RecordDialog(self.lang, s, self.app.today, self.app.entry_date), done)

    def action_override(self) -> None:
        from .modals import OverrideDialog

        s = self._need_task()
        if s is None:
            return

        def done(choice) -> None:
            if choice is None:
                return
            if choice.clear:
                self.post_message(OverrideCleared(s.key, choice.on))
            else:
                self.post_message(OverrideSet(s.key, choice.rag, choice.reason, choice.on, choice.until))

        self.app.push_screen(OverrideDialog(self.lang, s, self.app.today, self.app.entry_date), done)

    def action_history(self) -> None:
        """Everything recorded on the selected task, newest first (withdrawn tasks too: it is only reading)."""
        from .history import HistoryScreen

        s = self.selected
        if s is None:
            self.app.notify(t(self.lang, "ui.no_task"), severity="warning", markup=False)
            return
        self.app.push_screen(HistoryScreen(self.lang, s.key, s.task.title, self.app.task_events(s.key)))


def unmet_indicators(s: TaskStatus) -> list:
    """The indicators whose target is not met as of the status's date (the status rules say which)."""
    return [i for i in s.indicators if i.rag != Rag.DONE]


def _rank(rag: str) -> int:
    return Rag(rag).rank
