"""Tables and figures README.md and docs/panels.md copy from the panel benchmarks' records
(benchmarks/results/*.json and .md): each is read from the page and compared with its
record, rounded as the page prints it, so the two cannot drift apart (the docs audit of
session 34: no test read these tables; README's Darts ratio to seasonal naive read 0.83
where its record gives 0.835, and the uncalibrated scaled 80% width 1.45 where it gives
1.4450)."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

pytestmark = pytest.mark.skipif(not RESULTS.is_dir(),
                                reason="benchmarks/results is not here (an unpacked sdist)")

BASELINES = "panel_us_employment-20261204T2208Z.json"
GLOBAL = "panel_us_employment-global-20261205T1045Z.json"
GLOBAL_RAW = "panel_us_employment-global-uncalibrated-20261205T1046Z.json"
GLOBAL_RERUN = "panel_us_employment-20261206T0314Z.json"
PEERS = "peers_panel_us_employment-20261204T2215Z.json"
ELECDAILY = "panel_elecdaily-global-20261204T2233Z.json"
SCALE = "panel_scale-20261207T2122Z.json"


def _record(name: str) -> dict:
    return json.loads((RESULTS / name).read_text(encoding="utf-8"))


def _model(name: str, model: str) -> dict:
    [row] = [r for r in _record(name)["models"] if r["model"] == model]
    return row


def _flat(doc: str) -> str:
    return " ".join((ROOT / doc).read_text(encoding="utf-8").split())


def _printed(value: float, like: str) -> str:
    """``value`` rounded to the decimals of the page's ``like``."""
    decimals = len(like.split(".")[1]) if "." in like else 0
    return f"{value:.{decimals}f}"


def _table(doc: str, header: str) -> dict:
    """The markdown table under ``header`` (its first line, exact) in ``doc``: first cell ->
    the row's other cells."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert header in text, f"{doc}: no table headed {header!r} (its header changed?)"
    lines = text[text.index(header):].splitlines()
    rows = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rows[cells[0]] = cells[1:]
    return rows


def _paragraph(doc: str, start: str) -> str:
    """The paragraph of ``doc`` that holds ``start``, from ``start`` on, whitespace
    collapsed: the next paragraph may be reworded without breaking a test."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert start in text, f"{doc}: the paragraph starting {start!r} moved or was reworded"
    tail = text[text.index(start):]
    return " ".join(re.split(r"\n\s*\n", tail, maxsplit=1)[0].split())


def _pinned(cells: list, expected: list, where: str) -> None:
    """Each cell's leading number is the expected value rounded as the cell prints it;
    ``where`` names the page's figure and the record it is held to, for the message."""
    wrong = []
    for i, (cell, value) in enumerate(zip(cells, expected)):
        if value is None:
            continue
        number = re.match(r"-?[\d.]*\d", cell)
        if number is None or _printed(value, number.group(0)) != number.group(0):
            wrong.append(f"figure {i + 1} reads {cell!r}, the record gives {value!r}"
                         f"{'' if number is None else ' = ' + _printed(value, number.group(0))}")
    assert not wrong, f"{where}: " + "; ".join(wrong)


def _us_employment_rows() -> dict:
    """Each model's (record row, seconds) as the pages give them: the baselines' and the
    global model's seconds are the record's own; the peers' are the notes' wall times
    (the whole backtest, as `peers_panel.py` times it)."""
    peers = _record(PEERS)
    wall = {m: float(s) for m, s in (re.match(r"(\w+): ([\d.]+) s", n).groups()
                                     for n in peers["notes"])}
    rows = {"global": _model(GLOBAL, "lstm"), "global_raw": _model(GLOBAL_RAW, "lstm"),
            "ets": _model(BASELINES, "ets"), "seasonal_naive": _model(BASELINES, "seasonal_naive"),
            "naive": _model(BASELINES, "naive")}
    rows.update({m: dict(_model(PEERS, m), seconds=wall[m]) for m in ("neuralforecast", "darts")})
    snaive, ets = rows["seasonal_naive"]["mase"], rows["ets"]["mase"]
    return {k: [r["mase"], r["mase"] / snaive, r["mase"] / ets, r["coverage80"], r["seconds"]]
            for k, r in rows.items()}


# the record each us_employment row is held to (the ratios divide by BASELINES' MASEs)
ROW_RECORD = {"global": GLOBAL, "global_raw": GLOBAL_RAW, "ets": BASELINES,
              "seasonal_naive": BASELINES, "naive": BASELINES,
              "neuralforecast": f"{PEERS} (seconds: its notes)",
              "darts": f"{PEERS} (seconds: its notes)"}


def _row_where(doc: str, key: str, name: str) -> str:
    return (f"{doc}, us_employment table, row {name!r} (mean MASE, vs seasonal naive, vs ETS, "
            f"80% coverage, seconds) against {ROW_RECORD[key]}, ratios over {BASELINES}")


def test_the_panels_pages_us_employment_table_is_its_records():
    table = _table("docs/panels.md", "| model | mean MASE | vs seasonal naive | vs ETS |")
    want = _us_employment_rows()
    names = {"global": "rnnlab global LSTM (lookback 36, default settings: calibrated intervals)",
             "global_raw": "the same, `--calibrate none` (the network's own quantiles)",
             "ets": "ETS (per series)", "neuralforecast": "NeuralForecast LSTM (500 steps)",
             "darts": "Darts BlockRNNModel (10 epochs)", "seasonal_naive": "seasonal naive",
             "naive": "naive"}
    assert set(table) == set(names.values()), "docs/panels.md: the us_employment table's rows"
    for key, name in names.items():
        _pinned(table[name], want[key], _row_where("docs/panels.md", key, name))
    # the global row's "16 (10 on 6 December)": the re-run's seconds; its peak RSS and ETS's
    rerun = _model(GLOBAL_RERUN, "lstm")
    seconds = table[names["global"]][4]
    _pinned([re.search(r"\((\d+) on 6 December\)", seconds).group(1)], [rerun["seconds"]],
            f"docs/panels.md, us_employment table, the global row's seconds on 6 December "
            f"against {GLOBAL_RERUN}")
    rss = re.search(r"peak RSS (\d+) MiB", table[names["global"]][5]).group(1)
    assert int(rss) == round(_record(GLOBAL)["peak_rss_mib"], -1), (
        f"docs/panels.md, the global row's peak RSS {rss} MiB against {GLOBAL}'s "
        f"{_record(GLOBAL)['peak_rss_mib']:.1f} (to the nearest 10)")
    rss = re.search(r"peak RSS (\d+) MiB", table[names["ets"]][5]).group(1)
    _pinned([rss], [_record(BASELINES)["peak_rss_mib"]],
            f"docs/panels.md, the ETS row's peak RSS against {BASELINES}")


def test_readmes_us_employment_table_is_the_same_records():
    table = _table("README.md", "| model | mean MASE | vs seasonal naive | vs ETS |")
    want = _us_employment_rows()
    names = {"global": "rnnlab global LSTM (lookback 36, defaults)",
             "ets": "per-series ETS (statsmodels)", "neuralforecast": "NeuralForecast LSTM (500 steps)",
             "darts": "Darts BlockRNNModel (10 epochs)", "seasonal_naive": "seasonal naive"}
    assert set(table) == set(names.values()), "README.md: the us_employment table's rows"
    for key, name in names.items():
        _pinned(table[name], want[key], _row_where("README.md", key, name))
    rss = re.search(r"`--models global` \(peak RSS (\d+) MiB\)", _flat("README.md")).group(1)
    assert int(rss) == round(_record(GLOBAL)["peak_rss_mib"], -1), (
        f"README.md, `--models global`'s peak RSS {rss} MiB against {GLOBAL}'s "
        f"{_record(GLOBAL)['peak_rss_mib']:.1f} (to the nearest 10)")


def test_the_panels_pages_results_paragraph_gives_each_records_scores():
    said = _paragraph("docs/panels.md",
                      "Results: `benchmarks/results/panel_us_employment-20261204T2208Z")
    calibrated = re.search(r"calibrated: scaled CRPS ([\d.]+), scaled 80% width ([\d.]+);", said)
    rerun = re.search(r"the same MASE and 80% coverage, scaled CRPS ([\d.]+)\)", said)
    raw = re.search(r"uncalibrated-20261205T1046Z.json` \(([\d.]+), ([\d.]+);", said)
    assert calibrated and rerun and raw, said
    g, r, u = _model(GLOBAL, "lstm"), _model(GLOBAL_RERUN, "lstm"), _model(GLOBAL_RAW, "lstm")
    where = "docs/panels.md, the us_employment results paragraph"
    _pinned(calibrated.groups(), [g["scaled_crps"], g["scaled_width80"]],
            f"{where}, calibrated scaled CRPS and 80% width against {GLOBAL}")
    _pinned(rerun.groups(), [r["scaled_crps"]],
            f"{where}, the re-run's scaled CRPS against {GLOBAL_RERUN}")
    _pinned(raw.groups(), [u["scaled_crps"], u["scaled_width80"]],
            f"{where}, uncalibrated scaled CRPS and 80% width against {GLOBAL_RAW}")
    # "the whole backtest within 10 minutes (N s": the run's wall time, not the table's
    # fit-and-forecast seconds (16)
    whole = re.search(r"the whole backtest within 10 minutes \((\d+) s, the record's "
                      r"`wall_seconds`\)", said)
    assert whole, f"{where}: the whole backtest's seconds do not say they are `wall_seconds`"
    _pinned(whole.groups(), [_record(GLOBAL)["wall_seconds"]],
            f"{where}, the whole backtest's seconds, against {GLOBAL}'s wall_seconds")
    assert (f"{r['mase']:.3f}", f"{r['coverage80']:.3f}") == (f"{g['mase']:.3f}",
                                                             f"{g['coverage80']:.3f}")


def test_the_calibration_tables_us_employment_row_is_its_records():
    table = _table("docs/panels.md", "| | raw | calibrated |")
    [row] = [v for k, v in table.items() if k.startswith("us_employment, 148 series")]
    raw = re.fullmatch(r"([\d.]+), scaled width ([\d.]+)", row[0])
    cal = re.fullmatch(r"([\d.]+), ([\d.]+) \(scaled CRPS ([\d.]+) -> ([\d.]+)\)", row[1])
    assert raw and cal, row
    g, u = _model(GLOBAL, "lstm"), _model(GLOBAL_RAW, "lstm")
    where = "docs/panels.md, the calibration table's us_employment row"
    _pinned(raw.groups(), [u["coverage80"], u["scaled_width80"]],
            f"{where}, raw coverage and width against {GLOBAL_RAW}")
    _pinned(cal.groups(), [g["coverage80"], g["scaled_width80"], u["scaled_crps"],
                           g["scaled_crps"]],
            f"{where}, calibrated coverage, width, CRPS raw -> calibrated against {GLOBAL} "
            f"(raw CRPS: {GLOBAL_RAW})")


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


def test_every_row_of_the_calibration_table_says_where_it_comes_from():
    # (the rows gave no command and no record; the first is the benchmark's records, the
    # visnights row's command was in a commit message only, the others kept neither)
    import shlex

    from rnnlab.cli import build_parser

    table = _table("docs/panels.md", "| | raw | calibrated |")
    said = _paragraph("docs/panels.md", "Sources: the first row is the records")
    assert len(table) == 6
    for name in (GLOBAL_RAW, GLOBAL):
        assert f"`{name}`" in said
    cmd = re.search(r"the visnights row is `(rnnlab backtest [^`]*)` \(6 December, no record "
                    r"kept\)", said).group(1)
    argv = shlex.split(cmd.replace("conformal|none", "conformal"))[1:]
    a = build_parser().parse_args(argv)
    origins = len(range(a.first_origin, a.horizon - 1, -a.stride))
    [row] = [k for k in table if k.startswith("visnights")]
    assert (a.data, a.lookback, a.horizon, origins, a.epochs, a.batches_per_epoch) == (
        "visnights", 12, 8, 6, 10, 30)
    assert "six origins of 8 quarters (lookback 12, 10 epochs of 30 batches)" in row
    assert re.search(r"the us_employment last-12-months rows, elecdaily's and airline's were "
                     r"measured .*? neither their commands nor their records were kept", said)


@pytest.mark.parametrize("doc", ["README.md", "docs/panels.md"])
def test_the_us_employment_tables_say_what_the_peers_seconds_are(doc):
    # the peers' rows print the whole backtest's wall time (the record's notes), the other
    # rows the record's `seconds` (fit and forecasts): a reader comparing 412 with 16 must
    # be told (review of session 34)
    said = re.search(r"NeuralForecast'?s? and Darts'? (?:seconds are )?the whole backtest's, as "
                     r"`peers_panel.py` times it \(its record's `notes`; the record's `seconds`, "
                     r"fit and forecasts only, are (\d+) and (\d+)\)", _flat(doc))
    assert said, f"{doc}: the us_employment table does not say what the peers' seconds are"
    want = [f"{_model(PEERS, m)['seconds']:.0f}" for m in ("neuralforecast", "darts")]
    assert list(said.groups()) == want, (
        f"{doc}: the peers' fit-and-forecast seconds {list(said.groups())} are not "
        f"{PEERS}'s `seconds` {want}")


def _page_with(tmp_path, monkeypatch, doc: str, old: str, new: str) -> None:
    """Points the tests above at a copy of ``doc`` with ``old`` replaced by ``new``."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (tmp_path / doc).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / doc).write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)


def test_a_changed_figure_fails_naming_the_figure_and_its_record(tmp_path, monkeypatch):
    # (the review of session 34: the failures said `['0.83'] != ['0.84']` and no more)
    _page_with(tmp_path, monkeypatch, "README.md",
               "| Darts BlockRNNModel (10 epochs) | 0.687 | 0.84 |",
               "| Darts BlockRNNModel (10 epochs) | 0.687 | 0.83 |")
    with pytest.raises(AssertionError) as failed:
        test_readmes_us_employment_table_is_the_same_records()
    message = str(failed.value)
    for said in ("README.md", "Darts BlockRNNModel", "vs seasonal naive", PEERS, BASELINES,
                 "'0.83'", "0.84"):
        assert said in message, (said, message)


def test_a_reworded_next_paragraph_does_not_break_the_results_check(tmp_path, monkeypatch):
    # the results paragraph was cut at "The goals", the calibration sources at the
    # next paragraph's heading: rewording either broke the tests with a bare ValueError
    _page_with(tmp_path, monkeypatch, "docs/panels.md", "The issue's goals, met here:",
               "What the issue asked for, all met:")
    test_the_panels_pages_results_paragraph_gives_each_records_scores()
    _page_with(tmp_path, monkeypatch, "docs/panels.md", "**What the guarantee assumes.**",
               "**The guarantee's assumptions.**")
    test_every_row_of_the_calibration_table_says_where_it_comes_from()
