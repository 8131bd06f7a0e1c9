"""Scorers: the shipped model on real-looking notes, explanations, the ENMC floor, loading."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import skops.io
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from nmnlp.classifier import (
    MODEL_FILE,
    MODEL_INFO_FILE,
    CriteriaScorer,
    ModelError,
    ModelScorer,
    default_scorer,
    load_scorer,
    score_notes,
)
from nmnlp.concepts import CONCEPT_KEYS
from nmnlp.features import FEATURE_NAMES, NoteFacts
from nmnlp.modelio import TRUSTED_TYPES
from nmnlp.resources import lexicons_hash
from nmnlp.training import choose_threshold

SHIPPED = Path(__file__).resolve().parents[1] / "models"

# Notes a chart reviewer would want to see, written tersely or in full.
CASES = [
    "Proximal weakness. CK 9,000 U/L. HMGCR Ab positive.",
    "Weak hip flexors, CK 6000, anti-SRP positive, dysphagia.",
    "Proximal weakness and CK 11,000 on simvastatin; HMGCR antibody pending.",
    "Assessment: immune-mediated necrotizing myopathy, anti-HMGCR positive.",
    "Muscle biopsy: necrotic and regenerating fibers with minimal inflammation. "
    "CK 8000. Proximal weakness.",
    "HPI: 64 yo man on atorvastatin with 4 months of difficulty rising from chairs.\n"
    "Exam: 4-/5 hip flexors, 4/5 deltoids.\n"
    "Labs: CK 12,450 U/L (ref 30-200). HMGCR Ab 103 (nl <20).\nROS: negative for rash.",
]
# Mimics and unrelated notes that must not be flagged.
MIMICS = [
    "Heliotrope rash and Gottron papules. Proximal weakness. CK 3000. Anti-Mi-2 positive. "
    "Dermatomyositis.",
    "Rhabdomyolysis after a marathon. CK 45,000. Myalgia.",
    "Fatigue. TSH 25. CK 800. Hypothyroid myopathy.",
    "Statin myalgia, CK normal. Strength 5/5 throughout.",
    "Ptosis and fatigable weakness, AChR antibodies positive. Myasthenia gravis.",
    "Knee pain after a fall. ROS negative for rash, weakness and dysphagia.",
    "Family history: mother had necrotizing myopathy with CK 20,000. Patient is well.",
]


def facts(ck_fold: float | None = None, **statuses: str) -> NoteFacts:
    return NoteFacts({key: "not_mentioned" for key in CONCEPT_KEYS} | statuses, ck_fold)


@pytest.mark.parametrize("text", CASES)
def test_the_shipped_model_flags_necrotizing_myopathy_notes(analyze, text) -> None:
    result = analyze(text)
    assert result.flag, result.evidence
    assert result.evidence  # every flag is explained


@pytest.mark.parametrize("text", MIMICS)
def test_the_shipped_model_leaves_mimics_unflagged(analyze, text) -> None:
    assert not analyze(text).flag


def test_evidence_names_the_findings_with_their_text(analyze) -> None:
    result = analyze(CASES[-1])
    assert 'hmgcr_antibody: "HMGCR Ab 103 (nl <20)"' in result.evidence
    assert 'rash: "rash" (absent)' in result.evidence
    contributions = {m.concept: m.contribution for m in result.mentions if m.contribution}
    assert contributions["hmgcr_antibody"] > 0 and contributions["ck_elevated"] > 0


def test_a_mimic_is_explained_by_what_speaks_against_it(analyze) -> None:
    result = analyze(MIMICS[0])
    assert "against: " in result.evidence and "alternative_diagnosis" in result.evidence
    dermatomyositis = next(m for m in result.mentions if m.concept == "alternative_diagnosis")
    assert dermatomyositis.contribution < 0


def test_contributions_are_what_removing_a_finding_changes() -> None:
    scorer = CriteriaScorer()
    classic = facts(60.0, ck_elevated="present", proximal_weakness="present", rash="absent")
    (score,) = score_notes(scorer, [classic])
    concepts = dict(score.contributions)
    assert concepts.keys() == {"ck_elevated", "proximal_weakness"}  # rash "absent" changes nothing
    assert all(change > 0 for change in concepts.values())
    assert score.score == pytest.approx(2 / 3) and score.flag


def test_scoring_many_notes_matches_scoring_each() -> None:
    notes = [facts(), facts(10.0, ck_elevated="present"), facts(srp_antibody="present")]
    together = score_notes(default_scorer(), notes)
    assert together == [score_notes(default_scorer(), [note])[0] for note in notes]


def constant_model(probability: float) -> LogisticRegression:
    """A fitted model that gives every note about ``probability``."""
    model = LogisticRegression().fit(np.zeros((2, len(FEATURE_NAMES))), [0, 1])
    model.coef_[:] = 0
    model.intercept_[:] = np.log(probability / (1 - probability))
    return model


def test_notes_meeting_every_enmc_criterion_are_always_flagged() -> None:
    scorer = ModelScorer(constant_model(0.01), threshold=0.5)
    enmc = facts(30.0, ck_elevated="present", proximal_weakness="present", srp_antibody="present")
    with_rash = facts(
        30.0,
        ck_elevated="present",
        proximal_weakness="present",
        srp_antibody="present",
        rash="present",
    )
    scores = score_notes(scorer, [enmc, with_rash])
    assert scores[0].flag and scores[0].score == 0.5
    assert not scores[1].flag and scores[1].score == pytest.approx(0.01)


@given(
    st.lists(st.tuples(st.booleans(), st.floats(0, 1)), min_size=2, max_size=60).filter(
        lambda rows: len({label for label, _ in rows}) == 2
    ),
    st.sampled_from([0.8, 0.9, 0.95, 1.0]),
)
def test_the_threshold_reaches_the_sensitivity_asked_for(rows, target) -> None:
    labels = [int(label) for label, _ in rows]
    scores = [score for _, score in rows]
    threshold = choose_threshold(labels, scores, target)
    flagged = [s >= threshold for s in scores]
    positives = [f for f, y in zip(flagged, labels, strict=True) if y]
    assert sum(positives) / len(positives) >= target - 1e-9


def test_the_threshold_prefers_specificity_then_sensitivity() -> None:
    labels = [0, 0, 0, 1, 1, 1, 1]
    scores = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9]
    assert choose_threshold(labels, scores) == pytest.approx(0.4)  # in the gap, all flagged
    with pytest.raises(ValueError, match="positive and negative"):
        choose_threshold([1, 1], [0.2, 0.3])


def test_load_criteria_and_refuse_what_is_not_a_model(tmp_path: Path) -> None:
    assert isinstance(load_scorer("criteria"), CriteriaScorer)
    with pytest.raises(ModelError, match="not a model folder"):
        load_scorer(tmp_path)
    (tmp_path / MODEL_INFO_FILE).write_text(json.dumps({"threshold": 0.5, "features": ["x"]}))
    (tmp_path / MODEL_FILE).write_bytes((SHIPPED / MODEL_FILE).read_bytes())
    with pytest.raises(ModelError, match="retrain"):
        load_scorer(tmp_path)


def test_a_saved_model_round_trips(tmp_path: Path) -> None:
    saved = ModelScorer(constant_model(0.3), 0.25, {"name": "test model"})
    saved.save(tmp_path / "model")
    loaded = load_scorer(tmp_path / "model")
    assert isinstance(loaded, ModelScorer) and loaded.threshold == 0.25
    assert loaded.name == "test model" and len(loaded.sha256) == 64
    assert score_notes(loaded, [facts()]) == score_notes(saved, [facts()])


def test_the_shipped_model_holds_only_trusted_types_and_matches_the_rules() -> None:
    untrusted = skops.io.get_untrusted_types(file=SHIPPED / MODEL_FILE)
    assert set(untrusted) <= TRUSTED_TYPES
    info = json.loads((SHIPPED / MODEL_INFO_FILE).read_text())
    assert tuple(info["features"]) == FEATURE_NAMES
    # The model was trained on what today's rules extract; retrain after changing lexicons/.
    assert info["lexicons_sha256"] == lexicons_hash()
    card = (SHIPPED / "README.md").read_text()
    assert info["training_data"]["sha256"] in card and "Intended use" in card
