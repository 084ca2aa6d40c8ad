"""Recording progress: tick, untick, note, record, override, undo, review meetings."""

from __future__ import annotations

import os
import sys

import click

from ..errors import InputError
from ..i18n import Msg
from ..models import Event, Rag
from .base import Ctx, _common, cli


def _confirm(ctx: Ctx, event: Event) -> None:
    """The write's confirmation, in the words the UI shows too (db.actions.confirmation)."""
    from ..db.actions import confirmation

    click.echo(confirmation(event, ctx.lang))


@cli.command()
@click.argument("task")
@click.argument("milestone", required=False)
@click.option("--on", "on", help="Done on this date (default today).")
@click.option("--note", help="Attach a note as well.")
@_common
def tick(ctx: Ctx, task, milestone, on, note) -> None:
    """Mark a milestone done (the task itself where it has no milestones; else its next open milestone)."""
    when = ctx.happened(on, "--on")
    with ctx.store() as store:
        event = store.tick(task, milestone, when, note)
    _confirm(ctx, event)


@cli.command()
@click.argument("task")
@click.argument("milestone", required=False)
@_common
def untick(ctx: Ctx, task, milestone) -> None:
    """Undo a tick."""
    with ctx.store() as store:
        event = store.untick(task, milestone, ctx.today)
    _confirm(ctx, event)


@cli.command()
@click.argument("task")
@click.argument("text", required=False)
@click.option("--on", "on", help="The note's date (default today).")
@_common
def note(ctx: Ctx, task, text, on) -> None:
    """Attach a note; TEXT '-' or absent reads standard input."""
    when = ctx.happened(on, "--on")
    if text is None and _stdin_is_terminal():  # typed, not piped: an editor as git does, else a prompt
        text = _write_note(ctx, task)
    elif text is None or text == "-":
        try:
            text = sys.stdin.read().removeprefix("\ufeff")  # a file saved with a byte-order mark
        except UnicodeError:
            raise  # main() explains the encoding
        except (OSError, ValueError) as err:  # closed or unreadable standard input
            raise InputError("err.file", detail=Msg("cli.stdin", error=err)) from None
    text = text.strip("\n")
    with ctx.store() as store:
        event = store.add_note(task, text, when)
    _confirm(ctx, event)


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _write_note(ctx: Ctx, task: str) -> str:
    """The note from $VISUAL / $EDITOR (lines starting with # left out, as git does), else a prompt."""
    from ..i18n import t

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return click.prompt(t(ctx.lang, "note.prompt", task=task), default="", show_default=False)
    template = "\n" + "\n".join(f"# {line}" for line in t(ctx.lang, "note.editor_help", task=task).splitlines()) + "\n"
    written = click.edit(template, editor=editor, extension=".txt", require_save=False) or ""
    return "\n".join(line for line in written.splitlines() if not line.startswith("#")).strip()


def _number(value: str) -> float:
    from ..numbers import NumberError, parse_number

    try:
        return parse_number(value)
    except NumberError as err:  # why, in the interface's language: not a number, or out of range
        raise InputError("err.bad_number", detail=err.message) from None


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
    when = ctx.happened(on, "--on")
    with ctx.store() as store:
        event = store.record(task, indicator, number, when, note)
    _confirm(ctx, event)


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
    if clear and (colour or reason is not None or until is not None):  # said, not silently dropped: the clerk meant something by them
        extra = " ".join(x for x in (colour, reason is not None and "--reason", until is not None and "--until") if x)
        raise InputError("err.clear_alone", extra=extra)
    with ctx.store() as store:
        if clear:
            _confirm(ctx, store.clear_override(task, when))
            return
        if colour is None or colour.lower() not in ("red", "amber", "green"):
            raise InputError("err.bad_rag", value=colour or "")
        end = ctx.optional_date(until, "--until")
        if not reason or not reason.strip():
            raise InputError("err.no_reason")
        if on is None and end is not None and end < when:  # the clerk gave no --on: say it is today's date
            raise InputError("err.until_before_today", until=end.isoformat(), on=when.isoformat())
        event = store.set_override(task, Rag(colour.lower()), reason, when, end)
    _confirm(ctx, event)


@cli.command()
@_common
def undo(ctx: Ctx) -> None:
    """Reverse the most recent recorded action (repeat to go further back)."""
    with ctx.store() as store:
        event = store.undo()
    _confirm(ctx, event)


@cli.group()
def review() -> None:
    """Review meetings (双月推进会)."""


@review.command("hold")
@click.option("--on", "on", help="The meeting's date (default today).")
@click.option("--title", default="", help="e.g. 第三次双月推进会")
@_common
def review_hold(ctx: Ctx, on, title) -> None:
    """Record that a review meeting took place."""
    when = ctx.happened(on, "--on")
    with ctx.store(create=True) as store:  # the one write that needs no plan: it may start a database
        event = store.hold_review(when, title)
    _confirm(ctx, event)

