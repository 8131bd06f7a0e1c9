"""Train the note classifier on an annotated corpus (``nmnlp train``).

The protocol, in order:

1. Run the extraction pipeline over the corpus and reduce each note to its
   features (``nmnlp.features``). Labels come from ``gold_notes.csv``.
2. Compare the candidates (:data:`CANDIDATES`: logistic regression, gradient
   boosting, and the transparent criteria score) by cross-validation on the
   training split, grouped by writing style so that no style is in both the
   fitting and the scoring folds. Models are fitted on the fitting folds with
   documentation dropout (:func:`documentation_dropout`) and scored on the
   scoring fold's notes as written. The best AUROC wins. Candidates within
   :data:`AUROC_TIE` of it are near-ties: among them the best Brier score
   (calibration) wins, unless an earlier candidate in :data:`CANDIDATES` is
   within :data:`BRIER_TIE` of that Brier score; then the earlier one wins.
   Earlier means simpler and better explained: a logistic regression's
   contributions add up exactly in log-odds, a tree ensemble's do not.
3. Fit the winner on the training split (with dropout), calibrated with Platt
   scaling on grouped out-of-fold scores (``CalibratedClassifierCV(ensemble=False)``).
4. Choose the flag threshold on the validation split (:func:`choose_threshold`):
   sensitivity first, as chart review wants. Without a validation split the
   out-of-fold scores of step 2 are used.
5. Measure every split, and write ``model.skops``, ``model.json`` and the
   model card ``README.md`` into the output folder.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import hashlib
import json
import platform
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from . import __version__
from .classifier import (
    CRITERIA,
    MODEL_FILE,
    MODEL_INFO_FILE,
    CriteriaScorer,
    ModelScorer,
)
from .evaluate import flag_metrics, read_corpus_notes
from .features import (
    CRITERIA_SCORE_INDEX,
    FEATURE_NAMES,
    FEATURE_STATUSES,
    NoteFacts,
    facts_from_mentions,
    feature_vector,
    without,
)

__all__ = [
    "AUROC_TIE",
    "BRIER_TIE",
    "CANDIDATES",
    "CandidateResult",
    "LabelledNotes",
    "TrainingResult",
    "TrainingSettings",
    "documentation_dropout",
    "choose_threshold",
    "compare_candidates",
    "labelled_notes",
    "model_card",
    "train",
]

AUROC_TIE = 0.002
BRIER_TIE = 0.005
DROPOUT_COPIES = 4
DROPOUT_RATE = 0.3


@dataclass(frozen=True)
class TrainingSettings:
    """How ``train`` splits, augments and thresholds (the defaults made the shipped model)."""

    min_sensitivity: float = 0.95
    train_split: str = "train"
    validation_split: str = "validation"
    dropout_copies: int = DROPOUT_COPIES
    dropout_rate: float = DROPOUT_RATE
    seed: int = 0


# name -> a fresh unfitted estimator (None: the criteria score, nothing to fit).
CANDIDATES: dict[str, Callable[[int], Any] | None] = {
    "logistic_regression": lambda seed: LogisticRegression(C=1.0, max_iter=5000),
    "gradient_boosting": lambda seed: HistGradientBoostingClassifier(
        max_iter=200,
        learning_rate=0.05,
        max_leaf_nodes=15,
        min_samples_leaf=20,
        l2_regularization=1.0,
        random_state=seed,
    ),
    CRITERIA: None,
}


@dataclass(frozen=True)
class LabelledNotes:
    """A corpus reduced to facts and features: one row per note (or augmented copy)."""

    note_ids: list[str]
    facts: list[NoteFacts]
    labels: np.ndarray
    groups: np.ndarray  # writing style (or family) of each note
    splits: np.ndarray

    @functools.cached_property
    def features(self) -> np.ndarray:
        return np.array([feature_vector(f) for f in self.facts], dtype=float)

    def subset(self, mask: np.ndarray) -> LabelledNotes:
        keep = np.flatnonzero(mask)
        return LabelledNotes(
            [self.note_ids[i] for i in keep],
            [self.facts[i] for i in keep],
            self.labels[keep],
            self.groups[keep],
            self.splits[keep],
        )


def _corpus_hash(corpus: Path) -> str:
    digest = hashlib.sha256()
    for name in ("notes.jsonl", "gold_notes.csv"):
        digest.update(name.encode())
        digest.update((corpus / name).read_bytes())
    return digest.hexdigest()


def labelled_notes(corpus: Path, facts: Mapping[str, NoteFacts]) -> LabelledNotes:
    """Join each note's facts with its gold label, style and split.

    Raises:
        ValueError: if ``gold_notes.csv`` lacks a ``label`` column or has a
            label other than 0 / 1, or a note has no facts.
    """
    with (corpus / "gold_notes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "label" not in rows[0]:
        raise ValueError(f"{corpus / 'gold_notes.csv'} needs note_id and label columns")
    bad = [r["note_id"] for r in rows if r["label"] not in {"0", "1"}]
    if bad:
        raise ValueError(f"label must be 0 or 1; {len(bad)} notes are not, e.g. {bad[0]!r}")
    missing = [r["note_id"] for r in rows if r["note_id"] not in facts]
    if missing:
        raise ValueError(f"{len(missing)} labelled notes have no text, e.g. {missing[0]!r}")
    group_col = "style" if "style" in rows[0] else "family" if "family" in rows[0] else None
    return LabelledNotes(
        note_ids=[r["note_id"] for r in rows],
        facts=[facts[r["note_id"]] for r in rows],
        labels=np.array([int(r["label"]) for r in rows]),
        groups=np.array([r[group_col] if group_col else r["note_id"] for r in rows]),
        splits=np.array([r.get("split") or "" for r in rows]),
    )


def documentation_dropout(
    data: LabelledNotes, copies: int = DROPOUT_COPIES, rate: float = DROPOUT_RATE, seed: int = 0
) -> LabelledNotes:
    """The notes plus ``copies`` sparser copies of each, for training.

    Each copy forgets every finding its note mentions with probability
    ``rate`` (:func:`nmnlp.features.without`) and keeps the note's label,
    style and split. Real notes document less than the synthetic ones (a terse
    ED note may say only "proximal weakness, CK 9,000, HMGCR positive"); without
    this the model learns to expect the long notes' many minor findings.
    """
    rng = random.Random(seed)
    rows = []
    for index, facts in enumerate(data.facts):
        rows.append((index, facts))
        mentioned = [key for key in FEATURE_STATUSES if facts.statuses[key] != "not_mentioned"]
        for _ in range(copies):
            sparse = facts
            for key in mentioned:
                if rng.random() < rate:
                    sparse = without(sparse, key)
            rows.append((index, sparse))
    source = np.array([index for index, _ in rows])
    return LabelledNotes(
        [data.note_ids[i] for i in source],
        [facts for _, facts in rows],
        data.labels[source],
        data.groups[source],
        data.splits[source],
    )


def _folds(data: LabelledNotes, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cross-validation folds grouped by style (stratified folds with fewer than 2 styles)."""
    n_groups = len(set(data.groups.tolist()))
    n_positive = int(data.labels.sum())
    n_splits = max(2, min(5, n_positive, len(data.labels) - n_positive))
    if n_groups >= 2:
        splitter: Any = StratifiedGroupKFold(
            n_splits=min(n_splits, n_groups), shuffle=True, random_state=seed
        )
        return list(splitter.split(data.labels, data.labels, data.groups))
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return list(splitter.split(data.labels, data.labels))


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's grouped cross-validation result."""

    name: str
    auroc: float
    brier: float
    out_of_fold: np.ndarray


def _fit(name: str, data: LabelledNotes, settings: TrainingSettings) -> ModelScorer:
    """Fit candidate ``name`` on ``data`` with documentation dropout, Platt-calibrated."""
    factory = CANDIDATES[name]
    assert factory is not None, "the criteria score has nothing to fit"
    augmented = documentation_dropout(
        data, settings.dropout_copies, settings.dropout_rate, settings.seed
    )
    estimator = CalibratedClassifierCV(
        factory(settings.seed),
        method="sigmoid",
        cv=_folds(augmented, settings.seed),
        ensemble=False,
    )
    estimator.fit(augmented.features, augmented.labels)
    return ModelScorer(estimator, threshold=0.0)


def _candidate_scores(
    name: str, fitting: LabelledNotes, scoring: LabelledNotes, settings: TrainingSettings
) -> np.ndarray:
    if CANDIDATES[name] is None:
        return scoring.features[:, CRITERIA_SCORE_INDEX]
    return _fit(name, fitting, settings).scores_of_features(scoring.features)


def compare_candidates(data: LabelledNotes, settings: TrainingSettings) -> list[CandidateResult]:
    """Grouped cross-validated AUROC and Brier score of every candidate, best first.

    Models are fitted on dropout-augmented folds and scored on the held-out
    fold's notes as written.
    """
    folds = _folds(data, settings.seed)
    results = []
    for name in CANDIDATES:
        out_of_fold = np.zeros(len(data.labels))
        for fit_rows, score_rows in folds:
            fitting = data.subset(np.isin(np.arange(len(data.labels)), fit_rows))
            scoring = data.subset(np.isin(np.arange(len(data.labels)), score_rows))
            out_of_fold[score_rows] = _candidate_scores(name, fitting, scoring, settings)
        results.append(
            CandidateResult(
                name,
                float(roc_auc_score(data.labels, out_of_fold)),
                float(brier_score_loss(data.labels, out_of_fold)),
                out_of_fold,
            )
        )
    return _ranked(results)


def _ranked(results: list[CandidateResult]) -> list[CandidateResult]:
    """Best first, by the rule in the module docstring."""
    order = {name: i for i, name in enumerate(CANDIDATES)}
    best_auroc = max(r.auroc for r in results)
    near_ties = [r for r in results if r.auroc >= best_auroc - AUROC_TIE]
    best_brier = min(r.brier for r in near_ties)
    winner = min(
        (r for r in near_ties if r.brier <= best_brier + BRIER_TIE), key=lambda r: order[r.name]
    )
    rest = sorted(
        (r for r in results if r is not winner),
        key=lambda r: (r.auroc < best_auroc - AUROC_TIE, r.brier, order[r.name]),
    )
    return [winner, *rest]


def choose_threshold(
    labels: Sequence[int], scores: Sequence[float], min_sensitivity: float = 0.95
) -> float:
    """The flag threshold: sensitivity first, then specificity, then more sensitivity.

    Among thresholds that reach ``min_sensitivity``, keep those with the best
    specificity, and of those the lowest (it flags every positive the others
    flag, and maybe more). The threshold sits halfway between that note's score
    and the next lower score, so a note scored like a flagged validation note
    is flagged too.

    Raises:
        ValueError: if there is no positive or no negative label.
    """
    labels_array, scores_array = np.asarray(labels), np.asarray(scores, dtype=float)
    positives = np.sort(scores_array[labels_array == 1])
    negatives = np.sort(scores_array[labels_array == 0])
    if not len(positives) or not len(negatives):
        raise ValueError("choosing a threshold needs positive and negative notes")
    candidates = np.unique(scores_array)
    sensitivity = 1 - np.searchsorted(positives, candidates, side="left") / len(positives)
    specificity = np.searchsorted(negatives, candidates, side="left") / len(negatives)
    feasible = sensitivity >= min_sensitivity - 1e-12
    best_specificity = specificity[feasible].max()
    index = int(np.flatnonzero(feasible & (specificity >= best_specificity - 1e-12))[0])
    lower = candidates[index - 1] if index > 0 else 0.0
    return float((candidates[index] + lower) / 2)


def _metrics(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, Any]:
    flags = (scores >= threshold).astype(int)
    return flag_metrics(labels.tolist(), flags.tolist(), scores.tolist())


@dataclass(frozen=True)
class TrainingResult:
    """What ``train`` did: the comparison, the chosen scorer, and per-split metrics."""

    candidates: list[CandidateResult]
    chosen: str
    threshold: float
    metrics: dict[str, dict[str, Any]]
    info: dict[str, Any]
    out_dir: Path


def _versions() -> dict[str, str]:
    names = ("scikit-learn", "numpy", "spacy", "medspacy", "skops")
    return {"nmnlp": __version__, "python": platform.python_version()} | {
        name: version(name) for name in names
    }


def train(
    corpus: str | Path,
    out_dir: str | Path,
    *,
    settings: TrainingSettings | None = None,
    facts: Mapping[str, NoteFacts] | None = None,
    progress: Callable[[int], None] | None = None,
) -> TrainingResult:
    """Train, choose and calibrate the note classifier; write the model folder.

    Args:
        corpus: A folder with ``notes.jsonl`` and ``gold_notes.csv`` (``label``;
            optional ``style`` and ``split`` columns). Notes of splits other
            than the training and validation splits are only measured. A corpus
            without a training split trains on every note and takes the
            threshold from out-of-fold scores.
        out_dir: Model folder to write (``model.skops``, ``model.json``, ``README.md``).
        settings: Splits, sensitivity target, dropout, seed (see :class:`TrainingSettings`).
        facts: Precomputed facts per note id (default: run the pipeline).
        progress: Called with the number of notes extracted after each one.

    Raises:
        ValueError: if the training notes are not of both classes.
    """
    settings = settings or TrainingSettings()
    corpus, out_dir = Path(corpus), Path(out_dir)
    if facts is None:
        facts = extract_facts(corpus, progress=progress)
    data = labelled_notes(corpus, facts)
    has_splits = bool((data.splits == settings.train_split).any())
    training = data.subset(data.splits == settings.train_split) if has_splits else data
    if len(set(training.labels.tolist())) < 2:
        raise ValueError("the training notes need positive and negative labels")
    candidates = compare_candidates(training, settings)
    chosen = candidates[0]
    scorer: CriteriaScorer | ModelScorer = (
        CriteriaScorer(threshold=0.0)
        if chosen.name == CRITERIA
        else _fit(chosen.name, training, settings)
    )
    validation = data.subset(data.splits == settings.validation_split)
    if len(set(validation.labels.tolist())) == 2:
        threshold_source = f"split {settings.validation_split!r}"
        validation_scores = scorer.scores_of_features(validation.features)
        threshold = choose_threshold(validation.labels, validation_scores, settings.min_sensitivity)
    else:
        threshold_source = "grouped out-of-fold scores of the training notes"
        threshold = choose_threshold(training.labels, chosen.out_of_fold, settings.min_sensitivity)
    scorer = dataclasses.replace(scorer, threshold=threshold)
    metrics = {}
    for split in sorted(set(data.splits.tolist())):
        part = data.subset(data.splits == split)
        metrics[split or "all"] = _metrics(
            part.labels, scorer.scores_of_features(part.features), threshold
        )
    info = _model_info(corpus, data, training, candidates, chosen.name, threshold, settings)
    info["threshold_rule"] = (
        "lowest threshold with the best specificity among those reaching sensitivity "
        f">= {settings.min_sensitivity} on {threshold_source}"
    )
    info["metrics"] = _rounded(metrics)
    _write_model_folder(out_dir, scorer, info)
    return TrainingResult(candidates, chosen.name, threshold, metrics, info, out_dir)


def _model_info(
    corpus: Path,
    data: LabelledNotes,
    training: LabelledNotes,
    candidates: Sequence[CandidateResult],
    chosen: str,
    threshold: float,
    settings: TrainingSettings,
) -> dict[str, Any]:
    return {
        "name": f"nmnlp note classifier ({chosen})",
        "kind": chosen,
        "threshold": threshold,
        "min_sensitivity": settings.min_sensitivity,
        "features": list(FEATURE_NAMES),
        "training_data": {
            "corpus": corpus.name,
            "sha256": _corpus_hash(corpus),
            "notes": len(data.labels),
            "positives": int(data.labels.sum()),
            "train_split": settings.train_split,
            "train_notes": len(training.labels),
            "validation_split": settings.validation_split,
        },
        "documentation_dropout": {
            "copies": settings.dropout_copies,
            "rate": settings.dropout_rate,
        },
        "cross_validation": {
            "grouped_by": "style",
            "folds": len(_folds(training, settings.seed)),
            "candidates": [
                {"name": c.name, "auroc": round(c.auroc, 4), "brier": round(c.brier, 4)}
                for c in candidates
            ],
        },
        "versions": _versions(),
        "lexicons_sha256": _lexicons_hash(),
        "seed": settings.seed,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _write_model_folder(
    out_dir: Path, scorer: CriteriaScorer | ModelScorer, info: dict[str, Any]
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if isinstance(scorer, ModelScorer):
        ModelScorer(scorer.estimator, scorer.threshold, info).save(out_dir)
    else:
        (out_dir / MODEL_FILE).unlink(missing_ok=True)
        (out_dir / MODEL_INFO_FILE).write_text(
            json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    (out_dir / "README.md").write_text(model_card(info), encoding="utf-8")


def _lexicons_hash() -> str:
    from .resources import lexicons_hash

    return lexicons_hash()


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def extract_facts(
    corpus: Path, progress: Callable[[int], None] | None = None
) -> dict[str, NoteFacts]:
    """Run the extraction pipeline over a corpus's ``notes.jsonl``: facts per note id."""
    from .api import iter_results
    from .notes import Note, ReadError

    notes = [Note(note_id, text) for note_id, text in read_corpus_notes(corpus)]
    facts = {}
    for result in iter_results(notes, scorer=CriteriaScorer()):
        if isinstance(result, ReadError):
            raise ValueError(f"note {result.note_id!r} could not be processed: {result.reason}")
        facts[result.note_id] = facts_from_mentions(result.mentions)
        if progress is not None:
            progress(1)
    return facts


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def model_card(info: Mapping[str, Any]) -> str:
    """The model card (``README.md`` of a model folder) from its ``model.json``."""
    data = info["training_data"]
    cv = info["cross_validation"]
    lines = [
        f"# Model card: {info['name']}",
        "",
        "Written by `nmnlp train`; the numbers below come from `model.json` next to this file.",
        "",
        "## Intended use",
        "",
        "Ranks clinical notes by how consistent they are with necrotizing myopathy (IMNM) so",
        "that a clinician reviews the likely ones first (chart review, case finding for",
        'research). It is **not** a diagnostic device: a flag means "read this chart", and',
        "an unflagged note is not evidence against the disease. The threshold favours",
        "sensitivity, so expect false positives among flagged notes.",
        "",
        "## Training data",
        "",
        f"- Corpus `{data['corpus']}`, SHA-256 `{data['sha256']}` (notes.jsonl + gold_notes.csv).",
        f"- {data['notes']} notes, {data['positives']} positive; fitted on split "
        f"`{data['train_split']}`, threshold chosen on `{data['validation_split']}`.",
        "- The shipped model is trained on nmnlp's synthetic corpus (`corpora/synthetic/`,",
        "  see its README): no real patient text. Real notes are more varied; measure the",
        "  model on your own charts (`nmnlp evaluate notes.csv` with a `review_label` column)",
        "  before relying on it.",
        "",
        "## Features",
        "",
        f"{len(info['features'])} features computed by `nmnlp.features` from the extracted",
        "findings (not from the words of the note): one indicator per meaningful (concept,",
        "note status) pair, the CK fold of the upper limit (log2, and >= 5x), one-sided",
        "proximal weakness, and the transparent ENMC-style criteria score. The model",
        "therefore depends on the extraction rules (lexicons SHA-256 "
        f"`{info['lexicons_sha256'][:16]}…`).",
        "",
        "## Model choice",
        "",
        f"Grouped {cv['folds']}-fold cross-validation on the training split, grouped by writing "
        f"style. Best AUROC wins; near-ties (AUROC within {AUROC_TIE}) go to the best Brier "
        "score, or to the simpler, exactly explainable model when its Brier score is within "
        f"{BRIER_TIE} of it.",
        "",
        "| candidate | CV AUROC | CV Brier |",
        "|---|---|---|",
        *(f"| {c['name']} | {c['auroc']:.4f} | {c['brier']:.4f} |" for c in cv["candidates"]),
        "",
        f"Chosen: **{info['kind']}**, Platt-calibrated on grouped out-of-fold scores. "
        f"Flag threshold **{info['threshold']:.4f}**: {info['threshold_rule']}.",
        "",
        "## Metrics per split (at the flag threshold)",
        "",
        "| split | notes | sensitivity | specificity | PPV | AUROC | Brier |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {split} | {m['n']} | {_fmt(m['sensitivity'])} | {_fmt(m['specificity'])} | "
            f"{_fmt(m['ppv'])} | {_fmt(m['auroc'])} | {_fmt(m['brier'])} |"
            for split, m in info["metrics"].items()
        ),
        "",
        "The training split is in-sample; the validation split set the threshold; any other",
        "split (e.g. `test_heldout_style`, a writing style never seen in training) is held out.",
        "",
        "## Explanations",
        "",
        "Each note's score is explained by removing one finding at a time and rescoring: the",
        "change is that finding's contribution. The largest contributions, with the text that",
        "supports them, are the `evidence` column of `notes.csv` and the `contribution` column",
        "of `mentions.csv`.",
        "",
        "## Limits",
        "",
        "- Trained on synthetic notes only; its calibration on real notes is unknown. On the",
        "  4,999 real MTSamples transcriptions (almost surely no IMNM case), see the project",
        "  README for the share of notes flagged.",
        "- It sees only what the rules extract: a finding the rules miss cannot raise the",
        "  score, and an extraction error (e.g. a negation missed) carries into it.",
        "- English notes; adult and juvenile presentations as written in the corpus.",
        "",
        "## Versions",
        "",
        *(f"- {name} {value}" for name, value in info["versions"].items()),
        f"- trained {info['trained_at']}, seed {info['seed']}",
        "",
    ]
    return "\n".join(lines)
