#!/usr/bin/env python
"""Run ``nmnlp run`` over the 4,999 MTSamples reports and summarise the flags.

MTSamples (``../shared/data/mtsamples/mtsamples.csv.gz``) is real transcribed
text used for robustness and false-positive checks only; it is never shipped.
Essentially none of these reports describe necrotizing myopathy, so flagged
notes are false positives worth reading. Skips cleanly when the data is absent.

    python scripts/run_mtsamples.py [--out DIR] [--data PATH]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
DEFAULT_DATA = SHARED_DATA / "mtsamples" / "mtsamples.csv.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "nmnlp-mtsamples")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"skipped: MTSamples not found at {args.data} (it lives in ../shared/data)")
        return 0

    from nmnlp.api import run

    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "mtsamples.csv"
        with gzip.open(args.data, "rb") as src, table.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        started = time.perf_counter()
        summary = run(table, args.out, id_col="note_id", text_col="transcription", overwrite=True)
        seconds = time.perf_counter() - started
    notes = pd.read_csv(args.out / "notes.csv", dtype={"note_id": str})
    texts = pd.read_csv(args.data, dtype={"note_id": str})
    unique = texts.dropna(subset=["transcription"]).drop_duplicates("transcription")
    flagged = notes[notes["flag"] == 1]
    flagged_unique = flagged[flagged["note_id"].isin(unique["note_id"])]
    print(
        f"{summary.notes} notes processed, {summary.errors} errors, {seconds:.1f} s "
        f"({summary.notes / seconds:.1f} notes/s, including pipeline load)"
    )
    print(
        f"flagged: {len(flagged)} notes; {len(flagged_unique)} of {len(unique)} unique texts "
        f"({len(flagged_unique) / len(unique):.2%})"
    )
    specialty = texts.set_index("note_id")["medical_specialty"]
    for row in flagged.itertuples():
        where = specialty.get(row.note_id, "?").strip()
        print(f"  {row.note_id} [{where}] score={row.score}: {row.evidence}")
    print(f"reports: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
