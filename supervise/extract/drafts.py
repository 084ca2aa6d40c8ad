"""What the extractor drafts: plans and tasks before they are written as TOML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .targets import Quantity


CHECK = "待核实"


class ExtractError(ValueError):
    """The document cannot be read or holds no tasks; the message names the file where known."""


@dataclass(frozen=True)
class ExtractSummary:
    tasks: int
    units: int          # distinct unit names read from the document
    dates: int          # date phrases read from task text
    indicators: int
    unsure: int         # lines marked # 待核实
    plans: int = 0
    milestones: int = 0
    no_lead: int = 0    # tasks whose document names no lead: left out, so `check` names them

    def describe(self, lang: str = "en") -> str:
        if lang.startswith("zh"):
            return (f"识别计划 {self.plans} 个、任务 {self.tasks} 项、单位 {self.units} 个、日期 {self.dates} 处、"
                    f"节点 {self.milestones} 个、指标 {self.indicators} 个；{self.unsure} 处标有“# 待核实”，请逐一核对。"
                    + (f"其中 {self.no_lead} 项任务原文未写牵头单位，已留空，补上后才能通过 check。" if self.no_lead else ""))
        return (f"found {self.plans} plans, {self.tasks} tasks, {self.units} units, {self.dates} dates, "
                f"{self.milestones} milestones, {self.indicators} indicators; "
                f"{self.unsure} lines marked '# {CHECK}' need checking"
                + (f"; {self.no_lead} tasks name no lead in the text: left out, fill them in before check passes"
                   if self.no_lead else ""))


@dataclass
class PlanDraft:
    id: str
    title: str
    start: date
    end: date
    doc_number: str = ""
    issued_by: str = ""
    issued: date | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)   # (key, why it is 待核实)
    tasks: list[TaskDraft] = field(default_factory=list)
    parent: PlanDraft | None = None
    first_leads: bool = False   # the document says its first-listed unit leads

    @property
    def no_period(self) -> bool:
        """The document names no year at all: start and end are left out of the draft."""
        return self.start.year == 1

    @property
    def single_year(self) -> bool:
        return self.start.year == self.end.year


# =============================================================================================
# Tasks
# =============================================================================================

@dataclass
class Indicator:
    q: Quantity
    due: str | None
    due_check: str
    source: str


@dataclass
class TaskDraft:
    id: str
    section: str
    title: str
    detail: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    units_check: str
    due: str | date
    due_note: str
    due_check: str
    title_check: str = ""
    milestones: list[tuple[str, str, str]] = field(default_factory=list)   # (title, due, check)
    indicators: list[Indicator] = field(default_factory=list)
    dates_found: int = 0
    units_found: bool = False
    text: str = ""
    source: str = ""        # the task's first line as written, quoted where a value is left out
    lead_hint: str = ""     # a suggestion for a lead the text does not give (a comment, never data)
    carry: tuple[str, ...] = ()   # units a "下同" rule in this task's bracket adds to the later tasks
    carry_text: str = ""


