"""Review of read28 (compressed inputs, encoding= wherever a path is taken) merged beside
dates28 (off_grid=): what the merge left unread or untrue."""

import bz2
import gzip
import lzma

import pytest

from rnnlab.io.errors import DataError

FUTURE = "unique_id;ds;price\n" + "".join(f"007;2020-01-{d:02d};{d},5\n" for d in (15, 16, 17))
STATIC = "unique_id;size\n007;3,5\n010;4,5\n"


def _packed(tmp_path, name, text, pack):
    path = tmp_path / name
    path.write_bytes(pack(text.encode()))
    return path


@pytest.mark.parametrize("name, pack", [("fut.csv.gz", gzip.compress),  # (';': read as ',')
                                        ("fut.csv.bz2", bz2.compress),  # (not as gzip)
                                        ("fut.csv", lzma.compress)])  # (named as plain)
def test_compressed_future_and_static_files_keep_ids_as_written(tmp_path, name, pack):
    """--future and --static-data of a compressed file whose ids read as numbers (007)
    raised pandas' ValueError ('Usecols do not match') or UnicodeDecodeError: the ids'
    text was read again from the compressed bytes, as a comma-separated .gz or not at all."""
    from rnnlab.panel.covariates import static_file
    from rnnlab.panel.future_file import read_future

    fut = read_future(_packed(tmp_path, name, FUTURE, pack), ["price"], None, None)
    assert fut["unique_id"].tolist() == ["007"] * 3
    assert fut["price"].tolist() == [15.5, 16.5, 17.5]
    static = static_file(_packed(tmp_path, "s_" + name, STATIC, pack), None)
    assert static["unique_id"].tolist() == ["007", "010"]
    assert static["size"].tolist() == [3.5, 4.5]


def test_a_plain_file_named_gz_is_still_refused_by_the_id_reader(tmp_path):
    path = tmp_path / "fut.csv.gz"
    path.write_text(FUTURE)
    from rnnlab.panel.future_file import read_future

    with pytest.raises(DataError, match="named .gz but not gzip"):
        read_future(path, ["price"], None, None)


def _fridays(n, moved=()):
    import pandas as pd

    days = pd.date_range("2020-01-03", periods=n, freq="W-FRI").astype(str).tolist()
    for i in moved:  # (a Thursday among Fridays: a holiday moved it)
        days[i] = str((pd.Timestamp(days[i]) - pd.Timedelta(days=1)).date())
    return days


def _weekly(tmp_path, name, days, start=0):
    """A cp1252, gzip-compressed ';' file of weekly values (decimal commas)."""
    import numpy as np

    text = "fecha;ventas año\n" + "".join(
        f"{d};{10 + np.sin(i + start):.3f}\n".replace(".", ",") for i, d in enumerate(days))
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode("cp1252")))
    return path


@pytest.mark.slow
def test_forecaster_fit_takes_off_grid_beside_encoding(tmp_path):
    """Forecaster.fit(path) refused a true date off the grid saying "pass off_grid='snap'",
    which it did not take (ConfigTypeError): only load_series and the command line did."""
    import pandas as pd

    from rnnlab import Forecaster
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import ConfigError

    data = _weekly(tmp_path, "v.csv.gz", _fridays(80, moved=[60]))
    val = _weekly(tmp_path, "val.csv.gz", _fridays(92, moved=[86])[80:], start=80)
    made = lambda: Forecaster("gru", epochs=1, ensemble=1, hidden_size=4, horizon=4,
                              progress=False)
    with pytest.raises(DataError, match=r"off_grid='snap' \(Forecaster\.fit[;)]"):
        made().fit(data, encoding="cp1252")
    with pytest.warns(Warning, match="1 dates of its 'W-FRI' calendar are missing"):
        f = made().fit(data, encoding="cp1252", off_grid="drop")  # (its gap: said)
    want = load_series(data, encoding="cp1252", off_grid="drop")
    assert len(f.series) == 79 and list(f.series.index) == list(want.index)
    f = made().fit(data, encoding="cp1252", off_grid="snap", val_data=val)
    assert len(f.series) == 80 + 12  # (val_data's date snapped too)
    assert list(f.series.index) == list(pd.DatetimeIndex(_fridays(92)))
    with pytest.raises(ConfigError, match=r"Forecaster.fit.*off_grid.*'move'"):
        made().fit(data, encoding="cp1252", off_grid="move")


@pytest.mark.slow
def test_forecaster_backtest_takes_encoding_and_off_grid_as_fit_does(tmp_path):
    """Forecaster.backtest(path) takes what fit takes (anything fit() takes, its docstring
    says), but not encoding= or off_grid=: a cp1252 file was refused saying "pass
    encoding='latin1' to load_series()" and encoding= was an unexpected keyword."""
    import pandas as pd

    from rnnlab import Forecaster
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import ConfigError

    data = _weekly(tmp_path, "v.csv.gz", _fridays(80, moved=[60]))
    made = lambda: Forecaster("gru", epochs=1, ensemble=1, hidden_size=4, horizon=4,
                              progress=False)
    run = dict(first_origin=8, stride=4, baselines=("naive",), quantiles=None)
    with pytest.raises(DataError, match="not valid UTF-8"):
        made().backtest(data, **run)
    with pytest.raises(DataError, match=r"off_grid='snap' \(Forecaster\.backtest[;)]"):
        made().backtest(data, encoding="cp1252", **run)
    got = made().backtest(data, encoding="cp1252", off_grid="snap", **run).forecasts
    want = made().backtest(load_series(data, encoding="cp1252", off_grid="snap"),
                           **run).forecasts
    pd.testing.assert_frame_equal(got, want)
    assert set(got["ds"].dt.day_of_week) == {4}  # (Fridays: the Thursday snapped)
    fitted = made().fit(data, encoding="cp1252", off_grid="snap")
    for f in (made(), fitted):  # (a fitted one reads the file's columns first)
        with pytest.raises(ConfigError, match=r"Forecaster.backtest\(encoding='nope'\)"):
            f.backtest(data, encoding="nope", **run)
    pd.testing.assert_frame_equal(
        fitted.backtest(data, encoding="cp1252", off_grid="snap", **run).forecasts, got)
    with pytest.raises(ConfigError, match=r"Forecaster.backtest\(off_grid='move'\)"):
        made().backtest(data, encoding="cp1252", off_grid="move", **run)


def _encrypted_zip(tmp_path):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.csv", "ds,Close,volume\n2020-01-01,1.5,10\n2020-01-02,2.5,11\n")
    data = bytearray(buf.getvalue())
    data[6] |= 1  # the encrypted flag, in the file's header and the archive's directory
    data[bytes(data).find(b"PK\x01\x02") + 8] |= 1
    path = tmp_path / "s.zip"
    path.write_bytes(bytes(data))
    return path


def test_the_forecast_command_says_an_encrypted_zip_is_one(tmp_path, capsys):
    """`rnnlab forecast --data s.zip --model naive` (the panel model's route) peeked into
    the file with pandas, whose RuntimeError ('password required') escaped as a traceback."""
    from rnnlab.cli import main

    path = _encrypted_zip(tmp_path)
    assert main(["forecast", "--data", str(path), "--model", "naive", "--out",
                 str(tmp_path / "run")]) != 0
    err = capsys.readouterr().err
    assert "its file a.csv cannot be read" in err and f"unzip {path}" in err, err


def test_the_forecast_command_peeks_no_further_than_the_reader_reads(tmp_path, monkeypatch):
    """Which column of a wide table to forecast was found by pandas reading the whole
    decompressed file, however large: past the readers' limit it is left to them."""
    from argparse import Namespace

    from rnnlab.data import csv_file
    from rnnlab.panel.one_table import one_series_target

    monkeypatch.setattr(csv_file, "MAX_CSV_BYTES", 1 << 16)
    body = "ds,Close,volume\n" + "2020-01-01,1.5,10\n" * 20_000
    path = _packed(tmp_path, "w.csv.bz2", body, bz2.compress)
    args = Namespace(data=str(path), column=None, id_column=None, date_column=None)
    one_series_target(args)
    assert args.column is None
    small = _packed(tmp_path, "s.csv.bz2", body[:2000], bz2.compress)
    args = Namespace(data=str(small), column=None, id_column=None, date_column=None)
    one_series_target(args)
    assert args.column == "Close"


def _weekly_panel(tmp_path):
    """A latin1, gzip-compressed panel: series 'Zürich' has a Thursday among its Fridays."""
    import numpy as np
    import pandas as pd

    table = pd.concat([pd.DataFrame({"unique_id": u, "ds": d,
                                     "y": 10 + np.sin(np.arange(80.0) * k)})
                       for u, d, k in (("Zürich", _fridays(80, moved=[60]), 0.7),
                                       ("007", _fridays(80), 0.3))])
    path = tmp_path / "p.csv.gz"
    path.write_bytes(gzip.compress(table.to_csv(index=False).encode("latin1")))
    return path


@pytest.mark.slow
def test_global_forecaster_fit_and_backtest_take_off_grid_beside_encoding(tmp_path):
    """GlobalForecaster.fit(path) and .backtest(path) refused a series' date off its grid
    saying "pass off_grid='snap'", which neither took (read_panel and --off-grid did)."""
    from rnnlab.io.errors import ConfigError
    from rnnlab.panel import GlobalForecaster

    path = _weekly_panel(tmp_path)
    made = lambda: GlobalForecaster(horizon=4, lookback=8, epochs=1, hidden_size=4,
                                    progress=False)
    with pytest.raises(DataError, match=r"off_grid='snap' \(GlobalForecaster\.fit[;)]"):
        made().fit(path, encoding="latin1")
    fc = made().fit(path, encoding="latin1", off_grid="snap").predict(4)
    assert sorted(map(str, fc["unique_id"].unique())) == ["007", "Zürich"]
    assert set(fc["ds"].dt.day_of_week) == {4}  # (Fridays: on the W-FRI grid)
    result = made().backtest(path, encoding="latin1", off_grid="snap", baselines=("naive",),
                             first_origin=8, stride=4)
    assert set(map(str, result.forecasts["unique_id"])) == {"007", "Zürich"}
    assert set(result.forecasts["ds"].dt.day_of_week) == {4}
    for call in (lambda: made().fit(path, encoding="latin1", off_grid="move"),
                 lambda: made().backtest(path, encoding="latin1", off_grid="move")):
        with pytest.raises(ConfigError, match=r"GlobalForecaster\.\w+\(off_grid='move'\)"):
            call()


def test_a_zip_made_by_macos_finder_reads_as_its_one_file(tmp_path):
    """Finder's Compress adds each file's AppleDouble twin (``__MACOSX/._data.csv``): a
    zip of one CSV was refused as "a zip archive of 2 files"."""
    import io
    import zipfile

    from rnnlab.data.series import load_series

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data.csv", "month,sales\n" + "".join(
            f"2020-{m:02d}-01,{100 + m}\n" for m in range(1, 13)))
        z.writestr("__MACOSX/._data.csv", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    path = tmp_path / "data.zip"
    path.write_bytes(buf.getvalue())
    assert load_series(path).values.tolist() == [100.0 + m for m in range(1, 13)]
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("other.csv", "a,b\n1,2\n")
    with pytest.raises(DataError, match=r"a zip archive of 2 files \(data.csv, other.csv\)"):
        load_series(path)


@pytest.mark.slow
def test_forecaster_predict_history_takes_encoding_and_off_grid_as_fit_does(tmp_path):
    """predict(history=path) and predict_insample(history=path) read "anything fit takes,
    column and date_column as there", but took neither encoding= nor off_grid=: newer
    data in the fitted file's cp1252, or with the date the fit snapped, was refused saying
    to pass what they refused as unexpected keywords (`--run DIR --data` read both)."""
    import pandas as pd

    from rnnlab import Forecaster
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import ConfigError

    data = _weekly(tmp_path, "v.csv.gz", _fridays(80, moved=[60]))
    newer = _weekly(tmp_path, "newer.csv.gz", _fridays(84, moved=[60]))
    f = Forecaster("gru", epochs=1, ensemble=1, hidden_size=4, horizon=4,
                   progress=False).fit(data, encoding="cp1252", off_grid="snap")
    with pytest.raises(DataError, match="not valid UTF-8"):
        f.predict(history=newer)
    # (session 29: the off_grid= fit was given is kept: predict(history=) snaps as fit did;
    # off_grid="refuse" given anew refuses the off-grid date, naming what to pass)
    with pytest.raises(DataError, match=r"off_grid='snap' \(Forecaster\.predict[;)]"):
        f.predict(history=newer, encoding="cp1252", off_grid="refuse")
    got = f.predict(history=newer, encoding="cp1252", off_grid="snap")
    pd.testing.assert_series_equal(got, f.predict(history=newer, encoding="cp1252"))
    assert got.index[0] == pd.Timestamp(_fridays(85)[-1])  # (after newer's 84 Fridays)
    snapped = load_series(newer, encoding="cp1252", off_grid="snap")
    pd.testing.assert_series_equal(got, f.predict(history=snapped))
    cut = f.predict_insample(history=newer, encoding="cp1252", off_grid="snap")
    assert set(cut["ds"].dt.day_of_week) == {4} and cut["ds"].max() == got.index[0] - \
        pd.Timedelta(weeks=1)
    for call in (lambda: f.predict(history=newer, encoding="nope"),
                 lambda: f.predict_insample(history=newer, off_grid="move")):
        with pytest.raises(ConfigError, match=r"Forecaster.predict(_insample)?\("):
            call()


def test_a_command_drops_the_python_hint_of_a_dotted_call():
    """The hint names the call (Forecaster.fit()); the command line's drops it whatever
    its name, as it dropped load_series()'s."""
    from argparse import Namespace

    from rnnlab.io.encoded_input import encoding_hint

    said = ("x.csv: not valid UTF-8 (byte 3); convert it, e.g. `iconv -f latin1 -t utf-8 "
            "x.csv > fixed.csv`; or pass encoding='latin1' to Forecaster.fit(), which "
            "converts it as it reads")
    got = encoding_hint(said, Namespace(encoding="utf-8"))
    assert "Forecaster.fit" not in got and got.endswith("or pass --encoding latin1 (the "
                                                        "command converts it as it reads)")
