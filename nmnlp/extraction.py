"""Mentions of a batch of notes: the pipeline step, without scoring.

A batch goes in as notes (and read errors, which pass through); what comes
out is, in the same order, each note's ``Extracted`` mentions or a
``ReadError`` saying why it could not be processed (the exception type, never
the note text). Scoring the notes is the next step (:mod:`nmnlp.api`), so this
module imports neither scikit-learn nor the model: it is all a worker process
of ``--n-process`` needs (:mod:`nmnlp.workers`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from . import pipeline
from .notes import Note, ReadError
from .records import Mention, mentions_from_doc

__all__ = ["Extracted", "extract_batch", "internal_error"]

logger = logging.getLogger(__name__)


class Extracted(NamedTuple):
    """One note's mentions, ready to be scored."""

    note_id: str
    mentions: list[Mention]
    meta: dict[str, str]
    source: str


def extract_batch(
    batch: Sequence[Note | ReadError], nlp: Language, max_chars: int
) -> list[Extracted | ReadError]:
    """Each note's mentions, in batch order; one bad note never sinks the others.

    Notes go through :func:`nmnlp.pipeline.note_processor`, which runs the
    pipeline only on the sentences that can hold a finding. Notes longer than
    ``max_chars`` become errors.
    """
    nlp.max_length = max(nlp.max_length, max_chars + 1)
    process = pipeline.note_processor(nlp)
    return [
        _extracted(item, process) if isinstance(item, Note) else item
        for item in (_check_length(item, max_chars) for item in batch)
    ]


def _extracted(note: Note, process: Callable[[str], Doc]) -> Extracted | ReadError:
    try:
        mentions = mentions_from_doc(process(note.text), note.note_id)
    except Exception as err:  # noqa: BLE001 - report it, keep going
        return internal_error(note.note_id, _source_of(note), err)
    return Extracted(note.note_id, mentions, dict(note.meta), _source_of(note))


def _check_length(item: Note | ReadError, max_chars: int) -> Note | ReadError:
    if isinstance(item, Note) and len(item.text) > max_chars:
        return ReadError(
            item.note_id,
            _source_of(item),
            f"note has {len(item.text):,} characters, more than the limit of {max_chars:,} "
            "(raise it with --max-chars)",
        )
    return item


def _source_of(note: Note) -> str:
    return str(note.meta.get("source", note.note_id))


def internal_error(note_id: str, source: str, err: Exception) -> ReadError:
    """The ``ReadError`` of a note nmnlp failed on: the exception type, never the text."""
    logger.error("note %s failed: %s", note_id, type(err).__name__)
    return ReadError(
        note_id,
        source,
        f"internal error while processing ({type(err).__name__}); please report it",
    )
