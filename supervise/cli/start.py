"""Getting started: `supervise demo`, the example with a year of progress in a throw-away database."""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from pathlib import Path

import click

from ..errors import InputError
from .base import Ctx, _common, cli, load_plan_file


@cli.command()
@click.option("--no-ui", "no_ui", is_flag=True, help="Build the demo database, say where it is; do not open the UI.")
@_common
def demo(ctx: Ctx, no_ui: bool) -> None:
    """Try the tool on the bundled example with a year of recorded progress."""
    from ..db.store import Store
    from ..demo import DEMO_DAY, example_plans, record_progress

    # only an explicit --db, never $SUPERVISE_DB: that is the office's own database
    if ctx.db_option is not None:
        folder, path = None, Path(ctx.db_option)
        if os.path.lexists(path):
            raise InputError("err.demo_exists", path=str(path))
    else:
        folder = Path(tempfile.mkdtemp(prefix="supervise-demo-"))
        path = folder / "demo.db"
    example = example_plans()
    try:
        from .meter import Meter

        with Meter(ctx.lang) as meter:  # a few seconds on a slow disk: every action is its own transaction
            meter.phase("demo.building")
            planset = load_plan_file(str(example))
            with Store.open(path) as store:
                store.import_plans(planset, DEMO_DAY, source=str(example))
                actions = record_progress(store, DEMO_DAY)
        if no_ui:
            folder = None  # kept: the clerk was told where it is
            ctx.say("demo.ready", path=str(path), day=DEMO_DAY.isoformat(), n=actions)
            ctx.say("demo.try", path=shlex.quote(str(path)), day=DEMO_DAY.isoformat())  # a command to paste, spaces and all
            return
        from ..tui.app import make_app

        make_app(str(path), str(example), None, lang=ctx.lang, today=DEMO_DAY).run()
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
