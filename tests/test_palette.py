"""The command palette's own words follow the interface's language (#16, item 9)."""

from __future__ import annotations

import asyncio

from textual.command import CommandInput, CommandList

from supervise.tui.app import make_app

from test_tui_support import SIZE, TODAY, db, seeded_db  # noqa: F401 - fixtures


def _palette_words(db, lang: str) -> tuple[str, str]:
    async def run():
        app = make_app(db, "plans.toml", TODAY, lang=lang, today=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            palette = app.screen
            placeholder = palette.query_one(CommandInput).placeholder
            await pilot.press(*"qqxqzjv")
            for _ in range(40):  # the palette waits half a second before it says nothing matched
                await asyncio.sleep(0.05)
                options = palette.query_one(CommandList)
                if options.option_count and options.get_option_at_index(options.option_count - 1).disabled:
                    break
            last = options.get_option_at_index(options.option_count - 1)
            return placeholder, str(last.prompt.renderable)

    return asyncio.run(run())


def test_palette_in_chinese(db):
    placeholder, none_found = _palette_words(db, "zh")
    assert placeholder == "搜索命令…"
    assert none_found == "没有找到匹配的命令"


def test_palette_in_english(db):
    placeholder, none_found = _palette_words(db, "en")
    assert placeholder == "Search for commands…"
    assert none_found == "No matches found"
