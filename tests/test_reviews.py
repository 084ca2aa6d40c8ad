"""Review periods have one home (supervise.reviews): the briefing and the UI's review screen agree.

Two readings had drifted apart before: the UI's trend left out a review held off-schedule,
and the UI dated an indicator "completed" on its latest measurement instead of the day the
target was first met. Both now follow the briefing's reading, which these tests pin by hand.
"""

from __future__ import annotations

from datetime import date as D

import openpyxl

from supervise.briefing import render_briefing
from supervise.models import Indicator, Measurement, Milestone, Office, Plan, Review, Snapshot, Task
from supervise.ledger import write_ledger
from supervise.reviews import completed, period_start, trend, trend_dates
from supervise.views import statuses
from supervise.tui.model import BoardData, review_figures, trend as ui_trend
from supervise.tui.model import trend_dates as ui_trend_dates

OFFICE = Office(name="办公室", review_every_months=2, first_review=D(2021, 4, 30),
                reviews=(Review(D(2021, 9, 15), "临时推进会", held=True),))
PLAN = Plan("p", "计划", D(2021, 1, 1), D(2023, 12, 31))
CARERS = Indicator("carers", "培训家庭照护者", 100, D(2021, 12, 31), unit="人",
                   values=(Measurement(D(2021, 9, 20), 120), Measurement(D(2021, 10, 10), 130)))
TASKS = (
    Task("p", "1", "培训", D(2021, 1, 1), D(2021, 12, 31), ("市民政局",), indicators=(CARERS,)),
    Task("p", "2", "建设", D(2021, 1, 1), D(2022, 6, 30), ("市住建局",),
         milestones=(Milestone("a", "开工", D(2021, 10, 1), done_on=D(2021, 9, 30)),
                     Milestone("b", "竣工", D(2022, 6, 30)))),
)
SNAP = Snapshot(OFFICE, (PLAN,), TASKS)
AS_OF = D(2021, 10, 31)


def test_a_review_held_off_schedule_is_in_the_trend_of_both():
    expected = [D(2021, 4, 30), D(2021, 6, 30), D(2021, 8, 31), D(2021, 9, 15), AS_OF]  # by hand
    assert trend_dates(OFFICE, AS_OF) == expected
    assert ui_trend_dates(BoardData(SNAP, AS_OF)) == expected


def test_the_period_starts_at_the_review_held_last():
    assert period_start(OFFICE, AS_OF) == D(2021, 9, 15)
    assert review_figures(BoardData(SNAP, AS_OF)).previous == D(2021, 9, 15)


def test_an_indicator_is_completed_the_day_its_target_was_first_met_in_both():
    now = statuses(SNAP, AS_OF)
    before = {s.key: s.rag for s in statuses(SNAP, D(2021, 9, 15))}
    briefing = {(d.status.key, d.what, d.on) for d in completed(now, before, D(2021, 9, 15))}
    ui = {(s.key, what, on) for s, what, on in review_figures(BoardData(SNAP, AS_OF)).completed}
    # by hand: the target first met on 09-20 (not the re-measure of 10-10), which made task 1 done;
    # milestone a done on 09-30
    assert briefing == {("p/1", "培训家庭照护者", D(2021, 9, 20)), ("p/1", "", D(2021, 9, 20)),
                        ("p/2", "开工", D(2021, 9, 30))}
    assert ui == {("p/1", "培训家庭照护者", D(2021, 9, 20)), ("p/1", "培训", D(2021, 9, 20)),
                  ("p/2", "开工", D(2021, 9, 30))}  # the task itself under its title


def test_the_briefing_names_the_held_review_as_the_period_start():
    text = render_briefing(SNAP, AS_OF, "zh")
    assert "临时推进会" in text


# The trend by hand. Task 1's indicator (0 -> 100 over 2021) has no value before 09-20: at each
# review date before then its schedule is more than 30 points ahead of it (04-30: 119/364 = 33 %),
# so red; on 10-31 it reads 130: done. Task 2's milestone a (due 10-01) is 31 days off on 08-31
# (green: amber is 30 days or fewer), 16 days off on 09-15 (amber), done on 09-30; b is due in
# 2022: green on 10-31.
HAND = {D(2021, 4, 30): {"red": 1, "amber": 0, "green": 1, "done": 0},
        D(2021, 6, 30): {"red": 1, "amber": 0, "green": 1, "done": 0},
        D(2021, 8, 31): {"red": 1, "amber": 0, "green": 1, "done": 0},
        D(2021, 9, 15): {"red": 1, "amber": 1, "green": 0, "done": 0},
        AS_OF: {"red": 0, "amber": 0, "green": 1, "done": 1}}


def test_the_trend_counts_each_colour_at_each_review_date():
    replayed = trend(statuses(SNAP, AS_OF).live(), OFFICE, D(2021, 9, 15))
    assert replayed.days == list(HAND)
    assert replayed.counts == HAND
    assert {k: r.value for k, r in replayed.before.items()} == {"p/1": "red", "p/2": "amber"}
    assert trend(statuses(SNAP, AS_OF).live(), OFFICE).before == {}  # no period start asked: none replayed


def test_the_briefing_and_the_ledger_show_the_same_trend(tmp_path):
    rows = [[d.isoformat(), *(str(c[k]) for k in ("red", "amber", "green", "done")), str(sum(c.values()))]
            for d, c in HAND.items()]
    text = render_briefing(SNAP, AS_OF, "en")
    part = text[text.index("Counts at each review date so far"):]
    lines = part.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("|"))
    block = lines[first:lines.index("", first)]  # the trend's table: up to the blank line after it
    table = [line.strip("|").split("|") for line in block[2:]]  # below the header and its rule
    assert [[c.strip() for i, c in enumerate(r) if i != 1] for r in table] == rows
    write_ledger(SNAP, AS_OF, "zh", tmp_path / "ledger.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "ledger.xlsx")["汇总"]
    at = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "各推进会时点任务状态")
    assert [[str(c.value) for c in ws[at + n][1:7]] for n in range(1, len(HAND) + 1)] == rows


def test_the_ui_review_screen_shows_the_same_trend():
    assert ui_trend(BoardData(SNAP, AS_OF)) == list(HAND.items())
