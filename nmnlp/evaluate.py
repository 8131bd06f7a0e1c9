"""Measure nmnlp against annotated notes: mentions, note statuses, CK, flags.

Two kinds of reference:

* an annotated corpus folder (``notes.jsonl``, ``gold_notes.csv``,
  ``gold_mentions.csv``; e.g. ``corpora/synthetic/``), and
* a ``notes.csv`` written by ``nmnlp run`` in which a reviewer filled the
  ``review_label`` column (1 / 0), so a site can measure flags on its own charts.

The metric functions are pure and take plain rows; ``evaluate_corpus`` and
``evaluate_reviewed`` read the files.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import brier_score_loss, roc_auc_score

from .concepts import CONCEPT_KEYS
from .records import NoteResult

__all__ = [
    "flag_metrics",
    "mention_metrics",
    "note_status_accuracy",
    "ck_exactness",
    "evaluate_corpus",
    "evaluate_reviewed",
]


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def flag_metrics(
    labels: Sequence[int], flags: Sequence[int], scores: Sequence[float]
) -> dict[str, Any]:
    """Sensitivity, specificity, PPV, AUROC and Brier score of flags against labels."""
    tp = sum(1 for y, f in zip(labels, flags, strict=True) if y and f)
    fn = sum(1 for y, f in zip(labels, flags, strict=True) if y and not f)
    fp = sum(1 for y, f in zip(labels, flags, strict=True) if not y and f)
    tn = sum(1 for y, f in zip(labels, flags, strict=True) if not y and not f)
    both_classes = len(set(labels)) == 2
    return {
        "n": len(labels),
        "tp": tp,
        "fn": fn,
        "fp": fp,
        "tn": tn,
        "sensitivity": _ratio(tp, tp + fn),
        "specificity": _ratio(tn, tn + fp),
        "ppv": _ratio(tp, tp + fp),
        "auroc": float(roc_auc_score(labels, scores)) if both_classes else None,
        "brier": float(brier_score_loss(labels, scores)) if labels else None,
    }


def mention_metrics(
    gold: Iterable[Mapping[str, Any]], predicted: Iterable[Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Per-concept P/R/F1 (a prediction matches a gold mention of the same note and
    concept whose span it overlaps) and status accuracy over matched pairs."""
    gold_by = defaultdict(list)
    for g in gold:
        gold_by[(g["note_id"], g["concept"])].append(g)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    matched_gold: set[int] = set()
    for p in predicted:
        key = (p["note_id"], p["concept"])
        hit = next(
            (
                g
                for g in gold_by.get(key, ())
                if int(g["start"]) < int(p["end"]) and int(p["start"]) < int(g["end"])
            ),
            None,
        )
        stats = counts[p["concept"]]
        if hit is None:
            stats["fp"] += 1
            continue
        stats["tp"] += 1
        stats["status_correct"] += hit["status"] == p["status"]
        matched_gold.add(id(hit))
    for mentions in gold_by.values():
        for g in mentions:
            if id(g) not in matched_gold:
                counts[g["concept"]]["fn"] += 1
    result = {}
    for concept in CONCEPT_KEYS:
        c = counts.get(concept, {})
        tp, fp, fn = c.get("tp", 0), c.get("fp", 0), c.get("fn", 0)
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall
            else None
        )
        result[concept] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "status_accuracy": _ratio(c.get("status_correct", 0), tp),
        }
    return result


def note_status_accuracy(
    gold: Mapping[str, Mapping[str, str]], predicted: Mapping[str, Mapping[str, str]]
) -> dict[str, float | None]:
    """Share of notes whose note-level status matches, per concept, and the mean."""
    ids = [note_id for note_id in gold if note_id in predicted]
    result: dict[str, float | None] = {
        concept: _ratio(sum(gold[i][concept] == predicted[i][concept] for i in ids), len(ids))
        for concept in CONCEPT_KEYS
    }
    values = [v for v in result.values() if v is not None]
    result["mean"] = sum(values) / len(values) if values else None
    return result


def ck_exactness(
    gold: Mapping[str, float | None], predicted: Mapping[str, float | None]
) -> float | None:
    """Share of notes whose largest patient CK matches (both absent, or within 0.5 U/L)."""
    ids = [i for i in gold if i in predicted]
    same = sum(
        (gold[i] is None and predicted[i] is None)
        or (gold[i] is not None and predicted[i] is not None and abs(gold[i] - predicted[i]) < 0.5)
        for i in ids
    )
    return _ratio(same, len(ids))


def _number(value: Any) -> float | None:
    return float(value) if value not in (None, "") else None


def evaluate_corpus(
    corpus: Path, results: Sequence[NoteResult], split: str | None = None
) -> dict[str, Any]:
    """Score ``results`` (one per corpus note) against the corpus annotations."""
    with (corpus / "gold_notes.csv").open(encoding="utf-8", newline="") as handle:
        gold_notes = {row["note_id"]: row for row in csv.DictReader(handle)}
    if split:
        gold_notes = {k: v for k, v in gold_notes.items() if v.get("split") == split}
    with (corpus / "gold_mentions.csv").open(encoding="utf-8", newline="") as handle:
        gold_mentions = [row for row in csv.DictReader(handle) if row["note_id"] in gold_notes]
    results = [r for r in results if r.note_id in gold_notes]
    predicted_mentions = [m.as_row() for r in results for m in r.mentions]
    return {
        "corpus": str(corpus),
        "split": split or "all",
        "notes": len(results),
        "mentions": mention_metrics(gold_mentions, predicted_mentions),
        "note_status_accuracy": note_status_accuracy(
            {k: {c: v[c] for c in CONCEPT_KEYS} for k, v in gold_notes.items()},
            {r.note_id: r.statuses for r in results},
        ),
        "ck_exactness": ck_exactness(
            {k: _number(v["ck_max_u_per_l"]) for k, v in gold_notes.items()},
            {r.note_id: r.ck_max_u_per_l for r in results},
        ),
        "flag": flag_metrics(
            [int(gold_notes[r.note_id]["label"]) for r in results],
            [int(r.flag) for r in results],
            [r.score for r in results],
        ),
    }


def evaluate_reviewed(notes_csv: Path) -> dict[str, Any]:
    """Flag metrics of a ``notes.csv`` whose ``review_label`` a reviewer filled in.

    Raises:
        ValueError: if there is no ``review_label`` column or no labelled row.
    """
    with notes_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "review_label" not in rows[0]:
        raise ValueError(
            f"{notes_csv} has no review_label column; is it a notes.csv from nmnlp run?"
        )
    labelled = [r for r in rows if r.get("review_label", "").strip() in {"0", "1"}]
    if not labelled:
        raise ValueError(f"{notes_csv}: no row has review_label 0 or 1 yet.")
    return {
        "notes_csv": str(notes_csv),
        "labelled": len(labelled),
        "unlabelled": len(rows) - len(labelled),
        "flag": flag_metrics(
            [int(r["review_label"]) for r in labelled],
            [int(r["flag"]) for r in labelled],
            [float(r["score"]) for r in labelled],
        ),
    }


def read_corpus_notes(corpus: Path) -> list[tuple[str, str]]:
    """``(note_id, text)`` of every note in a corpus folder's ``notes.jsonl``."""
    with (corpus / "notes.jsonl").open(encoding="utf-8") as handle:
        return [(rec["note_id"], rec["text"]) for rec in map(json.loads, handle)]
