"""Replaying the past (status-rules.md): status as of D is a pure function of what is dated on or before D.

For random progress histories recorded through the Store against a small plan:
- adding events dated after D leaves every task's colour, reasons and stale flag at D unchanged;
- the order in which the events were recorded does not matter.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from supervise.errors import InputError
from supervise.models import Rag
from supervise.planfile.loader import parse_plans
from supervise.views import statuses
from supervise.db.store import Store

PLAN = """
schema = 1
[office]
name = "测试办公室"
first_review = 2021-02-28
amber_days = 30
stale_days = 60

[[plan]]
id = "p"
title = "测试计划"
start = 2021-01-01
end = 2021-12-31

[[task]]
plan = "p"
id = "1"
title = "有节点的任务"
lead = ["市民政局"]
  [[task.milestone]]
  id = "a"
  title = "出台方案"
  due = 2021-03-31
  [[task.milestone]]
  id = "b"
  title = "完成验收"
  due = 2021-09-30

[[task]]
plan = "p"
id = "2"
title = "有指标和节点的任务"
lead = ["市卫生健康委"]
responsible = ["市民政局"]
start = 2021-02-01
due = 2021-11-30
  [[task.milestone]]
  id = "a"
  title = "摸底调查"
  due = 2021-05-31
  [[task.indicator]]
  id = "beds"
  name = "养老床位"
  unit = "张"
  baseline = 100
  target = 500
  checkpoints = [{ on = 2021-06-30, value = 300 }]
  [[task.indicator]]
  id = "wait"
  name = "平均等待天数"
  unit = "天"
  baseline = 60
  target = 20
  direction = "down"

[[task]]
plan = "p"
id = "3"
title = "没有节点的任务"
lead = ["市财政局"]
due = 2021-08-31

[[task]]
plan = "p"
id = "4"
title = "只有指标的任务"
lead = ["市民政局"]
  [[task.indicator]]
  id = "rate"
  name = "覆盖率"
  unit = "%"
  target = 80
"""

START = date(2021, 1, 1)
TICK_TARGETS = [("p/1", "a"), ("p/1", "b"), ("p/2", "a"), ("p/3", None), ("p/4", None)]
INDICATORS = [("p/2", "beds", 0, 700), ("p/2", "wait", 0, 80), ("p/4", "rate", 0, 100)]
TASKS = ["p/1", "p/2", "p/3", "p/4"]
NOTES = ["已召开协调会", "进展顺利 | 按序时推进", "# 待办\n第二行", "note"]

_template: Path | None = None


def _template_db() -> Path:
    """The plan imported once; every example starts from a copy of this file."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="supervise-replay-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        with Store.open(folder / "template.db") as store:
            store.import_plans(parse_plans(PLAN), START)
        _template = folder / "template.db"
    return _template


def _day(n: int) -> date:
    return START + timedelta(days=n)


# --- strategies -----------------------------------------------------------------------------

days = st.integers(min_value=-20, max_value=380)


@st.composite
def histories(draw, *, clears: bool):
    """A list of actions; each is (effective date, kind, args). Dates repeat freely except where the
    store keeps one row per date (an indicator's value, a tick), which would make the order matter by design."""
    actions = []
    for key, milestone in TICK_TARGETS:
        if draw(st.booleans()):
            on = _day(draw(days))
            note = draw(st.none() | st.sampled_from(NOTES))
            actions.append((on, "tick", (key, milestone, on, note)))
    for key, indicator, lo, hi in INDICATORS:
        for n in draw(st.sets(days, max_size=3)):
            on = _day(n)
            value = draw(st.integers(min_value=lo, max_value=hi))
            actions.append((on, "record", (key, indicator, float(value), on, draw(st.none() | st.just("附说明")))))
    for _ in range(draw(st.integers(0, 4))):
        on = _day(draw(days))
        actions.append((on, "note", (draw(st.sampled_from(TASKS)), draw(st.sampled_from(NOTES)), on)))
    for key in TASKS:
        starts = sorted(draw(st.sets(days, max_size=2)))
        for n in starts:
            on = _day(n)
            until = draw(st.none() | st.integers(0, 60).map(lambda k, on=on: on + timedelta(days=k)))
            rag = draw(st.sampled_from([Rag.RED, Rag.AMBER, Rag.GREEN]))
            actions.append((on, "override", (key, rag, f"理由 {n}", on, until)))
        if clears and starts and draw(st.booleans()):
            n = draw(st.sampled_from(starts)) + draw(st.integers(1, 40))
            if n not in starts:  # a clear and an override on one day: the later recorded wins, by design
                actions.append((_day(n), "clear", (key, _day(n))))
    return actions


def _apply(db: Path, actions) -> list:
    """Record the actions in this order; returns the clears refused (no override in force on their day yet)."""
    refused = []
    with Store.open(db) as store:
        store.conn.execute("PRAGMA synchronous = OFF")  # durability is not under test here; speed is welcome
        for _, kind, args in actions:
            write = {"tick": store.tick, "record": store.record, "note": store.add_note,
                     "override": store.set_override, "clear": store.clear_override}[kind]
            try:
                write(*args)
            except InputError as err:  # a clear with no override in force on its day: refused, nothing written
                assert kind == "clear", err
                refused.append(args)
    return refused


def _status_at(db: Path, as_of: date):
    with Store.open(db) as store:
        snap = store.snapshot()
    return [(s.key, s.rag, s.reasons, s.stale) for s in statuses(snap, as_of)]


def _fresh(folder: Path, name: str) -> Path:
    db = folder / name
    shutil.copyfile(_template_db(), db)
    return db


FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@FAST
@given(history=histories(clears=True), as_of=days.map(_day), data=st.data())
def test_events_dated_after_D_do_not_change_status_as_of_D(history, as_of, data):
    recorded = data.draw(st.permutations(history))
    dated_by_d = [a for a in recorded if a[0] <= as_of]
    with tempfile.TemporaryDirectory() as tmp:
        only_past, everything = _fresh(Path(tmp), "past.db"), _fresh(Path(tmp), "all.db")
        _apply(only_past, dated_by_d)
        _apply(everything, recorded)  # the later events interleaved with the earlier ones
        assert _status_at(everything, as_of) == _status_at(only_past, as_of)


@FAST
@given(history=histories(clears=True), data=st.data())
def test_status_does_not_depend_on_the_order_events_were_recorded(history, data):
    one, other = data.draw(st.permutations(history)), data.draw(st.permutations(history))
    as_ofs = sorted({_day(n) for n in data.draw(st.lists(days, min_size=1, max_size=4))} | {a[0] for a in history[:3]})
    with tempfile.TemporaryDirectory() as tmp:
        a, b = _fresh(Path(tmp), "a.db"), _fresh(Path(tmp), "b.db")
        refused = _apply(a, one) + _apply(b, other)
        assume(not refused)  # a clear typed before the override it ends is refused: then the histories differ
        for as_of in as_ofs:
            assert _status_at(a, as_of) == _status_at(b, as_of), as_of
