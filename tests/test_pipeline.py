"""End to end through the real pipeline: each rule family on note-like snippets."""

from __future__ import annotations

import pytest

from nmnlp.pipeline import PIPE_NAMES


def status_of(analyze, text: str, concept: str) -> str:
    return analyze(text).statuses[concept]


@pytest.mark.parametrize(
    ("text", "concept", "expected"),
    [
        # affirmed findings
        (
            "HPI: 3 months of trouble climbing stairs and rising from a chair.",
            "proximal_weakness",
            "present",
        ),
        ("She reports her thighs ache after walking.", "myalgia", "present"),
        ("Food sticks in her throat; she chokes on liquids.", "dysphagia", "present"),
        ("Voice has become hoarse.", "dysphonia", "present"),
        ("Heliotrope rash over both eyelids.", "rash", "present"),
        ("Marked wasting of the thighs.", "muscle_atrophy", "present"),
        ("Meds: atorvastatin 40 mg daily.", "statin_exposure", "present"),
        (
            "Biopsy: scattered necrotic and regenerating fibers with minimal inflammation.",
            "biopsy_necrosis",
            "present",
        ),
        # templated review of systems
        ("ROS: negative for fever, rash, dysphagia.", "rash", "absent"),
        ("ROS: negative for fever, rash, dysphagia.", "dysphagia", "absent"),
        ("Rash: no", "rash", "absent"),
        ("Dysphagia - denies", "dysphagia", "absent"),
        ("She denies muscle pain or weakness.", "myalgia", "absent"),
        ("No dysphagia, dysphonia or rash.", "dysphonia", "absent"),
        # normal exam
        ("Exam: strength 5/5 throughout.", "proximal_weakness", "absent"),
        # lab negatives
        ("HMGCR negative.", "hmgcr_antibody", "absent"),
        ("Anti-SRP antibody: negative", "srp_antibody", "absent"),
        ("CK normal.", "ck_elevated", "absent"),
        ("CK WNL", "ck_elevated", "absent"),
        ("CK 12,450 U/L (ref 30-200)", "ck_elevated", "present"),
        ("ALD 30.1 U/L (nl <7.7)", "aldolase_elevated", "present"),
        ("X-linked ALD diagnosed in 2010.", "aldolase_elevated", "not_mentioned"),
        ("HMGCR Ab 103 (nl <20)", "hmgcr_antibody", "present"),
        # history
        ("h/o rash in 2019, resolved.", "rash", "historical"),
        ("She had a rash in 2019.", "rash", "historical"),
        ("History of statin myalgia.", "myalgia", "historical"),
        ("PMH: hyperlipidemia, dysphagia after stroke", "dysphagia", "historical"),
        # family and other people
        ("Family History: mother with muscular dystrophy.", "alternative_diagnosis", "family"),
        ("Her brother's CK was 5,000.", "ck_elevated", "family"),
        ("Her mother had a rash.", "rash", "family"),
        # hypothetical / pending / return precautions
        ("Return if she develops trouble swallowing.", "dysphagia", "hypothetical"),
        ("Call if any new rash.", "rash", "hypothetical"),
        ("HMGCR pending.", "hmgcr_antibody", "hypothetical"),
        ("Anti-HMGCR antibody has been sent.", "hmgcr_antibody", "hypothetical"),
        # uncertainty
        ("r/o necrotizing myopathy", "imnm_diagnosis", "possible"),
        ("Possible rash on the hands.", "rash", "possible"),
        ("Cannot exclude necrotizing myopathy.", "imnm_diagnosis", "possible"),
        # pseudo-triggers do not negate
        ("No change in her proximal weakness.", "proximal_weakness", "present"),
        ("Not only weakness but also dysphagia.", "dysphagia", "present"),
        ("Proximal weakness is no longer improving.", "proximal_weakness", "present"),
        ("She can no longer climb stairs.", "proximal_weakness", "present"),
        # a modifier inside a finding neither modifies it nor cuts other modifiers short
        ("No change in her voice.", "dysphonia", "absent"),
        ("Return if she has any worsening trouble swallowing.", "dysphagia", "hypothetical"),
        ("She cannot get up from a chair.", "proximal_weakness", "present"),
        # list and post-posed negations
        ("IMNM excluded.", "imnm_diagnosis", "absent"),
        ("Necrotizing myopathy cannot be excluded.", "imnm_diagnosis", "possible"),
        ("Neg: skin rash, dysphagia", "rash", "absent"),
        ("(-) rash", "rash", "absent"),
        ("Gottron papules (-)", "rash", "absent"),
        ("No reported myalgia.", "myalgia", "absent"),
        # statin exposure: current, or stopped / held during this illness, is present;
        # a remote course is historical; never taking one is absent
        ("Meds: Zocor 40 mg (stopped 6 weeks ago).", "statin_exposure", "present"),
        (
            "Her GP stopped rosuvastatin in July; the weakness kept getting worse.",
            "statin_exposure",
            "present",
        ),
        ("Home meds: Lipitor 20 mg - held", "statin_exposure", "present"),
        ("Plan: do not restart atorvastatin.", "statin_exposure", "present"),
        (
            "He had been on simvastatin for 15 years; it was stopped 4 weeks ago.",
            "statin_exposure",
            "present",
        ),
        ("Takes atorvastatin 80 mg daily since 2012.", "statin_exposure", "present"),
        ("He took simvastatin years ago.", "statin_exposure", "historical"),
        ("Off Crestor since 2019. Strength improving.", "statin_exposure", "historical"),
        (
            "Prior statin myalgia 2011, resolved after stopping pravastatin.",
            "statin_exposure",
            "historical",
        ),
        ("She has never taken a statin.", "statin_exposure", "absent"),
        ("Never on statins.", "statin_exposure", "absent"),
        # "stopped" dates the drug, not what else the sentence says
        ("CK remained high after the statin was stopped.", "ck_elevated", "present"),
        ("PMH:\n1. CKD stage 3\n2. Hyperlipidaemia on atorvastatin", "statin_exposure", "present"),
        ("Meds: paracetamol 1 g prn, atorvastatin 80 mg.", "statin_exposure", "present"),
        ("Rosuva 20 mg qhs x 9y.", "statin_exposure", "present"),
        # a CK value dated in a past year
        ("Isolated CK 1,000 in 2013 after a viral illness.", "ck_elevated", "historical"),
        # planned lab tests
        ("Plan: repeat CK in 4 weeks.", "ck_elevated", "hypothetical"),
        ("Plan: weekly CK.", "ck_elevated", "hypothetical"),
        # swallowing and weakness as other services write them
        ("Failed bedside swallow screen.", "dysphagia", "present"),
        ("Bedside swallow: coughs after sips of water.", "dysphagia", "present"),
        ("She has had left hemiparesis since the stroke.", "generalized_weakness", "present"),
        # a hedged diagnosis does not assert what it implies
        ("Possible toxic statin myopathy.", "statin_exposure", "not_mentioned"),
        ("Statin-induced rhabdomyolysis.", "statin_exposure", "present"),
        # onset of a current finding is not history
        ("She reports thigh pain that began 2 months ago.", "myalgia", "present"),
        # templated ROS lists: (+) / (-) items, "Neg x/y"
        ("ROS: (+) rash, (-) dark urine, (+) myalgias", "rash", "present"),
        ("ROS: (+) rash, (-) dark urine, (+) myalgias", "myalgia", "present"),
        ("ROS: (-) cough, (-) muscle aches, rash, fatigue.", "fatigue", "absent"),
        ("C/o muscle aches. Neg rash/solid-food dysphagia.", "dysphagia", "absent"),
        ("Jo-1 neg", "other_myositis_antibody", "absent"),
        ("S: c/o prox weakness, +myalgia, -rash, -dysphagia", "dysphagia", "absent"),
        ("S: c/o prox weakness, +myalgia, -rash, -dysphagia", "myalgia", "present"),
        ("ROS: -rash, weakness", "generalized_weakness", "present"),
        ("Plan:\n- rash clinic review", "rash", "present"),  # a bullet is not a minus
        # hedges after the diagnosis; "?" starting a sentence
        ("Lambert-Eaton syndrome to be excluded.", "alternative_diagnosis", "possible"),
        ("NAM is the leading consideration.", "imnm_diagnosis", "possible"),
        ("Peak CK 11300. ? NAM. Possible IBM.", "imnm_diagnosis", "possible"),
        ("IMNM, confirmed. ? limb-girdle muscular dystrophy.", "imnm_diagnosis", "present"),
        # relatives
        ("Father diagnosed with myasthenia gravis.", "alternative_diagnosis", "family"),
        # "sent in by GP" is not a test sent off; "prn" speaks of its own drug
        ("Endorses myalgia, sent in by GP after routine labs.", "myalgia", "present"),
        ("Meds: paracetamol 1 g prn. simvastatin 40 mg.", "statin_exposure", "present"),
        # normal strength, bulk and function deny the finding
        ("Full strength in all four limbs.", "distal_weakness", "absent"),
        ("Stands from a chair without using arms.", "proximal_weakness", "absent"),
        ("Rises from a squat unaided.", "proximal_weakness", "absent"),
        ("Unable to rise from a chair without using her arms.", "proximal_weakness", "present"),
        ("She has to push up with her arms to stand from a chair.", "proximal_weakness", "present"),
        ("Bulk normal. Reflexes 2+.", "muscle_atrophy", "absent"),
        ("Normal muscle bulk and tone.", "muscle_atrophy", "absent"),
        ("No atrophy. DTRs 1+ symmetric.", "muscle_atrophy", "absent"),
        # atrophy named by its muscle
        ("Thenar wasting. Widespread fasciculations.", "muscle_atrophy", "present"),
        ("Forearm flexor wasting.", "muscle_atrophy", "present"),
        ("Wasting of the first dorsal interosseous.", "muscle_atrophy", "present"),
        ("Tongue atrophy.", "muscle_atrophy", "present"),
        # bare MRC digits in a strength list; a table row run on into the next sentence
        ("Strength 4/5 hip flexion; 5 hand grip.", "distal_weakness", "absent"),
        ("Strength 5/5 hip flexion; 4 hand grip.", "distal_weakness", "present"),
        (
            "MMT\nMuscle   R   L\nGrip     5   4 Reflexes 2+ and symmetric.",
            "distal_weakness",
            "present",
        ),
        # a test named without its result: a planned test is hypothetical, else nothing
        ("Plan:\n- Quadriceps biopsy booked", "biopsy_necrosis", "hypothetical"),
        ("Plan: EMG/NCS to be arranged.", "emg_myopathic", "hypothetical"),
        ("MRI of both thighs requested.", "mri_muscle_edema", "hypothetical"),
        ("Chase HMGCR antibody.", "hmgcr_antibody", "hypothetical"),
        ("P: hold atorvastatin, MRI thighs, EMG next week.", "emg_myopathic", "hypothetical"),
        ("P: hold atorvastatin, MRI thighs, EMG next week.", "mri_muscle_edema", "hypothetical"),
        ("A: EMG and MRI thighs reviewed.", "emg_myopathic", "not_mentioned"),
        (
            "Muscle biopsy (right deltoid): endomysial inflammation.",
            "biopsy_necrosis",
            "not_mentioned",
        ),
        ("No EMG was done.", "emg_myopathic", "not_mentioned"),
        # test results
        (
            "Biopsy:\nType 2 fibre atrophy; no necrosis, no inflammation.",
            "biopsy_necrosis",
            "absent",
        ),
        ("CT abdomen: no necrosis of the pancreas.", "biopsy_necrosis", "not_mentioned"),
        # "non-necrotic fibres" are other fibres: no statement about necrosis
        ("Biopsy: CD8+ T cells invading non-necrotic fibres.", "biopsy_necrosis", "not_mentioned"),
        ("Pathology:\nNecrotizing myopathy, sparse macrophages.", "biopsy_necrosis", "present"),
        ("Pathology:\nNecrotizing myopathy, sparse macrophages.", "imnm_diagnosis", "present"),
        (
            "Biopsy shows endomysial inflammation rather than a necrotizing pattern.",
            "biopsy_necrosis",
            "absent",
        ),
        ("Thigh MRI: T2/STIR signal increase in the thigh muscles.", "mri_muscle_edema", "present"),
        ("Thigh MRI: diffuse oedema on STIR in the thigh muscles.", "mri_muscle_edema", "present"),
        (
            "Fatty replacement of the thigh muscles; no oedema on STIR.",
            "mri_muscle_edema",
            "absent",
        ),
        ("Neurophysiology: Normal study.", "emg_myopathic", "absent"),
        ("Echo: Normal study.", "emg_myopathic", "not_mentioned"),
        ("EMG: no spontaneous activity and normal MUAPs.", "emg_myopathic", "absent"),
        # how patients and clinicians describe muscle pain and skin signs
        ("Denies muscle cramping and aching.", "myalgia", "absent"),
        ("Quads tense and very tender bilaterally; compartments soft.", "myalgia", "present"),
        ("Tender at 14 of 18 tender points.", "myalgia", "present"),
        ("35-year-old woman with aching all over, CK normal.", "myalgia", "present"),
        ("Pain and stiffness around the shoulders for 2 months.", "myalgia", "present"),
        ("This 77 y/o man reports leg aches of 4 weeks duration.", "myalgia", "present"),
        ('CC: "everything hurts in my thighs"', "myalgia", "present"),
        ("No thigh pain or skin changes.", "rash", "absent"),
        ("She has had red bumps over her knuckles for 4 months.", "rash", "present"),
        ("He describes cracked, rough skin on the sides of his fingers.", "rash", "present"),
        ("NKDA check: Penicillin (rash).", "rash", "historical"),
        # shorthand and functional phrases for weakness
        ("69yo F, prox weakness x8 months.", "proximal_weakness", "present"),
        ("38yo M with trouble w/ stairs, CK 9,630.", "proximal_weakness", "present"),
        ("She cannot lift her arms to wash her hair.", "proximal_weakness", "present"),
        ("There is arm weakness when holding a hairdryer.", "proximal_weakness", "present"),
        ('CC: "my legs won\'t get me up the stairs"', "proximal_weakness", "present"),
        ("Now needs two people to stand.", "proximal_weakness", "present"),
        ("Deltoids weaken after 20 repetitions.", "proximal_weakness", "present"),
        ("Strength: 4/5 hip flex, 4-/5 KF, 4-/5 neck flex.", "proximal_weakness", "present"),
        ("Power: 5/5 deltoids, 5/5 ADF, 5/5 WE.", "distal_weakness", "absent"),
        ("We will see her again in 4/5 weeks.", "distal_weakness", "not_mentioned"),
        # named diagnoses; "PM" and "MG" only where a diagnosis is stated
        ("Not NAM. Diagnosis: PM.", "alternative_diagnosis", "present"),
        ("Concern for NAM. Also consider PM.", "alternative_diagnosis", "possible"),
        ("Ddx includes hypothyroid myopathy, PM", "alternative_diagnosis", "possible"),
        ("Fatigable ptosis, normal CK. ? MG.", "alternative_diagnosis", "possible"),
        ("PRINCIPAL DIAGNOSIS:\n1. MG", "alternative_diagnosis", "present"),
        ("Seen in clinic at 3 PM.", "alternative_diagnosis", "not_mentioned"),
        ("Meds: ATORVASTATIN 40 MG daily", "alternative_diagnosis", "not_mentioned"),
        ("Findings c/w myopathy secondary to hypothyroidism.", "alternative_diagnosis", "present"),
        (
            "Initially labelled as a limb-girdle dystrophy at another centre.",
            "alternative_diagnosis",
            "historical",
        ),
        # family history section ends at the next header ("On examination:")
        ("FHx: mother with rash.\nOn examination: heliotrope rash.", "rash", "present"),
        # ... at a SOAP header ...
        ("FHx: sister with Hashimoto thyroiditis\nO:\nNo rash on face or hands.", "rash", "absent"),
        # ... and, for a history / allergies / family block, at its first blank line
        (
            "SHx: Retired teacher. Never smoker.\n\nOn examination, MRC: iliopsoas 4-/5",
            "proximal_weakness",
            "present",
        ),
        ("PMH:\n\n1. Dysphagia after stroke\n2. Gout", "dysphagia", "historical"),
        ("All: Codeine (rash).", "rash", "historical"),
        ("Ret precautions:\nRTED for trouble swallowing", "dysphagia", "hypothetical"),
    ],
)
def test_rule_families(analyze, text: str, concept: str, expected: str) -> None:
    assert status_of(analyze, text, concept) == expected


@pytest.mark.parametrize(
    "text",
    [
        "CK-MB 5.2 ng/mL",
        "CKD stage 3",
        "Creatinine 1.4 mg/dL",
        "CK MB index 2.1",
        "Cr 1.2, eGFR 48",
    ],
)
def test_not_ck(analyze, text: str) -> None:
    result = analyze(text)
    assert result.statuses["ck_elevated"] == "not_mentioned"
    assert result.ck_max_u_per_l is None


@pytest.mark.parametrize(
    ("text", "concept", "expected"),
    [
        ("HMGCR and SRP antibodies negative.", "hmgcr_antibody", "absent"),
        ("HMGCR and SRP antibodies negative.", "srp_antibody", "absent"),
        # an antibody never borrows a lab value (this crashed once)
        ("anti-HMGCR\nEMG pending\nCK 500", "ck_elevated", "present"),
        ("anti-HMGCR, CK 500", "hmgcr_antibody", "not_mentioned"),
        # a panel result covers each antibody of its list
        ("MSA panel neg (OJ, MDA5, Ku, PL-7, SAE, EJ)", "other_myositis_antibody", "absent"),
        ("SAE POSITIVE", "other_myositis_antibody", "present"),
        ("SAE reported to the sponsor.", "other_myositis_antibody", "not_mentioned"),
    ],
)
def test_results_shared_over_conjunctions(analyze, text, concept, expected) -> None:
    assert analyze(text).statuses[concept] == expected


def test_each_antibody_of_a_negative_panel_is_a_negative_mention(analyze) -> None:
    result = analyze("Extended myositis panel negative (EJ, NXP2, OJ, PL-7)")
    found = {m.text: m.status for m in result.mentions if m.concept == "other_myositis_antibody"}
    assert {"EJ", "NXP2", "OJ", "PL-7"} <= set(found)
    assert set(found.values()) == {"absent"}


def test_someone_elses_ck_is_not_the_patients(analyze) -> None:
    result = analyze("Her brother's CK was 5,000. Her own CK is 180 U/L (ref 30-200).")
    assert result.ck_max_u_per_l == 180
    assert result.statuses["ck_elevated"] == "absent"


def test_ck_max_and_fold_over_a_trend(analyze) -> None:
    result = analyze("CK trending down 9,299 -> 4,100 U/L (ref 30-200).")
    assert result.ck_max_u_per_l == 9299
    assert result.ck_max_fold_uln == pytest.approx(9299 / 200, rel=1e-3)


@pytest.mark.parametrize(
    ("text", "ck_max"),
    [
        ("CK rising 3850 -> 4,970", 4970),
        ("CK climbing 710 to 900", 900),
        ("CK elevated at 7000 (ref 30-200)", 7000),
        ("Markedly elevated CK prompted referral.", None),
    ],
)
def test_worded_ck_mention_takes_the_values_after_it(analyze, text, ck_max) -> None:
    result = analyze(text)
    assert result.statuses["ck_elevated"] == "present"
    assert result.ck_max_u_per_l == ck_max


def test_worded_ck_mb_is_not_ck(analyze) -> None:
    assert analyze("Elevated CK-MB 30 ng/mL.").statuses["ck_elevated"] == "not_mentioned"


def test_ck_fold_uses_conventional_limit_when_none_stated(analyze) -> None:
    from nmnlp.labs import CONVENTIONAL_ULN

    result = analyze("CPK: 8500")
    assert result.ck_max_u_per_l == 8500
    assert result.ck_max_fold_uln == pytest.approx(8500 / CONVENTIONAL_ULN["ck"], rel=1e-3)


def test_graded_site_is_a_weakness_mention_with_attributes(analyze) -> None:
    result = analyze("Exam: 4-/5 hip flexors bilaterally, 5/5 distally.")
    assert result.statuses["proximal_weakness"] == "present"
    mention = next(
        m for m in result.mentions if m.concept == "proximal_weakness" and m.status == "present"
    )
    assert mention.attributes["mrc_grade"].startswith("4-")
    assert "hip flexors" in mention.attributes["sites"]


def test_site_weak_on_one_side_is_weakness(analyze) -> None:
    result = analyze("Power: SA 5/5 R, 4-/5 L, HF 5/5 R, 4- L.")
    assert result.statuses["proximal_weakness"] == "present"


def test_bare_site_without_grade_is_not_a_finding(analyze) -> None:
    result = analyze("Deltoid injection of the influenza vaccine given. HF with reduced EF.")
    assert result.statuses["proximal_weakness"] == "not_mentioned"


def test_section_is_recorded_on_mentions(analyze) -> None:
    result = analyze("HPI: Trouble combing her hair.\nROS: Negative for rash.")
    sections = {m.concept: m.section for m in result.mentions}
    assert sections["proximal_weakness"] == "history_of_present_illness"
    assert sections["rash"] == "review_of_systems"


def test_affirmed_history_beats_templated_ros_negative(analyze) -> None:
    text = (
        "HPI: She has had difficulty swallowing solids.\nROS: Negative for fever, dysphagia, rash."
    )
    assert status_of(analyze, text, "dysphagia") == "present"


def test_pipeline_components_in_order(nlp) -> None:
    assert tuple(nlp.pipe_names) == PIPE_NAMES


def test_positive_note_is_flagged_with_evidence(analyze) -> None:
    text = (
        "HPI: 64 yo man on atorvastatin with 4 months of difficulty rising from chairs.\n"
        "Exam: 4-/5 hip flexors, 4/5 deltoids.\n"
        "Labs: CK 12,450 U/L (ref 30-200). HMGCR Ab 103 (nl <20).\n"
        "ROS: negative for rash."
    )
    result = analyze(text)
    assert result.flag and result.score >= 0.9
    assert "ck_elevated" in result.evidence and "hmgcr_antibody" in result.evidence


def test_one_sided_proximal_weakness_with_high_ck_is_not_flagged(analyze) -> None:
    text = (
        "HPI: Right groin hematoma after catheterization.\n"
        "Exam: R hip flexion 3/5, knee extension 4/5 on the right.\nLabs: CK 13,780."
    )
    result = analyze(text)
    assert result.statuses["proximal_weakness"] == "present"
    assert not result.flag


def test_unrelated_note_with_negatives_is_not_flagged(analyze) -> None:
    text = (
        "CC: right knee pain after a fall while skiing.\n"
        "ROS: negative for fever, rash, dysphagia, weakness.\n"
        "Exam: strength 5/5 throughout. Effusion of the right knee."
    )
    result = analyze(text)
    assert not result.flag
    assert result.statuses["rash"] == "absent"


def test_components_are_found_by_spacy_through_entry_points(tmp_path) -> None:
    import subprocess
    import sys

    code = (
        "import spacy, sys; nlp = spacy.blank('en'); "
        "[nlp.add_pipe(n) for n in ('nmnlp_context', 'nmnlp_sentences', 'nmnlp_sections')]; "
        "print(','.join(nlp.pipe_names))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "nmnlp_context,nmnlp_sentences,nmnlp_sections"


@pytest.mark.parametrize(
    "text, concepts",
    [
        (
            "Choking on liquids or trouble buttoning his shirts: no\n\nOBJECTIVE:\n\nMMT\n"
            "Hip flexion | 4- | 4-",
            {"dysphagia", "distal_weakness"},
        ),
        ("Low energy: no\n\nExam: alert.", {"fatigue"}),
    ],
)
def test_a_trailing_no_negates_its_sentence_whatever_follows(analyze, text, concepts) -> None:
    """ConText matches inside each sentence: a match running on into the next sentence
    (it used to start at the trailing "no") cannot push the negation out."""
    statuses = {m.concept: m.status for m in analyze(text).mentions if m.concept in concepts}
    assert statuses == dict.fromkeys(concepts, "absent")


def test_context_rules_with_a_regex_match_the_sentence_like_token_rules() -> None:
    """A regex ConText rule needs the whole Doc; its matches still stay inside a sentence."""
    from medspacy.context import ConTextRule

    from nmnlp.api import analyze, load

    nlp = load()
    nlp.get_pipe("nmnlp_context").add(
        [ConTextRule("sans", "NEGATED_EXISTENCE", direction="FORWARD", pattern=r"\bsans\b")]
    )
    (rash,) = [m for m in analyze("Exam: sans rash.", nlp=nlp).mentions if m.concept == "rash"]
    assert rash.status == "absent"
    text = "Choking on liquids or trouble buttoning his shirts: no\n\nOBJECTIVE:\n\nMMT"
    statuses = {m.concept: m.status for m in analyze(text, nlp=nlp).mentions}
    assert statuses["dysphagia"] == statuses["distal_weakness"] == "absent"
