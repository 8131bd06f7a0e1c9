"""Report files: spreadsheet safety, round trips, the review page."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nmnlp.cli import app
from nmnlp.reports import NOTE_COLUMNS
from nmnlp.reports.cells import safe_cell

runner = CliRunner()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("- CK 8500", "'- CK 8500"),
        ("-3.5", "-3.5"),
        ("+12", "+12"),
        ("-1e3", "-1e3"),
        (-3.5, -3.5),
        ("CK 12,450 U/L", "CK 12,450 U/L"),
        ("", ""),
        (None, None),
    ],
)
def test_safe_cell(value, expected) -> None:
    assert safe_cell(value) == expected


def test_hostile_note_round_trips_safely(tmp_path: Path) -> None:
    notes = tmp_path / "in"
    notes.mkdir()
    (notes / "=cmd.txt").write_text(
        "- CK 12,450 U/L (ref 30-200)\n=2+2 weak hip flexors 4/5\n"
        "<script>window.__pwned=1</script>",
        encoding="utf-8",
    )
    (notes / "plain.txt").write_text("No rash.", encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(notes), "--out", str(out), "-q"]).exit_code == 0
    assert (out / "notes.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for spreadsheets
    table = pd.read_csv(out / "notes.csv", keep_default_na=False)
    assert list(table.columns) == list(NOTE_COLUMNS)
    assert set(table["note_id"]) == {"'=cmd", "plain"}
    assert (table["review_label"] == "").all()
    assert float(table.loc[table.note_id == "'=cmd", "ck_max_u_per_l"].item()) == 12450
    mentions = pd.read_csv(out / "mentions.csv", keep_default_na=False)
    starts = [str(v)[0] for col in ("text", "sentence") for v in mentions[col] if str(v)]
    assert not set(starts) & {"=", "+", "-", "@"}
    assert {"section", "sentence"} <= set(mentions.columns)
    page = (out / "review.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page
    assert "weak hip flexors" in page


def test_no_text_review_page(tmp_path: Path) -> None:
    notes = tmp_path / "in"
    notes.mkdir()
    sentinel = "The patient's cat is named Biscuit."
    (notes / "a.txt").write_text(f"{sentinel}\nExam: 4-/5 hip flexors.", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(notes), "--out", str(out), "-q", "--no-text"])
    assert result.exit_code == 0
    page = (out / "review.html").read_text(encoding="utf-8")
    assert "Biscuit" not in page and "hip flexors" in page


def test_patient_roll_up_from_folders(tmp_path: Path) -> None:
    notes = tmp_path / "in"
    for patient, name, text in [
        ("p1", "2024-01.txt", "Proximal weakness. CK 9,000 U/L. HMGCR Ab positive."),
        ("p1", "2024-02.txt", "No rash. CK 4,000 U/L."),
        ("p2", "visit.txt", "Knee pain. ROS negative for rash."),
    ]:
        (notes / patient).mkdir(parents=True, exist_ok=True)
        (notes / patient / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(notes), "--out", str(out), "-q", "--patient-from-folder"]
    assert runner.invoke(app, args).exit_code == 0
    patients = pd.read_csv(out / "patients.csv", keep_default_na=False).set_index("patient_id")
    assert list(patients.index) == ["p1", "p2"]  # flagged first
    assert patients.loc["p1", "n_notes"] == 2 and patients.loc["p1", "flag"] == 1
    assert patients.loc["p1", "driving_note_id"] == "p1/2024-01"
    assert float(patients.loc["p1", "ck_max_u_per_l"]) == 9000
    assert patients.loc["p1", "rash"] == "absent" and patients.loc["p2", "flag"] == 0


def test_patient_and_date_columns_from_a_table(tmp_path: Path) -> None:
    table = tmp_path / "notes.csv"
    pd.DataFrame(
        {
            "note_id": ["a", "b"],
            "mrn": ["=X1", "=X1"],
            "date": ["2024-03-01", "2024-01-05"],
            "text": ["CK 12,000 U/L, weak hip flexors 3/5.", "Fatigue."],
        }
    ).to_csv(table, index=False)
    out = tmp_path / "out"
    args = [
        "run",
        str(table),
        "--out",
        str(out),
        "-q",
        "--patient-col",
        "mrn",
        "--date-col",
        "date",
    ]
    assert runner.invoke(app, args).exit_code == 0, args
    patients = pd.read_csv(out / "patients.csv", keep_default_na=False)
    assert patients["patient_id"].tolist() == ["'=X1"]  # formula-safe
    assert (
        patients.loc[0, "first_date"] == "2024-01-05"
        and patients.loc[0, "last_date"] == "2024-03-01"
    )
    assert "X1" in (out / "review.html").read_text(encoding="utf-8")


def test_brat_export(tmp_path: Path) -> None:
    notes = tmp_path / "in"
    (notes / "clinic").mkdir(parents=True)
    text = "HPI: trouble climbing stairs.\nNo rash. CK 12,450 U/L."
    (notes / "clinic" / "n1.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert (
        runner.invoke(
            app, ["run", str(notes), "--out", str(out), "-q", "--format", "brat"]
        ).exit_code
        == 0
    )
    ann = (out / "brat" / "clinic" / "n1.ann").read_text(encoding="utf-8")
    written = (out / "brat" / "clinic" / "n1.txt").read_text(encoding="utf-8")
    assert written == text
    lines = [line.split("\t") for line in ann.splitlines() if line.startswith("T")]
    assert any(fields[1].split()[0] == "rash" for fields in lines)
    for _, where, quoted in lines:
        _, start, end = where.split()
        assert written[int(start) : int(end)].replace("\n", " ") == quoted
    assert "absent" in ann and (out / "brat" / "annotation.conf").exists()
    assert oct((out / "brat" / "clinic" / "n1.ann").stat().st_mode & 0o777) == "0o600"


def test_reports_are_the_same_when_notes_are_sorted_on_disk(tmp_path: Path, monkeypatch) -> None:
    """notes.csv is sorted in chunks spilled to disk; small chunks give the same files."""
    notes = tmp_path / "in"
    texts = ["Proximal weakness. CK 9,000 U/L.", "No rash.", "HMGCR Ab positive.", "Fatigue."]
    for index in range(12):
        patient = notes / f"p{index % 3}"
        patient.mkdir(parents=True, exist_ok=True)
        (patient / f"{index:02}.txt").write_text(texts[index % 4], encoding="utf-8")
    args = ["run", str(notes), "-q", "--patient-from-folder", "--out"]
    assert runner.invoke(app, [*args, str(tmp_path / "memory")]).exit_code == 0
    monkeypatch.setattr("nmnlp.reports.SORT_CHUNK_ROWS", 5)
    assert runner.invoke(app, [*args, str(tmp_path / "disk")]).exit_code == 0
    for name in ("notes.csv", "mentions.csv", "patients.csv"):
        assert (tmp_path / "disk" / name).read_bytes() == (tmp_path / "memory" / name).read_bytes()
    assert not list((tmp_path / "disk").glob(".sorting-*"))  # temporary files removed


def _without_timestamp(page: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\dT[\d:+]+", "TIME", page)


def test_review_page_is_streamed_from_the_checkpoint_in_report_order(tmp_path: Path) -> None:
    """review.html reads its notes back from the checkpoint by byte place, one at a time.

    Non-ASCII text makes byte places differ from character places; the page must
    equal the pure renderer's page for the same notes.
    """
    from nmnlp.api import analyze
    from nmnlp.reports.html import ReviewNote, ReviewSummary, render_review

    texts = {
        "a-ü": "Patientin mit Schwäche — proximal weakness of the hip flexors. CK 12,400 U/L.",
        "b": "Myalgia only. CK normal. No rash.",
        "c-é": "Anti-HMGCR antibodies positive (résultat 240 U). Atorvastatin 40 mg daily.",
        "d": "Follow-up: dysphagia to solids, fatigue.",
    }
    folder = tmp_path / "in"
    folder.mkdir()
    for note_id, text in texts.items():
        (folder / f"{note_id}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(folder), "-q", "--out", str(out)]).exit_code == 0
    page = (out / "review.html").read_text(encoding="utf-8")

    from nmnlp.notes import Note

    results = analyze([Note(note_id, text) for note_id, text in texts.items()])
    run_info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    expected = render_review(
        [  # the report keeps scores as notes.csv shows them
            dataclasses.replace(
                ReviewNote.from_result(r, texts[r.note_id]), score=r.as_row()["score"]
            )
            for r in results
        ],
        ReviewSummary(
            notes=4,
            flagged=sum(r.flag for r in results),
            errors=0,
            nmnlp_version=run_info["nmnlp_version"],
            lexicons_sha256=run_info["lexicons_sha256"],
            scorer=run_info["scorer"]["name"],
            generated_at="TIME",
            flag_threshold=run_info["scorer"]["threshold"],
        ),
    )
    assert _without_timestamp(page) == _without_timestamp(expected)
    order = pd.read_csv(out / "notes.csv", dtype=str, encoding="utf-8-sig")["note_id"].tolist()
    shown = re.findall(r'\{"id":"([^"]+)"', page.split('id="nmnlp-data">', 1)[1])
    assert [json.loads(f'"{i}"') for i in shown] == order  # ids are \u-escaped in the page
