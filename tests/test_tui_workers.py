"""Writes from the UI run in worker threads (#18): the screen answers keys while a write waits for a
database another program holds locked; writes run one at a time in the order asked; a lock held past
the busy timeout is one line in the interface's language and nothing is written; the confirmation is
worded as the command line words it.

"Another program" is a plain sqlite3 connection holding `BEGIN IMMEDIATE` (the write lock), as a
second terminal's `supervise import` would. Every wait is a loop on a condition (the machine is shared).
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from contextlib import contextmanager
from datetime import date

from supervise.i18n import t
from supervise.tui.app import SuperviseApp, make_app
from supervise.tui.review import ReviewScreen

from test_tui_support import SIZE, TODAY, answered, db, reopen, seeded_db, until  # noqa: F401 - fixtures


def sync(test):
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def make(db: str, busy_timeout: float = 60.0, lang: str = "zh") -> SuperviseApp:
    app = make_app(db, "plans.toml", TODAY, lang=lang, today=TODAY, busy_timeout=busy_timeout)
    app.said = []
    notify = app.notify

    def record(message, **kwargs):
        app.said.append((message, kwargs.get("severity", "information")))
        notify(message, **kwargs)

    app.notify = record
    return app


@contextmanager
def locked(db: str):
    """Another program holding the database's write lock until the block ends (then it rolls back)."""
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


def done_on(db: str, task: str, mid: str) -> date | None:
    with reopen(db) as store:
        return next(m for m in store.task(task).milestones if m.id == mid).done_on


async def on_board(pilot, key: str) -> None:
    app = pilot.app
    await pilot.pause()
    assert app.board.table.select_key(key), key
    await until(pilot, lambda: app.board.detail.status is not None and app.board.detail.status.key == key,
                f"the detail never showed {key}")


@sync
async def test_the_screen_answers_keys_while_a_write_waits_for_the_lock(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/10")
        with locked(db):
            await pilot.press("space")
            await until(pilot, lambda: (t("zh", "ui.write.waiting"), "information") in app.said,
                        "no notice that the write is waiting")
            assert app.writes_pending == 1
            await pilot.press("r")  # a key handled while the write waits: the review screen opens
            await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the key was not handled")
            assert done_on(db, "sy-2021-key/10", "a") is None  # nothing written yet
            assert app.writes_pending == 1
        await until(pilot, lambda: app.writes_pending == 0, "the write never finished once the lock was gone")
        await pilot.pause()
        assert done_on(db, "sy-2021-key/10", "a") == TODAY
        assert app.said[-1] == ("sy-2021-key/10/a 已于 2021-10-31 完成", "information")
        # the screens were refreshed from the store: the board behind the review shows it done
        assert app.data.get("sy-2021-key/10").milestones[0].milestone.done_on == TODAY


@sync
async def test_a_lock_held_past_the_timeout_is_one_line_and_nothing_is_written(db):
    app = make(db, busy_timeout=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/10")
        with locked(db):
            async with answered(pilot):
                await pilot.press("space")
        message, severity = app.said[-1]
        assert severity == "error"
        assert message == f"数据库 {db} 被其他程序占用（已等待 1 秒），请稍后重试"  # one line, in Chinese
        assert done_on(db, "sy-2021-key/10", "a") is None
        assert app.data.get("sy-2021-key/10").milestones[0].milestone.done_on is None
        assert app.is_running
        async with answered(pilot):  # the lock gone, the next write goes through: nothing is stuck
            await pilot.press("space")
        assert done_on(db, "sy-2021-key/10", "a") == TODAY


@sync
async def test_writes_asked_while_locked_run_in_order_tick_then_undo(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/10")
        with reopen(db) as store:
            before = len(store.events())
        async with answered(pilot, 3):
            with locked(db):
                await pilot.press("space")  # a
                await pilot.press("space")  # the next open one, once a is done: b
                await pilot.press("ctrl+z")  # takes back b, the newest
                await until(pilot, lambda: app.writes_pending == 3, "the three writes were not queued")
                assert done_on(db, "sy-2021-key/10", "a") is None
        assert done_on(db, "sy-2021-key/10", "a") == TODAY
        assert done_on(db, "sy-2021-key/10", "b") is None
        with reopen(db) as store:
            events = store.events()[: len(store.events()) - before]  # newest first
        assert [(e.kind, e.item, e.undone) for e in events] == [
            ("undo", "sy-2021-key/10/b", False), ("tick", "sy-2021-key/10/b", True), ("tick", "sy-2021-key/10/a", False)]
        said = [m for m, _ in app.said if m != t("zh", "ui.write.waiting")]
        assert said[-3:-1] == ["sy-2021-key/10/a 已于 2021-10-31 完成", "sy-2021-key/10/b 已于 2021-10-31 完成"]
        assert said[-1].startswith("已撤销：") and "sy-2021-key/10/b" in said[-1]
        assert app.data.get("sy-2021-key/10").milestones[0].milestone.done_on == TODAY
        assert app.data.get("sy-2021-key/10").milestones[1].milestone.done_on is None


@sync
async def test_a_write_another_program_made_meanwhile_is_shown_too(db):
    """Our write refreshes one task when nobody else wrote; here someone did, so everything is re-read."""
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/10")
        with reopen(db) as store:  # a second terminal, before our write
            store.add_note("sy-2021/1.2", "另一终端写入", TODAY)
        async with answered(pilot):
            await pilot.press("space")
        assert app.data.get("sy-2021/1.2").task.notes[-1].text == "另一终端写入"
        assert app.data.get("sy-2021-key/10").milestones[0].milestone.done_on == TODAY


@sync
async def test_our_own_write_and_its_undo_re_read_only_their_task(db, monkeypatch):
    """Nobody else wrote: the board re-reads the one task (a big office stays responsive), not everything."""
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/10")
        read_all = []
        monkeypatch.setattr(app.store, "snapshot", lambda: read_all.append(1))
        async with answered(pilot):
            await pilot.press("space")
        assert app.data.get("sy-2021-key/10").milestones[0].milestone.done_on == TODAY
        async with answered(pilot):
            await pilot.press("ctrl+z")
        assert app.data.get("sy-2021-key/10").milestones[0].milestone.done_on is None
        assert read_all == [] and [s for _, s in app.said] == ["information", "information"]


@sync
async def test_a_write_committed_but_not_read_back_says_both(db, monkeypatch):
    """The store refuses the read after the write (a damaged file, say): an error line, then the
    confirmation, and the app goes on."""
    from supervise.errors import StoreError

    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/10")

        def damaged(*args, **kwargs):
            raise StoreError("err.corrupt", path=db, detail="database disk image is malformed")

        monkeypatch.setattr(app.store, "updated", damaged)
        monkeypatch.setattr(app.store, "snapshot", damaged)
        async with answered(pilot):
            await pilot.press("space")
        assert app.said[-2] == (t("zh", "err.corrupt", path=db, detail="database disk image is malformed"), "error")
        assert app.said[-1] == ("sy-2021-key/10/a 已于 2021-10-31 完成", "information")
        assert done_on(db, "sy-2021-key/10", "a") == TODAY
        assert app.is_running


def test_the_ui_and_the_command_line_confirm_a_write_in_the_same_words(db, invoke):
    """One home for the wording (db.actions.confirmation): the note's confirmation, literally, from both."""
    out = invoke(["--db", db, "--lang", "zh", "note", "sy-2021/2.3", "命令行备注"], env={"SUPERVISE_TODAY": "2021-10-31"})
    assert out.exit_code == 0, out.stderr
    assert out.stdout == "已为 sy-2021/2.3 添加 2021-10-31 的备注\n"

    async def run():
        app = make(db)
        async with app.run_test(size=SIZE) as pilot:
            await on_board(pilot, "sy-2021/2.3")
            await pilot.press("n")
            await until(pilot, lambda: app.screen.__class__.__name__ == "NoteEditor", "no note editor")
            async with answered(pilot):
                await pilot.press(*"界面备注", "ctrl+s")
        assert app.said[-1] == ("已为 sy-2021/2.3 添加 2021-10-31 的备注", "information")

    asyncio.run(run())


@sync
async def test_q_while_a_write_waits_quits_once_it_is_answered(db):
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await on_board(pilot, "sy-2021-key/10")
        with locked(db):
            await pilot.press("space")
            await until(pilot, lambda: app.writes_pending == 1, "the write was not asked for")
            await pilot.press("q")
            await pilot.pause()
            assert app.return_code is None  # still open, and saying why
            assert app.said[-1] == ("还有 1 项记录在等待写入数据库，写完后退出（再按 q 立即退出）", "information")
        await until(pilot, lambda: app.return_code == 0, "the app did not quit once the write was answered")
        assert app.said[-1] == ("sy-2021-key/10/a 已于 2021-10-31 完成", "information")
    assert done_on(db, "sy-2021-key/10", "a") == TODAY


def test_q_twice_quits_at_once_and_the_running_write_still_loses_nothing(db):
    """q, q while the write waits for the lock: the app closes at once, the write goes through once the
    other program lets go, and its worker closes the writing connection (nothing left open)."""
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    app = make(db)

    async def run():
        async with app.run_test(size=SIZE) as pilot:
            await on_board(pilot, "sy-2021-key/10")
            await pilot.press("space")
            await until(pilot, lambda: app.writes_pending == 1, "the write was not asked for")
            await pilot.press("q", "q")
            await until(pilot, lambda: app.return_code == 0, "the second q did not quit")
        assert done_on(db, "sy-2021-key/10", "a") is None  # the app is closed, the write still waiting
        other.execute("ROLLBACK")  # the other program lets go

    asyncio.run(run())  # returns once the worker thread has finished
    other.close()
    assert done_on(db, "sy-2021-key/10", "a") == TODAY
    assert app._writer is None
