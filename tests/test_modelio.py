"""Models load only with trusted types; a tampered file is refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import skops.io
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from nmnlp.modelio import UntrustedModelError, load_model, save_model

X = np.random.RandomState(0).rand(60, 4)
Y = (X[:, 0] + X[:, 1] > 1).astype(int)


class Sneaky(BaseEstimator, ClassifierMixin):
    """Stands for code an attacker slips into a model file."""

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        return self


@pytest.mark.parametrize(
    "model",
    [
        make_pipeline(StandardScaler(), LogisticRegression()),
        CalibratedClassifierCV(HistGradientBoostingClassifier(max_iter=10), cv=2),
    ],
    ids=["logistic", "calibrated-gbm"],
)
def test_round_trip(tmp_path: Path, model) -> None:
    model.fit(X, Y)
    path = tmp_path / "model.skops"
    save_model(model, path)
    loaded = load_model(path)
    assert np.allclose(loaded.predict_proba(X), model.predict_proba(X))


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tampered.skops"
    skops.io.dump(make_pipeline(StandardScaler(), Sneaky()).fit(X, Y), str(path))
    with pytest.raises(UntrustedModelError, match=r"Sneaky.*tampered.*Nothing was loaded"):
        load_model(path)


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no model file"):
        load_model(tmp_path / "absent.skops")
