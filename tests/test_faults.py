"""Faults: an unusable database is one clear line and exit 3 — never a traceback, never half a write.

Covers a read-only database file and folder, a full disk, a database from a newer
version, a corrupt or truncated file, a damaged -wal file, the lock and backups taken
while others use the database.

Tests run as root in CI, and root ignores file permissions: the read-only cases
therefore run the command in a child process that has dropped CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH (so permissions apply to it as to the clerk's account). Where that
is impossible the real test is skipped and says why; a simulated read-only open
(SQLite's own `mode=ro`) runs everywhere. The full disk is a real 2 MB tmpfs when the
test may mount one, and always also a simulated SQLITE_FULL at the worst moments (the
INSERT of the event, the COMMIT).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import bundled_template

from supervise import cli
from supervise.db import store as store_mod
from supervise.planfile.loader import load_plan_file
from supervise.db.store import Store
from supervise.models import Rag

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans.toml"
TODAY = date(2021, 10, 31)
CLI = [sys.executable, "-c", "from supervise.cli import main; main()"]

WRITES = [
    ["note", "sy-2021/1.1", "a note that must not be half-written"],
    ["record", "sy-2021/1.1", "carers", "4200", "--note", "with its note"],
    ["tick", "sy-2021/1.3", "--note", "done, with a note"],
    ["override", "sy-2021/1.1", "red", "--reason", "judgement"],
    ["review", "hold", "--title", "第三次双月推进会"],
]
READS = [["status"], ["status", "--format", "json"], ["log"]]


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = bundled_template(tmp_path_factory.mktemp("faults"))
    return path


@pytest.fixture
def db(template, tmp_path) -> Path:
    path = tmp_path / "data" / "supervise.db"
    path.parent.mkdir()
    shutil.copy(template, path)
    return path


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("SUPERVISE_TODAY", TODAY.isoformat())
    monkeypatch.setenv("SUPERVISE_LANG", "en")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("SUPERVISE_DEBUG", raising=False)
    monkeypatch.delenv("SUPERVISE_DB", raising=False)


def state(db: Path) -> str:
    """Everything in the database, as SQL text: equal before and after a failed write."""
    conn = sqlite3.connect(db)  # an ordinary connection: closing it leaves no -wal/-shm behind
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_main(args: list[str], capsys) -> tuple[int, str, str]:
    """The CLI in this process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    try:
        cli.main(args)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str, *words: str) -> None:
    assert "Traceback" not in err, err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert err.startswith("supervise: "), err
    for w in words:
        assert w in err.lower(), f"{w!r} not in {err!r}"


_libc = ctypes.CDLL(None, use_errno=True)
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def _drop_dac() -> None:
    """In the child, before exec: without these, root obeys file permissions like anyone."""
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _permissions_apply(tmp_path: Path) -> str | None:
    """None when a child process can be made to obey permissions, else why not."""
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    try:
        r = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}, 'a')"], capture_output=True,
                           preexec_fn=_drop_dac if os.geteuid() == 0 else None)
    except (OSError, subprocess.SubprocessError) as err:
        return f"cannot drop CAP_DAC_OVERRIDE for the child ({err}); root ignores chmod"
    finally:
        probe.chmod(0o644)
    if r.returncode == 0:
        return "the child can still write a 0444 file (running as root without the capability to drop)"
    return None


BATCH = r"""
import contextlib, io, json, sys
from supervise.cli import main
results = []
for args in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def run_cli(commands: list[list[str]], cwd: Path) -> list[tuple[int, str, str]]:
    """Commands run one after the other in one real process that obeys file permissions
    (CAP_DAC_* dropped when root): one start-up for the lot."""
    import json

    r = subprocess.run([sys.executable, "-c", BATCH, json.dumps(commands)], capture_output=True, text=True, cwd=cwd,
                       preexec_fn=_drop_dac if os.geteuid() == 0 else None,
                       env=dict(os.environ, SUPERVISE_TODAY=TODAY.isoformat(), SUPERVISE_LANG="en"))
    assert r.returncode == 0, r.stderr
    return [tuple(x) for x in json.loads(r.stdout)]


# --- read-only ----------------------------------------------------------------------------


def test_read_only_database_file(db, tmp_path):
    why = _permissions_apply(tmp_path)
    if why:
        pytest.skip(why)
    before = state(db)
    db.chmod(0o444)
    try:
        results = run_cli([["--db", str(db), *args] for args in (*READS, *WRITES)], tmp_path)
    finally:
        db.chmod(0o644)
    for args, (code, out, err) in zip((*READS, *WRITES), results):
        if args in READS:
            assert code == 0, (args, err)  # reading a read-only database is fine
        else:
            assert code == 3, (args, code, err)
            assert_one_line(err, "cannot be written", str(db).lower())
    assert state(db) == before


def test_read_only_folder(db, tmp_path):
    why = _permissions_apply(tmp_path)
    if why:
        pytest.skip(why)
    before = state(db)
    folder = db.parent
    folder.chmod(0o555)
    try:
        # SQLite needs to create the -wal/-shm files beside a WAL database, even to read it
        assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
        commands = [["--db", str(db), *args] for args in (["status"], *WRITES)]
        # no new database can be made there (and only a command that imports or writes would make one)
        commands += [["--db", str(folder / "new.db"), "review", "hold"],
                     ["--db", str(folder / "sub" / "new.db"), "review", "hold"]]
        results = run_cli(commands, tmp_path)
        assert sorted(p.name for p in folder.iterdir()) == ["supervise.db"]
    finally:
        folder.chmod(0o755)
    for args, (code, out, err) in zip(commands, results):
        assert code == 3, (args, code, err)
        assert_one_line(err, Path(args[1]).name)
    assert state(db) == before


def test_read_only_open_simulated(db, monkeypatch, capsys):
    """Everywhere (even as root): SQLite opens the file read-only, as it does for a 0444 file."""
    before = state(db)
    real_connect = sqlite3.connect

    def read_only(path, *args, **kwargs):
        if str(path) == str(db):
            return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    code, out, err = run_main(["--db", str(db), "status", "--format", "json"], capsys)
    assert code == 0, err
    for args in WRITES:
        code, out, err = run_main(["--db", str(db), *args], capsys)
        assert code == 3, (args, err)
        assert_one_line(err, "cannot be written")
    monkeypatch.undo()
    assert state(db) == before


# --- full disk ----------------------------------------------------------------------------


class _Faulty(sqlite3.Connection):
    """A connection that fails like a full disk on the first statement starting with `fail_on`."""

    fail_on: str = ""
    message = "database or disk is full"
    failed = 0

    def execute(self, sql, *args):
        if _Faulty.fail_on and sql.lstrip().upper().startswith(_Faulty.fail_on):
            _Faulty.failed += 1
            raise sqlite3.OperationalError(_Faulty.message)
        return super().execute(sql, *args)


@pytest.mark.parametrize("fail_on", ["INSERT INTO EVENTS", "UPDATE NOTES", "COMMIT", "BEGIN IMMEDIATE"])
@pytest.mark.parametrize("message", ["database or disk is full", "disk I/O error"])
def test_disk_full_simulated(db, monkeypatch, capsys, fail_on, message):
    before = state(db)
    real_connect = sqlite3.connect
    monkeypatch.setattr(_Faulty, "fail_on", fail_on)
    monkeypatch.setattr(_Faulty, "message", message)
    monkeypatch.setattr(_Faulty, "failed", 0)
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real_connect(*a, factory=_Faulty, **k))
    failed = 0
    for args in WRITES:
        code, out, err = run_main(["--db", str(db), *args], capsys)
        if _Faulty.failed > failed:  # this command reached the failing statement
            failed = _Faulty.failed
            assert code == 3, (args, code, out, err)
            assert_one_line(err, "could not be written", message.lower())
        else:
            assert code == 0, (args, err)  # e.g. a note has no UPDATE NOTES step... then it succeeded
    assert failed, f"no command reached {fail_on}"
    monkeypatch.undo()
    if fail_on in ("COMMIT", "BEGIN IMMEDIATE", "INSERT INTO EVENTS"):
        assert state(db) == before  # every write failed, and left nothing behind
    else:
        conn = sqlite3.connect(db)  # the writes that did not fail are whole; the others left nothing
        assert conn.execute("SELECT count(*) FROM notes WHERE event_id IS NULL").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM notes WHERE text = 'a note that must not be half-written'").fetchone()[0] == 0
        conn.close()


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 2 MB file system (tmpfs); skipped where mounting is not allowed."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root and mount(8) for a real tiny file system; the simulated test covers it")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip()}); the simulated test covers it")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_really_full(template, tiny_disk, tmp_path):
    db = tiny_disk / "supervise.db"
    shutil.copy(template, db)
    free = os.statvfs(tiny_disk).f_bavail * os.statvfs(tiny_disk).f_frsize
    (tiny_disk / "filler").write_bytes(b"\0" * (free - 120 * 1024))  # leave 120 KB
    before = state(db)
    big = "满" * 200_000  # 600 KB of UTF-8: cannot fit
    r = subprocess.run([*CLI, "--db", str(db), "note", "sy-2021/1.1", "-"], input=big, capture_output=True,
                       text=True, env=dict(os.environ, SUPERVISE_TODAY=TODAY.isoformat(), SUPERVISE_LANG="en"))
    assert r.returncode == 3, r.stderr
    assert_one_line(r.stderr, "full")
    (tiny_disk / "filler").unlink()
    assert state(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # with room again, the same note goes in
    r = subprocess.run([*CLI, "--db", str(db), "note", "sy-2021/1.1", "-"], input=big, capture_output=True,
                       text=True, env=dict(os.environ, SUPERVISE_TODAY=TODAY.isoformat()))
    assert r.returncode == 0, r.stderr


# --- newer, corrupt, truncated ------------------------------------------------------------


def _all_commands(db: Path) -> list[list[str]]:
    return [["--db", str(db), *a] for a in (*READS, *WRITES, ["undo"], ["import", str(PLANS)],
                                           ["backup", str(db.parent / "copy.db")])]


def test_newer_schema(db, capsys):
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before, raw = state(db), digest(db)
    for args in _all_commands(db):
        code, out, err = run_main(args, capsys)
        assert code == 3, (args, code, err)
        assert_one_line(err, "newer version", "99")
    assert state(db) == before and digest(db) == raw
    assert not (db.parent / "copy.db").exists()


def test_unknown_migration_is_newer(db, capsys):
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('supervise', 'm099_future', '2030-01-01')")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    code, out, err = run_main(["--db", str(db), "status"], capsys)
    assert code == 3
    assert_one_line(err, "newer version", "m099_future")


def _corrupt_files(template: Path, folder: Path) -> dict[str, Path]:
    rng = random.Random(7)
    raw = template.read_bytes()
    made = {
        "random bytes": rng.randbytes(64 * 1024),
        "text file": PLANS.read_bytes(),  # --db pointed at the plans file by mistake
        "truncated to half": raw[: len(raw) // 2],
        "truncated to 3 pages": raw[: 3 * 4096],
        "only the header": raw[:100],
        "header, then garbage": raw[:100] + rng.randbytes(len(raw) - 100),
    }
    out = {}
    for name, data in made.items():
        path = folder / (name.replace(" ", "-").replace(",", "") + ".db")
        path.write_bytes(data)
        out[name] = path
    return out


def test_corrupt_and_truncated_files(template, tmp_path, capsys):
    for name, path in _corrupt_files(template, tmp_path).items():
        raw = digest(path)
        for args in _all_commands(path):
            code, out, err = run_main(args, capsys)
            assert code == 3, (name, args, code, out, err)
            assert_one_line(err, "damaged")
        assert digest(path) == raw, f"{name}: a failed command changed the file"
        assert not (tmp_path / "copy.db").exists()


def test_the_plans_file_given_as_database_is_left_alone(tmp_path, capsys):
    plans = tmp_path / "plans.toml"
    shutil.copy(PLANS, plans)
    for args in (["status"], ["note", "1.1", "x"], ["import", str(plans)], ["backup", str(tmp_path / "b.db")]):
        code, out, err = run_main(["--db", str(plans), *args], capsys)
        assert code == 3, (args, err)
        assert_one_line(err, "not a database")
    assert plans.read_bytes() == PLANS.read_bytes()


def test_flipped_bytes_never_give_a_traceback(template, tmp_path, capsys):
    """Damage inside pages can leave a file SQLite still opens, holding values that make no sense."""
    raw = template.read_bytes()
    for seed in range(30):
        rng = random.Random(seed)
        data = bytearray(raw)
        for _ in range(rng.choice([1, 5, 50])):
            data[rng.randrange(100, len(data))] = rng.randrange(256)
        path = tmp_path / f"flipped{seed}.db"
        path.write_bytes(bytes(data))
        for args in (["status", "--format", "json"], ["log"], ["note", "1.1", "x"]):
            code, out, err = run_main(["--db", str(path), *args], capsys)
            assert code in (0, 3), (seed, args, code, err)
            if code:
                assert_one_line(err)
                assert "internal error" not in err, (seed, args, err)


def test_garbage_wal_file_is_ignored(db, capsys):
    """A -wal file of random bytes (a torn copy, a crash mid-write) fails its checksums and is ignored."""
    before = state(db)
    Path(f"{db}-wal").write_bytes(random.Random(3).randbytes(40_000))
    code, out, err = run_main(["--db", str(db), "status"], capsys)
    assert code == 0, err
    code, out, err = run_main(["--db", str(db), "note", "1.1", "after the garbage"], capsys)
    assert code == 0, err
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM notes WHERE text = 'after the garbage'").fetchone()[0] == 1
    conn.close()
    assert before in state(db) or len(state(db)) > len(before)


def test_a_database_path_that_is_a_folder(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    code, out, err = run_main(["--db", str(folder), "status"], capsys)
    assert code == 2 and "Traceback" not in err  # click's usage error, as one line
    assert err.splitlines() == [
        f"supervise: Invalid value for '--db': File '{folder}' is a directory. (supervise --help)"]
    monkeypatch.setenv("SUPERVISE_DB", str(folder))  # click does not check the environment variable
    code, out, err = run_main(["status"], capsys)
    assert code == 3
    assert_one_line(err, "folder.db")


CREATE = r"""
import sys
from datetime import date
from supervise.planfile.loader import load_plan_file
from supervise.db.store import Store
planset = load_plan_file(sys.argv[2])
with Store.open(sys.argv[1]) as store:
    store.import_plans(planset, date(2021, 10, 31))
"""


def test_processes_creating_the_database_at_once(tmp_path):
    """The UI and cron jobs starting on a new computer at once: all succeed, one whole schema, no 'damaged'."""
    db = tmp_path / "new" / "supervise.db"
    procs = [subprocess.Popen([sys.executable, "-c", CREATE, str(db), str(PLANS)], stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] > 0
    conn.close()
    assert "backups" not in {p.name for p in db.parent.iterdir()} or not any(
        "migration" in p.name for p in (db.parent / "backups").iterdir())
    assert not [p for p in db.parent.iterdir() if ".new-" in p.name]


def test_unexpected_error_is_one_line_not_a_traceback(db, monkeypatch, capsys):
    """A bug must not show the clerk a traceback either (SUPERVISE_DEBUG=1 shows it)."""
    def boom(*a, **k):
        raise RuntimeError("something nobody expected\nsecond line")

    monkeypatch.setattr(Store, "add_note", boom)
    code, out, err = run_main(["--db", str(db), "note", "1.1", "x"], capsys)
    assert code == cli.INTERNAL_ERROR
    assert_one_line(err, "internal error", "runtimeerror")
    monkeypatch.setenv("SUPERVISE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["--db", str(db), "note", "1.1", "x"])


# --- backups ------------------------------------------------------------------------------


def _check_copy(path: Path, must_have: str, must_not_have: str | None = None) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # a single self-contained file
        texts = {r[0] for r in conn.execute("SELECT text FROM notes")}
        assert must_have in texts
        if must_not_have:
            assert must_not_have not in texts
    finally:
        conn.close()
    with Store.open(path) as store:  # and supervise opens it
        assert store.snapshot().tasks


def test_backup_while_others_hold_the_database(db, tmp_path, capsys):
    ui = Store.open(db)  # the UI, open all along
    ui.add_note("sy-2021/1.1", "committed before the backup", TODAY)
    reader = sqlite3.connect(db, isolation_level=None)  # a reader in the middle of a read transaction
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM notes").fetchone()
    writer = sqlite3.connect(db, isolation_level=None)  # a writer in the middle of a write transaction
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO notes (task_id, written_on, text, recorded_at) "
                   "VALUES ('sy-2021/1.1', '2021-10-31', 'uncommitted', '2021-10-31 09:00:00')")
    try:
        code, out, err = run_main(["--db", str(db), "backup", str(tmp_path / "copy.db")], capsys)
        assert code == 0, err
        _check_copy(tmp_path / "copy.db", "committed before the backup", "uncommitted")
        # the automatic and default-named backups too, in their folder
        code, out, err = run_main(["--db", str(db), "backup"], capsys)
        assert code == 0, err
        made = list((db.parent / "backups").glob("*.db"))
        assert len(made) == 1
        _check_copy(made[0], "committed before the backup")
    finally:
        writer.execute("ROLLBACK")
        reader.execute("COMMIT")
        writer.close()
        reader.close()
        ui.close()


def test_backup_while_writers_commit(db, tmp_path):
    """Backups taken while another process keeps committing are each consistent."""
    env = dict(os.environ, SUPERVISE_TODAY=TODAY.isoformat())
    script = ("import sys\nfrom datetime import date\nfrom supervise.db.store import Store\n"
              "s = Store.open(sys.argv[1])\n"
              "for i in range(60): s.add_note('sy-2021/1.1', f'busy {i}', date(2021, 10, 31))\n")
    writer = subprocess.Popen([sys.executable, "-c", script, str(db)], env=env, stderr=subprocess.PIPE, text=True)
    copies = []
    with Store.open(db) as store:
        while writer.poll() is None or len(copies) < 3:
            copies.append(store.backup(tmp_path / f"copy{len(copies)}.db"))
    assert writer.wait() == 0, writer.stderr.read()
    for c in copies:
        conn = sqlite3.connect(c)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events WHERE kind = 'note'").fetchone()[0]
        assert notes == events  # each copy holds whole actions only
        conn.close()


def test_backup_never_overwrites_the_database_or_other_files(db, tmp_path, capsys):
    before = state(db)
    for dest in (db, Path(f"{db}-wal"), db.parent / ".." / "data" / "supervise.db"):
        code, out, err = run_main(["--db", str(db), "backup", str(dest)], capsys)
        assert code == 2, (dest, err)
        assert_one_line(err, "database itself")
    link = tmp_path / "hardlink.db"
    os.link(db, link)
    code, out, err = run_main(["--db", str(db), "backup", str(link)], capsys)
    assert code == 2 and "database itself" in err
    link.unlink()
    assert state(db) == before
    notes = tmp_path / "minutes.docx"
    notes.write_bytes(b"PK\x03\x04 not a database")
    code, out, err = run_main(["--db", str(db), "backup", str(notes)], capsys)
    assert code == 2
    assert_one_line(err, "not a database", "not overwritten")
    assert notes.read_bytes() == b"PK\x03\x04 not a database"
    # an older backup is replaced, whole
    old = tmp_path / "old.db"
    shutil.copy(db, old)
    Store.open(db).add_note("sy-2021/1.1", "newer", TODAY)
    code, out, err = run_main(["--db", str(db), "backup", str(old)], capsys)
    assert code == 0, err
    _check_copy(old, "newer")
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_backup_to_a_folder_is_refused_whether_it_exists_or_not(db, tmp_path, capsys):
    (tmp_path / "there").mkdir()
    for dest in (str(tmp_path / "there"), str(tmp_path / "there") + "/", str(tmp_path / "not-yet") + "/"):
        code, out, err = run_main(["--db", str(db), "backup", dest], capsys)
        assert code == 2, (dest, err)
        assert_one_line(err, "is a folder")
    assert not (tmp_path / "not-yet").exists() and list((tmp_path / "there").iterdir()) == []


def test_backup_to_an_unwritable_place_names_the_destination(db, tmp_path, capsys):
    before = state(db)
    code, out, err = run_main(["--db", str(db), "backup", "/proc/no/such/place.db"], capsys)
    assert code == 2, err
    assert_one_line(err, "/proc/no/such/place.db")
    assert state(db) == before


# --- hand-edited databases and failing ledgers ------------------------------------------------


def test_an_emptied_date_cell_reads_as_no_date(db, capsys):
    """A DB browser writes '' when a cell is cleared: a nullable date read as '' is no date, not damage."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE tasks SET done_on = '' WHERE id = 'sy-2021/1.1'")
        conn.execute("UPDATE plans SET issued_on = ''")
    conn.close()
    try:
        cli.main(["--db", str(db), "status", "--format", "json"])
    except SystemExit as done:
        assert done.code in (0, None), capsys.readouterr().err
    import json

    task = next(t for t in json.loads(capsys.readouterr().out)["tasks"] if t["id"] == "sy-2021/1.1")
    assert task["rag"] != "done"


LEDGER_FAILS = r"""
import sys
from datetime import date
from openpyxl.worksheet import _writer
from supervise import ledger
from supervise.db.store import Store

def broken(*args, **kwargs):
    raise OSError(27, "File too large")

ledger.plan_sheet = broken  # fails after the summary sheet has begun streaming to its temporary file
with Store.open(sys.argv[1]) as store:
    snap = store.snapshot()
try:
    ledger.write_ledger(snap, date(2021, 10, 31), "zh", sys.argv[2])
except OSError as err:
    print("refused:", err.strerror)
import os
print("left:", [f for f in _writer.ALL_TEMP_FILES if os.path.exists(f)])
"""


def test_a_ledger_that_fails_half_built_leaves_no_temporary_file_and_no_traceback(db, tmp_path):
    out = tmp_path / "台账.xlsx"
    r = subprocess.run([sys.executable, "-c", LEDGER_FAILS, str(db), str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["refused: File too large", "left: []"]
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr, r.stderr
    assert not out.exists()


# --- values that make no sense ------------------------------------------------------------

SENSELESS = [  # what a DB browser (or damage SQLite cannot see) can leave in a cell
    ("UPDATE tasks SET due_on = '2021-02-30' WHERE id = 'sy-2021/1.1'", "day is out of range"),
    ("UPDATE tasks SET tags = '[\"养老\"' WHERE id = 'sy-2021/1.1'", "jsondecodeerror"),
    ("UPDATE task_units SET unit_id = 9999 WHERE task_id = 'sy-2021/1.1' AND role = 'lead'", "keyerror"),
    ("UPDATE office SET stale_days = 'sixty'", "office"),
]


@pytest.mark.parametrize("sql, detail", SENSELESS, ids=["date", "tags", "unit-link", "office-number"])
def test_a_value_that_makes_no_sense_is_a_damaged_database(db, capsys, sql, detail):
    """Translated where it is read (db/connection.reads): exit 3, one line naming the file, nothing written."""
    with Store.open(db) as store:
        store.set_override("sy-2021/1.1", Rag.RED, "资金未到位", TODAY)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql)
    conn.close()
    before = state(db)
    for args in (["status", "--format", "json"], ["status"], ["show", "1.1"], ["brief", "--out", "-"]):
        code, out, err = run_main(["--db", str(db), *args], capsys)
        assert code == 3, (args, code, err)
        assert_one_line(err, str(db).lower(), "damaged", detail)
    assert state(db) == before


@pytest.mark.parametrize("data", ["-1", "[1, 2]", "{\"table\": \"tasks\"}"])
def test_an_event_whose_record_makes_no_sense_is_a_damaged_database(db, capsys, data):
    """The log reads the event; undo reverses from what it recorded: neither meets nonsense later."""
    with Store.open(db) as store:
        store.tick("sy-2021/1.3", None, TODAY)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE events SET data = ? WHERE kind = 'tick'", (data,))
    conn.close()
    before = state(db)
    for args in (["log"], ["undo"]):
        code, out, err = run_main(["--db", str(db), *args], capsys)
        if args == ["log"] and data.startswith("{"):
            assert code == 0, err  # an object, only short of what undo needs: the log shows it
            continue
        assert code == 3, (args, code, err)
        assert_one_line(err, str(db).lower(), "damaged")
    assert state(db) == before
