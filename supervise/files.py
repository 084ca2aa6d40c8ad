"""Every file the program writes is written whole or not at all, here and nowhere else.

`write_whole` writes into a temporary file beside the target, flushes it to disk, renames it
over the target and flushes the folder, so a full disk, a kill or an error leaves the previous
file as it was. It refuses a destination that is the database (or its -wal/-shm), the plans
file in use, a symbolic link, or anything that is not a regular file; the temporary file is
removed on every failure, and ones left behind by a killed process are swept the next time
anything is written into that folder (`sweep`). The core calls this; it reads no clock.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, StoreError
from .i18n import Msg, os_reason

TEMP_PREFIX = ".supervise-tmp-"
Content = bytes | str | Callable[[BinaryIO], None]

# a full disk, a quota, a read-only or failing device: the machine's trouble, not the clerk's typing
_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.EFBIG}


Kept = tuple[Path, str]  # a file no output may replace, and what it is: "database" or "plans"


def protected(db: str | Path | None, plans: str | Path | None) -> tuple[Kept, ...]:
    """The files no output may replace: the database with its -wal/-shm, and the plans file."""
    out: list[Kept] = []
    if db and str(db) != ":memory:":
        out += [(Path(str(db) + suffix), "database") for suffix in ("", "-wal", "-shm", "-journal")]
    if plans:
        out.append((Path(plans), "plans"))
    return tuple(out)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _names_folder(path: str | Path) -> bool:
    text = os.fspath(path)
    return text.endswith(os.sep) or bool(os.altsep and text.endswith(os.altsep))


def check_destination(path: str | Path, refuse: Iterable[Kept] = ()) -> os.stat_result | None:
    """Refuse (exit 2) a destination that must not be replaced; say why in one line.
    Returns what is there now (None: nothing yet)."""
    if _names_folder(path):  # checked on the name as given: Path() would drop the slash
        raise InputError("err.dest_folder", path=str(path))
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise error(path, err) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise InputError("err.dest_symlink", path=str(path))
        if stat.S_ISDIR(st.st_mode):
            raise InputError("err.dest_folder", path=str(path))
        if not stat.S_ISREG(st.st_mode):
            raise InputError("err.dest_special", path=str(path))
    for kept, what in refuse:
        # a database's companion (-wal) is refused even before it exists; a plans file that is not
        # there yet is what `extract --out plans.toml` is for (the advice given where there is none)
        absent_ok = what == "plans"
        if _same(path, kept) and (st is not None or (not absent_ok and os.path.realpath(path) == os.path.realpath(kept))):
            raise InputError(f"err.dest_{what}", path=str(path))
    return st


def error(path: Path, err: OSError) -> InputError | StoreError:
    """An OSError while writing `path` as the one line the spec wants: exit 3 for the disk, 2 else."""
    detail = Msg("file.reason", path=str(path), reason=os_reason(err))  # the system's reason, in Chinese too
    if err.errno in _DISK:
        return StoreError("err.write_disk", detail=detail)
    return InputError("err.file", detail=detail)


class NotRegular(OSError):
    """A device (/dev/zero), a pipe or a socket where a file was expected."""


class TooBig(OSError):
    """A file over the reader's limit."""


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes: the one way a document or plan file is read.
    Opened without blocking, so a FIFO with no writer cannot hang the reader; a folder raises
    IsADirectoryError, a device or pipe NotRegular, a bigger file (or one that grew while read) TooBig;
    anything else the system says is its OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file", str(path))
        if st.st_size > limit:
            raise TooBig(errno.EFBIG, os.strerror(errno.EFBIG), str(path))
        with open(fd, "rb", closefd=False) as f:
            raw = f.read(limit + 1)
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise TooBig(errno.EFBIG, os.strerror(errno.EFBIG), str(path))
    return raw


def write_whole(path: str | Path, content: Content, *, refuse: Iterable[Kept] = ()) -> Path:
    """Write `content` (bytes, text as UTF-8, or a function writing into a binary file) to `path`."""

    def fill(tmp: Path) -> None:
        with open(tmp, "r+b") as out:
            if isinstance(content, str):
                out.write(content.encode("utf-8"))
            elif isinstance(content, bytes):
                out.write(content)
            else:
                content(out)

    return make_whole(path, fill, refuse=refuse)


def make_whole(path: str | Path, fill: Callable[[Path], None], *, refuse: Iterable[Kept] = ()) -> Path:
    """Have `fill` make the file at a temporary path beside `path` (for writers that need a path,
    such as SQLite's backup), then sync it and rename it into place."""
    refuse = tuple(refuse)
    existing = check_destination(path, refuse)
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise error(path, err) from None
    sweep(folder)
    tmp = folder / f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}{path.suffix}"
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666))
    except OSError as err:
        raise error(path, err) from None
    try:
        if existing is not None:  # a private backup (0600) stays private when it is replaced
            os.chmod(tmp, stat.S_IMODE(existing.st_mode))
        fill(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        check_destination(path, refuse)  # again: it may have become a link or a FIFO meanwhile
        os.replace(tmp, path)
    except BaseException as exc:
        for leftover in (tmp, *(Path(f"{tmp}{s}") for s in ("-journal", "-wal", "-shm"))):
            try:
                os.unlink(leftover)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise error(path, exc) from None
        raise
    _sync_folder(folder)
    return path


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


# Ours: TEMP_PREFIX + pid + "-" + random hex (+ the target's suffix, + -journal/-wal/-shm while SQLite
# works in it); also what earlier versions' backups left: ".NAME.tmp-PID-HEX" (no longer made).
_OURS = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-[0-9a-f]+|\..+\.tmp-(\d+)-[0-9a-f]+")


def _temp_owner(name: str) -> int | None:
    """The process id in one of our temporary files' names (None: not one of ours)."""
    m = _OURS.match(name)
    return int(m.group(1) or m.group(2)) if m else None


def sweep(folder: str | Path) -> int:
    """Remove temporary files a killed writer left in `folder` (its process is gone); how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        pid = _temp_owner(entry.name)
        if pid is None or _alive(pid):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            pass
    return removed
