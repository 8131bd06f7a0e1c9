"""Saving and loading models with skops, trusting only listed types.

Pickle and joblib run arbitrary code when a file is loaded, so nmnlp never
uses them for models. skops files are loaded only if every type in them is
either one skops trusts by default (plain scikit-learn and NumPy objects) or
one in ``TRUSTED_TYPES``, the short list of scikit-learn internals nmnlp's
classifiers are made of. Anything else (a tampered or foreign file) is refused
before any object is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import skops.io

__all__ = ["TRUSTED_TYPES", "UntrustedModelError", "load_model", "save_model"]

TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn._loss.loss.HalfBinomialLoss",
        "sklearn._loss.link.LogitLink",
        "sklearn._loss.link.Interval",
    }
)


class UntrustedModelError(ValueError):
    """A model file holds types nmnlp does not trust."""


def save_model(model: Any, path: str | Path) -> None:
    """Write ``model`` to ``path`` in the skops format."""
    skops.io.dump(model, str(path))


def load_model(path: str | Path, trusted: Iterable[str] = TRUSTED_TYPES) -> Any:
    """Load a skops model, refusing any type that is not trusted.

    Args:
        path: A ``.skops`` file.
        trusted: Types allowed besides those skops trusts by default.

    Raises:
        UntrustedModelError: naming the untrusted types; nothing was loaded.
        FileNotFoundError: if ``path`` does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}")
    allowed = set(trusted)
    untrusted = skops.io.get_untrusted_types(file=path)
    refused = sorted(t for t in untrusted if t not in allowed)
    if refused:
        raise UntrustedModelError(
            f"{path} holds types nmnlp does not trust: {', '.join(refused)}. The file may have "
            "been tampered with or made by another tool; nmnlp loads only models written by "
            "`nmnlp train`. Nothing was loaded."
        )
    return skops.io.load(path, trusted=untrusted)
