"""Saving and loading a GlobalForecaster: a folder of data, never code.

    model.safetensors   every ensemble member's weights; with ``local=True`` one model per
                        series, the k-th series' under the prefix ``k.``
    model.json          config, features (transforms, scalers, static codes), training
                        histories, each series' tail and the interval calibration
                        (:mod:`rnnlab.panel.calibration`; checksummed JSON,
                        :func:`rnnlab.io.model_dir.save_model_dir`); with ``local=True``
                        ``extra.local`` lists each series' id, config and features in
                        the order of the prefixes, ``extra.calibration`` the offsets
                        pooled over them; ``extra.id_kind`` the ids' type
                        (:mod:`rnnlab.panel.ids`; ids are saved as text)
"""

from __future__ import annotations

import sys

import pandas as pd
from torch import nn

from ..data.reading_options import saved_off_grid
from ..io.errors import CheckpointError, ConfigTypeError, NotFittedError
from ..io.versions import recorded_threads
from ..io.model_dir import (built_for_weights, load_weights_into, read_model_json,
                            save_model_dir)
from ..train.process_state import threads_kept
from .calibration import check_calibration
from .date_kind import check_period_freq
from .config import PanelConfig
from .features import Features
from .frame import DS, ID
from .holidays_release import check_release, holidays_version
from .panel_week import saved_week
from .ids import check_ids, check_kind
from .save_load_args import refuse_save_load_arguments
from .key_columns import checked_key_kinds
from .saved_features import check_features, check_tail

KIND = "panel-forecaster"


def save_forecaster(f, path, overwrite: bool = False, peer=None):
    refuse_save_load_arguments("GlobalForecaster", "save", peer or {})
    if f.local:
        ids = list(f.local)
        module = nn.ModuleList(_members(f.local[u]) for u in ids)
        extra = {"local": [{"id": u, "config": f.local[u].config.to_dict(),
                            **_extra(f.local[u])} for u in ids],
                 "calibration": f.calibration}  # pooled over the series' models
    else:
        module, extra = _members(f), _extra(f)
    extra["id_kind"] = f.id_kind
    if getattr(f, "keys", ()):  # (one id column: the file as before)
        extra["keys"] = [list(k) for k in f.keys]
    extra["ds_period"] = getattr(f, "ds_period", None)  # dates given as periods (date_kind)
    # (the panel the model was fitted on: in a panel run, cut at the last backtest origin,
    # so not the hash the run's config.json records of the whole panel)
    extra["data_sha256"] = getattr(f, "data_sha256", None)
    extra["off_grid"] = getattr(f, "off_grid", "refuse")  # (predict(history=)'s default)
    if getattr(f, "week", None):  # (a panel read with weekmask=: its clause's far years)
        extra["week"] = f.week
    # (its 'holiday' flags, its clause's far years: read again when loaded)
    extra.update(holidays_version(f.config, getattr(f, "week", None)))
    with threads_kept(getattr(f, "fit_threads", 0)):  # (the record names the fit's threads)
        return save_model_dir(path, module, KIND, f.config.to_dict(), extra, overwrite=overwrite)


def load_forecaster(cls, path, peer=None):
    refuse_save_load_arguments("GlobalForecaster", "load", peer or {})
    meta = read_model_json(path, KIND)
    source = f"{path}/model.json"
    cfg = PanelConfig.from_dict(meta["config"], source)
    f = cls(config=cfg)
    extra = meta.get("extra")
    f.week = saved_week(extra, source)
    check_release(extra, cfg, source, stacklevel=3, week=f.week)
    # models saved before ids kept their type gave them back as text
    kind = extra.get("id_kind", "str") if isinstance(extra, dict) else "str"
    f.id_kind = check_kind(kind, source, CheckpointError)
    f.keys = checked_key_kinds(extra.get("keys") if isinstance(extra, dict) else None, source,
                               CheckpointError)
    f.ds_period = check_period_freq(extra.get("ds_period") if isinstance(extra, dict) else None,
                                    source)
    f.data_sha256 = extra.get("data_sha256") if isinstance(extra, dict) else None
    f.off_grid = saved_off_grid(extra, source) if isinstance(extra, dict) else "refuse"
    f.fit_threads = recorded_threads(meta)  # (saved again: the record keeps the fit's threads)
    if cfg.local:
        entries = extra.get("local") if isinstance(extra, dict) else None
        if not isinstance(entries, list) or not entries:
            raise CheckpointError(f"{source}: a local model (local=True) without its series' "
                                  f"models ('extra.local'); the file is damaged")
        builds = []
        for e in entries:
            try:
                sub = cls(config=PanelConfig.from_dict(e["config"], source))
                uid = str(e["id"])
            except (KeyError, TypeError) as err:
                raise CheckpointError(f"{source}: a series' model is incomplete ({err})") from None
            sub.week = f.week  # (each series' forecast reads its far years' holidays)
            builds.append(_restore(sub, e, source))
            f.local[uid] = sub
        # all series' models checked against the weights' header before any is built: a
        # series' config edited to "hidden_size": 10**9 tried to allocate 24 GB here
        module = built_for_weights(lambda: nn.ModuleList(b() for b in builds), meta)
        for sub, members in zip(f.local.values(), module):
            sub.members = members
        # (a local model saved before the pooled calibration has its series' own, if any)
        f.calibration = check_calibration(extra.get("calibration"), cfg.quantiles or (),
                                          cfg.horizon, source)
    else:
        f.members = module = built_for_weights(
            _restore(f, extra if isinstance(extra, dict) else {}, source), meta)
    check_ids(list(f.local) if cfg.local else list(f.features.transforms), f.id_kind, source,
              CheckpointError)
    load_weights_into(module, meta)  # (the file's SHA-256 checked against model.json's)
    module.eval()
    f.weights_sha256 = meta.get("weights_sha256")  # (what was read: a job's log names it)
    return f


def _members(f) -> nn.ModuleList:
    if f.members is None:
        raise NotFittedError("save before fit: nothing to save; call fit(panel) first")
    return f.members


def _extra(f) -> dict:
    """What a fitted (global) model needs besides its config and weights, as JSON."""
    zone = f.tail[DS].dt.tz
    # dates in a zone with their UTC offset (+01:00, then +00:00), and the zone: a tail
    # saved without them came back naive (forecasts lost their zone, a future table in it
    # was refused)
    tail = f.tail.assign(**{DS: f.tail[DS].dt.strftime("%Y-%m-%dT%H:%M:%S" + (
        "%z" if zone is not None else ""))})
    return {"features": f.features.to_dict(), "histories": f.histories,
            "n_features": int(f.members[0].body.spec.input_size),
            "tail": tail.to_dict(orient="list"), "calibration": f.calibration,
            "tail_tz": None if zone is None else str(zone)}


def _restore(f, extra: dict, source):
    """Rebuild features and tail of ``f`` from :func:`_extra`'s dict; returns the function
    that builds its (untrained) members, to be checked against the saved weights before
    they are built (:func:`built_for_weights`)."""
    cfg = f.config
    try:
        check_features(extra["features"])  # (each field of the kind to_dict writes)
        f.features = Features.from_dict(extra["features"])
        note_calendar_quarters(f.features, source)
        for k in ("lookback", "horizon"):  # (features are built from the config's: a
            mine, theirs = getattr(f.features, k), getattr(cfg, k)  # horizon of 1e9 was
            if mine != theirs:  # pandas' OutOfBoundsDatetime at the first predict)
                raise CheckpointError(f"{source}: features.{k} is {mine}, the model's {k} "
                                      f"{theirs}: they are written equal; the file was "
                                      f"edited or damaged: restore it from a copy, or train "
                                      f"again")
        f.histories = list(extra.get("histories", []))
        f.calibration = check_calibration(extra.get("calibration"), cfg.quantiles or (),
                                          cfg.horizon, source)
        tail = check_tail(extra["tail"])
        f.tail = tail.assign(**{DS: _tail_dates(tail[DS], extra.get("tail_tz")),
                                ID: tail[ID].astype(str)})
        static = f.features.static
        n_features = int(extra["n_features"]) - cfg.embed_size * len(static.categorical) \
            - len(static.numeric)
        if n_features < 1:  # (torch's "input_size must be greater than zero" when built)
            raise CheckpointError(f"'n_features' {extra['n_features']!r} leaves {n_features} "
                                  f"input features, not >= 1")
    except (KeyError, TypeError, ValueError, OverflowError) as e:
        raise CheckpointError(f"{source}: saved panel model is incomplete or malformed "
                              f"({e}); the file was edited or damaged: restore it from a "
                              f"copy, or train again") from None
    unscaled = sorted(set(pd.unique(f.tail[ID])) - set(f.features.transforms))
    if unscaled:  # (a KeyError at the first predict before)
        raise CheckpointError(f"{source}: the saved series {unscaled[:3]} have no saved scaling "
                              f"('extra.features.transforms'); the file was changed or is "
                              f"damaged: restore it from a copy, or train again")
    def build():
        return nn.ModuleList(f._build(n_features) for _ in range(cfg.ensemble))
    return build


def note_calendar_quarters(features: Features, source) -> None:
    """A note when a loaded model counts quarter_holidays over calendar quarters while
    its frequency steps by others (saved before session 34, which counts a ``QS-FEB``
    model's holidays February to April): it reads them as it was fitted on, and a
    refit counts its own."""
    from .calendar import shifted_quarters

    if features.own_quarters or "quarter_holidays" not in features.calendar \
            or not shifted_quarters(features.freq):
        return
    print(f"rnnlab: note: {source}: saved by an older rnnlab, whose quarter_holidays "
          f"counted each date's calendar quarter, not the {features.freq} quarter it steps "
          f"by (this rnnlab counts those): read as it was fitted; fit it again to count the "
          f"holidays of its own quarters", file=sys.stderr)


def _tail_dates(dates, zone) -> pd.Series:
    """The saved tail's dates: in ``zone`` (written with their offsets) when it is set;
    else as written (a model saved before zones were kept: naive clock times)."""
    if zone is None:
        return pd.to_datetime(dates)
    if not isinstance(zone, str):
        raise ConfigTypeError(f"'tail_tz' should be a time zone's name, found {zone!r}")
    from .zone_names import zone_problem

    if zone_problem(zone) is None:
        return pd.to_datetime(dates, utc=True).dt.tz_convert(zone)
    fixed = pd.to_datetime(dates)  # one offset throughout (+10:00): that fixed zone
    if str(getattr(fixed.dt, "tz", None)) != zone:
        raise CheckpointError(f"'tail_tz' {zone!r} is not the dates' time zone")
    return fixed
