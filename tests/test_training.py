"""Training: the model-choice rule, documentation dropout, and generate -> train -> evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import skops.io
from typer.testing import CliRunner

from nmnlp.classifier import MODEL_FILE, ModelScorer, load_scorer
from nmnlp.cli import app
from nmnlp.concepts import CONCEPT_KEYS
from nmnlp.features import NoteFacts
from nmnlp.modelio import TRUSTED_TYPES
from nmnlp.synth import generate, write_corpus
from nmnlp.training import (
    AUROC_TIE,
    BRIER_TIE,
    CandidateResult,
    LabelledNotes,
    _ranked,
    documentation_dropout,
)

runner = CliRunner()
DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


def candidate(name: str, auroc: float, brier: float) -> CandidateResult:
    return CandidateResult(name, auroc, brier, np.zeros(1))


def test_a_clearly_better_auroc_wins() -> None:
    ranked = _ranked(
        [
            candidate("logistic_regression", 0.95, 0.01),
            candidate("gradient_boosting", 0.99, 0.05),
            candidate("criteria", 0.90, 0.08),
        ]
    )
    assert [c.name for c in ranked] == ["gradient_boosting", "logistic_regression", "criteria"]


def test_near_ties_go_to_the_simpler_model_unless_it_is_worse_calibrated() -> None:
    close = BRIER_TIE / 2
    tie = _ranked(
        [
            candidate("logistic_regression", 0.999, 0.010 + close),
            candidate("gradient_boosting", 0.999 + AUROC_TIE / 2, 0.010),
            candidate("criteria", 0.99, 0.05),
        ]
    )
    assert tie[0].name == "logistic_regression"
    worse = _ranked(
        [
            candidate("logistic_regression", 0.999, 0.010 + 2 * BRIER_TIE),
            candidate("gradient_boosting", 0.999, 0.010),
            candidate("criteria", 0.99, 0.05),
        ]
    )
    assert worse[0].name == "gradient_boosting"


def test_documentation_dropout_only_forgets_findings() -> None:
    full = {key: "present" for key in CONCEPT_KEYS}
    data = LabelledNotes(
        note_ids=["a", "b"],
        facts=[NoteFacts(full, 40.0), NoteFacts({k: "not_mentioned" for k in CONCEPT_KEYS})],
        labels=np.array([1, 0]),
        groups=np.array(["letter", "ed"]),
        splits=np.array(["train", "train"]),
    )
    augmented = documentation_dropout(data, copies=5, rate=0.5, seed=1)
    assert len(augmented.labels) == 12
    assert augmented.note_ids.count("a") == 6 and set(augmented.labels[:6]) == {1}
    assert list(augmented.groups[:6]) == ["letter"] * 6
    copies = augmented.facts[1:6]
    assert all(set(c.statuses.values()) <= {"present", "not_mentioned"} for c in copies)
    assert any("not_mentioned" in c.statuses.values() for c in copies)
    assert augmented.facts[0] == data.facts[0]  # the note itself is kept as written


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    write_corpus(generate(220, seed=5), corpus, seed=5)
    return corpus


def test_generate_train_evaluate_and_run_with_the_new_model(small_corpus, tmp_path) -> None:
    model = tmp_path / "model"
    trained = runner.invoke(app, ["train", str(small_corpus), "--out", str(model), "-q"])
    assert trained.exit_code == 0, trained.output
    assert "chosen:" in trained.output

    info = json.loads((model / "model.json").read_text())
    assert {c["name"] for c in info["cross_validation"]["candidates"]} == {
        "logistic_regression",
        "gradient_boosting",
        "criteria",
    }
    validation = info["metrics"]["validation"]
    assert validation["sensitivity"] >= 0.95  # the threshold was chosen for this
    assert "Model card" in (model / "README.md").read_text()
    if (model / MODEL_FILE).exists():
        assert set(skops.io.get_untrusted_types(file=model / MODEL_FILE)) <= TRUSTED_TYPES

    metrics_file = tmp_path / "metrics.json"
    evaluated = runner.invoke(
        app,
        ["evaluate", str(small_corpus), "--model", str(model), "--out", str(metrics_file)],
    )
    assert evaluated.exit_code == 0, evaluated.output
    metrics = json.loads(metrics_file.read_text())
    assert metrics["scorer"]["threshold"] == pytest.approx(info["threshold"])
    assert metrics["flag"]["n"] == 220

    out = tmp_path / "report"
    ran = runner.invoke(app, ["run", str(DEMO), "--out", str(out), "-q", "--model", str(model)])
    assert ran.exit_code == 0, ran.output
    run_info = json.loads((out / "run.json").read_text())
    assert run_info["scorer"]["threshold"] == pytest.approx(info["threshold"])
    scorer = load_scorer(model)
    if isinstance(scorer, ModelScorer):
        assert run_info["scorer"]["model_sha256"] == scorer.sha256


def test_run_refuses_a_folder_that_is_not_a_model(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", str(DEMO), "--out", str(tmp_path / "out"), "--model", str(tmp_path)]
    )
    assert result.exit_code == 2 and "not a model folder" in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()


def test_run_with_the_criteria_score(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(DEMO), "--out", str(out), "-q", "--model", "criteria"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "run.json").read_text())["scorer"]["kind"] == "criteria"


def test_train_explains_a_folder_without_a_corpus(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", str(tmp_path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "notes.jsonl" in result.output
