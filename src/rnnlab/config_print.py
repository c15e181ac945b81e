"""``--print-config``: a command's options, resolved, printed as the record ``--config``
reads (what a run's cli.json holds), with where each value other than a default came from.
The option itself is added, and the command replaced by this, in :mod:`rnnlab.config_option`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .config_values import NOT_FROM_FILE


def print_config(args: argparse.Namespace, name: str, dests=None) -> None:
    """The options of ``args`` as a record (what cli.json holds), for ``--config``, with
    ``sources``: where each value other than a default came from (a file, ``--set``, the
    command line)."""
    from .io.cli_options import saved_options

    options = {k: v for k, v in saved_options(args).items()
               if k not in NOT_FROM_FILE and (dests is None or k in dests)}
    if name == "backtest":  # (one series: the Forecaster's settings, not the parser's)
        from .panel.holiday_backtest import printed_options

        options = printed_options(args, options)
    run = getattr(args, "run", None)  # (lm generate's, forecast --run's: the model read;
    if isinstance(run, str):  # not kept by a training run's cli.json, but set here)
        options["run"] = str(Path(run).resolve()) if Path(run).exists() else run
    sources = getattr(getattr(args, "given_options", None), "sources", None) or {}
    record = {"options": options, "command": f"rnnlab {name}"}
    if sources:
        record["sources"] = {k: v for k, v in sources.items() if k in options}
    print(json.dumps(record, indent=2))
