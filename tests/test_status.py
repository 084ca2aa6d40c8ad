"""The status rules (shared/spec/status-rules.md), branch by branch, boundaries included.

Pure: every test builds model objects and calls the engine; nothing touches the store.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervise.models import (
    Checkpoint,
    Indicator,
    Measurement,
    Milestone,
    Note,
    Office,
    Override,
    Rag,
    Review,
    Snapshot,
    Task,
)
from supervise.reviews import next_review, previous_review
from supervise.status import (
    expected_value,
    indicator_status,
    milestone_status,
    task_status,
)
from supervise.views import statuses

OFFICE = Office(amber_days=30, stale_days=60, lag_amber=10, lag_red=30)
D = date(2021, 6, 30)  # the as-of date most cases use
START = date(2021, 1, 1)


def day(n: int) -> date:
    """START + n days: with a 100-day indicator, day n is n% of the schedule."""
    return START + timedelta(days=n)


def ms(due: date, done: date | None = None, id: str = "a", title: str = "出台实施方案", withdrawn: bool = False) -> Milestone:
    return Milestone(id=id, title=title, due=due, done_on=done, withdrawn=withdrawn)


def ind(values=(), *, baseline=0.0, target=100.0, due=None, direction="up", checkpoints=(), id="beds",
        name="养老床位", withdrawn=False) -> Indicator:
    return Indicator(id=id, name=name, unit="张", baseline=baseline, target=target, due=due or day(100),
                     direction=direction, checkpoints=tuple(Checkpoint(d, v) for d, v in checkpoints),
                     values=tuple(Measurement(d, v) for d, v in values), withdrawn=withdrawn)


def task(*, milestones=(), indicators=(), due=date(2021, 12, 31), start=START, done=None, notes=(), overrides=(),
         lead=("市民政局",), responsible=(), plan="sy-2021", id="1.1", section="（一）居家", withdrawn=False) -> Task:
    return Task(plan=plan, id=id, title="切实提高家庭自我照护能力", start=start, due=due, lead=tuple(lead),
                responsible=tuple(responsible), section=section, milestones=tuple(milestones),
                indicators=tuple(indicators), done_on=done, notes=tuple(notes), overrides=tuple(overrides),
                withdrawn=withdrawn)


def ov(rag: str, start: date, until: date | None = None, cleared: date | None = None, id: int = 1,
       reason: str = "专项督查") -> Override:
    return Override(id=id, rag=Rag(rag), reason=reason, start=start, until=until, cleared_on=cleared)


# --- milestones (and a task with no items) ------------------------------------------------

MILESTONE_CASES = [
    # due, done_on, rag, English reason, Chinese reason
    pytest.param(D, None, Rag.AMBER, "due today", "今天到期", id="due-today"),
    pytest.param(D + timedelta(1), None, Rag.AMBER, "due in 1 day", "1 天后到期", id="due-tomorrow"),
    pytest.param(D + timedelta(30), None, Rag.AMBER, "due in 30 days", "30 天后到期", id="due-in-amber_days"),
    pytest.param(D + timedelta(31), None, Rag.GREEN, "due in 31 days", "31 天后到期", id="due-in-amber_days+1"),
    pytest.param(D - timedelta(1), None, Rag.RED, "overdue 1 day", "逾期 1 天", id="overdue-1"),
    pytest.param(D - timedelta(12), None, Rag.RED, "overdue 12 days", "逾期 12 天", id="overdue-12"),
    pytest.param(D + timedelta(5), D, Rag.DONE, "done on 2021-06-30", "已于 2021-06-30 完成", id="done-on-D"),
    pytest.param(D - timedelta(40), D - timedelta(3), Rag.DONE, "done on 2021-06-27", "已于 2021-06-27 完成",
                 id="done-late-but-before-D"),
    pytest.param(D - timedelta(1), D + timedelta(1), Rag.RED, "overdue 1 day", "逾期 1 天", id="done-after-D-overdue"),
    pytest.param(D + timedelta(90), D + timedelta(1), Rag.GREEN, "due in 90 days", "90 天后到期",
                 id="done-after-D-not-yet-due"),
]


@pytest.mark.parametrize("due, done, rag, en, zh", MILESTONE_CASES)
def test_milestone_rule(due, done, rag, en, zh):
    s = milestone_status(ms(due, done), D, OFFICE)
    assert (s.rag, s.reason.words("en"), s.reason.words("zh")) == (rag, en, zh)


@pytest.mark.parametrize("due, done, rag, en, zh", MILESTONE_CASES)
def test_task_without_items_follows_the_milestone_rule_on_its_own_due(due, done, rag, en, zh):
    s = task_status(task(due=due, done=done), D, OFFICE)
    assert (s.rag, s.reason_words("en"), s.reason_words("zh")) == (rag, [en], [zh])


def test_amber_days_comes_from_the_office():
    office = Office(amber_days=7)
    assert milestone_status(ms(D + timedelta(7)), D, office).rag == Rag.AMBER
    assert milestone_status(ms(D + timedelta(8)), D, office).rag == Rag.GREEN


def test_withdrawn_milestone_is_ignored():
    s = task_status(task(milestones=[ms(D - timedelta(5), id="old", withdrawn=True), ms(D + timedelta(60), id="b")]),
                    D, OFFICE)
    assert s.rag == Rag.GREEN and [m.milestone.id for m in s.milestones] == ["b"]


# --- indicators -----------------------------------------------------------------------------
# baseline 0, target 100, start day 0, due day 100: expected(day n) = n, so lag = n - value.

INDICATOR_CASES = [
    # as-of day, values [(day, value)], rag, expected lag
    pytest.param(50, [(50, 50)], Rag.GREEN, 0, id="on-schedule"),
    pytest.param(50, [(50, 40)], Rag.AMBER, 10, id="lag-exactly-10"),
    pytest.param(50, [(50, 40.001)], Rag.GREEN, 9.999, id="lag-just-under-10"),
    pytest.param(50, [(50, 20)], Rag.AMBER, 30, id="lag-exactly-30"),
    pytest.param(50, [(50, 19.999)], Rag.RED, 30.001, id="lag-just-over-30"),
    pytest.param(50, [(50, 80)], Rag.GREEN, -30, id="ahead-of-schedule"),
    pytest.param(50, [(10, 45), (40, 20)], Rag.AMBER, 30, id="latest-value-wins-even-if-lower"),
    pytest.param(50, [(50, 20), (51, 100)], Rag.AMBER, 30, id="value-after-D-ignored"),
    pytest.param(50, [(30, 100)], Rag.DONE, -50, id="target-met"),
    pytest.param(50, [(30, 120)], Rag.DONE, -70, id="target-exceeded"),
    pytest.param(100, [(100, 95)], Rag.GREEN, 5, id="on-due-date-not-met-judged-by-lag"),
    pytest.param(101, [(100, 95)], Rag.RED, 5, id="D-after-due-not-met"),
    pytest.param(101, [(101, 100)], Rag.DONE, 0, id="D-after-due-met"),
    pytest.param(-10, [], Rag.GREEN, 0, id="before-start-expected-is-baseline"),
]


@pytest.mark.parametrize("as_of, values, rag, lag", INDICATOR_CASES)
def test_indicator_rule(as_of, values, rag, lag):
    s = indicator_status(ind([(day(d), v) for d, v in values]), START, day(as_of), OFFICE)
    assert s.rag == rag
    assert s.lag == pytest.approx(lag, abs=1e-6)


def test_lag_boundaries_survive_float_rounding():
    # (0.5 - 0.4) * 100 is 9.999999999999998 in floating point: the rule still sees exactly 10
    s = indicator_status(ind([(day(50), 40)]), START, day(50), OFFICE)
    assert s.lag == 10 and s.rag == Rag.AMBER


def test_lag_thresholds_come_from_the_office():
    office = Office(lag_amber=5, lag_red=15)
    assert indicator_status(ind([(day(50), 45.5)]), START, day(50), office).rag == Rag.GREEN
    assert indicator_status(ind([(day(50), 45)]), START, day(50), office).rag == Rag.AMBER
    assert indicator_status(ind([(day(50), 35)]), START, day(50), office).rag == Rag.AMBER
    assert indicator_status(ind([(day(50), 34.9)]), START, day(50), office).rag == Rag.RED


def test_pace_reason_names_both_figures_in_both_languages():
    s = indicator_status(ind([(day(52), 35)]), START, day(52), OFFICE)
    assert s.rag == Rag.AMBER and s.lag == pytest.approx(17)
    assert s.reason.words("zh") == "完成 35%，序时应完成 52%"
    assert s.reason.words("en") == "35% done, 52% due by now"


@pytest.mark.parametrize(("value", "rag", "words"), [
    (19.99, Rag.RED, "19.99% done, 50% due by now"),    # 30.01 points: "20% … 50%" would read as the amber limit
    (20, Rag.AMBER, "20% done, 50% due by now"),        # exactly 30 points
    (40.01, Rag.GREEN, "40.01% done, 50% due by now"),  # 9.99 points: "40% … 50%" would read as amber
    (35, Rag.AMBER, "35% done, 50% due by now"),
])
def test_pace_figures_keep_the_decimals_that_decide_the_colour(value, rag, words):
    s = indicator_status(ind([(day(50), value)]), START, day(50), OFFICE)
    assert s.rag == rag and s.reason.words("en") == words


def test_no_value_reported_uses_the_baseline_and_says_so():
    s = indicator_status(ind(baseline=10, target=110), START, day(50), OFFICE)
    assert s.value is None and s.measured_on is None
    assert s.progress == 0 and s.lag == pytest.approx(50) and s.rag == Rag.RED
    assert "no value reported" in s.reason.words("en")
    assert "未报送数值" in s.reason.words("zh")


def test_no_value_reported_early_is_green_but_still_says_so():
    s = indicator_status(ind(), START, day(5), OFFICE)
    assert s.rag == Rag.GREEN and s.reason.words("en") == "no value reported, 5% due by now"


def test_no_value_reported_after_due_is_red_and_says_so():
    s = indicator_status(ind(), START, day(112), OFFICE)
    assert s.rag == Rag.RED
    assert s.reason.words("en") == "no value reported, target due 12 days ago"
    assert s.reason.words("zh") == "未报送数值，已逾期 12 天"


def test_missed_reason():
    s = indicator_status(ind([(day(90), 60)]), START, day(112), OFFICE)
    assert s.rag == Rag.RED and "12" in s.reason.words("en") and "60%" in s.reason.words("en")
    assert "逾期 12 天" in s.reason.words("zh")


def test_value_after_D_is_not_reported_as_of_D():
    s = indicator_status(ind([(day(60), 100)]), START, day(50), OFFICE)
    assert s.value is None and s.rag == Rag.RED and "no value reported" in s.reason.words("en")


def test_met_reason():
    s = indicator_status(ind([(day(30), 100)]), START, day(50), OFFICE)
    assert s.reason.words("en") == "target met: 100 of 100"
    assert s.reason.words("zh") == "已达目标：100/100"


# expected value: piecewise linear through the checkpoints
CHECKPOINTS = [(day(10), 50)]  # half the target by day 10, the rest over the following 90 days


@pytest.mark.parametrize("as_of, expected", [
    (-30, 0), (0, 0), (5, 25), (10, 50), (55, 75), (100, 100), (130, 100),
])
def test_expected_value_is_piecewise_linear_through_checkpoints(as_of, expected):
    assert expected_value(ind(checkpoints=CHECKPOINTS), START, day(as_of)) == pytest.approx(expected)


def test_expected_value_with_two_checkpoints_and_a_baseline():
    i = ind(baseline=1000, target=3000, checkpoints=[(day(20), 1200), (day(60), 2800)])
    assert expected_value(i, START, day(10)) == pytest.approx(1100)
    assert expected_value(i, START, day(40)) == pytest.approx(2000)
    assert expected_value(i, START, day(80)) == pytest.approx(2900)


def test_checkpoints_drive_the_lag():
    # by day 10 half is due: 30 reported is 20 points behind
    s = indicator_status(ind([(day(10), 30)], checkpoints=CHECKPOINTS), START, day(10), OFFICE)
    assert s.expected == pytest.approx(50) and s.lag == pytest.approx(20) and s.rag == Rag.AMBER
    assert s.reason.words("en") == "30% done, 50% due by now"


# "down" indicators: baseline 100 → target 20; expected(day 50) = 60
DOWN_CASES = [
    pytest.param(60, Rag.GREEN, 0, id="on-schedule"),
    pytest.param(68, Rag.AMBER, 10, id="lag-exactly-10"),
    pytest.param(67.99, Rag.GREEN, 9.9875, id="lag-just-under-10"),
    pytest.param(84, Rag.AMBER, 30, id="lag-exactly-30"),
    pytest.param(84.1, Rag.RED, 30.125, id="lag-just-over-30"),
    pytest.param(20, Rag.DONE, -50, id="target-met"),
    pytest.param(15, Rag.DONE, -56.25, id="below-target-is-met"),
    pytest.param(110, Rag.RED, 62.5, id="going-the-wrong-way"),
]


@pytest.mark.parametrize("value, rag, lag", DOWN_CASES)
def test_down_indicator(value, rag, lag):
    s = indicator_status(ind([(day(50), value)], baseline=100, target=20, direction="down"), START, day(50), OFFICE)
    assert s.expected == pytest.approx(60)
    assert (s.rag, s.lag) == (rag, pytest.approx(lag))


def test_down_indicator_after_due_not_met_is_red():
    s = indicator_status(ind([(day(100), 21)], baseline=100, target=20, direction="down"), START, day(101), OFFICE)
    assert s.rag == Rag.RED


# --- tasks: worst of, all done, overrides, stale ------------------------------------------

def test_task_is_the_worst_of_its_items_and_names_the_item():
    t = task(milestones=[ms(D + timedelta(60), id="a", title="出台方案"), ms(D - timedelta(12), id="b", title="完成验收")],
             indicators=[ind([(D, 100)], due=date(2021, 12, 31))])
    s = task_status(t, D, OFFICE)
    assert s.rag == Rag.RED
    assert s.reason_words("en") == ["完成验收: overdue 12 days"]
    assert s.reason_words("zh") == ["完成验收：逾期 12 天"]


@pytest.mark.parametrize("rags, worst", [
    (("green", "amber"), Rag.AMBER), (("done", "green"), Rag.GREEN), (("amber", "red", "green"), Rag.RED),
    (("done", "amber"), Rag.AMBER), (("done", "done"), Rag.DONE),
])
def test_worst_of(rags, worst):
    due = {"red": D - timedelta(3), "amber": D + timedelta(3), "green": D + timedelta(90), "done": D + timedelta(90)}
    items = [ms(due[r], D if r == "done" else None, id=str(n)) for n, r in enumerate(rags)]
    assert task_status(task(milestones=items), D, OFFICE).rag == worst


def test_mixed_items_worst_is_the_indicator():
    t = task(milestones=[ms(D + timedelta(90))], indicators=[ind([(day(100), 10)], due=D + timedelta(30))], start=START)
    s = task_status(t, D, OFFICE)
    assert s.rag == Rag.RED and s.reason_words("en")[0].startswith("养老床位: ")


def test_all_items_done_is_done():
    t = task(milestones=[ms(D - timedelta(30), D - timedelta(40))], indicators=[ind([(day(90), 100)])])
    s = task_status(t, D, OFFICE)
    assert s.rag == Rag.DONE and s.next_due is None
    assert s.reason_words("en") == ["all items done"] and s.reason_words("zh") == ["各项均已完成"]


def test_all_done_is_judged_as_of_D():
    t = task(milestones=[ms(D + timedelta(10), D + timedelta(1))])
    assert task_status(t, D, OFFICE).rag == Rag.AMBER
    assert task_status(t, D + timedelta(1), OFFICE).rag == Rag.DONE


def test_next_due_is_the_earliest_open_item():
    t = task(milestones=[ms(D - timedelta(5), D - timedelta(6), id="a"), ms(D + timedelta(40), id="b"),
                         ms(D + timedelta(20), id="c")])
    assert task_status(t, D, OFFICE).next_due == D + timedelta(20)


# overrides

def test_override_wins_over_the_computed_colour_and_is_marked():
    s = task_status(task(due=D + timedelta(200), overrides=[ov("red", D - timedelta(3), reason="群众投诉")]), D, OFFICE)
    assert (s.rag, s.computed, s.overridden) == (Rag.RED, Rag.GREEN, True)
    assert s.reason_words("en")[0] == "override: 群众投诉"
    assert s.reason_words("zh")[0] == "人工调整：群众投诉"


@pytest.mark.parametrize("as_of, in_force", [
    (D - timedelta(1), False), (D, True), (D + timedelta(10), True), (D + timedelta(11), False),
])
def test_override_in_force_from_its_start_through_until(as_of, in_force):
    t = task(due=D + timedelta(200), overrides=[ov("amber", D, until=D + timedelta(10))])
    s = task_status(t, as_of, OFFICE)
    assert s.overridden is in_force and s.rag == (Rag.AMBER if in_force else Rag.GREEN)


def test_override_starting_and_expiring_on_the_same_day_is_in_force_that_day():
    t = task(due=D + timedelta(200), overrides=[ov("red", D, until=D)])
    assert task_status(t, D, OFFICE).rag == Rag.RED
    assert task_status(t, D - timedelta(1), OFFICE).rag == Rag.GREEN
    assert task_status(t, D + timedelta(1), OFFICE).rag == Rag.GREEN


def test_override_until_reason():
    s = task_status(task(due=D + timedelta(200), overrides=[ov("red", D, until=date(2021, 7, 15))]), D, OFFICE)
    assert s.reason_words("en")[0] == "override until 2021-07-15: 专项督查"


def test_override_cleared_on_D_is_not_in_force_on_D():
    t = task(due=D + timedelta(200), overrides=[ov("red", D - timedelta(10), cleared=D)])
    assert task_status(t, D - timedelta(1), OFFICE).rag == Rag.RED
    assert task_status(t, D, OFFICE).rag == Rag.GREEN and not task_status(t, D, OFFICE).overridden


def test_two_overrides_newest_wins():
    older, newer = ov("red", D - timedelta(20), id=1, reason="旧"), ov("green", D - timedelta(5), id=2, reason="新")
    t = task(due=D - timedelta(1), overrides=[older, newer])
    s = task_status(t, D, OFFICE)
    assert s.rag == Rag.GREEN and s.override == newer
    assert task_status(t, D - timedelta(10), OFFICE).override == older


def test_two_overrides_set_the_same_day_the_later_recorded_wins():
    t = task(overrides=[ov("red", D, id=1), ov("amber", D, id=2)])
    assert task_status(t, D, OFFICE).rag == Rag.AMBER


def test_override_over_a_done_task():
    t = task(done=D - timedelta(5), overrides=[ov("amber", D - timedelta(1))])
    s = task_status(t, D, OFFICE)
    assert (s.rag, s.computed) == (Rag.AMBER, Rag.DONE)


# stale

@pytest.mark.parametrize("gap, stale", [(59, False), (60, False), (61, True)])
def test_stale_after_stale_days_without_progress(gap, stale):
    t = task(notes=[Note(1, D - timedelta(gap), "已召开协调会")], due=D + timedelta(200))
    assert task_status(t, D, OFFICE).stale is stale


@pytest.mark.parametrize("kind", ["note", "tick", "value", "task-tick"])
def test_every_kind_of_progress_event_resets_stale(kind):
    on = D - timedelta(10)
    extra = {"note": {"notes": [Note(1, on, "进展")]},
             "tick": {"milestones": [ms(D - timedelta(100), on, id="a"), ms(D + timedelta(100), id="b")]},
             "value": {"indicators": [ind([(on, 50)], due=D + timedelta(100))]},
             "task-tick": {}}[kind]
    t = task(due=D + timedelta(200), **extra)
    if kind == "task-tick":  # a task ticked done is done, so never stale; check the date is progress
        t = task(due=D + timedelta(200), done=on)
        assert task_status(t, D, OFFICE).last_progress == on
        return
    s = task_status(t, D, OFFICE)
    assert s.stale is False and s.last_progress == on


def test_progress_after_D_does_not_count_for_stale():
    t = task(notes=[Note(1, D - timedelta(61), "旧"), Note(2, D + timedelta(1), "新")], due=D + timedelta(200))
    s = task_status(t, D, OFFICE)
    assert s.stale is True and s.last_progress == D - timedelta(61)


def test_no_progress_ever_counts_from_the_task_start():
    t = task(start=D - timedelta(60), due=D + timedelta(200))
    assert task_status(t, D, OFFICE).stale is False
    assert task_status(t, D + timedelta(1), OFFICE).stale is True
    assert task_status(t, D - timedelta(90), OFFICE).stale is False  # not started yet


def test_done_task_is_not_stale():
    t = task(milestones=[ms(D - timedelta(200), D - timedelta(150))])
    s = task_status(t, D, OFFICE)
    assert s.rag == Rag.DONE and s.stale is False


def test_overridden_task_can_still_be_stale():
    t = task(start=D - timedelta(200), due=D + timedelta(200), overrides=[ov("green", D - timedelta(1))])
    assert task_status(t, D, OFFICE).stale is True


# --- roll-ups ------------------------------------------------------------------------------

def _rollup():
    red = dict(due=D - timedelta(1))
    amber = dict(due=D + timedelta(10))
    green = dict(due=D + timedelta(100))
    done = dict(due=D + timedelta(100), done=D)
    tasks = [
        task(plan="a", id="1", section="一", lead=["民政局"], responsible=["财政局"], **red),
        task(plan="a", id="2", section="一", lead=["民政局"], **amber),
        task(plan="a", id="3", section="二", lead=["财政局"], responsible=["民政局", "卫健委"], **green),
        task(plan="b", id="1", section="一", lead=["卫健委", "民政局"], **done),
        task(plan="b", id="2", section="一", lead=["卫健委"], withdrawn=True, **red),
    ]
    return statuses(Snapshot(office=OFFICE, plans=(), tasks=tuple(tasks)), D)


def test_counts_by_plan_leave_withdrawn_out():
    view = _rollup()
    assert view.counts() == {"red": 1, "amber": 1, "green": 1, "done": 1}
    assert view.in_plan("a").counts() == {"red": 1, "amber": 1, "green": 1, "done": 0}
    assert view.in_plan("b").counts() == {"red": 0, "amber": 0, "green": 0, "done": 1}


def test_counts_by_section():
    view = _rollup()
    assert view.sections("a") == ["一", "二"]
    assert view.in_section("a", "一").counts() == {"red": 1, "amber": 1, "green": 0, "done": 0}
    assert view.in_section("a", "二").counts() == {"red": 0, "amber": 0, "green": 1, "done": 0}


def test_counts_by_unit_keep_lead_and_only_responsible_apart():
    rows = {r.unit: r for r in _rollup().by_unit()}
    assert rows["民政局"].counts == {"red": 1, "amber": 1, "green": 0, "done": 1}
    assert rows["民政局"].responsible == {"red": 0, "amber": 0, "green": 1, "done": 0}
    assert rows["财政局"].counts == {"red": 0, "amber": 0, "green": 1, "done": 0}
    assert rows["财政局"].responsible == {"red": 1, "amber": 0, "green": 0, "done": 0}
    assert rows["卫健委"].counts == {"red": 0, "amber": 0, "green": 0, "done": 1}  # the withdrawn red is left out
    assert rows["卫健委"].responsible == {"red": 0, "amber": 0, "green": 1, "done": 0}
    assert [r.unit for r in _rollup().by_unit()][0] == "民政局"  # most reds first


def test_status_is_a_pure_function_of_its_inputs():
    view1, view2 = _rollup(), _rollup()
    assert [(s.key, s.rag, s.reasons, s.stale) for s in view1] == [(s.key, s.rag, s.reasons, s.stale) for s in view2]


# --- review periods ------------------------------------------------------------------------

def test_review_cycle_previous_and_next():
    office = Office(review_every_months=2, first_review=date(2021, 4, 30))
    assert previous_review(office, date(2021, 10, 31)) == date(2021, 8, 31)  # strictly before
    assert previous_review(office, date(2021, 11, 1)) == date(2021, 10, 31)
    assert next_review(office, date(2021, 10, 31)) == date(2021, 12, 31)
    assert previous_review(office, date(2021, 4, 30)) is None


def test_explicit_reviews_replace_the_cycle():
    office = Office(first_review=date(2021, 4, 30),
                    reviews=(Review(date(2021, 4, 28)), Review(date(2021, 7, 15)), Review(date(2021, 9, 20))))
    assert previous_review(office, date(2021, 8, 1)) == date(2021, 7, 15)
    assert next_review(office, date(2021, 8, 1)) == date(2021, 9, 20)


# --- every reason the engine gives, in both languages ----------------------------------------

def _reasons_of(t: Task, as_of: date) -> tuple[list[str], list[str]]:
    s = task_status(t, as_of, OFFICE)
    return s.reason_words("en"), s.reason_words("zh")


@pytest.mark.parametrize("build, as_of, en, zh", [
    (lambda: task(due=D - timedelta(12)), D, ["overdue 12 days"], ["逾期 12 天"]),
    (lambda: task(due=D - timedelta(1)), D, ["overdue 1 day"], ["逾期 1 天"]),
    (lambda: task(due=D), D, ["due today"], ["今天到期"]),
    (lambda: task(due=D + timedelta(9)), D, ["due in 9 days"], ["9 天后到期"]),
    (lambda: task(due=D + timedelta(1)), D, ["due in 1 day"], ["1 天后到期"]),
    (lambda: task(done=date(2021, 6, 1)), D, ["done on 2021-06-01"], ["已于 2021-06-01 完成"]),
    (lambda: task(milestones=[ms(D, D - timedelta(1)), ms(D, D, id="b")]), D, ["all items done"], ["各项均已完成"]),
    (lambda: task(indicators=[ind()]), day(52), ["no value reported, 52% due by now"], ["未报送数值，序时应完成 52%"]),
    (lambda: task(indicators=[ind()]), day(112), ["no value reported, target due 12 days ago"], ["未报送数值，已逾期 12 天"]),
    (lambda: task(indicators=[ind([(day(50), 35)])]), day(52), ["35% done, 52% due by now"], ["完成 35%，序时应完成 52%"]),
    (lambda: task(indicators=[ind([(day(100), 64.5)])]), day(112), ["target missed 12 days ago: 64.5% done"],
     ["已逾期 12 天未达目标：完成 64.5%"]),
    (lambda: task(due=D + timedelta(200), overrides=[ov("red", D, reason="群众投诉")]), D,
     ["override: 群众投诉", "due in 200 days"], ["人工调整：群众投诉", "200 天后到期"]),
    (lambda: task(due=D - timedelta(12), overrides=[ov("amber", D, until=date(2021, 7, 31), reason="已报请延期")]), D,
     ["override until 2021-07-31: 已报请延期", "overdue 12 days"], ["人工调整（至 2021-07-31）：已报请延期", "逾期 12 天"]),
    (lambda: task(milestones=[ms(D - timedelta(12), title="出台方案"), ms(D - timedelta(3), id="b", title="完成验收")]), D,
     ["出台方案: overdue 12 days", "完成验收: overdue 3 days"], ["出台方案：逾期 12 天", "完成验收：逾期 3 天"]),
], ids=["overdue", "overdue-1", "due-today", "due-in", "due-in-1", "done-on", "all-done", "no-value",
        "no-value-missed", "pace", "missed", "override", "override-until", "named-items"])
def test_every_reason_in_both_languages(build, as_of, en, zh):
    """("target met" is an item's reason: see test_met_reason; a task whose items are all met is "all items done".)"""
    assert _reasons_of(build(), as_of) == (en, zh)


def test_models_and_statuses_stay_frozen_dataclasses():
    """Frozen, compared, hashed and replaced field by field, with their defaults."""
    import dataclasses

    m = ms(D)
    assert m == ms(D) and hash(m) == hash(ms(D)) and m != ms(D, D)
    assert m.done_on is None and m.withdrawn is False  # the defaults
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.title = "x"  # type: ignore[misc]
    assert dataclasses.replace(m, title="改").title == "改"
    s = task_status(task(milestones=[m]), D, OFFICE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.rag = Rag.GREEN  # type: ignore[misc]
    assert s == task_status(task(milestones=[ms(D)]), D, OFFICE)
    assert dataclasses.fields(s)[0].name == "task" and s.reminders == ()
