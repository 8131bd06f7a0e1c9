"""Evaluation: metric functions, the corpus workflow and reviewed notes.csv files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nmnlp.cli import app
from nmnlp.evaluate import ck_exactness, flag_metrics, mention_metrics, note_status_accuracy
from nmnlp.synth import generate, write_corpus

runner = CliRunner()


def test_flag_metrics() -> None:
    m = flag_metrics([1, 1, 0, 0, 0], [1, 0, 1, 0, 0], [0.9, 0.4, 0.7, 0.1, 0.2])
    assert (m["tp"], m["fn"], m["fp"], m["tn"]) == (1, 1, 1, 2)
    assert m["sensitivity"] == 0.5 and m["specificity"] == pytest.approx(2 / 3) and m["ppv"] == 0.5
    assert m["auroc"] == pytest.approx(5 / 6)
    assert flag_metrics([1, 1], [1, 1], [0.9, 0.8])["auroc"] is None  # one class only


def test_mention_metrics_overlap_matching() -> None:
    gold = [
        {"note_id": "a", "concept": "rash", "start": 0, "end": 4, "status": "absent"},
        {"note_id": "a", "concept": "rash", "start": 20, "end": 24, "status": "present"},
    ]
    predicted = [
        {"note_id": "a", "concept": "rash", "start": 2, "end": 6, "status": "absent"},
        {"note_id": "a", "concept": "myalgia", "start": 30, "end": 35, "status": "present"},
    ]
    m = mention_metrics(gold, predicted)
    assert (m["rash"]["tp"], m["rash"]["fn"], m["rash"]["fp"]) == (1, 1, 0)
    assert m["rash"]["status_accuracy"] == 1.0 and m["myalgia"]["fp"] == 1
    assert m["myalgia"]["precision"] == 0.0


def test_note_status_accuracy_and_ck() -> None:
    gold = {
        "a": dict.fromkeys(note_keys(), "not_mentioned"),
        "b": dict.fromkeys(note_keys(), "absent"),
    }
    predicted = {
        "a": dict.fromkeys(note_keys(), "not_mentioned"),
        "b": dict.fromkeys(note_keys(), "present"),
    }
    assert note_status_accuracy(gold, predicted)["mean"] == 0.5
    assert ck_exactness(
        {"a": 100.0, "b": None, "c": 5.0}, {"a": 100.2, "b": None, "c": 7.0}
    ) == pytest.approx(2 / 3)


def note_keys():
    from nmnlp.concepts import CONCEPT_KEYS

    return CONCEPT_KEYS


def test_evaluate_a_generated_corpus_end_to_end(tmp_path: Path) -> None:
    corpus = write_corpus(generate(40, seed=3), tmp_path / "corpus", seed=3)
    out = tmp_path / "metrics.json"
    result = runner.invoke(app, ["evaluate", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    assert metrics["notes"] == 40
    assert 0 <= metrics["note_status_accuracy"]["mean"] <= 1
    assert (
        metrics["flag"]["tp"]
        + metrics["flag"]["fn"]
        + metrics["flag"]["fp"]
        + metrics["flag"]["tn"]
        == 40
    )
    assert "| proximal_weakness |" in result.output


def test_evaluate_a_reviewed_notes_csv(tmp_path: Path) -> None:
    notes = tmp_path / "in"
    notes.mkdir()
    (notes / "pos.txt").write_text(
        "Weak hip flexors 3/5. CK 15,000 U/L. Anti-SRP positive.", encoding="utf-8"
    )
    (notes / "neg.txt").write_text("Knee pain. No rash.", encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(notes), "--out", str(out), "-q"]).exit_code == 0
    no_labels = runner.invoke(app, ["evaluate", str(out / "notes.csv")])
    assert no_labels.exit_code == 2 and "review_label" in no_labels.output
    table = pd.read_csv(out / "notes.csv", keep_default_na=False)
    table["review_label"] = [1 if i == "pos" else 0 for i in table["note_id"]]
    table.to_csv(out / "notes.csv", index=False, encoding="utf-8-sig")
    result = runner.invoke(app, ["evaluate", str(out / "notes.csv")])
    assert result.exit_code == 0, result.output
    assert "sensitivity 1.000" in result.output and "specificity 1.000" in result.output
