#!/usr/bin/env python
"""Throughput benchmark: nmnlp end to end vs stock medspaCy vs spaCy tokenisation.

Notes: the non-empty MTSamples reports (``../shared/data/mtsamples``) when
present, otherwise a generated synthetic corpus of the same size. Each system
runs in its own child process (so peak RSS is its own), ``--repeat`` times; the
median is reported, as wall-clock and as CPU time (this process and its
workers), since wall-clock is noisy on a shared machine.

* ``nmnlp``: end to end, as ``nmnlp run`` does it: read a CSV of the notes,
  run the pipeline, aggregate, write every report; one process.
* ``nmnlp2``: the same with ``--n-process 2`` (this process and one worker).
* ``medspacy``: ``medspacy.load()`` (default PyRuSH sentence splitter,
  TargetMatcher, ConText) with nmnlp's target rules added; ``nlp.pipe`` only.
  PyRuSH's loguru logger is disabled (its DEBUG messages cost time even unseen).
  At ~12 notes/s it runs on every ``--stock-every``-th note, ``--stock-repeat`` times.
* ``blank``: ``spacy.blank("en")`` tokenisation only.

Memory: ``nmnlp`` and ``nmnlp2`` also run once on the notes repeated
``--scale`` times (distinct ids) to show that peak RSS does not grow with the
number of notes. Start-up is the time to import nmnlp and build the pipeline.

    python scripts/bench.py [--limit N] [--repeat 3] [--systems nmnlp,nmnlp2,medspacy,blank]
                            [--stock-every 10] [--scale 10] [--out bench.json]

Writes ``--out`` (JSON) and the same table as Markdown next to it (``.md``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
MTSAMPLES = SHARED_DATA / "mtsamples" / "mtsamples.csv.gz"
SYSTEMS = ("nmnlp", "nmnlp2", "medspacy", "blank")
LABELS = {
    "nmnlp": "nmnlp, end to end (read → pipeline → all reports), 1 process",
    "nmnlp2": "nmnlp, end to end, `--n-process 2`",
    "medspacy": "stock medspaCy (`medspacy.load()` + nmnlp's target rules), `nlp.pipe` only",
    "blank": '`spacy.blank("en")` tokenisation only',
}


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


def write_notes(path: Path, texts: list[str], copies: int = 1) -> None:
    """A notes CSV; with ``copies`` > 1 the notes are repeated under distinct ids."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["note_id", "text"])
        for copy in range(copies):
            writer.writerows((f"{copy}-{i}", text) for i, text in enumerate(texts))


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class WorkerPeaks:
    """Peak RSS of this process's worker processes, from ``/proc`` (Linux).

    ``RUSAGE_CHILDREN`` cannot say it: a spawned worker starts as a fork of
    this process, and Linux keeps the fork's resident size (this whole
    process) as the worker's peak even after ``exec``. ``VmHWM`` in
    ``/proc/PID/status`` belongs to the worker's own program; it only grows,
    so reading it every 0.2 s until the worker ends misses at most the last
    moments. ``None`` where ``/proc`` is missing.
    """

    def __init__(self) -> None:
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> WorkerPeaks:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def largest(self) -> float | None:
        return max(self.peaks.values(), default=None) if self._thread.ident else None

    def _watch(self) -> None:
        me = str(os.getpid())
        while not self._stop.wait(0.2):
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    lines = status.read_text().splitlines()
                except OSError:
                    continue  # ended meanwhile
                fields = dict(line.split(":", 1) for line in lines if ":" in line)
                if fields.get("PPid", "").strip() == me and "VmHWM" in fields:
                    megabytes = int(fields["VmHWM"].split()[0]) / 1024
                    pid = int(status.parent.name)
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), megabytes)


def child(system: str, notes_csv: Path, repeat: int) -> dict:
    """Run one system ``repeat`` times in this process; return timings and peak RSS."""
    texts: list[str] = []
    if system in ("medspacy", "blank"):  # nmnlp reads the CSV itself, as `nmnlp run` does
        with notes_csv.open(encoding="utf-8", newline="") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
    started = time.perf_counter()
    if system in ("nmnlp", "nmnlp2"):
        import nmnlp.api
        from nmnlp.pipeline import note_processor

        note_processor(nmnlp.api._default_nlp())  # the pipeline and its sentence filter
        n_process = 2 if system == "nmnlp2" else 1
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
    elif system == "blank":
        import spacy

        nlp = spacy.blank("en")
        run_once = lambda out: [None for _ in nlp.pipe(texts)]  # noqa: E731
    load_seconds = time.perf_counter() - started
    seconds, cpu_seconds = [], []
    with tempfile.TemporaryDirectory() as tmp, WorkerPeaks() as worker_peaks:
        for _ in range(repeat):
            began, began_cpu = time.perf_counter(), _cpu_seconds()
            run_once(Path(tmp) / "out")
            seconds.append(time.perf_counter() - began)
            cpu_seconds.append(_cpu_seconds() - began_cpu)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = worker_peaks.largest()
    if workers is None:  # no /proc: an upper bound (see WorkerPeaks)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "load_seconds": load_seconds,
        "peak_rss_mb": own,
        # With --n-process 2: this process plus its worker.
        "peak_rss_total_mb": own + (workers if system == "nmnlp2" else 0),
    }


def measure(system: str, notes_csv: Path, repeat: int, notes: int, megabytes: float) -> dict:
    """Run ``system`` in a child process and summarise it."""
    command = [sys.executable, __file__, "--child", system, "--notes-csv", str(notes_csv)]
    command += ["--repeat", str(repeat)]
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    measured = json.loads(proc.stdout.strip().splitlines()[-1])
    median = statistics.median(measured["seconds"])
    median_cpu = statistics.median(measured["cpu_seconds"])
    measured.update(
        notes=notes,
        runs=repeat,
        median_seconds=round(median, 3),
        notes_per_second=round(notes / median, 1),
        notes_per_cpu_second=round(notes / median_cpu, 1),
        mb_per_second=round(megabytes / median, 3),
    )
    return measured


def table(results: dict) -> str:
    """The results as a Markdown table."""
    lines = [
        "| system | notes | runs | notes/s (wall) | notes per CPU-s | MB/s | peak RSS (MB) "
        "| start-up (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, m in results["systems"].items():
        rss = f"{m['peak_rss_total_mb']:.0f}"
        cells = [
            LABELS.get(name.split("@")[0], name)
            + (" ×" + name.split("@")[1] if "@" in name else ""),
            f"{m['notes']:,}",
            str(m["runs"]),
            str(m["notes_per_second"]),
            str(m["notes_per_cpu_second"]),
            str(m["mb_per_second"]),
            rss,
            f"{m['load_seconds']:.1f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="use only the first N notes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--stock-every", type=int, default=10, help="stock medspaCy sample step")
    parser.add_argument("--stock-repeat", type=int, default=1)
    parser.add_argument("--scale", type=int, default=10, help="copies for the memory run (0: skip)")
    parser.add_argument("--out", type=Path, default=Path("bench.json"))
    parser.add_argument("--child", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--notes-csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.notes_csv, args.repeat)))
        return 0

    texts, source = load_texts(args.limit)
    systems = args.systems.split(",")
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    results: dict = {"source": source, "notes": len(texts), "megabytes": round(megabytes, 3)}
    results["systems"] = {}
    with tempfile.TemporaryDirectory() as tmp:
        notes_csv = Path(tmp) / "notes.csv"
        write_notes(notes_csv, texts)
        for system in systems:
            if system == "medspacy":
                sample = texts[:: args.stock_every]
                sample_csv = Path(tmp) / "sample.csv"
                write_notes(sample_csv, sample)
                sample_mb = sum(len(t.encode("utf-8")) for t in sample) / 1e6
                measured = measure(system, sample_csv, args.stock_repeat, len(sample), sample_mb)
                measured["sample"] = f"every {args.stock_every}th note"
            else:
                measured = measure(system, notes_csv, args.repeat, len(texts), megabytes)
            results["systems"][system] = measured
        if args.scale > 1:
            scaled_csv = Path(tmp) / "scaled.csv"
            write_notes(scaled_csv, texts, copies=args.scale)
            for system in [s for s in systems if s.startswith("nmnlp")]:
                results["systems"][f"{system}@{args.scale}"] = measure(
                    system, scaled_csv, 1, len(texts) * args.scale, megabytes * args.scale
                )
    measured = results["systems"]
    for base in ("nmnlp", "nmnlp2"):
        for other in ("medspacy", "blank"):
            if base in measured and other in measured:
                ratio = measured[base]["notes_per_second"] / measured[other]["notes_per_second"]
                results[f"ratio_{base}_to_{other}"] = round(ratio, 2)
    if "nmnlp" in measured and "nmnlp2" in measured:
        for key in ("notes_per_second", "notes_per_cpu_second"):
            ratio = measured["nmnlp2"][key] / measured["nmnlp"][key]
            results[f"ratio_nmnlp2_to_nmnlp_{key}"] = round(ratio, 2)
    markdown = table(results)
    summary = [
        f"{len(texts):,} notes ({megabytes:.1f} MB) from {source}; median of {args.repeat} runs"
        + (
            f"; stock medspaCy on every {args.stock_every}th note, {args.stock_repeat} run(s)"
            if "medspacy" in measured
            else ""
        ),
        markdown,
        *(f"{key}: {value}x" for key, value in results.items() if key.startswith("ratio_")),
    ]
    print("\n".join(summary))
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text("\n\n".join(summary[:2]) + "\n", encoding="utf-8")
    print(f"written: {args.out} and {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(argv=None))
