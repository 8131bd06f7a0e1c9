"""The transparent ENMC-style criteria score: a classifier feature, its floor, `--model criteria`.

It follows the ENMC 2016 definition of immune-mediated necrotizing myopathy:
elevated serum CK + proximal weakness + (anti-HMGCR or anti-SRP antibody, or a
muscle biopsy showing necrotic fibres), with no dermatomyositis rash. Each of
the three criteria scores 1 when affirmed and a half when only suggested:

=================  ==================================  ==============================
criterion          1 point                             1/2 point
=================  ==================================  ==============================
CK                 CK elevated and >= 5x ULN           CK elevated (fold < 5 or unknown)
weakness           proximal weakness present            proximal weakness possible, or
                   (on both sides or side unstated)     present on one side only
antibody / biopsy  anti-HMGCR / anti-SRP present, or   possible, or a result pending
                   biopsy necrosis present             (hypothetical)
=================  ==================================  ==============================

``score`` = points / 3. A named diagnosis of necrotizing myopathy that is
affirmed lifts the score to at least 0.9. A present rash or a present
alternative diagnosis (dermatomyositis, IBM, myasthenia ...) halves it.
A note is flagged when ``score >= FLAG_THRESHOLD`` (2 of 3 criteria): chart
review favours sensitivity, so early notes with high CK and proximal weakness
and a pending antibody are flagged.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FLAG_THRESHOLD", "STRONG_CK_FOLD", "Criterion", "criteria_score", "meets_enmc"]

FLAG_THRESHOLD = 0.6
STRONG_CK_FOLD = 5.0

Criterion = tuple[str, float]


def _ck_points(statuses: Mapping[str, str], ck_fold: float | None) -> float:
    if statuses["ck_elevated"] != "present":
        return 0.5 if statuses["ck_elevated"] == "possible" else 0.0
    return 1.0 if ck_fold is not None and ck_fold >= STRONG_CK_FOLD else 0.5


def _weakness_points(statuses: Mapping[str, str], one_sided: bool) -> float:
    points = {"present": 1.0, "possible": 0.5}.get(statuses["proximal_weakness"], 0.0)
    return min(points, 0.5) if one_sided else points


def _antibody_or_biopsy_points(statuses: Mapping[str, str]) -> float:
    keys = ("hmgcr_antibody", "srp_antibody", "biopsy_necrosis")
    found = {statuses[key] for key in keys}
    if "present" in found:
        return 1.0
    return 0.5 if found & {"possible", "hypothetical"} else 0.0


def criteria_score(
    statuses: Mapping[str, str], ck_fold: float | None, *, weakness_one_sided: bool = False
) -> tuple[float, list[Criterion]]:
    """Score a note from its concept statuses.

    Args:
        statuses: Note-level status for every concept key.
        ck_fold: Largest CK fold of the upper limit of normal, if any.
        weakness_one_sided: Every present proximal-weakness mention names one
            side only (IMNM weakness is symmetric; "R hip flexion 3/5" after a
            groin haematoma is not).

    Returns:
        ``(score, criteria)``: the score in [0, 1] and the criteria that added to
        or took from it, as ``(concept key, signed points)``, largest first.
    """
    criteria: list[Criterion] = [
        ("ck_elevated", _ck_points(statuses, ck_fold)),
        ("proximal_weakness", _weakness_points(statuses, weakness_one_sided)),
        ("antibody_or_biopsy", _antibody_or_biopsy_points(statuses)),
    ]
    score = sum(points for _, points in criteria) / 3
    if statuses["imnm_diagnosis"] == "present":
        score = max(score, 0.9)
        criteria.append(("imnm_diagnosis", 1.0))
    for key in ("rash", "alternative_diagnosis"):
        if statuses[key] == "present":
            score /= 2
            criteria.append((key, -0.5))
    criteria = [c for c in criteria if c[1]]
    criteria.sort(key=lambda c: -abs(c[1]))
    return score, criteria


def meets_enmc(score: float) -> bool:
    """A criteria ``score`` of 1: every ENMC criterion fully met, with no rash or other diagnosis.

    The classifier never scores such a note below its flag threshold: a note
    that documents the published definition of the disease is always reviewed.
    """
    return score >= 1.0
