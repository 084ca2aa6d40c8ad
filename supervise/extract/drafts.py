"""What the extractor drafts: plans and tasks before they are written as TOML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..i18n import Msg, t
from .targets import Quantity


CHECK = "待核实"


class ExtractError(ValueError):
    """The document cannot be read or holds no tasks; the message names the file where known.
    It is a catalogue key with parameters (`message`, an i18n.Msg): str() is its English."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.message = Msg(key, **params)
        super().__init__(str(self.message))


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
        lang = "zh" if lang.startswith("zh") else "en"
        no_lead = t(lang, "draft.summary.no_lead", n=self.no_lead) if self.no_lead else ""
        return t(lang, "draft.summary", plans=self.plans, tasks=self.tasks, units=self.units, dates=self.dates,
                 milestones=self.milestones, indicators=self.indicators, unsure=self.unsure, check=CHECK,
                 no_lead=no_lead)


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


