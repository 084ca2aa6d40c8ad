"""Pilot tests of the clerk's week (#16) in the UI: entries dated the date being viewed, the question
before a whole task is marked done with indicators not met, a task's history, review meetings, the
ledger, and the review grouped by section and by lead unit. Each key's effect is checked in the store."""

from __future__ import annotations

import asyncio
import functools
from datetime import date

from textual.widgets import Input, TextArea

from supervise.models import Rag
from supervise.tui.app import SuperviseApp, make_app
from supervise.tui.board import BoardScreen
from supervise.tui.history import HistoryScreen
from supervise.tui.modals import Confirm, DatePrompt, NoteEditor, OverrideDialog, RecordDialog, ReviewHoldDialog
from supervise.tui.review import GroupList, RagList, ReviewScreen

from test_tui_support import SIZE, TODAY, answered, db, reopen, seeded_db  # noqa: F401 - fixtures

REAL_TODAY = date(2026, 12, 2)  # the clock, years after the date the clerk is looking at
VIEWED = TODAY  # 2021-10-31, reached by time travel


def sync(test):
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def make(db: str, as_of: date | None = VIEWED, today: date = REAL_TODAY, lang: str = "zh") -> SuperviseApp:
    app = make_app(db, "plans.toml", as_of, lang=lang, today=today)
    app.said = []
    notify = app.notify

    def record(message, **kwargs):
        app.said.append(message)
        notify(message, **kwargs)

    app.notify = record
    return app


async def until(pilot, check, what: str, tries: int = 300) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.01)
    raise AssertionError(what)


async def on_board(pilot, key: str) -> None:
    app = pilot.app
    await pilot.pause()
    assert app.board.table.select_key(key), key
    await until(pilot, lambda: app.board.detail.status is not None and app.board.detail.status.key == key,
                f"the detail never showed {key}")


def milestone(db: str, task: str, mid: str):
    with reopen(db) as store:
        return next(m for m in store.task(task).milestones if m.id == mid)


# --- 1. entries while time-travelling are dated the date being viewed ---------------------


@sync
async def test_space_while_time_travelling_is_dated_the_viewed_day_and_says_so(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.following_today and app.entry_date == VIEWED
        await on_board(pilot, "sy-2021-key/10")
        async with answered(pilot):
            await pilot.press("space")
        assert milestone(db, "sy-2021-key/10", "a").done_on == VIEWED
        assert any("2021-10-31" in m for m in app.said)


@sync
async def test_t_while_time_travelling_offers_the_viewed_day(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/11")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        assert app.screen.query_one(Input).value == "2021-10-31"
        async with answered(pilot):
            await pilot.press("enter")
        assert milestone(db, "sy-2021-key/11", "b").done_on == VIEWED


@sync
async def test_n_while_time_travelling_dates_the_note_the_viewed_day(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021/2.3")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert "2021-10-31" in str(app.screen.query_one(".dialog-hint").render())
        app.screen.query_one(TextArea).insert("回看时补记")
        async with answered(pilot):
            await pilot.press("ctrl+s")
        with reopen(db) as store:
            notes = store.task("sy-2021/2.3").notes
        assert [(n.on, n.text) for n in notes if n.text == "回看时补记"] == [(VIEWED, "回看时补记")]
        assert any("2021-10-31" in m and "sy-2021/2.3" in m for m in app.said)


@sync
async def test_v_while_time_travelling_measures_on_the_viewed_day(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021/1.2")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, RecordDialog)
        assert app.screen.query_one("#on", Input).value == "2021-10-31"
        app.screen.query_one("#value", Input).value = "42"
        async with answered(pilot):
            await pilot.press("enter")
        with reopen(db) as store:
            values = store.task("sy-2021/1.2").indicators[0].values
        assert values[-1].on == VIEWED and values[-1].value == 42


@sync
async def test_o_while_time_travelling_starts_the_override_on_the_viewed_day(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021/2.3")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        assert app.screen.query_one("#on", Input).value == "2021-10-31"
        app.screen.query_one("#reason", Input).value = "回看补记"
        async with answered(pilot):
            await pilot.press("enter")
        with reopen(db) as store:
            overrides = store.task("sy-2021/2.3").overrides
        assert overrides[-1].start == VIEWED and overrides[-1].reason == "回看补记"


@sync
async def test_looking_ahead_space_is_dated_today_and_t_refuses_a_later_day(db):
    app = make(db, as_of=date(2022, 6, 30), today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        assert app.entry_date == TODAY  # nothing has been done in the future yet
        await on_board(pilot, "sy-2021-key/10")
        async with answered(pilot):
            await pilot.press("space")
        assert milestone(db, "sy-2021-key/10", "a").done_on == TODAY
        await pilot.press("t")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "2021-10-31"
        app.screen.query_one(Input).value = "2022-01-15"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)  # refused, said in the dialog
        assert "2022-01-15" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert (app.writes_pending, app.writes_answered) == (0, 1)  # only the space
        assert milestone(db, "sy-2021-key/10", "b").done_on is None


# --- 2. a whole task done while its indicators are not met: ask first -----------------------


@sync
async def test_space_on_a_task_with_unmet_indicators_asks_and_escape_writes_nothing(db):
    app = make(db, as_of=None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021/1.1")  # no milestones, three indicators, none met
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        question = str(app.screen.query_one(".dialog-question").render())
        assert "3 项指标未达到目标" in question and "2021-10-31" in question
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert (app.writes_pending, app.writes_answered) == (0, 0)
        with reopen(db) as store:
            assert store.task("sy-2021/1.1").done_on is None


@sync
async def test_space_on_a_task_with_unmet_indicators_then_ok_marks_it_done(db):
    app = make(db, as_of=None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021/1.1")
        await pilot.press("space")
        await pilot.pause()
        async with answered(pilot):
            await pilot.press("enter")  # OK has the focus
        with reopen(db) as store:
            assert store.task("sy-2021/1.1").done_on == TODAY


@sync
async def test_t_on_a_task_with_unmet_indicators_asks_too(db):
    app = make(db, as_of=None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021/1.2")
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one(Input).value = "2021-10-20"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        async with answered(pilot):
            await pilot.press("enter")
        with reopen(db) as store:
            assert store.task("sy-2021/1.2").done_on == date(2021, 10, 20)


@sync
async def test_space_on_a_milestone_or_a_task_without_indicators_does_not_ask(db):
    app = make(db, as_of=None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/10")  # milestones (and an indicator): ticks the next milestone
        async with answered(pilot):
            await pilot.press("space")
        assert isinstance(app.screen, BoardScreen)
        assert milestone(db, "sy-2021-key/10", "a").done_on == TODAY


# --- 13. a task's history, review meetings, the ledger ---------------------------------------


def test_store_events_of_one_task(db):
    with reopen(db) as store:
        mine = store.events(task="sy-2021/1.1")
        everything = store.events()
    assert [e.kind for e in mine] == ["note", "record"]  # newest first
    assert {e.task for e in mine} == {"sy-2021/1.1"}
    assert [e for e in everything if e.task == "sy-2021/1.1"] == mine


@sync
async def test_h_shows_the_task_history_newest_first(db):
    app = make(db, as_of=None, today=TODAY, lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await on_board(pilot, "sy-2021/1.1")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert [e.kind for e in app.screen.events] == ["note", "record"]
        text = "".join(str(w.render()) for w in app.screen.query("Static"))
        assert "History of sy-2021/1.1 (2)" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


@sync
async def test_m_records_a_review_meeting_on_the_viewed_day_and_ctrl_z_takes_it_back(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ReviewHoldDialog)
        assert app.screen.query_one("#on", Input).value == "2021-10-31"
        app.screen.query_one("#name", Input).value = "第三次双月推进会"
        async with answered(pilot):
            await pilot.press("enter")
        with reopen(db) as store:
            held = [e for e in store.events() if e.kind == "review"]
        assert [(e.on, e.data["title"], e.undone) for e in held] == [(VIEWED, "第三次双月推进会", False)]
        assert any("2021-10-31" in m for m in app.said)
        async with answered(pilot):
            await pilot.press("ctrl+z")
        with reopen(db) as store:
            assert [e.undone for e in store.events() if e.kind == "review"] == [True]


@sync
async def test_capital_e_writes_the_ledger_for_the_viewed_day(db, tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.chdir(tmp_path)
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        target = tmp_path / "briefings" / "2021-10-31-ledger.xlsx"
        await until(pilot, lambda: any("briefings/2021-10-31-ledger.xlsx" in m and "台账已写入" in m
                                       for m in app.said), "no notice of the ledger", tries=1000)
        wb = openpyxl.load_workbook(target, read_only=True)
        assert len(wb.sheetnames) >= 2
        wb.close()


# --- 4, 6. the review: reasons wrapped, grouped by section and by lead unit --------------------


def option_text(widget) -> str:
    return "".join(str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count))


def screen_lines(widget) -> str:
    """What the widget paints, its lines joined without spaces: a wrapped text reads whole, a cut one not."""
    return "".join(widget.render_line(y).text for y in range(widget.size.height)).replace(" ", "")


@sync
async def test_review_reasons_are_wrapped_not_cut_at_120_columns(db):
    app = make(db, as_of=None, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        amber = app.screen.query_one("#list-amber", RagList)
        first = app.data.get("sy-2021/1.1")
        reasons = "；".join(first.reason_words("zh")).replace(" ", "")
        assert len(reasons) > 40  # longer than a column: it has to wrap
        assert reasons in screen_lines(amber)


@sync
async def test_review_s_groups_by_section_then_by_lead_unit_then_colour(db):
    app = make(db, as_of=None, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.grouping == "rag"
        await pilot.press("s")
        await pilot.pause()
        groups = screen.query_one(GroupList)
        assert screen.grouping == "section" and groups.display and not screen.query_one("#list-red").display
        heads = [str(groups.get_option_at_index(i).prompt) for i in range(groups.option_count)
                 if groups.get_option_at_index(i).disabled]
        assert heads[0].startswith("sy-2021 · （一）提升居家养老服务品质")
        ids = [groups.get_option_at_index(i).id for i in range(groups.option_count)]
        assert ids[1:6] == ["0:sy-2021/1.5", "0:sy-2021/1.1", "0:sy-2021/1.2", "0:sy-2021/1.4", "0:sy-2021/1.6"]
        await pilot.press("s")
        await pilot.pause()
        assert screen.grouping == "unit"
        heads = [str(groups.get_option_at_index(i).prompt) for i in range(groups.option_count)
                 if groups.get_option_at_index(i).disabled]
        assert heads[0].startswith("市民政局")
        assert any(h.startswith("市卫生健康委") for h in heads)
        # enter on a task goes to it on the board
        groups.focus()
        groups.highlighted = 1
        chosen = groups.get_option_at_index(1).id.split(":", 1)[1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen) and app.board.selected.key == chosen
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.grouping == "rag"


@sync
async def test_a_dropdown_open_hides_the_buttons_under_it_and_closing_shows_them(db):
    from textual.widgets import Select

    app = make(db, as_of=None, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        buttons = dialog.query_one(".dialog-buttons")
        dialog.query_one("#unit", Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.has_class("-dropdown-open") and not buttons.visible
        await pilot.press("escape")
        await pilot.pause()
        assert not dialog.has_class("-dropdown-open") and buttons.visible


@sync
async def test_the_palette_route_to_the_review_grouping(db):
    from supervise.tui.keys import KEYS

    app = make(db, as_of=None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.run_key_action(next(k for k in KEYS if k.id == "review_group"))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.grouping == "section"
