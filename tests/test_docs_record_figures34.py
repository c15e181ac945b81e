"""Figures of docs/panels.md and README.md outside the us_employment tables that come from
benchmark records (elecdaily's covariates, the mean_scale anchor, the one-series interval
coverages): each read from the page and compared with its record, rounded as printed (the
docs audit of session 34; moved here from test_docs_record_tables34)."""

import re

import pytest
from doc_records import RESULTS
from doc_records import flat as _flat
from doc_records import pinned as _pinned
from doc_records import record as _record
from doc_records import table as _table

pytestmark = pytest.mark.skipif(not RESULTS.is_dir(),
                                reason="benchmarks/results is not here (an unpacked sdist)")

ELECDAILY = "panel_elecdaily-global-20261204T2233Z.json"
SCALE = "panel_scale-20261207T2122Z.json"


def test_the_elecdaily_table_and_readmes_sentence_are_the_record():
    models = _record(ELECDAILY)["models"]
    table = _table("docs/panels.md", "| model | RMSE | MASE | 80% coverage |")
    names = {"with covariates": "with covariates", "without covariates": "without covariates",
             "seasonal naive (7 days)": "seasonal_naive", "ETS": "ets"}
    assert set(table) == set(names), "docs/panels.md: the elecdaily table's rows"
    for name, key in names.items():
        m = models[key]
        _pinned(table[name], [m["rmse"], m["mase"], m["coverage80"]],
                f"docs/panels.md, elecdaily table, row {name!r} (RMSE, MASE, 80% coverage) "
                f"against {ELECDAILY}")
    ratio = _record(ELECDAILY)["rmse_ratio_with_vs_without"]
    said = re.search(r"RMSE with / without = ([\d.]+)", _flat("docs/panels.md"))
    assert said, "docs/panels.md: the elecdaily 'RMSE with / without' sentence moved"
    _pinned(said.groups(), [ratio], f"docs/panels.md, elecdaily RMSE with / without, against "
                                    f"{ELECDAILY}'s rmse_ratio_with_vs_without")
    said = re.search(r"bring the global model's RMSE from ([\d.]+) to ([\d.]+) \(ratio ([\d.]+); "
                     r"seasonal naive ([\d.]+)\)", _flat("README.md"))
    assert said, "README.md: the elecdaily sentence moved"
    _pinned(said.groups(), [models["without covariates"]["rmse"],
                            models["with covariates"]["rmse"], ratio,
                            models["seasonal_naive"]["rmse"]],
            f"README.md, the elecdaily sentence (RMSE without, with, ratio, seasonal naive) "
            f"against {ELECDAILY}")


def test_the_mean_scale_table_and_readmes_sentence_are_the_record():
    panels = _record(SCALE)["panels"]
    table = _table("docs/panels.md", "| panel | lstm `last` | lstm `mean_scale` |")
    names = {"visnights": "visnights", "us_employment": "us_employment (30)"}
    for key, label in names.items():
        p = panels[key]
        runs = {(r["anchor"], r["seed"]): r for r in p["runs"]}
        base = [p["baselines"]["seasonal_naive"], p["baselines"]["ets"]]
        for seed in (0, 1):
            cells = table[f"{label}, seed {seed}"]
            cells = cells if seed == 0 else cells[:2]
            fits = [runs[("last", seed)], runs[("mean_scale", seed)]] + (base if seed == 0 else [])
            where = f"docs/panels.md, mean_scale table, row {label + ', seed ' + str(seed)!r}"
            _pinned(cells, [f["mase"] for f in fits], f"{where}, MASE, against {SCALE}")
            shares = [re.search(r"\(([\d.]+)\)", c).group(1) for c in cells]
            _pinned(shares, [f["coverage80"] for f in fits],
                    f"{where}, 80% coverage, against {SCALE}")
        _pinned(table[f"{label}, mean of seeds"],
                [p["mean_mase"]["last"], p["mean_mase"]["mean_scale"]]
                + [b["mase"] for b in base],
                f"docs/panels.md, mean_scale table, row '{label}, mean of seeds', against {SCALE}")
    said = re.search(r"It beat `last` on 30 us_employment series \(mean MASE ([\d.]+) against "
                     r"([\d.]+), seeds 0 and 1\) but not on visnights \(([\d.]+) against "
                     r"([\d.]+)\)", _flat("README.md"))
    assert said, "README.md: the mean_scale sentence moved"
    us, vis = panels["us_employment"]["mean_mase"], panels["visnights"]["mean_mase"]
    _pinned(said.groups(), [us["mean_scale"], us["last"], vis["mean_scale"], vis["last"]],
            f"README.md, the mean_scale sentence's mean MASEs, against {SCALE}")


def _coverage(md: str) -> list:
    text = (RESULTS / md).read_text(encoding="utf-8")
    m = re.search(r"intervals: 80% interval ([\d.]+), 95% interval ([\d.]+)", text)
    return [float(m.group(1)), float(m.group(2))]


def test_readmes_interval_coverages_are_the_defaults_records():
    sessions = sorted(RESULTS.glob("defaults_us_employment-session*.md"),
                      key=lambda p: int(re.search(r"session(\d+)", p.name).group(1)))
    tuning = _coverage("defaults_us_employment-tune118-intervals.md")
    test_series = _coverage(sessions[-1].name)
    visnights = _coverage("defaults_visnights.md")
    said = re.search(r"the 80% interval holds ([\d.]+)% of the held-out months of the 118 tuning "
                     r"series and ([\d.]+)% of the 30 test series' \(95%: ([\d.]+)% and "
                     r"([\d.]+)%\).*?they hold ([\d.]+)% and ([\d.]+)%\.", _flat("README.md"))
    assert said, "README.md: the interval coverage sentence moved"
    want = [tuning[0], test_series[0], tuning[1], test_series[1]] + visnights
    _pinned(said.groups(), [100 * w for w in want],
            f"README.md, the interval coverage sentence (tuning 80%, test 80%, tuning 95%, "
            f"test 95%, visnights 80% and 95%) against defaults_us_employment-tune118-"
            f"intervals.md, {sessions[-1].name} and defaults_visnights.md")
