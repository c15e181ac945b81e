"""``rnnlab backtest --calendar holiday --country US`` on one series: the one-series
:class:`~rnnlab.forecast.Forecaster` (its holidays, :mod:`rnnlab.forecast.holidays`)
behind the panel protocol (:class:`~rnnlab.forecast.backtest.SeriesModel`), as
``rnnlab forecast`` trains it on the same input. It fitted the panel model
(GlobalForecaster) instead: ``--calendar`` typed made any data a panel, here as in
``rnnlab forecast`` before it took holidays alone on one series. A real panel (an id
column, a built-in panel, a covariate, a panel model's option) keeps the panel route.

``--one-series`` takes the same route without holidays (Darts' ``historical_forecasts``
of the model ``rnnlab forecast`` trained): without it a network ``--model`` on one series
is the panel model, which a note says (:func:`panel_model_note`)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from .baseline_names import BASELINE_NAMES

# panel options the one-series route reads too: the levels (SeriesModel's and the
# baselines'), the calendar it takes ('holiday' alone) and its country
_SHARED = frozenset({"quantiles", "calendar", "country"})
# the backtest's own options named as a ForecastConfig field that means another thing
# (--refit never|k: when the origins refit; ForecastConfig.refit: a refit after its choice)
_BACKTEST_OWN = frozenset({"refit"})


def add_one_series_option(p) -> None:
    """``--one-series`` of ``rnnlab backtest``."""
    p.add_argument("--one-series", action="store_true",
                   help="one series (no id column, no covariate) backtested with the "
                        "one-series Forecaster as rnnlab forecast trains it (its defaults, "
                        "as with --calendar holiday above), not the panel model")


def one_series_holidays(args) -> bool:
    """Whether ``rnnlab backtest``'s options name the one-series Forecaster: ``--one-series``
    (checked: :func:`_check_one_series`), or one series with its holidays: ``--calendar
    holiday`` typed, a network ``--model``, data that ``rnnlab forecast`` reads as one
    series, and no option only the panel model reads."""
    from .wants_panel import _holidays_alone, _wants_panel, panel_only_options

    typed = getattr(args, "given_options", None) or frozenset()
    if getattr(args, "one_series", False):
        _check_one_series(args, typed)
        return True
    if "calendar" not in typed or not _holidays_alone(args) or \
            getattr(args, "model", None) in BASELINE_NAMES:
        return False
    if typed & (panel_only_options() - _SHARED):
        return False
    return not _wants_panel(args)


def route_words(args) -> str:
    """The options that chose the one-series route, as its refusals name them."""
    return ("--one-series" if getattr(args, "one_series", False) else
            "one series with --calendar holiday")


def _check_one_series(args, typed) -> None:
    """OptionError when ``--one-series`` is given what the one-series Forecaster does not
    read: a baseline ``--model``, the panel model's options, a panel or covariates."""
    from ..io.errors import OptionError
    from .wants_panel import _wants_panel, panel_only_options

    if getattr(args, "model", None) in BASELINE_NAMES:
        from ..forecast.config import ForecastConfig

        given = (f", and --model {args.model} is a baseline" if "model" in typed else
                 f"; --model was not given, and backtest's default, {args.model}, is a "
                 f"baseline")
        raise OptionError(f"--one-series backtests the one-series Forecaster's network"
                          f"{given}: pass a network (--model {ForecastConfig().model}, "
                          f"rnnlab forecast's default), or drop --one-series to backtest "
                          f"the baseline")
    only = sorted(typed & (panel_only_options() - _SHARED))
    if only:
        flags = ", ".join("--" + k.replace("_", "-") for k in only)
        raise OptionError(f"{flags}: options of the panel model, which --one-series does not "
                          f"train; drop them, or drop --one-series")
    if _wants_panel(args):
        raise OptionError(f"--one-series: --data {args.data} with these options is a panel "
                          f"(an id column, a built-in panel, a covariate or a calendar "
                          f"feature other than holiday), which the panel model backtests; "
                          f"drop --one-series")


def panel_model_note(args, panel) -> str:
    """What a network ``--model`` on one series backtests without ``--one-series``: the
    panel model, not the Forecaster ``rnnlab forecast`` trains on the same file ('' for a
    baseline, several networks, a panel, or covariates)."""
    typed = getattr(args, "given_options", None) or frozenset()
    model = getattr(args, "model", None)
    if not isinstance(model, str) or model in BASELINE_NAMES or \
            panel.df["unique_id"].nunique() != 1 or typed & {
                "id_column", "future_covariates", "past_covariates", "static_covariates",
                "calendar", "static_data"}:
        return ""
    return (f"--model {model} on one series backtests the panel model (GlobalForecaster, "
            f"its settings in config.json's model_config), not the one-series Forecaster "
            f"that rnnlab forecast trains on it; --one-series backtests that one")


def printed_options(args, options: dict) -> dict:
    """``rnnlab backtest --print-config``'s ``options`` as the run reads them: on the
    one-series route (:func:`one_series_holidays`), as its config.json records them
    (:meth:`SeriesRoute.recorded`: no panel model's option, no parser default the
    Forecaster does not train with, its settings in ``model_config``, the look-back sized
    by the data's period as the run sizes it). It printed the panel parser's defaults
    (hidden size 48, look-back 24, ensemble 1) where the run trains the Forecaster's (16,
    whole periods, 3). Data that cannot be read (yet) leaves the look-back unsized, with a
    note, and is printed all the same, as ``rnnlab forecast --print-config`` prints it.
    Other backtests: ``options`` as they are."""
    from ..io.errors import DataError

    if not one_series_holidays(args):
        return options
    try:  # (--encoding cp1252: the file read as the run reads its UTF-8 copy)
        series, _, cfg, factory = series_route(args, getattr(args, "encoding", None))
    except DataError as e:
        print(f"rnnlab backtest: note: {e}; model_config's look-back is the Forecaster's "
              f"default, which the run sizes by the data's seasonal period", file=sys.stderr)
        series, cfg, factory = None, series_config(args), lambda: None
    typed = getattr(args, "given_options", None) or frozenset()
    return SeriesRoute(series, cfg, factory).recorded(options, typed)


def series_config(args):
    """The :class:`~rnnlab.forecast.config.ForecastConfig` of the options typed (the
    others keep ForecastConfig's defaults, as ``rnnlab forecast`` reads them), with
    ``--model``, ``--horizon`` and ``--seed``."""
    from ..forecast.config import ForecastConfig
    from ..options import config_from_args

    typed = getattr(args, "given_options", None)
    values = {k: v for k, v in vars(args).items()
              if (typed is None or k in typed) and k not in _BACKTEST_OWN}
    if hasattr(args, "no_progress"):
        values["no_progress"] = args.no_progress
    _check_fill(values.get("fill"), route_words(args))
    return config_from_args(ForecastConfig, argparse.Namespace(**values), model=args.model,
                            horizon=args.horizon, seed=args.seed)


def _check_fill(fill, route: str) -> None:
    """--fill the one-series Forecaster takes: a panel's 'zero' was refused as
    "ForecastConfig: fill must be one of (..., 'drop')", which the command does not take."""
    from ..data.option_names import FILLS
    from ..io.errors import OptionError

    if fill is not None and fill not in FILLS:
        ours = " | ".join(f for f in FILLS if f != "drop")
        raise OptionError(f"--fill {fill}: {route} backtests the one-series Forecaster "
                          f"(as rnnlab forecast trains it), which fills "
                          f"a series' NaN values by {ours}; pass one of those, or give a "
                          f"panel (an id column) for the panel model's fills")


@dataclass(frozen=True)
class SeriesRoute:
    """The one-series route of a backtest: the series, its Forecaster's config and a
    factory of fresh SeriesModels."""

    series: Any  # the Series read as `rnnlab forecast` reads it
    config: Any  # its ForecastConfig
    factory: Callable[[], Any]
    made: list = field(default_factory=list)  # the SeriesModels the factory made

    def recorded(self, options: dict, typed) -> dict:
        """config.json's ``options`` (the parsed command's) as the run read them: the
        Forecaster's settings in ``model_config``; at the top, none of the panel model's
        own options (unread) nor a default of the parser that is not what the Forecaster
        trained with (the panel model's lookback 24 and ensemble 1 were recorded beside its
        look-back of whole periods and ensemble of 3, and ``rnnlab runs`` listed them).
        ``typed``: the options given, kept (what ran); ``--config RUN_DIR`` leaves those
        dropped at their defaults, so its Forecaster sizes them as this run's did."""
        import json

        from .wants_panel import panel_only_options

        ran = self.config.to_dict()
        unread = panel_only_options() - _SHARED

        def same(a, b) -> bool:
            return json.dumps(a, default=str) == json.dumps(b, default=str)  # (tuple: list)
        out = {k: v for k, v in options.items() if k not in unread and (
            k not in ran or k in _BACKTEST_OWN or k in typed or same(v, ran[k]))}
        return {**out, "model_config": ran}

    def check_first_fit(self, panel, first: int) -> None:
        """The DataError the backtest's first fit, at the origin ``first`` steps before the
        end of the one-series ``panel`` (each later fit sees more), would raise before it
        trains (:meth:`~rnnlab.forecast.backtest.SeriesModel.check_fit`): said before the
        run directory is made, not after it, which left a run marked started there."""
        import warnings

        from ..forecast.backtest import SeriesModel

        with warnings.catch_warnings():  # (the fit says them, once)
            warnings.simplefilter("ignore")
            SeriesModel(self.config, self.series).check_fit(panel.cut(first))

    def dated(self, result, panel):
        """``result`` on the series' own dates (a stand-in calendar's rows put back), and
        on stderr what each fit chose (:func:`choice_note`)."""
        from ..forecast.backtest import _dated

        note = choice_note(self.made, self.config.model, self.config.select,
                           holidays="holiday" in (self.config.calendar or ()))
        if note:
            print(f"rnnlab backtest: note: {note}", file=sys.stderr)
        return _dated(result, self.series, panel)

    def choices(self) -> dict:
        """summary.json's ``forecaster_choices``: ``{model: {method: fits}}``, what the
        fits of the rows named ``model`` forecast with (the network, or a baseline its
        validation chose). Said on stderr alone (:func:`choice_note`), the record kept
        rows named gru that scored a linear AR, and ``rnnlab runs`` compared them as gru's.
        A resumed run counts the fits made after the resume (the folds kept are read)."""
        chosen = _chosen(self.made)
        return {"forecaster_choices": {self.config.model: {
            c: chosen.count(c) for c in dict.fromkeys(chosen)}}}


def _chosen(made) -> list:
    """The method each fitted Forecaster of ``made`` forecast with."""
    return [m.forecaster.choice["method"] for m in made
            if getattr(m, "forecaster", None) is not None]


def choice_note(made, name: str, select: str, holidays: bool = True) -> str:
    """What the Forecasters of ``made`` (fitted SeriesModels) forecast with, when one is not
    the network: its rows, named ``name``, scored a baseline the choice picked (select='auto',
    as ``rnnlab forecast``), which reads no ``holidays``; '' when each forecast with the
    network."""
    chosen = _chosen(made)
    if all(c == "network" for c in chosen):
        return ""
    counts = ", ".join(f"{c} ({chosen.count(c)} of {len(chosen)})" for c in dict.fromkeys(chosen))
    said = ("(a baseline reads no holidays). Score the network alone with the library: "
            "Forecaster(select='network', calendar=('holiday',), country=...).backtest(data)"
            ) if holidays else ("(the library's Forecaster(select='network').backtest(data) "
                                "scores the network alone)")
    return (f"{name}: the one-series Forecaster forecasts with the candidate its validation "
            f"chose (select={select!r}, as rnnlab forecast trains it), and its fits chose "
            f"{counts}: the {name} rows score that choice, not the network alone {said}")


def backtest_inputs(args):
    """``(panel, static, route)``: for one series with holidays
    (:func:`one_series_holidays`), its one-series panel, no static table and its
    :class:`SeriesRoute`; otherwise the panel and static table of the data options and
    None."""
    if not one_series_holidays(args):
        from .data_args import load_panel

        panel, static = load_panel(args)
        note = panel_model_note(args, panel)
        if note:
            print(f"rnnlab backtest: note: {note}", file=sys.stderr)
        return panel, static, None
    series, panel, cfg, factory = series_route(args)
    made: list = []
    return panel, None, SeriesRoute(series, cfg, _recording(factory, made), made)


def series_route(args, encoding=None):
    """``(series, panel, config, factory)``: the series read as ``rnnlab forecast`` reads
    it, its one-series panel, the config and a factory of fresh SeriesModels (``encoding``:
    the file's, where it is read as typed: the run reads a UTF-8 copy,
    :mod:`rnnlab.io.encoded_input`)."""
    from ..data.datasets import resolve_data
    from ..data.frequency import seasonal_period
    from ..forecast.backtest import SeriesModel, series_panel
    from ..forecast.period_defaults import period_defaults

    cfg = series_config(args)
    date_col = False if (args.date_column or "").lower() == "none" else args.date_column
    from ..io.errors import DataError

    try:
        series = resolve_data(args.data, column=args.column, date_column=date_col,
                              fill=cfg.fill, weekmask=cfg.weekmask,
                              off_grid=getattr(args, "off_grid", None) or "refuse",
                              encoding=encoding)
    except DataError as e:  # (the reader's hint is rnnlab forecast's: backtest's --fill
        # takes no drop, whose choices are the panel's)
        raise DataError(str(e).replace("(--fill drop)", "(rnnlab forecast's --fill drop; "
                                       "for this backtest, delete those rows)")) from None
    if series.gap_note():  # (as rnnlab forecast notes it; SeriesModel's fits say nothing)
        print(f"rnnlab backtest: note: {args.data}: {series.gap_note()}", file=sys.stderr)
    period = seasonal_period(cfg.period, series.freq, series.calendar)
    typed = getattr(args, "given_options", None) or frozenset()
    cfg, why = period_defaults(cfg, period, len(series), typed | {"test_size"})  # (forecast's
    if why:  # look-back of whole periods; the backtest cuts its own test parts)
        print(f"rnnlab backtest: note: {why}", file=sys.stderr)
    panel = series_panel(series, period, cfg.fill)
    q = tuple(args.quantiles) if args.quantiles else ()
    return series, panel, cfg, lambda: SeriesModel(cfg, series, q)


def _recording(factory, made: list):
    """``factory`` whose every model is appended to ``made`` as well."""
    def make():
        made.append(factory())
        return made[-1]
    return make
