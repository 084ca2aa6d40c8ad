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
NAME_MIN = 12  # cells of a plan's or section's name that stay in sight, counts or not


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
        self._sections: dict[str, list[str]] = {}  # plan -> its sections, as leaves once it is opened

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
        """A node per plan; its sections' leaves only when it is open: above six plans the plans start
        closed, and a big office's thousand sections were a fifth of the time to the first paint."""
        self.clear()
        self.root.data = (None, None)
        self._sections = sections
        expand = len(plans) <= 6
        for p in plans:
            node = self.root.add(self._label(p.id, None), data=(p.id, None), expand=expand)
            if expand:
                self._add_leaves(node)
        self.root.expand()

    def _add_leaves(self, node: TreeNode[Scope]) -> None:
        """The plan node's section leaves, labelled with their counts if the statuses are known."""
        plan = node.data[0] if node.data else None
        if node.children or plan is None:
            return
        for sec in self._sections.get(plan, []):
            node.add_leaf(self._label(sec, None), data=(plan, sec))
        if self._data is not None and self._data.ready:
            by_section: dict[tuple[str, str], list] = {}
            for s in self._data.live().in_plan(plan):
                by_section.setdefault((plan, s.task.section), []).append(s)
            self._label_leaves(node, by_section)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        self._add_leaves(event.node)

    def _label(self, name: str, counts_: dict[str, int] | None, depth: int = 0) -> Text:
        """Name, then counts. In a narrow tree the name keeps NAME_MIN cells (else every section reads
        "（一 …"): the counts shrink to the red and amber ones, and where even those do not fit, the
        sections show names only (all of them: a label without counts must not read as "none")."""
        return self._fit(name, counts_, depth)[0]

    def _fit(self, name: str, counts_: dict[str, int] | None, depth: int, tails: bool = True) -> tuple[Text, bool]:
        """The label, and whether it kept its counts."""
        out = Text(fmt.clean(name, one_line=True), end="", no_wrap=True, overflow="ellipsis")
        if counts_ is None:
            return out, True
        room = self.scrollable_content_region.width - 4  # 4: guides and icon
        choices = [fmt.counts_text(self.lang, counts_, words=False),
                   fmt.counts_text(self.lang, counts_, words=False, only=("red", "amber"), skip_zero=True)]
        fits = [c for c in choices if room <= 0 or room - c.cell_len - 1 >= min(out.cell_len, NAME_MIN)]
        tail = fits[0] if fits and tails else (None if depth else choices[0])  # "All tasks" keeps its counts
        name_room = room - (tail.cell_len + 1 if tail else 0)
        if depth and room > 0:
            fmt.shorten(out, name_room)
        if tail:
            out.append(" ")
            out.append_text(tail)
        return out, bool(fits)

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
                node.allow_expand = bool(self._sections.get(plan))
            self._label_leaves(node, by_section)

    def _label_leaves(self, node: TreeNode[Scope], by_section: dict[tuple[str, str], list]) -> None:
        plan = node.data[0] if node.data else None
        leaves = [(leaf, counts(by_section.get((plan, leaf.data[1]), []))) for leaf in node.children if leaf.data]
        fitted = [self._fit(leaf.data[1], c, 2) for leaf, c in leaves]
        if not all(kept for _, kept in fitted):
            fitted = [self._fit(leaf.data[1], c, 2, tails=False) for leaf, c in leaves]
        for (leaf, _), (label, _) in zip(leaves, fitted):
            leaf.set_label(label)

    def select_scope(self, plan: str | None, section: str | None) -> None:
        """Move the tree's cursor to the node for this scope, without posting ScopeChosen."""
        target: TreeNode | None = self.root
        for node in self.root.children:
            if node.data[0] == plan:
                target = node
                if section:
                    self._add_leaves(node)
                    target = next((leaf for leaf in node.children if leaf.data[1] == section), node)
        if target is not None and target.line >= 0:
            self.move_cursor(target)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        plan, section = event.node.data or (None, None)
        self.post_message(self.ScopeChosen(plan, section))
