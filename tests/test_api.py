"""The Python API: analyze, analyze_dataframe, iter_results."""

from __future__ import annotations

import pandas as pd
import pytest

import nmnlp.extraction
from nmnlp.api import analyze, analyze_dataframe, iter_results
from nmnlp.concepts import CONCEPT_KEYS
from nmnlp.notes import Note, ReadError
from nmnlp.reports import NOTE_COLUMNS

POSITIVE = (
    "HPI: 58 yo woman on simvastatin with difficulty climbing stairs.\n"
    "Exam: hip flexors 3/5 bilaterally.\n"
    "Labs: CK 15,200 U/L (ref 30-200). Anti-SRP antibody positive."
)
NEGATIVE = "CC: sore throat for two days.\nROS: negative for rash, fever, dysphagia."


def test_public_api_is_exported() -> None:
    for name in ("load", "analyze", "analyze_dataframe", "run", "__version__"):
        assert hasattr(nmnlp, name)


def test_analyze_one_text(nlp) -> None:
    result = analyze(POSITIVE, nlp=nlp)
    assert result.flag
    assert result.statuses["srp_antibody"] == "present"
    assert set(result.statuses) == set(CONCEPT_KEYS)


def test_analyze_many_keeps_order_and_ids(nlp) -> None:
    results = analyze([NEGATIVE, Note("n-7", POSITIVE)], nlp=nlp)
    assert [r.note_id for r in results] == ["0", "n-7"]
    assert [r.flag for r in results] == [False, True]


def test_analyze_dataframe(nlp) -> None:
    df = pd.DataFrame({"id": ["a", "b", "c"], "body": [POSITIVE, NEGATIVE, None]})
    tables = analyze_dataframe(df, text_col="body", id_col="id", nlp=nlp)
    assert list(tables.notes.columns) == list(NOTE_COLUMNS)
    assert tables.notes["note_id"].tolist() == ["a", "b"]
    assert tables.errors["note_id"].tolist() == ["c"]
    assert set(tables.mentions["note_id"]) <= {"a", "b"}
    assert (tables.mentions["concept"] == "ck_elevated").any()


def test_analyze_dataframe_missing_column_lists_columns(nlp) -> None:
    with pytest.raises(KeyError, match="column 'text' not found; columns are: id, body"):
        analyze_dataframe(pd.DataFrame({"id": [1], "body": ["x"]}), nlp=nlp)


def test_a_failing_note_becomes_an_error_and_the_stream_goes_on(nlp, monkeypatch) -> None:
    original = nmnlp.extraction.mentions_from_doc

    def fail_on_note_b(doc, note_id):
        if note_id == "b":
            raise RuntimeError("boom")
        return original(doc, note_id)

    monkeypatch.setattr(nmnlp.extraction, "mentions_from_doc", fail_on_note_b)
    items = [
        Note("a", NEGATIVE),
        Note("b", "EXPLODE here"),
        ReadError("c", "c.txt", "file is empty"),
        Note("d", POSITIVE),
    ]
    out = list(iter_results(items, nlp, batch_size=2))
    assert [o.note_id for o in out] == ["a", "b", "c", "d"]
    assert isinstance(out[1], ReadError) and "RuntimeError" in out[1].reason
    assert "EXPLODE" not in out[1].reason  # never the note text
    assert isinstance(out[2], ReadError) and not isinstance(out[3], ReadError)


def test_too_long_note_goes_to_errors(nlp) -> None:
    out = list(iter_results([Note("big", "weakness " * 50)], nlp, max_chars=100))
    assert isinstance(out[0], ReadError) and "more than the limit of 100" in out[0].reason


def test_empty_input_gives_empty_list(nlp) -> None:
    assert analyze([], nlp=nlp) == []
