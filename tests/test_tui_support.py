"""Shared fixtures for the TUI tests: the bundled Shenyang plan with a little progress.

The database is imported once per session and copied for each test, so every
test starts from the same state and the suite stays fast.
"""

from __future__ import annotations

import shutil
import time
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest

from supervise.models import Rag
from supervise.planfile.loader import load_plan_file
from supervise.db.store import Store

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans.toml"
TODAY = date(2021, 10, 31)
SIZE = (100, 30)


def seed(path: Path) -> None:
    with Store.open(path) as store:
        store.import_plans(load_plan_file(PLANS), date(2021, 1, 1), source=str(PLANS))
        store.tick("sy-2021-key/11", "a", date(2021, 8, 20))
        store.add_note("sy-2021/3.1", "6月调度会：床位建设方案已报市政府", date(2021, 6, 15))
        store.record("sy-2021/1.1", "carers", 6000, date(2021, 9, 30))
        store.add_note("sy-2021/1.1", "已组织第一期家庭照护培训班，培训 600 人", date(2021, 10, 10))
        store.tick("sy-2021-key/3", "a", date(2021, 10, 20))
        store.tick("sy-2021/1.3", None, date(2021, 10, 15))
        store.set_override("sy-2021/3.1", Rag.RED, "床位建设进度滞后，需专题调度", date(2021, 10, 1))


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    seed(path)
    return path


@pytest.fixture
def db(seeded_db, tmp_path) -> str:
    """A fresh copy of the seeded database for one test."""
    target = tmp_path / "supervise.db"
    shutil.copy(seeded_db, target)
    return str(target)


def reopen(db: str) -> Store:
    """A second connection, as another program would open it: what did the UI really write?"""
    return Store.open(db)


async def until(pilot, check, what: str, seconds: float = 30.0) -> None:
    """Wait for a condition in a loop, not for a fixed time: the machine may be slow and shared."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(what)
        await pilot.pause(0.01)


@asynccontextmanager
async def answered(pilot, n: int = 1):
    """Around the keys that ask for `n` writes: on leaving, those writes have run in their worker and
    come back (the store committed or refused them, the notice is said, the screens refreshed)."""
    app = pilot.app
    before = app.writes_answered
    yield
    await until(pilot, lambda: app.writes_answered >= before + n, f"{n} write(s) never answered")
    await pilot.pause()
