"""The public annotations say what the code takes and gives (rnnlab ships py.typed).

Each value returned on a tiny fit is an instance of the type its method is annotated to
return (for an overloaded method: of the overload that call matches), and arguments the
README passes are within the annotated types."""

import ast
import inspect
import types
import typing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from torch import Tensor, nn

SRC = Path(__file__).resolve().parents[1] / "src" / "rnnlab"
# typing.get_overloads is Python 3.11+ (3.10 records no overload at run time); what a checker
# sees of these annotations does not depend on the Python that runs the tests
needs_get_overloads = pytest.mark.skipif(not hasattr(typing, "get_overloads"),
                                         reason="typing.get_overloads: Python 3.11+")


def _conforms(value, hint) -> bool:
    """isinstance for the annotations rnnlab uses: classes, Optional/Union, Tuple, List,
    Sequence, Any, a TypeVar (its bound)."""
    if hint is typing.Any:
        return True
    if isinstance(hint, typing.TypeVar):  # (fit, load: the class called on, bound to theirs)
        bound = hint.__bound__
        if isinstance(bound, typing.ForwardRef):
            bound = vars(__import__(hint.__module__, fromlist=["_"]))[bound.__forward_arg__]
        return bound is None or _conforms(value, bound)
    if hint is None or hint is type(None):
        return value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        return any(_conforms(value, a) for a in args)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_conforms(v, args[0]) for v in value)
        return len(args) == len(value) and all(_conforms(v, a) for v, a in zip(value, args))
    if origin in (list, typing.Sequence, __import__("collections.abc").abc.Sequence):
        return isinstance(value, (list, tuple)) and all(_conforms(v, args[0]) for v in value)
    if origin is not None:
        return isinstance(value, origin)
    return isinstance(value, hint)


def _returns(function, localns=None):
    return typing.get_type_hints(function, localns=localns)["return"]


def _overload_returns(function, localns=None):
    return [_returns(o, localns) for o in typing.get_overloads(function)]


def _mpl():
    """What the plot methods import for checkers only (under TYPE_CHECKING)."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    return {"Axes": Axes, "Figure": Figure, "Path": Path}


def _series(n: int = 60) -> pd.Series:
    t = np.arange(n)
    return pd.Series(10 + np.sin(t / 3) + 0.01 * t,
                     index=pd.date_range("2000-01", periods=n, freq="MS"), name="y")


@needs_get_overloads
def test_forecaster_returns_are_their_annotated_types(tmp_path):
    import matplotlib.pyplot as plt

    from rnnlab.forecast import Forecaster
    from rnnlab.forecast.forecasting import Forecasting
    from rnnlab.panel.backtest_result import BacktestResult

    f = Forecaster("gru", hidden_size=4, epochs=1, ensemble=1, progress=False, lookback=6,
                   horizon=3).fit(_series())
    assert _conforms(f, _returns(Forecaster.fit))
    # the evaluation's details and forecasts were undeclared: to a checker (pandas-stubs'
    # DataFrame.__getattr__) ev.forecasts and ev.details were columns, Series
    ev = f.evaluate()
    module = vars(__import__(type(ev).__module__, fromlist=["_"]))
    declared = {k: eval(v, module) for k, v in vars(type(ev))["__annotations__"].items()}
    assert isinstance(ev.details, dict) and _conforms(ev.details, declared["details"])
    assert isinstance(ev.forecasts, pd.DataFrame)
    assert _conforms(ev.forecasts, declared["forecasts"])
    # predict: a Series without quantiles, a DataFrame with them (was: unannotated, Any)
    as_series, as_frame = _overload_returns(Forecasting.predict)
    assert (as_series, as_frame) == (pd.Series, pd.DataFrame)
    assert isinstance(f.predict(3), as_series)
    assert isinstance(f.predict(3, quantiles=(0.1, 0.9)), as_frame)
    bt = f.backtest(_series(), first_origin=6, stride=3, baselines=("naive",))
    assert _returns(Forecaster.backtest, {"BacktestResult": BacktestResult}) is BacktestResult
    assert isinstance(bt, BacktestResult)
    # plot: the file with path=, the axes with ax=, else the Figure (was: unannotated)
    to_path, to_axes, to_figure = _overload_returns(Forecaster.plot, _mpl())
    assert isinstance(f.plot(tmp_path / "p.png"), to_path)
    fig, ax = plt.subplots()
    try:
        assert isinstance(f.plot(ax=ax), to_axes)
    finally:
        plt.close(fig)
    assert isinstance(f.plot(kind="loss"), to_figure)
    assert isinstance(f.save(tmp_path / "m"), _returns(Forecaster.save))
    assert isinstance(Forecaster.load(tmp_path / "m"), Forecaster)


@needs_get_overloads
def test_global_forecaster_returns_are_their_annotated_types(tmp_path):
    import matplotlib.pyplot as plt

    from rnnlab.panel import GlobalForecaster, read_panel
    from rnnlab.panel.backtest_result import BacktestResult

    panel = read_panel({"a": _series(), "b": _series() * 2})
    f = GlobalForecaster("gru", lookback=6, horizon=3, hidden_size=8, head_size=8,
                         batch_size=32, batches_per_epoch=2, epochs=1, transform="none",
                         difference="none").fit(panel)
    assert isinstance(f.predict(3), _returns(GlobalForecaster.predict))
    to_path, to_axes, to_figure = _overload_returns(GlobalForecaster.plot, _mpl())
    assert isinstance(f.plot(path=tmp_path / "p.png"), to_path)
    assert isinstance(f.plot(), to_figure)
    fig, ax = plt.subplots()
    try:
        assert isinstance(f.plot(series="a", ax=ax), to_axes)
    finally:
        plt.close(fig)
    # save and backtest were unannotated (Any to mypy)
    assert _returns(GlobalForecaster.save, {"Path": Path}) is Path
    assert isinstance(f.save(tmp_path / "m"), Path)
    assert _returns(GlobalForecaster.backtest,
                    {"BacktestResult": BacktestResult}) is BacktestResult


def test_tensor_task_takes_the_tuples_the_readme_passes():
    # was: x, y annotated Tensor and val Tuple[Tensor, Tensor]: the README's
    # TensorTask((x, lengths), sign, val=((x, lengths), sign)) failed mypy and pyright
    from rnnlab.train import TensorTask

    hints = typing.get_type_hints(TensorTask.__init__)
    x, lengths, sign = torch.randn(8, 5, 1), torch.full((8,), 5), torch.zeros(8).long()
    assert _conforms((x, lengths), hints["x"]) and _conforms(sign, hints["y"])
    assert _conforms([x, lengths], hints["x"])  # (a list of tensors, as the code takes)
    assert _conforms(((x, lengths), sign), hints["val"])
    assert _conforms(None, hints["val"])


def test_cell_bias_and_recur_annotations():
    from rnnlab.nn import CellBase, GRUCell, LSTMCell

    # bias=False: bias_ih and bias_hh are None (was: typed Parameter, so a checker called
    # `cell.bias_hh is None` always false, as README's MGUCell tests it)
    hints = typing.get_type_hints(CellBase)
    cell = LSTMCell(3, 4, bias=False)
    assert cell.bias_hh is None and _conforms(cell.bias_hh, hints["bias_hh"])
    assert _conforms(LSTMCell(3, 4).bias_ih, hints["bias_ih"])
    # recur(xp, state) positional: an override names the state its own way (h, as
    # rnnlab's cells and README's do) without pyright's incompatible-override error
    params = inspect.signature(CellBase.recur).parameters
    assert params["state"].kind is inspect.Parameter.POSITIONAL_ONLY
    # device and dtype annotated as torch.nn's (were unannotated: Unknown to pyright)
    init = typing.get_type_hints(GRUCell.__init__)
    assert _conforms(torch.device("cpu"), init["device"]) and _conforms("cpu", init["device"])
    assert _conforms(torch.float64, init["dtype"]) and _conforms(None, init["dtype"])


def _checker_only_defs(cls_name: str):
    """The ``if TYPE_CHECKING:`` part of a class in torch_compat.py: {name: [defs]}."""
    tree = ast.parse((SRC / "nn" / "torch_compat.py").read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name)
    block = next(n for n in cls.body if isinstance(n, ast.If)
                 and getattr(n.test, "id", None) == "TYPE_CHECKING")
    defs: dict = {}
    for node in block.body:
        defs.setdefault(node.name, []).append(node)
    return defs


def _plain(hint):
    """``hint`` with typing.Tuple and tuple alike (torch writes tuple[...], we Tuple[...])."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):  # (Optional[X], X | None)
        return frozenset(_plain(a) for a in args)
    if typing.get_origin(hint) is tuple:
        return ("tuple",) + tuple(_plain(a) for a in args)
    return hint


@needs_get_overloads
@pytest.mark.parametrize("name,extra", [  # (rnnlab's own options, keyword-only, after torch's)
    ("RNN", ["impl", "input_dropout", "recurrent_dropout"]),
    ("GRU", ["reset_after", "impl", "input_dropout", "recurrent_dropout"]),
    ("LSTM", ["impl", "input_dropout", "recurrent_dropout"])])
def test_drop_ins_show_torchs_signatures_to_checkers(name, extra):
    # were __init__(*args, **kwargs) and an unannotated forward: every argument Any, and
    # `out, (h, c) = lstm.forward(x)` unchecked
    import rnnlab.nn as rnn

    from torch.nn.utils.rnn import PackedSequence

    defs = _checker_only_defs(name)
    torch_init = typing.get_overloads(getattr(nn, name).__init__)[0]
    torch_params = [p for p in inspect.signature(torch_init).parameters if p != "self"]
    (init,) = defs["__init__"]
    assert [a.arg for a in init.args.args[1:]] == torch_params  # torch's names and order
    assert [a.arg for a in init.args.kwonlyargs] == extra
    # forward: torch's overloads (Tensor or PackedSequence in, the same kind out)
    names = {"Tensor": Tensor, "Tuple": typing.Tuple, "Optional": typing.Optional,
             "PackedSequence": PackedSequence}
    ours = [{a.arg: _plain(eval(ast.unparse(a.annotation), names))  # noqa: S307 (our source)
             for a in d.args.args[1:]} | {"return": _plain(eval(ast.unparse(d.returns), names))}
            for d in defs["forward"][:-1]]
    torchs = [{k: _plain(v) for k, v in typing.get_type_hints(o).items()}
              for o in typing.get_overloads(getattr(nn, name).forward)]
    assert ours == torchs
    # and the module takes them so, by keyword
    kwargs = {p: inspect.signature(torch_init).parameters[p].default for p in torch_params[2:]}
    m = getattr(rnn, name)(input_size=3, hidden_size=4, **kwargs)
    out, _ = m(torch.randn(5, 2, 3))
    assert isinstance(out, Tensor) and out.shape == (5, 2, 4)


def test_cells_forward_as_torchs():
    from rnnlab.nn import GRUCell, LSTMCell, RNNCell

    x = torch.randn(2, 3)
    for cell, returned in ((LSTMCell(3, 4), typing.Tuple[Tensor, Tensor]),
                           (GRUCell(3, 4), Tensor), (RNNCell(3, 4), Tensor)):
        defs = {n.name: n for n in ast.walk(ast.parse(inspect.getsource(type(cell))))
                if isinstance(n, ast.FunctionDef)}
        annotated = eval(ast.unparse(defs["forward"].returns),  # noqa: S307 (our source)
                         {"Tuple": typing.Tuple, "Tensor": Tensor})
        assert annotated == returned and _conforms(cell(x), annotated)


def test_char_lm_nll_is_a_float_and_a_count():
    from rnnlab.lm import CharLM

    text = "the quick brown fox jumps over the lazy dog. " * 30
    lm = CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
        text, seq_len=16, batch_size=4, epochs=1, progress=False)
    assert _conforms(lm, _returns(CharLM.fit))
    # was annotated a bare tuple (tuple[Any, ...] to a checker)
    for value, function in ((lm.nll(text[:200]), CharLM.nll),
                            (lm.nll_ids(lm.vocab.encode(text[:100])), CharLM.nll_ids)):
        returned = _returns(function)
        assert returned == typing.Tuple[float, int] and _conforms(value, returned)
    assert isinstance(lm.generate("the ", 5), _returns(CharLM.generate))
    assert isinstance(lm.bits_per_char(text[:200]), _returns(CharLM.bits_per_char))


@needs_get_overloads
def test_reference_backward_returns_as_its_overloads_say():
    # was unannotated (Any): a dict of gradients, or (that dict, the state gradients)
    # with return_state_grads=True; a bool variable matches the third overload (mypy
    # found none)
    from rnnlab.reference import backward, forward, init_params
    from rnnlab.reference import kinds

    p = init_params("lstm", 3, 4, rng=np.random.default_rng(0))
    hs, cache = forward("lstm", p, np.random.default_rng(1).normal(size=(5, 2, 3)))
    assert _conforms((hs, cache), _returns(kinds.forward))
    plain, with_states, either = _overload_returns(kinds.backward)
    assert _conforms(backward("lstm", p, cache, np.ones_like(hs)), plain)
    both = backward("lstm", p, cache, np.ones_like(hs), return_state_grads=True)
    assert _conforms(both, with_states) and not _conforms(both, plain)
    assert _conforms(both, either)


def test_stopped_fits_history_is_an_optional_history():
    # TrainingDiverged.history was `= None` (typed None: after `if e.history is not None:`
    # a checker skipped the branch as unreachable, so e.history.epochz passed) and
    # TrainingInterrupted's was unannotated
    from rnnlab.train import History, TrainingDiverged, TrainingInterrupted

    for cls in (TrainingDiverged, TrainingInterrupted):
        hint = typing.get_type_hints(cls, localns={"History": History})["history"]
        assert hint == typing.Optional[History], (cls, hint)
    h = History()
    stopped = TrainingInterrupted("stopped", 130)
    assert _conforms(stopped.history, hint)
    stopped.history = h
    assert _conforms(stopped.history, hint) and _conforms(TrainingDiverged().history, hint)


def test_forecasters_config_is_the_config_class_given():
    # config_of was unannotated, so Forecaster().config and GlobalForecaster().config were
    # Any to a checker (f.config.horizn passed); it returns an instance of its config_cls
    from rnnlab.forecast import ForecastConfig, Forecaster
    from rnnlab.panel import GlobalForecaster, PanelConfig
    from rnnlab.setting_names import config_of

    hints = typing.get_type_hints(config_of)
    returned = hints["return"]
    assert isinstance(returned, typing.TypeVar)
    assert hints["config_cls"] == typing.Type[returned]
    assert hints["config"] == typing.Optional[returned]
    assert type(Forecaster(horizon=3).config) is ForecastConfig
    assert type(GlobalForecaster("gru").config) is PanelConfig


def test_panel_series_takes_the_ids_as_given():
    # series(1) of integer ids works (its docstring says so) and was annotated uid: str,
    # so a checker refused it
    from rnnlab.panel import PanelFrame, read_panel

    df = pd.DataFrame({"unique_id": [1, 1, 1, 2, 2, 2], "y": [1.0, 2.0, 3.0, 4.0, 5.0, 7.0],
                       "ds": list(pd.date_range("2020-01", periods=3, freq="MS")) * 2})
    panel = read_panel(df)
    hint = typing.get_type_hints(PanelFrame.series)["uid"]
    assert _conforms(1, hint) and _conforms("1", hint)
    assert len(panel.series(1)) == 3 and panel.series(1).equals(panel.series("1"))


def test_global_forecaster_takes_what_read_panel_reads(tmp_path):
    # fit("sales.csv") (README) and fit(df), predict(history=df): annotated PanelFrame,
    # so a checker refused what the code reads
    from rnnlab.panel import GlobalForecaster, read_panel
    from rnnlab.panel.frame import PanelData

    df = pd.DataFrame({"unique_id": ["a"] * 12 + ["b"] * 12, "y": np.arange(24.0) % 5,
                       "ds": list(pd.date_range("2020-01-01", periods=12, freq="D")) * 2})
    df.to_csv(tmp_path / "sales.csv", index=False)
    for function, name in ((GlobalForecaster.fit, "panel"), (GlobalForecaster.predict, "history"),
                           (GlobalForecaster.make_future_dataframe, "history"),
                           (GlobalForecaster.sample_paths, "history")):
        hint = typing.get_type_hints(function, localns={"PanelData": PanelData})[name]
        for given in (df, read_panel(df), str(tmp_path / "sales.csv"), tmp_path / "sales.csv"):
            assert _conforms(given, hint), (function.__name__, type(given))
    # (each is read so: tests/test_panel_integer_steps.py fits DataFrames)
    assert read_panel(tmp_path / "sales.csv").df.equals(read_panel(df).df)


def test_load_corpus_takes_a_path(tmp_path):
    # load_corpus(Path(...)) reads the file (the code handles a Path) and was annotated
    # str, so a checker refused it
    from rnnlab.data.text import load_corpus

    (tmp_path / "c.txt").write_text("hello\n", encoding="utf-8")
    hint = typing.get_type_hints(load_corpus)["name_or_path"]
    assert _conforms(tmp_path / "c.txt", hint) and _conforms("time-machine", hint)
    assert load_corpus(tmp_path / "c.txt") == load_corpus(str(tmp_path / "c.txt")) == "hello\n"


def test_forecast_baselines_take_what_their_docstrings_pass():
    # error_by_step's own example passes lists, naive and seasonal_naive read lists and
    # Series: annotated np.ndarray (refused by checkers); naive(series) of a dated Series
    # raised KeyError -1 (pandas reads s[-1] as a label)
    from rnnlab.forecast import LinearAR, error_by_step, naive, seasonal_naive

    s = pd.Series([1.0, 2.0, 3.0, 5.0], index=pd.date_range("2020", periods=4, freq="MS"))
    for function, name in ((naive, "history"), (seasonal_naive, "history"),
                           (error_by_step, "actual_windows"), (LinearAR.fit, "z"),
                           (LinearAR.forecast, "z")):
        hint = typing.get_type_hints(function)[name]
        assert hint is not np.ndarray and np.ndarray not in typing.get_args(hint), function
    assert naive(s, 2).tolist() == naive([1.0, 2.0, 3.0, 5.0], 2).tolist() == [5.0, 5.0]
    assert seasonal_naive(s, 3, 2).tolist() == [3.0, 5.0, 3.0]
    assert error_by_step([[1.0, 2.0]], [[1.5, 2.0]])["mae"] == [0.5, 0.0]


def test_describe_path_context_is_annotated():
    # README's describe_path(model) took context= unannotated ("partially unknown" to
    # pyright strict); a torch autocast is one such context
    import contextlib
    import functools

    from rnnlab.nn import LSTM
    from rnnlab.nn.paths import describe_path

    hints = typing.get_type_hints(describe_path)
    assert "context" in hints
    autocast = functools.partial(torch.autocast, "cpu", dtype=torch.bfloat16)
    assert isinstance(describe_path(LSTM(2, 3), context=autocast), str)
    assert describe_path(LSTM(2, 3), context=contextlib.nullcontext) == "fused"


@needs_get_overloads
def test_prepared_corpus_reads_as_annotated(tmp_path):
    # CharLM's docstring names PreparedCorpus: its meta was a bare dict and its tokens'
    # [] unannotated (Any: corpus.tokens[:100] unchecked)
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus
    from rnnlab.data.prepared_corpus import PreparedCorpus
    from rnnlab.data.token_file import TokenFile

    (tmp_path / "c.txt").write_text("hello world, " * 50, encoding="utf-8")
    corpus = prepare_corpus(tmp_path / "c.txt", tmp_path / "prep")
    assert isinstance(load_prepared(tmp_path / "prep"), PreparedCorpus)
    hints = typing.get_type_hints(PreparedCorpus, localns={"TokenFile": TokenFile})
    assert _conforms(corpus.meta, hints["meta"]) and typing.get_args(hints["meta"])
    from numpy.typing import ArrayLike, DTypeLike

    localns = {"TokenFile": TokenFile, "ArrayLike": ArrayLike, "DTypeLike": DTypeLike}
    by_slice, by_int, by_array = _overload_returns(TokenFile.__getitem__, localns)
    tokens = corpus.tokens
    assert _conforms(tokens[:10], by_slice) and len(tokens[:10]) == 10
    assert isinstance(tokens[3], typing.get_origin(by_int) or by_int)
    assert _conforms(tokens[[1, 2, 5]], by_array) and tokens[[1, 2, 5]].shape == (3,)
