"""`supervise demo`: the bundled example plan with a year of recorded progress.

A newcomer's first screen on the bare example is all red (the plan ended in 2023), which shows
nothing of the tool. The demo imports the example into a fresh database and records a year of
plausible progress through the store's own actions — ticks (some early, some late, some
missed), indicator values that keep pace or lag, notes, one override and two held review
meetings — so every entry is an event in the log and `undo` works on it. It is opened as of
DEMO_DAY, a day inside the plan.

Pure core: no clock (the day is a constant), no terminal; the same seed gives the same story.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from .models import Rag

DEMO_DAY = date(2022, 1, 20)  # inside the plan, after its first year: 2021's key tasks have come due
FIRST_DAY = date(2021, 1, 1)
SEED = 2021

NOTES = (
    "已召开专题部署会，明确责任分工和时间节点",
    "区县（市）已报送实施方案，正在汇总审核",
    "资金已下达，项目进入招标阶段",
    "受疫情影响，部分现场工作推迟，已调整计划",
    "已完成首批试点，正在总结经验准备推广",
    "牵头单位反映需财政部门进一步明确资金渠道",
    "已印发工作通知，各区县（市）按月报送进展",
    "督查组实地查看，进度符合预期",
)
OVERRIDE = ("资金已到位，进度可追回", date(2021, 12, 20), date(2022, 3, 31))
REVIEWS = ((date(2021, 10, 31), "第四次双月推进会"), (date(2021, 12, 31), "第五次双月推进会"))


def example_plans() -> Path:
    """The bundled example: inside the installed package (the wheel carries it as
    supervise/data/example.toml), else plans.toml at the root of a source checkout."""
    packaged = resources.files("supervise") / "data" / "example.toml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / "plans.toml"


def record_progress(store, day: date = DEMO_DAY, seed: int = SEED) -> int:
    """Record a year of progress (up to `day`) in a store holding the example; returns the actions taken."""
    rng = random.Random(seed)
    snap = store.snapshot()
    tasks = [t for t in snap.tasks if not t.withdrawn]
    actions = 0
    for n, task in enumerate(tasks):
        pace = rng.choice((1.05, 1.0, 0.95, 0.9, 0.8, 0.7, 0.6, 0.45))  # how well this task keeps up
        diligent = rng.random() < 0.8
        for ms in task.live_milestones:
            if ms.due > day + timedelta(days=45):
                continue
            if ms.due > day:  # due soon: some are done early
                if rng.random() < 0.5:
                    store.tick(task.key, ms.id, day - timedelta(days=rng.randint(1, 20)))
                    actions += 1
                continue
            if not diligent and rng.random() < 0.6:
                continue  # missed: overdue, red
            late = rng.random() < 0.25
            on = ms.due + timedelta(days=rng.randint(3, 25)) if late else ms.due - timedelta(days=rng.randint(0, 20))
            store.tick(task.key, ms.id, min(on, day))
            actions += 1
        if not task.live_milestones and task.due <= day and diligent and rng.random() < 0.7:
            store.tick(task.key, None, min(task.due - timedelta(days=rng.randint(0, 10)), day))
            actions += 1
        for ind in task.live_indicators:
            start = max(task.start, FIRST_DAY)
            for quarter_end in (date(2021, 3, 31), date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31)):
                if quarter_end > day or quarter_end <= start or (not diligent and quarter_end.month > 6):
                    continue
                share = min(1.0, (quarter_end - start).days / max(1, (ind.due - start).days))
                value = ind.baseline + (ind.target - ind.baseline) * share * pace * rng.uniform(0.95, 1.05)
                if diligent and pace >= 0.8 and ind.due <= day and quarter_end >= ind.due:
                    value = ind.target  # a year's target, met in time
                value = round(value) if abs(ind.target) >= 100 else round(value, 1)
                store.record(task.key, ind.id, value, quarter_end + timedelta(days=rng.randint(1, 10)) if
                             quarter_end + timedelta(days=10) <= day else quarter_end)
                actions += 1
        if n % 3 == 1:
            store.add_note(task.key, NOTES[(n // 3) % len(NOTES)], day - timedelta(days=rng.randint(5, 200)))
            actions += 1
    reason, start, until = OVERRIDE
    pick = next((t for t in tasks if t.live_indicators), tasks[0])
    store.set_override(pick.key, Rag.AMBER, reason, start, until)
    for on, title in REVIEWS:
        store.hold_review(on, title)
    return actions + 1 + len(REVIEWS)
