"""``rnnlab forecast --run DIR`` on a panel: the saved global model forecasts again, from
new data or the run's own, without training.

    rnnlab forecast --run DIR --data new.csv --future new_future.csv --output out.csv

What the run read (its data's columns, fill, frequency, the form of its dates) comes from
its ``panel.json`` (:mod:`rnnlab.panel.forecast_run` writes it); an option typed again
overrides it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..io.errors import DataError, OptionError, RunDirError
from .date_kind import written_dates
from ..warning_lines import print_warning

DATA_OPTIONS = ("id_column", "date_column", "column", "fill", "off_grid")  # panel.json's,
# typed or not


def _run_info(run: Path) -> dict:
    """The run's panel.json, refused where it was edited or names no saved network."""
    from ..io.json_file import read_json

    info = read_json(run / "panel.json", RunDirError)
    odd = [k for k in DATA_OPTIONS  # (a list: unhashable)
           if info.get(k) is not None and not isinstance(info[k], str)]
    if odd:
        raise RunDirError(f"{run / 'panel.json'}: {', '.join(odd)} should be a name or null, "
                          f"found {info[odd[0]]!r}; the file was edited or damaged: restore "
                          f"it, or run the command again with --overwrite")
    if not (run / "model").is_dir():
        raise RunDirError(f"{run}: no model/ folder: the run forecast with the baseline "
                          f"{info.get('model')!r}, which is not saved; train a network "
                          f"(--model lstm) to forecast again from new data")
    return info


def _saved_freq(info: dict):
    """The data's frequency panel.json saved (a week's CustomBusinessDay: :mod:`.week_freq`)."""
    from .week_freq import freq_from_json

    return freq_from_json(info, "panel.json") if info.get("freq") is not None else None


def _new_history(args, model, opt: dict):
    """The panel typed with --data, read as the run read its own (None: the saved tail)."""
    from .covariates import refuse_missing
    from .frame import read_panel
    from .week_freq import fitted_freq, week_reading

    c = model.config
    panel = read_panel(args.data, id_column=opt["id_column"], date_column=opt["date_column"],
                       target=opt["column"], fill=opt["fill"], off_grid=opt["off_grid"] or "refuse",
                       covariates=c.future_covariates
                       + c.past_covariates + c.static_covariates, tz=c.time_zone,
                       **week_reading(c.weekmask, fitted_freq(model)))  # (its week)
    refuse_missing(panel, c, lambda: read_panel(
        args.data, id_column=opt["id_column"], date_column=opt["date_column"],
        target=opt["column"], fill="ffill").df.columns)
    return _with_static_file(panel, getattr(args, "static_data", None), opt["id_column"],
                             c.static_covariates)


def _model_said(run: Path, sha) -> str:
    """Which model forecast, for a nightly job's log: the run and the SHA-256 of the
    weights file loaded (``sha``, checked against ``model/model.json`` as it was read; ''
    where it records none). Not model.json read again after the forecast: a model saved
    into the run meanwhile was named for a forecast it did not make."""
    return f", by the model of {run} (weights sha256 {sha[:16]})" if isinstance(sha, str) else ""


def _with_static_file(panel, path, id_column, columns):
    """``panel`` with the static covariates ``columns`` that the ``--static-data`` file
    holds as its columns, one value per series (a series the model was not fitted on is
    forecast with them; a fitted one's must be its fitted value): as predict's static=
    (:mod:`.history_static`). Was ignored with a warning, and a new series was then
    refused for want of the values the file gave."""
    from .covariates import static_file
    from .history_static import with_static

    table = static_file(path, id_column)
    return panel if table is None else with_static(panel, table, columns,
                                                   f"--static-data {path}")


def _note_late_series(df) -> None:
    """Name the series of the new data that end before its last date (a month that
    arrived late for some stores): each is forecast from its own end, so its forecast
    starts earlier than the others', which the table showed without a word."""
    from .int_steps import shown_date

    ends = df.groupby("unique_id", sort=False)["ds"].max()
    late = ends[ends < ends.max()]
    if len(late):
        shown = ", ".join(f"{u} ({shown_date(d)})" for u, d in list(late.items())[:5])
        print(f"rnnlab forecast: note: {len(late)} of the {len(ends)} series end before the "
              f"data's last date, {shown_date(ends.max())}: {shown}"
              f"{', ...' if len(late) > 5 else ''}; each is forecast from its own end (a "
              f"late period? pass it to forecast them from the same date)", file=sys.stderr)


def _note_older(df, tail) -> None:
    """Warn that the new data ends before the data the run was trained on (a stale file:
    every forecast starts in the past), as the one-series ``--run DIR --data`` does."""
    from .int_steps import shown_date

    if tail is None or not len(tail) or not len(df):
        return
    end, known = df["ds"].max(), tail["ds"].max()
    try:
        older = bool(end < known)
    except TypeError:  # (dates of another kind: refused by the forecast itself)
        return
    if older:
        print_warning(f"rnnlab forecast: warning: the new data ends {shown_date(end)}, "
                      f"before the data the run was trained on, which ends "
                      f"{shown_date(known)}: the forecasts start inside that past; pass the "
                      f"newest data")


def predict_panel_again(args) -> int:
    """``--run DIR [--data new.csv] [--future f.csv] [--horizon N] [--output out.csv]``:
    the saved global model forecasts after each series of the new data (the run's data
    when none is given), without training."""
    from ..forecast.rerun import warn_unread_options
    from ..io.atomic import atomic_write_text
    from ..io.output_file import check_output_file
    from ..io.runlock import RunLock
    from .future_file import read_future
    from .insample_option import insample_target, write_insample
    from .model import GlobalForecaster

    run = Path(args.run)
    RunLock(run).check_free("--run")  # (a run still being trained: said as such)
    from ..io.links_out import say_links_out

    say_links_out(run, "rnnlab forecast")  # (a folder from elsewhere: read outside it)
    info = _run_info(run)
    typed = getattr(args, "given_options", None) or frozenset()
    path = check_output_file(getattr(args, "output", None), getattr(args, "overwrite", False),
                             run, [args.data if "data" in typed else None,
                                   getattr(args, "future_data", None)])
    insample = insample_target(args, None, run, [args.data if "data" in typed else None,
                                                 getattr(args, "future_data", None), path])
    if insample is not None and path is not None and insample.resolve() == path.resolve():
        raise OptionError(f"--insample {insample}: the file --output writes; choose another")
    if insample is not None and "data" not in typed:
        raise OptionError("--insample with --run: give the data to forecast in sample "
                          "(--data FILE.csv, the run's own or newer); the saved model keeps "
                          "only each series' last rows")
    model = GlobalForecaster.load(run / "model")
    # --static-data: read with new --data, by a model that reads static covariates
    static = ("static_data",) if "data" in typed and model.config.static_covariates else ()
    warn_unread_options(typed, {"run", "data", "future_data", "horizon", "output", "overwrite",
                                "threads", "command", "insample", "insample_step",
                                *DATA_OPTIONS, *static}
                        # (--encoding converted the files typed: it was said to be ignored)
                        | ({"encoding"} if typed & {"data", "future_data"} else set()))
    opt = {c: (getattr(args, c, None) if c in typed else None) or info.get(c)
           for c in DATA_OPTIONS}
    history = _new_history(args, model, opt) if "data" in typed else None
    if history is not None:
        from .int_steps import steps_in_errors

        with steps_in_errors(history.ds_period):  # (steps named as steps)
            _note_late_series(history.df)
            _note_older(history.df, model.tail)
    future_cols = tuple(model.config.future_covariates)  # (in the run's zone, as the data)
    ends = (history.df if history is not None else model.tail)  # (the forecast's origins)
    future = read_future(getattr(args, "future_data", None), future_cols, opt["id_column"],
                         opt["date_column"], _saved_freq(info), model.config.time_zone,
                         ends.groupby("unique_id", sort=False)["ds"].max()
                         if ends is not None and len(ends) else None
                         ) if future_cols else None
    if future_cols and future is None:
        raise DataError(f"the model reads future covariates {list(future_cols)}: pass "
                        f"--future FILE.csv with their values over the horizon after each "
                        f"series' last date")
    steps = args.horizon or model.config.horizon
    if steps > model.config.horizon:  # (the API's message says horizon=)
        raise DataError(f"--horizon {steps}: the saved model forecasts at most "
                        f"{model.config.horizon} steps; pass --horizon {model.config.horizon} "
                        f"or less, or train a run with --horizon {steps}")
    fc = model.predict(steps, future=future, history=history)
    form = info.get("date_format") if history is None else history.ds_written
    text = written_dates(fc, form if isinstance(form, str) else None).to_csv(
        index=False, lineterminator="\n")
    if path is not None:
        atomic_write_text(path, text)
        print(f"wrote {len(fc)} forecasts ({fc['unique_id'].nunique()} series x {steps} "
              f"steps) to {path}{_model_said(run, model.weights_sha256)}", file=sys.stderr)
    else:  # (UTF-8 when redirected, whatever the console's encoding)
        from ..io.utf8_text import data_stdout

        data_stdout().write(text)
    write_insample(insample, args, model, history, getattr(history, "ds_written", None))
    return 0
