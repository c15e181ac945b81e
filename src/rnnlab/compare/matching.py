"""Parameter matching: each model's hidden size chosen so its whole network (body and head)
has about the same number of trainable parameters as a target.

The count is taken from the network the task really builds (``ForecastNet`` with its
linear head, ``LMNet`` with its embedding and output layer), so nothing is estimated.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from ..nn.registry import count_parameters, get_architecture
from ..rate_options import rates_of
from .config import CompareConfig
from .model_names import arch_of
from .summary import percent
from ..io.errors import ConfigError


def layers_for(cfg: CompareConfig, model: str) -> int:
    """The layer count a model gets: the config's, or the architecture's default. One
    --num-layers below a compared architecture's minimum is refused naming the flag."""
    arch = get_architecture(arch_of(model))  # (dt-rnn:depth=3: dt-rnn's)
    if cfg.num_layers is not None and cfg.num_layers < arch.min_layers:
        # (the reference, --match-to's, is counted at --num-layers too; not among --models)
        which = f"{model!r}" if model in cfg.models else f"the reference --match-to {model!r}"
        instead = (f"leave {model!r} out of --models" if model in cfg.models else
                   "give another --match-to")
        raise ConfigError(
            f"CompareConfig: num_layers (--num-layers) {cfg.num_layers} applies to every model, "
            f"and {which} needs at least {arch.min_layers} layers; give --num-layers "
            f"{arch.min_layers} or more, --num-layers none (each architecture's own default), "
            f"or {instead}")
    return cfg.num_layers if cfg.num_layers is not None else arch.default_layers


def check_networks(cfg: CompareConfig) -> None:
    """Each compared model's settings checked as its run builds them (its ForecastConfig or
    LMConfig, the body built on the meta device: nothing allocated), before a run directory
    is made or a model trains: ``--depth 1`` for dts-rnn was refused when the plan counted
    the parameters, after the folder was made. Matching gives each model its own hidden
    size: then each is checked at one unit (the sizes are matching's to refuse), the
    reference at its own (``--match-to``'s, unless ``--param-target`` is the target)."""
    sizes = {m: 1 if cfg.match_params else cfg.hidden_size for m in cfg.models}
    if cfg.match_params and cfg.param_target is None:
        sizes[cfg.match_to] = cfg.hidden_size
    for m, hidden in sizes.items():
        layers_for(cfg, m)  # (said naming --num-layers, before the config's words)
        if cfg.task == "lm":
            lm_model_config(cfg, m, hidden)
            continue
        try:
            forecast_config(cfg, m, hidden, seed=cfg.seeds[0])
        except ConfigError as e:  # (in compare's words: its user wrote no ForecastConfig)
            said = str(e)
            if not said.startswith(_FORECAST):
                raise
            raise type(e)(f"CompareConfig: {said[len(_FORECAST):]}") from None


_FORECAST = "ForecastConfig: "  # how ForecastConfig's refusals begin


def build_network(cfg: CompareConfig, model: str, hidden: int, vocab_size: Optional[int] = None):
    """The network the task trains for ``model`` at ``hidden`` units (for counting)."""
    if cfg.task == "lm":
        from ..lm.model import LMNet

        if vocab_size is None:
            raise ConfigError("counting a language model's parameters needs the vocabulary size")
        return LMNet(lm_model_config(cfg, model, hidden), vocab_size)
    from ..forecast.net import build_net

    return build_net(forecast_config(cfg, model, hidden, seed=0))


def count_for(cfg: CompareConfig, model: str, hidden: int, vocab_size: Optional[int] = None) -> int:
    import torch

    with torch.device("meta"):  # shapes only: the bisection tries sizes up to 8192
        return count_parameters(build_network(cfg, model, hidden, vocab_size))


def match_hidden(cfg: CompareConfig, model: str, target: int,
                 vocab_size: Optional[int] = None, max_hidden: int = 8192) -> Tuple[int, int]:
    """(hidden size, parameter count) of ``model`` closest to ``target``; the count grows
    with the hidden size, so a bisection finds the crossing. Raises if the closest count
    is not within ``cfg.tolerance`` of the target."""
    hi = 8
    while hi < max_hidden and count_for(cfg, model, hi, vocab_size) < target:
        hi *= 2  # grow the bracket; never build a network far larger than needed
    # the first bracket starts at 1: a target below count(4) was matched from 3 up, and
    # hidden sizes 1 and 2 (closer) were never tried
    lo, hi = (1 if hi == 8 else hi // 2), min(hi, max_hidden)
    while lo < hi:  # smallest h with count(h) >= target
        mid = (lo + hi) // 2
        if count_for(cfg, model, mid, vocab_size) >= target:
            hi = mid
        else:
            lo = mid + 1
    options = [(h, count_for(cfg, model, h, vocab_size)) for h in {max(1, lo - 1), lo}]
    h, n = min(options, key=lambda o: (abs(o[1] - target), o[0]))
    if abs(n - target) > cfg.tolerance * target:
        (h1, n1), (h2, n2) = sorted(options)[0], sorted(options)[-1]
        if n2 < target:  # even the largest size tried is too small
            fix = f"Choose a smaller target (--param-target; hidden sizes stop at {max_hidden})"
        elif n1 > target:  # even one unit is too many
            fix = "Choose a larger target (--param-target)"
        else:  # the target lies between two sizes' counts (a "larger target" did not help)
            fix = (f"The count jumps past the target between two sizes (hidden size {h1} has "
                   f"{n1} and {h2} has {n2}): choose another target (--param-target)")
        raise ConfigError(
            f"cannot match {model!r} to {target} parameters within {percent(cfg.tolerance)}: "
            f"the closest is hidden size {h} with {n}. {fix}, another reference (--match-to) "
            f"or a wider --tolerance")
    return h, n


def plan_sizes(cfg: CompareConfig, vocab_size: Optional[int] = None) -> Dict[str, Any]:
    """{model: {"hidden_size", "num_layers", "params"}} for every compared model, and the
    target under the key "_target" when matching (None otherwise)."""
    target = None
    if cfg.match_params:
        target = cfg.param_target or count_for(cfg, cfg.match_to, cfg.hidden_size, vocab_size)
    check_dropout_read(cfg)
    plan: Dict[str, Any] = {}  # (a model's sizes; "_target": an int or None)
    for m in cfg.models:
        if target is None:
            h, n = cfg.hidden_size, count_for(cfg, m, cfg.hidden_size, vocab_size)
        else:
            h, n = match_hidden(cfg, m, target, vocab_size)
        plan[m] = {"hidden_size": h, "num_layers": layers_for(cfg, m), "params": n}
    plan["_target"] = target
    return plan


def check_dropout_read(cfg: CompareConfig) -> None:
    """A forecast comparison's dropout acts between stacked layers only: refused when every
    compared model has one layer (it would be recorded and change nothing; a language
    model's also acts on its inputs and outputs)."""
    if cfg.task != "forecast" or cfg.dropout == 0:
        return
    layers = {m: layers_for(cfg, m) for m in cfg.models}
    if all(n == 1 for n in layers.values()):
        raise ConfigError(
            f"CompareConfig: dropout (--dropout) {cfg.dropout} acts between stacked layers, "
            f"and every compared model has one ({', '.join(layers)}); give --num-layers 2 "
            f"or more, compare a stacked model (drnn, stacked-dt-rnn), or leave --dropout out "
            f"(--recurrent-dropout and --input-dropout act inside one layer too)")


def check_impl_runs(cfg: CompareConfig, plan: Dict[str, dict],
                    vocab_size: Optional[int] = None) -> None:
    """An ``impl`` that cannot run some model here (Triton on the CPU) is refused before
    anything trains: it failed at that model, after the models before it had trained.
    Checked where the comparison will run on the CPU for certain."""
    import torch

    if cfg.impl == "auto" or cfg.device not in ("auto", "cpu") or (
            cfg.device == "auto" and torch.cuda.is_available()):
        return
    from ..nn.paths import describe_path, set_impl

    for m, p in plan.items():
        if m.startswith("_"):  # (the plan's "_target")
            continue
        net = build_network(cfg, m, p["hidden_size"], vocab_size)
        set_impl(net, cfg.impl)
        try:
            describe_path(net, torch.float32, torch.device("cpu"))
        except RuntimeError as err:
            raise ConfigError(
                f"CompareConfig: impl (--impl) {cfg.impl!r} cannot run {m!r} on the CPU: "
                f"{str(err).splitlines()[0]} Nothing was trained (checked before the first "
                f"model); or leave {m!r} out of --models") from None


def forecast_config(cfg: CompareConfig, model: str, hidden: int, seed: int, progress=False):
    """The ForecastConfig every model gets: only model, hidden size and seed differ
    (``progress``: how the fit shows it, not a setting of the comparison)."""
    from ..forecast.config import ForecastConfig

    return ForecastConfig(
        model=arch_of(model), hidden_size=hidden, num_layers=layers_for(cfg, model),
        dropout=cfg.dropout,
        **rates_of(cfg), lookback=cfg.lookback, horizon=cfg.horizon, strategy=cfg.strategy,
        transform=cfg.transform, difference=cfg.difference, period=cfg.period,
        scaler=cfg.scaler, fill=cfg.fill,
        weekmask=cfg.weekmask,
        test_size=cfg.test_size, val_size=cfg.val_size, epochs=cfg.epochs,
        batch_size=cfg.batch_size, lr=cfg.lr, clip_norm=cfg.clip_norm, patience=cfg.patience,
        lr_schedule=cfg.lr_schedule,
        ensemble=1, seed=seed, device=cfg.device, impl=cfg.impl, progress=progress,
        **cfg.shape_for(model),
        max_seconds=cfg.max_seconds, select="network", origins=1, threads=0,  # as compare sets them
        validation="one_step" if cfg.evaluation == "one_step" else "rollout")


def lm_model_config(cfg: CompareConfig, model: str, hidden: int):
    from ..lm.config import LMConfig

    return LMConfig(model=arch_of(model), hidden_size=hidden, num_layers=layers_for(cfg, model),
                    embedding=cfg.embedding, dropout=cfg.dropout, **rates_of(cfg),
                    **cfg.shape_for(model))


def lm_train_config(cfg: CompareConfig, seed: int, progress=False, **device_settings):
    """``device_settings``: accelerator, devices, num_nodes, strategy, precision (if set);
    ``progress``: how the fit shows it (TrainConfig.progress)."""
    from ..lm.config import LMTrainConfig

    return LMTrainConfig(
        seq_len=cfg.seq_len, batch_size=cfg.batch_size, epochs=cfg.epochs,
        minutes=cfg.max_seconds / 60 if cfg.max_seconds else None, lr=cfg.lr,
        clip_norm=cfg.clip_norm, lr_schedule=cfg.lr_schedule, patience=cfg.patience,
        val_fraction=cfg.val_fraction, seed=seed, device=cfg.device, impl=cfg.impl,
        progress=progress,
        **device_settings)
