"""The review briefing (supervise/briefing.py): golden files in both languages, table shape,
escaping of user text, the period rules, the colour replay, and the `brief` / `review hold` commands.

The fixture office is tests/fixtures/briefing_plans.toml with the history that `record_history`
writes through the Store API, every action on a fixed date. Regenerate the golden files with
`UPDATE_GOLDEN=1 pytest tests/test_briefing.py` and read the diff before accepting it.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from supervise.briefing import long_date, render_briefing, upcoming
from supervise.cli import cli
from supervise.db.store import Store
from supervise.i18n import t
from supervise.models import Rag
from supervise.planfile.loader import load_plan_file
from supervise.reviews import completed, period_start, trend_dates
from supervise.status import rags_over, task_status
from supervise.views import statuses

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "briefing_plans.toml"
GOLDEN = HERE / "golden"
PLANS = HERE.parent / "plans.toml"
AS_OF = date(2021, 10, 31)
D = date


# --- the fixture office -------------------------------------------------------------------------


def record_history(store: Store) -> None:
    """Progress on the fixture plans, each action on its own effective date."""
    # 1.1 family carers: behind the time-proportional schedule (amber)
    store.record("fx-2021/1.1", "carers", 2500, D(2021, 6, 30))
    store.record("fx-2021/1.1", "carers", 3500, D(2021, 9, 30), note="第三季度培训家庭照护者1000人。")
    # 1.2 home adaptation: plan done on time, first batch due in November
    store.tick("fx-2021/1.2", "a", D(2021, 6, 20))
    store.add_note("fx-2021/1.2", "首批改造对象已确定，正在施工。", D(2021, 10, 8))
    # 2.1 old estates: ahead of the checkpoint
    store.record("fx-2021/2.1", "estates", 60, D(2021, 8, 31))
    store.record("fx-2021/2.1", "estates", 130, D(2021, 10, 20))
    # 2.2 facilities plan: overdue since 30 September; the note holds a pipe and a line break
    store.add_note("fx-2021/2.2", "方案初稿已完成 | 正在征求意见\n预计11月上旬印发", D(2021, 10, 25))
    # 3.1 medical cooperation: target first met in the period, so the task is done
    store.record("fx-2021/3.1", "medical", 85, D(2021, 7, 15))
    store.record("fx-2021/3.1", "medical", 100, D(2021, 10, 10))
    # 3.2 long-term care insurance: one note in March, nothing since (stale)
    store.add_note("fx-2021/3.2", "已赴外地学习长期护理保险试点经验。", D(2021, 3, 1))
    # 4.1 training: amber by the numbers, made red by the clerk
    store.record("fx-2021/4.1", "trained", 150, D(2021, 5, 31))
    store.set_override("fx-2021/4.1", Rag.RED, "培训进度明显滞后，已约谈牵头单位", D(2021, 10, 15))
    # 4.2 volunteers: caught up in the period (amber at the last review, green now)
    store.record("fx-2021/4.2", "pilots", 20, D(2021, 6, 30))
    store.record("fx-2021/4.2", "pilots", 45, D(2021, 9, 30))
    # key/1 family beds: two milestones done, the summary due in December
    store.tick("fx-2021-key/1", "a", D(2021, 5, 20))
    store.tick("fx-2021-key/1", "b", D(2021, 9, 28), note="和平区、沈河区试点已启动。")
    # key/2 star rating: the rules were revised late, inside the period
    store.tick("fx-2021-key/2", "a", D(2021, 10, 12))
    # key/3 facilities upgrade (no milestones): ticked done in the period
    store.tick("fx-2021-key/3", None, D(2021, 9, 29))
    # key/4 hospice pilots: overdue since July
    store.add_note("fx-2021-key/4", "正在遴选安宁疗护试点机构。", D(2021, 8, 15))
    # the August review met on 3 September
    store.hold_review(D(2021, 9, 3), "第三次双月推进会")


def build_db(tmp: Path, plans: Path = FIXTURE, history=record_history) -> Path:
    db = tmp / "supervise.db"
    with Store.open(db) as store:
        store.import_plans(load_plan_file(plans), D(2021, 1, 1), source=str(plans))
        if history:
            history(store)
    return db


def snapshot_of(db: Path):
    with Store.open(db) as store:
        return store.snapshot()


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("briefing"))


@pytest.fixture(scope="module")
def snap(fixture_db):
    return snapshot_of(fixture_db)


# --- Markdown table parsing (honouring \| escapes) ---------------------------------------------


def split_row(line: str) -> list[str]:
    """The cells of a `| a | b |` row; an escaped `\\|` does not split."""
    assert line.startswith("|") and line.endswith("|"), line
    cells, cur, i, body = [], "", 0, line[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur += body[i:i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    cells.append(cur.strip())
    return cells


def tables(text: str) -> list[list[list[str]]]:
    """Every table in the document as rows of cells (header first, the --- row dropped)."""
    out, current = [], None
    for line in text.split("\n"):
        if line.startswith("|"):
            if current is None:
                current = []
                out.append(current)
            cells = split_row(line)
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                current.append(cells)
        else:
            current = None
    return out


# --- golden files -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_golden(snap, lang):
    text = render_briefing(snap, AS_OF, lang)
    path = GOLDEN / f"briefing-{lang}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_row_has_as_many_cells_as_its_header(snap, lang):
    found = tables(render_briefing(snap, AS_OF, lang))
    assert len(found) >= 8
    for table in found:
        assert len(table) >= 2
        for row in table[1:]:
            assert len(row) == len(table[0]), row


def test_rows_keep_their_shape_with_hostile_text(tmp_path):
    db = build_db(tmp_path, history=_hostile_history)
    text = render_briefing(snapshot_of(db), AS_OF, "en")
    for table in tables(text):
        for row in table[1:]:
            assert len(row) == len(table[0]), row


def test_deterministic(snap):
    assert render_briefing(snap, AS_OF, "zh") == render_briefing(snap, AS_OF, "zh")


def test_the_bundled_plan_renders_in_both_languages(tmp_path):
    db = build_db(tmp_path, PLANS, history=lambda s: s.tick("sy-2021-key/3", "a", D(2021, 9, 20)))
    snap = snapshot_of(db)
    zh = render_briefing(snap, AS_OF, "zh")
    en = render_briefing(snap, AS_OF, "en")
    assert zh.startswith("# 沈阳市加快推进养老服务工作领导小组办公室\n")
    assert "出台实施方案" in zh and "Completed in the period (1)" in en


# --- the sections, in the spec's order ----------------------------------------------------------


def test_sections_come_in_the_spec_order(snap):
    zh = render_briefing(snap, AS_OF, "zh")
    heads = [line for line in zh.split("\n") if line.startswith("## ")]
    assert heads[1:] == ["## 一、总体情况", "## 二、滞后事项", "## 三、完成情况", "## 四、下步安排",
                         "## 五、各牵头单位推进情况", "## 六、长期无进展事项"]
    assert zh.index("### （一）红色事项") < zh.index("### （二）黄色事项") < zh.index("### （一）本期完成事项") \
        < zh.index("### （二）状态变化情况")


def test_heading_names_office_date_and_period(snap):
    zh = render_briefing(snap, AS_OF, "zh")
    assert zh.startswith("# 示范市养老服务工作领导小组办公室\n\n## 行动计划推进情况汇报\n")
    assert "截至日期：2021年10月31日" in zh
    # the review held on 3 September starts the period, not the scheduled 31 August
    assert "统计时段：2021年9月4日至2021年10月31日（上次推进会为2021年9月3日召开的第三次双月推进会）" in zh
    assert "下次推进会：2021年12月31日" in zh
    en = render_briefing(snap, AS_OF, "en")
    assert "As of: 31 October 2021" in en and "Next review: 31 December 2021" in en


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end)]


def test_red_and_amber_lists(snap):
    en = render_briefing(snap, AS_OF, "en")
    red = _section(en, "### Red tasks", "### Amber tasks")
    amber = _section(en, "### Amber tasks", "## 3. ")
    assert "### Red tasks (3)" in red
    for key in ("fx-2021/2.2", "fx-2021/4.1", "fx-2021-key/4"):
        assert f"| {key} |" in red
    assert "override: 培训进度明显滞后，已约谈牵头单位" in red  # the clerk's reason is the reason
    assert "2021-08-15: 正在遴选安宁疗护试点机构。" in red  # latest note with its date
    assert "| fx-2021/1.1 |" in amber and "2021-09-30: 第三季度培训家庭照护者1000人。" in amber
    assert "| fx-2021/1.2 |" in amber


def test_completed_in_the_period(snap):
    now = statuses(snap, AS_OF)
    start = period_start(snap.office, AS_OF)
    before = {s.key: task_status(s.task, start, snap.office).rag for s in now}
    done = [(x.on, x.status.key, x.kind, x.what) for x in completed(now, before, start)]
    assert done == [
        (D(2021, 9, 28), "fx-2021-key/1", "milestone", "启动家庭养老床位试点"),
        (D(2021, 9, 29), "fx-2021-key/3", "task", ""),
        (D(2021, 10, 10), "fx-2021/3.1", "indicator", "为入住老年人提供医疗卫生服务的养老机构占比"),
        (D(2021, 10, 10), "fx-2021/3.1", "task", ""),
        (D(2021, 10, 12), "fx-2021-key/2", "milestone", "修订《养老服务机构星级评定办法》"),
    ]
    # the tick on 20 June and the one on 20 May were before the period
    assert all(x[0] > start for x in done)


def test_indicator_met_before_the_period_is_not_completed_again(tmp_path):
    def history(store):
        store.record("fx-2021/4.2", "pilots", 50, D(2021, 7, 1))
        store.record("fx-2021/4.2", "pilots", 40, D(2021, 8, 1))
        store.record("fx-2021/4.2", "pilots", 55, D(2021, 10, 1))  # met again, but first met in July

    snap = snapshot_of(build_db(tmp_path, history=history))
    now = statuses(snap, AS_OF)
    start = period_start(snap.office, AS_OF)
    before = {s.key: task_status(s.task, start, snap.office).rag for s in now}
    done = completed(now, before, start)
    assert [(x.status.key, x.kind) for x in done] == [("fx-2021/4.2", "task")]
    assert done[0].on == D(2021, 10, 1)  # done since the measurement that met it again


def test_changes_of_colour(snap):
    zh = render_briefing(snap, AS_OF, "zh")
    part = _section(zh, "### （二）状态变化情况", "## 四、")
    assert "与上次推进会（2021年9月3日）相比，9项任务状态发生变化，其中转差4项、好转5项。" in part
    rows = [r[:6] for r in tables(part)[0][1:]]
    # worse first (worst colour first), then better (done first); task order within a colour
    assert [(r[0], *r[3:6]) for r in rows] == [
        ("fx-2021/2.2", "黄", "红", "转差"),  # milestone overdue since 30 September
        ("fx-2021/4.1", "黄", "红", "转差"),  # the clerk's override
        ("fx-2021/1.1", "绿", "黄", "转差"),  # fell behind the schedule
        ("fx-2021/1.2", "绿", "黄", "转差"),  # milestone now due within 30 days
        ("fx-2021/3.1", "绿", "完成", "好转"),
        ("fx-2021-key/3", "黄", "完成", "好转"),
        ("fx-2021/4.2", "黄", "绿", "好转"),
        ("fx-2021-key/1", "黄", "绿", "好转"),
        ("fx-2021-key/2", "红", "绿", "好转"),  # the late milestone was done
    ]


def test_look_ahead_lists_items_due_before_the_next_review(snap):
    items = upcoming(statuses(snap, AS_OF), D(2021, 12, 31), "en")
    assert [(x.due, x.status.key, x.what) for x in items] == [
        (D(2021, 11, 30), "fx-2021/1.2", "完成首批500户困难老年人家庭适老化改造"),
        (D(2021, 12, 31), "fx-2021/4.2", "开展为老志愿服务试点的社区"),
        (D(2021, 12, 31), "fx-2021-key/1", "对试点情况进行总结"),
        (D(2021, 12, 31), "fx-2021-key/2", "完成养老服务机构星级等级评定工作"),
    ]
    assert items[0].rag == Rag.AMBER


def test_unit_table_is_the_ranking_of_units(snap):
    from supervise.ranking import rank_units

    zh = render_briefing(snap, AS_OF, "zh")
    table = tables(_section(zh, "## 五、", "## 六、"))[0]
    assert table[0] == ["名次", "单位", "牵头任务", "红", "黄", "绿", "完成", "红灯率", "按期完成率", "按期/到期", "上次名次",
                        "参与（非牵头）"]
    rows = {r[1]: r for r in table[1:]}
    assert list(rows) == [u.unit for u in rank_units(snap, AS_OF, snap.office)]  # the same order as `units`
    assert rows["市民政局"][2:7] == ["8", "2", "2", "3", "1"]
    assert rows["市卫生健康委"][2:7] == ["2", "1", "0", "0", "1"]
    assert [r[-1] for r in rows.values()] == ["2", "2", "1", "0"]  # tasks where the unit is only responsible
    assert "市财政局" not in rows  # responsible only: counted in the lead units' last column, not here


def test_stale_tasks(snap):
    zh = render_briefing(snap, AS_OF, "zh")
    part = zh[zh.index("## 六、"):]
    assert "以下3项任务超过60天无进展" in part
    table = tables(part)[0]
    # grouped by lead unit: one row each, the unit with most stale tasks first (then the longest idle)
    assert table[0] == ["牵头单位", "项数", "无进展事项（无进展天数）"]
    assert table[1:] == [["市医保局", "1", "fx-2021/3.2 探索建立长期护理保险制度（244天）"],
                         ["市民政局", "1", "fx-2021/4.1 完善养老服务在岗人员培训机制（153天）"],
                         ["市卫生健康委", "1", "fx-2021-key/4 推动医养结合发展（77天）"]]
    assert "fx-2021/1.1" not in part


def test_stale_tasks_of_one_unit_share_a_row(tmp_path):
    # nothing recorded since the plans began: every task that started 60 days ago is stale
    zh = render_briefing(snapshot_of(build_db(tmp_path, history=None)), AS_OF, "zh")
    rows = tables(zh[zh.index("## 六、"):])[0][1:]
    units = [r[0] for r in rows]
    assert len(units) == len(set(units))  # one row per unit
    counts = [int(r[1]) for r in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    first = rows[0][2].split("<br>")
    assert len(first) == counts[0]
    days = [int(re.search(r"（(\d+)天）$", line).group(1)) for line in first]
    assert days == sorted(days, reverse=True)


def test_trend_replays_each_review_date(snap):
    en = render_briefing(snap, AS_OF, "en")
    table = tables(_section(en, "Counts at each review date so far", "## 2. "))[0]
    assert [r[0] for r in table[1:]] == ["2021-04-30", "2021-06-30", "2021-08-31", "2021-09-03", "2021-10-31"]
    assert table[4][1] == "review held (第三次双月推进会)"
    assert table[5][1] == "this briefing"
    for row in table[1:]:
        d = date.fromisoformat(row[0])
        c = statuses(snap, d).counts()
        assert row[2:] == [str(c["red"]), str(c["amber"]), str(c["green"]), str(c["done"]), str(sum(c.values()))]


def test_trend_dates_merge_scheduled_and_held(snap):
    assert trend_dates(snap.office, AS_OF) == [D(2021, 4, 30), D(2021, 6, 30), D(2021, 8, 31), D(2021, 9, 3), AS_OF]
    assert trend_dates(snap.office, D(2021, 4, 30)) == [D(2021, 4, 30)]


# --- periods ------------------------------------------------------------------------------------


def test_without_a_held_review_the_scheduled_one_starts_the_period(tmp_path):
    snap = snapshot_of(build_db(tmp_path, history=None))
    zh = render_briefing(snap, AS_OF, "zh")
    assert "统计时段：2021年9月1日至2021年10月31日（上次推进会：2021年8月31日）" in zh


def test_a_held_review_on_the_as_of_date_does_not_start_the_period(snap):
    # the previous review is strictly before as_of
    zh = render_briefing(snap, D(2021, 9, 3), "zh")
    assert "统计时段：2021年9月1日至2021年9月3日（上次推进会：2021年8月31日）" in zh


def test_before_the_first_review(tmp_path):
    snap = snapshot_of(build_db(tmp_path, history=None))
    zh = render_briefing(snap, D(2021, 3, 31), "zh")
    assert "统计时段：计划实施以来（2021年1月1日）至2021年3月31日，此前未召开推进会" in zh
    assert "此前未召开推进会，不作比较。" in zh
    en = render_briefing(snap, D(2021, 3, 31), "en")
    assert "No previous review to compare with." in en
    for table in tables(en):
        for row in table[1:]:
            assert len(row) == len(table[0])


def test_look_ahead_without_a_scheduled_review():
    from supervise.models import Office, Review
    from supervise.reviews import look_ahead

    listed = Office(reviews=(Review(D(2021, 4, 28), "第二次"), Review(D(2021, 6, 29), "第三次")))
    assert look_ahead(listed, D(2021, 5, 10)) == D(2021, 6, 29)
    assert look_ahead(listed, D(2021, 7, 10)) == D(2021, 9, 30)  # the list ran out: one cycle on, at a month end
    assert look_ahead(Office(), D(2021, 12, 15)) == D(2022, 2, 28)


def test_rendered_table_is_markdown_table():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from supervise import markdown
    from supervise.document import Table
    from supervise.render.markdown import table

    text = st.text(alphabet=st.sampled_from(list("ab中|#*_`<>[]\\\n\r-+=@ 1.")), max_size=12)
    cells = st.one_of(text, st.integers(0, 999))

    @settings(max_examples=200, deadline=None)
    @given(st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(cells, min_size=n, max_size=n), max_size=4)
                                     .map(lambda rows: (n, rows))))
    def check(shape):
        n, rows = shape
        headers = [f"h{i}" for i in range(n)]
        block = Table(tuple(headers), tuple(tuple(str(c) for c in row) for row in rows))
        assert table(block) == markdown.table(headers, rows)  # the renderer's cached cells: same text

    check()


def test_long_dates():
    assert long_date(D(2021, 9, 4), "zh") == "2021年9月4日"
    assert long_date(D(2021, 9, 4), "en") == "4 September 2021"


# --- the colour replay matches the status engine -------------------------------------------------


def _days(first: date, last: date, step: int):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=step)


@pytest.mark.parametrize("plans", [FIXTURE, PLANS])
def test_rags_over_matches_task_status(tmp_path, plans):
    snap = snapshot_of(build_db(tmp_path, plans, history=record_history if plans == FIXTURE else _bundled_history))
    days = list(_days(D(2020, 12, 1), D(2024, 2, 1), 3))
    for task in snap.tasks:
        assert rags_over(task, days, snap.office) == [task_status(task, d, snap.office).rag for d in days], task.key
        assert rags_over(task, days, snap.office, overridden=False) == [
            task_status(task, d, snap.office).computed for d in days], task.key


def _bundled_history(store: Store) -> None:
    store.tick("sy-2021-key/3", "a", D(2021, 9, 20))
    store.record("sy-2021/1.1", "carers", 3500, D(2021, 9, 30))
    store.record("sy-2021/1.1", "literacy", 15, D(2021, 12, 31))
    store.record("sy-2021/2.3", "estates", 400, D(2022, 3, 31))
    store.record("sy-2021/4.1", "medical", 100, D(2021, 11, 30))
    store.set_override("sy-2021/3.4", Rag.GREEN, "已签约两家", D(2021, 6, 1), D(2021, 12, 31))
    store.set_override("sy-2021/3.3", Rag.RED, "滞后", D(2021, 6, 1))
    store.clear_override("sy-2021/3.3", D(2022, 1, 1))
    store.tick("sy-2021/1.3", None, D(2022, 5, 5))


def test_rags_over_on_checkpoint_days_and_in_any_order():
    """Exact float agreement on the days the expected value turns a corner, and days given unsorted."""
    from supervise.models import Checkpoint, Indicator, Measurement, Office, Task

    office = Office(lag_amber=10, lag_red=30)
    for base, target, direction in ((0.1, 0.7, "up"), (100, 3.3, "down"), (0, 1723, "up")):
        span = target - base
        cps = tuple(Checkpoint(D(2021, m, 28), base + span * f) for m, f in ((3, 0.1), (6, 0.3), (9, 0.55)))
        values = tuple(Measurement(D(2021, m, 1), base + span * f) for m, f in ((2, 0.0), (4, 0.05), (7, 0.31),
                                                                                  (10, 0.4)))
        ind = Indicator("i", "指标", target, D(2021, 12, 31), baseline=base, direction=direction, checkpoints=cps,
                        values=values)
        task = Task("p", "1", "任务", D(2021, 1, 15), D(2021, 12, 31), ("单位",), indicators=(ind,))
        days = [D(2021, 1, 15), D(2021, 12, 31), *(c.on for c in cps), *(m.on for m in values)]
        days += list(_days(D(2021, 1, 1), D(2022, 1, 10), 1))
        days.reverse()
        assert rags_over(task, days, office) == [task_status(task, d, office).rag for d in days]


def test_rags_over_matches_task_status_on_generated_offices(tmp_path):
    """The benchmark generator's office: down indicators, checkpoints, late ticks, starts mid-plan."""
    import importlib.util
    import json
    import sys

    spec = importlib.util.spec_from_file_location("gen_office", HERE.parent / "bench" / "gen_office.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules["gen_office"] = gen  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(gen)
    finally:
        del sys.modules["gen_office"]
    office, plans = gen.generate(150, 7)
    (tmp_path / "office.toml").write_text(gen.write_toml(office, plans), encoding="utf-8")
    actions = json.loads(gen.write_progress(gen.make_progress(plans, 7, None)))

    def history(store):
        for a in actions:
            on = date.fromisoformat(a["on"])
            try:
                if a["kind"] == "tick":
                    store.tick(a["task"], a.get("milestone"), on)
                elif a["kind"] == "record":
                    store.record(a["task"], a["indicator"], float(a["value"]), on)
                else:
                    store.add_note(a["task"], a["text"], on)
            except Exception:  # noqa: BLE001 - a generated action may restate one already there
                pass

    snap = snapshot_of(build_db(tmp_path, tmp_path / "office.toml", history=history))
    days = list(_days(D(2019, 12, 1), D(2025, 3, 1), 11))
    for task in snap.tasks:
        assert rags_over(task, days, snap.office) == [task_status(task, d, snap.office).rag for d in days], task.key
        assert rags_over(task, days, snap.office, overridden=False) == [
            task_status(task, d, snap.office).computed for d in days], task.key


# --- user text stays text ------------------------------------------------------------------------

HOSTILE = {
    "pipe": "已完成 | 未完成",
    "hash": "# 不是标题",
    "star": "*重点* **加粗**",
    "underscore": "_下划线_ snake_case",
    "backtick": "`code` ```block```",
    "angle": "<b>粗体</b> <script>alert(1)</script>",
    "rich": "[red]红色[/red] [bold]x[/]",
    "newline": "第一行\n第二行\r\n第三行",
    "equals": "=SUM(A1:A9)",
    "plus": "+86 138",
    "minus": "- 列表项",
    "at": "@所有人",
}


def _hostile_history(store: Store) -> None:
    for n, text in enumerate(HOSTILE.values()):
        store.add_note("fx-2021-key/4", text, D(2021, 8, 1) + timedelta(days=n))
    store.add_note("fx-2021/2.2", "|a|b|\n# 标题\n- 项", D(2021, 10, 25))
    store.set_override("fx-2021/4.1", Rag.RED, "原因 | 含竖线 *星号*", D(2021, 10, 15))


def _note_briefing(tmp_path, text: str, lang: str = "zh") -> str:
    db = build_db(tmp_path, history=lambda s: s.add_note("fx-2021-key/4", text, D(2021, 10, 30)))
    return render_briefing(snapshot_of(db), AS_OF, lang)


def _red_row(brief: str) -> list[str]:
    red = tables(_section(brief, "### （一）红色事项", "### （二）黄色事项"))[0]
    return next(r for r in red if r[0] == "fx-2021-key/4")


@pytest.mark.parametrize("name, text, expected", [
    ("pipe", "已完成 | 未完成", r"2021年10月30日：已完成 \| 未完成"),
    ("hash", "# 不是标题", "2021年10月30日：# 不是标题"),  # not at the start of a line: nothing to escape
    ("hash-line", "进展\n# 不是标题", r"2021年10月30日：进展<br>\# 不是标题"),
    ("list-line", "进展\n- 不是列表\n+ 也不是\n1. 更不是", r"2021年10月30日：进展<br>\- 不是列表<br>\+ 也不是<br>1\. 更不是"),
    ("star", "*重点* **加粗**", r"2021年10月30日：\*重点\* \*\*加粗\*\*"),
    ("underscore", "_下划线_ snake_case", r"2021年10月30日：\_下划线\_ snake\_case"),
    ("backtick", "`code`", r"2021年10月30日：\`code\`"),
    ("angle", "<b>粗体</b>", r"2021年10月30日：\<b\>粗体\</b\>"),
    ("rich", "[red]红色[/red]", r"2021年10月30日：\[red\]红色\[/red\]"),
    ("newline", "第一行\n第二行", "2021年10月30日：第一行<br>第二行"),
    ("equals", "=SUM(A1:A9)", "2021年10月30日：=SUM(A1:A9)"),
    ("plus", "+86 138", "2021年10月30日：+86 138"),
    ("minus", "- 列表项", "2021年10月30日：- 列表项"),
    ("at", "@所有人", "2021年10月30日：@所有人"),
])
def test_note_text_is_escaped_in_table_cells(tmp_path, name, text, expected):
    brief = _note_briefing(tmp_path, text)
    row = _red_row(brief)
    assert len(row) == 6  # id, title, lead, responsible, reason, note
    assert row[5] == expected


@pytest.mark.parametrize("title", ["# 标题", "=1+1", "+加", "- 减", "@某人", "a | b", "1. 编号", "<i>x</i>",
                                   "[red]x[/red]", "`x`", "*x*", "_x_", "行一\n行二"])
def test_titles_that_start_a_line_are_escaped(tmp_path, title):
    """A task title with a leading Markdown character never becomes a heading, list or table break."""
    text = FIXTURE.read_text(encoding="utf-8").replace('title = "推动医养结合发展"',
                                                        f"title = {_toml(title)}")
    plans = tmp_path / "plans.toml"
    plans.write_text(text, encoding="utf-8")
    brief = render_briefing(snapshot_of(build_db(tmp_path, plans, history=None)), AS_OF, "en")
    for line in brief.split("\n"):
        assert not line.startswith(("- ", "+ ", "= ", "@", "1. 编号", "<i>", "行二")), line
        if line.startswith("#"):
            assert re.match(r"#+ ", line) and "标题" not in line, line
    for table in tables(brief):
        for row in table[1:]:
            assert len(row) == len(table[0]), row
    assert "推动医养结合发展" not in brief


def _toml(s: str) -> str:
    import json

    return json.dumps(s, ensure_ascii=False)


def test_office_name_and_review_title_are_escaped(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace('name = "示范市养老服务工作领导小组办公室"',
                                                        'name = "*办公室* <b>|#"')
    plans = tmp_path / "plans.toml"
    plans.write_text(text, encoding="utf-8")

    def history(store):
        store.hold_review(D(2021, 9, 3), "第三次 | *推进会*")

    brief = render_briefing(snapshot_of(build_db(tmp_path, plans, history=history)), AS_OF, "zh")
    assert brief.startswith(r"# \*办公室\* \<b\>\|\#" + "\n")  # the trailing # escaped: it would close the heading
    assert r"上次推进会为2021年9月3日召开的第三次 \| \*推进会\*）" in brief
    for table in tables(brief):
        for row in table[1:]:
            assert len(row) == len(table[0]), row


def test_control_characters_are_shown_not_obeyed(tmp_path):
    brief = _note_briefing(tmp_path, "ansi \x1b[31mred\x1b[0m bidi \u202e")
    assert "\x1b" not in brief and "\u202e" not in brief
    assert "U+001B" in _red_row(brief)[5]


def test_catalogue_keys_in_both_languages_with_the_same_placeholders():
    from supervise.i18n import CATALOGUE

    mine = {k: v for k, v in CATALOGUE.items() if k.startswith(("brief.", "ledger."))}
    assert len(mine) > 60
    for key, (en, zh) in mine.items():
        assert en.strip() and zh.strip(), key
        assert set(re.findall(r"{(\w+)", en)) == set(re.findall(r"{(\w+)", zh)), key


# --- the pure-core contract ---------------------------------------------------------------------


def test_briefing_imports_no_shell_and_reads_no_clock():
    source = (HERE.parent / "supervise" / "briefing.py").read_text(encoding="utf-8")
    for name in ("textual", "rich", "click", "openpyxl"):
        assert not re.search(rf"^\s*(import|from)\s+{name}\b", source, re.M), name
    for clock in ("date.today", "datetime.now", "time.time", "SUPERVISE_TODAY", "os.environ"):
        assert clock not in source, clock


# --- the command line ---------------------------------------------------------------------------


def _run(args, env=None, **kw):
    runner = CliRunner()
    return runner.invoke(cli, args, env={"SUPERVISE_TODAY": "2021-10-31", "SUPERVISE_LANG": "zh", **(env or {})},
                         catch_exceptions=False, **kw)


def test_cli_brief_writes_the_file(fixture_db, snap, tmp_path):
    out = tmp_path / "b.md"
    result = _run(["--db", str(fixture_db), "brief", "--as-of", "2021-10-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_briefing(snap, AS_OF, "zh")
    assert str(out) in result.output


def test_cli_brief_default_path_and_today(fixture_db, snap, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--db", str(fixture_db), "--lang", "en", "brief"],
                                env={"SUPERVISE_TODAY": "2021-10-31"})
    assert result.exit_code == 0, result.output
    text = (tmp_path / "briefings" / "2021-10-31-review.md").read_text(encoding="utf-8")
    assert text == render_briefing(snap, AS_OF, "en")


def test_cli_brief_to_stdout_with_a_chinese_date(fixture_db, snap):
    result = _run(["--db", str(fixture_db), "brief", "--as-of", "2021年10月底", "--out", "-"])
    assert result.exit_code == 0
    assert result.output == render_briefing(snap, AS_OF, "zh")


def _main(args, env=None):
    """Through supervise.cli.main, as the installed command runs: exit statuses and one-line errors."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", "from supervise.cli import main; main()", *args],
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "SUPERVISE_TODAY": "2021-10-31", "SUPERVISE_LANG": "en", **(env or {})})


def test_cli_brief_bad_date_exits_2_without_traceback(fixture_db):
    result = _main(["--db", str(fixture_db), "brief", "--as-of", "2021-13-45", "--out", "-"])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "--as-of" in result.stderr


def test_cli_brief_bad_date_through_clirunner(fixture_db, tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(fixture_db), "brief", "--as-of", "not a date", "--out",
                                      str(tmp_path / "x.md")], env={"SUPERVISE_TODAY": "2021-10-31"})
    assert result.exit_code != 0
    assert getattr(result.exception, "exit_code", None) == 2
    assert not (tmp_path / "x.md").exists()


def test_cli_brief_unwritable_out_exits_2(fixture_db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _main(["--db", str(fixture_db), "brief", "--as-of", "2021-10-31", "--out", str(blocker / "b.md")])
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_cli_brief_empty_database_exits_2(tmp_path):
    result = _main(["--db", str(tmp_path / "empty.db"), "brief", "--out", "-"])
    assert result.returncode == 2 and "Traceback" not in result.stderr and "import" in result.stderr


def test_cli_review_hold_moves_the_period(tmp_path):
    db = build_db(tmp_path, history=None)
    result = _run(["--db", str(db), "review", "hold", "--on", "2021-09-10", "--title", "第三次双月推进会"])
    assert result.exit_code == 0, result.output
    assert "2021-09-10" in result.output
    out = _run(["--db", str(db), "brief", "--as-of", "2021-10-31", "--out", "-"]).output
    assert "统计时段：2021年9月11日至2021年10月31日（上次推进会为2021年9月10日召开的第三次双月推进会）" in out
    assert "| 2021年9月10日 | 已召开推进会（第三次双月推进会） |" in out  # dates in the Chinese form


def test_cli_review_hold_twice_on_one_day_records_it_once(tmp_path):
    db = build_db(tmp_path, history=None)
    first = _main(["--db", str(db), "review", "hold", "--on", "2021-09-10", "--title", "第三次双月推进会"])
    again = _main(["--db", str(db), "review", "hold", "--on", "2021-09-10"])
    assert first.returncode == 0 and again.returncode == 0, again.stderr
    assert "already recorded" in again.stdout + again.stderr and "Traceback" not in again.stderr
    held = [r for r in snapshot_of(db).office.reviews if r.held]
    assert [(r.on, r.title) for r in held] == [(date(2021, 9, 10), "第三次双月推进会")]
    with Store.open(db) as store:
        assert [e.kind for e in store.events()].count("review") == 1


def test_cli_review_hold_bad_date_exits_2(tmp_path):
    db = build_db(tmp_path, history=None)
    result = _main(["--db", str(db), "review", "hold", "--on", "2021-02-30"])
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert snapshot_of(db).office.reviews == ()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_briefing_dated_before_the_plans_start_says_there_is_no_period_yet(snap, lang):
    first = min(p.start for p in snap.plans)
    doc = render_briefing(snap, first - timedelta(days=30), lang)
    period = next(line for line in doc.splitlines() if line.startswith(("Period", "统计时段")))
    assert period.rstrip() == t(lang, "brief.period_not_started", start=long_date(first, lang))


# --- what a director expects (issue 13) -----------------------------------------------------------


def test_red_and_amber_tables_name_the_responsible_units(snap):
    zh = render_briefing(snap, AS_OF, "zh")
    red = tables(_section(zh, "### （一）红色事项", "### （二）黄色事项"))[0]
    amber = tables(_section(zh, "### （二）黄色事项", "## 三、"))[0]
    assert red[0] == amber[0] == ["编号", "任务", "牵头单位", "责任单位", "原因", "最新进展"]
    rows = {r[0]: r[3] for r in red[1:] + amber[1:]}
    task = {t.key: t for t in snap.tasks}
    for key, cell in rows.items():
        assert cell == ("、".join(task[key].responsible) or "—")
    assert rows["fx-2021/1.2"] == "市财政局、市残联"


def test_an_indicator_reason_names_the_indicator_its_value_and_target(snap):
    zh = render_briefing(snap, AS_OF, "zh")
    assert "| 培训家庭照护者 3,500/20,000 人，序时应完成 27.7% |" in zh
    en = render_briefing(snap, AS_OF, "en")
    assert "| 培训家庭照护者 3,500/20,000 人, 27.7% due by now |" in en


@pytest.mark.parametrize("on", [D(2021, 10, 31), D(2021, 11, 30), D(2021, 12, 31), D(2022, 1, 15)])
def test_a_dated_briefing_says_dates_not_today_or_in_n_days(snap, on):
    zh = render_briefing(snap, on, "zh")
    en = render_briefing(snap, on, "en")
    for word in ("今天到期", "天后到期", "明天"):
        assert word not in zh
    for word in ("due today", "due in "):
        assert word not in en
    if on == D(2021, 11, 30):  # the first batch of home adaptations falls due on the day itself
        assert "完成首批500户困难老年人家庭适老化改造：2021年11月30日到期" in zh
        assert "完成首批500户困难老年人家庭适老化改造: due on 2021-11-30" in en


def test_chinese_dates_in_a_chinese_briefing(snap):
    zh = render_briefing(snap, AS_OF, "zh")
    assert not re.search(r"\d{4}-\d\d-\d\d", zh)  # no ISO date anywhere: tables, notes, reasons
    assert "已于2021年9月29日完成" in zh and "| 2021年9月28日 | fx-2021-key/1 |" in zh
    en = render_briefing(snap, AS_OF, "en")
    assert "| 2021-09-28 | fx-2021-key/1 |" in en  # English tables keep ISO dates


def test_the_briefing_ends_with_its_signature(snap):
    zh = render_briefing(snap, AS_OF, "zh")
    assert zh.endswith("\n\n示范市养老服务工作领导小组办公室  \n2021年10月31日\n")
    en = render_briefing(snap, AS_OF, "en")
    assert en.endswith("\n\n示范市养老服务工作领导小组办公室  \n31 October 2021\n")


def test_grouped_numbers():
    from supervise.formats import grouped

    assert [grouped(x) for x in (20000, 3500.0, 1234567.891, 0.5, None)] == ["20,000", "3,500", "1,234,567.89",
                                                                           "0.5", "—"]


@pytest.mark.parametrize("code, extra", [("no_value", {"due": "80.5"}), ("pace", {"done": "78", "due": "80.5"}),
                                         ("missed", {"days": 3, "done": "85"}), ("no_value_missed", {"days": 3})])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_percentage_target_in_a_dated_reason_has_no_space_before_the_percent_sign(code, extra, lang):
    """"目标 100 %" beside "序时应完成 80.5%" in one sentence: % is written against its number, as
    every other figure of the briefing has it ("92.5%（目标 90%）"); a word unit keeps its space."""
    from supervise.briefing import dated_words
    from supervise.status import Reason

    latest = None if code.startswith("no_value") else 85
    about = {"name": "建成率", "latest": latest, "goal": 100, "due_on": date(2020, 12, 31)}
    words = dated_words(Reason.of(code, **extra, **about, unit="%"), lang)
    assert "100%" in words and " %" not in words, words
    words = dated_words(Reason.of(code, **extra, **about, unit="个"), lang)
    assert "100 个" in words, words
