"""The review of session 20's merge: errors that say what was expected, what was found
and what to do; one check per rule; what the README says of the configs."""

from __future__ import annotations

import pytest

from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus
from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.errors import DataError
from rnnlab.io.json_file import read_json


def test_a_prepared_corpus_whose_dtype_does_not_fit_its_vocabulary_says_what_to_do(tmp_path):
    src = tmp_path / "t.txt"
    src.write_text("hello world\n" * 20, encoding="utf-8")
    out = tmp_path / "prepared"
    prepare_corpus(src, out)
    meta = read_json(out / "corpus.json", DataError)
    meta["dtype"] = "uint16"  # (a vocabulary of 9 tokens: uint8 ids); checksummed again
    atomic_write_json(out / "corpus.json", meta, checksum=True)
    with pytest.raises(DataError, match=r"dtype uint16 does not fit a vocabulary of \d+ "
                       r"\(expected uint8\); .* prepare the corpus again"):
        load_prepared(out)


@pytest.mark.parametrize("name", ["ForecastConfig", "PanelConfig", "LMTrainConfig",
                                  "TrainConfig"])
def test_every_training_config_refuses_a_bad_progress_when_made(name):
    """``progress='bar'`` is refused by the config given it, when it is made. Old: the
    Forecaster's, the panel's and the LM's configs took it, and the fit refused it after
    reading the data, naming TrainConfig, which the user never made."""
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.lm.config import LMTrainConfig
    from rnnlab.panel.config import PanelConfig
    from rnnlab.train.config import TrainConfig

    cls = {c.__name__: c for c in (ForecastConfig, PanelConfig, LMTrainConfig,
                                   TrainConfig)}[name]
    with pytest.raises(ValueError, match=f"^{name}: progress must be True, False or 'log' "
                                         f".*got 'bar'"):
        cls(progress="bar")
    for ok in (True, False, "log"):
        assert cls(progress=ok).progress == ok


def test_a_utf8_csv_with_a_stray_byte_is_told_to_drop_it_as_a_text_is(tmp_path, monkeypatch):
    """A UTF-8 CSV of accented names with one cp1252 byte pasted in is told to drop the
    stray byte, with its byte and line, as a text file is (data.text_encoding). Old: the CSV
    reader kept its own message, "convert it from latin1", which garbles every correct
    letter; and a character begun in the chunk before was placed past its first byte."""
    from rnnlab.data import csv_file

    rows = "".join(f"2020-01-{d:02d},Größe Maß {d}\n" for d in range(1, 29))
    raw = ("date,name\n" + rows).encode()
    path = tmp_path / "de.csv"
    at = raw.index("Maß 5".encode()) + 2  # (the ß: two bytes, the first one kept)
    path.write_bytes(raw[:at] + b"\x80" + raw[at + 2:])  # (its bytes replaced by a euro)
    line = raw[:at].count(b"\n") + 1
    with pytest.raises(DataError) as e:
        csv_file.check_csv_file(path)
    msg = str(e.value)
    assert f"(byte {at}, line {line}: b'\\x80')" in msg
    assert "iconv -f utf-8 -t utf-8 -c" in msg and "latin1" not in msg and "cp1252" not in msg
    monkeypatch.setattr(csv_file, "_CHUNK", at)  # the character begun in the chunk before
    raw2 = raw[:at - 1] + "ß".encode()[:1] + b"x" + raw[at + 1:]
    path.write_bytes(raw2)
    with pytest.raises(DataError, match=rf"\(byte {at - 1}, line {line}: b'\\xc3'\)"):
        csv_file.check_csv_file(path)


def test_the_readme_says_which_python_default_shows_no_progress():
    """README: ``progress=True`` is the Python default, but GlobalForecaster's is False
    (it said True for every one)."""
    from pathlib import Path

    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.lm.config import LMTrainConfig
    from rnnlab.panel.config import PanelConfig

    text = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    assert ("`progress=True` (the default; `GlobalForecaster`'s is `False`) draws the bar"
            in text)
    assert ForecastConfig().progress is True and LMTrainConfig().progress is True
    assert PanelConfig().progress is False


@pytest.mark.parametrize("kw, said", [
    (dict(difference="x"), r"difference must be one of \('auto', 'none', 'seasonal'\), got 'x'"),
    (dict(max_seconds=-1), r"max_seconds must be > 0 or None \(no budget\), got -1")])
def test_panel_config_refusals_name_the_value_found(kw, said):
    from rnnlab.panel.config import PanelConfig

    with pytest.raises(DataError, match=f"^PanelConfig: {said}$"):
        PanelConfig(**kw)


def test_panel_config_refuses_an_unknown_model_in_the_registrys_words():
    """One message for an unknown architecture: PanelConfig says what get_architecture
    says (it kept its own copy, without `rnnlab models`)."""
    from rnnlab.nn.architectures import get_architecture
    from rnnlab.panel.config import PanelConfig

    with pytest.raises(ValueError) as said:
        get_architecture("lstmm")
    with pytest.raises(DataError) as e:
        PanelConfig(model="lstmm")
    assert str(e.value) == f"PanelConfig: {said.value}"
    assert "`rnnlab models` describes them" in str(e.value)
