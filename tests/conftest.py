"""Shared fixtures: one nmnlp pipeline per test session."""

from __future__ import annotations

import pytest

import nmnlp.api
from nmnlp.records import NoteResult


@pytest.fixture(scope="session")
def nlp():
    """nmnlp's full pipeline, built once."""
    return nmnlp.api.load()


@pytest.fixture(scope="session")
def analyze(nlp):
    """Analyse one note text with the shared pipeline."""

    def _analyze(text: str) -> NoteResult:
        return nmnlp.api.analyze(text, nlp=nlp)

    return _analyze
