"""The UI meets a database that has become unreadable while it runs: one error notice, no crash.

The store translates what it cannot make sense of into a StoreError where it reads it
(db/connection.reads), and the UI handles that error as the command line does: by its type.
"""

from __future__ import annotations

import asyncio
import sqlite3

from supervise.tui.app import SuperviseApp, make_app
from supervise.tui.board import BoardScreen

from test_tui_support import SIZE, TODAY, answered, db, seeded_db  # noqa: F401 - fixtures


def make(db: str) -> SuperviseApp:
    app = make_app(db, "plans.toml", TODAY, lang="en", today=TODAY)
    app.said = []
    notify = app.notify

    def record(message, **kwargs):
        app.said.append((message, kwargs.get("severity", "information")))
        notify(message, **kwargs)

    app.notify = record
    return app


def _damage(db: str) -> None:
    """What another program (a DB browser) can leave: a due date that is no date."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE tasks SET due_on = '2021-02-30' WHERE id = 'sy-2021/1.1'")
    conn.close()


def test_a_senseless_value_read_while_running_is_one_notice_not_a_crash(db):
    async def run():
        app = make(db)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            shown = len(app.data.snapshot.tasks)
            _damage(db)
            await pilot.press("ctrl+r")  # reload: the same read the poll makes when another program writes
            await pilot.pause()
            errors = [m for m, severity in app.said if severity == "error"]
            assert len(errors) == 1, app.said
            assert db in errors[0] and "damaged" in errors[0] and "\n" not in errors[0]
            assert isinstance(app.screen, BoardScreen)  # still running, the board as it was
            assert len(app.data.snapshot.tasks) == shown
            await pilot.press("j")  # and still answering keys
            await pilot.pause()
        assert app.return_code in (None, 0)

    asyncio.run(run())


def test_a_write_whose_task_cannot_be_read_back_is_one_notice(db):
    async def run():
        app = make(db)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            _damage(db)
            from datetime import date

            async with answered(pilot):  # the write runs in a worker; its answer comes back to the UI
                app.write(lambda st: st.add_note("sy-2021/1.1", "写入后读不回", date(2021, 10, 30)),
                          lambda e: "noted")
            errors = [m for m, severity in app.said if severity == "error"]
            assert len(errors) == 1 and db in errors[0] and "damaged" in errors[0], app.said
            assert app.said[-1] == ("noted", "information")  # written all the same, and said so
            assert isinstance(app.screen, BoardScreen)

    asyncio.run(run())
