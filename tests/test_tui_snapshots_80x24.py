"""SVG snapshots at 80×24, the smallest terminal the office uses (#16): every dialog and screen that
cut or hid something at that size. Look at the SVGs under tests/__snapshots__/ before accepting them."""

from __future__ import annotations

from supervise.tui.app import make_app

from test_tui_support import TODAY, db, seeded_db  # noqa: F401 - fixtures

SMALL = (80, 24)


def app_for(db: str, lang: str = "zh"):
    return make_app(db, "plans.toml", TODAY, lang=lang, today=TODAY)


def test_filter_dialog_english_80x24(db, snap_compare):
    """The colours label wraps instead of being cut."""
    assert snap_compare(app_for(db, "en"), press=["f"], terminal_size=SMALL)


def test_lead_dropdown_80x24(db, snap_compare):
    """The lead unit dropdown open: 市民政局 drawn whole (the buttons under it are hidden meanwhile)."""
    assert snap_compare(app_for(db), press=["f", "tab", "tab", "tab", "enter"], terminal_size=SMALL)


def test_override_dialog_80x24(db, snap_compare):
    """The whole dialog, its title included, fits: the two dates side by side."""

    async def steady(pilot):
        from textual.widgets import Input

        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        for field in pilot.app.screen.query(Input):  # a blinking cursor made the picture differ run to run
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app_for(db), terminal_size=SMALL, run_before=steady)


def test_departments_english_80x24(db, snap_compare):
    """The "as responsible" column in sight (各区县（市）政府: 0 as lead, 29 as responsible)."""
    assert snap_compare(app_for(db, "en"), press=["u"], terminal_size=SMALL)


def test_help_end_80x24(db, snap_compare):
    """The Chinese help scrolled to its end: the last rows whole, long rows folded, not cut."""
    assert snap_compare(app_for(db), press=["question_mark", "end"], terminal_size=SMALL)


def test_review_by_section_80x24(db, snap_compare):
    """The review grouped by section; reasons wrapped."""
    assert snap_compare(app_for(db), press=["r", "s"], terminal_size=SMALL)


def test_timeline_english_80x24(db, snap_compare):
    """The timeline's hint wraps to a second line instead of being cut ('enter opens the task' was lost)."""
    assert snap_compare(app_for(db, "en"), press=["l"], terminal_size=SMALL)
