"""Writing styles: section order, header spellings and titles.

Five styles; ``progress_note`` (terse SOAP progress notes) is the held-out style:
its notes form the ``test_heldout_style`` split and no other split uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .draw import Bank, Draw

__all__ = ["HEADERS", "HELDOUT_STYLE", "STYLES", "Style", "get_style", "header", "title"]


@dataclass(frozen=True)
class Style:
    """How one kind of note is laid out.

    Attributes:
        name: Style id.
        terse: Abbreviated register without subjects.
        sections: Section keys in order; the composer skips empty ones.
    """

    name: str
    terse: bool
    sections: tuple[str, ...]


STYLES: tuple[Style, ...] = (
    Style(
        "clinic_letter",
        False,
        (
            "letter_open",
            "diagnoses",
            "hpi",
            "meds",
            "allergies",
            "fhx",
            "shx",
            "exam",
            "labs",
            "imaging",
            "emg",
            "pathology",
            "assessment",
            "plan",
            "letter_close",
        ),
    ),
    Style(
        "consult",
        False,
        (
            "reason",
            "cc",
            "hpi",
            "ros",
            "pmh",
            "meds",
            "allergies",
            "fhx",
            "shx",
            "exam",
            "labs",
            "imaging",
            "emg",
            "pathology",
            "assessment",
            "plan",
        ),
    ),
    Style(
        "discharge_summary",
        False,
        (
            "admission",
            "diagnoses",
            "hpi",
            "pmh",
            "meds",
            "allergies",
            "fhx",
            "shx",
            "exam",
            "labs",
            "imaging",
            "emg",
            "pathology",
            "course",
            "assessment",
            "plan",
            "instructions",
        ),
    ),
    Style(
        "ed_note",
        True,
        (
            "cc",
            "hpi",
            "ros",
            "pmh",
            "meds",
            "allergies",
            "shx",
            "fhx",
            "exam",
            "labs",
            "imaging",
            "emg",
            "course",
            "assessment",
            "plan",
            "instructions",
        ),
    ),
    Style(
        "progress_note",
        True,
        ("interval", "hpi", "exam", "labs", "imaging", "emg", "pathology", "assessment", "plan"),
    ),
)
HELDOUT_STYLE = "progress_note"
_BY_NAME = {s.name: s for s in STYLES}

# Header names per section key (the composer adds ":" and case / line-break style).
HEADERS: dict[str, Bank[str]] = {
    "reason": Bank(
        ("Reason for consult", "Reason for consultation", "Reason for referral"),
        ("Consult question",),
    ),
    "cc": Bank(("CC", "Chief Complaint", "Presenting complaint", "C/C"), ("Chief concern",)),
    "hpi": Bank(
        (
            "HPI",
            "History of Present Illness",
            "History of presenting complaint",
            "History",
            "Present Illness",
        ),
        ("HPI/Interval History", "Clinical history"),
    ),
    "ros": Bank(("ROS", "Review of Systems", "Systems review"), ("Systems enquiry",)),
    "pmh": Bank(
        ("PMH", "Past Medical History", "PMHx", "Past history", "Medical History"),
        ("Problem List",),
    ),
    "meds": Bank(
        ("Meds", "Medications", "Current Medications", "Home meds", "Medications on admission"),
        ("Medication list",),
    ),
    "allergies": Bank(("Allergies", "Allergies/Intolerances", "Drug allergies"), ("ALL",)),
    "fhx": Bank(("FHx", "Family History", "FH", "Family Hx"), ("Fam hx",)),
    "shx": Bank(("SHx", "Social History", "SH", "Social Hx"), ("Social",)),
    "exam": Bank(
        ("Exam", "Examination", "Physical Exam", "PE", "On examination", "Neuro exam"),
        ("O/E", "Physical examination findings"),
    ),
    "labs": Bank(
        ("Labs", "Laboratory", "Investigations", "Results", "Pertinent labs", "Bloods"),
        ("Lab data", "Relevant results"),
    ),
    "imaging": Bank(("Imaging", "Radiology", "Studies"), ("Imaging studies",)),
    "emg": Bank(("EMG", "EMG/NCS", "Neurophysiology", "Electrodiagnostic studies"), ("NCS/EMG",)),
    "pathology": Bank(("Pathology", "Muscle biopsy", "Histopathology", "Biopsy"), ("Path",)),
    "assessment": Bank(
        (
            "Assessment/Plan",
            "A/P",
            "Assessment and Plan",
            "Impression",
            "A&P",
            "Assessment",
            "Impression and recommendations",
        ),
        ("IMP", "Summary"),
    ),
    "plan": Bank(("Plan", "Recommendations", "Management"), ("Next steps",)),
    "course": Bank(("Hospital course", "ED course", "Course"), ("Progress in hospital",)),
    "instructions": Bank(
        ("Discharge instructions", "Return precautions", "Patient instructions"),
        ("Advice on discharge",),
    ),
    "diagnoses": Bank(
        ("Diagnosis", "Diagnoses", "Principal diagnosis", "Problem"), ("Working diagnosis",)
    ),
}

_TERSE_HEADERS: dict[str, Bank[str]] = {
    "hpi": Bank(("HPI", "S", "Subjective", "Interval hx"), ("S/",)),
    "exam": Bank(("PE", "Exam", "O", "Objective"), ("O/",)),
    "assessment": Bank(("A/P", "A&P", "Assessment & Plan", "MDM"), ("A/",)),
    "plan": Bank(("Plan", "P", "Dispo/Plan"), ("P/",)),
    "course": Bank(("ED course", "Course"), ("ED cs",)),
    "instructions": Bank(
        ("Return precautions", "Ret precautions", "D/c instructions"), ("RTED if",)
    ),
    "allergies": Bank(("Allergies", "All", "NKDA check"), ("Allergy",)),
    "meds": Bank(("Meds", "Home meds", "Current meds"), ("Rx",)),
}

_TITLES: dict[str, Bank[str]] = {
    "clinic_letter": Bank(
        (
            "{SPEC} CLINIC - OUTPATIENT LETTER",
            "{Spec} Clinic",
            "{Spec} Outpatient Clinic Letter",
            "Department of {Spec}",
        ),
        ("{Spec} Service - Clinic Correspondence",),
    ),
    "consult": Bank(
        (
            "INPATIENT {SPEC} CONSULT",
            "{Spec} Consultation",
            "{SPEC} CONSULT NOTE",
            "{Spec} New Patient Consultation",
        ),
        ("{Spec} e-consult",),
    ),
    "discharge_summary": Bank(
        ("DISCHARGE SUMMARY", "Discharge Summary", "HOSPITAL DISCHARGE SUMMARY"),
        ("Discharge Letter",),
    ),
    "ed_note": Bank(
        ("ED NOTE", "Emergency Department Provider Note", "ED PHYSICIAN NOTE", "ED Triage/MD note"),
        ("EMERGENCY DEPT",),
    ),
    "progress_note": Bank(
        (
            "PROGRESS NOTE - HD {hd}",
            "Daily Progress Note",
            "{Spec} progress note, day {hd}",
            "MED WARDS PROGRESS NOTE - HD {hd}",
        ),
        ("Ward round note HD#{hd}",),
    ),
}


def get_style(name: str) -> Style:
    """The style named ``name``."""
    return _BY_NAME[name]


_STYLE_HEADERS: dict[tuple[str, str], Bank[str]] = {
    ("discharge_summary", "course"): Bank(
        ("Hospital course", "Course", "Course in hospital"), ("Progress in hospital",)
    ),
    ("ed_note", "course"): Bank(("ED course", "Course", "ED course/MDM"), ("ED cs",)),
}


def header(d: Draw, key: str, case_style: str, style: str = "") -> str:
    """A header for section ``key`` written in the note's header case style."""
    bank = _STYLE_HEADERS.get((style, key))
    if bank is None and d.terse and key in _TERSE_HEADERS:
        bank = _TERSE_HEADERS[key]
    name = d.pick(bank or HEADERS[key])
    if case_style == "upper":
        return name.upper()
    return name


def title(d: Draw, style: str, specialty: str, hospital_day: int) -> str:
    """The note's title line."""
    text = d.pick(_TITLES[style])
    return (
        text.replace("{SPEC}", specialty.upper())
        .replace("{Spec}", specialty.title())
        .replace("{hd}", str(hospital_day))
    )
