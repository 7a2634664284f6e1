"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib
import pytest

from seqkeras.grading import ExerciseError

# Every test draws off screen, whatever the machine (set before any test imports pyplot).
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test leaves no figure open behind it (pyplot keeps them until closed)."""
    yield
    import matplotlib.pyplot as plt  # here, so that the Agg backend above is chosen first

    plt.close("all")


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    """Every test starts in lenient mode (a grader's SEQKERAS_STRICT must not leak in)."""
    monkeypatch.delenv("SEQKERAS_STRICT", raising=False)


def learner_stub(*args: Any, **kwargs: Any) -> Any:
    """What the generated learner notebook holds before the learner writes anything."""
    raise NotImplementedError("Exercise: write your code here")


@pytest.fixture
def stub() -> Callable[..., Any]:
    """The untouched learner stub (the generator's own message)."""
    return learner_stub


@pytest.fixture
def assert_not_attempted(capsys, monkeypatch) -> Callable[..., None]:
    """``assert_not_attempted(checker, answer=learner_stub)``: "not attempted yet" when lenient,
    an :class:`ExerciseError` saying "not attempted" under ``SEQKERAS_STRICT=1``."""

    def check(checker: Callable[..., Any], answer: Any = learner_stub) -> None:
        outcome = checker(answer)
        assert outcome is not None and not bool(outcome)
        assert "not attempted yet" in capsys.readouterr().out
        with monkeypatch.context() as m:
            m.setenv("SEQKERAS_STRICT", "1")
            with pytest.raises(ExerciseError, match="not attempted"):
                checker(answer)

    return check
