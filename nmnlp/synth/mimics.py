"""Case builders for the negative families: differentials and unrelated notes (label 0)."""

from __future__ import annotations

from .cases import (
    Case,
    CkCourse,
    FamilyItem,
    Statin,
    ck,
    ck_normal,
    lognormal,
    maybe,
    meds,
    plain_fhx,
    pmh,
    ref_range,
    statin,
    strength,
    symptoms,
)
from .draw import Bank, Draw


def _diff_common(
    d: Draw,
    family: str,
    *,
    age: tuple[int, int],
    setting: str,
    months: tuple[float, float],
    chief: str,
    female_p: float = 0.5,
) -> Case:
    case = Case(
        family=family,
        label=0,
        age=d.randint(*age),
        female=d.chance(female_p),
        setting=setting,
        months=d.uniform(*months),
        chief=chief,
    )
    case.pmh = pmh(d, d.randint(1, 3))
    case.meds = meds(d, d.randint(0, 3))
    case.fhx = plain_fhx(d) if d.chance(0.6) else []
    return case


def dermatomyositis(d: Draw) -> Case:
    """Dermatomyositis: heliotrope / Gottron signs, MSA positive, perifascicular atrophy."""
    case = _diff_common(
        d,
        "dermatomyositis",
        age=(30, 75),
        setting=d.pick(("rheumatology", "dermatology", "neuromuscular")),
        months=(1, 6),
        chief="rash",
        female_p=0.7,
    )
    case.symptoms = symptoms(
        d,
        {"rash": 1.0, "proximal_weakness": 0.8, "myalgia": 0.5, "fatigue": 0.5, "dysphagia": 0.2},
        {"dysphagia": 0.5, "dysphonia": 0.2},
    )
    case.np_override["rash"] = Bank(
        (
            "a violaceous rash around both eyes",
            "red bumps over {pos} knuckles",
            "heliotrope rash",
            "a rash on {pos} upper back and chest",
            "a scaly rash over the knuckles",
            "Gottron papules",
            "an itchy, photosensitive rash",
        ),
        ("purplish eyelid discoloration",),
    )
    case.rash_exam = "dm"
    case.strength = strength(d, "mild") if "proximal_weakness" in case.symptoms else None
    case.strength_normal = case.strength is None and d.chance(0.6)
    case.ck = ck(d, 400, 6000) if d.chance(0.8) else ck_normal(d)
    case.aldolase = (round(d.uniform(8, 30), 1), 7.6) if d.chance(0.4) else None
    ab = d.pick(("Mi-2", "TIF1-gamma", "NXP2", "MDA5", "SAE"))
    case.other_abs = [(ab, "positive")] + [
        (x, "negative") for x in d.sample(("Jo-1", "PL-7", "MDA5", "TIF1-gamma"), 2) if x != ab
    ]
    case.hmgcr = ("negative", None) if d.chance(0.4) else None
    case.biopsy = d.pick(("dm", "dm", "none"))
    case.mri = d.pick(("fascial", "none", "none"))
    case.alt_dx = [("dm", "present")]
    if d.chance(0.4):
        case.imnm_dx = ("absent", "generic")
    case.extra["exam"] = (
        ["[[rash|present|Periungual erythema]] with [[rash|present|dilated nailfold capillaries]]."]
        if d.chance(0.4)
        else []
    )
    case.extra["imaging"] = ["HRCT chest: no interstitial lung disease."]
    case.plan = d.sample(
        (
            "Prednisone 1 mg/kg with taper",
            "Hydroxychloroquine for skin",
            "Methotrexate 15 mg weekly with folic acid",
            "Strict sun protection",
            "Age-appropriate cancer screening, CT chest/abdomen/pelvis",
        ),
        3,
    )
    return case


def antisynthetase(d: Draw) -> Case:
    """Antisynthetase syndrome: Jo-1 / PL-7 / PL-12, ILD, mechanic's hands."""
    case = _diff_common(
        d,
        "antisynthetase",
        age=(35, 70),
        setting=d.pick(("rheumatology", "respiratory", "medicine")),
        months=(1, 6),
        chief="proximal_weakness",
        female_p=0.65,
    )
    case.symptoms = symptoms(
        d,
        {"proximal_weakness": 0.7, "myalgia": 0.6, "fatigue": 0.5, "rash": 0.6},
        {"dysphagia": 0.5, "rash": 0.5},
    )
    if "proximal_weakness" not in case.symptoms:
        case.chief = "myalgia" if "myalgia" in case.symptoms else "fatigue"
        case.symptoms.setdefault(case.chief, "present")
    case.np_override["rash"] = Bank(
        ("cracked, rough skin on the sides of {pos} fingers", "mechanic's hands"),
        ("hyperkeratotic fingertips",),
    )
    case.rash_exam = "mechanic" if case.symptoms.get("rash") == "present" else "absent"
    case.strength = strength(d, "mild") if case.symptoms.get("proximal_weakness") else None
    case.strength_normal = case.strength is None
    case.ck = ck(d, 800, 8000)
    ab = d.pick(("Jo-1", "PL-7", "PL-12", "EJ"))
    case.other_abs = [(ab, "positive")]
    case.hmgcr = ("negative", None) if d.chance(0.3) else None
    case.alt_dx = [("asyn", "present")]
    case.extra["hpi"] = d.sample(
        (
            "Dry cough and exertional breathlessness for 2 months.",
            "Low-grade fevers.",
            "Symmetric small-joint arthritis of the hands.",
            "Raynaud phenomenon since the winter.",
        ),
        3,
    )
    case.extra["imaging"] = [
        "HRCT chest: basal reticulation with ground-glass change, NSIP pattern."
    ]
    case.plan = d.sample(
        ("Prednisone 0.5 mg/kg", "Mycophenolate 1 g bid", "PFTs with DLCO", "Respiratory review"), 3
    )
    return case


def ibm(d: Draw) -> Case:
    """Inclusion body myositis: finger flexor and quadriceps weakness over years."""
    case = _diff_common(
        d,
        "ibm",
        age=(55, 85),
        setting="neuromuscular",
        months=(24, 96),
        chief="distal_weakness",
        female_p=0.35,
    )
    case.symptoms = symptoms(
        d,
        {"distal_weakness": 1.0, "proximal_weakness": 0.9, "dysphagia": 0.4},
        {"myalgia": 0.6, "dysphagia": 0.4, "rash": 0.3},
    )
    case.np_override["proximal_weakness"] = Bank(
        (
            "knees buckling on uneven ground",
            "difficulty getting up from low chairs",
            "quadriceps weakness",
            "weakness of the thighs",
        ),
        ("knee giving way",),
    )
    r1, l1 = d.pick((("3", "2"), ("4-", "3"), ("3", "3"), ("4-", "2")))
    r2, l2 = d.pick((("3", "4-"), ("4-", "3"), ("3", "3")))
    case.strength = [
        ("finger flexors", r1, l1),
        ("quadriceps", r2, l2),
        ("deltoids", "4+", "4+"),
        ("hip flexors", d.pick(("4+", "5", "4")), d.pick(("4+", "5"))),
        ("ankle dorsiflexion", d.pick(("4", "5")), d.pick(("4", "4+"))),
    ]
    case.atrophy = ("present", "ibm")
    case.ck = ck(d, 250, 1500) if d.chance(0.75) else ck_normal(d)
    case.other_abs = [("cN1A", "positive")] if d.chance(0.5) else []
    case.hmgcr = ("negative", None) if d.chance(0.5) else None
    case.emg = d.pick(("ibm", "none"))
    case.biopsy = d.pick(("ibm", "ibm", "none"))
    case.alt_dx = [("ibm", "present")]
    if d.chance(0.3):
        case.imnm_dx = ("absent", "generic")
    case.extra["hpi"] = ["No response to a prednisone trial in the past."]
    case.extra["exam"] = ["Knee jerks reduced. Sensation normal."]
    case.plan = d.sample(
        (
            "Physiotherapy",
            "Knee-ankle orthosis assessment for falls",
            "Occupational therapy for grip aids",
            "SLT review",
            "No immunosuppression",
        ),
        3,
    )
    return case


def polymyositis(d: Draw) -> Case:
    """Polymyositis: endomysial CD8 invasion, no necrosis on biopsy."""
    case = _diff_common(
        d,
        "polymyositis",
        age=(30, 70),
        setting=d.pick(("rheumatology", "neuromuscular")),
        months=(2, 8),
        chief="proximal_weakness",
        female_p=0.6,
    )
    case.symptoms = symptoms(
        d,
        {"proximal_weakness": 1.0, "myalgia": 0.5, "fatigue": 0.3},
        {"rash": 0.8, "dysphagia": 0.5},
    )
    case.strength = strength(d, d.pick(("mild", "moderate")))
    case.ck = ck(d, 1000, 9000)
    case.hmgcr = ("negative", None)
    case.srp = d.pick(("negative", None))
    case.msa_panel = d.chance(0.5)
    case.emg = d.pick(("irritable", "myopathic", "none"))
    case.biopsy = "pm"
    case.alt_dx = [("pm", "present")]
    if d.chance(0.5):
        case.imnm_dx = ("absent", "generic")
    case.extra["assessment"] = [
        "Biopsy shows primary endomysial inflammation rather than [[biopsy_necrosis|"
        "absent|a necrotizing pattern]]; overlap myositis and "
        "[[alternative_diagnosis|possible|IBM]] to be kept in mind at follow-up."
    ]
    case.plan = d.sample(
        (
            "Prednisone 1 mg/kg",
            "Azathioprine as steroid-sparing agent",
            "Screen for ILD with PFTs",
            "Repeat strength testing in 6 weeks",
        ),
        3,
    )
    return case


def statin_myalgia(d: Draw) -> Case:
    """Statin myalgia: pain without weakness, normal CK."""
    case = _diff_common(
        d, "statin_myalgia", age=(45, 78), setting="primary care", months=(0.5, 3), chief="myalgia"
    )
    case.symptoms = symptoms(
        d,
        {"myalgia": 1.0, "fatigue": 0.25},
        {"proximal_weakness": 0.6, "generalized_weakness": 0.5, "dysphagia": 0.3, "rash": 0.5},
    )
    case.np_override["myalgia"] = Bank(
        (
            "aching in both calves and thighs",
            "muscle aches",
            "leg aches",
            "myalgias",
            "cramps and aching in the thighs",
        ),
        ("heavy, aching legs",),
    )
    case.statin = statin(d, "present", "current")
    case.strength_normal = True
    case.functional = maybe(d, 0.5, "absent")
    case.atrophy = ("absent", "") if d.chance(0.4) else None
    case.ck = ck_normal(d)
    case.alt_dx = [("sams", "present")]
    case.precautions = d.sample(("proximal_weakness", "generalized_weakness"), 1)
    case.extra["hpi"] = [
        "Symptoms started {wk} weeks after the [[statin_exposure|present|statin]] was started.",
        "No dark urine.",
    ]
    case.extra["labs"] = ["TSH {tsh}", "ALT {alt_n}", "Vit D 52 nmol/L"]
    case.plan = d.sample(
        (
            "Hold the [[statin_exposure|present|statin]] for 4 weeks; expect symptoms to resolve",
            "Rechallenge at a lower dose three times weekly once symptom-free",
            "If symptoms recur, switch to ezetimibe",
            "Recheck lipids in 3 months",
        ),
        3,
    )
    return case


def toxic_statin_rhabdo(d: Draw) -> Case:
    """Toxic statin rhabdomyolysis after an interacting drug; HMGCR negative."""
    case = _diff_common(
        d,
        "toxic_statin_rhabdo",
        age=(55, 85),
        setting=d.pick(("medicine", "emergency")),
        months=(0.1, 0.5),
        chief="myalgia",
    )
    interacting = d.pick(
        (
            "clarithromycin",
            "itraconazole",
            "gemfibrozil",
            "ciclosporin",
            "erythromycin",
            "amiodarone",
        )
    )
    case.symptoms = symptoms(
        d,
        {"myalgia": 1.0, "generalized_weakness": 0.7, "fatigue": 0.3},
        {"rash": 0.5, "dysphagia": 0.3},
    )
    case.statin = statin(d, "present", "held", ("simvastatin", "atorvastatin", "Zocor"))
    case.statin.dose = d.pick(("80 mg", "40 mg"))
    lo, uln = ref_range(d)
    peak = lognormal(d, 10000, 150000)
    case.ck = CkCourse(
        [peak, int(round(peak * 0.4, -2)), int(round(peak * 0.08, -1))],
        lo,
        uln,
        later_normal=d.randint(60, uln - 20) if d.chance(0.5) else None,
    )
    case.hmgcr = ("negative", None) if d.chance(0.7) else None
    case.strength = strength(d, "mild") if d.chance(0.4) else None
    case.alt_dx = [("toxic_statin", "present")]
    case.extra["hpi"] = [
        f"Started {interacting} {{days}} days ago for a chest infection.",
        "Dark, cola-coloured urine since yesterday.",
    ]
    case.extra["labs"] = ["Cr {cr_aki} mg/dL (baseline 0.9)", "UA: large blood, 0-2 RBC", "K 5.{k}"]
    case.plan = d.sample(
        (
            f"Stop {interacting} and the [[statin_exposure|present|statin]]",
            "IV fluids, urine output goal >200 mL/h",
            "Daily [[ck_elevated|hypothetical|CK]] and creatinine",
            "Renal dosing review",
        ),
        3,
    )
    return case


def exertional_rhabdo(d: Draw) -> Case:
    """Exertional rhabdomyolysis after unaccustomed exercise; CK normalising."""
    case = _diff_common(
        d,
        "exertional_rhabdo",
        age=(18, 40),
        setting="emergency",
        months=(0.05, 0.1),
        chief="myalgia",
    )
    case.pmh = d.sample(("none", "Asthma", "ADHD"), 1)
    activity = d.pick(
        (
            "{pos} first ever 45-min spin class",
            "a CrossFit session with 200 squats",
            "military training in the heat",
            "a marathon",
            "a new leg-day routine at the gym",
        )
    )
    case.symptoms = symptoms(d, {"myalgia": 1.0}, {"rash": 0.4, "dysphagia": 0.3})
    case.np_override["myalgia"] = Bank(
        (
            "severe bilateral thigh pain",
            "thigh pain and swelling",
            "intense muscle pain in the thighs",
            "sore, swollen quads",
        ),
        ("excruciating leg muscle pain",),
    )
    case.strength = [("deltoids", "5", "5"), ("ankle dorsiflexion", "5", "5")]
    case.extra["exam"] = [
        "[[myalgia|present|Quads tense and very tender]] bilaterally; compartments soft, "
        "pulses intact.",
        "Strength in the thighs limited by pain.",
    ]
    lo, uln = ref_range(d)
    peak = lognormal(d, 15000, 120000)
    case.ck = CkCourse(
        [peak, int(round(peak * 0.45, -2)), int(round(peak * 0.12, -1))],
        lo,
        uln,
        above_range=peak > 30000 and d.chance(0.2),
    )
    case.statin = Statin("absent", "never") if d.chance(0.5) else None
    case.alt_dx = [("rhabdo", "present")]
    case.extra["hpi"] = [
        f"Did {activity} 2 days ago.",
        "Urine cola-coloured since last night.",
        "No supplements.",
        "No prior episodes.",
    ]
    case.extra["labs"] = ["UA: large blood, 0-2 RBC (myoglobinuria)", "Cr 0.{cr}", "AST {ast}"]
    case.plan = [
        "IVF NS 250 mL/h, UOP goal >200 mL/h",
        "Gradual return to exercise over 2-3 weeks",
        "If recurrent episodes or [[ck_elevated|hypothetical|CK fails to normalise]], "
        "neuromuscular referral",
    ]
    case.repeat_ck = True
    return case


def hypothyroid_myopathy(d: Draw) -> Case:
    """Hypothyroid (Hoffmann) myopathy: high TSH, mild CK rise."""
    case = _diff_common(
        d,
        "hypothyroid_myopathy",
        age=(35, 75),
        setting=d.pick(("endocrinology", "primary care")),
        months=(2, 8),
        chief="proximal_weakness",
        female_p=0.75,
    )
    case.pmh = pmh(d, 2, exclude=("Hypothyroidism",))
    case.symptoms = symptoms(
        d,
        {"proximal_weakness": 0.8, "myalgia": 0.7, "fatigue": 0.9},
        {"rash": 0.4, "dysphagia": 0.3},
    )
    if "proximal_weakness" not in case.symptoms:
        case.chief = "fatigue"
    case.strength = strength(d, "mild") if case.symptoms.get("proximal_weakness") else None
    case.strength_normal = case.strength is None
    case.ck = ck(d, 400, 5000)
    case.alt_dx = [("hypothyroid", "present")]
    case.extra["hpi"] = d.sample(
        (
            "Cold intolerance, constipation and weight gain.",
            "Muscle stiffness and cramps.",
            "Hair thinning.",
            "Stopped {pos} levothyroxine a year ago.",
        ),
        3,
    )
    case.extra["exam"] = ["Slow-relaxing ankle jerks.", "Mild calf pseudohypertrophy."]
    case.extra["labs"] = ["TSH {tsh_high} mU/L", "Free T4 {ft4_low} pmol/L"]
    case.plan = [
        "Levothyroxine 50 mcg daily, titrate",
        "Expect muscle symptoms to settle as TSH normalises",
    ]
    return case


def steroid_myopathy(d: Draw) -> Case:
    """Steroid myopathy: painless hip-girdle weakness, normal CK."""
    case = _diff_common(
        d,
        "steroid_myopathy",
        age=(40, 80),
        setting=d.pick(("respiratory", "rheumatology", "neurology")),
        months=(1, 6),
        chief="proximal_weakness",
    )
    reason = d.pick(
        (
            "COPD exacerbations",
            "giant cell arteritis",
            "asthma",
            "autoimmune hepatitis",
            "sarcoidosis",
        )
    )
    case.pmh.append(reason[0].upper() + reason[1:])
    case.meds.append(
        f"prednisone {d.pick(('20', '30', '40'))} mg daily for {d.randint(3, 12)} months"
    )
    case.symptoms = symptoms(
        d, {"proximal_weakness": 1.0}, {"myalgia": 0.8, "rash": 0.3, "dysphagia": 0.3}
    )
    case.strength = strength(d, "mild", sites=("hip flexors", "hip extensors", "deltoids"))
    case.ck = ck_normal(d)
    case.emg = d.pick(("normal", "none"))
    case.biopsy = d.pick(("type2", "none", "none"))
    case.alt_dx = [("steroid", "present")]
    case.extra["exam"] = ["Cushingoid habitus with thin skin and bruising."]
    case.plan = [
        "Taper prednisone as the underlying condition allows",
        "Physiotherapy",
        "Steroid-sparing agent to be discussed",
    ]
    return case


def myasthenia(d: Draw) -> Case:
    """Myasthenia gravis: fatigable weakness, ptosis, AChR positive, normal CK."""
    case = _diff_common(
        d,
        "myasthenia",
        age=(25, 80),
        setting="neurology",
        months=(1, 6),
        chief="generalized_weakness",
        female_p=0.55,
    )
    case.symptoms = symptoms(
        d,
        {
            "generalized_weakness": 0.8,
            "dysphonia": 0.3,
            "dysphagia": 0.25,
            "proximal_weakness": 0.3,
        },
        {"myalgia": 0.7, "rash": 0.5, "dysphagia": 0.3},
    )
    case.chief = "generalized_weakness" if "generalized_weakness" in case.symptoms else "dysphonia"
    case.symptoms.setdefault(case.chief, "present")
    case.np_override["generalized_weakness"] = Bank(
        (
            "fluctuating weakness",
            "weakness worse at the end of the day",
            "weakness that improves with rest",
        ),
        ("fatigable weakness",),
    )
    case.np_override["dysphonia"] = Bank(
        ("nasal speech after talking for a while", "slurred speech by the evening"),
        ("voice fading",),
    )
    if case.symptoms.get("proximal_weakness") == "present":
        case.np_override["proximal_weakness"] = Bank(
            (
                "fatigable weakness of the arms when drying {pos} hair",
                "arm weakness when holding a hairdryer",
            ),
            ("shoulder weakness after repetition",),
        )
        case.strength = [("deltoids", "4", "4"), ("hip flexors", "5", "5")]
        case.extra["exam"] = ["[[proximal_weakness|present|Deltoids weaken after 20 repetitions]]."]
    else:
        case.strength_normal = d.chance(0.7)
    case.ck = ck_normal(d)
    case.emg = d.pick(("nmj", "none"))
    case.alt_dx = [("mg", "present")]
    case.extra.setdefault("exam", []).extend(
        ["Fatigable ptosis on sustained upgaze at 45 s.", "Diplopia on sustained lateral gaze."]
    )
    case.extra["hpi"] = d.sample(
        (
            "Drooping of the eyelids, worse in the evening.",
            "Horizontal double vision after reading.",
            "Symptoms better after rest.",
        ),
        2,
    )
    case.extra["labs"] = [
        "AChR binding antibody positive ({achr} nmol/L)",
        "MuSK negative",
        "TSH {tsh}",
    ]
    case.extra["imaging"] = ["CT chest: no thymoma."]
    case.plan = [
        "Pyridostigmine 30 mg tds, titrate",
        "Discuss thymectomy",
        "Counsel on drugs that worsen [[alternative_diagnosis|present|myasthenia]]",
    ]
    return case


def lems(d: Draw) -> Case:
    """Lambert-Eaton syndrome: proximal leg weakness, areflexia, SCLC, normal CK."""
    case = _diff_common(
        d,
        "lems",
        age=(50, 80),
        setting="neurology",
        months=(2, 8),
        chief="proximal_weakness",
        female_p=0.4,
    )
    case.symptoms = symptoms(
        d,
        {"proximal_weakness": 1.0, "fatigue": 0.4},
        {"myalgia": 0.6, "rash": 0.3, "dysphagia": 0.4},
    )
    case.np_override["proximal_weakness"] = Bank(
        ("proximal leg weakness", "difficulty climbing stairs", "trouble rising from chairs"),
        ("heavy thighs",),
    )
    case.strength = strength(d, "mild", sites=("hip flexors", "quadriceps", "deltoids"))
    case.ck = ck_normal(d)
    case.emg = "nmj"
    case.alt_dx = [("lems", "present")]
    case.extra["hpi"] = d.sample(
        (
            "Dry mouth and constipation.",
            "Erectile dysfunction.",
            "Strength improves briefly after exercise.",
            "40 pack-year smoker.",
        ),
        2,
    )
    case.extra["exam"] = ["Reflexes absent, return after 10 s of maximal contraction."]
    case.extra["labs"] = ["P/Q-type VGCC antibodies positive"]
    case.extra["imaging"] = ["CT chest: 2.5 cm right hilar mass, SCLC on EBUS biopsy."]
    case.plan = ["Amifampridine", "Oncology referral for SCLC treatment"]
    return case


def pmr(d: Draw) -> Case:
    """Polymyalgia rheumatica: girdle pain and stiffness, full strength, normal CK."""
    case = _diff_common(
        d,
        "pmr",
        age=(55, 85),
        setting=d.pick(("rheumatology", "primary care")),
        months=(0.5, 3),
        chief="myalgia",
        female_p=0.65,
    )
    case.symptoms = symptoms(
        d,
        {"myalgia": 1.0, "fatigue": 0.5},
        {"proximal_weakness": 0.5, "rash": 0.4, "dysphagia": 0.2},
    )
    case.np_override["myalgia"] = Bank(
        (
            "shoulder and hip girdle pain",
            "aching in both shoulders and hips",
            "pain and stiffness around the shoulders",
            "bilateral shoulder girdle pain",
        ),
        ("aching upper arms and thighs",),
    )
    case.strength_normal = True
    case.ck = ck_normal(d)
    case.alt_dx = [("pmr", "present")]
    case.extra["hpi"] = d.sample(
        (
            "Morning stiffness lasting over an hour.",
            "Cannot get out of bed without rolling first because of stiffness.",
            "No headache, jaw claudication or visual symptoms.",
        ),
        2,
    )
    case.extra["exam"] = [
        "Painful restriction of shoulder abduction; [[proximal_weakness|absent|strength "
        "full once pain allows]]."
    ]
    case.extra["labs"] = ["ESR {esr_high} mm/h", "CRP {crp_high} mg/L"]
    case.plan = [
        "Prednisolone 15 mg daily; expect a rapid response",
        "Bone protection",
        "Review in 3 weeks",
    ]
    return case


def muscular_dystrophy(d: Draw) -> Case:
    """Dysferlinopathy / LGMD: slow course, very high CK, dystrophic necrosis."""
    case = _diff_common(
        d,
        "muscular_dystrophy",
        age=(16, 45),
        setting="neuromuscular",
        months=(36, 180),
        chief="proximal_weakness",
    )
    case.symptoms = symptoms(
        d,
        {"proximal_weakness": 1.0, "myalgia": 0.2},
        {"dysphagia": 0.5, "rash": 0.4, "myalgia": 0.4},
    )
    case.strength = strength(d, "moderate", distal_normal=False) + [("plantarflexion", "4", "4")]
    case.atrophy = ("present", d.pick(("calf", "proximal", "scapular")))
    case.ck = ck(d, 3000, 20000)
    case.hmgcr = ("negative", None) if d.chance(0.6) else None
    case.biopsy = d.pick(("dystrophy", "dystrophy", "none"))
    case.mri = d.pick(("fat_only", "none"))
    case.alt_dx = [("lgmd", "present")]
    if d.chance(0.4):
        case.imnm_dx = ("absent", "generic")
    rel = d.pick(("Older brother", "Sister", "Cousin"))
    case.fhx = [FamilyItem(rel, "lgmd")]
    if d.chance(0.4):
        case.fhx.append(
            FamilyItem(
                "her brother" if d.chance(0.5) else "his sister",
                "ck",
                value=d.randint(4, 15) * 1000,
            )
        )
    case.extra["hpi"] = d.sample(
        (
            "Slow progression since {pos} teens; could never run fast.",
            "Parents are first cousins.",
            "Poor response to a prednisone trial.",
        ),
        2,
    )
    case.extra["labs"] = ["Genetics: biallelic DYSF pathogenic variants"] if d.chance(0.6) else []
    case.plan = ["Genetic counselling", "Physiotherapy", "Cardiac and respiratory surveillance"]
    return case


def als(d: Draw) -> Case:
    """ALS: asymmetric distal weakness, wasting, fasciculations, denervation on EMG."""
    case = _diff_common(
        d,
        "als",
        age=(45, 80),
        setting="neurology",
        months=(4, 18),
        chief="distal_weakness",
        female_p=0.4,
    )
    case.symptoms = symptoms(
        d,
        {"distal_weakness": 1.0, "dysphonia": 0.5, "dysphagia": 0.35, "proximal_weakness": 0.3},
        {"myalgia": 0.5, "rash": 0.3},
    )
    case.np_override["distal_weakness"] = Bank(
        (
            "weakness of the right hand",
            "trouble turning keys",
            "difficulty buttoning",
            "right foot drop",
        ),
        ("clumsy, weak hand",),
    )
    case.strength = [
        ("finger flexors", "3", "4+"),
        ("wrist extensors", "4-", "5"),
        ("ankle dorsiflexion", d.pick(("4", "3")), "5"),
        ("deltoids", d.pick(("4", "5")), "5"),
    ]
    case.atrophy = ("present", "als")
    case.ck = ck(d, 250, 800) if d.chance(0.5) else ck_normal(d)
    case.emg = "neurogenic"
    case.alt_dx = [("als", "present")]
    case.extra["exam"] = [
        "Widespread fasciculations.",
        "Brisk reflexes with upgoing plantars.",
        "Tongue fasciculations.",
    ]
    case.plan = [
        "Riluzole",
        "MDT clinic referral",
        "SLT and dietitian review",
        "Respiratory function tests",
    ]
    return case


def fibromyalgia(d: Draw) -> Case:
    """Fibromyalgia: widespread pain and fatigue, normal strength and CK."""
    case = _diff_common(
        d,
        "fibromyalgia",
        age=(25, 65),
        setting=d.pick(("rheumatology", "primary care")),
        months=(12, 60),
        chief="myalgia",
        female_p=0.8,
    )
    case.symptoms = symptoms(
        d,
        {"myalgia": 1.0, "fatigue": 0.9},
        {"proximal_weakness": 0.5, "rash": 0.5, "dysphagia": 0.2},
    )
    case.np_override["myalgia"] = Bank(
        ("widespread muscle pain", "aching all over", "diffuse muscle aches"),
        ("pain everywhere in the muscles",),
    )
    case.strength_normal = True
    case.ck = ck_normal(d)
    case.alt_dx = [("fibro", "present")]
    case.extra["hpi"] = d.sample(
        (
            "Unrefreshing sleep.",
            "Poor concentration.",
            "Pain worse with stress and cold weather.",
            "IBS symptoms.",
        ),
        2,
    )
    case.extra["exam"] = ["[[myalgia|present|Tender at 14 of 18 tender points]]."]
    case.extra["labs"] = ["ESR {esr}", "CRP <5", "TSH {tsh}"]
    case.plan = ["Graded exercise", "Sleep hygiene", "Amitriptyline 10 mg nocte", "CBT referral"]
    return case


def viral_myositis(d: Draw) -> Case:
    """Benign acute childhood myositis after influenza."""
    case = _diff_common(
        d,
        "viral_myositis",
        age=(4, 12),
        setting="pediatric emergency",
        months=(0.03, 0.1),
        chief="myalgia",
    )
    case.pmh = ["Nil"]
    case.meds = []
    case.fhx = []
    case.symptoms = symptoms(d, {"myalgia": 1.0, "fatigue": 0.4}, {"rash": 0.4})
    case.np_override["myalgia"] = Bank(
        ("calf pain", "bilateral calf pain", "pain in both calves"), ("sore calves",)
    )
    case.extra["hpi"] = [
        "Influenza B diagnosed 4 days ago.",
        "Refusing to walk this morning; walking on tiptoes.",
    ]
    case.extra["exam"] = ["[[myalgia|present|Calves tender to palpation]].", "Toe-walking gait."]
    case.strength = [("hip flexors", "5", "5"), ("deltoids", "5", "5")]
    case.ck = ck(d, 1500, 10000)
    case.alt_dx = [("viral", "present")]
    case.plan = ["Oral fluids and paracetamol", "Return to school when walking normally"]
    case.precautions = ["dysphagia"] if d.chance(0.2) else []
    case.repeat_ck = True
    return case


# ---------------------------------------------------------------- unrelated notes
def stroke_dysphagia(d: Draw) -> Case:
    """Unrelated: stroke with dysphagia, dysarthria and one-sided weakness."""
    case = _diff_common(
        d, "stroke_dysphagia", age=(60, 90), setting="stroke", months=(0.05, 0.1), chief="dysphagia"
    )
    side = d.pick(("right", "left"))
    case.symptoms = {
        "dysphagia": "present",
        "dysphonia": "present",
        "generalized_weakness": "present",
    }
    case.np_override["generalized_weakness"] = Bank(
        (f"{side}-sided weakness", f"{side} hemiparesis", f"{side} arm and leg weakness"),
        (f"{side} hemiplegia",),
    )
    case.np_override["dysphonia"] = Bank(("slurred speech", "dysarthria"), ("thick speech",))
    case.np_override["dysphagia"] = Bank(
        ("trouble swallowing", "coughing with thin liquids", "dysphagia"),
        ("choking on sips of water",),
    )
    case.extra["exam"] = [
        d.pick(
            (
                "[[dysphagia|present|Failed bedside swallow screen]].",
                "Bedside swallow: [[dysphagia|present|coughs after sips of water]].",
            )
        )
    ]
    w = d.pick(("3", "4-", "2"))
    right, left = (w, "5") if side == "right" else ("5", w)
    case.strength = [("deltoids", right, left), ("hip flexors", right, left)]
    case.statin = statin(d, "present", "current", ("atorvastatin",))
    case.statin.dose = "80 mg"
    case.ck = ck(d, 250, 900) if d.chance(0.3) else None
    case.extra["hpi"] = [
        f"Found on the floor at home by a neighbour; last known well {d.randint(3, 14)} h earlier.",
        f"CT/CTA: {'left' if side == 'right' else 'right'} MCA territory infarct.",
    ]
    case.extra["imaging"] = ["MRI brain: acute infarct on DWI."]
    case.plan = [
        "SLP assessment; [[dysphagia|present|pureed diet and mildly thick fluids]] for now",
        "Aspirin and clopidogrel",
        "Stroke rehab referral",
    ]
    return case


def drug_rash(d: Draw) -> Case:
    """Unrelated: drug eruption."""
    drug = d.pick(("amoxicillin", "co-trimoxazole", "allopurinol", "lamotrigine", "carbamazepine"))
    case = _diff_common(
        d,
        "drug_rash",
        age=(20, 80),
        setting=d.pick(("dermatology", "emergency", "primary care")),
        months=(0.03, 0.3),
        chief="rash",
    )
    case.symptoms = symptoms(
        d,
        {"rash": 1.0, "fatigue": 0.3, "myalgia": 0.15},
        {"dysphagia": 0.5, "proximal_weakness": 0.3},
    )
    case.np_override["rash"] = Bank(
        (
            "a widespread itchy rash",
            "a morbilliform rash on the trunk",
            "a red, blotchy rash",
            "maculopapular rash",
            "a drug eruption",
        ),
        ("an itchy red eruption",),
    )
    case.rash_exam = "drug"
    case.ck = ck_normal(d) if d.chance(0.3) else None
    case.extra["hpi"] = [f"Started {drug} {{days}} days ago.", "Low-grade fever."]
    case.extra["labs"] = ["Eosinophils {eos}", "ALT {alt_n}"]
    case.plan = [
        f"Stop {drug}; add to allergy list",
        "Topical steroid and antihistamine",
        "Review in 48 h",
    ]
    case.precautions = ["dysphagia"] if d.chance(0.5) else []
    case.extra["precautions"] = ["blistering, mouth ulcers or eye pain"]
    return case


def mi_ck(d: Draw) -> Case:
    """Unrelated: myocardial infarction with CK and CK-MB."""
    case = _diff_common(
        d,
        "mi_ck",
        age=(45, 85),
        setting=d.pick(("cardiology", "emergency")),
        months=(0.01, 0.05),
        chief="chest pain",
    )
    case.symptoms = symptoms(
        d,
        {"fatigue": 0.3},
        {"generalized_weakness": 0.4, "rash": 0.3, "myalgia": 0.3, "dysphagia": 0.2},
    )
    lo, uln = ref_range(d)
    peak = lognormal(d, 400, 4000)
    case.ck = CkCourse([int(round(peak * 0.5, -1)), peak], lo, uln)
    case.statin = statin(d, "present", "current", ("atorvastatin",))
    case.statin.dose = "80 mg"
    case.extra["hpi"] = [
        "Central crushing chest pain radiating to the left arm for 2 hours, with "
        "sweating and nausea."
    ]
    case.extra["labs"] = [
        "CK-MB {ckmb} ng/mL",
        "Troponin I {tropi} ng/L",
        "Creatinine 1.{cr} mg/dL",
    ]
    case.extra["imaging"] = [
        "ECG: ST elevation in II, III, aVF.",
        "Echo: inferior hypokinesis, LVEF 45%.",
    ]
    case.plan = [
        "Primary PCI to RCA",
        "DAPT with aspirin and ticagrelor",
        "High-intensity [[statin_exposure|present|statin]]",
        "Cardiac rehab",
    ]
    return case


def knee_pain_ros(d: Draw) -> Case:
    """Unrelated: knee osteoarthritis with a templated negative review of systems."""
    case = _diff_common(
        d, "knee_pain_ros", age=(45, 80), setting="orthopaedics", months=(3, 12), chief="knee pain"
    )
    case.symptoms = {
        "generalized_weakness": "absent",
        "myalgia": "absent",
        "rash": "absent",
        "dysphagia": "absent",
        "fatigue": "absent",
        "dysphonia": "absent",
    }
    if d.chance(0.3):
        case.symptoms.pop(d.pick(("fatigue", "dysphonia", "myalgia")))
    case.statin = statin(d, "present", "current") if d.chance(0.7) else None
    case.strength_normal = True
    case.rash_exam = "absent_simple"
    case.extra["hpi"] = [
        "{Dur} of {side} medial knee pain, worse going downstairs.",
        "No locking or giving way.",
        "Morning stiffness under 15 minutes.",
    ]
    case.extra["exam"] = ["{Side} knee: small effusion, medial joint line tenderness, crepitus."]
    case.extra["imaging"] = ["X-ray {side} knee: medial joint space narrowing, osteophytes."]
    case.plan = [
        "Physiotherapy for quadriceps strengthening",
        "Topical diclofenac",
        "Consider intra-articular steroid injection if no better in 3 months",
    ]
    return case


def family_history_visit(d: Draw) -> Case:
    """Unrelated: a well patient worried about relatives' muscle disease."""
    case = _diff_common(
        d,
        "family_history_visit",
        age=(18, 50),
        setting="primary care",
        months=(0.5, 1),
        chief="worry",
    )
    items = [
        d.pick(
            (
                FamilyItem("Mother", "lgmd"),
                FamilyItem("Father", "mg"),
                FamilyItem("Sister", "imnm"),
                FamilyItem("Mother", "dm"),
                FamilyItem("Uncle", "als"),
            )
        )
    ]
    if d.chance(0.6):
        items.append(
            FamilyItem(
                d.pick(("Her brother", "His brother", "A cousin")),
                "ck",
                value=d.randint(2, 12) * 1000,
            )
        )
    if d.chance(0.5):
        items.append(FamilyItem(d.pick(("Maternal grandfather", "Paternal aunt")), "weakness"))
    case.fhx = items + plain_fhx(d)[:1]
    case.symptoms = symptoms(
        d,
        {},
        {"proximal_weakness": 0.8, "myalgia": 0.6, "dysphagia": 0.5, "rash": 0.5, "fatigue": 0.3},
    )
    case.strength_normal = True
    case.functional = "absent" if d.chance(0.5) else None
    case.atrophy = ("absent", "") if d.chance(0.5) else None
    case.ck = ck_normal(d) if d.chance(0.7) else None
    case.precautions = d.sample(("dysphagia", "proximal_weakness", "generalized_weakness"), 2)
    case.extra["hpi"] = ["Feels well.", "Asks whether {subj} should be tested."]
    case.plan = [
        "Clinical genetics referral for counselling",
        "No further testing needed at present",
    ]
    return case


def cardiology_resolved(d: Draw) -> Case:
    """Unrelated: cardiology follow-up with resolved rash / statin myalgia."""
    case = _diff_common(
        d,
        "cardiology_resolved",
        age=(55, 85),
        setting="cardiology",
        months=(6, 6),
        chief="follow-up",
    )
    case.symptoms = symptoms(
        d, {}, {"myalgia": 0.6, "generalized_weakness": 0.6, "rash": 0.5, "dysphagia": 0.4}
    )
    case.statin = statin(d, "present", "current", ("rosuvastatin", "atorvastatin", "Crestor"))
    year = d.randint(2012, 2021)
    case.past = d.sample(
        (
            ("rash_drug", str(year), d.pick(("amoxicillin", "co-trimoxazole", "cefalexin"))),
            ("statin_myalgia", str(year - 1), d.pick(("simvastatin", "pravastatin"))),
            ("ck_old", str(year + 1), str(d.randint(4, 30) * 100)),
        ),
        d.randint(1, 3),
    )
    case.pmh = ["NSTEMI, DES to LAD", "CKD stage 3 (baseline creatinine 1.3-1.5)"] + pmh(d, 1)
    case.extra["labs"] = [
        "Creatinine 1.{cr} mg/dL, eGFR 51",
        "CK-MB 2.1 ng/mL, troponin I <0.01",
        "LDL 1.4 mmol/L",
    ]
    case.extra["imaging"] = ["Echo: LVEF 52%, mild anterior hypokinesis."]
    case.plan = [
        "Continue DAPT until March, then aspirin alone",
        "Continue the [[statin_exposure|present|statin]] and ezetimibe",
        "Renal function every 6 months",
    ]
    case.strength_normal = d.chance(0.3)
    return case


def understate_diagnosis(d: Draw, case: Case) -> None:
    """Make a differential note stop short of its diagnosis.

    The affirmed mimic diagnosis becomes a suspicion ("possible") or is left out,
    together with any statement that IMNM is excluded; the findings stay.
    """
    keep_possible = d.chance(0.6)
    case.alt_dx = (
        [(key, "possible") for key, status in case.alt_dx if status == "present"]
        if (keep_possible)
        else [(key, status) for key, status in case.alt_dx if status != "present"]
    )
    if case.imnm_dx and case.imnm_dx[0] == "absent":
        case.imnm_dx = None
