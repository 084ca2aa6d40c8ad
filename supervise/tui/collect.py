"""Collecting a report form from the UI (key `c`): a path, the same preview `collect` prints, then record.

The dialog reads and checks the file (supervise.collect, the same code as the command) against
the data on screen; enter on the preview records it. The write is queued with the app's others
and runs in a worker thread on the writing connection, through the store's one transaction and
write lock, so the screen never waits for a busy database; the app then reloads and says which
unit and how many entries, in the words `supervise collect` prints (db.actions.collected). `ctrl+z`
(the store's undo) takes the whole form back, as `supervise undo` does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from ..collect import FormPlan, preview, read_form
from ..i18n import t
from ..db.actions import collected, nothing_to_collect
from ..models import Snapshot
from . import fmt
from .modals import Dialog


class CollectDialog(Dialog[FormPlan]):
    """Enter a path: the preview (or the problems) is shown; enter again records, escape cancels."""

    def __init__(self, lang: str, snapshot: Snapshot, database_id: str, today: date):
        super().__init__(lang, t(lang, "ui.collect.title"))
        self.snapshot, self.database_id, self.today = snapshot, database_id, today
        self.plan: FormPlan | None = None
        self.checked_path = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield self.frame_title()
            yield Static(t(self.lang, "ui.collect.path"), classes="dialog-hint")
            yield Input(id="path")
            with VerticalScroll(id="collect-preview"):
                yield Static(id="preview")
            yield self.error_line()
            yield self.buttons()

    def submit(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if self.plan is not None and path == self.checked_path:
            self.dismiss(self.plan)
            return
        self.plan = None
        self.query_one("#error", Static).update("")
        plan, problems = read_form(Path(path).expanduser(), self.snapshot, self.database_id, self.today)
        if problems:
            self.query_one("#preview", Static).update(
                Text("\n".join(fmt.clean(p.line(self.lang), one_line=True) for p in problems), style="bold red"))
            return
        self.plan, self.checked_path = plan, path
        self.query_one("#preview", Static).update(preview_table(plan, self.snapshot, self.today, self.lang))
        self.query_one("#error", Static).update(Text(t(self.lang, "ui.collect.confirm"), style="bold"))


def preview_table(plan: FormPlan, snapshot: Snapshot, today: date, lang: str) -> Table:
    same = sum(1 for e in plan.entries if e.already)
    # the title as Text: a str would be read as Rich markup, and a path or unit "[red]…" lose its brackets
    table = Table(title=Text(fmt.clean(t(lang, "forms.file_head", path=plan.path, unit=plan.unit, on=plan.as_of.isoformat(),
                                         n=len(plan.entries) - same, same=same), one_line=True), style="italic"),
                  box=None, header_style="bold", pad_edge=False, expand=True, title_justify="left")
    for key in ("col.id", "forms.col.item", "forms.col.what", "forms.col.colour"):
        table.add_column(t(lang, key))
    for row in preview(plan, snapshot, today, lang):
        table.add_row(*(Text(fmt.clean(cell, one_line=True)) for cell in row))
    return table


def start(app) -> None:
    """The app's `c`: the dialog, then the write, queued with the app's other writes (a worker thread)."""

    def done(plan: FormPlan | None) -> None:
        if plan is None:
            return
        if not plan.new:
            app.notify(nothing_to_collect(plan, app.lang), markup=False)
            return
        app.write(lambda store: store.collect([plan])[0], lambda c: collected(c, app.lang))

    assert app.data is not None
    app.push_screen(CollectDialog(app.lang, app.data.snapshot, app.store.database_id(), app.today), done)
