#!/usr/bin/env python
"""Throughput benchmark: nmnlp end to end vs stock medspaCy vs spaCy tokenisation.

Notes: the non-empty MTSamples reports (``../shared/data/mtsamples``) when
present, otherwise a generated synthetic corpus of the same size. Each system
runs in its own child process (so peak RSS is its own), ``--repeat`` times; the
median is reported.

* ``nmnlp``: end to end, as ``nmnlp run`` does it: read a CSV of the notes,
  run the pipeline, aggregate, write every report (``--n-process`` workers).
* ``medspacy``: ``medspacy.load()`` (default PyRuSH sentence splitter,
  TargetMatcher, ConText) with nmnlp's target rules added; ``nlp.pipe`` only.
  PyRuSH's loguru logger is disabled (its DEBUG messages cost time even unseen).
* ``blank``: ``spacy.blank("en")`` tokenisation only.

    python scripts/bench.py [--limit N] [--repeat 3] [--n-process 1] [--out bench.json]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
MTSAMPLES = SHARED_DATA / "mtsamples" / "mtsamples.csv.gz"
SYSTEMS = ("nmnlp", "medspacy", "blank")


def load_texts(limit: int | None) -> tuple[list[str], str]:
    if MTSAMPLES.is_file():
        with gzip.open(MTSAMPLES, "rt", encoding="utf-8") as handle:
            texts = [
                r["transcription"] for r in csv.DictReader(handle) if r["transcription"].strip()
            ]
        source = "MTSamples"
    else:
        from nmnlp.synth import generate

        texts = [note.text for note in generate(4966, seed=7)]
        source = "synthetic corpus (MTSamples absent)"
    return (texts[:limit] if limit else texts), source


def child(system: str, notes_csv: Path, repeat: int, n_process: int) -> dict:
    """Run one system ``repeat`` times in this process; return timings and peak RSS."""
    with notes_csv.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    started = time.perf_counter()
    if system == "nmnlp":
        import nmnlp.api

        nmnlp.api._default_nlp()
        run_once = lambda out: nmnlp.api.run(  # noqa: E731
            notes_csv, out, overwrite=True, n_process=n_process
        )
    elif system == "medspacy":
        import medspacy
        from loguru import logger

        from nmnlp.rules import load_target_rules

        logger.disable("PyRuSH")
        nlp = medspacy.load()
        nlp.get_pipe("medspacy_target_matcher").add(load_target_rules())
        run_once = lambda out: [None for _ in nlp.pipe(texts)]  # noqa: E731
    else:
        import spacy

        nlp = spacy.blank("en")
        run_once = lambda out: [None for _ in nlp.pipe(texts)]  # noqa: E731
    load_seconds = time.perf_counter() - started
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            began = time.perf_counter()
            run_once(Path(tmp) / "out")
            seconds.append(time.perf_counter() - began)
    return {
        "seconds": seconds,
        "load_seconds": load_seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="use only the first N notes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--out", type=Path, default=Path("bench.json"))
    parser.add_argument("--child", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--notes-csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.notes_csv, args.repeat, args.n_process)))
        return 0

    texts, source = load_texts(args.limit)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    results = {
        "source": source,
        "notes": len(texts),
        "megabytes": round(megabytes, 3),
        "systems": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        notes_csv = Path(tmp) / "notes.csv"
        with notes_csv.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["note_id", "text"])
            writer.writerows((str(i), text) for i, text in enumerate(texts))
        for system in args.systems.split(","):
            command = [
                sys.executable,
                __file__,
                "--child",
                system,
                "--notes-csv",
                str(notes_csv),
                "--repeat",
                str(args.repeat),
                "--n-process",
                str(args.n_process),
            ]
            proc = subprocess.run(command, capture_output=True, text=True, check=True)
            measured = json.loads(proc.stdout.strip().splitlines()[-1])
            median = statistics.median(measured["seconds"])
            measured.update(
                median_seconds=round(median, 3),
                notes_per_second=round(len(texts) / median, 1),
                mb_per_second=round(megabytes / median, 3),
            )
            results["systems"][system] = measured
    systems = results["systems"]
    print(f"{len(texts)} notes ({megabytes:.1f} MB) from {source}; median of {args.repeat} runs")
    print("| system | notes/s | MB/s | peak RSS (MB) | start-up (s) |")
    print("|---|---|---|---|---|")
    for name, m in systems.items():
        cells = (m["notes_per_second"], m["mb_per_second"], f"{m['peak_rss_mb']:.0f}")
        print(f"| {name} | {' | '.join(map(str, cells))} | {m['load_seconds']:.1f} |")
    if "nmnlp" in systems:
        for other in ("medspacy", "blank"):
            if other in systems:
                ratio = systems["nmnlp"]["notes_per_second"] / systems[other]["notes_per_second"]
                results[f"ratio_to_{other}"] = round(ratio, 3)
                print(f"nmnlp / {other}: {ratio:.2f}x")
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
