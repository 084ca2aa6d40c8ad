"""What the office reads and sends: status, log, backup, the briefing and the ledger."""

from __future__ import annotations

import itertools
import sys
from datetime import date
from pathlib import Path

import click

from ..dates import DateError, parse_since
from ..errors import InputError
from ..models import Rag
from .base import Ctx, typed_units, OutputClosed, _common, _without_gc, cli


def _statuses(ctx: Ctx, store, as_of: date):
    from ..views import statuses

    snap = store.snapshot()
    if not snap.tasks:
        raise InputError("err.no_plans", file=ctx.plans)
    return snap, statuses(snap, as_of)


def _filter(view, snap, plan: str | None, unit: str | None, rag: str | None, involving: bool = False,
            section: str | None = None):
    from ..db.store import _closest

    # given empty (`--unit "$UNIT"` with UNIT unset) is a slip, refused as an unknown one, not "all"
    if plan is not None:
        ids = [p.id for p in snap.plans]
        if plan not in ids:
            close = _closest(plan, ids)
            raise InputError("err.unknown_plan", ref=plan, suggest=close, has=ids)
        view = view.in_plan(plan)
    if section is not None:
        view = _in_section(view, section.strip())
    if unit is not None:
        (unit,) = typed_units([unit])
        units = {u for s in view for u in (*s.task.lead, *s.task.responsible)}
        if unit not in units:
            close = _closest(unit, sorted(units))
            raise InputError("err.unknown_unit", ref=unit, suggest=close)
        view = view.involving(unit) if involving else view.led_by(unit)
    if rag is not None:
        wanted = [r.strip().lower() for r in rag.split(",") if r.strip()]
        if not wanted:
            raise InputError("err.bad_rag_filter", value=rag)
        for r in wanted:
            if r not in {x.value for x in Rag}:
                raise InputError("err.bad_rag_filter", value=r)
        view = view.with_rag(*wanted)
    else:
        view = view.live()
    return view


def _in_section(view, wanted: str):
    """The tasks of a section (板块), named as the plan names it, or by a part of its name: "（一）",
    "居家养老". A name that matches no section is refused, with the closest ones as a hint."""
    from ..db.store import _closest

    sections = list(dict.fromkeys(s.task.section for s in view if s.task.section))
    chosen = {wanted} if wanted in sections else {x for x in sections if wanted and wanted.casefold() in x.casefold()}
    if not chosen:
        raise InputError("err.unknown_section", ref=wanted, suggest=_closest(wanted, sections))
    return view.where(lambda s: s.task.section in chosen)


@cli.command()
@click.option("--as-of", "as_of", help="Status as of this date (default today).")
@click.option("--plan", help="Only this plan (id).")
@click.option("--section", help="Only this section (板块): its name, or a part of it such as （一）.")
@click.option("--unit", help="Only tasks this unit leads (with --involving: or is responsible for).")
@click.option("--involving", is_flag=True, help="With --unit: include tasks where the unit is only responsible.")
@click.option("--rag", help="Only these colours, comma-separated: red,amber,green,done,withdrawn.")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json", "csv"]), default="table", show_default=True)
@click.option("--fail-on", type=click.Choice(["red", "amber"]), help="Exit 1 if any listed task is this colour (amber: or worse).")
@_common
@_without_gc
def status(ctx: Ctx, as_of, plan, section, unit, involving, rag, fmt, fail_on) -> None:
    """Task status list."""
    when = ctx.date(as_of, "--as-of")
    with ctx.store() as store:
        snap, everything = _statuses(ctx, store, when)
    view = _filter(everything, snap, plan, unit, rag, involving, section)
    failed = False
    if fail_on:
        worst = {Rag.RED} if fail_on == "red" else {Rag.RED, Rag.AMBER}
        failed = any(s.rag in worst and not s.task.withdrawn for s in view)
    try:
        _show_status(view, fmt, ctx.lang)
    except BrokenPipeError as e:  # `status --fail-on red | head`: the answer stands, read or not
        raise OutputClosed(1 if failed else 0) from e
    if failed:
        sys.exit(1)


def _show_status(view, fmt: str, lang: str) -> None:
    if fmt == "json":
        from ..formats import status_json_chunks

        _stream(itertools.chain(status_json_chunks(view, lang), ["\n"]))
    elif fmt == "csv":
        from ..formats import status_csv_chunks

        _stream(status_csv_chunks(view, lang), utf8=True)
    elif fmt == "markdown":
        from ..formats import status_markdown

        click.echo(status_markdown(view, lang), nl=False)
    else:
        from .terminal import print_status

        print_status(view, lang)


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



@cli.command()
@click.option("--since", help="From this date, or a period back from today: 7d, 2w, 1m, last-review.")
@click.option("--until", help="Up to this date (inclusive).")
@click.option("--by", type=click.Choice(["recorded", "effective"]), default="recorded", show_default=True,
              help="Select the period by the day each entry was recorded, or by the date it is about (its --on).")
@click.option("--task", "task_ref", help="Only this task (full or bare id).")
@click.option("--unit", help="Only tasks this unit leads or is responsible for.")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@_common
def log(ctx: Ctx, since, until, by, task_ref, unit, fmt) -> None:
    """What was recorded, newest first; --since/--until select by the day each entry was recorded."""
    with ctx.store() as store:
        start = None
        if since is not None:
            if since.strip().lower() in ("last-review", "last_review", "上次推进会"):
                from ..reviews import period_start

                start = period_start(store.office(), ctx.today)
            else:
                try:
                    start = parse_since(since, ctx.today)
                except DateError as err:
                    raise InputError("err.bad_since", detail=err.message) from None
        end = ctx.optional_date(until, "--until")
        if start is not None and end is not None and end < start:  # an empty period is a typing slip, not "nothing"
            raise InputError("err.until_before_since", until=end.isoformat(), since=start.isoformat())
        events = store.events(start, end, by=by, task=task_ref, unit=unit)
        from .terminal import fold_undos, print_log

        if fmt != "json":
            events = fold_undos(events, store.events_by_id)
        names = store.item_names()
    print_log(events, fmt, ctx.lang, names=names)


@cli.command()
@click.argument("dest", required=False)
@_common
def backup(ctx: Ctx, dest) -> None:
    """A consistent copy of the database, safe while the UI is open."""
    if dest == "":
        raise InputError("err.empty_path", option="DEST")
    with ctx.store() as store:
        if dest is None:
            from datetime import datetime

            dest = str(store.backups_dir() / f"{Path(ctx.db).stem}-{datetime.now():%Y%m%d-%H%M%S}.db")
        path = store.backup(dest, ctx.refuse)
    ctx.say("done.backup", path=str(path))



_BRIEF_EXT = {"md": (".md", ".markdown", ".txt", ""), "docx": (".docx",)}


@cli.command()
@click.option("--as-of", "as_of", help="Brief as of this date (default today).")
@click.option("--format", "fmt", type=click.Choice(["md", "docx"]),
              help="Markdown, or Word in the official layout (default md; docx for an --out ending in .docx).")
@click.option("--out", help="File to write (default briefings/YYYY-MM-DD-review.md or .docx; '-' for standard output).")
@_common
def brief(ctx: Ctx, as_of, fmt, out) -> None:
    """Briefing for the review meeting, in Markdown or Word."""
    if out is not None and not out.strip():  # else the default file, written unasked
        raise InputError("err.empty_out_brief")
    suffix = Path(out).suffix.lower() if out and out != "-" else None
    if fmt is None:
        fmt = "docx" if suffix == ".docx" else "md"
    if suffix is not None and suffix not in _BRIEF_EXT[fmt]:  # a Word file named .md would not open as what it says
        raise InputError("err.brief_format", out=out, format=fmt, ext=_BRIEF_EXT[fmt][0])
    if fmt == "docx" and out == "-":
        raise InputError("err.brief_docx_stdout")
    when = ctx.date(as_of, "--as-of")
    from ..briefing import build_briefing

    with ctx.store() as store:
        snap = store.snapshot()
        if not snap.tasks:
            raise InputError("err.no_plans", file=ctx.plans)
        doc = build_briefing(snap, when, ctx.lang)
    if fmt == "docx":
        from ..render import docx

        content = docx.writer(doc)  # built before the file is opened: a failure leaves nothing behind
    else:
        from ..render import markdown

        content = markdown.render(doc)
    if out == "-":
        click.echo(content, nl=False)
        return
    path = out or str(Path("briefings") / f"{when.isoformat()}-review.{fmt}")
    ctx.write(path, content)
    ctx.say("done.brief", path=str(path))


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
    if not out:
        raise InputError("err.empty_name", option="--out")
    when = ctx.date(as_of, "--as-of")
    if Path(out).suffix.lower() != ".xlsx":  # a workbook named .csv or .xls would not open as what it says
        raise InputError("err.ledger_name", out=out)
    from ..ledger import write_ledger
    from .meter import Meter

    with ctx.store() as store:
        snap = store.snapshot()
        if not snap.tasks:
            raise InputError("err.no_plans", file=ctx.plans)
    with Meter(ctx.lang) as meter:
        meter.phase("progress.ledger")
        write_ledger(snap, when, ctx.lang, out, refuse=ctx.refuse, progress=meter)
    ctx.say("done.ledger", path=out)

