"""``rnnlab forecast --run DIR``: forecast again with a finished run's saved model, no
training; ``--data new.csv`` forecasts past the end of newer data of the same series;
``--quantiles 0.1 0.9`` adds the Forecaster's prediction intervals as ``q0.1``, ``q0.9``
columns (:mod:`rnnlab.forecast.intervals`); without it, those of the levels the run was
trained with (its config.json), as a panel run's model keeps its quantiles."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io.atomic import atomic_write_text
from ..io.errors import OptionError, RunDirError
from ..io.output_file import check_output_file
from .insample_run import series_insample_target, write_series_insample
from ..warning_lines import print_warning


def _read_info(out: Path):
    """The run's config.json (None when it has none); a damaged one is refused."""
    from ..io.json_file import read_json

    if not (out / "config.json").exists() and not (out / "config.json").is_symlink():
        return None
    return read_json(out / "config.json", RunDirError, note_unverified=True)


def _saved_columns(run_dir: Path) -> dict:
    """The run's recorded ``column`` and ``date_column`` (each a name or None); another kind
    of value (an edited config.json: true, a list) is refused naming the file."""
    config = (_read_info(run_dir) or {}).get("config", {})
    config = config if isinstance(config, dict) else {}
    saved = {k: config.get(k) for k in ("column", "date_column")}
    for key, value in saved.items():
        if value is not None and not isinstance(value, str):
            raise RunDirError(f"{run_dir / 'config.json'}: config.{key} should be a column's "
                              f"name or null, found {value!r}; the file was edited or damaged: "
                              f"pass --{key.replace('_', '-')} NAME, or forecast again "
                              f"from the data")
    return saved


def _position(column) -> bool:
    """Whether a recorded ``--column`` is a position (``1``), not a name."""
    return column is not None and str(column).strip().isdigit()


def _by_name(data, name, column):
    """The column of the new file named as the series the run was fitted on, else the
    recorded position: a run trained with ``--column 1`` read whatever column a new file
    put second (a price inserted before the demand: forecast from prices, without a word)."""
    from .history import fitted_column

    named = fitted_column(data, name)
    return column if named is None else named


def resume_command(out: Path) -> str:
    """The command that continues the run in ``out`` (quoted for a shell: a path with a
    space is pasted as one argument)."""
    import shlex

    return f"rnnlab forecast --resume {shlex.quote(str(out))}"


def _unfinished(run_dir: Path) -> bool:
    """A one-series run stopped before it saved its model, with checkpoints: forecast from
    the members that finished (:mod:`.unfinished_run`), when any did."""
    from ..io.rundir import WRITTEN_NAME, is_run_dir

    return (is_run_dir(run_dir) and not (run_dir / WRITTEN_NAME).exists()
            and (run_dir / "cli.json").is_file() and (run_dir / "checkpoints").is_dir())


def _refuse_unfinished(run_dir: Path) -> None:
    """A run stopped before it saved its model (Ctrl-C, a kill) is named as such, with
    what continues it (was: "not a saved rnnlab model", for the folder a user passed)."""
    from ..io.rundir import WRITTEN_NAME, is_run_dir

    if not is_run_dir(run_dir) or (run_dir / WRITTEN_NAME).exists():
        return
    from ..io.incomplete_run import is_incomplete
    from ..panel.checkpoints import has_panel_checkpoints

    how = (f"continue it with: {resume_command(run_dir)}"
           if (run_dir / "cli.json").is_file() else  # (a panel run: its command again)
           _panel_resume(run_dir) if has_panel_checkpoints(run_dir) else
           "run its command again (it starts over)" if is_incomplete(run_dir) else
           "run its command again with --overwrite")
    members = "; none of its ensemble members had finished" if _unfinished(run_dir) else ""
    raise RunDirError(f"{run_dir}: this run did not finish (it was stopped before its model "
                      f"was saved{members}); {how}, then forecast again with --run")


def _panel_resume(run_dir: Path) -> str:
    """How a panel run stopped in training goes on: its command with --resume."""
    from ..panel.run_resume import resume_command as panel_resume, started_command

    started = started_command(run_dir)
    return (f"continue it with: {panel_resume(started)}" if started else
            "continue it with the command that started it and --resume")


# the options that give a model covariates (a one-series run's model reads none; its
# holidays, --calendar holiday --country, are its model's own, said apart)
COVARIATE_OPTIONS = ("future_covariates", "past_covariates", "static_covariates",
                     "future_data", "static_data")


def warn_unread_options(typed, read, one_series: bool = False) -> None:
    """``--run`` forecasts with the saved model as it was trained: the options ``typed``
    (dest names) that it does not ``read``, the training's, are named in a warning;
    ``one_series``: a one-series run, whose model reads no covariates (said so, with the
    run that does, where a covariate option is among them). ``--config`` and ``--set`` are
    not named: they give options, those ``read`` or not named each (one may give ``--run``
    itself, which was then said to be "ignored --config")."""
    ignored = sorted(set(typed) - set(read) - {"config", "set"})
    if ignored:
        why = ("; the run's model is the one-series Forecaster, which reads no covariates: "
               "train a run that reads them with --column NAME --future-covariates a,b (the "
               "global model, for one series too; README, \"One series with covariates\")"
               if one_series and set(ignored) & set(COVARIATE_OPTIONS) else "")
        if one_series and set(ignored) & {"calendar", "country", "time_zone"}:  # (was:
            # "reads no covariates", of a model trained on holidays: they came this session)
            why += ("; its holidays are those it was trained with, read on the clock it was "
                    "trained with (calendar, country and time_zone in its model.json), its "
                    "other calendar features none")
        ignored_options = ", ".join("--" + k.replace("_", "-") for k in ignored)
        print_warning(f"rnnlab forecast: warning: --run forecasts with the saved model as it "
                      f"was trained; ignored {ignored_options}" + why)


def _no_model(run_dir: Path) -> RunDirError:
    """The refusal of ``--run`` a folder without ``model/``: what the folder is when it is
    a saved model itself (``f.save(path)``, or the run's ``model/`` given) or a backtest's
    run directory (it was "no model/ folder" for both, as for any folder)."""
    if (run_dir / "model.json").is_file():
        parent = run_dir.parent
        run = (f"pass --run {parent}, the run directory that holds it" if run_dir.name ==
               "model" and (parent / "config.json").is_file() else
               "forecast from it in Python: Forecaster.load(path).predict(h) reads a model "
               "saved with f.save(path)")
        return RunDirError(f"{run_dir}: a saved model (model.json), not a run directory "
                           f"(--run takes the folder `rnnlab forecast --out DIR` wrote); {run}")
    if (run_dir / "summary.json").is_file() and (run_dir / "forecasts.csv").is_file():
        return RunDirError(f"{run_dir}: a backtest's run directory (summary.json, "
                           f"forecasts.csv), which keeps no model (each origin's fit is "
                           f"scored, not saved); train one with `rnnlab forecast --data ... "
                           f"--out DIR` and pass that DIR")
    return RunDirError(f"{run_dir}: no model/ folder; pass a directory written by "
                       f"`rnnlab forecast --out DIR` that finished (an interrupted run "
                       f"continues with --resume DIR)")


def predict_again(args) -> int:
    from ..io.runlock import RunLock

    run_dir = Path(args.run)
    # a run still being trained has no model yet: said as such (was "this run did not
    # finish (it was stopped ...); continue it with: rnnlab forecast --resume DIR")
    RunLock(run_dir).check_free("--run")
    from ..io.links_out import say_links_out

    say_links_out(run_dir, "rnnlab forecast")  # (a folder from elsewhere: read outside it)
    model = run_dir / "model"
    unfinished = False  # (stopped mid-ensemble: the members that finished forecast)
    if not (model / "model.json").is_file():
        seeds = sorted(p.name for p in run_dir.glob("seed_*") if (p / "model").is_dir())
        if seeds:
            raise RunDirError(f"{run_dir}: a run of several seeds ({', '.join(seeds)}); each "
                              f"has its own model: pass one, e.g. --run {run_dir / seeds[0]}")
        unfinished = _unfinished(run_dir)
        if not unfinished:
            _refuse_unfinished(run_dir)
    if not model.exists() and not unfinished:
        raise _no_model(run_dir)
    typed = getattr(args, "given_options", None) or frozenset()
    warn_unread_options(typed, {"run", "horizon", "out", "output", "overwrite", "threads",
                                "command", "data", "column", "date_column", "quantiles",
                                "insample", "insample_step"}
                        | ({"fill", "encoding", "off_grid"} if "data" in typed
                           else set()),  # the new data's
                        one_series=True)
    # --output and --quantiles are checked before the model is loaded
    path = check_output_file(getattr(args, "output", None) or args.out, args.overwrite,
                             run_dir, [args.data] if "data" in typed else ())
    insample = series_insample_target(args, run_dir, [args.data] if "data" in typed else ())
    if insample is not None and path is not None and insample.resolve() == path.resolve():
        raise OptionError(f"--insample {insample}: the file --output writes; choose another")
    from .run_intervals import option_levels, predict_levels, recorded_levels_of

    levels = option_levels(args.quantiles) if "quantiles" in typed else None
    recorded = levels is None  # (none typed: the levels the run was trained with)
    levels = recorded_levels_of(run_dir) if recorded else levels
    f = _forecaster_of(run_dir) if unfinished else _run_model(run_dir, model)
    fitted = f.series
    assert fitted is not None  # (a saved Forecaster, or one of finished members: fitted)
    steps = args.horizon or f.config.horizon
    if steps < 1:
        raise OptionError(f"--horizon must be >= 1, got {steps}")
    history = None
    if "data" in typed:  # newer data of the series: forecast past its end, nothing trained
        saved = _saved_columns(run_dir)  # the run's own choices
        date_col = args.date_column or saved.get("date_column")
        date_col = False if (date_col or "").lower() == "none" else date_col
        column = args.column or saved.get("column")
        if "column" not in typed and _position(column):  # (--column 1 at training)
            column = _by_name(args.data, fitted.name, column)
        history = dict(history=args.data, column=column, date_column=date_col,
                       fill=args.fill if "fill" in typed else None)
        history = _off_grid_read(f, run_dir, args, typed, history)
    # --quantiles (or the run's): the Forecaster's intervals as q columns after the forecast
    pred, levels = predict_levels(f, steps, history or {}, levels, recorded)
    q = {} if levels is None else {c: pred[c].values for c in pred.columns if c != "mean"}
    pred = pred if levels is None else pred["mean"]
    # the dates written as the file fitted on wrote them (02/10/2020), as forecast.csv does
    text = pd.DataFrame({"time": fitted.written(pred.index), "forecast": pred.values,
                         **q}).to_csv(index=False, lineterminator="\n")
    if path is not None:
        atomic_write_text(path, text)
        import sys

        # (stderr, as a panel's: stdout carries data only, here none)
        print(f"wrote {steps} forecasts to {path}", file=sys.stderr)
    else:  # (UTF-8 when redirected, whatever the console's encoding)
        from ..io.utf8_text import data_stdout

        data_stdout().write(text)
    write_series_insample(insample, args, f, history, levels)  # (None: the series fitted)
    return 0


def _forecaster_of(run_dir: Path):
    """The Forecaster of an unfinished run's finished members; refused when none finished."""
    from .unfinished_run import forecaster_of_unfinished

    f = forecaster_of_unfinished(run_dir, resume_command(run_dir))
    if f is None:
        _refuse_unfinished(run_dir)
    return f


def _off_grid_read(f, run_dir: Path, args, typed, history: dict) -> dict:
    """``history`` (the new data's reading) as a series already read with --off-grid, the
    one typed or the run's (config.json), where that is not 'refuse': a date the run
    snapped or dropped is read so in the newer data too, not refused."""
    recorded = ((_read_info(run_dir) or {}).get("config") or {}).get("off_grid")
    off_grid = getattr(args, "off_grid", None) if "off_grid" in typed else recorded
    if off_grid in (None, "refuse"):
        return history
    from ..data.datasets import resolve_data
    from .history import fitted_column

    column = history["column"]
    column = fitted_column(args.data, f.series.name) if column is None else column
    fill = f.config.fill if history["fill"] is None else history["fill"]
    s = resolve_data(args.data, column=column, date_column=history["date_column"], fill=fill,
                     weekmask=f.config.weekmask, off_grid=off_grid)
    return dict(history=s, column=None, date_column=None, fill=history["fill"])


def _run_model(run_dir: Path, model: Path):
    """The run's saved model, once it is known to be the run's: a `model/` copied in from
    another run (trained on other data) is refused, not forecast."""
    from ..io.run_model_match import check_model_of_run
    from .forecaster import Forecaster

    check_model_of_run(run_dir)
    return Forecaster.load(model, device="cpu")
