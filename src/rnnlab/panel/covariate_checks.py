"""PanelConfig's covariates and calendar features checked (:mod:`rnnlab.panel.config`
calls :func:`check_covariates` from its ``__post_init__``)."""

from __future__ import annotations

from difflib import get_close_matches

from ..idle_settings import IdleSettingWarning
from .zone_names import zone_problem


class UnreadCountryWarning(IdleSettingWarning):
    """``country=`` given without calendar feature 'holiday', the only one that reads it
    (an idle setting, said with the command's flags)."""


def warn_unread_country(country, calendar, stacklevel: int = 3) -> None:
    """Warn (:class:`UnreadCountryWarning`) that ``country`` adds nothing without
    'holiday' in ``calendar``: ``GlobalForecaster(country="US")`` (Prophet's
    ``add_country_holidays``, Darts' ``add_holidays("US")``) trained without a word and
    without any holiday. Said at ``fit`` (a saved model is loaded without it)."""
    import warnings

    from .holiday_features import reads_holidays

    if not country or reads_holidays(calendar):
        return
    have = f"calendar={tuple(calendar)!r}" if calendar else "no calendar features"
    add = tuple(calendar) + ("holiday",)
    warnings.warn(f"country={country!r} is read only by calendar feature 'holiday', and "
                  f"this model has {have}: it reads no holidays. Add it: calendar={add!r} "
                  f"(--calendar {','.join(add)} --country {country}), or drop country",
                  UnreadCountryWarning, stacklevel=stacklevel)


# other libraries' names of the calendar features (pandas' .dt.weekday, Darts'
# datetime_attribute "weekday", R's wday): no close spelling named them
_OTHER_NAMES = {"weekday": "dayofweek", "week_day": "dayofweek", "dow": "dayofweek",
                "wday": "dayofweek", "day_of_week": "dayofweek", "doy": "dayofyear",
                "yday": "dayofyear", "day_of_year": "dayofyear",
                "holidays": "holiday", "is_holiday": "holiday"}


def check_covariates(cfg, need) -> None:
    """PanelConfig's covariates and calendar features: read as names (``"temp,promo"``, as
    the CLI takes it, is two), the calendar's known, none named twice, none the target."""
    from ..calendar_options import names_problem, read_names
    from .config import CALENDAR  # (config imports this module)

    for k in ("future_covariates", "past_covariates", "static_covariates", "calendar"):
        v = getattr(cfg, k)  # (None or 3 was Python's TypeError "not iterable")
        if _is_table(v):
            need(False, _table_given(k, v))
        bad = names_problem(v, k, "feature names (e.g. ('month', 'dayofweek'), or "
                            "'month,dayofweek')" if k == "calendar" else "column names (e.g. "
                            "('temp', 'promo'), or 'temp,promo')")
        need(bad is None, bad)
        # "temp,promo" (as the CLI takes it) is two names, not one column "temp,promo"
        object.__setattr__(cfg, k, read_names(v, CALENDAR if k == "calendar" else ()))
    unknown = [c for c in cfg.calendar if c not in CALENDAR]
    meant = sorted({_OTHER_NAMES.get(str(b).lower()) or next(iter(
        get_close_matches(str(b), CALENDAR, 1)), "") for b in unknown} - {""})
    need(not unknown, f"calendar features {unknown} unknown; choose from {CALENDAR}"
         + (f" (meant: {', '.join(meant)}?)" if meant else ""))
    zone_why = None if cfg.time_zone is None else zone_problem(cfg.time_zone)
    need(zone_why is None, zone_why)
    from .holiday_features import HOLIDAY_FEATURES

    read = [f for f in cfg.calendar if f in HOLIDAY_FEATURES]  # (those reading holidays)
    need(not read or cfg.country,
         f"calendar feature {read[0] if read else 'holiday'!r} needs country= (--country: a "
         f"`holidays` country code, e.g. 'AU', or 'AU-VIC' for a state's holidays)")
    if read:  # the `panel` extra: said here, before any run folder
        from ..extras import require

        require("holidays", f"calendar feature {read[0]!r}",
                f"leave {read[0]!r} out of calendar (--calendar)")
    need(not (cfg.local and cfg.static_covariates),
         f"local=True fits one model per series, to which static covariates "
         f"{list(cfg.static_covariates)} (one value per series) say nothing; drop them, "
         f"or fit one global model (local=False) that reads them")
    named = cfg.future_covariates + cfg.past_covariates + cfg.static_covariates
    need(len(set(named)) == len(named), f"a covariate is named twice among future, past "
         f"and static: {named}")
    # read_panel names the target 'y': as a future covariate the model was given the
    # values it forecasts over the horizon (a backtest's MASE 0.07 against naive's 0.54)
    need("y" not in named, "'y' is the target (read_panel names the target column y), "
         "not a covariate: as a future covariate the model would read the values it "
         "forecasts, and it reads the target's past already; drop 'y' from the covariates")
    for name, what in (("unique_id", "series id"), ("ds", "date")):  # (the panel's own)
        need(name not in named, f"{name!r} is the panel's {what} column (read_panel names "
             f"the {what} column {name}, whichever it reads), not a covariate; a column of "
             f"that name in the table is no covariate either: rename it (df.rename(columns="
             f"{{{name!r}: {name + '_x'!r}}})) and name it so here")


def _is_table(value) -> bool:
    """A DataFrame (it iterates as its column names: static_covariates=static_df was read
    as ('unique_id', 'region'), refused at fit as "'region' neither in the static table")."""
    return hasattr(value, "columns") and hasattr(value, "iloc")


def _table_given(k: str, table) -> str:
    named = tuple(str(c) for c in table.columns if str(c) not in ("unique_id", "ds"))
    where = ("pass the table to fit(static=...) (or backtest(static=...))" if k ==
             "static_covariates" else "their values are columns of the panel fitted on (and "
             "of predict(future=...) over the horizon)")
    return (f"{k} must be column names, got a table (DataFrame of columns "
            f"{[str(c) for c in table.columns]}): {where} and name its columns here, "
            f"{k}={named!r}")
