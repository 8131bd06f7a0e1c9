"""Report files: spreadsheet safety, round trips, the review page."""

from __future__ import annotations

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
