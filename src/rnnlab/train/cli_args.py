"""Command-line flags for the settings every training entry point shares."""

from __future__ import annotations

import argparse

from .config import PRECISIONS
from .distributed import ACCELERATORS, STRATEGIES, DeviceConfig


def add_device_args(parser: argparse.ArgumentParser, strategy_flags=("--strategy",),
                    strategy_dest: str = "strategy") -> None:
    """--accelerator/--devices/--num-nodes/--strategy/--precision, as Lightning names them.

    A command whose ``--strategy`` already means something else passes other
    ``strategy_flags``/``strategy_dest`` (and the same ``strategy_dest`` to :func:`device_config`)."""
    g = parser.add_argument_group("devices (data-parallel training)")
    g.add_argument("--accelerator", choices=ACCELERATORS, default="auto",
                   help="where to train (default: cuda when available, else cpu)")
    g.add_argument("--devices", type=int, default=1,
                   help="processes on this machine, one per device (default 1)")
    g.add_argument("--num-nodes", type=int, default=1,
                   help="machines; more than 1 needs torchrun on each node (see README)")
    g.add_argument(*strategy_flags, dest=strategy_dest, choices=STRATEGIES, default="auto",
                   help="auto: ddp when more than one process (default)")
    g.add_argument("--precision", choices=PRECISIONS, default="32",
                   help="32, bf16-mixed (CPU/GPU) or 16-mixed (GPU, with loss scaling)")


def device_config(args: argparse.Namespace, strategy_dest: str = "strategy") -> DeviceConfig:
    return DeviceConfig(accelerator=args.accelerator, devices=args.devices,
                        num_nodes=args.num_nodes, strategy=getattr(args, strategy_dest),
                        precision=args.precision)
