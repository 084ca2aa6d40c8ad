"""`supervise show TASK`: everything about one task on one page — what the plan says, its colour
and reasons, milestones, indicators with each value, notes, overrides and its history.

At a terminal long lines wrap at its width; to a file or a pipe nothing is cut (terminal.layout_width).
User text is shown literally (terminal.safe, rich.text.Text).
"""

from __future__ import annotations

import json

import click

from ..i18n import joined, labelled, rag_word, t
from .base import Ctx, _common, cli


@cli.command()
@click.argument("task_ref", metavar="TASK")
@click.option("--as-of", "as_of", help="Status as of this date (default today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_common
def show(ctx: Ctx, task_ref, as_of, fmt) -> None:
    """Everything about one task: items, values, notes, overrides, history."""
    when = ctx.date(as_of, "--as-of")
    from ..status import task_status
    from .terminal import fold_undos

    with ctx.store() as store:
        key, _ = store.resolve_task(task_ref)
        task = store.task(key)
        status = task_status(task, when, store.office())
        plan_title = store.plan_title(task.plan)
        events = store.events(task=key)
        names = store.item_names(key)
        if fmt == "json":
            click.echo(json.dumps(show_dict(status, ctx.lang, plan_title, events, names), ensure_ascii=False, indent=2))
            return
        events = fold_undos(events, store.events_by_id)
    print_task(status, ctx.lang, plan_title, events, names)


def show_dict(s, lang: str, plan_title: str, events, names: dict[str, str]) -> dict:
    """`status --format json`'s entry for the task (formats.task_dict), with what only `show` has."""
    from ..formats import _iso, num, task_dict
    from ..status import amount

    task = s.task
    doc = {"as_of": s.as_of.isoformat(), **task_dict(s, lang)}
    doc.update({"plan_title": plan_title, "start": task.start.isoformat(), "detail": task.detail, "tags": list(task.tags)})
    for entry, st in zip(doc["indicators"], s.indicators):
        entry["expected_words"] = amount(st.indicator, st.expected)
        entry["values"] = [{"on": m.on.isoformat(), "value": num(m.value), "note": m.note} for m in st.indicator.values]
    doc["notes"] = [{"on": n.on.isoformat(), "text": n.text} for n in task.notes]
    doc["overrides"] = [{"rag": o.rag.value, "reason": o.reason, "from": _iso(o.start), "until": _iso(o.until),
                         "cleared_on": _iso(o.cleared_on)} for o in task.overrides]
    doc["history"] = [{"id": e.id, "recorded_at": e.at, "kind": e.kind, "item": e.item, "item_name": names.get(e.item or ""),
                       "on": _iso(e.on), "summary": e.summary, "undone": e.undone, "undone_by": e.undone_by}
                      for e in events]
    return doc


class _Page:
    """Lines of text, each wrapped at the width (if there is one) under its own indent."""

    def __init__(self, out, width: int | None):
        self.out, self.width, self.parts = out, width, []

    def line(self, text: str, *, indent: int = 0, hang: int = 0, style: str | None = None, lead=None) -> None:
        """`lead`: a styled (text, style) put before the text on its first line (its width counted)."""
        from .terminal import _width, _wrap, safe

        text = safe(text)
        pad = " " * indent
        first = _width(lead[0]) + 1 if lead else 0
        if self.width is None:
            lines = [text]
        else:
            room = max(10, self.width - indent - hang)
            lines = _wrap(text, max(10, self.width - indent - first))
            if len(lines) > 1:  # what does not fit on the first line wraps under the hang
                rest = text[len(lines[0]):].lstrip()
                lines = [lines[0], *_wrap(rest, room)]
        for n, piece in enumerate(lines):
            if n == 0:
                self.parts.append(pad)
                if lead:
                    self.parts += [lead, " "]
            else:
                self.parts.append(" " * (indent + hang))
            self.parts.append((piece, style) if style else piece)
            self.parts.append("\n")

    def heading(self, text: str) -> None:
        self.parts += ["\n", (text, "bold"), "\n"]

    def flush(self) -> None:
        from rich.text import Text  # here: the cron path (status --format json) never loads Rich

        self.out.print(Text.assemble(*self.parts, end=""), crop=False, overflow="ignore", no_wrap=True, end="")
        self.parts = []


def print_task(s, lang: str, plan_title: str, events, names: dict[str, str], out=None) -> None:
    from ..formats import shown
    from ..status import amount
    from .terminal import STYLE, SYMBOL, console, layout_width, print_log

    out = out or console()
    page = _Page(out, layout_width(out))
    task = s.task
    page.line(f"{task.key}  {task.title}", style="bold", hang=len(task.key) + 2)
    if task.withdrawn:
        page.line(t(lang, "show.withdrawn"), style="dim")
    facts = [(t(lang, "col.plan"), f"{task.plan}  {plan_title}".rstrip()),
             (t(lang, "col.section"), task.section),
             (t(lang, "col.lead"), "、".join(task.lead)),
             (t(lang, "col.responsible"), "、".join(task.responsible)),
             (t(lang, "show.start"), task.start.isoformat()),
             (t(lang, "col.due"), task.due.isoformat()),
             (t(lang, "col.next_due"), s.next_due.isoformat() if s.next_due else "—"),
             (t(lang, "show.tags"), "、".join(task.tags)),
             (t(lang, "show.detail"), task.detail)]
    from .terminal import _width

    for label, value in facts:
        if value:
            head = labelled(label, "", lang)
            page.line(head + value, hang=min(_width(head), 12))  # wrapped under the value (cells: 具体内容： is 10)

    page.heading(t(lang, "show.status", on=s.as_of.isoformat()))
    rag = "withdrawn" if task.withdrawn else s.rag.value
    flags = []
    if s.overridden:
        flags.append("⚑ " + t(lang, "show.overridden", rag=rag_word(lang, s.computed.value)))
    if s.stale:
        flags.append("⏸ " + (t(lang, "show.stale_since", on=s.last_progress.isoformat()) if s.last_progress
                             else t(lang, "show.stale_never")))
    page.line(joined(flags, lang), indent=2, lead=(f"{SYMBOL[rag]} {rag_word(lang, rag)}", STYLE[rag]))
    for reason in s.reason_words(lang):
        page.line(f"- {reason}", indent=2, hang=2)

    page.heading(t(lang, "show.milestones"))
    if not s.milestones:
        page.line(t(lang, "show.none"), indent=2, style="dim")
    for ms in s.milestones:
        m = ms.milestone
        state = t(lang, "show.done_on", on=m.done_on.isoformat()) if m.done_on and m.done_on <= s.as_of else t(lang, "show.open")
        page.line(f"{m.id}  {m.title} · {t(lang, 'show.due', on=m.due.isoformat())} · {state} · {ms.reason.words(lang)}",
                  indent=2, hang=len(m.id) + 2, lead=(f"{SYMBOL[ms.rag.value]} {rag_word(lang, ms.rag.value)}", STYLE[ms.rag.value]))

    page.heading(t(lang, "show.indicators"))
    if not s.indicators:
        page.line(t(lang, "show.none"), indent=2, style="dim")
    for st in s.indicators:
        i = st.indicator
        unit = i.unit
        page.line(f"{i.id}  {i.name}", indent=2, hang=len(i.id) + 2,
                  lead=(f"{SYMBOL[st.rag.value]} {rag_word(lang, st.rag.value)}", STYLE[st.rag.value]))
        words = [t(lang, "show.target_down" if i.direction == "down" else "show.target", target=shown(i.target),
                   unit=unit, due=i.due.isoformat(), baseline=shown(i.baseline))]
        words.append(t(lang, "show.latest", value=shown(st.value), unit=unit, on=st.measured_on.isoformat())
                     if st.value is not None else t(lang, "show.no_value"))
        words.append(t(lang, "show.expected", value=amount(i, st.expected), unit=unit))
        if abs(st.lag) >= 0.05:
            words.append(t(lang, "show.behind" if st.lag > 0 else "show.ahead", points=f"{abs(st.lag):.1f}"))
        words.append(st.reason.words(lang))
        page.line(" · ".join(words), indent=6)
        for m in i.values:
            page.line(f"{m.on.isoformat()}  {shown(m.value)}{unit}" + (f"  {m.note}" if m.note else ""), indent=6, hang=12)

    page.heading(t(lang, "show.notes"))
    if not task.notes:
        page.line(t(lang, "show.none"), indent=2, style="dim")
    for n in task.notes:
        for k, piece in enumerate(n.text.splitlines() or [""]):
            page.line((n.on.isoformat() + "  " if k == 0 else " " * 12) + piece, indent=2, hang=12)

    page.heading(t(lang, "show.overrides"))
    if not task.overrides:
        page.line(t(lang, "show.none"), indent=2, style="dim")
    for o in task.overrides:
        span = [t(lang, "show.override_from", on=o.start.isoformat())]
        if o.until:
            span.append(t(lang, "show.override_until", on=o.until.isoformat()))
        if o.cleared_on:
            span.append(t(lang, "show.override_cleared", on=o.cleared_on.isoformat()))
        page.line(f"{' '.join(span)}: {o.reason}", indent=2, hang=4,
                  lead=(f"{SYMBOL[o.rag.value]} {rag_word(lang, o.rag.value)}", STYLE[o.rag.value]))

    page.heading(t(lang, "show.history"))
    page.flush()
    print_log(events, "table", lang, out, names=names)
