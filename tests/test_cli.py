"""The command line, through Typer's runner and as a real subprocess."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nmnlp.cli import app
from nmnlp.reports import NOTE_COLUMNS

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
runner = CliRunner()


def write_notes(folder: Path) -> Path:
    (folder / "clinic").mkdir(parents=True)
    (folder / "clinic" / "a.txt").write_text(
        "HPI: trouble rising from a chair.\nLabs: CK 9,800 U/L. HMGCR Ab positive.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text("ROS: negative for rash and dysphagia.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def test_help_for_each_command() -> None:
    for args in ([], ["run"], ["extract"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_run_writes_reports_and_accounts_for_every_note(tmp_path: Path) -> None:
    notes = write_notes(tmp_path / "notes")
    out = tmp_path / "report"
    result = runner.invoke(app, ["run", str(notes), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "notes.csv").open(encoding="utf-8-sig")))
    errors = list(csv.DictReader((out / "errors.csv").open(encoding="utf-8-sig")))
    assert [r["note_id"] for r in rows] == ["clinic/a", "b"]  # flagged first
    assert rows[0]["flag"] == "1" and rows[1]["flag"] == "0"
    assert [e["note_id"] for e in errors] == ["empty"]
    assert list(rows[0]) == list(NOTE_COLUMNS)
    run_info = json.loads((out / "run.json").read_text())
    assert run_info["counts"] == {
        "notes": 2,
        "flagged": 1,
        "errors": 1,
        "mentions": run_info["counts"]["mentions"],
    }


def test_run_refuses_a_folder_with_reports(tmp_path: Path) -> None:
    notes = write_notes(tmp_path / "notes")
    out = tmp_path / "report"
    assert runner.invoke(app, ["run", str(notes), "--out", str(out), "-q"]).exit_code == 0
    again = runner.invoke(app, ["run", str(notes), "--out", str(out), "-q"])
    assert again.exit_code == 2 and "--overwrite" in again.output
    assert (
        runner.invoke(app, ["run", str(notes), "--out", str(out), "-q", "--overwrite"]).exit_code
        == 0
    )


def test_run_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2


def test_run_table_with_columns(tmp_path: Path) -> None:
    table = tmp_path / "notes.csv"
    pd.DataFrame(
        {"id": ["x1", "x2"], "body": ["CK 12,000 U/L and proximal weakness.", "No rash."]}
    ).to_csv(table, index=False)
    out = tmp_path / "r"
    result = runner.invoke(
        app, ["run", str(table), "--out", str(out), "--id-col", "id", "--text-col", "body", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(pd.read_csv(out / "notes.csv")["note_id"]) == ["x1", "x2"]
    bad = runner.invoke(app, ["run", str(table), "--out", str(tmp_path / "r2"), "-q"])
    assert bad.exit_code == 2 and "--text-col body" in bad.output


def test_run_with_only_unreadable_notes_exits_1(tmp_path: Path) -> None:
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "blank.txt").write_text("   \n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path / "n"), "--out", str(tmp_path / "r"), "-q"])
    assert result.exit_code == 1


def test_extract_from_stdin() -> None:
    result = runner.invoke(app, ["extract", "-"], input="Exam: 4-/5 hip flexors. CK 8,500 U/L.\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["proximal_weakness"] == "present"
    assert data["ck_max_u_per_l"] == 8500
    assert any(m["concept"] == "ck_elevated" for m in data["mentions"])


def test_extract_empty_note_is_an_error() -> None:
    result = runner.invoke(app, ["extract", "-"], input="   ")
    assert result.exit_code == 2


@pytest.mark.slow
def test_demo_corpus_as_a_real_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    command = [sys.executable, "-m", "nmnlp.cli", "run", str(DEMO), "--out", str(out)]
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_COLOR": "1"},
        cwd=tmp_path,  # not the source tree, which would shadow an installed nmnlp
    )
    assert proc.returncode == 0, proc.stderr
    assert "Report:" in proc.stderr and "notes.csv" in proc.stderr
    notes = pd.read_csv(out / "notes.csv")
    assert len(notes) == len(list(DEMO.glob("*.txt")))
    flagged = set(notes.loc[notes["flag"] == 1, "note_id"])
    positives = {p.stem for p in DEMO.glob("0[1-4]_*.txt")}
    assert positives <= flagged, f"missed positives: {positives - flagged}"
    # the trap notes (templated negatives, family history, resolved history) are not flagged
    assert not flagged & {p.stem for p in DEMO.glob("1[0-2]_*.txt")}
    # no note text leaks into the console output
    first_note = next(DEMO.glob("*.txt")).read_text(encoding="utf-8").splitlines()[2]
    assert first_note.strip() not in proc.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "spark", "--resume"], "--resume (Spark runs have no checkpoint"),
        (["--engine", "spark", "--n-process", "2"], "--n-process (Spark sets the parallelism"),
        (["--engine", "spark", "--patient-col", "mrn"], "--patient-col (patients.csv"),
        (["--engine", "spark", "--format", "brat"], "--format brat (brat files"),
        (["--engine", "spark", "--no-text"], "--no-text (--engine spark writes no review.html"),
        (["--csv"], "--csv apply to --engine spark only"),
        (["--spark-master", "local[2]"], "--spark-master apply to --engine spark only"),
        (["--engine", "dask"], "--engine takes local or spark, not 'dask'"),
    ],
)
def test_run_rejects_options_of_the_other_engine(
    tmp_path: Path, options: list[str], message: str
) -> None:
    notes = write_notes(tmp_path / "notes")
    result = runner.invoke(app, ["run", str(notes), "--out", str(tmp_path / "r"), *options])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "r").exists()
