"""Evidence for a score: which mention supports each contributing finding (pure).

The classifier says how much each concept moved a note's score
(:class:`nmnlp.classifier.NoteScore`); this module finds the mention that
carries the concept's note status (the first one in the text) and writes the
``evidence`` column of ``notes.csv``:

    proximal_weakness: "4-/5 hip flexors"; ck_elevated: "CK 12,450 U/L";
    hmgcr_antibody: "HMGCR Ab" (hypothetical); against: rash: "heliotrope rash"

Strongest first; a status other than ``present`` is named; findings that
lowered the score come last, after ``against:``. The size of each
contribution is in the ``contribution`` column of ``mentions.csv``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from .records import Mention

__all__ = ["MAX_AGAINST", "MAX_FOR", "evidence_mentions", "evidence_text", "with_contributions"]

MAX_FOR = 4
MAX_AGAINST = 2


def evidence_mentions(
    contributions: Sequence[tuple[str, float]],
    statuses: Mapping[str, str],
    mentions: Sequence[Mention],
) -> list[tuple[Mention, float]]:
    """For each contributing concept, its first mention with the note's status."""
    found = []
    for concept, change in contributions:
        status = statuses[concept]
        mention = next(
            (
                m
                for m in sorted(mentions, key=lambda m: m.start)
                if m.concept == concept and m.status == status
            ),
            None,
        )
        if mention is not None:
            found.append((mention, change))
    return found


def _snippet(mention: Mention) -> str:
    text = " ".join(mention.text.split())
    status = "" if mention.status == "present" else f" ({mention.status})"
    return f'{mention.concept}: "{text}"{status}'


def evidence_text(evidence: Sequence[tuple[Mention, float]]) -> str:
    """The ``evidence`` cell: strongest supporting findings first, then those against."""
    supporting = [_snippet(m) for m, c in evidence if c > 0][:MAX_FOR]
    against = [_snippet(m) for m, c in evidence if c < 0][:MAX_AGAINST]
    parts = supporting + ([f"against: {'; '.join(against)}"] if against else [])
    return "; ".join(parts)


def with_contributions(
    mentions: Sequence[Mention], evidence: Sequence[tuple[Mention, float]]
) -> tuple[Mention, ...]:
    """The mentions, with ``contribution`` set on each evidence mention."""
    change_of = {id(mention): change for mention, change in evidence}
    return tuple(
        dataclasses.replace(m, contribution=change_of[id(m)]) if id(m) in change_of else m
        for m in mentions
    )
