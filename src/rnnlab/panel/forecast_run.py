"""``rnnlab forecast`` on a panel: one global model, judged beside its baselines.

    rnnlab forecast --data panel.csv --id-column store --date-column week --column units \\
        --future-covariates temp,promo --static-covariates region --quantiles 0.1 0.5 0.9
    rnnlab forecast --run DIR --data new.csv --future new_future.csv --output out.csv

Training writes into ``--out``:

    config.json            model settings, data options, seed, versions
    panel.json             what ``--run`` needs: data columns, covariates, horizon
    metrics.csv / .json    per model on the held-out last horizon of each series: MASE,
                           RMSE, MAE, sMAPE, pinball, CRPS, 80% coverage and width
    per_series.csv         the same per model and series
    test_forecasts.csv     model, unique_id, origin, ds, step, y, mean, q...
    forecasts.csv          the next horizon after the data (unique_id, ds, step, mean, q...)
    forecasts.png, coverage_by_step.png, errors.png
    model/                 the fitted GlobalForecaster (GlobalForecaster.load(DIR/"model"))
    checkpoints/           its members' training checkpoints: the same command with
                           --resume goes on from them after a stop (:mod:`.run_resume`)

The evaluation is the one-origin backtest (:mod:`rnnlab.panel.backtest`) of the model and
the baselines (``--baselines``, as ``rnnlab backtest``'s; default naive, seasonal naive,
ETS; ``none``: none): every series is cut a horizon before its end,
the model is fitted on what is left, and all are scored on the cut part. The same fitted
model then forecasts past the end of the data, reading the held-out part as history
(nothing is refitted; future covariates past the data come from ``--future FILE.csv``).
``--run DIR`` forecasts again from a saved run: :mod:`rnnlab.panel.forecast_again`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, List

from ..io.stdin_input import input_name
from .config import names
from .date_kind import written_dates
from .baseline_names import DEFAULT_BASELINES as BASELINE_NAMES  # (those judged beside)
from .wants_panel import wants_panel  # noqa: F401  (its old home)


def _settings(args, horizon: int) -> dict:
    """GlobalForecaster's keyword settings: PanelConfig from the options typed on the command
    line (:func:`~rnnlab.panel.cli.panel_config`; rnnlab forecast's options of the same name,
    such as --hidden-size, reach it too), with the model and horizon of this run."""
    from .cli import panel_config

    return panel_config(args, model=args.model, horizon=horizon).to_dict()


def _tail(model, panel):
    """Each fitted series' last ``lookback + lag`` rows of ``panel``: what the saved model
    forecasts from when ``--run`` gets no new data."""
    from .frame import ID

    keep = panel.df[panel.df[ID].isin(model.features.transforms)]
    n = model.config.lookback + model.features.lag
    return keep.groupby(ID, sort=False).tail(n).reset_index(drop=True)


def train_panel(args) -> int:
    from ..io.previous_run import restoring_previous
    from ..io.resumed_marks import resumed_marks
    from ..io.rundir import RunLock, finish_run_dir, prepare_run_dir
    from .backtest import backtest
    from .baselines import BASELINES
    from .cli import say
    from .config import PanelConfig
    from .future_file import check_future_covers, read_future
    from .insample_option import insample_target, write_insample
    from .origin_align import warn_ragged_holdout
    from .run_resume import in_the_commands_words, resumed_out
    from .short_series import refuse_unfittable, test_part_held

    panel, static, baselines, left_out = _checked_start(args)
    named = Path(input_name(args, args.data)).stem.replace(':', '_')  # (`-`: stdin)
    out, resuming = resumed_out(args, Path(f"runs/forecast-{named}"))  # (:mod:`.run_resume`)
    insample = insample_target(args, args.model, None, [
        args.data, getattr(args, "static_data", None), getattr(args, "future_data", None)],
        writes=out)
    horizon = args.horizon or PanelConfig().horizon
    warn_ragged_holdout(panel, horizon, "rnnlab forecast")
    q = tuple(args.quantiles) if args.quantiles else None
    made: List[Any] = []  # the models the factory made: the first is the one judged and saved
    factory = _model_factory(args, horizon, q, made, out, resuming)
    # a baseline reads no future covariates: the forecast past the data needs no --future
    future_cols = () if args.model in BASELINES else names(args.future_covariates)
    future = read_future(getattr(args, "future_data", None), future_cols, args.id_column,
                         args.date_column, panel.freq, getattr(args, "time_zone", None),
                         panel.df.groupby("unique_id", sort=False)["ds"].max()
                         ) if future_cols else None
    if future is not None:  # its gaps refused before the fit, not after it
        check_future_covers(panel, future, future_cols, horizon,
                            PanelConfig(**_settings(args, horizon)).lookback)
    name = args.model
    if resuming:  # (its folder as the stopped run left it; a live writer refused)
        RunLock(out).check_free()
    else:
        if name not in BASELINES:  # (too short for --lookback: before the folder is made)
            refuse_unfittable(panel, PanelConfig(**_settings(args, horizon)), horizon)
        prepare_run_dir(out, overwrite=getattr(args, "overwrite", False), inputs=[
            args.data, getattr(args, "static_data", None), getattr(args, "future_data", None)],
            resumable=args.model not in BASELINES)  # (a network's run: --resume named)
    with restoring_previous(out, when=not resuming), RunLock(out):  # (stopped early: the
        try:  # replaced run back; stopped in training: the command that resumes it said)
            with resumed_marks(out, resuming) as added, test_part_held(horizon):
                result = backtest(factory, panel, horizon=horizon, first_origin=horizon,
                                  stride=horizon, static=static,
                                  baselines=[b for b in baselines if b not in left_out],
                                  future_covariates=future_cols, quantiles=q or (), name=name,
                                  progress=say("forecast", args), align="end")  # (each
        except Exception as e:  # series' last horizon, as documented: the model saved is
            raise in_the_commands_words(e, resuming) from None  # fitted there)
        model = made[0]
        _write_run_info(out, args, model, panel)
        summary, per_series, by_step = _write_scores(out, result)
        if getattr(args, "plot_series", 6):
            from .plots import plot_backtest

            plot_backtest(out, result, panel.df, n=getattr(args, "plot_series", 6),
                          tables=(per_series, by_step))
        from .week_freq import far_panel

        note = _forecast_past_data(out, model, horizon, far_panel(  # (a clause's holidays
            panel, getattr(args, "weekmask", None), horizon), future, future_cols)  # far on)
        _save_model(out, model, panel)
        _write_panel_json(out, args, horizon, future_cols, panel.freq, panel.ds_written)
        _write_metrics_json(out, summary, horizon, left_out)  # (last: the run is whole)
        finish_run_dir(out, not_written=added)  # (the user's files: not the run's)
    from .scaled_note import smape_zero_note

    _print_scores(summary, horizon, left_out, note, out, result.models,
                  smape_zero_note(result.forecasts))
    write_insample(insample, args, model, panel, panel.ds_written)  # (the run is whole)
    return 0


def _checked_start(args):
    """(panel, static covariates, the baselines of --baselines, those left out: name -> why)
    after refusing what the run cannot do, before any folder is made."""
    from .baselines_option import chosen_baselines
    from .cli import _setup
    from .data_args import load_panel
    from .one_table import one_series_target
    from .run_checks import (left_out_baselines, refuse_unread_network_options,
                             seasonless_baselines, warn_unread_covariates)

    _setup(args)
    one_series_target(args)  # (a CSV without ids: one series, as the one-series model reads it)
    refuse_unread_network_options(args, args.model)
    warn_unread_covariates(args, args.model)
    baselines = chosen_baselines(getattr(args, "baselines", ",".join(BASELINE_NAMES)),
                                 args.model)  # (an unknown name refused; a Namespace
    # without the option: the default baselines)
    # --model ets without statsmodels is refused before the run; a baseline whose optional
    # package is missing (ETS) is left out, said under the table and in metrics.json
    left_out = left_out_baselines(args, args.model, baselines)
    panel, static = load_panel(args)
    left_out.update(seasonless_baselines(args, panel, args.model, baselines))
    return panel, static, baselines, left_out


def _model_factory(args, horizon: int, q, made: list, out: Path, resuming: bool):
    """What the backtest fits at its origin: the --model baseline, or a GlobalForecaster of
    the options typed (bad settings refused here, before any folder is made), checkpointing
    into ``out/checkpoints`` (``--checkpoint-every`` steps too; ``resuming``: going on from
    them). Each model made is appended to ``made``."""
    from .baselines import BASELINES, make_baseline
    from .run_resume import checkpoint_steps, checkpointed

    every = checkpoint_steps(args)  # (a baseline's --checkpoint-every: refused)
    if args.model in BASELINES:
        def baseline():
            made.append(make_baseline(args.model, q))
            return made[-1]
        return baseline
    from .model import GlobalForecaster
    from .models_backtest import check_network_option

    settings = _settings(args, horizon)  # bad settings refused before any folder is made:
    check_network_option(GlobalForecaster(**settings).config)  # (and what its fit builds)

    def factory():
        model = checkpointed(GlobalForecaster(**settings), out, resuming, every)
        # (the backtest fits it on the panel read above: the model saved keeps --off-grid,
        # its predict(history=...)'s default, as a fit given the file would)
        model.fit = partial(model.fit, off_grid=getattr(args, "off_grid", None) or "refuse")
        made.append(model)
        return model
    return factory


def _write_run_info(out: Path, args, model, panel) -> None:
    """config.json: the model's settings, the options (those the run read, with the values
    it used: :mod:`.recorded_options`), the packages, seed and data hash."""
    from ..io.rundir import write_run_info
    from .backtest_save import packages, panel_sha256
    from .config import PanelConfig
    from .recorded_options import recorded_options

    model_cfg = model.config.to_dict() if hasattr(model, "config") else {}
    used = model_cfg or {**PanelConfig().to_dict(), "model": args.model}  # (a baseline's)
    options = recorded_options(args, used)  # (absolute paths: repeated from anywhere)
    write_run_info(out, {"panel": True, "model": model_cfg, "options": options,
                         "packages": packages()}, seed=args.seed,
                   data_sha256=panel_sha256(panel))


def _write_scores(out: Path, result):
    """metrics.csv, per_series.csv and test_forecasts.csv; returns the result's
    ``tables()``: summary, per_series and by_step (one pass over the forecasts)."""
    from ..io.atomic import atomic_write_text

    tables = result.tables()
    summary, per_series, _ = tables
    atomic_write_text(out / "metrics.csv", summary.to_csv(index=False, lineterminator="\n"))
    atomic_write_text(out / "per_series.csv", per_series.to_csv(index=False, lineterminator="\n"))
    atomic_write_text(out / "test_forecasts.csv", written_dates(
        result.forecasts, result.ds_written).to_csv(index=False, lineterminator="\n"))
    return tables


def _write_metrics_json(out: Path, summary, horizon: int, left_out: dict) -> None:
    """metrics.json, the run's last file: ``rnnlab runs`` reads a run that has it as
    finished (it was written before the plots, the forecasts and the model)."""
    from ..io.atomic import atomic_write_json

    atomic_write_json(out / "metrics.json", {
        "models": summary.to_dict(orient="records"), "test_size": horizon,
        "note": "each series' last horizon held out; the model and baselines fitted on "
                "the rest", "baselines_left_out": left_out})


def _forecast_past_data(out: Path, model, horizon: int, panel, future, future_cols):
    """forecasts.csv: the horizon after the data, the held-out part read as history; or,
    without the future covariates' values, the note that says why there is none."""
    from ..io.atomic import atomic_write_text

    if future_cols and future is None:
        return (f"no forecast past the data: the future covariates {list(future_cols)} "
                f"need their values over the horizon: pass --future FILE.csv")
    from ..data.outliers import quiet_spikes

    with quiet_spikes():  # (the backtest said them: the same data)
        fc = model.predict(horizon, future=future, history=panel)
    atomic_write_text(out / "forecasts.csv", written_dates(fc, panel.ds_written).to_csv(
        index=False, lineterminator="\n"))
    return None


def _save_model(out: Path, model, panel) -> None:
    """model/: a network (a baseline is not saved), with each series' tail to forecast from."""
    if hasattr(model, "save"):
        for m in (list(model.local.values()) if model.local else [model]):
            m.tail = _tail(m, panel)  # local=True: each series' own model
        model.save(out / "model", overwrite=True)  # (the run's own: a resumed run)
    if not getattr(model, "local", None) and getattr(model, "histories", None):
        from ..train.history_csv import write_history_csv  # (each member's epochs)

        write_history_csv(out / "history.csv", model.histories, label="member")


def _write_panel_json(out: Path, args, horizon: int, future_cols, freq,
                      date_format=None) -> None:
    """panel.json: what ``--run`` needs to read new data as this run read its own."""
    from ..io.atomic import atomic_write_json
    from .week_freq import freq_to_json

    atomic_write_json(out / "panel.json", {  # (checksummed: --run trusts it)
        "data": str(args.data), "id_column": args.id_column, "date_column": args.date_column,
        "column": args.column, "fill": getattr(args, "fill", None), "horizon": horizon,
        "off_grid": getattr(args, "off_grid", None),
        "model": args.model, "future_covariates": list(future_cols), **freq_to_json(freq),
        "date_format": date_format},  # (the data's text dates' form: --run writes so)
        checksum=True)


def _print_scores(summary, horizon: int, left_out: dict, note, out: Path,
                  models: dict, zeros: str = "") -> None:
    from .point_note import point_note
    from .printed_scores import score_columns, table_and_note

    cover = score_columns(summary)  # (as backtest's: coverage, width, wql, an msis)
    cols = [c for c in ("model", "mase", "rmse", "mae", "smape", "crps", *cover, "n_series")
            if c in summary]
    print(f"test part: last {horizon} points of each series; forecast from the cut")
    table, scores = table_and_note(summary, cols, held_in="metrics.csv")
    print(table)  # (decimal points in line; "-": no quantiles)
    from ..forecast.choice_lines import clause_lines as lines
    from .scaled_note import scaled_note

    for said in [f"left out of the table: {why}" for why in left_out.values()] + [
            scores, scaled_note(summary), zeros, point_note(models), note]:  # (zeros: smape's)
        if said:
            print(lines(f"note: {said}"))  # (at 80 columns, as backtest's)
    print(f"run directory: {out}")
