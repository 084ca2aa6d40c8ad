"""Reading one task on its own gives exactly what a full snapshot gives (the UI relies on it after a write)."""

from datetime import date
from pathlib import Path

from supervise.planfile.loader import load_plan_file
from supervise.db.store import Store

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


def test_each_write_returns_its_own_event_even_when_another_program_writes_right_after(tmp_path, monkeypatch):
    """Found by the load test: a write read back "the newest event", which may already be someone else's."""
    from contextlib import contextmanager

    path = tmp_path / "s.db"
    store = Store.open(path)
    store.import_plans(load_plan_file(PLANS), date(2021, 3, 1))
    other = Store.open(path)
    original = Store._write

    @contextmanager
    def write_then_interleave(self):
        with original(self):
            yield
        if self is store:  # between our commit and our read-back, another program adds a note
            other.add_note("sy-2021/1.2", "another terminal", date(2021, 10, 1))

    monkeypatch.setattr(Store, "_write", write_then_interleave)
    event = store.tick("sy-2021-key/3", "a", date(2021, 9, 20))
    assert event.kind == "tick" and event.data["target"] == "sy-2021-key/3/a"
    event = store.record("sy-2021/1.1", "carers", 10, date(2021, 9, 30))
    assert event.kind == "record" and event.item == "sy-2021/1.1/carers"
