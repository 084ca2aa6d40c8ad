"""Draft plans.toml from the plan document itself (`supervise extract DOC`).

Four passes over the text of an official action plan (.txt/.md, or .docx):

1. normalise (text.document_lines): drop [bookmark: …] tags and page
   furniture, split lines at numbering markers, remove stray spaces;
2. structure: a tree of numbered items 一、/（一）/1./（1）, with annexes
   (附件 … 重点工作任务) cut off as plans of their own; task sections are the
   一、 parts about tasks, and tasks are the deepest items that are not headings;
3. fields: per task the title (phrase before the first 。), detail, units,
   due date, milestones (dated clauses) and indicators (quantitative targets);
4. writer: TOML that passes `supervise check`, with `# 待核实` on every line
   the extractor had to guess.

The rules are about how such plans are written, never about one document.
Pure core: no terminal libraries.

Modules: ``text`` (cleaning, numbered lines), ``layout`` (structure, which items are tasks),
``tables`` (Word tables and pasted '|' tables), ``units`` (unit phrases), ``deadlines`` (date
phrases, the plan's period), ``targets`` (target phrases), ``core`` (drafting), ``writer`` (TOML).
"""

from .core import ExtractError, ExtractSummary, extract_plans, read_document

__all__ = ["ExtractError", "ExtractSummary", "read_document", "extract_plans"]
