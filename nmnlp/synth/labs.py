"""Lab results written the many ways clinicians write them (CK, aldolase, antibodies).

Each function returns pieces whose finding span runs from the analyte name
through its value, unit, reference range and flag; the CK value in U/L is
recorded on the span's tag so ``ck_max_u_per_l`` is exact by construction.
"""

from __future__ import annotations

from collections.abc import Sequence

from .draw import Bank, Draw
from .model import Tag
from .render import Pieces, find, plain

__all__ = [
    "OTHER_ANTIBODIES",
    "aldolase_result",
    "antibody_result",
    "ck_fold_result",
    "ck_result",
    "ck_trend",
    "ck_words",
    "msa_panel",
    "number",
]

CK_NAMES: Bank[str] = Bank(
    ("CK", "CK", "CK", "CPK", "creatine kinase", "Creatine kinase", "serum CK", "total CK"),
    ("creatine phosphokinase", "CK (total)", "S-CK"),
)
CK_NAMES_TERSE: Bank[str] = Bank(("CK", "CK", "CPK"), ("Ck",))
UNITS: Bank[str] = Bank((" U/L", " U/L", " IU/L", "", "", " units/L"), (" U/l", " IU/l"))

OTHER_ANTIBODIES: tuple[str, ...] = (
    "Jo-1",
    "PL-7",
    "PL-12",
    "EJ",
    "OJ",
    "Mi-2",
    "MDA5",
    "TIF1-gamma",
    "NXP2",
    "SAE",
    "Ku",
    "PM-Scl",
)


def number(d: Draw, value: float) -> str:
    """A value as written: ``12,450``, ``12450`` or ``12 450`` (integers) or ``38.2``."""
    if value != int(value):
        return f"{value:.1f}"
    v = int(value)
    if v < 1000:
        return str(v)
    style = d.weighted({"comma": 0.6, "plain": 0.3, "space": 0.1 if v >= 10000 else 0.0})
    if style == "comma":
        return f"{v:,}"
    if style == "space":
        return f"{v:,}".replace(",", " ")
    return str(v)


def _ref(d: Draw, lo: int, uln: int) -> str:
    return d.pick(
        Bank(
            (
                f" (ref {lo}-{uln})",
                f" (ref {lo}-{uln})",
                f" (normal {lo}-{uln})",
                f" (nl <{uln})",
                f" [{lo}-{uln}]",
                f" (ULN {uln})",
                f" (reference range {lo}-{uln})",
            ),
            (f" (N: {lo}-{uln})", f" (ref. {lo} - {uln})"),
        )
    )


def ck_result(
    d: Draw, value: int, lo: int, uln: int, status: str, *, table: bool = False
) -> Pieces:
    """One CK measurement: ``CK 12,450 U/L (ref 30-200)``, ``CPK: 8500``, ``CK>22k`` ...

    Args:
        d: The note's draw.
        value: The value in U/L (its status decides whether it is above ``uln``).
        lo: Lower reference limit.
        uln: Upper reference limit.
        status: Gold status of the span (``present`` for elevated values,
            ``absent`` for normal ones, or ``historical`` / ``family`` / ``hypothetical``).
        table: Write a table row (``CK | 8500 | H | 30-200``).
    """
    high = value > uln
    tag_value = float(value)
    if table:
        name = d.pick(("CK", "CK (U/L)", "CPK", "Creatine kinase"))
        flag = ("H" if high else "") if d.chance(0.8) else ("HH" if value > 10 * uln else "H")
        if not high:
            flag = d.pick(("", "N", ""))
        layout = d.pick(("pipe", "space"))
        if layout == "pipe":
            text = f"{name} | {number(d, value)} | {flag} | {lo}-{uln}"
        else:
            text = f"{name}      {number(d, value)}  {flag}  ({lo}-{uln})".replace("   ", "  ")
        return [find(text, "ck_elevated", status, ck=tag_value)]
    name = d.pick(CK_NAMES_TERSE if d.terse else CK_NAMES)
    form = d.weighted(
        {
            "ref": 0.35,
            "colon": 0.2,
            "plain": 0.15,
            "k": 0.08 if value >= 10000 else 0.0,
            "flag": 0.1,
            "fold": 0.06 if high else 0.0,
            "ukat": 0.03,
            "of": 0.05,
        }
    )
    sep = d.pick((" ", ": ", " ")) if form != "colon" else d.pick((": ", ":"))
    if form == "k":
        rounded = round(value / 1000, 1)
        k_text = f"{rounded:g}k"
        tag_value = float(round(rounded * 1000))
        text = f"{name}{sep}{k_text}"
    elif form == "ukat":
        ukat = round(value / 60, 1)
        tag_value = round(ukat * 60, 1)
        ref_ukat = round(uln / 60, 1)
        text = f"{name} {ukat:.1f} µkat/L (ref <{ref_ukat:.1f})"
    elif form == "of":
        text = f"{name} of {number(d, value)}{d.pick(UNITS)}"
    else:
        text = f"{name}{sep}{number(d, value)}{d.pick(UNITS)}"
        if form == "ref":
            text += _ref(d, lo, uln)
        elif form == "flag":
            text += " (H)" if high else d.pick((" (N)", " - normal", ", normal"))
        elif form == "fold":
            text += f" ({max(2, round(value / uln))}x ULN)"
    if form in {"ref", "colon", "plain"} and not high and d.chance(0.5):
        text += d.pick((" - normal", ", normal", " (normal)", " - within normal limits"))
    return [find(text, "ck_elevated", status, ck=tag_value)]


def ck_above_range(d: Draw, value: int) -> Pieces:
    """``CK>22k`` style: the lab's upper linear limit, recorded as that value."""
    k = value // 1000
    text = d.pick((f"CK>{k}k", f"CK >{number(d, k * 1000)}", f"CK > {k},000 U/L"))
    note = d.pick((" (above linear range)", " (lab unable to dilute further)", ""))
    return [find(text, "ck_elevated", "present", ck=float(k * 1000)), plain(note)]


def ck_trend(d: Draw, values: Sequence[int], status: str = "present") -> Pieces:
    """A CK course in one span: ``CK trending down 9,299 -> 4,100``."""
    arrow = d.pick((" -> ", " → ", " > ", " to ", "->"))
    series = arrow.join(number(d, v) for v in values)
    falling = values[-1] < values[0]
    if falling:
        lead = d.pick(
            Bank(
                ("CK trending down ", "CK ", "CK trend: ", "CK down from ", "CPK "),
                ("CK falling ", "serial CK "),
            )
        )
    else:
        lead = d.pick(Bank(("CK rising ", "CK ", "CK trend: ", "CK climbing "), ("serial CK ",)))
    if lead == "CK down from " and len(values) == 2:
        series = f"{number(d, values[0])} to {number(d, values[1])}"
    return [find(lead + series, "ck_elevated", status, ck=float(max(values)))]


def ck_fold_result(d: Draw, fold: int) -> Pieces:
    """CK written only as a multiple of the upper limit (no value in U/L)."""
    text = d.pick(
        Bank(
            (
                f"CK {fold}x ULN",
                f"creatine kinase {fold}x ULN",
                f"CK {fold} times the upper limit of normal",
            ),
            (f"CK ~{fold}x normal",),
        )
    )
    return [find(text, "ck_elevated", "present")]


def ck_words(d: Draw, status: str) -> Pieces:
    """CK described without a number ("CK normal", "markedly elevated CK")."""
    if status == "absent":
        text = d.pick(
            Bank(
                ("CK normal", "normal CK", "CK within normal limits", "CK wnl", "CK was normal"),
                ("CK unremarkable", "CK not raised"),
            )
        )
    else:
        text = d.pick(
            Bank(
                (
                    "markedly elevated CK",
                    "CK elevated",
                    "raised CK",
                    "high CK",
                    "persistently elevated CK",
                ),
                ("hyperCKemia", "CK through the roof"),
            )
        )
    return [find(text, "ck_elevated", status)]


def aldolase_result(d: Draw, value: float, uln: float) -> Pieces:
    """``Aldolase 38.2 U/L (ref <8.1)``; status from the value."""
    status = "present" if value > uln else "absent"
    name = d.pick(("Aldolase", "aldolase", "Aldolase", "ALD"))
    ref = d.pick((f" (ref <{uln})", f" (nl <{uln})", "", f" (0-{uln})"))
    unit = d.pick((" U/L", "", " U/L"))
    flag = d.pick(("", " (H)")) if status == "present" else d.pick(("", " - normal"))
    text = f"{name} {value:.1f}{unit}{ref}{flag}"
    return [find(text, "aldolase_elevated", status)]


_POS_WORDS = Bank(
    ("positive", "POSITIVE", "pos", "+", "strongly positive", "detected"), ("reactive",)
)
_NEG_WORDS = Bank(("negative", "neg", "NEGATIVE", "not detected", "negative"), ("nonreactive",))
_PENDING_WORDS = Bank(
    ("pending", "sent", "pending (sent out)", "awaited", "in process"), ("not yet resulted",)
)

_HMGCR_NAMES = Bank(
    (
        "HMGCR Ab",
        "anti-HMGCR antibody",
        "Anti-HMGCR",
        "HMGCR antibody",
        "anti-HMGCR Ab",
        "HMG-CoA reductase antibody",
    ),
    ("anti-HMG-CoA reductase IgG", "HMGCR autoantibody"),
)
_SRP_NAMES = Bank(
    ("anti-SRP", "SRP Ab", "Anti-SRP54", "anti-SRP antibody", "SRP antibody"),
    ("anti-signal recognition particle antibody", "SRP-54 Ab"),
)


def antibody_result(
    d: Draw, concept: str, polarity: str, value: int | None = None, name: str | None = None
) -> Pieces:
    """An antibody result: ``HMGCR Ab 103 (nl <20)``, ``anti-SRP54 +``, ``SRP pending``.

    Args:
        d: The note's draw.
        concept: ``hmgcr_antibody``, ``srp_antibody`` or ``other_myositis_antibody``.
        polarity: ``positive``, ``negative`` or ``pending``.
        value: Titre for HMGCR results, if it is to be written.
        name: The antibody name for ``other_myositis_antibody`` (e.g. ``Jo-1``).
    """
    status = {"positive": "present", "negative": "absent", "pending": "hypothetical"}[polarity]
    if concept == "hmgcr_antibody":
        label = d.pick(_HMGCR_NAMES)
    elif concept == "srp_antibody":
        label = d.pick(_SRP_NAMES)
    else:
        label = d.pick((f"anti-{name}", f"{name}", f"{name} Ab", f"Anti-{name} antibody"))
    if polarity == "pending":
        text = f"{label} {d.pick(_PENDING_WORDS)}"
    elif value is not None and concept == "hmgcr_antibody":
        cutoff = 20
        if polarity == "positive":
            text = d.pick(
                (
                    f"{label} {value} (nl <{cutoff})",
                    f"{label} {value} CU (ref <{cutoff})",
                    f"{label}: {value} units (positive >{cutoff - 1})",
                    f"{label} >{value} CU - positive",
                )
            )
        else:
            text = d.pick((f"{label} {value} (nl <{cutoff})", f"{label} <{cutoff} - negative"))
    else:
        word = d.pick(_POS_WORDS if polarity == "positive" else _NEG_WORDS)
        sep = d.pick((" ", ": ", " "))
        text = f"{label}{sep}{word}"
    return [find(text, concept, status)]


def msa_panel(d: Draw, names: Sequence[str]) -> Pieces:
    """A negative myositis panel with each antibody named as its own (absent) span."""
    head = d.pick(
        Bank(
            (
                "MSA panel neg",
                "Myositis panel negative",
                "Extended myositis panel negative",
                "Myositis-specific antibodies negative",
                "MSA/MAA panel: negative",
            ),
            ("Myositis blot negative",),
        )
    )
    out: Pieces = [find(head, "other_myositis_antibody", "absent"), plain(" (")]
    for i, name in enumerate(names):
        if i:
            out.append(plain(", "))
        out.append(find(name, "other_myositis_antibody", "absent"))
    out.append(plain(")"))
    return out


def tag_ck(value: float, status: str) -> Tag:
    """A CK tag (for spans built elsewhere)."""
    return Tag("ck_elevated", status, value)
