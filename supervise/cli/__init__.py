"""The scripted face (shared/spec/cli.md): each command opens the store, calls the core, prints.

Domain errors become one line on stderr with the spec's exit status; nothing here
imports Textual unless the UI is asked for, so cron jobs start fast.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import sqlite3
import sys
from datetime import date
from pathlib import Path

import click

from ..collector import paused as paused_collector
from ..dates import DateError, parse_date, parse_since
from ..errors import InputError, StoreError, SuperviseError
from ..i18n import detect_lang, rag_word, t
from ..models import Rag

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


# --- plan files ---------------------------------------------------------------------------


@cli.command()
@click.argument("file", required=False)
@_common
def check(ctx: Ctx, file: str | None) -> None:
    """Validate a plans file; writes nothing."""
    path = file or ctx.plans
    planset = load_plan_file(path)
    for w in planset.warnings:
        click.echo(w.words(ctx.lang), err=True)
    ctx.say("check.ok", file=path, plans=len(planset.plans), tasks=len(planset.tasks),
            milestones=sum(len(x.milestones) for x in planset.tasks),
            indicators=sum(len(x.indicators) for x in planset.tasks))


@cli.command("import")
@click.argument("file", required=False)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@_common
@_without_gc
def import_(ctx: Ctx, file: str | None, dry_run: bool) -> None:
    """Load or re-load a plans file: progress is never lost."""
    path = file or ctx.plans
    planset = load_plan_file(path)
    for w in planset.warnings:
        click.echo(w.words(ctx.lang), err=True)
    from ..db.store import Store

    # a dry run against a database that does not exist yet must not create it
    target = ":memory:" if dry_run and not Path(ctx.db).exists() else None
    with (Store.open(target) if target else ctx.store()) as store:
        report = store.import_plans(planset, ctx.today, dry_run=dry_run, source=path)
    if dry_run:
        for label, items in (("import.added", report.added), ("import.changed", report.changed),
                             ("import.withdrawn", report.withdrawn), ("import.restored", report.restored)):
            for item in items:
                click.echo(f"{t(ctx.lang, label)}: {item}")
        ctx.say("import.dry_run")
    elif report.backup:
        ctx.say("import.backup", path=report.backup)
    ctx.say("import.counts", added=len(report.added), changed=len(report.changed),
            withdrawn=len(report.withdrawn), restored=len(report.restored))


# --- status -------------------------------------------------------------------------------


def _statuses(ctx: Ctx, store, as_of: date):
    from ..status import statuses

    snap = store.snapshot()
    if not snap.tasks:
        raise InputError("err.no_plans", file=ctx.plans)
    return snap, statuses(snap, as_of)


def _filter(view, snap, plan: str | None, unit: str | None, rag: str | None, involving: bool = False):
    from ..db.store import _closest

    if plan:
        ids = [p.id for p in snap.plans]
        if plan not in ids:
            close = _closest(plan, ids)
            raise InputError("err.unknown_plan", ref=plan, suggest=close, has=ids)
        view = view.in_plan(plan)
    if unit:
        units = {u for s in view for u in (*s.task.lead, *s.task.responsible)}
        if unit not in units:
            close = _closest(unit, sorted(units))
            raise InputError("err.unknown_unit", ref=unit, suggest=close)
        view = view.involving(unit) if involving else view.led_by(unit)
    if rag:
        wanted = [r.strip().lower() for r in rag.split(",") if r.strip()]
        for r in wanted:
            if r not in {x.value for x in Rag}:
                raise InputError("err.bad_rag_filter", value=r)
        view = view.with_rag(*wanted)
    else:
        view = view.live()
    return view


@cli.command()
@click.option("--as-of", "as_of", help="Status as of this date (default today).")
@click.option("--plan", help="Only this plan (id).")
@click.option("--unit", help="Only tasks this unit leads (with --involving: or is responsible for).")
@click.option("--involving", is_flag=True, help="With --unit: include tasks where the unit is only responsible.")
@click.option("--rag", help="Only these colours, comma-separated: red,amber,green,done,withdrawn.")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json", "csv"]), default="table", show_default=True)
@click.option("--fail-on", type=click.Choice(["red", "amber"]), help="Exit 1 if any listed task is this colour (amber: or worse).")
@_common
@_without_gc
def status(ctx: Ctx, as_of, plan, unit, involving, rag, fmt, fail_on) -> None:
    """Task status list."""
    when = ctx.date(as_of, "--as-of")
    with ctx.store() as store:
        snap, everything = _statuses(ctx, store, when)
    view = _filter(everything, snap, plan, unit, rag, involving)
    if fmt == "json":
        from ..formats import status_json_chunks

        _stream(itertools.chain(status_json_chunks(view, ctx.lang), ["\n"]))
    elif fmt == "csv":
        from ..formats import status_csv_chunks

        _stream(status_csv_chunks(view, ctx.lang), utf8=True)
    elif fmt == "markdown":
        from ..formats import status_markdown

        click.echo(status_markdown(view, ctx.lang), nl=False)
    else:
        from .terminal import print_status

        print_status(view, ctx.lang)
    if fail_on:
        worst = {Rag.RED} if fail_on == "red" else {Rag.RED, Rag.AMBER}
        if any(s.rag in worst and not s.task.withdrawn for s in view):
            sys.exit(1)


def _stream(chunks, *, utf8: bool = False) -> None:
    """Write output as it is made: a big office never sits in memory as one string.

    `utf8`: bytes as UTF-8 whatever the locale (the CSV contract); otherwise through the text
    stream, whose error handler main() set up for terminals that cannot show every character.
    """
    binary = sys.stdout.buffer if utf8 and hasattr(sys.stdout, "buffer") else None
    for chunk in chunks:
        if binary is not None:
            binary.write(chunk.encode("utf-8"))
        else:
            sys.stdout.write(chunk)
    sys.stdout.flush()


# --- recording progress -------------------------------------------------------------------


def _echo_event(ctx: Ctx, key: str, **params) -> None:
    ctx.say(key, **params)


@cli.command()
@click.argument("task")
@click.argument("milestone", required=False)
@click.option("--on", "on", help="Done on this date (default today).")
@click.option("--note", help="Attach a note as well.")
@_common
def tick(ctx: Ctx, task, milestone, on, note) -> None:
    """Mark a milestone done (the task itself where it has no milestones; else its next open milestone)."""
    when = ctx.date(on, "--on")
    with ctx.store() as store:
        event = store.tick(task, milestone, when, note)
    target = event.data["target"]
    ctx.say("done.retick" if event.summary == "retick" else "done.tick", target=target, on=when.isoformat())


@cli.command()
@click.argument("task")
@click.argument("milestone", required=False)
@_common
def untick(ctx: Ctx, task, milestone) -> None:
    """Undo a tick."""
    with ctx.store() as store:
        event = store.untick(task, milestone, ctx.today)
    ctx.say("done.untick", target=event.data["target"])


@cli.command()
@click.argument("task")
@click.argument("text", required=False)
@click.option("--on", "on", help="The note's date (default today).")
@_common
def note(ctx: Ctx, task, text, on) -> None:
    """Attach a note; TEXT '-' or absent reads standard input."""
    when = ctx.date(on, "--on")
    if text is None or text == "-":
        try:
            text = sys.stdin.read()
        except UnicodeError:
            raise  # main() explains the encoding
        except (OSError, ValueError) as err:  # closed or unreadable standard input
            raise InputError("err.file", detail=f"standard input: {err}") from None
    text = text.strip("\n")
    with ctx.store() as store:
        event = store.add_note(task, text, when)
    ctx.say("done.note", target=event.task)


def _number(value: str) -> float:
    cleaned = value.strip().replace(",", "").replace("，", "").rstrip("%％")
    try:
        number = float(cleaned)
    except ValueError:
        raise InputError("err.bad_value", value=value) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError("err.bad_value", value=value)
    return number


@cli.command(context_settings={"ignore_unknown_options": True})  # so that VALUE may be negative: -3
@click.argument("task")
@click.argument("indicator")
@click.argument("value")
@click.option("--on", "on", help="Measured on this date (default today).")
@click.option("--note", help="Attach a note as well.")
@_common
def record(ctx: Ctx, task, indicator, value, on, note) -> None:
    """Record an indicator value measured on a date."""
    number = _number(value)
    when = ctx.date(on, "--on")
    with ctx.store() as store:
        event = store.record(task, indicator, number, when, note)
    from ..formats import shown

    ctx.say("done.record", target=event.item, value=shown(number), on=when.isoformat())


@cli.command()
@click.argument("task")
@click.argument("colour", required=False, metavar="red|amber|green")
@click.option("--reason", help="Why (required when setting).")
@click.option("--on", "on", help="From this date (default today).")
@click.option("--until", help="Until this date, inclusive.")
@click.option("--clear", is_flag=True, help="End the override in force from --on.")
@_common
def override(ctx: Ctx, task, colour, reason, on, until, clear) -> None:
    """The clerk's judgement over the computed colour."""
    when = ctx.date(on, "--on")
    if clear and (colour or reason or until):  # said, not silently dropped: the clerk meant something by them
        extra = " ".join(x for x in (colour, reason and "--reason", until and "--until") if x)
        raise InputError("err.clear_alone", extra=extra)
    with ctx.store() as store:
        if clear:
            event = store.clear_override(task, when)
            ctx.say("done.override_clear", target=event.task, on=when.isoformat())
            return
        if colour is None or colour.lower() not in ("red", "amber", "green"):
            raise InputError("err.bad_rag", value=colour or "")
        end = ctx.date(until, "--until") if until else None
        if not reason or not reason.strip():
            raise InputError("err.no_reason")
        event = store.set_override(task, Rag(colour.lower()), reason, when, end)
    ctx.say("done.override", target=event.task, rag=rag_word(ctx.lang, colour.lower()), on=when.isoformat())


@cli.command()
@_common
def undo(ctx: Ctx) -> None:
    """Reverse the most recent recorded action (repeat to go further back)."""
    with ctx.store() as store:
        event = store.undo()
    from .terminal import describe_event

    ctx.say("done.undo", what=describe_event(event, ctx.lang))


@cli.command()
@click.option("--since", help="From this date, or a period back from today: 7d, 2w, 1m, last-review.")
@click.option("--until", help="Up to this date (inclusive).")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@_common
def log(ctx: Ctx, since, until, fmt) -> None:
    """What was recorded, newest first; --since/--until select by the date each action takes effect."""
    with ctx.store() as store:
        start = None
        if since:
            if since.strip().lower() in ("last-review", "last_review", "上次推进会"):
                from ..status import period_start

                start = period_start(store.office(), ctx.today)
            else:
                try:
                    start = parse_since(since, ctx.today)
                except DateError as err:
                    raise InputError("err.bad_since", detail=str(err), detail_zh=err.words("zh")) from None
        end = ctx.date(until, "--until") if until else None
        if start is not None and end is not None and end < start:  # an empty period is a typing slip, not "nothing"
            raise InputError("err.until_before_since", until=end.isoformat(), since=start.isoformat())
        events = store.events(start, end)
    from .terminal import print_log

    print_log(events, fmt, ctx.lang)


@cli.command()
@click.argument("dest", required=False)
@_common
def backup(ctx: Ctx, dest) -> None:
    """A consistent copy of the database, safe while the UI is open."""
    with ctx.store() as store:
        if dest is None:
            from datetime import datetime

            dest = str(store.backups_dir() / f"{Path(ctx.db).stem}-{datetime.now():%Y%m%d-%H%M%S}.db")
        path = store.backup(dest)
    ctx.say("done.backup", path=str(path))


# --- review meetings, briefing, ledger, extract -------------------------------------------


@cli.group()
def review() -> None:
    """Review meetings (双月推进会)."""


@review.command("hold")
@click.option("--on", "on", help="The meeting's date (default today).")
@click.option("--title", default="", help="e.g. 第三次双月推进会")
@_common
def review_hold(ctx: Ctx, on, title) -> None:
    """Record that a review meeting took place."""
    when = ctx.date(on, "--on")
    with ctx.store() as store:
        store.hold_review(when, title)
    ctx.say("done.review", on=when.isoformat())


@cli.command()
@click.option("--as-of", "as_of", help="Brief as of this date (default today).")
@click.option("--out", help="File to write (default briefings/YYYY-MM-DD-review.md; '-' for standard output).")
@_common
def brief(ctx: Ctx, as_of, out) -> None:
    """Markdown briefing for the review meeting."""
    when = ctx.date(as_of, "--as-of")
    from ..briefing import render_briefing

    with ctx.store() as store:
        snap = store.snapshot()
        if not snap.tasks:
            raise InputError("err.no_plans", file=ctx.plans)
        text = render_briefing(snap, when, ctx.lang)
    if out == "-":
        click.echo(text, nl=False)
        return
    path = Path(out or Path("briefings") / f"{when.isoformat()}-review.md")
    _write_text(path, text)
    ctx.say("done.brief", path=str(path))


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise InputError("err.file", detail=f"{path}: {err.strerror or err}") from None


@cli.group()
def export() -> None:
    """Documents for outside the office."""


@export.command("ledger")
@click.option("--out", required=True, help="The .xlsx file to write.")
@click.option("--as-of", "as_of", help="As of this date (default today).")
@_common
@_without_gc
def export_ledger(ctx: Ctx, out, as_of) -> None:
    """The 督查台账 as an Excel workbook."""
    when = ctx.date(as_of, "--as-of")
    if Path(out).suffix.lower() != ".xlsx":  # a workbook named .csv or .xls would not open as what it says
        raise InputError("err.ledger_name", out=out)
    from ..ledger import write_ledger

    with ctx.store() as store:
        snap = store.snapshot()
        if not snap.tasks:
            raise InputError("err.no_plans", file=ctx.plans)
    try:
        write_ledger(snap, when, ctx.lang, Path(out))
    except OSError as err:
        raise InputError("err.file", detail=f"{out}: {err.strerror or err}") from None
    ctx.say("done.ledger", path=out)


@cli.command()
@click.argument("doc")
@click.option("--plan-id", help="Id for the drafted plan (default from its period).")
@click.option("--out", help="Where to write the draft (default: standard output).")
@_common
def extract(ctx: Ctx, doc, plan_id, out) -> None:
    """Draft a plans.toml from a plan document (.txt, .md, .docx) for the clerk to check."""
    from ..extract import ExtractError, extract_plans, read_document

    try:
        text = read_document(Path(doc))
        toml_text, summary = extract_plans(text, plan_id=plan_id)
    except ExtractError as err:
        raise InputError("err.file", detail=str(err)) from None
    if out:
        _write_text(Path(out), toml_text)
    else:
        click.echo(toml_text, nl=False)
    click.echo(summary.describe(ctx.lang), err=True)


# --- entry point --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every domain error is one line on stderr and the spec's exit status."""
    args = argv if argv is not None else sys.argv[1:]
    lang = detect_lang(_peek_lang(args))
    _tolerant_output()
    for arg in args:
        if not _is_text(arg):  # bytes the terminal could not decode (a GBK terminal, say): refuse, don't store them
            click.echo(f"supervise: {_one_line(_NOT_UTF8[lang == 'zh'].format(arg.encode('utf-8', 'backslashreplace').decode()))}",
                       err=True)
            sys.exit(2)
    try:
        cli.main(args=argv, prog_name="supervise", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.message = _one_line(e.message)  # it may quote what was typed, control characters and all
        e.show()
        sys.exit(2 if e.exit_code in (1, 2) else e.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except _plan_file_error() as e:
        for line in e.lines(lang):
            click.echo(_one_line(line), err=True)
        sys.exit(2)
    except SuperviseError as e:
        if e.exit_code == 0:  # nothing to do, and that is fine (a tick that was already there)
            click.echo(_one_line(e.render(lang)))
            sys.exit(0)
        click.echo(f"supervise: {_one_line(e.render(lang))}", err=True)
        sys.exit(e.exit_code)
    except DateError as e:
        click.echo(f"supervise: {_one_line(e.words(lang))}", err=True)
        sys.exit(2)
    except sqlite3.Error as e:
        click.echo(f"supervise: database error: {_one_line(str(e))}", err=True)
        sys.exit(3)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except UnicodeError as e:  # standard input (or a file) in another encoding
        where = _store_frame(e) if isinstance(e, UnicodeDecodeError) else None
        if where:  # ...unless it was the database's own text that would not decode
            err = StoreError("err.corrupt", path=where[0], detail=f"unreadable text ({e.reason})")
            click.echo(f"supervise: {_one_line(err.render(lang))}", err=True)
            sys.exit(3)
        click.echo(f"supervise: {_one_line(_BAD_TEXT[lang == 'zh'].format(e.reason))}", err=True)
        sys.exit(2)
    except Exception as e:  # a bug, or a database whose contents make no sense: still one line, no traceback
        damaged = _store_in_traceback(e)
        if damaged is not None:
            err = StoreError("err.corrupt", path=damaged, detail=f"unreadable data ({type(e).__name__}: {e})")
            click.echo(f"supervise: {_one_line(err.render(lang))}", err=True)
            sys.exit(3)
        if os.environ.get("SUPERVISE_DEBUG"):
            raise
        click.echo(f"supervise: internal error: {_one_line(f'{type(e).__name__}: {e}')} "
                   "(please report it; SUPERVISE_DEBUG=1 shows the details)", err=True)
        sys.exit(INTERNAL_ERROR)


_NOT_UTF8 = ("argument {} is not valid text: is the terminal set to UTF-8?", "参数 {} 不是有效的文字：终端是否设为 UTF-8 编码？")
_BAD_TEXT = ("text that is not valid UTF-8 ({}): save or type it as UTF-8", "文字不是有效的 UTF-8 编码（{}）：请以 UTF-8 保存或输入")


def _is_text(arg: str) -> bool:
    try:
        arg.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _tolerant_output() -> None:
    """A terminal or pipe in GBK (or ASCII) cannot show every character: show an escape, never crash midway."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding and encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


INTERNAL_ERROR = 70  # EX_SOFTWARE: not the user's input, not the database; a bug to report
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _one_line(text: str) -> str:
    """Error text can quote user input: control characters (ANSI escapes, bidi overrides) made visible."""
    text = str(text).replace("\r\n", " ").replace("\n", " ")
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


_READERS = {"snapshot", "_snapshot", "office", "explicit_reviews", "task", "events", "_event_by_id", "_read", "data_version"}


def _store_frame(exc: BaseException) -> tuple[str, str] | None:
    """(database path, method) of the innermost Store method the exception came through, if any."""
    from ..db.store import Store

    tb, found = exc.__traceback__, None
    while tb is not None:
        candidate = tb.tb_frame.f_locals.get("self")
        if isinstance(candidate, Store):
            found = (candidate.path, tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return found


def _store_in_traceback(exc: BaseException) -> str | None:
    """The database path when a value read from it made no sense (a damaged file), else None."""
    if not isinstance(exc, (ValueError, KeyError, TypeError, IndexError)):
        return None
    found = _store_frame(exc)
    return found[0] if found and found[1] in _READERS else None


def _peek_lang(args: list[str]) -> str | None:
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None
