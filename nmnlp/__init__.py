"""nmnlp: necrotizing myopathy findings from clinical notes.

>>> import nmnlp
>>> result = nmnlp.analyze("Exam: 4-/5 hip flexors. CK 12,450 U/L (ref 30-200).")
>>> result.statuses["proximal_weakness"], result.ck_max_u_per_l
('present', 12450.0)

The public API (``load``, ``analyze``, ``analyze_dataframe``, ``run``) is
imported on first use, so ``import nmnlp`` and ``nmnlp --help`` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "analyze", "analyze_dataframe", "load", "run"]

if TYPE_CHECKING:
    from .api import analyze, analyze_dataframe, load, run


def __getattr__(name: str) -> Any:
    if name in {"analyze", "analyze_dataframe", "load", "run"}:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'nmnlp' has no attribute {name!r}")
