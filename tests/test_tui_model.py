"""The UI's model without Textual: search, filters, progress, timeline, review figures, its words."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from supervise.i18n import CATALOGUE
from supervise.models import Rag
from supervise.views import statuses
from supervise.tui.model import BoardData, Filters, LazyRows, progress, review_figures, trend, trend_dates, upcoming

from test_tui_support import TODAY, reopen, seeded_db  # noqa: F401 - fixtures

TUI = Path(__file__).resolve().parent.parent / "supervise" / "tui"


@pytest.fixture
def data(seeded_db) -> BoardData:
    with reopen(str(seeded_db)) as store:
        return BoardData(store.snapshot(), TODAY)


# Worked out from plans.toml and the notes seed() adds, as text (not through the code under test).
BED = ["sy-2021/1.6", "sy-2021/3.1", "sy-2021/3.2", "sy-2021/3.3", "sy-2021-key/4", "sy-2021-key/8"]
FOUND = {
    "适老化": ["sy-2021/1.4", "sy-2021/1.6", "sy-2021-key/3", "sy-2021-key/4"],
    "培训班": ["sy-2021/1.1"],  # only in a note
    "SY-2021-KEY/1": ["sy-2021-key/1", "sy-2021-key/10", "sy-2021-key/11"],  # the key, case-folded
    "  床位 ": BED,  # stripped
    "没有这个词": [],
}


@pytest.mark.parametrize("needle", list(FOUND))
def test_search_finds_the_tasks_that_hold_the_text(data, needle):
    live = data.live()
    assert data.search(live, needle).keys() == FOUND[needle]
    assert live.matching(needle).keys() == FOUND[needle]  # the one rule, which the UI calls


def test_a_blank_search_keeps_every_task(data):
    live = data.live()
    assert data.search(live, "  ") is live and len(live) == 35


def test_search_narrows_as_you_type_and_widens_on_backspace(data):
    live = data.live()
    bed = ["sy-2021/1.6", "sy-2021/3.1", "sy-2021/3.2", "sy-2021/3.3", "sy-2021/4.2", "sy-2021-key/4", "sy-2021-key/8"]
    for typed, found in [("床", bed), ("床位", BED), ("床位建", ["sy-2021/3.1"]), ("床位", BED), ("床", bed)]:
        assert data.search(live, typed).keys() == found, typed


def test_rows_are_lazy_until_everything_is_computed(seeded_db):
    with reopen(str(seeded_db)) as store:
        fresh = BoardData(store.snapshot(), TODAY)
    rows = fresh.rows()
    assert isinstance(rows, LazyRows) and not fresh.ready
    assert rows[3].key == rows.key_at(3) == "sy-2021/1.4"
    assert rows.index_of("sy-2021-key/2") == 25
    assert not fresh.ready  # reading a row computed only that row
    everything = fresh.all()
    assert fresh.ready and [s.key for s in fresh.rows()] == everything.live().keys()


def test_filters_compose_like_the_views(data):
    live = data.live()
    f = Filters(rags=frozenset({"red", "amber"}), plan="sy-2021", unit="市民政局", stale=True)
    expected = live.with_rag("red", "amber").in_plan("sy-2021").led_by("市民政局").stale()
    assert [s.key for s in f.apply(data)] == expected.keys()
    f = Filters(due_within=90, sort="rag")
    expected = live.due_before(date(2022, 1, 29)).sorted_by_rag()
    assert [s.key for s in f.apply(data)] == expected.keys()
    f = Filters(plan="sy-2021", section="（三）提升机构养老服务品质")
    assert {s.task.section for s in f.apply(data)} == {"（三）提升机构养老服务品质"}
    assert not Filters().active and Filters(search="x").active
    assert Filters(unit="x", sort="rag").cleared() == Filters(sort="rag")


def test_withdrawn_only_when_asked(data):
    assert all(not s.task.withdrawn for s in Filters().apply(data))
    assert Filters(rags=frozenset({"withdrawn"})).apply(data) == ()


def test_progress_counts_milestones_and_indicators(data):
    assert progress(data.get("sy-2021/1.3")) == 1.0  # ticked task
    assert progress(data.get("sy-2021-key/3")) == pytest.approx(0.5)  # its milestone done, indicator at 0
    one = data.get("sy-2021/1.1")  # 6000 of 20000 carers, two indicators at 0
    assert progress(one) == pytest.approx(0.3 / 3)


def test_upcoming_overdue_first_then_by_date(seeded_db):
    with reopen(str(seeded_db)) as store:
        view = statuses(store.snapshot(), date(2021, 12, 1))
    items = upcoming(view, date(2021, 12, 1), months=1)
    dues = [d.due for d in items]
    assert dues == sorted(dues)
    assert items[0].due < date(2021, 12, 1) or all(d.due >= date(2021, 12, 1) for d in items)
    assert all(d.rag != Rag.DONE for d in items)
    assert max(dues) <= date(2022, 1, 31)
    assert ("sy-2021-key/10", "a") in {(d.status.key, d.item) for d in items}


def test_the_timeline_lists_indicators_too(seeded_db):
    """The timeline and the briefing's look-ahead share one rule (reviews.falling_due): the timeline
    left indicators out, so a task with only indicators never showed in it."""
    as_of = date(2021, 10, 31)
    with reopen(str(seeded_db)) as store:
        view = statuses(store.snapshot(), as_of)
    timeline = upcoming(view, as_of, months=2)  # to 2021-12-31
    assert ("sy-2021/4.1", "medical") in {(d.status.key, d.item) for d in timeline}  # an indicator, due 2021-12-31


def test_review_figures_period_completed_changed(data):
    fig = review_figures(data)
    assert fig.previous == date(2021, 8, 31) and fig.next == date(2021, 12, 31)
    done = {(s.key, on) for s, _, on in fig.completed}
    assert done == {("sy-2021-key/3", date(2021, 10, 20)), ("sy-2021/1.3", date(2021, 10, 15))}
    changed = {s.key: (before, now) for s, before, now in fig.changed}
    assert changed["sy-2021/3.1"][1] == Rag.RED  # the override
    assert changed["sy-2021/1.3"][1] == Rag.DONE
    assert [s.rag for s in fig.red] == [Rag.RED] * len(fig.red)
    assert len(fig.red) + len(fig.amber) + len(fig.green) + data.counts()["done"] == 35


def test_trend_replays_every_review_date(data):
    dates = trend_dates(data)
    assert dates == [date(2021, 4, 30), date(2021, 6, 30), date(2021, 8, 31), TODAY]
    points = trend(data)
    assert [d for d, _ in points] == dates
    assert points[-1][1] == data.counts()
    assert all(sum(c.values()) == 35 for _, c in points)


def test_every_interface_string_is_in_the_catalogue_in_both_languages():
    used = set()
    for path in TUI.glob("*.py"):
        used |= set(re.findall(r'"(ui\.[a-z_.]+[a-z_])"', path.read_text(encoding="utf-8")))
    from supervise.tui.keys import KEYS

    used |= {f"ui.key.{k.id}" for k in KEYS} | {f"ui.help.{k.id}" for k in KEYS}
    used |= {f"ui.filter.due_{d}" for d in (0, 7, 30, 90)}
    used |= {f"ui.departments.sort_{s}" for s in ("rank", "worst", "unit", "red", "amber", "green", "done", "total",
                                                   "responsible")}
    used |= {f"ui.view.{v}" for v in ("review", "departments", "timeline")}
    missing = sorted(k for k in used if k not in CATALOGUE)
    assert not missing
    for key in used:
        en, zh = CATALOGUE[key]
        assert en.strip() and zh.strip(), key
        assert set(re.findall(r"{(\w+)", en)) == set(re.findall(r"{(\w+)", zh)), key
