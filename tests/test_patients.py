"""Patient roll-up of note rows (nmnlp.reports.patients)."""

from __future__ import annotations

from typing import Any

from nmnlp.concepts import CONCEPT_KEYS
from nmnlp.reports.patients import PATIENT_COLUMNS, patient_rows


def note(note_id: str, score: float, flag: int = 0, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"note_id": note_id, "flag": flag, "score": score}
    row.update({key: "not_mentioned" for key in CONCEPT_KEYS})
    row.update(ck_max_u_per_l=None, ck_max_fold_uln=None, evidence="", n_mentions=0)
    row.update(values)
    return row


def test_columns_in_order():
    assert PATIENT_COLUMNS[:7] == (
        "patient_id",
        "flag",
        "max_score",
        "driving_note_id",
        "n_notes",
        "first_date",
        "last_date",
    )
    assert PATIENT_COLUMNS[7:-2] == CONCEPT_KEYS
    assert PATIENT_COLUMNS[-2:] == ("ck_max_u_per_l", "ck_max_fold_uln")


def test_one_row_per_patient_with_all_columns():
    rows = patient_rows(
        [note("a", 0.2), note("b", 0.9, 1), note("c", 0.1)],
        {"a": "p1", "b": "p1", "c": "p2"},
    )
    assert [r["patient_id"] for r in rows] == ["p1", "p2"]
    assert all(tuple(r) == PATIENT_COLUMNS for r in rows)
    assert rows[0]["n_notes"] == 2 and rows[1]["n_notes"] == 1


def test_max_score_flag_and_driving_note():
    (row,) = patient_rows(
        [note("a", 0.3), note("b", 0.8, 1), note("c", 0.5)], {"a": "p", "b": "p", "c": "p"}
    )
    assert row["max_score"] == 0.8
    assert row["flag"] == 1
    assert row["driving_note_id"] == "b"


def test_flag_is_any_note_flagged():
    (row,) = patient_rows([note("a", 0.3, 0), note("b", 0.2, 1)], {"a": "p", "b": "p"})
    assert row["flag"] == 1


def test_tie_broken_by_note_id_without_dates():
    (row,) = patient_rows([note("z", 0.5), note("m", 0.5)], {"z": "p", "m": "p"})
    assert row["driving_note_id"] == "m"


def test_tie_broken_by_latest_date():
    (row,) = patient_rows(
        [note("m", 0.5), note("z", 0.5), note("a", 0.5)],
        {"z": "p", "m": "p", "a": "p"},
        {"m": "2020-01-01", "z": "2021-06-30", "a": ""},
    )
    assert row["driving_note_id"] == "z"
    assert (row["first_date"], row["last_date"]) == ("2020-01-01", "2021-06-30")


def test_dates_empty_without_dates():
    (row,) = patient_rows([note("a", 0.1)], {"a": "p"})
    assert row["first_date"] == "" and row["last_date"] == ""


def test_strongest_status_across_notes():
    rows = [
        note("a", 0.1, myalgia="absent", rash="family", dysphagia="historical"),
        note("b", 0.2, myalgia="present", rash="not_mentioned", dysphagia="possible"),
        note("c", 0.3, myalgia="possible", rash="hypothetical"),
    ]
    (row,) = patient_rows(rows, dict.fromkeys("abc", "p"))
    assert row["myalgia"] == "present"
    assert row["rash"] == "hypothetical"
    assert row["dysphagia"] == "possible"
    assert row["fatigue"] == "not_mentioned"


def test_ck_max_ignores_empty_values():
    rows = [
        note("a", 0.1, ck_max_u_per_l=12000.0, ck_max_fold_uln=60.0),
        note("b", 0.2, ck_max_u_per_l="", ck_max_fold_uln=""),
        note("c", 0.3, ck_max_u_per_l="3000", ck_max_fold_uln="75.5"),
    ]
    (row,) = patient_rows(rows, dict.fromkeys("abc", "p"))
    assert row["ck_max_u_per_l"] == 12000.0
    assert row["ck_max_fold_uln"] == 75.5
    (row,) = patient_rows([note("b", 0.2, ck_max_u_per_l="")], {"b": "q"})
    assert row["ck_max_u_per_l"] is None and row["ck_max_fold_uln"] is None


def test_csv_strings_are_read():
    (row,) = patient_rows([note("a", "0.75", "1")], {"a": "p"})
    assert row["max_score"] == 0.75 and isinstance(row["max_score"], float)
    assert row["flag"] == 1


def test_notes_without_patient_are_skipped():
    rows = patient_rows([note("a", 0.9, 1), note("b", 0.1)], {"b": "p"})
    assert [(r["patient_id"], r["n_notes"], r["driving_note_id"]) for r in rows] == [("p", 1, "b")]


def test_sorted_flagged_then_score_then_id():
    rows = patient_rows(
        [note("a", 0.9), note("b", 0.6, 1), note("c", 0.7, 1), note("d", 0.7, 1)],
        {"a": "p_a", "b": "p_b", "c": "p_d", "d": "p_c"},
    )
    assert [r["patient_id"] for r in rows] == ["p_c", "p_d", "p_b", "p_a"]


def test_empty_input():
    assert patient_rows([], {}) == []
