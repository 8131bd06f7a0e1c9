"""Note features for the classifier, from a note's mentions (pure functions).

A note is reduced to :class:`NoteFacts` (its note-level statuses, the largest
CK fold of the upper limit, whether the proximal weakness is one-sided) and
then to a fixed vector named by ``FEATURE_NAMES``:

* one indicator per (concept, status) pair in ``FEATURE_STATUSES``, e.g.
  ``hmgcr_antibody=hypothetical`` (an antibody result is pending). Only the
  pairs that mean something clinically are kept: a symptom counts when present
  or possible, while a test also counts when normal or pending and a diagnosis
  also when ruled out or past. ``family`` never counts (it is not the patient's);
* the CK fold on a log2 scale and the ENMC-style "at least 5x ULN" threshold;
* whether every present proximal-weakness mention names one side only;
* the transparent criteria score (``nmnlp.criteria``), which encodes the
  ENMC "CK and weakness and antibody/biopsy" conjunction a linear model cannot.

:func:`without` removes one concept from the facts, which is how the
classifier explains a score ("what would the score be without this finding").
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .concepts import CONCEPT_KEYS
from .criteria import STRONG_CK_FOLD, criteria_score
from .records import Mention, ck_summary, note_statuses, proximal_weakness_one_sided

__all__ = [
    "CRITERIA_SCORE_INDEX",
    "FEATURE_NAMES",
    "FEATURE_STATUSES",
    "NoteFacts",
    "facts_from_mentions",
    "feature_vector",
    "without",
]

_SYMPTOM = ("present", "possible")
_FINDING = ("present", "possible", "absent", "historical")
_TEST = ("present", "possible", "absent", "hypothetical")

FEATURE_STATUSES: Mapping[str, tuple[str, ...]] = {
    "proximal_weakness": _FINDING,
    "distal_weakness": _SYMPTOM,
    "myalgia": _SYMPTOM,
    "fatigue": _SYMPTOM,
    "dysphagia": _SYMPTOM,
    "dysphonia": _SYMPTOM,
    "rash": _FINDING,
    "muscle_atrophy": _SYMPTOM,
    "hmgcr_antibody": _TEST,
    "srp_antibody": _TEST,
    "statin_exposure": ("present", "historical", "absent"),
    "biopsy_necrosis": _TEST,
    "ck_elevated": _FINDING,
    "aldolase_elevated": ("present", "absent"),
    "generalized_weakness": _SYMPTOM,
    "emg_myopathic": ("present", "absent", "hypothetical"),
    "mri_muscle_edema": ("present", "absent", "hypothetical"),
    "other_myositis_antibody": ("present", "absent"),
    "imnm_diagnosis": _FINDING,
    "alternative_diagnosis": _FINDING,
}
assert set(FEATURE_STATUSES) == set(CONCEPT_KEYS), "every concept key needs its feature statuses"

_NUMERIC_FEATURES = (
    "ck_fold_log2",
    "ck_fold_at_least_5",
    "proximal_weakness_one_sided",
    "criteria_score",
)
FEATURE_NAMES: tuple[str, ...] = (
    *(f"{key}={status}" for key in CONCEPT_KEYS for status in FEATURE_STATUSES[key]),
    *_NUMERIC_FEATURES,
)

CRITERIA_SCORE_INDEX = FEATURE_NAMES.index("criteria_score")

# log2 of the CK fold is capped: above 1000x ULN more CK says nothing new.
_MAX_FOLD_LOG2 = 10.0


@dataclass(frozen=True)
class NoteFacts:
    """What the classifier knows about one note."""

    statuses: Mapping[str, str]
    ck_fold: float | None = None
    weakness_one_sided: bool = False


def facts_from_mentions(mentions: Iterable[Mention]) -> NoteFacts:
    """Reduce one note's mentions to its facts."""
    mentions = list(mentions)
    _, ck_fold = ck_summary(mentions)
    return NoteFacts(
        statuses=note_statuses(mentions),
        ck_fold=ck_fold,
        weakness_one_sided=proximal_weakness_one_sided(mentions),
    )


def without(facts: NoteFacts, concept: str) -> NoteFacts:
    """The facts as if ``concept`` had not been mentioned at all."""
    statuses = dict(facts.statuses)
    statuses[concept] = "not_mentioned"
    return dataclasses.replace(
        facts,
        statuses=statuses,
        ck_fold=None if concept == "ck_elevated" else facts.ck_fold,
        weakness_one_sided=False if concept == "proximal_weakness" else facts.weakness_one_sided,
    )


def feature_vector(facts: NoteFacts) -> list[float]:
    """The note's features, in ``FEATURE_NAMES`` order."""
    statuses = facts.statuses
    vector = [
        float(statuses[key] == status) for key in CONCEPT_KEYS for status in FEATURE_STATUSES[key]
    ]
    fold = facts.ck_fold
    has_ck = statuses["ck_elevated"] != "not_mentioned" and fold is not None
    vector.append(min(math.log2(fold), _MAX_FOLD_LOG2) if has_ck and fold > 1 else 0.0)
    vector.append(float(has_ck and fold >= STRONG_CK_FOLD))
    vector.append(float(facts.weakness_one_sided))
    score, _ = criteria_score(statuses, fold, weakness_one_sided=facts.weakness_one_sided)
    vector.append(score)
    return vector
