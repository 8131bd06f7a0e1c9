"""Whether a finding is true for the patient now: mention status and note status.

Mention status (one of ``MENTION_STATUSES``) is decided by :func:`mention_status`
from plain evidence, in this order (the first that applies wins):

0. Rule limits. A ``pseudo`` rule matches a look-alike ("invasion of non-necrotic
   fibres") so that the shorter finding inside it does not fire; it is dropped.
   A rule with ``sections`` speaks only under those headers ("Normal
   study." under EMG / Neurophysiology); elsewhere the match is dropped (``None``).
   A rule that ``requires`` a ``"plan"`` names a test ("muscle biopsy", "MRI
   thighs", "EMG"): it is a finding only as a planned or pending test
   (``hypothetical``: "muscle biopsy booked", "EMG to be arranged", or named
   under a "Plan:" header) and is dropped otherwise, since the test's result is
   what the other rules read. A rule that ``requires`` a ``"diagnosis"`` is an
   ambiguous abbreviation ("PM" polymyositis or afternoon, "MG" myasthenia or
   milligrams): it counts only where a diagnosis is stated ("Diagnosis: PM",
   "c/w PM", "? MG", "1. MG").

1. ``family``       ConText FAMILY (someone other than the patient) or the
                    Family History section.
2. ``hypothetical`` ConText HYPOTHETICAL ("return if", "will check", "r/o"
                    is uncertain, not hypothetical) or the discharge-instructions
                    section, or a lab / antibody result that is pending.
3. A stated result decides polarity for lab and antibody anchors: a value above
   the upper limit or "positive" -> affirmed; "normal" / "negative" -> ``absent``.
   An affirmed CK or aldolase value dated in a past year ("CK 1,000 in 2013") is
   ``historical``; an antibody result keeps characterising the patient.
   An anchor whose rule ``requires`` a result and has none is dropped (``None``).
   A stated result wins over ConText negation, which on a value is a scope error.
4. ``historical``   ConText RESOLVED ("h/o rash in 2019, resolved"): it was, it is not now.
   An exposure (a drug; ``statin_exposure``) that ConText STOPPED says was stopped,
   held or discontinued ("stopped 6 weeks ago", "held since admission", "do not
   restart atorvastatin") is recent exposure: ``present``, unless something dates
   it long ago: a HISTORICAL cue ("years ago", "prior"), a past-history or allergies
   section, or a past year ("off Crestor since 2019") -> ``historical``.
   An exposure the text puts in the present ("PMH: hyperlipidaemia on
   atorvastatin", ConText TAKING or CURRENT) is not dated by its section.
5. ``absent``       ConText NEGATED_EXISTENCE, a rule that denies the finding
                    itself ("strength 5/5 throughout"), or a normal MRC grade.
6. ``historical``   ConText HISTORICAL, or the past-history, social-history or allergies sections
                    (these sections end at their first blank line, see :func:`section_of`).
7. ``possible``     ConText POSSIBLE_EXISTENCE.
8. ``present``      otherwise.

Note status per concept (:func:`note_status`) takes the strongest mention by
``NOTE_PRECEDENCE``: ``present > possible > absent > historical > hypothetical >
family > not_mentioned``. So an affirmed mention anywhere beats a templated
"ROS: negative for ..." line, a current negative beats a resolved history, and
a family member's finding never becomes the patient's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .concepts import CONCEPTS, NOTE_STATUSES, get_concept

__all__ = [
    "NOTE_PRECEDENCE",
    "SECTION_STATUS",
    "EXPOSURE_CONCEPTS",
    "MEASUREMENT_CONCEPTS",
    "MentionEvidence",
    "evidence_of",
    "implied_concepts",
    "mention_status",
    "note_status",
    "rule_metadata",
    "section_of",
]

NOTE_PRECEDENCE: tuple[str, ...] = (
    "present",
    "possible",
    "absent",
    "historical",
    "hypothetical",
    "family",
    "not_mentioned",
)
assert set(NOTE_PRECEDENCE) == set(NOTE_STATUSES)
_RANK = {status: rank for rank, status in enumerate(NOTE_PRECEDENCE)}

SECTION_STATUS: dict[str, str] = {
    "family_history": "family",
    "discharge_instructions": "hypothetical",
    "past_medical_history": "historical",
    "past_surgical_history": "historical",
    "allergies": "historical",
    "social_history": "historical",
}


# Concepts that are a drug the patient takes: stopping it does not make it history.
EXPOSURE_CONCEPTS: frozenset[str] = frozenset(c.key for c in CONCEPTS if c.kind == "exposure")
# Measurements that change over time: a value dated in a past year is history
# (an antibody result, by contrast, characterises the patient for good).
MEASUREMENT_CONCEPTS: frozenset[str] = frozenset({"ck_elevated", "aldolase_elevated"})

# What comes right before an abbreviation that is written as a diagnosis ("Diagnosis:
# PM", "c/w PM", "? MG", "R/o PM", "1. MG"); "3 PM" and "40 MG" have none of it.
_DIAGNOSIS_WORD = (
    r"\b(?:diagnos[ie]s|dx|impression(?:\s+is)?|assessment|problems?|consistent\s+with"
    r"|c/w|compatible\s+with|in\s+keeping\s+with|suggestive\s+of|likely|probable|possible"
    r"|suspected|suspect|r/o|rule\s+out|consider|ddx(?:\s+includes?)?"
    r"|differential(?:\s+diagnosis)?(?:\s+includes?)?|vs\.?|versus|not|classic)"
)
_DIAGNOSIS_LEAD = re.compile(
    r"(?:^|" + _DIAGNOSIS_WORD + r"|[?])\W{0,3}(?:\d{1,2}[.)]\s*|[-*]\s*)?$"
    # ... or the next item of a list that one of those words opened ("Ddx: IBM, PM")
    r"|" + _DIAGNOSIS_WORD + r".*(?:,|\band\b|\bor\b|/)\s*$",
    re.IGNORECASE,
)

# "in 2019", "since March 2018", "until 2015": a past year that dates a stop.
_PAST_YEAR = re.compile(
    r"\b(?:in|since|from|during|until|till|circa)\s+(?:(?:early|mid|late)[\s-]+)?"
    r"(?:[A-Za-z]{3,9}\.?\s+)?(?:19[5-9]\d|20[0-2]\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MentionEvidence:
    """Everything :func:`mention_status` needs to know about one mention."""

    section: str | None = None
    is_negated: bool = False
    is_uncertain: bool = False
    is_historical: bool = False
    is_hypothetical: bool = False
    is_family: bool = False
    requires: str | None = None  # rule metadata: "result", "grade" or "plan"
    sections: tuple[str, ...] = ()  # rule metadata: the only sections the rule speaks in
    pseudo: bool = False  # rule metadata: a look-alike that is not the finding
    result: str | None = None  # "positive" | "negative" | "pending" | "indeterminate" | None
    normal_strength: bool = False
    is_resolved: bool = False
    is_exposure: bool = False  # a drug (EXPOSURE_CONCEPTS)
    is_stopped: bool = False  # ConText STOPPED: stopped, held, discontinued, "do not restart"
    is_current: bool = False  # ConText CURRENT ("now") or TAKING ("on atorvastatin")
    names_past_year: bool = False  # a stopped drug's sentence, or a measurement, says "in 2019"
    stated_as_diagnosis: bool = False  # written where a diagnosis is stated ("Diagnosis: PM")


def _result_polarity(lab: Any, antibody: Any) -> str | None:
    """Reduce a ``LabResult`` or ``AntibodyResult`` to a polarity word."""
    if antibody is not None:
        return antibody.polarity
    if lab is None:
        return None
    if lab.elevated is True:
        return "positive"
    if lab.elevated is False:
        return "negative"
    return "pending" if lab.pending else None


def rule_metadata(span: Any) -> dict[str, Any]:
    """Metadata of the target rule that found ``span`` (empty for spans from elsewhere)."""
    rule = getattr(span._, "target_rule", None)
    return (rule.metadata or {}) if rule is not None else {}


# A blank line after some text: where a past-history, social-history, allergies,
# family-history or instructions section ends when no header follows it.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def _note_text(doc: Any, start: int, end: int) -> str:
    """The note's text between two offsets of ``doc``.

    A candidate doc (``nmnlp.pipeline.candidate_doc``) holds only the sentences
    that may hold a finding; the note itself is in ``doc._.nmnlp_source``.
    """
    source = doc._.nmnlp_source if doc.has_extension("nmnlp_source") else None
    return doc.text[start:end] if source is None else source.source_text(start, end)


def section_of(span: Any) -> str | None:
    """The section category that bears on ``span``'s status.

    The sectionizer keeps a section open until the next known header. A section
    that sets a status (``SECTION_STATUS``: family, past or social history,
    allergies, instructions) is a short block, so it also ends at its first blank
    line after some text: "SHx: retired teacher.\\n\\nOn examination, 4/5 hip
    flexors" is not social history, whatever header the examination has.
    """
    if not len(span):
        return None
    token = span[0]
    section = token._.section
    if section is None:
        return None
    category = section.category
    if category in SECTION_STATUS:
        start = span.doc[min(section.body_start, token.i)].idx
        between = _note_text(span.doc, start, token.idx)
        if _PARAGRAPH_BREAK.search(between.lstrip()):
            return None
    return category


def evidence_of(span: Any) -> MentionEvidence:
    """Collect the evidence for a spaCy ``Span`` from ConText, the sectionizer and nmnlp."""
    metadata = rule_metadata(span)
    section = section_of(span)
    categories = {m.category for m in span._.modifiers}
    is_stopped = "STOPPED" in categories
    if is_stopped:
        dated = _PAST_YEAR.search(span.sent.text) is not None
    elif span.label_ in MEASUREMENT_CONCEPTS:  # "CK 1,000 in 2013 after a viral illness"
        dated = _PAST_YEAR.search(span.text) is not None
    else:
        dated = False
    return MentionEvidence(
        section=section,
        is_negated=bool(span._.is_negated),
        is_uncertain=bool(span._.is_uncertain),
        is_historical=bool(span._.is_historical),
        is_hypothetical=bool(span._.is_hypothetical),
        is_family=bool(span._.is_family),
        requires=metadata.get("requires"),
        sections=tuple(metadata.get("sections", ())),
        pseudo=bool(metadata.get("pseudo", False)),
        result=_result_polarity(span._.nmnlp_lab, span._.nmnlp_antibody),
        normal_strength=bool(span._.nmnlp_normal_strength),
        is_resolved=bool(span._.nmnlp_resolved),
        is_exposure=span.label_ in EXPOSURE_CONCEPTS,
        is_stopped=is_stopped,
        is_current=bool(categories & {"CURRENT", "TAKING"}),
        names_past_year=dated,
        stated_as_diagnosis=metadata.get("requires") == "diagnosis"
        and _DIAGNOSIS_LEAD.search(span.sent.text[: span.start_char - span.sent.start_char])
        is not None,
    )


def mention_status(evidence: MentionEvidence) -> str | None:
    """Decide one mention's status (see the module docstring for the order).

    Returns:
        A status from ``MENTION_STATUSES``, or ``None`` when the mention is not a
        finding (a lab anchor with no result, e.g. "CK was sent").
    """
    if evidence.pseudo or (evidence.sections and evidence.section not in evidence.sections):
        return None
    if evidence.requires == "diagnosis" and not evidence.stated_as_diagnosis:
        return None
    section_status = SECTION_STATUS.get(evidence.section or "")
    planned = (
        evidence.is_hypothetical or section_status == "hypothetical" or evidence.result == "pending"
    )
    if evidence.requires == "plan":  # under "Plan:", a test named is a test planned
        planned = planned or (evidence.section == "plan" and not evidence.is_negated)
        return "hypothetical" if planned and not evidence.is_family else None
    if evidence.is_family or section_status == "family":
        return "family"
    if planned:
        return "hypothetical"
    # A drug the text says the patient is on is current, whatever section lists it.
    section_dates_it = section_status == "historical" and not (
        evidence.is_exposure and evidence.is_current
    )
    historical = evidence.is_historical or section_dates_it
    if evidence.result is not None:
        if evidence.result == "negative":
            return "absent"
        if evidence.result == "indeterminate":
            return "possible"
        if historical or evidence.names_past_year:
            return "historical"
        return "possible" if evidence.is_uncertain else "present"
    if evidence.requires == "result":
        return None
    if evidence.is_resolved:
        return "historical"
    if evidence.is_exposure and evidence.is_stopped:
        return "historical" if historical or evidence.names_past_year else "present"
    if evidence.is_negated or evidence.normal_strength:
        return "absent"
    if historical:
        return "historical"
    if evidence.is_uncertain:
        return "possible"
    return "present"


# Statuses in which a named diagnosis vouches for what it implies.
_DIAGNOSIS_AFFIRMED = frozenset({"present", "historical"})


def implied_concepts(concept: str, status: str, implies: Iterable[str]) -> tuple[str, ...]:
    """The other concepts a mention asserts, with the same status (rule ``implies``).

    A named diagnosis asserts what it implies only when it is itself affirmed:
    "anti-HMGCR myopathy" is an HMGCR result and "statin-induced rhabdomyolysis"
    a statin exposure, but "? toxic statin myopathy" or "not SAMS" says nothing
    about the statin yet. A finding's implications hold whatever its status
    ("strength 5/5 throughout" also denies distal weakness).
    """
    if get_concept(concept).kind == "diagnosis" and status not in _DIAGNOSIS_AFFIRMED:
        return ()
    return tuple(implies)


def note_status(statuses: Iterable[str]) -> str:
    """Aggregate mention statuses of one concept into the note's status.

    Returns:
        The highest-ranked status by ``NOTE_PRECEDENCE``; ``"not_mentioned"`` for none.
    """
    best = "not_mentioned"
    for status in statuses:
        if _RANK[status] < _RANK[best]:
            best = status
    return best
