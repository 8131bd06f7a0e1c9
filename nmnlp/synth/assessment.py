"""Closing sections: hospital course, assessment, plan, diagnoses, instructions, sign-off."""

from __future__ import annotations

from . import labs, phrases, workup
from .note_context import (
    Ctx,
    age_sex,
    chief_pieces,
    join_sentences,
    list_block,
    lower_first,
)
from .render import Pieces, capitalize_first, find, plain


def sec_course(ctx: Ctx) -> Pieces:
    """Hospital / ED course: treatment given and the CK trend."""
    d, c = ctx.d, ctx.case
    sentences: list[Pieces] = []
    if c.label and ctx.style.name == "ed_note":
        sentences.append(
            [
                plain(
                    d.pick(
                        (
                            "IV fluids started; neurology consulted in the ED.",
                            "Admitted under medicine for work-up.",
                            "Neurology saw the patient in the ED; admit for investigations.",
                        )
                    )
                )
            ]
        )
    elif c.label:
        sentences.append(
            [
                plain(
                    d.pick(
                        (
                            "Treated with pulse methylprednisolone, then prednisone 60 mg daily.",
                            "Received IVIG 2 g/kg and prednisone 1 mg/kg.",
                            "Started on prednisone; IVIG given over 5 days.",
                        )
                    )
                )
            ]
        )
    else:
        if c.plan:
            lead = d.pick(("Managed as follows: ", "Management: ", "In hospital: "))
            body: Pieces = [plain(lead)]
            for i, item in enumerate(c.plan[:2]):
                body += ([plain("; ")] if i else []) + lower_first(ctx.markup(item))
            sentences.append(body + [plain(".")])
    if c.ck and len(c.ck.values) > 1:
        sentences.append(
            labs.ck_trend(d, c.ck.values)
            + [plain(d.pick((".", " over the admission.", " with treatment.")))]
        )
    sentences.append(
        [
            plain(
                d.pick(
                    (
                        "Mobilising with physiotherapy.",
                        "Observations stable throughout.",
                        "Seen by PT/OT.",
                        "No complications.",
                    )
                )
            )
        ]
    )
    return join_sentences(ctx, sentences)


def _summary(ctx: Ctx) -> Pieces:
    d, c = ctx.d, ctx.case
    parts: Pieces = [plain(f"{age_sex(ctx)} with ")]
    parts += chief_pieces(ctx)
    if c.ck and c.ck.values and d.chance(0.7):
        top = max(c.ck.values)
        if top > c.ck.uln:
            text = d.pick(
                (
                    f"CK {labs.number(d, top)}",
                    f"CK to {labs.number(d, top)}",
                    f"peak CK {labs.number(d, top)}",
                )
            )
            parts += [plain(", "), find(text, "ck_elevated", "present", ck=float(top))]
        else:
            parts += [
                plain(", "),
                find(d.pick(("normal CK", "CK normal")), "ck_elevated", "absent"),
            ]
    if c.hmgcr and c.hmgcr[0] == "positive" and d.chance(0.6):
        parts += [
            plain(" and "),
            find(
                d.pick(("HMGCR Ab positive", "anti-HMGCR +", "positive anti-HMGCR")),
                "hmgcr_antibody",
                "present",
            ),
        ]
    if c.srp == "positive" and d.chance(0.6):
        parts += [
            plain(" and "),
            find(d.pick(("anti-SRP positive", "SRP+")), "srp_antibody", "present"),
        ]
    parts.append(plain("."))
    return capitalize_first(parts)


def sec_assessment(ctx: Ctx) -> Pieces:
    """Assessment: one-line summary, named diagnoses with their status, differentials."""
    d, c = ctx.d, ctx.case
    sentences: list[Pieces] = []
    if ctx.letter_prose:
        sentences.append([plain(d.pick(("My impression is as follows.", "In summary:", "")))])
    sentences.append(_summary(ctx))
    if c.imnm_dx:
        status, kind = c.imnm_dx
        sentences.append(workup.dx_sentence(d, workup.IMNM_DX[kind], "imnm_diagnosis", status))
    for key, status in c.alt_dx:
        sentences.append(workup.dx_sentence(d, workup.ALT_DX[key], "alternative_diagnosis", status))
    for text in c.extra.get("assessment", []):
        sentences.append(ctx.markup(text))
    unrelated = {
        "stroke_dysphagia": "Acute ischaemic stroke with post-stroke "
        "[[dysphagia|present|dysphagia]].",
        "mi_ck": "Inferior STEMI.",
        "knee_pain_ros": "Medial compartment osteoarthritis of the knee.",
        "family_history_visit": "Asymptomatic; family history as above. Normal examination.",
        "cardiology_resolved": "Stable CAD post-PCI, LDL at target.",
    }
    if c.family in unrelated:
        sentences.append(ctx.markup(unrelated[c.family]))
    if c.family == "drug_rash":
        sentences.append(
            [
                find(
                    d.pick(("Drug eruption", "Morbilliform drug eruption", "Drug rash")),
                    "rash",
                    "present",
                ),
                plain(", likely culprit as above."),
            ]
        )
    return join_sentences(ctx, sentences)


def _pending_items(ctx: Ctx) -> list[Pieces]:
    d, c = ctx.d, ctx.case
    items: list[Pieces] = []
    if c.hmgcr and c.hmgcr[0] == "pending":
        items.append(
            [
                plain(d.pick(("f/u ", "Await ", "Chase "))),
                find(
                    d.pick(("HMGCR Ab", "anti-HMGCR", "HMGCR antibody")),
                    "hmgcr_antibody",
                    "hypothetical",
                ),
            ]
        )
    if c.srp == "pending":
        items.append(
            [
                plain(d.pick(("f/u ", "Await "))),
                find(d.pick(("SRP Ab", "anti-SRP")), "srp_antibody", "hypothetical"),
            ]
        )
    if c.biopsy == "pending":
        items.append(workup.biopsy_report(d, "pending"))
    if c.emg == "pending":
        items.append(workup.emg_report(d, "pending"))
    if c.mri == "pending":
        items.append(workup.mri_report(d, "pending"))
    return items


def sec_plan(ctx: Ctx) -> Pieces:
    """Plan items, pending tests (hypothetical), repeat CK and return precautions."""
    d, c = ctx.d, ctx.case
    items: list[Pieces] = [ctx.markup(p) for p in c.plan]
    s = c.statin
    if c.label and s and s.status == "present":
        if s.when == "current":
            verb, tail = d.pick(
                (
                    ("Stop ", " permanently"),
                    ("Discontinue ", ""),
                    ("Stop ", " - do not restart"),
                    ("Hold ", ""),
                )
            )
        else:
            verb, tail = d.pick(
                (
                    ("Do not restart ", ""),
                    ("Keep ", " stopped"),
                    ("Remain off ", ""),
                    ("Continue to hold ", ""),
                )
            )
        items.insert(0, [plain(verb), find(s.drug, "statin_exposure", "present"), plain(tail)])
    items += _pending_items(ctx)
    if c.repeat_ck:
        span, tail = d.pick(
            (
                ("Repeat CK", " in 4 weeks"),
                ("Daily CK", " and LFTs"),
                ("Recheck CK", " in 48 h"),
                ("CK", " at next visit"),
                ("Weekly CK", ""),
            )
        )
        items.append([find(span, "ck_elevated", "hypothetical"), plain(tail)])
        items[-1] = capitalize_first(items[-1])
    if c.label and d.chance(0.15):
        threshold = d.pick((1000, 5000, 10000))
        items.append(
            [
                plain("If "),
                find(
                    f"CK rises above {labs.number(d, threshold)}",
                    "ck_elevated",
                    "hypothetical",
                    ck=float(threshold),
                ),
                plain(", escalate therapy"),
            ]
        )
    if c.precautions and "instructions" not in ctx.style.sections:
        items.append(_precautions(ctx))
    if not items:
        return []
    return list_block(ctx, [capitalize_first(i) for i in items])


def _precautions(ctx: Ctx) -> Pieces:
    d, c = ctx.d, ctx.case
    pairs = [(k, phrases.finding_np(d, k)) for k in c.precautions]
    out = phrases.hypothetical_sentence(d, pairs)
    for text in c.extra.get("precautions", []):
        lead = " " if out[-1].text.rstrip().endswith(".") else ". "
        out = out + [plain(f"{lead}Also return for {text}")]
    return out


def sec_instructions(ctx: Ctx) -> Pieces:
    """Discharge instructions / return precautions (hypothetical findings)."""
    c = ctx.case
    if not c.precautions and not c.extra.get("precautions"):
        return []
    if not c.precautions:
        return [plain(f"Return for {c.extra['precautions'][0]}.")]
    return _precautions(ctx)


def sec_diagnoses(ctx: Ctx) -> Pieces:
    """Diagnosis list at the top of letters and discharge summaries."""
    d, c = ctx.d, ctx.case
    items: list[Pieces] = []
    if c.imnm_dx:
        status, kind = c.imnm_dx
        piece = workup.dx_phrase(d, workup.IMNM_DX[kind], "imnm_diagnosis", status)
        if status == "possible":
            lead = d.pick(
                (
                    "[[proximal_weakness|present|Proximal myopathy]] with "
                    "[[ck_elevated|present|high CK]], possible ",
                    "Suspected ",
                    "Probable ",
                )
            )
            items.append([*ctx.markup(lead), piece])
        elif status == "present":
            items.append(capitalize_first([piece]))
    for key, status in c.alt_dx:
        if status == "present":
            items.append(
                capitalize_first(
                    [workup.dx_phrase(d, workup.ALT_DX[key], "alternative_diagnosis", status)]
                )
            )
    if not items:
        if c.family == "drug_rash":
            items.append([find("Drug eruption", "rash", "present")])
        else:
            return []
    if ctx.style.name == "discharge_summary" and c.pmh:
        items.append([plain("Secondary: " + ", ".join(c.pmh[:3]))])
    return list_block(ctx, items)


def sec_letter_close(ctx: Ctx) -> Pieces:
    """Letter sign-off."""
    d = ctx.d
    return [
        plain(
            ctx.fill(
                d.pick(("Yours sincerely,", "Kind regards,", "With best wishes,"))
                + "\n\nDr. {doc}\n"
                + d.pick(
                    (
                        "Consultant Neurologist",
                        "Consultant Rheumatologist",
                        "Specialty Registrar",
                        "Attending Physician",
                    )
                )
            )
        )
    ]
