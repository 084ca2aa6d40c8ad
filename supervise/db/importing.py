"""Importing a validated plan file: the diff (db/importer.py, pure) applied in one transaction."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from ..models import ImportReport
from .connection import _iso
from .reading import Reading

if TYPE_CHECKING:  # plan_file (and tomllib) are for imports only: `status` from cron does without them
    from ..planfile.loader import PlanSet
    from .store import Store


class Importing(Reading):
    """Store's import part (the safety copy before it is Opening's)."""

    def import_plans(self: Store, planset: PlanSet, today: date, *, dry_run: bool = False, source: str = "") -> ImportReport:
        """Apply a validated plan file: add, change in place, withdraw what vanished, restore what returned."""
        from .importer import diff_plans

        seen = self._read("PRAGMA data_version")[0][0]  # before the look: any commit by another connection since changes it
        diff = diff_plans(self.snapshot(), planset)
        report = ImportReport(added=tuple(diff.added), changed=tuple(diff.changed),
                              withdrawn=tuple(diff.withdrawn), restored=tuple(diff.restored))
        if dry_run or not (report.changes_anything or diff.office_changed):
            return report
        backup = str(self._backup_copy("import")) if self.has_any_rows() else None
        with self._write():
            # Again under the write lock if another connection (an import, the UI) has committed since
            # the first look: what this file withdraws or rewrites is decided against the database as
            # it is now, so the file applied last is what the database says. Otherwise the first look
            # is the database as it is now (at 10,000 tasks a snapshot and a diff: ~0.3 s).
            if self._read("PRAGMA data_version")[0][0] != seen:
                diff = diff_plans(self._snapshot(), planset)
                report = ImportReport(added=tuple(diff.added), changed=tuple(diff.changed),
                                      withdrawn=tuple(diff.withdrawn), restored=tuple(diff.restored))
            self._apply_import(planset, diff, today)
            self._event("import", None, None, today, source or "import",
                        {"source": source, "added": len(report.added), "changed": len(report.changed),
                         "withdrawn": len(report.withdrawn), "restored": len(report.restored)})
        return ImportReport(added=report.added, changed=report.changed, withdrawn=report.withdrawn,
                            restored=report.restored, backup=backup)

    def _apply_import(self, planset: PlanSet, diff, today: date) -> None:
        """Upsert what the file says; progress columns (done_on, values, notes) are never touched.

        Rows that already hold what the file says are left alone (the upserts' WHERE clauses, and
        units/checkpoints rewritten only for the items the diff names), so editing one title in a
        large file writes a few pages, not the whole database.
        """
        x, xm = self.conn.execute, self.conn.executemany
        touched = {item.split(" ", 1)[1] for item in (*diff.added, *diff.changed, *diff.restored)
                   if item.startswith(("task ", "indicator "))}
        o = planset.office
        x("UPDATE office SET name = ?, review_every_months = ?, first_review = ?, amber_days = ?, stale_days = ?, "
          "lag_amber = ?, lag_red = ?, explicit_reviews = ? WHERE id = 1",
          (o.name, o.review_every_months, _iso(o.first_review), o.amber_days, o.stale_days, o.lag_amber, o.lag_red,
           int(planset.explicit_reviews)))
        x("DELETE FROM reviews WHERE held = 0")
        xm("INSERT INTO reviews (held_on, title, held) VALUES (?, ?, 0)", [(r.on.isoformat(), r.title) for r in o.reviews])
        xm("INSERT INTO plans (id, title, doc_number, issued_by, issued_on, starts_on, ends_on, position, withdrawn_on) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
           "doc_number = excluded.doc_number, issued_by = excluded.issued_by, issued_on = excluded.issued_on, "
           "starts_on = excluded.starts_on, ends_on = excluded.ends_on, position = excluded.position, withdrawn_on = NULL "
           "WHERE (plans.title, plans.doc_number, plans.issued_by, plans.issued_on, plans.starts_on, plans.ends_on, "
           "plans.position, plans.withdrawn_on) IS NOT (excluded.title, excluded.doc_number, excluded.issued_by, "
           "excluded.issued_on, excluded.starts_on, excluded.ends_on, excluded.position, NULL)",
           [(p.id, p.title, p.doc_number, p.issued_by, _iso(p.issued), p.start.isoformat(), p.end.isoformat(), n)
            for n, p in enumerate(planset.plans)])
        sections: dict[tuple[str, str], int] = {}
        for n, t in enumerate(planset.tasks):
            if t.section and (t.plan, t.section) not in sections:
                sections[(t.plan, t.section)] = n
        xm("INSERT INTO sections (plan_id, title, position) VALUES (?, ?, ?) "
           "ON CONFLICT (plan_id, title) DO UPDATE SET position = excluded.position "
           "WHERE sections.position IS NOT excluded.position",
           [(plan, title, n) for (plan, title), n in sections.items()])
        section_ids = {(r[0], r[1]): r[2] for r in self.conn.execute("SELECT plan_id, title, id FROM sections")}
        names = {u for t in planset.tasks for u in (*t.lead, *t.responsible)}
        xm("INSERT OR IGNORE INTO units (name) VALUES (?)", [(u,) for u in sorted(names)])
        unit_ids = dict(self.conn.execute("SELECT name, id FROM units").fetchall())
        tags: dict[tuple[str, ...], str] = {}  # each distinct list of tags as JSON once (a big office repeats a few)
        xm("INSERT INTO tasks (id, plan_id, task_id, section_id, title, detail, starts_on, due_on, tags, position, withdrawn_on) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET section_id = excluded.section_id, "
           "title = excluded.title, detail = excluded.detail, starts_on = excluded.starts_on, due_on = excluded.due_on, "
           "tags = excluded.tags, position = excluded.position, withdrawn_on = NULL "
           "WHERE (tasks.section_id, tasks.title, tasks.detail, tasks.starts_on, tasks.due_on, tasks.tags, "
           "tasks.position, tasks.withdrawn_on) IS NOT (excluded.section_id, excluded.title, excluded.detail, "
           "excluded.starts_on, excluded.due_on, excluded.tags, excluded.position, NULL)",
           [(t.key, t.plan, t.id, section_ids.get((t.plan, t.section)), t.title, t.detail, t.start.isoformat(),
             t.due.isoformat(), tags.get(t.tags) or tags.setdefault(t.tags, json.dumps(list(t.tags), ensure_ascii=False)),
             t.position) for t in planset.tasks])
        units_to_write = [t for t in planset.tasks if t.key in touched]
        xm("DELETE FROM task_units WHERE task_id = ?", [(t.key,) for t in units_to_write])
        xm("INSERT INTO task_units (task_id, unit_id, role, position) VALUES (?, ?, ?, ?)",
           [(t.key, unit_ids[u], role, n) for t in units_to_write
            for role, group in (("lead", t.lead), ("responsible", t.responsible)) for n, u in enumerate(group)])
        xm("INSERT INTO milestones (id, task_id, milestone_id, title, due_on, position, withdrawn_on) "
           "VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
           "due_on = excluded.due_on, position = excluded.position, withdrawn_on = NULL "
           "WHERE (milestones.title, milestones.due_on, milestones.position, milestones.withdrawn_on) "
           "IS NOT (excluded.title, excluded.due_on, excluded.position, NULL)",
           [(f"{t.key}/{m.id}", t.key, m.id, m.title, m.due.isoformat(), n)
            for t in planset.tasks for n, m in enumerate(t.milestones)])
        xm("INSERT INTO indicators (id, task_id, indicator_id, name, unit, baseline, target, direction, due_on, position, "
           "withdrawn_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
           "unit = excluded.unit, baseline = excluded.baseline, target = excluded.target, direction = excluded.direction, "
           "due_on = excluded.due_on, position = excluded.position, withdrawn_on = NULL "
           "WHERE (indicators.name, indicators.unit, indicators.baseline, indicators.target, indicators.direction, "
           "indicators.due_on, indicators.position, indicators.withdrawn_on) IS NOT (excluded.name, excluded.unit, "
           "excluded.baseline, excluded.target, excluded.direction, excluded.due_on, excluded.position, NULL)",
           [(f"{t.key}/{i.id}", t.key, i.id, i.name, i.unit, i.baseline, i.target, i.direction, i.due.isoformat(), n)
            for t in planset.tasks for n, i in enumerate(t.indicators)])
        indicators = [(f"{t.key}/{i.id}", i) for t in planset.tasks for i in t.indicators
                      if f"{t.key}/{i.id}" in touched]
        xm("DELETE FROM checkpoints WHERE indicator_id = ?", [(key,) for key, _ in indicators])
        xm("INSERT INTO checkpoints (indicator_id, on_date, value) VALUES (?, ?, ?)",
           [(key, c.on.isoformat(), c.value) for key, i in indicators for c in i.checkpoints])
        for table, ids in diff.withdraw.items():
            xm(f"UPDATE {table} SET withdrawn_on = ? WHERE id = ?", [(today.isoformat(), i) for i in ids])
