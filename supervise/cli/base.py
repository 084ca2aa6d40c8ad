"""What every command shares: where the files are, the language, today, and the `supervise` group.

The commands live beside this module by job (plans, progress, reports); each opens the
store, calls the core and prints. Nothing here imports Textual unless the UI is asked for.
"""

from __future__ import annotations

import functools
import os
import sys
from datetime import date
from pathlib import Path

import click

from ..collector import paused as paused_collector
from ..dates import DateError, parse_date
from ..errors import InputError
from ..i18n import detect_lang, t

DEFAULT_DB = Path("data") / "supervise.db"


class Ctx:
    """What every command needs: where the files are, the language, and today."""

    def __init__(self, db: str | None, plans: str | None, lang: str | None):
        self.db_option, self.plans_option, self.lang_option = db, plans, lang

    def merge(self, db: str | None, plans: str | None, lang: str | None) -> None:
        self.db_option = db or self.db_option
        self.plans_option = plans or self.plans_option
        self.lang_option = lang or self.lang_option

    @property
    def db(self) -> str:
        return self.db_option or os.environ.get("SUPERVISE_DB") or str(DEFAULT_DB)

    @property
    def plans(self) -> str:
        return self.plans_option or os.environ.get("SUPERVISE_PLANS") or "plans.toml"

    @property
    def lang(self) -> str:
        return detect_lang(self.lang_option)

    @property
    def today(self) -> date:
        """The only clock in the program (SUPERVISE_TODAY pins it for tests and demos)."""
        pinned = os.environ.get("SUPERVISE_TODAY")
        if pinned:
            try:
                return date.fromisoformat(pinned)
            except ValueError:
                raise InputError("err.bad_date", detail=f"SUPERVISE_TODAY={pinned!r} is not an ISO date",
                                 detail_zh=f"SUPERVISE_TODAY={pinned!r} 不是 ISO 日期") from None
        return date.today()

    def date(self, value: str | None, option: str) -> date:
        if value is None:
            return self.today
        try:
            return parse_date(value, year=self.today.year, today=self.today)
        except DateError as err:
            raise InputError("err.bad_date", detail=f"{option}: {err}", detail_zh=f"{option}：{err.words('zh')}") from None

    def store(self):
        from ..db.store import BUSY_TIMEOUT, Store

        return Store.open(self.db, timeout=_busy_timeout(BUSY_TIMEOUT))

    @property
    def refuse(self) -> tuple:
        """What no output may replace: the database (and companions) and the plans file in use."""
        from ..files import protected

        return protected(self.db, self.plans)

    def write(self, path: str | Path, content) -> Path:
        """Every file a command writes: whole or not at all (files.write_whole)."""
        from ..files import write_whole

        return write_whole(path, content, refuse=self.refuse)

    def say(self, key: str, **params) -> None:
        click.echo(t(self.lang, key, **params))


def _busy_timeout(default: float) -> float:
    """How long to wait for a database another program is writing: $SUPERVISE_BUSY_TIMEOUT seconds, if set."""
    try:
        seconds = float(os.environ.get("SUPERVISE_BUSY_TIMEOUT") or default)
    except ValueError:
        return default
    return seconds if seconds >= 0 else default


def load_plan_file(path: str):
    """Read a plans file: plan_file (and tomllib) load only for the commands that read one, not for `status`."""
    from ..planfile.loader import load_plan_file as load

    return load(path)


class _NeverRaised(Exception):
    pass


def _plan_file_error() -> type[Exception]:
    """PlanFileError, if plan_file was loaded at all (if not, nothing can have raised it)."""
    module = sys.modules.get("supervise.planfile.loader")
    return module.PlanFileError if module else _NeverRaised


def _without_gc(f):
    """For commands that build many small acyclic objects (the status of 10,000 tasks, a parsed
    plan file, a ledger's cells): collector.paused() says why (at 50,000 tasks: import 15.1 ->
    14.0 s, ledger 38.4 -> 31.7 s, same RSS)."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        with paused_collector():
            return f(*args, **kwargs)

    return wrapper


def _common(f):
    """--db/--plans/--lang are accepted after the command as well as before it."""

    @click.option("--db", "db_", hidden=True, type=click.Path(dir_okay=False))
    @click.option("--plans", "plans_", hidden=True, type=click.Path())
    @click.option("--lang", "lang_", hidden=True, type=click.Choice(["zh", "en"]))
    @click.pass_obj
    @functools.wraps(f)
    def wrapper(ctx: Ctx, db_, plans_, lang_, **kwargs):
        ctx.merge(db_, plans_, lang_)
        return f(ctx, **kwargs)

    return wrapper


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), help="Database file (default $SUPERVISE_DB or data/supervise.db).")
@click.option("--plans", type=click.Path(), help="Plan file (default $SUPERVISE_PLANS or plans.toml).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Interface language (default $SUPERVISE_LANG, then $LANG).")
@click.option("--as-of", "as_of", help="Open the UI as of this date (time travel).")
@click.version_option(package_name="supervise")
@click.pass_context
def cli(click_ctx: click.Context, db, plans, lang, as_of) -> None:
    """Follow up an action plan: tasks, milestones, indicators, red/amber/green and review briefings.

    With no command, opens the terminal UI.
    """
    click_ctx.obj = Ctx(db, plans, lang)
    if click_ctx.invoked_subcommand is None:
        _open_ui(click_ctx.obj, as_of)


def _open_ui(ctx: Ctx, as_of: str | None) -> None:
    when = ctx.date(as_of, "--as-of") if as_of else None
    with ctx.store() as store:
        if not store.has_plans():
            planset = load_plan_file(ctx.plans)
            store.import_plans(planset, ctx.today, source=ctx.plans)
    from ..tui.app import make_app

    make_app(ctx.db, ctx.plans, when, lang=ctx.lang, today=ctx.today).run()

