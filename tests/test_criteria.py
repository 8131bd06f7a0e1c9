"""The transparent ENMC-style criteria score."""

import pytest

from nmnlp.concepts import CONCEPT_KEYS
from nmnlp.criteria import FLAG_THRESHOLD, criteria_score


def statuses(**given: str) -> dict[str, str]:
    result = dict.fromkeys(CONCEPT_KEYS, "not_mentioned")
    result.update(given)
    return result


def test_all_three_enmc_criteria_score_one() -> None:
    score, criteria = criteria_score(
        statuses(ck_elevated="present", proximal_weakness="present", hmgcr_antibody="present"), 60.0
    )
    assert score == pytest.approx(1.0)
    assert {key for key, _ in criteria} == {
        "ck_elevated",
        "proximal_weakness",
        "antibody_or_biopsy",
    }


def test_biopsy_necrosis_stands_in_for_an_antibody() -> None:
    score, _ = criteria_score(
        statuses(ck_elevated="present", proximal_weakness="present", biopsy_necrosis="present"),
        12.0,
    )
    assert score == pytest.approx(1.0)


def test_early_note_with_pending_antibody_is_flagged() -> None:
    score, _ = criteria_score(
        statuses(ck_elevated="present", proximal_weakness="present", hmgcr_antibody="hypothetical"),
        110.0,
    )
    assert score >= FLAG_THRESHOLD


def test_mild_ck_counts_half() -> None:
    strong, _ = criteria_score(statuses(ck_elevated="present"), 10.0)
    mild, _ = criteria_score(statuses(ck_elevated="present"), 2.0)
    assert strong == pytest.approx(1 / 3) and mild == pytest.approx(1 / 6)


@pytest.mark.parametrize("key", ["rash", "alternative_diagnosis"])
def test_rash_or_mimic_halves_the_score(key: str) -> None:
    base = statuses(ck_elevated="present", proximal_weakness="present", srp_antibody="present")
    full, _ = criteria_score(base, 30.0)
    halved, criteria = criteria_score(base | {key: "present"}, 30.0)
    assert halved == pytest.approx(full / 2) and halved < FLAG_THRESHOLD
    assert (key, -0.5) in criteria


def test_absent_rash_does_not_penalise() -> None:
    base = statuses(ck_elevated="present", proximal_weakness="present", srp_antibody="present")
    assert criteria_score(base | {"rash": "absent"}, 30.0)[0] == criteria_score(base, 30.0)[0]


def test_one_sided_weakness_counts_half() -> None:
    base = statuses(ck_elevated="present", proximal_weakness="present")
    both, _ = criteria_score(base, 60.0)
    one, _ = criteria_score(base, 60.0, weakness_one_sided=True)
    assert both == pytest.approx(2 / 3) and one == pytest.approx(0.5)
    assert one < FLAG_THRESHOLD <= both


def test_named_diagnosis_lifts_score() -> None:
    score, _ = criteria_score(statuses(imnm_diagnosis="present"), None)
    assert score >= 0.9


def test_nothing_scores_zero_and_is_not_flagged() -> None:
    score, criteria = criteria_score(statuses(), None)
    assert score == 0 and criteria == []
