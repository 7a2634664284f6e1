"""seqkeras.bench: the benchmark of the lessons' main models runs and reports what it says."""

import keras
import numpy as np
import pytest

from seqkeras import bench


def test_every_lesson_with_training_has_one_benchmark():
    assert [b.lesson for b in bench.BENCHMARKS] == ["03", "04", "05", "06", "07", "08", "09"]
    assert all(b.forward_flop > 0 for b in bench.BENCHMARKS)


@pytest.mark.parametrize("benchmark", bench.BENCHMARKS, ids=lambda b: b.lesson)
def test_each_model_fits_its_batch(benchmark):
    model, x, y, _ = benchmark.build()
    out = keras.ops.convert_to_numpy(model(x))
    assert out.shape[: np.ndim(y)] == np.shape(y), (out.shape, np.shape(y))


def _tiny():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    return model, np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), "mse"


def test_a_run_reports_each_setting(capsys, monkeypatch):
    monkeypatch.setattr(
        bench, "BENCHMARKS", [bench.Benchmark("99", "a tiny dense layer", _tiny, 2 * 4 * 3 * 2)]
    )
    assert bench.main(["99", "--batches", "2", "--warmup", "1"]) == 0
    out = capsys.readouterr().out
    assert "cores visible" in out and f"backend {keras.backend.backend()}" in out
    settings = ["default", "jit_compile=True"] if keras.backend.backend() == "tensorflow" else ["default"]
    assert sum(line.startswith("99 ") for line in out.splitlines()) == len(settings)
    rows = bench.run(["99"], batches=2, warmup=1)
    assert [row["setting"] for row in rows] == settings
    assert all(row["ms_per_batch"] > 0 and row["gflops"] > 0 and row["parameters"] == 8 for row in rows)


def test_unknown_lessons_and_bad_counts_are_named():
    with pytest.raises(ValueError, match="lessons with one are 03, 04"):
        bench.run(["99"])
    with pytest.raises(SystemExit):
        bench.main(["--batches", "0"])
