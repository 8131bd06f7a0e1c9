"""nmnlp on Apache Spark: the local run's results, computed on many machines::

    from nmnlp.spark import analyze, spark_session

    spark = spark_session()                       # local[*] unless under spark-submit
    tables = analyze(spark.read.parquet("notes.parquet"), text_col="text", id_col="note_id")
    tables.notes.where("flag = 1").show()         # the notes.csv columns
    tables.mentions, tables.errors                # the mentions.csv / errors.csv columns

Each input row is turned into a :class:`nmnlp.notes.Note` by the same code the
local table readers use, processed by :func:`nmnlp.api.iter_results` and
flattened by the :mod:`nmnlp.records` row builders, inside ``mapInPandas``: the
pipeline is built once per executor Python process (and kept while Spark
reuses the process), so the rows equal the local run's note for note.

Rows that cannot be processed are never dropped: they come back in
``errors`` with the local run's reasons (id or text null or empty, duplicate id,
note too long, internal error). Spark gives no file row numbers, so an error's
``source`` locates the row as ``partition P, row R`` of the input DataFrame
(for one file read into one partition, row R of the file).

``nmnlp run --engine spark`` is :func:`run`: it reads a Parquet / CSV / TSV /
JSON Lines table with Spark and writes ``notes.parquet/``,
``mentions.parquet/``, ``errors.parquet/`` and ``run.json`` (plus the usual
CSVs with ``csv=True``).
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

import pandas as pd
from spacy.language import Language

try:
    from pyspark import StorageLevel
    from pyspark.errors import AnalysisException
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as err:  # pragma: no cover - exercised only without pyspark
    raise ImportError(
        "nmnlp.spark needs pyspark; install it with: pip install 'nmnlp[spark]'"
    ) from err

from . import __version__
from .api import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_CHARS,
    RunSummary,
    iter_results,
    load,
    require_columns,
)
from .classifier import Scorer, load_scorer
from .notes import (
    DEFAULT_ID_COL,
    DEFAULT_TEXT_COL,
    TABLE_FORMATS,
    InputError,
    Note,
    ReadError,
    check_columns,
    check_note_id,
    note_from_text,
)
from .records import MENTION_COLUMNS, NoteResult
from .reports import (
    DEFAULT_UMASK,
    ERROR_COLUMNS,
    NOTE_COLUMNS,
    REPORT_FILES,
    run_info,
    sort_note_rows,
    write_csv,
)
from .reports.checkpoint import CHECKPOINT_NAME
from .reports.output import OutputFolder

__all__ = ["DATASETS", "SparkTables", "analyze", "read_table", "run", "spark_session"]

logger = logging.getLogger(__name__)

#: Parquet folders written by :func:`run`, by table.
DATASETS: Mapping[str, str] = {
    "notes": "notes.parquet",
    "mentions": "mentions.parquet",
    "errors": "errors.parquet",
}

# Spark types of the contract columns that are not text (the ConText flags are boolean).
_COLUMN_TYPES: Mapping[str, str] = {
    "flag": "int",
    "score": "double",
    "ck_max_u_per_l": "double",
    "ck_max_fold_uln": "double",
    "n_mentions": "int",
    "start": "int",
    "end": "int",
    "contribution": "double",
}
# Internal columns of the one-row-per-input results table.
_ROW, _KIND, _MENTIONS = "_row", "_kind", "_mentions"
_ID, _TEXT, _FIRST_ROW = "_id", "_text", "_first_row"
_RESULT_COLUMNS: tuple[str, ...] = (
    _ROW,
    _KIND,
    *NOTE_COLUMNS,
    *(col for col in ERROR_COLUMNS if col not in NOTE_COLUMNS),
    _MENTIONS,
)
# monotonically_increasing_id(): partition id in the upper 31 bits, record number in the lower 33.
_RECORD_BITS = 33


def _column_type(column: str) -> str:
    return "boolean" if column.startswith("is_") else _COLUMN_TYPES.get(column, "string")


def _ddl(columns: Sequence[str]) -> str:
    return ", ".join(f"`{col}` {_column_type(col)}" for col in columns)


def _result_schema() -> str:
    mention = ", ".join(f"`{col}`: {_column_type(col)}" for col in MENTION_COLUMNS)
    plain = [col for col in _RESULT_COLUMNS if col not in (_ROW, _MENTIONS)]
    return f"`{_ROW}` bigint, {_ddl(plain)}, `{_MENTIONS}` array<struct<{mention}>>"


# --------------------------------------------------------------------------- session


def spark_session(
    master: str | None = None, config: Mapping[str, str] | None = None
) -> SparkSession:
    """The active Spark session, or a new one.

    Under ``spark-submit`` (or when a session is already active) the submitted
    master and settings win. Otherwise the session is local, ``local[*]``
    unless ``master`` says otherwise, and its Python workers run this very
    interpreter (``PYSPARK_PYTHON`` = ``sys.executable``), so they import the
    same nmnlp.

    Args:
        master: Spark master URL (``local[2]``, ``yarn``, ``spark://host:7077``).
        config: Extra Spark settings for a new session.
    """
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        master = "local[*]"
    builder = SparkSession.builder.appName("nmnlp")
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            os.environ["PYSPARK_PYTHON"] = sys.executable
            os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class SparkTables:
    """Spark outputs of :func:`analyze`.

    Attributes:
        notes: One row per processed note, the ``notes.csv`` columns (unsorted).
        mentions: One row per mention, the ``mentions.csv`` columns.
        errors: One row per input row that could not be processed: ``note_id,
            source, reason`` as in ``errors.csv``.
        results: One row per input row, persisted (memory, then disk), from
            which the three tables are selected, so the notes are analysed once
            whichever tables are used. Columns starting with ``_`` are internal.
    """

    notes: DataFrame
    mentions: DataFrame
    errors: DataFrame
    results: DataFrame

    def counts(self) -> dict[str, int]:
        """``notes``, ``flagged``, ``errors`` and ``mentions`` counts (one Spark job)."""
        is_note = F.col(_KIND) == "note"
        row = self.results.agg(
            F.count(F.when(is_note, 1)).alias("notes"),
            F.coalesce(F.sum(F.when(is_note, F.col("flag"))), F.lit(0)).alias("flagged"),
            F.count(F.when(~is_note, 1)).alias("errors"),
            F.coalesce(F.sum(F.when(is_note, F.col("n_mentions"))), F.lit(0)).alias("mentions"),
        ).first()
        return {key: int(value) for key, value in row.asDict().items()}

    def unpersist(self) -> None:
        """Free the cached results (the tables are recomputed if used again)."""
        self.results.unpersist()


def analyze(
    df: DataFrame,
    text_col: str = DEFAULT_TEXT_COL,
    id_col: str = DEFAULT_ID_COL,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    model: str | Path | Scorer | None = None,
    **load_kwargs: Any,
) -> SparkTables:
    """Analyse a Spark DataFrame of notes; the rows equal the local run's.

    Lazy like any Spark transformation: nothing runs until a table is used.

    Args:
        df: One row per note.
        text_col: Column with the note text (string, or binary decoded like
            the local readers do).
        id_col: Column with note ids (string or whole numbers). A repeated id
            is processed at its first row (in the DataFrame's order) and
            reported as a duplicate at the others. The order is read twice, so
            it must be reproducible: a table read from files, or
            ``createDataFrame``, is; straight after a shuffle (``repartition``,
            a join) persist or checkpoint ``df`` first.
        max_chars: Longer notes go to ``errors``.
        batch_size: Notes per ``nlp.pipe`` batch in an executor.
        model: A scorer, a model folder from ``nmnlp train`` or ``"criteria"``
            (default: the shipped model). A folder is read here, on the driver,
            and the scorer travels with the tasks, so executors need no access to it.
        **load_kwargs: Passed to :func:`nmnlp.api.load` in each executor.

    Returns:
        :class:`SparkTables` with ``notes``, ``mentions`` and ``errors``.

    Raises:
        KeyError: if a named column is missing (the message lists the columns).
        TypeError: if the id or text column has an unusable type, or
            ``load_kwargs`` do not fit :func:`nmnlp.api.load`.
        nmnlp.classifier.ModelError: if ``model`` is not a usable model folder.
    """
    inspect.signature(load).bind(**load_kwargs)  # fail here, not in every executor
    scorer = model if hasattr(model, "scores") else load_scorer(model)
    rows = _input_rows(df, text_col, id_col)
    process = functools.partial(
        _analyze_batches,
        load_options=load_kwargs,
        scorer=scorer,
        max_chars=max_chars,
        batch_size=batch_size,
    )
    results = rows.mapInPandas(process, _result_schema()).persist(StorageLevel.MEMORY_AND_DISK)
    notes = results.where(F.col(_KIND) == "note")
    return SparkTables(
        notes=notes.select(*NOTE_COLUMNS),
        mentions=notes.select(F.explode(_MENTIONS).alias("m")).select("m.*"),
        errors=results.where(F.col(_KIND) == "error").select(*ERROR_COLUMNS),
        results=results,
    )


def _input_rows(df: DataFrame, text_col: str, id_col: str) -> DataFrame:
    """``_id, _text, _row`` (input order) and ``_first_row`` for ids seen more than once."""
    require_columns(df.columns, text_col, id_col)
    id_type, text_type = df.schema[id_col].dataType, df.schema[text_col].dataType
    if not isinstance(id_type, T.StringType | T.IntegralType | T.NullType):
        raise TypeError(
            f"column {id_col!r} has type {id_type.simpleString()}; "
            "note ids must be text or whole numbers."
        )
    if not isinstance(text_type, T.StringType | T.BinaryType | T.NullType):
        raise TypeError(
            f"column {text_col!r} has type {text_type.simpleString()}, not text; "
            "pass the text column as text_col."
        )
    rows = df.select(
        F.col(id_col).cast("string").alias(_ID),
        F.col(text_col).alias(_TEXT),
        F.monotonically_increasing_id().alias(_ROW),
    ).withColumn("_key", F.regexp_replace(_ID, r"(?U)^\s+|\s+$", ""))
    repeated = (
        rows.where(F.col("_key") != "")
        .groupBy("_key")
        .agg(F.min(_ROW).alias(_FIRST_ROW), F.count(F.lit(1)).alias("_copies"))
        .where(F.col("_copies") > 1)
        .select("_key", _FIRST_ROW)
    )
    # Repeated ids are few: broadcasting them keeps the notes from being shuffled.
    return rows.join(F.broadcast(repeated), on="_key", how="left").drop("_key")


_PIPELINES: dict[str, Language] = {}


def _pipeline(load_options: Mapping[str, Any]) -> Language:
    """This process's pipeline for ``load_options``, built on first use."""
    key = json.dumps(load_options, sort_keys=True, default=repr)
    if key not in _PIPELINES:
        logger.info("building the nmnlp pipeline in process %d", os.getpid())
        _PIPELINES[key] = load(**load_options)
    return _PIPELINES[key]


def _analyze_batches(
    batches: Iterator[pd.DataFrame],
    *,
    load_options: Mapping[str, Any],
    scorer: Scorer,
    max_chars: int,
    batch_size: int,
) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: input rows in, one result row per input row out."""
    for frame in batches:
        positions = [int(row) for row in frame[_ROW]]
        items = [
            _input_item(row, raw_id, raw_text, first)
            for row, raw_id, raw_text, first in zip(
                positions, frame[_ID], frame[_TEXT], frame[_FIRST_ROW], strict=True
            )
        ]
        if any(isinstance(item, Note) for item in items):
            nlp = _pipeline(load_options)
            results = iter_results(
                items, nlp, scorer=scorer, batch_size=batch_size, max_chars=max_chars
            )
        else:
            results = iter(items)
        rows = [_result_row(row, item) for row, item in zip(positions, results, strict=True)]
        yield pd.DataFrame(rows, columns=list(_RESULT_COLUMNS))


def _locator(row: int) -> str:
    """Where an input row is: ``partition P, row R`` (R counted from 1)."""
    return f"partition {row >> _RECORD_BITS}, row {(row & ((1 << _RECORD_BITS) - 1)) + 1}"


def _input_item(row: int, raw_id: Any, raw_text: Any, first_row: Any) -> Note | ReadError:
    """One input row as a Note, or the reason it cannot be one (as the local readers say)."""
    source = _locator(row)
    note_id, problem = check_note_id(raw_id)
    if problem is not None:
        return ReadError(source, source, problem)
    if not pd.isna(first_row) and int(first_row) != row:
        return ReadError(
            note_id, source, f"duplicate note id (first seen at {_locator(int(first_row))})"
        )
    return note_from_text(note_id, source, raw_text)


def _result_row(row: int, item: NoteResult | ReadError) -> dict[str, Any]:
    values: dict[str, Any]
    if isinstance(item, ReadError):
        values = {"note_id": item.note_id, "source": item.source, "reason": item.reason}
        values[_KIND] = "error"
    else:
        values = item.as_row()
        values[_KIND] = "note"
        values[_MENTIONS] = [mention.as_row() for mention in item.mentions]
    values[_ROW] = row
    return {col: values.get(col) for col in _RESULT_COLUMNS}


# --------------------------------------------------------------------------- files


def _is_uri(location: str) -> bool:
    """``hdfs://...``, ``s3a://...``, ``file:///...`` (not a plain or Windows path)."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", location) is not None


def read_table(
    spark: SparkSession,
    source: str,
    id_col: str = DEFAULT_ID_COL,
    text_col: str = DEFAULT_TEXT_COL,
) -> DataFrame:
    """Read a Parquet / CSV / TSV / JSON Lines table of notes with Spark.

    The format comes from the suffix (a Parquet folder named ``*.parquet``
    too). A plain path is a path on this machine; give a URI (``hdfs://``,
    ``s3a://``, ``file://``) for other file systems.

    Raises:
        InputError: unknown format, missing file, unreadable table or missing
            column (the message lists the columns that exist).
    """
    name = PurePosixPath(urlparse(source).path if _is_uri(source) else source).name
    kind = TABLE_FORMATS.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        formats = ", ".join(sorted(TABLE_FORMATS))
        raise InputError(
            f"--engine spark reads tables ({formats}; a Parquet folder named *.parquet), "
            f"not {name!r}; use --engine local for folders of .txt notes."
        )
    location = source
    if not _is_uri(source):
        path = Path(source).expanduser()
        if not path.exists():
            raise InputError(f"{source} does not exist.")
        location = path.resolve().as_uri()
    try:
        if kind == "parquet":
            df = spark.read.parquet(location)
        elif kind == "jsonl":
            df = spark.read.json(location)
        else:
            separator = "," if kind == "csv" else "\t"
            df = spark.read.csv(location, header=True, multiLine=True, escape='"', sep=separator)
            df = df.toDF(*(col.lstrip("\ufeff").strip() for col in df.columns))
    except AnalysisException as err:
        raise InputError(f"Spark cannot read {source}: {str(err).splitlines()[0]}") from None
    check_columns(df.columns, name, id_col, text_col)
    return df


class _LocalFolder:
    """A report folder on this machine: private permissions, atomic files."""

    def __init__(self, path: Path, umask: int):
        self.folder = OutputFolder(path, umask)

    def uri(self, name: str) -> str:
        return (self.folder.path / name).resolve().as_uri()

    def existing(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if (self.folder.path / name).exists()]

    def prepare(self) -> None:
        self.folder.create()
        for name in (*REPORT_FILES, CHECKPOINT_NAME):
            (self.folder.path / name).unlink(missing_ok=True)

    def write_text(self, name: str, text: str) -> None:
        with self.folder.atomic_text(name) as handle:
            handle.write(text)

    def close(self) -> None:
        for name in DATASETS.values():
            if (self.folder.path / name).is_dir():
                self.folder.restrict(self.folder.path / name)


class _HadoopFolder:
    """A report folder on a Hadoop file system (HDFS, S3, ...), through Spark's JVM."""

    def __init__(self, spark: SparkSession, uri: str):
        jvm = spark.sparkContext._jvm
        self.uri_root = uri.rstrip("/")
        self._path = jvm.org.apache.hadoop.fs.Path
        hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
        self.fs = self._path(self.uri_root).getFileSystem(hadoop_conf)
        self.fs.setWriteChecksum(False)

    def uri(self, name: str) -> str:
        return f"{self.uri_root}/{name}"

    def existing(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if self.fs.exists(self._path(self.uri(name)))]

    def prepare(self) -> None:
        self.fs.mkdirs(self._path(self.uri_root))

    def write_text(self, name: str, text: str) -> None:
        stream = self.fs.create(self._path(self.uri(name)), True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def close(self) -> None:
        pass


def run(
    source: str,
    out: str,
    *,
    id_col: str | None = None,
    text_col: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    overwrite: bool = False,
    umask: int = DEFAULT_UMASK,
    csv: bool = False,
    master: str | None = None,
    model: str | Path | None = None,
    **load_kwargs: Any,
) -> RunSummary:
    """``nmnlp run --engine spark``: analyse a table with Spark and write the reports.

    Writes into ``out``: ``notes.parquet/``, ``mentions.parquet/`` and
    ``errors.parquet/`` (Parquet folders with the ``notes.csv`` /
    ``mentions.csv`` / ``errors.csv`` columns) and ``run.json``; with ``csv``
    also ``notes.csv`` (flagged first), ``mentions.csv`` and ``errors.csv``
    (input order) as the local engine writes them. Every input row is in
    exactly one of the notes and errors tables. A session this function
    starts is stopped at the end; an active one is left running.

    Args:
        source: A ``.parquet`` (file or folder), ``.csv``, ``.tsv`` or ``.jsonl``
            table: a path on this machine, or a URI (``hdfs://``, ``s3a://``, ...).
        out: Report folder: a path on this machine, or a URI. On a cluster
            (a master that is not ``local``) both must be URIs every node reaches.
        id_col, text_col: Column names (default ``note_id`` and ``text``).
        max_chars: Longer notes go to the errors.
        batch_size: Notes per ``nlp.pipe`` batch.
        overwrite: Replace reports already in ``out``.
        umask: Permission mask for a local ``out`` (default: owner only).
        csv: Also write the CSVs (gathers every row on this machine; local ``out`` only).
        master: Spark master for a new session (default: ``local[*]``, or
            spark-submit's).
        model: A model folder from ``nmnlp train`` (read on this machine), or
            ``"criteria"`` (default: the shipped model).
        **load_kwargs: Passed to :func:`nmnlp.api.load` in each executor.

    Raises:
        nmnlp.notes.InputError: unreadable input, or options that do not fit
            (a local path on a cluster, ``csv`` with a URI ``out``).
        FileExistsError: ``out`` holds reports and ``overwrite`` is not set.
    """
    started = time.perf_counter()
    scorer = load_scorer(model)
    id_col, text_col = id_col or DEFAULT_ID_COL, text_col or DEFAULT_TEXT_COL
    if csv and _is_uri(out):
        raise InputError("--csv writes on this machine; give --out as a local folder.")
    session_existed = SparkSession.getActiveSession() is not None
    spark = spark_session(master)
    try:
        target = _report_folder(spark, source, out, umask, overwrite)
        df = read_table(spark, source, id_col, text_col)
        try:
            tables = analyze(
                df,
                text_col,
                id_col,
                max_chars=max_chars,
                batch_size=batch_size,
                model=scorer,
                **load_kwargs,
            )
        except (KeyError, TypeError) as err:
            raise InputError(str(err.args[0])) from None
        target.prepare()
        files = _write_tables(tables, target, overwrite=overwrite, csv=csv)
        summary = RunSummary(out_dir=Path(out), files=files, **tables.counts())
        tables.unpersist()
        summary.seconds = time.perf_counter() - started
        counts = {key: getattr(summary, key) for key in ("notes", "flagged", "errors", "mentions")}
        extra = {
            "engine": "spark",
            "spark": {"version": spark.version, "master": spark.sparkContext.master},
            "nmnlp_options": {"max_chars": max_chars, "batch_size": batch_size, **load_kwargs},
        }
        info = run_info(
            source,
            summary.seconds,
            counts,
            resumed=False,
            scorer=scorer.describe(),
            extra=extra,
        )
        target.write_text(
            "run.json", json.dumps(info, indent=2, sort_keys=True, default=repr) + "\n"
        )
        summary.files["run.json"] = target.uri("run.json")
        target.close()
        logger.info("nmnlp %s on Spark %s: %s", __version__, spark.version, counts)
        return summary
    finally:
        if not session_existed:
            spark.stop()


def _report_folder(
    spark: SparkSession, source: str, out: str, umask: int, overwrite: bool
) -> _LocalFolder | _HadoopFolder:
    """The report folder for ``out``, once it is clear the run may write there."""
    master = spark.sparkContext.master
    plain = [name for name, value in (("INPUT", source), ("--out", out)) if not _is_uri(value)]
    if plain and not master.startswith("local"):
        raise InputError(
            f"Spark runs on a cluster ({master}): give {' and '.join(plain)} as URIs "
            "every node can reach (hdfs://..., s3a://..., file:// on a shared disk)."
        )
    target = _HadoopFolder(spark, out) if _is_uri(out) else _LocalFolder(Path(out), umask)
    found = target.existing([*DATASETS.values(), *REPORT_FILES, CHECKPOINT_NAME])
    if found and not overwrite:
        raise FileExistsError(
            f"{out} already holds reports ({', '.join(found)}); pass --overwrite to "
            "replace them, or choose another --out folder."
        )
    return target


def _write_tables(
    tables: SparkTables, target: _LocalFolder | _HadoopFolder, *, overwrite: bool, csv: bool
) -> dict[str, str]:
    """Write the Parquet folders (and, with ``csv``, the CSVs); their locations by name."""
    files = {}
    for table, name in DATASETS.items():
        getattr(tables, table).write.mode("overwrite" if overwrite else "errorifexists").parquet(
            target.uri(name)
        )
        files[name] = target.uri(name)
    if csv and isinstance(target, _LocalFolder):
        for name, columns, rows in _csv_tables(tables):
            write_csv(target.folder, name, columns, rows)
            files[name] = target.uri(name)
    return files


def _csv_tables(
    tables: SparkTables,
) -> Iterator[tuple[str, Sequence[str], Iterator[Mapping[str, Any]]]]:
    """``(file name, columns, rows)`` of the CSVs, in the local engine's row order."""
    notes = sort_note_rows(row.asDict() for row in tables.notes.toLocalIterator())
    yield "notes.csv", NOTE_COLUMNS, iter(notes)
    done = tables.results.where(F.col(_KIND) == "note")
    mentions = done.select(_ROW, F.posexplode(_MENTIONS)).orderBy(_ROW, "pos").select("col.*")
    yield "mentions.csv", MENTION_COLUMNS, _dicts(mentions)
    failed = tables.results.where(F.col(_KIND) == "error").orderBy(_ROW)
    yield "errors.csv", ERROR_COLUMNS, _dicts(failed.select(*ERROR_COLUMNS))


def _dicts(df: DataFrame) -> Iterator[dict[str, Any]]:
    return (row.asDict() for row in df.toLocalIterator())
