"""Motor examination: MRC grades per muscle, functional signs and muscle bulk."""

from __future__ import annotations

from collections.abc import Sequence

from .draw import Bank, Draw
from .model import Piece, Tag
from .render import Pieces, find, plain

__all__ = ["SITES", "atrophy_exam", "functional_exam", "strength_exam", "strength_normal"]

# site key -> (concept, full names, terse names)
SITES: dict[str, tuple[str, Bank[str], Bank[str]]] = {
    "hip flexors": (
        "proximal_weakness",
        Bank(("hip flexors", "hip flexion", "iliopsoas"), ("hip flexor muscles",)),
        Bank(("HF", "hip flex", "HF"), ("IP",)),
    ),
    "deltoids": (
        "proximal_weakness",
        Bank(("deltoids", "shoulder abduction", "deltoid"), ("shoulder abductors",)),
        Bank(("delts", "SA", "deltoids"), ("sh abd",)),
    ),
    "neck flexors": (
        "proximal_weakness",
        Bank(("neck flexors", "neck flexion"), ("cervical flexors",)),
        Bank(("neck flex", "NF"), ("neck flexion",)),
    ),
    "quadriceps": (
        "proximal_weakness",
        Bank(("quadriceps", "knee extension", "quads"), ("knee extensors",)),
        Bank(("quads", "KE"), ("knee ext",)),
    ),
    "hip extensors": (
        "proximal_weakness",
        Bank(("hip extensors", "hip extension", "glutei"), ("gluteus maximus",)),
        Bank(("hip ext", "glutes"), ("HE",)),
    ),
    "biceps": (
        "proximal_weakness",
        Bank(("biceps", "elbow flexion"), ("elbow flexors",)),
        Bank(("bicep", "biceps"), ("EF",)),
    ),
    "triceps": (
        "proximal_weakness",
        Bank(("triceps", "elbow extension"), ("elbow extensors",)),
        Bank(("tricep", "triceps"), ("EE",)),
    ),
    "hip abductors": (
        "proximal_weakness",
        Bank(("hip abductors", "hip abduction"), ("gluteus medius",)),
        Bank(("hip abd",), ("HA",)),
    ),
    "hamstrings": (
        "proximal_weakness",
        Bank(("hamstrings", "knee flexion"), ("knee flexors",)),
        Bank(("hams", "KF"), ("hamstrings",)),
    ),
    "finger flexors": (
        "distal_weakness",
        Bank(("finger flexors", "FDP", "long finger flexors"), ("deep finger flexors",)),
        Bank(("FF", "FDP"), ("finger flex",)),
    ),
    "grip": (
        "distal_weakness",
        Bank(("grip", "hand grip"), ("grip strength",)),
        Bank(("grip",), ("grip",)),
    ),
    "wrist extensors": (
        "distal_weakness",
        Bank(("wrist extensors", "wrist extension"), ("wrist ext",)),
        Bank(("WE", "wrist ext"), ("wrist extensors",)),
    ),
    "ankle dorsiflexion": (
        "distal_weakness",
        Bank(("ankle dorsiflexion", "tibialis anterior", "dorsiflexion"), ("foot dorsiflexion",)),
        Bank(("TA", "ADF", "DF"), ("ankle DF",)),
    ),
    "plantarflexion": (
        "distal_weakness",
        Bank(("plantarflexion", "ankle plantar flexion"), ("plantar flexion",)),
        Bank(("PF",), ("plantarflex",)),
    ),
}

_SIDE = Bank(
    (" bilaterally", " bilaterally", " bilat", " b/l", "", "", " symmetric"), (" on both sides",)
)


def _grade(d: Draw, g: str) -> str:
    return f"{g}/5" if d.chance(0.8) else g


def _site_name(d: Draw, site: str) -> str:
    _, full, terse = SITES[site]
    return d.pick(terse if d.terse and d.chance(0.7) else full)


def _site_span(d: Draw, site: str, right: str, left: str, layout: str) -> str:
    name = _site_name(d, site)
    if right != left:
        if layout == "grade_first":
            return f"{_grade(d, right)} R / {_grade(d, left)} L {name}"
        return f"{name} {_grade(d, right)} R, {_grade(d, left)} L"
    if layout == "grade_first":
        return f"{_grade(d, right)} {name}"
    sep = d.pick((" ", ": ", " "))
    return f"{name}{sep}{_grade(d, right)}{d.pick(_SIDE)}"


def _status(right: str, left: str) -> str:
    return "absent" if right == "5" and left == "5" else "present"


def strength_exam(d: Draw, strength: Sequence[tuple[str, str, str]]) -> Pieces:
    """MRC grades for each ``(site, right grade, left grade)``; each site is one span.

    A site graded 5 on both sides is an ``absent`` mention of its concept.
    """
    layout = d.weighted({"list": 0.55, "grade_first": 0.2, "table": 0.15, "lines": 0.1})
    lead = d.pick(
        Bank(
            ("Strength: ", "Power: ", "Motor: ", "MRC: ", "Strength "),
            ("Motor strength: ", "Manual muscle testing: "),
        )
    )
    out: Pieces = []
    if layout == "table":
        pipe = d.chance(0.5)
        out.append(plain("\n" + d.pick(("Strength (MRC)", "Motor", "MMT")) + "\n"))
        out.append(plain("Muscle | R | L\n" if pipe else "Muscle        R    L\n"))
        for site, right, left in strength:
            name = d.pick(SITES[site][1])
            name = name[0].upper() + name[1:]
            row = (
                f"{name} | {right} | {left}"
                if pipe
                else f"{name.ljust(max(14, len(name) + 2))}{right:<5}{left}"
            )
            out.append(find(row, SITES[site][0], _status(right, left)))
            out.append(plain("\n"))
        out.pop()
        return out
    out.append(plain(lead))
    sep = "\n" if layout == "lines" else d.pick((", ", "; ", ", "))
    for i, (site, right, left) in enumerate(strength):
        if i:
            out.append(plain(sep))
        span = _site_span(
            d, site, right, left, "grade_first" if layout == "grade_first" else "list"
        )
        if layout == "lines" or i == 0:
            span = span[0].upper() + span[1:] if layout == "lines" else span
        out.append(find(span, SITES[site][0], _status(right, left)))
    out.append(plain("."))
    return out


def strength_regional(d: Draw, proximal: str, distal: str) -> Pieces:
    """``Strength 4/5 proximally, 5/5 distally``: one span per region."""

    def status(g: str) -> str:
        return "absent" if g == "5" else "present"

    lead = d.pick(("Strength ", "Power ", "Strength: ", "Motor: "))
    return [
        plain(lead),
        find(f"{_grade(d, proximal)} proximally", "proximal_weakness", status(proximal)),
        plain(d.pick((", ", " and ", "; "))),
        find(f"{_grade(d, distal)} distally", "distal_weakness", status(distal)),
        plain("."),
    ]


def strength_normal(d: Draw) -> Pieces:
    """Full strength everywhere: one span denying proximal, distal and unspecified weakness."""
    text = d.pick(
        Bank(
            (
                "Strength 5/5 throughout",
                "Full strength in all four limbs",
                "Power 5/5 globally",
                "Strength 5/5 in all muscle groups",
                "Normal strength throughout",
                "5/5 strength throughout",
            ),
            ("MRC 5 in all groups tested", "Motor: full power x4 limbs"),
        )
    )
    tags = tuple(
        Tag(c, "absent") for c in ("proximal_weakness", "distal_weakness", "generalized_weakness")
    )
    tail = d.pick((".", ".", ", including hip flexors and deltoids."))
    return [Piece(text, tags), plain(tail)]


def functional_exam(d: Draw, status: str) -> Pieces:
    """Gowers sign, waddling gait, rising from a chair (present) or normal function (absent)."""
    if status == "present":
        text = d.pick(
            Bank(
                (
                    "Gowers sign positive",
                    "positive Gowers sign",
                    "waddling gait",
                    "unable to rise from a chair without using {pos} arms",
                    "cannot rise from a squat",
                    "needs arms to stand from the chair",
                    "Gowers +",
                ),
                ("Trendelenburg gait bilaterally", "unable to step onto a stool"),
            )
        )
    else:
        text = d.pick(
            Bank(
                (
                    "rises from a squat without using hands",
                    "able to rise from a chair with arms crossed",
                    "Gowers negative",
                    "stands from a chair without using arms",
                ),
                ("gets up from the floor unaided",),
            )
        )
    text = d.fmt(text)
    text = text[0].upper() + text[1:]
    return [find(text, "proximal_weakness", status), plain(".")]


def atrophy_exam(d: Draw, status: str, kind: str = "proximal") -> Pieces:
    """Muscle bulk: wasting by pattern (``proximal``, ``ibm``, ``als``, ``scapular``) or normal."""
    if status == "absent":
        text = d.pick(
            Bank(
                ("No muscle wasting", "Normal muscle bulk", "No atrophy", "Bulk normal"),
                ("No visible wasting",),
            )
        )
        return [find(text, "muscle_atrophy", "absent"), plain(".")]
    banks = {
        "proximal": Bank(
            (
                "mild proximal muscle atrophy",
                "wasting of the thighs",
                "decreased bulk of the quadriceps and deltoids",
                "proximal muscle wasting",
            ),
            ("thin thighs with loss of muscle bulk",),
        ),
        "ibm": Bank(
            (
                "marked wasting of the quadriceps and forearm flexors",
                "quadriceps atrophy, left more than right",
                "forearm flexor wasting",
            ),
            ("scooped-out medial forearms",),
        ),
        "als": Bank(
            (
                "tongue atrophy",
                "wasting of the first dorsal interosseous",
                "thenar wasting",
                "atrophy of the intrinsic hand muscles",
            ),
            ("split-hand wasting",),
        ),
        "scapular": Bank(("scapular winging", "bilateral scapular winging"), ("winged scapulae",)),
        "calf": Bank(("calf atrophy", "wasting of the calves"), ("thin calves",)),
    }
    text = d.pick(banks[kind])
    text = text[0].upper() + text[1:]
    return [find(text, "muscle_atrophy", "present"), plain(".")]
