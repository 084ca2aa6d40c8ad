"""The side tree: all tasks, then each plan and its sections, with counts by colour.

Choosing a node scopes the board to it; the tree itself only posts `ScopeChosen`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..i18n import t
from ..status import counts
from . import fmt
from .model import BoardData

Scope = tuple[str | None, str | None]  # (plan, section); (None, None) is everything


class PlanTree(Tree[Scope]):
    """Plans and sections; labels carry compact counts (●3 ▲2 ○5 ✓1) once statuses are known."""

    @dataclass
    class ScopeChosen(Message):
        plan: str | None
        section: str | None

    def __init__(self, lang: str, **kwargs):
        super().__init__(Text(t(lang, "ui.tree.all")), data=(None, None), **kwargs)
        self.lang = lang
        self.show_root = True
        self.guide_depth = 2
        self._built_for: tuple | None = None
        self._data: BoardData | None = None

    def show(self, data: BoardData) -> None:
        """Build the nodes when the plans changed; relabel them with fresh counts."""
        plans = [p for p in data.snapshot.plans if not p.withdrawn]
        seen: dict[str, dict[str, None]] = {p.id: {} for p in plans}
        for tk in data.live_tasks:  # one pass: a scan per plan was O(plans × tasks), 13 s at 50,000 tasks
            if tk.section and tk.plan in seen:
                seen[tk.plan][tk.section] = None
        sections = {pid: list(secs) for pid, secs in seen.items()}
        shape = tuple((p.id, tuple(sections[p.id])) for p in plans)
        if shape != self._built_for:
            self._build_nodes(plans, sections)
            self._built_for = shape
        self._data = data
        self._relabel(data)

    def _build_nodes(self, plans, sections) -> None:
        self.clear()
        self.root.data = (None, None)
        expand = len(plans) <= 6
        for p in plans:
            node = self.root.add(self._label(p.id, None), data=(p.id, None), expand=expand)
            for sec in sections[p.id]:
                node.add_leaf(self._label(sec, None), data=(p.id, sec))
        self.root.expand()

    def _label(self, name: str, counts_: dict[str, int] | None, depth: int = 0) -> Text:
        """Name, then compact counts; the name gives way so the counts stay in sight."""
        out = Text(fmt.clean(name, one_line=True), end="", no_wrap=True, overflow="ellipsis")
        if counts_ is not None:
            tail = fmt.counts_text(self.lang, counts_, words=False)
            room = self.scrollable_content_region.width - 4 - tail.cell_len - 1  # 4: guides and icon
            if depth and out.cell_len > max(6, room):
                out.truncate(max(6, room), overflow="ellipsis")
            out.append(" ")
            out.append_text(tail)
        return out

    def on_resize(self) -> None:
        if self._data is not None:
            self._relabel(self._data)

    def _relabel(self, data: BoardData) -> None:
        if not data.ready:
            return
        live = data.live()
        by_plan: dict[str, list] = {}
        by_section: dict[tuple[str, str], list] = {}
        for s in live:
            by_plan.setdefault(s.task.plan, []).append(s)
            by_section.setdefault((s.task.plan, s.task.section), []).append(s)
        self.root.set_label(self._label(t(self.lang, "ui.tree.all"), live.counts()))
        titles = {p.id: p.title for p in data.snapshot.plans}
        for node in self.root.children:
            plan = node.data[0]
            node.set_label(self._label(plan, counts(by_plan.get(plan, [])), depth=1))
            if titles.get(plan):
                node.allow_expand = bool(node.children)
            for leaf in node.children:
                _, sec = leaf.data
                leaf.set_label(self._label(sec, counts(by_section.get((plan, sec), [])), depth=2))

    def select_scope(self, plan: str | None, section: str | None) -> None:
        """Move the tree's cursor to the node for this scope, without posting ScopeChosen."""
        target: TreeNode | None = self.root
        for node in self.root.children:
            if node.data[0] == plan:
                target = node
                if section:
                    target = next((leaf for leaf in node.children if leaf.data[1] == section), node)
        if target is not None and target.line >= 0:
            self.move_cursor(target)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        plan, section = event.node.data or (None, None)
        self.post_message(self.ScopeChosen(plan, section))
