"""seqkeras.bench: the benchmark of the lessons' main models runs and reports what it says."""

import keras
import pytest

from seqkeras import bench


def test_every_lesson_with_training_has_one_benchmark():
    assert [b.lesson for b in bench.BENCHMARKS] == ["03", "04", "05", "06", "07", "08", "09"]
    assert all(b.forward_flop > 0 for b in bench.BENCHMARKS)


def test_one_benchmark_runs_and_reports_each_setting(capsys):
    assert bench.main(["05", "--batches", "1", "--warmup", "1"]) == 0
    out = capsys.readouterr().out
    assert "cores visible" in out and f"backend {keras.backend.backend()}" in out
    rows = [line for line in out.splitlines() if line.startswith("05 ")]
    settings = ["default", "jit_compile=True"] if keras.backend.backend() == "tensorflow" else ["default"]
    assert [next(s for s in settings if s in row) for row in rows] == settings
    for row in rows:
        ms, gflops = (float(v) for v in row.split()[-2:])
        assert ms > 0 and gflops > 0


def test_unknown_lessons_and_bad_counts_are_named():
    with pytest.raises(ValueError, match="lessons with one are 03, 04"):
        bench.run(["99"])
    with pytest.raises(SystemExit):
        bench.main(["--batches", "0"])
