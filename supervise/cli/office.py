"""The office's paperwork with the units: report forms out (`forms`) and back in (`collect`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from ..i18n import t
from .base import Ctx, typed_units, _common, _without_gc, cli

REPLY_DAYS = 10  # --reply-by defaults to the as-of date plus this many days


@cli.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the forms (created if missing).")
@click.option("--unit", "units", multiple=True, help="Only this unit (repeatable).")
@click.option("--as-of", "as_of", help="The forms' as-of date (default today).")
@click.option("--reply-by", "reply_by", help=f"Reply expected by (default as-of + {REPLY_DAYS} days).")
@_common
@_without_gc
def forms(ctx: Ctx, out_dir, units, as_of, reply_by) -> None:
    """One report form (.xlsx) per lead unit with its open items, to fill in and `collect`."""
    from ..forms import build_form, file_name, forms_for
    from ..views import statuses

    out_dir = ctx.out_folder(out_dir)
    when = ctx.date(as_of, "--as-of")
    reply = ctx.reply_by(reply_by, when, REPLY_DAYS)
    if reply < when:
        raise InputError("forms.err.reply_before", reply_by=reply.isoformat(), as_of=when.isoformat())
    with ctx.store() as store:
        snapshot = store.snapshot()
        database_id = store.database_id()
    view = statuses(snapshot, when)
    wanted = typed_units(units)
    if wanted:
        known = {u for task in snapshot.tasks if not task.withdrawn for u in (*task.lead, *task.responsible)}
        for unit in wanted:
            if unit not in known:  # said as status, remind and log say it
                from ..db.store import _closest

                raise InputError("err.unknown_unit", ref=unit, suggest=_closest(unit, sorted(known)))
    made = forms_for(view, wanted or None)
    for unit in wanted:
        if not any(form.unit == unit for form in made):
            ctx.say("forms.unit_nothing", unit=unit, on=when.isoformat())
    if not made:
        if not wanted:
            ctx.say("forms.none", on=when.isoformat())
        return
    folder = Path(out_dir)
    from .meter import Meter

    written = []
    with Meter(ctx.lang) as meter:  # sixty forms take a while: say so on a terminal
        meter.phase("progress.forms", total=len(made))
        for n, form in enumerate(made, 1):
            book = build_form(form, snapshot, when, reply, database_id, ctx.lang)
            written.append((ctx.write(folder / file_name(form.unit, when), book.save), form))
            meter(n, len(made))
    for path, form in written:
        ctx.say("forms.written", path=str(path), unit=form.unit, n=len(form.rows))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; write nothing.")
@_common
@_without_gc
def collect(ctx: Ctx, files, dry_run) -> None:
    """Take filled-in report forms into the record: each file one undoable action."""
    from ..collect import preview, read_form

    if "" in files:  # `collect "$F"` with F unset: said as empty, before anything is read
        raise InputError("err.empty_name", option="FILE")
    today = ctx.today
    with ctx.store() as store:
        snapshot = store.snapshot()
        database_id = store.database_id()
        plans, problems = [], []
        from .meter import Meter

        names = list(dict.fromkeys(files))
        with Meter(ctx.lang) as meter:
            meter.phase("progress.collect", total=len(names))
            for n, name in enumerate(names, 1):
                plan, found = read_form(name, snapshot, database_id, today)
                problems += found
                if plan is not None:
                    plans.append(plan)
                meter(n, len(names))
        if problems:
            for p in problems:
                click.echo(_safe_line(p.line(ctx.lang)), err=True)
            raise InputError("forms.err.refused", n=len({p.file for p in problems}))
        for plan in plans:
            print_preview(plan, preview(plan, snapshot, today, ctx.lang), ctx.lang)
        if dry_run:
            ctx.say("forms.dry_run")
            return
        done = store.collect(plans)
    from ..db.actions import collected

    for c in done:
        click.echo(collected(c, ctx.lang))


def _safe_line(text: str) -> str:
    from . import _one_line

    return _one_line(text)


PREVIEW_WIDTHS = (28, 24, 44, 14)  # most terminal cells each column may take; longer text ends in …


def print_preview(plan, rows, lang: str) -> None:
    """One table per file: 编号, item, what will be recorded, old → new colour. Plain aligned
    lines (CJK counted as two cells), not a Rich table: a big office collects thousands of rows."""
    from rich.cells import cell_len, set_cell_size

    from .terminal import safe

    same = sum(1 for e in plan.entries if e.already)
    click.echo(t(lang, "forms.file_head", path=safe(plan.path), unit=safe(plan.unit), on=plan.as_of.isoformat(),
                 n=len(plan.entries) - same, same=same))
    if not rows:
        return

    def fit(text: str, limit: int) -> str:
        text = safe(text)
        return text if cell_len(text) <= limit else set_cell_size(text, limit - 1) + "…"

    headers = [t(lang, key) for key in ("col.id", "forms.col.item", "forms.col.what", "forms.col.colour")]
    lines = [[fit(cell, limit) for cell, limit in zip(row, PREVIEW_WIDTHS)] for row in [headers, *rows]]
    widths = [max(cell_len(line[i]) for line in lines) for i in range(4)]
    for n, line in enumerate(lines):
        click.echo("  ".join(set_cell_size(cell, w) for cell, w in zip(line, widths)).rstrip())
        if n == 0:
            click.echo("  ".join("─" * w for w in widths))
