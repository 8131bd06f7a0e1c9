"""Synthetic annotated corpus of necrotizing-myopathy notes and their mimics.

>>> from nmnlp.synth import generate, write_corpus
>>> notes = generate(3000, seed=13)          # doctest: +SKIP
>>> write_corpus(notes, "corpora/synthetic")  # doctest: +SKIP

Every note is built from pieces that know their concept and status, so gold
spans are exact by construction (see ``corpora/synthetic/README.md`` for the
annotation conventions and the held-out split).
"""

from __future__ import annotations

from .families import FAMILIES
from .generate import SPLITS, generate
from .model import GoldMention, SyntheticNote
from .sections import HELDOUT_STYLE, STYLES
from .writer import write_corpus

__all__ = [
    "FAMILIES",
    "HELDOUT_STYLE",
    "SPLITS",
    "STYLES",
    "GoldMention",
    "SyntheticNote",
    "generate",
    "write_corpus",
]
