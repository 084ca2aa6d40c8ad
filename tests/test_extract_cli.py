"""`supervise extract` end to end: a draft that `supervise check` accepts, a summary on stderr."""

import subprocess
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "fixtures" / "extract" / "seeds"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-c", "from supervise.cli import main; main()", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


def test_extract_writes_a_draft_that_checks(tmp_path):
    out = tmp_path / "draft.toml"
    r = run("--lang", "zh", "extract", str(SEEDS / "shenyang-2021-2023.txt"), "--plan-id", "sy-2021", "--out", str(out),
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "任务 35 项" in r.stderr and "待核实" in r.stderr
    assert "11 项任务原文未写牵头单位" in r.stderr          # the 2021 annex names no units
    draft = out.read_text(encoding="utf-8")
    assert 'id = "sy-2021"' in draft
    checked = run("check", str(out), cwd=tmp_path)
    # check names each task whose lead the document does not give, and nothing else
    assert checked.returncode == 2
    problems = checked.stderr.strip().splitlines()
    assert len(problems) == 11 and all("has no lead" in p for p in problems), checked.stderr
    assert "Traceback" not in checked.stderr
    # the clerk fills in the leads: then it checks
    filled = draft.replace("# lead = []  # 待核实", 'lead = ["市民政局"]  # 待核实')
    out.write_text(filled, encoding="utf-8")
    checked = run("check", str(out), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "35 tasks" in checked.stdout


def test_extract_to_stdout(tmp_path):
    r = run("extract", str(SEEDS / "qidong-2020-2022.txt"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("[[task]]") == 14


def test_extract_missing_file_is_one_line_exit_2(tmp_path):
    r = run("extract", str(tmp_path / "nope.docx"), cwd=tmp_path)
    assert r.returncode == 2
    assert "nope.docx" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_extract_empty_path_is_refused_as_empty(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args, words in ((["extract", ""], "the document path is empty"),
                        (["extract", "  "], "the document path is empty"),
                        (["--lang", "zh", "extract", ""], "文档路径为空"),
                        (["extract", str(SEEDS / "qidong-2020-2022.txt"), "--out", ""], "--out is empty")):
        r = invoke(args)
        assert r.exit_code == 2, (args, r)
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("supervise: "), r.stderr
        assert words in r.stderr and "unsupported" not in r.stderr and "不支持" not in r.stderr, r.stderr
        assert r.stdout == ""
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_extract_out_plans_toml_in_a_folder_without_one(tmp_path):
    # what `supervise` says in a folder with no plan ("draft one with `supervise extract DOC --out
    # plans.toml`") works: the plans file in use is refused only once it exists
    r = run("extract", str(SEEDS / "qidong-2020-2022.txt"), "--out", "plans.toml", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    draft = (tmp_path / "plans.toml").read_bytes()
    assert b"[[task]]" in draft
    again = run("extract", str(SEEDS / "ningbo-2021-2023.txt"), "--out", "plans.toml", cwd=tmp_path)
    assert again.returncode == 2 and "plans file in use" in again.stderr
    assert (tmp_path / "plans.toml").read_bytes() == draft


def test_extract_refuses_a_pipe_at_once_in_either_language(tmp_path):
    """A FIFO named like a document (no writer) is refused at once, one line, never waited on (files.read_regular)."""
    import os

    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    for lang, said in (("en", "{fifo}: not a regular file (a device or a pipe): give the document itself"),
                       ("zh", "{fifo}：不是普通文件（设备或管道）：请给出文档本身")):
        r = run("--lang", lang, "extract", str(fifo), cwd=tmp_path)  # run() gives up after 60 s: a hang fails
        assert r.returncode == 2, r.stderr
        assert r.stderr.strip().splitlines() == ["supervise: " + said.format(fifo=fifo)]


def test_extract_refuses_a_document_over_the_limit(tmp_path, monkeypatch):
    import pytest

    from supervise.extract import core

    big = tmp_path / "big.txt"
    big.write_text("一、任务\n" * 10, encoding="utf-8")
    monkeypatch.setattr(core, "MAX_DOCUMENT", 16)
    with pytest.raises(core.ExtractError) as err:
        core.read_document(big)
    assert str(err.value) == f"{big}: larger than 0 MB: not a plan document"
