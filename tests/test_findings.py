"""Tests for nmnlp.findings: MRC grades, muscle sites, normal strength, weakness attributes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmnlp.findings import (
    MrcGrade,
    MuscleSite,
    find_mrc_grades,
    is_normal_strength,
    muscle_sites_from_json,
    parse_mrc_grade,
    parse_strength,
    weakness_attributes,
)

SITE_TABLE = {
    "muscle_sites": [
        {"site": "neck flexors", "region": "proximal", "aliases": ["neck flexor", "neck flexion"]},
        {
            "site": "deltoids",
            "region": "proximal",
            "aliases": ["deltoid", "delt", "shoulder abduction", "shoulder abductors", "SA"],
        },
        {"site": "biceps", "region": "proximal", "aliases": ["bicep", "elbow flexion"]},
        {"site": "triceps", "region": "proximal", "aliases": ["elbow extension"]},
        {
            "site": "hip flexors",
            "region": "proximal",
            "aliases": ["hip flexor", "hip flexion", "iliopsoas", "HF", "HFs"],
        },
        {
            "site": "hip extensors",
            "region": "proximal",
            "aliases": ["hip extensor", "hip extension"],
        },
        {
            "site": "quadriceps",
            "region": "proximal",
            "aliases": ["quads", "quad", "knee extension", "knee extensors"],
        },
        {"site": "hamstrings", "region": "proximal", "aliases": ["hamstring", "knee flexion"]},
        {"site": "grip", "region": "distal", "aliases": ["hand grip", "grip strength"]},
        {
            "site": "finger flexors",
            "region": "distal",
            "aliases": ["finger flexor", "finger flexion"],
        },
        {
            "site": "wrist extensors",
            "region": "distal",
            "aliases": ["wrist extensor", "wrist extension"],
        },
        {
            "site": "ankle dorsiflexion",
            "region": "distal",
            "aliases": ["ankle dorsiflexors", "tibialis anterior", "TA"],
        },
    ]
}


@pytest.fixture(scope="module")
def sites() -> tuple[MuscleSite, ...]:
    return muscle_sites_from_json(SITE_TABLE)


SITES = muscle_sites_from_json(SITE_TABLE)


def _rows(text: str, sites: tuple[MuscleSite, ...]) -> list[tuple[str, str | None, str | None]]:
    """(site, side, grade text) per SiteGrade, checking that offsets point at the site words."""
    found = parse_strength(text, sites)
    return [(g.site, g.side, g.grade.text if g.grade else None) for g in found]


# ----------------------------------------------------------------------------- site table


def test_site_table_reads_sites_and_regions(sites: tuple[MuscleSite, ...]) -> None:
    by_name = {s.site: s for s in sites}
    assert by_name["neck flexors"].region == "proximal"
    assert by_name["ankle dorsiflexion"].region == "distal"
    assert "HF" in by_name["hip flexors"].aliases


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sites": []}, "single key 'muscle_sites'"),
        ({"muscle_sites": {"site": "grip"}}, "must be a list"),
        ({"muscle_sites": ["grip"]}, r"muscle_sites\[0\]: expected an object"),
        (
            {"muscle_sites": [{"site": "grip", "region": "distal", "aliases": [], "hpo": "x"}]},
            r"muscle_sites\[0\] \('grip'\): unknown key\(s\) \['hpo'\]",
        ),
        (
            {"muscle_sites": [{"site": "neck flexors", "region": "axial", "aliases": []}]},
            r"muscle_sites\[0\] \('neck flexors'\): .*region 'axial' is not allowed",
        ),
        (
            {"muscle_sites": [{"site": "grip", "region": "distal"}]},
            r"missing key\(s\) \['aliases'\]",
        ),
        (
            {"muscle_sites": [{"site": "grip", "region": "distal", "aliases": "hand grip"}]},
            "'aliases' must be a list",
        ),
        (
            {
                "muscle_sites": [
                    {"site": "grip", "region": "distal", "aliases": ["HG"]},
                    {"site": "hamstrings", "region": "proximal", "aliases": ["hg"]},
                ]
            },
            "alias 'hg' is listed for both 'grip' and 'hamstrings'",
        ),
    ],
)
def test_site_table_rejects_bad_entries(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        muscle_sites_from_json(data)


def test_muscle_site_rejects_bad_region_directly() -> None:
    with pytest.raises(ValueError, match="use one of: proximal, distal"):
        MuscleSite("neck flexors", "central", ("neck flexion",))


# ----------------------------------------------------------------------------- MRC grades


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("4-/5", 3.67),
        ("4/5", 4.0),
        ("4+/5", 4.33),
        ("4 -/5", 3.67),
        ("4+", 4.33),
        ("4-", 3.67),
        ("5-", 4.67),
        ("3/5", 3.0),
        ("0/5", 0.0),
        ("4.5/5", 4.5),
        ("4-5/5", 4.0),
        ("4 to 5", 4.0),
        ("3/5-4/5", 3.0),
        ("4+ to 5-", 4.33),
        ("4 out of 5", 4.0),
        ("4\u2212/5", 3.67),
        (" 4 ", 4.0),
    ],
)
def test_parse_mrc_grade_values(written: str, value: float) -> None:
    grade = parse_mrc_grade(written)
    assert grade is not None
    assert grade.value == value
    assert written[grade.start : grade.end] == grade.text == written.strip()


@pytest.mark.parametrize(("written", "normal"), [("5/5", True), ("5", True), ("5-/5", False)])
def test_mrc_grade_is_normal(written: str, normal: bool) -> None:
    grade = parse_mrc_grade(written)
    assert grade is not None and grade.is_normal is normal


@pytest.mark.parametrize("written", ["3/5/2021", "L4/5", "5/10", "6/5", "4/4", "45", "", "4/5 hip"])
def test_parse_mrc_grade_rejects_non_grades(written: str) -> None:
    assert parse_mrc_grade(written) is None


@pytest.mark.parametrize(
    ("text", "grades"),
    [
        ("Seen 3/5/2021; L4/5 disc bulge; hip flexors 4-/5.", ["4-/5"]),
        ("Pain 5/10, strength 4 out of 5 in the legs", ["4 out of 5"]),
        ("Reflexes 2+ throughout, 1+ edema", []),
        ("HF 3/5, SA 4/5", ["3/5", "4/5"]),
    ],
)
def test_find_mrc_grades(text: str, grades: list[str]) -> None:
    found = find_mrc_grades(text)
    assert [g.text for g in found] == grades
    assert all(text[g.start : g.end] == g.text for g in found)


# ----------------------------------------------------------------------------- parse_strength


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4-/5 hip flexors", [("hip flexors", None, "4-/5")]),
        ("hip flexors 4-/5", [("hip flexors", None, "4-/5")]),
        ("HF 3/5, SA 4/5", [("hip flexors", None, "3/5"), ("deltoids", None, "4/5")]),
        ("3/5 HF, 4/5 SA", [("hip flexors", None, "3/5"), ("deltoids", None, "4/5")]),
        ("deltoids 4+", [("deltoids", None, "4+")]),
        ("Neck flexion 4/5, neck extension 5/5.", [("neck flexors", None, "4/5")]),
        (
            "Strength: 4/5 in bilateral hip flexors and deltoids, 5/5 distally",
            [("hip flexors", "bilateral", "4/5"), ("deltoids", "bilateral", "4/5")],
        ),
        (
            "hip flexors and quads 4/5 bilaterally",
            [("hip flexors", "bilateral", "4/5"), ("quadriceps", "bilateral", "4/5")],
        ),
        (
            "R deltoid 4/5, L deltoid 5/5",
            [("deltoids", "right", "4/5"), ("deltoids", "left", "5/5")],
        ),
        (
            "iliopsoas 4-/5 (R) 4/5 (L)",
            [("hip flexors", "right", "4-/5"), ("hip flexors", "left", "4/5")],
        ),
        ("Motor: 5/5 throughout except hip flexors 4/5", [("hip flexors", None, "4/5")]),
        ("Hip flexion | 4 | 4", [("hip flexors", "right", "4"), ("hip flexors", "left", "4")]),
        ("Delt 4/4", [("deltoids", "right", "4"), ("deltoids", "left", "4")]),
        (
            "Hip flexion 4/5 on the right and 5/5 on the left",
            [("hip flexors", "right", "4/5"), ("hip flexors", "left", "5/5")],
        ),
        (
            "weakness of the hip flexors (R 3/5, L 4/5)",
            [("hip flexors", "right", "3/5"), ("hip flexors", "left", "4/5")],
        ),
        (
            "Strength 4/5 in hip flexors, hamstrings and quads",
            [
                ("hip flexors", None, "4/5"),
                ("hamstrings", None, "4/5"),
                ("quadriceps", None, "4/5"),
            ],
        ),
        (
            "hip flexors, deltoids, biceps 4-/5",
            [("hip flexors", None, "4-/5"), ("deltoids", None, "4-/5"), ("biceps", None, "4-/5")],
        ),
        (
            "Weak hip flexors, deltoids 4/5",
            [("hip flexors", None, None), ("deltoids", None, "4/5")],
        ),
        ("Hip flexors MRC grade 3 bilaterally", [("hip flexors", "bilateral", "3")]),
        ("MMT: R HF 4-, L HF 4", [("hip flexors", "right", "4-"), ("hip flexors", "left", "4")]),
        (
            "Strength (L/R): hip flexion 4 5, deltoid 5 5",
            [
                ("hip flexors", "left", "4"),
                ("hip flexors", "right", "5"),
                ("deltoids", "left", "5"),
                ("deltoids", "right", "5"),
            ],
        ),
        (
            "Motor: HF 4 4 Delt 5/5",
            [
                ("hip flexors", "right", "4"),
                ("hip flexors", "left", "4"),
                ("deltoids", None, "5/5"),
            ],
        ),
        ("hip flexors 4/5, bilaterally", [("hip flexors", "bilateral", "4/5")]),
        ("L4/5 disc; hip flexors 4-5/5", [("hip flexors", None, "4-5/5")]),
        ("TA 5/5 bilaterally, EHL 4/5", [("ankle dorsiflexion", "bilateral", "5/5")]),
        ("Tibialis anterior 4+/5 on the left", [("ankle dorsiflexion", "left", "4+/5")]),
        (
            "Grip strength reduced, finger flexion 4/5",
            [("grip", None, None), ("finger flexors", None, "4/5")],
        ),
        (
            "Rt HFs 4-/5; lt HFs 4/5",
            [("hip flexors", "right", "4-/5"), ("hip flexors", "left", "4/5")],
        ),
        # a bare digit next to a muscle, in a sentence about strength
        (
            "Strength 4/5 hip flexion; 4 knee flexion; 5 hand grip.",
            [("hip flexors", None, "4/5"), ("hamstrings", None, "4"), ("grip", None, "5")],
        ),
        (
            "Power: 3/5 iliopsoas, 2 biceps",
            [("hip flexors", None, "3/5"), ("biceps", None, "2")],
        ),
        (
            "Power 4 triceps and 5 wrist extensors.",
            [("triceps", None, "4"), ("wrist extensors", None, "5")],
        ),
        # the last row of a pasted table, with the next sentence run on
        (
            "Grip          5    5 Slow-relaxing ankle jerks.",
            [("grip", "right", "5"), ("grip", "left", "5")],
        ),
        (
            "Finger flexors | 5 | 4 Cannot rise from a squat.",
            [("finger flexors", "right", "5"), ("finger flexors", "left", "4")],
        ),
    ],
)
def test_parse_strength(text: str, expected: list, sites: tuple[MuscleSite, ...]) -> None:
    assert _rows(text, sites) == expected


@pytest.mark.parametrize(
    "text",
    [
        "PMH: HF with reduced EF, HTN",  # heart failure
        "EKG: SA node dysfunction",  # sinoatrial
        "TA 3 weeks ago",  # no grade
        "hf 4/5",  # abbreviations only match in capitals
        "CHF 4/5 exacerbations this year",  # not a whole word
    ],
)
def test_abbreviations_need_capitals_and_a_grade(text: str, sites: tuple[MuscleSite, ...]) -> None:
    assert parse_strength(text, sites) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reflexes: biceps 2+, triceps 2+", [("biceps", None, None), ("triceps", None, None)]),
        ("Hip flexor pain since 3/5/2021", [("hip flexors", None, None)]),
        ("Deltoids 4 weeks of pain", [("deltoids", None, None)]),
        ("Strength: deltoids 4 weeks after the fall", [("deltoids", None, None)]),
        ("Grade 2 hamstring strain in 2019", [("hamstrings", None, None)]),
        ("Hipflexors 4/5", []),
        ("Tender over the DELTS bilaterally", [("deltoids", "bilateral", None)]),
    ],
)
def test_parse_strength_ignores_numbers_that_are_not_grades(
    text: str, expected: list, sites: tuple[MuscleSite, ...]
) -> None:
    assert _rows(text, sites) == expected


def test_parse_strength_offsets_point_at_site_words(sites: tuple[MuscleSite, ...]) -> None:
    text = "Strength: R  Hip-Flexors 4-/5, L deltoid 4+/5"
    found = parse_strength(text, sites)
    assert [text[g.start : g.end] for g in found] == ["Hip-Flexors", "deltoid"]
    assert [(g.side, g.grade.value if g.grade else None) for g in found] == [
        ("right", 3.67),
        ("left", 4.33),
    ]
    assert found[0].region == "proximal"


# ----------------------------------------------------------------------------- normal strength


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Strength 5/5 throughout.", True),
        ("5/5 strength in all extremities", True),
        ("Full strength.", True),
        ("Strength full and symmetric", True),
        ("Normal strength", True),
        ("Strength is intact.", True),
        ("Motor: 5/5 x4", True),
        ("Normal bulk and tone, strength 5/5 throughout, no focal weakness", True),
        ("5/5 in bilateral upper and lower extremities", True),
        ("Strength 5/5 proximally and distally", True),
        ("Strength 5/5 throughout, no proximal weakness", True),
        ("Reflexes 2+ and symmetric; strength full", True),
        ("no focal weakness", False),
        ("Motor: 5/5 throughout except hip flexors 4/5", False),
        ("full strength distally but 4/5 proximally", False),
        ("Strength 5/5 distally", False),
        ("5/5 in the upper extremities", False),
        ("Strength 5/5 in deltoids", False),
        ("Strength is not normal", False),
        ("Strength 5/5 throughout, weak grip", False),
        ("Strength 4+/5 throughout", False),
    ],
)
def test_is_normal_strength(text: str, normal: bool) -> None:
    assert is_normal_strength(text) is normal


# ----------------------------------------------------------------------------- weakness attributes


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        (
            "Weak hip flexors and deltoids",
            "Weak",
            {"sites": ("hip flexors", "deltoids"), "region": "proximal", "grade": None},
        ),
        (
            "Symmetric proximal weakness, legs more than arms.",
            "proximal weakness",
            {"region": "proximal", "side": "bilateral", "symmetric": True, "pattern": "legs>arms"},
        ),
        (
            "Proximal > distal weakness",
            "weakness",
            {"region": "proximal_and_distal", "pattern": "proximal>distal", "symmetric": None},
        ),
        (
            "Weakness of the right hip flexors 3/5",
            "Weakness",
            {"sites": ("hip flexors",), "side": "right", "symmetric": False, "grade": "3/5"},
        ),
        ("weakness worse on the right", "weakness", {"symmetric": False}),
        (
            "left > right leg weakness",
            "weakness",
            {"side": "bilateral", "symmetric": False, "region": None},
        ),
        ("Grip weakness", "weakness", {"sites": ("grip",), "region": "distal"}),
        (
            "Proximal weakness 4/5, 5/5 distally",
            "Proximal weakness",
            {"region": "proximal", "grade": "4/5"},
        ),
        ("Weakness in the shoulder girdle and hip girdle", "Weakness", {"region": "proximal"}),
        ("Limb-girdle weakness", "weakness", {"region": "proximal"}),
        ("Weak hip flexors; grip normal", "Weak", {"sites": ("hip flexors",)}),
        (
            "Weak hip flexors, normal grip",
            "Weak",
            {"sites": ("hip flexors",), "region": "proximal"},
        ),
        (
            "proximal weakness with sparing of distal muscles",
            "proximal weakness",
            {"region": "proximal"},
        ),
        ("Weakness of hip flexors and grip", "Weakness", {"region": "proximal_and_distal"}),
        ("Weak grip, hip flexors 5/5", "Weak", {"sites": ("grip",), "region": "distal"}),
        ("weakness due to HF exacerbation", "weakness", {"sites": (), "region": None}),
        ("weakness that left her bedbound", "weakness", {"side": None, "symmetric": None}),
        (
            "weakness of the hip flexors (R 3/5, L 4/5)",
            "weakness",
            {"side": "bilateral", "symmetric": False, "grade": "3/5"},
        ),
        (
            "Atrophy of the quads and hamstrings bilaterally",
            "Atrophy",
            {"sites": ("quadriceps", "hamstrings"), "side": "bilateral", "symmetric": True},
        ),
        (
            "Strength 5/5 throughout except hip flexors 4/5",
            "hip flexors",
            {"sites": ("hip flexors",), "grade": "4/5"},
        ),
        ("Deltoids 5/5", "Deltoids", {"sites": ("deltoids",), "grade": "5/5"}),
        (
            "4-/5 hip flexors, 3/5 deltoids",
            "hip flexors",
            {"sites": ("hip flexors", "deltoids"), "grade": "4-/5"},
        ),
        ("Weakness: HF 4/5, SA 3/5", "Weakness", {"grade": "3/5", "region": "proximal"}),
        ("Asymmetric distal weakness, worse in the hands", "distal weakness", {"symmetric": False}),
        ("Distal more than proximal weakness", "weakness", {"pattern": "distal>proximal"}),
        ("Weak in both legs", "Weak", {"side": "bilateral", "symmetric": True, "region": None}),
        ("Permanent RLE weakness.", "weakness", {"side": "right", "symmetric": False}),
        ("LUE weakness after the stroke", "weakness", {"side": "left"}),
        ("BLE weakness, proximal more than distal", "weakness", {"side": "bilateral"}),
    ],
)
def test_weakness_attributes(
    text: str, mention: str, expected: dict, sites: tuple[MuscleSite, ...]
) -> None:
    start = text.index(mention)
    found = weakness_attributes(text, start, start + len(mention), sites)
    for name, value in expected.items():
        got = getattr(found, name)
        if name == "grade":
            got = got.text if got else None
        assert got == value, name


def test_weakness_attributes_grade_offsets_are_in_the_sentence(
    sites: tuple[MuscleSite, ...],
) -> None:
    text = "Exam notable for weakness of the hip flexors (3/5)."
    found = weakness_attributes(text, 17, 25, sites)
    assert found.grade == MrcGrade("3/5", 3.0, 46, 49)


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 2), (0, 99)])
def test_weakness_attributes_rejects_bad_offsets(
    start: int, end: int, sites: tuple[MuscleSite, ...]
) -> None:
    with pytest.raises(ValueError, match="outside the sentence"):
        weakness_attributes("weak hip flexors", start, end, sites)


# ----------------------------------------------------------------------------- properties

_PIECES = [
    *(" ", "\t", "\n", " to ", " but ", " except ", " out of 5", "hip flexors"),
    *"4 - + / 5 3/5 4-/5 4/4 2+ | HF SA TA R L (R) left right bilaterally both and , ; .".split(),
    *"strength 5/5 throughout full proximal distal > weak reflexes MRC symmetric".split(),
    *"asymmetric normal 3/5/2021 L4/5 grip quads deltoid".split(),
]
_NOTE_LIKE = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
_ANY_TEXT = st.one_of(st.text(max_size=200), _NOTE_LIKE)


def _check_grade(text: str, grade: MrcGrade | None) -> None:
    if grade is not None:
        assert 0 <= grade.start < grade.end <= len(text)
        assert text[grade.start : grade.end] == grade.text
        assert 0.0 <= grade.value <= 5.0


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT)
def test_parse_strength_offsets_are_site_words(text: str) -> None:
    aliases = {s.site: {a.lower() for a in (s.site, *s.aliases)} for s in SITES}
    for found in parse_strength(text, SITES):
        assert 0 <= found.start < found.end <= len(text)
        words = " ".join(text[found.start : found.end].replace("-", " ").split()).lower()
        assert words in aliases[found.site] or words[:-1] in aliases[found.site]
        assert found.side in (None, "left", "right", "bilateral")
        _check_grade(text, found.grade)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT)
def test_grade_finders_never_raise_and_point_at_the_grade(text: str) -> None:
    for grade in find_mrc_grades(text):
        _check_grade(text, grade)
    _check_grade(text, parse_mrc_grade(text))
    assert is_normal_strength(text) in (True, False)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT, st.data())
def test_weakness_attributes_never_raise_on_valid_offsets(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    found = weakness_attributes(text, start, end, SITES)
    assert found.region in (None, "proximal", "distal", "proximal_and_distal")
    assert found.side in (None, "left", "right", "bilateral")
    assert set(found.sites) <= {s.site for s in SITES}
    _check_grade(text, found.grade)
