"""One de-identification engine for the package's tests (loading the model takes a second)."""

from __future__ import annotations

import pytest

from edgewise.deid.detect import Detector
from edgewise.deid.nlp import Engine, shared_engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return shared_engine()


@pytest.fixture(scope="session")
def detector(engine: Engine) -> Detector:
    return Detector(engine=engine)
