"""Generate the corpus: family, style and split per note, then case -> pieces -> text + gold."""

from __future__ import annotations

import random
from collections import defaultdict

from ..assertion import note_status
from ..concepts import CONCEPT_KEYS
from .compose import compose
from .draw import Draw, person_words
from .families import FAMILIES, build_case
from .model import GoldMention, SyntheticNote
from .render import render
from .sections import HELDOUT_STYLE, get_style

__all__ = ["SPLITS", "VALIDATION_SHARE", "ck_max", "generate", "generate_one", "note_statuses"]

SPLITS: tuple[str, ...] = ("train", "validation", "test_heldout_style")
VALIDATION_SHARE = 0.15
_PATIENT_VALUE_STATUSES = frozenset({"present", "absent", "historical", "possible"})


def note_statuses(mentions: tuple[GoldMention, ...]) -> dict[str, str]:
    """Note-level status of every concept key, aggregated by ``nmnlp.assertion.note_status``."""
    by_concept: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        by_concept[m.concept].append(m.status)
    return {key: note_status(by_concept.get(key, ())) for key in CONCEPT_KEYS}


def ck_max(mentions: tuple[GoldMention, ...]) -> float | None:
    """Largest CK value of the patient's own (family and hypothetical values left out)."""
    values = [
        m.ck_u_per_l
        for m in mentions
        if m.concept == "ck_elevated"
        and m.status in _PATIENT_VALUE_STATUSES
        and m.ck_u_per_l is not None
    ]
    return max(values) if values else None


def generate_one(note_seed: int, index: int) -> SyntheticNote:
    """One note from its own seed (the corpus seed fixes every note seed)."""
    rng = random.Random(note_seed)
    family = rng.choices(FAMILIES, weights=[f.weight for f in FAMILIES])[0]
    style_names = list(family.styles)
    style = get_style(rng.choices(style_names, weights=[family.styles[s] for s in style_names])[0])
    if style.name == HELDOUT_STYLE:
        split = "test_heldout_style"
    else:
        split = "validation" if rng.random() < VALIDATION_SHARE else "train"
    d = Draw(rng, heldout=split == "test_heldout_style", terse=style.terse)
    case = build_case(d, family.name)
    d.person = person_words(case.female)
    text, mentions = render(compose(case, style, d))
    return SyntheticNote(
        note_id=f"synth-{index:05d}",
        text=text,
        style=style.name,
        family=family.name,
        split=split,
        label=family.label,
        statuses=note_statuses(mentions),
        ck_max_u_per_l=ck_max(mentions),
        mentions=mentions,
    )


def generate(n: int, seed: int) -> list[SyntheticNote]:
    """Generate ``n`` notes; the same ``(n, seed)`` always gives the same notes.

    Args:
        n: Number of notes (the released corpus has 3,000).
        seed: Corpus seed.

    Returns:
        Notes ``synth-00001`` ... in order.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    master = random.Random(seed)
    seeds = [master.getrandbits(64) for _ in range(n)]
    return [generate_one(s, i + 1) for i, s in enumerate(seeds)]
