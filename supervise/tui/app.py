"""The composition root: `make_app` builds the one App the CLI runs and the tests drive.

The app owns the store and the clock. Widgets and screens post messages; the
app performs each write in one store transaction in a worker thread (one at a
time, in order), then reloads and hands every screen fresh model objects. It
also notices writes made by others (cron, a second terminal) by polling the
database's data version.
"""

from __future__ import annotations

import gc
import importlib
import sqlite3
import threading
from collections import deque
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from textual import on, work
from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from .. import collector
from ..db.actions import confirmation
from ..db.store import Store
from ..errors import SuperviseError
from ..files import error as file_error
from ..files import protected, write_whole
from ..i18n import t
from ..models import Event
from . import keys
from .board import BoardScreen
from .commands import SuperviseCommands
from .messages import (
    MilestoneTicked,
    NoteAdded,
    OverrideCleared,
    OverrideSet,
    ShowTask,
    ShowUnit,
    ValueRecorded,
    Written,
)
from .model import BoardData, Filters

POLL_SECONDS = 2.0
SYNC_LIMIT = 2000  # up to this many tasks, statuses are computed before the first paint
WAIT_NOTICE = 1.0  # a write still unanswered after this many seconds says it is waiting for the database


@dataclass(frozen=True)
class Write:
    """One write the clerk asked for: a single store call (one transaction), the words for its
    result once committed, and what to do if it is refused (the note editor gives its text back)."""

    do: Callable[[Store], Any]
    say: Callable[[Any], str]
    failed: Callable[[], None] | None = None


class SuperviseApp(App):
    """The office's board, review, departments and timeline over one database."""

    CSS_PATH = "supervise.tcss"
    TITLE = "supervise"
    BINDINGS = keys.bindings("app")
    COMMANDS = App.COMMANDS | {SuperviseCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-normal"), (160, "-wide")]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, db: str, plans: str, as_of: date | None, *, lang: str = "en", today: date | None = None,
                 busy_timeout: float | None = None):
        super().__init__()
        self.db_path = db
        self.plans_path = plans
        self.lang = lang
        self._today = today
        self.as_of = as_of  # None: follow today
        self.busy_timeout = busy_timeout
        self.store = self._open_store()  # the UI thread's connection: it only reads
        self._writes: deque[Write] = deque()  # asked for, not yet started
        self._writing: Write | None = None  # running in a worker, not yet answered
        self.writes_answered = 0  # how many writes have come back (done or refused) since the start
        self._slow: Timer | None = None
        self._writer: Store | None = None  # the write workers' connection (tui/app.py "writes")
        self._writer_lock = threading.Lock()
        self._writer_busy = False
        self._closing = False
        self._quit_asked = False  # q while writes were pending: quit once they are answered
        self.data: BoardData | None = None
        self._version = self.store.data_version()
        with collector.paused():
            self._load(self.store.snapshot())
        self.title = t(lang, "ui.app.title")
        keys.localize(self, lang)

    def action_command_palette(self) -> None:
        """Textual's palette, its own words in the interface's language (tui/palette.py)."""
        from textual.command import CommandPalette

        from .palette import LocalisedPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(LocalisedPalette(self.lang, id="--command-palette"))

    # --- the clock and the data -----------------------------------------------------------

    @property
    def today(self) -> date:
        """The only place that reads the clock (a pinned `today` wins)."""
        return self._today or date.today()

    @property
    def following_today(self) -> bool:
        return self.as_of is None or self.as_of == self.today

    @property
    def as_of_date(self) -> date:
        return self.as_of or self.today

    @property
    def entry_date(self) -> date:
        """The date a tick, value, note or override defaults to: the date being viewed (time travel
        included), but never after today: looking ahead, nothing has been done yet, so today."""
        return min(self.as_of_date, self.today)

    def _load(self, snapshot) -> BoardData:
        data = BoardData(snapshot, self.as_of_date)
        self.data = data
        if len(data.snapshot.tasks) <= SYNC_LIMIT:
            data.compute()
        elif self.is_running:
            self._compute(data)
        else:
            gc.freeze()
        return data

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self.poll)

    def board_painted(self) -> None:
        """Called by the board after its first paint: only now start the heavy work."""
        if self.data is not None and not self.data.ready:
            self._compute(self.data)

    @work(thread=True, exclusive=True, group="compute")
    def _compute(self, data: BoardData) -> None:
        """Every status for a large office, off the UI thread; screens redraw when it is done."""
        with collector.paused():
            data.compute()
        self.call_from_thread(self._computed, data)

    def _computed(self, data: BoardData) -> None:
        # the model is hundreds of thousands of long-lived objects without cycles: keep the
        # cyclic collector from walking them on every allocation burst (refcounting still frees them)
        gc.freeze()
        if data is self.data:
            self.broadcast()

    def get_default_screen(self) -> Screen:
        return BoardScreen(self.lang, id="board")

    @property
    def board(self) -> BoardScreen:
        return next(s for s in self.screen_stack if isinstance(s, BoardScreen))

    def broadcast(self) -> None:
        """Hand the current data to every screen that shows it."""
        for screen in self.screen_stack:
            show = getattr(screen, "show_data", None)
            if show is not None and not isinstance(screen, ModalScreen):
                show(self.data)

    def reload(self) -> bool:
        """Re-read the database (after a write, or a change made elsewhere) and redraw, keeping the selection.
        A database that cannot be read (damaged, locked) is one error notice; what is shown stays."""
        try:
            self._version = self.store.data_version()
            with collector.paused():
                self._load(self.store.snapshot())
        except SuperviseError as err:
            self._say_error(err)
            return False
        self.broadcast()
        return True

    def poll(self) -> None:
        """Cheap: one pragma and one max(id); a full reload only when someone else wrote."""
        if self._writing is not None:  # the write's answer refreshes (everything, if others wrote meanwhile)
            return
        try:
            version = self.store.data_version()
        except SuperviseError:
            return
        if version != self._version:
            self.reload()

    def action_reload(self) -> None:
        if self.reload():  # else the error is said, and the screen keeps what it shows
            self.notify(t(self.lang, "ui.reloaded"), timeout=2)

    def set_as_of(self, when: date | None) -> None:
        """Time travel: every colour, count and list is recomputed for the new date."""
        self.as_of = None if when is None or when == self.today else when
        assert self.data is not None
        self._load(self.data.snapshot)
        self.broadcast()

    # --- writes ---------------------------------------------------------------------------
    #
    # Every write runs in a worker thread on the app's own writing connection, so a database that
    # another program holds locked (a 10-second busy wait) never freezes the screen. Writes wait in
    # one queue and run one at a time, in the order the clerk gave them: a tick then ctrl+z undoes
    # that tick, and two writes never share the connection at once. (Textual's `exclusive` workers
    # would cancel the earlier write instead, and a thread cannot be stopped mid-transaction anyway.)
    # The result comes back to the UI thread as a `Written` message: the confirmation, or the
    # error in one line, and the screens refreshed from the store.

    def write(self, do: Callable[[Store], Any], say: Callable[[Any], str],
              failed: Callable[[], None] | None = None) -> None:
        """Queue one store call (one transaction); `say` words its result, `failed` runs if it is refused."""
        self._writes.append(Write(do, say, failed))
        self._next_write()

    @property
    def writes_pending(self) -> int:
        """Writes asked for and not yet answered (queued or running)."""
        return len(self._writes) + (self._writing is not None)

    def _next_write(self) -> None:
        if self._writing is not None or not self._writes:
            return
        job = self._writing = self._writes.popleft()
        self._slow = self.set_timer(WAIT_NOTICE, self._still_waiting)
        self._run_write(job)

    def _still_waiting(self) -> None:
        if self._writing is not None:
            self.notify(t(self.lang, "ui.write.waiting"), markup=False)

    @work(thread=True, group="write", exit_on_error=False)
    def _run_write(self, job: Write) -> None:
        with self._writer_lock:
            if self._closing:  # the app is quitting: the connection is closed or about to be
                return
            self._writer_busy = True
        try:
            outcome: Any = job.do(self._writer_store())
        except Exception as err:  # said (or, for a bug, raised) on the UI thread
            outcome = err
        finally:
            with self._writer_lock:
                self._writer_busy = False
                if self._closing:
                    self._close_writer()
        self.post_message(Written(job, outcome))

    def _writer_store(self) -> Store:
        """The connection writes go through, opened by the first write's worker (opening vets the file);
        reads stay on the UI's own connection, which in WAL mode never waits for a writer."""
        if self.db_path == ":memory:":  # a second connection would be another, empty database
            return self.store
        if self._writer is None:
            self._writer = self._open_store()
        return self._writer

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _open_store(self) -> Store:
        if self.busy_timeout is None:
            return Store.open(self.db_path)
        return Store.open(self.db_path, timeout=self.busy_timeout)

    @on(Written)
    def _written(self, m: Written) -> None:
        if self._slow is not None:
            self._slow.stop()
            self._slow = None
        try:
            self._answer(m.job, m.outcome)
        finally:
            self._writing = None
            self.writes_answered += 1
            self._next_write()
            if self._quit_asked and not self.writes_pending:
                self.exit()

    def _answer(self, job: Write, outcome: Any) -> None:
        """On the UI thread: refresh from the store and confirm, or say why nothing was written."""
        if isinstance(outcome, SuperviseError):
            if outcome.exit_code == 0:  # nothing to do (already done that day)
                self.notify(outcome.render(self.lang), markup=False)
                return
            self._say_error(outcome)
            if job.failed is not None:
                job.failed()
            return
        if isinstance(outcome, sqlite3.Error):  # pragma: no cover - the store translates what it can
            self.notify(str(outcome), title=t(self.lang, "ui.error"), severity="error", markup=False)
            if job.failed is not None:
                job.failed()
            return
        if isinstance(outcome, BaseException):  # a bug: fail as loudly as on the UI thread
            raise outcome
        try:
            self._refresh_after(outcome)
        except SuperviseError as err:  # committed, but reading it back failed (a damaged file): say both
            self._say_error(err)
        self.notify(job.say(outcome), markup=False)

    def _say_error(self, err: SuperviseError) -> None:
        self.notify(err.render(self.lang), title=t(self.lang, "ui.error"), severity="error", markup=False)

    def _refresh_after(self, result: Any) -> None:
        """After our own write: re-read just the task it touched when nobody else wrote meanwhile
        (a big office stays responsive), else everything."""
        version = self.store.data_version()
        event = result if isinstance(result, Event) else None
        if event is not None and event.task and event.kind != "review" and self.data is not None:
            ours = event.undone_by or event.id  # an undo returns the event it undid
            if _newest_event(self._version) + 1 == ours == _newest_event(version):
                self._load(self.store.updated(self.data.snapshot, event.task))
                self._version = version  # only once read: a failed read leaves the poll to try again
                self.broadcast()
                return
        self.reload()

    @on(MilestoneTicked)
    def _tick(self, m: MilestoneTicked) -> None:
        self.write(lambda st: st.tick(m.task, m.milestone, m.on), self._confirmation)

    @on(NoteAdded)
    def _note(self, m: NoteAdded) -> None:
        def give_back() -> None:  # the text is not lost: the editor opens again with it, over whatever is shown
            s = self.data.get(m.task) if self.data else None
            if s is not None:
                self.board.open_note_editor(s, m.text)

        self.write(lambda st: st.add_note(m.task, m.text, m.on), self._confirmation, give_back)

    @on(ValueRecorded)
    def _record(self, m: ValueRecorded) -> None:
        self.write(lambda st: st.record(m.task, m.indicator, m.value, m.on), self._confirmation)

    @on(OverrideSet)
    def _override(self, m: OverrideSet) -> None:
        self.write(lambda st: st.set_override(m.task, m.rag, m.reason, m.on, m.until), self._confirmation)

    @on(OverrideCleared)
    def _override_clear(self, m: OverrideCleared) -> None:
        self.write(lambda st: st.clear_override(m.task, m.on), self._confirmation)

    def action_undo(self) -> None:
        self.write(lambda st: st.undo(), self._confirmation)

    def _confirmation(self, event: Event) -> str:
        return confirmation(event, self.lang)

    def action_hold_review(self) -> None:
        """Record that a review meeting took place (default: the date being viewed); ctrl+z takes it back."""
        from .modals import Meeting, ReviewHoldDialog

        def done(meeting: Meeting | None) -> None:
            if meeting is not None:
                self.write(lambda st: st.hold_review(meeting.on, meeting.title), self._confirmation)

        if not isinstance(self.screen, ModalScreen):
            self.push_screen(ReviewHoldDialog(self.lang, self.today, self.entry_date), done)

    def task_events(self, key: str) -> list[Event]:
        """A task's history, newest first (read for the history screen)."""
        try:
            return self.store.events(task=key)
        except SuperviseError as err:
            self.notify(err.render(self.lang), title=t(self.lang, "ui.error"), severity="error", markup=False)
            return []

    # --- navigation -----------------------------------------------------------------------

    def show(self, name: str) -> Screen:
        """Board, review, departments or timeline: one of them on top of the board, never a pile."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, BoardScreen):
            self.pop_screen()
        if name == "board":
            return self.screen
        from .departments import DepartmentsScreen
        from .review import ReviewScreen
        from .timeline import TimelineScreen

        screen = {"review": ReviewScreen, "departments": DepartmentsScreen, "timeline": TimelineScreen}[name](self.lang)
        self.push_screen(screen)
        return screen

    def action_show(self, name: str) -> None:
        self.show(name)

    @on(ShowTask)
    def _show_task(self, m: ShowTask) -> None:
        self.show("board")
        board = self.board
        if not board.table.select_key(m.task):
            board.set_filters(board.filters.cleared(), keep=m.task)
        board.table.focus()

    @on(ShowUnit)
    def _show_unit(self, m: ShowUnit) -> None:
        self.show("board")
        board = self.board
        # a unit that leads nothing (most 责任单位) is shown with the tasks it shares in
        leads = any(m.unit in task.lead for task in self.data.live_tasks) if self.data else True
        board.set_filters(Filters(unit=m.unit, involving=not leads, sort=board.filters.sort))
        board.table.focus()

    def run_key_action(self, key: keys.Key) -> None:
        """From the command palette: board and review actions go to their screen (shown first)."""
        if key.owner in ("board", "review"):
            screen = self.show(key.owner)
            self.call_later(screen.run_action, key.action)
        else:
            self.call_later(self.run_action, key.action)

    def action_help(self) -> None:
        from .help import HelpScreen

        if not isinstance(self.screen, ModalScreen):
            self.push_screen(HelpScreen(self.lang))

    def action_as_of(self) -> None:
        from .modals import DatePrompt

        prompt = DatePrompt(self.lang, t(self.lang, "ui.as_of.title", today=self.today.isoformat()),
                            self.as_of_date, self.today, years=(1900, 2999))

        def done(when: date | None) -> None:
            if when is not None:
                self.set_as_of(when)
                self.notify(t(self.lang, "ui.as_of.done", on=self.as_of_date.isoformat()), markup=False)

        self.push_screen(prompt, done)

    # --- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        """The briefing for the as-of date, as Markdown or Word, written where `supervise brief` writes it."""
        assert self.data is not None
        try:
            briefing = importlib.import_module("supervise.briefing")
        except ImportError as err:
            self.notify(t(self.lang, "ui.export.unavailable", detail=str(err)), title=t(self.lang, "ui.error"),
                        severity="error", markup=False)
            return
        from .modals import ExportChoice

        self.push_screen(ExportChoice(self.lang, t(self.lang, "ui.export.title")),
                         lambda fmt: fmt and self._export(briefing, fmt))

    def _export(self, briefing, fmt: str) -> None:
        as_of = self.data.as_of
        path = Path("briefings") / f"{as_of.isoformat()}-review.{fmt}"
        try:
            if fmt == "docx":
                from ..render import docx

                content = docx.writer(briefing.build_briefing(self.data.snapshot, as_of, self.lang))
            else:
                content = briefing.render_briefing(self.data.snapshot, as_of, self.lang)
            write_whole(path, content, refuse=protected(self.db_path, self.plans_path))
        except SuperviseError as err:
            self.notify(err.render(self.lang), title=t(self.lang, "ui.error"), severity="error", markup=False)
            return
        except OSError as err:
            self.notify(file_error(path, err).render(self.lang), title=t(self.lang, "ui.error"), severity="error",
                        markup=False)
            return
        self.notify(t(self.lang, "done.brief", path=str(path)), markup=False)

    def action_export_ledger(self) -> None:
        """The 督查台账 for the as-of date, written (whole or not at all) in a worker: a big office takes seconds."""
        assert self.data is not None
        path = ledger_path(self.data.as_of)
        self.notify(t(self.lang, "ui.ledger.writing", path=str(path)), timeout=3, markup=False)
        self._write_ledger(self.data.snapshot, self.data.as_of, path)

    @work(thread=True, exclusive=True, group="ledger")
    def _write_ledger(self, snapshot, as_of: date, path: Path) -> None:
        from ..ledger import write_ledger

        try:
            with collector.paused():
                write_ledger(snapshot, as_of, self.lang, path, refuse=protected(self.db_path, self.plans_path))
        except SuperviseError as err:
            self.call_from_thread(self.notify, err.render(self.lang), title=t(self.lang, "ui.error"),
                                  severity="error", markup=False)
            return
        except OSError as err:
            self.call_from_thread(self.notify, file_error(path, err).render(self.lang), title=t(self.lang, "ui.error"),
                                  severity="error", markup=False)
            return
        self.call_from_thread(self.notify, t(self.lang, "done.ledger", path=str(path)), markup=False)

    def action_collect(self) -> None:
        """A filled-in report form into the record (tui/collect.py)."""
        from .collect import start

        start(self)

    async def action_quit(self) -> None:
        """q: quit, once the writes asked for have been answered (their notices seen, nothing lost
        unseen); a second q quits at once (a write already running still finishes, the rest are dropped)."""
        if self.writes_pending and not self._quit_asked:
            self._quit_asked = True
            self.notify(t(self.lang, "ui.write.quit_waiting", n=self.writes_pending), markup=False)
            return
        self.exit()

    def on_unmount(self) -> None:
        with self._writer_lock:  # a write in progress finishes, then its worker closes the connection
            self._closing = True
            if not self._writer_busy:
                self._close_writer()
        self.store.close()


def _newest_event(version: int) -> int:
    """The newest event's id within `Store.data_version()` (the data version times a million plus it)."""
    return version % 1_000_000


def ledger_path(as_of: date) -> Path:
    """Where the UI writes the ledger: beside the briefings, named by its date."""
    return Path("briefings") / f"{as_of.isoformat()}-ledger.xlsx"


def make_app(db: str, plans: str, as_of: date | None, *, lang: str = "en", today: date | None = None,
             busy_timeout: float | None = None) -> App:
    """The one way to build the UI: the CLI and the tests both call this. `busy_timeout`: how many
    seconds a write waits for a database another program is writing (None: the store's default)."""
    return SuperviseApp(db, plans, as_of, lang=lang, today=today, busy_timeout=busy_timeout)
