"""Chase-up notices (督办单): `supervise remind` (shared/spec/office.md, "Chase-up notices")."""

from __future__ import annotations

from pathlib import Path

import click

from ..dates import not_yet
from ..errors import InputError
from ..i18n import rag_word, t
from ..models import Rag
from ..marks import one_line as safe
from .base import Ctx, typed_units, _common, _without_gc, cli

REPLY_DAYS = 10  # the spec's default: a reply is expected ten days after the notice


def _rags(text: str) -> list[Rag]:
    wanted = [r.strip().lower() for r in text.split(",") if r.strip()]
    if not wanted or any(r not in ("red", "amber") for r in wanted):
        raise InputError("err.remind_rag", value=text)
    return [Rag(r) for r in dict.fromkeys(wanted)]


@cli.command()
@click.option("--out", "out_dir", required=True, help="Folder for the notices (created if missing).")
@click.option("--unit", "units", multiple=True, help="Only this lead unit (repeat for several).")
@click.option("--rag", default="red", show_default=True, help="Colours to chase: red, or red,amber.")
@click.option("--as-of", "as_of", help="Issue date: status as of this date (default today).")
@click.option("--reply-by", "reply_by", help=f"Reply expected by this date (default the issue date + {REPLY_DAYS} days).")
@click.option("--format", "fmt", type=click.Choice(["md", "docx"]), default="md", show_default=True)
@click.option("--dry-run", is_flag=True, help="Print what would be issued; write nothing.")
@_common
@_without_gc
def remind(ctx: Ctx, out_dir, units, rag, as_of, reply_by, fmt, dry_run) -> None:
    """Issue numbered chase-up notices (督办单) to lead units for their red (or amber) tasks."""
    from ..db.reminders import next_seq, number
    from ..briefing import dated_reasons
    from ..notices import build_notice, file_name, plan_notices
    from .reports import _filter, _statuses

    out_dir = ctx.out_folder(out_dir)
    when = ctx.date(as_of, "--as-of")
    if not_yet(when, ctx.today) is not None:  # issued on a day that has come: dates.not_yet, the one rule
        raise InputError("err.future", option="--as-of", on=when.isoformat())
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise InputError("err.out_not_folder", out=out_dir)
    rags = _rags(rag)
    reply = ctx.reply_by(reply_by, when, REPLY_DAYS)
    if reply < when:
        raise InputError("err.reply_before_issue", reply_by=reply.isoformat(), issued=when.isoformat())
    units = typed_units(units)
    rag_names = t(ctx.lang, "layout.enum").join(rag_word(ctx.lang, r.value) for r in rags)
    with ctx.store() as store:
        snap, everything = _statuses(ctx, store, when)
        for u in units:  # an unknown unit: one line, exit 2, nothing written
            _filter(everything, snap, None, u, None, involving=True)
        planned = plan_notices(everything, rags, list(units) if units else None)
        for u in units:
            if not any(p.unit == u for p in planned):
                ctx.say("remind.unit_nothing", unit=u, rags=rag_names, on=when.isoformat())
        if not planned:
            if not units:
                ctx.say("remind.nothing", rags=rag_names, on=when.isoformat())
            return
        office = snap.office.name
        if dry_run:
            first = next_seq(store, when.year)
            for n, p in enumerate(planned):
                ctx.say("remind.would", number=number(when.year, first + n), unit=p.unit, n=len(p.tasks), reply_by=reply.isoformat(),
                        level=_level(p.level, ctx.lang))
                for s, _ in p.tasks:
                    click.echo(t(ctx.lang, "remind.item", id=safe(s.key), title=safe(s.task.title),
                                 reason=safe(dated_reasons(s, ctx.lang))))
            ctx.say("remind.dry_run")
            return
        folder = Path(out_dir)
        for p in planned:
            # the notice is recorded first (it gets its number there), then written; a failed write
            # takes the record back, so the register never holds a notice that was not made
            issued = store.remind(p.unit, [(s.key, level) for s, level in p.tasks], when, reply)
            doc = build_notice(p, issued.number, when, reply, office, ctx.lang)
            path = folder / file_name(issued.number, p.unit, fmt)
            try:
                _write(ctx, path, doc, fmt)
            except BaseException:
                store.undo()
                raise
            ctx.say("remind.issued", number=issued.number, unit=p.unit, n=len(p.tasks), reply_by=reply.isoformat(),
                    level=_level(p.level, ctx.lang), path=str(path))


def _level(level: int, lang: str) -> str:
    from ..notices import level_words

    return level_words(level, lang)


def _write(ctx: Ctx, path: Path, doc, fmt: str) -> None:
    """Through the one safe-write function, in the format asked for."""
    if fmt == "docx":
        from ..render import docx

        ctx.write(path, docx.writer(doc))  # built before the file is opened, as brief does
    else:
        from ..render.markdown import render

        ctx.write(path, render(doc))
