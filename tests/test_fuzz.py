"""Fuzzing with Hypothesis: plan files, dates and command lines never end in an unexpected exception.

* plan files — random mutations of the bundled plans.toml and random TOML-ish text:
  `parse_plans` returns, or raises PlanFileError whose every problem (and warning) is
  `FILE:LINE:COL: message`;
* dates — `parse_date` / `parse_since` raise nothing but DateError;
* command lines — random arguments to `supervise.cli.main()` (in this process, on a
  healthy database) give exit 0, 1 or 2 (never 3 on a healthy database, never the
  internal-error status), never a traceback; the database stays whole.
"""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervise import cli
from supervise.dates import DateError, parse_date, parse_since
from supervise.planfile.loader import PlanFileError, parse_plans
from supervise.planfile.loader import (INDICATOR_KEYS, MILESTONE_KEYS, OFFICE_KEYS, PLAN_KEYS, TASK_KEYS)
from supervise.db.store import Store

ROOT = Path(__file__).resolve().parent.parent
PLANS_TEXT = (ROOT / "plans.toml").read_text(encoding="utf-8")
PLAN_LINES = PLANS_TEXT.splitlines()
TODAY = date(2021, 10, 31)
PROBLEM = re.compile(r"^FILE:\d+:\d+: ")

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                max_examples=120)


# --- plan files ---------------------------------------------------------------------------

VALUES = ['"2021年底"', '"2022年第三季度"', '"12月底前"', "2021-13-45", "2021-02-29", "2021-10-31T10:00:00",
          "-1", "0", "1e999", "nan", "inf", "-inf", "true", "[]", "[1, 2]", '["a", 1]', "{}", "{ a = 1 }", '""',
          '"   "', '"abc"', '"sy-2021"', '"1.1"', '"a/b"', '"x y"', "1.5", "99999999999999999999", '"\\u0000"',
          '"\\u001b[2J"', '"""多\n行"""', "'literal'", "[[1]]", '"2023年"', '"下半年"', '"up"', '"down"', '"sideways"']


def _plans_check(text: str) -> None:
    try:
        planset = parse_plans(text, "FILE")
    except PlanFileError as err:
        assert err.problems, "PlanFileError without problems"
        for p in err.problems:
            assert PROBLEM.match(p), f"problem not FILE:LINE:COL: {p!r}"
        return
    for w in planset.warnings:
        assert PROBLEM.match(str(w)), f"warning not FILE:LINE:COL: {w!r}"


@st.composite
def mutated_plans(draw) -> str:
    lines = list(PLAN_LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "value", "insert", "header", "truncate", "chars"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "value":
            keyed = [n for n, line in enumerate(lines) if "=" in line and not line.lstrip().startswith("#")]
            if not keyed:
                continue
            n = draw(st.sampled_from(keyed))
            key = lines[n].split("=", 1)[0]
            value = draw(st.sampled_from(VALUES) | st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'))
            lines[n] = f"{key}= {value}"
        elif kind == "insert":
            lines.insert(i, draw(st.text(max_size=30)))
        elif kind == "header":
            lines.insert(i, draw(st.sampled_from(["[[task]]", "[[plan]]", "[office]", "[[review]]", "[[task.milestone]]",
                                                  "[[task.indicator]]", "[task]", "[[office]]", "[[milestone]]"])))
        elif kind == "truncate":
            lines = lines[:i]
        else:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.text(alphabet='"\'[]{}=#,.\\\n \t0123456789年月日-', max_size=4)) + line[at:]
        if not lines:
            lines = [""]
    return "\n".join(lines) + "\n"


@FAST
@given(mutated_plans())
def test_mutated_plan_files_give_located_problems(text):
    _plans_check(text)


@st.composite
def tomlish(draw) -> str:
    """Text shaped like a plan file: known headers and keys, values of every kind."""
    keys = {"": ["schema", "title", "x"], "[office]": sorted(OFFICE_KEYS), "[[plan]]": sorted(PLAN_KEYS),
            "[[task]]": sorted(TASK_KEYS), "[[task.milestone]]": sorted(MILESTONE_KEYS),
            "[[task.indicator]]": sorted(INDICATOR_KEYS), "[[review]]": ["date", "title"]}
    out = []
    for _ in range(draw(st.integers(0, 8))):
        header = draw(st.sampled_from(sorted(keys)))
        if header:
            out.append(header)
        for _ in range(draw(st.integers(0, 6))):
            key = draw(st.sampled_from(keys[header] + ["id", "plan", "checkpoints", "unknown"]))
            value = draw(st.sampled_from(VALUES) | st.sampled_from(['"p"', '"1"', '["单位"]', "2021-01-01", "2023-12-31",
                                                                     '{ "2021-06" = 5 }', "{ 2021-06-30 = 5 }"]))
            out.append(f"{key} = {value}")
    return "\n".join(out) + "\n"


@FAST
@given(tomlish())
def test_tomlish_text_gives_located_problems(text):
    _plans_check(text)


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=200))
def test_any_text_gives_located_problems(text):
    _plans_check(text)


# --- dates --------------------------------------------------------------------------------

DATEISH = st.from_regex(
    r"\A(到|至)?\d{0,5}(年)?(第?[一二三四1-4]季度|上半年|下半年|\d{1,3}月|[一二三四五六七八九十]{1,3}月)?"
    r"(\d{1,3}日|底|末|前|中旬|上旬|下旬|初)?(前|底前|以前)?\Z", fullmatch=True)


@settings(deadline=None, max_examples=200)
@given(st.one_of(st.text(max_size=30), DATEISH, st.from_regex(r"\A-?\d{1,6}-\d{1,3}(-\d{1,3})?\Z", fullmatch=True)),
       st.one_of(st.none(), st.integers(-10, 100_000)), st.one_of(st.none(), st.dates()))
def test_parse_date_raises_only_date_error(text, year, today):
    try:
        result = parse_date(text, year=year, today=today)
    except DateError as err:
        assert "\n" not in str(err)
        return
    assert isinstance(result, date)


@settings(deadline=None, max_examples=100)
@given(st.one_of(st.integers(), st.floats(), st.none(), st.lists(st.integers(), max_size=2), st.booleans()))
def test_parse_date_of_non_text_raises_only_date_error(value):
    try:
        parse_date(value)
    except DateError:
        pass


@settings(deadline=None, max_examples=200)
@given(st.one_of(st.text(max_size=20), st.from_regex(r"\A\d{1,6}(d|w|m|y|天|周|个月|年)\Z", fullmatch=True)),
       st.dates())
def test_parse_since_raises_only_date_error(text, today):
    try:
        assert isinstance(parse_since(text, today), date)
    except DateError:
        pass


# --- command lines ------------------------------------------------------------------------

ARG_TEXT = st.text(st.characters(exclude_characters="\x00"), max_size=10)  # argv cannot hold NUL


def _pool(*values: str) -> st.SearchStrategy[str]:
    """Mostly the given values (valid and near-valid), sometimes any text at all."""
    return st.sampled_from(values) | ARG_TEXT


TASKS = _pool("1.1", "sy-2021/1.1", "sy-2021/1.3", "sy-2021/3.1", "3.1", "sy-2021-key/10", "key/10", "10", "1",
              "nope", "sy-2021/", "/1.1", "", " ", "SY-2021/1.1")
MILESTONES = _pool("a", "b", "c", "zz", "")
INDICATORS = _pool("carers", "coverage", "care-beds", "trained", "x", "")
NUMBERS = _pool("42", "0", "-1", "3.5", "1e309", "1e308", "nan", "inf", "1,000", "50%", "１２", "abc", "0x10", "", "1_000")
DATES = _pool("2021-10-31", "today", "今天", "2021年底", "2021年9月底前", "2022年第三季度", "2021-09", "2021-02-30",
              "0001-01-01", "9999-12-31", "10000-01-01", "2021-10-31T08:00", "", "12月底")
SINCE = DATES | _pool("7d", "2w", "1m", "1y", "99999d", "0d", "last-review", "上次推进会", "3个月")
TEXTS = _pool("进展顺利", "-", "", "   ", "[red]x[/]", "a|b", "# 标题", "\x1b[2J", "长" * 300,
              "gbk \udcc4\udce3")  # undecodable bytes from a GBK terminal arrive as lone surrogates
RAGS = _pool("red", "amber", "green", "done", "withdrawn", "red,amber", "RED", "red,,green", "purple", "")
PLANS_ = _pool("sy-2021", "sy-2021-key", "nope", "")
UNITS = _pool("市民政局", "市卫生健康委", "各区县（市）政府", "nope", "")
FILES = _pool("plans.toml", "doc.txt", "missing.toml", ".", "", "out.md")
FLAG = st.just(None)

# command → (positional argument strategies (trailing ones optional), {option: value strategy or FLAG})
SPEC = {
    ("status",): ([], {"--as-of": DATES, "--plan": PLANS_, "--unit": UNITS, "--involving": FLAG, "--rag": RAGS,
                       "--format": _pool("table", "markdown", "json", "csv", "xml"), "--fail-on": _pool("red", "amber", "green")}),
    ("tick",): ([TASKS, MILESTONES], {"--on": DATES, "--note": TEXTS}),
    ("untick",): ([TASKS, MILESTONES], {}),
    ("note",): ([TASKS, TEXTS], {"--on": DATES}),
    ("record",): ([TASKS, INDICATORS, NUMBERS], {"--on": DATES, "--note": TEXTS}),
    ("override",): ([TASKS, RAGS], {"--reason": TEXTS, "--on": DATES, "--until": DATES, "--clear": FLAG}),
    ("log",): ([], {"--since": SINCE, "--until": DATES, "--format": _pool("table", "markdown", "json", "csv")}),
    ("undo",): ([], {}),
    ("backup",): ([_pool("copy.db", "backups/x.db", "plans.toml", "supervise.db", ".", "")], {}),
    ("check",): ([FILES], {}),
    ("import",): ([FILES], {"--dry-run": FLAG}),
    ("brief",): ([], {"--as-of": DATES,
                      "--out": _pool("-", "out.md", "briefings/b.md", ".")}),
    ("export", "ledger"): ([], {"--out": _pool("out.xlsx", ".", "x/y.xlsx"), "--as-of": DATES}),
    ("review", "hold"): ([], {"--on": DATES, "--title": TEXTS}),
    ("extract",): ([FILES], {"--plan-id": _pool("p-2021", "BAD ID", ""), "--out": _pool("draft.toml", ".")}),
}
JUNK = st.sampled_from(["--help", "--nonsense", "--", "-x", "extra", "--lang", "zh", "--on", "\udcff"]) | ARG_TEXT


@st.composite
def command_lines(draw) -> list[str]:
    name = draw(st.sampled_from(sorted(SPEC)))
    positional, options = SPEC[name]
    args = [*draw(st.sampled_from([[], ["--lang", "zh"], ["--lang", "en"]])), *name]
    count = draw(st.integers(0, len(positional)))
    if positional and draw(st.integers(0, 9)):  # mostly the required ones at least
        count = max(count, 1 if name[0] not in ("record",) else 3)
    args += [draw(strategy) for strategy in positional[:count]]
    for option in draw(st.lists(st.sampled_from(sorted(options)), unique=True, max_size=len(options))) if options else []:
        args.append(option)
        if options[option] is not FLAG:
            args.append(draw(options[option]))
    if draw(st.integers(0, 9)) == 0:
        args.insert(draw(st.integers(0, len(args))), draw(JUNK))
    return args


@pytest.fixture(scope="module")
def healthy_db(tmp_path_factory) -> Path:
    from supervise.planfile.loader import load_plan_file

    path = tmp_path_factory.mktemp("fuzzdb") / "template.db"
    with Store.open(path) as store:
        store.import_plans(load_plan_file(ROOT / "plans.toml"), TODAY, source="plans.toml")
    return path


@pytest.fixture
def workdir(healthy_db, tmp_path, monkeypatch):
    db = tmp_path / "supervise.db"
    shutil.copy(healthy_db, db)
    shutil.copy(ROOT / "plans.toml", tmp_path / "plans.toml")
    (tmp_path / "doc.txt").write_text("沈阳市养老工作方案\n一、目标\n1. 到2023年底，完成任务。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUPERVISE_TODAY", TODAY.isoformat())
    monkeypatch.setenv("SUPERVISE_DB", str(db))
    monkeypatch.delenv("SUPERVISE_PLANS", raising=False)
    monkeypatch.delenv("SUPERVISE_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


@settings(deadline=None, max_examples=150,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(args=command_lines())
def test_random_command_lines(workdir, capsys, monkeypatch, args):
    stdin = io.TextIOWrapper(io.BytesIO("来自标准输入的备注\n".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    capsys.readouterr()
    try:
        cli.main(args)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out, args
    assert code in (0, 1, 2), f"{args} exited {code}: {err}"
    if code == 2:
        assert err.strip(), f"{args}: exit 2 without a message"
    conn = sqlite3.connect(workdir / "supervise.db")
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM notes WHERE event_id IS NULL").fetchone()[0] == 0
    finally:
        conn.close()


def test_brief_in_year_9999(workdir, capsys):
    try:
        cli.main(["brief", "--as-of", "9999-12-31", "--out", "-"])
        code = 0
    except SystemExit as e:
        code = e.code
    assert code in (0, 2), capsys.readouterr().err
