"""The task list as a line-API virtual table: only the visible rows are ever rendered.

Textual's DataTable measures every cell (10,000 rows take seconds to appear);
this renders the header and the rows on screen, so its cost does not grow with
the number of tasks. Rows are `TaskStatus` objects handed in by the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..i18n import t
from ..status import TaskStatus
from . import fmt
from .model import progress


@dataclass(frozen=True)
class Column:
    key: str
    width: int


class TaskTable(ScrollView, can_focus=True):
    """Status, id, title, lead unit, next due, progress, flags (⚑ override, ⏸ stale)."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", show=False),
        Binding("down,j", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]
    COMPONENT_CLASSES = {"task-table--header", "task-table--cursor", "task-table--row", "task-table--dim"}

    cursor: reactive[int] = reactive(0, init=False, always_update=True)

    class Highlighted(Message):
        """The cursor moved to another task (or to none)."""

        def __init__(self, table: "TaskTable", status: TaskStatus | None):
            super().__init__()
            self.table = table
            self.status = status

        @property
        def control(self) -> "TaskTable":
            return self.table

    def __init__(self, lang: str = "en", **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.rows: Sequence[TaskStatus] = ()
        self._columns: list[Column] = []
        self._key_width = 8
        self._lead_width = 8
        self._highlighted_key: str | None = None
        self.painted = False  # set once rows have been rendered (the benchmark waits for it)

    # --- data -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[TaskStatus], keep: str | None = None, *, else_top: bool = False) -> None:
        """New rows; the cursor stays on `keep` (a task key) if it is still there. Else it stays at
        the same place (a task ticked out of a red list: the next one comes up), or with `else_top`
        (new filters) goes to the first row, so that the first matches are in view."""
        self.rows = rows
        keys = self._keys(limit=2000)
        self._key_width = min(18, max([6, cell_len(t(self.lang, "col.id"))] + [cell_len(k) for k in keys]))
        sample = rows if len(rows) <= 2000 else rows[:200]
        self._lead_width = min(14, max([4, cell_len(t(self.lang, "col.lead"))] +
                                       [cell_len(fmt.units(s.task.lead)) for s in sample]))
        self._set_height(len(rows) + 1)
        self._columns = []
        index = self._index_of(keep) if keep else None
        new = index if index is not None else 0 if else_top else min(self.cursor, max(0, len(rows) - 1))
        self.set_reactive(TaskTable.cursor, new)
        self._scroll_cursor_visible()
        self.refresh()
        self._announce()

    def _set_height(self, height: int) -> None:
        """A new virtual height; without a layout pass when the scrollbar stays as it is.

        Assigning `virtual_size` re-lays out the whole screen, which is most of the cost
        of a search keystroke; only the scrollbar's showing or hiding needs that.
        """
        old = self.virtual_size.height
        if old == height:
            return
        viewport = self.scrollable_content_region.height
        if viewport and (old > viewport) == (height > viewport) and self.is_mounted:
            new = Size(0, height)
            self.set_reactive(TaskTable.virtual_size, new)
            self._scroll_update(new)
            if self.scroll_y > self.max_scroll_y:
                self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
            self.refresh()
        else:
            self.virtual_size = Size(0, height)

    def _keys(self, limit: int) -> list[str]:
        """The first `limit` keys (enough to size the id column)."""
        n = min(limit, len(self.rows))
        key_at = getattr(self.rows, "key_at", None)
        if key_at is not None:
            return [key_at(i) for i in range(n)]
        return [self.rows[i].key for i in range(n)]

    def _index_of(self, key: str) -> int | None:
        index_of = getattr(self.rows, "index_of", None)
        if index_of is not None:
            return index_of(key)
        return next((i for i, s in enumerate(self.rows) if s.key == key), None)

    @property
    def current(self) -> TaskStatus | None:
        if not self.rows or not 0 <= self.cursor < len(self.rows):
            return None
        return self.rows[self.cursor]

    def select_key(self, key: str) -> bool:
        index = self._index_of(key)
        if index is None:
            return False
        self.cursor = index
        return True

    # --- movement -------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        if self.rows:
            clamped = max(0, min(new, len(self.rows) - 1))
            if clamped != new:
                self.set_reactive(TaskTable.cursor, clamped)
        self._scroll_cursor_visible()
        self.refresh()
        self._announce()

    def _announce(self) -> None:
        current = self.current
        key = current.key if current else None
        # always announce: after a reload the same key carries a fresh status
        self._highlighted_key = key
        self.post_message(self.Highlighted(self, current))

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * self._page())

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = 0 if where == 0 else len(self.rows) - 1

    def _scroll_cursor_visible(self) -> None:
        height = self._page()
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = round(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self.rows):
            self.focus()
            self.cursor = row

    def on_resize(self, event: events.Resize) -> None:
        self._columns = []
        self.virtual_size = Size(0, len(self.rows) + 1)

    # --- layout ---------------------------------------------------------------------------

    def columns(self, width: int) -> list[Column]:
        """Fixed columns first; the title takes what is left; low-priority columns go when it is too narrow."""
        if self._columns and sum(c.width for c in self._columns) + len(self._columns) - 1 == width:
            return self._columns
        lang = self.lang
        wanted = [
            Column("rag", fmt.chip_width(lang)),
            Column("id", self._key_width),
            Column("title", 0),
            Column("lead", self._lead_width),
            Column("next_due", 10),
            Column("progress", 9),
            Column("flags", 2),
        ]
        min_title = 14
        # first the lead column gives up cells (down to 8), then whole columns go
        fixed = sum(c.width for c in wanted if c.key != "title") + len(wanted) - 1
        short = min_title - (width - fixed)
        if short > 0:
            lead = max(8, self._lead_width - short)
            wanted = [Column("lead", lead) if c.key == "lead" else c for c in wanted]
        drop_order = ["progress", "lead", "next_due", "id"]
        while True:
            fixed = sum(c.width for c in wanted if c.key != "title")
            title = width - fixed - (len(wanted) - 1)
            if title >= min_title or not drop_order:
                break
            gone = drop_order.pop(0)
            wanted = [c for c in wanted if c.key != gone]
        wanted = [Column("title", max(1, title)) if c.key == "title" else c for c in wanted]
        self._columns = wanted
        return wanted

    HEADERS = {"rag": "col.rag", "id": "col.id", "title": "col.title", "lead": "col.lead",
               "next_due": "col.next_due", "progress": "col.progress", "flags": None}

    def _header(self, columns: list[Column]) -> Text:
        out = Text(end="")
        for i, c in enumerate(columns):
            if i:
                out.append(" ")
            key = self.HEADERS[c.key]
            out.append_text(fmt.fit(Text(t(self.lang, key) if key else "", end=""), c.width))
        return out

    def _row(self, s: TaskStatus, columns: list[Column]) -> Text:
        out = Text(end="")
        for i, c in enumerate(columns):
            if i:
                out.append(" ")
            if c.key == "rag":
                cell = fmt.chip(self.lang, fmt.rag_key(s), c.width)
            elif c.key == "id":
                cell = fmt.fit(fmt.plain(s.key), c.width)
            elif c.key == "title":
                cell = fmt.fit(fmt.plain(s.task.title), c.width)
            elif c.key == "lead":
                cell = fmt.fit(fmt.plain(fmt.units(s.task.lead)), c.width)
            elif c.key == "next_due":
                style = "red" if s.next_due and s.next_due < s.as_of else ""
                cell = fmt.fit(Text(fmt.iso(s.next_due), style=style, end=""), c.width)
            elif c.key == "progress":
                cell = fmt.fit(fmt.bar(progress(s), 4), c.width)
            else:
                cell = fmt.fit(Text(fmt.flags(s), style="bold", end=""), c.width)
            out.append_text(cell)
        return out

    # --- rendering ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width <= 0:
            return Strip.blank(0)
        columns = self.columns(width)
        base = self.rich_style
        if y == 0:
            text = self._header(columns)
            style = base + self.get_component_rich_style("task-table--header")
            return self._strip(text, width, style)
        index = round(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        s = self.rows[index]
        text = self._row(s, columns)
        style = base
        if index == self.cursor:
            cursor = self.get_component_rich_style("task-table--cursor" if self.has_focus else "task-table--dim")
            rag_width = columns[0].width if columns and columns[0].key == "rag" else 0
            text.stylize(cursor, rag_width)
            style = base + cursor
        self.painted = True
        return self._strip(text, width, style)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = [Segment(seg.text, style + seg.style if seg.style else style, seg.control)
                    for seg in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, style)

    def on_focus(self) -> None:
        self.refresh()  # the cursor row changes colour with focus

    def on_blur(self) -> None:
        self.refresh()
