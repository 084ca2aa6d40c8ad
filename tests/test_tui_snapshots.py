"""SVG snapshots of every screen, in Chinese, on the seeded Shenyang plan as of 2021-10-31.

Regenerate with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at
the SVGs under tests/__snapshots__/ before accepting them.
"""

from __future__ import annotations

from supervise.tui.app import make_app

from test_tui_support import SIZE, TODAY, db, seeded_db  # noqa: F401 - fixtures


def app_for(db: str, lang: str = "zh"):
    return make_app(db, "plans.toml", TODAY, lang=lang, today=TODAY)


def test_board(db, snap_compare):
    assert snap_compare(app_for(db), terminal_size=SIZE)


def test_board_80x24(db, snap_compare):
    assert snap_compare(app_for(db), terminal_size=(80, 24))


def test_board_english_200x60(db, snap_compare):
    assert snap_compare(app_for(db, "en"), terminal_size=(200, 60))


def test_detail(db, snap_compare):
    """A task with a milestone, indicators, notes and an override; the checklist has focus."""

    async def pick(pilot):
        await pilot.pause()
        board = pilot.app.board
        board.table.select_key("sy-2021/3.1")
        await pilot.pause()
        # focus without the animated scroll that focusing starts: caught midway, it left the pane at a
        # fractional offset (15.99 rows, not 16) and the scrollbar one eighth of a row off
        board.query_one("#detail-milestones").focus(scroll_visible=False)
        await pilot.pause()
        # then scroll, without animation, until the pane's layout has settled
        detail, settled = board.detail, None
        for _ in range(10):
            detail.scroll_to_widget(board.query_one("#detail-milestones-label"), top=True, animate=False)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            state = (detail.scroll_y, detail.max_scroll_y, detail.virtual_size, detail.size)
            if state == settled:
                break
            settled = state

    assert snap_compare(app_for(db), terminal_size=SIZE, run_before=pick)


def test_review(db, snap_compare):
    assert snap_compare(app_for(db), press=["r"], terminal_size=SIZE)


def test_departments(db, snap_compare):
    assert snap_compare(app_for(db), press=["u"], terminal_size=SIZE)


def test_timeline(db, snap_compare):
    assert snap_compare(app_for(db), press=["l"], terminal_size=SIZE)


def test_help(db, snap_compare):
    assert snap_compare(app_for(db), press=["question_mark"], terminal_size=SIZE)


def test_note_editor(db, snap_compare):
    async def write(pilot):
        await pilot.pause()
        pilot.app.board.table.select_key("sy-2021/2.3")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"已完成小区摸底", "enter", *"[/] 原样显示")
        await pilot.pause()

    assert snap_compare(app_for(db), terminal_size=SIZE, run_before=write)
