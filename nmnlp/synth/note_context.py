"""What the section builders of one note share: the case, the draw, filled placeholders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import phrases
from .cases import Case
from .draw import Bank, Draw
from .model import Piece
from .render import Pieces, capitalize_first, find, parse_markup, plain
from .sections import Style

__all__ = [
    "NONCONCEPT_CHIEF",
    "SPECIALTY",
    "Ctx",
    "age_sex",
    "chief_pieces",
    "join_sentences",
    "list_block",
    "lower_first",
    "note_values",
    "np_for",
    "strip_stop",
]

SPECIALTY = {
    "neuromuscular": "Neuromuscular",
    "neurology": "Neurology",
    "rheumatology": "Rheumatology",
    "medicine": "General Medicine",
    "emergency": "Emergency",
    "primary care": "Primary Care",
    "pediatric rheumatology": "Paediatric Rheumatology",
    "pediatric neurology": "Paediatric Neurology",
    "dermatology": "Dermatology",
    "respiratory": "Respiratory",
    "endocrinology": "Endocrinology",
    "pediatric emergency": "Paediatric Emergency",
    "stroke": "Stroke Unit",
    "cardiology": "Cardiology",
    "orthopaedics": "Orthopaedic",
}
_DOCTORS = (
    "Hale",
    "Ferreira",
    "Okafor",
    "Lindqvist",
    "Marsh",
    "Tanaka",
    "Quinlan",
    "Adeyemi",
    "Bergstrom",
    "Castellano",
    "Novak",
    "Pillai",
    "Reyes",
    "Whitcombe",
    "Zhou",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
NONCONCEPT_CHIEF = {
    "knee pain": Bank(("{side} knee pain", "pain in the {side} knee"), ("{side} knee ache",)),
    "chest pain": Bank(("central chest pain", "chest pain"), ("pressure-like chest pain",)),
    "worry": Bank(
        (
            "concern about a family history of muscle disease",
            "worry about an inherited muscle condition",
        ),
        ("family history query",),
    ),
    "follow-up": Bank(
        ("routine follow-up after PCI", "6-month cardiology review"), ("CAD follow-up",)
    ),
}


@dataclass
class Ctx:
    """What the section builders share for one note."""

    case: Case
    d: Draw
    style: Style
    header_case: str
    inline_headers: bool
    letter_prose: bool
    values: dict[str, str] = field(default_factory=dict)

    def fill(self, text: str) -> str:
        """Fill person and number placeholders."""
        if "{" not in text:
            return text
        return text.format_map({**(self.d.person or {}), **self.values})

    def markup(self, text: str) -> Pieces:
        """Placeholders filled, then ``[[concept|status|span]]`` markup parsed."""
        return parse_markup(self.fill(text))


def note_values(d: Draw, case: Case) -> dict[str, str]:
    """Numbers, dates, names and sides that placeholders in phrases refer to."""
    side = d.pick(("right", "left"))
    return {
        "ast": str(d.randint(90, 600)),
        "alt": str(d.randint(80, 450)),
        "ldh": str(d.randint(400, 1400)),
        "tsh": f"{d.uniform(0.6, 3.8):.1f}",
        "cr": str(d.randint(6, 9)),
        "trop": str(d.randint(20, 90)),
        "esr": str(d.randint(4, 30)),
        "alt_n": str(d.randint(14, 38)),
        "cr_aki": f"{d.uniform(1.8, 4.2):.1f}",
        "k": str(d.randint(1, 9)),
        "tsh_high": f"{d.uniform(25, 120):.0f}",
        "ft4_low": f"{d.uniform(2, 7):.1f}",
        "achr": f"{d.uniform(1.5, 25):.1f}",
        "esr_high": str(d.randint(45, 110)),
        "crp_high": str(d.randint(30, 120)),
        "eos": f"{d.uniform(1.2, 3.5):.1f}",
        "ckmb": str(d.randint(40, 300)),
        "tropi": str(d.randint(800, 30000)),
        "kg": str(d.randint(4, 12)),
        "packs": str(d.randint(20, 60)),
        "pred": str(d.pick((5, 7, 10, 15, 20))),
        "wk": str(d.randint(2, 8)),
        "days": str(d.randint(3, 10)),
        "side": side,
        "Side": side.capitalize(),
        "Dur": phrases.duration_phrase(d, case.months).capitalize(),
        "dur": phrases.duration_phrase(d, case.months),
        "year": str(d.randint(2019, 2024)),
        "doc": d.pick(_DOCTORS),
        "doc2": d.pick(_DOCTORS),
        "month": d.pick(_MONTHS),
        "day": str(d.randint(1, 28)),
        "hd": str(d.randint(2, 9)),
        "mrn": str(d.randint(100000, 999999)),
    }


def join_sentences(ctx: Ctx, sentences: Sequence[Pieces]) -> Pieces:
    """Join sentences; terse sentences without end punctuation get a terse separator."""
    out: Pieces = []
    sep = ctx.d.pick((". ", "; ", ". ", ", ")) if ctx.d.terse else " "
    for i, sentence in enumerate(s for s in sentences if s):
        if i:
            prev = out[-1].text.rstrip()
            out.append(plain(" " if prev.endswith((".", ":", "!", "?")) else sep))
        out.extend(sentence)
    if out and ctx.d.terse and not out[-1].text.rstrip().endswith((".", ")")) and ctx.d.chance(0.5):
        out.append(plain("."))
    return out


def np_for(ctx: Ctx, concept: str) -> str:
    """A finding phrase for ``concept``, using the case's own phrases when it has them."""
    return phrases.finding_np(ctx.d, concept, ctx.case.np_override.get(concept))


def age_sex(ctx: Ctx) -> str:
    """Age and sex as written in the note's register ("67-year-old woman", "67F")."""
    c, d = ctx.case, ctx.d
    if c.age < 18:
        return d.pick((f"{c.age}-year-old {d.person['child']}", f"{c.age} y/o {d.person['child']}"))
    if d.terse:
        return d.pick(
            (
                f"{c.age}{d.person['sx']}",
                f"{c.age} y/o {d.person['sx']}",
                f"{c.age}yo {d.person['sx']}",
            )
        )
    return d.pick(
        (
            f"{c.age}-year-old {d.person['man']}",
            f"{c.age} y/o {d.person['man']}",
            f"{c.age}-year-old {'female' if c.female else 'male'}",
        )
    )


def chief_pieces(ctx: Ctx) -> Pieces:
    """The chief complaint as a span (concept chiefs) or plain text."""
    c = ctx.case
    if c.chief in NONCONCEPT_CHIEF:
        return [plain(ctx.fill(ctx.d.pick(NONCONCEPT_CHIEF[c.chief])))]
    return [find(np_for(ctx, c.chief), c.chief, "present")]


# ---------------------------------------------------------------- sections
def list_block(ctx: Ctx, items: Sequence[Pieces]) -> Pieces:
    """Items as a dash, numbered, plain-line or inline list."""
    d = ctx.d
    layout = d.pick(("dash", "inline", "lines", "numbered"))
    out: Pieces = []
    items = [strip_stop(item) for item in items]
    joiner = d.pick(("; ", ". ", ", "))
    for i, item in enumerate(items):
        if layout == "inline":
            if i:
                out.append(plain(joiner))
            out.extend(item)
        else:
            if i:
                out.append(plain("\n"))
            bullet = {"dash": "- ", "lines": "", "numbered": f"{i + 1}. "}[layout]
            out.append(plain(bullet))
            out.extend(capitalize_first(item))
    if layout == "inline" and out:
        out = capitalize_first(out)
        out.append(plain("."))
    return out


def strip_stop(item: Pieces) -> Pieces:
    """Drop a trailing full stop so list layouts can punctuate consistently."""
    if item and not item[-1].tags and item[-1].text.endswith("."):
        return [*item[:-1], plain(item[-1].text[:-1])]
    return list(item)


def lower_first(pieces: Pieces) -> Pieces:
    """Lower-case the first letter of pieces (kept for acronyms)."""
    out = list(pieces)
    for i, piece in enumerate(out):
        if piece.text.strip():
            text = piece.text
            j = len(text) - len(text.lstrip())
            if text[j : j + 2].isupper():  # an acronym: keep it
                return out
            out[i] = Piece(text[:j] + text[j].lower() + text[j + 1 :], piece.tags)
            return out
    return out
