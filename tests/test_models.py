"""models.frozen: the dataclass's own semantics with a quicker __init__."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from supervise.models import Event, Milestone, Task, frozen


def test_frozen_keeps_the_dataclass_semantics():
    m = Milestone("m1", "方案印发", date(2023, 6, 30))
    assert (m.id, m.title, m.due, m.done_on, m.withdrawn) == ("m1", "方案印发", date(2023, 6, 30), None, False)
    assert m == Milestone(id="m1", title="方案印发", due=date(2023, 6, 30))
    assert hash(m) == hash(Milestone("m1", "方案印发", date(2023, 6, 30)))
    assert m != Milestone("m1", "方案印发", date(2023, 6, 30), withdrawn=True)
    assert repr(m) == "Milestone(id='m1', title='方案印发', due=datetime.date(2023, 6, 30), done_on=None, withdrawn=False)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.title = "改了"  # type: ignore[misc]
    assert dataclasses.replace(m, title="新") == Milestone("m1", "新", date(2023, 6, 30))
    with pytest.raises(TypeError):
        Milestone("m1")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Milestone("m1", "t", date(2023, 1, 1), nonsense=1)  # type: ignore[call-arg]


def test_frozen_defaults_are_not_shared_mutably():
    a = Task("p", "1", "t", date(2023, 1, 1), date(2023, 12, 31), ("发改委",))
    b = Task("p", "2", "t", date(2023, 1, 1), date(2023, 12, 31), ("发改委",))
    assert a.milestones == () and a.milestones is b.milestones  # an immutable default, as the dataclass gives it
    assert a.__init__.__qualname__ == "Task.__init__"


def test_a_default_factory_keeps_the_dataclass_init():
    e1 = Event(1, "2023-01-01 00:00:00", "tick", None, None, None, "")
    e2 = Event(2, "2023-01-01 00:00:00", "tick", None, None, None, "")
    assert e1.data == {} and e1.data is not e2.data  # a fresh dict each, from the factory

    @frozen
    class Checked:
        x: int

        def __post_init__(self) -> None:
            if self.x < 0:
                raise ValueError("x")

    assert Checked(2).x == 2
    with pytest.raises(ValueError):
        Checked(-1)


def test_frozen_objects_have_slots_and_no_dict():
    m = Milestone("m1", "t", date(2023, 1, 1))
    assert not hasattr(m, "__dict__")
    with pytest.raises((AttributeError, TypeError)):
        m.other = 1  # type: ignore[attr-defined]
