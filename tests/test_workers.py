"""Worker processes of --n-process: extraction only, lean imports, work taken back at the end."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import deque
from concurrent.futures import Future

import pytest

from nmnlp import workers
from nmnlp.api import _take_back_one, iter_results
from nmnlp.extraction import Extracted, extract_batch
from nmnlp.notes import Note, ReadError

NOTE = Note(
    "n1",
    "HPI: 4 months of proximal weakness (hip flexors 4-/5). No rash. CK 11,250 U/L. "
    "Anti-HMGCR positive. On atorvastatin 40 mg since 2019.",
)

WORKER_PROGRAM = """
import json, sys
from nmnlp import workers
from nmnlp.notes import Note
workers.start()
(extracted,) = workers.extract([Note("n1", sys.argv[1])], 10_000)
heavy = sorted(m for m in ("sklearn", "nltk", "scipy", "pandas") if m in sys.modules)
print(json.dumps({"heavy": heavy, "mentions": [m.as_row() for m in extracted.mentions]}))
"""


def test_a_worker_extracts_like_this_process_without_loading_scikit_learn(nlp) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WORKER_PROGRAM, NOTE.text],
        capture_output=True,
        text=True,
        check=True,
    )
    worker = json.loads(done.stdout.strip().splitlines()[-1])
    assert worker["heavy"] == []  # no QuickUMLS -> NLTK -> scikit-learn, SciPy, pandas
    (here,) = extract_batch([NOTE], nlp, 10_000)
    assert isinstance(here, Extracted)
    assert worker["mentions"] == [m.as_row() for m in here.mentions]
    assert {m.concept for m in here.mentions} >= {"proximal_weakness", "hmgcr_antibody"}


def test_extract_before_start_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setattr(workers, "_NLP", None)
    with pytest.raises(RuntimeError, match="not started"):
        workers.extract([NOTE], 10_000)


def test_the_main_process_takes_back_batches_no_worker_started(nlp) -> None:
    running, queued = Future(), Future()
    assert running.set_running_or_notify_cancel()
    error = ReadError("bad", "bad.txt", "unreadable")
    pending = deque([([NOTE], running), ([NOTE, error], queued)])
    assert _take_back_one(pending, 10_000, nlp)
    taken = pending[1][1]
    assert queued.cancelled() and isinstance(taken, list)
    assert isinstance(taken[0], Extracted) and taken[1] is error
    assert not _take_back_one(pending, 10_000, nlp)  # the running one stays with its worker
    assert pending[0][1] is running


def test_two_processes_give_the_same_results_as_one(nlp) -> None:
    notes = [Note(f"n{i}", NOTE.text if i % 2 else "No weakness. Normal CK.") for i in range(9)]
    one = list(iter_results(notes, nlp, batch_size=2))
    two = list(iter_results(notes, nlp, batch_size=2, n_process=2))
    assert [r.as_row() for r in two] == [r.as_row() for r in one]
    assert [[m.as_row() for m in r.mentions] for r in two] == [
        [m.as_row() for m in r.mentions] for r in one
    ]
