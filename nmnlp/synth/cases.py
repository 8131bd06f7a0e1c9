"""Clinical case profiles: what is true of one synthetic patient, and helpers to draw it.

A :class:`Case` decides every finding's truth (present, absent, historical,
family, hypothetical or unmentioned), the lab values and the named diagnoses.
How a note words them is left to :mod:`nmnlp.synth.compose`. The builders per
family are in :mod:`~nmnlp.synth.positives` and :mod:`~nmnlp.synth.mimics`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .draw import Bank, Draw

__all__ = [
    "Case",
    "CkCourse",
    "FamilyItem",
    "Statin",
    "ck",
    "ck_normal",
    "lognormal",
    "maybe",
    "meds",
    "plain_fhx",
    "pmh",
    "ref_range",
    "statin",
    "strength",
    "symptoms",
]


@dataclass
class Statin:
    """Statin exposure: ``status`` is the gold status of its mentions.

    ``when``: ``current``, ``held`` (stopped within the current illness),
    ``never``, ``remote`` (long ago, unrelated) or ``stopped_dx`` (stopped at diagnosis,
    in a follow-up note).
    """

    status: str
    when: str
    drug: str = "atorvastatin"
    dose: str = "40 mg"
    years: int = 5


@dataclass
class CkCourse:
    """The patient's CK values (U/L) and reference range, oldest first."""

    values: list[int]
    lo: int = 30
    uln: int = 200
    later_normal: int | None = None
    above_range: bool = False
    fold_only: bool = False


@dataclass
class FamilyItem:
    """One family-history line: ``kind`` decides the concept (``plain`` for none)."""

    relative: str
    kind: str
    text: str = ""
    value: int | None = None


@dataclass
class Case:
    """Everything true about one synthetic patient (see module docstring)."""

    family: str
    label: int
    age: int
    female: bool
    setting: str
    months: float
    chief: str
    symptoms: dict[str, str] = field(default_factory=dict)
    np_override: dict[str, Bank[str]] = field(default_factory=dict)
    strength: list[tuple[str, str, str]] | None = None
    strength_normal: bool = False
    functional: str | None = None
    atrophy: tuple[str, str] | None = None
    rash_exam: str | None = None
    statin: Statin | None = None
    ck: CkCourse | None = None
    ck_hypothetical: int | None = None
    aldolase: tuple[float, float] | None = None
    hmgcr: tuple[str, int | None] | None = None
    srp: str | None = None
    other_abs: list[tuple[str, str]] = field(default_factory=list)
    msa_panel: bool = False
    emg: str | None = None
    mri: str | None = None
    biopsy: str | None = None
    imnm_dx: tuple[str, str] | None = None
    alt_dx: list[tuple[str, str]] = field(default_factory=list)
    fhx: list[FamilyItem] = field(default_factory=list)
    past: list[tuple[str, str, str]] = field(default_factory=list)
    precautions: list[str] = field(default_factory=list)
    pmh: list[str] = field(default_factory=list)
    meds: list[str] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)
    plan: list[str] = field(default_factory=list)
    repeat_ck: bool = False


PMH_COMMON = (
    "Hypertension",
    "Type 2 diabetes",
    "Hypercholesterolaemia",
    "Osteoarthritis",
    "GERD",
    "Asthma",
    "Depression",
    "CKD stage 3",
    "Atrial fibrillation",
    "COPD",
    "BPH",
    "Gout",
    "Obesity",
    "Migraine",
    "Anxiety",
    "Hypothyroidism",
)
MEDS_COMMON = (
    "amlodipine 5 mg daily",
    "metformin 1 g bid",
    "lisinopril 10 mg daily",
    "omeprazole 20 mg daily",
    "aspirin 81 mg daily",
    "metoprolol 25 mg bid",
    "paracetamol 1 g prn",
    "sertraline 50 mg daily",
    "tamsulosin 0.4 mg",
    "apixaban 5 mg bid",
    "salbutamol inhaler prn",
    "vitamin D 1000 IU daily",
    "ezetimibe 10 mg daily",
    "allopurinol 100 mg daily",
)
STATINS = (
    ("atorvastatin", ("10 mg", "20 mg", "40 mg", "80 mg")),
    ("simvastatin", ("20 mg", "40 mg", "80 mg")),
    ("rosuvastatin", ("5 mg", "10 mg", "20 mg")),
    ("pravastatin", ("20 mg", "40 mg")),
    ("Lipitor", ("20 mg", "40 mg")),
    ("Crestor", ("10 mg",)),
    ("Zocor", ("40 mg",)),
)


def pmh(d: Draw, k: int, exclude: tuple[str, ...] = ()) -> list[str]:
    """``k`` unrelated past-history conditions."""
    return d.sample([p for p in PMH_COMMON if p not in exclude], k)


def meds(d: Draw, k: int) -> list[str]:
    """``k`` unrelated medications (never a statin)."""
    return d.sample(MEDS_COMMON, k)


def statin(d: Draw, status: str, when: str, drugs: tuple[str, ...] | None = None) -> Statin:
    """A statin exposure with a drawn drug, dose and duration."""
    options = [s for s in STATINS if drugs is None or s[0] in drugs]
    drug, doses = d.pick(options)
    return Statin(status, when, drug, d.pick(doses), d.randint(1, 15))


def lognormal(d: Draw, low: int, high: int) -> int:
    """A value spread evenly on a log scale between ``low`` and ``high``, rounded."""
    value = math.exp(d.uniform(math.log(low), math.log(high)))
    return int(round(value, -1 if value < 10000 else -2))


def ref_range(d: Draw) -> tuple[int, int]:
    """A CK reference range ``(lower, upper)`` as labs print it."""
    return d.pick(((30, 200), (26, 192), (40, 250), (20, 180), (38, 174), (30, 170), (24, 204)))


def ck(d: Draw, low: int, high: int, *, falling: bool = False) -> CkCourse:
    """An elevated CK course between ``low`` and ``high`` U/L (falling or rising)."""
    lo, uln = ref_range(d)
    first = lognormal(d, low, high)
    values = [first]
    if falling and d.chance(0.7):
        values.append(int(round(first * d.uniform(0.3, 0.7), -1)))
        if d.chance(0.4):
            values.append(int(round(values[-1] * d.uniform(0.4, 0.8), -1)))
    elif d.chance(0.3):
        values.insert(0, int(round(first * d.uniform(0.4, 0.9), -1)))  # rising
    values = [max(v, uln + 10) for v in values]
    return CkCourse(
        values, lo, uln, above_range=first >= 22000 and d.chance(0.25), fold_only=d.chance(0.05)
    )


def ck_normal(d: Draw) -> CkCourse:
    """One normal CK value with its reference range."""
    lo, uln = ref_range(d)
    return CkCourse([d.randint(max(lo + 5, 45), uln - 10)], lo, uln)


GRADES = {
    "mild": ("4+", "4", "4", "4-"),
    "moderate": ("4-", "4", "3+", "4-", "3"),
    "severe": ("3", "2", "3-", "2+", "3"),
}
PROX_SITES = (
    "hip flexors",
    "deltoids",
    "neck flexors",
    "quadriceps",
    "hip extensors",
    "biceps",
    "hip abductors",
    "triceps",
    "hamstrings",
)


def strength(
    d: Draw, severity: str, *, distal_normal: bool = True, sites: tuple[str, ...] | None = None
) -> list[tuple[str, str, str]]:
    """MRC grades of proximal sites for a severity, often with a normal distal site."""
    chosen = list(sites or ())
    if not chosen:
        chosen = ["hip flexors"] + d.sample(PROX_SITES[1:], d.randint(1, 4))
    rows = []
    for site in chosen:
        g = d.pick(GRADES[severity])
        rows.append((site, g, g))
    if distal_normal and d.chance(0.7):
        site = d.pick(("grip", "ankle dorsiflexion", "finger flexors", "wrist extensors"))
        rows.append((site, "5", "5"))
    return rows


def maybe(d: Draw, p: float, value: str) -> str | None:
    """``value`` with probability ``p``, else ``None``."""
    return value if d.chance(p) else None


def symptoms(d: Draw, present: Mapping[str, float], absent: Mapping[str, float]) -> dict[str, str]:
    """Draw each symptom's truth: present with its probability, else absent with its own."""
    out: dict[str, str] = {}
    for concept, p in present.items():
        if d.chance(p):
            out[concept] = "present"
    for concept, p in absent.items():
        if concept not in out and d.chance(p):
            out[concept] = "absent"
    return out


def plain_fhx(d: Draw) -> list[FamilyItem]:
    """One or two family-history lines without any finding."""
    options = (
        "Father MI at {n}.",
        "Mother with type 2 diabetes.",
        "Sister with breast cancer at {n}.",
        "Brother with hypertension.",
        "No known neuromuscular disease in the family.",
        "Non-contributory.",
        "Father died of colon cancer at {n}.",
        "Mother with rheumatoid arthritis.",
        "Sister with Hashimoto thyroiditis.",
    )
    picks = d.sample(options, d.randint(1, 2))
    return [FamilyItem("", "plain", p.replace("{n}", str(d.randint(48, 78)))) for p in picks]
