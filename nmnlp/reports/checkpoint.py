"""The run checkpoint: every processed input, one JSON line each, in input order.

A run appends each result (a note's row and mentions, or an error) as it is
produced. The reports are always built from this file at the end, so a run
resumed after a crash or ``kill -9`` writes exactly the reports an
uninterrupted run would. The first line fingerprints the input and the options
that change results; resuming with different ones is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

__all__ = ["CHECKPOINT_NAME", "Checkpoint", "CheckpointError"]

CHECKPOINT_NAME = ".nmnlp-checkpoint.jsonl"


class CheckpointError(ValueError):
    """A checkpoint cannot be resumed (other input or options, or unreadable)."""


class Checkpoint:
    """Append-only record of a run's results."""

    def __init__(self, path: Path, handle: TextIO, done: int):
        self.path = path
        self._handle = handle
        self.done = done

    @staticmethod
    def read_header(path: Path) -> Mapping[str, Any]:
        with path.open(encoding="utf-8") as handle:
            first = handle.readline()
        try:
            return json.loads(first)["fingerprint"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise CheckpointError(f"{path} is not an nmnlp checkpoint.") from None

    @classmethod
    def start(cls, path: Path, handle: TextIO, fingerprint: Mapping[str, Any]) -> Checkpoint:
        """Begin a new checkpoint in ``handle`` (an empty file opened for appending)."""
        handle.write(json.dumps({"fingerprint": dict(fingerprint)}, sort_keys=True) + "\n")
        handle.flush()
        return cls(path, handle, done=0)

    @classmethod
    def resume(cls, path: Path, open_append, fingerprint: Mapping[str, Any]) -> Checkpoint:
        """Reopen ``path`` after checking its fingerprint; a torn last line is cut off.

        Raises:
            CheckpointError: if the checkpoint was made for another input or options.
        """
        recorded = cls.read_header(path)
        if dict(recorded) != dict(fingerprint):
            changed = sorted(
                k for k in {*recorded, *fingerprint} if recorded.get(k) != fingerprint.get(k)
            )
            raise CheckpointError(
                f"the unfinished run in {path.parent} used other settings ({', '.join(changed)}); "
                "resume it with the same input and options, or pass --overwrite to start again."
            )
        complete = _complete_length(path)
        with path.open("r+b") as raw:
            raw.truncate(complete)
        done = sum(1 for _ in cls._records(path))
        return cls(path, open_append(path.name), done)

    def append(self, record: Mapping[str, Any]) -> None:
        self._handle.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
        self.done += 1

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def records(self) -> Iterator[dict[str, Any]]:
        """Every result recorded so far, in input order."""
        return (record for _, record in self.located_records())

    def located_records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Every result recorded so far with its place in the file, for :meth:`record_at`."""
        self.flush()
        return self._records(self.path)

    def records_at(self, places: Iterable[int]) -> Iterator[dict[str, Any]]:
        """The results recorded at ``places`` (from :meth:`located_records`), in that order."""
        with self.path.open("rb") as handle:
            for place in places:
                handle.seek(place)
                yield json.loads(handle.readline())

    @staticmethod
    def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
        with path.open("rb") as handle:
            place = len(handle.readline())  # after the fingerprint
            for line in handle:
                yield place, json.loads(line)
                place += len(line)


def _complete_length(path: Path) -> int:
    """Bytes of ``path`` up to and including its last complete (newline-ended) line."""
    data = path.read_bytes()
    return data.rfind(b"\n") + 1
