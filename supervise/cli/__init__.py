"""The scripted face (shared/spec/cli.md): each command opens the store, calls the core, prints.

Domain errors become one line on stderr with the spec's exit status (main, below), decided by
the exception's type alone: the store raises StoreError (exit 3) for a damaged database where it
reads it, so nothing here looks into tracebacks. The commands are registered by importing their
modules: plans, progress, reports.
"""

from __future__ import annotations

import os
import sqlite3
import sys

import click

from .. import files
from ..dates import DateError
from ..errors import SuperviseError
from ..i18n import detect_lang, sqlite_reason, t
from ..text import visible
from . import office, plans, progress, remind, reports, show, start, units  # noqa: F401  (registers the commands)
from .base import Ctx, OutputClosed, _plan_file_error, cli, usage_words
from .base import peek_lang as _peek_lang

__all__ = ["Ctx", "cli", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every domain error is one line on stderr and the spec's exit status."""
    if argv is None:  # the process's own command line (the console script, python -m supervise)
        _leave_when_done(lambda: main(sys.argv[1:]))
        return
    args = argv
    lang = detect_lang(_peek_lang(args))
    _tolerant_output()
    for arg in args:
        if not _is_text(arg):  # bytes the terminal could not decode (a GBK terminal, say): refuse, don't store them
            shown = arg.encode("utf-8", "backslashreplace").decode()
            click.echo(f"supervise: {_one_line(t(lang, 'text.argument_not_utf8', arg=shown))}", err=True)
            sys.exit(2)
    try:
        try:
            cli.main(args=argv, prog_name="supervise", standalone_mode=False)
        finally:
            sys.stdout.flush()  # a full disk behind `> file` shows here: inside the handlers below, not at exit
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.UsageError as e:  # unknown command, bad option or choice: one line, exit 2
        no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)  # click 8.2+: a group without its command
        if no_args is not None and isinstance(e, no_args) and e.ctx is not None:
            click.echo(e.ctx.get_help(), err=True)  # the help as help, on its own lines; still exit 2
            sys.exit(2)
        where = e.ctx.command_path if e.ctx is not None else "supervise"
        click.echo(f"supervise: {_one_line(usage_words(e, lang))} ({where} --help)", err=True)
        sys.exit(2)
    except click.ClickException as e:
        click.echo(f"supervise: {_one_line(e.format_message())}", err=True)
        sys.exit(2 if e.exit_code in (1, 2) else e.exit_code)
    except click.Abort:
        click.echo(t(lang, "cli.aborted"), err=True)
        sys.exit(130)
    except _plan_file_error() as e:
        for line in e.lines(lang):
            click.echo(_one_line(line), err=True)
        sys.exit(2)
    except SuperviseError as e:
        if e.exit_code == 0:  # nothing to do, and that is fine (a tick that was already there)
            click.echo(_one_line(e.render(lang)))
            sys.exit(0)
        click.echo(f"supervise: {_one_line(e.render(lang))}", err=True)
        sys.exit(e.exit_code)
    except DateError as e:
        click.echo(f"supervise: {_one_line(e.words(lang))}", err=True)
        sys.exit(2)
    except sqlite3.Error as e:
        click.echo(f"supervise: {_one_line(t(lang, 'cli.database_error', error=sqlite_reason(e)))}", err=True)
        sys.exit(3)
    except BrokenPipeError:
        _drop_stdout()
        sys.exit(0)
    except OutputClosed as e:
        _drop_stdout()
        sys.exit(e.exit_code)
    except OSError as e:  # a full disk (standard output too), a permission: the spec's status, one line
        _drop_stdout()
        err = files.error(e.filename if isinstance(e.filename, str) else "output", e)
        click.echo(f"supervise: {_one_line(err.render(lang))}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except UnicodeError as e:  # standard input (or a file) in another encoding (the database's own text: StoreError)
        click.echo(f"supervise: {_one_line(t(lang, 'text.not_utf8', reason=e.reason))}", err=True)
        sys.exit(2)
    except Exception as e:  # a bug: still one line, no traceback (a database that makes no sense is a StoreError)
        if os.environ.get("SUPERVISE_DEBUG"):
            raise
        click.echo(f"supervise: {_one_line(t(lang, 'cli.internal_error', error=f'{type(e).__name__}: {e}'))}", err=True)
        sys.exit(INTERNAL_ERROR)


def _leave_when_done(run) -> None:
    """Run, flush, and end the process at once: what Python would do next is free every object
    (10,000 tasks' statuses) one by one and run no handler of ours. Not after the UI (Textual
    tidies up at exit), nor when a flush fails (Python's own exit then reports it as it always has)."""
    try:
        run()
        code = 0
    except SystemExit as e:
        if not isinstance(e.code, int) or "textual" in sys.modules:
            raise
        code = e.code
    if "textual" in sys.modules:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


def _drop_stdout() -> None:
    """What standard output still holds can never be written: send it nowhere, so Python's own
    flush at exit does not fail again with a second message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file behind it (a test's capture)
        pass


def _is_text(arg: str) -> bool:
    try:
        arg.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _tolerant_output() -> None:
    """A terminal or pipe in GBK (or ASCII) cannot show every character: show an escape, never crash midway."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding and encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


INTERNAL_ERROR = 70  # EX_SOFTWARE: not the user's input, not the database; a bug to report


def _one_line(text: str) -> str:
    """Error text can quote user input: control characters (ANSI escapes, bidi overrides) made visible."""
    return visible(str(text).replace("\r\n", " ").replace("\n", " "))
