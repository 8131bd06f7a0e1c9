"""Patient roll-up: one row per patient from the note rows of ``notes.csv``.

Pure: takes note rows (as :meth:`nmnlp.records.NoteResult.as_row` makes them,
or as read back from ``notes.csv``, where numbers are strings and missing
values empty) and returns patient rows in ``PATIENT_COLUMNS`` order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..assertion import note_status
from ..concepts import CONCEPT_KEYS

__all__ = ["PATIENT_COLUMNS", "patient_rows"]

PATIENT_COLUMNS: tuple[str, ...] = (
    "patient_id",
    "flag",
    "max_score",
    "driving_note_id",
    "n_notes",
    "first_date",
    "last_date",
    *CONCEPT_KEYS,
    "ck_max_u_per_l",
    "ck_max_fold_uln",
)


def _number(value: Any) -> float | None:
    """A float, or ``None`` for missing / empty / unparsable values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _flag(value: Any) -> int:
    if isinstance(value, str):
        return int(value.strip().lower() in {"1", "true", "yes", "1.0"})
    return int(bool(value))


def _max(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def patient_rows(
    note_rows: Iterable[Mapping[str, Any]],
    patient_of: Mapping[str, str],
    date_of: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Roll note rows up to one row per patient.

    Args:
        note_rows: Note rows with ``note_id``, ``flag``, ``score``, one status
            column per concept key, ``ck_max_u_per_l`` and ``ck_max_fold_uln``.
        patient_of: Patient id of each note id; notes not in it are skipped.
        date_of: Optional ISO date (``YYYY-MM-DD...``) of each note id.

    Returns:
        Patient rows (keys ``PATIENT_COLUMNS``), flagged first, then by
        ``max_score`` (highest first), then by ``patient_id``. ``flag`` is the
        max over the notes; ``driving_note_id`` the highest-scoring note (ties:
        latest date when dates are given, then lowest note id); each finding the
        strongest status across notes by ``NOTE_PRECEDENCE``; CK values the max
        of the non-empty ones; dates empty when none are known.
    """
    dates = date_of or {}
    by_patient: dict[str, list[Mapping[str, Any]]] = {}
    for row in note_rows:
        note_id = str(row["note_id"])
        patient = patient_of.get(note_id)
        if patient is None:
            continue
        by_patient.setdefault(str(patient), []).append(row)

    out: list[dict[str, Any]] = []
    for patient, rows in by_patient.items():
        notes = []
        for row in rows:
            note_id = str(row["note_id"])
            date = str(dates.get(note_id) or "").strip()
            score = _number(row.get("score"))
            notes.append((note_id, date, 0.0 if score is None else score, row))
        # Highest score, then latest date (undated last), then lowest note id:
        # stable sorts, least significant key first.
        ranked = sorted(notes, key=lambda n: n[0])
        ranked.sort(key=lambda n: (bool(n[1]), n[1]), reverse=True)
        ranked.sort(key=lambda n: n[2], reverse=True)
        driving = ranked[0]
        known_dates = sorted(n[1] for n in notes if n[1])
        result: dict[str, Any] = {
            "patient_id": patient,
            "flag": max(_flag(n[3].get("flag")) for n in notes),
            "max_score": driving[2],
            "driving_note_id": driving[0],
            "n_notes": len(notes),
            "first_date": known_dates[0] if known_dates else "",
            "last_date": known_dates[-1] if known_dates else "",
        }
        for key in CONCEPT_KEYS:
            result[key] = note_status(
                str(n[3].get(key) or "not_mentioned").strip() or "not_mentioned" for n in notes
            )
        result["ck_max_u_per_l"] = _max(_number(n[3].get("ck_max_u_per_l")) for n in notes)
        result["ck_max_fold_uln"] = _max(_number(n[3].get("ck_max_fold_uln")) for n in notes)
        out.append(result)
    out.sort(key=lambda r: (-r["flag"], -r["max_score"], r["patient_id"]))
    return out
