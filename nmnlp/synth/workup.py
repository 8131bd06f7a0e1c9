"""EMG, MRI and muscle-biopsy reports, and named diagnoses (IMNM and its mimics)."""

from __future__ import annotations

from .draw import Bank, Draw
from .model import Piece, Tag
from .render import Pieces, find, plain

__all__ = [
    "ALT_DX",
    "IMNM_DX",
    "biopsy_report",
    "dx_phrase",
    "dx_sentence",
    "emg_report",
    "mri_report",
]

_MUSCLES = Bank(
    (
        "iliopsoas and deltoid",
        "proximal muscles",
        "vastus lateralis and deltoid",
        "iliopsoas, vastus lateralis and biceps",
        "proximal arm and leg muscles",
    ),
    ("glutei and paraspinals",),
)


def emg_report(d: Draw, kind: str) -> Pieces:
    """An EMG result of ``kind``.

    Kinds: ``irritable`` / ``myopathic`` / ``ibm`` (present), ``normal`` / ``neurogenic`` /
    ``nmj`` (absent), ``pending`` (hypothetical).
    """
    muscles = d.pick(_MUSCLES)
    if kind == "irritable":
        span = d.pick(
            Bank(
                (
                    "myopathic units with fibrillation potentials and positive sharp waves",
                    "irritable myopathy",
                    "short-duration, low-amplitude polyphasic MUAPs with early recruitment and "
                    "abundant fibrillations",
                    "myopathic with membrane irritability",
                    "myopathic pattern with fibs and PSWs",
                    "active myopathic process with spontaneous activity",
                ),
                (
                    "small, short MUAPs with early recruitment and fibrillations",
                    "florid irritable myopathy",
                ),
            )
        )
        tail = d.pick((f" in the {muscles}.", f" in {muscles}.", ".", f" ({muscles})."))
        return [find(span, "emg_myopathic", "present"), plain(tail)]
    if kind == "myopathic":
        span = d.pick(
            (
                "myopathic units without spontaneous activity",
                "short-duration low-amplitude MUAPs, no fibrillations",
                "mild myopathic changes",
            )
        )
        return [find(span, "emg_myopathic", "present"), plain(f" in the {muscles}.")]
    if kind == "ibm":
        return [
            find(
                d.pick(
                    (
                        "mixed short and long duration MUAPs with fibrillations",
                        "myopathic units with fibrillations and some long-duration units",
                    )
                ),
                "emg_myopathic",
                "present",
            ),
            plain(" in the forearm flexors and quadriceps."),
        ]
    if kind == "normal":
        span = d.pick(
            (
                "normal study",
                "no myopathic units",
                "no evidence of myopathy",
                "no spontaneous activity and normal MUAPs",
            )
        )
        return [find(span, "emg_myopathic", "absent"), plain(".")]
    if kind == "neurogenic":
        lead = d.pick(
            (
                "Widespread active and chronic denervation in 3 regions with large, "
                "long-duration MUAPs and fasciculations; ",
                "Chronic neurogenic changes in cervical, thoracic and lumbosacral segments; ",
            )
        )
        return [
            plain(lead),
            find(
                d.pick(("no myopathic units", "no myopathic features")), "emg_myopathic", "absent"
            ),
            plain("."),
        ]
    if kind == "nmj":
        lead = d.pick(
            (
                "RNS: 18% decrement at 3 Hz in the facial nerve. Needle EMG: ",
                "Low CMAP amplitudes with 160% increment after 10 s exercise. Needle exam: ",
                "SFEMG: increased jitter. Needle EMG: ",
            )
        )
        return [
            plain(lead),
            find(
                d.pick(("no myopathic units", "normal MUAPs, no myopathic changes")),
                "emg_myopathic",
                "absent",
            ),
            plain("."),
        ]
    # pending
    return [
        find(
            d.pick(("EMG/NCS", "EMG", "Nerve conduction and EMG")), "emg_myopathic", "hypothetical"
        ),
        plain(d.pick((" booked for next week.", " requested.", " pending.", " to be arranged."))),
    ]


def mri_report(d: Draw, kind: str) -> Pieces:
    """A thigh MRI of ``kind``: ``edema``, ``edema_fat``, ``fascial`` (present), ``fat_only``,
    ``normal`` (absent), ``pending`` (hypothetical)."""
    if kind in {"edema", "edema_fat", "fascial"}:
        span = d.pick(
            Bank(
                (
                    "diffuse symmetric oedema on STIR in the thigh muscles",
                    "bilateral symmetric STIR hyperintensity in the quadriceps and adductors",
                    "muscle edema in the anterior and posterior compartments",
                    "patchy intramuscular edema",
                    "T2/STIR signal increase in the gluteal and thigh muscles",
                    "symmetric muscle oedema of the thighs",
                ),
                (
                    "widespread intramuscular STIR signal",
                    "edema throughout the hamstrings and adductors",
                ),
            )
        )
        tail = {
            "edema": ".",
            "edema_fat": ", with early fatty replacement of the adductors.",
            "fascial": ", with fascial enhancement.",
        }[kind]
        return [find(span, "mri_muscle_edema", "present"), plain(tail)]
    if kind == "fat_only":
        return [
            plain(
                d.pick(
                    (
                        "Extensive fatty replacement of the posterior thigh muscles; ",
                        "Chronic fatty infiltration of the medial gastrocnemius and adductors; ",
                    )
                )
            ),
            find(d.pick(("no muscle edema", "no oedema on STIR")), "mri_muscle_edema", "absent"),
            plain("."),
        ]
    if kind == "normal":
        return [
            find(
                d.pick(
                    (
                        "no muscle edema",
                        "no intramuscular STIR signal abnormality",
                        "no myositis on MRI",
                    )
                ),
                "mri_muscle_edema",
                "absent",
            ),
            plain("."),
        ]
    return [
        find(
            d.pick(("MRI thighs", "MRI of both thighs", "STIR MRI thighs")),
            "mri_muscle_edema",
            "hypothetical",
        ),
        plain(d.pick((" requested.", " booked.", " pending."))),
    ]


_NECROTIC = Bank(
    (
        "scattered necrotic and regenerating fibers",
        "numerous necrotic fibres at different stages",
        "necrotic and regenerating fibres",
        "myofiber necrosis and regeneration",
        "prominent myonecrosis",
        "many necrotic fibers",
        "necrotizing myopathy",
    ),
    ("necrotic myofibres undergoing myophagocytosis", "abundant fibre necrosis"),
)


def biopsy_report(d: Draw, kind: str) -> Pieces:
    """A muscle-biopsy result of ``kind``.

    Kinds: ``necrotizing`` and ``dystrophy`` (necrosis present), ``dm`` / ``ibm`` / ``pm`` /
    ``type2`` / ``neurogenic`` (necrosis absent or only occasional), ``pending`` (hypothetical).
    """
    if kind == "necrotizing":
        tags = (Tag("biopsy_necrosis", "present"),)
        span = d.pick(_NECROTIC)
        if span == "necrotizing myopathy":
            tags += (Tag("imnm_diagnosis", "present"),)
        out: Pieces = [Piece(span, tags)]
        if d.chance(0.3):
            out += [
                plain(" with minimal inflammation; "),
                find("myophagocytosis", "biopsy_necrosis", "present"),
                plain("; faint sarcolemmal MHC-I; no rimmed vacuoles, no perifascicular atrophy."),
            ]
            return out
        out.append(
            plain(
                d.pick(
                    (
                        ", sparse perivascular macrophages only; MAC deposition on the "
                        "sarcolemma of non-necrotic fibers.",
                        " with little or no lymphocytic inflammation. MHC-I: patchy, faint.",
                        ", pauci-immune. No rimmed vacuoles.",
                        "; inflammation is sparse and mostly macrophages.",
                    )
                )
            )
        )
        return out
    if kind == "dystrophy":
        return [
            plain("Dystrophic changes with increased fibre size variation, "),
            find(
                d.pick(("necrotic and regenerating fibres", "scattered necrotic fibers")),
                "biopsy_necrosis",
                "present",
            ),
            plain(
                d.pick(
                    (
                        ", patchy inflammation and absent dysferlin staining on "
                        "immunohistochemistry.",
                        " and endomysial fibrosis; dysferlin markedly reduced on western blot.",
                    )
                )
            ),
        ]
    if kind == "dm":
        out = [
            plain(
                d.pick(
                    (
                        "Perifascicular atrophy with perivascular and perimysial inflammation; "
                        "MxA staining in perifascicular fibers; ",
                        "Perifascicular atrophy, capillary dropout and MAC on capillaries; ",
                    )
                )
            )
        ]
        if d.chance(0.4):
            out += [
                find(
                    d.pick(("scattered necrotic fibers are few", "occasional necrotic fibre")),
                    "biopsy_necrosis",
                    "present",
                ),
                plain("."),
            ]
        else:
            out += [
                find(
                    d.pick(("no significant necrosis", "no necrotic fibres")),
                    "biopsy_necrosis",
                    "absent",
                ),
                plain("."),
            ]
        return out
    if kind == "ibm":
        out = [
            plain(
                "Endomysial inflammation with invasion of non-necrotic fibers, rimmed vacuoles, "
                "p62-positive inclusions and COX-negative fibres. "
            )
        ]
        if d.chance(0.5):
            out += [find("Occasional necrotic fiber", "biopsy_necrosis", "present"), plain(".")]
        return out
    if kind == "pm":
        return [
            plain(
                "Endomysial CD8+ T cells surrounding and invading non-necrotic, MHC-I positive "
                "fibres; "
            ),
            find(d.pick(("no necrotic fibres", "necrosis absent")), "biopsy_necrosis", "absent"),
            plain(d.pick(("; no rimmed vacuoles.", "; no perifascicular atrophy."))),
        ]
    if kind == "type2":
        return [
            plain("Type 2 fibre atrophy; "),
            find(d.pick(("no necrosis", "no necrotic fibers")), "biopsy_necrosis", "absent"),
            plain(", no inflammation."),
        ]
    if kind == "neurogenic":
        return [
            plain("Grouped atrophy and fibre-type grouping consistent with denervation; "),
            find("no necrotic fibers", "biopsy_necrosis", "absent"),
            plain("."),
        ]
    return [
        find(
            d.pick(("Muscle biopsy", "Muscle bx", "Quadriceps biopsy", "Deltoid biopsy")),
            "biopsy_necrosis",
            "hypothetical",
        ),
        plain(d.pick((" booked.", " pending.", " - results to follow.", " scheduled Monday."))),
    ]


# Diagnosis phrases: (text, concepts the phrase also asserts when affirmed).
IMNM_DX: dict[str, Bank[tuple[str, tuple[str, ...]]]] = {
    "hmgcr_statin": Bank(
        (
            ("anti-HMGCR immune-mediated necrotizing myopathy", ("hmgcr_antibody",)),
            (
                "statin-associated anti-HMGCR necrotizing myopathy",
                ("hmgcr_antibody", "statin_exposure"),
            ),
            ("statin-induced necrotizing autoimmune myopathy", ("statin_exposure",)),
            ("HMGCR+ IMNM", ("hmgcr_antibody",)),
            ("immune-mediated necrotizing myopathy", ()),
            ("anti-HMGCR myopathy", ("hmgcr_antibody",)),
            ("IMNM", ()),
        ),
        (("SANAM", ("statin_exposure",)), ("statin-associated IMNM", ("statin_exposure",))),
    ),
    "hmgcr": Bank(
        (
            ("anti-HMGCR immune-mediated necrotizing myopathy", ("hmgcr_antibody",)),
            ("HMGCR+ necrotizing myopathy", ("hmgcr_antibody",)),
            ("immune-mediated necrotizing myopathy", ()),
            ("anti-HMGCR myopathy", ("hmgcr_antibody",)),
            ("IMNM", ()),
        ),
        (("necrotizing autoimmune myopathy", ()), ("HMGCR NAM", ("hmgcr_antibody",))),
    ),
    "srp": Bank(
        (
            ("anti-SRP immune-mediated necrotizing myopathy", ("srp_antibody",)),
            ("anti-SRP necrotizing myopathy", ("srp_antibody",)),
            ("SRP myopathy", ("srp_antibody",)),
            ("immune-mediated necrotizing myopathy", ()),
            ("IMNM", ()),
        ),
        (("SRP+ NAM", ("srp_antibody",)), ("necrotizing autoimmune myopathy", ())),
    ),
    "seroneg": Bank(
        (
            ("seronegative immune-mediated necrotizing myopathy", ()),
            ("seronegative IMNM", ()),
            ("antibody-negative IMNM", ()),
            ("immune-mediated necrotizing myopathy", ()),
        ),
        (("autoantibody-negative necrotizing myopathy", ()), ("seronegative NAM", ())),
    ),
    "generic": Bank(
        (
            ("immune-mediated necrotizing myopathy", ()),
            ("IMNM", ()),
            ("necrotizing autoimmune myopathy", ()),
            ("NAM", ()),
            ("autoimmune necrotizing myopathy", ()),
        ),
        (("necrotizing myositis", ()), ("immune necrotizing myopathy", ())),
    ),
}

ALT_DX: dict[str, Bank[tuple[str, tuple[str, ...]]]] = {
    "dm": Bank(
        (("dermatomyositis", ()), ("classic dermatomyositis", ()), ("DM", ())),
        (("adult dermatomyositis", ()),),
    ),
    "asyn": Bank(
        (("antisynthetase syndrome", ()), ("anti-synthetase syndrome", ())), (("ASyS", ()),)
    ),
    "ibm": Bank(
        (("inclusion body myositis", ()), ("sporadic IBM", ()), ("IBM", ()), ("sIBM", ())),
        (("inclusion-body myositis", ()),),
    ),
    "pm": Bank((("polymyositis", ()), ("PM", ())), (("polymyositis (PM)", ()),)),
    "sams": Bank(
        (
            ("statin myalgia", ("statin_exposure", "myalgia")),
            ("statin-associated muscle symptoms", ("statin_exposure",)),
            ("SAMS", ()),
        ),
        (("statin intolerance (myalgia)", ("statin_exposure", "myalgia")),),
    ),
    "toxic_statin": Bank(
        (
            ("statin-induced rhabdomyolysis", ("statin_exposure", "ck_elevated")),
            ("toxic statin myopathy", ("statin_exposure",)),
            ("toxic myopathy", ()),
        ),
        (("drug-interaction rhabdomyolysis", ("ck_elevated",)),),
    ),
    "rhabdo": Bank(
        (
            ("exertional rhabdomyolysis", ("ck_elevated",)),
            ("rhabdomyolysis", ("ck_elevated",)),
            ("rhabdo", ("ck_elevated",)),
        ),
        (("exercise-induced rhabdomyolysis", ("ck_elevated",)),),
    ),
    "hypothyroid": Bank(
        (
            ("hypothyroid myopathy", ()),
            ("Hoffmann syndrome", ()),
            ("myopathy secondary to hypothyroidism", ()),
        ),
        (("hypothyroid-related myopathy", ()),),
    ),
    "steroid": Bank(
        (
            ("steroid myopathy", ()),
            ("glucocorticoid-induced myopathy", ()),
            ("steroid-induced myopathy", ()),
        ),
        (("corticosteroid myopathy", ()),),
    ),
    "mg": Bank(
        (("myasthenia gravis", ()), ("generalized myasthenia gravis", ()), ("MG", ())),
        (("seropositive myasthenia", ()),),
    ),
    "lems": Bank(
        (("Lambert-Eaton myasthenic syndrome", ()), ("LEMS", ()), ("Lambert-Eaton syndrome", ())),
        (("paraneoplastic LEMS", ()),),
    ),
    "pmr": Bank((("polymyalgia rheumatica", ()), ("PMR", ())), (("polymyalgia", ()),)),
    "lgmd": Bank(
        (
            ("dysferlinopathy", ()),
            ("limb-girdle muscular dystrophy", ()),
            ("LGMD R2 (dysferlin)", ()),
            ("muscular dystrophy", ()),
        ),
        (("LGMD2B", ()), ("Miyoshi/LGMD spectrum dysferlinopathy", ())),
    ),
    "als": Bank(
        (("ALS", ()), ("amyotrophic lateral sclerosis", ()), ("motor neuron disease", ())),
        (("MND", ()),),
    ),
    "fibro": Bank((("fibromyalgia", ()),), (("fibromyalgia syndrome", ()),)),
    "viral": Bank(
        (
            ("benign acute childhood myositis", ()),
            ("viral myositis", ()),
            ("post-influenza myositis", ()),
        ),
        (("acute viral myositis", ()),),
    ),
    "toxic": Bank(
        (("toxic myopathy", ()), ("toxic statin myopathy", ())), (("drug-induced myopathy", ()),)
    ),
}

_DX_FRAMES: dict[str, Bank[str]] = {
    "present": Bank(
        (
            "{X}.",
            "Consistent with {X}.",
            "Diagnosis: {X}.",
            "{X}, confirmed.",
            "Findings c/w {X}.",
            "Impression is {X}.",
        ),
        ("Picture fits {X}.", "This is {X}."),
    ),
    "possible": Bank(
        (
            "Concern for {X}.",
            "Suspect {X}.",
            "Possible {X}.",
            "R/o {X}.",
            "? {X}.",
            "{X} is the leading consideration.",
        ),
        ("Working diagnosis: probable {X}.", "{X} cannot be excluded."),
    ),
    "differential": Bank(
        (
            "Ddx includes {X}.",
            "Also consider {X}.",
            "R/o {X}.",
            "Possible {X}.",
            "{X} to be excluded.",
            "? {X}.",
        ),
        ("{X} remains on the differential.", "Cannot exclude {X}."),
    ),
    "absent": Bank(
        ("Not {X}.", "No evidence of {X}.", "{X} excluded.", "{X} ruled out."),
        ("Does not fit {X}.",),
    ),
}


def dx_phrase(d: Draw, bank: Bank[tuple[str, tuple[str, ...]]], concept: str, status: str) -> Piece:
    """A named diagnosis span; implied concepts are added only when it is affirmed."""
    text, implies = d.pick(bank)
    tags = (Tag(concept, status),)
    if status == "present":
        tags += tuple(Tag(c, "present") for c in implies)
    return Piece(text, tags)


def dx_sentence(
    d: Draw, bank: Bank[tuple[str, tuple[str, ...]]], concept: str, status: str
) -> Pieces:
    """One sentence naming a diagnosis with ``status``."""
    frames = (
        _DX_FRAMES["differential"]
        if status == "possible" and concept == "alternative_diagnosis"
        else _DX_FRAMES[status]
    )
    before, _, after = d.pick(frames).partition("{X}")
    piece = dx_phrase(d, bank, concept, status)
    out: Pieces = [plain(before), piece, plain(after)]
    if not before and piece.text[0].islower():
        out[1] = Piece(piece.text[0].upper() + piece.text[1:], piece.tags)
    return out
