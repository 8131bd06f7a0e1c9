"""Note features for the classifier: names, values, and removing one finding."""

from __future__ import annotations

import math

import pytest

from nmnlp.concepts import CONCEPT_KEYS
from nmnlp.features import (
    CRITERIA_SCORE_INDEX,
    FEATURE_NAMES,
    FEATURE_STATUSES,
    NoteFacts,
    facts_from_mentions,
    feature_vector,
    without,
)


def facts(ck_fold: float | None = None, one_sided: bool = False, **statuses: str) -> NoteFacts:
    every = {key: "not_mentioned" for key in CONCEPT_KEYS} | statuses
    return NoteFacts(statuses=every, ck_fold=ck_fold, weakness_one_sided=one_sided)


def named(vector: list[float]) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, vector, strict=True))


def test_names_are_unique_and_match_the_vector() -> None:
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert len(feature_vector(facts())) == len(FEATURE_NAMES)
    assert FEATURE_NAMES[CRITERIA_SCORE_INDEX] == "criteria_score"


def test_an_empty_note_has_no_feature_set() -> None:
    assert not any(feature_vector(facts()))


def test_a_classic_note_sets_its_indicators_ck_and_criteria() -> None:
    row = named(
        feature_vector(
            facts(
                ck_fold=60.0,
                proximal_weakness="present",
                ck_elevated="present",
                hmgcr_antibody="present",
                rash="absent",
            )
        )
    )
    assert row["proximal_weakness=present"] == row["rash=absent"] == 1
    assert row["ck_fold_log2"] == pytest.approx(math.log2(60))
    assert row["ck_fold_at_least_5"] == 1
    assert row["criteria_score"] == 1


def test_family_statuses_never_count_as_the_patients() -> None:
    every_family = facts(**{key: "family" for key in CONCEPT_KEYS})
    assert not any(feature_vector(every_family))


def test_symptoms_count_only_when_present_or_possible() -> None:
    assert FEATURE_STATUSES["fatigue"] == ("present", "possible")
    assert not any(feature_vector(facts(fatigue="absent")))


def test_ck_fold_is_capped_and_needs_a_ck_mention() -> None:
    huge = named(feature_vector(facts(ck_fold=1e6, ck_elevated="present")))
    assert huge["ck_fold_log2"] == 10.0
    orphan = named(feature_vector(facts(ck_fold=40.0)))  # a fold with no CK status
    assert orphan["ck_fold_log2"] == orphan["ck_fold_at_least_5"] == 0


def test_without_forgets_the_concept_and_what_hangs_on_it() -> None:
    note = facts(ck_fold=30.0, one_sided=True, ck_elevated="present", proximal_weakness="present")
    no_ck = without(note, "ck_elevated")
    assert no_ck.statuses["ck_elevated"] == "not_mentioned" and no_ck.ck_fold is None
    assert no_ck.statuses["proximal_weakness"] == "present" and no_ck.weakness_one_sided
    no_weakness = without(note, "proximal_weakness")
    assert not no_weakness.weakness_one_sided and no_weakness.ck_fold == 30.0
    assert note.statuses["ck_elevated"] == "present"  # the original is untouched


def test_facts_from_a_real_note(analyze) -> None:
    result = analyze("Exam: R hip flexion 3/5.\nLabs: CK 13,780 U/L (ref 30-200). No rash.")
    note = facts_from_mentions(result.mentions)
    assert note.statuses == result.statuses
    assert note.weakness_one_sided
    assert note.ck_fold == pytest.approx(13780 / 200)
