"""The ranking of lead units (通报): `supervise units` (shared/spec/office.md)."""

from __future__ import annotations

import click

from .base import Ctx, _common, _without_gc, cli


@cli.command()
@click.option("--as-of", "as_of", help="Rank as of this date (default today).")
@click.option("--plan", help="Only tasks of this plan (id).")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json", "csv"]), default="table", show_default=True)
@_common
@_without_gc
def units(ctx: Ctx, as_of, plan, fmt) -> None:
    """Lead units ranked by deadlines met on time, then by their share of red tasks."""
    from ..ranking import rank_units, ranking_csv, ranking_json, ranking_markdown
    from ..reviews import previous_review
    from .reports import _filter, _statuses, _stream

    when = ctx.date(as_of, "--as-of")
    with ctx.store() as store:
        snap, everything = _statuses(ctx, store, when)
    _filter(everything, snap, plan, None, None)  # an unknown plan: one line, exit 2
    ranked = rank_units(everything, when, snap.office, plan)
    previous = previous_review(snap.office, when)
    if fmt == "json":
        click.echo(ranking_json(ranked, when, previous), nl=False)
    elif fmt == "csv":
        _stream([ranking_csv(ranked)], utf8=True)
    elif fmt == "markdown":
        click.echo(ranking_markdown(ranked, when, previous, ctx.lang), nl=False)
    else:
        print_units(ranked, when, previous, ctx.lang)


def print_units(ranked, as_of, previous, lang: str) -> None:
    """The ranking at a terminal: CJK-aligned columns, numbers on the right, unit names made safe."""
    from rich.text import Text

    from ..i18n import t
    from ..ranking import ranking_cells, ranking_headers
    from .terminal import _fit, _width, console, safe

    out = console()
    head = t(lang, "units.title", on=as_of.isoformat()) + " — " + (
        t(lang, "units.previous", on=previous.isoformat()) if previous else t(lang, "units.no_previous"))
    out.print(Text(head))
    if not ranked:
        out.print(Text(t(lang, "units.none")))
        return
    headers = ranking_headers(lang)
    rows = [[safe(str(c)) for c in ranking_cells(u)] for u in ranked]
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        parts = []
        for i, (c, w) in enumerate(zip(cells, widths)):
            parts.append(_fit(c, w) if i == 1 else " " * (w - _width(c)) + c)  # the name left, figures right
        return "  ".join(parts).rstrip()

    text = Text(line(headers) + "\n", style="bold")
    for cells in rows:
        text.append(line(cells) + "\n")
    out.print(Text(t(lang, "units.basis"), style="dim"))
    out.print(text, crop=False, overflow="ignore", no_wrap=True, end="")
