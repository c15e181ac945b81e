"""``rnnlab models``: the architectures of the registry with their parameter counts."""

from __future__ import annotations

from ..train.cli_args import at_least
from .registry import ARCHITECTURES, build_model, count_parameters


def register(sub) -> None:
    p = sub.add_parser("models", help="list the architectures with their parameter counts",
                       description="List every architecture of the registry with a one-line "
                                   "description and its parameter count at the given size.")
    p.add_argument("--input-size", type=at_least(1), default=1, help="features per time step (default 1)")
    p.add_argument("--hidden-size", type=at_least(1), default=64, help="hidden units (default 64)")
    p.add_argument("--num-layers", type=at_least(1), default=None,
                   help="stacked layers (default: each architecture's own; raised to an "
                        "architecture's minimum where it has one)")
    p.set_defaults(func=run)


def run(args) -> int:
    rows = []
    for name, arch in ARCHITECTURES.items():
        layers = args.num_layers if args.num_layers is not None else arch.default_layers
        layers = max(layers, arch.min_layers)
        model = build_model(name, input_size=args.input_size, hidden_size=args.hidden_size,
                            num_layers=layers)
        rows.append((name, layers, count_parameters(model), arch.description))
    print(f"architectures at input_size={args.input_size}, hidden_size={args.hidden_size}:")
    print(f"{'name':<15} {'layers':>6} {'params':>9}  description")
    for name, layers, n, desc in rows:
        print(f"{name:<15} {layers:>6} {n:>9,}  {desc}")
    return 0
