"""Checks a panel run (``rnnlab backtest``, ``rnnlab forecast`` on a panel) makes before it
starts: options the chosen model would not read, baselines whose package is missing."""

from __future__ import annotations

from typing import Optional

from ..config_given import drop_recorded
from ..io.errors import DataError, OptionError
from .baseline_names import BASELINE_NAMES
from .call_args import horizon_steps

# PanelConfig fields that are data options (read by the baselines and the data checks too)
DATA_FIELDS = ("future_covariates", "past_covariates", "static_covariates", "calendar",
               "quantiles", "time_zone", "weekmask")


# PanelConfig fields a baseline run reads too: --model, the horizon, the period, the seed,
# and --no-progress (the lines said after each origin)
BASELINE_READS = DATA_FIELDS + ("model", "horizon", "period", "seed", "progress")


def refuse_unread_network_options(args, name: str) -> None:
    """A baseline ``--model`` (``rnnlab backtest``'s default is seasonal_naive; ``rnnlab
    forecast --model naive`` on a panel) given options only the global network reads
    (``--local yes``, ``--hidden-size``, ``--calibrate``, ...): an OptionError (a usage
    error) naming them, instead of a baseline run that silently ignores them."""
    from ..options import declared
    from .config import PanelConfig

    if name not in BASELINE_NAMES:
        return
    typed = getattr(args, "given_options", None) or frozenset()
    network = {o.dest_for(f.name) for f, o in declared(PanelConfig)
               if o.cli and f.name not in BASELINE_READS}
    default = "" if "model" in typed else " (the default)"
    unread = drop_recorded(args, sorted(typed & network), f"--model {name}{default}, a "
                           f"baseline,")  # (a run record's: dropped, with a note)
    if unread:
        flags = ", ".join("--" + k.replace("_", "-") for k in unread)
        raise OptionError(f"{flags}: options of the global network, which --model {name}"
                        f"{default}, a baseline, does not read; pass --model lstm (or another "
                        f"architecture, `rnnlab models`) to train the network, or drop them")


COVARIATE_OPTIONS = ("future_covariates", "past_covariates", "static_covariates", "calendar")


def warn_unread_covariates(args, name: str) -> None:
    """A baseline ``--model`` given covariates (``--future-covariates``, ``--calendar``,
    ...): they are still checked in the data (a column missing or NaN is refused, as for
    the network), but no baseline reads them, so the forecasts are the same without
    them: said (a warning), not left for the user to believe they were used."""
    import warnings

    if name not in BASELINE_NAMES:
        return
    typed = getattr(args, "given_options", None) or frozenset()
    given = [k for k in COVARIATE_OPTIONS if k in typed and getattr(args, k, None)]
    if given:
        flags = ", ".join("--" + k.replace("_", "-") for k in given)
        default = "" if "model" in typed else " (the default)"
        warnings.warn(f"{flags}: --model {name}{default}, a baseline, reads no covariates "
                      f"(nor do the baselines beside it): its forecasts are the same without "
                      f"them; pass --model lstm (or another architecture, `rnnlab models`) to "
                      f"forecast with them", stacklevel=2)


def left_out_baselines(args, name: str, baselines) -> dict:
    """Before the run starts (``rnnlab backtest`` and panel ``rnnlab forecast``): a model or
    a typed ``--baselines`` entry whose optional package is missing is refused (naming the
    extra); default baselines leave such a baseline out, ``{name: why}``, said under the
    table and in the run's JSON."""
    from .baselines import check_baselines_installed, unavailable_baselines

    if name in BASELINE_NAMES:
        check_baselines_installed([name], instead="pick another --model")
    if "baselines" in (getattr(args, "given_options", None) or ()):
        check_baselines_installed(baselines)
        return {}
    return unavailable_baselines(baselines)


def no_season(panel, whose: str, how: str) -> Optional[str]:
    """Why seasonal_naive cannot run on ``panel``, integer time steps without a period
    (``how``: the way to give one, the option or the argument), or None where it can.
    Said by the command line (:func:`seasonless_baselines`) and by
    ``GlobalForecaster.backtest`` (:func:`.model_backtest.seasonless_baselines`)."""
    from .int_steps import STEPS

    if getattr(panel, "ds_period", None) != STEPS or panel.period is not None:
        return None
    return f"{whose} ds are integer time steps, which have no season; pass {how} to run it"


def seasonless_baselines(args, panel, name: str, baselines) -> dict:
    """A panel of integer time steps without ``--period`` has no season: ``--model
    seasonal_naive`` or a typed ``--baselines seasonal_naive`` is refused saying so; the
    default baselines leave it out, ``{name: why}`` (said as the other left out ones)."""
    why = no_season(panel, "the data's", "--period N (the season length in steps)")
    if why is None:
        return {}
    if name == "seasonal_naive":
        raise DataError(f"--model seasonal_naive: {why}")
    if "seasonal_naive" not in baselines:
        return {}
    if "baselines" in (getattr(args, "given_options", None) or ()):
        raise DataError(f"--baselines seasonal_naive: {why}")
    return {"seasonal_naive": f"the seasonal_naive baseline: {why}"}


def check_first_origin(panel, first: int, horizon: int, least: int = 2,
                       typed: bool = True) -> None:
    """Every series left with fewer than ``least`` values (backtest()'s ``min_length``)
    before the first origin: refused naming the options, before a warning lists each
    series as left out (``typed``: --first-origin was given; else it is the horizon)."""
    longest = int(panel.lengths().max())
    if longest - first >= least:
        return
    fix = (f"pass --first-origin {longest - least} or less" if longest - least >= horizon
           else f"the series are too short for --horizon {horizon}: pass a smaller one")
    given = f"--first-origin {first}" if typed else f"--horizon {horizon} (the first origin)"
    raise DataError(f"{given} leaves fewer than {least} values before the "
                    f"first origin in every series (the longest has {longest}); {fix}")


# `rnnlab forecast`'s options of the one-series forecaster that a panel run has no setting
# for; typed with a panel they were ignored without a word (--depth 3 trained at the
# architecture's default depth; --clip-norm, once among them, is PanelConfig's now)
ONE_SERIES_ONLY = {
    "depth": "", "width": "", "nonlinearity": "", "out_depth": "", "out_width": "",
    "refit": "", "scaler": "", "select": "",
    "test_size": "a panel run holds out each series' last --horizon values",
    "seeds": "--ensemble N trains N members (seeds --seed, --seed+1, ...) into one model",
    "on_nonfinite": "",
    "val_data": "a panel run validates on each series' last --val-size values"}


def refuse_short_panel(args, panel, name: str, route) -> None:
    """``rnnlab backtest``'s network refused before its run directory is made when a fit
    could keep no series (:func:`~rnnlab.panel.short_series.refuse_short_lengths`): at
    each origin it fits at (the first, which every backtest fits, ``--refit never`` too;
    every k-th with ``--refit k``), on the values each series has before it as the
    backtest cuts them (:mod:`.origin_lengths`: ``--first-origin`` steps held out from
    each end with ``--align end``; cut at common dates, a series that ends early loses
    fewer, the latest-ending more, which one count held out by all under-refused). A
    baseline reads no look-back; the one-series route (``route``) is the
    Forecaster's, checked as its first fit checks it (:meth:`.holiday_backtest.
    SeriesRoute.check_first_fit`)."""
    first = args.first_origin or args.horizon
    if route is not None:
        return route.check_first_fit(panel, first)
    if name in BASELINE_NAMES:
        return
    from .backtest_args import origin_offsets, refit_option
    from .cli import panel_config
    from .origin_lengths import fitted_cut_lengths
    from .short_series import refuse_short_lengths

    cfg = panel_config(args, model=name, horizon=args.horizon)
    refit, stride = refit_option(args.refit), args.stride or args.horizon

    def check(first) -> None:
        offsets = origin_offsets(args.horizon, first, stride)
        for where, n in fitted_cut_lengths(panel, offsets, refit, args.align):
            refuse_short_lengths(n, cfg, cfg.period or panel.period, 0, where)

    try:
        check(args.first_origin)
    except DataError as e:
        fits = _largest_passing(check, first, horizon_steps(args.horizon))
        if fits is None:
            raise
        raise DataError(f"{e}; or pass --first-origin {fits} (the largest that leaves a "
                        f"series long enough at every origin fitted)") from None


def _largest_passing(check, first: int, horizon: int):
    """The largest first origin below ``first`` (and at least ``horizon``, a first origin's
    least) that ``check`` passes; None where none does. A smaller one keeps more values
    before each origin fitted: the refusal named lookback and horizon alone, though the
    origin was what the user could most easily move. Searched by halves (a first origin
    of thousands of steps is checked a dozen times): fewer steps held out keep at least as
    many values at every origin."""
    def passes(f: int) -> bool:
        try:
            check(f)
        except DataError:
            return False
        return True

    if first <= horizon or not passes(horizon):
        return None
    low, high = horizon, first - 1  # (low passes; the answer lies in [low, high])
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if passes(mid) else (low, mid - 1)
    return low


def refuse_one_series_options(args) -> None:
    """``rnnlab forecast`` on a panel given options only the one-series forecaster reads
    (:data:`ONE_SERIES_ONLY`): an OptionError naming them, not a run without them."""
    typed = getattr(args, "given_options", None) or frozenset()
    unread = drop_recorded(args, [k for k in ONE_SERIES_ONLY if k in typed],
                           "the panel model (the data is a panel)")
    if not unread:
        return
    flags = ", ".join("--" + k.replace("_", "-") for k in unread)
    hints = "".join(f"; {ONE_SERIES_ONLY[k]}" for k in unread if ONE_SERIES_ONLY[k])
    raise OptionError(f"{flags}: {'options' if len(unread) > 1 else 'an option'} of the "
                      f"one-series forecaster, which the panel model (the data is a panel) "
                      f"does not read; drop {'them' if len(unread) > 1 else 'it'}{hints}")
