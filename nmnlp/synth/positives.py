"""Case builders for the positive families: IMNM across its spectrum (label 1)."""

from __future__ import annotations

from .cases import (
    Case,
    Statin,
    ck,
    maybe,
    meds,
    plain_fhx,
    pmh,
    statin,
    strength,
    symptoms,
)
from .draw import Draw


def _imnm_common(
    d: Draw, family: str, *, age: tuple[int, int], severity: str, months: tuple[float, float]
) -> Case:
    case = Case(
        family=family,
        label=1,
        age=d.randint(*age),
        female=d.chance(0.55),
        setting=d.pick(("neuromuscular", "neurology", "rheumatology", "medicine")),
        months=d.uniform(*months),
        chief="proximal_weakness",
    )
    case.symptoms = symptoms(
        d,
        {
            "proximal_weakness": 1.0,
            "myalgia": 0.65,
            "fatigue": 0.35,
            "dysphagia": 0.25,
            "generalized_weakness": 0.3,
            "dysphonia": 0.06,
        },
        {
            "dysphagia": 0.6,
            "rash": 0.75,
            "myalgia": 0.4,
            "dysphonia": 0.3,
            "fatigue": 0.2,
            "distal_weakness": 0.15,
        },
    )
    case.strength = strength(d, severity) if d.chance(0.9) else None
    case.functional = maybe(d, 0.5, "present")
    case.atrophy = (
        ("present", "proximal") if d.chance(0.15) else (("absent", "") if d.chance(0.3) else None)
    )
    case.rash_exam = "absent" if d.chance(0.5) else None
    case.aldolase = (
        (round(d.uniform(9, 80), 1), d.pick((7.6, 8.1, 7.7))) if d.chance(0.35) else None
    )
    case.emg = d.weighted({"irritable": 0.55, "myopathic": 0.1, "none": 0.35})
    case.mri = d.weighted({"edema": 0.3, "edema_fat": 0.15, "none": 0.55})
    case.pmh = pmh(d, d.randint(1, 4))
    case.meds = meds(d, d.randint(1, 4))
    case.fhx = plain_fhx(d) if d.chance(0.6) else []
    case.precautions = d.sample(
        [
            k
            for k in ("dysphagia", "dysphonia")
            if k not in case.symptoms or case.symptoms[k] != "present"
        ],
        d.randint(0, 1),
    )
    case.extra["labs"] = d.sample(
        (
            "AST {ast} / ALT {alt}",
            "LDH {ldh}",
            "TSH {tsh}",
            "ANA negative",
            "Cr 0.{cr}",
            "Troponin T {trop} ng/L (skeletal source suspected, ECG normal)",
            "ESR {esr}",
        ),
        d.randint(1, 4),
    )
    case.plan = d.sample(
        (
            "Prednisone 60 mg daily with calcium, vitamin D and PPI cover",
            "IVIG 2 g/kg over 5 days",
            "Pulse methylprednisolone 1 g IV daily x 3",
            "PT/OT, falls precautions",
            "Start methotrexate once steroid taper begins",
            "PJP prophylaxis with co-trimoxazole",
            "PFTs and echocardiogram",
            "Steroid-sparing agent (mycophenolate) to be discussed",
            "Bone protection",
        ),
        d.randint(2, 4),
    )
    case.repeat_ck = d.chance(0.6)
    return case


def _hmgcr_value(d: Draw) -> int | None:
    return d.pick((None, None, d.randint(40, 199), 200, d.randint(25, 180)))


def imnm_hmgcr_statin(d: Draw) -> Case:
    """Anti-HMGCR IMNM on a statin (current or stopped during the illness)."""
    case = _imnm_common(
        d,
        "imnm_hmgcr_statin",
        age=(52, 84),
        severity=d.pick(("mild", "moderate", "moderate", "severe")),
        months=(1.5, 9),
    )
    case.statin = statin(d, "present", d.pick(("current", "held", "held")))
    case.ck = ck(d, 2000, 30000)
    case.hmgcr = ("positive", _hmgcr_value(d))
    case.srp = d.pick((None, "negative"))
    case.msa_panel = d.chance(0.4)
    case.biopsy = d.weighted({"necrotizing": 0.55, "none": 0.45})
    case.imnm_dx = ("present", d.pick(("hmgcr_statin", "hmgcr")))
    if d.chance(0.4):
        case.alt_dx.append(("toxic", "absent" if d.chance(0.5) else "possible"))
    if case.statin.when == "held":
        hpi = (
            "[[ck_elevated|present|CK remained high]] after the [[statin_exposure|present|statin]] "
            "was stopped.",
            "No improvement since the [[statin_exposure|present|statin]] was stopped.",
        )
    else:
        hpi = (
            "No new medications apart from the [[statin_exposure|present|statin]] dose "
            "increase last year.",
        )
    case.extra["hpi"] = d.sample(
        hpi + ("Symptoms began gradually in the spring.", "No dark urine."), d.randint(1, 2)
    )
    case.plan.append(
        "Do not rechallenge with any [[statin_exposure|hypothetical|statin]]; record as intolerance"
    )
    return case


def imnm_hmgcr_naive(d: Draw) -> Case:
    """Anti-HMGCR IMNM without statin exposure, sometimes first called a dystrophy."""
    case = _imnm_common(
        d,
        "imnm_hmgcr_naive",
        age=(22, 70),
        severity=d.pick(("moderate", "severe", "mild")),
        months=(3, 30),
    )
    case.statin = Statin("absent", "never")
    case.ck = ck(d, 3000, 25000)
    case.hmgcr = ("positive", _hmgcr_value(d))
    case.srp = d.pick((None, "negative"))
    case.msa_panel = d.chance(0.4)
    case.biopsy = d.weighted({"necrotizing": 0.6, "none": 0.4})
    case.imnm_dx = ("present", "hmgcr")
    if d.chance(0.5):
        case.alt_dx.append(("lgmd", d.pick(("possible", "absent"))))
        case.extra["hpi"] = [
            "Initially labelled as a [[alternative_diagnosis|historical|limb-girdle "
            "dystrophy]] at another centre; genetic panel was unrevealing."
        ]
    case.extra.setdefault("hpi", []).append(
        "Never exposed to [[statin_exposure|absent|red yeast rice]] or lipid-lowering drugs."
    )
    return case


def imnm_srp(d: Draw) -> Case:
    """Anti-SRP IMNM: severe weakness, dysphagia, atrophy."""
    case = _imnm_common(
        d,
        "imnm_srp",
        age=(30, 75),
        severity=d.pick(("moderate", "severe", "severe")),
        months=(1, 6),
    )
    case.symptoms["dysphagia"] = (
        "present" if d.chance(0.5) else case.symptoms.get("dysphagia", "absent")
    )
    if d.chance(0.25):
        case.symptoms["dysphonia"] = "present"
    case.statin = Statin("absent", "never") if d.chance(0.6) else None
    case.ck = ck(d, 3000, 22000)
    case.srp = "positive"
    case.hmgcr = ("negative", None) if d.chance(0.7) else None
    case.msa_panel = d.chance(0.3)
    case.atrophy = ("present", d.pick(("proximal", "proximal", "scapular")))
    case.biopsy = d.weighted({"necrotizing": 0.45, "pending": 0.15, "none": 0.4})
    case.imnm_dx = ("present", "srp")
    case.extra["hpi"] = d.sample(
        (
            "Lost {kg} kg over two months.",
            "Now [[proximal_weakness|present|needs two people to stand]].",
            "Rapid progression over weeks.",
            "Previously well.",
        ),
        d.randint(1, 2),
    )
    case.plan.append("Rituximab if inadequate response")
    return case


def imnm_seronegative(d: Draw) -> Case:
    """Antibody-negative IMNM defined by biopsy."""
    case = _imnm_common(
        d,
        "imnm_seronegative",
        age=(35, 80),
        severity=d.pick(("mild", "moderate", "severe")),
        months=(1, 8),
    )
    case.female = d.chance(0.7)
    case.statin = d.pick((Statin("absent", "never"), None, statin(d, "present", "current")))
    case.ck = ck(d, 1500, 15000)
    case.hmgcr = ("negative", None)
    case.srp = "negative"
    case.msa_panel = d.chance(0.7)
    case.biopsy = "necrotizing"
    case.imnm_dx = ("present", "seroneg")
    if d.chance(0.3):
        case.pmh.append(
            d.pick(("Systemic sclerosis", "Sjogren syndrome", "Mixed connective tissue disease"))
        )
    return case


def imnm_paraneoplastic(d: Draw) -> Case:
    """Biopsy-proven IMNM with a newly found cancer."""
    case = _imnm_common(
        d,
        "imnm_paraneoplastic",
        age=(50, 82),
        severity=d.pick(("moderate", "severe")),
        months=(1, 4),
    )
    cancers = [
        "lung adenocarcinoma",
        "small-cell lung cancer",
        "colorectal adenocarcinoma",
        "gastric adenocarcinoma",
    ]
    if case.female:
        cancers += ["breast cancer", "ovarian carcinoma"]
    cancer = d.pick(cancers)
    case.statin = d.pick((None, Statin("absent", "never")))
    case.ck = ck(d, 2000, 16000)
    if d.chance(0.35):
        case.hmgcr = ("positive", _hmgcr_value(d))
        case.imnm_dx = ("present", "hmgcr")
    else:
        case.hmgcr = ("negative", None)
        case.srp = "negative"
        case.imnm_dx = ("present", "seroneg")
    case.msa_panel = d.chance(0.5)
    case.biopsy = "necrotizing"
    case.pmh.append(f"{cancer[0].upper()}{cancer[1:]}, diagnosed during this work-up")
    case.extra["hpi"] = [
        f"CT chest/abdomen/pelvis for unintentional weight loss found a mass; "
        f"biopsy confirmed {cancer}.",
        "Smoker, {packs} pack-years.",
    ]
    case.extra["assessment"] = [
        f"Likely paraneoplastic in the setting of newly diagnosed {cancer}."
    ]
    case.plan.append("Oncology to start treatment of the primary; myositis will track the cancer")
    return case


def imnm_juvenile(d: Draw) -> Case:
    """Juvenile IMNM (HMGCR or SRP) mimicking a dystrophy."""
    case = _imnm_common(
        d, "imnm_juvenile", age=(6, 17), severity=d.pick(("moderate", "severe")), months=(3, 24)
    )
    case.setting = d.pick(("pediatric rheumatology", "pediatric neurology"))
    case.pmh = d.sample(
        ("Eczema", "Asthma", "No significant past history", "Tonsillectomy age 5"), 1
    )
    case.meds = []
    case.statin = None
    case.ck = ck(d, 3000, 20000)
    if d.chance(0.55):
        case.hmgcr = ("positive", _hmgcr_value(d))
        case.imnm_dx = ("present", "hmgcr")
    else:
        case.srp = "positive"
        case.hmgcr = ("negative", None) if d.chance(0.5) else None
        case.imnm_dx = ("present", "srp")
    case.biopsy = d.weighted({"necrotizing": 0.6, "none": 0.4})
    case.rash_exam = "absent"
    case.alt_dx.append(("lgmd", d.pick(("possible", "absent"))))
    if d.chance(0.5):
        case.alt_dx.append(("dm", "absent"))
    case.extra["hpi"] = d.sample(
        (
            "Mother noticed {subj} stopped running at school.",
            "Trouble keeping up in PE lessons.",
            "Teachers reported {subj} sits down to put on shoes.",
        ),
        2,
    )
    return case


def imnm_early(d: Draw) -> Case:
    """Before any diagnosis: high CK, proximal weakness, antibodies pending."""
    case = _imnm_common(
        d,
        "imnm_early",
        age=(45, 85),
        severity=d.pick(("mild", "moderate", "moderate")),
        months=(0.7, 5),
    )
    case.setting = d.pick(("medicine", "emergency", "primary care", "medicine"))
    case.statin = statin(d, "present", d.pick(("current", "held"))) if d.chance(0.65) else None
    case.ck = ck(d, 3000, 30000, falling=d.chance(0.4))
    case.hmgcr = ("pending", None)
    case.srp = "pending" if d.chance(0.6) else None
    case.biopsy = "pending" if d.chance(0.5) else None
    case.emg = d.pick(("pending", "none", "irritable"))
    case.mri = d.pick(("pending", "none", "none"))
    case.imnm_dx = ("possible", "generic")
    case.alt_dx = d.sample(
        (
            ("toxic", "possible"),
            ("pm", "possible"),
            ("rhabdo", "possible"),
            ("hypothyroid", "possible"),
        ),
        d.randint(0, 2),
    )
    case.extra["hpi"] = d.sample(
        (
            "No trauma, seizures or unusual exertion.",
            "No dark urine.",
            "No recent viral illness.",
            "Sent in by GP after routine labs.",
        ),
        d.randint(1, 2),
    )
    return case


def imnm_pending(d: Draw) -> Case:
    """Work-up under way: EMG / MRI done, antibodies and biopsy pending."""
    case = _imnm_common(
        d, "imnm_pending", age=(40, 82), severity=d.pick(("mild", "moderate")), months=(2, 10)
    )
    case.statin = statin(d, "present", "held") if d.chance(0.6) else Statin("absent", "never")
    case.ck = ck(d, 2000, 20000)
    case.hmgcr = ("pending", None)
    case.srp = d.pick(("pending", "negative", None))
    case.msa_panel = d.chance(0.4)
    case.emg = "irritable"
    case.mri = d.pick(("edema", "edema_fat", "none"))
    case.biopsy = "pending"
    case.imnm_dx = ("possible", "generic")
    case.alt_dx = d.sample(
        (("toxic", "possible"), ("pm", "possible"), ("lgmd", "possible"), ("ibm", "possible")),
        d.randint(0, 2),
    )
    return case


def imnm_followup(d: Draw) -> Case:
    """Known IMNM on treatment: CK falling, weakness improving."""
    case = _imnm_common(
        d,
        "imnm_followup",
        age=(45, 85),
        severity=d.pick(("mild", "mild", "moderate")),
        months=(8, 40),
    )
    case.setting = d.pick(("neuromuscular", "rheumatology"))
    kind = d.pick(("hmgcr_statin", "hmgcr", "srp", "seroneg"))
    case.imnm_dx = ("present", kind)
    if kind == "hmgcr_statin":
        case.statin = statin(d, "historical", "stopped_dx")
    if kind.startswith("hmgcr"):
        case.hmgcr = ("positive", _hmgcr_value(d))
    elif kind == "srp":
        case.srp = "positive"
    case.ck = ck(d, 1200, 9000, falling=True)
    case.emg = "none"
    case.mri = "none"
    case.biopsy = d.pick(("necrotizing", "none"))
    case.symptoms.pop("dysphagia", None)
    case.symptoms["dysphagia"] = d.pick(("absent", "absent", "present"))
    case.extra["hpi"] = d.sample(
        (
            "On IVIG every 4 weeks and prednisone {pred} mg daily.",
            "Strength improving since the last visit.",
            "Now walking 500 m with a stick.",
            "No infusion reactions.",
        ),
        2,
    )
    return case
