"""Run a comparison: every model × every seed on identical terms, then the summary, the
plots and the report, all written to one run directory (by the rank-0 process only)."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from ..io.atomic import atomic_write_json
from ..io.previous_run import restoring_previous
from ..io.rundir import RunLock, data_hash, finish_run_dir, prepare_run_dir, write_run_info
from ..io.versions import versions
from ..train.launch_checks import is_main_process
from ..type_aliases import StrPath
from .config import CompareConfig
from .matching import check_impl_runs, check_networks, plan_sizes
from .seed_tests import seed_tests_said
from .summary import percent, summarize


def run_models(cfg: CompareConfig, log: Callable[[str], None] = print,
               device_settings: Optional[Dict[str, Any]] = None, progress: bool = False) -> Dict[str, Any]:
    """Train and evaluate every model and seed; returns the JSON-ready results.
    ``device_settings`` (accelerator, devices, num_nodes, strategy, precision; only those
    that differ from the defaults) are passed to every fit alike, as is ``progress``
    (each fit's: ``TrainConfig.progress``; none by default)."""
    from ..train.loop import TrainingDiverged

    dev = dict(device_settings or {})
    t0, c0 = time.perf_counter(), time.process_time()
    vocab = None
    if cfg.task == "lm":
        from .lm_run import lm_baselines, run_lm, vocab_size

        vocab = vocab_size(cfg)
    plan = plan_sizes(cfg, vocab)
    check_impl_runs(cfg, plan, vocab)  # before the first model trains, not at the failing one
    target = plan.pop("_target")
    if target:
        log(f"parameter target {target:,} (±{percent(cfg.tolerance)}): " + ", ".join(
            f"{m} h={p['hidden_size']} ({p['params']:,})" for m, p in plan.items()))
    records: List[Dict[str, Any]] = []
    context: Dict[str, Any] = {}
    diverged: List[Dict[str, Any]] = []  # (a model and seed that diverged, and why)
    for m in cfg.models:
        p = plan[m]
        for s in cfg.seeds:
            try:
                if cfg.task == "lm":
                    rec = run_lm(cfg, m, p["hidden_size"], p["params"], s, dev, progress)
                else:
                    from ..data.outliers import quiet_spikes
                    from .forecast_run import run_forecast

                    # (an extreme value of the series: said by the first fit, not by each)
                    with quiet_spikes() if records or diverged else contextlib.nullcontext():
                        rec, context = run_forecast(cfg, m, p["hidden_size"], p["params"], s,
                                                    dev, progress)
            except TrainingDiverged as e:  # (it stopped the comparison, and lost the rest)
                diverged.append({"model": m, "seed": s, "error": str(e)})
                log(f"{m:<10} seed {s}: DIVERGED, left out of the summary: {e}")
                continue
            records.append(rec)
            main = rec["metrics"]["test_bpc"] if cfg.task == "lm" else \
                rec["metrics"][cfg.evaluation][cfg.metric]
            log(f"{m:<10} seed {s}: {cfg.main_metric} {main:.4f}  params {p['params']:,}  "
                f"{rec['epochs_run']} epochs in {rec['train_seconds']:.1f}s  train loss "
                f"({cfg.loss_unit}) {rec['first_train_loss']:.4g} -> {rec['last_train_loss']:.4g}  "
                f"(recurrent path {rec['path']})")
    if not records:  # nothing to summarise
        d = diverged[-1]
        raise TrainingDiverged(f"every model and seed diverged; the last, model {d['model']!r}, "
                               f"seed {d['seed']}: {d['error']}")
    if cfg.task == "lm":
        baselines = lm_baselines(cfg)
    else:
        baselines = context.pop("baselines")
    rows = summarize(cfg, records, baselines, diverged)
    tests = seed_tests_said(cfg, rows)[1]  # (beside mean ± std: the paired t across seeds)
    return {"config": cfg.to_dict(), "device_settings": dev, "main_metric": cfg.main_metric,
            "param_target": target, "plan": plan, "records": records, "baselines": baselines,
            "series": context.get("series"), "rows": rows,
            **({"paired_tests": tests} if tests else {}),
            "diverged": diverged,  # [{model, seed, error}]: trainings stopped by a NaN loss
            "seconds": time.perf_counter() - t0,
            "cpu_seconds": time.process_time() - c0,  # (this process's, the same span)
            "versions": versions()}  # (the report says what made its numbers)


def run_compare(cfg: CompareConfig, out: StrPath, overwrite: bool = False, title: Optional[str] = None,
                description: str = "", command: str = "", log: Callable[[str], None] = print,
                device_settings: Optional[Dict[str, Any]] = None, progress: bool = False,
                data_label: Optional[str] = None) -> Dict[str, Any]:
    """Run the comparison and write ``out``: results.json, config.json, *.png, report.md,
    report.html. Returns the results. ``progress``: each fit's (``TrainConfig.progress``).
    ``data_label``: the report's name for ``cfg.data`` (default: it; ``--data -``'s kept
    copy: "standard input"), which config.json records as it is."""
    out = Path(out)
    cfg.check_task_data()
    check_networks(cfg)  # (--num-layers 1 with drnn: the run's error, before its folder)
    from .forecast_run import check_series

    check_series(cfg)  # (a series too short for --lookback: before its folder too)
    main = is_main_process()
    if main:
        prepare_run_dir(out, overwrite=overwrite, inputs=[cfg.data], resumable=False)
    with restoring_previous(out, when=main):  # (a typo or a Ctrl-C: the replaced run back)
        return _run_into(cfg, out, main, title, description, command, log, device_settings,
                         progress, data_label or cfg.data)


def _run_into(cfg: CompareConfig, out: Path, main: bool, title, description: str,
              command: str, log, device_settings, progress, label: str) -> dict:
    with (RunLock(out) if main else _Nothing()):
        res = run_models(cfg, log, device_settings, progress)
        if not main:
            return res
        res["data_sha256"] = _hash(cfg, res)  # (in results.json and the report too)
        from ..io.cli_options import absolute_inputs  # (a relative --data kept absolute:
        # `--config RUN_DIR` repeats the run from any working directory, as a panel's does)

        write_run_info(out, {"compare": absolute_inputs(cfg.to_dict()), "title": title,
                             "device_settings": res["device_settings"]}, cfg.seeds[0],
                       res["data_sha256"], seeds=cfg.seeds)
        atomic_write_json(out / "results.json", res)  # (NaN as null)
        from .plots import write_plots
        from .report import write_report

        res["plots"] = write_plots(cfg, res, out)
        write_report(out, [section(cfg, res, out, f"{label} ({cfg.task})", description,
                                   command, label)], title or "rnnlab compare")
    if main:
        finish_run_dir(out)
    log(f"report: {out / 'report.html'}")
    return res


def section(cfg: CompareConfig, res: dict, out, title: str, description: str,
            command: str, data: Optional[str] = None) -> dict:
    """What the report shows of one comparison (its figures lie in ``out``; ``data``: its
    data as the report names it, default ``cfg.data``)."""
    return {"title": title, "description": description, "command": command, "config": cfg,
            "results": res, "dir": Path(out), "plots": res.get("plots", {}),
            "data": data or cfg.data}


def _hash(cfg: CompareConfig, res: dict) -> str:
    if cfg.task == "lm":
        from .lm_run import corpus_parts

        return data_hash("".join(corpus_parts(cfg)))
    return data_hash(res["series"]["actual"])


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
