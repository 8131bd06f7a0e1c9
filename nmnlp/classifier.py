"""Scoring notes: the shipped classifier, the criteria score, and their explanations.

A *scorer* turns :class:`~nmnlp.features.NoteFacts` into a score in [0, 1]
and flags notes at its ``threshold``. Two kinds exist:

* :class:`ModelScorer`: a calibrated scikit-learn classifier trained by
  ``nmnlp train`` (see ``nmnlp.training``), stored in a model folder as
  ``model.skops`` (loaded with an explicit trusted-types list, never pickle)
  and ``model.json`` (feature names, threshold, metrics, versions). The model
  shipped in ``models/`` is the default. A note that meets every ENMC
  criterion (``nmnlp.criteria.meets_enmc``) scores at least the threshold,
  whatever the model says: the published definition of the disease is never
  overruled by a model trained on synthetic notes.
* :class:`CriteriaScorer`: the transparent ENMC-style score of
  ``nmnlp.criteria`` (``--model criteria``).

Every score is explained the same way, whatever the scorer
(:func:`score_notes`): for each finding in the note, how much the score would
drop (or rise) if the note did not mention it at all, measured in log-odds so
that a finding still counts when others already make the score near 1. The
largest of these contributions name the evidence shown to the reviewer.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .concepts import CONCEPT_KEYS
from .criteria import FLAG_THRESHOLD, criteria_score, meets_enmc
from .features import CRITERIA_SCORE_INDEX, FEATURE_NAMES, NoteFacts, feature_vector, without
from .modelio import load_model, save_model

__all__ = [
    "MODEL_FILE",
    "MODEL_INFO_FILE",
    "CriteriaScorer",
    "ModelError",
    "ModelScorer",
    "NoteScore",
    "Scorer",
    "default_scorer",
    "load_scorer",
    "score_notes",
]

MODEL_FILE = "model.skops"
MODEL_INFO_FILE = "model.json"
CRITERIA = "criteria"
# Contributions (in log-odds) smaller than this are noise, not evidence.
_MIN_CONTRIBUTION = 0.05
# Scores are clipped to [_EPSILON, 1 - _EPSILON] before taking log-odds.
_EPSILON = 1e-12


class ModelError(ValueError):
    """A model folder is missing, incomplete or made for other features."""


@dataclass(frozen=True)
class NoteScore:
    """A note's score, its flag and what drove it.

    Attributes:
        score: Probability-like score in [0, 1] (calibrated for a model).
        flag: ``score >= threshold``: worth a chart review.
        contributions: ``(concept key, change)`` for each finding of the note:
            the log-odds of the score minus the log-odds of the score the note
            would get without that finding. Largest magnitude first; negligible
            ones left out.
    """

    score: float
    flag: bool
    contributions: tuple[tuple[str, float], ...] = ()


class Scorer(Protocol):
    """What :func:`score_notes` needs from a scorer."""

    name: str
    threshold: float

    def scores(self, facts: Sequence[NoteFacts]) -> Sequence[float]:
        """Scores in [0, 1], one per note."""
        ...

    def describe(self) -> dict[str, Any]:
        """Name, threshold and provenance, for ``run.json`` and the review page."""
        ...


@dataclass(frozen=True)
class CriteriaScorer:
    """The transparent ENMC-style criteria score (``nmnlp.criteria``)."""

    threshold: float = FLAG_THRESHOLD
    name: str = "criteria (ENMC 2016-style, nmnlp.criteria)"

    def scores(self, facts: Sequence[NoteFacts]) -> list[float]:
        return [
            criteria_score(f.statuses, f.ck_fold, weakness_one_sided=f.weakness_one_sided)[0]
            for f in facts
        ]

    def scores_of_features(self, matrix: np.ndarray) -> np.ndarray:
        """Scores of feature rows (``FEATURE_NAMES`` order): their criteria-score column."""
        return matrix[:, CRITERIA_SCORE_INDEX]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "kind": CRITERIA, "threshold": self.threshold}


@dataclass(frozen=True)
class ModelScorer:
    """A trained, calibrated classifier over ``FEATURE_NAMES``.

    Attributes:
        estimator: A fitted scikit-learn classifier with ``predict_proba``.
        threshold: Flag threshold chosen on validation data.
        info: The model folder's ``model.json`` (features, metrics, versions).
        sha256: Hash of ``model.skops`` (``""`` for an unsaved model).
    """

    estimator: Any
    threshold: float
    info: Mapping[str, Any] = field(default_factory=dict)
    sha256: str = ""

    @property
    def name(self) -> str:
        return str(self.info.get("name", "classifier"))

    def scores(self, facts: Sequence[NoteFacts]) -> np.ndarray:
        return self.scores_of_features(np.array([feature_vector(f) for f in facts], dtype=float))

    def scores_of_features(self, matrix: np.ndarray) -> np.ndarray:
        """Scores of feature rows (``FEATURE_NAMES`` order), with the ENMC floor."""
        probabilities = self.estimator.predict_proba(matrix)[:, 1]
        enmc = np.array([meets_enmc(score) for score in matrix[:, CRITERIA_SCORE_INDEX]])
        return np.where(enmc, np.maximum(probabilities, self.threshold), probabilities)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.info.get("kind", "model"),
            "threshold": self.threshold,
            "model_sha256": self.sha256,
            "trained_at": self.info.get("trained_at"),
        }

    def save(self, folder: str | Path) -> Path:
        """Write ``model.skops`` and ``model.json`` into ``folder`` (created if missing)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        save_model(self.estimator, folder / MODEL_FILE)
        info = {**self.info, "threshold": self.threshold, "features": list(FEATURE_NAMES)}
        (folder / MODEL_INFO_FILE).write_text(
            json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        return folder


def score_notes(scorer: Scorer, facts: Sequence[NoteFacts]) -> list[NoteScore]:
    """Score notes and explain each score, in one call to the scorer.

    Each note is scored as it is and once more without each concept it
    mentions (:func:`nmnlp.features.without`); the differences are the
    contributions.
    """
    rows: list[NoteFacts] = []
    layout: list[list[str]] = []
    for note in facts:
        mentioned = [key for key in CONCEPT_KEYS if note.statuses[key] != "not_mentioned"]
        layout.append(mentioned)
        rows.append(note)
        rows.extend(without(note, key) for key in mentioned)
    values = np.asarray(scorer.scores(rows), dtype=float) if rows else np.zeros(0)
    clipped = np.clip(values, _EPSILON, 1 - _EPSILON)
    log_odds = np.log(clipped / (1 - clipped))
    results = []
    position = 0
    for mentioned in layout:
        score, own = float(values[position]), log_odds[position]
        others = log_odds[position + 1 : position + 1 + len(mentioned)]
        contributions = sorted(
            (
                (key, float(own - other))
                for key, other in zip(mentioned, others, strict=True)
                if abs(own - other) >= _MIN_CONTRIBUTION
            ),
            key=lambda item: (-abs(item[1]), item[0]),
        )
        results.append(NoteScore(score, score >= scorer.threshold, tuple(contributions)))
        position += 1 + len(mentioned)
    return results


def _shipped_model_dir() -> Path:
    return Path(str(resources.files("nmnlp.models")))


def load_scorer(model: str | Path | None = None) -> Scorer:
    """The scorer a user asked for.

    Args:
        model: ``None`` for the shipped model, ``"criteria"`` for the criteria
            score, or a folder written by ``nmnlp train``.

    Raises:
        ModelError: if the folder lacks the model files, or the model was
            trained on other features than this nmnlp version computes.
        nmnlp.modelio.UntrustedModelError: if ``model.skops`` holds untrusted types.
    """
    if model is not None and str(model) == CRITERIA:
        return CriteriaScorer()
    folder = Path(model) if model is not None else _shipped_model_dir()
    info_path, model_path = folder / MODEL_INFO_FILE, folder / MODEL_FILE
    if not info_path.is_file():
        raise ModelError(
            f"{folder} is not a model folder: it has no {MODEL_INFO_FILE} (write one with "
            "`nmnlp train CORPUS --out DIR`), or pass 'criteria'."
        )
    info = json.loads(info_path.read_text(encoding="utf-8"))
    if info.get("kind") == CRITERIA:
        return CriteriaScorer(threshold=float(info["threshold"]))
    if not model_path.is_file():
        raise ModelError(f"{folder} has {MODEL_INFO_FILE} but no {MODEL_FILE}.")
    if tuple(info.get("features", ())) != FEATURE_NAMES:
        raise ModelError(
            f"the model in {folder} was trained on other features than this nmnlp version "
            "computes; retrain it with `nmnlp train`."
        )
    return ModelScorer(
        estimator=load_model(model_path),
        threshold=float(info["threshold"]),
        info=info,
        sha256=hashlib.sha256(model_path.read_bytes()).hexdigest(),
    )


@functools.lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The shipped model, loaded once per process."""
    return load_scorer(None)
