"""A database on a read-only file system (a backup on a write-protected stick, a CD, a share
mounted read-only): every command that only reads works and says what it says on a writable
copy; every command that writes is one line, exit 3, naming the file and saying it is read-only,
and writes nothing. The damaged-database check still runs first.

A WAL database whose last connection closed cleanly has no -wal or -shm beside it, and SQLite
cannot read it where it may not create them (sqlite.org/wal.html#readonly): it said "unable to
open database file" (exit 3) to `status` on such a copy.

CI runs unprivileged, so most tests simulate the read-only file system: `opening.read_only_fs`
answers yes for the folder `ro/`, and that folder is also made 0555 so that SQLite itself cannot
create a -wal/-shm there (but root, and so CI, ignores that). Every test also watches the folder while the connection is
still open (a WAL connection that read anything has its -wal and -shm beside it by then): nothing
may appear in it. Where the test may mount (root), one test binds a real read-only mount.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import bundled_template, downgrade_to_schema_1
from supervise.db import connection, opening
from supervise.db.store import Store
from supervise.planfile.loader import load_plan_file

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans.toml"
TODAY = date(2021, 10, 31)
READS = [["status"], ["status", "--format", "json"], ["status", "--format", "csv"], ["show", "sy-2021/1.1"],
         ["log"], ["log", "--format", "json"], ["units"], ["brief", "--out", "-"], ["import", "--dry-run", str(PLANS)]]
WRITES = [["tick", "sy-2021/1.3"], ["untick", "sy-2021/1.3"], ["note", "sy-2021/1.1", "x"],
          ["record", "sy-2021/1.1", "carers", "4200"], ["override", "sy-2021/1.1", "red", "--reason", "judgement"],
          ["undo"], ["review", "hold"]]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = bundled_template(tmp_path_factory.mktemp("read-only"))
    assert path.read_bytes()[18:20] == b"\x02\x02"  # a WAL database (the header's read/write versions) ...
    assert sorted(p.name for p in path.parent.iterdir()) == ["template.db"]  # ... closed cleanly
    return path


class Folders:
    def __init__(self, tmp_path: Path, template: Path):
        self.rw, self.ro, self.out = tmp_path / "rw", tmp_path / "ro", tmp_path / "out"
        for folder in (self.rw, self.ro, self.out):
            folder.mkdir()
        shutil.copy(template, self.rw / "r.db")
        shutil.copy(template, self.ro / "r.db")
        self.db = self.ro / "r.db"
        self.seen_open: list[list[str]] = []  # the read-only folder, each time a connection to it was closing

    def listing(self) -> list[str]:
        return sorted(p.name for p in self.ro.iterdir())

    def digest(self) -> str:
        return hashlib.sha256(self.db.read_bytes()).hexdigest()

    def lock(self) -> None:
        """Make SQLite itself unable to create anything in the folder (root, who ignores it, is watched instead)."""
        self.ro.chmod(0o555)

    def unlock(self) -> None:
        self.ro.chmod(0o755)


@pytest.fixture
def fs(tmp_path, template, monkeypatch):
    f = Folders(tmp_path, template)
    real = getattr(opening, "read_only_fs", lambda path: False)

    def read_only_fs(path: str) -> bool:
        return Path(path).resolve().is_relative_to(f.ro.resolve()) or real(path)

    monkeypatch.setattr(opening, "read_only_fs", read_only_fs, raising=False)
    close = connection.Connection.close

    def watched_close(self):
        if Path(self.path).resolve().parent == f.ro.resolve():
            f.seen_open.append(f.listing())
        close(self)

    monkeypatch.setattr(connection.Connection, "close", watched_close)
    f.lock()
    yield f
    f.unlock()


def _one_line(outcome, *words: str) -> None:
    assert outcome.stderr.count("\n") == 1 and outcome.stderr.startswith("supervise: "), outcome
    for w in words:
        assert w in outcome.stderr, (w, outcome)


def test_reading_commands_say_what_they_say_on_a_writable_copy(fs, invoke):
    before = (fs.listing(), fs.digest())
    for args in READS:
        ro = invoke(["--db", fs.db, *args])
        rw = invoke(["--db", fs.rw / "r.db", *args])
        assert ro.exit_code == 0, (args, ro)
        assert (ro.stdout, ro.stderr) == (rw.stdout, rw.stderr), args
    assert "an earlier note" in invoke(["--db", fs.db, "show", "sy-2021/1.1"]).stdout
    assert fs.seen_open and all(seen == ["r.db"] for seen in fs.seen_open), fs.seen_open  # no -wal, no -shm, ever
    assert (fs.listing(), fs.digest()) == before


def test_commands_that_write_only_elsewhere_work(fs, invoke):
    before = (fs.listing(), fs.digest())
    for args in (["export", "ledger", "--out", fs.out / "ledger.xlsx"], ["forms", "--out", fs.out / "forms"],
                 ["brief", "--format", "docx", "--out", fs.out / "brief.docx"], ["backup", fs.out / "copy.db"]):
        outcome = invoke(["--db", fs.db, *args])
        assert outcome.exit_code == 0, (args, outcome)
    assert sorted(p.name for p in fs.out.iterdir()) == ["brief.docx", "copy.db", "forms", "ledger.xlsx"]
    assert list((fs.out / "forms").glob("*.xlsx"))
    conn = sqlite3.connect(fs.out / "copy.db")
    assert conn.execute("SELECT text FROM notes").fetchall() == [("an earlier note",)]
    conn.close()
    assert all(seen == ["r.db"] for seen in fs.seen_open), fs.seen_open
    assert (fs.listing(), fs.digest()) == before


@pytest.mark.parametrize("lang, words", [("en", ("cannot be written", "read-only file system")),
                                         ("zh", ("无法写入", "只读文件系统"))])
def test_commands_that_write_are_one_line_naming_the_file(fs, invoke, lang, words):
    changed = fs.out / "plans.toml"
    changed.write_text(PLANS.read_text(encoding="utf-8").replace("切实提高家庭自我照护能力", "切实提高家庭照护能力"),
                       encoding="utf-8")
    before = (fs.listing(), fs.digest())
    commands = [*WRITES, ["import", changed], ["remind", "--out", fs.out / "notices"]]
    for args in commands:
        outcome = invoke(["--lang", lang, "--db", fs.db, *args])
        assert outcome.exit_code == 3, (args, outcome)
        _one_line(outcome, str(fs.db), *words)
    assert (fs.listing(), fs.digest()) == before  # no backups/ folder, no -wal, nothing written
    assert not (fs.out / "notices").exists()
    outcome = invoke(["--lang", lang, "--db", fs.ro / "new.db", "import", PLANS])
    assert outcome.exit_code == 3, outcome
    _one_line(outcome, str(fs.ro / "new.db"), *words)
    assert fs.listing() == before[0]


def test_a_damaged_database_is_still_refused(fs, invoke):
    fs.unlock()
    with open(fs.db, "r+b") as f:  # a page in the middle overwritten: quick_check finds it
        f.seek(20 * 4096 + 100)
        f.write(b"\xff" * 200)
    fs.lock()
    for args in (["status"], ["backup", fs.out / "copy.db"]):
        outcome = invoke(["--db", fs.db, *args])
        assert outcome.exit_code == 3, outcome
        _one_line(outcome, str(fs.db), "damaged")
    assert not (fs.out / "copy.db").exists()


def test_an_older_schema_is_refused_not_upgraded(fs, invoke):
    fs.unlock()
    downgrade_to_schema_1(fs.db)
    fs.lock()
    before = (fs.listing(), fs.digest())
    outcome = invoke(["--db", fs.db, "status"])
    assert outcome.exit_code == 3, outcome
    _one_line(outcome, str(fs.db), "read-only file system", "schema 1 to 4")
    assert (fs.listing(), fs.digest()) == before  # no migration, no backups/ folder


def _live_writer(db: Path) -> sqlite3.Connection:
    """A connection that committed a note still only in the -wal (no checkpoint yet), left open."""
    w = sqlite3.connect(db, isolation_level=None)
    w.execute("PRAGMA wal_autocheckpoint = 0")
    w.execute("INSERT INTO notes (task_id, written_on, text, recorded_at) VALUES "
              "((SELECT id FROM tasks WHERE plan_id = 'sy-2021' AND task_id = '1.1'), '2021-10-30', 'only in the wal', "
              "'2021-10-30 10:00:00')")
    return w


def test_changes_still_in_the_wal_are_read_not_ignored(fs, invoke):
    """With -wal and -shm beside it (copied from a live database, or a writer elsewhere on a share),
    SQLite reads them read-only: `immutable` would ignore the -wal, and with it the newest note."""
    fs.unlock()
    writer = _live_writer(fs.db)
    fs.lock()
    try:
        outcome = invoke(["--db", fs.db, "show", "sy-2021/1.1"])
        assert outcome.exit_code == 0, outcome
        assert "only in the wal" in outcome.stdout
        assert invoke(["--db", fs.db, "note", "sy-2021/1.1", "x"]).exit_code == 3
    finally:
        fs.unlock()
        writer.close()


def test_a_wal_without_its_shm_is_refused_not_ignored(fs, invoke):
    fs.unlock()
    writer = _live_writer(fs.rw / "r.db")
    shutil.copy(fs.rw / "r.db", fs.db)
    shutil.copy(fs.rw / "r.db-wal", fs.ro / "r.db-wal")
    writer.close()
    fs.lock()
    before = (fs.listing(), fs.digest())
    outcome = invoke(["--db", fs.db, "status"])
    assert outcome.exit_code == 3, outcome
    _one_line(outcome, str(fs.db), "read-only file system", "r.db-wal", "r.db-shm")
    assert (fs.listing(), fs.digest()) == before
    fs.unlock()
    Path(f"{fs.db}-wal").write_bytes(b"")  # an empty -wal holds nothing: read as if it were not there
    fs.lock()
    assert invoke(["--db", fs.db, "status"]).exit_code == 0


def test_a_real_read_only_mount(tmp_path, template, invoke):
    """Where the test may mount (root, outside most CI): a read-only bind mount, no simulation."""
    rw, ro = tmp_path / "rw", tmp_path / "ro"
    rw.mkdir()
    ro.mkdir()
    shutil.copy(template, rw / "r.db")
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    bind = subprocess.run(["mount", "--bind", rw, ro], capture_output=True, text=True)
    if bind.returncode != 0:
        pytest.skip(f"mount --bind not permitted here: {bind.stderr.strip()}")
    try:
        remount = subprocess.run(["mount", "-o", "remount,bind,ro", ro], capture_output=True, text=True)
        assert remount.returncode == 0, remount.stderr
        assert os.statvfs(ro).f_flag & os.ST_RDONLY and not os.statvfs(rw).f_flag & os.ST_RDONLY
        before = hashlib.sha256((rw / "r.db").read_bytes()).hexdigest()
        for args in READS:
            got, want = invoke(["--db", ro / "r.db", *args]), invoke(["--db", rw / "r.db", *args])
            assert got.exit_code == 0, (args, got)
            assert got.stdout == want.stdout, args
        outcome = invoke(["--db", ro / "r.db", "tick", "sy-2021/1.3"])
        assert outcome.exit_code == 3, outcome
        _one_line(outcome, str(ro / "r.db"), "read-only file system")
        assert sorted(p.name for p in rw.iterdir()) == ["r.db"]
        assert hashlib.sha256((rw / "r.db").read_bytes()).hexdigest() == before
    finally:
        subprocess.run(["umount", ro], check=True)
