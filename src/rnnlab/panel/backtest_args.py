"""The arguments of :func:`rnnlab.panel.backtest.backtest` read and checked before
anything is fitted: the origins (counts of steps before the end: :mod:`.origin_align`),
``refit`` (NeuralForecast's booleans as it reads them), the baselines (names, a comma-separated
string, classes or instances) as factories, and the levels they are built with."""

from __future__ import annotations

import copy
from typing import Callable, List, Literal, Mapping, Optional, Sequence, Tuple, Union

from .baselines import check_baseline_names, check_baselines_installed, make_baseline
from .call_args import check_quantiles, horizon_steps, step_count
from ..io.errors import ConfigError, ConfigTypeError, DataError, OptionError

Refit = Union[str, int]  # as given: 'never', k, or NeuralForecast's booleans
CheckedRefit = Union[Literal["never"], int]  # as checked: 'never' or k >= 1


def origin_offsets(horizon: int, first_origin: Optional[int], stride: int) -> List[int]:
    """Steps before the end (the panel's last date, or each series') of every origin,
    earliest first."""
    horizon, stride = horizon_steps(horizon), step_count(stride, "stride")
    if isinstance(first_origin, float) and 0 < first_origin < 1:  # (Darts' start=0.8)
        raise DataError(f"first_origin counts whole steps back from the end, got "
                        f"{first_origin!r}: Darts' start={first_origin!r}, a fraction of a "
                        f"series, is first_origin=round({1 - first_origin:.4g} * n) for a "
                        f"series of n steps")  # (a DataError, as a fraction was before)
    first_origin = None if first_origin is None else step_count(first_origin, "first_origin")
    first = horizon if first_origin is None else int(first_origin)
    if first < horizon:
        raise ConfigError(f"first_origin ({first} steps before the end) leaves less than one "
                          f"horizon ({horizon}) of truth; pass first_origin >= horizon")
    if stride < 1:
        raise ConfigError(f"stride must be at least 1; got {stride}")
    return list(range(first, horizon - 1, -stride))


def check_refit(refit: Refit) -> CheckedRefit:
    """'never' or k; NeuralForecast's booleans as it reads them (False: fit once, 'never';
    True: refit at every origin, 1)."""
    if refit == "never" or refit is False:
        return "never"
    if refit is True:
        return 1
    try:
        k = int(refit)
    except (TypeError, ValueError):
        k = 0
    if k < 1 or (isinstance(refit, float) and refit != k):
        raise ConfigError(f"refit must be 'never' (or False) or a whole number k >= 1 (refit "
                          f"every k origins; True: 1); got {refit!r}")
    return k


def refit_option(text: str) -> CheckedRefit:
    """``--refit``: 'never' or k >= 1 (an OptionError in the option's words)."""
    if str(text) == "never":
        return "never"
    try:
        k = int(text)
    except ValueError:
        k = 0
    if k < 1:
        raise OptionError(f"--refit: expected 'never' or a whole number k >= 1 (refit every "
                          f"k origins), got {text!r}")
    return k


def origin_options(args) -> Tuple[CheckedRefit, int]:
    """(``--refit``, the first origin) of ``rnnlab backtest``'s parsed ``args``, checked
    in the options' words (:func:`backtest <rnnlab.panel.backtest.backtest>` names its
    arguments) before a run directory is made (a rerun would need ``--overwrite``); a
    ``--future`` file refused: a backtest reads the covariates after each origin from
    ``--data``."""
    if getattr(args, "future_data", None):  # (the option is shared with rnnlab forecast)
        raise OptionError(f"--future {args.future_data}: a backtest reads the future "
                          f"covariates after each origin from --data (their observed values), "
                          f"and no file past the data; drop --future (it is for rnnlab "
                          f"forecast)")
    refit = refit_option(args.refit)  # ('never' or k >= 1: check_refit has no more to say)
    first = args.first_origin if args.first_origin is not None else args.horizon
    if first < args.horizon:
        raise OptionError(f"--first-origin {first} leaves less than one --horizon "
                          f"({args.horizon}) of truth after the first origin; pass "
                          f"--first-origin {args.horizon} or more")
    try:
        origin_offsets(args.horizon, args.first_origin, args.stride or args.horizon)
    except ValueError as e:
        raise OptionError(str(e)) from None
    return refit, first


def baseline_list(baselines) -> list:
    """``baselines`` as a list: a comma-separated string of names ("naive,ets", as the
    CLI's --baselines) is split, not read letter by letter."""
    if isinstance(baselines, str):
        return [b.strip() for b in baselines.split(",") if b.strip() and b.strip() != "none"]
    return list(baselines or ())


def instantiate(spec, quantiles) -> Callable[[], object]:
    """A factory from a baseline given as a name, a class/factory or an instance."""
    if isinstance(spec, str):
        return lambda: make_baseline(spec, quantiles)
    if callable(spec) and not hasattr(spec, "predict"):
        return spec
    if isinstance(spec, type):
        return spec
    return lambda: copy.deepcopy(spec)  # an (unfitted) instance: a fresh copy per fit


def model_name(model, default: Optional[str] = None) -> str:
    """A model's label in a backtest: its ``name``; a GlobalForecaster's architecture
    (``gru``: two networks given as baselines were both 'globalforecaster', refused as one
    name after the first had trained); else ``default`` or its class' name, lowercased."""
    given = getattr(model, "name", None)
    if given:
        return str(given)
    arch = getattr(getattr(model, "config", None), "model", None)
    return arch if isinstance(arch, str) else (default or type(model).__name__.lower())


def model_levels(model) -> Sequence[float]:
    """The quantile levels of a fitted model (GlobalForecaster's ``config.quantiles``, a
    baseline's ``quantiles``), else (0.1, 0.5, 0.9)."""
    levels = getattr(getattr(model, "config", None), "quantiles", None)
    levels = getattr(model, "quantiles", None) if levels is None else levels
    return tuple(levels) if levels else (0.1, 0.5, 0.9)


def different_levels(fc) -> str:
    """A note when the models of backtest forecasts ``fc`` have different quantile levels
    (baselines given as instances with their own): each is scored on its own, so their
    pinball and CRPS do not compare, nor a coverage one has and another not ('' else)."""
    from .metrics import quantile_levels

    cols = [c for c in (f"q{t:g}" for t in quantile_levels(fc.columns)) if c in fc]
    have = {m: tuple(c for c in cols if g[c].notna().any())
            for m, g in fc.groupby("model", sort=False)}
    kinds = {v for v in have.values() if v}
    if len(kinds) < 2:
        return ""
    said = "; ".join(f"{m}: {', '.join(v) or 'none'}" for m, v in have.items())
    return (f"the models have different quantile levels ({said}): each model's pinball, "
            f"CRPS and coverage are over its own levels and do not compare across models; "
            f"give every model the same quantiles (backtest(quantiles=...) builds named "
            f"baselines with them)")


def named_models(make_model, name: str) -> List[Tuple[str, object]]:
    """``(label, model or factory)`` of each model judged: ``make_model`` labelled ``name``,
    or each entry of a mapping ``{label: model or factory}`` (several judged over the same
    origins, in its order; ``name=`` then names none of them and is refused); [] for None."""
    if make_model is None:
        return []
    if not isinstance(make_model, Mapping):
        return [(name, _a_model(name, make_model))]
    if not make_model:
        raise ConfigError("backtest: make_model is an empty mapping; give {label: model} "
                          "with one model at least, or make_model=None for baselines only")
    if name != "model":
        raise ConfigError(f"backtest: name={name!r} beside a mapping of models "
                          f"{list(make_model)}: each model is labelled by its key; drop name=")
    bad = [k for k in make_model if not isinstance(k, str) or not k]
    if bad:
        raise ConfigError(f"backtest: the labels of a mapping of models are text, found "
                          f"{bad!r}; key each model by its name, {{'lstm': model}}")
    return [(label, _a_model(label, m)) for label, m in make_model.items()]


def _a_model(label: str, model):
    """``model`` as given, refused before anything is fitted where it is neither a model
    (an object with ``predict``) nor a factory of one (a class, a function): ``"ets"`` was
    Python's "'str' object is not callable" at its first origin, after the models before
    it had trained at every origin."""
    if hasattr(model, "predict") or callable(model):
        return model
    from .config import PanelConfig

    if isinstance(model, PanelConfig):  # (backtest_models takes settings, as networks)
        raise ConfigTypeError(f"backtest: model {label!r}: a PanelConfig is settings, not a "
                              f"model; pass GlobalForecaster(config=...) here, or the configs "
                              f"to rnnlab.panel.backtest_models({{label: config, ...}}, data)")
    said = (f"{model!r} is text, not a model; a baseline named by text goes in baselines="
            f"({model!r},) (labelled by its name)" if isinstance(model, str) else
            f"{model!r} is not a model")
    raise ConfigTypeError(f"backtest: model {label!r}: {said}; give an unfitted model (a "
                          f"GlobalForecaster, a baseline instance) or a function that "
                          f"returns a fresh one")


def checked_baselines(make_model, baselines: Sequence, name: str,
                      quantiles: Optional[Sequence[float]]) -> list:
    """The baselines as a list, refused before any model trains: none to backtest, an
    unknown name, two models of one name, a baseline whose package is missing, bad
    quantiles."""
    baselines = baseline_list(baselines)
    check_baseline_names(baselines)  # ('drift' was refused after the network had trained)
    if make_model is None and not baselines:
        raise ConfigError("nothing to backtest: pass make_model (a model or its factory) or "
                          "baselines=('naive', 'seasonal_naive', ...)")
    judged = [label for label, _ in named_models(make_model, name)]
    named = [b if isinstance(b, str) else model_name(b) for b in baselines
             if isinstance(b, str) or (hasattr(b, "predict") and not isinstance(b, type))] \
        + judged
    twice = sorted({b for b in named if named.count(b) > 1})
    if twice:  # their forecasts would be pooled under one label and scored as one model
        among = (f"the models {judged} and " if isinstance(make_model, Mapping) else
                 f"the model (name={name!r}) and ") if judged else ""
        raise ConfigError(f"backtest: {twice} named twice among {among}the baselines "
                          f"{list(baselines)}; give each model its own name (a model "
                          f"instance's .name: m.name = {twice[0] + '-2'!r})")
    check_baselines_installed(baselines)  # before the model trains, not after
    if quantiles is not None:
        check_quantiles(quantiles)  # likewise
    return baselines
