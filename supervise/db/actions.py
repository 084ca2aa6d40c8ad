"""The actions: each records what it changes in one transaction and one event, and `undo` reverses one.

Each kind of event has its do (the Store method that records it), its undo (how `undo` reverses
it from what its event recorded) and its words (how the log, the undo notice and the UI's history
say it) side by side below, and one table, KINDS, names the three for every kind: `undo` and
everything that describes an event look a kind up there. tick, untick, note, record, override and
its clearing, review here; remind (db/reminders.py) and collect (db/collect_action.py) keep theirs
whole in their own modules; import (importing.py) is not undone (re-import instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import InputError
from ..i18n import labelled, rag_word, t
from ..marks import one_line
from ..models import Event, Rag
from .connection import NONSENSE, _iso, _now, damaged
from .importing import Importing
from .reading import Reading


class Actions(Reading):
    """Store's actions part: every write but the import; each do followed by its undo and its words."""

    # --- tick and untick ------------------------------------------------------------------

    def tick(self, ref: str, milestone: str | None, on: date, note: str | None = None) -> Event:
        """Mark a milestone (or a task without milestones) done on `on`."""
        key = self._live_task(ref)
        _no_empty_note(note)
        with self._write():
            if milestone is None:
                open_ms = self._read("SELECT milestone_id FROM milestones WHERE task_id = ? AND withdrawn_on IS NULL "
                                     "AND done_on IS NULL ORDER BY due_on, position LIMIT 1", (key,))
                has_ms = self._read("SELECT 1 FROM milestones WHERE task_id = ? AND withdrawn_on IS NULL LIMIT 1", (key,))
                if has_ms and not open_ms:
                    raise InputError("err.no_open_milestone", task=key)
                milestone = open_ms[0][0] if open_ms else None
            if milestone is None:
                target, table, where = key, "tasks", ("id = ?", (key,))
            else:
                target, _ = self._item("milestones", "milestone_id", key, milestone, "milestone")
                table, where = "milestones", ("id = ?", (target,))
            before = self._read(f"SELECT done_on FROM {table} WHERE {where[0]}", where[1])[0][0]
            if before == on.isoformat():
                raise _Unchanged("done.already", target=target, on=before)
            self.conn.execute(f"UPDATE {table} SET done_on = ? WHERE {where[0]}", (on.isoformat(), *where[1]))
            data = {"table": table, "target": target, "before": before, "after": on.isoformat()}
            if note:
                data["note_id"] = self._insert_note(key, note, on)
            summary = "retick" if before else "tick"
            eid = self._event("tick", key, target if table == "milestones" else None, on, summary, data)
            if note:
                self.conn.execute("UPDATE notes SET event_id = ? WHERE id = ?", (eid, data["note_id"]))
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def untick(self, ref: str, milestone: str | None, on: date | None = None) -> Event:
        key = self._live_task(ref)
        with self._write():
            if milestone is None:
                done = self._read("SELECT milestone_id FROM milestones WHERE task_id = ? AND withdrawn_on IS NULL "
                                  "AND done_on IS NOT NULL ORDER BY done_on DESC, position DESC LIMIT 1", (key,))
                has_ms = self._read("SELECT 1 FROM milestones WHERE task_id = ? AND withdrawn_on IS NULL LIMIT 1", (key,))
                if has_ms and not done:
                    raise InputError("err.not_done", target=key)
                milestone = done[0][0] if done else None
            if milestone is None:
                target, table = key, "tasks"
            else:
                target, _ = self._item("milestones", "milestone_id", key, milestone, "milestone")
                table = "milestones"
            before = self._read(f"SELECT done_on FROM {table} WHERE id = ?", (target,))[0][0]
            if before is None:
                raise InputError("err.not_done", target=target)
            self.conn.execute(f"UPDATE {table} SET done_on = NULL WHERE id = ?", (target,))
            eid = self._event("untick", key, target if table == "milestones" else None, on, "untick",
                        {"table": table, "target": target, "before": before, "after": None})
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def _undo_tick(self, e: Event) -> None:
        """tick and untick: the done date back as it was; a note written with the tick goes."""
        d = e.data
        self.conn.execute(f"UPDATE {d['table']} SET done_on = ? WHERE id = ?", (d["before"], d["target"]))
        if d.get("note_id"):
            self.conn.execute("DELETE FROM notes WHERE id = ?", (d["note_id"],))

    @staticmethod
    def _said_tick(summary: str, data: dict, lang: str) -> str:
        """The store keeps machine words ("tick", "retick"): said here in the interface's language."""
        return t(lang, "log.what.retick" if summary == "retick" else "log.what.tick")

    @staticmethod
    def _said_untick(summary: str, data: dict, lang: str) -> str:
        return t(lang, "log.what.untick") if summary == "untick" else summary

    # --- notes ----------------------------------------------------------------------------

    def _insert_note(self, key: str, text: str, on: date) -> int:
        cur = self.conn.execute("INSERT INTO notes (task_id, written_on, text, recorded_at) VALUES (?, ?, ?, ?)",
                                (key, on.isoformat(), text, _now()))
        return cur.lastrowid

    def add_note(self, ref: str, text: str, on: date) -> Event:
        key = self._live_task(ref)
        _no_empty_note(text)
        with self._write():
            nid = self._insert_note(key, text, on)
            eid = self._event("note", key, None, on, text[:200], {"note_id": nid, "text": text})
            self.conn.execute("UPDATE notes SET event_id = ? WHERE id = ?", (eid, nid))
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def _undo_note(self, e: Event) -> None:
        self.conn.execute("DELETE FROM notes WHERE id = ?", (e.data["note_id"],))

    @staticmethod
    def _said_note(summary: str, data: dict, lang: str) -> str:
        """The note whole (the summary keeps its first 200 characters), as the clerk typed it."""
        return str(data.get("text") or summary)

    # --- indicator values -----------------------------------------------------------------

    def record(self, ref: str, indicator: str, value: float, on: date, note: str | None = None) -> Event:
        key = self._live_task(ref)
        target, _ = self._item("indicators", "indicator_id", key, indicator, "indicator")
        _no_empty_note(note)
        with self._write():
            previous = self._read("SELECT id, value, note, event_id FROM indicator_values WHERE indicator_id = ? AND measured_on = ?",
                                  (target, on.isoformat()))
            data: dict = {"indicator": target, "on": on.isoformat(), "value": value, "replaced": None}
            if previous:
                pid, pvalue, pnote, pevent = previous[0]
                data["replaced"] = {"value": pvalue, "note": pnote, "event_id": pevent}
                self.conn.execute("DELETE FROM indicator_values WHERE id = ?", (pid,))
            cur = self.conn.execute("INSERT INTO indicator_values (indicator_id, measured_on, value, note, recorded_at) "
                                    "VALUES (?, ?, ?, ?, ?)", (target, on.isoformat(), value, note or "", _now()))
            data["value_id"] = cur.lastrowid
            if note:
                data["note_id"] = self._insert_note(key, note, on)
            eid = self._event("record", key, target, on, f"{indicator} = {value:g}", data)
            self.conn.execute("UPDATE indicator_values SET event_id = ? WHERE id = ?", (eid, data["value_id"]))
            if note:
                self.conn.execute("UPDATE notes SET event_id = ? WHERE id = ?", (eid, data["note_id"]))
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def _undo_record(self, e: Event) -> None:
        """The value goes (and a note written with it); a value it replaced on that day comes back."""
        d, x = e.data, self.conn.execute
        x("DELETE FROM indicator_values WHERE id = ?", (d["value_id"],))
        if d.get("note_id"):
            x("DELETE FROM notes WHERE id = ?", (d["note_id"],))
        if d.get("replaced"):
            r = d["replaced"]
            x("INSERT INTO indicator_values (indicator_id, measured_on, value, note, recorded_at, event_id) "
              "VALUES (?, ?, ?, ?, ?, ?)", (d["indicator"], d["on"], r["value"], r["note"], _now(), r["event_id"]))

    # The words are the summary, "<indicator> = <value>": plan content and a number.

    # --- overrides ------------------------------------------------------------------------

    def set_override(self, ref: str, rag: Rag, reason: str, on: date, until: date | None = None) -> Event:
        key = self._live_task(ref)
        if rag not in (Rag.RED, Rag.AMBER, Rag.GREEN):
            raise InputError("err.bad_rag", value=str(rag))
        if not reason or not reason.strip():
            raise InputError("err.no_reason")
        if until and until < on:
            raise InputError("err.until_before", until=until.isoformat(), on=on.isoformat())
        with self._write():
            cur = self.conn.execute(
                "INSERT INTO overrides (task_id, rag, reason, starts_on, until_on, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (key, rag.value, reason.strip(), on.isoformat(), _iso(until), _now()))
            oid = cur.lastrowid
            eid = self._event("override", key, None, on, f"{rag.value}: {reason.strip()[:150]}",
                              {"override_id": oid, "rag": rag.value, "reason": reason.strip(), "until": _iso(until)})
            self.conn.execute("UPDATE overrides SET event_id = ? WHERE id = ?", (eid, oid))
            self._settle_clears(key)  # a clear already recorded for a later day ends this override too
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def _undo_override(self, e: Event) -> None:
        self.conn.execute("DELETE FROM overrides WHERE id = ?", (e.data["override_id"],))

    @staticmethod
    def _said_override(summary: str, data: dict, lang: str) -> str:
        """"red: <reason>" with the colour in the interface's language; the reason as typed."""
        rag, reason = data.get("rag"), data.get("reason")
        if rag is None or reason is None:  # an undo keeps only the summary, "red: <reason>"
            rag, _, reason = summary.partition(": ")
        if rag in ("red", "amber", "green"):
            return labelled(rag_word(lang, rag), str(reason)[:150], lang)
        return summary

    def clear_override(self, ref: str, on: date) -> Event:
        key = self._live_task(ref)
        with self._write():
            rows = self._read("SELECT id, cleared_on FROM overrides WHERE task_id = ? AND starts_on <= ? "
                              "AND (until_on IS NULL OR until_on >= ?) AND (cleared_on IS NULL OR cleared_on > ?)",
                              (key, on.isoformat(), on.isoformat(), on.isoformat()))
            if not rows:
                raise InputError("err.no_override", task=key, on=on.isoformat())
            eid = self._event("override_clear", key, None, on, "clear",
                        {"cleared": [{"id": oid, "before": before} for oid, before in rows]})
            self._settle_clears(key)
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def _undo_override_clear(self, e: Event) -> None:
        """The overrides this clear ended are settled again without it."""
        self._settle_clears(e.task, skip=e.id)

    @staticmethod
    def _said_override_clear(summary: str, data: dict, lang: str) -> str:
        return t(lang, "log.what.clear") if summary == "clear" else summary

    def _settle_clears(self, key: str, skip: int | None = None) -> None:
        """Each override of `key` ends at the earliest live clear dated within its span, whatever order the
        override and the clears were recorded in (status is a function of dated progress, not of typing order).
        A clear dated on an override's first day ends it only if recorded after it: set, then cleared the
        same day, it was never in force; cleared, then set the same day, it is."""
        clears = self._read("SELECT id, effective_on FROM events WHERE kind = 'override_clear' AND task_id = ? "
                            "AND undone_by IS NULL AND id IS NOT ?", (key, skip))
        for oid, start, until, eid, cleared in self._read(
                "SELECT id, starts_on, until_on, event_id, cleared_on FROM overrides WHERE task_id = ?", (key,)):
            ends = [on for cid, on in clears
                    if (on > start or (on == start and cid > (eid or 0))) and (until is None or on <= until)]
            settled = min(ends) if ends else None
            if settled != cleared:
                self.conn.execute("UPDATE overrides SET cleared_on = ? WHERE id = ?", (settled, oid))

    # --- reviews --------------------------------------------------------------------------

    def hold_review(self, on: date, title: str = "") -> Event:
        with self._write():
            if self._read("SELECT 1 FROM reviews WHERE held = 1 AND held_on = ?", (on.isoformat(),)):
                raise _Unchanged("done.review_already", on=on.isoformat())  # one meeting a day: not twice
            cur = self.conn.execute("INSERT INTO reviews (held_on, title, held, recorded_at) VALUES (?, ?, 1, ?)",
                                    (on.isoformat(), title, _now()))
            eid = self._event("review", None, None, on, title or "review", {"review_id": cur.lastrowid, "title": title})
        return self._event_by_id(eid)  # by id: the newest event may be another program's

    def _undo_review(self, e: Event) -> None:
        self.conn.execute("DELETE FROM reviews WHERE id = ?", (e.data["review_id"],))

    @staticmethod
    def _said_review(summary: str, data: dict, lang: str) -> str:
        """A review held without a title is "review held"; a title is plan content, as typed."""
        return t(lang, "log.what.review") if summary == "review" else summary

    # --- notices and report forms (their modules hold each action whole) -------------------

    def remind(self, unit: str, tasks: list[tuple[str, int]], issued_on: date, reply_by: date):
        """Issue a chase-up notice (db/reminders.py holds the action whole)."""
        from . import reminders

        return reminders.issue(self, unit, tasks, issued_on, reply_by)

    def _undo_remind(self, e: Event) -> None:
        from . import reminders

        reminders.reverse(self, e.id, e.data)

    def collect(self, plans) -> list:
        """Record checked report forms (collect.FormPlan), each as one undoable event, all in one
        transaction: every form is recorded, or none. Returns a collect_action.Collected per form."""
        from . import collect_action

        with self._write():
            now = _now()
            return [collect_action.apply(self, plan, now) for plan in plans]

    def _undo_collect(self, e: Event) -> None:
        from . import collect_action

        collect_action.reverse(self, e.data, _now())

    # --- undo -----------------------------------------------------------------------------

    def undo(self) -> Event:
        """Reverse the newest event not yet undone; imports are not undone (re-import instead)."""
        with self._write():
            rows = self._read("SELECT id FROM events WHERE undone_by IS NULL AND kind IN (%s) ORDER BY id DESC LIMIT 1"
                              % ",".join("?" * len(UNDOABLE)), UNDOABLE)
            if not rows:
                raise InputError("err.nothing_to_undo")
            event = self._event_by_id(rows[0][0])
            try:
                KINDS[event.kind].undo(self, event)  # type: ignore[misc]  (UNDOABLE: only kinds with an undo)
            except NONSENSE as err:  # what the event recorded makes no sense: the database is damaged
                raise damaged(self.path, err) from None
            uid = self._event("undo", event.task, event.item, event.on, event.summary,
                              {"undid": event.id, "kind": event.kind})
            self.conn.execute("UPDATE events SET undone_by = ? WHERE id = ?", (uid, event.id))
        return self._event_by_id(event.id)


class _Unchanged(InputError):
    """An action that restates what is already recorded (a tick, a review held): the CLI reports
    it and exits 0, and nothing is written."""

    exit_code = 0


# --- the table of kinds -----------------------------------------------------------------------


def _as_recorded(summary: str, data: dict, lang: str) -> str:
    return summary


def _nothing(e: Event, lang: str) -> str:
    return ""


def _quoted(e: Event, lang: str) -> str:
    return "“" + one_line(e.summary[:60]) + "”"


def _said_collect(summary: str, data: dict, lang: str) -> str:
    """A collected form as the log and the undo name it: the unit, the form's date, how many entries."""
    unit, as_of, changes = data.get("unit"), data.get("as_of"), data.get("changes")
    if not (isinstance(unit, str) and isinstance(as_of, str) and isinstance(changes, list)):
        return summary  # an undo's data (it has none of these), or a damaged one: as recorded
    return t(lang, "event.collect.what", unit=one_line(unit), as_of=as_of, n=len(changes))


def _summary(e: Event, lang: str) -> str:  # collect: "<unit> <as-of>: <n> entries"
    return one_line(_said_collect(e.summary, e.data, lang))


def _in_words(e: Event, lang: str) -> str:
    return one_line(event_words(e.kind, e.summary, e.data, lang))


def _said_notice(summary: str, data: dict, lang: str) -> str:
    """A notice as the log and the undo name it: its number and the unit it went to."""
    unit = data.get("unit")  # text, unless the data is damaged: then the summary as recorded
    return t(lang, "event.remind.what", number=one_line(summary), unit=one_line(unit)) if unit and isinstance(unit, str) else summary


def _notice(e: Event, lang: str) -> str:
    return _said_notice(e.summary, e.data, lang)


def _undid(e: Event, lang: str) -> str:
    return f"#{e.data.get('undid')}"


def _done_named(words: str, name: str, short: str, lang: str) -> str:
    """"done: <milestone's title>"."""
    return labelled(words, name, lang)


def _value_named(words: str, name: str, short: str, lang: str) -> str:
    """"<indicator's name> = 12" for "<indicator id> = 12"."""
    return name + words[len(short):] if words.startswith(f"{short} = ") else words


# What is said once the write is committed (the command prints it, the UI shows it as a notice).


def _on(e: Event) -> str:
    return e.on.isoformat() if e.on else ""


def _done_tick(e: Event, lang: str) -> str:
    return t(lang, "done.retick" if e.summary == "retick" else "done.tick", target=e.data["target"], on=_on(e))


def _done_untick(e: Event, lang: str) -> str:
    return t(lang, "done.untick", target=e.data["target"])


def _done_note(e: Event, lang: str) -> str:
    return t(lang, "done.note", target=e.task, on=_on(e))


def _done_record(e: Event, lang: str) -> str:
    from ..formats import shown  # lazily: formats carries the status engine

    return t(lang, "done.record", target=e.item, value=shown(e.data["value"]), on=_on(e))


def _done_override(e: Event, lang: str) -> str:
    return t(lang, "done.override", target=e.task, rag=rag_word(lang, e.data["rag"]), on=_on(e))


def _done_override_clear(e: Event, lang: str) -> str:
    return t(lang, "done.override_clear", target=e.task, on=_on(e))


def _done_review(e: Event, lang: str) -> str:
    return t(lang, "done.review", on=_on(e))


@dataclass(frozen=True)
class Kind:
    """One kind of event: what records it, how `undo` reverses it, and how it is said.

    Its name is the catalogue's `event.<kind>`; `words` say what it recorded (summary, data, lang);
    `brief` is what the undo notice adds after the task or item; `named` puts the plan's name of
    the milestone or indicator into the words (words, name, item's own id, lang); `done` is the
    confirmation once it is committed (None: its command says more than the event does)."""

    do: Callable[..., Any]
    undo: Callable[[Any, Event], None] | None = None  # (store, event); None: never undone
    words: Callable[[str, dict, str], str] = _as_recorded
    brief: Callable[[Event, str], str] = _nothing
    named: Callable[[str, str, str, str], str] | None = None
    done: Callable[[Event, str], str] | None = None


KINDS: dict[str, Kind] = {
    "tick": Kind(Actions.tick, Actions._undo_tick, Actions._said_tick, named=_done_named, done=_done_tick),
    "untick": Kind(Actions.untick, Actions._undo_tick, Actions._said_untick, named=_done_named, done=_done_untick),
    "note": Kind(Actions.add_note, Actions._undo_note, Actions._said_note, brief=_quoted, done=_done_note),
    "record": Kind(Actions.record, Actions._undo_record, brief=_in_words, named=_value_named, done=_done_record),
    "override": Kind(Actions.set_override, Actions._undo_override, Actions._said_override, brief=_in_words,
                     done=_done_override),
    "override_clear": Kind(Actions.clear_override, Actions._undo_override_clear, Actions._said_override_clear,
                           done=_done_override_clear),
    "review": Kind(Actions.hold_review, Actions._undo_review, Actions._said_review, done=_done_review),
    "remind": Kind(Actions.remind, Actions._undo_remind, _said_notice, brief=_notice),
    "collect": Kind(Actions.collect, Actions._undo_collect, _said_collect, brief=_summary),
    "import": Kind(Importing.import_plans),  # not undone: re-import instead
    "undo": Kind(Actions.undo, brief=_undid),
}
UNDOABLE = tuple(kind for kind, k in KINDS.items() if k.undo is not None)


def action_name(kind: str, lang: str) -> str:
    """The action's name: "tick", "完成"."""
    return t(lang, f"event.{kind}")


def event_words(kind: str, summary: str, data: dict, lang: str) -> str:
    """What an event recorded, in words: the store's machine words ("retick", "red: …") in the
    interface's language; text the clerk typed (notes, reasons, titles) as it is. An undo is said
    as what it undid."""
    if kind == "undo":
        kind = data.get("kind", kind)
    k = KINDS.get(kind)
    return k.words(summary, data, lang) if k else summary


def describe_event(e: Event, lang: str) -> str:
    """An event in a few words, as the undo notice names it: the action, its task or item, the
    words that matter for its kind, its date."""
    k = KINDS.get(e.kind)
    parts = [action_name(e.kind, lang), e.item or e.task or "", k.brief(e, lang) if k else ""]
    words = " ".join(p for p in parts if p)
    if not e.on:
        return words
    return t(lang, "layout.aside", text=words, aside=e.on.isoformat())


def confirmation(e: Event, lang: str) -> str:
    """What is said once a write is committed, from the event the store returns: the command line
    prints it and the UI shows it as a notice, in the same words. An undone event (what
    `Store.undo` returns) is confirmed as undone."""
    if e.undone:  # a notice's file is not taken back from its folder: said, so that it is not sent
        return t(lang, "done.undo_notice" if e.kind == "remind" else "done.undo", what=describe_event(e, lang))
    k = KINDS.get(e.kind)
    return k.done(e, lang) if k and k.done else describe_event(e, lang)


def collected(c, lang: str) -> str:
    """A collected report form's confirmation (a collect_action.Collected: `collect` prints it, the UI's `c` shows it)."""
    if c.event_id is None:
        return nothing_to_collect(c.plan, lang)
    return t(lang, "forms.recorded", path=one_line(c.plan.path), unit=one_line(c.plan.unit), n=c.recorded)


def nothing_to_collect(plan, lang: str) -> str:
    """A form that records nothing: one with no cell filled in is not "already collected". The file's
    name (a unit may have named it) and the unit shown literally, as the preview shows them."""
    return t(lang, "forms.nothing_new" if plan.entries else "forms.nothing_filled",
             path=one_line(plan.path), unit=one_line(plan.unit))


def log_words(e: Event, names: dict[str, str], lang: str) -> str:
    """What an entry recorded, as the log shows it: naming the milestone or indicator as the plan
    does (`names`: full item id → title or name), not by its id."""
    words = event_words(e.kind, e.summary, e.data, lang)
    name = names.get(e.item or "")
    if not name:
        return words
    k = KINDS.get(e.data.get("kind", e.kind) if e.kind == "undo" else e.kind)
    return k.named(words, name, (e.item or "").rsplit("/", 1)[-1], lang) if k and k.named else words


def _no_empty_note(text: str | None) -> None:
    """A note given is a note with words (None: no note): `note x ''`, `tick x --note ''` and a
    note of spaces alike are refused, not stored blank or dropped unsaid."""
    if text is not None and not text.strip():
        raise InputError("err.empty_note")
