"""Chase-up notices (督办单, shared/spec/office.md): issue, answer, escalate, overdue, undo.

The office (tests/fixtures/notices_plans.toml): task p/1 (甲局) has milestone a due 2021-05-31,
so it is red from June on; task p/2 (甲局) has an indicator 培训人数 0 → 100 over 2021, so on
2021-07-31 the schedule expects 100 × 211/364 = 57.97 and a value of 40 is 17.97 points
behind (amber); task p/3 (丁局) is due at the end of 2021 with no items (green until
December). Every expected figure below is worked out by hand from these dates.
"""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, db_rows, event_count

PLANS = FIXTURES / "notices_plans.toml"
ENV = {"SUPERVISE_TODAY": "2021-12-31", "SUPERVISE_LANG": "en"}


@pytest.fixture
def office(tmp_path, invoke):
    db = tmp_path / "n.db"

    def run(*args, lang: str = "en"):
        return invoke(["--db", str(db), *args], env={**ENV, "SUPERVISE_LANG": lang})

    assert run("import", str(PLANS)).exit_code == 0
    assert run("record", "p/2", "n", "40", "--on", "2021-06-30").exit_code == 0
    run.db = db
    run.out = tmp_path / "notices"
    return run


def task_json(run, key: str, as_of: str) -> dict:
    outcome = run("status", "--as-of", as_of, "--format", "json")
    assert outcome.exit_code == 0, outcome
    return next(t for t in json.loads(outcome.stdout)["tasks"] if t["id"] == key)


def test_the_whole_lifecycle(office):
    run, out = office, office.out
    # issue on 2021-07-31 for red and amber: 甲局 leads p/1 (red) and p/2 (amber); reply by 08-10
    issued = run("remind", "--out", str(out), "--as-of", "2021-07-31", "--rag", "red,amber", "--unit", "甲局")
    assert issued.exit_code == 0, issued
    first = out / "督办〔2021〕1号-甲局.md"
    assert [p.name for p in out.iterdir()] == [first.name]
    text = first.read_text(encoding="utf-8")
    assert "督办〔2021〕1号" in text and "甲局" in text and "p/1" in text and "p/2" in text
    assert "乙局、丙局" in text  # the responsible units
    assert "10 August 2021" in text  # the reply-by date, issue date + 10 days
    assert "second notice" not in text

    # a note on p/1 dated after the issue date answers its notice
    assert run("note", "p/1", "已完成招标", "--on", "2021-08-05").exit_code == 0
    # a value for p/2 dated ON the issue date is progress, but not an answer to the notice
    assert run("record", "p/2", "n", "60", "--on", "2021-07-31").exit_code == 0

    one = task_json(run, "p/1", "2021-08-20")
    assert one["reminders"] == [{"number": "督办〔2021〕1号", "issued_on": "2021-07-31", "reply_by": "2021-08-10",
                                 "answered_on": "2021-08-05", "level": 1}]
    assert one["rag"] == "red" and not any("no reply" in r for r in one["reasons"])
    two = task_json(run, "p/2", "2021-08-20")
    assert two["reminders"] == [{"number": "督办〔2021〕1号", "issued_on": "2021-07-31", "reply_by": "2021-08-10",
                                 "answered_on": None, "level": 1}]
    # 08-20: expected 100 × 231/364 = 63.46, value 60: 3.46 points behind, green by pace; but the
    # notice is 10 days past its reply date unanswered, so the task is amber with that reason
    assert two["rag"] == "amber"
    assert two["reasons"] == ["no reply to notice 10 days past (督办〔2021〕1号)"]
    # before the reply date the notice does not count against it: green by pace
    assert task_json(run, "p/2", "2021-08-09")["rag"] == "green"

    # a second notice on 08-20: p/2 is still unanswered, so it escalates to the second level; p/1 was
    # answered, so it starts again at the first
    again = run("remind", "--out", str(out), "--as-of", "2021-08-20", "--rag", "red,amber", "--unit", "甲局")
    assert again.exit_code == 0, again
    second = out / "督办〔2021〕2号-甲局.md"
    text = second.read_text(encoding="utf-8")
    assert "second notice" in text
    levels = {r["issued_on"]: r["level"] for r in task_json(run, "p/2", "2021-08-20")["reminders"]}
    assert levels == {"2021-07-31": 1, "2021-08-20": 2}
    assert [r["level"] for r in task_json(run, "p/1", "2021-08-20")["reminders"]] == [1, 1]

    # undo takes the second notice back; its number is not given to the next one
    before = event_count(office.db)
    assert run("undo").exit_code == 0
    assert [r["number"] for r in task_json(run, "p/2", "2021-08-20")["reminders"]] == ["督办〔2021〕1号"]
    assert event_count(office.db) == before + 1
    third = run("remind", "--out", str(out), "--as-of", "2021-08-20", "--rag", "red,amber", "--unit", "甲局")
    assert third.exit_code == 0, third
    assert (out / "督办〔2021〕3号-甲局.md").exists()
    assert [r["number"] for r in task_json(run, "p/2", "2021-08-20")["reminders"]] == ["督办〔2021〕1号", "督办〔2021〕3号"]


def test_one_notice_per_lead_unit_numbered_in_sequence(office):
    run = office
    # on 2021-07-31 only p/1 (甲局) is red; on 12-15 p/3 (丁局) is amber (due in 16 days)
    outcome = run("remind", "--out", str(office.out), "--as-of", "2021-12-15", "--rag", "red,amber")
    assert outcome.exit_code == 0, outcome
    names = sorted(p.name for p in office.out.iterdir())
    assert names == ["督办〔2021〕1号-甲局.md", "督办〔2021〕2号-丁局.md"]
    assert db_rows(office.db, "SELECT kind, summary FROM events WHERE kind = 'remind' ORDER BY id") == [
        ("remind", "督办〔2021〕1号"), ("remind", "督办〔2021〕2号")]


def test_dry_run_prints_and_writes_nothing(office):
    before = event_count(office.db)
    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--dry-run")
    assert outcome.exit_code == 0, outcome
    assert "督办〔2021〕1号" in outcome.stdout and "p/1" in outcome.stdout
    assert not office.out.exists()
    assert event_count(office.db) == before


def test_a_unit_with_nothing_of_those_colours_gets_no_notice(office):
    before = event_count(office.db)
    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--unit", "丁局")
    assert outcome.exit_code == 0, outcome
    assert "丁局" in outcome.stdout and "no notice" in outcome.stdout
    assert not office.out.exists() and event_count(office.db) == before
    zh = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--unit", "丁局", lang="zh")
    assert zh.stdout.strip() == "截至 2021-07-31，丁局牵头的任务中没有红色任务：未发出督办单"  # no space after the name


@pytest.mark.parametrize("args, words", [
    (["--reply-by", "2021-07-30"], "before the issue date"),
    (["--rag", "green"], "--rag"),
    (["--unit", "没有这个局"], "unknown unit"),
    (["--as-of", "2022-01-05"], "after today"),
])
def test_bad_input_is_one_line_and_writes_nothing(office, args, words):
    before = event_count(office.db)
    outcome = office("remind", "--out", str(office.out), *(["--as-of", "2021-07-31"] if "--as-of" not in args else []),
                     *args)
    assert outcome.exit_code == 2, outcome
    assert len(outcome.err_lines) == 1 and words in outcome.stderr, outcome
    assert not office.out.exists() and event_count(office.db) == before


def test_an_out_that_is_a_file_is_refused_before_anything(office):
    office.out.write_text("a file where the folder should be", encoding="utf-8")
    before = event_count(office.db)
    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31")
    assert outcome.exit_code == 2 and len(outcome.err_lines) == 1, outcome
    assert event_count(office.db) == before


def test_a_notice_that_cannot_be_written_is_taken_back(office):
    import os

    office.out.mkdir()
    os.mkfifo(office.out / "督办〔2021〕1号-甲局.md")  # the one safe-write function refuses a FIFO
    before = event_count(office.db)
    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31")
    assert outcome.exit_code == 2 and len(outcome.err_lines) == 1, outcome
    assert event_count(office.db) == before + 2  # the notice and its undo: the register shows both
    assert task_json(office, "p/1", "2021-07-31")["reminders"] == []
    again = office("remind", "--out", str(office.out / "elsewhere"), "--as-of", "2021-07-31")
    assert again.exit_code == 0, again
    assert (office.out / "elsewhere" / "督办〔2021〕2号-甲局.md").exists()  # the number is not reused


def test_word_notice_in_the_official_layout(office):
    from docx import Document
    from docx.oxml.ns import qn

    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--format", "docx", lang="zh")
    assert outcome.exit_code == 0, outcome
    (path,) = office.out.iterdir()
    assert path.name == "督办〔2021〕1号-甲局.docx"
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "督办通知单" in text and "督办〔2021〕1号" in text and "甲局：" in text and "2021年8月10日" in text
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "p/1" in cells and "建设中心" in cells
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    # portrait A4, text width 210 - 28 - 26 = 156 mm = 8844 twips; a fixed layout, every cell as wide as its column.
    # Worked by hand: a table character is 10.5 pt = 210 twips (105 a half), a cell's margins and air 144 twips.
    # 序号, 编号 (p/1), 状态 (红) and 督办次数 (its header, 8 halves) on one line: 4 × 105 + 144 = 564 each, and
    # 8 × 105 + 144 = 984; the 6168 left shared 4 : 7 : 4 : 5 among 任务, 原因, 责任单位, 最新进展
    # (1233, 2158, 1233, 1542) and the twip rounding leaves to the widest, the reason.
    table = doc.tables[0]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert [c.text for c in table.rows[0].cells] == ["序号", "编号", "任务", "状态", "原因", "责任单位", "最新进展", "督办次数"]
    assert grid == [564, 564, 1233, 564, 2160, 1233, 1542, 984]
    assert sum(grid) == 8844
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for row in table.rows:
        assert [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row._tr.tc_lst] == grid
    # a reason of 60 characters takes seven lines of (2160 - 144) // 210 = 9 characters, not twelve of five
    assert (grid[4] - 144) // 210 == 9


def test_chinese_reason_and_notice(office):
    assert office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red,amber").exit_code == 0
    outcome = office("status", "--as-of", "2021-08-20", "--format", "json", lang="zh")
    two = next(t for t in json.loads(outcome.stdout)["tasks"] if t["id"] == "p/2")
    assert "督办逾期未反馈 10 天（督办〔2021〕1号）" in two["reasons"]


def test_user_text_in_a_notice_is_literal(office):
    assert office("note", "p/1", "| 不是表格 # 不是标题 =SUM(1)", "--on", "2021-07-01").exit_code == 0
    assert office("remind", "--out", str(office.out), "--as-of", "2021-07-31").exit_code == 0
    (path,) = office.out.iterdir()
    text = path.read_text(encoding="utf-8")
    assert "\\| 不是表格 \\# 不是标题 =SUM(1)" in text or "\\| 不是表格 # 不是标题 =SUM(1)" in text


def test_lists_mark_a_task_under_notice(office):
    assert office("remind", "--out", str(office.out), "--as-of", "2021-07-31").exit_code == 0  # p/1 only (red)
    before = office("status", "--as-of", "2021-08-05", "--format", "markdown")
    row = next(line for line in before.stdout.splitlines() if "p/1" in line)
    assert "✉" in row and "✉!" not in row  # awaiting reply, not yet due
    late = office("status", "--as-of", "2021-08-20", "--format", "markdown")
    row = next(line for line in late.stdout.splitlines() if "p/1" in line)
    assert "✉!" in row and "no reply to notice 10 days past" in row  # the symbol, and the words


def test_the_briefing_reports_notices_issued_and_replies_outstanding(office):
    assert office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red,amber").exit_code == 0
    outcome = office("brief", "--as-of", "2021-08-20", "--out", "-", lang="zh")
    assert outcome.exit_code == 0, outcome
    text = outcome.stdout
    part = text.split("督办情况", 1)[1]
    # the period runs from the review of 2021-06-30 to 08-20: the notice of 07-31 is in it; it named two
    # tasks of 甲局, neither answered by 08-20 (no progress dated after the issue date)
    assert "### （一）本期发出督办单（1份）" in part  # counted as the briefing's other headings: 红色事项（4项）
    assert "| 督办〔2021〕1号 | 甲局 | 2021年7月31日 | 2021年8月10日 | 1 | 2 | 0 |" in part
    assert "### （二）尚未反馈（2项）" in part and "| p/1 |" in part and "| p/2 |" in part
    assert "| 10 |" in part  # ten days past the reply date


def test_the_status_table_says_it_in_words_too(office):
    assert office("remind", "--out", str(office.out), "--as-of", "2021-07-31").exit_code == 0  # p/1 (red)
    before = office("status", "--as-of", "2021-08-05", lang="zh")  # piped: whole lines
    row = next(line for line in before.stdout.splitlines() if "p/1" in line)
    assert "✉ 待反馈" in row
    late = office("status", "--as-of", "2021-08-20")
    row = next(line for line in late.stdout.splitlines() if "p/1" in line)
    assert "✉! reply overdue" in row
    md = office("status", "--as-of", "2021-08-20", "--format", "markdown", lang="zh")
    assert "✉! 逾期未反馈" in next(line for line in md.stdout.splitlines() if "p/1" in line)


def test_one_task_is_said_in_the_singular_and_undo_names_the_notice(office):
    # on 2021-07-31 甲局 leads one red task (p/1): "1 task", not "1 tasks"
    issued = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red")
    assert issued.exit_code == 0, issued
    assert "督办〔2021〕1号 to 甲局: 1 task, reply by 2021-08-10 (first notice): " in issued.stdout
    # the log and the undo say which notice, to whom (not just "notice (2021-07-31)")
    log = office("log", "--format", "markdown")
    assert "督办〔2021〕1号 to 甲局" in log.stdout, log
    undone = office("undo")
    assert undone.exit_code == 0, undone
    # its file stays where remind wrote it (no write is taken back from a folder): said, so it is not sent
    assert undone.stdout.strip() == ("undone: notice 督办〔2021〕1号 to 甲局 (2021-07-31); its file, "
                                     "if written, is still in its folder: delete it rather than send it")


def test_undo_of_a_notice_in_chinese_names_it_with_full_width_brackets(office):
    assert office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red").exit_code == 0
    undone = office("undo", lang="zh")
    assert undone.exit_code == 0, undone
    assert undone.stdout.strip() == "已撤销：督办 督办〔2021〕1号 致 甲局（2021-07-31）；已生成的督办单文件仍在原文件夹，请删除，勿再发出"


def test_help_names_the_out_of_remind_a_folder(invoke):
    # the notices go into a folder (README: `remind --out DIR`); the help said `--out FILE` / `--out 文件`
    en = invoke(["--lang", "en", "remind", "--help"])
    assert "--out DIR " in en.stdout and "--out FILE" not in en.stdout, en.stdout
    zh = invoke(["--lang", "zh", "remind", "--help"])
    assert "--out 文件夹 " in zh.stdout and "督办单所在文件夹" in zh.stdout, zh.stdout


def test_remind_says_the_level_in_words(office):
    # a first notice reads "first notice" in English; in Chinese it is simply 督办, a later one 第二次督办
    first = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red", "--dry-run", lang="zh")
    assert first.exit_code == 0, first
    assert "2021-08-10 前反馈（督办）" in first.stdout, first.stdout
    issued = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red")
    assert issued.exit_code == 0, issued
    assert "reply by 2021-08-10 (first notice): " in issued.stdout
    (path,) = office.out.iterdir()
    table = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| 1 |")]
    assert len(table) == 1 and table[0].endswith("| first notice |"), table
    would = office("remind", "--out", str(office.out / "zh"), "--as-of", "2021-08-20", "--rag", "red",
                   "--dry-run", lang="zh")
    assert would.exit_code == 0, would
    assert "2021-08-30 前反馈（第二次督办）" in would.stdout, would.stdout


def test_dry_run_shows_control_characters_in_a_reason_not_obeys_them(office):
    """An override's reason typed with an escape sequence: the dry run's task line printed it raw
    (the terminal obeyed it); it is shown as the status table shows it."""
    assert office("override", "p/1", "red", "--on", "2021-07-01", "--until", "2021-12-31",
                  "--reason", "x\x1b[2Jy\x07").exit_code == 0
    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--dry-run")
    assert outcome.exit_code == 0, outcome
    assert "\x1b" not in outcome.stdout and "\x07" not in outcome.stdout
    assert "x\\x1b[2Jy\\x07" in outcome.stdout


@pytest.mark.parametrize("command, lang, words", [
    (["forms"], "en", "--out is empty: name the folder to write into"),
    (["remind"], "en", "--out is empty: name the folder to write into"),
    (["remind"], "zh", "--out 为空：请给出要写入的文件夹"),
    (["brief"], "en", "--out is empty: name the file to write, `-` for standard output"),
    (["brief"], "zh", "--out 为空：请给出要写入的文件名"),
])
@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_out_is_refused_and_nothing_written(invoke, tmp_path, monkeypatch, command, lang, words, empty):
    """`--out ""` (a variable that was not set) is a slip: forms and remind wrote into the current
    folder and remind recorded its notices; brief wrote its default file. Refused, as extract refuses it."""
    db = tmp_path / "d.db"
    assert invoke(["--db", db, "demo", "--no-ui"]).exit_code == 0
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = event_count(db)
    out = invoke(["--lang", lang, "--db", db, *command, "--out", empty], env={"SUPERVISE_TODAY": "2022-01-20"})
    assert out.exit_code == 2, out
    assert words in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert list(work.iterdir()) == [] and event_count(db) == before


def test_the_chinese_notice_body_sets_its_count_as_the_briefing_does_without_spaces(office):
    """An official document's sentence has no spaces around a number (the briefing: 共有督办任务14项);
    the notice said 你单位牵头的以下 2 项任务."""
    from docx import Document

    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red,amber",
                     "--format", "docx", lang="zh")
    assert outcome.exit_code == 0, outcome
    (path,) = office.out.iterdir()
    body = next(p.text for p in Document(str(path)).paragraphs if p.text.startswith("经核查"))
    assert "你单位牵头的以下2项任务进度滞后" in body, body


@pytest.mark.parametrize("lang, reply_by", [("zh", "2021年8月10日"), ("en", "10 August 2021")])
def test_the_notice_asks_for_its_reply_once(office, lang, reply_by):
    """The body asks for a written reply by the date; a closing line said it again (请于…前反馈。)."""
    from docx import Document

    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--format", "docx", lang=lang)
    assert outcome.exit_code == 0, outcome
    (path,) = office.out.iterdir()
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert text.count(reply_by) == 1, text


def test_a_notice_says_its_reasons_as_the_briefing_does(office):
    """A notice is a dated document: an indicator's reason names it with its value and target, as
    the briefing's tables do (it used the status list's words, without the indicator's name or
    target). 40 of 100 on 2021-07-31: the schedule expects 57.97, shown 58%."""
    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red,amber", lang="zh")
    assert outcome.exit_code == 0, outcome
    (path,) = office.out.iterdir()
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| 2 | p/2 ")]
    assert rows == ["| 2 | p/2 | 培训护理员 | 黄 | 培训人数 40/100 人，序时应完成 58% | — | 最近进展：2021年6月30日 | 督办 |"]


def test_a_unit_with_a_long_name_gets_its_notice_and_its_form(invoke, tmp_path):
    """A unit named in 120 characters (360 bytes in UTF-8, past the 255 a file name may hold):
    remind recorded and wrote the notices before it, then stopped with exit 2 on 'File name too
    long'; forms wrote the forms before it and stopped the same way."""
    long_unit = "某某市" + "长" * 117
    other = "某某市" + "长" * 116 + "短"  # alike for far longer than any cut: still two files
    plans = tmp_path / "plans.toml"
    plans.write_text(PLANS.read_text(encoding="utf-8").replace('"甲局"', f'"{long_unit}"').replace('"丁局"', f'"{other}"'),
                     encoding="utf-8")
    db = tmp_path / "n.db"

    def run(*args):
        return invoke(["--db", str(db), *args], env=ENV)

    assert run("import", str(plans)).exit_code == 0
    notices = run("remind", "--out", str(tmp_path / "notices"), "--rag", "red,amber")
    assert notices.exit_code == 0, notices
    forms = run("forms", "--out", str(tmp_path / "forms"))
    assert forms.exit_code == 0, forms
    for folder in ("notices", "forms"):
        names = [p.name for p in (tmp_path / folder).iterdir()]
        assert names and all(len(n.encode("utf-8")) <= 255 for n in names), names
    assert len(list((tmp_path / "forms").iterdir())) == 2


def test_the_dry_run_words_each_reason_as_the_notice_will(office):
    """--dry-run previews the notices: their reasons in the notice's (dated) words, not the status
    list's (the preview said one thing and the notice another since the notice took the briefing's)."""
    outcome = office("remind", "--out", str(office.out), "--as-of", "2021-07-31", "--rag", "red,amber", "--dry-run",
                     lang="zh")
    assert outcome.exit_code == 0, outcome
    assert any("p/2" in line and "培训人数 40/100 人，序时应完成 58%" in line for line in outcome.stdout.splitlines()), outcome.stdout
