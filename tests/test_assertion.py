"""Mention status and note-level aggregation (pure functions)."""

import pytest

from nmnlp.assertion import (
    NOTE_PRECEDENCE,
    MentionEvidence,
    implied_concepts,
    mention_status,
    note_status,
)
from nmnlp.concepts import NOTE_STATUSES


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (MentionEvidence(), "present"),
        (MentionEvidence(is_negated=True), "absent"),
        (MentionEvidence(is_uncertain=True), "possible"),
        (MentionEvidence(is_historical=True), "historical"),
        (MentionEvidence(is_hypothetical=True), "hypothetical"),
        (MentionEvidence(is_family=True), "family"),
        # family beats everything: "no family history of ..." is still not the patient's
        (MentionEvidence(is_family=True, is_negated=True), "family"),
        (MentionEvidence(is_family=True, is_hypothetical=True), "family"),
        # "return if she develops trouble swallowing" negated by "no"? still hypothetical
        (MentionEvidence(is_hypothetical=True, is_negated=True), "hypothetical"),
        # "denies h/o rash": absent beats historical
        (MentionEvidence(is_negated=True, is_historical=True), "absent"),
        (MentionEvidence(is_historical=True, is_uncertain=True), "historical"),
        # sections
        (MentionEvidence(section="family_history"), "family"),
        (MentionEvidence(section="past_medical_history"), "historical"),
        (MentionEvidence(section="past_medical_history", is_negated=True), "absent"),
        (MentionEvidence(section="discharge_instructions"), "hypothetical"),
        (MentionEvidence(section="review_of_systems", is_negated=True), "absent"),
        (MentionEvidence(section="physical_exam"), "present"),
        # results decide polarity of lab / antibody anchors
        (MentionEvidence(requires="result", result="positive"), "present"),
        (MentionEvidence(requires="result", result="negative"), "absent"),
        (MentionEvidence(requires="result", result="pending"), "hypothetical"),
        (MentionEvidence(requires="result", result="indeterminate"), "possible"),
        (MentionEvidence(requires="result", result="positive", is_negated=True), "present"),
        (MentionEvidence(requires="result", result="positive", is_historical=True), "historical"),
        (MentionEvidence(requires="result", result="positive", is_family=True), "family"),
        (MentionEvidence(requires="result", result=None), None),
        (MentionEvidence(requires="result", result=None, is_hypothetical=True), "hypothetical"),
        # "strength 5/5 throughout", "hip flexors 5/5"
        (MentionEvidence(normal_strength=True), "absent"),
        # a drug stopped or held during this illness is recent exposure ...
        (MentionEvidence(is_exposure=True, is_stopped=True), "present"),
        (MentionEvidence(is_exposure=True, is_stopped=True, is_negated=True), "present"),
        # ... unless something dates the stop long ago
        (MentionEvidence(is_exposure=True, is_stopped=True, is_historical=True), "historical"),
        (MentionEvidence(is_exposure=True, is_stopped=True, names_past_year=True), "historical"),
        (MentionEvidence(is_exposure=True, is_stopped=True, is_resolved=True), "historical"),
        (
            MentionEvidence(is_exposure=True, is_stopped=True, section="past_medical_history"),
            "historical",
        ),
        (MentionEvidence(is_exposure=True, is_historical=True), "historical"),  # "years ago"
        (MentionEvidence(is_exposure=True, is_negated=True), "absent"),  # "never on a statin"
        (MentionEvidence(is_exposure=True, is_stopped=True, is_family=True), "family"),
        # a drug the text puts in the present is not dated by a past-history section
        (MentionEvidence(is_exposure=True, section="past_medical_history"), "historical"),
        (
            MentionEvidence(is_exposure=True, is_current=True, section="past_medical_history"),
            "present",
        ),
        (MentionEvidence(is_current=True, section="past_medical_history"), "historical"),
        # a measurement dated in a past year is history: "CK 1,000 in 2013"
        (MentionEvidence(requires="result", result="positive", names_past_year=True), "historical"),
        # a test named without its result counts only as a planned test
        (MentionEvidence(requires="plan", is_hypothetical=True), "hypothetical"),
        (MentionEvidence(requires="plan", section="discharge_instructions"), "hypothetical"),
        (MentionEvidence(requires="plan"), None),  # "muscle biopsy: necrotic fibres"
        (MentionEvidence(requires="plan", is_negated=True), None),  # "no EMG done"
        (MentionEvidence(requires="plan", is_hypothetical=True, is_family=True), None),
        # an ambiguous abbreviation counts only where a diagnosis is stated
        (MentionEvidence(requires="diagnosis", stated_as_diagnosis=True), "present"),
        (MentionEvidence(requires="diagnosis"), None),  # "seen at 3 PM"
        (MentionEvidence(pseudo=True), None),  # "non-necrotic fibres"
        # a rule limited to some sections
        (
            MentionEvidence(
                sections=("electrodiagnostics",), section="electrodiagnostics", is_negated=True
            ),
            "absent",
        ),
        (
            MentionEvidence(sections=("electrodiagnostics",), section="imaging", is_negated=True),
            None,
        ),
        (MentionEvidence(sections=("electrodiagnostics",)), None),
    ],
)
def test_mention_status(evidence: MentionEvidence, expected: str | None) -> None:
    assert mention_status(evidence) == expected


def test_precedence_covers_every_note_status() -> None:
    assert sorted(NOTE_PRECEDENCE) == sorted(NOTE_STATUSES)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "not_mentioned"),
        (["absent", "present"], "present"),  # affirmed HPI beats templated ROS negative
        (["absent", "historical"], "absent"),  # "h/o rash, resolved; no rash today"
        (["possible", "absent"], "possible"),
        (["family", "hypothetical"], "hypothetical"),
        (["family"], "family"),
        (["historical", "family", "hypothetical"], "historical"),
        (["present", "possible", "absent", "historical", "hypothetical", "family"], "present"),
    ],
)
def test_note_status(statuses: list[str], expected: str) -> None:
    assert note_status(statuses) == expected
    assert note_status(reversed(statuses)) == expected


@pytest.mark.parametrize(
    ("concept", "status", "expected"),
    [
        ("imnm_diagnosis", "present", ("hmgcr_antibody",)),  # "anti-HMGCR myopathy"
        ("imnm_diagnosis", "historical", ("hmgcr_antibody",)),
        ("imnm_diagnosis", "possible", ()),  # "? anti-HMGCR myopathy"
        ("alternative_diagnosis", "absent", ()),  # "not toxic statin myopathy"
        ("proximal_weakness", "absent", ("hmgcr_antibody",)),  # a finding keeps its implications
    ],
)
def test_implied_concepts_of_a_diagnosis_need_it_affirmed(concept, status, expected) -> None:
    assert implied_concepts(concept, status, ["hmgcr_antibody"]) == expected
