"""Opening a database: creating it whole, vetting it, configuring and migrating it, and copying it."""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Self

from .. import files
from ..errors import StoreError
from ..i18n import Msg, os_reason, sqlite_reason
from . import backups
from .connection import Connection, damaged

SCHEMA_VERSION = 4  # len(schema.migrations); a test keeps them equal
# The tables the schema makes (a test keeps them equal): a database at SCHEMA_VERSION lacking one is damaged.
TABLES = frozenset({"_sqlite_migrations", "office", "reviews", "plans", "sections", "units", "tasks", "task_units", "milestones",
                    "indicators", "checkpoints", "events", "indicator_values", "notes", "overrides",
                    "reminders", "reminder_tasks"})
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of the migrations applied
BUSY_TIMEOUT = 10.0
WAL_HEADER = b"\x02\x02"  # bytes 18-19 of the file header: the database is in WAL mode


def read_only_fs(path: str) -> bool:
    """Whether the file system holding `path` is mounted read-only (a backup on a write-protected stick,
    a CD, a share mounted ro): nothing on this machine can write through this path, so SQLite must not
    be asked to (os.statvfs is Unix's; elsewhere nothing is taken for read-only)."""
    statvfs = getattr(os, "statvfs", None)
    try:
        return statvfs is not None and bool(statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _read_only_uri(path: str) -> str | None:
    """How to open the database at `path` when its file system is read-only; None when it is not.

    SQLite reads a WAL-mode database only where its -wal and -shm exist or can be created
    (sqlite.org/wal.html#readonly): on a read-only file system a WAL database whose last connection
    closed cleanly (no -wal, no -shm: the usual state of a copy) opens only as `immutable`. That
    tells SQLite that nothing changes the file and takes no locks, and it ignores any -wal, so it
    is used only when it is true and loses nothing: the file system is read-only here (statvfs,
    not the folder's permissions, which its owner or root may ignore) and there is no -wal holding
    anything. A program writing the same file through another, writable path (the share's server,
    a read-write bind mount) has its -wal and -shm beside it while it is connected, and then, as for
    a database in rollback mode, SQLite opens it read-only with its usual locking (mode=ro). A -wal
    with changes but no -shm cannot be read without writing: refused (exit 3), never read without it.
    What remains: such a writer that connects while this one reads, and checkpoints into the file
    before the read ends, is not seen (the checks here run once, at opening).
    """
    if not read_only_fs(path):
        return None
    uri = Path(path).resolve().as_uri()
    wal, shm = Path(path + "-wal"), Path(path + "-shm")
    try:
        with open(path, "rb") as f:
            in_wal_mode = f.read(20)[18:20] == WAL_HEADER
        wal_size = wal.stat().st_size if wal.exists() else None
    except OSError as err:
        raise StoreError("err.db_open", path=path, detail=os_reason(err)) from None
    if not in_wal_mode or (wal_size is not None and shm.exists()):
        return f"{uri}?mode=ro"
    if wal_size:
        raise StoreError("err.db_open", path=path, detail=Msg("db.read_only_wal", wal=wal.name, shm=shm.name))
    return f"{uri}?mode=ro&immutable=1"


class Opening(Connection):
    """Store's opening part: open (create, vet, configure, migrate), backups, integrity."""

    @classmethod
    def open(cls, path: str | Path, *, timeout: float = BUSY_TIMEOUT, create: bool = True) -> Self:
        """Open (creating and migrating as needed); every failure is a StoreError (exit 3)."""
        path = str(path)
        if path != ":memory:" and not os.path.exists(path):
            if not create:
                raise StoreError("err.db_open", path=path, detail=Msg("db.no_such_file"))
            if read_only_fs(str(Path(path).resolve().parent)):
                raise StoreError("err.readonly", path=path, detail=Msg("db.read_only_fs"))
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError("err.db_open", path=path, detail=os_reason(err)) from None
            cls._create(path, timeout)
        if path != ":memory:" and not os.path.isfile(path):  # /dev/null, a FIFO: SQLite left a stray -journal beside it
            raise StoreError("err.db_open", path=path, detail=Msg("db.not_regular"))
        fresh = path == ":memory:" or os.path.getsize(path) == 0
        read_only = None if path == ":memory:" else _read_only_uri(path)
        if path != ":memory:" and read_only is None:  # what a killed backup, import or creation left here: gone at the next start
            files.sweep(Path(path).parent)
            files.sweep(backups.folder(path))
        try:
            if read_only is None:
                conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
            else:
                conn = sqlite3.connect(read_only, uri=True, timeout=timeout, check_same_thread=False)
        except sqlite3.Error as err:
            raise StoreError("err.db_open", path=path, detail=sqlite_reason(err)) from None
        store = cls(conn, path)
        store._timeout = timeout
        store.read_only = read_only is not None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if not fresh:
                store._vet()  # before WAL is switched on or anything is written or copied
            store._configure()
            store._migrate(fresh)
        except sqlite3.Error as err:
            conn.close()
            raise store._translate(err) from None
        except UnicodeDecodeError as err:  # the schema itself holds bytes that are not text
            conn.close()
            raise damaged(path, err) from None
        except StoreError:
            conn.close()
            raise
        return store

    @classmethod
    def _create(cls, path: str, timeout: float) -> None:
        """Build a new database beside `path` and link it into place in one step.

        Nobody ever sees a half-made schema: not a second process starting at the same
        moment (the first link wins, the others open it), not the next run after a
        crash in the middle of creating it (only a stray temporary file is left).
        """
        tmp = str(Path(path).parent / f"{files.TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}.db")
        try:
            try:
                conn = sqlite3.connect(tmp, timeout=timeout, check_same_thread=False)
            except sqlite3.Error as err:
                raise StoreError("err.db_open", path=path, detail=sqlite_reason(err)) from None
            store = cls(conn, tmp)
            store._timeout = timeout
            try:
                store._configure()
                store._migrate(True)
            except sqlite3.Error as err:
                raise StoreError("err.db_open", path=path, detail=sqlite_reason(err)) from None
            finally:
                conn.close()
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process made it first: everyone uses that one
            except OSError:  # a file system without hard links
                if not os.path.exists(path):
                    try:
                        os.replace(tmp, path)
                    except OSError as err:
                        raise StoreError("err.db_open", path=path, detail=os_reason(err)) from None
        finally:
            for leftover in (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass

    @staticmethod
    def peek_names(path: str | Path, what: str) -> list[tuple[str, str]]:
        """Names for shell completion: (task id, title) for "tasks" — full ids and, where unambiguous,
        bare ones — or (unit name, "") for "units". Opened read-only, never created, never migrated;
        anything amiss (no file, a damaged or foreign one) completes nothing."""
        path = str(path)
        if not os.path.isfile(path):
            return []
        try:
            uri = _read_only_uri(path) or f"{Path(path).resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=0.5)
        except (sqlite3.Error, StoreError):
            return []
        try:
            if what == "units":
                return [(name, "") for (name,) in conn.execute("SELECT name FROM units ORDER BY name")]
            rows = conn.execute("SELECT id, task_id, title FROM tasks WHERE withdrawn_on IS NULL ORDER BY plan_id, position").fetchall()
        except (sqlite3.Error, UnicodeDecodeError):
            return []
        finally:
            conn.close()
        bare = defaultdict(int)
        for _, task_id, _ in rows:
            bare[task_id] += 1
        return [(key, title) for key, _, title in rows] + [(task_id, title) for _, task_id, title in rows if bare[task_id] == 1]

    def _vet(self) -> None:
        """Refuse (exit 3) a database that is not ours or is damaged, before anything changes in it.

        Reads only: the table names and user_version (a foreign database is refused before WAL is
        switched on), then SQLite's own `quick_check` (every page's structure; what it skips next to
        `integrity_check` is the cross-check of indexes against tables, which costs 3-4x as much).
        At 10,000 tasks (8.8 MB) quick_check took 75-100 ms at load 2 on 2 cores, 140-240 ms at load 14,
        against 600-1100 ms for integrity_check and ~9 s for the whole `status --format json` at that load
        (bench/bench_check.py); the table names alone cost 1 ms."""
        c = self.conn
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if c.execute("PRAGMA application_id").fetchone()[0] or (tables and version == 0 and MIGRATIONS_TABLE not in tables):
            raise StoreError("err.corrupt", path=self.path, detail=Msg("db.foreign"))
        if version > SCHEMA_VERSION:
            raise StoreError("err.newer", path=self.path, detail=Msg("db.schema_newer", version=version, known=SCHEMA_VERSION))
        if version == SCHEMA_VERSION and not TABLES <= tables:
            missing = ", ".join(sorted(TABLES - tables))
            raise StoreError("err.corrupt", path=self.path, detail=Msg("db.table_missing", missing=missing))
        problems = [r[0] for r in c.execute("PRAGMA quick_check(1)")]
        if problems != ["ok"]:
            raise StoreError("err.corrupt", path=self.path, detail=problems[0] if problems else Msg("db.check_silent"))

    def _configure(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        mode = c.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and self.path != ":memory:" and not self.read_only:
            try:
                c.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as err:
                if "readonly" not in str(err) and "read-only" not in str(err):
                    raise
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")

    def _migrate(self, fresh: bool) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]  # _vet refused a newer one
        if version == SCHEMA_VERSION:
            return
        if self.read_only:
            raise StoreError("err.readonly", path=self.path,
                             detail=Msg("db.read_only_upgrade", version=version, known=SCHEMA_VERSION))
        from .schema import MIGRATION_NAMES, migrations

        db = self.db
        applied = {m.name for m in migrations.applied(db)}
        unknown = applied - set(MIGRATION_NAMES)
        if unknown:
            raise StoreError("err.newer", path=self.path, detail=Msg("db.unknown_migrations", names=", ".join(sorted(unknown))))
        if not fresh:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and not applied:
                raise StoreError("err.corrupt", path=self.path, detail=Msg("db.foreign"))
            if applied:
                self._backup_copy("migration")
        migrations.apply(db)
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    # --- backups --------------------------------------------------------------------------

    def backup(self, dest: str | Path, refuse: tuple = ()) -> Path:
        """A consistent copy of the database at `dest` (backups.copy says how it stays safe)."""
        return backups.copy(self.conn, self.path, dest, self._translate, refuse)

    def backups_dir(self) -> Path:
        return backups.folder(self.path)

    def _backup_copy(self, why: str) -> Path | None:
        """The automatic copy taken before an import or a migration (None for an in-memory database)."""
        if self.path == ":memory:":
            return None
        self._writable()
        return backups.rotating_copy(self.backup, self.path, why)

    def integrity(self) -> str:
        return self._read("PRAGMA integrity_check")[0][0]
