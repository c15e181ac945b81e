"""A comparison on a series with an extreme value says so once (not once per model and
seed, as each fit did), and its report names it: warnings scroll away (session 24)."""

import warnings

from rnnlab.compare import CompareConfig, run_models
from rnnlab.compare.report import write_report
from rnnlab.compare.runner import section
from rnnlab.data.datasets import DATASETS
from rnnlab.data.outliers import OutlierWarning


def test_a_spiked_series_is_warned_of_once_and_named_in_the_report(tmp_path):
    s = DATASETS["airline"].load().to_pandas()[:72]
    s.iloc[40] = 1e9
    s.to_csv(tmp_path / "spiked.csv")
    cfg = CompareConfig(data=str(tmp_path / "spiked.csv"), models=("rnn",), seeds=(0, 1),
                        epochs=1, hidden_size=3, match_params=False, lookback=12, test_size=6)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        res = run_models(cfg, log=lambda s: None)
    said = [str(x.message) for x in w if issubclass(x.category, OutlierWarning)]
    assert len(said) == 1 and "1e+09 at 1952-05-01 (position 40)" in said[0]
    report = _report(cfg, res, tmp_path)
    assert "**Extreme values**: series 'passengers' has 1 extreme value" in report
    assert "1e+09 at 1952-05-01" in res["series"]["extreme_values"]


def test_a_clean_series_has_no_such_note(tmp_path):
    cfg = CompareConfig(data="airline", models=("rnn",), seeds=(0,), epochs=1, hidden_size=3,
                        match_params=False, lookback=12, test_size=6)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        res = run_models(cfg, log=lambda s: None)
    assert not [x for x in w if issubclass(x.category, OutlierWarning)]
    assert "Extreme values" not in _report(cfg, res, tmp_path)
    assert res["series"]["extreme_values"] is None


def _report(cfg, res, out) -> str:
    write_report(out, [section(cfg, res, out, "t", "", "")], "t")  # (run_compare's, less plots)
    return (out / "report.md").read_text()
