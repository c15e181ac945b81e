"""Which route ``rnnlab backtest`` takes for one series: the one-series
:class:`~rnnlab.forecast.Forecaster` (``--one-series``, or one series with ``--calendar
holiday``) or the panel model, and the checks and note that go with the choice
(:mod:`.holiday_backtest` runs the one-series route)."""

from __future__ import annotations

from .baseline_names import BASELINE_NAMES

# panel options the one-series route reads too: the levels (SeriesModel's and the
# baselines'), the calendar it takes ('holiday' alone) and its country
SHARED = frozenset({"quantiles", "calendar", "country"})


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
    if typed & (panel_only_options() - SHARED):
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
    only = sorted(typed & (panel_only_options() - SHARED))
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
