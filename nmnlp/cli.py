"""Command line: ``nmnlp run``, ``extract``, ``evaluate``, ``train``. Thin shells over the API
(``nmnlp.api``; ``nmnlp.spark`` for ``nmnlp run --engine spark``).

Exit status of ``nmnlp run``: 0 when the run completed (even if some inputs
went to ``errors.csv``); 1 when no note could be processed; 2 for bad
arguments or an input that cannot be read at all.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from . import __version__
from .notes import InputError

if TYPE_CHECKING:
    from .api import RunSummary

app = typer.Typer(
    name="nmnlp",
    help="Find necrotizing myopathy findings in clinical notes and flag notes for chart review.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold note text
)
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nmnlp {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """nmnlp: necrotizing myopathy findings from clinical notes."""


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="A model folder written by `nmnlp train`, or 'criteria' for the transparent "
        "ENMC-style score [default: the shipped model].",
    ),
]


def _scorer_or_exit(model: str | None):
    """Load the scorer for ``--model``; a bad model folder ends the command with exit 2."""
    from .classifier import ModelError, load_scorer

    try:
        return load_scorer(model)
    except (ModelError, ValueError, OSError) as err:
        err_console.print(f"[red]error:[/red] cannot load the model: {err}")
        raise typer.Exit(2) from None


def _progress(quiet: bool) -> Progress:
    """A progress bar on standard error (nothing when ``quiet``)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=True,
    )


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def run(
    input: Annotated[
        str,
        typer.Argument(
            help="Folder of .txt notes (searched recursively), a .txt file, "
            "or a .csv/.tsv/.jsonl/.parquet table (with --engine spark: a table, "
            "or its hdfs:// / s3a:// ... URI).",
            show_default=False,
        ),
    ],
    out: Annotated[
        str,
        typer.Option("--out", "-o", metavar="DIR", help="Report folder (created if missing)."),
    ] = "nmnlp-report",
    id_col: Annotated[
        str | None, typer.Option(help="Id column of a table input [default: note_id].")
    ] = None,
    text_col: Annotated[
        str | None, typer.Option(help="Text column of a table input [default: text].")
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace reports (or an unfinished run) already in --out.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(help="Finish an interrupted run in --out (same input and options)."),
    ] = False,
    n_process: Annotated[
        int,
        typer.Option(
            min=1,
            help="Processes sharing the work (this one and N-1 workers); "
            "outputs are the same for any number.",
        ),
    ] = 1,
    umask: Annotated[
        str,
        typer.Option(
            help="Permission mask (octal) for report files and folders. The default 077 makes "
            "them readable by you only, as notes carry patient data; 022 lets others read them."
        ),
    ] = "077",
    batch_size: Annotated[int, typer.Option(min=1, help="Notes per pipeline batch.")] = 64,
    max_chars: Annotated[
        int, typer.Option(min=1, help="Longer notes go to errors.csv.")
    ] = 2_000_000,
    patient_col: Annotated[
        str | None, typer.Option(help="Table column with the patient id; writes patients.csv.")
    ] = None,
    patient_from_folder: Annotated[
        bool,
        typer.Option(help="Notes are PATIENT/NOTE.txt: the first folder is the patient id."),
    ] = False,
    date_col: Annotated[
        str | None, typer.Option(help="Table column with the note date, for patients.csv.")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="csv (default), or brat: also brat standoff files.")
    ] = "csv",
    no_text: Annotated[
        bool,
        typer.Option("--no-text", help="review.html shows evidence snippets, not whole notes."),
    ] = False,
    model: ModelOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    log_level: Annotated[
        str,
        typer.Option(
            help="warning, info or debug. nmnlp logs note ids and counts, never note text; "
            "at debug, third-party libraries' messages are shown too and may include text."
        ),
    ] = "warning",
    engine: Annotated[
        str,
        typer.Option(
            help="local, or spark: analyse a table with Apache Spark and write "
            "Parquet folders (notes.parquet/, mentions.parquet/, errors.parquet/) and run.json."
        ),
    ] = "local",
    spark_master: Annotated[
        str | None,
        typer.Option(
            help="With --engine spark: the Spark master [default: local[*], or spark-submit's]."
        ),
    ] = None,
    csv: Annotated[
        bool,
        typer.Option(
            "--csv",
            help="With --engine spark: also write notes.csv, mentions.csv and errors.csv "
            "(gathers every row on this machine).",
        ),
    ] = False,
) -> None:
    """Process every note in INPUT and write notes.csv, mentions.csv, errors.csv and run.json.

    With --engine spark, INPUT is a table analysed by Apache Spark, and the reports are
    Parquet folders (notes.parquet/, mentions.parquet/, errors.parquet/) and run.json.
    """
    from .api import run as run_notes
    from .reports import CheckpointError

    _configure_logging(log_level)
    if format not in ("csv", "brat"):
        err_console.print(f"[red]error:[/red] --format takes csv or brat, not {format!r}.")
        raise typer.Exit(2)
    given = {
        "--resume": resume,
        "--n-process": n_process != 1,
        "--patient-col": patient_col is not None,
        "--patient-from-folder": patient_from_folder,
        "--date-col": date_col is not None,
        "--format brat": format == "brat",
        "--no-text": no_text,
        "--spark-master": spark_master is not None,
        "--csv": csv,
    }
    problem = engine_option_problem(engine, [option for option, used in given.items() if used])
    if problem:
        err_console.print(f"[red]error:[/red] {problem}")
        raise typer.Exit(2)
    _scorer_or_exit(model)  # a bad --model fails here, before anything is written
    if engine == "spark":
        _run_spark(
            input,
            out,
            id_col=id_col,
            text_col=text_col,
            max_chars=max_chars,
            batch_size=batch_size,
            overwrite=overwrite,
            umask=_umask_value(umask),
            csv=csv,
            master=spark_master,
            model=model,
            quiet=quiet,
        )
        return
    umask_value = _umask_value(umask)
    progress = _progress(quiet)
    try:
        with progress:
            task = progress.add_task("Loading pipeline", total=None)
            summary = run_notes(
                input,
                out,
                id_col=id_col,
                text_col=text_col,
                batch_size=batch_size,
                max_chars=max_chars,
                overwrite=overwrite,
                resume=resume,
                n_process=n_process,
                umask=umask_value,
                review_text=not no_text,
                patient_col=patient_col,
                patient_from_folder=patient_from_folder,
                date_col=date_col,
                brat=format == "brat",
                model=model,
                progress=lambda n: progress.update(task, advance=n, description="Analysing notes"),
            )
    except (InputError, FileExistsError, CheckpointError) as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from None
    if not quiet:
        _print_counts(summary, "", "errors.csv")
        err_console.print(f"Report: {summary.out_dir.resolve() / 'notes.csv'}")
        err_console.print(f"Review page: {summary.out_dir.resolve() / 'review.html'}")
    if summary.notes == 0:
        err_console.print("[red]error:[/red] no note could be processed; see errors.csv for why.")
        raise typer.Exit(1)


def _print_counts(summary: RunSummary, engine: str, errors_file: str) -> None:
    err_console.print(
        f"Processed {summary.notes:,} notes{engine} in {summary.seconds:.1f} s: "
        f"{summary.flagged:,} flagged for review, {summary.errors:,} could not be processed "
        f"(see {errors_file}), {summary.mentions:,} findings."
    )


# Options of `nmnlp run` that only one engine has, and why.
_LOCAL_ONLY = {
    "--resume": "Spark runs have no checkpoint; rerun with --overwrite",
    "--n-process": "Spark sets the parallelism (--spark-master local[N], or spark-submit)",
    "--patient-col": "patients.csv is written by --engine local only",
    "--patient-from-folder": "patients.csv is written by --engine local only",
    "--date-col": "patients.csv is written by --engine local only",
    "--format brat": "brat files need the note texts, which stay in Spark",
    "--no-text": "--engine spark writes no review.html",
}
_SPARK_ONLY = ("--spark-master", "--csv")
ENGINES = ("local", "spark")


def engine_option_problem(engine: str, options: list[str]) -> str | None:
    """Why ``options`` (those given) do not go with ``engine``, or None when they do."""
    if engine not in ENGINES:
        return f"--engine takes {' or '.join(ENGINES)}, not {engine!r}."
    if engine == "local":
        wrong = [option for option in options if option in _SPARK_ONLY]
        if wrong:
            return f"{', '.join(wrong)} apply to --engine spark only."
        return None
    reasons = [f"{option} ({_LOCAL_ONLY[option]})" for option in options if option in _LOCAL_ONLY]
    if reasons:
        return f"not available with --engine spark: {'; '.join(reasons)}."
    return None


def _umask_value(umask: str) -> int:
    try:
        value = int(umask, 8)
        if not 0 <= value <= 0o777:
            raise ValueError(umask)
    except ValueError:
        err_console.print(
            f"[red]error:[/red] --umask takes an octal mask such as 077, not {umask!r}."
        )
        raise typer.Exit(2) from None
    return value


def _run_spark(source: str, out: str, *, quiet: bool, **options) -> None:
    """``nmnlp run --engine spark``: a thin shell over :func:`nmnlp.spark.run`."""
    try:
        from .spark import run as run_spark
    except ImportError as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from None
    try:
        summary = run_spark(source, out, **options)
    except (InputError, FileExistsError) as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from None
    if not quiet:
        _print_counts(summary, " on Spark", "errors.parquet")
        err_console.print(f"Reports: {', '.join(summary.files.values())}")
    if summary.notes == 0:
        err_console.print(
            "[red]error:[/red] no note could be processed; see errors.parquet for why."
        )
        raise typer.Exit(1)


@app.command()
def extract(
    file: Annotated[
        Path, typer.Argument(help="A note file, or - to read the note from standard input.")
    ] = Path("-"),
    mentions: Annotated[bool, typer.Option(help="Include every mention in the output.")] = True,
    model: ModelOption = None,
) -> None:
    """Analyse one note and print the result as JSON."""
    from .api import analyze
    from .notes import DecodeError, decode_text

    _configure_logging("warning")
    scorer = _scorer_or_exit(model)
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        text, _encoding = decode_text(data)
    except (OSError, DecodeError) as err:
        err_console.print(f"[red]error:[/red] cannot read {file}: {err}")
        raise typer.Exit(2) from None
    note_id = "stdin" if str(file) == "-" else file.stem
    result = analyze(text, scorer=scorer) if text.strip() else None
    if result is None:
        err_console.print("[red]error:[/red] the note is empty.")
        raise typer.Exit(2)
    output = result.as_row()
    output["note_id"] = note_id
    output["flag"] = bool(result.flag)
    if mentions:
        output["mentions"] = [
            {k: v for k, v in m.as_row().items() if k != "note_id"}
            | {"attributes": dict(m.attributes)}
            for m in result.mentions
        ]
    typer.echo(json.dumps(output, indent=2, ensure_ascii=False))


@app.command()
def evaluate(
    reference: Annotated[
        Path,
        typer.Argument(
            help="An annotated corpus folder (notes.jsonl, gold_notes.csv, gold_mentions.csv), "
            "or a notes.csv whose review_label column a reviewer filled in."
        ),
    ],
    split: Annotated[
        str | None, typer.Option(help="Only this split of the corpus (e.g. test_heldout_style).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the metrics as JSON.")] = None,
    model: ModelOption = None,
) -> None:
    """Measure nmnlp: mention P/R/F1, note statuses, CK, and flag sensitivity / specificity."""
    from .api import analyze
    from .evaluate import evaluate_corpus, evaluate_reviewed, read_corpus_notes
    from .notes import Note

    _configure_logging("warning")
    try:
        if reference.is_dir():
            scorer = _scorer_or_exit(model)
            notes = [Note(note_id, text) for note_id, text in read_corpus_notes(reference)]
            metrics = evaluate_corpus(reference, analyze(notes, scorer=scorer), split=split)
            metrics["scorer"] = scorer.describe()
        else:
            metrics = evaluate_reviewed(reference)
    except (OSError, ValueError, KeyError) as err:
        err_console.print(f"[red]error:[/red] cannot evaluate {reference}: {err}")
        raise typer.Exit(2) from None
    _print_metrics(metrics)
    if out is not None:
        out.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")


@app.command()
def train(
    corpus: Annotated[
        Path,
        typer.Argument(
            help="An annotated corpus folder: notes.jsonl and gold_notes.csv with a label "
            "column (0/1), optional style and split columns."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Model folder to write (use it with --model).")
    ],
    min_sensitivity: Annotated[
        float,
        typer.Option(
            min=0.5, max=1.0, help="Sensitivity the flag threshold must reach on validation."
        ),
    ] = 0.95,
    seed: Annotated[int, typer.Option(help="Seed for folds and gradient boosting.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Train the note classifier: compare models by grouped CV, calibrate, pick the threshold."""
    from .training import TrainingSettings
    from .training import train as train_model

    _configure_logging("warning")
    if not (corpus / "notes.jsonl").is_file() or not (corpus / "gold_notes.csv").is_file():
        err_console.print(
            f"[red]error:[/red] {corpus} needs notes.jsonl and gold_notes.csv "
            "(see corpora/synthetic/README.md for the format)."
        )
        raise typer.Exit(2)
    progress = _progress(quiet)
    try:
        with progress:
            task = progress.add_task("Extracting findings", total=None)
            result = train_model(
                corpus,
                out,
                settings=TrainingSettings(min_sensitivity=min_sensitivity, seed=seed),
                progress=lambda n: progress.update(task, advance=n),
            )
    except ValueError as err:
        err_console.print(f"[red]error:[/red] cannot train on {corpus}: {err}")
        raise typer.Exit(2) from None
    typer.echo("| candidate | CV AUROC | CV Brier |")
    typer.echo("|---|---|---|")
    for candidate in result.candidates:
        typer.echo(f"| {candidate.name} | {candidate.auroc:.4f} | {candidate.brier:.4f} |")
    typer.echo(f"chosen: {result.chosen}, threshold {result.threshold:.4f}")
    for split, metrics in result.metrics.items():
        typer.echo(
            f"{split}: sensitivity {_fmt(metrics['sensitivity'])}, specificity "
            f"{_fmt(metrics['specificity'])}, AUROC {_fmt(metrics['auroc'])}, "
            f"Brier {_fmt(metrics['brier'])} ({metrics['n']} notes)"
        )
    typer.echo(f"model written to {result.out_dir} (model card: README.md)")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _print_metrics(metrics: dict) -> None:
    flag = metrics["flag"]
    typer.echo(
        f"flags on {flag['n']} notes: sensitivity {_fmt(flag['sensitivity'])}, "
        f"specificity {_fmt(flag['specificity'])}, PPV {_fmt(flag['ppv'])}, "
        f"AUROC {_fmt(flag['auroc'])}, Brier {_fmt(flag['brier'])}"
    )
    if "mentions" not in metrics:
        return
    accuracy = metrics["note_status_accuracy"]
    typer.echo(
        f"note status accuracy (mean over concepts) {_fmt(accuracy['mean'])}; "
        f"CK exactness {_fmt(metrics['ck_exactness'])}"
    )
    typer.echo("| concept | mention P | R | F1 | status acc. (matched) | note status acc. |")
    typer.echo("|---|---|---|---|---|---|")
    for concept, m in metrics["mentions"].items():
        typer.echo(
            f"| {concept} | {_fmt(m['precision'])} | {_fmt(m['recall'])} | {_fmt(m['f1'])} | "
            f"{_fmt(m['status_accuracy'])} | {_fmt(accuracy[concept])} |"
        )


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
