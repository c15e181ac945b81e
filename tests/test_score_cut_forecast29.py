"""``rnnlab score`` of a run's forecast.csv cut short, holding its test rows only (the
forecast past the data comes last): it said "the forecast: no rows" of a file with rows,
naming neither the part it looks for nor what to do."""

from __future__ import annotations

from rnnlab.cli import main


def test_a_forecast_csv_without_its_future_rows_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    rows = ["time,part,actual,model"] + [f"2005-{m:02d}-01,test,{100 + m},{101 + m}"
                                         for m in range(1, 9)]
    (tmp_path / "forecast.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "a.csv").write_text("date,value\n" + "".join(
        f"{2005 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}-01,{100 + m}\n" for m in range(1, 25)))
    code = main(["score", "forecast.csv", "--actuals", "a.csv"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err, err
    assert "holds no rows of part 'future' (the forecast past the data) among its 8 rows " \
           "(parts: test); the file is cut short" in err, err
