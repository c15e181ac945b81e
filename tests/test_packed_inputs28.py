"""Compressed input files (gzip, bzip2, xz, a zip of one file) read the same by every
reader that takes a path, with ``encoding=`` or without (load_series refused a .gz unless
given encoding=, then read it; read_panel read a .gz alone; a .bz2 was "a binary file");
a damaged one is a DataError saying what to do, never a zlib or EOFError traceback."""

import bz2
import gzip
import io
import lzma
import zipfile

import numpy as np
import pandas as pd
import pytest

from rnnlab.data import csv_file
from rnnlab.data.series import load_series
from rnnlab.data.text import load_corpus
from rnnlab.data.text_chunks import iter_text_chunks
from rnnlab.io.errors import ConfigError, DataError
from rnnlab.panel import read_panel


def _zip(data: bytes, names=("data.csv",)) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, data)
    return buf.getvalue()


PACKERS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress, ".zip": _zip}
CHECKS = {".gz": "gzip -t", ".bz2": "bzip2 -t", ".xz": "xz -t", ".zip": "unzip -t"}
SERIES = "Fecha;Ventas año\n" + "".join(
    f"2020-{m:02d}-01;{100 + m},{m}\n" for m in range(1, 13)) + "".join(
    f"2021-{m:02d}-01;{120 + m},{m}\n" for m in range(1, 13))  # (decimal commas, ';')
PANEL = "unique_id,ds,y\n" + "".join(
    f"{u},2020-01-{d:02d},{d}.5\n" for u in ("007", "Zürich") for d in range(1, 15))
TEXT = "L'été à Paris, déjà.\r\nThe Time Machine.\n" * 20


def _write(tmp_path, name: str, text: str, suffix: str, enc: str = "utf-8"):
    path = tmp_path / (name + suffix)
    path.write_bytes(PACKERS[suffix](text.encode(enc)) if suffix else text.encode(enc))
    return path


@pytest.mark.parametrize("suffix", list(PACKERS))
@pytest.mark.parametrize("encoding", [None, "utf-8", "cp1252"])
def test_load_series_reads_a_compressed_csv_with_or_without_encoding(tmp_path, suffix,
                                                                     encoding):
    plain = load_series(_write(tmp_path, "s", SERIES, ""))
    enc = "utf-8" if encoding is None else encoding
    got = load_series(_write(tmp_path, "s.csv", SERIES, suffix, enc), encoding=encoding)
    np.testing.assert_array_equal(got.values, plain.values)
    assert list(got.index) == list(plain.index) and got.name == plain.name == "Ventas año"


@pytest.mark.parametrize("suffix", list(PACKERS))
@pytest.mark.parametrize("encoding", [None, "latin1"])
def test_read_panel_reads_a_compressed_csv_with_ids_as_written(tmp_path, suffix, encoding):
    enc = "utf-8" if encoding is None else encoding
    panel = read_panel(_write(tmp_path, "p.csv", PANEL, suffix, enc), encoding=encoding)
    assert sorted(map(str, panel.ids)) == ["007", "Zürich"]
    assert len(panel.df) == 28 and panel.df["y"].sum() == pytest.approx(2 * (105 + 7))


def test_a_compressed_panel_is_read_in_its_dialect(tmp_path):
    """A .csv.gz went straight to pandas (commas only): a semicolon file was one column."""
    text = PANEL.replace(",", ";").replace(".5", ",5")
    panel = read_panel(_write(tmp_path, "p.csv", text, ".gz"))
    assert panel.df["y"].iloc[0] == 1.5


@pytest.mark.parametrize("suffix", list(PACKERS))
@pytest.mark.parametrize("encoding", [None, "cp1252"])
def test_load_corpus_and_lm_prepare_read_a_compressed_text(tmp_path, suffix, encoding):
    enc = "utf-8" if encoding is None else encoding
    path = _write(tmp_path, "c.txt", TEXT, suffix, enc)
    assert load_corpus(path, encoding=encoding) == TEXT.replace("\r\n", "\n")
    if encoding is None:  # (lm prepare: chunk by chunk; --encoding converts before)
        assert "".join(iter_text_chunks(path, chunk_bytes=7)) == TEXT.replace("\r\n", "\n")


def test_a_compressed_file_need_not_say_so_in_its_name(tmp_path):
    path = tmp_path / "series.csv"
    path.write_bytes(bz2.compress(SERIES.encode()))
    assert len(load_series(path)) == 24


@pytest.mark.parametrize("suffix", list(PACKERS))
def test_a_damaged_or_cut_short_file_is_a_data_error_saying_what_to_do(tmp_path, suffix):
    whole = PACKERS[suffix](PANEL.encode() * 50)
    path = tmp_path / f"p.csv{suffix}"
    for blob in (whole[:len(whole) // 2],  # cut short
                 whole[:40] + bytes(b ^ 0x55 for b in whole[40:80]) + whole[80:]):  # bits
        path.write_bytes(blob)
        for read in (load_series, read_panel, load_corpus, lambda p: load_series(
                p, encoding="cp1252")):
            with pytest.raises(DataError) as e:
                read(path)
            said = str(e.value)
            assert said.startswith(str(path)) and "tmp" not in said.replace(
                str(tmp_path), "")  # (the user's file named, not a copy)
            assert "damaged or cut short" in said and CHECKS[suffix] in said, said


def test_a_cut_short_text_read_chunk_by_chunk_is_a_data_error(tmp_path):
    path = tmp_path / "c.txt.xz"
    whole = lzma.compress(TEXT.encode() * 100)
    path.write_bytes(whole[:len(whole) // 2])
    with pytest.raises(DataError, match=r"c\.txt\.xz: cannot be read as xz .*cut short.*"
                                        r"xz -t"):
        list(iter_text_chunks(path))


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zip", ".zst"])
def test_a_file_named_compressed_that_is_not_is_refused(tmp_path, suffix):
    path = _write(tmp_path, "s.csv", SERIES, "")
    named = path.rename(tmp_path / f"s.csv{suffix}")
    with pytest.raises(DataError, match=rf"named \{suffix} but not \w+-compressed.*rename it"):
        load_series(named)


def test_zstd_and_an_archive_of_several_files_say_what_to_do(tmp_path):
    zst = tmp_path / "s.csv.zst"
    zst.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    with pytest.raises(DataError, match=r"is zstd-compressed.*unzstd -k"):
        load_series(zst)
    two = tmp_path / "two.zip"
    two.write_bytes(_zip(PANEL.encode(), ("a.csv", "b.csv")))
    with pytest.raises(DataError, match=r"a zip archive of 2 files \(a.csv, b.csv\).*unzip"):
        read_panel(two)


def test_a_spreadsheet_is_still_named_as_one(tmp_path):
    path = tmp_path / "sales.xlsx"
    path.write_bytes(_zip(b"<xml/>", ("[Content_Types].xml", "xl/workbook.xml")))
    with pytest.raises(DataError, match="read_excel"):
        load_series(path)


@pytest.mark.parametrize("suffix", [".bz2", ".zip"])
def test_a_small_file_of_too_much_text_is_refused_as_it_is_read(tmp_path, monkeypatch,
                                                                 suffix):
    monkeypatch.setattr(csv_file, "MAX_CSV_BYTES", 1 << 16)
    body = "unique_id,ds,y\n" + "a,2020-01-01,1.0\n" * 20_000
    path = _write(tmp_path, "p.csv", body, suffix)
    assert path.stat().st_size < 1 << 16
    for read in (load_series, read_panel):
        with pytest.raises(DataError, match=r"decompresses to more than 65,536 bytes"):
            read(path)


def test_score_forecast_reads_compressed_files_and_takes_encoding(tmp_path):
    from rnnlab.forecast.scoring import score_forecast

    fc = pd.DataFrame({"time": pd.date_range("2021-10-01", periods=3, freq="MS")
                       .strftime("%Y-%m-%d"), "forecast": [130.0, 131.0, 132.0]})
    fc_path = tmp_path / "f.csv.xz"
    fc_path.write_bytes(lzma.compress(fc.to_csv(index=False).encode()))
    actuals = _write(tmp_path, "a.csv", SERIES, ".bz2", "cp1252")
    with pytest.raises(DataError, match=r"not valid UTF-8.*`bzip2 -dc \S+a\.csv\.bz2 \| iconv "
                                        r"-f latin1 -t utf-8 > .*pass encoding='latin1'"):
        score_forecast(fc_path, actuals)  # (iconv of the compressed bytes was suggested)
    got = score_forecast(fc_path, actuals, encoding="cp1252").table()
    plain = score_forecast(fc, _write(tmp_path, "b.csv", SERIES, "")).table()
    pd.testing.assert_frame_equal(got, plain)
    with pytest.raises(ConfigError, match="score_forecast"):
        score_forecast(fc, actuals, encoding="no-such-codec")


@pytest.mark.parametrize("suffix, encoding", [(".bz2", None), (".xz", "latin1"),
                                              (".zip", None), (".gz", "latin1")])
def test_rnnlab_score_reads_compressed_files_with_or_without_encoding(tmp_path, capsys,
                                                                       suffix, encoding):
    from rnnlab.cli import main

    enc = encoding or "utf-8"
    fc = "time,forecast\n2021-10-01,130\n2021-11-01,131\n2021-12-01,132\n"
    plain = [str(_write(tmp_path, "f", fc, "")), "--actuals",
             str(_write(tmp_path, "a", SERIES, ""))]
    packed = [str(_write(tmp_path, "f.csv", fc, suffix, enc)), "--actuals",
              str(_write(tmp_path, "a.csv", SERIES, suffix, enc))]
    assert main(["score", *plain, "--json"]) == 0
    want = capsys.readouterr().out
    assert main(["score", *packed, "--json"] + (["--encoding", encoding] if encoding
                                                 else [])) == 0
    assert capsys.readouterr().out == want


@pytest.mark.slow
@pytest.mark.parametrize("suffix, encoding", [(".xz", None), (".bz2", "latin1")])
def test_rnnlab_forecast_reads_a_compressed_panel(tmp_path, capsys, suffix, encoding):
    from rnnlab.cli import main

    data = _write(tmp_path, "p.csv", PANEL, suffix, encoding or "utf-8")
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(data), "--model", "naive", "--baselines", "none",
                 "--no-progress", "--out", str(run)] + (["--encoding", encoding] if encoding
                                                         else [])) == 0
    assert "Zürich" in (run / "forecasts.csv").read_text(encoding="utf-8")
    assert "007" in (run / "forecasts.csv").read_text(encoding="utf-8")


LONG = "month,sales\n" + "".join(f"{2016 + i // 12}-{i % 12 + 1:02d}-01,{100 + i + 9 * (i % 12 == 6)}"
                                 f"\n" for i in range(48))


@pytest.mark.slow
def test_forecaster_fit_takes_encoding_and_reads_a_compressed_csv(tmp_path):
    """Forecaster.fit(path) took no encoding= (load_series did): a cp1252 file could be
    fitted only from a DataFrame read by hand."""
    from rnnlab import Forecaster

    text = LONG.replace("sales", "ventas año")
    made = lambda: Forecaster("gru", epochs=1, ensemble=1, hidden_size=4, progress=False)
    want = made().fit(_write(tmp_path, "plain", text, "")).predict(3)
    path = _write(tmp_path, "v.csv", text, ".xz", "cp1252")
    with pytest.raises(DataError, match=r"pass encoding='\w+' to Forecaster.fit\(\)"):
        made().fit(path)
    got = made().fit(path, encoding="cp1252").predict(3)
    pd.testing.assert_series_equal(got, want)
    with pytest.raises(ConfigError, match=r"Forecaster.fit\(encoding='nope'\)"):
        made().fit(path, encoding="nope")


@pytest.mark.slow
def test_global_forecaster_fit_and_backtest_take_encoding(tmp_path):
    from rnnlab.panel import GlobalForecaster

    path = _write(tmp_path, "p.csv", PANEL, ".zip", "latin1")
    made = lambda: GlobalForecaster(horizon=2, lookback=4, epochs=1, hidden_size=4,
                                    progress=False)
    with pytest.raises(DataError, match="not valid UTF-8"):
        made().fit(path)
    fitted = made().fit(path, encoding="latin1")
    assert sorted(map(str, fitted.predict(2)["unique_id"].unique())) == ["007", "Zürich"]
    result = made().backtest(path, encoding="latin1", baselines=("naive",))
    assert set(map(str, result.forecasts["unique_id"])) == {"007", "Zürich"}


@pytest.mark.parametrize("suffix", [".bz2", ".xz", ".zip"])
def test_the_forecast_command_reads_a_compressed_file_s_header_as_a_plain_one_s(tmp_path,
                                                                                 suffix):
    """Which reader --data goes to (a unique_id column: the panel's) and which column a
    table of several is forecast by: a .bz2, .xz or .zip was taken for one series of no
    column (only .csv and .gz were looked into)."""
    from argparse import Namespace

    from rnnlab.panel.one_table import one_series_target
    from rnnlab.panel.wants_panel import _wants_panel

    panel = _write(tmp_path, "p.csv", PANEL, suffix)
    assert _wants_panel(Namespace(data=str(panel))) is True
    wide = _write(tmp_path, "w.csv", "ds,Close,volume\n2020-01-01,1.5,10\n2020-01-02,2.5,11\n",
                  suffix)
    args = Namespace(data=str(wide), column=None, id_column=None, date_column=None)
    one_series_target(args)
    assert args.column == "Close"


def test_accuracy_takes_encoding_and_a_compressed_file(tmp_path):
    from rnnlab.panel import accuracy

    path = _write(tmp_path, "p.csv", PANEL, ".gz", "latin1")
    fc = pd.DataFrame({"unique_id": ["007", "Zürich"], "ds": pd.Timestamp("2020-01-14"),
                       "mean": [14.0, 15.0]})
    with pytest.raises(DataError, match="not valid UTF-8"):
        accuracy(fc, path)
    got = accuracy(fc, path, encoding="latin1").set_index("unique_id")
    assert got.loc["Zürich", "mae"] == pytest.approx(0.5)
    assert got.loc["007", "mae"] == pytest.approx(0.5)


def test_an_encrypted_zip_says_to_unzip_it(tmp_path):
    """zipfile's RuntimeError ('password required') escaped as an internal error."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.csv", SERIES.encode())
    data = bytearray(buf.getvalue())
    data[6] |= 1  # the encrypted flag, in the file's header and the archive's directory
    data[bytes(data).find(b"PK\x01\x02") + 8] |= 1
    path = tmp_path / "s.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"its file a.csv cannot be read .*encrypted.*unzip"):
        load_series(path)
