"""The one object callers use: Store, composed from the store's parts, one module per job.

- `connection.py`: the connection, its transactions, sqlite3's errors translated, the event row;
- `opening.py`: open (create, vet, configure, migrate), backups, integrity;
- `reading.py`: the snapshot the status engine works on, one task, the event log, ids resolved;
- `actions.py`: tick, untick, note, record, override, review, remind, collect, and undo;
- `importing.py`: a validated plan file applied (the diff itself is `importer.py`, pure).

The db package is the only one that speaks SQL; everything else gets model objects.
Every write is one IMMEDIATE transaction and one row in the append-only `events` table;
undo reverses the newest live event from what that row recorded.

The parts are mixins rather than objects Store delegates to: each calls the others through
`self`, so one Store carries one connection and one transaction state, and what replaces a
method on Store (a test's fault, a profile's wrapper) is what every part calls.
"""

from __future__ import annotations

from .actions import UNDOABLE, Actions, _Unchanged
from .connection import _day, _iso, _now
from .importing import Importing
from .opening import BUSY_TIMEOUT, MIGRATIONS_TABLE, SCHEMA_VERSION, TABLES, Opening
from .reading import _closest, local_time, utc_start_of

__all__ = ["BUSY_TIMEOUT", "MIGRATIONS_TABLE", "SCHEMA_VERSION", "TABLES", "UNDOABLE", "Store", "local_time",
           "utc_start_of", "_Unchanged", "_closest", "_day", "_iso", "_now"]


class Store(Opening, Actions, Importing):
    """An open supervise database."""
