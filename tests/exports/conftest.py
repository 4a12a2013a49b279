"""Shared pieces of the export tests: the example corpus, checked once."""

from __future__ import annotations

import pytest

from generator.core.corpus import Corpus
from generator.core.validate import load_and_check
from tests.conftest import REPO


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_and_check(REPO / "content").corpus
