"""The table of kinds (db/actions.py): each kind's do, undo and words in one place."""

from datetime import date
from pathlib import Path

import pytest

from supervise.db.actions import KINDS, UNDOABLE, describe_event, event_words, log_words
from supervise.db.store import Store
from supervise.i18n import CATALOGUE
from supervise.models import Rag
from supervise.planfile.loader import load_plan_file

PLANS = Path(__file__).resolve().parents[1] / "plans.toml"
ON = date(2021, 10, 1)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "s.db")
    s.import_plans(load_plan_file(PLANS), date(2021, 3, 1))
    yield s
    s.close()


def test_every_kind_has_a_name_in_both_languages():
    for kind in KINDS:
        en, zh = CATALOGUE[f"event.{kind}"]
        assert en and zh and en != zh, kind


def test_undoable_kinds_are_the_ones_with_an_undo():
    assert set(UNDOABLE) == {"tick", "untick", "note", "record", "override", "override_clear", "review", "remind",
                             "collect"}
    assert KINDS["import"].undo is None and KINDS["undo"].undo is None


SETUP = {  # an untick and a clear need something to take back
    "untick": lambda s: s.tick("sy-2021-key/3", "a", ON),
    "override_clear": lambda s: s.set_override("sy-2021/1.1", Rag.RED, "x", ON),
}
ACTIONS = {
    "tick": lambda s: s.tick("sy-2021-key/3", "a", ON),
    "untick": lambda s: s.untick("sy-2021-key/3", "a", ON),
    "note": lambda s: s.add_note("sy-2021/1.1", "已召开协调会", ON),
    "record": lambda s: s.record("sy-2021/1.1", "carers", 5200, ON, note="培训"),
    "override": lambda s: s.set_override("sy-2021/1.1", Rag.AMBER, "资金到位", ON),
    "override_clear": lambda s: s.clear_override("sy-2021/1.1", ON),
    "review": lambda s: s.hold_review(ON, "第三次推进会"),
}


@pytest.mark.parametrize("kind", sorted(ACTIONS))
def test_undo_through_the_table_restores_what_the_action_changed(store, kind):
    SETUP.get(kind, lambda s: None)(store)
    before = store.snapshot()
    event = ACTIONS[kind](store)
    assert event.kind == kind
    assert store.snapshot() != before
    undone = store.undo()
    assert undone.id == event.id and undone.undone
    assert store.snapshot() == before


def test_words_the_log_and_the_undo_notice_use(store):
    tick = store.tick("sy-2021-key/3", "a", ON)
    assert describe_event(tick, "en") == "tick sy-2021-key/3/a (2021-10-01)"
    assert event_words(tick.kind, tick.summary, tick.data, "zh") == "完成"
    assert log_words(tick, {"sy-2021-key/3/a": "方案印发"}, "en") == "done: 方案印发"
    record = store.record("sy-2021/1.1", "carers", 5200, ON)
    assert log_words(record, {"sy-2021/1.1/carers": "培训护理员"}, "en") == "培训护理员 = 5200"
    override = store.set_override("sy-2021/1.1", Rag.AMBER, "资金到位", ON)
    assert describe_event(override, "en") == "override sy-2021/1.1 amber: 资金到位 (2021-10-01)"
    note = store.add_note("sy-2021/1.1", "第一行\n第二行", ON)
    assert describe_event(note, "en") == "note sy-2021/1.1 “第一行 ⏎ 第二行” (2021-10-01)"
    undone = store.undo()  # the note: an undo is said as what it undid
    (undo,) = store.events(limit=1)
    assert undo.kind == "undo" and undone.kind == "note"
    assert describe_event(undo, "en") == f"undo sy-2021/1.1 #{note.id} (2021-10-01)"
    assert event_words(undo.kind, undo.summary, undo.data, "en") == "第一行\n第二行"
