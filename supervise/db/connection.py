"""The store's connection: the SQL primitives every part of Store is built on.

One IMMEDIATE transaction per write (`_write`), one read transaction for several queries
(`_reading`), and the one row each write adds to the append-only `events` table (`_event`).
Reads use the plain sqlite3 connection so that `status` from cron does not pay for importing
sqlite-utils.

Errors are translated where they arise, into StoreError naming the file, so that the command
line and the UI handle them by type alone: sqlite3's own (`_translate`: locked, corrupt,
read-only, full), text that is not UTF-8, and, at the read boundary (`_read`, `_rows` and every
method marked `@reads`), a value that makes no sense (a date that is not one, a colour nobody
knows, a link to a row that is not there): a damaged database, not a bug to report.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any, Self, TypeVar

from ..errors import StoreError
from ..i18n import Msg, sqlite_reason


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _day(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


NONSENSE = (ValueError, KeyError, TypeError, IndexError)  # what building objects from a senseless value raises


def damaged(path: str, err: Exception) -> StoreError:
    """A value read from the database at `path` that makes no sense: the file is damaged (exit 3)."""
    if isinstance(err, UnicodeDecodeError):  # text columns holding bytes that are not UTF-8
        return StoreError("err.corrupt", path=path, detail=Msg("db.unreadable_text", reason=err.reason))
    return StoreError("err.corrupt", path=path, detail=Msg("db.unreadable_data", kind=type(err).__name__, error=err))


F = TypeVar("F", bound=Callable[..., Any])


def reads(method: F) -> F:
    """A read at the store's boundary: what the database holds that makes no sense leaves it as a
    StoreError naming the file, never as a ValueError from deep inside (the CLI and the UI then
    need no guessing from tracebacks). Bad input (InputError) and the store's own errors pass."""

    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as err:  # met while stepping through a cursor (Connection._rows)
            raise self._translate(err) from None
        except UnicodeEncodeError:  # text given to the store that is not text: the input, not the database
            raise
        except NONSENSE as err:
            raise damaged(self.path, err) from None

    return read  # type: ignore[return-value]


class Connection:
    """An open supervise database: the connection, its transactions and its errors."""

    _timeout: float

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path
        self._db = None
        self.read_only = False  # opened read-only because its file system is (opening.read_only_fs)

    @property
    def db(self):
        """sqlite-utils over the same connection, imported only when a write needs it."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False, recursive_triggers=False)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _translate(self, err: sqlite3.Error) -> StoreError:
        text = sqlite_reason(err)  # the classification below reads SQLite's English, whatever is shown
        low = str(err).lower()
        if "locked" in low or "busy" in low:
            return StoreError("err.locked", path=self.path, seconds=f"{self._timeout:.1f}".removesuffix(".0"))  # 0.5, not 0
        if "readonly" in low or "read-only" in low:
            return StoreError("err.readonly", path=self.path, detail=text)
        if "disk" in low and ("full" in low or "i/o" in low) or "full" in low:
            return StoreError("err.disk", path=self.path, detail=text)
        # text that is not UTF-8 (sqlite3 refuses to decode it), a link to a row that is not there
        # (every id is resolved before a write: a dangling one is the file's, not the input's)
        if ("not a database" in low or "malformed" in low or "corrupt" in low or "could not decode" in low
                or "foreign key constraint" in low):
            return StoreError("err.corrupt", path=self.path, detail=text)
        return StoreError("err.db_open", path=self.path, detail=text)

    def _writable(self) -> None:
        """Refuse (exit 3) before anything is written or copied for a write, where nothing can be."""
        if self.read_only:
            raise StoreError("err.readonly", path=self.path, detail=Msg("db.read_only_fs"))

    @contextmanager
    def _write(self):
        """One IMMEDIATE transaction: the write lock is taken up front, so readers never deadlock us."""
        self._writable()
        db = self.db  # import sqlite-utils before taking the lock, not while other writers wait for it
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise self._translate(err) from None
        try:
            with db.atomic():
                yield
        except sqlite3.Error as err:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._translate(err) from None
        except UnicodeDecodeError as err:  # a row read during the write whose text is not UTF-8
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise damaged(self.path, err) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as err:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._translate(err) from None

    @contextmanager
    def _translated(self):
        """sqlite3's errors as the store's own (locked, corrupt, read-only …), and values that make
        no sense (text that is not UTF-8) as a damaged file, for every read."""
        try:
            yield
        except sqlite3.Error as err:
            raise self._translate(err) from None
        except UnicodeEncodeError:  # a parameter that is not text: the input, not the database
            raise
        except NONSENSE as err:
            raise damaged(self.path, err) from None

    def _read(self, sql: str, params=()) -> list[tuple]:
        with self._translated():
            return self.conn.execute(sql, params).fetchall()

    def _rows(self, sql: str, params=()) -> sqlite3.Cursor:
        """Rows one at a time, straight from the cursor: a big read need not be held whole, and no
        Python frame runs per row (a generator here cost 0.1 s of 80,000 rows). An error met while
        stepping reaches the caller, a method marked `@reads`, which translates it."""
        with self._translated():
            return self.conn.execute(sql, params)

    @reads
    def data_version(self) -> int:
        """Changes when another connection commits: the UI polls it to notice cron jobs."""
        return self._read("PRAGMA data_version")[0][0] * 1_000_000 + self._read("SELECT coalesce(max(id), 0) FROM events")[0][0]

    @contextmanager
    def _reading(self):
        """One read transaction: several queries see the same committed state (never half an action)."""
        if self.conn.in_transaction:
            yield
            return
        try:
            self.conn.execute("BEGIN")
        except sqlite3.Error as err:
            raise self._translate(err) from None
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def _event(self, kind: str, task: str | None, item: str | None, on: date | None, summary: str, data: dict) -> int:
        """The one row a write adds to the event log (the caller holds the write transaction)."""
        try:
            recorded = json.dumps(data, ensure_ascii=False, sort_keys=True)
        except TypeError as err:  # a value read from the database for undo that is not text or a number (a BLOB)
            raise damaged(self.path, err) from None
        cur = self.conn.execute(
            "INSERT INTO events (recorded_at, kind, task_id, item_id, effective_on, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_now(), kind, task, item, _iso(on), summary, recorded))
        return cur.lastrowid
