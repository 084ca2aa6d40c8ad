"""Progress bars for work that takes more than a second (import, ledger, and whoever needs one).

On standard error, and only when it is a terminal; silent otherwise (cron, pipes, tests). The bar
appears after DELAY seconds, so quick runs show nothing, and is wiped when the work ends.

    with Meter(ctx.lang) as meter:
        meter.phase("progress.import")             # a phase of unknown length: a pulsing bar
        ...
        meter.phase("progress.ledger", total=n)    # then counted work
        build(..., progress=meter)                 # the core calls progress(done, total)
"""

from __future__ import annotations

import sys
import threading

from ..i18n import t

DELAY = 1.0  # seconds of work before a bar is worth showing


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


class Meter:
    def __init__(self, lang: str):
        self.lang = lang
        self.on = _is_terminal()
        self._progress = None
        self._task = None
        self._timer: threading.Timer | None = None

    def __enter__(self) -> "Meter":
        if self.on:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=_stderr_console(), transient=True)
            self._task = self._progress.add_task("", total=None)
            if DELAY <= 0:
                self._progress.start()
            else:  # shown only if the work is still going on by then
                self._timer = threading.Timer(DELAY, self._progress.start)
                self._timer.daemon = True
                self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
        if self._progress is not None and self._progress.live.is_started:
            self._progress.stop()

    def phase(self, key: str, total: int | None = None) -> None:
        """A new stage of the work, named by a catalogue key; `total` if it can be counted."""
        if self._progress is not None:
            self._progress.update(self._task, description=t(self.lang, key), total=total, completed=0)

    def __call__(self, done: int, total: int | None = None) -> None:
        """The callback the core takes: `done` of `total` so far."""
        if self._progress is not None:
            self._progress.update(self._task, completed=done, **({"total": total} if total is not None else {}))
