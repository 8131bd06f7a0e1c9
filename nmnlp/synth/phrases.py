"""Surface-form banks per concept and status, and the sentence frames that use them.

Sentences are composed from parts (subject + verb + finding phrase + time / site
qualifier) so that no single template carries a concept. A finding phrase is
the gold span; negation, hedge, history, family and time words stay outside it.
Placeholders ``{subj}``, ``{pos}``, ``{obj}`` (and capitalised forms) are filled
per note by :meth:`nmnlp.synth.draw.Draw.fmt`; ``{X}`` is the finding slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .draw import Bank, Draw
from .model import Piece, Tag
from .render import Pieces, capitalize_first, find, join_list, plain, split_frame

__all__ = [
    "CLAUSES_ABSENT",
    "CLAUSES_PRESENT",
    "NP",
    "NP_TERSE",
    "ROS_TERMS",
    "SPAN_TYPOS",
    "duration_phrase",
    "finding_np",
    "finding_sentence",
    "hypothetical_sentence",
    "list_sentence",
    "maybe_typo",
    "present_sentence",
]

# --- neutral finding phrases (usable after "reports", "no", "possible", "develops") ---
NP: dict[str, Bank[str]] = {
    "proximal_weakness": Bank(
        (
            "proximal weakness",
            "proximal muscle weakness",
            "weakness of the hips and shoulders",
            "weakness in both thighs",
            "weakness of the thighs and upper arms",
            "shoulder girdle weakness",
            "hip girdle weakness",
            "pelvic girdle weakness",
            "proximal leg weakness",
            "proximal arm and leg weakness",
            "difficulty climbing stairs",
            "trouble climbing stairs",
            "difficulty rising from a chair",
            "trouble getting up from a low chair",
            "difficulty getting out of the car",
            "difficulty getting up off the floor",
            "trouble lifting {pos} arms above {pos} head",
            "difficulty combing {pos} hair",
            "difficulty brushing {pos} hair",
            "trouble reaching the top shelves",
            "difficulty getting off the toilet",
            "difficulty rising from a squat",
            "neck flexor weakness",
            "difficulty lifting {pos} head off the pillow",
            "hip flexor weakness",
            "weak thighs",
        ),
        (
            "thigh weakness",
            "trouble standing from a seated position",
            "difficulty getting out of the bathtub",
            "trouble hanging washing on the line",
            "difficulty stepping up onto the bus",
            "weakness around the hips",
            "limb-girdle weakness",
        ),
    ),
    "distal_weakness": Bank(
        (
            "weak grip",
            "grip weakness",
            "hand weakness",
            "difficulty opening jars",
            "trouble buttoning {pos} shirts",
            "finger flexor weakness",
            "foot drop",
            "tripping over {pos} toes",
            "difficulty turning keys",
            "distal weakness",
        ),
        ("weakness of the hands", "trouble gripping tools", "weak ankles"),
    ),
    "generalized_weakness": Bank(
        (
            "weakness",
            "generalized weakness",
            "muscle weakness",
            "diffuse weakness",
            "global weakness",
            "weakness all over",
            "generalised weakness",
        ),
        ("muscular weakness", "loss of strength"),
    ),
    "myalgia": Bank(
        (
            "myalgias",
            "muscle pain",
            "muscle aches",
            "aching in both thighs",
            "thigh pain",
            "muscle soreness",
            "sore thighs",
            "diffuse muscle tenderness",
            "achy muscles",
            "myalgia",
            "muscle cramping and aching",
        ),
        ("body aches", "aching in the upper arms", "pain in the thigh muscles"),
    ),
    "fatigue": Bank(
        (
            "fatigue",
            "tiredness",
            "exhaustion",
            "low energy",
            "malaise",
            "lethargy",
            "feeling run down",
            "lack of energy",
        ),
        ("being worn out", "fatigability and tiredness", "feeling drained"),
    ),
    "dysphagia": Bank(
        (
            "dysphagia",
            "trouble swallowing",
            "difficulty swallowing",
            "swallowing difficulty",
            "food sticking in {pos} throat",
            "choking on liquids",
            "coughing when drinking",
            "difficulty swallowing pills",
            "solid-food dysphagia",
            "oropharyngeal dysphagia",
        ),
        ("nasal regurgitation of fluids", "trouble getting food down", "choking episodes at meals"),
    ),
    "dysphonia": Bank(
        (
            "hoarseness",
            "a hoarse voice",
            "a wet-sounding voice",
            "nasal speech",
            "slurred speech",
            "dysarthria",
            "a weak voice",
            "change in {pos} voice",
            "dysphonia",
        ),
        ("a gravelly voice", "voice change"),
    ),
    "rash": Bank(
        ("rash", "skin rash", "new rash", "skin changes", "rashes"),
        ("skin eruption", "any rash"),
    ),
    "muscle_atrophy": Bank(
        (
            "muscle atrophy",
            "muscle wasting",
            "proximal muscle wasting",
            "thin thighs",
            "decreased muscle bulk",
            "loss of muscle mass",
            "atrophy of the thighs",
        ),
        ("muscle loss", "wasting of the thigh muscles"),
    ),
}

NP_TERSE: dict[str, Bank[str]] = {
    "proximal_weakness": Bank(
        (
            "prox weakness",
            "prox muscle weakness",
            "b/l thigh weakness",
            "diff climbing stairs",
            "trouble w/ stairs",
            "diff getting up from chair",
            "weakness hips + shoulders",
        ),
        ("prox LE > UE weakness", "diff w/ sit-to-stand", "trouble getting out of car"),
    ),
    "generalized_weakness": Bank(("weakness", "gen weakness", "generalized weakness"), ("weak",)),
    "myalgia": Bank(("myalgias", "muscle aches", "thigh pain", "mm pain"), ("sore muscles",)),
    "fatigue": Bank(("fatigue", "tiredness", "malaise"), ("low energy",)),
    "dysphagia": Bank(
        ("dysphagia", "trouble swallowing", "choking on liquids"), ("swallow probs",)
    ),
    "dysphonia": Bank(("hoarseness", "slurred speech", "dysarthria"), ("voice change",)),
    "rash": Bank(("rash", "skin rash"), ("skin changes",)),
}

# --- affirmative clauses: (before, span, after); subject stays outside the span ---
CLAUSES_PRESENT: dict[str, Bank[tuple[str, str, str]]] = {
    "proximal_weakness": Bank(
        (
            ("{Subj} now ", "needs the banister to climb stairs", "."),
            ("{Subj} has to ", "push up with {pos} arms to stand from a chair", "."),
            ("{Subj} ", "can no longer get up from the floor without help", "."),
            ("{Pos} ", "legs gave way", " on the stairs twice."),
            ("{Subj} ", "has fallen three times since the spring because {pos} legs gave out", "."),
            ("{Subj} ", "cannot lift {pos} arms to wash {pos} hair", "."),
            ("{Subj} ", "uses {pos} arms to climb out of the bath", "."),
            ("{Subj} ", "cannot hold {pos} head up", " when sitting in the car."),
        ),
        (
            ("{Subj} ", "struggles to get up from the sofa", " without rocking forward."),
            ("{Subj} ", "has to pull on the rail to get up the steps", " at home."),
            ("Getting in and out of the car ", "has become very hard", "."),
        ),
    ),
    "myalgia": Bank(
        (
            ("{Pos} ", "thighs ache", " most of the day."),
            ("{Subj} describes ", "a deep ache in the thighs and upper arms", "."),
            ("{Pos} ", "muscles are sore", " even at rest."),
            ("", "Muscle pain", " is worse after walking."),
        ),
        (("{Subj} says {pos} ", "muscles feel bruised", "."),),
    ),
    "fatigue": Bank(
        (
            ("{Subj} ", "feels exhausted", " by the afternoon."),
            ("{Subj} is ", "tired all the time", "."),
            ("{Subj} reports ", "fatigue", " that limits {pos} day."),
        ),
        (("{Subj} ", "has no energy", " for housework."),),
    ),
    "dysphagia": Bank(
        (
            ("{Subj} ", "chokes on water and coughs after drinking", "."),
            ("", "Food gets stuck", " when {subj} eats bread or meat."),
            ("{Subj} ", "has trouble swallowing solids", "."),
            ("{Subj} ", "coughs on thin liquids", "."),
        ),
        (("{Subj} ", "has to wash tablets down with yoghurt", " because they stick."),),
    ),
    "dysphonia": Bank(
        (
            ("{Pos} ", "voice sounds wet", " after drinking."),
            ("{Pos} ", "voice has become hoarse", "."),
            ("{Pos} ", "speech is slurred", " by the evening."),
        ),
        (("{Pos} family say {pos} ", "voice has gone nasal", "."),),
    ),
}

# --- normal-function statements: the span denies the finding ---
CLAUSES_ABSENT: dict[str, Bank[tuple[str, str, str]]] = {
    "proximal_weakness": Bank(
        (
            ("{Subj} can ", "climb stairs without difficulty", "."),
            ("{Subj} ", "gets up from the floor without using {pos} hands", "."),
            ("", "Rises from a squat unaided", "."),
            ("{Subj} is still able to ", "lift {pos} arms overhead", " without trouble."),
            ("", "Able to rise from a chair with arms crossed", "."),
        ),
        (("{Subj} ", "carries the shopping up the stairs", " without a problem."),),
    ),
    "dysphagia": Bank(
        (("", "Swallowing normal", "."), ("", "Swallowing OK, no choking", ".")),
        (("{Subj} ", "eats and drinks normally", "."),),
    ),
}

# --- short terms for review-of-systems lists ---
ROS_TERMS: dict[str, Bank[str]] = {
    "proximal_weakness": Bank(
        ("proximal weakness", "difficulty climbing stairs"), ("hip weakness",)
    ),
    "generalized_weakness": Bank(("weakness", "muscle weakness"), ("weakness of limbs",)),
    "myalgia": Bank(("myalgias", "muscle pain", "myalgia", "muscle aches"), ("muscle soreness",)),
    "fatigue": Bank(("fatigue", "malaise"), ("tiredness",)),
    "dysphagia": Bank(
        ("dysphagia", "difficulty swallowing", "trouble swallowing"), ("odynophagia or dysphagia",)
    ),
    "dysphonia": Bank(("hoarseness", "voice change"), ("dysphonia",)),
    "rash": Bank(("rash", "skin rash", "rashes"), ("skin lesions or rash",)),
    "muscle_atrophy": Bank(("muscle wasting",), ("muscle atrophy",)),
    "distal_weakness": Bank(("hand weakness",), ("weak grip",)),
}

# Misspellings nmnlp's lexicon lists (a span may carry one at a small rate).
SPAN_TYPOS: Mapping[str, tuple[str, ...]] = {
    "weakness": ("weakenss", "weaknes"),
    "fatigue": ("fatique", "fatige"),
    "myalgia": ("mylagia", "myaglia"),
    "myalgias": ("mylagias", "myalgais"),
    "dysphagia": ("dysphagea", "disphagia"),
    "hoarseness": ("hoarsness",),
    "atorvastatin": ("atrovastatin", "atorvastain"),
    "simvastatin": ("simvastation",),
}

# --- sentence frames per status ---
_FRAMES_FULL: dict[str, Bank[str]] = {
    "present": Bank(
        (
            "{Subj} reports {X}.",
            "{Subj} describes {X}.",
            "{Subj} complains of {X}.",
            "{Subj} has noticed {X}.",
            "{Subj} has developed {X}.",
            "{Subj} has had {X}.",
            "{Subj} endorses {X}.",
            "There is {X}.",
            "Also reports {X}.",
            "{Subj} notes {X}.",
        ),
        ("{Subj} admits to {X}.", "New {X} is reported.", "{Subj} mentions {X}."),
    ),
    "absent": Bank(
        (
            "No {X}.",
            "{Subj} denies {X}.",
            "Denies {X}.",
            "No complaints of {X}.",
            "{Subj} has no {X}.",
            "{X}: denies.",
            "{X} - denies.",
            "Negative for {X}.",
            "No reported {X}.",
        ),
        ("{Subj} is not aware of any {X}.", "Absence of {X}.", "{Subj} has not had {X}."),
    ),
    "possible": Bank(
        (
            "Possible {X}.",
            "Questionable {X}.",
            "{Subj} may have some {X}.",
            "? {X}.",
            "Cannot exclude {X}.",
            "Unclear whether there is true {X}.",
            "Possibly some {X}.",
        ),
        ("{X}, uncertain.", "Equivocal {X}."),
    ),
    "hypothetical": Bank(
        (
            "Return if {subj} develops {X}.",
            "Advised to call if {subj} notices {X}.",
            "Seek care for any {X}.",
            "If {subj} develops {X}, {subj} should come back sooner.",
            "Watch for {X}.",
        ),
        ("Should {subj} notice {X}, contact the clinic.", "Report any {X} promptly."),
    ),
}

_FRAMES_TERSE: dict[str, Bank[str]] = {
    "present": Bank(
        ("c/o {X}", "+{X}", "reports {X}", "endorses {X}", "{X}"), ("(+) {X}", "notes {X}")
    ),
    "absent": Bank(
        ("no {X}", "denies {X}", "neg {X}", "{X}: no", "(-) {X}"), ("{X} - none", "no c/o {X}")
    ),
    "possible": Bank(("?{X}", "poss {X}", "r/o {X}", "{X}?"), ("question of {X}",)),
    "hypothetical": Bank(("RTC if {X}", "return if {X}", "RTED for {X}"), ("ret prec: {X}",)),
}

_LIST_FRAMES: dict[str, Bank[str]] = {
    "absent": Bank(
        ("No {X}.", "{Subj} denies {X}.", "Denies {X}.", "Negative for {X}.", "No {X} reported."),
        ("{Subj} has not noticed {X}.",),
    ),
    "present": Bank(
        ("{Subj} also reports {X}.", "Positive for {X}.", "Also {X}."), ("Endorses {X}.",)
    ),
    "hypothetical": Bank(
        (
            "Return precautions: return if {subj} develops {X}.",
            "Advised to seek care for {X}.",
            "Return if {subj} develops {X}.",
            "Call if {X}.",
        ),
        ("Should {subj} notice {X}, return promptly.",),
    ),
}

_TIME_FULL: Bank[str] = Bank(
    (
        " for {d}",
        " over the past {d}",
        " for about {d}",
        " that began {d} ago",
        ", gradually worsening over {d}",
        " for the last {d}",
    ),
    (" which started some {d} ago", ", progressive over {d}"),
)
_TIME_TERSE: Bank[str] = Bank((" x {d}", " x{d}", " for {d}", " ({d})"), (" ~{d}",))

_QUALIFIABLE = (
    "weakness",
    "proximal",
    "difficulty",
    "trouble",
    "muscle",
    "shoulder",
    "hip",
    "pelvic",
    "neck",
    "thigh",
    "dysphagia",
    "fatigue",
    "myalgia",
    "hoarseness",
)
_QUALIFIERS = Bank(("progressive ", "worsening ", "increasing ", "mild ", "severe "), ("gradual ",))


def duration_phrase(d: Draw, months: float) -> str:
    """A duration written as a clinician would ("4 months", "6 wks", "3 mo")."""
    if months < 1:
        n = max(1, round(months * 4.3))
        full = f"{n} week" + ("s" if n > 1 else "")
        short = d.pick((f"{n} wks", f"{n}w", f"{n} weeks")) if n > 1 else "1 wk"
    elif months >= 24:
        n = round(months / 12)
        full = f"{n} years"
        short = d.pick((f"{n} yrs", f"{n}y", f"{n} years"))
    else:
        n = round(months)
        full = f"{n} month" + ("s" if n > 1 else "")
        short = d.pick((f"{n} mo", f"{n} mos", f"{n}mo", f"{n} months"))
    return short if d.terse else full


def maybe_typo(d: Draw, text: str, rate: float = 0.03) -> str:
    """Replace one word of a span by a lexicon-known misspelling, at a small seeded rate."""
    words = text.split(" ")
    hits = [i for i, w in enumerate(words) if w.lower() in SPAN_TYPOS]
    if not hits or not d.chance(rate):
        return text
    i = d.pick(hits)
    typo = d.pick(SPAN_TYPOS[words[i].lower()])
    words[i] = typo.capitalize() if words[i][0].isupper() else typo
    return " ".join(words)


def finding_np(d: Draw, concept: str, override: Bank[str] | None = None) -> str:
    """A neutral finding phrase for ``concept`` (register-aware), placeholders filled."""
    if override is not None:
        bank = override
    elif d.terse and concept in NP_TERSE and d.chance(0.6):
        bank = NP_TERSE[concept]
    else:
        bank = NP[concept]
    return maybe_typo(d, d.fmt(d.pick(bank)))


def _frame(d: Draw, status: str, listing: bool = False) -> tuple[str, str]:
    if listing and not d.terse:
        frame = d.pick(_LIST_FRAMES[status])
    else:
        frame = d.pick((_FRAMES_TERSE if d.terse else _FRAMES_FULL)[status])
    before, after = split_frame(frame)
    return d.fmt(before), d.fmt(after)


def finding_sentence(
    d: Draw,
    concept: str,
    status: str,
    *,
    phrase: str | None = None,
    tags: Sequence[Tag] = (),
    time: str | None = None,
) -> Pieces:
    """One sentence asserting ``concept`` with ``status``.

    Args:
        d: The note's draw.
        concept: Concept key of the finding.
        status: ``present``, ``absent``, ``possible`` or ``hypothetical``.
        phrase: The finding phrase (default: drawn from :data:`NP`).
        tags: Extra tags the same span asserts.
        time: A duration to append to present findings ("4 months").
    """
    text = phrase if phrase is not None else finding_np(d, concept)
    before, after = _frame(d, status)
    if status != "present":
        text = strip_article(text)
    span = find(text, concept, status, *tags)
    tail = after
    if status == "present" and time and after.rstrip() in {".", ""}:
        tail = d.pick(_TIME_TERSE if d.terse else _TIME_FULL).format(d=time) + after
    return capitalize_first([plain(before), span, plain(tail)])


def present_sentence(
    d: Draw, concept: str, *, time: str | None = None, override: Bank[str] | None = None
) -> Pieces:
    """An affirmative sentence: a clause ("her thighs ache") or subject + verb + phrase."""
    if override is None and not d.terse and concept in CLAUSES_PRESENT and d.chance(0.35):
        before, span, after = d.pick(CLAUSES_PRESENT[concept])
        return capitalize_first(
            [plain(d.fmt(before)), find(d.fmt(span), concept, "present"), plain(d.fmt(after))]
        )
    text = finding_np(d, concept, override)
    if text.lower().startswith(_QUALIFIABLE) and d.chance(0.35):
        text = d.pick(_QUALIFIERS) + text
        # keep the qualifier outside the span
        qual, _, core = text.partition(" ")
        before, after = _frame(d, "present")
        tail = after
        if time and after.rstrip() in {".", ""}:
            tail = d.pick(_TIME_TERSE if d.terse else _TIME_FULL).format(d=time) + after
        return capitalize_first(
            [plain(before + qual + " "), find(core, concept, "present"), plain(tail)]
        )
    return finding_sentence(d, concept, "present", phrase=text, time=time)


def absent_clause(d: Draw, concept: str) -> Pieces | None:
    """A normal-function statement denying ``concept`` ("can climb stairs without difficulty")."""
    if concept not in CLAUSES_ABSENT:
        return None
    before, span, after = d.pick(CLAUSES_ABSENT[concept])
    return capitalize_first(
        [plain(d.fmt(before)), find(d.fmt(span), concept, "absent"), plain(d.fmt(after))]
    )


def list_sentence(d: Draw, items: Sequence[tuple[str, str]], status: str) -> Pieces:
    """One sentence listing several findings with the same status.

    Args:
        d: The note's draw.
        items: ``(concept, phrase)`` pairs.
        status: ``absent``, ``present`` or ``hypothetical``.
    """
    before, after = _frame(d, status, listing=True)
    spans = [
        find(phrase if status == "present" else strip_article(phrase), concept, status)
        for concept, phrase in items
    ]
    conj = "or" if status in {"absent", "hypothetical"} else "and"
    if d.terse:
        conj = d.pick(("or", "/", "")) if status == "absent" else "+"
        spans_joined: Pieces = []
        for i, span in enumerate(spans):
            if i:
                spans_joined.append(
                    plain(", " if conj == "" else f" {conj} " if conj != "/" else "/")
                )
            spans_joined.append(span)
        return capitalize_first([plain(before), *spans_joined, plain(after)])
    return capitalize_first(
        [plain(before), *join_list(spans, conj, oxford=d.chance(0.3)), plain(after)]
    )


def hypothetical_sentence(d: Draw, items: Sequence[tuple[str, str]]) -> Pieces:
    """Return precautions naming the findings in ``items`` (all hypothetical)."""
    return list_sentence(d, items, "hypothetical")


def strip_article(text: str) -> str:
    """``a hoarse voice`` -> ``hoarse voice`` (for "No ...", "Possible ..." frames)."""
    for article in ("a ", "an ", "A ", "An "):
        if text.startswith(article):
            return text[len(article) :]
    return text


def piece_text(pieces: Sequence[Piece]) -> str:
    """The plain text of pieces (for length checks; never logged)."""
    return "".join(p.text for p in pieces)
