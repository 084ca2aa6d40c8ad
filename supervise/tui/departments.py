"""One row per unit with its rank (通报), its rates and its counts by colour.

The rank and the rates are `ranking.rank_units`: the same figures as `supervise units`, the
briefing and the ledger. Ranked lead units come first, in rank order; units that only share in
tasks follow, unranked. A few hundred rows at most, so Textual's DataTable is fine here. `s` or
a click on a column header sorts; `enter` shows the board filtered to that unit.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..marks import SYMBOL
from ..i18n import rag_word, t
from ..ranking import UnitRank, percent, rank_units
from ..views import UnitRow
from . import fmt
from .messages import ShowUnit
from .model import BoardData
from .view import ViewScreen

NARROW = 100  # terminal columns below which the colour headings are symbols only
SORTS = ("rank", "unit", "worst", "red", "amber", "green", "done", "total", "responsible")


class DepartmentsScreen(ViewScreen):
    """Counts by colour per lead unit; tasks where the unit is only responsible in a column apart."""

    view_name = "departments"
    BINDINGS = [Binding("s", "sort", "sort", id="supervise.sort")]

    def __init__(self, lang: str, **kwargs):
        super().__init__(lang, **kwargs)
        self.sort = "rank"
        self.rows: list[UnitRow] = []
        self.ranks: dict[str, UnitRank] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(id="departments-hint")
        yield DataTable(id="departments", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._columns()
        self.query_one(DataTable).focus()  # ViewScreen.on_mount runs after this one and fills the rows

    def _columns(self) -> None:
        """The headings; below NARROW columns the colours are headed by their symbol alone and the
        last column (tasks where the unit is only responsible) by a short word, so that it stays in
        sight at 80 columns beside the rank and the rates."""
        table = self.query_one(DataTable)
        lang = self.lang
        self._compact = self.app.size.width < NARROW
        table.clear(columns=True)
        table.add_column(t(lang, "units.col.rank"), key="rank")
        table.add_column(t(lang, "col.unit"), key="unit")
        table.add_column(t(lang, "ui.departments.col.on_time"), key="on_time")
        table.add_column(t(lang, "units.col.red_rate"), key="red_rate")
        for rag in fmt.COLOURS:
            table.add_column(Text(SYMBOL[rag] if self._compact else f"{SYMBOL[rag]} {rag_word(lang, rag)}"), key=rag)
        table.add_column(t(lang, "col.total"), key="total")
        table.add_column(t(lang, "ui.departments.col.responsible_short" if self._compact else "col.only_responsible"),
                         key="responsible")

    def on_resize(self) -> None:
        if getattr(self, "_compact", None) is not None and self._compact != (self.app.size.width < NARROW):
            self._columns()
            self._fill()

    def show_body(self, data: BoardData) -> None:
        live = data.live()
        self.rows = live.by_unit()
        self.ranks = {u.unit: u for u in rank_units(live, data.as_of, data.snapshot.office)}
        self._fill()

    def _sorted(self) -> list[UnitRow]:
        rows = list(self.rows)  # by_unit() is already worst first
        if self.sort == "rank":  # the ranked lead units, then the units that only share in tasks, by name
            unranked = len(self.ranks) + 1
            rows.sort(key=lambda r: (self.ranks[r.unit].rank if r.unit in self.ranks else unranked, r.unit))
        elif self.sort == "unit":
            rows.sort(key=lambda r: r.unit)
        elif self.sort == "total":
            rows.sort(key=lambda r: -r.total)
        elif self.sort == "responsible":
            rows.sort(key=lambda r: -r.responsible_total)
        elif self.sort in fmt.COLOURS:
            rows.sort(key=lambda r: -r.counts[self.sort])
        return rows

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = None
        if table.row_count and table.cursor_row < table.row_count:
            keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        table.clear()
        for r in self._sorted():
            ranked = self.ranks.get(r.unit)
            cells = [Text(str(ranked.rank) if ranked else "—", justify="right"), Text(fmt.clean(r.unit, one_line=True))]
            cells.append(Text(percent(ranked.on_time_rate) if ranked else "—", justify="right"))
            cells.append(Text(percent(ranked.red_rate) if ranked else "—", justify="right"))
            for rag in fmt.COLOURS:
                n = r.counts[rag]
                cells.append(Text(str(n), style=fmt.STYLE[rag] if n and rag in ("red", "amber") else "", justify="right"))
            cells.append(Text(str(r.total), justify="right", style="bold"))
            cells.append(Text(str(r.responsible_total), justify="right", style="dim"))
            table.add_row(*cells, key=r.unit)
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:  # the unit is gone
                pass
        label = t(self.lang, f"ui.departments.sort_{self.sort}")
        self.query_one("#departments-hint", Static).update(
            Text(t(self.lang, "ui.departments.hint", n=len(self.rows), sort=label), style="dim"))

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._fill()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = {"on_time": "rank", "red_rate": "rank"}.get(event.column_key.value, event.column_key.value)
        self.sort = "rank" if self.sort == key else key
        self._fill()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(ShowUnit(str(event.row_key.value)))
