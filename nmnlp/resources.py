"""The only module that knows where shipped files live.

Rule files are installed inside the package as ``nmnlp.lexicons`` and models as
``nmnlp.models`` (see ``pyproject.toml``), so they are found the same way from an
editable checkout and from a wheel.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["lexicon_file", "lexicon_files", "lexicons_hash"]


def _lexicon_dir() -> Traversable:
    try:
        return resources.files("nmnlp.lexicons")
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "nmnlp's rule files (nmnlp.lexicons) cannot be imported. This happens when Python "
            "imports nmnlp from a source checkout that is not installed (e.g. `python -m nmnlp` "
            "run from the repository folder after a non-editable install). Install it with "
            "`pip install -e .`, or run from another folder."
        ) from None


def lexicon_file(name: str) -> Traversable:
    """Return the shipped lexicon file ``name`` (e.g. ``"context.json"``).

    Raises:
        FileNotFoundError: if no such file is shipped; the message lists those that are.
    """
    path = _lexicon_dir() / name
    if not path.is_file():
        shipped = ", ".join(sorted(p.name for p in lexicon_files()))
        raise FileNotFoundError(f"No lexicon file {name!r} is shipped. Shipped: {shipped}.")
    return path


def lexicon_files(prefix: str = "") -> list[Traversable]:
    """Return the shipped ``*.json`` lexicon files whose names start with ``prefix``, sorted."""
    files = [
        p
        for p in _lexicon_dir().iterdir()
        if p.is_file() and p.name.endswith(".json") and p.name.startswith(prefix)
    ]
    return sorted(files, key=lambda p: p.name)


@functools.lru_cache(maxsize=1)
def lexicons_hash() -> str:
    """SHA-256 over every shipped lexicon file (name and bytes), for run.json.

    Computed once per process: shipped files do not change while nmnlp runs.
    """
    digest = hashlib.sha256()
    for path in lexicon_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
