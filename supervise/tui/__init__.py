"""The terminal UI (Textual): `supervise.tui.app.make_app` is its one entry point."""
