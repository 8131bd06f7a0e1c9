"""Report files of a run: ``notes.csv``, ``mentions.csv``, ``errors.csv``, ``run.json``.

Every file is written to a temporary name in the report folder and renamed
into place when complete, so a killed run never leaves a half-written report
that looks finished.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from ..concepts import CONCEPT_KEYS
from ..notes import ReadError
from ..records import MENTION_COLUMNS, NoteResult

__all__ = ["ERROR_COLUMNS", "NOTE_COLUMNS", "REPORT_FILES", "ReportWriter", "sort_note_rows"]

NOTE_COLUMNS: tuple[str, ...] = (
    "note_id",
    "flag",
    "score",
    *CONCEPT_KEYS,
    "ck_max_u_per_l",
    "ck_max_fold_uln",
    "evidence",
    "n_mentions",
)
ERROR_COLUMNS: tuple[str, ...] = ("note_id", "source", "reason")
REPORT_FILES: tuple[str, ...] = ("notes.csv", "mentions.csv", "errors.csv", "run.json")


def sort_note_rows(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Flagged notes first, then by score (highest first), then by note id."""
    return sorted(rows, key=lambda r: (-int(r["flag"]), -float(r["score"]), str(r["note_id"])))


@contextmanager
def _atomic_text(path: Path) -> Iterator[TextIO]:
    """Open a temporary file next to ``path``; rename it onto ``path`` on success."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ReportWriter:
    """Collect results as they come and write the report files.

    Mentions and errors are streamed to temporary files; note rows are kept
    (one small dict per note) because ``notes.csv`` is sorted by score.
    """

    def __init__(self, out_dir: Path, *, overwrite: bool = False):
        self.out_dir = out_dir
        existing = [name for name in REPORT_FILES if (out_dir / name).exists()]
        if existing and not overwrite:
            raise FileExistsError(
                f"{out_dir} already holds reports ({', '.join(existing)}); "
                "pass --overwrite to replace them or choose another --out folder."
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        self.paths = {name: out_dir / name for name in REPORT_FILES}
        self._note_rows: list[dict[str, Any]] = []
        self.n_notes = self.n_flagged = self.n_errors = self.n_mentions = 0
        self._mentions = _atomic_text(self.paths["mentions.csv"])
        self._errors = _atomic_text(self.paths["errors.csv"])
        self._mention_writer = csv.DictWriter(
            self._mentions.__enter__(), fieldnames=MENTION_COLUMNS
        )
        self._error_writer = csv.DictWriter(self._errors.__enter__(), fieldnames=ERROR_COLUMNS)
        self._mention_writer.writeheader()
        self._error_writer.writeheader()

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        for stream in (self._mentions, self._errors):
            stream.__exit__(exc_type, exc, tb)

    def add(self, item: NoteResult | ReadError) -> None:
        """Record one processed note or one input that could not be processed."""
        if isinstance(item, ReadError):
            self.n_errors += 1
            self._error_writer.writerow(
                {"note_id": item.note_id, "source": item.source, "reason": item.reason}
            )
            return
        self.n_notes += 1
        self.n_flagged += int(item.flag)
        self._note_rows.append(item.as_row())
        for mention in item.mentions:
            self.n_mentions += 1
            self._mention_writer.writerow(mention.as_row())

    def finish(
        self, *, source: str, seconds: float, extra: Mapping[str, Any] | None = None
    ) -> None:
        """Write ``notes.csv`` and ``run.json`` (the streamed files close on exit)."""
        with _atomic_text(self.paths["notes.csv"]) as handle:
            writer = csv.DictWriter(handle, fieldnames=NOTE_COLUMNS)
            writer.writeheader()
            writer.writerows(sort_note_rows(self._note_rows))
        with _atomic_text(self.paths["run.json"]) as handle:
            json.dump(
                self._run_info(source, seconds, extra or {}), handle, indent=2, sort_keys=True
            )
            handle.write("\n")

    def _run_info(self, source: str, seconds: float, extra: Mapping[str, Any]) -> dict[str, Any]:
        from importlib.metadata import version

        from .. import __version__
        from ..resources import lexicons_hash

        return {
            "nmnlp_version": __version__,
            "python": platform.python_version(),
            "platform": sys.platform,
            "packages": {
                name: version(name) for name in ("spacy", "medspacy", "scikit-learn", "pandas")
            },
            "lexicons_sha256": lexicons_hash(),
            "scorer": "criteria (ENMC 2016-style, nmnlp.criteria)",
            "input": source,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "counts": {
                "notes": self.n_notes,
                "flagged": self.n_flagged,
                "errors": self.n_errors,
                "mentions": self.n_mentions,
            },
            "seconds": round(seconds, 3),
            "notes_per_second": round(self.n_notes / seconds, 2) if seconds else None,
            **extra,
        }
