"""Each filter of TaskStatuses in one line, over a small fixed office."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervise.models import Milestone, Note, Office, Rag, Snapshot, Task
from supervise.views import statuses

D = date(2021, 6, 30)


def _task(plan, id, title, lead, responsible=(), due=D + timedelta(100), done=None, notes=(), withdrawn=False,
          start=D - timedelta(10), milestones=()):
    return Task(plan=plan, id=id, title=title, start=start, due=due, lead=tuple(lead), responsible=tuple(responsible),
                section="（一）居家", done_on=done, withdrawn=withdrawn, milestones=tuple(milestones),
                notes=tuple(Note(n, D - timedelta(1), text) for n, text in enumerate(notes)))


TASKS = (
    _task("sy", "1.1", "切实提高家庭自我照护能力", ["市民政局"], ["市卫生健康委"], due=D - timedelta(3)),  # red
    _task("sy", "1.2", "扎实推进政府购买居家养老服务", ["市民政局"], due=D + timedelta(10)),  # amber
    _task("sy", "1.3", "积极发展农村互助性养老服务", ["市财政局"], ["市民政局"],
          notes=["已召开 Coordination 会议"]),  # green
    _task("nb", "2.1", "Home Care Pilot", ["市卫生健康委"], ["市财政局"], done=D - timedelta(1)),  # done
    _task("nb", "2.2", "养老机构消防改造", ["市民政局"], start=D - timedelta(200),
          milestones=[Milestone("a", "完成改造", D + timedelta(20))]),  # amber, stale
    _task("nb", "2.3", "已撤销的任务", ["市民政局"], due=D - timedelta(30), withdrawn=True),
)
VIEW = statuses(Snapshot(office=Office(), plans=(), tasks=TASKS), D)


def keys(view) -> list[str]:
    return view.keys()


def test_with_rag():
    assert keys(VIEW.with_rag(Rag.RED)) == ["sy/1.1"]
    assert keys(VIEW.with_rag("amber", "done")) == ["sy/1.2", "nb/2.1", "nb/2.2"]
    assert keys(VIEW.with_rag("withdrawn")) == ["nb/2.3"]


def test_led_by():
    assert keys(VIEW.led_by("市财政局")) == ["sy/1.3"]


def test_in_plan():
    assert keys(VIEW.in_plan("nb").live()) == ["nb/2.1", "nb/2.2"]


def test_due_before():
    assert keys(VIEW.due_before(D + timedelta(10))) == ["sy/1.1", "sy/1.2", "nb/2.3"]


def test_stale():
    assert keys(VIEW.stale()) == ["nb/2.2"]


def test_matching_chinese():
    assert keys(VIEW.matching("居家养老")) == ["sy/1.2"]


def test_matching_is_case_folded_and_searches_notes_units_and_milestones():
    assert (keys(VIEW.matching("home care")), keys(VIEW.matching("coordination")),
            keys(VIEW.matching("卫生健康委")), keys(VIEW.matching("完成改造"))) == (
        ["nb/2.1"], ["sy/1.3"], ["sy/1.1", "nb/2.1"], ["nb/2.2"])


def test_matching_blank_keeps_everything():
    assert len(VIEW.matching("  ")) == len(VIEW)


def test_involving():
    assert keys(VIEW.involving("市财政局")) == ["sy/1.3", "nb/2.1"]


def test_only_responsible():
    assert keys(VIEW.only_responsible("市民政局")) == ["sy/1.3"]


def test_live_and_withdrawn():
    assert (len(VIEW.live()), keys(VIEW.withdrawn())) == (5, ["nb/2.3"])


def test_filters_chain_and_return_new_views():
    chained = VIEW.live().led_by("市民政局").with_rag("amber", "red").due_before(D + timedelta(15))
    assert keys(chained) == ["sy/1.1", "sy/1.2"] and len(VIEW) == 6


def test_sorted_by_rag_puts_red_first():
    assert keys(VIEW.live().sorted_by_rag()) == ["sy/1.1", "sy/1.2", "nb/2.2", "sy/1.3", "nb/2.1"]


@pytest.mark.parametrize("unit, expected", [("市民政局", ["sy/1.1", "sy/1.2", "nb/2.2"]), ("nobody", [])])
def test_led_by_ignores_withdrawn_only_via_live(unit, expected):
    assert keys(VIEW.live().led_by(unit)) == expected
