"""Report files of a run: ``notes.csv``, ``mentions.csv``, ``errors.csv``, ``run.json``.

Results go to a checkpoint in the report folder as they are produced
(:mod:`nmnlp.reports.checkpoint`); the report files are built from it at the
end, each written to a temporary name and renamed into place
(:mod:`nmnlp.reports.output`). A killed run leaves no half-written report, and
``--resume`` finishes it with the same reports an uninterrupted run writes.
"""

from __future__ import annotations

import csv
import heapq
import json
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from ..concepts import CONCEPT_KEYS
from ..notes import ReadError
from ..records import MENTION_COLUMNS, Mention, NoteResult
from .brat import write_brat
from .cells import safe_row
from .checkpoint import CHECKPOINT_NAME, Checkpoint, CheckpointError
from .output import DEFAULT_UMASK, OutputFolder
from .patients import PATIENT_COLUMNS, patient_rows

__all__ = [
    "DEFAULT_UMASK",
    "ERROR_COLUMNS",
    "NOTE_COLUMNS",
    "REPORT_FILES",
    "CheckpointError",
    "ReportWriter",
    "run_info",
    "sort_note_rows",
    "write_csv",
]

NOTE_COLUMNS: tuple[str, ...] = (
    "note_id",
    "flag",
    "score",
    *CONCEPT_KEYS,
    "ck_max_u_per_l",
    "ck_max_fold_uln",
    "evidence",
    "n_mentions",
    "review_label",  # left empty for the reviewer; read back by evaluation
)
ERROR_COLUMNS: tuple[str, ...] = ("note_id", "source", "reason")
REPORT_FILES: tuple[str, ...] = (
    "notes.csv",
    "mentions.csv",
    "errors.csv",
    "patients.csv",  # only when notes carry a patient id
    "review.html",
    "run.json",
)
BRAT_FOLDER = "brat"
# CSVs open cleanly in spreadsheets: UTF-8 with a byte-order mark (pandas reads it as well).
CSV_ENCODING = "utf-8-sig"
# review.html shows at most this many notes (flagged first, by score) so it stays usable.
REVIEW_MAX_NOTES = 10_000
# Results between two flushes of the checkpoint (lost, and redone, after a kill).
FLUSH_EVERY = 64


# notes.csv rows held in memory at once while sorting; more go to sorted temporary files.
SORT_CHUNK_ROWS = 10_000
# Where a sorted note row was recorded in the checkpoint (not a notes.csv column).
_PLACE = "_checkpoint_place"


def _note_row_order(row: Mapping[str, Any]) -> tuple[int, float, str]:
    return -int(row["flag"]), -float(row["score"]), str(row["note_id"])


def sort_note_rows(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Flagged notes first, then by score (highest first), then by note id."""
    return sorted(rows, key=_note_row_order)


class _NoteRowSorter:
    """Note rows in :func:`sort_note_rows` order without holding them all in memory.

    Every ``SORT_CHUNK_ROWS`` rows are sorted and written as JSON lines to a
    private temporary folder inside the report folder; reading merges them
    (stable, so equal rows keep their input order, as with ``sorted``).
    """

    def __init__(self, folder: Path):
        self._folder = tempfile.TemporaryDirectory(dir=folder, prefix=".sorting-")
        self._chunks: list[Path] = []
        self._rows: list[Mapping[str, Any]] = []

    def add(self, row: Mapping[str, Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= SORT_CHUNK_ROWS:
            path = Path(self._folder.name) / f"{len(self._chunks)}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(r) + "\n" for r in sort_note_rows(self._rows))
            self._chunks.append(path)
            self._rows = []

    def rows(self) -> Iterator[Mapping[str, Any]]:
        """All rows added, sorted; may be read more than once."""
        chunks = [_json_lines(path) for path in self._chunks]
        return heapq.merge(*chunks, iter(sort_note_rows(self._rows)), key=_note_row_order)

    def close(self) -> None:
        self._folder.cleanup()


def _json_lines(path: Path) -> Iterator[Mapping[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def write_csv(
    folder: OutputFolder, name: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> None:
    """Write ``rows`` as the spreadsheet-safe CSV ``name`` in ``folder`` (atomically).

    Missing cells are left empty; text cells that could run as formulas are quoted
    (:func:`nmnlp.reports.cells.safe_row`).
    """
    with folder.atomic_text(name, CSV_ENCODING) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(safe_row(dict(row)) for row in rows)


class ReportWriter:
    """Record results in a checkpoint and build the report files from it.

    Args:
        out_dir: The report folder.
        fingerprint: The input and options that change results; a resumed run
            must match it.
        overwrite: Replace reports or an unfinished run already in ``out_dir``.
        resume: Continue the unfinished run in ``out_dir`` (``done`` inputs are
            recorded; the caller skips them).
        umask: Permission mask for created files and folders (default: owner only).
        review_text: Put the note text in ``review.html`` (else evidence snippets only).
        patients: Notes carry patient ids: write ``patients.csv``.
        brat: Also write the mentions as brat standoff files under ``brat/``.
        scorer: What scored the notes (``Scorer.describe()``: name, threshold,
            model hash), for ``run.json`` and the review page (default: the
            shipped model).

    Raises:
        FileExistsError: ``out_dir`` holds reports or an unfinished run and
            neither ``overwrite`` nor (for an unfinished run) ``resume`` is set.
        CheckpointError: the unfinished run used another input or options.
    """

    def __init__(
        self,
        out_dir: Path,
        *,
        fingerprint: Mapping[str, Any],
        overwrite: bool = False,
        resume: bool = False,
        umask: int = DEFAULT_UMASK,
        review_text: bool = True,
        patients: bool = False,
        brat: bool = False,
        scorer: Mapping[str, Any] | None = None,
    ):
        if scorer is None:
            from ..classifier import default_scorer

            scorer = default_scorer().describe()
        self.scorer = dict(scorer)
        self.folder = OutputFolder(out_dir, umask)
        self.review_text = review_text
        self.patients = patients
        self.brat = brat
        self.paths = {name: out_dir / name for name in REPORT_FILES}
        checkpoint_path = out_dir / CHECKPOINT_NAME
        reports = [name for name, path in self.paths.items() if path.exists()]
        unfinished = checkpoint_path.exists()
        if resume and unfinished and not overwrite:
            self.checkpoint = Checkpoint.resume(
                checkpoint_path, self.folder.open_append, fingerprint
            )
            self.resumed = True
            return
        if (reports or unfinished) and not overwrite:
            what = "an unfinished run" if unfinished else f"reports ({', '.join(reports)})"
            hint = "--resume to finish it, " if unfinished else ""
            raise FileExistsError(
                f"{out_dir} already holds {what}; pass {hint}--overwrite to replace it, "
                "or choose another --out folder."
            )
        self.folder.create()
        for path in [*self.paths.values(), checkpoint_path]:
            path.unlink(missing_ok=True)
        if (out_dir / BRAT_FOLDER).is_dir():
            shutil.rmtree(out_dir / BRAT_FOLDER)
        handle = self.folder.open_append(CHECKPOINT_NAME)
        self.checkpoint = Checkpoint.start(checkpoint_path, handle, fingerprint)
        self.resumed = False

    @property
    def done(self) -> int:
        """Inputs recorded so far (including those of the run being resumed)."""
        return self.checkpoint.done

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.checkpoint.close()

    def add(
        self,
        item: NoteResult | ReadError,
        text: str | None = None,
        *,
        patient_id: str | None = None,
        date: str | None = None,
    ) -> None:
        """Record one processed note (with its text, patient and date), or one error."""
        if isinstance(item, ReadError):
            record: dict[str, Any] = {
                "error": {"note_id": item.note_id, "source": item.source, "reason": item.reason}
            }
        else:
            record = {"note": item.as_row(), "mentions": [m.as_row() for m in item.mentions]}
            if (self.review_text or self.brat) and text is not None:
                record["text"] = text
            if patient_id:
                record["patient_id"] = patient_id
            if date:
                record["date"] = date
        self.checkpoint.append(record)
        if self.checkpoint.done % FLUSH_EVERY == 0:
            self.checkpoint.flush()

    def finish(
        self, *, source: str, seconds: float, extra: Mapping[str, Any] | None = None
    ) -> dict[str, int]:
        """Write the report files from the checkpoint, then remove it.

        Returns:
            Counts of notes, flagged notes, errors and mentions.
        """
        note_rows = _NoteRowSorter(self.folder.path)
        patient_of: dict[str, str] = {}
        date_of: dict[str, str] = {}
        counts = {"notes": 0, "flagged": 0, "errors": 0, "mentions": 0}
        with (
            self.folder.atomic_text("mentions.csv", CSV_ENCODING) as mentions_file,
            self.folder.atomic_text("errors.csv", CSV_ENCODING) as errors_file,
        ):
            mentions = csv.DictWriter(mentions_file, fieldnames=MENTION_COLUMNS)
            errors = csv.DictWriter(errors_file, fieldnames=ERROR_COLUMNS)
            mentions.writeheader()
            errors.writeheader()
            for place, record in self.checkpoint.located_records():
                if "error" in record:
                    counts["errors"] += 1
                    errors.writerow(safe_row(record["error"]))
                    continue
                note_rows.add({**record["note"], _PLACE: place})
                note_id = record["note"]["note_id"]
                if "patient_id" in record:
                    patient_of[note_id] = record["patient_id"]
                if "date" in record:
                    date_of[note_id] = record["date"]
                if self.brat and "text" in record:
                    mentions_of_note = [Mention.from_row(m) for m in record["mentions"]]
                    write_brat(
                        self.folder.path / BRAT_FOLDER, note_id, record["text"], mentions_of_note
                    )
                counts["notes"] += 1
                counts["flagged"] += int(record["note"]["flag"])
                counts["mentions"] += len(record["mentions"])
                mentions.writerows(safe_row(m) for m in record["mentions"])
        # review.html shows the first notes in report order; where they are in the checkpoint:
        shown: list[int] = []

        def remember_shown(rows: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
            for row in rows:
                if len(shown) < REVIEW_MAX_NOTES:
                    shown.append(row[_PLACE])
                yield {key: value for key, value in row.items() if key != _PLACE}

        write_csv(self.folder, "notes.csv", NOTE_COLUMNS, remember_shown(note_rows.rows()))
        if self.brat and (self.folder.path / BRAT_FOLDER).is_dir():
            self.folder.restrict(self.folder.path / BRAT_FOLDER)
        if self.patients:
            rows = patient_rows(note_rows.rows(), patient_of, date_of or None)
            write_csv(self.folder, "patients.csv", PATIENT_COLUMNS, rows)
            counts["patients"] = len(set(patient_of.values()))
        note_rows.close()
        with self.folder.atomic_text("review.html") as handle:
            self._write_review_page(handle, shown, counts)
        with self.folder.atomic_text("run.json") as handle:
            info = run_info(
                source, seconds, counts, resumed=self.resumed, scorer=self.scorer, extra=extra or {}
            )
            json.dump(info, handle, indent=2, sort_keys=True)
            handle.write("\n")
        self.checkpoint.close()
        self.checkpoint.path.unlink()
        return counts

    def _write_review_page(
        self, handle: TextIO, shown: Sequence[int], counts: Mapping[str, int]
    ) -> None:
        """review.html for the notes recorded at ``shown`` (in page order), one at a time."""
        from .. import __version__
        from ..resources import lexicons_hash
        from .html import ReviewSummary, ReviewTally, write_review

        tally = ReviewTally()
        for note in self._review_notes(shown):
            tally.add(note)
        summary = ReviewSummary(
            notes=counts["notes"],
            flagged=counts["flagged"],
            errors=counts["errors"],
            nmnlp_version=__version__,
            lexicons_sha256=lexicons_hash(),
            scorer=str(self.scorer["name"]),
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
            flag_threshold=float(self.scorer["threshold"]),
        )
        write_review(
            handle, self._review_notes(shown), tally, summary, include_text=self.review_text
        )

    def _review_notes(self, places: Sequence[int]) -> Iterator[Any]:
        from .html import ReviewNote

        for record in self.checkpoint.records_at(places):
            row = record["note"]
            yield ReviewNote(
                note_id=row["note_id"],
                score=row["score"],
                flag=bool(row["flag"]),
                statuses={key: row[key] for key in CONCEPT_KEYS},
                ck_max_u_per_l=row["ck_max_u_per_l"],
                ck_max_fold_uln=row["ck_max_fold_uln"],
                evidence=row["evidence"],
                mentions=[Mention.from_row(m) for m in record["mentions"]],
                text=record.get("text") if self.review_text else None,
                patient_id=record.get("patient_id"),
            )


def run_info(
    source: str,
    seconds: float,
    counts: Mapping[str, int],
    *,
    resumed: bool,
    scorer: Mapping[str, Any],
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``run.json`` content: versions, lexicon hash, input, counts, timing and ``extra``."""
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
        "scorer": dict(scorer),
        "input": source,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "resumed": resumed,
        "counts": dict(counts),
        "seconds": round(seconds, 3),
        **extra,
    }
