"""``rnnlab models``'s parser, outside :mod:`rnnlab.nn` (importing that package imports
torch: seconds), so that ``rnnlab models --help`` answers at once; the command itself
runs :func:`rnnlab.nn.cli.run`."""

from __future__ import annotations

from .train.cli_args import at_least


def register(sub) -> None:
    p = sub.add_parser("models", help="list the architectures with their parameter counts",
                       description="List every architecture of the registry with a one-line "
                                   "description and its parameter count at the given size (the "
                                   "recurrent layers only, and dot-rnn's and dots-rnn's deep "
                                   "output: no task "
                                   "head, no embedding).")
    p.add_argument("--input-size", type=at_least(1), default=1, help="features per time step (default 1)")
    p.add_argument("--hidden-size", type=at_least(1), default=64, help="hidden units (default 64)")
    p.add_argument("--num-layers", type=at_least(1), default=None,
                   help="stacked layers (default: each architecture's own; raised to an "
                        "architecture's minimum where it has one)")
    g = p.add_argument_group("shape of the architectures that read it (the others keep theirs)")
    g.add_argument("--depth", type=at_least(1), default=2,
                   help="deep-transition models: layers of the transition MLP (default 2)")
    g.add_argument("--width", type=at_least(1), default=None,
                   help="deep-transition and deep-output models: units of the intermediate "
                        "layers (default: the hidden size)")
    g.add_argument("--out-depth", type=at_least(1), default=1,
                   help="dot-rnn, dots-rnn: hidden layers of the deep output MLP (default 1)")
    g.add_argument("--out-width", type=at_least(1), default=None,
                   help="dot-rnn, dots-rnn: units of each deep output layer (default: --width, "
                        "else the hidden size)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .nn import cli

    return cli.run(args)
