"""The week clause a panel was read with (``read_panel(df, weekmask='Mon Tue Wed Thu Fri
holidays=US')``), kept on the :class:`~rnnlab.panel.frame.PanelFrame` (``week``) through
its cuts and selections, so that a baseline's forecast past the years its ``freq`` closes
(the data's and the two after) still skips the clause's holidays: ``Naive().predict(520)``
of data ending 2023-12 fell on 2026-01-01. The far years' holidays are read as the CLI's
and GlobalForecaster's are (:func:`~rnnlab.panel.week_freq.far_panel`)."""

from __future__ import annotations

from typing import Optional


def panel_week(panel) -> Optional[str]:
    """The weekmask text ``panel`` was read with (its holiday clause included); None for a
    panel read without one, or an object of a panel's shape that carries none."""
    return getattr(panel, "week", None)


def reach_freq(panel, horizon: int):
    """The ``freq`` a forecast of ``horizon`` steps after ``panel`` draws its dates from:
    ``panel.freq`` also closing its clause's holidays of the years those dates reach;
    ``panel.freq`` itself without a clause or within the years it closes."""
    from .week_freq import far_freq

    return far_freq(panel.freq, panel_week(panel), panel.df, horizon)  # (a panel not a
    # dataclass too: far_panel's copy of it failed)


def forecast_week(model, panel) -> Optional[str]:
    """The clause a GlobalForecaster's forecast after ``panel`` (its history; None: the
    fit's tail) reads its far years' holidays by: its config's ``weekmask``, else the
    history's, else the one of the panel it was fitted on (``model.week``; a panel read
    with ``weekmask=`` given to a model configured without one)."""
    return (model.config.weekmask or panel_week(panel)
            or getattr(model, "week", None))


def saved_week(extra, source: str) -> Optional[str]:
    """The fitted panel's clause a saved model's ``extra`` section records (``"week"``);
    None when it records none (a model saved before it did, or fitted without one)."""
    from ..data.week_option import week_problem
    from ..io.errors import CheckpointError

    week = extra.get("week") if isinstance(extra, dict) else None
    if week is not None and (not isinstance(week, str) or week_problem(week)):
        raise CheckpointError(f"{source}: expected 'extra.week' to be the weekmask the "
                              f"model's panel was read with ('Mon Tue Wed Thu Fri "
                              f"holidays=US'), found {week!r}; the file is damaged: save "
                              f"the model again")
    return week
