"""A plan file parsed a task at a time must mean exactly what it means parsed whole.

Every case is checked both ways: the normal path (toml_chunks when the file's shape allows)
and the whole-text parse it falls back on; the PlanSet, or the error lines in both languages,
must be equal.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from supervise.planfile import chunks as toml_chunks, loader as plan_file
from supervise.planfile.loader import PlanFileError, parse_plans

from conftest import BUNDLED_PLANS, REPO
from test_fuzz import FAST, mutated_plans, tomlish

FIXTURES = [p for p in sorted((REPO / "tests" / "fixtures" / "plans").glob("*.toml"))
            if p.stem not in ("gbk_encoded", "utf16")]  # refused before any parse: not text


def _outcome(text: str):
    try:
        return parse_plans(text, "p.toml")
    except PlanFileError as err:
        return ("error", err.lines("en"), err.lines("zh"))


def _whole(text: str, monkeypatch):
    def refuse(*_args):
        raise toml_chunks.NotChunked

    with monkeypatch.context() as m:
        m.setattr(toml_chunks, "load", refuse)
        return _outcome(text)


def _same(text: str, monkeypatch) -> None:
    assert _outcome(text) == _whole(text, monkeypatch)


class _Spy:
    """Counts the task pieces parsed on their own."""

    def __init__(self, monkeypatch):
        self.pieces = 0
        real = toml_chunks.TaskTables.__iter__

        def counting(tables):
            for table in real(tables):
                self.pieces += 1
                yield table

        monkeypatch.setattr(toml_chunks.TaskTables, "__iter__", counting)


def test_the_bundled_plan_is_parsed_a_task_at_a_time_and_means_the_same(monkeypatch):
    text = BUNDLED_PLANS.read_text(encoding="utf-8")
    whole = _whole(text, monkeypatch)
    spy = _Spy(monkeypatch)
    chunked = _outcome(text)
    assert chunked == whole
    assert spy.pieces == len(chunked.tasks) > 30


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_fixture_means_the_same_both_ways(path, monkeypatch):
    _same(path.read_text(encoding="utf-8"), monkeypatch)


PREAMBLE = """\
[office]
name = "办公室"

[[plan]]
id = "p"
title = "计划"
start = 2021-01-01
end = 2023-12-31
"""

TASK = """
[[task]]
id = "{n}"
title = "任务{n}"
lead = ["市民政局"]
{extra}
"""

# Lines that look like a [[task]] header but are not one, and shapes the shortcut must refuse.
TRICKY = [
    'detail = """\n[[task]]\nid = "x"\n"""',                 # a header inside a multi-line string
    "detail = '''\n[[task]]\n'''",                            # … inside a literal one
    'detail = """a""" \n',                                    # a closed one on one line
    'tags = [\n"a",\n]',                                      # a multi-line array
    'tags = [\n["task"]\n]',                                  # … holding a line shaped like a header
    "[task.milestone]\nid = \"a\"\ntitle = \"节点\"\ndue = 2021-06-30",
    "[[task.milestone]]\nid = \"a\"\ntitle = \"节点\"\ndue = 2021-06-30",
    '[[task.indicator]]\nid = "i"\nname = "指标"\ntarget = 10\ncheckpoints = { "2022-06" = 5 }',
    "[task]\ntitle = \"单括号\"",                              # not a new element: an error either way
    "[[plan]]\nid = \"q\"\ntitle = \"后面的计划\"\nstart = 2021-01-01\nend = 2021-12-31",  # a plan after tasks
    "[office]\nname = \"again\"",                             # the office declared twice
    "[[ task ]]\nid = \"spaced\"\ntitle = \"t\"\nlead = [\"市民政局\"]",
    '[["task"]]\nid = "quoted"\ntitle = "t"\nlead = ["市民政局"]',
    "title = ",                                               # a syntax error in a piece
    'detail = """never closed',
    "id = \"dup\"\nid = \"dup\"",
]


@pytest.mark.parametrize("extra", TRICKY)
@pytest.mark.parametrize("where", [0, 1, 2])
def test_tricky_tasks_mean_the_same_both_ways(extra, where, monkeypatch):
    tasks = [TASK.format(n=n, extra=extra if n == where else "") for n in range(3)]
    _same(PREAMBLE + "".join(tasks), monkeypatch)


@pytest.mark.parametrize("preamble_extra", ['task.x = 1', 'task = []', '[task]\nx = 1', "x = [\n[[task]]\n]"])
def test_a_task_key_in_the_preamble_is_left_to_the_whole_parse(preamble_extra, monkeypatch):
    _same(preamble_extra + "\n" + PREAMBLE + TASK.format(n=1, extra=""), monkeypatch)


def test_crlf_and_a_file_without_tasks_mean_the_same(monkeypatch):
    text = PREAMBLE + TASK.format(n=1, extra="") + TASK.format(n=2, extra="")
    _same(text.replace("\n", "\r\n"), monkeypatch)
    _same(PREAMBLE, monkeypatch)


def test_deep_nesting_is_one_located_problem_not_a_recursion_error(monkeypatch):
    text = PREAMBLE + TASK.format(n=1, extra="tags = " + "[" * 5000 + "]" * 5000)
    outcome = _outcome(text)
    assert outcome == _whole(text, monkeypatch)
    line = text[: text.index("tags")].count("\n") + 1
    column = len("tags = ") + 5000  # the innermost bracket: where the nesting is deepest
    assert outcome[1:] == ([f"p.toml:{line}:{column}: TOML syntax: values nested too deeply"],
                           [f"p.toml:{line}:{column}: TOML 语法错误：数组或花括号嵌套过深"])


@FAST
@given(mutated_plans())
def test_mutated_plan_files_mean_the_same_both_ways(text):
    with pytest.MonkeyPatch.context() as mp:
        _same(text, mp)


@FAST
@given(tomlish())
def test_tomlish_text_means_the_same_both_ways(text):
    with pytest.MonkeyPatch.context() as mp:
        _same(text, mp)


def test_the_cuts_follow_the_tables():
    text = PREAMBLE + TASK.format(n=1, extra="") + "[[review]]\ndate = 2021-06-30\n" + TASK.format(n=2, extra="")
    pos = plan_file._Positions(text)
    starts = [text.index("[[task]]"), text.index("[[review]]"), text.rindex("[[task]]")]
    assert pos.cuts == [(starts[0], True), (starts[1], False), (starts[2], True)] and pos.chunkable
    late = plan_file._Positions(text + '[[plan]]\nid = "q"\n[[task.milestone]]\nid = "a"\n')
    assert not late.chunkable  # a task's sub-table after another table belongs to the task before it


def test_a_second_plan_between_tasks_keeps_the_document_order(monkeypatch):
    text = (PREAMBLE + TASK.format(n=1, extra='plan = "p"') + '[[plan]]\nid = "q"\ntitle = "二"\nstart = 2022-01-01\n'
            'end = 2022-12-31\n' + TASK.format(n=2, extra='plan = "q"') + "[[review]]\ndate = 2021-06-30\n"
            + "zzz = 1\n" + TASK.format(n=3, extra='plan = "p"'))
    spy = _Spy(monkeypatch)
    outcome = _outcome(text)
    assert not isinstance(outcome, tuple) and [p.id for p in outcome.plans] == ["p", "q"]
    assert spy.pieces == 3
    data = toml_chunks.load(text, plan_file._Positions(text).cuts, plan_file.tomllib.loads)
    assert list(data) == list(plan_file.tomllib.loads(text))  # `task` where the whole parse puts it
    monkeypatch.undo()
    _same(text, monkeypatch)


# Found by an adversarial review: the scanner's quote counting is fooled by a `"""` in a comment,
# an escaped quote, a quote triple inside another string, or a string closed and reopened on one
# line, and takes a line inside a string for a header. Parsing every piece on its own catches it.
FOOLED = {
    "comment": '[[task]]\n[x]\na = 1 # """\nb = """\n[[task]]\n[y]\n"""\n',
    "escape": '[[task]]\n[x]\na = """\\"""\n[[task]]\n[y]\n"""\n',
    "comment, valid whole": PREAMBLE + TASK.format(n=1, extra="") + '[[review]]\ndate = 2021-06-30 # """\n'
    'title = """\n[[task]]\n[[review]]\ndate = 2021-07-31\n"""\n',
    "comment, a task only the chunks see": PREAMBLE + TASK.format(n=1, extra="") + '[[review]]\n'
    'date = 2021-06-30  # """\ntitle = """\n[[task]]\nid = "2"\ntitle = "t"\nlead = ["u"]\n[[review]]\n"""\n',
    "escape, invalid whole": PREAMBLE + TASK.format(n=1, extra="") + '[[review]]\ndate = 2021-06-30\n'
    'title = """\\"""\n[[task]]\nid = "2"\ntitle = \'""" """\'\nlead = ["u"]\n[[review]]\n"""\n',
    "literal in an array": PREAMBLE + TASK.format(n=1, extra="") + '[[review]]\ndate = 2021-06-30\n'
    'title = ["\'\'\'", \'\'\'\n[[task]]\n[[review]]\n\'\'\']\n',
    "closed and reopened": PREAMBLE + TASK.format(n=1, extra="") + '[[review]]\ndate = 2021-06-30\n'
    'x = ["""a\nb""", "c", """\n[[task]]\n[[review]]\n"""]\n',
}


@pytest.mark.parametrize("text", FOOLED.values(), ids=FOOLED.keys())
def test_a_fooled_scanner_never_changes_what_the_file_means(text, monkeypatch):
    _same(text, monkeypatch)


@pytest.mark.parametrize(("line", "inside", "still_open"), [
    ('a = """', None, '"""'),
    ('a = """x"""', None, None),
    ('y = 1  # a comment with """', None, None),
    ('a = """\\"""', None, '"""'),                    # an escaped quote does not close it
    ("z = '\"\"\"'", None, None),                      # a triple inside a literal string
    ('x = "a\\"""', None, None),                      # … inside a basic string with an escape
    ('b""", "c", """', '"""', '"""'),                 # closed, another string, opened again
    ('b""", "c", """d"""', '"""', None),
    ("title = [\"'''\", '''", None, "'''"),
    ('\\\\"""', '"""', None),                         # an escaped backslash, then the end
    ('ab""""', '"""', None),                          # a quote as the text's last character
    ("x'''''", "'''", None),
    ('a = "#" + """', None, '"""'),                   # a # inside a string is no comment
    ("it's", "'''", "'''"),
])
def test_the_scanner_reads_strings_as_toml_does(line, inside, still_open):
    assert plan_file._open_string(line, inside) == still_open


def test_a_triple_quote_in_a_comment_does_not_move_problems(monkeypatch):
    text = (PREAMBLE + 'issued_by = "市政府"  # long text goes between """ marks\n' + TASK.format(n=1, extra="")
            + '[[task]]\nid = "2"\nlead = ["市民政局"]\n')
    outcome = _outcome(text)
    line = text[: text.rindex("[[task]]")].count("\n") + 1
    assert outcome[0] == "error" and outcome[1] == [f"p.toml:{line}:1: task 2 has no title"]
    assert outcome == _whole(text, monkeypatch)


def test_the_deepest_point_skips_brackets_in_strings_and_comments():
    text = 'a = 1\nb = [\n  [[1]], "[[[[", \'{{{{\',  # [[[[\n]\n'
    assert plan_file._deepest(text) == (3, 4)  # b = [ … [[1]]: the third bracket, column 4
