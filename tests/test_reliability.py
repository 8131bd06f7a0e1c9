"""No note lost, no crash on bad input, resumable and deterministic runs, private files."""

from __future__ import annotations

import csv
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from nmnlp.assertion import NOTE_PRECEDENCE, note_status
from nmnlp.cli import app
from nmnlp.concepts import MENTION_STATUSES

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
REPORTS = ("notes.csv", "mentions.csv", "errors.csv")
runner = CliRunner()

NOTE = "HPI: trouble climbing stairs. Exam: 4-/5 hip flexors. CK 12,450 U/L (ref 30-200)."


def ids_in(out: Path, name: str) -> list[str]:
    with (out / name).open(encoding="utf-8-sig") as handle:
        return [row["note_id"] for row in csv.DictReader(handle)]


def reasons(out: Path) -> dict[str, str]:
    with (out / "errors.csv").open(encoding="utf-8-sig") as handle:
        return {row["note_id"]: row["reason"] for row in csv.DictReader(handle)}


def hostile_folder(root: Path) -> dict[str, str]:
    """Write one file per hostile case; return note id -> where it must land."""
    root.mkdir()
    cases = {
        "empty": (b"", "errors"),
        "whitespace": (b"  \n\t \r\n ", "errors"),
        "binary": (bytes(range(256)) * 40, "errors"),
        "invalid_utf8": (b"CK 12\xff\xfe450 U/L; weak hip flexors", "notes"),
        "utf16_bom": (NOTE.encode("utf-16"), "notes"),
        "utf16_no_bom": (NOTE.encode("utf-16-le"), "notes"),
        "cp1252": ("CK 12 450 U/L \u2013 patient caf\u00e9, \u00b5kat".encode("cp1252"), "notes"),
        "latin1": ("Fatigue, myalgie, caf\u00e9 \u00e0 la cr\u00e8me".encode("latin-1"), "notes"),
        "control_chars": (b"CK\x07 8500\x1b[31m U/L\x0c weakness\x08", "notes"),
        "punctuation": (b"!!! ... ,,, ;;; ??? --- ***", "notes"),
        "rtf": (
            rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Arial;}}\f0 CK 9,800 U/L.\par "
            rb"Proximal weakness.\par}",
            "notes",
        ),
        "html": (
            b"<html><body><p>CK &gt; 22,000</p><script>x()</script><p>No rash.</p></body></html>",
            "notes",
        ),
        "huge_20mb": ((NOTE + "\n").encode() * (20_000_000 // (len(NOTE) + 1)), "errors"),
        "one_line_1mb": (
            ("Patient walked to clinic today and reports mild fatigue, " * 17_500)[
                :1_048_576
            ].encode(),
            "notes",
        ),
    }
    for name, (data, _) in cases.items():
        (root / f"{name}.txt").write_bytes(data)
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "unreadable.txt").write_text(NOTE, encoding="utf-8")
    os.chmod(root / "unreadable.txt", 0)
    expected = {name: where for name, (_, where) in cases.items()}
    expected["loop"] = "errors"
    # root reads anything; anyone else gets "permission denied"
    expected["unreadable"] = "notes" if os.geteuid() == 0 else "errors"
    return expected


@pytest.mark.slow
def test_hostile_folder_every_note_lands_exactly_once(tmp_path: Path) -> None:
    expected = hostile_folder(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    in_notes, in_errors = ids_in(out, "notes.csv"), ids_in(out, "errors.csv")
    assert sorted(in_notes + in_errors) == sorted(expected)  # each input exactly once
    assert {n: "notes" if n in in_notes else "errors" for n in expected} == expected
    why = reasons(out)
    assert why["empty"] == "file is empty"
    assert "binary" in why["binary"].lower() or "decode" in why["binary"].lower()
    assert "limit" in why["huge_20mb"] and "--max-chars" in why["huge_20mb"]
    assert why["loop"]  # a reason a person can read
    mentions = pd.read_csv(out / "mentions.csv")
    assert set(mentions.loc[mentions.note_id == "rtf", "concept"]) >= {
        "ck_elevated",
        "proximal_weakness",
    }
    notes = pd.read_csv(out / "notes.csv").set_index("note_id")
    assert notes.loc["html", "ck_elevated"] == "present" and notes.loc["html", "rash"] == "absent"


def test_tables_with_bad_rows(tmp_path: Path) -> None:
    csv_path = tmp_path / "notes.csv"
    pd.DataFrame({"note_id": ["a", "b", "a"], "text": [NOTE, "No rash.", NOTE]}).to_csv(
        csv_path, index=False
    )
    out = tmp_path / "csv_out"
    assert runner.invoke(app, ["run", str(csv_path), "--out", str(out), "-q"]).exit_code == 0
    assert sorted(ids_in(out, "notes.csv")) == ["a", "b"]
    assert "duplicate" in reasons(out)["a"]

    jsonl = tmp_path / "notes.jsonl"
    jsonl.write_text(
        json.dumps({"note_id": "j1", "text": NOTE})
        + "\n{not json\n"
        + json.dumps({"note_id": "j3", "text": "Rash: no"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "jsonl_out"
    assert runner.invoke(app, ["run", str(jsonl), "--out", str(out), "-q"]).exit_code == 0
    assert sorted(ids_in(out, "notes.csv")) == ["j1", "j3"] and len(ids_in(out, "errors.csv")) == 1

    parquet = tmp_path / "notes.parquet"
    pd.DataFrame({"note_id": ["p1", "p2", "p3"], "text": [NOTE, None, ""]}).to_parquet(parquet)
    out = tmp_path / "parquet_out"
    assert runner.invoke(app, ["run", str(parquet), "--out", str(out), "-q"]).exit_code == 0
    assert ids_in(out, "notes.csv") == ["p1"] and sorted(ids_in(out, "errors.csv")) == ["p2", "p3"]

    no_text = tmp_path / "no_text.csv"
    pd.DataFrame({"note_id": ["x"], "body": [NOTE]}).to_csv(no_text, index=False)
    result = runner.invoke(app, ["run", str(no_text), "--out", str(tmp_path / "nt"), "-q"])
    assert result.exit_code == 2 and "--text-col body" in result.output
    assert not (tmp_path / "nt").exists()  # nothing half-written


def make_corpus(folder: Path, copies: int) -> Path:
    folder.mkdir()
    for i in range(copies):
        for note in sorted(DEMO.glob("*.txt")):
            (folder / f"{i:03d}_{note.name}").write_text(
                note.read_text(encoding="utf-8") + f"\nVisit {i}.\n", encoding="utf-8"
            )
    return folder


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nmnlp.cli", "run", *args, "-q"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=cwd,
    )


def same_reports(a: Path, b: Path) -> None:
    for name in REPORTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.slow
def test_resume_after_kill_9_gives_the_same_reports(tmp_path: Path) -> None:
    notes = make_corpus(tmp_path / "notes", copies=20)  # 240 notes
    reference = tmp_path / "reference"
    assert run_cli(str(notes), "--out", str(reference), cwd=tmp_path).returncode == 0

    out = tmp_path / "killed"
    command = [
        sys.executable,
        "-m",
        "nmnlp.cli",
        "run",
        str(notes),
        "--out",
        str(out),
        "-q",
        "--batch-size",
        "8",
    ]
    proc = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    checkpoint = out / ".nmnlp-checkpoint.jsonl"
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:  # wait until work is under way
        if checkpoint.exists() and checkpoint.read_bytes().count(b"\n") > 70:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "notes.csv").exists()

    refused = run_cli(str(notes), "--out", str(out), cwd=tmp_path)
    assert refused.returncode == 2 and "--resume" in refused.stderr
    other = run_cli(str(notes), "--out", str(out), "--resume", "--max-chars", "5000", cwd=tmp_path)
    assert other.returncode == 2 and "max_chars" in other.stderr

    resumed = run_cli(str(notes), "--out", str(out), "--resume", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    same_reports(reference, out)
    assert json.loads((out / "run.json").read_text())["resumed"] is True
    assert not checkpoint.exists()


@pytest.mark.slow
def test_outputs_do_not_depend_on_processes_or_batch_size(tmp_path: Path) -> None:
    notes = make_corpus(tmp_path / "notes", copies=3)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli(str(notes), "--out", str(one), cwd=tmp_path).returncode == 0
    parallel = run_cli(
        str(notes), "--out", str(two), "--n-process", "2", "--batch-size", "5", cwd=tmp_path
    )
    assert parallel.returncode == 0, parallel.stderr
    same_reports(one, two)
    a, b = (json.loads((p / "run.json").read_text()) for p in (one, two))
    volatile = {"finished_at", "seconds", "n_process"}
    assert {k: v for k, v in a.items() if k not in volatile} == {
        k: v for k, v in b.items() if k not in volatile
    }


@pytest.mark.parametrize(
    ("umask", "file_mode", "dir_mode"), [(None, 0o600, 0o700), ("022", 0o644, 0o755)]
)
def test_reports_are_private_by_default(tmp_path: Path, umask, file_mode, dir_mode) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(NOTE, encoding="utf-8")
    out = tmp_path / "deep" / "out"
    args = ["run", str(tmp_path / "in"), "--out", str(out), "-q"] + (
        ["--umask", umask] if umask else []
    )
    assert runner.invoke(app, args).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == dir_mode
    assert stat.S_IMODE((tmp_path / "deep").stat().st_mode) == dir_mode
    for name in (*REPORTS, "run.json"):
        assert stat.S_IMODE((out / name).stat().st_mode) == file_mode, name


def test_bad_umask_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(NOTE, encoding="utf-8")
    result = runner.invoke(
        app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--umask", "99"]
    )
    assert result.exit_code == 2 and "octal" in result.output


@given(st.lists(st.sampled_from(MENTION_STATUSES), max_size=30))
def test_note_status_is_the_strongest_and_order_free(statuses: list[str]) -> None:
    result = note_status(statuses)
    assert result == note_status(list(reversed(statuses)))
    if statuses:
        assert result in statuses
        assert all(NOTE_PRECEDENCE.index(result) <= NOTE_PRECEDENCE.index(s) for s in statuses)
    else:
        assert result == "not_mentioned"


def test_nothing_goes_to_the_network(tmp_path: Path, monkeypatch) -> None:
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("nmnlp tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(NOTE, encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0, result.output


def test_logs_carry_ids_not_text(tmp_path: Path, caplog) -> None:
    secret = "Mrs Jane Example has hip flexors 4/5"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(secret, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_bytes(b"")
    caplog.set_level("DEBUG", logger="nmnlp")
    result = runner.invoke(
        app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--log-level", "info"]
    )
    assert result.exit_code == 0
    assert "Jane" not in caplog.text and "Jane" not in result.output
