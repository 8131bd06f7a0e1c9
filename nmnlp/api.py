"""The public Python API: ``load``, ``analyze``, ``analyze_dataframe``, ``run``.

The CLI is a thin shell over these functions; researchers call them directly.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, overload

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from . import __version__, pipeline
from .classifier import Scorer, default_scorer, load_scorer, score_notes
from .evidence import evidence_mentions, evidence_text, with_contributions
from .extraction import Extracted, extract_batch, internal_error
from .features import facts_from_mentions
from .notes import Note, ReadError, iter_notes
from .records import MENTION_COLUMNS, Mention, NoteResult, ck_summary, mentions_from_doc
from .reports.output import DEFAULT_UMASK
from .workers import extract as worker_extract
from .workers import start as workers_start

__all__ = [
    "DEFAULT_MAX_CHARS",
    "AnalysisTables",
    "RunSummary",
    "analyze",
    "analyze_dataframe",
    "iter_results",
    "load",
    "result_from_doc",
    "run",
]

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 64
# Longer notes go to errors.csv rather than exhausting memory in spaCy.
DEFAULT_MAX_CHARS = 2_000_000


def load(disable: Sequence[str] = ()) -> Language:
    """Build nmnlp's spaCy pipeline (tokenizer + ``nmnlp_*`` components).

    Args:
        disable: Component names to leave out (see ``nmnlp.pipeline.PIPE_NAMES``).

    Returns:
        A spaCy ``Language``; ``nlp(text).ents`` are the findings, each with
        ``span._.nmnlp_status`` and the ConText flags.
    """
    return pipeline.build(disable)


@functools.lru_cache(maxsize=1)
def _default_nlp() -> Language:
    return load()


def results_from_mentions(
    notes: Sequence[tuple[str, Sequence[Mention], dict[str, str] | None]],
    scorer: Scorer | None = None,
) -> list[NoteResult]:
    """Aggregate each note's mentions into statuses, CK summary, score, flag and evidence.

    Args:
        notes: ``(note_id, mentions, meta)`` per note.
        scorer: From :func:`nmnlp.classifier.load_scorer` (default: the shipped model).
            All notes are scored in one call.
    """
    scorer = scorer or default_scorer()
    facts = [facts_from_mentions(mentions) for _, mentions, _ in notes]
    scores = score_notes(scorer, facts)
    results = []
    for (note_id, mentions, meta), note_facts, note_score in zip(notes, facts, scores, strict=True):
        ck_max, ck_fold = ck_summary(mentions)
        evidence = evidence_mentions(note_score.contributions, note_facts.statuses, mentions)
        results.append(
            NoteResult(
                note_id=note_id,
                statuses=note_facts.statuses,
                ck_max_u_per_l=ck_max,
                ck_max_fold_uln=ck_fold,
                score=note_score.score,
                flag=note_score.flag,
                evidence=evidence_text(evidence),
                mentions=with_contributions(mentions, evidence),
                meta=dict(meta or {}),
            )
        )
    return results


def result_from_mentions(
    note_id: str,
    mentions: Sequence[Mention],
    meta: dict[str, str] | None = None,
    scorer: Scorer | None = None,
) -> NoteResult:
    """One note's :func:`results_from_mentions`."""
    return results_from_mentions([(note_id, mentions, meta)], scorer)[0]


def result_from_doc(
    doc: Doc, note_id: str, meta: dict[str, str] | None = None, scorer: Scorer | None = None
) -> NoteResult:
    """Turn a Doc processed by nmnlp's pipeline into a ``NoteResult``."""
    return result_from_mentions(note_id, mentions_from_doc(doc, note_id), meta, scorer)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def iter_results(
    notes: Iterable[Note | ReadError],
    nlp: Language | None = None,
    *,
    scorer: Scorer | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_chars: int = DEFAULT_MAX_CHARS,
    n_process: int = 1,
) -> Iterator[NoteResult | ReadError]:
    """Process notes lazily, in input order.

    ``ReadError`` items pass through unchanged. A note that is too long, or on
    which the pipeline fails, becomes a ``ReadError`` (with the exception type,
    never the note text) and the stream goes on.

    Args:
        notes: Notes (and read errors) in input order.
        nlp: A pipeline from :func:`load` (default: a shared one). With
            ``n_process > 1`` each worker builds its own default pipeline.
        scorer: From :func:`nmnlp.classifier.load_scorer` (default: the shipped model).
        batch_size: Notes per batch (and per task for workers).
        max_chars: Longer notes become errors.
        n_process: Processes sharing the work: this one and ``n_process - 1``
            workers. Results come back in input order and are the same
            whatever the number of processes.
    """
    scorer = scorer or default_scorer()
    batches = _batches(notes, batch_size)
    nlp = nlp or _default_nlp()
    if n_process > 1:
        yield from _parallel_results(batches, n_process - 1, max_chars, nlp, scorer)
        return
    for batch in batches:
        yield from process_batch(batch, nlp, max_chars, scorer)


def process_batch(
    batch: Sequence[Note | ReadError],
    nlp: Language,
    max_chars: int,
    scorer: Scorer | None = None,
) -> list[NoteResult | ReadError]:
    """Results for one batch, in order; one bad note never sinks the others.

    Extraction (:func:`nmnlp.extraction.extract_batch`) runs the pipeline only
    on the sentences that can hold a finding; the batch is then scored in one call.
    """
    return _scored(extract_batch(batch, nlp, max_chars), scorer or default_scorer())


def _parallel_results(
    batches: Iterable[list[Note | ReadError]],
    workers: int,
    max_chars: int,
    nlp: Language,
    scorer: Scorer,
) -> Iterator[NoteResult | ReadError]:
    """Batches shared by this process and ``workers`` worker processes; results in input order.

    Workers only extract (:mod:`nmnlp.workers`: no scikit-learn, no model);
    this process scores every batch. Each worker has at most 4 batches in
    flight. When they are all busy, this process extracts the next batch
    itself rather than wait, so no core idles while the workers start (spawn,
    then build the pipeline) and the work of this process (reading notes,
    scoring, writing reports) is balanced by itself. Workers return mentions,
    never Docs.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=workers_start) as pool:
        pending: deque[tuple[list[Note | ReadError], Future | list]] = deque()
        in_flight = 0
        for batch in batches:
            if in_flight < 4 * workers:
                pending.append((batch, pool.submit(worker_extract, batch, max_chars)))
                in_flight += 1
            else:
                pending.append((batch, extract_batch(batch, nlp, max_chars)))
            # Hand on what is ready; wait only when too much is held back.
            while pending and (_is_ready(pending[0][1]) or len(pending) > 8 * (workers + 1)):
                batch, work = pending.popleft()
                in_flight -= isinstance(work, Future)
                yield from _scored(_extraction_of(batch, work, max_chars, nlp), scorer)
        # No more input: rather than wait for the workers, take back what they have not started.
        while pending:
            if not _is_ready(pending[0][1]) and _take_back_one(pending, max_chars, nlp):
                continue
            batch, work = pending.popleft()
            yield from _scored(_extraction_of(batch, work, max_chars, nlp), scorer)


def _take_back_one(
    pending: deque[tuple[list[Note | ReadError], Future | list]], max_chars: int, nlp: Language
) -> bool:
    """Extract here the last pending batch no worker has started; ``False`` if there is none."""
    for index in reversed(range(len(pending))):
        batch, work = pending[index]
        if isinstance(work, Future) and work.cancel():
            pending[index] = (batch, extract_batch(batch, nlp, max_chars))
            return True
    return False


def _is_ready(work: Future | list) -> bool:
    return not isinstance(work, Future) or work.done()


def _extraction_of(
    batch: list[Note | ReadError], work: Future | list, max_chars: int, nlp: Language
) -> list[Extracted | ReadError]:
    if not isinstance(work, Future):
        return work  # extracted here
    try:
        return work.result()
    except Exception as err:  # noqa: BLE001 - a dead worker: redo its batch here
        logger.warning(
            "a worker failed (%s); processing its batch in the main process", type(err).__name__
        )
        return extract_batch(batch, nlp, max_chars)


def _scored(
    extracted: Sequence[Extracted | ReadError], scorer: Scorer
) -> list[NoteResult | ReadError]:
    """Score the extracted notes together; if that fails, one by one."""
    ready = [(e.note_id, e.mentions, e.meta) for e in extracted if isinstance(e, Extracted)]
    try:
        scored = iter(results_from_mentions(ready, scorer))
    except Exception:  # noqa: BLE001 - isolate the note that fails
        logger.warning("scoring a batch failed; scoring its %d notes one by one", len(ready))
        scored = iter(_scored_one_by_one(extracted, scorer))
    return [next(scored) if isinstance(item, Extracted) else item for item in extracted]


def _scored_one_by_one(
    extracted: Sequence[Extracted | ReadError], scorer: Scorer
) -> Iterator[NoteResult | ReadError]:
    for item in extracted:
        if isinstance(item, Extracted):
            try:
                yield result_from_mentions(item.note_id, item.mentions, item.meta, scorer)
            except Exception as err:  # noqa: BLE001 - report it, keep going
                yield internal_error(item.note_id, item.source, err)


@overload
def analyze(
    texts_or_notes: str, nlp: Language | None = None, scorer: Scorer | None = None
) -> NoteResult: ...
@overload
def analyze(
    texts_or_notes: Iterable[str | Note], nlp: Language | None = None, scorer: Scorer | None = None
) -> list[NoteResult]: ...


def analyze(texts_or_notes, nlp=None, scorer=None):
    """Analyse one text, or many texts / ``Note`` objects.

    Args:
        texts_or_notes: A note text, or an iterable of texts (ids "0", "1", ...)
            or of :class:`nmnlp.notes.Note`.
        nlp: A pipeline from :func:`load` (default: a shared one).
        scorer: From :func:`nmnlp.classifier.load_scorer` (default: the shipped model).

    Returns:
        One ``NoteResult`` for a single text, else a list in input order.

    Raises:
        ValueError: if a note could not be processed (the message says which and why).
    """
    if isinstance(texts_or_notes, str):
        return analyze([texts_or_notes], nlp, scorer)[0]
    notes = [
        item if isinstance(item, Note) else Note(str(i), item)
        for i, item in enumerate(texts_or_notes)
    ]
    results = []
    for item in iter_results(notes, nlp, scorer=scorer):
        if isinstance(item, ReadError):
            raise ValueError(f"note {item.note_id!r} could not be processed: {item.reason}")
        results.append(item)
    return results


def require_columns(available: Sequence[Any], *wanted: str | None) -> None:
    """Raise ``KeyError`` for the first ``wanted`` column (``None``: not wanted) not available.

    The message lists the columns that exist.
    """
    for column in wanted:
        if column is not None and column not in available:
            raise KeyError(
                f"column {column!r} not found; columns are: {', '.join(map(str, available))}"
            )


@dataclass(frozen=True)
class AnalysisTables:
    """pandas outputs of :func:`analyze_dataframe`."""

    notes: pd.DataFrame
    mentions: pd.DataFrame
    errors: pd.DataFrame


def analyze_dataframe(
    df: pd.DataFrame,
    text_col: str = "text",
    id_col: str | None = None,
    nlp: Language | None = None,
    scorer: Scorer | None = None,
) -> AnalysisTables:
    """Analyse a DataFrame of notes.

    Args:
        df: One row per note.
        text_col: Column with the note text.
        id_col: Column with note ids (default: the DataFrame index).
        nlp: A pipeline from :func:`load` (default: a shared one).
        scorer: From :func:`nmnlp.classifier.load_scorer` (default: the shipped model).

    Returns:
        ``AnalysisTables`` with ``notes`` (the ``notes.csv`` columns, input order),
        ``mentions`` and ``errors`` (rows with missing or unprocessable text).

    Raises:
        KeyError: if a named column is missing (the message lists the columns).
    """
    require_columns(list(df.columns), text_col, id_col)
    ids = df[id_col] if id_col is not None else df.index.to_series()
    items: list[Note | ReadError] = []
    for note_id, text in zip(ids.astype(str), df[text_col], strict=True):
        if not isinstance(text, str) or not text.strip():
            items.append(ReadError(note_id, f"row {note_id}", "note text is empty or missing"))
        else:
            items.append(Note(note_id, text))
    note_rows, mention_rows, error_rows = [], [], []
    for item in iter_results(items, nlp, scorer=scorer):
        if isinstance(item, ReadError):
            error_rows.append(
                {"note_id": item.note_id, "source": item.source, "reason": item.reason}
            )
            continue
        note_rows.append(item.as_row())
        mention_rows.extend(m.as_row() for m in item.mentions)
    from .reports import ERROR_COLUMNS, NOTE_COLUMNS

    return AnalysisTables(
        notes=pd.DataFrame(note_rows, columns=list(NOTE_COLUMNS)),
        mentions=pd.DataFrame(mention_rows, columns=list(MENTION_COLUMNS)),
        errors=pd.DataFrame(error_rows, columns=list(ERROR_COLUMNS)),
    )


@dataclass
class RunSummary:
    """What ``run`` did: counts, paths and timings."""

    out_dir: Path
    notes: int = 0
    flagged: int = 0
    errors: int = 0
    mentions: int = 0
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)


def run(
    source: str | Path,
    out_dir: str | Path,
    *,
    id_col: str | None = None,
    text_col: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_chars: int = DEFAULT_MAX_CHARS,
    n_process: int = 1,
    overwrite: bool = False,
    resume: bool = False,
    umask: int = DEFAULT_UMASK,
    review_text: bool = True,
    patient_col: str | None = None,
    patient_from_folder: bool = False,
    date_col: str | None = None,
    brat: bool = False,
    model: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process every note of ``source`` and write the reports into ``out_dir``.

    Writes ``notes.csv`` (flagged first, by score), ``mentions.csv``,
    ``errors.csv`` and ``run.json``. Every input note ends up in exactly one
    of ``notes.csv`` and ``errors.csv``. Results are checkpointed as they come,
    so an interrupted run can be finished with ``resume=True``; the reports are
    then the same as an uninterrupted run's, whatever ``n_process`` or
    ``batch_size``.

    Args:
        source: A folder of ``.txt`` notes, a ``.txt`` file, or a CSV / TSV /
            JSONL / Parquet table.
        out_dir: Report folder; created if missing.
        id_col, text_col: Column names for tables.
        batch_size: Notes per ``nlp.pipe`` batch.
        max_chars: Longer notes go to ``errors.csv``.
        n_process: Processes sharing the work (this one and ``n_process - 1`` workers).
        overwrite: Replace reports (or an unfinished run) already in ``out_dir``.
        resume: Finish the unfinished run in ``out_dir``.
        umask: Permission mask for the files and folders written (default:
            owner only, 0600 / 0700).
        review_text: Show the note text in ``review.html`` (else evidence only).
        patient_col: Table column with the patient id; writes ``patients.csv``.
        patient_from_folder: The patient id is the first folder of each note's
            path (``PATIENT/NOTE.txt``); writes ``patients.csv``.
        date_col: Table column with the note date (ISO), for ``patients.csv``.
        brat: Also write brat standoff files (``brat/``) for annotation tools.
        model: A model folder from ``nmnlp train``, or ``"criteria"`` for the
            transparent criteria score (default: the shipped model).
        progress: Called with the number of inputs handled after each one.

    Raises:
        nmnlp.notes.InputError: if the input cannot be read at all.
        FileExistsError: if ``out_dir`` already holds reports or an unfinished
            run and neither ``overwrite`` nor ``resume`` allows going on.
        nmnlp.reports.CheckpointError: if the run to resume used other settings.
        nmnlp.classifier.ModelError: if ``model`` is not a usable model folder.
    """
    from .reports import ReportWriter
    from .resources import lexicons_hash

    started = time.perf_counter()
    scorer = load_scorer(model)
    meta_cols = [col for col in (patient_col, date_col) if col]
    notes = iter_notes(source, id_col=id_col, text_col=text_col, meta_cols=meta_cols)
    fingerprint = {
        "patient_col": patient_col,
        "patient_from_folder": patient_from_folder,
        "date_col": date_col,
        "input": str(Path(source).resolve()),
        "id_col": id_col,
        "text_col": text_col,
        "max_chars": max_chars,
        "nmnlp_version": __version__,
        "lexicons_sha256": lexicons_hash(),
        "scorer": scorer.describe(),
    }
    summary = RunSummary(out_dir=Path(out_dir))
    with ReportWriter(
        Path(out_dir),
        fingerprint=fingerprint,
        overwrite=overwrite,
        resume=resume,
        umask=umask,
        review_text=review_text,
        patients=bool(patient_col or patient_from_folder),
        brat=brat,
        scorer=scorer.describe(),
    ) as writer:
        if writer.done:
            logger.info("resuming: %d inputs already done", writer.done)
            notes = islice(notes, writer.done, None)
            if progress is not None:
                progress(writer.done)
        # Results come back in input order: pair each with its note's text for the review page.
        texts: deque[str | None] = deque()

        def remember(items: Iterable[Note | ReadError]) -> Iterator[Note | ReadError]:
            for item in items:
                texts.append(item.text if isinstance(item, Note) else None)
                yield item

        results = iter_results(
            remember(notes),
            scorer=scorer,
            batch_size=batch_size,
            max_chars=max_chars,
            n_process=n_process,
        )
        for item in results:
            meta = item.meta if isinstance(item, NoteResult) else {}
            if patient_from_folder:
                patient_id = item.note_id.split("/", 1)[0] if "/" in item.note_id else None
            else:
                patient_id = meta.get(patient_col) if patient_col else None
            date = meta.get(date_col) if date_col else None
            writer.add(item, text=texts.popleft(), patient_id=patient_id, date=date)
            if progress is not None:
                progress(1)
        summary.seconds = time.perf_counter() - started
        counts = writer.finish(
            source=str(source), seconds=summary.seconds, extra={"n_process": n_process}
        )
    summary.notes, summary.flagged = counts["notes"], counts["flagged"]
    summary.errors, summary.mentions = counts["errors"], counts["mentions"]
    summary.files = {name: str(path) for name, path in writer.paths.items()}
    return summary
