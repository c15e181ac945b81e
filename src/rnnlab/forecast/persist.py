"""Saving and loading a :class:`~rnnlab.forecast.forecaster.Forecaster`: a folder of data
(``model.safetensors`` + ``model.json`` with the config, preprocessing, series, choice and
histories); nothing in it is executed when it is loaded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..data.custom_days import checked_calendar
from ..data.freq_names import this_pandas_freq
from ..data.reading_options import saved_off_grid
from ..data.series import Series
from ..io.errors import CheckpointError, ConfigError, ConfigTypeError, DataError, shown_name
from ..number_kinds import is_whole
from ..io.rundir import data_hash
from ..io.model_dir import built_for_weights, load_weights_into, read_model_json, save_model_dir
from ..panel.date_kind import check_period_freq  # (one check of a saved period freq)
from ..train import resolve_device
from ..train.process_state import threads_kept
from . import baselines as B
from . import selection as S
from .config import ForecastConfig
from ..panel.holidays_release import check_release, holidays_version
from .older_runs import fields_before
from .net import Ensemble, build_net
from .training import KIND
from .transform import Pipeline


def save_forecaster(f, path, overwrite: bool) -> Path:
    s = f.series
    extra = {"pipeline": f.pipeline.to_dict(), "period": f.period, "n_train": f.n_train,
             "series": {"name": s.name, "values": [float(v) for v in s.values], "freq": s.freq,
                        "dates": None if s.index is None else [d.isoformat() for d in s.index],
                        "tz": None if s.index is None or s.index.tz is None else str(s.index.tz),
                        "index_name": None if s.index is None or s.index.name is None
                        else str(s.index.name),  # (predict's index is named so)
                        "first": s.first, "step": s.step, "period_freq": s.period_freq,
                        "date_format": s.date_format,  # (how outputs write the dates)
                        "calendar": s.calendar,  # (a CustomBusinessDay's holidays)
                        # (the NaNs filled, and how: a forecast from inside a gap refills it
                        # from the values before it, as the fit did; predict_insample)
                        "filled": None if s.filled is None else [int(i) for i in s.filled],
                        "fill": s.fill},
             "histories": f.histories, "choice": f.choice,
             "linear_ar": [float(v) for v in f.ar.coef],
             "linear_ar0": None if f.ar0 is None else [float(v) for v in f.ar0.coef],
             "arma": None if f.arma is None else [float(v) for v in f.arma.coef],
             # (as a run's config.json and the other models' model.json: the values trained on)
             "data_sha256": data_hash(s.values), **holidays_version(f.config),
             "off_grid": getattr(f, "off_grid", "refuse")}  # (predict(history=)'s default)
    with threads_kept(f.config.threads):  # (the record's versions name the fit's threads)
        return save_model_dir(path, f.net, KIND, f.config.to_dict(), extra, overwrite)


def saved_dates(dates, tz) -> pd.DatetimeIndex:
    """The saved series' dates. Dates in a time zone are written with their UTC offset,
    which changes with daylight saving time (+01:00, then +02:00): read as instants and
    put back in the zone ``tz`` they were in (an older file without ``tz``: in UTC)."""
    if tz is not None:
        return pd.DatetimeIndex(pd.to_datetime(dates, utc=True)).tz_convert(tz)
    try:
        return pd.DatetimeIndex(pd.to_datetime(dates))
    except ValueError:  # mixed offsets: one instant each
        return pd.DatetimeIndex(pd.to_datetime(dates, utc=True))


def _date_format(form):
    """A saved strftime form of the dates (None: ISO), text, else a TypeError (the load's
    error names the file)."""
    if form is not None and not isinstance(form, str):
        raise ConfigTypeError(f"the series' 'date_format' should be text, found "
                              f"{type(form).__name__}")
    return form


def _saved_filled(sd: dict, n: int) -> dict:
    """``filled`` (the positions of the NaNs filled) and ``fill`` of a saved series, checked
    (absent: saved before they were, none)."""
    from ..data.option_names import FILLS

    filled, fill = sd.get("filled"), sd.get("fill")
    if filled is not None and not (isinstance(filled, list) and all(
            is_whole(i) and 0 <= i < n for i in filled)):
        raise ConfigTypeError(f"the series' 'filled' should be a list of positions from 0 to "
                              f"{n - 1}, found {str(filled)[:80]}")
    if fill is not None and fill not in FILLS:
        raise ConfigTypeError(f"the series' 'fill' should be one of {FILLS}, found {fill!r}")
    return {"filled": None if filled is None else np.asarray(filled, dtype=np.int64),
            "fill": fill}


def _check_saved(f, src) -> None:
    """The saved series, split, period and lag as save() writes them. A model.json with
    its checksum cannot differ; one without (written by an older rnnlab, or edited) was
    read as it came: NaN values forecast NaN, a text period was a TypeError."""
    s, problems = f.series, []
    if s.index is not None and len(s.index) != len(s.values):
        problems.append(f"{len(s.values)} values but {len(s.index)} dates")
    if not len(s.values) or not np.isfinite(s.values).all():
        problems.append(f"series values must be finite numbers ({len(s.values)} values, "
                        f"{int((~np.isfinite(s.values)).sum())} not finite)")
    elif f.pipeline.log and (s.values <= 0).any():
        problems.append("values <= 0 in a series modelled in logs")
    if not 0 < f.n_train <= len(s.values):
        problems.append(f"n_train {f.n_train} must be between 1 and the {len(s.values)} "
                        f"values")
    if f.period is not None and not (is_whole(f.period) and f.period >= 2):
        problems.append(f"period must be a whole number >= 2 or null, found {f.period!r}")
    elif f.pipeline.lag not in (0, 1, f.period):
        problems.append(f"the differencing lag {f.pipeline.lag} must be 0, 1 or the period "
                        f"({f.period})")
    if s.index is not None and not problems and not (s.index.is_monotonic_increasing and
                                                     s.index.is_unique):
        problems.append("dates must increase without repeats")
    if not (is_whole(s.first) and is_whole(s.step)) or s.step < 1:
        problems.append(f"labels first {s.first!r}, step {s.step!r} must be whole numbers, "
                        f"the step >= 1")
    if s.freq is not None:
        try:
            pd.tseries.frequencies.to_offset(s.freq)
        except (ValueError, TypeError):
            problems.append(f"frequency {s.freq!r} is not a pandas frequency")
    if problems:
        raise CheckpointError(f"{src}: the saved series is damaged: {'; '.join(problems)}. "
                              f"Restore the folder from a copy, or train again")


def load_forecaster(cls, path, device: str):
    meta = read_model_json(path, KIND)
    src = Path(meta["_dir"]) / "model.json"
    saved = dict(meta["config"])
    saved.update(fields_before(saved))  # saved by an earlier rnnlab: as it went on then
    cfg = ForecastConfig.from_dict(saved, src)
    check_release(meta.get("extra"), cfg, src, stacklevel=3)  # (its flags read again)
    f = cls(config=cfg.replace(device=device))
    try:
        ex = meta["extra"]
        f.pipeline = Pipeline.from_dict(ex["pipeline"])
        f.period, f.n_train = ex["period"], int(ex["n_train"])
        sd = ex["series"]
        if not isinstance(sd["values"], list):  # (null, true: np.asarray made a 0-d array)
            raise ConfigTypeError(f"the series' 'values' should be a list, found "
                                  f"{type(sd['values']).__name__}")
        idx = None if sd["dates"] is None else saved_dates(sd["dates"], sd.get("tz")).rename(
            sd.get("index_name"))
        f.series = Series(values=np.asarray(sd["values"], dtype=np.float64), index=idx,
                          name=str(sd["name"]), first=sd.get("first", 0), step=sd.get("step", 1),
                          freq=this_pandas_freq(sd["freq"]),  # saved under another pandas: M/ME
                          period_freq=check_period_freq(sd.get("period_freq"), src),
                          date_format=_date_format(sd.get("date_format")),
                          calendar=checked_calendar(sd.get("calendar"), "series"),
                          **_saved_filled(sd, len(sd["values"])))
        f.histories = list(ex.get("histories", []))
        f.off_grid = saved_off_grid(ex, str(src))  # (absent: saved before it was kept, 'refuse')
        choice = ex.get("choice")  # (absent or null: saved before there was a choice)
        if choice is not None and not isinstance(choice, dict):  # ([] read as no choice)
            raise ConfigTypeError(f"'choice' should be an object, found {type(choice).__name__}")
        if choice is None and "select" in meta["config"]:  # (its rnnlab recorded a choice)
            raise ConfigTypeError("'choice' is missing, and the rnnlab that saved this model "
                                  "(its config records select=) always records its choice, "
                                  "which says what predict() forecasts with")
        f.choice = dict(choice or {"method": "network"})
        if isinstance(f.choice.get("scores"), dict):  # (strict JSON wrote a NaN or inf as null)
            f.choice["scores"] = {n: np.nan if v is None else v
                                  for n, v in f.choice["scores"].items()}
        z = lambda: f.pipeline.to_model(f.series.values[:f.n_train])  # noqa: E731
        f.ar = B.LinearAR(cfg.lookback)
        if "linear_ar" in ex:
            f.ar.set_coef(ex["linear_ar"], "linear_ar")
        else:  # saved before it was stored: refitted on the saved training part
            f.ar.fit(z())
        f.ar0 = B.change_ar(f.pipeline, z(), cfg.lookback) if "linear_ar0" not in ex else (
            None if ex["linear_ar0"] is None else
            B.LinearAR(cfg.lookback, constant=False).set_coef(ex["linear_ar0"], "linear_ar0"))
        f.arma = B.change_arma(f.pipeline, z()) if "arma" not in ex else (  # older: refitted
            None if ex["arma"] is None else B.ARMA().set_coef(ex["arma"], "arma"))
        if f.choice.get("method") not in S.CANDIDATES:
            raise ConfigError(f"unknown choice {f.choice.get('method')!r}")
        if f.choice.get("weights") is not None or f.choice["method"] == S.MODEL:
            f.choice["weights"] = S.check_weights(f.choice.get("weights"), "choice weights")
            for name, fitted in f.on_differences().items():
                if fitted is None and name in f.choice["weights"]:
                    raise ConfigError(f"choice weights name {name}, which this model has not")
    except CheckpointError as e:  # (names what is wrong: a scaler)
        if str(e).startswith(str(src)):
            raise
        raise CheckpointError(f"{src}: {e}") from None
    except (KeyError, TypeError, ValueError, OverflowError) as e:
        raise CheckpointError(f"{src}: the 'extra' section is incomplete or malformed "
                              f"({shown_name(e)}: {str(e).splitlines()[0][:200]})") from None
    _check_saved(f, src)
    try:  # (checked against the weights' header first: no memory for sizes it lacks)
        net = built_for_weights(lambda: Ensemble([build_net(cfg) for _ in range(cfg.ensemble)]),
                                meta)
    except CheckpointError:
        raise
    except (ValueError, DataError) as e:
        raise CheckpointError(f"{src}: its config cannot build a model ({e})") from None
    load_weights_into(net, meta)
    f.net = net.to(resolve_device(device, loading="Forecaster.load")).eval()
    return f

