"""Seeded choices for one note: phrase banks with held-out variants, pronouns, numbers.

A :class:`Bank` holds the surface forms of one slot. Its ``heldout`` forms are
drawn only for notes of the held-out test split, so a model trained on the
train split never sees them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Bank", "Draw", "person_words"]

T = TypeVar("T")


@dataclass(frozen=True)
class Bank(Generic[T]):
    """Interchangeable surface forms; ``heldout`` ones appear only in the held-out split."""

    common: tuple[T, ...]
    heldout: tuple[T, ...] = ()

    def options(self, heldout: bool) -> tuple[T, ...]:
        """The forms a note may use."""
        return self.common + self.heldout if heldout else self.common


def person_words(female: bool) -> dict[str, str]:
    """Pronoun and noun placeholders for :meth:`Draw.fmt`."""
    if female:
        words = {
            "subj": "she",
            "obj": "her",
            "pos": "her",
            "man": "woman",
            "sx": "F",
            "mr": "Mrs",
            "child": "girl",
        }
    else:
        words = {
            "subj": "he",
            "obj": "him",
            "pos": "his",
            "man": "man",
            "sx": "M",
            "mr": "Mr",
            "child": "boy",
        }
    words.update(
        {
            k.capitalize(): v.capitalize()
            for k, v in list(words.items())
            if k in {"subj", "obj", "pos"}
        }
    )
    return words


@dataclass
class Draw:
    """All randomness of one note, plus what every phrase needs to know.

    Attributes:
        rng: The note's own ``random.Random``.
        heldout: Whether held-out phrase variants may be drawn.
        person: Placeholder values (``{subj}``, ``{pos}``, ``{Subj}`` ...).
        terse: Terse register (ED / progress notes): abbreviations, no subjects.
    """

    rng: random.Random
    heldout: bool = False
    person: Mapping[str, str] | None = None
    terse: bool = False

    def pick(self, bank: Bank[T] | Sequence[T]) -> T:
        """One form of a bank (or any sequence)."""
        options = bank.options(self.heldout) if isinstance(bank, Bank) else bank
        return self.rng.choice(tuple(options))

    def weighted(self, options: Mapping[T, float]) -> T:
        """One key of ``options`` drawn with the given weights."""
        keys = list(options)
        return self.rng.choices(keys, weights=[options[k] for k in keys])[0]

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.rng.random() < p

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        """``k`` distinct items of ``seq`` (fewer if ``seq`` is shorter)."""
        return self.rng.sample(list(seq), min(k, len(seq)))

    def shuffled(self, seq: Sequence[T]) -> list[T]:
        """A shuffled copy of ``seq``."""
        items = list(seq)
        self.rng.shuffle(items)
        return items

    def randint(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        return self.rng.randint(low, high)

    def uniform(self, low: float, high: float) -> float:
        """A float in ``[low, high]``."""
        return self.rng.uniform(low, high)

    def fmt(self, text: str) -> str:
        """Fill ``{subj}``, ``{pos}``, ``{Subj}`` ... placeholders."""
        if "{" not in text:
            return text
        return text.format_map(dict(self.person or {}))
