#!/usr/bin/env python
"""Score nmnlp's assertion layer on the NegEx / ConText test set.

Reads ``../shared/data/negex/negex_testset_normalized.csv`` (2,376 sentences,
one annotated condition each; evaluation only, never shipped). For each row the
condition is located in the sentence (case-insensitive, any white space) and
made the target; nmnlp's sentence splitter, sectionizer and ConText rules run
as in the real pipeline, and each dimension is compared with the annotation:

* negation      ``is_negated``
* historical    ``is_historical`` or a past-history section
* hypothetical  ``is_hypothetical`` or an instructions section ("Not particular")
* experiencer   ``is_family`` or the family-history section (gold: not "Patient")

The condition is looked up case-insensitively; where it occurs more than once,
the occurrence written in upper case (how the test set marks the annotated one)
is used. Rows whose condition cannot be located count as affirmed / recent / patient.

    python scripts/eval_negex.py [--data PATH] [--out results.json] [--errors errors.tsv]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
DEFAULT_DATA = SHARED_DATA / "negex" / "negex_testset_normalized.csv"
DIMENSIONS = ("negation", "historical", "hypothetical", "experiencer")


def gold_labels(row: dict[str, str]) -> dict[str, bool]:
    return {
        "negation": row["negation"] == "Negated",
        "historical": row["temporality_mapped"] == "Historical",
        "hypothetical": row["temporality_mapped"].startswith("Hypothetical"),
        "experiencer": row["experiencer"] != "Patient",
    }


def locate(concept: str, sentence: str) -> tuple[int, int] | None:
    words = concept.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    matches = list(re.finditer(pattern, sentence, flags=re.IGNORECASE))
    # The test set marks the annotated occurrence by writing it in upper case.
    marked = [m for m in matches if m.group() == m.group().upper() != m.group().lower()]
    chosen = (marked or matches or [None])[0]
    return chosen.span() if chosen else None


def predict(nlp, sentence: str, span: tuple[int, int] | None) -> dict[str, bool]:
    from nmnlp.assertion import SECTION_STATUS

    if span is None:
        return dict.fromkeys(DIMENSIONS, False)
    doc = nlp.make_doc(sentence)
    for name in ("nmnlp_sentences", "nmnlp_sections"):
        doc = nlp.get_pipe(name)(doc)
    target = doc.char_span(*span, label="EVAL", alignment_mode="expand")
    doc.ents = [target]
    doc = nlp.get_pipe("nmnlp_context")(doc)
    target = doc.ents[0]
    section_status = SECTION_STATUS.get(target[0]._.section_category or "")
    return {
        "negation": bool(target._.is_negated),
        "historical": bool(target._.is_historical) or section_status == "historical",
        "hypothetical": bool(target._.is_hypothetical) or section_status == "hypothetical",
        "experiencer": bool(target._.is_family) or section_status == "family",
    }


def prf(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "gold": tp + fn,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, help="write the scores as JSON")
    parser.add_argument("--errors", type=Path, help="write misclassified rows (TSV) for rule work")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"skipped: NegEx test set not found at {args.data} (it lives in ../shared/data)")
        return 0

    from nmnlp.pipeline import build

    nlp = build(disable=("nmnlp_targets", "nmnlp_labs", "nmnlp_findings", "nmnlp_assertion"))
    with args.data.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pairs: dict[str, list[tuple[bool, bool]]] = {d: [] for d in DIMENSIONS}
    mistakes = []
    unlocated = 0
    for row in rows:
        span = locate(row["concept"], row["sentence"])
        unlocated += span is None
        gold, pred = gold_labels(row), predict(nlp, row["sentence"], span)
        for dim in DIMENSIONS:
            pairs[dim].append((gold[dim], pred[dim]))
            if gold[dim] != pred[dim]:
                mistakes.append(
                    (dim, "FN" if gold[dim] else "FP", row["id"], row["concept"], row["sentence"])
                )
    scores = {dim: prf(pairs[dim]) for dim in DIMENSIONS}
    print(
        f"NegEx test set: {len(rows)} rows "
        f"({unlocated} conditions not locatable, scored as affirmed)"
    )
    print("| dimension | precision | recall | F1 | gold positives |")
    print("|---|---|---|---|---|")
    for dim in DIMENSIONS:
        s = scores[dim]
        print(f"| {dim} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['gold']} |")
    if args.out:
        args.out.write_text(
            json.dumps({"rows": len(rows), "unlocated": unlocated, "scores": scores}, indent=2)
        )
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as handle:
            for mistake in sorted(mistakes):
                handle.write("\t".join(mistake) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
