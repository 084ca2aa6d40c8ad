"""The shape of the program: a pure core that never loads the UI, one schema version, exit 3 for bad databases."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, db_fingerprint, run_cli

def _core_modules() -> list[str]:
    """The core, as pyproject.toml's import-linter contract lists it: the one list (not kept here too)."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "forbidden"]
    return list(contract["source_modules"])


CORE = _core_modules()


def _python(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=60)


def _present(modules: list[str]) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is not None]


def test_import_linter_contract_is_kept():
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed")
    proc = subprocess.run([exe, "--no-cache"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_core_modules_load_no_terminal_libraries():
    modules = _present(CORE)
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'click'))\n"
            "print(','.join(bad))")
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"the core imported {proc.stdout.strip()}"


def test_cli_and_its_status_path_do_not_load_textual():
    modules = _present(CORE) + ["supervise.cli", "supervise.formats"]
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "from supervise.cli import main\nfrom supervise.cli.reports import status\n"
            "print('textual' in sys.modules)")
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def _imported(importtime_stderr: str) -> set[str]:
    """Module names from `python -X importtime` output ('import time: self | cumulative | name')."""
    names = set()
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_status_json_process_does_not_import_textual(tmp_path, bundled_plans):
    db = tmp_path / "x.db"
    assert run_cli(["--db", db, "import", bundled_plans]).exit_code == 0
    env = dict(os.environ, SUPERVISE_TODAY="2021-10-31", SUPERVISE_LANG="en",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "supervise", "--db", str(db), "status",
                           "--format", "json"], capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(json.loads(proc.stdout)["tasks"]) == 35
    modules = _imported(proc.stderr)
    assert "supervise.cli" in modules, "importtime output was not captured"
    textual = sorted(m for m in modules if m == "textual" or m.startswith("textual."))
    assert textual == [], f"status --format json imported {textual[:5]}"


def test_schema_version_matches_the_migrations():
    from supervise.db import schema, store

    assert store.SCHEMA_VERSION == schema.SCHEMA_VERSION == len(schema.MIGRATION_NAMES)
    assert schema.SCHEMA_VERSION >= 1


def test_new_database_carries_the_schema_version(tmp_db, bundled_plans, invoke):
    from supervise.db.schema import SCHEMA_VERSION

    assert invoke(["--db", tmp_db, "import", bundled_plans]).exit_code == 0
    conn = sqlite3.connect(tmp_db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


@pytest.mark.parametrize("args", [["status"], ["status", "--format", "json"], ["import", "PLANS"], ["log"]],
                         ids=["status", "status-json", "import", "log"])
def test_database_from_a_newer_version_exits_3(tmp_db, bundled_plans, invoke, args):
    from supervise.db.schema import SCHEMA_VERSION

    assert invoke(["--db", tmp_db, "import", bundled_plans]).exit_code == 0
    conn = sqlite3.connect(tmp_db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db_fingerprint(tmp_db)
    args = [str(bundled_plans) if a == "PLANS" else a for a in args]
    outcome = invoke(["--db", tmp_db, *args])
    assert outcome.exit_code == 3, outcome
    assert outcome.stdout == ""
    assert len(outcome.err_lines) == 1 and "Traceback" not in outcome.output
    assert db_fingerprint(tmp_db) == before, "a newer database is left exactly as it was"


def test_newer_database_exits_3_as_a_process(tmp_path, bundled_plans):
    db = tmp_path / "x.db"
    assert run_cli(["--db", db, "import", bundled_plans]).exit_code == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    outcome = run_cli(["--db", db, "status", "--format", "json"])
    assert outcome.exit_code == 3, outcome
    assert "Traceback" not in outcome.stderr and len(outcome.err_lines) == 1


def test_a_file_that_is_not_a_database_exits_3(tmp_path, bundled_plans, invoke):
    db = tmp_path / "x.db"
    db.write_bytes(b"this is not a database, it is a note the clerk saved here\n" * 100)
    before = db.read_bytes()
    for args in (["status"], ["import", str(bundled_plans)]):
        outcome = invoke(["--db", db, *args])
        assert outcome.exit_code == 3, outcome
        assert len(outcome.err_lines) == 1 and "Traceback" not in outcome.output
    assert db.read_bytes() == before


def _import_graph() -> dict[str, set[str]]:
    """Module → the supervise modules it imports anywhere in its text (function-level imports too:
    a deferred import is still a cycle, only hidden from import time)."""
    import ast
    from pathlib import Path

    root = Path(REPO) / "supervise"
    mods = {}
    for f in root.rglob("*.py"):
        name = ".".join(f.relative_to(root.parent).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = f
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, f in mods.items():
        package = m if f.name == "__init__.py" else m.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                found = [base] + [f"{base}.{a.name}" for a in node.names]
                graph[m] |= {t for t in found if t in mods and t != m}
            elif isinstance(node, ast.Import):
                graph[m] |= {a.name for a in node.names if a.name in mods and a.name != m}
    return graph


def test_the_core_modules_import_each_other_in_one_direction():
    """No two top-level (core) modules import each other, however indirectly (status ↔ views did,
    through a function-level import). Packages may import their own parts from their __init__."""
    graph = _import_graph()
    core = {m for m in graph if m.count(".") == 1 and not (Path(REPO) / (m.replace(".", "/"))).is_dir()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            m = todo.pop()
            for n in graph[m]:
                if n == goal:
                    return True
                if n not in seen and n in core:
                    seen.add(n)
                    todo.append(n)
        return False

    cycles = sorted(f"{a} ↔ {b}" for a in core for b in graph[a] if b in core and reaches(b, a))
    assert cycles == []
    assert "supervise.views" in core and "supervise.status" in graph["supervise.views"]  # the test sees the graph
