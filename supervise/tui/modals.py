"""Typed dialogs: each returns its answer through `dismiss`, or None when cancelled.

They validate what the clerk typed (dates in every form the plan files accept,
numbers with thousands separators) but never write: the board turns answers
into messages and the app writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from .. import dates
from ..dates import DateError, parse_date
from ..i18n import rag_word, t
from ..models import Rag
from ..numbers import NumberError, parse_number
from ..status import TaskStatus
from . import fmt
from .model import DUE_WINDOWS, BoardData, Filters


class Dropdown(Select):
    """A Select that, while open, marks its screen `-dropdown-open` (the stylesheet hides what lies under it)."""

    def watch_expanded(self, expanded: bool) -> None:
        self.screen.set_class(expanded, "-dropdown-open")


def read_date(text: str, today: date) -> date:
    """Every date form of the plan files, plus today / 今天."""
    return parse_date(text.strip(), year=today.year, today=today)


def read_number(text: str) -> float:
    """The one rule (supervise.numbers); a NumberError is a ValueError."""
    return parse_number(text)


Answer = TypeVar("Answer")


class Dialog(ModalScreen[Answer | None], Generic[Answer]):
    """Shared frame: a bordered box, escape cancels (None), ctrl+s or enter in a field submits."""

    BINDINGS = [Binding("escape", "cancel", show=False), Binding("ctrl+s", "submit", show=False)]

    def __init__(self, lang: str, title: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.title_text = title

    def frame_title(self) -> Static:
        return Static(Text(fmt.clean(self.title_text, one_line=True), style="bold"), classes="dialog-title")

    def error_line(self) -> Static:
        return Static(id="error", classes="dialog-error")

    def buttons(self, *extra: Button, before: tuple = ()) -> Horizontal:
        """OK, the extra buttons, Cancel; `before`: widgets at the start of the row (a checkbox that
        would otherwise make a dialog taller than 24 lines)."""
        return Horizontal(*before, Button(t(self.lang, "ui.ok"), variant="primary", id="ok"), *extra,
                          Button(t(self.lang, "ui.cancel"), id="cancel"), classes="dialog-buttons")

    def fail(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(fmt.clean(message, one_line=True), style="bold red"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        self.submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.submit()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError


def after_today(lang: str, when: date, today: date) -> str | None:
    """What is wrong with a date that should have happened by now (a tick, a measured value, a meeting
    held), if anything: dates.not_yet, in the dialog's language."""
    problem = dates.not_yet(when, today)
    return None if problem is None else problem.words(lang)


class DatePrompt(Dialog[date]):
    """A date: for `t` (done on) and `d` (the as-of date)."""

    def __init__(self, lang: str, title: str, initial: date, today: date, *, years: tuple[int, int] | None = None,
                 latest: date | None = None):
        super().__init__(lang, title)
        self.initial = initial
        self.today = today
        self.years = years  # the as-of date is kept to years the review cycle can reach
        self.latest = latest  # a tick cannot be dated after today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Input(self.initial.isoformat(), id="date")
            yield Static(t(self.lang, "ui.date.hint"), classes="dialog-hint")
            yield self.error_line()
            yield self.buttons()

    def submit(self) -> None:
        try:
            when = read_date(self.query_one("#date", Input).value, self.today)
        except DateError as err:
            self.fail(err.words(self.lang))
            return
        if self.years and not self.years[0] <= when.year <= self.years[1]:
            self.fail(t(self.lang, "ui.date.range", first=self.years[0], last=self.years[1]))
            return
        if self.latest is not None and (problem := after_today(self.lang, when, self.latest)):
            self.fail(problem)
            return
        self.dismiss(when)


class ExportChoice(Dialog[str]):
    """`e`: the briefing as Markdown ("md", key m) or as Word in the official layout ("docx", key w)."""

    BINDINGS = [Binding("m", "choose('md')", show=False), Binding("w", "choose('docx')", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Horizontal(Button(t(self.lang, "ui.export.md"), variant="primary", id="md"),
                             Button(t(self.lang, "ui.export.docx"), id="docx"),
                             Button(t(self.lang, "ui.cancel"), id="cancel"), classes="dialog-buttons")

    def action_choose(self, fmt: str) -> None:
        self.dismiss(fmt)

    @on(Button.Pressed, "#md")
    def _md(self) -> None:
        self.dismiss("md")

    @on(Button.Pressed, "#docx")
    def _docx(self) -> None:
        self.dismiss("docx")

    def submit(self) -> None:
        self.dismiss("md")


class NoteEditor(Dialog[str]):
    """A multi-line note: ctrl+s saves, escape cancels. Dated the date being viewed, which the hint names."""

    def __init__(self, lang: str, status: TaskStatus, on: date, text: str = ""):
        super().__init__(lang, t(lang, "ui.note.title", task=status.key, title=status.task.title))
        self.on = on
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield self.frame_title()
            yield Static(t(self.lang, "ui.note.hint", on=self.on.isoformat()), classes="dialog-hint")
            yield TextArea(self.text, id="note", soft_wrap=True, show_line_numbers=False)
            yield self.error_line()
            yield self.buttons()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def submit(self) -> None:
        text = self.query_one(TextArea).text.strip("\n")
        if not text.strip():
            self.fail(t(self.lang, "err.empty_note"))
            return
        self.dismiss(text)


class RecordDialog(Dialog[tuple[str, float, date]]):
    """An indicator value: which indicator, the value, the date it was measured (not after today)."""

    def __init__(self, lang: str, status: TaskStatus, today: date, on: date | None = None):
        super().__init__(lang, t(lang, "ui.record.title", task=status.key))
        self.status = status
        self.today = today
        self.on = on or today  # the date being viewed

    def compose(self) -> ComposeResult:
        options = []
        for i in self.status.indicators:
            ind = i.indicator
            label = Text(fmt.clean(ind.name, one_line=True), end="")
            label.append(f"  {fmt.num(i.value)}/{fmt.num(ind.target)}{fmt.clean(ind.unit, one_line=True)}", style="dim")
            options.append((label, ind.id))
        first = options[0][1] if options else Select.NULL
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Label(t(self.lang, "ui.record.indicator"))
            yield Dropdown(options, value=first, allow_blank=False, id="indicator")
            yield Label(t(self.lang, "ui.record.value"))
            yield Input(id="value", placeholder="0")
            yield Label(t(self.lang, "ui.record.on"))
            yield Input(self.on.isoformat(), id="on")
            yield self.error_line()
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    def submit(self) -> None:
        indicator = self.query_one("#indicator", Select).value
        raw = self.query_one("#value", Input).value
        if not raw.strip():  # said as what to do, not "not a number: ''"
            self.fail(t(self.lang, "ui.value.need_value"))
            return
        try:
            value = read_number(raw)
        except NumberError as err:  # why, as `record` says it: not a number, another unit, out of range
            self.fail(err.words(self.lang))
            return
        try:
            on = read_date(self.query_one("#on", Input).value, self.today)
        except DateError as err:
            self.fail(err.words(self.lang))
            return
        if problem := after_today(self.lang, on, self.today):
            self.fail(problem)
            return
        self.dismiss((str(indicator), value, on))


@dataclass(frozen=True)
class OverrideChoice:
    clear: bool
    on: date
    rag: Rag | None = None
    reason: str = ""
    until: date | None = None


class OverrideDialog(Dialog[OverrideChoice]):
    """Set the clerk's colour (with a reason and an optional end date), or clear the one in force."""

    def __init__(self, lang: str, status: TaskStatus, today: date, on: date | None = None):
        super().__init__(lang, t(lang, "ui.override.title", task=status.key))
        self.status = status
        self.today = today
        self.on = on or today  # the date being viewed

    def compose(self) -> ComposeResult:
        lang = self.lang
        colours = [(fmt.chip(lang, r), r) for r in ("red", "amber", "green")]
        current = self.status.override.rag.value if self.status.override else self.status.computed.value
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Label(t(lang, "ui.override.colour"))
            yield Dropdown(colours, value=current if current in ("red", "amber", "green") else "amber",
                         allow_blank=False, id="colour")
            yield Label(t(lang, "col.reason"))
            yield Input(self.status.override.reason if self.status.override else "", id="reason")
            with Horizontal(classes="dialog-columns"):  # side by side: the dialog fits 24 rows
                with Vertical(classes="dialog-column"):
                    yield Label(t(lang, "ui.override.on"))
                    yield Input(self.on.isoformat(), id="on")
                with Vertical(classes="dialog-column"):
                    yield Label(t(lang, "ui.override.until"))
                    yield Input("", id="until", placeholder=t(lang, "ui.override.until_hint"))
            yield self.error_line()
            extra = [Button(t(lang, "ui.override.clear"), variant="warning", id="clear")] if self.status.override else []
            yield self.buttons(*extra)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def _on(self) -> date | None:
        try:
            return read_date(self.query_one("#on", Input).value, self.today)
        except DateError as err:
            self.fail(err.words(self.lang))
            return None

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        on_ = self._on()
        if on_ is not None:
            self.dismiss(OverrideChoice(clear=True, on=on_))

    def submit(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.fail(t(self.lang, "ui.override.need_reason"))
            return
        on_ = self._on()
        if on_ is None:
            return
        until_text = self.query_one("#until", Input).value.strip()
        until = None
        if until_text:
            try:
                until = read_date(until_text, self.today)
            except DateError as err:
                self.fail(err.words(self.lang))
                return
        if until is not None and until < on_:  # said here, with the dialog still open, not after it closed
            self.fail(t(self.lang, "ui.override.until_before", until=until.isoformat(), on=on_.isoformat()))
            return
        rag = Rag(str(self.query_one("#colour", Select).value))
        now = self.status.override
        if now is not None and (now.rag, now.reason, now.until) == (rag, reason, until) and on_ >= now.start:
            # the override in force already says this (an Enter in the pre-filled reason): write nothing
            self.app.notify(t(self.lang, "ui.override.unchanged"), timeout=3)
            self.dismiss(None)
            return
        self.dismiss(OverrideChoice(clear=False, on=on_, rag=rag, reason=reason, until=until))


class FilterDialog(Dialog[Filters]):
    """Colours, plan, lead unit, due window, stale only."""

    def __init__(self, lang: str, data: BoardData, filters: Filters):
        super().__init__(lang, t(lang, "ui.filter.title"))
        self.data = data
        self.filters = filters

    def compose(self) -> ComposeResult:
        lang, f = self.lang, self.filters
        rags = [(Text(f"{rag_word(lang, r)}"), r, r in f.rags) for r in ("red", "amber", "green", "done", "withdrawn")]
        plans = [(Text(fmt.clean(f"{p.id}  {p.title}", one_line=True)), p.id)
                 for p in self.data.snapshot.plans if not p.withdrawn]
        units = sorted({u for task in self.data.live_tasks for u in task.lead})
        windows = [(t(lang, f"ui.filter.due_{d}"), d) for d in DUE_WINDOWS]
        with Vertical(classes="dialog dialog-wide"):
            yield self.frame_title()
            yield Static(t(lang, "ui.filter.hint"), classes="dialog-hint")
            with Horizontal(classes="dialog-columns"):
                with Vertical(classes="dialog-column"):
                    yield Label(t(lang, "ui.filter.colours"))
                    yield SelectionList(*rags, id="rags")
                    yield Checkbox(t(lang, "ui.filter.stale_only"), f.stale, id="stale")
                with Vertical(classes="dialog-column"):
                    yield Label(t(lang, "col.plan"))
                    yield Dropdown(plans, value=f.plan if f.plan else Select.NULL, prompt=t(lang, "ui.filter.any"),
                                 id="plan")
                    yield Label(t(lang, "col.lead"))
                    yield Dropdown([(Text(fmt.clean(u, one_line=True)), u) for u in units],
                                 value=f.unit if f.unit in units else Select.NULL, prompt=t(lang, "ui.filter.any"),
                                 id="unit")
                    yield Label(t(lang, "ui.filter.due"))
                    yield Dropdown(windows, value=f.due_within if f.due_within is not None else Select.NULL,
                                 prompt=t(lang, "ui.filter.any"), id="due")
            yield self.error_line()
            yield self.buttons(Button(t(lang, "ui.filter.reset"), id="reset"),
                               before=(Checkbox("✉ " + t(lang, "ui.notice.awaiting"), f.awaiting, id="awaiting"),))

    def on_mount(self) -> None:
        self.query_one("#rags", SelectionList).focus()

    @on(Button.Pressed, "#reset")
    def _reset(self) -> None:
        self.dismiss(self.filters.cleared())

    def submit(self) -> None:
        def value(widget_id: str):
            v = self.query_one(widget_id, Select).value
            return None if v is Select.NULL else v

        plan = value("#plan")
        self.dismiss(replace(
            self.filters,
            rags=frozenset(self.query_one("#rags", SelectionList).selected),
            plan=plan, section=self.filters.section if plan == self.filters.plan else None,
            unit=value("#unit"), due_within=value("#due"),
            stale=self.query_one("#stale", Checkbox).value,
            awaiting=self.query_one("#awaiting", Checkbox).value))


class Confirm(Dialog[bool]):
    """A yes-or-no question; OK answers yes, escape or Cancel no (None)."""

    def __init__(self, lang: str, title: str, question: str):
        super().__init__(lang, title)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Static(Text(fmt.clean(self.question)), classes="dialog-question")
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def submit(self) -> None:
        self.dismiss(True)


@dataclass(frozen=True)
class Meeting:
    on: date
    title: str


class ReviewHoldDialog(Dialog[Meeting]):
    """A review meeting (双月推进会) held: its date (default the date being viewed) and an optional title."""

    def __init__(self, lang: str, today: date, on: date):
        super().__init__(lang, t(lang, "ui.hold.title"))
        self.today = today
        self.on = on

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Label(t(lang, "ui.hold.on"))
            yield Input(self.on.isoformat(), id="on")
            yield Label(t(lang, "ui.hold.name"))
            yield Input("", id="name", placeholder=t(lang, "ui.hold.name_hint"))
            yield self.error_line()
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def submit(self) -> None:
        try:
            on = read_date(self.query_one("#on", Input).value, self.today)
        except DateError as err:
            self.fail(err.words(self.lang))
            return
        if problem := after_today(self.lang, on, self.today):  # a meeting still to come is not held
            self.fail(problem)
            return
        self.dismiss(Meeting(on, self.query_one("#name", Input).value.strip()))
