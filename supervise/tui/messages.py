"""What widgets and screens ask for: the app alone turns these into store writes.

Widgets never touch the database; they post one of these and receive fresh
model objects back once the write has been committed and the data reloaded.
`Written` is the app's own: a write worker's answer, carried to the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.message import Message

from ..models import Rag


@dataclass
class MilestoneTicked(Message):
    """Mark a milestone done; `milestone` None: the task's next open milestone, or the task itself."""

    task: str
    milestone: str | None
    on: date


@dataclass
class NoteAdded(Message):
    task: str
    text: str
    on: date


@dataclass
class ValueRecorded(Message):
    task: str
    indicator: str
    value: float
    on: date


@dataclass
class OverrideSet(Message):
    task: str
    rag: Rag
    reason: str
    on: date
    until: date | None = None


@dataclass
class OverrideCleared(Message):
    task: str
    on: date


@dataclass
class ShowTask(Message):
    """Go to the board with this task selected (from review, timeline, departments)."""

    task: str


@dataclass
class ShowUnit(Message):
    """Go to the board filtered to the tasks this unit leads (if it leads none: those it shares in)."""

    unit: str


@dataclass
class Written(Message):
    """A write worker is done: `outcome` is what the store returned, or the exception it raised."""

    job: Any  # app.Write
    outcome: Any
