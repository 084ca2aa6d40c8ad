"""Plan files that must be refused (or warned about), and the spec's date table through a plan file.

Every file in tests/fixtures/plans/ is one case. A line that must be reported
carries a trailing marker comment naming a fragment of the message:

    due = "明年"   # ERROR: unreadable date
    owner = "张三"   # WARNING: unknown key 'owner'

The test reads the markers, runs `supervise check FILE` and `supervise import
FILE`, and wants exactly those lines, in line order, as `FILE:LINE:COL: message`,
exit status 2 (0 when there are only warnings), no traceback, and the database
untouched. Files that cannot carry a comment (empty, UTF-16) are listed in
NO_MARKER below.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, db_fingerprint, db_rows, event_count, invoke_main, run_cli
from supervise.planfile.loader import PlanFileError, load_plan_file, parse_plans

PLAN_FIXTURES = FIXTURES / "plans"
CASES = sorted(PLAN_FIXTURES.glob("*.toml"))
MARKER = re.compile(r"#\s*(ERROR|WARNING):\s*(.+?)\s*$")
NO_MARKER: dict[str, list[tuple[int, str, str]]] = {
    "empty.toml": [(1, "ERROR", "empty")],
    "whitespace_only.toml": [(1, "ERROR", "empty")],
    "utf16.toml": [(1, "ERROR", "not UTF-8")],
}


def expected(path: Path) -> list[tuple[int, str, str]]:
    """(line, ERROR|WARNING, fragment) for each marker, in line order. TOML lines end at \\n only."""
    if path.name in NO_MARKER:
        return NO_MARKER[path.name]
    out = []
    for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        found = MARKER.search(raw.decode("utf-8", errors="replace").rstrip("\r"))
        if found:
            out.append((number, found.group(1), found.group(2)))
    assert out, f"{path.name} has no '# ERROR:' or '# WARNING:' marker"
    return out


def reported(path: Path, stderr: str) -> list[tuple[int, int, str]]:
    """Parse FILE:LINE:COL: message lines; every stderr line must have that shape and name the file."""
    shape = re.compile(rf"^{re.escape(str(path))}:(\d+):(\d+): (.+)$")
    out = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        m = shape.match(line)
        assert m, f"not FILE:LINE:COL: message: {line!r}"
        out.append((int(m.group(1)), int(m.group(2)), m.group(3)))
    return out


def check_report(path: Path, outcome) -> None:
    want = expected(path)
    errors = [w for w in want if w[1] == "ERROR"]
    assert "Traceback" not in outcome.output, outcome
    assert outcome.exit_code == (2 if errors else 0), outcome
    got = reported(path, outcome.stderr)
    assert [g[0] for g in got] == [w[0] for w in want], (
        f"reported lines {[g[0] for g in got]}, expected {[w[0] for w in want]}:\n{outcome.stderr}")
    assert got == sorted(got, key=lambda g: (g[0], g[1])), "problems come in line order"
    for (line, col, message), (_, kind, fragment) in zip(got, want):
        assert col >= 1, (line, col, message)
        assert fragment.lower() in message.lower(), f"line {line}: {message!r} lacks {fragment!r}"
        assert message.lower().startswith("warning") == (kind == "WARNING"), message
        assert "\n" not in message


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory, bundled_plans):
    """A database with the bundled plans and some progress, to copy into each test."""
    from click.testing import CliRunner

    db = tmp_path_factory.mktemp("seed") / "supervise.db"
    runner = CliRunner()
    for args in (["import", bundled_plans], ["tick", "sy-2021-key/3", "a", "--on", "2021-09-20"],
                 ["note", "sy-2021/1.1", "已培训3500人"], ["record", "sy-2021/1.1", "carers", "3500", "--on", "2021-09-30"]):
        outcome = invoke_main(runner, ["--db", db, *args])
        assert outcome.exit_code == 0, outcome
    return db


def test_there_are_at_least_thirty_malformed_files():
    errors = [p for p in CASES if any(kind == "ERROR" for _, kind, _ in expected(p))]
    assert len(errors) >= 30, len(errors)


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_check_reports_each_problem_at_its_line(path, invoke):
    check_report(path, invoke(["check", path]))


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_import_of_a_bad_file_writes_nothing(path, invoke, tmp_path, seeded_db):
    errors = [w for w in expected(path) if w[1] == "ERROR"]
    # into no database at all: none is created
    fresh = tmp_path / "fresh" / "supervise.db"
    outcome = invoke(["--db", fresh, "import", path])
    check_report(path, outcome)
    if errors:
        assert outcome.stdout == ""
        assert not fresh.exists() and not fresh.parent.exists()
    else:
        assert db_rows(fresh, "SELECT count(*) FROM plans WHERE withdrawn_on IS NULL")[0][0] >= 1
    # into a database in use: not a byte changes
    db = tmp_path / "used" / "supervise.db"
    db.parent.mkdir()
    shutil.copy(seeded_db, db)
    before, events = db_fingerprint(db), event_count(db)
    outcome = invoke(["--db", db, "import", path])
    check_report(path, outcome)
    if errors:
        assert db_fingerprint(db) == before
        assert event_count(db) == events
        assert not (db.parent / "backups").exists()


def test_several_problems_are_all_reported_in_line_order(invoke):
    path = PLAN_FIXTURES / "several_problems.toml"
    outcome = invoke(["check", path])
    assert outcome.exit_code == 2
    got = reported(path, outcome.stderr)
    assert len(got) == 5 and [g[0] for g in got] == sorted(g[0] for g in got)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_file_shows_its_warnings_too_in_file_order(invoke, tmp_path, lang):
    path = tmp_path / "plans.toml"
    path.write_text('owner = "张三"\n[[plan]]\nid = "p"\ntitle = "计划"\nstart = 2021-01-01\nend = 2021-12-31\n'
                    '[[task]]\nid = "1"\nlead = ["市民政局"]\n', encoding="utf-8")
    outcome = invoke(["--lang", lang, "check", path])
    assert outcome.exit_code == 2
    lines = outcome.stderr.strip().splitlines()
    warning = "warning: unknown top-level key 'owner'" if lang == "en" else "警告：未知的顶层键“owner”"
    no_title = "task 1 has no title" if lang == "en" else "任务 1 缺少 title"
    assert lines == [f"{path}:1:1: {warning} (ignored)" if lang == "en" else f"{path}:1:1: {warning}（已忽略）",
                     f"{path}:7:1: {no_title}"]


@pytest.mark.parametrize("command", ["check", "import"])
def test_a_warning_shows_a_key_s_control_characters_literally(invoke, tmp_path, command):
    """A quoted key may hold any character (TOML escapes): the warning naming it shows each
    unsafe one as a code, as an error line does. Failed before: a line separator and a
    right-to-left override reached the terminal as they were (the warning on two lines)."""
    path = tmp_path / "plans.toml"
    path.write_text('"own\\u2028er\\u202e" = 1\n[[plan]]\nid = "p"\ntitle = "计划"\nstart = 2021-01-01\n'
                    'end = 2021-12-31\n[[task]]\nid = "1"\ntitle = "任务"\nlead = ["市民政局"]\n', encoding="utf-8")
    for lang in ("en", "zh"):
        outcome = invoke(["--db", tmp_path / "s.db", "--lang", lang, command, path])
        assert outcome.exit_code == 0, outcome
        assert "\u2028" not in outcome.stderr and "\u202e" not in outcome.stderr, outcome.stderr
        assert "own\\u2028er\\u202e" in outcome.stderr and outcome.stderr.count("\n") == 1, outcome.stderr


def test_a_directory_is_refused(invoke, tmp_path):
    folder = tmp_path / "plans.toml"
    folder.mkdir()
    outcome = invoke(["--db", tmp_path / "x.db", "import", folder])
    assert outcome.exit_code == 2, outcome
    assert len(outcome.err_lines) == 1
    line, col, message = reported(folder, outcome.stderr)[0]
    assert "directory" in message
    assert not (tmp_path / "x.db").exists()


def test_a_missing_file_is_refused(invoke, tmp_path):
    missing = tmp_path / "nope.toml"
    for args in (["check", missing], ["--db", tmp_path / "x.db", "import", missing]):
        outcome = invoke(args)
        assert outcome.exit_code == 2, outcome
        assert len(outcome.err_lines) == 1
        assert "no such file" in reported(missing, outcome.stderr)[0][2]
    assert not (tmp_path / "x.db").exists()


def test_default_plans_file_is_plans_toml_in_the_current_directory(tmp_path, invoke, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = invoke(["check"])
    assert outcome.exit_code == 2 and "plans.toml" in outcome.stderr, outcome
    shutil.copy(PLAN_FIXTURES / "unknown_key_in_task.toml", tmp_path / "plans.toml")
    assert invoke(["check"]).exit_code == 0
    assert invoke(["--plans", PLAN_FIXTURES / "empty.toml", "check"]).exit_code == 2
    assert invoke(["check"], env={"SUPERVISE_PLANS": str(PLAN_FIXTURES / "empty.toml")}).exit_code == 2


@pytest.mark.parametrize("name", ["several_problems.toml", "gbk_encoded.toml", "toml_unterminated_string.toml"])
def test_end_to_end_no_traceback(name, tmp_path):
    """The real process: `python -m supervise import FILE` exits 2 with only the problem lines."""
    path = PLAN_FIXTURES / name
    outcome = run_cli(["--db", tmp_path / "x.db", "import", path])
    assert outcome.exit_code == 2, outcome
    assert "Traceback" not in outcome.output
    assert [g[0] for g in reported(path, outcome.stderr)] == [w[0] for w in expected(path)]
    assert not (tmp_path / "x.db").exists()


def test_messages_follow_the_language(invoke):
    path = PLAN_FIXTURES / "unknown_plan_reference.toml"
    outcome = invoke(["--lang", "zh", "check", path])
    assert outcome.exit_code == 2
    [(_, _, message)] = reported(path, outcome.stderr)
    assert message.startswith("未知的计划 ") and "本文件中的计划" in message, message


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_in_chinese_each_problem_is_at_the_same_place_in_chinese_words(path, invoke):
    """--lang zh: the same lines and columns, the same exit status, every message in Chinese
    (warnings as 警告); TOML key names and plan content stay as written."""
    en, zh = invoke(["--lang", "en", "check", path]), invoke(["--lang", "zh", "check", path])
    assert zh.exit_code == en.exit_code and "Traceback" not in zh.output
    got_en, got_zh = reported(path, en.stderr), reported(path, zh.stderr)
    assert [(line, col) for line, col, _ in got_zh] == [(line, col) for line, col, _ in got_en]
    for (_, _, english), (_, _, chinese) in zip(got_en, got_zh):
        assert chinese != english and CJK.search(chinese), (english, chinese)
        assert chinese.startswith("警告：") == english.startswith("warning: "), (english, chinese)


def test_parse_plans_raises_with_every_problem():
    text = (PLAN_FIXTURES / "several_problems.toml").read_text(encoding="utf-8")
    with pytest.raises(PlanFileError) as caught:
        parse_plans(text, "x.toml")
    assert len(caught.value.problems) == 5
    assert all(p.startswith("x.toml:") for p in caught.value.problems)


# --- the spec's date table, through a plan file ----------------------------------------------------

# (due as written in the file, the date it means); rows follow plans-format.md "Dates" in order
DATE_TABLE = [
    ("2021-09-30", date(2021, 9, 30)),                    # ISO date (as text)
    ("2021-09", date(2021, 9, 30)),                       # year-month
    ("2023年底", date(2023, 12, 31)),                     # 年底
    ("2021年底前", date(2021, 12, 31)),
    ("到2023年", date(2023, 12, 31)),
    ("2022年末", date(2022, 12, 31)),                     # 年末
    ("2022年内", date(2022, 12, 31)),                     # 年内
    ("2022年上半年", date(2022, 6, 30)),                  # 上半年 / 下半年
    ("2022年下半年", date(2022, 12, 31)),
    ("2022年第三季度", date(2022, 9, 30)),                # 季度
    ("2022年三季度末", date(2022, 9, 30)),
    ("2022年第一季度", date(2022, 3, 31)),
    ("2021年9月底前", date(2021, 9, 30)),                 # 月底 / 月末 / 月前
    ("2022年6月前", date(2022, 6, 30)),
    ("2021年2月末", date(2021, 2, 28)),
    ("2024年2月底", date(2024, 2, 29)),
    ("2021年12月15日前", date(2021, 12, 15)),             # full date
    ("2021年底之前", date(2021, 12, 31)),                 # trailing 前 / 之前 / 以前
    ("2021年底以前", date(2021, 12, 31)),
    ("至2022年6月底", date(2022, 6, 30)),                 # leading 到 / 至 / 截至
    ("截至2022年上半年", date(2022, 6, 30)),
    ("2021年九月底", date(2021, 9, 30)),                  # Chinese numerals for months
    ("2021年十二月底前", date(2021, 12, 31)),
]
# month without year: taken from the plan's start year where the plan lies in one year
ONE_YEAR_TABLE = [
    ("12月底前", date(2021, 12, 31)),
    ("9月底", date(2021, 9, 30)),
    ("九月底", date(2021, 9, 30)),
    ("6月前", date(2021, 6, 30)),
    ("12月15日前", date(2021, 12, 15)),
]

PLANS = '''schema = 1

[[plan]]
id = "three-years"
title = "四年行动计划（2021—2024年）"
start = 2021-01-01
end = 2024-12-31

[[plan]]
id = "one-year"
title = "2021年重点工作任务"
start = 2021-01-01
end = 2021-12-31
'''


def _task(plan: str, n: int, due: str) -> str:
    return f'''
[[task]]
plan = "{plan}"
id = "{n}"
title = "任务{n}"
lead = ["市民政局"]
due = "{due}"

  [[task.milestone]]
  id = "m"
  title = "节点"
  due = "{due}"

  [[task.indicator]]
  id = "i"
  name = "指标"
  target = 10
  due = "{due}"
'''


@pytest.mark.parametrize("plan, due, want", [("three-years", d, w) for d, w in DATE_TABLE]
                         + [("one-year", d, w) for d, w in ONE_YEAR_TABLE],
                         ids=[d for d, _ in DATE_TABLE] + [f"one-year:{d}" for d, _ in ONE_YEAR_TABLE])
def test_date_table_row_through_a_plan_file(tmp_path, plan, due, want):
    path = tmp_path / "plans.toml"
    path.write_text(PLANS + _task(plan, 1, due), encoding="utf-8")
    (task,) = load_plan_file(path).tasks
    assert task.due == want
    assert task.milestones[0].due == want
    assert task.indicators[0].due == want


def test_toml_dates_and_defaults(tmp_path):
    path = tmp_path / "plans.toml"
    path.write_text(PLANS + '''
[[task]]
plan = "three-years"
id = "1"
title = "日期写法"
lead = ["市民政局"]
start = 2021-03-01
due = 2022-09-30

  [[task.milestone]]
  id = "m"
  title = "没有写期限的节点"

[[task]]
plan = "one-year"
id = "2"
title = "全用默认"
lead = ["市民政局"]
''', encoding="utf-8")
    first, second = load_plan_file(path).tasks
    assert (first.start, first.due, first.milestones[0].due) == (date(2021, 3, 1), date(2022, 9, 30), date(2022, 9, 30))
    assert (second.start, second.due) == (date(2021, 1, 1), date(2021, 12, 31))


@pytest.mark.parametrize("due", [d for d, _ in ONE_YEAR_TABLE])
def test_month_without_year_in_a_multi_year_plan_is_an_error(tmp_path, due, invoke):
    path = tmp_path / "plans.toml"
    path.write_text(PLANS + _task("three-years", 1, due), encoding="utf-8")
    outcome = invoke(["check", path])
    assert outcome.exit_code == 2, outcome
    lines = [line for line, _, _ in reported(path, outcome.stderr)]
    text = PLANS + _task("three-years", 1, due)
    due_lines = [n for n, raw in enumerate(text.split("\n"), start=1) if raw.strip().startswith("due =")]
    assert lines == due_lines, "task, milestone and indicator due each reported at their own line"
    assert all("needs a year" in m and due in m for _, _, m in reported(path, outcome.stderr))


def test_date_table_end_to_end(tmp_path, invoke):
    """All rows in one file, imported through the CLI, read back from the database."""
    text = PLANS + "".join(_task("three-years", n, d) for n, (d, _) in enumerate(DATE_TABLE, start=1))
    text += "".join(_task("one-year", n, d) for n, (d, _) in enumerate(ONE_YEAR_TABLE, start=1))
    path = tmp_path / "plans.toml"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "x.db"
    outcome = invoke(["--db", db, "import", path])
    assert outcome.exit_code == 0, outcome
    got = dict(db_rows(db, "SELECT id, due_on FROM tasks"))
    want = {f"three-years/{n}": w.isoformat() for n, (_, w) in enumerate(DATE_TABLE, start=1)}
    want |= {f"one-year/{n}": w.isoformat() for n, (_, w) in enumerate(ONE_YEAR_TABLE, start=1)}
    assert got == want
    assert dict(db_rows(db, "SELECT task_id, due_on FROM milestones")) == want
    assert dict(db_rows(db, "SELECT task_id, due_on FROM indicators")) == want


def test_toml_1_1_forms_are_refused_as_tomllib_refuses_them(invoke, tmp_path):
    """The plan format is TOML 1.0 (the standard library's tomllib): a time without seconds is
    TOML 1.1 only, and stays a syntax error whichever parser is installed (tomli is pinned below 2.4)."""
    path = tmp_path / "plans.toml"
    path.write_text('[[plan]]\nid = "p"\ntitle = "t"\nstart = 2021-01-01\nend = 2021-12-31\n'
                    '[[task]]\nid = "1"\ntitle = "x"\nlead = ["市民政局"]\ndue = 2021-06-30T10:00\n', encoding="utf-8")
    outcome = invoke(["check", path])
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith(f"{path}:10:") and "TOML syntax" in outcome.stderr
