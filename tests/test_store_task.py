"""Reading one task on its own gives exactly what a full snapshot gives (the UI relies on it after a write)."""

from datetime import date
from pathlib import Path

from supervise.plan_file import load_plan_file
from supervise.store import Store

PLANS = Path(__file__).resolve().parents[1] / "plans.toml"


def test_updated_snapshot_equals_a_full_reread(tmp_path):
    store = Store.open(tmp_path / "s.db")
    store.import_plans(load_plan_file(PLANS), date(2021, 3, 1))
    before = store.snapshot()
    store.record("sy-2021/1.1", "carers", 5200, date(2021, 9, 30), note="培训[red]进展|顺利")
    store.tick("sy-2021-key/3", "a", date(2021, 9, 20))
    store.set_override("sy-2021/1.1", __import__("supervise.models").models.Rag.AMBER, "资金到位", date(2021, 10, 1))
    partial = store.updated(store.updated(before, "sy-2021/1.1"), "sy-2021-key/3")
    assert partial == store.snapshot()
    assert partial != before
    assert store.task("sy-2021/1.1").indicators[0].values[-1].value == 5200
