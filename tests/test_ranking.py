"""The ranking of lead units (通报): supervise/ranking.py and `supervise units` (shared/spec/office.md).

The office is tests/fixtures/ranking_plans.toml with the progress `_history` records. Every
expected figure below is worked out by hand in the comments, not by the code under test.

Office: reviews every 2 months from 2021-04-30 (month ends: 04-30, 06-30, 08-31, …), amber_days 30.
Progress:
  t1 (甲局): m1 due 03-31 ticked 03-20 (on time); m2 due 06-30 ticked 07-05 (late); m3 due 12-31 open;
             task due 12-31. A milestone m0 (due 02-28, never done) is withdrawn.
  t2 (甲局 and 乙局, no items): due 05-31, ticked 05-20 (on time).
  t3 (乙局, no items): due 06-30, never done.
  t4 (丙局, no items): due 07-01, ticked 07-10 (late).
  t5 (丙局): m1 due 06-15 ticked 06-10 (on time); task due 12-31.
  t6 (丁局, no items): due 2022-12-31.    t7 (庚局, no items): due 06-30, never done.
  t8 (戊局, plan p2, no items): due 2022-06-30.
  t9 (己局, no items): due 03-31, never done — withdrawn, so 己局 is not ranked at all.
Deadlines are the live milestones and every task's own completion date.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from supervise.cli.terminal import _width
from supervise.db.store import Store
from supervise.planfile.loader import load_plan_file
from supervise.ranking import (
    UnitRank,
    percent,
    rank_units,
    ranking_csv,
    ranking_markdown,
)
from supervise.views import statuses

D = date
FIXTURE = Path(__file__).parent / "fixtures" / "ranking_plans.toml"
KEYS = ["unit", "led", "red", "amber", "green", "done", "red_rate", "on_time_rate", "rank", "previous_rank"]


def _history(store: Store) -> None:
    store.tick("p1/t1", "m1", D(2021, 3, 20))
    store.tick("p1/t1", "m2", D(2021, 7, 5))
    store.tick("p1/t2", None, D(2021, 5, 20))
    store.tick("p1/t4", None, D(2021, 7, 10))
    store.tick("p1/t5", "m1", D(2021, 6, 10))


def _without_withdrawn(text: str) -> str:
    head, rest = text.split("# -- withdrawn later --\n")
    return head + rest.split("# -- end withdrawn later --\n")[1]


@pytest.fixture(scope="module")
def office_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("ranking")
    db = tmp / "supervise.db"
    later = tmp / "plans.toml"
    later.write_text(_without_withdrawn(FIXTURE.read_text(encoding="utf-8")), encoding="utf-8")
    with Store.open(db) as store:
        store.import_plans(load_plan_file(str(FIXTURE)), D(2021, 1, 1), source=str(FIXTURE))
        _history(store)
        report = store.import_plans(load_plan_file(str(later)), D(2021, 1, 2), source=str(later))
    assert sorted(report.withdrawn) == ["milestone p1/t1/m0", "task p1/t9"]  # the fixture is what the comments say
    return db


def snap_of(db: Path):
    with Store.open(db) as store:
        return store.snapshot()


def units_json(invoke, db: Path, *args: str) -> dict:
    out = invoke(["--db", str(db), "units", *args, "--format", "json"])
    assert out.exit_code == 0, out
    return json.loads(out.stdout)


def row(unit, led, red, amber, green, done, red_rate, on_time_rate, rank, previous_rank):
    return dict(zip(KEYS, (unit, led, red, amber, green, done, red_rate, on_time_rate, rank, previous_rank)))


def test_ranking_by_hand_with_ties_and_nulls(invoke, office_db):
    # As of 2021-07-15 (previous review 2021-06-30):
    #   甲局: t1 green (m3 due in 169 days), t2 done → led 2, red 0;
    #         fell due: m1 (met), m2 (late), t2 (met) = 3, met 2 → 2/3 = 0.6667; red rate 0/2 = 0.
    #   乙局: t2 done, t3 red (15 days overdue) → led 2; fell due t2 (met), t3 (not) → 1/2 = 0.5; red 1/2 = 0.5.
    #   丙局: t4 done (late tick), t5 done (all items done) → led 2; fell due t4 (late), t5/m1 (met)
    #         → 1/2 = 0.5; red 0/2 = 0. Ties 乙局 on time; the lower red rate ranks it first.
    #   庚局: t7 red → led 1; fell due t7 (not met) → 0/1 = 0.0; red 1/1 = 1.0.
    #   丁局, 戊局: one green task each, nothing due yet → on time null (last), red rate 0 both;
    #         tied, so by name: 丁 U+4E01 before 戊 U+620A.
    # As of 2021-06-30 (the previous review):
    #   甲局: m1 (met), m2 (due that day, not done), t2 (met) → 2/3;  乙局: t2 (met), t3 (not) → 1/2;
    #   丙局: t5/m1 (met); t4 not yet due → 1/1;  庚局: t7 not met → 0/1;  丁局, 戊局: null.
    #   Colours that day: t1 amber (m2 due today), t3 and t7 amber (due today), t4 amber: no reds,
    #   so the order is by on time alone: 丙局 1, 甲局 2, 乙局 3, 庚局 4, 丁局 5, 戊局 6.
    doc = units_json(invoke, office_db, "--as-of", "2021-07-15")
    assert doc == {"as_of": "2021-07-15", "previous_review": "2021-06-30", "units": [
        row("甲局", 2, 0, 0, 1, 1, 0.0, 0.6667, 1, 2),
        row("丙局", 2, 0, 0, 0, 2, 0.0, 0.5, 2, 1),
        row("乙局", 2, 1, 0, 0, 1, 0.5, 0.5, 3, 3),
        row("庚局", 1, 1, 0, 0, 0, 1.0, 0.0, 4, 4),
        row("丁局", 1, 0, 0, 1, 0, 0.0, None, 5, 5),
        row("戊局", 1, 0, 0, 1, 0, 0.0, None, 6, 6),
    ]}
    assert all(list(u) == KEYS for u in doc["units"])  # exactly the spec's keys, in its order
    assert all(isinstance(u["red_rate"], float) for u in doc["units"])


def test_before_the_first_review_previous_rank_is_null(invoke, office_db):
    # As of 2021-04-15: no review before it. Only m1 (03-31, met) has fallen due → 甲局 1/1;
    # everyone else null, all green (nothing within 30 days... t2 is due 05-31: 46 days), red 0;
    # the nulls by code point: 丁 4E01, 丙 4E19, 乙 4E59, 庚 5E9A, 戊 620A.
    doc = units_json(invoke, office_db, "--as-of", "2021-04-15")
    assert doc["previous_review"] is None
    assert [(u["unit"], u["on_time_rate"], u["rank"], u["previous_rank"]) for u in doc["units"]] == [
        ("甲局", 1.0, 1, None), ("丁局", None, 2, None), ("丙局", None, 3, None), ("乙局", None, 4, None),
        ("庚局", None, 5, None), ("戊局", None, 6, None)]


def test_plan_option_ranks_that_plan_only(invoke, office_db):
    doc = units_json(invoke, office_db, "--as-of", "2021-07-15", "--plan", "p2")
    assert doc["units"] == [row("戊局", 1, 0, 0, 1, 0, 0.0, None, 1, 1)]
    p1 = units_json(invoke, office_db, "--as-of", "2021-07-15", "--plan", "p1")
    assert [u["unit"] for u in p1["units"]] == ["甲局", "丙局", "乙局", "庚局", "丁局"]


def test_statuses_or_snapshot_give_the_same_ranking(office_db):
    snap = snap_of(office_db)
    as_of = D(2021, 7, 15)
    from_snapshot = rank_units(snap, as_of, snap.office)
    assert rank_units(statuses(snap, as_of), as_of, snap.office) == from_snapshot
    assert [(u.unit, u.fell_due, u.on_time) for u in from_snapshot][:3] == [("甲局", 3, 2), ("丙局", 2, 1), ("乙局", 2, 1)]


def test_unknown_plan_and_empty_database_exit_2(invoke, office_db, tmp_path):
    out = invoke(["--db", str(office_db), "units", "--plan", "p3"])
    assert out.exit_code == 2 and "p3" in out.stderr and out.stdout == ""
    empty = invoke(["--db", str(tmp_path / "empty.db"), "units"])
    assert empty.exit_code == 2
    bad = invoke(["--db", str(office_db), "units", "--as-of", "yesterday-ish"])
    assert bad.exit_code == 2


def test_as_of_defaults_to_today(invoke, office_db):
    doc = json.loads(invoke(["--db", str(office_db), "units", "--format", "json"],
                            env={"SUPERVISE_TODAY": "2021-07-15"}).stdout)
    assert doc["as_of"] == "2021-07-15" and doc["units"][0]["unit"] == "甲局"


def test_table_is_aligned_in_chinese(invoke, office_db):
    out = invoke(["--db", str(office_db), "--lang", "zh", "units", "--as-of", "2021-07-15"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out
    lines = out.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("名次"))
    table = lines[header:header + 7]
    assert [line.split()[1] for line in table[1:]] == ["甲局", "丙局", "乙局", "庚局", "丁局", "戊局"]
    assert "66.7%" in table[1] and "2/3" in table[1]
    # every row's "上次名次" figure ends in the same screen column as the header's label
    ends = {_width(line.rstrip()) for line in table}
    assert len(ends) == 1
    assert "上次推进会：2021-06-30" in out.stdout


def test_table_in_english(invoke, office_db):
    out = invoke(["--db", str(office_db), "--lang", "en", "units", "--as-of", "2021-04-15"], env={"COLUMNS": "200"})
    assert "Rank" in out.stdout and "On time" in out.stdout and "no review before this date" in out.stdout


def test_markdown_and_csv(invoke, office_db):
    md = invoke(["--db", str(office_db), "--lang", "zh", "units", "--as-of", "2021-07-15", "--format", "markdown"]).stdout
    assert md.startswith("# 牵头单位排名（截至2021-07-15）")
    assert "| 1 | 甲局 | 2 | 0 | 0 | 1 | 1 | 0% | 66\\.7% | 2/3 | 2 |" in md  # markdown.cell escapes "66." (a list item)
    assert "| 6 | 戊局 | 1 | 0 | 0 | 1 | 0 | 0% | — | 0/0 | 6 |" in md
    raw = invoke(["--db", str(office_db), "units", "--as-of", "2021-07-15", "--format", "csv"]).stdout
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw[1:])))
    assert rows[0] == KEYS
    assert rows[1] == ["甲局", "2", "0", "0", "1", "1", "0.0", "0.6667", "1", "2"]
    assert rows[6] == ["戊局", "1", "0", "0", "1", "0", "0.0", "", "6", "6"]


def test_user_text_stays_literal_in_markdown_and_csv():
    hostile = UnitRank("=1+2|局 # [red]", 1, 0, 0, 1, 0, 0, 0, 1)
    md = ranking_markdown([hostile], D(2021, 7, 15), None, "zh")
    assert "\\=1+2\\|局 # \\[red\\]" in md
    assert "\n=1+2" not in ranking_csv([hostile])
    assert "'=1+2|局 # [red]" in ranking_csv([hostile])


def test_percent():
    assert [percent(2 / 3), percent(1.0), percent(0.0), percent(0.125), percent(None)] == ["66.7%", "100%", "0%", "12.5%", "—"]
