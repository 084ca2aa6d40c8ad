"""The bundled plans.toml (沈阳市推动品质养老三年行动计划 and its 2021 key tasks) and the command list.

Counts are pinned as the file stands: a change to the file that alters them
should be deliberate, and this test is where it shows.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import REPO, db_rows, run_cli
from supervise.cli import cli
from supervise.planfile.loader import load_plan_file



def _commands(group, prefix: str = "") -> list[str]:
    """Every command and subcommand the CLI has, read from click itself (no hand-kept list)."""
    import click

    out = []
    for name, command in sorted(group.commands.items()):
        out.append(prefix + name)
        if isinstance(command, click.Group):
            out += _commands(command, prefix + name + " ")
    return out


COMMANDS = _commands(cli)
TOP = [c for c in COMMANDS if " " not in c]

SY_2021_SECTIONS = [
    ("（一）提升居家养老服务品质", 6),
    ("（二）提升社区养老服务品质", 3),
    ("（三）提升机构养老服务品质", 4),
    ("（四）提升医养康养服务品质", 3),
    ("（五）提升养老服务队伍品质", 4),
    ("（六）提升管理服务品质", 4),
]
PLANS, TASKS, MILESTONES, INDICATORS = 2, 35, 12, 30


@pytest.fixture(scope="module")
def planset(bundled_plans):
    return load_plan_file(bundled_plans)


def test_help_lists_the_commands(invoke):
    outcome = invoke(["--help"])
    assert outcome.exit_code == 0, outcome
    listed = outcome.stdout.split("Commands:", 1)[1]
    names = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert set(TOP) <= names, sorted(set(TOP) - names)
    for option in ("--db", "--plans", "--lang"):
        assert option in outcome.stdout


def test_help_as_a_process():
    outcome = run_cli(["--help"], cwd=REPO)
    assert outcome.exit_code == 0, outcome
    assert all(f"  {c} " in outcome.stdout for c in TOP)


def test_every_command_is_documented_in_the_readme():
    """The README's command table names every command and subcommand the CLI has."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [c for c in COMMANDS if f"supervise {c}" not in readme]
    assert not missing, f"commands not in README.md (add a row to its command table): {missing}"


def test_check_bundled_file_as_written_in_the_issue():
    """`supervise check plans.toml` from the repository: exit 0, no warning."""
    outcome = run_cli(["check", "plans.toml"], cwd=REPO)
    assert outcome.exit_code == 0, outcome
    assert outcome.stderr == "", "the bundled file loads without a warning"
    assert "2 plans, 35 tasks, 12 milestones, 30 indicators" in outcome.stdout


def test_check_bundled_file_in_process(invoke, bundled_plans):
    outcome = invoke(["check", bundled_plans])
    assert outcome.exit_code == 0, outcome
    assert outcome.stderr == ""


def test_bundled_counts(planset):
    assert planset.warnings == ()
    assert [p.id for p in planset.plans] == ["sy-2021", "sy-2021-key"]
    by_plan = Counter(t.plan for t in planset.tasks)
    assert by_plan == {"sy-2021": 24, "sy-2021-key": 11}
    sections = Counter(t.section for t in planset.tasks if t.plan == "sy-2021")
    assert list(sections.items()) == SY_2021_SECTIONS, "six sections, in file order, with these counts"
    assert all(t.section for t in planset.tasks if t.plan == "sy-2021")
    assert len(planset.tasks) == TASKS
    assert sum(len(t.milestones) for t in planset.tasks) == MILESTONES
    assert sum(len(t.indicators) for t in planset.tasks) == INDICATORS


def test_bundled_plans_are_well_formed(planset):
    plans = {p.id: p for p in planset.plans}
    assert plans["sy-2021"].start.isoformat() == "2021-01-01" and plans["sy-2021"].end.isoformat() == "2023-12-31"
    assert plans["sy-2021-key"].start.year == plans["sy-2021-key"].end.year == 2021
    for t in planset.tasks:
        plan = plans[t.plan]
        assert t.lead, t.key
        assert plan.start <= t.start <= t.due <= plan.end, t.key
        for m in t.milestones:
            assert t.start <= m.due <= t.due, f"{t.key}/{m.id}"
        for i in t.indicators:
            assert i.target != i.baseline and i.direction in ("up", "down"), f"{t.key}/{i.id}"
    assert len({t.key for t in planset.tasks}) == TASKS
    office = planset.office
    assert office.name == "沈阳市加快推进养老服务工作领导小组办公室"
    assert office.review_every_months == 2
    assert office.first_review.isoformat() == "2021-04-30"


def test_bundled_import_and_status(tmp_db, bundled_plans, invoke):
    outcome = invoke(["--db", tmp_db, "import", bundled_plans])
    assert outcome.exit_code == 0, outcome
    assert f"{PLANS + TASKS + MILESTONES + INDICATORS} added, 0 changed, 0 withdrawn, 0 restored" in outcome.stdout
    assert db_rows(tmp_db, "SELECT count(*) FROM plans") == [(PLANS,)]
    assert db_rows(tmp_db, "SELECT count(*) FROM tasks") == [(TASKS,)]
    assert db_rows(tmp_db, "SELECT count(*) FROM milestones") == [(MILESTONES,)]
    assert db_rows(tmp_db, "SELECT count(*) FROM indicators") == [(INDICATORS,)]
    assert db_rows(tmp_db, "SELECT s.title, count(*) FROM tasks t JOIN sections s ON s.id = t.section_id "
                           "WHERE t.plan_id = 'sy-2021' GROUP BY s.id ORDER BY s.position") == SY_2021_SECTIONS
    status = invoke(["--db", tmp_db, "status", "--format", "json"])
    assert status.exit_code == 0, status
    data = json.loads(status.stdout)
    assert data["as_of"] == "2021-10-31"
    assert len(data["tasks"]) == TASKS
    assert sum(data["summary"].values()) == TASKS
