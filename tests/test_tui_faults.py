"""The UI meets a database that has become unreadable while it runs: one error notice, no crash.

The store translates what it cannot make sense of into a StoreError where it reads it
(db/connection.reads), and the UI handles that error as the command line does: by its type.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

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


# What another program (a DB browser, a script) can leave: a due date that is no date, text in
# a number column, text stored as binary (BLOB), an infinite number, an unknown lead unit's name.
DAMAGE = {
    "date": "UPDATE tasks SET due_on = '2021-02-30' WHERE id = 'sy-2021/1.1'",
    "text-in-number": "UPDATE indicators SET baseline = 'many' WHERE id = 'sy-2021/1.1/carers'",
    "blob-title": "UPDATE tasks SET title = x'e5a4a7e59e8b' WHERE id = 'sy-2021/1.1'",
    "infinite": "UPDATE indicator_values SET value = 9e999 WHERE indicator_id = 'sy-2021/1.1/carers'",
    "blob-unit": "UPDATE units SET name = x'e5a4a7' WHERE id = (SELECT min(id) FROM units)",
}


def _damage(db: str, sql: str = DAMAGE["date"]) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")  # as damage would
        assert conn.execute(sql).rowcount == 1
    conn.close()


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_senseless_value_read_while_running_is_one_notice_not_a_crash(db, kind):
    async def run():
        app = make(db)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            shown = len(app.data.snapshot.tasks)
            _damage(db, DAMAGE[kind])
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


@pytest.mark.parametrize("kind", ["date", "blob-title"])
def test_a_write_whose_task_cannot_be_read_back_is_one_notice(db, kind):
    async def run():
        app = make(db)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            _damage(db, DAMAGE[kind])
            from datetime import date

            async with answered(pilot):  # the write runs in a worker; its answer comes back to the UI
                app.write(lambda st: st.add_note("sy-2021/1.1", "写入后读不回", date(2021, 10, 30)),
                          lambda e: "noted")
            errors = [m for m, severity in app.said if severity == "error"]
            assert len(errors) == 1 and db in errors[0] and "damaged" in errors[0], app.said
            assert app.said[-1] == ("noted", "information")  # written all the same, and said so
            assert isinstance(app.screen, BoardScreen)

    asyncio.run(run())


def test_the_ui_started_on_a_damaged_database_says_the_command_lines_line(db, capsys):
    """Started on a damaged file, the UI is refused before it draws, as the command line refuses it:
    the same one line naming the file, exit 3 (the error reaches cli.main from the app's start)."""
    _damage(db, DAMAGE["text-in-number"])
    from supervise.errors import StoreError

    with pytest.raises(StoreError) as refused:
        make(db)
    assert refused.value.exit_code == 3
    line = refused.value.render("en")
    assert db in line and "damaged" in line and "indicators.baseline" in line and "\n" not in line
