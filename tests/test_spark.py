"""nmnlp.spark on a local Spark (``local[2]``): the local run's results, note for note."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'nmnlp[spark]')")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Java is not installed (Spark needs Java 17+)", allow_module_level=True)

import nmnlp.api
from nmnlp import spark as nmnlp_spark
from nmnlp.classifier import ModelError, load_scorer
from nmnlp.cli import app
from nmnlp.notes import Note, ReadError, iter_notes, note_from_text
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
runner = CliRunner()


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
    _pipelines_by_task(session, tasks=2)  # both Python workers build theirs, side by side
    yield session
    session.stop()


def _pipelines_by_task(session, tasks: int) -> list[tuple[int, int]]:
    """``(process id, id of nmnlp.spark's cached pipeline)`` seen by each of ``tasks`` tasks."""

    def probe(batches):  # a local function: Spark ships it by value to the workers
        for _ in batches:
            nlp = nmnlp_spark._pipeline({})
            yield pd.DataFrame({"pid": [os.getpid()], "nlp": [id(nlp)]})

    tasks_df = session.range(0, tasks, numPartitions=tasks)
    return [tuple(row) for row in tasks_df.mapInPandas(probe, "pid long, nlp long").collect()]


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


def test_bytes_are_decoded_like_the_local_readers_do(spark, nlp) -> None:
    raw = "Pt c/o myalgias.\r\nCK 9\xa0800 U/L \u2013 HMGCR Ab positive.".encode("cp1252")
    df = spark.createDataFrame([("b1", bytearray(raw))], "note_id string, text binary")
    note = note_from_text("b1", "row 1", raw)  # what the local table readers do with bytes
    assert isinstance(note, Note) and note.meta["encoding"] == "cp1252"
    [local] = nmnlp.api.analyze([note], nlp)
    [row] = nmnlp_spark.analyze(df).notes.collect()
    assert row.asDict() == {**local.as_row(), "review_label": None}
    assert row.hmgcr_antibody == "present"


def test_bad_columns_are_clear_errors(spark) -> None:
    df = spark.createDataFrame([(1.5, "x")], "id double, body string")
    with pytest.raises(KeyError, match="column 'text' not found; columns are: id, body"):
        nmnlp_spark.analyze(df, id_col="id")
    with pytest.raises(TypeError, match="column 'id' has type double"):
        nmnlp_spark.analyze(df, text_col="body", id_col="id")
    with pytest.raises(TypeError, match="unknown_option"):
        nmnlp_spark.analyze(df, text_col="body", unknown_option=1)
    with pytest.raises(ModelError, match="not a model folder"):
        nmnlp_spark.analyze(df, text_col="body", model="no-such-model")


def test_another_scorer_travels_to_the_executors(spark) -> None:
    note = Note("a", "Proximal weakness. CK 9,000 U/L. No rash.")
    local = nmnlp.api.analyze([note], scorer=load_scorer("criteria"))[0]
    df = spark.createDataFrame([(note.note_id, note.text)], "note_id string, text string")
    (row,) = nmnlp_spark.analyze(df, model="criteria").notes.collect()
    assert row.asDict() | local.as_row() == row.asDict()  # review_label is the only extra
    assert row["score"] != nmnlp.api.analyze([note])[0].as_row()["score"]


def test_load_options_reach_the_executors(spark, demo_tables) -> None:
    note = Note("a", "Exam: right hip flexors 3/5. CK 9,800 U/L (ref 30-200).")
    local = nmnlp.api.analyze([note], nmnlp.api.load(disable=["nmnlp_findings"]))[0]
    df = spark.createDataFrame([(note.note_id, note.text)], "note_id string, text string")
    tables = nmnlp_spark.analyze(df, disable=["nmnlp_findings"])
    rows = [row.asDict() for row in tables.mentions.collect()]
    assert rows == [m.as_row() for m in local.mentions]
    assert not any("side" in row["attributes"] for row in rows)  # findings attributes are off


def test_the_pipeline_is_built_once_per_python_worker(spark, demo_tables) -> None:
    demo_tables.notes.count()  # the workers have analysed notes
    seen = _pipelines_by_task(spark, tasks=8)
    pipelines: dict[int, set[int]] = {}
    for pid, nlp in seen:
        pipelines.setdefault(pid, set()).add(nlp)
    assert len(seen) == 8 and len(pipelines) < len(seen)  # Python workers are reused
    assert all(len(ids) == 1 for ids in pipelines.values())


def test_cli_engine_spark_writes_the_local_reports(spark, demo_table, tmp_path) -> None:
    local_out, spark_out = tmp_path / "local", tmp_path / "spark"
    assert (
        runner.invoke(app, ["run", str(demo_table), "--out", str(local_out), "-q"]).exit_code == 0
    )
    args = ["run", str(demo_table), "--out", str(spark_out), "--engine", "spark", "--csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Processed 13 notes on Spark" in result.output
    for name in ("notes.csv", "mentions.csv"):
        assert (spark_out / name).read_bytes() == (local_out / name).read_bytes(), name
    local_errors = pd.read_csv(local_out / "errors.csv", encoding="utf-8-sig")
    spark_errors = pd.read_csv(spark_out / "errors.csv", encoding="utf-8-sig")
    for frame in (local_errors, spark_errors):
        frame[["note_id", "reason"]] = frame[["note_id", "reason"]].map(_without_location)
    pd.testing.assert_frame_equal(
        local_errors[["note_id", "reason"]], spark_errors[["note_id", "reason"]]
    )
    notes = pd.read_parquet(spark_out / "notes.parquet")
    assert sorted(notes["note_id"]) == sorted(pd.read_csv(local_out / "notes.csv")["note_id"])
    assert len(pd.read_parquet(spark_out / "mentions.parquet")) == len(
        pd.read_csv(local_out / "mentions.csv")
    )
    run_info = json.loads((spark_out / "run.json").read_text())
    assert run_info["engine"] == "spark" and run_info["counts"]["notes"] == 13
    part = next((spark_out / "notes.parquet").glob("part-*"))
    assert stat.S_IMODE(part.stat().st_mode) == 0o600  # patient data: owner only
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--overwrite" in again.output


def test_cli_engine_spark_to_a_uri(spark, demo_table, tmp_path) -> None:
    out = (tmp_path / "out").as_uri()
    args = ["run", str(demo_table), "--out", out, "--engine", "spark", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out" / "run.json").read_text())["counts"]["errors"] == 4
    assert len(pd.read_parquet(tmp_path / "out" / "errors.parquet")) == 4
    with_csv = runner.invoke(app, [*args, "--overwrite", "--csv"])
    assert with_csv.exit_code == 2 and "local folder" in with_csv.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.csv", "id,body\nx,CK 9000\n", "--text-col body"),
        ("notes", None, "use --engine local for folders"),
        ("missing.parquet", "", "does not exist"),
    ],
)
def test_cli_engine_spark_bad_input_is_a_usage_error(
    spark, tmp_path, name: str, content: str | None, message: str
) -> None:
    source = tmp_path / name
    if content is None:
        source.mkdir()
    elif content:
        source.write_text(content, encoding="utf-8")
    result = runner.invoke(
        app, ["run", str(source), "--out", str(tmp_path / "r"), "--engine", "spark"]
    )
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "r").exists()
