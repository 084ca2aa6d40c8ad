"""The command palette in the interface's language: Textual writes "Search for commands…" and
"No matches found" in English; both come from the catalogue here."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from ..i18n import t


class LocalisedPalette(CommandPalette):
    def __init__(self, lang: str, **kwargs):
        super().__init__(placeholder=t(lang, "ui.palette.placeholder"), **kwargs)
        self.lang = lang

    def on_mount(self) -> None:
        # Textual adds its "No matches found" line as an option with a known id and an English
        # prompt; the list is asked to add it, so the list is where the words are changed.
        command_list = self.query_one(CommandList)
        add_option = command_list.add_option
        none_found = self._NO_MATCHES
        lang = self.lang

        def localised(item=None):
            if isinstance(item, Option) and item.id == none_found:
                item = Option(Align.center(Text(t(lang, "ui.palette.no_matches"), style="not bold")),
                              disabled=True, id=none_found)
            return add_option(item)

        command_list.add_option = localised
