"""``rnnlab backtest --model lstm gru``: several networks trained and backtested over the
same origins, one row each beside the baselines (``lstm,gru`` reads the same). Every
option applies to every network, each seeded by ``--seed`` as it would be alone, so a
network's rows equal its one-network run's; a network's own settings are the Python
route's (:func:`rnnlab.panel.backtest_models`). ``args.model`` stays the text typed,
joined by commas (``lstm`` alone as before), so a run's ``config.json`` records it as
one option and ``--config RUN_DIR`` repeats it.

``rnnlab forecast`` on a panel refuses several: its run saves one model (``DIR/model``,
read by ``--run`` and ``--resume``), and the comparison over the same windows is the
backtest's."""

from __future__ import annotations

import argparse
from typing import List, Tuple

from ..calendar_options import names
from ..io.errors import OptionError
from .baseline_names import BASELINE_NAMES


class ModelNames(argparse.Action):
    """``--model A [B ...]``: the names typed (each may be ``a,b``) as one comma-joined
    text; a file's list (``model = ["lstm", "gru"]``) reads the same."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = [values] if isinstance(values, str) else list(values)
        setattr(namespace, self.dest, ",".join(str(v) for v in given))


def add_model_option(p: argparse.ArgumentParser, default: str, help: str) -> None:
    """``--model`` on ``p``: one model, or several networks (space- or comma-separated)."""
    p.add_argument("--model", default=default, nargs="+", action=ModelNames, metavar="MODEL",
                   help=help)


def several(model) -> bool:
    """Whether ``--model`` names more than one model."""
    return len(names(model)) > 1


def network_names(args) -> List[str]:
    """The networks of ``--model A B``, refused before anything is read or trained: one
    named twice, an unknown architecture (the registry's words), and one series with
    ``--calendar holiday`` (the one-series Forecaster: one ``--model`` per run). A
    baseline among them was refused by :func:`refuse_model_list` (pass it to
    ``--baselines``)."""
    from .baseline_names import peer_hint
    from .config import _model_problem

    given = list(names(args.model))
    twice = sorted({m for m in given if given.count(m) > 1})
    if twice:
        raise OptionError(f"--model {' '.join(given)}: {', '.join(twice)} named twice; name "
                          f"each network once (--model {' '.join(dict.fromkeys(given))}); "
                          f"two settings of one architecture are two runs, or "
                          f"rnnlab.panel.backtest_models({{'lstm': ..., 'lstm-2': ...}}, ...)")
    for m in given:
        if peer_hint(m):  # (--model lstm snaive: as --model snaive says it)
            raise OptionError(f"--model {' '.join(given)}: {m!r} is not a network"
                              f"{peer_hint(m)}, a baseline: pass it in --baselines, judged "
                              f"beside the networks over the same origins")
        why = _model_problem(m)
        if why is not None:
            raise OptionError(f"--model {' '.join(given)}: {m!r} is not an architecture: "
                              f"{why}")
    from .holiday_backtest import one_series_holidays, route_words

    if one_series_holidays(args):
        raise OptionError(f"--model {' '.join(given)}: {route_words(args)} backtests the "
                          f"one-series Forecaster, one --model per run; run one backtest "
                          f"per network with the same --first-origin and --stride (their "
                          f"summary.csv compare)")
    return given


def network_factories(args, nets: List[str], horizon: int) -> Tuple[dict, dict]:
    """``({name: factory of fresh GlobalForecasters}, {name: its PanelConfig as a dict})``
    of each network, every one built from the same options (bad settings refused here,
    before the run directory is made)."""
    from .cli import panel_config
    from .model import GlobalForecaster

    from .models_backtest import network_problems

    configs = {m: panel_config(args, model=m, horizon=horizon) for m in nets}
    bad = network_problems(configs)  # (drnn's num_layers >= 2: before lstm trains)
    if bad:
        raise OptionError(f"--model {' '.join(nets)}: " + "; ".join(
            f"{k}: {v}" for k, v in bad.items()) + "; every option applies to every "
            "network: drop the network or the option, or give each its own settings in "
            "Python (rnnlab.panel.backtest_models)")
    settings = {m: c.to_dict() for m, c in configs.items()}
    return ({m: (lambda kw=kw: GlobalForecaster(**kw)) for m, kw in settings.items()},
            settings)


def refuse_model_list(model, command: str = "backtest") -> None:
    """``--model lstm,naive``: a baseline in a list is refused with what to pass (it is
    judged beside the model with ``--baselines``); ``rnnlab forecast`` (``command``) on a
    panel refuses several networks too, naming ``rnnlab backtest --model``, which takes
    them. Another library's baseline name (``--model snaive``) is named as ours."""
    from .baseline_names import DEFAULT_BASELINES, peer_hint

    if model and peer_hint(model):
        raise OptionError(f"--model {model}: not a model here{peer_hint(model)}")
    given = names(model) if model and "," in model else []
    if command == "backtest" and len(given) == 1:  # (--model lstm, : it read as one name)
        raise OptionError(f"--model {model}: one name, {given[0]!r}, and an empty one; "
                          f"pass --model {given[0]}")
    nets = [m for m in given if m not in BASELINE_NAMES]
    if not given or (command == "backtest" and len(nets) == len(given)):
        return
    first = (nets or given)[0]
    base = [m for m in given if m in BASELINE_NAMES and m != first]
    said = f"--model {first}" + (f" --baselines {','.join(base)}" if base else "")
    if command == "backtest":
        raise OptionError(
            f"--model {model}: several --model entries are networks, each judged beside "
            f"the --baselines (by default {','.join(DEFAULT_BASELINES)}); pass {said}"
            + (f" (or --model {' '.join(nets)} --baselines {','.join(base)})"
               if len(nets) > 1 else ""))
    raise OptionError(
        f"--model {model}: rnnlab {command} on a panel trains one model, saved for --run "
        f"and --resume, judged beside its --baselines (by default "
        f"{','.join(DEFAULT_BASELINES)}): pass {said}" + ("" if not nets[1:] else
        f"; to compare networks over the same windows, rnnlab backtest --model "
        f"{' '.join(nets)} (one row each), or rnnlab.panel.backtest_models("
        f"[GlobalForecaster({nets[0]!r}, ...), GlobalForecaster({nets[1]!r}, ...)], panel)"))


__all__ = ["ModelNames", "add_model_option", "several", "network_names",
           "network_factories", "refuse_model_list"]
