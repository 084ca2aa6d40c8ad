"""Getting started and getting help (#16): help in the interface's language, a first run that
creates nothing and says what to do, the demo, -V, completion, the database views, progress bars."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import click
import pytest

from supervise.cli import cli

from conftest import db_rows, downgrade_to_schema_1, event_count, run_cli

CJK = re.compile(r"[\u4e00-\u9fff]")


# --- --help follows --lang -------------------------------------------------------------------


def _every_command(group: click.Group, path=()):
    """Every command and sub-command of the click group, found by walking it (no hand list)."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command.hidden:
            continue
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _every_command(command, (*path, name))


COMMANDS = [((), cli), *_every_command(cli)]


def _option_rows(text: str, heading: str) -> dict[str, str]:
    """The options section of a help text: {spelling of the option: its help, unwrapped}."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    rows: dict[str, str] = {}
    current = None
    for line in lines[start:]:
        if not line.strip() or not line.startswith("  "):
            break
        if line.startswith("  -"):
            names, _, helptext = line.strip().partition("  ")
            current = names.strip()
            rows[current] = helptext.strip()
        elif current is not None:
            rows[current] += line.strip()
    return rows


def _visible_options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and not p.hidden]


@pytest.mark.parametrize("path,command", COMMANDS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_help_is_chinese_under_lang_zh(invoke, path, command):
    out = invoke(["--lang", "zh", *path, "--help"])
    assert out.exit_code == 0, out
    text = out.stdout
    assert text.startswith("用法：supervise"), text
    assert "[选项]" in text and "Usage" not in text and "Options" not in text
    summary = text.split("\n\n")[1]
    key = ".".join(["help.cmd", *(path or ("supervise",))])
    assert CJK.search(summary), f"{path}: no Chinese help text: add {key} to supervise/i18n/help.py\n{text}"
    rows = _option_rows(text, "选项：")
    for option in _visible_options(command):
        row = next((h for names, h in rows.items() if option.opts[-1] in names.split()), None)
        assert row is not None, f"{path} {option.opts}: not listed\n{text}"
        key = ".".join(["help.opt", *(path or ("supervise",)), option.name])
        assert CJK.search(row), f"{path} {option.opts}: help not in Chinese: add {key} to supervise/i18n/help.py"
    assert CJK.search(rows.get("-h, --help", "")), text
    assert not any(names.endswith(" TEXT") for names in rows), \
        f"an option's value shown as TEXT: add metavar.<parameter name> to supervise/i18n/help.py: {rows}"
    if isinstance(command, click.Group):
        block = text.split("命令：\n", 1)[1]
        for name in command.list_commands(click.Context(command)):
            line = next(ln for ln in block.splitlines() if ln.strip().startswith(name + " "))
            assert CJK.search(line), f"{path} {name}: summary not in Chinese: {line!r}"
        assert "..." not in block, "a summary was cut"


@pytest.mark.parametrize("path,command", COMMANDS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_help_is_english_under_lang_en(invoke, path, command):
    out = invoke(["--lang", "en", *path, "--help"])
    assert out.exit_code == 0, out
    text = out.stdout
    assert text.startswith("Usage: supervise") and "用法" not in text and "选项" not in text
    rows = _option_rows(text, "Options:")
    for option in _visible_options(command):
        row = next((h for names, h in rows.items() if option.opts[-1] in names.split()), None)
        assert row is not None, f"{path} {option.opts}: not listed\n{text}"
        assert re.search(r"[A-Za-z]{3,}", row), row
        assert not CJK.sub("", row) == "" and len(CJK.findall(row)) < len(row) / 4, row  # English, Chinese examples aside
    if isinstance(command, click.Group):
        block = text.split("Commands:\n", 1)[1]
        assert "..." not in block, "a summary was cut"


def test_help_language_from_the_environment_and_after_the_command(invoke):
    out = invoke(["status", "--help"], env={"SUPERVISE_LANG": None, "LANG": "zh_CN.UTF-8"})
    assert "按此日期计算状态" in out.stdout, out
    out = invoke(["status", "--help", "--lang", "zh"])
    assert "按此日期计算状态" in out.stdout, out
    out = invoke(["status", "--help"], env={"SUPERVISE_LANG": "en", "LANG": "zh_CN.UTF-8"})
    assert "Status as of this date" in out.stdout, out


def test_dates_show_as_date_not_text(invoke):
    en = invoke(["tick", "--help"]).stdout
    assert "--on DATE" in en and "TEXT" not in en.replace("--note TEXT", ""), en
    zh = invoke(["--lang", "zh", "tick", "--help"]).stdout
    assert "--on 日期" in zh and "--note 文字" in zh, zh


def test_chinese_help_columns_align_by_terminal_cells(invoke):
    from rich.cells import cell_len

    text = invoke(["--lang", "zh", "--help"]).stdout
    block = text.split("选项：\n", 1)[1].split("\n\n")[0]
    starts = set()
    for line in block.splitlines():
        names, gap, rest = line.strip().partition("  ")
        if gap and rest.strip():
            starts.add(cell_len(line[:line.index(rest.strip(), len(line) - len(line.lstrip()) + len(names))]))
    assert len(starts) == 1 and CJK.search(block), block
    assert len(starts) == 1, block


# --- -V ------------------------------------------------------------------------------------


def test_short_version_flag(invoke):
    short, long = invoke(["-V"]), invoke(["--version"])
    assert short.exit_code == 0 and short.stdout == long.stdout
    from importlib.metadata import version

    assert short.stdout == f"supervise {version('supervise')}\n", short  # the same in either language


# --- a first run: nothing created by a command that only reads ----------------------------


READERS = [["status"], ["status", "--format", "json"], ["log"], ["units"], ["brief"], ["brief", "--out", "-"],
           ["export", "ledger", "--out", "x.xlsx"], ["backup"], ["undo"], ["tick", "1.1"], ["note", "1.1", "x"]]


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a))
def test_a_command_that_only_reads_creates_nothing(invoke, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    out = invoke(args)
    assert out.exit_code == 2, out
    assert len(out.err_lines) == 1 and "supervise import plans.toml" in out.stderr and "supervise demo" in out.stderr
    assert "data/supervise.db" in out.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["status"], ["log"], ["backup"], ["tick", "1.1"]], ids=lambda a: " ".join(a))
def test_a_command_that_only_reads_leaves_an_empty_file_empty(invoke, tmp_path, monkeypatch, args):
    """`touch data/supervise.db` is no database yet: a reader said "no plans" or "unknown task"
    after writing the whole schema (170 kB) into the file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "supervise.db").write_bytes(b"")
    out = invoke(args)
    assert out.exit_code == 2, out
    assert len(out.err_lines) == 1 and "supervise import plans.toml" in out.stderr, out
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["supervise.db"]
    assert (tmp_path / "data" / "supervise.db").stat().st_size == 0


@pytest.mark.parametrize("empty_file", [False, True], ids=["no file", "empty file"])
def test_the_ui_imports_plans_toml_into_an_empty_database_file_as_into_none(invoke, tmp_path, monkeypatch, empty_file):
    """`supervise` with plans.toml and no database imports it and opens the UI; an empty database
    file (`touch data/supervise.db`) is no database yet, so the same (it said "no database yet:
    import a plan first", the words for a command that only reads)."""
    import shutil

    from conftest import BUNDLED_PLANS
    from supervise.tui import app as app_module

    monkeypatch.chdir(tmp_path)
    shutil.copy(BUNDLED_PLANS, tmp_path / "plans.toml")
    if empty_file:
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "supervise.db").write_bytes(b"")
    opened = []

    class FakeApp:
        def run(self):
            opened.append(True)

    monkeypatch.setattr(app_module, "make_app", lambda *args, **kwargs: FakeApp())
    out = invoke([])
    assert (out.exit_code, out.stderr) == (0, ""), out
    assert opened == [True]
    assert db_rows(tmp_path / "data" / "supervise.db", "SELECT count(*) FROM plans") == [(2,)]


@pytest.mark.parametrize("args, option", [
    (["--db", "", "status"], "--db"), (["status", "--db", ""], "--db"), (["--db", "", "review", "hold"], "--db"),
    (["--plans", "", "import"], "--plans"), (["check", "--plans", ""], "--plans"),
], ids=lambda a: " ".join(a) if isinstance(a, list) else "")
@pytest.mark.parametrize("lang, words", [("en", "is empty"), ("zh", "为空")])
def test_an_empty_db_or_plans_is_refused_not_read_as_the_default(invoke, tmp_path, monkeypatch, bundled_plans,
                                                                   args, option, lang, words):
    """`supervise --db "$DB" review hold` with DB unset wrote into data/supervise.db, and
    `--plans ''` read plans.toml: an empty option is a slip, as `--out ''`, `--unit ''` and
    `--on ''` are (bad input, one line naming the option, nothing made)."""
    import shutil

    monkeypatch.chdir(tmp_path)
    shutil.copy(bundled_plans, tmp_path / "plans.toml")
    out = invoke(["--lang", lang, *args])
    assert out.exit_code == 2, out
    assert len(out.err_lines) == 1 and option in out.stderr and words in out.stderr, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans.toml"]


def test_the_ui_s_empty_as_of_is_bad_input_as_every_empty_date_option(invoke, tmp_path, monkeypatch, bundled_plans):
    """`supervise --as-of ''` opened the UI on today, where `status --as-of ''` is bad input."""
    import shutil

    from supervise.tui import app as app_module

    monkeypatch.chdir(tmp_path)
    shutil.copy(bundled_plans, tmp_path / "plans.toml")
    opened = []
    monkeypatch.setattr(app_module, "make_app", lambda *args, **kwargs: opened.append(kwargs))
    out = invoke(["--as-of", ""])
    assert out.exit_code == 2 and len(out.err_lines) == 1 and "--as-of" in out.stderr, out
    assert opened == [] and sorted(p.name for p in tmp_path.iterdir()) == ["plans.toml"]


@pytest.mark.parametrize("command", [["import"], ["import", "--dry-run"], ["check"]])
def test_an_empty_plans_file_argument_is_refused_not_read_as_plans_toml(invoke, tmp_path, monkeypatch, bundled_plans, command):
    """`supervise import "$FILE"` with FILE unset imported plans.toml, as an empty --plans did."""
    import shutil

    monkeypatch.chdir(tmp_path)
    shutil.copy(bundled_plans, tmp_path / "plans.toml")
    out = invoke([*command, ""])
    assert out.exit_code == 2 and len(out.err_lines) == 1 and "FILE is empty" in out.stderr, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans.toml"]


def test_a_mistyped_db_folder_is_not_created(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = invoke(["--db", str(tmp_path / "typo" / "x.db"), "status"])
    assert out.exit_code == 2 and "typo" in out.stderr, out
    assert list(tmp_path.iterdir()) == []


def test_first_run_says_what_to_do_in_chinese_too(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = invoke(["--lang", "zh", "status"])
    assert out.exit_code == 2 and "还没有数据库" in out.stderr and "supervise demo" in out.stderr, out


def test_the_ui_without_plans_toml_says_what_to_do_and_creates_nothing(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = invoke([])
    assert out.exit_code == 2, out
    assert "plans.toml" in out.stderr and "supervise demo" in out.stderr and "extract" in out.stderr
    assert ":0:0" not in out.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["check"], ["import"], ["import", "--dry-run"]])
def test_check_and_import_without_plans_toml_say_what_to_do(invoke, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    out = invoke(args)
    assert out.exit_code == 2 and "supervise demo" in out.stderr and ":0:0" not in out.stderr, out
    assert list(tmp_path.iterdir()) == []
    named = invoke([*args, "missing.toml"])  # a file the clerk named: the plan-file message, as before
    assert named.exit_code == 2 and "missing.toml:0:0: no such file" in named.stderr, named


def test_the_ui_with_a_bad_plans_file_creates_no_database(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans.toml").write_text("schema = 1\n[[task]\n", encoding="utf-8")
    out = invoke([])
    assert out.exit_code == 2 and "plans.toml:" in out.stderr, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans.toml"]


def test_import_and_review_hold_still_create_the_database(invoke, tmp_path, monkeypatch, bundled_plans):
    monkeypatch.chdir(tmp_path)
    assert invoke(["review", "hold", "--on", "2021-06-30"]).exit_code == 0
    assert (tmp_path / "data" / "supervise.db").is_file()
    other = tmp_path / "other" / "o.db"
    assert invoke(["--db", other, "import", bundled_plans]).exit_code == 0
    assert other.is_file()


# --- the demo ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    out = run_cli(["--db", path, "demo", "--no-ui"])
    assert out.exit_code == 0, out
    assert str(path) in out.stdout and "2022-01-20" in out.stdout
    return path


def test_demo_has_a_year_of_progress(demo_db):
    kinds = dict(db_rows(demo_db, "SELECT kind, count(*) FROM events WHERE undone_by IS NULL GROUP BY kind"))
    assert kinds["tick"] >= 5 and kinds["record"] >= 50 and kinds["note"] >= 5
    assert kinds["override"] == 1 and kinds["review"] == 2
    assert db_rows(demo_db, "SELECT count(*) FROM reviews WHERE held = 1")[0][0] == 2
    assert db_rows(demo_db, "SELECT count(*) FROM overrides")[0][0] == 1
    first, last = db_rows(demo_db, "SELECT min(effective_on), max(effective_on) FROM events WHERE kind != 'import'")[0]
    assert first < "2021-05-01" and "2021-12-01" < last <= "2022-01-20"


def test_demo_status_is_a_mix_of_colours(demo_db, invoke):
    out = invoke(["--db", demo_db, "status", "--format", "json"], env={"SUPERVISE_TODAY": "2022-01-20"})
    summary = json.loads(out.stdout)["summary"]
    assert all(summary[c] >= 2 for c in ("red", "amber", "green", "done")), summary
    assert summary["red"] < sum(summary.values()) / 2, summary


def test_demo_actions_are_events_undo_reverses(demo_db, tmp_path, invoke):
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_db.read_bytes())
    before = event_count(copy)
    out = invoke(["--db", copy, "undo"])
    assert out.exit_code == 0, out
    assert db_rows(copy, "SELECT count(*) FROM reviews WHERE held = 1")[0][0] == 1
    assert event_count(copy) == before + 1


def test_demo_chinese_hint_suggests_a_command_that_speaks_chinese(invoke, tmp_path):
    import shlex

    path = tmp_path / "zh.db"
    out = invoke(["--lang", "zh", "--db", path, "demo", "--no-ui"], env={"SUPERVISE_LANG": None, "LANG": "C"})
    assert out.exit_code == 0, out
    hint = out.stdout.splitlines()[-1]
    assert hint.startswith("试用：SUPERVISE_TODAY=2022-01-20 supervise --lang zh --db "), hint
    command = shlex.split(hint.removeprefix("试用：").split("（")[0])
    assert command[0] == "SUPERVISE_TODAY=2022-01-20" and command[1] == "supervise"
    again = invoke(command[2:], env={"SUPERVISE_TODAY": "2022-01-20", "SUPERVISE_LANG": None, "LANG": "C"})
    assert again.exit_code == 0, again
    assert "截至 2022-01-20" in again.stdout, again.stdout  # the command given runs, and in Chinese


def test_demo_english_hint_suggests_a_command_that_speaks_english_whatever_the_locale(invoke, tmp_path):
    """On a Chinese system, `demo --lang en` suggests a command that still speaks English; a
    folder with a space in its name is quoted, so the command pasted as it is runs."""
    import shlex

    folder = tmp_path / "my demo"
    folder.mkdir()
    out = invoke(["--lang", "en", "--db", folder / "en.db", "demo", "--no-ui"], env={"SUPERVISE_LANG": None, "LANG": "zh_CN.UTF-8"})
    assert out.exit_code == 0, out
    hint = out.stdout.splitlines()[-1]
    assert hint.startswith("try: SUPERVISE_TODAY=2022-01-20 supervise --lang en --db "), hint
    command = shlex.split(hint.removeprefix("try: ").split("(")[0])
    assert command[:5] == ["SUPERVISE_TODAY=2022-01-20", "supervise", "--lang", "en", "--db"]
    assert command[5] == str(folder / "en.db") and command[6] == "status", command
    again = invoke(command[2:], env={"SUPERVISE_TODAY": "2022-01-20", "SUPERVISE_LANG": None, "LANG": "zh_CN.UTF-8"})
    assert again.exit_code == 0, again
    assert "Status as of 2022-01-20" in again.stdout, again.stdout  # the command given runs, and in English


def test_demo_never_overwrites_a_database(invoke, tmp_path):
    existing = tmp_path / "mine.db"
    existing.write_bytes(b"precious")
    out = invoke(["--db", existing, "demo", "--no-ui"])
    assert out.exit_code == 2 and "already exists" in out.stderr, out
    assert existing.read_bytes() == b"precious"


def test_demo_ignores_supervise_db_and_uses_a_temporary_folder(invoke, tmp_path):
    office = tmp_path / "office.db"
    out = invoke(["demo", "--no-ui"], env={"SUPERVISE_DB": str(office)})
    assert out.exit_code == 0, out
    assert not office.exists()
    made = Path(re.search(r"ready: (\S+demo\.db)", out.stdout).group(1))
    try:
        assert made.is_file() and "supervise-demo-" in str(made.parent)
    finally:
        import shutil

        shutil.rmtree(made.parent)


def test_demo_opens_the_ui_as_of_a_day_in_the_plan_and_cleans_up(invoke, monkeypatch):
    from supervise.demo import DEMO_DAY
    from supervise.tui import app as app_module

    seen = {}

    class FakeApp:
        def run(self):
            seen["exists_while_open"] = Path(seen["db"]).is_file()

    def fake_make_app(db, plans, as_of, *, lang, today):
        seen.update(db=db, plans=plans, today=today)
        return FakeApp()

    monkeypatch.setattr(app_module, "make_app", fake_make_app)
    out = invoke(["demo"])
    assert out.exit_code == 0, out
    assert seen["today"] == DEMO_DAY and seen["exists_while_open"]
    assert Path(seen["plans"]).is_file()
    assert not Path(seen["db"]).parent.exists(), "the throw-away folder is removed when the UI closes"


def test_example_ships_inside_the_package():
    import tomllib

    from supervise.demo import example_plans

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped == {"plans.toml": "supervise/data/example.toml"}
    assert example_plans().read_bytes() == (root / "plans.toml").read_bytes()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from conftest import BUNDLED_PLANS

    path = tmp_path_factory.mktemp("template") / "template.db"
    assert run_cli(["--db", path, "import", BUNDLED_PLANS]).exit_code == 0
    return path


@pytest.fixture
def db(template, tmp_path) -> Path:
    path = tmp_path / "office.db"
    path.write_bytes(template.read_bytes())
    return path


@pytest.fixture
def sv(invoke, db):
    def _sv(*args, env=None, input=None):
        return invoke(["--db", str(db), *args], env=env, input=input)

    return _sv


# --- note TASK with no text on a terminal: an editor, as git does --------------------------


@pytest.fixture
def on_a_terminal(monkeypatch):
    from supervise.cli import progress

    monkeypatch.setattr(progress, "_stdin_is_terminal", lambda: True)


def _editor(tmp_path: Path, writes: str) -> str:
    import sys

    script = tmp_path / "editor.py"
    script.write_text("import sys\nfrom pathlib import Path\np = Path(sys.argv[1])\n"
                      f"p.write_text({writes!r} + p.read_text(encoding='utf-8'), encoding='utf-8')\n", encoding="utf-8")
    return f"{sys.executable} {script}"


def test_note_without_text_opens_the_editor(sv, db, tmp_path, on_a_terminal):
    out = sv("note", "sy-2021/1.2", env={"EDITOR": _editor(tmp_path, "区县已签订合同\n第二行"), "VISUAL": None})
    assert out.exit_code == 0, out
    texts = [r[0] for r in db_rows(db, "SELECT text FROM notes WHERE task_id = 'sy-2021/1.2'")]
    assert texts[-1] == "区县已签订合同\n第二行"  # the # help lines are left out


def test_an_empty_note_from_the_editor_records_nothing(sv, db, tmp_path, on_a_terminal):
    before = event_count(db)
    out = sv("note", "sy-2021/1.2", env={"EDITOR": _editor(tmp_path, ""), "VISUAL": None})
    assert out.exit_code == 2 and "empty" in out.stderr, out
    assert event_count(db) == before


def test_note_without_an_editor_prompts(sv, db, on_a_terminal):
    out = sv("note", "sy-2021/1.2", env={"EDITOR": None, "VISUAL": None}, input="一句话的备注\n")
    assert out.exit_code == 0, out
    assert "Note for sy-2021/1.2" in out.stdout
    assert db_rows(db, "SELECT text FROM notes ORDER BY id DESC LIMIT 1")[0][0] == "一句话的备注"


def test_note_reads_piped_standard_input_even_with_an_editor_set(sv, db, tmp_path):
    out = sv("note", "sy-2021/1.2", env={"EDITOR": _editor(tmp_path, "NOT THIS")}, input="多行\n备注\n")
    assert out.exit_code == 0, out
    assert db_rows(db, "SELECT text FROM notes ORDER BY id DESC LIMIT 1")[0][0] == "多行\n备注"


# --- database views for Datasette or any SQLite client ------------------------------------


def test_views_answer_simple_questions(demo_db, tmp_path):
    copy = tmp_path / "views.db"
    copy.write_bytes(demo_db.read_bytes())
    conn = sqlite3.connect(copy)
    try:
        live = conn.execute("SELECT id, lead, responsible, milestones, milestones_done FROM tasks_live "
                            "WHERE id = 'sy-2021/1.1'").fetchall()
        assert live == [("sy-2021/1.1", "市民政局", "市人力资源社会保障局、市卫生健康委、各区县（市）政府", 0, 0)]
        assert conn.execute("SELECT count(*) FROM tasks_live").fetchone()[0] == 35
        # a later value replaces the latest; a withdrawn task leaves tasks_live
        conn.execute("INSERT INTO indicator_values (indicator_id, measured_on, value, note, recorded_at) "
                     "VALUES ('sy-2021/1.1/carers', '2099-01-01', 123456, 'later', '2099-01-01')")
        conn.execute("UPDATE tasks SET withdrawn_on = '2022-01-01' WHERE id = 'sy-2021/1.2'")
        latest = conn.execute("SELECT measured_on, value, note FROM latest_values "
                              "WHERE indicator_id = 'sy-2021/1.1/carers'").fetchall()
        assert latest == [("2099-01-01", 123456.0, "later")]
        assert conn.execute("SELECT count(*) FROM tasks_live").fetchone()[0] == 34
        unreported = conn.execute("SELECT count(*) FROM latest_values WHERE value IS NULL").fetchone()[0]
        assert unreported == conn.execute("SELECT count(*) FROM indicators i WHERE withdrawn_on IS NULL AND NOT EXISTS "
                                          "(SELECT 1 FROM indicator_values v WHERE v.indicator_id = i.id)").fetchone()[0]
        notes = conn.execute("SELECT task_id, task_title, written_on, text FROM notes_by_task").fetchall()
        assert len(notes) == conn.execute("SELECT count(*) FROM notes").fetchone()[0] >= 5
        assert all(title for _, title, _, _ in notes)
        by_task = [n for n in notes if n[0] == notes[0][0]]
        assert [n[2] for n in by_task] == sorted((n[2] for n in by_task), reverse=True)
    finally:
        conn.close()


def test_an_older_database_gains_the_views_after_a_backup(tmp_path, bundled_plans, invoke):
    db = tmp_path / "old.db"
    assert invoke(["--db", db, "import", bundled_plans]).exit_code == 0
    downgrade_to_schema_1(db)
    out = invoke(["--db", db, "status"])
    assert out.exit_code == 0, out
    assert db_rows(db, "SELECT count(*) FROM tasks_live")[0][0] == 35
    assert any("migration" in p.name for p in (tmp_path / "backups").iterdir())


# --- shell completion: task ids and unit names, from a database opened read-only -----------


def _ctx_for(db) -> click.Context:
    from supervise.cli.base import Ctx

    return click.Context(cli, obj=Ctx(str(db), None, None))


def test_task_ids_complete(sv, db):
    from supervise.cli.base import complete_task

    items = complete_task(_ctx_for(db), None, "sy-2021/1.")
    assert [i.value for i in items] == [f"sy-2021/1.{n}" for n in range(1, 7)]
    assert items[0].help == "切实提高家庭自我照护能力"
    bare = [i.value for i in complete_task(_ctx_for(db), None, "6.")]
    assert bare == ["6.1", "6.2", "6.3", "6.4"]
    assert [i.value for i in complete_task(_ctx_for(db), None, "sy-2021-key/1")] == \
        ["sy-2021-key/1", "sy-2021-key/10", "sy-2021-key/11"]


def test_unit_names_complete(sv, db):
    from supervise.cli.base import complete_unit

    names = [i.value for i in complete_unit(_ctx_for(db), None, "市卫")]
    assert names == ["市卫生健康委"]


def test_completion_never_creates_a_database(tmp_path):
    from supervise.cli.base import complete_task, complete_unit

    missing = tmp_path / "nowhere" / "x.db"
    assert complete_task(_ctx_for(missing), None, "") == [] and complete_unit(_ctx_for(missing), None, "") == []
    assert not (tmp_path / "nowhere").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert complete_task(_ctx_for(junk), None, "") == []
    assert junk.read_bytes() == b"not a database" * 100


def test_every_task_argument_and_unit_option_completes():
    from supervise.cli.base import complete_task, complete_unit

    seen = {"task": 0, "unit": 0}
    for _, command in COMMANDS:
        for param in command.params:
            if param.name in seen:
                expected = complete_task if param.name == "task" else complete_unit
                assert param._custom_shell_complete is expected, (command.name, param.name)
                seen[param.name] += 1
    assert seen["task"] >= 5 and seen["unit"] >= 1


def test_the_shell_asks_and_gets_task_ids(db):
    """As bash does it: _SUPERVISE_COMPLETE=bash_complete with COMP_WORDS / COMP_CWORD."""
    out = run_cli([], env={"_SUPERVISE_COMPLETE": "bash_complete",
                           "COMP_WORDS": f"supervise --db {db} tick sy-2021/2.", "COMP_CWORD": "4"})
    assert out.exit_code == 0, out
    assert "plain,sy-2021/2.1" in out.stdout and "plain,sy-2021/2.3" in out.stdout
    after = run_cli([], env={"_SUPERVISE_COMPLETE": "bash_complete",
                             "COMP_WORDS": f"supervise status --db {db} --unit 市房", "COMP_CWORD": "5"})
    assert after.stdout.splitlines() == ["plain,市房产局"], after
    script = run_cli([], env={"_SUPERVISE_COMPLETE": "bash_source"})
    assert "_supervise_completion" in script.stdout


# --- progress bars: on a terminal's standard error, silent otherwise -----------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(sv, tmp_path):
    out = sv("export", "ledger", "--out", tmp_path / "l.xlsx")
    assert out.exit_code == 0 and out.stderr == "", out


@pytest.fixture
def terminal_stderr(monkeypatch):
    import io

    from rich.console import Console

    from supervise.cli import meter

    drawn = io.StringIO()
    monkeypatch.setattr(meter, "DELAY", 0.0)
    monkeypatch.setattr(meter, "_is_terminal", lambda: True)
    monkeypatch.setattr(meter, "_stderr_console", lambda: Console(file=drawn, force_terminal=True, width=100))
    return drawn


def test_progress_bar_on_a_terminal_for_the_ledger(sv, tmp_path, terminal_stderr):
    out = sv("export", "ledger", "--out", tmp_path / "l.xlsx")
    assert out.exit_code == 0 and out.stderr == "", out  # the bar went to the terminal's console, not the text
    drawn = terminal_stderr.getvalue()
    assert "Writing the ledger" in drawn and "35/35" in drawn and "━" in drawn


def test_progress_bar_on_a_terminal_for_import(invoke, tmp_path, bundled_plans, terminal_stderr):
    out = invoke(["--db", tmp_path / "i.db", "--lang", "zh", "import", bundled_plans])
    assert out.exit_code == 0, out
    drawn = terminal_stderr.getvalue()
    assert "━" in drawn and ("读取计划文件" in drawn or "写入数据库" in drawn)


def test_a_quick_job_shows_no_bar_even_on_a_terminal(sv, tmp_path, monkeypatch, terminal_stderr):
    from supervise.cli import meter

    monkeypatch.setattr(meter, "DELAY", 30.0)
    assert sv("export", "ledger", "--out", tmp_path / "l.xlsx").exit_code == 0
    assert terminal_stderr.getvalue() == ""


def test_progress_bar_on_a_terminal_for_forms_and_collect(sv, tmp_path, terminal_stderr):
    out = sv("forms", "--out", tmp_path / "forms", "--as-of", "2021-10-31")
    assert out.exit_code == 0 and out.stderr == "", out
    drawn = terminal_stderr.getvalue()
    assert "Writing the forms" in drawn and "━" in drawn
    files = sorted(str(p) for p in (tmp_path / "forms").iterdir())
    assert sv("collect", *files).exit_code == 0
    assert "Reading the forms" in terminal_stderr.getvalue()


def test_every_parameter_that_takes_a_task_or_a_unit_completes_whatever_its_python_name():
    """`show TASK` and `log --task` are named task_ref in the code: they completed nothing."""
    from supervise.cli.base import complete_task, complete_unit

    found = []
    for _, command in COMMANDS:
        for param in command.params:
            takes_task = "--task" in param.opts or (isinstance(param, click.Argument) and param.metavar == "TASK")
            takes_unit = "--unit" in param.opts
            if takes_task or takes_unit:
                expected = complete_task if takes_task else complete_unit
                found.append((command.name, param.name))
                assert param._custom_shell_complete is expected, (command.name, param.name)
    assert ("show", "task_ref") in found and ("log", "task_ref") in found


def test_the_shell_completes_show_s_task_and_log_s_task(db):
    for words, cword in ((f"supervise --db {db} show sy-2021/2.", "4"), (f"supervise --db {db} log --task sy-2021/2.", "5")):
        out = run_cli([], env={"_SUPERVISE_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword})
        assert out.exit_code == 0, out
        assert "plain,sy-2021/2.1" in out.stdout and "plain,sy-2021/2.3" in out.stdout, (words, out.stdout)
