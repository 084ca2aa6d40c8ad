"""What every command shares: where the files are, the language, today, and the `supervise` group.

The commands live beside this module by job (plans, progress, reports); each opens the
store, calls the core and prints. Nothing here imports Textual unless the UI is asked for.
"""

from __future__ import annotations

import functools
import math
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import click

from ..collector import paused as paused_collector
from ..dates import DateError, not_yet, parse_date
from ..errors import InputError
from ..i18n import Msg, detect_lang, t

DEFAULT_DB = Path("data") / "supervise.db"


class Ctx:
    """What every command needs: where the files are, the language, and today."""

    def __init__(self, db: str | None, plans: str | None, lang: str | None):
        self.db_option, self.plans_option, self.lang_option = db, plans, lang
        _not_empty(db, plans)

    def merge(self, db: str | None, plans: str | None, lang: str | None) -> None:
        _not_empty(db, plans)
        self.db_option = db or self.db_option
        self.plans_option = plans or self.plans_option
        self.lang_option = lang or self.lang_option

    @property
    def db(self) -> str:
        return self.db_option or os.environ.get("SUPERVISE_DB") or str(DEFAULT_DB)

    @property
    def plans(self) -> str:
        return self.plans_option or os.environ.get("SUPERVISE_PLANS") or "plans.toml"

    @property
    def lang(self) -> str:
        return detect_lang(self.lang_option)

    @property
    def today(self) -> date:
        """The only clock in the program (SUPERVISE_TODAY pins it for tests and demos)."""
        pinned = os.environ.get("SUPERVISE_TODAY")
        if pinned:
            try:
                return date.fromisoformat(pinned)
            except ValueError:
                raise InputError("err.bad_date", detail=Msg("date.today_not_iso", value=repr(pinned))) from None
        return date.today()

    def date(self, value: str | None, option: str) -> date:
        if value is None:
            return self.today
        try:
            return parse_date(value, year=self.today.year, today=self.today)
        except DateError as err:
            raise InputError("err.bad_date", detail=Msg("date.option", option=option, error=err.message)) from None

    def happened(self, value: str | None, option: str) -> date:
        """--on of an entry about something done (tick, record, note, review hold): read as `date`
        reads it, and not after today (dates.not_yet: the UI's and the forms' rule too)."""
        when = self.date(value, option)
        problem = not_yet(when, self.today)
        if problem is not None:
            raise InputError("err.bad_date", detail=Msg("date.option", option=option, error=problem))
        return when

    def optional_date(self, value: str | None, option: str) -> date | None:
        """An option with no default date (--until, the UI's --as-of): None when not given; given empty, it is bad
        input as for every date option (an empty --until made an override without end)."""
        return None if value is None else self.date(value, option)

    @staticmethod
    def out_folder(value: str) -> str:
        """--out of forms and remind: an empty one is a slip (it wrote into the current folder unasked)."""
        if not value.strip():
            raise InputError("err.empty_out_folder")
        return value

    def reply_by(self, value: str | None, issued: date, days: int) -> date:
        """--reply-by as given, else `days` after `issued` (forms, remind); in the last days of 9999
        that is no date: bad input naming --reply-by, not an OverflowError."""
        if value is not None:
            return self.date(value, "--reply-by")
        try:
            return issued + timedelta(days=days)
        except OverflowError:
            raise InputError("err.bad_date", detail=Msg("date.option", option="--reply-by",
                                                        error=Msg("date.year_range", year=issued.year + 1))) from None

    def store(self, *, create: bool = False):
        """The database. Only a command that imports or writes passes create=True: one that only
        reads creates nothing (no file, no folder) and says what to do when there is nothing yet."""
        from ..db.store import BUSY_TIMEOUT, Store

        if not create and no_database_yet(self.db):
            raise InputError("err.no_db", path=self.db)
        return Store.open(self.db, timeout=_busy_timeout(BUSY_TIMEOUT), create=create)

    @property
    def refuse(self) -> tuple:
        """What no output may replace: the database (and companions) and the plans file in use."""
        from ..files import protected

        return protected(self.db, self.plans)

    def write(self, path: str | Path, content) -> Path:
        """Every file a command writes: whole or not at all (files.write_whole)."""
        from ..files import write_whole

        return write_whole(path, content, refuse=self.refuse)

    def say(self, key: str, **params) -> None:
        click.echo(t(self.lang, key, **params))


def _not_empty(db: str | None, plans: str | None) -> None:
    """--db or --plans given empty (`--db "$DB"` with DB unset) is a slip, not the default file: as
    for every option, bad input (an empty --db wrote into data/supervise.db)."""
    for option, value in (("--db", db), ("--plans", plans)):
        if value == "":
            raise InputError("err.empty_path", option=option)


def typed_units(values) -> list[str]:
    """--unit as typed, each once and without the spaces around it (a name pasted from a document,
    a shell variable): forms, remind and status read a unit so, as the log does."""
    return list(dict.fromkeys(v.strip() for v in values))


def no_database_yet(path: str) -> bool:
    """Nothing at `path`, or a regular file of 0 bytes (`touch data/supervise.db`): no database yet,
    for a command that only reads (which says what to do) and for the UI (which imports plans.toml)."""
    if path == ":memory:":
        return False
    try:
        return not os.path.lexists(path) or (os.path.isfile(path) and os.path.getsize(path) == 0)
    except OSError:
        return False


def _busy_timeout(default: float) -> float:
    """How long to wait for a database another program is writing: $SUPERVISE_BUSY_TIMEOUT seconds, if set."""
    try:
        seconds = float(os.environ.get("SUPERVISE_BUSY_TIMEOUT") or default)
    except ValueError:
        return default
    if not 0 <= seconds < math.inf:  # negative, infinite or not a number: no usable wait
        return default
    return min(seconds, LONGEST_WAIT)


LONGEST_WAIT = (2**31 - 1) / 1000  # seconds: SQLite keeps the wait in milliseconds in an int (a longer one reads as 0)


def load_plan_file(path: str):
    """Read a plans file: plan_file (and tomllib) load only for the commands that read one, not for `status`."""
    from ..planfile.loader import load_plan_file as load

    return load(path)


class _NeverRaised(Exception):
    pass


def _plan_file_error() -> type[Exception]:
    """PlanFileError, if plan_file was loaded at all (if not, nothing can have raised it)."""
    module = sys.modules.get("supervise.planfile.loader")
    return module.PlanFileError if module else _NeverRaised


def _without_gc(f):
    """For commands that build many small acyclic objects (the status of 10,000 tasks, a parsed
    plan file, a ledger's cells): collector.paused() says why (at 50,000 tasks: import 15.1 ->
    14.0 s, ledger 38.4 -> 31.7 s, same RSS)."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        with paused_collector():
            return f(*args, **kwargs)

    return wrapper


def _common(f):
    """--db/--plans/--lang are accepted after the command as well as before it."""

    @click.option("--db", "db_", hidden=True, type=click.Path(dir_okay=False))
    @click.option("--plans", "plans_", hidden=True, type=click.Path())
    @click.option("--lang", "lang_", hidden=True, type=click.Choice(["zh", "en"]))
    @click.pass_obj
    @functools.wraps(f)
    def wrapper(ctx: Ctx, db_, plans_, lang_, **kwargs):
        ctx.merge(db_, plans_, lang_)
        return f(ctx, **kwargs)

    return wrapper


# --- help in the interface's language ---------------------------------------------------------
#
# click takes help strings when the commands are declared; these classes look them up in the
# catalogue (i18n/help.py) when help is shown instead, by the command's path and the language of
# this run (--lang anywhere on the command line, else $SUPERVISE_LANG, else $LANG). The English
# given in the decorators is only the fallback for a text the catalogue lacks (a test requires none).


def peek_lang(args) -> str | None:
    """--lang's value from a command line, wherever it stands (help is shown before it is parsed)."""
    args = list(args)
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None


def help_lang(click_ctx: click.Context) -> str:
    return detect_lang(click_ctx.find_root().meta.get("supervise.lang"))


def _path(click_ctx: click.Context) -> list[str]:
    names = []
    while click_ctx.parent is not None:
        names.append(click_ctx.command.name)
        click_ctx = click_ctx.parent
    return names[::-1]


def _key(kind: str, path: list[str], name: str | None = None) -> str:
    return ".".join([kind, *(path or ["supervise"]), *([name] if name else [])])


def _words(lang: str, *keys: str) -> str | None:
    """The first of `keys` the catalogue has, in `lang`."""
    from ..i18n import CATALOGUE

    for key in keys:
        if key in CATALOGUE:
            return t(lang, key)
    return None


# A parameter's name says what completes it (a TASK argument anywhere, --unit anywhere): one home.
def complete_task(click_ctx, param, incomplete: str):
    """Task ids from the database (full plan/task ids, and bare ids), read-only: never created."""
    from click.shell_completion import CompletionItem

    from ..db.store import Store

    found = Store.peek_names(_completion_db(click_ctx), "tasks")
    return [CompletionItem(ref, help=title) for ref, title in found if ref.startswith(incomplete)]


def complete_unit(click_ctx, param, incomplete: str):
    """Unit names (牵头单位, 责任单位) from the database, read-only."""
    from click.shell_completion import CompletionItem

    from ..db.store import Store

    found = Store.peek_names(_completion_db(click_ctx), "units")
    return [CompletionItem(name) for name, _ in found if name.startswith(incomplete)]


def _completion_db(click_ctx: click.Context) -> str:
    """The database the command line names so far: --db after the command, before it, else the default."""
    root = click_ctx.find_root()
    obj = root.obj if isinstance(root.obj, Ctx) else None
    return (click_ctx.params.get("db_") or (obj.db if obj else None) or root.params.get("db")
            or os.environ.get("SUPERVISE_DB") or str(DEFAULT_DB))


def completer_for(param: click.Parameter):
    """What completes a parameter: a task (a TASK argument, --task) or a unit (--unit), whatever the
    Python name it is given (show's TASK and log's --task are `task_ref`)."""
    if "--unit" in param.opts or param.name == "unit":
        return complete_unit
    if "--task" in param.opts or param.name == "task" or (isinstance(param, click.Argument) and param.metavar == "TASK"):
        return complete_task
    return None


# click's English in an option's help line -> the catalogue key that says it (English as click writes it)
_CLICK_EXTRAS = (("[default: ", "click.default"), ("; default: ", "click.default_after"), ("required]", "click.required"))


class LocalisedCommand(click.Command):
    """A command whose help, summary, option help and metavars come from the catalogue."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("context_settings", {}).setdefault("help_option_names", ["-h", "--help"])
        super().__init__(*args, **kwargs)
        for param in self.params:
            completer = completer_for(param)
            if completer is not None and getattr(param, "_custom_shell_complete", None) is None:
                # click keeps the shell_complete= callback here; set for every TASK / --unit at once
                param._custom_shell_complete = completer

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        meta = ctx.find_root().meta
        if meta.get("supervise.lang") is None:
            meta["supervise.lang"] = peek_lang(args)
        return super().parse_args(ctx, args)

    def localised_help(self, ctx: click.Context, path: list[str] | None = None) -> str:
        path = _path(ctx) if path is None else path
        return _words(help_lang(ctx), _key("help.cmd", path)) or (self.help or "")

    def summary(self, ctx: click.Context, path: list[str]) -> str:
        """The first paragraph, whole: never cut with "..." (a Chinese summary is short anyway)."""
        text = _words(help_lang(ctx), _key("help.cmd", path)) or self.short_help or self.help or ""
        return " ".join(text.split("\n\n")[0].split())

    def get_short_help_str(self, limit: int = 45) -> str:
        return " ".join((self.short_help or self.help or "").split("\n\n")[0].split())

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        lang = help_lang(ctx)
        pieces = [t(lang, "help.usage_options")]
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t(help_lang(ctx), "help.usage"))

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = self.localised_help(ctx)
        if text:
            width = max(20, formatter.width - formatter.current_indent - 2)
            for paragraph in inspect_cleandoc(text).split("\n\n"):
                formatter.write("\n")
                for line in _wrap(" ".join(paragraph.split()), width):
                    formatter.write(f"{'':>{formatter.current_indent + 2}}{line}\n")

    def option_record(self, ctx: click.Context, param: click.Parameter) -> tuple[str, str] | None:
        """(the option's spelling with its metavar, its help) in the language of this run."""
        if not isinstance(param, click.Option) or param.hidden:
            return None
        lang, path = help_lang(ctx), _path(ctx)
        saved = param.help, param.metavar
        # click's own help option is named "help" up to click 8.4 and "_click_default_help" from 8.5
        name = "help" if "--help" in param.opts and param.is_eager and not param.expose_value else param.name
        param.help = _words(lang, _key("help.opt", path, name), f"help.opt.{name}") or param.help
        metavar = _words(lang, f"metavar.{param.name}")
        if metavar is not None and not param.is_flag:
            param.metavar = metavar
        try:
            record = param.get_help_record(ctx)
        finally:
            param.help, param.metavar = saved
        if record is None:
            return None
        names, text = record
        # click's own bracketed extras ([default: table], [required]) in the catalogue's words
        for english, key in _CLICK_EXTRAS:
            text = text.replace(english, t(lang, key))
        return names, text

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [r for r in (self.option_record(ctx, p) for p in self.get_params(ctx)) if r]
        _section(formatter, t(help_lang(ctx), "help.options"), rows)


class OutputClosed(Exception):
    """Standard output's reader went away (`supervise status | head` once head has its lines): no
    fault of ours, so no message, and the exit status the command would have had (`--fail-on`'s
    answer, else 0). Not an OSError, so click's main does not turn it into its own exit 1."""

    def __init__(self, exit_code: int = 0) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


class LocalisedGroup(LocalisedCommand, click.Group):
    """The `supervise` group and its sub-groups (review, export): the same, plus the command list."""

    command_class = LocalisedCommand
    group_class = type  # sub-groups are LocalisedGroups too

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError as e:  # click's main would exit 1 on it, --fail-on's status
            raise OutputClosed() from e

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), t(help_lang(ctx), "help.usage_command")]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = _path(ctx)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            if isinstance(command, LocalisedCommand):
                rows.append((name, command.summary(ctx, [*path, name])))
            else:
                rows.append((name, command.get_short_help_str(1000)))
        _section(formatter, t(help_lang(ctx), "help.commands"), rows)


def _section(formatter: click.HelpFormatter, title: str, rows: list[tuple[str, str]]) -> None:
    """A titled two-column list, aligned and wrapped by terminal cells (a Chinese character is two)
    where click counts characters."""
    from rich.cells import cell_len

    if not rows:
        return
    indent = formatter.current_indent + 2
    first = min(30, max(cell_len(name) for name, _ in rows) + 2)
    width = max(20, formatter.width - indent - first)
    formatter.write(f"\n{'':>{formatter.current_indent}}{title}\n")
    for name, text in rows:
        lines = _wrap(" ".join(text.split()), width) or [""]
        if cell_len(name) + 2 > first:  # too long for the column: the help starts on the next line
            formatter.write(f"{'':>{indent}}{name}\n")
        else:
            formatter.write(f"{'':>{indent}}{name}{' ' * (first - cell_len(name))}{lines.pop(0)}\n")
        for line in lines:
            formatter.write(f"{'':>{indent + first}}{line}\n")


_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+|\s+")


_NO_LINE_START = set("，。、；：）》」』！？…,.;:)")  # punctuation that never starts a line (禁则)


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by terminal cells: between words, and between any two Chinese characters."""
    from rich.cells import cell_len

    lines, line = [], ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            line += " " if line else ""
            continue
        if line.strip() and cell_len(line + token) > width and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def inspect_cleandoc(text: str) -> str:
    import inspect

    return inspect.cleandoc(text)


@click.group(cls=LocalisedGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), help="Database file (default $SUPERVISE_DB or data/supervise.db).")
@click.option("--plans", type=click.Path(), help="Plan file (default $SUPERVISE_PLANS or plans.toml).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Interface language (default $SUPERVISE_LANG, then $LANG).")
@click.option("--as-of", "as_of", help="Open the UI as of this date (time travel).")
@click.version_option(None, "-V", "--version", package_name="supervise", message="%(prog)s %(version)s")  # no English word
@click.pass_context
def cli(click_ctx: click.Context, db, plans, lang, as_of) -> None:
    """Follow up an action plan: tasks, milestones, indicators, red/amber/green and review briefings.

    With no command, opens the terminal UI.
    """
    click_ctx.obj = Ctx(db, plans, lang)
    if click_ctx.invoked_subcommand is None:
        _open_ui(click_ctx.obj, as_of)


def _open_ui(ctx: Ctx, as_of: str | None) -> None:
    """The UI on the database, importing the plans file first when there is nothing in it yet.

    In a folder with neither (a first run) it says what to do and creates nothing."""
    when = ctx.optional_date(as_of, "--as-of")
    if not _has_plans(ctx):
        if not os.path.lexists(ctx.plans):
            raise InputError("err.first_run", plans=ctx.plans)
        planset = load_plan_file(ctx.plans)  # a bad file is refused before any database is made
        with ctx.store(create=True) as store:
            if not store.has_plans():
                store.import_plans(planset, ctx.today, source=ctx.plans)
    from ..db.store import BUSY_TIMEOUT
    from ..tui.app import make_app

    make_app(ctx.db, ctx.plans, when, lang=ctx.lang, today=ctx.today, busy_timeout=_busy_timeout(BUSY_TIMEOUT)).run()


def _has_plans(ctx: Ctx) -> bool:
    if no_database_yet(ctx.db):
        return False
    with ctx.store() as store:
        return store.has_plans()


# --- click's usage errors in the interface language ------------------------------------------------

_CHOICE_MESSAGE = re.compile(r"(?P<value>'.*'|\".*\") is not (?:one of )?(?P<choices>.*)\.", re.S)
_EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra arguments? \((?P<args>.*)\)", re.S)
_NEEDS_VALUE = re.compile(r"Option (?P<name>'.*') requires an argument\.", re.S)
_PATH_MESSAGE = re.compile(r"(?P<kind>File|Directory|Path) (?P<name>'.*') (?P<what>does not exist|is a file|is a directory"
                           r"|is not readable|is not writable|is not executable)\.", re.S)


def usage_words(err: click.UsageError, lang: str) -> str:
    """A usage error (one line, exit 2) in the interface language. The shapes the commands meet —
    an unknown option or command, a missing argument or option, a value not among the choices, an
    option without its value, an extra argument — are said from the catalogue (click.*), whose
    English is click's own (tests/test_i18n.py holds them equal); any other in click's words."""
    said = _usage_words(err, lang)
    return err.format_message() if said is None else said


def _usage_words(err: click.UsageError, lang: str) -> str | None:
    no_such_command = getattr(click.exceptions, "NoSuchCommand", None)  # click 8.2 and later
    if isinstance(err, click.NoSuchOption) or (no_such_command is not None and isinstance(err, no_such_command)):
        if isinstance(err, click.NoSuchOption):
            said = t(lang, "click.no_such_option", name=repr(err.option_name))
        else:
            said = t(lang, "click.no_such_command", name=repr(err.command_name))  # type: ignore[attr-defined]
        possible = sorted(getattr(err, "possibilities", None) or ())
        if possible:
            key = "click.did_you_mean" if len(possible) == 1 else "click.did_you_mean_one_of"
            said += t(lang, key, names=t(lang, "layout.enum").join(map(repr, possible)))
        return said
    if isinstance(err, click.BadParameter):
        hint = err.param_hint if err.param_hint is not None else err.param.get_error_hint(err.ctx) if err.param else None
        if hint is not None and not isinstance(hint, str):
            hint = " / ".join(repr(x) for x in hint)
        if not hint:
            return None
        if isinstance(err, click.MissingParameter):
            kind = err.param_type or (err.param.param_type_name if err.param else None)
            if err.message or kind not in ("argument", "option") or (err.param and isinstance(err.param.type, click.Choice)):
                return None
            return t(lang, f"click.missing_{kind}", name=hint)
        if err.param is None:
            return None
        choice, path = _CHOICE_MESSAGE.fullmatch(err.message), _PATH_MESSAGE.fullmatch(err.message)
        if choice is not None and isinstance(err.param.type, click.Choice):
            choices = [repr(c) for c in err.param.type.choices]
            key = "click.not_one_of" if len(choices) > 1 else "click.not_the_choice"
            message = t(lang, key, value=choice["value"], choices=t(lang, "layout.enum").join(choices))
        elif path is not None and isinstance(err.param.type, click.Path):
            message = t(lang, "click.path." + path["what"].replace(" ", "_"), name=path["name"],
                        kind=Msg("click.kind." + path["kind"].lower()))
        else:
            return None
        return t(lang, "click.invalid_value", name=hint, message=message)
    found = _NEEDS_VALUE.fullmatch(err.message)
    if found is not None:
        return t(lang, "click.needs_value", name=found["name"])
    found = _EXTRA_ARGUMENTS.fullmatch(err.message)
    if found is not None:
        plural = err.message.startswith("Got unexpected extra arguments")
        return t(lang, "click.extra_arguments" if plural else "click.extra_argument", args=found["args"])
    return None
