"""Records of the synthetic corpus: text pieces, gold mentions and notes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["GoldMention", "Piece", "SyntheticNote", "Tag"]


@dataclass(frozen=True)
class Tag:
    """What one finding span asserts: a concept, its status and, for CK, the value.

    Attributes:
        concept: A key of ``nmnlp.concepts.CONCEPT_KEYS``.
        status: A mention status from ``nmnlp.concepts.MENTION_STATUSES``.
        ck_u_per_l: For ``ck_elevated`` spans that state a number, the largest CK
            value of the span in U/L (µkat/L converted); ``None`` otherwise.
    """

    concept: str
    status: str
    ck_u_per_l: float | None = None


@dataclass(frozen=True)
class Piece:
    """A run of note text; a finding span when ``tags`` is not empty."""

    text: str
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class GoldMention:
    """One gold finding: ``text == note.text[start:end]``.

    Attributes:
        start: Character offset of the span in the note text.
        end: Character offset just after the span.
        concept: Concept key.
        status: Mention status (what the text asserts about the patient now).
        text: The span text.
        ck_u_per_l: CK value of the span in U/L (``ck_elevated`` only), else ``None``.
    """

    start: int
    end: int
    concept: str
    status: str
    text: str = ""
    ck_u_per_l: float | None = None


@dataclass(frozen=True)
class SyntheticNote:
    """One generated note with its gold standard.

    Attributes:
        note_id: Stable id, ``synth-00001`` ...
        text: The note.
        style: Writing style (see ``nmnlp.synth.sections.STYLES``).
        family: Clinical family the case was drawn from (see ``nmnlp.synth.cases.FAMILIES``).
        split: ``train``, ``validation`` or ``test_heldout_style``.
        label: 1 = consistent with necrotizing myopathy (worth a chart review), else 0.
        statuses: Note-level status of every concept key.
        ck_max_u_per_l: Largest CK value that is the patient's own, or ``None``.
        mentions: Gold mentions in text order.
    """

    note_id: str
    text: str
    style: str
    family: str
    split: str
    label: int
    statuses: Mapping[str, str]
    ck_max_u_per_l: float | None
    mentions: tuple[GoldMention, ...] = field(default_factory=tuple)
