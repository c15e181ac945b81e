"""A data scientist's notebook (session 19): what a call leaves behind in the kernel's
global state, what objects show when a cell ends with them, and how plots behave when
drawn in a loop or into the user's own axes."""

import random

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from rnnlab.io.errors import DataError  # noqa: E402
import torch  # noqa: E402

from notebook_fits import TEXT, TINY_F, TINY_P, _draws, _fits, _monthly, _panel  # noqa: E402


@pytest.mark.parametrize("name", ["Forecaster", "GlobalForecaster", "CharLM", "train.fit"])
def test_fit_gives_back_the_callers_random_state(name):
    """A fit seeds torch, numpy and random from its own seed; the notebook's generators
    went on from there after it (np.random.rand() after fit gave the fit's seed's numbers,
    whatever the user had seeded)."""
    torch.manual_seed(123), np.random.seed(123), random.seed(123)
    want = _draws()
    torch.manual_seed(123), np.random.seed(123), random.seed(123)
    _fits()[name]()
    assert _draws() == want


def test_the_same_seed_gives_the_same_forecast_when_a_cell_runs_again():
    from rnnlab import Forecaster

    a = Forecaster("gru", **TINY_F).fit(_monthly()).predict()
    torch.rand(5), np.random.rand(5)  # (the user's own draws between the runs)
    b = Forecaster("gru", **TINY_F).fit(_monthly()).predict()
    pd.testing.assert_series_equal(a, b)


def test_a_cell_ending_with_a_history_a_series_or_a_language_model_shows_one_line():
    """History printed every epoch's record (hundreds of lines after a real fit), Series
    every value, and CharLM (and TensorTask) was ``<rnnlab.lm.api.CharLM object at 0x...>``."""
    from rnnlab import CharLM
    from rnnlab.data.datasets import resolve_data
    from rnnlab.train import History, TensorTask

    h = History(epochs=[{"epoch": e, "train_loss": 1.0} for e in range(300)], best_epoch=250,
                best_val_loss=0.123456, steps=3000, seconds=12.5)
    assert repr(h) == ("History(300 epochs, best_epoch=250, best_val_loss=0.1235, stop_reason="
                       "'epochs done', 3000 steps, 12.5 s; .epochs: one record per epoch)")
    s = resolve_data(_monthly())
    assert repr(s) == "Series('sales': 60 values, 2000-01-01 .. 2004-12-01 (MS))"
    x = torch.zeros(200, 12, 2)
    task = TensorTask(x, x[:, 0], batch_size=32, val=(x[:56], x[:56, 0]))
    assert repr(task) == ("TensorTask(x (200, 12, 2), y (200, 2), batch_size=32, 7 batches "
                          "per epoch, val 56 rows)")
    lm = CharLM(hidden_size=8, num_layers=1, embedding=4)
    assert repr(lm) == "CharLM(hidden_size=8, num_layers=1, embedding=4; not fitted)"
    lm.fit(TEXT, seq_len=16, batch_size=4, epochs=1, progress=False)
    assert repr(lm).startswith("CharLM(hidden_size=8, num_layers=1, embedding=4; fitted: "
                               "29 chars in its vocabulary, 1 epoch, best validation ")
    assert repr(lm).endswith(" bits/char)") and "\n" not in repr(lm)


@pytest.fixture(scope="module")
def fitted():
    from rnnlab import Forecaster

    return Forecaster("gru", **TINY_F).fit(_monthly())


def test_plot_draws_into_the_users_axes_and_leaves_their_figure_open(fitted):
    """plot(ax=...) was a TypeError: no subplot grid of a forecast beside its losses."""
    import matplotlib.pyplot as plt

    plt.close("all")
    fig, axes = plt.subplots(1, 3)
    for kind, ax in zip(("forecast", "loss", "horizon"), axes):
        assert fitted.plot(kind=kind, ax=ax) is ax
        assert ax.lines  # drawn there
    assert plt.get_fignums() == [fig.number]  # (no figure of its own; the user's kept)
    with pytest.raises(TypeError, match="matplotlib Axes, got Figure"):
        fitted.plot(ax=fig)
    plt.close(fig)


def test_the_forecast_plot_names_its_axes(fitted):
    ax = fitted.plot().axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("date", "sales")


def test_undated_values_are_drawn_at_their_labels_as_predict_numbers_them():
    """A series labelled 1900, 1905, ... was drawn at 0, 1, ... while predict() gave its
    forecast at 2200, 2205, ...: the plot's x axis was not the data's."""
    from rnnlab import Forecaster

    t = np.arange(40)
    s = pd.Series(100 + t + 10 * np.sin(t / 2), index=pd.RangeIndex(1900, 2100, 5), name="pop")
    f = Forecaster("gru", **TINY_F).fit(s)
    lines = {line.get_label(): line.get_xdata() for line in f.plot().axes[0].lines}
    assert list(lines["test (actual)"]) == [2085, 2090, 2095]
    assert list(lines["forecast past the data"]) == list(f.predict().index) == [2100, 2105, 2110]


def test_a_panel_model_fits_under_a_float64_default_dtype():
    """torch.set_default_dtype(torch.float64), common in a scientific notebook, built the
    panel network in float64 while its inputs are float32: fit raised "the input is
    float32 but the parameters are float64; convert one" about a model the user never
    sees. The default dtype is the user's, and stays so."""
    from rnnlab import GlobalForecaster

    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        g = GlobalForecaster("gru", lookback=6, horizon=3, **TINY_P).fit(_panel())
        assert g.predict().shape[0] == 6
        assert torch.get_default_dtype() == torch.float64
        assert {p.dtype for p in g.members.parameters()} == {torch.float32}
    finally:
        torch.set_default_dtype(before)


def test_plot_keeps_the_notebooks_backend_and_its_open_figures(fitted):
    """plot() called matplotlib.use("Agg"): with pyplot loaded that switches the backend,
    which closes every open figure: in a notebook (inline backend) the user's figures,
    the one given as ax= among them, were gone and nothing plotted after showed."""
    import matplotlib.pyplot as plt

    was = plt.get_backend()
    plt.switch_backend("svg")  # (standing in for the notebook's inline backend)
    try:
        mine, ax = plt.subplots()
        fitted.plot()
        fitted.plot(kind="loss")
        assert plt.get_backend() == "svg" and plt.fignum_exists(mine.number)
    finally:
        plt.switch_backend(was)


def test_unknown_characters_are_warned_about_at_the_callers_line():
    """perplexity() and bits_per_char() warned one frame too far up (``sys:1`` in a
    script; inside the notebook's machinery in a notebook)."""
    from rnnlab import CharLM

    lm = CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
        TEXT, seq_len=16, batch_size=4, epochs=1, progress=False)
    for score in (lm.perplexity, lm.bits_per_char, lm.nll):
        with pytest.warns(UserWarning, match="not in the model's vocabulary") as w:
            score("the QUICK fox")
        assert w[0].filename == __file__, score.__name__


def test_every_model_used_before_fit_raises_the_same_error_type():
    """Forecaster raised RuntimeError, CharLM ValueError and GlobalForecaster
    NotFittedError: a notebook's ``except NotFittedError`` caught one of the three. The
    old types still catch them."""
    from rnnlab import CharLM, Forecaster, GlobalForecaster
    from rnnlab.io.errors import NotFittedError

    calls = [Forecaster().predict, Forecaster().plot, Forecaster().evaluate,
             Forecaster().backtest, lambda: Forecaster().save("x"), lambda: CharLM().save("x"),
             GlobalForecaster().predict, lambda: CharLM().perplexity("the"),
             lambda: CharLM().generate("the")]
    for call in calls:
        with pytest.raises(NotFittedError, match="fit"):
            call()
    with pytest.raises(RuntimeError):
        Forecaster().predict()
    with pytest.raises(ValueError):
        CharLM().generate("the")


def test_a_config_shows_the_settings_given_and_evaluates_back_to_itself():
    """ForecastConfig's repr listed all its ~40 fields (700 characters) in a cell's output,
    however few were set."""
    from rnnlab.forecast import ForecastConfig
    from rnnlab.lm import LMConfig, LMTrainConfig
    from rnnlab.panel import PanelConfig
    from rnnlab.train import TrainConfig

    configs = [ForecastConfig(model="gru", hidden_size=3, feature_range=(0.0, 1.0)),
               PanelConfig(quantiles=(0.05, 0.5, 0.95)), LMConfig(hidden_size=8),
               LMTrainConfig(epochs=3), TrainConfig(lr=0.1), ForecastConfig()]
    shown = [repr(c) for c in configs]
    assert shown == ["ForecastConfig(model='gru', hidden_size=3, feature_range=(0.0, 1.0))",
                     "PanelConfig(quantiles=(0.05, 0.5, 0.95))", "LMConfig(hidden_size=8)",
                     "LMTrainConfig(epochs=3)", "TrainConfig(lr=0.1)", "ForecastConfig()"]
    namespace = {type(c).__name__: type(c) for c in configs}
    assert [eval(text, namespace) for text in shown] == configs


def test_a_panel_forecast_plots_each_series_band_around_its_forecast_dates():
    """GlobalForecaster had no plot(): AttributeError, where Forecaster.plot() draws."""
    import matplotlib.pyplot as plt

    from rnnlab import GlobalForecaster

    plt.close("all")
    g = GlobalForecaster("gru", lookback=6, horizon=3, **TINY_P).fit(_panel(series=3))
    fig = g.plot()
    assert len([a for a in fig.axes if a.get_visible()]) == 3 and plt.get_fignums() == []
    ax = fig.axes[0]
    want = g.predict().query("unique_id == 's0'")
    band = ax.collections[0].get_paths()[0].vertices
    dates = matplotlib.dates.date2num(want["ds"])
    assert band[:, 0].min() == dates.min() and band[:, 0].max() == dates.max()
    np.testing.assert_allclose([band[:, 1].min(), band[:, 1].max()],
                               [want["q0.1"].min(), want["q0.9"].max()], rtol=1e-6)
    line = {ln.get_label(): ln for ln in ax.lines}["forecast (median)"]  # (quantiles)
    np.testing.assert_allclose(line.get_ydata(), want["mean"])
    mine, own = plt.subplots()
    assert g.plot(series="s1", ax=own) is own and plt.fignum_exists(mine.number)
    with pytest.raises(DataError, match="draws one series, and 3 are chosen"):
        g.plot(ax=own)
    with pytest.raises(DataError, match=r"series \['zz'\] are not in the forecast"):
        g.plot(series="zz")
    plt.close(mine)


@pytest.mark.parametrize("ipython, want", [(True, "svg"), (False, "Figure unmanaged")])
def test_plots_take_jupyters_backend_before_pyplot_is_loaded(ipython, want):
    """Jupyter's kernel names its inline backend in MPLBACKEND; a plot made before the
    notebook imports pyplot switched it to Agg for the whole session. A script (no
    IPython) gets a figure pyplot does not manage (no window, no display needed), and
    its MPLBACKEND stays its own (tests/test_process_state21.py)."""
    import os
    import subprocess
    import sys

    code = ("import sys, types\n"
            + ("sys.modules['IPython'] = types.ModuleType('IPython')\n" if ipython else "")
            + "from rnnlab.pyplot_agg import pyplot\nplt = pyplot()\n"
            + "print(plt.get_backend().lower() if hasattr(plt, 'get_backend') else "
              "type(plt.subplots()[0]).__name__ + ' ' + "
              "('managed' if 'matplotlib.pyplot' in sys.modules else 'unmanaged'))")
    env = {**os.environ, "MPLBACKEND": "svg",
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == want, out.stderr


def test_verbose_is_named_as_the_progress_setting_every_model_has():
    """verbose= (Keras, Darts) and enable_progress_bar= (NeuralForecast) were refused
    with the field list alone: the quiet switch of a notebook loop is ``progress``."""
    from rnnlab import CharLM, Forecaster, GlobalForecaster

    for make in (lambda: Forecaster(verbose=False), lambda: GlobalForecaster(verbose=0),
                 lambda: CharLM().fit(TEXT, enable_progress_bar=False)):
        with pytest.raises(TypeError, match=r"'(verbose|enable_progress_bar)' \(here: "
                                            r"progress=\)"):
            make()
