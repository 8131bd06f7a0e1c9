"""Weakness attributes read from one sentence: muscle site, side, MRC grade, region.

Pure functions over plain strings (standard library only). The spaCy component
calls them for each weakness / atrophy mention found by the target rules, and for
bare muscle-site anchors ("hip flexors", "HF", "deltoids") that only count as a
finding when an MRC grade stands next to them. The muscle-site table is passed in
(see ``muscle_sites_from_json``); this module never reads files.

Conventions:

* **MRC values.** A trailing ``-`` subtracts one third of a grade and ``+`` adds
  one third, rounded to two decimals and kept within 0..5: ``"4-"`` = 3.67,
  ``"4"`` = 4.0, ``"4+"`` = 4.33, ``"5-/5"`` = 4.67. A range ("4-5/5",
  "4 to 5", "3/5-4/5") takes its lower bound.
* **What counts as a grade.** ``"4/5"``, ``"4-/5"`` and ``"4 out of 5"`` always
  do. ``"4+"`` / ``"4-"`` without ``/5`` only next to a muscle site, and never
  after a reflex word ("Reflexes: biceps 2+"). A bare digit ("4") after "MRC",
  in a table row, or next to a muscle site in a sentence about strength (one
  that says strength, power, motor, MRC or MMT, or has a grade out of 5:
  "4/5 hip flexion; 4 hip abduction; 5 hand grip"). Dates ("3/5/2021"), spine levels ("L4/5")
  and other fractions ("5/10") are not grades.
* **Table rows.** A sentence made only of site words and grade cells
  ("Hip flexion | 4 | 4", "HF 4 4", "Delt 4/4") is a table row, also when the
  next sentence runs on after its last cell ("Grip  5  5 Reflexes 2+."). Two cells without
  a written side are read as right, then left (the usual column order); ``X/Y``
  with ``Y`` below 5 is such a right/left pair, but only in a table row.
* **Abbreviations.** A table alias written in capitals ("HF", "SA", "TA", "HFs")
  matches only in capitals and only with a grade next to it, because "HF" is
  also heart failure and "SA" the sinoatrial node. Other aliases match as whole
  words in any case, with or without a plural "s".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

__all__ = [
    "PROXIMAL_AND_DISTAL",
    "REGIONS",
    "SIDES",
    "MrcGrade",
    "MuscleSite",
    "SiteGrade",
    "WeaknessAttributes",
    "find_mrc_grades",
    "is_normal_strength",
    "muscle_sites_from_json",
    "parse_mrc_grade",
    "parse_strength",
    "weakness_attributes",
]

REGIONS: tuple[str, ...] = ("proximal", "distal")
PROXIMAL_AND_DISTAL = "proximal_and_distal"
SIDES: tuple[str, ...] = ("left", "right", "bilateral")

_TABLE_KEY = "muscle_sites"
_SITE_REQUIRED_KEYS = frozenset({"site", "region", "aliases"})
_SITE_OPTIONAL_KEYS = frozenset({"note"})

# --------------------------------------------------------------------------- patterns

_M = r"\-\u2212\u2013"  # hyphen-minus, minus sign, en dash (inside a character class)
_MOD = rf"[+{_M}]"
# One grade: "4", "4-", "4 -", "4.5", with an optional "/5".
_ATOM = rf"[0-5](?:\.5)?(?:[ ]?{_MOD}(?![ ]?\d))?(?:[ ]?/[ ]?5(?!\d|\.\d))?"
# A grade or a range of two grades, not inside a number, date, spine level or word.
_GRADE = re.compile(
    rf"(?<![\w./+{_M}])"
    rf"{_ATOM}(?:[ ]?(?:[{_M}]|to)[ ]?{_ATOM})?"
    r"(?:[ ]out[ ]of[ ]5)?"
    rf"(?![\w/+{_M}]|\.\d)"
)
_GRADE_DENOMINATOR = re.compile(r"[ ]?/[ ]?5|[ ]out[ ]of[ ]5")
_GRADE_PART = re.compile(rf"(?P<num>[0-5](?:\.5)?)(?:[ ]?(?P<mod>{_MOD})(?![ ]?\d))?")
# "4/4", "4+/4": a right/left pair, read as such only in a table row.
_GRADE_PAIR = re.compile(
    rf"(?<![\w./+{_M}])(?P<right>[0-5]{_MOD}?)[ ]?/[ ]?(?P<left>[0-4]{_MOD}?)"
    rf"(?![\w/+{_M}]|\.\d)"
)
# "MRC 4", "MRC grade 4" ("grade 2" alone is often a strain or a tear).
_MRC_PREFIX = re.compile(r"(?<![\w])MRC[ ]*(?:grade[ ]*)?[:=]?[ ]*$", re.IGNORECASE)
# A sentence about strength, where a bare digit next to a muscle is its grade:
# "Strength 4/5 hip flexion; 4 hip abduction; 5 hand grip", "Power 4 proximally".
_STRENGTH_CONTEXT = re.compile(r"\b(?:strength|power|motor|MRC|MMT)\b", re.IGNORECASE)
# What may follow a bare grade: the end of the item, a side, or the muscle it grades.
_BARE_GRADE_AFTER = re.compile(
    r"[ \t]*(?:$|[,;.:)|\]/]|(?:and|or|bilateral(?:ly)?|bilat|symmetric(?:al)?(?:ly)?|both"
    r"|right|left|rt|lt|R|L|b/l)\b)"
)
_REFLEX = re.compile(r"\b(?:reflex(?:es)?|DTRs?|jerks?|pulses?)\b", re.IGNORECASE)

_SIDE = re.compile(
    r"(?<![\w/])(?:"
    r"(?P<bilateral>(?i:bilateral(?:ly)?|bilat\.?|b/l|both|symmetric(?:al)?(?:ly)?)|B[LU]Es?)"
    r"|(?P<right>(?i:right|rt\.?)|R|R[LU]E)"
    r"|(?P<left>(?i:left|lt\.?)|L|L[LU]E)"
    r")(?![\w/])"
)
_SIDE_ADVERB = re.compile(r"(?:bilaterally|symmetrical?ly)", re.IGNORECASE)
_ON_THE = re.compile(r"\bon[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
_LEFT_AS_VERB = re.compile(
    r"\b(?:has|had|have|was|were|she|he|they|and|which|that|who|it|then)\s+left\b"
    r"|\bleft\s+(?:him|her|them|me|us|it|home|work|the\s+(?:hospital|office|clinic|ED|ER))\b",
    re.IGNORECASE,
)
# Text allowed between a side word and the site or grade it qualifies.
_SIDE_FORWARD_GAP = re.compile(r"\.?\)?[ \t:(\[]*(?:the[ \t]+)?", re.IGNORECASE)
_SIDE_BACKWARD_GAP = re.compile(r"[ \t:(\[=]*(?:(?:on|in)[ \t]+(?:the[ \t]+)?)?", re.IGNORECASE)
# Text allowed between a site and the grade "next to" it.
_ADJACENT_GAP = re.compile(r"[\s:=|()\[\]\-]*(?:(?:in|of|at)[\s:=|()\[\]\-]+)?", re.IGNORECASE)
_ADJACENT_MAX_CHARS = 12
# Text allowed between the sites of one list ("hip flexors and deltoids").
_LIST_GAP = re.compile(r"[\s,]*(?:(?:and|or|&|/|\+|as\s+well\s+as)\s*)?(?:the\s+)?", re.IGNORECASE)
# What a clause holding only a list of sites may contain besides the sites.
_PURE_LIST = re.compile(
    r"[\s,.:()&/+\-]*(?:(?:and|or|as\s+well\s+as|the|in|of)\b[\s,.:()&/+\-]*)*", re.IGNORECASE
)
_TABLE_RESIDUE = re.compile(r"[\s|:;,.=\-()]*")
# After a table row's last cell: the next sentence, run on without a line break.
_GLUED_SENTENCE = re.compile(r"[ \t]*[|.]?[ \t]+[A-Z][a-z]")
# "MMT:", "Strength (R/L):", "L/R:" at the start of a table row.
_TABLE_HEADER = re.compile(
    r"\s*(?:(?i:strength|motor|power|mmt|mrc)[ \t]*)?"
    r"(?:\(?[ \t]*(?P<columns>(?i:r|rt|right)[ \t]*/[ \t]*(?i:l|lt|left)"
    r"|(?i:l|lt|left)[ \t]*/[ \t]*(?i:r|rt|right))[ \t]*\)?[ \t]*)?:"
)
_CLAUSE_BREAK = re.compile(
    r";|,|\.(?=\s|$)|\b(?:but|except(?:\s+for)?|however|although|though|whereas|while|otherwise"
    r"|apart\s+from|aside\s+from|other\s+than|with\s+the\s+exception\s+of)\b",
    re.IGNORECASE,
)
_WINDOW_BREAK = re.compile(
    r";|\.(?=\s|$)|\b(?:but|except|however|although|though|whereas|while|otherwise)\b",
    re.IGNORECASE,
)
_WINDOW_CHARS = 60
# A site takes at most this many grades of a run ("iliopsoas 4-/5 (R) 4/5 (L)"): the nearest.
_MAX_GRADES_PER_SITE = 2

_REGION_WORD = re.compile(
    r"\b(?:"
    r"(?P<proximal>proximal(?:ly)?|limb[\s-]girdle|(?:shoulder|hip|pelvic|pectoral)[\s-]girdles?"
    r"|girdle|thighs?|hips?|shoulders?|upper\s+(?:arms?|legs?))"
    r"|(?P<distal>distal(?:ly)?|hands?|fingers?|wrists?|forearms?|feet|foot|ankles?|toes?|grip)"
    r")\b",
    re.IGNORECASE,
)
_NORMAL_WORD = r"(?:normal|intact|full|spared|sparing|preserved|strong|good|5\s?/\s?5)"
_NORMAL_BEFORE = re.compile(
    rf"(?<![\w/]){_NORMAL_WORD}(?:\s+(?:of|the|in|at|strength|power))*\s*$", re.IGNORECASE
)
_NORMAL_AFTER = re.compile(
    r"\s*:?\s*(?:(?:muscles?|strength|power|is|are|was|were|remains?|otherwise|appears?"
    rf"|bilaterally)\s+)*{_NORMAL_WORD}(?![\w/])",
    re.IGNORECASE,
)
_NORMAL_LOOK_CHARS = 40

_PROXIMAL_OVER_DISTAL = re.compile(
    r"\bproximal(?:ly)?\s*(?:>+|more\s+than|greater\s+than|worse\s+than|rather\s+than|over)\s*"
    r"distal(?:ly)?\b|\b(?:predominantly|mainly|mostly)\s+proximal|\bproximal[\s-]predominant",
    re.IGNORECASE,
)
_DISTAL_OVER_PROXIMAL = re.compile(
    r"\bdistal(?:ly)?\s*(?:>+|more\s+than|greater\s+than|worse\s+than|rather\s+than|over)\s*"
    r"proximal(?:ly)?\b|\b(?:predominantly|mainly|mostly)\s+distal|\bdistal[\s-]predominant",
    re.IGNORECASE,
)
_LIMB_LEGS = r"(?:legs?|lower\s+(?:extremit(?:y|ies)|limbs?)|B?LEs?)"
_LIMB_ARMS = r"(?:arms?|upper\s+(?:extremit(?:y|ies)|limbs?)|B?UEs?)"
_LIMB_MORE = r"\s*(?:>+|more\s+than|greater\s+than|worse\s+than)\s*"
_LEGS_OVER_ARMS = re.compile(rf"\b{_LIMB_LEGS}{_LIMB_MORE}{_LIMB_ARMS}\b", re.IGNORECASE)
_ARMS_OVER_LEGS = re.compile(rf"\b{_LIMB_ARMS}{_LIMB_MORE}{_LIMB_LEGS}\b", re.IGNORECASE)

_SIDE_WORD = r"(?:(?i:left|right|lt|rt)|L|R)"
_ASYMMETRY = re.compile(
    r"(?i:\basymmetric(?:al|ally)?\b|\bunilateral(?:ly)?\b"
    r"|\b(?:worse|weaker|more|greater)\s+(?:on\s+|in\s+)?(?:the\s+)?(?:left|right)\b"
    r"|\b(?:left|right)[\s-](?:sided|predominant)\b)"
    rf"|(?<![\w/]){_SIDE_WORD}\s*(?:>+|(?i:more|greater|worse|weaker)\s+than)\s*{_SIDE_WORD}(?![\w/])"
)
_SYMMETRY = re.compile(
    r"\b(?:symmetric(?:al|ally)?|bilateral(?:ly)?|bilat|both)\b|(?<![\w/])b/l(?![\w/])",
    re.IGNORECASE,
)

_NORMAL_STRENGTH = re.compile(
    r"\b(?:full|normal|intact|preserved)\s+(?:motor\s+)?(?:strength|power)\b"
    r"|(?<![\w./])5\s?/\s?5\s+(?:motor\s+)?(?:strength|power)\b"
    r"|\b(?:strength|power|motor)\b[^.;]{0,30}?"
    r"(?:\b(?:full|normal|intact|preserved)\b|(?<![\w./])5\s?/\s?5(?![\w/]))"
    r"|(?<![\w./])5\s?/\s?5\s+(?:throughout|globally|x\s?4|in\s+all\b|all\s+(?:four\s+)?"
    r"(?:extremities|limbs)|symmetric"
    r"|in\s+(?:the\s+)?(?:bilateral\s+|b/l\s+|both\s+)?(?:upper\s+and\s+lower|all)\b)"
    r"|\bnormal\s+(?:bulk|tone)\b[\w\s,]{0,20}\bstrength\b",
    re.IGNORECASE,
)
_STRENGTH_EXCEPTION = re.compile(
    r"\b(?:except|but|other\s+than|apart\s+from|aside\s+from|save\s+for|however|although"
    r"|though|excluding|exception)\b",
    re.IGNORECASE,
)
_STRENGTH_NEGATION = re.compile(r"\b(?:not|no\s+longer|never|isn't|wasn't|unable)\b", re.IGNORECASE)
_WEAKNESS_WORD = re.compile(
    r"\b(?:weak(?:ness|ened)?|decreased|reduced|diminished|impaired|give[\s-]?way)\b",
    re.IGNORECASE,
)
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|without|denies|negative\s+for)\b[\w\s]{0,20}$", re.IGNORECASE
)
_PROXIMAL_OR_DISTAL = re.compile(r"\b(?:proximal(?:ly)?|distal(?:ly)?)\b", re.IGNORECASE)
_UPPER_LIMB = re.compile(r"\b(?:upper|arms?|B?UEs?)\b", re.IGNORECASE)
_LOWER_LIMB = re.compile(r"\b(?:lower|legs?|B?LEs?)\b", re.IGNORECASE)
_NORMAL_IN_SITE = re.compile(
    r"(?<![\w./])5\s?/\s?5\s+in\s+(?:the\s+)?(?:bilateral\s+|b/l\s+|both\s+)?(?P<what>[a-z]+)",
    re.IGNORECASE,
)
_WHOLE_BODY_WORDS = frozenset(
    "all upper lower extremities extremity limbs four bilateral both arms legs".split()
)

# --------------------------------------------------------------------------- public data


@dataclass(frozen=True)
class MuscleSite:
    """One row of the muscle-site table (``lexicons/muscle_sites.json``).

    Attributes:
        site: Normalised site name reported in results, e.g. ``"hip flexors"``.
        region: ``"proximal"`` or ``"distal"``.
        aliases: Surface forms matched in text. The site name itself always
            matches. Aliases in capitals ("HF") are abbreviations (see module doc).
    """

    site: str
    region: str
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.site, str) or not self.site.strip():
            raise ValueError(f"site must be a non-empty string, got {self.site!r}.")
        if self.region not in REGIONS:
            raise ValueError(
                f"site {self.site!r}: region {self.region!r} is not allowed; "
                f"use one of: {', '.join(REGIONS)}."
            )
        if not isinstance(self.aliases, tuple) or not all(
            isinstance(a, str) and a.strip() for a in self.aliases
        ):
            raise ValueError(f"site {self.site!r}: aliases must be a tuple of non-empty strings.")


@dataclass(frozen=True)
class MrcGrade:
    """An MRC (Medical Research Council, 0-5) muscle strength grade.

    Attributes:
        text: The grade as written, e.g. ``"4-/5"``, ``"4+"``, ``"4 -/5"``.
        value: Numeric value; ``-`` is -1/3 and ``+`` is +1/3 (``"4-"`` = 3.67,
            ``"4+"`` = 4.33); a range gives its lower bound.
        start: Offset of the first character in the searched text.
        end: Offset just after the last character.
    """

    text: str
    value: float
    start: int
    end: int

    @property
    def is_normal(self) -> bool:
        """True for full strength (5/5)."""
        return self.value >= 5


@dataclass(frozen=True)
class SiteGrade:
    """A muscle site named in a sentence, with the grade that applies to it.

    Attributes:
        site: Normalised site name from the table.
        region: ``"proximal"`` or ``"distal"``, from the table.
        side: ``"left"``, ``"right"``, ``"bilateral"`` or None when not written.
        grade: The MRC grade for this site (and side), or None.
        start: Offset of the site words in the sentence.
        end: Offset just after the site words.
    """

    site: str
    region: str
    side: str | None
    grade: MrcGrade | None
    start: int
    end: int


@dataclass(frozen=True)
class WeaknessAttributes:
    """What a sentence says about one weakness (or atrophy) mention.

    Attributes:
        sites: Normalised sites named in the mention or its clause, in text order.
        region: ``"proximal"``, ``"distal"``, ``"proximal_and_distal"`` or None.
        side: ``"left"``, ``"right"``, ``"bilateral"`` or None.
        symmetric: True for symmetric / bilateral weakness, False for asymmetric or
            one-sided weakness, None when the text does not say.
        grade: The worst (lowest) MRC grade that applies to the mention, or None.
        pattern: ``"proximal>distal"``, ``"distal>proximal"``, ``"legs>arms"``,
            ``"arms>legs"`` or None.
    """

    sites: tuple[str, ...]
    region: str | None
    side: str | None
    symmetric: bool | None
    grade: MrcGrade | None
    pattern: str | None


def muscle_sites_from_json(data: Mapping[str, Any]) -> tuple[MuscleSite, ...]:
    """Build the muscle-site table from the parsed ``muscle_sites.json``.

    Args:
        data: ``{"muscle_sites": [{"site": ..., "region": ..., "aliases": [...]}, ...]}``;
            an entry may also carry a free-text ``"note"``.

    Returns:
        The sites, in file order.

    Raises:
        ValueError: for a wrong top-level shape, an entry with unknown or missing
            keys, a region other than proximal/distal, or an alias used twice. The
            message names the entry and the fix.
    """
    if not isinstance(data, Mapping) or set(data) != {_TABLE_KEY}:
        found = sorted(data) if isinstance(data, Mapping) else type(data).__name__
        raise ValueError(
            f"muscle sites: expected an object with the single key {_TABLE_KEY!r}, found {found}."
        )
    entries = data[_TABLE_KEY]
    if not isinstance(entries, list):
        raise ValueError(f"muscle sites: {_TABLE_KEY!r} must be a list of site objects.")
    sites = tuple(_site_from_entry(index, entry) for index, entry in enumerate(entries))
    _check_unique_aliases(sites)
    return sites


def _site_from_entry(index: int, entry: Any) -> MuscleSite:
    """Validate one table entry and build its ``MuscleSite``."""
    where = f"muscle_sites[{index}]"
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: expected an object, found {type(entry).__name__}.")
    where = f"{where} ({entry.get('site')!r})"
    allowed = _SITE_REQUIRED_KEYS | _SITE_OPTIONAL_KEYS
    unknown = set(entry) - allowed
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {sorted(unknown)}; allowed keys are {sorted(allowed)}."
        )
    missing = _SITE_REQUIRED_KEYS - set(entry)
    if missing:
        raise ValueError(f"{where}: missing key(s) {sorted(missing)}.")
    aliases = entry["aliases"]
    if not isinstance(aliases, list):
        raise ValueError(f"{where}: 'aliases' must be a list of strings.")
    try:
        return MuscleSite(entry["site"], entry["region"], tuple(aliases))
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


def _check_unique_aliases(sites: Sequence[MuscleSite]) -> None:
    """Raise ValueError when two sites share an alias (compared case-insensitively)."""
    owner: dict[str, str] = {}
    for site in sites:
        for alias in {_alias_key(a) for a in (site.site, *site.aliases)}:
            if alias in owner and owner[alias] != site.site:
                raise ValueError(
                    f"muscle sites: alias {alias!r} is listed for both {owner[alias]!r} and "
                    f"{site.site!r}; keep it under one site."
                )
            owner[alias] = site.site


# --------------------------------------------------------------------------- MRC grades


def parse_mrc_grade(text: str) -> MrcGrade | None:
    """Parse ``text`` as one MRC grade ("4-/5", "4+", "3", "4-5/5", "4 out of 5").

    Args:
        text: The grade alone; surrounding white space is allowed.

    Returns:
        The grade with offsets into ``text``, or None when ``text`` is not a grade.
    """
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    match = _GRADE.fullmatch(stripped)
    if match is None:
        return None
    return _grade_from_match(match.group(), offset + match.start())


def find_mrc_grades(text: str) -> list[MrcGrade]:
    """Every grade written against 5 in ``text`` ("4/5", "4-/5", "3/5-4/5", "4 out of 5").

    Bare grades ("4+", "4") are left out: outside a strength context they are
    usually reflexes, pulses or counts. ``parse_strength`` reads them next to sites.
    """
    return [g.grade for g in _grade_hits(text) if g.kind == _FULL]


def _grade_from_match(written: str, start: int) -> MrcGrade:
    """Build the ``MrcGrade`` for the grade text ``written`` found at ``start``."""
    numerators = _GRADE_DENOMINATOR.sub("", written)
    value = min(_part_value(p) for p in _GRADE_PART.finditer(numerators))
    return MrcGrade(written, value, start, start + len(written))


def _part_value(part: re.Match[str]) -> float:
    """Value of one "4", "4-" or "4+" (see the module doc for the convention)."""
    value = float(part.group("num"))
    mod = part.group("mod")
    if mod == "+":
        value += 1 / 3
    elif mod:
        value -= 1 / 3
    return round(min(5.0, max(0.0, value)), 2)


_FULL, _MODIFIED, _BARE = "full", "modified", "bare"


@dataclass(frozen=True)
class _GradeHit:
    """A grade candidate and how much it says on its own."""

    grade: MrcGrade
    kind: str  # _FULL: written against 5; _MODIFIED: "4+"; _BARE: "4", "4-5"


def _grade_hits(text: str) -> list[_GradeHit]:
    """Every grade candidate in ``text``, with its kind."""
    hits = []
    for match in _GRADE.finditer(text):
        grade = _grade_from_match(match.group(), match.start())
        written = match.group()
        if "/" in written or "out of" in written:
            kind = _FULL
        elif any(p.group("mod") for p in _GRADE_PART.finditer(written)):
            kind = _MODIFIED
        else:
            kind = _BARE
        hits.append(_GradeHit(grade, kind))
    return hits


def _pair_hits(text: str) -> list[tuple[MrcGrade, MrcGrade]]:
    """Every "4/4"-style right/left pair in ``text``."""
    pairs = []
    for match in _GRADE_PAIR.finditer(text):
        right = _grade_from_match(match.group("right"), match.start("right"))
        left = _grade_from_match(match.group("left"), match.start("left"))
        pairs.append((right, left))
    return pairs


# --------------------------------------------------------------------------- sites and sides


@dataclass(frozen=True)
class _SiteMatcher:
    pattern: re.Pattern[str]
    by_alias: Mapping[str, MuscleSite]
    abbreviations: frozenset[str]


@dataclass(frozen=True)
class _SiteHit:
    start: int
    end: int
    site: MuscleSite
    abbreviation: bool


@dataclass(frozen=True)
class _SideHit:
    start: int
    end: int
    side: str
    prefers_backward: bool


def _is_abbreviation(alias: str) -> bool:
    """True for aliases written in capitals ("HF", "SA", "HFs")."""
    return re.fullmatch(r"[A-Z]{1,4}s?", alias) is not None


def _alias_key(alias: str) -> str:
    """Lookup key of an alias or matched text: words joined by one space, lower case."""
    return " ".join(re.split(r"[\s-]+", alias.strip())).lower()


def _alias_regex(alias: str) -> str:
    """Regex source for ``alias``: flexible spaces / hyphens, optional plural "s"."""
    body = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", alias.strip()))
    return body if alias.endswith("s") else body + "s?"


@lru_cache(maxsize=16)
def _site_matcher(sites: tuple[MuscleSite, ...]) -> _SiteMatcher:
    """Compile one regex for the whole table (cached per table)."""
    by_alias: dict[str, MuscleSite] = {}
    words: set[str] = set()
    abbreviations: set[str] = set()
    for site in sites:
        for alias in (site.site, *site.aliases):
            (abbreviations if _is_abbreviation(alias) else words).add(alias)
            by_alias.setdefault(_alias_key(alias), site)
    alternatives = []
    if words:
        longest_first = sorted(words, key=len, reverse=True)
        alternatives.append("(?i:" + "|".join(_alias_regex(a) for a in longest_first) + ")")
    alternatives += [_alias_regex(a) for a in sorted(abbreviations, key=len, reverse=True)]
    source = "|".join(alternatives) or r"(?!x)x"
    pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{source})(?![A-Za-z0-9])")
    return _SiteMatcher(pattern, by_alias, frozenset(abbreviations))


def _site_hits(text: str, matcher: _SiteMatcher) -> list[_SiteHit]:
    """Every muscle site named in ``text`` (abbreviations not yet checked)."""
    hits = []
    for match in matcher.pattern.finditer(text):
        key = _alias_key(match.group())
        site = matcher.by_alias.get(key) or matcher.by_alias.get(key[:-1])
        if site is None:  # pragma: no cover - every alternative comes from the table
            continue
        written = match.group()
        abbreviation = written in matcher.abbreviations or written[:-1] in matcher.abbreviations
        hits.append(_SiteHit(match.start(), match.end(), site, abbreviation))
    return hits


def _side_hits(text: str, taken: Sequence[tuple[int, int]]) -> list[_SideHit]:
    """Every side word in ``text`` outside the ``taken`` spans ("R", "left", "bilaterally")."""
    verbs = [(m.start(), m.end()) for m in _LEFT_AS_VERB.finditer(text)]
    hits = []
    for match in _SIDE.finditer(text):
        span = (match.start(), match.end())
        if _overlaps(span, taken) or _overlaps(span, verbs):
            continue
        side = match.lastgroup or "bilateral"
        prefers_backward = (
            _SIDE_ADVERB.fullmatch(match.group()) is not None
            or text[match.end() : match.end() + 1] == ")"
            or _ON_THE.search(text, max(0, match.start() - 8), match.start()) is not None
        )
        hits.append(_SideHit(match.start(), match.end(), side, prefers_backward))
    return hits


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    """True when ``span`` overlaps any of ``spans``."""
    return any(span[0] < end and start < span[1] for start, end in spans)


def _residue(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the ``spans`` cut out."""
    pieces = []
    position = 0
    for start, end in sorted(spans):
        if start > position:
            pieces.append(text[position:start])
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


def _gap_is_adjacent(text: str, start: int, end: int, sides: Sequence[_SideHit]) -> bool:
    """True when ``text[start:end]`` (side words removed) keeps a site next to a grade."""
    if start > end:
        return False
    inner = [(s.start, s.end) for s in sides if start <= s.start and s.end <= end]
    gap = _residue(text[start:end], [(a - start, b - start) for a, b in inner])
    return len(gap) <= _ADJACENT_MAX_CHARS and _ADJACENT_GAP.fullmatch(gap) is not None


def _adjacent(
    text: str, first: tuple[int, int], second: tuple[int, int], sides: Sequence[_SideHit]
) -> bool:
    """True when two spans stand next to each other, in either order."""
    left, right = sorted((first, second))
    return _gap_is_adjacent(text, left[1], right[0], sides)


# --------------------------------------------------------------------------- parse_strength


@dataclass
class _Item:
    """A site or a grade in sentence order, with the side written for it."""

    kind: str  # "site" | "grade"
    start: int
    end: int
    site: MuscleSite | None = None
    grade: MrcGrade | None = None
    side: str | None = None
    side_is_prefix: bool = False


@dataclass
class _Clause:
    """Items between two clause breaks, and the site/grade pairs found for them."""

    start: int
    end: int
    items: list[_Item]
    pairs: list[tuple[_Item, _Item | None]]
    grade_first: bool = False

    @property
    def sites(self) -> list[_Item]:
        return [i for i in self.items if i.kind == "site"]

    @property
    def grades(self) -> list[_Item]:
        return [i for i in self.items if i.kind == "grade"]


def parse_strength(text: str, sites: Sequence[MuscleSite]) -> list[SiteGrade]:
    """Every muscle site named in ``text`` with the MRC grade that applies to it.

    Handles grade-first and site-first writing ("4-/5 hip flexors", "HF 3/5, SA 4/5"),
    one grade for a list of sites ("4/5 in bilateral hip flexors and deltoids",
    "hip flexors and quads 4/5 bilaterally"), sides ("R deltoid 4/5, L deltoid 5/5",
    "iliopsoas 4-/5 (R) 4/5 (L)") and table rows ("Hip flexion | 4 | 4", "Delt 4/4").

    Args:
        text: One sentence.
        sites: The muscle-site table.

    Returns:
        One ``SiteGrade`` per site and grade, in text order. A site with no grade
        has ``grade=None``; a site graded once per side appears once per side.
        Abbreviations ("HF", "SA") with no grade next to them are left out.
    """
    site_hits = _site_hits(text, _site_matcher(tuple(sites)))
    grade_hits = _grade_hits(text)
    pairs = _pair_hits(text)
    taken = [(h.start, h.end) for h in site_hits] + [
        (h.grade.start, h.grade.end) for h in grade_hits
    ]
    taken += [(right.start, left.end) for right, left in pairs]
    side_hits = _side_hits(text, taken)
    columns = _table_columns(text, site_hits, grade_hits, pairs, side_hits)
    grades = _admitted_grades(text, grade_hits, pairs, site_hits, side_hits, columns is not None)
    site_hits = [
        h
        for h in site_hits
        if not h.abbreviation
        or any(_adjacent(text, (h.start, h.end), (g.start, g.end), side_hits) for g in grades)
    ]
    items = sorted(
        [_Item("site", h.start, h.end, site=h.site) for h in site_hits]
        + [_Item("grade", g.start, g.end, grade=g) for g in grades],
        key=lambda i: i.start,
    )
    _attach_sides(text, items, side_hits)
    _spread_sides_over_lists(text, items)
    if columns is not None:
        pairs_found = _assign_table_row(items, columns)
    else:
        pairs_found = _assign_clauses(text, items, side_hits)
    graded_sites = {id(s) for s, g in pairs_found if g is not None}
    results = [
        SiteGrade(
            site=s.site.site,
            region=s.site.region,
            side=s.side or (g.side if g else None),
            grade=g.grade if g else None,
            start=s.start,
            end=s.end,
        )
        for s, g in pairs_found
        if s.site is not None and (g is not None or id(s) not in graded_sites)
    ]
    return sorted(results, key=lambda r: (r.start, r.grade.start if r.grade else -1))


def _table_columns(
    text: str,
    sites: Sequence[_SiteHit],
    grades: Sequence[_GradeHit],
    pairs: Sequence[tuple[MrcGrade, MrcGrade]],
    sides: Sequence[_SideHit],
) -> tuple[str, str] | None:
    """The side of the first and second grade column when ``text`` is a table row, else None.

    A table row holds nothing but an optional header ("MMT:", "Strength (L/R):"),
    site words each followed by its grade cells, side words and separators; and it
    shows it is a table by a bare or paired cell ("4", "4/4"), a "|" or tab, a column
    header, or a site with two cells.
    """
    cells = [(g.grade.start, g.grade.end, g.kind) for g in grades] + [
        (right.start, left.end, "pair") for right, left in pairs
    ]
    if not sites or not cells or min(s.start for s in sites) > min(c[0] for c in cells):
        return None
    header = _TABLE_HEADER.match(text)
    body = header.end() if header else 0
    row_end = _row_end(text, cells, sites)
    spans = [(s.start, s.end) for s in sites] + [(c[0], c[1]) for c in cells]
    spans += [(s.start, s.end) for s in sides]
    spans = [(max(0, a - body), b - body) for a, b in spans if body < b <= row_end]
    if _TABLE_RESIDUE.fullmatch(_residue(text[body:row_end], spans)) is None:
        return None
    kinds = [kind for _, _, kind in sorted(cells)]
    columns = header.group("columns") if header else None
    looks_like_table = (
        any(kind in ("pair", _BARE) for kind in kinds)
        or "|" in text
        or "\t" in text
        or columns is not None
        or _has_site_with_two_cells(sites, cells)
    )
    if not looks_like_table:
        return None
    if columns and columns.lstrip("( ").lower().startswith("l"):
        return ("left", "right")
    return ("right", "left")


def _row_end(text: str, cells: Sequence[tuple[int, int, str]], sites: Sequence[_SiteHit]) -> int:
    """Where a table row ends: the text end, or the cell after which a sentence starts.

    The last row of a pasted table often runs on into the next sentence on the same
    line ("Grip  5  5 Reflexes 2+ and symmetric."); that sentence is not part of it.
    A capitalised muscle site after a cell ("HF 4 4 Delt 5/5") carries the row on.
    """
    site_starts = {site.start for site in sites}
    for _, end, _ in sorted(cells):
        glued = _GLUED_SENTENCE.match(text, end)
        if glued and glued.end() - 2 not in site_starts:
            return end
    return len(text)


def _has_site_with_two_cells(
    sites: Sequence[_SiteHit], cells: Sequence[tuple[int, int, str]]
) -> bool:
    """True when two grade cells follow one site with no site between them ("HF 4/5 4/5")."""
    order = sorted([(s.start, "site") for s in sites] + [(c[0], "cell") for c in cells])
    kinds = [kind for _, kind in order]
    return any(kinds[i : i + 3] == ["site", "cell", "cell"] for i in range(len(kinds) - 2))


def _admitted_grades(
    text: str,
    grade_hits: Sequence[_GradeHit],
    pairs: Sequence[tuple[MrcGrade, MrcGrade]],
    site_hits: Sequence[_SiteHit],
    side_hits: Sequence[_SideHit],
    table: bool,
) -> list[MrcGrade]:
    """The grade candidates that are MRC grades in this sentence (see module doc)."""
    reflex = _REFLEX.search(text)
    strength_context = _STRENGTH_CONTEXT.search(text) is not None or any(
        h.kind == _FULL for h in grade_hits
    )
    admitted = []
    for hit in grade_hits:
        grade = hit.grade
        after_reflex = reflex is not None and reflex.start() < grade.start
        if hit.kind == _FULL or _MRC_PREFIX.search(text, max(0, grade.start - 20), grade.start):
            admitted.append(grade)
        elif after_reflex:
            continue
        elif table:
            admitted.append(grade)
        elif hit.kind == _MODIFIED and _next_to_a_site(text, grade, site_hits, side_hits):
            admitted.append(grade)
        elif (
            hit.kind == _BARE
            and strength_context
            and _next_to_a_site(text, grade, site_hits, side_hits)
            and (
                _BARE_GRADE_AFTER.match(text, grade.end)
                or _site_follows(text, grade.end, site_hits)
            )
        ):
            admitted.append(grade)
    if table:
        for right, left in pairs:
            admitted += [right, left]
    return sorted(admitted, key=lambda g: g.start)


def _next_to_a_site(
    text: str, grade: MrcGrade, site_hits: Sequence[_SiteHit], side_hits: Sequence[_SideHit]
) -> bool:
    """True when a site stands next to ``grade`` ("deltoids 4+", "4 hip abduction")."""
    return any(
        _adjacent(text, (s.start, s.end), (grade.start, grade.end), side_hits) for s in site_hits
    )


def _site_follows(text: str, position: int, site_hits: Sequence[_SiteHit]) -> bool:
    """True when a muscle site starts right after ``position`` ("4 hip abduction")."""
    start = position + len(text[position:]) - len(text[position:].lstrip(" \t"))
    return any(site.start == start for site in site_hits)


def _neighbours(items: Sequence[_Item], start: int, end: int) -> tuple[_Item | None, _Item | None]:
    """The items just before ``start`` and just after ``end``."""
    before = [i for i in items if i.end <= start]
    after = [i for i in items if i.start >= end]
    return (before[-1] if before else None), (after[0] if after else None)


def _attach_sides(text: str, items: Sequence[_Item], sides: Sequence[_SideHit]) -> None:
    """Give each side word to the site or grade it qualifies ("R deltoid", "4/5 (L)")."""
    for hit in sides:
        previous, following = _neighbours(items, hit.start, hit.end)
        forward = following is not None and _SIDE_FORWARD_GAP.fullmatch(
            text[hit.end : following.start]
        )
        backward = previous is not None and _SIDE_BACKWARD_GAP.fullmatch(
            text[previous.end : hit.start]
        )
        order = [(backward, previous, False), (forward, following, True)]
        if not hit.prefers_backward:
            order.reverse()
        for ok, item, is_prefix in order:
            if ok and item is not None and item.side is None:
                item.side = hit.side
                item.side_is_prefix = is_prefix
                break


def _spread_sides_over_lists(text: str, items: Sequence[_Item]) -> None:
    """Share a side over a list of sites: "bilateral hip flexors and deltoids"."""
    runs: list[list[_Item]] = []
    for item in items:
        joined = (
            runs
            and item.kind == "site"
            and runs[-1][-1].kind == "site"
            and _LIST_GAP.fullmatch(text[runs[-1][-1].end : item.start])
        )
        if joined:
            runs[-1].append(item)
        else:
            runs.append([item])
    for run in runs:
        if run[0].kind != "site" or len(run) < 2:
            continue
        if run[0].side and run[0].side_is_prefix:
            for item in run[1:]:
                item.side = item.side or run[0].side
        if run[-1].side and not run[-1].side_is_prefix:
            for item in run[:-1]:
                item.side = item.side or run[-1].side


def _assign_table_row(
    items: Sequence[_Item], columns: tuple[str, str]
) -> list[tuple[_Item, _Item | None]]:
    """Each run of sites takes the cells after it; two unlabelled cells are the two columns."""
    runs = _runs(items)
    pairs: list[tuple[_Item, _Item | None]] = []
    for index, run in enumerate(runs):
        if run[0].kind != "site":
            continue
        cells = runs[index + 1] if index + 1 < len(runs) else []
        if len(cells) == 2 and not any(c.side for c in cells):
            cells[0].side, cells[1].side = columns
        pairs += [(s, c) for s in run for c in cells] if cells else [(s, None) for s in run]
    return pairs


def _assign_clauses(
    text: str, items: Sequence[_Item], sides: Sequence[_SideHit]
) -> list[tuple[_Item, _Item | None]]:
    """Pair sites with grades clause by clause, then across list commas."""
    clauses = _split_clauses(text, items)
    for clause in clauses:
        clause.pairs = _assign_clause(clause)
        clause.grade_first = bool(clause.items) and clause.items[0].kind == "grade"
    _inherit_across_clauses(text, clauses, sides)
    return [pair for clause in clauses for pair in clause.pairs]


def _split_clauses(text: str, items: Sequence[_Item]) -> list[_Clause]:
    """Cut the sentence at commas, semicolons and "but" / "except" words."""
    cuts = [
        m.start()
        for m in _CLAUSE_BREAK.finditer(text)
        if not any(i.start < m.start() < i.end for i in items)
    ]
    bounds = [0, *cuts, len(text)]
    clauses = []
    for start, end in pairwise(bounds):
        inside = [i for i in items if start <= i.start < end]
        clauses.append(_Clause(start, end, inside, []))
    return clauses


def _runs(items: Sequence[_Item]) -> list[list[_Item]]:
    """Group consecutive items of the same kind."""
    runs: list[list[_Item]] = []
    for item in items:
        if runs and runs[-1][0].kind == item.kind:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _assign_clause(clause: _Clause) -> list[tuple[_Item, _Item | None]]:
    """Pair the sites and grades of one clause.

    One grade applies to every site of the clause. With several grades the first
    item sets the direction: "HF 3/5 SA 4/5" pairs each site run with the grades
    after it, "3/5 HF 4/5 SA" each grade run with the sites after it.
    """
    sites, grades = clause.sites, clause.grades
    if not grades:
        return [(s, None) for s in sites]
    if len(grades) == 1:
        return [(s, grades[0]) for s in sites]
    runs = _runs(clause.items)
    pairs: list[tuple[_Item, _Item | None]] = []
    site_first = clause.items[0].kind == "site"
    for index, run in enumerate(runs):
        following = runs[index + 1] if index + 1 < len(runs) else None
        if site_first and run[0].kind == "site":
            if following is None:
                pairs += [(s, None) for s in run]
            else:
                pairs += [(s, g) for s in run for g in following[:_MAX_GRADES_PER_SITE]]
        elif not site_first and run[0].kind == "grade" and following is not None:
            pairs += [(s, g) for s in following for g in run[-_MAX_GRADES_PER_SITE:]]
    return pairs


def _is_pure_list(text: str, clause: _Clause, sides: Sequence[_SideHit]) -> bool:
    """True when the clause holds nothing but sites, side words and list words."""
    spans = [(i.start, i.end) for i in clause.items] + [
        (s.start, s.end) for s in sides if clause.start <= s.start < clause.end
    ]
    spans = [(a - clause.start, b - clause.start) for a, b in spans]
    return _PURE_LIST.fullmatch(_residue(text[clause.start : clause.end], spans)) is not None


def _inherit_across_clauses(
    text: str, clauses: Sequence[_Clause], sides: Sequence[_SideHit]
) -> None:
    """Carry grades and sides over commas.

    * "4/5 in hip flexors, deltoids and quads": the list after the comma takes the
      grade of the grade-first clause before it.
    * "hip flexors, deltoids 4/5": the list before the comma takes the grade of
      the site-first clause after it.
    * "hip flexors R 4/5, L 5/5": grades with a side and no site belong to the
      sites of the clause before.
    * "hip flexors 4/5, bilaterally": a lone side word belongs to the sites before.
    """
    ungraded = {
        id(c) for c in clauses if c.sites and not c.grades and _is_pure_list(text, c, sides)
    }
    for index in range(1, len(clauses)):
        clause, before = clauses[index], clauses[index - 1]
        if (
            id(clause) in ungraded
            and before.grade_first
            and before.items[-1:]
            and (before.items[-1].kind == "site")
        ):
            grades = [g for s, g in before.pairs if s is before.items[-1]]
            clause.pairs = [(s, g) for s in clause.sites for g in grades]
            clause.grade_first = True
            ungraded.discard(id(clause))
        elif not clause.sites and clause.grades and all(g.side for g in clause.grades):
            last_sites = _last_site_run(before)
            clause.pairs = [(s, g) for s in last_sites for g in clause.grades]
        elif not clause.items and before.sites:
            _give_lone_side(clause, before, sides)
    for index in range(len(clauses) - 2, -1, -1):
        clause, after = clauses[index], clauses[index + 1]
        if id(clause) in ungraded and after.items and after.items[0].kind == "site":
            first = after.items[0]
            grades = [g for s, g in after.pairs if s is first and g is not None]
            if grades:
                clause.pairs = [(s, g) for s in clause.sites for g in grades]


def _last_site_run(clause: _Clause) -> list[_Item]:
    """The sites of the last run of sites in ``clause``."""
    site_runs = [run for run in _runs(clause.items) if run[0].kind == "site"]
    return site_runs[-1] if site_runs else []


def _give_lone_side(clause: _Clause, before: _Clause, sides: Sequence[_SideHit]) -> None:
    """Apply a clause made of one bilateral side word to the sites of the clause before."""
    inside = [s for s in sides if clause.start <= s.start < clause.end]
    if len(inside) != 1 or inside[0].side != "bilateral":
        return
    for site in before.sites:
        site.side = site.side or "bilateral"


# --------------------------------------------------------------------------- is_normal_strength


def is_normal_strength(text: str) -> bool:
    """True when the sentence states full strength everywhere tested.

    True for "strength 5/5 throughout", "5/5 strength in all extremities", "full
    strength", "strength full and symmetric", "normal strength", "strength is
    intact", "motor: 5/5 x4". False when an exception or a lower grade follows
    ("5/5 throughout except hip flexors 4/5", "full strength distally but 4/5
    proximally"), when only part of the body is described ("5/5 distally",
    "5/5 in the upper extremities", "5/5 in deltoids"), and for "no focal
    weakness", which is a negated finding for ConText, not a strength statement.
    """
    normal = _NORMAL_STRENGTH.search(text)
    if normal is None:
        return False
    tail = text[normal.start() :]
    if _STRENGTH_EXCEPTION.search(tail) or _STRENGTH_NEGATION.search(text):
        return False
    if any(not g.is_normal for g in _strength_grades(text)):
        return False
    if _affirmed_weakness(text, normal.start()):
        return False
    return not _describes_part_only(text)


def _strength_grades(text: str) -> list[MrcGrade]:
    """Grades written against 5, and "4+" / "4-" style grades outside reflex talk."""
    reflex = _REFLEX.search(text)
    return [
        h.grade
        for h in _grade_hits(text)
        if h.kind == _FULL
        or (h.kind == _MODIFIED and (reflex is None or h.grade.start < reflex.start()))
    ]


def _affirmed(pattern: re.Pattern[str], text: str, start: int = 0) -> list[re.Match[str]]:
    """Matches of ``pattern`` from ``start`` on that no "no" / "without" comes shortly before."""
    return [
        match
        for match in pattern.finditer(text, start)
        if not _NEGATION_BEFORE.search(text, max(0, match.start() - 30), match.start())
    ]


def _affirmed_weakness(text: str, start: int) -> bool:
    """True when a weakness word after ``start`` is not negated ("no focal weakness")."""
    return bool(_affirmed(_WEAKNESS_WORD, text, start))


def _describes_part_only(text: str) -> bool:
    """True when only proximal or distal, only arms or legs, or one site is described.

    Negated words do not count: "5/5 throughout, no proximal weakness" is whole-body.
    """
    regions = {m.group().lower()[0] for m in _affirmed(_PROXIMAL_OR_DISTAL, text)}
    if len(regions) == 1:
        return True
    if bool(_affirmed(_UPPER_LIMB, text)) != bool(_affirmed(_LOWER_LIMB, text)):
        return True
    return any(
        m.group("what").lower() not in _WHOLE_BODY_WORDS for m in _NORMAL_IN_SITE.finditer(text)
    )


# --------------------------------------------------------------------------- weakness_attributes


def weakness_attributes(
    text: str, start: int, end: int, sites: Sequence[MuscleSite]
) -> WeaknessAttributes:
    """Attributes of the weakness mention at ``text[start:end]``.

    Sites, region words, sides and grades count when they are inside the mention
    or in its clause: up to a ``;``, a sentence end or a "but" / "except" word,
    and within 60 characters of the mention. Outside the mention, a site or region
    word described as normal ("normal grip", "5/5 distally", "sparing of distal
    muscles") does not count.

    Args:
        text: The sentence.
        start: Offset of the mention in ``text``.
        end: Offset just after the mention.
        sites: The muscle-site table.

    Returns:
        The attributes; the grade is the worst grade that applies, which for a
        bare site anchor may be a normal grade (check ``grade.is_normal``).

    Raises:
        ValueError: if ``0 <= start <= end <= len(text)`` does not hold.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(
            f"mention offsets ({start}, {end}) are outside the sentence of length {len(text)}; "
            "pass offsets relative to the sentence text."
        )
    window = _window(text, start, end)
    every_site = parse_strength(text, sites)
    graded = [g for g in every_site if window.counts(g)]
    attached = {(g.grade.start, g.grade.end) for g in every_site if g.grade is not None}
    own_grades = [g.grade for g in graded if g.grade and window.in_mention((g.start, g.end))]
    near_grades = [g.grade for g in graded if g.grade] + _free_grades(window, attached)
    site_spans = [(g.start, g.end) for g in every_site]
    side = _mention_side(window, graded)
    return WeaknessAttributes(
        sites=tuple(dict.fromkeys(g.site for g in graded)),
        region=_mention_region(window, graded, site_spans),
        side=side,
        symmetric=_mention_symmetry(window.words, side, graded),
        grade=_lowest(own_grades or near_grades),
        pattern=_mention_pattern(window.words),
    )


@dataclass(frozen=True)
class _Window:
    """A mention (``start:end``) and the part of its sentence (``low:high``) read with it."""

    text: str
    start: int
    end: int
    low: int
    high: int

    @property
    def words(self) -> str:
        return self.text[self.low : self.high]

    def in_mention(self, span: tuple[int, int]) -> bool:
        return span[0] < self.end and span[1] > self.start

    def in_window(self, span: tuple[int, int]) -> bool:
        return span[0] < self.high and span[1] > self.low

    def counts(self, found: SiteGrade) -> bool:
        """True when a site belongs to the mention: inside it, or nearby and not normal."""
        span = (found.start, found.end)
        if self.in_mention(span):
            return True
        if not self.in_window(span):
            return False
        if found.grade is not None:
            return not found.grade.is_normal
        return not _is_described_normal(self.text, span)


def _window(text: str, start: int, end: int) -> _Window:
    """The mention and its clause: up to a break word or ``;`` and 60 characters either side."""
    low = max(0, start - _WINDOW_CHARS)
    high = min(len(text), end + _WINDOW_CHARS)
    for match in _WINDOW_BREAK.finditer(text, low, high):
        if match.end() <= start:
            low = match.end()
        elif match.start() >= end:
            high = match.start()
            break
    return _Window(text, start, end, low, high)


def _is_described_normal(text: str, span: tuple[int, int]) -> bool:
    """True for "normal grip", "distal strength intact", "5/5 distally", "sparing of ..."."""
    before = _NORMAL_BEFORE.search(text, max(0, span[0] - _NORMAL_LOOK_CHARS), span[0])
    after = _NORMAL_AFTER.match(text, span[1], min(len(text), span[1] + _NORMAL_LOOK_CHARS))
    return before is not None or after is not None


def _mention_region(
    window: _Window, graded: Sequence[SiteGrade], site_spans: Sequence[tuple[int, int]]
) -> str | None:
    """Region from the sites and from words such as "proximal", "shoulder girdle", "grip".

    Region words that are part of a site name ("hip" of "hip flexors") are left to
    the site, so that "weak grip, hip flexors 5/5" stays distal.
    """
    regions = {g.region for g in graded}
    for match in _REGION_WORD.finditer(window.text, window.low, window.high):
        span = (match.start(), match.end())
        if window.in_mention(span) or not (
            _overlaps(span, site_spans) or _is_described_normal(window.text, span)
        ):
            regions.add("proximal" if match.group("proximal") else "distal")
    if regions == {"proximal"}:
        return "proximal"
    if regions == {"distal"}:
        return "distal"
    return PROXIMAL_AND_DISTAL if regions else None


def _mention_side(window: _Window, graded: Sequence[SiteGrade]) -> str | None:
    """Return "bilateral" for bilateral words or both sides, else the one side written."""
    found = {g.side for g in graded if g.side}
    found |= {
        h.side
        for h in _side_hits(window.text, [])
        if window.low <= h.start and h.end <= window.high
    }
    if "bilateral" in found or {"left", "right"} <= found:
        return "bilateral"
    return found.pop() if found else None


def _mention_symmetry(window: str, side: str | None, graded: Sequence[SiteGrade]) -> bool | None:
    """False for asymmetric or one-sided weakness, True for symmetric or bilateral, else None."""
    if _ASYMMETRY.search(window) or _grades_differ_by_side(graded):
        return False
    if side in ("left", "right"):
        return False
    if side == "bilateral" or _SYMMETRY.search(window):
        return True
    return None


def _grades_differ_by_side(graded: Sequence[SiteGrade]) -> bool:
    """True when one site has different right and left grades."""
    by_site: dict[str, dict[str, float]] = {}
    for g in graded:
        if g.grade is not None and g.side in ("left", "right"):
            by_site.setdefault(g.site, {})[g.side] = g.grade.value
    return any(len(set(sides.values())) > 1 and len(sides) == 2 for sides in by_site.values())


def _free_grades(window: _Window, attached: set[tuple[int, int]]) -> list[MrcGrade]:
    """Below-normal grades in the window that belong to no site ("weakness 4/5")."""
    return [
        grade
        for grade in find_mrc_grades(window.text[: window.high])
        if grade.start >= window.low
        and (grade.start, grade.end) not in attached
        and not grade.is_normal
    ]


def _lowest(grades: Sequence[MrcGrade]) -> MrcGrade | None:
    """The lowest of ``grades`` (the first one on ties), or None."""
    return min(grades, key=lambda g: g.value) if grades else None


def _mention_pattern(window: str) -> str | None:
    """Predominance written in the window ("proximal > distal", "legs more than arms")."""
    for pattern, name in (
        (_PROXIMAL_OVER_DISTAL, "proximal>distal"),
        (_DISTAL_OVER_PROXIMAL, "distal>proximal"),
        (_LEGS_OVER_ARMS, "legs>arms"),
        (_ARMS_OVER_LEGS, "arms>legs"),
    ):
        if pattern.search(window):
            return name
    return None
