"""Session 30's new features fed what a careless or hostile user gives them: ``rnnlab
score`` of several cutoffs (cutoff columns of numbers, time zones, odd column names),
``lm eval`` without ``--text`` on damaged run records, ``from_keras_weights`` given
arrays that are no Keras weights, a backtest resumed beside a damaged ``versions.json``,
and ``rnnlab.io``'s writers where a file stands in the way. Each ends in rnnlab's typed
error saying what was expected, what was found and what to do, or a correct result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError

DAYS = pd.date_range("2020-01-01", periods=40, freq="D")
CUTS = ["2020-01-20", "2020-01-25", "2020-01-30"]


@pytest.fixture(scope="module")
def actuals(tmp_path_factory):
    """Two daily series of 40 values, as a file (the route ``rnnlab score`` takes)."""
    rng = np.random.default_rng(0)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": DAYS, "y": 5 + 10 * rng.random(40)})
                    for u in ("a", "b")])
    path = tmp_path_factory.mktemp("hostile30") / "data.csv"
    df.to_csv(path, index=False)
    return path


def _cv(tz: str = "") -> pd.DataFrame:
    """NeuralForecast's cross_validation frame: 3 cutoffs, 3 days ahead, model LSTM."""
    rng = np.random.default_rng(1)
    rows = []
    for cut in CUTS:
        for u in ("a", "b"):
            ds = pd.date_range(pd.Timestamp(cut) + pd.Timedelta(days=1), periods=3)
            rows.append(pd.DataFrame({"unique_id": u, "ds": ds.strftime("%Y-%m-%d") + tz,
                                      "cutoff": cut + tz, "LSTM": 5 + 10 * rng.random(3)}))
    return pd.concat(rows, ignore_index=True)


# --------------------------------------------------------------- rnnlab score, cutoffs
@pytest.mark.parametrize("cutoffs", [[1, 2, 3], [0, 5, 10]])
def test_cutoffs_of_whole_numbers_beside_dated_actuals_are_refused(actuals, cutoffs):
    """Read as steps, 1, 2, 3 were days of 1970: before every forecast date (no refusal),
    each forecast scaled by no history (refused by rev_score30 too: kept here beside the
    other cutoff columns of the wrong kind)."""
    cv = _cv()
    cv["cutoff"] = cv["cutoff"].map(dict(zip(CUTS, cutoffs)))
    with pytest.raises(DataError, match=r"cutoff column holds whole numbers \(time steps\) "
                                        r".*where the actuals' dates are dates"):
        score_forecast(cv, actuals)


@pytest.mark.parametrize("cuts", [3, 1])
@pytest.mark.parametrize("cut_tz, ds_tz", [("T00:00:00+00:00", ""), ("", "T00:00:00+00:00")])
def test_cutoffs_and_dates_one_with_a_zone_one_without_are_refused(tmp_path, actuals,
                                                                   cut_tz, ds_tz, cuts):
    """pandas' TypeError "Invalid comparison between dtype=datetime64[us, UTC] and
    DatetimeArray" came out of rnnlab score as a traceback (one cutoff's too)."""
    cv = _cv()
    cv = cv[cv["cutoff"].isin(CUTS[:cuts])]
    cv["cutoff"] = cv["cutoff"] + cut_tz
    cv["ds"] = cv["ds"] + ds_tz
    truth = pd.read_csv(actuals)
    truth["ds"] = truth["ds"] + ds_tz
    truth.to_csv(tmp_path / "data.csv", index=False)
    with pytest.raises(DataError, match="cutoffs are (in UTC|without a time zone).*both "
                                        "with their UTC offset or both without"):
        score_forecast(cv, tmp_path / "data.csv", model="LSTM" if cuts == 1 else None)


def test_cutoffs_and_dates_both_in_utc_score_as_without_zones(tmp_path, actuals):
    cv = _cv("T00:00:00+00:00")
    truth = pd.read_csv(actuals)
    truth["ds"] = truth["ds"] + "T00:00:00+00:00"
    truth.to_csv(tmp_path / "data.csv", index=False)
    zoned = score_forecast(cv, tmp_path / "data.csv")
    plain = score_forecast(_cv(), actuals)
    cols = ["mae", "rmse", "mase", "rmsse"]
    np.testing.assert_allclose(zoned.summary[cols].to_numpy(float),
                               plain.summary[cols].to_numpy(float), rtol=1e-12)
    assert str(zoned.by_cutoff["cutoff"].dt.tz) == "UTC"


def test_a_frame_saved_with_its_row_numbers_scores_its_models_only(tmp_path, actuals):
    """cv.to_csv(path) without index=False, read back by pd.read_csv: the row numbers are
    "Unnamed: 0", a numeric column scored as a model of its own beside LSTM, without a
    word (rnnlab score's own reader of the file drops them)."""
    cv = _cv()
    cv.to_csv(tmp_path / "cv.csv")  # (index=True: pandas' default)
    cols = ["mae", "rmse", "mase"]
    for given in (pd.read_csv(tmp_path / "cv.csv"), tmp_path / "cv.csv"):
        with_index = score_forecast(given, actuals)
        assert list(with_index.summary["model"]) == ["LSTM"]
        np.testing.assert_allclose(with_index.summary[cols].to_numpy(float),
                                   score_forecast(cv, actuals).summary[cols].to_numpy(float))


@pytest.mark.parametrize("rename", [{}, {"unique_id": " unique_id"}])
def test_a_cross_validation_frame_without_unique_id_is_refused_naming_it(actuals, rename):
    """It was pandas' "All objects passed were None", naming nothing: refused as ours
    is where the actuals hold several series."""
    cv = _cv().rename(columns=rename)
    if not rename:
        cv = cv.drop(columns="unique_id")
    with pytest.raises(DataError, match=r"names no series \(no unique_id column, nor key "
                                        r"columns: (?! ?unique_id)[^)]*\) and the actuals hold "
                                        r"2: a, b; add a unique_id column"):
        score_forecast(cv, actuals)


@pytest.mark.parametrize("form", ["peer", "ours"])
def test_a_frame_without_unique_id_of_one_series_actuals_scores_as_that_series(
        tmp_path, actuals, form):
    """NeuralForecast's frame was refused, asking for the column, where ours (a mean
    column) took the actuals' one series: both score as the frame with its id."""
    truth = pd.read_csv(actuals)
    truth[truth["unique_id"] == "a"].to_csv(tmp_path / "a.csv", index=False)
    cv = _cv()
    cv = cv[cv["unique_id"] == "a"]
    if form == "ours":
        cv = cv.rename(columns={"LSTM": "mean"})
    got = score_forecast(cv.drop(columns="unique_id"), tmp_path / "a.csv")
    want = score_forecast(cv, tmp_path / "a.csv")
    cols = ["mae", "rmse", "mase", "rmsse"]
    assert list(got.summary["model"]) == list(want.summary["model"])
    np.testing.assert_allclose(got.summary[cols].to_numpy(float),
                               want.summary[cols].to_numpy(float), rtol=1e-12)
    assert got.per_series["unique_id"].tolist() == ["a"]



@pytest.mark.parametrize("form", ["peer", "ours"])
def test_one_cutoff_beside_rows_without_one_is_refused_as_blank_rows(actuals, form):
    """Scored as one cutoff's forecast (--model LSTM), the rows without a cutoff (two
    other cutoffs' forecasts) were scored and scaled as that cutoff's, the by-cutoff row
    naming 2020-01-20 over 18 forecasts, without a word."""
    cv = _cv()
    cv.loc[cv["cutoff"] != CUTS[0], "cutoff"] = np.nan
    if form == "ours":
        cv = cv.rename(columns={"LSTM": "mean"})
    with pytest.raises(DataError, match=r"the forecast has 12 rows without a cutoff .*fill "
                                        r"it in, or drop those rows"):
        score_forecast(cv, actuals, model="LSTM" if form == "peer" else None)


def test_a_cutoff_before_a_series_data_is_said_to_leave_its_mase_nan(actuals):
    """The headline MASE was NaN without a note (one was given only where every cutoff
    had no history)."""
    cv = _cv()
    cv["cutoff"] = cv["cutoff"].replace(CUTS[0], "2019-01-20")
    score = score_forecast(cv, actuals)
    assert np.isnan(score.summary["mase"].iloc[0])
    assert any(n.startswith("MASE and RMSSE are NaN for 2 series' cutoffs") and
               "a (cutoff 2019-01-20), b (cutoff 2019-01-20)" in n for n in score.notes)
    assert not any("2019" in n for n in score_forecast(_cv(), actuals).notes)

# --------------------------------------------------------------- from_keras_weights
I, H = 3, 4


def _keras(kind: str, dtype=np.float32) -> list:
    """A Keras layer's get_weights() of ``kind`` (LSTM: 4 gate blocks, GRU 3 with its
    (2, 3H) bias, SimpleRNN 1) on I features and H units."""
    g = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[kind]
    rng = np.random.default_rng(0)
    bias = (2, g * H) if kind == "GRU" else (g * H,)
    return [rng.standard_normal(s).astype(dtype) for s in ((I, g * H), (H, g * H), bias)]


def _lstm():
    from rnnlab.nn import LSTM

    return LSTM(I, H, batch_first=True)


def _spoilt(how: str) -> list:
    w = _keras("LSTM")
    if how == "nan":
        w[0][0, 0] = np.nan
    elif how == "inf":
        w[2][1] = -np.inf
    elif how == "beyond float32":
        w = [a.astype(np.float64) * 1e39 for a in w]
    return w


@pytest.mark.parametrize("how", ["nan", "inf", "beyond float32"])
def test_weights_that_are_not_finite_are_refused_naming_the_array(how):
    """Loaded without a word, the layer computed NaN from its first step."""
    from rnnlab.io.errors import ConfigError
    from rnnlab.nn import from_keras_weights

    module = _lstm()
    before = {k: v.clone() for k, v in module.state_dict().items()}
    with pytest.raises(ConfigError, match=r"layer 0's (kernel|bias) holds \d+ NaN or infinite "
                                          r"values .*Load the weights of a good checkpoint"):
        from_keras_weights(module, _spoilt(how))
    for k, v in module.state_dict().items():
        assert torch_equal(v, before[k])


def torch_equal(a, b) -> bool:
    import torch

    return bool(torch.equal(a, b))


@pytest.mark.parametrize("kind, build", [("GRU", "GRU"), ("SimpleRNN", "RNN")])
def test_another_kinds_weights_name_the_layer_to_build(kind, build):
    from rnnlab.io.errors import ConfigError
    from rnnlab.nn import from_keras_weights

    with pytest.raises(ConfigError, match=rf"got \(3, \d+\): \d+ columns are \d gate blocks? "
                                          rf"of 4, a Keras {kind}'s; load them into rnnlab's "
                                          rf"{build} "):
        from_keras_weights(_lstm(), _keras(kind))


def test_a_transposed_kernel_is_said_to_be_one():
    from rnnlab.io.errors import ConfigError
    from rnnlab.nn import from_keras_weights

    w = _keras("LSTM")
    w[1] = w[1].T.copy()
    with pytest.raises(ConfigError, match=r"recurrent_kernel should have shape \(4, 16\) .*"
                                          r"got \(16, 4\): its transpose"):
        from_keras_weights(_lstm(), w)


# --------------------------------------------------------------- Bidirectional merge_mode
def _bidirectional(mode):
    from rnnlab.nn import Bidirectional, LSTMCell, Recurrent

    return Bidirectional(Recurrent(LSTMCell(I, H), batch_first=True),
                         Recurrent(LSTMCell(I, H), reverse=True, batch_first=True),
                         merge_mode=mode)


@pytest.mark.parametrize("given, meant", [("SUM", "sum"), (" sum", "sum"), ("average", "ave"),
                                          ("mean", "ave"), ("avg", "ave"), ("add", "sum"),
                                          ("multiply", "mul"), ("concatenate", "concat")])
def test_a_merge_mode_of_another_spelling_names_the_one_meant(given, meant):
    from rnnlab.io.errors import ConfigError

    with pytest.raises(ConfigError, match=rf"one of 'concat', 'sum', 'mul', 'ave', got "
                                          rf"'{given}'; did you mean '{meant}'\?"):
        _bidirectional(given)


@pytest.mark.parametrize("given", ["max", "", 1])
def test_a_merge_mode_of_no_such_merge_lists_them_without_a_guess(given):
    from rnnlab.io.errors import ConfigError

    with pytest.raises(ConfigError, match="one of 'concat', 'sum', 'mul', 'ave', got") as e:
        _bidirectional(given)
    assert "did you mean" not in str(e.value)


def test_a_merged_bidirectional_copied_and_loaded_keeps_its_merge():
    """A copy of the module (as pickling makes it) and Keras' weights back and forth: the
    same merge and outputs (the merge is the module's, not its state_dict's)."""
    import copy

    import torch

    from rnnlab.nn import from_keras_weights, to_keras_weights

    b = _bidirectional("ave")
    x = torch.randn(2, 5, I)
    keras = _bidirectional("ave")
    keras.load_state_dict(from_keras_weights(keras, to_keras_weights(b)))
    for other in (copy.deepcopy(b), keras):
        assert other.merge_mode == "ave"
        torch.testing.assert_close(other(x)[0], b(x)[0])


# --------------------------------------------------------------- backtest versions.json
def _damage(path, how: str) -> None:
    import os

    path.unlink()
    if how == "garbage":
        path.write_text('{"rnnlab": "0.1', encoding="utf-8")
    elif how == "array":
        path.write_text("[1, 2]", encoding="utf-8")
    elif how == "huge":
        with open(path, "wb") as f:
            f.truncate(100 * 2**20)  # (sparse: 100 MB that take no room)
    elif how == "folder":
        path.mkdir()
        (path / "notes.txt").write_text("mine", encoding="utf-8")
    elif how == "pipe":
        os.mkfifo(path)
    elif how == "link to nothing":
        os.symlink(path.with_name("nowhere.json"), path)


@pytest.mark.parametrize("how, said", [
    ("garbage", "not valid JSON"), ("array", "found an array"), ("huge", "bytes, more than"),
    ("folder", "is a folder, not a JSON file"), ("pipe", "is a device, pipe or socket"),
    ("link to nothing", "nowhere.json")])
def test_a_resume_beside_a_damaged_versions_record_warns_and_goes_on(tmp_path, how, said):
    """The record only informs a warning: a damaged one (rev_bt30 made it a warning), one
    cut, over the size limit, a folder, a pipe (never opened: no hang) or a link to
    nothing: the resume warns, naming it, goes on, and leaves the record as it is."""
    import os
    import sys

    sys.path.insert(0, os.path.dirname(__file__))
    from test_backtest_resume29 import Killed, kill_after
    from test_panel_backtest_models28 import tiny_frame

    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.backtest_versions import BacktestResumeWarning

    opts = dict(horizon=2, first_origin=6, stride=2, baselines=("naive",))
    with pytest.raises(Killed):
        backtest(None, tiny_frame(), checkpoint_dir=tmp_path,
                 progress=kill_after("naive: origin 1/"), **opts)
    record = tmp_path / "versions.json"
    _damage(record, how)
    with pytest.warns(BacktestResumeWarning, match=rf"resuming the backtest in .*{said}.*"
                                                   rf"the run goes on") as caught:
        resumed = backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **opts)
    assert [w.filename for w in caught] == [__file__]  # (one warning, naming this line)
    pd.testing.assert_frame_equal(resumed.forecasts, backtest(None, tiny_frame(),
                                                              **opts).forecasts)
    assert os.path.lexists(record)
    if how == "folder":
        assert (record / "notes.txt").read_text(encoding="utf-8") == "mine"


# --------------------------------------------------------------- lm eval without --text
def _lm_record(folder, level="char"):
    """A run folder's record as `rnnlab lm train` writes it (no model: held_out_text
    reads only the record and the corpus)."""
    import json

    from rnnlab.io.rundir import data_hash

    folder.mkdir()
    corpus = folder.parent / "corpus.txt"
    corpus.write_text("the cat sat on the mat.\n" * 20, encoding="utf-8")
    record = {"config": {"corpus": str(corpus), "train": {"val_fraction": 0.1},
                         "model": {"level": level}},
              "data_sha256": data_hash(corpus.read_text(encoding="utf-8"))}
    (folder / "config.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def test_a_record_of_no_known_level_is_refused(tmp_path):
    """Read as char level, a damaged level cut the text where the run may not have."""
    from rnnlab.lm import held_out_text

    assert held_out_text(_lm_record(tmp_path / "ok")).text == "the cat sat on the mat.\n" * 2
    with pytest.raises(DataError, match=r"level 'xyz', neither 'char' nor 'word': the record "
                                        r"is damaged.*pass --text"):
        held_out_text(_lm_record(tmp_path / "bad", level="xyz"))


@pytest.mark.parametrize("how", ["folder", "link to nothing", "file given"])
def test_a_run_record_that_is_no_file_is_said_to_be_what_it_is(tmp_path, how):
    """A config.json folder was "config.json: not found"; a file given as the run was
    "FILE/config.json: not found"."""
    import os

    from rnnlab.lm import held_out_text

    run = _lm_record(tmp_path / "run")
    record = run / "config.json"
    if how == "file given":
        run = record
        said = r"config.json: is a file, not the folder of a run of `rnnlab lm train`"
    else:
        record.unlink()
        record.mkdir() if how == "folder" else os.symlink(tmp_path / "nowhere", record)
        said = rf"config.json: is {'a folder' if how == 'folder' else 'no file'}.*move it aside"
    with pytest.raises(DataError, match=said + r".*pass --text"):
        held_out_text(run)
    assert os.path.lexists(record)


@pytest.mark.parametrize("given", [None, 5, b"/tmp/run"])
def test_held_out_text_of_no_path_is_a_config_type_error(given):
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.lm import held_out_text

    with pytest.raises(ConfigTypeError, match=r"expected the folder of a run of `rnnlab lm "
                                              r"train` \(a str or a Path\), got"):
        held_out_text(given)


# --------------------------------------------------------------- rnnlab.io writes
@pytest.mark.parametrize("above", ["file", "link to a file", "link to nothing"])
@pytest.mark.parametrize("depth", ["results/scores.csv", "results/deeper/scores.csv"])
def test_a_file_where_a_folder_to_write_in_goes_is_a_typed_error(tmp_path, above, depth):
    """It was Python's "[Errno 17] File exists: 'results'" (or Errno 20), naming neither
    what stood there nor what to do; the file stays as it was."""
    import os

    from rnnlab.io import FileInTheWayError, RnnlabError, RunDirError
    from rnnlab.io.atomic import atomic_write_text

    results = tmp_path / "results"
    if above == "file":
        results.write_text("mine", encoding="utf-8")
    else:
        target = tmp_path / ("mine.txt" if above == "link to a file" else "nowhere")
        if above == "link to a file":
            target.write_text("mine", encoding="utf-8")
        os.symlink(target, results)
    what = "a link to nothing" if above == "link to nothing" else "a file"
    with pytest.raises(RnnlabError, match=rf"results: is {what}, where rnnlab makes a folder "
                                          rf"to write .*scores.csv in; move it away") as e:
        atomic_write_text(tmp_path / depth, "x")
    assert type(e.value) is FileInTheWayError
    assert isinstance(e.value, RunDirError) and isinstance(e.value, NotADirectoryError)
    if above != "link to nothing":
        assert results.read_text(encoding="utf-8") == "mine"
    assert os.path.lexists(results)


def test_a_run_directory_under_a_file_is_a_typed_error(tmp_path):
    """BacktestResult.save('results/bt') with a file named results: Python's
    "[Errno 20] Not a directory" after every other check."""
    from rnnlab.io import FileInTheWayError
    from rnnlab.io.rundir import prepare_run_dir

    (tmp_path / "results").write_text("mine", encoding="utf-8")
    with pytest.raises(FileInTheWayError, match=r"results: is a file, where the folder .*bt "
                                                r"goes in; move it away or choose another"):
        prepare_run_dir(tmp_path / "results" / "bt")
    assert (tmp_path / "results").read_text(encoding="utf-8") == "mine"


def test_a_link_that_leads_back_to_itself_is_replaced_as_one_to_nothing(tmp_path):
    """Its mode was read through it: "[Errno 40] Too many levels of symbolic links"."""
    import os

    from rnnlab.io.atomic import atomic_write_text

    for name in ("loop.json", "nowhere.json"):
        path = tmp_path / name
        os.symlink(path if name == "loop.json" else tmp_path / "gone", path)
        atomic_write_text(path, "new")
        assert not path.is_symlink() and path.read_text(encoding="utf-8") == "new"


def _itself() -> dict:
    d: dict = {}
    d["me"] = d
    return d


@pytest.mark.parametrize("value, said", [({(1, 2): 3}, "keys must be str"),
                                         (_itself(), "a dict or list that holds itself")])
def test_json_of_no_json_form_is_a_config_type_error_and_keeps_the_file(tmp_path, value, said):
    """Python's TypeError and a RecursionError, as an object of no JSON form (a
    ConfigTypeError) was already."""
    from rnnlab.io.atomic import atomic_write_json
    from rnnlab.io.errors import ConfigTypeError

    path = tmp_path / "record.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigTypeError, match=rf"cannot write this value as JSON: {said}"):
        atomic_write_json(path, value)
    assert path.read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]


def test_arrays_of_several_values_are_written_as_lists():
    """np.array([1.0, nan]) was NumPy's ValueError "can only convert an array of size 1";
    one value stays a number as before, a NaN null as every NaN."""
    import json

    import torch

    from rnnlab.io.atomic import json_text

    got = json.loads(json_text({"a": np.array([1.0, np.nan]), "t": torch.tensor([[1, 2]]),
                                "one": np.array([5])}))
    assert got == {"a": [1.0, None], "t": [[1, 2]], "one": 5}


@pytest.mark.parametrize("sha", [5, ["x"], "", "abc", "A" * 64])
def test_a_record_whose_text_hash_is_damaged_is_refused(tmp_path, sha):
    """A data_sha256 of no hash form skipped the check: a changed corpus was scored as
    the text the run held out, without a word."""
    import json

    from rnnlab.lm import held_out_text

    run = _lm_record(tmp_path / "run")
    record = json.loads((run / "config.json").read_text(encoding="utf-8"))
    record["data_sha256"] = sha
    (run / "config.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "corpus.txt").write_text("another text altogether.\n" * 20, encoding="utf-8")
    with pytest.raises(DataError, match=r"config.json: its text's SHA-256 is .*, not 64 hex "
                                        r"digits: the record is damaged.*pass --text"):
        held_out_text(run)


def test_a_record_without_a_text_hash_still_reads_its_text(tmp_path):
    """An older record, with no data_sha256: read as before (nothing to check against)."""
    import json

    from rnnlab.lm import held_out_text

    run = _lm_record(tmp_path / "run")
    record = json.loads((run / "config.json").read_text(encoding="utf-8"))
    del record["data_sha256"]
    (run / "config.json").write_text(json.dumps(record), encoding="utf-8")
    assert held_out_text(run).text == "the cat sat on the mat.\n" * 2


@pytest.mark.parametrize("with_y", [False, True])
def test_one_cutoff_of_one_model_column_is_scored_as_two_models_are(actuals, with_y):
    """cross_validation(n_windows=1) of one model, no intervals: refused asking for
    --model, where the same frame of two models was scored without it."""
    cv = _cv()
    cv = cv[cv["cutoff"] == CUTS[0]]
    if with_y:  # (NeuralForecast's frame carries the actuals: not a model)
        cv.insert(3, "y", 1.0)
    alone = score_forecast(cv, actuals)
    both = score_forecast(cv.assign(GRU=cv["LSTM"] + 1), actuals)
    named = score_forecast(cv, actuals, model="LSTM")
    cols = ["mae", "rmse", "mase", "rmsse"]
    assert list(alone.summary["model"]) == ["LSTM"]
    np.testing.assert_allclose(alone.summary[cols].to_numpy(float),
                               both.summary[cols].to_numpy(float)[:1], rtol=1e-12)
    np.testing.assert_allclose(alone.summary[cols].to_numpy(float),
                               named.summary[cols].to_numpy(float), rtol=1e-12)


def test_setting_merge_mode_after_building_names_how_to_build_another():
    """It was Python's AttributeError "property 'merge_mode' ... has no setter"."""
    import torch

    from rnnlab.io.errors import ConfigError
    from rnnlab.nn import Bidirectional

    b = _bidirectional("concat")
    b.merge_mode = "concat"  # (the merge it has: nothing to refuse)
    with pytest.raises(ConfigError, match=r"merge_mode is set when the module is built "
                                          r"\('concat', got 'sum'\).*Bidirectional\("
                                          r"b.forward_layer, b.backward_layer, "
                                          r"merge_mode='sum'\)"):
        b.merge_mode = "sum"
    assert b.merge_mode == "concat"
    summed = Bidirectional(b.forward_layer, b.backward_layer, merge_mode="sum")
    x = torch.randn(2, 5, I)
    half = b(x)[0]
    torch.testing.assert_close(summed(x)[0], half[..., :H] + half[..., H:])


def test_the_run_directory_module_stays_under_the_house_limit():
    """rundir.py was 300 lines with robust30's check: the run's record (config.json)
    lives in run_record.py; the names stay importable from rundir."""
    from pathlib import Path

    from rnnlab.io import rundir, run_record

    assert len(Path(rundir.__file__).read_text(encoding="utf-8").splitlines()) < 280
    assert rundir.write_run_info is run_record.write_run_info
    assert rundir.record_resume is run_record.record_resume
    assert rundir.data_hash is run_record.data_hash
