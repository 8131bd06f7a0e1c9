"""Command line: ``nmnlp run``, ``nmnlp extract``. Thin shells over ``nmnlp.api``.

Exit status of ``nmnlp run``: 0 when the run completed (even if some inputs
went to ``errors.csv``); 1 when no note could be processed; 2 for bad
arguments or an input that cannot be read at all.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

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


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def run(
    input: Annotated[
        Path,
        typer.Argument(
            help="Folder of .txt notes (searched recursively), a .txt file, "
            "or a .csv/.tsv/.jsonl/.parquet table."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Report folder (created if missing).")
    ] = Path("nmnlp-report"),
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
) -> None:
    """Process every note in INPUT and write notes.csv, mentions.csv, errors.csv and run.json."""
    from .api import run as run_notes
    from .reports import CheckpointError

    _configure_logging(log_level)
    if format not in ("csv", "brat"):
        err_console.print(f"[red]error:[/red] --format takes csv or brat, not {format!r}.")
        raise typer.Exit(2)
    try:
        umask_value = int(umask, 8)
        if not 0 <= umask_value <= 0o777:
            raise ValueError(umask)
    except ValueError:
        err_console.print(
            f"[red]error:[/red] --umask takes an octal mask such as 077, not {umask!r}."
        )
        raise typer.Exit(2) from None
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=True,
    )
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
                progress=lambda n: progress.update(task, advance=n, description="Analysing notes"),
            )
    except (InputError, FileExistsError, CheckpointError) as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from None
    if not quiet:
        err_console.print(
            f"Processed {summary.notes:,} notes in {summary.seconds:.1f} s: "
            f"{summary.flagged:,} flagged for review, {summary.errors:,} could not be processed "
            f"(see errors.csv), {summary.mentions:,} findings."
        )
        err_console.print(f"Report: {summary.out_dir.resolve() / 'notes.csv'}")
        err_console.print(f"Review page: {summary.out_dir.resolve() / 'review.html'}")
    if summary.notes == 0:
        err_console.print("[red]error:[/red] no note could be processed; see errors.csv for why.")
        raise typer.Exit(1)


@app.command()
def extract(
    file: Annotated[
        Path, typer.Argument(help="A note file, or - to read the note from standard input.")
    ] = Path("-"),
    mentions: Annotated[bool, typer.Option(help="Include every mention in the output.")] = True,
) -> None:
    """Analyse one note and print the result as JSON."""
    from .api import analyze
    from .notes import DecodeError, decode_text

    _configure_logging("warning")
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        text, _encoding = decode_text(data)
    except (OSError, DecodeError) as err:
        err_console.print(f"[red]error:[/red] cannot read {file}: {err}")
        raise typer.Exit(2) from None
    note_id = "stdin" if str(file) == "-" else file.stem
    result = analyze(text) if text.strip() else None
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
) -> None:
    """Measure nmnlp: mention P/R/F1, note statuses, CK, and flag sensitivity / specificity."""
    from .api import analyze
    from .evaluate import evaluate_corpus, evaluate_reviewed, read_corpus_notes
    from .notes import Note

    _configure_logging("warning")
    try:
        if reference.is_dir():
            notes = [Note(note_id, text) for note_id, text in read_corpus_notes(reference)]
            metrics = evaluate_corpus(reference, analyze(notes), split=split)
        else:
            metrics = evaluate_reviewed(reference)
    except (OSError, ValueError, KeyError) as err:
        err_console.print(f"[red]error:[/red] cannot evaluate {reference}: {err}")
        raise typer.Exit(2) from None
    _print_metrics(metrics)
    if out is not None:
        out.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")


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
