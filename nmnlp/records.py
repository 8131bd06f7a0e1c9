"""Plain records out of spaCy Docs: one ``Mention`` per finding, one ``NoteResult`` per note.

Everything downstream (reports, evaluation, features, Spark) works on these
records, never on Docs, so results can cross process boundaries cheaply.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from .assertion import implied_concepts, note_status, rule_metadata
from .concepts import CONCEPT_KEYS

__all__ = [
    "MENTION_COLUMNS",
    "Mention",
    "NoteResult",
    "mentions_from_doc",
    "note_statuses",
    "proximal_weakness_one_sided",
    "ck_summary",
]

MENTION_COLUMNS: tuple[str, ...] = (
    "note_id",
    "concept",
    "status",
    "text",
    "start",
    "end",
    "section",
    "sentence",
    "is_negated",
    "is_uncertain",
    "is_historical",
    "is_hypothetical",
    "is_family",
    "rule",
    "attributes",
    "contribution",
)


@dataclass(frozen=True)
class Mention:
    """One finding in one note, with where it is and whether it holds for the patient now."""

    note_id: str
    concept: str
    status: str
    text: str
    start: int
    end: int
    section: str
    sentence: str
    is_negated: bool
    is_uncertain: bool
    is_historical: bool
    is_hypothetical: bool
    is_family: bool
    rule: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    # Set on the mention that is the note's evidence for its concept: how much the
    # note's score would drop without that concept (see nmnlp.classifier).
    contribution: float | None = None

    def as_row(self) -> dict[str, Any]:
        """The ``mentions.csv`` row (attributes as a JSON object string)."""
        row = asdict(self)
        row["attributes"] = json.dumps(self.attributes, sort_keys=True) if self.attributes else ""
        row["contribution"] = None if self.contribution is None else round(self.contribution, 4)
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Mention:
        """The inverse of :meth:`as_row`."""
        values = dict(row)
        values["attributes"] = json.loads(values["attributes"]) if values["attributes"] else {}
        contribution = values.get("contribution")
        values["contribution"] = float(contribution) if contribution not in (None, "") else None
        return cls(**values)


def _clean(value: Any) -> Any:
    """Make a parser result JSON-friendly: dataclasses to dicts, tuples to lists, drop Nones."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: _clean(v) for k, v in asdict(value).items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    return value


def _attributes(span: Span) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    lab = span._.nmnlp_lab
    if lab is not None:
        attributes.update(
            values_u_per_l=[v.value for v in lab.values],
            max_u_per_l=lab.max_value,
            ref_low=lab.ref_low,
            ref_high=lab.ref_high,
            fold_uln=lab.max_fold_uln,
            qualitative=lab.qualitative,
            unit=next((v.unit for v in lab.values if v.unit), None),
        )
    antibody = span._.nmnlp_antibody
    if antibody is not None:
        attributes.update(
            polarity=antibody.polarity, value=antibody.value, cutoff=antibody.ref_high
        )
    weakness = span._.nmnlp_weakness
    if weakness is not None:
        attributes.update(
            sites=list(weakness.sites) or None,
            region=weakness.region,
            side=weakness.side,
            symmetric=weakness.symmetric,
            mrc_grade=weakness.grade.text if weakness.grade else None,
            mrc_value=weakness.grade.value if weakness.grade else None,
            pattern=weakness.pattern,
        )
    return {k: v for k, v in attributes.items() if v is not None}


def _source_offsets(doc: Doc) -> Callable[[int], int]:
    """Map an offset in ``doc.text`` to the note (``nmnlp.pipeline.candidate_doc`` keeps
    only some sentences of it; any other Doc holds the whole note)."""
    source = doc._.nmnlp_source if Doc.has_extension("nmnlp_source") else None
    return source.to_source if source is not None else int


def mentions_from_doc(doc: Doc, note_id: str) -> list[Mention]:
    """Flatten a processed Doc into mentions (one per concept a span asserts).

    A span whose rule ``implies`` other concepts ("anti-HMGCR myopathy" implies
    ``hmgcr_antibody``) yields one mention per concept, same text and status
    (a diagnosis only when affirmed; see ``nmnlp.assertion.implied_concepts``).
    Offsets are the note's, also for a candidate doc.
    """
    to_source = _source_offsets(doc)
    mentions = []
    for span in doc.ents:
        if span._.nmnlp_status is None:
            continue
        rule = getattr(span._, "target_rule", None)
        metadata = rule_metadata(span)
        sent = span.sent
        section = span[0]._.section_category or ""
        attributes = _attributes(span)
        status = span._.nmnlp_status
        implied = implied_concepts(span.label_, status, metadata.get("implies", ()))
        for concept in (span.label_, *implied):
            mentions.append(
                Mention(
                    note_id=note_id,
                    concept=concept,
                    status=status,
                    text=span.text,
                    start=to_source(span.start_char),
                    end=to_source(span.end_char),
                    section=section,
                    sentence=sent.text,
                    is_negated=bool(span._.is_negated),
                    is_uncertain=bool(span._.is_uncertain),
                    is_historical=bool(span._.is_historical),
                    is_hypothetical=bool(span._.is_hypothetical),
                    is_family=bool(span._.is_family),
                    rule=rule.literal if rule is not None else "",
                    attributes=attributes,
                )
            )
    return mentions


def note_statuses(mentions: Iterable[Mention]) -> dict[str, str]:
    """Note-level status for every concept key (``not_mentioned`` where nothing was found)."""
    by_concept: dict[str, list[str]] = {key: [] for key in CONCEPT_KEYS}
    for mention in mentions:
        by_concept[mention.concept].append(mention.status)
    return {key: note_status(statuses) for key, statuses in by_concept.items()}


# Statuses whose CK values are the patient's own measurements.
_PATIENT_VALUE_STATUSES = frozenset({"present", "absent", "historical", "possible"})


def ck_summary(mentions: Iterable[Mention]) -> tuple[float | None, float | None]:
    """``(ck_max_u_per_l, ck_max_fold_uln)`` over the patient's own CK values.

    Family members' values and hypothetical ("if CK > 1000") values are left out.
    The fold uses the upper limit stated in the note, else the conventional
    upper limit of ``nmnlp.labs.CONVENTIONAL_ULN``.
    """
    max_value: float | None = None
    max_fold: float | None = None
    for mention in mentions:
        if mention.concept != "ck_elevated" or mention.status not in _PATIENT_VALUE_STATUSES:
            continue
        value = mention.attributes.get("max_u_per_l")
        fold = mention.attributes.get("fold_uln")
        if value is not None and (max_value is None or value > max_value):
            max_value = value
        if fold is not None and (max_fold is None or fold > max_fold):
            max_fold = fold
    return max_value, max_fold


def proximal_weakness_one_sided(mentions: Iterable[Mention]) -> bool:
    """True when the note's present proximal weakness is all on one named side.

    "R hip flexion 3/5" is one-sided; "4/5 hip flexors" (side unstated) or
    "bilateral" is not. False when no proximal weakness is present.
    """
    sides = [
        m.attributes.get("side")
        for m in mentions
        if m.concept == "proximal_weakness" and m.status == "present"
    ]
    return bool(sides) and all(side in {"left", "right"} for side in sides)


@dataclass(frozen=True)
class NoteResult:
    """Everything nmnlp concludes about one note."""

    note_id: str
    statuses: Mapping[str, str]
    ck_max_u_per_l: float | None
    ck_max_fold_uln: float | None
    score: float
    flag: bool
    evidence: str
    mentions: tuple[Mention, ...] = ()
    meta: Mapping[str, str] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """The ``notes.csv`` row, columns in contract order."""
        row: dict[str, Any] = {
            "note_id": self.note_id,
            "flag": int(self.flag),
            "score": round(self.score, 4),
        }
        row.update({key: self.statuses[key] for key in CONCEPT_KEYS})
        row["ck_max_u_per_l"] = self.ck_max_u_per_l
        row["ck_max_fold_uln"] = (
            None if self.ck_max_fold_uln is None else round(self.ck_max_fold_uln, 2)
        )
        row["evidence"] = self.evidence
        row["n_mentions"] = len(self.mentions)
        return row
