"""The family registry: label, sampling weight, style weights and case builder per family."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import mimics, positives
from .cases import Case
from .draw import Draw

__all__ = ["FAMILIES", "Family", "build_case"]


@dataclass(frozen=True)
class Family:
    """A case family: label, sampling weight, style weights and its builder."""

    name: str
    label: int
    weight: float
    styles: Mapping[str, float]
    build: Callable[[Draw], Case]
    understate: float = 0.0


_ALL_STYLES_POS = {
    "consult": 0.3,
    "clinic_letter": 0.22,
    "discharge_summary": 0.18,
    "ed_note": 0.08,
    "progress_note": 0.22,
}
_NEURO = {
    "consult": 0.3,
    "clinic_letter": 0.35,
    "discharge_summary": 0.1,
    "ed_note": 0.05,
    "progress_note": 0.2,
}
_ACUTE = {
    "ed_note": 0.4,
    "discharge_summary": 0.2,
    "progress_note": 0.2,
    "consult": 0.15,
    "clinic_letter": 0.05,
}
_OUTPT = {
    "clinic_letter": 0.35,
    "consult": 0.25,
    "ed_note": 0.1,
    "progress_note": 0.2,
    "discharge_summary": 0.1,
}

FAMILIES: tuple[Family, ...] = (
    Family("imnm_hmgcr_statin", 1, 0.07, _ALL_STYLES_POS, positives.imnm_hmgcr_statin),
    Family("imnm_hmgcr_naive", 1, 0.025, _NEURO, positives.imnm_hmgcr_naive),
    Family("imnm_srp", 1, 0.04, _ALL_STYLES_POS, positives.imnm_srp),
    Family("imnm_seronegative", 1, 0.03, _ALL_STYLES_POS, positives.imnm_seronegative),
    Family("imnm_paraneoplastic", 1, 0.02, _ALL_STYLES_POS, positives.imnm_paraneoplastic),
    Family("imnm_juvenile", 1, 0.02, _NEURO, positives.imnm_juvenile),
    Family("imnm_early", 1, 0.04, _ACUTE, positives.imnm_early),
    Family("imnm_pending", 1, 0.03, _NEURO, positives.imnm_pending),
    Family("imnm_followup", 1, 0.025, _OUTPT, positives.imnm_followup),
    Family("dermatomyositis", 0, 0.045, _NEURO, mimics.dermatomyositis, 0.3),
    Family("antisynthetase", 0, 0.03, _ALL_STYLES_POS, mimics.antisynthetase, 0.3),
    Family("ibm", 0, 0.035, _NEURO, mimics.ibm, 0.3),
    Family("polymyositis", 0, 0.025, _NEURO, mimics.polymyositis, 0.3),
    Family("statin_myalgia", 0, 0.04, _OUTPT, mimics.statin_myalgia, 0.3),
    Family("toxic_statin_rhabdo", 0, 0.035, _ACUTE, mimics.toxic_statin_rhabdo, 0.3),
    Family("exertional_rhabdo", 0, 0.035, _ACUTE, mimics.exertional_rhabdo, 0.3),
    Family("hypothyroid_myopathy", 0, 0.03, _OUTPT, mimics.hypothyroid_myopathy, 0.3),
    Family("steroid_myopathy", 0, 0.03, _OUTPT, mimics.steroid_myopathy, 0.3),
    Family("myasthenia", 0, 0.035, _NEURO, mimics.myasthenia, 0.3),
    Family("lems", 0, 0.02, _NEURO, mimics.lems, 0.3),
    Family("pmr", 0, 0.035, _OUTPT, mimics.pmr, 0.3),
    Family("muscular_dystrophy", 0, 0.03, _NEURO, mimics.muscular_dystrophy, 0.3),
    Family("als", 0, 0.03, _NEURO, mimics.als, 0.3),
    Family("fibromyalgia", 0, 0.03, _OUTPT, mimics.fibromyalgia, 0.3),
    Family("viral_myositis", 0, 0.025, _ACUTE, mimics.viral_myositis, 0.3),
    Family("stroke_dysphagia", 0, 0.03, _ACUTE, mimics.stroke_dysphagia),
    Family("drug_rash", 0, 0.03, _ACUTE, mimics.drug_rash),
    Family("mi_ck", 0, 0.03, _ACUTE, mimics.mi_ck),
    Family("knee_pain_ros", 0, 0.03, _OUTPT, mimics.knee_pain_ros),
    Family("family_history_visit", 0, 0.025, _OUTPT, mimics.family_history_visit),
    Family("cardiology_resolved", 0, 0.025, _OUTPT, mimics.cardiology_resolved),
)

_BY_NAME = {f.name: f for f in FAMILIES}


def build_case(d: Draw, family: str) -> Case:
    """Build a case of ``family`` with the note's draw.

    For differential families, a share of notes (``Family.understate``) does not
    affirm the diagnosis: it is only suspected, or not named at all, and the note
    relies on its discriminating findings (as early notes do).
    """
    spec = _BY_NAME[family]
    case = spec.build(d)
    if spec.understate and d.chance(spec.understate):
        mimics.understate_diagnosis(d, case)
    return case
