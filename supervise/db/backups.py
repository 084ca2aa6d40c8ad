"""Copies of the database, made so that a copy can never cost the original.

Split from store.py (which keeps all SQL): a copy goes through SQLite's online backup API,
so the -wal file's committed pages are in it and a writer elsewhere is no problem; it is
written to a temporary file and renamed into place, so an older backup is only ever
replaced by a complete one; and it is never written over the database itself (or its
-wal/-shm/-journal) nor over a file that is not an SQLite database, so a mistyped
`backup plans.toml` cannot destroy the plan file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .. import files
from ..errors import InputError, StoreError

KEEP = 5  # automatic copies kept per database and reason ("import", "migration")


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def is_database_itself(db_path: str, dest: Path) -> bool:
    """`dest` names the database or one of its companion files (by path, or the same file by another path)."""
    if db_path == ":memory:":
        return False
    mine = [Path(db_path + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    try:
        target = dest.resolve()
        if any(target == p.resolve() for p in mine):
            return True
        return dest.exists() and any(p.exists() and os.path.samefile(dest, p) for p in mine)
    except OSError:
        return False


def copy(conn: sqlite3.Connection, db_path: str, dest: Path,
         translate: Callable[[sqlite3.Error], StoreError], refuse: tuple = ()) -> Path:
    """A consistent copy of `conn`'s database at `dest`, written whole or not at all (files.make_whole);
    InputError for a bad destination, StoreError (through `translate`) when the database itself is the trouble."""
    if is_database_itself(db_path, dest):
        raise InputError("err.dest_database", path=str(dest))
    if dest.is_file() and dest.stat().st_size and not is_sqlite_file(dest):
        raise InputError("err.file", detail=f"{dest}: exists and is not a database; not overwritten")

    def fill(tmp: Path) -> None:
        target = sqlite3.connect(str(tmp))
        try:
            with target:
                conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()

    try:
        return files.make_whole(dest, fill, refuse=(*files.protected(db_path, None), *refuse))
    except sqlite3.Error as err:
        problem = translate(err)
        if problem.key in ("err.corrupt", "err.locked"):  # the database itself, not the copy, is the trouble
            raise problem from None
        raise InputError("err.file", detail=f"{dest}: {err}") from None


def folder(db_path: str) -> Path:
    """Where the automatic copies go: `backups/` beside the database."""
    return Path(db_path).resolve().parent / "backups"


def rotating_copy(make_copy: Callable[[Path], Path], db_path: str, why: str) -> Path:
    """A timestamped copy before an import or a migration; only the newest KEEP of that kind stay.

    Only our own automatic copies of this kind and this database are rotated: never a file
    written by `supervise backup`, never another database's."""
    where = folder(db_path)
    stem = Path(db_path).stem
    dest = make_copy(where / f"{stem}-{datetime.now():%Y%m%d-%H%M%S-%f}-{why}.db")
    for old in sorted(where.glob(f"{stem}-[0-9]*-{why}.db"))[:-KEEP]:
        try:
            old.unlink()
        except OSError:
            pass
    return dest
