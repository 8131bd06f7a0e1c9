"""The worker processes of ``--n-process``: extraction only, with lean imports.

A worker builds the spaCy pipeline once (:func:`start`, the pool's
initializer) and turns batches of notes into mentions (:func:`extract`); the
main process scores them, so a worker never loads scikit-learn or the model.

medspaCy 1.3.1 imports QuickUMLS when it is imported, only to register a
component that nmnlp never adds; QuickUMLS imports NLTK, which imports
scikit-learn, SciPy and pandas: about 160 MB and a second of start-up per
worker. A worker is a fresh process that runs only this module, so before
importing medspaCy it registers an empty stand-in for QuickUMLS (unless the
real one is already loaded). Nothing else in the worker could use it.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from .extraction import Extracted
    from .notes import Note, ReadError

__all__ = ["extract", "start"]

_NLP: Language | None = None


def start() -> None:
    """Initialise a worker: build the pipeline (without QuickUMLS behind medspaCy)."""
    global _NLP
    _stand_in_for_quickumls()
    from .pipeline import build

    _NLP = build()


def extract(batch: Sequence[Note | ReadError], max_chars: int) -> list[Extracted | ReadError]:
    """:func:`nmnlp.extraction.extract_batch` with this worker's pipeline."""
    from .extraction import extract_batch

    if _NLP is None:
        raise RuntimeError("nmnlp worker not started: call nmnlp.workers.start() first")
    return extract_batch(batch, _NLP, max_chars)


def _stand_in_for_quickumls() -> None:
    if "medspacy" in sys.modules or "quickumls" in sys.modules:
        return  # too late to matter, or the real one is in use
    package = types.ModuleType("quickumls")
    package.__doc__ = "Empty stand-in in an nmnlp worker: nmnlp does not use QuickUMLS."
    package.__path__ = []  # a package, so that submodule imports resolve to the stand-ins
    component = types.ModuleType("quickumls.spacy_component")
    package.spacy_component = component  # type: ignore[attr-defined]
    sys.modules["quickumls"] = package
    sys.modules["quickumls.spacy_component"] = component
