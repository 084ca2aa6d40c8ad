"""The keys, in one table: bindings, the help screen and the command palette all read it.

Descriptions are catalogue keys (`ui.key.<id>`), put into the user's language
when a screen is created, so the footer speaks Chinese or English.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.binding import Binding

from ..i18n import t


@dataclass(frozen=True)
class Key:
    id: str  # catalogue key ui.key.<id>, also the binding id
    key: str  # Textual key name(s)
    display: str  # what the help screen shows
    action: str  # action on the owner
    owner: str  # "app", "board" or "review" (the screen whose binding it is)
    footer: bool = True


KEYS: tuple[Key, ...] = (
    Key("search", "slash", "/", "search", "board"),
    Key("tick", "space", "space", "tick", "board"),
    Key("tick_on", "t", "t", "tick_on", "board", footer=False),
    Key("note", "n", "n", "note", "board"),
    Key("record", "v", "v", "record", "board"),
    Key("override", "o", "o", "override", "board"),
    Key("filter", "f", "f", "filter", "board"),
    Key("clear", "x", "x", "clear_filters", "board", footer=False),
    Key("sort", "s", "s", "sort", "board", footer=False),
    Key("tree", "b", "b", "toggle_tree", "board", footer=False),
    Key("history", "h", "h", "history", "board", footer=False),
    Key("board", "g", "g", "show('board')", "app", footer=False),
    Key("review", "r", "r", "show('review')", "app"),
    Key("departments", "u", "u", "show('departments')", "app"),
    Key("timeline", "l", "l", "show('timeline')", "app"),
    Key("as_of", "d", "d", "as_of", "app"),
    Key("review_group", "s", "s", "group", "review"),
    Key("hold_review", "m", "m", "hold_review", "app", footer=False),
    Key("export", "e", "e", "export", "app", footer=False),
    Key("export_ledger", "E", "E", "export_ledger", "app", footer=False),
    Key("collect", "c", "c", "collect", "app", footer=False),
    Key("undo", "ctrl+z", "ctrl+z", "undo", "app", footer=False),
    Key("reload", "ctrl+r", "ctrl+r", "reload", "app", footer=False),
    Key("help", "question_mark", "?", "help", "app"),
    Key("quit", "q", "q", "quit", "app"),
    Key("palette", "ctrl+p", "ctrl+p", "command_palette", "app"),
)

# shown in help only: keys that Textual or a widget already provides
EXTRA_HELP: tuple[tuple[str, str], ...] = (
    ("enter", "ui.key.enter"),
    ("escape", "ui.key.escape"),
    ("tab", "ui.key.tab"),
    ("↑ ↓ pgup pgdn", "ui.key.move"),
    ("ctrl+s", "ui.key.save"),
)


def bindings(owner: str) -> list[Binding]:
    return [Binding(k.key, k.action, k.id, show=k.footer, id=f"supervise.{k.id}") for k in KEYS if k.owner == owner]


def localize(node, lang: str) -> None:
    """Put this node's binding descriptions into the user's language (its own copy of the map)."""
    by_id = {f"supervise.{k.id}": k for k in KEYS}
    table = node._bindings.key_to_bindings
    for key, items in list(table.items()):
        table[key] = [replace(b, description=t(lang, f"ui.key.{by_id[b.id].id}")) if b.id in by_id
                      else b for b in items]
