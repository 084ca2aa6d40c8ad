"""The extract corpus (issue #17): real documents with hand-made truth files, scored by
bench/extract_score.py. Targets: task recall and precision >= 0.95, leads >= 0.95 where the document
names one, no invented unit, no document refused."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "extract"

_spec = importlib.util.spec_from_file_location("extract_score", ROOT / "bench" / "extract_score.py")
extract_score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(extract_score)


def _documents(folder: str) -> list[tuple[Path, dict]]:
    out = []
    for truth_file in sorted((FIXTURES / folder).glob("*.truth.toml")):
        truth = tomllib.loads(truth_file.read_text(encoding="utf-8"))
        out += [(FIXTURES / folder / name, truth) for name in truth["documents"]]
    return out


CORPUS = (_documents("corpus") + _documents("heldout") + _documents("heldout2") + _documents("heldout3")
          + _documents("heldout4") + _documents("heldout5"))


def test_corpus_is_what_the_issue_asks_for():
    names = [p.name for p, _ in _documents("corpus")]
    assert len(names) >= 12
    assert sum(n.endswith(".docx") for n in names) >= 4
    for path, _ in CORPUS:
        assert path.exists(), path
        assert path.with_suffix(".source").exists() or path.with_name(path.stem + ".source").exists(), path


def test_second_held_out_set_is_what_the_issue_asks_for():
    # issue #17: at least 12 real documents not tuned on, at least 4 task tables; each with its source
    names = [p.name for p, _ in _documents("heldout2")]
    assert len(names) >= 12
    assert sum(n.endswith(".docx") for n in names) >= 4
    for name in names:
        stem = name.rsplit(".", 1)[0]
        assert (FIXTURES / "heldout2" / f"{stem}.source").read_text(encoding="utf-8").startswith("http")


def test_third_held_out_set_is_what_the_issue_asks_for():
    # issue #17: at least 12 real documents not tuned on, at least 4 task tables; each with its source
    names = [p.name for p, _ in _documents("heldout3")]
    assert len(names) >= 12
    assert sum(n.endswith(".docx") for n in names) >= 4
    for name in names:
        stem = name.rsplit(".", 1)[0]
        assert (FIXTURES / "heldout3" / f"{stem}.source").read_text(encoding="utf-8").startswith("http")


@pytest.mark.parametrize("path, truth", CORPUS, ids=[p.name for p, _ in CORPUS])
def test_document_meets_the_targets(path, truth):
    s, notes = extract_score.score(path, truth)
    c = s.c
    assert not c["refused"], notes
    assert c["matched"] >= 0.95 * c["truth"], notes                     # task recall
    assert c["matched"] >= 0.95 * c["drafted"], notes                   # task precision
    assert c["lead_ok"] >= 0.95 * c["lead_n"], notes                    # leads where named
    assert c["nolead_ok"] == c["nolead_n"], notes                       # no lead made up where none is named
    assert c["invented"] == 0, notes


def test_scorer_counts_what_it_should(tmp_path):
    # a truth that disagrees with the draft: one task missed, one extra, one invented unit
    doc = tmp_path / "d.txt"
    doc.write_text("某县2022年工作要点\n一、重点任务\n1.甲任务。（牵头单位：县民政局；责任单位：县财政局）\n"
                   "2.乙任务。（牵头单位：县卫健委）\n", encoding="utf-8")
    truth = {"documents": ["d.txt"], "task": [
        {"title": "甲任务", "lead": ["县民政局"], "responsible": []},
        {"title": "丙任务", "lead": ["县教育局"]},
    ]}
    s, notes = extract_score.score(doc, truth)
    assert (s.c["truth"], s.c["drafted"], s.c["matched"]) == (2, 2, 1)
    assert s.c["invented"] == 1 and s.c["lead_ok"] == 1 and s.c["lead_n"] == 2
    assert "missed: 丙任务" in notes and "extra task: 乙任务" in notes


def test_fourth_held_out_set_is_what_the_issue_asks_for():
    # issue #17: at least 12 real documents not tuned on, at least 4 task tables, at least 40 tasks; each with its source
    docs = _documents("heldout4")
    names = [p.name for p, _ in docs]
    assert len(names) >= 12
    assert sum(n.endswith(".docx") for n in names) >= 4
    assert sum(len(t["task"]) for _, t in docs) >= 40
    for name in names:
        stem = name.rsplit(".", 1)[0]
        assert (FIXTURES / "heldout4" / f"{stem}.source").read_text(encoding="utf-8").startswith("http")


def test_fifth_held_out_set_is_what_the_issue_asks_for():
    # issue #17: at least 12 real documents not tuned on (12 sources, 14 drafts), at least 4 task tables, at least
    # 40 tasks; each with its source
    docs = _documents("heldout5")
    names = [p.name for p, _ in docs]
    assert len({n.rsplit(".", 1)[0] for n in names}) >= 12
    assert sum(n.endswith(".docx") for n in names) >= 4
    assert sum(len(t["task"]) for _, t in docs) >= 40
    for name in names:
        stem = name.rsplit(".", 1)[0]
        assert (FIXTURES / "heldout5" / f"{stem}.source").read_text(encoding="utf-8").startswith("http")
