"""Plan files: check, import, and drafting one from the plan document (extract)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import InputError
from ..i18n import t
from .base import Ctx, _common, _without_gc, cli, load_plan_file


def _plans_path(ctx: Ctx, file: str | None) -> str:
    """The file named, else the default; a default that is not there is a first run: say what to do.
    Named empty (`import "$FILE"` with FILE unset) is a slip, as an empty --plans is."""
    if file == "":
        raise InputError("err.empty_path", option="FILE")
    if file is None and not os.path.lexists(ctx.plans):
        raise InputError("err.first_run", plans=ctx.plans)
    return file or ctx.plans


@cli.command()
@click.argument("file", required=False)
@_common
def check(ctx: Ctx, file: str | None) -> None:
    """Validate a plans file; writes nothing."""
    path = _plans_path(ctx, file)
    planset = load_plan_file(path)
    _warn(planset, ctx.lang)
    ctx.say("check.ok", file=path, plans=len(planset.plans), tasks=len(planset.tasks),
            milestones=sum(len(x.milestones) for x in planset.tasks),
            indicators=sum(len(x.indicators) for x in planset.tasks))


def _warn(planset, lang: str) -> None:
    """The file's warnings, one line each, shown literally as its errors are (main's _one_line):
    a quoted key may hold any character."""
    from . import _one_line

    for w in planset.warnings:
        click.echo(_one_line(w.words(lang)), err=True)


@cli.command("import")
@click.argument("file", required=False)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@_common
@_without_gc
def import_(ctx: Ctx, file: str | None, dry_run: bool) -> None:
    """Load or re-load a plans file: progress is never lost."""
    path = _plans_path(ctx, file)
    from .meter import Meter

    with Meter(ctx.lang) as meter:  # a big plan file takes a while: say so on a terminal
        meter.phase("progress.import")
        planset = load_plan_file(path)
        _warn(planset, ctx.lang)
        from ..db.store import Store

        # a dry run against a database that does not exist yet must not create it
        target = ":memory:" if dry_run and not Path(ctx.db).exists() else None
        meter.phase("progress.import_db")
        with (Store.open(target) if target else ctx.store(create=True)) as store:
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



@cli.command()
@click.argument("doc")
@click.option("--plan-id", help="Id for the drafted plan (default from its period).")
@click.option("--out", help="Where to write the draft (default: standard output).")
@_common
def extract(ctx: Ctx, doc, plan_id, out) -> None:
    """Draft a plans.toml from a plan document (.txt, .md, .docx) for the clerk to check."""
    from ..extract import ExtractError, extract_plans, read_document

    if not doc.strip():  # else Path("") is "." and reads as a file of no type
        raise InputError("err.extract_empty_doc")
    if out is not None and not out.strip():  # else an empty --out would quietly print instead
        raise InputError("err.empty_out")
    try:
        text = read_document(Path(doc))
        toml_text, summary = extract_plans(text, plan_id=plan_id)
    except ExtractError as err:
        raise InputError("err.file", detail=err.message) from None
    if out:
        ctx.write(out, toml_text)
    else:
        click.echo(toml_text, nl=False)
    click.echo(summary.describe(ctx.lang), err=True)

