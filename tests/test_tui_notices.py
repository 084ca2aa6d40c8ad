"""Chase-up notices in the UI: the filter "awaiting reply", the mark on the board and the detail pane's list."""

from __future__ import annotations

from datetime import date

from textual.widgets import Checkbox

from supervise.tui.modals import FilterDialog

from test_tui import make, rendered, select, sync  # noqa: F401
from test_tui_support import SIZE, TODAY, db, reopen, seeded_db  # noqa: F401 - fixtures


async def _painted(pilot, app, words: str) -> str:
    """The screen once `words` are on it (a loaded machine may need more than one frame)."""
    for _ in range(60):
        await pilot.pause(0.05)
        screen = rendered(app)
        if words in screen:
            return screen
    return rendered(app)


def _remind(db: str) -> None:
    """A notice to 市民政局 on 2021-10-01 naming two of its tasks (reply by 10-11)."""
    with reopen(db) as store:
        store.remind("市民政局", [("sy-2021/1.5", 1), ("sy-2021/3.2", 1)], date(2021, 10, 1), date(2021, 10, 11))


@sync
async def test_the_filter_shows_only_tasks_awaiting_a_reply(db):
    _remind(db)
    app = make(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)
        app.screen.query_one("#awaiting", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sorted(s.key for s in app.board.table.rows) == ["sy-2021/1.5", "sy-2021/3.2"]
        assert "✉ 待反馈" in rendered(app)  # the filter bar says what is shown, with the word


@sync
async def test_the_detail_pane_lists_the_notices_with_their_answers(db):
    _remind(db)
    with reopen(db) as store:
        store.add_note("sy-2021/3.2", "已召开协调会", date(2021, 10, 5))  # after the issue date: an answer
    app = make(db)
    async with app.run_test(size=(140, 50)) as pilot:
        await _painted(pilot, app, "sy-2021/1.1")
        select(app, "sy-2021/1.5")
        screen = await _painted(pilot, app, "✉! 逾期未反馈")
        assert "✉! 逾期未反馈" in screen  # as of 2021-10-31 the reply is 20 days late
        assert "督办〔2021〕1号，2021-10-01 发出，2021-10-11 前反馈： 逾期 20 天未反馈" in screen
        select(app, "sy-2021/3.2")
        assert "已于 2021-10-05 反馈" in await _painted(pilot, app, "已于 2021-10-05 反馈")
