"""What a forecasting run directory records of its settings, and what a resumed run takes
back from it: ``config.json`` (the config, seed, versions, data SHA-256, the --quantiles
levels) and ``cli.json`` written for a new run; the look-back and test part a resumed run
started with (a new one takes the period's defaults, :mod:`rnnlab.forecast.period_defaults`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from ..io.cli_options import save_options
from ..io.rundir import data_hash, record_resume, write_run_info
from ..train.cli_args import device_config
from .config import ForecastConfig
from .older_runs import fields_before
from .rerun import _read_info
from ..warning_lines import print_warning


def sized(args, cfg: ForecastConfig, series, out: Path, resuming: bool,
          main: bool) -> ForecastConfig:
    """The look-back and test part: a resumed run keeps those it started with (and, for a
    run an earlier rnnlab started, the fields added since as it went on: its checkpoints
    hold no linear skip); a new one takes the period's defaults unless typed (and says so)."""
    from ..data.frequency import seasonal_period
    from .period_defaults import period_defaults

    kept = (_read_info(out) or {}) if resuming else {}
    kept = kept.get("config") if isinstance(kept, dict) else None
    if isinstance(kept, dict) and isinstance(kept.get("lookback"), int):
        before = fields_before(kept)
        if before and main:
            print(f"rnnlab forecast: note: {out}: started by an earlier rnnlab (its config.json "
                  f"has no {', '.join(before)}); it goes on as it started "
                  f"({', '.join(f'{k}={v}' for k, v in before.items())}), trained by this "
                  f"rnnlab's loop, whose batches may differ: its last digits can differ from "
                  f"the earlier rnnlab's. Start a new run for this rnnlab's defaults",
                  file=sys.stderr)
        return cfg.replace(lookback=kept["lookback"], test_size=kept.get("test_size"), **before)
    cfg, why = period_defaults(cfg, seasonal_period(cfg.period, series.freq,
                                                      series.calendar), len(series),
                               getattr(args, "given_options", None) or frozenset())
    if why and main:
        print(f"rnnlab forecast: note: {why}", file=sys.stderr)
    return cfg


def record(args, cfg: ForecastConfig, series, out: Path, top: Path, seed: int,
           resuming: bool, levels=None) -> None:
    """config.json (config, seed, versions, data SHA-256, the --quantiles levels) of a new
    run and the options of the command; a resumed run whose data changed is warned about."""
    digest = data_hash(series.values)
    if series.gap_note() and not resuming:
        print(f"rnnlab forecast: note: {args.data}: {series.gap_note()}", file=sys.stderr)
    old = _read_info(out) if resuming else None
    if old is not None and old.get("data_sha256") not in (None, digest):
        print_warning(f"rnnlab forecast: warning: {out}: the data differs from the run's "
                      f"(SHA-256 {str(old['data_sha256'])[:12]}… recorded, {digest[:12]}… "
                      f"now, read from {args.data}); the resumed training goes on with the new "
                      f"data")
    dev = device_config(args, "dist_strategy")
    config = {**cfg.to_dict(), "data": args.data,
              **({"val_data": args.val_data} if getattr(args, "val_data", None) else {}),
              "column": args.column,
              "date_column": args.date_column, "devices": dev.__dict__,
              "off_grid": getattr(args, "off_grid", "refuse"),
              "checkpoint_every": args.checkpoint_every, "on_nonfinite": args.on_nonfinite,
              "quantiles": None if levels is None else list(levels)}
    from ..train.device import record_device

    device = record_device(dev.accelerator, cfg.device,  # (its GPU named: the record is
                           dev.devices * dev.num_nodes)  # written before training starts)
    if old is None:
        write_run_info(out, config, seed, digest, device=device)
        if resuming and out != top:  # (a seed of several first reached by this resume)
            _as_resumed(out, _started_seeds(args, top, seed))
    else:  # (other devices or threads: the record says what ran, and the command that
        # started it with each resume's; data edited since: the hash the model trains on,
        # the one before kept in the resume's entry, so --run finds the two agree)
        record_resume(out, config, data_sha256=digest, device=device)
    if out == top:
        save_options(out, args)


def _started_seeds(args, top: Path, seed: int) -> Optional[dict]:
    """The command that started the run of several seeds at ``top`` and the directory it
    ran in (``command``, ``cwd``: None where the record is older than it; ``started``, where
    said), from the record of another of its seeds (the first of ``--seeds`` that has
    one); None when none has."""
    from ..io.errors import RnnlabError

    for s in getattr(args, "seeds", None) or []:
        if s == seed:
            continue
        try:
            info = _read_info(top / f"seed_{s}") or {}
        except RnnlabError:  # (a damaged record: its own seed's resume says so)
            continue
        if isinstance(info.get("command"), list):  # (and when the run began, if said)
            return {"command": info["command"], "cwd": info.get("cwd"),
                    **({"started": info["started"]} if "started" in info else {})}
    return None


def _as_resumed(out: Path, started: Optional[dict]) -> None:
    """A seed's new config.json recorded as the one-seed resume records its run: the
    command that started the run and its directory (``started``) as ``command`` and
    ``cwd``, this resume's in ``resumed``. It named the resume's command alone (``--resume
    DIR``) as the one that started it, a command that repeats nothing, beside its siblings
    naming the start."""
    from ..io.atomic import atomic_write_json
    from ..io.command_line import command, working_directory
    from ..io.run_times import now
    from ..io.versions import versions

    info = _read_info(out) if started is not None else None
    if info is None:  # (no seed recorded the start: the resume is all that is known)
        return
    info.pop("_sha256", None)
    info.update(started, resumed=[{"command": command(), "cwd": working_directory(),
                                   "versions": versions(), "started": now()}])
    atomic_write_json(out / "config.json", info, checksum=True)
