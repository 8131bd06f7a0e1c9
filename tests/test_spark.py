"""nmnlp.spark on a local Spark (``local[2]``): the local run's results, note for note."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'nmnlp[spark]')")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Java is not installed (Spark needs Java 17+)", allow_module_level=True)

import nmnlp.api
from nmnlp import spark as nmnlp_spark
from nmnlp.notes import Note, ReadError, iter_notes
from nmnlp.records import MENTION_COLUMNS
from nmnlp.reports import ERROR_COLUMNS, NOTE_COLUMNS

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
# Rows the local readers turn into errors, after the 12 demo notes.
BAD_ROWS = [
    ("dup", "CK 9,000 U/L."),  # first row with this id: processed
    ("dup", "No rash."),
    (None, "Hip flexors 4/5."),
    ("blank", "   \n "),
    ("null-text", None),
]


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for every Spark test (the JVM takes seconds to start)."""
    session = nmnlp_spark.spark_session(
        "local[2]",
        {
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "2",
        },
    )
    yield session
    session.stop()


@pytest.fixture(scope="session")
def demo_table(tmp_path_factory) -> Path:
    """The demo notes plus rows that cannot be processed, as one Parquet file."""
    rows = [(note.note_id, note.text) for note in iter_notes(DEMO)] + BAD_ROWS
    path = tmp_path_factory.mktemp("spark-input") / "demo.parquet"
    pd.DataFrame(rows, columns=["note_id", "text"]).to_parquet(path, index=False)
    return path


@pytest.fixture(scope="session")
def local_results(demo_table, nlp) -> list:
    """What ``nmnlp run`` computes for the same table, in input order."""
    return list(nmnlp.api.iter_results(iter_notes(demo_table), nlp))


@pytest.fixture(scope="session")
def demo_tables(spark, demo_table) -> nmnlp_spark.SparkTables:
    return nmnlp_spark.analyze(spark.read.parquet(str(demo_table)))


def _without_location(text: str) -> str:
    """An error reason or id without where the row is (Spark has no file row numbers)."""
    text = re.sub(r" \(first seen at .*\)$", "", text)
    return re.sub(r"^(partition \d+, )?row (\d+)$", r"row \2", text)


def test_notes_equal_the_local_run_note_for_note(demo_tables, local_results) -> None:
    expected = {
        r.note_id: {**r.as_row(), "review_label": None}
        for r in local_results
        if not isinstance(r, ReadError)
    }
    rows = demo_tables.notes.collect()
    assert list(demo_tables.notes.columns) == list(NOTE_COLUMNS)
    assert {row.note_id: row.asDict() for row in rows} == expected
    assert len(rows) == len(expected) == 13  # 12 demo notes + the first "dup"
    assert sum(row.flag for row in rows) >= 4  # the four IMNM demo notes


def test_mentions_equal_the_local_run(demo_tables, local_results) -> None:
    expected = [
        tuple(m.as_row()[col] for col in MENTION_COLUMNS)
        for r in local_results
        if not isinstance(r, ReadError)
        for m in r.mentions
    ]
    rows = [tuple(row) for row in demo_tables.mentions.collect()]
    assert list(demo_tables.mentions.columns) == list(MENTION_COLUMNS)
    assert sorted(rows) == sorted(expected) and len(rows) > 100


def test_unprocessable_rows_come_back_as_errors_with_the_local_reasons(
    demo_tables, local_results
) -> None:
    expected = sorted(
        (_without_location(e.note_id), _without_location(e.reason))
        for e in local_results
        if isinstance(e, ReadError)
    )
    errors = demo_tables.errors.collect()
    assert list(demo_tables.errors.columns) == list(ERROR_COLUMNS)
    assert sorted((_without_location(e.note_id), _without_location(e.reason)) for e in errors) == (
        expected
    )
    assert len(errors) == len(BAD_ROWS) - 1
    assert demo_tables.counts() == {
        "notes": 13,
        "flagged": demo_tables.notes.where("flag = 1").count(),
        "errors": 4,
        "mentions": demo_tables.mentions.count(),
    }
    duplicate = next(e for e in errors if e.note_id == "dup")
    assert duplicate.reason == "duplicate note id (first seen at partition 0, row 13)"
    assert duplicate.source == "partition 0, row 14"


def test_too_long_notes_and_whole_number_ids(spark, nlp) -> None:
    df = spark.createDataFrame(
        [(7, "weakness " * 30), (8, "Exam: 4-/5 hip flexors. CK 12,450 U/L.")],
        "id long, body string",
    ).coalesce(1)  # one partition: a Python worker that has the pipeline already
    tables = nmnlp_spark.analyze(df, text_col="body", id_col="id", max_chars=100)
    local = list(nmnlp.api.iter_results([Note("7", "weakness " * 30)], nlp, max_chars=100))
    [error] = tables.errors.collect()
    assert (error.note_id, error.reason) == (local[0].note_id, local[0].reason)
    assert [row.note_id for row in tables.notes.collect()] == ["8"]


def test_bad_columns_are_clear_errors(spark) -> None:
    df = spark.createDataFrame([(1.5, "x")], "id double, body string")
    with pytest.raises(KeyError, match="column 'text' not found; columns are: id, body"):
        nmnlp_spark.analyze(df, id_col="id")
    with pytest.raises(TypeError, match="column 'id' has type double"):
        nmnlp_spark.analyze(df, text_col="body", id_col="id")
    with pytest.raises(TypeError, match="model"):
        nmnlp_spark.analyze(df, text_col="body", id_col="id", model="clf.skops")


def test_load_options_reach_the_executors(spark, demo_tables) -> None:
    note = Note("a", "Exam: right hip flexors 3/5. CK 9,800 U/L (ref 30-200).")
    local = nmnlp.api.analyze([note], nmnlp.api.load(disable=["nmnlp_findings"]))[0]
    df = spark.createDataFrame([(note.note_id, note.text)], "note_id string, text string")
    tables = nmnlp_spark.analyze(df, disable=["nmnlp_findings"])
    rows = [row.asDict() for row in tables.mentions.collect()]
    assert rows == [m.as_row() for m in local.mentions]
    assert not any("side" in row["attributes"] for row in rows)  # findings attributes are off


def test_the_pipeline_is_built_once_per_python_worker(spark, demo_tables) -> None:
    def pipeline_per_process(batches):
        for _ in batches:
            nlp = nmnlp_spark._pipeline({})
            yield pd.DataFrame({"pid": [os.getpid()], "nlp": [id(nlp)]})

    demo_tables.notes.count()  # the workers have processed notes
    rows = spark.range(0, 8, numPartitions=8).mapInPandas(
        pipeline_per_process, "pid long, nlp long"
    )
    seen = rows.collect()
    pipelines: dict[int, set[int]] = {}
    for row in seen:
        pipelines.setdefault(row.pid, set()).add(row.nlp)
    assert len(seen) == 8 and len(pipelines) < len(seen)  # Python workers are reused
    assert all(len(ids) == 1 for ids in pipelines.values())
