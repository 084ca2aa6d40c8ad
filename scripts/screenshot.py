#!/usr/bin/env python3
"""Regenerate docs/board.svg, the README's picture of the board.

    python scripts/screenshot.py [--out docs/board.svg]

Imports the bundled plans.toml into a throw-away database, records a little
progress (so the picture shows ticks, a value, notes and an override), then
runs the real App headless at 120x36 in Chinese as of 2021-10-31 and saves
Textual's SVG screenshot.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2021, 10, 31)
SIZE = (120, 36)


def seed(db: Path) -> None:
    from supervise.models import Rag
    from supervise.planfile.loader import load_plan_file
    from supervise.db.store import Store

    with Store.open(db) as store:
        store.import_plans(load_plan_file(ROOT / "plans.toml"), date(2021, 1, 1), source="plans.toml")
        store.tick("sy-2021-key/11", "a", date(2021, 8, 20))
        store.add_note("sy-2021/3.1", "6月调度会：床位建设方案已报市政府", date(2021, 6, 15))
        store.record("sy-2021/1.1", "carers", 6000, date(2021, 9, 30))
        store.add_note("sy-2021/1.1", "已组织第一期家庭照护培训班，培训 600 人", date(2021, 10, 10))
        store.tick("sy-2021-key/3", "a", date(2021, 10, 20))
        store.tick("sy-2021/1.3", None, date(2021, 10, 15))
        store.set_override("sy-2021/3.1", Rag.RED, "床位建设进度滞后，需专题调度", date(2021, 10, 1))


async def shoot(db: Path, out: Path) -> None:
    from supervise.tui.app import make_app

    app = make_app(str(db), str(ROOT / "plans.toml"), AS_OF, lang="zh", today=AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.board.table.select_key("sy-2021/3.1")
        await pilot.pause()
        out.parent.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "board.svg")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "screenshot.db"
        seed(db)
        asyncio.run(shoot(db, args.out.resolve()))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
