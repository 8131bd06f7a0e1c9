"""History sections: titles, CC, HPI, ROS, PMH, medications, allergies, family, social."""

from __future__ import annotations

from . import labs, phrases
from .cases import FamilyItem
from .draw import Bank
from .model import Piece, Tag
from .note_context import (
    NONCONCEPT_CHIEF,
    SPECIALTY,
    Ctx,
    age_sex,
    chief_pieces,
    join_sentences,
    list_block,
    np_for,
)
from .render import Pieces, capitalize_first, find, join_list, plain
from .sections import title

_ROS_FILLERS = (
    "fever",
    "chills",
    "weight loss",
    "chest pain",
    "dyspnoea",
    "palpitations",
    "abdominal pain",
    "diplopia",
    "numbness",
    "tingling",
    "joint swelling",
    "Raynaud's",
    "headache",
    "cough",
    "night sweats",
    "dark urine",
)
_QUOTES: dict[str, Bank[str]] = {
    "proximal_weakness": Bank(
        (
            "I can't get up off the toilet",
            "my legs won't get me up the stairs",
            "I can't lift my arms to do my hair",
        ),
        ("my thighs just give out",),
    ),
    "myalgia": Bank(
        ("my legs ache all the time", "everything hurts in my thighs"), ("my muscles are on fire",)
    ),
    "rash": Bank(("this rash on my face won't go away",), ("my eyelids went purple",)),
    "dysphagia": Bank(("food keeps getting stuck",), ("I choke when I drink",)),
}


def sec_letter_open(ctx: Ctx) -> Pieces:
    """Letter heading, date, salutation and the referral sentence."""
    d, c = ctx.d, ctx.case
    spec = SPECIALTY[c.setting]
    head = title(d, "clinic_letter", spec, 1)
    lines = [
        head,
        "",
        ctx.fill("Date of clinic: {day} {month} {year}"),
        ctx.fill(f"Patient: {age_sex(ctx)}, MRN SYN-{{mrn}}"),
        "",
        ctx.fill("Dear Dr. {doc2},"),
        "",
    ]
    out: Pieces = [plain("\n".join(lines) + "\n")]
    intro = d.pick(
        (
            "Thank you for referring this {age_sex}, whom I saw today for ",
            "I saw your patient, a {age_sex}, in clinic today with ",
            "Many thanks for asking me to see this {age_sex} regarding ",
        )
    )
    out.append(plain(intro.replace("{age_sex}", age_sex(ctx))))
    out.extend(chief_pieces(ctx))
    out.append(plain("."))
    return out


def sec_reason(ctx: Ctx) -> Pieces:
    """Reason for consultation."""
    d, c = ctx.d, ctx.case
    if c.chief in NONCONCEPT_CHIEF:
        return []
    if d.chance(0.4):
        options = [
            "? myositis",
            "abnormal labs, advise",
            "neuromuscular opinion requested",
            "diagnostic input",
        ]
        if any(
            c.symptoms.get(k) == "present" for k in ("proximal_weakness", "generalized_weakness")
        ):
            options.append("evaluate [[generalized_weakness|present|weakness]]")
        return ctx.markup(d.pick(options))
    out = chief_pieces(ctx)
    if c.ck and c.ck.values and max(c.ck.values) > c.ck.uln and d.chance(0.5):
        out += [
            plain(" and "),
            find(d.pick(("elevated CK", "raised CK", "high CK")), "ck_elevated", "present"),
        ]
    return capitalize_first(out)


def sec_admission(ctx: Ctx) -> Pieces:
    """Discharge-summary heading with admission data."""
    spec = SPECIALTY[ctx.case.setting]
    text = ctx.fill(
        f"{title(ctx.d, 'discharge_summary', spec, 1)}\n\nAdmission: {{month}} {{day}}, {{year}}"
        f"   Length of stay: {ctx.d.randint(3, 18)} days\nService: {spec}\n"
        f"Patient: {age_sex(ctx)}"
    )
    return [plain(text)]


def sec_interval(ctx: Ctx) -> Pieces:
    """Progress-note title line."""
    spec = SPECIALTY[ctx.case.setting]
    return [plain(title(ctx.d, "progress_note", spec, int(ctx.values["hd"])))]


def sec_cc(ctx: Ctx) -> Pieces:
    """Chief complaint (a finding span, a quote or plain words)."""
    d, c = ctx.d, ctx.case
    if c.chief in _QUOTES and d.chance(0.25):
        return [plain('"'), find(d.pick(_QUOTES[c.chief]), c.chief, "present"), plain('"')]
    out = capitalize_first(chief_pieces(ctx))
    if c.chief not in NONCONCEPT_CHIEF and d.chance(0.6):
        dur = phrases.duration_phrase(d, c.months)
        out.append(plain(d.pick((f" for {dur}", f" x {dur}", f", {dur}", f" ({dur})"))))
    others = [k for k, v in c.symptoms.items() if v == "present" and k != c.chief]
    if others and d.chance(0.4):
        k = d.pick(others)
        out += [plain(d.pick((" and ", " + ", ", "))), find(np_for(ctx, k), k, "present")]
    out.append(plain("." if not d.terse else ""))
    return out


def _statin_sentence(ctx: Ctx) -> Pieces:
    d, s = ctx.d, ctx.case.statin
    if s is None:
        return []
    drug = phrases.maybe_typo(d, s.drug, 0.05)
    if d.terse and s.status == "present" and d.chance(0.3):
        drug = {"atorvastatin": "atorva", "simvastatin": "simva", "rosuvastatin": "rosuva"}.get(
            drug, drug
        )
    if s.status == "present" and s.when == "current":
        before, after = d.pick(
            Bank(
                (
                    ("{Subj} has been on ", f" {s.dose} nightly for {s.years} years."),
                    ("Takes ", f" {s.dose} daily since {2024 - s.years}."),
                    ("On ", f" {s.dose} for hyperlipidaemia."),
                    ("{Subj} takes ", f" {s.dose} for cholesterol."),
                    ("Long-term ", f" {s.dose} use ({s.years} years)."),
                ),
                (("Cholesterol managed with ", f" {s.dose}."),),
            )
        )
        if d.terse:
            before, after = d.pick((("on ", f" {s.dose}"), ("", f" {s.dose} qhs x {s.years}y")))
        return capitalize_first(
            [
                plain(ctx.fill(before)),
                find(drug, "statin_exposure", "present"),
                plain(ctx.fill(after)),
            ]
        )
    if s.status == "present":  # held / stopped within the current illness: recent exposure
        before, after = d.pick(
            Bank(
                (
                    (
                        "{Subj} had been on ",
                        f" {s.dose} for {s.years} years; it was stopped {{wk}} weeks ago.",
                    ),
                    (
                        "",
                        f" {s.dose} was held on {{month}} {{day}} because of the "
                        "[[generalized_weakness|present|weakness]].",
                    ),
                    (
                        "{Pos} GP stopped ",
                        " in {month}; the [[generalized_weakness|present|weakness]] kept "
                        "getting worse.",
                    ),
                    ("Recently stopped ", f" {s.dose} after {s.years} years of use."),
                ),
                (("", f" {s.dose} discontinued {{wk}} weeks ago by {{pos}} cardiologist."),),
            )
        )
        if d.terse:
            before, after = d.pick(
                (("", f" {s.dose} stopped {{wk}} wks ago"), ("held ", " since adm"))
            )
        return capitalize_first(
            [plain(ctx.fill(before)), find(drug, "statin_exposure", "present"), *ctx.markup(after)]
        )
    if s.status == "absent":
        before, span, after = d.pick(
            Bank(
                (
                    ("{Subj} has never taken a ", "statin", "."),
                    ("No ", "statin exposure", "."),
                    ("", "Statin-naive", "."),
                    ("Not on a ", "statin", "; never took one."),
                    ("Never on ", "statins", "."),
                ),
                (("No lipid-lowering therapy, including ", "statins", ", ever."),),
            )
        )
        if d.terse:
            before, span, after = d.pick(
                (("no ", "statin", ""), ("", "statin-naive", ""), ("never on ", "statin", ""))
            )
        return capitalize_first(
            [
                plain(ctx.fill(before)),
                find(span, "statin_exposure", "absent"),
                plain(ctx.fill(after)),
            ]
        )
    # historical
    if s.when == "stopped_dx":
        before, after = d.pick(
            (("", " permanently discontinued at diagnosis in {year}."), ("Off ", " since {year}."))
        )
    else:
        before, after = ("Took ", " briefly in {year}, stopped after two months.")
    return capitalize_first(
        [
            plain(ctx.fill(before)),
            find(drug, "statin_exposure", "historical"),
            plain(ctx.fill(after)),
        ]
    )


def _time(ctx: Ctx) -> str:
    return phrases.duration_phrase(ctx.d, ctx.case.months)


def sec_hpi(ctx: Ctx) -> Pieces:
    """History of present illness: opening, statin, symptoms, pertinent negatives."""
    d, c = ctx.d, ctx.case
    sentences: list[Pieces] = []
    # opening
    chief = chief_pieces(ctx)
    dur = _time(ctx)
    if d.terse:
        lead = d.pick((f"{age_sex(ctx)} w/ ", f"{age_sex(ctx)} p/w ", f"{age_sex(ctx)}, "))
        tail = d.pick((f" x {dur}", f" x{dur}", f", {dur}", ""))
        if c.chief in NONCONCEPT_CHIEF:
            tail = ""
    elif c.chief in NONCONCEPT_CHIEF:
        lead = d.pick(
            (
                f"{age_sex(ctx)} seen for ",
                f"This {age_sex(ctx)} attends for ",
                f"{age_sex(ctx)} presenting with ",
            )
        )
        tail = "."
    else:
        lead = d.pick(
            (
                f"{age_sex(ctx)} presenting with ",
                f"This {age_sex(ctx)} reports ",
                f"{age_sex(ctx)} referred with ",
                f"{age_sex(ctx)} with ",
            )
        )
        tail = d.pick(
            (
                f" for {dur}.",
                f" over the past {dur}.",
                f" of {dur} duration.",
                f", progressive over {dur}.",
            )
        )
    if c.chief not in NONCONCEPT_CHIEF and not d.terse and d.chance(0.4):
        opener = d.pick(
            (
                f"{age_sex(ctx)}, referred by Dr. {ctx.values['doc2']}.",
                f"{age_sex(ctx)}, previously well.",
                f"{age_sex(ctx)}, seen with family.",
            )
        )
        sentences.append(capitalize_first([plain(opener)]))
        sentences.append(
            phrases.present_sentence(d, c.chief, time=dur, override=c.np_override.get(c.chief))
        )
    else:
        sentences.append(capitalize_first([plain(lead), *chief, plain(tail)]))
    statin = _statin_sentence(ctx)
    present = [k for k, v in c.symptoms.items() if v == "present" and k != c.chief]
    absent = [k for k, v in c.symptoms.items() if v == "absent"]
    d.rng.shuffle(present)
    body: list[Pieces] = []
    if len(present) >= 2 and d.chance(0.3):
        pair = present[:2]
        body.append(phrases.list_sentence(d, [(k, np_for(ctx, k)) for k in pair], "present"))
        present = present[2:]
    for k in present:
        body.append(phrases.present_sentence(d, k, override=c.np_override.get(k)))
    for text in c.extra.get("hpi", []):
        body.append(ctx.markup(text))
    d.rng.shuffle(body)
    if statin:
        body.insert(d.randint(0, min(1, len(body))), statin)
    sentences.extend(body)
    if absent:
        d.rng.shuffle(absent)
        if "proximal_weakness" in absent and d.chance(0.4):
            clause = phrases.absent_clause(d, "proximal_weakness")
            if clause:
                sentences.append(clause)
                absent.remove("proximal_weakness")
        groups = [absent[:3], absent[3:]] if len(absent) > 3 else [absent]
        for group in groups:
            if not group:
                continue
            if len(group) == 1 or d.chance(0.4):
                for k in group:
                    sentences.append(
                        phrases.finding_sentence(d, k, "absent", phrase=phrases.finding_np(d, k))
                    )
            else:
                sentences.append(
                    phrases.list_sentence(
                        d, [(k, phrases.finding_np(d, k)) for k in group], "absent"
                    )
                )
    if c.family == "family_history_visit":
        sentences.append(_fhx_sentence(ctx, c.fhx[0]))
    for kind, year, detail in c.past:
        if d.chance(0.3):
            sentences.append(_past_item(ctx, kind, year, detail))
    return join_sentences(ctx, sentences)


def sec_ros(ctx: Ctx) -> Pieces:
    """Review of systems in one of five template layouts."""
    d, c = ctx.d, ctx.case
    if not c.symptoms or d.chance(0.15):
        return (
            [
                plain(
                    d.pick(
                        (
                            "12-point ROS negative except as per HPI.",
                            "As per HPI, otherwise negative.",
                            "Otherwise negative.",
                        )
                    )
                )
            ]
            if d.chance(0.5)
            else []
        )
    pos = [
        k
        for k, v in c.symptoms.items()
        if v == "present" and k in phrases.ROS_TERMS and d.chance(0.6)
    ]
    neg = [k for k, v in c.symptoms.items() if v == "absent" and k in phrases.ROS_TERMS]
    trap = [
        k
        for k, v in c.symptoms.items()
        if v == "present"
        and k in ("rash", "dysphagia", "generalized_weakness", "fatigue")
        and k not in pos
    ]
    if trap and d.chance(0.1):
        neg.append(d.pick(trap))  # a templated ROS negative contradicting the history
    fillers = d.sample(_ROS_FILLERS, d.randint(2, 5))

    def term(k: str) -> str:
        return phrases.maybe_typo(d, d.pick(phrases.ROS_TERMS[k]))

    layout = d.weighted(
        {"line": 0.35, "systems": 0.2, "checkbox": 0.15, "dash": 0.15, "signs": 0.15}
    )
    out: Pieces = []
    if layout == "line":
        items = [find(term(k), k, "absent") for k in neg] + [plain(f) for f in fillers]
        d.rng.shuffle(items)
        if pos:
            out += [
                plain(d.pick(("Positive for ", "Pos: ", "+ "))),
                *join_list([find(term(k), k, "present") for k in pos], "and"),
                plain(". "),
            ]
        out += [
            plain(d.pick(("Negative for ", "negative for ", "Neg: ", "Denies "))),
            *join_list(items, d.pick(("and", "or", ""))),
            plain("."),
        ]
    elif layout == "systems":
        groups = {
            "Constitutional": ["fatigue"],
            "Skin": ["rash"],
            "ENT": ["dysphagia", "dysphonia"],
            "MSK": ["myalgia", "proximal_weakness", "muscle_atrophy"],
            "Neuro": ["generalized_weakness", "distal_weakness"],
        }
        lines: list[Pieces] = []
        for system, keys in groups.items():
            line: Pieces = [plain(f"{system}: ")]
            p = [k for k in pos if k in keys]
            n = [k for k in neg if k in keys]
            filler = [f for f in fillers if hash_bucket(f) == system]
            if not p and not n and not filler:
                continue
            if p:
                line += [
                    plain("positive for "),
                    *join_list([find(term(k), k, "present") for k in p]),
                    plain(". " if n or filler else "."),
                ]
            if n or filler:
                items = [find(term(k), k, "absent") for k in n] + [plain(f) for f in filler]
                line += [plain("negative for "), *join_list(items, "or"), plain(".")]
            lines.append(line)
        for i, line in enumerate(lines):
            if i:
                out.append(plain("\n"))
            out.extend(line)
        if out:
            out.append(plain("\nAll other systems reviewed and negative."))
    elif layout == "checkbox":
        rows = [(term(k), k, "present") for k in pos] + [(term(k), k, "absent") for k in neg]
        rows += [(f, None, "absent") for f in fillers[:2]]
        d.rng.shuffle(rows)
        for i, (t, k, status) in enumerate(rows):
            if i:
                out.append(plain("\n"))
            word = "yes" if status == "present" else d.pick(("no", "No", "denies"))
            t = t[0].upper() + t[1:]
            out += [find(t, k, status) if k else plain(t), plain(f": {word}")]
    elif layout == "dash":
        rows = [(term(k), k, "absent") for k in neg] + [(f, None, "absent") for f in fillers[:3]]
        d.rng.shuffle(rows)
        for i, (t, k, _) in enumerate(rows):
            if i:
                out.append(plain("; "))
            t = t[0].upper() + t[1:] if i == 0 else t
            out += [
                find(t, k, "absent") if k else plain(t),
                plain(d.pick((" - denies", " - no", " - neg"))),
            ]
        for k in pos:
            out += [plain("; "), find(term(k), k, "present"), plain(" - yes")]
        out.append(plain("."))
    else:
        items = [[plain("(+) "), find(term(k), k, "present")] for k in pos]
        items += [[plain("(-) "), find(term(k), k, "absent")] for k in neg]
        items += [[plain(f"(-) {f}")] for f in fillers[:2]]
        d.rng.shuffle(items)
        for i, item in enumerate(items):
            if i:
                out.append(plain(", "))
            out.extend(item)
    return out


def hash_bucket(word: str) -> str:
    """The ROS system a filler symptom belongs to."""
    table = {
        "fever": "Constitutional",
        "chills": "Constitutional",
        "weight loss": "Constitutional",
        "night sweats": "Constitutional",
        "chest pain": "CVS",
        "palpitations": "CVS",
        "dyspnoea": "Resp",
        "cough": "Resp",
        "abdominal pain": "GI",
        "diplopia": "Neuro",
        "numbness": "Neuro",
        "tingling": "Neuro",
        "headache": "Neuro",
        "joint swelling": "MSK",
        "Raynaud's": "Skin",
        "dark urine": "GU",
    }
    return table.get(word, "Constitutional")


def _past_item(ctx: Ctx, kind: str, year: str, detail: str) -> Pieces:
    d = ctx.d
    if kind == "rash_drug":
        drug = detail
        return capitalize_first(
            [
                plain(d.pick(("h/o ", "History of ", "Previous "))),
                find("rash", "rash", "historical"),
                plain(f" in {year}, resolved ("),
                find("drug eruption", "rash", "historical"),
                plain(f" to {drug})"),
            ]
        )
    if kind == "statin_myalgia":
        drug = detail
        return capitalize_first(
            [
                plain("prior "),
                Piece(
                    "statin myalgia",
                    (Tag("myalgia", "historical"), Tag("alternative_diagnosis", "historical")),
                ),
                plain(f" {year}, resolved after stopping "),
                find(drug, "statin_exposure", "historical"),
            ]
        )
    value = int(detail)
    return capitalize_first(
        [
            plain("isolated "),
            find(f"CK {labs.number(d, value)}", "ck_elevated", "historical", ck=float(value)),
            plain(f" in {year} after a viral illness, normal on repeat"),
        ]
    )


def sec_pmh(ctx: Ctx) -> Pieces:
    """Past medical history, including resolved findings (historical)."""
    d, c = ctx.d, ctx.case
    items: list[Pieces] = [[plain(p)] for p in c.pmh]
    s = c.statin
    if s and s.status == "present" and s.when == "current" and d.chance(0.25):
        items.append([plain("Hyperlipidaemia on "), find(s.drug, "statin_exposure", "present")])
    for kind, year, detail in c.past:
        items.append(_past_item(ctx, kind, year, detail))
    if not items:
        return []
    return list_block(ctx, items)


def sec_meds(ctx: Ctx) -> Pieces:
    """Medication list (a statin span when the patient takes one)."""
    d, c = ctx.d, ctx.case
    items: list[Pieces] = [[plain(m)] for m in c.meds]
    s = c.statin
    if s and s.status == "present":
        drug = phrases.maybe_typo(d, s.drug, 0.05)
        suffix = (
            d.pick((" nightly", " daily", " qhs", ""))
            if s.when == "current"
            else d.pick((" (held since admission)", " (stopped {wk} weeks ago)", " - held"))
        )
        items.insert(
            d.randint(0, len(items)),
            [find(drug, "statin_exposure", "present"), plain(ctx.fill(f" {s.dose}{suffix}"))],
        )
    elif s and s.status == "absent" and d.chance(0.4):
        items.append([plain("No "), find("statin", "statin_exposure", "absent")])
    if not items:
        return [plain(d.pick(("None.", "Nil regular.", "No regular medications.")))]
    return list_block(ctx, items)


def sec_allergies(ctx: Ctx) -> Pieces:
    """Allergies; a rash reaction is a historical rash."""
    d, c = ctx.d, ctx.case
    if c.statin and c.statin.when == "stopped_dx" and d.chance(0.6):
        return [find("Statins", "statin_exposure", "historical"), plain(" (do not rechallenge).")]
    choice = d.weighted({"nkda": 0.6, "rash": 0.2, "other": 0.2})
    if choice == "nkda":
        return [plain(d.pick(("NKDA.", "None known.", "No known drug allergies.", "NKDA")))]
    if choice == "rash":
        drug = d.pick(("Penicillin", "Sulfa", "Cefalexin", "Codeine"))
        return [plain(f"{drug} ("), find("rash", "rash", "historical"), plain(").")]
    return [
        plain(
            d.pick(("Codeine (nausea).", "ACE inhibitors (cough).", "Latex.", "Morphine (itch)."))
        )
    ]


def _fhx_sentence(ctx: Ctx, item: FamilyItem) -> Pieces:
    d = ctx.d
    rel = item.relative or "Relative"
    if item.kind == "plain":
        return [plain(item.text)]
    if item.kind == "ck":
        value = item.value or 5000
        return capitalize_first(
            [
                plain(f"{rel}'s "),
                find(f"CK was {labs.number(d, value)}", "ck_elevated", "family", ck=float(value)),
                plain(
                    d.pick(
                        (
                            " on a work-up for cramps.",
                            " when checked last year.",
                            "; not yet diagnosed.",
                        )
                    )
                ),
            ]
        )
    if item.kind == "weakness":
        span, concept = d.pick(
            (
                ("had weak legs", "generalized_weakness"),
                ("had difficulty climbing stairs", "proximal_weakness"),
                ("could not get out of a chair unaided", "proximal_weakness"),
            )
        )
        return capitalize_first(
            [plain(f"{rel} "), find(span, concept, "family"), plain(" in later life.")]
        )
    dx = {
        "lgmd": (
            "alternative_diagnosis",
            Bank(
                ("muscular dystrophy", "limb-girdle muscular dystrophy", "LGMD"),
                ("dysferlinopathy",),
            ),
        ),
        "mg": ("alternative_diagnosis", Bank(("myasthenia gravis",), ("MG",))),
        "imnm": (
            "imnm_diagnosis",
            Bank(("immune-mediated necrotizing myopathy", "IMNM"), ("NAM",)),
        ),
        "dm": ("alternative_diagnosis", Bank(("dermatomyositis",), ("DM",))),
        "als": ("alternative_diagnosis", Bank(("ALS", "motor neuron disease"), ("MND",))),
    }[item.kind]
    verb = d.pick((" with ", " diagnosed with ", " has ", " was diagnosed with "))
    return capitalize_first(
        [
            plain(f"{rel}{verb}"),
            find(d.pick(dx[1]), dx[0], "family"),
            plain(
                d.pick(
                    (
                        ".",
                        " at age {n}.".replace("{n}", str(d.randint(30, 70))),
                        " (per the family).",
                    )
                )
            ),
        ]
    )


def sec_fhx(ctx: Ctx) -> Pieces:
    """Family history; relatives' findings are ``family`` mentions."""
    items = [_fhx_sentence(ctx, i) for i in ctx.case.fhx]
    if not items:
        return []
    return list_block(ctx, items)


def sec_shx(ctx: Ctx) -> Pieces:
    """Social history (no findings)."""
    d = ctx.d
    parts = [
        d.pick(("Never smoker.", "Ex-smoker, quit {year}.", "Current smoker, {packs} pack-years.")),
        d.pick(("Occasional alcohol.", "No alcohol.", "2-3 units of alcohol a week.")),
        d.pick(
            (
                "Lives with spouse.",
                "Lives alone.",
                "Retired teacher.",
                "Works as an electrician.",
                "Office manager.",
                "Independent with ADLs.",
                "Retired, lives with family.",
            )
        ),
    ]
    parts = parts[: d.randint(2, 3)]
    if ctx.case.age < 18:
        parts = ["Lives with parents.", "Attends school."]
    return [plain(ctx.fill(" ".join(parts)))]
