"""A big plan file parsed one [[task]] at a time, so that its whole TOML tree is never in memory.

tomllib builds the entire document before the first task can be checked: for a 50,000-task
office that tree is about 170 MiB beside the file's text, the largest part of an import's
peak. A plan file is a preamble (schema, office, reviews, plans) followed by [[task]] tables,
and a [[task]] table together with its sub-tables means the same parsed alone as in place.
So each task's own text is parsed when the checker comes to it, and the rest (the preamble,
and tables such as a second [[plan]] written between tasks) together as one text.

This is only ever a shortcut. When the file has another shape (a task's sub-table after some
other table, a `task` key outside the [[task]] tables), or a piece fails to parse, or a piece
is anything but one task table, `NotChunked` is raised and the caller parses the whole text
as usual: syntax errors and odd files always get tomllib's own answer, with its position.
Why pieces that parse mean what the whole file means. The cuts come from plan_file's line
scanner, a heuristic that can take a line inside a multi-line string (or array) for a header.
Every piece between two cuts is parsed on its own, and the first wrong cut in the file ends a
piece that begins where a statement really begins: parsed alone, that piece reads exactly as
the whole file does up to the cut, where it is still inside the string or array, so it fails.
With every cut real, a task's piece holds exactly that task's tables and is read as in place,
and the other tables, parsed together in their order, never refer to `task`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


class NotChunked(Exception):
    """Parse the whole text instead."""


class TaskTables:
    """The [[task]] tables in file order, each parsed when iteration reaches it (one pass)."""

    def __init__(self, text: str, spans: list[tuple[int, int]], loads: Callable[[str], dict]):
        self._text = text
        self._spans = spans
        self._loads = loads

    def __len__(self) -> int:
        return len(self._spans)

    def __bool__(self) -> bool:
        return bool(self._spans)

    def __setitem__(self, index: int, value: None) -> None:
        """The checker lets go of each table once used: these are not held to begin with."""

    def __iter__(self) -> Iterator[dict]:
        for start, end in self._spans:
            try:
                piece = self._loads(self._text[start:end])
            except Exception:  # noqa: BLE001 - whatever tomllib raises, the whole parse answers it
                raise NotChunked from None
            tables = piece.get("task")
            if len(piece) != 1 or not isinstance(tables, list) or len(tables) != 1 or not isinstance(tables[0], dict):
                raise NotChunked
            yield tables[0]


def load(text: str, cuts: list[tuple[int, bool]], loads: Callable[[str], dict]) -> dict:
    """The document as `loads(text)` would give it, with `task` a TaskTables.

    cuts: where header lines begin, in file order: (offset, True) for each `[[task]]`, and
    (offset, False) for the first table of another kind after a task; every other header the
    caller saw is either a task's sub-table (inside a task's piece) or follows another table.
    The rest of the document, the preamble and the tables between tasks (a second [[plan]]),
    is parsed together as one text. Raises NotChunked, or what `loads` raises for that text
    (the caller parses the whole text on either)."""
    if not cuts or not cuts[0][1]:
        raise NotChunked
    ends = [offset for offset, _ in cuts[1:]] + [len(text)]
    preamble = text[: cuts[0][0]]
    others = [text[start:end] for (start, is_task), end in zip(cuts, ends) if not is_task]
    # Each table between tasks must also parse on its own, as the preamble and each task's piece
    # do: only then is every cut proven to stand where a statement begins (the module docstring).
    # Parsed only together, a string opened in one such table could be closed in the next.
    for piece in others:
        loads(piece)
    data = loads(preamble + "".join(others))
    if "task" in data:
        raise NotChunked
    spans = [(start, end) for (start, is_task), end in zip(cuts, ends) if is_task]
    tables = TaskTables(text, spans, loads)
    if not others:
        data["task"] = tables  # the preamble's keys come first in the document, then task
        return data
    # `task` stands where the first [[task]] put it among the top-level keys: after those the
    # preamble defines (they come first in `data` too), before those first defined later
    before = len(loads(preamble))
    keys = list(data)
    return {**{k: data[k] for k in keys[:before]}, "task": tables, **{k: data[k] for k in keys[before:]}}
