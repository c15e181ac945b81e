"""Command-line flags for the settings every training entry point shares."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any, Optional, Union

from ..io.errors import OptionError  # (usage errors: exit status 2)
from ..names import IMPLS, unread_impl
from ..number_kinds import is_real
from ..rate_options import kernel_impl_problem
from ..seed_ranges import CLI as CLI_SEEDS
from .config import ACCELERATORS, CUDA_GRAPHS, PRECISIONS, STRATEGIES
from ..io.errors import ConfigError


def at_least(low: int, what: str = "a whole number", note: str = "",
             high: Optional[int] = None):
    """An argparse type: an int >= ``low`` (and <= ``high`` if given), refused with what was
    expected and what was given."""
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = low - 1
        if n < low:
            raise argparse.ArgumentTypeError(f"expected {what} >= {low}{note}, got {text!r}")
        if high is not None and n > high:
            raise argparse.ArgumentTypeError(f"expected {what} >= {low}{note} and at most "
                                             f"{high}, got {text!r}")
        return n

    parse.__name__ = f"integer >= {low}"
    return parse


def positive_number(what: str = "a number", zero: bool = False):
    """An argparse type: a finite float > 0 (nan and inf are refused up front, as is 0,
    unless ``zero``: then >= 0)."""
    def parse(text: str) -> float:
        import math

        try:
            v = float(text)
        except ValueError:
            v = float("nan")
        if not (math.isfinite(v) and (v > 0 or (zero and v == 0))):
            raise argparse.ArgumentTypeError(f"expected {what}: a finite number "
                                             f"{'>=' if zero else '>'} 0, got {text!r}")
        return v

    parse.__name__ = f"number {'>=' if zero else '>'} 0"
    return parse


def or_off(parse):
    """An argparse type for an option that can be off (--patience, --clip-norm): ``none``
    or ``off`` is None, anything else ``parse(text)`` (``0``, off too, is the config's to
    read: every command takes both spellings)."""
    def read(text: str):
        return None if text.strip().lower() in ("none", "off") else parse(text)

    read.__name__ = getattr(parse, "__name__", "value")  # (argparse: "invalid int value")
    read.reads_none = True  # (a resumed run's cli.json may hold null for it)
    return read


def count_or_fraction(text: str):
    """An argparse type: a count (``12``, kept an int) or a fraction (``0.2``) of a series."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a count (12) or a fraction (0.2), got {text!r}")
    return int(v) if v.is_integer() and v >= 1 else v


def distinct_seeds(seeds) -> list:
    """--seeds: each seed once (a repeated one would train the same run twice and count it
    twice in the mean ± std); raises an OptionError (a usage error, exit status 2, as
    rnnlab compare's repeated --seeds) naming the repeats."""
    seen, repeated = set(), []
    for s in seeds:
        if s in seen and s not in repeated:
            repeated.append(s)
        seen.add(s)
    if repeated:
        raise OptionError(f"--seeds repeats {', '.join(map(str, repeated))} (got "
                          f"{' '.join(map(str, seeds))}): give each seed once, e.g. --seeds 0 1 2")
    return list(seeds)


# every --threads flag: 0 leaves torch's default
# (and at most MAX_THREADS: --threads 99999 made the OpenMP runtime abort, out of memory)
MAX_THREADS = 1024
threads_count = at_least(0, "a number of CPU threads", " (0: torch's default)", MAX_THREADS)


# every --seed / --seeds flag: rnnlab.seed_ranges.CLI; -1 trained with forecast and failed
# with numpy's "expected non-negative integer" in lm train and backtest
MAX_SEED = CLI_SEEDS[1]
seed_number = at_least(0, "a seed: a whole number", high=MAX_SEED)


def add_run_args(parser: argparse.ArgumentParser, resume_note: str = "",
                 steps_note: str = "") -> None:
    """--overwrite/--resume [RUN_DIR]/--checkpoint-every/--on-nonfinite: how a training
    command treats its run directory and its checkpoints (``--out`` is each command's own:
    their defaults differ; ``--no-progress`` is the config's: :func:`progress_option`).
    ``resume_note``, ``steps_note``: the command's own words ending --resume's and
    --checkpoint-every's help (a panel forecast resumes and checkpoints its own way)."""
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing run directory")
    parser.add_argument("--resume", nargs="?", const=True, default=False, metavar="RUN_DIR",
                        help="continue an interrupted run (RUN_DIR, or --out) from its last "
                             "checkpoint, with the options it was started with; --out DIR "
                             "--resume starts the run when DIR has none yet (one command to "
                             f"repeat after a kill){resume_note}")
    parser.add_argument("--checkpoint-every", type=at_least(0), default=0, metavar="N",
                        help=f"also checkpoint every N optimizer steps (default 0: at epoch "
                             f"ends){steps_note}")
    parser.add_argument("--on-nonfinite", choices=("stop", "skip"), default="stop",
                        help="a NaN/Inf loss or gradient: stop with an error (default) or skip "
                             "the step (the number skipped is reported)")


NO_PROGRESS_HELP = ("no progress while training: neither the bar on a terminal nor, where "
                    "stderr is not one (CI, nohup, a log file), the line on stderr every "
                    "30 s and at the end (default: shown)")


def progress_option(default, group=None):
    """A config's ``progress`` field (one definition for every training command): the API's
    ``default``; on the command line ``--no-progress`` (False), else ``"log"``: the bar on
    a terminal, a plain line on stderr elsewhere (:mod:`rnnlab.train.progress`)."""
    from ..options import option

    return option(default, NO_PROGRESS_HELP, flag="--no-progress", action="store_true",
                  cli_default=False, to_config=lambda off: False if off else "log",
                  group=group)


@dataclass(frozen=True)
class _Progress:
    progress: Union[bool, str] = progress_option(False)  # the fits' progress (train.progress)


def add_progress_arg(parser: argparse.ArgumentParser) -> None:
    """--no-progress for a command whose config has no ``progress`` field (rnnlab compare,
    recipe run: a comparison's config is its experiment), by the same definition."""
    from ..options import add_options

    add_options(parser, _Progress)


def progress_of(args: argparse.Namespace):
    """The ``progress`` of the fits :func:`add_progress_arg`'s command runs: False with
    --no-progress, else ``"log"``."""
    from ..options import config_from_args

    return config_from_args(_Progress, args).progress


def add_device_args(parser: argparse.ArgumentParser, strategy_flags=("--strategy",),
                    strategy_dest: str = "strategy") -> None:
    """--accelerator/--devices/--num-nodes/--strategy/--precision, as Lightning names them.

    A command whose ``--strategy`` already means something else passes other
    ``strategy_flags``/``strategy_dest`` (and the same ``strategy_dest`` to :func:`device_config`)."""
    g = parser.add_argument_group("devices (data-parallel training)")
    g.add_argument("--accelerator", choices=ACCELERATORS, default="auto",
                   help="where to train (default: cuda when available, else cpu)")
    g.add_argument("--devices", type=int, default=1,
                   help="training processes on this machine (default 1): one per GPU on "
                        "cuda; on the CPU they share its cores and the command's --threads "
                        "(gloo); each trains on its rows of every global batch, so the result "
                        "equals one process's up to float rounding; they wait "
                        "RNNLAB_JOIN_TIMEOUT seconds (default 300) for each other to start")
    g.add_argument("--num-nodes", type=int, default=1,
                   help="machines (default 1); more than 1 needs torchrun on each node (see "
                        "README)")
    g.add_argument(*strategy_flags, dest=strategy_dest, choices=STRATEGIES, default="auto",
                   help="auto: ddp when more than one process (default)")
    g.add_argument("--precision", choices=PRECISIONS, default="32",
                   help="32, bf16-mixed (CPU/GPU; on a CPU without AVX-512 the LSTM layers "
                        "run in fp32) or 16-mixed (GPU only, with loss scaling; refused on "
                        "the CPU); recorded in the run's config (default 32)")


ARCH = "architecture details"  # --help section of the deep architectures' options (depth, ...)
IMPL_HELP = ("recurrent layers' implementation: auto (default: torch's kernel for the "
             "standard cells; for the others rnnlab's split Triton loop on CUDA with "
             "Triton, else its torch-ops kernels), fast, triton / "
             "triton-split / triton-resident (rnnlab's Triton loops, CUDA; resident: "
             "weights kept on chip, small hidden sizes), or reference (the step loop); "
             "the run prints and records which path ran")


def add_impl_arg(parser: argparse.ArgumentParser) -> None:
    """--impl: which implementation the recurrent layers train on (rnnlab.nn.paths.set_impl)."""
    parser.add_argument("--impl", choices=IMPLS, default="auto", help=IMPL_HELP)


def refuse_unread_impl(args: argparse.Namespace) -> None:
    """``--impl fast`` (or a triton one) with a ``--model`` that always runs torch's fused
    kernel (lstm, gru, rnn, ...), or with a mixed ``--precision``, under which rnnlab's
    kernels give way to the step loop: refused as ``rnnlab compare`` refuses it
    (:func:`rnnlab.names.unread_impl`), not recorded while changing nothing. Only as typed:
    a resumed run's --impl not typed again is its cli.json's, recorded by a run that an
    older rnnlab accepted (it ran the fused kernel): that run goes on as it started.
    A Triton ``--impl`` without Triton installed is refused too, naming the extra."""
    given = getattr(args, "given_options", None)  # (rnnlab.cli: typed on the command line)
    if given is not None and "impl" not in given:
        return
    model = getattr(args, "model", None)
    impl = getattr(args, "impl", "auto")
    why = unread_impl(impl, [model], f"--model {model}", "pick one of those with --model",
                      getattr(args, "precision", "32"))
    if why:
        raise OptionError(why)
    rate: Any = getattr(args, "recurrent_dropout", None)  # (no kernel takes its mask on h)
    why = kernel_impl_problem(rate, impl) if is_real(rate) else None
    if why:  # (lm train: the fit's own check came after the run folder's lock, exit 1)
        raise OptionError(why)
    if str(impl).startswith("triton"):  # before the run folder (it failed in the first fit)
        from ..extras import require

        require("triton", f"--impl {impl}", "use --impl auto")  # (MissingExtraError)
        import torch

        if not torch.cuda.is_available():  # every run here is on the CPU
            from ..nn.fast.triton_common import unavailable_reason

            why = unavailable_reason(torch.zeros(1))
            if why:
                raise ConfigError(f"--impl {impl} cannot run here: {why}; use --impl auto")


CUDA_GRAPHS_HELP = ("capture forward, backward and optimizer step as one CUDA graph: off "
                    "(default, until measured on a GPU), auto (where the run allows it: CUDA, "
                    "one process, fp32) or on (refuses a run that does not allow it, saying why)")


def add_cuda_graphs_arg(parser: argparse.ArgumentParser) -> None:
    """--cuda-graphs: capture the whole training step on CUDA (TrainConfig.cuda_graphs)."""
    parser.add_argument("--cuda-graphs", choices=CUDA_GRAPHS, default="off",
                        help=CUDA_GRAPHS_HELP)


def device_config(args: argparse.Namespace, strategy_dest: str = "strategy"):
    """The :class:`~rnnlab.train.distributed.DeviceConfig` of the parsed device options."""
    from ..options import refused_as_option_error
    from .distributed import DeviceConfig

    return refused_as_option_error(DeviceConfig, accelerator=args.accelerator,
                                   devices=args.devices, num_nodes=args.num_nodes,
                                   strategy=getattr(args, strategy_dest),
                                   precision=args.precision)


def refuse_device_options(args: argparse.Namespace, trainer: str,
                          strategy_dest: str = "strategy") -> None:
    """Refuse the device options a trainer that runs in one CPU process cannot honour
    (the panel model: ``rnnlab forecast --id-column ...`` used to train in one fp32 CPU
    process whatever --devices/--precision/--accelerator/--num-nodes said)."""
    asked = []
    if getattr(args, "devices", 1) != 1:
        asked.append(f"--devices {args.devices}")
    if getattr(args, "num_nodes", 1) != 1:
        asked.append(f"--num-nodes {args.num_nodes}")
    if getattr(args, strategy_dest, "auto") not in ("auto", None):
        asked.append(f"--{strategy_dest.replace('_', '-')} {getattr(args, strategy_dest)}")
    if getattr(args, "precision", "32") != "32":
        asked.append(f"--precision {args.precision}")
    if getattr(args, "accelerator", "auto") not in ("auto", "cpu"):
        asked.append(f"--accelerator {args.accelerator}")
    if str(getattr(args, "device", None) or "auto") not in ("auto", "cpu"):
        asked.append(f"--device {args.device}")
    if getattr(args, "cuda_graphs", "off") == "on":
        asked.append("--cuda-graphs on")
    if getattr(args, "impl", "auto") != "auto":  # (its training never read it)
        asked.append(f"--impl {args.impl}")
    if asked:
        raise OptionError(f"{trainer} trains in one process on the CPU in float32; it cannot "
                          f"honour {', '.join(asked)}: drop {'it' if len(asked) == 1 else 'them'}"
                          f" (--threads N sets its CPU threads)")
