"""`status --format json` is written a task a line from string pieces (formats.task_lines, the one
writer; task_dict is its line read back). Each line must be strict JSON in json.dumps' own form
(its separators, escapes, number forms), character for character: json.dumps of the line read
back is the reference.

Checked on the bundled plan with progress of every kind, at dates around its deadlines and in
both languages, and on random tasks (hypothesis) whose text holds quotes, backslashes, control
characters, bidi marks and CJK.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervise.formats import status_json, task_dict, task_lines
from supervise.models import (
    Checkpoint, Indicator, Measurement, Milestone, Note, Office, Override, Rag, Snapshot, Task,
)
from supervise.planfile.loader import load_plan_file
from supervise.views import statuses
from supervise.db.store import Store

IMPORTED = date(2021, 4, 30)


def reference_lines(view, lang: str) -> list[str]:
    """Each task's line as json.dumps writes what a strict reader gets from it."""
    return [json.dumps(_strict(line), ensure_ascii=False) for line in task_lines(view, lang)]


@pytest.fixture(scope="module")
def bundled_snapshot(tmp_path_factory, bundled_plans) -> Snapshot:
    """The bundled plans with ticks, values (some meeting a target), notes and overrides in force,
    expired and cleared."""
    path = tmp_path_factory.mktemp("formats") / "supervise.db"
    with Store.open(path) as store:
        store.import_plans(load_plan_file(str(bundled_plans)), IMPORTED, source=str(bundled_plans))
        snap = store.snapshot()
        keys = [t.key for t in snap.tasks if not t.withdrawn]
        with_milestones = [t for t in snap.tasks if t.milestones and not t.withdrawn]
        with_indicators = [t for t in snap.tasks if t.indicators and not t.withdrawn]
        for t in with_milestones[:4]:
            store.tick(t.key, t.milestones[0].id, date(2021, 9, 15))
        for n, t in enumerate(with_indicators[:8]):
            i = t.indicators[0]
            store.record(t.key, i.id, i.baseline + (i.target - i.baseline) * (0.2 + 0.15 * n), date(2021, 8, 31),
                         note="报送 \"数据\" \\ 口径")
        store.record(with_indicators[8].key, with_indicators[8].indicators[0].id, with_indicators[8].indicators[0].target,
                     date(2021, 10, 1))
        for n, key in enumerate(keys[:6]):
            store.add_note(key, f"第{n}次报送：| [red]x[/] \t\"引号\"", date(2021, 10, 10 + n))
        store.set_override(keys[1], Rag.RED, "专项督查 \"重点\"", date(2021, 7, 1))
        store.set_override(keys[2], Rag.GREEN, "已协调", date(2021, 7, 1), until=date(2021, 11, 30))
        store.set_override(keys[3], Rag.AMBER, "待核实", date(2021, 7, 1))
        store.clear_override(keys[3], date(2021, 10, 1))
        return store.snapshot()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("as_of", [date(2021, 4, 30), date(2021, 10, 31), date(2021, 12, 31), date(2022, 6, 30),
                                   date(2023, 12, 31), date(2024, 3, 1)])
def test_each_line_equals_json_dumps_of_task_dict(bundled_snapshot, as_of, lang):
    view = statuses(bundled_snapshot, as_of)  # withdrawn tasks too: --rag withdrawn lists them
    assert list(task_lines(view, lang)) == reference_lines(view, lang)


def test_the_whole_document_parses_to_the_reference(bundled_snapshot):
    view = statuses(bundled_snapshot, date(2021, 10, 31)).live()
    doc = json.loads(status_json(view, "zh"))
    assert doc["as_of"] == "2021-10-31"
    assert doc["summary"] == view.counts()
    assert doc["tasks"] == [task_dict(s, "zh") for s in view]
    assert any(t["override"] for t in doc["tasks"]) and any(t["latest_note"] for t in doc["tasks"])
    assert any(i["value"] is not None for t in doc["tasks"] for i in t["indicators"])


def test_an_empty_list_is_still_a_document():
    view = statuses(Snapshot(office=Office(), plans=(), tasks=()), date(2021, 1, 1))
    assert json.loads(status_json(view, "en")) == {"as_of": "2021-01-01", "summary": {"red": 0, "amber": 0, "green": 0,
                                                                                       "done": 0}, "tasks": []}


# --- random tasks ---------------------------------------------------------------------------

START = date(2021, 1, 1)
text = st.text(alphabet=st.sampled_from(list("ab \"\\/\t\n\r\x00\x1b\x7f\x85\u2028\u202e|[]{}:,养老床位逾期😀")), max_size=12)
days = st.integers(0, 900).map(lambda n: START + timedelta(days=n))
numbers = st.one_of(st.integers(-50, 20000), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


@st.composite
def tasks(draw) -> Task:
    due = draw(days)
    milestones = tuple(Milestone(id=draw(text) or "m", title=draw(text), due=draw(days),
                                 done_on=draw(st.none() | days), withdrawn=draw(st.booleans()))
                       for _ in range(draw(st.integers(0, 3))))
    indicators = []
    for _ in range(draw(st.integers(0, 2))):
        baseline, target = draw(numbers), draw(numbers)
        if baseline == target:
            target = baseline + 1
        values = tuple(sorted((Measurement(draw(days), draw(numbers)) for _ in range(draw(st.integers(0, 3)))),
                              key=lambda m: m.on))
        checkpoints = tuple(sorted({d: Checkpoint(d, draw(numbers)) for d in draw(st.lists(days, max_size=2))}.values(),
                                   key=lambda c: c.on))
        indicators.append(Indicator(id=draw(text) or "i", name=draw(text), unit=draw(text), baseline=baseline,
                                    target=target, due=draw(days), direction=draw(st.sampled_from(["up", "down"])),
                                    checkpoints=checkpoints, values=values, withdrawn=draw(st.booleans())))
    notes = tuple(sorted((Note(n, draw(days), draw(text)) for n in range(draw(st.integers(0, 2)))), key=lambda n: n.on))
    overrides = tuple(Override(id=n, rag=draw(st.sampled_from([Rag.RED, Rag.AMBER, Rag.GREEN])), reason=draw(text),
                               start=draw(days), until=draw(st.none() | days), cleared_on=draw(st.none() | days))
                      for n in range(draw(st.integers(0, 2))))
    return Task(plan=draw(text) or "p", id=draw(text) or "1", title=draw(text), start=START, due=due,
                lead=tuple(draw(st.lists(text, max_size=2))), responsible=tuple(draw(st.lists(text, max_size=2))),
                section=draw(text), milestones=milestones, indicators=tuple(indicators),
                done_on=draw(st.none() | days), notes=notes, overrides=overrides, withdrawn=draw(st.booleans()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tasks(), min_size=1, max_size=4), days, st.sampled_from(["zh", "en"]))
def test_random_tasks_write_the_reference_json(items, as_of, lang):
    view = statuses(Snapshot(office=Office(), plans=(), tasks=tuple(items)), as_of)
    lines = list(task_lines(view, lang))
    assert lines == reference_lines(view, lang)
    assert all("\n" not in line for line in lines)  # one line a task, whatever the text holds
    doc = _strict(status_json(view, lang))
    assert doc["tasks"] == [task_dict(s, lang) for s in view] == [json.loads(line) for line in lines]
    for entry, s in zip(doc["tasks"], view):  # the values themselves, from the statuses
        assert (entry["id"], entry["title"], entry["lead"]) == (s.key, s.task.title, list(s.task.lead))
        assert entry["rag"] == ("withdrawn" if s.task.withdrawn else s.rag.value)
        assert entry["reasons"] == s.reason_words(lang)
        assert [m["title"] for m in entry["milestones"]] == [m.milestone.title for m in s.milestones]
        assert [i["name"] for i in entry["indicators"]] == [i.indicator.name for i in s.indicators]


def test_a_colour_hashes_as_its_word():
    """Rag is a StrEnum: equal to its value, so it must hash like it (dicts keyed either way agree)."""
    assert hash(Rag.RED) == hash("red") and {"amber": 1}[Rag.AMBER] == 1 and {Rag.GREEN: 2}["green"] == 2


def _strict(text: str):
    """json.loads that refuses Infinity and NaN, as jq and most other readers do."""
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def test_overflowing_arithmetic_is_null_not_infinity():
    """A value of 1e308 against a tiny target (or a span of 2e308) overflows expected and lag:
    JSON has no Infinity or NaN, so both are null."""
    tiny = Indicator(id="tiny", name="微小", target=1e-308, due=date(2021, 12, 31),
                     values=(Measurement(date(2021, 6, 1), 1.0),))
    wide = Indicator(id="wide", name="宽", baseline=-1e308, target=1e308, due=date(2021, 12, 31))
    task = Task(plan="p", id="1", title="t", start=date(2021, 1, 1), due=date(2021, 12, 31), lead=("市民政局",),
                indicators=(tiny, wide))
    view = statuses(Snapshot(office=Office(), plans=(), tasks=(task,)), date(2021, 7, 1))
    doc = _strict(status_json(view, "zh"))
    [tiny_out, wide_out] = doc["tasks"][0]["indicators"]
    assert tiny_out["lag"] is None and wide_out["expected"] is None and wide_out["lag"] is None
    assert list(task_lines(view, "zh")) == reference_lines(view, "zh")


def test_the_ui_shows_numbers_as_every_list_does():
    """One rule for a number shown to people (formats.shown): the UI's fmt.num is it, with — for none."""
    from supervise.formats import shown
    from supervise.tui import fmt

    assert fmt.num(None) == "—"
    for x, text in ((20000.0, "20000"), (3500.5, "3500.5"), (12345.67, "12345.67"), (0.1 + 0.2, "0.3"),
                    (-0.0, "0"), (1e308, "1e+308")):
        assert fmt.num(x) == shown(x) == text


@pytest.mark.parametrize("cell, shown", [
    ("-inf", "'-inf"), ("+Infinity", "'+Infinity"), ("-1_000", "'-1_000"), ("-nan", "'-nan"),  # #NAME? in a spreadsheet
    ("-5", "-5"), ("+3.5", "+3.5"), ("-1e6", "-1e6"), ("-.5", "-.5"),  # numbers a spreadsheet reads as numbers
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-", "'-"), ("inf", "inf"),
    ("\t=1+1", "'\t=1+1"), ("\tplain", "'\tplain"),  # OWASP's CSV-injection list: a leading tab too
    ("\r=1+1", "U+000D=1+1"),  # a carriage return is shown as a code, so nothing runs
])
def test_a_csv_cell_starting_with_a_sign_stays_text_unless_a_spreadsheet_reads_a_number(cell, shown):
    """The CSV's formula guard lets through only what a spreadsheet reads as a number: Python's
    float() also takes "-inf" and "-1_000", which a spreadsheet shows as #NAME? (failed before)."""
    from supervise.formats import _csv_safe

    assert _csv_safe(cell) == shown
