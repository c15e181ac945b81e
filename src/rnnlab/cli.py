"""``rnnlab``: one entry point; each feature registers its own subcommand."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, Optional

from . import __version__
from .io.errors import RnnlabError

# subcommand modules: each defines register(subparsers) and sets a `func` default
COMMAND_MODULES = [
    "rnnlab.nn.cli",
    "rnnlab.reference.demo",
    "rnnlab.lm.cli",
    "rnnlab.forecast.cli",
    "rnnlab.data.datasets_cli",
    "rnnlab.bench.cli",
    "rnnlab.compare.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rnnlab", description="Recurrent neural networks: forecasting, language models, "
                                   "comparisons and benchmarks.")
    parser.add_argument("--version", action="version", version=f"rnnlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except RnnlabError as e:
        from .train.loop import TrainingInterrupted

        print(f"rnnlab {args.command}: error: {e}", file=sys.stderr)
        return e.exit_code if isinstance(e, TrainingInterrupted) else 1
    except (ValueError, FileNotFoundError, IsADirectoryError) as e:
        print(f"rnnlab {args.command}: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
