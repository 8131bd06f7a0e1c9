"""Findings sections: examination, labs, imaging, EMG and pathology."""

from __future__ import annotations

from . import exam, labs, workup
from .draw import Bank
from .note_context import (
    Ctx,
    lower_first,
)
from .render import Pieces, capitalize_first, find, plain


def _rash_exam(ctx: Ctx) -> Pieces:
    d, kind = ctx.d, ctx.case.rash_exam
    if kind == "dm":
        signs = d.sample(
            (
                ("heliotrope rash", " with periorbital oedema"),
                ("Gottron papules", " over the MCP and PIP joints"),
                ("shawl sign", " over the upper back"),
                ("V-sign", " on the anterior chest"),
                ("periungual erythema", ""),
                ("Gottron's sign", " over the knees"),
            ),
            d.randint(1, 3),
        )
        items = [[find(s, "rash", "present"), plain(t)] for s, t in signs]
        out: Pieces = [plain("Skin: ")]
        for i, item in enumerate(items):
            if i:
                out.append(plain("; "))
            out.extend(item)
        return out + [plain(".")]
    if kind == "mechanic":
        return [
            plain("Hands: "),
            find(d.pick(("mechanic's hands", "mechanics hands")), "rash", "present"),
            plain(" with fissured, hyperkeratotic radial fingers."),
        ]
    if kind == "drug":
        return [
            plain("Skin: "),
            find(
                d.pick(
                    (
                        "diffuse morbilliform eruption",
                        "widespread maculopapular rash",
                        "blanching erythematous rash",
                    )
                ),
                "rash",
                "present",
            ),
            plain(" over the trunk and proximal limbs; no mucosal involvement."),
        ]
    if kind in ("absent", "absent_simple"):
        form = (
            d.pick(("no_rash", "dm_neg", "skin"))
            if kind == "absent"
            else d.pick(("no_rash", "skin"))
        )
        if form == "dm_neg":
            return [
                plain("No "),
                find("heliotrope rash", "rash", "absent"),
                plain(" or "),
                find("Gottron papules", "rash", "absent"),
                plain("."),
            ]
        if form == "skin":
            return [plain("Skin: no "), find("rash", "rash", "absent"), plain(".")]
        return [
            plain("No "),
            find(d.pick(("rash", "skin rash")), "rash", "absent"),
            plain(d.pick((".", " on face or hands."))),
        ]
    return []


def sec_exam(ctx: Ctx) -> Pieces:
    """Examination: vitals, skin, MRC grades, functional signs, bulk, family extras."""
    d, c = ctx.d, ctx.case
    lines: list[Pieces] = []
    if d.chance(0.5):
        lines.append(
            [
                plain(
                    ctx.fill(
                        d.pick(
                            (
                                "Afebrile, HR {tsh_int}, BP 132/78.",
                                "T 36.8, HR 84, BP 128/76.",
                                "Vitals stable.",
                                "Obs normal.",
                            )
                        ).replace("{tsh_int}", str(d.randint(60, 98)))
                    )
                )
            ]
        )
    rash = _rash_exam(ctx)
    if rash:
        lines.append(rash)
    if c.strength:
        rows = c.strength
        prox = [r for r in rows if exam.SITES[r[0]][0] == "proximal_weakness"]
        dist = [r for r in rows if exam.SITES[r[0]][0] == "distal_weakness"]
        if (
            prox
            and dist
            and all(r[1] == r[2] for r in rows)
            and d.chance(0.15)
            and len({r[1] for r in prox}) == 1
            and all(r[1] == "5" for r in dist)
        ):
            lines.append(exam.strength_regional(d, prox[0][1], "5"))
        else:
            lines.append(exam.strength_exam(d, rows))
    elif c.strength_normal:
        lines.append(exam.strength_normal(d))
    if c.functional:
        lines.append(exam.functional_exam(d, c.functional))
    if c.atrophy:
        lines.append(exam.atrophy_exam(d, c.atrophy[0], c.atrophy[1] or "proximal"))
    for text in c.extra.get("exam", []):
        lines.append(ctx.markup(text))
    if d.chance(0.4):
        lines.append(
            [
                plain(
                    d.pick(
                        (
                            "Reflexes 2+ and symmetric.",
                            "Sensation intact.",
                            "DTRs 1+ symmetric.",
                            "Cranial nerves intact.",
                            "No fasciculations.",
                        )
                    )
                )
            ]
        )
    if not lines:
        return []
    sep = "\n" if d.chance(0.6) else " "
    out: Pieces = []
    for i, line in enumerate(lines):
        if i:
            out.append(plain(sep))
        out.extend(line)
    return out


def _ck_lines(ctx: Ctx) -> list[Pieces]:
    d, c = ctx.d, ctx.case
    ck = c.ck
    if ck is None:
        return []
    lines: list[Pieces] = []
    when = Bank(
        ("on admission", "at referral", "peak", "today", "on presentation", "initial"),
        ("at first visit",),
    )
    if ck.fold_only and max(ck.values) > ck.uln:
        lines.append(labs.ck_fold_result(d, max(2, round(max(ck.values) / ck.uln))))
    elif ck.above_range:
        lines.append(labs.ck_above_range(d, max(22000, max(ck.values))))
        if len(ck.values) > 1:
            lines.append(labs.ck_trend(d, ck.values[1:]))
    elif len(ck.values) > 1 and d.chance(0.5):
        lines.append(labs.ck_trend(d, ck.values))
    else:
        table = d.chance(0.12)
        for value in ck.values:
            status = "present" if value > ck.uln else "absent"
            line = labs.ck_result(d, value, ck.lo, ck.uln, status, table=table)
            if not table and d.chance(0.4):
                line = line + [plain(" " + d.pick(when))]
            lines.append(line)
    if ck.later_normal is not None:
        lines.append(
            labs.ck_result(d, ck.later_normal, ck.lo, ck.uln, "absent") + [plain(" at follow-up")]
        )
    return lines


def sec_labs(ctx: Ctx) -> Pieces:
    """Labs: CK values or trend, aldolase, other labs, antibodies, myositis panel."""
    d, c = ctx.d, ctx.case
    lines = _ck_lines(ctx)
    if c.aldolase:
        lines.append(labs.aldolase_result(d, *c.aldolase))
    for text in c.extra.get("labs", []):
        lines.append(ctx.markup(text))
    if (
        c.hmgcr
        and c.hmgcr[0] != "pending"
        or (c.hmgcr and c.hmgcr[0] == "pending" and d.chance(0.6))
    ):
        lines.append(labs.antibody_result(d, "hmgcr_antibody", c.hmgcr[0], c.hmgcr[1]))
    if c.srp and (c.srp != "pending" or d.chance(0.6)):
        lines.append(labs.antibody_result(d, "srp_antibody", c.srp))
    for name, polarity in c.other_abs:
        if name == "cN1A":
            lines.append(
                [
                    find(
                        f"Anti-cN1A {polarity}",
                        "other_myositis_antibody",
                        "present" if polarity == "positive" else "absent",
                    )
                ]
            )
        else:
            lines.append(labs.antibody_result(d, "other_myositis_antibody", polarity, name=name))
    if c.msa_panel:
        names = d.sample(
            (
                "Jo-1",
                "PL-7",
                "PL-12",
                "EJ",
                "OJ",
                "Mi-2",
                "Ku",
                "MDA5",
                "TIF1-gamma",
                "NXP2",
                "SAE",
            ),
            d.randint(4, 8),
        )
        lines.append(labs.msa_panel(d, names))
    if not lines:
        return []
    inline = d.terse and d.chance(0.4)
    out: Pieces = []
    for i, line in enumerate(lines):
        if i:
            out.append(plain("; " if inline else "\n"))
        out.extend(line)
    return out


def sec_imaging(ctx: Ctx) -> Pieces:
    """Imaging: thigh MRI and family-specific studies."""
    d, c = ctx.d, ctx.case
    lines: list[Pieces] = []
    if c.mri and c.mri not in ("none", "pending"):
        lead = d.pick(
            (
                "MRI thighs: ",
                "MRI both thighs (STIR/T1): ",
                "Thigh MRI: ",
                "MRI of the thighs showed ",
            )
        )
        report = workup.mri_report(d, c.mri)
        lines.append([plain(lead)] + (lower_first(report) if lead.endswith("showed ") else report))
    for text in c.extra.get("imaging", []):
        lines.append(ctx.markup(text))
    out: Pieces = []
    for i, line in enumerate(lines):
        if i:
            out.append(plain("\n"))
        out.extend(line)
    return out


def sec_emg(ctx: Ctx) -> Pieces:
    """EMG result."""
    c = ctx.case
    if not c.emg or c.emg in ("none", "pending"):
        return []
    return capitalize_first(workup.emg_report(ctx.d, c.emg))


def sec_pathology(ctx: Ctx) -> Pieces:
    """Muscle-biopsy result."""
    d, c = ctx.d, ctx.case
    if not c.biopsy or c.biopsy in ("none", "pending"):
        return []
    site = d.pick(("right vastus lateralis", "left deltoid", "left quadriceps", "right biceps"))
    lead = d.pick((f"({site}, {{month}} {{day}}): ", f"{site[0].upper()}{site[1:]} biopsy: ", ""))
    return capitalize_first([plain(ctx.fill(lead))] + workup.biopsy_report(d, c.biopsy))
