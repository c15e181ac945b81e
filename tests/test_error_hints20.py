"""Errors say what was expected, what was found and what to do (review of session 20)."""

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
