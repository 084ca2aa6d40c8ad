"""The selected task in full: text, units, milestone checklist, indicators, notes, override.

The milestone checklist is focusable so that `space` can tick the milestone the
clerk picked; everything else is plain Text built from the model objects.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import labelled, t
from ..models import Rag
from ..status import TaskStatus, amount
from . import fmt


class MilestoneList(OptionList):
    """The checklist: ☑ done, ☐ open, each with its due date and colour."""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.ids: list[str] = []

    def show(self, status: TaskStatus | None) -> None:
        keep = self.highlighted
        self.clear_options()
        self.ids = []
        if status is None:
            return
        for m in status.milestones:
            done = m.rag == Rag.DONE
            prompt = Text(end="")
            prompt.append("☑ " if done else "☐ ", style="bold")
            prompt.append_text(fmt.chip(self.lang, m.rag.value))
            prompt.append(f" {fmt.iso(m.milestone.due)} ", style="red" if m.rag == Rag.RED else "")
            prompt.append_text(fmt.plain(m.milestone.title, "dim" if done else ""))
            if done and m.milestone.done_on:
                prompt.append(" " + t(self.lang, "ui.detail.done_on", on=m.milestone.done_on.isoformat()), style="dim")
            self.add_option(Option(prompt, id=m.milestone.id))
            self.ids.append(m.milestone.id)
        self.display = bool(self.ids)
        if keep is not None and self.ids:
            self.highlighted = min(keep, len(self.ids) - 1)

    @property
    def selected(self) -> str | None:
        """The milestone the clerk picked: the highlighted one while the list has focus."""
        if self.has_focus and self.highlighted is not None and self.highlighted < len(self.ids):
            return self.ids[self.highlighted]
        return None


class DetailPane(VerticalScroll):
    """Everything about one task, refreshed from a fresh TaskStatus after every change."""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang
        self.status: TaskStatus | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head")
        yield Static(id="detail-milestones-label", classes="detail-label")
        yield MilestoneList(self.lang, id="detail-milestones")
        yield Static(id="detail-rest")

    def show(self, status: TaskStatus | None) -> None:
        self.status = status
        lang = self.lang
        head = self.query_one("#detail-head", Static)
        label = self.query_one("#detail-milestones-label", Static)
        rest = self.query_one("#detail-rest", Static)
        milestones = self.query_one(MilestoneList)
        if status is None:
            head.update(Text(t(lang, "ui.detail.none"), style="dim"))
            label.update("")
            rest.update("")
            milestones.show(None)
            milestones.display = label.display = False
            return
        head.update(self._head(status))
        label.update(Text(t(lang, "ui.detail.milestones", n=len(status.milestones)), style="bold"))
        label.display = bool(status.milestones)
        milestones.show(status)
        rest.update(self._rest(status))

    def _head(self, s: TaskStatus) -> Text:
        lang, task = self.lang, s.task
        out = Text(end="")
        out.append_text(fmt.chip(lang, fmt.rag_key(s)))
        out.append(" ")
        out.append(fmt.clean(s.key, one_line=True), style="bold")
        out.append(" ")
        out.append(fmt.clean(task.title, one_line=True), style="bold")
        if s.overridden:
            out.append(" ⚑", style="bold")
        if s.stale:
            out.append(" ⏸ " + t(lang, "ui.stale"), style="bold")
        if s.reminders and s.awaiting_reply:
            out.append(" ✉! " + t(lang, "ui.notice.overdue") if s.reply_overdue else " ✉ " + t(lang, "ui.notice.awaiting"),
                       style="bold")
        out.append("\n")
        out.append(fmt.clean(fmt.reasons(s, lang), one_line=True), style="italic")
        if task.section:
            out.append("\n" + self._field("col.section"), style="dim")
            out.append(fmt.clean(task.section, one_line=True))
        out.append("\n" + self._field("col.due") + fmt.iso(task.due) + "   " + self._field("col.next_due") + fmt.iso(s.next_due))
        if task.detail:
            out.append("\n\n")
            out.append(fmt.clean(task.detail))
        out.append("\n\n")
        out.append(self._field("col.lead"), style="bold")
        out.append(fmt.clean(fmt.units(task.lead), one_line=True))
        if task.responsible:
            out.append("\n")
            out.append(self._field("col.responsible"), style="bold")
            out.append(fmt.clean(fmt.units(task.responsible), one_line=True))
        if task.tags:
            out.append("\n" + self._field("ui.detail.tags"), style="dim")
            out.append(fmt.clean(" ".join(task.tags), one_line=True), style="dim")
        for r in s.reminders:  # the notices issued on or before the date viewed, with their answers
            out.append("\n✉ " + t(lang, "ui.notice.line", number=r.reminder.number, issued=fmt.iso(r.reminder.issued_on),
                                    reply_by=fmt.iso(r.reminder.reply_by)))
            if r.answered_on is not None:
                out.append(" " + t(lang, "ui.notice.answered", on=fmt.iso(r.answered_on)))
            elif r.overdue_days:
                out.append(" " + t(lang, "ui.notice.overdue_days", days=r.overdue_days), style="bold")
            else:
                out.append(" " + t(lang, "ui.notice.awaiting"))
        return out

    def _field(self, key: str) -> str:
        return labelled(t(self.lang, key), "", self.lang)

    def _rest(self, s: TaskStatus) -> Text:
        lang = self.lang
        out = Text(end="")
        if s.indicators:
            out.append(t(lang, "ui.detail.indicators", n=len(s.indicators)) + "\n", style="bold")
            for i in s.indicators:
                ind = i.indicator
                out.append_text(fmt.chip(lang, i.rag.value))
                out.append(" ")
                out.append(fmt.clean(ind.name, one_line=True))
                out.append("\n    ")
                unit = fmt.clean(ind.unit, one_line=True)
                if i.value is None:
                    out.append(t(lang, "ui.detail.no_value") + " · ", style="dim")
                else:
                    out.append(t(lang, "ui.detail.value", value=fmt.num(i.value), unit=unit,
                                 on=fmt.iso(i.measured_on)) + " · ")
                out.append(t(lang, "ui.detail.expected", value=amount(ind, i.expected), unit=unit) + " · ")
                out.append(t(lang, "ui.detail.target", value=fmt.num(ind.target), unit=unit, due=fmt.iso(ind.due)))
                out.append("\n    ")
                out.append_text(fmt.bar(i.progress, 20, style=fmt.BAR_STYLE[i.rag.value]))
                out.append("  ")
                out.append(fmt.clean(i.reason.words(lang), one_line=True), style="italic")
                out.append("\n")
            out.append("\n")
        notes = [n for n in reversed(s.task.notes)]
        out.append(t(lang, "ui.detail.notes", n=len(notes)) + "\n", style="bold")
        if not notes:
            out.append(t(lang, "ui.detail.no_notes") + "\n", style="dim")
        for n in notes:
            future = n.on > s.as_of
            out.append(n.on.isoformat(), style="bold dim" if future else "bold")
            out.append("  ")
            out.append(fmt.clean(n.text), style="dim" if future else "")
            out.append("\n")
        override = s.override
        latest = s.task.overrides[-1] if s.task.overrides else None
        out.append("\n" + t(lang, "ui.detail.override") + "\n", style="bold")
        if override is not None:
            out.append("⚑ ")
            out.append_text(fmt.chip(lang, override.rag.value))
            span = t(lang, "ui.detail.override_span", start=override.start.isoformat(),
                     until=fmt.iso(override.until))
            out.append(" " + span + "\n")
            out.append(labelled(t(lang, "col.reason"), "", lang), style="bold")
            out.append(fmt.clean(override.reason))
            out.append("\n" + t(lang, "ui.detail.computed") + " ")
            out.append_text(fmt.chip(lang, s.computed.value))
        elif latest is not None:
            out.append(t(lang, "ui.detail.override_none_active"), style="dim")
        else:
            out.append(t(lang, "ui.detail.override_none"), style="dim")
        return out

    @property
    def selected_milestone(self) -> str | None:
        return self.query_one(MilestoneList).selected
