"""Read and validate plans.toml (see shared/spec/plans-format.md).

tomllib gives values but no positions, so a light line scanner maps every table
and key back to its line: each problem is reported as FILE:LINE:COL, all at once.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

try:  # tomli's compiled wheels parse a 50,000-task file in 4 s where the standard library's takes 12
    import tomli as tomllib
except ImportError:  # pragma: no cover - a platform without tomli: the same parser, in pure Python
    import tomllib

from ..dates import DateError, month_end, parse_date
from ..files import NotRegular, TooBig, read_regular
from ..i18n import Msg, os_reason, t
from ..models import Checkpoint, Indicator, Milestone, Office, Plan, Review, Task
from ..numbers import LIMIT_SAID as _LIMIT
from ..numbers import MAX_NUMBER
from ..text import first_unsafe
from . import chunks as toml_chunks
from .messages import toml_message

SCHEMA = 1
PLAN_ID = re.compile(r"^[a-z0-9-]+$")
TOP_KEYS = {"schema", "office", "review", "plan", "task"}
OFFICE_KEYS = {"name", "review_every_months", "first_review", "amber_days", "stale_days", "lag_amber", "lag_red"}
REVIEW_KEYS = {"date", "title"}
PLAN_KEYS = {"id", "title", "doc_number", "issued_by", "issued", "start", "end"}
TASK_KEYS = {"plan", "id", "section", "title", "detail", "lead", "responsible", "start", "due", "tags", "milestone", "indicator"}
MILESTONE_KEYS = {"id", "title", "due"}
INDICATOR_KEYS = {"id", "name", "unit", "baseline", "target", "direction", "due", "checkpoints"}


@dataclass(frozen=True)
class Finding:
    """One FILE:LINE:COL line of a check: where, and what as a catalogue message (i18n.Msg), said in
    the interface's language by `words(lang)`; str() is the English line. Plan content and TOML key
    names in it stay as written."""

    file: str
    line: int
    col: int
    message: Msg

    def words(self, lang: str = "en") -> str:
        return t(lang, "plan_file.at", file=self.file, line=self.line, col=self.col, message=self.message)

    def __str__(self) -> str:
        return self.words("en")


class PlanFileError(Exception):
    """A plan file that cannot be used: one Finding per problem."""

    def __init__(self, problems: list[Finding], everything: list[Finding] | None = None):
        """everything: the problems with the file's warnings among them, in file order (what is shown)."""
        self.found = problems
        self.shown = problems if everything is None else everything
        super().__init__("\n".join(map(str, problems)))

    @property
    def problems(self) -> list[str]:
        """The problems' English lines (what scripts and tests match)."""
        return [p.words("en") for p in self.found]

    def lines(self, lang: str) -> list[str]:
        return [p.words(lang) for p in self.shown]


MAX_BYTES = 100 * 1024 * 1024  # a plan file's size limit: a 50,000-task office (bench/gen_office.py) is 34 MB
MAX_WHOLE = 36_500  # days and months in the office settings: a hundred years is more than any plan runs
_LONG_NUMBER = re.compile(r"\d[\d_]{4299,}")  # what tomllib's int() refuses (Python's 4,300-digit limit)


def _what(what: str) -> Msg:
    """'task 1.1' → task 1.1 / 任务 1.1 (the noun said in the interface's language, the id as written)."""
    noun, _, rest = what.partition(" ")
    return Msg("plan_file.noun_id", noun=Msg(f"plan_file.noun.{noun}"), id=rest) if rest else Msg(f"plan_file.noun.{noun}")


@dataclass(frozen=True)
class PlanSet:
    office: Office
    plans: tuple[Plan, ...]
    tasks: tuple[Task, ...]
    warnings: tuple[Finding, ...] = ()
    explicit_reviews: bool = False


# --- where things are in the text ---------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\- ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


class _Block:
    """One table in the file: its header line; the line of each of its keys, found when asked.

    Keys are looked up only to point at a problem (and at a `checkpoints` line), so they are
    scanned from the table's own lines on demand instead of being held for every table: a
    50,000-task file's key positions took more memory than its parsed values.
    """

    __slots__ = ("line", "_text", "_offset", "_keys")

    def __init__(self, line: int, keys: dict[str, tuple[int, int]] | None = None, *, text: str = "",
                 offset: int = -1):
        self.line = line  # the header's line (1 for the top of the file)
        self._text, self._offset = text, offset  # where the table's own lines begin
        self._keys = keys

    @property
    def keys(self) -> dict[str, tuple[int, int]]:
        if self._keys is not None:
            return self._keys
        keys: dict[str, tuple[int, int]] = {}
        if self._offset >= 0:
            first = self.line if self._offset == 0 else self.line + 1
            for number, line, kind in _lines(self._text, self._offset, first):
                if kind == "header":
                    break
                if kind == "line":
                    key = _KEY.match(line)
                    if key:
                        keys.setdefault(key.group(1).strip('"'), (number, key.start(1) + 1))
        return keys


class _CheckpointsLine(_Block):
    """The `checkpoints = [` line of an indicator's table, where its checkpoints' problems are
    reported (the table's header when the line is not found); looked up only when there is one to
    report: 7,000 indicators' lines scanned for nothing took a fifth of a second."""

    __slots__ = ("_table",)

    def __init__(self, table: _Block):
        super().__init__(table.line)
        self._table = table

    @property
    def keys(self) -> dict[str, tuple[int, int]]:
        spot = self._table.keys.get("checkpoints")
        return {"on": spot, "value": spot} if spot else self._table.keys


def _lines(text: str, offset: int, number: int):
    """(line number, line, kind) from `offset`: kind "header", "line", or "skip" (blank, comment,
    inside a multi-line string). TOML lines end at "\n" only: str.splitlines() would also break at
    U+2028, U+0085, \x0c … (legal inside TOML strings, common in pasted text) and shift every later
    line number. Lines are cut one at a time: a big file is never held twice."""
    in_multiline: str | None = None
    end = len(text)
    while offset <= end:
        stop = text.find("\n", offset)
        if stop < 0:
            stop = end
        line = text[offset:stop]
        offset = stop + 1
        if in_multiline:
            in_multiline = _open_string(line, in_multiline)
            yield number, line, "skip"
        else:
            stripped = line.lstrip()
            if not stripped or stripped[0] == "#":
                yield number, line, "skip"
            elif stripped[0] == "[" and _HEADER.match(line):
                yield number, line, "header"
            else:
                yield number, line, "line"
                if '"""' in line or "'''" in line:
                    in_multiline = _open_string(line, None)
        number += 1


# The lines that can change what _lines says of a line: one whose first character after the
# spaces str.lstrip() takes is "[" (a header), and one holding a multi-line string's quotes.
_NOTABLE = re.compile("^[^\\S\\n]*\\[|\"\"\"|'''", re.MULTILINE)


def _headers(text: str):
    """(line number, offset of the line, offset after it, _HEADER's match) of each line _lines
    calls a header, in order: the same lines, found by looking only at the lines that can be one
    or can open or close a multi-line string (a 10,000-task plan file: 300,000 lines, some 40,000
    looked at). Every other line is either inside a string or neither, as _lines reads it."""
    in_multiline: str | None = None
    end = len(text)
    number, counted = 1, 0  # the line number of the line at offset `counted`
    pos = 0
    search = _NOTABLE.search
    while pos <= end:
        notable = search(text, pos)
        if notable is None:
            return
        start = text.rfind("\n", 0, notable.start()) + 1
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        pos = stop + 1
        number += text.count("\n", counted, start)
        counted = start
        line = text[start:stop]
        if in_multiline:
            in_multiline = _open_string(line, in_multiline)
            continue
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            continue
        header = _HEADER.match(line) if stripped[0] == "[" else None
        if header:
            yield number, start, pos, header
        elif '"""' in line or "'''" in line:
            in_multiline = _open_string(line, None)


# A one-line string, matched whole: a basic one with its escapes, or a literal one.
_STRING = r""""(?:[^"\\]|\\.)*"|'[^']*'"""
# What can stand on a line outside a multi-line string: a comment (the rest of the line), a
# multi-line string's opening, a one-line string, anything else.
_TOKEN = re.compile("#|\"\"\"|'''|" + _STRING)
# Brackets and braces outside strings (a string is matched whole, so its brackets are skipped).
_BRACKETS = re.compile(r"#|[\[\]{}]|" + _STRING)
# The end of a multi-line string: its quotes (3, or up to 5 when the text ends in quotes), not
# escaped in a basic string (a backslash escapes the character after it).
_END = {'"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"{3,5}', re.DOTALL),
        "'''": re.compile(r"(?:[^']|'(?!''))*'{3,5}", re.DOTALL)}


def _open_string(line: str, inside: str | None) -> str | None:
    """Which multi-line string (its quotes) is still open at the end of `line`, given the one open
    at its start. A small lexer, not a count of quote triples: a triple in a comment, an escaped
    quote, a triple inside another string and several strings on one line are all read right."""
    pos = 0
    while True:
        if inside:
            end = _END[inside].match(line, pos)
            if not end:
                return inside
            pos, inside = end.end(), None
        token = _TOKEN.search(line, pos)
        if not token or token.group() == "#":
            return None
        if token.group() in _END:
            inside = token.group()
        pos = token.end()


class _Positions:
    def __init__(self, text: str):
        self.blocks: dict[str, list[_Block]] = {}
        self.root = _Block(1, text=text, offset=0)
        # where the text can be cut to parse it a task at a time (toml_chunks): (offset of a header
        # line, True for a [[task]] / False for another table after a task), and whether it can be
        # (a task's sub-table written after some other table cannot)
        self.cuts: list[tuple[int, bool]] = []
        self.chunkable = True
        in_task = False
        for number, start, position, found in _headers(text):
            name = found.group(2).replace(" ", "")
            self.blocks.setdefault(name, []).append(_Block(number, text=text, offset=position))
            if name == "task" and found.group(1) == "[[":
                self.cuts.append((start, True))
                in_task = True
            elif name.startswith("task."):
                self.chunkable = self.chunkable and in_task
            elif in_task:
                self.cuts.append((start, False))
                in_task = False

    def top(self, key: str) -> _Block:
        """Where top-level `key` is written: a root `key = …` line, else its first `[key…]` header."""
        if key in self.root.keys:
            return self.root
        for name, blocks in self.blocks.items():
            if name == key or name.startswith(key + "."):
                return blocks[0]
        return self.root

    def block(self, name: str, index: int) -> _Block:
        blocks = self.blocks.get(name, [])
        return blocks[index] if index < len(blocks) else self.root

    def child_blocks(self, parent: str, child: str) -> list[list[_Block]]:
        """Child tables (task.milestone) grouped under the parent table they follow."""
        parents = self.blocks.get(parent, [])
        children = self.blocks.get(f"{parent}.{child}", [])
        groups: list[list[_Block]] = [[] for _ in parents]
        lines = [p.line for p in parents]  # in file order, so sorted: bisect, not a scan per child
        for c in children:
            owner = bisect.bisect_left(lines, c.line) - 1
            if owner >= 0:
                groups[owner].append(c)
        return groups


# --- the checker --------------------------------------------------------------------------


_NOT_IN_ID = re.compile(r"[/\s]")  # a slash or whitespace (\s: what str.isspace() calls whitespace)


class _Checker:
    def __init__(self, filename: str, positions: _Positions):
        self.filename = filename
        self.pos = positions
        self.problems: list[tuple[int, int, Msg]] = []
        self.warnings: list[tuple[int, int, Msg]] = []

    def at(self, block: _Block, key: str | None) -> tuple[int, int]:
        spot = block.keys.get(key) if key else None  # keys are scanned on each call: once here
        return spot or (block.line, 1)

    def error(self, block: _Block, key: str | None, message: Msg) -> None:
        self.problems.append((*self.at(block, key), message))

    def warn(self, block: _Block, key: str | None, message: Msg) -> None:
        """`message` without the "warning: " prefix, which is added here."""
        self.warnings.append((*self.at(block, key), Msg("plan_file.warning", message=message)))

    def unknown_keys(self, table: dict, allowed: set[str], block: _Block, where: str) -> None:
        for key in table:
            if key not in allowed:
                self.warn(block, key, Msg("plan_file.unknown_key", key=key, where=where))

    # values

    def text(self, table: dict, key: str, block: _Block, *, required: bool = False, what: str = "") -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.error(block, None, Msg("plan_file.text_missing", what=_what(what), key=key))
            return ""
        if not isinstance(value, str):
            self.error(block, key, Msg("plan_file.text_type", key=key, kind=_kind(value)))
            return ""
        if required and not value.strip():
            self.error(block, key, Msg("plan_file.text_empty", what=_what(what), key=key))
        self.no_controls(value, key, block, keep="\t\n\r")  # a detail may run over several lines
        return value.strip()

    def no_controls(self, value: str, key: str, block: _Block, *, keep: str = "") -> bool:
        """Control characters (ESC, BEL, bidi overrides: text.UNSAFE) would steer the terminals and
        documents the text is shown in: an error naming the line, not something to store."""
        bad = first_unsafe(value, keep=keep)
        if bad is None:
            return True
        code = f"U+{ord(bad):04X}"
        self.error(block, key, Msg("plan_file.control_char", key=key, code=code))
        return False

    def ident(self, table: dict, block: _Block, what: str) -> str:
        value = table.get("id")
        if value is None:
            self.error(block, None, Msg("plan_file.no_id", what=_what(what)))
            return ""
        if isinstance(value, bool) or isinstance(value, float):
            self.error(block, "id", Msg("plan_file.id_quotes", value=value))
            return ""
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(block, "id", Msg("plan_file.id_empty", what=_what(what)))
            return ""
        value = value.strip()
        if not self.no_controls(value, "id", block):
            return ""
        if _NOT_IN_ID.search(value):
            self.error(block, "id", Msg("plan_file.id_chars", value=repr(value)))
            return ""
        return value

    def units(self, table: dict, key: str, block: _Block, *, required: bool) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            if required:
                self.error(block, None, Msg("plan_file.units_missing", key=key))
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(block, key, Msg("plan_file.units_type", key=key))
            return ()
        if not all(self.no_controls(v, key, block) for v in value):
            return ()
        names = tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
        if required and not names:
            self.error(block, key, Msg("plan_file.units_empty", key=key))
        return names

    def number(self, table: dict, key: str, block: _Block, *, default: float | None = None, what: str = "") -> float | None:
        value = table.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and math.isnan(value)):
            self.error(block, key, Msg("plan_file.number_type", key=key, value=_show(value)))
            return default
        if not -MAX_NUMBER <= value <= MAX_NUMBER:  # compared as int or float: no overflow, even at 400 digits
            self.error(block, key, Msg("plan_file.number_range", key=key, value=_shown_number(value), limit=_LIMIT))
            return default
        return float(value)

    def whole(self, table: dict, key: str, block: _Block, default: int, *, minimum: int = 0,
              maximum: int = MAX_WHOLE) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.error(block, key, Msg("plan_file.whole_range", key=key,
                                      minimum=minimum, maximum=maximum, value=_shown_number(value)))
            return default
        return value

    def day(self, table: dict, key: str, block: _Block, *, year: int | None = None, default: date | None = None) -> date | None:
        value = table.get(key)
        if value is None:
            return default
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            self.error(block, key, Msg("plan_file.date_type", key=key, value=_show(value)))
            return default
        try:
            return parse_date(value, year=year)
        except DateError as err:
            self.error(block, key, Msg("plan_file.date_unreadable", key=key, error=err.message))
            return default

    def result(self) -> tuple[list[Finding], list[Finding], list[Finding]]:
        """(problems, warnings, both in file order): a refused file shows its warnings too, so that
        one `check` tells the clerk everything to fix."""
        fmt = lambda items: [Finding(self.filename, line, col, message)
                             for line, col, message in sorted(items, key=lambda f: (f[0], f[1]))]
        return fmt(self.problems), fmt(self.warnings), fmt(self.problems + self.warnings)


_KINDS = {bool: "bool", int: "number", float: "number", list: "list", dict: "table", str: "text",
          datetime: "datetime", date: "date", time: "time"}  # every type TOML gives


def _kind(value) -> Msg | str:
    kind = _KINDS.get(type(value))
    return Msg(f"plan_file.kind.{kind}") if kind else type(value).__name__


def _shown_number(value) -> str | Msg:
    """A value as an error quotes it; a huge whole number by its length (repr() of 5,000 digits refuses)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 30:
        if abs(value) < 10 ** 4000:
            return Msg("plan_file.digits", digits=len(str(abs(value))))
        return Msg("plan_file.digits", digits=Msg("plan_file.over_4000"))
    return _show(value)


def _show(value) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "…"


def _tables(value, key: str, c: _Checker, block: _Block) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, toml_chunks.TaskTables):  # each table checked (and parsed) as it comes
        return value
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        if block is c.pos.root:  # a top-level `[task]` written with single brackets: point at it
            block = c.pos.top(key)
        c.error(block, key, Msg("plan_file.tables", key=key))
        return []
    return value


def _default_first_review(earliest: date, every: int) -> date:
    """End of the first even month whose end falls on or after the earliest start."""
    year, month = earliest.year, earliest.month
    while month % 2:
        month += 1
    if month > 12:
        year, month = year + 1, month - 12
    return month_end(year, month)


def parse_plans(text: str, filename: str = "plans.toml") -> PlanSet:
    """Validate a plan file's text; raise PlanFileError listing every problem."""
    positions = _Positions(text)
    if positions.cuts and positions.chunkable:
        # a task's parsed table at a time, not the whole tree at once (toml_chunks says why it is safe)
        try:
            data = toml_chunks.load(text, positions.cuts, tomllib.loads)
            return _check(data, filename, positions)
        except (toml_chunks.NotChunked, tomllib.TOMLDecodeError, RecursionError):
            pass
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line, col = (found.group(1), found.group(2)) if found else (max(1, text.count("\n") + 1), 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise PlanFileError([Finding(filename, int(line), int(col),
                                     Msg("plan_file.toml_syntax", message=toml_message(message)))]) from None
    except ValueError:  # not TOMLDecodeError (caught above): int() refusing a number of more than 4,300 digits
        found = _LONG_NUMBER.search(text)
        if found is None:
            raise
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise PlanFileError([Finding(filename, line, col, Msg("plan_file.long_number", digits=len(found.group()),
                                                              limit=_LIMIT))]) from None
    except RecursionError:  # arrays or inline tables nested hundreds deep: the parser gives no position
        line, col = _deepest(text)
        raise PlanFileError([Finding(filename, line, col, Msg("plan_file.toml_syntax",
                                                              message=Msg("plan_file.nested_too_deep")))]) from None
    return _check(data, filename, positions)


def _deepest(text: str) -> tuple[int, int]:
    """(line, column) where brackets and braces, outside strings and comments, are nested deepest."""
    depth, best, where = 0, 0, (1, 1)
    for number, line, kind in _lines(text, 0, 1):
        if kind != "line":
            continue
        for token in _BRACKETS.finditer(line):
            bracket = token.group()
            if bracket == "#":
                break
            if bracket in "[{":
                depth += 1
                if depth > best:
                    best, where = depth, (number, token.start() + 1)
            elif bracket in "]}":
                depth -= 1
    return where


def _check(data: dict, filename: str, positions: _Positions) -> PlanSet:
    """The parsed document checked against the plan-file format, every problem at its line."""
    c = _Checker(filename, positions)
    root = c.pos.root
    for key in data:
        if key not in TOP_KEYS:
            # `extra = 1` is a root key; `[extra]` / `[[extra]]` / `[extra.sub]` is reported at its header
            c.warn(c.pos.top(key), key, Msg("plan_file.unknown_top_key", key=key))

    schema = data.get("schema", SCHEMA)
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        c.error(root, "schema", Msg("plan_file.schema_type", value=_show(schema)))
    elif schema > SCHEMA:
        c.error(root, "schema", Msg("plan_file.schema_newer", schema=schema, known=SCHEMA))

    # plans
    plans: list[Plan] = []
    seen_plans: dict[str, int] = {}
    for i, table in enumerate(_tables(data.get("plan"), "plan", c, root)):
        block = c.pos.block("plan", i)
        c.unknown_keys(table, PLAN_KEYS, block, "[[plan]]")
        pid = c.ident(table, block, "plan")
        if pid and not PLAN_ID.match(pid):
            c.error(block, "id", Msg("plan_file.plan_id_chars", pid=repr(pid)))
        elif pid in seen_plans:
            c.error(block, "id", Msg("plan_file.plan_duplicate", pid=repr(pid), first=seen_plans[pid]))
        elif pid:
            seen_plans[pid] = block.line
        title = c.text(table, "title", block, required=True, what=f"plan {pid or '?'}")
        start = c.day(table, "start", block)
        end = c.day(table, "end", block)
        if start is None and "start" not in table:
            c.error(block, None, Msg("plan_file.plan_no_start", pid=pid or "?"))
        if end is None and "end" not in table:
            c.error(block, None, Msg("plan_file.plan_no_end", pid=pid or "?"))
        if start and end and end < start:
            c.error(block, "end", Msg("plan_file.plan_end_before_start", end=end, start=start))
        issued = c.day(table, "issued", block)
        if pid and start and end:
            plans.append(Plan(id=pid, title=title, start=start, end=end, issued=issued,
                              doc_number=c.text(table, "doc_number", block),
                              issued_by=c.text(table, "issued_by", block)))
    if not data.get("plan") and not c.problems:
        c.error(root, None, Msg("plan_file.no_plans"))
    plan_by_id = {p.id: p for p in plans}

    # tasks
    tasks: list[Task] = []
    seen_tasks: dict[tuple[str, str], int] = {}
    milestone_blocks = c.pos.child_blocks("task", "milestone")
    indicator_blocks = c.pos.child_blocks("task", "indicator")
    task_tables = _tables(data.get("task"), "task", c, root)
    for i, table in enumerate(task_tables):
        task_tables[i] = None  # let each parsed table go once its Task is made: a big file's peak memory
        block = c.pos.block("task", i)
        c.unknown_keys(table, TASK_KEYS, block, "[[task]]")
        plan_ref = table.get("plan")
        if plan_ref is None and len(seen_plans) == 1:
            plan_ref = next(iter(seen_plans))
        if plan_ref is None:
            c.error(block, None, Msg("plan_file.task_no_plan"))
        elif not isinstance(plan_ref, str) or plan_ref not in seen_plans:
            known = ", ".join(seen_plans) or Msg("plan_file.no_plan_ids")
            c.error(block, "plan", Msg("plan_file.unknown_plan", ref=_show(plan_ref), known=known))
        plan = plan_by_id.get(plan_ref) if isinstance(plan_ref, str) else None
        tid = c.ident(table, block, "task")
        if tid and isinstance(plan_ref, str):
            if (plan_ref, tid) in seen_tasks:
                c.error(block, "id", Msg("plan_file.task_duplicate",
                                         key=f"{plan_ref}/{tid}", first=seen_tasks[(plan_ref, tid)]))
            else:
                seen_tasks[(plan_ref, tid)] = block.line
        title = c.text(table, "title", block, required=True, what=f"task {tid or '?'}")
        lead = c.units(table, "lead", block, required=True)
        responsible = c.units(table, "responsible", block, required=False)
        year = plan.start.year if plan and plan.start.year == plan.end.year else None
        start = c.day(table, "start", block, year=year, default=plan.start if plan else None)
        due = c.day(table, "due", block, year=year, default=plan.end if plan else None)
        if start and due and due < start:
            c.error(block, "due", Msg("plan_file.task_due_before_start", tid=tid or "?", due=due, start=start))
        tags = table.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            c.error(block, "tags", Msg("plan_file.tags_type"))
            tags = []
        section = c.text(table, "section", block)
        detail = table.get("detail", "")
        if not isinstance(detail, str):
            c.error(block, "detail", Msg("plan_file.detail_type"))
            detail = ""

        milestones = _milestones(c, table, milestone_blocks[i] if i < len(milestone_blocks) else [], block, year, start, due)
        indicators = _indicators(c, table, indicator_blocks[i] if i < len(indicator_blocks) else [], block, year, start, due)
        if plan and tid and start and due:
            tasks.append(Task(plan=plan.id, id=tid, title=title, start=start, due=due, lead=lead,
                              responsible=responsible, section=section, detail=detail.strip(),
                              tags=tuple(tags), milestones=milestones, indicators=indicators,
                              position=i))

    office = _office(c, data, plans)
    problems, warnings, everything = c.result()
    if problems:
        raise PlanFileError(problems, everything)
    return PlanSet(office=office, plans=tuple(plans), tasks=tuple(tasks), warnings=tuple(warnings),
                   explicit_reviews=bool(data.get("review")))


def _milestones(c: _Checker, table: dict, blocks: list[_Block], task_block: _Block,
                year: int | None, start: date | None, due: date | None) -> tuple[Milestone, ...]:
    out: list[Milestone] = []
    seen: dict[str, int] = {}
    for j, m in enumerate(_tables(table.get("milestone"), "milestone", c, task_block)):
        block = blocks[j] if j < len(blocks) else task_block
        c.unknown_keys(m, MILESTONE_KEYS, block, "[[task.milestone]]")
        mid = c.ident(m, block, "milestone")
        if mid in seen:
            c.error(block, "id", Msg("plan_file.milestone_duplicate", mid=repr(mid), first=seen[mid]))
            mid = ""
        elif mid:
            seen[mid] = block.line
        title = c.text(m, "title", block, required=True, what=f"milestone {mid or '?'}")
        mdue = c.day(m, "due", block, year=year, default=due)
        if mdue and start and mdue < start:
            c.error(block, "due", Msg("plan_file.milestone_due_before_start", mid=mid or "?", due=mdue, start=start))
        if mid and mdue:
            out.append(Milestone(id=mid, title=title, due=mdue))
    return tuple(out)


def _indicators(c: _Checker, table: dict, blocks: list[_Block], task_block: _Block,
                year: int | None, start: date | None, due: date | None) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    seen: dict[str, int] = {}
    for j, ind in enumerate(_tables(table.get("indicator"), "indicator", c, task_block)):
        block = blocks[j] if j < len(blocks) else task_block
        c.unknown_keys(ind, INDICATOR_KEYS, block, "[[task.indicator]]")
        iid = c.ident(ind, block, "indicator")
        if iid in seen:
            c.error(block, "id", Msg("plan_file.indicator_duplicate", iid=repr(iid), first=seen[iid]))
            iid = ""
        elif iid:
            seen[iid] = block.line
        name = c.text(ind, "name", block) or iid
        unit = c.text(ind, "unit", block)
        baseline = c.number(ind, "baseline", block, default=0.0)
        target = c.number(ind, "target", block)
        if "target" not in ind:
            c.error(block, None, Msg("plan_file.indicator_no_target", iid=iid or "?"))
        elif target is not None and baseline is not None and target == baseline:
            c.error(block, "target", Msg("plan_file.target_is_baseline", iid=iid or "?", target=_num(target)))
        direction = ind.get("direction", "up")
        if direction not in ("up", "down"):
            c.error(block, "direction", Msg("plan_file.direction_value", value=_show(direction)))
            direction = "up"
        elif target is not None and baseline is not None and target != baseline:
            if (direction == "up") != (target > baseline):
                c.warn(block, "target", Msg("plan_file.direction_against_target", iid=iid, direction=direction,
                                           side=Msg("plan_file.side.below" if direction == "up" else "plan_file.side.above")))
        idue = c.day(ind, "due", block, year=year, default=due)
        if idue and start and idue < start:
            c.error(block, "due", Msg("plan_file.indicator_due_before_start", iid=iid or "?", due=idue, start=start))
        checkpoints = _checkpoints(c, ind, block, year, start, idue)
        if iid and target is not None and idue and target != baseline:
            out.append(Indicator(id=iid, name=name, unit=unit, baseline=baseline, target=target,
                                 direction=direction, due=idue, checkpoints=checkpoints))
    return tuple(out)


def _checkpoints(c: _Checker, ind: dict, block: _Block, year: int | None,
                 start: date | None, due: date | None) -> tuple[Checkpoint, ...]:
    raw = ind.get("checkpoints", [])
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        c.error(block, "checkpoints", Msg("plan_file.checkpoints_type"))
        return ()
    out: list[Checkpoint] = []
    # a checkpoint's own problems are reported on the `checkpoints = [` line, not the table header
    where = _CheckpointsLine(block)
    for p in raw:
        on = c.day(p, "on", where, year=year)
        value = c.number(p, "value", where)
        if "on" not in p or "value" not in p:
            c.error(block, "checkpoints", Msg("plan_file.checkpoint_incomplete"))
            continue
        if on and value is not None:
            if (start and on < start) or (due and on > due):
                c.error(block, "checkpoints", Msg("plan_file.checkpoint_outside", on=on, start=start, due=due))
            out.append(Checkpoint(on, value))
    out.sort(key=lambda p: p.on)
    if len({p.on for p in out}) != len(out):
        c.error(block, "checkpoints", Msg("plan_file.checkpoints_same_date"))
    return tuple(out)


def _office(c: _Checker, data: dict, plans: list[Plan]) -> Office:
    raw = data.get("office", {})
    block = (c.pos.blocks.get("office") or [c.pos.root])[0]
    if not isinstance(raw, dict):
        c.error(c.pos.root, "office", Msg("plan_file.office_table"))
        raw = {}
    c.unknown_keys(raw, OFFICE_KEYS, block, "[office]")
    every = c.whole(raw, "review_every_months", block, 2, minimum=1)
    amber_days = c.whole(raw, "amber_days", block, 30)
    stale_days = c.whole(raw, "stale_days", block, 60)
    lag_amber = c.number(raw, "lag_amber", block, default=10.0)
    lag_red = c.number(raw, "lag_red", block, default=30.0)
    if lag_amber is not None and lag_red is not None and lag_red < lag_amber:
        c.error(block, "lag_red", Msg("plan_file.lag_order", red=_num(lag_red), amber=_num(lag_amber)))
    first = c.day(raw, "first_review", block)
    if first is None and plans:
        first = _default_first_review(min(p.start for p in plans), every)
    reviews: list[Review] = []
    for i, r in enumerate(_tables(data.get("review"), "review", c, c.pos.root)):
        rblock = c.pos.block("review", i)
        c.unknown_keys(r, REVIEW_KEYS, rblock, "[[review]]")
        on = c.day(r, "date", rblock)
        if on is None:
            c.error(rblock, None, Msg("plan_file.review_no_date"))
            continue
        reviews.append(Review(on=on, title=c.text(r, "title", rblock)))
    reviews.sort(key=lambda r: r.on)
    name = raw.get("name", "")
    if not isinstance(name, str):
        c.error(block, "name", Msg("plan_file.office_name_type"))
        name = ""
    elif not c.no_controls(name, "name", block):
        name = ""
    return Office(name=name.strip(), review_every_months=every, first_review=first,
                  amber_days=amber_days, stale_days=stale_days,
                  lag_amber=lag_amber if lag_amber is not None else 10.0,
                  lag_red=lag_red if lag_red is not None else 30.0, reviews=tuple(reviews))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _refused(name: str, key: str, line: int = 0, col: int = 0, **params) -> PlanFileError:
    """The file as a whole refused (line 0: it was not read at all)."""
    return PlanFileError([Finding(name, line, col, Msg(f"plan_file.{key}", **params))])


def _read_regular(p: Path, name: str) -> bytes:
    """The plan file's bytes (files.read_regular: a folder, a device, a pipe or a bigger file than
    MAX_BYTES is refused at once, a FIFO with no writer cannot hang it), refusals as PlanFileErrors."""
    try:
        return read_regular(p, MAX_BYTES)
    except FileNotFoundError:
        raise _refused(name, "no_file") from None
    except IsADirectoryError:
        raise _refused(name, "folder") from None
    except PermissionError:
        raise _refused(name, "permission") from None
    except NotRegular:
        raise _refused(name, "not_regular") from None
    except TooBig:
        raise _refused(name, "too_big", limit=f"{MAX_BYTES // (1024 * 1024)} MB") from None
    except OSError as err:
        raise _refused(name, "unreadable", error=os_reason(err)) from None


def load_plan_file(path: str | Path) -> PlanSet:
    """Read a plan file from disk; every way it can fail becomes a PlanFileError line."""
    name = str(path)
    raw = _read_regular(Path(path), name)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        hint: Msg | str = ""
        if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:  # what Chinese-locale Windows editors save as "ANSI"
                raw.decode("gb18030")
                hint = Msg("plan_file.gbk_hint")
            except UnicodeDecodeError:
                pass
        raise _refused(name, "not_utf8", line, col, byte=f"0x{raw[err.start]:02x}", hint=hint) from None
    del raw  # the text is all that is needed now: a big file's bytes would sit beside its parse
    if not text.strip():
        raise _refused(name, "empty", 1, 1)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _refused(name, "nul", line, 1)
    return parse_plans(text, name)
