"""Shared fixtures: a temporary database, the bundled plans.toml, and ways to run the CLI.

Error handling (exit statuses, one-line messages) lives in ``supervise.cli.main()``,
not in the click group, so every helper here goes through ``main``:

* ``invoke([...])`` runs ``main(args)`` in-process under click's CliRunner (fast);
* ``run_cli([...])`` runs ``python -m supervise ...`` as a real process (end to end).

Both pin ``SUPERVISE_TODAY=2021-10-31`` and ``SUPERVISE_LANG=en`` and clear
``SUPERVISE_DB`` / ``SUPERVISE_PLANS`` unless the test passes its own ``env``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from supervise.cli import main

REPO = Path(__file__).resolve().parents[1]
BUNDLED_PLANS = REPO / "plans.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = "2021-10-31"

BASE_ENV = {
    "SUPERVISE_TODAY": TODAY,
    "SUPERVISE_LANG": "en",
    "LANG": "C.UTF-8",
    "SUPERVISE_DB": None,
    "SUPERVISE_PLANS": None,
}


@dataclass
class Outcome:
    """What one run of the CLI did: exit status, standard output and standard error."""

    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def __repr__(self) -> str:  # shown by pytest when an assert fails
        return f"Outcome(exit={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r}, exc={self.exception!r})"


def _merged_env(env: dict | None) -> dict:
    merged = dict(BASE_ENV)
    merged.update(env or {})
    return merged


def invoke_main(runner: CliRunner, args: list[str], env: dict | None = None, input: str | None = None) -> Outcome:
    """Run ``supervise.cli.main(args)`` in-process; SystemExit becomes the exit status."""
    args = [str(a) for a in args]
    command = click.Command("supervise-main", callback=lambda: main(list(args)))
    result = runner.invoke(command, [], env=_merged_env(env), input=input, catch_exceptions=True)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        # An exception that escaped main() would be a traceback for the user: fail loudly.
        import traceback

        detail = "".join(traceback.format_exception(*result.exc_info))
        raise AssertionError(f"supervise {' '.join(args)} raised instead of exiting:\n{detail}")
    return Outcome(result.exit_code, result.stdout, result.stderr, exc)


def run_cli(args: list[str], env: dict | None = None, cwd: str | Path | None = None,
            input: str | None = None, timeout: float = 60) -> Outcome:
    """Run ``python -m supervise ARGS`` as its own process."""
    full_env = dict(os.environ)
    for key, value in _merged_env(env).items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), full_env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-m", "supervise", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=full_env, cwd=cwd, input=input, timeout=timeout)
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """invoke(args, env=None, input=None) -> Outcome, through supervise.cli.main."""

    def _invoke(args, env: dict | None = None, input: str | None = None) -> Outcome:
        return invoke_main(runner, list(args), env=env, input=input)

    return _invoke


@pytest.fixture
def tmp_db(tmp_path) -> Path:
    """Where a test's database goes (not created): <tmp>/data/supervise.db."""
    return tmp_path / "data" / "supervise.db"


@pytest.fixture(scope="session")
def bundled_plans() -> Path:
    assert BUNDLED_PLANS.is_file(), BUNDLED_PLANS
    return BUNDLED_PLANS


# --- looking at a database from the outside --------------------------------------------------


def db_dump(path: Path) -> str:
    """Every row of every table, as SQL text: equal dumps mean nothing was written."""
    if not Path(path).exists():
        return "<absent>"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def db_fingerprint(path: Path) -> tuple[str, str]:
    """(sha256 of the file's bytes, SQL dump): both must be unchanged by a refused or no-op import."""
    p = Path(path)
    digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "<absent>"
    return digest, db_dump(p)


def db_rows(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def event_count(path: Path) -> int:
    return db_rows(path, "SELECT count(*) FROM events")[0][0]


def downgrade_to_schema_1(path) -> None:
    """Make a database look as schema 1 left it (before the m002 views): what a migration meets."""
    conn = sqlite3.connect(path)
    for view in ("tasks_live", "latest_values", "notes_by_task"):
        conn.execute(f"DROP VIEW {view}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_views'")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def bundled_template(folder: Path) -> Path:
    """folder/template.db: the bundled plans imported as of 2021-10-31, with one note; the database
    the fault, file and read-only tests copy for each test."""
    from datetime import date

    from supervise.db.store import Store
    from supervise.planfile.loader import load_plan_file

    path = folder / "template.db"
    today = date.fromisoformat(TODAY)
    with Store.open(path) as store:
        store.import_plans(load_plan_file(BUNDLED_PLANS), today, source="plans.toml")
        store.add_note("sy-2021/1.1", "an earlier note", today)
    return path
