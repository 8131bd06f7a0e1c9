#!/usr/bin/env python
"""Check that the sentence prefilter loses nothing: candidate docs vs whole notes.

For each note, the mentions from ``nmnlp.pipeline.candidate_doc`` (what
``nmnlp run`` uses) must equal those from ``nlp(text)`` (every component on
the whole note). Run it after changing rules or the prefilter. Prints counts
and the ids of differing notes, never note text; exits 1 on any difference.

    python scripts/check_candidates.py [--data PATH] [--limit N]

``--data``: a folder of ``.txt`` notes or a CSV / JSONL / Parquet table (default:
MTSamples in ``../shared/data`` when present, else the synthetic corpus).
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MTSAMPLES = ROOT / ".." / "shared" / "data" / "mtsamples" / "mtsamples.csv.gz"
SYNTHETIC = ROOT / "corpora" / "synthetic" / "notes.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--id-col", default=None)
    parser.add_argument("--text-col", default=None)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)

    from nmnlp import pipeline
    from nmnlp.api import load
    from nmnlp.notes import Note, iter_notes
    from nmnlp.records import mentions_from_doc

    data, id_col, text_col = args.data, args.id_col, args.text_col
    if data is None and MTSAMPLES.is_file():
        data, id_col, text_col = MTSAMPLES, "note_id", "transcription"
    elif data is None:
        data, id_col, text_col = SYNTHETIC, "note_id", "text"
    if data.suffix == ".gz":  # the readers take plain tables
        import gzip
        import shutil
        import tempfile

        plain = Path(tempfile.mkdtemp()) / data.stem
        with gzip.open(data, "rb") as src, plain.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        data = plain
    nlp = load()
    candidates = pipeline.candidate_filter(nlp)
    notes = [n for n in iter_notes(data, id_col=id_col, text_col=text_col) if isinstance(n, Note)]
    checked, differing, kept_chars, all_chars = 0, [], 0, 0
    started = time.perf_counter()
    for note in islice(notes, args.limit):
        doc = pipeline.candidate_doc(nlp, note.text, candidates)
        if mentions_from_doc(doc, note.note_id) != mentions_from_doc(nlp(note.text), note.note_id):
            differing.append(note.note_id)
        checked += 1
        kept_chars += len(doc.text)
        all_chars += len(note.text)
    print(
        f"{checked} notes checked in {time.perf_counter() - started:.0f} s; "
        f"{kept_chars / max(all_chars, 1):.1%} of the text kept; {len(differing)} differ"
        + (f": {', '.join(differing[:20])}" if differing else "")
    )
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
