"""encoding= of the Python readers that take a file (load_series, read_panel,
load_corpus): a cp1252/latin1 file read as --encoding reads it on the command line, by its
code (rnnlab.io.encoded_input.utf8_bytes), refusals naming encoding= and the user's file.
Was: only `--encoding`; in Python, a cp1252 CSV was refused with no setting to read it."""

import gzip

import pytest

from rnnlab.data.series import load_series
from rnnlab.data.text import load_corpus
from rnnlab.io.errors import ConfigError, DataError
from rnnlab.panel import read_panel

SERIES = "mes,ventas,nota\n2020-01,10,año\n2020-02,12,más\n2020-03,11,é\n2020-04,13,ü\n"
PANEL = "".join(["unique_id,ds,y\n"] + [f"{u},2020-01-0{d},{d + k}\n"
                                        for k, u in enumerate(("Zürich", "Genève"))
                                        for d in range(1, 8)])


def test_load_series_reads_a_cp1252_csv_given_encoding(tmp_path):
    path = tmp_path / "ventas.csv"
    path.write_bytes(SERIES.encode("cp1252"))
    with pytest.raises(DataError, match="not valid UTF-8"):
        load_series(path, column="ventas")
    s = load_series(path, column="ventas", encoding="cp1252")
    assert list(s.values) == [10, 12, 11, 13]


def test_read_panel_keeps_accented_ids_of_a_latin1_file_and_a_gz_one(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_bytes(PANEL.encode("latin1"))
    panel = read_panel(path, encoding="latin1")
    assert sorted(map(str, panel.ids)) == ["Genève", "Zürich"]
    gz = tmp_path / "sales.csv.gz"
    gz.write_bytes(gzip.compress(PANEL.encode("latin1")))
    assert sorted(map(str, read_panel(gz, encoding="latin1").ids)) == ["Genève", "Zürich"]
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text(PANEL, encoding="utf-8")
    assert sorted(map(str, read_panel(utf8, encoding="utf-8").ids)) == ["Genève", "Zürich"]


def test_load_corpus_reads_a_cp1252_text(tmp_path):
    path = tmp_path / "texte.txt"
    path.write_bytes("L'été à Paris, déjà.\n".encode("cp1252"))
    assert load_corpus(path, encoding="cp1252") == "L'été à Paris, déjà.\n"


def test_a_utf8_file_given_another_encoding_is_refused_naming_encoding(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(PANEL, encoding="utf-8")
    with pytest.raises(DataError, match=r"is UTF-8 already .* which encoding='latin1' would "
                                        r"read as other characters; drop encoding="):
        read_panel(path, encoding="latin1")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n1,\x81\n")
    with pytest.raises(DataError, match=r"not valid cp1252 \(byte 6: b'\\x81'\), the "
                                        r"encoding= given"):
        load_series(bad, encoding="cp1252")


def test_an_unknown_encoding_is_refused_before_any_reading():
    for read in (load_series, read_panel, load_corpus):
        with pytest.raises(ConfigError, match=r"\(encoding='klingon'\): not an encoding"):
            read("no-such-file.csv", encoding="klingon")


def test_an_error_in_the_converted_copy_names_the_users_file(tmp_path):
    path = tmp_path / "ventas.csv"
    path.write_bytes("mes,ventas\n2020-01,10\n2020-02,12,é,3\n".encode("cp1252"))
    with pytest.raises(DataError) as e:
        load_series(path, encoding="cp1252")
    assert str(path) in str(e.value) and "rnnlab-encoding-" not in str(e.value)


@pytest.mark.parametrize("name", ["rot13", "base64", "hex", "zlib"])
def test_a_codec_that_is_no_text_encoding_is_refused_as_one(tmp_path, name):
    # was: LookupError "'rot13' is not a text encoding; use codecs.decode() ..." from the
    # decode, after the file was read (Python knows the name: codecs.lookup passed it)
    path = tmp_path / "ventas.csv"
    path.write_bytes(SERIES.encode("cp1252"))
    for read in (load_series, read_panel, load_corpus):
        with pytest.raises(ConfigError, match=rf"\(encoding='{name}'\): not a text encoding"):
            read(path, encoding=name)


def test_a_file_not_in_utf8_is_refused_naming_encoding_too(tmp_path):
    # was: only "convert it (iconv ...)": the Python readers' own encoding= unsaid
    path = tmp_path / "ventas.csv"
    path.write_bytes(SERIES.encode("cp1252"))
    with pytest.raises(DataError, match=r"not valid UTF-8 .*; or pass encoding='latin1' "
                                        r"to load_series\(\), which converts it as it reads"):
        load_series(path, column="ventas")
    panel = tmp_path / "sales.csv"
    panel.write_bytes(PANEL.encode("utf-16"))
    with pytest.raises(DataError, match=r"is UTF-16 text .*; or pass encoding='UTF-16' "
                                        r"to read_panel\(\), which converts"):
        read_panel(panel)
    text = tmp_path / "texte.txt"
    text.write_bytes("L'été à Paris\n".encode("cp1252"))
    with pytest.raises(DataError, match=r"not valid UTF-8 .*; or pass encoding='latin1' "
                                        r"to load_corpus\(\), which converts"):
        load_corpus(text)


def test_a_utf16_file_given_another_encoding_says_utf16(tmp_path):
    # was: "contains NUL bytes (at byte 5); this looks like a binary file, not a CSV text file"
    path = tmp_path / "sales.csv"
    path.write_bytes(PANEL.encode("utf-16"))
    with pytest.raises(DataError, match=r"is UTF-16 text \(its byte-order mark\), which "
                                        r"encoding='latin1' would read as other characters; "
                                        r"pass encoding='utf-16'"):
        read_panel(path, encoding="latin1")
    assert sorted(map(str, read_panel(path, encoding="utf-16").ids)) == ["Genève", "Zürich"]


def test_a_fit_on_a_file_not_in_utf8_names_the_call_that_takes_encoding(tmp_path):
    # was: "or pass encoding='latin1' (load_series converts it as it reads)" from
    # Forecaster.fit(path), which took no encoding=; then "to load_series()" once fit did
    from rnnlab.forecast import Forecaster
    from rnnlab.panel import GlobalForecaster

    path = tmp_path / "ventas.csv"
    path.write_bytes(SERIES.encode("cp1252"))
    for call, said in ((lambda: Forecaster(epochs=1).fit(str(path)), "Forecaster.fit"),
                       (lambda: Forecaster(epochs=1).fit("airline", val_data=path),
                        "Forecaster.fit"),
                       (lambda: Forecaster(epochs=1).backtest(path), "Forecaster.backtest")):
        with pytest.raises(DataError, match=rf"or pass encoding='latin1' to {said}\(\), "
                                            rf"which converts"):
            call()
    panel = tmp_path / "sales.csv"
    panel.write_bytes(PANEL.encode("utf-16"))
    for call, said in ((lambda: GlobalForecaster(epochs=1).fit(panel), "GlobalForecaster.fit"),
                       (lambda: GlobalForecaster(epochs=1).backtest(panel),
                        "GlobalForecaster.backtest")):
        with pytest.raises(DataError, match=rf"or pass encoding='UTF-16' to {said}\(\)"):
            call()
