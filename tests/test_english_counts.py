"""English counts agree with their noun ("1 plan", "1 day ago"); Chinese needs no such thing.

The plan is tests/fixtures/notices_plans.toml: one plan, three tasks, one milestone (p/1/a), one
indicator (p/2/n, 0 → 100 due 2021-12-31).
"""

from __future__ import annotations

import json

from conftest import FIXTURES

PLANS = FIXTURES / "notices_plans.toml"


def test_check_says_one_plan_in_the_singular(invoke):
    outcome = invoke(["--lang", "en", "check", str(PLANS)])
    assert outcome.exit_code == 0, outcome
    assert outcome.stdout.strip() == f"{PLANS}: OK — 1 plan, 3 tasks, 1 milestone, 1 indicator"
    chinese = invoke(["--lang", "zh", "check", str(PLANS)])
    assert chinese.stdout.strip() == f"{PLANS}：通过 — 1 个计划，3 项任务，1 个节点，1 项指标"


def test_a_target_missed_one_day_ago(tmp_path, invoke):
    db = tmp_path / "c.db"
    env = {"SUPERVISE_TODAY": "2022-01-01"}
    assert invoke(["--db", db, "import", PLANS], env=env).exit_code == 0

    def reasons() -> list[str]:
        outcome = invoke(["--db", db, "--lang", "en", "status", "--format", "json"], env=env)
        assert outcome.exit_code == 0, outcome
        return next(t for t in json.loads(outcome.stdout)["tasks"] if t["id"] == "p/2")["reasons"]

    # the indicator was due on 2021-12-31: on 2022-01-01 that is one day ago
    assert reasons() == ["no value reported, target due 1 day ago"]
    assert invoke(["--db", db, "record", "p/2", "n", "40", "--on", "2021-12-01"], env=env).exit_code == 0
    assert reasons() == ["target missed 1 day ago: 40% done"]


def test_the_extraction_summary_counts_agree():
    # the draft's summary said "found 1 plans, …, 1 milestones" for a one-plan document
    from supervise.extract.drafts import ExtractSummary

    one = ExtractSummary(tasks=1, units=1, dates=1, indicators=1, unsure=1, plans=1, milestones=1, no_lead=1)
    assert one.describe("en") == ("found 1 plan, 1 task, 1 unit, 1 date, 1 milestone, 1 indicator; 1 line marked "
                                  "'# 待核实' to check; 1 task names no lead in the text: left out, fill them in "
                                  "before check passes")
    two = ExtractSummary(tasks=2, units=0, dates=2, indicators=2, unsure=2, plans=2, milestones=2)
    assert two.describe("en") == ("found 2 plans, 2 tasks, 0 units, 2 dates, 2 milestones, 2 indicators; 2 lines "
                                  "marked '# 待核实' to check")
