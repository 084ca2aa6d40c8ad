"""The command palette (ctrl+p): every action of the key table, by name, in the user's language."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..i18n import t
from .keys import KEYS


class SuperviseCommands(Provider):
    """Offers each action by its name (and its key, as help)."""

    def _commands(self):
        app = self.app
        lang = getattr(app, "lang", "en")
        for k in KEYS:
            if k.id == "palette":
                continue
            name = t(lang, f"ui.help.{k.id}")
            help_text = t(lang, "ui.palette.key", keys=k.display)
            yield name, help_text, partial(app.run_key_action, k)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
