"""Copies of the database, made so that a copy can never cost the original.

Split from the store's opening part (db/opening.py): a copy goes through SQLite's online backup API,
so the -wal file's committed pages are in it and a writer elsewhere is no problem; it is
written whole or not at all through files.make_whole (which also refuses the database
itself, its -wal/-shm/-journal, links and special files), and never over a regular file that
is not an SQLite database, so a mistyped `backup notes.txt` cannot destroy it. The copy is
only ever taken of a database Store.open has checked (quick_check), so damage is not copied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .. import files
from ..errors import InputError, StoreError
from ..i18n import Msg

KEEP = 5  # automatic copies kept per database and reason ("import", "migration")


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def copy(conn: sqlite3.Connection, db_path: str, dest: str | Path,
         translate: Callable[[sqlite3.Error], StoreError], refuse: tuple = ()) -> Path:
    """A consistent copy of `conn`'s database at `dest`, written whole or not at all (files.make_whole);
    InputError for a bad destination, StoreError (through `translate`) when the database itself is the trouble."""
    refuse = (*files.protected(db_path, None), *refuse)
    there = files.check_destination(dest, refuse)  # the name as given: a trailing slash means a folder
    dest = Path(dest)
    if there is not None and there.st_size and not is_sqlite_file(dest):
        raise InputError("err.file", detail=Msg("db.backup_not_db", dest=dest))

    def fill(tmp: Path) -> None:
        target = sqlite3.connect(str(tmp))
        try:
            with target:
                conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()

    try:
        return files.make_whole(dest, fill, refuse=refuse)
    except sqlite3.Error as err:
        problem = translate(err)
        if problem.key in ("err.corrupt", "err.locked"):  # the database itself, not the copy, is the trouble
            raise problem from None
        if problem.key == "err.disk":  # the copy's disk is full: exit 3, naming the copy
            raise StoreError("err.write_disk", detail=f"{dest}: {err}") from None
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
    try:
        dest = make_copy(where / f"{stem}-{datetime.now():%Y%m%d-%H%M%S-%f}-{why}.db")
    except InputError as err:  # no safety copy, no import: the database's own place is the trouble (exit 3)
        raise StoreError(err.key, **err.params) from None
    for old in sorted(where.glob(f"{stem}-[0-9]*-{why}.db"))[:-KEEP]:
        try:
            old.unlink()
        except OSError:
            pass
    return dest
