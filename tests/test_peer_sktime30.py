"""A statsforecast / sktime user's spellings, each refused naming rnnlab's way: sktime's
``fh=[1, 2, 3]`` and horizons given as lists of steps or as dates, statsforecast's
``X_df=`` and sktime's ``X=`` (future covariates), sktime's ``cv=`` splitter and ``sp=``,
``level=`` given to a baseline's creation, ``freq=`` to the one-series Forecaster."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import ConfigTypeError, DataError
from rnnlab.panel import ETS, GlobalForecaster, Naive, SeasonalNaive, read_panel
from rnnlab.panel.call_args import horizon_steps


@pytest.fixture(scope="module")
def panel():
    dates = pd.date_range("2015-01-01", periods=48, freq="MS")
    rng = np.random.default_rng(0)
    return read_panel(pd.concat([pd.DataFrame({
        "unique_id": uid, "ds": dates, "price": rng.random(48),
        "y": 50 + 5 * np.sin(np.arange(48) * 2 * np.pi / 12) + rng.random(48)})
        for uid in "ab"], ignore_index=True))


@pytest.mark.parametrize("fh, said", [
    ([1, 2, 3], "fh=[1, 2, 3] is predict(3)"), (range(1, 4), "is predict(3)"),
    (np.arange(1, 7), "is predict(6)"), (pd.Index([1, 2, 3]), "is predict(3)"),
    ([3, 6], "predict(6), then fc[fc['step'].isin([3, 6])]")])
def test_a_horizon_given_as_steps_names_the_number_it_is(fh, said):
    with pytest.raises(DataError) as e:
        horizon_steps(fh)
    assert said in str(e.value) and "'step' column" in str(e.value)


@pytest.mark.parametrize("fh", [pd.Timestamp("2020-03-01"), "2020-03-01",
                                pd.date_range("2020-01-01", periods=3, freq="MS"),
                                pd.period_range("2020-01", periods=3, freq="M"),
                                pd.Period("2020-03", freq="M")])
def test_a_horizon_given_as_dates_says_it_is_steps_and_how_to_stop_at_a_date(fh):
    with pytest.raises(DataError) as e:
        horizon_steps(fh)
    assert "not a date" in str(e.value) and "fc[fc['ds'] <= date]" in str(e.value)


def test_a_horizon_that_is_no_steps_or_date_is_refused_as_before():
    with pytest.raises(DataError) as e:
        horizon_steps("twelve")
    assert str(e.value) == "horizon must be a whole number of steps, got 'twelve'"


def test_a_baselines_predict_given_a_list_of_steps_names_the_horizon(panel):
    with pytest.raises(DataError, match=r"predict\(3\)"):
        SeasonalNaive().fit(panel).predict([1, 2, 3])


@pytest.mark.parametrize("owner", [
    lambda: GlobalForecaster("lstm", lookback=12, horizon=12), lambda: Forecaster(),
    lambda: SeasonalNaive()])
def test_sktimes_fh_keyword_is_named_as_the_horizon(owner):
    with pytest.raises(ConfigTypeError) as e:
        owner().predict(fh=[1, 2, 3])
    assert "'fh' (here: horizon (the first argument): fh=[1, 2, 3] is predict(3)" \
        in str(e.value)


def test_statsforecasts_x_df_and_sktimes_x_are_named_as_future():
    f = GlobalForecaster("lstm", lookback=12, horizon=12)
    for key in ("X_df", "X"):
        with pytest.raises(ConfigTypeError, match=rf"'{key}' \(here: future="):
            f.predict(12, **{key: None})
    with pytest.raises(ConfigTypeError, match=r"'X' \(here: the covariates are columns"):
        f.fit(None, X=None)
    with pytest.raises(ConfigTypeError, match="GlobalForecaster"):  # (the model that reads them)
        Forecaster().predict(12, X_df=None)


def test_sktimes_cv_and_fh_given_to_a_backtest_name_ours(panel):
    f = GlobalForecaster("lstm", lookback=12, horizon=12)
    with pytest.raises(ConfigTypeError) as e:
        f.backtest(panel, cv=object(), fh=[1, 2, 3])
    said = str(e.value)
    assert "'cv' (here: horizon=, first_origin=, stride=" in said
    assert "ExpandingWindowSplitter" in said and "refit=1" in said
    assert "'fh' (here: horizon=" in said
    with pytest.raises(ConfigTypeError, match="ExpandingWindowSplitter"):
        Forecaster().backtest("airline", cv=object())


@pytest.mark.parametrize("make", [ETS, SeasonalNaive, Naive])
def test_level_given_to_a_baselines_creation_names_the_quantiles(make):
    with pytest.raises(ConfigTypeError) as e:
        make(level=[80, 95])
    assert "quantiles=(0.025, 0.1, 0.5, 0.9, 0.975)" in str(e.value)


def test_sktimes_sp_is_the_period():
    for make in (ETS, SeasonalNaive):
        with pytest.raises(ConfigTypeError, match=r"'sp' \(here: period=\)"):
            make(sp=12)
    with pytest.raises(ConfigTypeError, match=r"'sp' \(here: period=\)"):
        GlobalForecaster("lstm", sp=12)


def test_freq_given_to_the_one_series_forecaster_says_the_dates_give_it():
    with pytest.raises(ConfigTypeError) as e:
        Forecaster(freq="MS")
    assert "'freq'" in str(e.value) and "dates" in str(e.value).split("The settings")[0]


def test_a_long_run_of_steps_is_said_short():
    with pytest.raises(DataError) as e:
        horizon_steps(np.arange(1, 101))
    assert "fh=[1, 2, ..., 100] is predict(100)" in str(e.value)


@pytest.mark.parametrize("make", [ETS, SeasonalNaive, Naive])
def test_statsforecasts_model_methods_on_a_baseline_name_ours(make):
    with pytest.raises(AttributeError, match=r"fit\(panel\)\.predict\(h\)"):
        make().forecast
    with pytest.raises(AttributeError, match=r"backtest\(ETS, panel, horizon=h"):
        make().cross_validation
    assert not hasattr(make(), "no_such_name")  # (others: the plain AttributeError)
    import copy

    copy.deepcopy(make())  # (copy's probes of dunder names: plain, as before)


def test_statsforecasts_forecast_on_the_one_series_forecaster_names_fit_predict():
    with pytest.raises(AttributeError, match=r"f\.fit\(series\)\.predict\(h, quantiles="):
        Forecaster().forecast


def test_the_backtest_a_baselines_cross_validation_names_runs(panel):
    from rnnlab.panel.backtest import backtest

    res = backtest(ETS, panel, horizon=12, first_origin=24, stride=12, refit=1)
    assert len(res.forecasts) == 2 * 2 * 12  # (2 series, 2 origins, 12 steps)


@pytest.mark.parametrize("command", ["forecast", "backtest"])
def test_sktimes_fh_on_the_command_line_names_the_horizon(command, capsys):
    from rnnlab.cli import main

    assert main([command, "--data", "us_employment", "--fh", "1", "2", "3"]) == 2
    assert "fh=[1, 2, 3] is --horizon 3" in capsys.readouterr().err


class _Horizon:
    """Stands for sktime's ForecastingHorizon: not iterable here, its steps (or dates,
    when absolute) from to_pandas(), as sktime gives them."""

    def __init__(self, values):
        self.values = values

    def to_pandas(self):
        return pd.Index(self.values)


def test_an_object_with_to_pandas_is_read_by_its_steps_or_dates():
    with pytest.raises(DataError) as e:
        horizon_steps(_Horizon([3, 6]))
    assert "is predict(6), then fc[fc['step'].isin([3, 6])]" in str(e.value)
    with pytest.raises(DataError, match="not a date"):
        horizon_steps(_Horizon(pd.date_range("2020-01-01", periods=2, freq="MS")))


@pytest.mark.parametrize("owner", [ETS, SeasonalNaive])
def test_x_df_and_x_given_to_a_baseline_say_it_reads_no_covariates(owner, panel):
    for key in ("X_df", "X"):
        with pytest.raises(ConfigTypeError) as e:
            owner().fit(panel).predict(3, **{key: None})
        said = str(e.value)
        assert f"'{key}' (here: future=" in said and "reads no covariates" in said
        assert f"{owner.__name__}(future_covariates" not in said  # (the network's setting)
    with pytest.raises(ConfigTypeError, match=r"'X' \(here: nothing: a baseline reads no"):
        owner().fit(panel, X=None)


def test_a_subclass_property_that_fails_inside_says_its_own_error():
    class Mine(ETS):
        @property
        def fitted_alpha(self):
            return self._no_such_state

        def forecast(self, h):  # (a subclass's own method of a peer's name is its own)
            return h

    with pytest.raises(AttributeError, match="_no_such_state"):
        Mine().fitted_alpha
    assert Mine().forecast(3) == 3 and not hasattr(ETS(), "forecast")


def test_the_baselines_getattr_is_hidden_from_type_checkers():
    """A class-level __getattr__ makes every attribute Any to mypy (ETS().forcast passed);
    Forecaster's, like this one, sits under ``if not TYPE_CHECKING``."""
    import ast
    import inspect

    from rnnlab.panel import peer_methods

    tree = ast.parse(inspect.getsource(peer_methods))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef)
               and n.name == "PeerNamedBaseline")
    hooks = ("__getattr__", "__getattribute__")  # (either makes every attribute Any)
    assert not any(isinstance(n, ast.FunctionDef) and n.name in hooks for n in cls.body)
    hidden = [n for n in cls.body if isinstance(n, ast.If)
              and ast.unparse(n.test) == "not TYPE_CHECKING"]
    assert any(isinstance(f, ast.FunctionDef) and f.name in hooks
               for n in hidden for f in n.body)
    assert "forecast" in str(pytest.raises(AttributeError, getattr, ETS(), "forecast").value)


def test_a_forecaster_subclass_property_that_fails_inside_says_its_own_error():
    class Mine(Forecaster):
        @property
        def fitted_length(self):
            return len(self._no_such_state)

    with pytest.raises(AttributeError, match="_no_such_state") as err:
        Mine().fitted_length
    assert "fit_predict" not in str(err.value)  # (not the peers' methods' hint)
    with pytest.raises(AttributeError, match=r"f\.fit\(series\)\.predict"):
        Mine().forecast  # (names no attribute of the class: the hint, as before)


@pytest.mark.parametrize("owner", [
    lambda: GlobalForecaster("lstm", lookback=12, horizon=12), lambda: Forecaster(),
    lambda: SeasonalNaive()])
def test_sktimes_fh_keyword_given_dates_says_a_horizon_is_steps_not_dates(owner):
    """predict(fh=<dates>) said the generic 'the number of steps, predict(12)'; the
    horizon given as dates (positionally) says how to stop at a date."""
    dates = pd.date_range("2020-01-01", periods=3, freq="MS")
    with pytest.raises(ConfigTypeError) as e:
        owner().predict(fh=dates)
    said = str(e.value)
    assert "'fh' (here: horizon (the first argument)" in said
    # (the one-series Forecaster's forecast is indexed by its dates: no 'ds' column)
    at = "fc[fc.index <= date]" if said.startswith("Forecaster.") else "fc[fc['ds'] <= date]"
    assert "not a date" in said and at in said, said
    assert "predict(12))" not in said  # (the generic hint, for what is neither)
