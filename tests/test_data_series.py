"""The time series of lesson 05: Mauna Loa weekly CO2, checksummed like every data file."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from seqkeras import data

REPO = Path(__file__).resolve().parents[1]


def test_co2_is_registered_exported_and_in_the_datasheet():
    entry = data.REGISTRY["co2_weekly"]
    assert entry.filename == "co2_weekly.csv.gz"
    assert data.verify("co2_weekly") == data.verify("co2_weekly.csv.gz")
    assert "load_co2" in data.__all__
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert f"{entry.sha256}  co2_weekly.csv.gz" in readme
    assert "`load_co2()`" in readme and "public domain" in readme


def test_load_co2_is_one_value_a_week_with_gaps_as_nan():
    dates, ppm = data.load_co2()
    assert dates.dtype == np.dtype("datetime64[D]") and ppm.dtype == np.float64
    assert dates.shape == ppm.shape == (2284,)
    assert str(dates[0]) == "1958-03-29" and str(dates[-1]) == "2001-12-29"
    assert set(np.diff(dates).astype(int)) == {7}
    assert ((dates.astype(int) + 3) % 7 == 5).all(), "every date is a Saturday"  # 1970-01-01: a Thursday
    missing = np.isnan(ppm)
    assert missing.sum() == 59
    assert dates[missing].max() < np.datetime64("1986-01-01"), "the gaps are all before 1986"
    assert ppm[0] == 316.1 and ppm[-1] == 371.5
    assert 313.0 <= np.nanmin(ppm) and np.nanmax(ppm) <= 374.0


def test_load_co2_rises_with_a_yearly_season():
    dates, ppm = data.load_co2()
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    yearly = np.array([np.nanmean(ppm[years == y]) for y in (1960, 1980, 2000)])
    assert np.all(np.diff(yearly) > 10), f"yearly means {yearly} should rise by > 10 ppm per 20 years"
    months = dates.astype("datetime64[M]").astype(int) % 12 + 1
    recent = years >= 1990
    may, october = np.nanmean(ppm[recent & (months == 5)]), np.nanmean(ppm[recent & (months == 10)])
    assert may - october > 4, "CO2 peaks in May and falls to a low in autumn"


def test_a_damaged_co2_file_names_the_file_and_the_fix(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    copy.mkdir()
    target = copy / "co2_weekly.csv.gz"
    shutil.copy(data.DATA_DIR / "co2_weekly.csv.gz", target)
    monkeypatch.setenv(data.DATA_ENV, str(copy))
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    target.write_bytes(bytes(raw))
    with pytest.raises(data.DataFileError, match="co2_weekly.csv.gz") as err:
        data.load_co2()
    assert "git checkout -- data/co2_weekly.csv.gz" in str(err.value)
    target.unlink()
    shutil.copy(data.DATA_DIR / "digits.csv.gz", copy / "digits.csv.gz")  # the folder is not empty
    with pytest.raises(data.DataFileError, match="missing"):
        data.load_co2()
