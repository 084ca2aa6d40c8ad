"""Files written whole or not at all, and databases checked before use (issue #15).

Each finding of the adversarial probe is a test here that failed on the code before the fix:
outputs over devices, FIFOs, links, the database and the plans file; a full disk (simulated
ENOSPC, and a real tmpfs where one may be mounted); temporary files of killed writers; a
damaged, truncated or foreign database; plan files that are devices or hold huge numbers and
control characters; standard output on a full disk; usage errors. The crash test kills
`brief --out`, `export ledger --out` and `backup` at random moments over an existing file.
Device nodes and FIFOs are made in tmp_path, never the system's.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from conftest import bundled_template

from supervise.db import store as store_mod
from supervise.db.store import Store
from supervise.planfile.loader import load_plan_file

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans.toml"
TODAY = date(2021, 10, 31)
ENV = {"SUPERVISE_TODAY": TODAY.isoformat(), "SUPERVISE_LANG": "en", "LANG": "C.UTF-8"}


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = bundled_template(tmp_path_factory.mktemp("files"))
    return path


@pytest.fixture
def office(template, tmp_path, monkeypatch) -> Path:
    """A working folder with data/supervise.db and plans.toml; the CLI runs in it."""
    (tmp_path / "data").mkdir()
    db = tmp_path / "data" / "supervise.db"
    shutil.copy(template, db)
    shutil.copy(PLANS, tmp_path / "plans.toml")
    monkeypatch.chdir(tmp_path)
    return db


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def one_line(out, *words: str) -> None:
    err = out.stderr
    assert "Traceback" not in err, err
    assert err.count("\n") == 1 and err.startswith("supervise: "), f"not one line: {err!r}"
    for w in words:
        assert w.lower() in err.lower(), f"{w!r} not in {err!r}"


def temporaries(folder: Path) -> list[str]:
    """Temporary files of any writer, this version's or an earlier one's (".NAME.tmp-PID-HEX", "NAME.new-PID-HEX")."""
    return sorted(p.name for p in Path(folder).iterdir()
                  if p.name.startswith(".supervise-tmp-") or ".tmp-" in p.name or ".new-" in p.name)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def process(args: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, **ENV)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "supervise", *map(str, args)], cwd=cwd, env=env,
                          capture_output=kw.pop("capture_output", True), text=True, **kw)


def make_fifo(path: Path) -> Path:
    try:
        os.mkfifo(path)
    except (OSError, AttributeError) as err:
        pytest.skip(f"cannot make a FIFO here: {err}")
    return path


def make_device(path: Path) -> Path:
    """A character device node of our own (the null device's numbers) in tmp_path."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (OSError, AttributeError) as err:
        pytest.skip(f"cannot make a device node here (needs root or CAP_MKNOD): {err}")
    return path


def kind(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return ("link" if stat.S_ISLNK(mode) else "fifo" if stat.S_ISFIFO(mode) else "char" if stat.S_ISCHR(mode)
            else "dir" if stat.S_ISDIR(mode) else "file")


# --- destinations that must never be replaced ---------------------------------------------


EXT = {"backup": ".db", "brief": ".md", "ledger": ".xlsx"}  # what each writer's name rule accepts
WRITERS = {
    "backup": lambda dest: ["backup", dest],
    "brief": lambda dest: ["brief", "--out", dest],
    "ledger": lambda dest: ["export", "ledger", "--out", dest],
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("what", ["fifo", "device", "link", "dangling link", "folder"])
def test_special_destinations_are_refused_and_left_as_they_are(office, invoke, writer, what):
    name = Path("out" + EXT[writer])
    target = Path("target" + EXT[writer])
    target.write_bytes(b"the link's target")
    if what == "fifo":
        make_fifo(name)
    elif what == "device":
        make_device(name)
    elif what == "link":
        name.symlink_to(target)
    elif what == "dangling link":
        name.symlink_to("nowhere" + EXT[writer])
    else:
        name.mkdir()
    before = kind(name)
    if what == "fifo":  # a writer that opened it would wait for a reader forever: a process, with a timeout
        r = process(["--db", office, *WRITERS[writer](str(name))], Path.cwd(), timeout=60)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and str(name) in r.stderr, r.stderr
    else:
        out = invoke(["--db", office, *WRITERS[writer](str(name))])
        assert out.exit_code == 2, out
        one_line(out, str(name))
    assert kind(name) == before
    assert target.read_bytes() == b"the link's target"
    assert not Path("nowhere" + EXT[writer]).exists()
    assert temporaries(Path(".")) == []


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_the_database_and_its_companions_are_never_an_output(template, tmp_path, monkeypatch, invoke, writer, suffix):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / ("office" + EXT[writer])  # named so that even the name rules let it through
    shutil.copy(template, db)
    target = Path(f"{db}{suffix}")  # the -wal/-shm exist while the database is open (SQLite removes them at close)
    before = digest(db)
    out = invoke(["--db", db, *WRITERS[writer](str(target))])
    assert out.exit_code == 2, out
    one_line(out, EXT[writer] if writer != "backup" and suffix else "database itself")  # the name rule comes first
    assert digest(db) == before and not (suffix and target.exists())
    assert invoke(["--db", db, "status", "--format", "json"]).exit_code == 0


def test_the_database_by_another_path_is_never_an_output(office, invoke):
    for other in ("./data/../data/supervise.db", str(office.resolve())):
        out = invoke(["--db", office, "brief", "--out", other])
        assert out.exit_code == 2, out
    os.link(office, "hard.md")  # the same file under another name
    before = digest(office)
    out = invoke(["--db", office, "brief", "--out", "hard.md"])
    assert out.exit_code == 2, out
    one_line(out, "database itself")
    assert digest(office) == before


@pytest.mark.parametrize("plans, args", [("plans.md", ["brief", "--out", "plans.md"]),
                                         ("plans.toml", ["extract", "doc.txt", "--out", "plans.toml"])])
def test_the_plans_file_in_use_is_never_an_output(office, invoke, plans, args):
    Path("doc.txt").write_text("沈阳市某某三年行动计划（2021—2023年）\n一、主要任务\n（一）做好一件事。（牵头单位：市民政局）\n",
                               encoding="utf-8")
    shutil.copy(PLANS, plans)  # named as the writer's name rule wants
    before = digest(Path(plans))
    out = invoke(["--db", office, "--plans", plans, *args])
    assert out.exit_code == 2, out
    one_line(out, "plans file")
    assert digest(Path(plans)) == before


@pytest.mark.parametrize("writer", ["brief", "ledger"])
def test_a_trailing_slash_names_a_folder(office, invoke, writer):
    out = invoke(["--db", office, *WRITERS[writer](f"newdir{EXT[writer]}/")])
    assert out.exit_code == 2, out
    one_line(out, "folder")
    assert not Path(f"newdir{EXT[writer]}").exists()


# --- a full disk ---------------------------------------------------------------------------


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("existing", [True, False])
def test_disk_full_simulated_leaves_the_old_file_or_none(office, invoke, monkeypatch, writer, existing):
    name = Path("out" + EXT[writer])
    if existing:
        shutil.copy(office, name) if writer == "backup" else name.write_bytes(b"the old file, intact")
        before = digest(name)
    monkeypatch.setattr(os, "fsync", _no_space)  # the data reaches the disk at fsync: that is where it fails
    out = invoke(["--db", office, *WRITERS[writer](str(name))])
    assert out.exit_code == 3, out
    one_line(out, "no space left")
    if existing:
        assert digest(name) == before
    else:
        assert not name.exists()
    assert temporaries(Path(".")) == []


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 256 KB file system (tmpfs); skipped where mounting is not allowed."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root and mount(8) for a real tiny file system; the simulated test covers it")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip()}); the simulated test covers it")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_really_full(office, tiny_disk):
    brief, ledger = tiny_disk / "brief.md", tiny_disk / "ledger.xlsx"
    brief.write_text("the old briefing\n" * 100, encoding="utf-8")
    ledger.write_bytes(b"PK the old ledger")
    before = {p: digest(p) for p in (brief, ledger)}
    fs = os.statvfs(tiny_disk)
    (tiny_disk / "filler").write_bytes(b"\0" * (fs.f_bavail * fs.f_frsize - 8 * 1024))  # leave 8 KB
    cwd = office.parent.parent
    for args, path in ((["brief", "--out", brief], brief), (["export", "ledger", "--out", ledger], ledger),
                       (["brief", "--out", tiny_disk / "new.md"], None), (["backup", tiny_disk / "copy.db"], None)):
        r = process(["--db", office, *args], cwd)
        assert r.returncode == 3, r.stderr
        assert r.stderr.count("\n") == 1 and ("space" in r.stderr or "full" in r.stderr), r.stderr
        assert str(path or args[-1]) in r.stderr, r.stderr  # the file that could not be written, not the database
        if path is not None:
            assert digest(path) == before[path]
    assert not (tiny_disk / "new.md").exists() and not (tiny_disk / "copy.db").exists()
    assert temporaries(tiny_disk) == []


def test_standard_output_on_a_full_disk_is_exit_3_in_one_line(office):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    for args in (["status"], ["status", "--format", "csv"], ["brief", "--out", "-"], ["status", "--fail-on", "amber"]):
        with open("/dev/full", "w") as full:
            r = process(["--db", office, *args], office.parent.parent, stdout=full, stderr=subprocess.PIPE,
                        capture_output=False)
        assert r.returncode == 3, (args, r.stderr)
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("supervise: ") and "space" in r.stderr, r.stderr


def test_a_failed_copy_before_an_import_is_exit_3(office, invoke, tmp_path):
    (office.parent / "backups").write_text("a file where the backups folder goes")
    before = digest(office)
    changed = _edited(tmp_path, 'title = "切实提高家庭自我照护能力"', 'title = "切实提高家庭自我照护能力（修订）"')
    out = invoke(["--db", office, "import", changed])
    assert out.exit_code == 3, out
    one_line(out, "backups")
    assert digest(office) == before


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    from supervise import files

    path = tmp_path / "private.md"
    path.write_text("old")
    path.chmod(0o600)
    files.write_whole(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_failing_writer_leaves_nothing_behind(tmp_path):
    from supervise import files

    def half(out):
        out.write(b"half")
        raise RuntimeError("the writer broke")

    with pytest.raises(RuntimeError):
        files.write_whole(tmp_path / "x.md", half)
    assert list(tmp_path.iterdir()) == []


# --- temporary files of killed writers ------------------------------------------------------


def test_temporary_files_of_dead_writers_go_at_the_next_start(office, invoke):
    backups = office.parent / "backups"
    backups.mkdir()
    pid = dead_pid()
    dead = [office.parent / f".supervise-tmp-{pid}-0badc0de.db", office.parent / f".supervise-tmp-{pid}-0badc0de.db-journal",
            backups / f".supervise-tmp-{pid}-12345678.db", backups / f".supervise-20211031-import.db.tmp-{pid}-cafe0123"]
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        living = backups / f".supervise-tmp-{alive.pid}-87654321.db"  # a writer still at work: left alone
        for p in (*dead, living):
            p.write_bytes(b"half a copy")
        keep = backups / "supervise-20211031-120000-000000-import.db"
        keep.write_bytes(b"a real backup")
        out = invoke(["--db", office, "status"])
        assert out.exit_code == 0, out
        assert not [p for p in dead if p.exists()]
        assert living.exists() and keep.exists()
    finally:
        alive.kill()
        alive.wait()


# --- damaged and foreign databases ------------------------------------------------------------

ALL = [["status"], ["log"], ["note", "sy-2021/1.1", "x"], ["tick", "sy-2021/1.3"], ["undo"],
       ["brief", "--out", "b.md"], ["backup", "copy.db"], ["import", str(PLANS)]]


def _zero_page(db: Path, table: str) -> None:
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\0" * page_size)


def _refused_by_all(db: Path, invoke, word: str) -> None:
    before = digest(db)
    for args in ALL:
        out = invoke(["--db", db, *args])
        assert out.exit_code == 3, (args, out)
        one_line(out, word)
        assert digest(db) == before, args
    assert not Path("copy.db").exists() and not Path("b.md").exists()
    assert not Path(f"{db}-wal").exists()


def test_a_zeroed_page_is_refused_by_every_command(office, invoke):
    """Before: `status` refused it, but note, tick, undo and backup went on (exit 0) and the backup
    copied the damage. The page zeroed here (checkpoints) is one only `status` reads."""
    _zero_page(office, "checkpoints")
    _refused_by_all(office, invoke, "damaged")


def test_a_dropped_table_is_refused_by_every_command(office, invoke):
    conn = sqlite3.connect(office)
    conn.execute("DROP TABLE checkpoints")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.commit()
    conn.close()
    _refused_by_all(office, invoke, "checkpoints")


def test_a_truncated_database_is_refused_by_every_command(office, invoke):
    conn = sqlite3.connect(office)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    with open(office, "r+b") as f:
        f.truncate(office.stat().st_size // 2)
    _refused_by_all(office, invoke, "damaged")


@pytest.mark.parametrize("how", ["other tables", "application_id", "user_version"])
def test_another_programs_database_is_refused_before_anything_changes(tmp_path, invoke, monkeypatch, how):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "theirs.db"
    conn = sqlite3.connect(db)
    if how == "other tables":
        conn.execute("CREATE TABLE contacts (name TEXT)")
    elif how == "application_id":
        conn.execute("PRAGMA application_id = 1234")
    else:
        conn.execute("CREATE TABLE notes (x)")
        conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    before = digest(db)
    for args in (["status"], ["note", "sy-2021/1.1", "x"], ["import", str(PLANS)], ["backup", "copy.db"]):
        out = invoke(["--db", db, *args])
        assert out.exit_code == 3, (args, out)
        one_line(out, "theirs.db")
    assert digest(db) == before
    assert not Path(f"{db}-wal").exists() and not Path("copy.db").exists()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # never switched to WAL
    conn.close()


def test_the_expected_tables_are_those_the_schema_makes(tmp_path):
    with Store.open(tmp_path / "new.db") as store:
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == store_mod.TABLES


# --- plan files ----------------------------------------------------------------------------


def test_a_plan_file_that_is_a_device_or_a_fifo_is_refused_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fifo = make_fifo(tmp_path / "plans.fifo")
    for path in (fifo, "/dev/zero"):
        if not Path(path).exists():
            continue
        start = time.monotonic()
        r = process(["check", path], tmp_path, timeout=30)  # before: /dev/zero read 4.4 GB and counting
        assert r.returncode == 2, r.stderr
        assert r.stderr.strip() == f"{path}:0:0: is not a regular file (a device or a pipe): give the plan file itself"
        assert time.monotonic() - start < 20


def test_a_plan_file_over_the_size_limit_says_the_limit(tmp_path, monkeypatch, invoke):
    from supervise.planfile import loader

    monkeypatch.setattr(loader, "MAX_BYTES", 1024)
    out = invoke(["check", PLANS])
    assert out.exit_code == 2, out
    assert out.err_lines == [f"{PLANS}:0:0: larger than 0 MB, the most a plan file may be"] or \
        "larger than" in out.stderr
    monkeypatch.setattr(loader, "MAX_BYTES", 2 * 1024 * 1024)
    big = tmp_path / "big.toml"
    big.write_bytes(PLANS.read_bytes() + b"#" * (2 * 1024 * 1024))
    out = invoke(["check", big])
    assert out.exit_code == 2, out
    assert out.err_lines == [f"{big}:0:0: larger than 2 MB, the most a plan file may be"]


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = PLANS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("value, shown", [("9" * 5000, None), ("9" * 400, "a number of 400 digits"),
                                          ("1e400", "inf"), ("-2e15", "-2000000000000000.0")],
                         ids=["5000-digits", "400-digits", "1e400", "-2e15"])
def test_numbers_out_of_range_name_file_and_line(tmp_path, invoke, value, shown):
    path = _edited(tmp_path, "  target = 20000", f"  target = {value}")
    line = PLANS.read_text(encoding="utf-8").splitlines().index("  target = 20000") + 1
    out = invoke(["check", path])
    assert out.exit_code == 2, out  # before: exit 70, "internal error", no file or line
    assert len(out.err_lines) == 1, out
    assert out.err_lines[0].startswith(f"{path}:{line}:"), out
    assert "out of range" in out.stderr and "1e15" in out.stderr
    if shown:
        assert shown in out.stderr


@pytest.mark.parametrize("old, new, key", [
    ('title = "切实提高家庭自我照护能力"', 'title = "a\\u001b[2Jb"', "title"),
    ('title = "切实提高家庭自我照护能力"', 'title = "铃\\u0007"', "title"),
    ('title = "切实提高家庭自我照护能力"', 'title = "反\u202e向"', "title"),
    ('lead = ["市民政局"]', 'lead = ["市民\\u001b政局"]', "lead"),
    ('lead = ["市民政局"]', 'lead = ["市民政局\\n"]', "lead"),
], ids=["ESC-title", "BEL-title", "RLO-title", "ESC-unit", "newline-unit"])
def test_control_characters_in_titles_and_units_name_file_and_line(tmp_path, invoke, old, new, key):
    path = _edited(tmp_path, old, new)
    line = PLANS.read_text(encoding="utf-8").splitlines().index(old) + 1
    out = invoke(["check", path])
    assert out.exit_code == 2, out
    assert out.err_lines == [line_ for line_ in out.err_lines if line_.startswith(f"{path}:{line}:")] and out.err_lines
    assert f"{key} contains the control character U+" in out.stderr


def test_office_whole_numbers_are_bounded(tmp_path, invoke):
    path = _edited(tmp_path, "amber_days = 30", "amber_days = 100000000000000000000")
    out = invoke(["check", path])
    assert out.exit_code == 2, out
    assert "amber_days must be a whole number from 0 to 36500" in out.stderr


# --- usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize("args, words", [(["status", "--format", "yaml"], ["'yaml' is not one of", "supervise status --help"]),
                                         (["frobnicate"], ["no such command", "supervise --help"]),
                                         (["status", "--bogus"], ["no such option"]),
                                         (["note"], ["missing argument"])])
def test_usage_errors_are_one_line(office, invoke, args, words):
    out = invoke(["--db", office, *args])
    assert out.exit_code == 2, out
    assert out.stdout == ""
    one_line(out, *words)


# --- every writer goes through the one function -----------------------------------------------

# (module, function): why it may write a file itself
ALLOWED = {
    ("supervise/db/opening.py", "_create"): "builds the database itself beside its path and links it in (not an output)",
    ("supervise/cli/__init__.py", "_drop_stdout"): "points standard output at /dev/null after a failed write",
    ("supervise/files.py", "read_regular"): "opens a plan file or document to read it (O_RDONLY | O_NONBLOCK)",
    ("supervise/ledger/__init__.py", "_save_into"): "openpyxl's writer, into the temporary file write_whole hands it",
    ("supervise/ledger/cells.py", "_splice_rows"): "a sheet's rows into openpyxl's own temporary file for it (not an output)",
    ("supervise/xlsx.py", "save"): "openpyxl's save into memory, then the form's zip into the open file write_whole hands it",
    ("supervise/render/docx.py", "writer"): "python-docx's save, into memory (the document without its tables' rows)",
    ("supervise/render/docx.py", "_copy_with_rows"): "a member of the zip it writes into the open file write_whole hands it",
}
_WRITE_MODES = set("wax+")


def _write_call(node: ast.Call) -> str | None:
    f = node.func
    if isinstance(f, ast.Name) and f.id == "open":
        mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & _WRITE_MODES:
            return f"open(..., {mode.value!r})"
    elif isinstance(f, ast.Attribute):
        base = f.value.id if isinstance(f.value, ast.Name) else ""
        if f.attr in ("write_text", "write_bytes", "save", "touch"):
            return f".{f.attr}()"
        if base == "os" and f.attr in ("replace", "rename", "link", "open", "mknod", "mkfifo", "truncate"):
            return f"os.{f.attr}()"
        if base == "shutil" and f.attr in ("copy", "copy2", "copyfile", "move", "copytree"):
            return f"shutil.{f.attr}()"
        if f.attr == "open" and any(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                    and set(a.value) & _WRITE_MODES for a in node.args):
            return ".open(...)"
    return None


def _direct_writes(path: Path) -> list[tuple[str, int, str]]:
    """(innermost function, line, what) for every call in `path` that writes a file by itself."""
    found = []

    def visit(node: ast.AST, func: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else func
            if isinstance(child, ast.Call):
                what = _write_call(child)
                if what:
                    found.append((func, child.lineno, what))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), "<module>")
    return sorted(found, key=lambda x: x[1])


def test_every_writer_goes_through_files_write_whole():
    offenders = []
    for path in sorted((ROOT / "supervise").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "supervise/files.py":
            continue
        for func, line, what in _direct_writes(path):
            if (rel, func) in ALLOWED:
                continue
            offenders.append(f"{rel}:{line} in {func}: {what}")
    assert offenders == [], "write through files.write_whole / make_whole (ctx.write in the CLI):\n" + "\n".join(offenders)


def test_the_writer_check_sees_a_direct_write(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f(p):\n    open(p, 'w').write('x')\n    p.write_text('y')\n    wb.save(p)\n")
    assert [w for _, _, w in _direct_writes(sample)] == ["open(..., 'w')", ".write_text()", ".save()"]


# --- killed at random moments ------------------------------------------------------------------


def _kill_at_random(args: list[str], cwd: Path, delay: float) -> None:
    env = dict(os.environ, **ENV)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.Popen([sys.executable, "-m", "supervise", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _ledger_complete(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            if z.testzip() is not None:
                return False
        import openpyxl

        openpyxl.load_workbook(path, read_only=True).close()
        return True
    except Exception:  # noqa: BLE001 - anything unreadable is incomplete
        return False


def _backup_complete(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return ok and conn.execute("SELECT count(*) FROM notes WHERE text = 'the newer note'").fetchone()[0] == 1
        finally:
            conn.close()
    except sqlite3.Error:
        return False


@pytest.mark.parametrize("writer", ["brief", "ledger", "backup"])
def test_killed_writers_leave_the_old_file_or_the_new_one(office, writer):
    """SIGKILL at random moments over an existing file: the old file intact or the new one complete,
    never anything else; no temporary file survives the next start."""
    cwd = office.parent.parent
    out = cwd / "out" / {"brief": "b.md", "ledger": "l.xlsx", "backup": "copy.db"}[writer]
    out.parent.mkdir()
    args = {"brief": ["brief", "--as-of", "2021-12-31", "--out", out], "ledger": ["export", "ledger", "--out", out],
            "backup": ["backup", out]}[writer]
    first = process(["--db", office, *(["brief", "--out", out] if writer == "brief" else args)], cwd)
    assert first.returncode == 0, first.stderr
    old = out.read_bytes()
    assert process(["--db", office, "note", "sy-2021/1.1", "the newer note"], cwd).returncode == 0
    reference = cwd / ("ref" + out.suffix)
    r = process(["--db", office, *[reference if a == out else a for a in args]], cwd)
    assert r.returncode == 0, r.stderr
    start = time.monotonic()
    assert process(["--db", office, *args], cwd).returncode == 0
    took = time.monotonic() - start
    out.write_bytes(old)
    rng = random.Random(f"kill-{writer}")
    for _ in range(8):
        _kill_at_random(["--db", office, *args], cwd, rng.uniform(0.05, took))
        now = out.read_bytes()
        if now == old:
            continue
        if writer == "brief":
            assert now == reference.read_bytes()
        elif writer == "ledger":
            assert _ledger_complete(out)
        else:
            assert _backup_complete(out)
        out.write_bytes(old)
    r = process(["--db", office, *args], cwd)  # the next start
    assert r.returncode == 0, r.stderr
    assert temporaries(out.parent) == [] and temporaries(office.parent) == []
