"""The concept catalogue: the findings nmnlp extracts, their ids, and the statuses.

Concept keys are a contract: they name the per-concept columns of ``notes.csv``
and the ``concept`` column of ``mentions.csv``, and the evaluation uses them.
Target rules in ``lexicons/`` must use one of these keys as their ``category``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CONCEPTS",
    "CONCEPT_KEYS",
    "CORE_CONCEPT_KEYS",
    "MENTION_STATUSES",
    "NOTE_STATUSES",
    "Concept",
    "get_concept",
]


@dataclass(frozen=True)
class Concept:
    """One finding nmnlp looks for.

    Attributes:
        key: Stable identifier used in rules, columns and the API.
        label: Human-readable name for reports.
        hpo: Human Phenotype Ontology id of the concept (``""`` where none fits).
        umls: UMLS CUI of that HPO term (``""`` where none is known).
        kind: ``"finding"`` (symptom / sign), ``"lab"`` (a measured value or
            antibody result), ``"test"`` (EMG / MRI / biopsy result),
            ``"exposure"`` or ``"diagnosis"``.
    """

    key: str
    label: str
    hpo: str
    umls: str
    kind: str


CONCEPTS: tuple[Concept, ...] = (
    # The core keys of DESIGN.md, in report order.
    Concept("proximal_weakness", "Proximal muscle weakness", "HP:0003701", "C0221629", "finding"),
    Concept("distal_weakness", "Distal muscle weakness", "HP:0002460", "C0427065", "finding"),
    Concept("myalgia", "Myalgia", "HP:0003326", "C0231528", "finding"),
    Concept("fatigue", "Fatigue", "HP:0012378", "C0015672", "finding"),
    Concept("dysphagia", "Dysphagia", "HP:0002015", "C0011168", "finding"),
    Concept("dysphonia", "Dysphonia / dysarthria", "HP:0001618", "C1527344", "finding"),
    Concept("rash", "Rash (incl. dermatomyositis signs)", "HP:0000988", "C0015230", "finding"),
    Concept("muscle_atrophy", "Muscle atrophy", "HP:0003202", "C0234958", "finding"),
    Concept("hmgcr_antibody", "Anti-HMGCR antibody", "HP:0033708", "", "lab"),
    Concept("srp_antibody", "Anti-SRP antibody", "HP:0033713", "", "lab"),
    Concept("statin_exposure", "Statin exposure", "", "", "exposure"),
    Concept("biopsy_necrosis", "Muscle biopsy: necrotic fibres", "HP:0003713", "C1850848", "test"),
    # Extra keys that help reviewers and the classifier.
    Concept("ck_elevated", "Elevated creatine kinase", "HP:0003236", "C0151576", "lab"),
    Concept("aldolase_elevated", "Elevated aldolase", "", "", "lab"),
    Concept(
        "generalized_weakness", "Weakness, site not stated", "HP:0001324", "C0151786", "finding"
    ),
    Concept("emg_myopathic", "EMG: myopathic pattern", "HP:0003458", "C4021726", "test"),
    Concept("mri_muscle_edema", "MRI: muscle oedema", "", "", "test"),
    Concept(
        "other_myositis_antibody", "Other myositis antibody (Jo-1, Mi-2, MDA5 ...)", "", "", "lab"
    ),
    Concept(
        "imnm_diagnosis",
        "Necrotizing myopathy named as diagnosis",
        "HP:0008978",
        "C4024608",
        "diagnosis",
    ),
    Concept(
        "alternative_diagnosis",
        "Mimic named as diagnosis (DM, IBM, MG, PMR ...)",
        "",
        "",
        "diagnosis",
    ),
)

CONCEPT_KEYS: tuple[str, ...] = tuple(c.key for c in CONCEPTS)
CORE_CONCEPT_KEYS: tuple[str, ...] = CONCEPT_KEYS[:12]

MENTION_STATUSES: tuple[str, ...] = (
    "present",
    "absent",
    "possible",
    "historical",
    "family",
    "hypothetical",
)
NOTE_STATUSES: tuple[str, ...] = MENTION_STATUSES + ("not_mentioned",)

_BY_KEY = {c.key: c for c in CONCEPTS}


def get_concept(key: str) -> Concept:
    """Return the catalogue entry for ``key``.

    Raises:
        KeyError: if ``key`` is not a concept key; the message lists the valid keys.
    """
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(
            f"Unknown concept key {key!r}. Valid keys: {', '.join(CONCEPT_KEYS)}."
        ) from None
