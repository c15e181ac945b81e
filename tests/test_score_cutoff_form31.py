"""`rnnlab backtest` on quarterly data names its origins 2013Q4, 2014Q4 and writes them so
in forecasts.csv; `rnnlab score forecasts.csv --by cutoff` listed them as 2013-10-01,
2014-10-01 (and so did `--json`'s by_cutoff), a date a reader takes for October's. The
cutoffs are shown as the actuals' dates are written: quarters as quarters, us_employment's
months as 2016-09."""

import json

import pandas as pd

from rnnlab.cli import main


def _forecast(tmp_path, written, ids, cutoffs, dates):
    rows = [{"unique_id": i, "cutoff": c, "ds": d, "y_hat": 5.0}
            for i in ids for c, ds in zip(cutoffs, dates) for d in ds]
    path = tmp_path / "cv.csv"
    pd.DataFrame(rows).rename(columns={"y_hat": "naive"}).to_csv(path, index=False)
    return str(path)


def test_quarterly_cutoffs_are_shown_as_quarters(tmp_path, capsys):
    fc = _forecast(tmp_path, "Q", ["NSWMetro", "NSWNthCo"], ["2015Q3", "2015Q4"],
                   [["2015Q4", "2016Q1"], ["2016Q1", "2016Q2"]])
    assert main(["score", fc, "--actuals", "visnights", "--by", "cutoff"]) == 0
    out = capsys.readouterr().out
    assert "2015Q3" in out and "2015Q4" in out and "2015-07-01" not in out
    assert main(["score", fc, "--actuals", "visnights", "--by", "cutoff", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [r["cutoff"] for r in got["by_cutoff"]] == ["2015Q3", "2015Q4"]


def test_monthly_cutoffs_are_shown_as_the_actuals_write_months(tmp_path, capsys):
    actuals = tmp_path / "emp.csv"
    pd.DataFrame({"unique_id": "a", "ds": pd.period_range("2015-01", periods=30, freq="M")
                  .astype(str), "y": range(30)}).to_csv(actuals, index=False)
    fc = _forecast(tmp_path, "M", ["a"], ["2016-12", "2017-01"],
                   [["2017-01", "2017-02"], ["2017-02", "2017-03"]])
    assert main(["score", fc, "--actuals", str(actuals), "--by", "cutoff"]) == 0
    out = capsys.readouterr().out
    assert "2016-12 " in out and "2016-12-01" not in out


def test_the_readme_says_a_cutoff_takes_the_actuals_written_form(tmp_path, capsys):
    """README said cutoffs other than quarters are shown "in ISO form", but they take the
    actuals' own form: a file of 01/09/2016 dates shows its cutoff 2016-09-01 so."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    said = " ".join(readme[readme.index("A cutoff is written as the actuals"):].split()[:40])
    form = re.search(r"`(\d\d/\d\d/\d{4})` where the actuals' file writes its dates so", said)
    assert form, said
    ds = pd.date_range("2015-01-01", periods=30, freq="MS")
    actuals = tmp_path / "a.csv"
    pd.DataFrame({"unique_id": "a", "ds": ds.strftime("%d/%m/%Y"), "y": range(30)}).to_csv(
        actuals, index=False)
    fc = _forecast(tmp_path, "D", ["a"], ["2016-09-01", "2016-11-01"],
                   [["2016-10-01", "2016-11-01"], ["2016-12-01", "2017-01-01"]])
    assert main(["score", fc, "--actuals", str(actuals), "--by", "cutoff"]) == 0
    out = capsys.readouterr().out
    assert form.group(1) in out and "2016-09-01" not in out


def test_a_cutoff_inside_a_quarter_is_shown_as_its_date(tmp_path, capsys):
    """Cutoffs on 2014-11-15 and 2014-12-01, beside quarterly actuals, both read 2014Q4:
    two rows of one label, which the reader cannot tell apart (in --json too). The
    actuals' form names a cutoff only where it names it alone (a quarter's first day);
    another is shown as its date."""
    actuals = tmp_path / "q.csv"
    pd.DataFrame({"unique_id": "a", "ds": pd.period_range("2010Q1", periods=24, freq="Q")
                  .astype(str), "y": [float(i % 4 + i) for i in range(24)]}).to_csv(
        actuals, index=False)
    fc = _forecast(tmp_path, "Q", ["a"], ["2014-11-15", "2014-12-01", "2014-10-01"],
                   [["2015Q1", "2015Q2"]] * 3)
    assert main(["score", fc, "--actuals", str(actuals), "--by", "cutoff", "--json"]) == 0
    shown = [r["cutoff"] for r in json.loads(capsys.readouterr().out)["by_cutoff"]]
    assert shown == ["2014Q4", "2014-11-15", "2014-12-01"]
