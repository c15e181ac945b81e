"""A saved panel model's features (``extra.features`` of its model.json) and series tails
(``extra.tail``), checked field by field before they are used: each of the kind
:meth:`~rnnlab.panel.features.Features.to_dict` writes. Before, ``Features.from_dict``
converted what it found (``int(true)`` is 1, ``float(true)`` 1.0, ``tuple("x")`` the
calendar feature ``x``), and a field of another kind or a series missing from one of the
per-series tables loaded and failed at the first predict (KeyError, AttributeError, a
numpy shape error) or forecast other numbers. ValueError/TypeError name the field; the
loader (:mod:`.saving`) names the file."""

from __future__ import annotations

import math

import pandas as pd

from ..number_kinds import is_real, is_whole
from .config import CALENDAR
from .frame import DS, ID, Y
from ..io.errors import CheckpointError, ConfigTypeError


def check_features(d) -> None:
    _obj(d, "features")
    for k in ("lookback", "horizon"):
        _whole(d.get(k), f"features.{k}", 1)
    _whole(d.get("lag"), "features.lag", 0)
    if not isinstance(d.get("freq"), str):
        raise ConfigTypeError(f"features.freq should be text, found {d.get('freq')!r}")
    for k in ("past", "future", "calendar"):
        _texts(d.get(k), f"features.{k}")
    unknown = [c for c in d["calendar"] if c not in CALENDAR]
    if unknown:
        raise CheckpointError(f"features.calendar names {unknown[:3]}, not among {CALENDAR}")
    if d.get("country") is not None and not isinstance(d["country"], str):
        raise ConfigTypeError(f"features.country should be text or null, found {d['country']!r}")
    if not isinstance(d.get("own_quarters", False), bool):  # (absent: saved before session 34)
        raise ConfigTypeError(f"features.own_quarters should be true or false, found "
                              f"{d['own_quarters']!r}")
    series = sorted(_obj(d.get("transforms"), "features.transforms"))
    for u, t in d["transforms"].items():
        where = f"features.transforms.{u}"
        _obj(t, where)
        for k in ("log", "counts", "floor"):
            if not isinstance(t.get(k, False), bool):
                raise ConfigTypeError(f"{where}.{k} should be true or false, found {t.get(k)!r}")
        _whole(t.get("lag"), f"{where}.lag", 0)
        if t["lag"] != d["lag"]:  # (every series is differenced at the model's lag)
            raise CheckpointError(f"{where}.lag is {t['lag']}, the model's features.lag "
                                  f"{d['lag']}: they are written equal")
        for k in ("loc", "scale", "level_scale"):
            _number(t.get(k), f"{where}.{k}")
    covs = _obj(d.get("covs"), "features.covs")
    _texts(covs.get("columns"), "features.covs.columns")
    for k in ("mean", "std"):
        _numbers(covs.get(k), f"features.covs.{k}", len(covs["columns"]))
    for k in ("low", "high"):  # (kept since session 25: an older model has none)
        if k in covs:
            _numbers(covs[k], f"features.covs.{k}", len(covs["columns"]))
    static = _obj(d.get("static"), "features.static")
    categorical = _obj(static.get("categorical"), "features.static.categorical")
    numeric = _obj(static.get("numeric"), "features.static.numeric")
    for k, v in categorical.items():
        _texts(v, f"features.static.categorical.{k}")  # (its categories, in code order)
    for k, v in numeric.items():
        _numbers(v, f"features.static.numeric.{k}", None)
    for k, size in (("codes", len(categorical)), ("values", len(numeric))):
        table = _obj(d.get(k), f"features.{k}")
        lacking = sorted(set(series) - set(table))  # (a series skipped at fit, too short,
        if lacking:  # keeps its static values for a later backtest origin: more is fine)
            raise CheckpointError(f"features.{k} lacks the series {lacking[:3]} of "
                                  f"features.transforms: each fitted series has its entry there")
        for u, row in table.items():
            if k == "codes":
                if not (isinstance(row, list) and len(row) == size and
                        all(type(c) is int for c in row)):
                    raise ConfigTypeError(f"features.codes.{u} should be {size} whole numbers, "
                                          f"found {str(row)[:40]}")
                for c, cats in zip(row, categorical.values()):  # (0: a category unseen)
                    if not 0 <= c <= len(cats):  # (an IndexError at predict)
                        raise CheckpointError(f"features.codes.{u} holds {c}, not a category "
                                              f"code 0..{len(cats)}")
            else:
                _numbers(row, f"features.values.{u}", size)


def check_tail(tail) -> pd.DataFrame:
    """``extra.tail`` (columns of equal length: the series' ids, dates, target and
    covariates) as a DataFrame; the target must hold numbers."""
    _obj(tail, "tail")
    if ID not in tail or DS not in tail:
        raise KeyError(f"tail lacks its {ID!r} or {DS!r} column")
    lengths = {len(v) if isinstance(v, list) else -1 for v in tail.values()}
    if len(lengths) != 1 or -1 in lengths:
        raise CheckpointError("tail: columns should be lists of one length")
    if Y not in tail or not all(x is None or (isinstance(x, (int, float)) and
                                              not isinstance(x, bool)) for x in tail[Y]):
        raise ConfigTypeError(f"tail.{Y} should hold numbers")
    for k, v in tail.items():  # (static columns hold text: a category)
        if any(isinstance(x, (list, dict)) for x in v):
            raise ConfigTypeError(f"tail.{k} should hold numbers or text")
    # a missing value: NaN, which strict JSON writes as null (files before: NaN itself)
    return pd.DataFrame({k: v if k in (ID, DS) else [math.nan if x is None else x for x in v]
                         for k, v in tail.items()})


def _obj(v, where: str) -> dict:
    if not isinstance(v, dict):
        raise ConfigTypeError(f"{where} should be an object, found {type(v).__name__}")
    return v


def _whole(v, where: str, low: int) -> None:
    if not is_whole(v) or v < low:
        raise ConfigTypeError(f"{where} should be a whole number >= {low}, found {v!r}")


def _number(v, where: str) -> None:
    if not is_real(v) or not math.isfinite(v):
        raise ConfigTypeError(f"{where} should be a finite number, found {v!r}")


def _numbers(v, where: str, size) -> None:
    if not isinstance(v, list) or (size is not None and len(v) != size):
        raise ConfigTypeError(f"{where} should be a list of {size if size is not None else ''} "
                              f"numbers, found {str(v)[:40]}")
    for x in v:
        _number(x, where)


def _texts(v, where: str) -> None:
    if not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
        raise ConfigTypeError(f"{where} should be a list of names, found {str(v)[:40]}")
