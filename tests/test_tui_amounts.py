"""The detail pane says the value expected by now at the indicator's own precision (status.amount)."""

from __future__ import annotations

from test_tui import make, rendered, select, sync  # noqa: F401
from test_tui_support import SIZE, TODAY, db, reopen, seeded_db  # noqa: F401 - fixtures


@sync
async def test_expected_value_is_whole_people(db):
    app = make(db)
    async with app.run_test(size=(140, 50)) as pilot:
        for _ in range(60):
            await pilot.pause(0.05)
            if "sy-2021/1.1" in rendered(app):
                break
        select(app, "sy-2021/1.1")
        for _ in range(60):
            await pilot.pause(0.05)
            screen = rendered(app)
            if "培训家庭照护者" in screen:
                break
        # by hand: 20,000 人 over 2021-01-01 … 2023-12-31 (1,094 days), 303 days gone on 2021-10-31:
        # 20000 × 303 / 1094 = 5539.31 → 5539 人 (people come whole)
        assert "5539人" in screen.replace(" ", "")
        assert "5539.31" not in screen
