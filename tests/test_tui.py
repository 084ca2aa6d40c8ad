"""Pilot tests of the terminal UI: every key of the contract, checked on the screen and in the store.

Each test drives a real App over a copy of the seeded database, then opens a
second Store on the same file to see what was really committed.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import types
from datetime import date

import pytest
from textual.widgets import Input, OptionList, Select, TextArea

from supervise.db.store import Store
from supervise.i18n import t
from supervise.planfile.loader import load_plan_file
from supervise.models import Rag
from supervise.views import statuses
from supervise.tui.app import SuperviseApp, make_app
from supervise.tui.board import BoardScreen
from supervise.ranking import percent
from supervise.tui.departments import DepartmentsScreen
from supervise.tui.detail import MilestoneList
from supervise.tui.help import HelpScreen
from supervise.tui.modals import DatePrompt, ExportChoice, FilterDialog, NoteEditor, OverrideDialog, RecordDialog
from supervise.tui.review import ReviewScreen
from supervise.tui.timeline import TimelineScreen

from test_tui_support import SIZE, TODAY, answered, db, reopen, seeded_db, until  # noqa: F401 - fixtures



def sync(test):
    """No async plugin is installed: each test runs its own event loop."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def make(db: str, lang: str = "zh", as_of: date | None = TODAY) -> SuperviseApp:
    app = make_app(db, "plans.toml", as_of, lang=lang, today=TODAY)
    app.said = []  # every notification, for the assertions
    notify = app.notify

    def record(message, **kwargs):
        app.said.append((message, kwargs.get("severity", "information")))
        notify(message, **kwargs)

    app.notify = record
    return app


def select(app: SuperviseApp, key: str) -> None:
    assert app.board.table.select_key(key), key


async def shown(pilot, key: str) -> None:
    """Wait until the detail pane shows this task (it follows the table one refresh later)."""
    app = pilot.app
    for _ in range(200):
        status = app.board.detail.status
        if status is not None and status.key == key:
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the detail never showed {key}")


def rendered(app: SuperviseApp) -> str:
    """The text on screen, as a person would read it."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system=None,
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def milestone(db: str, task: str, mid: str):
    with reopen(db) as store:
        task_ = store.task(task)
    return next(m for m in task_.milestones if m.id == mid)


# --- opening ------------------------------------------------------------------------------


@sync
async def test_board_opens_with_header_table_and_detail(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):  # on a loaded machine the first frame may come before the rows and the detail
            await pilot.pause(0.05)
            if app.board.detail.status is not None and "切实提高家庭自我照护能力" in rendered(app):
                break
        assert isinstance(app.screen, BoardScreen)
        screen = rendered(app)
        assert "沈阳市加快推进养老服务工作领导小组办公室" in screen
        assert "截至 2021-10-31" in screen
        with reopen(db) as store:
            expected = statuses(store.snapshot(), TODAY).live().counts()
        assert f"●{expected['red']} ▲{expected['amber']}" in screen
        assert len(app.board.table.rows) == 35
        assert app.board.detail.status.key == "sy-2021/1.1"
        assert "切实提高家庭自我照护能力" in screen


@sync
async def test_english_interface_and_plan_content_untranslated(db):
    app = make(db, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):  # on a loaded machine the first frame may come before the footer and rows
            await pilot.pause(0.05)
            screen = rendered(app)
            if "Search" in screen and "切实提高家庭自我照护能力" in screen:
                break
        assert "as of 2021-10-31" in screen
        assert "Search" in screen and "Review" in screen
        assert "切实提高家庭自我照护能力" in screen


@sync
async def test_follow_today_when_no_as_of(db):
    app = make(db, as_of=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.data.as_of == TODAY
        assert app.following_today


# --- search -------------------------------------------------------------------------------


@sync
async def test_search_as_you_type_chinese_then_enter_selects_first_match(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"适老化")
        await pilot.pause()
        with reopen(db) as store:
            wanted = statuses(store.snapshot(), TODAY).live().matching("适老化").keys()
        assert [s.key for s in app.board.table.rows] == wanted
        assert len(wanted) >= 2
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.board.table
        assert app.board.selected.key == wanted[0]
        await shown(pilot, wanted[0])
        assert "搜索“适老化”" in rendered(app)


@sync
async def test_search_matches_units_and_notes_and_escape_clears(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"培训班")  # only in a note
        await pilot.pause()
        assert [s.key for s in app.board.table.rows] == ["sy-2021/1.1"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.board.table.rows) == 35
        await pilot.press("slash", *"市医保局")
        await pilot.pause()
        assert {s.key for s in app.board.table.rows} >= {"sy-2021/4.3"}


# --- space and t: ticking -----------------------------------------------------------------


@sync
async def test_space_ticks_next_open_milestone_today(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/10")
        async with answered(pilot):
            await pilot.press("space")
        assert milestone(db, "sy-2021-key/10", "a").done_on == TODAY
        assert milestone(db, "sy-2021-key/10", "b").done_on is None
        # the detail shows the fresh milestone at once
        await shown(pilot, "sy-2021-key/10")
        assert app.board.detail.status.milestones[0].milestone.done_on == TODAY
        assert any("sy-2021-key/10/a" in m for m, _ in app.said)


@sync
async def test_space_ticks_the_task_itself_without_milestones(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/2.2")
        async with answered(pilot):
            await pilot.press("space")
        with reopen(db) as store:
            assert store.task("sy-2021/2.2").done_on == TODAY
        assert app.board.selected.key == "sy-2021/2.2"
        assert app.board.selected.rag == Rag.DONE


@sync
async def test_space_ticks_the_milestone_picked_in_the_checklist(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/10")
        await shown(pilot, "sy-2021-key/10")
        checklist = app.board.query_one(MilestoneList)
        checklist.focus()
        checklist.highlighted = 1
        async with answered(pilot):
            await pilot.press("space")
        assert milestone(db, "sy-2021-key/10", "b").done_on == TODAY
        assert milestone(db, "sy-2021-key/10", "a").done_on is None


@sync
async def test_t_ticks_on_a_typed_date(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/11")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        app.screen.query_one(Input).value = "2021年10月25日"
        async with answered(pilot):
            await pilot.press("enter")
        assert isinstance(app.screen, BoardScreen)
        assert milestone(db, "sy-2021-key/11", "b").done_on == date(2021, 10, 25)


@sync
async def test_t_with_a_bad_date_says_so_and_writes_nothing(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/11")
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one(Input).value = "someday"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        assert "无法识别的日期“someday”：不是可识别的日期写法" in rendered(app)  # in the UI's language
        await pilot.press("escape")
        await pilot.pause()
        assert (app.writes_pending, app.writes_answered) == (0, 0)  # no write was even asked for
        assert milestone(db, "sy-2021-key/11", "b").done_on is None


@sync
async def test_failed_write_shows_an_error_and_the_ui_goes_on(db):
    from supervise.tui.messages import MilestoneTicked

    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # the write itself, as if the board had not seen that the only milestone is done (another program ticked it)
        async with answered(pilot):
            app.post_message(MilestoneTicked("sy-2021-key/3", None, TODAY))
        assert app.said[-1][1] == "error"
        assert app.said[-1][0] == t("zh", "err.no_open_milestone", task="sy-2021-key/3")
        assert app.is_running


@sync
async def test_space_with_every_milestone_done_is_a_notice_pointing_at_v(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/3")  # its only milestone is done, its indicator has no value yet
        await shown(pilot, "sy-2021-key/3")
        with reopen(db) as store:
            before = len(store.events())
        await pilot.press("space")
        await pilot.pause()
        message, severity = app.said[-1]
        assert severity == "information"
        assert message == ("sy-2021-key/3 的所有节点均已完成，还有 1 项指标未达到目标：完成困难老年人家庭适老化改造。"
                           "可按 v 登记指标数值")
        assert (app.writes_pending, app.writes_answered) == (0, 0)  # nothing asked of the store
        with reopen(db) as store:
            assert len(store.events()) == before
        assert app.is_running


@sync
async def test_space_with_every_milestone_done_and_no_indicator_says_nothing_is_left(db):
    with reopen(db) as store:  # sy-2021-key/11 has milestones a (ticked in the seed) and b, and no indicator
        store.tick("sy-2021-key/11", "b", date(2021, 10, 25))
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/11")
        await shown(pilot, "sy-2021-key/11")
        await pilot.press("space")
        await pilot.pause()
        assert app.said[-1] == ("sy-2021-key/11 的所有节点均已完成，无需再勾选", "information")
        assert (app.writes_pending, app.writes_answered) == (0, 0)


@sync
async def test_space_with_every_milestone_done_in_english(db):
    app = make(db, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/3")
        await shown(pilot, "sy-2021-key/3")
        await pilot.press("space")
        await pilot.pause()
        assert app.said[-1] == ("all milestones of sy-2021-key/3 are done; 1 indicator not met yet: "
                                "完成困难老年人家庭适老化改造. Record a value with v", "information")


# --- n: notes -----------------------------------------------------------------------------


@sync
async def test_n_note_editor_saves_with_ctrl_s(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/2.3")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        area = app.screen.query_one(TextArea)
        assert app.focused is area
        await pilot.press(*"摸底", "enter", *"12个")
        async with answered(pilot):
            await pilot.press("ctrl+s")
        assert isinstance(app.screen, BoardScreen)
        with reopen(db) as store:
            notes = store.task("sy-2021/2.3").notes
        assert [(n.on, n.text) for n in notes] == [(TODAY, "摸底\n12个")]
        await shown(pilot, "sy-2021/2.3")
        assert app.board.detail.status.task.notes[-1].text == "摸底\n12个"
        app.board.detail.scroll_end(animate=False)
        await pilot.pause()
        assert "摸底" in rendered(app)


@sync
async def test_n_escape_cancels_and_writes_nothing(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/2.3")
        await pilot.press("n", "x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert (app.writes_pending, app.writes_answered) == (0, 0)
        with reopen(db) as store:
            assert store.task("sy-2021/2.3").notes == ()


@sync
async def test_a_failed_note_loses_nothing(db, monkeypatch):
    from supervise.db.store import Store
    from supervise.errors import StoreError

    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def locked(*args, **kwargs):
            raise StoreError("err.locked", path=db, seconds=10)

        monkeypatch.setattr(Store, "add_note", locked)  # the writing connection is opened by the write
        select(app, "sy-2021/2.3")
        async with answered(pilot):
            await pilot.press("n", *"进展", "ctrl+s")
        assert app.said[-1] == (t("zh", "err.locked", path=db, seconds=10), "error")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor), "the editor did not come back")
        assert app.screen.query_one(TextArea).text == "进展"


# --- v: values ----------------------------------------------------------------------------


@sync
async def test_v_records_an_indicator_value(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/1.1")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, RecordDialog)
        app.screen.query_one("#indicator", Select).value = "literacy"
        app.screen.query_one("#value", Input).value = "12.5"
        app.screen.query_one("#on", Input).value = "2021-10-30"
        async with answered(pilot):
            await pilot.press("enter")
        assert isinstance(app.screen, BoardScreen)
        with reopen(db) as store:
            ind = next(i for i in store.task("sy-2021/1.1").indicators if i.id == "literacy")
        assert [(m.on, m.value) for m in ind.values] == [(date(2021, 10, 30), 12.5)]
        await shown(pilot, "sy-2021/1.1")
        assert app.board.detail.status.indicators[1].value == 12.5


@sync
async def test_v_refuses_a_non_number(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/1.1")
        await pilot.press("v")
        app.screen.query_one("#value", Input).value = "lots"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert (app.writes_pending, app.writes_answered) == (0, 0)
        with reopen(db) as store:
            assert [len(i.values) for i in store.task("sy-2021/1.1").indicators] == [1, 0, 0]


@pytest.mark.parametrize("lang, typed, words", [
    ("zh", "1e300", "无法识别的数值“1e300”：超出范围：数值须在 ±1e15 以内"),
    ("en", "1e300", "unreadable value '1e300': out of range: numbers must lie within ±1e15"),
    ("en", "1,2", "unreadable value '1,2': not a number"),
])
@sync
async def test_v_says_why_a_value_is_refused_as_record_does(db, lang, typed, words):
    """The dialog said "not a number: '1e300'" where `record` says it is out of range: the same
    words, those of the one rule (supervise.numbers), in the dialog's error line."""
    app = make(db, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/1.1")
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one("#value", Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordDialog)
        assert str(app.screen.query_one("#error").render()) == words
        await pilot.press("escape")
        await pilot.pause()
        assert (app.writes_pending, app.writes_answered) == (0, 0)


@sync
async def test_v_with_no_value_asks_for_one(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/1.1")
        await pilot.press("v", "enter")  # nothing typed
        await pilot.pause()
        assert isinstance(app.screen, RecordDialog)
        assert t("zh", "ui.value.need_value") in rendered(app) and "不是数字" not in rendered(app)
        await pilot.press("escape")
        await pilot.pause()
        assert (app.writes_pending, app.writes_answered) == (0, 0)


# --- o: overrides -------------------------------------------------------------------------


@sync
async def test_o_sets_then_clears_an_override(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/2.2")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        app.screen.query_one("#colour", Select).value = "amber"
        app.screen.query_one("#reason", Input).value = "资金未到位"
        app.screen.query_one("#until", Input).value = "2021-12-31"
        async with answered(pilot):
            await pilot.press("enter")
        with reopen(db) as store:
            o = store.task("sy-2021/2.2").overrides
        assert [(x.rag, x.reason, x.start, x.until) for x in o] == [(Rag.AMBER, "资金未到位", TODAY, date(2021, 12, 31))]
        assert app.board.selected.overridden and app.board.selected.rag == Rag.AMBER
        await pilot.press("o")
        await pilot.pause()
        async with answered(pilot):
            await pilot.click("#clear")
        with reopen(db) as store:
            assert store.task("sy-2021/2.2").overrides[0].cleared_on == TODAY
        assert not app.board.selected.overridden


@sync
async def test_o_needs_a_reason(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021/2.2")
        await pilot.press("o", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        assert t("zh", "ui.override.need_reason") in rendered(app)


async def open_override(pilot, key: str) -> None:
    """The board up, `key` selected, `o` pressed: the override dialog is open."""
    await pilot.pause()
    select(pilot.app, key)
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, OverrideDialog)


@sync
async def test_o_an_end_before_the_start_is_said_in_the_dialog_and_nothing_is_lost(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_override(pilot, "sy-2021/2.2")
        app.screen.query_one("#reason", Input).value = "资金未到位"
        app.screen.query_one("#until", Input).value = "2021-09-01"  # before today, 2021-10-31
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)  # still open, what was typed still there
        assert app.screen.query_one("#reason", Input).value == "资金未到位"
        assert t("zh", "ui.override.until_before", until="2021-09-01", on="2021-10-31") in rendered(app)
        assert "--until" not in rendered(app)
        assert (app.writes_pending, app.writes_answered) == (0, 0)
        with reopen(db) as store:
            assert store.task("sy-2021/2.2").overrides == ()


@sync
async def test_o_enter_on_the_override_in_force_records_nothing(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_override(pilot, "sy-2021/2.2")
        app.screen.query_one("#colour", Select).value = "amber"
        app.screen.query_one("#reason", Input).value = "资金未到位"
        async with answered(pilot):
            await pilot.press("enter")
        with reopen(db) as store:
            events = len(store.events())
            assert len(store.task("sy-2021/2.2").overrides) == 1
        await pilot.press("o")  # opens with the colour and reason in force; an Enter by habit
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, OverrideDialog)
        assert (t("zh", "ui.override.unchanged"), "information") in app.said
        assert (app.writes_pending, app.writes_answered) == (0, 1)  # the Enter asked for no write
        with reopen(db) as store:
            assert len(store.events()) == events and len(store.task("sy-2021/2.2").overrides) == 1
        await pilot.press("o")  # another colour is a change
        await pilot.pause()
        app.screen.query_one("#colour", Select).value = "red"
        async with answered(pilot):
            await pilot.press("enter")
        with reopen(db) as store:
            assert [o.rag for o in store.task("sy-2021/2.2").overrides] == [Rag.AMBER, Rag.RED]


# --- f: filters ---------------------------------------------------------------------------


@sync
async def test_f_filters_by_colour_unit_and_stale(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)
        from textual.widgets import SelectionList

        app.screen.query_one("#rags", SelectionList).select("red")
        app.screen.query_one("#unit", Select).value = "市民政局"
        await pilot.press("ctrl+s")
        await pilot.pause()
        rows = app.board.table.rows
        assert rows and all(s.rag == Rag.RED and "市民政局" in s.task.lead for s in rows)
        with reopen(db) as store:
            view = statuses(store.snapshot(), TODAY).with_rag("red").led_by("市民政局")
        assert [s.key for s in rows] == view.keys()
        await pilot.press("x")
        await pilot.pause()
        assert len(app.board.table.rows) == 35


@sync
async def test_new_filters_start_at_the_first_match_when_the_selected_task_is_filtered_out(db):
    app = make(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("end")  # the last task, the table scrolled down
        await pilot.pause()
        last = app.board.table.current
        assert app.board.table.scroll_y > 0
        await pilot.press("f")
        await pilot.pause()
        from textual.widgets import SelectionList

        other = next(r for r in ("red", "amber", "green") if r != last.rag.value
                     and any(s.rag.value == r for s in app.data.live()))
        app.screen.query_one("#rags", SelectionList).select(other)
        await pilot.press("ctrl+s")
        await pilot.pause()
        table = app.board.table
        assert table.rows and table.current is table.rows[0] and table.scroll_y == 0


@sync
async def test_tree_scopes_the_board_to_a_plan(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        from supervise.tui.tree import PlanTree

        tree = app.board.query_one(PlanTree)
        node = next(n for n in tree.root.children if n.data[0] == "sy-2021-key")
        tree.select_node(node)
        await pilot.pause()
        assert {s.task.plan for s in app.board.table.rows} == {"sy-2021-key"}
        assert len(app.board.table.rows) == 11


# --- d: time travel -----------------------------------------------------------------------


@sync
async def test_d_changes_the_as_of_date_and_everything_recomputes(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/3")
        await pilot.pause()
        assert app.board.selected.milestones[0].rag == Rag.DONE
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        app.screen.query_one(Input).value = "2021年9月底"
        await pilot.press("enter")
        await pilot.pause()
        assert app.data.as_of == date(2021, 9, 30)
        assert not app.following_today
        assert app.board.selected.key == "sy-2021-key/3"  # selection kept
        assert app.board.selected.milestones[0].rag != Rag.DONE  # ticked on 10-20, after the as-of date
        screen = rendered(app)
        assert "截至 2021-09-30" in screen and "⏱" in screen
        with reopen(db) as store:
            assert app.data.live().counts() == statuses(store.snapshot(), date(2021, 9, 30)).live().counts()
        await pilot.press("d")
        app.screen.query_one(Input).value = "9999-12-31"  # the review cycle cannot reach it
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt) and "2999" in rendered(app)
        app.screen.query_one(Input).value = "today"
        await pilot.press("enter")
        await pilot.pause()
        assert app.following_today and app.data.as_of == TODAY


@pytest.mark.parametrize(("as_of", "label", "not_label"), [(date(2021, 9, 30), "⏱ 历史回看", "前瞻"),
                                                          (date(2021, 12, 15), "⏱ 前瞻", "历史回看")])
@sync
async def test_the_header_says_whether_the_as_of_date_looks_back_or_ahead(db, as_of, label, not_label):
    app = make(db, as_of=as_of)
    async with app.run_test(size=(140, 30)) as pilot:  # wide enough for the words beside ⏱
        await pilot.pause()
        header = rendered(app).splitlines()[0]
        assert f"截至 {as_of.isoformat()}" in header and label in header and not_label not in header


# --- e: export ----------------------------------------------------------------------------


@sync
async def test_e_exports_the_briefing(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    seen = {}

    def render_briefing(snapshot, as_of, lang):
        seen["args"] = (len(snapshot.tasks), as_of, lang)
        return "# 推进会汇报 [/] |x|\n"

    fake = types.ModuleType("supervise.briefing")
    fake.render_briefing = render_briefing
    monkeypatch.setitem(sys.modules, "supervise.briefing", fake)
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportChoice)  # Markdown or Word?
        await pilot.press("m")
        await pilot.pause()
    path = tmp_path / "briefings" / "2021-10-31-review.md"
    assert path.read_text(encoding="utf-8") == "# 推进会汇报 [/] |x|\n"
    assert seen["args"] == (35, TODAY, "zh")
    assert any("briefings/2021-10-31-review.md" in m for m, _ in app.said)


@sync
async def test_e_with_the_real_briefing(db, tmp_path, monkeypatch):
    from supervise import briefing
    monkeypatch.chdir(tmp_path)
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # Markdown is the default
        await pilot.pause()
    text = (tmp_path / "briefings" / "2021-10-31-review.md").read_text(encoding="utf-8")
    with reopen(db) as store:
        assert text == briefing.render_briefing(store.snapshot(), TODAY, "zh")


@sync
async def test_e_then_w_writes_the_word_briefing(db, tmp_path, monkeypatch):
    import docx

    monkeypatch.chdir(tmp_path)
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
    path = tmp_path / "briefings" / "2021-10-31-review.docx"
    word = docx.Document(str(path))
    assert word.paragraphs[0].text == "沈阳市加快推进养老服务工作领导小组办公室"
    assert any("briefings/2021-10-31-review.docx" in m for m, _ in app.said)
    assert not (tmp_path / "briefings" / "2021-10-31-review.md").exists()


@sync
async def test_e_then_escape_writes_nothing(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportChoice)
    assert not (tmp_path / "briefings").exists()


@sync
async def test_e_without_the_briefing_module_is_an_error_not_a_crash(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "supervise.briefing", None)  # import fails
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.said[-1][1] == "error"
        assert app.is_running
    assert not (tmp_path / "briefings").exists()


# --- ctrl+z: undo -------------------------------------------------------------------------


@sync
async def test_ctrl_z_undoes_and_says_what(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/10")
        async with answered(pilot):
            await pilot.press("space")
        assert milestone(db, "sy-2021-key/10", "a").done_on == TODAY
        async with answered(pilot):
            await pilot.press("ctrl+z")
        assert milestone(db, "sy-2021-key/10", "a").done_on is None
        message, severity = app.said[-1]
        assert message.startswith("已撤销：") and "sy-2021-key/10/a" in message
        assert app.board.selected.milestones[0].milestone.done_on is None
        await shown(pilot, "sy-2021-key/10")
        assert app.board.detail.status.milestones[0].milestone.done_on is None


# --- screens ------------------------------------------------------------------------------


@sync
async def test_r_review_lists_completed_changed_and_trend(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        screen = rendered(app)
        assert "本期 2021-08-31 → 2021-10-31" in screen
        assert "sy-2021-key/3" in screen  # completed in the period
        for d in ("2021-04-30", "2021-06-30", "2021-08-31", "2021-10-31"):
            assert d in screen
        red = app.screen.query_one("#list-red", OptionList)
        with reopen(db) as store:
            reds = statuses(store.snapshot(), TODAY).live().with_rag("red").sorted_by_rag().keys()
        assert [red.get_option_at_index(i).id for i in range(red.option_count)] == reds
        red.focus()
        red.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.board.selected.key == reds[0]


@sync
async def test_u_departments_sorts_and_enter_filters_the_board(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, DepartmentsScreen)
        from textual.widgets import DataTable

        table = app.screen.query_one(DataTable)
        # ranked (通报), as `supervise units` ranks them: then the units that only share in tasks, by name
        from supervise.ranking import rank_units

        with reopen(db) as store:
            snap = store.snapshot()
        ranked = rank_units(snap, TODAY, snap.office)
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert keys[:len(ranked)] == [u.unit for u in ranked]
        assert keys[len(ranked):] == sorted(keys[len(ranked):])
        first = table.get_row_at(0)
        assert (str(first[0]), str(first[2]), str(first[3])) == (
            "1", percent(ranked[0].on_time_rate), percent(ranked[0].red_rate))
        assert str(table.get_row_at(len(ranked))[0]) == "—"  # not ranked: leads nothing
        await pilot.press("s")  # by name
        await pilot.pause()
        names = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert names == sorted(names)
        await pilot.press("s")  # most red first
        await pilot.pause()
        worst = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert worst[0] == "市民政局"
        table.move_cursor(row=worst.index("市卫生健康委"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.board.filters.unit == "市卫生健康委"
        assert app.board.table.rows and all("市卫生健康委" in s.task.lead for s in app.board.table.rows)
        # a unit that leads nothing: its tasks as a responsible unit, and the bar says so
        helper = next(u for u in names if not any(u in s.task.lead for s in app.data.live())
                      and any(u in s.task.responsible for s in app.data.live()))
        await pilot.press("u")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert "个单位" in rendered(app) and "牵头单位 ·" not in rendered(app)
        table.move_cursor(row=[table.coordinate_to_cell_key((i, 0)).row_key.value
                               for i in range(table.row_count)].index(helper))
        await pilot.press("enter")
        await pilot.pause()
        rows = app.board.table.rows
        assert app.board.filters.involving and rows and all(helper in s.task.responsible for s in rows)
        assert f"涉及 {helper}" in rendered(app)


@sync
async def test_l_timeline_overdue_first(db):
    app = make(db, as_of=date(2021, 12, 1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        screen = rendered(app)
        assert screen.index("已逾期") < screen.index("30 天内到期")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


@sync
async def test_question_mark_lists_every_key(db):
    from supervise.tui.keys import KEYS

    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        screen = rendered(app)
        for k in KEYS[:12]:  # the rest are below the fold at this size
            assert t("zh", f"ui.help.{k.id}") in screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


@sync
async def test_q_quits(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


@sync
async def test_command_palette_offers_every_action_by_name(db):
    from supervise.tui.commands import SuperviseCommands
    from supervise.tui.keys import KEYS

    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = SuperviseCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        assert names == [t("zh", f"ui.help.{k.id}") for k in KEYS if k.id != "palette"]
        hits = [hit async for hit in provider.search("推进会")]
        assert hits
        hits[0].command()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


@sync
async def test_mouse_click_selects_a_row(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#tasks", offset=(20, 3))  # header, then rows 0, 1, 2
        await pilot.pause()
        assert app.board.selected.key == app.board.table.rows[2].key


# --- hostile text, external changes --------------------------------------------------------


@sync
async def test_hostile_note_text_is_shown_literally(db):
    with reopen(db) as store:
        store.add_note("sy-2021/1.1", "[/]", TODAY)
        store.add_note("sy-2021/1.1", "[@click=app.quit]x[/] [bold red]y", TODAY)
        store.add_note("sy-2021/1.1", "\x1b[31mred\x1b[0m", TODAY)
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"[/]", "enter")
        await pilot.pause()
        assert app.is_running
        assert app.board.selected.key == "sy-2021/1.1"
        await shown(pilot, "sy-2021/1.1")
        app.board.detail.scroll_end(animate=False)
        await pilot.pause()
        screen = rendered(app)
        assert "[@click=app.quit]x[/] [bold red]y" in screen
        assert "[/]" in screen
        assert "\\u001b[31mred" in screen
        await pilot.click("#detail")
        await pilot.pause()
        assert app.is_running


@sync
async def test_external_change_picked_up_on_ctrl_r_keeping_the_selection(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, "sy-2021-key/10")
        await pilot.pause()
        with reopen(db) as store:  # a second terminal
            store.tick("sy-2021-key/10", "a", date(2021, 10, 30))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.board.selected.key == "sy-2021-key/10"
        assert app.board.selected.milestones[0].milestone.done_on == date(2021, 10, 30)


@sync
async def test_external_change_picked_up_by_polling(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with reopen(db) as store:  # cron
            store.add_note("sy-2021/1.2", "定时任务写入", TODAY)
        app.poll()
        await pilot.pause()
        assert app.data.get("sy-2021/1.2").task.notes[-1].text == "定时任务写入"


@sync
async def test_no_color_keeps_the_words(db, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.no_color
        screen = rendered(app)
        assert "● 红" in screen and "▲ 黄" in screen


@sync
async def test_large_office_paints_before_all_statuses_are_known(db, monkeypatch):
    """Above SYNC_LIMIT the statuses are computed in a worker; the table shows rows meanwhile."""
    import supervise.tui.app as app_module

    monkeypatch.setattr(app_module, "SYNC_LIMIT", 5)
    app = make(db)
    assert not app.data.ready
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.data.ready
        assert len(app.board.table.rows) == 35
        assert "●" in rendered(app)


@sync
async def test_loading_and_the_background_statuses_leave_the_collector_as_they_found_it(db, monkeypatch):
    """The snapshot and the statuses are built with the cyclic collector paused: it must be back on."""
    import gc

    import supervise.tui.app as app_module

    monkeypatch.setattr(app_module, "SYNC_LIMIT", 0)  # every status in the worker thread, as for a big office
    paused = []
    real_compute = app_module.BoardData.compute

    def compute(self):
        if self._all is None:  # the real work (later calls return what it made)
            paused.append(not gc.isenabled())
        return real_compute(self)

    monkeypatch.setattr(app_module.BoardData, "compute", compute)
    assert gc.isenabled()
    app = make(db)
    assert gc.isenabled()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            if app.data is not None and app.data.ready:
                break
            await pilot.pause(0.02)
        assert app.data.ready
        assert paused == [True]  # the worker paused it
        app.reload()
        await pilot.pause(0.1)
        assert gc.isenabled()


@sync
async def test_units_screen_at_80_columns_keeps_rank_rates_and_the_last_column(db):
    app = make(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("u")
        for _ in range(50):
            await pilot.pause(0.05)
            if "市民政局" in rendered(app):
                break
        lines = rendered(app).splitlines()
        header = next(line for line in lines if line.split()[:2] == ["名次", "单位"])
        assert "按期率" in header and "红灯率" in header and header.rstrip().endswith("参与")
        row = next(line for line in lines if "市民政局" in line)
        assert row.split()[0] == "1" and "42.9%" in row  # 12 of its 28 tasks are red


def _seven_plans(tmp_path) -> str:
    """An office of seven plans (above six, the tree starts with the plans closed), each with two
    sections of one task: the first section's task overdue (red), the second's not due (green)."""
    parts = []
    for n in range(1, 8):
        parts.append(f'[[plan]]\nid = "p{n}"\ntitle = "计划{n}"\nstart = 2021-01-01\nend = 2022-12-31\n')
    for n in range(1, 8):
        parts.append(f'[[task]]\nplan = "p{n}"\nid = "1"\ntitle = "任务甲{n}"\nlead = ["市民政局"]\n'
                     f'section = "（一）第一部分"\ndue = 2021-06-30\n')
        parts.append(f'[[task]]\nplan = "p{n}"\nid = "2"\ntitle = "任务乙{n}"\nlead = ["市民政局"]\n'
                     f'section = "（二）第二部分"\ndue = 2022-06-30\n')
    plans = tmp_path / "seven.toml"
    plans.write_text("\n".join(parts), encoding="utf-8")
    path = tmp_path / "seven.db"
    with Store.open(path) as store:
        store.import_plans(load_plan_file(plans), date(2021, 1, 1))
    return str(path)


@sync
async def test_a_closed_plan_gets_its_sections_with_their_counts_when_opened(tmp_path):
    app = make(_seven_plans(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.data.ready, "every status known")
        await pilot.pause()
        from supervise.tui.tree import PlanTree

        tree = app.board.query_one(PlanTree)
        node = next(n for n in tree.root.children if n.data[0] == "p3")
        assert not node.is_expanded and node.allow_expand
        node.expand()
        await pilot.pause()
        assert [leaf.data for leaf in node.children] == [("p3", "（一）第一部分"), ("p3", "（二）第二部分")]
        labels = [str(leaf.label) for leaf in node.children]
        assert labels[0].startswith("（一）第一部分") and "●1" in labels[0]  # the overdue task: red
        assert labels[1] == "（二）第二部分"  # green only: a tree this narrow shows red and amber counts alone
        tree.select_node(node.children[1])
        await pilot.pause()
        assert [s.key for s in app.board.table.rows] == ["p3/2"]
