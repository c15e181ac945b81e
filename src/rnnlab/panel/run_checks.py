"""Checks a panel run (``rnnlab backtest``, ``rnnlab forecast`` on a panel) makes before it
starts: options the chosen model would not read, baselines whose package is missing."""

from __future__ import annotations

from ..io.errors import DataError
from .baselines import BASELINES

# PanelConfig fields that are data options (read by the baselines and the data checks too)
DATA_FIELDS = ("future_covariates", "past_covariates", "static_covariates", "calendar",
               "quantiles")


# PanelConfig fields a baseline run reads too: --model, the horizon, the period, the seed
BASELINE_READS = DATA_FIELDS + ("model", "horizon", "period", "seed")


def refuse_unread_network_options(args, name: str) -> None:
    """A baseline ``--model`` (``rnnlab backtest``'s default is seasonal_naive; ``rnnlab
    forecast --model naive`` on a panel) given options only the global network reads
    (``--local yes``, ``--hidden-size``, ``--calibrate``, ...): a DataError naming them,
    instead of a baseline run that silently ignores them."""
    from ..options import declared
    from .config import PanelConfig

    if name not in BASELINES:
        return
    typed = getattr(args, "given_options", None) or frozenset()
    network = {o.dest_for(f.name) for f, o in declared(PanelConfig)
               if o.cli and f.name not in BASELINE_READS}
    unread = sorted(typed & network)
    if unread:
        flags = ", ".join("--" + k.replace("_", "-") for k in unread)
        default = "" if "model" in typed else " (the default)"
        raise DataError(f"{flags}: options of the global network, which --model {name}"
                        f"{default}, a baseline, does not read; pass --model lstm (or another "
                        f"architecture, `rnnlab models`) to train the network, or drop them")


COVARIATE_FIELDS = ("future_covariates", "past_covariates", "static_covariates", "calendar")


def unread_covariates_note(args, name: str) -> str:
    """A baseline ``--model`` typed with covariate options: the baselines read no covariates,
    so the run checks the columns but no model uses them. The note says so and how to use
    them (``rnnlab backtest``'s default model is seasonal_naive: README's own-table
    backtest passed --future-covariates to it); '' when there is nothing to say."""
    typed = getattr(args, "given_options", None) or frozenset()
    given = [f for f in COVARIATE_FIELDS if f in typed and getattr(args, f, None)]
    if name not in BASELINES or not given:
        return ""
    flags = ", ".join("--" + f.replace("_", "-") for f in given)
    default = "" if "model" in typed else " (the default)"
    return (f"{flags}: checked against the data, but no model here reads covariates "
            f"(--model {name}{default} and the baselines do not); pass --model lstm (or "
            f"another architecture, `rnnlab models`) to forecast with them")


def left_out_baselines(args, name: str, baselines) -> dict:
    """Before the run starts (``rnnlab backtest`` and panel ``rnnlab forecast``): a model or
    a typed ``--baselines`` entry whose optional package is missing is refused (naming the
    extra); default baselines leave such a baseline out, ``{name: why}``, said under the
    table and in the run's JSON."""
    from .baselines import check_baselines_installed, unavailable_baselines

    if name in BASELINES:
        check_baselines_installed([name], instead="pick another --model")
    if "baselines" in (getattr(args, "given_options", None) or ()):
        check_baselines_installed(baselines)
        return {}
    return unavailable_baselines(baselines)


def seasonless_baselines(args, panel, name: str, baselines) -> dict:
    """A panel of integer time steps without ``--period`` has no season: ``--model
    seasonal_naive`` or a typed ``--baselines seasonal_naive`` is refused saying so; the
    default baselines leave it out, ``{name: why}`` (said as the other left out ones)."""
    from .int_steps import STEPS

    if getattr(panel, "ds_period", None) != STEPS or panel.period is not None:
        return {}
    why = ("the data's ds are integer time steps, which have no season; pass --period N "
           "(the season length in steps) to run it")
    if name == "seasonal_naive":
        raise DataError(f"--model seasonal_naive: {why}")
    if "seasonal_naive" not in baselines:
        return {}
    if "baselines" in (getattr(args, "given_options", None) or ()):
        raise DataError(f"--baselines seasonal_naive: {why}")
    return {"seasonal_naive": f"the seasonal_naive baseline: {why}"}
