"""bench/gen_office.py: the default office stays what it was; --dense gives every task five milestones and one indicator."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tomllib
from pathlib import Path

from supervise.planfile.loader import load_plan_file

GEN = Path(__file__).resolve().parent.parent / "bench" / "gen_office.py"

# sha256 of `gen_office.py --tasks 300 --seed 7` as written before --dense existed (commit fbd44ed):
# the benchmarks' default office must not move, or figures of different sessions stop being comparable
DEFAULT_TOML_SHA256 = "531c5bd1c0f2bf3f3cd125f3bb5e801081fd99fdc4f6f4cadf0a684905df00b2"
DEFAULT_PROGRESS_SHA256 = "4e8b5e4260194d0281c824c5940ddc952a1c096bfe5115d227b8c42ddf4402d1"


def generate(tmp_path: Path, *extra: str) -> tuple[Path, Path]:
    plans, progress = tmp_path / "office.toml", tmp_path / "progress.json"
    subprocess.run([sys.executable, str(GEN), "--tasks", "300", "--seed", "7", "--out", str(plans),
                    "--progress-out", str(progress), "--quiet", *extra], check=True)
    return plans, progress


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_office_is_unchanged(tmp_path):
    plans, progress = generate(tmp_path)
    assert sha256(plans) == DEFAULT_TOML_SHA256
    assert sha256(progress) == DEFAULT_PROGRESS_SHA256


def test_dense_office_has_five_milestones_and_one_indicator_on_every_task(tmp_path):
    plans, _ = generate(tmp_path, "--dense")
    doc = tomllib.loads(plans.read_text(encoding="utf-8"))
    tasks = doc["task"]
    assert len(tasks) == 300
    assert {len(t.get("milestone", [])) for t in tasks} == {5}
    assert {len(t.get("indicator", [])) for t in tasks} == {1}
    assert all([m["id"] for m in t["milestone"]] == ["a", "b", "c", "d", "e"] for t in tasks)
    # and it is a plan file supervise accepts, with the same counts
    planset = load_plan_file(plans)
    assert len(planset.tasks) == 300
    assert sum(len(t.milestones) for t in planset.tasks) == 1500
    assert sum(len(t.indicators) for t in planset.tasks) == 300


def test_dense_milestones_of_a_task_have_different_titles(tmp_path):
    plans, _ = generate(tmp_path, "--dense")
    tasks = tomllib.loads(plans.read_text(encoding="utf-8"))["task"]
    assert all(len({m["title"] for m in t["milestone"]}) == 5 for t in tasks)
