"""The report folder: private permissions and atomic writes.

Reports carry patient text, so by default every file nmnlp creates is readable
by its owner only (0600) and every folder it creates is private too (0700).
``umask`` changes that the usual way (``0o022`` gives 0644 / 0755).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

__all__ = ["DEFAULT_UMASK", "OutputFolder"]

DEFAULT_UMASK = 0o077


class OutputFolder:
    """A report folder whose files are written atomically with set permissions."""

    def __init__(self, path: Path, umask: int = DEFAULT_UMASK):
        if not 0 <= umask <= 0o777:
            raise ValueError(f"umask must be between 000 and 777 (octal), got {umask:o}.")
        self.path = path
        self.file_mode = 0o666 & ~umask
        self.dir_mode = 0o777 & ~umask

    def create(self) -> None:
        """Create the folder (and missing parents) with the folder mode."""
        missing = [p for p in (self.path, *self.path.parents) if not p.exists()]
        self.path.mkdir(parents=True, exist_ok=True)
        for folder in missing:
            os.chmod(folder, self.dir_mode)

    @contextmanager
    def atomic_text(self, name: str, encoding: str = "utf-8") -> Iterator[TextIO]:
        """Write ``name`` through a temporary file renamed into place on success."""
        target = self.path / name
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=f".{name}.", suffix=".tmp")
        try:
            os.fchmod(fd, self.file_mode)
            with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
                yield handle
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def restrict(self, path: Path) -> None:
        """Give ``path`` and everything below it the folder and file modes."""
        for root, folders, files in os.walk(path):
            os.chmod(root, self.dir_mode)
            for name in files:
                os.chmod(Path(root) / name, self.file_mode)
            for name in folders:
                os.chmod(Path(root) / name, self.dir_mode)

    def open_append(self, name: str) -> TextIO:
        """Open ``name`` for appending, creating it with the file mode."""
        fd = os.open(self.path / name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, self.file_mode)
        os.fchmod(fd, self.file_mode)
        return os.fdopen(fd, "a", encoding="utf-8", newline="")
